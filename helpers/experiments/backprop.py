"""The runs behind notebook 03's claims (the chain rule and backpropagation).

- :func:`gate_gradients`: what the add, multiply and max gates pass back (section 2);
- :func:`gradient_sizes_by_depth` and :func:`factor_per_layer`: vanishing and exploding
  gradients in a stack of single neurons, with the activation's slope and the weights'
  scale kept apart (section 3);
- :func:`forgetting_zero_grad`: the student's ``Value`` trains a tanh neuron with and
  without zeroing the gradients (section 8);
- :func:`train_value_mlp`: the student's ``Value`` and ``Neuron`` train a small network on
  the two moons (section 8).

The notebook passes the student's own functions (derivatives, ``train_neuron``); the tests
pass reference ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from helpers import data
from helpers.autograd import Value, topological_order

__all__ = [
    "backward_without_accumulation",
    "gate_gradients",
    "table_graph",
    "gradient_sizes_by_depth",
    "factor_per_layer",
    "train_neuron",
    "train_value_neuron",
    "forgetting_zero_grad",
    "train_value_mlp",
    "value_scores",
]

Activation = Callable[[np.ndarray], np.ndarray]

#: The three gates whose backward patterns every backward pass is built from.
GATES: dict[str, Callable[[float, float], float]] = {
    "add": lambda x, y: x + y,
    "multiply": lambda x, y: x * y,
    "max": max,
}


def gate_gradients(x: float, y: float, g: float, h: float = 1e-6) -> dict[str, tuple[float, float]]:
    """What each gate passes back to its inputs x and y when g arrives from above.

    Measured, not derived: the central differences of g·gate(x, y) with respect to x and y.
    Returns ``{"add": (dx, dy), "multiply": (dx, dy), "max": (dx, dy)}``. For max, x and y
    must differ by more than h (at a tie max has no derivative).
    """
    if abs(x - y) <= 2 * h:
        raise ValueError(f"x and y must differ for the max gate to have a slope; got {x} and {y}")
    result = {}
    for name, gate in GATES.items():
        dx = g * (gate(x + h, y) - gate(x - h, y)) / (2 * h)
        dy = g * (gate(x, y + h) - gate(x, y - h)) / (2 * h)
        result[name] = (float(dx), float(dy))
    return result


def _stack_gradients(
    f: Activation,
    f_prime: Activation,
    depth: int,
    weight_scale: float,
    random_weights: bool,
    n_stacks: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """|d a_k / d a_0| for k = 1..depth in ``n_stacks`` stacks: an array (depth, n_stacks)."""
    a = rng.normal(size=n_stacks)  # the inputs a_0
    grad = np.ones(n_stacks)
    sizes = np.empty((depth, n_stacks))
    for k in range(depth):
        if random_weights:
            w = weight_scale * rng.normal(size=n_stacks)
            b = rng.normal(size=n_stacks)
        else:
            w, b = np.full(n_stacks, float(weight_scale)), np.zeros(n_stacks)
        z = w * a + b
        grad = grad * w * np.asarray(f_prime(z), dtype=float)  # one local factor w·f'(z)
        a = np.asarray(f(z), dtype=float)
        sizes[k] = np.abs(grad)
    return sizes


def gradient_sizes_by_depth(
    f: Activation,
    f_prime: Activation,
    depth: int = 30,
    weight_scale: float = 1.0,
    random_weights: bool = True,
    n_stacks: int = 2000,
    rng: np.random.Generator | int | None = 0,
) -> np.ndarray:
    """The median of |∂a_k/∂a_0| over ``n_stacks`` stacks a_k = f(w_k a_{k-1} + b_k), k = 1..depth.

    The inputs a_0 are drawn from N(0, 1). ``random_weights=True``: every w_k from
    N(0, weight_scale²) and b_k from N(0, 1); ``False``: w_k = weight_scale and b_k = 0, so
    that with weight_scale 1 only the activation's slope acts. Returns an array (depth,).
    """
    if depth < 1 or n_stacks < 1:
        raise ValueError(f"depth and n_stacks must be positive; got {depth} and {n_stacks}")
    rng = np.random.default_rng(rng)
    sizes = _stack_gradients(f, f_prime, depth, weight_scale, random_weights, n_stacks, rng)
    return np.median(sizes, axis=1)


def factor_per_layer(
    f: Activation,
    f_prime: Activation,
    weight_scales: Sequence[float],
    depth: int = 30,
    n_stacks: int = 2000,
    rng: np.random.Generator | int | None = 0,
) -> np.ndarray:
    """The typical factor per layer, (median |∂a_depth/∂a_0|)^(1/depth), for random weights.

    One value per scale s in ``weight_scales``: w_k from N(0, s²), b_k from N(0, 1). Below 1
    the gradient vanishes with depth, above 1 it explodes. Returns an array (len(scales),).
    """
    rng = np.random.default_rng(rng)
    factors = []
    for scale in weight_scales:
        sizes = _stack_gradients(f, f_prime, depth, scale, True, n_stacks, rng)
        factors.append(np.median(sizes[-1]) ** (1.0 / depth))
    return np.array(factors)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def train_neuron(
    X: np.ndarray, y: np.ndarray, lr: float, epochs: int, rng: np.random.Generator
) -> tuple[np.ndarray, float, np.ndarray]:
    """Notebook 03's exercise, for reference: a = σ(X @ w + b) by full-batch gradient descent
    on the MSE from w = rng.normal(0, 0.1, size=D), b = 0; returns (w, b, losses)."""
    w, b = rng.normal(0, 0.1, size=X.shape[1]), 0.0
    losses = []
    for _ in range(epochs):
        a = _sigmoid(X @ w + b)
        losses.append(np.mean((a - y) ** 2))
        dz = 2 * (a - y) * a * (1 - a) / len(y)
        w = w - lr * (X.T @ dz)
        b = b - lr * dz.sum()
    return w, b, np.array(losses)


def train_value_neuron(X, y, lr: float, epochs: int, zero_grad: bool = True):
    """The loop of notebook 03's ``train_value_neuron`` in numpy: a tanh neuron from w = 0,
    b = 0, full-batch gradient descent on the MSE; without ``zero_grad`` each update uses
    the sum of every gradient so far, as a Value whose grads are never reset does."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    gw, gb = np.zeros(X.shape[1]), 0.0
    losses = []
    for _ in range(epochs):
        a = np.tanh(X @ w + b)
        losses.append(float(np.mean((a - y) ** 2)))
        dz = 2 * (a - y) * (1 - a**2) / len(y)
        gw, gb = (X.T @ dz, dz.sum()) if zero_grad else (gw + X.T @ dz, gb + dz.sum())
        w, b = w - lr * gw, b - lr * gb
    return list(w), float(b), losses


