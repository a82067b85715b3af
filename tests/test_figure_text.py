"""Text alternatives of figures (helpers/figure_text.py): read from the figure's artists,
they say what is plotted, the key numbers and the trend; the HTML carries them as alt text."""

import html
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plot
from helpers.autograd import Value, draw_graph
from helpers.figure_text import describe, figure_html, figure_text, plain


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_a_falling_loss_says_so_with_its_first_and_last_values():
    losses = np.exp(-np.arange(30) / 5) + 0.01
    text = figure_text(plot.loss_curve(losses, log=True, label="training loss").figure)
    assert "Loss against step (log scale)" in text.summary
    assert "“training loss” falls from 1.01 at 0 to 0.013 at 29" in text.summary
    assert "77.5 times smaller" in text.summary
    assert any("30 points" in line for line in text.details)


@pytest.mark.parametrize(("values", "words"), [
    (np.linspace(0, 5, 20), "rises from 0 at 0 to 5 at 19"),
    (np.full(10, 0.3), "stays flat at about 0.3"),
    ((np.arange(20) - 10.0) ** 2, "falls from 100 at 0 to its lowest, 0 at 10, then rises"),
    (np.where(np.arange(30) % 2, 1.0, -1.0) * np.linspace(2, 1, 30), "oscillates"),
    (np.array([1.0, 0.5, 2.0, np.inf, np.inf]), "becomes infinity at 3 (diverges)"),
])
def test_the_trend_in_words(values, words):
    _, ax = plt.subplots()
    ax.plot(np.arange(len(values)), values, label="series")
    assert words in str(figure_text(ax.figure))


def test_a_scatter_counts_points_per_class_with_the_class_names():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.0], [3.0, 3.0], [4.0, 1.0]])
    y = np.array([0, 0, 1, 1, 1])
    text = figure_text(plot.scatter_classes(X, y, labels=["cats", "dogs"]).figure)
    assert "2 “cats”, 3 “dogs”" in text.summary
    assert "x₂ against x₁" in text.summary
    assert any("“dogs”: 3 points, x₁ from 2 to 4" in line for line in text.details)


def test_bars_are_read_with_their_labels():
    text = figure_text(plot.probability_bars(np.array([0.1, 0.7, 0.2]), true_class=1).figure)
    assert "highest 1 (true) (0.7)" in text.summary
    assert any("0: 0.1, 1 (true): 0.7, 2: 0.2" in line for line in text.details)


def test_several_plots_are_numbered():
    axes = plot.learning_rate_curves({0.1: np.exp(-np.arange(20) / 5),
                                      1.5: np.exp(np.arange(20) / 3)})
    summary = figure_text(axes[0].figure).summary
    assert summary.startswith("Figure with 2 plots.")
    assert "Plot 1: Learning rates that converge" in summary
    assert "“lr = 1.5” rises" in summary


def test_the_computational_graph_says_every_value_and_gradient():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    c.backward()
    summary = figure_text(draw_graph(c).figure).summary
    assert "a: value 2, gradient -3; an input" in summary
    assert "c: value -6, gradient 1; the operation * of a (local derivative -3)" in summary


def test_the_confusion_matrix_names_its_largest_mistakes():
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 2, 2, 1, 0, 2, 2, 2, 1])
    summary = figure_text(plot.confusion_matrix(y_true, y_pred).figure).summary
    assert "class 0: 1 of 3" in summary
    assert "Largest mistakes: true 0 predicted as 2, 2 times" in summary


def test_a_helper_describes_what_only_it_knows():
    _, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    describe(ax, "The diagonal of the unit square.")
    assert "The diagonal of the unit square." in figure_text(ax.figure).summary


def test_maths_in_labels_reads_as_text():
    assert plain("$x_1$") == "x₁"
    assert plain(r"$\eta = 0.1$") == "η = 0.1"
    assert plain(r"$w \sim N(0, s^2)$") == "w ~ N(0, s²)"


def test_the_html_has_the_summary_as_alt_and_the_details_as_its_description():
    text = figure_text(plot.loss_curve([3.0, 2.0, 1.0], label="loss").figure)
    page = figure_html(plt.gcf(), "AAAA", text)
    alt = re.search(r'<img alt="([^"]*)" aria-describedby="([^"]+)"', page)
    assert alt and html.unescape(alt.group(1)) == text.summary
    spoken = re.search(f'<div id="{alt.group(2)}" hidden>([^<]*)</div>', page)
    assert spoken and "“loss” (3 points) falls from 3 at 0 to 1 at 2" in spoken.group(1)
    assert "<details><summary>Figure as text</summary>" in page
    assert 'src="data:image/png;base64,AAAA"' in page


def test_a_region_plot_says_each_class_share_and_how_many_points_it_holds():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.2, 1.0], [0.9, 0.0]])
    y = np.array([0, 1, 0, 0])  # the last point lies in class 1's half
    ax = plot.decision_regions(lambda p: (p[:, 0] > 0.5).astype(int), X, y)
    summary = figure_text(ax.figure).summary
    assert "share of the view: class 0 50%, class 1 50%" in summary
    assert "Points: 3 class 0, 1 class 1; 3 of 4 lie in their own class's region" in summary
