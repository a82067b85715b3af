"""Notebook 01 checks: the reference and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import numpy as np
import pytest
from checking import assert_fails, assert_passes

from helpers import check
from helpers.check.neuron import _separable_data

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
        (lambda z: (z > 0).astype(float), "leaves out z = 0", "step/strict-comparison"),
        (lambda z: (z < 0).astype(float), "upside down", "step/upside-down"),
        (lambda z: 1 if z >= 0 else 0, "decide for one number", "error/array-truth-value"),
        (lambda z: (z >= 0).astype(float), "not on a plain Python number", "step/python-number"),
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
        (lambda z: 1 / 1 + np.exp(-z), "the 1 alone is the denominator",
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
        (lambda z: (np.exp(2 * z) - 1) / (np.exp(2 * z) + 1), "overflows", "tanh/overflow"),
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
        (lambda z: np.minimum(z, 0), "keeps the negative part", "relu/negative-part"),
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
        (lambda z, alpha=0.01: np.where(z >= 0, z, alpha), "alpha itself",
         "leaky_relu/constant-below-zero"),
        (lambda z, alpha=0.01: np.where(z > 0, z, alpha), "alpha itself",
         "leaky_relu/constant-below-zero"),
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

    def with_shuffle_and_other_step(X, y, lr=1.0, epochs=20, rng=None):
        w, b, history = np.zeros(X.shape[1]), 0.0, []
        for _ in range(epochs):
            order = np.arange(len(X))
            if rng is not None:
                rng.shuffle(order)  # the same draw as rng.permutation
            mistakes = 0
            for i in order:
                prediction = 1 if X[i] @ w + b > 0 else 0  # step(0) = 0 works as well
                if prediction != y[i]:
                    w += lr * (y[i] - prediction) * X[i]
                    b += lr * (y[i] - prediction)
                    mistakes += 1
            history.append(mistakes)
            if not mistakes:
                break
        return w, b, np.array(history)

    def shuffled_together(X, y, lr=1.0, epochs=20, rng=None):
        w, b, history = np.zeros(X.shape[1]), 0.0, []
        for _ in range(epochs):
            order = rng.choice(len(X), size=len(X), replace=False)  # each once: fine
            Xs, ys = X[order], y[order]
            errors = 0
            for x_i, y_i in zip(Xs, ys, strict=True):
                delta = y_i - (x_i @ w + b >= 0)
                w, b = w + lr * delta * x_i, b + lr * delta
                errors += int(delta != 0)
            history.append(errors)
            if errors == 0:
                break
        return w, b, history

    assert_passes(check.perceptron, with_shuffle_and_other_step)
    assert_passes(check.perceptron, shuffled_together)


def _perceptron_variant(kind):
    """The reference perceptron with one of the mistakes students make (issue 23)."""

    def perceptron(X, y, lr=1.0, epochs=20, rng=None):
        w, b, history = np.zeros(X.shape[1]), 0.0, []
        previous = 0
        for _ in range(epochs):
            if kind == "late":
                history.append(previous)  # records the epoch before
            N = len(X)
            if kind == "replacement":
                order = rng.integers(0, N, size=N)
            elif kind == "choice":
                order = rng.choice(N, size=N)
            elif kind in ("unshuffled", "separately"):
                order = range(N)
            else:
                order = rng.permutation(N)
            Xs, ys = X, y
            if kind == "separately":
                Xs, ys = X[rng.permutation(N)], y[rng.permutation(N)]
            mistakes = 0
            if kind == "batch":
                errors = y - (X @ w + b >= 0)
                w, b = w + lr * errors @ X, b + lr * errors.sum()
                mistakes = int(np.count_nonzero(errors))
            else:
                for i in order:
                    error = ys[i] - float(Xs[i] @ w + b >= 0)
                    if error:
                        w, b = w + lr * error * Xs[i], b + lr * error
                        mistakes += 1
            previous = mistakes
            if kind == "unrecorded" and mistakes == 0:
                break
            if kind != "late":
                history.append(mistakes)
            if mistakes == 0 and kind != "no-stop":
                break
        return w, b, history

    return perceptron


@pytest.mark.parametrize(
    "kind, hint, mistake",
    [
        ("no-stop", "stop after the first epoch without mistakes", "perceptron/no-early-stop"),
        ("replacement", "samples with replacement", "perceptron/order-with-replacement"),
        ("choice", "samples with replacement", "perceptron/order-with-replacement"),
        ("batch", "a batch update", "perceptron/batch-update"),
        ("unrecorded", "is missing from mistakes_per_epoch",
         "perceptron/last-epoch-not-recorded"),
        ("late", "count of the epoch before it", "perceptron/count-one-epoch-late"),
        ("separately", "two separate draws", "perceptron/shuffled-separately"),
        ("unshuffled", "a new random order drawn from rng", "perceptron/rng-unused"),
    ],
)
def test_perceptron_rejects_the_issue_23_mistakes(kind, hint, mistake):
    assert_fails(check.perceptron, _perceptron_variant(kind), hint, mistake=mistake)


def _perceptron_one_order(X, y, lr=1.0, epochs=20, rng=None):
    """Draws one order before the epochs and reuses it: the text asks for a new one each."""
    w, b, history = np.zeros(X.shape[1]), 0.0, []
    order = rng.permutation(len(X))
    for _ in range(epochs):
        mistakes = 0
        for i in order:
            error = y[i] - float(X[i] @ w + b >= 0)
            if error:
                w, b, mistakes = w + lr * error * X[i], b + lr * error, mistakes + 1
        history.append(mistakes)
        if mistakes == 0:
            break
    return w, b, history


def test_perceptron_rejects_one_order_reused_every_epoch():
    assert_fails(check.perceptron, _perceptron_one_order, "reuses it",
                 mistake="perceptron/order-drawn-once")


def test_without_early_stop_the_notebook_would_say_converged_after_100_epochs():
    # what cell "watch it learn" printed for such a perceptron before issue 23
    X, y = _separable_data(np.random.default_rng(0))
    _, _, history = _perceptron_variant("no-stop")(X, y, epochs=100, rng=np.random.default_rng(0))
    assert len(history) == 100 and 0 in history[:-1]


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
        # two hidden neurons drawing the same line: (0, 1) and (1, 1) look alike to the output
        (lambda: (np.ones((2, 2)), np.array([-0.5, -0.5]), np.array([1.0, -1.0]), -0.5),
         "gives (0, 1) and (1, 1) the same pair h = (1, 1)", "xor_network/hidden-merges-corners"),
        # step(0) read as 0: the bias 0 makes hidden neuron 1 fire everywhere
        (lambda: (np.ones((2, 2)), np.array([0.0, -1.0]), np.array([1.0, -1.0]), -0.5),
         "Hidden neuron 1 fires at all four corners", "xor_network/hidden-merges-corners"),
        # hidden neurons that copy the inputs: the output faces XOR again
        (lambda: (np.eye(2), np.array([-0.5, -0.5]), np.array([1.0, 1.0]), -0.5),
         "faces XOR again", "xor_network/hidden-still-xor"),
        # a good hidden layer, an output that fires everywhere
        (lambda: (np.ones((2, 2)), np.array([-0.5, -1.5]), np.array([1.0, -1.0]), 0.5),
         "the output neuron is at fault: h = (0, 0) at (0, 0) gives 1, XOR 0",
         "xor_network/wrong-truth-table"),
    ],
)
def test_xor_network_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.xor_network, answer, hint, mistake=mistake)


def test_xor_network_names_the_corners_and_the_hidden_neurons_not_the_design():
    """A blind student: the first wrong answer's message restated the OR/AND plan."""
    failure = assert_fails(
        check.xor_network,
        lambda: (np.ones((2, 2)), np.array([0.0, -1.0]), np.array([1.0, -1.0]), -0.5),
        "(0, 0), (0, 1) and (1, 0) are wrong",
        "hidden neuron 2 fires at (0, 1), (1, 0), (1, 1) only",
        "step(0) = 1", mistake="xor_network/hidden-merges-corners")
    text = str(failure)
    for plan in ("OR", "AND", "not AND"):
        assert f" {plan} " not in text and f" {plan}," not in text, text
    # the gate the network computes is named, and only that
    failure = assert_fails(
        check.xor_network,
        lambda: (np.ones((2, 2)), np.array([-0.5, -1.5]), np.ones(2), -0.5),
        "computes OR", "(1, 1) is wrong", mistake="xor_network/computes-other-gate")
    assert "AND" not in str(failure)


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


