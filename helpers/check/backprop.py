"""Checks for notebook 03, the chain rule and backpropagation.

Every gradient is compared with central finite differences of a forward pass: the
student's own where the exercise hands one in (``graph_forward_backward``, ``Value``), the
reference's where it does not (``chain_backward`` receives only a cache).
"""

from __future__ import annotations

import math
import numbers
import re
import time
from collections.abc import Callable

import numpy as np

from ._core import Check, CheckFailed, exercise, fmt
from .mistakes import mistake
from .neuron import _sigmoid  # the checks' own stable sigmoid, shared with notebook 01

__all__ = [
    "graph_backward_table",
    "graph_forward_backward",
    "graph_exercise",
    "sigmoid_prime",
    "tanh_prime",
    "relu_prime",
    "predict_chain_depth",
    "chain_forward",
    "chain_deltas",
    "chain_backward",
    "value",
    "relative_error",
    "dz_one_sample",
    "dw_two_samples",
    "train_neuron",
    "predict_lr100",
    "choose_learning_rate",
]

_H = 1e-6  # finite-difference step for float64 scalars


def _central_difference(f: Callable[..., float], args: tuple[float, ...], i: int) -> float:
    """d f / d args[i] by central differences."""
    up, down = list(args), list(args)
    up[i] += _H
    down[i] -= _H
    return (f(*up) - f(*down)) / (2 * _H)


def _scalar(ex: Check, value, label: str) -> float:
    return float(ex.array(value, label, shape=()))


# --- the graph ((x + y) z)^2 and its exercise ((sin x + y) z)^3 ---------------------------


def _graph_result(ex: Check, args: tuple[float, ...], label: str) -> tuple[float, np.ndarray]:
    """The student's (f, (df_dx, df_dy, df_dz)) at ``args``, validated as numbers."""
    result = ex.call(*args, label=label)
    if not (isinstance(result, tuple) and len(result) == 2):
        ex.fail(
            f"{label} returned {type(result).__name__} {fmt(result)}; expected a pair "
            "(f, (df_dx, df_dy, df_dz)).",
            mistake("graph/not-a-pair", "the docstring asks for a pair: the value f first, "
                    "then a tuple of the three derivatives."),
        )
    f = _scalar(ex, result[0], f"the f of {label}")
    grads = result[1]
    if not (isinstance(grads, (tuple, list)) and len(grads) == 3):
        ex.fail(
            f"the second item of what {label} returned is {fmt(grads)}; expected three "
            "partial derivatives (df_dx, df_dy, df_dz).",
            mistake("graph/not-a-pair", "the docstring asks for a pair: the value f first, "
                    "then a tuple of the three derivatives."),
        )
    return f, np.array([_scalar(ex, g, f"a derivative from {label}") for g in grads])


def _check_graph(
    ex: Check,
    name: str,
    formula: str,
    forward: Callable[[float, float, float], float],
    gradient: Callable[[float, float, float], np.ndarray],
    mistakes_for: Callable[[float, float, float], list[tuple[np.ndarray, str]]],
    first_point: tuple[float, float, float],
) -> None:
    # random points away from 0, where a missing factor changes the result visibly
    points = [first_point] + [
        tuple(float(v) for v in ex.rng.uniform(0.5, 1.5, size=3) * ex.rng.choice([-1, 1], 3))
        for _ in range(ex.trials)
    ]
    for point in points:
        label = f"{name}{tuple(round(v, 4) for v in point)}"
        f, grads = _graph_result(ex, point, label)
        want = forward(*point)
        ex.close(f, want, f"{label} gave f = {f:.6g}; expected {formula} = {want:.6g}.",
                 hint=mistake("graph/wrong-forward",
                          "your f is not the function of the exercise: compare your forward "
                          "lines, one node at a time, with the graph."))

        def student_f(*args: float, label: str = label) -> float:
            return _scalar(ex, ex.call(*args, label=label)[0], f"the f of {label}")

        numeric = np.array([_central_difference(student_f, point, i) for i in range(3)])
        want = gradient(*point)
        ex.close(
            grads,
            numeric,
            f"{label} gave (df_dx, df_dy, df_dz) = {fmt(grads)}; finite differences of "
            f"your f give {fmt(numeric)}.",
            mistakes=[*mistakes_for(*point),
                      (want[::-1], mistake("graph/gradient-order",
                                       "the derivatives come back in the order z, y, x; the "
                                       "docstring asks for x, y, z."))],
            hint=mistake("graph/wrong-gradient",
                     "these derivatives match no single slip the check knows: go backwards "
                     "through the graph one node at a time and compare each product with "
                     "the table you filled in."),
            rtol=1e-4,
            atol=1e-6,
        )


#: The point of the backward table the student fills in by hand (section 2).
TABLE_POINT = (1.0, 3.0, -2.0)
#: The table's entries, in the order a backward pass meets them.
TABLE_KEYS = ("df_dq", "dq_ds", "dq_dz", "df_ds", "df_dz", "ds_dx", "ds_dy", "df_dx", "df_dy")


def _table(x: float, y: float, z: float) -> dict[str, float]:
    s, q = x + y, (x + y) * z
    df_dq = 2 * q
    return {"df_dq": df_dq, "dq_ds": z, "dq_dz": s, "df_ds": df_dq * z, "df_dz": df_dq * s,
            "ds_dx": 1.0, "ds_dy": 1.0, "df_dx": df_dq * z, "df_dy": df_dq * z}


_NOT_A_DICT = mistake("table/not-a-dict", "the cell asks for a dict: one number per key.")
_MISSING_KEYS = mistake("table/missing-keys", "spell each key as the text above writes it.")
_NOT_A_NUMBER = mistake("table/not-a-number",
                        "each entry is one number, worked out for the values given.")


def _number_dict(ex: Check, name: str, keys: tuple[str, ...]) -> dict[str, float]:
    """The student's dict of numbers ``name``, every key present and every entry a number."""
    given = ex.obj
    if not isinstance(given, dict):
        ex.fail(f"{name} is {type(given).__name__} {fmt(given)}; expected a dict with the "
                f"keys {', '.join(keys)}.", _NOT_A_DICT)
    missing = [k for k in keys if k not in given]
    if missing:
        ex.fail(f"{name} has no key {', '.join(map(repr, missing))}.", _MISSING_KEYS)
    out = {}
    for key in keys:
        value = given[key]
        if isinstance(value, (bool, str)) or not isinstance(value, (numbers.Real, np.ndarray)) \
                or np.ndim(value) != 0:
            ex.fail(f"{name}[{key!r}] is {fmt(value)}; expected a number.", _NOT_A_NUMBER)
        out[key] = float(value)
        if not math.isfinite(out[key]):
            ex.fail(f"{name}[{key!r}] is {out[key]}; expected a finite number.", _NOT_A_NUMBER)
    return out


def _product_slips(key: str, own: str, unswapped: float, df_dq: float, local: float):
    """What a wrong ∂f/∂s or ∂f/∂z of the table is, where a slip explains it."""
    return [
        (unswapped, mistake("graph_backward_table/product-not-swapped",
                            f"your {key} multiplies df_dq by {own}, the input you differentiate "
                            f"by; its local derivative is dq_d{own}.")),
        (df_dq, mistake("graph_backward_table/local-factor-missing",
                        "that is df_dq alone: the chain rule multiplies it by the local "
                        "derivative of the node in between.")),
        (local, mistake("graph_backward_table/upstream-missing",
                        "that is the local derivative alone: the gradient arriving from f is "
                        "missing.")),
    ]


def _add_slips(name: str, value: float):
    """What a wrong local derivative of s = x + y is, where a slip explains it."""
    return [
        (value, mistake("graph_backward_table/add-local-is-input",
                        f"that is {name}'s value; s = x + y grows by exactly as much as {name} "
                        "does.")),
        (0.0, mistake("graph_backward_table/add-local-is-input",
                      f"s = x + y does change when {name} changes.")),
    ]


def _input_slips(name: str, df_dq: float, unswapped: float, z: float):
    """What a wrong ∂f/∂x or ∂f/∂y of the table is, where a slip explains it."""
    return [
        (1.0, mistake("graph_backward_table/upstream-missing",
                      f"that is ds_d{name}, the add node's local derivative alone: the "
                      "gradient arriving at s from above, df_ds, is missing.")),
        (z, mistake("graph_backward_table/upstream-missing",
                    f"that is the local derivatives between q and {name} multiplied together: "
                    "the gradient arriving at q from f, df_dq, is missing.")),
        (df_dq, mistake("graph_backward_table/skipped-node",
                        f"that is df_dq: the path from f to {name} also passes through the "
                        "multiply node.")),
        (unswapped, mistake("graph_backward_table/product-not-swapped",
                            f"your df_d{name} went through the multiply node unswapped: df_dq "
                            f"times s, the value of the input that {name} feeds into.")),
    ]


@exercise("graph_backward_table", kind="value")
def graph_backward_table(ex: Check) -> None:
    """GRAPH_BACKWARD_TABLE: the backward pass of f = ((x + y)·z)² at x = 1, y = 3, z = -2,
    entry by entry: each local derivative and each product, as numbers."""
    table = _number_dict(ex, "GRAPH_BACKWARD_TABLE", TABLE_KEYS)
    x, y, z = TABLE_POINT
    s, q = x + y, (x + y) * z
    want = _table(*TABLE_POINT)
    swap = mistake("graph_backward_table/multiply-not-swapped",
                   "that is the value of the input you differentiate by; q = s·z is a product, "
                   "and a product changes with one factor at the rate of the other.")
    wrong = {
        "df_dq": [(q, mistake("graph_backward_table/square-factor-2",
                              "that is q itself: the derivative of q² is twice as large.")),
                  (q**2, mistake("graph_backward_table/value-for-slope",
                                 "that is f = q², the node's value, not its slope.")),
                  (-2 * q, mistake("graph_backward_table/sign",
                                   "the size is right and the sign is not: q is negative here."))],
        "dq_ds": [(s, swap), (1.0, mistake("graph_backward_table/add-rule-for-multiply",
                                           "1 is what an add node passes on; q = s·z "
                                           "multiplies."))],
        "dq_dz": [(z, swap), (1.0, mistake("graph_backward_table/add-rule-for-multiply",
                                           "1 is what an add node passes on; q = s·z "
                                           "multiplies."))],
        "df_ds": _product_slips("df_ds", "s", want["df_dq"] * s, want["df_dq"], z),
        "df_dz": _product_slips("df_dz", "z", want["df_dq"] * z, want["df_dq"], s),
        "ds_dx": _add_slips("x", x),
        "ds_dy": _add_slips("y", y),
        "df_dx": _input_slips("x", want["df_dq"], want["df_dq"] * s, z),
        "df_dy": _input_slips("y", want["df_dq"], want["df_dq"] * s, z),
    }
    for key in TABLE_KEYS:
        ex.close(table[key], want[key],
                 f"GRAPH_BACKWARD_TABLE[{key!r}] is {table[key]:g} at x = 1, y = 3, z = -2; "
                 "that is not it.",
                 mistakes=wrong[key],
                 hint=mistake("graph_backward_table/wrong-entry",
                              "work this entry out from the entries above it in the table: a "
                              "local derivative from its node alone, a product from the "
                              "gradient arriving from above times one local derivative."),
                 rtol=1e-6, atol=1e-9)


