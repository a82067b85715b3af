"""Calling objects that live in another process, as if they were here.

The judge (which runs the checks) and the sandbox (which runs a submission's code) each hold
a :class:`Connection` on one socket. Values cross in one of three ways:

- **by value**: None, bools, numbers, strings, bytes, tuples, lists, sets, slices and
  numpy scalars;
- **mirrored**: a numpy array, a dict (but a dict the judge replies with crosses by
  value) or a numpy random Generator exists on both sides,
  and every message carries the mirrored objects that changed since the last one (an
  array's contents, a dict's entries, a Generator's state). An array the check passes in
  and the student's code changes in place is changed for the check too, a layer's weights
  the check perturbs (gradient checking) are perturbed for the student's layer too, a dict
  the student's code writes into is written for the check too, and the student's draws
  from the check's Generator advance the check's Generator exactly as in the notebook;
- **by handle**: anything else (a function, a class, an instance, a generator) stays where
  it is, and the other side gets a proxy whose calls, attributes and operators are requests.

Requests nest: while the judge waits for a student's function, that function may call a
function the check passed in (``neuron(x, w, b, np.tanh)``), which runs in the judge.

The judge's connection is *guarded*: it decodes only the value forms above (never a
pickle of anything else), hands the sandbox only callables and the package's own objects,
lets the sandbox read only their public attributes and write only their arrays' values
(``layer.W = layer.W - step`` updates ``W`` in place; ``model.forward = ...`` is refused)
and the dicts and Generators it passes in, and applies no operator to them but ``repr``,
``str``, ``len``, ``bool`` and ``copy.copy`` / ``copy.deepcopy`` (at most MAX_COPIES).
A lost sandbox, a deadline or a malformed message raise :class:`SandboxStopped`, a
``BaseException``, so that a check's ``except Exception`` never mistakes the grader's
trouble for the student's exception.
"""

from __future__ import annotations

import builtins
import copy
import itertools
import operator
import re
import socket
import sys
import warnings
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from . import wire

__all__ = ["Connection", "Remote", "RemoteFunction", "SandboxStopped", "describe_error"]

_SCALARS = (type(None), bool, int, float, str)
_DTYPE = re.compile(r"^[<>|=][biufcUS]\d{1,4}$")
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64")
_MAX_DEPTH = 64
_MAX_TEXT = 4000
_CONTAINERS = ((tuple, "t"), (list, "l"), (set, "set"), (frozenset, "fset"))
#: The most copies (copy.copy, copy.deepcopy) of its objects the judge makes for one
#: sandbox: a student's training loop copies a model a few times, not thousands.
MAX_COPIES = 1000

# Operators a proxy forwards; each runs on the side that owns the object.
_OPS: dict[str, Callable] = {
    name: getattr(operator, name)
    for name in (
        "add sub mul truediv floordiv mod pow matmul and_ or_ xor lshift rshift "
        "lt le eq ne gt ge neg pos abs invert getitem setitem delitem contains truth index"
    ).split()
}
_OPS.update(len=len, iter=iter, next=next, repr=repr, str=str, float=float, int=int,
            copy=copy.copy, deepcopy=copy.deepcopy)


class SandboxStopped(BaseException):
    """The sandbox can no longer answer: it timed out, exited, crashed or broke protocol.

    ``kind`` is one of "timeout", "closed", "protocol", "exit", "memory".
    """

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def describe_error(err: BaseException, student_file: str | None) -> tuple:
    """What crosses the wire for an exception: its type, its message, the student's line."""
    lineno = None
    tb = err.__traceback__
    while tb is not None:
        if student_file and tb.tb_frame.f_code.co_filename == student_file:
            lineno = tb.tb_lineno
        tb = tb.tb_next
    try:
        message = str(err)
    except Exception:  # a student's exception whose __str__ fails
        message = "(an exception whose message cannot be shown)"
    return ("x", type(err).__name__, message[:_MAX_TEXT], lineno)


def _exportable(obj: Any) -> bool:
    """What a guarded side may hand over by handle: callables and the package's objects."""
    module = getattr(type(obj), "__module__", "") or ""
    ours = module.startswith("helpers.") and not module.startswith("helpers.grading")
    return callable(obj) or ours


