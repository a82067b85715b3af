"""check.summary(): the student's self-check agrees with the checks (and so with the
grader) on the solutions, on unfilled notebooks and on a planted wrong answer; it never
raises."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import authoring, check
from helpers import course as courses
from helpers.check import CheckFailed, _summary
from helpers.check._summary import add_summary_cell, summary, summary_rows
from helpers.check.mistakes import MISTAKES, short_name

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.stem for p in (ROOT / "solutions").glob("*.ipynb"))


def namespace_of(nb: dict, filled: bool) -> dict:
    """What running the notebook's definitions leaves behind: the imports, definitions and
    constants of its ordinary cells, and every exercise cell (a stub may raise)."""
    ns = {"__name__": "__main__"}
    for cell in nb["cells"]:
        meta = cell.get("metadata", {})
        if cell["cell_type"] != "code" or {"setup", "solution-only"} & set(meta.get("tags", [])):
            continue
        source = courses._source(cell)
        grader = meta.get("nbgrader", {})
        if grader.get("grade"):
            continue
        code = source if grader.get("solution") else courses.light_statements(source)
        try:
            exec(compile(code, "<cell>", "exec"), ns)
        except NotImplementedError:
            assert not filled
    return ns


def solution(name: str) -> dict:
    return authoring.load(ROOT / "solutions" / f"{name}.ipynb")


def test_every_notebook_is_known():
    assert NOTEBOOKS == list(_summary.NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_solutions_are_all_right_and_worth_their_points(name, capsys):
    ns = namespace_of(solution(name), filled=True)
    notebook, rows = summary_rows(name, ns)
    course = courses.load_course(ROOT / "solutions" / f"{name}.ipynb")
    assert notebook == name
    assert [r.exercise for r in rows] == [e.id for e in course.exercises]
    assert [r.verdict for r in rows] == ["right"] * len(rows), [r.feedback for r in rows]
    assert [r.points for r in rows] == [e.points for e in course.exercises]
    capsys.readouterr()
    summary(name, ns)
    out = capsys.readouterr().out
    assert "✗" not in out and "not written yet" not in out
    assert f"{len(rows)} of {len(rows)} exercises right: {course.max_points:g} / " in out


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_unfilled_notebook_is_not_written_yet_everywhere(name, capsys):
    student = authoring.student_notebook(solution(name), f"{name}.ipynb")
    ns = namespace_of(student, filled=False)
    notebook, rows = summary_rows(None, ns)  # found from the names the notebook defines
    assert notebook == name
    assert rows and {r.verdict for r in rows} == {"not written yet"}, [r.feedback for r in rows]
    assert sum(r.points for r in rows) == 0
    summary(name, ns)
    out = capsys.readouterr().out
    assert f"0 of {len(rows)} exercises right" in out and "✓" not in out


def test_empty_namespace_is_not_written_yet(capsys):
    _, rows = summary_rows("01_neuron", {})
    assert len(rows) == 18 and {r.verdict for r in rows} == {"not written yet"}
    assert all("is not defined" in r.text for r in rows)


def test_a_planted_mistake_gets_the_checks_own_message():
    ns = namespace_of(solution("01_neuron"), filled=True)
    ns["sigmoid"] = lambda z: 1 / (1 + np.exp(z))
    with pytest.raises(CheckFailed) as info:
        check.sigmoid(ns["sigmoid"])
    rows = {r.exercise: r for r in summary_rows("01_neuron", ns)[1]}
    assert rows["sigmoid"].verdict == "wrong"
    assert rows["sigmoid"].feedback == str(info.value)
    # the table names the mistake by its id's short name, as the grader's report does
    assert info.value.mistake == "sigmoid/sign-inside-exp"
    assert rows["sigmoid"].text == short_name(info.value.mistake)
    assert rows["sigmoid"].points == 0
    # like the grader, tanh (which calls sigmoid in the solution) gets the right sigmoid
    assert {r.verdict for e, r in rows.items() if e != "sigmoid"} == {"right"}


def test_an_exercise_is_checked_with_the_reference_answers_above_it(monkeypatch, tmp_path):
    ns = namespace_of(solution("01_neuron"), filled=True)
    ns["affine"] = lambda x, w, b: x @ w  # the bias forgotten
    exec("def neuron(x, w, b, activation):\n    return activation(affine(x, w, b))", ns)
    rows = {r.exercise: r for r in summary_rows("01_neuron", ns)[1]}
    assert rows["affine"].verdict == "wrong" and rows["neuron"].verdict == "right"
    assert ns["neuron"].__globals__["affine"] is ns["affine"]  # the notebook is untouched
    # without solutions/ the notebook's own affine is used: neuron is wrong too
    monkeypatch.setattr(_summary, "_solutions", lambda: tmp_path)
    rows = {r.exercise: r for r in summary_rows("01_neuron", ns)[1]}
    assert rows["neuron"].verdict == "wrong"


def test_a_long_hint_is_shortened_in_the_table(capsys, monkeypatch):
    ns = namespace_of(solution("01_neuron"), filled=True)
    ns["sigmoid"] = lambda z: 1 / (1 + np.exp(-z))  # overflow: a named mistake
    monkeypatch.setitem(MISTAKES, "sigmoid/overflow", "a short name " + "made long " * 12)
    summary("01_neuron", ns)
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("sigmoid "))
    # the exercise column is as wide as the longest id (predict_xor_converges: 21)
    assert "✗" in line and line.endswith("…") and len(line) < 120


class Hostile:
    def __call__(self, *args, **kwargs):
        raise SystemExit("bye")

    def __getattr__(self, name):
        raise RuntimeError("no attributes here")


def test_it_never_raises(capsys, monkeypatch):
    ns = {"affine": Hostile(), "step": 3, "sigmoid": Hostile}
    summary("01_neuron", ns)
    out = capsys.readouterr().out
    assert out.startswith("Self-check of 01_neuron")
    summary("99_nothing", {})
    assert "could not run" in capsys.readouterr().out
    summary(None, {})
    assert 'check.summary("01_neuron")' in capsys.readouterr().out

    def broken(*args):
        raise MemoryError("out of memory")

    monkeypatch.setattr(_summary, "summary_rows", broken)
    summary("01_neuron", {})
    assert "could not run (MemoryError" in capsys.readouterr().out


def test_the_notebook_file_names_the_notebook(tmp_path):
    student = authoring.student_notebook(solution("02_gradient_descent"),
                                         "02_gradient_descent.ipynb")
    path = tmp_path / "my work.ipynb"
    path.write_text(json.dumps(student), encoding="utf-8")
    notebook, rows = summary_rows(None, {"__vsc_ipynb_file__": str(path)})
    assert notebook == "02_gradient_descent" and len(rows) == 14


def test_without_solutions_the_check_modules_give_the_same_exercises(monkeypatch, tmp_path):
    monkeypatch.setattr(_summary, "_solutions", lambda: tmp_path)
    for name in NOTEBOOKS:
        course = courses.load_course(ROOT / "solutions" / f"{name}.ipynb")
        found = _summary._exercises(name, None)
        assert [(e.id, e.name) for e in found] == [(e.id, e.name) for e in course.exercises]


def test_add_summary_cell_is_idempotent_and_survives_the_generator():
    nb = solution("01_neuron")
    nb["cells"] = [c for c in nb["cells"] if "self-check" not in c["metadata"].get("tags", [])]
    count = len(nb["cells"])
    add_summary_cell(nb, "01_neuron")
    add_summary_cell(nb, "01_neuron")
    assert len(nb["cells"]) == count + 2
    cell = nb["cells"][-1]
    assert courses._source(cell) == 'check.summary("01_neuron")'
    assert "nbgrader" not in cell["metadata"]
    ids = [c.get("id") for c in nb["cells"]]
    assert len(ids) == len(set(ids))
    student = authoring.student_notebook(nb, "01_neuron.ipynb")
    assert courses._source(student["cells"][-1]) == 'check.summary("01_neuron")'
    # the grader still sees the same exercises
    assert json.loads(authoring.dumps(nb))["cells"][-1] == cell


def test_outside_ipython_the_callers_globals_are_read(capsys):
    ns = {"__name__": "__main__"}
    exec("import numpy as np\nfrom helpers import check\n"
         "def sigmoid(z):\n    return 1 / (1 + np.exp(z))\n"
         "check.summary('01_neuron')\n"
         "found = check._summary.summary_rows('01_neuron')", ns)
    out = capsys.readouterr().out
    assert re.search(r"\nsigmoid +✗", out) and re.search(r"\naffine +not written yet", out)
    rows = {r.exercise: r.verdict for r in ns["found"][1]}
    assert rows["sigmoid"] == "wrong" and rows["affine"] == "not written yet"


def test_the_self_check_agrees_with_the_grader(tmp_path):
    """Notebook 01 through the real grader: the solutions, the unfilled notebook, and one
    with a wrong sigmoid that its tanh calls (the grader gives tanh the reference sigmoid)."""
    from helpers.grading.batch import grade_class
    from helpers.grading.judge import Limits

    course_nb = solution("01_neuron")
    filled = authoring.student_notebook(course_nb, "01_neuron.ipynb")
    for cell in filled["cells"]:  # the student notebook, filled in with the solutions
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            index = next(i for i, c in enumerate(course_nb["cells"])
                         if c.get("metadata", {}).get("nbgrader", {}) == meta)
            cell["source"] = "\n".join(
                line for line in courses._source(course_nb["cells"][index]).split("\n")
                if line.strip() not in (authoring.BEGIN, authoring.END))
    wrong = json.loads(json.dumps(filled))
    for cell in wrong["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") == "sigmoid":
            cell["source"] = "def sigmoid(z):\n    return 1 / (1 + np.exp(z))\n"
        if meta.get("solution") and meta.get("grade_id") == "tanh":
            cell["source"] = "def tanh(z):\n    return 2 * sigmoid(2 * z) - 1\n"
    submissions = {"filled": filled, "empty": authoring.student_notebook(
        course_nb, "01_neuron.ipynb"), "wrong": wrong}
    folder = tmp_path / "submissions"
    folder.mkdir()
    for name, nb in submissions.items():
        (folder / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    data = grade_class([folder], tmp_path / "grades", notebook="01_neuron",
                       solutions=ROOT / "solutions", jobs=1,
                       limits=Limits(seconds=30, memory_mb=800), log=lambda _: None)
    as_grader = {"passed": "right", "failed": "wrong", "not written": "not written yet"}
    for name, nb in submissions.items():
        _, rows = summary_rows("01_neuron", namespace_of(nb, filled=name != "empty"))
        graded = data["students"][name]["exercises"]
        assert {r.exercise: r.verdict for r in rows} == {
            e: as_grader.get(r["status"], r["status"]) for e, r in graded.items()}, name
        assert sum(r.points for r in rows) == data["students"][name]["score"]
    assert data["students"]["wrong"]["exercises"]["tanh"]["status"] == "passed"


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
def test_every_notebook_ends_with_its_self_check(folder):
    root = Path(__file__).resolve().parents[1] / folder
    for path in sorted(root.glob("*.ipynb")):
        last = json.loads(path.read_text(encoding="utf-8"))["cells"][-1]
        assert "".join(last["source"]) == f'check.summary("{path.stem}")', path.name
        assert "self-check" in last["metadata"]["tags"], path.name
