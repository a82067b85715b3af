"""Checks for notebook 02, gradient descent."""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..experiments.descent import (
    BOWL_OPTIONS,
    DOWNHILL_OPTIONS,
    bowl_outcome,
    downhill_option,
)
from ..experiments.descent import difference_errors as _difference_errors
from ..gradcheck import numerical_gradient as _reference_gradient
from ._core import Check, describe, exercise, fmt
from .mistakes import Hint, mistake

__all__ = [
    "predict_downhill",
    "difference_errors",
    "derivative",
    "gradient_descent",
    "step_factors",
    "lr_diverges",
    "numerical_gradient",
    "predict_bowl_lr",
    "mse",
    "grad_one_sample",
    "grad_batch",
    "dw_matrix",
    "mse_gradients",
    "fit_linear",
    "choose_lr",
]

# The checks' own references, written independently of the notebook's solutions.


def _descend(grad, x0, lr, n_steps, sign=1.0):
    """Every iterate of x <- x - sign * lr * grad(x); sign=-1 climbs instead."""
    xs = [np.asarray(x0, dtype=float)]
    for _ in range(n_steps):
        xs.append(xs[-1] - sign * lr * grad(xs[-1]))
    return np.array(xs)


def _central(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


def _in_place_hint(what: str) -> str:
    return (
        mistake("general/array-changed-in-place",
            f"an augmented assignment (`{what} -= ...`) or an assignment into an entry "
            f"(`{what}[i] += ...`) changes the caller's array, which your function was only "
            "lent.")
    )


# --- the questions of notebook 02 ------------------------------------------------------------


def _number(ex: Check, name: str, example: str) -> float:
    """The student's constant as a float, or a failed check naming what it is instead."""
    value = ex.obj
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        ex.fail(f"{name} is {describe(value)} {fmt(value)}; expected a number.",
                mistake("question02/not-a-number",
                    f"assign a plain number, e.g. `{name} = {example}`."))
    return float(value)


def _pair(ex: Check, name: str) -> np.ndarray:
    """The student's two numbers, or a failed check."""
    value = ex.obj
    try:
        pair = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        pair = np.zeros(0)
    if pair.shape != (2,) or isinstance(value, str):
        ex.fail(f"{name} is {describe(value)} {fmt(value)}; expected two numbers.",
                mistake("question02/not-two-numbers",
                    f"assign two numbers as a tuple: `{name} = (..., ...)`."))
    return pair


def _choice(ex: Check, name: str, options: dict[str, str], right: str,
            wrong: dict[str, str]) -> None:
    """A predict-then-run question: one letter of ``options``; ``wrong`` maps each wrong
    letter to the hint that names its misconception; ``right`` is computed by the caller."""
    value = ex.obj
    if not isinstance(value, str) or value.strip().lower() not in options:
        listed = ", ".join(f'"{k}"' for k in options)
        ex.fail(f"{name} is {describe(value)} {fmt(value)}; expected one of {listed}.",
                mistake("question02/not-an-option",
                    f'assign one of the letters as a string, e.g. `{name} = "a"`.'))
    answer = value.strip().lower()
    if answer != right:
        ex.fail(f'{name} = "{answer}" ({options[answer]}) is not what happens.', wrong[answer])


@exercise("predict_downhill", kind="value")
def predict_downhill(ex: Check) -> None:
    """PREDICT_DOWNHILL: the fraction of small random steps that go downhill at D = 1000."""
    _choice(ex, "PREDICT_DOWNHILL", DOWNHILL_OPTIONS, downhill_option(), {
        "a": mistake("predict_downhill/half", "it is about half here."),
        "b": mistake("predict_downhill/gain-not-fraction",
                 "2.5 % is about what a random step GAINS compared with a gradient step of the "
                 "same length at D = 1000, not how many random steps go downhill."),
        "c": mistake("predict_downhill/none",
                 "for a small step, a direction and its opposite cannot both go uphill: "
                 "whenever one goes up, the other goes down, in any number of dimensions."),
    })


_WHAT = ("the forward difference's error", "the central difference's error")


def _entry_verdict(got: np.ndarray, want: np.ndarray) -> str:
    """Which of the two numbers is right, for a hint that names where to look."""
    right = [bool(np.isclose(g, w, rtol=1e-3, atol=1e-9)) for g, w in zip(got, want, strict=True)]
    if right[0] and not right[1]:
        return "your first number, the forward error, is right; your second is not. "
    if right[1] and not right[0]:
        return "your second number, the central error, is right; your first is not. "
    return "neither number is its error. "


@exercise("difference_errors", kind="value")
def difference_errors(ex: Check) -> None:
    """DIFFERENCE_ERRORS = (forward error, central error) for x³ at x = 2 with h = 0.01,
    each error the approximate slope minus 12, as the text defines it."""
    got = _pair(ex, "DIFFERENCE_ERRORS")
    forward, central = _difference_errors()
    want = np.array([forward, central])
    close = dict(rtol=1e-3, atol=1e-9)
    if np.allclose(got, want, **close):
        return
    message = (f"DIFFERENCE_ERRORS = {fmt(got, 6)}: not the two errors (approximation minus "
               "the true slope 12).")
    if np.allclose(np.abs(got), want, **close):
        flipped = [_WHAT[k] for k in range(2) if got[k] < 0]
        ex.fail(message, mistake(
            "difference_errors/sign-flipped",
            f"the sizes are right, but {' and '.join(flipped)} "
            f"{'have' if len(flipped) == 2 else 'has'} the wrong sign: the text defines an "
            "error as the approximate slope minus 12. Is each slope above or below 12?"))
    central_by_h = 2 * (central + 12) - 12
    # a slip found in either order or with either sign is named; the sign is named apart
    ex.diagnose(
        np.abs(got),
        message,
        mistakes=[
            (want[::-1], mistake("difference_errors/swapped",
                             "your two errors are the right numbers in the wrong order: the "
                             "forward difference's error comes first.")),
            (want + 12.0, mistake("difference_errors/slopes-not-errors",
                              "those are the two slopes; an error is a slope minus the true "
                              "slope, f'(2) = 12.")),
            (np.array([forward, central_by_h]),
                mistake("difference_errors/central-not-halved",
                    "your second number is the central slope divided by h, minus 12; its "
                    "two points x − h and x + h are 2h apart.")),
            (np.array([central_by_h, forward]),
                mistake("difference_errors/central-not-halved",
                    "your first number is the central slope divided by h, minus 12 (its two "
                    "points x − h and x + h are 2h apart), and the forward difference's error "
                    "comes first.")),
            (np.abs(np.array([forward, (8.0 - 7.880599) / 0.01 - 12])),
                mistake("difference_errors/backward-for-central",
                    "your second number is the backward difference's error; the central one "
                    "uses both x − h and x + h.")),
            (np.array([forward, 0.0]),
                mistake("difference_errors/central-exact",
                    "your central error is 0: the central difference of x³ is not exact. "
                    "Work out f(2.01) − f(1.99) to all its digits: which term of (2 ± h)³ does "
                    "not cancel?")),
        ],
        hint=_rounded_or_wrong(got, want),
        **close,
    )


def _rounded_or_wrong(got: np.ndarray, want: np.ndarray) -> str:
    if np.allclose(np.abs(got), want, rtol=0.05, atol=2e-6):
        return mistake("difference_errors/rounded",
                       f"{_entry_verdict(np.abs(got), want)}Your numbers are near the errors "
                       "but not within 0.1 %: the error lives in the last digits of 2.01³ "
                       "and 1.99³, so keep every digit until the end.")
    return mistake("difference_errors/wrong-values",
                   f"{_entry_verdict(np.abs(got), want)}Compute 2.01³ and 1.99³ to 6 "
                   "decimals; the forward slope uses f(2.01) and f(2), the central one f(2.01) "
                   "and f(1.99); subtract 12 from each.")


# --- derivative -----------------------------------------------------------------------------


@exercise("derivative")
def derivative(ex: Check) -> None:
    """derivative(f, x, h=1e-5) = (f(x + h) - f(x - h)) / (2h), the central difference."""

    def cube(x):
        return x**3

    # With a large h the formulas differ visibly; 2.1³ and 1.9³ can be worked out by hand.
    label = "derivative(f, 2.0, h=0.1) for f(x) = x**3"
    out = ex.array(ex.call(cube, 2.0, h=0.1, label=label), label, shape=())
    want = _central(cube, 2.0, 0.1)
    ex.close(
        out,
        want,
        f"{label} gave {fmt(out)}; expected {want:.4f}.",
        mistakes=[
            ((cube(2.1) - cube(2.0)) / 0.1, mistake("derivative/forward-difference",
                                                "that is the forward difference, (f(x + h) − "
                                                "f(x)) / h: it looks one way only, and its error "
                                                "is the larger one of DIFFERENCE_ERRORS.")),
            ((cube(2.0) - cube(1.9)) / 0.1, mistake("derivative/backward-difference",
                                                "that is the backward difference, (f(x) − f(x − "
                                                "h)) / h: it looks one way only.")),
            ((cube(2.1) - cube(1.9)) / 0.1, mistake("derivative/missing-half",
                                                "your slope is twice too large: the two points "
                                                "x − h and x + h are 2h apart, not h.")),
            ((cube(2.1) - cube(1.9)) / 2 * 0.1, mistake("derivative/precedence-2-h",
                                                    "`/ 2 * h` divides by 2 and then MULTIPLIES "
                                                    "by h: Python reads it from left to right.")),
            (_central(cube, 2.0, 1e-5), mistake("derivative/fixed-h",
                                            "use the `h` you are given, not a fixed 1e-5.")),
        ],
        hint=mistake("derivative/wrong-value",
                 "your value is not the slope of the chord between x − h and x + h, with the h "
                 "you are given: work out that slope for x³ at 2 with h = 0.1 by hand and "
                 "compare."),
        rtol=1e-9,
    )
    # The default h must be small enough to give the true derivative.
    for _ in range(ex.trials):
        x = float(ex.rng.uniform(-2, 2))
        label = f"derivative(np.sin, {x:.4f})"
        out = ex.array(ex.call(np.sin, x, label=label), label, shape=())
        ex.close(
            out,
            np.cos(x),
            f"{label} gave {fmt(out, 8)}; the true derivative cos(x) is {np.cos(x):.8f}.",
            hint=mistake("derivative/no-default-h",
                     "the default step is h=1e-5: keep it in the signature `def derivative(f, x, "
                     "h=1e-5)`."),
            rtol=1e-7,
            atol=1e-9,
        )
    # Elementwise f and an array of x: the same formula gives the slope at every point.
    xs = np.linspace(-2.0, 2.0, 5)
    label = "derivative(np.exp, xs) for an array xs of 5 points"
    out = ex.array(ex.call(np.exp, xs, label=label), label, shape=xs.shape)
    ex.close(out, np.exp(xs), f"{label} gave {fmt(out)}; expected exp(xs) = {fmt(np.exp(xs))}.",
             rtol=1e-7)


# --- gradient_descent -----------------------------------------------------------------------


def _gd_mistakes(grad, x0, lr, n_steps):
    """What the classic bugs return for a run of gradient descent."""
    right = _descend(grad, x0, lr, n_steps)
    longer = _descend(grad, x0, lr, n_steps + 1)
    return [
        (_descend(grad, x0, lr, n_steps, sign=-1.0),
            mistake("gradient_descent/climbs",
                "the iterates climb: each of your steps goes along the gradient, uphill.")),
        (_descend(grad, x0, 1.0, n_steps), mistake("gradient_descent/lr-missing",
                                               "your steps are those of lr = 1: the learning "
                                               "rate does not scale them.")),
        (longer[1:], mistake("gradient_descent/x0-not-first",
                         "the first row must be the starting point x0; then one row after each "
                         "step.")),
    ] + [
        (aliased, mistake("gradient_descent/same-array-stored",
                      "the rows repeat the last point: you stored the same array object at every "
                      "step and then changed it in place (`x -= ...`), which changes every row "
                      "you stored."))
        for aliased in (np.broadcast_to(right[-1], right.shape),
                        np.concatenate([right[:1], np.broadcast_to(right[-1], right[1:].shape)]))
    ]


@exercise("gradient_descent")
def gradient_descent(ex: Check) -> None:
    """gradient_descent(grad, x0, lr, n_steps) -> all iterates, (n_steps + 1,) + shape(x0)."""

    def grad(x):
        return 2 * (x - 1)

    # Worked by hand: from 0 with lr = 0.25, x1 = 0 + 0.5 = 0.5, x2 = 0.5 + 0.25 = 0.75.
    label = "gradient_descent(grad, 0.0, lr=0.25, n_steps=2) for grad(x) = 2(x − 1)"
    out = ex.array(ex.call(grad, 0.0, 0.25, 2, label=label), label)
    want = _descend(grad, 0.0, 0.25, 2)
    _expect_iterates(ex, out, want, label, _gd_mistakes(grad, 0.0, 0.25, 2))
    # Vectors: a gradient that mixes the coordinates, from random starts.
    A = np.array([[3.0, 1.0], [1.0, 2.0]])

    def grad_2d(p):
        return A @ p - np.array([1.0, -1.0])

    for _ in range(ex.trials):
        start = ex.rng.normal(size=2)
        x0 = start.copy()
        lr, n_steps = float(ex.rng.uniform(0.05, 0.3)), int(ex.rng.integers(3, 8))
        label = f"gradient_descent(grad, x0={fmt(start)}, lr={lr:.3f}, n_steps={n_steps})"
        # called through a closure so that a changed x0 gets the hint about `-=` below
        out = ex.call(fn=lambda x0=x0, lr=lr, n_steps=n_steps: ex.obj(grad_2d, x0, lr, n_steps),
                      label=label)
        if not np.array_equal(x0, start):
            ex.fail(f"{label} changed x0 in place: afterwards x0 is {fmt(x0)}.",
                    _in_place_hint("x"))
        out = ex.array(out, label)
        want = _descend(grad_2d, start, lr, n_steps)
        _expect_iterates(ex, out, want, label, _gd_mistakes(grad_2d, start, lr, n_steps))


def _expect_iterates(ex: Check, out, want, label, mistakes) -> None:
    """The whole array of iterates, with the shape errors named before the values."""
    n_steps, point_shape = len(want) - 1, want.shape[1:]
    if out.shape == point_shape:
        ex.fail(
            f"{label} returned one point of shape {out.shape}; expected all {n_steps + 1} "
            f"iterates, shape {want.shape}.",
            mistake("gradient_descent/last-point-only",
                "you returned only the last point; the docstring asks for every iterate, x0 "
                "first, as one array."),
        )
    if out.shape == (n_steps,) + point_shape:
        ex.diagnose(
            out,
            f"{label} returned {n_steps} points; expected n_steps + 1 = {n_steps + 1}.",
            mistakes=[(want[1:], mistake("gradient_descent/x0-missing",
                                     "the starting point x0 is missing from your "
                                     "iterates: the first point you returned is already one "
                                     "step away from it."))],
            hint=mistake("gradient_descent/wrong-count",
                     "n_steps updates give n_steps + 1 points: x0, then one after each update."),
        )
    if out.shape == (n_steps + 2,) + point_shape:
        ex.diagnose(
            out,
            f"{label} returned {n_steps + 2} points; expected n_steps + 1 = {n_steps + 1}: "
            "x0, then one after each of the n_steps updates.",
            mistakes=[(np.concatenate([want[:1], want]), mistake(
                "gradient_descent/x0-twice",
                "x0 is in your array twice: once as the start and once more, as if it were "
                "the first update."))],
            hint=mistake("gradient_descent/one-step-too-many",
                     "one step too many: an off-by-one in the number of iterates (your loop "
                     "makes n_steps + 1 updates)."),
        )
    ex.array(out, label, shape=want.shape)
    ex.close(out, want, f"{label} gave {fmt(out)}; expected {fmt(want)}.", mistakes=mistakes,
             hint=mistake("gradient_descent/wrong-iterates",
                      "your iterates are not those of section 4's rule: compare your first "
                      "update after x0 with the one worked out by hand."))


# --- LR_DIVERGES ------------------------------------------------------------------------------

_EXPLODED = 1e6  # |x| beyond this is far outside any sensible view of f
_MAX_STEPS = 1000


@exercise("step_factors", kind="value")
def step_factors(ex: Check) -> None:
    """STEP_FACTORS: on f(x) = (x - 1)² + 3.5, the factor one step multiplies x - 1 by at
    η = 0.3 and at η = 0.9, and the η above which the distance grows without bound."""
    value = ex.obj
    try:
        got = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        got = np.zeros(0)
    if got.shape != (3,) or isinstance(value, str):
        ex.fail(f"STEP_FACTORS is {describe(value)} {fmt(value)}; expected three numbers.",
                mistake("question02/not-three-numbers",
                    "assign three numbers as a tuple: `STEP_FACTORS = (..., ..., ...)`."))
    factors, limit = got[:2], float(got[2])
    if not np.allclose(factors, [0.4, -0.8], atol=1e-6):
        ex.diagnose(
            factors,
            f"your factors {fmt(factors)} at η = 0.3 and η = 0.9 are not what one step "
            "multiplies the distance x - 1 by.",
            mistakes=[
                (np.array([0.7, 0.1]), mistake("step_factors/slope-without-2",
                    "your factors are the ones a slope of x - 1 would give: f'(x) is not "
                    "x - 1 here.")),
                (np.array([-0.4, 0.8]), mistake("step_factors/sign-flipped",
                    "your factors have the wrong sign: the step goes against the slope, "
                    "so it subtracts η f'(x).")),
                (np.array([0.6, 1.8]), mistake("step_factors/added-the-step",
                    "your factors grow with η: you added η f'(x) instead of subtracting it.")),
                (np.array([0.4, 0.8]), mistake("step_factors/sign-dropped",
                    "your factor at η = 0.3 is right, and the one at η = 0.9 has the right "
                    "size but not its sign: at η = 0.9 one step carries x past the minimum. "
                    "Did you take a size (an absolute value) where the factor itself "
                    "belongs?")),
            ],
            hint=mistake("step_factors/wrong-factors",
                "write x_{k+1} - 1 with x_{k+1} = x_k - η f'(x_k) and f'(x) = 2(x - 1), and "
                "collect the terms in x_k - 1."),
            rtol=0, atol=1e-6,
        )
    if not np.isclose(limit, 1.0, rtol=0, atol=1e-6):
        ex.diagnose(
            limit,
            f"with your limit η = {limit:g}: the factors are right, but that is not where "
            "|x - 1| starts to grow.",
            mistakes=[
                (0.5, mistake("step_factors/limit-at-zero-factor",
                    "at η = 0.5 the factor is 0 and beyond it negative: x jumps past the "
                    "minimum, but the swings still shrink while the factor's size is below 1.")),
                (2.0, mistake("step_factors/limit-too-large",
                    "the distance grows once the factor's SIZE passes 1: find the η where the "
                    "factor reaches -1, not +1 or 0.")),
            ],
            hint=mistake("step_factors/wrong-limit",
                "the distance grows when the factor's size is above 1: for which η does the "
                "factor reach -1?"),
            rtol=0, atol=1e-6,
        )


@exercise("lr_diverges", kind="value")
def lr_diverges(ex: Check) -> None:
    """LR_DIVERGES: a learning rate for which GD on f(x) = (x − 1)² + 3.5 from x0 = 0 explodes."""
    lr = ex.obj
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
        ex.fail(f"LR_DIVERGES is {type(lr).__name__} {fmt(lr)}; expected a number.",
                mistake("lr_diverges/not-a-number",
                    "assign a plain number, e.g. `LR_DIVERGES = 0.1` (but one that diverges)."))
    lr = float(lr)
    if not math.isfinite(lr):
        ex.fail(f"LR_DIVERGES is {lr}; expected a finite number.",
                mistake("lr_diverges/absurd-value",
                    "choose an ordinary number: a few units is already plenty."))
    if lr <= 0:
        ex.fail(
            f"with LR_DIVERGES = {lr:g} the steps go "
            + ("nowhere." if lr == 0 else "uphill: x - lr * f'(x) with lr < 0 climbs the curve."),
            mistake("lr_diverges/not-positive",
                "a learning rate is positive; find one that is too LARGE, so that every step "
                "overshoots the minimum by more than the last."),
        )
    # Python floats: an overflow gives inf silently, so the check itself never warns.
    x = 0.0
    for _ in range(_MAX_STEPS):
        x = x - lr * 2 * (x - 1)
        if not abs(x) <= _EXPLODED:  # also true for inf and nan
            return
    trace = f"x after 1, 2, 3 steps: {fmt(_descend(lambda v: 2 * (v - 1), 0.0, lr, 3)[1:])}"
    if lr <= 0.5:
        ex.fail(
            f"with lr = {lr:g}, gradient descent from x0 = 0 converges to the minimum x = 1 "
            f"({trace}).",
            mistake("lr_diverges/converges",
                "every step gets closer, without passing the minimum: make the learning rate "
                "much larger."),
        )
    if lr < 1:
        ex.fail(
            f"with lr = {lr:g} the iterates oscillate around x = 1 but still converge "
            f"({trace}; after {_MAX_STEPS} steps |x − 1| = {abs(x - 1):.2g}).",
            mistake("lr_diverges/oscillates-converging",
                "oscillating is not diverging: each step overshoots the minimum, but by less than "
                "the one before, so the swings shrink. Diverging means each swing is LARGER than "
                "the last: increase the learning rate further."),
        )
    if lr == 1:
        ex.fail(
            f"with lr = 1 the iterates jump between 0 and 2 forever ({trace}).",
            mistake("lr_diverges/constant-swings",
                "swings of constant size are neither converging nor diverging: a learning rate "
                "a bit larger makes every swing grow."),
        )
    ex.fail(
        f"with lr = {lr:g} the swings do grow, but slowly: after {_MAX_STEPS} steps |x| is only "
        f"{abs(x):.3g}.",
        mistake("lr_diverges/too-slow",
            "that does diverge, but too slowly to see: make it explode with a clearly larger "
            "learning rate."),
    )


# --- numerical_gradient ---------------------------------------------------------------------


def _paraboloid(p):
    """A function whose coordinates interact, so that every partial derivative differs."""
    x, y, z = p
    return x**2 + 3 * x * y + np.sin(y) + 0.5 * z**3 - x * z


def _central_gradient(f, x, h, one_sided=False, piling=False):
    """Central differences one coordinate at a time; the flags reproduce two classic bugs."""
    grad = np.zeros_like(x)
    up, down = x.copy(), x.copy()
    for i in range(x.size):
        if not piling:  # the bug: keep nudging the same copies, so the nudges pile up
            up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(x)) / h if one_sided else (f(up) - f(down)) / (2 * h)
    return grad


