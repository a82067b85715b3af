"""Text alternatives for figures, read from the figure's own artists.

:func:`figure_text` describes any matplotlib figure in words: for each Axes its title, axes
and ranges, every line series (its trend and key numbers), scatter, image, bar and contour
set, so every figure of the workbook gets a truthful description with no per-figure work.
A plot helper adds what only it knows with :func:`describe` (the computational graph's
values and gradients, say). :func:`figure_html` wraps a PNG in ``<figure>`` with the short
text as the image's alt and the full text as a caption a student can open; in IPython,
:func:`install_figure_display` makes every displayed figure carry it (the PNG output stays,
for nbconvert, the grader and front ends that do not render HTML).
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import re
from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.container import BarContainer
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .figure_style import distinguish_series

__all__ = ["describe", "figure_text", "FigureText", "figure_html", "install_figure_display",
           "plain"]

_NOTES = "_nn_workbook_description"  # where describe() keeps a helper's sentences
_MAX_SERIES, _MAX_TEXTS, _MAX_BARS = 8, 6, 12


def describe(target: Figure | Axes, text: str) -> Figure | Axes:
    """Add ``text`` (one or more sentences) to the text alternative of a figure or an Axes:
    the facts only its plot helper knows. Returns ``target``."""
    notes = getattr(target, _NOTES, None)
    if notes is None:
        notes = []
        setattr(target, _NOTES, notes)
    notes.append(text.strip())
    return target


@dataclass
class FigureText:
    """A figure in words: ``summary`` for the image's alt, ``details`` the full description
    (one line per fact)."""

    summary: str
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join([self.summary, *self.details])


# --- words for numbers and labels -----------------------------------------------------------

_TEX = {
    r"\eta": "η", r"\theta": "θ", r"\sigma": "σ", r"\alpha": "α", r"\beta": "β",
    r"\lambda": "λ", r"\mu": "μ", r"\partial": "∂", r"\sim": "~", r"\cdot": "·",
    r"\times": "×", r"\nabla": "∇", r"\sum": "Σ", r"\le": "≤", r"\ge": "≥", r"\,": " ",
    r"\;": " ", r"\ ": " ", r"\mathcal": "", r"\mathrm": "", r"\hat": "", r"\!": "",
}
_SUBSCRIPT = str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")
_SUPERSCRIPT = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")


def plain(label: str) -> str:
    """A label as a screen reader should read it: matplotlib's $…$ maths as plain text
    (``$x_1$`` → ``x₁``, ``$\\eta$`` → ``η``), no line breaks."""
    def maths(match: re.Match) -> str:
        text = match.group(1)
        for tex, word in sorted(_TEX.items(), key=lambda kv: -len(kv[0])):
            text = text.replace(tex, word)
        text = re.sub(r"_\{?([0-9+-]+)\}?", lambda m: m.group(1).translate(_SUBSCRIPT), text)
        text = re.sub(r"\^\{?([0-9+-]+)\}?", lambda m: m.group(1).translate(_SUPERSCRIPT), text)
        text = re.sub(r"[_^]\{([^}]*)\}", r" \1", text)
        text = re.sub(r"\\([A-Za-z]+)", r"\1", text)
        return text.replace("{", "").replace("}", "").replace("_", " ").replace("^", " to the ")

    text = re.sub(r"\$([^$]*)\$", maths, str(label))
    return re.sub(r"\s+", " ", text).strip()


def _num(value: float) -> str:
    if not np.isfinite(value):
        return "infinity" if value > 0 else ("minus infinity" if value < 0 else "not a number")
    if value != 0 and (abs(value) >= 1e5 or abs(value) < 1e-3):
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{float(mantissa):g}×10^{int(exponent)}"
    return f"{value:.3g}"


def _label(artist) -> str | None:
    label = artist.get_label()
    return plain(label) if label and not label.startswith("_") else None


# --- one Axes -------------------------------------------------------------------------------


def _trend(x: np.ndarray, y: np.ndarray, log: bool) -> str:
    """The trend of a series in words, with its first, last and extreme values."""
    finite = np.isfinite(y)
    if not finite.any():
        return "has no finite values"
    if not finite[0]:
        return f"starts at {_num(y[0])}"
    if not finite.all():
        first_bad = int(np.argmax(~finite))
        head = _trend(x[:first_bad], y[:first_bad], log) if first_bad > 1 else (
            f"is {_num(y[0])} at {_num(x[0])}")
        return f"{head}, then becomes {_num(y[first_bad])} at {_num(x[first_bad])} (diverges)"
    values = np.log10(np.where(y > 0, y, np.nan)) if log and np.all(y > 0) else y
    lo, hi = int(np.argmin(values)), int(np.argmax(values))
    span = values[hi] - values[lo]
    start, end = f"{_num(y[0])} at {_num(x[0])}", f"{_num(y[-1])} at {_num(x[-1])}"
    if span <= 1e-12 or span <= 0.02 * max(abs(values[hi]), abs(values[lo])):
        return f"stays flat at about {_num(float(np.mean(y)))}"
    steps = np.diff(values)
    turns = int(np.sum(np.diff(np.sign(steps[np.abs(steps) > 1e-3 * span])) != 0))
    travel = float(np.abs(steps).sum())
    extremes = f"lowest {_num(y[lo])} at {_num(x[lo])}, highest {_num(y[hi])} at {_num(x[hi])}"
    net = values[-1] - values[0]
    factor = ""
    if log and y[-1] > 0 and y[0] > 0:
        ratio = y[0] / y[-1] if net < 0 else y[-1] / y[0]
        factor = f", {_num(ratio)} times {'smaller' if net < 0 else 'larger'}" if ratio >= 2 else ""
    if len(values) > 4 and travel > 3 * span and turns > len(values) / 4:
        shape = "oscillates"
        if abs(net) > 0.5 * span:
            shape += ", falling overall," if net < 0 else ", rising overall,"
        return f"{shape} from {start} to {end} ({extremes})"
    if net <= -0.5 * span:
        return f"falls from {start} to {end}{factor}" + (
            "" if lo == len(values) - 1 else f" (lowest {_num(y[lo])} at {_num(x[lo])})")
    if net >= 0.5 * span:
        return f"rises from {start} to {end}{factor}" + (
            "" if hi == len(values) - 1 else f" (highest {_num(y[hi])} at {_num(x[hi])})")
    if 0 < lo < len(values) - 1 and values[lo] < min(values[0], values[-1]):
        turn = f"its lowest, {_num(y[lo])} at {_num(x[lo])}"
        return f"falls from {start} to {turn}, then rises to {end}"
    turn = f"its highest, {_num(y[hi])} at {_num(x[hi])}"
    return f"rises from {start} to {turn}, then falls to {end}"


def _is_reference_line(ax: Axes, line: Line2D) -> str | None:
    """'vertical line at x = 3' for axvline/axhline-like lines, else None."""
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    if len(x) != 2:
        return None
    transform = line.get_transform()
    if transform == ax.get_xaxis_transform() or (x[0] == x[1] and y[0] != y[1]):
        return f"vertical line at {_axis_name(ax, 'x')} = {_num(x[0])}"
    if transform == ax.get_yaxis_transform() or (y[0] == y[1] and x[0] != x[1]):
        return f"horizontal line at {_axis_name(ax, 'y')} = {_num(y[0])}"
    return None


def _axis_name(ax: Axes, which: str) -> str:
    label = plain(ax.get_xlabel() if which == "x" else ax.get_ylabel())
    return label or which


def _lines(ax: Axes) -> tuple[list[str], list[str]]:
    """(short, full) sentences about the Axes' lines."""
    short, full = [], []
    log = ax.get_yscale() == "log"
    series = [line for line in ax.get_lines() if line.get_visible()]
    labelled = [line for line in series if _label(line)]
    count = 0
    for line in series:
        name = _label(line)
        x, y = (np.asarray(v, dtype=float) for v in line.get_data())
        if len(x) == 0:
            continue
        reference = _is_reference_line(ax, line)
        if reference:
            full.append(reference + (f" ({name})" if name else ""))
            continue
        if len(x) == 1:
            if name:
                full.append(f"point “{name}” at ({_num(x[0])}, {_num(y[0])})")
            continue
        if not name and labelled and len(x) <= 2:
            continue  # an unlabelled helper segment next to named series
        count += 1
        if count > _MAX_SERIES:
            continue
        what = f"“{name}”" if name else f"line {count}"
        style = _style(line)
        sentence = f"{what} ({len(x)} points{style}) {_trend(x, y, log)}"
        full.append(sentence)
        if count <= 4:
            short.append(f"{what} {_trend(x, y, log).split(' (')[0]}")
    if count > _MAX_SERIES:
        full.append(f"and {count - _MAX_SERIES} more lines")
    if count > 4:
        short.append(f"and {count - 4} more lines")
    return short, full


