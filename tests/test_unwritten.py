"""An exercise not written yet: panels and figures say in one line which one to write first.

Drawn headless; the panels' Output widgets are read back from their ``outputs``. One test
runs cells in a real kernel, as a student would.
"""

import sys

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import interact, plot


def stub_gradient_descent(grad, x0, lr, n_steps):
    raise NotImplementedError("exercise: gradient_descent")


def gradient_descent(grad, x0, lr, n_steps):
    raise NotImplementedError()  # nbgrader's stub: no message


class Linear:
    def forward(self, x):
        raise NotImplementedError()


def reference_descent(grad, x0, lr, n_steps):
    xs = [np.asarray(x0, dtype=float)]
    for _ in range(n_steps):
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return np.array(xs)


def f(x):
    return (x - 2.0) ** 2


def f_prime(x):
    return 2 * (x - 2.0)


def bowl(p):
    return p[0] ** 2 + 2 * p[1] ** 2


def bowl_grad(p):
    return np.array([2 * p[0], 4 * p[1]])


def raised(call):
    try:
        call()
    except Exception as error:  # noqa: BLE001
        return error
    raise AssertionError("expected an error")


# --- which exercise ---


def test_unwritten_exercise_names_the_stub_of_a_student_notebook():
    assert plot.unwritten_exercise(raised(lambda: stub_gradient_descent(f_prime, 0, 0.1, 3))) \
        == "gradient_descent"


def test_unwritten_exercise_names_nbgraders_bare_stub_after_its_function_or_method():
    assert plot.unwritten_exercise(raised(lambda: gradient_descent(f_prime, 0, 0.1, 3))) \
        == "gradient_descent"
    assert plot.unwritten_exercise(raised(lambda: Linear().forward(1))) == "Linear.forward"


@pytest.mark.parametrize("error", [NotImplementedError("subclasses implement forward"),
                                   ValueError("exercise: sigmoid"), None])
def test_unwritten_exercise_ignores_other_errors(error):
    assert plot.unwritten_exercise(error) is None


# --- panels ---


def shown_text(widget):
    out = widget.children[-1]
    assert isinstance(out, widgets.Output)
    return "".join(o.get("text", "") for o in out.outputs), out.outputs


@pytest.mark.parametrize("stub", [stub_gradient_descent, gradient_descent])
def test_panels_before_their_exercise_say_in_one_line_which_exercise_to_write(stub):
    before = set(plt.get_fignums())
    for widget in (interact.learning_rate_panel(stub, f, f_prime),
                   interact.descent_2d_panel(stub, bowl, bowl_grad)):
        text, outputs = shown_text(widget)
        assert text.count("\n") == 1, text
        assert "`gradient_descent`" in text and "not written yet" in text, text
        assert "Traceback" not in text and "NotImplementedError" not in text
        assert [o["output_type"] for o in outputs] == ["stream"]
    assert set(plt.get_fignums()) == before, "a half-drawn figure was left open"


def test_softmax_regions_panel_with_an_unwritten_layer_names_it():
    def logits(points):
        return Linear().forward(points)

    X = np.random.default_rng(0).normal(size=(20, 2))
    text, _ = shown_text(interact.softmax_regions_panel(logits, X, np.arange(20) % 3))
    assert text.count("\n") == 1 and "`Linear.forward`" in text, text


def test_panel_after_the_exercise_shows_the_figure_and_redraws_on_a_change():
    before = set(plt.get_fignums())
    widget = interact.learning_rate_panel(reference_descent, f, f_prime)
    _, outputs = shown_text(widget)
    assert [o["output_type"] for o in outputs] == ["display_data"]
    first = outputs[0]["data"]["image/png"]
    assert first and "text/plain" in outputs[0]["data"]
    widget.children[0].children[0].value = 0.5  # the learning-rate slider
    _, outputs = shown_text(widget)
    assert outputs[0]["data"]["image/png"] != first
    assert set(plt.get_fignums()) == before, "the panel left its figures open"


def test_panel_shows_what_the_draw_function_prints_above_the_figure():
    def draw(value):
        print("drawing", value)
        return plt.figure()

    widget = interact.panel({"value": interact.slider(1.0, 0, 2, 0.5, "v")}, draw)
    text, outputs = shown_text(widget)
    assert text == "drawing 1.0\n"
    assert [o["output_type"] for o in outputs] == ["stream", "display_data"]


