"""helpers.own_code: notebook 06's finale on the student's own classes (issue 17, item 5).

The earlier notebooks are built in a temporary folder: from the solutions (every class is
the student's and passes its check), from the unfilled student notebooks, with one wrong
class, or not at all (a clean fallback, and one line for Colab).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from checking import own_copy

from helpers import data, losses, nn, optim, own_code
from helpers.authoring import dumps

ROOT = Path(__file__).resolve().parents[1]
NAMES = ["Linear", "ReLU", "Sequential", "Adam", "minibatches"]
REFERENCE = {"Linear": nn.Linear, "ReLU": nn.ReLU, "Sequential": nn.Sequential,
             "Adam": optim.Adam, "minibatches": data.minibatches}


def _copy(folder: Path, tmp_path: Path, stems=("04_mlp", "05_sgd")) -> Path:
    for stem in stems:
        shutil.copy(ROOT / folder / f"{stem}.ipynb", tmp_path / f"{stem}.ipynb")
    return tmp_path


def _edit_cell(path: Path, grade_id: str, edit) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"]
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id)
    cell["source"] = edit("".join(cell["source"])).splitlines(keepends=True)
    path.write_text(dumps(nb), encoding="utf-8")


def test_the_solutions_give_the_students_own_classes_each_checked(tmp_path):
    folder = _copy(Path("solutions"), tmp_path)
    lines = []
    # the package's own class would fail its check as borrowed: a student's copy of it
    kit = own_code.load(folder, own={"SoftmaxCrossEntropy": own_copy(losses.SoftmaxCrossEntropy)},
                        report=lines.append)
    assert kit.origin == {**dict.fromkeys(NAMES, "yours"), "SoftmaxCrossEntropy": "yours"}
    for name in NAMES:
        obj = getattr(kit, name)
        assert obj is not REFERENCE[name]
        assert obj.__module__ == f"own_code_{'04_mlp' if name in NAMES[:3] else '05_sgd'}"
    assert lines == kit.lines and len(lines) == 6
    assert all("passes its check" in line for line in lines)


def test_the_students_classes_train_together_in_float32(tmp_path):
    kit = own_code.load(_copy(Path("solutions"), tmp_path), report=None)
    kit.SoftmaxCrossEntropy = losses.SoftmaxCrossEntropy
    rng = np.random.default_rng(0)
    model = own_code.mnist_model(kit, rng)
    assert type(model) is kit.Sequential and type(model.layers[0]) is kit.Linear
    X = rng.random((256, 784), dtype=np.float32)
    y = (X[:, :392].sum(axis=1) > X[:, 392:].sum(axis=1)).astype(int)  # a learnable rule
    loss, optimiser = kit.SoftmaxCrossEntropy(), kit.Adam(model, lr=0.003)
    first = None
    for _ in range(3):
        for X_batch, y_batch in kit.minibatches(X, y, 64, rng):
            value = loss.forward(model.forward(X_batch), y_batch)
            first = value if first is None else first
            model.backward(loss.backward())
            optimiser.step()
    assert value < first
    assert all(param.dtype == np.float32 for param, _ in model.parameters())
    assert model.forward(X).dtype == np.float32


def test_unfilled_student_notebooks_fall_back_with_one_line_each(tmp_path):
    lines = []
    kit = own_code.load(_copy(Path("notebooks"), tmp_path), report=lines.append)
    assert kit.origin == dict.fromkeys(NAMES, "reference")
    assert all(getattr(kit, name) is REFERENCE[name] for name in NAMES)
    assert len(lines) == len(NAMES)
    for name, line in zip(NAMES, lines, strict=True):
        assert line.startswith(f"{name} from ") and "not written yet" in line
        assert f"using the reference {name}" in line


def test_a_wrong_class_is_named_and_replaced_the_others_stay_the_students(tmp_path):
    folder = _copy(Path("solutions"), tmp_path)
    _edit_cell(folder / "04_mlp.ipynb", "linear",
               lambda s: s.replace("self.dW = self.x.T @ dout", "self.dW = 2 * self.x.T @ dout"))
    lines = []
    kit = own_code.load(folder, report=lines.append)
    assert kit.Linear is nn.Linear and kit.origin["Linear"] == "reference"
    assert [kit.origin[n] for n in NAMES[1:]] == ["yours"] * 4
    line = " ".join(lines[0].split())  # printed wrapped, never cut
    assert line.startswith("Linear from 04_mlp.ipynb: check.linear fails: dW ")
    assert "does not match finite differences of your forward" in line and "…" not in line
    assert "run check.linear on it in its notebook" in line
    assert line.endswith("using the reference Linear.")
    assert kit.lines[0] == line


def test_a_wrong_own_class_of_this_notebook_falls_back_too(tmp_path):
    class NoBackward(losses.SoftmaxCrossEntropy):
        def backward(self):
            raise NotImplementedError

    kit = own_code.load(_copy(Path("solutions"), tmp_path),
                        own={"SoftmaxCrossEntropy": NoBackward}, report=None)
    assert kit.SoftmaxCrossEntropy is losses.SoftmaxCrossEntropy
    assert "SoftmaxCrossEntropy from this notebook" in kit.lines[-1]


def test_only_definitions_run_never_training_cells(tmp_path):
    folder = _copy(Path("solutions"), tmp_path)
    marker = tmp_path / "trained.txt"
    nb = json.loads((folder / "04_mlp.ipynb").read_text(encoding="utf-8"))
    work = f"open({str(marker)!r}, 'w').write('ran')\nraise SystemExit('a training cell ran')\n"
    nb["cells"].insert(3, {"cell_type": "code", "execution_count": None, "metadata": {},
                           "outputs": [], "source": work.splitlines(keepends=True)})
    (folder / "04_mlp.ipynb").write_text(dumps(nb), encoding="utf-8")
    kit = own_code.load(folder, report=None)
    assert not marker.exists()
    assert kit.origin["Linear"] == "yours"


def test_no_earlier_notebooks_a_clean_fallback_in_one_line(tmp_path):
    lines = []
    kit = own_code.load(tmp_path, report=lines.append)
    assert all(getattr(kit, name) is REFERENCE[name] for name in NAMES)
    assert len(lines) == 1
    assert "04_mlp.ipynb and 05_sgd.ipynb not found" in lines[0]
    model = own_code.mnist_model(kit, np.random.default_rng(0))
    assert model.forward(np.zeros((2, 784), np.float32)).shape == (2, 10)


def test_only_one_notebook_present(tmp_path):
    kit = own_code.load(_copy(Path("solutions"), tmp_path, stems=("05_sgd",)), report=None)
    assert [kit.origin[n] for n in NAMES] == ["reference"] * 3 + ["yours"] * 2
    assert "04_mlp.ipynb not found" in kit.lines[-1] and "Linear, ReLU, Sequential" in kit.lines[-1]


def test_on_colab_one_line_says_how_to_bring_the_notebooks(tmp_path, monkeypatch):
    monkeypatch.setattr(own_code, "on_colab", lambda: True)
    lines = []
    kit = own_code.load(tmp_path, report=lines.append)
    assert kit.origin == dict.fromkeys(NAMES, "reference")
    assert len(lines) == 1
    assert "upload 04_mlp.ipynb and 05_sgd.ipynb" in lines[0] and "mount your Drive" in lines[0]


def test_an_unreadable_notebook_is_named(tmp_path):
    folder = _copy(Path("solutions"), tmp_path, stems=("05_sgd",))
    (folder / "04_mlp.ipynb").write_text("{ not json", encoding="utf-8")
    kit = own_code.load(folder, report=None)
    assert kit.origin["Linear"] == "reference"
    assert "04_mlp.ipynb cannot be read" in kit.lines[0]


@pytest.mark.parametrize("name", ["Linear", "Adam"])
def test_a_renamed_copy_is_found(tmp_path, name):
    folder = _copy(Path("solutions"), tmp_path)
    stem = "04_mlp" if name == "Linear" else "05_sgd"
    (folder / f"{stem}.ipynb").rename(folder / f"{stem} (1).ipynb")
    kit = own_code.load(folder, report=None)
    assert kit.origin[name] == "yours"


def _notebook_06_cell(start: str) -> str:
    cells = json.loads((ROOT / "solutions" / "06_softmax_cross_entropy.ipynb")
                       .read_text(encoding="utf-8"))["cells"]
    return next("".join(c["source"]) for c in cells if "".join(c["source"]).startswith(start))


def test_notebook_06_builds_its_mnist_network_from_the_loaded_classes():
    build = _notebook_06_cell("kit = own_code.load(")
    assert 'own={"SoftmaxCrossEntropy": SoftmaxCrossEntropy}' in build
    assert "own_code.mnist_model(kit, rng, hidden=best_width)" in build and "kit.Adam(" in build
    assert "kit.SoftmaxCrossEntropy()" in build
    loop = _notebook_06_cell("epochs, batch_size = 4, 128")
    assert "kit.minibatches(" in loop and "time.perf_counter()" in loop and "tqdm(" in loop


@pytest.mark.skipif(not os.environ.get("NN_WORKBOOK_DATA"), reason="NN_WORKBOOK_DATA is not set")
def test_mnist_on_the_students_own_classes_reaches_97_percent(tmp_path):
    """Notebook 06's training cell, run on the classes loaded from the solutions' 04 and 05
    (as a student who did them has them) and 06's SoftmaxCrossEntropy."""
    from helpers.experiments import softmax as softmax_runs

    ns = {"np": np}
    for start in ("def one_hot(", "class SoftmaxCrossEntropy:", "def predict("):
        exec(_notebook_06_cell(start), ns)  # noqa: S102
    kit = own_code.load(_copy(Path("solutions"), tmp_path),
                        own={"SoftmaxCrossEntropy": ns["SoftmaxCrossEntropy"]}, report=None)
    assert sorted(kit.mine()) == sorted([*NAMES, "SoftmaxCrossEntropy"])
    X_train, X_test, y_train, y_test = data.load_mnist(download=False, progress=False)
    X_fit, _, y_fit, _ = softmax_runs.validation_split(X_train, y_train, n_val=5000, rng=0)
    rng = np.random.default_rng(0)
    model = own_code.mnist_model(kit, rng)
    loss, optimiser = kit.SoftmaxCrossEntropy(), kit.Adam(model, lr=0.003)
    for lr in softmax_runs.halving_schedule(0.003, 3):
        optimiser.lr = lr
        for X_batch, y_batch in kit.minibatches(X_fit, y_fit, 128, rng):
            loss.forward(model.forward(X_batch), y_batch)
            model.backward(loss.backward())
            optimiser.step()
    assert all(param.dtype == np.float32 for param, _ in model.parameters())
    test_predictions = ns["predict"](model, X_test)
    assert np.mean(test_predictions == y_test) >= 0.97
    # 06's confusion matrix: "roughly 850 to 1,150 per digit", "fewer than twenty of any one kind"
    (fewest, most), worst = softmax_runs.confusion_extremes(y_test, test_predictions)
    assert 850 <= fewest and most <= 1150 and 0 < worst < 20
    # 06's last 'What you should see': nearly always sure when right, much less so on its
    # mistakes (the cell prints the medians; their third digit moves with the BLAS's threads)
    sure = softmax_runs.confidence(losses.softmax(model.forward(X_test)), y_test)
    assert sure["right"] > 0.99 and 0.5 < sure["wrong"] < 0.85
    assert 0.85 < sure["right above 0.9"] < 0.99


