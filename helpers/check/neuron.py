"""Checks for notebook 01, the artificial neuron."""

from __future__ import annotations

import numbers

import numpy as np

from ..experiments.neuron import (
    LR_SCALING_OPTIONS,
    lr_scaling_option,
    moody_movies,
    xor_perceptron_converges,
)
from ..experiments.neuron import perceptron as _reference_perceptron
from ..nn import sigmoid as _stable_sigmoid
from ._core import Check, CheckFailed, describe, exercise, fmt
from .mistakes import mistake

__all__ = [
    "affine",
    "step",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "neuron",
    "accuracy",
    "perceptron",
    "xor_network",
    "exp_overflow_z",
    "tanh_from_sigmoid",
    "which_move",
    "z_after_update",
    "z_growth",
    "stack_outputs",
    "collapse_linear",
    "predict_lr_scaling",
    "predict_xor_converges",
    "choose_epochs",
]


# The checks' own references, written independently of the notebook's solutions.


def _sigmoid(z):
    return _stable_sigmoid(np.asarray(z, dtype=float))  # the package's one stable sigmoid


def _step(z):
    return (np.asarray(z) >= 0).astype(float)


def _any_shape_inputs(ex: Check) -> list[np.ndarray]:
    """A 1-D, a 2-D and a 0-d input: activations work elementwise on any shape."""
    return [
        np.array([-3.0, -0.5, 0.0, 0.5, 3.0]),
        ex.rng.normal(0, 3, size=(4, 3)),
        np.array(1.5),
    ]


def _elementwise(ex: Check, reference, mistakes_for, label: str, **kwargs) -> None:
    """Compare an elementwise function with ``reference`` on inputs of several shapes."""
    for z in _any_shape_inputs(ex) + [ex.rng.normal(0, 5, size=7) for _ in range(ex.trials)]:
        out = ex.array(ex.call(z, **kwargs, label=label), label, shape=z.shape)
        want = reference(z)
        ex.close(
            out,
            want,
            f"for z = {fmt(z)} your {label} gave {fmt(out)}; expected {fmt(want)}.",
            mistakes=mistakes_for(z),
        )


@exercise("affine")
def affine(ex: Check) -> None:
    """affine(x, w, b) = x @ w + b, for one sample (D,) and for a batch (N, D)."""
    x, w, b = np.array([1.0, 2.0, 3.0]), np.array([0.5, -1.0, 2.0]), 0.25
    out = ex.array(ex.call(x, w, b, label="affine(x, w, b)"), "affine(x, w, b)")
    if out.shape == x.shape:
        ex.fail(
            f"for one sample x of shape {x.shape} you returned shape {out.shape}; "
            "expected a single number.",
            mistake("affine/elementwise-for-matmul",
                "`x * w` multiplies element by element; `x @ w` also adds the products up."),
        )
    want = x @ w + b
    ex.close(
        out,
        want,
        f"affine({fmt(x)}, {fmt(w)}, {b}) gave {fmt(out)}; expected {want}.",
        mistakes=[
            (x @ w, mistake("affine/bias-missing", "the bias is missing: add b.")),
            (x @ w - b, mistake("affine/bias-subtracted", "add b, don't subtract it.")),
        ],
        hint=mistake("affine/wrong-value",
                     "your value is not the weighted sum of the inputs plus the bias: work "
                     "this one out by hand and print your intermediate values."),
    )
    for _ in range(ex.trials):
        N, D = int(ex.rng.integers(4, 7)), int(ex.rng.integers(2, 4))
        X, w, b = ex.rng.normal(size=(N, D)), ex.rng.normal(size=D), float(ex.rng.normal())
        label = f"affine(X, w, b) with X of shape {X.shape}"
        out = ex.array(ex.call(X, w, b, label=label), label)
        want = X @ w + b
        if out.shape == ():
            ex.diagnose(
                out,
                f"{label} returned one number; expected one output per sample, shape ({N},).",
                mistakes=[
                    (want.sum(), mistake("affine/summed-over-batch",
                                     "you summed over the batch: keep one value per sample.")),
                    (want.mean(), mistake("affine/averaged-over-batch",
                                      "you averaged over the batch: keep one value per sample.")),
                ],
                hint=mistake("affine/one-number-for-batch",
                         "return one value per sample: for a batch of N samples the result "
                         "has shape (N,)."),
            )
        ex.array(out, label, shape=(N,))
        ex.close(
            out,
            want,
            f"{label} gave {fmt(out)}; expected {fmt(want)}.",
            mistakes=[(X @ w, mistake("affine/bias-missing", "the bias is missing: add b."))],
        )


@exercise("step")
def step(ex: Check) -> None:
    """step(z) = 1 where z >= 0, else 0; elementwise, any shape."""

    def mistakes(z):
        return [
            (np.sign(z), mistake("step/np-sign",
                             "np.sign gives -1 below zero and 0 at zero; a step outputs 0 or 1.")),
            ((z > 0).astype(float), mistake("step/strict-comparison",
                                        "step(0) should be 1: your comparison leaves out "
                                        "z = 0.")),
            (1 - _step(z), mistake("step/upside-down",
                               "the step is upside down: 1 for z >= 0, 0 below.")),
        ]

    _elementwise(ex, _step, mistakes, "step(z)")
    _step_of_python_numbers(ex)


def _step_of_python_numbers(ex: Check) -> None:
    """The text calls step(0) on a plain Python number: that must work too."""
    for z in (0, -2.5, 3):
        label = f"step({z}) with the Python number {z}"
        try:
            out = ex.call(z, label=label)
        except CheckFailed as failure:
            if isinstance(failure.__cause__, AttributeError):
                ex.fail(
                    failure.message,
                    mistake("step/python-number",
                        "your step works on numpy arrays but not on a plain Python number: "
                        "comparing a Python number gives a plain Python bool, which has none "
                        "of a numpy array's methods."),
                )
            raise
        out = ex.array(out, label, shape=())
        want = float(z >= 0)
        ex.close(out, want, f"{label} gave {fmt(out)}; expected {want:g}.")


# --- the questions and the derivation steps of notebook 01 ------------------------------------


def _number(ex: Check, name: str, example: str) -> float:
    """The student's constant as a float, or a failed check naming what it is instead."""
    value = ex.obj
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        ex.fail(f"{name} is {describe(value)} {fmt(value)}; expected a number.",
                mistake("question01/not-a-number",
                    f"assign a plain number, e.g. `{name} = {example}`."))
    return float(value)


def _choice(ex: Check, name: str, options: dict[str, str], right: str,
            wrong: dict[str, str]) -> None:
    """A predict-then-run question: ``options`` maps each letter (or word) to its meaning,
    ``wrong`` each wrong one to its mistake hint; ``right`` is computed by the caller."""
    value = ex.obj
    listed = ", ".join(f'"{k}"' for k in options)
    if not isinstance(value, str) or value.strip().lower() not in options:
        ex.fail(f"{name} is {describe(value)} {fmt(value)}; expected one of {listed}.",
                mistake("question01/not-an-option",
                    "assign one of the options as a string, e.g. "
                    f'`{name} = "{next(iter(options))}"`.'))
    answer = value.strip().lower()
    if answer != right:
        ex.fail(f'{name} = "{answer}" ({options[answer]}) is not what happens.', wrong[answer])


