"""Notebook 06 checks: the reference and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import numpy as np
import pytest
from checking import assert_fails, assert_passes, own_copy

from helpers import check
from helpers.losses import SoftmaxCrossEntropy as ReferenceLoss
from helpers.losses import log_softmax

# --- entropy, cross-entropy, KL divergence ----------------------------------------------------


def entropy_masked(p):
    p = p[p > 0]
    return -np.sum(p * np.log2(p))


def entropy_where(p):
    safe = np.where(p > 0, p, 1.0)  # log2(1) = 0 stands in for 0 · log 0
    return -np.sum(p * np.log2(safe))


def entropy_naive(p):
    return -np.sum(p * np.log2(p))


def entropy_silenced(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return -np.sum(p * np.log2(p))


@pytest.mark.parametrize(
    "answer",
    [
        entropy_masked,
        entropy_where,
        lambda p: -np.sum(p * np.log2(p + 1e-15)),
        lambda p: -np.sum(p[p > 0] * np.log(p[p > 0])) / np.log(2),
    ],
)
def test_entropy_accepts_correct_formulas(answer, capsys):
    assert_passes(check.entropy, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda p: -np.sum(p[p > 0] * np.log(p[p > 0])), "in nats",
         "information/natural-log-not-bits"),
        (entropy_naive, "0 · log 0 counts as 0", "information/log-of-zero"),
        (entropy_silenced, "0 · log 0 counts as 0", "information/log-of-zero"),
        (lambda p: np.sum(p[p > 0] * np.log2(p[p > 0])), "the wrong sign", "entropy/sign-flipped"),
        (lambda p: -np.mean(p[p > 0] * np.log2(p[p > 0])), "don't average", "entropy/mean-not-sum"),
        (lambda p: -p[p > 0] * np.log2(p[p > 0]), "one number that combines them",
         "general/not-summed"),
    ],
)
def test_entropy_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.entropy, answer, hint, mistake=mistake)


def cross_entropy_masked(p, q):
    mask = p > 0
    return -np.sum(p[mask] * np.log2(q[mask]))


@pytest.mark.parametrize(
    "answer",
    [
        cross_entropy_masked,
        lambda p, q: -(p[p > 0] @ np.log2(q[p > 0])),
        lambda p, q: entropy_masked(p) + np.sum(p[p > 0] * np.log2(p[p > 0] / q[p > 0])),
    ],
)
def test_cross_entropy_accepts_correct_formulas(answer, capsys):
    # every right version meets log2(0) = -inf at p = [0.5, 0.5], q = [1, 0]: an expected
    # warning, so no note
    assert_passes(check.cross_entropy, answer, capsys)


def test_cross_entropy_right_but_warning_where_p_is_0_passes_with_a_note(capsys):
    # np.where computes log2(0) where p = 0 too, then drops it: right, with a note
    assert_passes(check.cross_entropy, lambda p, q: -np.sum(np.where(p > 0, p * np.log2(q), 0.0)),
                  capsys, warned="divide by zero")


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda p, q: cross_entropy_masked(q, p), "arguments are swapped",
         "cross_entropy/arguments-swapped"),
        (lambda p, q: -np.sum(p[p > 0] * np.log(q[p > 0])), "in nats",
         "information/natural-log-not-bits"),
        (lambda p, q: np.sum(p[p > 0] * np.log2(q[p > 0])), "check the sign",
         "cross_entropy/sign-flipped"),
        (lambda p, q: -np.sum(p * np.log2(q)), "0 · log 0 counts as 0", "information/log-of-zero"),
        # an infinite term silently dropped: -0.0 where H(p, q) is +inf
        (lambda p, q: -np.sum(p[q > 0] * np.log2(q[q > 0])), "model calls impossible",
         "cross_entropy/masked-on-q"),
        (lambda p, q: -np.sum(np.where(q > 0, p * np.log2(np.where(q > 0, q, 1.0)), 0.0)),
         "model calls impossible", "cross_entropy/masked-on-q"),
        (lambda p, q: -np.sum(p[p > 0] * np.log2(q[p > 0] + 1e-12)), "nudged away from 0",
         "cross_entropy/masked-on-q"),
    ],
)
def test_cross_entropy_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.cross_entropy, answer, hint, mistake=mistake)


def kl_masked(p, q):
    mask = p > 0
    return np.sum(p[mask] * np.log2(p[mask] / q[mask]))


@pytest.mark.parametrize(
    "answer",
    [
        kl_masked,
        lambda p, q: cross_entropy_masked(p, q) - entropy_masked(p),
        lambda p, q: np.sum(p[p > 0] * (np.log2(p[p > 0]) - np.log2(q[p > 0]))),
    ],
)
def test_kl_divergence_accepts_correct_formulas(answer, capsys):
    assert_passes(check.kl_divergence, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda p, q: kl_masked(q, p), "arguments are swapped", "kl_divergence/arguments-swapped"),
        (lambda p, q: kl_masked(p, q) * np.log(2), "in nats",
         "information/natural-log-not-bits"),
        (lambda p, q: -kl_masked(p, q), "never negative", "kl_divergence/ratio-inverted"),
        (cross_entropy_masked, "subtracts the entropy", "kl_divergence/cross-entropy-instead"),
        (lambda p, q: np.sum(p * np.log2(p / q)), "0 · log 0 counts as 0",
         "information/log-of-zero"),
    ],
)
def test_kl_divergence_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.kl_divergence, answer, hint, mistake=mistake)


# --- binary cross-entropy ---------------------------------------------------------------------


def bce_clipped(p, y):
    """Clips in p's own dtype: right for float64, a no-op at 1 for float32 p."""
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_solution(p, y):
    """solutions/06_softmax_cross_entropy.ipynb's binary_cross_entropy."""
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)  # in float32, 1 - 1e-12 == 1.0
    y = np.asarray(y, dtype=float).reshape(p.shape)  # (N, 1) against (N,) would make (N, N)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def bce_float32_margin(p, y):
    """Clips with a margin the dtype can hold: right for float32 p too."""
    eps = np.finfo(np.asarray(p).dtype).eps
    p, y = np.clip(p, eps, 1 - eps), np.reshape(y, np.shape(p))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_clipped_float64(p, y):
    return bce_clipped(np.asarray(p, dtype=np.float64), np.ravel(y))


