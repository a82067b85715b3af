"""The grader against a hostile class: no one submission stops, freezes or fools the run.

One class is graded once (on two worker processes, as an instructor would): every hostile
submission below, and an honest bystander, "right", who must get full marks. Each hostile
case is the fixture course of tests/test_grading.py with its `sigmoid` cell (or the whole
file) replaced; the expected scores are those of affine, sigmoid and neuron.
"""

import json
import os
import signal
import socket
import stat
import threading
import time
from pathlib import Path

import pytest
from test_grading import RIGHT, course_notebook, exercise_cells, right_but, student_notebook

from helpers import authoring
from helpers.grading import cli, confine, judge, sandbox
from helpers.grading.batch import feedback_name, grade_class
from helpers.grading.judge import Limits

ROOT = Path(__file__).resolve().parents[1]
LIMITS = Limits(seconds=10, memory_mb=300)  # generous: no case here loops, and CI is busy
SECCOMP = confine.seccomp_supported()
LANDLOCK = confine.landlock_abi()
DENIED = "PermissionError"  # what a confined submission meets when it reaches outside


def sigmoid_then(attack: str) -> dict:
    """A right sigmoid cell that first runs ``attack`` (so only sigmoid can lose its point)."""
    return right_but(attack + "\n" + RIGHT["sigmoid"])


def with_exercise_source(source) -> dict:
    nb = student_notebook(**RIGHT)
    nb["cells"][exercise_cells(nb, "sigmoid")[0]]["source"] = source
    return nb


def workbook_metadata_a_string() -> dict:
    nb = student_notebook(**RIGHT)
    nb["metadata"]["workbook"] = "01_neuron"
    return nb


def _text(nb: dict) -> str:
    return authoring.dumps(nb)


# What every signal the sandbox may try to send outside itself must meet.
SIGNALS = {
    "kill_parent": "import os\nos.kill(os.getppid(), 9)",
    "killpg_parent": "import os\nos.killpg(os.getpgid(os.getppid()), 9)",
    "stop_parent": "import os, signal\nos.kill(os.getppid(), signal.SIGSTOP)",
    "kill_everyone": "import os\nos.kill(-1, 9)",
    "kill_grader": "import os\nos.kill(HOSTILE_GRADER_PID, 9)",
}
NETWORK = {
    "udp": "import socket\nsocket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto("
           "b'leak', ('127.0.0.1', HOSTILE_UDP_PORT))",
    "tcp": "import socket\nsocket.create_connection(('127.0.0.1', HOSTILE_TCP_PORT))"
           ".sendall(b'leak')",
    "unix_path": "import socket\ns = socket.socket(socket.AF_UNIX)\n"
                 "s.connect(HOSTILE_UNIX_PATH)\ns.sendall(b'leak')",
    "unix_abstract": "import socket\ns = socket.socket(socket.AF_UNIX)\n"
                     "s.connect(HOSTILE_ABSTRACT)\ns.sendall(b'leak')",
}
METADATA = {
    "chmod": "import os\nos.chmod(HOSTILE_VICTIM, 0o777)",
    "utime": "import os\nos.utime(HOSTILE_VICTIM, (0, 0))",
    "setxattr": "import os\nos.setxattr(HOSTILE_VICTIM, 'user.leak', b'x')",
    "chown": "import os\nos.chown(HOSTILE_VICTIM, 1234, 1234)",
    "chmod_out": "import os\nos.chmod(HOSTILE_OUT, 0o777)",
}

