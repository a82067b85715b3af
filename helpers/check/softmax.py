"""Checks for notebook 06, softmax and cross-entropy."""

from __future__ import annotations

import copy

import numpy as np

from ..gradcheck import GRADIENT_RIGHT, numerical_gradient, relative_error
from ..losses import log_softmax
from ..nn import Linear, Sequential
from ._core import NUMBER_HINT, Check, CheckFailed, NotWrittenYet, exercise, fmt
from .mistakes import mistake

__all__ = [
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "binary_cross_entropy",
    "one_hot",
    "softmax",
    "softmax_cross_entropy",
    "predict",
]

# The checks' own references, written independently of the notebook's solutions.


def _plogq(p: np.ndarray, q: np.ndarray, log=np.log2) -> np.ndarray:
    """p * log(q) elementwise, with 0 where p = 0 (0 · log 0 = 0)."""
    out = np.zeros(np.broadcast(p, q).shape)
    mask = p > 0
    out[mask] = p[mask] * log(q[mask])
    return out


def _entropy(p, log=np.log2):
    return float(-_plogq(p, p, log).sum())


def _cross_entropy(p, q, log=np.log2):
    return float(-_plogq(p, q, log).sum())


def _kl(p, q, log=np.log2):
    return _cross_entropy(p, q, log) - _entropy(p, log)


def _random_distribution(ex: Check, k: int) -> np.ndarray:
    p = ex.rng.uniform(0.05, 1.0, size=k)
    return p / p.sum()


def _scalar(ex: Check, out, label: str) -> float:
    """``out`` as one number, or a failed check that says to add the terms up."""
    arr = ex.array(out, label)
    if arr.shape == (1,):
        ex.fail(f"{label} returned shape (1,); expected a single number.", NUMBER_HINT)
    if arr.shape != ():
        ex.fail(f"{label} returned shape {arr.shape}; expected a single number.",
                mistake("general/not-summed",
                    "add the terms up into one number with np.sum (or np.mean for a loss)."))
    return float(arr)


def _call(ex: Check, *args, label: str, hint_for, **kwargs):
    """``ex.call``, but an exception of the student's code gets the hint ``hint_for(err)``
    when that names a known mistake (None keeps the generic hint)."""
    try:
        return ex.call(*args, label=label, **kwargs)
    except CheckFailed as failure:
        hint = hint_for(failure.__cause__) if failure.__cause__ is not None else None
        if hint is None or isinstance(failure, NotWrittenYet):
            raise
        raise CheckFailed(failure.exercise, failure.message, hint) from failure.__cause__


_ZERO_LOG_HINT = (
    mistake("information/log-of-zero",
        "0 · log 0 counts as 0, but np.log2(0) is -inf and 0 * -inf is nan: leave out the "
        "zero probabilities, e.g. `mask = p > 0` and sum over p[mask] only.")
)
_BITS_HINT = mistake("information/natural-log-not-bits",
                 "the course measures information in bits: use np.log2, not np.log.")


def _information_check(ex: Check, reference, name: str, args_for) -> None:
    """Shared trials of entropy, cross_entropy and kl_divergence: random distributions,
    checked against ``reference`` with the nats, sign and swapped-argument mistakes."""
    for _ in range(ex.trials):
        k = int(ex.rng.integers(3, 7))
        args = args_for(k)
        label = f"{name}(" + ", ".join(fmt(a, 3) for a in args) + ")"
        out = _scalar(ex, ex.call(*args, label=label, warning_hint=_ZERO_LOG_HINT), label)
        want = reference(*args)
        mistakes = [
            (reference(*args, log=np.log), _BITS_HINT),
            (-want, mistake("information/sign-flipped",
                        "check the sign: a sum of p · log2(...) over probabilities below 1 is "
                        "negative, so a minus sign in front makes it positive.")),
        ]
        if len(args) == 2:
            mistakes.append((reference(args[1], args[0]), mistake(
                "information/arguments-swapped",
                f"the arguments are swapped: in {name}(p, q) the weights are p, "
                "the true distribution, and the log is taken of q.")))
        ex.close(out, want, f"{label} gave {fmt(out)}; expected {fmt(want)}.",
                 mistakes=mistakes)


