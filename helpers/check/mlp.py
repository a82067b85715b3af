"""Checks for notebook 04, the multi-layer perceptron: layers, a loss, a container, training.

Every backward is compared with central finite differences of the student's own forward,
one gradient at a time (dx, dW, db), so any correct formula passes; before that, the
gradient is compared with what the classic mistakes give, so the hint can name the mistake.
The containers and the training loops are tested with the package's reference layers, so
a failure there can only come from the code under test. The derivation steps and the
predictions are numbers or letters, compared without ever printing the right one; each
wrong one that a misconception gives is named. Registered in the notebook's order.
"""

from __future__ import annotations

import copy
import functools
import numbers
from collections.abc import Callable
from typing import Any

import numpy as np

from ..experiments import mlp as _experiments
from ..gradcheck import (
    DIRECTIONS,
    GRADIENT_RIGHT,
    GRADIENT_WRONG,
    directional_errors,
    gradient_error,
    numerical_gradient,
)
from ..gradcheck import relative_error as _relative_error
from ..losses import MSELoss as _ReferenceMSE
from ..nn import Linear as _ReferenceLinear
from ..nn import Module as _ReferenceModule
from ..nn import Sequential as _ReferenceSequential
from ..nn import Tanh as _ReferenceTanh
from ..nn import sigmoid as _sigmoid  # the package's one stable sigmoid
from ._core import Check, CheckFailed, exercise, fmt
from .mistakes import mistake

__all__ = [
    "dl_dw_one_sample", "dl_dx_one_sample", "dl_dw_batch", "dw_batch", "dx_batch", "linear",
    "sigmoid_layer", "tanh_layer", "relu_layer", "gradient_errors", "mse_loss", "sequential",
    "train", "predict_xor_linear", "predict_sigmoid_depth", "train_early_stopping",
    "predict_lr_diverges",
]


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
    if _agrees_along_directions(loss, wrt, got):
        return
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


def _agrees_along_directions(loss: Callable[[], float], wrt: np.ndarray, got: np.ndarray) -> bool:
    """True when ``got`` matches finite differences of ``loss`` along a few random directions.

    Each direction costs two calls of the student's forward (in the grader, two round trips
    to the sandbox) where per-entry differences cost two per entry. Only a clear agreement
    passes, 10 times tighter than GRADIENT_RIGHT on every direction: anything else, a
    mistake or an unlucky direction, goes on to the per-entry comparison, whose verdict and
    message are the check's. Arrays no larger than the number of directions go there at once.
    """
    if wrt.size <= DIRECTIONS or np.shape(got) != wrt.shape:
        return False
    errors = directional_errors(loss, wrt, got, seed=wrt.size)
    return all(error < GRADIENT_RIGHT / 10 for error in errors)


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
            *, forbid_warnings: bool) -> None:
    """Forward and backward at ±1000: finite values; no warning in forward where the
    specification says so (the sigmoid's: notebook 01's stable form)."""
    layer = _instantiate(ex, label=f"{label}()")
    x = np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]])
    # elsewhere a warning alone fails nothing: a right value passes with a note, and a
    # wrong one (inf / inf) fails with this hint
    out = ex.call(x, fn=layer.forward, label=f"{label}.forward([[-1000, -30, 0, 30, 1000]])",
                  forbid_warnings=forbid_warnings, warning_hint=mistake("activation-layer/overflow",
                                   "np.exp of a large number overflows (e^1000 is beyond "
                                   "float64), and at ±1000 one of the exponentials in your "
                                   "forward is that large. Notebook 01 met this overflow and "
                                   "wrote its sigmoid so that it never happens."))
    out = ex.array(out, f"{label}.forward at ±1000", shape=x.shape)
    ex.finite(out, f"{label}.forward at ±1000")
    ex.close(out, reference(x), f"{label}.forward at ±1000 gave {fmt(out)}; expected "
             f"{fmt(reference(x))}.")
    dx = _backward(ex, layer, np.ones_like(x), x.shape, label)
    ex.finite(dx, f"{label}.backward at ±1000",
        mistake("activation-layer/backward-not-finite",
                                                    "compute the derivative from the kept output."))



# -- predict, then run -------------------------------------------------------------------------

#: Notebook 04's choices for what training does to XOR without an activation.
XOR_LINEAR_CHOICES = {
    "a": "it learns XOR like the tanh network, only more slowly",
    "b": "all four outputs end near 0.5: it cannot decide any corner",
    "c": "it gets three corners right and one wrong",
    "d": "the loss grows: training diverges",
}


def _choice(ex: Check, name: str, choices: dict[str, str]) -> str:
    value = ex.obj
    letter = value.strip().lower().strip("()") if isinstance(value, str) else None
    if letter not in choices:
        ex.fail(f"{name} is {fmt(value)}; expected one of the letters "
                f"{', '.join(repr(c) for c in choices)}.",
                mistake("mlp-question/not-a-choice",
                        f"assign one letter as a string, e.g. {name} = \"a\"."))
    return letter


@exercise("predict_xor_linear", kind="value")
def predict_xor_linear(ex: Check) -> None:
    """PREDICT_XOR_LINEAR: what training does to the XOR network without an activation."""
    letter = _choice(ex, "PREDICT_XOR_LINEAR", XOR_LINEAR_CHOICES)
    said = f"you chose ({letter}), {XOR_LINEAR_CHOICES[letter]}."
    if letter == "a":
        ex.fail(said, mistake("predict_xor_linear/learns-slowly",
                              "without an activation the two layers compute one linear layer "
                              "(the cell above): no amount of training bends its boundary."))
    if letter == "c":
        ex.fail(said, mistake("predict_xor_linear/three-corners",
                              "a steep line can put three corners right, but from small random "
                              "weights gradient descent does not head for one: XOR's corners "
                              "come in pairs with opposite labels, and a step that moves one "
                              "corner's output toward its label moves its partner's away from "
                              "its own."))
    if letter == "d":
        ex.fail(said, mistake("predict_xor_linear/diverges",
                              "nothing here makes the steps too large: the learning rate is the "
                              "one that trains the tanh network. The loss falls, then stops "
                              "falling."))



# -- the derivation steps of Linear's backward: one sample, the batch, the matrix -------------

#: The numbers the notebook's derivation questions give (its cell defines the same arrays).
#: No entry of x is 1 and every wrong answer listed below is a different number, so each
#: mistake gets its own message (with x[0] = 1, x[0] * dout[2] read as "x forgotten").
ONE_SAMPLE = {"x": np.array([4.0, 2.0]), "W": np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.0]]),
              "dout": np.array([0.5, -1.0, 3.0])}
BATCH = {"X": np.array([[4.0, 2.0], [3.0, -1.0]]),
         "DOUT": np.array([[0.5, -1.0, 3.0], [2.0, 1.0, -1.0]])}


def _number(ex: Check, name: str) -> float:
    """The student's constant as a float, or a failure that says what was expected."""
    value = ex.obj
    if isinstance(value, (bool, str)) or value is None:
        ex.fail(f"{name} is {fmt(value)}; expected a number.",
                mistake("mlp-question/not-a-number",
                        f"assign a number to {name}: work it out by hand or with numpy."))
    return float(ex.array(value, name, shape=()))


def _answer(ex: Check, name: str, got, want, what: str, wrongs: Mistakes, fallback: str) -> None:
    """Compare without ever printing the right value: the message says what is asked."""
    ex.close(got, want, f"{name} = {fmt(got)} is not {what}.", mistakes=wrongs, hint=fallback,
             rtol=1e-6, atol=1e-9)


