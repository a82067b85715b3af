"""The batch grader: real notebooks, and a class of hostile fixture submissions.

The fixtures are built here from a three-exercise course notebook that uses the real
notebook-01 checks (affine, sigmoid, neuron); each hostile submission breaks `sigmoid` in
one way, so its expected score is 2 of 3 with a reason for sigmoid.
"""

import copy
import hashlib
import json
import pickle
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from helpers import authoring
from helpers.grading import cli, confine, mirror, wire
from helpers.grading.batch import GradingError, grade_class
from helpers.grading.judge import Limits

ROOT = Path(__file__).resolve().parents[1]
LIMITS = Limits(seconds=3, memory_mb=300)
RIGHT = {
    "affine": "def affine(x, w, b):\n    return x @ w + b",
    "sigmoid": "def sigmoid(z):\n    return 0.5 * (1 + np.tanh(z / 2))",
    "neuron": "def neuron(x, w, b, activation):\n    return activation(affine(x, w, b))",
}


def course_notebook() -> dict:
    """A small course notebook: setup, imports, three exercises, and heavy cells between."""
    cells = [nbformat.v4.new_markdown_cell("# A fixture course")]
    setup = nbformat.v4.new_code_cell(authoring.SETUP_SOURCE)
    setup.metadata["tags"] = ["setup"]
    cells += [setup, nbformat.v4.new_code_cell("import numpy as np\nfrom helpers import check")]
    for exercise, right in RIGHT.items():
        head, body = right.split("\n", 1)
        cells.append(nbformat.v4.new_code_cell(
            f"{head}\n    # BEGIN SOLUTION\n{body}\n    # END SOLUTION"))
        cells.append(nbformat.v4.new_code_cell(f"check.{exercise}({exercise})"))
        # work the grader must never run: it would time every exercise out
        cells.append(nbformat.v4.new_code_cell("import time\ntime.sleep(60)\nX = np.ones(3)"))
    nb = nbformat.v4.new_notebook(cells=cells)
    return authoring.annotate(json.loads(nbformat.writes(nb)), "01_neuron.ipynb")


def student_notebook(**sources: str) -> dict:
    """The generated student notebook, with the given exercise cells filled in."""
    nb = authoring.student_notebook(course_notebook(), "01_neuron.ipynb")
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in sources and cell["metadata"]["nbgrader"]["solution"]:
            cell["source"] = "import numpy as np\n" + sources[grade_id]
    return nb


def exercise_cells(nb: dict, grade_id: str) -> list[int]:
    return [i for i, c in enumerate(nb["cells"])
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id]


def right_but(sigmoid: str) -> dict:
    return student_notebook(**{**RIGHT, "sigmoid": sigmoid})


def missing() -> dict:
    nb = student_notebook(**RIGHT)
    del nb["cells"][exercise_cells(nb, "sigmoid")[0]]
    return nb


def duplicated() -> dict:
    nb = right_but("def sigmoid(z):\n    return z")
    index = exercise_cells(nb, "sigmoid")[0]
    later = copy.deepcopy(nb["cells"][index])
    later["source"] = "import numpy as np\n" + RIGHT["sigmoid"]
    nb["cells"].insert(index + 1, later)
    return nb


def lost_metadata() -> dict:
    nb = student_notebook(**RIGHT)
    del nb["cells"][exercise_cells(nb, "sigmoid")[0]]["metadata"]["nbgrader"]
    return nb


def extra_cells() -> dict:
    nb = student_notebook(**RIGHT)
    for source in ("import os\nos._exit(1)", "while True:\n    pass", "print('x' * 10**7)"):
        nb["cells"].insert(4, nbformat.v4.new_code_cell(source))
    return nb


def wrong_notebook() -> dict:
    nb = student_notebook(**RIGHT)
    nb["metadata"]["workbook"]["notebook"] = "02_gradient_descent"
    return nb