# --- the questions and derivation steps (issue 22) ----------------------------------------------


@pytest.mark.parametrize("answer", [709.8, 709.78, 709.7, np.log(1.797e308)])
def test_exp_overflow_z_accepts_the_limit(answer, capsys):
    assert_passes(check.exp_overflow_z, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (308, "power of e", "exp_overflow_z/base-10-exponent"),
        (1024, "largest power of 2", "exp_overflow_z/base-2-exponent"),
        (1000, "find the smallest z", "exp_overflow_z/the-example"),
        (700, "both sides of yours", "exp_overflow_z/wrong-value"),
        (710.0, "rounded to a whole number", "exp_overflow_z/rounded-to-whole"),
        (710, "rounded to a whole number", "exp_overflow_z/rounded-to-whole"),
        (709.0, "rounded to a whole number", "exp_overflow_z/rounded-to-whole"),
        (709.5, "both sides of yours", "exp_overflow_z/wrong-value"),
        ("709.8", "assign a plain number", "question01/not-a-number"),
        (True, "assign a plain number", "question01/not-a-number"),
    ],
)
def test_exp_overflow_z_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.exp_overflow_z, answer, hint, mistake=mistake)


def test_exp_overflow_z_is_where_numpy_overflows():
    with np.errstate(over="ignore"):
        assert np.isfinite(np.exp(709.7)) and np.isinf(np.exp(709.8))


