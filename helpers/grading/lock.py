"""One grading run at a time per output folder.

Two runs writing the same results.json would each overwrite the other's students. So a run
holds an exclusive ``flock`` on ``<out>/<notebook>/.lock`` while it writes; a second run
is refused at once, with the first one's process id. The kernel drops the lock when the
process that holds it ends, however it ends (a kill, a crash, a batch system's time limit):
a killed run never leaves the folder locked.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

__all__ = ["LOCK_NAME", "FolderBusy", "hold"]

LOCK_NAME = ".lock"
_HELD: set[Path] = set()  # the folders this process holds: grade_class inside the cli's hold


class FolderBusy(RuntimeError):
    """Another run is writing into the same output folder."""


@contextlib.contextmanager
def hold(folder: Path) -> Iterator[None]:
    """Hold ``folder``'s lock for the ``with`` block, or raise :class:`FolderBusy` at once."""
    folder = Path(folder).resolve()
    if folder in _HELD:  # already ours, further up this process's stack
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:
            import fcntl
        except ImportError:  # Windows: the grader runs on Linux and macOS only
            fcntl = None
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                raise FolderBusy(
                    f"another grading run (process {holder}) is writing into {folder} right "
                    "now; wait until it ends (it continues from where it stopped if it is "
                    "killed), or choose another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _HELD.add(folder)
        try:
            yield
        finally:
            _HELD.discard(folder)
    finally:
        os.close(fd)  # releases the lock
