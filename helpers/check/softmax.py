"""Checks for notebook 06, softmax and cross-entropy."""

from __future__ import annotations

import copy

import numpy as np

from ..gradcheck import GRADIENT_RIGHT, numerical_gradient, relative_error
from ..losses import log_softmax
from ..nn import Linear, Sequential
from ._core import NUMBER_HINT, Check, CheckFailed, NotWrittenYet, describe, exercise, fmt
from .mistakes import mistake

__all__ = [
    "entropy",
    "cross_entropy",
    "kl_divergence",
    "binary_cross_entropy",
    "dl_dz_bce",
    "one_hot",
    "softmax_derivative",
    "softmax_1000",
    "softmax",
    "predict_low_temperature",
    "dl_dz_one_sample",
    "dl_dz_batch",
    "softmax_cross_entropy",
    "predict_uniform_loss",
    "predict",
    "width_search",
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
                    "your function returns one term per entry; the exercise asks for one "
                    "number that combines them all."))
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
        "0 · log 0 counts as 0, but np.log2(0) is -inf and 0 * -inf is nan: in your code the "
        "zero probabilities reach the log.")
)
_BITS_HINT = mistake("information/natural-log-not-bits",
                 "your value is in nats, ln 2 ≈ 0.69 times the one in bits: the course "
                 "measures information in bits, with the base-2 log.")


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
                        "your value has the right size and the wrong sign: a sum of "
                        "p · log2(...) over probabilities below 1 is negative, and these "
                        "quantities are not.")),
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
                            "your value has the right size and the wrong sign: entropy is "
                            "never negative.")),
                (want / len(p), mistake("entropy/mean-not-sum",
                                    "your value is K times too small: it is the average of "
                                    "the K terms, and entropy adds them up, don't average "
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
        f"{label} gave {fmt(out)}; expected {fmt(want)} bits.",
        mistakes=[
            (_cross_entropy(q, p), mistake("cross_entropy/arguments-swapped",
                                       "the arguments are swapped: the weights are p (the true "
             "distribution), the log is taken of q (the model's).")),
            (want * np.log(2), _BITS_HINT),
            (-want, mistake("cross_entropy/sign-flipped",
                        "check the sign: your value is negative, and a cross-entropy is "
                        "positive.")),
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
    _impossible_outcome(ex)
    _information_check(
        ex, _cross_entropy, "cross_entropy",
        lambda k: (_random_distribution(ex, k), _random_distribution(ex, k)),
    )


_Q_ZERO_HINT = mistake(
    "cross_entropy/masked-on-q",
    "your code drops the term of the outcome where q = 0 and p > 0: an outcome that happens "
    "half the time, and that the model calls impossible. Its surprise, log2(1/0), is "
    "infinite; a term left out, or a q nudged away from 0, hides that.")


def _impossible_outcome(ex: Check) -> None:
    """An outcome with p > 0 and q = 0 makes H(p, q) infinite: a version that masks on q
    (or clips q) returns a finite number there."""
    p, q = np.array([0.5, 0.5]), np.array([1.0, 0.0])
    label = "cross_entropy([0.5, 0.5], [1, 0])"
    # the right answer takes log2(0) = -inf, and numpy warns: the check expects it
    out = _scalar(ex, ex.call(p, q, label=label, allow_warnings=True), label)
    if not (np.isinf(out) and out > 0):
        ex.fail(f"{label} gave {fmt(out)}; expected inf: the second outcome happens half the "
                "time, and q gives it probability 0.", _Q_ZERO_HINT)


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
        f"{label} gave {fmt(out)}; expected {fmt(want)} bits.",
        mistakes=[
            (_kl(q, p), mistake("kl_divergence/arguments-swapped",
                            "the arguments are swapped: KL(p ‖ q) is weighted by p, the "
                            "true distribution. It is not symmetric.")),
            (want * np.log(2), _BITS_HINT),
            (-want, mistake("kl_divergence/ratio-inverted",
                        "your value is negative, and KL is never negative: the ratio inside "
                        "your log is upside down.")),
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
        "np.log(0) is -inf (and 0 * -inf is nan): at p = 0 or p = 1 one of your two logs "
        "gets exactly 0. The loss must stay finite there.")
)

_BCE_FLOAT32_HINT = mistake(
    "binary_cross_entropy/float32-clip",
    "the trap is float32 itself: next to 1 its numbers are about 6e-8 apart, so 1 − (a tiny "
    "number) rounds to exactly 1 there, and at p = 1 your log(1 − p) is log 0 again.",
)

_BCE_BROADCAST_HINT = mistake(
    "binary_cross_entropy/n-n-broadcast",
    "y of shape (N, 1) and p of shape (N,) broadcast to an (N, N) table of every label "
    "against every prediction, and its mean is not the loss of the N pairs.",
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
                      "your loss is in bits: this loss uses the natural log.")),
            (2 * np.log(2), mistake("binary_cross_entropy/sum-not-mean",
                                "your loss is N times too big: the sum over the samples, not "
                                "their mean.")),
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
                               "your loss is N times too big: the sum over the samples, not "
                               "their mean.")),
                (want / np.log(2), mistake("binary_cross_entropy/log2",
                                       "your loss is in bits: this loss uses the natural "
                                       "log.")),
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
                     "your loss of a sure and right prediction is not (almost) 0: the margin "
                     "you keep from 0 and 1 is so wide that it changes the loss."), atol=1e-6)
    p, y = np.array([0.0, 1.0]), np.array([1.0, 0.0])
    label = "binary_cross_entropy([0, 1], [1, 0])"
    out = _scalar(ex, ex.call(p, y, label=label, warning_hint=_BCE_EDGE_HINT), label)
    ex.finite(np.asarray(out), label, _BCE_EDGE_HINT)
    if out < 10:
        ex.fail(f"{label}, two sure and wrong predictions, gave {fmt(out)}: expected a "
                "large loss (above 10).",
                mistake("binary_cross_entropy/sure-wrong-too-cheap",
                    "your code makes the infinite terms cheap (dropped, or set to 0): a sure "
                    "wrong answer must cost a lot."))
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


# --- questions answered with a number or a choice (kind="value") -------------------------------

_NOT_A_NUMBER_HINT = mistake(
    "softmax_questions/not-a-number",
    "assign one plain number to the name, such as `NAME = -1.25` (three decimals are enough).",
)
_WRONG_LENGTH_HINT = mistake(
    "softmax_questions/wrong-length",
    "assign one number per logit, in the order of the logits: `NAME = np.array([a, b, c])`.",
)
_NOT_A_CHOICE_HINT = mistake(
    "softmax_questions/not-a-choice",
    'assign the letter of one option, in quotes: `NAME = "a"`.',
)


def _near(value, target, rtol: float, atol: float) -> bool:
    value, target = np.asarray(value, dtype=float), np.asarray(target, dtype=float)
    return value.shape == target.shape and bool(
        np.all(np.abs(value - target) <= atol + rtol * np.abs(target)))


