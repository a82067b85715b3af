"""Values to and from the forms that cross the wire (see :mod:`helpers.grading.rpc`).

:class:`Codec` turns a value into builtin values only (by value, mirrored by
:class:`~helpers.grading.mirror.Mirrors`, or lent by
:class:`~helpers.grading.proxy.Handles`) and back; a guarded codec (the judge's) decodes
only these forms and lends only callables and the package's own objects.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np

from . import wire
from .mirror import BIT_GENERATORS, Mirrors, checked_array
from .proxy import Handles, Remote, RemoteClass

__all__ = ["Codec", "pair", "plain_list"]

_SCALARS = (type(None), bool, int, float, str)
_MAX_DEPTH = 64
_CONTAINERS = ((tuple, "t"), (list, "l"), (set, "set"), (frozenset, "fset"))


def _exportable(obj: Any) -> bool:
    """What a guarded side may hand over by handle: callables and the package's objects."""
    module = getattr(type(obj), "__module__", "") or ""
    ours = module.startswith("helpers.") and not module.startswith("helpers.grading")
    return callable(obj) or ours


class Codec:
    """One side's encoding of values; ``owner`` is the connection its proxies call on."""

    def __init__(self, side: str, guarded: bool, owner: Any):
        ids = itertools.count(1)
        new_id = lambda: f"{side}{next(ids)}"  # noqa: E731 - one counter for every table
        self.guarded = guarded
        self.owner = owner
        self.mirrors = Mirrors(new_id)
        self.handles = Handles(new_id, owner, guarded=guarded)
        # set while the judge encodes a reply: only a dict the judge itself passes in is
        # mirrored, so the sandbox can write into a check's argument, never its object
        self.dicts_by_value = False

    def encode(self, obj: Any, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise ValueError("a value nested too deeply to send")
        kind = type(obj)
        if kind in _SCALARS:
            return obj
        if isinstance(obj, (Remote, RemoteClass)) and obj._rpc is self.owner:
            return ("y", obj._hid)
        if isinstance(obj, np.ndarray) and obj.dtype.kind in "biufcUS":
            return self.mirrors.array(obj)
        if isinstance(obj, np.generic) and obj.dtype.kind in "biufcUS":
            return ("s", obj.dtype.str, np.asarray(obj).tobytes())
        inner = lambda item: self.encode(item, depth + 1)  # noqa: E731
        if isinstance(obj, np.random.Generator) and type(obj.bit_generator).__name__ in \
                BIT_GENERATORS:
            return self.mirrors.generator(obj, self.encode)
        if isinstance(obj, (bool, int, float, str)):  # subclasses cross as the plain value
            return kind.__mro__[-2](obj)
        if isinstance(obj, complex):
            return ("c", obj.real, obj.imag)
        if isinstance(obj, (bytes, bytearray)):
            return ("b", bytes(obj))
        for container, tag in _CONTAINERS:
            if isinstance(obj, container):  # subclasses (a namedtuple) cross as the plain one
                return (tag, [inner(item) for item in obj])
        if type(obj) is dict and not self.dicts_by_value:
            return self.mirrors.dict(obj, inner)  # mirrored: a write into it is seen here
        if isinstance(obj, dict):  # a subclass crosses as a plain dict, by value
            return ("d", [(inner(k), inner(v)) for k, v in obj.items()])
        if isinstance(obj, slice):
            return ("sl", *(inner(p) for p in (obj.start, obj.stop, obj.step)))
        if obj is Ellipsis:
            return ("E",)
        if self.guarded and isinstance(obj, Iterator):
            # the judge's own finite iterators (a model's parameters()) cross as their items
            return ("it", [inner(item) for item in obj])
        if self.guarded and not _exportable(obj):
            raise TypeError(f"the grader cannot hand a {type(obj).__name__} to the submission")
        return self.handles.lend(obj)

    def decode(self, data: Any, depth: int = 0) -> Any:
        if type(data) in _SCALARS:
            return data
        if depth > _MAX_DEPTH or type(data) is not tuple or not data or type(data[0]) is not str:
            raise wire.ProtocolError("not a value this protocol knows")
        tag, rest = data[0], data[1:]
        inner = lambda item: self.decode(item, depth + 1)  # noqa: E731
        if tag in ("t", "l", "set", "fset", "it"):
            (items,) = rest
            values = [inner(item) for item in plain_list(items)]
            if tag == "it":
                return iter(values)
            return next(container for container, t in _CONTAINERS if t == tag)(values)
        if tag in ("d", "dm"):
            *mirror, items = rest
            pairs = [(inner(k), inner(v)) for k, v in (pair(item) for item in plain_list(items))]
            if tag == "d":
                if mirror:
                    raise wire.ProtocolError("a malformed dict")
                return dict(pairs)
            if len(mirror) != 1:
                raise wire.ProtocolError("a malformed dict")
            return self.mirrors.update_dict(mirror[0], pairs)
        if tag == "a":
            return self.mirrors.update_array(*rest)
        if tag == "s":
            dtype, data_bytes = rest
            return checked_array(dtype, [], data_bytes)[()]
        if tag == "c":
            real, imag = rest
            return complex(float(real), float(imag))
        if tag == "b":
            (value,) = rest
            if type(value) is not bytes:
                raise wire.ProtocolError("bytes expected")
            return value
        if tag == "sl":
            return slice(*(inner(p) for p in rest))
        if tag == "E":
            return Ellipsis
        if tag == "g":
            mirror, name, state = rest
            return self.mirrors.update_generator(mirror, name, lambda: inner(state))
        if tag == "y":
            (handle,) = rest
            return self.handles.lent(handle)
        if tag == "h":
            return self.handles.proxy(*rest)
        raise wire.ProtocolError(f"unknown value tag {tag!r}")

    def changed(self) -> list:
        """The mirrored values changed since they last crossed (every message carries them)."""
        return self.mirrors.changed(self.encode)

    def apply_changes(self, sync: Any) -> None:
        """Write the other side's changes (a message's mirrored values) into ours."""
        for item in plain_list(sync):
            if not (type(item) is tuple and item and item[0] in ("a", "dm", "g")):
                raise wire.ProtocolError("a malformed mirror update")
            self.decode(item)


def plain_list(value: Any) -> list:
    if type(value) is not list:
        raise wire.ProtocolError("a list expected")
    return value


def pair(value: Any) -> tuple:
    if type(value) is not tuple or len(value) != 2:
        raise wire.ProtocolError("a key-value pair expected")
    return value
