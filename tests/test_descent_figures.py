"""Figures and panels of notebook 02 (drawn without a browser)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import interact, plot  # noqa: E402


def descend(grad, x0, lr, n_steps):
    xs = [np.asarray(x0, dtype=float)]
    for _ in range(n_steps):
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return np.array(xs)


def f(x):
    return (x - 1) ** 2 + 3.5


def f_prime(x):
    return 2 * (x - 1)


def wells(p):
    return (p[0] ** 2 - 1) ** 2 + 0.3 * p[0] + p[1] ** 2


def wells_grad(p):
    return np.array([4 * p[0] * (p[0] ** 2 - 1) + 0.3, 2 * p[1]])


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_function_path_draws_the_curve_and_every_iterate(tmp_path):
    xs = descend(f_prime, 0.0, 0.3, 5)
    ax = plot.function_path(f, xs)
    curve, path = ax.lines[0], ax.lines[1]
    assert np.allclose(path.get_xdata(), xs) and np.allclose(path.get_ydata(), f(xs))
    assert ax.get_xlim()[0] < xs.min() and ax.get_xlim()[1] > xs.max()
    assert len(curve.get_xdata()) == 400
    ax.figure.savefig(tmp_path / "path.png")


def test_loss_curve_on_a_log_scale_leaves_zeros_out():
    ax = plot.loss_curve([4.0, 1.0, 0.0], log=True)
    assert ax.get_yscale() == "log"
    assert np.allclose(ax.lines[0].get_ydata(), [4.0, 1.0, 0.0])


def test_contour_path_draws_each_path_over_the_contours():
    paths = [descend(wells_grad, np.array(s), 0.05, 40) for s in ([-0.1, 1.6], [0.3, 1.6])]
    ax = plot.contour_path(wells, paths, labels=["left", "right"])
    drawn = [line for line in ax.lines if line.get_label() in ("left", "right")]
    assert len(drawn) == 2 and np.allclose(drawn[0].get_xdata(), paths[0][:, 0])
    assert paths[0][-1, 0] < 0 < paths[1][-1, 0]  # the two starts reach the two minima
    assert ax.get_xlim() == (-2.0, 2.0)


def test_regression_lines_draws_data_and_one_line_per_model():
    x = np.linspace(0, 1, 10)[:, None]
    ax = plot.regression_lines(x, 2 * x + 1, {"fit": (np.array([2.0]), 1.0), "other": (1.0, 0.0)})
    assert [line.get_label() for line in ax.lines] == ["fit", "other"]
    assert np.allclose(ax.lines[0].get_ydata(), [1.0, 3.0])


def test_learning_rate_panel_draws_the_iterates_and_moves_with_its_sliders():
    fig, xs = interact.draw_learning_rate(descend, f, f_prime, lr=0.1, n_steps=10, f_min=3.5)
    assert xs.shape == (11,) and np.isclose(xs[1], 0.2)
    left, right = fig.axes
    assert np.allclose(right.lines[0].get_ydata(), f(xs) - 3.5)
    _, more = interact.draw_learning_rate(descend, f, f_prime, lr=0.1, n_steps=20, f_min=3.5)
    _, faster = interact.draw_learning_rate(descend, f, f_prime, lr=0.4, n_steps=10, f_min=3.5)
    assert more.shape == (21,) and abs(faster[-1] - 1) < abs(xs[-1] - 1)


def test_learning_rate_panel_shows_a_divergence_without_warnings():
    with np.errstate(all="raise"):
        fig, xs = interact.draw_learning_rate(descend, f, f_prime, lr=1.5, n_steps=60)
    assert abs(xs[-1]) > 1e6
    assert "left the view" in fig.axes[0].texts[0].get_text()


def test_descent_2d_panel_path_follows_the_start_and_the_learning_rate():
    fig, left = interact.draw_descent_2d(descend, wells, wells_grad, -0.1, 1.6, 0.05, 60)
    _, right = interact.draw_descent_2d(descend, wells, wells_grad, 0.3, 1.6, 0.05, 60)
    assert left.shape == (61, 2) and np.allclose(left[0], [-0.1, 1.6])
    assert left[-1, 0] < 0 < right[-1, 0]
    assert "ends at" in fig.axes[0].get_title()
    _, slow = interact.draw_descent_2d(descend, wells, wells_grad, 0.3, 1.6, 0.01, 60)
    assert not np.allclose(slow, right)


def test_panels_build_their_widgets_headless():
    lr_panel = interact.learning_rate_panel(descend, f, f_prime, f_min=3.5)
    sliders = lr_panel.children[0].children
    assert [s.description for s in sliders] == ["learning rate η", "steps"]
    sliders[0].value = 0.5  # moving a slider redraws without error
    descent = interact.descent_2d_panel(descend, wells, wells_grad)
    assert len(descent.children) == 3  # two rows of two sliders, then the output


def test_the_last_step_is_a_cross_in_the_legend_never_the_star_of_a_minimum():
    # a star on the last iterate read as the minimum on x² + 100y², where the path stops
    # far from it (issue 22)
    path = descend(lambda p: np.array([2 * p[0], 200 * p[1]]), np.array([-2.5, 1.0]), 0.0095, 40)
    axes = [plot.function_path(f, descend(f_prime, 0.0, 0.02, 12)),
            plot.contour_path(lambda p: p[0] ** 2 + 100 * p[1] ** 2, [path],
                              limits=(-3, 3, -1.5, 1.5))]
    for ax in axes:
        assert "*" not in {line.get_marker() for line in ax.lines}
        names = [text.get_text() for text in ax.get_legend().get_texts()]
        assert names[-2:] == ["start", "last step"]
        end = next(line for line in ax.lines if line.get_label() == "last step")
        assert end.get_marker() == plot.END_MARKER["marker"] != "s"
    end = next(line for line in axes[1].lines if line.get_label() == "last step")
    assert end.get_xdata()[0] == pytest.approx(path[-1, 0]) and path[-1, 0] < -1  # not at 0


def test_several_paths_name_start_and_last_step_once():
    paths = [descend(wells_grad, np.array(s), 0.05, 40) for s in ([-0.1, 1.6], [0.3, 1.6])]
    ax = plot.contour_path(wells, paths, labels=["left", "right"])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "left", "right", "start", "last step"]
