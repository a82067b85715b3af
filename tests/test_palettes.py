"""The workbook's colours, as every student sees them: palette colours stay 10 CIEDE2000
apart in normal vision and under protanopia, deuteranopia and tritanopia (Machado et al.
2009, severity 1); marks contrast 3:1 and text 4.5:1 (WCAG 2.1 AA)."""

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plot
from helpers.colour_vision import (
    VISIONS,
    _delta_e,
    ciede2000,
    closest_pair,
    contrast_ratio,
    readable_on,
    simulate,
)
from helpers.figure_style import distinguish_series
from helpers.graph_drawing import EDGE_LABEL_COLOR

MIN_DISTANCE = 10.0
PALETTES = {"CLASS_COLORS": plot.CLASS_COLORS, "LINE_COLORS": plot.LINE_COLORS,
            "REGION_COLORS": plot.REGION_COLORS}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.mark.parametrize(("lab1", "lab2", "expected"), [  # Sharma, Wu and Dalal (2005)
    ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
    ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
    ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_ciede2000_matches_the_published_test_data(lab1, lab2, expected):
    assert _delta_e(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_colour_vision_simulation_merges_red_and_green_but_not_blue_and_yellow():
    # a protanope or deuteranope confuses red and green; a tritanope blue and green
    for vision in ("protanopia", "deuteranopia"):
        assert ciede2000("#d62728", "#2ca02c", vision) < 0.5 * ciede2000("#d62728", "#2ca02c")
    assert ciede2000("#1f77b4", "#2ca02c", "tritanopia") < 0.6 * ciede2000("#1f77b4", "#2ca02c")
    assert np.allclose(simulate("#808080", "deuteranopia"), simulate("#808080", "normal"),
                       atol=0.01)  # greys stay grey


def test_the_old_palettes_fail_where_the_review_measured_them():
    # the check can fail: the palettes before issue 26, with the reviewer's numbers
    old_class = ("#e66101", "#5e3c99", "#1b9e77", "#d95f02", "#7570b3")
    old_line = ("#e66101", "#5e3c99", "#1b9e77", "#0072b2", "#cc79a7")
    assert closest_pair(old_class, "normal")[0] == pytest.approx(2.6, abs=0.05)
    assert closest_pair(old_class, "protanopia")[0] == pytest.approx(1.9, abs=0.05)
    assert closest_pair(old_line, "deuteranopia")[0] == pytest.approx(8.7, abs=0.05)


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", PALETTES)
def test_palette_colours_stay_apart(name, vision):
    distance, a, b = closest_pair(PALETTES[name], vision)
    assert distance >= MIN_DISTANCE, (
        f"{name}: {a} and {b} are {distance:.1f} CIEDE2000 apart under {vision}")


@pytest.mark.parametrize("colour", sorted({*plot.CLASS_COLORS, *plot.LINE_COLORS}))
def test_marks_contrast_3_to_1_with_white(colour):
    assert contrast_ratio(colour, "white") >= 3.0


def test_class_markers_have_a_dark_edge_on_every_region_fill():
    for fill in (*plot.REGION_COLORS, "white"):
        assert contrast_ratio(plot.EDGE_COLOR, fill) >= 3.0, fill


def test_classes_differ_by_marker_shape_too():
    X = np.random.default_rng(0).normal(size=(30, 2))
    y = np.arange(30) % 3
    ax = plot.scatter_classes(X, y)
    shapes = {tuple(map(tuple, c.get_paths()[0].vertices.round(3))) for c in ax.collections}
    assert len(shapes) == 3


def test_decision_regions_draw_their_boundary_as_a_line():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    ax = plot.decision_regions(lambda p: (p[:, 0] > 0.5).astype(int), X, np.array([0, 1, 0, 1]))
    lines = [c for c in ax.collections if hasattr(c, "levels") and not c.filled]
    assert lines and all(np.allclose(c.get_edgecolor()[0][:3], 0) for c in lines)


def test_series_of_one_axes_never_differ_by_colour_alone():
    axes = [plot.loss_curves({"sgd": (np.arange(5), np.arange(5, 0, -1.0)),
                              "adam": (np.arange(5), np.arange(6, 1, -1.0))}),
            plot.early_stopping([3, 2, 1.0], [3, 2.5, 2.6], 2),
            plot.timings([10, 100], {"loop": [1, 10], "numpy": [0.1, 0.2]})]
    _, own = plt.subplots()  # a notebook's own cell: colours only, restyled when shown
    own.plot([0, 1, 2], [0, 1, 2], color="C0", label="a")
    own.plot([0, 1, 2], [2, 1, 0], color="C1", label="b")
    own.legend()
    distinguish_series(own.figure)
    for ax in [*axes, own]:
        looks = [(str(line.get_linestyle()), str(line.get_marker())) for line in ax.get_lines()
                 if not line.get_label().startswith("_") and len(line.get_xdata()) > 2]
        assert len(set(looks)) == len(looks), looks
    legend_styles = [h.get_linestyle() for h in own.get_legend().legend_handles]
    assert legend_styles[0] != legend_styles[1]


def test_network_drawing_dashes_negative_weights():
    model = type("M", (), {"layers": [type("L", (), {"W": np.array([[1.0, -1.0]])})()]})()
    for collection in (False, True):
        ax = plot.network_diagram(model, collection=collection)
        if collection:
            styles = ax.collections[0].get_linestyles()
            assert styles[0][1] is None and styles[1][1] is not None  # solid, then dashed
        else:
            assert [line.get_linestyle() for line in ax.get_lines()] == ["-", "--"]


def test_graph_edge_labels_and_confusion_numbers_are_readable_text():
    assert contrast_ratio(EDGE_LABEL_COLOR, "white") >= 4.5
    y_true = np.repeat(np.arange(3), 40)
    y_pred = y_true.copy()
    y_pred[:25] = 1  # a dark cell
    y_pred[40:42] = 2  # a light one
    ax = plot.confusion_matrix(y_true, y_pred)
    image = ax.get_images()[0]
    for text in ax.texts:
        j, i = (int(round(v)) for v in text.get_position())
        cell = image.to_rgba(image.get_array()[i, j])[:3] if i != j else (0.85,) * 3
        assert contrast_ratio(text.get_color(), cell) >= 4.5, (i, j, text.get_text())
    assert readable_on("#3f007d") == "white" and readable_on("#fcfbfd") == "black"


def test_every_pair_of_class_colours_is_held_not_just_the_closest():
    pairs = list(itertools.combinations(plot.CLASS_COLORS, 2))
    assert all(ciede2000(a, b, v) >= MIN_DISTANCE for a, b in pairs for v in VISIONS)
