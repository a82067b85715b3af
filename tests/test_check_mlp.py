"""Notebook 04 checks: the reference and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import inspect
import textwrap

import numpy as np
import pytest
from checking import assert_fails, assert_passes, own_copy

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


class LinearUniform(Linear):
    """Glorot's uniform form (same spread), einsum gradients, and a generator of pairs."""

    def __init__(self, n_in, n_out, rng):
        limit = np.sqrt(6 / (n_in + n_out))
        self.W = rng.uniform(-limit, limit, size=(n_in, n_out))
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
    "answer", [own_copy(nn.Linear), Linear, LinearUniform, LinearCopiesInput, LinearArrayOfInput,
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


class DbWrongAxis(Linear):
    def backward(self, dout):
        dx = super().backward(dout)
        self.db = dout.sum(axis=1)
        return dx


class DWElementwise(Linear):
    """`*` for `@`: numpy cannot even broadcast (N, n_in).T against (N, n_out)."""

    def backward(self, dout):
        dx = super().backward(dout)
        self.dW = self.x.T * dout
        return dx


class ForwardChangesInput(Linear):
    def forward(self, x):
        self.x = x
        x += 0.0 * x + 1e-3  # the student "centres" the input in place
        return x @ self.W + self.b


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


class StaleParameterList(Linear):
    def __init__(self, n_in, n_out, rng):
        super().__init__(n_in, n_out, rng)
        self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        self.pairs = [(self.W, self.dW), (self.b, self.db)]  # made before any backward

    def parameters(self):
        return self.pairs


class PairsSwapped(Linear):
    def parameters(self):
        return [(self.W, self.db), (self.b, self.dW)]


class HeInit(Linear):
    def __init__(self, n_in, n_out, rng):
        super().__init__(n_in, n_out, rng)
        self.W = rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)


class FanOutInit(Linear):
    def __init__(self, n_in, n_out, rng):
        super().__init__(n_in, n_out, rng)
        self.W = rng.normal(0, np.sqrt(2 / n_out), size=(n_in, n_out))


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
        (DWTransposed, ["dW from", "the transpose of the right one"], "linear/dw-transposed-2"),
        (DbMean, ["db from", "N times too small", "averaged"], "linear/db-mean"),
        (DxNotTransposed, ["dx from", "where W transposed belongs"],
         "linear/dx-w-not-transposed"),
        (DWDividedByN, ["N times too small", "inside dout"], "linear/dw-divided-by-n"),
        (DbNotSummed, ["db has shape (6, 3)", "one row per sample"], "linear/db-not-summed"),
        (DbSummedOverAll, ["db has shape ()", "summed over the outputs too"],
         "linear/db-summed-over-all"),
        (NoBias, ["bias is missing"], "linear/bias-missing"),
        (DbWrongAxis, ["db has shape (6,)", "one entry per sample"], "linear/db-summed-over-all"),
        (DWElementwise, ["ValueError", "broadcast"], "error/broadcast-shapes"),
        (ForwardChangesInput, ["changed its input", "in place"],
         "general/input-changed-in-place"),
        (Accumulates, ["doubled", "it does not add to it"], "layer/gradient-accumulated"),
        (CopiesParameters, ["self.W itself", "in place"], "linear/parameters-copied"),
        (ZeroInit, ["same value", "at random"], "linear/weights-not-random"),
        (GlobalRandom, ["same seed", "`rng` argument"], "linear/rng-ignored"),
        (UnitScale, ["standard deviation", "sqrt(2 / (n_in + n_out))", "spread"],
         "linear/weight-scale"),
        (StaleParameterList, ["not the layer's current self.dW", "made once",
                              "at the moment it is called"], "linear/parameters-stale"),
        (PairsSwapped, ["pairs self.W with self.db"], "linear/parameters-not-pairs"),
        (HeInit, ["standard deviation 0.14", "sqrt(2 / n_in)", "He initialisation"],
         "linear/he-init"),
        (FanOutInit, ["standard deviation 0.08", "1.15 times", "spread"],
         "linear/weight-scale"),
        (WeightsTransposed, ["shape (300, 100)", "x @ W + b", "(n_in, n_out)"],
         "linear/w-transposed"),
        (NoReturn, ["returned None", "the shape of x"], "linear/backward-returns-none"),
        (ForgetsInput, ["AttributeError", "forward must keep what backward needs", "self.x"],
         "layer/forward-keeps-nothing"),
        (WeightsRowsAreOutputs, ["W has shape (300, 100)", "x @ W + b", "(n_in, n_out)"],
         "linear/w-transposed"),
        (BiasRow, ["b has shape (1, 300)", "a (1, n_out) row"], "linear/bias-2d"),
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

    assert_fails(check.linear, DWHalved, "dW from", "finite differences", "DL_DW_ONE_SAMPLE",
                 mistake="linear/dw-wrong")


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


class SigmoidTanhSlope(nn.Sigmoid):
    def backward(self, dout):
        return dout * (1 - self.out**2)


class SigmoidOverflows(nn.Sigmoid):
    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out


class SigmoidMatmul(nn.Sigmoid):
    """`@` for `*`: (N, D) @ (N, D) does not fit."""

    def backward(self, dout):
        return dout @ (self.out * (1 - self.out))


class SigmoidWithParameters(nn.Sigmoid):
    def parameters(self):
        return [(self.out, self.out)]


