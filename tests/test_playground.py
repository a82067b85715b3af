"""Notebook 04's playground and figures, drawn and trained without a browser."""

import itertools
import json
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import ipywidgets  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import interact, losses, nn, plot  # noqa: E402
from helpers import playground as pg  # noqa: E402
from helpers.experiments import playground as experiments  # noqa: E402
from helpers.playground import options, svg  # noqa: E402
from helpers.playground import text as pg_text  # noqa: E402
from helpers.playground import widgets as pg_widgets  # noqa: E402
from helpers.playground.units import unit_line, unit_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def small_model(rng=0):
    rng = np.random.default_rng(rng)
    return nn.Sequential(nn.Linear(2, 3, rng), nn.Tanh(), nn.Linear(3, 1, rng), nn.Sigmoid())


# --- notebook 04's matplotlib figures (helpers.plot) ---


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


def test_network_diagram_as_one_collection_matches_the_line_drawing():
    model = small_model()
    ax = plot.network_diagram(model, collection=True)
    edges = ax.collections[0]
    assert len(edges.get_segments()) == 2 * 3 + 3 * 1 and not ax.lines
    slow = plot.network_diagram(model)
    assert list(edges.get_linewidths()) == [line.get_linewidth() for line in slow.lines]


# --- the model: data, network, training ---


def test_data_is_split_into_training_validation_and_test_points_that_do_not_overlap():
    state = pg.Playground()
    state.reset(dataset="moons", validation=0.8)
    assert (len(state.X), len(state.X_val), len(state.X_test)) == (40, 160, options.N_TEST)
    rows = {tuple(p) for p in np.vstack([state.X, state.X_val, state.X_test])}
    assert len(rows) == 40 + 160 + options.N_TEST
    test_before = state.X_test.copy()
    state.reset(validation=0.3)  # the validation share never moves the test points
    assert np.array_equal(state.X_test, test_before) and len(state.X) == 140


def test_playground_starts_untrained_and_training_lowers_the_loss():
    state = pg.Playground()
    assert state.epoch == 0 and state.replay.epochs == [0]
    state.reset(dataset="circles", noise=0.05, layers=(4,), activation="tanh")
    first = state.step(50, lr=0.5)
    assert len(first) == 50 and len(state.losses) == len(state.val_losses) == 50
    state.step(400, lr=0.5)
    assert state.losses[-1] < 0.5 * state.losses[0]
    assert state.training_error() < 0.1 and state.validation_error() < 0.1


def test_the_two_turn_spiral_winds_twice_as_far_as_the_one_turn_spiral():
    state = pg.Playground()
    angles = {}
    for name in ("spiral", "spiral, 2 turns"):
        state.reset(dataset=name, noise=0.0)
        X = state.X[state.y == 0]
        radius, angle = np.hypot(*X.T), np.arctan2(X[:, 1], X[:, 0])
        order = np.argsort(radius)
        angles[name] = np.abs(np.sum(np.diff(np.unwrap(angle[order]))))
    assert angles["spiral, 2 turns"] == pytest.approx(2 * angles["spiral"], rel=0.1)


def test_the_curve_is_a_regression_with_a_linear_output_and_only_features_of_x1():
    state = pg.Playground()
    state.reset(dataset="curve", output="sigmoid", features=("x1", "x2", "x1²", "sin x1"),
                layers=(8,))
    s = state.settings
    assert s.task == "regression" and s.output == "linear"
    assert s.features == ("x1", "x1²", "sin x1")
    assert isinstance(state.model.layers[-1], nn.Linear)
    assert isinstance(state.loss_fn, losses.MSELoss)
    state.step(500, lr=0.1)
    assert state.losses[-1] < 0.25 * state.losses[0]
    frame = pg.draw(state)
    assert "polyline" in frame.html and "mean squared error" in frame.facts[1]


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


