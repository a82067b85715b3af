"""The package's reference layers, losses and optimisers against finite differences and the
update rules written out by hand."""

import numpy as np
import pytest
from checking import OneParameter

from helpers.gradcheck import module_gradient_report, numerical_gradient, relative_error, verdict
from helpers.losses import MSELoss, SoftmaxCrossEntropy, softmax
from helpers.nn import Linear, ReLU, Sequential, Sigmoid, Tanh, sigmoid
from helpers.optim import SGD, Adam, AdamW


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
    with pytest.raises(ValueError, match=r"\(3, 1\) and targets y of shape \(4,\) must have"):
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


# --- issue 16: edge cases ----------------------------------------------------------------


def test_mse_loss_refuses_a_target_that_only_has_the_same_number_of_values():
    pred, y = np.arange(6.0).reshape(2, 3), np.arange(6.0).reshape(3, 2)
    with pytest.raises(ValueError, match=r"\(2, 3\) and targets y of shape \(3, 2\)"):
        MSELoss().forward(pred, y)  # used to pair the elements wrongly and return 1.667
    with pytest.raises(ValueError, match="same shape"):
        MSELoss().forward(np.zeros((4, 2)), np.zeros(8))
    with pytest.raises(ValueError, match="same shape"):
        MSELoss().forward(np.zeros((4, 1)), np.zeros((1, 4)))
    # the one mismatch forgiven, either way round: (N,) against (N, 1)
    for p_shape, y_shape in [((5, 1), (5,)), ((5,), (5, 1))]:
        p, t = np.arange(5.0).reshape(p_shape), np.ones(5).reshape(y_shape)
        loss = MSELoss()
        assert loss.forward(p, t) == pytest.approx(np.mean((np.arange(5.0) - 1) ** 2))
        assert loss.backward().shape == p_shape


def test_mse_loss_gradient_keeps_the_prediction_dtype():
    loss = MSELoss()
    loss.forward(np.ones((4, 1), np.float32), np.zeros((4, 1)))  # float64 targets
    assert loss.backward().dtype == np.float32
    model = Sequential(Linear(3, 2, 0, dtype=np.float32))
    loss.forward(model.forward(np.ones((4, 3), np.float32)), np.zeros((4, 2)))
    model.backward(loss.backward())
    assert model[0].dW.dtype == np.float32 and model[0].db.dtype == np.float32


def test_softmax_cross_entropy_takes_probability_rows_as_they_are():
    logits = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]])
    soft = np.array([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]])
    loss = SoftmaxCrossEntropy()
    expected = -np.mean(np.sum(soft * np.log(softmax(logits)), axis=1))
    assert loss.forward(logits, soft) == pytest.approx(expected)  # argmax would say otherwise
    assert loss.forward(logits, soft) != pytest.approx(loss.forward(logits, soft.argmax(1)))
    loss.forward(logits, soft)
    numeric = numerical_gradient(lambda: loss.forward(logits, soft), logits)
    loss.forward(logits, soft)
    assert relative_error(loss.backward(), numeric) < 1e-7
    # issue 16's numbers: soft rows against argmax labels
    z = np.array([[2.0, 1.0, 0.1]])
    assert loss.forward(z, np.array([[0.5, 0.3, 0.2]])) == pytest.approx(
        -(0.5 * np.log(softmax(z)[0, 0]) + 0.3 * np.log(softmax(z)[0, 1])
          + 0.2 * np.log(softmax(z)[0, 2])))
    for bad, row in [(np.array([[0.5, 0.6, 0.0], [0, 0, 1]]), 0),
                     (np.array([[1.0, 0, 0], [1.5, -0.5, 0]]), 1)]:
        with pytest.raises(ValueError, match=f"probability rows.*row {row}"):
            loss.forward(logits, bad)


def test_softmax_cross_entropy_refuses_labels_that_are_not_whole_numbers():
    logits = np.zeros((2, 3))
    loss = SoftmaxCrossEntropy()
    for bad in ([2.9999, 1.0], [0.5, 1.0], [np.nan, 1.0], [np.inf, 0.0]):
        with pytest.raises(ValueError, match="whole numbers in 0..2"):
            loss.forward(logits, np.array(bad))  # 2.9999 used to become class 2
    with pytest.raises(ValueError, match="whole numbers"):
        loss.forward(logits, np.array([True, False]))
    assert loss.forward(logits, np.array([2.0, 1.0])) == pytest.approx(np.log(3))  # 2.0 is 2
    loss.forward(np.array([[0.0, 0.0, 5.0]]), np.array([2.0]))
    assert loss.backward()[0, 2] < 0