@exercise("dl_dw_one_sample", kind="value")
def dl_dw_one_sample(ex: Check) -> None:
    """DL_DW_ONE_SAMPLE: ∂L/∂W[1, 2] for the one sample x, W, dout of the notebook."""
    x, W, dout = ONE_SAMPLE["x"], ONE_SAMPLE["W"], ONE_SAMPLE["dout"]
    got = _number(ex, "DL_DW_ONE_SAMPLE")
    _answer(ex, "DL_DW_ONE_SAMPLE", got, x[1] * dout[2], "∂L/∂W[1, 2] for this sample", [
        (dout[2], mistake("dl_dw_one_sample/x-missing",
                          "your number is dout[2] alone: the chain rule multiplies it by how "
                          "fast z[2] changes with W[1, 2], and that rate is not 1.")),
        (x[1], mistake("dl_dw_one_sample/dout-missing",
                       "your number is ∂z[2]/∂W[1, 2] alone: the chain rule multiplies it by "
                       "how L changes with z[2].")),
        (x[1] * dout.sum(), mistake("dl_dw_one_sample/summed-over-outputs",
                                    "you summed over every output; W[1, 2] appears in one "
                                    "output only.")),
        (x.sum() * dout[2], mistake("dl_dw_one_sample/summed-over-inputs",
                                    "you summed over every input; W[1, 2] multiplies one input "
                                    "only.")),
        (x[0] * dout[1], mistake("dl_dw_one_sample/one-based",
                                 "that is the entry in row 1, column 2 counted from 1; numpy "
                                 "counts from 0, so W[1, 2] is row 1 (the second input), "
                                 "column 2 (the third output).")),
        (x[0] * dout[2], mistake("dl_dw_one_sample/wrong-input",
                                 "your number takes x[0], the first input; W[1, 2] sits in "
                                 "row 1 of W, so in z[2] it multiplies another input.")),
        (W[1, 2] * dout[2], mistake("dl_dw_one_sample/weight-for-input",
                                    "your number uses the weight W[1, 2] itself; ∂z[2]/∂W[1, 2] "
                                    "is what W[1, 2] is multiplied by in z[2].")),
    ], mistake("dl_dw_one_sample/wrong",
               "write z[2] as a sum over the inputs, find the one term that holds W[1, 2], and "
               "apply the chain rule through z[2]."))


@exercise("dl_dx_one_sample", kind="value")
def dl_dx_one_sample(ex: Check) -> None:
    """DL_DX_ONE_SAMPLE: ∂L/∂x[0] for the one sample x, W, dout of the notebook."""
    x, W, dout = ONE_SAMPLE["x"], ONE_SAMPLE["W"], ONE_SAMPLE["dout"]
    got = _number(ex, "DL_DX_ONE_SAMPLE")
    _answer(ex, "DL_DX_ONE_SAMPLE", got, W[0] @ dout, "∂L/∂x[0] for this sample", [
        (W[:, 0] @ dout[:2], mistake("dl_dx_one_sample/column-for-row",
                                     "you paired dout with a column of W; x[0] is multiplied "
                                     "by the weights in row 0 of W, one for each output.")),
        (W[0, 0] * dout[0], mistake("dl_dx_one_sample/one-output",
                                    "that is the term of output 0 alone; x[0] appears in every "
                                    "output, and each one adds its term.")),
        (W[0].sum(), mistake("dl_dx_one_sample/dout-missing",
                             "you added the weights alone; the chain rule multiplies each by "
                             "its output's dout.")),
        (x[0] * dout.sum(), mistake("dl_dx_one_sample/input-for-weight",
                                    "∂z[j]/∂x[0] is what x[0] is multiplied by in z[j], not "
                                    "x[0] itself.")),
    ], mistake("dl_dx_one_sample/wrong",
               "x[0] appears in every z[j]: find ∂z[j]/∂x[0] for each j, then collect one "
               "chain-rule term per output."))


@exercise("dl_dw_batch", kind="value")
def dl_dw_batch(ex: Check) -> None:
    """DL_DW_BATCH: ∂L/∂W[1, 2] for the batch X, DOUT of two samples of the notebook."""
    X, DOUT = BATCH["X"], BATCH["DOUT"]
    got = _number(ex, "DL_DW_BATCH")
    terms = X[:, 1] * DOUT[:, 2]
    _answer(ex, "DL_DW_BATCH", got, terms.sum(), "∂L/∂W[1, 2] for this batch", [
        (terms.mean(), mistake("dl_dw_batch/averaged",
                               "your number is the mean of the samples' terms, half their sum: "
                               "the 1/N of an average loss is already inside DOUT.")),
        (terms[0], mistake("dl_dw_batch/one-sample",
                           "that is one sample's term alone: both samples use the same W[1, 2], "
                           "so both terms count.")),
        (terms[1], mistake("dl_dw_batch/one-sample",
                           "that is one sample's term alone: both samples use the same W[1, 2], "
                           "so both terms count.")),
        (X[:, 1].sum() * DOUT[:, 2].sum(), mistake("dl_dw_batch/sums-multiplied",
                                                   "you multiplied two sums; the sum runs over "
                                                   "the samples' products, one per sample.")),
    ], mistake("dl_dw_batch/wrong",
               "each sample adds the term your DL_DW_ONE_SAMPLE computed for one sample, with "
               "its own row of X and DOUT."))


@exercise("dw_batch", kind="value")
def dw_batch(ex: Check) -> None:
    """DW_BATCH: the whole ∂L/∂W, shape (2, 3), for the batch X, DOUT of the notebook."""
    X, DOUT = BATCH["X"], BATCH["DOUT"]
    want = X.T @ DOUT
    got = ex.obj
    if np.shape(got) == want.T.shape:
        ex.fail(f"DW_BATCH has shape {np.shape(got)}; W has shape {want.shape}.",
                mistake("dw_batch/transposed",
                        "your array is W's shape transposed: entry [i, j] belongs to W[i, j], "
                        "one row per input and one column per output."))
    got = ex.array(got, "DW_BATCH", shape=want.shape)
    wrong = [f"[{i}, {j}]" for i, j in zip(*np.nonzero(~np.isclose(got, want)), strict=True)]
    _answer(ex, "DW_BATCH", got, want,
            f"∂L/∂W for this batch (entries {', '.join(wrong)} differ)", [
        (X @ DOUT, mistake("dw_batch/x-not-transposed",
                           "your array has W's shape, but only because X_two is square: its "
                           "entry [i, j] pairs row i of X, one sample's inputs, with column j "
                           "of DOUT, one output over the samples. Entry [1, 2] should be your "
                           "DL_DW_BATCH.")),
        (want / len(X), mistake("dw_batch/averaged",
                                "every entry of your array is N times too small: the 1/N is "
                                "already inside DOUT.")),
        (np.outer(X[0], DOUT[0]), mistake("dw_batch/one-sample",
                                          "your array holds the first sample's terms only; "
                                          "every sample adds its own.")),
        (np.outer(X.sum(axis=0), DOUT.sum(axis=0)), mistake(
            "dw_batch/sums-multiplied",
            "you multiplied the sum of the inputs by the sum of the douts; the sum runs over "
            "the samples' products, one per sample.")),
    ], mistake("dw_batch/wrong",
               "compare entry [1, 2] of your array with your DL_DW_BATCH: every entry [i, j] "
               "is built the same way, from column i of X and column j of DOUT."))



