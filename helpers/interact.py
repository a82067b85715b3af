"""Interactive panels (core ipywidgets only).

Each panel is wiring around a plain ``draw_*`` function that pytest can call: the function
draws one state of the panel on a figure and returns what it shows. :func:`panel` redraws
it into an Output widget whenever a control changes. Every panel draws something
meaningful with its default values, so headless runs (nbval, grading) pass through it.

A panel puts its picture into the Output widget by setting the widget's ``outputs``
(:func:`show_in`), never with ``with out:``: nbclient (``jupyter nbconvert --execute``, the
tests) mimics a captured Output widget by sending messages on the kernel's shell socket
while it waits on that same socket for the cell's reply, and now and then misses the reply
until the whole cell timeout has passed.
"""

from __future__ import annotations

import base64
import contextlib
import io
import traceback
from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from . import data, optim, plot
from .figure_style import distinguish_series
from .figure_text import figure_html
from .losses import softmax  # the reference: a panel must draw before the exercise is done
from .playground import (
    PLAYGROUND_ACTIVATIONS,
    PLAYGROUND_DATASETS,
    PLAYGROUND_FEATURES,
    PLAYGROUND_OUTPUTS,
    Challenges,
    Playground,
    playground,
)

__all__ = [
    "figure_output",
    "show_in",
    "panel",
    "slider",
    "number_field",
    "choice_field",
    "LEARNING_RATES",
    "draw_neuron",
    "neuron_panel",
    "line_fit_problem",
    "draw_batch_paths",
    "batch_size_panel",
    "PLAYGROUND_ACTIVATIONS",
    "PLAYGROUND_OUTPUTS",
    "PLAYGROUND_DATASETS",
    "PLAYGROUND_FEATURES",
    "Challenges",
    "Playground",
    "playground",
    "draw_softmax_temperature",
    "softmax_temperature_panel",
    "draw_softmax_regions",
    "softmax_regions_panel",
    "draw_learning_rate",
    "learning_rate_panel",
    "draw_descent_2d",
    "descent_2d_panel",
]


# Controls are labelled number fields and dropdowns, not sliders: a field's visible label is
# its accessible name (ipywidgets ties them with <label for>) and it holds the true value,
# where a slider's handle has no name in ipywidgets 7 or 8 ("slider", for a screen reader,
# and a WCAG 4.1.2 failure). The arrow keys step a field as they moved a slider.
_FIELD_STYLE = {"description_width": "initial"}


def _decimals(step: float) -> int:
    """How many decimals a multiple of ``step`` needs (0.05 -> 2, 0.25 -> 2, 1 -> 0)."""
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def number_field(value: float, low: float, high: float, step: float, description: str,
                 continuous: bool = True) -> widgets.BoundedFloatText:
    """A labelled number field from ``low`` to ``high`` that the arrow keys move by ``step``;
    its value is always a clean multiple of ``step`` (0.65, never 0.6499999999999999)."""
    digits = _decimals(step)
    field = widgets.BoundedFloatText(
        value=round(value, digits), min=low, max=high, step=step, description=description,
        continuous_update=continuous, style=_FIELD_STYLE, layout=widgets.Layout(width="230px"),
    )

    def clean(change) -> None:
        tidy = round(round((change["new"] - low) / step) * step + low, digits)
        if tidy != change["new"]:
            field.value = min(max(tidy, low), high)

    field.observe(clean, names="value")
    return field


slider = number_field  # its former name, kept for code written against it


def choice_field(options, value, description: str) -> widgets.Dropdown:
    """A labelled dropdown of the numbers ``options`` holding ``value``: each shown as
    Python writes it (0.005, 64), the true value a screen reader reads."""
    options = sorted({*options, value})
    return widgets.Dropdown(options=options, value=value,
                            description=description, style=_FIELD_STYLE,
                            layout=widgets.Layout(width="230px"))