@exercise("graph_forward_backward")
def graph_forward_backward(ex: Check) -> None:
    """f = ((x + y) z)^2 and its three partial derivatives, by hand through the graph."""

    def forward(x, y, z):
        return ((x + y) * z) ** 2

    def gradient(x, y, z):
        q = (x + y) * z
        return np.array([2 * q * z, 2 * q * z, 2 * q * (x + y)])

    def mistakes(x, y, z):
        s, q = x + y, (x + y) * z
        return [
            (np.array([q * z, q * z, q * s]),
             mistake("graph_forward_backward/factor-2-missing",
                 "each derivative is half the true one: the factor 2 of d(q²)/dq is missing.")),
            (np.array([2 * q, 2 * q, 2 * q]),
             mistake("graph_forward_backward/local-derivatives-missing",
                 "all three are df/dq alone: the local derivatives of the multiply node "
                 "q = s·z are missing.")),
            (np.array([2 * q * s, 2 * q * s, 2 * q * z]),
             mistake("graph_forward_backward/multiply-not-swapped",
                 "the multiply node q = s·z is not swapped: your df_dx and df_dy use s and "
                 "your df_dz uses z, each input's own value where the local derivative is "
                 "the other input's.")),
            (-gradient(x, y, z),
             mistake("graph_forward_backward/sign-flipped",
                 "each derivative has the right size and the wrong sign.")),
            (np.array([2 * q * z, 2 * q * z, 2 * q * z]),
             mistake("graph_forward_backward/dq-dz-wrong",
                     "df_dx and df_dy are right, but df_dz used z as dq/dz; z is the input "
                     "you differentiate by, not its local derivative.")),
            (np.array([z, z, s]),
             mistake("graph_forward_backward/outer-derivative-missing",
                 "those are only the local derivatives of q = s·z: the gradient arriving "
                 "from f = q² is missing.")),
        ]

    # s = 2.5 and z = -1.5 differ in size: a multiply node that is not swapped then gives
    # other numbers than a sign error (at (1, 2, -3), s = 3 and z = -3 look alike)
    _check_graph(ex, "graph_forward_backward", "((x + y)·z)²", forward, gradient, mistakes,
                 (0.5, 2.0, -1.5))


@exercise("graph_exercise")
def graph_exercise(ex: Check) -> None:
    """f = ((sin x + y) z)^3 and its three partial derivatives."""

    def forward(x, y, z):
        return ((math.sin(x) + y) * z) ** 3

    def gradient(x, y, z):
        s = math.sin(x) + y
        q = s * z
        return np.array([3 * q**2 * z * math.cos(x), 3 * q**2 * z, 3 * q**2 * s])

    def mistakes(x, y, z):
        s = math.sin(x) + y
        q = s * z
        return [
            (np.array([3 * q**2 * z, 3 * q**2 * z, 3 * q**2 * s]),
             mistake("graph_exercise/cos-missing",
                 "df_dy and df_dz are right; df_dx is missing the local derivative of the "
                 "node u = sin x.")),
            (np.array([-3 * q**2 * z * math.cos(x), 3 * q**2 * z, 3 * q**2 * s]),
             mistake("graph_exercise/minus-cos", "df_dx has the wrong sign: the local "
                     "derivative of sin x came out with a minus.")),
            (np.array([3 * q**2 * z * math.sin(x), 3 * q**2 * z, 3 * q**2 * s]),
             mistake("graph_exercise/sin-for-cos",
                 "df_dx multiplies by sin x, the node's value, where its local derivative "
                 "belongs.")),
            (np.array([2 * q * z * math.cos(x), 2 * q * z, 2 * q * s]),
             mistake("graph_exercise/cube-derivative", "the local derivative of the last node "
                     "is that of a square, not of a cube.")),
            (np.array([3 * q**2 * math.cos(x), 3 * q**2, 3 * q**2]),
             mistake("graph_exercise/local-derivatives-missing",
                 "the local derivatives of the multiply node q = s·z are missing.")),
        ]

    _check_graph(ex, "graph_exercise", "((sin x + y)·z)³", forward, gradient, mistakes,
                 (1.0, 0.5, 1.5))


# --- derivatives of activations ------------------------------------------------------------


def _activation_inputs(ex: Check) -> list[np.ndarray]:
    """A 1-D, a 2-D and a 0-d input: derivatives work elementwise on any shape."""
    return [
        np.array([-3.0, -0.5, 0.5, 2.0]),
        ex.rng.normal(0, 2, size=(3, 4)),
        np.array(1.5),
    ] + [ex.rng.normal(0, 3, size=6) for _ in range(ex.trials)]


_WRONG_SLOPE = ("these are not the slopes of {}: redo your derivation one step at a time, and "
                "test it where you can work the slope out by hand (at z = 0, or far from 0).")


def _check_derivative(ex: Check, name: str, reference, mistakes_for, inputs,
                      wrong_slope: str) -> None:
    activation = name.removesuffix("_prime")
    for z in inputs:
        label = f"{name}(z)"
        out = ex.array(ex.call(z, label=label), label, shape=z.shape)
        want = reference(z)
        # near everywhere yet not right: a coarse difference quotient (h = 1e-3 or so)
        near = bool(np.all(np.abs(np.asarray(out, dtype=float) - want) < 1e-2))
        ex.close(out, want, f"for z = {fmt(z)} your {label} gave {fmt(out)}; the slope of "
                 f"{activation} measured by finite differences is {fmt(want)}.",
                 mistakes=mistakes_for(z),
                 hint=_finite_difference(name, _SPOKEN[activation]) if near else wrong_slope)


# Points where a derived formula meets the slope to float64's last digits (about 1e-16) and a
# difference quotient cannot: the best central difference of σ or tanh (h from 1e-3 to 1e-7)
# is off by ~3e-12, even a four-point stencil by ~4e-14. For ReLU a quotient is exact near 0,
# so the points include a z whose spacing of floats (about 0.004) swallows every such h.
_EXACT_POINTS = np.array([-2.3, -1.1, -0.35, 0.45, 0.8, 1.7, 2.9])
_EXACT_ATOL = 1e-14
_RELU_EXACT_POINTS = np.array([-2.3, 0.45, 1.7, 37.3, 1000.3, -2e13 - 0.5, 2e13 + 0.5])


_SPOKEN = {"sigmoid": "the sigmoid", "tanh": "tanh", "relu": "ReLU"}


def _finite_difference_text(activation: str) -> str:
    return (f"your slopes match those of {activation} only approximately: that is what a "
            "finite difference gives, a slope measured from two nearby values, which loses "
            "digits to rounding (and, at very large |z|, where z ± h rounds back to z, all of "
            "them). The exercise asks for the derivative itself, the formula you derive by "
            "hand; it matches to about 1e-16 everywhere.")


def _finite_difference(name: str, activation: str) -> str:
    if name == "sigmoid_prime":
        return mistake("sigmoid_prime/finite-difference", _finite_difference_text(activation))
    if name == "tanh_prime":
        return mistake("tanh_prime/finite-difference", _finite_difference_text(activation))
    return mistake("relu_prime/finite-difference", _finite_difference_text(activation))


def _check_exact(ex: Check, name: str, reference, points: np.ndarray, activation: str) -> None:
    """The derived formula, not a measured slope: exact to float64's precision at ``points``."""
    label = f"{name}(z)"
    out = ex.array(ex.call(points, label=label), label, shape=points.shape)
    err = np.abs(np.asarray(out, dtype=float) - reference(points))
    if np.all(err <= _EXACT_ATOL):
        return
    worst = int(np.argmax(err))
    ex.fail(f"for z = {float(points[worst])!r} your {label} gave {float(out[worst])!r}; the "
            f"slope of {activation} there is {float(reference(points)[worst])!r}, off by "
            f"{err[worst]:.1e}.",
            _finite_difference(name, activation))


@exercise("sigmoid_prime")
def sigmoid_prime(ex: Check) -> None:
    """sigmoid_prime(z): the sigmoid's slope, elementwise, any shape; finite at z = ±1000."""

    def reference(z):
        s = _sigmoid(z)
        return s * (1 - s)

    def mistakes(z):
        s = _sigmoid(z)
        return [
            (s * (1 - z), mistake("sigmoid_prime/z-in-second-factor",
                              "your first factor is σ(z), but your second factor is built from "
                              "z itself, not from σ(z).")),
            (z * (1 - z), mistake("sigmoid_prime/z-for-output",
                              "your formula is written with the sigmoid's output a = σ(z), and "
                              "you applied it to z, the input your function is given.")),
            (s, mistake("sigmoid_prime/sigmoid-instead",
                    "that is σ(z) itself, the sigmoid's value, not its slope.")),
            (s * (1 + s), mistake("sigmoid_prime/plus-in-second-factor",
                              "your slope grows as σ(z) nears 1, where the sigmoid flattens: "
                              "the second factor has the wrong sign inside.")),
            (-s * (1 - s), mistake("sigmoid_prime/sign-flipped",
                               "the sign is flipped: the sigmoid rises, so its slope is "
                               "positive.")),
        ]

    _check_derivative(ex, "sigmoid_prime", reference, mistakes, _activation_inputs(ex),
                      mistake("sigmoid_prime/wrong-slope", _WRONG_SLOPE.format("the sigmoid")))
    _check_exact(ex, "sigmoid_prime", reference, _EXACT_POINTS, "the sigmoid")
    out = ex.call(np.array(0.0), label="sigmoid_prime(0)")
    ex.close(_scalar(ex, out, "sigmoid_prime(0)"), 0.25,
             f"sigmoid_prime(0) gave {fmt(out)}; finite differences of σ at 0 give 0.25.")
    # far from 0: a right value passes even where numpy warned (cosh overflowing to inf gives
    # the right 0, with a note); a nan from inf/inf is the wrong value, and named
    z = np.array([-1000.0, 1000.0])
    label = "sigmoid_prime([-1000, 1000])"
    out = ex.array(ex.call(z, label=label), label, shape=z.shape)
    if not np.all(np.isfinite(out)):
        ex.fail(f"{label} gave {fmt(out)}: not every value is finite.",
                mistake("sigmoid_prime/overflow",
                        "a number in your formula overflowed to inf far from 0 (np.exp(1000) is "
                        "inf), and inf/inf or inf·0 gives nan: the formula may be right, but "
                        "this form of it is not safe for large |z|; the notebook's sigmoid "
                        "is."))
    ex.close(out, np.zeros(2), f"{label} gave {fmt(out)}; far from 0 the sigmoid is flat, "
             "so its slope is 0.",
             hint=mistake("sigmoid_prime/not-finite",
                          "far from 0 your slopes are not 0: a value that should underflow to "
                          "0 came out as something else; print your intermediate values at "
                          "z = ±1000."),
             atol=1e-12)


@exercise("tanh_prime")
def tanh_prime(ex: Check) -> None:
    """tanh_prime(z): tanh's slope, elementwise, any shape."""

    def mistakes(z):
        t = np.tanh(z)
        return [
            (1 - z**2, mistake("tanh_prime/z-for-output",
                           "your formula is written with tanh's output a = tanh(z), and you "
                           "applied it to z, the input your function is given.")),
            (1 - t, mistake("tanh_prime/not-squared",
                        "the tanh term in your result is not squared.")),
            (t**2 - 1, mistake("tanh_prime/sign-flipped",
                           "the sign is flipped: tanh rises everywhere, so its slope is "
                           "positive.")),
            (1 - np.tanh(z**2), mistake("tanh_prime/z-squared",
                                    "you squared z inside the tanh, not the tanh.")),
            (4 * _sigmoid(z) * (1 - _sigmoid(z)), mistake("tanh_prime/sigmoid-form-missing-2",
                                                      "your sigmoid form lost the 2 inside σ "
                                                      "(tanh(z) = 2σ(2z) − 1, notebook 01): "
                                                      "the slope is taken at z, not at 2z.")),
        ]

    _check_derivative(ex, "tanh_prime", lambda z: 1 - np.tanh(z) ** 2, mistakes,
                      _activation_inputs(ex), mistake("tanh_prime/wrong-slope",
                                                      _WRONG_SLOPE.format("tanh")))
    _check_exact(ex, "tanh_prime", lambda z: 1 - np.tanh(z) ** 2, _EXACT_POINTS, "tanh")


