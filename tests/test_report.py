"""The class report: a synthetic class with planted mistakes gives the planted counts; the
report is deterministic, self-contained and names no student."""

import base64
import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import authoring, check
from helpers.check import CheckFailed
from helpers.course import load_course
from helpers.grading import report
from helpers.grading.report import ExerciseRecord, records_from_results, write_report

ROOT = Path(__file__).resolve().parents[1]
EXERCISES = ("affine", "step", "sigmoid")

RIGHT = {
    "affine": lambda x, w, b: x @ w + b,
    "step": lambda z: (np.asarray(z) >= 0).astype(float),
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2)),
}
# (exercise, wrong answer, a fragment of the hint it gets, students who make it)
PLANTED = [
    ("sigmoid", lambda z: 1 / (1 + np.exp(z)), "your values are σ(-z)", 7),
    ("sigmoid", lambda z: 1 / (1 + np.exp(-z)), "overflows for z = -1000", 5),
    ("sigmoid", np.tanh, "that is tanh", 2),
    ("affine", lambda x, w, b: x @ w, "bias is missing", 4),
    ("step", lambda z: (z > 0).astype(float), "step(0) should be 1", 3),
]
NOT_WRITTEN = {"step": 6}
TIMED_OUT = {"sigmoid": 1}
CLASS = 40


def _verdict(exercise, answer) -> tuple[str, str]:
    try:
        getattr(check, exercise)(answer)
    except CheckFailed as failure:
        return "failed", str(failure)
    return "passed", f"✓ {exercise} looks right."


def _result(exercise, status, feedback, points=None):
    points = (1.0 if status == "passed" else 0.0) if points is None else points
    return {"exercise": exercise, "points": points, "max_points": 1.0, "status": status,
            "feedback": feedback, "notes": []}


def student_name(i: int) -> str:
    return f"Zorblax Quintavalle{i:02d}"


def synthetic_class(capsys=None) -> tuple[dict, dict]:
    """results.json (branch a's format) for CLASS students, and what was planted."""
    plan = {(i, e): ("right", None) for i in range(CLASS) for e in EXERCISES}
    free = {e: iter(range(CLASS)) for e in EXERCISES}
    for exercise, answer, hint, count in PLANTED:
        for _ in range(count):
            plan[(next(free[exercise]), exercise)] = ("wrong", (answer, hint))
    for kind, table in (("not written", NOT_WRITTEN), ("timeout", TIMED_OUT)):
        for exercise, count in table.items():
            for _ in range(count):
                plan[(next(free[exercise]), exercise)] = (kind, None)
    students = {}
    for i in range(CLASS - 2):
        exercises = {}
        for e in EXERCISES:
            kind, planted = plan[(i, e)]
            if kind == "right":
                exercises[e] = _result(e, *_verdict(e, RIGHT[e]))
            elif kind == "wrong":
                status, text = _verdict(e, planted[0])
                assert status == "failed" and planted[1] in text.replace("\n        ", " ")
                exercises[e] = _result(e, status, text)
            elif kind == "not written":
                text = str(CheckFailed(e, "not written yet.", "replace the line."))
                exercises[e] = _result(e, "not written", text)
            else:
                text = str(CheckFailed(e, "your code ran for more than 30 s.", "a loop?"))
                exercises[e] = _result(e, "timeout", text)
        students[student_name(i)] = {"status": "graded", "file": f"/nowhere/{i}.ipynb",
                                     "exercises": exercises}
    for i, status in ((CLASS - 2, "unreadable"), (CLASS - 1, "wrong notebook")):
        text = str(CheckFailed("01_neuron", "could not be read.", "hand it in again."))
        students[student_name(i)] = {"status": status, "problem": text, "exercises": {
            e: _result(e, status, text) for e in EXERCISES}}
    if capsys is not None:
        capsys.readouterr()
    return {"format": 2, "notebook": "01_neuron", "students": students}, plan


