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
kills the child's process group and answers with its wait status.
"""

from __future__ import annotations

import builtins
import importlib
import os
import signal
import socket
import sys
import tempfile
from typing import Any

from . import confine, wire
from .rpc import Connection

__all__ = ["GraderSetupError", "zygote_main"]


class GraderSetupError(RuntimeError):
    """The course notebook's own code (imports, reference answers) failed in the sandbox."""


def zygote_main(control: socket.socket) -> None:
    for module in wire.recv(control):
        try:
            importlib.import_module(module)
        except Exception:  # noqa: S112 - an optional import the notebook may not need
            continue
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


def _reap(pid: int) -> int:
    """Kill the child's process group (it may have left children) and collect its status."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
            break
        except (ProcessLookupError, PermissionError):
            continue
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0


def _child(sock: socket.socket, output_fd: int) -> None:
    """Run one exercise's program and serve the judge; exit when the judge hangs up."""
    try:
        os.setsid()  # its own process group, so the zygote can kill all it started
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a full disk quota is an OSError
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
        confine.apply(spec["seconds"], spec["memory_mb"], writable=scratch)
        _pin_builtins()
        program = _Program(spec)
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
    for module in ("helpers.grading.rpc", "helpers.grading.wire", __name__):
        vars(sys.modules[module]).update(real)


class _Program:
    """The course notebook's light cells, then the student's exercise cell."""

    def __init__(self, spec: dict[str, Any]):
        self.spec = spec
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}

    def define(self) -> tuple[str, Any]:
        """Run the program; ("ok", the exercise's object) or ("missing", names defined)."""
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


def _judge_error(info: tuple) -> BaseException:
    """A function the check passed in failed in the judge: the student's code sees this."""
    _, name, message, _ = info
    return RuntimeError(f"the grader's function raised {name}: {message}")


if __name__ == "__main__":
    zygote_main(socket.socket(fileno=int(sys.argv[1])))
