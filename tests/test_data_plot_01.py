"""Datasets, figures and the neuron panel of notebook 01 (drawn without a browser)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import data, interact, plot  # noqa: E402


def test_movie_ratings_are_grades_separable_by_a_line_and_reproducible():
    X, y = data.movie_ratings(200, rng=1)
    assert X.shape == (200, 2) and y.shape == (200,)
    assert X.min() >= 0 and X.max() <= 10 and set(np.unique(y)) == {0, 1}
    assert np.array_equal(y, (X @ [0.6, 0.4] - 5 > 0).astype(int))
    X2, _ = data.movie_ratings(200, rng=1)
    assert np.array_equal(X, X2)


def test_xor_corners_and_noisy_cloud():
    X, y = data.xor()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]] and y.tolist() == [0, 1, 1, 0]
    X, y = data.xor(50, noise=0.1, rng=0)
    assert X.shape == (50, 2) and y.shape == (50,)


@pytest.mark.parametrize("name", sorted(data.DATASETS_2D))
def test_2d_datasets_have_the_documented_shapes(name):
    X, y = data.DATASETS_2D[name](120, 0.1, 3)
    assert X.shape == (120, 2) and y.shape == (120,) and set(np.unique(y)) == {0, 1}


def test_train_test_split_keeps_pairs_together():
    X = np.arange(20).reshape(10, 2)
    y = X[:, 0] * 10
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, 0.3, rng=0)
    assert len(X_test) == 3 and len(X_train) == 7
    assert np.array_equal(y_train, X_train[:, 0] * 10) and np.array_equal(y_test, X_test[:, 0] * 10)
    with pytest.raises(ValueError, match="same number of samples"):
        data.train_test_split(X, y[:5])


def test_minibatches_cover_every_sample_once_with_labels_attached():
    X = np.arange(23)[:, None]
    y = np.arange(23) * 2
    batches = list(data.minibatches(X, y, 5, rng=0))
    assert [len(b[0]) for b in batches] == [5, 5, 5, 5, 3]
    seen = np.concatenate([b[0].ravel() for b in batches])
    assert sorted(seen) == list(range(23)) and not np.array_equal(seen, np.arange(23))
    assert all(np.array_equal(bx.ravel() * 2, by) for bx, by in batches)


def test_rng_argument_is_validated_with_a_teaching_message():
    with pytest.raises(TypeError, match="default_rng"):
        data.as_rng("seed")


def test_activation_gallery_and_decision_line(tmp_path):
    axes = plot.activation_gallery({"identity": (lambda z: z, "unbounded")} | {
        f"f{i}": (np.tanh, "bounded") for i in range(4)})
    assert sum(ax.get_visible() for ax in axes.flat) == 5
    X, y = data.movie_ratings(60, rng=0)
    ax = plot.decision_line(X, y, [0.6, 0.4], -5)
    ax.figure.savefig(tmp_path / "line.png")
    plt.close("all")


def test_decision_regions_accepts_labels_or_probabilities():
    X, y = data.blobs(50, rng=0)
    ax = plot.decision_regions(lambda P: (P[:, 0] > 0).astype(int), X, y)
    assert ax.get_xlim()[0] < X[:, 0].min()
    plot.decision_regions(lambda P: 1 / (1 + np.exp(-P[:, 0])), X, y)
    plt.close("all")


def test_decision_regions_reads_whole_float_labels_as_classes_and_fractions_as_scores():
    X, y = data.blobs(60, rng=0)  # points of classes 0 and 1 only
    sector = lambda P: (np.arctan2(P[:, 1], P[:, 0]) + np.pi) // (2 * np.pi / 3)  # 0., 1., 2.
    assert plot.decision_regions(sector, X, y).collections[0].cmap.N == 3
    scores = lambda P: 1 / (1 + np.exp(-P[:, 0]))  # probabilities of class 1
    assert plot.decision_regions(scores, X, y).collections[0].cmap.N == 2
    plt.close("all")


def test_neuron_panel_draws_its_state_and_reports_accuracy():
    X, y = data.movie_ratings(80, rng=2)
    fig, acc = interact.draw_neuron(X, y, 0.6, 0.4, -5.0)
    assert acc == 1.0 and "100%" in fig.axes[0].get_title()
    _, acc = interact.draw_neuron(X, y, -0.6, -0.4, 5.0)
    assert acc < 0.05
    widget = interact.neuron_panel(X, y)
    sliders = [w for row in widget.children[:-1] for w in row.children]
    assert [s.description for s in sliders] == ["w₁", "w₂", "b"]
    sliders[2].value = -3.0  # moving a slider redraws without error
    plt.close("all")
