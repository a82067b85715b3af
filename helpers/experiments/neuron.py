"""The runs behind notebook 01's claims (the artificial neuron).

- :func:`step_slopes`: the step's slope measured by nudging z, zero except at the jump.
- :func:`perceptron`: the reference perceptron the runs and the questions' checks use.
- :func:`movie_epochs`: how long the perceptron runs on the movies.
- :func:`lr_scaling`, :func:`lr_scaling_option`: lr = 1 against lr = 0.1 from the same seed:
  10 times the weights, the same line (the answer to a prediction question).
- :func:`xor_perceptron_converges`: whether the perceptron ever has a clean epoch on XOR.
- :func:`linear_stacks_on_xor`: the best of many random linear stacks on XOR.
- :func:`moody_movies`: movies with some of Bob's verdicts flipped, split three ways.
- :func:`fewest_mistakes`: the fewest mistakes in any epoch of one long run (never 0 there).
- :func:`training_accuracies`: each run's accuracy on the movies it was trained on.
- :func:`chosen_test_accuracy`: the chosen run's accuracy on the test movies, measured once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .. import data

__all__ = [
    "LR_SCALING_OPTIONS",
    "linear_stacks_on_xor",
    "lr_scaling",
    "moody_movies",
    "movie_epochs",
    "lr_scaling_option",
    "perceptron",
    "step_slopes",
    "fewest_mistakes",
    "chosen_test_accuracy",
    "training_accuracies",
    "xor_perceptron_converges",
]


def step_slopes(
    step: Callable[[np.ndarray], np.ndarray],
    z: Sequence[float] = (-2.0, -0.5, 0.0, 0.5, 2.0),
    nudges: Sequence[float] = (1e-2, 1e-4, 1e-6),
) -> dict[float, np.ndarray]:
    """The slope (step(z + h) - step(z - h)) / 2h at each z, for each nudge h.

    Returns ``{h: slopes}`` with one slope per point of ``z``. Away from 0 every slope is 0;
    at z = 0 it is 1 / 2h, which grows without bound as h shrinks: there is no slope there.
    """
    z = np.asarray(z, dtype=float)
    return {h: (np.asarray(step(z + h), dtype=float) - np.asarray(step(z - h), dtype=float))
            / (2 * h) for h in nudges}


def _step(z):
    return (np.asarray(z) >= 0).astype(float)


def perceptron(X, y, lr=1.0, epochs=20, rng=None):
    """The perceptron of notebook 01, written separately from the notebook's solution:
    ``(w, b, mistakes_per_epoch)``, from w = 0, b = 0, each epoch in the order
    ``rng.permutation(N)``, stopping after an epoch without mistakes."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    w, b, history = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        count = 0
        for i in rng.permutation(len(X)) if rng is not None else range(len(X)):
            error = y[i] - _step(X[i] @ w + b)
            if error:
                w, b, count = w + lr * error * X[i], b + lr * error, count + 1
        history.append(count)
        if count == 0:
            break
    return w, b, history


def _movies():
    # the notebook's movies: the first draw of its rng = np.random.default_rng(0)
    return data.movie_ratings(100, np.random.default_rng(0))


def movie_epochs(lr: float = 0.1, seed: int = 1) -> int:
    """How many epochs the perceptron runs on the notebook's 100 movies (cell "watch it
    learn": lr=0.1, epochs=100, rng seed 1), the clean last epoch included."""
    X, y = _movies()
    return len(perceptron(X, y, lr=lr, epochs=100, rng=np.random.default_rng(seed))[2])


def lr_scaling(perceptron_fn=perceptron, lr_small: float = 0.1, lr_large: float = 1.0,
               seed: int = 1) -> dict:
    """The same run with two learning rates: the weights' ratio, the largest difference
    from exactly ``lr_large / lr_small`` times, and whether the mistakes agree."""
    X, y = _movies()
    w1, b1, m1 = perceptron_fn(X, y, lr=lr_small, epochs=100, rng=np.random.default_rng(seed))
    w2, b2, m2 = perceptron_fn(X, y, lr=lr_large, epochs=100, rng=np.random.default_rng(seed))
    factor = lr_large / lr_small
    return {
        "ratio_w": np.asarray(w2) / np.asarray(w1),
        "ratio_b": float(b2) / float(b1),
        "largest_difference": float(max(np.max(np.abs(np.asarray(w2) - factor * np.asarray(w1))),
                                        abs(float(b2) - factor * float(b1)))),
        "same_mistakes": list(m1) == list(m2),
        "epochs": (len(m1), len(m2)),
    }


#: The options of the question PREDICT_LR_SCALING: the movie run again with lr = 1.0.
LR_SCALING_OPTIONS = {
    "a": "fewer epochs: the steps are 10 times longer",
    "b": "the same epochs and mistakes; w and b 10 times larger; the same line",
    "c": "another line, found after a different number of epochs",
    "d": "it never stops: the steps are too large to settle",
}


