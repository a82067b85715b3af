#!/usr/bin/env bash
# CI: the nbgrader path, as an instructor on nbgrader takes it. With the shipped
# nbgrader_config.py, `nbgrader generate_assignment` on every solution notebook must release
# what notebooks/ gives students (no solution-only cell), its unfilled notebooks must say
# "not written yet" when run, and `nbgrader autograde` of the solutions must give full marks.
# Runs after the main test command, in the same .venv; about as long as one nbval run.
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/python -m pip install -q -e ".[nbgrader]"
NN_WORKBOOK_NBGRADER=1 .venv/bin/python -m pytest tests/test_nbgrader.py