def _number(ex: Check, name: str) -> float:
    """The student's answer as one finite number, or a failed check that says so."""
    value = ex.obj
    try:
        arr = None if isinstance(value, (bool, str)) else np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.size != 1:
        ex.fail(f"{name} is {describe(value)} {fmt(value)}; expected one number.",
                _NOT_A_NUMBER_HINT)
    number = float(arr.reshape(()))
    if not np.isfinite(number):
        ex.fail(f"{name} is {number}; expected a finite number.", _NOT_A_NUMBER_HINT)
    return number


def _numbers(ex: Check, name: str, length: int) -> np.ndarray:
    """The student's answer as ``length`` numbers (nan and inf kept: they say something)."""
    value = ex.obj
    try:
        arr = None if isinstance(value, (bool, str)) else np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        arr = None
    if arr is None or arr.shape != (length,):
        shape = "" if arr is None else f" of shape {arr.shape}"
        ex.fail(f"{name} is {describe(value)}{shape} {fmt(value)}; expected {length} numbers, "
                "one per logit.", _WRONG_LENGTH_HINT)
    return arr


def _judge(ex: Check, value, want, message: str, mistakes, *, rtol=5e-3, atol=5e-4) -> None:
    """Pass when ``value`` is near ``want``; else fail with the hint of the first known wrong
    answer it is near (their distance from ``want`` is checked by the tests)."""
    if _near(value, want, rtol, atol):
        return
    for wrong, hint in mistakes:
        if _near(value, wrong, rtol, atol):
            ex.fail(message, hint)
    ex.fail(message)


def _choice(ex: Check, name: str, options: str) -> str:
    value = ex.obj
    letter = value.strip().lower().strip("()") if isinstance(value, str) else None
    if letter is None or len(letter) != 1 or letter not in options:
        ex.fail(f"{name} is {fmt(value)}; expected one of the letters "
                f"{', '.join(repr(o) for o in options)}.", _NOT_A_CHOICE_HINT)
    return letter


_BCE_Z, _BCE_Y = -4.0, 1.0


@exercise("dl_dz_bce", kind="value")
def dl_dz_bce(ex: Check) -> None:
    """DL_DZ_BCE: ∂L/∂z of one sigmoid neuron's binary cross-entropy at z = -4, label y = 1."""
    got = _number(ex, "DL_DZ_BCE")
    a = 0.5 * (1 + np.tanh(_BCE_Z / 2))  # σ(-4) ≈ 0.018
    want = a - _BCE_Y
    _judge(ex, got, want, f"DL_DZ_BCE = {got:g} is not ∂L/∂z for z = -4 and y = 1.", [
        (-want, mistake("dl_dz_bce/sign",
                    "the size is right, the sign is not: raising z raises a towards the label "
                    "1, so the loss falls as z grows.")),
        (-1 / a, mistake("dl_dz_bce/stopped-at-a",
                     "that is ∂L/∂a, the gradient by the neuron's output: the chain rule goes "
                     "on from a to z.")),
        (1 / a, mistake("dl_dz_bce/stopped-at-a",
                    "that is about ∂L/∂a (without its sign), the gradient by the neuron's "
                    "output: the chain rule goes on from a to z.")),
        # -e^4 = -(1 - a)/a: ∂L/∂a with σ(-4) rounded to e^-4, or ln(1 + e^-z) differentiated
        # without the log's own factor; both stop one factor short of z
        (-(1 - a) / a, mistake("dl_dz_bce/stopped-at-a",
                           "that is -e^4, within 2 % of ∂L/∂a = -1/a ≈ -55.6, the gradient by "
                           "the neuron's output: the chain rule goes on from a to z.")),
        ((a - 1) * a * (1 - a), mistake("dl_dz_bce/squared-error",
                                    "that is the squared error's gradient, (a - y) σ'(z): "
                                    "the question is about the cross-entropy.")),
        (a * (1 - a), mistake("dl_dz_bce/sigmoid-prime-only",
                          "that is σ'(-4) alone, the last factor of the chain rule; the "
                          "factor ∂L/∂a is missing.")),
        (-a * (1 - a), mistake("dl_dz_bce/sigmoid-prime-only",
                           "that is -σ'(-4), the last factor of the chain rule; the factor "
                           "∂L/∂a is missing.")),
        (-np.log(a), mistake("dl_dz_bce/loss-not-gradient",
                         "that is the loss -ln a itself, not its gradient.")),
        (a, mistake("dl_dz_bce/wrong-label",
                "that would be the gradient for the label y = 0; here y = 1.")),
        (-a, mistake("dl_dz_bce/sigmoid-of-plus-4",
                 "your a looks like σ(+4) ≈ 0.982: at z = -4 the neuron outputs "
                 "a = σ(-4) ≈ 0.018, confidently wrong.")),
    ], rtol=5e-3, atol=1e-4)


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
                     "row i holds a single 1, in column y[i], and zeros everywhere else; "
                     "compare your rows with the expected ones."),
        )


def _softmax(z):
    return np.exp(log_softmax(np.asarray(z, dtype=float)))


_KEEPDIMS_HINT = (
    mistake("softmax/no-keepdims",
        "each row must be divided by its own sum: your N row sums have shape (N,), and "
        "against an (N, C) array they line up with the columns, not with the rows.")
)
_AXIS_HINT = mistake("softmax/sum-over-axis-0",
                 "each row (one sample's scores) must sum to 1; your columns do: your sums "
                 "run over the samples (axis 0).")
_OVERFLOW_HINT = (
    mistake("softmax/overflow-no-max-shift",
        "np.exp(1000) overflows to inf, and inf / inf is nan: your code takes np.exp of "
        "scores as large as 1000 (float64 overflows above about 709.78). Your answer to "
        "SOFTMAX_1000 did without e^1000.")
)
_ROW_MAX_HINT = (
    mistake("softmax/global-max-shift",
        "you subtracted one number, the maximum of the whole array, from every row: a row "
        "whose scores lie 2000 below it underflows to 0 / 0.")
)


_WHOLE_SUM_HINT = mistake(
    "softmax/whole-array-sum",
    "your rows do not each sum to 1: together they do. Your denominator adds up the "
    "exponentials of the whole batch, every sample's, where each row is a distribution of "
    "its own.")


def _softmax_mistakes(z: np.ndarray) -> list[tuple[np.ndarray, str]]:
    """What the classic softmax bugs output for z, each with the hint that names it."""
    mistakes = []
    if z.ndim == 2:  # a sum over axis 0, after any of the shifts a student subtracts
        for shift in (0.0, z.max(), z.max(axis=-1, keepdims=True), z.max(axis=0)):
            e = np.exp(z - shift)
            mistakes.append((e / e.sum(axis=0, keepdims=True), _AXIS_HINT))
    if z.ndim == 2:  # one sum over the whole batch, after any of the shifts
        for shift in (0.0, z.max(), z.max(axis=-1, keepdims=True)):
            e = np.exp(z - shift)
            mistakes.append((e / e.sum(), _WHOLE_SUM_HINT))
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
                "softmax/max-shift-no-keepdims", "each row's own maximum is "
                "not what your code subtracted from it: your N maxima have shape (N,), and "
                "against an (N, C) array they line up with the columns.")))
    return mistakes


