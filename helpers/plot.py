"""Figures for the workbook.

Every function draws on the Axes it is given (``ax=``) or on a new one, and returns what it
drew on, so figures can be combined and tested. Nothing here changes global matplotlib
settings. Importing this module makes IPython show every figure with a text alternative
(:mod:`helpers.figure_text`); :func:`describe` adds to a figure's text what only its helper
knows.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.ticker import MaxNLocator

from .colour_vision import readable_on
from .figure_text import describe, install_figure_display

__all__ = [
    "describe",
    "CLASS_COLORS",
    "REGION_COLORS",
    "MARKERS",
    "LINE_STYLES",
    "new_axes",
    "activation_gallery",
    "scatter_classes",
    "decision_line",
    "perceptron_progress",
    "threshold_rule",
    "decision_regions",
    "gradient_vs_depth",
    "factor_vs_weight_scale",
    "neuron_training",
    "LINE_COLORS",
    "timings",
    "loss_curves",
    "descent_paths",
    "early_stopping",
    "network_diagram",
    "loss_curve",
    "train_test_curves",
    "learning_rate_curves",
    "validation_curves",
    "gradient_sizes",
    "curve_fits",
    "hidden_outputs",
    "neuron_maps",
    "unit_maps",
    "probability_bars",
    "probability_regions",
    "confusion_matrix",
    "digit_grid",
    "loss_and_accuracy_curves",
    "function_path",
    "contour_path",
    "regression_lines",
    "NothingToPlot",
    "unwritten_exercise",
    "not_written_message",
]

#: Class colours (class 0, 1, 2, ...): Okabe-Ito's vermillion, blue, bluish green and
#: reddish purple, and a dark purple. Any two stay at least 10 CIEDE2000 apart in normal
#: vision and under protanopia, deuteranopia and tritanopia, and each contrasts 3:1 with
#: white (tests/test_palettes.py). Colour is never the only code: each class also has its
#: marker (MARKERS), and every marker a dark edge, visible on any region fill.
CLASS_COLORS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#542788")
MARKERS = ("o", "s", "^", "D", "v")
#: Light fills of the classes' regions, as far apart as light colours get (at least 10
#: CIEDE2000 in the four visions); region plots also draw the boundary as a black line.
REGION_COLORS = ("#e6b280", "#99bfcc", "#b2ffd9", "#ffe6ff", "#bfa6ff")
#: Line styles of series drawn on one Axes, so that no two differ by colour alone.
LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)))
#: Dark edge of class markers: 3:1 or more against every region fill and white.
EDGE_COLOR = "0.1"


install_figure_display()  # in IPython: every figure as an image with alt text, and as text


# --- an exercise not written yet --------------------------------------------------------

_STUB_PREFIX = "exercise: "


def unwritten_exercise(error: BaseException | None) -> str | None:
    """The exercise whose stub raised ``error``, or None if it is not a stub's error.

    A student notebook's stub raises ``NotImplementedError("exercise: <name>")``; nbgrader's
    raises a bare ``NotImplementedError()``, named here after the function that raised it.
    """
    if not isinstance(error, NotImplementedError):
        return None
    message = str(error)
    if message.startswith(_STUB_PREFIX):
        return message[len(_STUB_PREFIX):].strip() or None
    if message or error.__traceback__ is None:
        return None  # some other NotImplementedError: not a stub
    tb = error.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    frame = tb.tb_frame
    owner = frame.f_locals.get("self")
    name = frame.f_code.co_name
    return f"{type(owner).__name__}.{name}" if owner is not None else name


def not_written_message(name: str, what: str = "This cell") -> str:
    """One line saying which exercise to write before ``what`` can work."""
    return (f"✗ {what} uses `{name}`, which is not written yet: write that exercise first, "
            "then run this cell again.")


class NothingToPlot(ValueError):
    """A figure was given no values; Jupyter shows only the message, no traceback."""

    def _render_traceback_(self) -> list[str]:
        return [str(self)]


def _last_error() -> BaseException | None:
    """The error of the notebook cell run just before this one, if it failed.

    IPython keeps that cell's result (``sys.last_value`` misses the errors that a custom
    exception handler shows, as the checks' handler of the stubs' NotImplementedError does).
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        return getattr(getattr(shell, "last_execution_result", None), "error_in_exec", None)
    return getattr(sys, "last_exc", None) or getattr(sys, "last_value", None)


def _require_values(name: str, values) -> None:
    """Stop with one line when ``values`` is empty or all NaN (say, a training run that an
    unwritten exercise stopped before it recorded anything)."""
    try:
        array = np.asarray(values, dtype=float)
        empty = array.size == 0 or bool(np.all(np.isnan(array)))
    except (TypeError, ValueError):
        return  # ragged or non-numeric: leave it to matplotlib
    if not empty:
        return
    exercise = unwritten_exercise(_last_error())
    if exercise is not None:
        raise NothingToPlot(
            f"✗ Nothing to plot: `{name}` is empty because an earlier cell stopped at "
            f"`{exercise}`, which is not written yet. Write it, then run the cells from there "
            "again.")
    raise NothingToPlot(
        f"✗ Nothing to plot: `{name}` has no values. Run the cell that fills it (it may have "
        "stopped with an error), then this cell again.")


def new_axes(ax: Axes | None = None, figsize: tuple[float, float] = (5.0, 4.0)) -> Axes:
    """``ax`` itself, or the Axes of a new figure of size ``figsize``."""
    if ax is not None:
        return ax
    _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def activation_gallery(
    functions: dict[str, tuple[Callable[[np.ndarray], np.ndarray], str]],
    z: np.ndarray | None = None,
    ncols: int = 3,
) -> np.ndarray:
    """One small plot per activation: ``{name: (function, one-line remark)}``.

    Returns the array of Axes.
    """
    z = np.linspace(-4, 4, 801) if z is None else z
    nrows = -(-len(functions) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(3.1 * ncols, 2.6 * nrows), layout="constrained", squeeze=False
    )
    for ax, (name, (f, remark)) in zip(axes.flat, functions.items(), strict=False):
        ax.axhline(0, color="0.8", lw=0.8)
        ax.axvline(0, color="0.8", lw=0.8)
        ax.plot(z, f(z), lw=2, color=CLASS_COLORS[1])
        ax.set_title(name, fontsize=11)
        ax.text(0.03, 0.95, remark, transform=ax.transAxes, va="top", fontsize=8, color="0.3")
        ax.set_xlim(z.min(), z.max())
        ax.set_ylim(-1.5, 2.5)
    for ax in axes.flat[len(functions) :]:
        ax.set_visible(False)
    return axes