def test_mini_batches_make_one_update_per_batch_and_l1_and_l2_shrink_the_weights():
    backward_calls = []

    class CountingSequential(nn.Sequential):
        def backward(self, dout):
            backward_calls.append(len(dout))
            return super().backward(dout)

    state = pg.Playground(Sequential=CountingSequential)
    state.reset(dataset="moons", validation=0.5)  # 100 training points
    state.step(2, lr=0.1, batch_size=30)
    assert backward_calls == [30, 30, 30, 10] * 2
    norms, zeros = {}, {}
    for kind, rate in (("none", 0.0), ("L2", 0.1), ("L1", 0.03)):
        state.reset(dataset="moons", layers=(8,))
        state.step(200, lr=0.5, regularisation=kind, rate=rate)
        W = [p for p, _ in state.model.parameters() if p.ndim == 2]
        norms[kind] = sum(float(np.sum(w**2)) for w in W)
        zeros[kind] = sum(int(np.sum(np.abs(w) < 0.02)) for w in W)
    assert norms["L2"] < 0.5 * norms["none"] and norms["L1"] < norms["none"]
    # L2 shrinks every weight, L1 pushes most of them to (about) zero: 8 * 2 + 8 = 24
    assert zeros["none"] == zeros["L2"] == 0 and zeros["L1"] > 24 / 2


def test_the_linear_activation_makes_a_deep_network_a_line():
    state = pg.Playground()
    state.reset(dataset="circles", layers=(8, 8), activation="linear")
    assert isinstance(state.model.layers[1], pg.Identity)
    state.step(300, lr=0.3)
    assert state.validation_error() > 0.3  # circles need a curve: a line cannot do it
    assert "linear units" in unit_line(state)


def test_layers_are_set_one_by_one_up_to_four_of_sixteen_and_zero_is_allowed():
    state = pg.Playground()
    state.reset(dataset="xor", layers=(16, 3, 16, 1), activation="relu")
    widths = [layer.W.shape[1] for layer in state.model.layers if hasattr(layer, "W")]
    assert widths == [16, 3, 16, 1, 1] and unit_report(state)["units"] == 36
    state.reset(layers=())
    assert [type(layer) for layer in state.model.layers] == [nn.Linear, nn.Sigmoid]
    assert unit_line(state) == "no hidden units"
    state.step(2, lr=0.5)
    assert "<svg" in pg.draw(state).html
    for bad in [(17,), (4, 4, 4, 4, 4), (0,)]:
        with pytest.raises(ValueError, match="at most 4 layers of 1 to 16 units"):
            state.reset(layers=bad)
    with pytest.raises(TypeError, match="no setting"):
        state.reset(width=3)


def test_input_features_set_the_input_size_and_solve_circles_without_a_hidden_layer():
    state = pg.Playground()
    state.reset(dataset="circles", layers=(3,), features=("sin x2", "x1", "x1x2", "x2"))
    assert state.settings.features == ("x1", "x2", "x1x2", "sin x2")  # drawing order
    assert state.model.layers[0].W.shape == (4, 3)
    assert np.allclose(state.inputs(np.array([[2.0, 3.0]])), [[2, 3, 6, np.sin(3)]])
    with pytest.raises(ValueError, match="features must be among"):
        state.reset(features=("x3",))


def test_replay_keeps_bounded_snapshots_and_draws_the_network_as_it_was():
    state = pg.Playground()
    state.reset(dataset="xor")
    state.replay.limit = 20
    state.step(100, lr=0.5)
    epochs = state.replay.epochs
    assert epochs[0] == 0 and len(epochs) <= 21 and epochs == sorted(epochs)
    assert np.all(np.diff(epochs) <= 8)
    now = [p.copy() for p, _ in state.model.parameters()]
    with state.replay.weights_at(0) as shown:
        assert shown == 0
        untrained_loss = state.loss_on(state.X, state.y)
    assert untrained_loss == pytest.approx(state.losses[0])
    assert all(np.array_equal(p, q) for (p, _), q in zip(state.model.parameters(), now,
                                                          strict=True))
    frame = pg.draw(state, replay_epoch=0)
    assert frame.facts[0] == "Replay: the network at epoch 0 of 100."
    assert f"Loss: training {state.losses[0]:.3g}" in frame.facts[2]


