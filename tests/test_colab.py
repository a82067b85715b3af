"""Colab: the badges point at the student notebooks, and the setup cell installs only our package.

The setup cell (``helpers.authoring.SETUP_SOURCE``) runs here in-process on a simulated
Colab: a fake ``google.colab`` module is importable, ``helpers`` is reported missing until
the (recorded, not executed) pip call "installs" it.
"""

import importlib.machinery
import importlib.util
import json
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from helpers import authoring
from helpers.authoring import BRANCH, REPOSITORY, SETUP_SOURCE, colab_url

ROOT = Path(__file__).resolve().parents[1]
STUDENTS = sorted((ROOT / "notebooks").glob("*.ipynb"))
COLAB_BLOB = "https://colab.research.google.com/github/"
README_BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\((?P<url>[^)]*)\)")
# Colab ships these, often newer than anything we test: the setup cell must never touch them.
COLAB_OWN = ("numpy", "matplotlib", "ipywidgets")


def readme_badges():
    return README_BADGE.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_repository_constant_names_a_github_repository_whose_root_is_installable():
    owner, _, name = REPOSITORY.partition("/")
    assert owner and name and "/" not in name, f"REPOSITORY must be 'owner/name': {REPOSITORY!r}"
    # pip installs git+https://github.com/REPOSITORY from the repository root
    assert (ROOT / "pyproject.toml").is_file() and (ROOT / "helpers" / "__init__.py").is_file()


def test_readme_badges_are_colab_urls_of_student_notebooks():
    badges = readme_badges()
    assert badges, "the README's course map has no Colab badges"
    prefix = f"{COLAB_BLOB}{REPOSITORY}/blob/{BRANCH}/"
    for url in badges:
        assert url.startswith(prefix), f"README badge {url} does not start with {prefix}"
        path = url[len(prefix) :]
        assert re.fullmatch(r"notebooks/\d\d_\w+\.ipynb", path), f"README badge opens {path}"
        assert url == colab_url(path)