#: z above which np.exp(z) overflows: the largest float is about 1.8e308 = e^709.78
_EXP_LIMIT = float(np.log(np.finfo(float).max))


@exercise("exp_overflow_z", kind="value")
def exp_overflow_z(ex: Check) -> None:
    """EXP_OVERFLOW_Z: the z above which np.exp(z) overflows, to one decimal."""
    z = _number(ex, "EXP_OVERFLOW_Z", "100.0")
    if 709.65 <= z <= 709.85:  # 709.7 and 709.8 both round the limit 709.78 to one decimal
        return
    if z in (709.0, 710.0):
        ex.fail(f"EXP_OVERFLOW_Z = {z:g} is a whole number; the question asks for one decimal.",
                mistake("exp_overflow_z/rounded-to-whole",
                    "that is the limit rounded to a whole number: give it to one decimal."))
    message = f"EXP_OVERFLOW_Z = {z:g}: np.exp({z:g}) " + (
        "overflows already." if z > _EXP_LIMIT else "is still a finite float.")
    ex.diagnose(
        z,
        message,
        mistakes=[
            (308.0, mistake("exp_overflow_z/base-10-exponent",
                        "308 is the exponent of the largest float written as a power of 10; "
                        "np.exp(z) is a power of e, not of 10.")),
            (1024.0, mistake("exp_overflow_z/base-2-exponent",
                         "1024 is the largest power of 2 that fits (2^1024 overflows); e is "
                         "larger than 2, so e^z reaches the limit at a smaller z.")),
            (1000.0, mistake("exp_overflow_z/the-example",
                         "np.exp(1000) does overflow, but so does np.exp of smaller numbers: "
                         "find the smallest z that overflows.")),
        ],
        hint=mistake("exp_overflow_z/wrong-value",
                 "your z is not where e^z passes the largest float, about 1.8 × 10^308: "
                 "try np.exp at a few z on both sides of yours."),
        rtol=0, atol=0.5,
    )


_BOTH_BRANCHES_SIGMOID = (
    mistake("sigmoid/np-where-both-branches",
        "np.where(cond, a, b) computes both a and b for every z before it chooses, so the "
        "branch meant for z < 0 still takes exp of a large positive number at z = 1000: the "
        "warning comes from the branch np.where throws away. No branch may take exp of a large "
        "positive number, even one whose result is thrown away.")
)


def _allclose_quiet(got, want) -> bool:
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return False
    return got.shape == np.shape(want) and bool(np.allclose(got, want, rtol=1e-6, atol=1e-12))


@exercise("sigmoid")
def sigmoid(ex: Check) -> None:
    """sigmoid(z) = 1 / (1 + exp(-z)); elementwise, any shape; no overflow at ±1000."""

    def mistakes(z):
        return [
            (_sigmoid(-z), mistake("sigmoid/sign-inside-exp",
                               "your values are σ(-z): a large positive z gives nearly 0 "
                               "instead of nearly 1: check the sign inside np.exp.")),
            (1 + np.exp(-z), mistake("sigmoid/denominator-not-parenthesised",
                                 "your values are 1 + e^(-z), above 1 everywhere: Python "
                                 "divides before it adds, so the 1 alone is the denominator.")),
            (1 / (1 + np.exp(-z)) - 0.5, mistake("sigmoid/shifted-by-half",
                                             "your values are σ(z) - 0.5: sigmoid(0) is 0.5 "
                                             "and every output lies between 0 and 1.")),
            (np.tanh(z), mistake("sigmoid/tanh-instead",
                             "that is tanh; the sigmoid runs from 0 to 1.")),
        ]

    with np.errstate(all="ignore"):  # the mistake candidates may overflow; that is fine here
        _elementwise(ex, _sigmoid, mistakes, "sigmoid(z)")
    # np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))) is right, and
    # still overflows: np.where evaluates both branches. Only such a form warns at z = +1000
    # and gives the right value there.
    big = np.array([50.0, 1000.0])
    out, warned = ex.call_warnings(big, label="sigmoid([50, 1000])")
    if warned and _allclose_quiet(out, _sigmoid(big)):
        ex.fail(f"sigmoid([50, 1000]) gives the right values but raised a warning: {warned[0]}.",
                _BOTH_BRANCHES_SIGMOID)
    z = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    label = "sigmoid([-1000, -50, 0, 50, 1000])"
    out = ex.call(
        z,
        label=label,
        forbid_warnings=True,  # the specification: finite and no warning at ±1000
        warning_hint=mistake("sigmoid/overflow",
                         "np.exp overflows for z = -1000: an exponent in your sigmoid is then "
                         "a large positive number (np.exp overflows above about 709). Find a "
                         "way to write σ(z) for negative z whose exponent is never large and "
                         "positive."),
    )
    out = ex.array(out, label, shape=z.shape)
    ex.finite(out, label, mistake("sigmoid/not-finite",
                              "an inf or nan at large |z|: somewhere an exponent grew large and "
                              "positive."))
    ex.close(out, _sigmoid(z), f"{label} gave {fmt(out)}; expected {fmt(_sigmoid(z))}.")


def _tanh_triple(ex: Check) -> tuple[float, float, float]:
    value = ex.obj
    try:
        triple = tuple(float(v) for v in value)
    except (TypeError, ValueError):
        triple = ()
    if len(triple) != 3 or isinstance(value, str):
        ex.fail(f"TANH_FROM_SIGMOID is {describe(value)} {fmt(value)}; expected three numbers "
                "(A, B, C).",
                mistake("tanh_from_sigmoid/not-a-triple",
                    "assign three numbers, A, B and C: `TANH_FROM_SIGMOID = (A, B, C)`."))
    return triple


@exercise("tanh_from_sigmoid", kind="value")
def tanh_from_sigmoid(ex: Check) -> None:
    """TANH_FROM_SIGMOID = (A, B, C) with tanh(z) = A * sigmoid(B * z) + C for every z."""
    A, B, C = _tanh_triple(ex)
    z = np.array([-2.0, -0.5, 0.0, 0.5, 1.0, 3.0])
    got = A * _sigmoid(B * z) + C
    if np.allclose(got, np.tanh(z), atol=1e-6):
        return
    at = f"A·σ(B·z) + C at z = 0 and 1 gives {got[2]:.4f} and {got[4]:.4f}; tanh gives 0 and " \
         f"{np.tanh(1.0):.4f}."
    if np.allclose(got, np.tanh(z / 2), atol=1e-6):
        ex.fail(at, mistake("tanh_from_sigmoid/half-argument",
                        "your A·σ(B·z) + C has tanh's range, but it is flatter than tanh around "
                        "z = 0: the steepness is the one number of the three that is off."))
    if np.allclose(got, -np.tanh(z), atol=1e-6):
        ex.fail(at, mistake("tanh_from_sigmoid/sign-flipped",
                        "your A·σ(B·z) + C is -tanh(z): one sign is flipped."))
    if np.allclose(got, _sigmoid(z), atol=1e-6):
        ex.fail(at, mistake("tanh_from_sigmoid/plain-sigmoid",
                        "(1, 1, 0) gives the sigmoid itself, from 0 to 1; tanh runs from -1 to "
                        "1, so it needs a stretch and a shift."))
    low, high = (C, A + C) if A * B >= 0 else (A + C, C)
    if not (np.isclose(low, -1) and np.isclose(high, 1)):
        ex.fail(at + f" Your A·σ(B·z) + C runs from {low:g} to {high:g}.",
                mistake("tanh_from_sigmoid/wrong-range",
                    "the range of your A·σ(B·z) + C is not tanh's, -1 to 1: the two numbers "
                    "that stretch and shift σ are off."))
    ex.fail(at, mistake("tanh_from_sigmoid/wrong-argument",
                    "the range is right but the steepness is not: compare the slopes at 0 "
                    "(σ'(0) = 1/4, tanh'(0) = 1), or divide top and bottom of tanh's fraction by "
                    "e^z and compare the exponent with σ's."))


