"""The class report: what the class got wrong, for the instructor, without naming anyone.

Written next to the gradebook after every grading run, into ``<out>/<notebook>/``:

- ``report.html``: self-contained (inline CSS, the histogram as an embedded PNG), opens
  offline, no JavaScript;
- ``report.md``: the same content as Markdown (the histogram as a table of counts).

Per exercise: the share right, not written yet, timed out or crashed, and the named
mistakes ranked by how many students made them, each with its hint text; the three
misconceptions worth a lecture slide, each with one anonymised example code line; a
histogram of total scores; the exercises ranked by difficulty. When several notebooks
were graded into the same ``--out``, ``<out>/all_notebooks.csv`` has one row per student
and one column per notebook; that table names students, so it is a gradebook of its own,
never part of the report (which shows only anonymous per-notebook figures).

The input is a list of plain :class:`ExerciseRecord`; :func:`records_from_results` makes
them from a ``results.json`` (see its docstring for what it assumes about that format).
The same records give the same bytes: everything is sorted, and the report carries no
time unless one is passed in.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

__all__ = [
    "STATUSES",
    "ExerciseRecord",
    "records_from_results",
    "summary_text",
    "write_all_notebooks",
    "write_outputs",
    "write_report",
]

#: What a record's status may be. "error" is the grader's own trouble, never the student's;
#: "unreadable" and "wrong notebook" mark every exercise of a submission not graded at all.
STATUSES = ("right", "wrong", "not written yet", "timed out", "crashed", "error",
            "unreadable", "wrong notebook")
UNNAMED = "unnamed"
_NOT_GRADED = ("unreadable", "wrong notebook")
try:  # the ids of hints that say how to read an error, not which mistake it is
    from helpers.check.mistakes import GENERIC as _GENERIC_IDS
except ImportError:  # checks without mistake ids: the same list, as it was listed there
    _GENERIC_IDS = frozenset({"error/generic", "error/name-not-defined",
                              "error/part-not-written", "shape/generic"})
_EXAMPLE_WIDTH = 100  # characters of an example code line shown
# submissions read again per mistake to find its example line (the first ones by name):
# enough for the most common line, and the report's cost stays the same for a big class
_EXAMPLES_READ = 20


@dataclass(frozen=True)
class ExerciseRecord:
    """One student's result on one exercise, as plain data."""

    student: str
    notebook: str
    exercise: str
    points: float
    max_points: float
    status: str  # one of STATUSES
    message: str = ""  # the ✗ line, without "✗ <exercise>: "
    hint: str = ""
    mistake: str | None = None  # a stable mistake id; None: the check named no mistake
    code_line: str | None = None  # the student's line that produced it, if known

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"ExerciseRecord.status must be one of {STATUSES}; "
                             f"got {self.status!r} (exercise {self.exercise!r})")


# -- from results.json ----------------------------------------------------------------------
# results.json statuses (helpers/grading/judge.py, branch a) -> report statuses
_STATUS_MAP = {
    "passed": "right",
    "failed": "wrong",
    "not written": "not written yet",
    "missing": "not written yet",  # the exercise's cell was deleted: nothing to grade
    "timeout": "timed out",
    "memory": "crashed",
    "disk": "crashed",
    "exit": "crashed",
    "crashed": "crashed",
    "too big": "crashed",
    "error": "error",
    "unreadable": "unreadable",
    "wrong notebook": "wrong notebook",
}
# Hints that say how to read an error, not which mistake it is (helpers/check/_core.py,
# helpers/grading/judge.py): a failure with one of these is "unnamed" when the results
# carry no mistake id.
_GENERIC_HINT_PARTS = (
    "read the error message",
    "read the error it gives",
    "still raises NotImplementedError",
    "run the cells above this one first",
    "keep the name",
    "compare the shapes of your intermediate arrays",
    "make the object your function returns behave",
)