@pytest.mark.parametrize("answer",
                         [(2, 2, -1), [2.0, 2.0, -1.0], (-2, -2, 1), np.array([2, 2, -1])])
def test_tanh_from_sigmoid_accepts_the_relation(answer, capsys):
    assert_passes(check.tanh_from_sigmoid, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ((2, 1, -1), "flatter than tanh", "tanh_from_sigmoid/half-argument"),
        ((-2, 2, 1), "-tanh(z)", "tanh_from_sigmoid/sign-flipped"),
        ((1, 1, 0), "the sigmoid itself", "tanh_from_sigmoid/plain-sigmoid"),
        ((1, 2, 0), "runs from 0 to 1", "tanh_from_sigmoid/wrong-range"),
        ((2, 2, 1), "runs from 1 to 3", "tanh_from_sigmoid/wrong-range"),
        ((2, 4, -1), "the steepness is not", "tanh_from_sigmoid/wrong-argument"),
        ((2, 2), "three numbers", "tanh_from_sigmoid/not-a-triple"),
        ("2, 2, -1", "three numbers", "tanh_from_sigmoid/not-a-triple"),
    ],
)
def test_tanh_from_sigmoid_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.tanh_from_sigmoid, answer, hint, mistake=mistake)


@pytest.mark.parametrize("answer", [6, 6.0, np.float64(6.0)])
def test_z_after_update_accepts_6(answer, capsys):
    assert_passes(check.z_after_update, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (-1, "z before the move", "z_after_update/nothing-moved"),
        (5.5, "the bias moves too", "z_after_update/bias-not-moved"),
        (-8, "you subtracted them", "z_after_update/subtracted"),
        (13, "not x itself", "z_after_update/lr-ignored"),
        (7, "how much did z grow", "z_after_update/wrong-value"),
    ],
)
def test_z_after_update_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.z_after_update, answer, hint, mistake=mistake)


