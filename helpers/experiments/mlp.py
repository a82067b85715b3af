"""The runs behind notebook 04's figures and claims (the multi-layer perceptron).

Every function trains or measures with the package's reference layers unless it is given
the student's own classes (``classes={"Linear": Linear, "Tanh": Tanh, ...}``; those not given
come from the reference) and, where it trains by gradient descent, the student's ``train``.
The notebook's cells call these functions and print what they return; ``tests/test_claims_04.py``
asserts the notebook's sentences on the same functions.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

from .. import data, losses, nn, optim

__all__ = [
    "REFERENCE_CLASSES",
    "Run",
    "reference_train",
    "composed_linear_layers",
    "xor_with_and_without_activation",
    "mean_abs_weights",
    "SECTION_7_RATES",
    "learning_rate_runs",
    "sharpest_curvature",
    "xor_plateau_runs",
    "solved_xor",
    "undecided_corners",
    "deep_net",
    "gradient_per_layer",
    "gradient_sizes",
    "curve_fit",
    "depth_vs_width",
    "error_rate",
    "error_curves",
    "gradient_reaching_layers",
    "fewest_layers_down",
    "early_stopping_reference",
    "noisy_rings_split",
    "rings_network",
]

#: The classes a network of notebook 04 is built from, by the names the notebook uses.
REFERENCE_CLASSES: dict[str, type] = {
    "Linear": nn.Linear, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh, "ReLU": nn.ReLU,
    "Sequential": nn.Sequential, "MSELoss": losses.MSELoss,
}


def _kit(classes: Mapping[str, type] | None) -> SimpleNamespace:
    unknown = set(classes or {}) - set(REFERENCE_CLASSES)
    if unknown:
        raise TypeError(f"classes: notebook 04's networks do not use {sorted(unknown)}; "
                        f"give any of {sorted(REFERENCE_CLASSES)}")
    return SimpleNamespace(**{**REFERENCE_CLASSES, **(classes or {})})


def reference_train(model, loss_fn, X, y, lr, epochs) -> list[float]:
    """Full-batch gradient descent, like the notebook's ``train``: the loss before each step."""
    optimiser, history = optim.SGD(model, lr), []
    for _ in range(epochs):
        history.append(float(loss_fn.forward(model.forward(X), y)))
        model.backward(loss_fn.backward())
        optimiser.step()
    return history


@dataclass
class Run:
    """One training run: its loss per epoch, the trained model's outputs, the model."""

    losses: list[float]
    outputs: np.ndarray
    model: object


def _xor() -> tuple[np.ndarray, np.ndarray]:
    X, y = data.xor()
    return X, y.reshape(-1, 1).astype(float)


# --- section 1: why an activation at all ---


def composed_linear_layers(rng: int = 0) -> dict[str, np.ndarray | float]:
    """Two layers without an activation, ``(X @ W1) @ W2``, against the one layer
    ``X @ (W1 @ W2)``, on the four XOR corners and random weights of a 2-3-1 network."""
    rng = np.random.default_rng(rng)
    X, _ = data.xor()
    W1, W2 = rng.normal(size=(2, 3)), rng.normal(size=(3, 1))
    two, one = (X @ W1) @ W2, X @ (W1 @ W2)
    return {"two_layers": two, "one_layer": one, "W": W1 @ W2,
            "largest_difference": float(np.abs(two - one).max())}


def xor_with_and_without_activation(n_hidden: int = 4, lr: float = 2.0, epochs: int = 1000,
                                    seed: int = 0, classes=None,
                                    train: Callable | None = None) -> dict[str, Run]:
    """The 2-n_hidden-1 XOR network of section 4 (sigmoid output, MSE), trained with no
    activation between its two layers and with tanh, from the same starting weights."""
    c, train = _kit(classes), train or reference_train
    X, Y = _xor()
    runs = {}
    for name, hidden in [("no activation", []), ("tanh", [c.Tanh])]:
        rng = np.random.default_rng(seed)
        model = c.Sequential(c.Linear(2, n_hidden, rng), *[a() for a in hidden],
                             c.Linear(n_hidden, 1, rng), c.Sigmoid())
        history = [float(v) for v in train(model, c.MSELoss(), X, Y, lr, epochs)]
        runs[name] = Run(history, np.asarray(model.forward(X)).ravel(), model)
    return runs