def parse_feedback(text: str) -> tuple[str, str, str | None]:
    """(message, hint, your line) from a check's verdict as the grader stores it.

    The verdict is ``CheckFailed.text``: ``✗ <exercise>: <message>``, wrapped at 88 columns
    (continuations indented two spaces), an optional ``  Your line: `<code>` `` line and an
    optional ``  Hint: <hint>`` (continuations indented eight spaces).
    """
    message, hint, line = [], [], None
    target = message
    for i, raw in enumerate(text.splitlines()):
        if i == 0:
            message.append(re.sub(r"^[✗✓]\s*[^:\s]+:\s*", "", raw).strip())
        elif raw.startswith("  Your line: "):
            found = re.match(r"\s*Your line: `(.*)`\s*$", raw)
            line = found.group(1) if found else raw.split("Your line:", 1)[1].strip()
        elif raw.startswith("  Hint: "):
            target = hint
            hint.append(raw[len("  Hint: "):].strip())
        elif raw.strip():
            target.append(raw.strip())
    return " ".join(message), " ".join(hint), line


def _slug(text: str, words: int = 6) -> str:
    tokens = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(tokens[:words]) or "hint"


def _fallback_mistake(exercise: str, message: str, hint: str) -> str | None:
    """A mistake id derived from the hint, for results written before mistake ids existed."""
    if not hint or any(p in hint for p in _GENERIC_HINT_PARTS):
        return None
    return f"{exercise}/{_slug(hint)}"


def records_from_results(data: Mapping[str, Any], *, course: Any = None) -> list[ExerciseRecord]:
    """The records of one ``results.json`` (the format of branch a, ``FORMAT = 2``).

    Assumed: ``{"format", "notebook", "students": {name: entry}}``; an entry has
    ``"status"`` ("graded", "unreadable", "wrong notebook", "grader error"), ``"file"``
    and ``"exercises": {exercise id: result}``; a result has ``exercise``, ``points``,
    ``max_points``, ``status`` (passed, failed, not written, missing, too big, timeout,
    memory, disk, exit, crashed, error) and ``feedback`` (the check's verdict text, parsed
    by :func:`parse_feedback`). A result may carry ``"mistake"`` (the issue-19 mistake id,
    "unnamed" or null when the check named none; the ids of hints on reading an error,
    ``helpers.check.mistakes.GENERIC``, count as unnamed): when the key is present it is
    used as it is; when
    it is absent (results written before mistake ids existed) a failure whose hint names a
    specific mistake gets an id made from the exercise and the hint's first words.

    ``course`` (a :class:`helpers.course.Course`): when given, a named mistake with
    no ``Your line`` gets, as its example, the first line where the student's exercise cell
    (read again from ``file``) differs from the reference answer: for the three most
    frequent mistakes, from the first 20 students (by name) who made each, so that the cost
    stays the same for a big class. A file that cannot be read just gives no example.
    """
    notebook = str(data.get("notebook", ""))
    records, files = [], {}
    for student, entry in sorted(data.get("students", {}).items()):
        if not isinstance(entry, dict):
            continue
        entry_status = entry.get("status", "graded")
        files[str(student)] = entry.get("file")
        for exercise_id, result in entry.get("exercises", {}).items():
            status = _STATUS_MAP.get(result.get("status", ""), "error")
            if entry_status in _NOT_GRADED:
                status = entry_status
            message, hint, line = parse_feedback(str(result.get("feedback", "")))
            if "mistake" in result:
                mistake = result["mistake"] or None
                if mistake == UNNAMED or mistake in _GENERIC_IDS:
                    mistake = None  # a hint on reading an error names no misconception
            elif status == "wrong":
                mistake = _fallback_mistake(exercise_id, message, hint)
            else:
                mistake = None
            if status != "wrong":
                mistake = None
            records.append(ExerciseRecord(
                student=str(student), notebook=notebook, exercise=str(exercise_id),
                points=float(result.get("points", 0)),
                max_points=float(result.get("max_points", 0)), status=status,
                message=message, hint=hint, mistake=mistake, code_line=line))
    return records if course is None else _with_examples(records, files, course)


