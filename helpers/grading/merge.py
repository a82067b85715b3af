"""``nn-workbook-grade --merge OUT1 OUT2 ... -o OUT``: the parts of a sharded run, as one.

Each part (``--shard k/n``) wrote its own ``<OUTk>/<notebook>/``. The merge checks that the
parts belong together (the same course notebook, graded with the same settings; every part
1..n, each once; no student in two parts), then writes into ``<OUT>/<notebook>/`` what one
run over all the submissions writes: gradebook.csv, results.json, feedback/, the class
report and the exports. Only the times the parts graded at differ.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from helpers import course as courses

from . import lock
from .batch import FORMAT, Book, GradingError, default_solutions, write_atomic
from .export import by_name

__all__ = ["merge_outputs"]


def merge_outputs(parts: list[Path], out: Path, *, solutions: Path | None = None,
                  log: Callable[[str], None] = print, report: dict | None = None) -> dict:
    """Merge the output folders ``parts`` into ``out``; returns the results.json data."""
    loaded = [_load(part) for part in parts]
    notebooks = {data["notebook"] for _, data in loaded}
    if len(notebooks) != 1:
        raise GradingError("the parts grade different course notebooks: "
                           + ", ".join(sorted(map(str, notebooks))))
    notebook = notebooks.pop()
    _check_shards(loaded)
    students: dict[str, dict] = {}
    feedback: dict[str, Path] = {}
    for folder, data in loaded:
        for student, entry in data["students"].items():
            if student in students:
                raise GradingError(f"{student!r} is in two parts (the second: {folder}); "
                                   "merge the parts of one sharded run")
            students[student] = entry
            feedback[student] = folder / "feedback" / entry["feedback"]
    if len({e.get("settings") for e in students.values()}) > 1:
        raise GradingError("the parts were graded with different settings (course notebook "
                           "or limits): grade every part with the same command")
    course = courses.load_course((solutions or default_solutions()) / f"{notebook}.ipynb")
    if any(_digest(e.get("settings")) != course.digest for e in students.values()):
        raise GradingError(f"the parts were graded against another {notebook}.ipynb than "
                           "the one in the solutions folder (use --solutions)")
    target = Path(out).resolve() / notebook
    with lock.hold(target):
        book = Book(target, course, log)
        book.students = {s: students[s] for s in sorted(students, key=by_name)}
        for old in (target / "feedback").glob("*.txt"):
            old.unlink()  # an earlier merge's students who are in no part now
        for student, source in feedback.items():
            write_atomic(target / "feedback" / students[student]["feedback"],
                          source.read_text(encoding="utf-8"))
        data = book.data()
        book.write_results()
        book.write_gradebook()
        log(f"Merged {len(parts)} parts: {len(students)} students. Wrote {target}/ "
            "(gradebook.csv, results.json, feedback/).")
        from .report import write_outputs

        write_outputs(data, target, course=course, log=log, **(report or {}))
    return data


def _load(part: Path) -> tuple[Path, dict]:
    """A part's ``<notebook>/`` folder and its results.json (``part`` may be either)."""
    part = Path(part)
    found = [part] if (part / "results.json").is_file() else sorted(
        p.parent for p in part.glob("*/results.json"))
    if len(found) != 1:
        raise GradingError(f"{part}: not the output of one grading run (expected one "
                           f"<notebook>/results.json in it, found {len(found)})")
    try:
        data = json.loads((found[0] / "results.json").read_text(encoding="utf-8"))
        if data["format"] != FORMAT or not isinstance(data["students"], dict):
            raise ValueError("another format")
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise GradingError(f"{found[0] / 'results.json'} is not a results file of this "
                           f"grader ({type(err).__name__}); grade that part again") from err
    return found[0], data


def _digest(settings: object) -> str:
    """The course notebook's digest in a result's settings ("format|digest|seconds|MB")."""
    parts = str(settings).split("|")
    return parts[1] if len(parts) > 1 else ""


def _check_shards(loaded: list[tuple[Path, dict]]) -> None:
    """Every part 1..n of one sharded run, each once (parts of no sharded run: any)."""
    shards = [(folder, data.get("shard")) for folder, data in loaded]
    if all(shard is None for _, shard in shards):
        return
    if any(shard is None for _, shard in shards):
        raise GradingError("some parts are shards (--shard) and some are whole runs; merge "
                           "the shards of one run")
    parsed = [tuple(int(n) for n in shard.split("/")) for _, shard in shards]
    totals = {n for _, n in parsed}
    if len(totals) != 1:
        raise GradingError("the parts come from runs split in different numbers of shards: "
                           + ", ".join(sorted({s for _, s in shards})))
    total = totals.pop()
    seen = [k for k, _ in parsed]
    twice = sorted({k for k in seen if seen.count(k) > 1})
    missing = sorted(set(range(1, total + 1)) - set(seen))
    if twice:
        raise GradingError(f"shard {twice[0]}/{total} is given twice")
    if missing:
        raise GradingError("missing shard" + ("s " if len(missing) > 1 else " ")
                           + ", ".join(f"{k}/{total}" for k in missing)
                           + ": its students would be left out of the gradebook")
