"""``check.summary()``: before handing in, what the grader will say about each exercise.

Runs every check of the current notebook on what is defined in the notebook's own
process and prints one table: exercise, ✓ / ✗ / not written yet, the hint in short, and
the points. It never raises, so it is safe as the last cell of any notebook, filled in or
not, and of an nbval run.

Which notebook: the name given (``check.summary("01_neuron")``, what the notebooks' last
cell says), else the notebook file the kernel runs (VS Code's ``__vsc_ipynb_file__``,
JupyterLab's ``JPY_SESSION_NAME``; its ``metadata.workbook.notebook``, else its file
name), else the notebook whose exercises the namespace defines most of. Exercises, names
and points come from the course notebook in ``solutions/`` (as the grader reads them,
:func:`helpers.grading.course.load_course`) when the package sits next to it; on an install
without ``solutions/`` (Colab), from the check modules, with the names CURRICULUM.md gives
and the points read from the student notebook when its file is known (else 1 each).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import types
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._core import REGISTRY, CheckFailed
from .mistakes import short_name

__all__ = ["SummaryRow", "add_summary_cell", "summary", "summary_rows"]

#: The check modules of each course notebook (CURRICULUM.md's file names), in course order.
NOTEBOOKS = {
    "01_neuron": ("neuron",),
    "02_gradient_descent": ("descent",),
    "03_backpropagation": ("backprop", "value_training"),
    "04_mlp": ("mlp",),
    "05_sgd": ("sgd",),
    "06_softmax_cross_entropy": ("softmax",),
}
# exercise id -> the class the exercise defines, where the names differ (CURRICULUM.md); a
# value exercise defines its id in upper case (LR_DIVERGES), a function its id
_CLASS_NAMES = {
    "value": "Value", "linear": "Linear", "sigmoid_layer": "Sigmoid", "tanh_layer": "Tanh",
    "relu_layer": "ReLU", "mse_loss": "MSELoss", "sequential": "Sequential", "sgd": "SGD",
    "adam": "Adam", "softmax_cross_entropy": "SoftmaxCrossEntropy", "neuron_value": "Neuron",
}


def _defined_name(exercise_id: str) -> str:
    """The name the exercise's cell defines."""
    if exercise_id in _CLASS_NAMES:
        return _CLASS_NAMES[exercise_id]
    kind = getattr(REGISTRY.get(exercise_id), "kind", "function")
    return exercise_id.upper() if kind == "value" else exercise_id
_NOT_WRITTEN = "not written yet"
_TEXT_WIDTH = 64  # characters of a hint in the table
_CELL_TAG = "self-check"


@dataclass(frozen=True)
class SummaryRow:
    exercise: str
    name: str  # what the exercise cell defines
    verdict: str  # "right", "wrong" or "not written yet"
    text: str  # the hint (else the message) of a ✗; empty otherwise
    points: float
    max_points: float
    feedback: str  # the check's whole verdict, as the check cell shows it


@dataclass(frozen=True)
class _Exercise:
    id: str
    name: str
    points: float


# -- which notebook, which exercises --------------------------------------------------------
def _solutions() -> Path:
    return Path(__file__).resolve().parents[2] / "solutions"


def _load_course(path: Path) -> Any:
    try:
        from helpers.course import load_course

        return load_course(path)
    except Exception:  # no such file, or not a course notebook: fall back
        return None


def _course_exercises(path: Path) -> list[_Exercise] | None:
    course = _load_course(path)
    return None if course is None else [_Exercise(e.id, e.name, e.points)
                                        for e in course.exercises]