@pytest.fixture(scope="module")
def results():
    data, _ = synthetic_class()
    return data


def test_adapter_maps_statuses_and_parses_the_verdicts(results):
    records = records_from_results(results)
    assert len(records) == CLASS * len(EXERCISES)
    by_status = {}
    for r in records:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    planted_wrong = sum(count for *_, count in PLANTED)
    assert by_status["wrong"] == planted_wrong
    assert by_status["not written yet"] == 6
    assert by_status["timed out"] == 1
    assert by_status["unreadable"] == by_status["wrong notebook"] == len(EXERCISES)
    sign = [r for r in records if "your values are σ(-z)" in r.hint]
    assert len(sign) == 7 and all(r.mistake and r.mistake.startswith("sigmoid/") for r in sign)
    assert all("\n" not in r.hint and not r.hint.startswith("Hint") for r in records)
    assert {r.mistake for r in records if r.status != "wrong"} == {None}


def test_planted_mistakes_are_counted_and_ranked(results, tmp_path):
    records = records_from_results(results)
    analysis = report._analyse(records, "01_neuron", EXERCISES)
    stats = {s.exercise: s for s in analysis.exercises}
    graded = CLASS - 2
    assert all(s.attempted == graded for s in stats.values())
    for exercise, _, hint, count in PLANTED:
        found = [m for m in stats[exercise].mistakes if hint in m.hint]
        assert len(found) == 1 and found[0].count == count, (exercise, hint)
    assert stats["sigmoid"].right == graded - 7 - 5 - 2 - 1
    assert stats["sigmoid"].stopped == 1
    assert stats["step"].not_written == 6 and stats["step"].right == graded - 3 - 6
    # ranked by count: sign (7), overflow (5), missing bias (4)
    assert [m.count for m in analysis.top] == [7, 5, 4]
    assert "your values are σ(-z)" in analysis.top[0].hint
    assert "bias is missing" in analysis.top[2].hint
    assert [m.count for m in stats["sigmoid"].mistakes] == [7, 5, 2]
    # hardest first: step (38-9 right) and sigmoid (38-15 right) before affine (38-4)
    assert [s.exercise for s in report._difficulty(analysis)] == ["sigmoid", "step", "affine"]
    assert analysis.not_graded == {"unreadable": 1, "wrong notebook": 1}
    assert len(analysis.totals) == CLASS

    md = write_report(records, tmp_path / "01_neuron", notebook="01_neuron",
                      exercises=EXERCISES)["md"].read_text(encoding="utf-8")
    assert "| 7 | `sigmoid/" in md and "| 4 | `affine/" in md
    assert f"{graded} graded: {100 * 23 / 38:.0f}% right" in md


def test_report_is_deterministic_and_names_no_student(results, tmp_path):
    records = records_from_results(results)
    first = write_report(records, tmp_path / "a" / "01_neuron", notebook="01_neuron")
    shuffled = list(reversed(records))
    second = write_report(shuffled, tmp_path / "b" / "01_neuron", notebook="01_neuron")
    for kind in ("html", "md"):
        assert first[kind].read_bytes() == second[kind].read_bytes()
        text = first[kind].read_text(encoding="utf-8")
        assert "Zorblax" not in text and "Quintavalle" not in text and "/nowhere/" not in text


def test_html_is_self_contained_with_a_png_histogram(results, tmp_path):
    paths = write_report(records_from_results(results), tmp_path / "01_neuron",
                         notebook="01_neuron")
    text = paths["html"].read_text(encoding="utf-8")
    assert "<script" not in text.lower()
    assert not re.search(r"(src|href)=\"(?!data:)", text)  # nothing loaded from elsewhere
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert len(images) == 1
    png = base64.b64decode(images[0])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "histogram.png").write_bytes(png)
    # every student is in the histogram, at their total score
    bins = dict(report._bins(report._analyse(records_from_results(results), "01_neuron",
                                              None)))
    assert sum(bins.values()) == CLASS and bins[0.0] >= 2 and set(bins) == {0, 1, 2, 3}


