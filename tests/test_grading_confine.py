"""Each layer of the sandbox's confinement on its own, as the README's table lists them.

The hostile class (tests/test_grading_hostile.py) meets every layer at once; here a forked
child applies one layer and tries what it must refuse, so that each column of the table
("older Linux": the seccomp filter without Landlock) is shown true by a test.
"""

import json
import os
import signal
import socket
from pathlib import Path

import pytest

from helpers.grading import confine

SECCOMP = confine.seccomp_supported()


def attempts(victim: Path) -> dict:
    """What a submission may try outside its sandbox, each a function of no argument."""
    return {
        "signal the parent": lambda: os.kill(os.getppid(), signal.SIGCONT),
        "signal every process": lambda: os.kill(-1, 0),
        "signal the parent's group": lambda: os.killpg(os.getpgid(os.getppid()), 0),
        "a UDP socket": lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
        "a TCP socket": lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
        "a unix socket": lambda: socket.socket(socket.AF_UNIX),
        "a netlink socket": lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW),
        "chmod": lambda: os.chmod(victim, 0o777),
        "utime": lambda: os.utime(victim, (0, 0)),
        "chown": lambda: os.chown(victim, os.getuid(), os.getgid()),
        "setxattr": lambda: os.setxattr(victim, "user.x", b"1"),
        "fork": lambda: os.fork(),
        "run a program": lambda: os.execv("/bin/true", ["/bin/true"]),
    }


def in_a_child(layer, victim: Path) -> dict[str, str]:
    """Apply ``layer`` in a forked child, try every attempt there; what each met."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            layer()
            met = {}
            for name, attempt in attempts(victim).items():
                try:
                    result = attempt()
                    if name == "fork" and result == 0:
                        os._exit(0)
                    met[name] = "allowed"
                except PermissionError:
                    met[name] = "refused"
                except OSError as err:
                    met[name] = f"{type(err).__name__}"
            os.write(write_end, json.dumps(met).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        met = json.loads(pipe.read() or "{}")
    os.waitpid(pid, 0)
    return met


@pytest.mark.skipif(not SECCOMP, reason="no seccomp here (see the README's table)")
def test_the_seccomp_filter_alone_refuses_every_reach_outside(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("x")
    met = in_a_child(confine._seccomp, victim)
    assert met == {name: "refused" for name in attempts(victim)}, met
    assert victim.stat().st_mode & 0o777 != 0o777


@pytest.mark.skipif(not SECCOMP, reason="no seccomp here")
def test_the_seccomp_filter_lets_a_process_signal_itself_and_start_threads(tmp_path):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            import threading

            confine._seccomp()
            os.kill(os.getpid(), 0)
            signal.raise_signal(signal.SIGCONT)
            ran = []
            thread = threading.Thread(target=lambda: ran.append(1))
            thread.start()
            thread.join()
            os.write(write_end, json.dumps(ran).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        assert json.loads(pipe.read() or "[]") == [1]
    os.waitpid(pid, 0)


@pytest.mark.skipif(confine.landlock_abi() < 6, reason="Landlock scoping needs kernel 6.12")
def test_landlock_alone_scopes_signals_and_tcp_to_the_sandbox(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("x")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    met = in_a_child(lambda: confine._landlock(confine._readable(), str(scratch)), victim)
    assert met["signal the parent"] == "refused"
    assert met["run a program"] == "refused"


def test_the_seccomp_program_jumps_land_inside_it():
    if not SECCOMP:
        pytest.skip("no seccomp here")
    program = confine._seccomp_program(os.getpid())
    for index, (code, jt, jf, _) in enumerate(program):
        if code & 0x07 == 0x05:  # a jump
            assert index + 1 + max(jt, jf) < len(program)
    assert program[-1][0] == 0x06  # ends in a return
