"""The grader at scale: shards and their merge, a killed run, resume, one run per folder,
and notebooks Jupyter opens with metadata the grader cannot read.

The promises: shard + merge = one run; a SIGKILL leaves no process behind; a run killed at
any point and run again = one run; a second run into the same folder is refused at once.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_grading import RIGHT, course_notebook, exercise_cells, right_but, student_notebook

from helpers import authoring
from helpers.grading import batch, cli, lock
from helpers.grading.batch import grade_class, in_shard
from helpers.grading.judge import Limits

ROOT = Path(__file__).resolve().parents[1]
LIMITS = Limits(seconds=10, memory_mb=300)
#: A small class with every kind of score: right, wrong, empty, unreadable.
CLASS = {
    "ann": student_notebook(**RIGHT),
    "Bob Smith": right_but("def sigmoid(z):\n    return 1 / (1 + np.exp(z))"),
    "chen": student_notebook(),
    "dana": student_notebook(**RIGHT),
    "émile": right_but("def sigmoid(z):\n    return z"),
    "fay": b'{"cells": [',
    "gus": student_notebook(**RIGHT),
    "hana": student_notebook(affine=RIGHT["affine"]),
}


def _write_class(base: Path, students: dict = CLASS) -> tuple[Path, Path]:
    solutions, folder = base / "solutions", base / "class"
    solutions.mkdir(parents=True, exist_ok=True)
    (solutions / "01_neuron.ipynb").write_text(authoring.dumps(course_notebook()))
    for student, nb in students.items():
        path = folder / student / "01_neuron.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(nb, bytes):
            path.write_bytes(nb)
        else:
            path.write_text(authoring.dumps(nb), encoding="utf-8")
    return solutions, folder


def _command(folder: Path, out: Path, solutions: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "helpers.grading", str(folder), "--out", str(out),
            "--solutions", str(solutions), "--notebook", "01_neuron", "--timeout", "10",
            "--memory", "300", "-q", *extra]


def _outputs(out: Path) -> dict:
    """What a run wrote, times left out: the gradebook, results, feedback and report."""
    folder = out / "01_neuron"
    results = json.loads((folder / "results.json").read_text())
    for entry in results["students"].values():
        entry.pop("graded_at")
    return {
        "gradebook": (folder / "gradebook.csv").read_text(),
        "results": results,
        "feedback": {p.name: p.read_text() for p in (folder / "feedback").iterdir()},
        "report": (folder / "report.md").read_text(),
        "canvas": (folder / "canvas.csv").read_text() if (folder / "canvas.csv").exists()
        else None,
    }


@pytest.fixture(scope="module")
def single(tmp_path_factory):
    """The class graded by one uninterrupted run: (solutions, class folder, its outputs)."""
    base = tmp_path_factory.mktemp("single")
    solutions, folder = _write_class(base)
    grade_class([folder], base / "grades", notebook="01_neuron", solutions=solutions, jobs=2,
                limits=LIMITS, log=lambda _: None, report={"export": ("canvas",)})
    return solutions, folder, _outputs(base / "grades")


# -- shards and the merge -------------------------------------------------------------------
def test_a_students_shard_depends_on_the_name_alone():
    names = [f"student{i}" for i in range(200)]
    parts = {name: [k for k in (1, 2, 3) if in_shard(name, (k, 3))] for name in names}
    assert all(len(found) == 1 for found in parts.values())  # each in exactly one part
    assert all(40 < sum(p == [k] for p in parts.values()) for k in (1, 2, 3))  # balanced
    # the name alone decides (so a late submission moves no one else), the same on every
    # machine and Python: a job array's parts must agree
    assert [k for k in (1, 2, 3) if in_shard("ann", (k, 3))] == [3]


def test_shards_run_as_separate_processes_merge_into_the_single_run(single, tmp_path):
    """The recipe of every engine (a Slurm array, a Kubernetes Indexed Job, a GitHub
    Actions matrix): one process per part, each into its own folder, then one merge."""
    solutions, folder, expected = single
    parts = [tmp_path / f"part{k}" for k in (1, 2, 3)]
    running = [subprocess.Popen(_command(folder, part, solutions, "--shard", f"{k}/3",
                                         "--jobs", "1"), cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
               for k, part in enumerate(parts, start=1)]
    for process in running:
        output, _ = process.communicate(timeout=600)
        assert process.returncode == 0, output
    graded = [set(json.loads((p / "01_neuron" / "results.json").read_text())["students"])
              for p in parts]
    assert sorted(s for part in graded for s in part) == sorted(CLASS)  # each once
    assert all(graded), "a part of this class is empty: the test would prove less"
    out = tmp_path / "merged"
    assert cli.main(["--merge", *map(str, parts), "--out", str(out), "--solutions",
                     str(solutions), "--export", "canvas"]) == 0
    assert _outputs(out) == expected


def test_a_merge_with_a_part_missing_or_given_twice_is_refused(single, tmp_path, capsys):
    solutions, folder, _ = single
    parts = []
    for k in (1, 2):
        grade_class([folder], tmp_path / f"p{k}", notebook="01_neuron", solutions=solutions,
                    jobs=1, limits=LIMITS, log=lambda _: None, shard=(k, 3))
        parts.append(str(tmp_path / f"p{k}"))
    for given, why in ((parts, "missing shard 3/3"), ([parts[0], parts[0]], "given twice")):
        assert cli.main(["--merge", *given, "--out", str(tmp_path / "m"),
                         "--solutions", str(solutions)]) == 2
        assert why in capsys.readouterr().err
    assert not (tmp_path / "m" / "01_neuron" / "results.json").exists()


# -- no process outlives the grader ---------------------------------------------------------
def _descendants(root: int) -> dict[tuple[int, str], bytes]:
    """(pid, start time) -> command line of every process below ``root``."""
    children: dict[int, list[int]] = {}
    started: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
            started[int(entry)] = fields[19]
    found, todo = {}, [root]
    while todo:
        for child in children.get(todo.pop(), []):
            try:
                found[child, started[child]] = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                found[child, started[child]] = b""
            todo.append(child)
    return found


def _alive(pid: int, started: str) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[19] == started and fields[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_grader_killed_with_sigkill_leaves_no_process_behind(tmp_path):
    # every exercise sleeps: when the grader dies, each worker is in the middle of a task
    # that would keep it busy for the whole --timeout
    sleepy = {name: "import time\ntime.sleep(60)\n" + source for name, source in RIGHT.items()}
    solutions, folder = _write_class(tmp_path, {"ann": student_notebook(**sleepy),
                                                "bob": student_notebook(**sleepy)})
    command = _command(folder, tmp_path / "grades", solutions, "--jobs", "2")
    command[command.index("--timeout") + 1] = "60"
    grader = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    seen: dict[tuple[int, str], bytes] = {}
    deadline, busy = time.monotonic() + 300, None
    while time.monotonic() < deadline and grader.poll() is None:
        seen |= _descendants(grader.pid)
        commands = b"\n".join(seen.values())
        if busy is None and commands.count(b"helpers.grading.pool") == 2:
            busy = time.monotonic()
        if busy is not None and time.monotonic() > busy + 3:
            break  # the two workers, their fork servers and the sleeping sandboxes
        time.sleep(0.05)
    assert grader.poll() is None, "the run ended before the test could kill it"
    seen |= _descendants(grader.pid)
    commands = b"\n".join(seen.values())
    assert commands.count(b"helpers.grading.pool") == 2, commands  # the two workers
    # their fork servers and the sandboxes they forked (and the environment check's own)
    assert commands.count(b"helpers.grading.sandbox") >= 4, commands
    grader.kill()  # SIGKILL to the grader alone, as the OOM killer or a time limit sends it
    grader.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(*p) for p in seen):
        time.sleep(0.1)
    assert [seen[p] for p in seen if _alive(*p)] == []


# -- resume ---------------------------------------------------------------------------------
class _Killed(BaseException):
    """Stands for a SIGKILL between two file writes (each write itself is atomic)."""


@pytest.mark.parametrize("writes", [1, 2, 3, 5, 8, 13, 20])
def test_a_run_killed_after_any_write_and_run_again_equals_one_run(single, tmp_path,
                                                                   monkeypatch, writes):
    solutions, folder, expected = single
    real, count = batch.write_atomic, [0]

    def killed_after(path, text):
        count[0] += 1
        if count[0] > writes:
            raise _Killed
        real(path, text)

    out = tmp_path / "grades"
    monkeypatch.setattr(batch, "write_atomic", killed_after)
    with pytest.raises(_Killed):
        grade_class([folder], out, notebook="01_neuron", solutions=solutions, jobs=1,
                    limits=LIMITS, log=lambda _: None, report={"export": ("canvas",)})
    monkeypatch.setattr(batch, "write_atomic", real)
    results = out / "01_neuron" / "results.json"
    saved = set(json.loads(results.read_text())["students"]) if results.exists() else set()
    lines: list[str] = []
    grade_class([folder], out, notebook="01_neuron", solutions=solutions, jobs=1,
                limits=LIMITS, log=lines.append, report={"export": ("canvas",)})
    # nothing graded twice: the rerun grades exactly the students not saved
    assert (f"{len(CLASS)} students: {len(CLASS) - len(saved)} to grade, {len(saved)} "
            "unchanged") in lines[0]
    assert _outputs(out) == expected


# -- one run per output folder --------------------------------------------------------------
def test_a_second_run_into_the_same_folder_is_refused_at_once(single, tmp_path):
    solutions, folder, _ = single
    out = tmp_path / "grades"
    with lock.hold(out / "01_neuron"):  # the first run, still writing
        started = time.monotonic()
        second = subprocess.run(_command(folder, out, solutions), cwd=ROOT,
                                capture_output=True, text=True, timeout=600)
        took = time.monotonic() - started
    assert second.returncode == 2
    assert f"another grading run (process {os.getpid()}) is writing into" in second.stderr
    assert not (out / "01_neuron" / "results.json").exists()
    # at once: before the environment check, which alone takes seconds
    assert "Environment check" not in second.stdout and took < 60


def test_a_killed_run_leaves_no_lock_behind(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom helpers.grading import lock\n"
         f"with lock.hold({str(tmp_path)!r}):\n    print('held', flush=True)\n"
         "    time.sleep(600)"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(lock.FolderBusy), lock.hold(tmp_path):
        pass
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with lock.hold(tmp_path):  # the kernel released it with the process
        assert (tmp_path / lock.LOCK_NAME).exists()


# -- the environment check, remembered ------------------------------------------------------
def test_the_environment_check_is_not_repeated_while_nothing_changed(tmp_path):
    # from another folder, with relative paths, on two workers: as an instructor runs it
    _write_class(tmp_path, {"ann": student_notebook(**RIGHT)})
    command = _command(Path("class"), Path("grades"), Path("solutions"), "--jobs", "2")
    first = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    assert "Environment check: passed on an earlier run" not in first.stdout
    results = json.loads((tmp_path / "grades" / "01_neuron" / "results.json").read_text())
    assert results["students"]["ann"]["score"] == 3
    again = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert "Environment check: passed on an earlier run" in again.stdout
    # a changed limit (or Python, a package, the helpers' source, the course) checks again
    command[command.index("--timeout") + 1] = "9"
    changed = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True,
                             timeout=600)
    assert changed.returncode == 0, changed.stderr
    assert "Environment check: passed on an earlier run" not in changed.stdout


def test_the_fingerprint_follows_what_the_check_depends_on(tmp_path):
    from helpers.grading import preflight

    course = tmp_path / "01_neuron.ipynb"
    course.write_text(authoring.dumps(course_notebook()))
    key = preflight.fingerprint(course, LIMITS)
    assert preflight.fingerprint(course, LIMITS) == key
    assert preflight.fingerprint(course, Limits(seconds=11, memory_mb=300)) != key
    course.write_text(authoring.dumps(course_notebook()) + "\n")
    assert preflight.fingerprint(course, LIMITS) != key


# -- metadata Jupyter keeps and the grader cannot read --------------------------------------
def _with_cell_metadata(key: str, value) -> tuple[dict, int]:
    """The right notebook with sigmoid's cell's metadata ``key`` set; that cell's number."""
    nb = student_notebook(**RIGHT)
    index = exercise_cells(nb, "sigmoid")[0]
    nb["cells"][index]["metadata"][key] = value
    return nb, index + 1


