"""The reference Value, its graph drawing, and the other notebook-03 helpers
(gradient_report, gradient_vs_depth, neuron_training)."""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import plot
from helpers.autograd import Value, draw_graph, topological_order
from helpers.gradcheck import gradient_report


def numeric_gradients(f, point, h=1e-6):
    grads = []
    for i in range(len(point)):
        up, down = list(point), list(point)
        up[i] += h
        down[i] -= h
        grads.append((f(*map(Value, up)).data - f(*map(Value, down)).data) / (2 * h))
    return np.array(grads)


def leaf_gradients(f, point):
    leaves = [Value(v) for v in point]
    f(*leaves).backward()
    return np.array([leaf.grad for leaf in leaves])


EXPRESSIONS = [
    (lambda x, y, z: ((x + y) * z) ** 2, (1.0, 2.0, -3.0)),
    (lambda x, y: (x * y).tanh() - y / x, (0.7, -1.2)),
    (lambda a: a + a, (3.0,)),
    (lambda a: a * a * a, (-1.5,)),
    (lambda x, w: 2 - (-x * w + 1.5).tanh() * 3 + x.sin() ** 3, (0.4, 0.9)),
    (lambda x, y: 1 / (x * x + y) - (x - 2) * (y + 1), (1.3, 0.8)),
]


@pytest.mark.parametrize("f, point", EXPRESSIONS)
def test_value_gradients_match_finite_differences(f, point):
    np.testing.assert_allclose(leaf_gradients(f, point), numeric_gradients(f, point),
                               rtol=1e-5, atol=1e-8)


def test_the_graph_of_the_notebook_has_the_hand_computed_gradients():
    x, y, z = Value(1.0), Value(2.0), Value(-3.0)
    f = ((x + y) * z) ** 2
    f.backward()
    assert f.data == 81.0
    assert (x.grad, y.grad, z.grad) == (54.0, 54.0, -54.0)


def test_backward_twice_gives_the_same_gradients():
    a = Value(3.0)
    b = a * a + a
    b.backward()
    b.backward()
    assert a.grad == 7.0


def test_a_deep_chain_does_not_hit_the_recursion_limit():
    x = Value(0.5)
    out = x
    for _ in range(5000):
        out = out * 1.0
    out.backward()
    assert x.grad == 1.0
    assert len(topological_order(out)) == 10001  # x, 5000 constants and 5000 products


def test_operations_keep_a_subclass():
    class Traced(Value):
        pass

    out = (Traced(2.0) * 3 + 1).tanh() ** 2 - 1
    assert all(isinstance(node, Traced) for node in topological_order(out))


def test_exponent_must_be_a_constant():
    with pytest.raises(TypeError, match="constant exponent"):
        Value(2.0) ** Value(3.0)


def test_topological_order_puts_children_first_and_each_node_once():
    a = Value(1.0)
    b = a + a
    c = b * a
    order = topological_order(c)
    assert len(order) == 3 and order[-1] is c
    position = {id(v): i for i, v in enumerate(order)}
    for node in order:
        assert all(position[id(child)] < position[id(node)] for child in node._children)


# --- draw_graph -------------------------------------------------------------------------------


def test_draw_graph_shows_values_gradients_and_local_derivatives():
    x, y, z = Value(1.0, label="x"), Value(2.0, label="y"), Value(-3.0, label="z")
    f = ((x + y) * z) ** 2
    f.label = "f"
    f.backward()
    ax = draw_graph(f)
    texts = [t.get_text() for t in ax.texts if t.get_text()]  # arrows are empty annotations
    assert any(t.startswith("f") and "value 81" in t and "grad 1" in t for t in texts)
    assert any(t.startswith("x") and "grad 54" in t for t in texts)
    assert any(t.startswith("z") and "grad -54" in t for t in texts)
    edge_labels = sorted(t for t in texts if "\n" not in t)
    assert edge_labels == sorted(["1", "1", "3", "-3", "-18"])
    # the output sits to the right of every input
    boxes = {t.get_text().split("\n")[0]: t.get_position() for t in ax.texts
             if "\n" in t.get_text()}
    assert all(boxes["f  (**2)"][0] > boxes[name][0] for name in ("x", "y", "z"))
    plt.close(ax.figure)


def test_draw_graph_bends_two_edges_between_the_same_nodes():
    a = Value(3.0, label="a")
    b = a + a
    b.backward()
    ax = draw_graph(b, title="b = a + a")
    arrows = [child for child in ax.get_children()
              if type(child).__name__ == "Annotation" and child.arrow_patch is not None]
    styles = {arrow.arrow_patch.get_connectionstyle().rad for arrow in arrows}
    assert len(arrows) == 2 and len(styles) == 2
    assert ax.get_title() == "b = a + a"
    plt.close(ax.figure)


def test_draw_graph_draws_a_changed_graph_differently():
    x = Value(0.5, label="x")
    small = x.tanh()
    small.backward()
    big = (x * 2).tanh() + x
    big.backward()
    ax_small, ax_big = draw_graph(small), draw_graph(big)
    assert len(ax_big.texts) > len(ax_small.texts)
    plt.close("all")


# --- gradient_report --------------------------------------------------------------------------


