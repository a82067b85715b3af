"""The course's notebook conventions, in one place.

Read by the student-notebook generator (:mod:`helpers.authoring`), the grader
(:mod:`helpers.grading.course`) and the tests, so that all three agree on:

- how a notebook file is read and what makes it unreadable (:func:`read`, :func:`loads`,
  :class:`NotebookError`);
- the solution markers (:data:`BEGIN`, :data:`END`) and the cell tags (:data:`SETUP`,
  :data:`SOLUTION_ONLY`);
- the metadata: nbgrader's schema-3 keys under ``nbgrader`` (:func:`nbgrader`), ours under
  :data:`METADATA_KEY` (:func:`workbook`), never inside nbgrader's;
- the check-cell pattern ``check.<id>(...)`` (:data:`CHECK_CALL`, :func:`check_calls`).

Reading is strict about structure and lenient about the rest: a file that parses as JSON
but would break the code that reads it (a cell source that is a list of numbers,
``metadata.workbook`` a string, tags that are not a list of strings, ...) raises
:class:`NotebookError`, whose message says what is wrong and where. Course notebooks are
also validated against Jupyter's notebook schema with nbformat (when it is installed: it
comes with Jupyter, and the package does not depend on it); a student's notebook is not,
so that a file Jupyter opens is never refused for a detail the grader does not read.
"""

from __future__ import annotations

import copy
import json
import re
import warnings
from pathlib import Path
from typing import Any

__all__ = [
    "BEGIN",
    "CHECK_CALL",
    "NOT_EXERCISES",
    "END",
    "METADATA_KEY",
    "SETUP",
    "SOLUTION_ONLY",
    "NotebookError",
    "check_calls",
    "loads",
    "nbgrader",
    "read",
    "source",
    "tags",
    "workbook",
]

BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
SOLUTION_ONLY, SETUP = "solution-only", "setup"
#: Our own metadata namespace, in a notebook's and a cell's metadata; nbgrader's stays nbgrader's.
METADATA_KEY = "workbook"
#: A check cell's call, ``check.<id>(``, at the start of a line; group 1 is the exercise id.
CHECK_CALL = re.compile(r"^\s*check\.([a-z_][a-z0-9_]*)\s*\(", re.MULTILINE)
#: Functions of ``helpers.check`` that are not an exercise's check.
NOT_EXERCISES = frozenset({"hint", "summary"})
CELL_TYPES = ("code", "markdown", "raw")


class NotebookError(ValueError):
    """A file that is not a notebook the course can read; the message says what and where."""