# student -> (notebook, or raw bytes, or a callable making the file; scores; fragments)
CLASS: dict = {
    "right": (student_notebook(**RIGHT), (1, 1, 1), ["✓ sigmoid looks right."]),
    # signals to the grader and its fork server: refused, the cell's own error
    **{name: (sigmoid_then(code), (1, 0, 1), ["running your cell raised", DENIED])
       for name, code in SIGNALS.items()},
    # every kind of socket: refused
    **{name: (sigmoid_then(code), (1, 0, 1), ["running your cell raised", DENIED])
       for name, code in NETWORK.items()},
    # permissions, times, attributes, owners of files outside the scratch folder: refused
    **{name: (sigmoid_then(code), (1, 0, 1), ["running your cell raised", DENIED])
       for name, code in METADATA.items()},
    # a process that would outlive the grader: none can start
    "setsid_fork": (sigmoid_then("import os, time\nif os.fork() == 0:\n    os.setsid()\n"
                                 "    time.sleep(120)"), (1, 0, 1), ["running your cell raised"]),
    # honest reasons
    "kill_self": (right_but("import os\ndef sigmoid(z):\n    os.kill(os.getpid(), 9)"),
                  (1, 0, 1), ["ended by signal SIGKILL"]),
    "bad_repr": (right_but("class Answer:\n    def __repr__(self):\n        raise ValueError("
                           "'my repr')\n    def __array__(self, *a, **k):\n"
                           "        raise ValueError('my array')\n"
                           "def sigmoid(z):\n    return Answer()"), (1, 0, 1),
                 ["ValueError: my"]),
    "disk": (sigmoid_then("for i in range(8):\n    with open(f'f{i}', 'wb') as f:\n"
                          "        f.write(b'x' * (15 << 20))"), (1, 0, 1),
             [f"wrote more than {judge.DISK_MB} MB of files"]),
    # an object the judge lends is read-only for the submission
    "writes_lent": (student_notebook(**{**RIGHT, "neuron": "def neuron(x, w, b, activation):\n"
                                        "    activation.scale = 0\n"
                                        "    return activation(affine(x, w, b))"}),
                    (1, 1, 0), ["read-only"]),
    # malformed notebooks of every kind
    "deep_json": (b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", (0, 0, 0),
                  ["could not be read"]),
    "huge_int": (b'{"cells": [], "x": ' + b"7" * 5000 + b"}", (0, 0, 0),
                 ["could not be read"]),
    "workbook_string": (workbook_metadata_a_string(), (1, 1, 1),
                        ["metadata has `workbook` as text", "the rest of your notebook"]),
    "source_numbers": (with_exercise_source([1, 2, 3]), (0, 0, 0), ["could not be read"]),
    "huge_cell": (with_exercise_source("x = '" + "a" * (65 << 20) + "'"), (1, 0, 1),
                  ["the grader reads at most"]),
    "fifo": ("fifo", (0, 0, 0), ["not a regular file"]),
    "linked_file": ("link", (0, 0, 0), ["symbolic link"]),
    "linked_folder": ("folder link", (0, 0, 0), ["symbolic link"]),
    # names: a formula, a clash, dots only, longer than a file name may be
    "=1+1": (student_notebook(**RIGHT), (1, 1, 1), []),
    "@SUM(A1)": (student_notebook(**RIGHT), (1, 1, 1), []),
    "Alice Smith": (student_notebook(**RIGHT), (1, 1, 1), []),
    "Alice_Smith": (student_notebook(), (0, 0, 0), []),
    "alice_smith": (right_but("def sigmoid(z):\n    return z"), (1, 0, 1), []),
    "...": (student_notebook(**RIGHT), (1, 1, 1), []),
    "....": (student_notebook(), (0, 0, 0), []),
    "x" * 255: (student_notebook(**RIGHT), (1, 1, 1), []),
}
if not SECCOMP:  # the README's table: without seccomp these are not refused
    for name in [*SIGNALS, *NETWORK, *METADATA, "setsid_fork"]:
        CLASS.pop(name)


class Listeners:
    """Sockets on this machine that a leaking submission could reach."""

    def __init__(self, folder: Path):
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.unix = socket.socket(socket.AF_UNIX)
        self.unix_path = str(folder / "listen.sock")
        self.unix.bind(self.unix_path)
        self.unix.listen()
        self.abstract = socket.socket(socket.AF_UNIX)
        self.abstract_name = f"\0nn-workbook-test-{os.getpid()}"
        self.abstract.bind(self.abstract_name)
        self.abstract.listen()
        for s in (self.udp, self.tcp, self.unix, self.abstract):
            s.setblocking(False)

    def names(self) -> dict[str, str]:
        return {"HOSTILE_UDP_PORT": str(self.udp.getsockname()[1]),
                "HOSTILE_TCP_PORT": str(self.tcp.getsockname()[1]),
                "HOSTILE_UNIX_PATH": repr(self.unix_path),
                "HOSTILE_ABSTRACT": repr(self.abstract_name)}

    def heard(self) -> list[str]:
        heard = []
        try:
            self.udp.recvfrom(100)
            heard.append("udp")
        except BlockingIOError:
            pass
        for name, s in (("tcp", self.tcp), ("unix", self.unix), ("abstract", self.abstract)):
            try:
                s.accept()
                heard.append(name)
            except BlockingIOError:
                pass
        return heard