def test_stack_outputs_accepts_the_three_outputs(capsys):
    assert_passes(check.stack_outputs, (1.5, 5.5, 0.5), capsys)
    assert_passes(check.stack_outputs, np.array([1.5, 5.5, 0.5]))


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ((1.5, 2.5, 6.5), "COLUMNS of W1", "stack_outputs/w1-transposed"),
        ((1.0, 5.0, 0.0), "bias b2 is missing", "stack_outputs/b2-missing"),
        ((0.5, 4.5, -0.5), "hidden biases b1 are missing", "stack_outputs/b1-missing"),
        ((1.5, 5.5), "three numbers", "stack_outputs/not-three-numbers"),
        ((0.0, 0.0, 0.0), "once for each", "stack_outputs/wrong-values"),
    ],
)
def test_stack_outputs_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.stack_outputs, answer, hint, mistake=mistake)


@pytest.mark.parametrize(
    "answer",
    [
        lambda W1, b1, w2, b2: (W1 @ w2, b1 @ w2 + b2),
        lambda W1, b1, w2, b2: (np.dot(W1, w2), float(np.dot(b1, w2)) + b2),
        lambda W1, b1, w2, b2: ((W1 * w2).sum(axis=1), np.sum(b1 * w2) + b2),
    ],
)
def test_collapse_linear_accepts_correct_formulas(answer, capsys):
    assert_passes(check.collapse_linear, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda W1, b1, w2, b2: (w2 @ W1, b1 @ w2 + b2), "W1 transposed",
         "collapse_linear/w-transposed"),
        (lambda W1, b1, w2, b2: (W1.sum(axis=1), b1 @ w2 + b2), "ignores w2",
         "collapse_linear/w2-ignored"),
        (lambda W1, b1, w2, b2: (W1 @ w2, b2), "only b2", "collapse_linear/b1-dropped"),
        (lambda W1, b1, w2, b2: (W1 @ w2, b1 @ w2), "output unit's own bias",
         "collapse_linear/b2-dropped"),
        (lambda W1, b1, w2, b2: (W1 @ w2, b1.sum() + b2), "not summed",
         "collapse_linear/b1-not-weighed"),
        (lambda W1, b1, w2, b2: W1 @ w2, "expected a pair", "collapse_linear/not-a-pair"),
        (lambda W1, b1, w2, b2: (W1 @ w2, b1 * w2 + b2), "returned shape", None),
    ],
)
def test_collapse_linear_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.collapse_linear, answer, hint, mistake=mistake)


def test_predict_lr_scaling_accepts_the_computed_answer(capsys):
    from helpers.experiments.neuron import lr_scaling_option

    assert lr_scaling_option() == "b"
    assert_passes(check.predict_lr_scaling, "b", capsys)
    assert_passes(check.predict_lr_scaling, " B ")


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ("a", "a bigger rate is not faster", "predict_lr_scaling/bigger-is-faster"),
        ("c", "the same mistakes happen", "predict_lr_scaling/another-line"),
        ("d", "does not change which points", "predict_lr_scaling/too-large"),
        ("e", "one of the options", "question01/not-an-option"),
    ],
)
def test_predict_lr_scaling_rejects_each_wrong_choice(answer, hint, mistake):
    assert_fails(check.predict_lr_scaling, answer, hint, mistake=mistake)


def test_predict_xor_converges():
    from helpers.experiments.neuron import xor_perceptron_converges

    assert not xor_perceptron_converges()
    assert_passes(check.predict_xor_converges, "no")
    assert_passes(check.predict_xor_converges, "No")
    assert_fails(check.predict_xor_converges, "yes", "draw them",
                 mistake="predict_xor_converges/yes")
    assert_fails(check.predict_xor_converges, False, "one of the options",
                 mistake="question01/not-an-option")