def _with_examples(records: list[ExerciseRecord], files: dict[str, Any],
                   course: Any) -> list[ExerciseRecord]:
    """Example lines for the top three mistakes, from the first students' cells (by name)."""
    counts = Counter(r.mistake for r in records if r.mistake)
    top = set(sorted(counts, key=lambda m: (-counts[m], m))[:3])
    looked: Counter = Counter()
    notebooks: dict[str, Any] = {}
    out = []
    for r in records:
        if r.mistake in top and r.code_line is None and looked[r.mistake] < _EXAMPLES_READ:
            looked[r.mistake] += 1
            if r.student not in notebooks:
                notebooks[r.student] = _read_submission(files.get(r.student))
            line = _changed_line(course, r.exercise, notebooks[r.student])
            if line is not None:
                r = replace(r, code_line=line)
        out.append(r)
    return out


def _read_submission(path: Any) -> dict | Exception:
    from helpers.course import read_notebook

    try:
        return read_notebook(Path(str(path)).read_bytes())
    except Exception as err:  # unreadable, moved, a link: no example, never a failure
        return err


# Lines that never show a misconception: comments, docstrings, imports, given signatures.
_NOT_AN_EXAMPLE = ("#", '"""', "'''", "import ", "from ", "def ", "class ", "@",
                   "raise NotImplementedError")


def _code_lines(source: str) -> list[str]:
    return [text for text in (line.strip() for line in source.splitlines())
            if text and not text.startswith(_NOT_AN_EXAMPLE)]


def _changed_line(course: Any, exercise_id: str, nb: Any) -> str | None:
    """The first line of the student's cell that the reference answer does not have."""
    if not isinstance(nb, dict):
        return None
    try:
        from helpers.course import _source, exercise_source

        exercise = course.exercise(exercise_id)
        source, _ = exercise_source(nb, exercise)
        reference = _source(course.cells[exercise.cell])
    except Exception:
        return None
    if not source:
        return None
    theirs, ours = _code_lines(source), set(_code_lines(reference))
    return next((line for line in theirs if line not in ours), None)


# -- the analysis ---------------------------------------------------------------------------
@dataclass(frozen=True)
class _Mistake:
    id: str
    exercise: str
    hint: str
    count: int
    example: str | None


@dataclass(frozen=True)
class _ExerciseStats:
    exercise: str
    attempted: int  # graded submissions
    right: int
    wrong: int
    not_written: int
    stopped: int  # timed out or crashed
    error: int
    points: float
    max_points: float
    mistakes: tuple[_Mistake, ...]
    unnamed: int

    def share(self, count: int) -> float:
        return count / self.attempted if self.attempted else 0.0


@dataclass(frozen=True)
class _Analysis:
    notebook: str
    exercises: tuple[_ExerciseStats, ...]
    totals: tuple[float, ...]  # one per student, sorted
    max_score: float
    students: int
    not_graded: Counter
    top: tuple[_Mistake, ...]


def _anonymise(line: str, names: Sequence[str]) -> str:
    """A code line with comments dropped and any student's name blanked out."""
    text = line.split("#", 1)[0].rstrip() if "#" in line else line
    text = " ".join(text.split()) or line.strip()
    for name in names:
        parts = sorted({name, *re.split(r"[\s_.@-]+", name)}, key=lambda p: (-len(p), p))
        for part in parts:
            if len(part) >= 3:
                text = re.sub(rf"(?<![a-z]){re.escape(part)}(?![a-z])", "…", text,
                              flags=re.IGNORECASE)
    if len(text) > _EXAMPLE_WIDTH:
        text = text[: _EXAMPLE_WIDTH - 1] + "…"
    return text


