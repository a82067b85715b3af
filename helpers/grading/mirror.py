"""The values that exist on both sides of a connection: arrays, dicts, random Generators.

Each side keeps a table of the mirrored objects that crossed, with a snapshot of each (an
array's bytes, a dict's pairs, a Generator's state). Every message carries the ones that
changed since (:meth:`Mirrors.changed`); the other side writes the change into its own
object (the ``update_*`` methods), so that an array changed in place on one side is
changed on the other. See :mod:`helpers.grading.rpc` for what crosses how.
"""

from __future__ import annotations

import functools
import math
import re
import sys
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from . import wire

__all__ = ["BIT_GENERATORS", "Mirrors", "checked_array"]

_DTYPE = re.compile(r"^[<>|=][biufcUS]\d{1,4}$")
BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")


class Mirrors:
    """One side's table of mirrored objects; ids start with ``side``."""

    def __init__(self, new_id: Callable[[], str]):
        self._new_id = new_id
        # mirror id -> [array, bytes, dtype, shape]. Held until a message has carried the
        # array's last change across (a check restores a nudged input, then drops it), then
        # forgotten by forget_dropped: keeping every array that ever crossed would make each
        # message compare more of them, and a gradient check sends hundreds.
        self._arrays: dict[str, list] = {}
        self._array_ids: dict[int, str] = {}  # id(array) -> mirror id
        self._fresh: set[str] = set()  # snapshotted for the message being built
        # Dicts and Generators: mirror id -> [object, snapshot]; a dict's snapshot is its
        # (key, value) pairs (compared by identity), a Generator's its bit generator's
        # state. Neither can be weakly referenced: they are forgotten when the table holds
        # the only reference left (see forget_dropped).
        self._objects: dict[str, list] = {}
        self._object_ids: dict[int, str] = {}

    # -- arrays ----------------------------------------------------------------------------
    def array(self, arr: np.ndarray) -> tuple:
        mirror = self._array_ids.get(id(arr))
        if mirror not in self._arrays or self._arrays[mirror][0] is not arr:
            mirror = self._new_id()
            self._array_ids[id(arr)] = mirror
        data = np.ascontiguousarray(arr).tobytes()
        self._arrays[mirror] = [arr, data, arr.dtype.str, arr.shape]
        self._fresh.add(mirror)
        return ("a", mirror, arr.dtype.str, list(arr.shape), data)

    def update_array(self, mirror: Any, dtype: Any, shape: Any, data: Any) -> np.ndarray:
        if not isinstance(mirror, str) or len(mirror) > 32:
            raise wire.ProtocolError("a malformed array id")
        arr = checked_array(dtype, shape, data)
        entry = self._arrays.get(mirror)
        if entry is not None:
            local = entry[0]
            if local.shape == arr.shape and local.dtype == arr.dtype and local.flags.writeable:
                local[...] = arr  # the same array, changed on the other side
                entry[1:] = [data, arr.dtype.str, arr.shape]
                return local
        self._arrays[mirror] = [arr, data, arr.dtype.str, arr.shape]
        self._array_ids[id(arr)] = mirror
        return arr

    # -- dicts and Generators --------------------------------------------------------------
    def _object_id(self, obj: Any) -> str:
        mirror = self._object_ids.get(id(obj))
        if mirror not in self._objects or self._objects[mirror][0] is not obj:
            mirror = self._new_id()
            self._object_ids[id(obj)] = mirror
        return mirror

    def dict(self, obj: dict, encode: Callable[[Any], Any]) -> tuple:
        mirror = self._object_id(obj)
        pairs = list(obj.items())
        self._objects[mirror] = [obj, pairs]
        return ("dm", mirror, [(encode(k), encode(v)) for k, v in pairs])

    def update_dict(self, mirror: Any, pairs: list[tuple]) -> dict:
        if not isinstance(mirror, str) or len(mirror) > 32:
            raise wire.ProtocolError("a malformed dict id")
        entry = self._objects.get(mirror)
        if entry is not None and type(entry[0]) is dict:
            local = entry[0]  # the same dict, changed on the other side
            local.clear()
            local.update(pairs)
        else:
            local = dict(pairs)
        self._objects[mirror] = [local, list(local.items())]
        self._object_ids[id(local)] = mirror
        return local

    def generator(self, gen: np.random.Generator, encode: Callable[[Any], Any]) -> tuple:
        mirror = self._object_id(gen)
        bits = gen.bit_generator
        state = bits.state
        self._objects[mirror] = [gen, _frozen(state)]
        return ("g", mirror, type(bits).__name__, encode(state))

    def update_generator(self, mirror: Any, name: Any,
                         state: Callable[[], Any]) -> np.random.Generator:
        """The Generator ``mirror``, set to the decoded ``state()``."""
        if not isinstance(mirror, str) or len(mirror) > 32:
            raise wire.ProtocolError("a malformed generator id")
        if name not in BIT_GENERATORS:
            raise wire.ProtocolError(f"unknown bit generator {name!r}")
        entry = self._objects.get(mirror)
        if entry is not None and isinstance(entry[0], np.random.Generator) \
                and type(entry[0].bit_generator).__name__ == name:
            gen = entry[0]  # the same Generator, drawn from on the other side
        else:
            gen = np.random.Generator(getattr(np.random, name)())
        gen.bit_generator.state = state()
        self._objects[mirror] = [gen, _frozen(gen.bit_generator.state)]
        self._object_ids[id(gen)] = mirror
        return gen

    # -- what changed, what is gone --------------------------------------------------------
    def changed(self, encode: Callable[[Any], Any]) -> list:
        """The mirrored arrays, dicts and Generators this side changed since they crossed
        (an array the message itself carries is not compared again)."""
        fresh, self._fresh = self._fresh, set()
        changed: list = [
            self.array(arr)
            for mirror, (arr, data, dtype, shape) in list(self._arrays.items())
            if mirror not in fresh and (
                arr.shape != shape
                or arr.dtype.str != dtype
                or np.ascontiguousarray(arr).tobytes() != data)
        ]
        self._fresh.clear()
        for obj, snapshot in list(self._objects.values()):
            if type(obj) is dict:
                pairs = list(obj.items())
                if len(pairs) != len(snapshot) or any(
                        k1 is not k2 or v1 is not v2
                        for (k1, v1), (k2, v2) in zip(pairs, snapshot, strict=True)):
                    changed.append(self.dict(obj, encode))
            elif _frozen(obj.bit_generator.state) != snapshot:
                changed.append(self.generator(obj, encode))
        return changed

    def forget_dropped(self) -> None:
        """Forget the objects only the tables still hold: their changes have crossed."""
        for mirror, entry in list(self._arrays.items()):
            key, probe = id(entry[0]), weakref.ref(entry[0])
            entry[0] = None  # the table's own reference, out of the way for a moment
            arr = probe()
            if arr is not None:
                entry[0] = arr
                continue
            del self._arrays[mirror]
            if self._array_ids.get(key) == mirror:
                del self._array_ids[key]
        for mirror, entry in list(self._objects.items()):
            # the table's entry holds it once and getrefcount's argument once: nobody else
            if sys.getrefcount(entry[0]) <= 2:
                del self._objects[mirror]
                if self._object_ids.get(id(entry[0])) == mirror:
                    del self._object_ids[id(entry[0])]


