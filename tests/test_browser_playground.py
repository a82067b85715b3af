"""Notebook 04's playground in a real JupyterLab, pressed as a student presses it.

Run with ``python -m pytest -m browser tests/test_browser_playground.py``. It reuses the
JupyterLab, page and screenshot fixtures of tests/test_browser.py (Debian's chromium,
driven by Playwright through tests/conftest.py's shared browser).

It runs notebook 04 as a student gets it (outputs cleared), then in its playground: the
picture starts untrained; **step** trains one epoch; **play** trains on its own until
**pause**; **large map** enlarges one hidden unit; **reset** starts again at epoch 0.
Every control carries a name a screen reader reads, and none is a slider. It saves a
screenshot of the playground (``playground.png``) with the output's shading and the
units' maps visible.
"""

from __future__ import annotations

import re
import time

import pytest
from test_browser import (  # noqa: F401 (lab, page and screenshots are fixtures)
    REDRAW_S,
    WIDGET_VIEW,
    assert_fits_a_laptop_screen,
    error_outputs,
    lab,
    page,
    run_notebook_as_student,
    screenshots,
)

pytestmark = pytest.mark.browser

NOTEBOOK = "solutions/04_mlp.ipynb"


def playground_view(tab):
    """The playground's widget output: the one with a "test once" button."""
    views = tab.locator(WIDGET_VIEW).filter(has=tab.get_by_role("button", name="test once"))
    assert views.count() == 1, f"{views.count()} playgrounds on the page"
    return views.first


def epoch_shown(view) -> int:
    counter = view.locator(".widget-html", has_text=re.compile(r"^\s*epoch \d+\s*$")).first
    return int(counter.inner_text().split()[-1])


def picture(view) -> str:
    return view.locator(".widget-html-content svg").evaluate_all(
        "svgs => svgs.map(s => s.outerHTML).join('')")


def wait_until(view, condition, what: str) -> None:
    deadline = time.monotonic() + REDRAW_S
    while not condition() and time.monotonic() < deadline:
        view.page.wait_for_timeout(250)
    assert condition(), what


def assert_controls_are_named(view) -> None:
    """What axe's button-name and aria-input-field-name rules ask, read from Chromium's
    accessibility tree: every button, menu, number field and checkbox has a name."""
    assert view.get_by_role("slider").count() == 0, "a slider: its handle has no name"
    for role in ("button", "combobox", "spinbutton", "checkbox"):
        controls = view.get_by_role(role)
        assert controls.count(), f"no {role} in the playground"
        for k in range(controls.count()):
            control = controls.nth(k)
            if not control.is_visible():
                continue
            name = control.evaluate(
                "el => (el.labels && el.labels.length ? el.labels[0].innerText : '')"
                " || el.getAttribute('aria-label') || el.innerText || el.title")
            assert name.strip(), f"a {role} without a name: {control.evaluate('e => e.outerHTML')}"
    for name in ("learning rate", "batch size", "noise", "validation share", "large map"):
        assert view.get_by_role("combobox", name=name).count() == 1, name
    shown = view.get_by_role("combobox").evaluate_all(
        "menus => menus.map(m => m.selectedIndex >= 0 ? m.options[m.selectedIndex].text : '')")
    assert all(shown), f"a menu shows no value: {shown}"
    rate = view.get_by_role("combobox", name="learning rate")
    assert rate.evaluate("el => el.options[el.selectedIndex].text") == "1"  # a true value
    assert view.get_by_role("checkbox", name="x₁²").count() == 1


def test_04_playground_step_play_pause_enlarge_and_reset(page, lab, screenshots):  # noqa: F811
    run_notebook_as_student(page, lab, NOTEBOOK, screenshots / "04_mlp-playground-run.png")
    assert not error_outputs(page), "\n\n".join(error_outputs(page))
    assert_fits_a_laptop_screen(page, NOTEBOOK)
    view = playground_view(page)
    view.scroll_into_view_if_needed()
    assert epoch_shown(view) == 0, "the playground must start untrained"
    assert "not trained yet" in picture(view)
    assert_controls_are_named(view)

    before = picture(view)
    view.get_by_role("button", name="step").click()
    wait_until(view, lambda: epoch_shown(view) == 1, "step did not train one epoch")
    wait_until(view, lambda: picture(view) != before, "step did not change the picture")

    play = view.get_by_role("button", name="play")
    play.click()
    wait_until(view, lambda: epoch_shown(view) >= 61, "play trained fewer than six ticks")
    view.get_by_role("button", name="pause").click()
    page.wait_for_timeout(2000)  # a tick already on its way may still land
    paused_at = epoch_shown(view)
    page.wait_for_timeout(2000)
    assert epoch_shown(view) == paused_at, "training went on after pause"

    view.get_by_role("combobox", name="large map").select_option(label="layer 1, unit 2")
    wait_until(view, lambda: "layer 1, unit 2 over the data" in picture(view),
               "large map did not enlarge the unit")
    view.get_by_role("combobox", name="large map").select_option(label="output")
    wait_until(view, lambda: "output over the data" in picture(view), "back to the output")
    images = view.locator(".widget-html-content svg image")
    assert images.count() == 1 + 2 + 4 + 1  # big map, 2 inputs, 4 hidden units, output
    sizes = images.evaluate_all("imgs => imgs.map(i => i.getBoundingClientRect().width)")
    assert sizes[0] >= 250 and min(sizes[1:]) >= 20, sizes
    page.set_viewport_size({"width": 1366, "height": 1400})  # the whole playground at once
    view.scroll_into_view_if_needed()
    view.screenshot(path=str(screenshots / "playground.png"))
    page.set_viewport_size({"width": 1366, "height": 768})

    view.get_by_role("button", name="reset").click()
    wait_until(view, lambda: epoch_shown(view) == 0, "reset did not start again")
    assert "not trained yet" in picture(view)
    assert not error_outputs(page), "\n\n".join(error_outputs(page))
