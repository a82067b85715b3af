"""helpers.gradcheck: one definition of the thresholds, and a report that reads a float32
layer correctly."""

import numpy as np
import pytest
from checking import assert_fails

from helpers import check, gradcheck, nn
from helpers.gradcheck import (
    GRADIENT_RIGHT,
    GRADIENT_WRONG,
    LEGEND,
    GradientReport,
    module_gradient_report,
    verdict,
)


@pytest.mark.parametrize(
    "error, word",
    [(0.0, "right"), (9e-8, "right"), (1e-7, "suspicious"), (5e-7, "suspicious"),
     (1e-4, "suspicious"), (9.9e-3, "suspicious"), (1e-2, "wrong"), (0.5, "wrong")],
)
def test_verdicts_follow_the_thresholds(error, word):
    assert verdict(error) == word


def test_the_legend_prints_the_thresholds_the_verdicts_use():
    assert (GRADIENT_RIGHT, GRADIENT_WRONG) == (1e-7, 1e-2)
    assert "< 1e-7 right" in LEGEND and ">= 1e-2 wrong" in LEGEND
    # 5e-7 was "ok" under a legend saying "< 1e-7 right"; now both say the same
    text = str(GradientReport({"dW": 5e-7, "db": 5e-8, "dx": 0.02}))
    lines = dict(line.split(None, 1) for line in text.splitlines()[1:4])
    assert lines["dW"].split()[-1] == "suspicious"
    assert lines["db"].split()[-1] == "right"
    assert lines["dx"].split()[-1] == "wrong"
    assert LEGEND in text


def test_layer_checks_and_the_report_agree_on_a_slightly_wrong_gradient():
    class SlightlyOff(nn.Linear):
        """dW off by a relative 1e-5: the report's "suspicious", and the check's ✗."""

        def backward(self, dout):
            dx = super().backward(dout)
            self.dW = self.dW * (1 + 1e-5)
            return dx

    rng = np.random.default_rng(0)
    report = module_gradient_report(SlightlyOff(3, 2, rng), rng.normal(size=(4, 3)))
    assert verdict(report.errors["dW"]) == "suspicious" and not report.ok
    assert_fails(check.linear, SlightlyOff, "dW from")


def test_a_float32_layer_is_checked_in_float64_and_left_alone():
    rng = np.random.default_rng(1)
    layer = nn.Sequential(nn.Linear(3, 4, rng, dtype=np.float32), nn.Tanh(),
                          nn.Linear(4, 2, rng, dtype=np.float32))
    x = rng.normal(size=(5, 3)).astype(np.float32)
    report = module_gradient_report(layer, x)
    assert report.ok, str(report)
    assert "float64 copy" in str(report)
    assert all(param.dtype == np.float32 for param, _ in layer.parameters())


def test_a_layer_that_computes_in_float32_is_told_to_use_float64():
    class Float32Linear(nn.Linear):
        def forward(self, x):
            return super().forward(x).astype(np.float32)

    rng = np.random.default_rng(2)
    report = module_gradient_report(Float32Linear(3, 2, rng), rng.normal(size=(4, 3)))
    assert "float32 round-off" in str(report) and "float64" in report.note


def test_a_float64_layer_gets_no_note():
    rng = np.random.default_rng(3)
    report = module_gradient_report(nn.Linear(3, 2, rng), rng.normal(size=(4, 3)))
    assert report.ok and report.note == ""
    assert gradcheck.LEGEND in str(report)


def test_a_layer_whose_gradients_exist_only_after_backward_is_reported():
    class Linear:  # as students write it: dW and db appear in backward
        def __init__(self, rng):
            self.W, self.b = rng.normal(size=(3, 2)), np.zeros(2)

        def forward(self, x):
            self.x = x
            return x @ self.W + self.b

        def backward(self, dout):
            self.dW, self.db = self.x.T @ dout, dout.sum(axis=0)
            return dout @ self.W.T

        def parameters(self):
            yield self.W, self.dW
            yield self.b, self.db

    rng = np.random.default_rng(4)
    report = module_gradient_report(Linear(rng), rng.normal(size=(5, 3)))
    assert report.ok and set(report.errors) == {"dx", "dW", "db"}
