"""A right answer that is the package's reference under the student's name fails (issue: a
blind student passed 18/18 with ``SGD = optim.SGD`` and friends).

Every exercise of ``helpers.check.own_work.REFERENCES`` is answered three ways from the
package (an alias, a subclass or a package-made object, a thin wrapper), each a cell run on
top of the course notebook's cells above it, as in the notebook; each must fail with
``general/borrowed-reference``, in the notebook and in the grader, which reads the cell's
source. The solution notebooks' answers still pass, also where they use a reference that
answers another exercise (06's width_search trains with data.minibatches and Adam).
"""

from __future__ import annotations

import contextlib
import inspect
import itertools
import linecache
import os
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from checking import assert_fails, assert_passes, grader_result

from helpers import check, course, data, losses, nn, optim
from helpers.check import REGISTRY, CheckFailed, own_work
from helpers.check.mistakes import mistake_id
from helpers.check.own_work import REFERENCES, borrowed
from helpers.check.own_work_cell import borrowed_in_cell
from helpers.grading import judge

ROOT = Path(__file__).resolve().parents[1]
BORROWED = "general/borrowed-reference"
NOTEBOOK_OF = {}  # exercise id -> course notebook stem, filled by _courses()
_cells = itertools.count()

#: exercises whose first reference passes the check on its own: the guard alone fails it
PASSES_ALONE = {
    "sigmoid", "perceptron", "mse", "value_relu", "relative_error", "train_neuron",
    "train_value_neuron", "linear", "sigmoid_layer", "tanh_layer", "relu_layer", "mse_loss",
    "sequential", "train", "minibatches", "train_epoch", "sgd", "adam", "lr_sweep",
    "standardize", "softmax", "softmax_cross_entropy", "binary_cross_entropy",
}


@cache
def _courses() -> dict[str, course.Course]:
    courses = {}
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        loaded = course.load_course(path)
        courses[loaded.name] = loaded
        for exercise in loaded.exercises:
            NOTEBOOK_OF[exercise.id] = loaded.name
    return courses


def _exercise(exercise_id: str) -> tuple[course.Course, course.Exercise]:
    courses = _courses()
    loaded = courses[NOTEBOOK_OF[exercise_id]]
    return loaded, loaded.exercise(exercise_id)


def _context(exercise_id: str) -> tuple[str, ...]:
    loaded, exercise = _exercise(exercise_id)
    return tuple(source for source, _ in loaded.program(exercise))


def _define(exercise_id: str, source: str):
    """Run the course's cells above the exercise, then ``source``, as a notebook does (the
    cell's lines kept where ``inspect`` finds them, as IPython keeps them); its answer."""
    loaded, exercise = _exercise(exercise_id)
    namespace = {"__name__": "__main__"}
    for trusted, filename in loaded.program(exercise):
        exec(compile(trusted, filename, "exec"), namespace)  # noqa: S102
    filename = f"/tmp/ipykernel_own_work/cell{next(_cells)}.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102
    return namespace[exercise.name]


def _spec(exercise_id: str) -> tuple[str, str, str]:
    """(the name the cell defines, the first reference's module, its qualname)."""
    name, specs = REFERENCES[exercise_id]
    module, qualname = specs[0].split(":")
    return name, module, qualname


def _kind(exercise_id: str) -> str:
    return REGISTRY[exercise_id].kind


def _is_class(qualname: str, module: str) -> bool:
    return inspect.isclass(own_work._resolve(f"{module}:{qualname}"))


def _alias(exercise_id: str) -> str:
    name, module, qualname = _spec(exercise_id)
    made = "()" if _kind(exercise_id) == "function" and _is_class(qualname, module) else ""
    method = ".forward" if made else ""
    return f"import helpers.{module} as _pkg\n{name} = _pkg.{qualname}{made}{method}\n"


