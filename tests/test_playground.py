"""Notebook 04's figures and playground, drawn and trained without a browser."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402

from helpers import interact, losses, nn, plot  # noqa: E402
from helpers import playground as pg  # noqa: E402


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



def controls_of(box):
    """Every control of the playground widget with a description, by description."""
    found, todo = {}, [box]
    while todo:
        widget = todo.pop()
        todo += list(getattr(widget, "children", ()))
        if getattr(widget, "description", ""):
            found[widget.description] = widget
    return found


def test_playground_trains_the_reference_and_lowers_the_loss():
    state = interact.Playground()
    state.reset("circles", noise=0.05, width=4, depth=1, activation="tanh")
    first = state.step(50, lr=0.5)
    assert len(first) == 50 and len(state.losses) == 50 and len(state.test_losses) == 50
    state.step(400, lr=0.5)
    assert state.losses[-1] < 0.5 * state.losses[0]
    assert state.accuracy() > 0.9 and state.test_error() < 0.1


def test_every_dataset_resets_and_draws_with_its_test_points_hollow():
    state = interact.Playground()
    for name in pg.PLAYGROUND_DATASETS:
        state.reset(name, test_fraction=0.3)
        assert len(state.X) + len(state.X_test) == state.n
        assert len(state.X_test) == round(0.3 * state.n)
        state.step(3, lr=0.1)
        fig = state.draw()
        hollow = [c for c in fig.axes[0].collections
                  if isinstance(c, PathCollection) and c.get_facecolors().size == 0]
        assert sum(len(c.get_offsets()) for c in hollow) == len(state.X_test), name
        plt.close(fig)


def test_the_two_turn_spiral_winds_twice_as_far_as_the_one_turn_spiral():
    state = interact.Playground()
    angles = {}
    for name in ("spiral", "spiral, 2 turns"):
        state.reset(name, noise=0.0)
        X = state.X[state.y == 0]
        radius, angle = np.hypot(*X.T), np.arctan2(X[:, 1], X[:, 0])
        order = np.argsort(radius)
        angles[name] = np.abs(np.sum(np.diff(np.unwrap(angle[order]))))
    assert angles["spiral, 2 turns"] == pytest.approx(2 * angles["spiral"], rel=0.1)


def test_the_curve_is_a_regression_with_a_linear_output_drawn_as_a_line():
    state = interact.Playground()
    state.reset("curve", output="sigmoid", features=("x1", "x2", "x1²", "sin x1"), width=8)
    assert state.task == "regression" and state.output == "linear"
    assert state.features == ("x1", "x1²", "sin x1")  # nothing of x2 on a curve
    assert isinstance(state.model.layers[-1], nn.Linear)
    assert isinstance(state.loss_fn, losses.MSELoss)
    state.step(500, lr=0.1)
    assert state.losses[-1] < 0.25 * state.losses[0]
    data_ax = state.draw().axes[0]
    assert data_ax.get_title().startswith("curve: test MSE")
    line = data_ax.lines[0]
    assert np.allclose(line.get_ydata(), state.predict(line.get_xdata()[:, None]))


def test_binary_cross_entropy_values_and_gradient():
    bce = pg.BinaryCrossEntropy()
    p, y = np.array([[0.9], [0.2], [0.6]]), np.array([1, 0, 0])
    expected = -np.mean([np.log(0.9), np.log(0.8), np.log(0.4)])
    assert bce.forward(p, y) == pytest.approx(expected)
    grad = bce.backward()
    h, numeric = 1e-6, np.zeros_like(p)
    for i in range(3):
        up, down = p.copy(), p.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (bce.forward(up, y) - bce.forward(down, y)) / (2 * h)
    assert np.allclose(grad, numeric, rtol=1e-5)
    assert np.isfinite(bce.forward(np.array([[0.0], [1.0]]), np.array([1, 0])))


def test_the_sigmoid_output_trains_with_cross_entropy_and_a_large_step_shows():
    state = interact.Playground()
    state.reset("circles", width=8, output="sigmoid")
    assert isinstance(state.loss_fn, pg.BinaryCrossEntropy)
    state.step(200, lr=10 ** 1.5)  # the learning-rate slider's top
    assert max(state.losses) > 3 * state.losses[0]  # the loss jumps far above its start
    assert max(state.losses) > 1  # which MSE on a sigmoid never could


def test_mini_batches_make_one_update_per_batch_and_l2_shrinks_the_weights():
    backward_calls = []

    class CountingSequential(nn.Sequential):
        def backward(self, dout):
            backward_calls.append(len(dout))
            return super().backward(dout)

    state = interact.Playground(Sequential=CountingSequential)
    state.reset("moons", test_fraction=0.5)  # 100 training points
    state.step(2, lr=0.1, batch_size=30)
    assert backward_calls == [30, 30, 30, 10] * 2
    norms = {}
    for l2 in (0.0, 0.1):
        state.reset("moons", width=8)
        state.step(200, lr=0.5, l2=l2)
        norms[l2] = sum(float(np.sum(p**2)) for p, _ in state.model.parameters() if p.ndim == 2)
    assert norms[0.1] < 0.5 * norms[0.0]


def test_layers_are_set_one_by_one_up_to_four_of_sixteen_and_zero_is_allowed():
    state = interact.Playground()
    state.reset("xor", layers=(16, 3, 16, 1), activation="relu")
    widths = [layer.W.shape[1] for layer in state.model.layers if hasattr(layer, "W")]
    assert widths == [16, 3, 16, 1, 1] and state.unit_report()["units"] == 36
    state.reset("xor", layers=())
    assert [type(layer) for layer in state.model.layers] == [nn.Linear, nn.Sigmoid]
    assert "0 of 0" in state.unit_line()
    state.step(2, lr=0.5)
    plt.close(state.draw())  # no hidden unit: no maps, still a picture
    for bad in [(17,), (4, 4, 4, 4, 4), (0,)]:
        with pytest.raises(ValueError, match="at most 4 layers of 1 to 16 units"):
            state.reset(layers=bad)


def test_input_features_set_the_input_size_and_let_circles_be_solved_without_hidden_layer():
    state = interact.Playground()
    state.reset("circles", layers=(3,), features=("x1", "x2", "x1x2", "sin x2"))
    assert state.model.layers[0].W.shape == (4, 3)
    assert np.allclose(state.inputs(np.array([[2.0, 3.0]])), [[2, 3, 6, np.sin(3)]])
    state.reset("circles", layers=(), features=("x1", "x2"))
    state.step(300, lr=0.5)
    linear_only = state.test_error()
    state.reset("circles", layers=(), features=("x1²", "x2²"))
    state.step(300, lr=0.5)
    assert state.test_error() < 0.05 < 0.2 < linear_only
    with pytest.raises(ValueError, match="features must be among"):
        state.reset(features=("x3",))


def test_replay_keeps_bounded_snapshots_and_draws_the_network_as_it_was():
    state = interact.Playground()
    state.REPLAY_LIMIT = 20
    state.reset("xor")
    state.step(100, lr=0.5)
    epochs = state.replay_epochs
    assert epochs[0] == 0 and len(epochs) <= 20 and epochs == sorted(epochs)
    assert np.all(np.diff(epochs) <= 8)
    now = [p.copy() for p, _ in state.model.parameters()]
    with state.weights_at(0) as shown:
        assert shown == 0
        assert all(np.array_equal(p, old) for (p, _), old in
                   zip(state.model.parameters(), state.replay[0][1], strict=True))
        untrained_loss = state.loss_on(state.X, state.y)
    assert untrained_loss == pytest.approx(state.losses[0])
    assert all(np.array_equal(p, q) for (p, _), q in zip(state.model.parameters(), now,
                                                          strict=True))
    fig = state.draw(epoch=0)
    assert fig.texts[0].get_text() == "replay: epoch 0 of 100"
    loss_ax = fig.axes[1]
    assert loss_ax.get_title().startswith(f"loss at epoch 0: training {state.losses[0]:.3g}")


def test_the_students_train_is_used_for_full_batches_without_l2_and_the_line_says_so():
    used = []

    class StudentLinear(nn.Linear):
        """Like the notebook's: dW and db exist only after the first backward."""

        def __init__(self, *args):
            super().__init__(*args)
            self.__dict__.pop("dW", None)
            self.__dict__.pop("db", None)

        def forward(self, x):
            used.append("Linear")
            return super().forward(x)

        def parameters(self):
            yield self.W, self.dW
            yield self.b, self.db

    def student_train(model, loss_fn, X, y, lr, epochs):
        used.append("train")
        return [loss_fn.forward(model.forward(X), y)] * epochs

    state = interact.Playground(Linear=StudentLinear, train=student_train,
                                MSELoss=losses.MSELoss)
    state.reset()
    assert not hasattr(state.model.layers[0], "dW")  # reset read no gradient
    assert state.describe() == "Training your Linear, MSELoss with your train()."
    assert state.step(3, lr=1.0) and used.count("train") == 3 and "Linear" in used
    used.clear()
    state.step(1, lr=1.0, batch_size=10)
    assert "train" not in used and "Linear" in used
    with state.weights_at(0):
        assert state.loss_on(state.X, state.y) == pytest.approx(state.losses[0])
    assert state.describe(l2=0.01).endswith("the playground's own loop (mini-batches, L2).")
    assert interact.Playground().describe().startswith("Training the package's reference")
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
    assert state.step(50, lr=3.0) == [] and len(state.losses) < 50
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


