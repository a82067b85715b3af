"""Check for notebook 03's training loop on the student's own ``Value``.

``train_value_neuron(X, y, lr, epochs, zero_grad=True) -> (w, b, losses)`` trains a tanh
neuron ``tanh(x · w + b)`` from w = 0, b = 0 by full-batch gradient descent on the mean
squared error, with the student's autograd. The oracle is the same loop in numpy, whose
gradient is written out here (it is the student's derivation in section 7); forgetting to
zero the gradients is simulated exactly (each parameter's gradient is the running sum).
"""

from __future__ import annotations

import numpy as np

from ._core import Check, exercise, fmt
from .mistakes import mistake

__all__ = ["train_value_neuron", "reference_value_training"]


def reference_value_training(X, y, lr, epochs, zero_grad=True, *, sign=1.0, scale=1.0,
                             record_after=False):
    """(w, b, losses) of the loop; ``sign``, ``scale``, ``record_after`` simulate mistakes."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    gw, gb = np.zeros(X.shape[1]), 0.0
    losses = []
    for _ in range(epochs):
        a = np.tanh(X @ w + b)
        if not record_after:
            losses.append(np.mean((a - y) ** 2))
        dz = scale * 2 * (a - y) * (1 - a**2) / len(y)
        if zero_grad:
            gw, gb = X.T @ dz, dz.sum()
        else:  # gradients accumulate over the epochs
            gw, gb = gw + X.T @ dz, gb + dz.sum()
        w, b = w - sign * lr * gw, b - sign * lr * gb
        if record_after:
            losses.append(np.mean((np.tanh(X @ w + b) - y) ** 2))
    return w, b, np.array(losses)


def _result(ex: Check, X, y, lr, epochs, zero_grad):
    label = f"train_value_neuron(X, y, lr={lr}, epochs={epochs}, zero_grad={zero_grad})"
    out = ex.call(X, y, lr, epochs, zero_grad=zero_grad, label=label)
    if not (isinstance(out, tuple) and len(out) == 3):
        ex.fail(f"{label} returned {type(out).__name__} {fmt(out)}; expected three items "
                "(w, b, losses).",
                mistake("train_value_neuron/not-a-triple",
                        "end with `return [wi.data for wi in w], b.data, losses`."))
    w, b, losses = out
    if any(hasattr(v, "data") and hasattr(v, "grad") for v in (*np.ravel(np.asarray(
            w, dtype=object)), b)):
        ex.fail(f"{label} returned Values in w or b; expected plain numbers.",
                mistake("train_value_neuron/values-returned",
                        "return the numbers inside them: `[wi.data for wi in w], b.data`."))
    w = ex.array(w, f"the w of {label}", shape=(X.shape[1],))
    b = float(ex.array(b, f"the b of {label}", shape=()))
    losses = ex.array(losses, f"the losses of {label}", shape=(epochs,))
    return label, w, b, losses


@exercise("train_value_neuron")
def train_value_neuron(ex: Check) -> None:
    """train_value_neuron(X, y, lr, epochs, zero_grad=True) -> (w, b, losses)."""
    X = np.round(ex.rng.uniform(0, 1, size=(6, 2)), 2)
    y = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
    lr, epochs = 0.5, 4
    label, w, b, losses = _result(ex, X, y, lr, epochs, True)
    want_w, want_b, want_losses = reference_value_training(X, y, lr, epochs)
    first = float(np.mean(y**2))
    zero_hint = mistake("train_value_neuron/grad-not-zeroed",
                        "the gradients add up from one epoch to the next: set p.grad = 0.0 "
                        "for every parameter before loss.backward(); backward only ever adds "
                        "(+=).")
    mean_hint = mistake("train_value_neuron/sum-not-mean",
                        "take the mean of the squared errors (their sum times 1 / N), not "
                        "their sum: otherwise the steps are N times too large.")
    before_hint = mistake("train_value_neuron/loss-after-update",
                          "losses[i] must be the loss before update i: append loss.data "
                          "before changing the parameters.")
    after = reference_value_training(X, y, lr, epochs, record_after=True)[2]
    ex.close(losses[0], first,
             f"losses[0] = {losses[0]:.6g}; with w = 0 and b = 0 every output is tanh(0) = 0, "
             f"so the first loss is the mean of y², {first:.6g}.",
             mistakes=[(first * len(y), mean_hint), (after[0], before_hint)],
             hint=mistake("train_value_neuron/wrong-first-loss",
                          "start from w = [Value(0.0), ...] and b = Value(0.0); the loss is "
                          "the mean of (tanh(x · w + b) - y)² over the samples."))
    mistakes = [
        (reference_value_training(X, y, lr, epochs, zero_grad=False)[2], zero_hint),
        (reference_value_training(X, y, lr, epochs, sign=-1)[2],
         mistake("train_value_neuron/climbs", "the loss goes up: move each parameter "
                 "against its gradient, p.data -= lr * p.grad.")),
        (reference_value_training(X, y, lr, epochs, scale=len(y))[2], mean_hint),
        (after, before_hint),
    ]
    ex.close(losses, want_losses,
             f"{label} recorded the losses {fmt(losses, 5)}; expected {fmt(want_losses, 5)}.",
             mistakes=mistakes,
             hint=mistake("train_value_neuron/wrong-losses",
                          "each epoch: forward to the loss, zero the gradients, "
                          "loss.backward(), then p.data -= lr * p.grad for every parameter."))
    ex.close(np.append(w, b), np.append(want_w, want_b),
             f"{label} ended with w = {fmt(w, 5)}, b = {b:.5g}; expected w = {fmt(want_w, 5)}, "
             f"b = {want_b:.5g}.",
             hint=mistake("train_value_neuron/wrong-final-weights", "return the parameters "
                          "after the last update: `[wi.data for wi in w], b.data`."))
    label, _, _, losses = _result(ex, X, y, lr, epochs, False)
    want = reference_value_training(X, y, lr, epochs, zero_grad=False)[2]
    # The check cannot look inside the loop (the grader lends it from another process), so a
    # Value that resets its graph itself (helpers.autograd.Value does) reads like an ignored
    # flag: both hide the lesson, and the hint names both.
    ex.close(losses, want,
             f"{label} recorded {fmt(losses, 5)}; without zeroing, the gradients add up over the "
             f"epochs and give {fmt(want, 5)}.",
             hint=mistake("train_value_neuron/zero-grad-flag-ignored",
                          "with zero_grad=False skip only the `p.grad = 0.0` line; everything "
                          "else stays the same. Use the notebook's own Value, whose backward() "
                          "adds to .grad (helpers.autograd.Value resets the graph itself, so "
                          "nothing could add up)."))