class StudentLinear(nn.Linear):
    """Like the notebook's: dW and db exist only after the first backward."""

    def __init__(self, *args):
        super().__init__(*args)
        self.__dict__.pop("dW", None)
        self.__dict__.pop("db", None)

    def parameters(self):
        yield self.W, self.dW
        yield self.b, self.db


def test_an_untrained_student_network_draws_and_the_status_names_what_trains():
    used = []

    def student_train(model, loss_fn, X, y, lr, epochs):
        used.append(type(loss_fn).__name__)
        return [loss_fn.forward(model.forward(X), y)] * epochs

    state = pg.Playground(Linear=StudentLinear, train=student_train, MSELoss=losses.MSELoss)
    assert "<svg" in pg.draw(state).html  # no gradient read before training (the old crash)
    line = pg_text.describe(state)
    assert line == ("Training your Linear and the package's Tanh, Sigmoid and Sequential, "
                    "with the playground's binary cross-entropy (for the sigmoid output), "
                    "in your train().")
    assert "MSELoss" not in line  # the sigmoid output never trains with MSE
    state.step(3, lr=1.0)
    assert used == ["BinaryCrossEntropy"] * 3
    state.reset(output="linear")
    assert "with your MSELoss" in pg_text.describe(state)
    assert pg_text.describe(state, batch_size=10).endswith("own loop (mini-batches).")
    assert pg_text.describe(state, regularisation="L1", rate=0.01).endswith(
        "own loop (L1 regularisation).")
    assert "no train() was given" in pg_text.describe(pg.Playground())
    with pytest.raises(TypeError, match="does not use"):
        pg.Playground(Softmax=object)


def test_playground_accepts_a_model_factory():
    calls = []

    def make_model(width, depth, activation, rng):
        calls.append((width, depth, activation))
        return small_model(rng)

    state = pg.Playground(make_model=make_model)
    state.reset(dataset="blobs", layers=(3,), activation="sigmoid")
    state.step(5, lr=1.0)
    assert calls[-1] == (3, 1, "sigmoid") and len(state.losses) == 5
    assert "your make_model's network" in pg_text.describe(state)


def test_playground_stops_training_once_the_loss_diverges_and_says_so():
    state = pg.Playground()
    state.reset(dataset="moons", output="linear")
    assert not state.diverged  # no loss yet
    state.step(50, lr=3.0)
    assert state.diverged
    assert state.step(50, lr=3.0) == [] and len(state.losses) < 50
    assert "diverged" in " ".join(pg.draw(state).facts)


def test_unit_report_counts_dead_relu_units_and_saturated_tanh_units():
    state = pg.Playground()
    state.reset(dataset="circles", layers=(4,), activation="relu")
    first = state.model.layers[0]
    first.W[:, :2], first.b[:2] = 0.0, -1.0  # two units that output 0 everywhere
    first.W[:, 2:], first.b[2:] = 0.0, 1.0  # and two that are alive (constant but positive)
    assert unit_report(state) == {"dead": 2, "saturated": 0, "units": 4}
    state.reset(layers=(3,), activation="tanh")
    first = state.model.layers[0]
    first.W[:, 0], first.b[0] = 0.0, 5.0  # tanh(5): on the flat part everywhere
    assert unit_report(state) == {"dead": 0, "saturated": 1, "units": 3}
    assert "1 of 3 units saturated" in " ".join(pg.draw(state).facts)


# --- the drawing ---


def test_png_is_a_valid_image_of_the_array():
    import io

    from PIL import Image

    rgb = np.random.default_rng(0).integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    image = Image.open(io.BytesIO(svg.png(rgb)))
    assert image.size == (7, 5) and np.array_equal(np.asarray(image), rgb)


