"""Notebook 04 checks: the reference and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import numpy as np
import pytest
from checking import assert_fails, assert_passes

from helpers import check, losses, nn

# --- Linear --------------------------------------------------------------------------------


class Linear:
    """A student's correct Linear, written without the package's Module."""

    def __init__(self, n_in, n_out, rng):
        self.W = rng.normal(0, np.sqrt(2 / (n_in + n_out)), size=(n_in, n_out))
        self.b = np.zeros(n_out)

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T

    def parameters(self):
        return [(self.W, self.dW), (self.b, self.db)]


class LinearHe(Linear):
    """Another initialisation, einsum gradients, and a generator of pairs."""

    def __init__(self, n_in, n_out, rng):
        self.W = rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)
        self.b = np.zeros(n_out)

    def backward(self, dout):
        self.dW = np.einsum("ni,no->io", self.x, dout)
        self.db = np.ones(len(dout)) @ dout
        return np.einsum("no,io->ni", dout, self.W)

    def parameters(self):
        yield self.W, self.dW
        yield self.b, self.db


class LinearCopiesInput(Linear):
    """Keeps a copy of its input: the check's finite differences must not confuse it."""

    def forward(self, x):
        self.x = x.copy()
        return x @ self.W + self.b


class LinearArrayOfInput(Linear):
    def forward(self, x):
        self.x = np.array(x)
        return self.x @ self.W + self.b


class LinearAstypeInput(Linear):
    def forward(self, x):
        self.x = x.astype(float)
        return self.x @ self.W + self.b


@pytest.mark.parametrize(
    "answer", [nn.Linear, Linear, LinearHe, LinearCopiesInput, LinearArrayOfInput,
               LinearAstypeInput])
def test_linear_accepts_correct_layers(answer, capsys):
    assert_passes(check.linear, answer, capsys)


class DWTransposed(Linear):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = dout.T @ self.x
        return dx


class DbMean(Linear):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout.mean(axis=0)
        return dx


class DxNotTransposed(Linear):
    def backward(self, dout):
        super().backward(dout)
        return dout @ self.W


class DWDividedByN(Linear):
    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = self.x.T @ dout / len(dout)
        return dx


class DbNotSummed(Linear):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout
        return dx


class DbSummedOverAll(Linear):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout.sum()
        return dx


class NoBias(Linear):
    def forward(self, x):
        self.x = x
        return x @ self.W


class Accumulates(Linear):
    def __init__(self, n_in, n_out, rng):
        super().__init__(n_in, n_out, rng)
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)

    def backward(self, dout):
        self.dW += self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class CopiesParameters(Linear):
    def parameters(self):
        return [(self.W.copy(), self.dW), (self.b.copy(), self.db)]


class ZeroInit(Linear):
    def __init__(self, n_in, n_out, rng):
        self.W, self.b = np.zeros((n_in, n_out)), np.zeros(n_out)


class GlobalRandom(Linear):
    def __init__(self, n_in, n_out, rng):
        self.W = np.random.normal(0, np.sqrt(2 / (n_in + n_out)), (n_in, n_out))  # noqa: NPY002
        self.b = np.zeros(n_out)


class UnitScale(Linear):
    def __init__(self, n_in, n_out, rng):
        self.W, self.b = rng.normal(size=(n_in, n_out)), np.zeros(n_out)


class WeightsTransposed(Linear):
    def __init__(self, n_in, n_out, rng):
        super().__init__(n_out, n_in, rng)


class NoReturn(Linear):
    def backward(self, dout):
        super().backward(dout)


class ForgetsInput(Linear):
    def forward(self, x):
        return x @ self.W + self.b


class WeightsRowsAreOutputs(Linear):
    """W of shape (n_out, n_in), as in W x + b."""

    def __init__(self, n_in, n_out, rng):
        self.W = rng.normal(0, np.sqrt(2 / (n_in + n_out)), size=(n_out, n_in))
        self.b = np.zeros(n_out)

    def forward(self, x):
        self.x = x
        return x @ self.W.T + self.b


class BiasRow(Linear):
    def __init__(self, n_in, n_out, rng):
        super().__init__(n_in, n_out, rng)
        self.b = np.zeros((1, n_out))