@exercise("entropy")
def entropy(ex: Check) -> None:
    """entropy(p) = -Σ p log2 p in bits, for a distribution p of shape (K,); 0 · log 0 = 0."""
    cases = [
        (np.array([0.5, 0.5]), 1.0, "a fair coin"),
        (np.full(6, 1 / 6), np.log2(6), "a fair die"),
        (np.array([0.25, 0.25, 0.25, 0.25]), 2.0, "four equally likely outcomes"),
    ]
    for p, want, what in cases:
        label = f"entropy({fmt(p, 3)})"
        out = _scalar(ex, ex.call(p, label=label), label)
        ex.close(
            out,
            want,
            f"for {what} your {label} gave {fmt(out)}; expected {want:.4g} bits.",
            mistakes=[
                (want * np.log(2), _BITS_HINT),
                (-want, mistake("entropy/sign-flipped",
                            "entropy is -Σ p log2 p: the minus sign makes it positive.")),
                (want / len(p), mistake("entropy/mean-not-sum",
                                    "add the terms p · log2 p up with np.sum, don't average "
                                    "them.")),
            ],
        )
    for p in (np.array([1.0, 0.0]), np.array([0.5, 0.0, 0.5])):
        label = f"entropy({fmt(p, 3)})"
        # np.where(p > 0, p * np.log2(p), 0) and np.nansum are right, after log2(0) warned:
        # they pass, with a note (the check contract)
        out = ex.call(p, label=label, warning_hint=_ZERO_LOG_HINT)
        out = _scalar(ex, out, label)
        ex.finite(np.asarray(out), label, _ZERO_LOG_HINT)
        want = _entropy(p)
        ex.close(out, want, f"{label} gave {fmt(out)}; expected {fmt(want)}: a certain "
                 "outcome carries no information, and impossible outcomes add nothing.")
    _information_check(ex, _entropy, "entropy", lambda k: (_random_distribution(ex, k),))


@exercise("cross_entropy")
def cross_entropy(ex: Check) -> None:
    """cross_entropy(p, q) = -Σ p log2 q in bits, for distributions of shape (K,)."""
    p, q = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    label = "cross_entropy([0.5, 0.5], [0.25, 0.75])"
    out = _scalar(ex, ex.call(p, q, label=label, warning_hint=_ZERO_LOG_HINT), label)
    want = _cross_entropy(p, q)
    ex.close(
        out,
        want,
        f"{label} gave {fmt(out)}; expected -(0.5 log2 0.25 + 0.5 log2 0.75) = {fmt(want)}.",
        mistakes=[
            (_cross_entropy(q, p), mistake("cross_entropy/arguments-swapped",
                                       "the arguments are swapped: the weights are p (the true "
             "distribution), the log is taken of q (the model's): -Σ p log2 q.")),
            (want * np.log(2), _BITS_HINT),
            (-want, mistake("cross_entropy/sign-flipped",
                        "check the sign: -Σ p log2 q is positive.")),
        ],
    )
    p = np.full(4, 0.25)
    label = "cross_entropy(p, p) for p = [0.25, 0.25, 0.25, 0.25]"
    out = _scalar(ex, ex.call(p, p.copy(), label=label), label)
    ex.close(out, 2.0, f"{label} gave {fmt(out)}; expected the entropy of p, 2 bits.")
    p, q = np.array([0.5, 0.0, 0.5]), np.array([0.25, 0.0, 0.75])
    label = f"cross_entropy({fmt(p, 3)}, {fmt(q, 3)})"
    out = _scalar(ex, ex.call(p, q, label=label, warning_hint=_ZERO_LOG_HINT), label)
    ex.finite(np.asarray(out), label, _ZERO_LOG_HINT)
    want = _cross_entropy(p, q)
    ex.close(out, want, f"{label} gave {fmt(out)}; expected {fmt(want)}: an outcome with "
             "p = 0 adds nothing.")
    _information_check(
        ex, _cross_entropy, "cross_entropy",
        lambda k: (_random_distribution(ex, k), _random_distribution(ex, k)),
    )