@pytest.mark.parametrize(
    "answer",
    [
        bce_solution,
        bce_float32_margin,
        bce_clipped_float64,
        lambda p, y: -np.mean(np.ravel(y) * np.log(p + 1e-12)
                              + (1 - np.ravel(y)) * np.log(1 - p + 1e-12)),
        lambda p, y: -np.mean(np.log(np.clip(np.where(np.ravel(y) == 1, p, 1 - p), 1e-15, 1))),
    ],
)
def test_binary_cross_entropy_accepts_correct_formulas(answer, capsys):
    assert_passes(check.binary_cross_entropy, answer, capsys)


def bce_naive(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_silenced(p, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        return bce_naive(p, y)


def bce_zeroes_infinite_terms(p, y):
    """Silences the warnings and counts every inf or nan term as 0: finite, but wrong."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return np.mean(np.where(np.isfinite(terms), terms, 0.0))


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (bce_naive, "one of your two logs gets exactly 0", "binary_cross_entropy/log-of-zero"),
        (bce_silenced, "one of your two logs gets exactly 0", "binary_cross_entropy/log-of-zero"),
        (lambda p, y: -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)), "N times too big",
         "binary_cross_entropy/sum-not-mean"),
        (lambda p, y: -np.mean(y * np.log2(p) + (1 - y) * np.log2(1 - p)), "natural log",
         "binary_cross_entropy/log2"),
        (lambda p, y: np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), "check the sign",
         "binary_cross_entropy/sign-flipped"),
        (lambda p, y: bce_clipped(1 - p, y), "y = 1 goes with log p",
         "binary_cross_entropy/classes-swapped"),
        (lambda p, y: bce_clipped(np.clip(p, 0.01, 0.99), y), "so wide that it changes the loss",
         "binary_cross_entropy/clip-too-wide"),
        (bce_zeroes_infinite_terms, "a sure wrong answer must cost a lot",
         "binary_cross_entropy/sure-wrong-too-cheap"),
    ],
)
def test_binary_cross_entropy_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.binary_cross_entropy, answer, hint, mistake=mistake)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        # np.clip(p, 1e-12, 1 - 1e-12) on float32 p: the upper bound rounds to 1.0
        (lambda p, y: bce_clipped(p, np.ravel(y)), "rounds to exactly 1 there",
         "binary_cross_entropy/float32-clip"),
        (lambda p, y: -np.mean(np.ravel(y) * np.log(np.clip(p, 1e-9, 1 - 1e-9))
                               + (1 - np.ravel(y)) * np.log(1 - np.clip(p, 1e-9, 1 - 1e-9))),
         "rounds to exactly 1 there", "binary_cross_entropy/float32-clip"),
        # y of shape (N, 1) against p of shape (N,): an (N, N) table, finite and wrong
        (lambda p, y: bce_clipped(np.asarray(p, dtype=float), y), "not the loss of the N pairs",
         "binary_cross_entropy/n-n-broadcast"),
        (lambda p, y: -np.mean(np.log(np.clip(np.where(y == 1, p, 1 - p), 1e-15, 1))),
         "broadcast to an (N, N) table", "binary_cross_entropy/n-n-broadcast"),
        (bce_naive, "The loss must stay finite there", "binary_cross_entropy/log-of-zero"),
    ],
)
def test_binary_cross_entropy_names_float32_and_broadcast_mistakes(answer, hint, mistake):
    assert_fails(check.binary_cross_entropy, answer, hint, mistake=mistake)


# --- one_hot ----------------------------------------------------------------------------------


def one_hot_loop(y, num_classes):
    out = np.zeros((len(y), num_classes))
    for i, label in enumerate(y):
        out[i, label] = 1
    return out


@pytest.mark.parametrize(
    "answer",
    [
        lambda y, num_classes: np.eye(num_classes)[y],
        one_hot_loop,
        lambda y, num_classes: (y[:, None] == np.arange(num_classes)).astype(int),
    ],
)
def test_one_hot_accepts_correct_formulas(answer, capsys):
    assert_passes(check.one_hot, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda y, num_classes: np.eye(num_classes)[y].T, "transposed", "one_hot/transposed"),
        (lambda y, num_classes: np.eye(num_classes)[y - 1], "off by one", "one_hot/off-by-one"),
        (lambda y, num_classes: np.eye(num_classes)[y + 1], "off by one", "one_hot/off-by-one"),
        (lambda y, num_classes: np.eye(num_classes + 1)[y], "not num_classes + 1",
         "one_hot/extra-column"),
        (lambda y, num_classes: np.eye(y.max() + 1)[y], "not y.max() + 1",
         "one_hot/columns-from-max"),
        (lambda y, num_classes: np.eye(num_classes)[:, y], "transposed", "one_hot/transposed"),
    ],
)
def test_one_hot_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.one_hot, answer, hint, mistake=mistake)


def test_one_hot_square_transpose_is_named():
    """On a square batch a transposed answer has the right shape; the values give it away."""

    def transposed_only_when_square(y, num_classes):
        out = np.eye(num_classes)[y]
        return out.T if out.shape[0] == out.shape[1] else out

    assert_fails(check.one_hot, transposed_only_when_square, "transposed")


# --- softmax ----------------------------------------------------------------------------------


def softmax_reference(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


# the package's log_softmax is the reference's work; a student's own one, written out
_own_log_softmax = own_copy(log_softmax)


@pytest.mark.parametrize(
    "answer",
    [
        softmax_reference,
        lambda z: np.exp(_own_log_softmax(z)),
        lambda z: np.exp(z - np.log(np.sum(np.exp(z - z.max(-1, keepdims=True)), -1,
                                            keepdims=True)) - z.max(-1, keepdims=True)),
    ],
)
def test_softmax_accepts_stable_formulas(answer, capsys):
    assert_passes(check.softmax, answer, capsys)


def softmax_no_max(z):
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_global_max(z):
    e = np.exp(z - z.max())
    return e / e.sum(axis=-1, keepdims=True)


def softmax_no_keepdims(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1)


def softmax_axis0(z):
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_row_max_axis0_sum(z):
    """The stable shift, right; the sum over the wrong axis."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


def softmax_axis1(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def softmax_max_no_keepdims(z):
    e = np.exp(z - z.max(axis=-1))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_no_keepdims_transposed(z):
    """Divides by the sums without keepdims, but only when the shapes happen to allow it."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    sums = e.sum(axis=-1)
    return e / sums if z.ndim == 1 or z.shape[0] == z.shape[-1] else e / sums[:, None]


def softmax_whole_array_sum(z):
    """The stable shift, right; one sum over every entry of the batch."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum()


def softmax_whole_array_sum_no_shift(z):
    e = np.exp(z)
    return e / e.sum()


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (softmax_no_max, "np.exp(1000) overflows", "softmax/overflow-no-max-shift"),
        (softmax_global_max, "the maximum of the whole array", "softmax/global-max-shift"),
        (softmax_no_keepdims, "divided by its own sum", "softmax/no-keepdims"),
        (softmax_no_keepdims_transposed, "line up with the columns", "softmax/no-keepdims"),
        (softmax_axis0, "your columns do", "softmax/sum-over-axis-0"),
        (softmax_row_max_axis0_sum, "your columns do", "softmax/sum-over-axis-0"),
        (softmax_axis1, "a 1-D array has only axis 0", "softmax/axis-1-on-1d"),
        (softmax_max_no_keepdims, "each row's own maximum is not what your code subtracted",
         "softmax/max-shift-no-keepdims"),
        (np.exp, "do not sum to 1", "softmax/not-normalised"),
        (softmax_whole_array_sum, "the whole batch", "softmax/whole-array-sum"),
        (softmax_whole_array_sum_no_shift, "the whole batch", "softmax/whole-array-sum"),
        (lambda z: np.exp(np.clip(z, -500, 500)) / np.exp(np.clip(z, -500, 500)).sum(
            axis=-1, keepdims=True), "np.exp(1000) overflows",
             "softmax/overflow-no-max-shift"),
    ],
)
def test_softmax_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.softmax, answer, hint, mistake=mistake)


