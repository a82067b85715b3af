"""Reference losses. ``forward(pred, y)`` returns a scalar; ``backward()`` returns dL/dpred."""

from __future__ import annotations

import numpy as np

__all__ = ["MSELoss", "SoftmaxCrossEntropy", "log_softmax", "softmax"]


class MSELoss:
    """Mean squared error over every element: mean((pred − y)²); gradient 2 (pred − y) / n."""

    def forward(self, pred: np.ndarray, y: np.ndarray) -> float:
        pred, y = np.asarray(pred), np.asarray(y)
        if pred.shape != y.shape:
            if pred.size != y.size:
                raise ValueError(
                    f"MSELoss: predictions of shape {pred.shape} and targets of shape "
                    f"{y.shape} do not hold the same number of values"
                )
            # an (N,) target against (N, 1) predictions would broadcast to (N, N)
            y = y.reshape(pred.shape)
        self.diff = pred - y
        return float(np.mean(self.diff**2))

    def backward(self) -> np.ndarray:
        return 2.0 * self.diff / self.diff.size

    __call__ = forward


def log_softmax(z: np.ndarray) -> np.ndarray:
    """log softmax over the last axis, through log-sum-exp: finite for any finite z."""
    z = np.asarray(z)
    shifted = z - z.max(axis=-1, keepdims=True)  # the largest becomes 0: exp cannot overflow
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(z: np.ndarray) -> np.ndarray:
    """Softmax over the last axis (each row of an (N, C) array), numerically stable."""
    return np.exp(log_softmax(z))


class SoftmaxCrossEntropy:
    """Softmax of the logits followed by the cross-entropy with the true classes, as one layer.

    ``forward(logits, y)``: logits of shape (N, C), ``y`` class labels (N,) or one-hot (N, C);
    returns mean −log p_true. ``backward()`` returns (softmax − one_hot) / N.
    """

    def forward(self, logits: np.ndarray, y: np.ndarray) -> float:
        logits, y = np.asarray(logits), np.asarray(y)
        if logits.ndim != 2:
            raise ValueError(f"logits must have shape (N, C); got {logits.shape}")
        n, c = logits.shape
        if y.shape == logits.shape:
            labels = y.argmax(axis=1)
        elif y.shape == (n,):
            labels = y.astype(int)
        else:
            raise ValueError(
                f"y must hold N = {n} class labels (shape ({n},)) or one-hot rows "
                f"(shape ({n}, {c})); got shape {y.shape}"
            )
        if labels.min() < 0 or labels.max() >= c:
            raise ValueError(
                f"class labels must lie in 0..{c - 1}; got {labels.min()}..{labels.max()}"
            )
        log_p = log_softmax(logits)
        self.probs = np.exp(log_p)
        self.labels = labels
        return float(-log_p[np.arange(n), labels].mean())

    def backward(self) -> np.ndarray:
        n = len(self.labels)
        grad = self.probs.copy()
        grad[np.arange(n), self.labels] -= 1.0
        return grad / n

    __call__ = forward
