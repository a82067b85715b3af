"""Grade one exercise of one submission: its code in a sandbox, its check here.

The check (strict mode) runs in this process, which never executes submitted code; it
gets a proxy for the student's object (:mod:`helpers.grading.rpc`) and calls it across the
process boundary. Redefining ``np.allclose``, patching ``helpers.check`` or ``builtins``, or
printing a fake ✓ line changes the sandbox, not the judge.
"""

from __future__ import annotations

import ast
import atexit
import builtins
import contextlib
import io
import linecache
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from helpers.check import REGISTRY, CheckFailed
from helpers.check._core import is_stub_error, not_written_message

from . import wire
from .course import Course, Exercise
from .rpc import Connection, SandboxStopped

__all__ = ["ExerciseResult", "Limits", "grade_exercise", "not_graded"]

#: The file name the student's cell is compiled under, in the sandbox and here.
STUDENT_FILE = os.path.join(os.sep, "submission", "exercise.py")
_NOISY_OUTPUT = 100_000  # bytes of printing worth a note in the feedback


@dataclass(frozen=True)
class Limits:
    seconds: float = 10.0  # wall-clock, per exercise: running the cell and the check
    memory_mb: int = 1024


@dataclass
class ExerciseResult:
    exercise: str
    points: float
    max_points: float
    status: str  # passed, failed, not written, missing, timeout, memory, exit, crashed, error
    feedback: str  # what the student reads: the check's ✓ or ✗ line and hint
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def not_graded(exercise: Exercise, status: str, message: str, hint: str | None = None,
               notes: list[str] | None = None) -> ExerciseResult:
    text = str(CheckFailed(exercise.id, message, hint))
    return ExerciseResult(exercise.id, 0.0, exercise.points, status, text, notes or [])


def grade_exercise(course: Course, exercise: Exercise, source: str, limits: Limits,
                   strict: bool = True) -> ExerciseResult:
    """Run ``source`` (the student's cell) in a fresh sandbox and check what it defines."""
    linecache.cache[STUDENT_FILE] = (len(source), None, source.splitlines(True), STUDENT_FILE)
    zygote = _zygote(course.preload())
    scratch = tempfile.mkdtemp(prefix="nn-workbook-grade-")
    pid, sock, output = zygote.fork()
    drain = _Drain(output)
    result = None
    try:
        wire.send(sock, {
            "scratch": scratch, "seconds": limits.seconds, "memory_mb": limits.memory_mb,
            "cells": course.program(exercise), "student": source, "target": exercise.name,
            "student_file": STUDENT_FILE,
        })
        connection = Connection(sock, side="j", guarded=True, rebuild_error=_student_error)
        connection.deadline = time.monotonic() + limits.seconds
        result = _run(connection, exercise, source, limits, strict)
    except SandboxStopped as stop:
        result = _stopped(exercise, stop, limits, zygote.reap(pid))
        pid = None
    finally:
        if pid is not None:
            zygote.reap(pid)
        sock.close()
        drain.join()
        files = sorted(p.name for p in Path(scratch).iterdir())
        shutil.rmtree(scratch, ignore_errors=True)
    if drain.size > _NOISY_OUTPUT:
        result.notes.append(f"{exercise.id}: your code printed {drain.size / 1e6:.1f} MB while "
                            "being graded; printed output is ignored.")
    if files:
        shown = ", ".join(files[:5]) + (", ..." if len(files) > 5 else "")
        result.notes.append(f"{exercise.id}: your code created files ({shown}); the grader "
                            "ran it in a scratch folder and threw them away.")
    return result


def _run(connection: Connection, exercise: Exercise, source: str, limits: Limits,
         strict: bool) -> ExerciseResult:
    try:
        outcome, value = connection.request("define")
    except _SetupFailed as err:
        return not_graded(exercise, "error", f"the grader could not run the course notebook's "
                          f"code before your cell ({err}).", "tell your instructor.")
    except Exception as err:  # the student's cell raised while it was defining
        if is_stub_error(err):
            return not_graded(exercise, "not written", *not_written_message(err))
        line = _line(err)
        message = f"running your cell raised {type(err).__name__}: {err}"
        if line:
            message += f"\n  Your line: `{line}`"
        return not_graded(exercise, "failed", message,
                          "run the cell in your notebook and read the error it gives.")
    if outcome != "ok":
        found = ", ".join(f"`{n}`" for n in value) if isinstance(value, list) else ""
        return not_graded(
            exercise, "missing",
            f"your cell does not define `{exercise.name}`"
            + (f" (it defines {found})." if found else "."),
            f"keep the name `{exercise.name}` from the notebook: the check looks it up by name.",
        )
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            REGISTRY[exercise.id](value, strict=strict)
    except CheckFailed as failure:
        status = "not written" if failure.message == not_written_message(
            NotImplementedError(f"exercise: {exercise.id}"))[0] else "failed"
        return ExerciseResult(exercise.id, 0.0, exercise.points, status, str(failure))
    except (SandboxStopped, KeyboardInterrupt):
        raise
    except Exception as err:  # the check met something it does not expect across processes
        return not_graded(exercise, "error", f"the grader could not check your answer "
                          f"({type(err).__name__}: {err}).", "tell your instructor.")
    verdict = printed.getvalue().strip() or f"✓ {exercise.id} looks right."
    return ExerciseResult(exercise.id, exercise.points, exercise.points, "passed", verdict)