@exercise("numerical_gradient")
def numerical_gradient(ex: Check) -> None:
    """numerical_gradient(f, x, h=1e-5) -> the gradient of f at the vector x, shape x.shape."""
    for trial in range(ex.trials):
        start = ex.rng.normal(size=3)
        x = start.copy()
        h = 0.01 if trial == 0 else 1e-5  # a large h makes the formulas differ visibly
        label = f"numerical_gradient(f, x={fmt(start)}, h={h:g})"
        out = ex.call(fn=lambda x=x, h=h: ex.obj(_paraboloid, x, h=h), label=label)
        if not np.allclose(x, start, rtol=1e-12, atol=1e-15):
            ex.fail(f"{label} changed x in place: afterwards x is {fmt(x)}.",
                    mistake("numerical_gradient/input-changed",
                        "your function changed the caller's x: a nudge written into x itself "
                        "stays there after your function returns."))
        out = ex.array(out, label)
        want = _central_gradient(_paraboloid, start, h)
        all_at_once = _central(_paraboloid, start, h)
        if out.shape == ():
            ex.diagnose(
                out,
                f"{label} returned one number; expected one partial derivative per "
                f"coordinate, shape {start.shape}.",
                mistakes=[(all_at_once, mistake("numerical_gradient/all-at-once",
                                            "you nudged every coordinate at once (x + h), so "
                                            "you measured one slope along the diagonal instead "
                                            "of one per coordinate."))],
            )
        out = ex.array(out, label, shape=start.shape)
        ex.close(
            out,
            want,
            f"{label} gave {fmt(out, 6)}; expected {fmt(want, 6)}.",
            mistakes=[
                (np.full(3, all_at_once), mistake("numerical_gradient/all-at-once-same",
                                              "every entry is the same: you nudged all "
                                              "coordinates at once, so each entry holds the "
                                              "slope along the diagonal, not along its own "
                                              "coordinate.")),
                (_central_gradient(_paraboloid, start, h, one_sided=True),
                    mistake("numerical_gradient/forward-difference",
                        "that is the forward difference along each coordinate: it looks one way "
                        "only, like the less accurate of DIFFERENCE_ERRORS.")),
                (2 * want, mistake("numerical_gradient/missing-half",
                               "every entry is twice too large: the two points are 2h apart.")),
                (_central_gradient(_paraboloid, start, h, piling=True),
                    mistake("numerical_gradient/nudges-pile-up",
                        "the nudges pile up: when you nudge coordinate i, the coordinates before "
                        "it are still nudged from their own turn.")),
                (_central_gradient(_paraboloid, start, 1e-5),
                    mistake("numerical_gradient/fixed-h",
                                                                  "use the `h` you are given, "
                                                                  "not a "
                                                                  "fixed 1e-5.")),
            ],
            hint=mistake("numerical_gradient/wrong-value",
                     "entry i should be the central difference of f along coordinate i alone, "
                     "with every other coordinate held where x has it."),
            rtol=1e-7,
            atol=1e-9,
        )