def test_shading_runs_from_class_0_through_white_to_class_1_and_nan_is_grey():
    rgb = svg.shade(np.array([-1.0, -0.5, 0.0, 0.5, 1.0, np.nan]))
    assert tuple(rgb[2]) == (255, 255, 255) and tuple(rgb[5]) == svg.NAN_GREY
    class0, class1 = (np.array(matplotlib.colors.to_rgb(c)) * 255 for c in plot.CLASS_COLORS[:2])
    assert np.linalg.norm(rgb[0] - class0) < np.linalg.norm(rgb[1] - class0)  # continuous
    assert np.linalg.norm(rgb[4] - class1) < np.linalg.norm(rgb[3] - class1)


def images(html):
    return re.findall(r'<image href="data:image/png;base64,', html)


def test_the_picture_has_the_output_shaded_a_map_in_every_unit_and_labelled_inputs():
    state = pg.Playground()
    state.reset(layers=(4, 2), features=("x1", "x2", "x1²", "sin x1"))
    frame = pg.draw(state)
    # the big map, 4 inputs, 6 hidden units and the output each carry an image
    assert len(images(frame.html)) == 1 + 4 + 6 + 1
    labels = re.findall(r'text-anchor="end"[^>]*>([^<]+)</text>', frame.html)
    assert [x for x in labels if x in options.FEATURE_LABELS.values()] == [
        "x₁", "x₂", "x₁²", "sin x₁"]
    ys = [float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)"[^>]*text-anchor="end"'
                                       r'[^>]*>(?:x|sin)', frame.html)]
    assert ys == sorted(ys)  # top to bottom
    assert 'role="img"' in frame.html and 'aria-label="' in frame.html  # text alternatives
    assert frame.html.count("<polygon") == np.sum(state.y == 1) + np.sum(state.y_val == 1)


def test_a_unit_enlarged_is_outlined_and_shown_large():
    c = pg.Controller(settings=pg.Settings(layers=(3,)))
    choices = dict((key, label) for label, key in c.unit_choices())
    assert choices[("hidden", 0, 2)] == "layer 1, unit 3" and choices[("input", 0)] == "input x₁"
    frame = c.enlarge(("hidden", 0, 2))
    assert "layer 1, unit 3 over the data" in frame.html and 'stroke-width="2.5"' in frame.html
    with pytest.raises(ValueError, match="no unit"):
        c.enlarge(("hidden", 3, 0))
    c.change(layers=(2,))  # the enlarged unit is gone: back to the output
    assert c.enlarged == ("output",)


def test_picture_sizes_stay_sane_at_four_layers_of_sixteen_and_on_the_curve():
    for settings in (pg.Settings(layers=(16,) * 4), pg.Settings(dataset="curve")):
        state = pg.Playground()
        state.reset(settings)
        html = pg.draw(state).html
        heights = [float(h) for h in re.findall(r'<svg [^>]*height="([\d.]+)"', html)]
        widths = [float(w) for w in re.findall(r'<svg [^>]*width="([\d.]+)"', html)]
        assert max(heights) <= 420 and sum(widths) + 3 * 14 <= 1000, (settings, heights)
        assert "…" not in html  # no truncated labels


# --- the controls, without widgets ---


CONTROL_MOVES = {
    "dataset": [("change", {"dataset": d}) for d in ("circles", "curve", "spiral, 2 turns")],
    "noise": [("change", {"noise": 0.35}), ("change", {"noise": 0.0})],
    "validation": [("change", {"validation": 0.8})],
    "layers": [("change", {"layers": (16, 16, 16, 16)}), ("change", {"layers": ()}),
               ("change", {"layers": (3, 5)})],
    "activation": [("change", {"activation": a}) for a in options.ACTIVATIONS],
    "output": [("change", {"output": "linear"}), ("change", {"output": "sigmoid"})],
    "features": [("change", {"features": ("x1²", "x2²", "sin x1")})],
    "lr": [("set_training", {"lr": 30.0}), ("set_training", {"lr": 0.03})],
    "batch": [("set_training", {"batch_size": 10}), ("set_training", {"batch_size": None})],
    "regularisation": [("set_training", {"regularisation": "L1", "rate": 0.01}),
                       ("set_training", {"regularisation": "L2", "rate": 0.003})],
    "step": [("step", {})],
    "tick": [("tick", {})],
    "reset": [("reset", {})],
    "replay": [("replay", {"epoch": 2}), ("replay", {"epoch": None})],
    "enlarge": [("enlarge", {"key": ("input", 0)}), ("enlarge", {"key": ("output",)})],
}