def mean_abs_weights(model) -> list[float]:
    """Mean |W| of each layer that has weights ``W``, first to last."""
    return [float(np.abs(layer.W).mean()) for layer in model.layers if hasattr(layer, "W")]


# --- section 7: hyperparameters ---


#: Section 7's learning rates: slow, below the limit the start's curvature sets, far above it
SECTION_7_RATES = (0.02, 0.1, 0.4)


def _sine_problem(c: SimpleNamespace) -> tuple[np.ndarray, np.ndarray, object]:
    """Section 7's data (50 noisy samples of sin(2x)) and its 1-16-1 tanh network, at the
    starting weights every run of :func:`learning_rate_runs` shares."""
    X, y = data.noisy_curve(lambda x: np.sin(2 * x), n=50, noise=0.05, rng=0)
    rng = np.random.default_rng(1)
    return X, y, c.Sequential(c.Linear(1, 16, rng), c.Tanh(), c.Linear(16, 1, rng))


def learning_rate_runs(lrs=SECTION_7_RATES, epochs: int = 100, classes=None,
                       train: Callable | None = None) -> dict[float, list[float]]:
    """A 1-16-1 tanh network fitting 50 noisy samples of sin(2x) by gradient descent, one run
    per learning rate from the same starting weights: the loss per epoch of each.

    A diverging run overflows to inf; numpy's overflow warnings are silenced, the inf is kept.
    """
    c, train = _kit(classes), train or reference_train
    runs = {}
    for lr in lrs:
        X, y, model = _sine_problem(c)
        with np.errstate(over="ignore", invalid="ignore"):
            runs[lr] = [float(v) for v in train(model, c.MSELoss(), X, y, lr, epochs)]
    return runs


def diverging_rates(lrs=SECTION_7_RATES, epochs: int = 100) -> tuple[float, ...]:
    """The learning rates of ``learning_rate_runs`` whose loss ends higher than it started
    (or not finite): the runs that diverge."""
    runs = learning_rate_runs(lrs, epochs)
    return tuple(lr for lr, losses in runs.items()
                 if not np.isfinite(losses[-1]) or losses[-1] > losses[0])


def sharpest_curvature(iterations: int = 100, eps: float = 1e-4) -> float:
    """The largest curvature h of section 7's loss at the starting weights: the largest
    eigenvalue of its Hessian (the second derivative along the sharpest direction of the
    weights), as notebook 02's limit η < 2 / h needs it.

    Power iteration on Hessian-vector products, each the central difference of two
    backpropagated gradients along the current direction: no Hessian is ever built.
    """
    X, y, model = _sine_problem(_kit(None))
    params = [param for param, _ in model.parameters()]
    start = np.concatenate([param.ravel() for param in params])

    def gradient(theta: np.ndarray) -> np.ndarray:
        at = 0
        for param in params:
            param[...] = theta[at:at + param.size].reshape(param.shape)
            at += param.size
        loss_fn = losses.MSELoss()
        loss_fn.forward(model.forward(X), y)
        model.backward(loss_fn.backward())
        return np.concatenate([grad.ravel() for _, grad in model.parameters()])

    direction = np.random.default_rng(0).normal(size=start.size)
    direction /= np.linalg.norm(direction)
    h = 0.0
    for _ in range(iterations):
        product = (gradient(start + eps * direction) - gradient(start - eps * direction)) / (
            2 * eps)
        h = float(direction @ product)
        direction = product / np.linalg.norm(product)
    return h


