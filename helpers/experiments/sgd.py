"""The runs behind notebook 05's claims (stochastic gradient descent and better optimisers).

Each function is small and fast; the notebook prints its result and ``tests/`` assert the
claim the notebook makes about it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from helpers import data, optim
from helpers.losses import MSELoss
from helpers.nn import Linear, Sequential, Sigmoid, Tanh

__all__ = [
    "median_time",
    "vectorisation_timings",
    "growth",
    "ravine",
    "ravine_gradient",
    "RAVINE_START",
    "ravine_stability_limit",
    "ravine_paths",
    "valley_overshoot",
    "crossings",
    "sgd_across_the_ravine",
    "moons_mlp",
    "moons_data",
    "reference_train_epoch",
    "moons_split",
    "validation_sweep",
    "below",
    "batch_size_finals",
    "two_dips",
    "two_dips_gradient",
    "plateau_escape",
    "steps_to_leave",
    "overfit_data",
    "overfit_mlp",
    "regularised_run",
    "batch_gradient_errors",
    "patience_stop",
    "input_scale_data",
    "linear_neuron_lr_limit",
    "linear_neuron_descent",
]


# --- section 2: the vectorisation trick ---


def median_time(f: Callable, *args, repeats: int = 5, clock=time.perf_counter) -> float:
    """The median of ``repeats`` timings of ``f(*args)``, in seconds.

    The median ignores the few runs that something else on the computer interrupted, and it
    does not pick the one lucky run either.
    """
    times = []
    for _ in range(repeats):
        start = clock()
        f(*args)
        times.append(clock() - start)
    return float(np.median(times))


def forward_loop(X, W, b):
    """One sample at a time."""
    return np.array([x @ W + b for x in X])


def forward_vectorised(X, W, b):
    """The whole batch in one matrix product."""
    return X @ W + b


def vectorisation_timings(sizes=(10, 30, 100, 300, 1000), loop=forward_loop,
                          vectorised=forward_vectorised, timer=median_time, width=20, rng=0):
    """Seconds the loop and the product take for each batch size N of a width → width layer,
    measured by ``timer(f, X, W, b)``: ``{"Python loop over samples": [...],
    "one matrix product": [...]}``, after checking that both give the same result."""
    rng = np.random.default_rng(rng)
    W, b = rng.normal(size=(width, width)), rng.normal(size=width)
    seconds = {"Python loop over samples": [], "one matrix product": []}
    for n in sizes:
        X = rng.normal(size=(n, width))
        if not np.allclose(loop(X, W, b), vectorised(X, W, b)):
            raise ValueError(f"the loop and the product give different results for N = {n}")
        seconds["Python loop over samples"].append(timer(loop, X, W, b))
        seconds["one matrix product"].append(timer(vectorised, X, W, b))
    return seconds


def growth(times) -> float:
    """How many times longer the largest size took than the smallest."""
    return float(times[-1] / times[0])


# --- section 5: the ravine ---

#: Where every optimiser starts in the ravine: far out along the shallow direction.
RAVINE_START = (-9.0, 2.0)


def ravine(theta: np.ndarray) -> np.ndarray:
    """L(θ) = 0.01 θ₁² + θ₂², for points of shape (..., 2)."""
    theta = np.asarray(theta)
    return 0.01 * theta[..., 0] ** 2 + theta[..., 1] ** 2


def ravine_gradient(theta: np.ndarray) -> np.ndarray:
    """∇L = (0.02 θ₁, 2 θ₂)."""
    return np.array([0.02 * theta[0], 2 * theta[1]])


def ravine_stability_limit() -> float:
    """2 / λ_max: plain gradient descent on the ravine converges for lr below it.

    The curvatures (the Hessian's eigenvalues) are 0.02 and 2. Along θ₂ one step maps θ₂ to
    (1 − 2 lr) θ₂, which shrinks only while |1 − 2 lr| < 1, that is lr < 2 / 2 = 1.
    """
    hessian = np.array([[0.02, 0.0], [0.0, 2.0]])
    return float(2 / np.linalg.eigvalsh(hessian).max())


def sgd_across_the_ravine(lrs=(0.9, 1.0, 1.05), steps=40, sgd=optim.SGD) -> dict[float, np.ndarray]:
    """|θ₂| after every step of plain SGD from RAVINE_START, one array of steps + 1 per lr."""
    return {lr: np.abs(optim.descent_path(lambda m, lr=lr: sgd(m, lr=lr), ravine_gradient,
                                          RAVINE_START, steps)[:, 1]) for lr in lrs}


def ravine_paths(sgd=optim.SGD, adam=optim.Adam, rmsprop=optim.RMSProp, steps=40):
    """The four optimisers of the notebook in the ravine, ``{name: (steps + 1, 2) path}``."""
    start = np.array(RAVINE_START)
    return {
        "SGD, lr 0.95": optim.descent_path(lambda m: sgd(m, lr=0.95), ravine_gradient, start,
                                           steps),
        "momentum 0.9, lr 0.3": optim.descent_path(
            lambda m: sgd(m, lr=0.3, momentum=0.9), ravine_gradient, start, steps),
        "RMSProp, lr 0.3": optim.descent_path(lambda m: rmsprop(m, lr=0.3), ravine_gradient,
                                              start, steps),
        "Adam, lr 0.5": optim.descent_path(lambda m: adam(m, lr=0.5), ravine_gradient, start,
                                           steps),
    }


def first_steps(adam=optim.Adam, lr=0.5) -> dict[str, np.ndarray]:
    """The first step from RAVINE_START of Adam and of plain gradient descent, both at ``lr``."""
    start = np.array(RAVINE_START)
    return {name: np.diff(optim.descent_path(make, ravine_gradient, start, 1), axis=0)[0]
            for name, make in ((f"Adam, lr {lr}", lambda m: adam(m, lr=lr)),
                               (f"plain gradient descent, lr {lr}",
                                lambda m: optim.SGD(m, lr=lr)))}


def valley_overshoot(path: np.ndarray) -> tuple[float, int | None]:
    """How far a ravine path went past the minimum along the valley (its largest θ1 above 0,
    else 0), and the first step at which θ1 was above 0 (None if it never was)."""
    along = np.asarray(path)[:, 0]
    past = np.flatnonzero(along > 0)
    return max(float(along.max()), 0.0), (int(past[0]) if past.size else None)


def largest_of(losses: dict[str, float], names) -> tuple[str, list[float]]:
    """Which of ``names`` has the largest loss, and how many times each other one's it is."""
    worst = max(names, key=losses.get)
    return worst, [losses[worst] / losses[name] for name in names if name != worst]


def trend(distances, tolerance=0.01) -> str:
    """"shrank", "stayed" or "grew": the last distance against the first."""
    ratio = distances[-1] / distances[0]
    return "shrank" if ratio < 1 - tolerance else "grew" if ratio > 1 + tolerance else "stayed"


def crossings(path: np.ndarray, axis: int) -> int:
    """How many times a path crosses the line θ_axis = 0 (a swing across the valley)."""
    signs = np.sign(np.asarray(path)[:, axis])
    signs = signs[signs != 0]
    return int(np.sum(signs[1:] != signs[:-1]))


# --- sections 4 and 5: the MLP on the moons ---


def moons_data():
    """The notebook's 256 moons, labels as a column of floats."""
    X, y = data.moons(256, noise=0.15, rng=0)
    return X, y[:, None].astype(float)


def moons_mlp(seed=1):
    """The notebook's 2 → 16 → 16 → 1 network, built afresh from a seed."""
    seed_rng = np.random.default_rng(seed)
    return Sequential(Linear(2, 16, seed_rng), Tanh(), Linear(16, 16, seed_rng), Tanh(),
                      Linear(16, 1, seed_rng), Sigmoid())


def reference_train_epoch(model, loss_fn, optimizer, X, y, batch_size, rng):
    """The notebook's train_epoch: mini-batches, the per-sample mean loss."""
    total = 0.0
    for X_batch, y_batch in data.minibatches(X, y, batch_size, rng):
        loss = loss_fn.forward(model.forward(X_batch), y_batch)
        model.backward(loss_fn.backward())
        optimizer.step()
        total += loss * len(X_batch)
    return total / len(X)


def moons_split():
    """The notebook's moons cut into 192 training and 64 validation samples:
    ``(X_train, y_train), (X_val, y_val)``."""
    X, y = moons_data()
    X_train, X_val, y_train, y_val = data.train_test_split(X, y, 0.25, rng=0)
    return (X_train, y_train), (X_val, y_val)


def validation_sweep(lrs, make_model, make_optimizer, train_data, val_data, epochs,
                     batch_size=32, seed=0, train_epoch=reference_train_epoch):
    """The reference of the notebook's ``lr_sweep``: a fresh model, optimiser and batch
    generator per rate, ``epochs`` epochs, then the validation MSE; returns
    ``(losses, best_lr)``, the rate chosen on the validation losses."""
    (X_train, y_train), (X_val, y_val) = train_data, val_data
    losses = []
    for lr in lrs:
        model = make_model()
        optimizer, epoch_rng = make_optimizer(model, lr), np.random.default_rng(seed)
        for _ in range(epochs):
            train_epoch(model, MSELoss(), optimizer, X_train, y_train, batch_size, epoch_rng)
        losses.append(float(MSELoss().forward(model.forward(X_val), y_val)))
    return losses, lrs[int(np.argmin(losses))]


def below(lrs, losses, level=0.1):
    """The rates whose loss is below ``level``."""
    return [lr for lr, loss in zip(lrs, losses, strict=True) if loss < level]


def batch_size_finals(sizes=(1, 32, 256), epochs=20, lr=0.1, sgd=optim.SGD,
                      train_epoch=reference_train_epoch) -> dict[int, float]:
    """The training loss of each batch size's last epoch on the moons, from the same start
    with the same rate (section 4's runs, without the clock)."""
    X, y = moons_data()
    finals = {}
    for size in sizes:
        model, epoch_rng = moons_mlp(seed=1), np.random.default_rng(0)
        optimizer = sgd(model, lr=lr)
        for _ in range(epochs):
            loss = train_epoch(model, MSELoss(), optimizer, X, y, size, epoch_rng)
        finals[size] = float(loss)
    return finals


# --- mini-batch noise and flat spots ---

#: The two dips of the flat-spot example, and the width of each.
DIPS, DIP_WIDTH = np.array([-2.0, 2.0]), 1.0


def two_dips(theta, centres=DIPS):
    """L(θ) = mean over the samples c of −exp(−(θ − c)² / 2): one dip per sample's centre."""
    theta = np.asarray(theta, dtype=float)[..., None]
    return -np.mean(np.exp(-((theta - centres) ** 2) / (2 * DIP_WIDTH**2)), axis=-1)


def two_dips_gradient(theta, centres=DIPS):
    """dL/dθ of ``two_dips``, averaged over the given centres (a mini-batch of them)."""
    d = np.asarray(theta, dtype=float)[..., None] - centres
    return np.mean(d / DIP_WIDTH**2 * np.exp(-(d**2) / (2 * DIP_WIDTH**2)), axis=-1)


def plateau_escape(start=1e-6, lr=1.0, steps=60, seed=0):
    """Gradient descent and SGD (one sample per step) on ``two_dips`` from ``start``, a hair
    away from the flat top between the dips, where the two samples' gradients cancel.

    Returns ``{"gradient descent": losses, "SGD, batch of 1": losses}``, steps + 1 each.
    """
    rng = np.random.default_rng(seed)
    paths = {"gradient descent": [start], "SGD, batch of 1": [start]}
    for _ in range(steps):
        theta = paths["gradient descent"][-1]
        paths["gradient descent"].append(theta - lr * float(two_dips_gradient(theta)))
        theta = paths["SGD, batch of 1"][-1]
        sample = DIPS[rng.integers(len(DIPS))]
        paths["SGD, batch of 1"].append(theta - lr * float(two_dips_gradient(theta, sample)))
    return {name: two_dips(np.array(path)) for name, path in paths.items()}


def steps_to_leave(losses, level=-0.4) -> int:
    """The first step at which the loss is below ``level`` (inside a dip); len(losses) if
    it never is."""
    below = np.flatnonzero(np.asarray(losses) < level)
    return int(below[0]) if len(below) else len(losses)


# --- section 6: the scale of the inputs ---


def input_scale_data(n=64, rng=5):
    """Temperatures around 500 K (spread 40) and a target linear in them, with some noise."""
    rng = np.random.default_rng(rng)
    z = rng.normal(size=n)
    return 500 + 40 * z, 3 * z + 1 + 0.3 * rng.normal(size=n)


def linear_neuron_lr_limit(x) -> float:
    """2 / the largest curvature of the MSE of ŷ = w x + b along (w, b): the largest rate at
    which plain gradient descent does not diverge."""
    x = np.asarray(x, dtype=float)
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    return float(2 / np.linalg.eigvalsh(hessian).max())


def linear_neuron_descent(x, y, lr, steps=100, blow_up=1e10) -> np.ndarray:
    """The MSE of ŷ = w x + b, from w = b = 0, before each of ``steps`` steps of gradient
    descent and after the last; cut short once it passes ``blow_up`` (a diverging run)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = b = 0.0
    losses = []
    for _ in range(steps):
        residual = w * x + b - y
        losses.append(float(np.mean(residual**2)))
        if losses[-1] > blow_up:
            return np.array(losses)
        w, b = w - lr * 2 * np.mean(residual * x), b - lr * 2 * np.mean(residual)
    losses.append(float(np.mean((w * x + b - y) ** 2)))
    return np.array(losses)


# --- section 7: over-fitting, early stopping and weight decay ---


def overfit_data(n=40):
    """The notebook's noisy sine: n points, half for training and half for validation (20 and
    20 by default), and 200 test points from the same curve, kept aside until the end."""
    X_small, y_small = data.noisy_curve(np.sin, n=n, noise=0.3, rng=3)
    X_fit, X_check, y_fit, y_check = data.train_test_split(X_small, y_small, 0.5, rng=13)
    X_test, y_test = data.noisy_curve(np.sin, n=200, noise=0.3, rng=31)
    return X_fit, X_check, X_test, y_fit, y_check, y_test


def overfit_mlp():
    """The notebook's 1 → 64 → 64 → 1 tanh network."""
    net_rng = np.random.default_rng(23)
    return Sequential(Linear(1, 64, net_rng), Tanh(), Linear(64, 64, net_rng), Tanh(),
                      Linear(64, 1, net_rng))