def drive(controller, moves):
    for method, arguments in moves:
        if method == "enlarge" and arguments["key"] not in [k for _, k in
                                                            controller.unit_choices()]:
            continue
        frame = getattr(controller, method)(**arguments)
        assert isinstance(frame, pg.Frame) and "<svg" in frame.html, (method, arguments)
        assert images(frame.html), (method, arguments)
        assert controller.status().startswith("Training ")


@pytest.mark.parametrize("order", ["forward", "backward", "shuffled"])
@pytest.mark.parametrize("trained_first", [False, True])
def test_every_control_in_any_order_before_or_after_training_redraws(order, trained_first):
    names = list(CONTROL_MOVES)
    if order == "backward":
        names.reverse()
    elif order == "shuffled":
        names = list(np.random.default_rng(3).permutation(names))
    controller = pg.Controller(Linear=StudentLinear, train=lambda *a: [0.5])
    if trained_first:
        drive(controller, [("step", {"epochs": 20})])
    for name in names:
        drive(controller, CONTROL_MOVES[name])
        drive(controller, [("step", {"epochs": 2})])


def test_the_test_set_is_measured_once_per_data_set():
    c = pg.Controller(settings=pg.Settings(dataset="circles", noise=0.05))
    c.step(200)
    assert c.can_test()
    said = c.test_once()
    assert re.match(r"Test error on 100 test points: \d+ %, at epoch 200\.", said)
    assert not c.can_test() and c.test_once() == said  # the same answer, not a new one
    c.change(layers=(8,))
    assert not c.can_test()  # a new network on the same data: still spent
    c.change(noise=0.1)
    assert c.can_test()


# --- challenges (judged on validation) ---


def test_challenges_tick_each_goal_only_when_reached():
    state, goals = pg.Playground(), pg.Challenges()
    state.reset(dataset="circles", layers=(), features=("x1", "x2"))
    state.step(150, lr=0.5)
    assert goals.update(state, 0.5) == []  # a line cannot separate circles
    state.reset(features=("x1²", "x2²"))
    state.step(150, lr=0.5)
    assert goals.update(state, 0.5) == ["features"] and "✔ reached: circles" in goals.html()
    assert goals.update(state, 0.5) == []  # ticked once
    state.reset(dataset="spiral", noise=0.0, layers=(10, 10), activation="relu",
                features=("x1", "x2"))
    state.step(300, lr=0.1, batch_size=10)
    assert state.validation_error() < 0.05 and goals.update(state, 0.1) == ["spiral"]
    state.reset(layers=(10, 11))
    state.step(300, lr=0.1, batch_size=10)
    assert not pg.challenges._spiral_goal(state, {})  # 21 units: too many


def test_challenge_die_then_revive_needs_both_in_that_order():
    goals, state = pg.Challenges(), pg.Playground()
    state.reset(dataset="circles", layers=(8,), activation="relu")
    state.step(300, lr=0.3)
    assert unit_report(state)["dead"] < 2 and goals.update(state, 0.3) == []  # not died yet
    state.reset()
    state.step(100, lr=10.0)
    assert unit_report(state)["dead"] >= 4 and goals.update(state, 10.0) == []
    state.reset()
    state.step(300, lr=0.3)
    assert goals.update(state, 0.3) == ["revive"]