@pytest.mark.parametrize("answer", [own_copy(nn.Sigmoid), Sigmoid])
def test_sigmoid_layer_accepts_correct_layers(answer, capsys):
    assert_passes(check.sigmoid_layer, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (SigmoidUsesInput, ["dx from Sigmoid.backward", "from the INPUT x"],
         "sigmoid_layer/input-for-output"),
        (SigmoidNoDout, ["the local slope alone", "dout"], "sigmoid_layer/dout-missing"),
        (SigmoidOverflows, ["warning", "e^1000 is beyond"], "activation-layer/overflow"),
        (SigmoidTanhSlope, ["your slope is tanh's", "1/4"], "sigmoid_layer/tanh-slope"),
        (SigmoidWithParameters, ["no weights"], "layer/has-parameters"),
        (SigmoidMatmul, ["ValueError", "matmul"], "error/matmul-shapes"),
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


@pytest.mark.parametrize("answer", [own_copy(nn.Tanh), Tanh])
def test_tanh_layer_accepts_correct_layers(answer, capsys):
    assert_passes(check.tanh_layer, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (TanhUsesInput, ["dx from Tanh.backward", "from the INPUT x"],
         "tanh_layer/input-for-output"),
        (TanhNotSquared, ["linear in the output"], "tanh_layer/not-squared"),
        (TanhSigmoidDerivative, ["sigmoid's slope"], "tanh_layer/sigmoid-derivative"),
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


class ReLUMaskInverted(ReLU):
    def backward(self, dout):
        return np.where(self.x < 0, dout, 0.0)


class ReLUInPlace(ReLU):
    def forward(self, x):
        self.x = x.copy()
        x[x < 0] = 0
        return x


@pytest.mark.parametrize("answer", [own_copy(nn.ReLU), ReLU])
def test_relu_layer_accepts_correct_layers(answer, capsys):
    assert_passes(check.relu_layer, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (ReLUMaskFromDout, ["dx from ReLU.backward", "your mask comes from dout", "INPUT"],
         "relu_layer/mask-from-dout"),
        (ReLUTimesOutput, ["dout times the output"], "relu_layer/times-output"),
        (ReLUPassesEverything, ["passes dout everywhere"], "relu_layer/wrong-gradient"),
        (ReLUMaskInverted, ["where the input was negative", "inverted"],
         "relu_layer/mask-inverted"),
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


@pytest.mark.parametrize("answer", [own_copy(losses.MSELoss), MSELoss])
def test_mse_loss_accepts_correct_losses(answer, capsys):
    assert_passes(check.mse_loss, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (_mse(backward=lambda d: d), ["dpred from MSELoss()", "pred − y itself"],
         "mse_loss/dpred-2-n-missing"),
        (_mse(backward=lambda d: 2 * d), ["too large", "the mean divides every term"],
         "mse_loss/dpred-n-missing"),
        (_mse(backward=lambda d: d / d.size), ["half of what it should be"],
         "mse_loss/dpred-2-missing"),
        (_mse(backward=lambda d: -2 * d / d.size), ["wrong sign"], "mse_loss/dpred-sign"),
        (_mse(backward=lambda d: 2 * d / len(d)), ["not only the rows"],
         "mse_loss/dpred-rows-only"),
        (_mse(forward=lambda d: np.sum(d**2)), ["total of the squared errors", "3 times too large"],
         "mse_loss/sum-not-mean"),
        (_mse(forward=lambda d: 0.5 * np.mean(d**2)), ["half the mean"], "mse_loss/halved"),
        (_mse(forward=lambda d: np.mean(d)), ["unsquared"], "mse_loss/not-squared"),
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


@pytest.mark.parametrize("answer", [own_copy(nn.Sequential), Sequential])
def test_sequential_accepts_correct_containers(answer, capsys):
    assert_passes(check.sequential, answer, capsys)


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (BackwardInForwardOrder, ["['backward A', 'backward B', 'backward C']",
                                  "last layer to the first"],
         "sequential/backward-not-reversed"),
        (ReturnInsideLoop, ["missing: layer 2 (Linear(4, 2)).W", "a `return` inside the loop"],
         "sequential/layers-skipped"),
        (ParametersOfLastLayer, ["missing: layer 0 (Linear(3, 4)).W"], "sequential/layers-skipped"),
        (NestedParameters, ["expected (param, grad) pairs", "whole collections"],
         "sequential/parameters-not-flat"),
        (ListOfLayers, ["separate arguments", "takes one list"], "sequential/init-takes-list"),
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


@pytest.mark.parametrize("answer", [train])
def test_train_accepts_correct_loops(answer, capsys):
    assert_passes(check.train, answer, capsys)


def _as_cell(fn, name: str) -> tuple[str, tuple[str, ...]]:
    """The cell a student would have written ``fn`` in, named as the exercise asks, for the
    grader, which reads what an answer borrows from its cell."""
    source = textwrap.dedent(inspect.getsource(fn)).replace(f"def {fn.__name__}(", f"def {name}(")
    return source, ()


def test_train_that_imports_the_packages_sgd_in_its_body_borrows_it():
    """The package's SGD.step is the update this exercise teaches, imported where it is used."""
    assert_fails(check.train, train_with_sgd, "your train uses the package's optim.SGD",
                 mistake="general/borrowed-reference", cell=_as_cell(train_with_sgd, "train"))


def test_gradient_errors_that_imports_the_packages_report_in_its_body_borrows_it():
    assert_fails(check.gradient_errors, gradient_errors_from_the_package_report,
                 "your gradient_errors uses the package's gradcheck.module_gradient_report",
                 mistake="general/borrowed-reference",
                 cell=_as_cell(gradient_errors_from_the_package_report, "gradient_errors"))


@pytest.mark.parametrize(
    "answer, hints, mistake",
    [
        (_train(update=_add), ["the loss grows", "uphill"], "train/climbs"),
        (_train(update=_rebind), ["never change", "started with"], "train/no-update"),
        (_train(stale=True), ["never change", "stale"], "train/no-update"),
        (_train(record_after=True), ["one epoch late", "before its update"],
         "train/losses-shifted-by-one"),
        (_train(update=_double), ["twice lr times the gradient"], "train/factor-2"),
        (lambda model, loss_fn, X, y, lr, epochs: None, ["returned None"],
         "train/losses-not-a-list"),
        (lambda model, loss_fn, X, y, lr, epochs: train(model, loss_fn, X, y, lr, 1),
         ["1 losses; expected one per epoch, 6"], "train/loss-count"),
        (train_backward_from_loss, ["model.backward with a single number", "loss's gradient"],
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
    ("sigmoid_layer", SigmoidBackwardOff, "the σ' of notebook 03", "sigmoid_layer/wrong-backward"),
    ("tanh_layer", TanhBackwardOff, "the tanh' of notebook 03", "tanh_layer/wrong-backward"),
    ("relu_layer", ReLUBackwardOff, "the ReLU's slope", "relu_layer/wrong-backward"),
    ("mse_loss", MSELossBackwardOff, "one element first", "mse_loss/wrong-dpred"),
])
def test_a_gradient_off_by_ten_percent_names_what_is_off_without_the_formula(
        exercise, answer, hint, mistake):
    failure = assert_fails(getattr(check, exercise), answer, hint, mistake=mistake)
    assert not any(form in failure.plain for form in ("a * (1", "1 − a**2", "(x > 0)", "2 * ("))


# --- issue 23: right values that warn pass with a note; only the sigmoid's forbids it --------


class TanhThroughCosh(nn.Tanh):
    def backward(self, dout):
        return dout / np.cosh(np.arctanh(np.clip(self.out, -1 + 1e-16, 1 - 1e-16))) ** 2


class TanhCoshOfInput(nn.Module):
    """tanh' = 1 / cosh²(x): cosh overflows at ±1000, and 1 / inf is the right 0."""

    def forward(self, x):
        self.x = x
        return np.tanh(x)

    def backward(self, dout):
        return dout / np.cosh(self.x) ** 2


class TanhExpForward(nn.Tanh):
    """tanh through exp: inf / inf = nan at ±1000, a wrong value that also warned."""

    def forward(self, x):
        self.out = (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))
        return self.out


class SigmoidNaiveButClipped(nn.Sigmoid):
    """Right values everywhere, but np.exp(-x) overflows at x = -1000: the text forbids it."""

    def forward(self, x):
        with np.errstate(over="warn"):
            self.out = 1 / (1 + np.exp(-x))
        return self.out


def test_a_right_tanh_layer_through_cosh_passes_with_a_note(capsys):
    assert_passes(check.tanh_layer, TanhCoshOfInput, capsys, warned="overflow")


def test_a_tanh_forward_through_exp_fails_and_names_the_overflow():
    assert_fails(check.tanh_layer, TanhExpForward, "not every value is finite", "warning",
                 "np.exp of a large number overflows", mistake="activation-layer/overflow")


def test_the_sigmoid_layer_still_forbids_the_overflow_warning():
    assert_fails(check.sigmoid_layer, SigmoidNaiveButClipped, "raised a warning",
                 mistake="activation-layer/overflow")


# --- the derivation steps of Linear: one sample, the batch, the matrix ------------------------

X1, W1, D1 = check.mlp.ONE_SAMPLE["x"], check.mlp.ONE_SAMPLE["W"], check.mlp.ONE_SAMPLE["dout"]
XB, DB = check.mlp.BATCH["X"], check.mlp.BATCH["DOUT"]


@pytest.mark.parametrize("answer", [6, 6.0, np.float64(6.0), np.array(6.0), X1[1] * D1[2],
                                    np.outer(X1, D1)[1, 2]])
def test_dl_dw_one_sample_accepts_the_right_number(answer, capsys):
    assert_passes(check.dl_dw_one_sample, answer, capsys)


@pytest.mark.parametrize("answer, mistake", [
    (3.0, "dl_dw_one_sample/x-missing"),
    (2.0, "dl_dw_one_sample/dout-missing"),
    (5.0, "dl_dw_one_sample/summed-over-outputs"),
    (18.0, "dl_dw_one_sample/summed-over-inputs"),
    (-4.0, "dl_dw_one_sample/one-based"),
    (12.0, "dl_dw_one_sample/wrong-input"),  # x[0] where x[1] belongs: no longer dout[2]
    (0.0, "dl_dw_one_sample/weight-for-input"),
    (-6.0, "dl_dw_one_sample/wrong"),
    (np.array([6.0]), "shape/number-expected"),
    ("6", "mlp-question/not-a-number"),
])
def test_dl_dw_one_sample_names_each_wrong_number(answer, mistake):
    failure = assert_fails(check.dl_dw_one_sample, answer, mistake=mistake)
    if isinstance(answer, float):  # a wrong number is told so, never the right one
        assert "expected" not in failure.message and "6" not in failure.hint


@pytest.mark.parametrize("answer", [-2.5, W1[0] @ D1, (D1 @ W1.T)[0]])
def test_dl_dx_one_sample_accepts_the_right_number(answer, capsys):
    assert_passes(check.dl_dx_one_sample, answer, capsys)


@pytest.mark.parametrize("answer, mistake", [
    (-1.5, "dl_dx_one_sample/column-for-row"),
    (0.5, "dl_dx_one_sample/one-output"),
    (0.0, "dl_dx_one_sample/dout-missing"),
    (10.0, "dl_dx_one_sample/input-for-weight"),
    (-3.5, "dl_dx_one_sample/wrong"),
])
def test_dl_dx_one_sample_names_each_wrong_number(answer, mistake):
    assert_fails(check.dl_dx_one_sample, answer, mistake=mistake)


@pytest.mark.parametrize("answer", [7, (XB.T @ DB)[1, 2], np.sum(XB[:, 1] * DB[:, 2])])
def test_dl_dw_batch_accepts_the_right_number(answer, capsys):
    assert_passes(check.dl_dw_batch, answer, capsys)


@pytest.mark.parametrize("answer, mistake", [
    (3.5, "dl_dw_batch/averaged"),
    (6.0, "dl_dw_batch/one-sample"),
    (1.0, "dl_dw_batch/one-sample"),
    (2.0, "dl_dw_batch/sums-multiplied"),
    (5.0, "dl_dw_batch/wrong"),
])
def test_dl_dw_batch_names_each_wrong_number(answer, mistake):
    assert_fails(check.dl_dw_batch, answer, mistake=mistake)


@pytest.mark.parametrize("answer", [
    XB.T @ DB, np.einsum("ni,nj->ij", XB, DB),
    sum(np.outer(x, d) for x, d in zip(XB, DB, strict=True)),
    [[8.0, -1.0, 9.0], [-1.0, -3.0, 7.0]], (DB.T @ XB).T,
])
def test_dw_batch_accepts_the_right_array(answer, capsys):
    assert_passes(check.dw_batch, answer, capsys)


@pytest.mark.parametrize("answer, fragments, mistake", [
    (DB.T @ XB, ["shape (3, 2)", "W's shape transposed"], "dw_batch/transposed"),
    (XB @ DB, ["only because X_two is square", "DL_DW_BATCH"], "dw_batch/x-not-transposed"),
    ((DB.T @ XB.T).T, ["only because X_two is square"], "dw_batch/x-not-transposed"),
    (XB.T @ DB / 2, ["entries"], "dw_batch/averaged"),
    (np.outer(XB[0], DB[0]), ["first sample's terms"], "dw_batch/one-sample"),
    (np.outer(XB.sum(0), DB.sum(0)), ["multiplied the sum"], "dw_batch/sums-multiplied"),
    (XB.T @ DB + np.array([[0, 0, 0], [0, 0, 1.0]]), ["entries [1, 2] differ", "DL_DW_BATCH"],
     "dw_batch/wrong"),
    (XB @ DB[:, :2], ["shape (2, 2)"], None),
])
def test_dw_batch_names_each_wrong_array(answer, fragments, mistake):
    failure = assert_fails(check.dw_batch, answer, *fragments, mistake=mistake)
    assert check.mlp.fmt(XB.T @ DB) not in failure.plain  # the right array is never printed


@pytest.mark.parametrize("answer", [
    DB @ W1.T, (W1 @ DB.T).T, np.einsum("nj,ij->ni", DB, W1), [[-2.5, 0.0], [3.0, 5.0]],
    np.array([DB[n] @ W1[i] for n in range(2) for i in range(2)]).reshape(2, 2),
])
def test_dx_batch_accepts_the_right_array(answer, capsys):
    assert_passes(check.dx_batch, answer, capsys)


@pytest.mark.parametrize("answer, fragments, mistake", [
    (W1 @ DB.T, ["entries [0, 1], [1, 0] differ", "only because the batch has as many",
                 "row n of X"], "dx_batch/samples-along-columns"),
    (DB @ W1.T / 2, ["N times too small"], "dx_batch/averaged"),
    (np.tile((DB @ W1.T).sum(0), (2, 1)), ["sum of the samples' rows"],
     "dx_batch/summed-over-samples"),
    (DB[:, :2] @ W1[:, :2], ["columns of W", "DL_DX_ONE_SAMPLE"], "dx_batch/column-for-row"),
    (DB @ W1.T + np.array([[0, 0], [0, 1.0]]), ["entries [1, 1] differ", "DL_DX_ONE_SAMPLE"],
     "dx_batch/wrong"),
    (DB @ W1.T @ np.ones((2, 3)), ["shape (2, 3)"], None),
])
def test_dx_batch_names_each_wrong_array(answer, fragments, mistake):
    failure = assert_fails(check.dx_batch, answer, *fragments, mistake=mistake)
    assert check.mlp.fmt(DB @ W1.T) not in failure.plain  # the right array is never printed


def test_the_notebook_asks_with_the_checks_numbers():
    """The arrays the notebook's cells define are the ones its checks use."""
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[1] / "solutions" / "04_mlp.ipynb")
                    .read_text(encoding="utf-8"))
    namespace = {"np": np}
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "code" and text.startswith(("x_one = ", "X_two = ")):
            exec(text.split("# BEGIN SOLUTION")[0], namespace)  # the given arrays
    for name, want in [("x_one", X1), ("W_one", W1), ("dout_one", D1), ("X_two", XB),
                       ("DOUT_two", DB)]:
        np.testing.assert_array_equal(namespace[name], want)
    # with an entry of x equal to 1, x[0] * dout[2] (the wrong input) reads as "x forgotten"
    assert not np.any(X1 == 1) and X1[0] * D1[2] != D1[2]


def _solution_cells():
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).resolve().parents[1] / "solutions" / "04_mlp.ipynb")
                    .read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in nb["cells"] if cell["cell_type"] == "code"]


