"""Reference optimisers. Each keeps the model, reads ``model.parameters()`` afresh at every
``step()`` (backward rebinds the gradient arrays) and updates every parameter in place."""

from __future__ import annotations

import numpy as np

__all__ = ["SGD", "Adam", "AdamW", "RMSProp", "PointModel", "descent_path"]


def _check_weight_decay(weight_decay: float) -> None:
    if weight_decay < 0:
        raise ValueError(f"weight_decay must be 0 or positive; got {weight_decay}")


class SGD:
    """Stochastic gradient descent, with optional momentum and weight decay.

    Momentum keeps one velocity per parameter: v ← μ v − η g, then θ ← θ + v.
    With μ = 0 this is plain θ ← θ − η g.

    ``weight_decay`` λ adds the gradient of the L2 penalty (λ/2)‖θ‖² to the loss's:
    g ← g + λ θ, for every parameter (biases too), as ``torch.optim.SGD(weight_decay=λ)``
    does. (PyTorch keeps v ← μ v + g and steps θ ← θ − η v: the same steps while η stays
    fixed.)
    """

    def __init__(self, model, lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        if lr <= 0:
            raise ValueError(f"the learning rate lr must be positive; got {lr}")
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must lie in [0, 1); got {momentum}")
        _check_weight_decay(weight_decay)
        self.model, self.lr, self.momentum = model, lr, momentum
        self.weight_decay = weight_decay
        self.velocities: list[np.ndarray] = []

    def step(self) -> None:
        for i, (param, grad) in enumerate(self.model.parameters()):
            if self.weight_decay:
                grad = grad + self.weight_decay * param  # a new array: the layer's dW stays
            if self.momentum == 0:
                param -= self.lr * grad
                continue
            if i == len(self.velocities):
                self.velocities.append(np.zeros_like(param))
            v = self.velocities[i]
            v *= self.momentum
            v -= self.lr * grad
            param += v


class Adam:
    """Adam (Kingma & Ba, 2015): momentum on the gradient and on its square, bias-corrected.

    m ← β1 m + (1 − β1) g;  v ← β2 v + (1 − β2) g²;  t ← t + 1
    θ ← θ − η m̂ / (√v̂ + ε), with m̂ = m / (1 − β1ᵗ) and v̂ = v / (1 − β2ᵗ).

    ``weight_decay`` λ is the L2 penalty, added to the gradient before everything else,
    g ← g + λ θ, as in ``torch.optim.Adam(weight_decay=λ)``. Adam then divides it by √v̂
    like the rest of the gradient, so large weights decay less than in SGD; :class:`AdamW`
    decays every weight at the same rate instead.

    The update runs in place in one preallocated buffer per parameter (``np.multiply(...,
    out=buffer)``): the same formulas, without allocating five temporary arrays per step.
    """

    def __init__(
        self,
        model,
        lr: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ):
        if lr <= 0:
            raise ValueError(f"the learning rate lr must be positive; got {lr}")
        _check_weight_decay(weight_decay)
        self.model, self.lr, self.beta1, self.beta2, self.eps = model, lr, beta1, beta2, eps
        self.weight_decay = weight_decay
        self.m: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.buffers: list[np.ndarray] = []  # scratch space, one per parameter
        self.t = 0

    def _apply_weight_decay(self, grad: np.ndarray, param: np.ndarray) -> np.ndarray:
        """Weight decay, Adam's way: the gradient to follow is g + λ θ (a new array: the
        layer's dW stays as it is). AdamW overrides it."""
        return grad + self.weight_decay * param if self.weight_decay else grad

    def step(self) -> None:
        self.t += 1
        correction1 = 1 - self.beta1**self.t
        correction2 = 1 - self.beta2**self.t
        for i, (param, grad) in enumerate(self.model.parameters()):
            if i == len(self.m):
                self.m.append(np.zeros_like(param))
                self.v.append(np.zeros_like(param))
                self.buffers.append(np.empty_like(param))
            m, v, buffer = self.m[i], self.v[i], self.buffers[i]
            grad = self._apply_weight_decay(grad, param)
            m *= self.beta1
            m += np.multiply(grad, 1 - self.beta1, out=buffer)  # m += (1 − β1) g
            v *= self.beta2
            np.multiply(grad, grad, out=buffer)
            v += np.multiply(buffer, 1 - self.beta2, out=buffer)  # v += (1 − β2) g²
            # buffer ← √v̂ + ε, then m̂ / (√v̂ + ε); the step is η times that
            np.sqrt(np.divide(v, correction2, out=buffer), out=buffer)
            buffer += self.eps
            np.divide(m, buffer, out=buffer)
            param -= np.multiply(buffer, self.lr / correction1, out=buffer)
            if self.t % 20 == 0:
                _flush_tiny(m)
                if self.eps > 0:  # with ε = 0, a v set to 0 would divide by 0
                    _flush_tiny(v)


def _flush_tiny(a: np.ndarray) -> None:
    """Set to 0 the entries below 2²⁴ × the smallest normal float (2e-31 in float32).

    Where the gradient stays 0 (a pixel that is blank in every image), m ← β1 m decays
    towards the subnormal numbers (below 1.2e-38 in float32) and sticks there (0.9 × the
    smallest one rounds back to it); arithmetic on subnormals is many times slower, so an
    MNIST epoch got slower and slower. From 2e-31, even β1 = 0.5 needs 24 steps to get there:
    flushing every 20 steps keeps them out. Such entries move a weight by less than 1e-20.
    """
    a[np.abs(a) < np.finfo(a.dtype).tiny * 2.0**24] = 0


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter, 2019), ``torch.optim.AdamW``.

    Each step first shrinks every parameter, θ ← θ (1 − η λ), then takes Adam's step with the
    loss's gradient alone: the decay is not divided by √v̂, so every weight decays at the same
    rate. PyTorch's default λ = 0.01 is kept.
    """

    def __init__(
        self,
        model,
        lr: float = 1e-3,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ):
        super().__init__(model, lr, beta1, beta2, eps, weight_decay)

    def _apply_weight_decay(self, grad: np.ndarray, param: np.ndarray) -> np.ndarray:
        param *= 1 - self.lr * self.weight_decay  # decoupled: the decay is not in g
        return grad


# --- notebook 05: stochastic gradient descent ---


class RMSProp:
    """RMSProp (Hinton, 2012): divide each step by a running root mean square of the gradient.

    s ← ρ s + (1 − ρ) g²;  θ ← θ − η g / (√s + ε), with one s per parameter.
    """

    def __init__(self, model, lr: float = 1e-3, decay: float = 0.9, eps: float = 1e-8):
        if lr <= 0:
            raise ValueError(f"the learning rate lr must be positive; got {lr}")
        if not 0 <= decay < 1:
            raise ValueError(f"decay must lie in [0, 1); got {decay}")
        self.model, self.lr, self.decay, self.eps = model, lr, decay, eps
        self.squares: list[np.ndarray] = []

    def step(self) -> None:
        for i, (param, grad) in enumerate(self.model.parameters()):
            if i == len(self.squares):
                self.squares.append(np.zeros_like(param))
            s = self.squares[i]
            s *= self.decay
            s += (1 - self.decay) * grad * grad
            param -= self.lr * grad / (np.sqrt(s) + self.eps)


class PointModel:
    """A "model" that is just a point θ in parameter space, with the gradient set from outside.

    Lets any optimiser walk on a loss surface drawn by hand (see :func:`descent_path`).
    """

    def __init__(self, theta: np.ndarray):
        self.theta = np.array(theta, dtype=float)
        self.grad = np.zeros_like(self.theta)

    def parameters(self):
        yield self.theta, self.grad


def descent_path(make_optimizer, gradient, start, steps: int) -> np.ndarray:
    """The points an optimiser visits: ``steps`` steps from ``start``; shape (steps + 1, D).

    ``make_optimizer(model)`` builds the optimiser (``lambda m: SGD(m, lr=0.1)``) and
    ``gradient(theta)`` returns the gradient at ``theta`` (it may be noisy: a mini-batch's).
    """
    model = PointModel(start)
    optimizer = make_optimizer(model)
    path = [model.theta.copy()]
    for _ in range(steps):
        model.grad = np.asarray(gradient(model.theta.copy()), dtype=float)
        optimizer.step()
        path.append(model.theta.copy())
    return np.array(path)
