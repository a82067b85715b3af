"""PyTorch as the oracle: every reference layer, loss, optimiser and Value operation against
torch on random inputs (float32 and float64, batches of 1, 7 and 128), on extreme inputs
(±1e4 logits, exact zeros, NaN) and in a short MNIST run from the same initial weights.

PyTorch is a test-only extra (``pip install -e ".[oracle]"``, CPU wheel; see pyproject.toml);
without it this module is skipped.
"""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch absent: pip install -e '.[oracle]'")

from helpers import data  # noqa: E402
from helpers.autograd import Value  # noqa: E402
from helpers.losses import MSELoss, SoftmaxCrossEntropy, log_softmax, softmax  # noqa: E402
from helpers.nn import Linear, ReLU, Sequential, Sigmoid, Tanh, sigmoid  # noqa: E402
from helpers.optim import SGD, Adam, AdamW, RMSProp  # noqa: E402

torch.set_num_threads(1)  # the tests share small machines; one thread is exact enough

DTYPES = [np.float32, np.float64]
BATCHES = [1, 7, 128]
# float64 agrees to rounding; float32 to a few ulps of the largest terms of each sum
TOL = {np.float32: {"rtol": 2e-5, "atol": 2e-6}, np.float64: {"rtol": 1e-12, "atol": 1e-14}}


def close(ours, theirs, dtype, scale=1.0):
    """ours (numpy) equals theirs (torch tensor or numpy), NaN where theirs is NaN."""
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    ours = np.asarray(ours)
    assert ours.shape == theirs.shape, (ours.shape, theirs.shape)
    tol = {k: v * scale for k, v in TOL[dtype].items()}
    np.testing.assert_allclose(ours, theirs, equal_nan=True, **tol)


def tensor(a, grad=True):
    return torch.tensor(np.array(a), requires_grad=grad)


def run_layer(layer, torch_fn, x, dout):
    """forward and backward of ``layer`` and of ``torch_fn`` on x; returns both results."""
    out = layer.forward(x.copy())
    dx = layer.backward(dout.copy())
    xt = tensor(x)
    out_t = torch_fn(xt)
    out_t.backward(torch.from_numpy(dout.copy()))
    return (out, dx), (out_t, xt.grad)


# --- layers --------------------------------------------------------------------------------