@exercise("dx_batch", kind="value")
def dx_batch(ex: Check) -> None:
    """DX_BATCH: the whole ∂L/∂X, shape (2, 2), for the batch X, DOUT of the notebook with the
    one sample's W. X is square, so the shapes leave two products; the entries decide."""
    W, DOUT = ONE_SAMPLE["W"], BATCH["DOUT"]
    want = DOUT @ W.T
    got = ex.array(ex.obj, "DX_BATCH", shape=BATCH["X"].shape)
    wrong = [f"[{n}, {i}]" for n, i in zip(*np.nonzero(~np.isclose(got, want)), strict=True)]
    _answer(ex, "DX_BATCH", got, want,
            f"∂L/∂X for this batch (entries {', '.join(wrong)} differ)", [
        (want.T, mistake("dx_batch/samples-along-columns",
                         "your array has the right shape, but only because the batch has as "
                         "many samples as inputs: your entry [0, 1] holds what belongs to "
                         "[1, 0]. Row n of ∂L/∂X is sample n's, one entry per input, like row n "
                         "of X.")),
        (want / len(DOUT), mistake("dx_batch/averaged",
                                   "every entry of your array is N times too small: nothing is "
                                   "divided here, each sample has its own row.")),
        (np.tile(want.sum(axis=0), (len(DOUT), 1)), mistake(
            "dx_batch/summed-over-samples",
            "every row of yours is the sum of the samples' rows: W is shared by the samples, "
            "but each input row belongs to one sample, so its gradient gets that sample's "
            "terms only.")),
        (DOUT[:, :2] @ W[:, :2], mistake(
            "dx_batch/column-for-row",
            "your entries pair DOUT with columns of W; x[i] is multiplied by the weights in "
            "row i of W, one for each output, as in your DL_DX_ONE_SAMPLE.")),
    ], mistake("dx_batch/wrong",
               "row 0 of ∂L/∂X is the sample of DL_DX_ONE_SAMPLE, so entry [0, 0] is that "
               "number; every entry [n, i] is built the same way, from row n of DOUT and row "
               "i of W."))


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
                "your bias is a (1, n_out) row: the layer's bias has one axis, n_out numbers "
                "(x @ W + b adds it to every row either way), and its gradient db has that "
                "shape too."),
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
    # n_out three times n_in: Glorot, He (fan-in) and fan-out scales then differ by >15 %,
    # and 30 000 weights estimate the standard deviation to within half a percent
    n_in, n_out = 100, 300
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
    glorot, std = np.sqrt(2.0 / (n_in + n_out)), float(W.std())
    if abs(std / glorot - 1) < 0.07:
        return
    said = (f"the weights of {label} have standard deviation {std:.3g}; the docstring's "
            f"sqrt(2 / (n_in + n_out)) is {glorot:.3g}")
    if abs(std / np.sqrt(2.0 / n_in) - 1) < 0.07:
        ex.fail(
            f"{said}. Yours is sqrt(2 / n_in) = {np.sqrt(2.0 / n_in):.3g}.",
            mistake("linear/he-init",
                "your scale counts only the layer's inputs: that is He initialisation, made for "
                "ReLU. The docstring asks for Glorot's, which counts the outputs too; the "
                "numbers the notebook states later (which learning rate diverges, when early "
                "stopping stops) come from Glorot's start."),
        )
    ex.fail(
        f"{said} ({std / glorot:.2f} times that).",
        mistake("linear/weight-scale",
            "the spread of the random weights is off: the docstring gives their standard "
            "deviation. Too large and the activations saturate; too small and the signal "
            "fades layer after layer."),
    )


def _linear_backward(ex: Check, layer, W, x, dout, label: str, n_in: int, n_out: int) -> None:
    """``W`` is the check's own copy of the layer's weights (the student's code never sees it)."""
    dx = _call_backward(ex, layer, dout, label)
    if dx is None:
        ex.fail(f"{label}.backward(dout) returned None.",
                mistake("linear/backward-returns-none",
                    "backward returns dx, the gradient for the layer's input (the shape of x), "
                    "so that the layer below can go on."))
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
                    "your dW has the shape of W transposed: dW[i, j] belongs to W[i, j], one "
                    "row per input i and one column per output j, like W."))
    dW = ex.array(dW, f"{label}: dW", shape=(n_in, n_out))
    db = np.asarray(grads["db"])
    if db.shape == (n, n_out):
        ex.fail(f"db has shape {db.shape}; expected the shape of b, {(n_out,)}.",
                mistake("linear/db-not-summed",
                    "your db keeps one row per sample: the bias is shared by every sample, so "
                    "its gradient collects one contribution from each, as your DL_DW_BATCH did "
                    "for a weight."))
    if db.shape in ((), (n,)):
        ex.fail(f"db has shape {db.shape}; expected the shape of b, {(n_out,)}.",
                mistake("linear/db-summed-over-all",
                    ("your db is one number: you summed over the outputs too" if db.ndim == 0
                     else "your db has one entry per sample: you summed over the outputs, not "
                     "over the batch") + "; b[j] only feeds output j, and it does so in "
                    "every sample."))
    db = ex.array(db, f"{label}: db", shape=(n_out,))
    if np.asarray(dx).shape == (n, n_out) and n_in != n_out:
        ex.fail(f"dx has shape {(n, n_out)}; expected the shape of x, {(n, n_in)}.",
                mistake("linear/dx-shape",
                        "your dx has the shape of the layer's output; the gradient for x has "
                        "the shape of x, one entry per input of each sample."))
    dx = ex.array(dx, f"{label}.backward(dout)", shape=(n, n_in))

    loss, x = _probe(ex, layer.forward, x, dout, label)
    _gradient(ex, dW, loss, layer.W, "dW", label, [
        ((x.T @ dout) / n, mistake("linear/dw-divided-by-n",
                               "each entry of your dW is N times too small: the 1/N of an "
                               "average loss is already inside dout.")),
        (dout.T @ x, mistake("linear/dw-transposed-2",
                         "your dW is the transpose of the right one: its entry [i, j] holds "
                         "what belongs to W[j, i].")),
    ], mistake("linear/dw-wrong", "dW[i, j] must collect, over the batch, what your "
                                  "DL_DW_ONE_SAMPLE found for one sample; yours does not."))
    _gradient(ex, db, loss, layer.b, "db", label, [
        (dout.mean(axis=0), mistake("linear/db-mean",
                                "each entry of your db is N times too small: you averaged "
                                "over the batch, and the 1/N is already inside dout.")),
        (np.full(n_out, dout.sum()), mistake("linear/db-summed-over-all",
                                         "every entry of your db is the same total: you summed "
                                         "over the outputs too, but b[j] only feeds output "
                                         "j.")),
        (dout.sum(axis=0) * 0, mistake("linear/db-zero",
                                   "your db is all zeros: backward does not store the bias "
                                   "gradient it computes.")),
    ], mistake("linear/db-wrong", "b[j] is added to output j of every sample: its gradient "
                                  "collects output j's dout from each; yours does not."))
    dx_mistakes = [(dout @ W.T / n, mistake("linear/dx-divided-by-n",
                                        "each entry of your dx is N times too small: nothing "
                                        "is divided here, each sample has its own row of dx."))]
    if n_in == n_out:  # otherwise dout @ W cannot even be computed
        dx_mistakes.append(
            (dout @ W, mistake("linear/dx-w-not-transposed",
                               "your dx pairs dout with W where W transposed belongs: x[i] "
                               "reaches output j through W[i, j] (your DL_DX_ONE_SAMPLE).")))
    _gradient(ex, dx, loss, x, "dx", label, dx_mistakes,
              mistake("linear/dx-wrong",
                      "x[n, i] feeds every output of sample n through its weight: dx[n, i] "
                      "gathers one term from each output, as your DL_DX_ONE_SAMPLE did."))


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
                "backward sets the gradient, it does not add to it: with +=, the gradient of "
                "the previous call stays in self.dW."),
        )


