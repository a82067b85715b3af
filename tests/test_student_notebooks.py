"""Every student notebook's prose introduces only cells that are there.

The generator drops cells tagged ``solution-only``; a markdown lead-in to such a cell
("Here is what the check says:") must go with it, or the cell must be shown to students.
This test fails on a student notebook whose markdown introduces a missing cell: a markdown
cell ending with ':' followed by another markdown cell or by nothing; one that ends with ':'
and, in the solution notebook, is followed by a dropped (``solution-only``) cell; or one
that speaks of a cell "not in your notebook" / "only in the instructor's version".
"""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STUDENTS = sorted((ROOT / "notebooks").glob("*.ipynb"))

MISSING_CELL_WORDS = re.compile(
    r"not in your notebook|instructor'?s version|only in the solution", re.IGNORECASE
)


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _prose(markdown):
    """The markdown without LaTeX display blocks and trailing whitespace."""
    return re.sub(r"\$\$.*?\$\$", "", markdown, flags=re.DOTALL).rstrip()


def _dropped_next(solution_cells):
    """Ids of the solution's cells that are directly followed by a ``solution-only`` cell."""
    return {
        cell.get("id")
        for cell, following in zip(solution_cells, solution_cells[1:], strict=False)
        if "solution-only" in following.get("metadata", {}).get("tags", [])
    }


def dangling_lead_ins(cells, solution_cells=()):
    """(index, last words) of every markdown cell that introduces a cell which is not there.

    ``cells`` are a student notebook's, ``solution_cells`` those of its solution notebook
    (cells keep their ids in the student version). ``index`` counts cells from 0.
    """
    before_dropped = _dropped_next(list(solution_cells))
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        text = _source(cell)
        following = cells[index + 1] if index + 1 < len(cells) else None
        introduces = _prose(text).endswith(":")
        gone = following is None or following["cell_type"] != "code"
        if introduces and (gone or cell.get("id") in before_dropped):
            found.append((index, text.strip()[-80:]))
        elif MISSING_CELL_WORDS.search(text):
            found.append((index, MISSING_CELL_WORDS.search(text).group(0)))
    return found


def _cells(*kinds_and_texts):
    return [{"cell_type": kind, "source": text} for kind, text in kinds_and_texts]


def test_the_rule_catches_a_lead_in_to_a_dropped_cell():
    lead_in = "Here is what the check says:"
    assert dangling_lead_ins(_cells(("markdown", lead_in), ("markdown", "## Next"))) == [
        (0, lead_in)
    ]
    assert dangling_lead_ins(_cells(("code", "x = 1"), ("markdown", "Watch this:\n"))) == [
        (1, "Watch this:")
    ]
    assert dangling_lead_ins(_cells(("markdown", "A slip (this cell is not in your notebook)."),
                                    ("code", "x = 1")))
    assert dangling_lead_ins(_cells(("markdown", "Only in the instructor's version."),
                                    ("code", "x = 1")))


def test_the_rule_catches_a_lead_in_whose_code_cell_was_dropped_before_another():
    solution = [{"cell_type": "markdown", "id": "a", "source": "The check names it:"},
                {"cell_type": "code", "id": "b", "source": "x",
                 "metadata": {"tags": ["solution-only"]}},
                {"cell_type": "code", "id": "c", "source": "y", "metadata": {}}]
    student = [solution[0], solution[2]]
    assert dangling_lead_ins(student, solution) == [(0, "The check names it:")]
    assert dangling_lead_ins(student) == []  # without the solution it cannot tell


def test_the_rule_lets_a_lead_in_to_a_present_cell_through():
    assert dangling_lead_ins(_cells(("markdown", "Here are 100 movies:"), ("code", "x = 1"))) == []
    assert dangling_lead_ins(_cells(("markdown", "It is:\n\n$$a = b:$$\n\nso on."),
                                    ("markdown", "More."))) == []
    assert dangling_lead_ins(_cells(("markdown", "Two ideas:\n\n- one\n- two"),
                                    ("markdown", "More."))) == []


def test_there_are_six_student_notebooks():
    assert len(STUDENTS) == 6, [p.name for p in STUDENTS]


@pytest.mark.parametrize(
    "path",
    STUDENTS,
    ids=lambda p: p.name,
)
def test_no_markdown_introduces_a_missing_cell(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    solution = json.loads((ROOT / "solutions" / path.name).read_text(encoding="utf-8"))["cells"]
    found = dangling_lead_ins(cells, solution)
    assert not found, (
        f"{path.name}: markdown introduces a cell that is not in the student notebook "
        f"(cell index, text): {found}. Show the demonstration to students or drop the lead-in "
        "with it."
    )