class _References:
    """The reference answers the grader gives an exercise for the exercises above it.

    The grader runs each exercise cell on its own, after the course's definitions and the
    reference answers of the earlier exercises: a ``tanh`` that calls the student's
    ``sigmoid`` is graded with the right ``sigmoid``. The self-check does the same for a
    function defined in the notebook: it calls it with the earlier exercises' names bound
    to the reference answers (from ``solutions/``; without them, as the notebook has them).
    """

    def __init__(self, notebook: str):
        self.notebook = notebook
        self._namespace: dict[str, Any] | None = None

    def namespace(self) -> dict[str, Any]:
        if self._namespace is None:
            self._namespace = {}
            course = _load_course(_solutions() / f"{self.notebook}.ipynb")
            if course is not None and course.exercises:
                last = course.exercises[-1]
                ns: dict[str, Any] = {"__name__": "__workbook_reference__"}
                try:
                    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        for source, filename in course.program(last):
                            exec(compile(source, filename, "exec"), ns)
                    self._namespace = ns
                except Exception:  # the course's own code failed here: no substitutes
                    self._namespace = {}
        return self._namespace

    def rebind(self, obj: Any, earlier: list[str], namespace: Mapping[str, Any]) -> Any:
        """``obj`` calling the reference answers of ``earlier`` exercises' names.

        A function is copied with those globals replaced; a class (its methods may build the
        notebook's ``Value``) is copied with each method so copied. The notebook's own
        objects are left as they are.
        """
        if not isinstance(obj, (types.FunctionType, type)) or obj.__module__ not in (
                "__main__", namespace.get("__name__")):
            return obj
        methods = [obj] if isinstance(obj, types.FunctionType) else [
            m for m in vars(obj).values() if isinstance(m, types.FunctionType)]
        read = set().union(*(_names(m.__code__) for m in methods)) if methods else set()
        used = [name for name in earlier if name in read]
        if not used:
            return obj
        references = self.namespace()
        overrides = {name: references[name] for name in used if name in references}
        if not overrides:
            return obj
        if isinstance(obj, types.FunctionType):
            return _with_globals(obj, overrides)
        body = {k: _with_globals(v, overrides) if isinstance(v, types.FunctionType) else v
                for k, v in vars(obj).items() if k not in ("__dict__", "__weakref__")}
        return type(obj.__name__, obj.__bases__, body)