def test_examples_are_anonymised():
    name = "Zorblax Quintavalle"
    records = [
        ExerciseRecord(name, "01_neuron", "sigmoid", 0, 1, "wrong", "off", "the sign",
                       "sigmoid/sign", f"return 1 / (1 + np.exp(z))  # {name} did this"),
        ExerciseRecord("bob", "01_neuron", "sigmoid", 0, 1, "wrong", "off", "the sign",
                       "sigmoid/sign", "zorblax_value = 1 / (1 + np.exp(z))"),
        ExerciseRecord("bob", "01_neuron", "affine", 1, 1, "right"),
    ]
    analysis = report._analyse(records, "01_neuron", None)
    (top,) = analysis.top
    assert top.count == 2 and "Zorblax" not in top.example and "#" not in top.example
    md = report._markdown(analysis, [], None)
    assert "zorblax" not in md.lower() and "quintavalle" not in md.lower()
    assert "bob" not in md


def test_explicit_mistake_ids_are_used_and_unnamed_failures_counted():
    results = {"notebook": "01_neuron", "students": {
        "s1": {"status": "graded", "exercises": {"sigmoid": {
            **_result("sigmoid", "failed", "✗ sigmoid: off.\n  Hint: the sign."),
            "mistake": "sigmoid/sign-inside-exp"}}},
        "s2": {"status": "graded", "exercises": {"sigmoid": {
            **_result("sigmoid", "failed", "✗ sigmoid: off.\n  Hint: something."),
            "mistake": None}}},
        "s3": {"status": "graded", "exercises": {"sigmoid": _result(
            "sigmoid", "failed", "✗ sigmoid: sigmoid(...) raised ValueError: x\n"
            "  Your line: `return z.foo`\n  Hint: read the error message and the line.")}},
    }}
    records = records_from_results(results)
    assert [r.mistake for r in records] == ["sigmoid/sign-inside-exp", None, None]
    assert records[2].code_line == "return z.foo"
    stats = report._analyse(records, "01_neuron", None).exercises[0]
    assert stats.unnamed == 2 and [m.id for m in stats.mistakes] == ["sigmoid/sign-inside-exp"]


def test_parse_feedback_unwraps_message_and_hint():
    failure = CheckFailed("sigmoid", "word " * 30 + "end.", "hint " * 30 + "stop.")
    message, hint, line = report.parse_feedback(str(failure))
    assert message == failure.message.strip() and hint == failure.hint.strip()
    assert line is None


def test_example_line_from_the_submission(tmp_path):
    course = load_course(ROOT / "solutions" / "01_neuron.ipynb")
    nb = authoring.student_notebook(json.loads(
        (ROOT / "solutions" / "01_neuron.ipynb").read_text(encoding="utf-8")), "01_neuron.ipynb")
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "sigmoid" \
                and cell["metadata"]["nbgrader"].get("solution"):
            cell["source"] = "def sigmoid(z):\n    # mine\n    return 1 / (1 + np.exp(z))\n"
    path = tmp_path / "s.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    status, text = _verdict("sigmoid", lambda z: 1 / (1 + np.exp(z)))
    results = {"notebook": "01_neuron", "students": {"s": {
        "status": "graded", "file": str(path),
        "exercises": {"sigmoid": _result("sigmoid", status, text)}}}}
    (record,) = records_from_results(results, course=course)
    assert record.mistake and record.code_line == "return 1 / (1 + np.exp(z))"
    results["students"]["s"]["file"] = str(tmp_path / "gone.ipynb")
    (record,) = records_from_results(results, course=course)
    assert record.mistake and record.code_line is None


