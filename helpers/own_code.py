"""Your own classes from your earlier notebooks, for the finale of notebook 06.

``own_code.load()`` reads ``04_mlp.ipynb`` and ``05_sgd.ipynb`` from the folder you work in,
takes from them your ``Linear``, ``ReLU``, ``Sequential``, ``Adam`` and ``minibatches``
(definitions only: imports, ``def`` and ``class`` statements and constants; never a training
loop, a figure or a panel), checks each with its exercise's check, and uses the package's
reference version, with one line saying why, for each one that is missing or does not pass
its check yet. The exercise cells are found the way the grader finds them
(``helpers.grading.course``).

    kit = own_code.load(own={"SoftmaxCrossEntropy": SoftmaxCrossEntropy})
    model = own_code.mnist_model(kit, rng)          # float32 weights
    optimiser = kit.Adam(model, lr=0.003)
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import sys
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np

from helpers import check, conventions
from helpers.course import (
    Exercise,
    SubmissionError,
    exercise_source,
    light_statements,
    read_notebook,
)

__all__ = ["OWN", "OwnCode", "load", "mnist_model", "on_colab"]

# (notebook, exercise id, name it defines): what the finale of 06 runs on
OWN: tuple[tuple[str, str, str], ...] = (
    ("04_mlp", "linear", "Linear"),
    ("04_mlp", "relu_layer", "ReLU"),
    ("04_mlp", "sequential", "Sequential"),
    ("05_sgd", "adam", "Adam"),
    ("05_sgd", "minibatches", "minibatches"),
)
_CHECKS = {"SoftmaxCrossEntropy": "softmax_cross_entropy"}


def _references() -> dict[str, Any]:
    from helpers import data, losses, nn, optim

    return {"Linear": nn.Linear, "ReLU": nn.ReLU, "Sequential": nn.Sequential,
            "Adam": optim.Adam, "minibatches": data.minibatches,
            "SoftmaxCrossEntropy": losses.SoftmaxCrossEntropy}


def on_colab() -> bool:
    if "google.colab" in sys.modules:
        return True
    try:
        return importlib.util.find_spec("google.colab") is not None
    except (ImportError, ValueError):
        return False


class OwnCode(SimpleNamespace):
    """The classes to build with (attributes ``Linear``, ``ReLU``, ...), whose they are
    (``origin[name]``: ``"yours"`` or ``"reference"``) and the lines that say why."""

    def __init__(self) -> None:
        super().__init__(origin={}, lines=[])

    def mine(self) -> list[str]:
        return [name for name, who in self.origin.items() if who == "yours"]


def _find_notebook(folder: Path, stem: str) -> Path | None:
    exact = folder / f"{stem}.ipynb"
    if exact.is_file():
        return exact
    # a renamed copy ("04_mlp (1).ipynb", "04_mlp-Copy1.ipynb"): the newest one
    copies = sorted(folder.glob(f"{stem}*.ipynb"), key=lambda p: p.stat().st_mtime)
    return copies[-1] if copies else None


def _definitions(path: Path) -> tuple[dict[str, Any], dict[str, Any] | None, str | None]:
    """Run the definitions (never the work) of a notebook's code cells, in order.

    Returns the namespace, the notebook's JSON, and a reason when the file is unreadable.
    """
    try:
        nb = read_notebook(path.read_bytes())
    except (OSError, SubmissionError) as err:
        return {}, None, f"{path.name} cannot be read: {err}"
    namespace: dict[str, Any] = {"__name__": f"own_code_{path.stem}"}
    for index, cell in enumerate(nb["cells"]):
        if cell.get("cell_type") != "code" or conventions.SETUP in conventions.tags(cell):
            continue
        if conventions.nbgrader(cell).get("grade"):  # a check cell: nothing to define
            continue
        try:
            light = light_statements(conventions.source(cell))
        except Exception:  # noqa: BLE001 - a cell ast cannot unparse: skip it
            continue
        if not light:
            continue
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            try:
                exec(compile(light, f"<{path.name}, cell {index + 1}>", "exec"), namespace)  # noqa: S102
            except Exception:  # noqa: BLE001, S112 - the names it defines stay missing
                continue
    return namespace, nb, None


def _verdict(exercise_id: str, obj: Any) -> str | None:
    """None when ``check.<exercise_id>`` passes, else the whole first sentence of its
    verdict (never cut: it is the reason) and the check to run for the rest."""
    checker: Callable[[Any], None] = getattr(check, exercise_id)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            checker(obj)
        except check.NotWrittenYet:
            return "not written yet"
        except check.CheckFailed as failure:
            first = " ".join(str(failure.message).split("\n", 1)[0].split())
            said = f"check.{exercise_id} fails: {first}" if first else "its check fails"
            return (f"{said} (run check.{exercise_id} on it in its notebook for the hint and "
                    "the next steps)")
        except Exception as err:  # noqa: BLE001 - a check that could not run is a fail too
            return f"its check could not run ({type(err).__name__}: {err})"[:120]
    return None


def load(folder: str | Path = ".", own: Mapping[str, Any] | None = None,
         report: Callable[[str], None] | None = print) -> OwnCode:
    """Your ``Linear``, ``ReLU``, ``Sequential`` (04) and ``Adam``, ``minibatches`` (05) from
    the notebooks in ``folder``, each checked; the reference for each one that is missing or
    fails its check. ``own`` adds names of this notebook to check the same way, e.g.
    ``{"SoftmaxCrossEntropy": SoftmaxCrossEntropy}``. ``report`` gets one line per name
    (``None``: silent; the lines stay in ``.lines``).
    """
    folder = Path(folder)
    references = _references()
    kit = OwnCode()
    loaded: dict[str, tuple[dict[str, Any], dict[str, Any] | None, str | None, Path | None]] = {}
    absent: list[str] = []

    def say(line: str) -> None:
        kit.lines.append(line)
        if report is not None:  # wrapped, never cut: a reason must be read whole
            report(textwrap.fill(line, 92, subsequent_indent="    ", break_long_words=False))

    def use(name: str, obj: Any, who: str) -> None:
        setattr(kit, name, obj)
        kit.origin[name] = who

    for stem, exercise_id, name in OWN:
        if stem not in loaded:
            path = _find_notebook(folder, stem)
            loaded[stem] = (*_definitions(path), path) if path else ({}, None, None, None)
            if path is None:
                absent.append(stem)
        namespace, nb, unreadable, path = loaded[stem]
        if path is None:
            use(name, references[name], "reference")
            continue
        if unreadable:
            say(f"{name}: {unreadable}; using the reference {name}.")
            use(name, references[name], "reference")
            continue
        cell, notes = exercise_source(nb, Exercise(exercise_id, name, 0.0, -1))
        obj = namespace.get(name)
        if cell is None or obj is None:
            say(f"{name}: {path.name} has no definition of {name} that runs; using the "
                f"reference {name}.")
            use(name, references[name], "reference")
            continue
        problem = _verdict(exercise_id, obj)
        if problem:
            say(f"{name} from {path.name}: {problem}; using the reference {name}.")
            use(name, references[name], "reference")
        else:
            # the grader's notes on where the code was found are for the grader; here the
            # code passed, so say where it came from without alarm
            note = " (found in a cell without the exercise's marker; that is fine)" if notes else ""
            say(f"{name}: yours, from {path.name}, passes its check{note}.")
            use(name, obj, "yours")

    for name, obj in (own or {}).items():
        exercise_id = _CHECKS.get(name, name)
        problem = _verdict(exercise_id, obj) if hasattr(check, exercise_id) else None
        if problem and name in references:
            say(f"{name} from this notebook: {problem}; using the reference {name}.")
            use(name, references[name], "reference")
        else:
            say(f"{name}: yours, from this notebook, passes its check.")
            use(name, obj, "yours")

    if absent:
        names = ", ".join(n for s, _, n in OWN if s in absent)
        files = " and ".join(f"{s}.ipynb" for s in absent)
        if on_colab():
            say(f"On Colab each notebook lives apart: upload {files} (Files panel, left) or "
                f"mount your Drive and call own_code.load('/content/drive/MyDrive/<folder>'), "
                f"then run this cell again. Meanwhile: the reference {names}.")
        else:
            say(f"{files} not found in {folder.resolve()}; using the reference {names}. Put "
                f"your notebooks in one folder to run this network on your own code.")
    return kit


def mnist_model(kit: Any, rng: np.random.Generator, hidden: int = 128,
                dtype: type = np.float32) -> Any:
    """784 -> ``hidden`` ReLU -> 10 from ``kit``'s classes, weights and biases in ``dtype``
    (float32: half the memory of float64, and faster products with most BLAS libraries)."""
    layers = [kit.Linear(784, hidden, rng), kit.ReLU(), kit.Linear(hidden, 10, rng)]
    for layer in layers:
        for attr in ("W", "b"):
            if isinstance(getattr(layer, attr, None), np.ndarray):
                setattr(layer, attr, getattr(layer, attr).astype(dtype))
    return kit.Sequential(*layers)
