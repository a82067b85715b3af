"""Grade a synthetic class of 30 notebook-01 submissions and print the wall time.

    python benchmarks/grade_class.py [--jobs N]

The class: right answers, partly wrong ones, unfilled notebooks and hostile ones (an
infinite loop, a memory bomb, os._exit, a patched np.allclose), built from the student
notebook in a temporary folder.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers import authoring  # noqa: E402
from helpers.grading.batch import grade_class  # noqa: E402
from helpers.grading.course import load_course  # noqa: E402
from helpers.grading.judge import Limits  # noqa: E402

HOSTILE = [
    "def sigmoid(z):\n    while True:\n        pass",
    "import numpy as np\ndef sigmoid(z):\n    return np.ones((2**16, 2**16))",
    "import os\nos._exit(1)",
    "import numpy as np\nnp.allclose = lambda *a, **k: True\ndef sigmoid(z):\n    return z",
]


def solutions(course) -> dict[str, str]:
    """Each exercise's reference cell, markers removed."""
    markers = (authoring.BEGIN, authoring.END)
    return {
        e.id: "\n".join(line for line in "".join(course.cells[e.cell]["source"]).split("\n")
                        if line.strip() not in markers)
        for e in course.exercises
    }


def submission(student: dict, answers: dict[str, str]) -> dict:
    nb = json.loads(json.dumps(student))
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in answers and cell["metadata"]["nbgrader"]["solution"]:
            cell["source"] = answers[grade_id]
    return nb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    course = load_course(ROOT / "solutions" / "01_neuron.ipynb")
    student = json.loads((ROOT / "notebooks" / "01_neuron.ipynb").read_text(encoding="utf-8"))
    right = solutions(course)
    ids = list(right)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        for i in range(30):
            kind = ("right", "partly", "empty", "hostile")[i % 4]
            answers = {
                "right": right,
                "partly": {k: v for j, (k, v) in enumerate(right.items()) if j % 2},
                "empty": {},
                "hostile": {**right, "sigmoid": HOSTILE[i // 4 % len(HOSTILE)]},
            }[kind]
            path = folder / f"student{i:02d}_{kind}.ipynb"
            path.write_text(authoring.dumps(submission(student, answers)), encoding="utf-8")
        started = time.perf_counter()
        results = grade_class([folder], Path(tmp) / "grades", jobs=args.jobs,
                              limits=Limits(seconds=5), log=lambda _: None)
        wall = time.perf_counter() - started
    scores = sorted(s["score"] for s in results["students"].values())
    print(f"30 submissions x {len(ids)} exercises graded in {wall:.1f} s wall time "
          f"(scores {scores[0]:g}..{scores[-1]:g} of {course.max_points:g}).")


if __name__ == "__main__":
    main()
