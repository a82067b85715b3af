"""Reference losses. ``forward(pred, y)`` returns a scalar; ``backward()`` returns dL/dpred."""

from __future__ import annotations

import numpy as np

__all__ = ["MSELoss", "SoftmaxCrossEntropy", "log_softmax", "softmax"]


class MSELoss:
    """Mean squared error over every element: mean((pred − y)²); gradient 2 (pred − y) / n.

    ``pred`` and ``y`` must have the same shape; the one mismatch forgiven is (N,) against
    (N, 1), which would otherwise broadcast to an (N, N) grid of every pair. The loss and its
    gradient are computed in the dtype of ``pred`` (float32 predictions stay float32 even
    against float64 targets).
    """

    def forward(self, pred: np.ndarray, y: np.ndarray) -> float:
        pred, y = np.asarray(pred), np.asarray(y)
        if pred.shape != y.shape:
            n = pred.shape[0] if pred.ndim else 0
            if {pred.shape, y.shape} != {(n,), (n, 1)}:
                raise ValueError(
                    f"MSELoss: predictions of shape {pred.shape} and targets y of shape "
                    f"{y.shape} must have the same shape, so that each prediction meets its "
                    "own target"
                )
            y = y.reshape(pred.shape)  # (N,) against (N, 1): the same N numbers, as a column
        if np.issubdtype(pred.dtype, np.floating):
            y = y.astype(pred.dtype, copy=False)  # float64 targets: a float64 backward
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

    ``forward(logits, y)``: logits of shape (N, C); ``y`` either N class labels, shape (N,),
    whole numbers in 0..C−1, or N probability rows, shape (N, C), each non-negative and summing
    to 1 (one-hot rows are the special case of certainty). Returns the mean over the samples of
    −Σ_c y_c log p_c, which for labels is −log p_true. ``backward()`` returns (p − y) / N, y as
    one-hot rows for labels.
    """

    def forward(self, logits: np.ndarray, y: np.ndarray) -> float:
        logits, y = np.asarray(logits), np.asarray(y)
        if logits.ndim != 2:
            raise ValueError(f"logits must have shape (N, C); got {logits.shape}")
        n, c = logits.shape
        log_p = log_softmax(logits)
        self.probs = np.exp(log_p)
        if y.shape == logits.shape:
            self.labels, self.targets = None, _probability_rows(y, log_p.dtype)
            return float(-(self.targets * log_p).sum(axis=1).mean())
        if y.shape != (n,):
            raise ValueError(
                f"y must hold N = {n} class labels (shape ({n},)) or N probability rows "
                f"(shape ({n}, {c})); got shape {y.shape}"
            )
        self.labels, self.targets = _class_labels(y, c), None
        return float(-log_p[np.arange(n), self.labels].mean())

    def backward(self) -> np.ndarray:
        n = len(self.probs)
        if self.labels is None:
            return (self.probs - self.targets) / n
        grad = self.probs.copy()
        grad[np.arange(n), self.labels] -= 1.0
        return grad / n

    __call__ = forward


def _class_labels(y: np.ndarray, c: int) -> np.ndarray:
    """``y`` as integer labels, or ValueError if any is not a whole number in 0..c−1."""
    if y.dtype == bool or not np.issubdtype(y.dtype, np.number):
        raise ValueError(f"class labels must be whole numbers in 0..{c - 1}; got dtype {y.dtype}")
    if not np.issubdtype(y.dtype, np.integer):
        whole = np.isfinite(y) & (y == np.round(y))
        if not whole.all():
            bad = y[~whole][0].item()
            raise ValueError(
                f"class labels must be whole numbers in 0..{c - 1}; got {bad!r}. Round "
                "scores to labels yourself, or give probability rows of shape (N, C)."
            )
    labels = y.astype(np.intp)
    if len(labels) and (labels.min() < 0 or labels.max() >= c):
        raise ValueError(
            f"class labels must lie in 0..{c - 1}; got {labels.min()}..{labels.max()}"
        )
    return labels


def _probability_rows(y: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``y`` as probability rows in ``dtype``, or ValueError if a row is not a distribution."""
    y = y.astype(dtype, copy=False)
    tolerance = 1e-3 if np.dtype(dtype).itemsize < 8 else 1e-6  # rounding of float32 sums
    good = (y >= 0).all(axis=1) & (np.abs(y.sum(axis=1) - 1) <= tolerance)
    if not good.all():
        row = int(np.flatnonzero(~good)[0])
        raise ValueError(
            "targets of shape (N, C) must be probability rows, each non-negative and summing "
            f"to 1; row {row} is {y[row]}. For class labels give shape (N,)."
        )
    return y