def test_challenge_edge_of_stability_needs_a_converging_rate_close_below_a_diverging_one():
    goals, state = pg.Challenges(), pg.Playground()
    rates = [v for _, v in options.LEARNING_RATES]
    results = []
    for lr in (0.1, 1.0, 0.3, 0.5, 0.7):
        assert lr in rates
        state.reset(dataset="circles", output="linear", layers=(4,))
        state.step(200, lr)
        results.append(goals.update(state, lr))
    assert results == [[], [], [], [], ["edge"]]
    assert goals.memory["edge"]["smallest diverging"] == 1.0
    assert goals.memory["edge"]["largest converging"] == 0.7


# --- the widgets ---


def controls_of(box):
    """Every control of the playground widget with a description, by description."""
    found, todo = {}, [box]
    while todo:
        widget = todo.pop()
        todo += list(getattr(widget, "children", ()))
        if getattr(widget, "description", ""):
            found.setdefault(widget.description, widget)
    return found


def test_listed_values_read_as_a_student_writes_them():
    for options_list in (options.LEARNING_RATES, options.RATES, options.NOISES):
        for label, value in options_list:
            assert label == f"{value:g}" and len(label) <= 6, label
    rates = [v for _, v in options.LEARNING_RATES]
    assert rates[0] == 0.001 and rates[-1] == 30 and 0.03 in rates
    assert max(b / a for a, b in itertools.pairwise(rates)) <= 5 / 3 + 1e-9


def test_widget_starts_untrained_then_play_ticks_step_replay_and_reset():
    box = interact.playground(epochs=5)
    view, c = box.view, controls_of(box)
    assert box.state.epoch == 0 and view.counter.value == "<b>epoch 0</b>"
    assert "not trained yet" in view.picture.value and "<svg" in view.picture.value
    view.play.value += 1  # a tick of the Play widget: `epochs` more epochs, one redraw
    assert box.state.epoch == 5
    view.play.value += 1  # a tick queued while the last one trained is dropped
    assert box.state.epoch == 5
    c["step"].click()
    assert box.state.epoch == 6 and view.counter.value == "<b>epoch 6</b>"
    c["replay epoch"].value = 2
    assert "Replay: the network at epoch 2 of 6." in view.facts.value
    c["reset"].click()
    assert box.state.epoch == 0 and c["replay epoch"].max == 0
    c["data"].value = "spiral"  # a new dataset: a new, untrained network
    assert box.state.settings.dataset == "spiral" and box.state.epoch == 0


def test_widget_every_control_reaches_the_model_and_redraws():
    box = interact.playground()
    view, c = box.view, controls_of(box)
    before = view.picture.value
    assert [c[f"layer {k}"].layout.display for k in (1, 2, 3, 4)] == [None] + ["none"] * 3
    c["hidden layers"].value = 3
    c["layer 2"].value = 16
    assert box.state.settings.layers == (4, 16, 4)
    assert c["layer 4"].layout.display == "none" and c["layer 3"].layout.display is None
    c["x₁²"].value = True
    assert box.state.settings.features == ("x1", "x2", "x1²")
    for name, value in [("noise", 0.3), ("validation share", 0.8), ("activation", "linear"),
                        ("large map", ("hidden", 1, 3))]:
        c[name].value = value
        assert view.picture.value != before and "could not draw" not in view.picture.value
        before = view.picture.value
    for name, value, attribute in [("learning rate", 0.03, "lr"), ("batch size", 10, "batch_size"),
                                   ("regularisation", "L1", "regularisation"),
                                   ("rate λ", 0.01, "rate")]:
        c[name].value = value
        assert getattr(box.controller, attribute) == value
        assert "<svg" in view.picture.value
    c["step"].click()
    assert not box.state.last_step_used_train and box.state.epoch == 1
    assert "L1 regularisation" in view.status.value
    c["data"].value = "curve"
    assert c["output"].value == "linear" and box.state.settings.output == "linear"
    assert c["learning rate"].value == options.OUTPUTS["linear"]
    c["batch size"].value = "all"
    assert box.controller.batch_size is None
    for menu in (w for w in controls_of(box).values() if isinstance(w, ipywidgets.Dropdown)):
        assert menu.label, f"{menu.description} shows no value"
    c["test once"].click()
    assert "Test error on 100 test points" in view.test_line.value
    assert c["test once"].disabled