ACTIVATIONS = {
    "sigmoid": (Sigmoid, torch.sigmoid),
    "tanh": (Tanh, torch.tanh),
    "relu": (ReLU, torch.relu),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", BATCHES)
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_match_pytorch(name, n, dtype):
    rng = np.random.default_rng(n)
    x = (3 * rng.standard_normal((n, 5))).astype(dtype)
    dout = rng.standard_normal((n, 5)).astype(dtype)
    make, torch_fn = ACTIVATIONS[name]
    (out, dx), (out_t, dx_t) = run_layer(make(), torch_fn, x, dout)
    assert out.dtype == dtype and dx.dtype == dtype
    close(out, out_t, dtype)
    close(dx, dx_t, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_at_extreme_inputs_match_pytorch(name, dtype):
    x = np.array([[-1e4, -800.0, -80.0, -20.0, -0.0, 0.0, 1e-30, 20.0, 80.0, 800.0, 1e4,
                   np.nan]], dtype)
    dout = np.ones_like(x)
    make, torch_fn = ACTIVATIONS[name]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        (out, dx), (out_t, dx_t) = run_layer(make(), torch_fn, x, dout)
    # relative accuracy all the way to the underflow (the sigmoid's negative side)
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=4 * np.finfo(dtype).eps,
                               atol=0, equal_nan=True)
    # the slope AT a NaN input: PyTorch's ReLU passes dout (NaN <= 0 is false), ours, like
    # notebook 04's mask x > 0, does not; the NaN output already shows the run diverged
    finite = slice(None) if name != "relu" else slice(0, -1)
    np.testing.assert_allclose(dx[:, finite], dx_t.numpy()[:, finite],
                               rtol=8 * np.finfo(dtype).eps, atol=0, equal_nan=True)
    assert np.isnan(out[0, -1])  # a NaN input stays visible in the output


@pytest.mark.parametrize("dtype", DTYPES)
def test_the_sigmoid_function_matches_pytorch_in_relative_accuracy(dtype):
    x = np.linspace(-120, 60, 2001).astype(dtype)
    ref = torch.sigmoid(torch.from_numpy(x.astype(np.float64))).numpy()  # float64 oracle
    np.testing.assert_allclose(sigmoid(x), ref.astype(dtype), rtol=4 * np.finfo(dtype).eps,
                               atol=np.finfo(dtype).smallest_subnormal * 4)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", BATCHES)
def test_linear_matches_pytorch(n, dtype):
    rng = np.random.default_rng(10 + n)
    layer = Linear(6, 4, rng, dtype=dtype)
    layer.b[:] = rng.standard_normal(4)  # not the zeros it starts from
    x = rng.standard_normal((n, 6)).astype(dtype)
    dout = rng.standard_normal((n, 4)).astype(dtype)
    twin = torch.nn.Linear(6, 4, dtype=torch.float32 if dtype == np.float32 else torch.float64)
    with torch.no_grad():
        twin.weight.copy_(torch.from_numpy(layer.W.T.copy()))
        twin.bias.copy_(torch.from_numpy(layer.b.copy()))
    (out, dx), (out_t, dx_t) = run_layer(layer, twin, x, dout)
    assert out.dtype == dx.dtype == layer.dW.dtype == dtype
    close(out, out_t, dtype)
    close(dx, dx_t, dtype)
    close(layer.dW, twin.weight.grad.T, dtype)
    close(layer.db, twin.bias.grad, dtype)


def twin_of(model, torch_dtype):
    """The same Sequential in torch, with copies of its weights."""
    layers = []
    for layer in model:
        if isinstance(layer, Linear):
            linear = torch.nn.Linear(*layer.W.shape, dtype=torch_dtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(layer.W.T.copy()))
                linear.bias.copy_(torch.from_numpy(layer.b.copy()))
            layers.append(linear)
        else:
            layers.append({Sigmoid: torch.nn.Sigmoid, Tanh: torch.nn.Tanh,
                           ReLU: torch.nn.ReLU}[type(layer)]())
    return torch.nn.Sequential(*layers)


def torch_grads(net):
    """(W, b) gradients of torch's Linear layers, in the reference layout (W transposed)."""
    out = []
    for m in net:
        if isinstance(m, torch.nn.Linear):
            out += [m.weight.grad.T, m.bias.grad]
    return out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", BATCHES)
def test_sequential_matches_pytorch(n, dtype):
    rng = np.random.default_rng(20 + n)
    model = Sequential(Linear(5, 8, rng, dtype=dtype), Tanh(), Linear(8, 6, rng, dtype=dtype),
                       ReLU(), Linear(6, 3, rng, dtype=dtype), Sigmoid())
    net = twin_of(model, torch.float32 if dtype == np.float32 else torch.float64)
    x = rng.standard_normal((n, 5)).astype(dtype)
    dout = rng.standard_normal((n, 3)).astype(dtype)
    (out, dx), (out_t, dx_t) = run_layer(model, net, x, dout)
    close(out, out_t, dtype)
    close(dx, dx_t, dtype)
    for (_, grad), grad_t in zip(model.parameters(), torch_grads(net), strict=True):
        close(grad, grad_t, dtype)


# --- losses --------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", BATCHES)
@pytest.mark.parametrize("shapes", [("n1", "n1"), ("n1", "n"), ("n3", "n3")])
def test_mse_loss_matches_pytorch(shapes, n, dtype):
    rng = np.random.default_rng(30 + n)
    shape = {"n1": (n, 1), "n": (n,), "n3": (n, 3)}
    pred = rng.standard_normal(shape[shapes[0]]).astype(dtype)
    y = rng.standard_normal(shape[shapes[1]])  # float64 targets: the gradient stays in dtype
    loss = MSELoss()
    value = loss.forward(pred, y)
    grad = loss.backward()
    pred_t = tensor(pred)
    y_t = torch.from_numpy(y.reshape(pred.shape).astype(dtype))
    value_t = torch.nn.functional.mse_loss(pred_t, y_t)
    value_t.backward()
    close(value, value_t, dtype)
    assert grad.dtype == dtype
    close(grad, pred_t.grad, dtype)


def cross_entropy_pair(logits, y, dtype):
    loss = SoftmaxCrossEntropy()
    value = loss.forward(logits, y)
    grad = loss.backward()
    logits_t = tensor(logits)
    target = torch.from_numpy(y.astype(np.int64) if y.ndim == 1 else y)
    value_t = torch.nn.functional.cross_entropy(logits_t, target)
    value_t.backward()
    return (value, grad), (value_t, logits_t.grad)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", BATCHES)
@pytest.mark.parametrize("targets", ["labels", "float labels", "one-hot", "probabilities"])
def test_softmax_cross_entropy_matches_pytorch(targets, n, dtype):
    rng = np.random.default_rng(40 + n)
    logits = (2 * rng.standard_normal((n, 10))).astype(dtype)
    labels = rng.integers(0, 10, size=n)
    y = {
        "labels": labels,
        "float labels": labels.astype(float),
        "one-hot": np.eye(10, dtype=dtype)[labels],
        "probabilities": softmax(rng.standard_normal((n, 10))).astype(dtype),
    }[targets]
    (value, grad), (value_t, grad_t) = cross_entropy_pair(logits, y, dtype)
    close(value, value_t, dtype)
    assert grad.dtype == dtype
    close(grad, grad_t, dtype)
    close(log_softmax(logits), torch.log_softmax(torch.from_numpy(logits), dim=1), dtype)
    close(softmax(logits), torch.softmax(torch.from_numpy(logits), dim=1), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_cross_entropy_at_extreme_logits_matches_pytorch(dtype):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4 - 1], [0.0, 0.0, 0.0],
                       [-1e4, -1e4, -1e4]], dtype)
    for y in (np.array([1, 1, 2, 0]), np.array([0, 1, 0, 2])):
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            (value, grad), (value_t, grad_t) = cross_entropy_pair(logits, y, dtype)
        assert np.isfinite(value) and np.all(np.isfinite(grad))
        close(value, value_t, dtype)
        close(grad, grad_t, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_nan_logits_give_nan_as_in_pytorch(dtype):
    logits = np.array([[np.nan, 0.0, 1.0], [0.0, 1.0, 2.0]], dtype)
    with np.errstate(invalid="ignore"):
        (value, grad), (value_t, grad_t) = cross_entropy_pair(logits, np.array([1, 2]), dtype)
    assert math.isnan(value) and math.isnan(value_t.item())
    close(grad, grad_t, dtype)  # the NaN row is NaN in both, the other row is finite


# --- optimisers ----------------------------------------------------------------------------

OPTIMISERS = {
    "sgd": (lambda m: SGD(m, lr=0.05),
            lambda p: torch.optim.SGD(p, lr=0.05)),
    "sgd momentum": (lambda m: SGD(m, lr=0.05, momentum=0.9),
                     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9)),
    "sgd weight decay": (lambda m: SGD(m, lr=0.05, momentum=0.9, weight_decay=0.01),
                         lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9,
                                                   weight_decay=0.01)),
    "adam": (lambda m: Adam(m, lr=0.01),
             lambda p: torch.optim.Adam(p, lr=0.01)),
    "adam weight decay": (lambda m: Adam(m, lr=0.01, weight_decay=0.05),
                          lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.05)),
    "adamw": (lambda m: AdamW(m, lr=0.01, weight_decay=0.05),
              lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.05)),
    "adamw default": (lambda m: AdamW(m, lr=0.01),
                      lambda p: torch.optim.AdamW(p, lr=0.01)),
    "rmsprop": (lambda m: RMSProp(m, lr=0.01, decay=0.9),
                lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-8)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(OPTIMISERS))
