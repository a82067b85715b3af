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
from matplotlib.colors import ListedColormap, PowerNorm, to_rgb

__all__ = [
    "CLASS_COLORS",
    "new_axes",
    "activation_gallery",
    "scatter_classes",
    "decision_line",
    "perceptron_progress",
    "decision_regions",
    "probability_bars",
    "probability_regions",
    "confusion_matrix",
    "digit_grid",
    "loss_and_accuracy_curves",
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


def _grid(X: np.ndarray, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x0, x1, y0, y1 = _limits(X, pad=0.1)
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    return gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


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
    return ax


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
    # a power norm brightens the few mistakes next to the thousands of right answers
    ax.imshow(counts, cmap="Purples", norm=PowerNorm(0.3, vmin=0, vmax=counts.max()))
    for (i, j), n in np.ndenumerate(counts):
        if n:
            dark = n > 0.2 * counts.max()
            ax.text(j, i, str(n), ha="center", va="center", fontsize=7 if n >= 1000 else 8,
                    color="white" if dark else "black")
    ax.set_xticks(range(k))
    ax.set_yticks(range(k))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.set_title(f"confusion matrix ({np.trace(counts)} of {counts.sum()} right)")
    return ax


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
    test_accuracy: Sequence[float],
    steps_per_epoch: int,
) -> np.ndarray:
    """Left: the training loss at every step (and its running mean). Right: the training and
    test accuracy after each epoch. Returns the two Axes."""
    _, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6), layout="constrained")
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
    epochs = np.arange(1, len(test_accuracy) + 1)
    right.plot(epochs, 100 * np.asarray(train_accuracy), "o-", color=CLASS_COLORS[0],
               label="training set")
    right.plot(epochs, 100 * np.asarray(test_accuracy), "s-", color=CLASS_COLORS[2],
               label="test set")
    right.set_xticks(epochs)
    right.set_xlabel("epoch")
    right.set_ylabel("accuracy (%)")
    right.set_title("accuracy after each epoch")
    right.legend(fontsize=8)
    return np.array([left, right])
