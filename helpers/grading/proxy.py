"""Objects that stay where they live: handles lent out, and proxies for the other side's.

What crosses neither by value nor mirrored (a function, a class, an instance) is *lent*:
the other side gets a handle and builds a proxy (:class:`Remote`, :class:`RemoteFunction`,
or a class whose type is :class:`RemoteClass`) whose calls, attributes and operators are
requests on the connection (:mod:`helpers.grading.rpc`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import wire

__all__ = ["MAX_TEXT", "Handles", "Remote", "RemoteClass", "RemoteFunction"]

#: The most characters of text (a repr, a message) taken from the other side.
MAX_TEXT = 4000


class Handles:
    """One side's objects lent out by handle, and its proxies for the other side's."""

    def __init__(self, new_id: Callable[[], str], owner: Any, *, guarded: bool = False):
        self._new_id = new_id
        self._owner = owner  # the connection a proxy sends its requests on
        self._guarded = guarded
        self._objects: dict[str, Any] = {}  # handle -> object this side lent out
        self._object_handles: dict[int, str] = {}  # id(object) -> handle
        self._proxies: dict[str, Any] = {}  # the other side's handle -> our proxy
        #: (handle of an object of the other side's, attribute name) -> the proxy of that
        #: object's method: fetched once, called many times (a training loop's
        #: model.forward), one round trip a call instead of two
        self.methods: dict[tuple[str, str], Any] = {}
        self._method_handles: set[str] = set()

    def lend(self, obj: Any) -> tuple:
        handle = self._object_handles.get(id(obj))
        if handle is None or self._objects[handle] is not obj:
            handle = self._new_id()
            self._objects[handle] = obj  # kept alive while the other side may use it
            self._object_handles[id(obj)] = handle
        kind = "class" if isinstance(obj, type) else "function" if callable(obj) else "object"
        if self._guarded and _class_method(obj):
            kind = "method"  # the judge's objects keep their methods (see rpc's docstring)
        name = getattr(obj, "__name__", None)
        name = name if isinstance(name, str) else type(obj).__name__
        return ("h", handle, kind, name[:100])

    def lent(self, handle: Any) -> Any:
        """The object this side lent as ``handle`` (the other side passes it back)."""
        if handle not in self._objects:
            raise wire.ProtocolError("a handle this side never lent out")
        return self._objects[handle]

    def proxy(self, handle: Any, kind: Any, name: Any) -> Any:
        if not (isinstance(handle, str) and len(handle) < 32 and isinstance(name, str)):
            raise wire.ProtocolError("a malformed handle")
        if handle not in self._proxies:
            if kind == "class":
                namespace = {"_rpc": self._owner, "_hid": handle, "__module__": "submission"}
                proxy = RemoteClass(name if name.isidentifier() else "Class", (), namespace)
            elif kind in ("function", "object") or (kind == "method" and not self._guarded):
                proxy = (Remote if kind == "object" else RemoteFunction)(
                    self._owner, handle, name)
                if kind == "method":
                    self._method_handles.add(handle)
            else:
                raise wire.ProtocolError(f"unknown handle kind {kind!r}")
            self._proxies[handle] = proxy
        return self._proxies[handle]


    def is_method(self, proxy: Any) -> bool:
        """``proxy`` stands for a method of the class of one of the judge's objects."""
        return isinstance(proxy, RemoteFunction) and proxy._hid in self._method_handles


def _class_method(obj: Any) -> bool:
    """A bound method that is its instance's class's own (no attribute of the instance
    shadows it): a judge's object lent out keeps it, since the sandbox may not set the
    attributes of the judge's objects (only change their arrays in place)."""
    func, owner = getattr(obj, "__func__", None), getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", None)
    if func is None or owner is None or isinstance(owner, type) or not isinstance(name, str):
        return False
    return (getattr(type(owner), name, None) is func
            and name not in getattr(owner, "__dict__", {}))


class Remote:
    """A proxy for an object on the other side: attributes and operators are requests."""

    __slots__ = ("_rpc", "_hid", "_name")

    def __init__(self, rpc: Any, hid: str, name: str):
        object.__setattr__(self, "_rpc", rpc)
        object.__setattr__(self, "_hid", hid)
        object.__setattr__(self, "_name", name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # numpy and copy probe these; answer locally
        handles = self._rpc.handles
        key = (self._hid, name)
        known = handles.methods.get(key)
        if known is not None:
            return known
        value = self._rpc.request("getattr", self, name)
        if handles.is_method(value):
            handles.methods[key] = value
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        self._rpc.request("setattr", self, name, value)

    def __hash__(self) -> int:
        return hash((id(self._rpc), self._hid))

    def __copy__(self) -> Any:  # copied where the object lives (a proxy holds a socket)
        return self._rpc.request("op", "copy", self)

    def __deepcopy__(self, memo: dict) -> Any:
        return self._rpc.request("op", "deepcopy", self)

    def __repr__(self) -> str:
        return self._rpc.request("op", "repr", self)[:MAX_TEXT]

    def __str__(self) -> str:
        return self._rpc.request("op", "str", self)[:MAX_TEXT]


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


class RemoteClass(type):
    """The type of a class proxy: ``inspect.isclass`` is true and calling it instantiates."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        return cls._rpc.request("call", cls, args, kwargs)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return cls._rpc.request("getattr", cls, name)

    def __repr__(cls) -> str:
        return f"<class {cls.__name__!r} of the submission>"
