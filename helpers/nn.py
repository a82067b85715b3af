"""Reference layers: Module, Linear, Sigmoid, Tanh, ReLU, Sequential.

The layer contract (notebook 04 on)::

    forward(x)      computes the output and keeps what backward needs as attributes
    backward(dout)  sets self.d<param> for each parameter and returns dx = dL/dx
    parameters()    yields (param, grad) pairs; optimisers update param in place

Data is row-major: ``x`` has shape (N, D_in), ``W`` shape (D_in, D_out), ``b`` shape (D_out,).
Gradients are overwritten by each backward, not accumulated: no weights are shared in this
course, so every parameter receives exactly one gradient per backward pass.

Everything is vectorised numpy and follows the input's dtype: give float32 inputs and
float32 layers (``dtype=np.float32``) for speed, float64 for gradient checks.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .data import as_rng

__all__ = ["Module", "Linear", "Sigmoid", "Tanh", "ReLU", "Sequential", "sigmoid"]

Pair = tuple[np.ndarray, np.ndarray]


class Module:
    """A differentiable piece of a network. Subclasses override forward and backward."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def parameters(self) -> Iterator[Pair]:
        """(param, grad) pairs; none for a layer without parameters."""
        return iter(())

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)


def _expect_2d(x: np.ndarray, n_in: int, layer: str) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[1] != n_in:
        raise ValueError(
            f"{layer} expects input of shape (N, {n_in}): one row per sample; got shape "
            f"{x.shape}. Flatten images with X.reshape(len(X), -1)."
        )
    return x


class Linear(Module):
    """``x @ W + b``: a fully connected layer from ``n_in`` to ``n_out`` units.

    Weights start from a normal distribution with standard deviation
    ``sqrt(2 / (n_in + n_out))`` (Glorot), biases from zero.
    """

    def __init__(
        self,
        n_in: int,
        n_out: int,
        rng: np.random.Generator | int | None = None,
        dtype: type = np.float64,
    ):
        rng = as_rng(rng)
        scale = np.sqrt(2.0 / (n_in + n_out))
        self.W = (scale * rng.standard_normal((n_in, n_out))).astype(dtype)
        self.b = np.zeros(n_out, dtype=dtype)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.x: np.ndarray | None = None

    def __repr__(self) -> str:
        return f"Linear({self.W.shape[0]}, {self.W.shape[1]})"

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = _expect_2d(x, self.W.shape[0], repr(self))
        out = self.x @ self.W
        out += self.b  # in place: x @ W + b would allocate a second (N, n_out) array
        return out

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Set dW = xᵀ dout and db = Σ dout; return dx = dout Wᵀ, or None if not input_grad.

        ``input_grad=False`` skips dx, one of the three large matrix products of a step: the
        first layer of a network needs none, since nobody updates the data.
        """
        if self.x is None:
            raise RuntimeError(f"{self!r}.backward was called before forward")
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T if input_grad else None

    def parameters(self) -> Iterator[Pair]:
        yield self.W, self.dW
        yield self.b, self.db


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Elementwise 1 / (1 + exp(-x)), without overflow and accurate to the last digit.

    With e = exp(-|x|), which lies in (0, 1] and so never overflows, the sigmoid is
    1 / (1 + e) for x ≥ 0 and e / (1 + e) for x < 0 (the same fraction, multiplied by e/e).
    The second form keeps full relative accuracy far into the negative side, where
    1 − (something close to 1) would round to 0. NaN stays NaN. Keeps float32 as float32.
    This is the one stable sigmoid of the package: the layers and the checks use it.
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


class Sigmoid(Module):
    """Elementwise σ(x) = 1 / (1 + exp(-x)) (see :func:`sigmoid`); backward uses σ' = σ(1 − σ).

    forward keeps its output in ``self.out`` for backward and returns a copy, so a caller
    that edits the returned array in place cannot change the next backward.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = sigmoid(x)
        return self.out.copy()

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * self.out * (1.0 - self.out)


class Tanh(Module):
    """Elementwise tanh; backward uses tanh' = 1 − tanh².

    forward keeps its output in ``self.out`` for backward and returns a copy, so a caller
    that edits the returned array in place cannot change the next backward.
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = np.tanh(x)
        return self.out.copy()

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * (1.0 - self.out**2)


class ReLU(Module):
    """Elementwise max(0, x); the gradient passes where the input was positive.

    np.maximum keeps a NaN input NaN (a diverging run shows itself instead of turning into 0).
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.mask = x > 0
        return np.maximum(x, 0)

    def backward(self, dout: np.ndarray) -> np.ndarray:
        return dout * self.mask


class Sequential(Module):
    """Layers applied one after the other; backward runs them in reverse order."""

    def __init__(self, *layers: Module):
        self.layers = list(layers)

    def __repr__(self) -> str:
        return "Sequential(" + ", ".join(repr(layer) for layer in self.layers) + ")"

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int) -> Module:
        return self.layers[index]

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dout: np.ndarray, input_grad: bool = True) -> np.ndarray | None:
        """Backward through every layer, last first; returns dL/dx of the network's input.

        ``input_grad=False`` returns None and lets the first layer skip its dx (training
        never uses it); that layer's backward must accept ``input_grad`` (Linear does).
        """
        if not self.layers:
            return dout if input_grad else None
        first, *rest = self.layers
        for layer in reversed(rest):
            dout = layer.backward(dout)
        return first.backward(dout) if input_grad else first.backward(dout, input_grad=False)

    def parameters(self) -> Iterator[Pair]:
        for layer in self.layers:
            yield from layer.parameters()
