"""Framed messages over a socket, safe to read from a process you do not trust.

A frame is an 8-byte length and a pickle of builtin values only (None, bool, int, float,
str, bytes, tuple, list, dict). The reader's unpickler refuses every global, so a frame
can build nothing but those values: no class, no function, no ``__reduce__`` trick. What
the values mean (arrays, handles, errors) is decided by :mod:`helpers.grading.rpc`.
"""

from __future__ import annotations

import io
import pickle
import socket
import struct
import time

__all__ = ["MAX_FRAME", "Closed", "ProtocolError", "TimedOut", "recv", "send"]

#: The largest frame a reader accepts; a bigger one is a protocol error, not a memory bomb.
MAX_FRAME = 64 * 1024 * 1024
_HEADER = struct.Struct("!Q")


class Closed(EOFError):
    """The other end went away (it exited, crashed or was killed)."""


class TimedOut(TimeoutError):
    """No complete frame arrived before the deadline."""


class ProtocolError(ValueError):
    """A frame that is not what the protocol allows."""


class _BuiltinsOnly(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        raise ProtocolError(f"a frame asked for {module}.{name}; only builtin values may cross")


def send(sock: socket.socket, value, deadline: float | None = None) -> None:
    """Send one frame; ``deadline`` (a ``time.monotonic()`` instant) bounds the wait for a
    reader that stopped reading."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    if len(data) > MAX_FRAME:
        raise ProtocolError(f"a message of {len(data)} bytes is over the {MAX_FRAME}-byte limit")
    sock.settimeout(None if deadline is None else max(deadline - time.monotonic(), 1e-3))
    try:
        sock.sendall(_HEADER.pack(len(data)) + data)
    except TimeoutError as err:
        raise TimedOut from err


def _read_exactly(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    chunks, missing = [], size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimedOut
            sock.settimeout(remaining)
        try:
            chunk = sock.recv(min(missing, 1 << 20))
        except TimeoutError as err:
            raise TimedOut from err
        except OSError as err:  # connection reset: the other end died
            raise Closed from err
        if not chunk:
            raise Closed
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def recv(sock: socket.socket, deadline: float | None = None):
    """The next frame's value; ``deadline`` is a ``time.monotonic()`` instant or None."""
    (size,) = _HEADER.unpack(_read_exactly(sock, _HEADER.size, deadline))
    if size > MAX_FRAME:
        raise ProtocolError(f"a frame of {size} bytes is over the {MAX_FRAME}-byte limit")
    data = _read_exactly(sock, size, deadline)
    try:
        return _BuiltinsOnly(io.BytesIO(data)).load()
    except ProtocolError:
        raise
    except Exception as err:  # truncated or garbled pickle
        raise ProtocolError(f"an unreadable frame ({type(err).__name__}: {err})") from err