def _softmax_error_hint(err: BaseException) -> str | None:
    # by its message, not its type: numpy's AxisError reaches the grader as a plain Exception
    if "axis" in str(err) and "out of bounds" in str(err):
        return (mistake("softmax/axis-1-on-1d",
                    "a 1-D array has only axis 0, and your code names axis 1: the scores of one "
                    "sample lie along the LAST axis, for a 1-D z as for the rows of a 2-D one."))
    if "broadcast" in str(err):
        return _KEEPDIMS_HINT
    return None


def _call_softmax(ex: Check, z: np.ndarray, label: str, warning_hint: str | None = None,
                  *, forbid_warnings: bool = False):
    """The student's softmax(z) as an array of z's shape, with hints for axis errors."""
    out = _call(ex, z, label=label, hint_for=_softmax_error_hint, warning_hint=warning_hint,
                forbid_warnings=forbid_warnings)
    return ex.array(out, label, shape=z.shape)


_JACOBIAN_Z = np.array([2.0, 1.0, 0.1])


@exercise("softmax_derivative", kind="value")
def softmax_derivative(ex: Check) -> None:
    """SOFTMAX_DERIVATIVE: [∂s_0/∂z_0, ∂s_0/∂z_1] of s = softmax(z) at z = [2, 1, 0.1]."""
    got = _numbers(ex, "SOFTMAX_DERIVATIVE", 2)
    s = _softmax(_JACOBIAN_Z)
    want = np.array([s[0] * (1 - s[0]), -s[0] * s[1]])
    right = np.abs(got - want) <= 5e-4 + 5e-3 * np.abs(want)
    if right.all():
        return
    where = "∂s_0/∂z_0 is " + ("right" if right[0] else "not right")
    where += "; ∂s_0/∂z_1 is " + ("right." if right[1] else "not right.")
    message = f"SOFTMAX_DERIVATIVE = {fmt(got)}: {where}"
    if abs(got[0] - s[0]) <= 5e-4 + 5e-3 * s[0] and abs(got[1]) > 5e-4:  # [s_0, 0]: below
        ex.fail(message, mistake(
            "softmax_derivative/own-denominator",
            "your ∂s_0/∂z_0 is s_0 itself, as if z_0 were only in the numerator: z_0 is in "
            "the denominator Σ_j e^(z_j) too, so raising it also grows what e^(z_0) is "
            "divided by, and the quotient rule brings a second term."))
    _judge(ex, got, want, message, [
        (np.array([want[0], -want[1]]), mistake(
            "softmax_derivative/off-diagonal-sign",
            "your ∂s_0/∂z_1 has the wrong sign: raising z_1 makes the denominator larger, "
            "so s_0 goes down.")),
        (np.array([want[0], 0.0]), mistake(
            "softmax_derivative/others-zero",
            "∂s_0/∂z_1 is not 0: z_1 is not in the numerator, but it is in the "
            "denominator, and s_0 changes with it.")),
        (np.array([s[0], 0.0]), mistake(
            "softmax_derivative/numerator-only",
            "you differentiated only the numerator e^(z_0): z_0 and z_1 are in the "
            "denominator too, so the quotient rule brings a second term.")),
        (np.array([want[1], want[0]]), mistake(
            "softmax_derivative/swapped",
            "your two numbers are the right ones in the wrong order: first ∂s_0/∂z_0, "
            "then ∂s_0/∂z_1.")),
        (np.array([1 - s[0], -s[1]]), mistake(
            "softmax_derivative/log-not-s",
            "those are the derivatives of ln s_0, not of s_0: each is s_0 times too small "
            "in size.")),
        (np.array([s[0] - 1, s[1]]), mistake(
            "softmax_derivative/loss-gradient",
            "those are the derivatives of a loss -ln s_0, not of the probability s_0 itself.")),
    ])


@exercise("softmax_1000", kind="value")
def softmax_1000(ex: Check) -> None:
    """SOFTMAX_1000: softmax([1000, 999, 998]), three probabilities."""
    got = _numbers(ex, "SOFTMAX_1000", 3)
    if not np.all(np.isfinite(got)):
        ex.fail(f"SOFTMAX_1000 = {fmt(got)} holds nan or inf.", mistake(
            "softmax_1000/overflow",
            "e^1000 overflows to inf in float64 (np.exp overflows above about 709.78), and "
            "inf / inf is nan: the straight formula cannot compute this. What can you change "
            "about the three scores without changing their softmax?"))
    want = _softmax(np.array([1000.0, 999.0, 998.0]))
    message = f"SOFTMAX_1000 = {fmt(got)} is not softmax([1000, 999, 998])."
    _judge(ex, got, want, message, [
        (np.full(3, 1 / 3), mistake("softmax_1000/uniform",
                                "equal probabilities would need equal scores: 1000, 999 and "
                                "998 are as far apart as 2, 1 and 0, and only how far apart "
                                "the scores are matters.")),
        (np.array([1.0, 0.0, 0.0]), mistake("softmax_1000/argmax",
                                        "the largest score does not take everything: 1000 "
                                        "and 999 are as far apart as 1 and 0.")),
        (want[::-1], mistake("softmax_1000/reversed",
                         "the largest score gets the largest probability.")),
        (np.exp([0.0, -1.0, -2.0]), mistake("softmax_1000/not-normalised",
                                        "your three numbers do not sum to 1: probabilities "
                                        "do.")),
    ], rtol=2e-3, atol=1e-3)


@exercise("softmax")
def softmax(ex: Check) -> None:
    """softmax(z) over the last axis, for (N, C) rows or a 1-D array; stable for ±1000."""
    z = np.array([0.0, np.log(3.0)])
    label = "softmax([0, ln 3])"
    out = _call_softmax(ex, z, label)
    ex.close(out, [0.25, 0.75], f"{label} gave {fmt(out)}; expected [1, 3] / 4 = [0.25, 0.75].",
             mistakes=[(np.exp(z), mistake("softmax/not-normalised",
                                       "your outputs are the exponentials themselves: they "
                                       "do not sum to 1."))])
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


@exercise("predict_low_temperature", kind="value")
def predict_low_temperature(ex: Check) -> None:
    """PREDICT_LOW_TEMPERATURE: what softmax(z / T) becomes as T -> 0, a letter a-d."""
    letter = _choice(ex, "PREDICT_LOW_TEMPERATURE", "abcd")
    message = f'PREDICT_LOW_TEMPERATURE = "{letter}" is not what happens as T -> 0.'
    if letter == "a":
        ex.fail(message, mistake("predict_low_temperature/uniform",
                             "equal probabilities come with a LARGE T: dividing by a large T "
                             "shrinks every score towards 0, where they are all alike. A "
                             "small T does the opposite to the gaps between the scores."))
    if letter == "c":
        ex.fail(message, mistake("predict_low_temperature/unchanged",
                             "dividing by T multiplies every gap between two scores by 1/T, "
                             "and the softmax depends on those gaps: as T -> 0 they grow "
                             "without bound."))
    if letter == "d":
        ex.fail(message, mistake("predict_low_temperature/order-changes",
                             "dividing by a positive T keeps the order of the scores, so "
                             "the largest score stays the most probable at every T."))