def scatter_classes(
    X: np.ndarray,
    y: np.ndarray,
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    xlabel: str = "$x_1$",
    ylabel: str = "$x_2$",
) -> Axes:
    """The points of ``X`` (N, 2), coloured and shaped by their class ``y``."""
    ax = new_axes(ax)
    y = np.asarray(y).ravel()
    for k in np.unique(y):
        name = labels[int(k)] if labels is not None else f"class {k}"
        pts = X[y == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=24, color=CLASS_COLORS[int(k) % 5], label=name,
                   marker=MARKERS[int(k) % 5], edgecolor=EDGE_COLOR, linewidth=0.6, zorder=3)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize=8, framealpha=0.9)
    return ax


def threshold_rule(
    x: np.ndarray,
    y: np.ndarray,
    threshold: float,
    ax: Axes | None = None,
    labels: Sequence[str] = ("class 0", "class 1"),
    xlabel: str = "$x$",
    ylabel: str = "label",
    rng: np.random.Generator | int | None = 0,
) -> Axes:
    """One input against a 0/1 label, with the threshold rule "1 if x >= threshold".

    The points are jittered up and down a little (with ``rng``) so that they do not overlap.
    """
    ax = new_axes(ax, figsize=(7.0, 2.6))
    y = np.ravel(y)
    jitter = 0.08 * np.random.default_rng(rng).standard_normal(len(y))
    for k in (0, 1):
        ax.scatter(x[y == k], y[y == k] + jitter[y == k], color=CLASS_COLORS[k],
                   marker=MARKERS[k], edgecolor=EDGE_COLOR, linewidth=0.5, label=labels[k], s=20)
    ax.axvline(threshold, color="black", lw=1.5, label=r"threshold $\theta$")
    ax.set_xlabel(xlabel)
    ax.set_yticks([0, 1], ["no", "yes"])
    ax.set_ylabel(ylabel)
    ax.legend(loc="center right", fontsize=8)
    return ax


def _limits(X: np.ndarray, pad: float = 0.05) -> tuple[float, float, float, float]:
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    (x0, y0), (x1, y1) = lo - pad * span, hi + pad * span
    return x0, x1, y0, y1