def _subclass_or_made(exercise_id: str) -> str:
    """A class exercise: a subclass; a function one: ``functools.partial`` of it."""
    name, module, qualname = _spec(exercise_id)
    if _kind(exercise_id) == "class":
        return f"import helpers.{module} as _pkg\n\n\nclass {name}(_pkg.{qualname}):\n    pass\n"
    target = f"_pkg.{qualname}" + ("().forward" if _is_class(qualname, module) else "")
    return (f"import functools\nimport helpers.{module} as _pkg\n"
            f"{name} = functools.partial({target})\n")


def _wrapper(exercise_id: str) -> str:
    """Code that only hands the work to the reference: a function that calls it, or a class
    each of whose methods calls the reference class's on itself."""
    name, module, qualname = _spec(exercise_id)
    head = f"import helpers.{module} as _pkg\nfrom helpers import nn as _nn\n\n\n"
    if _kind(exercise_id) == "function":
        target = f"_pkg.{qualname}" + ("().forward" if _is_class(qualname, module) else "")
        return head + f"def {name}(*args, **kwargs):\n    return {target}(*args, **kwargs)\n"
    ref = own_work._resolve(f"{module}:{qualname}")
    base = "_nn.Module" if issubclass(ref, nn.Module) else "object"
    methods = []
    for klass in reversed(ref.__mro__):
        if klass in (object, nn.Module):
            continue
        methods += [m for m, v in vars(klass).items() if inspect.isfunction(v)]
    body = "".join(f"    def {m}(self, *args, **kwargs):\n"
                   f"        return _pkg.{qualname}.{m}(self, *args, **kwargs)\n\n"
                   for m in dict.fromkeys(methods))
    return head + f"class {name}({base}):\n{body}"


#: function exercises whose reference is a class the answer would build and use inside
#: (the package's autograd), not call: their own tests below
USED_INSIDE = ("graph_forward_backward", "chain_backward")
CASES = [(ex, how) for ex in REFERENCES if ex not in USED_INSIDE
         for how in ("alias", "subclass", "wrapper")]
_SOURCE = {"alias": _alias, "subclass": _subclass_or_made, "wrapper": _wrapper}


def test_the_table_names_exercises_and_the_package_objects_that_answer_them():
    _courses()
    for exercise_id, (name, specs) in REFERENCES.items():
        assert exercise_id in REGISTRY and REGISTRY[exercise_id].kind != "value", exercise_id
        assert _exercise(exercise_id)[1].name == name, exercise_id
        for spec in specs:
            module = spec.split(":")[0]
            if module.startswith("playground"):
                pytest.importorskip("ipywidgets")
            assert own_work._resolve(spec) is not None, spec


def test_every_package_function_or_class_named_as_an_exercise_is_in_the_table():
    """A new reference named like its exercise cannot be forgotten here."""
    import importlib
    import pkgutil

    import helpers.experiments

    modules = ["data", "nn", "losses", "optim", "autograd", "gradcheck"]
    modules += [f"experiments.{m.name}" for m in pkgutil.iter_modules(helpers.experiments.__path__)]
    names = {e.name: e.id for c in _courses().values() for e in c.exercises
             if REGISTRY[e.id].kind != "value"}
    for module in modules:
        loaded = importlib.import_module(f"helpers.{module}")
        for attr, value in vars(loaded).items():
            if attr in names and getattr(value, "__module__", None) == loaded.__name__:
                listed = REFERENCES.get(names[attr], ("", ()))[1]
                assert f"{module}:{attr}" in listed, (module, attr, names[attr])


@pytest.mark.parametrize(("exercise_id", "how"), CASES)
def test_the_notebook_and_the_grader_find_what_an_answer_borrows(exercise_id, how):
    if REFERENCES[exercise_id][1][0].startswith("playground"):
        pytest.importorskip("ipywidgets")
    source = _SOURCE[how](exercise_id)
    answer = _define(exercise_id, source)
    kind = _kind(exercise_id)
    mine = borrowed(exercise_id, answer, kind)
    theirs = borrowed_in_cell(exercise_id, source, _context(exercise_id), kind)
    assert mine is not None and theirs is not None, (mine, theirs, source)
    _, module, qualname = _spec(exercise_id)
    assert mine.reference.startswith(f"{module}.{qualname}"), mine
    assert theirs.reference.startswith(f"{module}.{qualname}"), theirs
    if how != "alias" or "()" not in source:  # a bound method of a made object: the grader
        assert mine == theirs                  # sees the call that made it
    assert "_pkg" not in mine.message and mine.message.startswith(f"your {mine.name} ")