def _analyse(records: Sequence[ExerciseRecord], notebook: str,
             exercises: Sequence[str] | None) -> _Analysis:
    records = [r for r in records if not notebook or r.notebook == notebook]
    order = list(exercises or [])
    for r in records:
        if r.exercise not in order:
            order.append(r.exercise)
    names = sorted({r.student for r in records}, key=lambda n: (-len(n), n))
    by_student: dict[str, dict[str, ExerciseRecord]] = defaultdict(dict)
    for r in records:
        by_student[r.student][r.exercise] = r
    not_graded = Counter()
    for results in by_student.values():
        statuses = {r.status for r in results.values()}
        for status in _NOT_GRADED:
            if status in statuses:
                not_graded[status] += 1
    graded = [r for r in records if r.status not in _NOT_GRADED]
    stats, all_mistakes = [], defaultdict(list)
    for exercise in order:
        mine = [r for r in graded if r.exercise == exercise]
        counts = Counter(r.status for r in mine)
        groups: dict[str, list[ExerciseRecord]] = defaultdict(list)
        for r in mine:
            if r.status == "wrong" and r.mistake:
                groups[r.mistake].append(r)
                all_mistakes[r.mistake].extend([r])
        mistakes = tuple(sorted(
            (_mistake(mid, rs, names) for mid, rs in groups.items()),
            key=lambda m: (-m.count, m.id)))
        mine_all = [r for r in records if r.exercise == exercise]
        stats.append(_ExerciseStats(
            exercise=exercise, attempted=len(mine), right=counts["right"],
            wrong=counts["wrong"], not_written=counts["not written yet"],
            stopped=counts["timed out"] + counts["crashed"], error=counts["error"],
            points=sum(r.points for r in mine_all),
            max_points=max((r.max_points for r in mine_all), default=0.0),
            mistakes=mistakes,
            unnamed=sum(1 for r in mine if r.status == "wrong" and not r.mistake)))
    top = tuple(sorted((_mistake(mid, rs, names) for mid, rs in all_mistakes.items()),
                       key=lambda m: (-m.count, m.id))[:3])
    totals = tuple(sorted(sum(r.points for r in results.values())
                          for results in by_student.values()))
    max_score = sum(s.max_points for s in stats)
    return _Analysis(notebook, tuple(stats), totals, max_score, len(by_student), not_graded,
                     top)


def _mistake(mistake_id: str, records: list[ExerciseRecord], names: Sequence[str]) -> _Mistake:
    hints = Counter(r.hint for r in records if r.hint)
    hint = min(hints, key=lambda h: (-hints[h], h)) if hints else ""
    lines = Counter(_anonymise(r.code_line, names) for r in records if r.code_line)
    example = min(lines, key=lambda x: (-lines[x], x)) if lines else None
    students = len({r.student for r in records})
    return _Mistake(mistake_id, records[0].exercise, hint, students, example)


def _difficulty(analysis: _Analysis) -> list[_ExerciseStats]:
    """Hardest first: the smallest share right, then the most named mistakes."""
    position = {s.exercise: i for i, s in enumerate(analysis.exercises)}
    return sorted(analysis.exercises,
                  key=lambda s: (s.share(s.right), -s.wrong, position[s.exercise]))


# -- the histogram --------------------------------------------------------------------------
def _bins(analysis: _Analysis) -> list[tuple[float, int]]:
    """(score, students) for every whole score from 0 to the maximum (rounded down)."""
    top = int(analysis.max_score) if analysis.max_score else int(max(analysis.totals, default=0))
    counts = Counter(min(int(t), top) for t in analysis.totals)
    return [(float(score), counts.get(score, 0)) for score in range(top + 1)]


def _histogram_png(analysis: _Analysis) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    bins = _bins(analysis)
    fig = Figure(figsize=(6.4, 3.2), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.bar([b for b, _ in bins], [c for _, c in bins], width=0.8, color="#4477aa")
    ax.set_xlabel(f"total score (of {analysis.max_score:g})")
    ax.set_ylabel("students")
    ax.set_title(f"{analysis.notebook}: total scores of {_students(analysis.students)}")
    ax.set_xticks([b for b, _ in bins])
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.17, top=0.88)  # tight_layout: 2x slower
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


