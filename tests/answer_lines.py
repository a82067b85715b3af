"""The lines that complete each exercise, read from its solution region, for scanning feedback.

A failure message or a hint tier below the last must name the mistake, never write the fix
(PEDAGOGY.md §5). :func:`completing_lines` gives, per exercise, the pieces of code from its
solution region (``# BEGIN SOLUTION`` … ``# END SOLUTION`` in ``solutions/``) that would
complete it if the feedback printed them: each statement, and the expression it assigns or
returns. :func:`fixes_in` finds them in a text, ignoring white space, so ``dW = x.T @ dout``
is found in "use dW=x.T@dout".

Short or generic pieces (``return out``, ``self.x = x``, ``pass``) say nothing a student
could copy, and are left out: a piece counts when it has at least :data:`MIN_CHARS`
characters besides white space and holds an operator or a call. So is a piece the student
notebook itself prints (a call the exercise's specification names, ``make_model()``): that
one is given, not answered.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "# BEGIN SOLUTION", "# END SOLUTION"
MIN_CHARS = 12
_OPERATOR = re.compile(r"[-+*/@(\[]")
_BARE_CALL = re.compile(r"(return)?[\w.]+\([\w,]*\)")
#: what the student's own code looks like in a message: quoted back, not written for them
_QUOTED_LINE = re.compile(r"Your line: `[^`]*`")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pieces(line: str) -> list[str]:
    """A statement and the expression it returns or assigns, each squashed."""
    line = line.split("#", 1)[0].strip()
    if not line:
        return []
    pieces = [line]
    if line.startswith("return "):
        pieces.append(line[len("return "):])
    assigned = re.match(r"^[\w.\[\], ]+?\s*(?:[-+*/@]?=)\s*(?!=)(.+)$", line)
    if assigned:
        pieces.append(assigned.group(1))
    squashed = (_squash(p) for p in pieces)
    # a call of plain names names a step (`optimizer.step()`, `layer.forward(x)`); it does
    # not complete one
    return [p for p in squashed if len(p) >= MIN_CHARS and _OPERATOR.search(p)
            and not _BARE_CALL.fullmatch(p)]


def _student_text(name: str) -> str:
    """Everything the student notebook shows, squashed."""
    path = ROOT / "notebooks" / name
    if not path.is_file():
        return ""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return _squash("".join("".join(cell.get("source", [])) for cell in cells))


@functools.cache
def completing_lines() -> dict[str, tuple[str, ...]]:
    """Exercise id -> the squashed pieces of its solution that would complete it."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        given = _student_text(path.name)
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            source = "".join(cell.get("source", []))
            if not grade_id or BEGIN not in source:
                continue
            inside = False
            for line in source.splitlines():
                if line.strip() == BEGIN:
                    inside = True
                elif line.strip() == END:
                    inside = False
                elif inside:
                    found.setdefault(grade_id, []).extend(
                        piece for piece in _pieces(line) if piece not in given)
    return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}


def fixes_in(text: str, exercise: str) -> list[str]:
    """The pieces of ``exercise``'s solution that ``text`` writes out (the student's own
    quoted line aside)."""
    seen = _squash(_QUOTED_LINE.sub("", text))
    return [piece for piece in completing_lines().get(exercise, ()) if piece in seen]
