"""Every notebook in a real JupyterLab, driven as a student would, in headless Chromium.

Run with ``python -m pytest -m browser tests/test_browser.py`` (the default run deselects
it). It needs Debian's ``chromium`` (``apt-get install chromium``) and Playwright for
Python (``pip install -e ".[browser]"``); it never downloads a browser of its own.

One JupyterLab serves copies of the notebooks (outputs cleared, as a student gets them)
from a temporary folder, with its own config, data, runtime and settings folders so nothing
of the user's leaks in. For each notebook the test runs all cells from the Run menu, waits
for the kernel, then checks what a student sees: no error output, every widget drawn as a
widget, no widget wider than a 1366-px laptop screen (figures shrunk below 80% to fit are
reported as warnings), and each panel redrawing when one of its sliders moves. It saves a
full-page screenshot per notebook in the folder it prints (``$BROWSER_SCREENSHOTS`` if
set). The unfilled student notebook must stop at its first exercise saying "not written
yet", and two small notebooks written by the test check the harness itself.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from test_notebooks import first_exercise

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
STUDENTS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LAPTOP = {"width": 1366, "height": 768}  # the most common small laptop screen
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_MANAGER = "@jupyter-widgets/jupyterlab-manager"
# A cell's widget output as the widget manager draws it (the output div has no mime type).
WIDGET_VIEW = (
    ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output:has(> .jupyter-widgets)"
)
# What a widget output shows when no widget manager draws it: its repr.
WIDGET_REPR = re.compile(r"^\s*(VBox|HBox|Box|GridBox|Output|\w+Slider|Button|Dropdown)\(")
SERVER_START_S, RUN_ALL_S, REDRAW_S = 90, 240, 30
FIGURE_SCALE = 0.8  # a figure shown smaller than this has labels too small to read

# JupyterLab settings for the test's own user-settings folder: every cell is rendered (no
# virtual scrolling, so the DOM holds every output), nothing is saved behind our back, and
# no news or update notification covers the notebook.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false", "checkForUpdates": False,
    },
}

pytestmark = pytest.mark.browser


# --- the server -----------------------------------------------------------------------------


@dataclass
class Lab:
    url: str
    token: str
    root: Path

    def notebook_url(self, relative: str) -> str:
        # a fresh workspace per notebook: no tab of an earlier test reopens
        workspace = re.sub(r"\W", "-", relative)
        return f"{self.url}/lab/workspaces/{workspace}/tree/{relative}?reset&token={self.token}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def student_copy(source: Path, target: Path) -> None:
    """Copy a notebook without its outputs, as a student opens it for the first time."""
    nb = nbformat.read(source, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def write_lab_settings(folder: Path) -> None:
    for plugin, values in LAB_SETTINGS.items():
        path = folder / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def wait_until_answering(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer in {SERVER_START_S} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A JupyterLab on 127.0.0.1 serving outputless copies of solutions/ and notebooks/."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "root"
    for notebook in [*SOLUTIONS, *STUDENTS]:
        student_copy(notebook, root / notebook.relative_to(ROOT))
    root.mkdir(exist_ok=True)
    write_lab_settings(base / "settings")
    env = dict(os.environ)
    for variable in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR",
                     "IPYTHONDIR"):
        env[variable] = str(base / variable.lower())
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_CONFIG_PATH", None)
    env.pop("MPLBACKEND", None)  # conftest sets Agg for pytest; the kernel chooses its own
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
        f"--port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={base / 'settings'}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = base / "jupyter.log"
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(f"{url}/api/status?token={token}", server, log)
        yield Lab(url, token, root)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory, pytestconfig):
    folder = Path(os.environ.get("BROWSER_SCREENSHOTS") or tmp_path_factory.mktemp("screens"))
    folder.mkdir(parents=True, exist_ok=True)
    tell(pytestconfig, f"browser screenshots: {folder}")
    return folder


def tell(config, line: str) -> None:
    """Write a line to the terminal even while pytest captures output."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(line)


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    yield page
    context.close()


# --- a student at the notebook --------------------------------------------------------------


