"""Checks for notebook 01, the artificial neuron."""

from __future__ import annotations

import numpy as np

from ..nn import sigmoid as _stable_sigmoid
from ._core import Check, exercise, fmt
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
        hint=mistake("affine/wrong-value", "compute the weighted sum x @ w, then add b."),
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
                         "return one value per sample: X @ w + b has shape (N,)."),
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
                                        "step(0) should be 1: compare with `z >= 0`, not `z "
                                        "> 0`.")),
            (1 - _step(z), mistake("step/upside-down",
                               "the step is upside down: 1 for z >= 0, 0 below.")),
        ]

    _elementwise(ex, _step, mistakes, "step(z)")


_BOTH_BRANCHES_SIGMOID = (
    mistake("sigmoid/np-where-both-branches",
        "np.where(cond, a, b) computes both a and b for every z before it chooses, so the "
        "branch meant for z < 0 still runs np.exp(z) at z = 1000 and overflows: the warning "
        "comes from the branch np.where throws away. Compute each branch only where it applies, "
        "with a mask (pos = z >= 0; out[pos] = 1 / (1 + np.exp(-z[pos])); out[~pos] = ...), or "
        "take exp only of -|z|: e = np.exp(-np.abs(z)), then np.where(z >= 0, 1 / (1 + e), "
        "e / (1 + e)).")
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
                               "check the sign inside np.exp: it is np.exp(-z).")),
            (1 + np.exp(-z), mistake("sigmoid/denominator-not-parenthesised",
                                 "parenthesise the denominator: 1 / (1 + np.exp(-z)).")),
            (1 / (1 + np.exp(-z)) - 0.5, mistake("sigmoid/shifted-by-half",
                                             "sigmoid(0) is 0.5: nothing is subtracted.")),
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
                         "np.exp(-z) overflows for z = -1000 (e^1000 is far beyond the largest "
        "float). Use a form that never takes exp of a large positive number, for example "
        "0.5 * (1 + np.tanh(z / 2)), or np.exp(z) / (1 + np.exp(z)) where z < 0."),
    )
    out = ex.array(out, label, shape=z.shape)
    ex.finite(out, label, mistake("sigmoid/not-finite",
                              "for large |z| take exp only of a negative number."))
    ex.close(out, _sigmoid(z), f"{label} gave {fmt(out)}; expected {fmt(_sigmoid(z))}.")