class ZerosOutputAndWeights(Linear):
    """Rewrites its own weights to zero and returns zeros: expected values are the
    check's own, so this cannot pass."""

    def forward(self, x):
        self.x = x
        self.W[...] = 0.0
        self.b[...] = 0.0
        return np.zeros((len(x), self.W.shape[1]))


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (DWTransposed, ["dW", "dW = dout.T @ x is the transpose"], "linear/dw-transposed-2"),
        (DbMean, ["db from", "averages"], "linear/db-mean"),
        (DxNotTransposed, ["dx from", "dx = dout @ W uses W where its transpose belongs"],
         "linear/dx-w-not-transposed"),
        (DWDividedByN, ["without dividing by N"], "linear/dw-divided-by-n"),
        (DbNotSummed, ["db has shape (6, 3)", "sum dout over the batch"], "linear/db-not-summed"),
        (DbSummedOverAll, ["db has shape ()", "axis=0"], "linear/db-summed-over-all"),
        (NoBias, ["bias is missing"], "linear/bias-missing"),
        (Accumulates, ["doubled", "not self.dW +="], "layer/gradient-accumulated"),
        (CopiesParameters, ["self.W itself", "in place"], "linear/parameters-copied"),
        (ZeroInit, ["same value", "at random"], "linear/weights-not-random"),
        (GlobalRandom, ["same seed", "`rng` argument"], "linear/rng-ignored"),
        (UnitScale, ["standard deviation", "sqrt(2 / (n_in + n_out))"], "linear/weight-scale"),
        (WeightsTransposed, ["shape (100, 200)", "x @ W + b", "(n_in, n_out)"],
         "linear/w-transposed"),
        (NoReturn, ["returned None", "dout @ W.T"], "linear/backward-returns-none"),
        (ForgetsInput, ["AttributeError", "forward must keep what backward needs", "self.x"],
         "layer/forward-keeps-nothing"),
        (WeightsRowsAreOutputs, ["W has shape (100, 200)", "x @ W + b", "(n_in, n_out)"],
         "linear/w-transposed"),
        (BiasRow, ["b has shape (1, 100)", "np.zeros(n_out)"], "linear/bias-2d"),
        (ZerosOutputAndWeights, ["forward(x) gave", "expected x @ W + b"], "unnamed"),
    ],
)
def test_linear_rejects_mistakes(answer, hints, mistake):
    assert_fails(check.linear, answer, *hints, mistake=mistake)


def test_linear_names_the_wrong_gradient_when_no_known_mistake_matches():
    class DWHalved(Linear):
        def backward(self, dout):
            dx = super().backward(dout)
            self.dW = self.dW / 2
            return dx

    assert_fails(check.linear, DWHalved, "dW from", "finite differences", "x.T @ dout")


# --- activation layers ---------------------------------------------------------------------


class Sigmoid(nn.Module):
    def forward(self, x):
        self.x = x
        return 1 / (1 + np.exp(-np.clip(x, -500, 500)))

    def backward(self, dout):
        s = self.forward(self.x)
        return dout * s * (1 - s)


class SigmoidUsesInput(nn.Sigmoid):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout * self.x * (1 - self.x)


class SigmoidNoDout(nn.Sigmoid):
    def backward(self, dout):
        return self.out * (1 - self.out)


class SigmoidOverflows(nn.Sigmoid):
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out


class SigmoidWithParameters(nn.Sigmoid):
    def parameters(self):
        return [(self.out, self.out)]


@pytest.mark.parametrize("answer", [nn.Sigmoid, Sigmoid])
def test_sigmoid_layer_accepts_correct_layers(answer, capsys):
    assert_passes(check.sigmoid_layer, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (SigmoidUsesInput, ["dx from Sigmoid.backward", "uses the OUTPUT"],
         "sigmoid_layer/input-for-output"),
        (SigmoidNoDout, ["multiply by dout"], "sigmoid_layer/dout-missing"),
        (SigmoidOverflows, ["warning", "0.5 * (1 + np.tanh(x / 2))"], "activation-layer/overflow"),
        (SigmoidWithParameters, ["no weights"], "layer/has-parameters"),
        (nn.Tanh, ["that is tanh"], "sigmoid_layer/tanh-instead"),
    ],
)
def test_sigmoid_layer_rejects_mistakes(answer, hints, mistake):
    assert_fails(check.sigmoid_layer, answer, *hints, mistake=mistake)


class Tanh(nn.Module):
    def forward(self, x):
        self.x = x
        return np.tanh(x)

    def backward(self, dout):
        return dout * (1 - np.tanh(self.x) ** 2)