def test_unit_maps_wrap_a_wide_layer_and_tiles_are_at_least_80_pixels():
    state = interact.Playground()
    state.reset("moons", layers=(16, 4))
    fig = state.draw()
    maps = next(ax for ax in fig.axes if ax.get_title().startswith("what each"))
    assert [t.get_text() for t in maps.get_yticklabels()] == ["layer 1", "layer 2"]
    assert len(maps.get_xticklabels()) == 10
    fig.canvas.draw()
    width_px = maps.get_window_extent().width  # at the notebook's 100 dpi
    assert fig.dpi == 100 and width_px / 10 * 40 / 44 >= 80
    assert fig.get_figwidth() <= 9.4


def test_network_diagram_as_one_collection_matches_the_line_drawing():
    model = small_model()
    ax = plot.network_diagram(model, collection=True)
    edges = ax.collections[0]
    assert len(edges.get_segments()) == 2 * 3 + 3 * 1 and not ax.lines
    slow = plot.network_diagram(model)
    assert list(edges.get_linewidths()) == [line.get_linewidth() for line in slow.lines]


def test_challenges_tick_each_goal_only_when_reached():
    state, goals = interact.Playground(), interact.Challenges()
    state.reset("circles", layers=(), features=("x1", "x2"))
    state.step(150, lr=0.5)
    assert goals.update(state, 0.5) == []  # a line cannot separate circles
    state.reset("circles", layers=(), features=("x1²", "x2²"))
    state.step(150, lr=0.5)
    assert goals.update(state, 0.5) == ["features"] and "✔ circles with no hidden" in goals.html()
    assert goals.update(state, 0.5) == []  # ticked once
    state.reset("spiral", noise=0.0, layers=(10, 10), activation="relu")
    state.step(300, lr=0.1, batch_size=10)
    assert state.test_error() < 0.05 and goals.update(state, 0.1) == ["spiral"]
    state.reset("spiral", noise=0.0, layers=(10, 11), activation="relu")
    state.step(300, lr=0.1, batch_size=10)
    assert not pg._spiral_goal(state, {})  # 21 units: too many


