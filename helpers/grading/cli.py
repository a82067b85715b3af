"""``nn-workbook-grade`` (or ``python -m helpers.grading``): grade a class's notebooks."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from . import lock, preflight
from .export import add_export_arguments, export_options

__all__ = ["main"]

_DESCRIPTION = """\
Grade a whole class's notebooks for one course notebook: a gradebook (CSV), one feedback
file per student, and results.json. Before it grades anyone, it checks its own environment
(the course's imports, and that the course's own answers pass) and stops if it cannot grade
fairly."""

_EPILOG = """\
examples:
  .venv/bin/nn-workbook-grade submissions/          # grades into ./grades/<notebook>/
  .venv/bin/nn-workbook-grade submissions/ --notebook 01_neuron --out grades --jobs 4
  # a class too big for one machine: part k of n on each (a job array), then one merge
  .venv/bin/nn-workbook-grade submissions/ --notebook 04_mlp --shard 3/8 --out part3
  .venv/bin/nn-workbook-grade --merge part1 part2 ... part8 --out grades

Each exercise runs on its own, in a fresh confined process, with the time and memory
limits below; the checks run in strict mode (more trials) outside that process.

exit status: 0 graded; 2 a usage problem (no submissions, an unknown notebook, ...);
3 the grader's own environment cannot grade fairly (nothing was graded or written).
"""

#: Exit status when the grader's environment, not a student, is at fault.
ENVIRONMENT_EXIT = 3


def _parser() -> argparse.ArgumentParser:
    # the default limits, without importing the judge (it needs numpy; see main)
    seconds, memory_mb = 30.0, 1024
    parser = argparse.ArgumentParser(
        prog="nn-workbook-grade", description=_DESCRIPTION, epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("submissions", nargs="*", type=Path,
                        help="notebooks, or folders of them (student = first folder or file name)")
    parser.add_argument("-o", "--out", type=Path, default=Path("grades"),
                        help="output folder, never inside the submissions (default: ./grades)")
    parser.add_argument("--notebook", help="the course notebook, e.g. 01_neuron "
                        "(default: the one most submissions declare)")
    parser.add_argument("--solutions", type=Path, help="the folder of course (solution) notebooks")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1,
                        help="exercises graded at once (default: the number of cores)")
    parser.add_argument("--timeout", type=float, default=seconds,
                        help=f"CPU seconds per exercise (default: {seconds:g}); a busy "
                        "machine slows a right answer but never stops it, and code that waits "
                        "(a sleep) is stopped after twice that plus 10 s of wall-clock time")
    parser.add_argument("--memory", type=int, default=memory_mb,
                        help=f"megabytes of memory per exercise (default: {memory_mb})")
    parser.add_argument("--force", action="store_true",
                        help="re-grade every submission, even unchanged ones")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress bar (there is none when stderr is not a terminal)")
    parser.add_argument("--shard", type=_shard, metavar="K/N",
                        help="grade only part K of N of the students (by a hash of each name, "
                        "so adding a student moves no one else); join the parts with --merge")
    parser.add_argument("--merge", nargs="+", type=Path, metavar="PART",
                        help="join the output folders of the --shard runs into --out (no "
                        "grading: the gradebook, feedback, report and exports of one run)")
    add_export_arguments(parser)
    return parser


def _shard(text: str) -> tuple[int, int]:
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write K/N, e.g. 2/8") from None
    if not 1 <= k <= n:
        raise argparse.ArgumentTypeError(f"{text!r}: K must be between 1 and N")
    return k, n


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.merge and (args.submissions or args.shard):
        parser.error("--merge joins finished parts: give no submissions and no --shard")
    if not args.merge and not args.submissions:
        parser.error("give the submissions (notebooks, or folders of them)")
    try:
        # first the imports alone: a Python without numpy gets this message, not a traceback
        preflight.check_imports()
        from helpers.course import CourseError

        from .batch import GradingError, default_solutions, grade_class, output_folder
        from .judge import Limits
    except preflight.EnvironmentProblem as err:
        return _environment_fault(err)
    limits = Limits(args.timeout, args.memory)
    solutions = args.solutions or default_solutions()
    if args.merge:
        return _merge(args, solutions)
    try:
        notebook = args.notebook
        if notebook is None:
            notebook, votes, total = _voted_notebook(args.submissions, solutions)
            if notebook:
                print(f"Grading as {notebook} (declared by {votes} of {total} notebooks; "
                      "choose another with --notebook).")
        course = solutions / f"{notebook}.ipynb"
        with contextlib.ExitStack() as held:
            if notebook and course.is_file():  # else grade_class says what is wrong
                # a second run into the same folder is refused now, not after the check
                folder = output_folder(args.out, args.submissions) / notebook
                held.enter_context(lock.hold(folder))
                if preflight.check_environment(course, limits, folder / preflight.CACHE_NAME):
                    print("Environment check: passed on an earlier run here, and nothing it "
                          "depends on has changed since.")
            # the notebook just checked is the one graded
            grade_class(
                args.submissions, args.out, notebook=notebook, solutions=solutions,
                jobs=max(args.jobs, 1), limits=limits, force=args.force,
                report=export_options(args), progress=False if args.quiet else None,
                shard=args.shard,
            )
    except preflight.EnvironmentProblem as err:
        return _environment_fault(err)
    except (GradingError, CourseError, lock.FolderBusy) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # the results so far are written; grade_class said where
        return 130
    return 0


def _merge(args: argparse.Namespace, solutions: Path) -> int:
    from helpers.course import CourseError

    from .batch import GradingError
    from .merge import merge_outputs

    try:
        merge_outputs(args.merge, args.out, solutions=solutions, report=export_options(args))
    except (GradingError, CourseError, lock.FolderBusy) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def _voted_notebook(paths: list[Path], solutions: Path) -> tuple[str | None, int, int]:
    """The course notebook most submissions declare, its votes, and the number of notebooks."""
    from collections import Counter

    from helpers.course import declared_notebook, read_notebook

    from .batch import find_submissions

    known = [p.stem for p in sorted(solutions.glob("*.ipynb"))]
    votes: Counter[str] = Counter()
    try:
        submissions = find_submissions(paths)
    except Exception:  # grade_class reports it
        return None, 0, 0
    for sub in submissions:
        try:
            nb = read_notebook(sub.path.read_bytes())
        except Exception:  # unreadable: it votes by its file name alone
            nb = None
        declared = declared_notebook(nb, sub.path.name, known)
        if declared in known:
            votes[declared] += 1
    if not votes:
        return None, 0, len(submissions)  # grade_class asks for --notebook
    notebook, count = votes.most_common(1)[0]
    return notebook, count, len(submissions)


def _environment_fault(err: preflight.EnvironmentProblem) -> int:
    print(f"error: the grader cannot grade fairly here, so it graded nobody and wrote "
          f"nothing.\n{err}", file=sys.stderr)
    return ENVIRONMENT_EXIT