def read(path: str | Path, *, schema: bool = True) -> dict[str, Any]:
    """The notebook at ``path`` as a plain dict (exactly its JSON), checked by :func:`loads`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise NotebookError(f"{path.name}: cannot be read ({err.strerror or err})") from err
    return loads(data, name=path.name, schema=schema)


def loads(data: bytes | str, *, name: str = "the notebook", schema: bool = True) -> dict[str, Any]:
    """Parse and check a notebook's JSON; :class:`NotebookError` says what is wrong.

    ``schema``: also validate against Jupyter's notebook schema (with nbformat, if
    installed). The dict returned is the file's JSON unchanged, so writing it back with the
    same formatting changes nothing.
    """
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as err:
        raise NotebookError(f"{name}: the file is not a text file, so not a notebook.") from err
    try:
        nb = json.loads(text)
    except json.JSONDecodeError as err:
        raise NotebookError(
            f"{name}: the file is not valid notebook JSON (line {err.lineno}, column "
            f"{err.colno}: {err.msg})."
        ) from err
    except RecursionError as err:
        raise NotebookError(f"{name}: the file's JSON is nested too deeply.") from err
    _check_structure(nb, name)
    if schema:
        _check_schema(nb, name)
    return nb


def _fail(name: str, where: str, what: str) -> NotebookError:
    return NotebookError(f"{name}, {where}: {what}" if where else f"{name}: {what}")


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false",
            type(None): "null"}.get(type(value), "a number")


def _check_structure(nb: Any, name: str) -> None:
    """What the course's code relies on; every violation is one clear NotebookError."""
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise _fail(name, "", "the file is JSON but not a Jupyter notebook (it has no cells).")
    meta = nb.get("metadata", {})
    if not isinstance(meta, dict):
        raise _fail(name, "", f"its metadata is {_kind(meta)}, not an object.")
    _check_namespace(meta, name, "")
    for index, cell in enumerate(nb["cells"], start=1):
        where = f"cell {index}"
        if not isinstance(cell, dict):
            raise _fail(name, where, f"the cell is {_kind(cell)}, not an object.")
        if cell.get("cell_type") not in CELL_TYPES:
            raise _fail(name, where, f"unknown cell_type {cell.get('cell_type')!r}.")
        src = cell.get("source", "")
        if not (isinstance(src, str) or (isinstance(src, list)
                                         and all(isinstance(line, str) for line in src))):
            raise _fail(name, where, "its source is not text (Jupyter stores text or a list "
                        "of lines).")
        cell_meta = cell.get("metadata", {})
        if not isinstance(cell_meta, dict):
            raise _fail(name, where, f"its metadata is {_kind(cell_meta)}, not an object.")
        cell_tags = cell_meta.get("tags", [])
        if not (isinstance(cell_tags, list) and all(isinstance(t, str) for t in cell_tags)):
            raise _fail(name, where, "its tags are not a list of text.")
        grader = cell_meta.get("nbgrader", {})
        if not isinstance(grader, dict):
            raise _fail(name, where, f"its nbgrader metadata is {_kind(grader)}, not an object.")
        if not isinstance(grader.get("grade_id", ""), str):
            raise _fail(name, where, "its nbgrader grade_id is not text.")
        _check_namespace(cell_meta, name, where)


def _check_namespace(meta: dict, name: str, where: str) -> None:
    ours = meta.get(METADATA_KEY, {})
    if not isinstance(ours, dict):
        raise _fail(name, where, f"metadata.{METADATA_KEY} is {_kind(ours)}, not an object.")
    for key, value in ours.items():
        if not isinstance(value, str):
            raise _fail(name, where, f"metadata.{METADATA_KEY}.{key} is {_kind(value)}, not text.")


def _check_schema(nb: dict, name: str) -> None:
    try:
        import nbformat
        from nbformat import ValidationError
    except ImportError:  # not a dependency of the package; Jupyter brings it
        return
    try:
        with warnings.catch_warnings():  # a missing cell id: Jupyter adds it on saving
            warnings.simplefilter("ignore")
            nbformat.validate(copy.deepcopy(nb))  # it may repair in place: keep ours unchanged
    except ValidationError as err:
        first = str(err).strip().splitlines()[0]
        raise _fail(name, "", f"not a valid Jupyter notebook ({first}).") from err


def source(cell: dict[str, Any]) -> str:
    """A cell's source as one string (Jupyter stores text or a list of lines)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def tags(cell: dict[str, Any]) -> list[str]:
    found = cell.get("metadata", {}).get("tags", [])
    return found if isinstance(found, list) else []


def nbgrader(cell: dict[str, Any]) -> dict[str, Any]:
    """A cell's nbgrader metadata, ``{}`` if none."""
    meta = cell.get("metadata", {})
    found = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
    return found if isinstance(found, dict) else {}


def workbook(node: dict[str, Any]) -> dict[str, Any]:
    """Our metadata namespace of a notebook or a cell, ``{}`` if none."""
    meta = node.get("metadata", {})
    found = meta.get(METADATA_KEY, {}) if isinstance(meta, dict) else {}
    return found if isinstance(found, dict) else {}


def check_calls(code: str) -> list[str]:
    """The exercise ids of the ``check.<id>(...)`` calls in a cell's source (not the check
    API's own functions: ``check.hint`` and the self-check ``check.summary``)."""
    return [name for name in CHECK_CALL.findall(code) if name not in NOT_EXERCISES]
