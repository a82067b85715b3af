"""Gradebooks a learning platform imports: ``--export canvas`` and ``--export moodle``.

Each is a CSV with one row per student and one column for the notebook's total score,
written next to the plain ``gradebook.csv`` as ``canvas.csv`` or ``moodle.csv``.

Canvas (Grades > Import, "Import grades from a CSV file"): the columns are those of
Canvas's own gradebook export, ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``,
``Section``, then one column per assignment named ``<assignment name> (<assignment id>)``;
the row under the header is ``Points Possible``. Canvas matches a row to a student by
``ID``, ``SIS User ID`` or ``SIS Login ID`` (the name alone is not enough), and a column
whose name matches no assignment becomes a new assignment. Sources: Ohio State's
CarmenCanvas guide "Import a CSV file into Carmen Grades"
(https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades):
student name OR Student ID OR SIS User ID, SIS Login ID, Section, assignment name;
and the nemogb notes on Canvas's grades.csv
(https://nemogb-dev.github.io/nemogb-r/articles/detailed-canvas-export-info.html):
assignment columns "Quiz 1 (87568490)", the number being Canvas's assignment id.
Give the gradebook Canvas exported as ``roster``, and every student graded here gets the
ID, SIS ids and section of the row whose ID, SIS User ID, SIS Login ID or name is theirs.

Moodle (Grades > Import > CSV file): any CSV with a header row; in the preview the
instructor maps one column to the user ("Map from" the column, "Map to" ``useremail``,
``useridnumber`` or ``username``) and each other column to a grade item (or a new one).
Sources: MoodleDocs "Grade import" (https://docs.moodle.org/311/en/Grade_import: "Change
both dropdowns to: Email Address to useremail, or to Id Number to useridnumber") and
Moodle's ``grade/import/csv/classes/load_data.php`` (the mappings ``userid``,
``useridnumber``, ``useremail``, ``username``). The identifier column is named as in
Moodle's own export ("Email address", "ID number") or "Username"; with a ``roster`` (a
grade export from Moodle, with "Email address" and "ID number"), a student graded here
is found by email, the part of the email before the @, ID number or "First Last" name.

A student whose notebook the grader could not grade (its own trouble, status "grader
error") gets an empty cell, never a 0: both platforms leave an empty cell's grade as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["PLATFORMS", "Export", "add_export_arguments", "by_name", "canvas_csv", "export_options",
           "moodle_csv", "read_roster",
           "scores_from_results", "write_export"]

PLATFORMS = ("canvas", "moodle")


def by_name(name: str) -> tuple[str, str]:
    """The order students are listed in: alphabetical whatever the case (ann, Bob, carl),
    then by case, so the order is the same on every run."""
    return name.casefold(), name

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
MOODLE_IDENTIFIERS = {"username": "Username", "email": "Email address", "idnumber": "ID number"}


@dataclass
class Export:
    """A platform's CSV text, and the students the roster did not list (by name)."""

    text: str
    unmatched: list[str] = field(default_factory=list)