@exercise("tanh")
def tanh(ex: Check) -> None:
    """tanh(z); elementwise, any shape; finite at ±1000."""

    def mistakes(z):
        return [
            (-np.tanh(z), mistake("tanh/sign-flipped",
                              "the sign is flipped: tanh(z) > 0 for z > 0.")),
            (np.tanh(z / 2), mistake("tanh/half-argument",
                                 "your values are tanh(z / 2) at every z: compare what your "
                                 "function hands to σ with the B of your TANH_FROM_SIGMOID.")),
            (_sigmoid(z), mistake("tanh/sigmoid-instead",
                              "that is the sigmoid; tanh runs from -1 to 1.")),
        ]

    _elementwise(ex, np.tanh, mistakes, "tanh(z)")
    z = np.array([-1000.0, 0.0, 1000.0])
    label = "tanh([-1000, 0, 1000])"
    out = ex.call(
        z,
        label=label,
        warning_hint=mistake("tanh/overflow",
                         "np.exp(1000) overflows, and inf / inf is nan: find a form in which "
                         "no exponent is large and positive. You already wrote a function that "
                         "is safe at ±1000."),
    )
    out = ex.array(out, label, shape=z.shape)
    ex.finite(out, label, mistake("tanh/not-finite",
                              "an inf or nan at ±1000: somewhere an exponent grew large and "
                              "positive (inf / inf is nan). You already wrote a function that is "
                              "safe at ±1000."))
    ex.close(out, np.tanh(z), f"{label} gave {fmt(out)}; expected {fmt(np.tanh(z))}.")


@exercise("relu")
def relu(ex: Check) -> None:
    """relu(z) = max(0, z) elementwise, any shape, without changing z."""

    def mistakes(z):
        return [
            (np.clip(z, 0, 1), mistake("relu/clipped-at-1",
                                   "ReLU has no upper limit: large inputs pass through "
                                   "unchanged.")),
            (np.abs(z), mistake("relu/abs",
                            "negative inputs become 0, not positive: that was abs(z).")),
            (np.minimum(z, 0), mistake("relu/negative-part",
                                   "your output keeps the negative part of z and zeroes the "
                                   "positive one: ReLU does it the other way round.")),
        ]

    _elementwise(ex, lambda z: np.maximum(z, 0), mistakes, "relu(z)")


_LEAKY_CONSTANT = mistake(
    "leaky_relu/constant-below-zero",
    "your negative side is alpha itself, a constant, not alpha times z: below zero the output "
    "should still grow with z.")


@exercise("leaky_relu")
def leaky_relu(ex: Check) -> None:
    """leaky_relu(z, alpha=0.01) = z where z > 0, alpha * z elsewhere."""

    def reference(alpha):
        return lambda z: np.where(z > 0, z, alpha * z)

    for alpha in (None, 0.2, 0.5):
        used = 0.01 if alpha is None else alpha
        kwargs = {} if alpha is None else {"alpha": alpha}
        label = "leaky_relu(z)" if alpha is None else f"leaky_relu(z, alpha={alpha})"

        def mistakes(z, used=used):
            return [
                (np.where(z > 0, z, 0.01 * z), mistake("leaky_relu/fixed-alpha",
                                                   "use the `alpha` argument, not a fixed 0.01.")),
                (np.maximum(z, 0), mistake("leaky_relu/relu-below-zero",
                                       "below zero the output is alpha * z, not 0.")),
                (used * z, mistake("leaky_relu/everything-scaled",
                               "only negative inputs are scaled by alpha; positive ones pass.")),
                (np.where(z > 0, used * z, z), mistake("leaky_relu/wrong-side-scaled",
                                                   "it is the negative side that gets alpha.")),
                (np.where(z > 0, z, used), _LEAKY_CONSTANT),
                (np.where(z >= 0, z, used), _LEAKY_CONSTANT),
            ]

        _elementwise(ex, reference(used), mistakes, label, **kwargs)


@exercise("neuron")
def neuron(ex: Check) -> None:
    """neuron(x, w, b, activation) = activation(affine(x, w, b))."""
    for _ in range(ex.trials):
        X = ex.rng.normal(size=(5, 3))
        w, b = ex.rng.normal(size=3), float(ex.rng.normal())
        for name, f in (("np.tanh", np.tanh), ("a square", np.square)):
            label = f"neuron(X, w, b, activation={name})"
            out = ex.array(ex.call(X, w, b, f, label=label), label, shape=(5,))
            want = f(X @ w + b)
            ex.close(
                out,
                want,
                f"{label} gave {fmt(out)}; expected {fmt(want)}.",
                mistakes=[
                    (X @ w + b, mistake("neuron/activation-missing",
                                    "the activation is missing: apply it to the affine output.")),
                    (f(X) @ w + b, mistake("neuron/activation-on-input",
                                       "apply the activation after the affine map, not to x.")),
                    (f(X @ w) + b, mistake("neuron/bias-after-activation",
                                       "add the bias before the activation, not after.")),
                    (f(X @ w), mistake("neuron/bias-missing", "the bias is missing.")),
                ],
            )


@exercise("accuracy")
def accuracy(ex: Check) -> None:
    """accuracy(y_pred, y_true): the fraction of labels predicted right, between 0 and 1."""
    y_true = np.array([1, 0, 1, 1, 0, 0, 1, 0])
    y_pred = np.array([1, 0, 0, 1, 0, 1, 1, 0])
    label = "accuracy(y_pred, y_true)"
    out = ex.array(ex.call(y_pred, y_true, label=label), label, shape=())
    want = np.mean(y_pred == y_true)
    ex.close(
        out,
        want,
        f"for 6 right out of 8 your {label} gave {fmt(out)}; expected {want}.",
        mistakes=[
            (6, mistake("accuracy/count-not-fraction",
                    "divide the number of right predictions by the number of samples.")),
            (75, mistake("accuracy/percentage",
                     "return a fraction between 0 and 1, not a percentage.")),
            (1 - want, mistake("accuracy/error-rate",
                           "that is the error rate: count the predictions that are right.")),
        ],
    )
    column = y_pred.reshape(-1, 1)
    label = "accuracy(y_pred, y_true) with y_pred of shape (8, 1) and y_true of shape (8,)"
    out = ex.array(ex.call(column, y_true, label=label), label, shape=())
    ex.close(
        out,
        want,
        f"{label} gave {fmt(out)}; expected {want}.",
        mistakes=[
            (
                np.mean(column == y_true),
                mistake("accuracy/n-n-broadcast",
                    "an (N, 1) and an (N,) array broadcast to an (N, N) table when compared: "
                    "make both one-dimensional first."),
            )
        ],
        hint=mistake("accuracy/flatten-both",
                 "with y_pred of shape (N, 1) your accuracy is not the fraction of matching "
                 "entries: compare two one-dimensional arrays."),
    )
    for _ in range(ex.trials):
        y_true, y_pred = ex.rng.integers(0, 3, size=20), ex.rng.integers(0, 3, size=20)
        out = ex.array(ex.call(y_pred, y_true, label="accuracy"), "accuracy", shape=())
        want = np.mean(y_pred == y_true)
        ex.close(out, want, f"for 3 classes your accuracy gave {fmt(out)}; expected {want}.")