def _write_in_place(target: Any, name: str, value: Any) -> None:
    """An attribute write on an object the judge lent: harmless, or refused.

    Storing back the array already there (what ``layer.W -= step`` ends with) changes
    nothing; a new array of the same shape and dtype (``layer.W = layer.W - step``) is
    copied into the one there, as an in-place update would; anything else (``model.forward
    = ...``, a new attribute, an array of another shape) is refused, so that a check's
    objects keep the methods and the shapes the check relies on.
    """
    try:
        current = getattr(target, name)
    except Exception:
        current = None
    if value is current and isinstance(current, np.ndarray):
        return
    if (isinstance(current, np.ndarray) and isinstance(value, np.ndarray)
            and current.shape == value.shape and current.dtype == value.dtype
            and current.flags.writeable):
        current[...] = value
        return
    raise AttributeError(f"the grader's objects are read-only: your code may not set {name!r} "
                         "on them (change an array in place instead)")


def _public(name: Any) -> bool:
    return isinstance(name, str) and name.isidentifier() and not name.startswith("_")


class Connection:
    """One end of the socket between judge and sandbox. See the module docstring."""

    def __init__(
        self,
        sock: socket.socket,
        *,
        side: str,
        guarded: bool,
        rebuild_error: Callable[[tuple], BaseException],
        student_file: str | None = None,
        extra_ops: dict[str, Callable] | None = None,
    ):
        self.sock = sock
        self.guarded = guarded
        self.deadline: float | None = None
        self.student_file = student_file
        self._side = side
        self._rebuild_error = rebuild_error
        self._extra_ops = extra_ops or {}
        self._ids = itertools.count(1)
        self._objects: dict[str, Any] = {}  # handle -> object this side lent out
        self._object_handles: dict[int, str] = {}  # id(object) -> handle
        self._proxies: dict[str, Any] = {}  # the other side's handle -> our proxy
        # mirror id -> [array, bytes, dtype, shape]. Held until a message has carried the
        # array's last change across (a check restores a nudged input, then drops it), then
        # forgotten by _forget_dropped: keeping every array that ever crossed would make each
        # message compare more of them, and a gradient check sends hundreds.
        self._mirrors: dict[str, list] = {}
        self._mirror_handles: dict[int, str] = {}  # id(array) -> mirror id
        # Dicts and Generators mirrored the same way: mirror id -> [object, snapshot]; a
        # dict's snapshot is its (key, value) pairs (compared by identity), a Generator's
        # its bit generator's state. Neither can be weakly referenced: they are forgotten
        # when the table holds the only reference left (see _forget_dropped).
        self._objmirrors: dict[str, list] = {}
        self._objmirror_handles: dict[int, str] = {}
        self._copies = 0
        self._dicts_by_value = False

    # -- messages ------------------------------------------------------------------------
    def _send(self, kind: str, body: Any) -> None:
        try:
            wire.send(self.sock, (kind, body, self._changed_mirrors()), self.deadline)
        except wire.TimedOut as err:  # the other side stopped reading
            raise SandboxStopped("timeout") from err
        except wire.ProtocolError as err:  # a value too big to send
            raise SandboxStopped("protocol", str(err)) from err
        except OSError as err:
            raise SandboxStopped("closed", str(err)) from err
        self._forget_dropped()

    def _receive(self) -> tuple[str, Any]:
        try:
            message = wire.recv(self.sock, self.deadline)
        except wire.TimedOut as err:
            raise SandboxStopped("timeout") from err
        except wire.Closed as err:
            raise SandboxStopped("closed") from err
        except wire.ProtocolError as err:
            raise SandboxStopped("protocol", str(err)) from err
        try:
            kind, body, sync = message
            self._apply_sync(sync)
        except SandboxStopped:
            raise
        except Exception as err:
            raise SandboxStopped("protocol", f"a malformed message ({err})") from err
        return kind, body

    def request(self, op: str, *args: Any) -> Any:
        """Ask the other side to perform ``op``; serve its own requests while waiting.

        The other side runs it under this side's numpy error state, and the warnings it
        raised (an overflow in np.exp, say) are raised again here, where a check sees them.
        """
        self._send("req", (op, [self.encode(a) for a in args], np.geterr()))
        while True:
            kind, body = self._receive()
            if kind == "req":
                self._serve(body)
                continue
            if kind != "rep" or not isinstance(body, tuple) or len(body) != 3:
                raise SandboxStopped("protocol", f"unexpected message kind {kind!r}")
            ok, payload, raised = body
            try:
                raised = _warnings(raised)
            except wire.ProtocolError as err:
                raise SandboxStopped("protocol", str(err)) from err
            for category, message in raised:
                warnings.warn(message, category, stacklevel=2)
            if ok:
                return self._decode_or_stop(payload)
            if not (isinstance(payload, tuple) and len(payload) == 4 and payload[0] == "x"):
                raise SandboxStopped("protocol", "a malformed error report")
            raise self._rebuild_error(payload)

    def serve_forever(self) -> None:
        """Answer requests until the other side hangs up (the sandbox's main loop)."""
        while True:
            try:
                kind, body = self._receive()
            except SandboxStopped:
                return
            if kind == "req":
                self._serve(body)

    def _serve(self, body: Any) -> None:
        raised: list = []
        try:
            op, encoded, errstate = body
            args = [self.decode(a) for a in encoded]
            if self.guarded:  # the judge runs its own callables plainly
                result = self._perform(op, args)
            else:
                with warnings.catch_warnings(record=True) as caught, np.errstate(
                    **_errstate(errstate)
                ):
                    warnings.simplefilter("always")
                    try:
                        result = self._perform(op, args)
                    finally:
                        raised = [(w.category.__name__, str(w.message)[:_MAX_TEXT])
                                  for w in caught[:20]]
            # the judge's replies (an attribute of its object, what its callable returned)
            # carry dicts by value: only a dict the judge itself passes in is mirrored, so
            # the sandbox can write into a check's argument, never into a check's object
            self._dicts_by_value = self.guarded
            try:
                result = self.encode(result)
            finally:
                self._dicts_by_value = False
        except SandboxStopped:
            raise
        except BaseException as err:  # the sandbox reports even sys.exit() to the judge
            self._send("rep", (False, describe_error(err, self.student_file), raised))
            return
        self._send("rep", (True, result, raised))

    def _perform(self, op: str, args: list) -> Any:
        if op in self._extra_ops and not self.guarded:
            return self._extra_ops[op](*args)
        if op == "call":
            target, positional, keywords = args
            if not isinstance(positional, tuple) or not isinstance(keywords, dict):
                raise TypeError("malformed call")
            return target(*positional, **keywords)
        if op in ("getattr", "setattr"):
            target, name, *value = args
            if self.guarded and not _public(name):
                raise AttributeError(f"the grader does not show {name!r}")
            if op == "getattr":
                return getattr(target, name)
            if self.guarded:
                _write_in_place(target, name, *value)
                return None
            setattr(target, name, *value)
            return None
        if op == "op" and args and args[0] in _OPS:
            if self.guarded and args[0] not in ("repr", "str", "len", "truth", "copy",
                                                "deepcopy"):
                raise TypeError(f"the grader does not apply {args[0]!r} to its objects")
            if args[0] in ("copy", "deepcopy"):
                self._copies += 1
                if self.guarded and self._copies > MAX_COPIES:
                    raise TypeError(f"the grader copies its objects at most {MAX_COPIES} "
                                    "times for one exercise")
            return _OPS[args[0]](*args[1:])
        raise TypeError(f"unknown request {op!r}")

    # -- values --------------------------------------------------------------------------
    def encode(self, obj: Any, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise ValueError("a value nested too deeply to send")
        kind = type(obj)
        if kind in _SCALARS:
            return obj
        if isinstance(obj, (Remote, _RemoteClass)) and obj._rpc is self:
            return ("y", obj._hid)
        if isinstance(obj, np.ndarray) and obj.dtype.kind in "biufcUS":
            return self._encode_array(obj)
        if isinstance(obj, np.generic) and obj.dtype.kind in "biufcUS":
            return ("s", obj.dtype.str, np.asarray(obj).tobytes())
        if isinstance(obj, np.random.Generator) and type(obj.bit_generator).__name__ in \
                _BIT_GENERATORS:
            return self._encode_generator(obj)
        if isinstance(obj, (bool, int, float, str)):  # subclasses cross as the plain value
            return kind.__mro__[-2](obj)
        if isinstance(obj, complex):
            return ("c", obj.real, obj.imag)
        if isinstance(obj, (bytes, bytearray)):
            return ("b", bytes(obj))
        for container, tag in _CONTAINERS:
            if isinstance(obj, container):  # subclasses (a namedtuple) cross as the plain one
                return (tag, [self.encode(item, depth + 1) for item in obj])
        if type(obj) is dict and not self._dicts_by_value:
            return self._encode_dict(obj, depth)  # mirrored: a write into it is seen here
        if isinstance(obj, dict):  # a subclass crosses as a plain dict, by value
            return ("d", [(self.encode(k, depth + 1), self.encode(v, depth + 1))
                          for k, v in obj.items()])
        if isinstance(obj, slice):
            return ("sl", *(self.encode(p, depth + 1) for p in (obj.start, obj.stop, obj.step)))
        if obj is Ellipsis:
            return ("E",)
        if self.guarded and isinstance(obj, Iterator):
            # the judge's own finite iterators (a model's parameters()) cross as their items
            return ("it", [self.encode(item, depth + 1) for item in obj])
        return self._export(obj)

    def decode(self, data: Any, depth: int = 0) -> Any:
        if type(data) in _SCALARS:
            return data
        if depth > _MAX_DEPTH or type(data) is not tuple or not data or type(data[0]) is not str:
            raise wire.ProtocolError("not a value this protocol knows")
        tag, rest = data[0], data[1:]
        if tag in ("t", "l", "set", "fset"):
            (items,) = rest
            values = [self.decode(item, depth + 1) for item in _list(items)]
            return next(container for container, t in _CONTAINERS if t == tag)(values)
        if tag == "d":
            (items,) = rest
            return {self.decode(k, depth + 1): self.decode(v, depth + 1)
                    for k, v in (_pair(item) for item in _list(items))}
        if tag == "a":
            return self._decode_array(*rest)
        if tag == "s":
            dtype, data_bytes = rest
            return _checked_array(dtype, [], data_bytes)[()]
        if tag == "c":
            real, imag = rest
            return complex(float(real), float(imag))
        if tag == "b":
            (value,) = rest
            if type(value) is not bytes:
                raise wire.ProtocolError("bytes expected")
            return value
        if tag == "sl":
            return slice(*(self.decode(p, depth + 1) for p in rest))
        if tag == "E":
            return Ellipsis
        if tag == "it":
            (items,) = rest
            return iter([self.decode(item, depth + 1) for item in _list(items)])
        if tag == "g":
            return self._decode_generator(*rest, depth=depth)
        if tag == "dm":
            return self._decode_dict(*rest, depth=depth)
        if tag == "y":
            (handle,) = rest
            if handle not in self._objects:
                raise wire.ProtocolError("a handle this side never lent out")
            return self._objects[handle]
        if tag == "h":
            handle, kind, name = rest
            return self._proxy(handle, kind, name)
        raise wire.ProtocolError(f"unknown value tag {tag!r}")

    def _decode_or_stop(self, payload: Any) -> Any:
        try:
            return self.decode(payload)
        except (wire.ProtocolError, ValueError, TypeError, RecursionError) as err:
            raise SandboxStopped("protocol", f"an unreadable value ({err})") from err

    def _export(self, obj: Any) -> tuple:
        if self.guarded and not _exportable(obj):
            raise TypeError(f"the grader cannot hand a {type(obj).__name__} to the submission")
        handle = self._object_handles.get(id(obj))
        if handle is None or self._objects[handle] is not obj:
            handle = f"{self._side}{next(self._ids)}"
            self._objects[handle] = obj  # kept alive while the other side may use it
            self._object_handles[id(obj)] = handle
        kind = "class" if isinstance(obj, type) else "function" if callable(obj) else "object"
        name = getattr(obj, "__name__", None)
        name = name if isinstance(name, str) else type(obj).__name__
        return ("h", handle, kind, name[:100])

    def _proxy(self, handle: Any, kind: Any, name: Any) -> Any:
        if not (isinstance(handle, str) and len(handle) < 32 and isinstance(name, str)):
            raise wire.ProtocolError("a malformed handle")
        if handle not in self._proxies:
            if kind == "class":
                namespace = {"_rpc": self, "_hid": handle, "__module__": "submission"}
                proxy = _RemoteClass(name if name.isidentifier() else "Class", (), namespace)
            elif kind in ("function", "object"):
                proxy = (RemoteFunction if kind == "function" else Remote)(self, handle, name)
            else:
                raise wire.ProtocolError(f"unknown handle kind {kind!r}")
            self._proxies[handle] = proxy
        return self._proxies[handle]

    # -- mirrored arrays -----------------------------------------------------------------
    def _encode_array(self, arr: np.ndarray) -> tuple:
        mirror = self._mirror_handles.get(id(arr))
        if mirror not in self._mirrors or self._mirrors[mirror][0] is not arr:
            mirror = f"{self._side}{next(self._ids)}"
            self._mirror_handles[id(arr)] = mirror
        data = np.ascontiguousarray(arr).tobytes()
        self._mirrors[mirror] = [arr, data, arr.dtype.str, arr.shape]
        return ("a", mirror, arr.dtype.str, list(arr.shape), data)

    def _decode_array(self, mirror: Any, dtype: Any, shape: Any, data: Any) -> np.ndarray:
        if not isinstance(mirror, str) or len(mirror) > 32:
            raise wire.ProtocolError("a malformed array id")
        arr = _checked_array(dtype, shape, data)
        entry = self._mirrors.get(mirror)
        if entry is not None:
            local = entry[0]
            if local.shape == arr.shape and local.dtype == arr.dtype and local.flags.writeable:
                local[...] = arr  # the same array, changed on the other side
                entry[1:] = [data, arr.dtype.str, arr.shape]
                return local
        self._mirrors[mirror] = [arr, data, arr.dtype.str, arr.shape]
        self._mirror_handles[id(arr)] = mirror
        return arr

    def _objmirror_id(self, obj: Any) -> str:
        mirror = self._objmirror_handles.get(id(obj))
        if mirror not in self._objmirrors or self._objmirrors[mirror][0] is not obj:
            mirror = f"{self._side}{next(self._ids)}"
            self._objmirror_handles[id(obj)] = mirror
        return mirror

    def _encode_dict(self, obj: dict, depth: int = 0) -> tuple:
        mirror = self._objmirror_id(obj)
        pairs = list(obj.items())
        self._objmirrors[mirror] = [obj, pairs]
        return ("dm", mirror, [(self.encode(k, depth + 1), self.encode(v, depth + 1))
                               for k, v in pairs])

    def _decode_dict(self, mirror: Any, items: Any, depth: int = 0) -> dict:
        if not isinstance(mirror, str) or len(mirror) > 32:
            raise wire.ProtocolError("a malformed dict id")
        pairs = [(self.decode(k, depth + 1), self.decode(v, depth + 1))
                 for k, v in (_pair(item) for item in _list(items))]
        entry = self._objmirrors.get(mirror)
        if entry is not None and type(entry[0]) is dict:
            local = entry[0]  # the same dict, changed on the other side
            local.clear()
            local.update(pairs)
        else:
            local = dict(pairs)
        self._objmirrors[mirror] = [local, list(local.items())]
        self._objmirror_handles[id(local)] = mirror
        return local

    def _encode_generator(self, gen: np.random.Generator) -> tuple:
        mirror = self._objmirror_id(gen)
        bits = gen.bit_generator
        state = bits.state
        self._objmirrors[mirror] = [gen, _frozen(state)]
        return ("g", mirror, type(bits).__name__, self.encode(state))

    def _decode_generator(self, mirror: Any, name: Any, state: Any,
                          depth: int = 0) -> np.random.Generator:
        if not isinstance(mirror, str) or len(mirror) > 32:
            raise wire.ProtocolError("a malformed generator id")
        if name not in _BIT_GENERATORS:
            raise wire.ProtocolError(f"unknown bit generator {name!r}")
        entry = self._objmirrors.get(mirror)
        if entry is not None and isinstance(entry[0], np.random.Generator) \
                and type(entry[0].bit_generator).__name__ == name:
            gen = entry[0]  # the same Generator, drawn from on the other side
        else:
            gen = np.random.Generator(getattr(np.random, name)())
        gen.bit_generator.state = self.decode(state, depth + 1)
        self._objmirrors[mirror] = [gen, _frozen(gen.bit_generator.state)]
        self._objmirror_handles[id(gen)] = mirror
        return gen

    def _changed_mirrors(self) -> list:
        """The mirrored arrays, dicts and Generators this side changed since they crossed."""
        changed: list = [
            self._encode_array(arr)
            for arr, data, dtype, shape in list(self._mirrors.values())
            if arr.shape != shape
            or arr.dtype.str != dtype
            or np.ascontiguousarray(arr).tobytes() != data
        ]
        for obj, snapshot in list(self._objmirrors.values()):
            if type(obj) is dict:
                pairs = list(obj.items())
                if len(pairs) != len(snapshot) or any(
                        k1 is not k2 or v1 is not v2
                        for (k1, v1), (k2, v2) in zip(pairs, snapshot, strict=True)):
                    changed.append(self._encode_dict(obj))
            elif _frozen(obj.bit_generator.state) != snapshot:
                changed.append(self._encode_generator(obj))
        return changed

    def _forget_dropped(self) -> None:
        """Forget the arrays only the mirror table still holds: their changes have crossed."""
        for mirror, entry in list(self._mirrors.items()):
            key, probe = id(entry[0]), weakref.ref(entry[0])
            entry[0] = None  # the table's own reference, out of the way for a moment
            arr = probe()
            if arr is not None:
                entry[0] = arr
                continue
            del self._mirrors[mirror]
            if self._mirror_handles.get(key) == mirror:
                del self._mirror_handles[key]
        for mirror, entry in list(self._objmirrors.items()):
            # the table's entry holds it once and getrefcount's argument once: nobody else
            if sys.getrefcount(entry[0]) <= 2:
                del self._objmirrors[mirror]
                if self._objmirror_handles.get(id(entry[0])) == mirror:
                    del self._objmirror_handles[id(entry[0])]

    def _apply_sync(self, sync: Any) -> None:
        for item in _list(sync):
            if not (type(item) is tuple and item and item[0] in ("a", "dm", "g")):
                raise wire.ProtocolError("a malformed mirror update")
            if item[0] == "a":
                self._decode_array(*item[1:])
            else:
                self.decode(item)


def _frozen(state: Any) -> Any:
    """A bit generator's state in a form ``==`` compares (MT19937's key is an array)."""
    if isinstance(state, dict):
        return tuple((k, _frozen(v)) for k, v in state.items())
    if isinstance(state, np.ndarray):
        return (state.dtype.str, state.shape, state.tobytes())
    return state


def _errstate(value: Any) -> dict[str, str]:
    modes = ("ignore", "warn", "raise", "print")
    if not isinstance(value, dict):
        raise wire.ProtocolError("a malformed numpy error state")
    return {k: v for k, v in value.items() if k in ("divide", "over", "under", "invalid")
            and v in modes}


def _warnings(value: Any) -> list[tuple[type[Warning], str]]:
    """The warnings the other side reported, as builtin categories (unknown: UserWarning)."""
    found = []
    for item in _list(value)[:20]:
        name, message = _pair(item)
        category = getattr(builtins, name, None) if isinstance(name, str) else None
        if not (isinstance(category, type) and issubclass(category, Warning)):
            category = UserWarning
        found.append((category, str(message)[:_MAX_TEXT]))
    return found


def _list(value: Any) -> list:
    if type(value) is not list:
        raise wire.ProtocolError("a list expected")
    return value


def _pair(value: Any) -> tuple:
    if type(value) is not tuple or len(value) != 2:
        raise wire.ProtocolError("a key-value pair expected")
    return value


def _checked_array(dtype: Any, shape: Any, data: Any) -> np.ndarray:
    """An array rebuilt from bytes, refusing every dtype that could hold pointers."""
    if not (isinstance(dtype, str) and _DTYPE.match(dtype) and type(data) is bytes):
        raise wire.ProtocolError(f"an array of dtype {dtype!r} cannot cross")
    if not (type(shape) is list and len(shape) <= 32
            and all(type(n) is int and n >= 0 for n in shape)):
        raise wire.ProtocolError("a malformed array shape")
    dt = np.dtype(dtype)
    if dt.hasobject or dt.itemsize == 0 or len(data) != int(np.prod(shape)) * dt.itemsize:
        raise wire.ProtocolError("an array's bytes do not match its shape")
    return np.frombuffer(data, dtype=dt).reshape(shape).copy()


class Remote:
    """A proxy for an object on the other side: attributes and operators are requests."""

    __slots__ = ("_rpc", "_hid", "_name")

    def __init__(self, rpc: Connection, hid: str, name: str):
        object.__setattr__(self, "_rpc", rpc)
        object.__setattr__(self, "_hid", hid)
        object.__setattr__(self, "_name", name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # numpy and copy probe these; answer locally
        return self._rpc.request("getattr", self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._rpc.request("setattr", self, name, value)

    def __hash__(self) -> int:
        return hash((id(self._rpc), self._hid))

    def __copy__(self) -> Any:  # copied where the object lives (a proxy holds a socket)
        return self._rpc.request("op", "copy", self)

    def __deepcopy__(self, memo: dict) -> Any:
        return self._rpc.request("op", "deepcopy", self)

    def __repr__(self) -> str:
        return self._rpc.request("op", "repr", self)[:_MAX_TEXT]

    def __str__(self) -> str:
        return self._rpc.request("op", "str", self)[:_MAX_TEXT]


class RemoteFunction(Remote):
    """A proxy for something callable on the other side."""

    __slots__ = ()

    @property
    def __name__(self) -> str:  # messages label a call with the function's name
        return self._name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._rpc.request("call", self, args, kwargs)


def _forward(op: str, reflected: bool = False, arity: int = 2) -> Callable:
    if arity == 1:
        return lambda self: self._rpc.request("op", op, self)
    if arity == 3:
        return lambda self, a, b: self._rpc.request("op", op, self, a, b)
    if reflected:
        return lambda self, other: self._rpc.request("op", op, other, self)
    return lambda self, other: self._rpc.request("op", op, self, other)


for _op in "add sub mul truediv floordiv mod pow matmul and or xor lshift rshift".split():
    _name = f"{_op}_" if _op in ("and", "or") else _op
    setattr(Remote, f"__{_op}__", _forward(_name))
    setattr(Remote, f"__r{_op}__", _forward(_name, reflected=True))
for _op in "lt le eq ne gt ge getitem delitem contains".split():
    setattr(Remote, f"__{_op}__", _forward(_op))
for _op, _dunder in (("neg", "neg"), ("pos", "pos"), ("abs", "abs"), ("invert", "invert"),
                     ("len", "len"), ("iter", "iter"), ("next", "next"), ("truth", "bool"),
                     ("float", "float"), ("int", "int"), ("index", "index")):
    setattr(Remote, f"__{_dunder}__", _forward(_op, arity=1))
Remote.__setitem__ = _forward("setitem", arity=3)


class _RemoteClass(type):
    """The type of a class proxy: ``inspect.isclass`` is true and calling it instantiates."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._rpc.request("call", cls, args, kwargs)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return cls._rpc.request("getattr", cls, name)

    def __repr__(cls) -> str:
        return f"<class {cls.__name__!r} of the submission>"
