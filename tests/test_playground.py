"""Notebook 04's figures and playground, drawn and trained without a browser."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import interact, losses, nn, plot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def small_model(rng=0):
    rng = np.random.default_rng(rng)
    return nn.Sequential(nn.Linear(2, 3, rng), nn.Tanh(), nn.Linear(3, 1, rng), nn.Sigmoid())


def test_network_diagram_draws_one_edge_per_weight_coloured_by_sign():
    model = small_model()
    ax = plot.network_diagram(model)
    colours = [line.get_color() for line in ax.lines]
    assert len(colours) == 2 * 3 + 3 * 1
    weights = np.concatenate([model[0].W.ravel(), model[2].W.ravel()])
    assert colours.count(plot.NEGATIVE_COLOR) == np.sum(weights < 0)
    widths = [line.get_linewidth() for line in ax.lines]
    assert widths[int(np.argmax(np.abs(weights)))] == max(widths)


def test_hidden_outputs_and_neuron_maps_show_every_hidden_unit():
    rng = np.random.default_rng(1)
    model = nn.Sequential(nn.Linear(2, 4, rng), nn.ReLU(), nn.Linear(4, 3, rng), nn.ReLU(),
                          nn.Linear(3, 1, rng), nn.Sigmoid())
    outputs = plot.hidden_outputs(model, rng.normal(size=(10, 2)))
    assert [h.shape for h in outputs] == [(10, 4), (10, 3)]
    ax = plot.neuron_maps(model, rng.normal(size=(30, 2)))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["layer 1", "layer 2"]
    assert len(ax.get_xticklabels()) == 4


def test_curve_and_error_figures():
    X = np.linspace(-3, 3, 20)[:, None]
    ax = plot.curve_fits(X, np.sin(X), {"2 units": np.sin, "8 units": np.cos})
    assert len(ax.lines) == 2
    ax = plot.train_test_curves([0.5, 0.3, 0.1], [0.5, 0.4, 0.45], title="t")
    assert len(ax.lines) == 2 and ax.get_title() == "t"
    ax = plot.gradient_sizes({"sigmoid": [1e-4, 1e-3, 1e-2], "ReLU": [0.1, 0.1, 0.1]})
    assert ax.get_yscale() == "log" and len(ax.lines) == 2
    assert plot.loss_curve([1.0, 0.5, 0.2], log=True).get_yscale() == "log"


def test_playground_trains_the_reference_and_lowers_the_loss():
    state = interact.Playground()
    state.reset("circles", noise=0.05, width=4, depth=1, activation="tanh")
    first = state.step(50, lr=2.0)
    assert len(first) == 50 and len(state.losses) == 50
    state.step(400, lr=2.0)
    assert state.losses[-1] < 0.5 * state.losses[0]
    assert state.accuracy() > 0.9


def test_playground_draws_regions_loss_and_one_map_per_hidden_unit():
    state = interact.Playground()
    state.reset("moons", width=5, depth=2, activation="relu")
    untrained = state.draw()
    assert any("not trained yet" in t.get_text() for ax in untrained.axes for t in ax.texts)
    state.step(20, lr=1.0)
    fig = state.draw()
    titles = [ax.get_title() for ax in fig.axes]
    assert any(t.startswith("moons: training accuracy") for t in titles)
    assert "loss after 20 epochs" in " ".join(titles)
    maps = next(ax for ax in fig.axes if ax.get_title().startswith("what each hidden unit outputs"))
    assert len(maps.get_yticklabels()) == 2 and len(maps.get_xticklabels()) == 5
    state.reset("moons", width=3, depth=1, activation="relu")  # moving a control: new network
    maps = next(ax for ax in state.draw().axes if ax.get_title().startswith("what each"))
    assert len(maps.get_xticklabels()) == 3 and state.losses == []


def test_playground_trains_the_students_classes_and_train_function():
    used = []

    class StudentLinear(nn.Linear):
        def forward(self, x):
            used.append("Linear")
            return super().forward(x)

    def student_train(model, loss_fn, X, y, lr, epochs):
        used.append("train")
        return [loss_fn.forward(model.forward(X), y)] * epochs

    state = interact.Playground(Linear=StudentLinear, train=student_train,
                                MSELoss=losses.MSELoss)
    state.reset()
    assert state.step(3, lr=1.0) and used[0] == "train" and "Linear" in used
    with pytest.raises(TypeError, match="does not use"):
        interact.Playground(Softmax=object)


def test_playground_accepts_a_model_factory():
    calls = []

    def make_model(width, depth, activation, rng):
        calls.append((width, depth, activation))
        return small_model(rng)

    state = interact.Playground(make_model=make_model)
    state.reset("blobs", width=3, depth=1, activation="sigmoid")
    state.step(5, lr=1.0)
    assert calls == [(3, 1, "sigmoid")] and len(state.losses) == 5


def test_playground_widget_warms_up_then_trains_in_chunks_when_train_is_clicked(monkeypatch):
    steps, draws = [], []
    step, draw = interact.Playground.step, interact.Playground.draw

    def record_step(self, epochs, lr):
        steps.append(epochs)
        return step(self, epochs, lr)

    def record_draw(self):
        draws.append(len(self.losses))
        return draw(self)

    monkeypatch.setattr(interact.Playground, "step", record_step)
    monkeypatch.setattr(interact.Playground, "draw", record_draw)
    box = interact.playground(warmup=50, epochs=100)
    assert steps == [50] and draws == [50]  # the first picture shows a trained network
    controls = {w.description: w for row in box.children[:-1] for w in row.children}
    controls["Train"].click()
    assert steps[1:] == [10] * 10 and draws[1:] == list(range(60, 151, 10))
    controls["data"].value = "spiral"  # a new dataset: a new, untrained network
    assert draws[-1] == 0


def test_playground_output_is_a_sigmoid_or_the_last_linear_layer():
    state = interact.Playground()
    state.reset("circles", width=3, output="sigmoid")
    assert isinstance(state.model.layers[-1], nn.Sigmoid)
    state.reset("circles", width=3, output="linear")
    assert isinstance(state.model.layers[-1], nn.Linear)
    assert state.output == "linear" and len(state.model.layers) == 3
    with pytest.raises(ValueError, match="output must be one of"):
        state.reset(output="softmax")


def test_playground_stops_training_once_the_loss_diverges_and_says_so():
    state = interact.Playground()
    state.reset("moons", output="linear")
    assert not state.diverged  # no loss yet
    state.step(50, lr=3.0)
    assert state.diverged
    assert state.step(50, lr=3.0) == [] and len(state.losses) == 50
    titles = " ".join(ax.get_title() for ax in state.draw().axes)
    assert "diverged" in titles


def test_unit_report_counts_dead_relu_units_and_saturated_tanh_units():
    state = interact.Playground()
    state.reset("circles", width=4, activation="relu")
    first = state.model.layers[0]
    first.W[:, :2], first.b[:2] = 0.0, -1.0  # two units that output 0 everywhere
    first.W[:, 2:], first.b[2:] = 0.0, 1.0  # and two that are alive (constant but positive)
    assert state.unit_report() == {"dead": 2, "saturated": 0, "units": 4}
    state.reset("circles", width=3, activation="tanh")
    first = state.model.layers[0]
    first.W[:, 0], first.b[0] = 0.0, 5.0  # tanh(5): on the flat part everywhere
    report = state.unit_report()
    assert report["saturated"] == 1 and report["dead"] == 0
    maps = next(ax for ax in state.draw().axes if ax.get_title().startswith("what each"))
    assert "1 of 3 units saturated" in maps.get_title()


def test_playground_widget_output_control_sets_its_learning_rate_and_train_stops_at_divergence():
    box = interact.playground(warmup=0, epochs=200)
    controls = {w.description: w for row in box.children[:-1] for w in row.children}
    assert controls["learning rate"].value == pytest.approx(2.0)
    controls["output"].value = "linear"
    assert controls["learning rate"].value == pytest.approx(interact.PLAYGROUND_OUTPUTS["linear"])
    controls["learning rate"].value = 10.0
    controls["Train"].click()  # diverges in the first chunk of 20 epochs, then stops
    assert not controls["Train"].disabled
    box = interact.playground(warmup=0, output="linear", lr=0.3)
    controls = {w.description: w for row in box.children[:-1] for w in row.children}
    assert controls["learning rate"].value == pytest.approx(0.3, rel=0.05)
