"""Every solution notebook's nbgrader metadata, and every student notebook run unfilled."""

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers import conventions
from helpers.conventions import BEGIN, SOLUTION_ONLY, check_calls, nbgrader, source, tags

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
STUDENTS = sorted((ROOT / "notebooks").glob("*.ipynb"))
NBGRADER_KEYS = {"grade": bool, "grade_id": str, "locked": bool, "schema_version": int,
                 "solution": bool}


def cells(path):
    """The cells of a notebook, read and validated (nbformat's schema) as the course reads it."""
    return conventions.read(path)["cells"]


@pytest.mark.parametrize("path", SOLUTIONS + STUDENTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_notebook_is_valid_for_nbformat_and_the_course(path):
    assert cells(path)


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_nbgrader_metadata_is_complete_and_consistent(path):
    seen = set()
    for index, cell in enumerate(cells(path), start=1):
        meta = nbgrader(cell) or None
        has_region = BEGIN in source(cell)
        calls = check_calls(source(cell)) if cell["cell_type"] == "code" else []
        is_check = calls and SOLUTION_ONLY not in tags(cell)
        if not (has_region or is_check):
            assert meta is None, f"cell {index}: nbgrader metadata on an ordinary cell"
            continue
        where = f"{path.name}, cell {index}"
        assert meta is not None, f"{where}: exercise or check cell without nbgrader metadata"
        for key, kind in NBGRADER_KEYS.items():
            message = f"{where}: nbgrader.{key} must be {kind.__name__}"
            assert isinstance(meta.get(key), kind), message
        assert meta["schema_version"] == 3
        assert meta["grade_id"].isidentifier(), f"{where}: grade_id {meta['grade_id']!r}"
        assert meta["grade_id"] not in seen, f"{where}: grade_id {meta['grade_id']!r} repeated"
        seen.add(meta["grade_id"])
        if has_region:
            assert meta["solution"] and not meta["grade"]
        else:
            assert meta["grade"] and meta["locked"] and not meta["solution"]
            assert meta["grade_id"] == f"check_{calls[0]}"
            assert isinstance(meta.get("points"), (int, float)) and meta["points"] > 0


def first_exercise(path):
    """The grade_id of the first exercise cell of a notebook."""
    for cell in cells(path):
        if nbgrader(cell).get("solution"):
            return nbgrader(cell)["grade_id"]
    return None


@pytest.mark.parametrize("path", STUDENTS, ids=lambda p: p.name)
def test_unfilled_student_notebook_stops_at_first_exercise_saying_not_written_yet(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with pytest.raises(CellExecutionError) as info:
        client.execute()
    exercise = first_exercise(path)
    failed = [c for c in nb.cells if c.cell_type == "code" and any(
        o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert len(failed) == 1
    error = next(o for o in failed[0].outputs if o.output_type == "error")
    shown = "\n".join(error.traceback)
    assert f"✗ {exercise}: not written yet." in shown, shown
    assert "Traceback" not in shown and "NameError" not in shown
    # it stopped at the first exercise: the check cell (or the exercise cell itself)
    grade_id = failed[0].metadata.get("nbgrader", {}).get("grade_id")
    assert grade_id in (exercise, f"check_{exercise}"), grade_id
    assert "not written yet" in str(info.value)


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_every_cell_has_its_own_id(folder):
    """nbformat 4.5 wants an id on every cell (a missing one is a warning today, an error
    later); ids are unique within a notebook."""
    for path in sorted((ROOT / folder).glob("*.ipynb")):
        ids = [cell.get("id") for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]]
        assert None not in ids, f"{path.name}: cell {ids.index(None)} has no id"
        assert len(ids) == len(set(ids)), f"{path.name}: repeated cell ids"