@exercise("kl_divergence")
def kl_divergence(ex: Check) -> None:
    """kl_divergence(p, q) = Σ p log2(p / q) in bits, for distributions of shape (K,)."""
    p, q = np.array([0.5, 0.5]), np.array([0.25, 0.75])
    label = "kl_divergence([0.5, 0.5], [0.25, 0.75])"
    out = _scalar(ex, ex.call(p, q, label=label, warning_hint=_ZERO_LOG_HINT), label)
    want = _kl(p, q)
    ex.close(
        out,
        want,
        f"{label} gave {fmt(out)}; expected 0.5 log2(0.5/0.25) + 0.5 log2(0.5/0.75) "
        f"= {fmt(want)}.",
        mistakes=[
            (_kl(q, p), mistake("kl_divergence/arguments-swapped",
                            "the arguments are swapped: KL(p ‖ q) = Σ p log2(p / q), weighted "
                            "by p, the true distribution. It is not symmetric.")),
            (want * np.log(2), _BITS_HINT),
            (-want, mistake("kl_divergence/ratio-inverted",
                        "it is Σ p log2(p / q), not log2(q / p): KL is never negative.")),
            (_cross_entropy(p, q), mistake("kl_divergence/cross-entropy-instead",
                                       "that is the cross-entropy H(p, q); KL subtracts the "
                                       "entropy H(p) from it.")),
        ],
    )
    p = _random_distribution(ex, 5)
    label = f"kl_divergence(p, p) for p = {fmt(p, 3)}"
    out = _scalar(ex, ex.call(p, p.copy(), label=label), label)
    ex.close(out, 0.0, f"{label} gave {fmt(out)}; a distribution is 0 bits away from itself.",
             atol=1e-9)
    p, q = np.array([0.5, 0.0, 0.5]), np.array([0.25, 0.25, 0.5])
    label = f"kl_divergence({fmt(p, 3)}, {fmt(q, 3)})"
    out = _scalar(ex, ex.call(p, q, label=label, warning_hint=_ZERO_LOG_HINT), label)
    ex.finite(np.asarray(out), label, _ZERO_LOG_HINT)
    want = _kl(p, q)
    ex.close(out, want, f"{label} gave {fmt(out)}; expected {fmt(want)}: an outcome with "
             "p = 0 adds nothing.")
    _information_check(
        ex, _kl, "kl_divergence",
        lambda k: (_random_distribution(ex, k), _random_distribution(ex, k)),
    )


def _bce(p, y):
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


_BCE_EDGE_HINT = (
    mistake("binary_cross_entropy/log-of-zero",
        "np.log(0) is -inf (and 0 * -inf is nan): clip the probabilities away from 0 and 1 "
        "first, in float64: `p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)` "
        "(in float32, 1 - 1e-12 rounds to 1.0 and that clip does nothing).")
)

_BCE_FLOAT32_HINT = mistake(
    "binary_cross_entropy/float32-clip",
    "in float32 1 − 1e-12 == 1.0, so the clip does nothing and log(1 − p) is log 0 for "
    "p = 1: convert p to float64 first (`p = np.asarray(p, dtype=float)`), or clip with a "
    "float32-sized margin such as np.finfo(p.dtype).eps.",
)

_BCE_BROADCAST_HINT = mistake(
    "binary_cross_entropy/n-n-broadcast",
    "y of shape (N, 1) and p of shape (N,) broadcast to an (N, N) table of every pair, and "
    "its mean is not the loss: reshape y to p's shape first, `y = np.reshape(y, np.shape(p))`.",
)