# --- SoftmaxCrossEntropy ----------------------------------------------------------------------


class SoftmaxCrossEntropyLogSumExp:
    """The notebook's formulation: log p through log-sum-exp, labels as integers."""

    def forward(self, logits, y):
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.p, self.y = np.exp(log_p), y
        return -log_p[np.arange(len(y)), y].mean()

    def backward(self):
        n = len(self.y)
        one_hot = np.eye(self.p.shape[1])[self.y]
        return (self.p - one_hot) / n


class SoftmaxCrossEntropyOneHot(SoftmaxCrossEntropyLogSumExp):
    """Another right answer: sum of one-hot times log p, gradient via a copy."""

    def forward(self, logits, y):
        super().forward(logits, y)
        self.one_hot = np.eye(logits.shape[1])[y]
        log_p = log_softmax(logits)
        return -np.sum(self.one_hot * log_p) / len(y)

    def backward(self):
        return (self.p - self.one_hot) / len(self.y)


@pytest.mark.parametrize(
    "answer", [own_copy(ReferenceLoss), SoftmaxCrossEntropyLogSumExp, SoftmaxCrossEntropyOneHot]
)
def test_softmax_cross_entropy_accepts_correct_classes(answer, capsys):
    assert_passes(check.softmax_cross_entropy, answer, capsys)


class NoMeanForward(SoftmaxCrossEntropyLogSumExp):
    def forward(self, logits, y):
        return super().forward(logits, y) * len(y)


class NoMeanBackward(SoftmaxCrossEntropyLogSumExp):
    def backward(self):
        return super().backward() * len(self.y)


class NaiveLog(SoftmaxCrossEntropyLogSumExp):
    """log(softmax): finite until the true class's probability underflows to 0."""

    def forward(self, logits, y):
        super().forward(logits, y)
        return -np.log(self.p[np.arange(len(y)), y]).mean()


class NoMaxSubtraction(SoftmaxCrossEntropyLogSumExp):
    def forward(self, logits, y):
        e = np.exp(logits)
        self.p, self.y = e / e.sum(axis=1, keepdims=True), y
        return -np.log(self.p[np.arange(len(y)), y]).mean()


class EpsilonLog(SoftmaxCrossEntropyLogSumExp):
    def forward(self, logits, y):
        super().forward(logits, y)
        return -np.log(self.p[np.arange(len(y)), y] + 1e-12).mean()


class GradientOfTheTrueClassOnly(SoftmaxCrossEntropyLogSumExp):
    def backward(self):
        return (self.p[np.arange(len(self.y)), self.y] - 1) / len(self.y)


class TransposedGradient(SoftmaxCrossEntropyLogSumExp):
    def backward(self):
        return super().backward().T


class EveryClassLoss(SoftmaxCrossEntropyLogSumExp):
    def forward(self, logits, y):
        super().forward(logits, y)
        return -np.mean(np.log(self.p))


class ProbabilitiesAsGradient(SoftmaxCrossEntropyLogSumExp):
    def backward(self):
        return self.p / len(self.y)


class Log2Loss(SoftmaxCrossEntropyLogSumExp):
    def forward(self, logits, y):
        return super().forward(logits, y) / np.log(2)


class ForwardOnly:
    def forward(self, logits, y):
        return 0.0


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (NoMeanForward, "N times too big", "softmax_cross_entropy/sum-not-mean"),
        (NoMeanBackward, "N times too big", "softmax_cross_entropy/dlogits-not-divided"),
        (NaiveLog, "log-sum-exp", "softmax_cross_entropy/log-of-underflowed-softmax"),
        (NoMaxSubtraction, "np.exp(1000) overflows", "softmax/overflow-no-max-shift"),
        (EpsilonLog, "log-sum-exp", "softmax_cross_entropy/log-of-underflowed-softmax"),
        (GradientOfTheTrueClassOnly, "the shape (N, C)", "softmax_cross_entropy/dlogits-shape"),
        (TransposedGradient, "the shape (N, C)", "softmax_cross_entropy/dlogits-shape"),
        (EveryClassLoss, "only its true class's", "softmax_cross_entropy/all-classes"),
        (ProbabilitiesAsGradient, "probabilities over N",
         "softmax_cross_entropy/dlogits-softmax-only"),
        (Log2Loss, "natural log", "softmax_cross_entropy/log2"),
        (ForwardOnly, "forward(logits, y) and backward()", "softmax_cross_entropy/methods-missing"),
    ],
)
def test_softmax_cross_entropy_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.softmax_cross_entropy, answer, hint, mistake=mistake)