@pytest.mark.parametrize("path", STUDENTS, ids=lambda p: p.name)
def test_student_notebook_badge_opens_this_notebook_and_matches_the_readme(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    badge = "".join(cells[0]["source"])
    urls = re.findall(rf"\(({re.escape(COLAB_BLOB)}[^)]*)\)", badge)
    relative = path.relative_to(ROOT).as_posix()
    assert urls == [colab_url(relative)], f"{path.name}: the first cell's badge is {badge!r}"
    # the address is the repository path of a file that exists
    assert (ROOT / urls[0].split(f"/blob/{BRANCH}/", 1)[1]).is_file()
    assert urls[0] in readme_badges(), f"the README has no badge for {relative}"
    setup = [c for c in cells if "setup" in c.get("metadata", {}).get("tags", [])]
    assert len(setup) == 1 and "".join(setup[0]["source"]) == SETUP_SOURCE


class SimulatedMachine:
    """What the setup cell sees: which modules exist, and a recorder for subprocess.run."""

    def __init__(self, monkeypatch, *, colab: bool, missing: tuple[str, ...] = (),
                 pip_fails: bool = False):
        self.missing = set(missing)
        self.pip_fails = pip_fails
        self.pip_calls: list[tuple[list[str], dict]] = []
        real_find_spec = importlib.util.find_spec

        def find_spec(name, package=None):
            if name in self.missing:
                return None
            return real_find_spec(name, package)

        if colab:
            for name in ("google", "google.colab"):
                module = types.ModuleType(name)
                module.__spec__ = importlib.machinery.ModuleSpec(name, None)
                monkeypatch.setitem(sys.modules, name, module)
        else:
            self.missing.add("google.colab")
        monkeypatch.setattr(importlib.util, "find_spec", find_spec)
        monkeypatch.setattr(subprocess, "run", self.record_pip)

    def record_pip(self, args, **kwargs):
        self.pip_calls.append((list(args), kwargs))
        if self.pip_fails:  # what a runtime without internet gets: a wall of git and pip errors
            wall = "\n".join(["  error: subprocess-exited-with-error", *PIP_WALL] * 5)
            return subprocess.CompletedProcess(args, 1, stdout="", stderr=wall)
        self.missing.discard("helpers")  # as if pip had installed it
        return subprocess.CompletedProcess(args, 0, stdout="", stderr="")

    def run_setup_cell(self):
        exec(compile(SETUP_SOURCE, "<setup cell>", "exec"), {"__name__": "__main__"})


PIP_WALL = ["fatal: unable to access 'https://github.com/': Could not resolve host",
            "subprocess.CalledProcessError: Command '['git', 'clone']' returned 128"]


def shown_by_jupyter(error: BaseException) -> str:
    """What Jupyter shows for an error: its _render_traceback_ lines when it has them."""
    assert hasattr(error, "_render_traceback_"), f"Jupyter would show a traceback: {error!r}"
    return "\n".join(error._render_traceback_())


def test_setup_cell_on_colab_installs_only_the_package_with_no_deps(monkeypatch, capsys):
    machine = SimulatedMachine(monkeypatch, colab=True, missing=("helpers",))
    machine.run_setup_cell()
    assert len(machine.pip_calls) == 1, machine.pip_calls
    args, kwargs = machine.pip_calls[0]
    assert args[:4] == [sys.executable, "-m", "pip", "install"]
    assert "--no-deps" in args
    assert not {"-U", "--upgrade", "--force-reinstall"} & set(args), args
    assert args[-1] == f"git+https://github.com/{authoring.REPOSITORY}@{authoring.BRANCH}"
    for name in COLAB_OWN:
        assert not any(name in arg for arg in args), f"the setup cell names {name}: {args}"
    assert kwargs.get("capture_output") is True, "pip's own output is a wall of text"
    # the student sees what is happening while pip runs, then that it worked
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "Installing" in lines[0] and "s)" in lines[0], lines
    assert lines[1].startswith("✓"), lines


def test_setup_cell_on_colab_says_in_one_line_what_to_do_when_the_install_fails(
        monkeypatch, capsys):
    machine = SimulatedMachine(monkeypatch, colab=True, missing=("helpers",), pip_fails=True)
    with pytest.raises(Exception) as info:  # it stops "Run all" at the setup cell
        machine.run_setup_cell()
    shown = shown_by_jupyter(info.value)
    assert shown.count("\n") == 0 and shown.startswith("✗"), shown
    assert "run this cell again" in shown and "#troubleshooting" in shown
    out = capsys.readouterr()
    assert "Installing" in out.out and "✓" not in out.out
    for noise in ("CalledProcessError", "fatal:", "error:", "Traceback", "No module named"):
        assert noise not in shown + out.out + out.err, noise


def test_setup_cell_on_colab_run_again_installs_nothing(monkeypatch, capsys):
    machine = SimulatedMachine(monkeypatch, colab=True)
    machine.run_setup_cell()
    assert machine.pip_calls == [] and capsys.readouterr().out == ""


def test_setup_cell_elsewhere_is_silent_when_everything_is_installed(monkeypatch, capsys):
    machine = SimulatedMachine(monkeypatch, colab=False)
    machine.run_setup_cell()
    assert machine.pip_calls == [] and capsys.readouterr().out == ""


@pytest.mark.parametrize("missing, command", [
    (("ipywidgets",), "`%pip install ipywidgets`"),
    (("helpers",), f'`%pip install -e "{ROOT}"`'),
    (("numpy", "helpers"), f'`%pip install -e "{ROOT}"`'),
])
def test_setup_cell_elsewhere_stops_with_one_line_saying_what_to_run(
        monkeypatch, capsys, missing, command):
    machine = SimulatedMachine(monkeypatch, colab=False, missing=missing)
    monkeypatch.chdir(ROOT / "notebooks")  # where the notebook's kernel starts
    with pytest.raises(Exception) as info:  # it stops "Run all" at the setup cell
        machine.run_setup_cell()
    shown = shown_by_jupyter(info.value)
    assert machine.pip_calls == [], "outside Colab the setup cell never installs anything"
    assert shown.count("\n") == 0 and shown.startswith("✗ Missing: "), shown
    assert all(name in shown for name in missing), shown
    # the kernel's own Python installs it (%pip), and the kernel must restart to import it
    assert command in shown and "restart the kernel" in shown, shown
    assert capsys.readouterr().out == ""


def test_setup_cell_reads_as_one_line_in_colab_jupyterlab_and_vs_code():
    first = SETUP_SOURCE.splitlines()[0]
    # Colab shows a form's title and hides its code; the title is what the student reads
    assert re.fullmatch(r'# @title Setup: run this cell first \{ display-mode: "form" \}', first)
    for path in STUDENTS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        setup = next(c for c in cells if "setup" in c["metadata"].get("tags", []))
        # Colab keeps a form's state in cellView; JupyterLab and VS Code fold source_hidden
        assert setup["metadata"]["cellView"] == "form", path.name
        assert setup["metadata"]["jupyter"]["source_hidden"] is True, path.name
        assert setup is next(c for c in cells if c["cell_type"] == "code"), path.name


def test_in_a_kernel_a_missing_package_stops_run_all_at_the_setup_cell(tmp_path):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    hide_tqdm = ("import sys\n"
                 "class Hide:\n"
                 "    def find_spec(self, name, path=None, target=None):\n"
                 "        if name == 'tqdm':\n"
                 "            raise ModuleNotFoundError(name)\n"
                 "sys.meta_path.insert(0, Hide())\n")
    cells = [hide_tqdm, SETUP_SOURCE, "print('after')"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    with pytest.raises(CellExecutionError):
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    assert len(errors) == 1 and len(errors[0]["traceback"]) == 1, nb.cells[1].outputs
    shown = errors[0]["traceback"][0]
    assert shown.startswith("✗ Missing: tqdm.") and "`%pip install tqdm`" in shown, shown
    assert "restart the kernel" in shown
    assert nb.cells[2].outputs == [], "the cells after the setup cell must not run"


STRAY = {
    "a helpers.py next to the notebooks": {"helpers.py": "def plot(): pass\n"},
    "a helpers folder of another course": {"helpers/__init__.py": "", "helpers/util.py": ""},
}


@pytest.mark.parametrize("colab", [True, False], ids=["colab", "elsewhere"])
@pytest.mark.parametrize("stray", STRAY)
def test_setup_cell_is_not_fooled_by_an_unrelated_helpers_module(
        monkeypatch, tmp_path, capsys, stray, colab):
    for name, text in STRAY[stray].items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    # a notebook's kernel puts the notebook's folder first on sys.path
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m == "helpers" or m.startswith("helpers.")]:
        monkeypatch.delitem(sys.modules, name)
    machine = SimulatedMachine(monkeypatch, colab=colab)
    with pytest.raises(Exception) as info:
        machine.run_setup_cell()
    shown = shown_by_jupyter(info.value)
    assert shown.count("\n") == 0 and str(tmp_path / "helpers") in shown, shown
    assert "rename" in shown and "restart the kernel" in shown
    assert machine.pip_calls == [], "it must not install over a stray module"


def test_setup_cell_accepts_this_workbooks_package(monkeypatch, capsys):
    machine = SimulatedMachine(monkeypatch, colab=False)
    machine.run_setup_cell()  # the editable install of this checkout: no stray
    assert capsys.readouterr().out == ""


def test_in_a_kernel_a_stray_helpers_py_stops_the_setup_cell_with_one_line(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    (tmp_path / "helpers.py").write_text("def plot(): pass\n")  # next to the notebook
    cells = [SETUP_SOURCE, "print('after')"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for o in nb.cells[0].outputs if o.output_type == "error"]
    assert len(errors) == 1 and len(errors[0]["traceback"]) == 1, nb.cells[0].outputs
    shown = errors[0]["traceback"][0]
    assert shown.startswith("✗ `import helpers` finds ") and "helpers.py" in shown, shown
    assert "\n" not in shown and "Traceback" not in shown
