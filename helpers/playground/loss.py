"""The playground's loss chart as SVG: training (solid) and validation (dashed) loss by
epoch on a log scale, each line labelled at its end, so no colour needs telling apart."""

from __future__ import annotations

import numpy as np

from .. import plot
from . import svg

WIDTH, HEIGHT = 250, 200
LEFT, RIGHT, TOP, BOTTOM = 44, 62, 10, 30
MOST_POINTS = 250


def _ticks(low: float, high: float) -> list[float]:
    """Loss values to label on a log axis from ``low`` to ``high``."""
    decades = np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
    marks = [m * 10**d for d in decades for m in ((1,) if high / low > 30 else (1, 2, 5))]
    inside = [v for v in marks if low <= v <= high]
    return inside if len(inside) >= 2 else sorted({*inside, low, high})


def loss_svg(state, shown: int | None = None) -> str:
    """The losses so far; ``shown`` (a replayed epoch) marked with a dotted line."""
    losses = np.array(state.losses, dtype=float)
    val = np.array(state.val_losses, dtype=float)
    if not len(losses):
        body = [svg.text(WIDTH / 2, HEIGHT / 2 - 8, "not trained yet:", size=12),
                svg.text(WIDTH / 2, HEIGHT / 2 + 10, "press play or step", size=12)]
        return svg.figure(WIDTH, HEIGHT, "Loss: not trained yet.", body)
    both = np.concatenate([losses, val])
    good = both[np.isfinite(both) & (both > 0)]
    low, high = (good.min(), good.max()) if good.size else (1e-3, 1.0)
    low, high = (low / 1.5, high * 1.5) if high / low < 3 else (low, high)
    span = np.log10(high) - np.log10(low)
    epochs = max(len(losses) - 1, 1)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(epoch, value):
        value = np.clip(np.where(np.isfinite(value) & (value > 0), value, high), low, high)
        return (LEFT + np.asarray(epoch) / epochs * inner_w,
                TOP + (np.log10(high) - np.log10(value)) / span * inner_h)

    body = [f'<rect x="{LEFT}" y="{TOP}" width="{inner_w}" height="{inner_h}" fill="none" '
            'stroke="#999" stroke-width="0.8"/>']
    for v in _ticks(low, high):
        _, y = px(0, v)
        body.append(svg.text(LEFT - 4, float(y) + 4, f"{v:.2g}", size=10, anchor="end"))
    body.append(svg.text(LEFT, HEIGHT - 14, "0", size=10))
    body.append(svg.text(LEFT + inner_w, HEIGHT - 14, str(len(losses) - 1), size=10))
    body.append(svg.text(LEFT + inner_w / 2, HEIGHT - 2, "epoch", size=10))
    pick = np.unique(np.linspace(0, len(losses) - 1, min(len(losses), MOST_POINTS)).astype(int))
    ends = []
    for values, name, colour, dash in ((losses, "training", plot.LINE_COLORS[3], None),
                                       (val, "validation", plot.LINE_COLORS[0], "5 3")):
        xs, ys = px(pick, values[pick])
        body.append(svg.polyline(xs, ys, colour, 2.0, dash))
        ends.append([float(ys[-1]) + 4, name, colour])
    # each line named at its end; labels closer than a line of text are pushed apart
    (upper, lower) = sorted(ends)
    gap = 12 - (lower[0] - upper[0])
    if gap > 0:
        upper[0], lower[0] = upper[0] - gap / 2, lower[0] + gap / 2
    for y, name, _colour in ends:
        # dark text: the line's colour is too light for small text (WCAG 4.5:1)
        body.append(svg.text(LEFT + inner_w + 4, y, name + (" - -" if name == "validation"
                                                            else " —"), size=10,
                             anchor="start"))
    if shown is not None:
        x, _ = px(shown, high)
        body.append(f'<line x1="{float(x):.1f}" y1="{TOP}" x2="{float(x):.1f}" '
                    f'y2="{TOP + inner_h}" stroke="#333" stroke-dasharray="2 2"/>')
    label = (f"Loss by epoch, log scale: training {losses[-1]:.3g} (solid), validation "
             f"{val[-1]:.3g} (dashed), after {len(losses)} epochs.")
    return svg.figure(WIDTH, HEIGHT, label, body)
