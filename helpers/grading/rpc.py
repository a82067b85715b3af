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
  A method of the class of one of the judge's objects (``model.forward``) is fetched by the
  sandbox once and then only called: the judge's objects keep their methods (see below).

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

The parts: :mod:`~helpers.grading.wire` frames a message, :mod:`~helpers.grading.codec`
encodes the values in it (with :mod:`~helpers.grading.mirror` and
:mod:`~helpers.grading.proxy`), and :class:`Connection` here runs the request loop.
"""

from __future__ import annotations

import builtins
import copy
import operator
import socket
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import wire
from .codec import Codec, pair, plain_list
from .proxy import MAX_TEXT, Remote, RemoteFunction

__all__ = ["Connection", "Remote", "RemoteFunction", "SandboxStopped", "describe_error"]

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
    return ("x", type(err).__name__, message[:MAX_TEXT], lineno)


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
    """One end of the socket between judge and sandbox: messages and the request loop.

    See the module docstring; the values in the messages are :class:`Codec`'s.
    """

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
        self._rebuild_error = rebuild_error
        self._extra_ops = extra_ops or {}
        self._values = Codec(side, guarded, owner=self)
        self._copies = 0

    @property
    def handles(self):
        """This side's objects lent out and proxies for the other side's."""
        return self._values.handles

    def encode(self, obj: Any) -> Any:
        return self._values.encode(obj)

    def decode(self, data: Any) -> Any:
        return self._values.decode(data)

    # -- messages: (kind, body, the mirrored values changed since the last one) ----------
    def _send(self, kind: str, body: Any) -> None:
        try:
            wire.send(self.sock, (kind, body, self._values.changed()), self.deadline)
        except wire.TimedOut as err:  # the other side stopped reading
            raise SandboxStopped("timeout") from err
        except wire.ProtocolError as err:  # a value too big to send
            raise SandboxStopped("protocol", str(err)) from err
        except OSError as err:
            raise SandboxStopped("closed", str(err)) from err
        self._values.mirrors.forget_dropped()

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
            self._values.apply_changes(sync)
        except SandboxStopped:
            raise
        except Exception as err:
            raise SandboxStopped("protocol", f"a malformed message ({err})") from err
        return kind, body

    # -- the request loop ----------------------------------------------------------------
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
                result = _perform(self, op, args)
            else:
                with warnings.catch_warnings(record=True) as caught, np.errstate(
                    **_errstate(errstate)
                ):
                    warnings.simplefilter("always")
                    try:
                        result = _perform(self, op, args)
                    finally:
                        raised = [(w.category.__name__, str(w.message)[:MAX_TEXT])
                                  for w in caught[:20]]
            # the judge's replies (an attribute of its object, what its callable returned)
            # carry dicts by value (see Codec.dicts_by_value)
            self._values.dicts_by_value = self.guarded
            try:
                result = self.encode(result)
            finally:
                self._values.dicts_by_value = False
        except SandboxStopped:
            raise
        except BaseException as err:  # the sandbox reports even sys.exit() to the judge
            self._send("rep", (False, describe_error(err, self.student_file), raised))
            return
        self._send("rep", (True, result, raised))

    def _decode_or_stop(self, payload: Any) -> Any:
        try:
            return self.decode(payload)
        except (wire.ProtocolError, ValueError, TypeError, RecursionError) as err:
            raise SandboxStopped("protocol", f"an unreadable value ({err})") from err


def _perform(connection: Connection, op: str, args: list) -> Any:
    """Run one request on this side's objects, as far as this side allows."""
    if op in connection._extra_ops and not connection.guarded:
        return connection._extra_ops[op](*args)
    if op == "call":
        target, positional, keywords = args
        if not isinstance(positional, tuple) or not isinstance(keywords, dict):
            raise TypeError("malformed call")
        return target(*positional, **keywords)
    if op in ("getattr", "setattr"):
        target, name, *value = args
        if connection.guarded and not _public(name):
            raise AttributeError(f"the grader does not show {name!r}")
        if op == "getattr":
            return getattr(target, name)
        if connection.guarded:
            _write_in_place(target, name, *value)
            return None
        setattr(target, name, *value)
        return None
    if op == "op" and args and args[0] in _OPS:
        if connection.guarded and args[0] not in ("repr", "str", "len", "truth", "copy",
                                            "deepcopy"):
            raise TypeError(f"the grader does not apply {args[0]!r} to its objects")
        if args[0] in ("copy", "deepcopy"):
            connection._copies += 1
            if connection.guarded and connection._copies > MAX_COPIES:
                raise TypeError(f"the grader copies its objects at most {MAX_COPIES} "
                                "times for one exercise")
        return _OPS[args[0]](*args[1:])
    raise TypeError(f"unknown request {op!r}")

# -- values --------------------------------------------------------------------------


def _errstate(value: Any) -> dict[str, str]:
    modes = ("ignore", "warn", "raise", "print")
    if not isinstance(value, dict):
        raise wire.ProtocolError("a malformed numpy error state")
    return {k: v for k, v in value.items() if k in ("divide", "over", "under", "invalid")
            and v in modes}


def _warnings(value: Any) -> list[tuple[type[Warning], str]]:
    """The warnings the other side reported, as builtin categories (unknown: UserWarning)."""
    found = []
    for item in plain_list(value)[:20]:
        name, message = pair(item)
        category = getattr(builtins, name, None) if isinstance(name, str) else None
        if not (isinstance(category, type) and issubclass(category, Warning)):
            category = UserWarning
        found.append((category, str(message)[:MAX_TEXT]))
    return found