@exercise("binary_cross_entropy")
def binary_cross_entropy(ex: Check) -> None:
    """binary_cross_entropy(p, y) = -mean(y log p + (1 - y) log(1 - p)); p, y of shape (N,)."""
    p, y = np.array([0.5, 0.5]), np.array([1.0, 0.0])
    label = "binary_cross_entropy([0.5, 0.5], [1, 0])"
    out = _scalar(ex, ex.call(p, y, label=label), label)
    ex.close(
        out,
        np.log(2),
        f"{label} gave {fmt(out)}; expected -log 0.5 = ln 2 = {fmt(np.log(2))}.",
        mistakes=[
            (1.0, mistake("binary_cross_entropy/log2",
                      "this loss uses the natural log, np.log, not np.log2.")),
            (2 * np.log(2), mistake("binary_cross_entropy/sum-not-mean",
                                "take the mean over the samples, not the sum.")),
            (-np.log(2), mistake("binary_cross_entropy/sign-flipped",
                             "check the sign: the loss is minus the mean log-likelihood.")),
        ],
    )
    for _ in range(ex.trials):
        n = int(ex.rng.integers(5, 9))
        p, y = ex.rng.uniform(0.02, 0.98, size=n), ex.rng.integers(0, 2, size=n).astype(float)
        label = f"binary_cross_entropy(p, y) with p = {fmt(p, 3)}, y = {fmt(y, 0)}"
        out = _scalar(ex, ex.call(p, y, label=label, warning_hint=_BCE_EDGE_HINT), label)
        want = _bce(p, y)
        ex.close(
            out,
            want,
            f"{label} gave {fmt(out)}; expected {fmt(want)}.",
            mistakes=[
                (n * want, mistake("binary_cross_entropy/sum-not-mean",
                               "take the mean over the samples, not the sum.")),
                (want / np.log(2), mistake("binary_cross_entropy/log2",
                                       "this loss uses the natural log, np.log, not np.log2.")),
                (-want, mistake("binary_cross_entropy/sign-flipped",
                            "check the sign: the loss is minus the mean log-likelihood.")),
                (_bce(1 - p, y), mistake("binary_cross_entropy/classes-swapped",
                                     "p is the probability of class 1: y = 1 goes with log p, "
                                     "y = 0 with log(1 - p).")),
            ],
        )
    p, y = np.array([0.0, 1.0, 0.5]), np.array([0.0, 1.0, 1.0])
    label = "binary_cross_entropy([0, 1, 0.5], [0, 1, 1])"
    out = _scalar(ex, ex.call(p, y, label=label, warning_hint=_BCE_EDGE_HINT), label)
    ex.finite(np.asarray(out), label, _BCE_EDGE_HINT)
    want = np.log(2) / 3
    ex.close(out, want, f"{label} gave {fmt(out)}; expected ln 2 / 3 = {fmt(want)}: a sure "
             "and right prediction costs nothing.", hint=
                 mistake("binary_cross_entropy/clip-too-wide",
                                                             "clip with a tiny margin such as "
             "1e-12, so that right predictions still cost (almost) nothing."), atol=1e-6)
    p, y = np.array([0.0, 1.0]), np.array([1.0, 0.0])
    label = "binary_cross_entropy([0, 1], [1, 0])"
    out = _scalar(ex, ex.call(p, y, label=label, warning_hint=_BCE_EDGE_HINT), label)
    ex.finite(np.asarray(out), label, _BCE_EDGE_HINT)
    if out < 10:
        ex.fail(f"{label}, two sure and wrong predictions, gave {fmt(out)}: expected a "
                "large loss (above 10).",
                mistake("binary_cross_entropy/sure-wrong-too-cheap",
                    "clip p into [eps, 1 - eps] with a tiny eps, such as 1e-12: a sure wrong "
                    "answer must cost a lot."))
    # float32 probabilities (a float32 model's output): 1 - 1e-12 is 1.0 there
    p, y = np.array([0.0, 1.0, 0.5], dtype=np.float32), np.array([0.0, 1.0, 1.0])
    label = "binary_cross_entropy(p, y) with float32 p = [0, 1, 0.5], y = [0, 1, 1]"
    out = _scalar(ex, ex.call(p, y, label=label, warning_hint=_BCE_FLOAT32_HINT), label)
    ex.finite(np.asarray(out, dtype=float), label, _BCE_FLOAT32_HINT)
    want = np.log(2) / 3
    ex.close(out, want, f"{label} gave {fmt(out)}; expected ln 2 / 3 = {fmt(want)}.",
             hint=_BCE_FLOAT32_HINT, atol=1e-6)
    # labels as a column, (N, 1), against probabilities (N,)
    p = ex.rng.uniform(0.05, 0.95, size=5)
    y = np.array([[1.0], [0.0], [1.0], [1.0], [0.0]])
    label = f"binary_cross_entropy(p, y) with p of shape {p.shape} and y of shape {y.shape}"
    out = _scalar(ex, ex.call(p, y, label=label, warning_hint=_BCE_EDGE_HINT), label)
    want = _bce(p, y.ravel())
    ex.close(out, want, f"{label} gave {fmt(out)}; expected {fmt(want)}, the loss of the 5 "
             "(p, y) pairs.", mistakes=[(_bce(p, y), _BCE_BROADCAST_HINT)])


_OFF_BY_ONE_HINT = (
    mistake("one_hot/off-by-one",
        "off by one: classes are numbered 0 to num_classes - 1, and class k goes in column k "
        "(label 0 in column 0).")
)


def _one_hot_error_hint(err: BaseException) -> str | None:
    return _OFF_BY_ONE_HINT if isinstance(err, IndexError) else None


