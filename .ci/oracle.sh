#!/usr/bin/env bash
# CI: PyTorch as the oracle. Installs the [oracle] extra (the CPU wheel of torch 2.13.0) into
# .venv and runs tests/test_oracle.py, which the main test run skips without PyTorch.
# TORCH_INDEX (say https://download.pytorch.org/whl/cpu) names the index holding the CPU wheel
# where the default index would serve the CUDA build; unset, pip's configured index is used.
set -euo pipefail
cd "$(dirname "$0")/.."

.venv/bin/python -m pip install ${TORCH_INDEX:+--index-url "$TORCH_INDEX"} "torch==2.13.0"
.venv/bin/python -m pip install -e ".[oracle]"
.venv/bin/python -c "import torch; print('PyTorch', torch.__version__)"  # never a silent skip
.venv/bin/python -m pytest tests/test_oracle.py -p no:cacheprovider
