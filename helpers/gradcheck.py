"""Gradient checking: compare an analytic gradient with central finite differences.

How to read a relative error (float64), with the thresholds defined once here
(:data:`GRADIENT_RIGHT`, :data:`GRADIENT_WRONG`) and used by the reports, the layer checks
and the notebooks' text:

- below 1e-7: the gradient is right;
- between (around 1e-4, say): suspicious, unless the function has kinks (ReLU, max) near
  the inputs;
- 1e-2 and above: the gradient is wrong.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

#: Below this relative error (float64, central differences) a gradient is right.
GRADIENT_RIGHT = 1e-7
#: From this relative error up a gradient is wrong; between the two it is suspicious.
GRADIENT_WRONG = 1e-2


def _power(value: float) -> str:
    """1e-07 -> "1e-7": how the notebooks write the thresholds."""
    mantissa, exponent = f"{value:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


#: The legend printed under every report, from the same two numbers.
LEGEND = (f"(< {_power(GRADIENT_RIGHT)} right; in between suspicious, unless kinks; "
          f">= {_power(GRADIENT_WRONG)} wrong)")

__all__ = [
    "GRADIENT_RIGHT",
    "GRADIENT_WRONG",
    "LEGEND",
    "numerical_gradient",
    "DIRECTIONS",
    "directional_errors",
    "relative_error",
    "gradient_error",
    "verdict",
    "GradientReport",
    "module_gradient_report",
    "gradient_report",
]


def numerical_gradient(f: Callable[[], float], x: np.ndarray, h: float = 1e-5) -> np.ndarray:
    """dF/dx by central differences, where ``f()`` reads ``x`` (changed in place, restored).

    ``x`` must be a float array that ``f`` uses by reference: a parameter of a layer, say.
    """
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"x must be a float array to nudge by h; got dtype {x.dtype}")
    grad = np.zeros(x.shape, dtype=np.float64)
    flat, grad_flat = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat, x):
        raise ValueError("x must be contiguous so that nudging it in place is seen by f")
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + h
        up = f()
        flat[i] = original - h
        down = f()
        flat[i] = original
        grad_flat[i] = (up - down) / (2 * h)
    return grad


#: How many random directions :func:`directional_errors` tries by default.
DIRECTIONS = 3


def directional_errors(
    f: Callable[[], float],
    x: np.ndarray,
    analytic: np.ndarray,
    directions: int = DIRECTIONS,
    h: float = 1e-5,
    seed: int = 0,
) -> list[float]:
    """The relative error of ``analytic`` as dF/dx along ``directions`` random directions.

    Along a unit direction D, central differences of ``f`` (which reads ``x``, nudged in
    place and restored, as for :func:`numerical_gradient`) give the directional derivative
    (F(x + hD) − F(x − hD)) / 2h, which a right gradient g matches as ⟨g, D⟩: two calls of
    ``f`` per direction, not two per entry of ``x``. The error of each direction is
    |⟨g, D⟩ − numeric| / (|⟨g, D⟩| + |numeric|), relative to the projection itself, so a
    wrong gradient shows a large one along almost every random direction (a gradient off
    by a factor, along every one). Use it to clear a right gradient cheaply; per-entry
    differences (:func:`numerical_gradient`) still say which entries are wrong.
    """
    if not np.issubdtype(x.dtype, np.floating):
        raise TypeError(f"x must be a float array to nudge by h; got dtype {x.dtype}")
    analytic = np.asarray(analytic, dtype=np.float64)
    if analytic.shape != x.shape:
        raise ValueError(f"shapes differ: {analytic.shape} and {x.shape}")
    rng = np.random.default_rng(seed)
    original = x.copy()
    errors = []
    try:
        for _ in range(directions):
            direction = rng.standard_normal(x.shape)
            direction /= np.linalg.norm(direction) or 1.0
            x[...] = original + h * direction
            up = f()
            x[...] = original - h * direction
            down = f()
            x[...] = original
            numeric = (up - down) / (2 * h)
            projected = float(np.sum(analytic * direction))
            scale = abs(projected) + abs(numeric)
            errors.append(abs(projected - numeric) / scale if scale > 0 else 0.0)
    finally:
        x[...] = original
    return errors


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """max |a − n| / max(|a| + |n|), elementwise; 0 when both are zero."""
    analytic, numeric = np.asarray(analytic, float), np.asarray(numeric, float)
    if analytic.shape != numeric.shape:
        raise ValueError(
            f"the analytic gradient has shape {analytic.shape} but the parameter has shape "
            f"{numeric.shape}: d<name> must have the shape of <name>"
        )
    scale = np.maximum(np.abs(analytic) + np.abs(numeric), 1e-12)
    return float(np.max(np.abs(analytic - numeric) / scale, initial=0.0))


def gradient_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """‖a − n‖ / (‖a‖ + ‖n‖): the relative error of the gradient as a whole.

    Checks use this one for their verdicts: unlike the elementwise :func:`relative_error`,
    it does not blow up where the true gradient is tiny (a saturated tanh, say) and finite
    differences' round-off is as large as the gradient itself.
    """
    analytic, numeric = np.asarray(analytic, float), np.asarray(numeric, float)
    if analytic.shape != numeric.shape:
        raise ValueError(f"shapes differ: {analytic.shape} and {numeric.shape}")
    scale = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return float(np.linalg.norm(analytic - numeric) / scale) if scale > 0 else 0.0


def verdict(error: float) -> str:
    """One word on a relative error: right, suspicious or wrong (see :data:`LEGEND`)."""
    if error < GRADIENT_RIGHT:
        return "right"
    if error < GRADIENT_WRONG:
        return "suspicious"
    return "wrong"


@dataclass
class GradientReport:
    """Relative errors of each named gradient, with a verdict for each."""

    errors: dict[str, float]
    note: str = ""  # how the check was run, when that matters for reading it

    @property
    def ok(self) -> bool:
        return all(verdict(e) == "right" for e in self.errors.values())

    def worst(self) -> tuple[str, float]:
        return max(self.errors.items(), key=lambda item: item[1])

    def __str__(self) -> str:
        width = max(len(name) for name in self.errors)
        lines = [f"{'gradient':<{width}}  relative error  verdict"]
        for name, error in self.errors.items():
            lines.append(f"{name:<{width}}  {error:14.2e}  {verdict(error)}")
        lines.append(LEGEND)
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)

    def _repr_pretty_(self, printer, cycle) -> None:
        printer.text(str(self))


def _named_parameters(module, prefix: str = "") -> Iterator[tuple[str, np.ndarray, np.ndarray]]:
    """(name, param, grad) for every parameter, named by its attribute: "W", "1.b", ..."""
    layers = getattr(module, "layers", None)
    if layers is not None:
        for index, layer in enumerate(layers):
            yield from _named_parameters(layer, f"{prefix}{index}.")
        return
    attributes = {id(value): name for name, value in vars(module).items()}
    for position, (param, grad) in enumerate(module.parameters()):
        name = attributes.get(id(param), f"param{position}")
        yield f"{prefix}{name}", param, grad


def module_gradient_report(module, x: np.ndarray, rng=None) -> GradientReport:
    """Check a module's backward against finite differences of its own forward.

    Uses the loss L = sum(forward(x) * R) for a fixed random R, so that dout = R. Reports
    the input gradient ``dx`` and one entry per parameter. Finite differences need float64:
    a module with float32 parameters is checked on a float64 copy (the module itself is
    left alone), and the report says so.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    x = np.array(x, dtype=np.float64)
    note = ""
    if any(_low_precision(value) for layer in _layers(module) for value in vars(layer).values()):
        module = _float64_copy(module)
        note = ("(your module has float32 parameters: it was checked on a float64 copy, since "
                "float32 round-off would swamp the finite differences)")
    if np.asarray(module.forward(x.copy())).dtype != np.float64:
        note = ("(your module's forward returns float32 even for float64 input, so these "
                "errors are float32 round-off, not a verdict: build the layer in float64 to "
                "check its gradients)")
    R = rng.standard_normal(np.shape(module.forward(x.copy())))

    def loss() -> float:
        return float(np.sum(module.forward(x) * R))

    module.forward(x)
    dx = module.backward(R.copy())
    analytic = [(name, np.array(grad, dtype=float)) for name, _, grad in _named_parameters(module)]
    errors = {"dx": relative_error(dx, numerical_gradient(loss, x))}
    params = {name: param for name, param, _ in _named_parameters(module)}
    for name, grad in analytic:
        errors[f"d{name}"] = relative_error(grad, numerical_gradient(loss, params[name]))
    return GradientReport(errors, note)