@pytest.mark.parametrize(("exercise_id", "how"),
                         [c for c in CASES if c[0] in PASSES_ALONE])
def test_a_borrowed_right_answer_fails_with_its_mistake(exercise_id, how, monkeypatch):
    if REFERENCES[exercise_id][1][0].startswith("playground"):
        pytest.importorskip("ipywidgets")
    source = _SOURCE[how](exercise_id)
    answer = _define(exercise_id, source)
    chk = REGISTRY[exercise_id]
    failure = assert_fails(chk, answer, "the package's", mistake=BORROWED,
                           cell=(source, _context(exercise_id)))
    assert failure.message == borrowed(exercise_id, answer, _kind(exercise_id)).message
    # the guard is what fails it: without it, the check would pass the borrowed answer
    with monkeypatch.context() as patched, contextlib.redirect_stdout(None):
        patched.setattr(own_work, "verdict", lambda *args: None)
        chk(answer)


# -- the answers of the solution notebooks --------------------------------------------------


def _solution_source(exercise_id: str) -> str:
    loaded, exercise = _exercise(exercise_id)
    return "".join(loaded.cells[exercise.cell]["source"])


#: exercises whose solutions use a reference that answers another exercise
USES_OTHER_REFERENCES = ["width_search", "train_epoch", "lr_sweep", "early_stopping",
                         "train_early_stopping", "gradient_errors", "train"]


@pytest.mark.parametrize("exercise_id", sorted(REFERENCES) + USES_OTHER_REFERENCES)
def test_the_solutions_are_their_own_work(exercise_id):
    source = _solution_source(exercise_id)
    kind = _kind(exercise_id)
    assert borrowed_in_cell(exercise_id, source, _context(exercise_id), kind) is None
    if exercise_id in REFERENCES:
        assert borrowed(exercise_id, _define(exercise_id, source), kind) is None


@pytest.mark.parametrize("exercise_id", ["minibatches", "sgd", "adam", "value_relu",
                                         "sequential", "softmax_cross_entropy"])
def test_the_solutions_pass_their_checks(exercise_id, capsys):
    source = _solution_source(exercise_id)
    assert_passes(REGISTRY[exercise_id], _define(exercise_id, source), capsys,
                  cell=(source, _context(exercise_id)))


def test_width_search_may_train_with_minibatches_and_adam(capsys):
    source = _solution_source("width_search")
    assert "data.minibatches" in source and "Adam(" in source
    assert borrowed_in_cell("width_search", source, _context("width_search")) is None
    assert_passes(check.width_search, _define("width_search", source), capsys,
                  cell=(source, _context("width_search")))


def test_train_epoch_may_use_the_packages_minibatches_but_not_its_train_epoch(capsys):
    """Only the reference of THIS exercise is forbidden."""
    source = _solution_source("train_epoch").replace("in minibatches(", "in data.minibatches(")
    assert "data.minibatches(" in source
    cell = (source, _context("train_epoch"))
    assert_passes(check.train_epoch, _define("train_epoch", source), capsys, cell=cell)
    source = ("def train_epoch(model, loss_fn, optimizer, X, y, batch_size, rng):\n"
              "    return sgd_runs.reference_train_epoch(model, loss_fn, optimizer, X, y,\n"
              "                                          batch_size, rng)\n")
    assert_fails(check.train_epoch, _define("train_epoch", source),
                 "your train_epoch uses the package's experiments.sgd.reference_train_epoch",
                 mistake=BORROWED, cell=(source, _context("train_epoch")))


