"""A scalar automatic differentiation engine (notebook 03).

A :class:`Value` holds one number. Every operation on Values returns a new Value that
remembers its inputs (``_children``) and the local derivative of the output with respect to
each input (``_local_grads``). :meth:`Value.backward` then applies the chain rule from the
output back to the inputs, in reverse topological order, adding up the contributions of
every path::

    x, y = Value(2.0, label="x"), Value(-3.0, label="y")
    f = (x * y).tanh()
    f.backward()
    x.grad      # df/dx = (1 - tanh(xy)^2) * y

:func:`draw_graph` (in :mod:`helpers.graph_drawing`, importable from here too) draws the graph
with matplotlib (no graphviz): each node shows its value and its gradient, each edge the
local derivative it carries. It works for any class with the same attributes, so the notebook
draws the student's own Value with it. This module itself imports no matplotlib.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["Value", "topological_order"]  # and draw_graph, loaded on first use (see below)


class Value:
    """A scalar that remembers how it was computed, so that gradients can flow back.

    Operations build instances of ``type(self)``, so a subclass (a variant of one method,
    say) keeps its own methods throughout the graph it builds.
    """

    def __init__(
        self,
        data: float,
        children: Iterable[Value] = (),
        local_grads: Iterable[float] = (),
        op: str = "",
        label: str = "",
    ):
        self.data = float(data)
        self.grad = 0.0  # d(output)/d(self), filled in by backward()
        self._children = tuple(children)
        self._local_grads = tuple(float(g) for g in local_grads)
        self._op = op
        self.label = label

    def __repr__(self) -> str:
        name = f"{self.label}=" if self.label else ""
        return f"Value({name}{self.data:.4g}, grad={self.grad:.4g})"

    def _wrap(self, other: Value | float) -> Value:
        return other if isinstance(other, Value) else type(self)(other)

    def __add__(self, other: Value | float) -> Value:
        other = self._wrap(other)
        return type(self)(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other: Value | float) -> Value:
        other = self._wrap(other)
        return type(self)(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, n: float) -> Value:
        if isinstance(n, Value):
            raise TypeError("only a constant exponent is supported: write v ** 2, not v ** w")
        # 0 ** -0.5 is inf and (-8) ** (1/3) is nan, as in IEEE arithmetic and PyTorch: Python
        # would raise ZeroDivisionError or return a complex number
        local = 0.0 if n == 0 else n * _power(self.data, n - 1)
        return type(self)(_power(self.data, n), (self,), (local,), f"**{n:g}")

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return type(self)(t, (self,), (1.0 - t * t,), "tanh")

    def relu(self) -> Value:
        # at the kink x = 0 the slope 0 is chosen, as in PyTorch
        return type(self)(max(0.0, self.data), (self,), (float(self.data > 0),), "relu")

    def sin(self) -> Value:
        return type(self)(math.sin(self.data), (self,), (math.cos(self.data),), "sin")

    def __radd__(self, other: float) -> Value:
        return self + other

    def __rmul__(self, other: float) -> Value:
        return self * other

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Value | float) -> Value:
        return self + (-self._wrap(other))

    def __rsub__(self, other: float) -> Value:
        return self._wrap(other) - self

    def __truediv__(self, other: Value | float) -> Value:
        return self * self._wrap(other) ** -1

    def __rtruediv__(self, other: float) -> Value:
        return self._wrap(other) / self

    def backward(self) -> None:
        """Set ``v.grad = d(self)/dv`` for every Value ``v`` that ``self`` depends on.

        Unlike the ``Value`` notebook 03 has the student write, whose backward() only adds to
        the gradients below the output (zeroing them is the training loop's job), this one
        first sets every gradient in the graph to 0: calling it twice gives the same numbers.
        Notebook 03 says so where it uses this class (as ``ReferenceValue``), on fresh Values
        only, where the two agree.
        """
        order = topological_order(self)
        for v in order:
            v.grad = 0.0
        self.grad = 1.0
        # reverse topological order: a node passes its gradient on only after every node
        # that uses it has added its share; += sums the paths through shared nodes
        for v in reversed(order):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad


def _power(x: float, n: float) -> float:
    """x ** n as a float: ±inf for 0 to a negative power, nan for a root of a negative number."""
    try:
        result = x**n
    except ZeroDivisionError:  # 0.0 ** negative; -0.0 to an odd negative power is -inf
        odd = float(n).is_integer() and int(n) % 2 == 1
        return math.copysign(math.inf, x) if odd else math.inf
    return math.nan if isinstance(result, complex) else float(result)


def topological_order(root) -> list:
    """Every node ``root`` depends on, each after all of its children (inputs first)."""
    order, seen = [], set()
    stack = [(root, False)]
    while stack:  # iterative depth-first search: deep chains do not hit the recursion limit
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node._children))
    return order


def __getattr__(name: str):
    # draw_graph lives in helpers.graph_drawing, which imports matplotlib: loaded on first
    # use only, so that ``from helpers.autograd import Value`` stays fast
    if name == "draw_graph":
        from .graph_drawing import draw_graph

        return draw_graph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
