"""``nn-workbook-grade`` (or ``python -m helpers.grading``): grade a class's notebooks."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .batch import GradingError, grade_class
from .course import CourseError
from .judge import Limits

__all__ = ["main"]

_EPILOG = """\
examples:
  nn-workbook-grade submissions/                  # grades into ./grades/<notebook>/
  nn-workbook-grade submissions/ --notebook 01_neuron --out grades --jobs 4

Each exercise runs on its own, in a fresh confined process, with the time and memory
limits below; the checks run in strict mode (more trials) outside that process.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="nn-workbook-grade", description=__doc__.split("``")[0].strip() or None,
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("submissions", nargs="+", type=Path,
                        help="notebooks, or folders of them (student = first folder or file name)")
    parser.add_argument("-o", "--out", type=Path, default=Path("grades"),
                        help="output folder, never inside the submissions (default: ./grades)")
    parser.add_argument("--notebook", help="the course notebook, e.g. 01_neuron "
                        "(default: the one most submissions declare)")
    parser.add_argument("--solutions", type=Path, help="the folder of course (solution) notebooks")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="exercises graded at once (default: the number of cores)")
    parser.add_argument("--timeout", type=float, default=Limits.seconds,
                        help=f"seconds per exercise (default: {Limits.seconds:g})")
    parser.add_argument("--memory", type=int, default=1024,
                        help="megabytes of memory per exercise (default: 1024)")
    parser.add_argument("--force", action="store_true",
                        help="re-grade every submission, even unchanged ones")
    args = parser.parse_args(argv)
    try:
        grade_class(
            args.submissions, args.out, notebook=args.notebook, solutions=args.solutions,
            jobs=max(args.jobs, 1), limits=Limits(args.timeout, args.memory), force=args.force,
        )
    except (GradingError, CourseError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # the results so far are written; grade_class said where
        return 130
    return 0