def test_optimisers_follow_pytorch_for_50_steps(name, dtype):
    rng = np.random.default_rng(50)
    model = Sequential(Linear(4, 16, rng, dtype=dtype), Tanh(), Linear(16, 3, rng, dtype=dtype))
    net = twin_of(model, torch.float32 if dtype == np.float32 else torch.float64)
    X = rng.standard_normal((64, 4)).astype(dtype)
    y = rng.integers(0, 3, size=64)
    make, make_t = OPTIMISERS[name]
    optimiser, optimiser_t = make(model), make_t(net.parameters())
    loss = SoftmaxCrossEntropy()
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    curve, curve_t = [], []
    for _ in range(50):
        curve.append(loss.forward(model.forward(X), y))
        model.backward(loss.backward(), input_grad=False)
        optimiser.step()
        value_t = torch.nn.functional.cross_entropy(net(X_t), y_t)
        optimiser_t.zero_grad()
        value_t.backward()
        optimiser_t.step()
        curve_t.append(value_t.item())
    scale = 1 if dtype == np.float64 else 0.1  # 50 steps: rounding grows (float32: 2e-4)
    close(curve, curve_t, dtype, scale=scale * 100)
    params_t = [p for m in net if isinstance(m, torch.nn.Linear) for p in (m.weight.T, m.bias)]
    for (param, _), param_t in zip(model.parameters(), params_t, strict=True):
        assert param.dtype == dtype
        close(param, param_t, dtype, scale=scale * 100)
    assert curve[-1] < curve[0]