def _style(line: Line2D) -> str:
    parts = []
    dashes = {"--": "dashed", ":": "dotted", "-.": "dash-dotted"}.get(line.get_linestyle())
    if dashes:
        parts.append(dashes)
    marker = _MARKERS.get(str(line.get_marker()))
    if marker:
        parts.append(f"{marker} markers")
    return ", " + ", ".join(parts) if parts else ""


_MARKERS = {"o": "circle", "s": "square", "^": "triangle", "v": "down-triangle",
            "D": "diamond", "*": "star", "X": "cross", "x": "x", "P": "plus", "+": "plus"}


def _scatters(ax: Axes) -> tuple[list[str], list[str]]:
    short, full = [], []
    for artist in ax.collections:
        if not isinstance(artist, PathCollection) or not artist.get_visible():
            continue
        points = np.asarray(artist.get_offsets(), dtype=float)
        if len(points) == 0:
            continue
        name = _label(artist)
        what = f"“{name}”" if name else "points"
        centre = np.nanmean(points, axis=0)
        full.append(
            f"{what}: {len(points)} point{'s' if len(points) != 1 else ''}, "
            f"{_axis_name(ax, 'x')} from {_num(np.nanmin(points[:, 0]))} to "
            f"{_num(np.nanmax(points[:, 0]))} (centre {_num(centre[0])}), "
            f"{_axis_name(ax, 'y')} from {_num(np.nanmin(points[:, 1]))} to "
            f"{_num(np.nanmax(points[:, 1]))} (centre {_num(centre[1])})")
        short.append(f"{len(points)} {what if name else 'points'}")
    return short, full