# student -> (the notebook, or raw bytes; expected scores of affine, sigmoid, neuron;
#             fragments expected in the student's feedback)
CLASS = {
    "right": (student_notebook(**RIGHT), (1, 1, 1), ["✓ sigmoid looks right."]),
    "empty": (student_notebook(), (0, 0, 0), ["✗ affine: not written yet.",
                                              "✗ sigmoid: not written yet.",
                                              "✗ neuron: not written yet."]),
    "loop": (right_but("def sigmoid(z):\n    while True:\n        pass"), (1, 0, 1),
             ["did not finish within 3 s"]),
    "memory": (right_but("def sigmoid(z):\n    return np.ones((2**16, 2**16))"), (1, 0, 1),
               ["more than 300 MB of memory"]),
    "sys_exit": (right_but("import sys\nsys.exit(0)"), (1, 0, 1), ["called sys.exit()"]),
    "os_exit": (right_but("import os\ndef sigmoid(z):\n    os._exit(3)"), (1, 0, 1),
                ["ended with exit code 3"]),
    "define_error": (right_but("scale = 1 / 0\n" + RIGHT["sigmoid"]), (1, 0, 1),
                     ["running your cell raised ZeroDivisionError", "`scale = 1 / 0`"]),
    "output": (right_but("print('x' * 3_000_000)\n" + RIGHT["sigmoid"]), (1, 1, 1),
               ["printed 3.0 MB", "output is ignored"]),
    "files": (right_but("import os\nopen('junk.txt', 'w').write('x')\n"
                        "for name in os.listdir('.'):\n    os.remove(name)\n"
                        "open('left.txt', 'w').write('y')\n" + RIGHT["sigmoid"]), (1, 1, 1),
              ["created files (left.txt)", "scratch folder"]),
    "malformed": (b'{"cells": [', (0, 0, 0), ["not valid notebook JSON", "No exercise was graded"]),
    "missing": (missing(), (1, 0, 1), ["✗ sigmoid: your notebook has no cell for this exercise"]),
    "renamed": (right_but("def my_sigmoid(z):\n    return 0.5 * (1 + np.tanh(z / 2))"),
                (1, 0, 1), ["does not define `sigmoid` (it defines `my_sigmoid`)"]),
    "duplicated": (duplicated(), (1, 1, 1), ["2 cells for this exercise; the last one"]),
    "lost_metadata": (lost_metadata(), (1, 1, 1), ["the last cell that defines `sigmoid`"]),
    "extra_cells": (extra_cells(), (1, 1, 1), ["✓ neuron looks right."]),
    "wrong_notebook": (wrong_notebook(), (0, 0, 0), ["02_gradient_descent; this assignment is "
                                                     "01_neuron"]),
    # cheating gains nothing: the verdict is computed in a process this code never touched
    "fake_tick": (right_but("def sigmoid(z):\n    print('✓ sigmoid looks right.')\n"
                            "    return z"), (1, 0, 1), ["✗ sigmoid: for z = "]),
    "patched_allclose": (right_but("np.allclose = lambda *a, **k: True\n"
                                   "np.testing.assert_allclose = lambda *a, **k: None\n"
                                   "def sigmoid(z):\n    return z"), (1, 0, 1),
                         ["✗ sigmoid: for z = "]),
    "patched_check": (right_but("import helpers.check as check\nfrom helpers.check import _core\n"
                                "_core.Check.close = lambda *a, **k: None\n"
                                "_core.REGISTRY['sigmoid'] = lambda *a, **k: print('✓')\n"
                                "check.sigmoid = _core.REGISTRY['sigmoid']\n"
                                "def sigmoid(z):\n    return z"), (1, 0, 1),
                      ["✗ sigmoid: for z = "]),
    "patched_builtins": (right_but("import builtins\nbuiltins.isinstance = lambda *a: True\n"
                                   "builtins.print = lambda *a, **k: None\n"
                                   "def sigmoid(z):\n    return z"), (1, 0, 1), ["✗ sigmoid: "]),
    # what the in-notebook check catches, the grader catches across the process boundary
    "overflow": (right_but("def sigmoid(z):\n    return 1 / (1 + np.exp(-z))"), (1, 0, 1),
                 ["raised a warning: overflow encountered in exp"]),
    "broken_affine": (student_notebook(**{**RIGHT, "affine": "def affine(x, w, b):\n"
                                          "    return x @ w"}), (0, 1, 1),
                      ["✗ affine: ", "✓ neuron looks right."]),
}
if confine.landlock_abi():
    CLASS["reads_outside"] = (
        right_but("secret = open(SECRET).read()\n" + RIGHT["sigmoid"]), (1, 0, 1),
        ["PermissionError", "Permission denied"])


def _tree_digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(str(p).encode() + p.read_bytes() for p in files)).hexdigest()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """The fixture class, graded once: (results.json data, output folder, class folder)."""
    base = tmp_path_factory.mktemp("grading")
    solutions, submissions = base / "solutions", base / "class"
    solutions.mkdir()
    submissions.mkdir()
    (solutions / "01_neuron.ipynb").write_text(authoring.dumps(course_notebook()))
    secret = submissions / "right" / "01_neuron.ipynb"
    for student, (nb, _, _) in CLASS.items():
        path = submissions / student / "01_neuron.ipynb"
        path.parent.mkdir()
        if isinstance(nb, dict):
            text = authoring.dumps(nb).replace("open(SECRET)", f"open({str(secret)!r})")
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(nb)
    before = _tree_digest(submissions)
    results = grade_class([submissions], base / "grades", notebook="01_neuron",
                          solutions=solutions, jobs=1, limits=LIMITS, log=lambda _: None)
    assert _tree_digest(submissions) == before, "the grader changed the submissions folder"
    return results, base / "grades" / "01_neuron", submissions, solutions


