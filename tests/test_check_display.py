"""How failures look in a real Jupyter kernel: one clear message, no traceback."""

import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbformat.v4 import new_code_cell, new_notebook


def run_cells(*sources):
    nb = new_notebook(cells=[new_code_cell(s) for s in sources])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True).execute()
    return [
        next((o for o in cell.outputs if o.output_type == "error"), None) for cell in nb.cells
    ]


def test_stub_and_check_failures_render_as_one_message_other_errors_as_tracebacks():
    errors = run_cells(
        "from helpers import check\nimport numpy as np",
        'LR_DIVERGES = 3.0\nraise NotImplementedError("exercise: lr_diverges")',
        "check.sigmoid(lambda z: 1 / (1 + np.exp(z)))",
        "raise NotImplementedError('something else')",
    )
    assert errors[0] is None
    stub = "\n".join(errors[1].traceback)
    assert stub.startswith("✗ lr_diverges: not written yet.") and "Traceback" not in stub
    failed = "\n".join(errors[2].traceback)
    assert failed.startswith("✗ sigmoid: ") and "Hint: your values are σ(-z)" in failed
    assert "Traceback" not in failed and "_core.py" not in failed
    other = "\n".join(errors[3].traceback)
    assert "something else" in other and "✗" not in other


def test_a_stub_raised_at_cell_level_stops_run_all():
    nb = new_notebook(cells=[new_code_cell(s) for s in (
        "from helpers import check",
        'raise NotImplementedError("exercise: lr_diverges")',
        "print('never reached')",
    )])
    with pytest.raises(CellExecutionError):
        NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    assert nb.cells[2].outputs == []
