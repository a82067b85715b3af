"""The claims of notebooks 01-03, asserted on the runs the notebooks print and plot.

Each test names the sentence it guards; a change that makes the sentence false fails here.
"""

import numpy as np
import pytest

from helpers import data
from helpers.autograd import Value
from helpers.experiments import backprop, descent, neuron

# --- notebook 01 ---


def test_01_the_step_has_slope_0_except_at_the_jump_where_it_has_none():
    def step(z):
        return (np.asarray(z) >= 0).astype(float)

    z = [-2.0, -0.5, 0.0, 0.5, 2.0]
    slopes = neuron.step_slopes(step, z, nudges=(1e-2, 1e-4, 1e-6))
    at_jump = [slopes[h][2] for h in (1e-2, 1e-4, 1e-6)]
    for h, values in slopes.items():
        assert np.all(values[[0, 1, 3, 4]] == 0), h  # "zero except at the jump"
        assert values[2] == pytest.approx(1 / (2 * h))
    assert at_jump[0] < at_jump[1] < at_jump[2]  # "grows without bound as h shrinks"


def test_01_a_sigmoid_has_a_slope_everywhere_where_the_step_has_none():
    slopes = neuron.step_slopes(lambda z: 0.5 * (1 + np.tanh(0.5 * np.asarray(z))),
                                nudges=(1e-4,))[1e-4]
    assert np.all(slopes > 0)


# --- notebook 02 ---


@pytest.fixture(scope="module")
def directions():
    return descent.random_directions(dims=(1, 10, 100, 1000), small_step=1e-3, large_step=0.5)


def test_02_half_of_the_small_random_steps_go_downhill_in_any_dimension(directions):
    # the old text said "in a thousand dimensions almost none of them does": false
    for dim, run in directions.items():
        assert 0.45 < run["downhill_small"] < 0.55, (dim, run)


def test_02_what_collapses_is_the_gain_of_a_random_step_about_one_over_sqrt_d(directions):
    gains = [directions[d]["gain"] for d in (1, 10, 100, 1000)]
    assert gains == sorted(gains, reverse=True)
    assert directions[1]["gain"] == pytest.approx(1.0)
    assert 0.02 < directions[1000]["gain"] < 0.03  # "only about 2.5 %"
    for dim in (10, 100, 1000):
        assert directions[dim]["gain"] == pytest.approx(np.sqrt(2 / (np.pi * dim)), rel=0.2)


def test_02_for_larger_steps_the_downhill_fraction_collapses_too(directions):
    assert directions[1]["downhill_large"] > 0.45
    fractions = [directions[d]["downhill_large"] for d in (1, 10, 100, 1000)]
    assert fractions == sorted(fractions, reverse=True)
    assert directions[1000]["downhill_large"] < 0.01


@pytest.fixture(scope="module")
def step_and_sigmoid():
    X, y = data.movie_ratings(100, rng=0)
    return descent.step_vs_sigmoid(X / 10, y, lr=2.0, n_steps=200, start=(0.3, -0.7, 0.1))


def test_02_a_step_neuron_gets_a_zero_gradient_and_never_moves(step_and_sigmoid):
    run = step_and_sigmoid["step"]
    assert np.all(run["gradient_norm"] == 0)
    assert np.all(run["loss"] == run["loss"][0])
    assert run["accuracy"][-1] == run["accuracy"][0] < 0.5  # "weights that get most wrong"


def test_02_a_sigmoid_neuron_from_the_same_start_learns(step_and_sigmoid):
    run = step_and_sigmoid["sigmoid"]
    assert np.all(run["gradient_norm"] > 0)
    assert run["loss"][-1] < 0.25 * run["loss"][0]
    assert np.all(np.diff(run["loss"]) < 0)
    assert run["accuracy"][-1] >= 0.95  # "right for almost every movie"


