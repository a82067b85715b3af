"""Limits for the process that runs a submission: time, memory, files, new processes.

- **Every POSIX system:** CPU time (``RLIMIT_CPU``: the exercise's time limit; the judge's
  wall-clock deadline is only a backstop, for code that waits), file size
  (``RLIMIT_FSIZE``), no core dumps, no new processes (``RLIMIT_NPROC``; not enforced
  for root).
- **As root (any POSIX system):** the process first becomes a user of its own (a uid no
  account uses, different for each sandbox), so it holds no privilege, cannot signal,
  trace, chmod or chown the grader's processes and files, and ``RLIMIT_NPROC`` applies;
  where that user could not read the Python installation (under ``/root``, say), it stays
  uid 0 with every capability dropped for good (Linux).
- **Everywhere:** the judge kills it when its scratch folder holds more than 64 MB.
- **Linux:** memory (``RLIMIT_AS``: the fork server's own footprint plus the limit); a
  seccomp filter (x86-64 and arm64, every kernel since 3.5): no socket of any kind (TCP,
  UDP, unix, abstract, netlink), no new process (threads only), no program, no signal to
  any process but itself, no tracing, no io_uring, no namespaces or mounts, no change of
  permissions, owners, times or extended attributes of any file (``PermissionError``); it
  dies with its fork server; and, where the
  kernel has Landlock (5.13 and later, on by default in most distributions), the
  filesystem: the process may read only the Python installation and the ``helpers``
  package, write only its scratch folder, and run no program; from kernel 6.7 no TCP
  bind or connect, from 6.12 no signal and no abstract unix socket outside the sandbox.
- **macOS:** ``RLIMIT_AS`` is not enforced and there is neither seccomp nor Landlock:
  memory bombs are stopped by the time limit at best, and the code can read, connect and
  signal what your user can (unless the grader runs as root: see above).
"""

from __future__ import annotations

import ctypes
import functools
import math
import os
import resource
import struct
import sys
import sysconfig
from pathlib import Path

__all__ = ["apply", "drop_privileges", "landlock_abi", "sandbox_env", "sandbox_uid",
           "seccomp_supported", "switches_uid"]

_LANDLOCK_CREATE_RULESET, _LANDLOCK_ADD_RULE, _LANDLOCK_RESTRICT_SELF = 444, 445, 446
_PR_SET_NO_NEW_PRIVS = 38
_READ_FILE, _READ_DIR = 1 << 2, 1 << 3
_FILE_RIGHTS = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 14) | (1 << 15)  # those a file can hold
_FILE_SIZE_MB = 16


def apply(seconds: float, memory_mb: int, writable: str) -> None:
    """Confine this process (the sandbox child, before it runs any submitted code)."""
    cpu = max(math.ceil(seconds), 1)
    limits = [
        # SIGXCPU at ``seconds`` of CPU time, SIGKILL a second later (a process that
        # catches SIGXCPU): at equal limits Linux would send the SIGKILL alone, which
        # the judge could not tell from any other kill
        (resource.RLIMIT_CPU, cpu, cpu + 1),
        (resource.RLIMIT_FSIZE, _FILE_SIZE_MB << 20, _FILE_SIZE_MB << 20),
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_NPROC, 0, 0),
    ]
    if sys.platform.startswith("linux"):
        memory = _address_space() + (memory_mb << 20)
        limits.append((resource.RLIMIT_AS, memory, memory))
    for which, soft, hard in limits:
        try:
            resource.setrlimit(which, (soft, hard))
        except (ValueError, OSError):  # not supported here, or above the hard limit
            continue
    if sys.platform.startswith("linux"):
        _seccomp()  # first: Landlock hides /proc, and its own calls pass the filter
        _landlock(_readable(), writable)


#: Sandboxes of a root grader run as uid SANDBOX_UID_BASE + their pid: no two running
#: sandboxes share a uid (a pid is at most 2**22), and no account has one so high.
SANDBOX_UID_BASE = 1_700_000_000
_PR_SET_PDEATHSIG = 1


def sandbox_uid(pid: int) -> int:
    return SANDBOX_UID_BASE + pid