def _linear_parameters(ex: Check, layer, label: str) -> None:
    pairs = ex.call(fn=layer.parameters, label=f"{label}.parameters()")
    pairs = list(pairs) if pairs is not None else []
    if len(pairs) != 2 or not all(isinstance(p, tuple) and len(p) == 2 for p in pairs):
        ex.fail(
            f"{label}.parameters() gave {fmt(pairs)}; expected two (param, grad) pairs.",
            mistake("linear/parameters-wrong",
                "parameters() yields two (param, grad) pairs: W with its gradient, then b "
                "with its gradient."),
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
        grad, other = by_param[id(param)], {"W": "b", "b": "W"}[name]
        if np.array_equal(np.asarray(grad), np.asarray(getattr(layer, "d" + name))):
            continue
        if np.shape(grad) == np.shape(getattr(layer, "d" + other)) and np.array_equal(
                np.asarray(grad), np.asarray(getattr(layer, "d" + other))):
            ex.fail(
                f"{label}.parameters() pairs self.{name} with self.d{other}.",
                mistake("linear/parameters-not-pairs",
                    f"pair each parameter with its own gradient: {name} goes with d{name}."),
            )
        ex.fail(
            f"after backward, {label}.parameters() pairs self.{name} with an array that is not "
            f"the layer's current self.d{name}.",
            mistake("linear/parameters-stale",
                "the gradient parameters() gives is an array the layer held before: a list of "
                "pairs made once (in __init__) keeps the arrays that existed then, and backward "
                f"binds self.d{name} to a new one. parameters() must give the arrays the layer "
                "holds at the moment it is called."),
        )


@exercise("linear", kind="class")
def linear(ex: Check) -> None:
    """Linear(n_in, n_out, rng): forward x @ W + b; backward sets dW and db and returns dx,
    each compared with finite differences of the layer's own forward."""
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
    """Sigmoid(): forward σ(x), finite and without warnings at ±1000; backward against
    finite differences."""

    def forward_mistakes(x):
        return [(_sigmoid(-x), mistake("sigmoid_layer/sign-inside-exp",
                                   "your sigmoid is mirrored: σ(2) came out as σ(-2); "
                                   "check the sign.")),
                (np.tanh(x), mistake("sigmoid_layer/tanh-instead",
                                 "that is tanh; the sigmoid runs from 0 to 1."))]

    def backward_mistakes(x, dout):
        s = _sigmoid(x)
        return [
            (dout * x * (1 - x), mistake("sigmoid_layer/input-for-output",
                                     "your slope is computed from the INPUT x where σ' written "
             "with the OUTPUT a = σ(x) belongs: keep the output in forward and use it in "
             "backward.")),
            (s * (1 - s), mistake("sigmoid_layer/dout-missing",
                              "your dx is the local slope alone: the chain rule multiplies it "
                              "by what comes from above, dout.")),
            (dout * s, mistake("sigmoid_layer/output-for-derivative",
                           "your slope is the output a itself: at x = 0 that gives 1/2, "
                           "while the sigmoid's slope there is 1/4.")),
            (dout * (1 - s), mistake("sigmoid_layer/one-minus-a-only",
                                 "your slope is 1 − a: at x = 0 that gives 1/2, while the "
                                 "sigmoid's slope there is 1/4; a factor is missing.")),
            (dout * (1 - s**2), mistake("sigmoid_layer/tanh-slope",
                                    "your slope is tanh's, written with its output; at "
                                    "x = 0 it gives 1, while the sigmoid's slope there is "
                                    "1/4.")),
            (dout * s * (1 + s), mistake("sigmoid_layer/plus-for-minus",
                                     "your slope grows with a: at x = 0 it gives 3/4 where the "
                                     "sigmoid's slope is 1/4; check a sign.")),
        ]

    _activation_check(ex, "Sigmoid", _sigmoid, forward_mistakes, backward_mistakes,
                      mistake("sigmoid_layer/wrong-backward", "dx is dout times the sigmoid's "
                              "slope at each entry (the σ' of notebook 03, written with the "
                              "output kept by forward); yours is not."))
    _stable(ex, "Sigmoid", _sigmoid, forbid_warnings=True)


@exercise("tanh_layer", kind="class")
def tanh_layer(ex: Check) -> None:
    """Tanh(): forward tanh(x); backward against finite differences."""

    def forward_mistakes(x):
        return [(_sigmoid(x), mistake("tanh_layer/sigmoid-instead",
                                  "that is the sigmoid; tanh runs from -1 to 1."))]

    def backward_mistakes(x, dout):
        t = np.tanh(x)
        return [
            (dout * (1 - x**2), mistake("tanh_layer/input-for-output",
                                    "your slope is computed from the INPUT x where tanh' "
                                    "written with the OUTPUT a = tanh(x) belongs: keep the "
                                    "output in forward and use it in backward.")),
            (1 - t**2, mistake("tanh_layer/dout-missing",
                           "your dx is the local slope alone: the chain rule multiplies it by "
                           "what comes from above, dout.")),
            (dout * (1 - t), mistake("tanh_layer/not-squared",
                                 "your slope is linear in the output a: at a = 0.5 it gives "
                                 "0.5 where tanh's slope is 0.75.")),
            (dout * t * (1 - t), mistake("tanh_layer/sigmoid-derivative",
                                     "that is the sigmoid's slope written with its output; "
                                     "tanh's slope is 1 at x = 0, where yours is 0.")),
            (dout * (1 + t**2), mistake("tanh_layer/plus-for-minus",
                                    "your slope grows as |a| grows; tanh flattens far from zero, "
                                    "so its slope shrinks there: check a sign.")),
        ]

    _activation_check(ex, "Tanh", np.tanh, forward_mistakes, backward_mistakes,
                      mistake("tanh_layer/wrong-backward",
                              "dx is dout times tanh's slope at each entry (the tanh' of "
                              "notebook 03, written with the output kept by forward); yours "
                              "is not."))
    _stable(ex, "Tanh", np.tanh, forbid_warnings=False)


@exercise("relu_layer", kind="class")
def relu_layer(ex: Check) -> None:
    """ReLU(): forward max(0, x); backward against finite differences, away from the kink."""

    def forward_mistakes(x):
        return [(np.abs(x), mistake("relu_layer/abs",
                                "your negative inputs came out positive; they become 0.")),
                (np.minimum(x, 0), mistake("relu_layer/negative-part",
                                       "your layer keeps the negative part; ReLU keeps the "
                                       "positive part and zeroes the rest."))]

    def backward_mistakes(x, dout):
        return [
            (dout * (dout > 0), mistake("relu_layer/mask-from-dout",
                                    "your mask comes from dout; the ReLU's slope depends on "
                                    "its INPUT, which backward only knows if forward kept "
                                    "something of it.")),
            (dout * np.maximum(x, 0), mistake("relu_layer/times-output",
                                          "your dx is dout times the output; the ReLU's "
                                          "slope is 0 or 1, not the output.")),
            ((x > 0).astype(float), mistake("relu_layer/mask-only",
                                        "your dx is the local slope alone: the chain rule "
                                        "multiplies it by dout.")),
            (dout, mistake("relu_layer/wrong-gradient",
                       "your dx passes dout everywhere; where the input was negative the "
                       "ReLU's slope is 0.")),
            (dout * (x < 0), mistake("relu_layer/mask-inverted",
                                 "your dx lets dout through where the input was negative, "
                                 "where the ReLU is flat, and blocks it where the ReLU has "
                                 "slope 1: the mask is inverted.")),
        ]

    _activation_check(ex, "ReLU", lambda x: np.maximum(x, 0), forward_mistakes,
                      backward_mistakes, mistake(
                          "relu_layer/wrong-backward", "dx is dout times the ReLU's slope at "
                          "each entry; yours is not."),
                      has_kink=True)



def _same_run_again(ex: Check) -> bool:
    """True for the grader's strict run of a check that draws no trials from ``ex``: it
    would call the student's code again on the very inputs the notebook's run just passed
    (in the grader, thousands of round trips for a training loop), and a student's code
    that keeps state between calls would meet a second call the notebook never makes."""
    return ex.strict


# -- gradient_errors: the student's own gradient check -----------------------------------------


class _DoubledDW(_ReferenceLinear):
    """A Linear whose dW is twice the right one: a relative error of exactly 1/3 there."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = 2 * self.dW
        return dx


class _UsedLinear(_ReferenceLinear):
    """A right Linear that has been through a backward pass already, and keeps every dout
    its backward is given from then on.

    Its earlier pass ran on the x of the check with ``STALE`` times the check's dout, so it
    holds gradients of the right signs and the wrong sizes: a check that reads them from
    ``parameters()`` before its own backward gets the relative error of STALE g against g,
    which neither a right check (0) nor a numerical gradient of zero (1) gives.
    """

    STALE = 3.0  # |3g - g| / (|3g| + |g|) = 1/2 for every entry

    def __init__(self, x: np.ndarray, dout: np.ndarray) -> None:
        super().__init__(x.shape[1], dout.shape[1], np.random.default_rng(6))
        self.douts: list[np.ndarray] = []
        self.forward(x)
        self.backward(self.STALE * dout)
        self.douts.clear()  # only the check's own calls count

    def backward(self, dout, input_grad=True):
        self.douts.append(np.array(dout, dtype=float, copy=True))
        return super().backward(dout, input_grad)


class _WatchedTanh(_ReferenceTanh):
    """A right Tanh that keeps every input its forward is given: the entries a gradient
    check nudges, and by how much, show how it takes its differences."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[np.ndarray] = []

    def forward(self, x):
        self.seen.append(np.array(x, dtype=float, copy=True))
        return super().forward(x)


def _nudges(seen: list[np.ndarray], x: np.ndarray) -> np.ndarray:
    """The offsets from ``x`` of the inputs that differ from it in exactly one entry."""
    offsets = []
    for given in seen:
        if given.shape != x.shape:
            continue
        offset = (given - x).ravel()
        changed = np.flatnonzero(offset)
        if len(changed) == 1:
            offsets.append(offset[changed[0]])
    return np.array(offsets)


class _OffTanh(_ReferenceTanh):
    """A Tanh whose dx is 1.5 times the right one: a relative error of exactly 1/5."""

    def backward(self, dout):
        return 1.5 * super().backward(dout)


def _errors(ex: Check, layer, x, dout, label: str, count: int) -> np.ndarray:
    params = [np.array(p, copy=True) for p, _ in layer.parameters()] if count > 1 else []
    got = ex.call(layer, x, dout, label=label)
    if got is None or isinstance(got, (str, dict)) or np.ndim(got) != 1 or len(got) != count:
        ex.fail(f"{label} returned {fmt(got)}; expected a list of {count} relative errors.",
                mistake("gradient_errors/count",
                        "one relative error for dx first, then one for each (param, grad) pair "
                        "of layer.parameters(), in that order."))
    for (param, _), kept in zip(layer.parameters(), params, strict=False):
        if not np.array_equal(param, kept):
            ex.fail(f"after {label} the layer's parameters have changed.",
                    mistake("gradient_errors/params-not-restored",
                            "each nudge of a parameter entry must be undone before the next."))
    return ex.array(got, f"the errors from {label}", shape=(count,))


def _errors_without_dout(layer, x: np.ndarray, dout: np.ndarray) -> np.ndarray:
    """The errors of a gradient check whose numerical side differentiates sum(forward(x))."""
    x = np.array(x, dtype=float)
    layer.forward(x)
    analytic = [np.array(layer.backward(dout), dtype=float)]
    analytic += [np.array(grad, dtype=float) for _, grad in layer.parameters()]

    def loss() -> float:
        return float(np.sum(layer.forward(x)))

    arrays = [x] + [param for param, _ in layer.parameters()]
    return np.array([_relative_error(a, numerical_gradient(loss, b))
                     for a, b in zip(analytic, arrays, strict=True)])


def _name_imprecision(ex: Check, errors: np.ndarray, label: str, layer: str,
                      nudges: np.ndarray) -> None:
    """Errors too large for a right curved layer: the nudges its forward saw say whether
    the differences were one-sided or their h too large."""
    if not nudges.size:
        return
    h = float(np.abs(nudges).max())
    said = f"{label} gave {fmt(errors)} for a right {layer}; expected every error below " \
           f"{GRADIENT_RIGHT:g}."
    if np.all(nudges > 0) or np.all(nudges < 0):
        ex.fail(f"{said} Your finite differences moved each entry of x by {nudges[0]:+.1e} "
                "and never the other way.",
                mistake("gradient_errors/one-sided",
                        "your difference quotient takes x and one point to one side of it: it "
                        "measures the slope of a chord that starts at x, which on a curved "
                        "layer misses the slope at x by an error proportional to h. A quotient "
                        "whose two points sit symmetrically about x cancels that error."))
    if h > 1e-4:
        ex.fail(f"{said} Your finite differences moved each entry of x by ±{h:.1e}.",
                mistake("gradient_errors/h-too-large",
                        f"your h, {h:.1e}, is large for float64: a difference quotient over a "
                        "wide stretch measures the layer's average slope across it, and a "
                        "curved layer's slope changes within it. The smaller h, the closer to "
                        "the slope at x, until rounding errors take over near 1e-8."))


def _right_layer_errors(ex: Check, errors: np.ndarray, label: str, layer: str,
                        without_dout: np.ndarray, nudges: np.ndarray | None = None) -> None:
    """A right layer's errors: every one below GRADIENT_RIGHT. ``nudges``: the offsets the
    layer's forward saw, when the layer kept them (a curved layer)."""
    if np.allclose(errors, without_dout, rtol=1e-4, atol=1e-9):
        ex.fail(f"{label} gave {fmt(errors)} for a right {layer}: the errors a check gets "
                "whose loss leaves dout out.",
                mistake("gradient_errors/loss-without-dout",
                        "your numerical gradient is that of a loss without dout: backward(dout) "
                        "gives the gradient of the loss whose gradient for the layer's output "
                        "is dout, and the numerical one must differentiate that same loss."))
    stale = (_UsedLinear.STALE - 1) / (_UsedLinear.STALE + 1)
    if len(errors) == 3 and errors[0] < GRADIENT_RIGHT and np.allclose(errors[1:], stale,
                                                                       rtol=1e-3):
        ex.fail(f"{label} gave {fmt(errors)} for a right {layer} that had been through a "
                "backward pass before, with another dout: the errors of dW and db are those "
                "of the gradients it held before your backward(dout) ran.",
                mistake("gradient_errors/grads-before-backward",
                        "your analytic dW and db were read from layer.parameters() before "
                        "backward(dout) ran: backward stores new gradient arrays, and the pairs "
                        "taken earlier still hold the old ones. Your numerical side is fine; "
                        "the stale half is the analytic one."))
    names = ["dx"] + (["dW", "db"] if len(errors) == 3 else [])
    unread = [name for name, error in zip(names, errors, strict=True) if abs(error - 1) < 1e-9]
    if unread:
        ex.fail(f"{label} gave {fmt(errors)} for a right {layer}: the error of "
                f"{' and '.join(unread)} is exactly 1, as if the numerical gradient were all "
                "zeros.",
                mistake("gradient_errors/nudged-a-copy",
                        "a numerical gradient of exactly zero means the loss never saw the "
                        "nudges: the array you nudge is a copy made for the nudging, while your "
                        "loss hands forward another array. numerical_gradient changes its "
                        "array in place, and only a loss that reads that same array sees it."))
    if errors.max() >= GRADIENT_RIGHT and nudges is not None:
        _name_imprecision(ex, errors, label, layer, nudges)
    if errors.max() >= GRADIENT_WRONG:
        ex.fail(f"{label} gave {fmt(errors)} for a right {layer}; expected every error "
                f"below {GRADIENT_RIGHT:g}.",
                mistake("gradient_errors/right-layer-wrong",
                        "a right layer looks wrong: is your numerical gradient that of the "
                        "very loss whose gradient for the layer's output is dout, the one "
                        "backward(dout) differentiates? And are the errors in the order dx, "
                        "then the parameters?"))
    if errors.max() >= GRADIENT_RIGHT:
        ex.fail(f"{label} gave {fmt(errors)} for a right {layer}; expected every error "
                f"below {GRADIENT_RIGHT:g}.",
                mistake("gradient_errors/imprecise",
                        "your finite differences are less precise than a right layer "
                        "allows: a quotient taken to one side of x, an h too large for a "
                        "curved layer, or one so small that rounding errors in the loss take "
                        "over, each costs digits."))


@exercise("gradient_errors", kind="function")
def gradient_errors(ex: Check) -> None:
    """gradient_errors(layer, x, dout) -> [error of dx, error of each parameter's gradient]."""
    if _same_run_again(ex):
        return
    rng = np.random.default_rng(5)
    x, dout = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    label = "gradient_errors(Linear(3, 2), x, dout)"
    layer = _UsedLinear(x, dout)
    errors = _errors(ex, layer, x, dout, label, 3)
    if not any(np.array_equal(seen, dout) for seen in layer.douts):
        calls = len(layer.douts)
        ex.fail(f"{label} never gave the layer's backward the dout it was given ("
                + ("backward was never called)." if not calls else
                   f"backward got {calls} other array{'s' if calls > 1 else ''})."),
                mistake("gradient_errors/dout-unused",
                        "your check ignores its dout argument: the question is how far the "
                        "gradients that backward(dout) gives, for this very dout, are from "
                        "finite differences of the loss whose gradient for the output is that "
                        "dout. A check run with a dout of its own choosing answers another "
                        "question, and misses a backward that is right only for some douts."))
    _right_layer_errors(ex, errors, label, "Linear", _errors_without_dout(
        _ReferenceLinear(3, 2, np.random.default_rng(6)), x, dout))
    # a curved layer too: one-sided differences are exact on Linear's straight lines only
    label, tanh_dout = "gradient_errors(Tanh(), x, dout)", rng.normal(size=x.shape)
    tanh = _WatchedTanh()
    _right_layer_errors(ex, _errors(ex, tanh, x, tanh_dout, label, 1), label, "Tanh",
                        _errors_without_dout(_ReferenceTanh(), x, tanh_dout),
                        _nudges(tanh.seen, x))
    label = "gradient_errors(a Linear whose dW is twice the right one, x, dout)"
    errors = _errors(ex, _DoubledDW(3, 2, np.random.default_rng(6)), x, dout, label, 3)
    if errors[0] > GRADIENT_RIGHT and errors[1] < GRADIENT_RIGHT:
        ex.fail(f"{label} gave {fmt(errors)}: the large error is not the second one.",
                mistake("gradient_errors/order",
                        "the errors come in the order dx first, then one per (param, grad) pair "
                        "of layer.parameters()."))
    third = 1 / 3  # |2g - g| / (|2g| + |g|) for every entry
    ex.close(errors[1], third,
             f"{label} gave {fmt(errors)}; the error of dW should be exactly 1/3 by the "
             "definition of the relative error.", mistakes=[
                 (0.5, mistake("gradient_errors/max-denominator",
                               "your relative error divides by the larger of |a| and |b|: "
                               "that is not notebook 03's definition of the relative error "
                               "(its check.hint('relative_error') recalls it).")),
                 (1.0, mistake("gradient_errors/one-side-denominator",
                               "your relative error divides by one of the two gradients: "
                               "that is not notebook 03's definition of the relative error "
                               "(its check.hint('relative_error') recalls it).")),
             ], hint=mistake("gradient_errors/wrong-relative-error",
                             "your relative_error differs from notebook 03's definition: "
                             "for a gradient twice the right one, that definition gives "
                             "exactly 1/3 in every entry."))
    label = "gradient_errors(a Tanh whose dx is 1.5 times the right one, x, dout)"
    errors = _errors(ex, _OffTanh(), x, tanh_dout, label, 1)
    ex.close(errors[0], 0.2, f"{label} gave {fmt(errors)}; expected 1/5 (= 0.5 / 2.5).",
             hint=mistake("gradient_errors/wrong-relative-error",
                          "your relative_error differs from notebook 03's definition: for "
                          "a gradient 1.5 times the right one, that definition gives "
                          "exactly 1/5 in every entry."))



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
                            "your loss is the total of the squared errors, 3 times too large "
                            "here: it grows with the size of the batch, where a mean does "
                            "not.")),
                 (5 / 3, mistake("mse_loss/halved", "that is half the mean: no 1/2 in this loss.")),
                 (4 / 3, mistake("mse_loss/not-squared",
                             "your loss averages the differences themselves, unsquared: an "
                             "error above y and one below cancel out.")),
                 (-4 / 3, mistake("mse_loss/not-squared",
                              "your loss averages the differences themselves, unsquared: an "
                              "error above y and one below cancel out.")),
             ])
    for trial in range(ex.trials):
        n, d = 4 + trial, 1 + trial % 3
        pred, y = ex.rng.normal(size=(n, d)), ex.rng.normal(size=(n, d))
        label = f"MSELoss().forward(pred, y) with shape {(n, d)}"
        value = ex.array(ex.call(pred, y, fn=loss_fn.forward, label=label), label, shape=())
        want = np.mean((pred - y) ** 2)
        ex.close(value, want, f"{label} gave {fmt(value)}; expected {fmt(want)}.", mistakes=[
            (np.sum((pred - y) ** 2) / n, mistake("mse_loss/mean-over-rows-only",
                                              "your loss is D times too large: the mean runs "
                                              "over every element, not only over the rows.")),
        ])
        grad = ex.call(fn=loss_fn.backward, label="MSELoss().backward()")
        grad = ex.array(grad, "MSELoss().backward()", shape=(n, d))
        pred_nudged = pred.copy()
        loss = functools.partial(ex.call, pred_nudged, y, fn=loss_fn.forward, label=label)
        diff = pred - y
        _gradient(ex, grad, loss, pred_nudged, "dpred", "MSELoss()", [
            (diff, mistake("mse_loss/dpred-2-n-missing",
                       "your dpred is pred − y itself: both the factor that the square gives "
                       "and the mean's division are missing.")),
            (2 * diff, mistake("mse_loss/dpred-n-missing",
                           "each entry of your dpred is as many times too large as there are "
                           "elements: the mean divides every term of the sum.")),
            (diff / diff.size, mistake("mse_loss/dpred-2-missing",
                                   "each entry of your dpred is half of what it should be: "
                                   "differentiate the square fully.")),
            (-2 * diff / diff.size, mistake("mse_loss/dpred-sign",
                                        "your dpred has the wrong sign: L grows when pred moves "
                                        "away from y, so dpred points the way pred − y does.")),
            (2 * diff / n, mistake("mse_loss/dpred-rows-only",
                               "your dpred is D times too large: the mean divides by every "
                               "element, not only the rows.")),
        ], mistake("mse_loss/wrong-dpred",
                   "dpred does not match finite differences of your forward: derive ∂L/∂ŷ for "
                   "one element first (which terms of the sum contain it?)."))



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
                    "your __init__ takes one list; Sequential is called with the layers as "
                    "separate arguments, however many there are."),
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
                      "forward must feed each layer the previous layer's output and return "
                      "the last layer's."))
    log.clear()
    dx = ex.call(np.ones((2, 3)), fn=model.backward, label="Sequential(A, B, C).backward(dout)")
    if log != ["backward C", "backward B", "backward A"]:
        ex.fail(
            f"Sequential(A, B, C).backward called the layers in the order {log}.",
            mistake("sequential/backward-not-reversed",
                "backward runs from the last layer to the first: the gradient flows from the "
                "loss back to the input."),
        )
    if dx is None:
        ex.fail("Sequential.backward(dout) returned None.",
                mistake("sequential/backward-returns-none",
                    "return the first layer's dx: the gradient for the network's input."))
    ex.close(ex.array(dx, "Sequential(A, B, C).backward(dout)", shape=x.shape), 30 * x,
             "Sequential(A, B, C).backward(dout) did not return the first layer's dx.",
             hint=mistake("sequential/wrong-backward",
                      "backward must hand each layer the gradient the layer above returned, "
                      "and return the first layer's."))
    if not isinstance(getattr(model, "layers", None), (list, tuple)):
        ex.fail("Sequential has no list `layers`.",
                mistake("sequential/no-layers-attribute",
                    "keep the layers as self.layers = list(layers): drawings and reports read it."))

    rng = np.random.default_rng(7)
    layers = [_ReferenceLinear(3, 4, rng), _ReferenceTanh(), _ReferenceLinear(4, 2, rng)]
    ours = copy.deepcopy(layers)  # expected outputs: never from the layers lent out
    label = "Sequential(Linear(3, 4), Tanh(), Linear(4, 2))"
    model = _build_sequential(ex, layers, label)
    # a container adds nothing of its own to the numbers: a few batches show it chains the
    # layers, and in the grader each forward is four round trips (the model, then its
    # three layers, which are the check's)
    for _ in range(min(ex.trials, 4)):
        x = ex.rng.normal(size=(5, 3))
        out = ex.array(ex.call(x, fn=model.forward, label=f"{label}.forward(x)"),
                       f"{label}.forward(x)", shape=(5, 2))
        want = ours[2].forward(ours[1].forward(ours[0].forward(x)))
        ex.close(out, want, f"{label}.forward(x) gave {fmt(out)}; expected {fmt(want)}.")
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
                "yield every pair of every layer, flattened: your items are whole "
                "collections of pairs, one per layer."),
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
                "go through every layer: a `return` inside the loop stops after the first "
                "layer, and a name reassigned in the loop keeps only the last."),
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
    if _same_run_again(ex):
        return
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
                    f"{fmt(model.scalar_dout)}: the loss value.",
                    mistake("train/backward-from-loss-value",
                            "backward starts from the loss's gradient with respect to the "
                            "prediction, not from the loss's value, which only goes into the "
                            "learning curve."))
    if losses is None:
        ex.fail(f"{label} returned None.", mistake("train/losses-not-a-list",
                                               "train returns the losses, one per epoch."))
    losses = ex.array(list(losses) if not isinstance(losses, np.ndarray) else losses,
                      f"the losses from {label}")
    if losses.shape != (epochs,):
        ex.fail(f"{label} returned {losses.size} losses; expected one per epoch, {epochs}.",
                mistake("train/loss-count",
                    "one loss per epoch: as many losses as epochs."))
    want = _reference_losses(before, X, y, lr, epochs)
    ex.close(losses, want,
             f"{label} gave the losses {fmt(losses)}; expected {fmt(np.array(want))}.",
             mistakes=[
                 (_reference_losses(before, X, y, -lr, epochs),
                  mistake("train/climbs",
                      "the loss grows: your steps go along the gradient, uphill, not "
                      "against it.")),
                 (_reference_losses(before, X, y, 0.0, epochs),
                  mistake("train/no-update",
                      "the parameters never change: every epoch's loss is the first one, so "
                      "the arrays the model's layers hold are the ones they started with "
                      "(or the gradients your step reads are stale: read before a "
                      "backward).")),
                 (_reference_losses(before, X, y, lr, epochs + 1)[1:],
                  mistake("train/losses-shifted-by-one",
                      "each of your losses is one epoch late: losses[i] is the loss at the "
                      "start of epoch i, before its update.")),
                 (_reference_losses(before, X, y, 2 * lr, epochs),
                  mistake("train/factor-2", "your steps are twice lr times the gradient.")),
             ],
             hint=mistake("train/wrong-losses",
                      "your losses are not those of full-batch gradient descent: is your first "
                      "loss the one before any update, and does every epoch make exactly one "
                      "step of every parameter from the whole X?"),
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
                "the model you were given must be the one that learns: its own parameter "
                "arrays change, no new model is built."),
        )