def test_02_step_vs_sigmoid_names_a_start_of_the_wrong_shape():
    X, y = data.movie_ratings(10, rng=0)
    with pytest.raises(ValueError, match=r"2 weights and a bias, shape \(3,\); got shape \(2,\)"):
        descent.step_vs_sigmoid(X, y, start=(0.1, 0.2))


# --- notebook 03 ---


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _sigmoid_prime(z):
    s = _sigmoid(z)
    return s * (1 - s)


def _tanh_prime(z):
    return 1 - np.tanh(z) ** 2


ACTIVATIONS = {"sigmoid": (_sigmoid, _sigmoid_prime), "tanh": (np.tanh, _tanh_prime)}
DEPTHS = np.arange(1, 31)


def test_03_gates_pass_on_swap_and_route_the_gradient():
    gates = backprop.gate_gradients(3.0, -2.0, 5.0)
    assert gates["add"] == pytest.approx((5.0, 5.0))
    assert gates["multiply"] == pytest.approx((5.0 * -2.0, 5.0 * 3.0))
    assert gates["max"] == pytest.approx((5.0, 0.0))
    assert backprop.gate_gradients(-3.0, 2.0, 5.0)["max"] == pytest.approx((0.0, 5.0))
    with pytest.raises(ValueError, match="must differ"):
        backprop.gate_gradients(1.0, 1.0, 5.0)


def test_03_the_gradient_adds_over_paths():
    a = Value(3.0)
    f = a * a
    f.backward()
    assert a.grad == 6.0  # two edges bring 3 each


@pytest.fixture(scope="module")
def slope_only():
    return {name: backprop.gradient_sizes_by_depth(f, fp, random_weights=False)
            for name, (f, fp) in ACTIVATIONS.items()}


@pytest.fixture(scope="module")
def random_weights():
    return {name: backprop.gradient_sizes_by_depth(f, fp, weight_scale=1.0)
            for name, (f, fp) in ACTIVATIONS.items()}


def test_03a_with_w_1_b_0_sigmoid_stays_below_the_quarter_bound_and_tanh_far_above(slope_only):
    assert np.all(slope_only["sigmoid"] <= 0.25**DEPTHS * (1 + 1e-9))
    assert np.all(slope_only["tanh"][1:] > 0.25 ** DEPTHS[1:])
    assert slope_only["tanh"][9] > 1e4 * slope_only["sigmoid"][9]  # "loses far less"
    assert slope_only["tanh"][-1] ** (1 / 30) > 0.8  # "factor per layer close to 1"


def test_03b_with_random_weights_both_lie_below_the_dashed_line_tanh_above_sigmoid(random_weights):
    # the old figure's sentence "tanh loses far less" than 0.25 per layer is false here
    for name in ("sigmoid", "tanh"):
        assert np.all(random_weights[name][4:] < 0.25 ** DEPTHS[4:]), name
    assert np.all(random_weights["tanh"][2:] > random_weights["sigmoid"][2:])
    per_layer = {name: sizes[-1] ** (1 / 30) for name, sizes in random_weights.items()}
    assert 0.07 < per_layer["sigmoid"] < 0.13  # "about 0.1"
    assert 0.15 < per_layer["tanh"] < 0.25  # "about 0.2"


def test_03b_weights_alone_shrink_the_gradient_by_about_half_per_layer():
    alone = backprop.factor_per_layer(lambda z: z, np.ones_like, [1.0])[0]
    assert 0.5 < alone < 0.58  # "a typical |w| from N(0, 1) is about 0.53"


