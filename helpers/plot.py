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
    "LINE_COLORS",
    "timings",
    "loss_curves",
    "descent_paths",
    "early_stopping",
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


# --- notebook 05: stochastic gradient descent ---

#: Colour-blind-safe colours for lines that must stay apart (optimisers, batch sizes).
LINE_COLORS = ("#e66101", "#5e3c99", "#1b9e77", "#0072b2", "#cc79a7")


def timings(
    sizes: Sequence[int], seconds: dict[str, Sequence[float]], ax: Axes | None = None
) -> Axes:
    """Run time against the number of samples N, on log-log axes: one line per method."""
    ax = new_axes(ax, figsize=(5.5, 3.8))
    for i, (name, times) in enumerate(seconds.items()):
        ax.plot(sizes, times, "o-", color=LINE_COLORS[i % 5], label=name, lw=2)
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
    """One loss curve per name: ``curves[name] = (x, loss)``, x being epochs or seconds."""
    ax = new_axes(ax, figsize=(5.5, 3.8))
    for i, (name, (x, loss)) in enumerate(curves.items()):
        ax.plot(x, loss, color=LINE_COLORS[i % 5], label=name, lw=1.8)
    if log:
        ax.set_yscale("log")
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
                label=f"{name} ({len(path) - 1} steps)", zorder=3)
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
    ax = new_axes(ax, figsize=(6.5, 3.8))
    epochs = np.arange(1, len(train_losses) + 1)
    ax.plot(epochs, train_losses, color=CLASS_COLORS[1], lw=1.8, label="training loss")
    ax.plot(epochs, val_losses, color=CLASS_COLORS[0], lw=1.8, label="validation loss")
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
