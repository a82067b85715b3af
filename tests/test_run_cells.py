"""Predict, then run: the cell that shows a question's outcome reads the student's answer in
its first statement, so run before the answer is given it stops at a NameError before it
prints or draws anything of the outcome (blind students ran such cells first)."""

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: (notebook, the answer's variable, a fragment only its run cells contain)
RUN_CELLS = [
    ("01_neuron", "PREDICT_LR_SCALING", "experiments.lr_scaling("),
    ("01_neuron", "PREDICT_XOR_CONVERGES", "perceptron(X_xor, y_xor"),
    ("02_gradient_descent", "PREDICT_DOWNHILL", "descent.random_directions("),
    ("02_gradient_descent", "PREDICT_BOWL_LR", "lr=0.101"),
    ("03_backpropagation", "PREDICT_CHAIN_DEPTH", "backprop.gradient_sizes_by_depth("),
    ("03_backpropagation", "A_PLUS_A_GRAD", "b = a + a: two edges leave a"),
    ("03_backpropagation", "ZERO_GRADIENT_WEIGHT", "w1, w2, b = Value(-3.0"),
    ("03_backpropagation", "PREDICT_LR100", "backprop.learning_rate_runs("),
    ("03_backpropagation", "NOT_ZEROED_CURVE", "backprop.forgetting_zero_grad("),
    ("04_mlp", "PREDICT_XOR_LINEAR", "mlp.xor_with_and_without_activation("),
    ("04_mlp", "PREDICT_LR_DIVERGES", "mlp.learning_rate_runs("),
    ("04_mlp", "PREDICT_SIGMOID_DEPTH", "mlp.gradient_reaching_layers("),
    ("05_sgd", "PREDICT_BATCH_PER_EPOCH", 'runs[f"B = {B}"]'),
    ("05_sgd", "ADAM_FIRST_STEP", "sgd_runs.first_steps("),
    ("05_sgd", "PREDICT_RAVINE_WORST", "sgd_runs.ravine_paths("),
    ("05_sgd", "RAVINE_LR_LIMIT", "sgd_runs.ravine_stability_limit("),
    ("05_sgd", "PREDICT_LR_ABOVE_LIMIT", "sgd_runs.ravine_stability_limit("),
    ("05_sgd", "RAW_INPUT_LR_LIMIT", "sgd_runs.linear_neuron_lr_limit("),
    ("06_softmax_cross_entropy", "DL_DZ_BCE", "softmax_runs.sigmoid_output_gradients("),
    ("06_softmax_cross_entropy", "PREDICT_LOW_TEMPERATURE", "softmax_temperature_panel("),
    ("06_softmax_cross_entropy", "PREDICT_UNIFORM_LOSS",
     "softmax_runs.initial_loss(loss, scale=0.01"),
]


def _code_cells(folder: str, notebook: str) -> list[str]:
    nb = json.loads((ROOT / folder / f"{notebook}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("folder", ["solutions", "notebooks"])
@pytest.mark.parametrize(("notebook", "variable", "runs"), RUN_CELLS)
def test_each_run_cell_reads_the_answer_before_it_shows_anything(folder, notebook, variable,
                                                                 runs):
    cells = _code_cells(folder, notebook)
    asked = next(i for i, text in enumerate(cells) if variable in text)  # where it is asked
    assert not any(runs in text for text in cells[:asked]), "the run comes before the question"
    run_cells = [text for text in cells[asked + 1:] if runs in text]
    assert run_cells, f"no run cell contains {runs!r}"
    for run_cell in run_cells:
        first = ast.parse(run_cell).body[0]
        assert variable in {node.id for node in ast.walk(first) if isinstance(node, ast.Name)}
        assert runs not in ast.unparse(first), run_cell


def test_the_scan_sees_a_run_cell_that_shows_its_outcome_first():
    late = 'path = run(lr=0.101)\nprint(path)\nprint(f"you predicted {PREDICT_BOWL_LR}")'
    first = ast.parse(late).body[0]
    assert "PREDICT_BOWL_LR" not in {n.id for n in ast.walk(first) if isinstance(n, ast.Name)}
