"""Generate the student notebooks (``notebooks/``) from the solution notebooks (``solutions/``).

Usage, from the repository root::

    python -m helpers.authoring             # write notebooks/ from solutions/
    python -m helpers.authoring --check     # write nothing; exit 1 if notebooks/ is stale
    python -m helpers.authoring --annotate  # (re)write the nbgrader metadata in solutions/

Rules:

- A solution region runs from a line ``# BEGIN SOLUTION`` to a line ``# END SOLUTION``. The
  student version replaces it by ``raise NotImplementedError("exercise: <id>")`` at the
  marker's indentation, where ``<id>`` is the cell's nbgrader ``grade_id``.
- Cells tagged ``solution-only`` are dropped; outputs and execution counts are cleared;
  everything else (prose, tags, docstrings, hints above a region) is kept.
- The cell tagged ``setup`` gets :data:`SETUP_SOURCE`; a Colab badge is put on top.
- ``--annotate`` derives nbgrader schema-3 metadata: a code cell that calls
  ``check.<id>(...)`` is the check cell of exercise ``<id>`` (``grade_id`` ``check_<id>``,
  1 point unless it says otherwise) and the solution cell before it gets ``grade_id`` ``<id>``.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

from . import conventions
from .conventions import BEGIN, END, METADATA_KEY, SETUP, SOLUTION_ONLY  # the markers, tags

__all__ = [
    "AuthoringError",
    "REPOSITORY",
    "SETUP_METADATA",
    "SETUP_SOURCE",
    "annotate",
    "colab_url",
    "main",
    "student_notebook",
]

#: The GitHub repository the Colab badges and the Colab install point at. A fork changes
#: this line and the README's badges, then regenerates.
REPOSITORY = "nn-workbook/nn-workbook"
BRANCH = "main"

SETUP_SOURCE = f'''\
# @title Setup: run this cell first {{ display-mode: "form" }}
# On Colab it installs the workbook's helper package. Anywhere, when something the notebook
# needs is missing, it stops with one line that says what to do; when all is well it is silent.
import importlib.util
import subprocess
import sys
from pathlib import Path

_HELP = "Help: https://github.com/{REPOSITORY}#troubleshooting"


class SetupFailed(Exception):
    def _render_traceback_(self):  # Jupyter shows this one line, no traceback
        return [str(self)]


def _spec(name):
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


_found = _spec("helpers")
if _found and not any((Path(f) / "check" / "_core.py").is_file()  # a helpers.py or folder
                      for f in _found.submodule_search_locations or []):  # of something else
    _where = _found.origin or next(iter(_found.submodule_search_locations or []), "a folder")
    raise SetupFailed(f"✗ `import helpers` finds {{_where}}, not this workbook's package: rename "
                      f"that, restart the kernel and run this cell again. {{_HELP}}")
if not _found and _spec("google.colab"):
    print("Installing the workbook's helper package from GitHub (10-20 s)...", flush=True)
    # --no-deps keeps Colab's own numpy, matplotlib and ipywidgets untouched
    _pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                           "git+https://github.com/{REPOSITORY}@{BRANCH}"],
                          capture_output=True, text=True)
    importlib.invalidate_caches()
    if _pip.returncode != 0 or not _spec("helpers"):
        raise SetupFailed("✗ The install failed: check that this notebook is connected and can "
                          f"reach github.com, then run this cell again. {{_HELP}}")
    print("✓ Installed.")
_missing = [m for m in ("numpy", "matplotlib", "ipywidgets", "tqdm", "helpers") if not _spec(m)]
if _missing:
    _root = next((str(p) for p in (Path.cwd(), *Path.cwd().parents)
                  if (p / "helpers" / "check").is_dir()), "<the workbook folder>")
    _cmd = (f'%pip install -e "{{_root}}"' if "helpers" in _missing
            else f"%pip install {{' '.join(_missing)}}")
    raise SetupFailed(f"✗ Missing: {{', '.join(_missing)}}. Run `{{_cmd}}` in a new cell, "
                      f"restart the kernel, then run this cell again. {{_HELP}}")'''

#: The setup cell's metadata in the student notebooks: its code folded, in Colab (a form
#: shows only its title) and in JupyterLab and VS Code (hidden source), so a student reads
#: one line.
SETUP_METADATA = {"cellView": "form", "jupyter": {"source_hidden": True}}


class AuthoringError(ValueError):
    """A solution notebook the generator cannot turn into a student notebook."""


def colab_url(student_path: str) -> str:
    """The "Open in Colab" address of a student notebook, e.g. ``notebooks/01_neuron.ipynb``."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/{student_path}"


def _badge_cell(name: str) -> dict[str, Any]:
    url = colab_url(f"notebooks/{name}")
    badge = "https://colab.research.google.com/assets/colab-badge.svg"
    return {
        "cell_type": "markdown",
        "id": "colab-badge",
        "metadata": {METADATA_KEY: {"role": "badge"}},
        "source": f"[![Open In Colab]({badge})]({url})",
    }


_source, _tags = conventions.source, conventions.tags


