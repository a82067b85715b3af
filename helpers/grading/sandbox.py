"""The process that runs a submission's code: a clean fork server and its confined children.

``python -m helpers.grading.sandbox FD`` starts the *zygote*: it imports what the course
notebook imports (numpy, matplotlib, the package: seconds of work), then waits on the
socket FD. For every exercise the judge asks it to fork; the child, which starts with all
those imports done, confines itself (:mod:`helpers.grading.confine`), runs the exercise's
program and answers the judge's requests until the judge hangs up. The zygote itself only
ever runs the package's own code, so every child starts clean.

Messages from the judge (on the zygote's socket, each after a one-byte marker that may
carry file descriptors): ``("fork",)`` with two descriptors (the child's RPC socket and
the write end of its output pipe) is answered with the child's pid; ``("reap", pid)``
kills the child's process group (and, when the grader is root, every process of the
child's own uid) and answers with its wait status and peak memory in bytes.

:class:`Zygote` is the judge's end: it starts the fork server and talks to it, with a
deadline on every answer; a fork server that died, stopped or garbled an answer raises
:class:`ZygoteLost`, and the next :func:`zygote` call starts a fresh one.
"""

from __future__ import annotations

import atexit
import builtins
import contextlib
import importlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from . import confine, wire
from .rpc import Connection

__all__ = ["GraderSetupError", "Zygote", "ZygoteLost", "zygote", "zygote_main"]

#: How long the fork server may take to answer a fork or a reap: it only forks and waits.
ANSWER_SECONDS = 30.0


class GraderSetupError(RuntimeError):
    """The course notebook's own code (imports, reference answers) failed in the sandbox."""


def zygote_main(control: socket.socket, parent: int) -> None:
    # a grader (or worker) killed without warning runs no cleanup: the kernel ends this
    # process with it (Linux), and on any system the end of ``control`` does (below)
    confine.die_with_parent()
    if os.getppid() != parent:
        return
    for module in wire.recv(control):
        try:
            importlib.import_module(module)
        except Exception:  # noqa: S112 - an optional import the notebook may not need
            continue
    confine.switches_uid()  # decided once, here, for every child
    wire.send(control, "ready")
    while True:
        try:
            marker, fds, _, _ = socket.recv_fds(control, 1, 2)
            if not marker:
                return
            request = wire.recv(control)
        except (OSError, wire.Closed):
            return
        if request[0] == "fork":
            pid = os.fork()
            if pid == 0:
                control.close()
                _child(socket.socket(fileno=fds[0]), fds[1])  # never returns
            for fd in fds:
                os.close(fd)
            wire.send(control, pid)
        elif request[0] == "reap":
            wire.send(control, _reap(request[1]))


def _reap(pid: int) -> tuple[int, int, float]:
    """Kill the child and all it started; its wait status, peak memory in bytes and CPU
    seconds (user + system)."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
            break
        except (ProcessLookupError, PermissionError):
            continue
    if confine.switches_uid():  # whatever session or group they moved to, they kept the uid
        _kill_uid(confine.sandbox_uid(pid))
    try:
        _, status, usage = os.wait4(pid, 0)
    except ChildProcessError:
        return 0, 0, 0.0
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return status, usage.ru_maxrss * scale, float(usage.ru_utime + usage.ru_stime)


def _kill_uid(uid: int) -> None:
    """Linux: SIGKILL every process running as ``uid``."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            if os.stat(f"/proc/{entry}").st_uid == uid:
                os.kill(int(entry), signal.SIGKILL)
        except OSError:
            continue


def _child(sock: socket.socket, output_fd: int) -> None:
    """Run one exercise's program and serve the judge; exit when the judge hangs up."""
    parent = os.getppid()
    try:
        os.setsid()  # its own process group, so the zygote can kill all it started
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full disk quota is an OSError
        signal.signal(signal.SIGXCPU, signal.SIG_DFL)  # the CPU limit ends the process
        stdin = os.open(os.devnull, os.O_RDONLY)
        os.dup2(stdin, 0)
        os.dup2(output_fd, 1)
        os.dup2(output_fd, 2)
        os.close(output_fd)
        spec = wire.recv(sock)
        scratch = spec["scratch"]
        os.chdir(scratch)
        os.environ.update(HOME=scratch, TMPDIR=scratch, MPLCONFIGDIR=scratch)
        tempfile.tempdir = None
        try:
            confine.drop_privileges(scratch)
            confine.die_with_parent()
            if os.getppid() != parent:  # the fork server died before that took hold
                os._exit(0)
            confine.apply(spec["seconds"], spec["memory_mb"], writable=scratch)
            unconfined = None
        except Exception as err:  # the judge hears of it and runs nothing of the student's
            unconfined = f"the sandbox could not be confined ({type(err).__name__}: {err})"
        _pin_builtins()
        program = _Program(spec, unconfined)
        connection = Connection(
            sock,
            side="s",
            guarded=False,
            rebuild_error=_judge_error,
            student_file=spec["student_file"],
            extra_ops={"define": program.define},
        )
        connection.serve_forever()
    finally:
        os._exit(0)


def _pin_builtins() -> None:
    """Copy the builtins into the sandbox's own modules' globals.

    A submission may replace ``builtins.len`` or ``builtins.isinstance``; the code that
    answers the judge then still uses the real ones (module globals are looked up first).
    """
    real = {k: v for k, v in vars(builtins).items() if not k.startswith("__")}
    for module in ("helpers.grading.rpc", "helpers.grading.codec", "helpers.grading.mirror",
                   "helpers.grading.proxy", "helpers.grading.wire", __name__):
        vars(sys.modules[module]).update(real)


