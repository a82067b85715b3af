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
