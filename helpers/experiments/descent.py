"""The runs behind notebook 02's claims (gradient descent).

- :func:`random_directions`: how many random directions go downhill, and how much a random
  step gains, in 1 to 1000 dimensions (section 2, hill climbing);
- :func:`descend`: gradient descent on a number, for section 2's first picture;
- :func:`downhill_option`: the answer to "what fraction of small random steps go downhill
  in 1000 dimensions?" (section 2), computed from :func:`random_directions`;
- :func:`difference_errors`: the errors of the forward and the central difference (section 3);
- :func:`difference_errors_by_h`: how both errors shrink with h, for another function and
  point than the question's (section 3);
- :func:`bowl_factors`, :func:`bowl_run`, :func:`bowl_outcome`: gradient descent on the
  stretched bowl, what each step does to each coordinate, and what a learning rate just above
  the limit does (section 6);
- :func:`step_vs_sigmoid`: gradient descent on a step neuron gets no signal, on a sigmoid
  neuron it learns (section 7);
- :func:`noise_and_fit`: the training MSE against the noise's variance (section 7).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = [
    "BOWL_OPTIONS",
    "DOWNHILL_OPTIONS",
    "bowl_factors",
    "bowl_outcome",
    "bowl_run",
    "descend",
    "difference_errors",
    "difference_errors_by_h",
    "downhill_option",
    "noise_and_fit",
    "random_directions",
    "squared_error_spread",
    "step_vs_sigmoid",
]


def random_directions(
    dims: Sequence[int] = (1, 10, 100, 1000),
    small_step: float = 1e-3,
    large_step: float = 0.5,
    n_directions: int = 4000,
    rng: np.random.Generator | int | None = 0,
) -> dict[int, dict[str, float]]:
    """Random steps on the bowl f(x) = |x|², from a point at distance 1 from the minimum.

    For each dimension D in ``dims``, draws ``n_directions`` random unit directions u and
    returns ``{D: {"downhill_small": ..., "downhill_large": ..., "gain": ...}}``:

    - ``downhill_small``: the fraction of directions for which a step of length
      ``small_step`` lowers f (about one half in any dimension: u and -u cannot both go up);
    - ``downhill_large``: the same for a step of length ``large_step`` (collapses with D);
    - ``gain``: the mean decrease of f along a small random step, taken the downhill way
      (u or -u), as a fraction of the decrease along the gradient for the same step length
      (about sqrt(2 / (pi D)): shrinks like 1/sqrt(D)).
    """
    rng = np.random.default_rng(rng)
    results: dict[int, dict[str, float]] = {}
    for dim in dims:
        x0 = np.zeros(dim)
        x0[0] = 1.0  # |x0| = 1: f(x0) = 1, gradient 2 x0
        u = rng.normal(size=(n_directions, dim))
        u /= np.linalg.norm(u, axis=1, keepdims=True)
        f0 = 1.0

        def f_after(step: float, u: np.ndarray = u, x0: np.ndarray = x0) -> np.ndarray:
            return np.sum((x0 + step * u) ** 2, axis=1)

        # decrease along the gradient for a small step s: f0 - (1 - s)^2 = 2s - s^2
        best = f0 - (1.0 - small_step) ** 2
        downhill_way = np.minimum(f_after(small_step), f_after(-small_step))
        results[dim] = {
            "downhill_small": float(np.mean(f_after(small_step) < f0)),
            "downhill_large": float(np.mean(f_after(large_step) < f0)),
            "gain": float(np.mean(f0 - downhill_way) / best),
        }
    return results


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _step(z: np.ndarray) -> np.ndarray:
    return (z >= 0).astype(float)


def _mse_of_neuron(activation, X: np.ndarray, y: np.ndarray, params: np.ndarray) -> float:
    w, b = params[:-1], params[-1]
    return float(np.mean((activation(X @ w + b) - y) ** 2))


def _central_gradient(loss, params: np.ndarray, h: float = 1e-5) -> np.ndarray:
    grad = np.zeros_like(params)
    for i in range(params.size):
        up, down = params.copy(), params.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (loss(up) - loss(down)) / (2 * h)
    return grad


def step_vs_sigmoid(
    X: np.ndarray,
    y: np.ndarray,
    lr: float = 2.0,
    n_steps: int = 200,
    start: Sequence[float] = (0.5, -0.5, 0.0),
) -> dict[str, dict[str, np.ndarray]]:
    """Gradient descent on the MSE of a step neuron and of a sigmoid neuron, same start.

    X (N, D), y (N,) of 0/1; ``start`` holds (w_1, ..., w_D, b). The gradient is taken by
    central differences, which needs nothing but the loss. Returns
    ``{"step": run, "sigmoid": run}``, each run a dict of arrays over the steps:
    ``loss`` (n_steps + 1,), ``gradient_norm`` (n_steps,) and ``accuracy`` (n_steps + 1,).
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float).ravel()
    start = np.asarray(start, dtype=float)
    if start.shape != (X.shape[1] + 1,):
        raise ValueError(
            f"start must hold {X.shape[1]} weights and a bias, shape ({X.shape[1] + 1},); "
            f"got shape {start.shape}"
        )
    runs = {}
    for name, activation in (("step", _step), ("sigmoid", _sigmoid)):
        def loss(p: np.ndarray, activation=activation) -> float:
            return _mse_of_neuron(activation, X, y, p)

        params = start.copy()
        losses, norms, accuracies = [loss(params)], [], []
        accuracies.append(np.mean(((X @ params[:-1] + params[-1]) >= 0) == y))
        for _ in range(n_steps):
            grad = _central_gradient(loss, params)
            norms.append(np.linalg.norm(grad))
            params = params - lr * grad
            losses.append(loss(params))
            accuracies.append(np.mean(((X @ params[:-1] + params[-1]) >= 0) == y))
        runs[name] = {"loss": np.array(losses), "gradient_norm": np.array(norms),
                      "accuracy": np.array(accuracies)}
    return runs