def test_challenge_die_then_revive_needs_both_in_that_order():
    goals = interact.Challenges()
    state = interact.Playground()
    state.reset("circles", layers=(8,), activation="relu")
    state.step(300, lr=0.3)
    assert state.unit_report()["dead"] < 2 and goals.update(state, 0.3) == []  # not died yet
    state.reset("circles", layers=(8,), activation="relu")
    state.step(100, lr=10 ** 1.5)
    assert state.unit_report()["dead"] >= 4 and goals.update(state, 31.6) == []
    state.reset("circles", layers=(8,), activation="relu")
    state.step(300, lr=0.3)
    assert goals.update(state, 0.3) == ["revive"]


def test_challenge_edge_of_stability_needs_a_converging_rate_close_below_a_diverging_one():
    goals = interact.Challenges()
    state = interact.Playground()
    for lr, expected in [(0.1, []), (1.0, []), (0.3, []), (0.8, []), (0.5, ["edge"])]:
        state.reset("circles", output="linear", layers=(4,))
        state.step(200, lr)
        assert goals.update(state, lr) == expected, lr
    assert goals.memory["edge"]["smallest diverging"] == 0.8
    assert goals.memory["edge"]["largest converging"] == 0.5


# --- the widget ---


def test_widget_warms_up_then_play_ticks_step_and_reset(monkeypatch):
    steps, draws = [], []
    step, draw = interact.Playground.step, interact.Playground.draw

    def record_step(self, epochs, lr, batch_size=None, l2=0.0):
        steps.append(epochs)
        return step(self, epochs, lr, batch_size, l2)

    def record_draw(self, epoch=None):
        draws.append((self.epoch, epoch))
        return draw(self, epoch)

    monkeypatch.setattr(interact.Playground, "step", record_step)
    monkeypatch.setattr(interact.Playground, "draw", record_draw)
    box = interact.playground(warmup=50, epochs=10)
    assert steps == [50] and draws == [(50, None)]  # the first picture shows a trained net
    c = controls_of(box)
    assert box.children[4].children[3].value == "<b>epoch 50</b>"
    play = c["play / pause"]
    play.value += 1  # a tick of the Play widget: `epochs` more epochs, one redraw
    assert steps[-1] == 10 and draws[-1] == (60, None)
    play.value += 1  # a tick queued while the last one trained is dropped
    assert draws[-1] == (60, None)
    c["step"].click()
    assert steps[-1] == 1 and draws[-1] == (61, None)
    assert box.children[4].children[3].value == "<b>epoch 61</b>"
    c["replay epoch"].value = 20
    assert draws[-1] == (61, 20)
    c["reset"].click()
    assert draws[-1] == (0, None) and c["replay epoch"].max == 0
    c["data"].value = "spiral"  # a new dataset: a new, untrained network
    assert box.state.dataset == "spiral" and box.state.epoch == 0