_IF_ON_ARRAY = mistake(
    "relu_prime/if-on-array",
    "your relu_prime decides with an `if` (or `and`, `or`, `max`) on z, which is a whole "
    "array here: an `if` needs one True or False, and a comparison of an array gives one per "
    "entry. The slope is decided for each entry of z on its own.")


@exercise("relu_prime")
def relu_prime(ex: Check) -> None:
    """relu_prime(z): ReLU's slope, elementwise, any shape (at the kink z = 0 any subgradient)."""

    def mistakes(z):
        return [
            (np.maximum(z, 0), mistake("relu_prime/relu-instead",
                                   "that is ReLU itself, its value, not its slope.")),
            ((z < 0).astype(float), mistake("relu_prime/inverted",
                                        "the other way round: your slope is 1 where ReLU is "
                                        "flat and 0 where it rises.")),
            (np.sign(z), mistake("relu_prime/np-sign",
                             "np.sign gives −1 below zero, where ReLU is flat.")),
            (np.ones_like(z), mistake("relu_prime/nonzero-below-zero",
                                  "your slope is 1 for z < 0 too, where ReLU is flat "
                                  "(always 0).")),
        ]

    try:
        _check_derivative(ex, "relu_prime", lambda z: (z > 0).astype(float), mistakes,
                          _activation_inputs(ex), mistake("relu_prime/wrong-slope",
                                                          _WRONG_SLOPE.format("ReLU")))
    except CheckFailed as failure:
        # the general hint for this error lists the elementwise tools, nearly the fix
        if failure.mistake != "error/array-truth-value":
            raise
        raise CheckFailed(ex.name, failure.message, _IF_ON_ARRAY) from failure.__cause__
    _check_exact(ex, "relu_prime", lambda z: (z > 0).astype(float), _RELU_EXACT_POINTS, "ReLU")
    z = np.array([-1.0, 0.0, 1.0])
    out = ex.array(ex.call(z, label="relu_prime([-1, 0, 1])"), "relu_prime([-1, 0, 1])",
                   shape=(3,))
    # at the kink any value in [0, 1] is a valid subgradient (0, 1, or 0.5 as in
    # np.heaviside(z, 0.5)): all of them train a network the same way in practice
    if not 0.0 <= out[1] <= 1.0:
        ex.fail(f"relu_prime(0) gave {fmt(out[1])}; ReLU has a kink at 0, where any slope "
                "between its two sides, 0 and 1, is accepted.",
                mistake("relu_prime/value-at-zero",
                    "at the kink z = 0 your value lies outside [0, 1], the slopes of the two "
                    "sides and everything between them."))


# --- a prediction: vanishing gradients in a sigmoid stack (section 3) ----------------------


def _integer(ex: Check, name: str) -> int:
    value = ex.obj
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(
            float(value)) or float(value) != round(float(value)):
        ex.fail(f"{name} is {type(value).__name__} {fmt(value)}; expected a whole number.",
                mistake("predict_chain_depth/not-a-whole-number", "a depth counts layers: a "
                        "whole number, such as 7."))
    return int(round(float(value)))


#: The threshold of the depth prediction: one millionth.
DEPTH_THRESHOLD = 1e-6


def sigmoid_stack_depth(threshold: float = DEPTH_THRESHOLD) -> int:
    """The first depth at which the typical |∂a_L/∂a_0| of a sigmoid stack with w = 1, b = 0
    (2000 stacks, inputs from N(0, 1), seed 0) falls below ``threshold``: the run of section 3,
    panel (a)."""
    rng = np.random.default_rng(0)
    a, grad = rng.normal(size=2000), np.ones(2000)
    for depth in range(1, 200):
        s = _sigmoid(a)
        grad, a = grad * s * (1 - s), s
        if np.median(np.abs(grad)) < threshold:
            return depth
    raise AssertionError("the sigmoid stack kept its gradient for 200 layers")


@exercise("predict_chain_depth", kind="value")
def predict_chain_depth(ex: Check) -> None:
    """PREDICT_CHAIN_DEPTH: the depth at which a sigmoid stack (w = 1, b = 0) first has a
    gradient below one millionth."""
    depth = _integer(ex, "PREDICT_CHAIN_DEPTH")
    right = sigmoid_stack_depth()
    if depth == right:
        return
    said = f"PREDICT_CHAIN_DEPTH = {depth}; that is not the depth the run will show."
    if depth < 1:
        ex.fail(said, mistake("predict_chain_depth/not-a-whole-number",
                              "a depth counts layers, from 1 up."))
    if abs(depth - right) == 1:
        ex.fail(said, mistake("predict_chain_depth/off-by-one",
                              "one layer off: at depth L the product has L factors, one per "
                              "layer (the input a0 is not a layer). Count the depths 1, 2, 3, ... "
                              "and stop at the first one whose product is below 1e-6."))
    if depth < right:
        ex.fail(said, mistake("predict_chain_depth/too-shallow",
                              "too few layers: the slopes in this stack stay close to the "
                              "sigmoid's largest slope (after the first layer every z is a "
                              "sigmoid's output, between 0 and 1, where the slope is never below "
                              "0.19), so no layer shrinks the gradient much more than the "
                              "largest slope allows."))
    if depth <= 2 * right:
        ex.fail(said, mistake("predict_chain_depth/factor-too-large",
                              "too many layers: your factor per layer is larger than the "
                              "sigmoid's largest slope (0.5, say, is σ(0), the value, not the "
                              "slope)."))
    ex.fail(said, mistake("predict_chain_depth/vanishing-is-slow",
                          "vanishing is not a slow drift over many dozens of layers: every layer "
                          "multiplies the gradient by a factor well below 1, and a product of "
                          "such factors shrinks exponentially."))


# --- the worked example: two sigmoid neurons in a chain -------------------------------------

_CACHE_KEYS = ("x", "z1", "a1", "z2", "a2")
_GRAD_KEYS = ("dw2", "db2", "dw1", "db1")
_EXAMPLE = {"x": 0.05, "w1": 0.1, "b1": -0.1, "w2": 0.3, "b2": 0.3}  # CURRICULUM's numbers
_EXAMPLE_Y = 0.01


def _chain_forward(x, w1, b1, w2, b2) -> dict[str, float]:
    z1 = w1 * x + b1
    a1 = float(_sigmoid(z1))
    z2 = w2 * a1 + b2
    return {"x": x, "z1": z1, "a1": a1, "z2": z2, "a2": float(_sigmoid(z2))}


def _chain_loss(y: float, x, w1, b1, w2, b2) -> float:
    return 0.5 * (y - _chain_forward(x, w1, b1, w2, b2)["a2"]) ** 2


def _chain_numeric_gradients(p: dict[str, float], y: float) -> dict[str, float]:
    """dw1, db1, dw2, db2 of L = ½(y − a2)² by central differences of the reference."""
    names = ("x", "w1", "b1", "w2", "b2")
    args = tuple(p[name] for name in names)
    return {
        f"d{name}": _central_difference(lambda *a: _chain_loss(y, *a), args, i)
        for i, name in enumerate(names)
        if name != "x"
    }


def _random_chain(ex: Check) -> tuple[dict[str, float], float]:
    values = ex.rng.uniform(-1.5, 1.5, size=5)
    params = {k: float(v) for k, v in zip(("x", "w1", "b1", "w2", "b2"), values, strict=True)}
    return params, float(ex.rng.uniform(0, 1))


def _returned_dict(ex: Check, out, label: str, keys: tuple[str, ...]) -> dict[str, float]:
    if not isinstance(out, dict):
        ex.fail(f"{label} returned {type(out).__name__} {fmt(out)}; expected a dict with "
                f"the keys {', '.join(keys)}.",
                mistake("chain/return-dict",
                    "the docstring asks for a dict, one entry per name, not "
                    f"a {type(out).__name__}."))
    missing = [k for k in keys if k not in out]
    if missing:
        ex.fail(f"the dict from {label} has no key {', '.join(map(repr, missing))}; it has "
                f"{', '.join(map(repr, out))}.", mistake("chain/missing-keys",
                                                     "some keys the docstring names are "
                                                     "missing or spelt otherwise."))
    return {k: _scalar(ex, out[k], f"{label}[{k!r}]") for k in keys}


@exercise("chain_forward")
def chain_forward(ex: Check) -> None:
    """chain_forward(x, w1, b1, w2, b2) -> {x, z1, a1, z2, a2}: two sigmoid neurons."""
    cases = [_EXAMPLE] + [_random_chain(ex)[0] for _ in range(ex.trials)]
    for p in cases:
        label = "chain_forward(x={x:.3g}, w1={w1:.3g}, b1={b1:.3g}, w2={w2:.3g}, " \
                "b2={b2:.3g})".format(**p)
        out = _returned_dict(ex, ex.call(*p.values(), label=label), label, _CACHE_KEYS)
        want = _chain_forward(*p.values())
        z1, a1 = want["z1"], want["a1"]
        mistakes = {
            "z1": [(p["w1"] * p["x"], mistake("chain_forward/b1-missing",
                                          "your z1 has no bias b1 in it."))],
            "a1": [(z1, mistake("chain_forward/a1-no-sigmoid",
                                "your a1 equals z1: the first neuron's activation is missing."))],
            "z2": [(p["w2"] * z1 + p["b2"], mistake("chain_forward/z1-for-a1",
                                                "your second neuron takes z1, the first "
                                                "neuron's pre-activation, as its input.")),
                   (p["w2"] * a1, mistake("chain_forward/b2-missing",
                                      "your z2 has no bias b2 in it."))],
            "a2": [(want["z2"], mistake("chain_forward/a2-no-sigmoid",
                                    "your a2 equals z2: the second neuron's activation is "
                                    "missing."))],
        }
        for key in _CACHE_KEYS:
            ex.close(out[key], want[key],
                     f"{label} gave {key} = {fmt(out[key])}; expected {fmt(want[key])}.",
                     mistakes=mistakes.get(key, ()),
                     hint=mistake("chain_forward/wrong-value",
                              f"your {key} is the first value that differs: follow the arrow "
                              "diagram above to it, one arrow at a time."))


#: The backward walk of the worked example, in the order the student takes it.
DELTA_KEYS = ("dL_da2", "dL_dz2", "dL_dw2", "dL_db2", "dL_da1", "dL_dz1", "dL_dw1", "dL_db1")


def _deltas(x, w1, b1, w2, b2, y) -> dict[str, float]:
    c = _chain_forward(x, w1, b1, w2, b2)
    da2 = c["a2"] - y
    dz2 = da2 * c["a2"] * (1 - c["a2"])
    da1 = dz2 * w2
    dz1 = da1 * c["a1"] * (1 - c["a1"])
    return {"dL_da2": da2, "dL_dz2": dz2, "dL_dw2": dz2 * c["a1"], "dL_db2": dz2,
            "dL_da1": da1, "dL_dz1": dz1, "dL_dw1": dz1 * x, "dL_db1": dz1}