@pytest.mark.parametrize("key, value, kind", [("workbook", 5, "a number"),
                                              ("nbgrader", "solution", "text"),
                                              ("nbgrader", {"grade_id": 3}, "an object")])
def test_a_cell_with_unreadable_metadata_is_ignored_and_the_rest_graded(tmp_path, key, value,
                                                                        kind):
    import nbformat

    nb, cell = _with_cell_metadata(key, value)
    nbformat.validate(nbformat.reads(json.dumps(nb), 4))  # Jupyter opens it
    solutions, folder = _write_class(tmp_path, {"ann": nb})
    results = grade_class([folder], tmp_path / "grades", notebook="01_neuron",
                          solutions=solutions, jobs=1, limits=LIMITS, log=lambda _: None)
    entry = results["students"]["ann"]
    assert entry["status"] == "graded" and entry["score"] == 3, entry
    feedback = (tmp_path / "grades" / "01_neuron" / "feedback" / "ann.txt").read_text()
    assert f"cell {cell}'s metadata has `{key}` as {kind}" in feedback
    assert "the rest of your notebook was graded" in feedback


# -- the recipes in docs/, run on one machine -----------------------------------------------
_RECORDER = """#!/bin/sh
# stands for the grader: records its arguments and makes the folder --out names
echo "$@" >> "$RECORD"
while [ $# -gt 0 ]; do
    if [ "$1" = "--out" ]; then mkdir -p "$2"; fi
    shift
done
"""