def _low_precision(arr) -> bool:
    return isinstance(arr, np.ndarray) and arr.dtype.kind == "f" and arr.dtype != np.float64


def _layers(module) -> list:
    """The module and, for a container, every layer inside it."""
    found, stack = [], [module]
    while stack:
        layer = stack.pop()
        found.append(layer)
        stack.extend(getattr(layer, "layers", None) or [])
    return [layer for layer in found if hasattr(layer, "__dict__")]


def _float64_copy(module):
    """A deep copy of ``module`` (and its ``layers``) whose float arrays are float64."""
    module = copy.deepcopy(module)
    for layer in _layers(module):
        for name, value in list(vars(layer).items()):
            if _low_precision(value):
                setattr(layer, name, value.astype(np.float64))
    return module


# --- notebook 03: backpropagation ---


def gradient_report(
    loss: Callable[[], float],
    params: dict[str, np.ndarray],
    grads: dict[str, np.ndarray | float],
    h: float = 1e-5,
) -> GradientReport:
    """Compare analytic gradients with finite differences of ``loss``, one entry per parameter.

    ``params`` maps a name to a float array that ``loss()`` reads by reference (a 0-d array
    for a scalar parameter); ``grads`` maps the same names to your analytic gradients.
    """
    missing = sorted(set(params) - set(grads))
    if missing:
        raise KeyError(f"no analytic gradient for {', '.join(missing)}: give one per parameter")
    errors = {}
    for name, param in params.items():
        numeric = numerical_gradient(loss, param, h)
        errors[f"d{name}"] = relative_error(np.asarray(grads[name], float), numeric)
    return GradientReport(errors)