class TanhUsesInput(nn.Tanh):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        return dout * (1 - self.x**2)


class TanhNotSquared(nn.Tanh):
    def backward(self, dout):
        return dout * (1 - self.out)


class TanhSigmoidDerivative(nn.Tanh):
    def backward(self, dout):
        return dout * self.out * (1 - self.out)


class TanhOverflows(nn.Tanh):
    def forward(self, x):
        self.out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
        return self.out


@pytest.mark.parametrize("answer", [nn.Tanh, Tanh])
def test_tanh_layer_accepts_correct_layers(answer, capsys):
    assert_passes(check.tanh_layer, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (TanhUsesInput, ["dx from Tanh.backward", "uses the OUTPUT"],
         "tanh_layer/input-for-output"),
        (TanhNotSquared, ["square the output"], "tanh_layer/not-squared"),
        (TanhSigmoidDerivative, ["sigmoid's derivative"], "tanh_layer/sigmoid-derivative"),
        (TanhOverflows, ["warning"], "activation-layer/overflow"),
        (nn.Sigmoid, ["that is the sigmoid"], "tanh_layer/sigmoid-instead"),
    ],
)
def test_tanh_layer_rejects_mistakes(answer, hints, mistake):
    assert_fails(check.tanh_layer, answer, *hints, mistake=mistake)


class ReLU(nn.Module):
    def forward(self, x):
        self.x = x
        return np.maximum(x, 0)

    def backward(self, dout):
        return np.where(self.x > 0, dout, 0.0)


class ReLUMaskFromDout(nn.ReLU):
    def backward(self, dout):
        return dout * (dout > 0)


class ReLUTimesOutput(ReLU):
    def backward(self, dout):
        return dout * np.maximum(self.x, 0)


class ReLUPassesEverything(nn.ReLU):
    def backward(self, dout):
        return dout


class ReLUInPlace(ReLU):
    def forward(self, x):
        self.x = x.copy()
        x[x < 0] = 0
        return x


@pytest.mark.parametrize("answer", [nn.ReLU, ReLU])
def test_relu_layer_accepts_correct_layers(answer, capsys):
    assert_passes(check.relu_layer, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (ReLUMaskFromDout, ["dx from ReLU.backward", "the mask comes from the INPUT"],
         "relu_layer/mask-from-dout"),
        (ReLUTimesOutput, ["not by the output"], "relu_layer/times-output"),
        (ReLUPassesEverything, ["zero the gradient where x <= 0"], "relu_layer/wrong-gradient"),
        (ReLUInPlace, ["changed its input", "in place"], "general/input-changed-in-place"),
    ],
)
def test_relu_layer_rejects_mistakes(answer, hints, mistake):
    assert_fails(check.relu_layer, answer, *hints, mistake=mistake)


def test_a_layer_without_parameters_method_is_told_to_inherit_module():
    class Bare:
        def forward(self, x):
            return np.maximum(x, 0)

        def backward(self, dout):
            return dout

    assert_fails(check.relu_layer, Bare, "no method `parameters`", "inherit from Module")


# --- MSELoss -------------------------------------------------------------------------------


class MSELoss:
    def forward(self, pred, y):
        self.pred, self.y = pred, y
        return np.sum((pred - y) ** 2) / pred.size

    def backward(self):
        return 2 * (self.pred - self.y) / self.pred.size


def _mse(backward=None, forward=None):
    class Wrong(MSELoss):
        pass

    if backward:
        Wrong.backward = lambda self: backward(self.pred - self.y)
    if forward:
        Wrong.forward = lambda self, pred, y: (
            setattr(self, "pred", pred) or setattr(self, "y", y) or forward(pred - y))
    return Wrong


