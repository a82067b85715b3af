"""Figures and panels of notebook 06, drawn without a browser."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import data, interact, plot  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_probability_bars_mark_the_most_probable_class_and_the_true_one():
    ax = plot.probability_bars(np.array([0.1, 0.7, 0.2]), true_class=2, title="one image")
    heights = [bar.get_height() for bar in ax.patches]
    assert heights == pytest.approx([0.1, 0.7, 0.2])
    dark = [bar.get_facecolor() for bar in ax.patches]
    assert dark[0] == dark[2] != dark[1]
    assert "(true)" in ax.get_xticklabels()[2].get_text() and ax.get_title() == "one image"


def test_confusion_matrix_counts_pairs_of_true_and_predicted_classes():
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0, 2])
    ax = plot.confusion_matrix(y_true, y_pred)
    counts = np.ma.getdata(ax.images[0].get_array())
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert "4 of 6 right" in ax.get_title()
    with pytest.raises(ValueError, match="one label per sample"):
        plot.confusion_matrix(y_true, y_pred[:4])


def test_digit_grid_shows_each_image_with_its_title():
    images = np.random.default_rng(0).uniform(size=(10, 784))
    axes = plot.digit_grid(images, [f"digit {i}" for i in range(10)], ncols=4)
    assert axes.shape == (3, 4)
    shown = [ax for ax in axes.flat if ax.images]
    assert len(shown) == 10 and shown[3].get_title() == "digit 3"
    assert shown[0].images[0].get_array().shape == (28, 28)


def test_loss_and_accuracy_curves_plot_every_step_and_epoch():
    losses = list(np.linspace(2.3, 0.1, 300))
    left, right = plot.loss_and_accuracy_curves(losses, [0.9, 0.95, 0.97], [0.9, 0.94, 0.96], 100)
    assert len(left.lines[0].get_xdata()) == 300 and left.lines[0].get_xdata()[-1] == 3
    assert right.lines[1].get_ydata().tolist() == pytest.approx([90, 94, 96])
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["training set",
                                                                      "validation set"]


def test_temperature_panel_sharpens_and_flattens_the_distribution(tmp_path):
    scores = np.array([2.0, 1.0, 0.5, -1.0])
    fig, cold = interact.draw_softmax_temperature(scores, 0.1)
    fig.savefig(tmp_path / "cold.png")
    _, warm = interact.draw_softmax_temperature(scores, 1.0)
    _, hot = interact.draw_softmax_temperature(scores, 5.0)
    assert cold[0] > 0.99 and warm[0] == pytest.approx(np.exp(2) / np.exp(scores).sum())
    assert hot.max() - hot.min() < warm.max() - warm.min()
    assert "T = 0.10" in fig.axes[0].get_title()
    widget = interact.softmax_temperature_panel(scores)
    slider = widget.children[0].children[0]
    assert slider.description == "temperature T"
    slider.value = 3.0  # moving the slider redraws without error


def test_regions_panel_keeps_the_boundaries_and_fades_the_colours(tmp_path):
    X, y = data.spiral(90, 0.1, 0, classes=3)
    angles = 2 * np.pi * np.arange(3) / 3
    directions = np.column_stack([np.cos(angles), np.sin(angles)])

    def logits(points):
        return 4 * points @ directions.T

    fig, sure = interact.draw_softmax_regions(logits, X, y, 0.5)
    fig.savefig(tmp_path / "sure.png")
    image_sure = fig.axes[0].images[0].get_array().copy()
    fig, unsure = interact.draw_softmax_regions(logits, X, y, 8.0)
    image_unsure = fig.axes[0].images[0].get_array()
    assert sure > unsure > 1 / 3
    # hotter: each pixel's colour moves towards the grey mixture of the three classes
    assert np.std(image_unsure, axis=(0, 1)).sum() < np.std(image_sure, axis=(0, 1)).sum()
    assert "T = 8.00" in fig.axes[0].get_title()
    widget = interact.softmax_regions_panel(logits, X, y)
    slider = widget.children[0].children[0]
    assert not slider.continuous_update
    slider.value = 2.0
