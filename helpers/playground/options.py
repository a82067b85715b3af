"""What the playground offers: data sets, input features, activations, outputs, and the
listed values of every control, each with the label a student reads (0.03, not 3e-2)."""

from __future__ import annotations

import numpy as np

from .. import data


def _two_turn_spiral(n: int = 200, noise: float = 0.1, rng=None):
    return data.spiral(n, noise, rng, turns=2.0)


def _curve(n: int = 200, noise: float = 0.1, rng=None):
    """A 1-D regression: y = sin(3x) + noise for x in [-1.5, 1.5]; X (n, 1), y (n,)."""
    x, y = data.noisy_curve(lambda t: np.sin(3 * t), n=n, noise=noise, rng=rng,
                            low=-1.5, high=1.5)
    return x, y.ravel()


#: The data sets, by name: f(n, noise, rng) -> (X, y). ``curve`` is the one regression:
#: X has one column and y is a real number.
DATASETS = {**data.DATASETS_2D, "spiral, 2 turns": _two_turn_spiral, "curve": _curve}
REGRESSION = ("curve",)

#: The input features, each computed from the point (x1, x2), in the order they are drawn
#: (top to bottom). Keys are the names code uses; LABELS the ones a student reads.
FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1²": lambda X: X[:, 0] ** 2,
    "x2²": lambda X: X[:, 1] ** 2,
    "x1x2": lambda X: X[:, 0] * X[:, 1],
    "sin x1": lambda X: np.sin(X[:, 0]),
    "sin x2": lambda X: np.sin(X[:, 1]),
}
FEATURE_LABELS = {"x1": "x₁", "x2": "x₂", "x1²": "x₁²", "x2²": "x₂²", "x1x2": "x₁x₂",
                  "sin x1": "sin x₁", "sin x2": "sin x₂"}
FEATURE_ORDER = tuple(FEATURES)

#: The hidden units' activations.
ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")

#: The outputs, and the learning rate each starts with. A sigmoid output is trained with
#: binary cross-entropy on the 0/1 labels, a linear one (the last Linear layer alone,
#: thresholded at 0.5) with MSE. Both losses are unbounded, so a too large step shows as
#: it is. A regression (the ``curve`` data) always has the linear output.
OUTPUTS = {"sigmoid": 1.0, "linear": 0.1}


def _label(value: float) -> str:
    """A value as a student writes it: 0.03, 1.5, 30 (no float noise, no exponent)."""
    return f"{value:.6g}"


def _listed(values) -> tuple[tuple[str, float], ...]:
    return tuple((_label(v), v) for v in values)


#: Learning rates: 1, 1.5, 2, 3, 5 and 7 in every decade from 0.001 to 30, so that
#: neighbours are at most 5/3 apart.
LEARNING_RATES = _listed(rate for exponent in range(-3, 2) for m in (1, 1.5, 2, 3, 5, 7)
                         if (rate := float(f"{m * 10.0 ** exponent:.6g}")) <= 30)
#: Batch sizes; "all" (the whole training set at once, gradient descent) is None in code.
BATCH_SIZES = ("all", 1, 4, 10, 30, 100)
REGULARISATIONS = ("none", "L1", "L2")
#: Regularisation rates λ.
RATES = _listed((0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1))
NOISES = _listed(round(0.05 * k, 2) for k in range(11))
#: The share of the points kept out of training to choose by (the validation points).
VALIDATION_SHARES = tuple((f"{round(100 * v)} %", v) for v in
                          (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8))
#: Points the network is trained or validated on, and the test points apart from them.
N_POINTS, N_TEST = 200, 100


class BinaryCrossEntropy:
    """−mean(y log p + (1 − y) log(1 − p)) for probabilities ``p`` (a sigmoid's output).

    ``p`` is clipped to [1e-12, 1 − 1e-12], so a confident wrong answer costs about 27.6
    instead of inf; ``backward()`` returns dL/dp = (p − y) / (p (1 − p)) / N, which the
    sigmoid's backward turns into the well-known (p − y) / N.
    """

    EPS = 1e-12

    def forward(self, pred: np.ndarray, y: np.ndarray) -> float:
        pred = np.asarray(pred, dtype=float)
        y = np.asarray(y, dtype=float).reshape(pred.shape)
        self.p, self.y = np.clip(pred, self.EPS, 1 - self.EPS), y
        return float(-np.mean(y * np.log(self.p) + (1 - y) * np.log(1 - self.p)))

    def backward(self) -> np.ndarray:
        return (self.p - self.y) / (self.p * (1 - self.p)) / self.p.size

    __call__ = forward


class Identity:
    """The linear activation: passes x through unchanged (no parameters)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout

    def parameters(self):
        return iter(())
