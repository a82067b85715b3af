"""What the grader reads: course notebooks (``solutions/``) and the students' notebooks.

Everything comes from the notebooks' metadata, so a new course notebook needs no code here:
an exercise is a code cell with nbgrader ``{"solution": true, "grade_id": <id>}``; its check
cell has ``{"grade": true, "grade_id": "check_<id>", "points": N}`` and calls
``check.<id>(<name>)``, which says which name the exercise defines.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import conventions
from .conventions import SETUP, SOLUTION_ONLY

__all__ = [
    "Course",
    "CourseError",
    "Exercise",
    "SubmissionError",
    "declared_notebook",
    "exercise_source",
    "light_statements",
    "load_course",
    "read_notebook",
    "read_submission",
]

_SKIPPED_TAGS = {SETUP, SOLUTION_ONLY}
# Top-level statements a course notebook's ordinary cells contribute to every exercise:
# imports and definitions, never work (training, figures, panels).
_LIGHT = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class CourseError(ValueError):
    """A course notebook the grader cannot use (a maintainer's problem, not a student's)."""


class SubmissionError(conventions.NotebookError):
    """A submitted file that is not a readable notebook; the message is for the student."""


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str  # what the exercise cell defines and the check cell passes to the check
    points: float
    cell: int  # index of its cell in the course notebook


@dataclass(frozen=True)
class Course:
    name: str  # "01_neuron"
    path: Path
    digest: str  # of the course notebook's bytes: a changed notebook re-grades everyone
    cells: tuple[dict[str, Any], ...]
    exercises: tuple[Exercise, ...]

    @property
    def max_points(self) -> float:
        return sum(e.points for e in self.exercises)

    def exercise(self, exercise_id: str) -> Exercise:
        return next(e for e in self.exercises if e.id == exercise_id)

    def program(self, exercise: Exercise) -> list[tuple[str, str]]:
        """(source, filename) of the trusted code that runs before an exercise's cell.

        The ordinary cells above it contribute their imports and definitions; the cells of
        the exercises above it their reference answers, so that a student's function may
        call an earlier exercise's name and get a right answer.
        """
        program = []
        for index, cell in enumerate(self.cells[: exercise.cell]):
            if cell["cell_type"] != "code" or _SKIPPED_TAGS & set(_tags(cell)):
                continue
            grade_id = _nbgrader(cell).get("grade_id")
            if _nbgrader(cell).get("solution"):
                program.append((_source(cell), f"<reference answer: {grade_id}>"))
            elif not _nbgrader(cell).get("grade"):
                light = light_statements(_source(cell))
                if light:
                    program.append((light, f"<course notebook, cell {index + 1}>"))
        return program

    def preload(self) -> tuple[str, ...]:
        """The modules the course notebook imports: the fork server imports them once."""
        modules = ["numpy"]
        for cell in self.cells:
            if cell["cell_type"] != "code" or _SKIPPED_TAGS & set(_tags(cell)):
                continue
            for node in _parse(_source(cell)):
                if isinstance(node, ast.Import):
                    modules += [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules.append(node.module)
                    modules += [f"{node.module}.{alias.name}" for alias in node.names]
        return tuple(dict.fromkeys(modules))


_source, _tags, _nbgrader = conventions.source, conventions.tags, conventions.nbgrader


def _parse(source: str) -> list[ast.stmt]:
    try:
        return ast.parse(source).body
    except SyntaxError:  # a cell with IPython magics: nothing the grader needs
        return []


def _is_light(node: ast.stmt) -> bool:
    if isinstance(node, _LIGHT):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        # a constant bound to a name; not `obj.attr = 1`, whose obj the grader never made
        if not all(isinstance(t, ast.Name) for t in targets):
            return False
        try:
            ast.literal_eval(node.value)
        except ValueError:
            return False
        return True
    return False


def light_statements(source: str) -> str:
    kept = [node for node in _parse(source) if _is_light(node)]
    return ast.unparse(ast.Module(body=kept, type_ignores=[])) if kept else ""


def _checked_name(source: str, exercise_id: str) -> str | None:
    """``name`` in a check cell's ``check.<id>(name)``."""
    for node in ast.walk(ast.Module(body=_parse(source), type_ignores=[])):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == exercise_id
            and node.args
            and isinstance(node.args[0], ast.Name)
        ):
            return node.args[0].id
    return None


