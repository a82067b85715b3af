import os
from pathlib import Path

import pytest

# figures render off-screen in tests
os.environ.setdefault("MPLBACKEND", "Agg")
# One BLAS thread in every kernel and subprocess the tests start. The test processes run
# one after the other on a 2-core machine, so a second thread buys nothing; OpenBLAS's
# spinning threads instead fight the other processes for the cores (notebook 06 measured
# 66 CPU-s with its default threads under load, 16 CPU-s with one).
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

#: The first line of a notebook test that failed because MNIST could not be had: nbval's
#: report starts with the cell's source and an ANSI traceback, and data.load_mnist's advice
#: comes last, after the list of mirrors that failed.
MNIST_FIRST_LINE = (
    "MNIST is not on this machine and could not be downloaded: run the tests once with "
    "internet (it is cached afterwards), or set NN_WORKBOOK_DATA to a folder that contains "
    "mnist/ with the four MNIST files (see the README, section Start)."
)


_mnist_failures: list[str] = []


def _mnist_first(repr_failure, nodeid: str = ""):
    def wrapped(excinfo, *args, **kwargs):
        report = repr_failure(excinfo, *args, **kwargs)
        if "MnistUnavailable" in str(report):
            _mnist_failures.append(nodeid)
            return f"{MNIST_FIRST_LINE}\n\n{report}"
        return report

    return wrapped


def pytest_collection_modifyitems(session, config, items):
    # a session-wide hook: it sees nbval's notebook cells (solutions/) too
    for item in items:
        if item.nodeid.endswith(".ipynb") or ".ipynb::" in item.nodeid:
            item.repr_failure = _mnist_first(item.repr_failure, item.nodeid)


def pytest_terminal_summary(terminalreporter):
    if _mnist_failures:  # said again last, where the run's summary is read
        terminalreporter.write_line(f"{_mnist_failures[0]}: {MNIST_FIRST_LINE}")


#: Debian's chromium, driven by Playwright (which never downloads a browser of its own here).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for every browser test of the session (Playwright's sync API
    allows one running instance per thread)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail('Playwright is missing: pip install -e ".[browser]"')
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