# -- train_early_stopping: the student's experiment --------------------------------------------


def _early_stopping_data() -> tuple[np.ndarray, ...]:
    """8 training and 8 validation points of a noisy sine: a 1-16-1 tanh network overfits them."""
    rng = np.random.default_rng(0)
    X_train = rng.uniform(-2, 2, size=(8, 1))
    y_train = np.sin(2 * X_train) + rng.normal(0, 0.4, size=(8, 1))
    X_val = rng.uniform(-2, 2, size=(8, 1))
    y_val = np.sin(2 * X_val) + rng.normal(0, 0.4, size=(8, 1))
    return X_train, y_train, X_val, y_val


def _same(a, b) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-12))


def _run_of(ex: Check, got, label: str) -> tuple[int, np.ndarray, np.ndarray]:
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        ex.fail(f"{label} returned {fmt(got)}; expected three things: the best epoch, the "
                "training losses and the validation losses.",
                mistake("train_early_stopping/not-a-triple",
                        "return best_epoch, train_losses, val_losses (in that order)."))
    best, train_losses, val_losses = got
    best = ex.array(best, f"the best epoch from {label}", shape=(), integer=True)
    train_losses = ex.array(list(train_losses), f"the training losses from {label}")
    val_losses = ex.array(list(val_losses), f"the validation losses from {label}")
    if train_losses.shape != val_losses.shape or train_losses.ndim != 1:
        ex.fail(f"{label} returned {train_losses.size} training and {val_losses.size} "
                "validation losses; expected one of each per epoch run.",
                mistake("train_early_stopping/histories-differ",
                        "after every epoch, record one training loss and one validation loss."))
    return int(best), train_losses, val_losses