def test_all_notebooks_csv_names_students_and_the_report_does_not(results, tmp_path):
    second = {"format": 2, "notebook": "02_gradient_descent", "students": {
        student_name(0): {"status": "graded", "exercises": {
            "mse": _result("mse", "passed", "✓ mse looks right.", 2.0)}},
        "newcomer": {"status": "graded", "exercises": {
            "mse": _result("mse", "failed", "✗ mse: off.\n  Hint: 1/N.")}},
    }}
    for data in (results, second):
        folder = tmp_path / data["notebook"]
        folder.mkdir()
        (folder / "results.json").write_text(json.dumps(data), encoding="utf-8")
    paths = write_report(records_from_results(results), tmp_path / "01_neuron",
                         notebook="01_neuron")
    rows = list(csv.reader(io.StringIO(paths["csv"].read_text(encoding="utf-8"))))
    assert rows[0] == ["student", "01_neuron", "02_gradient_descent", "total", "max"]
    assert rows[1][0] == "(points possible)"
    table = {row[0]: row[1:] for row in rows[2:]}
    assert len(table) == CLASS + 1
    assert table["newcomer"][:2] == ["", "0"]
    assert table[student_name(0)][1] == "2"
    html = paths["html"].read_text(encoding="utf-8")
    assert "02_gradient_descent" in html and "newcomer" not in html and "Zorblax" not in html


def test_summary_text_fits_a_screen(results, tmp_path):
    text = report.summary_text(records_from_results(results), tmp_path / "01_neuron",
                               notebook="01_neuron")
    lines = text.splitlines()
    assert len(lines) <= 12 and all(len(line) <= 100 for line in lines[:-1])
    assert lines[-1].startswith(f"Files: {tmp_path / '01_neuron'}/")
    assert lines[0].startswith(f"01_neuron: {CLASS} students graded; mean ")
    assert "1 unreadable, 1 wrong notebook" in text
    assert "your values are σ(-z)" in lines[3] and "(7 students)" in lines[3]
    assert "Zorblax" not in text


def test_bad_status_is_refused_with_the_allowed_ones():
    with pytest.raises(ValueError, match="must be one of"):
        ExerciseRecord("s", "01_neuron", "sigmoid", 0, 1, "passed")


# -- end to end: the real grader, then the report ------------------------------------------
E2E_RIGHT = {
    "affine": "def affine(x, w, b):\n    return x @ w + b",
    "sigmoid": "def sigmoid(z):\n    return 0.5 * (1 + np.tanh(z / 2))",
}
SIGN = "def sigmoid(z):\n    # my sigmoid, zorblax\n    return 1 / (1 + np.exp(z))"


def e2e_course() -> dict:
    import nbformat

    cells = [nbformat.v4.new_markdown_cell("# A fixture course"),
             nbformat.v4.new_code_cell("import numpy as np\nfrom helpers import check")]
    for exercise, right in E2E_RIGHT.items():
        head, body = right.split("\n", 1)
        cells.append(nbformat.v4.new_code_cell(
            f"{head}\n    # BEGIN SOLUTION\n{body}\n    # END SOLUTION"))
        cells.append(nbformat.v4.new_code_cell(f"check.{exercise}({exercise})"))
    nb = nbformat.v4.new_notebook(cells=cells)
    return authoring.annotate(json.loads(nbformat.writes(nb)), "01_neuron.ipynb")


def e2e_student(**sources: str) -> dict:
    nb = authoring.student_notebook(e2e_course(), "01_neuron.ipynb")
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in sources:
            cell["source"] = "import numpy as np\n" + sources[meta["grade_id"]]
    return nb


