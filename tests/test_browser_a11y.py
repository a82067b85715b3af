"""WCAG 2.0/2.1 A and AA in JupyterLab: axe-core on every solution notebook and on the class
report (issue 26).

Run with ``python -m pytest -m browser tests/test_browser_a11y.py``. It shares
tests/test_browser.py's JupyterLab and Debian's Chromium; axe-core comes from npm
(``npm ci --prefix .ci``, which .ci/run does; this test runs it when .ci/node_modules is
missing) and is injected into the page. For each notebook the test runs all cells, then runs
axe on the notebook's outputs and rendered markdown only (JupyterLab's own chrome is
upstream's), and fails on any violation, listing each rule with the elements it found. It
also presses an arrow key in a field of each interactive panel (the panels' controls are
labelled fields, not sliders) and waits for the picture to change, and reads two figures'
text alternatives from Chromium's accessibility tree, as a screen reader gets them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from test_browser import (  # noqa: F401 - fixtures, shared with the browser test
    LAPTOP,
    ROOT,
    SOLUTIONS,
    drawing,
    lab,
    open_notebook,
    panels,
    run_all_cells,
    screenshots,
    tell,
)
from test_report import synthetic_class

pytestmark = pytest.mark.browser

AXE = ROOT / ".ci" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What axe looks at in a notebook: its outputs and its rendered markdown.
SCOPE = (".jp-Notebook .jp-Cell-outputArea, "
         ".jp-Notebook .jp-MarkdownCell .jp-RenderedMarkdown")
REDRAW_S = 30
# Run All's time limit: axe needs every output, and notebook 06 trains on MNIST; how fast a
# notebook runs is tests/test_browser.py's to judge, not this test's.
RUN_ALL_S = 600


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("axe-core is missing and npm is not installed: "
                        "apt-get install npm, then npm ci --prefix .ci")
        subprocess.run([npm, "ci", "--prefix", str(ROOT / ".ci"), "--no-audit", "--no-fund"],
                       check=True)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport=LAPTOP)
    page = context.new_page()
    yield page
    context.close()


def run_axe(page, axe_source: str, scope: str | None) -> list[dict]:
    """axe-core's WCAG A/AA violations in the elements ``scope`` selects (the whole page if
    None): one dict per rule with its id, help and the elements (HTML, why) it failed on."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async ([scope, tags]) => {
            const context = scope ? document.querySelectorAll(scope) : document;
            const result = await axe.run(context, {runOnly: {type: 'tag', values: tags},
                                                  resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, help: v.help, impact: v.impact,
                nodes: v.nodes.map(n => ({html: n.html.slice(0, 200),
                                          why: n.failureSummary.slice(0, 300)}))}));
        }""",
        [scope, WCAG_TAGS],
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({len(v['nodes'])}): {v['help']}")
        lines.extend(f"    {n['html']}\n      {n['why']}" for n in v["nodes"][:3])
    return "\n".join(lines)


def counts(violations: list[dict]) -> dict[str, int]:
    return {v["id"]: len(v["nodes"]) for v in violations}


def assert_fields_redraw(page) -> int:
    """Press ArrowUp in the first number field (or pick the next option of the first
    dropdown) of each panel: its picture must change. Returns how many panels moved."""
    moved = 0
    for number, panel in enumerate(panels(page), start=1):
        fields = panel.locator(".widget-inline-hbox input[type=number]")
        dropdowns = panel.locator(".widget-dropdown select")
        if not fields.count() and not dropdowns.count():
            continue
        panel.scroll_into_view_if_needed()
        before = drawing(panel)
        if fields.count():
            control = fields.first
            control.focus()
            control.press("ArrowUp")
        else:
            control = dropdowns.first
            control.focus()
            control.press("ArrowDown")
        deadline = time.monotonic() + REDRAW_S
        while drawing(panel) in (before, "") and time.monotonic() < deadline:
            page.wait_for_timeout(250)
        assert drawing(panel) not in (before, ""), f"panel {number}: the keyboard moved nothing"
        moved += 1
    return moved


def figure_names(page, limit: int = 2) -> list[dict]:
    """The accessible name and description of the first ``limit`` figures, from Chromium's
    accessibility tree (CDP Accessibility.getFullAXTree)."""
    session = page.context.new_cdp_session(page)
    tree = session.send("Accessibility.getFullAXTree")["nodes"]
    found = []
    for node in tree:
        role = node.get("role", {}).get("value")
        name = node.get("name", {}).get("value", "")
        if role in ("image", "img") and name and len(found) < limit:
            found.append({"name": name,
                          "description": node.get("description", {}).get("value")})
    return found


@pytest.mark.parametrize("notebook", SOLUTIONS, ids=lambda p: p.name)
def test_notebook_outputs_meet_wcag_aa_in_jupyterlab(page, lab, axe_source, pytestconfig,  # noqa: F811
                                                     notebook):
    relative = notebook.relative_to(ROOT).as_posix()
    open_notebook(page, lab, relative)
    run_all_cells(page, RUN_ALL_S)
    # a widget drawn after the kernel went idle (notebook 04's playground) must be seen too
    page.wait_for_function("() => !document.body.innerText.includes('Loading widget')",
                           timeout=60_000)
    page.wait_for_timeout(2000)
    violations = run_axe(page, axe_source, SCOPE)
    images = page.locator(".jp-Cell-outputArea img").count()
    tell(pytestconfig, f"{relative}: axe {counts(violations) or 'no violation'}; "
                       f"{images} images")
    alts = page.locator(".jp-Cell-outputArea img").evaluate_all(
        "imgs => imgs.map(i => i.getAttribute('alt') || '')")
    assert all(alt.strip() for alt in alts), "an output image without alt text"
    for figure in figure_names(page):
        tell(pytestconfig, f"  accessibility tree: {json.dumps(figure, ensure_ascii=False)}")
    moved = assert_fields_redraw(page)
    tell(pytestconfig, f"  {moved} panel(s) redrew from the keyboard")
    assert not violations, describe_violations(violations)


def test_class_report_meets_wcag_aa(page, axe_source, tmp_path, pytestconfig):
    from helpers.grading.report import records_from_results, write_report

    data, _ = synthetic_class()
    paths = write_report(records_from_results(data), tmp_path / "01_neuron",
                         notebook="01_neuron")
    page.goto(Path(paths["html"]).as_uri())
    violations = run_axe(page, axe_source, None)
    tell(pytestconfig, f"report.html: axe {counts(violations) or 'no violation'}")
    assert not violations, describe_violations(violations)


def test_axe_finds_what_it_must(page, axe_source):
    """The harness can fail: an image with no alt, an unnamed slider and faint text."""
    page.set_content(
        '<main><img src="data:image/png;base64,iVBORw0KGgo="><div role="slider" tabindex="0" '
        'aria-valuenow="1" aria-valuemin="0" aria-valuemax="2"></div>'
        '<p style="color:#aaa;background:#fff">faint</p></main>')
    found = counts(run_axe(page, axe_source, None))
    assert {"image-alt", "aria-input-field-name", "color-contrast"} <= set(found), found
    assert re.fullmatch(r"[\w-]+", next(iter(found)))