#: The options of the question PREDICT_DOWNHILL (section 2).
DOWNHILL_OPTIONS = {
    "a": "about half of them",
    "b": "about 2.5 % of them",
    "c": "almost none of them",
}


def downhill_option(dim: int = 1000) -> str:
    """The letter of DOWNHILL_OPTIONS for the fraction of small random steps that go downhill
    in ``dim`` dimensions (the notebook's table)."""
    fraction = random_directions(dims=(dim,), small_step=1e-3, large_step=0.5)[dim][
        "downhill_small"]
    return "a" if 0.4 < fraction < 0.6 else "b" if 0.01 < fraction < 0.05 else "c"


def difference_errors(f=lambda x: x**3, f_prime=lambda x: 3 * x**2, x: float = 2.0,
                      h: float = 1e-2) -> tuple[float, float]:
    """(forward error, central error): each difference quotient minus the true slope."""
    forward = (f(x + h) - f(x)) / h
    central = (f(x + h) - f(x - h)) / (2 * h)
    return forward - f_prime(x), central - f_prime(x)


def difference_errors_by_h(f, f_prime, x: float, hs: Sequence[float]) -> list[tuple[float, ...]]:
    """``(h, |forward error|, |central error|)`` for each step h: the forward error shrinks
    like h, the central one like h²."""
    return [(h, *(float(abs(e)) for e in difference_errors(f, f_prime, x, h))) for h in hs]


#: The stretched bowl b(x, y) = x² + 10 y²: its curvature along x and along y (b's Hessian).
BOWL_CURVATURES = (2.0, 20.0)


def bowl_factors(lr: float, curvatures: Sequence[float] = BOWL_CURVATURES) -> tuple[float, ...]:
    """What one step of gradient descent multiplies each coordinate by: 1 − lr · curvature.

    Negative: the coordinate changes sign at every step (a zig-zag); near 1: it crawls;
    beyond −1: it grows (diverges)."""
    return tuple(1.0 - lr * c for c in curvatures)


def bowl_run(lr: float, n_steps: int = 40, start: Sequence[float] = (-2.5, 1.0),
             curvatures: Sequence[float] = BOWL_CURVATURES) -> np.ndarray:
    """Every iterate of gradient descent on the bowl sum_i c_i x_i² / 2 (for the default
    curvatures, b(x, y) = x² + 10 y²), from ``start``."""
    c = np.asarray(curvatures, dtype=float)
    path = [np.asarray(start, dtype=float)]
    for _ in range(n_steps):
        path.append(path[-1] - lr * c * path[-1])
    return np.array(path)


#: The options of the question PREDICT_BOWL_LR (section 6).
BOWL_OPTIONS = {
    "a": "x and y both converge: 0.101 is barely above the limit",
    "b": "x and y both diverge: the whole path flies off",
    "c": "x converges while y diverges: the path settles along the valley and swings ever "
         "wider across it",
    "d": "y converges while x diverges",
}


def bowl_outcome(lr: float = 0.101, n_steps: int = 100) -> str:
    """The letter of BOWL_OPTIONS for gradient descent on the bowl with ``lr``: which of the
    two coordinates ends farther from 0 than it started."""
    path = bowl_run(lr, n_steps)
    x_grows, y_grows = (abs(path[-1, i]) > abs(path[0, i]) for i in (0, 1))
    return {(False, False): "a", (True, True): "b", (False, True): "c", (True, False): "d"}[
        (x_grows, y_grows)]


def noise_and_fit(X: np.ndarray, y: np.ndarray, noise: float) -> dict[str, float]:
    """The least-squares line's training MSE on (X, y) against the noise's variance: the
    fitted line follows the sample's own noise a little, so its training MSE is usually a
    little BELOW the variance (by about a factor (N − 2) / N for a line)."""
    ones = np.hstack([X, np.ones((len(X), 1))])
    coef, *_ = np.linalg.lstsq(ones, y, rcond=None)
    return {"train_mse": float(np.mean((ones @ coef - y) ** 2)), "variance": noise**2,
            "expected": noise**2 * (len(y) - ones.shape[1]) / len(y)}


def descend(grad, x0: float, lr: float, n_steps: int) -> np.ndarray:
    """Every iterate of gradient descent from ``x0`` (a number): section 2's demonstration,
    before the student writes ``gradient_descent`` in section 4."""
    xs = [float(x0)]
    for _ in range(n_steps):
        xs.append(xs[-1] - lr * float(grad(xs[-1])))
    return np.array(xs)


def squared_error_spread(y_pred: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The MSE of ``y_pred`` against ``y`` and its standard error: the spread of the squared
    errors over the square root of their number. A mean over a dozen points moves by about
    this much from one sample of a dozen points to another."""
    squared = (np.ravel(y_pred) - np.ravel(y)) ** 2
    return float(squared.mean()), float(squared.std(ddof=1) / np.sqrt(len(squared)))


def training_losses(fit, X_train: np.ndarray, y_train: np.ndarray, lrs: Sequence[float],
                    n_steps: int) -> list[float]:
    """For each learning rate, the MSE on the training data itself of the line
    ``fit(X_train, y_train, lr, n_steps)`` fits (the runs ``choose_lr`` compares on
    validation); a diverged run's loss may be huge, never a warning."""
    losses = []
    for lr in lrs:
        w, b, _ = fit(X_train, y_train, lr, n_steps)
        with np.errstate(over="ignore", invalid="ignore"):
            losses.append(float(np.mean((np.asarray(X_train) @ w + b - y_train) ** 2)))
    return losses