@exercise("predict_bowl_lr", kind="value")
def predict_bowl_lr(ex: Check) -> None:
    """PREDICT_BOWL_LR: what gradient descent does on the stretched bowl with lr = 0.101."""
    _choice(ex, "PREDICT_BOWL_LR", BOWL_OPTIONS, bowl_outcome(0.101), {
        "a": mistake("predict_bowl_lr/converges",
                 "along y the factor 1 − 20η is −1.02 at η = 0.101: each swing is 2 % LARGER "
                 "than the last. Converging needs a factor of size below 1 in every direction, "
                 "the steep one included."),
        "b": mistake("predict_bowl_lr/both-diverge",
                 "each direction has its own factor: along x it is 1 − 2η, which at η = 0.101 "
                 "is far from −1. The limit comes from the steep direction alone."),
        "d": mistake("predict_bowl_lr/wrong-direction",
                 "the steep direction is y (10 y², ten times steeper): its factor passes −1 "
                 "first; the gentle x direction is far from its limit."),
    })


# --- mse ---------------------------------------------------------------------------------------


def _mse(y_pred, y):
    return float(np.mean((np.ravel(y_pred) - np.ravel(y)) ** 2))


@exercise("mse")
def mse(ex: Check) -> None:
    """mse(y_pred, y) = mean of (y_pred − y)², one number; (N,) and (N, 1) shapes mix."""
    y_pred, y = np.array([1.0, 3.0, 3.0]), np.array([1.0, 2.0, 6.0])
    label = "mse([1, 3, 3], [1, 2, 6])"
    out = ex.array(ex.call(y_pred, y, label=label), label)
    if out.shape == y.shape:
        ex.fail(f"{label} returned {fmt(out)}, one value per sample; expected one number.",
                mistake("mse/sum-not-mean",
                    "your mse keeps one squared error per sample; the loss is one number for "
                    "the whole batch."))
    out = ex.array(out, label, shape=())
    err = y_pred - y
    ex.close(
        out,
        10 / 3,
        f"{label} gave {fmt(out)}; the errors are 0, 1, −3, so expected (0 + 1 + 9) / 3 = 3.3333.",
        mistakes=[
            (np.sum(err**2), mistake("mse/sse",
                                 "that is the sum of squared errors, N = 3 times the mean.")),
            (np.mean(err), mistake("mse/errors-not-squared",
                               "square each error before averaging, or they cancel out.")),
            (np.mean(np.abs(err)), mistake("mse/absolute-error",
                                       "square the errors instead of taking their absolute "
                                       "value.")),
            (np.mean(err) ** 2, mistake("mse/square-of-mean",
                                    "square each error first, then average (not the other way "
                                    "round).")),
            (np.sqrt(10 / 3), mistake("mse/rmse", "no square root: that is the RMSE.")),
            (0.5 * 10 / 3, mistake("mse/halved",
                               "no ½ here: just the mean of the squared errors.")),
        ],
    )
    for _ in range(ex.trials):
        n = int(ex.rng.integers(5, 9))
        y_pred, y = ex.rng.normal(size=n), ex.rng.normal(size=n)
        for a, b, shapes in ((y_pred, y, ""),
                             (y_pred[:, None], y, " with y_pred (N, 1) and y (N,)"),
                             (y_pred, y[:, None], " with y_pred (N,) and y (N, 1)")):
            label = f"mse(y_pred, y){shapes}"
            out = ex.array(ex.call(a, b, label=label), label)
            if out.shape == (n, n):
                ex.fail(f"{label} returned shape {out.shape}; expected one number.",
                        mistake("mse/n-n-broadcast",
                            "an (N, 1) array minus an (N,) array broadcasts to an (N, N) table of "
                            "every pair: your difference compares every prediction with every "
                            "target."))
            out = ex.array(out, label, shape=())
            with np.errstate(all="ignore"):
                broadcast = np.mean((a - b) ** 2)
            ex.close(
                out,
                _mse(a, b),
                f"{label} gave {fmt(out)}; expected {_mse(a, b):.4f}.",
                mistakes=[(broadcast, mistake("mse/n-n-broadcast-2",
                                          "an (N, 1) array minus an (N,) array broadcasts to an "
                                          "(N, N) "
                           "table of every pair, and your mean is taken over all of it, not "
                           "over the N matching pairs."))],
                hint=mistake("mse/wrong-value",
                         "your value is not the mean of the squared errors of the flattened "
                         "arrays: work out the first example of this message by hand."),
            )