@exercise("one_hot")
def one_hot(ex: Check) -> None:
    """one_hot(y, num_classes): labels (N,) -> (N, num_classes) rows with one 1 each."""
    cases = [
        (np.array([2, 0, 1, 2, 1]), 3),  # N > C
        (np.array([1, 3, 0]), 5),  # N < C, and the highest class is absent
        (np.array([2, 0, 1]), 3),  # square: a transposed answer has the right shape
    ]
    for y, c in cases:
        label = f"one_hot({fmt(y)}, num_classes={c})"
        out = _call(ex, y, c, label=label, hint_for=_one_hot_error_hint)
        arr = ex.array(out, label)
        n = len(y)
        if arr.shape == (c, n) and n != c:
            ex.fail(f"{label} returned shape {arr.shape}; expected ({n}, {c}).",
                    mistake("one_hot/transposed",
                        "the matrix is transposed: one row per sample, one column per class."))
        if arr.ndim == 2 and arr.shape[0] == n and arr.shape[1] == y.max() + 1 != c:
            ex.fail(f"{label} returned shape {arr.shape}; expected ({n}, {c}).",
                    mistake("one_hot/columns-from-max",
                        "use num_classes for the number of columns, not y.max() + 1: a batch "
                        "need not contain every class."))
        if arr.ndim == 2 and arr.shape[0] == n and arr.shape[1] == c + 1:
            ex.fail(f"{label} returned shape {arr.shape}; expected ({n}, {c}).",
                    mistake("one_hot/extra-column",
                        "classes are numbered 0 to num_classes - 1: there are num_classes "
                        "columns, not num_classes + 1."))
        arr = ex.array(arr, label, shape=(n, c))
        want = np.eye(c)[y]
        ex.close(
            arr,
            want,
            f"{label} gave\n{fmt(arr)}; expected\n{fmt(want)}.",
            mistakes=[
                (want.T, mistake("one_hot/transposed",
                             "the matrix is transposed: one row per sample, one column per "
                             "class.")),
                (np.eye(c)[(y - 1) % c], _OFF_BY_ONE_HINT),
                (np.eye(c)[(y + 1) % c], _OFF_BY_ONE_HINT),
            ],
            hint=mistake("one_hot/wrong-value",
                     "row i holds a single 1, in column y[i]: `np.eye(num_classes)[y]` or "
                     "`out[np.arange(N), y] = 1`."),
        )


def _softmax(z):
    return np.exp(log_softmax(np.asarray(z, dtype=float)))


_KEEPDIMS_HINT = (
    mistake("softmax/no-keepdims",
        "divide each row by its own sum: `e.sum(axis=-1, keepdims=True)` has shape (N, 1) and "
        "lines up with the rows; without keepdims the N sums line up with the columns.")
)
_AXIS_HINT = mistake("softmax/sum-over-axis-0",
                 "each row (one sample's scores) must sum to 1: sum over axis=-1, not axis 0.")
_OVERFLOW_HINT = (
    mistake("softmax/overflow-no-max-shift",
        "np.exp(1000) overflows to inf, and inf / inf is nan. Subtract each row's maximum "
        "before np.exp: softmax(z) = softmax(z - c) for any c, and then the largest exponent is 0.")
)
_ROW_MAX_HINT = (
    mistake("softmax/global-max-shift",
        "subtract the maximum of each row, `z.max(axis=-1, keepdims=True)`, not the maximum of "
        "the whole array: a row far below that maximum underflows to 0 / 0.")
)


def _softmax_mistakes(z: np.ndarray) -> list[tuple[np.ndarray, str]]:
    """What the classic softmax bugs output for z, each with the hint that names it."""
    mistakes = []
    if z.ndim == 2:  # a sum over axis 0, after any of the shifts a student subtracts
        for shift in (0.0, z.max(), z.max(axis=-1, keepdims=True), z.max(axis=0)):
            e = np.exp(z - shift)
            mistakes.append((e / e.sum(axis=0, keepdims=True), _AXIS_HINT))
    if z.ndim != 2 or z.shape[0] != z.shape[1]:
        return mistakes  # the bugs below broadcast only on a square array
    shifts = {  # whatever the student subtracts before np.exp
        "none": 0.0,
        "whole array": z.max(),
        "row": z.max(axis=-1, keepdims=True),
        "row, no keepdims": z.max(axis=-1),
    }
    for name, shift in shifts.items():
        e = np.exp(z - shift)
        mistakes.append((e / e.sum(axis=-1), _KEEPDIMS_HINT))
        if name == "row, no keepdims":
            mistakes.append((e / e.sum(axis=-1, keepdims=True), mistake(
                "softmax/max-shift-no-keepdims", "subtract each row's own "
                "maximum, `z.max(axis=-1, keepdims=True)`: without keepdims "
                "the maxima line up with the columns.")))
    return mistakes