_ONE_SAMPLE_Z, _ONE_SAMPLE_K, _BATCH_N = np.array([2.0, 1.0, 0.1]), 0, 4


def _one_sample_gradient() -> np.ndarray:
    grad = _softmax(_ONE_SAMPLE_Z)
    grad[_ONE_SAMPLE_K] -= 1
    return grad


@exercise("dl_dz_one_sample", kind="value")
def dl_dz_one_sample(ex: Check) -> None:
    """DL_DZ_ONE_SAMPLE: ∂ℓ/∂z_j of ℓ = -ln softmax(z)_k for z = [2, 1, 0.1], k = 0."""
    got = _numbers(ex, "DL_DZ_ONE_SAMPLE", 3)
    want = _one_sample_gradient()
    p = _softmax(_ONE_SAMPLE_Z)
    right = np.abs(got - want) <= 5e-4 + 5e-3 * np.abs(want)
    if right.all():
        return
    where = ("entry 0 (j = k, the true class) is right; " if right[0] else
             "entry 0 (j = k, the true class) is not right; ")
    where += ("entries 1 and 2 (j ≠ k) are right." if right[1:].all() else
              "entries 1 and 2 (j ≠ k) are not both right.")
    e = np.eye(3)
    jacobian_row = p[0] * (e[0] - p)  # ∂p_0/∂z_j, the softmax's, not the loss's
    _judge(ex, got, want, f"DL_DZ_ONE_SAMPLE = {fmt(got)}: {where}", [
        (-want, mistake("dl_dz_one_sample/sign",
                    "every entry has the wrong sign: raising the true class's logit lowers "
                    "the loss, raising another one raises it.")),
        (p, mistake("dl_dz_one_sample/true-class-term-missing",
                "your entries are the probabilities themselves: that is the derivative of "
                "the log-sum-exp term alone. The -z_k term also depends on z_k.")),
        (p - 1, mistake("dl_dz_one_sample/minus-one-everywhere",
                    "you lowered every entry by 1: the -z_k term depends on z_k only, so "
                    "for j ≠ k it contributes nothing.")),
        (p + e[0], mistake("dl_dz_one_sample/one-hot-added",
                       "the true class's entry is 2 too big: the derivative of -z_k by z_k "
                       "went in with the wrong sign.")),
        (np.array([-1 / p[0], 0.0, 0.0]), mistake(
            "dl_dz_one_sample/gradient-by-probabilities",
            "that is ∂ℓ/∂p, the gradient by the probabilities: the question asks for the "
            "logits z, and every logit moves p_k through the softmax.")),
        (want * e[0], mistake("dl_dz_one_sample/others-zero",
                          "the entries j ≠ k are not 0: z_1 and z_2 appear in the "
                          "log-sum-exp term, so the loss changes with them.")),
        (p - e[1], mistake("dl_dz_one_sample/wrong-true-class",
                       "your answer treats class 1 as the true one; here k = 0, the class "
                       "of the first logit.")),
        (jacobian_row, mistake("dl_dz_one_sample/gradient-of-p-not-loss",
                           "that is the gradient of the probability p_k itself; the loss "
                           "is -ln p_k, whose derivative brings one more factor.")),
        (-jacobian_row, mistake("dl_dz_one_sample/gradient-of-p-not-loss",
                            "that is the gradient of -p_k; the loss is -ln p_k, whose "
                            "derivative brings one more factor.")),
    ])


@exercise("dl_dz_batch", kind="value")
def dl_dz_batch(ex: Check) -> None:
    """DL_DZ_BATCH: ∂L/∂Z[0, 0] of the mean loss L of N = 4 samples, row 0 being z = [2, 1, 0.1]
    with k = 0."""
    got = _number(ex, "DL_DZ_BATCH")
    one = _one_sample_gradient()[0]
    want = one / _BATCH_N
    _judge(ex, got, want, f"DL_DZ_BATCH = {got:g} is not ∂L/∂Z[0, 0] for the mean loss of 4 "
           "samples.", [
        (one, mistake("dl_dz_batch/not-divided",
                  "that is ∂ℓ/∂z_0 of the one sample: L is the mean of 4 such losses, and "
                  "Z[0, 0] appears in only one of them.")),
        (one * _BATCH_N, mistake("dl_dz_batch/times-n",
                             "your number is 16 times too big: a mean divides by N, it "
                             "does not multiply.")),
        (-want, mistake("dl_dz_batch/sign",
                    "the size is right, the sign is not.")),
        (_softmax(_ONE_SAMPLE_Z)[0] / _BATCH_N, mistake(
            "dl_dz_batch/true-class-term-missing",
            "that is p_0 / N: the -z_k term of the sample's loss is missing (k = 0 here).")),
        (one / (_BATCH_N * 3), mistake("dl_dz_batch/divided-by-nc",
                                   "your number is 3 times too small: L is the mean over the "
                                   "4 samples, not over the 4 × 3 logits.")),
    ])


_LOG_SUM_EXP_HINT = (
    mistake("softmax_cross_entropy/log-of-underflowed-softmax",
        "at extreme logits the softmax of the true class underflows to 0 and log(0) is -inf: "
        "your forward takes the log of a probability instead of computing log p directly "
        "(the log-sum-exp form above the exercise).")
)


def _sce_loss(logits, y):
    return float(-log_softmax(logits)[np.arange(len(y)), y].mean())


def _sce_grad(logits, y):
    grad = _softmax(logits)
    grad[np.arange(len(y)), y] -= 1
    return grad / len(y)


_ROWS_BY_LABEL_HINT = mistake(
    "softmax_cross_entropy/rows-by-label",
    "p[y] picks whole rows, row y[n] for each sample n, not the entry of sample n in column "
    "y[n].")


def _forward_error_hint(err: BaseException) -> str | None:
    # a label used as a row number: p[y] or log_p[y] fails once a label reaches N
    if isinstance(err, IndexError) and "axis 0" in str(err):
        return _ROWS_BY_LABEL_HINT
    return None


_SCE_GLOBAL_MAX_HINT = mistake(
    "softmax_cross_entropy/global-max-shift",
    "your forward subtracts one maximum for the whole batch: the second row's logits lie 2000 "
    "below it, their exponentials underflow to 0, and the log of their sum is -inf. The "
    "shift must be each row's own.",
)


