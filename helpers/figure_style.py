"""Colour never the only code, for figures drawn in a notebook's own cells.

The plot helpers give each series a line style or marker of its own; a notebook cell that
calls ``ax.plot`` several times with colours alone does not. :func:`distinguish_series`
gives such series distinct line styles (and their legend entries with them) just before
the figure is shown (:mod:`helpers.figure_text` calls it), so no two labelled lines of one
Axes differ by colour alone.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

__all__ = ["distinguish_series", "SERIES_STYLES"]

#: Line styles given in turn to series that differ by colour alone.
SERIES_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)))


def _look(line: Line2D) -> tuple:
    return (str(line.get_linestyle()), str(line.get_marker()))


def distinguish_series(fig: Figure) -> None:
    """Restyle the labelled lines of each Axes of ``fig`` that share a line style and marker
    with another labelled line of a different colour: the second gets the next line style."""
    for ax in fig.get_axes():
        lines = [line for line in ax.get_lines()
                 if not line.get_label().startswith("_") and len(line.get_xdata()) > 2
                 and line.get_linestyle() not in ("None", "", " ")]
        seen: dict[tuple, set] = {}
        restyled = {}
        for line in lines:
            look = _look(line)
            colours = seen.setdefault(look, set())
            colour = str(line.get_color())
            if colours and colour not in colours:
                taken = {_look(other)[0] for other in lines}
                style = next((s for s in SERIES_STYLES if str(s) not in taken),
                             SERIES_STYLES[len(colours) % len(SERIES_STYLES)])
                line.set_linestyle(style)
                restyled[line.get_label()] = style
                seen.setdefault(_look(line), set()).add(colour)
            colours.add(colour)
        legend = ax.get_legend()
        if legend is None or not restyled:
            continue
        handles = getattr(legend, "legend_handles", None) or legend.legendHandles
        for handle, text in zip(handles, legend.get_texts(), strict=False):
            if isinstance(handle, Line2D) and text.get_text() in restyled:
                handle.set_linestyle(restyled[text.get_text()])
