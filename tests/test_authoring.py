"""The solution -> student generator, on small in-memory notebooks and on the repository."""

import json
from pathlib import Path

import pytest

from helpers import authoring
from helpers.authoring import AuthoringError, annotate, student_notebook

ROOT = Path(__file__).resolve().parents[1]


def code(source, **metadata):
    return {"cell_type": "code", "source": source, "metadata": metadata, "outputs": [
        {"output_type": "stream", "name": "stdout", "text": "old output\n"}
    ], "execution_count": 7}


def markdown(source, **metadata):
    return {"cell_type": "markdown", "source": source, "metadata": metadata}


def notebook(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


SOLUTION = code(
    "def sigmoid(z):\n"
    '    """Squash z into (0, 1); any shape."""\n'
    "    # Hint: 1 / (1 + exp(-z))\n"
    "    # BEGIN SOLUTION\n"
    "    return 0.5 * (1 + np.tanh(z / 2))\n"
    "    # END SOLUTION\n",
    nbgrader={"grade_id": "sigmoid", "solution": True},
)


def test_region_becomes_stub_at_marker_indentation_keeping_docstring_and_hint():
    nb = student_notebook(notebook(SOLUTION), "01_x.ipynb")
    source = nb["cells"][1]["source"]
    assert source == (
        "def sigmoid(z):\n"
        '    """Squash z into (0, 1); any shape."""\n'
        "    # Hint: 1 / (1 + exp(-z))\n"
        '    raise NotImplementedError("exercise: sigmoid")\n'
    )


def test_module_level_region_and_several_regions_in_one_cell():
    cell = code(
        "class Value:\n"
        "    def __mul__(self, other):\n"
        "        # BEGIN SOLUTION\n"
        "        return 1\n"
        "        # END SOLUTION\n"
        "\n"
        "# BEGIN SOLUTION\n"
        "LR = 3\n"
        "# END SOLUTION",
        nbgrader={"grade_id": "value"},
    )
    source = student_notebook(notebook(cell), "x.ipynb")["cells"][1]["source"]
    assert source.count('raise NotImplementedError("exercise: value")') == 2
    assert '\n        raise NotImplementedError("exercise: value")\n' in source
    assert source.endswith('\nraise NotImplementedError("exercise: value")')


@pytest.mark.parametrize(
    "source, message",
    [
        ("# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION", "line 2: BEGIN SOLUTION inside"),
        ("x = 1\n# END SOLUTION", "line 2: END SOLUTION without BEGIN"),
        ("# BEGIN SOLUTION\nx = 1", "never closed"),
    ],
)
def test_marker_errors_name_notebook_cell_and_line(source, message):
    nb = notebook(markdown("# Title"), code(source, nbgrader={"grade_id": "x"}))
    with pytest.raises(AuthoringError) as info:
        student_notebook(nb, "02_gd.ipynb")
    assert "02_gd.ipynb, cell 2" in str(info.value) and message in str(info.value)


def test_region_without_grade_id_is_an_error():
    with pytest.raises(AuthoringError, match="without an nbgrader grade_id"):
        student_notebook(notebook(code("# BEGIN SOLUTION\nx=1\n# END SOLUTION")), "a.ipynb")


def test_solution_only_cells_dropped_outputs_cleared_tags_kept():
    demo = code("check.sigmoid(wrong)", tags=["solution-only"])
    kept = code("print(1)", tags=["keep-me"])
    nb = student_notebook(notebook(markdown("Prose"), demo, kept), "a.ipynb")
    sources = [c["source"] for c in nb["cells"]]
    assert "check.sigmoid(wrong)" not in sources and "Prose" in sources
    [kept_out] = [c for c in nb["cells"] if c["source"] == "print(1)"]
    assert kept_out["outputs"] == [] and kept_out["execution_count"] is None
    assert kept_out["metadata"]["tags"] == ["keep-me"]


def test_badge_setup_cell_and_notebook_metadata():
    nb = student_notebook(notebook(code("pass", tags=["setup"])), "03_bp.ipynb")
    badge, setup = nb["cells"][:2]
    assert authoring.colab_url("notebooks/03_bp.ipynb") in badge["source"]
    assert setup["source"] == authoring.SETUP_SOURCE
    assert nb["metadata"]["workbook"]["notebook"] == "03_bp"


def test_generation_is_idempotent_and_leaves_input_alone():
    source_nb = notebook(markdown("Title"), SOLUTION)
    before = json.dumps(source_nb, sort_keys=True)
    once = student_notebook(source_nb, "a.ipynb")
    assert json.dumps(source_nb, sort_keys=True) == before
    assert authoring.dumps(student_notebook(source_nb, "a.ipynb")) == authoring.dumps(once)


def test_annotate_derives_nbgrader_metadata_from_check_calls():
    nb = notebook(
        code("def relu(z):\n    # BEGIN SOLUTION\n    return z\n    # END SOLUTION"),
        code("check.relu(relu)", nbgrader={"points": 3}),
    )
    exercise, checker = annotate(nb, "a.ipynb")["cells"]
    assert exercise["metadata"]["nbgrader"]["grade_id"] == "relu"
    assert exercise["metadata"]["nbgrader"]["solution"] is True
    assert checker["metadata"]["nbgrader"]["grade_id"] == "check_relu"
    assert checker["metadata"]["nbgrader"]["points"] == 3
    assert checker["metadata"]["nbgrader"]["locked"] is True


def test_check_mode_reports_stale_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "solutions" / "01_a.ipynb").write_text(json.dumps(notebook(SOLUTION)))
    assert authoring.main(["--check", "--root", str(tmp_path)]) == 1
    assert "stale: notebooks/01_a.ipynb" in capsys.readouterr().out
    assert not (tmp_path / "notebooks").exists()
    assert authoring.main(["--root", str(tmp_path)]) == 0
    assert authoring.main(["--check", "--root", str(tmp_path)]) == 0
    (tmp_path / "notebooks" / "01_a.ipynb").write_text("{}")
    assert authoring.main(["--check", "--root", str(tmp_path)]) == 1


def test_repository_student_notebooks_are_up_to_date(capsys):
    code_ = authoring.main(["--check", "--root", str(ROOT)])
    assert code_ == 0, capsys.readouterr().out


def test_no_student_notebook_contains_a_solution_marker():
    students = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert students, "no student notebooks were generated"
    for path in students:
        text = path.read_text(encoding="utf-8")
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text, path.name


def test_every_solution_has_the_setup_cell_verbatim():
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        setup = [c for c in cells if "setup" in c.get("metadata", {}).get("tags", [])]
        assert len(setup) == 1, f"{path.name}: expected one cell tagged 'setup'"
        assert "".join(setup[0]["source"]) == authoring.SETUP_SOURCE, path.name


def test_environment_yml_installs_the_package_and_the_runtime_dependencies():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for name in ("numpy", "matplotlib", "ipywidgets", "tqdm", "jupyterlab", "- -e ."):
        assert name in text, name