def _dlogits_mistakes(p: np.ndarray, y: np.ndarray) -> list[tuple[np.ndarray, str]]:
    """What the classic backward bugs return for probabilities p and labels y, each with
    the hint that names the bug."""
    n, c = p.shape
    one_hot = np.eye(c)[y]
    whole_columns = p.copy()
    whole_columns[:, y] -= 1  # g[:, y] -= 1: every row, every label of the batch
    with np.errstate(divide="ignore"):
        by_probabilities = np.where(one_hot == 1, -1.0 / p, 0.0)  # dL/dp of -log p_y
    right = (p - one_hot) / n
    return [
        (n * right, mistake("softmax_cross_entropy/dlogits-not-divided",
                        "each entry of your dlogits is N times too big: the loss is a mean "
                        "over the N samples (your DL_DZ_BATCH).")),
        (right / c, mistake("softmax_cross_entropy/dlogits-divided-by-nc",
                        "each entry of your dlogits is C times too small: the loss is a mean "
                        "over the samples only, not over the classes too.")),
        (-right, mistake("softmax_cross_entropy/dlogits-sign",
                     "every entry of your dlogits has the wrong sign.")),
        (p / n, mistake("softmax_cross_entropy/dlogits-softmax-only",
                    "your dlogits are the probabilities over N: the true class's entry of "
                    "each row misses what the -z_y term of its loss contributes.")),
        ((p + one_hot) / n, mistake("softmax_cross_entropy/dlogits-one-hot-added",
                                "the true class's entry of each row is off by 2/N: what the "
                                "-z_y term contributes went in with the wrong sign.")),
        (whole_columns / n, mistake("softmax_cross_entropy/dlogits-whole-columns",
                                "in every row of your dlogits, the columns of ALL the batch's "
                                "labels are lowered, not only the row's own label: whole "
                                "columns were indexed (as g[:, y] does) instead of one entry "
                                "per row.")),
        ((p - 1) / n, mistake("softmax_cross_entropy/dlogits-minus-one-everywhere",
                          "every entry of your dlogits is lowered by 1/N, not only each "
                          "row's true class: the -z_y term depends on one logit only.")),
        (p - 1, mistake("softmax_cross_entropy/dlogits-minus-one-everywhere",
                    "every entry of your dlogits is lowered by 1, not only each row's true "
                    "class: the -z_y term depends on one logit only.")),
        (by_probabilities / n, mistake(
            "softmax_cross_entropy/dlogits-by-probabilities",
            "your dlogits are 0 except at the true classes, where they are -1/(N p): that is "
            "the gradient by the probabilities, dL/dp. backward returns the gradient by the "
            "logits, which goes on through the softmax.")),
        (by_probabilities, mistake(
            "softmax_cross_entropy/dlogits-by-probabilities",
            "your dlogits are 0 except at the true classes, where they are -1/p: that is "
            "the gradient by the probabilities, dL/dp. backward returns the gradient by the "
            "logits, which goes on through the softmax.")),
    ]


@exercise("softmax_cross_entropy", kind="class")
def softmax_cross_entropy(ex: Check) -> None:
    """SoftmaxCrossEntropy(): forward(logits (N, C), y (N,)) -> mean -log p_true;
    backward() -> dlogits (N, C), the gradient of the mean loss by the logits."""
    loss = ex.call(fn=ex.obj, label="SoftmaxCrossEntropy()")
    forward = getattr(loss, "forward", None)
    backward = getattr(loss, "backward", None)
    if not callable(forward) or not callable(backward):
        ex.fail("SoftmaxCrossEntropy needs the methods forward(logits, y) and backward().",
                mistake("softmax_cross_entropy/methods-missing",
                    "define both inside the class, indented, with `self` as first argument."))

    def run_forward(logits, y, label, warning_hint=None, forbid_warnings=False):
        out = _call(ex, logits, y, fn=forward, label=label, hint_for=_forward_error_hint,
                    warning_hint=warning_hint, forbid_warnings=forbid_warnings)
        return _scalar(ex, out, label)

    def run_backward(shape):
        grad = ex.array(ex.call(fn=backward, label="backward()"), "backward()")
        if grad.shape != shape:
            ex.fail(f"backward() returned shape {grad.shape}; expected {shape}, the shape "
                    "of the logits.",
                        mistake("softmax_cross_entropy/dlogits-shape",
                                          "backward returns dlogits, one number per logit: "
                                          "the shape (N, C) of the logits."))
        return grad

    # 5 classes, not 10: PREDICT_UNIFORM_LOSS asks for the loss of 10 equal ones later
    n, c = 4, 5
    logits, y = np.zeros((n, c)), np.array([3, 0, 4, 3])
    label = "forward(zeros (4, 5), y=[3, 0, 4, 3])"
    out = run_forward(logits, y, label)
    want = np.log(c)
    ex.close(
        out,
        want,
        f"with all logits 0 every class gets p = 1/5; {label} gave {fmt(out)}, expected "
        f"{fmt(want)}.",
        mistakes=[
            (n * want, mistake("softmax_cross_entropy/sum-not-mean",
                           "your loss is N times too big: the loss is the mean over the N "
                           "samples, not their sum.")),
            (want / c, mistake("softmax_cross_entropy/mean-over-classes",
                           "your loss is C times too small: it averages over the classes "
                           "too, and the loss is a mean over the samples only.")),
            (np.log2(c), mistake("softmax_cross_entropy/log2",
                             "your loss is in bits: this loss uses the natural log.")),
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
                               "your loss is N times too big: the loss is the mean over the N "
                               "samples, not their sum.")),
                (-np.log(p).mean(), mistake("softmax_cross_entropy/all-classes",
                                        "your loss averages -log p over every class; each "
                                        "sample contributes only its true class's.")),
                (-np.log(p[:, y]).mean(), mistake("softmax_cross_entropy/p-colon-y",
                                              "p[:, y] picks whole columns: an (N, N) table of "
                                              "every sample against every label, not one "
                                              "entry per row.")),
                *([(-np.log(p[y]).mean(), _ROWS_BY_LABEL_HINT)] if y.max() < n else []),
            ],
        )
        grad = run_backward(logits.shape)
        want_grad = _sce_grad(logits, y)
        ex.close(
            grad,
            want_grad,
            f"after {label}, backward() gave\n{fmt(grad)}; expected\n{fmt(want_grad)}.",
            mistakes=_dlogits_mistakes(p, y),
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
                                           "compare one row of your dlogits with the "
                                           "one-sample gradient you found for "
                                           "DL_DZ_ONE_SAMPLE, and the batch's factor with "
                                           "DL_DZ_BATCH."))
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
    # rows 2000 apart: one maximum for the whole batch leaves the second row at e^-2000 = 0
    logits, y = np.array([[1000.0, 999.0], [-1000.0, -999.0]]), np.array([0, 1])
    label = "forward([[1000, 999], [-1000, -999]], y=[0, 1])"
    want = _sce_loss(logits, y)
    out = run_forward(logits, y, label, _SCE_GLOBAL_MAX_HINT, forbid_warnings=True)
    ex.finite(np.asarray(out), label, _SCE_GLOBAL_MAX_HINT)
    ex.close(out, want, f"{label} gave {fmt(out)}; expected ln(1 + e^-1) = {fmt(want)}, the "
             "same for both rows.", hint=_SCE_GLOBAL_MAX_HINT)