def test_relu_propagates_nan_like_np_maximum():
    relu = ReLU()
    out = relu.forward(np.array([[np.nan, -1.0, 2.0]], np.float32))
    assert np.isnan(out[0, 0]) and out[0, 1] == 0 and out[0, 2] == 2 and out.dtype == np.float32
    assert np.array_equal(relu.backward(np.ones((1, 3), np.float32)), [[0, 0, 1]])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_keeps_relative_accuracy_on_the_negative_side(dtype):
    x = np.array([-15.0, -20.0, -38.0, -50.0, -80.0], dtype)
    exact = np.exp(x.astype(np.float64)) / (1 + np.exp(x.astype(np.float64)))  # no overflow here
    for out in (sigmoid(x), Sigmoid().forward(x[None])[0]):
        assert out.dtype == dtype
        assert np.all(out > 0)  # 0.5 (1 + tanh(x/2)) gave exactly 0 below -20 (float32)
        assert np.allclose(out, exact, rtol=4 * np.finfo(dtype).eps, atol=0)
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # no exp overflows at ±1e4
        extreme = sigmoid(np.array([-1e4, -800.0, 0.0, 800.0, 1e4], dtype))
    assert np.array_equal(extreme, np.array([0.0, 0.0, 0.5, 1.0, 1.0], dtype))
    assert np.isnan(sigmoid(np.array([np.nan], dtype))[0])
    assert sigmoid(np.array([0, 1])).dtype == np.float64  # integers become float64


@pytest.mark.parametrize("layer", [Sigmoid, Tanh, ReLU])
def test_editing_a_layer_output_in_place_does_not_change_its_backward(layer):
    x = np.random.default_rng(5).normal(size=(4, 3))
    reference = layer()
    reference.forward(x)
    expected = reference.backward(np.ones((4, 3)))
    edited = layer()
    out = edited.forward(x)
    out *= 0.0  # the caller's business: the layer must not see it
    out += 7.0
    assert np.array_equal(edited.backward(np.ones((4, 3))), expected)


# --- weight decay ------------------------------------------------------------------------


def test_sgd_weight_decay_adds_lambda_theta_to_the_gradient():
    for momentum in (0.0, 0.9):
        model = OneParameter()
        opt = SGD(model, lr=0.1, momentum=momentum, weight_decay=0.01)
        theta, v = model.theta.copy(), np.zeros(2)
        for g in ([1.0, 2.0], [0.5, -1.0], [-2.0, 0.0]):
            model.grad[:] = g
            opt.step()
            v = momentum * v - 0.1 * (np.array(g) + 0.01 * theta)
            theta = theta + v
            assert np.allclose(model.theta, theta)
            assert np.array_equal(model.grad, g)  # the layer's gradient is not touched


def test_adam_weight_decay_is_l2_in_the_gradient_and_adamw_is_decoupled():
    grads = ([1.0, 2.0], [0.5, -1.0], [-2.0, 0.0])

    def by_hand(decoupled):
        theta, m, v = OneParameter().theta.copy(), np.zeros(2), np.zeros(2)
        for t, g in enumerate(grads, start=1):
            g = np.array(g)
            if decoupled:
                theta = theta * (1 - 0.01 * 0.1)
            else:
                g = g + 0.1 * theta
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g**2
            theta = theta - 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
        return theta

    results = {}
    for name, make in [("adam", Adam), ("adamw", AdamW)]:
        model = OneParameter()
        opt = make(model, lr=0.01, weight_decay=0.1)
        for g in grads:
            model.grad[:] = g
            opt.step()
            assert np.array_equal(model.grad, g)
        results[name] = model.theta.copy()
    assert np.allclose(results["adam"], by_hand(decoupled=False))
    assert np.allclose(results["adamw"], by_hand(decoupled=True))
    assert not np.allclose(results["adam"], results["adamw"])
    assert AdamW(OneParameter()).weight_decay == 0.01  # PyTorch's default


def test_weight_decay_must_not_be_negative():
    for make in (lambda m: SGD(m, lr=0.1, weight_decay=-1e-3),
                 lambda m: Adam(m, weight_decay=-1e-3)):
        with pytest.raises(ValueError, match="weight_decay must be 0 or positive; got -0.001"):
            make(OneParameter())


def test_backward_without_input_grad_sets_the_same_parameter_gradients():
    rng = np.random.default_rng(6)
    x, dout = rng.normal(size=(5, 4)), rng.normal(size=(5, 2))
    model = Sequential(Linear(4, 3, 1), Tanh(), Linear(3, 2, 2))
    model.forward(x)
    dx = model.backward(dout)
    full = [grad.copy() for _, grad in model.parameters()]
    model.forward(x)
    assert model.backward(dout, input_grad=False) is None  # the data's gradient is skipped
    assert all(np.array_equal(a, g) for a, (_, g) in zip(full, model.parameters(), strict=True))
    assert dx.shape == x.shape
    assert Sequential().backward(dout) is dout


def test_adam_keeps_no_subnormal_numbers_where_the_gradient_stops():
    model = OneParameter()
    model.theta = model.theta.astype(np.float32)
    model.grad = np.array([1e-3, 0.5], np.float32)
    opt = Adam(model, lr=1e-3)
    opt.step()
    model.grad[:] = 0  # a pixel blank from now on: m decays by 0.9 per step
    tiny = np.finfo(np.float32).tiny
    for _ in range(1000):
        opt.step()
        assert not np.any((opt.m[0] != 0) & (np.abs(opt.m[0]) < tiny)), opt.t
    assert np.all(opt.m[0] == 0)