def _escaped(wait: float = 5.0) -> list[int]:
    """Confined processes still alive: a submission's process left behind.

    Every sandbox child sets no-new-privileges before it confines itself, and no fork
    server does, so a fork server that outlives its worker for a moment (it exits when it
    sees its socket closed) is not taken for an escapee; a real one sleeps on.
    """
    deadline = time.monotonic() + wait
    while True:
        found = []
        for pid, _ in _sandbox_processes():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            if "NoNewPrivs:\t1" in status and "State:\tZ" not in status:
                found.append(pid)
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def _sandbox_processes() -> list[tuple[int, int]]:
    """(pid, parent pid) of this worktree's sandbox processes still running."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
            environ = Path(f"/proc/{entry}/environ").read_bytes()
            ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"helpers.grading.sandbox" in cmdline and f"PYTHONPATH={ROOT}".encode() in environ:
            found.append((int(entry), ppid))
    return found


def _metadata(path: Path, times: bool = True) -> tuple:
    info = path.stat()
    xattrs = os.listxattr(path) if hasattr(os, "listxattr") else []
    when = info.st_mtime_ns if times else None  # the grader itself writes into --out
    return info.st_mode, when, info.st_uid, info.st_gid, sorted(xattrs)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The hostile class graded once: (results, output folder, listeners' news, checks)."""
    base = tmp_path_factory.mktemp("hostile")
    solutions, submissions, out = base / "solutions", base / "class", base / "grades"
    solutions.mkdir()
    submissions.mkdir()
    out.mkdir()
    (solutions / "01_neuron.ipynb").write_text(authoring.dumps(course_notebook()))
    listeners = Listeners(base)
    victim = submissions / "right" / "01_neuron.ipynb"
    names = {**listeners.names(), "HOSTILE_VICTIM": repr(str(victim)),
             "HOSTILE_OUT": repr(str(out)), "HOSTILE_GRADER_PID": str(os.getpid())}
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "01_neuron.ipynb").write_text(_text(student_notebook(**RIGHT)))
    for student, (nb, _, _) in CLASS.items():
        folder = submissions / student
        path = folder / "01_neuron.ipynb"
        if nb == "folder link":
            folder.symlink_to(elsewhere, target_is_directory=True)
            continue
        folder.mkdir()
        if nb == "fifo":
            os.mkfifo(path)
        elif nb == "link":
            path.symlink_to(elsewhere / "01_neuron.ipynb")
        elif isinstance(nb, dict):
            text = _text(nb)
            for name, value in names.items():
                text = text.replace(name, value.replace("\\", "\\\\").replace('"', '\\"'))
            path.write_text(text, encoding="utf-8")
        else:
            path.write_bytes(nb)
    before = _metadata(victim), _metadata(out, times=False)
    old_umask = os.umask(0o022)
    try:
        code = cli.main([str(submissions), "--out", str(out), "--notebook", "01_neuron",
                         "--solutions", str(solutions), "--jobs", "2",
                         "--timeout", str(LIMITS.seconds), "--memory", str(LIMITS.memory_mb)])
    finally:
        os.umask(old_umask)
    assert code == 0, "the class run did not finish"
    results = json.loads((out / "01_neuron" / "results.json").read_text(encoding="utf-8"))
    time.sleep(1)  # the pool's fork servers see their worker gone and exit
    checks = {
        "heard": listeners.heard(),
        "metadata_changed": before != (_metadata(victim), _metadata(out, times=False)),
        "escaped": _escaped(),
    }
    return results, out / "01_neuron", checks


@pytest.mark.parametrize("student", list(CLASS))
def test_each_hostile_submission_gets_its_score_and_an_honest_reason(hostile, student):
    results, out, _ = hostile
    _, scores, fragments = CLASS[student]
    entry = results["students"][student]
    got = tuple(entry["exercises"][e]["points"] for e in RIGHT)
    assert got == scores, json.dumps(entry, indent=1, ensure_ascii=False)[:3000]
    feedback = (out / "feedback" / feedback_name(student)).read_text(encoding="utf-8")
    assert feedback.startswith(f"Feedback for {student}: 01_neuron")
    flowing = " ".join(feedback.split())
    for fragment in fragments:
        assert " ".join(fragment.split()) in flowing, feedback[:3000]
    assert "tell your instructor" not in feedback and "Traceback" not in feedback
    assert "needed more than" not in feedback or student == "memory"