# The one-sample question: L = (w x + b − y)² at x = 0.5, y = 1, w = 2, b = 0.5.
_ONE = {"x": 0.5, "y": 1.0, "w": 2.0, "b": 0.5}


@exercise("grad_one_sample", kind="value")
def grad_one_sample(ex: Check) -> None:
    """GRAD_ONE_SAMPLE = (dL/dw, dL/db) for one sample: x = 0.5, y = 1, w = 2, b = 0.5."""
    got = _pair(ex, "GRAD_ONE_SAMPLE")
    x, y, w, b = _ONE["x"], _ONE["y"], _ONE["w"], _ONE["b"]
    e = w * x + b - y
    want = np.array([2 * e * x, 2 * e])
    ex.close(
        got,
        want,
        f"GRAD_ONE_SAMPLE = {fmt(got)}: not (∂L/∂w, ∂L/∂b) at this sample (ŷ = {w * x + b:g}, "
        f"e = ŷ − y = {e:g}).",
        mistakes=[
            (want / 2, mistake("grad_one_sample/2-missing",
                           "both are half the right value: the square brings a factor 2 (the "
                           "derivative of e² is 2e).")),
            (-want, mistake("grad_one_sample/sign-flipped",
                        "both have the wrong sign: increasing w increases ŷ, which is already "
                        "above y, so the loss grows: ∂L/∂w > 0.")),
            (np.array([2 * e, 2 * e]), mistake("grad_one_sample/x-missing",
                                           "your ∂L/∂w leaves out ∂ŷ/∂w: ŷ = w x + b changes "
                                           "by x per unit of w.")),
            (np.array([2 * (w * x + b) * x, 2 * (w * x + b)]),
                mistake("grad_one_sample/prediction-for-error",
                    "you used ŷ where the error e = ŷ − y belongs.")),
        ],
        hint=mistake("grad_one_sample/wrong-values",
                 "by the chain rule ∂L/∂w = ∂L/∂e · ∂e/∂w: find ∂(e²)/∂e, then how e changes "
                 "with w (and with b), at these numbers."),
    )


