"""Grade a synthetic class of 30 submissions and print the wall time.

    python benchmarks/grade_class.py [--notebook 04_mlp] [--jobs N]

The class: right answers, partly wrong ones, unfilled notebooks and hostile ones (an
infinite loop, a memory bomb, os._exit, a patched np.allclose, a kill of the grader, a
socket, a disk filler), built from the student notebook in a temporary folder. Printed
beside it, in the same process: the same number of right answers alone (the baseline).
Targets on a 2-core laptop: 01_neuron within 20 s, 04_mlp within 60 s.
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

# each replaces one exercise's cell; {name} is what the exercise defines
HOSTILE = [
    "def {name}(*args, **kwargs):\n    while True:\n        pass",
    "import numpy as np\ndef {name}(*args, **kwargs):\n    return np.ones((2**16, 2**16))",
    "import os\nos._exit(1)",
    "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
    "def {name}(*args, **kwargs):\n    return 0",
    "import os\nos.kill(os.getppid(), 9)",
    "import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'x', "
    "('127.0.0.1', 9))",
    "for i in range(8):\n    open(f'f{{i}}', 'wb').write(b'x' * (15 << 20))",
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


def make_class(folder: Path, student: dict, right: dict, course, hostile: bool) -> None:
    folder.mkdir()
    target = course.exercises[len(course.exercises) // 2]
    for i in range(30):
        kind = ("right", "partly", "empty", "hostile")[i % 4] if hostile else "right"
        answers = {
            "right": right,
            "partly": {k: v for j, (k, v) in enumerate(right.items()) if j % 2},
            "empty": {},
            "hostile": {**right, target.id: HOSTILE[i // 4 % len(HOSTILE)].format(
                name=target.name)},
        }[kind]
        path = folder / f"student{i:02d}_{kind}.ipynb"
        path.write_text(authoring.dumps(submission(student, answers)), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="01_neuron")
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    course = load_course(ROOT / "solutions" / f"{args.notebook}.ipynb")
    student = json.loads((ROOT / "notebooks" / f"{args.notebook}.ipynb").read_text(
        encoding="utf-8"))
    right = solutions(course)
    for label, hostile in (("mixed class", True), ("right answers only (baseline)", False)):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "class"
            make_class(folder, student, right, course, hostile)
            started = time.perf_counter()
            results = grade_class([folder], Path(tmp) / "grades", jobs=args.jobs,
                                  limits=Limits(seconds=5), log=lambda _: None)
            wall = time.perf_counter() - started
        scores = sorted(s["score"] for s in results["students"].values())
        print(f"{args.notebook}, {label}: 30 submissions x {len(right)} exercises graded in "
              f"{wall:.1f} s wall time (scores {scores[0]:g}..{scores[-1]:g} of "
              f"{course.max_points:g}).")


if __name__ == "__main__":
    main()