def drop_privileges(scratch: str) -> int | None:
    """As root, give up root's power; the uid the sandbox then runs as (None if not root).

    Where every user may read the Python installation and the package, the process becomes
    a user of this sandbox's own (the scratch folder is given to it). Where they may not
    (Python installed under ``/root``, say), it stays uid 0 but drops every capability, for
    good: then only the file modes stand between it and root's files, and the seccomp
    filter and Landlock below do the rest.
    """
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    if switches_uid():
        uid = sandbox_uid(os.getpid())
        os.chown(scratch, uid, uid)
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        return uid
    if sys.platform.startswith("linux"):
        _drop_capabilities()
    return 0


@functools.lru_cache(maxsize=1)
def switches_uid() -> bool:
    """Whether a sandbox of a root grader becomes a user of its own (see drop_privileges)."""
    return os.geteuid() == 0 and all(_others_may_read(path) for path in _readable())


def _others_may_read(path: str) -> bool:
    """Whether a user with no special rights may reach and read ``path``."""
    import stat

    target = Path(path).resolve()
    for folder in [*reversed(target.parents), target]:
        try:
            mode = folder.stat().st_mode
        except OSError:
            return False
        if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH:
            return False
    return bool(target.stat().st_mode & stat.S_IROTH)


_PR_CAPBSET_DROP, _PR_SET_SECUREBITS = 24, 28
_SECUREBITS_LOCKED_NOROOT = 0x3F  # noroot, no-setuid-fixup, keep-caps off: each locked


