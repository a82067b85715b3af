"""Checks for notebook 03, the chain rule and backpropagation.

Every gradient is compared with central finite differences of a forward pass: the
student's own where the exercise hands one in (``graph_forward_backward``, ``Value``), the
reference's where it does not (``chain_backward`` receives only a cache).
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ._core import Check, exercise, fmt
from .mistakes import mistake
from .neuron import _sigmoid  # the checks' own stable sigmoid, shared with notebook 01

__all__ = [
    "graph_forward_backward",
    "graph_exercise",
    "sigmoid_prime",
    "tanh_prime",
    "relu_prime",
    "chain_forward",
    "chain_backward",
    "value",
    "train_neuron",
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
            mistake("graph/not-a-pair", "end with `return f, (df_dx, df_dy, df_dz)`."),
        )
    f = _scalar(ex, result[0], f"the f of {label}")
    grads = result[1]
    if not (isinstance(grads, (tuple, list)) and len(grads) == 3):
        ex.fail(
            f"the second item of what {label} returned is {fmt(grads)}; expected three "
            "partial derivatives (df_dx, df_dy, df_dz).",
            mistake("graph/not-a-pair", "end with `return f, (df_dx, df_dy, df_dz)`."),
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
                          f"compute the forward pass step by step: f = {formula}."))

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
                                       "return the derivatives in the order x, y, z."))],
            hint=mistake("graph/wrong-gradient",
                     "go backwards through the graph: start from df/df = 1 and multiply by each "
                     "node's local derivative on the way to x, y and z."),
            rtol=1e-4,
            atol=1e-6,
        )


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
                 "the derivative of q² is 2q: the factor 2 is missing.")),
            (np.array([2 * q, 2 * q, 2 * q]),
             mistake("graph_forward_backward/local-derivatives-missing",
                 "after d(q²)/dq = 2q, multiply by the local derivatives dq/ds = z and "
                 "dq/dz = s.")),
            (np.array([2 * q * z, 2 * q * z, 2 * q * z]),
             mistake("graph_forward_backward/dq-dz-wrong",
                     "dq/dz for q = s·z is s = x + y, not z.")),
            (np.array([z, z, s]),
             mistake("graph_forward_backward/outer-derivative-missing",
                 "those are only the local derivatives of q = s·z: multiply by df/dq = 2q too.")),
        ]

    _check_graph(ex, "graph_forward_backward", "((x + y)·z)²", forward, gradient, mistakes,
                 (1.0, 2.0, -3.0))


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
                 "df/dx is missing the local derivative of sin: multiply by cos x.")),
            (np.array([-3 * q**2 * z * math.cos(x), 3 * q**2 * z, 3 * q**2 * s]),
             mistake("graph_exercise/minus-cos", "d(sin x)/dx is +cos x, not -cos x.")),
            (np.array([3 * q**2 * z * math.sin(x), 3 * q**2 * z, 3 * q**2 * s]),
             mistake("graph_exercise/sin-for-cos",
                 "d(sin x)/dx is cos x: you multiplied by sin x.")),
            (np.array([2 * q * z * math.cos(x), 2 * q * z, 2 * q * s]),
             mistake("graph_exercise/cube-derivative", "the derivative of q³ is 3q², not 2q.")),
            (np.array([3 * q**2 * math.cos(x), 3 * q**2, 3 * q**2]),
             mistake("graph_exercise/local-derivatives-missing",
                 "after d(q³)/dq = 3q², multiply by the local derivatives of q = s·z.")),
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


def _check_derivative(ex: Check, name: str, reference, mistakes_for, inputs) -> None:
    for z in inputs:
        label = f"{name}(z)"
        out = ex.array(ex.call(z, label=label), label, shape=z.shape)
        want = reference(z)
        ex.close(out, want, f"for z = {fmt(z)} your {label} gave {fmt(out)}; expected "
                 f"{fmt(want)}.", mistakes=mistakes_for(z))


@exercise("sigmoid_prime")
def sigmoid_prime(ex: Check) -> None:
    """sigmoid_prime(z) = σ(z)(1 − σ(z)); elementwise, any shape; finite at z = ±1000."""

    def reference(z):
        s = _sigmoid(z)
        return s * (1 - s)

    def mistakes(z):
        s = _sigmoid(z)
        return [
            (s * (1 - z), mistake("sigmoid_prime/z-in-second-factor",
                              "use σ(z) in both factors: σ(z)·(1 − σ(z)), not σ(z)·(1 − z).")),
            (z * (1 - z), mistake("sigmoid_prime/z-for-output",
                              "a·(1 − a) takes the sigmoid's output a = σ(z); here the argument "
             "is z itself, so compute s = sigmoid(z) first and return s * (1 - s).")),
            (s, mistake("sigmoid_prime/sigmoid-instead",
                    "that is σ(z) itself; its derivative is σ(z)·(1 − σ(z)).")),
            (s * (1 + s), mistake("sigmoid_prime/plus-in-second-factor",
                              "it is 1 − σ(z) in the second factor, not 1 + σ(z).")),
            (-s * (1 - s), mistake("sigmoid_prime/sign-flipped",
                               "the sign is flipped: the sigmoid rises, so its slope is "
                               "positive.")),
        ]

    _check_derivative(ex, "sigmoid_prime", reference, mistakes, _activation_inputs(ex))
    out = ex.call(np.array(0.0), label="sigmoid_prime(0)")
    ex.close(_scalar(ex, out, "sigmoid_prime(0)"), 0.25,
             f"sigmoid_prime(0) gave {fmt(out)}; the sigmoid's steepest slope, at 0, is 0.25.")
    z = np.array([-1000.0, 1000.0])
    label = "sigmoid_prime([-1000, 1000])"
    out = ex.array(ex.call(z, label=label, warning_hint=
        mistake("sigmoid_prime/overflow",
                                                            "an np.exp overflowed: build "
                           "sigmoid_prime on a stable sigmoid, such as the one above.")),
                   label, shape=z.shape)
    ex.finite(out, label, mistake("sigmoid_prime/not-finite",
                              "build sigmoid_prime on a stable sigmoid, such as the one above."))
    ex.close(out, np.zeros(2), f"{label} gave {fmt(out)}; far from 0 the sigmoid is flat, "
             "so its slope is 0.", atol=1e-12)


@exercise("tanh_prime")
def tanh_prime(ex: Check) -> None:
    """tanh_prime(z) = 1 − tanh(z)²; elementwise, any shape."""

    def mistakes(z):
        t = np.tanh(z)
        return [
            (1 - z**2, mistake("tanh_prime/z-for-output",
                           "1 − a² takes tanh's output a = tanh(z); here the argument is z "
                           "itself: return 1 - np.tanh(z) ** 2.")),
            (1 - t, mistake("tanh_prime/not-squared",
                        "square the tanh: 1 − tanh(z)², not 1 − tanh(z).")),
            (t**2 - 1, mistake("tanh_prime/sign-flipped",
                           "the sign is flipped: it is 1 − tanh(z)², which is positive.")),
            (1 - np.tanh(z**2), mistake("tanh_prime/z-squared",
                                    "square tanh(z), not z: 1 − tanh(z)².")),
            (4 * _sigmoid(z) * (1 - _sigmoid(z)), mistake("tanh_prime/sigmoid-form-missing-2",
                                                      "tanh(z) = 2σ(2z) − 1, so its derivative is "
             "4σ(2z)(1 − σ(2z)): the 2 inside σ is missing.")),
        ]

    _check_derivative(ex, "tanh_prime", lambda z: 1 - np.tanh(z) ** 2, mistakes,
                      _activation_inputs(ex))


@exercise("relu_prime")
def relu_prime(ex: Check) -> None:
    """relu_prime(z) = 1 where z > 0, 0 where z < 0 (any value in [0, 1] at z = 0)."""

    def mistakes(z):
        return [
            (np.maximum(z, 0), mistake("relu_prime/relu-instead",
                                   "that is ReLU itself; its slope is 1 for z > 0 and 0 below.")),
            ((z < 0).astype(float), mistake("relu_prime/inverted",
                                        "it is the other way round: slope 1 for z > 0, 0 below.")),
            (np.sign(z), mistake("relu_prime/np-sign",
                             "np.sign gives −1 below zero; ReLU is flat there, so its slope "
                             "is 0.")),
            (np.ones_like(z), mistake("relu_prime/nonzero-below-zero",
                                  "for z < 0 ReLU is flat (always 0), so its slope there is 0.")),
        ]

    _check_derivative(ex, "relu_prime", lambda z: (z > 0).astype(float), mistakes,
                      _activation_inputs(ex))
    z = np.array([-1.0, 0.0, 1.0])
    out = ex.array(ex.call(z, label="relu_prime([-1, 0, 1])"), "relu_prime([-1, 0, 1])",
                   shape=(3,))
    # at the kink any value in [0, 1] is a valid subgradient (0, 1, or 0.5 as in
    # np.heaviside(z, 0.5)): all of them train a network the same way in practice
    if not 0.0 <= out[1] <= 1.0:
        ex.fail(f"relu_prime(0) gave {fmt(out[1])}; ReLU has a kink at 0, where any slope "
                "between its two sides, 0 and 1, is accepted.",
                mistake("relu_prime/value-at-zero",
                    "pick a value in [0, 1] at z = 0: `z > 0` gives 0, `z >= 0` gives 1."))


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
                    "build it with `return {" + ", ".join(f'"{k}": {k}' for k in keys) + "}`."))
    missing = [k for k in keys if k not in out]
    if missing:
        ex.fail(f"the dict from {label} has no key {', '.join(map(repr, missing))}; it has "
                f"{', '.join(map(repr, out))}.", mistake("chain/missing-keys",
                                                     f"return the keys {', '.join(keys)}."))
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
                                          "the bias b1 is missing: z1 = w1·x + b1."))],
            "a1": [(z1, mistake("chain_forward/a1-no-sigmoid", "apply the sigmoid: a1 = σ(z1)."))],
            "z2": [(p["w2"] * z1 + p["b2"], mistake("chain_forward/z1-for-a1",
                                                "the second neuron takes a1 = σ(z1), the first "
                                                "neuron's activation, not z1.")),
                   (p["w2"] * a1, mistake("chain_forward/b2-missing",
                                      "the bias b2 is missing: z2 = w2·a1 + b2."))],
            "a2": [(want["z2"], mistake("chain_forward/a2-no-sigmoid",
                                    "apply the sigmoid: a2 = σ(z2)."))],
        }
        for key in _CACHE_KEYS:
            ex.close(out[key], want[key],
                     f"{label} gave {key} = {fmt(out[key])}; expected {fmt(want[key])}.",
                     mistakes=mistakes.get(key, ()),
                     hint=mistake("chain_forward/wrong-value",
                              "z1 = w1·x + b1, a1 = σ(z1), z2 = w2·a1 + b2, a2 = σ(z2)."))


@exercise("chain_backward")
def chain_backward(ex: Check) -> None:
    """chain_backward(cache, y, w2) -> {dw1, db1, dw2, db2} for L = ½(y − a2)²."""
    cases = [(_EXAMPLE, _EXAMPLE_Y)] + [_random_chain(ex) for _ in range(ex.trials)]
    for p, y in cases:
        cache = _chain_forward(*p.values())
        given = dict(cache)
        label = f"chain_backward(cache, y={y:.3g}, w2={p['w2']:.3g})"
        out = _returned_dict(ex, ex.call(given, y, p["w2"], label=label), label, _GRAD_KEYS)
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
                              "∂L/∂w2 = ∂L/∂z2 · a1: the factor a1 (the input of w2) is missing.")),
                    (dz2_sigma_of_a * a1, mistake("chain_backward/dz2-sigmoid-twice-2",
                                              "σ′(z2) = σ(z2)(1 − σ(z2)) = a2(1 − a2): you took "
                     "σ(a2), the sigmoid applied twice, where σ(z2) belongs.")),
                    (-dz2 * a1, mistake("chain_backward/da2-sign",
                                    "∂L/∂a2 = a2 − y for L = ½(y − a2)²: the sign is flipped.")),
                    (da2 * a1, mistake("chain_backward/dz2-slope-missing",
                                   "the sigmoid's slope a2(1 − a2) is missing from ∂L/∂z2."))],
            "db2": [(dz2_sigma_of_a, mistake("chain_backward/dz2-sigmoid-twice",
                                         "σ′(z2) = a2(1 − a2): you took σ(a2), the sigmoid "
                                         "applied twice, where σ(z2) belongs.")),
                    (dz2 * a1, mistake("chain_backward/db2-times-a1",
                                   "∂z2/∂b2 = 1: the bias gradient is ∂L/∂z2 itself, without a1.")),
                    (-dz2, mistake("chain_backward/da2-sign",
                               "∂L/∂a2 = a2 − y for L = ½(y − a2)²: the sign is flipped."))],
            "dw1": [(dz2 * a1 * (1 - a1) * x, mistake("chain_backward/da1-w2-missing",
                                                  "∂L/∂a1 = ∂L/∂z2 · w2: the factor w2 is "
                                                  "missing.")),
                    (dz1, mistake("chain_backward/dw1-x-missing",
                              "∂L/∂w1 = ∂L/∂z1 · x: the factor x is missing.")),
                    (dz2 * p["w2"] * s1 * (1 - s1) * x, mistake("chain_backward/dz1-sigmoid-twice",
                                                            "σ′(z1) = a1(1 − a1): you took σ(a1) "
                                                            "where σ(z1) belongs.")),
                    (dz2 * p["w2"] * x, mistake("chain_backward/dz1-slope-missing",
                                            "the sigmoid's slope a1(1 − a1) is missing from "
                                            "∂L/∂z1."))],
            "db1": [(dz1 * x, mistake("chain_backward/db1-times-x",
                                  "∂z1/∂b1 = 1: the bias gradient is ∂L/∂z1 itself, without x.")),
                    (dz2 * a1 * (1 - a1), mistake("chain_backward/da1-w2-missing",
                                              "∂L/∂a1 = ∂L/∂z2 · w2: the factor w2 is missing."))],
        }
        for key in _GRAD_KEYS:
            ex.close(
                out[key], numeric[key],
                f"{label} gave {key} = {fmt(out[key], 6)}; finite differences of the loss give "
                f"{fmt(numeric[key], 6)}.",
                mistakes=mistakes[key],
                hint=mistake("chain_backward/wrong-gradient",
                         "multiply backwards: ∂L/∂a2 = a2 − y, ∂L/∂z2 = ∂L/∂a2·a2(1 − a2), then "
                         "∂L/∂w2 = ∂L/∂z2·a1, ∂L/∂a1 = ∂L/∂z2·w2, and so on."),
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
                mistake("train_neuron/not-a-triple", "end with `return w, b, losses`."))
    w = ex.array(result[0], "w", shape=(X.shape[1],)).astype(float)
    b = _scalar(ex, result[1], "b")
    losses = ex.array(result[2], "losses", shape=(epochs,))
    return w, b, losses


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
                    "draw the initial weights with the `rng` argument (rng.normal), not "
                    "np.random."))
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
                                                          "step against the gradient: w -= lr * "
                                                          "dw.")),
            (step_if((a - y) * a * (1 - a) / N), mistake("train_neuron/factor-2-missing",
                                                     "the derivative of (a − y)² is 2(a − y): the "
                                                     "factor 2 is missing.")),
            (step_if(2 * (a - y) * a * (1 - a)), mistake("train_neuron/n-missing",
                                                     "the loss is the mean over the N samples: "
                                                     "divide the gradient by N.")),
            (step_if(2 * (a - y) / N), mistake("train_neuron/slope-missing",
                                           "the sigmoid's slope a(1 − a) is missing from dz.")),
            (np.zeros(3), mistake("train_neuron/update-outside-loop",
                              "the weights did not move in the second epoch: update w and b "
                              "inside the epoch loop.")),
            (step_if(2 * (a - y) * a * (1 - a) / N) / lr, mistake("train_neuron/lr-missing",
                                                              "use the learning rate: "
                                                              "w -= lr * dw.")),
        ],
        hint=mistake("train_neuron/wrong-weights",
                 "per epoch: a = σ(X @ w + b), dz = 2(a − y)·a(1 − a)/N, dw = X.T @ dz, "
                 "db = dz.sum(), then w -= lr·dw and b -= lr·db."),
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
                                   "you start from w = 0: start from w = rng.normal(0, 0.1, "
                   "size=D), drawn from the `rng` you are given, and b = 0, so that a seed "
                   "reproduces a run."))],
        hint=mistake("train_neuron/wrong-start",
                 "start from w = rng.normal(0, 0.1, size=D), drawn from the `rng` argument "
                 "(not a generator of your own), and b = 0: the docstring fixes the start, so that "
                 "a seed reproduces a run."),
        rtol=1e-6, atol=1e-9,
    )
    before, after = _mse(X, y, w1, b1), _mse(X, y, w2, b2)
    if not (np.isclose(losses2[1], before) or np.isclose(losses2[1], after)):
        ex.fail(f"losses[1] is {fmt(losses2[1])}; the mean squared error is {fmt(before)} "
                f"before the second step and {fmt(after)} after it.",
                mistake("train_neuron/wrong-losses",
                    "record np.mean((a - y) ** 2) once per epoch."))
    w, b, losses = _train_result(ex, X, y, 2.0, 300, 1, "train_neuron(X, y, lr=2.0, "
                                 "epochs=300, rng=np.random.default_rng(1))")
    accuracy = np.mean((X @ w + b > 0) == (y == 1))
    if losses[-1] >= losses[0] or accuracy < 0.9:
        ex.fail(f"after 300 epochs on linearly separable data the loss went from "
                f"{fmt(losses[0])} to {fmt(losses[-1])} and the accuracy is {accuracy:.0%}.",
                mistake("train_neuron/loss-not-falling",
                    "start from small weights and take 300 gradient steps."))