# The batch question: X = (1, 2, 3) (one input), y = (1, 1, 2), w = 1, b = 0.
_BATCH_X, _BATCH_Y, _BATCH_W, _BATCH_B = np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 2.0]), \
    1.0, 0.0


@exercise("grad_batch", kind="value")
def grad_batch(ex: Check) -> None:
    """GRAD_BATCH = (dL/dw, dL/db) of the MSE over three samples."""
    got = _pair(ex, "GRAD_BATCH")
    x, y = _BATCH_X, _BATCH_Y
    e = _BATCH_W * x + _BATCH_B - y
    n = len(x)
    want = np.array([2 / n * np.sum(e * x), 2 / n * np.sum(e)])
    ex.close(
        got,
        want,
        f"GRAD_BATCH = {fmt(got)}: not (∂L/∂w, ∂L/∂b) of the mean over the three samples "
        f"(errors e = {fmt(e)}).",
        mistakes=[
            (want * n, mistake("grad_batch/n-missing",
                           "both are 3 times too big: L is the MEAN over the 3 samples, not "
                           "their sum.")),
            (want / 2, mistake("grad_batch/2-missing",
                           "both are half the right value: the factor 2 of the square is "
                           "missing.")),
            (-want, mistake("grad_batch/sign-flipped",
                        "both have the wrong sign: the errors are ŷ − y.")),
            (np.array([2 / n * np.sum(e), 2 / n * np.sum(e)]),
                mistake("grad_batch/x-missing",
                    "your ∂L/∂w equals ∂L/∂b: each sample's error should be weighed by its "
                    "own x_i.")),
            (np.array([2 / n * np.sum(e) * np.sum(x), 2 / n * np.sum(e)]),
                mistake("grad_batch/product-of-sums",
                    "your ∂L/∂w multiplies the sum of the errors by the sum of the x_i; it is "
                    "the sum of the products e_i x_i.")),
        ],
        hint=mistake("grad_batch/wrong-values",
                 "L is the mean of three one-sample losses, each like the loss of "
                 "GRAD_ONE_SAMPLE with its own x_i and e_i: what is the derivative of a mean?"),
    )


