"""Limits for the process that runs a submission: time, memory, files, new processes.

- **Every POSIX system:** CPU time (``RLIMIT_CPU``, a backstop behind the judge's wall-clock
  deadline), file size (``RLIMIT_FSIZE``), no core dumps, no new processes
  (``RLIMIT_NPROC``; not enforced for root).
- **Linux:** memory (``RLIMIT_AS``: the fork server's own footprint plus the limit), and,
  where the kernel has Landlock (5.13 and later, on by default in most distributions), the
  filesystem: the process may read only the Python installation and the ``helpers``
  package, write only its scratch folder, run no program, and open no network connection
  (kernel 6.7 and later). Outside it, ``PermissionError``.
- **macOS:** ``RLIMIT_AS`` is not enforced and there is no Landlock: memory bombs are
  stopped by the time limit at best, and the code can read what your user can read.
"""

from __future__ import annotations

import ctypes
import math
import os
import resource
import struct
import sys
import sysconfig
from pathlib import Path

__all__ = ["apply", "landlock_abi"]

_LANDLOCK_CREATE_RULESET, _LANDLOCK_ADD_RULE, _LANDLOCK_RESTRICT_SELF = 444, 445, 446
_PR_SET_NO_NEW_PRIVS = 38
_READ_FILE, _READ_DIR = 1 << 2, 1 << 3
_FILE_RIGHTS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 14) | (1 << 15)  # those a file can hold
_FILE_SIZE_MB = 16


def apply(seconds: float, memory_mb: int, writable: str) -> None:
    """Confine this process (the sandbox child, before it runs any submitted code)."""
    limits = [
        (resource.RLIMIT_CPU, math.ceil(seconds) + 1),
        (resource.RLIMIT_FSIZE, _FILE_SIZE_MB << 20),
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_NPROC, 0),
    ]
    if sys.platform.startswith("linux"):
        limits.append((resource.RLIMIT_AS, _address_space() + (memory_mb << 20)))
    for which, value in limits:
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):  # not supported here, or above the hard limit
            continue
    if sys.platform.startswith("linux"):
        _landlock(_readable(), writable)


def _address_space() -> int:
    """This process's current virtual memory size, in bytes (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _readable() -> list[str]:
    """The Python installation, the package, and the system's shared libraries."""
    import helpers

    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(helpers.__file__).parent)}
    paths.update(sysconfig.get_paths().values())
    if "matplotlib" in sys.modules:
        matplotlib = sys.modules["matplotlib"]
        paths.update({matplotlib.get_cachedir(), matplotlib.get_data_path()})
    paths.update({"/usr", "/lib", "/lib64", "/dev/null", "/dev/urandom"})
    return sorted(p for p in paths if p and os.path.exists(p))


def _syscall():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, or 0 where there is none."""
    if not sys.platform.startswith("linux"):
        return 0
    try:
        abi = _syscall().syscall(_LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0),
                                 ctypes.c_uint32(1))
    except (OSError, AttributeError):
        return 0
    return max(int(abi), 0)


def _landlock(readable: list[str], writable: str) -> bool:
    """Allow reading ``readable`` and everything in ``writable``; deny the rest of the disk."""
    abi = landlock_abi()
    if abi < 1:
        return False
    libc = _syscall()
    handled = (1 << 13) - 1  # ABI 1: execute, read, write, make and remove files
    handled |= (1 << 13) if abi >= 2 else 0  # refer (links and renames across folders)
    handled |= (1 << 14) if abi >= 3 else 0  # truncate
    handled |= (1 << 15) if abi >= 5 else 0  # ioctl on devices
    if abi >= 4:  # and TCP: no bind, no connect
        attr = struct.pack("=QQ", handled, (1 << 0) | (1 << 1))
    else:
        attr = struct.pack("=Q", handled)
    ruleset = libc.syscall(_LANDLOCK_CREATE_RULESET, ctypes.c_char_p(attr),
                           ctypes.c_size_t(len(attr)), ctypes.c_uint32(0))
    if ruleset < 0:
        return False
    try:
        rules = [(p, _READ_FILE | _READ_DIR) for p in readable] + [(writable, handled)]
        for path, access in rules:
            fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            if not os.path.isdir(path):
                access &= _FILE_RIGHTS
            rule = struct.pack("=Qi", access & handled, fd)
            libc.syscall(_LANDLOCK_ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(1),
                         ctypes.c_char_p(rule), ctypes.c_uint32(0))
            os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.syscall(_LANDLOCK_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) == 0
    finally:
        os.close(ruleset)
