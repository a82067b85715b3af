"""The computations behind notebook 06's claims (softmax, cross-entropy and the digits).

Each function is small and fast; the notebook prints its result and ``tests/`` assert the
claim the notebook makes about it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid_output_gradients", "squared_error_peak", "top_confusions", "confusion_extremes",
           "validation_split", "halving_schedule", "decay_on_line_fit",
           "initial_loss", "temperature_extremes", "confidence", "accuracy",
           "smallest_within", "decay_schedule"]


def sigmoid_output_gradients(z: np.ndarray, y: float = 1.0) -> dict[str, np.ndarray]:
    """The size of dL/dz for a sigmoid output a = σ(z) and label y, under both losses:
    ``{"squared error": |(a − y) a (1 − a)|, "cross-entropy": |a − y|}``."""
    z = np.asarray(z, dtype=float)
    a = 0.5 * (1 + np.tanh(z / 2))  # σ(z) without overflow
    return {"squared error": np.abs((a - y) * a * (1 - a)), "cross-entropy": np.abs(a - y)}


def squared_error_peak(y: float = 1.0, z: np.ndarray | None = None) -> tuple[float, float]:
    """Where the squared-error gradient of a sigmoid output peaks, and its height there,
    read off the curve on a fine grid (the plotted one when ``z`` is given).

    For y = 1 it is (1 − a)² a, largest at a = 1/3, z = ln ½ ≈ −0.69, height 4/27: not at
    z = 0, where a(1 − a) alone peaks.
    """
    z = np.linspace(-8, 8, 160001) if z is None else np.asarray(z, dtype=float)
    curve = sigmoid_output_gradients(z, y)["squared error"]
    i = int(np.argmax(curve))
    return float(z[i]), float(curve[i])


def top_confusions(
    y_true: np.ndarray, y_pred: np.ndarray, k: int = 3
) -> list[tuple[int, int, int]]:
    """The k most frequent mistakes as (true class, predicted class, count), largest first;
    ties in the order of the classes."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred must hold one label per sample each; got "
                         f"{len(y_true)} and {len(y_pred)} labels")
    wrong = y_true != y_pred
    pairs, counts = np.unique(np.column_stack([y_true[wrong], y_pred[wrong]]), axis=0,
                              return_counts=True)
    order = np.argsort(-counts, kind="stable")[:k]
    return [(int(pairs[i, 0]), int(pairs[i, 1]), int(counts[i])) for i in order]


def confusion_extremes(
    y_true: np.ndarray, y_pred: np.ndarray
) -> tuple[tuple[int, int], int]:
    """What the confusion matrix's two colour scales span: ((fewest, most) right answers of
    a class, the count of the most frequent mistake, 0 without mistakes)."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    right = np.bincount(y_true[y_true == y_pred], minlength=int(y_true.max()) + 1)
    top = top_confusions(y_true, y_pred, k=1)
    return (int(right.min()), int(right.max())), (top[0][2] if top else 0)


def validation_split(X: np.ndarray, y: np.ndarray, n_val: int = 5000, rng=0):
    """A random ``n_val`` samples of the training set held out for validation:
    ``X_fit, X_val, y_fit, y_val`` (55 000 / 5 000 for MNIST's 60 000)."""
    if not 0 < n_val < len(X):
        raise ValueError(f"n_val must be between 1 and {len(X) - 1} (the training set has "
                         f"{len(X)} samples); got {n_val}")
    rows = np.random.default_rng(rng).permutation(len(X))
    return X[rows[n_val:]], X[rows[:n_val]], y[rows[n_val:]], y[rows[:n_val]]


def halving_schedule(lr: float, epochs: int) -> np.ndarray:
    """The learning rate of each epoch when it is halved after every epoch: lr / 2^t."""
    return lr / 2.0 ** np.arange(epochs)


def decay_schedule(lr: float, epochs: int, factor: float) -> np.ndarray:
    """The learning rate of each epoch, multiplied by ``factor`` after every one."""
    return lr * factor ** np.arange(epochs)


def decay_on_line_fit(lr: float = 0.3, epochs: int = 6, batch_size: int = 4, seeds: int = 20):
    """Mini-batch SGD on notebook 05's two-parameter line fit, with a constant learning rate
    and with one halved after every epoch, from (w, b) = (−2, 2).

    Returns ``{"constant": excess, "halved every epoch": excess}``: the loss above the
    minimum after each epoch, averaged over ``seeds`` shufflings (shape (epochs,)).
    """
    from helpers.interact import line_fit_problem

    x, y, surface, gradient = line_fit_problem(n=64)
    design = np.column_stack([x[:, 0], np.ones(len(x))])
    best = float(surface(np.linalg.lstsq(design, y[:, 0], rcond=None)[0]))
    excess = {"constant": np.zeros(epochs), "halved every epoch": np.zeros(epochs)}
    for name, rates in (("constant", np.full(epochs, lr)),
                        ("halved every epoch", halving_schedule(lr, epochs))):
        for seed in range(seeds):
            rng, theta = np.random.default_rng(seed), np.array([-2.0, 2.0])
            for epoch, rate in enumerate(rates):
                order = rng.permutation(len(x))
                for start in range(0, len(x), batch_size):
                    rows = order[start : start + batch_size]
                    theta = theta - rate * gradient(theta, x[rows], y[rows])
                excess[name][epoch] += (float(surface(theta)) - best) / seeds
    return excess


def initial_loss(loss, scale: float, n: int = 1000, classes: int = 10, rng=0) -> float:
    """The loss an untrained classifier starts at: ``loss.forward`` of random logits
    ``scale * normal`` (n, classes) against random labels. Small logits give about ln C."""
    rng = np.random.default_rng(rng)
    logits = scale * rng.normal(size=(n, classes))
    return float(loss.forward(logits, rng.integers(0, classes, size=n)))


def temperature_extremes(scores, temperatures=(0.05, 1.0, 100.0)) -> dict[float, np.ndarray]:
    """softmax(scores / T) for a few temperatures: near one-hot on the largest score as
    T -> 0, near uniform for large T, the order of the classes the same for every T > 0."""
    from helpers.losses import softmax

    scores = np.asarray(scores, dtype=float)
    return {float(t): softmax(scores / t) for t in temperatures}


def confidence(probabilities: np.ndarray, y_true: np.ndarray) -> dict[str, float]:
    """How sure a classifier is: the median of its largest probability over the samples it
    gets right and over those it gets wrong, and the share of right answers above 0.9."""
    probabilities = np.asarray(probabilities)
    top, right = probabilities.max(axis=1), probabilities.argmax(axis=1) == np.asarray(y_true)
    return {"right": float(np.median(top[right])), "wrong": float(np.median(top[~right])),
            "right above 0.9": float(np.mean(top[right] > 0.9))}


def accuracy(model, X: np.ndarray, y: np.ndarray) -> float:
    """The share of samples of X whose largest logit is the true class."""
    return float(np.mean(np.argmax(model.forward(X), axis=1) == np.asarray(y)))


def smallest_within(score_by_option: dict, margin: float):
    """The smallest option (a width) whose score is within ``margin`` of the best one: the
    rule that trades a little accuracy for a cheaper network."""
    best = max(score_by_option.values())
    return min(option for option, score in score_by_option.items() if score >= best - margin)