@exercise("chain_deltas", kind="value")
def chain_deltas(ex: Check) -> None:
    """CHAIN_DELTAS: the worked example's gradients by hand, ∂L/∂a2 down to ∂L/∂b1, as numbers
    (three significant digits are enough)."""
    given = _number_dict(ex, "CHAIN_DELTAS", DELTA_KEYS)
    p, y = _EXAMPLE, _EXAMPLE_Y
    c = _chain_forward(*p.values())
    x, a1, a2, w2 = p["x"], c["a1"], c["a2"], p["w2"]
    want = _deltas(*p.values(), y)
    da2, dz2, dz1 = want["dL_da2"], want["dL_dz2"], want["dL_dz1"]
    s2, s1 = float(_sigmoid(a2)), float(_sigmoid(a1))
    slope_twice = "that σ′ is taken at {a}, the output, as if σ were applied twice."
    wrong = {
        "dL_da2": [(-da2, mistake("chain_deltas/da2-sign",
                                  "the size is right and the sign is flipped: L grows when a2 "
                                  "moves away from y = 0.01, and a2 is above it.")),
                   (2 * da2, mistake("chain_deltas/half-forgotten",
                                     "twice too big: the ½ in L = ½(y − a2)² is missing.")),
                   (0.5 * da2**2, mistake("chain_deltas/loss-for-gradient",
                                          "that is the loss itself, not its slope."))],
        "dL_dz2": [(da2, mistake("chain_deltas/slope-missing",
                                 "that is ∂L/∂a2 again: the sigmoid between z2 and a2 has a "
                                 "slope of its own.")),
                   (da2 * s2 * (1 - s2), mistake("chain_deltas/sigmoid-twice",
                                                 slope_twice.format(a="a2"))),
                   (da2 * a2, mistake("chain_deltas/slope-is-output",
                                      "the sigmoid's slope at z2 is not a2, its output."))],
        "dL_dw2": [(dz2, mistake("chain_deltas/input-missing",
                                 "that is ∂L/∂z2: the factor ∂z2/∂w2 is missing.")),
                   (dz2 * w2, mistake("chain_deltas/weight-for-input",
                                      "you multiplied by w2 itself; in z2 = w2·a1 + b2, w2 is "
                                      "multiplied by something else."))],
        "dL_db2": [(dz2 * a1, mistake("chain_deltas/bias-times-input",
                                      "that is ∂L/∂w2: b2 is added in z2, not multiplied by "
                                      "a1.")),
                   (1.0, mistake("chain_deltas/upstream-missing",
                                 "that is the local derivative alone: the gradient arriving "
                                 "from above is missing."))],
        "dL_da1": [(dz2 * a1, mistake("chain_deltas/swap",
                                      "that is ∂L/∂w2; the multiply node w2·a1 hands a1 the "
                                      "other factor.")),
                   (dz2, mistake("chain_deltas/local-factor-missing",
                                 "that is ∂L/∂z2 alone: the local derivative ∂z2/∂a1 is "
                                 "missing."))],
        "dL_dz1": [(dz2 * w2, mistake("chain_deltas/slope-missing",
                                      "that is ∂L/∂a1 again: the first sigmoid has a slope of "
                                      "its own.")),
                   (dz2 * w2 * s1 * (1 - s1), mistake("chain_deltas/sigmoid-twice",
                                                      slope_twice.format(a="a1"))),
                   (dz2 * a1 * (1 - a1), mistake("chain_deltas/da1-w2-missing",
                                                 "the factor from ∂L/∂a1 is missing: your "
                                                 "∂L/∂z1 skips the node z2 = w2·a1 + b2."))],
        "dL_dw1": [(dz1, mistake("chain_deltas/input-missing",
                                 "that is ∂L/∂z1: the factor ∂z1/∂w1 is missing.")),
                   (dz1 * p["w1"], mistake("chain_deltas/weight-for-input",
                                           "you multiplied by w1 itself; in z1 = w1·x + b1, w1 "
                                           "is multiplied by something else."))],
        "dL_db1": [(dz1 * x, mistake("chain_deltas/bias-times-input",
                                     "that is ∂L/∂w1: b1 is added in z1, not multiplied by x.")),
                   (1.0, mistake("chain_deltas/upstream-missing",
                                 "that is the local derivative alone: the gradient arriving "
                                 "from above is missing."))],
    }
    for key in DELTA_KEYS:
        # by hand, with the forward values rounded to 3 digits: a 1 % tolerance
        ex.close(given[key], want[key],
                 f"CHAIN_DELTAS[{key!r}] is {given[key]:.6g}; that is not it (to 1 %).",
                 mistakes=wrong[key],
                 hint=mistake("chain_deltas/wrong-entry",
                              "this entry is the one above it in the walk times one local "
                              "derivative: which node lies between them, and what is its slope "
                              "at the example's values?"),
                 rtol=1e-2, atol=1e-7)


def _call_with_cache(ex: Check, cache: dict, y: float, w2: float, label: str):
    """The student's chain_backward(cache, y, w2); a NameError on a name the cache holds
    (z1, a1, ...) says where the value is, not "run the cells above"."""
    try:
        return ex.call(cache, y, w2, label=label)
    except CheckFailed as failure:
        cause = failure.__cause__
        # the grader rebuilds the student's NameError from its message, without .name
        named = re.fullmatch(r"name '(\w+)' is not defined", str(cause))
        name = named.group(1) if isinstance(cause, NameError) and named else None
        if name in _CACHE_KEYS:
            raise CheckFailed(
                ex.name, failure.message,
                mistake("chain_backward/name-in-cache",
                        f"`{name}` is not a variable inside chain_backward: it is a key of the "
                        "cache dict the function is given, which your code never read it "
                        "from."),
            ) from cause
        raise


@exercise("chain_backward")
def chain_backward(ex: Check) -> None:
    """chain_backward(cache, y, w2) -> {dw1, db1, dw2, db2} for L = ½(y − a2)²."""
    cases = [(_EXAMPLE, _EXAMPLE_Y)] + [_random_chain(ex) for _ in range(ex.trials)]
    for p, y in cases:
        cache = _chain_forward(*p.values())
        given = dict(cache)
        label = f"chain_backward(cache, y={y:.3g}, w2={p['w2']:.3g})"
        out = _returned_dict(ex, _call_with_cache(ex, given, y, p["w2"], label), label,
                             _GRAD_KEYS)
        if given != cache:
            ex.fail(f"{label} changed the cache it was given.",
                    mistake("chain_backward/cache-changed",
                        "read the values from the cache; store your results in a new dict."))
        x, a1, a2 = cache["x"], cache["a1"], cache["a2"]
        numeric = _chain_numeric_gradients(p, y)
        # the quantities a correct backward pass goes through, and where bugs branch off
        da2 = a2 - y
        dz2 = da2 * a2 * (1 - a2)
        s2 = float(_sigmoid(a2))
        dz2_sigma_of_a = da2 * s2 * (1 - s2)
        dz1 = dz2 * p["w2"] * a1 * (1 - a1)
        s1 = float(_sigmoid(a1))
        mistakes = {
            "dw2": [(dz2, mistake("chain_backward/dw2-a1-missing",
                              "your dw2 equals ∂L/∂z2: the input of w2 is missing.")),
                    (dz2 * x, mistake("chain_backward/dw2-uses-x",
                                  "your dw2 uses x, the network's input; w2 multiplies the "
                                  "input of layer 2, which is a1, not x.")),
                    (dz2_sigma_of_a * a1, mistake("chain_backward/dz2-sigmoid-twice-2",
                                              "your dw2 takes the sigmoid's slope at a2, the "
                                              "output, as if σ were applied twice.")),
                    (-dz2 * a1, mistake("chain_backward/da2-sign",
                                    "your dw2 has the right size and the wrong sign: look at "
                                    "∂L/∂a2.")),
                    (da2 * a1, mistake("chain_backward/dz2-slope-missing",
                                   "your dw2 skips the second sigmoid: its slope is missing "
                                   "from ∂L/∂z2."))],
            "db2": [(dz2_sigma_of_a, mistake("chain_backward/dz2-sigmoid-twice",
                                         "your db2 takes the sigmoid's slope at a2, the output, "
                                         "as if σ were applied twice.")),
                    (dz2 * a1, mistake("chain_backward/db2-times-a1",
                                   "your db2 is multiplied by a1, as if b2 were a weight on "
                                   "a1; b2 is added in z2.")),
                    (-dz2, mistake("chain_backward/da2-sign",
                               "your db2 has the right size and the wrong sign: look at "
                               "∂L/∂a2."))],
            "dw1": [(dz2 * a1 * (1 - a1) * x, mistake("chain_backward/da1-w2-missing",
                                                  "your dw1 skips a factor between ∂L/∂z2 and "
                                                  "∂L/∂a1: the local derivative of z2 with "
                                                  "respect to a1 is missing.")),
                    (dz1, mistake("chain_backward/dw1-x-missing",
                              "your dw1 equals ∂L/∂z1: the input of w1 is missing.")),
                    (dz1 * a1, mistake("chain_backward/dw1-uses-a1",
                                   "your dw1 uses a1, the output of layer 1; w1 multiplies the "
                                   "input of layer 1, which is x, not a1.")),
                    (dz2 * p["w2"] * s1 * (1 - s1) * x, mistake("chain_backward/dz1-sigmoid-twice",
                                                            "your dw1 takes the first sigmoid's "
                                                            "slope at a1, the output, as if σ "
                                                            "were applied twice.")),
                    (dz2 * p["w2"] * x, mistake("chain_backward/dz1-slope-missing",
                                            "your dw1 skips the first sigmoid: its slope is "
                                            "missing from ∂L/∂z1."))],
            "db1": [(dz1 * x, mistake("chain_backward/db1-times-x",
                                  "your db1 is multiplied by x, as if b1 were a weight on x; "
                                  "b1 is added in z1.")),
                    (dz2 * a1 * (1 - a1), mistake("chain_backward/da1-w2-missing",
                                              "your db1 skips a factor between ∂L/∂z2 and "
                                              "∂L/∂a1: the local derivative of z2 with respect "
                                              "to a1 is missing."))],
        }
        for key in _GRAD_KEYS:
            ex.close(
                out[key], numeric[key],
                f"{label} gave {key} = {fmt(out[key], 6)}; finite differences of the loss give "
                f"{fmt(numeric[key], 6)}.",
                mistakes=mistakes[key],
                hint=mistake("chain_backward/wrong-gradient",
                         f"your {key} is the first gradient that differs, in the order dw2, "
                         "db2, dw1, db1: compare the steps that lead to it with your "
                         "CHAIN_DELTAS, which passed its check."),
                rtol=1e-5, atol=1e-9,
            )


# --- Value: a scalar autograd ---------------------------------------------------------------


def _number(ex: Check, name: str, hint: str) -> float:
    """The student's constant as a float, or a failed check saying what was expected."""
    got = ex.obj
    if isinstance(got, bool) or not isinstance(got, (int, float, np.integer, np.floating)):
        ex.fail(f"{name} is {type(got).__name__} {fmt(got)}; expected a number.", hint)
    return float(got)


@exercise("dc_da", kind="value")
def dc_da(ex: Check) -> None:
    """DC_DA: for c = a·b at a = 2, b = −3, the local derivative ∂c/∂a."""
    got = _number(ex, "DC_DA", mistake("dc_da/not-a-number",
                                       "assign the plain number you found, not a formula "
                                       "in a string."))
    ex.close(got, -3.0, f"DC_DA is {fmt(got)}; that is not ∂c/∂a for c = a·b at a = 2, b = −3.",
             mistakes=[
                 (2.0, mistake("dc_da/own-value",
                               "2 is a itself. Nudge a from 2 to 2.001 with b = −3 held fixed: "
                               "by how much does c change, per unit of a?")),
                 (-6.0, mistake("dc_da/product", "−6 is c, the product, not how fast it "
                                "changes with a.")),
                 (1.0, mistake("dc_da/add-gate", "1 is the local derivative of a sum. For a "
                               "product, how much does c change when a grows by 1?")),
                 (3.0, mistake("dc_da/sign", "right size, wrong sign: with b negative, c "
                               "falls when a grows.")),
             ],
             hint=mistake("dc_da/wrong-value", "compute c at a = 2 and at a = 2.001 (b = −3 "
                          "fixed) and divide the change of c by the change of a."),
             rtol=1e-3, atol=1e-6)


