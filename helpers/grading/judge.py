"""Grade one exercise of one submission: its code in a sandbox, its check here.

The check (strict mode) runs in this process, which never executes submitted code; it
gets a proxy for the student's object (:mod:`helpers.grading.rpc`) and calls it across the
process boundary. Redefining ``np.allclose``, patching ``helpers.check`` or ``builtins``, or
printing a fake ✓ line changes the sandbox, not the judge.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import linecache
import math
import os
import shutil
import signal
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from helpers import check as _checks
from helpers.check import REGISTRY, CheckFailed
from helpers.check._core import is_stub_error, not_written_message
from helpers.check.own_work_cell import graded_cell
from helpers.course import Course, Exercise

from . import wire
from .rpc import Connection, SandboxStopped
from .sandbox import ZygoteLost, zygote

__all__ = ["ExerciseResult", "Limits", "backstop_seconds", "grade_exercise", "grader_trouble",
           "not_graded", "too_big"]

#: The file name the student's cell is compiled under, in the sandbox and here.
STUDENT_FILE = os.path.join(os.sep, "submission", "exercise.py")
_NOISY_OUTPUT = 100_000  # bytes of printing worth a note in the feedback
#: The most an exercise's cell may hold: a real one is a few hundred bytes.
MAX_SOURCE = 1 << 20
#: The most a sandbox may write into its scratch folder, all files together (each file
#: is also capped, at 16 MB, by the kernel; each file counts at least 4 kB, so at most
#: 16 384 files); checked 20 times a second.
DISK_MB = 64


@dataclass(frozen=True)
class Limits:
    # CPU seconds per exercise that the sandbox may use (the cell and the student's side of
    # the strict check), counted by the kernel (RLIMIT_CPU): a loaded machine stretches the
    # wall time of a right answer, never its CPU time, so only endless loops pay for it
    seconds: float = 30.0
    memory_mb: int = 1024
    # the wall-clock backstop, for code that waits rather than computes (a sleep, a blocked
    # read); None: backstop_seconds(seconds)
    wall_seconds: float | None = None

    @property
    def backstop(self) -> float:
        return self.wall_seconds if self.wall_seconds is not None else backstop_seconds(
            self.seconds)


def backstop_seconds(cpu_seconds: float) -> float:
    """The wall-clock limit behind a CPU limit: twice it, plus 10 s, room for a machine whose
    other work keeps the sandbox waiting for a core more than half the time."""
    return 2 * cpu_seconds + 10


@dataclass
class ExerciseResult:
    exercise: str
    points: float
    max_points: float
    # passed, failed, not written, missing, too big, timeout, memory, disk, exit, crashed;
    # "error" is the grader's own trouble (the course or the machine), never the student's
    status: str
    feedback: str  # what the student reads: the check's ✓ or ✗ line and hint
    notes: list[str] = field(default_factory=list)
    # the stable id of the mistake a failed check named (issue 19), "unnamed" when it named
    # none; None (left out of results.json) where the checks give no ids
    mistake: str | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        if data["mistake"] is None:
            del data["mistake"]
        return data


def not_graded(exercise: Exercise, status: str, message: str, hint: str | None = None,
               notes: list[str] | None = None) -> ExerciseResult:
    text = str(CheckFailed(exercise.id, message, hint))
    return ExerciseResult(exercise.id, 0.0, exercise.points, status, text, notes or [])


def grade_exercise(course: Course, exercise: Exercise, source: str, limits: Limits,
                   strict: bool = True) -> ExerciseResult:
    """Run ``source`` (the student's cell) in a fresh sandbox and check what it defines."""
    if (big := too_big(exercise, source)) is not None:
        return big
    linecache.cache[STUDENT_FILE] = (len(source), None, source.splitlines(True), STUDENT_FILE)
    try:
        server = zygote(course.preload())
        pid, sock, output = server.fork()
    except ZygoteLost as err:
        return grader_trouble(exercise, str(err))
    scratch = tempfile.mkdtemp(prefix="nn-workbook-grade-")
    drain = _Drain(output)
    disk = _DiskWatch(scratch, pid)
    result, status, peak, cpu = None, 0, 0, 0.0
    try:
        try:
            wire.send(sock, {
                "scratch": scratch, "seconds": limits.seconds, "memory_mb": limits.memory_mb,
                "cells": course.program(exercise), "student": source,
                "target": exercise.name, "student_file": STUDENT_FILE,
            }, time.monotonic() + limits.backstop)
        except wire.TimedOut as err:
            raise SandboxStopped("timeout") from err
        except OSError as err:
            raise SandboxStopped("closed", str(err)) from err
        connection = Connection(sock, side="j", guarded=True, rebuild_error=_student_error)
        connection.deadline = time.monotonic() + limits.backstop
        with graded_cell(source, (cell for cell, _ in course.program(exercise))):  # own work?
            result = _run(connection, exercise, source, limits, strict)
    except SandboxStopped as stop:
        result = stop
    except wire.ProtocolError as err:  # the course's own cells too big to send
        result = grader_trouble(exercise, str(err))
    finally:
        disk.stop()
        try:
            status, peak, cpu = server.reap(pid)
        except ZygoteLost as err:
            if not isinstance(result, ExerciseResult):
                result = grader_trouble(exercise, str(err))
        sock.close()
        drain.join()
        try:
            files = sorted(p.name for p in Path(scratch).iterdir())
        except OSError:
            files = []
        shutil.rmtree(scratch, ignore_errors=True)
    if isinstance(result, SandboxStopped):
        result = _stopped(exercise, result, limits, status, peak, cpu, disk.over)
    if drain.size > _NOISY_OUTPUT:
        result.notes.append(f"{exercise.id}: your code printed {drain.size / 1e6:.1f} MB while "
                            "being graded; printed output is ignored.")
    if files:
        shown = ", ".join(files[:5]) + (", ..." if len(files) > 5 else "")
        result.notes.append(f"{exercise.id}: your code created files ({shown}); the grader "
                            "ran it in a scratch folder and threw them away.")
    return result


def too_big(exercise: Exercise, source: str) -> ExerciseResult | None:
    """The verdict on a cell too big to send to a sandbox; None for a cell of usual size."""
    if len(source) <= MAX_SOURCE:
        return None
    return not_graded(exercise, "too big", f"your cell holds {len(source):,} characters; "
                      f"the grader reads at most {MAX_SOURCE:,}.",
                      "keep only your code in the exercise cell (no pasted data or output).")


def grader_trouble(exercise: Exercise, detail: str) -> ExerciseResult:
    """A result that is the grader's fault: no points lost for good, graded again next run."""
    return not_graded(exercise, "error", f"the grader could not grade this exercise ({detail}); "
                      "this is not your mistake.", "your instructor will grade it again.")


def _run(connection: Connection, exercise: Exercise, source: str, limits: Limits,
         strict: bool) -> ExerciseResult:
    try:
        outcome, value = connection.request("define")
    except _SetupFailed as err:  # the course's code, or the sandbox itself, failed
        return grader_trouble(exercise, str(err))
    except Exception as err:  # the student's cell raised while it was defining
        if _is_stub(err):
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
        status = "not written" if _not_written(failure, exercise) else "failed"
        mistake = None
        if status == "failed" and hasattr(failure, "mistake"):  # checks that give ids
            mistake = getattr(failure, "mistake", None) or "unnamed"
        return ExerciseResult(exercise.id, 0.0, exercise.points, status, str(failure),
                              mistake=mistake)
    except (SandboxStopped, KeyboardInterrupt):
        raise
    except Exception as err:
        if getattr(err, "from_submission", False):  # the student's object raised (a __repr__)
            line = _line(err)
            message = (f"while the check used your answer, your code raised "
                       f"{type(err).__name__}: {err}")
            if line:
                message += f"\n  Your line: `{line}`"
            return not_graded(exercise, "failed", message,
                              "make the object your function returns behave like the "
                              "exercise asks (its methods must not raise).")
        # the check met something it does not expect across processes
        return grader_trouble(exercise, f"{type(err).__name__}: {err}")
    verdict = printed.getvalue().strip() or f"✓ {exercise.id} looks right."
    return ExerciseResult(exercise.id, exercise.points, exercise.points, "passed", verdict)


def _stopped(exercise: Exercise, stop: SandboxStopped, limits: Limits, status: int,
             peak: int, cpu: float, disk_full: bool) -> ExerciseResult:
    """The feedback for a sandbox that stopped answering, from why it stopped.

    ``cpu``: the CPU seconds the sandbox used. The kernel stops it at the CPU limit
    (SIGXCPU, or SIGKILL a second later); the judge's wall-clock backstop stops code that
    waits, and the feedback says which of the two it met.
    """
    code = os.waitstatus_to_exitcode(status) if status else 0
    if disk_full:
        return not_graded(exercise, "disk", f"your code wrote more than {DISK_MB} MB of files.",
                          "an exercise only defines its function: it needs no files.")
    # the kernel's RLIMIT_CPU counts whole seconds: its soft limit is ceil(seconds)
    out_of_cpu = code == -signal.SIGXCPU or (code == -signal.SIGKILL
                                             and cpu >= math.ceil(limits.seconds))
    if out_of_cpu or (stop.kind == "timeout" and cpu >= limits.seconds):
        return not_graded(exercise, "timeout",
                          f"your code did not finish within {limits.seconds:g} s of CPU time.",
                          "look for a loop that never ends, or far more work than the "
                          "exercise needs.")
    if stop.kind == "timeout" and cpu < 0.1 * limits.backstop:
        return not_graded(exercise, "timeout",
                          f"your code did not finish within {limits.backstop:g} s "
                          f"(wall clock), having used {cpu:.1f} s of CPU time: it was "
                          "waiting, not computing.",
                          "look for time.sleep, input() or anything else that waits: an "
                          "exercise only computes.")
    if stop.kind == "timeout":  # computing, on a machine too busy to give it a core
        return grader_trouble(exercise, f"the machine was too busy: after {limits.backstop:g} s "
                              f"(wall clock) your code had had only {cpu:.1f} s of the "
                              f"{limits.seconds:g} s of CPU time it may use")
    # a SIGKILL is the kernel's out-of-memory killer only when the memory use was near the cap
    oom = code == -signal.SIGKILL and peak > 0.75 * (limits.memory_mb << 20)
    if stop.kind == "memory" or (stop.kind == "closed" and oom):
        return not_graded(exercise, "memory",
                          f"your code needed more than {limits.memory_mb} MB of memory.",
                          "look for an array far bigger than the exercise needs, or a list "
                          "that grows without end.")
    if stop.kind == "exit":
        return not_graded(exercise, "exit", "your code called sys.exit() (or exit()), which "
                          "stops the whole notebook.", "return a value instead of exiting.")
    if stop.kind == "closed":
        if code >= 0:
            how = f"with exit code {code}"
        else:
            try:
                how = f"by signal {signal.Signals(-code).name}"
            except ValueError:
                how = f"by signal {-code}"
        return not_graded(exercise, "crashed", f"the process running your code ended {how} "
                          "before the check finished.",
                          "an exercise only defines its function: remove any os._exit(), "
                          "os.kill() or code that ends the process.")
    return not_graded(exercise, "crashed", f"your code broke the grader's connection "
                      f"({stop.detail}).", "an exercise only defines its function; it must "
                      "not touch the process's files or sockets.")


def _is_stub(err: BaseException) -> bool:
    """The student's cell still raises the notebook's stub (``NotImplementedError``)."""
    return is_stub_error(err)


def _not_written(failure: CheckFailed, exercise: Exercise) -> bool:
    """The check's verdict is "not written yet", by its type where the checks give one."""
    typed = getattr(_checks, "NotWrittenYet", None)
    if isinstance(typed, type) and issubclass(typed, CheckFailed):
        return isinstance(failure, typed)
    return failure.message == not_written_message(
        NotImplementedError(f"exercise: {exercise.id}"))[0]


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
    name, message = name[:100], message[:4000]  # what the feedback can show
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
        cls = type(label, (base,), {"__str__": lambda self: message, "__module__": "builtins",
                                    "from_submission": True})
        err = cls.__new__(cls)
    except TypeError:
        cls = type(label, (Exception,), {"__str__": lambda self: message,
                                         "from_submission": True})
        err = cls.__new__(cls)
    err.args = (message,)
    if type(lineno) is int and 0 < lineno <= _source_lines():
        tree = ast.increment_lineno(ast.parse("raise __error__"), lineno - 1)
        try:
            exec(compile(tree, STUDENT_FILE, "exec"), {"__error__": err})
        except Exception as raised:  # now with a traceback that ends at the student's line
            return raised
    return err


def _source_lines() -> int:
    """How many lines the student's cell being graded has (a line past them is a lie)."""
    entry = linecache.cache.get(STUDENT_FILE)
    return len(entry[2]) if entry else 0


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


class _DiskWatch(threading.Thread):
    """Kills the sandbox ``pid`` when its scratch folder holds more than DISK_MB."""

    def __init__(self, folder: str, pid: int):
        super().__init__(daemon=True)
        self.folder, self.pid, self.over = folder, pid, False
        self._done = threading.Event()
        self.start()

    def run(self) -> None:
        while not self._done.wait(0.05):
            if _disk_usage(self.folder) > DISK_MB << 20:
                self.over = True
                with contextlib.suppress(OSError):
                    os.kill(self.pid, signal.SIGKILL)  # not reaped yet: the pid is still its
                return

    def stop(self) -> None:
        self._done.set()
        self.join(30)


def _disk_usage(folder: str) -> int:
    """Bytes of disk the files under ``folder`` take (a sparse file counts what it uses)."""
    total, stack = 0, [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            # an empty file costs a block too: a million of them fill a disk's inodes
            total += max(getattr(info, "st_blocks", 0) * 512 or info.st_size, 4096)
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
    return total