def test_the_package_gradient_report_arrives_after_the_students_own():
    """module_gradient_report answers gradient_errors for a Linear: the notebook brings it in
    only below gradient_errors' check."""
    cells = _solution_cells()
    check_cell = next(i for i, text in enumerate(cells) if "check.gradient_errors(" in text)
    assert not any("module_gradient_report" in text for text in cells[:check_cell])
    assert any("import module_gradient_report" in text for text in cells[check_cell:])


# --- predict, then run ---------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["b", "B", " b ", "(b)"])
def test_predict_xor_linear_accepts_b(answer, capsys):
    assert_passes(check.predict_xor_linear, answer, capsys)


@pytest.mark.parametrize("answer, mistake", [
    ("a", "predict_xor_linear/learns-slowly"),
    ("c", "predict_xor_linear/three-corners"),
    ("d", "predict_xor_linear/diverges"),
    ("e", "mlp-question/not-a-choice"),
    (2, "mlp-question/not-a-choice"),
])
def test_predict_xor_linear_names_each_misconception(answer, mistake):
    assert_fails(check.predict_xor_linear, answer, mistake=mistake)


def test_the_xor_run_agrees_with_the_checked_prediction():
    from helpers.experiments import mlp

    check.predict_xor_linear("b")
    runs = mlp.xor_with_and_without_activation(n_hidden=4, lr=2.0, epochs=1000)
    assert mlp.undecided_corners(runs["no activation"].outputs, tolerance=0.01) == 4