@exercise("a_plus_a_grad", kind="value")
def a_plus_a_grad(ex: Check) -> None:
    """A_PLUS_A_GRAD: a.grad after b.backward() for a = Value(3.0), b = a + a."""
    got = _number(ex, "A_PLUS_A_GRAD", mistake("a_plus_a_grad/not-a-number",
                                               "assign the number you predict, as a plain "
                                               "number."))
    ex.close(got, 2.0, f"A_PLUS_A_GRAD is {fmt(got)}; that is not what a.grad holds after "
             "b.backward() for b = a + a.",
             mistakes=[
                 (1.0, mistake("a_plus_a_grad/one-edge",
                               "1 counts one edge. a reaches b along two edges, each with local "
                               "derivative 1: what does section 2 say about a value that "
                               "reaches the output along several paths?")),
                 (6.0, mistake("a_plus_a_grad/data", "6 is b's value (.data), not a gradient: "
                               "if a grows by 0.001, by how much does b grow?")),
                 (3.0, mistake("a_plus_a_grad/data", "3 is a's value (.data), not a gradient: "
                               "if a grows by 0.001, by how much does b grow?")),
                 (0.0, mistake("a_plus_a_grad/zero", "backward() fills the grad of every Value "
                               "b was computed from, a included.")),
             ],
             hint=mistake("a_plus_a_grad/wrong-value", "b = 2a: how fast does b change with "
                          "a? The answer is what a right backward() must put in a.grad."))


def _leaf_gradients(ex: Check, Value, build, point: tuple[float, ...], what: str):
    """(output data, the leaves' grads after backward, finite differences of the forward)."""

    def forward(*numbers: float):
        leaves = [ex.call(n, fn=Value, label=f"Value({n:.3g})") for n in numbers]
        out = ex.call(*leaves, fn=build, label=what)
        return leaves, out

    leaves, out = forward(*point)
    ex.call(fn=out.backward, label=f"backward() of {what}")
    grads = np.array([_scalar(ex, leaf.grad, f"a leaf's .grad in {what}") for leaf in leaves])

    def data(*numbers: float) -> float:
        return _scalar(ex, forward(*numbers)[1].data, f"the .data of {what}")

    numeric = np.array([_central_difference(data, point, i) for i in range(len(point))])
    return out, grads, numeric


def _expect_grads(ex: Check, what: str, grads, numeric, mistakes=(), hint=None) -> None:
    ex.close(grads, numeric,
             f"after backward() on {what}, the leaves' grads are {fmt(grads)}; finite "
             f"differences of the forward pass give {fmt(numeric)}.",
             mistakes=mistakes, hint=hint, rtol=1e-4, atol=1e-6)


_ORDER_HINT = (
    mistake("value/topological-order",
        "a node passed its gradient on before every node that uses it had added its share, or "
        "passed it on more than once. Check your order against the rule: each node once, "
        "after everything that uses it.")
)
_ACCUMULATE_HINT = (
    mistake("value/gradient-not-accumulated",
        "a Value used twice kept only the gradient from its last use: the second edge "
        "overwrote what the first had brought instead of adding to it.")
)


_SHORT, _LONG = 6, 19  # doublings v = v + v: 2**6 and 2**19 paths from the output down;
# walking every path then costs ~0.3 s or more, far above timing noise on any machine


def _backward_seconds(ex: Check, Value, doublings: int) -> float:
    """The time backward() takes on v = Value(0.5) doubled ``doublings`` times, whose
    gradient must come out right (2**doublings)."""
    leaf = ex.call(0.5, fn=Value, label="Value(0.5)")
    out = leaf
    for _ in range(doublings):
        out = ex.call(out, fn=lambda v: v + v, label="v + v")
    what = f"v = Value(0.5) doubled {doublings} times (v = v + v)"
    start = time.perf_counter()
    ex.call(fn=out.backward, label=f"backward() of {what}")
    seconds = time.perf_counter() - start
    _expect_grads(ex, what, np.array([_scalar(ex, leaf.grad, "the leaf's .grad")]),
                  np.array([2.0**doublings]), hint=_ORDER_HINT)
    return seconds


def _check_each_node_once(ex: Check, Value) -> None:
    """backward() visits each node once. Doubling v = v + v adds 2 nodes and doubles the
    number of paths: a pass that pushes a gradient down every path separately gets the
    right numbers with 2**13 times the work on the longer chain. Work is measured as time
    (the grader holds the student's Values in another process, where nothing here can count
    them). A busy machine only ever makes a call slower, so each side counts its fastest
    of several runs: a short chain slowed once by the scheduler must not excuse a long one."""
    long = _backward_seconds(ex, Value, _LONG)
    if long < 0.01:
        return
    short = min(_backward_seconds(ex, Value, _SHORT) for _ in range(5))
    for _ in range(2):
        if long < 50 * short:
            return
        long = min(long, _backward_seconds(ex, Value, _LONG))  # a second look before it counts
    ex.fail(f"on v = Value(0.5) doubled {_LONG} times (v = v + v), your backward() gets the "
            f"right gradient, {2 ** _LONG}, but takes far longer than on the same chain "
            f"doubled {_SHORT} times: the longer chain has {2 * _LONG + 1} nodes to the "
            f"shorter one's {2 * _SHORT + 1}, but 2^{_LONG} = {2 ** _LONG} paths from the "
            f"output to the leaf to its {2 ** _SHORT}. Your backward() (its order, or its "
            "pass) follows each path separately, so its time doubles with every doubling.",
            mistake("value/every-path",
                    "a backward pass that walks every path from the output separately adds up "
                    "the right numbers, but the number of paths grows exponentially with "
                    "depth. The rule of section 5 is each node once, after everything that "
                    "uses it: how can a node's gradient be complete before it passes it on?"))


def _check_only_adds(ex: Check, Value) -> None:
    """backward() adds to .grad and never resets what a leaf held before (section 8's loop
    without zeroing depends on it)."""
    a, b = (ex.call(n, fn=Value, label=f"Value({n:g})") for n in (2.0, -3.0))
    a.grad, b.grad = 0.5, 0.25
    c = ex.call(a, b, fn=lambda a, b: a * b, label="c = a * b")
    ex.call(fn=c.backward, label="backward() of c = a * b")
    got = np.array([_scalar(ex, leaf.grad, "a leaf's .grad") for leaf in (a, b)])
    expected = np.array([0.5 - 3.0, 0.25 + 2.0])
    if np.allclose(got, expected, rtol=1e-6, atol=1e-9):
        return
    hint = None
    if np.allclose(got, [-3.0, 2.0], rtol=1e-6, atol=1e-9):
        hint = mistake("value/backward-resets-grads",
                       "your backward() sets the gradients it will fill to 0 first, so what "
                       "a leaf held before is lost. The notebook's backward() only adds to "
                       ".grad; setting the gradients to 0 is the training loop's job "
                       "(section 8), and a loop that skips it must see the old gradients.")
    ex.fail(f"with a.grad = 0.5 and b.grad = 0.25 already set, c = a * b at a = 2, b = −3, "
            f"after c.backward() a.grad and b.grad are {fmt(got)}; a backward() that adds "
            f"leaves {fmt(expected)}.", hint)


def _deep_chain(x, w):
    out = x
    for _ in range(12):
        out = (out * w + 0.1).tanh()
    return out


@exercise("value", kind="class")
def value(ex: Check) -> None:
    """Value: +, *, tanh and a backward pass whose leaf gradients match finite differences."""
    Value = ex.obj
    a = ex.call(3.0, fn=Value, label="Value(3.0)")
    for attr in ("data", "grad", "backward"):
        if not hasattr(a, attr):
            ex.fail(f"Value(3.0) has no attribute `{attr}`.",
                    mistake("value/parts-missing",
                        "keep the parts of the class that were given: data, grad, backward."))
    if _scalar(ex, a.data, "Value(3.0).data") != 3.0:
        ex.fail(f"Value(3.0).data is {fmt(a.data)}; expected 3.0.")

    # one operation at a time: the local derivatives the student writes
    _, grads, numeric = _leaf_gradients(ex, Value, lambda a, b: a * b, (2.0, -3.0), "c = a * b")
    if np.allclose(grads, 0):
        ex.fail(f"after c.backward() with c = a * b, a.grad and b.grad are {fmt(grads)}; "
                f"finite differences give {fmt(numeric)}.",
                mistake("value/no-seed-gradient",
                    "nothing reached the leaves: every gradient backward passes on is a "
                    "product that starts with the output's own gradient, dc/dc. What is it, "
                    "and where does your backward set it?"))
    _expect_grads(ex, "c = a * b with a = 2, b = -3", grads, numeric, mistakes=[
        (np.array([2.0, -3.0]), mistake("value/mul-swapped",
                                    "each input got its own value as its local derivative "
                                    "(a.grad = a, b.grad = b). Recall DC_DA: how fast does c "
                                    "change with a?")),
        (np.array([1.0, 1.0]), mistake("value/mul-as-add",
                                   "both local derivatives of your * are 1, the add gate's; "
                                   "how fast a product changes with a depends on b.")),
    ])
    x = 0.7
    t = math.tanh(x)
    _, grads, numeric = _leaf_gradients(ex, Value, lambda v: v.tanh(), (x,), "t = x.tanh()")
    _expect_grads(ex, f"t = x.tanh() with x = {x}", grads, numeric, mistakes=[
        (np.array([1 - x**2]), mistake("value/tanh-x-for-output",
                                   "your local derivative of tanh uses the input x where your "
                                   "tanh_prime of section 3 uses the output t.")),
        (np.array([t]), mistake("value/tanh-instead",
                            "your local derivative of tanh is tanh(x), the forward value, not "
                            "its slope.")),
        (np.array([1 - t]), mistake("value/tanh-not-squared",
                                "your local derivative of tanh is 1 − t: compare it with your "
                                "tanh_prime of section 3 at x = 0.7.")),
    ])

    # expressions where every Value is used once: the chain rule along one path
    _, grads, numeric = _leaf_gradients(
        ex, Value, lambda x, y, z: (x + y) * z,
        (1.0, 2.0, -3.0), "f = (x + y) * z")
    _expect_grads(ex, "f = (x + y) * z with x = 1, y = 2, z = -3", grads, numeric,
                  hint=_ORDER_HINT)
    # Values used more than once: gradients must accumulate, in the right order
    _, grads, numeric = _leaf_gradients(ex, Value, lambda a: a + a, (3.0,), "b = a + a")
    _expect_grads(ex, "b = a + a", grads, numeric,
                  mistakes=[(np.array([1.0]), _ACCUMULATE_HINT)], hint=_ACCUMULATE_HINT)
    _, grads, numeric = _leaf_gradients(ex, Value, lambda a: a * a, (3.0,), "b = a * a")
    _expect_grads(ex, "b = a * a with a = 3", grads, numeric,
                  mistakes=[(np.array([3.0]), _ACCUMULATE_HINT)], hint=_ACCUMULATE_HINT)

    _, grads, numeric = _leaf_gradients(ex, Value, _deep_chain, (0.4, 0.9),
                                        "a chain of 12 tanh neurons")
    _expect_grads(ex, "a chain of 12 tanh neurons (x, w)", grads, numeric, hint=_ORDER_HINT)

    def shared(x, w):
        u = x * w  # u is used directly and again, deeper, through two tanh nodes
        return u + (u.tanh() * w).tanh()

    _, grads, numeric = _leaf_gradients(ex, Value, shared, (0.8, -1.3),
                                        "f = u + tanh(tanh(u) * w) with u = x * w")
    _expect_grads(ex, "f = u + tanh(tanh(u) * w) with u = x * w", grads, numeric,
                  hint=_ORDER_HINT)
    for _ in range(ex.trials):
        point = tuple(float(v) for v in ex.rng.uniform(-1.5, 1.5, size=3))

        def mixed(x, y, z):
            s = x * y + z
            return (s * s.tanh() + x * z).tanh() * (y + s)

        _, grads, numeric = _leaf_gradients(ex, Value, mixed, point,
                                            "f = tanh(s·tanh(s) + x·z)·(y + s), s = x·y + z")
        _expect_grads(ex, f"f = tanh(s·tanh(s) + x·z)·(y + s) with s = x·y + z at "
                      f"{fmt(np.array(point), 3)}", grads, numeric, hint=_ORDER_HINT)
    _check_each_node_once(ex, Value)
    _check_only_adds(ex, Value)