@pytest.mark.parametrize("answer", [losses.MSELoss, MSELoss])
def test_mse_loss_accepts_correct_losses(answer, capsys):
    assert_passes(check.mse_loss, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (_mse(backward=lambda d: d), ["dpred from MSELoss()", "the 2/N is missing"],
         "mse_loss/dpred-2-n-missing"),
        (_mse(backward=lambda d: 2 * d), ["divide by the number of elements"],
         "mse_loss/dpred-n-missing"),
        (_mse(backward=lambda d: d / d.size), ["factor 2"], "mse_loss/dpred-2-missing"),
        (_mse(backward=lambda d: -2 * d / d.size), ["sign is flipped"], "mse_loss/dpred-sign"),
        (_mse(backward=lambda d: 2 * d / len(d)), ["pred.size"], "mse_loss/dpred-rows-only"),
        (_mse(forward=lambda d: np.sum(d**2)), ["np.mean, not np.sum"], "mse_loss/sum-not-mean"),
        (_mse(forward=lambda d: 0.5 * np.mean(d**2)), ["half the mean"], "mse_loss/halved"),
        (_mse(forward=lambda d: np.mean(d)), ["square the differences"], "mse_loss/not-squared"),
        (_mse(forward=lambda d: (d**2).mean(axis=0)), ["shape (1,)", "float(b) or b.item()"],
         "shape/number-expected"),
        (_mse(forward=lambda d: (d**2).mean(keepdims=True)),
         ["shape (1, 1)", "Return the number itself"], "shape/number-expected"),
    ],
)
def test_mse_loss_rejects_mistakes(answer, hints, mistake):
    assert_fails(check.mse_loss, answer, *hints, mistake=mistake)


# --- Sequential ----------------------------------------------------------------------------


class Sequential(nn.Module):
    def __init__(self, *layers):
        self.layers = layers

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout):
        for layer in self.layers[::-1]:
            dout = layer.backward(dout)
        return dout

    def parameters(self):
        return [pair for layer in self.layers for pair in layer.parameters()]


class BackwardInForwardOrder(Sequential):
    def backward(self, dout):
        for layer in self.layers:
            dout = layer.backward(dout)
        return dout


class ReturnInsideLoop(Sequential):
    def parameters(self):
        for layer in self.layers:
            return layer.parameters()


class ParametersOfLastLayer(Sequential):
    def parameters(self):
        params = []
        for layer in self.layers:
            params = list(layer.parameters())
        return params


class NestedParameters(Sequential):
    def parameters(self):
        return [layer.parameters() for layer in self.layers]


class ListOfLayers(Sequential):
    def __init__(self, layers):
        self.layers = layers


class ForgetsReturn(Sequential):
    def backward(self, dout):
        super().backward(dout)


class ReturnsInput(Sequential):
    def forward(self, x):
        for layer in self.layers:
            layer.forward(x)
        return x


class ZeroesItsLayers(Sequential):
    """Zeroes the weights of the layers it was given, then returns zeros: the expected
    output comes from the check's own copies, so this cannot pass."""

    def forward(self, x):
        for layer in self.layers:
            for param, _ in layer.parameters():
                param[...] = 0.0
        return super().forward(x)


@pytest.mark.parametrize("answer", [nn.Sequential, Sequential])
def test_sequential_accepts_correct_containers(answer, capsys):
    assert_passes(check.sequential, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (BackwardInForwardOrder, ["['backward A', 'backward B', 'backward C']", "reversed"],
         "sequential/backward-not-reversed"),
        (ReturnInsideLoop, ["missing: layer 2 (Linear(4, 2)).W", "a `return` inside the loop"],
         "sequential/layers-skipped"),
        (ParametersOfLastLayer, ["missing: layer 0 (Linear(3, 4)).W"], "sequential/layers-skipped"),
        (NestedParameters, ["expected (param, grad) pairs", "yield from"],
         "sequential/parameters-not-flat"),
        (ListOfLayers, ["separate arguments", "*layers"], "sequential/init-takes-list"),
        (ForgetsReturn, ["returned None"], "sequential/backward-returns-none"),
        (ReturnsInput, ["did not return the last layer's output"], "sequential/wrong-forward"),
        (ZeroesItsLayers, ["forward(x) gave"], "unnamed"),
    ],
)
def test_sequential_rejects_mistakes(answer, hints, mistake):
    assert_fails(check.sequential, answer, *hints, mistake=mistake)


# --- train ---------------------------------------------------------------------------------


def train(model, loss_fn, X, y, lr, epochs):
    history = []
    for _ in range(epochs):
        history.append(loss_fn.forward(model.forward(X), y))
        model.backward(loss_fn.backward())
        for param, grad in model.parameters():
            param -= lr * grad
    return history


def train_with_sgd(model, loss_fn, X, y, lr, epochs):
    from helpers.optim import SGD

    optimiser, history = SGD(model, lr), []
    for _ in range(epochs):
        loss = loss_fn.forward(model.forward(X), y)
        model.backward(loss_fn.backward())
        optimiser.step()
        history.append(loss)
    return np.array(history)


