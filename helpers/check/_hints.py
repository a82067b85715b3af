"""Hints on demand: ``check.hint("<exercise id>")`` prints the next hint for that exercise.

Each exercise has two or more **tiers**, from a nudge to the worked answer:

1. a nudge: what to think about, which earlier result to reuse;
2. the key step (for a derivation: the chain of local derivatives, one sample first);
3. the worked answer, as the last tier.

Each call prints the next tier; asking past the last tier repeats the last one;
``check.hint("sigmoid", tier=2)`` jumps to a tier (and continues from there). The output is
plain text, so it looks the same in JupyterLab, VS Code and Colab.

Hint texts live next to the checks, one module per notebook (``hints_neuron.py``, ...); each
calls :func:`add_hints` when imported. A hint never changes a check's verdict: checks do not
read this module, and this module reads no student code.
"""

from __future__ import annotations

import difflib
import textwrap
from importlib import import_module

__all__ = ["HINTS", "UnknownExercise", "add_hints", "hint", "more_help", "reset"]

#: Every exercise's hint tiers, by exercise id, in course order. Filled by :func:`add_hints`.
HINTS: dict[str, tuple[str, ...]] = {}
#: Exercises whose tiers are a derivation (they need at least three tiers).
DERIVATIONS: set[str] = set()
#: How many tiers of each exercise have been shown in this session.
_SHOWN: dict[str, int] = {}

# the hint texts, one module per notebook
_HINT_MODULES = (
    "hints_neuron", "hints_descent", "hints_backprop", "hints_mlp", "hints_sgd", "hints_softmax",
)
_WIDTH = 88


class UnknownExercise(LookupError):
    """``check.hint`` was asked about an exercise id it does not know."""

    def _render_traceback_(self) -> list[str]:  # Jupyter: the message, no traceback
        return str(self).splitlines()


def add_hints(exercise: str, *tiers: str, derivation: bool = False) -> None:
    """Register the hint tiers of ``exercise``: a nudge first, the worked answer last."""
    if exercise in HINTS:
        raise RuntimeError(f"hints for {exercise!r} are registered twice")
    if len(tiers) < (3 if derivation else 2):
        raise ValueError(f"{exercise}: a derivation needs 3 tiers, any exercise 2")
    HINTS[exercise] = tuple(_dedent(t) for t in tiers)
    if derivation:
        DERIVATIONS.add(exercise)


def _dedent(text: str) -> str:
    """A tier as written in a hints module: continuation lines lose the source's 4 spaces.

    Prose is then flush left and code (indented 4 more in the source) keeps 4 spaces.
    """
    first, *rest = text.strip("\n").split("\n")
    rest = [line[4:] if line.startswith("    ") else line.lstrip() for line in rest]
    return "\n".join([first.strip(), *rest]).rstrip()


def _load() -> None:
    for name in _HINT_MODULES:
        import_module(f"{__package__}.{name}")


def reset(exercise: str | None = None) -> None:
    """Start an exercise's hints (or every exercise's) from the first tier again."""
    if exercise is None:
        _SHOWN.clear()
    else:
        _SHOWN.pop(exercise, None)


def _format(exercise: str, number: int, tiers: tuple[str, ...]) -> str:
    last = number == len(tiers)
    title = f"Hint {number} of {len(tiers)} for {exercise}"
    title += " (the worked answer):" if last else ":"
    lines, prose = [title], []

    def flush() -> None:
        if prose:
            lines.extend(textwrap.wrap(" ".join(prose), _WIDTH, initial_indent="  ",
                                       subsequent_indent="  ", break_long_words=False,
                                       break_on_hyphens=False))
            prose.clear()

    in_code = False
    for line in tiers[number - 1].split("\n"):
        if line.startswith("    "):  # code: kept as written
            flush()
            lines.append("  " + line)
            in_code = True
        elif not line.strip():
            flush()
            if in_code:
                lines.append("")  # a blank line inside code (between methods) stays
        else:
            prose.append(line.strip())
            in_code = False
    flush()
    while lines[-1] == "":
        lines.pop()
    if not last:
        lines.append(f'(Stuck after this? Run check.hint("{exercise}") again for the next one.)')
    return "\n".join(lines)


def hint(exercise: str, tier: int | None = None) -> None:
    """Print the next hint for ``exercise`` (or hint number ``tier``).

    ``exercise`` is the id in the exercise's check cell: ``check.hint("sigmoid")`` for
    ``check.sigmoid(sigmoid)``. Past the last tier, the last one (the worked answer) repeats.
    """
    if not isinstance(exercise, str):  # check.hint(sigmoid) or check.hint(check.sigmoid)
        exercise = getattr(exercise, "__name__", str(exercise))
    key = exercise.strip().lower()
    if key not in HINTS:
        close = difflib.get_close_matches(key, HINTS, n=1)
        guess = f' Did you mean check.hint("{close[0]}")?' if close else ""
        text = (f"No hints for {exercise!r}.{guess} Use the exercise id in the check cell, in "
                f'quotes: check.hint("sigmoid") for check.sigmoid(sigmoid). Exercises with '
                f"hints: {', '.join(HINTS)}.")
        raise UnknownExercise("\n".join(textwrap.wrap(text, _WIDTH, break_long_words=False,
                                                       break_on_hyphens=False)))
    tiers = HINTS[key]
    if tier is None:
        number = min(_SHOWN.get(key, 0) + 1, len(tiers))
    else:
        if isinstance(tier, bool) or not isinstance(tier, int) or not 1 <= tier <= len(tiers):
            raise ValueError(
                f"tier must be a whole number from 1 to {len(tiers)} for {key}; got {tier!r}."
            )
        number = tier
    _SHOWN[key] = number
    print(_format(key, number, tiers))


def more_help(exercise: str) -> str:
    """The line a failed check adds in Jupyter when ``exercise`` has hints, else ""."""
    if exercise not in HINTS:
        return ""
    line = f'Stuck? check.hint("{exercise}") shows a hint; run it again for the next one.'
    return "\n" + "\n".join(textwrap.wrap(line, _WIDTH, initial_indent="  ",
                                          subsequent_indent="  ", break_long_words=False))


_load()