# --- Value ---------------------------------------------------------------------------------

UNARY = {
    "tanh": (lambda v: v.tanh(), torch.tanh),
    "sin": (lambda v: v.sin(), torch.sin),
    "neg": (lambda v: -v, lambda t: -t),
    "square": (lambda v: v**2, lambda t: t**2),
    "cube": (lambda v: v**3, lambda t: t**3),
    "sqrt": (lambda v: v**0.5, lambda t: t**0.5),
    "inverse": (lambda v: v**-1, lambda t: t**-1),
    "pow 0": (lambda v: v**0, lambda t: t**0),
    "cube root": (lambda v: v ** (1 / 3), lambda t: t ** (1 / 3)),
    "radd": (lambda v: 2.5 + v, lambda t: 2.5 + t),
    "rsub": (lambda v: 2.5 - v, lambda t: 2.5 - t),
    "rmul": (lambda v: 2.5 * v, lambda t: 2.5 * t),
    "rtruediv": (lambda v: 2.5 / v, lambda t: 2.5 / t),
}
BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "truediv": lambda a, b: a / b,
}


def same_number(ours, theirs):
    if math.isnan(theirs):
        return math.isnan(ours)
    if math.isinf(theirs):
        return ours == theirs
    # abs_tol: 1 − tanh² at a saturated tanh cancels, so both sides keep ~1e-16 absolute
    return math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-15)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_value_unary_operations_match_pytorch(name):
    ours_fn, torch_fn = UNARY[name]
    for x in [-8.0, -2.5, -1.0, -0.0, 0.0, 0.3, 1.0, 4.0, 1e4, -1e4, math.nan]:
        if name == "sqrt" and math.copysign(1, x) < 0 and x == 0:
            continue  # PyTorch's sqrt slope at -0.0 is -inf (1 / sqrt(-0.0)); ours is inf
        v = Value(x)
        out = ours_fn(v)
        out.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        out_t = torch_fn(t)
        out_t.backward()
        assert same_number(out.data, out_t.item()), (name, x, out.data, out_t.item())
        assert same_number(v.grad, t.grad.item()), (name, x, v.grad, t.grad.item())


@pytest.mark.parametrize("name", sorted(BINARY))
def test_value_binary_operations_match_pytorch(name):
    f = BINARY[name]
    for a, b in [(2.0, -3.0), (0.5, 0.25), (-1e4, 1e-4), (0.0, 2.0), (1.0, 0.0)]:
        va, vb = Value(a), Value(b)
        out = f(va, vb)
        out.backward()
        ta, tb = (torch.tensor(z, dtype=torch.float64, requires_grad=True) for z in (a, b))
        out_t = f(ta, tb)
        out_t.backward()
        for ours, theirs in ((out.data, out_t.item()), (va.grad, ta.grad.item()),
                             (vb.grad, tb.grad.item())):
            assert same_number(ours, theirs), (name, a, b, ours, theirs)