def _names(code: types.CodeType) -> set[str]:
    """The global names a function's code reads, its comprehensions' and lambdas' included."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


def _with_globals(obj: types.FunctionType, overrides: Mapping[str, Any]) -> types.FunctionType:
    scope = dict(obj.__globals__)
    scope.update(overrides)
    fn = types.FunctionType(obj.__code__, scope, obj.__name__, obj.__defaults__,
                            obj.__closure__)
    fn.__kwdefaults__ = obj.__kwdefaults__
    fn.__dict__.update(obj.__dict__)
    fn.__qualname__, fn.__doc__ = obj.__qualname__, obj.__doc__
    return fn


def _module_exercises(notebook: str) -> list[_Exercise]:
    modules = [f"{__package__}.{name}" for name in NOTEBOOKS[notebook]]
    ids = [i for module in modules
           for i, fn in REGISTRY.items() if getattr(fn, "__module__", "") == module]
    return [_Exercise(i, _defined_name(i), 1.0) for i in ids]


def _exercises(notebook: str, notebook_file: Path | None) -> list[_Exercise]:
    for path in (_solutions() / f"{notebook}.ipynb", notebook_file):
        if path is not None:
            found = _course_exercises(path)
            if found:
                return found
    return _module_exercises(notebook)


def _notebook_file(namespace: Mapping[str, Any]) -> Path | None:
    """The notebook file this kernel runs, where the front end says so."""
    for candidate in (namespace.get("__vsc_ipynb_file__"), os.environ.get("JPY_SESSION_NAME")):
        if isinstance(candidate, str) and candidate.endswith(".ipynb"):
            path = Path(candidate)
            if path.is_file():
                return path
    return None


def _declared(path: Path) -> str | None:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        declared = nb.get("metadata", {}).get("workbook", {}).get("notebook")
    except Exception:
        declared = None
    if declared in NOTEBOOKS:
        return declared
    matches = [name for name in NOTEBOOKS if name in path.name or path.name[:3] == name[:3]]
    return matches[0] if len(matches) == 1 else None


def _defined_here(namespace: Mapping[str, Any], name: str) -> bool:
    """The name is in the namespace and was not imported from a package (a reference)."""
    if name not in namespace:
        return False
    obj = namespace[name]
    module = getattr(obj, "__module__", None)
    return module in (None, "__main__", namespace.get("__name__")) or not callable(obj)


def _guess(namespace: Mapping[str, Any]) -> str | None:
    """The notebook whose exercise names the namespace defines most of (ties: none)."""
    counts = {}
    for notebook in NOTEBOOKS:
        names = [_CLASS_NAMES.get(e.id, e.id) for e in _module_exercises(notebook)]
        names += [e.id.upper() for e in _module_exercises(notebook)]
        counts[notebook] = sum(_defined_here(namespace, n) for n in set(names))
    best = max(counts.values(), default=0)
    winners = [nb for nb, count in counts.items() if count == best]
    return winners[0] if best and len(winners) == 1 else None


def _lookup(namespace: Mapping[str, Any], exercise: _Exercise) -> tuple[bool, Any]:
    for name in dict.fromkeys((exercise.name, _CLASS_NAMES.get(exercise.id, exercise.id),
                               exercise.id.upper())):
        if name in namespace:
            return True, namespace[name]
    return False, None


# -- running the checks ---------------------------------------------------------------------
def _short(text: str, width: int = _TEXT_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _run(exercise: _Exercise, namespace: Mapping[str, Any], references: _References,
         earlier: list[str]) -> SummaryRow:
    found, obj = _lookup(namespace, exercise)
    if not found:
        text = f"`{exercise.name}` is not defined: run its cell"
        return SummaryRow(exercise.id, exercise.name, _NOT_WRITTEN, text, 0.0, exercise.points,
                          f"✗ {exercise.id}: not written yet.")
    check = REGISTRY.get(exercise.id)
    if check is None:
        return SummaryRow(exercise.id, exercise.name, "wrong", "no check of this name", 0.0,
                          exercise.points, f"✗ {exercise.id}: no check of this name.")
    printed = io.StringIO()
    try:
        obj = references.rebind(obj, earlier, namespace)
        with contextlib.redirect_stdout(printed), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check(obj)
    except CheckFailed as failure:
        message = str(getattr(failure, "message", "") or "")
        if type(failure).__name__ == "NotWrittenYet" or message.startswith("not written yet"):
            return SummaryRow(exercise.id, exercise.name, _NOT_WRITTEN, "", 0.0,
                              exercise.points, str(failure))
        # the mistake's short name where the check named one (the grader records its id)
        mistake = getattr(failure, "mistake", None)
        text = short_name(mistake) if mistake else (failure.hint or message)
        return SummaryRow(exercise.id, exercise.name, "wrong", _short(text), 0.0,
                          exercise.points, str(failure))
    except KeyboardInterrupt:
        raise
    except BaseException as err:  # a check meeting something odd: reported, never raised
        text = f"the check stopped: {type(err).__name__}: {err}"
        return SummaryRow(exercise.id, exercise.name, "wrong", _short(text), 0.0,
                          exercise.points, f"✗ {exercise.id}: {text}")
    line = printed.getvalue().strip().splitlines()
    return SummaryRow(exercise.id, exercise.name, "right", "", exercise.points, exercise.points,
                      line[-1] if line else f"✓ {exercise.id} looks right.")


def _user_namespace(depth: int) -> dict[str, Any]:
    """IPython's user namespace; outside IPython, the globals ``depth`` frames up."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython and hasattr(ipython, "get_ipython") else None
    if shell is not None and hasattr(shell, "user_ns"):
        return shell.user_ns
    frame = sys._getframe(depth)  # a script: the caller's globals
    return frame.f_globals