def lr_scaling_option(perceptron_fn=perceptron) -> str:
    """The letter of LR_SCALING_OPTIONS that the movie run with lr = 1.0 against lr = 0.1
    (seed 1) shows."""
    X, y = _movies()
    _, _, small = perceptron_fn(X, y, lr=0.1, epochs=100, rng=np.random.default_rng(1))
    _, _, large = perceptron_fn(X, y, lr=1.0, epochs=100, rng=np.random.default_rng(1))
    scaling = lr_scaling(perceptron_fn)
    if large[-1] != 0:
        return "d"
    if len(large) < len(small):
        return "a"
    same_line = np.allclose(scaling["ratio_w"], 10) and np.isclose(scaling["ratio_b"], 10)
    return "b" if scaling["same_mistakes"] and same_line else "c"


def xor_perceptron_converges(epochs: int = 20) -> bool:
    """Whether the perceptron has an epoch without mistakes on the four XOR points."""
    X, y = data.xor()
    return 0 in perceptron(X, y, epochs=epochs)[2]


def linear_stacks_on_xor(n_stacks: int = 20_000, depths: Sequence[int] = (1, 2, 3),
                         width: int = 2, rng: np.random.Generator | int | None = 0) -> dict:
    """The best accuracy on XOR of ``n_stacks`` random stacks of ``depth`` linear layers
    (``width`` units each, then one output unit), thresholded at 0 by a step at the end.

    Returns ``{depth: best accuracy}``. Every linear stack equals one linear unit, so no
    stack gets more than 3 of the 4 points right.
    """
    rng = data.as_rng(rng)
    X, y = data.xor()
    best = {}
    for depth in depths:
        out = np.repeat(X[None], n_stacks, axis=0)  # (n_stacks, 4, 2)
        n_in = 2
        for _ in range(depth - 1):
            W = rng.normal(size=(n_stacks, n_in, width))
            out = out @ W + rng.normal(size=(n_stacks, 1, width))
            n_in = width
        w = rng.normal(size=(n_stacks, n_in, 1))
        z = (out @ w)[..., 0] + rng.normal(size=(n_stacks, 1))
        best[depth] = float(np.max(np.mean(_step(z) == y, axis=1)))
    return best


def moody_movies(rng: np.random.Generator | int | None = 0, n: int = 200,
                 flip: float = 0.15) -> tuple[np.ndarray, ...]:
    """Movies on which Bob's mood flips ``flip`` of his verdicts: no line is right for all.

    Returns ``X_train, y_train, X_val, y_val, X_test, y_test`` (60 %, 20 %, 20 %).
    """
    rng = data.as_rng(rng)
    X, y = data.movie_ratings(n, rng)
    y = np.where(rng.random(n) < flip, 1 - y, y)
    n_train, n_val = int(0.6 * n), int(0.2 * n)
    parts = np.split(np.arange(n), [n_train, n_train + n_val])
    return tuple(a for idx in parts for a in (X[idx], y[idx]))


def training_accuracies(train, X_train, y_train, epoch_options: Sequence[int],
                        seed: int = 0) -> list[float]:
    """For each number of epochs, the accuracy on the training movies themselves of the run
    ``train(X_train, y_train, epochs=..., rng=np.random.default_rng(seed))`` (the runs
    ``choose_epochs`` compares on validation)."""
    accuracies = []
    for epochs in epoch_options:
        w, b, _ = train(X_train, y_train, epochs=epochs, rng=np.random.default_rng(seed))
        accuracies.append(float(np.mean(_step(np.asarray(X_train) @ w + b) == y_train)))
    return accuracies


def fewest_mistakes(train, X_train, y_train, epochs: int = 50, seed: int = 0) -> int:
    """The fewest mistakes in any epoch of ``train(X_train, y_train, epochs=epochs,
    rng=np.random.default_rng(seed))``: above 0 when no line is right for every movie."""
    return int(min(train(X_train, y_train, epochs=epochs, rng=np.random.default_rng(seed))[2]))


def chosen_test_accuracy(train, X_train, y_train, X_test, y_test, epochs: int,
                         seed: int = 0) -> float:
    """The accuracy on the test movies of the run with ``epochs`` epochs, trained on the
    training movies from ``seed`` like the runs ``choose_epochs`` compares."""
    w, b, _ = train(X_train, y_train, epochs=epochs, rng=np.random.default_rng(seed))
    return float(np.mean(_step(np.asarray(X_test) @ w + b) == y_test))


def lines_after_each_epoch(train, X: np.ndarray, y: np.ndarray, lr: float, seed: int,
                           n_epochs: int) -> list[tuple[np.ndarray, float]]:
    """The line (w, b) after epoch 1, 2, ..., ``n_epochs`` of the run with ``seed``: each a
    run of its own, replayed from the same seed, so together they are one run's history."""
    return [train(X, y, lr=lr, epochs=k, rng=np.random.default_rng(seed))[:2]
            for k in range(1, n_epochs + 1)]