def open_notebook(page, lab: Lab, relative: str) -> None:
    """Open the notebook and wait until its kernel is idle."""
    page.goto(lab.notebook_url(relative))
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    wait_for_kernel_idle(page, 60)
    config = json.loads(page.locator("#jupyter-config-data").text_content())
    extensions = [e["name"] for e in config.get("federated_extensions", [])]
    assert WIDGET_MANAGER in extensions, f"no widget manager in JupyterLab: {extensions}"


def wait_for_kernel_idle(page, seconds: float) -> None:
    """Wait for the status bar's "Python 3 (ipykernel) | Idle" (the toolbar's indicator
    says idle before the kernel has even started)."""
    status = page.locator("#jp-main-statusbar").get_by_text(re.compile(r"^(?!No Kernel).+\| Idle$"))
    status.wait_for(timeout=seconds * 1000)


def menu_command(page, menu: str, item: str) -> None:
    """Click a menu of the menu bar, then its item labelled ``item``."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(f"^{menu}$")).click()
    label = page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{item}$"))
    page.locator(".lm-Menu-item", has=label).click()


def run_all_cells(page, seconds: float = RUN_ALL_S) -> None:
    """Run > Run All Cells, then wait until no cell is queued or running and the kernel is idle."""
    menu_command(page, "Run", "Run All Cells")
    prompts = page.locator(".jp-CodeCell .jp-InputPrompt")
    # started: some cell got a prompt number or a star
    page.wait_for_function(
        """() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
                 .some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))""",
        timeout=30_000,
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        busy = any("*" in text for text in prompts.all_text_contents())
        if not busy and page.locator(
            '.jp-Notebook-ExecutionIndicator[data-status="idle"]'
        ).count():
            page.wait_for_timeout(1000)  # outputs (images, widgets) finish rendering
            if not any("*" in text for text in prompts.all_text_contents()):
                return
        page.wait_for_timeout(500)
    pytest.fail(f"the notebook was still running after {seconds} s")


@dataclass
class CellView:
    index: int
    prompt: str
    text: str


def code_cells(page) -> list[CellView]:
    """Every code cell's prompt ("[3]:", "[ ]:") and the text of its outputs."""
    cells = page.locator(".jp-CodeCell")
    return [
        CellView(i, cells.nth(i).locator(".jp-InputPrompt").text_content().strip(),
                 cells.nth(i).locator(".jp-Cell-outputArea").inner_text())
        for i in range(cells.count())
    ]


def ran(cell: CellView) -> bool:
    """The cell's prompt shows an execution count. A cell whose input is folded
    (source_hidden: the setup cell) shows no prompt at all; its errors still show."""
    return cell.prompt == "" or bool(re.fullmatch(r"\[\d+\]:", cell.prompt))


def error_outputs(page) -> list[str]:
    """The text of every output the notebook shows as an error (a red traceback box)."""
    errors = []
    for area in page.locator(".jp-OutputArea-child").all():
        text = area.inner_text()
        rendered = area.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count()
        if rendered and ("Traceback" in text or re.search(r"^\w*(Error|Exception|✗)", text, re.M)):
            errors.append(text)
    return errors


def saved_outputs(page, lab: Lab, relative: str) -> nbformat.NotebookNode:
    """Save the notebook (File > Save Notebook) and read back what Jupyter wrote."""
    menu_command(page, "File", "Save Notebook")
    path = lab.root / relative
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        nb = nbformat.read(path, as_version=4)
        if any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
            return nb
        page.wait_for_timeout(500)
    pytest.fail(f"saving {relative} from JupyterLab wrote no outputs")


def assert_widgets_render(page, saved: nbformat.NotebookNode) -> None:
    """Every widget output is drawn by the widget manager, not shown as its text repr."""
    expected = sum(WIDGET_MIME in o.get("data", {}) for c in saved.cells
                   if c.cell_type == "code" for o in c.outputs)
    views = page.locator(WIDGET_VIEW)
    assert views.count() == expected, f"{expected} widget outputs, {views.count()} drawn"
    for text in views.all_inner_texts():
        assert "Error displaying widget" not in text, text
    for text in page.locator(".jp-OutputArea-output").all_inner_texts():
        assert not WIDGET_REPR.match(text), f"a widget shown as text: {text[:200]}"


def panels(page):
    """Widget outputs that draw into an Output widget: the notebook's interactive panels."""
    return [v for v in page.locator(WIDGET_VIEW).all() if v.locator(".widget-output").count()]


