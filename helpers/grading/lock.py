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
    """Hold ``folder``'s lock for the ``with`` block, or raise :class:`FolderBusy` at once.

    A run that ends having written nothing (the environment check refused it) leaves
    nothing behind either: the lock file, and the folders made for it, are removed.
    """
    folder = Path(folder).resolve()
    if folder in _HELD:  # already ours, further up this process's stack
        yield
        return
    made = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    fd = _locked(folder / LOCK_NAME)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _HELD.add(folder)
        try:
            yield
        finally:
            _HELD.discard(folder)
            if [p.name for p in folder.iterdir()] == [LOCK_NAME]:
                (folder / LOCK_NAME).unlink()
                for path in made:  # deepest first; a folder another run filled stays
                    with contextlib.suppress(OSError):
                        path.rmdir()
    finally:
        os.close(fd)  # releases the lock


def _locked(path: Path) -> int:
    """An open descriptor of ``path``, exclusively locked (a lock file removed by the run
    that held it, as above, is made again)."""
    try:
        import fcntl
    except ImportError:  # Windows: the grader runs on Linux and macOS only
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise FolderBusy(
                f"another grading run (process {holder}) is writing into {path.parent} right "
                "now; wait until it ends (it continues from where it stopped if it is "
                "killed), or choose another --out") from None
        try:
            if os.fstat(fd).st_ino == os.stat(path).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)  # locked a file its holder had just removed: lock the new one