# -- the documents --------------------------------------------------------------------------
def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _mean_median(totals: Sequence[float]) -> tuple[float, float]:
    if not totals:
        return 0.0, 0.0
    return statistics.fmean(totals), float(statistics.median(totals))


def _markdown(analysis: _Analysis, overview: list[tuple], generated: str | None) -> str:
    a = analysis
    mean, median = _mean_median(a.totals)
    out = [f"# What the class got wrong: {a.notebook}", ""]
    if generated:
        out += [f"Graded {generated}.", ""]
    out += [f"{_students(a.students)}; mean score {mean:.1f} and median {median:g} of "
            f"{a.max_score:g}." + _not_graded_sentence(a), ""]
    out += [f"## {_top_heading(len(a.top))}", ""]
    if not a.top:
        out += ["No named mistake was made.", ""]
    for i, m in enumerate(a.top, 1):
        out.append(f"{i}. **{m.exercise}**: {_md(m.hint) or m.id} ({_students(m.count)}; "
                   f"`{m.id}`)")
        if m.example:
            out.append(f"   Example: `{m.example.replace('`', chr(39))}`")
    out += ["", "## Total scores", "", "| score | students |", "|---:|---:|"]
    out += [f"| {score:g} | {count} |" for score, count in _bins(a)]
    out += ["", "## Exercises, hardest first", "",
            "| exercise | right | wrong | not written yet | timed out or crashed |",
            "|---|---:|---:|---:|---:|"]
    for s in _difficulty(a):
        out.append(f"| {s.exercise} | {_pct(s.share(s.right))} | {_pct(s.share(s.wrong))} | "
                   f"{_pct(s.share(s.not_written))} | {_pct(s.share(s.stopped))} |")
    out += ["", "## Mistakes per exercise", ""]
    for s in a.exercises:
        out += [f"### {s.exercise}", "",
                f"{s.attempted} graded: {_pct(s.share(s.right))} right, "
                f"{_pct(s.share(s.not_written))} not written yet, "
                f"{_pct(s.share(s.stopped))} timed out or crashed."
                + (f" The grader could not grade {s.error} (graded again next run)."
                   if s.error else ""), ""]
        if s.mistakes or s.unnamed:
            out += ["| students | mistake | hint |", "|---:|---|---|"]
            out += [f"| {m.count} | `{m.id}` | {_md(m.hint)} |" for m in s.mistakes]
            if s.unnamed:
                out.append(f"| {s.unnamed} | {UNNAMED} | (wrong, no known mistake named) |")
            out.append("")
    if overview:
        out += ["## All notebooks in this output folder", "",
                "| notebook | students | mean | median | of |", "|---|---:|---:|---:|---:|"]
        out += [f"| {nb} | {n} | {mean_:.1f} | {median_:g} | {top:g} |"
                for nb, n, mean_, median_, top in overview]
        out += ["", "Per student: all_notebooks.csv in the output folder (names students).", ""]
    return "\n".join(out).rstrip() + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _top_heading(count: int) -> str:
    """The heading over the top misconceptions, counting those there are (at most three)."""
    number = {1: "One misconception", 2: "Two misconceptions", 3: "Three misconceptions"}
    return f"{number.get(count, 'Misconceptions')} worth a lecture slide"


def _students(count: int) -> str:
    return f"{count} student" + ("" if count == 1 else "s")


