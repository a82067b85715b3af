"""The setup cell as a student meets it in JupyterLab: one folded line, not fifty of plumbing.

Run with ``python -m pytest -m browser tests/test_browser_setup.py``; it shares
tests/test_browser.py's JupyterLab and Chromium.
"""

from __future__ import annotations

import pytest
from test_browser import STUDENTS, lab, open_notebook, page, screenshots  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


@pytest.mark.skipif(not STUDENTS, reason="no student notebook yet")
def test_the_setup_cell_shows_as_one_folded_line(page, lab, screenshots):  # noqa: F811
    # every student notebook has the same cell and metadata (tests/test_colab.py); one is
    # enough to see what JupyterLab makes of it
    notebook = STUDENTS[0]
    open_notebook(page, lab, f"notebooks/{notebook.name}")
    setup = page.locator(".jp-CodeCell").first
    # JupyterLab folds a source_hidden cell's input into a placeholder: its code is not shown
    assert setup.locator(".jp-InputArea-editor").count() == 0 or not (
        setup.locator(".jp-InputArea-editor").first.is_visible())
    placeholder = setup.locator(".jp-InputPlaceholder")
    assert placeholder.count() == 1 and placeholder.first.is_visible()
    shown = setup.inner_text().strip()
    lines = [line for line in shown.splitlines() if line.strip() and not line.startswith("[")]
    assert len(lines) <= 1, f"the setup cell shows {len(lines)} lines: {shown!r}"
    assert "import" not in shown and "subprocess" not in shown, shown
    setup.screenshot(path=str(screenshots / f"setup-{notebook.stem}.png"))
