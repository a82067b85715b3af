"""Notebook 06 checks: the reference and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import numpy as np
import pytest
from checking import assert_fails, assert_passes

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
        (lambda p: -np.sum(p[p > 0] * np.log(p[p > 0])), "bits: use np.log2",
         "information/natural-log-not-bits"),
        (entropy_naive, "0 · log 0 counts as 0", "information/log-of-zero"),
        (entropy_silenced, "0 · log 0 counts as 0", "information/log-of-zero"),
        (lambda p: np.sum(p[p > 0] * np.log2(p[p > 0])), "minus sign", "entropy/sign-flipped"),
        (lambda p: -np.mean(p[p > 0] * np.log2(p[p > 0])), "don't average", "entropy/mean-not-sum"),
        (lambda p: -p[p > 0] * np.log2(p[p > 0]), "add the terms up into one number",
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
    assert_passes(check.cross_entropy, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda p, q: cross_entropy_masked(q, p), "arguments are swapped",
         "cross_entropy/arguments-swapped"),
        (lambda p, q: -np.sum(p[p > 0] * np.log(q[p > 0])), "bits: use np.log2",
         "information/natural-log-not-bits"),
        (lambda p, q: np.sum(p[p > 0] * np.log2(q[p > 0])), "check the sign",
         "cross_entropy/sign-flipped"),
        (lambda p, q: -np.sum(p * np.log2(q)), "0 · log 0 counts as 0", "information/log-of-zero"),
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
        (lambda p, q: kl_masked(p, q) * np.log(2), "bits: use np.log2",
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
        (bce_naive, "clip the probabilities", "binary_cross_entropy/log-of-zero"),
        (bce_silenced, "clip the probabilities", "binary_cross_entropy/log-of-zero"),
        (lambda p, y: -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)), "mean over the samples",
         "binary_cross_entropy/sum-not-mean"),
        (lambda p, y: -np.mean(y * np.log2(p) + (1 - y) * np.log2(1 - p)), "natural log",
         "binary_cross_entropy/log2"),
        (lambda p, y: np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)), "check the sign",
         "binary_cross_entropy/sign-flipped"),
        (lambda p, y: bce_clipped(1 - p, y), "y = 1 goes with log p",
         "binary_cross_entropy/classes-swapped"),
        (lambda p, y: bce_clipped(np.clip(p, 0.01, 0.99), y), "tiny margin",
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
        (lambda p, y: bce_clipped(p, np.ravel(y)), "in float32 1 − 1e-12 == 1.0",
         "binary_cross_entropy/float32-clip"),
        (lambda p, y: -np.mean(np.ravel(y) * np.log(np.clip(p, 1e-9, 1 - 1e-9))
                               + (1 - np.ravel(y)) * np.log(1 - np.clip(p, 1e-9, 1 - 1e-9))),
         "in float32 1 − 1e-12 == 1.0", "binary_cross_entropy/float32-clip"),
        # y of shape (N, 1) against p of shape (N,): an (N, N) table, finite and wrong
        (lambda p, y: bce_clipped(np.asarray(p, dtype=float), y), "reshape y to p's shape",
         "binary_cross_entropy/n-n-broadcast"),
        (lambda p, y: -np.mean(np.log(np.clip(np.where(y == 1, p, 1 - p), 1e-15, 1))),
         "broadcast to an (N, N) table", "binary_cross_entropy/n-n-broadcast"),
        (bce_naive, "in float64: `p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)`",
         "binary_cross_entropy/log-of-zero"),
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


@pytest.mark.parametrize(
    "answer",
    [
        softmax_reference,
        lambda z: np.exp(log_softmax(z)),
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


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (softmax_no_max, "np.exp(1000) overflows", "softmax/overflow-no-max-shift"),
        (softmax_global_max, "not the maximum of the whole array", "softmax/global-max-shift"),
        (softmax_no_keepdims, "keepdims", "softmax/no-keepdims"),
        (softmax_no_keepdims_transposed, "line up with the columns", "softmax/no-keepdims"),
        (softmax_axis0, "sum over axis=-1, not axis 0", "softmax/sum-over-axis-0"),
        (softmax_row_max_axis0_sum, "sum over axis=-1, not axis 0", "softmax/sum-over-axis-0"),
        (softmax_axis1, "a 1-D array has only axis 0", "softmax/axis-1-on-1d"),
        (softmax_max_no_keepdims, "subtract each row's own maximum",
         "softmax/max-shift-no-keepdims"),
        (np.exp, "divide by the sum", "softmax/not-normalised"),
        (lambda z: np.exp(np.clip(z, -500, 500)) / np.exp(np.clip(z, -500, 500)).sum(
            axis=-1, keepdims=True), "Subtract each row's maximum",
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
    "answer", [ReferenceLoss, SoftmaxCrossEntropyLogSumExp, SoftmaxCrossEntropyOneHot]
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
        (NoMeanForward, "divide the sum by N", "softmax_cross_entropy/sum-not-mean"),
        (NoMeanBackward, "divide by N", "softmax_cross_entropy/dlogits-not-divided"),
        (NaiveLog, "log-sum-exp", "softmax_cross_entropy/log-of-underflowed-softmax"),
        (NoMaxSubtraction, "Subtract each row's maximum", "softmax/overflow-no-max-shift"),
        (EpsilonLog, "log-sum-exp", "softmax_cross_entropy/log-of-underflowed-softmax"),
        (GradientOfTheTrueClassOnly, "has shape (N, C)", "softmax_cross_entropy/dlogits-shape"),
        (TransposedGradient, "has shape (N, C)", "softmax_cross_entropy/dlogits-shape"),
        (EveryClassLoss, "only for each sample's true class", "softmax_cross_entropy/all-classes"),
        (ProbabilitiesAsGradient, "subtract the one-hot targets",
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
        (lambda model, X: model.forward(X).argmax(axis=0), "not over the batch",
         "predict/argmax-axis-0"),
        (lambda model, X: model.forward(X), "return class labels", "predict/scores-not-labels"),
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

    assert_fails(check.predict, argmax_axis0_when_square, "not over the batch")