@exercise("predict_uniform_loss", kind="value")
def predict_uniform_loss(ex: Check) -> None:
    """PREDICT_UNIFORM_LOSS: the softmax cross-entropy of 1000 samples whose 10 probabilities
    are all 1/10."""
    got = _number(ex, "PREDICT_UNIFORM_LOSS")
    want = np.log(10)
    _judge(ex, got, want, f"PREDICT_UNIFORM_LOSS = {got:g} is not the loss of a uniform guess "
           "over 10 classes.", [
        (0.1, mistake("predict_uniform_loss/probability-not-loss",
                  "that is the probability of the true class; the loss is -ln of it.")),
        (np.log2(10), mistake("predict_uniform_loss/bits",
                          "that is in bits; this loss uses the natural log.")),
        (1.0, mistake("predict_uniform_loss/log10",
                  "that is the log to base 10; this loss uses the natural log.")),
        (-want, mistake("predict_uniform_loss/sign",
                    "a loss of probabilities below 1 is positive: -ln p > 0 for p < 1.")),
        (10 * want, mistake("predict_uniform_loss/every-class",
                        "each sample contributes -ln p of its true class only, not of all "
                        "10 classes.")),
        (1000 * want, mistake("predict_uniform_loss/sum-not-mean",
                          "the loss is the mean over the 1000 samples, not their sum.")),
        (0.0, mistake("predict_uniform_loss/zero",
                  "a uniform guess is not a perfect one: it gives the true class only 1/10.")),
        (0.9, mistake("predict_uniform_loss/error-rate",
                  "that is the error rate of a random guess; the loss is the mean of "
                  "-ln p_true.")),
    ])


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
                        "your argmax runs over the batch (axis 0), one answer per class; the "
                        "exercise asks for one per sample, over the classes."))
        if out.shape == (n, c):
            ex.fail(f"{label} returned shape {out.shape}; expected one label per sample, "
                    f"shape ({n},).",
                    mistake("predict/scores-not-labels",
                        "your predict returns the scores; the exercise asks for class labels, "
                        "one whole number per sample."))
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
                                            "your argmax runs over the batch (axis 0), not "
                                            "over the classes of each sample.")),
                (scores.argmin(axis=1), mistake("predict/argmin",
                                            "the predicted class has the largest score: argmax.")),
            ],
            hint=mistake("predict/wrong-labels",
                     "your labels are not the classes of the largest score in each row of "
                     "the model's output."),
        )


