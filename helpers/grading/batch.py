"""Grade a class: find the submissions, grade them in parallel, write the three outputs.

Into ``<out>/<course notebook>/``:

- ``gradebook.csv``: one row per student, a column per exercise, then total, maximum,
  status and the student's feedback file;
- ``feedback/<file>.txt``: what each student reads, the checks' own messages; the file
  is the student's name when that name is a plain lower-case file name (``alice``),
  else a readable part of it and a hash of the whole (``alice_smith~1c0b6e5f2a9d.txt``),
  so that no two students share a file;
- ``results.json``: every result, with each submission file's ``sha256`` and the
  ``settings`` it was graded with. A re-run skips the submissions whose sha256 and
  settings (course notebook, limits, format) are unchanged and keeps every earlier result.

All three are written as the results come, each file replaced atomically, after every
student: a grader stopped half-way (a crash, a kill, Ctrl-C) leaves the results so far
on disk, and running it again continues from there. Files get the usual permissions
(the process's umask), like any file the instructor makes.

One submission never stops the run: a file that cannot be read or parsed, in any way,
makes that student ``unreadable``; a symbolic link is not followed (the student is
``unreadable``: hand in the notebook itself); the grader's own trouble with an exercise
is reported as such (status ``error``, graded again on the next run).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import stat
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import course as courses
from helpers.check import CheckFailed

from . import lock
from .export import by_name
from .judge import Limits, not_graded, too_big
from .pool import run_tasks

__all__ = ["Book", "GradingError", "Submission", "default_solutions", "feedback_name",
           "find_submissions", "grade_class", "in_shard", "output_folder", "write_atomic"]

FORMAT = 2  # of results.json; a change re-grades everything
#: The largest file read as a notebook; a real one, outputs included, is a few MB.
MAX_NOTEBOOK = 100 << 20
_UNREADABLE_HINT = ("open it in Jupyter, check that your work is there, save, and hand it in "
                    "again.")


class GradingError(ValueError):
    """A problem with how the grader was asked to run (the instructor's to fix)."""


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path


@dataclass
class _Parsed:
    """A submission as read: its bytes' sha256, its JSON (or why not), what it declares."""

    sha256: str
    notebook: dict[str, Any] | None
    problem: str | None  # why the file is unreadable, for the student
    declared: str | None
    notes: list[str] = field(default_factory=list)  # metadata ignored, for the student


@dataclass
class _Plan:
    """What this run grades: the new entries and the sandbox tasks that fill them in."""

    todo: dict[str, dict] = field(default_factory=dict)
    tasks: list[tuple] = field(default_factory=list)


def default_solutions() -> Path:
    """The course notebooks: ``solutions/`` next to the package, else in the working folder."""
    beside = Path(__file__).resolve().parents[2] / "solutions"
    return beside if beside.is_dir() else Path.cwd() / "solutions"


def find_submissions(paths: Iterable[Path]) -> list[Submission]:
    """Notebooks under ``paths``; the student is the first folder below a given folder, or
    else the file name (``alice.ipynb``, ``alice/01_neuron.ipynb``: both are alice).

    Links are listed, never followed: a linked notebook, or a student folder that is a
    link, is a submission the grader will not read.
    """
    found = []
    for root in paths:
        if root.is_file() or (root.is_symlink() and root.suffix == ".ipynb"):
            found.append(Submission(_printable(root.stem), root))
            continue
        if not root.is_dir():
            raise GradingError(f"{root}: no such file or folder")
        for folder, dirs, files in os.walk(root):
            here = Path(folder)
            relative = here.relative_to(root)
            dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
            for name in dirs:
                if here == root and (here / name).is_symlink():
                    found.append(Submission(_printable(name), here / name))
            for name in sorted(files):
                if name.endswith(".ipynb"):
                    student = relative.parts[0] if relative.parts else Path(name).stem
                    found.append(Submission(_printable(student), here / name))
    return sorted(found, key=lambda s: (s.student, str(s.path)))


def _printable(name: str) -> str:
    """A file name as text that can be written anywhere: bytes that are not UTF-8 (an
    archive from another system) become escapes like ``\\xe9``, distinct as the bytes were."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def feedback_name(student: str) -> str:
    """The student's feedback file name: distinct for distinct names, short, portable.

    A plain lower-case name is kept as it is; any other name (capitals, spaces, accents,
    dots, a long name) becomes a readable part of it and a hash of the whole, so that
    "Alice Smith", "Alice_Smith" and "alice_smith" get three files even on a disk that
    ignores case.
    """
    if re.fullmatch(r"[a-z0-9_][a-z0-9_.@-]{0,79}", student):
        return f"{student}.txt"
    readable = re.sub(r"[^a-z0-9_.@-]+", "_", student.lower()).strip("._-@")[:60] or "student"
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"{readable}~{digest}.txt"


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
    report: dict | None = None,
    progress: bool | None = None,
    shard: tuple[int, int] | None = None,
) -> dict:
    """Grade every submission under ``paths`` into ``out``; returns the results.json data.

    Then writes the class report and the exports (``report``: the keyword arguments of
    :func:`helpers.grading.report.write_outputs`, e.g. ``{"export": ("canvas",)}``) and
    logs the one-screen summary. ``progress``: a progress bar on stderr instead of one line
    per student (default: when stderr is a terminal). ``shard`` (k, n): grade only the
    students of part k of n (:func:`in_shard`); the notebook is still chosen by all.
    """
    solutions = solutions or default_solutions()
    limits = limits or Limits()
    known = _course_notebooks(solutions)
    submissions = find_submissions(paths)
    out = output_folder(out, paths)
    if not submissions:
        raise GradingError("no notebooks (.ipynb) found in " + ", ".join(map(str, paths)))
    parsed = {sub: _read(sub, list(known)) for sub in submissions}
    notebook = _choose_notebook(notebook, parsed, known, len(submissions), log)
    course = courses.load_course(known[notebook])
    with lock.hold(out / course.name):
        return _grade(course, out, parsed, limits, jobs, force, log, report, progress, shard)


def _grade(course: courses.Course, out: Path, parsed: dict, limits: Limits, jobs: int | None,
           force: bool, log: Callable[[str], None], report: dict | None,
           progress: bool | None, shard: tuple[int, int] | None) -> dict:
    book = Book(out / course.name, course, log, shard)
    # as the command line writes them (10.0): Limits(seconds=10) is the same setting
    settings = f"{FORMAT}|{course.digest}|{float(limits.seconds)}|{int(limits.memory_mb)}"
    chosen = _one_per_student(parsed, course.name)
    if shard is not None:
        chosen = {s: found for s, found in chosen.items() if in_shard(s, shard)}
    plan = _plan(chosen, course, book, settings, force)
    skipped = len(chosen) - len(plan.todo)
    log(f"{len(chosen)} students: {len(plan.todo)} to grade, {skipped} unchanged since the "
        "last run.")

    started = time.monotonic()
    bar = _progress_bar(len(plan.tasks), progress)
    if bar is not None:
        book.log = lambda _line: None  # the bar shows the progress; the summary follows
    try:
        for student in list(plan.todo):
            book.offer(student, plan.todo[student])
        for student, result in run_tasks(plan.tasks, limits, jobs):
            entry = plan.todo[student]
            entry["exercises"][result["exercise"]] = result
            book.offer(student, entry)
            if bar is not None:
                bar.update()
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        log(f"Interrupted: the {book.graded} students graded so far are in {book.folder}/; "
            "run the same command again to grade the rest.")
        raise
    finally:
        if bar is not None:
            bar.close()
        book.write_gradebook()
    log(f"Graded {len(plan.todo)} in {time.monotonic() - started:.1f} s. Wrote {book.folder}/ "
        "(gradebook.csv, results.json, feedback/).")
    try:  # logs, never raises for the report or an export; this guards the import too
        from .report import write_outputs

        write_outputs(book.data(), book.folder, course=course, log=log, **(report or {}))
    except Exception as err:  # the results are written: an extra never loses them
        log(f"Warning: the class report could not be written ({type(err).__name__}: {err}).")
    return book.data()


def _progress_bar(total: int, wanted: bool | None) -> Any:
    """A tqdm bar on stderr counting exercises graded, or None (not a terminal, or off)."""
    if wanted is None:
        wanted = sys.stderr.isatty()
    if not wanted or total == 0:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # a runtime dependency; without it the run just has no bar
        return None
    return tqdm(total=total, file=sys.stderr, unit="exercise", desc="Grading",
                dynamic_ncols=True, leave=False)


# -- the steps ------------------------------------------------------------------------------
def in_shard(student: str, shard: tuple[int, int]) -> bool:
    """Whether ``student`` is graded by part k of n: by a hash of the name alone, so a
    student's part never depends on who else handed in."""
    k, n = shard
    digest = hashlib.sha256(student.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") % n == k - 1


def _course_notebooks(solutions: Path) -> dict[str, Path]:
    known = {p.stem: p for p in sorted(solutions.glob("*.ipynb"))}
    if not known:
        raise GradingError(f"no course notebooks in {solutions} (use --solutions)")
    return known


def output_folder(out: Path, paths: list[Path]) -> Path:
    out = out.resolve()
    for root in paths:
        folder = root.resolve() if root.is_dir() else root.resolve().parent
        if out == folder or folder in out.parents:
            raise GradingError(f"the output folder {out} is inside the submissions folder "
                               f"{folder}: choose another with --out")
    return out


def _read(sub: Submission, known: list[str]) -> _Parsed:
    """Read and parse one submission; whatever is wrong with it, say so and go on."""
    try:
        data = _read_bytes(sub.path)
    except _Unreadable as err:
        return _Parsed("", None, str(err), None)
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        nb, notes = courses.read_submission(data)
        declared = courses.declared_notebook(nb, sub.path.name, known)
    except courses.SubmissionError as err:
        return _Parsed(sha256, None, str(err), _declared_by_name(sub, known))
    except Exception as err:  # JSON that parses but is no notebook
        return _Parsed(sha256, None, _odd_file(err), _declared_by_name(sub, known))
    return _Parsed(sha256, nb, None, declared, notes)


class _Unreadable(Exception):
    pass


def _read_bytes(path: Path) -> bytes:
    """A regular file's bytes, without following a link or reading without end."""
    try:
        info = path.lstat()
    except OSError as err:
        raise _Unreadable(f"the file could not be opened ({err.strerror}).") from err
    if stat.S_ISLNK(info.st_mode):
        raise _Unreadable("the file is a symbolic link (a shortcut to another file); the "
                          "grader does not follow links: hand in the notebook itself.")
    if not stat.S_ISREG(info.st_mode):
        raise _Unreadable("this is not a regular file, so not a notebook.")
    if info.st_size > MAX_NOTEBOOK:
        raise _Unreadable(f"the file is {info.st_size / 1e6:.0f} MB; a notebook the grader "
                          f"reads is at most {MAX_NOTEBOOK / 1e6:.0f} MB (clear its outputs).")
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            data = handle.read(MAX_NOTEBOOK + 1)
    except OSError as err:
        raise _Unreadable(f"the file could not be read ({err.strerror}).") from err
    if len(data) > MAX_NOTEBOOK:
        raise _Unreadable("the file grew while the grader read it.")
    return data


def _odd_file(err: BaseException) -> str:
    detail = str(err).split("\n")[0][:200]
    return (f"the grader cannot read this file as a notebook ({type(err).__name__}"
            + (f": {detail}" if detail else "") + ").")


def _declared_by_name(sub: Submission, known: list[str]) -> str | None:
    try:
        return courses.declared_notebook(None, sub.path.name, known)
    except Exception:
        return None


def _choose_notebook(notebook: str | None, parsed: dict, known: dict, count: int,
                     log: Callable[[str], None]) -> str:
    if notebook is None:
        votes = Counter(p.declared for p in parsed.values() if p.declared in known)
        if not votes:
            raise GradingError("no submission says which course notebook it is: use --notebook")
        notebook = votes.most_common(1)[0][0]
        log(f"Grading as {notebook} (declared by {votes[notebook]} of {count} "
            "notebooks; choose another with --notebook).")
    if notebook not in known:
        raise GradingError(f"no course notebook {notebook!r}; known: {', '.join(known)}")
    return notebook


def _one_per_student(parsed: dict, notebook: str) -> dict:
    """Each student's notebook for this course (a stray extra notebook is noted, not graded)."""
    by_student: dict[str, list] = {}
    for sub, info in parsed.items():
        by_student.setdefault(sub.student, []).append((sub, info))
    chosen = {}
    for student, items in by_student.items():
        matching = [item for item in items if item[1].declared == notebook] or items
        notes = [f"also found {_printable(sub.path.name)}, which was not graded."
                 for sub, _ in items if sub is not matching[0][0]]
        chosen[student] = (*matching[0], notes)
    return chosen


def _plan(chosen: dict, course: courses.Course, book: Book, settings: str,
          force: bool) -> _Plan:
    """The students to grade (new or changed) and one sandbox task per exercise to run."""
    plan = _Plan()
    for student, (sub, parsed, notes) in sorted(chosen.items()):
        if not force and book.unchanged(student, parsed.sha256, settings):
            continue
        entry = {"file": _printable(str(sub.path)), "sha256": parsed.sha256, "settings": settings,
                 "notebook": parsed.declared, "notes": list(notes), "exercises": {},
                 "feedback": feedback_name(student)}
        try:
            tasks = _judge_before_running(entry, parsed, course)
        except Exception as err:  # a notebook odd in a way not foreseen
            entry["exercises"], entry["notes"] = {}, list(notes)
            tasks = _unreadable(entry, course, _odd_file(err))
        plan.todo[student] = entry
        plan.tasks += [(student, course.path, course.digest, exercise_id, source)
                       for exercise_id, source in tasks]
    return plan


def _judge_before_running(entry: dict, parsed: _Parsed,
                          course: courses.Course) -> list[tuple[str, str]]:
    """Fill in what needs no sandbox (unreadable, wrong or missing); the rest to run."""
    if parsed.problem is not None:
        return _unreadable(entry, course, parsed.problem)
    if parsed.declared is not None and parsed.declared != course.name:
        return _not_this_one(entry, course, "wrong notebook",
                             f"you handed in the notebook {parsed.declared}; this assignment "
                             f"is {course.name}.", f"hand in your {course.name}.ipynb.")
    entry["status"] = "graded"
    entry["notes"] += parsed.notes
    tasks = []
    for exercise in course.exercises:
        source, notes = courses.exercise_source(parsed.notebook, exercise)
        if source is not None and not isinstance(source, str):
            raise TypeError("a cell's source is not text")
        entry["notes"] += notes
        if source is None:
            entry["exercises"][exercise.id] = not_graded(
                exercise, "missing", "your notebook has no cell for this exercise (was it "
                "deleted?).", f"copy the exercise's cell from a fresh {course.name}.ipynb "
                "into your notebook, fill it in, and hand it in again.").to_dict()
        elif (big := too_big(exercise, source)) is not None:
            entry["exercises"][exercise.id] = big.to_dict()
        else:
            tasks.append((exercise.id, source))
    return tasks


def _unreadable(entry: dict, course: courses.Course, problem: str) -> list:
    message = f"your notebook could not be read: {problem}"
    return _not_this_one(entry, course, "unreadable", message, _UNREADABLE_HINT)


def _not_this_one(entry: dict, course: courses.Course, status: str, message: str,
                  hint: str) -> list:
    entry["status"] = status
    entry["problem"] = str(CheckFailed(course.name, message, hint))
    for exercise in course.exercises:
        entry["exercises"][exercise.id] = not_graded(exercise, status, message, hint).to_dict()
    return []


# -- the outputs ----------------------------------------------------------------------------
class Book:
    """The output folder: earlier results, and every file rewritten as results come."""

    def __init__(self, folder: Path, course: courses.Course, log: Callable[[str], None],
                 shard: tuple[int, int] | None = None):
        self.folder, self.course, self.log, self.shard = folder, course, log, shard
        self.path = folder / "results.json"
        self.students: dict[str, dict] = {}
        self.graded = 0
        if self.path.exists():
            try:
                previous = json.loads(self.path.read_text(encoding="utf-8"))
                self.students = {str(k): v for k, v in previous["students"].items()
                                 if isinstance(v, dict)}
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
                kept = self.path.with_name(f"results.unreadable-{time.strftime('%Y%m%dT%H%M%S')}"
                                           ".json")
                os.replace(self.path, kept)
                log(f"Warning: {self.path} could not be read ({type(err).__name__}); kept it "
                    f"as {kept.name} and grading everyone again.")

    def unchanged(self, student: str, sha256: str, settings: str) -> bool:
        old = self.students.get(student, {})
        return (bool(sha256) and old.get("sha256") == sha256 and old.get("settings") == settings
                and all(r.get("status") != "error" for r in old.get("exercises", {}).values()))

    def offer(self, student: str, entry: dict) -> None:
        """Record a student once all their exercises are in; write their files at once."""
        exercises = self.course.exercises
        if len(entry["exercises"]) < len(exercises):
            return
        entry["exercises"] = {e.id: entry["exercises"][e.id] for e in exercises}
        entry["score"] = sum(r["points"] for r in entry["exercises"].values())
        entry["max_score"] = self.course.max_points
        if any(r["status"] == "error" for r in entry["exercises"].values()):
            entry["status"] = "grader error"  # not the student's: graded again next run
        entry["graded_at"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        self.students[student] = entry
        self.graded += 1
        write_atomic(self.folder / "feedback" / entry["feedback"],
                      _feedback(student, self.course, entry))
        self.write_results()
        self.write_gradebook()
        self.log(f"  {student}: {entry['score']:g} / {self.course.max_points:g}")

    def data(self) -> dict:
        data = {"format": FORMAT, "notebook": self.course.name, "students": self.students}
        if self.shard is not None:  # what --merge checks: every part, each once
            data["shard"] = "{}/{}".format(*self.shard)
        return data

    def write_results(self) -> None:
        write_atomic(self.path, json.dumps(self.data(), indent=1, ensure_ascii=False) + "\n")

    def write_gradebook(self) -> None:
        write_atomic(self.folder / "gradebook.csv", _gradebook(self.course, self.students))


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o666 & ~_umask())  # as open() would have made it, not 0600
        # (a stray undecodable byte is escaped rather than lose the whole file)
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace",
                       newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


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


def _cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: never a formula (=, +, -, @, tab, CR)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _gradebook(course: courses.Course, students: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    ids = [e.id for e in course.exercises]
    writer.writerow(["student", *ids, "total", "max", "status", "feedback"])
    for student, entry in sorted(students.items(), key=lambda item: by_name(item[0])):
        points = [f"{entry['exercises'].get(i, {}).get('points', 0):g}" for i in ids]
        writer.writerow([_cell(student), *points, f"{entry['score']:g}",
                         f"{entry['max_score']:g}", _cell(entry.get("status", "graded")),
                         _cell(entry.get("feedback") or feedback_name(student))])
    return buffer.getvalue()