def test_gradient_report_says_ok_for_right_and_wrong_for_wrong_gradients():
    params = {"w": np.array([0.5, -1.0]), "b": np.array(0.2)}

    def loss():
        return float(np.tanh(params["w"] @ np.array([1.0, 2.0]) + params["b"]) ** 2)

    t = np.tanh(params["w"] @ np.array([1.0, 2.0]) + params["b"])
    dz = 2 * t * (1 - t**2)
    report = gradient_report(loss, params, {"w": dz * np.array([1.0, 2.0]), "b": dz})
    assert report.ok and set(report.errors) == {"dw", "db"}
    report = gradient_report(loss, params, {"w": dz * np.array([2.0, 1.0]), "b": dz})
    assert not report.ok and report.worst()[0] == "dw"
    assert "wrong" in str(report)
    np.testing.assert_array_equal(params["w"], [0.5, -1.0])  # parameters restored


def test_gradient_report_names_a_missing_gradient():
    params = {"w": np.array(1.0)}
    with pytest.raises(KeyError, match="no analytic gradient for w"):
        gradient_report(lambda: float(params["w"]) ** 2, params, {})


# --- the notebook's figures ---------------------------------------------------------------------


def test_gradient_vs_depth_draws_one_line_per_activation_and_the_bound():
    depths = np.arange(1, 11)
    ax = plot.gradient_vs_depth(depths, {"sigmoid": 0.2**depths, "tanh": 0.6**depths},
                                bound=("0.25^depth", 0.25**depths))
    assert [line.get_label() for line in ax.lines] == ["sigmoid", "tanh", "0.25^depth"]
    assert ax.get_yscale() == "log"
    plt.close(ax.figure)


def test_neuron_training_draws_one_line_per_snapshot_and_the_loss():
    X = np.array([[1.0, 2.0], [3.0, 1.0], [8.0, 9.0], [9.0, 7.0]])
    y = np.array([0, 0, 1, 1])
    snapshots = [(1, np.array([0.1, 0.1]), -0.5), (10, np.array([0.5, 0.4]), -5.0)]
    left, right = plot.neuron_training(X, y, snapshots, np.linspace(0.25, 0.05, 20))
    assert [line.get_label() for line in left.lines] == ["epoch 1", "epoch 10"]
    assert len(right.lines[0].get_xdata()) == 20
    np.testing.assert_allclose(right.lines[1].get_xdata(), [1, 10])
    plt.close(left.figure)


def test_math_sin_node_has_cos_as_local_derivative():
    x = Value(0.3)
    s = x.sin()
    assert s._local_grads == (pytest.approx(math.cos(0.3)),)


# --- issue 16 -----------------------------------------------------------------------------


def test_powers_at_the_edges_give_what_ieee_and_pytorch_give():
    cases = [  # base, exponent, value, gradient (PyTorch 2.13 gives the same)
        (0.0, 0.5, 0.0, math.inf),  # sqrt at 0: used to raise ZeroDivisionError
        (-8.0, 1 / 3, math.nan, math.nan),  # a root of a negative number: used to be complex
        (0.0, -1.0, math.inf, -math.inf),  # 1 / 0
        (0.0, 0.0, 1.0, 0.0),
        (-2.0, 3.0, -8.0, 12.0),
        (4.0, 0.5, 2.0, 0.25),
    ]
    for base, n, value, grad in cases:
        x = Value(base)
        y = x**n
        y.backward()
        for got, want in ((y.data, value), (x.grad, grad)):
            assert (math.isnan(got) and math.isnan(want)) or got == want, (base, n, got, want)
    x = Value(0.0)
    (1 / x).backward()  # division goes through ** -1
    assert x.grad == -math.inf


def test_the_engine_imports_without_matplotlib():
    import subprocess
    import sys

    code = ("import sys; from helpers.autograd import Value; "
            "print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    from helpers import autograd, graph_drawing

    assert autograd.draw_graph is graph_drawing.draw_graph  # notebook 03's import still works


def test_relu_node_has_the_slope_of_its_side_as_local_derivative():
    for x, slope in ((2.0, 1.0), (-1.5, 0.0), (0.0, 0.0)):
        v = Value(x)
        out = v.relu()
        out.backward()
        assert (out.data, v.grad) == (max(0.0, x), slope)


def _notebook_network():
    """The solution notebook's Value (with value_relu), Neuron, Layer and MLP."""
    import json
    import math
    from pathlib import Path

    import numpy as np

    nb = json.loads((Path(__file__).resolve().parents[1] / "solutions" /
                     "03_backpropagation.ipynb").read_text(encoding="utf-8"))
    namespace = {"__name__": "__main__", "math": math, "np": np}
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in ("value", "value_relu", "neuron_value") or cell.get("id") == "b8e1c008":
            exec("".join(cell["source"]), namespace)
    return namespace


def test_03_your_network_learns_the_two_moons():
    """The claims of notebook 03's last run: 40 moons points, 2-8-1, 40 epochs; the loss
    falls, the accuracy ends high, and the boundary is not a line."""
    import numpy as np

    from helpers import data
    from helpers.experiments import backprop

    ns = _notebook_network()
    X, y = data.moons(40, noise=0.1, rng=0)
    model = ns["MLP"]([2, 8, 1], np.random.default_rng(0))
    run = backprop.train_value_mlp(model, X, y, lr=0.5, epochs=40)
    assert len(model.parameters()) == 33
    assert run["losses"][-1] < run["losses"][0] / 5
    accuracy = np.mean((backprop.value_scores(model, X) > 0) == y)
    assert accuracy >= 0.95 and run["accuracies"][0] < 0.7
    # "the boundary bends": the best line through the same points does worse than the network
    # (least squares on ±1 targets, a linear neuron's boundary)
    A = np.column_stack([X, np.ones(len(X))])
    w = np.linalg.lstsq(A, 2.0 * y - 1, rcond=None)[0]
    assert np.mean((A @ w > 0) == y) < accuracy
