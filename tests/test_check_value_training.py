"""check.train_value_neuron (notebook 03, section 8): the training loop on the student's Value."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from checking import assert_fails, assert_passes

from helpers import check
from helpers.autograd import Value as ReferenceValue
from helpers.experiments import backprop

ROOT = Path(__file__).resolve().parents[1]


def _notebook_value():
    """The Value class of the solution notebook 03 (its backward only ever adds)."""
    nb = json.loads((ROOT / "solutions" / "03_backpropagation.ipynb").read_text("utf-8"))
    source = next("".join(c["source"]) for c in nb["cells"]
                  if c["metadata"].get("nbgrader", {}).get("grade_id") == "value")
    namespace = {"math": math, "np": np}
    exec(source, namespace)
    return namespace["Value"]


NotebookValue = _notebook_value()


def make_loop(Value, *, zero=True, sign=1.0, mean=True, record_after=False, ignore_flag=False,
              return_values=False):
    """A train_value_neuron, right by default; the keywords make the classic mistakes."""

    def train_value_neuron(X, y, lr, epochs, zero_grad=True):
        w, b = [Value(0.0) for _ in range(X.shape[1])], Value(0.0)
        losses = []
        for _ in range(epochs):
            outs = [(sum((wi * xi for wi, xi in zip(w, x, strict=True)), b)).tanh()
                    for x in X.tolist()]
            total = sum((out - t) ** 2 for out, t in zip(outs, y.tolist(), strict=True))
            loss = total * (1 / len(y)) if mean else total
            if zero and (zero_grad or ignore_flag):
                for p in [*w, b]:
                    p.grad = 0.0
            loss.backward()
            if not record_after:
                losses.append(loss.data)
            for p in [*w, b]:
                p.data -= sign * lr * p.grad
            if record_after:
                losses.append(sum((((sum((wi * xi for wi, xi in zip(w, x, strict=True)), b))
                                    .tanh() - t) ** 2 for x, t in zip(X.tolist(), y.tolist(),
                                                                       strict=True))).data
                              / len(y))
        if return_values:
            return w, b, losses
        return [wi.data for wi in w], b.data, losses

    return train_value_neuron


def test_the_notebooks_loop_passes(capsys):
    assert_passes(check.train_value_neuron, make_loop(NotebookValue), capsys)


def test_a_value_whose_backward_zeroes_the_graph_is_sent_back_to_the_notebooks_value():
    # the package's reference Value resets every grad in backward(): nothing can accumulate,
    # so the forgot-to-zero lesson cannot show; the check (which cannot look inside the loop
    # in the grader) says to use the notebook's own Value
    assert_fails(check.train_value_neuron, make_loop(ReferenceValue),
                 "Use the notebook's own Value")


def test_a_loop_in_another_form_passes():
    def train_value_neuron(X, y, lr, epochs, zero_grad=True):
        params = [NotebookValue(0.0) for _ in range(X.shape[1] + 1)]  # w..., then b
        losses = []
        for _ in range(epochs):
            loss = 0
            for x, t in zip(X, y, strict=True):
                z = params[-1]
                for p, xi in zip(params[:-1], x, strict=True):
                    z = z + p * float(xi)
                err = z.tanh() + (-float(t))
                loss = loss + err * err * (1.0 / len(y))
            if zero_grad:
                for p in params:
                    p.grad = 0
            loss.backward()
            losses.append(loss.data)
            for p in params:
                p.data = p.data - lr * p.grad
        return np.array([p.data for p in params[:-1]]), params[-1].data, np.array(losses)

    assert_passes(check.train_value_neuron, train_value_neuron)


@pytest.mark.parametrize(("mistake", "fragment", "mistake_id"), [
    ({"zero": False}, "set p.grad = 0.0 for every parameter before loss.backward()",
     "train_value_neuron/grad-not-zeroed"),
    ({"sign": -1.0}, "move each parameter against its gradient", "train_value_neuron/climbs"),
    ({"mean": False}, "take the mean of the squared errors", "train_value_neuron/sum-not-mean"),
    ({"record_after": True}, "losses[i] must be the loss before update i",
     "train_value_neuron/loss-after-update"),
    ({"return_values": True}, "return the numbers inside them",
     "train_value_neuron/values-returned"),
    ({"ignore_flag": True}, "with zero_grad=False skip only the `p.grad = 0.0` line",
     "train_value_neuron/zero-grad-flag-ignored"),
])
def test_each_classic_mistake_fails_with_its_hint(mistake, fragment, mistake_id):
    assert_fails(check.train_value_neuron, make_loop(NotebookValue, **mistake), fragment,
                 mistake=mistake_id)


def test_the_stub_says_not_written_yet():
    def train_value_neuron(X, y, lr, epochs, zero_grad=True):
        raise NotImplementedError("exercise: train_value_neuron")

    assert_fails(check.train_value_neuron, train_value_neuron, "not written yet")


def test_a_wrong_return_says_what_to_return():
    assert_fails(check.train_value_neuron, lambda X, y, lr, epochs, zero_grad=True: (1.0, 2.0),
                 "expected three items (w, b, losses)", mistake="train_value_neuron/not-a-triple")


def test_the_numpy_loop_of_the_experiments_agrees_with_the_students_value():
    # experiments.backprop.train_value_neuron is what the claims tests run: the same numbers
    X, y = np.array([[0.2, 0.9], [0.7, 0.1], [0.5, 0.5]]), np.array([1.0, -1.0, 1.0])
    for zero_grad in (True, False):
        want = make_loop(NotebookValue)(X, y, 0.5, 5, zero_grad)
        got = backprop.train_value_neuron(X, y, 0.5, 5, zero_grad)
        for a, b in zip(got, want, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12)