def test_a_broken_panel_fails_its_cell_but_a_later_redraw_only_shows_the_error():
    calls = []

    def draw(value):
        calls.append(value)
        if len(calls) == 1 or value > 1:
            raise ValueError("broken drawing")
        return plt.figure()

    controls = {"value": interact.slider(1.0, 0, 2, 0.5, "v")}
    with pytest.raises(ValueError, match="broken drawing"):
        interact.panel(controls, draw)  # the notebook's test fails on a broken panel
    calls.clear()
    calls.append("first drawing done")
    widget = interact.panel(controls, draw)
    controls["value"].value = 2.0  # a redraw that fails: shown in the panel, not raised
    text, outputs = shown_text(widget)
    assert outputs[-1]["name"] == "stderr" and "ValueError: broken drawing" in text


def test_panels_never_capture_into_their_output_widget(monkeypatch):
    """``with out:`` during a cell makes nbclient (nbconvert --execute, the tests) write to the
    kernel's shell socket while it waits there for the reply, which now and then stalls the
    run for the whole cell timeout; panels set the widget's outputs instead."""

    def capture(self):
        raise AssertionError("a panel entered its Output widget with `with out:`")

    monkeypatch.setattr(widgets.Output, "__enter__", capture)
    widget = interact.learning_rate_panel(reference_descent, f, f_prime)
    widget.children[0].children[1].value = 20
    interact.descent_2d_panel(reference_descent, bowl, bowl_grad)
    interact.softmax_temperature_panel([2.0, 1.0, 0.1])
    interact.batch_size_panel()
    X = np.random.default_rng(0).normal(size=(20, 2))
    interact.softmax_regions_panel(lambda p: p @ np.eye(2, 3), X, np.arange(20) % 3)
    interact.playground(warmup=0)


# --- figures fed by an unfinished run ---


@pytest.fixture
def last_error(monkeypatch):
    """What IPython records of the last failed cell."""

    def set_error(error):
        monkeypatch.setattr(sys, "last_value", error, raising=False)
        monkeypatch.setattr(sys, "last_exc", error, raising=False)

    set_error(None)
    return set_error


FED_BY_A_RUN = {
    "loss_and_accuracy_curves": lambda v: plot.loss_and_accuracy_curves(v, v, v, 10),
    "loss_curve": lambda v: plot.loss_curve(v),
    "loss_curves": lambda v: plot.loss_curves({"SGD": (np.arange(len(v)), v)}),
    "early_stopping": lambda v: plot.early_stopping(v, v, 1),
    "train_test_curves": lambda v: plot.train_test_curves(v, v),
    "gradient_sizes": lambda v: plot.gradient_sizes({"sigmoid": v}),
}


@pytest.mark.parametrize("name", FED_BY_A_RUN)
def test_figure_of_an_empty_run_names_the_unwritten_exercise_that_stopped_it(name, last_error):
    last_error(raised(lambda: stub_gradient_descent(f_prime, 0, 0.1, 1)))
    with pytest.raises(plot.NothingToPlot) as info:
        FED_BY_A_RUN[name]([])
    message = info.value._render_traceback_()
    assert len(message) == 1 and "\n" not in message[0], message
    assert "`gradient_descent`" in message[0] and "not written yet" in message[0]


@pytest.mark.parametrize("values", [[], [np.nan, np.nan]], ids=["empty", "nan"])
@pytest.mark.parametrize("name", FED_BY_A_RUN)
def test_figure_of_an_empty_run_says_what_to_run_when_no_exercise_is_to_blame(
        name, values, last_error):
    last_error(ValueError("something else"))
    with pytest.raises(plot.NothingToPlot, match="has no values. Run the cell that fills it"):
        FED_BY_A_RUN[name](values)


@pytest.mark.parametrize("name", FED_BY_A_RUN)
def test_figure_of_a_real_run_draws_even_after_an_unwritten_exercise(name, last_error):
    last_error(raised(lambda: stub_gradient_descent(f_prime, 0, 0.1, 1)))
    FED_BY_A_RUN[name]([1.0, 0.5, np.nan, 0.2])
    plt.close("all")


def test_in_a_kernel_the_figure_after_a_stopped_training_cell_names_the_exercise(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    from nbclient import NotebookClient

    cells = [
        "from helpers import check, plot  # check shows a stub's error as 'not written yet'",
        "def loss(x):\n    raise NotImplementedError('exercise: softmax_cross_entropy')",
        "losses = []\nfor step in range(3):\n    losses.append(loss(step))",
        "plot.loss_curve(losses)",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [[o for o in c.outputs if o.output_type == "error"] for c in nb.cells]
    assert [len(e) for e in errors] == [0, 0, 1, 1], errors
    shown = errors[3][0]["traceback"]
    assert errors[3][0]["ename"] == "NothingToPlot" and len(shown) == 1, shown
    assert "`softmax_cross_entropy`" in shown[0] and "not written yet" in shown[0], shown
