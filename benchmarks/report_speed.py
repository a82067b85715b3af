"""How long the class report takes for a class of 300, beside what the grader already
writes for that class (results.json and gradebook.csv), in the same process.

    python benchmarks/report_speed.py [--students 300] [--repeat 5]

The class: notebook 01's ten exercises; each student gets each exercise right, wrong with
one of the checks' own verdicts for a known mistake (from the check tests' wrong-variant
tables), not written yet, or timed out, drawn with a fixed seed. Each student's notebook
is on disk, so the report reads submissions again for its example lines, as it does
after a real run.
"""

import argparse
import csv
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers import check  # noqa: E402
from helpers.check import CheckFailed  # noqa: E402
from helpers.grading.course import load_course  # noqa: E402
from helpers.grading.report import (  # noqa: E402
    records_from_results,
    summary_text,
    write_report,
)

EXERCISES = ("affine", "step", "sigmoid", "tanh", "relu", "leaky_relu", "neuron", "accuracy",
             "perceptron", "xor_network")
COURSE = load_course(ROOT / "solutions" / "01_neuron.ipynb")
WRONG = {
    "affine": [lambda x, w, b: x @ w, lambda x, w, b: x * w + b],
    "step": [lambda z: (z > 0).astype(float), np.sign],
    "sigmoid": [lambda z: 1 / (1 + np.exp(z)), lambda z: 1 / (1 + np.exp(-z)), np.tanh],
    "tanh": [lambda z: -np.tanh(z)],
    "relu": [lambda z: np.maximum(z, 0.01 * z)],
}


def verdicts() -> dict[str, list[str]]:
    """Each exercise's wrong verdicts, as the checks word them."""
    found = {}
    for exercise, answers in WRONG.items():
        found[exercise] = []
        for answer in answers:
            try:
                getattr(check, exercise)(answer)
            except CheckFailed as failure:
                found[exercise].append(str(failure))
    return found


def synthetic_class(n: int, wrong: dict[str, list[str]], files: Path | None = None) -> dict:
    rng = np.random.default_rng(19)
    students = {}
    for i in range(n):
        exercises = {}
        for e in EXERCISES:
            roll = rng.random()
            if roll < 0.7 or e not in wrong:
                result = ("passed", f"✓ {e} looks right.", 1.0)
            elif roll < 0.9:
                result = ("failed", wrong[e][int(rng.integers(len(wrong[e])))], 0.0)
            elif roll < 0.97:
                result = ("not written", str(CheckFailed(e, "not written yet.", "fill it in.")),
                          0.0)
            else:
                result = ("timeout", str(CheckFailed(e, "ran for more than 30 s.", "a loop?")),
                          0.0)
            status, feedback, points = result
            exercises[e] = {"exercise": e, "points": points, "max_points": 1.0,
                            "status": status, "feedback": feedback, "notes": []}
        path = Path(f"/class/student{i:04d}/01_neuron.ipynb")
        if files is not None:  # a real notebook to read again for the example lines
            path = files / f"student{i:04d}.ipynb"
            path.write_bytes((ROOT / "notebooks" / "01_neuron.ipynb").read_bytes())
        students[f"student{i:04d}"] = {
            "status": "graded", "file": str(path),
            "exercises": exercises, "score": sum(r["points"] for r in exercises.values()),
            "max_score": float(len(EXERCISES))}
    return {"format": 2, "notebook": "01_neuron", "students": students}


def grader_outputs(data: dict, folder: Path) -> None:
    """The baseline: what the grader writes for a class already (results.json, gradebook)."""
    (folder / "results.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *EXERCISES, "total", "max", "status"])
    for student, entry in sorted(data["students"].items()):
        writer.writerow([student, *(f"{entry['exercises'][e]['points']:g}" for e in EXERCISES),
                         f"{entry['score']:g}", f"{entry['max_score']:g}", entry["status"]])
    (folder / "gradebook.csv").write_text(buffer.getvalue(), encoding="utf-8")


def report(data: dict, folder: Path) -> str:
    records = records_from_results(data, course=COURSE)
    write_report(records, folder, notebook="01_neuron", exercises=EXERCISES)
    return summary_text(records, folder, notebook="01_neuron", exercises=EXERCISES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "01_neuron"
        folder.mkdir()
        (Path(tmp) / "submissions").mkdir()
        data = synthetic_class(args.students, verdicts(), Path(tmp) / "submissions")
        report(data, folder)  # warm-up: matplotlib's first import and font cache
        times = {"results.json + gradebook.csv (baseline)": [], "report (html, md, summary)": []}
        for _ in range(args.repeat):
            for label, work in zip(times, (grader_outputs, report), strict=True):
                started = time.perf_counter()
                work(data, folder)
                times[label].append(time.perf_counter() - started)
        print(f"{args.students} students, {len(EXERCISES)} exercises, median of "
              f"{args.repeat} runs:")
        for label, values in times.items():
            print(f"  {label:<42} {statistics.median(values) * 1000:8.1f} ms")
        size = (folder / "report.html").stat().st_size
        print(f"  report.html: {size / 1024:.0f} kB")


if __name__ == "__main__":
    main()