def _diagnose_run(ex: Check, run, ref, variants: dict, label: str, max_epochs: int) -> None:
    best, train_losses, val_losses = run
    said = (f"{label} ran {len(val_losses)} epochs and chose epoch {best}; the validation "
            f"losses you returned are lowest at epoch {int(np.argmin(val_losses)) + 1}.")
    if _same(val_losses, train_losses):
        ex.fail(said, mistake("train_early_stopping/validation-is-training",
                              "your validation losses are the training losses: measure the "
                              "loss on X_val, y_val, data the model does not train on."))
    for key, hint in (
        ("on_train", mistake("train_early_stopping/chose-on-training",
                             "you chose (and stopped) by the training loss, which keeps falling "
                             "while the network overfits: choose by the validation loss.")),
        ("val_before", mistake("train_early_stopping/train-loss-before-update",
                               "your training losses are each one epoch early (the loss at the "
                               "start of the epoch); both losses are measured after the epoch's "
                               "update, so the two curves compare the same weights.")),
        ("longer", mistake("train_early_stopping/patience-off-by-one",
                           "you stopped one epoch late: stop once `patience` epochs in a row "
                           "have brought no new lowest validation loss.")),
        ("shorter", mistake("train_early_stopping/patience-off-by-one",
                            "you stopped one epoch early: stop once `patience` epochs in a row "
                            "have brought no new lowest validation loss, not before.")),
    ):
        other = variants[key]
        if _same(val_losses, other.val) and _same(train_losses, other.train) and (
                best == other.best):
            ex.fail(said, hint)
    if len(val_losses) == max_epochs < len(ref.val) + 1 or (
            len(val_losses) == max_epochs and best == ref.best):
        ex.fail(said, mistake("train_early_stopping/never-stops",
                              f"your loop ran all {max_epochs} epochs, though the validation "
                              f"loss stopped improving long before: stop after `patience` epochs "
                              "without a new lowest validation loss."))
    n = min(len(val_losses), len(ref.val))
    if not _same(val_losses[:n], ref.val[:n]):
        ex.fail(said, mistake("train_early_stopping/wrong-validation-losses",
                              "your validation losses are not the loss on (X_val, y_val) after "
                              "each epoch of full-batch gradient descent with this lr."))
    if not _same(train_losses[:n], ref.train[:n]):
        ex.fail(said, mistake("train_early_stopping/wrong-training-losses",
                              "your training losses are not the loss on (X_train, y_train) "
                              "after each epoch's update."))
    if len(val_losses) != len(ref.val):
        ex.fail(said, mistake("train_early_stopping/wrong-stop",
                              "stop after the first `patience` epochs in a row that bring no new "
                              "lowest validation loss; a new lowest one starts the count again."))
    if best == ref.best - 1:
        ex.fail(said, mistake("train_early_stopping/zero-based",
                              "your best epoch is counted from 0; epochs are counted from 1 "
                              "(the first epoch's losses are the first entries)."))
    ex.fail(said, mistake("train_early_stopping/wrong-best",
                          "the best epoch is the one whose validation loss is the lowest (the "
                          "first of them, on a tie)."))