def _train(update=None, record_after=False, stale=False):
    def wrong(model, loss_fn, X, y, lr, epochs):
        history = []
        pairs = list(model.parameters())
        for _ in range(epochs):
            loss = loss_fn.forward(model.forward(X), y)
            model.backward(loss_fn.backward())
            for param, grad in pairs if stale else model.parameters():
                if update:
                    update(param, grad, lr)
                else:
                    param -= lr * grad
            history.append(loss_fn.forward(model.forward(X), y) if record_after else loss)
        return history

    return wrong


def _add(param, grad, lr):
    param += lr * grad


def _rebind(param, grad, lr):
    param = param - lr * grad  # noqa: F841 (the mistake: a new array nobody sees)


def _double(param, grad, lr):
    param -= 2 * lr * grad


def train_backward_from_loss(model, loss_fn, X, y, lr, epochs):
    history = []
    for _ in range(epochs):
        loss = loss_fn.forward(model.forward(X), y)
        model.backward(loss)
        for param, grad in model.parameters():
            param -= lr * grad
        history.append(loss)
    return history


@pytest.mark.parametrize("answer", [train, train_with_sgd])
def test_train_accepts_correct_loops(answer, capsys):
    assert_passes(check.train, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (_train(update=_add), ["the loss grows", "param -= lr * grad"], "train/climbs"),
        (_train(update=_rebind), ["never change", "in place"], "train/no-update"),
        (_train(stale=True), ["never change", "after each backward"], "train/no-update"),
        (_train(record_after=True), ["before its update"], "train/losses-shifted-by-one"),
        (_train(update=_double), ["no factor 2"], "train/factor-2"),
        (lambda model, loss_fn, X, y, lr, epochs: None, ["returned None"],
         "train/losses-not-a-list"),
        (lambda model, loss_fn, X, y, lr, epochs: train(model, loss_fn, X, y, lr, 1),
         ["1 losses; expected one per epoch, 6"], "train/loss-count"),
        (train_backward_from_loss, ["model.backward with a single number",
                                    "model.backward(loss_fn.backward())"],
                                     "train/backward-from-loss-value"),
    ],
)
def test_train_rejects_mistakes(answer, hints, mistake):
    assert_fails(check.train, answer, *hints, mistake=mistake)


def train_then_fake_the_model(model, loss_fn, X, y, lr, epochs):
    """Trains a copy, then makes the given model answer with the trained copy's outputs:
    the check reads the model's weights on its own copy, so this cannot pass."""
    import copy

    trained = copy.deepcopy(model)
    history = train(trained, loss_fn, X, y, lr, epochs)
    model.forward = trained.forward
    return history


def test_train_is_judged_on_the_models_weights_not_its_methods():
    assert_fails(check.train, train_then_fake_the_model, "was not the one trained")


def test_train_must_train_the_model_it_was_given():
    import copy

    def trains_a_copy(model, loss_fn, X, y, lr, epochs):
        return train(copy.deepcopy(model), loss_fn, X, y, lr, epochs)

    assert_fails(check.train, trains_a_copy, "not the one trained")


# --- a wrong gradient that no known mistake gives: the generic hint, with its own id --------


class SigmoidBackwardOff(Sigmoid):
    def backward(self, dout):
        return 1.1 * super().backward(dout)


class TanhBackwardOff(Tanh):
    def backward(self, dout):
        return 1.1 * super().backward(dout)


class ReLUBackwardOff(ReLU):
    def backward(self, dout):
        return 1.1 * super().backward(dout)


class MSELossBackwardOff(MSELoss):
    def backward(self):
        return 1.1 * super().backward()


@pytest.mark.parametrize("exercise, answer, hint, mistake", [
    ("sigmoid_layer", SigmoidBackwardOff, "dx = dout * a * (1 − a)",
     "sigmoid_layer/wrong-backward"),
    ("tanh_layer", TanhBackwardOff, "dx = dout * (1 − a**2)", "tanh_layer/wrong-backward"),
    ("relu_layer", ReLUBackwardOff, "dx = dout * (x > 0)", "relu_layer/wrong-backward"),
    ("mse_loss", MSELossBackwardOff, "dpred = 2 * (pred − y) / N", "mse_loss/wrong-dpred"),
])
def test_a_gradient_off_by_ten_percent_gets_the_formula(exercise, answer, hint, mistake):
    assert_fails(getattr(check, exercise), answer, hint, mistake=mistake)
