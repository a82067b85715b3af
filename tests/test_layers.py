"""The package's layers: the checks (and own_code) read course notebooks through
helpers.course, below them, never by reaching up into the grader."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_PROBE = """
import json, sys
import helpers.check
from helpers.check import _summary
found = _summary._course_exercises(_summary._solutions() / "01_neuron.ipynb")
import helpers.own_code
print(json.dumps({"exercises": len(found or []),
                  "grading": sorted(m for m in sys.modules if m.startswith("helpers.grading"))}))
"""


def test_the_checks_import_nothing_from_the_grader():
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["exercises"] > 0  # the course reader was used, not only imported
    assert seen["grading"] == []


def test_the_old_address_of_the_course_reader_still_imports():
    from helpers import course
    from helpers.grading import course as old

    assert old.load_course is course.load_course and old.Exercise is course.Exercise
