"""The package's reference layers, losses and optimisers against finite differences and the
update rules written out by hand."""

import numpy as np
import pytest
from checking import OneParameter

from helpers.gradcheck import module_gradient_report, numerical_gradient, relative_error, verdict
from helpers.losses import MSELoss, SoftmaxCrossEntropy, softmax
from helpers.nn import Linear, ReLU, Sequential, Sigmoid, Tanh
from helpers.optim import SGD, Adam


@pytest.mark.parametrize(
    "make",
    [
        lambda rng: Linear(4, 3, rng),
        lambda rng: Sigmoid(),
        lambda rng: Tanh(),
        lambda rng: ReLU(),
        lambda rng: Sequential(Linear(4, 5, rng), Tanh(), Linear(5, 2, rng), Sigmoid()),
    ],
)
def test_every_backward_matches_finite_differences(make):
    rng = np.random.default_rng(1)
    module = make(rng)
    x = rng.normal(size=(6, 4)) + 0.1  # away from ReLU's kink at 0
    report = module_gradient_report(module, x, rng)
    assert report.ok, str(report)


def test_report_names_parameters_and_flags_a_wrong_gradient():
    rng = np.random.default_rng(2)
    model = Sequential(Linear(3, 4, rng), ReLU(), Linear(4, 2, rng))
    assert set(module_gradient_report(model, rng.normal(size=(5, 3))).errors) == {
        "dx", "d0.W", "d0.b", "d2.W", "d2.b"}

    class TransposedLinear(Linear):
        def backward(self, dout):
            dx = super().backward(dout)
            self.dW = (dout.T @ self.x).T * 1.5  # wrong on purpose
            return dx

    report = module_gradient_report(TransposedLinear(3, 2, rng), rng.normal(size=(4, 3)))
    assert verdict(report.errors["dW"]) == "wrong" and report.worst()[0] == "dW"
    assert "wrong" in str(report) and "relative error" in str(report)


@pytest.mark.parametrize("target_shape", [(8, 1), (8,)])
def test_mse_loss_value_gradient_and_target_shape(target_shape):
    rng = np.random.default_rng(3)
    pred, y = rng.normal(size=(8, 1)), rng.normal(size=target_shape)
    loss = MSELoss()
    assert loss.forward(pred, y) == pytest.approx(np.mean((pred.ravel() - y.ravel()) ** 2))
    numeric = numerical_gradient(lambda: loss.forward(pred, y), pred)
    loss.forward(pred, y)
    assert relative_error(loss.backward(), numeric) < 1e-7


def test_softmax_cross_entropy_is_stable_and_its_gradient_is_right():
    rng = np.random.default_rng(4)
    logits, y = rng.normal(size=(5, 3)), rng.integers(0, 3, size=5)
    loss = SoftmaxCrossEntropy()
    numeric = numerical_gradient(lambda: loss.forward(logits, y), logits)
    loss.forward(logits, y)
    assert relative_error(loss.backward(), numeric) < 1e-7
    extreme = np.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        value = loss.forward(extreme, np.array([1, 1]))
        grad = loss.backward()
    assert value == pytest.approx((2000 + np.log1p(np.exp(-1.0))) / 2)
    assert np.all(np.isfinite(grad))
    assert loss.forward(np.zeros((4, 10)), np.arange(4)) == pytest.approx(np.log(10))
    assert np.allclose(softmax(extreme).sum(axis=1), 1)
    one_hot = np.eye(3)[y]
    assert loss.forward(logits, one_hot) == pytest.approx(loss.forward(logits, y))


def test_clear_messages_for_wrong_shapes():
    with pytest.raises(ValueError, match=r"expects input of shape \(N, 4\).*\(3, 2, 2\)"):
        Linear(4, 2, 0).forward(np.zeros((3, 2, 2)))
    with pytest.raises(ValueError, match="same number of values"):
        MSELoss().forward(np.zeros((3, 1)), np.zeros(4))
    with pytest.raises(ValueError, match="class labels must lie in 0..2"):
        SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 3]))


def test_sgd_with_momentum_follows_the_update_rule_by_hand():
    model = OneParameter()
    opt = SGD(model, lr=0.1, momentum=0.9)
    theta, v = model.theta.copy(), np.zeros(2)
    for g in ([1.0, 2.0], [0.5, -1.0], [-2.0, 0.0]):
        model.grad[:] = g
        opt.step()
        v = 0.9 * v - 0.1 * np.array(g)
        theta = theta + v
        assert np.allclose(model.theta, theta)


def test_adam_follows_the_update_rule_by_hand():
    model = OneParameter()
    opt = Adam(model, lr=0.01)
    theta, m, v = model.theta.copy(), np.zeros(2), np.zeros(2)
    for t, g in enumerate(([1.0, 2.0], [0.5, -1.0], [-2.0, 0.0]), start=1):
        g = np.array(g)
        model.grad[:] = g
        opt.step()
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        theta = theta - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        assert np.allclose(model.theta, theta)


def test_training_the_reference_mlp_learns_xor():
    rng = np.random.default_rng(0)
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], float)
    y = np.array([[0], [1], [1], [0]], float)
    model = Sequential(Linear(2, 8, rng), Tanh(), Linear(8, 1, rng), Sigmoid())
    loss, opt = MSELoss(), Adam(None, lr=0.05)
    opt.model = model
    for _ in range(1500):
        loss.forward(model.forward(X), y)
        model.backward(loss.backward())
        opt.step()
    assert np.array_equal(model.forward(X).round(), y)


def test_float32_layers_stay_float32():
    model = Sequential(Linear(3, 4, 0, dtype=np.float32), ReLU(), Linear(4, 2, 1, dtype=np.float32))
    out = model.forward(np.ones((2, 3), np.float32))
    assert out.dtype == np.float32
    assert model.backward(np.ones_like(out)).dtype == np.float32


def test_gradient_error_is_robust_where_the_true_gradient_is_tiny():
    from helpers.gradcheck import gradient_error

    x = np.array([[6.0, -7.0, 0.5]])  # tanh saturates at ±6: 1 - tanh² is about 1e-5
    layer, dout = Tanh(), np.ones((1, 3))
    numeric = numerical_gradient(lambda: float(np.sum(layer.forward(x) * dout)), x)
    layer.forward(x)
    analytic = layer.backward(dout)
    assert gradient_error(analytic, numeric) < 1e-7
    assert gradient_error(2 * analytic, numeric) > 0.3  # a real mistake stays obvious