def _softmax_error_hint(err: BaseException) -> str | None:
    # by its message, not its type: numpy's AxisError reaches the grader as a plain Exception
    if "axis" in str(err) and "out of bounds" in str(err):
        return (mistake("softmax/axis-1-on-1d",
                    "a 1-D array has only axis 0: use axis=-1 (the last axis) with "
                    "keepdims=True, which works for a 1-D array and for the rows of a 2-D one."))
    if "broadcast" in str(err):
        return _KEEPDIMS_HINT
    return None


def _call_softmax(ex: Check, z: np.ndarray, label: str, warning_hint: str | None = None,
                  *, forbid_warnings: bool = False):
    """The student's softmax(z) as an array of z's shape, with hints for axis errors."""
    out = _call(ex, z, label=label, hint_for=_softmax_error_hint, warning_hint=warning_hint,
                forbid_warnings=forbid_warnings)
    return ex.array(out, label, shape=z.shape)


@exercise("softmax")
def softmax(ex: Check) -> None:
    """softmax(z) over the last axis, for (N, C) rows or a 1-D array; stable for ±1000."""
    z = np.array([0.0, np.log(3.0)])
    label = "softmax([0, ln 3])"
    out = _call_softmax(ex, z, label)
    ex.close(out, [0.25, 0.75], f"{label} gave {fmt(out)}; expected [1, 3] / 4 = [0.25, 0.75].",
             mistakes=[(np.exp(z), mistake("softmax/not-normalised",
                                       "divide by the sum of the exponentials."))])
    shapes = [(3, 3), (4, 3), (2, 5)] + [(int(ex.rng.integers(2, 6)), 4)] * ex.trials
    for shape in shapes:
        z = ex.rng.normal(0, 2, size=shape)
        label = f"softmax(z) for z of shape {shape}"
        out = _call_softmax(ex, z, label)
        want = _softmax(z)
        ex.close(out, want, f"{label} gave\n{fmt(out)}; expected\n{fmt(want)}.",
                 mistakes=_softmax_mistakes(z))
    for z in (np.array([-1000.0, 0.0, 1000.0]), np.array([[1000.0, 999.0, 998.0]] * 2)):
        label = f"softmax({fmt(z)})"
        # the specification: stable for ±1000, with no warning
        out = _call_softmax(ex, z, label, _OVERFLOW_HINT, forbid_warnings=True)
        ex.finite(out, label, _OVERFLOW_HINT)
        want = _softmax(z)
        ex.close(out, want, f"{label} gave {fmt(out)}; expected {fmt(want)}.",
                 hint=_OVERFLOW_HINT)
    z = np.array([[1000.0, 999.0, 998.0], [-1000.0, -999.0, -998.0]])
    label = "softmax([[1000, 999, 998], [-1000, -999, -998]])"
    out = _call_softmax(ex, z, label, _ROW_MAX_HINT, forbid_warnings=True)
    ex.finite(out, label, _ROW_MAX_HINT)
    want = _softmax(z)
    ex.close(out, want, f"{label} gave\n{fmt(out)}; expected\n{fmt(want)}: both rows are "
             "softmax([2, 1, 0]) shifted.", hint=_ROW_MAX_HINT)


_LOG_SUM_EXP_HINT = (
    mistake("softmax_cross_entropy/log-of-underflowed-softmax",
        "at extreme logits softmax underflows to 0 and log(0) is -inf. Compute log p with "
        "log-sum-exp: log p = (z - m) - log Σ exp(z - m), where m is each row's maximum.")
)


def _sce_loss(logits, y):
    return float(-log_softmax(logits)[np.arange(len(y)), y].mean())


def _sce_grad(logits, y):
    grad = _softmax(logits)
    grad[np.arange(len(y)), y] -= 1
    return grad / len(y)


