"""Assertions for testing checks: a right answer passes, a wrong one fails with its hint."""

from __future__ import annotations

import numpy as np
import pytest

from helpers.check import CheckFailed


def assert_passes(check, answer, capsys=None) -> None:
    """The check accepts ``answer`` and prints exactly its one ✓ line."""
    try:
        check(answer)
    except CheckFailed as failure:
        pytest.fail(f"a correct answer was rejected:\n{failure}")
    if capsys is not None:
        out = capsys.readouterr().out
        assert out.count("\n") == 1 and out.startswith("✓ ") and out.endswith(" looks right.\n")


def assert_fails(check, answer, *fragments: str) -> CheckFailed:
    """The check rejects ``answer``; every fragment appears in what the student reads."""
    with pytest.raises(CheckFailed) as info:
        check(answer)
    text = info.value.plain  # hints are matched unwrapped; what Jupyter shows is wrapped
    for fragment in fragments:
        assert fragment in text, f"expected {fragment!r} in the feedback:\n{text}"
    return info.value


class OneParameter:
    """A model with a single parameter vector whose gradient a test sets by hand."""

    def __init__(self):
        self.theta = np.array([1.0, -2.0])
        self.grad = np.zeros(2)

    def parameters(self):
        yield self.theta, self.grad
