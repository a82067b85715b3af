#!/usr/bin/env bash
# CI: the six solution notebooks on the package stacks students really have.
#   colab:  Colab's own versions (Python 3.12, numpy 2.0.2, matplotlib 3.10.0,
#           ipywidgets 7.7.1, ipykernel 6.17.1, IPython 7.34); `pip check` must pass there,
#           since the Colab setup cell installs the package next to exactly these.
#   oldest: the oldest versions pyproject.toml declares, on the oldest Python it declares.
# Each stack is a fresh uv environment; both run at once (8 min here on 2 cores shared with
# 7 other jobs, 3 min of CPU: about 3 to 4 min on an idle 2-core machine).
# Run from the repository root after .ci/run's main step (it needs .venv and, for notebook 06,
# NN_WORKBOOK_DATA or internet).
set -euo pipefail
cd "$(dirname "$0")/.."

# uv comes from PyPI through the project's own venv, never from the machine
.venv/bin/python -m pip install -q "uv>=0.4"
UV=.venv/bin/uv
export UV_PYTHON_DOWNLOADS=never UV_NO_PROGRESS=1
export PYDEVD_DISABLE_FILE_VALIDATION=1  # silences debugpy's frozen-modules note in every kernel

python_for() {  # the interpreter of Python $1: on PATH, else pyenv's
  local found
  for found in "$(command -v "python$1" || true)" /root/.pyenv/versions/"$1".*/bin/python"$1" \
      "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$1".*/bin/python"$1"; do
    if [ -n "$found" ] && [ -x "$found" ] && "$found" -c "" 2>/dev/null; then
      echo "$found"; return 0
    fi
  done
  echo "stacks: no Python $1 on this machine" >&2
  return 1
}

# the oldest versions come from pyproject.toml itself, so the job tests what it declares
# (read with re: tomllib is not in Python 3.10)
read_pyproject() {
  .venv/bin/python - "$1" <<'PY'
import re, sys
text = open("pyproject.toml", encoding="utf-8").read()
if sys.argv[1] == "oldest":
    block = re.search(r"^dependencies = \[(.*?)\]", text, re.M | re.S).group(1)
    print(" ".join(d.replace(">=", "==") for d in re.findall(r'"([^"]+)"', block)))
else:
    print(re.search(r'^requires-python = ">=([0-9.]+)"', text, re.M).group(1))
PY
}
OLDEST=$(read_pyproject oldest)
OLDEST_PYTHON=$(read_pyproject python)
COLAB="numpy==2.0.2 matplotlib==3.10.0 ipywidgets==7.7.1 tqdm==4.67.1 ipykernel==6.17.1 ipython==7.34.0"
TEST_TOOLS="pytest nbval"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() {  # build NAME PYTHON PACKAGES...: a venv with the package installed from this clone
  local name=$1 python=$2; shift 2
  "$UV" venv -q -p "$python" "$work/$name"
  # --python names the target: never the venv uv itself runs from
  # shellcheck disable=SC2086
  "$UV" pip install -q --python "$work/$name/bin/python" "$@" $TEST_TOOLS -e .
  echo "== $name: $("$work/$name/bin/python" -c 'import sys, numpy, matplotlib, ipywidgets, tqdm; print("Python", sys.version.split()[0], "numpy", numpy.__version__, "matplotlib", matplotlib.__version__, "ipywidgets", ipywidgets.__version__, "tqdm", tqdm.__version__)')"
}

# shellcheck disable=SC2086
build colab "$(python_for 3.12)" $COLAB
"$UV" pip check --python "$work/colab/bin/python"  # the installed set is consistent
# shellcheck disable=SC2086
build oldest "$(python_for "$OLDEST_PYTHON")" $OLDEST

run() {  # the solution notebooks with nbval, in the stack's own kernel
  "$work/$1/bin/python" -m pytest solutions -p no:cacheprovider -q \
    > "$work/$1.log" 2>&1
}
run colab & colab_pid=$!
run oldest & oldest_pid=$!
status=0
wait "$colab_pid" || status=1
echo "== colab stack:"; tail -n 25 "$work/colab.log"
wait "$oldest_pid" || status=1
echo "== oldest declared stack:"; tail -n 25 "$work/oldest.log"
exit "$status"