@pytest.mark.skipif(not os.environ.get("NN_WORKBOOK_DATA"), reason="NN_WORKBOOK_DATA is not set")
def test_mnist_answer_plain_sgd_at_0_003_lags_far_behind_adam_after_one_epoch():
    """06's last 'What you should see': 67 % against 95 % on the validation set."""
    from helpers.experiments import softmax as softmax_runs

    X_train, _, y_train, _ = data.load_mnist(download=False, progress=False)
    X_fit, X_val, y_fit, y_val = softmax_runs.validation_split(X_train, y_train, 5000, rng=0)
    kit = own_code.load(Path("/nonexistent"), report=None)
    accuracy = {}
    for name, make in (("Adam", optim.Adam), ("SGD", optim.SGD)):
        rng = np.random.default_rng(0)
        model = own_code.mnist_model(kit, rng)
        loss, optimiser = losses.SoftmaxCrossEntropy(), make(model, lr=0.003)
        for X_batch, y_batch in kit.minibatches(X_fit, y_fit, 128, rng):
            loss.forward(model.forward(X_batch), y_batch)
            model.backward(loss.backward())
            optimiser.step()
        accuracy[name] = np.mean(model.forward(X_val).argmax(axis=1) == y_val)
    assert round(100 * accuracy["Adam"]) == 95 and round(100 * accuracy["SGD"]) == 67


def test_a_passing_class_found_outside_its_exercise_cell_is_reported_calmly(tmp_path):
    folder = _copy(Path("solutions"), tmp_path)
    path = folder / "04_mlp.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"]
                if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "linear")
    del cell["metadata"]["nbgrader"]  # the student pasted Linear into a new cell
    path.write_text(dumps(nb), encoding="utf-8")
    kit = own_code.load(folder, report=None)
    assert kit.origin["Linear"] == "yours"
    assert kit.lines[0] == ("Linear: yours, from 04_mlp.ipynb, passes its check (found in a "
                            "cell without the exercise's marker; that is fine).")
    assert not any("instead" in line or "missing" in line for line in kit.lines)
