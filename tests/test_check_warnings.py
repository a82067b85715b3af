"""The check contract on numpy warnings: a right value passes, with a note naming the warning.

Only a specification that forbids warnings (sigmoid, softmax and the cross-entropy layer at
±1000) fails for one; a wrong value that also warned fails with its diagnosis, and the
message says numpy warned.
"""

import numpy as np
from checking import assert_fails, assert_passes, own_copy

from helpers import check, nn


class TanhThroughCosh(own_copy(nn.Tanh)):
    """tanh' = 1 / cosh²: cosh overflows at ±1000, and the result is the right 0."""

    def backward(self, dout):
        return dout / np.cosh(self.x) ** 2

    def forward(self, x):
        self.x = x
        return np.tanh(x)


def entropy_nansum(p):
    """0 · log 0 as nan, dropped by nansum: log2(0) warns, and the value is right."""
    p = np.asarray(p, dtype=float)
    return -np.nansum(p * np.log2(p))


def test_a_right_tanh_layer_through_cosh_passes_with_a_note(capsys):
    assert_passes(check.tanh_layer, TanhThroughCosh, capsys, warned="overflow")


def test_a_right_entropy_with_nansum_passes_with_a_note(capsys):
    assert_passes(check.entropy, entropy_nansum, capsys, warned="divide by zero")


def test_a_right_entropy_with_np_where_passes_with_a_note(capsys):
    answer = lambda p: -np.sum(np.where(p > 0, p * np.log2(p), 0.0))  # log2(0) runs and warns
    assert_passes(check.entropy, answer, capsys, warned="divide by zero")


def test_the_note_is_one_line_that_says_the_value_is_right(capsys):
    check.entropy(entropy_nansum)
    out = capsys.readouterr().out
    assert out.startswith("✓ entropy looks right. Note: numpy warned in entropy(")
    assert "The result is right" in out and out.count("\n") == 1


def test_a_right_answer_without_warnings_has_no_note(capsys):
    assert_passes(check.tanh_layer, own_copy(nn.Tanh), capsys)


def _sigmoid_naive(z):
    return 1 / (1 + np.exp(-z))  # right in value at -1000 (1/inf = 0), but it warns


def test_sigmoid_at_1000_still_forbids_the_warning():
    assert_fails(check.sigmoid, _sigmoid_naive, "raised a warning", mistake="sigmoid/overflow")


def _softmax_naive(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def test_softmax_at_1000_still_forbids_the_warning():
    assert_fails(check.softmax, _softmax_naive, "raised a warning")


def _tanh_by_exp(z):
    z = np.asarray(z, dtype=float)
    return (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z))  # nan at ±1000, and warns


def test_a_wrong_value_that_warned_fails_with_its_warning_named():
    failure = assert_fails(check.tanh, _tanh_by_exp, "raised a warning")
    assert "overflow" in failure.plain
