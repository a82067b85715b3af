"""Drawing of a computational graph of :class:`helpers.autograd.Value` nodes (notebook 03).

Kept apart from the engine so that importing :mod:`helpers.autograd` does not import
matplotlib; ``from helpers.autograd import draw_graph`` still works (it loads this module).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import FancyBboxPatch

from .autograd import topological_order
from .plot import CLASS_COLORS, describe, new_axes

__all__ = ["draw_graph"]

#: Dark vermillion: 6.6:1 on the labels' white boxes (WCAG asks 4.5:1 of text); italic too,
#: so the edge labels differ from the node text by more than colour.
EDGE_LABEL_COLOR = "#A33B00"


def _layout(root) -> dict[int, tuple[float, float]]:
    """(x, y) of every node: the output on the right, each node one column left of its user."""
    order = topological_order(root)
    column = {id(root): 0}
    for node in reversed(order):  # users before children: longest path from the output
        for child in node._children:
            column[id(child)] = max(column.get(id(child), 0), column[id(node)] + 1)
    depth = max(column.values())
    y: dict[int, float] = {id(root): 0.0}
    parents: dict[int, list[int]] = {}
    for node in order:
        for child in node._children:
            parents.setdefault(id(child), []).append(id(node))
    for c in range(1, depth + 1):
        nodes = [n for n in order if column[id(n)] == c]
        # order a column by where its users sit, so that edges cross as little as possible
        wish = {id(n): np.mean([y[p] for p in parents[id(n)]]) for n in nodes}
        nodes.sort(key=lambda n: (wish[id(n)], order.index(n)))
        centre = np.mean(list(wish.values()))
        for k, n in enumerate(nodes):
            y[id(n)] = centre + (k - (len(nodes) - 1) / 2)
    return {key: (float(depth - c), y[key]) for key, c in column.items()}


def _node_text(node) -> str:
    name = node.label or node._op or "const"
    if node.label and node._op:
        name = f"{node.label}  ({node._op})"
    return f"{name}\nvalue {node.data:.4g}\ngrad {node.grad:.4g}"


def draw_graph(root, ax: Axes | None = None, title: str | None = None) -> Axes:
    """Draw the computational graph that ends in ``root``.

    Nodes (inputs on the left, the output on the right) show their label or operation, the
    forward value and the gradient ``grad``; each edge shows the local derivative it
    carries (d user / d input). Works with any Value-like class that has ``data``, ``grad``,
    ``label``, ``_op``, ``_children`` and ``_local_grads``.
    """
    pos = _layout(root)
    nodes = topological_order(root)
    width = max(x for x, _ in pos.values()) + 1
    height = max(y for _, y in pos.values()) - min(y for _, y in pos.values()) + 1
    # at most 9.4 in wide: wider figures are shrunk, labels and all, on a laptop screen
    ax = new_axes(ax, figsize=(min(2.3 * width + 0.6, 9.4), 1.25 * height + 0.9))
    box_w, box_h = 0.62, 0.62
    for node in nodes:
        x, y = pos[id(node)]
        edges = list(zip(node._children, node._local_grads, strict=True))
        for index, (child, local) in enumerate(edges):
            cx, cy = pos[id(child)]
            # the same child twice (b = a + a): bend the edges apart so both are seen
            twins = sum(1 for c, _ in edges if c is child)
            k = sum(1 for c, _ in edges[:index] if c is child)
            rad = 0.0 if twins == 1 else 0.5 * (k - (twins - 1) / 2)
            start, end = (cx + box_w / 2, cy), (x - box_w / 2, y)
            ax.annotate(
                "", xy=end, xytext=start,
                arrowprops={"arrowstyle": "-|>", "color": "0.4", "lw": 1.2,
                            "shrinkA": 0, "shrinkB": 0, "connectionstyle": f"arc3,rad={rad}"},
            )
            # the middle of matplotlib's arc3 curve: midpoint + rad/2 * (dy, -dx)
            dx, dy = end[0] - start[0], end[1] - start[1]
            mx = 0.5 * (start[0] + end[0]) + 0.5 * rad * dy
            my = 0.5 * (start[1] + end[1]) - 0.5 * rad * dx
            ax.text(mx, my, f"{local:.3g}", ha="center", va="center", fontsize=8,
                    color=EDGE_LABEL_COLOR, style="italic",
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"})
    for node in nodes:
        x, y = pos[id(node)]
        leaf = not node._children
        ax.add_patch(FancyBboxPatch(
            (x - box_w / 2, y - box_h / 2), box_w, box_h, boxstyle="round,pad=0.02",
            fc="#eef3fb" if leaf else "#f6f0fb", ec=CLASS_COLORS[1], lw=1.2,
        ))
        ax.text(x, y, _node_text(node), ha="center", va="center", fontsize=8.5,
                linespacing=1.4)
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    ax.set_xlim(min(xs) - 0.5, max(xs) + 0.5)
    ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
    ax.set_aspect("auto")
    ax.axis("off")
    ax.set_title(title or "forward values and gradients at the nodes; "
                 "local derivatives on the edges", fontsize=9)
    describe(ax, _graph_text(nodes))
    return ax


def _name(node) -> str:
    return node.label or node._op or "const"


def _graph_text(nodes) -> str:
    """The graph in words, inputs first: each node's value and gradient and what it is made
    of, with the local derivative each edge carries."""
    sentences = []
    for node in nodes:
        head = f"{_name(node)}: value {node.data:.4g}, gradient {node.grad:.4g}"
        if node._children:
            inputs = ", ".join(f"{_name(child)} (local derivative {local:.3g})"
                               for child, local in zip(node._children, node._local_grads,
                                                       strict=True))
            op = f"the operation {node._op}" if node._op else "an operation"
            head += f"; {op} of {inputs}"
        else:
            head += "; an input"
        sentences.append(head)
    return (f"Computational graph of {len(nodes)} nodes, inputs first. "
            + ". ".join(sentences) + ".")