@pytest.mark.parametrize("answer", ["b", "B", "(b)", " b "])
def test_predict_lr_diverges_accepts_b(answer, capsys):
    assert_passes(check.predict_lr_diverges, answer, capsys)


@pytest.mark.parametrize("answer, fragments, mistake", [
    ("a", ["you chose (a)", "short enough"], "predict_lr_diverges/always-downhill"),
    ("c", ["you chose (c)", "lr = 0.1", "overshooting is not diverging"],
     "predict_lr_diverges/overshoot-is-divergence"),
    ("d", ["you chose (d)", "cannot overshoot"], "predict_lr_diverges/small-steps-diverge"),
    ("0.4", ["expected one of the letters"], "mlp-question/not-a-choice"),
    (0.4, ["expected one of the letters"], "mlp-question/not-a-choice"),
])
def test_predict_lr_diverges_names_each_misconception(answer, fragments, mistake):
    assert_fails(check.predict_lr_diverges, answer, *fragments, mistake=mistake)


def test_the_learning_rate_run_agrees_with_the_checked_prediction():
    """The notebook's cell after the prediction: only lr = 0.4 ends above its start, as the
    curvature printed before the question says (only 0.4 is past 2 / h)."""
    from helpers.experiments import mlp

    check.predict_lr_diverges("b")
    runs = mlp.learning_rate_runs(lrs=(0.02, 0.1, 0.4), epochs=100)
    assert mlp.diverging_rates() == (0.4,)
    assert not np.isfinite(runs[0.4][-1]) or runs[0.4][-1] > 1e100
    assert runs[0.1][-1] < runs[0.1][0] / 7 and runs[0.02][-1] > runs[0.02][0] / 2
    limit = 2 / mlp.sharpest_curvature()
    assert tuple(lr for lr in mlp.SECTION_7_RATES if lr > limit) == mlp.diverging_rates()
    # (c)'s misconception is real: 0.1 is past 1 / h, where a step overshoots
    assert limit / 2 < 0.1 < limit