def test_softmax_cross_entropy_wants_the_class_not_an_instance():
    assert_fails(check.softmax_cross_entropy, ReferenceLoss(), "not an instance")


def test_softmax_cross_entropy_gradient_check_catches_an_unnamed_bug():
    class HalfGradient(SoftmaxCrossEntropyLogSumExp):
        def backward(self):
            grad = super().backward()
            grad[:, 0] *= 0.5
            return grad

    assert_fails(check.softmax_cross_entropy, HalfGradient, "expected")


# --- predict ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        lambda model, X: model.forward(X).argmax(axis=1),
        lambda model, X: np.argmax(model(X), axis=-1),
        lambda model, X: np.exp(log_softmax(model.forward(X))).argmax(axis=1),
    ],
)
def test_predict_accepts_correct_formulas(answer, capsys):
    assert_passes(check.predict, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda model, X: model.forward(X).argmax(axis=0), "over the batch (axis 0)",
         "predict/argmax-axis-0"),
        (lambda model, X: model.forward(X), "asks for class labels", "predict/scores-not-labels"),
        (lambda model, X: model.forward(X).argmin(axis=1), "largest score", "predict/argmin"),
        (lambda model, X: model.forward(X).max(axis=1), "np.max gives the score",
         "predict/max-not-argmax"),
    ],
)
def test_predict_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.predict, answer, hint, mistake=mistake)


def predict_rewriting_the_model(model, X):
    """Makes the model answer zeros, then answers zeros: the check's expected labels come
    from its own copy of the model, so this cannot pass."""
    model.forward = lambda x: np.zeros((len(x), 3))
    return np.zeros(len(X), dtype=int)


def test_predict_that_rewrites_the_model_is_not_trusted():
    assert_fails(check.predict, predict_rewriting_the_model, "expected")


def test_predict_over_the_batch_axis_is_named_on_a_square_batch():
    def argmax_axis0_when_square(model, X):
        scores = model.forward(X)
        return scores.argmax(axis=0) if scores.shape[0] == scores.shape[1] else scores.argmax(1)

    assert_fails(check.predict, argmax_axis0_when_square, "over the batch (axis 0)")


# --- issue 23: wrong backward and forward versions that real students write -------------------


class GlobalMaxForward(SoftmaxCrossEntropyLogSumExp):
    """One maximum for the whole batch: right on every test point whose rows share a
    maximum, -inf on rows 2000 apart."""

    def forward(self, logits, y):
        shifted = logits - logits.max()
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.p, self.y = np.exp(log_p), y
        return -log_p[np.arange(len(y)), y].mean()


class GlobalMaxSoftmaxThenLog(SoftmaxCrossEntropyLogSumExp):
    def forward(self, logits, y):
        e = np.exp(logits - logits.max())
        self.p, self.y = e / e.sum(axis=1, keepdims=True), y
        return -np.log(self.p[np.arange(len(y)), y]).mean()


class WholeColumns(SoftmaxCrossEntropyLogSumExp):
    def backward(self):
        g = self.p.copy()
        g[:, self.y] -= 1
        return g / len(self.y)


class OneHotAdded(SoftmaxCrossEntropyLogSumExp):
    def backward(self):
        return (self.p + np.eye(self.p.shape[1])[self.y]) / len(self.y)


class GradientByProbabilities(SoftmaxCrossEntropyLogSumExp):
    """dL/dp of -mean log p_y: -1/(N p) at the true classes, 0 elsewhere."""

    def backward(self):
        g = np.zeros_like(self.p)
        rows = np.arange(len(self.y))
        g[rows, self.y] = -1 / self.p[rows, self.y]
        return g / len(self.y)


class GradientByProbabilitiesNoMean(GradientByProbabilities):
    def backward(self):
        return super().backward() * len(self.y)


class MinusOneEverywhere(SoftmaxCrossEntropyLogSumExp):
    def backward(self):
        return (self.p - 1) / len(self.y)


class MinusOneEverywhereNoMean(SoftmaxCrossEntropyLogSumExp):
    def backward(self):
        return self.p - 1


class DividedByNC(SoftmaxCrossEntropyLogSumExp):
    def backward(self):
        return super().backward() / self.p.shape[1]


class SignFlippedGradient(SoftmaxCrossEntropyLogSumExp):
    def backward(self):
        return -super().backward()


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (GlobalMaxForward, "one maximum for the whole batch",
         "softmax_cross_entropy/global-max-shift"),
        # the log of a softmax underflows first, at [[1000, 0, -1000], ...]
        (GlobalMaxSoftmaxThenLog, "log-sum-exp",
         "softmax_cross_entropy/log-of-underflowed-softmax"),
        (WholeColumns, "whole columns were indexed", "softmax_cross_entropy/dlogits-whole-columns"),
        (OneHotAdded, "off by 2/N", "softmax_cross_entropy/dlogits-one-hot-added"),
        (GradientByProbabilities, "the gradient by the probabilities",
         "softmax_cross_entropy/dlogits-by-probabilities"),
        (GradientByProbabilitiesNoMean, "the gradient by the probabilities",
         "softmax_cross_entropy/dlogits-by-probabilities"),
        (MinusOneEverywhere, "lowered by 1/N, not only each row's true class",
         "softmax_cross_entropy/dlogits-minus-one-everywhere"),
        (MinusOneEverywhereNoMean, "lowered by 1, not only each row's true class",
         "softmax_cross_entropy/dlogits-minus-one-everywhere"),
        (DividedByNC, "C times too small", "softmax_cross_entropy/dlogits-divided-by-nc"),
        (SignFlippedGradient, "wrong sign", "softmax_cross_entropy/dlogits-sign"),
    ],
)
def test_softmax_cross_entropy_names_the_classic_wrong_versions(answer, hint, mistake):
    assert_fails(check.softmax_cross_entropy, answer, hint, mistake=mistake)


def test_the_global_max_passes_every_point_but_the_rows_2000_apart():
    """Issue 23: one max over the whole batch passed before; only the new point catches it."""
    failure = assert_fails(check.softmax_cross_entropy, GlobalMaxForward,
                           "forward([[1000, 999], [-1000, -999]], y=[0, 1])")
    assert "raised a warning" in failure.plain


