"""Checks for notebook 04, the multi-layer perceptron: layers, a loss, a container, training.

Every backward is compared with central finite differences of the student's own forward,
one gradient at a time (dx, dW, db), so any correct formula passes; before that, the
gradient is compared with what the classic mistakes give, so the hint can name the mistake.
The containers and the training loop are tested with the package's reference layers, so a
failure there can only come from the code under test.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from ..gradcheck import GRADIENT_RIGHT, gradient_error, numerical_gradient
from ..losses import MSELoss as _ReferenceMSE
from ..nn import Linear as _ReferenceLinear
from ..nn import Module as _ReferenceModule
from ..nn import Sequential as _ReferenceSequential
from ..nn import Tanh as _ReferenceTanh
from ..nn import sigmoid as _sigmoid  # the package's one stable sigmoid
from ._core import BACKWARD_FROM_LOSS_HINT, Check, CheckFailed, exercise, fmt
from .mistakes import mistake

__all__ = ["linear", "sigmoid_layer", "tanh_layer", "relu_layer", "mse_loss", "sequential", "train"]


Mistakes = list[tuple[np.ndarray, str]]


# -- shared steps of the layer checks ---------------------------------------------------------


def _instantiate(ex: Check, *args, label: str):
    layer = ex.call(*args, fn=ex.obj, label=label)
    for method in ("forward", "backward", "parameters"):
        if not callable(getattr(layer, method, None)):
            ex.fail(
                f"{label} has no method `{method}`.",
                mistake("layer/contract-missing",
                    "every layer follows the contract forward(x), backward(dout), parameters(); "
                    "inherit from Module to get parameters() for a layer without weights."),
            )
    return layer


def _forward(ex: Check, layer, x: np.ndarray, shape: tuple[int, ...], label: str) -> np.ndarray:
    out = ex.array(ex.call(x, fn=layer.forward, label=f"{label}.forward(x)"),
                   f"{label}.forward(x) with x of shape {x.shape}", shape=shape)
    ex.finite(out, f"{label}.forward(x)")
    return out


def _call_backward(ex: Check, layer, dout: np.ndarray, label: str) -> Any:
    """``layer.backward(dout)``; a missing attribute says forward must keep what backward
    needs (an AttributeError alone sends the student after shapes)."""
    try:
        return ex.call(dout, fn=layer.backward, label=f"{label}.backward(dout)")
    except CheckFailed as failure:
        cause = failure.__cause__
        text = str(cause) if isinstance(cause, AttributeError) else ""
        if "object has no attribute" not in text:
            raise
        name = text.rsplit("attribute", 1)[-1].strip(" '\"")
        raise CheckFailed(
            failure.exercise, failure.message,
            mistake("layer/forward-keeps-nothing",
                f"backward reads self.{name}, which forward did not store: forward must keep what "
                f"backward needs as attributes of the layer (self.{name} = ...), since backward "
                "runs later and sees only what forward left on self."),
        ) from cause


def _backward(ex: Check, layer, dout: np.ndarray, shape: tuple[int, ...], label: str) -> np.ndarray:
    dx = _call_backward(ex, layer, dout, label)
    if dx is None:
        ex.fail(
            f"{label}.backward(dout) returned None.",
            mistake("layer/backward-returns-none",
                "backward returns dx, the gradient for the layer's input, so that the layer "
                "before it can continue: end with `return dx`."),
        )
    return ex.array(dx, f"{label}.backward(dout) with dout of shape {dout.shape}", shape=shape)


def _gradient(
    ex: Check,
    got: np.ndarray,
    loss: Callable[[], float],
    wrt: np.ndarray,
    name: str,
    label: str,
    mistakes: Mistakes,
    hint: str,
) -> None:
    """Compare the student's gradient ``name`` with finite differences of ``loss`` in ``wrt``.

    ``loss`` runs the student's own forward; ``mistakes`` are what classic bugs give.
    """
    numeric = numerical_gradient(loss, wrt)
    error = gradient_error(got, numeric)
    if error < GRADIENT_RIGHT:  # the one definition, shared with gradcheck's reports
        return
    shown = f": got {fmt(got)}, expected {fmt(numeric)}" if got.size <= 6 else ""
    ex.diagnose(
        got,
        f"{name} from {label}.backward does not match finite differences of your forward "
        f"(relative error {error:.1e}){shown}.",
        mistakes=[(wrong, h) for wrong, h in mistakes if np.shape(wrong) == numeric.shape
                  and gradient_error(wrong, numeric) > GRADIENT_RIGHT],
        hint=hint,
        rtol=1e-6,
        atol=1e-9,
    )


def _probe(ex: Check, forward, x: np.ndarray, dout: np.ndarray, label: str):
    """The loss L = sum(forward(x) * dout), whose dL/doutput is ``dout``, and the copy of x it
    reads (finite differences nudge that copy)."""
    x = x.copy()

    def loss() -> float:
        return float(np.sum(ex.call(x, fn=forward, label=f"{label}.forward(x)") * dout))

    return loss, x


def _dx_check(ex: Check, layer, x, dout, dx, label: str, mistakes: Mistakes, hint: str) -> None:
    """dx against finite differences of L = sum(forward(x) * dout)."""
    loss, x = _probe(ex, layer.forward, x, dout, label)
    _gradient(ex, dx, loss, x, "dx", label, mistakes, hint)


def _no_parameters(ex: Check, layer, label: str) -> None:
    params = list(ex.call(fn=layer.parameters, label=f"{label}.parameters()") or ())
    if params:
        ex.fail(
            f"{label}.parameters() yielded {len(params)} item(s); this layer has no weights.",
            mistake("layer/has-parameters",
                "a layer without weights yields nothing: inherit Module's parameters()."),
        )


def _activation_check(
    ex: Check,
    label: str,
    reference: Callable[[np.ndarray], np.ndarray],
    forward_mistakes: Callable[[np.ndarray], Mistakes],
    backward_mistakes: Callable[[np.ndarray, np.ndarray], Mistakes],
    backward_hint: str,
    has_kink: bool = False,
) -> None:
    """Forward against ``reference``, backward against finite differences, no parameters."""
    layer = _instantiate(ex, label=f"{label}()")
    for trial in range(ex.trials):
        n, d = 3 + trial, 4
        x = ex.rng.normal(0, 2.0, size=(n, d))
        if has_kink:  # keep away from the kink at 0, where no derivative exists
            x = np.where(np.abs(x) < 0.1, 0.5, x)
        out = _forward(ex, layer, x, (n, d), label)
        want = reference(x)
        with np.errstate(all="ignore"):
            mistakes = forward_mistakes(x)
        ex.close(out, want, f"{label}.forward(x) gave {fmt(out)}; expected {fmt(want)}.",
                 mistakes=mistakes)
        dout = ex.rng.normal(size=(n, d))
        dx = _backward(ex, layer, dout, (n, d), label)
        _dx_check(ex, layer, x, dout, dx, label, backward_mistakes(x, dout), backward_hint)
    _no_parameters(ex, layer, label)


def _stable(ex: Check, label: str, reference: Callable[[np.ndarray], np.ndarray],
            stable_form: str) -> None:
    """Forward and backward at ±1000: finite, no warnings."""
    layer = _instantiate(ex, label=f"{label}()")
    x = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]])
    # the specification (as for notebook 01's sigmoid): finite and no warning at ±1000
    out = ex.call(x, fn=layer.forward, label=f"{label}.forward([[-1000, -30, 0, 30, 1000]])",
                  forbid_warnings=True, warning_hint=mistake("activation-layer/overflow",
                                   "np.exp of a large number overflows: use the stable form from "
                                   f"notebook 01, {stable_form}."))
    out = ex.array(out, f"{label}.forward at ±1000", shape=x.shape)
    ex.finite(out, f"{label}.forward at ±1000")
    ex.close(out, reference(x), f"{label}.forward at ±1000 gave {fmt(out)}; expected "
             f"{fmt(reference(x))}.")
    dx = _backward(ex, layer, np.ones_like(x), x.shape, label)
    ex.finite(dx, f"{label}.backward at ±1000",
        mistake("activation-layer/backward-not-finite",
                                                    "compute the derivative from the kept output."))


# -- Linear -----------------------------------------------------------------------------------


def _linear_parts(ex: Check, layer, n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    W, b = getattr(layer, "W", None), getattr(layer, "b", None)
    if W is None or b is None:
        ex.fail(
            "Linear has no attribute `W` or `b`.",
            mistake("linear/parameters-missing",
                "store the parameters as self.W, shape (n_in, n_out), and self.b, shape (n_out,)."),
        )
    label = f"Linear({n_in}, {n_out})"
    if np.shape(W) == (n_out, n_in) and n_in != n_out:
        ex.fail(
            f"{label}.W has shape {np.shape(W)}; expected (n_in, n_out) = {(n_in, n_out)}.",
            mistake("linear/w-transposed",
                "the course writes the layer as x @ W + b, with x of shape (N, n_in): W needs "
                "one row per input and one column per output, (n_in, n_out)."),
        )
    if np.shape(b) == (1, n_out):
        ex.fail(
            f"{label}.b has shape {np.shape(b)}; expected (n_out,) = {(n_out,)}.",
            mistake("linear/bias-2d",
                "make the bias one-dimensional, np.zeros(n_out) rather than np.zeros((1, n_out)): "
            "x @ W + b still adds it to every row, and its gradient db has the shape (n_out,)."),
        )
    W = ex.array(W, f"{label}.W", shape=(n_in, n_out))
    b = ex.array(b, f"{label}.b", shape=(n_out,))
    return W, b


def _set_in_place(layer, name: str, values: np.ndarray) -> None:
    """Give a parameter known values, keeping the array (the student may hold references)."""
    param = getattr(layer, name)
    if isinstance(param, np.ndarray) and param.dtype == np.float64 and param.flags.writeable:
        param[...] = values
    else:
        setattr(layer, name, values.copy())


def _linear_init(ex: Check) -> None:
    n_in, n_out = 200, 100
    label = f"Linear({n_in}, {n_out}, rng)"
    layer = _instantiate(ex, n_in, n_out, np.random.default_rng(1), label=label)
    W, _ = _linear_parts(ex, layer, n_in, n_out)
    if np.ptp(W) == 0:
        ex.fail(
            f"every weight of {label} starts at the same value ({fmt(W.flat[0])}).",
            mistake("linear/weights-not-random",
                "draw the weights at random (rng.normal): if they start equal, every unit of the "
                "layer gets the same gradient and they never learn different things."),
        )
    again = _linear_parts(ex, _instantiate(ex, n_in, n_out, np.random.default_rng(1),
                                           label=label), n_in, n_out)[0]
    if not np.array_equal(W, again):
        ex.fail(
            "two layers made with the same seed, np.random.default_rng(1), got different weights.",
            mistake("linear/rng-ignored",
                "draw the weights from the `rng` argument (rng.normal(...)), not from np.random."),
        )
    glorot = np.sqrt(2.0 / (n_in + n_out))
    if not 0.3 * glorot < W.std() < 3 * glorot:
        ex.fail(
            f"the weights of {label} have standard deviation {W.std():.3g}; expected about "
            f"sqrt(2 / (n_in + n_out)) = {glorot:.3g}.",
            mistake("linear/weight-scale",
                "scale the random weights: rng.normal(0, np.sqrt(2 / (n_in + n_out)), (n_in, "
                "n_out)). "
                "Too large and the activations saturate; too small and the signal fades layer "
                "after layer."),
        )


def _linear_backward(ex: Check, layer, W, x, dout, label: str, n_in: int, n_out: int) -> None:
    """``W`` is the check's own copy of the layer's weights (the student's code never sees it)."""
    dx = _call_backward(ex, layer, dout, label)
    if dx is None:
        ex.fail(f"{label}.backward(dout) returned None.",
                mistake("linear/backward-returns-none",
                    "backward returns dx = dout @ W.T, the gradient for the layer's input."))
    grads = {name: getattr(layer, name, None) for name in ("dW", "db")}
    for name, grad in grads.items():
        if grad is None:
            ex.fail(f"after {label}.backward(dout) there is no attribute `{name}`.",
                    mistake("linear/gradients-not-stored",
                        f"backward stores the gradient of each parameter: self.{name} = ..."))
    n = len(x)
    dW = np.asarray(grads["dW"])
    if dW.shape == (n_out, n_in) and n_in != n_out:
        ex.fail(f"dW has shape {dW.shape}; expected the shape of W, {(n_in, n_out)}.",
                mistake("linear/dw-transposed",
                    "dW = dout.T @ x is transposed: use dW = x.T @ dout, (D_in, N) @ (N, D_out)."))
    dW = ex.array(dW, f"{label}: dW", shape=(n_in, n_out))
    db = np.asarray(grads["db"])
    if db.shape == (n, n_out):
        ex.fail(f"db has shape {db.shape}; expected the shape of b, {(n_out,)}.",
                mistake("linear/db-not-summed",
                    "the bias is shared by every sample: sum dout over the batch, "
                    "db = dout.sum(axis=0)."))
    if db.shape in ((), (n,)):
        ex.fail(f"db has shape {db.shape}; expected the shape of b, {(n_out,)}.",
                mistake("linear/db-summed-over-all",
                    "sum over the batch axis only: db = dout.sum(axis=0)."))
    db = ex.array(db, f"{label}: db", shape=(n_out,))
    if np.asarray(dx).shape == (n, n_out) and n_in != n_out:
        ex.fail(f"dx has shape {(n, n_out)}; expected the shape of x, {(n, n_in)}.",
                mistake("linear/dx-shape", "dx = dout @ W.T: (N, D_out) @ (D_out, D_in)."))
    dx = ex.array(dx, f"{label}.backward(dout)", shape=(n, n_in))

    loss, x = _probe(ex, layer.forward, x, dout, label)
    _gradient(ex, dW, loss, layer.W, "dW", label, [
        ((x.T @ dout) / n, mistake("linear/dw-divided-by-n",
                               "dW = x.T @ dout, without dividing by N: the loss's backward "
                               "already holds the 1/N of the mean.")),
        (dout.T @ x, mistake("linear/dw-transposed-2",
                         "dW = dout.T @ x is the transpose: use dW = x.T @ dout.")),
    ], mistake("linear/dw-wrong", "dW = x.T @ dout: each weight W[i, j] collects x[:, i] * "
                                  "dout[:, j] over the batch."))
    _gradient(ex, db, loss, layer.b, "db", label, [
        (dout.mean(axis=0), mistake("linear/db-mean",
                                "db = dout.mean(axis=0) averages; the gradient sums over the "
                                "batch: db = dout.sum(axis=0) (the 1/N is already in dout).")),
        (np.full(n_out, dout.sum()), mistake("linear/db-summed-over-all",
                                         "sum over the batch axis only: db = dout.sum(axis=0).")),
        (dout.sum(axis=0) * 0, mistake("linear/db-zero",
                                   "db is zero: store db = dout.sum(axis=0).")),
    ], mistake("linear/db-wrong", "db = dout.sum(axis=0): the bias is added to every sample, "
                                  "so its gradient sums dout over the batch."))
    dx_mistakes = [(dout @ W.T / n, mistake("linear/dx-divided-by-n",
                                        "dx = dout @ W.T, without dividing by N."))]
    if n_in == n_out:  # otherwise dout @ W cannot even be computed
        dx_mistakes.append(
            (dout @ W, mistake("linear/dx-w-not-transposed",
                               "dx = dout @ W uses W where its transpose belongs: "
                               "dx = dout @ W.T.")))
    _gradient(ex, dx, loss, x, "dx", label, dx_mistakes,
              mistake("linear/dx-wrong",
                      "dx = dout @ W.T: each input feeds every output unit through its weight."))


def _overwrites(ex: Check, layer, x: np.ndarray, dout: np.ndarray, label: str) -> None:
    """A second backward with the same dout gives the same gradients, not twice them.

    The finite differences before it left the layer's state from a nudged input (a layer
    that keeps a copy of x keeps the nudged copy), so a fresh forward(x) comes first.
    """
    first = np.array(layer.dW, dtype=float)  # from the backward after a clean forward(x)
    ex.call(x.copy(), fn=layer.forward, label=f"{label}.forward(x)")
    ex.call(dout, fn=layer.backward, label=f"{label}.backward(dout)")
    if not np.allclose(layer.dW, first):
        ex.fail(
            "calling backward twice with the same dout changed dW"
            + (" (it doubled)." if np.allclose(layer.dW, 2 * first) else "."),
            mistake("layer/gradient-accumulated",
                "backward sets the gradient, it does not add to it: self.dW = x.T @ dout, "
                "not self.dW += ..."),
        )


def _linear_parameters(ex: Check, layer, label: str) -> None:
    pairs = ex.call(fn=layer.parameters, label=f"{label}.parameters()")
    pairs = list(pairs) if pairs is not None else []
    if len(pairs) != 2 or not all(isinstance(p, tuple) and len(p) == 2 for p in pairs):
        ex.fail(
            f"{label}.parameters() gave {fmt(pairs)}; expected two (param, grad) pairs.",
            mistake("linear/parameters-wrong",
                "yield self.W, self.dW and then yield self.b, self.db."),
        )
    by_param = {id(param): grad for param, grad in pairs}
    for name in ("W", "b"):
        param = getattr(layer, name)
        if id(param) not in by_param:
            ex.fail(
                f"{label}.parameters() does not yield the array self.{name} itself.",
                mistake("linear/parameters-copied",
                    "yield the parameter arrays themselves, not copies: the optimiser updates "
                    "them in place, and a copy would leave the layer unchanged."),
            )
        grad = by_param[id(param)]
        if not np.array_equal(np.asarray(grad), np.asarray(getattr(layer, "d" + name))):
            ex.fail(
                f"{label}.parameters() pairs self.{name} with something other than self.d{name}.",
                mistake("linear/parameters-not-pairs",
                    f"pair each parameter with its gradient: yield self.{name}, self.d{name}."),
            )


@exercise("linear", kind="class")
def linear(ex: Check) -> None:
    """Linear(n_in, n_out, rng): forward x @ W + b; backward dW = xᵀ·dout, db = Σ dout,
    dx = dout·Wᵀ; parameters() yields (W, dW), (b, db)."""
    _linear_init(ex)
    # square first, so that transposes keep their shape and are recognised by their values
    for n_in, n_out in [(3, 3), (4, 2), (2, 5)][: max(3, ex.trials)]:
        label = f"Linear({n_in}, {n_out}, rng)"
        layer = _instantiate(ex, n_in, n_out, np.random.default_rng(0), label=label)
        _linear_parts(ex, layer, n_in, n_out)
        # expected values come from the check's own copies, never from the layer's arrays,
        # which the student's code could change while the check looks away
        W, b = ex.rng.normal(size=(n_in, n_out)), ex.rng.normal(size=n_out)
        for n in (6, 7):  # a new batch size: nothing may depend on the first one
            _set_in_place(layer, "W", W)
            _set_in_place(layer, "b", b)
            x = ex.rng.normal(size=(n, n_in))
            out = _forward(ex, layer, x.copy(), (n, n_out), label)
            want = x @ W + b
            ex.close(out, want, f"{label}.forward(x) gave {fmt(out)}; expected x @ W + b = "
                     f"{fmt(want)}.", mistakes=[
                         (x @ W, mistake("linear/bias-missing", "the bias is missing: x @ W + b.")),
                         (x @ W - b, mistake("linear/bias-subtracted",
                                         "add b, don't subtract it.")),
                     ])
            dout = ex.rng.normal(size=(n, n_out))
            _linear_backward(ex, layer, W, x, dout, label, n_in, n_out)
            _overwrites(ex, layer, x, dout, label)
        _linear_parameters(ex, layer, label)


# -- activation layers --------------------------------------------------------------------------


@exercise("sigmoid_layer", kind="class")
def sigmoid_layer(ex: Check) -> None:
    """Sigmoid(): forward σ(x), keeping σ(x); backward dout · σ(x)(1 − σ(x))."""

    def forward_mistakes(x):
        return [(_sigmoid(-x), mistake("sigmoid_layer/sign-inside-exp",
                                   "check the sign: σ(x) = 1 / (1 + exp(-x)).")),
                (np.tanh(x), mistake("sigmoid_layer/tanh-instead",
                                 "that is tanh; the sigmoid runs from 0 to 1."))]

    def backward_mistakes(x, dout):
        s = _sigmoid(x)
        return [
            (dout * x * (1 - x), mistake("sigmoid_layer/input-for-output",
                                     "σ' = a (1 − a) uses the OUTPUT a = σ(x), not the input x: "
             "keep the output in forward (self.out = ...) and use it in backward.")),
            (s * (1 - s), mistake("sigmoid_layer/dout-missing",
                              "multiply by dout (the chain rule): dx = dout * a * (1 − a).")),
            (dout * s, mistake("sigmoid_layer/output-for-derivative",
                           "the derivative of the sigmoid is a (1 − a), not a.")),
            (dout * (1 - s), mistake("sigmoid_layer/one-minus-a-only",
                                 "the derivative of the sigmoid is a (1 − a), not (1 − a).")),
            (dout * s * (1 + s), mistake("sigmoid_layer/plus-for-minus",
                                     "σ' = a (1 − a): a minus sign, not a plus.")),
        ]

    _activation_check(ex, "Sigmoid", _sigmoid, forward_mistakes, backward_mistakes,
                      mistake("sigmoid_layer/wrong-backward", "dx = dout * a * (1 − a), where "
                              "a is the sigmoid's output kept by forward."))
    _stable(ex, "Sigmoid", _sigmoid, "0.5 * (1 + np.tanh(x / 2))")


@exercise("tanh_layer", kind="class")
def tanh_layer(ex: Check) -> None:
    """Tanh(): forward tanh(x), keeping it; backward dout · (1 − tanh²(x))."""

    def forward_mistakes(x):
        return [(_sigmoid(x), mistake("tanh_layer/sigmoid-instead",
                                  "that is the sigmoid; tanh runs from -1 to 1: np.tanh(x)."))]

    def backward_mistakes(x, dout):
        t = np.tanh(x)
        return [
            (dout * (1 - x**2), mistake("tanh_layer/input-for-output",
                                    "tanh' = 1 − a² uses the OUTPUT a = tanh(x), not the input x: "
                                    "keep the output in forward and use it in backward.")),
            (1 - t**2, mistake("tanh_layer/dout-missing",
                           "multiply by dout (the chain rule): dx = dout * (1 − a²).")),
            (dout * (1 - t), mistake("tanh_layer/not-squared",
                                 "tanh' = 1 − a²: square the output.")),
            (dout * t * (1 - t), mistake("tanh_layer/sigmoid-derivative",
                                     "that is the sigmoid's derivative; tanh' = 1 − a².")),
            (dout * (1 + t**2), mistake("tanh_layer/plus-for-minus",
                                    "tanh' = 1 − a²: a minus sign, not a plus.")),
        ]

    _activation_check(ex, "Tanh", np.tanh, forward_mistakes, backward_mistakes,
                      mistake("tanh_layer/wrong-backward",
                              "dx = dout * (1 − a**2), where a = tanh(x) is kept by forward."))
    _stable(ex, "Tanh", np.tanh, "np.tanh(x)")


@exercise("relu_layer", kind="class")
def relu_layer(ex: Check) -> None:
    """ReLU(): forward max(0, x), keeping where x > 0; backward passes dout only there."""

    def forward_mistakes(x):
        return [(np.abs(x), mistake("relu_layer/abs",
                                "negative inputs become 0, not positive: np.maximum(x, 0).")),
                (np.minimum(x, 0), mistake("relu_layer/negative-part",
                                       "keep the positive part: np.maximum(x, 0)."))]

    def backward_mistakes(x, dout):
        return [
            (dout * (dout > 0), mistake("relu_layer/mask-from-dout",
                                    "the mask comes from the INPUT (where x > 0), not from dout: "
             "keep it in forward (self.mask = x > 0) and use it in backward.")),
            (dout * np.maximum(x, 0), mistake("relu_layer/times-output",
                                          "multiply dout by the mask (0 or 1), not by the "
                                          "output.")),
            ((x > 0).astype(float), mistake("relu_layer/mask-only",
                                        "multiply the mask by dout (the chain rule).")),
            (dout, mistake("relu_layer/wrong-gradient",
                       "zero the gradient where x <= 0: dx = dout * (x > 0).")),
            (dout * (x < 0), mistake("relu_layer/mask-inverted",
                                 "the gradient passes where x > 0, not where x < 0.")),
        ]

    _activation_check(ex, "ReLU", lambda x: np.maximum(x, 0), forward_mistakes,
                      backward_mistakes, mistake(
                          "relu_layer/wrong-backward", "dx = dout * (x > 0): the gradient "
                          "passes where the input was positive and stops elsewhere."),
                      has_kink=True)


# -- MSELoss ------------------------------------------------------------------------------------


@exercise("mse_loss", kind="class")
def mse_loss(ex: Check) -> None:
    """MSELoss(): forward(pred, y) = mean((pred − y)²) over every element; backward() = dL/dpred."""
    loss_fn = ex.call(fn=ex.obj, label="MSELoss()")
    for method in ("forward", "backward"):
        if not callable(getattr(loss_fn, method, None)):
            ex.fail(f"MSELoss() has no method `{method}`.",
                    mistake("mse_loss/contract-missing",
                        "a loss has forward(pred, y), returning a number, and backward(), "
                        "returning the gradient for pred."))
    pred, y = np.array([[1.0], [2.0], [4.0]]), np.array([[0.0], [2.0], [1.0]])
    label = "MSELoss().forward(pred, y)"
    value = ex.array(ex.call(pred, y, fn=loss_fn.forward, label=label), label, shape=())
    ex.close(value, 10 / 3, f"for pred = [1, 2, 4], y = [0, 2, 1] your {label} gave "
             f"{fmt(value)}; expected (1 + 0 + 9) / 3 = 3.3333.", mistakes=[
                 (10.0, mistake("mse_loss/sum-not-mean",
                            "average over the samples: np.mean, not np.sum.")),
                 (5 / 3, mistake("mse_loss/halved", "that is half the mean: no 1/2 in this loss.")),
                 (4 / 3, mistake("mse_loss/not-squared",
                             "square the differences before averaging.")),
                 (-4 / 3, mistake("mse_loss/not-squared",
                              "square the differences before averaging.")),
             ])
    for trial in range(ex.trials):
        n, d = 4 + trial, 1 + trial % 3
        pred, y = ex.rng.normal(size=(n, d)), ex.rng.normal(size=(n, d))
        label = f"MSELoss().forward(pred, y) with shape {(n, d)}"
        value = ex.array(ex.call(pred, y, fn=loss_fn.forward, label=label), label, shape=())
        want = np.mean((pred - y) ** 2)
        ex.close(value, want, f"{label} gave {fmt(value)}; expected {fmt(want)}.", mistakes=[
            (np.sum((pred - y) ** 2) / n, mistake("mse_loss/mean-over-rows-only",
                                              "average over every element, not only over the "
                                              "rows: np.mean((pred - y) ** 2).")),
        ])
        grad = ex.call(fn=loss_fn.backward, label="MSELoss().backward()")
        grad = ex.array(grad, "MSELoss().backward()", shape=(n, d))
        pred_nudged = pred.copy()
        loss = functools.partial(ex.call, pred_nudged, y, fn=loss_fn.forward, label=label)
        diff = pred - y
        _gradient(ex, grad, loss, pred_nudged, "dpred", "MSELoss()", [
            (diff, mistake("mse_loss/dpred-2-n-missing",
                       "the 2/N is missing: dpred = 2 * (pred − y) / N, with N the number of "
                       "elements.")),
            (2 * diff, mistake("mse_loss/dpred-n-missing",
                           "divide by the number of elements: dpred = 2 * (pred − y) / "
                           "pred.size.")),
            (diff / diff.size, mistake("mse_loss/dpred-2-missing",
                                   "the factor 2 from the square is missing: 2 * (pred − y) / N.")),
            (-2 * diff / diff.size, mistake("mse_loss/dpred-sign",
                                        "the sign is flipped: the derivative of (pred − y)² in "
                                        "pred is +2 (pred − y).")),
            (2 * diff / n, mistake("mse_loss/dpred-rows-only",
                               "divide by every element, pred.size, not only the rows.")),
        ], mistake("mse_loss/wrong-dpred",
                   "dpred = 2 * (pred − y) / N, with N = pred.size: the derivative of the mean."))


# -- Sequential ---------------------------------------------------------------------------------


class _Probe(_ReferenceModule):
    """A layer y = scale · x that writes its name into a shared log on forward and backward."""

    def __init__(self, name: str, scale: float, log: list[str]):
        self.name, self.scale, self.log = name, scale, log

    def __repr__(self) -> str:
        return self.name

    def forward(self, x):
        self.log.append(f"forward {self.name}")
        return self.scale * x

    def backward(self, dout):
        self.log.append(f"backward {self.name}")
        return self.scale * dout


def _build_sequential(ex: Check, layers: list, label: str) -> Any:
    """The student's Sequential(*layers); an ``__init__(self, layers)`` is named as such.

    Decided by calling it, not by reading its signature: in the grader the class is a
    stand-in whose signature says nothing.
    """
    try:
        return ex.call(*layers, fn=ex.obj, label=label)
    except CheckFailed as failure:
        cause = failure.__cause__
        text = str(cause) if isinstance(cause, TypeError) else ""
        if "__init__()" in text and "positional argument" in text:
            ex.fail(
                "Sequential(*layers) takes the layers as separate arguments: "
                "Sequential(Linear(2, 3), Tanh(), Linear(3, 1)).",
                mistake("sequential/init-takes-list",
                    "write def __init__(self, *layers) and keep self.layers = list(layers)."),
            )
        raise


@exercise("sequential", kind="class")
def sequential(ex: Check) -> None:
    """Sequential(*layers): forward in order, backward in reverse, parameters() of all layers."""
    log: list[str] = []
    probes = [_Probe(name, scale, log) for name, scale in (("A", 2.0), ("B", 3.0), ("C", 5.0))]
    model = _build_sequential(ex, probes, "Sequential(A, B, C)")
    x = np.ones((2, 3))
    out = ex.call(x, fn=model.forward, label="Sequential(A, B, C).forward(x)")
    forward_log = [entry for entry in log if entry.startswith("forward")]
    if forward_log != ["forward A", "forward B", "forward C"]:
        ex.fail(
            f"Sequential(A, B, C).forward called the layers in the order {forward_log}.",
            mistake("sequential/layer-called-wrong",
                "forward runs each layer once, first to last, feeding each the previous output."),
        )
    ex.close(ex.array(out, "Sequential(A, B, C).forward(x)", shape=x.shape), 30 * x,
             "Sequential(A, B, C).forward(x) did not return the last layer's output.",
             hint=mistake("sequential/wrong-forward",
                      "x = layer.forward(x) for each layer, then return x."))
    log.clear()
    dx = ex.call(np.ones((2, 3)), fn=model.backward, label="Sequential(A, B, C).backward(dout)")
    if log != ["backward C", "backward B", "backward A"]:
        ex.fail(
            f"Sequential(A, B, C).backward called the layers in the order {log}.",
            mistake("sequential/backward-not-reversed",
                "backward runs from the last layer to the first (reversed(self.layers)): the "
                "gradient flows from the loss back to the input."),
        )
    if dx is None:
        ex.fail("Sequential.backward(dout) returned None.",
                mistake("sequential/backward-returns-none",
                    "return the first layer's dx: the gradient for the network's input."))
    ex.close(ex.array(dx, "Sequential(A, B, C).backward(dout)", shape=x.shape), 30 * x,
             "Sequential(A, B, C).backward(dout) did not return the first layer's dx.",
             hint=mistake("sequential/wrong-backward",
                      "dout = layer.backward(dout) for each layer in reverse, then return dout."))
    if not isinstance(getattr(model, "layers", None), (list, tuple)):
        ex.fail("Sequential has no list `layers`.",
                mistake("sequential/no-layers-attribute",
                    "keep the layers as self.layers = list(layers): drawings and reports read it."))

    rng = np.random.default_rng(7)
    layers = [_ReferenceLinear(3, 4, rng), _ReferenceTanh(), _ReferenceLinear(4, 2, rng)]
    ours = copy.deepcopy(layers)  # expected outputs: never from the layers lent out
    label = "Sequential(Linear(3, 4), Tanh(), Linear(4, 2))"
    model = _build_sequential(ex, layers, label)
    for _ in range(ex.trials):
        x = ex.rng.normal(size=(5, 3))
        out = ex.array(ex.call(x, fn=model.forward, label=f"{label}.forward(x)"),
                       f"{label}.forward(x)", shape=(5, 2))
        want = ours[2].forward(ours[1].forward(ours[0].forward(x)))
        ex.close(out, want, f"{label}.forward(x) gave {fmt(out)}; expected {fmt(want)}.")
        ex.call(x, fn=model.forward, label=f"{label}.forward(x)")
        dout = ex.rng.normal(size=(5, 2))
        dx = ex.array(ex.call(dout, fn=model.backward, label=f"{label}.backward(dout)"),
                      f"{label}.backward(dout)", shape=x.shape)
        loss, x_nudged = _probe(ex, model.forward, x, dout, label)
        _gradient(ex, dx, loss, x_nudged, "dx", label, [],
                  mistake("sequential/wrong-dx",
                          "return the gradient the first layer's backward gave."))

    pairs = ex.call(fn=model.parameters, label=f"{label}.parameters()")
    pairs = list(pairs) if pairs is not None else []
    if any(not isinstance(p, tuple) for p in pairs):
        ex.fail(
            f"{label}.parameters() gave {len(pairs)} items that are not all (param, grad) "
            "pairs; expected (param, grad) pairs.",
            mistake("sequential/parameters-not-flat",
                "yield every pair of every layer, flattened: `for layer in self.layers: "
                "yield from layer.parameters()`."),
        )
    yielded = {id(param) for param, _ in pairs}
    expected = [(i, name, param) for i, layer in enumerate(layers)
                for name, param in (("W", getattr(layer, "W", None)),
                                    ("b", getattr(layer, "b", None))) if param is not None]
    missing = [f"layer {i} ({layers[i]!r}).{name}" for i, name, p in expected
               if id(p) not in yielded]
    if missing:
        ex.fail(
            f"{label}.parameters() yielded {len(pairs)} of the {len(expected)} parameters; "
            f"missing: {', '.join(missing)}.",
            mistake("sequential/layers-skipped",
                "go through every layer: `for layer in self.layers: yield from "
                "layer.parameters()` (a `return` inside the loop stops after the first layer)."),
        )
    if len(pairs) != len(expected):
        ex.fail(f"{label}.parameters() yielded {len(pairs)} pairs; expected {len(expected)}.",
                mistake("sequential/parameters-repeated", "yield each layer's pairs exactly once."))


# -- train ------------------------------------------------------------------------------------


def _reference_losses(model, X, y, lr: float, epochs: int) -> list[float]:
    """Full-batch gradient descent on a copy of ``model`` (``lr < 0`` climbs instead)."""
    model, loss_fn = copy.deepcopy(model), _ReferenceMSE()
    losses = []
    for _ in range(epochs):
        losses.append(loss_fn.forward(model.forward(X), y))
        model.backward(loss_fn.backward())
        for param, grad in model.parameters():
            param -= lr * grad
    return losses


def _with_weights_of(template, model):
    """A copy of the check's ``template`` network holding ``model``'s current W and b."""
    network = copy.deepcopy(template)
    for mine, theirs in zip(network.layers, getattr(model, "layers", []), strict=False):
        for name in ("W", "b"):
            if hasattr(mine, name):
                getattr(mine, name)[...] = np.asarray(getattr(theirs, name))
    return network


class _WatchedSequential(_ReferenceSequential):
    """The reference container, noting a backward that gets a single number (the loss)."""

    scalar_dout = None

    def backward(self, dout):
        if np.ndim(dout) == 0:
            self.scalar_dout = float(dout)
        return super().backward(dout)


@exercise("train", kind="function")
def train(ex: Check) -> None:
    """train(model, loss_fn, X, y, lr, epochs) -> list of losses, one per epoch (full-batch GD)."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(12, 2))
    y = np.sin(X[:, :1]) + X[:, 1:] ** 2
    model = _WatchedSequential(
        _ReferenceLinear(2, 5, rng), _ReferenceTanh(), _ReferenceLinear(5, 1, rng))
    lr, epochs = 0.05, 6
    label = f"train(model, MSELoss(), X, y, lr={lr}, epochs={epochs})"
    before = copy.deepcopy(model)
    try:
        losses = ex.call(model, _ReferenceMSE(), X, y, lr=lr, epochs=epochs, label=label)
    finally:
        if model.scalar_dout is not None:
            ex.fail(f"{label} called model.backward with a single number, "
                    f"{fmt(model.scalar_dout)}: the loss value.", BACKWARD_FROM_LOSS_HINT)
    if losses is None:
        ex.fail(f"{label} returned None.", mistake("train/losses-not-a-list",
                                               "collect each epoch's loss in a list and return "
                                               "it."))
    losses = ex.array(list(losses) if not isinstance(losses, np.ndarray) else losses,
                      f"the losses from {label}")
    if losses.shape != (epochs,):
        ex.fail(f"{label} returned {losses.size} losses; expected one per epoch, {epochs}.",
                mistake("train/loss-count",
                    "append loss_fn.forward(...) once per epoch, before the update."))
    want = _reference_losses(before, X, y, lr, epochs)
    ex.close(losses, want,
             f"{label} gave the losses {fmt(losses)}; expected {fmt(np.array(want))}.",
             mistakes=[
                 (_reference_losses(before, X, y, -lr, epochs),
                  mistake("train/climbs",
                      "the loss grows: step against the gradient, param -= lr * grad.")),
                 (_reference_losses(before, X, y, 0.0, epochs),
                  mistake("train/no-update",
                      "the parameters never change. Update them in place (param -= lr * grad; "
                      "param = param - ... makes a new array the layer never sees), and read "
                      "model.parameters() after each backward, which sets new gradient arrays.")),
                 (_reference_losses(before, X, y, lr, epochs + 1)[1:],
                  mistake("train/losses-shifted-by-one",
                      "record the loss of each epoch before its update: forward, loss, backward, "
                      "update.")),
                 (_reference_losses(before, X, y, 2 * lr, epochs),
                  mistake("train/factor-2", "step by lr * grad (no factor 2).")),
             ],
             hint=mistake("train/wrong-losses",
                      "each epoch: pred = model.forward(X); loss = loss_fn.forward(pred, y); "
                  "model.backward(loss_fn.backward()); then param -= lr * grad for every pair."),
             rtol=1e-6)
    trained = _reference_losses(before, X, y, lr, epochs + 1)[-1]
    # the model's loss from its weights alone, on a copy made before training: the student's
    # code may have replaced the model's methods, never the check's copy
    after = _ReferenceMSE().forward(_with_weights_of(before, model).forward(X), y)
    if not np.isclose(after, trained, rtol=1e-6):
        ex.fail(
            f"after {label} the model's loss is {after:.4g}; expected {trained:.4g}: the "
            "model you were given was not the one trained.",
            mistake("train/model-rebuilt",
                "update the parameters of `model` itself, in place, and do not rebuild it."),
        )