@pytest.mark.parametrize("answer", [4, 5, 6, np.int64(5)])
def test_predict_sigmoid_depth_accepts_one_layer_either_side(answer, capsys):
    assert_passes(check.predict_sigmoid_depth, answer, capsys)


@pytest.mark.parametrize("answer, mistake", [
    (1, "predict_sigmoid_depth/too-few"),
    (2, "predict_sigmoid_depth/too-few"),
    (3, "predict_sigmoid_depth/weights-shrink"),  # slope 1/4 times a weight's 1/4: 1/16
    (7, "predict_sigmoid_depth/too-many"),
    (9, "predict_sigmoid_depth/too-many"),
    (10, "predict_sigmoid_depth/no-vanishing"),
    (20, "predict_sigmoid_depth/no-vanishing"),
    (0, "predict_sigmoid_depth/not-a-depth"),
    (3.5, "predict_sigmoid_depth/not-a-depth"),
    (True, "predict_sigmoid_depth/not-a-depth"),
])
def test_predict_sigmoid_depth_names_each_misconception(answer, mistake):
    assert_fails(check.predict_sigmoid_depth, answer, mistake=mistake)


def test_the_depth_run_agrees_with_what_the_student_can_reason():
    """Round 3: the question asked before the run is answered by the per-layer reasoning of
    the hints (the sigmoid's slope, Glorot's weights keeping the size), and the run agrees."""
    from helpers import data, losses, nn
    from helpers.experiments import mlp

    reaching = mlp.gradient_reaching_layers(depth=10)
    n = mlp.fewest_layers_down(reaching, 1e-3)
    assert n == 5 and 4 ** (n - 1) < 1000 < 4 ** n  # the worked answer's 4^4 < 1000 < 4^5
    ratios = [reaching[-1 - k] / reaching[-1] for k in range(1, len(reaching))]
    assert all(a > b for a, b in zip(ratios, ratios[1:], strict=False))  # it falls steadily
    factors = [reaching[j] / reaching[j + 1] for j in range(len(reaching) - 1)]
    # the cell's "0.17 to 0.28", "mostly a little under 1/4"
    assert (round(min(factors), 2), round(max(factors), 2)) == (0.17, 0.28)
    assert sum(f < 0.25 for f in factors) > len(factors) / 2
    # "Glorot's weights roughly keep its size": each factor is near that layer's mean slope
    X, y = data.circles(200, 0.1, rng=0)
    net = mlp.deep_net(nn.Sigmoid, np.random.default_rng(0), 10, 16)
    loss_fn = losses.MSELoss()
    loss_fn.forward(net.forward(X), y.reshape(-1, 1).astype(float))
    slopes = [float(np.mean(layer.out * (1 - layer.out))) for layer in net.layers
              if isinstance(layer, nn.Sigmoid)]
    assert all(s <= 0.25 for s in slopes)
    for j, factor in enumerate(factors):  # layer j + 1 down to layer j: layer j's slope
        assert 0.7 < factor / slopes[j] < 1.3, (j, factor, slopes[j])
    # the check's accepted range is the run's count, one layer either side
    for answer in (n - 1, n, n + 1):
        check.predict_sigmoid_depth(answer)