def _not_graded_sentence(a: _Analysis) -> str:
    parts = [f"{a.not_graded[s]} {s}" for s in _NOT_GRADED if a.not_graded[s]]
    return (" Not graded: " + ", ".join(parts) + ".") if parts else ""


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;
vertical-align:top}th{background:#f3f3f3;text-align:left}td.n{text-align:right}
code{background:#f5f5f5;padding:0 .2rem;border-radius:3px}ol li{margin-bottom:.6rem}
.bar{display:inline-block;height:.8rem;background:#4477aa;vertical-align:middle}
"""


def _html(analysis: _Analysis, overview: list[tuple], png: bytes, generated: str | None) -> str:
    a, e = analysis, html.escape
    mean, median = _mean_median(a.totals)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f"<title>What the class got wrong: {e(a.notebook)}</title>",
           f"<style>{_CSS}</style></head><body>",
           f"<h1>What the class got wrong: {e(a.notebook)}</h1>"]
    if generated:
        out.append(f"<p>Graded {e(generated)}.</p>")
    out.append(f"<p>{_students(a.students)}; mean score {mean:.1f} and median {median:g} of "
               f"{a.max_score:g}.{e(_not_graded_sentence(a))}</p>")
    out.append(f"<h2>{_top_heading(len(a.top))}</h2>")
    if not a.top:
        out.append("<p>No named mistake was made.</p>")
    else:
        out.append("<ol>")
        for m in a.top:
            example = (f"<br>Example: <code>{e(m.example)}</code>" if m.example else "")
            out.append(f"<li><strong>{e(m.exercise)}</strong>: {e(m.hint) or e(m.id)} "
                       f"({_students(m.count)}; <code>{e(m.id)}</code>){example}</li>")
        out.append("</ol>")
    out.append("<h2>Total scores</h2>")
    data = base64.b64encode(png).decode("ascii")
    out.append(f'<img alt="Histogram of total scores" width="640" height="320" '
               f'src="data:image/png;base64,{data}">')
    out.append("<h2>Exercises, hardest first</h2><table><tr><th>exercise</th><th>right</th>"
               "<th>wrong</th><th>not written yet</th><th>timed out or crashed</th></tr>")
    for s in _difficulty(a):
        width = round(100 * s.share(s.right))
        out.append(f"<tr><td>{e(s.exercise)}</td><td class=n>{_pct(s.share(s.right))} "
                   f'<span class=bar style="width:{width / 2:g}px"></span></td>'
                   f"<td class=n>{_pct(s.share(s.wrong))}</td>"
                   f"<td class=n>{_pct(s.share(s.not_written))}</td>"
                   f"<td class=n>{_pct(s.share(s.stopped))}</td></tr>")
    out.append("</table><h2>Mistakes per exercise</h2>")
    for s in a.exercises:
        error = (f" The grader could not grade {s.error} (graded again next run)."
                 if s.error else "")
        out.append(f"<h3>{e(s.exercise)}</h3><p>{s.attempted} graded: "
                   f"{_pct(s.share(s.right))} right, {_pct(s.share(s.not_written))} not written "
                   f"yet, {_pct(s.share(s.stopped))} timed out or crashed.{error}</p>")
        if s.mistakes or s.unnamed:
            out.append("<table><tr><th>students</th><th>mistake</th><th>hint</th></tr>")
            out += [f"<tr><td class=n>{m.count}</td><td><code>{e(m.id)}</code></td>"
                    f"<td>{e(m.hint)}</td></tr>" for m in s.mistakes]
            if s.unnamed:
                out.append(f"<tr><td class=n>{s.unnamed}</td><td>{UNNAMED}</td>"
                           "<td>(wrong, no known mistake named)</td></tr>")
            out.append("</table>")
    if overview:
        out.append("<h2>All notebooks in this output folder</h2><table><tr><th>notebook</th>"
                   "<th>students</th><th>mean</th><th>median</th><th>of</th></tr>")
        out += [f"<tr><td>{e(nb)}</td><td class=n>{n}</td><td class=n>{mean_:.1f}</td>"
                f"<td class=n>{median_:g}</td><td class=n>{top:g}</td></tr>"
                for nb, n, mean_, median_, top in overview]
        out.append("</table><p>Per student: <code>all_notebooks.csv</code> in the output "
                   "folder (it names students).</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# -- across notebooks -----------------------------------------------------------------------
def _sibling_results(out: Path) -> dict[str, dict]:
    """Each ``<out>/<notebook>/results.json`` that can be read, by notebook."""
    found = {}
    for path in sorted(Path(out).glob("*/results.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data.get("students"), dict):
                found[str(data.get("notebook") or path.parent.name)] = data
        except (OSError, ValueError, AttributeError):
            continue
    return found


def _csv_cell(text: str) -> str:
    """Text a spreadsheet shows as text, never as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_all_notebooks(out: Path) -> Path | None:
    """``<out>/all_notebooks.csv``: a row per student, a column per notebook graded into
    ``out`` (blank where a student handed nothing in), then the total and its maximum.

    Written only when ``out`` holds two notebooks or more; returns its path, else None.
    """
    results = _sibling_results(Path(out))
    if len(results) < 2:
        return None
    notebooks = sorted(results)
    scores: dict[str, dict[str, float]] = defaultdict(dict)
    maxima = {}
    for nb in notebooks:
        records = records_from_results(results[nb])
        maxima[nb] = _analyse(records, nb, None).max_score
        for r in records:
            scores[r.student][nb] = scores[r.student].get(nb, 0.0) + r.points
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *notebooks, "total", "max"])
    writer.writerow(["(points possible)", *(f"{maxima[nb]:g}" for nb in notebooks),
                     f"{sum(maxima.values()):g}", ""])
    for student in sorted(scores):
        row = scores[student]
        writer.writerow([_csv_cell(student), *(f"{row[nb]:g}" if nb in row else ""
                                                for nb in notebooks),
                         f"{sum(row.values()):g}", f"{sum(maxima.values()):g}"])
    path = Path(out) / "all_notebooks.csv"
    _write(path, buffer.getvalue())
    return path


def _overview(out: Path) -> list[tuple]:
    results = _sibling_results(out)
    if len(results) < 2:
        return []
    rows = []
    for nb in sorted(results):
        analysis = _analyse(records_from_results(results[nb]), nb, None)
        mean, median = _mean_median(analysis.totals)
        rows.append((nb, analysis.students, mean, median, analysis.max_score))
    return rows


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)


