"""Grade a synthetic class and print the wall time and the CPU time it took.

    python benchmarks/grade_class.py [--students 300] [--notebook 04_mlp] [--jobs N]
                                     [--class mixed|right|both]

The class: right answers, partly wrong ones, unfilled notebooks and hostile ones (an
infinite loop, a memory bomb, os._exit, a patched np.allclose, a kill of the grader, a
socket, a disk filler), built from the student notebook in a temporary folder; with
``--class both`` (the default), then as many right answers alone (the baseline). CPU time
is the grader's and all its processes' (workers, fork servers, sandboxes), user + system.
Targets on a quiet 2-core laptop: 30 of 01_neuron within 20 s, 300 of 04_mlp within 5 min.
Results: benchmarks/grade_class_results.md.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers import authoring  # noqa: E402
from helpers.course import load_course  # noqa: E402
from helpers.grading.batch import grade_class  # noqa: E402
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


def make_class(folder: Path, student: dict, right: dict, course, hostile: bool,
               size: int = 30) -> None:
    folder.mkdir()
    target = course.exercises[len(course.exercises) // 2]
    for i in range(size):
        kind = ("right", "partly", "empty", "hostile")[i % 4] if hostile else "right"
        answers = {
            "right": right,
            "partly": {k: v for j, (k, v) in enumerate(right.items()) if j % 2},
            "empty": {},
            "hostile": {**right, target.id: HOSTILE[i // 4 % len(HOSTILE)].format(
                name=target.name)},
        }[kind]
        path = folder / f"student{i:03d}_{kind}.ipynb"
        path.write_text(authoring.dumps(submission(student, answers)), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="01_neuron")
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--students", type=int, default=30, help="class size (default: 30)")
    parser.add_argument("--timeout", type=float, default=5.0,
                        help="CPU seconds per exercise (default: 5; the grader's own is 30)")
    parser.add_argument("--class", dest="kind", choices=("mixed", "right", "both"),
                        default="both")
    args = parser.parse_args()
    course = load_course(ROOT / "solutions" / f"{args.notebook}.ipynb")
    student = json.loads((ROOT / "notebooks" / f"{args.notebook}.ipynb").read_text(
        encoding="utf-8"))
    right = solutions(course)
    runs = (("mixed class", True), ("right answers only (baseline)", False))
    for label, hostile in runs:
        if args.kind != "both" and hostile != (args.kind == "mixed"):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "class"
            make_class(folder, student, right, course, hostile, args.students)
            started, cpu = time.perf_counter(), _cpu()
            results = grade_class([folder], Path(tmp) / "grades", jobs=args.jobs,
                                  limits=Limits(seconds=args.timeout), progress=False,
                                  log=_Progress(args.students, started))
            wall, cpu = time.perf_counter() - started, _cpu() - cpu
        scores = sorted(s["score"] for s in results["students"].values())
        statuses = Counter(r["status"] for s in results["students"].values()
                           for r in s["exercises"].values())
        print(f"{args.notebook}, {label}: {args.students} submissions x {len(right)} exercises "
              f"graded in {wall:.1f} s wall time, {cpu:.0f} s CPU (scores {scores[0]:g}.."
              f"{scores[-1]:g} of {course.max_points:g}; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores).", flush=True)
        print("  exercises: " + ", ".join(f"{n} {k}" for k, n in statuses.most_common()))


class _Progress:
    """Prints how many students are graded, and when, every tenth of the class: a run cut
    short still leaves a figure."""

    def __init__(self, total: int, started: float):
        self.total, self.started, self.done = total, started, 0

    def __call__(self, line: str) -> None:
        if not line.startswith("  ") or ": " not in line:  # one line per student graded
            return
        self.done += 1
        if self.done % max(self.total // 10, 1) == 0:
            print(f"  {self.done} of {self.total} graded after "
                  f"{time.perf_counter() - self.started:.0f} s (load average "
                  f"{os.getloadavg()[0]:.1f})", flush=True)


def _cpu() -> float:
    """User + system seconds of this process and of the finished processes below it."""
    now = os.times()
    return now.user + now.system + now.children_user + now.children_system


if __name__ == "__main__":
    main()