def test_a_sequential_of_its_own_may_subclass_module_and_hold_package_layers(capsys):
    source = ("class Sequential(nn.Module):\n"
              "    def __init__(self, *layers):\n        self.layers = list(layers)\n\n"
              "    def forward(self, x):\n"
              "        for layer in self.layers:\n            x = layer.forward(x)\n"
              "        return x\n\n"
              "    def backward(self, dout):\n"
              "        for layer in reversed(self.layers):\n"
              "            dout = layer.backward(dout)\n        return dout\n\n"
              "    def parameters(self):\n"
              "        for layer in self.layers:\n            yield from layer.parameters()\n")
    source = "from helpers import nn\n\n\n" + source
    answer = _define("sequential", source)
    assert borrowed("sequential", answer, "class") is None
    assert borrowed_in_cell("sequential", source, _context("sequential"), "class") is None
    assert_passes(check.sequential, answer, capsys, cell=(source, _context("sequential")))


# -- the cases of the bug report, as a student writes them ----------------------------------

REPORTED = [
    ("minibatches", "minibatches = data.minibatches", "is the package's data.minibatches"),
    ("standardize", "standardize = data.standardize", "is the package's data.standardize"),
    ("sgd", "SGD = optim.SGD", "your SGD is the package's optim.SGD: the check needs your "
     "own class."),
    ("adam", "Adam = optim.Adam", "is the package's optim.Adam"),
    ("value_relu", "def value_relu(v):\n    return ReferenceValue.relu(v)",
     "uses the package's autograd.Value.relu"),
    ("value_relu", "def value_relu(v):\n    return v.relu()",
     "uses the package's autograd.Value.relu"),
    ("minibatches", "def minibatches(X, y, batch_size, rng):\n"
     "    yield from data.minibatches(X, y, batch_size, rng)", "uses the package's"),
    ("adam", "class Adam(optim.Adam):\n    def step(self):\n        super().step()",
     "subclasses the package's optim.Adam"),
    ("adam", "class Adam:\n    def __init__(self, model, lr=0.001):\n"
     "        self.model, self.lr, self.t = model, lr, 0\n        self.m, self.v = [], []\n"
     "        self.beta1, self.beta2, self.eps = 0.9, 0.999, 1e-8\n\n"
     "    def step(self):\n        optim.Adam.step(self)",
     "uses the package's optim.Adam.step (in Adam.step)"),
    # the reference imported in the method itself
    ("adam", "class Adam:\n    def __init__(self, model, lr=0.001):\n"
     "        self.model, self.lr, self.t = model, lr, 0\n\n"
     "    def step(self):\n        from helpers.optim import Adam as Reference\n"
     "        Reference.step(self)",
     "uses the package's optim.Adam.step (in Adam.step)"),
    ("softmax", "from helpers.experiments import softmax as softmax_runs\n\n\n"
     "def softmax(z):\n    z = np.asarray(z, float)\n    if z.ndim == 1:\n"
     "        return softmax_runs.temperature_extremes(z, (1.0,))[1.0]\n"
     "    return np.array([softmax_runs.temperature_extremes(r, (1.0,))[1.0] for r in z])",
     "uses the package's experiments.softmax.temperature_extremes"),
]


@pytest.mark.parametrize(("exercise_id", "source", "said"), REPORTED)
def test_the_reported_borrowings_fail_in_the_notebook_and_the_grader(exercise_id, source, said):
    if exercise_id == "value_relu":  # the notebook's own Value, relu and all, for ReferenceValue
        source = "from helpers.autograd import Value as ReferenceValue\n" + source
    answer = _define(exercise_id, source)
    cell = (source, _context(exercise_id))
    failure = assert_fails(REGISTRY[exercise_id], answer, said, mistake=BORROWED, cell=cell)
    result = grader_result(REGISTRY[exercise_id], answer, strict=True, cell=cell)
    assert (result.status, result.mistake, result.feedback) == (
        "failed", BORROWED, str(failure)), result


