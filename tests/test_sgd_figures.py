"""Notebook 05's reference RMSProp and standardize, figures and batch-size panel (no browser)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from checking import OneParameter  # noqa: E402

from helpers import data, interact, optim, plot  # noqa: E402


def test_rmsprop_follows_the_update_rule_by_hand():
    model = OneParameter()
    opt = optim.RMSProp(model, lr=0.01, decay=0.9)
    theta, s = model.theta.copy(), np.zeros(2)
    for g in ([1.0, 2.0], [0.5, -1.0], [-2.0, 0.0]):
        g = np.array(g)
        model.grad[:] = g
        opt.step()
        s = 0.9 * s + 0.1 * g**2
        theta = theta - 0.01 * g / (np.sqrt(s) + 1e-8)
        assert np.allclose(model.theta, theta)
    # first step by hand: s = 0.1 g², so the step is lr · g / (√0.1 |g|) = lr · √10 · sign(g)
    model = OneParameter()
    model.grad[:] = [4.0, -0.5]
    optim.RMSProp(model, lr=0.01).step()
    assert np.allclose(model.theta, [1.0 - 0.01 * np.sqrt(10), -2.0 + 0.01 * np.sqrt(10)])


def test_descent_path_walks_any_optimiser_on_a_given_gradient():
    path = optim.descent_path(lambda m: optim.SGD(m, lr=0.25), lambda t: 2 * t, [4.0, -2.0], 3)
    assert path.shape == (4, 2)
    assert np.allclose(path, [[4, -2], [2, -1], [1, -0.5], [0.5, -0.25]])


def test_standardize_uses_training_statistics_and_spares_constant_columns():
    X_train = np.array([[1.0, 5.0], [3.0, 5.0]])
    X_test = np.array([[5.0, 7.0]])
    train, test = data.standardize(X_train, X_test)
    assert np.allclose(train, [[-1, 0], [1, 0]]) and np.allclose(test, [[3, 2]])
    with pytest.raises(ValueError, match="columns of X_train"):
        data.standardize(X_train, np.zeros((2, 3)))


def test_figures_draw_the_lines_they_are_given():
    ax = plot.timings([10, 100], {"loop": [1e-3, 1e-2], "product": [1e-5, 1e-4]})
    assert len(ax.get_lines()) == 2 and ax.get_xscale() == "log"
    ax = plot.loss_curves({"a": ([1, 2], [1.0, 0.5]), "b": ([1, 2], [1.0, 0.8])}, "seconds")
    assert ax.get_xlabel() == "seconds" and len(ax.get_legend().get_texts()) == 2
    ax = plot.early_stopping([1.0, 0.5, 0.3], [1.0, 0.6, 0.7], best_epoch=2)
    assert "(2)" in ax.get_legend().get_texts()[-1].get_text()
    ax = plot.descent_paths(lambda p: (p**2).sum(-1), {"GD": np.array([[1.0, 1.0], [0.5, 0.5]])},
                            (-2, 2, -2, 2), minimum=(0, 0))
    assert "GD (1 steps)" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close("all")


def test_batch_paths_gradient_descent_matches_mini_batches_of_size_n():
    _, losses_n = interact.draw_batch_paths(64)
    assert losses_n["mini-batch"] == pytest.approx(losses_n["gradient descent"])
    fig, losses_8 = interact.draw_batch_paths(8)
    # eight times the steps per epoch: mini-batches get closer to the minimum in 8 epochs
    assert losses_8["mini-batch"] < losses_8["gradient descent"]
    assert "64 steps" in fig.axes[1].get_title()
    plt.close("all")


def test_batch_size_panel_redraws_with_the_moved_control(monkeypatch):
    drawn = []
    real = interact.draw_batch_paths

    def recording(**values):
        drawn.append(values)
        return real(**values)

    monkeypatch.setattr(interact, "draw_batch_paths", recording)
    widget = interact.batch_size_panel()
    controls = [w for row in widget.children[:-1] for w in row.children]
    assert [c.description for c in controls] == ["batch size", "learning rate"]
    controls[0].value = 1
    controls[1].value = 0.3
    assert [(d["batch_size"], d["lr"]) for d in drawn] == [(8, 0.1), (1, 0.1), (1, 0.3)]
    plt.close("all")