def _drop_capabilities() -> None:
    """Linux: an empty capability set, which no later execve or setuid can refill."""
    libc = _syscall()
    for cap in range(64):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break  # past the kernel's last capability
    libc.prctl(_PR_SET_SECUREBITS, _SECUREBITS_LOCKED_NOROOT, 0, 0, 0)
    header = struct.pack("=Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = bytes(24)  # effective, permitted, inheritable: all empty, twice (64 bits)
    if libc.capset(ctypes.c_char_p(header), ctypes.c_char_p(data)) != 0:
        raise OSError(ctypes.get_errno(), "could not drop the sandbox's capabilities")


def die_with_parent() -> None:
    """Linux: the kernel kills this process when its parent (the fork server) dies."""
    if sys.platform.startswith("linux"):
        _syscall().prctl(_PR_SET_PDEATHSIG, 9, 0, 0, 0)  # SIGKILL


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
    if abi >= 6:  # and no signal, no abstract unix socket, outside this sandbox
        attr = struct.pack("=QQQ", handled, (1 << 0) | (1 << 1), (1 << 0) | (1 << 1))
    elif abi >= 4:  # and TCP: no bind, no connect
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


# -- seccomp --------------------------------------------------------------------------------
# A classic-BPF program over struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6]}.
_SECCOMP_RET_ALLOW, _SECCOMP_RET_KILL = 0x7FFF0000, 0x80000000
_SECCOMP_RET_ERRNO = 0x00050000
_EPERM, _ENOSYS = 1, 38
_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 22, 2
_CLONE_THREAD = 0x00010000
_LD_W_ABS, _JEQ, _JGE, _JSET, _RET = 0x20, 0x15, 0x35, 0x45, 0x06

# Per architecture: (audit arch, denied outright, clone, clone3, signal calls whose first
# argument must be this process: kill, tkill, tgkill, rt_sigqueueinfo, rt_tgsigqueueinfo).
_SYSCALLS = {
    "x86_64": (0xC000003E, {
        "socket": 41, "fork": 57, "vfork": 58, "ptrace": 101, "process_vm_readv": 310,
        "process_vm_writev": 311, "pidfd_open": 434, "pidfd_send_signal": 424,
        "pidfd_getfd": 438, "chmod": 90, "fchmod": 91, "fchmodat": 268, "fchmodat2": 452,
        "chown": 92, "fchown": 93, "lchown": 94, "fchownat": 260, "utime": 132, "utimes": 235,
        "futimesat": 261, "utimensat": 280, "setxattr": 188, "lsetxattr": 189,
        "fsetxattr": 190, "removexattr": 197, "lremovexattr": 198, "fremovexattr": 199,
        "setxattrat": 463, "removexattrat": 466, "io_uring_setup": 425,
        "io_uring_enter": 426, "io_uring_register": 427, "unshare": 272, "setns": 308,
        "mount": 165, "umount2": 166, "execve": 59, "execveat": 322,
    }, 56, 435, (62, 200, 234, 129, 297)),
    "aarch64": (0xC00000B7, {
        "socket": 198, "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271,
        "pidfd_open": 434, "pidfd_send_signal": 424, "pidfd_getfd": 438, "fchmod": 52,
        "fchmodat": 53, "fchmodat2": 452, "fchown": 55, "fchownat": 54, "utimensat": 88,
        "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7, "removexattr": 14,
        "lremovexattr": 15, "fremovexattr": 16, "setxattrat": 463, "removexattrat": 466,
        "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "unshare": 97, "setns": 268, "mount": 40, "umount2": 39, "execve": 221,
        "execveat": 281,
    }, 220, 435, (129, 130, 131, 138, 240)),
}


def seccomp_supported() -> bool:
    """Linux on x86-64 or arm64, with a kernel that filters system calls."""
    import platform

    if not (sys.platform.startswith("linux") and platform.machine() in _SYSCALLS):
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return any(line.startswith("Seccomp:") for line in status)
    except OSError:
        return False


def _seccomp_program(pid: int) -> list[tuple[int, int, int, int]]:
    import platform

    arch, denied, clone, clone3, signals = _SYSCALLS[platform.machine()]
    deny = (_RET, 0, 0, _SECCOMP_RET_ERRNO | _EPERM)
    allow = (_RET, 0, 0, _SECCOMP_RET_ALLOW)
    # a signal call: allowed only towards this process (pid, 0 = its group, -pid)
    signal_check = [
        (_LD_W_ABS, 0, 0, 16),  # args[0], low half: a pid_t
        (_JEQ, 3, 0, pid),
        (_JEQ, 2, 0, 0),
        (_JEQ, 1, 0, (-pid) & 0xFFFFFFFF),
        deny,
        allow,
    ]
    clone_check = [
        (_LD_W_ABS, 0, 0, 16),  # clone's flags: a thread shares the process, a fork does not
        (_JSET, 1, 0, _CLONE_THREAD),
        deny,
        allow,
    ]
    # layout: header, one test per syscall, then allow, deny, ENOSYS and the two checks;
    # every jump goes forward by a distance known when the test is written
    body: list[tuple[int, int, int, int]] = []
    blocks = [clone_check, signal_check]
    tests: list[tuple[int, int]] = []  # (syscall number, which block; -1 deny, -2 ENOSYS)
    tests += [(nr, -1) for nr in sorted(set(denied.values()))]
    tests += [(clone3, -2), (clone, 0)]
    tests += [(nr, 1) for nr in signals]
    after_tests = [allow, deny, (_RET, 0, 0, _SECCOMP_RET_ERRNO | _ENOSYS)]
    offsets = {-1: 1, -2: 2}
    position = len(after_tests)
    for index, block in enumerate(blocks):
        offsets[index] = position
        position += len(block)
    for i, (nr, target) in enumerate(tests):
        remaining = len(tests) - i - 1  # tests after this one
        body.append((_JEQ, remaining + offsets[target], 0, nr))
    header = [
        (_LD_W_ABS, 0, 0, 4),  # arch
        (_JEQ, 1, 0, arch),
        (_RET, 0, 0, _SECCOMP_RET_KILL),
        (_LD_W_ABS, 0, 0, 0),  # nr
    ]
    if platform.machine() == "x86_64":  # the x32 numbers are another way in: refuse them all
        header += [(_JGE, 0, 1, 0x40000000), deny]
    program = header + body + after_tests + clone_check + signal_check
    if any(jt > 255 or jf > 255 for _, jt, jf, _ in program):
        raise ValueError("seccomp program jumps too far")
    return program


def _seccomp() -> bool:
    """Install the filter described in the module docstring (Linux on x86-64 and arm64)."""
    import platform

    if platform.machine() not in _SYSCALLS:
        return False

    class Filter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                    ("k", ctypes.c_uint32)]

    class Program(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(Filter))]

    instructions = _seccomp_program(os.getpid())
    array = (Filter * len(instructions))(*(Filter(*i) for i in instructions))
    program = Program(len(instructions), array)
    libc = _syscall()
    libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(program), 0, 0) != 0:
        # the README promises this filter here: grading unconfined would break the promise
        raise OSError(ctypes.get_errno(), "the kernel refused the sandbox's seccomp filter")
    return True


def sandbox_env() -> dict[str, str]:
    """The environment the fork server (and so every sandbox) starts with: no variable of the
    grader's beyond the locale, PATH and HOME; this package first on the path; one BLAS thread.

    The preflight probes the sandbox's Python with the same environment.
    """
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "HOME")}
    env.update(
        PYTHONPATH=str(Path(__file__).resolve().parents[2]), PYTHONDONTWRITEBYTECODE="1",
        MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
    )
    return env