def test_the_bystander_gets_full_marks_and_the_run_writes_a_gradebook(hostile):
    results, out, _ = hostile
    assert results["students"]["right"]["score"] == 3
    rows = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(CLASS)
    assert "right,1,1,1,3,3,graded,right.txt" in rows


def test_nothing_leaves_the_sandbox(hostile):
    _, _, checks = hostile
    if not SECCOMP:
        pytest.skip("no seccomp here: see the README's confinement table")
    assert checks["heard"] == [], "a submission reached a socket on this machine"
    assert not checks["metadata_changed"], "a submission changed files outside its folder"


def test_no_process_started_by_a_submission_outlives_the_run(hostile):
    _, _, checks = hostile
    assert checks["escaped"] == []


def test_feedback_files_are_distinct_short_and_listed_in_the_gradebook(hostile):
    results, out, _ = hostile
    files = {feedback_name(s) for s in CLASS}
    assert len(files) == len(CLASS)
    assert len({f.lower() for f in files}) == len(CLASS)  # a disk that ignores case, too
    assert all(len(f.encode()) <= 100 for f in files)
    assert sorted(p.name for p in (out / "feedback").iterdir()) == sorted(files)
    rows = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    assert any(r.endswith("," + feedback_name("Alice Smith")) for r in rows)


def test_a_student_name_is_never_a_spreadsheet_formula(hostile):
    _, out, _ = hostile
    rows = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    starts = {r.split(",")[0] for r in rows}
    assert "'=1+1" in starts and "'@SUM(A1)" in starts
    assert not any(s[:1] in "=+-@" for s in starts)