# -- the entry points -----------------------------------------------------------------------
def write_report(
    results: Iterable[ExerciseRecord],
    out_dir: Path,
    *,
    notebook: str,
    exercises: Sequence[str] | None = None,
    generated: str | None = None,
    across_notebooks: bool = True,
) -> dict[str, Path]:
    """Write ``report.html`` and ``report.md`` for ``notebook`` into ``out_dir``.

    ``out_dir`` is the notebook's folder, ``<out>/<notebook>/``. ``exercises`` gives their
    order (default: as they first appear in ``results``). ``generated``: a date to print,
    e.g. "2026-11-26"; none by default, so that the same results give the same files.
    With ``across_notebooks``, the other ``<out>/*/results.json`` are summed up in the
    report (anonymously) and ``<out>/all_notebooks.csv`` is written when there are two
    notebooks or more. Returns the paths written, by kind ("html", "md", "csv").
    """
    out_dir = Path(out_dir)
    records = sorted(results, key=lambda r: (r.student, r.notebook, r.exercise))
    analysis = _analyse(records, notebook, exercises)
    overview = _overview(out_dir.parent) if across_notebooks else []
    paths = {"html": out_dir / "report.html", "md": out_dir / "report.md"}
    _write(paths["md"], _markdown(analysis, overview, generated))
    _write(paths["html"], _html(analysis, overview, _histogram_png(analysis), generated))
    if across_notebooks:
        csv_path = write_all_notebooks(out_dir.parent)
        if csv_path is not None:
            paths["csv"] = csv_path
    return paths


