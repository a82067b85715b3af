"""The grader checks its own environment before it grades anyone (issue 15, blocker 1).

A broken environment (a Python without matplotlib, a half-installed package, limits this
machine cannot meet) must stop the run with a clear message and a non-zero exit, and leave
no gradebook of zeros behind: an environment fault is never a student's 0.
"""

import json
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import nbformat
import pytest

from helpers import authoring
from helpers.course import CourseError, load_course
from helpers.grading import cli, preflight
from helpers.grading.judge import Limits

ROOT = Path(__file__).resolve().parents[1]
SITE = Path(sysconfig.get_paths()["purelib"])


def broken_python(tmp: Path, *, hide: tuple[str, ...], package: Path | None = None) -> Path:
    """A real venv that sees this venv's packages except those named in ``hide``; with
    ``package``, the workbook is installed from that folder (a copy) instead of editable."""
    env = tmp / "venv"
    venv.create(env, with_pip=False, symlinks=True)
    site = Path(subprocess.run(
        [str(env / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()"
         "['purelib'])"], capture_output=True, text=True, check=True).stdout.strip())
    for entry in SITE.iterdir():
        name = entry.name.lower()
        if any(name.startswith(h) for h in hide) or (site / entry.name).exists():
            continue
        (site / entry.name).symlink_to(entry)
    if package is not None:
        shutil.copytree(package, site / "helpers")
    return env / "bin" / "python"


def a_class(tmp: Path) -> Path:
    """Two students who both deserve full marks on notebook 01."""
    folder = tmp / "class"
    for student in ("alice", "bob"):
        (folder / student).mkdir(parents=True)
        shutil.copy(ROOT / "solutions" / "01_neuron.ipynb", folder / student / "01_neuron.ipynb")
    return folder


def grade(python: Path, tmp: Path) -> subprocess.CompletedProcess:
    # run outside the workbook folder, so the current folder does not put helpers/ on the path
    return subprocess.run(
        [str(python), "-m", "helpers.grading", str(a_class(tmp)), "--out", str(tmp / "grades"),
         "--solutions", str(ROOT / "solutions"), "--jobs", "1"],
        cwd=tmp, capture_output=True, text=True, timeout=600,
    )


def assert_refused(done: subprocess.CompletedProcess, tmp: Path, *fragments: str) -> None:
    assert done.returncode == cli.ENVIRONMENT_EXIT, (done.returncode, done.stdout, done.stderr)
    assert "cannot grade fairly here, so it graded nobody" in done.stderr, done.stderr
    for fragment in fragments:
        assert fragment in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert not (tmp / "grades").exists(), "a refused run must write no gradebook"


def test_a_python_without_matplotlib_grades_nobody_and_says_why(tmp_path):
    python = broken_python(tmp_path, hide=("matplotlib", "mpl_toolkits", "pylab"))
    check = subprocess.run([str(python), "-c", "import matplotlib"], capture_output=True)
    assert check.returncode != 0, "the broken venv still imports matplotlib"
    done = grade(python, tmp_path)
    assert_refused(done, tmp_path, "matplotlib: ModuleNotFoundError: No module named "
                   "'matplotlib'", "course's dependencies are missing", "pip install -e .")


def test_a_half_installed_package_grades_nobody_and_says_why(tmp_path):
    partial = tmp_path / "partial"
    shutil.copytree(ROOT / "helpers", partial, ignore=shutil.ignore_patterns("__pycache__"))
    (partial / "data.py").unlink()  # notebook 01 imports helpers.data
    python = broken_python(tmp_path, hide=("__editable__", "nn_workbook"), package=partial)
    done = grade(python, tmp_path)
    assert_refused(done, tmp_path, "the package looks half-installed")
    # named as Python names it: by the module (import helpers.data) or the name (from helpers
    # import data), whichever import of the course meets it first
    assert ("No module named 'helpers.data'" in done.stderr
            or "cannot import name 'data' from 'helpers'" in done.stderr), done.stderr


def test_the_same_class_in_a_sound_environment_gets_full_marks(tmp_path):
    done = grade(Path(sys.executable), tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Grading as 01_neuron (declared by 2 of 2 notebooks" in done.stdout, done.stdout
    rows = (tmp_path / "grades" / "01_neuron" / "gradebook.csv").read_text().splitlines()
    # full marks: one point per exercise of the course notebook, however many it has
    n = len(rows[0].split(",")) - len(("student", "total", "max", "status", "feedback"))
    assert n >= 18, rows[0]
    assert rows[1].startswith("alice,") and rows[1].endswith(f",{n},{n},graded,alice.txt"), rows
    assert rows[2].startswith("bob,") and rows[2].endswith(f",{n},{n},graded,bob.txt"), rows


def test_a_class_that_declares_no_notebook_is_a_usage_error_not_an_environment_one(
        tmp_path, capsys):
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "alice.ipynb").write_text("{}")
    code = cli.main([str(folder), "--out", str(tmp_path / "grades"),
                     "--solutions", str(ROOT / "solutions")])
    assert code == 2 and "use --notebook" in capsys.readouterr().err
    assert not (tmp_path / "grades").exists()


def fixture_course(tmp: Path, *, light: str, answer: str) -> Path:
    """A one-exercise course notebook (sigmoid) with a light cell and a reference answer."""
    cells = [nbformat.v4.new_code_cell(f"import numpy as np\nfrom helpers import check\n{light}"),
             nbformat.v4.new_code_cell(f"def sigmoid(z):\n    # BEGIN SOLUTION\n{answer}\n"
                                       "    # END SOLUTION"),
             nbformat.v4.new_code_cell("check.sigmoid(sigmoid)")]
    nb = authoring.annotate(json.loads(nbformat.writes(nbformat.v4.new_notebook(cells=cells))),
                            "01_neuron.ipynb")
    path = tmp / "01_neuron.ipynb"
    path.write_text(authoring.dumps(nb), encoding="utf-8")
    return path


RIGHT = "    return 0.5 * (1 + np.tanh(z / 2))"


def test_a_module_the_course_imports_must_import_in_the_sandbox(tmp_path):
    course = fixture_course(tmp_path, light="import no_such_module_here", answer=RIGHT)
    with pytest.raises(preflight.EnvironmentProblem, match="no_such_module_here: Module"):
        preflight.check_environment(course, Limits(seconds=10))


def test_a_reference_answer_that_cannot_pass_here_stops_the_run(tmp_path):
    slow = "    import time\n    time.sleep(1)\n" + RIGHT  # the check calls it many times
    course = fixture_course(tmp_path, light="", answer=slow)
    with pytest.raises(preflight.EnvironmentProblem) as info:
        preflight.check_environment(course, Limits(seconds=2))
    message = str(info.value)
    assert "sigmoid (timeout)" in message and "raise --timeout (now 2 s)" in message, message


def test_the_course_notebook_is_validated_with_nbformat_once_per_run(tmp_path):
    course = fixture_course(tmp_path, light="", answer=RIGHT)
    nb = json.loads(course.read_text(encoding="utf-8"))
    del nb["cells"][0]["outputs"]  # what nbformat's schema requires of a code cell
    course.write_text(json.dumps(nb), encoding="utf-8")
    assert load_course(course).exercises  # the workers' reading skips the schema
    with pytest.raises(CourseError, match="not a valid Jupyter notebook"):
        preflight.check_environment(course, Limits(seconds=10))


def test_sound_reference_answers_pass(tmp_path):
    course = fixture_course(tmp_path, light="LR = 0.1", answer=RIGHT)
    preflight.check_environment(course, Limits(seconds=10))
    assert load_course(course).exercises[0].id == "sigmoid"


def test_help_has_a_description_and_the_exit_statuses(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    shown = capsys.readouterr().out
    assert "Grade a whole class's notebooks" in shown
    assert "3 the grader's own environment cannot grade fairly" in shown


def test_the_readme_grading_command_works_after_the_readme_setup():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert ".venv/bin/nn-workbook-grade submissions/ --out grades/" in readme
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'nn-workbook-grade = "helpers.grading.cli:main"' in pyproject
    # the setup the README gives installs the package into .venv, where the script lands
    assert "python3 -m venv .venv && .venv/bin/python -m pip install -e ." in readme


def test_the_readme_has_the_troubleshooting_section_notebook_01_links_to():
    # notebook 01 links to https://github.com/nn-workbook/nn-workbook#troubleshooting
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "\n## Troubleshooting\n" in readme
    section = readme.split("\n## Troubleshooting\n")[1].split("\n## ")[0]
    for topic in ("instead of sliders", "Colab, the setup cell fails", "No internet for MNIST",
                  "helpers.py"):
        assert topic in section, topic
    assert "nbgrader_config.py" in readme and "different scores" in readme