def _step_fn(z):
    return (np.asarray(z) >= 0).astype(float)


def _choose(pick="val", rng="fresh", data="train", returns="option", measure="step",
            options="all"):
    def choose_epochs(train, X_train, y_train, X_val, y_val, epoch_options):
        shared = np.random.default_rng(0)
        elsewhere = np.random.default_rng(0)
        elsewhere.random(3)  # the notebook's rng, already used above the exercise
        accs, fits = [], []
        run_options = {"all": epoch_options, "skip-last": epoch_options[:-1],
                       "skip-first": epoch_options[1:]}[options]
        for epochs in run_options:
            gen = {"shared": shared, "none": None, "notebook": elsewhere,
                   "fresh": np.random.default_rng(0),
                   "seed-per-run": np.random.default_rng(len(accs)),
                   "seed-per-option": np.random.default_rng(epochs)}[rng]
            X_fit, y_fit = {"train": (X_train, y_train), "val": (X_val, y_val),
                            "both": (np.vstack([X_train, X_val]),
                                     np.concatenate([y_train, y_val]))}[data]
            w, b, _ = train(X_fit, y_fit, epochs=epochs, rng=gen)
            z = X_val @ w + b
            accs.append(np.mean((_step_fn(z) if measure == "step" else z) == y_val))
            fits.append(np.mean(_step_fn(X_train @ w + b) == y_train))
        score = {"val": accs, "train": fits, "worst": [-a for a in accs]}[pick]
        best = int(np.argmax(score))
        shown = fits if returns == "fits" else accs
        if returns == "extra":
            shown = [0.0, *accs]
        chosen = {"index": best, "accuracy": max(score)}.get(returns, run_options[best])
        return chosen, shown

    return choose_epochs


def test_choose_epochs_accepts_the_experiment(capsys):
    assert_passes(check.choose_epochs, _choose(), capsys)

    def with_a_loop_of_its_own(train, X_train, y_train, X_val, y_val, epoch_options):
        results = {}
        for epochs in epoch_options:
            w, b, _ = train(X_train, y_train, lr=1.0, epochs=epochs,
                            rng=np.random.default_rng(seed=0))
            results[epochs] = float(np.mean((X_val @ w + b >= 0) == y_val))
        best = max(epoch_options, key=lambda e: results[e])  # the first of the best
        return best, [results[e] for e in epoch_options]

    assert_passes(check.choose_epochs, with_a_loop_of_its_own)

    def the_last_of_the_best_with_an_array(train, X_train, y_train, X_val, y_val,
                                           epoch_options):
        accs = np.zeros(len(epoch_options))
        for i, epochs in enumerate(epoch_options):
            w, b, _ = train(X_train, y_train, epochs=epochs, rng=np.random.default_rng(0))
            accs[i] = np.mean(_step_fn(X_val @ w + b) == y_val)
        last = len(accs) - 1 - int(np.argmax(accs[::-1]))  # no tie rule: any best one is right
        return epoch_options[last], accs

    assert_passes(check.choose_epochs, the_last_of_the_best_with_an_array)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_choose(pick="train"), "best on the training movies", "choose_epochs/chose-on-training"),
        (_choose(pick="worst"), "LOWEST validation accuracy", "choose_epochs/chose-worst"),
        (_choose(returns="index"), "position of the best run", "choose_epochs/index-not-option"),
        (_choose(returns="accuracy"), "the best accuracy itself",
         "choose_epochs/returned-accuracy"),
        (_choose(returns="fits"), "accuracies on the training movies",
         "choose_epochs/training-accuracies"),
        (_choose(measure="raw"), "raw sums w·x + b", "choose_epochs/no-step"),
        (_choose(rng="shared"), "one generator shared by all runs", "choose_epochs/rng-shared"),
        (_choose(rng="seed-per-run"), "different seeds (0, 1, 2, 3, ...)",
         "choose_epochs/rng-seed-per-run"),
        (_choose(rng="seed-per-option"), "different seeds (1, 2, 3, 5, ...)",
         "choose_epochs/rng-seed-per-run"),
        (_choose(rng="none"), "got no rng", "choose_epochs/rng-not-fresh"),
        (_choose(rng="notebook"), "not in the state of seed 0", "choose_epochs/rng-not-fresh"),
        (_choose(data="val"), "40 of them validation movies",
         "choose_epochs/trained-on-validation"),
        (_choose(data="both"), "160 movies, 40 of them validation",
         "choose_epochs/trained-on-validation"),
        (_choose(options="skip-last"), "the option 13 has no run", "choose_epochs/off-by-one"),
        (_choose(options="skip-first"), "the option 1 has no run", "choose_epochs/off-by-one"),
        (_choose(returns="extra"), "7 entries for 6 options", "choose_epochs/off-by-one"),
        (lambda train, *args: (5, None), "returned None", "general/returned-none"),
        (lambda train, *args: 5, "expected a pair", "choose_epochs/not-a-pair"),
    ],
)
def test_choose_epochs_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.choose_epochs, answer, hint, mistake=mistake)