# The matrix question: X of shape (3, 2) and the errors e, N = 3.
_MATRIX_X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_MATRIX_E = np.array([1.0, -1.0, 2.0])


@exercise("dw_matrix", kind="value")
def dw_matrix(ex: Check) -> None:
    """DW_MATRIX: dL/dw, shape (2,), for X (3, 2) and the errors e (3,)."""
    got = _pair(ex, "DW_MATRIX")
    X, e = _MATRIX_X, _MATRIX_E
    n = len(e)
    want = 2 / n * X.T @ e
    ex.close(
        got,
        want,
        f"DW_MATRIX = {fmt(got)}: not (∂L/∂w_1, ∂L/∂w_2) for these X and errors.",
        mistakes=[
            (X.T @ e, mistake("dw_matrix/2-and-n-missing",
                          "your entries are the plain sums Σ_i e_i x_ij, N/2 = 1.5 times too "
                          "big: neither the square's factor 2 nor the mean over N = 3 samples "
                          "is in them.")),
            (X.T @ e / n, mistake("dw_matrix/2-missing", "the factor 2 is missing.")),
            (2 * X.T @ e, mistake("dw_matrix/n-missing",
                              "each entry of your DW_MATRIX is N = 3 times too big.")),
            (-want, mistake("dw_matrix/sign-flipped", "the sign is flipped.")),
            (2 / n * X.sum(axis=0) * e.sum(), mistake("dw_matrix/product-of-sums",
                                                  "you multiplied the column sums of X by the "
                                                  "sum of the errors; each entry is a sum of "
                                                  "products e_i x_ij.")),
            (2 / n * (X @ np.ones(2)) @ e * np.ones(2), mistake("dw_matrix/rows-for-columns",
                                                             "both entries came out equal: "
                                                             "you summed along the rows of X; "
                                                             "entry j uses column j.")),
        ],
        hint=mistake("dw_matrix/wrong-values",
                 "entry j is (2/N) Σ_i e_i x_ij: for j = 1 use the first column of X, for j = 2 "
                 "the second. Which matrix product computes both at once, with the shapes "
                 "(3, 2) and (3,)?"),
    )


# --- mse_gradients -------------------------------------------------------------------------


def _regression_problem(rng, n, d):
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + rng.normal() + 0.3 * rng.normal(size=n)
    return X, y, rng.normal(size=d), float(rng.normal())


def _loss_gradients(X, y, w, b):
    """(dw, db) by central differences of the loss mean((X @ w + b − y)²)."""
    params = np.append(w, b)  # nudged in place by the gradient checker

    def loss():
        return np.mean((X @ params[:-1] + params[-1] - y) ** 2)

    grad = _reference_gradient(loss, params)
    return grad[:-1], grad[-1]


