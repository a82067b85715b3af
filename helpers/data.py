"""Datasets for the workbook.

Every function that draws random numbers takes ``rng``: a ``np.random.Generator``, an int
seed, or None for fresh randomness. Data is row-major: ``X`` has shape (N, D) and labels
``y`` shape (N,). MNIST (download, checksums, IDX files) lives in :mod:`helpers.mnist`;
``data.load_mnist`` and the other MNIST names are re-exported here, where notebook 06 calls
them. Nothing downloads anything unless the caller asks for it.
"""

from __future__ import annotations

import numpy as np

# notebook 06 calls data.load_mnist(): MNIST's own module is helpers.mnist
from .mnist import (
    MNIST_FILES,
    MNIST_MIRRORS,
    MnistUnavailable,
    load_mnist,
    mnist_folder,
    read_idx,
)

__all__ = [
    "as_rng",
    "movie_ratings",
    "xor",
    "circles",
    "moons",
    "spiral",
    "blobs",
    "DATASETS_2D",
    "noisy_curve",
    "random_labels",
    "train_test_split",
    "minibatches",
    "standardize",
    "MNIST_FILES",
    "MNIST_MIRRORS",
    "MnistUnavailable",
    "read_idx",
    "mnist_folder",
    "load_mnist",
]


def as_rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    """``rng`` as a Generator: an int is a seed, None means fresh randomness."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng must be a np.random.Generator, an int seed or None; got {type(rng).__name__}. "
        "Make one with rng = np.random.default_rng(0)."
    )


def movie_ratings(
    n: int = 100, rng: np.random.Generator | int | None = None, margin: float = 0.4
) -> tuple[np.ndarray, np.ndarray]:
    """Alice's and Carol's grades for ``n`` movies, and whether Bob liked each one.

    Returns ``X`` of shape (n, 2) with grades in [0, 10] (column 0: Alice, column 1: Carol)
    and ``y`` of shape (n,) with Bob's verdict, 1 (liked) or 0. Bob's taste is a weighted
    vote, 0.6 * Alice + 0.4 * Carol > 5, so the two classes are separable by a line; no movie
    lies closer than ``margin`` grade points to that line, so the perceptron converges fast.
    """
    if n < 1:
        raise ValueError(f"n must be a positive number of movies; got {n}")
    rng = as_rng(rng)
    w_true, b_true = np.array([0.6, 0.4]), -5.0
    X = np.empty((0, 2))
    while len(X) < n:
        candidates = rng.uniform(0, 10, size=(2 * n, 2)).round(1)
        distance = (candidates @ w_true + b_true) / np.linalg.norm(w_true)
        X = np.vstack([X, candidates[np.abs(distance) >= margin]])
    X = X[:n]
    y = (X @ w_true + b_true > 0).astype(int)
    return X, y


def xor(
    n: int | None = None, noise: float = 0.0, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The XOR problem.

    With ``n=None``: the four corners (0, 0), (0, 1), (1, 0), (1, 1) and their labels
    0, 1, 1, 0. With ``n``: ``n`` points drawn around the four corners with Gaussian
    ``noise`` (a standard deviation), labelled by their corner.
    """
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1, 0])
    if n is None:
        return corners, labels
    rng = as_rng(rng)
    which = rng.integers(0, 4, size=n)
    return corners[which] + noise * rng.standard_normal((n, 2)), labels[which]


def train_test_split(
    X: np.ndarray,
    y: np.ndarray,
    test_fraction: float = 0.25,
    rng: np.random.Generator | int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the samples once and split them: ``X_train, X_test, y_train, y_test``.

    X and y are shuffled with the same permutation, so every label stays with its sample.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(
            f"X and y must hold the same number of samples; got {len(X)} rows in X and "
            f"{len(y)} labels in y"
        )
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie between 0 and 1; got {test_fraction}")
    order = as_rng(rng).permutation(len(X))
    n_test = max(1, round(test_fraction * len(X)))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def circles(
    n: int = 200, noise: float = 0.1, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric rings: class 0 on radius 1, class 1 on radius 0.4, plus ``noise``."""
    rng = as_rng(rng)
    y = rng.integers(0, 2, size=n)
    angle = rng.uniform(0, 2 * np.pi, size=n)
    radius = np.where(y == 0, 1.0, 0.4)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal((n, 2)), y


def moons(
    n: int = 200, noise: float = 0.1, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles."""
    rng = as_rng(rng)
    y = rng.integers(0, 2, size=n)
    t = rng.uniform(0, np.pi, size=n)
    X = np.where(
        (y == 0)[:, None],
        np.column_stack([np.cos(t), np.sin(t)]),
        np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]),
    )
    return X + noise * rng.standard_normal((n, 2)), y