def xor_plateau_runs(seeds=(0, 6), lr: float = 5.0, epochs: int = 800, classes=None,
                     train: Callable | None = None) -> dict[int, Run]:
    """A 2-2-1 network of sigmoids on XOR (MSE), trained from each seed's starting weights."""
    c, train = _kit(classes), train or reference_train
    X, Y = _xor()
    runs = {}
    for seed in seeds:
        rng = np.random.default_rng(seed)
        model = c.Sequential(c.Linear(2, 2, rng), c.Sigmoid(), c.Linear(2, 1, rng), c.Sigmoid())
        history = [float(v) for v in train(model, c.MSELoss(), X, Y, lr, epochs)]
        runs[seed] = Run(history, np.asarray(model.forward(X)).ravel(), model)
    return runs


def solved_xor(outputs: np.ndarray) -> bool:
    """Whether every output of the four corners is within 0.25 of its XOR target 0 1 1 0."""
    return bool(np.all(np.abs(np.asarray(outputs).ravel() - data.xor()[1]) < 0.25))


def undecided_corners(outputs: np.ndarray, tolerance: float = 0.05) -> int:
    """How many outputs sit within ``tolerance`` of 0.5: corners the network leaves undecided."""
    return int(np.sum(np.abs(np.asarray(outputs) - 0.5) < tolerance))


def deep_net(activation: type, rng, depth: int = 6, width: int = 16, classes=None):
    """A 2-input, 1-output network with ``depth`` hidden layers of ``width`` units each."""
    c = _kit(classes)
    layers, n_in = [], 2
    for _ in range(depth):
        layers += [c.Linear(n_in, width, rng), activation()]
        n_in = width
    return c.Sequential(*layers, c.Linear(width, 1, rng))


def gradient_per_layer(model, X: np.ndarray, Y: np.ndarray, classes=None) -> list[float]:
    """Mean |dW| of each Linear layer, first to last, after one MSE backward pass on (X, Y)."""
    c = _kit(classes)
    loss_fn = c.MSELoss()
    loss_fn.forward(model.forward(X), Y)
    model.backward(loss_fn.backward())
    return [float(np.abs(layer.dW).mean()) for layer in model.layers
            if isinstance(layer, c.Linear)]


def gradient_sizes(activations=("Sigmoid", "Tanh", "ReLU"), depth: int = 6, width: int = 16,
                   seed: int = 0, classes=None) -> dict[str, list[float]]:
    """Mean |dW| per layer of the same deep network (same starting weights) with each
    activation, after one backward pass on 200 points of the rings."""
    c = _kit(classes)
    X, y = data.circles(200, 0.1, rng=0)
    Y = y.reshape(-1, 1).astype(float)
    names = {"Sigmoid": "sigmoid", "Tanh": "tanh", "ReLU": "ReLU"}
    return {names[a]: gradient_per_layer(deep_net(getattr(c, a), np.random.default_rng(seed),
                                                  depth, width, classes), X, Y, classes)
            for a in activations}


# --- section 5: universal approximation; depth versus width ---


def curve_fit(f: Callable, n_hidden: int, classes=None,
              epochs: int = 600) -> tuple[object, np.ndarray, np.ndarray]:
    """Section 5's fit: a 1-n_hidden-1 tanh network (seed 1) fitted by Adam (lr 0.03, 600
    epochs unless told) to 50 samples of ``f`` with noise 0.05 (seed 0). Returns (model, X, y)."""
    c = _kit(classes)
    X, y = data.noisy_curve(f, n=50, noise=0.05, rng=0)
    rng = np.random.default_rng(1)
    model = c.Sequential(c.Linear(1, n_hidden, rng), c.Tanh(), c.Linear(n_hidden, 1, rng))
    _fit(model, X, y, epochs, 0.03, c.MSELoss())
    return model, X, y



def fit_adam(model, loss_fn, X, y, epochs: int = 600, lr: float = 0.03):
    """Section 5's ``fit``: the student's ``train`` with Adam's update in place of the
    gradient-descent step (its loop stays in the package, so that the notebook does not
    print the ``train`` exercise's lines). Returns ``model``, trained."""
    _fit(model, X, y, epochs, lr, loss_fn)
    return model


def _fit(model, X, y, epochs: int, lr: float, loss_fn) -> float:
    """Adam, full batch, like the notebook's ``fit``; returns the final training loss."""
    optimiser = optim.Adam(model, lr)
    for _ in range(epochs):
        loss_fn.forward(model.forward(X), y)
        model.backward(loss_fn.backward())
        optimiser.step()
    return float(loss_fn.forward(model.forward(X), y))