def regularised_run(weight_decay=0.0, epochs=300, adam=optim.Adam,
                    train_epoch=reference_train_epoch, penalised=None, n=40):
    """Train ``overfit_mlp`` on ``overfit_data`` with Adam (lr 0.01, batches of 20), with an L2
    penalty ``weight_decay / 2 · Σ W²`` on the weight matrices when weight_decay > 0
    (``penalised(model, weight_decay)`` adds ``weight_decay · W`` to their gradients).

    ``n`` points in all, half for training and half for validation (``overfit_data``).
    Keeps the weights of the best validation epoch, like the notebook's early stopping.
    Returns a dict: ``train`` and ``val`` losses per epoch, ``best_epoch``, the test loss of
    the last epoch's weights (``test_last``) and of the best epoch's (``test_best``).
    """
    X_fit, X_check, X_test, y_fit, y_check, y_test = overfit_data(n)
    net = overfit_mlp()
    model = (penalised or WithWeightDecay)(net, weight_decay) if weight_decay else net
    optimizer, loss_fn, epoch_rng = adam(model, lr=0.01), MSELoss(), np.random.default_rng(7)
    train_losses, val_losses, best_params = [], [], None
    for _ in range(epochs):
        train_losses.append(train_epoch(model, loss_fn, optimizer, X_fit, y_fit, 20, epoch_rng))
        val_losses.append(float(loss_fn.forward(net.forward(X_check), y_check)))
        if val_losses[-1] <= min(val_losses):
            best_params = [param.copy() for param, _ in net.parameters()]
    test_last = float(loss_fn.forward(net.forward(X_test), y_test))
    for (param, _), best in zip(net.parameters(), best_params, strict=True):
        param[...] = best
    return {"train": np.array(train_losses), "val": np.array(val_losses),
            "best_epoch": int(np.argmin(val_losses)) + 1, "test_last": test_last,
            "test_best": float(loss_fn.forward(net.forward(X_test), y_test))}