#: the moves WHICH_MOVE offers, for a 1 called 0 (z = w·x + b must rise at x)
MOVE_OPTIONS = {
    "a": "add η·x to w and η to b",
    "b": "subtract η·x from w and η from b",
    "c": "add η to every weight and to b",
    "d": "multiply w and b by (1 + η)",
}


@exercise("which_move", kind="value")
def which_move(ex: Check) -> None:
    """WHICH_MOVE: the move of w and b that raises z at x, whatever x is."""
    _choice(ex, "WHICH_MOVE", MOVE_OPTIONS, "a", {
        "b": mistake("which_move/lowers",
                 "that move lowers z at x: it is the move for the other mistake, a 0 called "
                 "1. Compute the change of z it makes."),
        "c": mistake("which_move/depends-on-signs",
                 "that move changes z by η times (the sum of x's entries + 1), which is "
                 "negative for an x whose entries add up to less than -1: it does not raise z "
                 "for every x."),
        "d": mistake("which_move/scales-z",
                 "scaling w and b scales z by (1 + η): a negative z, the very case of a 1 "
                 "called 0, becomes more negative."),
    })


# The update question: w = (1, -1), b = 0, x = (2, 3) with label 1, lr = 0.5.
_W, _B, _X, _LR = np.array([1.0, -1.0]), 0.0, np.array([2.0, 3.0]), 0.5


@exercise("z_after_update", kind="value")
def z_after_update(ex: Check) -> None:
    """Z_AFTER_UPDATE: z = w·x + b for x = (2, 3) after adding lr·x to w and lr to b."""
    z = _number(ex, "Z_AFTER_UPDATE", "0.0")
    want = (_W + _LR * _X) @ _X + _B + _LR
    ex.close(
        z,
        want,
        f"Z_AFTER_UPDATE = {z:g} is not z = w·x + b after the move (it was {_W @ _X + _B:g} "
        "before).",
        mistakes=[
            (_W @ _X + _B, mistake("z_after_update/nothing-moved",
                               "that is z before the move: recompute it with the moved w and b.")),
            ((_W + _LR * _X) @ _X + _B, mistake("z_after_update/bias-not-moved",
                                            "the bias moves too: it grows by η as w grows "
                                            "by η·x.")),
            ((_W - _LR * _X) @ _X + _B - _LR, mistake("z_after_update/subtracted",
                                                  "the move adds η·x to w and η to b; you "
                                                  "subtracted them.")),
            ((_W + _X) @ _X + _B + 1, mistake("z_after_update/lr-ignored",
                                          "the move is η·x with η = 0.5, not x itself.")),
        ],
        hint=mistake("z_after_update/wrong-value",
                 "write the new w and b out first (w + η·x and b + η), then take their z for "
                 "the same x: how much did z grow, and from what?"),
    )


# The growth question: x = (1, 2, 2), lr = 0.1, any w and b.
_X3, _LR3 = np.array([1.0, 2.0, 2.0]), 0.1


@exercise("z_growth", kind="value")
def z_growth(ex: Check) -> None:
    """Z_GROWTH: how much z at x = (1, 2, 2) grows by the move with η = 0.1, whatever w, b."""
    z = _number(ex, "Z_GROWTH", "0.0")
    want = _LR3 * (_X3 @ _X3 + 1)
    ex.close(
        z,
        want,
        f"Z_GROWTH = {z:g} is not the growth of z at x = (1, 2, 2) by the move with η = 0.1.",
        mistakes=[
            (_LR3 * (_X3 @ _X3), mistake("z_growth/bias-forgotten",
                                     "that is the growth from w alone: b moves too, and z "
                                     "contains b.")),
            (_LR3 * (_X3.sum() + 1), mistake("z_growth/sum-not-square",
                                         "w grows by η·x and z multiplies w with x: each entry "
                                         "of x meets itself, so its square counts, not the "
                                         "entry.")),
            (_X3 @ _X3 + 1, mistake("z_growth/lr-forgotten",
                                "the move is scaled by η = 0.1, and so is the growth.")),
            (-(_LR3 * (_X3 @ _X3 + 1)), mistake("z_growth/sign",
                                            "the move raises z; your growth is negative.")),
        ],
        hint=mistake("z_growth/wrong-value",
                 "your number matches none of the usual slips: recompute the growth, z after "
                 "the move minus z before it, at the same x."),
    )