def figure_output(fig: Figure) -> dict:
    """``fig`` as a Jupyter display_data output: a PNG (trimmed like the inline backend's),
    and HTML showing it with its text alternative (:mod:`helpers.figure_text`)."""
    distinguish_series(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    width, height = fig.get_size_inches() * fig.dpi
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {
        "output_type": "display_data",
        "data": {"text/html": figure_html(fig, png), "image/png": png,
                 "text/plain": f"<Figure size {width:.0f}x{height:.0f}>"},
        "metadata": {},
    }


def _text_output(text: str, name: str = "stdout") -> dict:
    return {"output_type": "stream", "name": name, "text": text}


def _printed(buffer: io.StringIO) -> list[dict]:
    return [_text_output(buffer.getvalue())] if buffer.getvalue() else []


def show_in(out: widgets.Output, draw: Callable[[], Figure | None], what: str = "This panel",
            raise_errors: bool = False) -> bool:
    """Show the figure that ``draw()`` returns in ``out``, replacing what was there.

    What ``draw`` prints is shown above the figure. When ``draw`` reaches an exercise that is
    not written yet, ``out`` shows one line naming it instead. Any other error is shown in
    ``out`` (or raised, with ``raise_errors=True``: the first drawing of a panel raises, so
    a broken panel fails its notebook's test). Returns whether a figure was shown.
    """
    printed, before = io.StringIO(), set(plt.get_fignums())
    try:
        with contextlib.redirect_stdout(printed):
            fig = draw()
    except Exception as error:
        for number in set(plt.get_fignums()) - before:
            plt.close(number)  # a half-drawn figure: the inline backend would show it
        exercise = plot.unwritten_exercise(error)
        if exercise is not None:
            line = plot.not_written_message(exercise, what)
            out.outputs = (*_printed(printed), _text_output(line + "\n"))
            return False
        if raise_errors:
            raise
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
        out.outputs = (*_printed(printed), _text_output(text, "stderr"))
        return False
    shown = _printed(printed)
    if fig is not None:
        shown.append(figure_output(fig))
        plt.close(fig)
    out.outputs = tuple(shown)
    return fig is not None


def panel(
    controls: dict[str, widgets.ValueWidget],
    draw: Callable[..., Figure],
    columns: int = 3,
) -> widgets.VBox:
    """Controls above an Output; ``draw(**values)`` returns a new figure, shown on each change.

    A panel whose exercise is not written yet shows one line saying which one to write.
    """
    out = widgets.Output()

    def redraw(change=None, first: bool = False) -> None:
        if change is not None and change["new"] != change["owner"].value:
            return  # a value its field has since tidied: that change redraws
        values = {name: control.value for name, control in controls.items()}
        show_in(out, lambda: draw(**values), raise_errors=first)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw(first=True)
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
    """Fields for w1, w2 and b over 2-D data; shows the line, half-planes and accuracy."""
    controls = {
        "w1": number_field(w1, -2, 2, 0.05, "w₁"),
        "w2": number_field(w2, -2, 2, 0.05, "w₂"),
        "b": number_field(b, -15, 15, 0.25, "b"),
    }
    return panel(controls, lambda **v: draw_neuron(X, y, **v, **scatter_kwargs)[0])


# --- notebook 02: gradient descent ---



def _int_field(value: int, low: int, high: int, description: str) -> widgets.BoundedIntText:
    """A labelled whole-number field styled like :func:`number_field`."""
    return widgets.BoundedIntText(
        value=value, min=low, max=high, description=description, continuous_update=True,
        style=_FIELD_STYLE, layout=widgets.Layout(width="230px"),
    )


#: The learning rates a student picks from: the log scale the slider had, as values.
LEARNING_RATES = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7,
                  0.8, 0.9, 1.0, 1.1, 1.2, 1.5)


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
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.4, 3.8), layout="constrained")
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
    """A choice of learning rate and the number of steps of gradient descent on ``f``."""
    controls = {
        "lr": choice_field(LEARNING_RATES, lr, "learning rate η"),
        "n_steps": _int_field(n_steps, 1, 60, "steps"),
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
    """Fields for the starting point, the learning rate and the steps; the path on contours."""
    x_lo, x_hi, y_lo, y_hi = limits
    controls = {
        "x0": number_field(x0, x_lo, x_hi, 0.05, "start x₀"),
        "y0": number_field(y0, y_lo, y_hi, 0.05, "start y₀"),
        "lr": number_field(lr, 0.005, 0.3, 0.005, "learning rate η"),
        "n_steps": _int_field(n_steps, 1, 100, "steps"),
    }
    return panel(
        controls, lambda **v: draw_descent_2d(descend, f, grad, limits=limits, **v)[0], columns=2
    )


# --- notebook 05: stochastic gradient descent ---


def line_fit_problem(n: int = 64, rng=0):
    """Fit y ≈ w x + b to noisy points of y = 2x − 1: a loss over just two parameters (w, b).

    Returns ``x`` (n, 1), ``y`` (n, 1), ``surface`` (points (..., 2) -> mean squared error)
    and ``gradient(theta, x_batch, y_batch)`` -> dL/d(w, b) on that batch.
    """
    x, y = data.noisy_curve(lambda t: 2 * t - 1, n=n, noise=0.6, rng=rng, low=-1.5, high=1.5)

    def surface(points: np.ndarray) -> np.ndarray:
        w, b = points[..., 0, None], points[..., 1, None]
        return np.mean((w * x[:, 0] + b - y[:, 0]) ** 2, axis=-1)

    def gradient(theta: np.ndarray, x_batch: np.ndarray, y_batch: np.ndarray) -> np.ndarray:
        error = theta[0] * x_batch[:, 0] + theta[1] - y_batch[:, 0]
        return np.array([2 * np.mean(error * x_batch[:, 0]), 2 * np.mean(error)])

    return x, y, surface, gradient


def draw_batch_paths(
    batch_size: int, epochs: int = 8, lr: float = 0.1, seed: int = 0
) -> tuple[Figure, dict[str, float]]:
    """Gradient descent (left) and mini-batch SGD (right) on the same line fit, same epochs.

    Both start from (w, b) = (−2, 2) and make ``epochs`` passes over the data: gradient
    descent takes one step per pass, mini-batch SGD one per batch. Returns the figure and the
    final losses ``{"gradient descent": ..., "mini-batch": ...}``.
    """
    x, y, surface, gradient = line_fit_problem()
    rng = np.random.default_rng(seed)
    batches = (batch for _ in range(epochs) for batch in data.minibatches(x, y, batch_size, rng))
    steps = epochs * -(-len(x) // batch_size)
    start = np.array([-2.0, 2.0])
    paths = {
        "gradient descent": optim.descent_path(
            lambda m: optim.SGD(m, lr), lambda t: gradient(t, x, y), start, epochs),
        f"mini-batch, B = {batch_size}": optim.descent_path(
            lambda m: optim.SGD(m, lr), lambda t: gradient(t, *next(batches)), start, steps),
    }
    fig, axes = plt.subplots(1, 2, figsize=(9.4, 4.4), layout="constrained", sharey=True)
    # the least-squares solution: where the full gradient is zero
    design = np.column_stack([x[:, 0], np.ones(len(x))])
    best = np.linalg.lstsq(design, y[:, 0], rcond=None)[0]
    losses = {}
    for ax, (name, path) in zip(axes, paths.items(), strict=True):
        plot.descent_paths(surface, {name: path}, (-3, 4, -3, 3), ax, minimum=best)
        losses[name.split(",")[0]] = float(surface(path[-1]))
        ax.set_title(f"{name}: {len(path) - 1} steps in {epochs} epochs\n"
                     f"final loss {surface(path[-1]):.3f} (best {surface(best):.3f})",
                     fontsize=10)
    return fig, losses


def batch_size_panel(epochs: int = 8, lr: float = 0.1) -> widgets.VBox:
    """A batch-size choice over the gradient-descent and mini-batch paths of a line fit."""
    controls = {
        "batch_size": choice_field([1, 2, 4, 8, 16, 32, 64], 8, "batch size"),
        "lr": number_field(lr, 0.01, 0.4, 0.01, "learning rate", continuous=False),
    }
    return panel(controls, lambda **v: draw_batch_paths(epochs=epochs, **v)[0])


# --- notebook 04: the multi-layer perceptron ---
# The playground (the package helpers/playground/) is imported above and re-exported; it
# imports nothing from this module.


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
    """A temperature field over the softmax of a few ``scores``."""
    controls = {"temperature": number_field(temperature, 0.1, 5.0, 0.05, "temperature T")}
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
    """A temperature field over a classifier's softmax probabilities on 2-D data."""
    controls = {"temperature": number_field(temperature, 0.1, 10.0, 0.1, "temperature T",
                                      continuous=False)}
    return panel(controls, lambda **v: draw_softmax_regions(logits, X, y, **v,
                                                             **scatter_kwargs)[0])