class WithWeightDecay:
    """A model whose backward adds ``weight_decay · W`` to the gradient of every weight
    matrix (not the biases): the gradient of the penalty ``weight_decay / 2 · Σ W²``."""

    def __init__(self, model, weight_decay):
        self.model, self.weight_decay = model, weight_decay

    def forward(self, x):
        return self.model.forward(x)

    def backward(self, dout):
        dx = self.model.backward(dout)
        for param, grad in self.model.parameters():
            if param.ndim == 2:
                grad += self.weight_decay * param
        return dx

    def parameters(self):
        return self.model.parameters()


# --- section 1: how good is a mini-batch gradient ---


def batch_gradient_errors(sizes=(1, 16, 64, 256, 1024), repeats: int = 200, n: int = 4096,
                          theta=(-2.0, 2.0), rng=0) -> tuple[np.ndarray, dict[int, float]]:
    """The full gradient of the line fit at ``theta`` and, for each batch size B, the mean
    distance between it and the gradient of ``repeats`` random batches of B samples.

    Drawing from ``rng`` (a seed or a Generator, consumed in place), one batch at a time.
    """
    from helpers.interact import line_fit_problem

    rng = np.random.default_rng(rng)
    x, y, _surface, gradient = line_fit_problem(n=n)
    theta = np.asarray(theta, dtype=float)
    full = gradient(theta, x, y)
    errors = {}
    for B in sizes:
        draws = []
        for _ in range(repeats):
            rows = rng.choice(len(x), size=B, replace=False)
            draws.append(np.linalg.norm(gradient(theta, x[rows], y[rows]) - full))
        errors[B] = float(np.mean(draws))
    return full, errors


def patience_stop(val_losses, patience: int = 50) -> tuple[int, int]:
    """Where a patience rule stops a loop over ``val_losses`` (epoch 1 first): the epoch
    after which ``patience`` epochs in a row brought no new lowest, and the best epoch then;
    (last, best) if it never stops."""
    best_loss, best_epoch = np.inf, 0
    for epoch, loss in enumerate(val_losses, start=1):
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
        if epoch - best_epoch >= patience:
            return epoch, best_epoch
    return len(val_losses), best_epoch