def _cell(text: str) -> str:
    """A text cell a spreadsheet shows as text, never runs as a formula."""
    text = str(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(score: float | None) -> str:
    return "" if score is None else f"{score:g}"


def scores_from_results(data: Mapping[str, Any]) -> tuple[dict[str, float | None], float]:
    """Each student's total score in a ``results.json`` (None where the grader failed) and
    the points possible. Assumes branch a's format: ``students: {name: {"score",
    "max_score", "status", "exercises"}}``."""
    scores: dict[str, float | None] = {}
    possible = 0.0
    for student, entry in sorted(data.get("students", {}).items()):
        if not isinstance(entry, dict):
            continue
        exercises = entry.get("exercises", {})
        trouble = entry.get("status") == "grader error" or any(
            isinstance(r, dict) and r.get("status") == "error" for r in exercises.values())
        score = entry.get("score")
        if score is None:
            score = sum(float(r.get("points", 0)) for r in exercises.values())
        scores[str(student)] = None if trouble else float(score)
        possible = max(possible, float(entry.get("max_score") or 0.0))
    return scores, possible


def read_roster(path: Path) -> list[dict[str, str]]:
    """The rows of a platform's gradebook export (a CSV with a header row)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as err:
        raise ValueError(f"the roster {path} could not be read ({err.strerror}).") from err
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise ValueError(f"the roster {path} has no rows under its header.")
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in rows]


def _match(student: str, roster: Iterable[dict[str, str]], keys: Iterable) -> dict | None:
    wanted = student.strip().lower()
    for row in roster:
        for key in keys:
            value = key(row) if callable(key) else row.get(key, "")
            if value and value.strip().lower() == wanted:
                return row
    return None


def canvas_csv(scores: Mapping[str, float | None], *, assignment: str, points_possible: float,
               assignment_id: str | int | None = None,
               roster: list[dict[str, str]] | None = None) -> Export:
    """Canvas's grade-import CSV for one assignment (a notebook's total)."""
    if not assignment:
        raise ValueError("canvas_csv needs the assignment's name (e.g. the notebook, 01_neuron).")
    column = f"{assignment} ({assignment_id})" if assignment_id not in (None, "") else assignment
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CANVAS_COLUMNS, column])
    writer.writerow(["Points Possible", "", "", "", "", _number(points_possible)])
    unmatched = []
    rows = []
    for student, score in sorted(scores.items()):
        row = None
        if roster is not None:
            row = _match(student, roster, ("SIS Login ID", "SIS User ID", "ID", "Student"))
            if row is None:
                unmatched.append(student)
        if row is not None:
            ids = [row.get(c, "") for c in CANVAS_COLUMNS]
        else:  # the folder name is usually the login: Canvas matches it as SIS Login ID
            ids = [student, "", "", student, ""]
        rows.append([*map(_cell, ids), _number(score)])
    for row in sorted(rows, key=lambda row: (by_name(row[0]), row)):
        writer.writerow(row)
    return Export(buffer.getvalue(), unmatched)


def _moodle_name(row: dict[str, str]) -> str:
    first = row.get("First name", "")
    last = row.get("Last name", "") or row.get("Surname", "")
    return f"{first} {last}".strip()


def moodle_csv(scores: Mapping[str, float | None], *, grade_item: str,
               identifier: str = "username",
               roster: list[dict[str, str]] | None = None) -> Export:
    """Moodle's grade-import CSV: the identifier column, then the grade item's column."""
    if identifier not in MOODLE_IDENTIFIERS:
        raise ValueError(f"the Moodle identifier must be one of {', '.join(MOODLE_IDENTIFIERS)};"
                         f" got {identifier!r}.")
    if not grade_item:
        raise ValueError("moodle_csv needs the grade item's name (e.g. the notebook, 01_neuron).")
    header = MOODLE_IDENTIFIERS[identifier]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([header, grade_item])
    unmatched, rows = [], []
    for student, score in sorted(scores.items()):
        value = student
        if roster is not None:
            row = _match(student, roster, (
                "Email address", lambda r: r.get("Email address", "").split("@")[0],
                "ID number", "Username", _moodle_name))
            if row is None:
                unmatched.append(student)
            elif identifier == "username":
                value = row.get("Username") or row.get("Email address", "").split("@")[0]
            else:
                value = row.get(header, "") or student
        rows.append([_cell(value), _number(score)])
    for row in sorted(rows, key=lambda row: (by_name(row[0]), row)):
        writer.writerow(row)
    return Export(buffer.getvalue(), unmatched)


def write_export(platform: str, data: Mapping[str, Any], folder: Path, *,
                 roster: Path | None = None, assignment: str | None = None,
                 assignment_id: str | None = None, identifier: str = "username") -> tuple[Path,
                                                                                         Export]:
    """Write ``<folder>/<platform>.csv`` from a results.json's data; returns its path and
    the export (whose ``unmatched`` the caller reports)."""
    if platform not in PLATFORMS:
        raise ValueError(f"--export takes {' or '.join(PLATFORMS)}; got {platform!r}.")
    scores, possible = scores_from_results(data)
    name = assignment or str(data.get("notebook", "")) or "notebook"
    rows = read_roster(roster) if roster is not None else None
    if platform == "canvas":
        export = canvas_csv(scores, assignment=name, points_possible=possible,
                            assignment_id=assignment_id, roster=rows)
    else:
        export = moodle_csv(scores, grade_item=name, identifier=identifier, roster=rows)
    path = Path(folder) / f"{platform}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(export.text, encoding="utf-8", newline="")
    tmp.replace(path)
    return path, export


def add_export_arguments(parser: Any) -> None:
    """The command line's export options (``cli.py`` calls this on its parser)."""
    parser.add_argument("--export", action="append", choices=PLATFORMS, default=[],
                        help="also write a gradebook this platform imports: canvas.csv or "
                        "moodle.csv next to gradebook.csv (may be given twice)")
    parser.add_argument("--roster", type=Path,
                        help="the platform's own gradebook export (CSV), to match students to "
                        "their Canvas IDs or Moodle email / ID number")
    parser.add_argument("--canvas-assignment-id", metavar="ID",
                        help="the Canvas assignment's id, so the column updates that assignment "
                        "(without it Canvas creates a new one named after the notebook)")
    parser.add_argument("--moodle-identifier", choices=list(MOODLE_IDENTIFIERS),
                        default="username", help="how Moodle finds the student (default: "
                        "username; map it to the same field in Moodle's import preview)")


def export_options(args: Any) -> dict[str, Any]:
    """The keyword arguments for :func:`helpers.grading.report.write_outputs` from the
    parsed command line."""
    return {"export": tuple(dict.fromkeys(args.export)), "roster": args.roster,
            "assignment_id": args.canvas_assignment_id, "identifier": args.moodle_identifier}