def test_a_graded_class_gives_the_planted_counts(tmp_path):
    from helpers.grading.batch import grade_class
    from helpers.grading.judge import Limits

    solutions = tmp_path / "solutions"
    solutions.mkdir()
    (solutions / "01_neuron.ipynb").write_text(authoring.dumps(e2e_course()), encoding="utf-8")
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    planted = {
        "Zorblax Right": e2e_student(**E2E_RIGHT),
        "Zorblax Sign": e2e_student(affine=E2E_RIGHT["affine"], sigmoid=SIGN),
        "Quintavalle Sign": e2e_student(affine=E2E_RIGHT["affine"], sigmoid=SIGN),
        "Zorblax Bias": e2e_student(affine="def affine(x, w, b):\n    return x @ w",
                                    sigmoid=E2E_RIGHT["sigmoid"]),
        "Zorblax Empty": e2e_student(),
    }
    for name, nb in planted.items():
        (submissions / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (submissions / "Zorblax Broken.ipynb").write_text("{not json", encoding="utf-8")
    out = tmp_path / "grades"
    data = grade_class([submissions], out, notebook="01_neuron", solutions=solutions, jobs=1,
                       limits=Limits(seconds=20, memory_mb=600), log=lambda _: None)
    logged = []
    course = load_course(solutions / "01_neuron.ipynb")
    paths = report.write_outputs(data, out / "01_neuron", course=course,
                                 export=("canvas", "moodle"), log=logged.append)
    assert set(paths) == {"html", "md", "canvas", "moodle"}

    records = records_from_results(data, course=course)
    analysis = report._analyse(records, "01_neuron", None)
    stats = {s.exercise: s for s in analysis.exercises}
    assert analysis.students == 6 and analysis.not_graded == {"unreadable": 1}
    assert stats["sigmoid"].attempted == 5
    assert (stats["sigmoid"].right, stats["sigmoid"].not_written) == (2, 1)
    (sign,) = stats["sigmoid"].mistakes
    assert sign.count == 2 and "your values are σ(-z)" in sign.hint
    assert sign.example == "return 1 / (1 + np.exp(z))"  # the comment with a name is gone
    (bias,) = stats["affine"].mistakes
    assert bias.count == 1 and "bias is missing" in bias.hint
    assert [m.count for m in analysis.top] == [2, 1]

    for kind in ("html", "md"):
        text = paths[kind].read_text(encoding="utf-8").lower()
        assert "zorblax" not in text and "quintavalle" not in text
    summary = "\n".join(logged)
    assert "6 students graded" in summary and "1 unreadable" in summary
    assert "your values are σ(-z)" in summary
    canvas = list(csv.reader(io.StringIO(paths["canvas"].read_text(encoding="utf-8"))))
    assert canvas[1] == ["Points Possible", "", "", "", "", "2"]
    assert {row[0]: row[-1] for row in canvas[2:]}["Zorblax Sign"] == "1"


def test_the_command_line_writes_the_report_the_exports_and_the_summary(
        tmp_path, monkeypatch, capsys):
    """The whole run through ``nn-workbook-grade``: report, exports, summary, mistake ids."""
    from helpers.check import REGISTRY
    from helpers.grading import cli

    original = REGISTRY["sigmoid"]

    def with_ids(answer, **kwargs):  # the checks' mistake ids (engineer C2), stood in here
        try:
            return original(answer, **kwargs)
        except CheckFailed as failure:
            if "your values are σ(-z)" in failure.plain:
                failure.mistake = "sigmoid/sign-inside-exp"
            raise

    monkeypatch.setitem(REGISTRY, "sigmoid", with_ids)
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    (solutions / "01_neuron.ipynb").write_text(authoring.dumps(e2e_course()), encoding="utf-8")
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    planted = {"ann": e2e_student(**E2E_RIGHT),
               "bea": e2e_student(affine=E2E_RIGHT["affine"], sigmoid=SIGN),
               "cal": e2e_student(affine=E2E_RIGHT["affine"], sigmoid=SIGN),
               "dan": e2e_student(affine="def affine(x, w, b):\n    return x @ w")}
    for name, nb in planted.items():
        (submissions / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    out = tmp_path / "grades"
    code = cli.main([str(submissions), "--out", str(out), "--solutions", str(solutions),
                     "--notebook", "01_neuron", "--jobs", "1", "--timeout", "20",
                     "--memory", "600", "--export", "canvas", "--export", "moodle",
                     "--canvas-assignment-id", "4711"])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    folder = out / "01_neuron"
    for name in ("report.html", "report.md", "canvas.csv", "moodle.csv", "gradebook.csv"):
        assert (folder / name).is_file(), name
    results = json.loads((folder / "results.json").read_text(encoding="utf-8"))
    sigmoid = {s: e["exercises"]["sigmoid"] for s, e in results["students"].items()}
    assert sigmoid["bea"]["mistake"] == sigmoid["cal"]["mistake"] == "sigmoid/sign-inside-exp"
    assert "mistake" not in sigmoid["ann"]  # passed: no mistake recorded
    assert sigmoid["dan"]["status"] == "not written" and "mistake" not in sigmoid["dan"]
    # the one-screen summary, after the log line; no progress bar when not a terminal
    assert "4 students graded" in printed.out and "sigmoid" in printed.out
    assert "(2 students)" in printed.out and "report.html" in printed.out
    assert "For Canvas:" in printed.out and "Grading:" not in printed.err
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert "your values are σ(-z)" in md and "bea" not in md
    canvas = list(csv.reader(io.StringIO((folder / "canvas.csv").read_text(encoding="utf-8"))))
    assert any("4711" in cell for cell in canvas[0])
    assert {row[0]: row[-1] for row in canvas[2:]}["bea"] == "1"


def test_results_without_mistake_ids_still_name_the_mistakes(tmp_path):
    """Before the checks give ids, the report names a mistake from its hint (no key)."""
    data = {"notebook": "01_neuron", "students": {
        "s1": {"status": "graded", "exercises": {"sigmoid": _result(
            "sigmoid", "failed", "✗ sigmoid: off.\n  Hint: the sign inside np.exp is wrong.")}},
        "s2": {"status": "graded", "exercises": {"sigmoid": {**_result(
            "sigmoid", "failed", "✗ sigmoid: off.\n  Hint: something."), "mistake": "unnamed"}}},
    }}
    records = records_from_results(data)
    assert records[0].mistake is not None and records[1].mistake is None


@pytest.mark.parametrize("generic", ["error/generic", "shape/generic"])
def test_a_hint_on_reading_an_error_is_no_misconception(generic):
    data = {"notebook": "01_neuron", "students": {
        "s1": {"status": "graded", "exercises": {"sigmoid": {**_result(
            "sigmoid", "failed", "✗ sigmoid: raised.\n  Hint: print the shapes involved."),
            "mistake": generic}}},
        "s2": {"status": "graded", "exercises": {"sigmoid": {**_result(
            "sigmoid", "failed", "✗ sigmoid: off.\n  Hint: the sign."),
            "mistake": "sigmoid/sign-inside-exp"}}},
    }}
    records = records_from_results(data)
    assert [r.mistake for r in records] == [None, "sigmoid/sign-inside-exp"]
    stats = report._analyse(records, "01_neuron", None).exercises[0]
    assert stats.unnamed == 1 and [m.id for m in stats.mistakes] == ["sigmoid/sign-inside-exp"]


def test_the_report_is_the_same_in_another_process(results, tmp_path):
    """No set or hash order leaks into the files (PYTHONHASHSEED differs per process)."""
    import subprocess
    import sys

    (tmp_path / "results.json").write_text(json.dumps(results), encoding="utf-8")
    script = ("import json, sys; from pathlib import Path\n"
              "from helpers.grading.report import records_from_results, write_report\n"
              "data = json.loads(Path(sys.argv[1]).read_text(encoding='utf-8'))\n"
              "write_report(records_from_results(data), Path(sys.argv[2]), notebook='01_neuron')\n")
    for seed in ("1", "2"):
        subprocess.run([sys.executable, "-c", script, str(tmp_path / "results.json"),
                        str(tmp_path / seed / "01_neuron")], check=True,
                       env={**__import__("os").environ, "PYTHONHASHSEED": seed})
    for name in ("report.html", "report.md"):
        assert ((tmp_path / "1" / "01_neuron" / name).read_bytes()
                == (tmp_path / "2" / "01_neuron" / name).read_bytes())


@pytest.mark.browser
def test_report_opens_in_chromium_offline_without_errors(results, tmp_path, chromium):
    """The HTML in headless Chromium: no console or page error, no request leaves the file,
    the histogram decodes."""
    paths = write_report(records_from_results(results), tmp_path / "01_neuron",
                         notebook="01_neuron")
    problems = []
    context = chromium.new_context(viewport={"width": 1366, "height": 768},
                                   java_script_enabled=False)
    try:
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:"))
                else problems.append(f"request to {r.url}"))
        page.goto(paths["html"].as_uri())
        image = page.locator("img")
        assert image.count() == 1
        box = image.bounding_box()
        assert box and box["width"] >= 600 and box["height"] >= 300
        assert image.evaluate("img => img.complete && img.naturalWidth") == 640
        assert page.locator("h2").all_inner_texts()[:2] == [
            "Three misconceptions worth a lecture slide", "Total scores"]
    finally:
        context.close()
    assert problems == []


def test_an_empty_or_unreadable_class_still_gets_a_report(tmp_path):
    paths = write_report([], tmp_path / "a" / "01_neuron", notebook="01_neuron")
    assert "0 students" in paths["md"].read_text(encoding="utf-8")
    only_unreadable = [ExerciseRecord("s", "01_neuron", e, 0, 1, "unreadable") for e in EXERCISES]
    paths = write_report(only_unreadable, tmp_path / "b" / "01_neuron", notebook="01_neuron")
    md = paths["md"].read_text(encoding="utf-8")
    assert "1 students" not in md and "Not graded: 1 unreadable." in md
    assert "0 graded: 0% right" in md
    text = report.summary_text(only_unreadable, tmp_path / "b", notebook="01_neuron")
    assert "1 unreadable, 0 wrong notebook" in text


def test_the_progress_bar_is_on_stderr_and_only_when_wanted(capsys):
    from helpers.grading import batch

    assert batch._progress_bar(3, False) is None
    assert batch._progress_bar(0, True) is None  # nothing to grade: no bar
    assert batch._progress_bar(3, None) is None  # stderr is not a terminal under pytest
    bar = batch._progress_bar(3, True)
    bar.update(3)
    bar.refresh()
    bar.close()
    printed = capsys.readouterr()
    assert "Grading" in printed.err and "3/3" in printed.err and printed.out == ""


def test_the_heading_counts_the_misconceptions_there_are(tmp_path):
    def one_mistake(student: str) -> dict:
        return {"status": "graded", "exercises": {"sigmoid": {
            **_result("sigmoid", "failed", "✗ sigmoid: off.\n  Hint: the sign."),
            "mistake": "sigmoid/sign-inside-exp"}}}

    for count, heading in ((0, "Misconceptions"), (1, "One misconception")):
        students = {f"s{i}": one_mistake(f"s{i}") for i in range(2)} if count else {
            "s0": {"status": "graded", "exercises": {"sigmoid": _result(
                "sigmoid", "passed", "✓ sigmoid looks right.")}}}
        data = {"notebook": "01_neuron", "students": students}
        paths = write_report(records_from_results(data), tmp_path / str(count) / "01_neuron",
                             notebook="01_neuron")
        md, html = (paths[k].read_text(encoding="utf-8") for k in ("md", "html"))
        assert f"## {heading} worth a lecture slide" in md
        assert f"<h2>{heading} worth a lecture slide</h2>" in html
        assert "Three" not in md