@exercise("train_early_stopping", kind="function")
def train_early_stopping(ex: Check) -> None:
    """train_early_stopping(model, loss_fn, X_train, y_train, X_val, y_val, lr, max_epochs,
    patience) -> (best_epoch, train_losses, val_losses); the model ends with the best weights."""
    if _same_run_again(ex):
        return
    data = _early_stopping_data()
    rng = np.random.default_rng(1)
    model = _ReferenceSequential(_ReferenceLinear(1, 16, rng), _ReferenceTanh(),
                                 _ReferenceLinear(16, 1, rng))
    before = copy.deepcopy(model)
    lr, max_epochs, patience = 0.1, 300, 10
    label = (f"train_early_stopping(model, MSELoss(), X_train, y_train, X_val, y_val, lr={lr}, "
             f"max_epochs={max_epochs}, patience={patience})")
    got = ex.call(model, _ReferenceMSE(), *data, lr=lr, max_epochs=max_epochs,
                  patience=patience, label=label)
    run = _run_of(ex, got, label)
    ref = _experiments.early_stopping_reference(before, data, lr, max_epochs, patience)
    best, train_losses, val_losses = run
    if not (best == ref.best and _same(val_losses, ref.val) and _same(train_losses, ref.train)):
        def variant(**options):
            return _experiments.early_stopping_reference(before, data, lr, max_epochs,
                                                         patience, **options)

        variants = {"on_train": variant(choose_on="train"),
                    "val_before": variant(train_before=True),
                    "longer": variant(patience_shift=1), "shorter": variant(patience_shift=-1)}
        _diagnose_run(ex, run, ref, variants, label, max_epochs)
    ended = [np.asarray(getattr(layer, name)) for layer in getattr(model, "layers", [])
             for name in ("W", "b") if hasattr(layer, name)]
    if _same_weights(ended, ref.weights):
        return
    where = f"after {label} the model's weights are not those of its best epoch, {ref.best}"
    if _same_weights(ended, ref.last):
        ex.fail(f"{where}: they are those of the last epoch, {len(ref.val)}.",
                mistake("train_early_stopping/last-weights",
                        "the model ends with the weights of its last epoch, not of its best "
                        "one: whatever your function kept of the best epoch is not what the "
                        "model's layers hold when it returns (and an array kept without "
                        "copying changes with the model)."))
    ex.fail(f"{where}.", mistake("train_early_stopping/weights-not-best",
                                 "the model's layers end with weights of neither its best "
                                 "epoch nor its last: the caller keeps using that model, so "
                                 "what it holds at the end is part of the answer."))