def test_widget_controls_all_have_names_and_no_slider():
    box = interact.playground()
    todo, seen = [box], []
    while todo:
        widget = todo.pop()
        todo += list(getattr(widget, "children", ()))
        seen.append(widget)
    assert not [w for w in seen if "Slider" in type(w).__name__]
    for w in seen:
        if isinstance(w, (ipywidgets.Dropdown, ipywidgets.BoundedIntText,
                          ipywidgets.Checkbox, ipywidgets.Button,
                          ipywidgets.ToggleButton)):
            assert w.description.strip(), w


def test_widget_play_button_names_its_state_and_pauses_at_divergence():
    box = interact.playground(output="linear", epochs=50)
    view, c = box.view, controls_of(box)
    play_button = view.play_button
    play_button.value = True
    assert play_button.description == "pause"
    trait = "playing" if view.play.has_trait("playing") else "_playing"
    assert getattr(view.play, trait)
    c["learning rate"].value = 10.0
    view.play.value += 1
    assert box.state.diverged and not play_button.value and play_button.description == "play"
    assert not getattr(view.play, trait)
    assert "Diverged" in view.status.value
    box = interact.playground(output="linear", lr=0.3)
    assert controls_of(box)["learning rate"].value == 0.3


def test_widget_shows_an_unwritten_exercise_in_words(monkeypatch):
    box = interact.playground()

    def stub(*args, **kwargs):
        raise NotImplementedError("exercise: linear_layer")

    monkeypatch.setattr(box.controller, "step", stub)
    controls_of(box)["step"].click()
    assert "linear_layer" in box.view.picture.value and "Traceback" not in box.view.picture.value


def test_widget_ticks_a_challenge_reached_through_its_controls():
    box = interact.playground(dataset="circles", epochs=150)
    c = controls_of(box)
    assert "✔" not in box.view.goal_box.value
    c["hidden layers"].value = 0
    c["x₁²"].value, c["x₂²"].value = True, True
    c["x₁"].value, c["x₂"].value = False, False
    box.view.play.value += 1
    assert box.state.settings.features == ("x1²", "x2²") and box.state.epoch == 150
    assert "✔ reached: circles with no hidden layer" in box.view.goal_box.value


def test_widgets_module_sets_playing_on_either_ipywidgets_version():
    play = ipywidgets.Play()
    pg_widgets.set_playing(play, True)
    trait = "playing" if play.has_trait("playing") else "_playing"
    assert getattr(play, trait)


# --- the answers to section 9's "Things to try" (helpers/experiments/playground.py) ---