def test_the_backward_messages_name_the_mistake_without_writing_the_gradient():
    for answer in (WholeColumns, OneHotAdded, GradientByProbabilities, MinusOneEverywhere,
                   NoMeanBackward, ProbabilitiesAsGradient, SignFlippedGradient, DividedByNC):
        with pytest.raises(check.CheckFailed) as info:
            check.softmax_cross_entropy(answer)
        text = " ".join(info.value.plain.split())
        for answer_form in ("softmax - one_hot", "p - one_hot", "(softmax", "one_hot) / N",
                            "probs - "):
            assert answer_form not in text, text


# --- the checked steps and predictions (kind="value") ------------------------------------------


def _sigma(z):
    return 1 / (1 + np.exp(-z))


A4 = _sigma(-4.0)


@pytest.mark.parametrize("answer", [A4 - 1, -0.982, -0.98, np.float64(-0.982), np.array(-0.982),
                                    np.array([-0.982])])
def test_dl_dz_bce_accepts_the_derived_number(answer, capsys):
    assert_passes(check.dl_dz_bce, answer, capsys)


@pytest.mark.parametrize(
    "answer, mistake",
    [
        (1 - A4, "dl_dz_bce/sign"),
        (-1 / A4, "dl_dz_bce/stopped-at-a"),
        (1 / A4, "dl_dz_bce/stopped-at-a"),
        (-54.6, "dl_dz_bce/stopped-at-a"),  # -e^4, a blind student's number
        (-(1 - A4) / A4, "dl_dz_bce/stopped-at-a"),
        ((A4 - 1) * A4 * (1 - A4), "dl_dz_bce/squared-error"),
        (A4 * (1 - A4), "dl_dz_bce/sigmoid-prime-only"),
        (-A4 * (1 - A4), "dl_dz_bce/sigmoid-prime-only"),
        (-np.log(A4), "dl_dz_bce/loss-not-gradient"),
        (A4, "dl_dz_bce/wrong-label"),
        (_sigma(4.0) - 1, "dl_dz_bce/sigmoid-of-plus-4"),
        ("-0.982", "softmax_questions/not-a-number"),
        (None, "softmax_questions/not-a-number"),
        (np.nan, "softmax_questions/not-a-number"),
        (0.5, "unnamed"),
    ],
)
def test_dl_dz_bce_names_the_wrong_numbers(answer, mistake):
    assert_fails(check.dl_dz_bce, answer, "DL_DZ_BCE", mistake=mistake)


SOFTMAX_1000 = np.exp([0.0, -1.0, -2.0]) / np.exp([0.0, -1.0, -2.0]).sum()


@pytest.mark.parametrize("answer", [SOFTMAX_1000, [0.665, 0.245, 0.090], (0.6652, 0.2447, 0.09)])
def test_softmax_1000_accepts_the_shifted_softmax(answer, capsys):
    assert_passes(check.softmax_1000, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ([np.nan, np.nan, np.nan], "inf / inf is nan", "softmax_1000/overflow"),
        ([1 / 3, 1 / 3, 1 / 3], "as far apart as 2, 1 and 0", "softmax_1000/uniform"),
        ([1000 / 2997, 999 / 2997, 998 / 2997], "only how far apart", "softmax_1000/uniform"),
        ([1.0, 0.0, 0.0], "does not take everything", "softmax_1000/argmax"),
        (SOFTMAX_1000[::-1], "the largest score gets the largest", "softmax_1000/reversed"),
        (np.exp([0.0, -1.0, -2.0]), "do not sum to 1", "softmax_1000/not-normalised"),
        ([0.665, 0.245], "3 numbers", "softmax_questions/wrong-length"),
        (0.665, "3 numbers", "softmax_questions/wrong-length"),
        ([0.5, 0.3, 0.2], "is not softmax", "unnamed"),
    ],
)
def test_softmax_1000_names_the_wrong_answers(answer, hint, mistake):
    assert_fails(check.softmax_1000, answer, hint, mistake=mistake)


@pytest.mark.parametrize("answer", ["b", "B", " b ", "(b)"])
def test_predict_low_temperature_accepts_the_argmax(answer, capsys):
    assert_passes(check.predict_low_temperature, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ("a", "with a LARGE T", "predict_low_temperature/uniform"),
        ("c", "multiplies every gap", "predict_low_temperature/unchanged"),
        ("d", "keeps the order", "predict_low_temperature/order-changes"),
        ("e", "one of the letters", "softmax_questions/not-a-choice"),
        (2, "one of the letters", "softmax_questions/not-a-choice"),
        ("argmax", "one of the letters", "softmax_questions/not-a-choice"),
    ],
)
def test_predict_low_temperature_names_each_misconception(answer, hint, mistake):
    assert_fails(check.predict_low_temperature, answer, hint, mistake=mistake)


P = np.exp([2.0, 1.0, 0.1]) / np.exp([2.0, 1.0, 0.1]).sum()
ONE_SAMPLE = P - np.eye(3)[0]


@pytest.mark.parametrize("answer", [ONE_SAMPLE, [-0.341, 0.242, 0.099], list(ONE_SAMPLE.round(3))])
def test_dl_dz_one_sample_accepts_the_derived_gradient(answer, capsys):
    assert_passes(check.dl_dz_one_sample, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (-ONE_SAMPLE, "entry 0 (j = k, the true class) is not right",
         "dl_dz_one_sample/sign"),
        (P, "entries 1 and 2 (j ≠ k) are right", "dl_dz_one_sample/true-class-term-missing"),
        (P - 1, "entry 0 (j = k, the true class) is right",
         "dl_dz_one_sample/minus-one-everywhere"),
        (P + np.eye(3)[0], "the wrong sign", "dl_dz_one_sample/one-hot-added"),
        ([-1 / P[0], 0.0, 0.0], "∂ℓ/∂p", "dl_dz_one_sample/gradient-by-probabilities"),
        ([ONE_SAMPLE[0], 0.0, 0.0], "entries 1 and 2 (j ≠ k) are not both right",
         "dl_dz_one_sample/others-zero"),
        (P - np.eye(3)[1], "treats class 1 as the true one", "dl_dz_one_sample/wrong-true-class"),
        (P[0] * (np.eye(3)[0] - P), "the gradient of the probability p_k itself",
         "dl_dz_one_sample/gradient-of-p-not-loss"),
        (-P[0] * (np.eye(3)[0] - P), "the gradient of -p_k",
         "dl_dz_one_sample/gradient-of-p-not-loss"),
        ([-0.341, 0.242], "3 numbers", "softmax_questions/wrong-length"),
        ([-0.341, 0.5, 0.099], "entry 0 (j = k, the true class) is right", "unnamed"),
    ],
)
def test_dl_dz_one_sample_names_which_entries_and_the_mistake(answer, hint, mistake):
    assert_fails(check.dl_dz_one_sample, answer, hint, mistake=mistake)