_NEURON_ON_REFERENCE = '''class Neuron:
    def __init__(self, n_in, rng, nonlin=True):
        self.w = [ReferenceValue(wi) for wi in rng.uniform(-1, 1, size=n_in)]
        self.b = ReferenceValue(0.0)
        self.nonlin = nonlin

    def __call__(self, x):
        z = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b)
        return z.relu() if self.nonlin else z

    def parameters(self):
        return [*self.w, self.b]
'''


def test_a_neuron_on_the_packages_value_fails_and_one_on_the_students_passes(capsys):
    # round 3: a Neuron of ReferenceValues passed, so a broken own Value still got the mark
    cell = (_NEURON_ON_REFERENCE, _context("neuron_value"))
    answer = _define("neuron_value", _NEURON_ON_REFERENCE)
    failure = assert_fails(check.neuron_value, answer, "uses the package's autograd.Value",
                           mistake=BORROWED, cell=cell)
    result = grader_result(check.neuron_value, answer, strict=True, cell=cell)
    assert (result.status, result.mistake, result.feedback) == (
        "failed", BORROWED, str(failure)), result
    source = _solution_source("neuron_value")
    assert "ReferenceValue" not in source and "Value(" in source
    assert_passes(check.neuron_value, _define("neuron_value", source), capsys,
                  cell=(source, _context("neuron_value")))


#: round 3's blind students: right answers whose work a package helper does (04's update
#: by optim.SGD, 01's runs scored by the helper a later cell shows)
_TRAIN_LOOP = ("def train(model, loss_fn, X, y, lr, epochs):\n    losses = []\n"
               "    for _ in range(epochs):\n"
               "        losses.append(loss_fn.forward(model.forward(X), y))\n"
               "        model.backward(loss_fn.backward())\n"
               "        {update}\n    return losses\n")
_EARLY = ("def train_early_stopping(model, loss_fn, X_train, y_train, X_val, y_val, lr,\n"
          "                         max_epochs, patience):\n"
          "    best_epoch, lowest, best = 0, np.inf, None\n    tr, va = [], []\n"
          "    for epoch in range(1, max_epochs + 1):\n"
          "        loss_fn.forward(model.forward(X_train), y_train)\n"
          "        model.backward(loss_fn.backward())\n        optim.SGD(model, lr).step()\n"
          "        tr.append(loss_fn.forward(model.forward(X_train), y_train))\n"
          "        va.append(loss_fn.forward(model.forward(X_val), y_val))\n"
          "        if va[-1] < lowest:\n            best_epoch, lowest = epoch, va[-1]\n"
          "            best = [p.copy() for p, _ in model.parameters()]\n"
          "        elif epoch - best_epoch >= patience:\n            break\n"
          "    for (p, _), kept in zip(model.parameters(), best):\n        p[...] = kept\n"
          "    return best_epoch, tr, va\n")
_CHOOSE = ("def choose_epochs(train, X_train, y_train, X_val, y_val, epoch_options):\n"
           "    accuracies = [{score} for e in epoch_options]\n"
           "    return epoch_options[int(np.argmax(accuracies))], accuracies\n")
HELPED = [
    ("train", "from helpers import optim\n\n\n"
     + _TRAIN_LOOP.format(update="optim.SGD(model, lr).step()"), "optim.SGD"),
    ("train", "import helpers.optim\n\n\n"
     + _TRAIN_LOOP.format(update="helpers.optim.SGD(model, lr).step()"), "optim.SGD"),
    ("train_early_stopping", "from helpers import optim\n\n\n" + _EARLY, "optim.SGD"),
    ("choose_epochs", _CHOOSE.format(
        score="experiments.chosen_test_accuracy(train, X_train, y_train, X_val, y_val, "
              "epochs=e)"), "experiments.neuron.chosen_test_accuracy"),
]


#: the reference imported inside the function or method itself, not in the cell: names a
#: function binds by its own imports of the package are the package's, not its own
_LOCAL_TRAIN = ("def train(model, loss_fn, X, y, lr, epochs):\n    {imp}\n    losses = []\n"
                "    for _ in range(epochs):\n"
                "        losses.append(loss_fn.forward(model.forward(X), y))\n"
                "        model.backward(loss_fn.backward())\n"
                "        {update}\n    return losses\n")