def _separable_data(rng: np.random.Generator, n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Grades in [0, 10] split by the line x1 + x2 = 10 with a margin (needs a bias)."""
    X = rng.uniform(0, 10, size=(4 * n, 2))
    X = X[np.abs(X.sum(axis=1) - 10) > 1.5][:n]
    return X, (X.sum(axis=1) > 10).astype(int)


@exercise("perceptron")
def perceptron(ex: Check) -> None:
    """perceptron(X, y, lr, epochs, rng) -> (w, b, mistakes_per_epoch), from w = 0, b = 0."""
    X, y = _separable_data(ex.rng)
    label = "perceptron(X, y, lr=1.0, epochs=100, rng=np.random.default_rng(0))"
    result = ex.call(X, y, lr=1.0, epochs=100, rng=np.random.default_rng(0), label=label)
    if not isinstance(result, tuple) or len(result) != 3:
        ex.fail(
            f"{label} returned {type(result).__name__}; expected a tuple (w, b, mistakes).",
            mistake("perceptron/not-a-triple", "end with `return w, b, mistakes_per_epoch`."),
        )
    w, b, mistakes = result
    w = ex.array(w, "w", shape=(2,))
    b = ex.array(b, "b", shape=())
    mistakes = ex.array(mistakes, "mistakes_per_epoch", integer=True)
    if mistakes.ndim != 1 or not 1 <= len(mistakes) <= 100:
        ex.fail(
            f"mistakes_per_epoch has shape {mistakes.shape}; expected one count per epoch "
            "(at most `epochs` of them).",
            mistake("perceptron/mistakes-not-per-epoch",
                "append the number of mistakes to a list at the end of every epoch."),
        )
    errors = int(np.sum(_step(X @ w + b) != y))
    if mistakes[-1] == 0 and errors:
        ex.fail(
            f"the last epoch counted 0 mistakes, but the returned w, b misclassify "
            f"{errors} of {len(y)} training points.",
            mistake("perceptron/count-disagrees-with-weights",
                "count a mistake whenever the prediction differs from y, and return the final w, "
                "b."),
        )
    if errors:
        _perceptron_does_not_converge(ex, X, y, b, mistakes, errors)
    _perceptron_counts(ex, X, y, mistakes, epochs=100)
    _perceptron_order(ex, X, y)
    again = ex.call(X, y, lr=1.0, epochs=100, rng=np.random.default_rng(0), label=label)
    if not np.allclose(np.asarray(again[0], dtype=float), w):
        ex.fail(
            "two runs with the same rng seed gave different weights.",
            mistake("perceptron/rng-ignored",
                "the order of your samples comes from somewhere other than the `rng` argument, "
                "so a seed does not replay the run."),
        )
    half = ex.call(X, y, lr=0.5, epochs=100, rng=np.random.default_rng(0), label=label)
    w_half = np.asarray(half[0], dtype=float)
    if np.allclose(w_half, w) and not np.allclose(w, 0):
        ex.fail(
            "with lr=0.5 your perceptron returned the same w as with lr=1.0.",
            mistake("perceptron/lr-ignored",
                "the learning rate does not scale your updates: with half the lr each update "
                "should be half as long."),
        )
    if not np.allclose(w_half, 0.5 * w, rtol=1e-6, atol=1e-9):
        ex.fail(
            "starting from w = 0 and b = 0, halving lr should halve w and b exactly and "
            "leave the mistakes unchanged; yours changed differently.",
            mistake("perceptron/not-from-zeros",
                "either your start is not w = 0, b = 0, or part of your update is not scaled "
                "by lr."),
        )


def _one_epoch(ex: Check, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, dict]:
    """w, b after one epoch with lr=1 from rng seed 0, and the rng's state afterwards."""
    gen = np.random.default_rng(0)
    label = "perceptron(X, y, lr=1.0, epochs=1, rng=np.random.default_rng(0))"
    w, b, _ = ex.call(X, y, lr=1.0, epochs=1, rng=gen, label=label)
    return np.asarray(w, dtype=float), float(np.asarray(b, dtype=float)), gen.bit_generator.state


def _state_after(draw) -> dict:
    gen = np.random.default_rng(0)
    draw(gen)
    return gen.bit_generator.state


def _order_drawn(state: dict, n: int) -> str:
    """How one epoch's order was drawn, judged by how far it moved the rng from seed 0."""
    if state == _state_after(lambda g: None):
        return "unused"
    if state == _state_after(lambda g: (g.permutation(n), g.permutation(n))):
        return "two permutations"
    with_replacement = (
        lambda g: g.integers(0, n, size=n),
        lambda g: g.choice(n, size=n),
        lambda g: [g.integers(0, n) for _ in range(n)],
        lambda g: [g.choice(n) for _ in range(n)],
    )
    if any(state == _state_after(draw) for draw in with_replacement):
        return "with replacement"
    return "other"


def _perceptron_does_not_converge(ex: Check, X, y, b, mistakes, errors: int) -> None:
    """After 100 epochs on separable data some points are still wrong: name why."""
    w1, b1, state = _one_epoch(ex, X, y)
    if _order_drawn(state, len(X)) == "two permutations":
        ex.fail(
            f"after 100 epochs on linearly separable data, {errors} of {len(y)} training points "
            "are still misclassified, and each epoch drew two orders from rng.",
            mistake("perceptron/shuffled-separately",
                "X and y were shuffled by two separate draws, so each row of X meets another "
                "sample's label: the data your perceptron sees is no longer separable."),
        )
    _batch_update(ex, X, y, w1, b1)
    short = ex.call(X, y, lr=1.0, epochs=1, rng=np.random.default_rng(0),
                    label="perceptron(X, y, lr=1.0, epochs=1, rng=np.random.default_rng(0))")
    if np.allclose(np.asarray(short[1], dtype=float), b):
        ex.fail(
            f"after 100 epochs on separable data {errors} points are still misclassified, "
            f"and b is {fmt(b)} after 1 epoch and after 100.",
            mistake("perceptron/bias-not-updated",
                "your bias never moves: a mistake should move the bias as well as w (the bias "
                "is the weight of an input that is always 1)."),
        )
    ex.fail(
        f"after 100 epochs on linearly separable data, {errors} of {len(y)} training "
        f"points are still misclassified; mistakes per epoch: {fmt(mistakes)}.",
        mistake("perceptron/does-not-converge",
            "your updates do not move the line towards the misclassified points: check the "
            "direction of the update for each kind of mistake (a 1 called 0, a 0 called 1), and "
            "that it uses that sample's row of X, not all of X."),
    )


def _batch_update(ex: Check, X, y, w1, b1) -> None:
    """From w = 0 every label-0 point is wrong (step(0) = 1); one update from all of them
    at once is what a batch update gives after epoch 1 (with step(0) = 0: the label-1 points)."""
    for cls, sign in ((0, -1.0), (1, 1.0)):
        if np.allclose(w1, sign * X[y == cls].sum(axis=0)) and np.isclose(
                b1, sign * np.sum(y == cls)):
            ex.fail(
                f"after 1 epoch (lr=1) your w is {fmt(w1)} and b is {fmt(b1)}: the sum of the "
                f"updates of all {int(np.sum(y == cls))} class-{cls} points, each computed "
                "from w = 0.",
                mistake("perceptron/batch-update",
                    "you update once per epoch from all its errors (a batch update). The "
                    "perceptron updates after each sample, so the next sample already meets the "
                    "moved line."),
            )


def _perceptron_counts(ex: Check, X, y, mistakes: np.ndarray, epochs: int) -> None:
    """The run converged: is mistakes_per_epoch what the docstring asks for?"""
    if mistakes[0] == 0 and mistakes[-1] != 0:
        ex.fail(
            f"mistakes_per_epoch starts with 0 and ends with {mistakes[-1]}: from w = 0 the "
            "first epoch makes mistakes, and the run stopped after an epoch that made none.",
            mistake("perceptron/count-one-epoch-late",
                "each entry of your list is the count of the epoch before it: you record the "
                "count before the epoch has run."),
        )
    early_zeros = np.flatnonzero(mistakes[:-1] == 0)
    if len(early_zeros):
        ex.fail(
            f"epoch {early_zeros[0] + 1} counted 0 mistakes, yet your run went on to "
            f"{len(mistakes)} epochs: mistakes per epoch {fmt(mistakes)}.",
            mistake("perceptron/no-early-stop",
                "the docstring asks to stop after the first epoch without mistakes: once an "
                "epoch makes none, no later epoch changes anything."),
        )
    if mistakes.min() > 0 and len(mistakes) < epochs:
        ex.fail(
            f"your run stopped after {len(mistakes)} epochs, but mistakes_per_epoch ends with "
            f"{mistakes[-1]}: the epoch without mistakes that ended the run is not in the list.",
            mistake("perceptron/last-epoch-not-recorded",
                "the last epoch, the one with 0 mistakes, is missing from mistakes_per_epoch: "
                "record every epoch that ran, the last one too."),
        )
    if mistakes.min() > 0:
        ex.fail(
            "the returned w, b classify every training point correctly, yet no epoch "
            f"counted zero mistakes: {fmt(mistakes)}.",
            mistake("perceptron/counts-right-not-wrong",
                "count the points the perceptron gets wrong (those that trigger an update), "
                "not the ones it gets right."),
        )
    if mistakes[0] == 0:
        ex.fail(
            "the first epoch counted no mistakes, but starting from w = 0 and b = 0 the "
            "perceptron gets many points wrong.",
            mistake("perceptron/no-mistakes-counted",
                "add 1 to the count each time a point's prediction differs from its label."),
        )


def _perceptron_order(ex: Check, X, y) -> None:
    """Each epoch visits every sample once, in an order drawn from rng."""
    w1, b1, state = _one_epoch(ex, X, y)
    drawn = _order_drawn(state, len(X))
    if drawn == "with replacement":
        ex.fail(
            f"in one epoch your perceptron drew {len(X)} sample indices independently from rng, "
            "so some samples come twice and others not at all.",
            mistake("perceptron/order-with-replacement",
                "an epoch visits every sample exactly once, in a new order: your draw allows "
                "repeats (it samples with replacement)."),
        )
    if drawn == "unused":
        ex.fail(
            "an epoch with rng given left rng untouched: your samples come in the same order "
            "in every epoch.",
            mistake("perceptron/rng-unused",
                "with rng given, each epoch's order is a new random order drawn from rng."),
        )
    if drawn == "two permutations":
        ex.fail(
            "each epoch drew two orders from rng.",
            mistake("perceptron/shuffled-separately",
                "X and y were shuffled by two separate draws, so each row of X meets another "
                "sample's label."),
        )
    _batch_update(ex, X, y, w1, b1)
    _order_each_epoch(ex)


def _order_each_epoch(ex: Check) -> None:
    """Three epochs (on data that needs more) draw three orders, not one reused."""
    X, y = _separable_data(np.random.default_rng(2))  # the reference needs 13 epochs here
    label = "perceptron(X, y, lr=1.0, epochs=3, rng=np.random.default_rng(0))"
    states = []
    for epochs in (1, 3):
        gen = np.random.default_rng(0)
        result = ex.call(X, y, lr=1.0, epochs=epochs, rng=gen, label=label)
        states.append(gen.bit_generator.state)
    ran = len(np.atleast_1d(np.asarray(result[2])))
    if ran == 3 and states[0] == states[1]:
        ex.fail(
            "after 3 epochs rng had moved exactly as far as after 1 epoch: your perceptron "
            "drew one order and visited the samples in that same order in every epoch.",
            mistake("perceptron/order-drawn-once",
                "the text asks for a new order in each epoch; yours draws one order before "
                "the epochs begin and reuses it."),
        )


@exercise("predict_lr_scaling", kind="value")
def predict_lr_scaling(ex: Check) -> None:
    """PREDICT_LR_SCALING: what the movie run does with lr = 1.0 instead of 0.1, same seed."""
    _choice(ex, "PREDICT_LR_SCALING", LR_SCALING_OPTIONS, lr_scaling_option(), {
        "a": mistake("predict_lr_scaling/bigger-is-faster",
                 "a bigger rate is not faster here: from w = 0, b = 0 every w and b the run "
                 "reaches is lr times a sum of ±x_i and ±1. Does the sign of z, which decides "
                 "every mistake, depend on that factor lr?"),
        "c": mistake("predict_lr_scaling/another-line",
                 "with the same seed the samples come in the same order; from w = 0, b = 0 each "
                 "w and b is lr times the same sum, so z only changes its scale, never its "
                 "sign: the same mistakes happen."),
        "d": mistake("predict_lr_scaling/too-large",
                 "the perceptron's steps do not overshoot a minimum: it stops on the first "
                 "epoch without a mistake, and a larger lr does not change which points are "
                 "mistakes."),
    })


@exercise("predict_xor_converges", kind="value")
def predict_xor_converges(ex: Check) -> None:
    """PREDICT_XOR_CONVERGES: does the perceptron reach an epoch without mistakes on XOR?"""
    right = "yes" if xor_perceptron_converges() else "no"
    _choice(ex, "PREDICT_XOR_CONVERGES", {"yes": "it converges", "no": "it never does"}, right, {
        "yes": mistake("predict_xor_converges/yes",
                   "an epoch without mistakes means a line that gets all four points right: "
                   "draw them, and try to put (0, 1) and (1, 0) on one side of a line and (0, 0) "
                   "and (1, 1) on the other."),
        "no": mistake("predict_xor_converges/no", "it does converge here."),
    })


# The linear stack of the "first why": x (2,) -> h = x @ W1 + b1 (2,) -> h @ w2 + b2.
_W1 = np.array([[1.0, 2.0], [-1.0, 1.0]])
_B1 = np.array([1.0, -1.0])
_W2 = np.array([2.0, 1.0])
_B2 = 0.5
_POINTS = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])


