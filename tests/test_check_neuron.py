"""Notebook 01 checks: the reference and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import numpy as np
import pytest
from checking import assert_fails, assert_passes

from helpers import check

# --- affine ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        lambda x, w, b: x @ w + b,
        lambda x, w, b: np.dot(x, w) + b,
        lambda x, w, b: (x * w).sum(axis=-1) + b,
        lambda x, w, b: np.einsum("...d,d->...", x, w) + b,
    ],
)
def test_affine_accepts_correct_formulas(answer, capsys):
    assert_passes(check.affine, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda x, w, b: x @ w, "bias is missing", "affine/bias-missing"),
        (lambda x, w, b: x @ w - b, "don't subtract", "affine/bias-subtracted"),
        (lambda x, w, b: x * w + b, "`x * w` multiplies element by element",
         "affine/elementwise-for-matmul"),
        (lambda x, w, b: np.sum(x @ w + b), "summed over the batch", "affine/summed-over-batch"),
        (lambda x, w, b: w @ x + b, "inner sizes must match", "error/matmul-shapes"),
        (lambda x, w, b: None, "forget the `return`", "general/returned-none"),
    ],
)
def test_affine_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.affine, answer, hint, mistake=mistake)


# --- activations ---------------------------------------------------------------------------


def test_step_accepts_correct_formulas():
    assert_passes(check.step, lambda z: (np.asarray(z) >= 0).astype(float))
    assert_passes(check.step, lambda z: np.where(z >= 0, 1, 0))
    assert_passes(check.step, lambda z: np.heaviside(z, 1.0))


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (np.sign, "np.sign gives -1", "step/np-sign"),
        (lambda z: (z > 0).astype(float), "step(0) should be 1", "step/strict-comparison"),
        (lambda z: (z < 0).astype(float), "upside down", "step/upside-down"),
        (lambda z: 1 if z >= 0 else 0, "decide for one number", "error/array-truth-value"),
    ],
)
def test_step_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.step, answer, hint, mistake=mistake)


def _stable_sigmoid_masks(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    out[~pos] = np.exp(z[~pos]) / (1 + np.exp(z[~pos]))
    return out


def _sigmoid_where_errstate(z):
    # np.where computes both branches: the unused one overflows, so silence it knowingly
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def _sigmoid_abs(z):
    e = np.exp(-np.abs(z))  # never exp of a large positive number
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


@pytest.mark.parametrize(
    "answer",
    [
        lambda z: 0.5 * (1 + np.tanh(z / 2)),
        lambda z: np.exp(-np.logaddexp(0, -z)),
        _stable_sigmoid_masks,
        _sigmoid_where_errstate,
        _sigmoid_abs,
    ],
)
def test_sigmoid_accepts_stable_formulas(answer, capsys):
    assert_passes(check.sigmoid, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda z: 1 / (1 + np.exp(z)), "check the sign inside np.exp", "sigmoid/sign-inside-exp"),
        (lambda z: 1 / 1 + np.exp(-z), "parenthesise the denominator",
         "sigmoid/denominator-not-parenthesised"),
        (lambda z: 1 / (1 + np.exp(-z)), "overflows for z = -1000", "sigmoid/overflow"),
        (lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))),
         "np.where(cond, a, b) computes both a and b", "sigmoid/np-where-both-branches"),
        (lambda z: np.exp(z) / (1 + np.exp(z)), "overflows", "sigmoid/overflow"),
        (np.tanh, "that is tanh", "sigmoid/tanh-instead"),
        (lambda z: 1 / (1 + np.exp(-z)) - 0.5, "sigmoid(0) is 0.5", "sigmoid/shifted-by-half"),
    ],
)
def test_sigmoid_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.sigmoid, answer, hint, mistake=mistake)


def test_tanh_accepts_correct_formulas():
    assert_passes(check.tanh, np.tanh)
    assert_passes(check.tanh, lambda z: 2 * (0.5 * (1 + np.tanh(z))) - 1)
    assert_passes(check.tanh, lambda z: 2 * np.exp(-np.logaddexp(0, -2 * z)) - 1)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), "overflows",
         "tanh/overflow"),
        (lambda z: -np.tanh(z), "sign is flipped", "tanh/sign-flipped"),
        (lambda z: 2 / (1 + np.exp(-np.clip(z, -500, 500))) - 1, "tanh(z / 2)",
         "tanh/half-argument"),
        (lambda z: 0.5 * (1 + np.tanh(z / 2)), "that is the sigmoid", "tanh/sigmoid-instead"),
    ],
)
def test_tanh_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.tanh, answer, hint, mistake=mistake)


def _relu_in_place(z):
    z[z < 0] = 0
    return z


def test_relu_accepts_correct_formulas():
    assert_passes(check.relu, lambda z: np.maximum(z, 0))
    assert_passes(check.relu, lambda z: z * (z > 0))
    assert_passes(check.relu, lambda z: np.where(z > 0, z, 0.0))


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda z: np.clip(z, 0, 1), "no upper limit", "relu/clipped-at-1"),
        (_relu_in_place, "changed its input", "general/input-changed-in-place"),
        (np.abs, "that was abs(z)", "relu/abs"),
        (lambda z: np.minimum(z, 0), "positive part", "relu/negative-part"),
        (lambda z: max(0, z), "decide for one number", "error/array-truth-value"),
    ],
)
def test_relu_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.relu, answer, hint, mistake=mistake)


def test_leaky_relu_accepts_correct_formulas():
    assert_passes(check.leaky_relu, lambda z, alpha=0.01: np.where(z > 0, z, alpha * z))
    assert_passes(check.leaky_relu, lambda z, alpha=0.01: np.maximum(z, alpha * z))


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda z, alpha=0.01: np.where(z > 0, z, 0.01 * z), "use the `alpha` argument",
         "leaky_relu/fixed-alpha"),
        (lambda z, alpha=0.01: np.maximum(z, 0), "not 0", "leaky_relu/relu-below-zero"),
        (lambda z, alpha=0.01: alpha * z, "only negative inputs", "leaky_relu/everything-scaled"),
        (lambda z, alpha=0.01: np.where(z > 0, alpha * z, z), "negative side",
         "leaky_relu/wrong-side-scaled"),
    ],
)
def test_leaky_relu_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.leaky_relu, answer, hint, mistake=mistake)


# --- neuron and accuracy ---------------------------------------------------------------------


def test_neuron_accepts_correct_formulas():
    assert_passes(check.neuron, lambda x, w, b, activation: activation(x @ w + b))
    assert_passes(check.neuron, lambda x, w, b, activation: activation(np.dot(x, w) + b))


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda x, w, b, activation: x @ w + b, "activation is missing",
         "neuron/activation-missing"),
        (lambda x, w, b, activation: activation(x) @ w + b, "after the affine map",
         "neuron/activation-on-input"),
        (lambda x, w, b, activation: activation(x @ w) + b, "before the activation",
         "neuron/bias-after-activation"),
        (lambda x, w, b, activation: activation(x @ w), "bias is missing", "neuron/bias-missing"),
    ],
)
def test_neuron_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.neuron, answer, hint, mistake=mistake)


def test_accuracy_accepts_correct_formulas():
    assert_passes(check.accuracy, lambda p, t: np.mean(np.ravel(p) == np.ravel(t)))
    assert_passes(check.accuracy, lambda p, t: np.sum(np.ravel(p) == np.ravel(t)) / np.size(t))


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda p, t: np.mean(p == t), "broadcast to an (N, N) table", "accuracy/n-n-broadcast"),
        (lambda p, t: np.sum(np.ravel(p) == np.ravel(t)), "divide the number of right",
         "accuracy/count-not-fraction"),
        (lambda p, t: 100 * np.mean(np.ravel(p) == np.ravel(t)), "not a percentage",
         "accuracy/percentage"),
        (lambda p, t: np.mean(np.ravel(p) != np.ravel(t)), "error rate", "accuracy/error-rate"),
    ],
)
def test_accuracy_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.accuracy, answer, hint, mistake=mistake)


# --- perceptron -------------------------------------------------------------------------------


def make_perceptron(update_bias=True, sign=1.0, use_lr=True, count="mistakes", seeded=True):
    def perceptron(X, y, lr=1.0, epochs=20, rng=None):
        step_size = lr if use_lr else 1.0
        w, b = np.zeros(X.shape[1]), 0.0
        shuffle = rng if seeded else np.random.default_rng()
        history = []
        for _ in range(epochs):
            mistakes = 0
            order = shuffle.permutation(len(X)) if shuffle is not None else range(len(X))
            for i in order:
                error = y[i] - float(X[i] @ w + b >= 0)
                if error:
                    w = w + sign * step_size * error * X[i]
                    if update_bias:
                        b = b + sign * step_size * error
                    mistakes += 1
            history.append(mistakes if count == "mistakes" else len(X) - mistakes)
            if count == "mistakes" and mistakes == 0:
                break
        return w, b, history

    return perceptron


def test_perceptron_accepts_reference_and_variants():
    assert_passes(check.perceptron, make_perceptron())

    def without_early_stop(X, y, lr=1.0, epochs=20, rng=None):
        w, b, history = np.zeros(X.shape[1]), 0.0, []
        for _ in range(epochs):
            mistakes = 0
            for i in range(len(X)):  # no shuffling: also a perceptron
                prediction = 1 if X[i] @ w + b > 0 else 0  # step(0) = 0 works as well
                if prediction != y[i]:
                    w += lr * (y[i] - prediction) * X[i]
                    b += lr * (y[i] - prediction)
                    mistakes += 1
            history.append(mistakes)
        return w, b, np.array(history)

    assert_passes(check.perceptron, without_early_stop)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (make_perceptron(update_bias=False), "the bias needs its update too",
         "perceptron/bias-not-updated"),
        (make_perceptron(sign=-1.0), "Check the sign", "perceptron/does-not-converge"),
        (make_perceptron(use_lr=False), "use the `lr` argument", "perceptron/lr-ignored"),
        (make_perceptron(count="correct"), "not the ones it gets right",
         "perceptron/counts-right-not-wrong"),
        (make_perceptron(seeded=False), "same rng seed", "perceptron/rng-ignored"),
        (lambda X, y, lr=1.0, epochs=20, rng=None: (np.zeros(2), 0.0), "expected a tuple",
         "perceptron/not-a-triple"),
    ],
)
def test_perceptron_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.perceptron, answer, hint, mistake=mistake)


def test_perceptron_rejects_changing_the_data():
    inner = make_perceptron()

    def perceptron(X, y, lr=1.0, epochs=20, rng=None):
        X -= X.mean(axis=0)  # centres the caller's data in place
        return inner(X, y, lr, epochs, rng)

    assert_fails(check.perceptron, perceptron, "changed its input (argument 1) in place")


# --- xor_network -----------------------------------------------------------------------------


def test_xor_network_accepts_solutions():
    ones = np.ones((2, 2))
    or_and = (ones, np.array([-0.5, -1.5]), np.array([1.0, -1.0]), -0.5)
    assert_passes(check.xor_network, lambda: or_and)
    # NAND and OR hidden units, AND at the output: another correct network
    W1 = np.array([[-1.0, 1.0], [-1.0, 1.0]])
    nand_or = (W1, np.array([1.5, -0.5]), np.array([1.0, 1.0]), -1.5)
    assert_passes(check.xor_network, lambda: nand_or)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda: (np.ones((2, 2)), np.array([-0.5, -1.5]), np.ones(2), -0.5), "computes OR",
         "xor_network/computes-other-gate"),
        (lambda: (np.ones((2, 2)), np.array([-0.5, -1.5]), np.array([-1.0, 1.0]), 0.5), "XNOR",
         "xor_network/xnor"),
        (lambda: (np.ones(2), np.zeros(2), np.ones(2), 0.0), "expected shape (2, 2)",
         "shape/axis-missing"),
        (lambda: [np.ones((2, 2)), np.zeros(2), np.ones(2), 0.0], "expected a tuple",
         "xor_network/not-a-4-tuple"),
        (lambda: (np.ones((2, 2)), np.array([-0.5, -1.5]), np.array([1.0, -1.0]),
                  np.array([-0.5])), "Return the number itself", "shape/number-expected"),
        # hidden neuron j's weights in row j: NAND = (-1, -1), OR = (1, 1)
        (lambda: (np.array([[-1.0, -1.0], [1.0, 1.0]]), np.array([1.5, -0.5]),
                  np.array([1.0, 1.0]), -1.5), "your W1 is transposed",
                   "xor_network/w1-transposed"),
    ],
)
def test_xor_network_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.xor_network, answer, hint, mistake=mistake)


# --- the contract itself ----------------------------------------------------------------------


def test_not_written_yet_names_the_line_to_replace():
    def sigmoid(z):
        raise NotImplementedError("exercise: sigmoid")

    stub_line = 'NotImplementedError("exercise: sigmoid")'
    failure = assert_fails(check.sigmoid, sigmoid, "not written yet", stub_line)
    assert failure._render_traceback_()[0] == "✗ sigmoid: not written yet."


def test_student_exception_shows_type_message_and_line():
    def relu(z):
        return np.maximum(z, undefined_name)  # noqa: F821

    line = "Your line: `return np.maximum(z, undefined_name)"
    failure = assert_fails(check.relu, relu, "NameError", "undefined_name", line)
    assert isinstance(failure.__cause__, NameError)


def test_passing_a_call_instead_of_the_function_is_explained():
    assert_fails(check.sigmoid, 0.5, "expected a function", "check.sigmoid(sigmoid)")


def test_check_failed_is_an_assertion_error_rendered_without_traceback():
    failure = assert_fails(check.step, np.sign)
    assert isinstance(failure, AssertionError)
    lines = failure._render_traceback_()
    assert lines[0].startswith("✗ step: ") and any(row.startswith("  Hint: ") for row in lines)


def test_checks_do_not_touch_global_random_state():
    state = np.random.get_state()[1].copy()  # noqa: NPY002 - the legacy global state is the point
    check.perceptron(make_perceptron())
    assert np.array_equal(np.random.get_state()[1], state)  # noqa: NPY002


def test_long_verdicts_wrap_between_words_and_keep_the_code_line_whole():
    from helpers.check._core import CheckFailed

    line = "  Your line: `return 1 / (1 + np.exp(-z)) + some_rather_long_name * another_long_name`"
    failure = CheckFailed("sigmoid", "sigmoid(z) raised ValueError: " + "word " * 30 + "\n" + line,
                          "np.exp(-z) overflows for z = -1000; " + "hint " * 30)
    shown = failure._render_traceback_()
    assert all(len(row) <= 88 for row in shown if not row.startswith("  Your line"))
    assert line in shown and shown[0].startswith("✗ sigmoid: ")
    assert any(row.startswith("  Hint: np.exp(-z)") for row in shown)
    assert " ".join(r.strip() for r in shown if "Your line" not in r).count("word") == 30