HELPED += [
    ("train", _LOCAL_TRAIN.format(imp="from helpers.optim import SGD",
                                  update="SGD(model, lr).step()"), "optim.SGD"),
    ("train", _LOCAL_TRAIN.format(imp="import helpers.optim",
                                  update="helpers.optim.SGD(model, lr).step()"), "optim.SGD"),
    ("train", _LOCAL_TRAIN.format(imp="from helpers import optim",
                                  update="optim.SGD(model, lr).step()"), "optim.SGD"),
    ("train", _LOCAL_TRAIN.format(imp="import helpers.optim as o",
                                  update="o.SGD(model, lr).step()"), "optim.SGD"),
]


def test_a_local_import_of_anything_else_stays_the_functions_own(capsys):
    """Only the package's modules are read: numpy imported in the body is numpy, and the
    function's own loop passes."""
    source = _LOCAL_TRAIN.format(
        imp="import numpy as np",
        update="for param, grad in model.parameters():\n            param -= lr * grad")
    cell = (source, _context("train"))
    assert borrowed_in_cell("train", *cell) is None
    assert borrowed("train", _define("train", source)) is None
    assert_passes(check.train, _define("train", source), capsys, cell=cell)


def test_reading_a_local_import_imports_nothing(monkeypatch):
    """A module under helpers that nothing loaded is not imported to read it."""
    import sys

    source = ("def minibatches(X, y, batch_size, rng):\n"
              "    import helpers.not_a_module as m\n    return m.minibatches(X, y, 2, rng)\n")
    before = set(sys.modules)
    assert borrowed_in_cell("minibatches", source, _context("minibatches")) is None
    assert set(sys.modules) == before


@pytest.mark.parametrize(("exercise_id", "source", "reference"), HELPED)
def test_a_right_answer_whose_work_a_package_helper_does_fails(exercise_id, source, reference,
                                                              monkeypatch):
    answer = _define(exercise_id, source)
    cell = (source, _context(exercise_id))
    chk = REGISTRY[exercise_id]
    failure = assert_fails(chk, answer, f"uses the package's {reference}", mistake=BORROWED,
                           cell=cell)
    result = grader_result(chk, answer, strict=True, cell=cell)
    assert (result.status, result.mistake, result.feedback) == (
        "failed", BORROWED, str(failure)), result
    # right answers all: without the guard the check passes them
    with monkeypatch.context() as patched, contextlib.redirect_stdout(None):
        patched.setattr(own_work, "verdict", lambda *args: None)
        chk(answer)


@pytest.mark.parametrize("exercise_id", ["train", "train_early_stopping", "choose_epochs"])
def test_the_solutions_own_loops_pass(exercise_id, capsys):
    source = _solution_source(exercise_id)
    assert_passes(REGISTRY[exercise_id], _define(exercise_id, source), capsys,
                  cell=(source, _context(exercise_id)))


# -- end to end: the grader on a submitted cell ---------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the grader forks its sandboxes")
@pytest.mark.parametrize(("exercise_id", "source"), [
    ("minibatches", "minibatches = data.minibatches"),
    ("sgd", "class SGD(optim.SGD):\n    pass"),
    ("minibatches", None),  # the solution: passes
])
def test_the_grader_grades_a_submitted_cell_as_the_notebook_does(exercise_id, source):
    loaded, exercise = _exercise(exercise_id)
    source = source or _solution_source(exercise_id)
    result = judge.grade_exercise(loaded, exercise, source, judge.Limits(seconds=60))
    try:
        with contextlib.redirect_stdout(None):
            REGISTRY[exercise_id](_define(exercise_id, source), strict=True)
    except CheckFailed as failure:
        assert (result.status, result.mistake, result.feedback) == (
            "failed", mistake_id(failure), str(failure)), result
        assert mistake_id(failure) == BORROWED
    else:
        assert result.status == "passed", result