def _stack(points, W1=_W1, b1=_B1, w2=_W2, b2=_B2):
    return (points @ W1 + b1) @ w2 + b2


@exercise("stack_outputs", kind="value")
def stack_outputs(ex: Check) -> None:
    """STACK_OUTPUTS: the linear stack's outputs at (0, 0), (1, 0) and (0, 1)."""
    value = ex.obj
    try:
        got = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        got = np.zeros(0)
    if got.shape != (3,):
        ex.fail(f"STACK_OUTPUTS is {describe(value)} {fmt(value)}; expected three numbers.",
                mistake("stack_outputs/not-three-numbers",
                    "assign the three outputs, at (0, 0), (1, 0) and (0, 1), as a tuple."))
    want = _stack(_POINTS)
    ex.close(
        got,
        want,
        f"STACK_OUTPUTS = {fmt(got)}: not the stack's outputs at (0, 0), (1, 0), (0, 1).",
        mistakes=[
            (_stack(_POINTS, W1=_W1.T), mistake("stack_outputs/w1-transposed",
                                               "you used the rows of W1 as the hidden units' "
                                               "weights: x @ W1 combines x with the COLUMNS of W1 "
                                               "(column j feeds hidden unit j).")),
            (_stack(_POINTS, b2=0.0), mistake("stack_outputs/b2-missing",
                                             "the output unit's bias b2 is missing.")),
            (_stack(_POINTS, b1=np.zeros(2)), mistake("stack_outputs/b1-missing",
                                                     "the hidden biases b1 are missing: they "
                                                     "pass through w2 as well.")),
        ],
        hint=mistake("stack_outputs/wrong-values",
                 "compute h = x @ W1 + b1 first (two numbers), then h @ w2 + b2, once for each "
                 "of the three points."),
    )


