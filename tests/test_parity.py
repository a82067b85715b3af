"""The grader says what the notebook says.

Every table of known-right and known-wrong variants in the check tests goes through
``tests/checking.py``'s ``assert_passes`` / ``assert_fails``. Run with
``NN_WORKBOOK_PARITY=1``, those also send each variant through the batch grader's
per-exercise path (the judge, its RPC proxies, a forked sandbox) and require the same
verdict and the same text. This test runs every check-test file that way, in one pytest process (a
process per file would spend most of its time importing).
"""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from checking import grader_verdict

from helpers import check
from helpers.check import REGISTRY, CheckFailed

TESTS = Path(__file__).resolve().parent
FILES = sorted(p.name for p in TESTS.glob("test_check_*.py") if p.name != "test_check_display.py")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the grader forks its sandboxes")
def test_the_grader_gives_every_variant_the_notebooks_verdict(tmp_path):
    log = tmp_path / "compared.txt"
    env = {**os.environ, "NN_WORKBOOK_PARITY": "1", "NN_WORKBOOK_PARITY_LOG": str(log)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         *(str(TESTS / name) for name in FILES)],
        cwd=TESTS.parent, env=env, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    # every check went through the grader, with the variants of every table
    compared = log.read_text(encoding="utf-8").split()
    untested = sorted(set(REGISTRY) - set(compared))
    assert not untested, f"checks no variant table sends through the grader: {untested}"
    assert len(compared) > 300


# The harness itself: it must be able to see a difference.


def _wrong_sigmoid(z):
    return 1 / (1 + np.exp(z))


def _bare_stub(z):
    raise NotImplementedError()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the grader forks its sandboxes")
def test_grader_verdict_reports_the_graders_status_and_text():
    status, text = grader_verdict(check.sigmoid, lambda z: 0.5 * (1 + np.tanh(z / 2)))
    assert (status, text) == ("passed", "✓ sigmoid looks right.")
    status, text = grader_verdict(check.sigmoid, _wrong_sigmoid)
    assert status == "failed" and "check the sign inside np.exp" in text
    with pytest.raises(CheckFailed) as info:
        check.sigmoid(_wrong_sigmoid)
    assert text == str(info.value)
    status, text = grader_verdict(check.sigmoid, _bare_stub)
    assert status == "not written" and "`raise NotImplementedError()`" in text
