"""Grade a class: find the submissions, grade them in parallel, write the three outputs.

Into ``<out>/<course notebook>/``:

- ``gradebook.csv``: one row per student, a column per exercise, then total and maximum;
- ``feedback/<student>.txt``: what each student reads, the checks' own messages;
- ``results.json``: every result, with each submission's content hash. A re-run skips
  the submissions whose hash (with the course notebook and the limits) is unchanged and
  keeps every earlier result; each file is replaced atomically, after every submission.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing import get_context
from pathlib import Path

from helpers.check import CheckFailed

from . import course as courses
from .judge import ExerciseResult, Limits, grade_exercise, not_graded

__all__ = ["GradingError", "Submission", "default_solutions", "find_submissions", "grade_class"]

FORMAT = 1  # of results.json; a change re-grades everything


class GradingError(ValueError):
    """A problem with how the grader was asked to run (the instructor's to fix)."""


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path


def default_solutions() -> Path:
    """The course notebooks: ``solutions/`` next to the package, else in the working folder."""
    beside = Path(__file__).resolve().parents[2] / "solutions"
    return beside if beside.is_dir() else Path.cwd() / "solutions"


def find_submissions(paths: Iterable[Path]) -> list[Submission]:
    """Notebooks under ``paths``; the student is the first folder below a given folder, or
    else the file name (``alice.ipynb``, ``alice/01_neuron.ipynb``: both are alice)."""
    found = []
    for root in paths:
        if root.is_file():
            found.append(Submission(root.stem, root))
            continue
        if not root.is_dir():
            raise GradingError(f"{root}: no such file or folder")
        for path in sorted(root.rglob("*.ipynb")):
            relative = path.relative_to(root)
            if ".ipynb_checkpoints" in relative.parts:
                continue
            student = relative.parts[0] if len(relative.parts) > 1 else path.stem
            found.append(Submission(student, path))
    return found


def _safe_name(student: str) -> str:
    return re.sub(r"[^\w.@-]+", "_", student).strip("._") or "student"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(tmp, path)


@lru_cache(maxsize=8)
def _course(path: str, digest: str) -> courses.Course:
    course = courses.load_course(Path(path))
    if course.digest != digest:
        raise GradingError(f"{path} changed while grading")
    return course


def _grade_task(course_path: str, digest: str, exercise_id: str, source: str,
                limits: Limits) -> dict:
    """One exercise of one submission (runs in a worker process)."""
    course = _course(course_path, digest)
    return grade_exercise(course, course.exercise(exercise_id), source, limits).to_dict()


def grade_class(
    paths: list[Path],
    out: Path,
    *,
    notebook: str | None = None,
    solutions: Path | None = None,
    jobs: int | None = None,
    limits: Limits | None = None,
    force: bool = False,
    log: Callable[[str], None] = print,
) -> dict:
    """Grade every submission under ``paths`` into ``out``; returns the results.json data."""
    solutions = solutions or default_solutions()
    limits = limits or Limits()
    known = {p.stem: p for p in sorted(solutions.glob("*.ipynb"))}
    if not known:
        raise GradingError(f"no course notebooks in {solutions} (use --solutions)")
    submissions = find_submissions(paths)
    out = out.resolve()
    for root in paths:
        folder = root.resolve() if root.is_dir() else root.resolve().parent
        if out == folder or folder in out.parents:
            raise GradingError(f"the output folder {out} is inside the submissions folder "
                               f"{folder}: choose another with --out")
    if not submissions:
        raise GradingError("no notebooks (.ipynb) found in " + ", ".join(map(str, paths)))

    parsed = {}
    for sub in submissions:
        data = sub.path.read_bytes()
        try:
            nb = courses.read_notebook(data)
        except courses.SubmissionError as err:
            nb = err
        declared = courses.declared_notebook(None if isinstance(nb, Exception) else nb,
                                             sub.path.name, list(known))
        parsed[sub] = (data, nb, declared)
    if notebook is None:
        votes = Counter(d for _, _, d in parsed.values() if d in known)
        if not votes:
            raise GradingError("no submission says which course notebook it is: use --notebook")
        notebook = votes.most_common(1)[0][0]
        log(f"Grading as {notebook} (declared by {votes[notebook]} of {len(submissions)} "
            "notebooks; choose another with --notebook).")
    if notebook not in known:
        raise GradingError(f"no course notebook {notebook!r}; known: {', '.join(known)}")
    course = courses.load_course(known[notebook])
    chosen = _one_per_student(parsed, notebook)

    folder = out / course.name
    results_path = folder / "results.json"
    previous = json.loads(results_path.read_text(encoding="utf-8")) if results_path.exists() else {}
    students = dict(previous.get("students", {}))
    settings = f"{FORMAT}|{course.digest}|{limits.seconds}|{limits.memory_mb}"

    todo: dict[str, dict] = {}
    tasks = []
    for student, (sub, (data, nb, declared), notes) in sorted(chosen.items()):
        key = hashlib.sha256(data + settings.encode()).hexdigest()
        if not force and students.get(student, {}).get("key") == key:
            continue
        entry = {"file": str(sub.path), "key": key, "notebook": declared, "notes": notes,
                 "exercises": {}}
        todo[student] = entry
        for exercise in course.exercises:
            result = _pre_judged(exercise, nb, declared, course.name, entry)
            if result is not None:
                entry["exercises"][exercise.id] = result.to_dict()
            else:
                source, _ = courses.exercise_source(nb, exercise)
                tasks.append((student, course.path, course.digest, exercise.id, source))
    skipped = len(chosen) - len(todo)
    log(f"{len(chosen)} students: {len(todo)} to grade, {skipped} unchanged since the last run.")

    started = time.monotonic()

    def finished(student: str) -> None:
        entry = todo[student]
        if len(entry["exercises"]) < len(course.exercises):
            return
        entry["exercises"] = {e.id: entry["exercises"][e.id] for e in course.exercises}
        entry["score"] = sum(r["points"] for r in entry["exercises"].values())
        entry["max_score"] = course.max_points
        entry["graded_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        students[student] = entry
        _write_atomic(folder / "feedback" / f"{_safe_name(student)}.txt",
                      _feedback(student, course, entry))
        _write_atomic(results_path, json.dumps(
            {"format": FORMAT, "notebook": course.name, "students": students},
            indent=1, ensure_ascii=False) + "\n")
        log(f"  {student}: {entry['score']:g} / {course.max_points:g}")

    for student in todo:
        finished(student)
    for student, result in _run_tasks(tasks, limits, jobs):
        todo[student]["exercises"][result["exercise"]] = result
        finished(student)
    _write_atomic(folder / "gradebook.csv", _gradebook(course, students))
    log(f"Graded {len(todo)} in {time.monotonic() - started:.1f} s. Wrote {folder}/ "
        "(gradebook.csv, results.json, feedback/).")
    return {"format": FORMAT, "notebook": course.name, "students": students}


def _one_per_student(parsed: dict, notebook: str) -> dict:
    """Each student's notebook for this course (a stray extra notebook is noted, not graded)."""
    by_student: dict[str, list] = {}
    for sub, info in parsed.items():
        by_student.setdefault(sub.student, []).append((sub, info))
    chosen = {}
    for student, items in by_student.items():
        matching = [item for item in items if item[1][2] == notebook] or items
        notes = [f"also found {sub.path.name}, which was not graded."
                 for sub, _ in items if sub is not matching[0][0]]
        chosen[student] = (*matching[0], notes)
    return chosen


def _pre_judged(exercise: courses.Exercise, nb, declared: str | None, notebook: str,
                entry: dict) -> ExerciseResult | None:
    """The result of an exercise that needs no sandbox: unreadable, wrong or missing."""
    if isinstance(nb, Exception):
        problem = ("unreadable", f"your notebook could not be read: {nb}",
                   "open it in Jupyter, check that your work is there, save, and hand it in "
                   "again.")
    elif declared is not None and declared != notebook:
        problem = ("wrong notebook", f"you handed in the notebook {declared}; this "
                   f"assignment is {notebook}.", f"hand in your {notebook}.ipynb.")
    else:
        problem = None
    if problem:
        entry["status"] = problem[0]
        entry["problem"] = str(CheckFailed(notebook, *problem[1:]))
        return not_graded(exercise, *problem)
    entry["status"] = "graded"
    source, notes = courses.exercise_source(nb, exercise)
    entry["notes"] = entry["notes"] + notes
    if source is None:
        return not_graded(exercise, "missing", "your notebook has no cell for this exercise "
                          "(was it deleted?).", f"copy the exercise's cell from a fresh "
                          f"{notebook}.ipynb into your notebook, fill it in, and hand it in again.")
    return None


def _run_tasks(tasks: list, limits: Limits, jobs: int | None):
    """Yield (student, result) as the exercises finish, on ``jobs`` worker processes."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(tasks) <= 1:
        for student, *task in tasks:
            yield student, _grade_task(*task, limits)
        return
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(_grade_task, *task, limits): student
                   for student, *task in tasks}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _feedback(student: str, course: courses.Course, entry: dict) -> str:
    lines = [f"Feedback for {student}: {course.name}",
             f"Score: {entry['score']:g} / {entry['max_score']:g}", ""]
    if entry["notes"]:
        lines += [f"Note: {note}" for note in entry["notes"]] + [""]
    if entry.get("problem"):
        return "\n".join([*lines, entry["problem"], "", "No exercise was graded."]) + "\n"
    for result in entry["exercises"].values():
        lines.append(f"[{result['points']:g}/{result['max_points']:g}] {result['feedback']}")
        lines += [f"  Note: {note}" for note in result["notes"]]
    lines += ["", "Only your exercise cells were run, each on its own; other cells you added "
              "are not graded."]
    return "\n".join(lines) + "\n"


def _gradebook(course: courses.Course, students: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    ids = [e.id for e in course.exercises]
    writer.writerow(["student", *ids, "total", "max", "status"])
    for student, entry in sorted(students.items()):
        points = [f"{entry['exercises'].get(i, {}).get('points', 0):g}" for i in ids]
        writer.writerow([student, *points, f"{entry['score']:g}", f"{entry['max_score']:g}",
                         entry.get("status", "graded")])
    return buffer.getvalue()