@exercise("collapse_linear")
def collapse_linear(ex: Check) -> None:
    """collapse_linear(W1, b1, w2, b2) -> (w, b) with x @ w + b equal to the linear stack."""
    # random stacks first (in the notebook's stack sum(b1) = 0 hides a mistake); the first
    # one square, so that a transposed W1 gives a value to name rather than a shape error
    cases = []
    for trial in range(ex.trials):
        d, k = (3, 3) if trial == 0 else (int(ex.rng.integers(2, 5)), int(ex.rng.integers(2, 5)))
        cases.append((ex.rng.normal(size=(d, k)), ex.rng.normal(size=k),
                      ex.rng.normal(size=k), float(ex.rng.normal())))
    cases.append((_W1, _B1, _W2, _B2))
    for W1, b1, w2, b2 in cases:
        label = f"collapse_linear(W1, b1, w2, b2) with W1 of shape {W1.shape}"
        result = ex.call(W1, b1, w2, b2, label=label)
        if not isinstance(result, tuple) or len(result) != 2:
            ex.fail(f"{label} returned {describe(result)}; expected a pair (w, b).",
                    mistake("collapse_linear/not-a-pair", "return the pair `w, b`."))
        w = ex.array(result[0], "w", shape=(W1.shape[0],))
        b = ex.array(result[1], "b", shape=())
        want_w, want_b = W1 @ w2, b1 @ w2 + b2
        ex.close(
            w,
            want_w,
            f"{label}: your w is {fmt(w)}; the stack's output grows by {fmt(want_w)} per unit "
            "of each input.",
            mistakes=[
                (W1.T @ w2 if W1.shape[0] == W1.shape[1] else None,
                 mistake("collapse_linear/w-transposed",
                     "your w is the stack's w for W1 transposed: you weighed W1's rows and "
                     "columns the other way round from x @ W1.")),
                (W1.sum(axis=1), mistake("collapse_linear/w2-ignored",
                                    "your w ignores w2: each hidden unit's contribution is "
                                    "weighed by its entry of w2.")),
            ],
            hint=mistake("collapse_linear/w-wrong",
                     "expand (x @ W1 + b1) @ w2 + b2 and collect what multiplies x: that is w "
                     "(STACK_OUTPUTS at (1, 0) and (0, 1) minus the one at (0, 0))."),
        )
        ex.close(
            b,
            want_b,
            f"{label}: your b is {fmt(b)}; the stack outputs {want_b:.4f} at x = 0.",
            mistakes=[
                (b2, mistake("collapse_linear/b1-dropped",
                         "your b is only b2: the hidden biases b1 also reach the output, through "
                         "w2.")),
                (b1 @ w2, mistake("collapse_linear/b2-dropped",
                              "your b leaves out the output unit's own bias b2.")),
                (np.sum(b1) + b2, mistake("collapse_linear/b1-not-weighed",
                                      "the hidden biases reach the output weighed by w2, not "
                                      "summed as they are.")),
            ],
            hint=mistake("collapse_linear/b-wrong",
                     "b is the stack's output at x = 0, the first of your STACK_OUTPUTS."),
        )


@exercise("xor_network")
def xor_network(ex: Check) -> None:
    """xor_network() -> (W1, b1, w2, b2): a 2-2-1 network of step neurons computing XOR."""
    result = ex.call(label="xor_network()")
    if not isinstance(result, tuple) or len(result) != 4:
        ex.fail(
            f"xor_network() returned {type(result).__name__}; expected a tuple (W1, b1, w2, b2).",
            mistake("xor_network/not-a-4-tuple", "end with `return W1, b1, w2, b2`."),
        )
    W1 = ex.array(result[0], "W1", shape=(2, 2))
    b1 = ex.array(result[1], "b1", shape=(2,))
    w2 = ex.array(result[2], "w2", shape=(2,))
    b2 = ex.array(result[3], "b2", shape=())
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    out = _step(_step(X @ W1 + b1) @ w2 + b2)
    want = np.array([0.0, 1.0, 1.0, 0.0])
    if np.array_equal(out, want):
        return
    transposed = _step(_step(X @ W1.T + b1) @ w2 + b2)
    said = (f"for the inputs (0,0), (0,1), (1,0), (1,1) your network outputs {fmt(out)}; "
            f"XOR is [0, 1, 1, 0]: {_corners_wrong(out != want)}.")
    if np.array_equal(transposed, want):
        ex.fail(
            said + " Your numbers give XOR with W1 transposed.",
            mistake("xor_network/w1-transposed",
                "your W1 is transposed: the hidden layer computes X @ W1, so column j of W1 "
                "(not row j) holds the two weights of hidden neuron j."),
        )
    h = _step(X @ W1 + b1)
    said += " " + _hidden_firing(h)
    if np.any(X @ W1 + b1 == 0) or np.any(h @ w2 + b2 == 0):
        said += " (A sum of exactly 0 fires: step(0) = 1.)"
    ex.fail(said, _xor_diagnosis(h, out, want))


_CORNERS = ("(0, 0)", "(0, 1)", "(1, 0)", "(1, 1)")


def _corners_wrong(wrong: np.ndarray) -> str:
    names = [c for c, bad in zip(_CORNERS, wrong, strict=True) if bad]
    if len(names) == 1:
        return f"{names[0]} is wrong"
    return f"{', '.join(names[:-1])} and {names[-1]} are wrong"


def _fires_at(column: np.ndarray) -> str:
    corners = [c for c, on in zip(_CORNERS, column, strict=True) if on]
    if not corners:
        return "at none of the four corners"
    if len(corners) == 4:
        return "at all four corners"
    return "at " + ", ".join(corners) + " only"


def _hidden_firing(h: np.ndarray) -> str:
    return (f"Hidden neuron 1 fires {_fires_at(h[:, 0])}; hidden neuron 2 fires "
            f"{_fires_at(h[:, 1])}.")


def _pair(row: np.ndarray) -> str:
    return f"h = ({int(row[0])}, {int(row[1])})"


def _separable(h: np.ndarray, want: np.ndarray) -> bool:
    """Whether one step neuron on h gives ``want``: on corners of the unit square, weights in
    {-1, 0, 1} and half-integer biases realise every separable labelling."""
    for w1 in (-1.0, 0.0, 1.0):
        for w2 in (-1.0, 0.0, 1.0):
            for b in (-2.5, -1.5, -0.5, 0.5, 1.5):
                if np.array_equal(_step(h @ np.array([w1, w2]) + b), want):
                    return True
    return False


def _xor_diagnosis(h: np.ndarray, out: np.ndarray, want: np.ndarray):
    """Which layer is at fault, named by what it does at the corners (never the design)."""
    for i in range(4):
        for j in range(i + 1, 4):
            if want[i] != want[j] and np.array_equal(h[i], h[j]):
                return mistake(
                    "xor_network/hidden-merges-corners",
                    f"your hidden layer gives {_CORNERS[i]} and {_CORNERS[j]} the same pair "
                    f"{_pair(h[i])}, but XOR differs there: the output neuron sees only h, so "
                    "it answers both alike, whatever its weights. At least one hidden "
                    "neuron's line must pass between these two corners.")
    if not _separable(h, want):
        return mistake(
            "xor_network/hidden-still-xor",
            "your hidden layer gives the four corners four different pairs, but the two "
            f"where XOR is 1 get {_pair(h[1])} and {_pair(h[2])}, diagonally opposite in "
            "the square of pairs, as (0, 1) and (1, 0) are in the input: the output neuron "
            "faces XOR again, and one line cannot separate it.")
    at = "; ".join(f"{_pair(h[i])} at {_CORNERS[i]} gives {int(out[i])}, XOR {int(want[i])}"
                   for i in range(4) if out[i] != want[i])
    blame = ("your hidden layer does its part (one line can separate its pairs), so the "
             f"output neuron is at fault: {at}.")
    if np.array_equal(out, 1 - want):
        return mistake("xor_network/xnor",
                       blame + " It is wrong at every corner: your output is inverted, XNOR.")
    gates = {"OR": [0, 1, 1, 1], "AND": [0, 0, 0, 1], "NAND": [1, 1, 1, 0], "NOR": [1, 0, 0, 0]}
    for name, table in gates.items():
        if np.array_equal(out, table):
            return mistake("xor_network/computes-other-gate",
                           f"your network computes {name}; " + blame)
    return mistake("xor_network/wrong-truth-table", blame)