def section_9():
    cells = json.loads((ROOT / "solutions/04_mlp.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return text[text.index("## 9 · The playground"):]


def test_answer_over_fitting_shows_on_the_validation_points_and_three_cures():
    """'The training loss falls from 0.69 to 0.13, but the validation loss is lowest already
    at epoch 17 (0.42) and ends at 0.89 ... L2 ... 0.45, L1 ... 0.48, 4 units ... 0.51'."""
    run = experiments.overfitting()
    assert run["training points"] == 40
    assert (round(run["training start"], 2), round(run["training end"], 2)) == (0.69, 0.13)
    assert (run["lowest at epoch"], round(run["validation lowest"], 2)) == (17, 0.42)
    assert round(run["validation end"], 2) == 0.89 > 2 * run["validation lowest"]
    cures = [run["with L2"], run["with L1"], run["with 4 units"]]
    assert [round(v, 2) for v in cures] == [0.45, 0.48, 0.51] and cures == sorted(cures)
    assert all(v < 1.25 * run["validation lowest"] for v in cures)
    assert "lowest already at\nepoch 17 (0.42) and ends at 0.89" in section_9()


def test_answer_a_linear_output_diverges_at_1_and_the_sigmoid_output_stays_bounded():
    run = experiments.divergence()
    assert (run["last converging"], run["first diverging"]) == (0.7, 1.0)
    assert run["top rate"] == 30 and not run["top diverged"]
    assert round(run["top first loss"], 2) == 0.70 and round(run["top largest loss"], 1) == 11.8
    assert run["top largest loss"] <= run["loss bound"] == pytest.approx(27.63, abs=0.01)
    assert "0.7 still converges and 1 diverges" in section_9()


def test_answer_a_large_learning_rate_kills_relu_units_and_reset_brings_them_back():
    assert experiments.dead_units() == {"relu large": 8, "relu small": 0, "tanh large": 6,
                                        "tanh small": 0}
    assert "all 8 ReLU units are dead" in section_9() and "6 of the 8 tanh" in section_9()


def test_answer_squared_inputs_solve_circles_and_linear_layers_do_not():
    run = experiments.inputs_and_activation()
    assert run == {"no hidden layer, x1 x2": 0.36, "no hidden layer, x1² x2²": 0.0,
                   "2 layers of 8 linear": 0.36, "2 layers of 8 tanh": 0.0}
    assert "36 %" in section_9()


def test_answer_l1_zeroes_most_weights_and_l2_shrinks_them_all():
    run = experiments.regularisers()
    assert [run[k]["near zero"] for k in ("none", "L2", "L1")] == [0, 0, 20]
    assert [round(run[k]["squared"], 1) for k in ("none", "L2", "L1")] == [15.3, 3.0, 11.0]
    assert [round(run[k]["validation error"], 2) for k in ("none", "L2", "L1")] == [
        0.11, 0.16, 0.11]
    assert "20 of the 24 weights" in section_9()


def test_section_9_chooses_by_validation_and_names_the_test_set_once():
    text = section_9()
    text = text.split("## Before you hand in")[0]
    assert "test share" not in text and "test loss" not in text
    assert text.count("test error") == 1  # "test once gives the test error ..., once"
    assert text.count("**test once**") == 1
    assert "four goals" in text and len(pg.GOALS) == 4
    assert all("validation" in goal.text or goal.name == "edge" for goal in pg.GOALS)


# --- review04 #13: reset, the live status, a network without hidden units ---


def _weights(state):
    return [p.copy() for p, _ in state.model.parameters()]


def test_reset_draws_new_weights_each_press_and_a_setting_restores_the_standard_start():
    c = pg.Controller(settings=pg.Settings(layers=(3,)))
    standard = _weights(c.state)
    c.reset()
    first = _weights(c.state)
    c.reset()
    second = _weights(c.state)
    differ = [not all(np.array_equal(a, b) for a, b in zip(x, y, strict=True))
              for x, y in ((standard, first), (first, second))]
    assert differ == [True, True]
    c.change(noise=c.state.settings.noise)  # any setting starts from the notebook's start
    assert all(np.array_equal(a, b) for a, b in zip(standard, _weights(c.state), strict=True))


def test_the_live_status_gives_loss_and_error_rates_of_the_same_network():
    state = pg.Playground()
    state.reset(dataset="circles", layers=(4,), activation="tanh")
    state.step(5, lr=0.5)
    facts = pg.draw(state).facts
    assert facts[0] == "Epoch 5."
    after = state.loss_on(state.X, state.y)
    assert after != pytest.approx(state.losses[-1])  # the last recorded loss is before epoch 5
    assert f"Loss: training {after:.3g}, validation " in facts[2]


def test_no_hidden_layer_reports_no_hidden_units():
    state = pg.Playground()
    state.reset(layers=())
    assert "no hidden units" in pg.draw(state).facts[3]
    assert "0 of 0" not in pg.draw(state).facts[3]