def forgetting_zero_grad(
    train: Callable = train_value_neuron, n_movies: int = 50, lr: float = 0.5, epochs: int = 60,
    target: float = 0.5,
) -> dict[str, dict[str, object]]:
    """Train a tanh neuron on Bob's movies with and without zeroing the gradients.

    ``train(X, y, lr, epochs, zero_grad)`` returns (w, b, losses), like notebook 03's
    ``train_value_neuron``; the inputs are the grades / 10 and the targets +``target`` (Bob
    liked the movie) or -``target``: below 1, tanh reaches them with finite weights, so the
    loss has a minimum to settle in. Returns ``{"zeroed": run, "not zeroed": run}``; a run
    holds ``losses``, ``w``, ``b``, ``increases`` (epochs after which the loss went up),
    ``lowest`` (the lowest loss on the way) and ``size`` (the largest |parameter|).
    """
    X, y = data.movie_ratings(n_movies, rng=0)
    grades, targets = X / 10, target * (2.0 * y - 1)
    runs: dict[str, dict[str, object]] = {}
    for name, zero_grad in (("zeroed", True), ("not zeroed", False)):
        w, b, losses = train(grades, targets, lr, epochs, zero_grad=zero_grad)
        losses = np.asarray(losses, dtype=float)
        params = np.append(np.asarray(w, dtype=float), float(b))
        runs[name] = {
            "losses": losses,
            "w": params[:-1],
            "b": float(b),
            "increases": int(np.sum(np.diff(losses) > 0)),
            "lowest": float(losses.min()),
            "size": float(np.abs(params).max()),
        }
    return runs


def learning_rate_runs(
    train: Callable = train_neuron, lrs: Sequence[float] = (1.0, 10.0, 100.0),
    epochs: int = 1000, seed: int = 1,
) -> dict[float, np.ndarray]:
    """The loss curves of a sigmoid neuron on Bob's 100 movies (grades / 10), one per
    learning rate, each from the same start (``np.random.default_rng(seed)``): section 7's
    prediction at lr = 100. Returns ``{lr: losses}``."""
    X, y = data.movie_ratings(100, rng=0)
    runs = {}
    for lr in lrs:
        _, _, losses = train(X / 10, y, lr=lr, epochs=epochs, rng=np.random.default_rng(seed))
        runs[float(lr)] = np.asarray(losses, dtype=float)
    return runs


def describe_curve(losses: Sequence[float], settled: float = 0.05) -> dict[str, object]:
    """What a loss curve did, in the numbers section 7's text quotes.

    ``start`` and ``after_first`` (losses[0], losses[1]); ``highest`` and ``highest_epoch``;
    ``ups``, the epochs i at which the loss went up (losses[i] > losses[i - 1]);
    ``high_epochs``, how many epochs sat above the start; ``settled_from``, the first epoch
    from which the loss stays below ``settled``; ``plateaus``, see :func:`high_plateaus`;
    ``final``.
    """
    losses = np.asarray(losses, dtype=float)
    ups = [int(i) + 1 for i in np.flatnonzero(np.diff(losses) > 0)]
    above = losses >= settled
    settled_from = int(len(losses) - np.argmax(above[::-1])) if above.any() else 0
    return {
        "start": float(losses[0]),
        "after_first": float(losses[1]),
        "highest": float(losses.max()),
        "highest_epoch": int(losses.argmax()),
        "ups": ups,
        "high_epochs": int(np.sum(losses > losses[0])),
        "settled_from": settled_from,
        "plateaus": high_plateaus(losses),
        "final": float(losses[-1]),
    }