@exercise("choose_epochs")
def choose_epochs(ex: Check) -> None:
    """choose_epochs(train, X_train, y_train, X_val, y_val, epoch_options) -> (best, accs)."""
    # seed 3: the best run on validation, on training, the worst run and the best one's
    # position all differ, so each wrong choice is told apart (tests assert it)
    X_train, y_train, X_val, y_val, _, _ = moody_movies(3)
    options = [1, 2, 3, 5, 8, 13]
    runs = []

    def train(X, y, lr=1.0, epochs=20, rng=None):
        runs.append((X, epochs, None if rng is None else rng.bit_generator.state))
        result = _reference_perceptron(X, y, lr, epochs, rng)
        left.append(None if rng is None else rng.bit_generator.state)
        return result

    left = []  # the state each run left its generator in: a shared one continues from there

    label = "choose_epochs(train, X_train, y_train, X_val, y_val, [1, 2, 3, 5, 8, 13])"
    result = ex.call(train, X_train, y_train, X_val, y_val, options, label=label)
    if not isinstance(result, tuple) or len(result) != 2:
        ex.fail(f"{label} returned {describe(result)}; expected a pair (best_epochs, accuracies).",
                mistake("choose_epochs/not-a-pair", "return the pair `best, accuracies`."))
    best, accs = result
    ex.array(accs, "accuracies")  # numbers at all, before what the runs did
    _judge_runs(ex, runs, left, options, X_val)
    accs = _accuracy_list(ex, accs, len(options))
    val, fit, raw = [], [], []
    for e in options:
        w, b, _ = _reference_perceptron(X_train, y_train, 1.0, e, np.random.default_rng(0))
        val.append(np.mean(_step(X_val @ w + b) == y_val))
        fit.append(np.mean(_step(X_train @ w + b) == y_train))
        raw.append(np.mean(X_val @ w + b == y_val))
    ex.close(
        accs,
        val,
        f"your accuracies are {fmt(accs)}: not the validation accuracies of the lines "
        "your runs found.",
        mistakes=[(fit, mistake("choose_epochs/training-accuracies",
                            "those are the accuracies on the training movies, the very movies "
                            "each run was trained on.")),
                  (raw, mistake("choose_epochs/no-step",
                            "your accuracies compare the raw sums w·x + b with the labels 0 and "
                            "1, not the neuron's 0/1 verdicts."))],
        hint=mistake("choose_epochs/wrong-accuracies",
                 "your accuracies match no run's accuracy on the validation movies, nor on "
                 "the training movies."),
    )
    # any of the best options is right: the goal states no rule for a tie
    if any(best == o and v == max(val) for o, v in zip(options, val, strict=True)):
        return
    ex.diagnose(
        best,
        f"your choice is {fmt(best)}; the best validation accuracy, {max(val):.3f}, belongs to "
        "another option.",
        mistakes=[
            (max(val), mistake("choose_epochs/returned-accuracy",
                           "that is the best accuracy itself, not the number of epochs of the "
                           "run that reached it.")),
            (int(np.argmax(val)), mistake("choose_epochs/index-not-option",
                                      "that is the position of the best run in the list, not "
                                      "its number of epochs.")),
            (options[int(np.argmax(fit))], mistake("choose_epochs/chose-on-training",
                                               "that run is the best on the training movies, "
                                               "which it was trained on: it is judged on its "
                                               "own homework.")),
            (options[int(np.argmin(val))], mistake("choose_epochs/chose-worst",
                                               "that run has the LOWEST validation accuracy.")),
        ],
        hint=mistake("choose_epochs/wrong-choice",
                 "your choice is not the number of epochs of the run with the highest of your "
                 "validation accuracies."),
    )


def _judge_runs(ex: Check, runs: list, left: list, options: list[int],
                X_val: np.ndarray) -> None:
    """Fail when the runs saw validation movies, miss an option, or differ in their seeds."""
    val_rows = {row.tobytes() for row in np.asarray(X_val, dtype=float)}
    for X, _, _ in runs:
        seen = sum(row.tobytes() in val_rows for row in np.asarray(X, dtype=float))
        if seen:
            ex.fail(f"your choose_epochs trained a perceptron on {len(X)} movies, {seen} of them "
                    "validation movies.",
                    mistake("choose_epochs/trained-on-validation",
                        "a run that trained on validation movies is judged on its own homework: "
                        "its validation accuracy flatters it."))
    epochs = [e for _, e, _ in runs]
    if sorted(epochs) != sorted(options):
        missing = [o for o in options if o not in epochs]
        if len(epochs) in (len(options) - 1, len(options) + 1) or len(missing) == 1:
            ex.fail(f"your choose_epochs trained with epochs = {epochs} for the options "
                    f"{options}: off by one run.",
                    mistake("choose_epochs/off-by-one",
                        "your loop skips an option or adds one: "
                        + (f"the option {missing[0]} has no run." if missing else
                           "one run too many.")))
        ex.fail(f"your choose_epochs trained with epochs = {epochs}; expected "
                f"one run for each option, {options}.",
                mistake("choose_epochs/runs-not-per-option",
                    "your runs and the options do not match one to one."))
    fresh = np.random.default_rng(0).bit_generator.state
    states = [state for _, _, state in runs]
    seeds = ([_fresh_seed(state) for state in states]
             if any(state != fresh for state in states) else [0])
    if None not in seeds and len(set(seeds)) > 1:
        shown = ", ".join(str(seed) for seed in seeds[:4]) + (", ..." if len(seeds) > 4 else "")
        ex.fail(f"your runs drew their orders of movies from fresh generators of different "
                f"seeds ({shown}): each run visits the movies in an order of its own.",
                mistake("choose_epochs/rng-seed-per-run",
                    "your runs differ in their shuffles, not only in their number of epochs, "
                    "so the comparison mixes the two."))
    continued = any(state is not None and state == left[k]
                    for k, state in enumerate(states[1:]))
    if states[0] == fresh and continued:
        ex.fail("your first run drew its order of movies from seed 0, the later ones from a "
                "generator that earlier runs had already moved on: the runs then differ in "
                "their orders of movies as well as in their number of epochs.",
                mistake("choose_epochs/rng-shared",
                    "one generator shared by all runs: each run continues where the last one "
                    "left it."))
    if any(state != fresh for state in states):
        what = ("got no rng, so it visited the movies in their stored order" if None in states
                else "drew its order of movies from a generator not in the state of seed 0")
        ex.fail(f"a run of yours {what}; the check's runs draw every order from seed 0.",
                mistake("choose_epochs/rng-not-fresh",
                    "the runs do not all start from a generator in the state of seed 0."))


def _fresh_seed(state, tried: int = 100) -> int | None:
    """The seed s < tried whose fresh default_rng(s) is in ``state``, else None."""
    if state is None:
        return None
    key = state["state"]["state"]
    return next((s for s in range(tried)
                 if np.random.default_rng(s).bit_generator.state["state"]["state"] == key), None)


def _accuracy_list(ex: Check, accs, n: int) -> np.ndarray:
    """The accuracies as an array of n numbers; one too many or too few is named."""
    arr = np.asarray(accs, dtype=object) if not isinstance(accs, np.ndarray) else accs
    if arr.ndim == 1 and len(arr) in (n - 1, n + 1):
        ex.fail(f"your accuracies list has {len(arr)} entries for {n} options.",
                mistake("choose_epochs/off-by-one",
                    f"one entry {'too many' if len(arr) > n else 'too few'}: the list and "
                    "epoch_options must match one to one."))
    return ex.array(accs, "accuracies", shape=(n,))
