"""Interactive panels (core ipywidgets only).

Each panel is wiring around a plain ``draw_*`` function that pytest can call: the function
draws one state of the panel on a figure and returns what it shows. :func:`panel` redraws
it into an Output widget whenever a control changes. Every panel draws something
meaningful with its default values, so headless runs (nbval, grading) pass through it.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from . import plot

__all__ = ["panel", "slider", "draw_neuron", "neuron_panel"]


def slider(value: float, low: float, high: float, step: float, description: str,
           continuous: bool = True) -> widgets.FloatSlider:
    """A labelled float slider wide enough to read on a laptop screen."""
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=continuous, readout_format=".2f",
        style={"description_width": "initial"}, layout=widgets.Layout(width="320px"),
    )


def panel(
    controls: dict[str, widgets.ValueWidget],
    draw: Callable[..., Figure],
    columns: int = 3,
) -> widgets.VBox:
    """Controls above an Output; ``draw(**values)`` returns a new figure, shown on each change."""
    out = widgets.Output()

    def redraw(_change=None) -> None:
        with out:
            out.clear_output(wait=True)
            fig = draw(**{name: control.value for name, control in controls.items()})
            plt.show()
            plt.close(fig)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    items = list(controls.values())
    rows = [widgets.HBox(items[i : i + columns]) for i in range(0, len(items), columns)]
    return widgets.VBox([*rows, out])


# --- notebook 01: one neuron's line -------------------------------------------------------


def draw_neuron(
    X: np.ndarray, y: np.ndarray, w1: float, w2: float, b: float, **scatter_kwargs
) -> tuple[Figure, float]:
    """The data, the line w1·x1 + w2·x2 + b = 0 with its half-planes, and the accuracy.

    Returns the figure and the accuracy of "predict 1 where w·x + b >= 0".
    """
    w = np.array([w1, w2])
    predictions = (X @ w + b >= 0).astype(int)
    acc = float(np.mean(predictions == np.ravel(y)))
    ax = plot.decision_line(X, y, w, b, plot.new_axes(figsize=(5.5, 4.2)), **scatter_kwargs)
    sign = "-" if b < 0 else "+"
    ax.set_title(f"${w1:.2f}\\,x_1 {w2:+.2f}\\,x_2 {sign} {abs(b):.2f} = 0$   accuracy {acc:.0%}")
    return ax.figure, acc


def neuron_panel(
    X: np.ndarray, y: np.ndarray, w1: float = 0.5, w2: float = 0.5, b: float = -4.0,
    **scatter_kwargs,
) -> widgets.VBox:
    """Sliders for w1, w2 and b over 2-D data; shows the line, half-planes and accuracy."""
    controls = {
        "w1": slider(w1, -2, 2, 0.05, "w₁"),
        "w2": slider(w2, -2, 2, 0.05, "w₂"),
        "b": slider(b, -15, 15, 0.25, "b"),
    }
    return panel(controls, lambda **v: draw_neuron(X, y, **v, **scatter_kwargs)[0])


# --- notebook 02: gradient descent ---

__all__ += ["draw_learning_rate", "learning_rate_panel", "draw_descent_2d", "descent_2d_panel"]


def _int_slider(value: int, low: int, high: int, description: str) -> widgets.IntSlider:
    """An integer slider styled like :func:`slider`."""
    return widgets.IntSlider(
        value=value, min=low, max=high, description=description,
        style={"description_width": "initial"}, layout=widgets.Layout(width="320px"),
    )


def _run_descent(descend: Callable, grad: Callable, x0, lr: float, n_steps: int) -> np.ndarray:
    """``descend(grad, x0, lr, n_steps)`` as floats; a diverging run gives inf, not warnings."""
    with np.errstate(over="ignore", invalid="ignore"):
        return np.asarray(descend(grad, x0, lr, n_steps), dtype=float)


def draw_learning_rate(
    descend: Callable, f: Callable, grad: Callable, lr: float, n_steps: int,
    x0: float = 0.0, f_min: float = 0.0,
) -> tuple[Figure, np.ndarray]:
    """Left: the iterates of gradient descent on the curve of ``f``. Right: f(x_k) − f_min.

    ``descend(grad, x0, lr, n_steps)`` returns every iterate (your ``gradient_descent``).
    Returns the figure and the iterates.
    """
    xs = _run_descent(descend, grad, x0, lr, n_steps)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
    shown = xs[np.abs(xs) < 1e6]  # a diverging run leaves any sensible view
    plot.function_path(f, shown, left)
    left.set_title(f"$\\eta = {lr:.3g}$: {n_steps} steps from $x_0 = {x0:g}$")
    with np.errstate(over="ignore", invalid="ignore"):
        gaps = f(xs) - f_min
    plot.loss_curve(gaps, right, log=True, ylabel=f"$f(x_k) - {f_min:g}$")
    right.set_title("distance to the minimum value, per step")
    if len(shown) < len(xs):
        left.text(0.5, 0.95, f"{len(xs) - len(shown)} iterates left the view (|x| > 10⁶)",
                  transform=left.transAxes, ha="center", va="top", color="darkred")
    return fig, xs


def learning_rate_panel(
    descend: Callable, f: Callable, grad: Callable, x0: float = 0.0, f_min: float = 0.0,
    lr: float = 0.1, n_steps: int = 10,
) -> widgets.VBox:
    """Sliders for the learning rate and the number of steps of gradient descent on ``f``."""
    controls = {
        "lr": widgets.FloatLogSlider(
            value=lr, base=10, min=-3, max=0.2, step=0.05, description="learning rate η",
            readout_format=".3f", style={"description_width": "initial"},
            layout=widgets.Layout(width="360px"),
        ),
        "n_steps": _int_slider(n_steps, 1, 60, "steps"),
    }
    return panel(
        controls, lambda **v: draw_learning_rate(descend, f, grad, x0=x0, f_min=f_min, **v)[0]
    )


def draw_descent_2d(
    descend: Callable, f: Callable, grad: Callable, x0: float, y0: float, lr: float,
    n_steps: int = 30, limits: tuple[float, float, float, float] = (-2.0, 2.0, -2.0, 2.0),
) -> tuple[Figure, np.ndarray]:
    """The contour lines of ``f`` and the gradient-descent path from (x0, y0).

    Returns the figure and the path, an array (n_steps + 1, 2).
    """
    path = _run_descent(descend, grad, np.array([x0, y0]), lr, n_steps)
    ax = plot.contour_path(f, [path], limits=limits)
    end = path[-1]
    where = f"ends at ({end[0]:.2f}, {end[1]:.2f})" if np.all(np.isfinite(end)) else "diverges"
    ax.set_title(f"$\\eta = {lr:.3g}$, {n_steps} steps: {where}", fontsize=10)
    return ax.figure, path


def descent_2d_panel(
    descend: Callable, f: Callable, grad: Callable, x0: float = 0.5, y0: float = 1.5,
    lr: float = 0.05, n_steps: int = 30,
    limits: tuple[float, float, float, float] = (-2.0, 2.0, -2.0, 2.0),
) -> widgets.VBox:
    """Sliders for the starting point, the learning rate and the steps; the path on contours."""
    x_lo, x_hi, y_lo, y_hi = limits
    controls = {
        "x0": slider(x0, x_lo, x_hi, 0.05, "start x₀"),
        "y0": slider(y0, y_lo, y_hi, 0.05, "start y₀"),
        "lr": slider(lr, 0.005, 0.3, 0.005, "learning rate η"),
        "n_steps": _int_slider(n_steps, 1, 100, "steps"),
    }
    return panel(
        controls, lambda **v: draw_descent_2d(descend, f, grad, limits=limits, **v)[0], columns=2
    )