def _separable_classes(rng: np.random.Generator, n: int, d: int = 5, c: int = 3):
    """``n`` points in ``d`` dimensions around ``c`` far-apart centres, balanced classes; one
    label in twenty is wrong, so that no accuracy comes out exactly 1."""
    y = rng.permutation(np.arange(n) % c)
    X = 4.0 * np.eye(c, d)[y] + rng.normal(size=(n, d))
    noisy = rng.permutation(n)[: n // 20]
    y[noisy] = (y[noisy] + 1) % c
    return X, y


def _accuracies(ex: Check, out, label: str, widths) -> np.ndarray:
    """The accuracies of ``widths`` in the student's dict, or a failed check saying why."""
    if not isinstance(out, dict) and not hasattr(out, "keys"):
        ex.fail(f"{label} returned {describe(out)} {fmt(out)}; expected a dict "
                "{width: validation accuracy}.", mistake(
                    "width_search/not-a-dict",
                    "return a dict with one entry per width: the width as key, its "
                    "validation accuracy as value."))
    keys = list(out.keys())
    if sorted(keys) != sorted(widths):
        ex.fail(f"{label} returned the keys {fmt(keys)}; expected the widths {widths}.",
                mistake("width_search/wrong-keys",
                    "one entry per width of `widths`, with the width itself as key."))
    accuracy = np.array([_scalar(ex, out[w], f"the accuracy of width {w}") for w in widths])
    if np.any(accuracy > 1) or np.any(accuracy < 0):
        ex.fail(f"{label} gave the accuracies {fmt(accuracy)}; expected fractions between 0 "
                "and 1.", mistake("width_search/not-a-fraction",
                                  "an accuracy here is the fraction of right answers, "
                                  "between 0 and 1, not a percentage or a count."))
    return accuracy


def _counted_over(accuracy: np.ndarray, n: int) -> bool:
    """True when every accuracy is a count of right answers out of ``n``."""
    return bool(np.all(np.abs(accuracy * n - np.round(accuracy * n)) < 1e-6))


def _wrong_set_hint(accuracy: np.ndarray, n_fit: int, n_val: int) -> str:
    """Which set a too-good accuracy was measured on, told by its denominator (the two sets
    have coprime sizes, and noisy labels keep every accuracy below 1)."""
    if _counted_over(accuracy, n_fit) and not _counted_over(accuracy, n_val):
        return mistake("width_search/measured-on-training-data",
                       "your accuracies count right answers out of the training set's "
                       f"{n_fit} samples: they are measured on the training data, not on "
                       "the validation set.")
    if _counted_over(accuracy, n_val) and not _counted_over(accuracy, n_fit):
        return mistake("width_search/trained-on-validation",
                       "your accuracies are measured on the validation set, but your "
                       "networks learned from it: they must learn from (X_fit, y_fit) only, "
                       "so that the validation set judges them fairly.")
    return mistake("width_search/sets-mixed-up",
                   "your networks are not the ones that learned (X_fit, y_fit) and were "
                   "measured on (X_val, y_val): one set is used where the other belongs.")


def _xor(rng: np.random.Generator, n: int):
    """Two classes in four clusters at (±1, ±1), class 1 where the signs differ: one hidden
    ReLU unit draws a single line through the plane and gets at most three clusters of four
    right (about 0.75); sixteen get nearly all of them."""
    signs = rng.integers(0, 2, size=(n, 2)) * 2 - 1
    X = signs + 0.3 * rng.normal(size=(n, 2))
    return X, (signs[:, 0] != signs[:, 1]).astype(int)


def _reference_search(widths, X_fit, y_fit, X_val, y_val, epochs, rng, lr=0.003,
                      batch_size=128, fresh_optimiser=False):
    """The specification, run by the check with the same generator: Adam at ``lr`` on
    mini-batches of ``batch_size`` (None: the whole set in its order, drawing nothing), one
    fresh network per width; ``fresh_optimiser``: a new Adam for every step (the mistake)."""
    from ..data import minibatches
    from ..losses import SoftmaxCrossEntropy
    from ..nn import ReLU
    from ..optim import Adam

    found = {}
    for width in widths:
        model = Sequential(Linear(X_fit.shape[1], width, rng), ReLU(),
                           Linear(width, int(y_fit.max()) + 1, rng))
        loss, optimiser = SoftmaxCrossEntropy(), Adam(model, lr=lr)
        for _ in range(epochs):
            batches = (minibatches(X_fit, y_fit, batch_size, rng) if batch_size
                       else [(X_fit, y_fit)])
            for X_batch, y_batch in batches:
                if fresh_optimiser:
                    optimiser = Adam(model, lr=lr)
                loss.forward(model.forward(X_batch), y_batch)
                model.backward(loss.backward())
                optimiser.step()
        found[width] = float(np.mean(model.forward(X_val).argmax(axis=1) == y_val))
    return found


_NOT_TRAINED_HINT = mistake(
    "width_search/not-trained",
    "your networks did not learn: does each one train for `epochs` passes over "
    "(X_fit, y_fit), with the loss's gradient going back through the network before each "
    "optimiser step?")

_CLASS_COUNT_HINT = mistake(
    "width_search/class-count",
    "a label has no output of its own in your network (the error above comes from it): "
    "count the classes your labels hold, and the outputs your last layer has.")


def _class_count_hint(err: BaseException) -> str | None:
    """The hint for an error raised where a label meets a network with too few outputs: the
    IndexError of log_p[rows, y], or a loss's own message about the labels' range."""
    if isinstance(err, IndexError) or (isinstance(err, ValueError) and "label" in str(err)):
        return _CLASS_COUNT_HINT
    return None

_RNG_UNUSED_HINT = mistake(
    "width_search/rng-unused",
    "the generator `rng` you were given came back untouched: your initial weights and your "
    "shuffling come from somewhere else, so the caller cannot repeat or vary your search.")

_WEIGHTS_NOT_FROM_RNG_HINT = mistake(
    "width_search/weights-not-from-rng",
    "with 0 epochs your search left `rng` untouched: the initial weights of your networks "
    "come from another generator (a fixed seed, or a layer's default), not from the `rng` "
    "you are given.")

_SHUFFLE_NOT_FROM_RNG_HINT = mistake(
    "width_search/shuffle-not-from-rng",
    "your training epochs draw nothing from `rng`: your mini-batches are shuffled by "
    "another generator (or `rng=None`, or not at all), not by the `rng` you are given.")

_FRESH_OPTIMISER_HINT = mistake(
    "width_search/optimiser-per-step",
    "your search finds what a search that makes a new Adam for every mini-batch finds: "
    "such an Adam forgets its averages m and v and its step count at each step, so every "
    "step is its first one.")

# what a search that follows the specification but for one setting finds, with the same
# generator: (learning rate, batch size or None for the whole set, the mistake)
_FULL_BATCH_HINT = mistake(
    "width_search/full-batch",
    "your networks took one optimiser step per epoch, each on the whole training set at "
    "once: far fewer steps than the specification's mini-batches of 128 take.")

_OTHER_SETTINGS = [
    (0.003, None, _FULL_BATCH_HINT),
    (0.003, 1 << 30, _FULL_BATCH_HINT),  # the whole set as one shuffled batch
    *[(lr, 128, mistake(
        "width_search/other-learning-rate",
        f"your search finds what Adam at the learning rate {lr:g} finds: another rate than "
        "the one the exercise gives.")) for lr in (0.001, 0.01, 0.03, 0.3)],
    *[(0.003, size, mistake(
        "width_search/other-batch-size",
        f"your search finds what mini-batches of {size} find: another size than the one "
        "the exercise gives.")) for size in (32, 64, 100, 256)],
    *[(lr, size, mistake(
        "width_search/other-learning-rate",
        f"your search finds what Adam at the learning rate {lr:g} on batches of {size} "
        "finds: another rate and another batch size than the exercise gives."))
      for lr, size in ((0.03, 32), (0.01, 32), (0.03, 64), (0.01, 64))],
]


def _search(ex: Check, widths, X_fit, y_fit, X_val, y_val, epochs, seed: int, what: str):
    """The student's accuracies for ``widths`` (in that order) on one problem, called with
    ``default_rng(seed)``; a generator that comes back untouched fails the check."""
    label = f"width_search({widths}, X_fit, y_fit, X_val, y_val, {epochs}, rng) on {what}"
    rng = np.random.default_rng(seed)
    before = copy.deepcopy(rng.bit_generator.state)
    out = _call(ex, widths, X_fit, y_fit, X_val, y_val, epochs, rng, label=label,
                hint_for=_class_count_hint)
    accuracy = _accuracies(ex, out, label, widths)
    if rng.bit_generator.state == before:
        ex.fail(f"{label} gave {fmt(accuracy)} and left its `rng` argument as it found it.",
                _RNG_UNUSED_HINT)
    return label, dict(zip(widths, accuracy, strict=True))


def _width_matters(ex: Check) -> None:
    """Width 1 against width 16 on the four clusters, in both orders: one unit cannot
    separate them, sixteen can; a width 1 that scores like 16 tells a width that is not
    used (in both orders) from a network kept from the call's previous width (only after
    16), and a 16 that learns only when it comes first tells an optimiser kept from it."""
    X_fit, y_fit = _xor(np.random.default_rng(11), 256)
    X_val, y_val = _xor(np.random.default_rng(12), 400)
    what = "four clusters of two classes, at (±1, ±1), class 1 where the signs differ"
    narrow_first, first = _search(ex, (1, 16), X_fit, y_fit, X_val, y_val, 60, 3, what)
    if first[1] > 0.85:
        ex.fail(f"{narrow_first} gave the accuracy {first[1]:.3f} to width 1: one hidden "
                "unit draws a single line through the plane and gets at most three of the "
                "four clusters right, about 0.75.", mistake(
                    "width_search/width-ignored",
                    "your width-1 network scores like a wide one: the hidden layer of the "
                    "networks you train does not have the width each key of your dict "
                    "names."))
    wide_first, second = _search(ex, (16, 1), X_fit, y_fit, X_val, y_val, 60, 4, what)
    if second[16] < 0.9:
        ex.fail(f"{wide_first} gave the accuracy {second[16]:.3f} to width 16, which "
                "separates these clusters (above 0.9) after 60 epochs.", _NOT_TRAINED_HINT)
    if second[1] > 0.85:
        ex.fail(f"{wide_first} gave width 1 the accuracy {second[1]:.3f}, and "
                f"{narrow_first} gave it {first[1]:.3f}: one hidden unit cannot separate "
                "these clusters, yet after width 16 it does.", mistake(
                    "width_search/model-reused",
                    "what width 1 scores depends on the width before it: the network "
                    "measured for one width is one that a previous width trained."))
    if first[16] < 0.9:
        ex.fail(f"{narrow_first} gave width 16 the accuracy {first[16]:.3f}, and "
                f"{wide_first} gave it {second[16]:.3f}: width 16 learns when it comes "
                "first, and not after width 1.", mistake(
                    "width_search/only-first-trained",
                    "only the first network of each call learns: the training steps of "
                    "the later widths do not reach their networks' weights."))


def _overlapping_classes(rng: np.random.Generator, n: int):
    """Eight classes in 16 dimensions whose clouds overlap: two epochs of 512 samples leave a
    network mid-way, where every learning rate and batch size ends somewhere else."""
    y = rng.permutation(np.arange(n) % 8)
    return 1.5 * np.eye(8, 16)[y] + rng.normal(size=(n, 16)), y


def _settings_match(ex: Check) -> None:
    """A short budget, where the result still depends on every setting: with the same
    generator, a search that follows the specification finds what the check's own run
    finds, to a sample or two. One that finds what another learning rate or batch size finds
    fails with that; any other result is not judged here (another order of random draws is
    right too)."""
    X_fit, y_fit = _overlapping_classes(np.random.default_rng(21), 512)
    X_val, y_val = _overlapping_classes(np.random.default_rng(22), 2000)
    args = ((16, 32, 64), X_fit, y_fit, X_val, y_val, 2)
    label, found = _search(ex, *args, 7, "eight overlapping classes, 512 training samples")
    got = np.array(list(found.values()))

    def distance(lr=0.003, batch_size=128):
        other = _reference_search(*args, np.random.default_rng(7), lr=lr, batch_size=batch_size)
        return np.abs(got - np.array(list(other.values()))).max() * len(X_val)

    if distance() <= 3:
        return
    fresh = _reference_search(*args, np.random.default_rng(7), fresh_optimiser=True)
    if np.abs(got - np.array(list(fresh.values()))).max() * len(X_val) <= 3:
        ex.fail(f"{label} gave {fmt(got)}, the accuracies that a new Adam made for every "
                "mini-batch reaches with the same generator.", _FRESH_OPTIMISER_HINT)
    distances = [distance(lr, size) for lr, size, _ in _OTHER_SETTINGS]
    nearest = int(np.argmin(distances))
    if distances[nearest] <= 3:
        lr, size, hint = _OTHER_SETTINGS[nearest]
        ex.fail(f"{label} gave {fmt(got)}, the accuracies that Adam at {lr:g} on "
                f"{f'batches of {size}' if size and size < len(X_fit) else 'the whole set'} "
                "reaches "
                "with the same generator.", hint)


def _draws_from_rng(ex: Check, X_fit, y_fit, X_val, y_val) -> None:
    """Every draw from ``rng``: with 0 epochs the networks' initial weights must still move
    it, and one epoch must move it further than 0 (the shuffling). A call with 0 epochs
    that raises is not judged here: the specification does not promise it."""
    states = []
    for epochs in (0, 1):
        rng = np.random.default_rng(5)
        label = f"width_search((8,), X_fit, y_fit, X_val, y_val, {epochs}, rng)"
        try:
            ex.call((8,), X_fit, y_fit, X_val, y_val, epochs, rng, label=label)
        except CheckFailed:
            if epochs == 0:
                return
            raise
        states.append(rng.bit_generator.state)
    untouched = np.random.default_rng(5).bit_generator.state
    if states[0] == untouched:
        ex.fail("width_search((8,), X_fit, y_fit, X_val, y_val, 0, rng) left its `rng` "
                "argument as it found it, though it builds a network with random initial "
                "weights.", _WEIGHTS_NOT_FROM_RNG_HINT)
    if states[1] == states[0]:
        ex.fail("width_search((8,), X_fit, y_fit, X_val, y_val, 1, rng) drew from its `rng` "
                "exactly what the same call with 0 epochs draws: its epoch of training drew "
                "nothing from it.", _SHUFFLE_NOT_FROM_RNG_HINT)


def _enough_steps(ex: Check) -> None:
    """2048 samples, 2 epochs: 32 mini-batch steps take a 64-unit network above 0.95 on
    three separable classes, 2 whole-set steps leave it far below."""
    X_fit, y_fit = _separable_classes(np.random.default_rng(31), 2048)
    X_val, y_val = _separable_classes(np.random.default_rng(32), 600)
    label, found = _search(ex, (48, 64), X_fit, y_fit, X_val, y_val, 2, 6,
                           "three separable classes, 2048 training samples")
    if min(found.values()) < 0.93:
        ex.fail(f"{label} gave {fmt(np.array(list(found.values())))}: two epochs of "
                "mini-batches of 128 take both networks above 0.95 here, and two steps on "
                "the whole set leave them far below.", _FULL_BATCH_HINT)


@exercise("width_search")
def width_search(ex: Check) -> None:
    """width_search(widths, X_fit, y_fit, X_val, y_val, epochs, rng) -> {width: validation
    accuracy}, one freshly trained network per width, Adam at 0.003, mini-batches of 128."""
    widths, epochs = (8, 32), 40
    X_a, y_a = _separable_classes(ex.rng, 240)
    X_b, y_b = _separable_classes(ex.rng, 121)
    # every class renamed c -> c + 1 (mod 3) on one side only: an honest search then scores
    # near 0, one that measures on, or trains on, the wrong set near 1
    trials = [
        ("", X_a, y_a, X_b, y_b),
        ("with the validation labels renamed (class c called c + 1)",
         X_a, y_a, X_b, (y_b + 1) % 3),
        ("with the training labels renamed (class c called c + 1)",
         X_b, (y_b + 1) % 3, X_a, y_a),
    ]
    for number, (what, X_fit, y_fit, X_val, y_val) in enumerate(trials):
        what = f"three separable classes {what}".rstrip()
        label, found = _search(ex, widths, X_fit, y_fit, X_val, y_val, epochs, number, what)
        accuracy = np.array(list(found.values()))
        if (number == 0 and _counted_over(accuracy, len(X_fit))
                and not _counted_over(accuracy, len(X_val))
                and not _counted_over(accuracy, 1000)):  # not a rounded one either
            ex.fail(f"{label} gave the accuracies {fmt(accuracy)}, counts out of "
                    f"{len(X_fit)}, the size of the training set; the validation set has "
                    f"{len(X_val)} samples.", _wrong_set_hint(accuracy, len(X_fit), len(X_val)))
        if number == 0:
            first_label, first_accuracy = label, accuracy
        if number > 0 and accuracy.max() > 0.7:
            ex.fail(f"{label} gave the accuracies {fmt(accuracy)}: a network that learned "
                    "the training labels gets these validation labels wrong.",
                    _wrong_set_hint(accuracy, len(X_fit), len(X_val)))
    # after the widths' trial, which tells which of the networks did not learn
    _width_matters(ex)
    if first_accuracy.max() < 0.85:
        ex.fail(f"{first_label} gave the validation accuracies {fmt(first_accuracy)}: on "
                "these easy classes a trained network gets above 0.85.", _NOT_TRAINED_HINT)
    _settings_match(ex)
    _enough_steps(ex)
    # last: a search with no mini-batches draws nothing either, and full-batch names it better
    _draws_from_rng(ex, X_a, y_a, X_b, y_b)