def test_random_value_graphs_match_pytorch():
    rng = np.random.default_rng(60)
    ops = [lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b,
           lambda a, b: a * 0.5 + b.tanh(), lambda a, b: (a * b).sin(),
           lambda a, b: a / (b * b + 1.0), lambda a, b: (a * a + 0.1) ** 0.5 - b ** 3]
    for _ in range(30):
        xs = rng.uniform(-2, 2, size=4)
        leaves = [Value(x) for x in xs]
        leaves_t = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
        nodes, nodes_t = list(leaves), list(leaves_t)
        for _ in range(12):  # reuse earlier nodes: shared subgraphs add up their paths
            i, j = rng.integers(0, len(nodes), size=2)
            op = ops[rng.integers(len(ops))]
            nodes.append(op(nodes[i], nodes[j]))
            nodes_t.append(op(nodes_t[i], nodes_t[j]))
        out = sum(nodes[4:], Value(0.0))
        out_t = sum(nodes_t[4:], torch.tensor(0.0, dtype=torch.float64))
        out.backward()
        out_t.backward()
        assert same_number(out.data, out_t.item())
        for leaf, leaf_t in zip(leaves, leaves_t, strict=True):
            theirs = 0.0 if leaf_t.grad is None else leaf_t.grad.item()
            assert math.isclose(leaf.grad, theirs, rel_tol=1e-10, abs_tol=1e-12)


# --- a short MNIST run ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def mnist_sample():
    try:
        X_train, _, y_train, _ = data.load_mnist(download=False, progress=False)
    except data.MnistUnavailable as err:
        pytest.skip(f"MNIST not on disk ({err}); set NN_WORKBOOK_DATA")
    return X_train[:2560], y_train[:2560]


@pytest.mark.parametrize("dtype", DTYPES)
def test_a_short_mnist_run_from_the_same_weights_follows_pytorch(mnist_sample, dtype):
    X, y = mnist_sample
    X = X.astype(dtype)
    rng = np.random.default_rng(70)
    model = Sequential(Linear(784, 64, rng, dtype=dtype), ReLU(), Linear(64, 10, rng, dtype=dtype))
    net = twin_of(model, torch.float32 if dtype == np.float32 else torch.float64)
    optimiser, optimiser_t = Adam(model, lr=3e-3), torch.optim.Adam(net.parameters(), lr=3e-3)
    loss = SoftmaxCrossEntropy()
    curve, curve_t = [], []
    for X_batch, y_batch in data.minibatches(X, y, 128, rng=0):  # 20 steps
        curve.append(loss.forward(model.forward(X_batch), y_batch))
        model.backward(loss.backward(), input_grad=False)
        optimiser.step()
        value_t = torch.nn.functional.cross_entropy(net(torch.from_numpy(X_batch)),
                                                    torch.from_numpy(y_batch))
        optimiser_t.zero_grad()
        value_t.backward()
        optimiser_t.step()
        curve_t.append(value_t.item())
    assert len(curve) == 20
    if dtype == np.float64:
        np.testing.assert_allclose(curve, curve_t, rtol=1e-10)
    else:  # float32 sums in another order: agree to 1e-4 after 20 Adam steps
        np.testing.assert_allclose(curve, curve_t, rtol=2e-4)
    assert curve[-1] < 0.5 * curve[0]


@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_and_mse_at_zeros_nan_and_1e4_match_pytorch(dtype):
    rng = np.random.default_rng(80)
    layer = Linear(3, 2, rng, dtype=dtype)
    x = np.array([[0.0, 0.0, 0.0], [1e4, -1e4, 0.0], [np.nan, 1.0, 2.0]], dtype)
    twin = torch.nn.Linear(3, 2, dtype=torch.float32 if dtype == np.float32 else torch.float64)
    with torch.no_grad():
        twin.weight.copy_(torch.from_numpy(layer.W.T.copy()))
        twin.bias.copy_(torch.from_numpy(layer.b.copy()))
    dout = np.ones((3, 2), dtype)
    with np.errstate(invalid="ignore"):
        (out, dx), (out_t, dx_t) = run_layer(layer, twin, x, dout)
    close(out, out_t, dtype)
    close(dx, dx_t, dtype)
    close(layer.dW, twin.weight.grad.T, dtype)  # the NaN row makes its column of dW NaN
    for pred, y in [(np.zeros((4, 1), dtype), np.zeros(4)),  # exact zeros: gradient 0
                    (np.array([[1e4], [-1e4]], dtype), np.array([-1e4, 1e4])),
                    (np.array([[np.nan], [1.0]], dtype), np.array([0.0, 1.0]))]:
        loss = MSELoss()
        value, grad = loss.forward(pred, y), loss.backward()
        pred_t = tensor(pred)
        value_t = torch.nn.functional.mse_loss(pred_t, torch.from_numpy(y[:, None].astype(dtype)))
        value_t.backward()
        close(value, value_t, dtype)
        close(grad, pred_t.grad, dtype)