def summary_text(results: Iterable[ExerciseRecord], out_dir: Path, *, notebook: str,
                 exercises: Sequence[str] | None = None) -> str:
    """The one-screen summary printed after grading: students, mean and median, how many
    were not graded, the top three misconceptions, and where the files are."""
    analysis = _analyse(list(results), notebook, exercises)
    mean, median = _mean_median(analysis.totals)
    lines = [f"{notebook}: {_students(analysis.students)} graded; mean {mean:.1f}, median "
             f"{median:g} of {analysis.max_score:g}."]
    unreadable = analysis.not_graded["unreadable"]
    wrong = analysis.not_graded["wrong notebook"]
    lines.append(f"Not graded: {unreadable} unreadable, {wrong} wrong notebook."
                 if unreadable or wrong else "Every notebook could be read and was the right one.")
    if analysis.top:
        lines.append("Top misconceptions:")
        for i, m in enumerate(analysis.top, 1):
            lines.append(f"  {i}. {m.exercise}: {_shorten(m.hint or m.id, 70)} "
                         f"({_students(m.count)})")
    else:
        lines.append("No named mistake was made.")
    out_dir = Path(out_dir)
    lines.append(f"Files: {out_dir}/ (gradebook.csv, results.json, feedback/, report.html, "
                 "report.md)")
    csv_path = out_dir.parent / "all_notebooks.csv"
    if csv_path.exists():
        lines.append(f"All notebooks, one row per student: {csv_path}")
    return "\n".join(lines)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def write_outputs(
    data: Mapping[str, Any],
    folder: Path,
    *,
    course: Any = None,
    export: Sequence[str] = (),
    roster: Path | None = None,
    assignment_id: str | None = None,
    identifier: str = "username",
    log: Any = print,
) -> dict[str, Path]:
    """Everything issue 19 adds after a grading run, in one call for ``grade_class``.

    ``data`` is what results.json holds, ``folder`` is ``<out>/<notebook>/``, ``course``
    the :class:`~helpers.course.Course` (for the exercises' order and the example
    code lines). Writes report.html, report.md, all_notebooks.csv (two notebooks or more)
    and one ``<platform>.csv`` per ``export``; then logs the one-screen summary. A failure
    here is logged and never loses a result: results.json and gradebook.csv are already
    written when this runs.
    """
    from .export import write_export

    folder = Path(folder)
    notebook = str(data.get("notebook") or folder.name)
    paths: dict[str, Path] = {}
    try:
        records = records_from_results(data, course=course)
        exercises = [e.id for e in course.exercises] if course is not None else None
        paths.update(write_report(records, folder, notebook=notebook, exercises=exercises))
    except Exception as err:  # the report is extra: never worth a lost run
        log(f"Warning: the class report could not be written ({type(err).__name__}: {err}).")
        records, exercises = None, None
    from .export import PLATFORMS

    for platform in sorted(set(PLATFORMS) - set(export)):
        # an export an earlier run wrote is not this run's: importing it would undo grades
        stale = folder / f"{platform}.csv"
        if stale.is_file():
            stale.unlink()
            log(f"Removed {stale.name} of an earlier run (this run did not --export "
                f"{platform}).")
    for platform in export:
        try:
            path, result = write_export(platform, data, folder, roster=roster,
                                        assignment_id=assignment_id, identifier=identifier)
        except (OSError, ValueError) as err:
            log(f"Warning: the {platform} export could not be written: {err}")
            continue
        paths[platform] = path
        if platform == "canvas" and roster is None:
            log(f"Warning: {path.name} was written without --roster, so each student's SIS "
                "Login ID is their file or folder name here (alice.ipynb: alice). Canvas "
                "looks each row up by that login: a name that is not the student's Canvas "
                "login matches nobody, and Canvas leaves that row out of the import (it "
                "lists it as a student it could not find). Pass the gradebook Canvas "
                "exports as --roster to match by Canvas ID.")
        if result.unmatched:
            shown = ", ".join(result.unmatched[:5]) + (", ..." if len(result.unmatched) > 5
                                                       else "")
            log(f"Warning: {len(result.unmatched)} students are not in the roster ({shown}); "
                f"{path.name} names them as graded here.")
    if records is not None:
        log(summary_text(records, folder, notebook=notebook, exercises=exercises))
        for platform in export:
            if platform in paths:
                log(f"For {platform.capitalize()}: {paths[platform]}")
    return paths