def depth_vs_width(shapes=((32,), (8, 8)), seeds=(0, 1, 2), epochs: int = 1000,
                   lr: float = 0.03, classes=None) -> dict[tuple[int, ...], dict]:
    """Tanh networks of the given hidden ``shapes`` fitting 200 samples of sin(5x) on
    [-3, 3], once per seed: their number of parameters and final training losses.

    (32,) and (8, 8) have the same 97 parameters: one wide layer against two narrow ones.
    """
    c = _kit(classes)
    X, y = data.noisy_curve(lambda x: np.sin(5 * x), n=200, noise=0.0, rng=0)
    results = {}
    for shape in shapes:
        finals, n_params = [], 0
        for seed in seeds:
            rng, layers, n_in = np.random.default_rng(seed), [], 1
            for width in shape:
                layers += [c.Linear(n_in, width, rng), c.Tanh()]
                n_in = width
            model = c.Sequential(*layers, c.Linear(n_in, 1, rng))
            n_params = sum(layer.W.size + layer.b.size for layer in model.layers
                           if isinstance(layer, c.Linear))
            finals.append(_fit(model, X, y, epochs, lr, c.MSELoss()))
        results[tuple(shape)] = {"parameters": int(n_params), "losses": finals}
    return results


# --- section 6: learning versus memorising ---