def _grid(X: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A resolution × resolution grid over the data (10 % margin): gx, gy and the points."""
    x0, x1, y0, y1 = _limits(X, pad=0.1)
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    return gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


def decision_line(
    X: np.ndarray,
    y: np.ndarray,
    w: Sequence[float],
    b: float,
    ax: Axes | None = None,
    **scatter_kwargs,
) -> Axes:
    """The data, the line w·x + b = 0 and its two half-planes (shaded by the class predicted)."""
    ax = scatter_classes(X, y, ax, **scatter_kwargs)
    x0, x1, y0, y1 = _limits(X)
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    side = (w[0] * gx + w[1] * gy + b >= 0).astype(float)
    ax.contourf(gx, gy, side, levels=[-0.5, 0.5, 1.5], colors=REGION_COLORS[:2], zorder=0)
    if w[1] != 0:
        xs = np.array([x0, x1])
        ax.plot(xs, -(w[0] * xs + b) / w[1], color="black", lw=1.5, zorder=2)
    elif w[0] != 0:
        ax.axvline(-b / w[0], color="black", lw=1.5, zorder=2)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax


def perceptron_progress(
    X: np.ndarray,
    y: np.ndarray,
    lines: Sequence[tuple[np.ndarray, float]],
    mistakes: Sequence[int],
    **scatter_kwargs,
) -> np.ndarray:
    """Left: the perceptron's line after each epoch (darker = later). Right: mistakes per epoch.

    ``lines`` holds one (w, b) per epoch. Returns the two Axes.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.4, 4), layout="constrained")
    scatter_classes(X, y, left, **scatter_kwargs)
    x0, x1, y0, y1 = _limits(X)
    xs = np.array([x0, x1])
    for epoch, (w, b) in enumerate(lines, start=1):
        shade = 0.25 + 0.75 * epoch / len(lines)
        if w[1] != 0:
            left.plot(xs, -(w[0] * xs + b) / w[1], color="black", alpha=shade, lw=1,
                      label="final line" if epoch == len(lines) else None)
    left.set_xlim(x0, x1)
    left.set_ylim(y0, y1)
    left.set_title("the line after each epoch (darker = later)")
    left.legend(loc="upper left", fontsize=8)
    epochs = np.arange(1, len(mistakes) + 1)
    right.bar(epochs, mistakes, color=CLASS_COLORS[1])
    right.set_xlabel("epoch")
    right.set_ylabel("mistakes")
    right.set_title("mistakes per epoch")
    right.set_xticks(epochs if len(epochs) <= 20 else epochs[:: len(epochs) // 10])
    return np.array([left, right])


def decision_regions(
    predict: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    ax: Axes | None = None,
    resolution: int = 200,
    **scatter_kwargs,
) -> Axes:
    """The data over the regions a classifier assigns to each class, their boundary black.

    ``predict`` maps an (M, 2) array of points to M class labels (or to M scores in [0, 1]
    for two classes, which are thresholded at 0.5).
    """
    ax = new_axes(ax)
    gx, gy, grid = _grid(X, resolution)
    labels = np.asarray(predict(grid))
    if labels.ndim == 2 and labels.shape[1] > 1:
        labels = labels.argmax(axis=1)
    labels = labels.reshape(-1)
    if labels.dtype.kind == "f" and not np.all(labels == np.round(labels)):
        labels = labels >= 0.5  # scores of a two-class model; whole numbers are labels
    labels = labels.astype(int)
    k = int(max(labels.max(), np.max(y))) + 1
    ax.contourf(gx, gy, labels.reshape(gx.shape), levels=np.arange(-0.5, k),
                cmap=ListedColormap(REGION_COLORS[:k]), zorder=0)
    if len(np.unique(labels)) > 1:  # the boundary as a line: regions not told by colour alone
        ax.contour(gx, gy, labels.reshape(gx.shape), levels=np.arange(0.5, k - 1),
                   colors="black", linewidths=1.2, zorder=1)
    scatter_classes(X, y, ax, **scatter_kwargs)
    ax.set_xlim(gx.min(), gx.max())
    ax.set_ylim(gy.min(), gy.max())
    describe(ax, _regions_text(labels, predict, X, y, scatter_kwargs.get("labels")))
    return ax


# --- notebook 02: gradient descent ---



def function_path(
    f: Callable[[np.ndarray], np.ndarray],
    xs: np.ndarray,
    ax: Axes | None = None,
    x_range: tuple[float, float] | None = None,
    color: str = CLASS_COLORS[0],
    label: str | None = None,
) -> Axes:
    """The curve of a 1-D function ``f`` and the iterates ``xs`` on it, joined in order.

    The start is a square and the last iterate a cross, each with its legend entry ("start",
    "last step"): a star would read as the minimum, which the path need not have reached.
    ``x_range`` defaults to a window that holds every iterate (and the curve's part between
    them).
    """
    ax = new_axes(ax)
    xs = np.asarray(xs, dtype=float)
    finite = xs[np.isfinite(xs)]
    if x_range is None:
        lo, hi = finite.min(), finite.max()
        pad = max(0.25 * (hi - lo), 1.0)
        x_range = (lo - pad, hi + pad)
    grid = np.linspace(*x_range, 400)
    ax.plot(grid, f(grid), color="0.35", lw=1.5, zorder=1)
    ys = f(finite)
    ax.plot(finite, ys, "-o", color=color, ms=4, lw=0.9, alpha=0.85, label=label, zorder=2)
    _mark_ends(ax, finite[:1], ys[:1], finite[-1:], ys[-1:], color)
    ax.set_xlim(*x_range)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$f(x)$")
    ax.legend(fontsize=8, framealpha=0.9)
    return ax


#: The last iterate of a path: a cross, never the star a figure uses for a minimum.
END_MARKER = {"marker": "X", "color": "black", "markeredgecolor": "white", "ms": 10,
              "mew": 0.8, "ls": "none"}


def _mark_ends(ax: Axes, x0, y0, x1, y1, color: str, legend: bool = True) -> None:
    """A path's start (a square in its colour) and last iterate (a black cross); ``legend``
    labels them "start" and "last step" (once per Axes: give it for the first path only)."""
    ax.plot(x0, y0, "s", color=color, markeredgecolor="black", ms=8, ls="none", zorder=4,
            label="start" if legend else "_start")
    ax.plot(x1, y1, zorder=5, label="last step" if legend else "_last step", **END_MARKER)


def loss_curve(
    losses: Sequence[float] | np.ndarray,
    ax: Axes | None = None,
    log: bool = False,
    label: str | None = None,
    color: str | None = None,
    xlabel: str = "step",
    ylabel: str = "loss",
) -> Axes:
    """A loss per step; ``log=True`` puts the loss on a log scale (zeros are left out).

    Several curves drawn on one Axes get LINE_COLORS (unless ``color`` is given) and each
    its own line style.
    """
    _require_values("losses", losses)
    ax = new_axes(ax, figsize=(5.0, 3.5))
    losses = np.asarray(losses, dtype=float)
    k = _series_count(ax)
    ax.plot(np.arange(len(losses)), losses, ls=LINE_STYLES[k % len(LINE_STYLES)],
            marker="." if len(losses) <= 60 else None,
            color=color or LINE_COLORS[k % len(LINE_COLORS)], label=label)
    if log:
        ax.set_yscale("log", nonpositive="mask")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if label:
        ax.legend(fontsize=8)
    return ax


def _series_count(ax: Axes) -> int:
    """How many labelled data lines ``ax`` already has: the next series' index."""
    return sum(1 for line in ax.get_lines() if not line.get_label().startswith("_"))


def contour_path(
    f: Callable[[np.ndarray], np.ndarray],
    paths: Sequence[np.ndarray] = (),
    ax: Axes | None = None,
    limits: tuple[float, float, float, float] = (-2.0, 2.0, -2.0, 2.0),
    labels: Sequence[str] | None = None,
    levels: int = 18,
) -> Axes:
    """Contour lines of ``f`` with gradient-descent paths on top.

    ``f(p)`` reads ``p[0]`` as x and ``p[1]`` as y and works elementwise, so it is evaluated
    on a whole grid at once. Each path is an array (K, 2) of iterates; its start is a square
    and its last iterate a cross, labelled "start" and "last step" in the legend. The view
    keeps the aspect ratio, so a stretched bowl looks stretched.
    """
    ax = new_axes(ax, figsize=(5.5, 4.5))
    x0, x1, y0, y1 = limits
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    values = f(np.stack([gx, gy]))
    # contours at quantiles of f: evenly spread over the view, whatever the scale of f
    heights = np.unique(np.quantile(values, np.linspace(0, 1, levels + 2)[1:-1] ** 2))
    ax.contour(gx, gy, values, levels=heights, cmap="viridis", linewidths=0.9, zorder=1)
    for i, path in enumerate(paths):
        path = np.asarray(path, dtype=float)
        color = CLASS_COLORS[i % len(CLASS_COLORS)]
        label = labels[i] if labels is not None else None
        ax.plot(path[:, 0], path[:, 1], color=color, marker=MARKERS[i % len(MARKERS)], ms=3,
                lw=1.2, ls=LINE_STYLES[i % len(LINE_STYLES)], label=label, zorder=3)
        _mark_ends(ax, path[:1, 0], path[:1, 1], path[-1:, 0], path[-1:, 1], color,
                   legend=i == 0)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    if len(paths):
        handles, names = ax.get_legend_handles_labels()
        ends = [i for i, name in enumerate(names) if name in ("start", "last step")]
        order = [i for i in range(len(names)) if i not in ends] + ends  # the paths first
        ax.legend([handles[i] for i in order], [names[i] for i in order], loc="best",
                  fontsize=8, framealpha=0.9)
    return ax


def regression_lines(
    x: np.ndarray,
    y: np.ndarray,
    lines: dict[str, tuple[float, float]],
    ax: Axes | None = None,
) -> Axes:
    """1-D data (x, y) and lines y = w·x + b: ``{label: (w, b)}``, dashed after the first."""
    ax = new_axes(ax, figsize=(5.5, 4.0))
    x, y = np.ravel(x), np.ravel(y)
    ax.scatter(x, y, s=18, color="0.55", label="data", zorder=2)
    grid = np.array([x.min(), x.max()])
    for i, (label, (w, b)) in enumerate(lines.items()):
        ax.plot(grid, float(np.ravel(w)[0]) * grid + float(b), lw=2.2 if i == 0 else 1.6,
                ls="-" if i == 0 else "--", color=CLASS_COLORS[i % len(CLASS_COLORS)],
                label=label, zorder=3)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.legend(loc="upper left", fontsize=8, framealpha=0.9)
    return ax


# --- notebook 03: backpropagation ---


def gradient_vs_depth(
    depths: np.ndarray,
    sizes: dict[str, np.ndarray],
    bound: tuple[str, np.ndarray] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The size of a gradient against the depth of a stack, one line per activation.

    ``sizes`` maps a name (say "sigmoid") to one gradient size per depth; ``bound`` is an
    optional (label, values) pair drawn dashed, such as 0.25**depth. Log scale on y.
    """
    ax = new_axes(ax, figsize=(6.0, 4.0))
    for k, (name, values) in enumerate(sizes.items()):
        ax.semilogy(depths, values, marker=MARKERS[k % 5], ls=LINE_STYLES[k % 5], ms=4, lw=1.8,
                    color=CLASS_COLORS[(k + 1) % 5], label=name)
    if bound is not None:
        ax.semilogy(depths, bound[1], "--", color="0.4", lw=1.2, label=bound[0])
    ax.set_xlabel("depth (number of stacked neurons)")
    ax.set_ylabel("gradient size  |∂output/∂input|")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=9)
    return ax


def factor_vs_weight_scale(
    scales: np.ndarray,
    factors: dict[str, np.ndarray],
    reference: tuple[str, np.ndarray] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The typical factor per layer of a gradient against the weights' scale, log-log.

    ``factors`` maps an activation's name to one factor per scale, coloured like
    :func:`gradient_vs_depth`'s lines; ``reference`` is an optional (label, values) pair drawn
    dark grey (the weights alone, say). The line at 1 separates exploding (above) from
    vanishing (below) gradients.
    """
    ax = new_axes(ax, figsize=(5.0, 4.0))
    ax.axhspan(1.0, 1e3, color=REGION_COLORS[0], alpha=0.6, lw=0, zorder=0)
    ax.axhline(1.0, color="black", lw=1.0, zorder=1)
    for k, (name, values) in enumerate(factors.items()):
        ax.loglog(scales, values, marker=MARKERS[k % 5], ls=LINE_STYLES[k % 5], ms=4, lw=1.8,
                  color=CLASS_COLORS[(k + 1) % 5], label=name, zorder=3)
    if reference is not None:
        ax.loglog(scales, reference[1], "-.", color="0.3", lw=1.4, label=reference[0], zorder=2)
    everything = np.concatenate([np.ravel(v) for v in factors.values()]
                                + ([np.ravel(reference[1])] if reference is not None else []))
    everything = everything[np.isfinite(everything) & (everything > 0)]
    ax.set_ylim(max(everything.min() / 2, 1e-4), max(everything.max() * 2, 3.0))
    at_one = ax.get_yaxis_transform()  # x in axes fraction, y in data
    ax.text(0.03, 1.15, "above 1: exploding", transform=at_one, va="bottom", fontsize=8)
    ax.text(0.03, 0.87, "below 1: vanishing", transform=at_one, va="top", fontsize=8)
    ticks = [t for t in (0.125, 0.25, 0.5, 1, 2, 4, 8, 16, 32) if scales[0] <= t <= scales[-1]]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("weights' scale $s$:  $w \\sim N(0, s^2)$")
    ax.set_ylabel("typical factor per layer")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    return ax


def neuron_training(
    X: np.ndarray,
    y: np.ndarray,
    snapshots: Sequence[tuple[int, np.ndarray, float]],
    losses: Sequence[float],
    **scatter_kwargs,
) -> np.ndarray:
    """Left: the decision line w·x + b = 0 at a few epochs (darker = later). Right: the loss.

    ``snapshots`` holds (epoch, w, b) triples; their epochs are marked on the loss curve.
    Returns the two Axes.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.4, 4.2), layout="constrained",
                                      width_ratios=(1.25, 1))
    scatter_classes(X, y, left, **scatter_kwargs)
    x0, x1, y0, y1 = _limits(X)
    xs = np.linspace(x0, x1, 2)
    for k, (epoch, w, b) in enumerate(snapshots, start=1):
        shade = 0.2 + 0.8 * k / len(snapshots)
        if w[1] != 0:
            left.plot(xs, -(w[0] * xs + b) / w[1], color="black", alpha=shade, lw=1.4,
                      label=f"epoch {epoch}")
    left.set_xlim(x0, x1)
    left.set_ylim(y0, y1)
    left.set_title("the decision line as the neuron learns")
    left.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    epochs = np.arange(len(losses))
    right.plot(epochs, losses, color=CLASS_COLORS[1], lw=1.8)
    marked = [e for e, _, _ in snapshots if 0 <= e < len(losses)]
    right.plot(marked, np.asarray(losses)[marked], "o", color="black", ms=4)
    right.set_xlabel("epoch")
    right.set_ylabel("mean squared error")
    right.set_title("the loss as the neuron learns")
    right.grid(True, alpha=0.3)
    return np.array([left, right])


# --- notebook 05: stochastic gradient descent ---

#: Colours of lines that must stay apart (optimisers, batch sizes): the class colours in
#: another order, held to the same distances (tests/test_palettes.py); each series also
#: gets its own line style or marker.
LINE_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#542788")


def timings(
    sizes: Sequence[int], seconds: dict[str, Sequence[float]], ax: Axes | None = None
) -> Axes:
    """Run time against the number of samples N, on log-log axes: one line per method."""
    ax = new_axes(ax, figsize=(5.5, 3.8))
    for i, (name, times) in enumerate(seconds.items()):
        ax.plot(sizes, times, marker=MARKERS[i % 5], ls=LINE_STYLES[i % 5],
                color=LINE_COLORS[i % 5], label=name, lw=2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("number of samples N")
    ax.set_ylabel("seconds")
    ax.grid(True, which="major", color="0.9")
    ax.legend(fontsize=9)
    return ax


def loss_curves(
    curves: dict[str, tuple[Sequence[float], Sequence[float]]],
    xlabel: str = "epoch",
    ax: Axes | None = None,
    ylabel: str = "training loss",
    log: bool = True,
) -> Axes:
    """One loss curve per name: ``curves[name] = (x, loss)``, x being epochs or seconds.

    Epochs and steps are counted in whole numbers, so their axis gets whole-number ticks.
    """
    for name, (_, loss) in curves.items():
        _require_values(f"the losses of {name!r}", loss)
    ax = new_axes(ax, figsize=(5.5, 3.8))
    for i, (name, (x, loss)) in enumerate(curves.items()):
        ax.plot(x, loss, color=LINE_COLORS[i % 5], ls=LINE_STYLES[i % 5], label=name, lw=1.8)
    if log:
        ax.set_yscale("log")
    if xlabel in ("epoch", "step"):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, color="0.9")
    ax.legend(fontsize=9)
    return ax


def descent_paths(
    surface: Callable[[np.ndarray], np.ndarray],
    paths: dict[str, np.ndarray],
    extent: tuple[float, float, float, float],
    ax: Axes | None = None,
    labels: tuple[str, str] = ("$w$", "$b$"),
    minimum: Sequence[float] | None = None,
) -> Axes:
    """Contours of a loss over two parameters, and the path of each optimiser on it.

    ``surface`` maps points of shape (..., 2) to losses of shape (...); ``paths[name]`` is a
    (K, 2) array of visited points; ``extent`` is (x_min, x_max, y_min, y_max).
    """
    ax = new_axes(ax, figsize=(5.5, 4.5))
    x0, x1, y0, y1 = extent
    gx, gy = np.meshgrid(np.linspace(x0, x1, 200), np.linspace(y0, y1, 200))
    loss = surface(np.stack([gx, gy], axis=-1))
    # levels spaced evenly in log(loss) show the bottom of the valley as well as its walls
    low, high = max(loss.min(), 1e-3 * loss.max()), loss.max()
    levels = low + (high - low) * np.geomspace(1e-3, 1.0, 14)
    ax.contour(gx, gy, loss, levels=levels, colors="0.6", linewidths=0.7, zorder=1)
    ax.contourf(gx, gy, loss, levels=np.concatenate([[loss.min()], levels]),
                cmap="Greys", alpha=0.25, zorder=0, extend="max")
    for i, (name, path) in enumerate(paths.items()):
        path = np.asarray(path)
        color = LINE_COLORS[i % 5]
        marker = "o" if len(path) <= 60 else None
        ax.plot(path[:, 0], path[:, 1], color=color, lw=1.3, marker=marker, ms=2.5,
                ls=LINE_STYLES[i % 5], label=f"{name} ({len(path) - 1} steps)", zorder=3)
        ax.plot(*path[-1], "X", color=color, ms=8, mec="white", zorder=4)
    ax.plot(*path[0], "o", color="black", ms=6, zorder=5, label="start")
    if minimum is not None:
        ax.plot(*minimum, "*", color="gold", ms=14, mec="black", zorder=5, label="minimum")
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(labels[0])
    ax.set_ylabel(labels[1])
    ax.legend(fontsize=8, loc="upper right", framealpha=0.9)
    return ax


def early_stopping(
    train_losses: Sequence[float],
    val_losses: Sequence[float],
    best_epoch: int,
    ax: Axes | None = None,
) -> Axes:
    """Training and validation loss per epoch (epochs count from 1), the best epoch marked."""
    _require_values("train_losses", train_losses)
    _require_values("val_losses", val_losses)
    ax = new_axes(ax, figsize=(6.5, 3.8))
    epochs = np.arange(1, len(train_losses) + 1)
    ax.plot(epochs, train_losses, color=CLASS_COLORS[1], lw=1.8, label="training loss")
    ax.plot(epochs, val_losses, color=CLASS_COLORS[0], lw=1.8, ls="--", label="validation loss")
    best_loss = val_losses[best_epoch - 1]
    ax.axvline(best_epoch, color="black", ls="--", lw=1)
    ax.plot(best_epoch, best_loss, "o", color="black", zorder=4,
            label=f"best validation epoch ({best_epoch})")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.grid(True, color="0.9")
    ax.legend(fontsize=9)
    return ax


# --- notebook 04: the multi-layer perceptron ---

#: Colours of positive and negative weights in the network drawing (negative also dashed).
POSITIVE_COLOR, NEGATIVE_COLOR = "#0072B2", "#D55E00"


def _weight_matrices(model) -> list[np.ndarray]:
    """The W of every layer of a Sequential that has one, first to last."""
    layers = getattr(model, "layers", [model])
    return [np.asarray(layer.W) for layer in layers if hasattr(layer, "W")]


def network_diagram(model, ax: Axes | None = None, title: str | None = None,
                    largest: float | None = None, collection: bool = False) -> Axes:
    """The network as units and edges: positive weights are solid blue edges, negative ones
    dashed red (sign not by colour alone), and the thicker an edge the larger the weight.
    Widths are relative to ``largest`` (by default the net's largest |weight|); give two
    drawings the same ``largest`` to compare them.

    ``collection=True`` draws all edges as one LineCollection (``ax.collections``) instead of
    one line each: several times faster for hundreds of edges (the playground's redraws).
    Units shrink when a layer has many of them."""
    ax = new_axes(ax, figsize=(5.0, 3.5))
    weights = _weight_matrices(model)
    if not weights:
        raise ValueError("network_diagram needs a model with Linear layers (attribute W)")
    sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    largest = largest or max(float(np.abs(W[np.isfinite(W)]).max(initial=0.0))
                             for W in weights) or 1.0

    def positions(column: int) -> np.ndarray:
        n = sizes[column]
        return (np.arange(n) - (n - 1) / 2) / max(max(sizes) - 1, 1)

    segments, colours, widths, styles = [], [], [], []
    for column, W in enumerate(weights):
        left, right = positions(column), positions(column + 1)
        for i, j in np.ndindex(W.shape):
            w = W[i, j]
            strength = min(abs(w) / largest, 1.0) if np.isfinite(w) else 1.0
            colour = to_rgb(POSITIVE_COLOR if w > 0 else NEGATIVE_COLOR)
            if collection:
                segments.append([(column, left[i]), (column + 1, right[j])])
                colours.append((*colour, 0.35 + 0.65 * strength))
                widths.append(0.3 + 4.0 * strength)
                styles.append("solid" if w > 0 else (0, (3, 2)))
                continue
            ax.plot([column, column + 1], [left[i], right[j]], zorder=1,
                    color=POSITIVE_COLOR if w > 0 else NEGATIVE_COLOR,
                    ls="-" if w > 0 else (0, (3, 2)),
                    lw=0.3 + 4.0 * strength, alpha=0.35 + 0.65 * strength)
    if collection:
        ax.add_collection(LineCollection(segments, colors=colours, linewidths=widths,
                                         linestyles=styles, zorder=1))
    node_size = 260 if max(sizes) <= 6 else max(40, 260 * 6 / max(sizes))
    for column in range(len(sizes)):
        ys = positions(column)
        ax.scatter(np.full_like(ys, column), ys, s=node_size, color="white", edgecolor="0.2",
                   linewidth=1.2, zorder=2)
    names = ["input"] + [f"hidden {k}" for k in range(1, len(sizes) - 1)] + ["output"]
    labels = [f"{name}\n({n})" for name, n in zip(names, sizes, strict=True)]
    ax.set_xticks(range(len(sizes)), labels)
    ax.set_yticks([])
    ax.set_xlim(-0.3, len(sizes) - 0.7)
    ax.set_ylim(-0.6, 0.6)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title)
    describe(ax, _network_text(weights, sizes))
    return ax


def _network_text(weights: list[np.ndarray], sizes: list[int]) -> str:
    """The network drawing in words: its layers and, per layer, its weights' signs and sizes."""
    layers = " → ".join(str(n) for n in sizes)
    parts = []
    for k, W in enumerate(weights, start=1):
        finite = W[np.isfinite(W)]
        parts.append(f"layer {k}: {int(np.sum(finite > 0))} positive and "
                     f"{int(np.sum(finite <= 0))} negative weights, largest |w| "
                     f"{float(np.abs(finite).max(initial=0.0)):.3g}")
    return (f"Units per layer {layers}; edges are weights, solid for positive and dashed for "
            f"negative, thicker for larger. " + "; ".join(parts) + ".")


def train_test_curves(train: Sequence[float], test: Sequence[float], ax: Axes | None = None,
                      title: str | None = None, ylabel: str = "error rate",
                      every: int = 1, labels: tuple[str, str] = ("training data", "test data"),
                      best: int | None = None) -> Axes:
    """Training error and the error on held-out data (``labels`` name both), measured every
    ``every`` epochs: where the two curves part, the network starts to memorise. ``best``
    marks an epoch (the one validation chose) with a dotted vertical line."""
    _require_values("train", train)
    _require_values("test", test)
    ax = new_axes(ax, figsize=(5.0, 3.2))
    epochs = every * np.arange(1, len(train) + 1)
    ax.plot(epochs, train, lw=1.8, color=CLASS_COLORS[1], label=labels[0])
    ax.plot(epochs, test, lw=1.8, color=CLASS_COLORS[0], ls="--", label=labels[1])
    if best is not None:
        ax.axvline(best, color="0.4", lw=1, ls=":", label=f"lowest {labels[1].split()[0]} error")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def validation_curves(runs: dict[str, dict], every: int = 1) -> np.ndarray:
    """One panel per data set, side by side on one shared error axis: training and
    validation error of ``runs[name]`` (``"train"``, ``"validation"`` lists, ``"best_epoch"``,
    as :func:`helpers.experiments.mlp.error_curves` returns), the chosen epoch dotted.

    Returns the Axes.
    """
    _, axes = plt.subplots(1, len(runs), figsize=(9.4, 3.6), layout="constrained",
                           sharey=True, squeeze=False)
    for ax, (name, run) in zip(axes[0], runs.items(), strict=True):
        train_test_curves(run["train"], run["validation"], ax, title=name, every=every,
                          labels=("training data", "validation data"), best=run["best_epoch"])
    top = max(max(max(run["train"]), max(run["validation"])) for run in runs.values())
    axes[0][0].set_ylim(0, min(1.0, 1.1 * top))  # shared: every panel on one scale
    for ax in axes[0][1:]:
        ax.set_ylabel("")
    return axes[0]


def learning_rate_curves(runs: dict[float, Sequence[float]], axes=None) -> np.ndarray:
    """Loss curves of one network trained with several learning rates, on two panels with
    log loss axes: the runs that end below their start on the left, those that end above it
    (diverging, possibly to inf) on the right, so the diverging ones do not flatten the others.

    ``runs[lr]`` is the loss per epoch. Returns the two Axes.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9.4, 3.4), layout="constrained")
    left, right = axes
    for k, (lr, losses) in enumerate(runs.items()):
        losses = np.asarray(losses, dtype=float)
        diverged = not np.isfinite(losses[-1]) or losses[-1] > losses[0]
        loss_curve(losses, right if diverged else left, log=True, xlabel="epoch",
                   label=f"lr = {lr:g}", color=LINE_COLORS[k % len(LINE_COLORS)])
    left.set_title("learning rates that converge")
    right.set_title("learning rates that diverge")
    return np.array([left, right])


def gradient_sizes(sizes: dict[str, Sequence[float]], ax: Axes | None = None) -> Axes:
    """Mean |dW| of each Linear layer (1 = nearest the input), one line per network."""
    for name, values in sizes.items():
        _require_values(f"the gradient sizes of {name!r}", values)
    ax = new_axes(ax, figsize=(5.0, 3.4))
    for k, (name, values) in enumerate(sizes.items()):
        ax.plot(np.arange(1, len(values) + 1), values, marker=MARKERS[k % 5], ls=LINE_STYLES[k % 5],
                lw=1.8, color=CLASS_COLORS[k % len(CLASS_COLORS)], label=name)
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = next to the input)")
    ax.set_ylabel("mean |dW|")
    ax.set_xticks(np.arange(1, max(len(v) for v in sizes.values()) + 1))
    ax.legend(fontsize=8)
    return ax


def curve_fits(X: np.ndarray, y: np.ndarray, fits: dict[str, Callable[[np.ndarray], np.ndarray]],
               ax: Axes | None = None, title: str | None = None) -> Axes:
    """Data points of a 1-D curve (X of shape (N, 1)) and each model's prediction over them."""
    ax = new_axes(ax, figsize=(5.0, 3.4))
    ax.scatter(X.ravel(), np.ravel(y), s=10, color="0.6", label="data", zorder=1)
    xs = np.linspace(X.min(), X.max(), 400)[:, None]
    for k, (name, predict) in enumerate(fits.items()):
        ax.plot(xs.ravel(), np.ravel(predict(xs)), lw=2, label=name, zorder=2,
                color=CLASS_COLORS[k % len(CLASS_COLORS)], ls=LINE_STYLES[k % len(LINE_STYLES)])
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def hidden_outputs(model, points: np.ndarray) -> list[np.ndarray]:
    """What every hidden layer outputs for ``points``: after each activation but the last.

    ``model`` is a Sequential (it has ``layers``); a hidden layer's output has shape
    (len(points), width).
    """
    outputs, x = [], points
    layers = list(model.layers)
    for layer in layers[:-1]:
        x = layer.forward(x)
        if not list(layer.parameters()):  # an activation: the end of a hidden layer
            outputs.append(x)
    return outputs


def neuron_maps(model, X: np.ndarray, ax: Axes | None = None, resolution: int = 40) -> Axes:
    """One small map per hidden unit: its output over the plane of the 2-D data ``X``.

    Rows are hidden layers, columns units; each map has its own colour scale (orange below
    zero, purple above, white at zero). All maps share one Axes, so drawing stays fast.
    """
    gx, gy, grid = _grid(X, resolution)
    outputs = hidden_outputs(model, grid)
    rows, cols = len(outputs), max((h.shape[1] for h in outputs), default=0)
    ax = new_axes(ax, figsize=(1.2 * max(cols, 1), 1.2 * max(rows, 1)))
    step = resolution + max(2, resolution // 10)  # a tile and the gap after it
    mosaic = np.full((rows * step, max(cols, 1) * step), np.nan)
    for r, h in enumerate(outputs):
        for c in range(h.shape[1]):
            tile = h[:, c].reshape(gx.shape)
            top = (rows - 1 - r) * step  # layer 1 on top
            mosaic[top : top + resolution, c * step : c * step + resolution] = (
                tile[::-1] / (np.abs(tile).max() or 1.0))
    ax.imshow(mosaic, cmap="PuOr", vmin=-1, vmax=1, interpolation="nearest")
    ax.set_xticks(np.arange(cols) * step + resolution / 2, [f"unit {c + 1}" for c in range(cols)],
                  fontsize=7)
    ax.set_yticks(np.arange(rows) * step + resolution / 2,
                  [f"layer {r + 1}" for r in range(rows)], fontsize=8)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


def unit_maps(hidden: Sequence[np.ndarray], ax: Axes | None = None, per_row: int = 10,
              shape: tuple[int, int] | None = None) -> Axes:
    """Every hidden unit's output as a tile, ``per_row`` tiles a row, each layer on new rows.

    ``hidden`` is :func:`hidden_outputs` over a grid: an (M, width) array per layer. With
    ``shape`` (rows, columns of a 2-D grid, as :func:`_grid` makes it) a tile is a map over
    the plane; without, the grid is 1-D (a curve's x) and a tile is a strip along x. Each
    tile has its own colour scale (orange below zero, purple above, white at zero).
    """
    ax = new_axes(ax, figsize=(9.4, 1.2))
    size = shape if shape is not None else (12, len(hidden[0]) if hidden else 1)
    gap = max(2, size[1] // 10)
    step_r, step_c = size[0] + gap, size[1] + gap
    rows = [(layer, units[k:k + per_row]) for layer, h in enumerate(hidden)
            for units in [list(range(h.shape[1]))] for k in range(0, len(units), per_row)]
    mosaic = np.full((max(len(rows), 1) * step_r, per_row * step_c), np.nan)
    for r, (layer, units) in enumerate(rows):
        for c, unit in enumerate(units):
            values = hidden[layer][:, unit]
            tile = (values.reshape(size)[::-1] if shape is not None
                    else np.tile(values, (size[0], 1)))
            scale = np.nanmax(np.abs(tile)) if np.isfinite(tile).any() else 1.0
            mosaic[r * step_r : r * step_r + size[0], c * step_c : c * step_c + size[1]] = (
                tile / (scale or 1.0))
    ax.imshow(mosaic, cmap="PuOr", vmin=-1, vmax=1, interpolation="nearest", aspect="equal")
    ax.set_xticks(np.arange(per_row) * step_c + size[1] / 2,
                  [f"unit {c + 1}" for c in range(per_row)], fontsize=7)
    first = {}
    for r, (layer, units) in enumerate(rows):
        first.setdefault(layer, (r, units[0]))
    ax.set_yticks([r * step_r + size[0] / 2 for r, _ in first.values()],
                  [f"layer {layer + 1}" for layer in first], fontsize=8)
    for r, (_, units) in enumerate(rows):
        if units[0]:  # a continued layer: number its first tile
            ax.text(-0.5, r * step_r + size[0] / 2, f"{units[0] + 1}…", ha="right",
                    va="center", fontsize=7)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return ax


# --- notebook 06: softmax and cross-entropy ---


def probability_bars(
    probs: np.ndarray,
    ax: Axes | None = None,
    labels: Sequence[str] | None = None,
    true_class: int | None = None,
    title: str | None = None,
) -> Axes:
    """A bar per class for one probability distribution ``probs`` (K,); the most probable
    classes are dark, the others light; ``true_class``, if given, is marked on the x axis."""
    ax = new_axes(ax, figsize=(5.0, 2.8))
    probs = np.asarray(probs, dtype=float).ravel()
    k = len(probs)
    labels = [str(i) for i in range(k)] if labels is None else list(labels)
    top = np.isclose(probs, probs.max())  # every most probable class, ties included
    colors = [CLASS_COLORS[1] if is_top else REGION_COLORS[1] for is_top in top]
    bars = ax.bar(range(k), probs, color=colors, edgecolor=CLASS_COLORS[1], linewidth=0.8)
    for bar, p in zip(bars, probs, strict=True):
        ax.text(bar.get_x() + bar.get_width() / 2, p + 0.02, f"{p:.2f}", ha="center",
                va="bottom", fontsize=8)
    if true_class is not None:
        labels[true_class] = f"{labels[true_class]}\n(true)"
    ax.set_xticks(range(k), labels)
    ax.set_ylim(0, 1.15)
    ax.set_ylabel("probability")
    if title:
        ax.set_title(title)
    return ax


def probability_regions(
    probabilities: Callable[[np.ndarray], np.ndarray],
    X: np.ndarray,
    y: np.ndarray,
    ax: Axes | None = None,
    resolution: int = 150,
    **scatter_kwargs,
) -> Axes:
    """The plane coloured by a classifier's class probabilities, over the data.

    ``probabilities`` maps (M, 2) points to (M, K) rows that sum to 1. Each pixel mixes the
    class colours in proportion to the probabilities, so a sure region has its class's
    colour and an unsure one fades to a grey mixture; black lines separate the regions
    where a different class is most probable.
    """
    ax = new_axes(ax)
    gx, gy, grid = _grid(X, resolution)
    probs = np.asarray(probabilities(grid), dtype=float)
    k = probs.shape[1]
    palette = np.array([to_rgb(c) for c in CLASS_COLORS[:k]])
    image = (probs @ palette).reshape(*gx.shape, 3)
    image = 0.6 + 0.4 * image  # lighter, so that the points stay visible
    ax.imshow(image, origin="lower", extent=(gx.min(), gx.max(), gy.min(), gy.max()),
              aspect="auto", interpolation="bilinear", zorder=0)
    ax.contour(gx, gy, probs.argmax(axis=1).reshape(gx.shape), levels=np.arange(0.5, k - 1),
               colors="black", linewidths=0.8, zorder=1)
    scatter_classes(X, y, ax, **scatter_kwargs)
    ax.set_xlim(gx.min(), gx.max())
    ax.set_ylim(gy.min(), gy.max())
    describe(ax, _regions_text(probs.argmax(axis=1), lambda p: probabilities(p).argmax(axis=1),
                               X, y, scatter_kwargs.get("labels")))
    return ax


def _regions_text(grid_labels: np.ndarray, predict: Callable, X: np.ndarray, y: np.ndarray,
                  names: Sequence[str] | None) -> str:
    """A region plot in words: each class's share of the view and its points, and how many
    points lie in their own class's region."""
    y = np.asarray(y).ravel().astype(int)
    classes = sorted({*np.unique(grid_labels).tolist(), *np.unique(y).tolist()})

    def name(k: int) -> str:
        return f"“{names[k]}”" if names is not None and k < len(names) else f"class {k}"

    shares = ", ".join(f"{name(k)} {np.mean(grid_labels == k):.0%}" for k in classes)
    points = ", ".join(f"{int(np.sum(y == k))} {name(k)}" for k in classes if np.any(y == k))
    predicted = np.asarray(predict(X))
    if predicted.ndim == 2 and predicted.shape[1] > 1:
        predicted = predicted.argmax(axis=1)
    predicted = predicted.reshape(-1)
    if predicted.dtype.kind == "f" and not np.all(predicted == np.round(predicted)):
        predicted = predicted >= 0.5
    inside = int(np.sum(predicted.astype(int) == y))
    return (f"Regions of the plane by predicted class, their boundaries drawn black; share of "
            f"the view: {shares}. Points: {points}; {inside} of {len(y)} lie in their own "
            f"class's region.")


def confusion_matrix(
    y_true: np.ndarray, y_pred: np.ndarray, ax: Axes | None = None, num_classes: int | None = None
) -> Axes:
    """Counts of (true class, predicted class) pairs: row i, column j counts the samples of
    class i predicted as j. The diagonal holds the right answers; every other cell a mistake."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"y_true and y_pred must hold one label per sample each; got {len(y_true)} and "
            f"{len(y_pred)} labels"
        )
    k = num_classes or int(max(y_true.max(), y_pred.max())) + 1
    counts = np.zeros((k, k), dtype=int)
    np.add.at(counts, (y_true, y_pred), 1)
    ax = new_axes(ax, figsize=(5.5, 5.0))
    # Thousands of right answers on the diagonal would leave the few mistakes blank on a
    # shared scale: the diagonal is masked (drawn grey) and the colours span the mistakes only.
    mistakes = np.ma.masked_array(counts, mask=np.eye(k, dtype=bool))
    cmap = plt.get_cmap("Purples").with_extremes(bad="0.85")
    top = max(int(mistakes.max() or 0), 1)
    image = ax.imshow(mistakes, cmap=cmap, vmin=0, vmax=top)
    for (i, j), n in np.ndenumerate(counts):
        if n:  # black or white, whichever reads better on the cell's colour
            cell = image.to_rgba(mistakes[i, j]) if i != j else cmap.get_bad()
            ax.text(j, i, str(n), ha="center", va="center", fontsize=7 if n >= 1000 else 8,
                    color=readable_on(cell[:3]))
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(f"confusion matrix ({np.trace(counts)} of {counts.sum()} right)")
    describe(ax, _confusion_text(counts))
    return ax


def _confusion_text(counts: np.ndarray) -> str:
    """The confusion matrix in words: each class's right answers and the largest mistakes."""
    off = counts * (1 - np.eye(len(counts), dtype=int))
    worst = [(int(off[i, j]), i, j) for i, j in zip(*np.nonzero(off), strict=True)]
    worst.sort(reverse=True)
    right = ", ".join(f"class {i}: {counts[i, i]} of {counts[i].sum()}"
                      for i in range(len(counts)) if counts[i].sum())
    text = f"Right answers per true class: {right}."
    if worst:
        text += " Largest mistakes: " + "; ".join(
            f"true {i} predicted as {j}, {n} time{'s' if n != 1 else ''}"
            for n, i, j in worst[:5]) + "."
    return text


def digit_grid(
    images: np.ndarray, titles: Sequence[str] = (), ncols: int = 8, size: float = 1.25
) -> np.ndarray:
    """Images (N, 784) or (N, 28, 28) in a grid, each with its title; returns the Axes."""
    images = np.asarray(images)
    n = len(images)
    side = int(round(np.sqrt(images[0].size)))
    nrows = max(1, -(-n // ncols))
    _, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, 1.2 * size * nrows),
                           layout="constrained", squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if i < n:
            ax.imshow(images[i].reshape(side, side), cmap="gray_r", vmin=0, vmax=1)
            if i < len(titles):
                ax.set_title(titles[i], fontsize=9)
    return axes


def loss_and_accuracy_curves(
    losses: Sequence[float],
    train_accuracy: Sequence[float],
    val_accuracy: Sequence[float],
    steps_per_epoch: int,
) -> np.ndarray:
    """Left: the training loss at every step (and its running mean). Right: the training and
    validation accuracy after each epoch (the test set is kept for one final measurement).
    Returns the two Axes."""
    _require_values("losses", losses)
    _require_values("val_accuracy", val_accuracy)
    _, (left, right) = plt.subplots(1, 2, figsize=(9.4, 3.6), layout="constrained")
    steps = np.arange(1, len(losses) + 1) / steps_per_epoch
    left.plot(steps, losses, color=REGION_COLORS[1], lw=0.8, label="each mini-batch")
    window = max(1, steps_per_epoch // 10)
    smooth = np.convolve(losses, np.ones(window) / window, mode="valid")
    left.plot(steps[window - 1 :], smooth, color=CLASS_COLORS[1], lw=1.8, label="running mean")
    left.set_yscale("log")
    left.set_xlabel("epoch")
    left.set_ylabel("cross-entropy loss")
    left.set_title("training loss")
    left.legend(fontsize=8)
    epochs = np.arange(1, len(val_accuracy) + 1)
    right.plot(epochs, 100 * np.asarray(train_accuracy), "o-", color=CLASS_COLORS[0],
               label="training set")
    right.plot(epochs, 100 * np.asarray(val_accuracy), "s-", color=CLASS_COLORS[2],
               label="validation set")
    right.set_xticks(epochs)
    right.set_xlabel("epoch")
    right.set_ylabel("accuracy (%)")
    right.set_title("accuracy after each epoch")
    right.legend(fontsize=8)
    return np.array([left, right])