@exercise("mse_gradients")
def mse_gradients(ex: Check) -> None:
    """mse_gradients(X, y, w, b) -> (dw, db), the gradient of mean((X @ w + b − y)²)."""
    # A square X first, so that X @ err (for X.T @ err) has the right shape and can be named.
    sizes = [(3, 3)] + [(int(ex.rng.integers(6, 12)), int(ex.rng.integers(1, 4)))
                        for _ in range(ex.trials)]
    for n, d in sizes:
        X, y, w, b = _regression_problem(ex.rng, n, d)
        label = f"mse_gradients(X, y, w, b) with X of shape {X.shape}"
        result = ex.call(X, y, w, b, label=label)
        if not isinstance(result, tuple) or len(result) != 2:
            ex.fail(f"{label} returned {type(result).__name__}; expected a tuple (dw, db).",
                    mistake("mse_gradients/not-a-pair", "end with `return dw, db`."))
        err = X @ w + b - y
        times = X.T * err  # `*` where `@` belongs: (D, N), one column per sample
        got = np.asarray(result[0]) if isinstance(result[0], np.ndarray) else None
        if got is not None and got.shape == times.shape and got.dtype.kind in "biuf":
            scale = np.sum(got * times) / max(np.sum(times * times), 1e-300)
            if np.allclose(got, scale * times, rtol=1e-6, atol=1e-12):
                ex.fail(
                    f"dw has shape {got.shape}; expected {(d,)}: one value per weight.",
                    mistake("mse_gradients/elementwise-for-matmul",
                        "`*` multiplies element by element and keeps one column per sample; "
                        "dw[j] is a sum over the samples i, which a matrix product computes "
                        "for you."),
                )
        dw = ex.array(result[0], "dw", shape=(d,))
        if np.shape(result[1]) in ((n,), (n, 1)):
            ex.fail(f"db returned shape {np.shape(result[1])}; expected shape (), one number.",
                    mistake("mse_gradients/db-not-summed",
                            f"your db has one entry per sample (N = {n}): b is one number, so "
                            "its gradient is one number, and every sample's share of it still "
                            "has to be collected over the samples, as dw's entries collect "
                            "theirs."))
        db = ex.array(result[1], "db", shape=())

        want_dw, want_db = _loss_gradients(X, y, w, b)
        dw_mistakes = [(k * want_dw, h) for k, h in _scale_mistakes("each entry of your dw", n)]
        if n == d:
            dw_mistakes.append((2 / n * X @ err, mistake(
                "mse_gradients/x-for-x-t", "your dw pairs the errors with the ROWS of X: dw[j] "
                                           "sums x_ij * err_i over the samples i, down column j "
                                           "of X.")))
        ex.close(
            dw,
            want_dw,
            f"for {label} your dw is {fmt(dw)}; expected {fmt(want_dw)} "
            "(finite differences of the loss).",
            mistakes=dw_mistakes,
            hint=mistake("mse_gradients/dw-wrong", _off_by("dw", dw, want_dw)),
            rtol=1e-5,
            atol=1e-7,
        )
        ex.close(
            db,
            want_db,
            f"for {label} your db is {fmt(db)}; expected {want_db:.6f} "
            "(finite differences of the loss).",
            mistakes=[(k * want_db, h) for k, h in _scale_mistakes("your db", n)],
            hint=mistake("mse_gradients/db-wrong", _off_by("db", db, want_db)),
            rtol=1e-5,
            atol=1e-7,
        )


def _scale_mistakes(which: str, n: int) -> list[tuple[float, Hint]]:
    """mse_gradients' slips that scale the whole gradient, as (factor, hint); ``which`` names
    the gradient ("each entry of your dw", "your db"). Each says how far off, not the fix."""
    return [
        (0.5, mistake("mse_gradients/2-missing",
                  f"{which} is half the right value: the factor 2 from differentiating the "
                  "square is missing.")),
        (n, mistake("mse_gradients/n-missing", f"{which} is N times too big (N = {n} samples).")),
        (-1, mistake("mse_gradients/sign-flipped",
                 "the sign is flipped: your gradient points downhill. The loss grows with "
                 "ŷ_i where ŷ_i > y_i.")),
        (n / 2, mistake("mse_gradients/2-and-n-missing",
                    f"{which} is N/2 times too big (N = {n} samples): the factor 2 of the "
                    "square is missing, and the gradient is N times too big besides.")),
    ]