@exercise("softmax_cross_entropy", kind="class")
def softmax_cross_entropy(ex: Check) -> None:
    """SoftmaxCrossEntropy(): forward(logits (N, C), y (N,)) -> mean -log p_true;
    backward() -> dlogits (N, C) = (softmax - one_hot) / N."""
    loss = ex.call(fn=ex.obj, label="SoftmaxCrossEntropy()")
    forward = getattr(loss, "forward", None)
    backward = getattr(loss, "backward", None)
    if not callable(forward) or not callable(backward):
        ex.fail("SoftmaxCrossEntropy needs the methods forward(logits, y) and backward().",
                mistake("softmax_cross_entropy/methods-missing",
                    "define both inside the class, indented, with `self` as first argument."))

    def run_forward(logits, y, label, warning_hint=None, forbid_warnings=False):
        out = ex.call(logits, y, fn=forward, label=label, warning_hint=warning_hint,
                      forbid_warnings=forbid_warnings)
        return _scalar(ex, out, label)

    def run_backward(shape):
        grad = ex.array(ex.call(fn=backward, label="backward()"), "backward()")
        if grad.shape != shape:
            ex.fail(f"backward() returned shape {grad.shape}; expected {shape}, the shape "
                    "of the logits.",
                        mistake("softmax_cross_entropy/dlogits-shape",
                                          "backward returns dlogits, one number per logit: "
                                          "(softmax - one_hot) / N has shape (N, C)."))
        return grad

    n, c = 4, 10
    logits, y = np.zeros((n, c)), np.array([3, 0, 9, 3])
    label = "forward(zeros (4, 10), y)"
    out = run_forward(logits, y, label)
    want = np.log(c)
    ex.close(
        out,
        want,
        f"with all logits 0 every class gets p = 1/10, so {label} should be ln 10 = "
        f"{fmt(want)}; yours gave {fmt(out)}.",
        mistakes=[
            (n * want, mistake("softmax_cross_entropy/sum-not-mean",
                           "the loss is the mean over the N samples: divide the sum by N.")),
            (want / c, mistake("softmax_cross_entropy/mean-over-classes",
                           "average over the samples only: sum over the classes, then take the "
                           "mean over the N rows.")),
            (np.log2(c), mistake("softmax_cross_entropy/log2",
                             "this loss uses the natural log, np.log, not np.log2.")),
            (-want, mistake("softmax_cross_entropy/sign-flipped",
                        "the loss is minus the mean log-probability of the true class.")),
        ],
    )
    for _ in range(ex.trials):
        n, c = int(ex.rng.integers(3, 7)), int(ex.rng.integers(3, 6))
        logits, y = ex.rng.normal(0, 2, size=(n, c)), ex.rng.integers(0, c, size=n)
        label = f"forward(logits of shape {logits.shape}, y)"
        out = run_forward(logits, y, label, _LOG_SUM_EXP_HINT)
        want = _sce_loss(logits, y)
        p = _softmax(logits)
        ex.close(
            out,
            want,
            f"{label} gave {fmt(out)}; expected {fmt(want)}.",
            mistakes=[
                (n * want, mistake("softmax_cross_entropy/sum-not-mean",
                               "the loss is the mean over the N samples: divide the sum by N.")),
                (-np.log(p).mean(), mistake("softmax_cross_entropy/all-classes",
                                        "take -log p only for each sample's true class, "
                                        "p[np.arange(N), y], not for every class.")),
                (-np.log(p[:, y]).mean(), mistake("softmax_cross_entropy/p-colon-y",
                                              "index the true classes with p[np.arange(N), y]; "
                                              "p[:, y] builds an (N, N) table.")),
            ],
        )
        grad = run_backward(logits.shape)
        want_grad = _sce_grad(logits, y)
        ex.close(
            grad,
            want_grad,
            f"after {label}, backward() gave\n{fmt(grad)}; expected\n{fmt(want_grad)}.",
            mistakes=[
                (n * want_grad, mistake("softmax_cross_entropy/dlogits-not-divided",
                                    "divide by N: the loss is a mean over the samples, so "
                                    "dlogits = (softmax - one_hot) / N.")),
                (-want_grad, mistake("softmax_cross_entropy/dlogits-sign",
                                 "check the sign: dlogits = (softmax - one_hot) / N.")),
                (p / n, mistake("softmax_cross_entropy/dlogits-softmax-only",
                            "subtract the one-hot targets from the probabilities: "
                            "dlogits = (softmax - one_hot) / N.")),
            ],
        )
    # gradient check: finite differences of the student's own forward
    logits, y = ex.rng.normal(size=(3, 4)), np.array([1, 3, 0])
    label = "forward(logits, y)"
    run_forward(logits, y, label)
    grad = run_backward(logits.shape)
    numeric = numerical_gradient(lambda: run_forward(logits, y, label), logits)
    error = relative_error(grad, numeric)
    if error >= GRADIENT_RIGHT:
        ex.fail(f"backward() disagrees with finite differences of your forward: relative "
                f"error {error:.1e}.", mistake("softmax_cross_entropy/dlogits-wrong",
                                           "dlogits = (softmax(logits) - one_hot(y)) / N."))
    # numerical robustness: extreme logits
    logits, y = np.array([[1000.0, 999.0, 998.0]] * 2), np.array([0, 2])
    label = "forward([[1000, 999, 998]] * 2, y=[0, 2])"
    # the specification: stable for ±1000, with no warning
    out = run_forward(logits, y, label, _OVERFLOW_HINT, forbid_warnings=True)
    want = _sce_loss(logits, y)
    ex.close(out, want, f"{label} gave {fmt(out)}; expected {fmt(want)}.", hint=_OVERFLOW_HINT)
    logits, y = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, -1000.0]]), np.array([2, 1])
    label = "forward([[1000, 0, -1000], [0, 1000, -1000]], y=[2, 1])"
    out = run_forward(logits, y, label, _LOG_SUM_EXP_HINT, forbid_warnings=True)
    ex.finite(np.asarray(out), label, _LOG_SUM_EXP_HINT)
    want = _sce_loss(logits, y)
    ex.close(out, want, f"{label} gave {fmt(out)}; expected (2000 + 0) / 2 = {want:g}.",
             hint=_LOG_SUM_EXP_HINT)
    grad = run_backward(logits.shape)
    ex.finite(grad, "backward() after extreme logits", _OVERFLOW_HINT)
    ex.close(grad, _sce_grad(logits, y), f"backward() after {label} gave {fmt(grad)}; "
             f"expected {fmt(_sce_grad(logits, y))}.")