def test_03c_larger_weights_explode_alone_and_never_bring_sigmoid_or_tanh_near_1():
    scales = np.geomspace(0.25, 8, 11)
    alone = backprop.factor_per_layer(lambda z: z, np.ones_like, scales)
    crossing = scales[np.argmax(alone > 1)]
    assert np.all(np.diff(alone) > 0) and 1.5 < crossing < 3.0  # "above about 2: exploding"
    sig = backprop.factor_per_layer(*ACTIVATIONS["sigmoid"], scales)
    tanh = backprop.factor_per_layer(*ACTIVATIONS["tanh"], scales)
    assert 2.0 <= scales[np.argmax(sig)] <= 5.0  # "gains a little up to s ≈ 3"
    assert 1.0 <= scales[np.argmax(tanh)] <= 2.0  # "much worse beyond s ≈ 1.5"
    assert max(sig.max(), tanh.max()) < 0.3  # "neither gets near 1"
    at = backprop.factor_per_layer(*ACTIVATIONS["sigmoid"], [1.0, 4.0])
    assert at[1] > at[0]  # weights × 4: sigmoid better
    at = backprop.factor_per_layer(*ACTIVATIONS["tanh"], [1.0, 4.0])
    assert at[1] < 0.25 * at[0]  # weights × 4: tanh much worse


@pytest.fixture(scope="module")
def grades():
    return backprop.raw_vs_scaled_grades()


def test_03_raw_grades_at_lr_10_thrash_then_end_lower_than_the_scaled_run(grades):
    # the old "Try it" blamed a vanishing gradient: the loss going up says the step is too large
    scaled, raw = grades["grades / 10, lr = 10"], grades["raw grades, lr = 10"]
    assert scaled["increases"] == 0
    assert raw["increases"] > 50
    assert np.max(raw["losses"][:300]) > raw["losses"][0]
    assert raw["losses"][-1] < scaled["losses"][-1]


def test_03_raw_grades_at_lr_0_1_stop_thrashing_but_the_bias_crawls(grades):
    scaled, slow = grades["grades / 10, lr = 10"], grades["raw grades, lr = 0.1"]
    assert slow["increases"] == 0
    assert slow["losses"][-1] > 5 * scaled["losses"][-1]  # "still far above"
    assert abs(slow["b"]) < 0.5 * abs(scaled["b"])  # "the bias crawls"


def test_03_raw_vs_scaled_uses_the_train_function_it_is_given():
    calls = []

    def train(X, y, lr, epochs, rng):
        calls.append((X.max(), lr, epochs))
        return np.zeros(2), 0.0, np.linspace(1, 0, epochs)

    runs = backprop.raw_vs_scaled_grades(train, settings=(("raw grades", 0.5),), epochs=3)
    assert calls == [(pytest.approx(10.0, abs=0.5), 0.5, 3)]
    assert runs["raw grades, lr = 0.5"]["increases"] == 0
    with pytest.raises(ValueError, match="inputs must be"):
        backprop.raw_vs_scaled_grades(train, settings=(("grades", 1.0),))


def test_factor_vs_weight_scale_draws_each_factor_the_reference_and_the_line_at_1():
    import matplotlib.pyplot as plt

    from helpers import plot

    scales = np.geomspace(0.25, 8, 6)
    ax = plot.factor_vs_weight_scale(scales, {"sigmoid": 0.1 * scales, "tanh": 0.2 / scales},
                                     reference=("weights alone", 0.5 * scales))
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert {"sigmoid", "tanh", "weights alone"} <= set(lines)
    assert np.allclose(lines["tanh"].get_ydata(), 0.2 / scales)
    assert any(np.allclose(line.get_ydata(), 1.0) for line in ax.get_lines())  # the line at 1
    assert ax.get_xscale() == ax.get_yscale() == "log"
    low, high = ax.get_ylim()
    assert low <= (0.2 / scales).min() and high >= (0.5 * scales).max()
    assert ax.figure.get_figwidth() <= 9.4
    plt.close(ax.figure)


def test_activation_gallery_fits_the_course_width_of_9_4_inches():
    import matplotlib.pyplot as plt

    from helpers import plot

    axes = plot.activation_gallery({f"f{i}": (np.tanh, "bounded") for i in range(9)})
    assert axes.shape == (3, 3)
    assert axes[0, 0].figure.get_figwidth() <= 9.4
    plt.close("all")