def _images(ax: Axes) -> tuple[list[str], list[str]]:
    short, full = [], []
    for image in ax.get_images():
        array = np.ma.asarray(image.get_array())
        if array.ndim == 3:
            full.append(f"a colour image of {array.shape[0]} × {array.shape[1]} pixels")
            short.append("a colour image")
            continue
        values = np.ma.masked_invalid(array).compressed()
        cmap = image.get_cmap().name
        if values.size:
            full.append(f"an image of {array.shape[0]} × {array.shape[1]} cells, colour map "
                        f"{cmap}, values from {_num(values.min())} to {_num(values.max())}")
        else:
            full.append(f"an empty image of {array.shape[0]} × {array.shape[1]} cells")
        short.append("an image")
    return short, full


def _bars(ax: Axes) -> tuple[list[str], list[str]]:
    short, full = [], []
    ticks = {round(t, 6): plain(label.get_text()) for t, label in
             zip(ax.get_xticks(), ax.get_xticklabels(), strict=False) if label.get_text()}
    for container in ax.containers:
        if not isinstance(container, BarContainer):
            continue
        bars = list(container)
        heights = [bar.get_height() for bar in bars]
        centres = [bar.get_x() + bar.get_width() / 2 for bar in bars]
        names = [ticks.get(round(c, 6), _num(c)) for c in centres]
        name = _label(container)
        what = f"bars “{name}”" if name else f"{len(bars)} bars"
        pairs = [f"{n}: {_num(h)}" for n, h in zip(names, heights, strict=True)]
        if len(pairs) > _MAX_BARS:
            pairs = pairs[:_MAX_BARS] + [f"and {len(pairs) - _MAX_BARS} more"]
        top = int(np.nanargmax(heights)) if heights else 0
        full.append(f"{what} of {_axis_name(ax, 'y')}: " + ", ".join(pairs))
        short.append(f"{what}, highest {names[top]} ({_num(heights[top])})" if heights else what)
    return short, full


def _contours(ax: Axes) -> list[str]:
    full = []
    for artist in ax.collections:
        if isinstance(artist, ContourSet):
            levels = np.asarray(artist.levels, dtype=float)
            kind = "filled regions" if artist.filled else "contour lines"
            full.append(f"{kind} at {len(levels)} levels from {_num(levels.min())} to "
                        f"{_num(levels.max())}" if len(levels) > 2 else kind)
        elif isinstance(artist, LineCollection) and not isinstance(artist, PolyCollection):
            full.append(f"{len(artist.get_segments())} line segments")
    return full


def _range(ax: Axes, which: str) -> str:
    lo, hi = ax.get_xlim() if which == "x" else ax.get_ylim()
    scale = ax.get_xscale() if which == "x" else ax.get_yscale()
    name = _axis_name(ax, which)
    log = ", log scale" if scale == "log" else ""
    return f"{which} axis {name!s} from {_num(min(lo, hi))} to {_num(max(lo, hi))}{log}"