@pytest.mark.parametrize("answer", [_choose(returns="fits"), _choose(pick="train"),
                                    _choose(pick="worst"), _choose(returns="index")])
def test_choose_epochs_messages_do_not_print_the_expected_answer(answer):
    from helpers.check._core import fmt
    from helpers.experiments.neuron import moody_movies, perceptron

    X_train, y_train, X_val, y_val, _, _ = moody_movies(3)
    val = []
    for e in [1, 2, 3, 5, 8, 13]:
        w, b, _ = perceptron(X_train, y_train, 1.0, e, np.random.default_rng(0))
        val.append(np.mean(_step_fn(X_val @ w + b) == y_val))
    with pytest.raises(check.CheckFailed) as info:
        check.choose_epochs(answer)
    shown = info.value.plain
    assert fmt(np.array(val)) not in shown and "epochs =" not in shown, shown


def test_choose_epochs_data_tells_every_wrong_choice_apart():
    from helpers.experiments.neuron import moody_movies, perceptron

    X_train, y_train, X_val, y_val, _, _ = moody_movies(3)
    # no training movie is also a validation movie, so "trained on validation" is never
    # said of a run that trained on the training movies
    assert not {r.tobytes() for r in X_train} & {r.tobytes() for r in X_val}
    options = [1, 2, 3, 5, 8, 13]
    val, fit = [], []
    for e in options:
        w, b, _ = perceptron(X_train, y_train, 1.0, e, np.random.default_rng(0))
        val.append(np.mean(_step_fn(X_val @ w + b) == y_val))
        fit.append(np.mean(_step_fn(X_train @ w + b) == y_train))
    picks = {options[int(np.argmax(val))], options[int(np.argmax(fit))],
             options[int(np.argmin(val))], int(np.argmax(val)), max(val)}
    assert len(picks) == 5 and sorted(val)[-1] > sorted(val)[-2]


# --- issue 23: no failure message and no hint tier below the last gives the answer ------------

_ANSWERS = {
    "sigmoid": ["np.exp(-np.abs(z))", "e/(1+e)", "np.tanh(z/2)", "0.5*(1+np.tanh",
                "np.exp(z)/(1+np.exp(z))", "e^z/(1+e^z)"],
    "tanh": ["2*sigmoid(2*z)-1", "2*sigmoid(2", "2σ(2z)-1", "(1-e^(-2z))/(1+e^(-2z))"],
    "tanh_from_sigmoid": ["(2,2,-1)", "2σ(2z)-1"],
    "perceptron": ["w=w+lr*error*X[i]", "w+=lr*(y_i-prediction)", "rng.permutation(len(X))"],
    "collapse_linear": ["W1@w2", "b1@w2+b2"],
    "exp_overflow_z": ["709.8", "709.7"],
    "z_after_update": ["=6", "6.0"],
    "stack_outputs": ["(1.5,5.5,0.5)"],
    "choose_epochs": ["rng=np.random.default_rng(0)", "epoch_options[int(np.argmax"],
}