_CHOICES = ("w1", "w2", "b", "none")


@exercise("zero_gradient_weight", kind="value")
def zero_gradient_weight(ex: Check) -> None:
    """ZERO_GRADIENT_WEIGHT: which parameter of tanh(w1·x1 + w2·x2 + b) at x2 = 0 gets 0."""
    got = ex.obj
    choice = got.strip().lower().replace(" ", "") if isinstance(got, str) else None
    if choice not in _CHOICES:
        ex.fail(f"ZERO_GRADIENT_WEIGHT is {fmt(got)}; expected one of the strings "
                f"{', '.join(repr(c) for c in _CHOICES)}.",
                mistake("zero_gradient_weight/not-a-choice",
                        "answer with one of the listed strings, in quotes."))
    wrong = {
        "w1": mistake("zero_gradient_weight/negative-weight",
                      "w1 is negative, but a gradient does not care about the sign of the "
                      "weight: the multiply gate hands w1 the arriving gradient times its "
                      "other input, x1 = 2."),
        "b": mistake("zero_gradient_weight/bias-no-input",
                     "the bias has no input, but it hangs on an add gate, which passes the "
                     "arriving gradient on unchanged."),
        "none": mistake("zero_gradient_weight/every-weight-learns",
                        "one multiply gate has an input that is 0: what does that gate hand "
                        "to the other side?"),
    }
    if choice != "w2":
        ex.fail(f"ZERO_GRADIENT_WEIGHT is {got!r}; that parameter's gradient is not 0 here.",
                wrong[choice])


# --- the gradient check (section 6) ---------------------------------------------------------