def _capital(text: str) -> str:
    """Capitalise a sentence's first word, not a variable's name (x₁ stays x₁)."""
    first = re.match(r"\S+", text)
    word = first.group(0).rstrip(":;,.") if first else ""
    if len(word) <= 1 or not word.isalpha():  # x₁, f', g'(0): names keep their case
        return text
    return text[0].upper() + text[1:]


def _axes_text(ax: Axes, index: int, count: int) -> tuple[str, list[str]]:
    """(one sentence, full lines) for one Axes."""
    title = plain(ax.get_title())
    name = f"“{title}”" if title else ("the plot" if count == 1 else f"plot {index}")
    notes = list(getattr(ax, _NOTES, []))
    if notes:  # its plot helper said what it shows: the artists would only add noise
        sentence = f"{title}. {' '.join(notes)}" if title else " ".join(notes)
        return _capital(sentence), [f"{_capital(name)}:", *notes]
    line_short, line_full = _lines(ax)
    scatter_short, scatter_full = _scatters(ax)
    image_short, image_full = _images(ax)
    bar_short, bar_full = _bars(ax)
    contours = _contours(ax)
    kinds = [k for k, parts in (("lines", line_full), ("scatter", scatter_full),
                                ("image", image_full), ("bars", bar_full),
                                ("contours", contours)) if parts]
    axes_visible = ax.axison and (ax.get_xlabel() or ax.get_ylabel() or kinds)
    full = [f"{_capital(name)}:"]
    if axes_visible and not image_full:
        full.append(f"{_range(ax, 'x')}; {_range(ax, 'y')}.")
    elif axes_visible and (ax.get_xlabel() or ax.get_ylabel()):
        full.append(f"x axis {_axis_name(ax, 'x')}; y axis {_axis_name(ax, 'y')}.")
    for part in [*line_full, *scatter_full, *image_full, *bar_full, *contours]:
        full.append(f"- {part}.")
    texts = [plain(t.get_text()) for t in ax.texts if t.get_visible() and t.get_text().strip()]
    if texts and len(texts) <= _MAX_TEXTS:
        full.append("- text on the plot: " + "; ".join(f"“{t}”" for t in texts) + ".")
    legend = ax.get_legend()
    if legend is not None and not (line_full or scatter_full):
        entries = [plain(t.get_text()) for t in legend.get_texts()]
        full.append("- legend: " + ", ".join(entries) + ".")
    what = ", ".join(itertools.chain(line_short, scatter_short, image_short, bar_short))
    sentence = f"{title}: " if title else ""
    if ax.get_xlabel() and ax.get_ylabel():
        sentence += f"{_axis_name(ax, 'y')} against {_axis_name(ax, 'x')}"
    elif ax.get_ylabel():
        sentence += _axis_name(ax, "y")
    if ax.get_ylabel():
        if ax.get_yscale() == "log":
            sentence += " (log scale)"
    elif not title and not ax.get_xlabel():
        sentence += name
    if what:
        sentence += what if not sentence or sentence.endswith(": ") else f"; {what}"
    sentence = sentence.strip().rstrip(":;.") + "."
    return _capital(sentence), full


def figure_text(fig: Figure) -> FigureText:
    """The text alternative of ``fig``: a summary and the full description."""
    axes = [ax for ax in fig.get_axes() if ax.get_visible() and not _is_colorbar(ax)]
    notes = list(getattr(fig, _NOTES, []))
    suptitle = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""
    head = f"Figure “{plain(suptitle)}”" if suptitle else "Figure"
    if not axes:
        return FigureText(f"{head} (empty).", notes)
    if len(axes) > 12:  # a grid of small images: the titles say what they are
        titles = [plain(ax.get_title()) for ax in axes if ax.get_title()]
        summary = f"{head} with {len(axes)} small plots"
        if titles:
            shown = ", ".join(titles[:40]) + (f", and {len(titles) - 40} more" if len(titles) > 40
                                              else "")
            summary += f", titled: {shown}"
        return FigureText(summary + ".", [*notes])
    parts = [_axes_text(ax, i, len(axes)) for i, ax in enumerate(axes, start=1)]
    intro = f"{head} with {len(axes)} plots. " if len(axes) > 1 else (
        f"{head}. " if suptitle else "")
    numbered = len(parts) > 1
    summary = intro + " ".join(f"Plot {i}: {s}" if numbered else s
                               for i, (s, _) in enumerate(parts, start=1))
    if notes:
        summary += " " + notes[0]
    details = [line for _, full in parts for line in full] + notes[1:]
    return FigureText(summary, details)


