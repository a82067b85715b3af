"""The playground's network drawing as SVG: a small map inside every unit, inputs labelled
top to bottom, each weight an edge (blue and solid if positive, red and dashed if negative,
the thicker the larger)."""

from __future__ import annotations

import numpy as np

from .. import plot
from . import svg
from .options import FEATURE_LABELS

WIDTH = 410  # at most
LEFT = 54  # room for the input labels


def _weights(model) -> list[np.ndarray]:
    layers = getattr(model, "layers", [model])
    return [np.asarray(layer.W, dtype=float) for layer in layers if hasattr(layer, "W")]


def _keys(column: int, size: int, columns: int) -> list[tuple]:
    if column == 0:
        return [("input", k) for k in range(size)]
    if column == columns - 1:
        return [("output",)]
    return [("hidden", column - 1, k) for k in range(size)]


def network_svg(state, tiles: dict[tuple, str], enlarged: tuple) -> str:
    """The network with ``tiles`` (key -> image URI) in its units; ``enlarged`` outlined."""
    weights = _weights(state.model)
    sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    columns, most = len(sizes), max(sizes)
    tile, gap = (26, 7) if most <= 8 else (17, 4)
    height = max(200, most * (tile + gap) + 34)
    spacing = min(95, (WIDTH - LEFT - tile - 12) / (columns - 1))
    width = LEFT + (columns - 1) * spacing + tile + 12

    def centre(column: int, k):
        top = 26 + (height - 30 - sizes[column] * (tile + gap)) / 2
        return LEFT + column * spacing + tile / 2, top + np.asarray(k) * (tile + gap) + tile / 2

    body = []
    finite = [np.abs(W[np.isfinite(W)]) for W in weights]
    largest = max((float(a.max()) for a in finite if a.size), default=1.0) or 1.0
    for column, W in enumerate(weights):
        i, j = np.indices(W.shape).reshape(2, -1)
        w = W.ravel()
        strength = np.where(np.isfinite(w), np.minimum(np.abs(w) / largest, 1.0), 1.0)
        xa, ya = centre(column, i)
        xb, yb = centre(column + 1, j)
        for y1, y2, value, power in zip(ya.tolist(), yb.tolist(), w.tolist(),
                                        strength.tolist(), strict=True):
            style = (f'stroke="{plot.POSITIVE_COLOR}"' if value > 0 else
                     f'stroke="{plot.NEGATIVE_COLOR}" stroke-dasharray="4 2"')
            body.append(f'<line x1="{xa + tile / 2:.1f}" y1="{y1:.1f}" x2="{xb - tile / 2:.1f}" '
                        f'y2="{y2:.1f}" {style} stroke-width="{0.4 + 3.6 * power:.2f}" '
                        f'stroke-opacity="{0.3 + 0.7 * power:.2f}"/>')
    features = state.settings.features
    for column, size in enumerate(sizes):
        x = centre(column, 0)[0]
        header = ("inputs" if column == 0 else "output" if column == columns - 1
                  else f"layer {column}")
        body.append(svg.text(x, 12, header, size=10, weight="bold"))
        for k, key in enumerate(_keys(column, size, columns)):
            cx, cy = centre(column, k)
            left, top = cx - tile / 2, cy - tile / 2
            if key in tiles:
                body.append(f'<image href="{tiles[key]}" x="{left:.1f}" y="{top:.1f}" '
                            f'width="{tile}" height="{tile}" preserveAspectRatio="none"/>')
            chosen = key == enlarged
            body.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{tile}" height="{tile}" '
                        f'fill="none" stroke="{"#000" if chosen else "#666"}" '
                        f'stroke-width="{2.5 if chosen else 0.8}"/>')
            if column == 0 and k < len(features):
                body.append(svg.text(left - 4, cy + 4, FEATURE_LABELS[features[k]], size=11,
                                     anchor="end"))
    label = (f"The network: {' → '.join(str(n) for n in sizes)} units; blue solid edges are "
             f"positive weights, red dashed negative, thicker is larger (largest "
             f"|w| = {largest:.2g}).")
    return svg.figure(width, height, label, body)