def _run_recipe(command: str, env: dict, tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir(exist_ok=True)
    (tools / "nn-workbook-grade").write_text(_RECORDER)
    (tools / "nn-workbook-grade").chmod(0o755)
    env = {**os.environ, **env, "RECORD": str(tmp_path / "calls"),
           "PATH": f"{tools}:{os.environ['PATH']}"}
    subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, check=True, timeout=60)


def _assert_parts_then_merge(tmp_path: Path, total: int, downloaded: str = "") -> None:
    """Every part 1..total graded once, each into its own folder; the merge joins them all
    (``downloaded``: where the merge finds part k, when it is not where it was written)."""
    calls = [line.split() for line in (tmp_path / "calls").read_text().splitlines()]
    *grading, merge = calls
    shards = sorted(call[call.index("--shard") + 1].strip('"') for call in grading)
    assert shards == sorted(f"{k}/{total}" for k in range(1, total + 1))
    outs = [call[call.index("--out") + 1].strip('"') for call in grading]
    assert len(set(outs)) == total
    if downloaded:
        outs = [f"{downloaded}{k}" for k in range(1, total + 1)]
    assert merge[0] == "--merge" and sorted(merge[1:merge.index("--out")]) == sorted(outs)


def test_the_slurm_recipe_grades_every_part_once_then_merges(tmp_path):
    script = (ROOT / "docs" / "grade-shards.slurm").read_text()
    array = next(line for line in script.splitlines() if line.startswith("#SBATCH --array="))
    first, last = map(int, array.split("=")[1].split("-"))
    for task in range(first, last + 1):
        _run_recipe(script, {"SLURM_SUBMIT_DIR": str(tmp_path), "SLURM_CPUS_PER_TASK": "2",
                             "SLURM_ARRAY_TASK_ID": str(task),
                             "SLURM_ARRAY_TASK_COUNT": str(last - first + 1)}, tmp_path)
    _run_recipe((ROOT / "docs" / "merge-shards.slurm").read_text(),
                {"SLURM_SUBMIT_DIR": str(tmp_path)}, tmp_path)
    _assert_parts_then_merge(tmp_path, last - first + 1)