@pytest.mark.parametrize("student", list(CLASS))
def test_each_fixture_gets_its_score_and_a_clear_reason(graded, student):
    results, out, _, _ = graded
    _, scores, fragments = CLASS[student]
    entry = results["students"][student]
    got = tuple(entry["exercises"][e]["points"] for e in RIGHT)
    assert got == scores, json.dumps(entry, indent=1, ensure_ascii=False)
    feedback = (out / "feedback" / f"{student}.txt").read_text(encoding="utf-8")
    flowing = " ".join(feedback.split())  # verdicts are wrapped for reading
    for fragment in fragments:
        assert " ".join(fragment.split()) in flowing, feedback
    assert f"Score: {sum(scores)} / 3" in feedback
    # the checks' verdicts and hints, never their code
    assert "ex.call" not in feedback and "def " not in feedback and "Traceback" not in feedback


def test_gradebook_has_a_row_per_student_a_column_per_exercise_total_and_max(graded):
    results, out, _, _ = graded
    rows = (out / "gradebook.csv").read_text().splitlines()
    assert rows[0] == "student,affine,sigmoid,neuron,total,max,status,feedback"
    assert len(rows) == 1 + len(CLASS)
    assert "right,1,1,1,3,3,graded,right.txt" in rows and "empty,0,0,0,0,3,graded,empty.txt" in rows
    assert "malformed,0,0,0,0,3,unreadable,malformed.txt" in rows
    stored = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert stored["students"] == results["students"]


def test_rerun_skips_unchanged_submissions_and_keeps_earlier_results(graded, tmp_path):
    _, _, submissions, solutions = graded
    folder = tmp_path / "two"
    for student in ("right", "empty"):
        shutil.copytree(submissions / student, folder / student)
    out, args = tmp_path / "grades", ["--solutions", str(solutions), "--jobs", "1"]
    assert cli.main([str(folder), "--out", str(out), "--timeout", "3", *args]) == 0
    first = json.loads((out / "01_neuron" / "results.json").read_text())
    messages = []
    (folder / "empty" / "01_neuron.ipynb").write_text(authoring.dumps(student_notebook(**RIGHT)))
    shutil.rmtree(folder / "right")  # gone from the folder, kept in the results
    again = grade_class([folder], out, solutions=solutions, jobs=1, limits=Limits(seconds=3),
                        log=messages.append)
    assert "1 students: 1 to grade, 0 unchanged since the last run." in messages
    assert again["students"]["right"] == first["students"]["right"]
    assert again["students"]["empty"]["score"] == 3
    messages.clear()
    grade_class([folder], out, solutions=solutions, jobs=1, limits=Limits(seconds=3),
                log=messages.append)
    assert "1 students: 0 to grade, 1 unchanged since the last run." in messages


def test_the_output_folder_may_not_be_inside_the_submissions(graded):
    _, _, submissions, solutions = graded
    with pytest.raises(GradingError, match="inside the submissions folder"):
        grade_class([submissions], submissions / "grades", solutions=solutions)


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "solutions").glob("*.ipynb")))
def test_solutions_score_full_marks_and_unfilled_notebooks_zero(name, tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(ROOT / "solutions" / f"{name}.ipynb", folder / "solution.ipynb")
    shutil.copy(ROOT / "notebooks" / f"{name}.ipynb", folder / "unfilled.ipynb")
    results = grade_class([folder], tmp_path / "grades", notebook=name, jobs=2,
                          log=lambda _: None)["students"]
    solution, unfilled = results["solution"], results["unfilled"]
    assert solution["score"] == solution["max_score"] > 0, json.dumps(solution, indent=1)
    assert unfilled["score"] == 0
    for exercise, result in unfilled["exercises"].items():
        assert result["feedback"].startswith(f"✗ {exercise}: not written yet."), result


def test_the_judge_reads_nothing_but_builtin_values():
    class Evil:
        def __reduce__(self):
            return (print, ("pwned",))

    a, b = __import__("socket").socketpair()
    data = pickle.dumps(Evil())
    a.sendall(len(data).to_bytes(8, "big") + data)
    with pytest.raises(wire.ProtocolError, match="only builtin values"):
        wire.recv(b)
    with pytest.raises(wire.ProtocolError):
        mirror.checked_array("|O8", [1], b"\0" * 8)  # an object array holds pointers
    assert mirror.checked_array("<f8", [2], np.arange(2.0).tobytes()).tolist() == [0.0, 1.0]


def test_only_constants_bound_to_plain_names_run_before_a_students_cell():
    from helpers.course import light_statements

    kept = light_statements('import numpy as np\nLR = 0.1\ns.label = "s"\nx = f(2)\ndef g(): pass')
    assert "LR = 0.1" in kept and "def g" in kept and "import numpy" in kept
    assert "label" not in kept and "f(2)" not in kept