def error_rate(model, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of the points (labels y (N,)) on the wrong side of 0.5."""
    return float(np.mean((np.asarray(model.forward(X)).ravel() > 0.5) != y))


def error_curves(X: np.ndarray, y: np.ndarray, epochs: int = 400, every: int = 20,
                 rng=None, classes=None) -> dict:
    """Train a 2-32-32-1 tanh net (Adam, lr 0.01) on half of (X, y); measure the training
    and **validation** error (a quarter of the data) every ``every`` epochs; keep the
    network of the epoch with the lowest validation error and measure its error on the
    **test** quarter once, at the end.

    Returns ``train`` and ``validation`` (lists), ``best_epoch``, ``test`` (one number).
    """
    c = _kit(classes)
    X_train, X_rest, y_train, y_rest = data.train_test_split(X, y, 0.5, rng=rng)
    X_val, X_test, y_val, y_test = data.train_test_split(X_rest, y_rest, 0.5, rng=rng)
    init = np.random.default_rng(0)
    model = c.Sequential(c.Linear(2, 32, init), c.Tanh(), c.Linear(32, 32, init), c.Tanh(),
                         c.Linear(32, 1, init), c.Sigmoid())
    Y_train = y_train.reshape(-1, 1).astype(float)
    loss_fn, optimiser = c.MSELoss(), optim.Adam(model, 0.01)
    train_errors, val_errors, best = [], [], (np.inf, 0, None)
    for k in range(1, epochs // every + 1):
        for _ in range(every):
            loss_fn.forward(model.forward(X_train), Y_train)
            model.backward(loss_fn.backward())
            optimiser.step()
        train_errors.append(error_rate(model, X_train, y_train))
        val_errors.append(error_rate(model, X_val, y_val))
        if val_errors[-1] < best[0]:
            best = (val_errors[-1], k * every, copy.deepcopy(model))
    return {"train": train_errors, "validation": val_errors, "best_epoch": best[1],
            "test": error_rate(best[2], X_test, y_test)}


def gradient_reaching_layers(depth: int = 10, width: int = 16, seed: int = 0,
                             activation: str = "Sigmoid", classes=None) -> list[float]:
    """Mean |dout| each hidden layer's Linear receives in one backward pass of section 7's
    network (the rings, MSE, ``deep_net`` from ``seed``), first hidden layer to last.

    Between two hidden layers the backward pass multiplies by one layer's weights and one
    activation's slope; the input's and the one-unit output layer's own factors stay out.
    """
    c = _kit(classes)
    X, y = data.circles(200, 0.1, rng=0)
    model = deep_net(getattr(c, activation), np.random.default_rng(seed), depth, width, classes)
    loss_fn = c.MSELoss()
    loss_fn.forward(model.forward(X), y.reshape(-1, 1).astype(float))
    dout, reaching = loss_fn.backward(), []
    linears = [layer for layer in model.layers if isinstance(layer, c.Linear)]
    for layer in reversed(model.layers):
        if isinstance(layer, c.Linear) and layer is not linears[-1]:
            reaching.append(float(np.abs(dout).mean()))
        dout = layer.backward(dout)
    return reaching[::-1]


def fewest_layers_down(reaching: Sequence[float], threshold: float = 1e-3) -> int:
    """The fewest layers down from the last hidden layer at which the mean |dout| of
    ``gradient_reaching_layers`` is below ``threshold`` times the last hidden layer's."""
    for n in range(1, len(reaching)):
        if reaching[-1 - n] < threshold * reaching[-1]:
            return n
    raise ValueError(f"no layer of {len(reaching)} gets below {threshold} of the last one")


# --- section 6: early stopping, the student's loop ---


def early_stopping_reference(model, data, lr: float, max_epochs: int, patience: int, *,
                             choose_on: str = "val", patience_shift: int = 0,
                             train_before: bool = False) -> SimpleNamespace:
    """Section 6's ``train_early_stopping`` on a copy of ``model`` (MSE, full-batch gradient
    descent), ``data`` = (X_train, y_train, X_val, y_val). Returns ``best``, ``train`` and
    ``val`` (losses after each epoch), the best epoch's ``weights`` and the ``last`` ones.

    The options give what classic slips give instead (the check names them): choosing by
    the training loss, a patience one epoch off, the training loss taken before the step.
    """
    model, loss_fn = copy.deepcopy(model), losses.MSELoss()
    X_train, y_train, X_val, y_val = data
    best, lowest, best_weights = 0, np.inf, None
    train_losses, val_losses = [], []
    for epoch in range(1, max_epochs + 1):
        start = float(loss_fn.forward(model.forward(X_train), y_train))
        model.backward(loss_fn.backward())
        for param, grad in model.parameters():
            param -= lr * grad
        after = float(loss_fn.forward(model.forward(X_train), y_train))
        train_losses.append(start if train_before else after)
        val_losses.append(float(loss_fn.forward(model.forward(X_val), y_val)))
        score = val_losses[-1] if choose_on == "val" else after
        if score < lowest:
            best, lowest = epoch, score
            best_weights = [np.array(p, copy=True) for p, _ in model.parameters()]
        elif epoch - best >= patience + patience_shift:
            break
    last = [np.array(p, copy=True) for p, _ in model.parameters()]
    return SimpleNamespace(best=best, train=train_losses, val=val_losses, weights=best_weights,
                           last=last)


def noisy_rings_split(noise: float = 0.25, seed: int = 0) -> tuple[np.ndarray, ...]:
    """160 points of the rings with ``noise``, cut like section 6's: half for training, a
    quarter for validation, a quarter for the test. Targets as columns (N, 1), floats.

    Returns X_train, Y_train, X_val, Y_val, X_test, y_test (the test labels as (N,), for
    :func:`error_rate`).
    """
    rng = np.random.default_rng(seed)
    X, y = data.circles(160, noise, rng)
    X_train, X_rest, y_train, y_rest = data.train_test_split(X, y, 0.5, rng=rng)
    X_val, X_test, y_val, y_test = data.train_test_split(X_rest, y_rest, 0.5, rng=rng)
    column = lambda v: v.reshape(-1, 1).astype(float)  # noqa: E731
    return X_train, column(y_train), X_val, column(y_val), X_test, y_test


def rings_network(classes=None, seed: int = 0):
    """Section 6's 2-32-32-1 network: tanh hidden units, a sigmoid output."""
    c, init = _kit(classes), np.random.default_rng(seed)
    return c.Sequential(c.Linear(2, 32, init), c.Tanh(), c.Linear(32, 32, init), c.Tanh(),
                        c.Linear(32, 1, init), c.Sigmoid())
