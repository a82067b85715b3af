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
from .losses import softmax  # the reference: a panel must draw before the exercise is done

__all__ = [
    "panel",
    "slider",
    "draw_neuron",
    "neuron_panel",
    "draw_softmax_temperature",
    "softmax_temperature_panel",
    "draw_softmax_regions",
    "softmax_regions_panel",
]


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
    ax.set_title(f"${w1:.2f}\\,x_1 + {w2:.2f}\\,x_2 + ({b:.2f}) = 0$   accuracy {acc:.0%}")
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


# --- notebook 06: softmax and cross-entropy ---


def draw_softmax_temperature(
    scores: np.ndarray, temperature: float, labels=None
) -> tuple[Figure, np.ndarray]:
    """Bars of softmax(scores / temperature). Returns the figure and the probabilities."""
    probs = softmax(np.asarray(scores, dtype=float) / temperature)
    ax = plot.probability_bars(probs, labels=labels)
    scores_text = ", ".join(f"{s:g}" for s in scores)
    ax.set_title(f"softmax([{scores_text}] / T) at temperature T = {temperature:.2f}")
    return ax.figure, probs


def softmax_temperature_panel(scores, temperature: float = 1.0, labels=None) -> widgets.VBox:
    """A temperature slider over the softmax of a few ``scores``."""
    controls = {"temperature": slider(temperature, 0.1, 5.0, 0.05, "temperature T")}
    return panel(controls, lambda **v: draw_softmax_temperature(scores, labels=labels, **v)[0])


def draw_softmax_regions(
    logits: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    temperature: float,
    **scatter_kwargs,
) -> tuple[Figure, float]:
    """The class probabilities softmax(logits(x) / T) over the plane, with the data.

    ``logits`` maps (M, 2) points to (M, K) scores (a trained model's forward, say).
    Returns the figure and the mean probability of the most probable class over the data.
    """
    def probabilities(points):
        return softmax(np.asarray(logits(points), dtype=float) / temperature)

    ax = plot.probability_regions(probabilities, X, y, plot.new_axes(figsize=(5.5, 4.6)),
                                  **scatter_kwargs)
    confidence = float(probabilities(X).max(axis=1).mean())
    ax.set_title(f"T = {temperature:.2f}: mean top probability {confidence:.2f}")
    return ax.figure, confidence


def softmax_regions_panel(
    logits: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    temperature: float = 1.0,
    **scatter_kwargs,
) -> widgets.VBox:
    """A temperature slider over a classifier's softmax probabilities on 2-D data."""
    controls = {"temperature": slider(temperature, 0.1, 10.0, 0.1, "temperature T",
                                      continuous=False)}
    return panel(controls, lambda **v: draw_softmax_regions(logits, X, y, **v,
                                                             **scatter_kwargs)[0])