def spiral(
    n: int = 300,
    noise: float = 0.1,
    rng: np.random.Generator | int | None = None,
    classes: int = 2,
    turns: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms (a hard problem for a linear model)."""
    rng = as_rng(rng)
    y = rng.integers(0, classes, size=n)
    r = rng.uniform(0.05, 1.0, size=n)
    angle = 2 * np.pi * (turns * r + y / classes)
    X = r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * 0.3 * rng.standard_normal((n, 2)), y


def blobs(
    n: int = 200,
    noise: float = 0.1,
    rng: np.random.Generator | int | None = None,
    classes: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs around ``classes`` centres on the unit circle; ``noise`` widens them."""
    rng = as_rng(rng)
    y = rng.integers(0, classes, size=n)
    angle = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
    centres = np.column_stack([np.cos(angle), np.sin(angle)])
    return centres[y] + (0.15 + 2 * noise) * rng.standard_normal((n, 2)), y


def _xor_cloud(n: int = 200, noise: float = 0.1, rng=None) -> tuple[np.ndarray, np.ndarray]:
    """XOR as a cloud centred on 0: the four quadrants, opposite ones sharing a class."""
    rng = as_rng(rng)
    X = rng.uniform(-1, 1, size=(n, 2))
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int)
    return X + noise * rng.standard_normal((n, 2)), y


#: The 2-D classification problems of the playground, by name: f(n, noise, rng) -> (X, y).
DATASETS_2D = {
    "xor": _xor_cloud,
    "circles": circles,
    "moons": moons,
    "spiral": spiral,
    "blobs": blobs,
}


def noisy_curve(
    f,
    n: int = 100,
    noise: float = 0.1,
    rng: np.random.Generator | int | None = None,
    low: float = -3.0,
    high: float = 3.0,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points x in [low, high] with targets f(x) + Gaussian noise; X (n, 1), y (n, 1)."""
    rng = as_rng(rng)
    x = np.sort(rng.uniform(low, high, size=n))
    return x[:, None], (f(x) + noise * rng.standard_normal(n))[:, None]


def random_labels(
    n: int = 200, d: int = 2, classes: int = 2, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian inputs with labels drawn at random: nothing to learn, everything to memorise."""
    rng = as_rng(rng)
    return rng.standard_normal((n, d)), rng.integers(0, classes, size=n)


def minibatches(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    rng: np.random.Generator | int | None = None,
):
    """Reference mini-batch iterator: one shuffled pass over (X, y) in batches.

    X and y are shuffled with one permutation (each label stays with its sample); every
    sample appears exactly once; the last batch may be smaller.
    """
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1; got {batch_size}")
    order = as_rng(rng).permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]


# --- notebook 05: stochastic gradient descent ---


def standardize(X_train: np.ndarray, *others: np.ndarray) -> tuple[np.ndarray, ...]:
    """Shift and scale every column to mean 0, standard deviation 1, by the TRAINING statistics.

    Returns one array per argument: ``X_train_s, X_test_s = standardize(X_train, X_test)``.
    The test arrays use the training mean and standard deviation, so nothing about them
    leaks into the model. A constant column (the same value in every training row) is only
    centred: exactly 0 in training, x − that value elsewhere (never a division by the ~1e-17
    that rounding leaves as its spread). Float32 stays float32; anything else becomes float64.
    """
    X_train = np.asarray(X_train)
    dtype = X_train.dtype if X_train.dtype in (np.float32, np.float64) else np.dtype(np.float64)
    for i, X in enumerate(others, start=2):
        if np.shape(X)[1:] != X_train.shape[1:]:
            raise ValueError(
                f"argument {i} has shape {np.shape(X)}; every array needs the columns of "
                f"X_train, shape (N, {', '.join(map(str, X_train.shape[1:]))})"
            )
    if len(X_train) == 0:
        raise ValueError("X_train has no rows: there are no statistics to standardize by")
    # the statistics in float64 (accurate sums even for float32 data), applied in `dtype`
    mean = X_train.mean(axis=0, dtype=np.float64)
    std = X_train.std(axis=0, dtype=np.float64)
    constant = np.all(X_train == X_train[0], axis=0)
    mean = np.where(constant, X_train[0], mean)  # the column's own value: centred exactly
    std = np.where(constant, 1.0, std)
    mean, std = mean.astype(dtype), std.astype(dtype)
    return tuple((np.asarray(X, dtype=dtype) - mean) / std for X in (X_train, *others))
