"""check.hint: tiers for every exercise, in order, the last one repeating; and what a failed
check says about them."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from helpers import check
from helpers.check import _hints
from helpers.grading.course import load_course

ROOT = Path(__file__).resolve().parents[1]
_CHECK_CALL = re.compile(r"^\s*check\.([a-z_][a-z0-9_]*)\s*\(", re.MULTILINE)


def exercise_ids(notebook: str) -> list[str]:
    """The exercise ids of a solution notebook: its graded check cells, in order."""
    nb = json.loads((ROOT / "solutions" / notebook).read_text(encoding="utf-8"))
    ids = []
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        if cell["cell_type"] == "code" and grade_id.startswith("check_"):
            ids.append(grade_id[len("check_"):])
    return ids


FIRST = ["01_neuron.ipynb", "02_gradient_descent.ipynb", "03_backpropagation.ipynb"]
LATER = ["04_mlp.ipynb", "05_sgd.ipynb", "06_softmax_cross_entropy.ipynb"]
IDS_01_03 = [i for nb in FIRST for i in exercise_ids(nb)]
IDS_04_06 = [i for nb in LATER for i in exercise_ids(nb)]

# Exercises whose tiers are a derivation (issue 17): they need three tiers.
DERIVATIONS_01_03 = {
    "mse_gradients", "graph_forward_backward", "graph_exercise", "sigmoid_prime",
    "tanh_prime", "relu_prime", "chain_backward", "value", "train_neuron",
    "dc_da", "value_relu",
}
DERIVATIONS_04_06 = {  # the gradients issue 17 names for the later notebooks
    "linear", "sigmoid_layer", "tanh_layer", "relu_layer", "mse_loss", "softmax_cross_entropy",
    "adam",
}


@pytest.fixture(autouse=True)
def fresh_hints():
    _hints.reset()
    yield
    _hints.reset()


def shown(capsys) -> str:
    return capsys.readouterr().out


def test_every_exercise_of_01_to_03_has_hints():
    assert len(IDS_01_03) >= 25  # the scan found the notebooks' check cells
    missing = [i for i in IDS_01_03 if i not in _hints.HINTS]
    assert not missing, f"exercises without hints: {missing}"


def test_which_move_tier_2_gives_the_relation_not_each_options_change():
    """Round 3: tier 2 listed Δz for all four moves, the answer before the last tier."""
    tier2, last = _hints.HINTS["which_move"][1], _hints.HINTS["which_move"][-1]
    assert "Δz = Δw·x + Δb" in tier2
    assert "x·x + 1" not in tier2 and "(a)" not in tier2 and "η·z" not in tier2
    assert "x·x + 1" in last and 'WHICH_MOVE = "a"' in last


def test_every_exercise_of_04_to_06_has_hints():
    assert len(IDS_04_06) >= 18
    missing = [i for i in IDS_04_06 if i not in _hints.HINTS]
    assert not missing, f"exercises of 04-06 without hints: {missing}"


def test_hints_name_only_real_exercises():
    assert set(_hints.HINTS) <= set(IDS_01_03) | set(IDS_04_06)


@pytest.mark.parametrize("exercise", sorted(_hints.HINTS))
def test_tiers_count_two_or_three_for_a_derivation(exercise):
    tiers = _hints.HINTS[exercise]
    assert len(tiers) >= (3 if exercise in _hints.DERIVATIONS else 2)
    assert all(t.strip() for t in tiers)
    assert len(set(tiers)) == len(tiers)  # no tier repeats another


def test_the_derivations_are_marked_and_have_three_tiers():
    assert DERIVATIONS_01_03 | DERIVATIONS_04_06 <= _hints.DERIVATIONS
    for exercise in DERIVATIONS_01_03 | DERIVATIONS_04_06:
        assert len(_hints.HINTS[exercise]) >= 3


# Notebook 06's checked steps and predictions (issue 22): each last tier shows the derivation.
DERIVATIONS_06 = {
    "dl_dz_bce", "softmax_1000", "predict_low_temperature", "dl_dz_one_sample", "dl_dz_batch",
    "predict_uniform_loss", "softmax_derivative",
}


def test_06_steps_are_derivations_with_three_tiers():
    assert DERIVATIONS_06 <= _hints.DERIVATIONS
    for exercise in DERIVATIONS_06:
        assert len(_hints.HINTS[exercise]) >= 3


@pytest.mark.parametrize("exercise", sorted(_hints.HINTS))
def test_tiers_come_in_order_and_the_last_repeats(exercise, capsys):
    tiers = _hints.HINTS[exercise]
    n = len(tiers)
    for number in range(1, n + 1):
        assert check.hint(exercise) is None  # prints; returns nothing for Jupyter to echo
        out = shown(capsys)
        assert out.startswith(f"Hint {number} of {n} for {exercise}")
        first_words = tiers[number - 1].split()[:4]
        assert " ".join(first_words) in " ".join(out.split())
        assert ("again for the next one" in out) == (number < n)
    for _ in range(2):  # past the last: the last again
        check.hint(exercise)
        out = shown(capsys)
        assert out.startswith(f"Hint {n} of {n} for {exercise} (the worked answer)")


def test_hint_jumps_to_a_tier_and_continues_from_there(capsys):
    check.hint("mse_gradients", tier=3)
    assert shown(capsys).startswith("Hint 3 of 3 for mse_gradients")
    _hints.reset("mse_gradients")
    check.hint("mse_gradients", tier=2)
    shown(capsys)
    check.hint("mse_gradients")
    assert shown(capsys).startswith("Hint 3 of 3")


def test_each_exercise_counts_its_own_tiers(capsys):
    check.hint("sigmoid")
    check.hint("sigmoid")
    shown(capsys)
    check.hint("relu")
    assert shown(capsys).startswith("Hint 1 of")


def test_the_worked_answer_keeps_code_lines_as_written(capsys):
    check.hint("perceptron", tier=3)
    out = shown(capsys)
    assert "\n          for i in order:\n" in out  # indentation of the code survives
    check.hint("linear", tier=3)
    out = shown(capsys)
    assert "self.b = np.zeros(n_out)\n\n      def forward(self, x):" in out  # blank lines too
    assert not out.endswith("\n\n")


@pytest.mark.parametrize("bad", [0, 4, 1.5, True, "2"])
def test_a_tier_out_of_range_says_which_tiers_exist(bad):
    with pytest.raises(ValueError, match="from 1 to 3 for sigmoid"):
        check.hint("sigmoid", tier=bad)


def test_an_unknown_id_lists_the_known_ones():
    with pytest.raises(LookupError) as info:
        check.hint("sigmiod")
    text = str(info.value)
    assert "No hints for 'sigmiod'. Did you mean check.hint(\"sigmoid\")?" in text
    flat = " ".join(text.split())
    for exercise in IDS_01_03:
        assert exercise in flat
    assert max(len(line) for line in text.splitlines()) <= 88
    assert info.value._render_traceback_() == text.splitlines()  # no traceback in Jupyter


def test_the_id_may_be_given_loosely(capsys):
    check.hint(" Sigmoid ")
    assert shown(capsys).startswith("Hint 1 of 3 for sigmoid")
    check.hint(check.relu)  # the check function itself: its name is the id
    assert shown(capsys).startswith("Hint 1 of 3 for relu")


def test_a_failed_check_says_in_jupyter_that_a_hint_is_available():
    with pytest.raises(check.CheckFailed) as info:
        check.sigmoid(lambda z: z)
    failure = info.value
    shown_in_jupyter = "\n".join(failure._render_traceback_())
    assert 'Stuck? check.hint("sigmoid") shows a hint' in shown_in_jupyter
    assert shown_in_jupyter.startswith(failure.text)
    # the verdict itself (what tests, the grader and print() read) does not change
    assert "check.hint" not in failure.plain and "check.hint" not in str(failure)


@pytest.mark.parametrize("exercise", sorted(_hints.HINTS))
def test_the_hint_line_fits_88_columns_for_every_id(exercise):
    failure = check.CheckFailed(exercise, "a message.", "a hint.")
    shown = failure._render_traceback_()
    assert all(len(row) <= 88 for row in shown)
    assert f'check.hint("{exercise}")' in "\n".join(shown)


def test_no_hint_line_for_an_exercise_without_hints():
    failure = check.CheckFailed("no_such_exercise", "a message.", "a hint.")
    assert failure._render_traceback_() == failure.text.splitlines()


def test_asking_for_hints_changes_no_verdict(capsys):
    def wrong(z):
        return z

    def verdict():
        with pytest.raises(check.CheckFailed) as info:
            check.sigmoid(wrong)
        return info.value.plain

    before = verdict()
    for _ in range(4):
        check.hint("sigmoid")
    assert verdict() == before
    check.sigmoid(lambda z: 0.5 * (1 + __import__("numpy").tanh(z / 2)))
    assert shown(capsys).endswith("✓ sigmoid looks right.\n")


# --- the worked answers are right: each one, put in its exercise cell, passes the check ----

def _worked_code(exercise: str) -> str:
    """The code of an exercise's last tier, dedented (prose lines left out)."""
    lines = _hints.HINTS[exercise][-1].split("\n")
    code = [line for line in lines if line.startswith("    ") or not line.strip()]
    return textwrap.dedent("\n".join(code)).strip("\n")


