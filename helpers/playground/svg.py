"""Small pieces the playground's drawing is made of: a PNG from an RGB array (no
matplotlib: a redraw must be much faster than an empty figure), the diverging shade of its
maps, and SVG markers and text."""

from __future__ import annotations

import base64
import html
import struct
import zlib

import numpy as np
from matplotlib.colors import to_rgb

from .. import plot

#: Marker shape per class (besides its colour): class 0 a circle, class 1 a triangle.
MARKERS = ("circle", "triangle")
#: The shade of a map where the output or a unit's value is not a number (overflow).
NAN_GREY = (190, 190, 190)


def png(rgb: np.ndarray) -> bytes:
    """An (H, W, 3) uint8 array as PNG bytes."""
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # filter byte 0 per row
    rows[:, 1:] = rgb.reshape(height, -1)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def data_uri(rgb: np.ndarray) -> str:
    return "data:image/png;base64," + base64.b64encode(png(rgb)).decode("ascii")


def _diverging_table(strength: float = 0.75) -> np.ndarray:
    """257 shades from class 0's colour (at -1) through white (at 0) to class 1's (at 1),
    mixed with white so that points drawn on top stay visible."""
    white = np.ones(3)
    low, high = (np.array(to_rgb(c)) for c in plot.CLASS_COLORS[:2])
    t = np.linspace(-1, 1, 257)[:, None]  # an odd count: 0 is exactly white
    mix = np.where(t < 0, white + (-t) * strength * (low - white),
                   white + t * strength * (high - white))
    return np.round(255 * mix).astype(np.uint8)


_TABLE = _diverging_table()


def shade(t: np.ndarray) -> np.ndarray:
    """Values in [-1, 1] as RGB: class 0's colour below 0, white at 0, class 1's above;
    grey where not a number."""
    t = np.asarray(t, dtype=float)
    finite = np.isfinite(t)
    index = np.round((np.clip(np.where(finite, t, 0.0), -1, 1) + 1) * 128).astype(int)
    rgb = _TABLE[index]
    rgb[~finite] = NAN_GREY
    return rgb


def text(x: float, y: float, words: str, size: int = 11, anchor: str = "middle",
         weight: str = "normal", fill: str = "#222") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}">{html.escape(words)}</text>')


def marker(shape: str, x: float, y: float, r: float, fill: str, stroke: str,
           width: float) -> str:
    style = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"'
    if shape == "triangle":
        h = 1.25 * r
        return (f'<polygon points="{x:.1f},{y - h:.1f} {x - h:.1f},{y + 0.8 * h:.1f} '
                f'{x + h:.1f},{y + 0.8 * h:.1f}" {style}/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" {style}/>'


def polyline(xs: np.ndarray, ys: np.ndarray, colour: str, width: float = 2.0,
             dash: str | None = None) -> str:
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<polyline points="{points}" fill="none" stroke="{colour}" '
            f'stroke-width="{width}"{dashes}/>')


def figure(width: float, height: float, label: str, body: list[str]) -> str:
    """An SVG element with a text alternative (role img, aria-label and a title)."""
    label = html.escape(label)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
            f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
            f'aria-label="{label}" style="font-family: sans-serif"><title>{label}</title>'
            + "".join(body) + "</svg>")