def _is_colorbar(ax: Axes) -> bool:
    return hasattr(ax, "_colorbar")


# --- the figure on the page -----------------------------------------------------------------

_counter = itertools.count(1)


def figure_html(fig: Figure, png_base64: str | None = None, text: FigureText | None = None
                ) -> str:
    """``fig`` as HTML: an ``<img>`` whose alt is the summary and whose accessible
    description is the full text, which a ``<details>`` below also shows to everyone."""
    text = text or figure_text(fig)
    if png_base64 is None:
        distinguish_series(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", bbox_inches="tight")
        png_base64 = base64.b64encode(buffer.getvalue()).decode("ascii")
    elif isinstance(png_base64, bytes):
        png_base64 = png_base64.decode("ascii")
    ident = f"nn-figure-{next(_counter)}-{id(fig) & 0xFFFFFF:x}"
    details = "".join(f"<li>{html.escape(line.lstrip('- '))}</li>" if line.startswith("- ")
                      else f"<p>{html.escape(line)}</p>" for line in text.details)
    # Chromium computes no description from a closed <details>: the image is described by
    # a hidden copy of the text (read as its description), the <details> is for everyone.
    spoken = " ".join(line.lstrip("- ") for line in text.details)
    return (
        f'<figure style="margin:0">'
        f'<img alt="{html.escape(text.summary, quote=True)}" aria-describedby="{ident}" '
        f'src="data:image/png;base64,{png_base64}">'
        f'<div id="{ident}" hidden>{html.escape(spoken)}</div>'
        f'<figcaption><details><summary>Figure as text</summary>'
        f'{_lists(details)}</details></figcaption></figure>'
    )


def _lists(fragment: str) -> str:
    """Wrap runs of <li> in <ul>."""
    return re.sub(r"((?:<li>.*?</li>)+)", r"<ul>\1</ul>", fragment)


# --- IPython: every displayed figure carries its text ---------------------------------------


class _FigureDisplay:
    """The text/html printer of a Figure, and an image/png printer that reuses its PNG."""

    def __init__(self, shell):
        self.shell = shell
        self.png_printer = None
        self.last: tuple[int, str] | None = None

    def install(self, *_args) -> None:
        formatters = self.shell.display_formatter.formatters
        png = formatters["image/png"]
        current = png.type_printers.get(Figure)
        if current is not None and current != self.png:  # bound methods: ==, not `is`
            self.png_printer = current
            png.for_type(Figure, self.png)
        if formatters["text/html"].type_printers.get(Figure) != self.html:
            formatters["text/html"].for_type(Figure, self.html)

    def html(self, fig: Figure) -> str | None:
        self.last = None
        if not fig.get_axes():
            return None
        try:
            distinguish_series(fig)  # before the PNG: what it shows, the text says
            data = self.png_printer(fig) if self.png_printer is not None else None
            if data is None and self.png_printer is not None:
                return None
            self.last = (id(fig), data) if data is not None else None
            return figure_html(fig, data)
        except Exception:  # noqa: BLE001 - a description must never cost the student the figure
            return None

    def png(self, fig: Figure):
        if self.last is not None and self.last[0] == id(fig):
            data, self.last = self.last[1], None
            return data
        return self.png_printer(fig) if self.png_printer is not None else None


_installed: dict[int, _FigureDisplay] = {}


def install_figure_display() -> None:
    """In IPython, show every figure as an image with alt text and its description as text.

    The inline backend sets its image printers when it first loads (and again on
    ``%matplotlib inline`` or a change of ``InlineBackend.figure_formats``), dropping other
    printers of Figure: so it is loaded first here, and the printers are checked again
    before each cell runs.
    """
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    import matplotlib

    try:
        backend = matplotlib.get_backend(auto_select=False)  # matplotlib >= 3.10
    except TypeError:
        backend = matplotlib.rcParams["backend"]
    if backend in ("inline", "module://matplotlib_inline.backend_inline"):
        # loading the backend sets its printers now, not at the first figure (after ours)
        import matplotlib_inline.backend_inline  # noqa: F401
    if id(shell) in _installed:
        _installed[id(shell)].install()
        return
    display = _FigureDisplay(shell)
    display.install()
    shell.events.register("pre_run_cell", display.install)
    _installed[id(shell)] = display