PARTIAL = {"value": "the worked answer is backward() only; the other two parts are one line"}


@pytest.mark.parametrize(
    ("notebook", "exercise"), [(nb, i) for nb in FIRST + LATER for i in exercise_ids(nb)]
)
def test_the_worked_answer_passes_the_check(notebook, exercise, capsys):
    if exercise in PARTIAL:
        pytest.skip(PARTIAL[exercise])
    course = load_course(ROOT / "solutions" / notebook)
    spec = course.exercise(exercise)
    source = "".join(course.cells[spec.cell]["source"])
    code = _worked_code(exercise)
    if source.count("# BEGIN SOLUTION") == 1:
        start = source.index("# BEGIN SOLUTION")
        indent = source[source.rindex("\n", 0, start) + 1 : start]
        end = source.index("# END SOLUTION") + len("# END SOLUTION")
        source = source[: start - len(indent)] + textwrap.indent(code, indent) + source[end:]
    else:  # a class whose every method is an exercise part: the answer is the whole body
        source = source.split("\n")[0] + "\n" + textwrap.indent(code, "    ")
    namespace: dict = {}
    for trusted, filename in course.program(spec):
        exec(compile(trusted, filename, "exec"), namespace)
    exec(compile(source, f"<worked answer: {exercise}>", "exec"), namespace)
    getattr(check, exercise)(namespace[spec.name])  # the check fails on overflow warnings
    assert shown(capsys).endswith(f"✓ {exercise} looks right.\n")
