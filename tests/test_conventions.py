"""helpers.conventions: reading notebooks the one way the generator, the grader and the
tests share, with one clear error for files that parse but are not notebooks we can read."""

import json
from pathlib import Path

import nbformat
import pytest

from helpers import authoring, conventions
from helpers.grading import course as courses
from helpers.grading.batch import grade_class

ROOT = Path(__file__).resolve().parents[1]


def notebook(**changes):
    """A small valid notebook: one code cell with nbgrader metadata, one markdown cell."""
    code = nbformat.v4.new_code_cell("def f(x):\n    return x")
    code.metadata["nbgrader"] = {"grade_id": "f", "solution": True}
    code.metadata["tags"] = ["exercise"]
    nb = json.loads(nbformat.writes(nbformat.v4.new_notebook(
        cells=[code, nbformat.v4.new_markdown_cell("# Title")])))
    nb["metadata"]["workbook"] = {"notebook": "01_neuron"}
    for path, value in changes.items():
        *parents, last = path.split("__")
        target = nb
        for key in parents:
            target = target[int(key)] if isinstance(target, list) else target[key]
        target[int(last) if isinstance(target, list) else last] = value
    return nb


# (what the file holds, a fragment of the message)
MALFORMED = {
    "workbook_metadata_a_string": (notebook(metadata__workbook="01_neuron"),
                                   "metadata.workbook is text, not an object"),
    "workbook_notebook_a_number": (notebook(metadata__workbook={"notebook": 1}),
                                   "metadata.workbook.notebook is a number, not text"),
    "source_a_list_of_numbers": (notebook(cells__0__source=[1, 2, 3]),
                                 "cell 1: its source is not text"),
    "source_a_number": (notebook(cells__1__source=7), "cell 2: its source is not text"),
    "cells_not_a_list": (notebook(cells={"0": {}}), "not a Jupyter notebook (it has no cells)"),
    "a_cell_not_an_object": (notebook(cells__1="# Title"), "cell 2: the cell is text"),
    "unknown_cell_type": (notebook(cells__1__cell_type="heading"), "unknown cell_type 'heading'"),
    "cell_metadata_a_list": (notebook(cells__0__metadata=[]), "cell 1: its metadata is a list"),
    "tags_a_string": (notebook(cells__0__metadata__tags="setup"), "its tags are not a list"),
    "nbgrader_a_list": (notebook(cells__0__metadata__nbgrader=["f"]),
                        "its nbgrader metadata is a list"),
    "grade_id_a_number": (notebook(cells__0__metadata__nbgrader={"grade_id": 3}),
                          "grade_id is not text"),
    "cell_workbook_a_string": (notebook(cells__1__metadata__workbook="badge"),
                               "cell 2: metadata.workbook is text"),
    "notebook_metadata_a_list": (notebook(metadata=[]), "its metadata is a list"),
    "top_level_a_list": ([1, 2], "not a Jupyter notebook"),
    "not_json": ('{"cells": [', "not valid notebook JSON (line 1"),
    "not_text": (b"\xff\xfe\x00", "not a text file"),
}


def as_bytes(content) -> bytes:
    if isinstance(content, bytes):
        return content
    return (content if isinstance(content, str) else json.dumps(content)).encode()


# Metadata the grader cannot read, in a notebook Jupyter opens: the grader drops it from the
# copy it grades, with a note, and grades the rest (issue 27); the course's reader refuses it.
METADATA_ONLY = ("workbook_metadata_a_string", "workbook_notebook_a_number", "tags_a_string",
                 "nbgrader_a_list", "grade_id_a_number", "cell_workbook_a_string")


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_notebook_raises_one_clear_error(case):
    content, fragment = MALFORMED[case]
    for schema in (False, True):
        with pytest.raises(conventions.NotebookError) as info:
            conventions.loads(as_bytes(content), name="alice.ipynb", schema=schema)
        assert fragment in str(info.value) and str(info.value).startswith("alice.ipynb")
    if case in METADATA_ONLY:
        nb, notes = courses.read_submission(as_bytes(content))  # the grader's reading of it
        assert notes and isinstance(nb["cells"], list), notes
        return
    with pytest.raises(courses.SubmissionError) as info:  # the grader's reading of it
        courses.read_notebook(as_bytes(content))
    assert fragment in str(info.value) and "the notebook" not in str(info.value)


def test_a_valid_notebook_reads_back_unchanged():
    nb = notebook()
    assert conventions.loads(json.dumps(nb)) == nb
    assert conventions.workbook(nb) == {"notebook": "01_neuron"}
    cell = nb["cells"][0]
    assert conventions.nbgrader(cell)["grade_id"] == "f"
    assert conventions.tags(cell) == ["exercise"]
    assert conventions.source({"source": ["a\n", "b"]}) == "a\nb"


def test_the_schema_is_checked_for_course_notebooks_not_for_submissions():
    nb = notebook()
    del nb["cells"][0]["outputs"]  # nbformat requires it; grading never reads it
    with pytest.raises(conventions.NotebookError, match="not a valid Jupyter notebook"):
        conventions.loads(json.dumps(nb), name="01_neuron.ipynb")
    assert courses.read_notebook(json.dumps(nb).encode())["cells"]


def test_check_calls_find_the_exercise_ids():
    assert conventions.check_calls("check.sigmoid(sigmoid)\n  check.value (Value)") == [
        "sigmoid", "value"]
    assert conventions.check_calls("x = check.sigmoid\n# check.tanh(tanh)") == []


def test_the_generator_refuses_a_malformed_solution_notebook(tmp_path):
    path = tmp_path / "01_neuron.ipynb"
    path.write_text(json.dumps(notebook(cells__0__source=[1, 2])), encoding="utf-8")
    with pytest.raises(authoring.AuthoringError, match="cell 1: its source is not text"):
        authoring.load(path)


def test_the_grader_marks_malformed_submissions_unreadable_and_goes_on(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for case in ("workbook_metadata_a_string", "source_a_list_of_numbers", "tags_a_string"):
        (folder / f"{case}.ipynb").write_bytes(as_bytes(MALFORMED[case][0]))
    results = grade_class([folder], tmp_path / "grades", notebook="01_neuron",
                          solutions=ROOT / "solutions", jobs=1, log=lambda _: None)["students"]
    entry = results["source_a_list_of_numbers"]  # Jupyter would not open it either
    assert entry["status"] == "unreadable" and entry["score"] == 0, entry
    assert MALFORMED["source_a_list_of_numbers"][1] in " ".join(entry["problem"].split())
    for case in ("workbook_metadata_a_string", "tags_a_string"):  # only metadata: graded
        assert results[case]["status"] == "graded", results[case]
