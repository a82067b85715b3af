"""Feedback names the mistake, never the fix (issue 23; PEDAGOGY.md §5 and §6).

Every failure that a table of wrong versions provokes goes through ``checking.assert_fails``,
which scans its text for the code of the exercise's solution (``answer_lines``). Here: every
hint tier below the last, for every exercise; and the scan itself, which must see a fix.
"""

import pytest
from answer_lines import completing_lines, fixes_in

from helpers.check import _hints

_hints._load()
EARLY_TIERS = [(exercise, number, text) for exercise, tiers in sorted(_hints.HINTS.items())
               for number, text in enumerate(tiers[:-1], start=1)]


@pytest.mark.parametrize("exercise, number, text", EARLY_TIERS,
                         ids=[f"{e}-tier{n}" for e, n, _ in EARLY_TIERS])
def test_no_hint_tier_below_the_last_writes_the_solution(exercise, number, text):
    written = fixes_in(text, exercise)
    assert not written, f"tier {number} of {exercise!r} writes its solution's code: {written}"


def test_the_code_exercises_have_solutions_to_scan_for():
    scanned = completing_lines()
    assert len(scanned) >= 60
    # a value's answer is a number (nothing to find); code exercises have pieces
    for exercise in ("sigmoid_prime", "mse_gradients", "linear", "value", "train",
                     "softmax_cross_entropy", "minibatches", "adam", "perceptron"):
        assert scanned.get(exercise), exercise


def test_the_scan_finds_a_fix_however_it_is_spaced():
    piece = next(p for p in completing_lines()["sigmoid_prime"])
    spaced = " ".join(piece)  # every character apart: white space never hides it
    assert fixes_in(f"Hint: use {spaced}.", "sigmoid_prime") == [piece]
    assert fixes_in("Hint: your derivative has the wrong sign.", "sigmoid_prime") == []


def test_the_students_own_quoted_line_is_not_a_fix():
    piece = next(p for p in completing_lines()["sigmoid_prime"])
    assert fixes_in(f"raised ValueError\n  Your line: `{piece}`", "sigmoid_prime") == []