def strip_solutions(source: str, exercise: str | None, where: str) -> str:
    """Replace every solution region in ``source`` by the stub line; ``where`` names the cell."""
    out: list[str] = []
    inside = False
    for lineno, line in enumerate(source.split("\n"), start=1):
        marker = line.strip()
        if marker == BEGIN:
            if inside:
                raise AuthoringError(f"{where}, line {lineno}: BEGIN SOLUTION inside another")
            if exercise is None:
                raise AuthoringError(
                    f"{where}, line {lineno}: a solution region in a cell without an "
                    "nbgrader grade_id (run `python -m helpers.authoring --annotate`)"
                )
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f'{indent}raise NotImplementedError("exercise: {exercise}")')
            inside = True
        elif marker == END:
            if not inside:
                raise AuthoringError(f"{where}, line {lineno}: END SOLUTION without BEGIN")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise AuthoringError(f"{where}: BEGIN SOLUTION is never closed by END SOLUTION")
    return "\n".join(out)


def student_notebook(solution: dict[str, Any], name: str) -> dict[str, Any]:
    """The student version of the solution notebook ``solution`` (file name ``name``)."""
    nb = copy.deepcopy(solution)
    cells = []
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if SOLUTION_ONLY in _tags(cell):
            continue
        where = f"{name}, cell {index}"
        if cell["cell_type"] == "code":
            grade_id = conventions.nbgrader(cell).get("grade_id")
            source = SETUP_SOURCE if SETUP in _tags(cell) else _source(cell)
            cell["source"] = strip_solutions(source, grade_id, where)
            if SETUP in _tags(cell):
                cell["metadata"].update(copy.deepcopy(SETUP_METADATA))
            cell["outputs"] = []
            cell["execution_count"] = None
        elif BEGIN in _source(cell):
            raise AuthoringError(f"{where}: solution markers belong in code cells only")
        cells.append(cell)
    nb["cells"] = [_badge_cell(name), *cells]
    nb.setdefault("metadata", {})[METADATA_KEY] = {
        "notebook": Path(name).stem,
        "generated_from": f"solutions/{name}",
    }
    return nb


def dumps(nb: dict[str, Any]) -> str:
    """Serialise a notebook the way Jupyter does, so saving it in Jupyter changes nothing."""
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def load(path: Path) -> dict[str, Any]:
    """A solution notebook's JSON, unchanged; AuthoringError if it is not a valid notebook."""
    try:
        return conventions.read(path)
    except conventions.NotebookError as err:
        raise AuthoringError(str(err)) from err


def annotate(nb: dict[str, Any], name: str) -> dict[str, Any]:
    """Give exercise and check cells their nbgrader schema-3 metadata (see module doc)."""
    nb = copy.deepcopy(nb)
    solution_cell = None
    for index, cell in enumerate(nb.get("cells", []), start=1):
        if cell["cell_type"] != "code":
            continue
        source, meta = _source(cell), cell.setdefault("metadata", {})
        calls = conventions.check_calls(source)
        if BEGIN in source:
            solution_cell = cell
        elif len(calls) == 1 and SOLUTION_ONLY not in meta.get("tags", []):
            exercise = calls[0]
            if solution_cell is None:
                raise AuthoringError(
                    f"{name}, cell {index}: check.{exercise}(...) has no solution cell before it"
                )
            points = meta.get("nbgrader", {}).get("points", 1)
            solution_cell.setdefault("metadata", {})["nbgrader"] = {
                "grade": False,
                "grade_id": exercise,
                "locked": False,
                "schema_version": 3,
                "solution": True,
                "task": False,
            }
            meta["nbgrader"] = {
                "grade": True,
                "grade_id": f"check_{exercise}",
                "locked": True,
                "points": points,
                "schema_version": 3,
                "solution": False,
                "task": False,
            }
            solution_cell = None
    return nb


def _expected(solutions: Path) -> dict[str, str]:
    return {
        path.name: dumps(student_notebook(load(path), path.name))
        for path in sorted(solutions.glob("*.ipynb"))
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.authoring", description=__doc__.split("\n\n")[0]
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="write nothing; fail if stale")
    mode.add_argument("--annotate", action="store_true", help="write nbgrader metadata")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the repository root")
    args = parser.parse_args(argv)
    solutions, notebooks = args.root / "solutions", args.root / "notebooks"
    if not solutions.is_dir():
        print(f"No solutions/ folder in {args.root}: run this from the repository root.")
        return 2
    try:
        if args.annotate:
            for path in sorted(solutions.glob("*.ipynb")):
                text = dumps(annotate(load(path), path.name))
                if text != path.read_text(encoding="utf-8"):
                    path.write_text(text, encoding="utf-8")
                    print(f"annotated {path.relative_to(args.root)}")
            return 0
        expected = _expected(solutions)
    except AuthoringError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    existing = {p.name for p in notebooks.glob("*.ipynb")} if notebooks.is_dir() else set()
    stale = sorted(
        name
        for name in expected
        if name not in existing
        or (notebooks / name).read_text(encoding="utf-8") != expected[name]
    )
    orphans = sorted(existing - set(expected))
    if args.check:
        for name in stale:
            print(f"stale: notebooks/{name} differs from what solutions/{name} generates")
        for name in orphans:
            print(f"stale: notebooks/{name} has no solutions/{name}")
        if stale or orphans:
            print("Run `python -m helpers.authoring` to regenerate.")
            return 1
        return 0
    notebooks.mkdir(exist_ok=True)
    for name in stale:
        (notebooks / name).write_text(expected[name], encoding="utf-8")
        print(f"wrote notebooks/{name}")
    for name in orphans:
        print(f"note: notebooks/{name} has no solution notebook; delete it if it is obsolete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
