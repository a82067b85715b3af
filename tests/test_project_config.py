"""The project's own configuration: README commands, CI steps, declared versions, pytest."""

import re
from pathlib import Path

import conftest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
STACKS = (ROOT / ".ci" / "stacks.sh").read_text(encoding="utf-8")
PYPROJECT = (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # no tomllib on Python 3.10
DEPENDENCIES = re.findall(
    r'"([^"]+)"', re.search(r"^dependencies = \[(.*?)\]", PYPROJECT, re.M | re.S).group(1))
TEST_COMMAND = ('python3 -m venv .venv && .venv/bin/python -m pip install -e ".[dev]" '
                "&& .venv/bin/python -m pytest")


def ci_lines():
    return [line.strip() for line in CI.splitlines() if line.strip()
            and not line.lstrip().startswith("#")]


def test_readme_test_command_is_exactly_what_ci_runs():
    assert f"```bash\n{TEST_COMMAND}\n```" in README
    assert TEST_COMMAND in ci_lines()


def test_ci_lints_and_runs_the_stacks_after_the_test_command():
    # other CI jobs may sit between these lines; each must run after the main tests
    lines = ci_lines()
    test = lines.index(TEST_COMMAND)
    assert lines.index(".venv/bin/python -m ruff check helpers tests solutions") > test
    assert "ruff check helpers tests solutions" in README
    assert lines.index("bash .ci/stacks.sh") > test


def test_readme_says_how_to_reopen_without_reinstalling():
    start = README.split("## Start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", start, re.DOTALL)
    reopen = [b for b in blocks if "jupyter lab notebooks/" in b and "pip install" not in b]
    assert reopen == [".venv/bin/python -m jupyter lab notebooks/"], blocks
    assert "NN_WORKBOOK_DATA" in start and "internet" in start


def test_runtime_dependencies_have_lower_bounds_only():
    # Colab upgrades these under its users; stacks.sh installs exactly these lower bounds
    deps = DEPENDENCIES
    assert sorted(re.split(r"[<>=!~ ]", d)[0] for d in deps) == [
        "ipywidgets", "matplotlib", "numpy", "tqdm"]
    for dep in deps:
        assert re.fullmatch(r"[a-z]+>=[0-9.]+", dep), f"{dep}: a lower bound only"
    assert "ipywidgets>=7.7" in deps, "Colab ships ipywidgets 7.7.1"
    assert "matplotlib>=3.7" in deps, "matplotlib 3.6 fails with today's matplotlib-inline"


def test_stacks_job_builds_colabs_versions_and_the_declared_oldest_with_its_own_uv():
    for pin in ("numpy==2.0.2", "matplotlib==3.10.0", "ipywidgets==7.7.1", "ipykernel==6.17"):
        assert pin in STACKS, pin
    assert "python_for 3.12" in STACKS and "^dependencies" in STACKS
    assert 'pip install -q "uv' in STACKS, "uv comes from the project's own install step"
    assert "pip check" in STACKS and "UV_PYTHON_DOWNLOADS=never" in STACKS


def test_pytest_options_keep_the_cache_and_find_tests_helpers_by_pythonpath():
    options = PYPROJECT.split("[tool.pytest.ini_options]", 1)[1].split("\n[", 1)[0]
    assert "no:cacheprovider" not in options, "it disables --lf"
    assert re.search(r'^pythonpath = \["tests"\]$', options, re.M)
    assert "sys.path" not in (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")


def test_notebook_failure_for_missing_mnist_says_what_to_do_in_its_first_line():
    def nbval_report(excinfo):
        return f"Notebook cell execution failed\nInput:\n...\n{excinfo}"

    wrapped = conftest._mnist_first(nbval_report, "solutions/06.ipynb::Cell 30")
    report = wrapped("MnistUnavailable: Could not download the MNIST file ...")
    first = report.splitlines()[0]
    assert first == conftest.MNIST_FIRST_LINE
    assert "NN_WORKBOOK_DATA" in first and "internet" in first
    # any other failure is left as nbval reports it
    assert wrapped("NameError: x") == nbval_report("NameError: x")
    conftest._mnist_failures.clear()


GRADING_SETUP = "python3 -m venv .venv && .venv/bin/python -m pip install -e ."


def test_an_instructor_who_only_grades_has_a_setup_line_without_jupyterlab():
    instructors = README.split("## For instructors", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)\n```", instructors, re.DOTALL)
    assert GRADING_SETUP in blocks, blocks  # the package and its grader, nothing else
    assert ".venv/bin/nn-workbook-grade submissions/ --out grades/" in blocks
    assert blocks.index(GRADING_SETUP) < blocks.index(
        ".venv/bin/nn-workbook-grade submissions/ --out grades/")