def _squash(text):
    return "".join(text.split())


_WRONG = {
    "sigmoid": [lambda z: 1 / (1 + np.exp(z)), lambda z: 1 / 1 + np.exp(-z),
                lambda z: 1 / (1 + np.exp(-z)), np.tanh, lambda z: 1 / (1 + np.exp(-z)) - 0.5,
                lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))),
                lambda z: np.full_like(np.asarray(z, dtype=float), np.nan)],
    "tanh": [lambda z: (np.exp(z) - np.exp(-z)) / (np.exp(z) + np.exp(-z)), lambda z: -np.tanh(z),
             lambda z: 2 / (1 + np.exp(-np.clip(z, -500, 500))) - 1, lambda z: z],
    "tanh_from_sigmoid": [(2, 1, -1), (1, 2, 0), (2, 4, -1), (1, 1, 0), (-2, 2, 1)],
    "perceptron": [_perceptron_variant(k) for k in
                   ("no-stop", "replacement", "batch", "unrecorded", "late", "separately")]
                  + [make_perceptron(sign=-1.0), make_perceptron(update_bias=False)],
    "collapse_linear": [lambda W1, b1, w2, b2: (w2 @ W1, b2),
                        lambda W1, b1, w2, b2: (np.zeros(len(W1)), 0.0)],
    "exp_overflow_z": [308, 1024, 1000, 700],
    "z_after_update": [-1, 5.5, -8, 13, 7],
    "stack_outputs": [(1.5, 2.5, 6.5), (1.0, 5.0, 0.0), (0.0, 0.0, 0.0)],
}


@pytest.mark.parametrize("exercise", sorted(_WRONG))
def test_no_failure_message_writes_the_answer(exercise):
    for wrong in _WRONG[exercise]:
        with pytest.raises(check.CheckFailed) as info:
            getattr(check, exercise)(wrong)
        shown = _squash(info.value.plain)
        leaked = [form for form in _ANSWERS[exercise] if _squash(form) in shown]
        assert not leaked, f"{exercise}: the failure writes the answer {leaked}:\n{info.value}"


@pytest.mark.parametrize("exercise", sorted(_ANSWERS))
def test_no_hint_below_the_last_tier_writes_the_answer(exercise):
    from helpers.check._hints import HINTS

    tiers = HINTS[exercise]
    assert any(_squash(form) in _squash(tiers[-1]) for form in _ANSWERS[exercise])
    for tier in tiers[:-1]:
        leaked = [form for form in _ANSWERS[exercise] if _squash(form) in _squash(tier)]
        assert not leaked, f"{exercise}: a hint below the last writes the answer {leaked}"


# Messages that named the mistake by nearly writing the answer (round-3 student): the answer
# number, or the relation that gives it, is not in the message of any of these wrong versions.
_NEAR_ANSWERS = [
    ("tanh_from_sigmoid", (2, 1, -1), ["half", "B = 2", "twice", "2z", "2·z"]),
    ("tanh_from_sigmoid", (2, 0.5, -1), ["B = 2", "2z", "2·z"]),
    ("tanh_from_sigmoid", (1, 2, 0), ["A = 2", "C = -1", "map 0 to -1", "A + C"]),
    ("tanh_from_sigmoid", (2, 2, 1), ["A = 2", "C = -1", "map 0 to -1", "A + C"]),
    ("z_growth", 0.5, ["1.0", "x·x", "(w + η·x)", "drop out"]),
    ("z_growth", 7, ["1.0", "x·x", "(w + η·x)", "drop out"]),
    ("exp_overflow_z", 308, ["709", "ln 10", "2.30"]),
    ("exp_overflow_z", 700, ["709", "ln", "log"]),
    ("collapse_linear", lambda W1, b1, w2, b2: (w2 @ W1, b1 @ w2 + b2),
     ["W1 @ w2", "row i against w2", "w_i collects", "COLUMNS"]),
]