def summary_rows(notebook: str | None = None,
                 namespace: Mapping[str, Any] | None = None) -> tuple[str | None, list[SummaryRow]]:
    """The notebook and a row per exercise (what :func:`summary` prints). May raise."""
    namespace = _user_namespace(2) if namespace is None else namespace
    notebook_file = _notebook_file(namespace)
    if notebook is None and notebook_file is not None:
        notebook = _declared(notebook_file)
    if notebook is None:
        notebook = _guess(namespace)
    if notebook is None:
        return None, []
    if notebook not in NOTEBOOKS:
        raise ValueError(f"no course notebook {notebook!r}; known: {', '.join(NOTEBOOKS)}")
    exercises = _exercises(notebook, notebook_file)
    references = _References(notebook)
    names = [e.name for e in exercises]
    return notebook, [_run(e, namespace, references, names[:i]) for i, e in enumerate(exercises)]


def _table(notebook: str, rows: list[SummaryRow]) -> str:
    marks = {"right": "✓", "wrong": "✗", _NOT_WRITTEN: "not written yet"}
    width = max([len("exercise"), *(len(r.exercise) for r in rows)])
    lines = [f"Self-check of {notebook}: what the grader will say about each exercise.", "",
             f"{'exercise':<{width}}  {'verdict':<15}  points  hint"]
    for r in rows:
        points = f"{r.points:g} / {r.max_points:g}"
        lines.append(f"{r.exercise:<{width}}  {marks[r.verdict]:<15}  {points:<6}  "
                     f"{r.text}".rstrip())
    total = sum(r.points for r in rows)
    most = sum(r.max_points for r in rows)
    right = sum(r.verdict == "right" for r in rows)
    todo = sum(r.verdict == _NOT_WRITTEN for r in rows)
    lines += ["", f"{right} of {len(rows)} exercises right: {total:g} / {most:g} points."]
    if todo:
        what = "its cell and run it" if todo == 1 else "their cells and run them"
        lines.append(f"{todo} not written yet: fill in {what}.")
    if right < len(rows) - todo:
        lines.append("For a ✗, run its check cell to read the whole hint.")
    lines.append("The grader runs each exercise cell on its own, with more trials.")
    lines.append("Save the notebook before you hand it in.")
    return "\n".join(lines)


def summary(notebook: str | None = None, namespace: Mapping[str, Any] | None = None) -> None:
    """Print every exercise's verdict for this notebook; never raises.

    ``notebook``: the course notebook, e.g. ``"01_neuron"``; found by itself when omitted.
    """
    try:
        namespace = _user_namespace(2) if namespace is None else namespace
        name, rows = summary_rows(notebook, namespace)
        if name is None:
            print("The self-check could not tell which notebook this is: name it, e.g. "
                  "check.summary(\"01_neuron\").")
            return
        print(_table(name, rows))
    except KeyboardInterrupt:
        raise
    except BaseException as err:  # never let the last cell of a notebook fail
        print(f"The self-check could not run ({type(err).__name__}: {err}). Your exercises' "
              "own check cells still say whether each one is right.")


def add_summary_cell(nb: dict[str, Any], notebook: str) -> dict[str, Any]:
    """Append the self-check (a markdown cell and ``check.summary("<notebook>")``) to a
    solution notebook, once: a notebook that has it is returned unchanged."""
    if any(_CELL_TAG in c.get("metadata", {}).get("tags", []) for c in nb["cells"]):
        return nb
    text = ("## Before you hand in\n\nThe cell below runs every exercise's check on what you "
            "have defined in this notebook and shows, in one table, what the grader will say: "
            "✓, ✗ with a short hint, or not written yet, and the points each is worth. Run the "
            "whole notebook first (Run All), then this cell.")
    nb["cells"].append({"cell_type": "markdown", "id": "self-check-intro",
                        "metadata": {"tags": [_CELL_TAG]},
                        "source": text.splitlines(keepends=True)})
    nb["cells"].append({"cell_type": "code", "execution_count": None, "id": "self-check",
                        "metadata": {"tags": [_CELL_TAG]}, "outputs": [],
                        "source": [f'check.summary("{notebook}")']})
    return nb