def test_the_outputs_follow_the_umask(hostile):
    _, out, _ = hostile
    for path in (out / "gradebook.csv", out / "results.json", out / "feedback" / "right.txt"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_results_json_names_the_files_sha256(hostile, tmp_path):
    results, out, _ = hostile
    import hashlib

    entry = results["students"]["right"]
    assert entry["sha256"] == hashlib.sha256(Path(entry["file"]).read_bytes()).hexdigest()


# -- the run survives a stop half-way, and continues ---------------------------------------
def test_a_stopped_run_leaves_its_results_and_a_rerun_continues(tmp_path):
    solutions, folder, out = tmp_path / "solutions", tmp_path / "class", tmp_path / "grades"
    solutions.mkdir()
    (solutions / "01_neuron.ipynb").write_text(authoring.dumps(course_notebook()))
    for student in ("ann", "bob", "cid"):
        (folder / student).mkdir(parents=True)
        (folder / student / "01_neuron.ipynb").write_text(_text(student_notebook(**RIGHT)))

    def stop_after_the_first(line: str) -> None:
        if line.startswith("  ann:"):
            raise KeyboardInterrupt  # Ctrl-C, as the first student is written

    with pytest.raises(KeyboardInterrupt):
        grade_class([folder], out, solutions=solutions, jobs=1, limits=LIMITS,
                    log=stop_after_the_first)
    rows = (out / "01_neuron" / "gradebook.csv").read_text().splitlines()
    assert rows[1:] == ["ann,1,1,1,3,3,graded,ann.txt"]
    assert (out / "01_neuron" / "feedback" / "ann.txt").exists()
    messages = []
    again = grade_class([folder], out, solutions=solutions, jobs=1, limits=LIMITS,
                        log=messages.append)
    assert "3 students: 2 to grade, 1 unchanged since the last run." in messages
    assert [again["students"][s]["score"] for s in ("ann", "bob", "cid")] == [3, 3, 3]


def test_an_unreadable_results_file_is_kept_aside_and_the_run_goes_on(tmp_path):
    solutions, folder, out = tmp_path / "solutions", tmp_path / "class", tmp_path / "grades"
    solutions.mkdir()
    (solutions / "01_neuron.ipynb").write_text(authoring.dumps(course_notebook()))
    folder.mkdir()
    (folder / "ann.ipynb").write_text(_text(student_notebook(**RIGHT)))
    (out / "01_neuron").mkdir(parents=True)
    (out / "01_neuron" / "results.json").write_text("{not json")
    results = grade_class([folder], out, solutions=solutions, jobs=1, limits=LIMITS,
                          log=lambda _: None)
    assert results["students"]["ann"]["score"] == 3
    assert list((out / "01_neuron").glob("results.unreadable-*.json"))


# -- the judge survives a dead or stopped fork server ---------------------------------------
@pytest.mark.parametrize("how", ["kill", "stop"])
def test_the_judge_survives_a_dead_or_stopped_fork_server(tmp_path, monkeypatch, how):
    from helpers.course import load_course

    path = tmp_path / "01_neuron.ipynb"
    path.write_text(authoring.dumps(course_notebook()))
    course = load_course(path)
    exercise = course.exercise("sigmoid")
    monkeypatch.setattr(sandbox, "ANSWER_SECONDS", 3.0)
    server = sandbox.zygote(course.preload())
    # (the search for left-over sandboxes in the other tests does see a fork server)
    assert server.process.pid in [pid for pid, _ in _sandbox_processes()]
    slow = ("import time\ndef sigmoid(z):\n    time.sleep(0.3)\n"
            "    return 0.5 * (1 + np.tanh(z / 2))")

    def strike() -> None:
        time.sleep(0.5)
        os.kill(server.process.pid, signal.SIGKILL if how == "kill" else signal.SIGSTOP)

    attacker = threading.Thread(target=strike)
    attacker.start()
    started = time.monotonic()
    result = judge.grade_exercise(course, exercise, slow, Limits(seconds=6))
    attacker.join()
    assert time.monotonic() - started < 30
    # a right answer: the verdict if the check finished, else the grader's trouble, never a 0
    # that is the student's
    if how == "kill":
        assert result.status == "error" and "not your mistake" in result.feedback, result
    else:
        assert result.status in ("passed", "error"), result
    assert not server.alive()
    again = judge.grade_exercise(course, exercise, RIGHT["sigmoid"], Limits(seconds=6))
    assert again.status == "passed", again


def test_a_dead_worker_is_replaced_and_no_result_is_lost(monkeypatch):
    from helpers.grading import pool

    started = []
    real_init = pool._Worker.__init__

    def dying(self):  # a worker that dies before it answers, every time
        real_init(self)
        started.append(self.process.pid)
        self.process.kill()

    monkeypatch.setattr(pool._Worker, "__init__", dying)
    monkeypatch.setattr(pool, "_task_failed", lambda task, why: {"exercise": task[3],
                                                                 "why": why})
    tasks = [("ann", "c", "d", "sigmoid", "src"), ("bob", "c", "d", "affine", "src")]
    got = list(pool.run_tasks(tasks, LIMITS, jobs=2))
    # two workers, then one more for each task run again (once each)
    assert len(started) == 2 + 2
    assert sorted(s for s, _ in got) == ["ann", "bob"]
    assert all(r["why"] == "its worker process died" for _, r in got)


def _small_class(tmp_path: Path, students: list[str],
                 slow: tuple[str, ...] = ()) -> tuple[Path, Path, Path]:
    """Right submissions of a 3-exercise course; the ``slow`` students' affine cell waits 2 s
    (wall clock, no CPU), so a run over them lasts long enough to be stopped midway."""
    solutions, folder, out = tmp_path / "solutions", tmp_path / "class", tmp_path / "grades"
    solutions.mkdir()
    (solutions / "01_neuron.ipynb").write_text(authoring.dumps(course_notebook()))
    waiting = dict(RIGHT, affine="import time\ntime.sleep(2)\n" + RIGHT["affine"])
    for student in students:
        (folder / student).mkdir(parents=True)
        answers = waiting if student in slow else RIGHT
        (folder / student / "01_neuron.ipynb").write_text(_text(student_notebook(**answers)))
    return solutions, folder, out


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_the_command_stopped_mid_run_keeps_what_it_graded(tmp_path, how):
    """Ctrl-C (or a kill) of the whole command: the students done so far are on disk, no
    sandbox is left running, and the same command continues where it stopped."""
    import subprocess
    import sys

    # all but the first wait 2 s in one cell: the stop lands while some are still being graded
    students = [f"s{i}" for i in range(6)]
    solutions, folder, out = _small_class(tmp_path, students, slow=tuple(students[1:]))
    command = [sys.executable, "-m", "helpers.grading", str(folder), "--out", str(out),
               "--solutions", str(solutions), "--jobs", "2", "--timeout", "10"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    gradebook = out / "01_neuron" / "gradebook.csv"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not (
            gradebook.exists() and len(gradebook.read_text().splitlines()) >= 2):
        time.sleep(0.1)
    os.killpg(process.pid, how)  # the whole process group, as a terminal's Ctrl-C does
    output, _ = process.communicate(timeout=60)
    assert process.returncode == (130 if how == signal.SIGINT else -signal.SIGKILL), output
    done = len(gradebook.read_text().splitlines()) - 1
    assert 1 <= done < 6, output  # stopped midway: at least one student left to grade
    if how == signal.SIGINT:
        assert "run the same command again" in output and "Traceback" not in output
    time.sleep(1)
    assert _escaped() == []
    rerun = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"6 students: {6 - done} to grade, {done} unchanged" in rerun.stdout
    assert len(gradebook.read_text().splitlines()) == 7


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="root only")
def test_as_root_the_sandbox_keeps_no_privilege(tmp_path):
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            uid = confine.drop_privileges(str(tmp_path))
            status = Path("/proc/self/status").read_text().splitlines()
            caps = [line.split()[1] for line in status if line.startswith(("CapEff", "CapPrm",
                                                                          "CapBnd"))]
            os.write(write_end, json.dumps([uid, os.getuid(), caps]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        uid, real_uid, caps = json.loads(pipe.read())
    os.waitpid(pid, 0)
    assert uid == real_uid
    # either another user, or root with every capability gone for good
    assert uid != 0 or caps == ["0" * 16] * 3, caps


def test_names_that_are_not_utf8_are_graded_under_a_printable_name(tmp_path):
    solutions, folder, out = _small_class(tmp_path, [])
    for raw in (b"caf\xe9", b"caf\xe8"):  # Latin-1 names from an old archive
        student = folder / os.fsdecode(raw)
        student.mkdir(parents=True)
        (student / "01_neuron.ipynb").write_text(_text(student_notebook(**RIGHT)))
    results = grade_class([folder], out, solutions=solutions, jobs=1, limits=LIMITS,
                          log=lambda _: None)
    assert sorted(results["students"]) == ["caf\\xe8", "caf\\xe9"]
    assert all(e["score"] == 3 for e in results["students"].values())
    rows = (out / "01_neuron" / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 3


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="root only")
def test_as_root_a_sandbox_of_its_own_uid_touches_nothing_of_roots_and_is_swept(
        tmp_path, monkeypatch):
    """The other root path (Python readable by every user): the sandbox becomes a user of
    its own; it cannot signal or chmod what is root's, and whatever it started, in any
    session, dies with the sweep of its uid."""
    monkeypatch.setattr(confine, "switches_uid", lambda: True)
    victim = tmp_path / "victim.txt"
    victim.write_text("x")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            uid = confine.drop_privileges(str(scratch))
            report = {"uid": uid, "real": os.getuid()}
            for name, attempt in (("signal", lambda: os.kill(os.getppid(), 0)),
                                  ("chmod", lambda: os.chmod(victim, 0o777))):
                try:
                    attempt()
                    report[name] = "allowed"
                except PermissionError:
                    report[name] = "refused"
            escapee = os.fork()
            if escapee == 0:
                os.close(write_end)  # the test reads the pipe to its end
                os.setsid()
                time.sleep(60)
                os._exit(0)
            report["escapee"] = escapee
            os.write(write_end, json.dumps(report).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        report = json.loads(pipe.read())
    os.waitpid(pid, 0)
    assert report["uid"] == report["real"] == confine.sandbox_uid(pid)
    assert report["signal"] == report["chmod"] == "refused"
    assert stat.S_IMODE(victim.stat().st_mode) != 0o777
    escapee = report["escapee"]
    assert Path(f"/proc/{escapee}").exists()
    sandbox._kill_uid(report["uid"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(escapee):
        time.sleep(0.05)
    assert not _alive(escapee)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