def test_a_proxy_without_its_cell_is_not_judged():
    """The parity harness's sandbox serves an object with no cell: nothing to read."""
    assert own_work.verdict("sgd", type("RemoteClass", (), {"__module__": "x"})) is None
    from helpers.grading.proxy import Remote

    assert own_work.verdict("minibatches", Remote.__new__(Remote)) is None


def test_an_answer_of_its_own_is_not_borrowed():
    def minibatches(X, y, batch_size, rng):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            yield X[order[start:start + batch_size]], y[order[start:start + batch_size]]

    assert borrowed("minibatches", minibatches) is None
    assert borrowed("minibatches", losses.softmax) is None  # another exercise's reference
    assert borrowed("softmax", data.minibatches) is None
    assert borrowed("sgd", optim.Adam, "class") is None
    np.testing.assert_equal(len(list(minibatches(np.zeros((5, 1)), np.zeros(5), 2,
                                                 np.random.default_rng(0)))), 3)


def test_reading_a_cell_imports_nothing_it_names():
    """The grader reads a hostile cell's imports without running them in its own process."""
    import sys

    assert "helpers.grading.__main__" not in sys.modules
    source = ("import helpers.grading.__main__\nfrom helpers.grading import __main__ as m\n"
              "def minibatches(X, y, b, rng):\n    return m.main(X)\n")
    assert borrowed_in_cell("minibatches", source, _context("minibatches")) is None
    assert "helpers.grading.__main__" not in sys.modules


#: round 4's blind student: the package's autograd differentiates the graph that
#: graph_forward_backward asks the student to walk by hand
_GRAPH_BY_AUTOGRAD = (
    "from helpers.autograd import Value as ReferenceValue\n\n\n"
    "def graph_forward_backward(x, y, z):\n"
    "    X, Y, Z = ReferenceValue(x), ReferenceValue(y), ReferenceValue(z)\n"
    "    f = ((X + Y) * Z) ** 2\n"
    "    f.backward()\n"
    "    return f.data, np.array([X.grad, Y.grad, Z.grad])\n")


def test_a_graph_walked_by_the_packages_autograd_fails_and_the_students_passes(capsys):
    cell = (_GRAPH_BY_AUTOGRAD, _context("graph_forward_backward"))
    answer = _define("graph_forward_backward", _GRAPH_BY_AUTOGRAD)
    failure = assert_fails(check.graph_forward_backward, answer, "the package's autograd.Value",
                           mistake=BORROWED, cell=cell)
    result = grader_result(check.graph_forward_backward, answer, strict=True, cell=cell)
    assert (result.status, result.mistake, result.feedback) == (
        "failed", BORROWED, str(failure)), result
    for exercise_id in USED_INSIDE:  # the solutions walk the graph themselves
        source = _solution_source(exercise_id)
        assert "ReferenceValue" not in source and "autograd" not in source
        assert_passes(REGISTRY[exercise_id], _define(exercise_id, source), capsys,
                      cell=(source, _context(exercise_id)))


def test_gradient_errors_with_the_packages_relative_error_borrows_notebook_03s_answer():
    source = ("from helpers.gradcheck import numerical_gradient, relative_error\n\n\n"
              "def gradient_errors(layer, x, dout):\n"
              "    layer.forward(x)\n    dx = layer.backward(dout).copy()\n"
              "    grads = [g.copy() for _, g in layer.parameters()]\n    x = x.copy()\n\n"
              "    def f():\n        return float(np.sum(layer.forward(x) * dout))\n\n"
              "    return [relative_error(dx, numerical_gradient(f, x))] + [\n"
              "        relative_error(g, numerical_gradient(f, p))\n"
              "        for (p, _), g in zip(layer.parameters(), grads)]\n")
    cell = (source, _context("gradient_errors"))
    answer = _define("gradient_errors", source)
    assert_fails(check.gradient_errors, answer, "gradcheck.relative_error", mistake=BORROWED,
                 cell=cell)