def drawing(panel) -> str:
    """What the panel's Output shows: its images' sources, or its text if it has no image."""
    output = panel.locator(".widget-output").first
    sources = output.locator("img").evaluate_all("imgs => imgs.map(i => i.src).join('|')")
    return sources or output.inner_text()


def move_one_slider(panel) -> str:
    """Press an arrow key on the panel's first slider; return the slider's label."""
    slider = panel.locator(".widget-slider").first
    label = slider.locator(".widget-label").first.inner_text()
    readout = slider.locator(".widget-readout")
    before = readout.inner_text()
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    for key in ("ArrowRight", "ArrowLeft", "ArrowLeft"):  # at its maximum, go left
        handle.press(key)
        panel.page.wait_for_timeout(200)
        if readout.inner_text() != before:
            return label
    pytest.fail(f"the arrow keys do not move slider {label!r} (readout stays {before})")


def assert_panels_redraw(page) -> int:
    """Moving one slider of each panel changes what the panel draws. Returns how many."""
    moved = 0
    for number, panel in enumerate(panels(page), start=1):
        if not panel.locator(".widget-slider").count():
            continue  # a panel driven by other controls (a button, a dropdown)
        panel.scroll_into_view_if_needed()
        before = drawing(panel)
        assert before, f"panel {number} draws nothing before any slider moves"
        label = move_one_slider(panel)
        deadline = time.monotonic() + REDRAW_S
        while drawing(panel) in (before, "") and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        assert drawing(panel) not in (before, ""), (
            f"panel {number}: moving slider {label!r} did not change what it draws"
        )
        moved += 1
    return moved


def assert_fits_a_laptop_screen(page, relative: str) -> None:
    """No widget needs a horizontal scrollbar; figures shrunk to fit are reported (a warning).

    JupyterLab scales a figure wider than the notebook down to its width, and its labels
    with it: below FIGURE_SCALE of their size they get hard to read.
    """
    for number, view in enumerate(page.locator(WIDGET_VIEW).all(), start=1):
        needed, shown = view.evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert needed <= shown + 1, (
            f"widget {number} needs {needed} px; a {LAPTOP['width']}-px screen shows {shown} px"
        )
    sizes = page.locator(".jp-Cell-outputArea img").evaluate_all(
        """imgs => imgs.map(i => [
               i.naturalWidth, i.clientWidth,
               i.closest('.jp-CodeCell').querySelector('.jp-InputPrompt').textContent.trim()
                .replace(/:$/, '')])"""
    )
    for natural, shown, prompt in sizes:
        if natural and shown < FIGURE_SCALE * natural:
            warnings.warn(
                f"{relative}: the figure of cell {prompt} is {natural} px wide, shown at "
                f"{shown} px ({shown / natural:.0%}) on a {LAPTOP['width']}-px screen; its "
                "labels shrink with it (make the figure narrower)",
                stacklevel=2,
            )


def full_page_screenshot(page, path: Path) -> None:
    """The whole notebook in one picture, at the laptop's width."""
    scroller = page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").first
    # up to the last cell's bottom: JupyterLab pads the end with a screen of white
    height = scroller.evaluate(
        """el => { el.scrollTop = 0;
                   const cells = el.querySelectorAll('.jp-Cell');
                   const last = cells[cells.length - 1].getBoundingClientRect();
                   return Math.ceil(last.bottom - el.getBoundingClientRect().top) + 40; }"""
    )
    chrome = LAPTOP["height"] - scroller.evaluate("el => el.clientHeight")  # menus, bars
    page.set_viewport_size({"width": LAPTOP["width"], "height": chrome + height})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(LAPTOP)


def run_notebook_as_student(page, lab: Lab, relative: str, screenshot: Path):
    """Open, Run All, screenshot; return the cells as shown and the notebook as saved."""
    open_notebook(page, lab, relative)
    run_all_cells(page)
    cells = code_cells(page)
    saved = saved_outputs(page, lab, relative)
    full_page_screenshot(page, screenshot)
    return cells, saved


# --- the tests ------------------------------------------------------------------------------