def load_course(path: Path, *, schema: bool = False) -> Course:
    """The exercises, points and cells of a course notebook in ``solutions/``.

    ``schema``: also validate it with nbformat (the preflight does, once per run; the
    worker processes that reload it skip the seconds nbformat takes to import).
    """
    try:
        data = path.read_bytes()
        nb = conventions.loads(data, name=str(path), schema=schema)
    except (OSError, conventions.NotebookError) as err:
        raise CourseError(f"not a readable course notebook: {err}") from err
    cells = tuple(nb["cells"])
    exercise_cells = {
        _nbgrader(c).get("grade_id"): i for i, c in enumerate(cells) if _nbgrader(c).get("solution")
    }
    exercises = []
    for cell in cells:
        meta = _nbgrader(cell)
        grade_id = str(meta.get("grade_id", ""))
        if not (meta.get("grade") and grade_id.startswith("check_")):
            continue
        exercise_id = grade_id[len("check_") :]
        name = _checked_name(_source(cell), exercise_id)
        if exercise_id not in exercise_cells or name is None:
            raise CourseError(
                f"{path.name}: the check cell {grade_id} needs an exercise cell with grade_id "
                f"{exercise_id!r} before it and must call check.{exercise_id}(<name>)"
            )
        exercises.append(
            Exercise(exercise_id, name, float(meta.get("points", 1)), exercise_cells[exercise_id])
        )
    if not exercises:
        raise CourseError(f"{path.name}: no graded exercises (run helpers.authoring --annotate)")
    return Course(path.stem, path, hashlib.sha256(data).hexdigest(), cells, tuple(exercises))


def read_notebook(data: bytes) -> dict[str, Any]:
    """A submitted notebook's JSON, or SubmissionError saying what is wrong with the file
    (:func:`read_submission` without its notes)."""
    return read_submission(data)[0]


def read_submission(data: bytes) -> tuple[dict[str, Any], list[str]]:
    """A submitted notebook's JSON and notes for the student, or SubmissionError.

    Structure only (helpers.conventions): a file Jupyter opens is never refused for a
    detail of the notebook schema that grading does not read. Metadata the grader cannot
    read (a cell's ``nbgrader`` that is text, a ``workbook`` that is a number, tags that
    are not a list of text) is dropped from the copy graded, with a note; the cell itself
    is graded like any cell that lost its metadata.
    """
    name = "the notebook"
    try:
        return conventions.loads(data, name=name, schema=False), []
    except conventions.NotebookError as err:
        refused = SubmissionError(str(err).removeprefix(f"{name}: ").removeprefix(f"{name}, "))
        refused.__cause__ = err
    try:
        nb = json.loads(data)
        notes = _drop_unreadable_metadata(nb)
        if notes:  # the rest must now be what the course reads
            return conventions.loads(json.dumps(nb), name=name, schema=False), notes
    except (ValueError, RecursionError, conventions.NotebookError):
        pass
    raise refused


def _drop_unreadable_metadata(nb: Any) -> list[str]:
    """Remove the metadata the grader cannot read from ``nb``; a note for each."""
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return []
    notes = []
    nodes = [("your notebook's metadata", nb)]
    nodes += [(f"cell {i}'s metadata", c) for i, c in enumerate(nb["cells"], start=1)]
    for where, node in nodes:
        meta = node.get("metadata") if isinstance(node, dict) else None
        if not isinstance(meta, dict):
            continue
        for key, readable in _READABLE.items():
            if key in meta and not readable(meta[key]):
                value = meta.pop(key)
                notes.append(f"{where} has `{key}` as {_kind(value)}, which Jupyter keeps but "
                             "the grader cannot read: it was ignored, and the rest of your "
                             "notebook was graded.")
    return notes


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object of another shape"
    return {list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number")


_READABLE = {
    conventions.METADATA_KEY: lambda v: isinstance(v, dict)
    and all(isinstance(x, str) for x in v.values()),
    "nbgrader": lambda v: isinstance(v, dict) and isinstance(v.get("grade_id", ""), str),
    "tags": lambda v: isinstance(v, list) and all(isinstance(t, str) for t in v),
}


def declared_notebook(nb: dict[str, Any] | None, filename: str, known: list[str]) -> str | None:
    """Which course notebook a submission is: its metadata, else its file name."""
    declared = conventions.workbook(nb).get("notebook") if nb else None
    if isinstance(declared, str) and declared:
        return declared
    for name in known:
        if name in filename:
            return name
    number = re.match(r"^(\d\d)[_ -]", Path(filename).name)
    matches = [name for name in known if number and name.startswith(number.group(1) + "_")]
    return matches[0] if len(matches) == 1 else None


def _defines(source: str, name: str) -> bool:
    for node in _parse(source):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                return True
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                return True
    return False


def exercise_source(nb: dict[str, Any], exercise: Exercise) -> tuple[str | None, list[str]]:
    """The source of a submission's cell for ``exercise``, and notes for the student.

    The cell is the one with the exercise's grade_id; if there are several (a copied cell),
    the last one, as running the notebook top to bottom would leave it. A cell that lost
    its metadata is found by the name it defines.
    """
    code = [c for c in nb["cells"] if c.get("cell_type") == "code"]
    tagged = [c for c in code if _nbgrader(c).get("solution")
              and _nbgrader(c).get("grade_id") == exercise.id]
    if len(tagged) > 1:
        return _source(tagged[-1]), [
            f"{exercise.id}: your notebook has {len(tagged)} cells for this exercise; "
            "the last one was graded."
        ]
    if tagged:
        return _source(tagged[0]), []
    untagged = [c for c in code if not _nbgrader(c) and _defines(_source(c), exercise.name)]
    if untagged:
        return _source(untagged[-1]), [
            f"{exercise.id}: the exercise's own cell is missing; the last cell that defines "
            f"`{exercise.name}` was graded instead."
        ]
    return None, []
