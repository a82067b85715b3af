"""The playground's picture, drawn straight from numpy: maps as PNG images, the network and
the loss as SVG, in one piece of HTML. No matplotlib: a redraw takes a few milliseconds.

Three panels: the big map (the output's confidence over the plane, shaded from class 0's
colour through white to class 1's, its 0.5 boundary as a line, training points filled and
validation points hollow, each class with its own marker; or one unit's map, enlarged),
the network (inputs labelled top to bottom, a small map inside every unit, edges by sign
(colour and dash) and size), and the training and validation loss.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import contourpy
import numpy as np

from .. import plot
from . import svg
from .loss import loss_svg
from .network import network_svg
from .options import FEATURE_LABELS
from .text import facts
from .units import forward_with_hidden

BIG = 280  # the big map's side, in pixels
RESOLUTION = 60  # grid points per side of the maps
TILE_STEP = 3  # a unit's tile shows every third grid point


@dataclass
class Frame:
    """One picture of the playground: its HTML and what it shows, in sentences."""

    html: str
    facts: list[str]


@dataclass
class _Maps:
    xs: np.ndarray
    ys: np.ndarray | None  # None for the curve (1-D)
    features: np.ndarray  # (M, features)
    output: np.ndarray  # (M,)
    hidden: list[np.ndarray]  # (M, width) per hidden layer


def unit_names(state) -> list[tuple[str, tuple]]:
    """(label, key) of everything the big map can show: the output, each input, each unit."""
    names = [("output", ("output",))]
    names += [(f"input {FEATURE_LABELS[f]}", ("input", k))
              for k, f in enumerate(state.settings.features)]
    names += [(f"layer {layer + 1}, unit {unit + 1}", ("hidden", layer, unit))
              for layer, width in enumerate(state.settings.layers) for unit in range(width)]
    return names


def _bounds(state) -> tuple[float, float, float, float]:
    points = np.vstack([state.X, state.X_val, state.X_test])
    low, high = points.min(axis=0), points.max(axis=0)
    pad = 0.08 * (high - low) + 1e-9
    return low[0] - pad[0], high[0] + pad[0], low[-1] - pad[-1], high[-1] + pad[-1]


def _maps(state) -> _Maps:
    x0, x1, y0, y1 = _bounds(state)
    xs = np.linspace(x0, x1, RESOLUTION)
    if state.settings.task == "regression":
        ys, grid = None, xs[:, None]
    else:
        ys = np.linspace(y0, y1, RESOLUTION)
        gx, gy = np.meshgrid(xs, ys)
        grid = np.column_stack([gx.ravel(), gy.ravel()])
    F = state.inputs(grid)
    output, hidden = forward_with_hidden(state.model, F)
    return _Maps(xs, ys, F, output, hidden)


def _values(state, maps: _Maps, key: tuple) -> np.ndarray:
    """What a unit shows, scaled to [-1, 1]: the output and sigmoid units around 0.5, tanh
    as it is, ReLU, linear units and inputs by their own largest |value|."""
    if key[0] == "output" and maps.ys is not None:
        return np.clip(2 * maps.output - 1, -1, 1)
    if key[0] == "output":  # the curve's output is a number, not a class
        values, activation = maps.output, "output"
    elif key[0] == "input":
        values, activation = maps.features[:, key[1]], "input"
    else:
        values, activation = maps.hidden[key[1]][:, key[2]], state.settings.activation
    if activation == "tanh":
        return values
    if activation == "sigmoid":
        return 2 * values - 1
    finite = values[np.isfinite(values)]
    scale = np.abs(finite).max() if finite.size else 1.0
    return values / (scale or 1.0)


def _image(maps: _Maps, rgb: np.ndarray) -> str:
    """(M, 3) shades of the grid's points as an image: a square (row 0 at the top), or for
    the curve a strip along x."""
    if maps.ys is None:
        return svg.data_uri(np.tile(rgb[None], (4, 1, 1)))
    return svg.data_uri(rgb.reshape(len(maps.ys), len(maps.xs), 3)[::-1])


def _tiles(state, maps: _Maps) -> dict[tuple, str]:
    """The small map of every unit: every TILE_STEP-th grid point, shaded in one go."""
    rows = np.arange(0, RESOLUTION, TILE_STEP)
    if maps.ys is None:
        pick, ys = rows, None
    else:
        pick, ys = (rows[:, None] * RESOLUTION + rows[None, :]).ravel(), maps.ys[rows]
    small = _Maps(maps.xs[rows], ys, maps.features[pick], maps.output[pick],
                  [h[pick] for h in maps.hidden])
    keys = [key for _, key in unit_names(state)]
    shaded = svg.shade(np.column_stack([_values(state, small, key) for key in keys]))
    return {key: _image(small, shaded[:, k]) for k, key in enumerate(keys)}


def _points(state, to_px, shapes: bool = True) -> list[str]:
    out = []
    for X, y, filled in ((state.X, state.y, True), (state.X_val, state.y_val, False)):
        for point, label in zip(X, y, strict=True):
            k = int(label) if shapes else 1
            px, py = to_px(point, label)
            colour = plot.CLASS_COLORS[k]
            # a dark rim keeps a filled point visible on its own class's shade
            out.append(svg.marker(svg.MARKERS[k] if shapes else "circle", px, py, 3.6,
                                  colour if filled else "white",
                                  "#222" if filled else colour, 0.7 if filled else 1.6))
    return out


def _big_map(state, maps: _Maps, key: tuple, name: str, label: str) -> str:
    x0, x1, y0, y1 = _bounds(state)
    body = []
    if maps.ys is None:
        return _curve_panel(state, maps, key, name, label)
    uri = _image(maps, svg.shade(_values(state, maps, key)))
    body.append(f'<image href="{uri}" x="0" y="0" width="{BIG}" height="{BIG}" '
                'preserveAspectRatio="none"/>')

    def to_px(point, _label):
        return ((point[0] - x0) / (x1 - x0) * BIG, (y1 - point[1]) / (y1 - y0) * BIG)

    if key[0] == "output":
        z = np.ma.masked_invalid(maps.output.reshape(len(maps.ys), len(maps.xs)))
        for line in contourpy.contour_generator(maps.xs, maps.ys, z).lines(0.5):
            pixels = [to_px(p, None) for p in line]
            body.append(svg.polyline(*np.array(pixels).T, "#222", 1.6))
    body += _points(state, to_px)
    return svg.figure(BIG, BIG, label, body)


def _curve_panel(state, maps: _Maps, key: tuple, name: str, label: str) -> str:
    x0, x1 = maps.xs[0], maps.xs[-1]
    ys = np.concatenate([state.y, state.y_val])
    low, high = ys.min() - 0.4, ys.max() + 0.4
    height = BIG - 40

    def to_px(point, value):
        return ((point[0] - x0) / (x1 - x0) * BIG, 10 + (high - value) / (high - low) * height)

    body = []
    if key != ("output",):  # a unit enlarged: its output along x, as a strip
        body += [f'<image href="{_image(maps, svg.shade(_values(state, maps, key)))}" x="0" '
                 f'y="{BIG - 24}" width="{BIG}" height="16" preserveAspectRatio="none"/>',
                 svg.text(BIG / 2, BIG - 28, f"{name}, along x", size=10)]
    body += _points(state, to_px, shapes=False)
    out = np.clip(maps.output, low, high)
    xs, ys_px = zip(*(to_px((x,), v) for x, v in zip(maps.xs, out, strict=True)), strict=True)
    body.append(svg.polyline(np.array(xs), np.array(ys_px), "#222", 2.0))
    return svg.figure(BIG, BIG, label, body)


def draw(state, enlarged: tuple = ("output",), replay_epoch: int | None = None) -> Frame:
    """The picture of ``state`` now, or of its network at ``replay_epoch`` (the weights
    recorded then). ``enlarged`` is a key of :func:`unit_names`: what the big map shows."""
    keys = dict((k, name) for name, k in unit_names(state))
    enlarged = enlarged if enlarged in keys else ("output",)
    if replay_epoch is not None and replay_epoch >= state.epoch:
        replay_epoch = None
    if replay_epoch is None:
        return _compose(state, enlarged, keys[enlarged], None)
    with state.replay.weights_at(replay_epoch) as shown:
        return _compose(state, enlarged, keys[enlarged], shown)


def _compose(state, enlarged: tuple, name: str, shown: int | None) -> Frame:
    maps = _maps(state)
    said = facts(state, shown)
    big = _big_map(state, maps, enlarged, name, f"{name} over the data. " + " ".join(said))
    tiles = _tiles(state, maps)
    panels = [("the data and the network's " + ("output" if enlarged == ("output",)
                                                 else name), big),
              ("the network (" + ("replay" if shown is not None else "now") + ")",
               network_svg(state, tiles, enlarged)),
              ("loss", loss_svg(state, shown))]
    cells = "".join(
        f'<figure style="margin:0 14px 0 0"><figcaption style="font-weight:bold;'
        f'font-size:12px;margin-bottom:2px">{html.escape(title)}</figcaption>{body}</figure>'
        for title, body in panels)
    return Frame(f'<div style="display:flex;align-items:flex-start;flex-wrap:wrap">{cells}'
                 "</div>", said)
