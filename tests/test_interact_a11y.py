"""The panels' controls, as assistive technology reads them: each a labelled field or
dropdown (its label is its accessible name), holding the true value, without float noise."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import data, interact


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _controls(widget):
    if isinstance(widget, widgets.Box):
        for child in widget.children:
            yield from _controls(child)
    elif isinstance(widget, widgets.ValueWidget):
        yield widget


def _panels():
    X, y = data.movie_ratings(40, rng=0)

    def descend(grad, x0, lr, n):
        xs = [np.asarray(x0, dtype=float)]
        for _ in range(n):
            xs.append(xs[-1] - lr * grad(xs[-1]))
        return np.array(xs)

    bowl = lambda p: p[0] ** 2 + p[1] ** 2
    return {
        "neuron": interact.neuron_panel(X, y),
        "learning rate": interact.learning_rate_panel(descend, lambda x: x**2, lambda x: 2 * x,
                                                      x0=1.0, f_min=-1.0),
        "descent 2d": interact.descent_2d_panel(descend, bowl, lambda p: 2 * p),
        "batch size": interact.batch_size_panel(),
        "temperature": interact.softmax_temperature_panel(np.array([2.0, 1.0, 0.5])),
    }


def test_every_control_is_a_labelled_field_or_dropdown_never_a_slider():
    for name, panel in _panels().items():
        controls = list(_controls(panel))
        assert controls, name
        for control in controls:
            assert isinstance(control, widgets.BoundedFloatText | widgets.BoundedIntText
                              | widgets.Dropdown), (name, type(control).__name__)
            assert control.description.strip(), (name, control)


def test_log_scale_and_listed_choices_show_their_true_values():
    panels = _panels()
    lr = next(c for c in _controls(panels["learning rate"]) if c.description.startswith("learning"))
    assert lr.value == 0.1 and lr.label == "0.1" and {0.005, 1.5} <= set(lr.options)
    assert all(len(str(rate)) <= 5 for rate in lr.options)  # no float noise in what is read
    batch = next(_controls(panels["batch size"]))
    assert batch.value == 8 and batch.label == "8" and max(batch.options) == 64


def test_a_field_never_holds_float_noise_and_redraws_once_per_step():
    drawn = []

    def draw(value):
        drawn.append(value)
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, value])
        return fig

    field = interact.number_field(0.6, 0.0, 1.0, 0.05, "v")
    interact.panel({"value": field}, draw)
    field.value = 0.6 + 0.05  # 0.6499999999999999 in floating point
    assert field.value == 0.65 and drawn == [0.6, 0.65]
    field.value = 0.333  # typed: the nearest step
    assert field.value == 0.35 and drawn[-1] == 0.35