@exercise("predict")
def predict(ex: Check) -> None:
    """predict(model, X) -> class labels (N,): the class with the largest output per row."""
    for n, c in ((6, 3), (3, 3), (5, 4)):
        model = Sequential(Linear(2, c, rng=ex.rng))
        model[0].b[...] = ex.rng.normal(size=c)
        X = ex.rng.normal(size=(n, 2))
        # the expected scores come from a copy made before the student's code gets the
        # model: a predict that rewrites model.forward cannot change what is expected
        scores = copy.deepcopy(model).forward(X.copy())
        label = f"predict(model, X) for X of shape {X.shape} and {c} classes"
        out = ex.array(ex.call(model, X, label=label), label)
        want = scores.argmax(axis=1)
        if out.shape == (c,) and n != c:
            ex.fail(f"{label} returned shape {out.shape}; expected one label per sample, "
                    f"shape ({n},).",
                    mistake("predict/argmax-axis-0",
                        "take the argmax over the classes, axis=1, not over the batch (axis 0)."))
        if out.shape == (n, c):
            ex.fail(f"{label} returned shape {out.shape}; expected one label per sample, "
                    f"shape ({n},).",
                    mistake("predict/scores-not-labels",
                        "return class labels: the index of the largest score in each row, "
                        "`scores.argmax(axis=1)`."))
        out = ex.array(out, label, shape=(n,))
        if not np.all(out == np.round(out)):
            ex.fail(f"{label} returned {fmt(out)}; expected class labels, whole numbers "
                    f"from 0 to {c - 1}.",
                    mistake("predict/max-not-argmax",
                        "np.argmax gives the index of the largest score; np.max gives the score."))
        ex.close(
            out,
            want,
            f"{label} gave {fmt(out)}; expected {fmt(want)}.",
            mistakes=[
                (scores.argmax(axis=0), mistake("predict/argmax-axis-0",
                                            "take the argmax over the classes, axis=1, not over "
                                            "the batch (axis 0).")),
                (scores.argmin(axis=1), mistake("predict/argmin",
                                            "the predicted class has the largest score: argmax.")),
            ],
            hint=mistake("predict/wrong-labels",
                     "run the model forward and take `scores.argmax(axis=1)`."),
        )