class _Program:
    """The course notebook's light cells, then the student's exercise cell."""

    def __init__(self, spec: dict[str, Any], unconfined: str | None = None):
        self.spec = spec
        self.unconfined = unconfined
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}

    def define(self) -> tuple[str, Any]:
        """Run the program; ("ok", the exercise's object) or ("missing", names defined)."""
        if self.unconfined:
            raise GraderSetupError(self.unconfined)
        for source, filename in self.spec["cells"]:
            try:
                exec(compile(source, filename, "exec"), self.namespace)
            except Exception as err:
                raise GraderSetupError(f"{filename}: {type(err).__name__}: {err}") from err
        before = set(self.namespace)
        code = compile(self.spec["student"], self.spec["student_file"], "exec")
        exec(code, self.namespace)
        sys.stdout.flush()
        target = self.spec["target"]
        if target in self.namespace:
            return ("ok", self.namespace[target])
        return ("missing", sorted(n for n in set(self.namespace) - before if not n.startswith("_")))


#: Errors of the judge's objects that the student's code may rightly expect and catch, as
#: in the notebook: ``getattr(layer, "layers", None)`` and ``hasattr`` need AttributeError.
_CATCHABLE = {error.__name__: error for error in (
    AttributeError, KeyError, IndexError, TypeError, ValueError, ZeroDivisionError,
    FloatingPointError, OverflowError, NotImplementedError)}


def _judge_error(info: tuple) -> BaseException:
    """A function the check passed in failed in the judge: the student's code sees this."""
    _, name, message, _ = info
    text = f"the grader's function raised {name}: {message}"
    return _CATCHABLE.get(name, RuntimeError)(text)


class ZygoteLost(RuntimeError):
    """The fork server died, stopped, or answered what it should not: start another."""


class Zygote:
    """The judge's end of the fork server for one course notebook."""

    def __init__(self, preload: tuple[str, ...]):
        ours, theirs = socket.socketpair()
        env = confine.sandbox_env()
        # a session of its own: a signal to the grader's process group never reaches it,
        # and one to its group never reaches the grader
        self.process = subprocess.Popen(
            [sys.executable, "-m", "helpers.grading.sandbox", str(theirs.fileno()),
             str(os.getpid())],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        theirs.close()
        self.control = ours
        self._lock = threading.Lock()
        try:
            wire.send(ours, list(preload))
            ready = wire.recv(ours, time.monotonic() + 300)
        except (OSError, wire.Closed, wire.TimedOut, wire.ProtocolError) as err:
            self.kill()
            raise ZygoteLost(f"the grader's sandbox did not start ({type(err).__name__})") from err
        if ready != "ready":
            self.kill()
            raise ZygoteLost("the grader's sandbox did not start")

    def alive(self) -> bool:
        return self.process.poll() is None

    def _ask(self, fds: list[int], request: tuple) -> Any:
        try:
            with self._lock:
                deadline = time.monotonic() + ANSWER_SECONDS
                self.control.settimeout(ANSWER_SECONDS)
                socket.send_fds(self.control, [b"F" if fds else b"R"], fds)
                wire.send(self.control, request, deadline)
                return wire.recv(self.control, deadline)
        except (OSError, wire.Closed, wire.TimedOut, wire.ProtocolError) as err:
            self.kill()  # dead, stopped or confused: it is of no more use
            raise ZygoteLost(f"the grader's fork server stopped answering "
                             f"({type(err).__name__})") from err

    def fork(self) -> tuple[int, socket.socket, int]:
        ours, theirs = socket.socketpair()
        read_end, write_end = os.pipe()
        try:
            pid = self._ask([theirs.fileno(), write_end], ("fork",))
        except ZygoteLost:
            ours.close()
            os.close(read_end)
            raise
        finally:
            theirs.close()
            os.close(write_end)
        if type(pid) is not int or pid <= 0:
            self.kill()
            raise ZygoteLost("the grader's fork server answered nonsense")
        return pid, ours, read_end

    def reap(self, pid: int) -> tuple[int, int, float]:
        """Kill a child (and all it started): (its wait status, its peak memory in bytes,
        the CPU seconds it used)."""
        answer = self._ask([], ("reap", pid))
        if not (type(answer) is tuple and len(answer) == 3
                and all(type(n) is int for n in answer[:2]) and type(answer[2]) is float):
            self.kill()
            raise ZygoteLost("the grader's fork server answered nonsense")
        return answer

    def kill(self) -> None:
        """Stop the fork server and its children now (they die with it)."""
        with contextlib.suppress(Exception):
            self.control.close()
        with contextlib.suppress(Exception):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            self.process.kill()
        with contextlib.suppress(Exception):
            self.process.wait(timeout=10)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.control.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.kill()


_ZYGOTES: dict[tuple[str, ...], Zygote] = {}


def zygote(preload: tuple[str, ...]) -> Zygote:
    """The running fork server for these imports, started if there is none (or it died)."""
    if not hasattr(socket, "send_fds") or not hasattr(os, "fork"):
        raise RuntimeError("grading needs Linux or macOS (on Windows, run it in WSL)")
    found = _ZYGOTES.get(preload)
    if found is None or not found.alive():
        found = _ZYGOTES[preload] = Zygote(preload)
    return found


@atexit.register
def _close_zygotes() -> None:
    for found in _ZYGOTES.values():
        found.close()


if __name__ == "__main__":
    zygote_main(socket.socket(fileno=int(sys.argv[1])), int(sys.argv[2]))