@exercise("tanh")
def tanh(ex: Check) -> None:
    """tanh(z); elementwise, any shape; finite at ±1000."""

    def mistakes(z):
        return [
            (-np.tanh(z), mistake("tanh/sign-flipped",
                              "the sign is flipped: tanh(z) > 0 for z > 0.")),
            (np.tanh(z / 2), mistake("tanh/half-argument",
                                 "2 * sigmoid(z) - 1 is tanh(z / 2): use 2 * sigmoid(2 * z) - 1.")),
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
                         "np.exp(1000) overflows and inf / inf is nan: rewrite it so that no "
                         "exponent is large, e.g. 2 * sigmoid(2 * z) - 1 with your stable "
                         "sigmoid."),
    )
    out = ex.array(out, label, shape=z.shape)
    ex.finite(out, label, mistake("tanh/not-finite",
                              "inf / inf is nan: rewrite it so that no exponent is large, e.g. "
                              "2 * sigmoid(2 * z) - 1 with your stable sigmoid."))
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
                                   "keep the positive part, max(0, z), not the negative one.")),
        ]

    _elementwise(ex, lambda z: np.maximum(z, 0), mistakes, "relu(z)")


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
                    "an (N, 1) and an (N,) array broadcast to an (N, N) table: flatten both "
                    "with `np.ravel` before comparing."),
            )
        ],
        hint=mistake("accuracy/flatten-both",
                 "flatten both arrays with `np.ravel` before comparing."),
    )
    for _ in range(ex.trials):
        y_true, y_pred = ex.rng.integers(0, 3, size=20), ex.rng.integers(0, 3, size=20)
        out = ex.array(ex.call(y_pred, y_true, label="accuracy"), "accuracy", shape=())
        want = np.mean(y_pred == y_true)
        ex.close(out, want, f"for 3 classes your accuracy gave {fmt(out)}; expected {want}.")


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
    predictions = _step(X @ w + b)
    errors = int(np.sum(predictions != y))
    if mistakes[-1] == 0 and errors:
        ex.fail(
            f"the last epoch counted 0 mistakes, but the returned w, b misclassify "
            f"{errors} of {len(y)} training points.",
            mistake("perceptron/count-disagrees-with-weights",
                "count a mistake whenever the prediction differs from y, and return the final w, "
                "b."),
        )
    if errors:
        short = ex.call(X, y, lr=1.0, epochs=1, rng=np.random.default_rng(0), label=label)
        if np.allclose(np.asarray(short[1], dtype=float), b):
            ex.fail(
                f"after 100 epochs on separable data {errors} points are still misclassified, "
                f"and b is {fmt(b)} after 1 epoch and after 100.",
                mistake("perceptron/bias-not-updated",
                    "the bias needs its update too: b += lr * (y_i - prediction)."),
            )
        ex.fail(
            f"after 100 epochs on linearly separable data, {errors} of {len(y)} training "
            "points are still misclassified; mistakes per epoch: "
            f"{fmt(mistakes)}.",
            mistake("perceptron/does-not-converge",
                "on a mistake, move w towards the point: w += lr * (y_i - prediction) * x_i. "
                "Check the sign, and that you use x_i (one row), not all of X."),
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
    again = ex.call(X, y, lr=1.0, epochs=100, rng=np.random.default_rng(0), label=label)
    if not np.allclose(np.asarray(again[0], dtype=float), w):
        ex.fail(
            "two runs with the same rng seed gave different weights.",
            mistake("perceptron/rng-ignored",
                "shuffle with the `rng` argument (rng.permutation), not np.random."),
        )
    half = ex.call(X, y, lr=0.5, epochs=100, rng=np.random.default_rng(0), label=label)
    w_half = np.asarray(half[0], dtype=float)
    if np.allclose(w_half, w) and not np.allclose(w, 0):
        ex.fail(
            "with lr=0.5 your perceptron returned the same w as with lr=1.0.",
            mistake("perceptron/lr-ignored",
                "use the `lr` argument in the update: w += lr * (y_i - prediction) * x_i."),
        )
    if not np.allclose(w_half, 0.5 * w, rtol=1e-6, atol=1e-9):
        ex.fail(
            "starting from w = 0 and b = 0, halving lr should halve w and b exactly and "
            "leave the mistakes unchanged; yours changed differently.",
            mistake("perceptron/not-from-zeros",
                "start from zeros (w = np.zeros(D), b = 0.0) and scale the whole update by lr."),
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
    named = {"OR": [0, 1, 1, 1], "AND": [0, 0, 0, 1], "NAND": [1, 1, 1, 0], "NOR": [1, 0, 0, 0]}
    transposed = _step(_step(X @ W1.T + b1) @ w2 + b2)
    if not np.array_equal(out, want) and np.array_equal(transposed, want):
        ex.fail(
            f"for the inputs (0,0), (0,1), (1,0), (1,1) your network outputs {fmt(out)}; "
            "XOR is [0, 1, 1, 0], which your numbers give with W1 transposed.",
            mistake("xor_network/w1-transposed",
                "your W1 is transposed: the hidden layer computes X @ W1, so column j of W1 "
                "(not row j) holds the two weights of hidden neuron j. Return W1.T."),
        )
    mistakes = [
        (np.array(v, float), mistake("xor_network/computes-other-gate",
                                 f"the network computes {k}: XOR is OR and not AND, "
         "so let one hidden neuron compute OR, the other AND, and combine them."))
        for k, v in named.items()
    ]
    ex.close(
        out,
        want,
        f"for the inputs (0,0), (0,1), (1,0), (1,1) your network outputs {fmt(out)}; "
        "XOR is [0, 1, 1, 0].",
        mistakes=mistakes + [(1 - want, mistake("xor_network/xnor",
                                            "the output is inverted: that is XNOR."))],
        hint=mistake("xor_network/wrong-truth-table",
                 "work it out on paper: hidden neuron 1 = OR, hidden neuron 2 = AND, "
                 "output = h1 AND NOT h2. Remember step(0) = 1."),
    )
