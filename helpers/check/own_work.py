"""Is an answer the student's own work, or the package's reference under the student's name?

The notebooks import the package's reference modules (``data``, ``optim``, ``nn``,
``ReferenceValue``, ...) because later exercises build on them. A check tests what an
object does, so ``SGD = optim.SGD`` would pass ``check.sgd``. :data:`REFERENCES` lists, per
exercise, the package's objects that answer it; an answer borrows one when

- it IS one (an alias, a bound method of one, a package subclass of one such as AdamW),
- it is a class that subclasses one (subclassing ``nn.Module``, as the notebooks ask, is
  fine), or a method of it is one of the reference's methods,
- its code (a function's body, a class's methods, and the student's own functions they
  call) names one: ``return data.minibatches(...)``, ``optim.Adam.step(self)``.

Only the references of THIS exercise count: a later exercise may use ``data.minibatches``
or ``Adam`` as the notebook tells it to.

In a notebook the object itself is inspected (:func:`borrowed`); the grader, whose object is
a proxy for the sandbox's, scans the student's cell instead (:mod:`.own_work_source`), with
the same scanner of code (:class:`Scanner`) and the same verdict (:class:`Borrowed`).
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import inspect
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .mistakes import mistake

__all__ = ["REFERENCES", "Borrowed", "Code", "References", "Scanner", "borrowed", "display",
           "references", "verdict"]

#: exercise id -> (the name its cell defines, the package's objects that answer it, as
#: "<module under helpers>:<qualname>"): one of them, or a thin wrapper around it, answers
#: the exercise (tests/test_own_work.py's PASSES_ALONE lists where the first passes the
#: check as it is). Only the exercises with a reference in the package are listed; a
#: value exercise never is.
REFERENCES: dict[str, tuple[str, tuple[str, ...]]] = {
    # 01
    "sigmoid": ("sigmoid", ("nn:sigmoid", "nn:Sigmoid")),
    "tanh": ("tanh", ("nn:Tanh",)),
    "relu": ("relu", ("nn:ReLU",)),
    "accuracy": ("accuracy", ("experiments.softmax:accuracy",)),
    "perceptron": ("perceptron", ("experiments.neuron:perceptron",)),
    # runs choose_epochs's seeded run and scores it on the data it is given (a later cell's)
    "choose_epochs": ("choose_epochs", ("experiments.neuron:chosen_test_accuracy",)),
    # 02
    "gradient_descent": ("gradient_descent", ("experiments.descent:descend",)),
    "numerical_gradient": ("numerical_gradient", ("gradcheck:numerical_gradient",)),
    "mse": ("mse", ("losses:MSELoss",)),
    # 03
    "sigmoid_prime": ("sigmoid_prime", ("nn:Sigmoid",)),
    "tanh_prime": ("tanh_prime", ("nn:Tanh",)),
    "relu_prime": ("relu_prime", ("nn:ReLU",)),
    # the package's autograd differentiates the graph the student is asked to walk by hand
    "graph_forward_backward": ("graph_forward_backward", ("autograd:Value",)),
    "chain_backward": ("chain_backward", ("autograd:Value",)),
    "value": ("Value", ("autograd:Value",)),
    "relative_error": ("relative_error", ("gradcheck:relative_error",)),
    "train_neuron": ("train_neuron", ("experiments.backprop:train_neuron",)),
    "train_value_neuron": ("train_value_neuron", ("experiments.backprop:train_value_neuron",)),
    "value_relu": ("value_relu", ("autograd:Value.relu",)),
    # a Neuron is built on the student's own Value: on ReferenceValue it passes even where
    # that Value (or its relu) is broken, which this exercise is there to show
    "neuron_value": ("Neuron", ("autograd:Value",)),
    # 04
    "linear": ("Linear", ("nn:Linear",)),
    "sigmoid_layer": ("Sigmoid", ("nn:Sigmoid",)),
    "tanh_layer": ("Tanh", ("nn:Tanh",)),
    "relu_layer": ("ReLU", ("nn:ReLU",)),
    # and the relative error is the student's own from notebook 03
    "gradient_errors": ("gradient_errors", ("gradcheck:module_gradient_report",
                                            "gradcheck:gradient_report",
                                            "gradcheck:relative_error")),
    "mse_loss": ("MSELoss", ("losses:MSELoss",)),
    "sequential": ("Sequential", ("nn:Sequential",)),
    # 04's train teaches the in-place update that optim.SGD.step does
    "train": ("train", ("experiments.mlp:reference_train", "optim:SGD")),
    "train_early_stopping": ("train_early_stopping",
                             ("experiments.mlp:early_stopping_reference", "optim:SGD")),
    # 05
    "minibatches": ("minibatches", ("data:minibatches",)),
    "train_epoch": ("train_epoch", ("experiments.sgd:reference_train_epoch",)),
    "sgd": ("SGD", ("optim:SGD",)),
    "adam": ("Adam", ("optim:Adam",)),
    "lr_sweep": ("lr_sweep", ("experiments.sgd:validation_sweep",)),
    "standardize": ("standardize", ("data:standardize",)),
    "early_stopping": ("early_stopping", ("experiments.sgd:patience_stop",)),
    # 06
    "binary_cross_entropy": ("binary_cross_entropy",
                             ("playground.options:BinaryCrossEntropy",)),
    "softmax": ("softmax", ("losses:softmax", "losses:log_softmax",
                            "experiments.softmax:temperature_extremes")),
    "softmax_cross_entropy": ("SoftmaxCrossEntropy", ("losses:SoftmaxCrossEntropy",)),
}

#: A method name whose call on an argument is the reference itself (``v.relu()`` on a
#: ReferenceValue is ``ReferenceValue.relu``), per exercise.
_METHOD_CALLS = {"value_relu": ("relu", "autograd:Value.relu")}

#: The package's abstract bases a notebook asks the student to subclass.
_ALLOWED_BASES = ("nn:Module",)
_DEPTH = 4  # how many of the student's own functions deep a call is followed


@dataclass(frozen=True)
class Borrowed:
    """What an answer borrowed: ``reference`` ("optim.SGD"), ``how`` ("is", "subclasses",
    "uses") and ``where`` (the student's function or method that does, if not the answer)."""

    name: str
    reference: str
    how: str
    where: str | None = None
    kind: str = "function"

    @property
    def message(self) -> str:
        own = f"the check needs your own {self.kind}."
        if self.how == "subclasses":
            return f"your {self.name} subclasses the package's {self.reference}: {own}"
        if self.how == "is":
            what = self.where or self.name
            return f"your {what} is the package's {self.reference}: {own}"
        where = f" (in {self.where})" if self.where and self.where != self.name else ""
        return f"your {self.name} uses the package's {self.reference}{where}: {own}"

    @property
    def hint(self) -> str:
        return mistake(
            "general/borrowed-reference",
            "the package's version is imported for the exercises that build on this one; "
            "this exercise asks for the computation written by you, step by step, so the "
            "check only accepts code that does the work itself.")


def _resolve(spec: str) -> Any:
    module, qualname = spec.split(":")
    obj: Any = importlib.import_module(f"helpers.{module}")
    for part in qualname.split("."):
        obj = inspect.getattr_static(obj, part)
    return obj


def display(obj: Any) -> str:
    """How a notebook names a package object: ``optim.SGD``, ``autograd.Value.relu``."""
    module = getattr(obj, "__module__", "") or ""
    return f"{module.removeprefix('helpers.')}.{getattr(obj, '__qualname__', obj)}"


def _unwrap(obj: Any) -> Any:
    """The function or class behind a bound method, staticmethod, classmethod or partial."""
    for _ in range(5):
        if isinstance(obj, functools.partial):
            obj = obj.func
        elif isinstance(obj, (staticmethod, classmethod)) or inspect.ismethod(obj):
            obj = obj.__func__
        else:
            return obj
    return obj


def _package_class(obj: Any) -> bool:
    return inspect.isclass(obj) and (getattr(obj, "__module__", "") or "").startswith("helpers.")


class References:
    """The package's objects that answer one exercise, and how to recognise them."""

    def __init__(self, exercise: str):
        name, specs = REFERENCES[exercise]
        self.name = name
        self.objects: list[Any] = []
        for spec in specs:
            try:
                self.objects.append(_resolve(spec))
            except (ImportError, AttributeError):  # an optional part (the playground)
                continue
        allowed = set()
        for spec in _ALLOWED_BASES:
            allowed.add(_resolve(spec))
        self.allowed = allowed
        # a reference class's own methods are the reference too (``optim.Adam.step``)
        self.methods: dict[int, Any] = {}
        for obj in self.objects:
            if inspect.isclass(obj):
                for klass in obj.__mro__:
                    if _package_class(klass) and klass not in allowed:
                        for value in vars(klass).values():
                            if inspect.isfunction(_unwrap(value)):
                                self.methods[id(_unwrap(value))] = _unwrap(value)
        dynamic = _METHOD_CALLS.get(exercise)
        self.method_calls = {dynamic[0]: _resolve(dynamic[1])} if dynamic else {}

    def match(self, obj: Any) -> Any | None:
        """The reference ``obj`` is or belongs to (an alias, a package subclass, a method)."""
        obj = _unwrap(obj)
        for ref in self.objects:
            if obj is ref or (_package_class(obj) and inspect.isclass(ref)
                              and issubclass(obj, ref)):
                return obj
        if id(obj) in self.methods and self.methods[id(obj)] is obj:
            return obj
        return None

    def base(self, cls: type) -> Any | None:
        """The reference class among ``cls``'s bases (its MRO past itself), if any."""
        for klass in cls.__mro__[1:]:
            if klass not in self.allowed and self.match(klass) is not None:
                return klass
        return None


@functools.cache
def references(exercise: str) -> References | None:
    return References(exercise) if exercise in REFERENCES else None


class Scanner:
    """Finds the references a piece of the student's code names.

    ``resolve(name)`` says what a free name of the code stands for: the package's object
    (or anything else), or a :class:`Code` of the student's to follow, or None (unknown).
    """

    def __init__(self, refs: References, kind: str):
        self.refs = refs
        self.kind = kind
        self._seen: set[int] = set()

    def code(self, code: Code, depth: int = 0) -> Borrowed | None:
        if id(code.key) in self._seen or depth > _DEPTH:
            return None
        self._seen.add(id(code.key))
        bound, calls = _bound_names(code.tree), _calls(code.tree)
        imported = _package_imports(code.tree)
        for chain, node in _chains(code.tree):
            if chain[0] in imported and chain[0] not in bound:
                found = _package_object(imported[chain[0]])
            elif chain[0] in bound or chain[0] in imported:
                if len(chain) > 1 and chain[-1] in self.refs.method_calls and id(node) in calls:
                    ref = self.refs.method_calls[chain[-1]]
                    return self._uses(ref, code.where)
                continue
            else:
                found = code.resolve(chain[0])
            for attr in chain[1:]:
                if found is None or isinstance(found, Code):
                    break
                try:
                    found = inspect.getattr_static(found, attr)
                except AttributeError:
                    found = None
            if isinstance(found, Code):
                inner = self.code(found, depth + 1)
                if inner is not None:
                    return inner
            elif found is not None:
                ref = self.refs.match(found)
                if ref is None and inspect.isclass(found) and not _package_class(found):
                    ref = self.refs.base(found)
                if ref is not None:
                    return self._uses(ref, code.where)
        return None

    def _uses(self, ref: Any, where: str) -> Borrowed:
        return Borrowed(self.refs.name, display(ref), "uses", where, self.kind)


@dataclass
class Code:
    """A piece of the student's code: its syntax tree, what its free names stand for, and
    the name of the function or method it is (for the message)."""

    tree: ast.AST
    resolve: Callable[[str], Any]
    where: str
    key: Any  # what makes it the same code when met twice


def _chains(tree: ast.AST) -> Iterator[tuple[list[str], ast.AST]]:
    """Every dotted name the code reads (``optim.Adam.step``), with its outermost node."""
    inner = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            inner.add(id(node.value))
    for node in ast.walk(tree):
        if id(node) in inner or not isinstance(node, (ast.Attribute, ast.Name)):
            continue
        parts, cur = [], node
        while isinstance(cur, ast.Attribute):
            parts.append(cur.attr)
            cur = cur.value
        if isinstance(cur, ast.Name) and isinstance(getattr(node, "ctx", None), ast.Load):
            yield [cur.id, *reversed(parts)], node


def _calls(tree: ast.AST) -> set[int]:
    """The nodes that are called (``node(...)``), by id."""
    return {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}


def _package_imports(tree: ast.AST) -> dict[str, str]:
    """What the code's own imports of the package bind: name -> dotted path
    (``from helpers.optim import SGD`` binds SGD to "helpers.optim.SGD", ``import
    helpers.optim`` binds helpers to "helpers"). Read from the syntax alone: a function that
    imports the reference inside its body borrows it as much as one that reads the
    notebook's import."""
    found: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "helpers":
                    found[alias.asname or "helpers"] = alias.name if alias.asname else "helpers"
        elif (isinstance(node, ast.ImportFrom) and not node.level
              and (node.module or "").split(".")[0] == "helpers"):
            for alias in node.names:
                if alias.name != "*":
                    found[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return found


def _package_object(path: str) -> Any:
    """The package's object at the dotted ``path``, from the modules already loaded: never
    imported here (the grader must not run a module a submission names), and a module the
    check has not loaded holds no reference of its exercise (the table's modules are loaded
    by :class:`References`)."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        module = sys.modules.get(".".join(parts[:cut]))
        if module is None:
            continue
        found: Any = module
        for attr in parts[cut:]:
            try:
                found = inspect.getattr_static(found, attr)
            except AttributeError:
                return None
        return found
    return None


def _bound_names(tree: ast.AST) -> set[str]:
    """Names the code binds itself (arguments, assignments, loops, inner defs, imports of
    anything but the package, which :func:`_package_imports` reads), which shadow the
    notebook's (one set for all its scopes: a simplification that can only miss a
    borrowing, never invent one)."""
    bound: set[str] = set()
    package = _package_imports(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(name for name in ((a.asname or a.name).split(".")[0] for a in node.names)
                         if name not in package)
    body = getattr(tree, "body", [])
    for node in ast.walk(tree):  # inner definitions, not the code itself
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and (
                node is not tree and not (isinstance(body, list) and node in body
                                          and isinstance(tree, ast.Module))):
            bound.add(node.name)
    return bound


# -- the notebook's side: the object itself ---------------------------------------------------


def borrowed(exercise: str, obj: Any, kind: str = "function") -> Borrowed | None:
    """What ``obj``, handed to ``check.<exercise>``, borrows from the package, or None."""
    refs = references(exercise)
    if refs is None:
        return None
    ref = refs.match(obj)
    if ref is not None:
        return Borrowed(refs.name, display(ref), "is", None, kind)
    scanner = Scanner(refs, kind)
    target = _unwrap(obj)
    if inspect.isclass(target):
        base = refs.base(target)
        if base is not None:
            return Borrowed(refs.name, display(base), "subclasses", None, kind)
        for klass in target.__mro__:
            if _package_class(klass) or klass is object:
                continue
            for attr, value in vars(klass).items():
                ref = refs.match(value)
                if ref is not None:
                    return Borrowed(refs.name, display(ref), "is", f"{refs.name}.{attr}", kind)
                code = _function_code(_unwrap(value), refs.name, f"{refs.name}.{attr}")
                found = code and scanner.code(code)
                if found:
                    return found
        return None
    code = _function_code(target, refs.name, refs.name)
    return scanner.code(code) if code else None


def _function_code(fn: Any, name: str, where: str) -> Code | None:
    """A student's function as :class:`Code`, its free names read from its globals."""
    if not inspect.isfunction(fn) or (fn.__module__ or "").startswith("helpers."):
        return None
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None  # no source to read (code made by exec): nothing to find
    try:
        closure = inspect.getclosurevars(fn).nonlocals
    except (TypeError, ValueError):
        closure = {}
    namespace, builtin = fn.__globals__, vars(builtins)

    def resolve(free: str) -> Any:
        for scope in (closure, namespace, builtin):
            if free in scope:
                value = _unwrap(scope[free])
                if inspect.isfunction(value) and value is not fn:
                    return _function_code(value, name, value.__name__) or value
                return value
        return None

    return Code(tree, resolve, where, fn)


def verdict(exercise: str, obj: Any, kind: str = "function") -> Borrowed | None:
    """What the answer to ``exercise`` borrows: read from the graded cell's source while the
    grader checks one (:func:`.own_work_cell.graded_cell`), else from ``obj`` itself."""
    from .own_work_cell import borrowed_in_cell, current_cell

    cell = current_cell()
    if cell is not None:
        return borrowed_in_cell(exercise, cell[0], cell[1], kind)
    if type(obj).__module__.startswith("helpers.grading."):  # a proxy, no cell: unknown
        return None
    return borrowed(exercise, obj, kind)