def _frozen(state: Any) -> Any:
    """A bit generator's state in a form ``==`` compares (MT19937's key is an array)."""
    if isinstance(state, dict):
        return tuple((k, _frozen(v)) for k, v in state.items())
    if isinstance(state, np.ndarray):
        return (state.dtype.str, state.shape, state.tobytes())
    return state


def checked_array(dtype: Any, shape: Any, data: Any) -> np.ndarray:
    """An array rebuilt from bytes, refusing every dtype that could hold pointers."""
    if not (isinstance(dtype, str) and type(data) is bytes):
        raise wire.ProtocolError(f"an array of dtype {dtype!r} cannot cross")
    dt = _dtype(dtype)
    if not (type(shape) is list and len(shape) <= 32
            and all(type(n) is int and n >= 0 for n in shape)):
        raise wire.ProtocolError("a malformed array shape")
    if len(data) != math.prod(shape) * dt.itemsize:
        raise wire.ProtocolError("an array's bytes do not match its shape")
    return np.frombuffer(data, dtype=dt).reshape(shape).copy()


@functools.lru_cache(maxsize=64)
def _dtype(name: str) -> np.dtype:
    """The dtype ``name`` if an array of it holds only numbers or text (every message
    carries arrays: the check is done once per dtype)."""
    dt = np.dtype(name) if _DTYPE.match(name) else None
    if dt is None or dt.hasobject or dt.itemsize == 0:
        raise wire.ProtocolError(f"an array of dtype {name!r} cannot cross")
    return dt