def check_solution_notebook(page, lab: Lab, relative: str, screenshots: Path) -> str:
    """Run a notebook as a student and assert it works; returns a one-line summary."""
    shot = screenshots / f"{Path(relative).stem}.png"
    started = time.monotonic()
    cells, saved = run_notebook_as_student(page, lab, relative, shot)
    assert not error_outputs(page), "\n\n".join(error_outputs(page))
    saved_errors = [(i, o.ename) for i, c in enumerate(saved.cells) if c.cell_type == "code"
                    for o in c.outputs if o.output_type == "error"]
    assert not saved_errors, f"error outputs (cell, exception): {saved_errors}"
    not_run = [c.index + 1 for c in cells if not ran(c)]
    assert not not_run, f"code cells {not_run} did not run"
    assert_widgets_render(page, saved)
    assert_fits_a_laptop_screen(page, relative)
    moved = assert_panels_redraw(page)
    return (f"{relative}: ran in {time.monotonic() - started:.0f} s, {moved} panel(s) redrew, "
            f"screenshot {shot.name}")


@pytest.mark.parametrize("notebook", SOLUTIONS, ids=lambda p: p.name)
def test_solution_notebook_runs_cleanly_in_jupyterlab(
    page, lab, screenshots, pytestconfig, notebook
):
    relative = notebook.relative_to(ROOT).as_posix()
    tell(pytestconfig, check_solution_notebook(page, lab, relative, screenshots))


@pytest.mark.skipif(not STUDENTS, reason="no student notebook yet")
def test_unfilled_student_notebook_stops_at_first_exercise_in_jupyterlab(
    page, lab, screenshots
):
    notebook = STUDENTS[0]
    relative = notebook.relative_to(ROOT).as_posix()
    exercise = first_exercise(notebook)
    cells, _ = run_notebook_as_student(
        page, lab, relative, screenshots / f"student-{notebook.stem}.png"
    )
    message = f"✗ {exercise}: not written yet."
    stopped = [c for c in cells if message in c.text]
    assert len(stopped) == 1, f"no cell shows {message!r}"
    # the message names the stub line to replace, but shows no traceback
    assert not re.search(r"Traceback|NotImplementedError\s*:|Cell In\[", stopped[0].text), (
        stopped[0].text
    )
    after = [c for c in cells if c.index > stopped[0].index]
    assert all(not re.search(r"\d", c.prompt) for c in after), "cells ran after the stop"
    before = [c for c in cells if c.index < stopped[0].index]
    assert all(ran(c) for c in before)
    assert not any("not written yet" in c.text for c in before)


# --- the harness itself, on a small notebook it writes ----------------------------------------


def harness_notebook(sigmoid_body: str) -> nbformat.NotebookNode:
    """Setup, imports, one exercise and its check, a figure and the neuron panel."""
    from helpers.authoring import SETUP_SOURCE

    cell = nbformat.v4.new_code_cell
    setup = cell(SETUP_SOURCE, metadata={"tags": ["setup"]})
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Harness notebook"),
            setup,
            cell("import numpy as np\nimport matplotlib.pyplot as plt\n"
                 "from helpers import check, data, interact"),
            cell(f"def sigmoid(z):\n    return {sigmoid_body}"),
            cell("check.sigmoid(sigmoid)"),
            cell("z = np.linspace(-6, 6, 50)\nplt.plot(z, sigmoid(z))\nplt.show()"),
            cell("X, y = data.movie_ratings(60, rng=0)\ninteract.neuron_panel(X, y)"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}},
    )


def test_harness_passes_a_working_notebook_with_a_panel(page, lab, screenshots):
    relative = "harness/working.ipynb"
    (lab.root / "harness").mkdir(exist_ok=True)
    nbformat.write(harness_notebook("0.5 * (1 + np.tanh(z / 2))"), lab.root / relative)
    check_solution_notebook(page, lab, relative, screenshots)


def test_harness_fails_a_notebook_whose_check_fails(page, lab, screenshots):
    relative = "harness/failing.ipynb"
    (lab.root / "harness").mkdir(exist_ok=True)
    nbformat.write(harness_notebook("1 / (1 + np.exp(z))"), lab.root / relative)
    with pytest.raises(AssertionError, match="✗ sigmoid"):
        check_solution_notebook(page, lab, relative, screenshots)


# Notebook 04's playground is driven in tests/test_browser_playground.py.