def high_plateaus(losses: Sequence[float], tol: float = 0.005,
                  min_epochs: int = 5) -> list[tuple[int, int, float]]:
    """The stretches where the loss sat still above its start: ``(first, last, level)`` for
    each run of at least ``min_epochs`` epochs above losses[0] that stay within ``tol`` of
    the loss at its first epoch (``level``)."""
    losses = np.asarray(losses, dtype=float)
    found, i = [], 1
    while i < len(losses):
        j = i
        while (j + 1 < len(losses) and losses[j + 1] > losses[0]
               and abs(losses[j + 1] - losses[i]) < tol):
            j += 1
        if losses[i] > losses[0] and j - i + 1 >= min_epochs:
            found.append((i, j, float(losses[i])))
        i = j + 1
    return found


def movie_split(n_movies: int = 150, seed: int = 3) -> tuple[np.ndarray, ...]:
    """Bob's movies (grades / 10) split into two thirds for training and one third for
    validation: ``X_train, X_val, y_train, y_val`` (section 7's learning-rate choice)."""
    X, y = data.movie_ratings(n_movies, rng=seed)
    return data.train_test_split(X / 10, y, test_fraction=1 / 3, rng=0)


def train_value_mlp(model, X, y, lr: float = 0.5, epochs: int = 40) -> dict[str, list[float]]:
    """Full-batch gradient descent of a network of Values on the hinge loss.

    ``model(x)`` maps a list of 2 numbers to one Value, the score (class 1 where it is
    positive); ``model.parameters()`` lists its Values. The loss is the mean of
    ReLU(1 − t·score) with targets t = ±1: 0 for a point on the right side with a margin of
    1, growing linearly on the wrong side. Returns ``losses`` and ``accuracies``, one per
    epoch, each before that epoch's update.
    """
    targets = (2.0 * np.asarray(y, dtype=float) - 1).tolist()
    params = model.parameters()
    losses, accuracies = [], []
    for _ in range(epochs):
        scores = [model(x) for x in np.asarray(X, dtype=float).tolist()]
        loss = sum((s * -t + 1).relu() for s, t in zip(scores, targets, strict=True))
        loss = loss * (1 / len(targets))
        losses.append(float(loss.data))
        accuracies.append(float(np.mean([(s.data > 0) == (t > 0)
                                         for s, t in zip(scores, targets, strict=True)])))
        for p in params:
            p.grad = 0.0
        loss.backward()
        for p in params:
            p.data -= lr * p.grad
    return {"losses": losses, "accuracies": accuracies}


def value_scores(model, points) -> np.ndarray:
    """The model's score for each row of ``points`` (an (M, 2) array), as numbers."""
    return np.array([model(p).data for p in np.asarray(points, dtype=float).tolist()])


def backward_without_accumulation(self) -> None:
    """A backward pass with one bug, for section 5 to show what ``check.value`` says about
    it: each edge's share overwrites the child's gradient where it belongs added. Kept here,
    not in the notebook, so that the notebook prints no backward pass before the student
    writes one."""
    self.grad = 1.0
    for v in reversed(topological_order(self)):
        for child, local in zip(v._children, v._local_grads, strict=True):
            child.grad = local * v.grad


def table_graph(table: dict[str, float], x: float = 1.0, y: float = 3.0, z: float = -2.0) -> Value:
    """The graph f = ((x + y)·z)² of section 2 with the student's backward table in it: the
    forward values computed, every gradient and local derivative taken from ``table`` (the
    keys of GRAPH_BACKWARD_TABLE), so that drawing it shows their numbers and no others."""
    keys = ("df_dq", "dq_ds", "dq_dz", "df_ds", "df_dz", "ds_dx", "ds_dy", "df_dx", "df_dy")
    missing = [k for k in keys if k not in table] if isinstance(table, dict) else list(keys)
    if missing:
        raise ValueError(f"GRAPH_BACKWARD_TABLE must be a dict with the keys {', '.join(keys)}; "
                         f"it lacks {', '.join(missing)}. Run its check cell first.")
    xv, yv, zv = Value(x, label="x"), Value(y, label="y"), Value(z, label="z")
    s = Value(x + y, (xv, yv), (table["ds_dx"], table["ds_dy"]), "+", label="s")
    q = Value((x + y) * z, (s, zv), (table["dq_ds"], table["dq_dz"]), "*", label="q")
    f = Value(((x + y) * z) ** 2, (q,), (table["df_dq"],), "**2", label="f")
    f.grad, q.grad = 1.0, float(table["df_dq"])
    s.grad, zv.grad = float(table["df_ds"]), float(table["df_dz"])
    xv.grad, yv.grad = float(table["df_dx"]), float(table["df_dy"])
    return f