@pytest.mark.parametrize("answer", [ONE_SAMPLE[0] / 4, -0.341 / 4, -0.085])
def test_dl_dz_batch_accepts_the_batch_entry(answer, capsys):
    assert_passes(check.dl_dz_batch, answer, capsys)


@pytest.mark.parametrize(
    "answer, mistake",
    [
        (ONE_SAMPLE[0], "dl_dz_batch/not-divided"),
        (4 * ONE_SAMPLE[0], "dl_dz_batch/times-n"),
        (-ONE_SAMPLE[0] / 4, "dl_dz_batch/sign"),
        (P[0] / 4, "dl_dz_batch/true-class-term-missing"),
        (ONE_SAMPLE[0] / 12, "dl_dz_batch/divided-by-nc"),
        ([ONE_SAMPLE[0] / 4] * 3, "softmax_questions/not-a-number"),
        (-0.2, "unnamed"),
    ],
)
def test_dl_dz_batch_names_the_wrong_numbers(answer, mistake):
    assert_fails(check.dl_dz_batch, answer, "DL_DZ_BATCH", mistake=mistake)


@pytest.mark.parametrize("answer", [np.log(10), 2.303, 2.3, -np.log(0.1)])
def test_predict_uniform_loss_accepts_ln_10(answer, capsys):
    assert_passes(check.predict_uniform_loss, answer, capsys)


@pytest.mark.parametrize(
    "answer, mistake",
    [
        (0.1, "predict_uniform_loss/probability-not-loss"),
        (np.log2(10), "predict_uniform_loss/bits"),
        (1, "predict_uniform_loss/log10"),
        (-np.log(10), "predict_uniform_loss/sign"),
        (10 * np.log(10), "predict_uniform_loss/every-class"),
        (1000 * np.log(10), "predict_uniform_loss/sum-not-mean"),
        (0, "predict_uniform_loss/zero"),
        (0.9, "predict_uniform_loss/error-rate"),
        (5.0, "unnamed"),
    ],
)
def test_predict_uniform_loss_names_each_misconception(answer, mistake):
    assert_fails(check.predict_uniform_loss, answer, "PREDICT_UNIFORM_LOSS", mistake=mistake)


# --- width_search: the student's experiment ----------------------------------------------------


def _train(width, X, y, epochs, rng):
    from helpers import data
    from helpers.nn import Linear, ReLU, Sequential
    from helpers.optim import Adam

    model = Sequential(Linear(X.shape[1], width, rng), ReLU(), Linear(width, int(y.max()) + 1, rng))
    loss, optimiser = ReferenceLoss(), Adam(model, lr=0.003)
    for _ in range(epochs):
        for X_batch, y_batch in data.minibatches(X, y, 128, rng):
            loss.forward(model.forward(X_batch), y_batch)
            model.backward(loss.backward())
            optimiser.step()
    return model


def _accuracy(model, X, y):
    return float(np.mean(model.forward(X).argmax(axis=1) == y))