@pytest.mark.parametrize(("exercise", "wrong", "forms"), _NEAR_ANSWERS,
                         ids=[f"{e}-{i}" for i, (e, _, _) in enumerate(_NEAR_ANSWERS)])
def test_a_message_names_the_mistake_without_the_answer(exercise, wrong, forms):
    with pytest.raises(check.CheckFailed) as info:
        getattr(check, exercise)(wrong)
    shown = info.value.plain
    assert not [form for form in forms if form in shown], shown


def _tanh_where_both_branches(z):
    z = np.asarray(z, dtype=float)
    # right everywhere; np.where computes both branches, so the unused one overflows
    return np.where(z >= 0, (1 - np.exp(-2 * z)) / (1 + np.exp(-2 * z)),
                    (np.exp(2 * z) - 1) / (np.exp(2 * z) + 1))


def test_a_right_tanh_that_warns_passes_with_a_note(capsys):
    # tanh's specification asks for finite values, not for silence (unlike the sigmoid's)
    check.tanh(_tanh_where_both_branches)
    out = capsys.readouterr().out
    assert out.startswith("✓ tanh looks right.") and "Note: numpy warned" in out


def test_a_right_sigmoid_that_warns_still_fails_its_specification():
    assert_fails(check.sigmoid,
                 lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))),
                 "computes both a and b", mistake="sigmoid/np-where-both-branches")


@pytest.mark.parametrize("answer", ["a", "A", " a "])
def test_which_move_accepts_the_move_that_always_raises_z(answer, capsys):
    assert_passes(check.which_move, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ("b", "lowers z", "which_move/lowers"),
        ("c", "not raise z for every x", "which_move/depends-on-signs"),
        ("d", "more negative", "which_move/scales-z"),
        ("e", "one of the options", "question01/not-an-option"),
        (1, "one of the options", "question01/not-an-option"),
    ],
)
def test_which_move_rejects_each_wrong_move(answer, hint, mistake):
    assert_fails(check.which_move, answer, hint, mistake=mistake)


def test_which_move_a_is_the_only_option_that_raises_z_for_every_x():
    rng = np.random.default_rng(0)
    lr = 0.5
    moves = {"a": lambda w, b, x: (w + lr * x, b + lr),
             "b": lambda w, b, x: (w - lr * x, b - lr),
             "c": lambda w, b, x: (w + lr, b + lr),
             "d": lambda w, b, x: ((1 + lr) * w, (1 + lr) * b)}
    always = set()
    for letter, move in moves.items():
        raised = []
        for _ in range(200):
            w, b, x = rng.normal(size=3), rng.normal(), rng.normal(size=3) * 3
            if x @ w + b >= 0:
                continue  # only a 1 called 0 (z < 0) is moved
            w2, b2 = move(w, b, x)
            raised.append(x @ w2 + b2 > x @ w + b)
        if all(raised):
            always.add(letter)
    assert always == {"a"}


@pytest.mark.parametrize("answer", [1.0, 1, 0.1 * 10, 1.0000001])
def test_z_growth_accepts_1(answer, capsys):
    assert_passes(check.z_growth, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (0.9, "b moves too", "z_growth/bias-forgotten"),
        (0.6, "its square counts", "z_growth/sum-not-square"),
        (10, "scaled by η", "z_growth/lr-forgotten"),
        (-1.0, "negative", "z_growth/sign"),
        (7, "none of the usual slips", "z_growth/wrong-value"),
        (0.5, "none of the usual slips", "z_growth/wrong-value"),
        ("1.0", "assign a plain number", "question01/not-a-number"),
    ],
)
def test_z_growth_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.z_growth, answer, hint, mistake=mistake)

