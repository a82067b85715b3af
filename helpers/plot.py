"""Figures for the workbook.

Every function draws on the Axes it is given (``ax=``) or on a new one, and returns what it
drew on, so figures can be combined and tested. Nothing here changes global matplotlib
settings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap

__all__ = [
    "CLASS_COLORS",
    "new_axes",
    "activation_gallery",
    "scatter_classes",
    "decision_line",
    "perceptron_progress",
    "decision_regions",
    "network_diagram",
    "loss_curve",
    "train_test_curves",
    "gradient_sizes",
    "curve_fits",
    "hidden_outputs",
    "neuron_maps",
]

#: Colour-blind-safe class colours (class 0, 1, 2, ...), and their light shades for regions.
CLASS_COLORS = ("#e66101", "#5e3c99", "#1b9e77", "#d95f02", "#7570b3")
REGION_COLORS = ("#fdd9bf", "#dcd3ec", "#c4ebe0", "#f9d2b3", "#dedcf0")


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
        nrows, ncols, figsize=(3.2 * ncols, 2.6 * nrows), layout="constrained", squeeze=False
    )
    for ax, (name, (f, remark)) in zip(axes.flat, functions.items()):
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
    """The points of ``X`` (N, 2), coloured by their class ``y``."""
    ax = new_axes(ax)
    y = np.asarray(y).ravel()
    for k in np.unique(y):
        name = labels[int(k)] if labels is not None else f"class {k}"
        pts = X[y == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=22, color=CLASS_COLORS[int(k) % 5], label=name,
                   edgecolor="white", linewidth=0.5, zorder=3)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", fontsize=8, framealpha=0.9)
    return ax


def _limits(X: np.ndarray, pad: float = 0.05) -> tuple[float, float, float, float]:
    lo, hi = X.min(axis=0), X.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    return lo[0] - pad * span[0], hi[0] + pad * span[0], lo[1] - pad * span[1], hi[1] + pad * span[1]


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
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
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
    """The data over the regions a classifier assigns to each class.

    ``predict`` maps an (M, 2) array of points to M class labels (or to M scores in [0, 1]
    for two classes, which are thresholded at 0.5).
    """
    ax = new_axes(ax)
    x0, x1, y0, y1 = _limits(X, pad=0.1)
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    labels = np.asarray(predict(grid))
    if labels.ndim == 2 and labels.shape[1] > 1:
        labels = labels.argmax(axis=1)
    labels = labels.reshape(-1)
    if labels.dtype.kind == "f" and set(np.unique(np.round(labels, 6))) - {0.0, 1.0}:
        labels = (labels >= 0.5).astype(int)
    k = int(max(labels.max(), np.max(y))) + 1
    ax.contourf(gx, gy, labels.reshape(gx.shape), levels=np.arange(-0.5, k),
                cmap=ListedColormap(REGION_COLORS[:k]), zorder=0)
    scatter_classes(X, y, ax, **scatter_kwargs)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    return ax


# --- notebook 04: the multi-layer perceptron ---

#: Colours of positive and negative weights in the network drawing.
POSITIVE_COLOR, NEGATIVE_COLOR = "#2166ac", "#d6604d"


def _weight_matrices(model) -> list[np.ndarray]:
    """The W of every layer of a Sequential that has one, first to last."""
    layers = getattr(model, "layers", [model])
    return [np.asarray(layer.W) for layer in layers if hasattr(layer, "W")]


def network_diagram(model, ax: Axes | None = None, title: str | None = None,
                    largest: float | None = None) -> Axes:
    """The network as units and edges: blue edges are positive weights, red negative, and
    the thicker an edge the larger the weight. Widths are relative to ``largest`` (by default
    the net's largest |weight|); give two drawings the same ``largest`` to compare them."""
    ax = new_axes(ax, figsize=(5.0, 3.5))
    weights = _weight_matrices(model)
    if not weights:
        raise ValueError("network_diagram needs a model with Linear layers (attribute W)")
    sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    largest = largest or max(float(np.abs(W).max()) for W in weights) or 1.0

    def positions(column: int) -> np.ndarray:
        n = sizes[column]
        return (np.arange(n) - (n - 1) / 2) / max(max(sizes) - 1, 1)

    for column, W in enumerate(weights):
        left, right = positions(column), positions(column + 1)
        for i, j in np.ndindex(W.shape):
            w = W[i, j]
            ax.plot([column, column + 1], [left[i], right[j]], zorder=1,
                    color=POSITIVE_COLOR if w > 0 else NEGATIVE_COLOR,
                    lw=0.3 + 4.0 * min(abs(w) / largest, 1.0),
                    alpha=0.35 + 0.65 * min(abs(w) / largest, 1.0))
    for column in range(len(sizes)):
        ys = positions(column)
        ax.scatter(np.full_like(ys, column), ys, s=260, color="white", edgecolor="0.2",
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
    return ax


def loss_curve(losses: Sequence[float], ax: Axes | None = None, label: str | None = None,
               log: bool = True) -> Axes:
    """Loss per epoch (log scale by default: training curves span several decades)."""
    ax = new_axes(ax, figsize=(5.0, 3.2))
    ax.plot(np.arange(1, len(losses) + 1), losses, lw=1.8, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if log and len(losses) and np.all(np.asarray(losses) > 0):
        ax.set_yscale("log")
    if label:
        ax.legend(fontsize=8)
    return ax


def train_test_curves(train: Sequence[float], test: Sequence[float], ax: Axes | None = None,
                      title: str | None = None, ylabel: str = "error rate",
                      every: int = 1) -> Axes:
    """Training and test error, measured every ``every`` epochs: where the two curves part,
    the network starts to memorise."""
    ax = new_axes(ax, figsize=(5.0, 3.2))
    epochs = every * np.arange(1, len(train) + 1)
    ax.plot(epochs, train, lw=1.8, color=CLASS_COLORS[1], label="training data")
    ax.plot(epochs, test, lw=1.8, color=CLASS_COLORS[0], label="test data")
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return ax


def gradient_sizes(sizes: dict[str, Sequence[float]], ax: Axes | None = None) -> Axes:
    """Mean |dW| of each Linear layer (1 = nearest the input), one line per network."""
    ax = new_axes(ax, figsize=(5.0, 3.4))
    for k, (name, values) in enumerate(sizes.items()):
        ax.plot(np.arange(1, len(values) + 1), values, "o-", lw=1.8,
                color=CLASS_COLORS[k % len(CLASS_COLORS)], label=name)
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
                color=CLASS_COLORS[k % len(CLASS_COLORS)])
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
    x0, x1, y0, y1 = _limits(X, pad=0.1)
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    outputs = hidden_outputs(model, np.column_stack([gx.ravel(), gy.ravel()]))
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