def width_search_reference(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    return {w: _accuracy(_train(w, X_fit, y_fit, epochs, rng), X_val, y_val) for w in widths}


def _spec_search(widths, X_fit, y_fit, X_val, y_val, epochs, rng, *, lr=0.003, batch_size=128,
                 classes=None, fixed_width=None, whole_set=False, own_rng=False, reuse=False,
                 reuse_optimiser=False, layers_reversed=False, own_shuffle=False,
                 optimiser_per_step=False, weights_seed=None, shuffle_rng="rng"):
    """The specification, or it with one thing changed (a wrong version or a right one)."""
    from helpers import data
    from helpers.nn import Linear, ReLU, Sequential
    from helpers.optim import Adam

    rng = np.random.default_rng(0) if own_rng else rng
    draw = rng if weights_seed is None else weights_seed  # Linear takes a seed too
    shuffle = rng if shuffle_rng == "rng" else shuffle_rng
    n_classes = int(y_fit.max()) + 1 if classes is None else classes(y_fit)
    model = optimiser = None
    found = {}
    for width in widths:
        hidden = fixed_width or width
        if model is None or not reuse:
            if layers_reversed:  # the same network, its random draws in another order
                second = Linear(hidden, n_classes, draw)
                model = Sequential(Linear(X_fit.shape[1], hidden, draw), ReLU(), second)
            else:
                model = Sequential(Linear(X_fit.shape[1], hidden, draw), ReLU(),
                                   Linear(hidden, n_classes, draw))
        if optimiser is None or not (reuse or reuse_optimiser):
            optimiser = Adam(model, lr=lr)
        loss = ReferenceLoss()
        for _ in range(epochs):
            if whole_set:
                batches = [(X_fit, y_fit)]
            elif own_shuffle:
                order = np.arange(len(X_fit))
                rng.shuffle(order)
                batches = [(X_fit[order[i:i + batch_size]], y_fit[order[i:i + batch_size]])
                           for i in range(0, len(X_fit), batch_size)]
            else:
                batches = data.minibatches(X_fit, y_fit, batch_size, shuffle)
            for X_batch, y_batch in batches:
                if optimiser_per_step:
                    optimiser = Adam(model, lr=lr)
                loss.forward(model.forward(X_batch), y_batch)
                model.backward(loss.backward())
                optimiser.step()
        found[width] = np.mean(model.forward(X_val).argmax(axis=1) == y_val)
    return found


def _variant(**changes):
    def search(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
        return _spec_search(widths, X_fit, y_fit, X_val, y_val, epochs, rng, **changes)
    search.__name__ = "width_search"
    return search


def width_search_comprehension(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    """Another right one: a dict comprehension, the classes counted with np.unique, numpy
    scalars as values."""
    return _spec_search(widths, X_fit, y_fit, X_val, y_val, epochs, rng,
                        classes=lambda y: len(np.unique(y)))


def width_search_rounded(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    return {w: round(a, 3) for w, a in width_search_reference(widths, X_fit, y_fit, X_val,
                                                              y_val, epochs, rng).items()}


@pytest.mark.parametrize("answer", [
    width_search_reference, width_search_comprehension, width_search_rounded,
    _variant(own_shuffle=True),  # rng.shuffle of the indices, then slices
    _variant(layers_reversed=True),  # the same draws in another order: not replayed
])
def test_width_search_accepts_honest_searches(answer, capsys):
    assert_passes(check.width_search, answer, capsys)


@pytest.mark.parametrize(
    "changes, hint, mistake",
    [
        (dict(fixed_width=16), "to width 1", "width_search/width-ignored"),
        (dict(fixed_width=64), "to width 1", "width_search/width-ignored"),
        (dict(reuse=True), "after width 16", "width_search/model-reused"),
        (dict(reuse_optimiser=True), "not after width 1", "width_search/only-first-trained"),
        (dict(whole_set=True), "on the whole set", "width_search/full-batch"),
        (dict(own_rng=True), "left its `rng` argument", "width_search/rng-unused"),
        (dict(weights_seed=0), "0 epochs", "width_search/weights-not-from-rng"),
        (dict(shuffle_rng=None), "drew nothing", "width_search/shuffle-not-from-rng"),
        (dict(shuffle_rng=np.random.default_rng(3)), "drew nothing",
         "width_search/shuffle-not-from-rng"),
        (dict(optimiser_per_step=True), "a new Adam made for every mini-batch",
         "width_search/optimiser-per-step"),
        (dict(lr=0.03, batch_size=32), "Adam at 0.03 on batches of 32",
         "width_search/other-learning-rate"),
        (dict(lr=0.01), "Adam at 0.01 on batches of 128", "width_search/other-learning-rate"),
        (dict(batch_size=32), "Adam at 0.003 on batches of 32", "width_search/other-batch-size"),
        (dict(batch_size=64), "Adam at 0.003 on batches of 64", "width_search/other-batch-size"),
        (dict(classes=lambda y: int(y.max())), "no output of its own", "width_search/class-count"),
    ],
)
def test_width_search_names_a_search_that_departs_from_the_specification(changes, hint, mistake):
    assert_fails(check.width_search, _variant(**changes), hint, mistake=mistake)


def test_width_search_names_a_whole_set_search_whose_draws_differ():
    """Full batch with the rng's draws in another order is not replayed: the budget trial
    where 2 epochs of mini-batches clear 0.95 and 2 whole-set steps do not catches it."""
    assert_fails(check.width_search, _variant(whole_set=True, layers_reversed=True),
                 "far below", mistake="width_search/full-batch")


def on_training_data(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    return {w: _accuracy(_train(w, X_fit, y_fit, epochs, rng), X_fit, y_fit) for w in widths}


def trained_on_validation(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    return {w: _accuracy(_train(w, X_val, y_val, epochs, rng), X_val, y_val) for w in widths}


def trained_on_both(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    X, y = np.concatenate([X_fit, X_val]), np.concatenate([y_fit, y_val])
    return {w: _accuracy(_train(w, X, y, epochs, rng), X_val, y_val) for w in widths}


def roles_swapped(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    """Trains on the validation set and measures on the training set."""
    return {w: _accuracy(_train(w, X_val, y_val, epochs, rng), X_fit, y_fit) for w in widths}


def trained_on_validation_rounded(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    return {w: round(a, 2) for w, a in trained_on_validation(widths, X_fit, y_fit, X_val, y_val,
                                                             epochs, rng).items()}


def untrained(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    return {w: _accuracy(_train(w, X_fit, y_fit, 0, rng), X_val, y_val) for w in widths}


def in_percent(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    return {w: 100 * a for w, a in width_search_reference(widths, X_fit, y_fit, X_val, y_val,
                                                          epochs, rng).items()}


def as_list(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    return list(width_search_reference(widths, X_fit, y_fit, X_val, y_val, epochs, rng).values())


def keys_by_position(widths, X_fit, y_fit, X_val, y_val, epochs, rng):
    found = width_search_reference(widths, X_fit, y_fit, X_val, y_val, epochs, rng)
    return dict(enumerate(found.values()))


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (on_training_data, "out of the training set's",
         "width_search/measured-on-training-data"),
        (trained_on_validation, "learned from it",
         "width_search/trained-on-validation"),
        (trained_on_both, "learned from it", "width_search/trained-on-validation"),
        (roles_swapped, "out of the training set's", "width_search/measured-on-training-data"),
        (trained_on_validation_rounded, "one set is used where the other belongs",
         "width_search/sets-mixed-up"),
        (untrained, "did not learn", "width_search/not-trained"),
        (in_percent, "fractions between 0 and 1", "width_search/not-a-fraction"),
        (as_list, "expected a dict", "width_search/not-a-dict"),
        (keys_by_position, "expected the widths", "width_search/wrong-keys"),
    ],
)
def test_width_search_names_the_dishonest_and_broken_searches(answer, hint, mistake):
    assert_fails(check.width_search, answer, hint, mistake=mistake)


# --- no message and no tier below the last completes its exercise -----------------------------


def _solution_lines(exercise):
    """The lines of the exercise's solution region, squashed, that are more than a name."""
    import json
    import re
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[1] / "solutions" /
                     "06_softmax_cross_entropy.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == exercise:
            source = "".join(cell["source"])
            regions = re.findall(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION", source, re.S)
            lines = [re.sub(r"\s+", "", line.split("#")[0]) for r in regions for line in
                     r.split("\n")]
            return [line for line in lines if len(line) > 12]
    raise AssertionError(exercise)


EXERCISES_06 = ["entropy", "cross_entropy", "kl_divergence", "binary_cross_entropy", "dl_dz_bce",
                "one_hot", "softmax_1000", "softmax", "predict_low_temperature",
                "dl_dz_one_sample", "dl_dz_batch", "softmax_cross_entropy",
                "predict_uniform_loss", "predict", "width_search"]


@pytest.mark.parametrize("exercise", EXERCISES_06)
def test_no_hint_tier_below_the_last_and_no_message_holds_a_solution_line(exercise):
    import inspect
    import re

    from helpers.check import _hints
    from helpers.check import softmax as checks

    lines = _solution_lines(exercise)
    assert lines, "the scan found no solution line: has the notebook changed?"
    below_last = [re.sub(r"\s+", "", tier) for tier in _hints.HINTS[exercise][:-1]]
    messages = re.sub(r"\s+", "", inspect.getsource(checks))
    for line in lines:
        assert not any(line in tier for tier in below_last), (exercise, line)
        assert line not in messages, (exercise, line)
    assert any(line in re.sub(r"\s+", "", _hints.HINTS[exercise][-1]) for line in lines) or \
        exercise.upper() in _hints.HINTS[exercise][-1] or "return" in _hints.HINTS[exercise][-1]


# --- the warning policy (issue 23): a right value that warns passes with a note, except where
# --- the specification forbids warnings (softmax and the cross-entropy layer at ±1000)


@pytest.mark.parametrize(
    "check_name, answer",
    [
        ("entropy", lambda p: -np.nansum(p * np.log2(p))),
        ("entropy", lambda p: -np.sum(np.where(p > 0, p * np.log2(p), 0.0))),
        ("cross_entropy", lambda p, q: -np.nansum(p * np.log2(q))),
        ("kl_divergence", lambda p, q: np.nansum(p * np.log2(p / q))),
    ],
)
def test_a_right_information_value_that_warns_passes_with_a_note(check_name, answer, capsys):
    assert_passes(getattr(check, check_name), answer, capsys, warned="encountered")


class OverflowingProbabilities(SoftmaxCrossEntropyLogSumExp):
    """The right loss, through log-sum-exp; the probabilities for backward without the shift:
    e^1000 overflows (a warning the specification forbids)."""

    def forward(self, logits, y):
        loss = super().forward(logits, y)
        e = np.exp(logits)
        self.p = e / e.sum(axis=1, keepdims=True)
        return loss


def test_the_cross_entropy_layer_at_1000_still_forbids_warnings():
    assert_fails(check.softmax_cross_entropy, OverflowingProbabilities, "raised a warning",
                 "np.exp(1000) overflows", mistake="softmax/overflow-no-max-shift")


# --- more of what real students write ---------------------------------------------------------


class RowsByLabel(SoftmaxCrossEntropyLogSumExp):
    def forward(self, logits, y):
        super().forward(logits, y)
        return -np.log(self.p[y]).mean()


class ShiftsTheCallersLogits(SoftmaxCrossEntropyLogSumExp):
    def forward(self, logits, y):
        logits -= logits.max(axis=1, keepdims=True)
        return super().forward(logits, y)


def softmax_in_place(z):
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize(
    "check_name, answer, hint, mistake",
    [
        ("softmax_cross_entropy", RowsByLabel, "picks whole rows",
         "softmax_cross_entropy/rows-by-label"),
        ("softmax_cross_entropy", ShiftsTheCallersLogits, "changed its input",
         "general/input-changed-in-place"),
        ("softmax", softmax_in_place, "changed its input", "general/input-changed-in-place"),
    ],
)
def test_more_real_mistakes_are_named(check_name, answer, hint, mistake):
    assert_fails(getattr(check, check_name), answer, hint, mistake=mistake)


# --- the softmax's derivative, two entries by hand (review 06, item 7) --------------------------

S = np.exp([2.0, 1.0, 0.1]) / np.exp([2.0, 1.0, 0.1]).sum()
DS0 = np.array([S[0] * (1 - S[0]), -S[0] * S[1]])


@pytest.mark.parametrize("answer", [DS0, [0.225, -0.160], list(DS0.round(3)),
                                    np.array([S[0] - S[0] ** 2, -S[0] * S[1]])])
def test_softmax_derivative_accepts_the_quotient_rule(answer, capsys):
    assert_passes(check.softmax_derivative, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ([DS0[0], -DS0[1]], "∂s_0/∂z_1 is not right", "softmax_derivative/off-diagonal-sign"),
        ([DS0[0], 0.0], "it is in the denominator", "softmax_derivative/others-zero"),
        ([S[0], 0.0], "only the numerator", "softmax_derivative/numerator-only"),
        ([S[0], DS0[1]], "is s_0 itself", "softmax_derivative/own-denominator"),
        ([round(S[0], 3), round(DS0[1], 3)], "in the denominator Σ_j e^(z_j) too",
         "softmax_derivative/own-denominator"),
        ([S[0], -DS0[1]], "∂s_0/∂z_1 is not right", "softmax_derivative/own-denominator"),
        ([DS0[1], DS0[0]], "in the wrong order", "softmax_derivative/swapped"),
        ([1 - S[0], -S[1]], "derivatives of ln s_0", "softmax_derivative/log-not-s"),
        ([S[0] - 1, S[1]], "not of the probability", "softmax_derivative/loss-gradient"),
        ([0.225, -0.160, 0.0], "2 numbers", "softmax_questions/wrong-length"),
        ([0.225, 0.5], "∂s_0/∂z_0 is right; ∂s_0/∂z_1 is not right", "unnamed"),
    ],
)
def test_softmax_derivative_names_which_entry_and_the_mistake(answer, hint, mistake):
    assert_fails(check.softmax_derivative, answer, hint, mistake=mistake)


def test_predict_low_temperature_tier_2_gives_the_relation_not_the_outcome():
    """Tier 2 names the ratio of two probabilities; the numbers that decide the choice (the
    leader's e^100) and the choice itself wait for the last tier."""
    from helpers.check import _hints
    from helpers.check import softmax as _checks  # noqa: F401  (registers the hints)

    tiers = _hints.HINTS["predict_low_temperature"]
    assert "e^((z_i - z_j) / T)" in tiers[1]
    for below_last in tiers[:-1]:
        assert "e^100" not in below_last and "argmax" not in below_last
        assert "all its probability" not in below_last
    assert "e^100" in tiers[-1] and '"b"' in tiers[-1]

