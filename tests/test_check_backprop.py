"""Notebook 03 checks: the reference and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import math

import numpy as np
import pytest
from checking import assert_fails, assert_passes

from helpers import check
from helpers.autograd import Value, topological_order


def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


# --- graph_forward_backward and graph_exercise ---------------------------------------------


def graph_reference(x, y, z):
    s = x + y
    q = s * z
    f = q**2
    df_dq = 2 * q
    return f, (df_dq * z, df_dq * z, df_dq * s)


def graph_expanded(x, y, z):
    # expanding symbolically is longer, but just as right
    f = (x * z + y * z) ** 2
    return f, (2 * (x + y) * z**2, 2 * (x + y) * z**2, 2 * (x + y) ** 2 * z)


@pytest.mark.parametrize("answer", [graph_reference, graph_expanded])
def test_graph_forward_backward_accepts_correct_answers(answer, capsys):
    assert_passes(check.graph_forward_backward, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda x, y, z: (((x + y) * z) ** 2, ((x + y) * z * z,) * 2 + ((x + y) ** 2 * z,)),
         "factor 2 is missing", "graph_forward_backward/factor-2-missing"),
        (lambda x, y, z: (((x + y) * z) ** 2, (2 * (x + y) * z,) * 3), "dq/ds = z",
         "graph_forward_backward/local-derivatives-missing"),
        (lambda x, y, z: (((x + y) * z) ** 2, (2 * (x + y) * z * z,) * 3), "dq/dz for q",
         "graph_forward_backward/dq-dz-wrong"),
        (lambda x, y, z: (((x + y) * z) ** 2, (z, z, x + y)), "only the local derivatives",
         "graph_forward_backward/outer-derivative-missing"),
        (lambda x, y, z: ((x + y) * z**2, graph_reference(x, y, z)[1]), "expected ((x + y)·z)²",
         "graph/wrong-forward"),
        (lambda x, y, z: graph_reference(x, y, z)[1], "expected a pair", "graph/not-a-pair"),
        (lambda x, y, z: (graph_reference(x, y, z)[0], graph_reference(x, y, z)[1][::-1]),
         "order x, y, z", "graph/gradient-order"),
    ],
)
def test_graph_forward_backward_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.graph_forward_backward, answer, hint, mistake=mistake)


def graph_exercise_reference(x, y, z):
    s = math.sin(x) + y
    q = s * z
    df_dq = 3 * q**2
    return q**3, (df_dq * z * math.cos(x), df_dq * z, df_dq * s)


def graph_exercise_numpy(x, y, z):
    s = np.sin(x) + y
    f = (s * z) ** 3
    return f, (3 * f / s * np.cos(x), 3 * f / s, 3 * f / z) if s and z else (f, (0, 0, 0))


@pytest.mark.parametrize("answer", [graph_exercise_reference, graph_exercise_numpy])
def test_graph_exercise_accepts_correct_answers(answer, capsys):
    assert_passes(check.graph_exercise, answer, capsys)


def _graph_exercise_with(dx_factor=lambda x: math.cos(x), power=3):
    def answer(x, y, z):
        s = math.sin(x) + y
        q = s * z
        df_dq = power * q ** (power - 1)
        return q**3, (df_dq * z * dx_factor(x), df_dq * z, df_dq * s)

    return answer


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_graph_exercise_with(lambda x: 1.0), "missing the local derivative of sin",
         "graph_exercise/cos-missing"),
        (_graph_exercise_with(lambda x: -math.cos(x)), "+cos x, not -cos x",
         "graph_exercise/minus-cos"),
        (_graph_exercise_with(math.sin), "you multiplied by sin x", "graph_exercise/sin-for-cos"),
        (_graph_exercise_with(power=2), "3q², not 2q", "graph_exercise/cube-derivative"),
    ],
)
def test_graph_exercise_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.graph_exercise, answer, hint, mistake=mistake)


# --- derivatives of activations --------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        lambda z: sigmoid(z) * (1 - sigmoid(z)),
        lambda z: sigmoid(z) * sigmoid(-z),
        lambda z: 0.25 / np.cosh(np.clip(z, -300, 300) / 2) ** 2,
    ],
)
def test_sigmoid_prime_accepts_correct_formulas(answer, capsys):
    assert_passes(check.sigmoid_prime, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda z: sigmoid(z) * (1 - z), "σ(z)·(1 − z)", "sigmoid_prime/z-in-second-factor"),
        (lambda z: z * (1 - z), "compute s = sigmoid(z) first", "sigmoid_prime/z-for-output"),
        (sigmoid, "that is σ(z) itself", "sigmoid_prime/sigmoid-instead"),
        (lambda z: sigmoid(z) * (1 + sigmoid(z)), "not 1 + σ(z)",
         "sigmoid_prime/plus-in-second-factor"),
        (lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, "overflowed", "sigmoid_prime/overflow"),
    ],
)
def test_sigmoid_prime_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.sigmoid_prime, answer, hint, mistake=mistake)


def tanh_prime_notebook_01_tanh(z):
    return 1 - tanh(z) ** 2  # noqa: F821 - tanh exists only in notebook 01


@pytest.mark.parametrize(
    "answer",
    [lambda z: 1 - np.tanh(z) ** 2, lambda z: 1 / np.cosh(z) ** 2,
     lambda z: 4 * sigmoid(2 * z) * (1 - sigmoid(2 * z))],
)
def test_tanh_prime_accepts_correct_formulas(answer, capsys):
    assert_passes(check.tanh_prime, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda z: 1 - z**2, "return 1 - np.tanh(z) ** 2", "tanh_prime/z-for-output"),
        (tanh_prime_notebook_01_tanh, "use numpy's np.tanh", "error/name-from-another-notebook"),
        (lambda z: 1 - np.tanh(z), "square the tanh", "tanh_prime/not-squared"),
        (lambda z: np.tanh(z) ** 2 - 1, "sign is flipped", "tanh_prime/sign-flipped"),
        (lambda z: 4 * sigmoid(z) * (1 - sigmoid(z)), "the 2 inside σ is missing",
         "tanh_prime/sigmoid-form-missing-2"),
    ],
)
def test_tanh_prime_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.tanh_prime, answer, hint, mistake=mistake)


@pytest.mark.parametrize(
    "answer",
    [lambda z: (z > 0).astype(float), lambda z: np.where(z >= 0, 1.0, 0.0),
     lambda z: np.heaviside(z, 0.5) > 0.25, lambda z: z > 0, lambda z: z >= 0,
     lambda z: np.heaviside(z, 0.5), lambda z: np.where(z == 0, 0.3, z > 0)],
)
def test_relu_prime_accepts_either_slope_at_zero(answer, capsys):
    assert_passes(check.relu_prime, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda z: np.maximum(z, 0), "that is ReLU itself", "relu_prime/relu-instead"),
        (lambda z: (z < 0).astype(float), "other way round", "relu_prime/inverted"),
        (np.sign, "np.sign gives −1", "relu_prime/np-sign"),
        (lambda z: np.heaviside(z, 2.0), "any slope between its two sides, 0 and 1",
         "relu_prime/value-at-zero"),
        (lambda z: np.heaviside(z, -1.0), "pick a value in [0, 1]", "relu_prime/value-at-zero"),
        (lambda z: 1 if z > 0 else 0, "decide for one number", "error/array-truth-value"),
    ],
)
def test_relu_prime_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.relu_prime, answer, hint, mistake=mistake)


# --- the worked example ----------------------------------------------------------------------


def chain_forward_reference(x, w1, b1, w2, b2):
    z1 = w1 * x + b1
    a1 = sigmoid(z1)
    z2 = w2 * a1 + b2
    return {"x": x, "z1": z1, "a1": a1, "z2": z2, "a2": sigmoid(z2)}


def test_chain_forward_reproduces_the_curriculum_numbers():
    cache = chain_forward_reference(0.05, 0.1, -0.1, 0.3, 0.3)
    assert cache["z1"] == pytest.approx(-0.095)
    assert round(float(cache["a1"]), 3) == 0.476
    assert round(float(cache["z2"]), 3) == 0.443
    assert round(float(cache["a2"]), 3) == 0.609
    dw2 = chain_backward_reference(cache, 0.01, 0.3)["dw2"]
    assert round(float(dw2), 4) == 0.0679


def test_chain_forward_accepts_the_reference(capsys):
    assert_passes(check.chain_forward, chain_forward_reference, capsys)


def _chain_forward_with(**changes):
    def answer(x, w1, b1, w2, b2):
        cache = chain_forward_reference(x, w1, b1, w2, b2)
        for key, f in changes.items():
            cache[key] = f(cache, x, w1, b1, w2, b2)
        return cache

    return answer


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_chain_forward_with(z2=lambda c, x, w1, b1, w2, b2: w2 * c["z1"] + b2), "not z1",
         "chain_forward/z1-for-a1"),
        (_chain_forward_with(z1=lambda c, x, w1, b1, w2, b2: w1 * x), "bias b1 is missing",
         "chain_forward/b1-missing"),
        (_chain_forward_with(a2=lambda c, *_: c["z2"]), "a2 = σ(z2)",
         "chain_forward/a2-no-sigmoid"),
        (lambda x, w1, b1, w2, b2: tuple(chain_forward_reference(x, w1, b1, w2, b2).values()),
         "expected a dict", "chain/return-dict"),
        (lambda *args: {k: v for k, v in chain_forward_reference(*args).items() if k != "x"},
         "no key 'x'", "chain/missing-keys"),
    ],
)
def test_chain_forward_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.chain_forward, answer, hint, mistake=mistake)


def chain_backward_reference(cache, y, w2):
    dz2 = (cache["a2"] - y) * cache["a2"] * (1 - cache["a2"])
    dz1 = dz2 * w2 * cache["a1"] * (1 - cache["a1"])
    return {"dw2": dz2 * cache["a1"], "db2": dz2, "dw1": dz1 * cache["x"], "db1": dz1}


def chain_backward_recomputing(cache, y, w2):
    # recomputing σ′ from z instead of reusing the cached activations is right too
    def sigmoid_prime(z):
        return sigmoid(z) * (1 - sigmoid(z))

    dz2 = -(y - cache["a2"]) * sigmoid_prime(cache["z2"])
    dz1 = dz2 * w2 * sigmoid_prime(cache["z1"])
    return {"dw1": cache["x"] * dz1, "db1": dz1, "dw2": cache["a1"] * dz2, "db2": dz2}


@pytest.mark.parametrize("answer", [chain_backward_reference, chain_backward_recomputing])
def test_chain_backward_accepts_correct_answers(answer, capsys):
    assert_passes(check.chain_backward, answer, capsys)


def _chain_backward_with(sigma_of_a=False, forget_a1=False, sign=1.0, forget_w2=False,
                         forget_x=False):
    def answer(cache, y, w2):
        a1, a2 = cache["a1"], cache["a2"]
        s2 = sigmoid(a2) * (1 - sigmoid(a2)) if sigma_of_a else a2 * (1 - a2)
        dz2 = sign * (a2 - y) * s2
        dz1 = dz2 * (1 if forget_w2 else w2) * a1 * (1 - a1)
        return {"dw2": dz2 if forget_a1 else dz2 * a1, "db2": dz2,
                "dw1": dz1 if forget_x else dz1 * cache["x"], "db1": dz1}

    return answer


def _chain_backward_writing_into_cache(cache, y, w2):
    cache.update(chain_backward_reference(cache, y, w2))
    return cache


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_chain_backward_with(forget_a1=True), "the factor a1 (the input of w2) is missing",
         "chain_backward/dw2-a1-missing"),
        (_chain_backward_with(sigma_of_a=True), "you took σ(a2)",
         "chain_backward/dz2-sigmoid-twice-2"),
        (_chain_backward_with(sign=-1.0), "sign is flipped", "chain_backward/da2-sign"),
        (_chain_backward_with(forget_w2=True), "the factor w2 is missing",
         "chain_backward/da1-w2-missing"),
        (_chain_backward_with(forget_x=True), "the factor x is missing",
         "chain_backward/dw1-x-missing"),
        (_chain_backward_writing_into_cache, "changed the cache", "chain_backward/cache-changed"),
    ],
)
def test_chain_backward_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.chain_backward, answer, hint, mistake=mistake)


# --- Value -----------------------------------------------------------------------------------


class RecursiveValue(Value):
    """A correct alternative: recursive topological sort, no reset of earlier gradients."""

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._children:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad


class AssigningValue(Value):
    """Wrong: `=` instead of `+=`, so a Value used twice keeps only its last gradient."""

    def backward(self):
        self.grad = 1.0
        for v in reversed(topological_order(self)):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad = local * v.grad


class ForwardOrderValue(Value):
    """Wrong: walks the topological order inputs-first instead of reversed."""

    def backward(self):
        self.grad = 1.0
        for v in topological_order(self):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad


class BreadthFirstValue(Value):
    """Wrong: breadth-first from the output, so a shared node may pass on a partial grad."""

    def backward(self):
        self.grad = 1.0
        queue, seen = [self], {id(self)}
        while queue:
            v = queue.pop(0)
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad
                if id(child) not in seen:
                    seen.add(id(child))
                    queue.append(child)


class NoSeedValue(Value):
    """Wrong: forgets that d(output)/d(output) = 1."""

    def backward(self):
        for v in reversed(topological_order(self)):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad


class SwappedMulValue(Value):
    def __mul__(self, other):
        other = self._wrap(other)
        return type(self)(self.data * other.data, (self, other), (self.data, other.data), "*")


class TanhOfInputValue(Value):
    def tanh(self):
        return type(self)(math.tanh(self.data), (self,), (1 - self.data**2,), "tanh")


class StubValue(Value):
    def __mul__(self, other):
        raise NotImplementedError("exercise: value")


@pytest.mark.parametrize("answer", [Value, RecursiveValue])
def test_value_accepts_correct_classes(answer, capsys):
    assert_passes(check.value, answer, capsys)


class MulAsAddValue(Value):
    def __mul__(self, other):
        other = self._wrap(other)
        return type(self)(self.data * other.data, (self, other), (1.0, 1.0), "*")


class TanhItselfValue(Value):
    def tanh(self):
        t = math.tanh(self.data)
        return type(self)(t, (self,), (t,), "tanh")


class TanhNotSquaredValue(Value):
    def tanh(self):
        t = math.tanh(self.data)
        return type(self)(t, (self,), (1 - t,), "tanh")


class NoVisitedSetValue(Value):
    """Wrong: a depth-first order without a visited set lists a shared node twice, and it
    passes its gradient on twice."""

    def backward(self):
        order = []

        def visit(v):
            for child in v._children:
                visit(child)
            order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad


class ChildrenFirstValue(Value):
    """Wrong: each node pushes its gradient as soon as it is reached from the output, depth
    first (no order at all): a shared node passes on a partial gradient."""

    def backward(self):
        self.grad = 1.0

        def push(v):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad
                push(child)

        push(self)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (AssigningValue, "the second edge overwrote what the first had brought",
         "value/gradient-not-accumulated"),
        (ForwardOrderValue, "each node once, after everything that uses it",
         "value/topological-order"),
        (BreadthFirstValue, "before every node that uses it had added its share",
         "value/topological-order"),
        (NoVisitedSetValue, "or passed it on more than once", "value/topological-order"),
        (ChildrenFirstValue, "each node once, after everything that uses it",
         "value/topological-order"),
        (NoSeedValue, "nothing reached the leaves", "value/no-seed-gradient"),
        (SwappedMulValue, "each input got its own value", "value/mul-swapped"),
        (MulAsAddValue, "the add gate's", "value/mul-as-add"),
        (TanhOfInputValue, "uses the input x where", "value/tanh-x-for-output"),
        (TanhItselfValue, "the forward value, not its slope", "value/tanh-instead"),
        (TanhNotSquaredValue, "compare it with your tanh_prime", "value/tanh-not-squared"),
        (StubValue, "not written yet", "not-written-yet"),
        (Value(1.0), "pass the class itself", "general/instance-not-class"),
    ],
)
def test_value_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.value, answer, hint, mistake=mistake)


# --- the derivation steps and predictions of section 5 ----------------------------------------


@pytest.mark.parametrize("answer", [-3.0, -3, np.float64(-3.0), -3.0004])
def test_dc_da_accepts_the_local_derivative(answer, capsys):
    assert_passes(check.dc_da, answer, capsys)


@pytest.mark.parametrize(
    "answer, fragment, mistake",
    [
        (2.0, "2 is a itself", "dc_da/own-value"),
        (-6.0, "−6 is c, the product", "dc_da/product"),
        (1.0, "the local derivative of a sum", "dc_da/add-gate"),
        (3.0, "wrong sign", "dc_da/sign"),
        (-2.0, "divide the change of c by the change of a", "dc_da/wrong-value"),
        ("b", "expected a number", "dc_da/not-a-number"),
        (True, "expected a number", "dc_da/not-a-number"),
    ],
)
def test_dc_da_names_each_wrong_answer(answer, fragment, mistake):
    failure = assert_fails(check.dc_da, answer, fragment, mistake=mistake)
    assert "∂c/∂a = " not in failure.plain and "DC_DA = -3" not in failure.plain


@pytest.mark.parametrize("answer", [2, 2.0, np.int64(2)])
def test_a_plus_a_grad_accepts_two(answer, capsys):
    assert_passes(check.a_plus_a_grad, answer, capsys)


@pytest.mark.parametrize(
    "answer, fragment, mistake",
    [
        (1.0, "1 counts one edge", "a_plus_a_grad/one-edge"),
        (6.0, "6 is b's value", "a_plus_a_grad/data"),
        (3.0, "3 is a's value", "a_plus_a_grad/data"),
        (0.0, "backward() fills the grad", "a_plus_a_grad/zero"),
        (4.0, "how fast does b change", "a_plus_a_grad/wrong-value"),
        ("2", "expected a number", "a_plus_a_grad/not-a-number"),
    ],
)
def test_a_plus_a_grad_names_each_wrong_prediction(answer, fragment, mistake):
    assert_fails(check.a_plus_a_grad, answer, fragment, mistake=mistake)


def test_the_predicted_a_grad_is_what_backward_gives():
    # the run below the prediction: the number the check accepts is the one it prints
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    check.a_plus_a_grad(a.grad)


@pytest.mark.parametrize("answer", ["w2", " W2 ", "w 2"])
def test_zero_gradient_weight_accepts_w2(answer, capsys):
    assert_passes(check.zero_gradient_weight, answer, capsys)


@pytest.mark.parametrize(
    "answer, fragment, mistake",
    [
        ("w1", "does not care about the sign", "zero_gradient_weight/negative-weight"),
        ("b", "add gate, which passes", "zero_gradient_weight/bias-no-input"),
        ("none", "one multiply gate has an input that is 0",
         "zero_gradient_weight/every-weight-learns"),
        ("x2", "one of the strings", "zero_gradient_weight/not-a-choice"),
        (2, "one of the strings", "zero_gradient_weight/not-a-choice"),
    ],
)
def test_zero_gradient_weight_names_each_misconception(answer, fragment, mistake):
    assert_fails(check.zero_gradient_weight, answer, fragment, mistake=mistake)


def test_the_run_after_the_prediction_shows_w2_alone_at_zero():
    x1, x2 = Value(2.0), Value(0.0)
    w1, w2, b = Value(-3.0), Value(1.0), Value(6.88)
    out = (w1 * x1 + w2 * x2 + b).tanh()
    out.backward()
    grads = {"w1": w1.grad, "w2": w2.grad, "b": b.grad}
    assert [name for name, g in grads.items() if g == 0] == ["w2"]
    assert min(abs(grads["w1"]), abs(grads["b"])) > 0.4  # "tanh' at 0.88, about 0.5"
    check.zero_gradient_weight("w2")


# --- train_neuron ----------------------------------------------------------------------------


def train_neuron_reference(X, y, lr, epochs, rng, *, loss_after=False, grad_scale=2.0,
                           sigmoid_slope=True, mean=True, sign=1.0):
    w, b = rng.normal(0, 0.1, size=X.shape[1]), 0.0
    losses = []
    for _ in range(epochs):
        a = sigmoid(X @ w + b)
        if not loss_after:
            losses.append(np.mean((a - y) ** 2))
        dz = grad_scale * (a - y) * (a * (1 - a) if sigmoid_slope else 1)
        dz = dz / len(y) if mean else dz
        w, b = w - sign * lr * X.T @ dz, b - sign * lr * dz.sum()
        if loss_after:
            losses.append(np.mean((sigmoid(X @ w + b) - y) ** 2))
    return w, b, losses


def train_neuron_own_generator(X, y, lr, epochs, rng):
    return train_neuron_reference(X, y, lr, epochs, np.random.default_rng(99), loss_after=True)


def train_neuron_zeros(X, y, lr, epochs, rng):
    """Ignores rng and starts from zeros (w = 0 trains a single neuron, but it is not the
    docstring's start, and a seed then means nothing)."""
    return train_neuron_reference(X, y, lr, epochs, _ZeroDraws())


class _ZeroDraws:
    def normal(self, loc, scale, size):
        return np.zeros(size)


def train_neuron_scaled_standard_normal(X, y, lr, epochs, rng):
    class Scaled:
        def normal(self, loc, scale, size):
            return 0.1 * rng.standard_normal(size)

    return train_neuron_reference(X, y, lr, epochs, Scaled())


def train_neuron_global_random(X, y, lr, epochs, rng):
    return train_neuron_reference(X, y, lr, epochs, np.random.default_rng())


@pytest.mark.parametrize(
    "answer",
    [train_neuron_reference, train_neuron_scaled_standard_normal,
     lambda X, y, lr, epochs, rng: train_neuron_reference(X, y, lr, epochs, rng,
                                                          loss_after=True)],
)
def test_train_neuron_accepts_correct_versions(answer, capsys):
    assert_passes(check.train_neuron, answer, capsys)


def _train_with(**mistake):
    return lambda X, y, lr, epochs, rng: train_neuron_reference(X, y, lr, epochs, rng, **mistake)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_train_with(sign=-1.0), "step against the gradient", "train_neuron/climbs"),
        (_train_with(grad_scale=1.0), "factor 2 is missing", "train_neuron/factor-2-missing"),
        (_train_with(mean=False), "divide the gradient by N", "train_neuron/n-missing"),
        (_train_with(sigmoid_slope=False), "slope a(1 − a) is missing",
         "train_neuron/slope-missing"),
        (train_neuron_global_random, "the `rng` argument", "train_neuron/rng-ignored"),
        (train_neuron_own_generator, "drawn from the `rng` argument", "train_neuron/wrong-start"),
        (train_neuron_zeros, "you start from w = 0", "train_neuron/starts-from-zeros"),
        (lambda X, y, lr, epochs, rng: (lambda w, b, losses: (w, np.array([b]), losses))(
            *train_neuron_reference(X, y, lr, epochs, rng)), "Return the number itself",
             "shape/number-expected"),
        (lambda X, y, lr, epochs, rng: train_neuron_reference(X, y, lr, epochs, rng)[:2],
         "expected a tuple (w, b, losses)", "train_neuron/not-a-triple"),
    ],
)
def test_train_neuron_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.train_neuron, answer, hint, mistake=mistake)
