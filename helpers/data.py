"""Datasets for the workbook.

Every function that draws random numbers takes ``rng``: a ``np.random.Generator``, an int
seed, or None for fresh randomness. Data is row-major: ``X`` has shape (N, D) and labels
``y`` shape (N,). Nothing here downloads anything unless the caller asks for it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["as_rng", "movie_ratings", "xor", "train_test_split"]


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
