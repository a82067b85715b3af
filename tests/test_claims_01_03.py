"""The claims of notebooks 01-03, asserted on the runs the notebooks print and plot.

Each test names the sentence it guards; a change that makes the sentence false fails here.
"""

import numpy as np
import pytest

from helpers import data
from helpers.experiments import descent

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
