"""The worker processes that grade a class's exercises, and that end with the grader.

Each worker is ``python -m helpers.grading.pool SOCKET GRADER_PID``: it reads a task on its
socket, grades it (:func:`helpers.grading.judge.grade_exercise`, which starts the fork
server and the sandboxes) and answers with the result, until the socket closes.

A grader killed without warning (SIGKILL from the out-of-memory killer or a batch system's
time limit) runs no cleanup, so each worker watches for its death itself, twice:

- on Linux the kernel sends it SIGKILL when the grader dies (``PR_SET_PDEATHSIG``);
- on any system a thread reads its stdin, a pipe whose write end only the grader holds:
  the end of that pipe is the grader's death, and the worker exits at once.

A worker's fork server and sandboxes end with it the same way (:mod:`.sandbox`).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter, deque
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from helpers import course as courses

from . import confine, wire
from .judge import Limits, grade_exercise, grader_trouble

__all__ = ["run_tasks", "worker_main"]

_PACKAGE_ROOT = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=8)
def _course(path: str, digest: str) -> courses.Course:
    course = courses.load_course(Path(path))
    if course.digest != digest:
        raise RuntimeError(f"{path} changed while grading")
    return course


def _grade_task(course_path: str, digest: str, exercise_id: str, source: str,
                limits: Limits) -> dict:
    """One exercise of one submission; never raises."""
    try:
        course = _course(course_path, digest)
        exercise = course.exercise(exercise_id)
    except Exception as err:
        return _task_failed((None, course_path, digest, exercise_id, None), str(err))
    try:
        return grade_exercise(course, exercise, source, limits).to_dict()
    except Exception as err:  # the grader's own bug: reported, never a lost run
        return grader_trouble(exercise, f"{type(err).__name__}: {err}").to_dict()


def _task_failed(task: tuple, why: str) -> dict:
    _, course_path, digest, exercise_id, _ = task
    try:
        points = _course(course_path, digest).exercise(exercise_id).points
    except Exception:
        points = 0.0
    return grader_trouble(courses.Exercise(exercise_id, exercise_id, points, -1), why).to_dict()


def run_tasks(tasks: list, limits: Limits, jobs: int | None) -> Iterator[tuple[str, dict]]:
    """Yield (student, result) as the tasks finish, on ``jobs`` worker processes.

    A task is (student, course path, course digest, exercise id, source). A worker that
    dies is replaced; its task runs again once, and a task that kills two workers is
    reported as the grader's trouble.
    """
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(tasks) <= 1:
        for task in tasks:
            yield task[0], _grade_task(*task[1:], limits)
        return
    pending, tries = deque(range(len(tasks))), Counter()
    selector = selectors.DefaultSelector()
    workers = [_Worker() for _ in range(min(jobs, len(tasks)))]
    try:
        for worker in workers:
            worker.give(pending, tasks, limits)
            selector.register(worker.sock, selectors.EVENT_READ, worker)
        while any(w.task is not None for w in workers):
            for key, _ in selector.select():
                worker, i = key.data, key.data.task
                try:
                    result = wire.recv(worker.sock)
                    if i is None:
                        raise wire.ProtocolError("an answer nobody asked for")
                except (wire.Closed, wire.ProtocolError, OSError):  # the worker died
                    selector.unregister(worker.sock)
                    worker.stop()
                    workers.remove(worker)
                    if i is not None:
                        tries[i] += 1
                        if tries[i] < 2:
                            pending.appendleft(i)
                        else:
                            yield tasks[i][0], _task_failed(tasks[i], "its worker process died")
                    if pending:  # a new worker for the tasks left
                        worker = _Worker()
                        workers.append(worker)
                        selector.register(worker.sock, selectors.EVENT_READ, worker)
                else:
                    yield tasks[i][0], result
                worker.task = None
                worker.give(pending, tasks, limits)
    finally:
        for worker in workers:
            worker.stop()
        selector.close()


class _Worker:
    """The grader's end of one worker process."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        lifeline, self._lifeline = os.pipe()  # the grader holds the write end, only it
        try:
            # run from the package's folder: `-m` then imports this very package, whatever
            # folder the grader was started in
            self.process = subprocess.Popen(
                [sys.executable, "-m", "helpers.grading.pool", str(theirs.fileno()),
                 str(os.getpid())],
                pass_fds=[theirs.fileno()], stdin=lifeline, cwd=_PACKAGE_ROOT,
            )
        finally:
            os.close(lifeline)
            theirs.close()
        self.sock = ours
        self.task: int | None = None

    def give(self, pending: deque, tasks: list, limits: Limits) -> None:
        if not pending:
            return
        self.task = pending.popleft()
        _, course_path, digest, exercise_id, source = tasks[self.task]
        try:  # builtin values only: the worker's reader refuses anything else
            wire.send(self.sock, (str(Path(course_path).resolve()), digest, exercise_id, source,
                                  limits.seconds, limits.memory_mb))
        except OSError:
            pass  # it died: the select sees its socket close, and the task is retried

    def stop(self) -> None:
        """An idle worker ends as a program does (its fork server waited for, so its CPU
        time is counted); a busy one (the run was interrupted) ends at once."""
        self.sock.close()
        if self.task is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
        if self._lifeline is not None:
            os.close(self._lifeline)  # it exits at once, even in the middle of a task
            self._lifeline = None
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _die_with(grader: int) -> None:
    """End this process when the grader ends, however it ends (see the module docstring)."""
    confine.die_with_parent()
    if os.getppid() != grader:  # it died before that took hold
        os._exit(1)

    def watch() -> None:
        try:
            while os.read(0, 1 << 10):
                pass
        finally:
            os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def worker_main(sock: socket.socket, grader: int) -> None:
    # Ctrl-C reaches the whole process group: the grader stops the workers itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with(grader)
    while True:
        try:
            course_path, digest, exercise_id, source, seconds, memory_mb = wire.recv(sock)
        except (wire.Closed, OSError):
            return
        result = _grade_task(course_path, digest, exercise_id, source,
                             Limits(seconds, memory_mb))
        try:
            wire.send(sock, result)
        except OSError:
            return


if __name__ == "__main__":
    worker_main(socket.socket(fileno=int(sys.argv[1])), int(sys.argv[2]))