def _stopped(exercise: Exercise, stop: SandboxStopped, limits: Limits,
             status: int) -> ExerciseResult:
    """The feedback for a sandbox that stopped answering, from why it stopped."""
    code = os.waitstatus_to_exitcode(status) if status else 0
    if stop.kind == "timeout" or code == -signal.SIGXCPU:
        return not_graded(exercise, "timeout",
                          f"your code did not finish within {limits.seconds:g} s.",
                          "look for a loop that never ends, or far more work than the "
                          "exercise needs.")
    if stop.kind == "memory" or (stop.kind == "closed" and code == -signal.SIGKILL):
        return not_graded(exercise, "memory",
                          f"your code needed more than {limits.memory_mb} MB of memory.",
                          "look for an array far bigger than the exercise needs, or a list "
                          "that grows without end.")
    if stop.kind == "exit":
        return not_graded(exercise, "exit", "your code called sys.exit() (or exit()), which "
                          "stops the whole notebook.", "return a value instead of exiting.")
    if stop.kind == "closed":
        how = f"with exit code {code}" if code >= 0 else f"by signal {signal.Signals(-code).name}"
        return not_graded(exercise, "crashed", f"the process running your code ended {how} "
                          "(os._exit() or a crash) before the check finished.",
                          "an exercise only defines its function: remove any os._exit() "
                          "or code that ends the process.")
    return not_graded(exercise, "crashed", f"your code broke the grader's connection "
                      f"({stop.detail}).", "an exercise only defines its function; it must "
                      "not touch the process's files or sockets.")


class _SetupFailed(RuntimeError):
    pass


def _student_error(info: tuple) -> BaseException:
    """The sandbox's report of an exception, as an exception raised at the student's line.

    Builtin exception types keep their class (so a stub is still a NotImplementedError);
    the traceback ends in a frame at the student's line, so the checks quote that line.
    """
    _, name, message, lineno = info
    if not isinstance(name, str) or not isinstance(message, str):
        return SandboxStopped("protocol", "a malformed error report")
    if name == "SystemExit":
        return SandboxStopped("exit", message)
    if name == "MemoryError":
        return SandboxStopped("memory")
    if name == "GraderSetupError":
        return _SetupFailed(message)
    base = getattr(builtins, name, None)
    if not (isinstance(base, type) and issubclass(base, Exception)):
        base = Exception
    label = name if name.isidentifier() else "Exception"
    try:
        cls = type(label, (base,), {"__str__": lambda self: message, "__module__": "builtins"})
        err = cls.__new__(cls)
    except TypeError:
        cls = type(label, (Exception,), {"__str__": lambda self: message})
        err = cls.__new__(cls)
    err.args = (message,)
    if type(lineno) is int and lineno > 0:
        tree = ast.increment_lineno(ast.parse("raise __error__"), lineno - 1)
        try:
            exec(compile(tree, STUDENT_FILE, "exec"), {"__error__": err})
        except Exception as raised:  # now with a traceback that ends at the student's line
            return raised
    return err


def _line(err: BaseException) -> str | None:
    tb = err.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == STUDENT_FILE:
            line = linecache.getline(STUDENT_FILE, tb.tb_lineno).strip() or None
        tb = tb.tb_next
    return line


class _Drain(threading.Thread):
    """Reads what the sandbox prints, counting it and keeping none of it."""

    def __init__(self, fd: int):
        super().__init__(daemon=True)
        self.fd, self.size = fd, 0
        self.start()

    def run(self) -> None:
        try:
            while chunk := os.read(self.fd, 1 << 16):
                self.size += len(chunk)
        finally:
            os.close(self.fd)

    def join(self, timeout: float | None = 5.0) -> None:
        super().join(timeout)


class _Zygote:
    """The fork server for one course notebook (see :mod:`helpers.grading.sandbox`)."""

    def __init__(self, preload: tuple[str, ...]):
        ours, theirs = socket.socketpair()
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME")}
        env.update(
            PYTHONPATH=str(Path(__file__).resolve().parents[2]), PYTHONDONTWRITEBYTECODE="1",
            MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "helpers.grading.sandbox", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.control = ours
        self._lock = threading.Lock()
        wire.send(ours, list(preload))
        if wire.recv(ours, time.monotonic() + 300) != "ready":
            raise RuntimeError("the grader's sandbox did not start")

    def alive(self) -> bool:
        return self.process.poll() is None

    def fork(self) -> tuple[int, socket.socket, int]:
        ours, theirs = socket.socketpair()
        read_end, write_end = os.pipe()
        with self._lock:
            socket.send_fds(self.control, [b"F"], [theirs.fileno(), write_end])
            wire.send(self.control, ("fork",))
            pid = wire.recv(self.control)
        theirs.close()
        os.close(write_end)
        return pid, ours, read_end

    def reap(self, pid: int) -> int:
        with self._lock:
            socket.send_fds(self.control, [b"R"], [])
            wire.send(self.control, ("reap", pid))
            return wire.recv(self.control)

    def close(self) -> None:
        self.control.close()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()


_ZYGOTES: dict[tuple[str, ...], _Zygote] = {}


def _zygote(preload: tuple[str, ...]) -> _Zygote:
    if not hasattr(socket, "send_fds") or not hasattr(os, "fork"):
        raise RuntimeError("grading needs Linux or macOS (on Windows, run it in WSL)")
    zygote = _ZYGOTES.get(preload)
    if zygote is None or not zygote.alive():
        zygote = _ZYGOTES[preload] = _Zygote(preload)
    return zygote


@atexit.register
def _close_zygotes() -> None:
    for zygote in _ZYGOTES.values():
        zygote.close()