def _off_by(name: str, got, want) -> str:
    """The fallback for a wrong gradient: what is off, and by how much, never the formula."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    both = float(np.sum(want * want))
    ratio = float(np.sum(got * want) / both) if both > 0 else 0.0
    sign = ", with the sign flipped" if ratio < 0 else ""
    if got.ndim == 0:
        return (f"your {name} is off by {float(got - want):+.4g}: it is {ratio:.3g} times the "
                f"right value{sign}.")
    if both > 0 and np.allclose(got, ratio * want, rtol=1e-4, atol=1e-9):
        return (f"each entry of your {name} is {ratio:.4g} times the right one{sign}: a factor "
                "in front is off.")
    wrong = np.flatnonzero(~np.isclose(got, want, rtol=1e-5, atol=1e-7))
    return (f"entries {wrong.tolist()} of your {name} are off (by "
            f"{fmt(got[wrong] - want[wrong])}), not all by one factor: check what multiplies "
            "each sample's error.")


# --- fit_linear -------------------------------------------------------------------------------


def _fit(X, y, lr, n_steps, update_b=True):
    """Reference training loop: from zeros; losses[k] is the loss before update k."""
    w, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(n_steps):
        err = X @ w + b - y
        losses.append(np.mean(err**2))
        w = w - lr * 2 / len(y) * (X.T @ err)
        if update_b:
            b = b - lr * 2 / len(y) * np.sum(err)
    return w, b, np.array(losses)


@exercise("fit_linear")
def fit_linear(ex: Check) -> None:
    """fit_linear(X, y, lr, n_steps) -> (w, b, losses): GD on the MSE from w = 0, b = 0."""
    for _ in range(ex.trials):
        n, d = int(ex.rng.integers(15, 30)), int(ex.rng.integers(1, 4))
        X, y, _, _ = _regression_problem(ex.rng, n, d)
        y = y + 2.0  # a clear offset, so that a forgotten bias shows
        lr, n_steps = 0.05, int(ex.rng.integers(20, 40))
        label = f"fit_linear(X, y, lr={lr}, n_steps={n_steps}) with X of shape {X.shape}"
        result = ex.call(X, y, lr, n_steps, label=label)
        if not isinstance(result, tuple) or len(result) != 3:
            ex.fail(f"{label} returned {type(result).__name__}; expected a tuple (w, b, losses).",
                    mistake("fit_linear/not-a-triple", "end with `return w, b, losses`."))
        w = ex.array(result[0], "w", shape=(d,))
        b = ex.array(result[1], "b", shape=())
        losses = ex.array(result[2], "losses")
        want_w, want_b, want_losses = _fit(X, y, lr, n_steps)
        if losses.shape == (n_steps + 1,):
            ex.fail(f"losses has {n_steps + 1} values; expected one per step, {n_steps}.",
                    mistake("fit_linear/loss-count",
                        "one loss too many: the loss after the last update is in the list too."))
        losses = ex.array(losses, "losses", shape=(n_steps,))
        _, _, one_more = _fit(X, y, lr, n_steps + 1)
        shifted = (mistake("fit_linear/losses-shifted-by-one",
                       "the losses are shifted by one step: each is the loss after its step's "
                       "update, where the docstring asks for the loss before it."))
        ex.close(losses[0], np.mean(y**2),
                 f"losses[0] is {fmt(losses[0])}; at w = 0, b = 0 every prediction is 0, so the "
                 f"first loss is mean(y²) = {np.mean(y**2):.4f}.",
                 mistakes=[(one_more[1], shifted)],
                 hint=mistake("fit_linear/wrong-first-loss",
                          "your first loss is not that of the docstring's start, w = 0 and "
                          "b = 0, before any update."))
        ex.close(
            losses,
            want_losses,
            f"your losses {fmt(losses)} differ from those of gradient descent, {fmt(want_losses)}.",
            mistakes=[
                (one_more[1:], shifted),
                (_fit(X, y, lr, n_steps, update_b=False)[2],
                    mistake("fit_linear/b-not-updated",
                        "b never changes: your loop moves w only.")),
                (np.full(n_steps, losses[0]), mistake("fit_linear/no-update",
                                                  "the loss never changes: w and b stay where "
                                                  "they started.")),
            ],
            hint=mistake("fit_linear/wrong-losses",
                     "from the first loss on, your losses part from gradient descent's: look "
                     "at which w and b each step's loss and gradients are computed for, and "
                     "at the direction and size of your update."),
        )
        ex.close(
            np.append(w, b),
            np.append(want_w, want_b),
            f"after {n_steps} steps you return w = {fmt(w)}, b = {fmt(b)}; gradient descent "
            f"reaches w = {fmt(want_w)}, b = {want_b:.4f}.",
            hint=mistake("fit_linear/wrong-final-weights",
                     "your losses are right, but the w and b you return are not those after "
                     "the last update."),
        )


@exercise("choose_lr")
def choose_lr(ex: Check) -> None:
    """choose_lr(fit, X_train, y_train, X_val, y_val, lrs, n_steps) -> (best_lr, val_losses)."""
    # seed 3: training prefers 0.3, validation 0.1, the worst run is 0.003: each wrong
    # choice is told apart (tests assert it)
    X, y, _, _ = _regression_problem(np.random.default_rng(3), 40, 2)
    y = y + 2.0
    X_train, y_train, X_val, y_val = X[:28], y[:28], X[28:], y[28:]
    lrs, n_steps = [0.003, 0.01, 0.03, 0.1, 0.3], 15
    runs = []

    def fit(X, y, lr, n_steps):
        runs.append((X, lr, n_steps))
        return _fit(X, y, lr, n_steps)

    label = "choose_lr(fit, X_train, y_train, X_val, y_val, [0.003, 0.01, 0.03, 0.1, 0.3], 15)"
    result = ex.call(fit, X_train, y_train, X_val, y_val, lrs, n_steps, label=label)
    if not isinstance(result, tuple) or len(result) != 2:
        ex.fail(f"{label} returned {describe(result)}; expected a pair (best_lr, losses).",
                mistake("choose_lr/not-a-pair", "return the pair `best_lr, val_losses`."))
    best, losses = result
    ex.array(losses, "val_losses")  # numbers at all, before what the runs did
    val_rows = {row.tobytes() for row in X_val}
    for Xr, _, _ in runs:
        seen = sum(row.tobytes() in val_rows for row in np.asarray(Xr, dtype=float))
        if seen:
            ex.fail(f"your choose_lr fitted a line to {len(Xr)} samples, {seen} of them from the "
                    "validation set.",
                    mistake("choose_lr/trained-on-validation",
                        "a fit that saw the validation samples is judged on data it was fitted "
                        "to: its validation loss flatters it."))
    tried = [lr for _, lr, _ in runs]
    if sorted(tried) != sorted(lrs) or any(k != n_steps for *_, k in runs):
        missing = [lr for lr in lrs if lr not in tried]
        if len(tried) in (len(lrs) - 1, len(lrs) + 1) and all(k == n_steps for *_, k in runs):
            ex.fail(f"your choose_lr trained with the rates {tried} for {lrs}: off by one run.",
                    mistake("choose_lr/off-by-one",
                        "your loop skips a rate or adds one: "
                        + (f"the rate {missing[0]} has no run." if missing else
                           "one run too many.")))
        ex.fail(f"your choose_lr trained with (lr, n_steps) = "
                f"{[(lr, k) for _, lr, k in runs]}; expected one run of {n_steps} steps for "
                f"each of {lrs}.",
                mistake("choose_lr/runs-not-per-lr",
                    "your runs and the learning rates do not match one to one, or a run did not "
                    "take n_steps steps."))
    if np.ndim(losses) == 1 and len(losses) in (len(lrs) - 1, len(lrs) + 1):
        ex.fail(f"your val_losses list has {len(losses)} entries for {len(lrs)} rates.",
                mistake("choose_lr/off-by-one",
                    f"one entry {'too many' if len(losses) > len(lrs) else 'too few'}: the "
                    "list and lrs must match one to one."))
    losses = ex.array(losses, "val_losses", shape=(len(lrs),))
    val, train = [], []
    for lr in lrs:
        w, b, _ = _fit(X_train, y_train, lr, n_steps)
        val.append(np.mean((X_val @ w + b - y_val) ** 2))
        train.append(np.mean((X_train @ w + b - y_train) ** 2))
    ex.close(
        losses,
        val,
        f"your validation losses are {fmt(losses)}: not the validation MSEs of the lines "
        "your runs fitted.",
        mistakes=[(train, mistake("choose_lr/training-losses",
                              "those are the losses on the training data, the data each line "
                              "was fitted to.")),
                  ([_fit(X_train, y_train, lr, n_steps)[2][-1] for lr in lrs],
                   mistake("choose_lr/last-recorded-loss",
                       "those are the last losses fit recorded: on the training data, and "
                       "before its last update."))],
        hint=mistake("choose_lr/wrong-losses",
                 "your losses match no run's MSE on the validation set, nor on the training "
                 "set."),
    )
    want = lrs[int(np.argmin(val))]
    if best == want:
        return
    ex.diagnose(
        best,
        f"your choice is {fmt(best)}; the lowest validation loss, {min(val):.4f}, belongs to "
        "another rate.",
        mistakes=[
            (min(val), mistake("choose_lr/returned-loss",
                           "that is the lowest validation loss itself, not the learning rate "
                           "of the run that reached it.")),
            (int(np.argmin(val)), mistake("choose_lr/index-not-lr",
                                      "that is the position of the best run in lrs, not its "
                                      "learning rate.")),
            (lrs[int(np.argmin(train))], mistake("choose_lr/chose-on-training",
                                             "that run has the lowest loss on the training "
                                             "data, the data it was fitted to: the training "
                                             "loss flatters whichever run followed its own "
                                             "samples closest.")),
            (lrs[int(np.argmax(val))], mistake("choose_lr/chose-highest-loss",
                                           "that run has the HIGHEST validation loss: a loss "
                                           "is better when it is lower.")),
        ],
        hint=mistake("choose_lr/wrong-choice",
                 "your choice is not the learning rate of the run with the lowest of your "
                 "validation losses."),
    )