def _same_weights(a: list, b: list) -> bool:
    return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))



# -- predict, then run: the depth at which sigmoids lose the gradient -------------------------


#: Notebook 04's choices for which of section 7's learning rates diverge.
LR_DIVERGES_CHOICES = {
    "a": "none: every step goes downhill, so the loss falls at every rate",
    "b": "only lr = 0.4",
    "c": "lr = 0.1 and lr = 0.4",
    "d": "all three",
}
_LR_DIVERGES_SETS = {"a": (), "b": (0.4,), "c": (0.1, 0.4), "d": (0.02, 0.1, 0.4)}


@functools.cache
def _diverging_rates() -> tuple[float, ...]:
    return _experiments.diverging_rates(_experiments.SECTION_7_RATES, epochs=100)


@exercise("predict_lr_diverges", kind="value")
def predict_lr_diverges(ex: Check) -> None:
    """PREDICT_LR_DIVERGES: which of the learning rates 0.02, 0.1, 0.4 make section 7's
    sine fit diverge (the letter whose set the run gives), reasoned from the loss's largest
    curvature at the start, which the notebook prints."""
    letter = _choice(ex, "PREDICT_LR_DIVERGES", LR_DIVERGES_CHOICES)
    if _LR_DIVERGES_SETS[letter] == _diverging_rates():
        return
    said = f"you chose ({letter}), {LR_DIVERGES_CHOICES[letter]}."
    if letter == "a":
        ex.fail(said, mistake("predict_lr_diverges/always-downhill",
                              "the gradient only describes the loss near the current weights: a "
                              "step goes downhill only if it is short enough. A long step lands "
                              "on the far side of the valley, higher than it started, and the "
                              "next one overshoots further (notebook 02)."))
    if letter == "d":
        ex.fail(said, mistake("predict_lr_diverges/small-steps-diverge",
                              "a small learning rate takes small steps: it can make training "
                              "slow, but a step too short to cross the valley cannot overshoot "
                              "it."))
    if letter == "c":
        ex.fail(said, mistake("predict_lr_diverges/overshoot-is-divergence",
                              "you count lr = 0.1 as diverging. Along the sharpest direction "
                              "its steps do land past the minimum (η h is above 1 there), but "
                              "nearer to it than they started: overshooting is not diverging "
                              "(notebook 02's table of the factor 1 − η h)."))
    # only (b) is left, and the run disagrees with it: the course changed, not the student
    raise RuntimeError(f"section 7's run diverges at {_diverging_rates()}, which none of the "
                       "choices of predict_lr_diverges gives")


@exercise("predict_sigmoid_depth", kind="value")
def predict_sigmoid_depth(ex: Check) -> None:
    """PREDICT_SIGMOID_DEPTH: in 10 hidden sigmoid layers of 16 units, the fewest layers down
    from the last hidden layer at which the gradient a layer's Linear receives (its mean
    |dout|) is below 1/1000 of the last hidden layer's (within one layer: each layer's factor
    depends on the random weights)."""
    value = ex.obj
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        ex.fail(f"PREDICT_SIGMOID_DEPTH is {fmt(value)}; expected a number of layers "
                "(a whole number, 1 or more).",
                mistake("predict_sigmoid_depth/not-a-depth",
                        "assign a whole number of layers, e.g. PREDICT_SIGMOID_DEPTH = 7."))
    layers = int(value)
    reaching = _experiments.gradient_reaching_layers()
    true = _experiments.fewest_layers_down(reaching, 1e-3)
    if abs(layers - true) <= 1:
        return
    said = (f"{layers} layers down is more than one layer off the run's count; for a "
            f"thousand in {layers} layers, each would multiply the gradient by "
            f"{1000 ** (-1 / layers):.2g}.")
    if layers >= len(reaching):
        ex.fail(said, mistake("predict_sigmoid_depth/no-vanishing",
                              "you expect the gradient to survive nearly the whole network; "
                              "each sigmoid layer it passes multiplies it by the sigmoid's "
                              "slope, at most 1/4."))
    if layers > true:
        ex.fail(said, mistake("predict_sigmoid_depth/too-many",
                              "you expect each layer to shrink the gradient less than it "
                              "does: the sigmoid's slope is at most 1/4, and Glorot's weights "
                              "leave a gradient's size about as it was."))
    if layers == true - 2:
        ex.fail(said, mistake("predict_sigmoid_depth/weights-shrink",
                              "you expect each layer to shrink the gradient by far more than "
                              "the sigmoid's slope: Glorot chose the weights' scale so that a "
                              "layer keeps a signal's size, and a gradient's too (many small "
                              "weights add up)."))
    ex.fail(said, mistake("predict_sigmoid_depth/too-few",
                          "one layer multiplies the gradient by the sigmoid's slope (at most "
                          "1/4) and by weights that keep its size: a thousand takes several "
                          "such factors."))