# --- gradient_errors: the student's own gradient check --------------------------------------


def relative_error(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


def _gradient_errors(relative=relative_error, central=True, order=1, restore=True, loss="dout",
                     h=1e-5, nudge_copy=False, backward_side=False):
    def numeric(f, a):
        grad = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            old = a[i]
            a[i] = old + (-h if backward_side else h)
            up = f()
            a[i] = old - h if central else old
            down = f()
            if restore:
                a[i] = old
            grad[i] = (up - down) / ((2 if central else -1 if backward_side else 1) * h)
        return grad

    def gradient_errors(layer, x, dout):
        x = np.array(x, dtype=float)
        layer.forward(x)
        dx = np.array(layer.backward(dout), dtype=float)
        grads = [np.array(g, dtype=float) for _, g in layer.parameters()]

        def f():
            out = layer.forward(x)
            losses = {"dout": np.sum(out * dout), "sum": np.sum(out), "mean": np.mean(out * dout)}
            return losses[loss]

        errors = [relative(dx, numeric(f, x.copy() if nudge_copy else x))]
        errors += [relative(g, numeric(f, p))
                   for (p, _), g in zip(layer.parameters(), grads, strict=True)]
        return errors if order == 1 else errors[1:] + errors[:1]

    return gradient_errors


def gradient_errors_from_the_package_report(layer, x, dout):
    """Borrows the package's report: right errors, for a dout of its own choosing."""
    from helpers.gradcheck import module_gradient_report

    return list(module_gradient_report(layer, x).errors.values())


def gradient_errors_with_own_dout(layer, x, dout):
    """Checks backward against the loss of a dout it draws itself."""
    mine = np.random.default_rng(0).normal(size=np.shape(dout))
    return _gradient_errors()(layer, x, mine)


def gradient_errors_reading_grads_first(layer, x, dout):
    """Takes the (param, grad) pairs before backward: its analytic dW and db are stale."""
    x = np.array(x, dtype=float)
    pairs = [(p, np.array(g, dtype=float)) for p, g in layer.parameters()]
    layer.forward(x)
    dx = layer.backward(dout)

    def loss():
        return float(np.sum(layer.forward(x) * dout))

    return [relative_error(dx, check.mlp.numerical_gradient(loss, x))] + [
        relative_error(g, check.mlp.numerical_gradient(loss, p)) for p, g in pairs]


def gradient_errors_with_package_tools(layer, x, dout):
    """Right: the package's numerical_gradient (the notebook offers it) with the student's
    own relative_error from 03 (the package's is 03's answer: test_own_work refuses it)."""
    from helpers.gradcheck import numerical_gradient

    package_relative_error = relative_error

    layer.forward(x)
    dx = layer.backward(dout).copy()
    grads = [g.copy() for _, g in layer.parameters()]
    x = x.copy()

    def f():
        return float(np.sum(layer.forward(x) * dout))

    return [package_relative_error(dx, numerical_gradient(f, x))] + [
        package_relative_error(g, numerical_gradient(f, p))
        for (p, _), g in zip(layer.parameters(), grads, strict=False)]


def _norm_relative(a, b):
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-12))


@pytest.mark.parametrize("answer", [_gradient_errors(), gradient_errors_with_package_tools,
                                    _gradient_errors(relative=_norm_relative)])
def test_gradient_errors_accepts_right_checks(answer, capsys):
    assert_passes(check.gradient_errors, answer, capsys)


def _max_denominator(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.maximum(np.abs(a), np.abs(b)), 1e-12)))


def _over_numeric(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))