def _reference_relative_error(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    scale = np.maximum(np.abs(a) + np.abs(b), 1e-12)
    return float(np.max(np.abs(a - b) / scale, initial=0.0))


def _relative_number(ex: Check, a, b) -> tuple[float, str]:
    def show(v):
        return f"{v:g}" if isinstance(v, float) else fmt(v)

    label = f"relative_error({show(a)}, {show(b)})"
    out = ex.call(a, b, label=label)
    if isinstance(out, np.ndarray) and out.size != 1:
        ex.fail(f"{label} returned an array of shape {out.shape}; expected one number.",
                mistake("relative_error/not-one-number",
                        "the error of two arrays is one number: the worst entry's."))
    return _scalar(ex, out, label), label


def _matches(got: float, want: float) -> bool:
    return math.isclose(got, want, rel_tol=1e-4, abs_tol=1e-12)


@exercise("relative_error")
def relative_error(ex: Check) -> None:
    """relative_error(a, b) -> float: the six properties of the text, each tested on its own.

    The text fixes properties, not one formula, so the check asks each property in turn and
    compares values only where the properties fix them (0, 1, the worst entry of the
    student's own entries). A formula that meets all six passes; one that breaks a property
    fails naming that property, and the classic formulas are named only where the student's
    value is theirs at that very input.
    """
    # 2. symmetric; a signed difference flips its sign
    forth, label = _relative_number(ex, 2.0, 0.5)
    back, _ = _relative_number(ex, 0.5, 2.0)
    if not math.isclose(forth, back, rel_tol=1e-9, abs_tol=1e-15):
        if math.isclose(forth, -back, rel_tol=1e-9):
            ex.fail(f"{label} gave {forth:.6g} but relative_error(0.5, 2.0) gave {back:.6g}.",
                    mistake("relative_error/signed",
                            "your error changes sign when a and b swap: a distance between "
                            "two gradients has no sign, and the text asks for 0 to 1."))
        ex.fail(f"{label} gave {forth:.6g} but relative_error(0.5, 2.0) gave {back:.6g}.",
                mistake("relative_error/not-symmetric",
                        "swapping a and b changes your error: you divide by one argument "
                        "alone, or treat the two differently."))
    # 1. scale-free, on numbers of one sign and of opposite signs
    for a, b in ((2.0, 0.5), (-3.0, 1.5)):
        base, _ = _relative_number(ex, a, b)
        for k in (1e-3, 1e3):
            got, label = _relative_number(ex, a * k, b * k)
            if not _matches(got, base):
                hint = (mistake("relative_error/not-scale-free",
                                "that is the absolute difference: it is not scale-free "
                                "(gradients 1000 times larger give an error 1000 times "
                                "larger).")
                        if _matches(got, abs(a - b) * k) else
                        mistake("relative_error/not-scale-free",
                                "multiplying both gradients by the same number changes your "
                                "error."))
                ex.fail(f"{label} gave {got:.6g}, but for numbers {1 / k:g} times that "
                        f"size it gave {base:.6g}: your error is not scale-free "
                        "(property 1).", hint)
    # 3. 0 for equal gradients
    for a in (2.5, -1e-3):
        got, label = _relative_number(ex, a, a)
        if not got == 0.0:
            ex.fail(f"{label} gave {got:.6g}; equal gradients differ by nothing (property 3).",
                    mistake("relative_error/equal-not-zero",
                            "for a = b your error is not 0: what is the difference of two "
                            "equal numbers, and what does your function add to it?"))
    # 3. exactly 1 where nothing of the gradient is right; opposite signs before (1, -1),
    # where a division by |a + b| would stop the check with a ZeroDivisionError
    for a, b in ((-2.0, 5.0), (1.0, 0.0), (0.0, -3.0), (1.0, -1.0)):
        got, label = _relative_number(ex, a, b)
        if _matches(got, 1.0):
            continue
        d = abs(a - b)
        what = ("a and b have opposite signs" if a * b < 0 else "one of them is 0")
        named = [
            (d / max(abs(a), abs(b)), mistake(
                "relative_error/above-one",
                f"your scale is the larger of |a| and |b|: for a = {a:g}, b = {b:g} your "
                f"error is {got:.6g}, above the limit of 1 the text asks for.")),
            (d / abs(a + b) if a + b else math.inf, mistake(
                "relative_error/divides-by-sum",
                "you divide by |a + b|, which is 0 for a = 1, b = -1.")),
            (d / (abs(a) + abs(b)) / 2, mistake(
                "relative_error/halved",
                f"your error is half the one the text asks for: for a = {a:g}, b = {b:g} it "
                "gives 0.5, not 1.")),
        ]
        hint = next((h for wrong, h in named if _matches(got, wrong)), mistake(
            "relative_error/not-one-at-opposite",
            f"{what}: nothing of the gradient is right, and property 3 asks for exactly 1 "
            "there. Which scale makes the difference equal to it in that case?"))
        ex.fail(f"{label} gave {got:.6g}; {what}, where the text asks for exactly 1.", hint)
    # 1 and 3 for gradients of the size the text starts from (1e-7 and below): a small
    # number added to the scale (or a floor under it) is no longer small next to them
    for a, b in ((1.0, -1.0), (2.0, 0.5)):
        base, _ = _relative_number(ex, a, b)
        got, label = _relative_number(ex, a * 1e-9, b * 1e-9)
        if _matches(got, base):
            continue
        message = (f"{label} gave {got:.6g}, but for numbers 1e9 times that size it gave "
                   f"{base:.6g}: gradients of size 1e-9 read differently (properties 1 and "
                   "3).")
        if got < base:
            ex.fail(message, mistake(
                "relative_error/epsilon-swamps-small",
                "a small number in your scale (added to it, or a floor under it) is small "
                "next to gradients of size 1, but not next to gradients of size 1e-9: there "
                "it outweighs the gradients' own sizes and shrinks the error towards 0. "
                "Gradients that small "
                "are the ones the text starts from; property 4 asks for safety only where "
                "the scale itself is 0."))
        ex.fail(message, mistake("relative_error/not-scale-free",
                                 "multiplying both gradients by the same number changes your "
                                 "error."))
    # 3. between 0 and 1 everywhere, on random pairs of both signs and sizes
    n = 4 * ex.trials
    pairs = ex.rng.normal(size=(n, 2)) * 10.0 ** ex.rng.integers(-3, 4, (n, 1))
    for a, b in pairs:
        got, label = _relative_number(ex, float(a), float(b))
        if not -1e-12 <= got <= 1 + 1e-9:
            ex.fail(f"{label} gave {got:.6g}; the text asks for an error from 0 to 1.",
                    mistake("relative_error/out-of-range",
                            "property 3: never below 0, never above 1. Which scale is never "
                            "smaller than the difference |a - b|?"))
    # 4. safe: both 0
    got, label = _relative_number(ex, 0.0, 0.0)
    if not got == 0.0:
        ex.fail(f"{label} gave {got:.6g}; two gradients that are both 0 agree exactly.",
                mistake("relative_error/zero-by-zero",
                        "for a = b = 0 your function divides 0 by 0: the text asks for no "
                        "division by zero, and equal gradients give 0."))
    # 6. in proportion to |a - b| for small differences: 100 times smaller, 100 times smaller
    near, label_near = _relative_number(ex, 1.0, 1.001)
    nearer, label_nearer = _relative_number(ex, 1.0, 1.00001)
    ratio = near / nearer if nearer > 0 else math.inf
    if not 50 <= ratio <= 200:
        ex.fail(f"{label_near} gave {near:.3g} and {label_nearer} gave {nearer:.3g}: a "
                f"difference 100 times smaller made your error {ratio:.3g} times smaller, "
                "not about 100 times (property 6).",
                mistake("relative_error/not-proportional",
                        "for gradients that nearly agree your error must shrink in step with "
                        "their difference, or the thresholds below (1e-7, 1e-2) mean "
                        "something else for your function. Does yours square the ratio, or "
                        "take a root of it?"))
    # 5. the worst entry's, each against its own size: compared with the student's own
    # errors of the single entries, so any formula that meets 1-4 and 6 may stand
    a = np.array([1.0, 200.0, -3.0, 0.0])
    b = np.array([1.0, 200.0, -3.3, 0.0])
    entries = [_relative_number(ex, float(x), float(y))[0] for x, y in zip(a, b, strict=True)]
    got, label = _relative_number(ex, a, b)
    worst = max(entries)
    whole = float(np.linalg.norm(a - b) / (np.linalg.norm(a) + np.linalg.norm(b)))
    ex.close(got, worst, f"{label} gave {got:.6g}; its worst entry, the third, alone gives "
             f"{worst:.6g} with your function.",
             mistakes=[(whole, mistake("relative_error/whole-vector",
                                       "you compare the arrays as whole vectors: one wrong "
                                       "small entry hides behind the large right ones. The text "
                                       "asks for the worst entry's error.")),
                       (float(np.abs(a - b).max() / (np.abs(a) + np.abs(b)).max()),
                        mistake("relative_error/max-over-max",
                                "you divide the largest difference by the largest scale, which "
                                "belong to different entries: each entry's error uses its own "
                                "scale.")),
                       (float(np.mean(entries)),
                        mistake("relative_error/mean-not-worst",
                                "you average the entries' errors: one wrong entry among many "
                                "right ones then looks fine.")),
                       (float(np.abs(a - b).sum() / (np.abs(a) + np.abs(b)).sum()),
                        mistake("relative_error/whole-vector",
                                "you compare the arrays as a whole (sums): one wrong small "
                                "entry hides behind the large right ones."))],
             hint=mistake("relative_error/wrong-value",
                          "check your function against each property the text lists: which "
                          "one does it break?"),
             rtol=1e-4, atol=1e-12)
    for scale in (1e-3, 1e3):
        got_scaled, label = _relative_number(ex, a * scale, b * scale)
        ex.close(got_scaled, got, f"{label} gave {got_scaled:.6g}, but for the same arrays "
                 f"{1 / scale:g} times smaller it gave {got:.6g}: your error is not "
                 "scale-free.",
                 hint=mistake("relative_error/not-scale-free",
                              "multiplying both gradients by the same number changes your "
                              "error."),
                 rtol=1e-4, atol=1e-12)


# --- the derivation of train_neuron's gradient, one sample, then a batch of two ------------

#: section 7's derivation steps: one sample (N = 1), then a batch of two, same w and b
DZ_EXAMPLE = {"x": (0.6, 0.3), "w": (2.0, -1.0), "b": 0.1, "y": 1.0}
TWO_SAMPLES_EXAMPLE = {"X": ((0.6, 0.3), (1.0, -0.5)), "y": (1.0, 0.0)}


def _dz(X, y, w, b) -> np.ndarray:
    """∂L/∂z_n for L = mean over n of (σ(z_n) − y_n)²."""
    a = _sigmoid(X @ w + b)
    return 2 * (a - y) * a * (1 - a) / len(y)


def dz_one_sample_answer() -> float:
    e = DZ_EXAMPLE
    return float(_dz(np.array([e["x"]]), np.array([e["y"]]), np.array(e["w"]), e["b"])[0])


def dw_two_samples_answer() -> np.ndarray:
    X, y = np.array(TWO_SAMPLES_EXAMPLE["X"]), np.array(TWO_SAMPLES_EXAMPLE["y"])
    return X.T @ _dz(X, y, np.array(DZ_EXAMPLE["w"]), DZ_EXAMPLE["b"])


@exercise("dz_one_sample", kind="value")
def dz_one_sample(ex: Check) -> None:
    """DZ_ONE_SAMPLE: ∂L/∂z for one sample (N = 1) of section 7's mean squared error."""
    got = _number(ex, "DZ_ONE_SAMPLE", mistake("dz_one_sample/not-a-number",
                                               "assign the plain number you found."))
    e = DZ_EXAMPLE
    z = float(np.dot(e["x"], e["w"]) + e["b"])
    a = float(_sigmoid(z))
    slope, miss = a * (1 - a), a - e["y"]
    right = 2 * miss * slope
    ex.close(got, right, f"DZ_ONE_SAMPLE is {fmt(got)}; that is not ∂L/∂z for this sample "
             "(to 1 %).",
             mistakes=[
                 (miss * slope, mistake(
                     "dz_one_sample/half-forgotten",
                     "yours is half of it: section 4's loss had a ½ in front of the square, "
                     "this one has none. What does the derivative of a square bring down?")),
                 (-right, mistake(
                     "dz_one_sample/sign",
                     "the sign is flipped: here a is below y = 1, so raising z lowers the "
                     "loss. Which way does the difference (a − y) point?")),
                 (2 * miss, mistake(
                     "dz_one_sample/slope-missing",
                     "that is ∂L/∂a alone: the step from a to z through the sigmoid is "
                     "missing.")),
                 (2 * miss * a, mistake(
                     "dz_one_sample/slope-is-output",
                     "the sigmoid's slope at z is not a, its output (section 3).")),
                 (miss**2, mistake(
                     "dz_one_sample/loss-for-gradient",
                     "that is the loss itself, not how fast it changes with z.")),
                 *[(right * xj, mistake(
                     "dz_one_sample/dw-not-dz",
                     "that is a derivative with respect to a weight: ∂z/∂w_j was multiplied "
                     "in, one step too far down the chain.")) for xj in e["x"]],
             ],
             hint=mistake("dz_one_sample/wrong-value",
                          "compute z, then a, then multiply the two local derivatives "
                          "∂L/∂a and ∂a/∂z at these numbers."),
             rtol=1e-2, atol=1e-6)


@exercise("dw_two_samples", kind="value")
def dw_two_samples(ex: Check) -> None:
    """DW_TWO_SAMPLES: ∂L/∂w for the batch of two samples, two numbers in w's order."""
    got = ex.obj
    if isinstance(got, (str, bool, dict)) or np.ndim(got) != 1 or len(got) != 2:
        ex.fail(f"DW_TWO_SAMPLES is {fmt(got)}; expected two numbers, ∂L/∂w1 and ∂L/∂w2, in a "
                "list.", mistake("dw_two_samples/not-two-numbers",
                                 "w has two entries, so its gradient has two: a list of two "
                                 "numbers."))
    got = ex.array(np.asarray(got), "DW_TWO_SAMPLES", shape=(2,))
    X, y = np.array(TWO_SAMPLES_EXAMPLE["X"]), np.array(TWO_SAMPLES_EXAMPLE["y"])
    w, b = np.array(DZ_EXAMPLE["w"]), DZ_EXAMPLE["b"]
    dz = _dz(X, y, w, b)
    right = X.T @ dz
    ex.close(got, right, f"DW_TWO_SAMPLES is {fmt(got)}; that is not ∂L/∂w for this batch "
             "(to 1 %).",
             mistakes=[
                 (right * len(y), mistake(
                     "dw_two_samples/no-mean",
                     "each entry is N = 2 times too big: the loss is a mean over the batch, "
                     "and the 1/N stays in every sample's share.")),
                 (right / 2, mistake(
                     "dw_two_samples/half-forgotten",
                     "each entry is half of it: this loss has no ½ in front of the square, "
                     "unlike section 4's.")),
                 (-right, mistake("dw_two_samples/sign", "both signs are flipped.")),
                 (X @ dz, mistake(
                     "dw_two_samples/transposed",
                     "your numbers pair each sample's ∂L/∂z with the wrong inputs: ∂L/∂w1 "
                     "sums ∂L/∂z_n times the first input x_n1 of every sample n, not the two "
                     "inputs of one sample.")),
                 (X[0] * dz[0], mistake(
                     "dw_two_samples/one-sample",
                     "only the first sample counts in your numbers: every sample's share "
                     "adds to ∂L/∂w.")),
                 (X[0] * dz[0] * len(y), mistake(
                     "dw_two_samples/one-sample",
                     "that is the first sample's gradient alone (your DZ_ONE_SAMPLE times "
                     "its inputs): every sample's share adds to ∂L/∂w, each with its 1/N.")),
             ],
             hint=mistake("dw_two_samples/wrong-value",
                          "one sample at a time: its ∂L/∂z_n (with the 1/N), times its own "
                          "inputs; then add the two samples' shares."),
             rtol=1e-2, atol=1e-6)



# --- training Bob's sigmoid neuron -----------------------------------------------------------


def _mse(X, y, w, b) -> float:
    return float(np.mean((_sigmoid(X @ w + b) - y) ** 2))


def _mse_gradient(X, y, w, b) -> tuple[np.ndarray, float]:
    a = _sigmoid(X @ w + b)
    dz = 2 * (a - y) * a * (1 - a) / len(y)
    return X.T @ dz, float(dz.sum())


def _train_result(ex: Check, X, y, lr, epochs, seed, label):
    result = ex.call(X, y, lr=lr, epochs=epochs, rng=np.random.default_rng(seed), label=label)
    if not isinstance(result, tuple) or len(result) != 3:
        what = f"a tuple of {len(result)} items" if isinstance(result, tuple) else \
            type(result).__name__
        ex.fail(f"{label} returned {what}; expected a tuple (w, b, losses).",
                mistake("train_neuron/not-a-triple", "the docstring asks for three things: "
                        "the weights, the bias and the losses."))
    w = ex.array(result[0], "w", shape=(X.shape[1],)).astype(float)
    b = _scalar(ex, result[1], "b")
    losses = ex.array(result[2], "losses", shape=(epochs,))
    return w, b, losses


def _one_part_off(step: np.ndarray, want: np.ndarray, n: int) -> str:
    """The hint for a step no known slip explains: which part, w or b, is off, and by how
    much, where the other part is right."""
    w_right = np.allclose(step[:-1], want[:-1], rtol=1e-5, atol=1e-10)
    b_right = np.isclose(step[-1], want[-1], rtol=1e-5, atol=1e-10)
    ratio = step[-1] / want[-1] if want[-1] else math.inf
    if w_right and not b_right:
        size = (f" it is {ratio:.3g} times the right one" if math.isfinite(ratio) and ratio
                else " it is not the right one")
        tie = (f" (1/N = 1/{n}: the samples' shares of ∂L/∂z already carry the mean's 1/N)"
               if math.isclose(ratio, 1 / n, rel_tol=1e-4) else "")
        return mistake("train_neuron/bias-step-wrong",
                       f"your step moves w by the right amount, but not b:{size}{tie}. The "
                       "bias's gradient collects every sample's ∂L/∂z the way a weight's "
                       "does, with an input that is always 1.")
    if b_right and not w_right:
        return mistake("train_neuron/weight-step-wrong",
                       "your step moves b by the right amount, but not w: each weight's "
                       "gradient sums every sample's ∂L/∂z times that sample's own input for "
                       "that weight.")
    return mistake("train_neuron/wrong-weights",
                   "one epoch's step matches no single slip the check knows: work out dz for "
                   "one sample by hand, as in section 4, and compare it with your code's for "
                   "that sample.")


@exercise("train_neuron")
def train_neuron(ex: Check) -> None:
    """train_neuron(X, y, lr, epochs, rng) -> (w, b, losses): full-batch GD on the MSE."""
    X = ex.rng.normal(0, 1, size=(30, 2))
    y = (X @ np.array([1.5, -1.0]) + 0.3 > 0).astype(float)
    lr = 0.5
    label = "train_neuron(X, y, lr=0.5, epochs={}, rng=np.random.default_rng(0))"
    w1, b1, losses1 = _train_result(ex, X, y, lr, 1, 0, label.format(1))
    again = _train_result(ex, X, y, lr, 1, 0, label.format(1))
    if not (np.allclose(again[0], w1) and np.isclose(again[1], b1)):
        ex.fail("two runs with the same rng seed gave different weights.",
                mistake("train_neuron/rng-ignored",
                    "your initial weights do not come from the `rng` argument, so a seed "
                    "does not reproduce a run."))
    w2, b2, losses2 = _train_result(ex, X, y, lr, 2, 0, label.format(2))
    # the second step, from (w1, b1), must be exactly one gradient step on the MSE
    dw, db = _mse_gradient(X, y, w1, b1)
    want_w, want_b = w1 - lr * dw, b1 - lr * db
    step = np.append(w2 - w1, b2 - b1)
    want_step = np.append(want_w - w1, want_b - b1)
    a = _sigmoid(X @ w1 + b1)
    N = len(y)

    def step_if(dz):
        return -lr * np.append(X.T @ dz, dz.sum())

    ex.close(
        step, want_step,
        f"one epoch moved (w, b) by {fmt(step, 5)}; one gradient-descent step on the mean "
        f"squared error moves it by {fmt(want_step, 5)}.",
        mistakes=[
            (-step_if(2 * (a - y) * a * (1 - a) / N),
                mistake("train_neuron/climbs",
                        "your step goes uphill: it moves (w, b) along the gradient, not "
                        "against it.")),
            (step_if((a - y) * a * (1 - a) / N), mistake("train_neuron/factor-2-missing",
                                                     "your step is half the gradient-descent "
                                                     "step: the factor that the square's "
                                                     "derivative brings is missing.")),
            (step_if(2 * (a - y) * a * (1 - a)), mistake("train_neuron/n-missing",
                                                     f"your step is N = {N} times too large: "
                                                     "the loss is the mean over the samples, "
                                                     "not their sum.")),
            (step_if(2 * (a - y) / N), mistake("train_neuron/slope-missing",
                                           "your dz skips the sigmoid between z and a: its slope "
                                           "is missing.")),
            (np.zeros(3), mistake("train_neuron/update-outside-loop",
                              "the weights did not move in the second epoch: only one update "
                              "happened.")),
            (step_if(2 * (a - y) * a * (1 - a) / N) / lr, mistake("train_neuron/lr-missing",
                                                              "your step is the whole gradient: "
                                                              "the learning rate is missing.")),
        ],
        hint=_one_part_off(step, want_step, N),
        rtol=1e-5, atol=1e-10,
    )
    # the docstring's start: w = rng.normal(0, 0.1, size=D), b = 0, one step from there
    w0 = np.random.default_rng(0).normal(0, 0.1, size=X.shape[1])
    first = np.append(w1, b1)
    from_spec = np.append(w0, 0.0) - lr * np.append(*_mse_gradient(X, y, w0, 0.0))
    from_zeros = -lr * np.append(*_mse_gradient(X, y, np.zeros(X.shape[1]), 0.0))
    ex.close(
        first, from_spec,
        f"after one epoch from rng = np.random.default_rng(0), (w, b) is {fmt(first, 5)}; "
        f"starting from w = rng.normal(0, 0.1, size=D) and b = 0 it is {fmt(from_spec, 5)}.",
        mistakes=[(from_zeros, mistake("train_neuron/starts-from-zeros",
                                   "you start from w = 0, not from the start the docstring "
                                   "fixes, so a seed means nothing."))],
        hint=mistake("train_neuron/wrong-start",
                 "your first step starts somewhere else than the docstring's start: drawn "
                 "otherwise, or from a generator other than the `rng` argument."),
        rtol=1e-6, atol=1e-9,
    )
    # losses[i] is the loss at the START of epoch i (the docstring): before its update
    start = _mse(X, y, w0, 0.0)
    before, after = _mse(X, y, w1, b1), _mse(X, y, w2, b2)
    if np.allclose(losses2, [before, after], rtol=1e-6) and not np.isclose(start, before):
        ex.fail(f"losses is {fmt(losses2, 6)} after 2 epochs: the losses after the first and "
                f"the second update. The loss at the start of epoch 0 is {fmt(start, 6)}.",
                mistake("train_neuron/loss-after-update",
                        "each loss you record is the loss after that epoch's update, one epoch "
                        "late: the docstring's losses[i] is the loss at the start of epoch i."))
    for i, want in enumerate((start, before)):
        got = losses2[i]
        ex.close(got, want,
                 f"losses[{i}] is {fmt(got, 6)}; the mean squared error at the start of "
                 f"epoch {i} is {fmt(want, 6)}.",
                 mistakes=[(N * want, mistake("train_neuron/loss-not-mean",
                                              f"your loss is N = {N} times the mean: a sum over "
                                              "the samples.")),
                           (want / 2, mistake("train_neuron/loss-halved",
                                              "your loss is half the mean squared error."))],
                 hint=mistake("train_neuron/wrong-losses",
                              "what you record is not the mean squared error of the samples "
                              "at the start of the epoch."),
                 rtol=1e-6, atol=1e-12)
    w, b, losses = _train_result(ex, X, y, 2.0, 300, 1, "train_neuron(X, y, lr=2.0, "
                                 "epochs=300, rng=np.random.default_rng(1))")
    accuracy = np.mean((X @ w + b > 0) == (y == 1))
    if losses[-1] >= losses[0] or accuracy < 0.9:
        ex.fail(f"after 300 epochs on linearly separable data the loss went from "
                f"{fmt(losses[0])} to {fmt(losses[-1])} and the accuracy is {accuracy:.0%}.",
                mistake("train_neuron/loss-not-falling",
                    "300 epochs of your loop do not fit data that one line separates: print "
                    "the loss every 50 epochs and see whether it falls."))


# --- a prediction: the loss curve at lr = 100 (section 7) ------------------------------------


#: The options of the lr = 100 prediction, as the notebook lists them: two things a student
#: can reason out before the run (the first epoch, and how high this loss can go).
LR100_OPTIONS = {
    "A": "below 0.243 after the first epoch; never above 1",
    "B": "above 0.243 after the first epoch; later above 1, or inf or nan",
    "C": "above 0.243 after the first epoch; never above 1",
    "D": "below 0.243 after the first epoch; later above 1, or inf or nan",
}
LR100_ANSWER = "C"


@exercise("predict_lr100", kind="value")
def predict_lr100(ex: Check) -> None:
    """PREDICT_LR100: the first epoch and the ceiling of train_neuron's loss at lr = 100 (A-D)."""
    choice = ex.obj
    if not isinstance(choice, str) or choice.strip().upper() not in LR100_OPTIONS:
        ex.fail(f"PREDICT_LR100 is {fmt(choice)}; expected one of the letters "
                f"{', '.join(map(repr, LR100_OPTIONS))}.",
                mistake("predict_lr100/not-an-option", "answer with the letter of one option, "
                        "as a string."))
    choice = choice.strip().upper()
    if choice == LR100_ANSWER:
        return
    said = f"PREDICT_LR100 = {choice!r} ({LR100_OPTIONS[choice]}); that is not what happens."
    why = {
        "A": mistake("predict_lr100/larger-is-faster",
                     "a larger step is not always faster: a step ten times as long as one that "
                     "already worked overshoots the valley and lands higher on its far side."),
        "B": mistake("predict_lr100/loss-explodes",
                     "this loss cannot explode: a sigmoid's output and every label lie between "
                     "0 and 1, so the mean squared error never exceeds 1. What can run away are "
                     "the weights, not the loss."),
        "D": mistake("predict_lr100/gain-then-explodes",
                     "both halves go wrong: a step ten times as long as one that already worked "
                     "overshoots rather than gains, and a mean squared error between a "
                     "sigmoid's output and labels in [0, 1] never exceeds 1."),
    }
    ex.fail(said, why[choice])


# --- the learning rate, chosen on validation data (section 7) ---------------------------------


def _train_reference(X, y, lr, epochs, rng):
    w, b = rng.normal(0, 0.1, size=X.shape[1]), 0.0
    for _ in range(epochs):
        dw, db = _mse_gradient(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
    return w, b


@exercise("choose_learning_rate")
def choose_learning_rate(ex: Check) -> None:
    """choose_learning_rate(X_train, y_train, X_val, y_val, lrs, epochs, seed) ->
    (best_lr, val_losses): one neuron per learning rate, scored on the validation set."""
    X = ex.rng.normal(0, 1, size=(60, 2))
    y = (X @ np.array([1.5, -1.0]) + 0.3 + ex.rng.normal(0, 0.7, size=60) > 0).astype(float)
    X_train, X_val, y_train, y_val = X[:40], X[40:], y[:40], y[40:]
    lrs, epochs, seed = [0.1, 1.0, 10.0], 30, 3
    label = "choose_learning_rate(X_train, y_train, X_val, y_val, lrs=[0.1, 1, 10], epochs=30, " \
            "seed=3)"
    result = ex.call(X_train, y_train, X_val, y_val, lrs, epochs, seed, label=label)
    if not isinstance(result, tuple) or len(result) != 2:
        ex.fail(f"{label} returned {type(result).__name__} {fmt(result)}; expected a pair "
                "(best_lr, val_losses).",
                mistake("choose_learning_rate/not-a-pair", "the docstring asks for two things: "
                        "the chosen learning rate and one validation loss per learning rate."))
    val_losses = ex.array(result[1], "val_losses", shape=(len(lrs),)).astype(float)
    best = _scalar(ex, result[0], "best_lr")

    def scores(score_X, score_y, shared_rng=False):
        rng = np.random.default_rng(seed)
        out = []
        for lr in lrs:
            w, b = _train_reference(X_train, y_train, lr, epochs,
                                    rng if shared_rng else np.random.default_rng(seed))
            out.append(_mse(score_X, score_y, w, b))
        return np.array(out)

    want = scores(X_val, y_val)
    trained = [_train_reference(X_train, y_train, lr, epochs, np.random.default_rng(seed))
               for lr in lrs]
    # train_neuron's losses[-1]: the training loss at the start of the last epoch
    last_recorded = []
    for lr in lrs:
        w, b = _train_reference(X_train, y_train, lr, epochs - 1, np.random.default_rng(seed))
        last_recorded.append(_mse(X_train, y_train, w, b))
    on_val_acc = np.array([np.mean((X_val @ w + b > 0) == (y_val == 1)) for w, b in trained])
    ex.close(val_losses, want,
             f"val_losses is {fmt(val_losses, 5)}; the validation losses of the three neurons "
             f"are {fmt(want, 5)}.",
             mistakes=[
                 (scores(X_train, y_train), mistake("choose_learning_rate/scored-on-training",
                                                    "your losses are the training losses of the "
                                                    "neurons, not their losses on the "
                                                    "validation set.")),
                 (np.array(last_recorded), mistake("choose_learning_rate/scored-on-training",
                                                   "your losses are the last training losses "
                                                   "train_neuron recorded, not losses on the "
                                                   "validation set.")),
                 (scores(X_val, y_val, shared_rng=True),
                  mistake("choose_learning_rate/shared-rng",
                          "your neurons start from different weights: the runs share one "
                          "generator, so each learning rate starts where the last draw left it "
                          "and the comparison is not fair.")),
                 (on_val_acc, mistake("choose_learning_rate/accuracy-not-loss",
                                      "your scores are accuracies; the docstring asks for the "
                                      "mean squared error on the validation set.")),
             ],
             hint=mistake("choose_learning_rate/wrong-losses",
                          "your validation losses differ from a fresh train_neuron run per "
                          "learning rate, scored by the mean squared error on X_val (if "
                          "check.train_neuron passed, the difference is in this function)."),
             rtol=1e-5, atol=1e-9)
    right = lrs[int(np.argmin(val_losses))]
    if best == right:
        return
    if best == lrs[int(np.argmax(val_losses))]:
        ex.fail(f"best_lr is {best:g}, the learning rate with the largest validation loss.",
                mistake("choose_learning_rate/picked-worst",
                        "you picked the learning rate whose neuron does worst: the loss is "
                        "what is to be small."))
    if best in range(len(lrs)) and best not in lrs:
        ex.fail(f"best_lr is {best:g}, a position in lrs, not one of the learning rates "
                f"{lrs}.",
                mistake("choose_learning_rate/index-not-lr",
                        "you return where the best learning rate sits in lrs, not the learning "
                        "rate itself."))
    ex.fail(f"best_lr is {best:g}; the learning rates were {lrs} with validation losses "
            f"{fmt(val_losses, 5)}.",
            mistake("choose_learning_rate/wrong-choice",
                    "your choice is not the learning rate whose neuron has the smallest "
                    "validation loss."))