def test_the_kubernetes_recipe_grades_every_part_once_then_merges(tmp_path):
    yaml = pytest.importorskip("yaml")
    job = yaml.safe_load((ROOT / "docs" / "grade-shards-k8s.yaml").read_text())
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    command = spec["template"]["spec"]["containers"][0]["command"]
    assert command[:2] == ["sh", "-c"]
    for index in range(spec["completions"]):  # Kubernetes numbers the pods from 0
        _run_recipe(command[2], {"JOB_COMPLETION_INDEX": str(index)}, tmp_path)
    merge = yaml.safe_load((ROOT / "docs" / "merge-shards-k8s.yaml").read_text())
    _run_recipe(merge["spec"]["containers"][0]["command"][2], {}, tmp_path)
    _assert_parts_then_merge(tmp_path, spec["completions"])


def test_the_github_actions_recipe_grades_every_part_once_then_merges(tmp_path):
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((ROOT / "docs" / "grade-shards.yml").read_text())
    grade, merge = workflow["jobs"]["grade"], workflow["jobs"]["merge"]
    assert merge["needs"] == "grade"
    shards = grade["strategy"]["matrix"]["shard"]
    step = next(s["run"] for s in grade["steps"] if "--shard" in s.get("run", ""))
    for shard in shards:  # what Actions substitutes in each matrix job
        _run_recipe(step.replace("${{ matrix.shard }}", str(shard))
                    .replace("${{ strategy.job-total }}", str(len(shards)))
                    .replace("${{ inputs.notebook }}", "04_mlp"), {}, tmp_path)
    upload = next(s for s in grade["steps"] if "upload-artifact" in s.get("uses", ""))
    download = next(s for s in merge["steps"] if "download-artifact" in s.get("uses", ""))
    # each part uploaded as part-<k>; the merge job downloads them into parts/part-<k>/
    assert upload["with"]["path"] == "parts/${{ matrix.shard }}"
    assert download["with"] == {"pattern": "part-*", "path": "parts"}
    for shard in shards:
        (tmp_path / "parts" / str(shard)).rename(tmp_path / "parts" / f"part-{shard}")
    _run_recipe(next(s["run"] for s in merge["steps"] if "--merge" in s.get("run", "")), {},
                tmp_path)
    _assert_parts_then_merge(tmp_path, len(shards), downloaded="parts/part-")


def test_the_readme_says_what_settings_hold(single):
    import hashlib
    import re

    solutions, _, expected = single
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"`settings` it was graded with, such as `([^`]+)`", readme)
    assert documented, "the README no longer shows what settings hold"
    form = documented.group(1).split("|")
    course = hashlib.sha256((solutions / "01_neuron.ipynb").read_bytes()).hexdigest()
    for entry in expected["results"]["students"].values():
        actual = entry["settings"].split("|")
        assert len(actual) == len(form) == 4
        assert actual[0] == form[0] == str(batch.FORMAT)
        assert actual[1] == course and "sha256 of the course notebook" in form[1]
        assert actual[2:] == [str(float(LIMITS.seconds)), str(LIMITS.memory_mb)]
        assert float(form[2]) == 30.0 and int(form[3]) == 1024  # the defaults, as written
