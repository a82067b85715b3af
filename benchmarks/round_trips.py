"""Count the RPC round trips, and the judge's CPU time, of each exercise of one right submission.

    python benchmarks/round_trips.py [--notebook 04_mlp] [--exercise linear ...]

Grades the course's own reference answers one exercise at a time through the grader's
per-exercise path (a sandbox forked from the fork server, the strict check in this
process) and counts the messages the judge sends: each request it makes and each reply to
a request of the sandbox's (the student's code calling a function of the check's) is one
round trip. The sandbox's CPU time is not seen from here; it is about the judge's.
Results: benchmarks/grade_class_results.md.
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.grade_class import solutions  # noqa: E402
from helpers.course import load_course  # noqa: E402
from helpers.grading import judge, rpc  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="04_mlp")
    parser.add_argument("--exercise", nargs="*", help="only these exercises (default: all)")
    args = parser.parse_args()
    course = load_course(ROOT / "solutions" / f"{args.notebook}.ipynb")
    right = solutions(course)
    sent: Counter = Counter()
    original = rpc.Connection._send

    def counting(self, kind, body):
        if self.guarded:  # the judge's end
            sent[kind] += 1
        return original(self, kind, body)

    rpc.Connection._send = counting
    limits = judge.Limits(seconds=600)
    judge.grade_exercise(course, course.exercises[0], right[course.exercises[0].id], limits)
    total = Counter()
    print(f"{'exercise':<24} {'status':<8} {'by judge':>9} {'by sandbox':>10} {'judge CPU':>9} "
          f"{'wall':>6}")
    for exercise in course.exercises:
        if args.exercise and exercise.id not in args.exercise:
            continue
        sent.clear()
        cpu, wall = time.process_time(), time.perf_counter()
        result = judge.grade_exercise(course, exercise, right[exercise.id], limits)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        total.update(sent)
        print(f"{exercise.id:<24} {result.status:<8} {sent['req']:>9} {sent['rep']:>10} "
              f"{cpu:>8.2f}s {wall:>5.1f}s", flush=True)
    print(f"{'total':<24} {'':<8} {total['req']:>9} {total['rep']:>10}  "
          f"= {total['req'] + total['rep']} round trips")


if __name__ == "__main__":
    main()