def test_widget_layers_features_batch_and_l2_reach_the_state():
    box = interact.playground(warmup=0)
    c = controls_of(box)
    c["hidden layers"].value = 3
    c["layer 2"].value = 16
    assert box.state.layers == (4, 16, 4)
    assert c["layer 4"].layout.display == "none" and c["layer 3"].layout.display is None
    c["x1²"].value = True
    assert box.state.features == ("x1", "x2", "x1²")
    c["batch size"].value = 10
    c["L2 λ"].value = 0.01
    c["step"].click()
    assert not box.state.last_step_used_train and box.state.epoch == 1
    c["data"].value = "curve"
    assert c["output"].value == "linear" and box.state.output == "linear"


def test_widget_output_control_sets_its_learning_rate_and_play_pauses_at_divergence():
    box = interact.playground(warmup=0, epochs=50)
    c = controls_of(box)
    assert c["learning rate"].value == pytest.approx(pg.PLAYGROUND_OUTPUTS["sigmoid"])
    c["output"].value = "linear"
    assert c["learning rate"].value == pytest.approx(pg.PLAYGROUND_OUTPUTS["linear"])
    c["learning rate"].value = 10.0
    play = c["play / pause"]
    trait = "playing" if play.has_trait("playing") else "_playing"  # ipywidgets 8, 7
    pg._set_playing(play, True)
    assert getattr(play, trait)
    play.value += 1
    assert box.state.diverged and not getattr(play, trait)
    assert "Diverged" in box.children[5].value
    box = interact.playground(warmup=0, output="linear", lr=0.3)
    assert controls_of(box)["learning rate"].value == pytest.approx(0.3, rel=0.05)


def test_widget_ticks_a_challenge_reached_through_its_controls():
    box = interact.playground(dataset="circles", warmup=0, epochs=150)
    c = controls_of(box)
    assert "✔" not in box.children[-1].value
    c["hidden layers"].value = 0
    c["x1²"].value, c["x2²"].value = True, True
    c["x1"].value, c["x2"].value = False, False
    c["play / pause"].value += 1
    assert box.state.features == ("x1²", "x2²") and box.state.epoch == 150
    assert "✔ circles with no hidden layer" in box.children[-1].value