def _absolute(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


@pytest.mark.parametrize("answer, fragments, mistake", [
    (_gradient_errors(central=False), ["for a right Tanh", "by +1.0e-05",
                                       "never the other way"], "gradient_errors/one-sided"),
    (_gradient_errors(central=False, backward_side=True), ["for a right Tanh", "by -1.0e-05"],
     "gradient_errors/one-sided"),
    (_gradient_errors(central=False, h=1e-2), ["for a right Tanh", "by +1.0e-02"],
     "gradient_errors/one-sided"),
    (_gradient_errors(h=1e-2), ["for a right Tanh", "by ±1.0e-02"], "gradient_errors/h-too-large"),
    (_gradient_errors(h=3e-3), ["for a right Tanh", "by ±3.0e-03"], "gradient_errors/h-too-large"),
    (_gradient_errors(h=1e-12), ["for a right Linear"], "gradient_errors/imprecise"),
    (_gradient_errors(loss="sum"), ["for a right Linear", "leaves dout out"],
     "gradient_errors/loss-without-dout"),
    (_gradient_errors(nudge_copy=True), ["error of dx is exactly 1", "all zeros", "a copy"],
     "gradient_errors/nudged-a-copy"),
    (_gradient_errors(loss="mean"), ["for a right Linear"], "gradient_errors/right-layer-wrong"),
    (_gradient_errors(relative=_max_denominator), ["exactly 1/3"],
     "gradient_errors/max-denominator"),
    (_gradient_errors(relative=_over_numeric), ["exactly 1/3"],
     "gradient_errors/one-side-denominator"),
    (_gradient_errors(relative=_absolute), ["exactly 1/3"], "gradient_errors/wrong-relative-error"),
    (_gradient_errors(order=2), ["not the second one"], "gradient_errors/order"),
    (_gradient_errors(restore=False), ["parameters have changed"],
     "gradient_errors/params-not-restored"),
    (lambda layer, x, dout: 0.0, ["expected a list of 3"], "gradient_errors/count"),
    (gradient_errors_with_own_dout, ["never gave the layer's backward the dout"],
     "gradient_errors/dout-unused"),
    (gradient_errors_reading_grads_first, ["for a right Linear", "before your backward(dout) ran"],
     "gradient_errors/grads-before-backward"),
])
def test_gradient_errors_names_each_mistake(answer, fragments, mistake):
    assert_fails(check.gradient_errors, answer, *fragments, mistake=mistake)


# --- train_early_stopping: the student's experiment -----------------------------------------


def _early_stopping(choose="val", shift=0, keep="copy", zero_based=False, val_data="val",
                    measure_train="after", never_stop=False):
    """A student's loop, right by default; each option is one classic slip."""

    def train_early_stopping(model, loss_fn, X_train, y_train, X_val, y_val, lr, max_epochs,
                             patience):
        if val_data == "train":
            X_val, y_val = X_train, y_train
        best_epoch, lowest, best = 0, np.inf, None
        train_losses, val_losses = [], []
        for epoch in range(1, max_epochs + 1):
            start = train(model, loss_fn, X_train, y_train, lr, 1)[0]
            after = loss_fn.forward(model.forward(X_train), y_train)
            train_losses.append(after if measure_train == "after" else start)
            val_losses.append(loss_fn.forward(model.forward(X_val), y_val))
            score = val_losses[-1] if choose == "val" else after
            if score < lowest:
                best_epoch, lowest = epoch, score
                if keep == "copy":
                    best = [p.copy() for p, _ in model.parameters()]
                elif keep == "reference":
                    best = [p for p, _ in model.parameters()]
            elif epoch - best_epoch >= patience + shift and not never_stop:
                break
        if keep != "none":
            for (p, _), b in zip(model.parameters(), best, strict=False):
                p[...] = b
        return best_epoch - zero_based, train_losses, val_losses

    return train_early_stopping


def early_stopping_with_deepcopy(model, loss_fn, X_train, y_train, X_val, y_val, lr, max_epochs,
                                 patience):
    """Keeps a deep copy of the best model and copies its arrays back at the end."""
    import copy

    best_model, best_epoch, waited = None, 0, 0
    train_losses, val_losses = [], []
    for epoch in range(1, max_epochs + 1):
        train(model, loss_fn, X_train, y_train, lr, 1)
        train_losses.append(float(loss_fn.forward(model.forward(X_train), y_train)))
        val_losses.append(float(loss_fn.forward(model.forward(X_val), y_val)))
        if best_model is None or val_losses[-1] < min(val_losses[:-1]):
            best_model, best_epoch, waited = copy.deepcopy(model), epoch, 0
        else:
            waited += 1
            if waited == patience:
                break
    for (param, _), (saved, _) in zip(model.parameters(), best_model.parameters(), strict=False):
        param[...] = saved
    return best_epoch, np.array(train_losses), np.array(val_losses)


@pytest.mark.parametrize("answer", [_early_stopping(), early_stopping_with_deepcopy])
def test_train_early_stopping_accepts_right_loops(answer, capsys):
    assert_passes(check.train_early_stopping, answer, capsys)


@pytest.mark.parametrize("answer, fragments, mistake", [
    (_early_stopping(keep="none"), ["those of the last epoch"],
     "train_early_stopping/last-weights"),
    (_early_stopping(keep="reference"), ["those of the last epoch", "without copying"],
     "train_early_stopping/last-weights"),
    (_early_stopping(choose="train"), ["chose epoch 300", "training loss"],
     "train_early_stopping/chose-on-training"),
    (_early_stopping(shift=1), ["one epoch late"], "train_early_stopping/patience-off-by-one"),
    (_early_stopping(shift=-1), ["one epoch early"], "train_early_stopping/patience-off-by-one"),
    (_early_stopping(never_stop=True), ["ran 300 epochs", "all 300 epochs"],
     "train_early_stopping/never-stops"),
    (_early_stopping(val_data="train"), ["X_val"], "train_early_stopping/validation-is-training"),
    (_early_stopping(measure_train="before"), ["one epoch early", "after the epoch's update"],
     "train_early_stopping/train-loss-before-update"),
    (_early_stopping(zero_based=True), ["counted from 0"], "train_early_stopping/zero-based"),
    (lambda *args, **kwargs: None, ["expected three things"], "train_early_stopping/not-a-triple"),
])
def test_train_early_stopping_names_each_mistake(answer, fragments, mistake):
    assert_fails(check.train_early_stopping, answer, *fragments, mistake=mistake)


# --- issue 23: no failure message and no hint tier below the last completes its exercise ---

_COMPLETING = ["x.T @", ".T @ dout", "@ W.T", "@ self.W.T", "sum(axis=0)", "param -=",
               "lr * grad", "a (1 − a)", "a * (1 − a)", "1 − a²", "1 - a**2", "(x > 0)",
               "yield from", "np.maximum(x, 0)", "2 * (pred", "2 (pred", "/ pred.size",
               "reversed(self.layers)", "= layer.forward(x)", "dout = layer.backward",
               "xᵀ", "Wᵀ", "param.copy()", "param[...] ="]


def _hint_texts_of_the_check_module():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(check.mlp.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "mistake":
            parts = [n.value for n in ast.walk(node.args[1])
                     if isinstance(n, ast.Constant) and isinstance(n.value, str)]
            yield node.args[0].value, "".join(parts)


def test_no_hint_of_the_04_checks_writes_the_fix():
    leaks = [(mistake_id, form) for mistake_id, text in _hint_texts_of_the_check_module()
             for form in _COMPLETING if form in text]
    assert not leaks, leaks


def test_no_hint_tier_below_the_last_completes_an_04_exercise():
    from helpers.check import _hints

    for exercise in _mlp_exercises():
        tiers = _hints.HINTS[exercise]
        leaks = [form for tier in tiers[:-1] for form in _COMPLETING if form in tier]
        assert not leaks, (exercise, leaks)
        assert any(form in tiers[-1] for form in _COMPLETING + ["= ", "=", "PREDICT"]), exercise


def _mlp_exercises():
    return [name for name, fn in check.REGISTRY.items() if fn.__module__ == "helpers.check.mlp"]


def test_the_scan_finds_a_completing_hint():
    assert any(form in "use dW = x.T @ dout" for form in _COMPLETING)
    assert any(form in "dx = dout @ W.T" for form in _COMPLETING)


@pytest.mark.parametrize("answer, mistake, phrases", [
    (_train(update=_rebind), "train/no-update", ["builds a new array", "binds it to a name"]),
    (_early_stopping(keep="reference"), "train_early_stopping/last-weights",
     ["keep a copy", "put them back"]),
    (_early_stopping(keep="none"), "train_early_stopping/last-weights",
     ["keep a copy", "put them back"]),
    (_gradient_errors(relative=_max_denominator), "gradient_errors/max-denominator",
     ["divides by their sum", "sum of both"]),
    (_gradient_errors(relative=_over_numeric), "gradient_errors/one-side-denominator",
     ["divides by their sum", "sum of both"]),
    (_gradient_errors(relative=_absolute), "gradient_errors/wrong-relative-error",
     ["(|2g| + |g|)", "0.5 / 2.5"]),
])
def test_the_messages_name_the_mistake_without_writing_the_fix(answer, mistake, phrases):
    """Round 3: these messages wrote the fix in words (PEDAGOGY §5)."""
    failure = assert_fails(getattr(check, mistake.split("/")[0]), answer, mistake=mistake)
    assert not any(p in str(failure) for p in phrases), str(failure)

# --- the cost of the gradient trials: directions first, entries only on a mismatch ---------


class CountedLinear(own_copy(Linear)):
    """A right Linear that counts the forward calls the check makes."""

    calls = 0

    def forward(self, x):
        type(self).calls += 1
        return super().forward(x)


def test_a_right_layer_is_cleared_along_directions_not_entry_by_entry():
    # per-entry differences made about 1 000 forward calls in strict mode; 3 directions of
    # 2 calls per gradient make a few hundred at most
    CountedLinear.calls = 0
    check.linear(CountedLinear, strict=True)
    assert 50 < CountedLinear.calls < 400, CountedLinear.calls


def test_directions_clear_a_right_gradient_and_flag_wrong_ones():
    from helpers.gradcheck import GRADIENT_RIGHT, directional_errors

    rng = np.random.default_rng(0)
    W, x, dout = rng.normal(size=(4, 3)), rng.normal(size=(6, 4)), rng.normal(size=(6, 3))

    def loss():
        return float(np.sum(np.tanh(x @ W) * dout))

    right = x.T @ (dout * (1 - np.tanh(x @ W) ** 2))
    assert max(directional_errors(loss, W, right)) < GRADIENT_RIGHT / 10
    one_entry = right.copy()
    one_entry[2, 1] += 0.05  # a single wrong entry is seen along every random direction
    assert min(directional_errors(loss, W, one_entry)) > GRADIENT_RIGHT
    scaled = right * (1 + 1e-6)  # off by a factor: the same error along every direction
    assert np.allclose(directional_errors(loss, W, scaled), 5e-7, rtol=0.1)
    before = W.copy()
    directional_errors(loss, W, right)
    assert np.array_equal(W, before)  # nudged in place, and put back exactly


def test_a_wrong_gradient_still_gets_the_per_entry_message():
    # the directions only clear; a mismatch falls back to the entry-by-entry comparison,
    # whose message shows the expected values of a small gradient
    failure = assert_fails(check.linear, DWDividedByN, "dW from", mistake="linear/dw-divided-by-n")
    assert "relative error" in failure.plain
