"""Notebook 03 checks: the reference and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from checking import assert_fails, assert_passes, own_copy

from helpers import check
from helpers.autograd import Value, topological_order
from helpers.check import value_training

ROOT = Path(__file__).resolve().parents[1]

def sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


# --- GRAPH_BACKWARD_TABLE, graph_forward_backward and graph_exercise --------------------------

TABLE = {"df_dq": -16.0, "dq_ds": -2.0, "dq_dz": 4.0, "df_ds": 32.0, "df_dz": -64.0,
         "ds_dx": 1.0, "ds_dy": 1.0, "df_dx": 32.0, "df_dy": 32.0}


@pytest.mark.parametrize("answer", [
    TABLE,
    {key: int(value) for key, value in TABLE.items()},  # whole numbers are numbers
    {**{key: np.float64(value) for key, value in TABLE.items()}, "ds_dx": np.array(1.0)},
    {**TABLE, "extra": "a note"},  # a key more does no harm
])
def test_graph_backward_table_accepts_the_numbers(answer, capsys):
    assert_passes(check.graph_backward_table, answer, capsys)


def test_the_table_point_tells_the_swap_from_a_sign_error():
    # the point of issue 23: at (1, 2, -3), s = 3 and z = -3 made the swap look like a sign
    from helpers.check.backprop import TABLE_POINT

    x, y, z = TABLE_POINT
    assert abs(x + y) != abs(z)


@pytest.mark.parametrize(
    "changes, hint, mistake",
    [
        ({"df_dq": -8.0}, "twice as large", "graph_backward_table/square-factor-2"),
        ({"df_dq": 64.0}, "the node's value, not its slope",
         "graph_backward_table/value-for-slope"),
        ({"df_dq": 16.0}, "the sign is not", "graph_backward_table/sign"),
        ({"dq_ds": 4.0, "dq_dz": -2.0}, "the value of the input you differentiate by",
         "graph_backward_table/multiply-not-swapped"),
        ({"dq_ds": 1.0}, "1 is what an add node passes on",
         "graph_backward_table/add-rule-for-multiply"),
        ({"df_ds": -64.0}, "multiplies df_dq by s", "graph_backward_table/product-not-swapped"),
        ({"df_ds": -16.0}, "that is df_dq alone", "graph_backward_table/local-factor-missing"),
        ({"df_ds": -2.0}, "the local derivative alone", "graph_backward_table/upstream-missing"),
        ({"df_dz": 32.0}, "multiplies df_dq by z", "graph_backward_table/product-not-swapped"),
        ({"ds_dx": 1.0, "ds_dy": 3.0}, "that is y's value",
         "graph_backward_table/add-local-is-input"),
        ({"df_dx": -16.0}, "also passes through the multiply node",
         "graph_backward_table/skipped-node"),
        ({"df_dy": -64.0}, "unswapped", "graph_backward_table/product-not-swapped"),
        ({"df_dx": 1.0}, "the add node's local derivative alone",
         "graph_backward_table/upstream-missing"),  # round 3: was the generic "not it"
        ({"df_dy": -2.0}, "df_dq, is missing", "graph_backward_table/upstream-missing"),
        ({"df_dx": 31.0}, "from the entries above it", "graph_backward_table/wrong-entry"),
        ({"df_dz": "-64"}, "expected a number", "table/not-a-number"),
        ({"df_dz": [-64.0]}, "expected a number", "table/not-a-number"),
        ({"df_dz": None}, "expected a number", "table/not-a-number"),
        ({"df_dz": float("nan")}, "finite", "table/not-a-number"),
    ],
)
def test_graph_backward_table_names_each_slip(changes, hint, mistake):
    assert_fails(check.graph_backward_table, {**TABLE, **changes}, hint, mistake=mistake)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ([-16.0, -2.0], "expected a dict", "table/not-a-dict"),
        ({k: v for k, v in TABLE.items() if k != "ds_dy"}, "no key 'ds_dy'",
         "table/missing-keys"),
        ({**{k: v for k, v in TABLE.items() if k != "df_dq"}, "dfdq": -16.0}, "no key 'df_dq'",
         "table/missing-keys"),
    ],
)
def test_graph_backward_table_rejects_what_is_not_a_table(answer, hint, mistake):
    assert_fails(check.graph_backward_table, answer, hint, mistake=mistake)


def graph_reference(x, y, z):
    s = x + y
    q = s * z
    f = q**2
    df_dq = 2 * q
    return f, (df_dq * z, df_dq * z, df_dq * s)


def graph_expanded(x, y, z):
    # expanding symbolically is longer, but just as right
    f = (x * z + y * z) ** 2
    return f, (2 * (x + y) * z**2, 2 * (x + y) * z**2, 2 * (x + y) ** 2 * z)


def graph_not_swapped(x, y, z):
    # the multiply node passes each input its own value instead of the other one
    s = x + y
    q = s * z
    return q**2, (2 * q * s, 2 * q * s, 2 * q * z)


def graph_sign_flipped(x, y, z):
    f, grads = graph_reference(x, y, z)
    return f, tuple(-g for g in grads)


def test_the_swap_and_a_sign_error_differ_at_the_first_point():
    # issue 23: at (1, 2, -3) both gave (-54, -54, 54); the check's first point tells them apart
    point = (0.5, 2.0, -1.5)
    assert not np.allclose(graph_not_swapped(*point)[1], graph_sign_flipped(*point)[1])


@pytest.mark.parametrize("answer", [graph_reference, graph_expanded])
def test_graph_forward_backward_accepts_correct_answers(answer, capsys):
    assert_passes(check.graph_forward_backward, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda x, y, z: (((x + y) * z) ** 2, ((x + y) * z * z,) * 2 + ((x + y) ** 2 * z,)),
         "the factor 2 of d(q²)/dq is missing", "graph_forward_backward/factor-2-missing"),
        (lambda x, y, z: (((x + y) * z) ** 2, (2 * (x + y) * z,) * 3), "df/dq alone",
         "graph_forward_backward/local-derivatives-missing"),
        (graph_not_swapped, "is not swapped", "graph_forward_backward/multiply-not-swapped"),
        (graph_sign_flipped, "the wrong sign", "graph_forward_backward/sign-flipped"),
        (lambda x, y, z: (((x + y) * z) ** 2, (2 * (x + y) * z * z,) * 3), "used z as dq/dz",
         "graph_forward_backward/dq-dz-wrong"),
        (lambda x, y, z: (((x + y) * z) ** 2, (z, z, x + y)), "only the local derivatives",
         "graph_forward_backward/outer-derivative-missing"),
        (lambda x, y, z: ((x + y) * z**2, graph_reference(x, y, z)[1]), "expected ((x + y)·z)²",
         "graph/wrong-forward"),
        (lambda x, y, z: graph_reference(x, y, z)[1], "expected a pair", "graph/not-a-pair"),
        (lambda x, y, z: (graph_reference(x, y, z)[0], graph_reference(x, y, z)[1][::-1]),
         "the order z, y, x", "graph/gradient-order"),
        (lambda x, y, z: (((x + y) * z) ** 2, (1.0, 2.0, 3.0)), "no single slip",
         "graph/wrong-gradient"),
    ],
)
def test_graph_forward_backward_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.graph_forward_backward, answer, hint, mistake=mistake)


def graph_exercise_reference(x, y, z):
    s = math.sin(x) + y
    q = s * z
    df_dq = 3 * q**2
    return q**3, (df_dq * z * math.cos(x), df_dq * z, df_dq * s)


def graph_exercise_numpy(x, y, z):
    s = np.sin(x) + y
    f = (s * z) ** 3
    return f, (3 * f / s * np.cos(x), 3 * f / s, 3 * f / z) if s and z else (f, (0, 0, 0))


@pytest.mark.parametrize("answer", [graph_exercise_reference, graph_exercise_numpy])
def test_graph_exercise_accepts_correct_answers(answer, capsys):
    assert_passes(check.graph_exercise, answer, capsys)


def _graph_exercise_with(dx_factor=lambda x: math.cos(x), power=3):
    def answer(x, y, z):
        s = math.sin(x) + y
        q = s * z
        df_dq = power * q ** (power - 1)
        return q**3, (df_dq * z * dx_factor(x), df_dq * z, df_dq * s)

    return answer


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_graph_exercise_with(lambda x: 1.0), "missing the local derivative of the node u",
         "graph_exercise/cos-missing"),
        (_graph_exercise_with(lambda x: -math.cos(x)), "came out with a minus",
         "graph_exercise/minus-cos"),
        (_graph_exercise_with(math.sin), "multiplies by sin x, the node's value",
         "graph_exercise/sin-for-cos"),
        (_graph_exercise_with(power=2), "not of a cube", "graph_exercise/cube-derivative"),
    ],
)
def test_graph_exercise_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.graph_exercise, answer, hint, mistake=mistake)


# --- derivatives of activations --------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        lambda z: sigmoid(z) * (1 - sigmoid(z)),
        lambda z: sigmoid(z) * sigmoid(-z),
        lambda z: 0.25 / np.cosh(np.clip(z, -300, 300) / 2) ** 2,
        lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))) ** 2,  # σ′ is even
        lambda z: 1 / (2 + 2 * np.cosh(np.clip(z, -700, 700))),
        lambda z: np.exp(-np.logaddexp(0, z) - np.logaddexp(0, -z)),
    ],
)
def test_sigmoid_prime_accepts_correct_formulas(answer, capsys):
    assert_passes(check.sigmoid_prime, answer, capsys)


def sigmoid_prime_through_cosh(z):
    return 0.25 / np.cosh(z / 2) ** 2  # cosh² overflows to inf at ±1000: 0.25 / inf = 0


def sigmoid_prime_naive_sigmoid(z):
    s = 1 / (1 + np.exp(-z))  # exp(1000) overflows to inf: 1 / inf = 0, the right value
    return s * (1 - s)


@pytest.mark.parametrize("answer", [sigmoid_prime_through_cosh, sigmoid_prime_naive_sigmoid])
def test_a_right_sigmoid_prime_that_warns_passes_with_a_note(answer, capsys):
    # issue 23: σ′ via cosh was told "np.exp overflowed"; its value is right
    assert_passes(check.sigmoid_prime, answer, capsys, warned="overflow")


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda z: sigmoid(z) * (1 - z), "built from z itself", "sigmoid_prime/z-in-second-factor"),
        (lambda z: z * (1 - z), "you applied it to z", "sigmoid_prime/z-for-output"),
        (sigmoid, "that is σ(z) itself", "sigmoid_prime/sigmoid-instead"),
        (lambda z: sigmoid(z) * (1 + sigmoid(z)), "the second factor has the wrong sign",
         "sigmoid_prime/plus-in-second-factor"),
        (lambda z: -sigmoid(z) * (1 - sigmoid(z)), "the sigmoid rises",
         "sigmoid_prime/sign-flipped"),
        (lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, "inf/inf", "sigmoid_prime/overflow"),
        (lambda z: 0.3 * sigmoid(z) * (1 - sigmoid(z)), "not the slopes of the sigmoid",
         "sigmoid_prime/wrong-slope"),
        (lambda z: sigmoid(z) * (1 - sigmoid(z)) + 1e-3 * (np.abs(z) > 100),
         "far from 0 your slopes are not 0", "sigmoid_prime/not-finite"),
    ],
)
def test_sigmoid_prime_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.sigmoid_prime, answer, hint, mistake=mistake)


def tanh_prime_notebook_01_tanh(z):
    return 1 - tanh(z) ** 2  # noqa: F821 - tanh exists only in notebook 01


@pytest.mark.parametrize(
    "answer",
    [lambda z: 1 - np.tanh(z) ** 2, lambda z: 1 / np.cosh(z) ** 2,
     lambda z: 4 * sigmoid(2 * z) * (1 - sigmoid(2 * z)),
     lambda z: (1 - np.tanh(z)) * (1 + np.tanh(z)),
     lambda z: 1 - (2 * sigmoid(2 * z) - 1) ** 2,
     lambda z: 4 * np.exp(-2 * np.abs(z)) / (1 + np.exp(-2 * np.abs(z))) ** 2],
)
def test_tanh_prime_accepts_correct_formulas(answer, capsys):
    assert_passes(check.tanh_prime, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda z: 1 - z**2, "you applied it to z", "tanh_prime/z-for-output"),
        (tanh_prime_notebook_01_tanh, "use numpy's np.tanh", "error/name-from-another-notebook"),
        (lambda z: 1 - np.tanh(z), "is not squared", "tanh_prime/not-squared"),
        (lambda z: np.tanh(z) ** 2 - 1, "sign is flipped", "tanh_prime/sign-flipped"),
        (lambda z: 1 - np.tanh(z**2), "inside the tanh", "tanh_prime/z-squared"),
        (lambda z: 4 * sigmoid(z) * (1 - sigmoid(z)), "lost the 2 inside σ",
         "tanh_prime/sigmoid-form-missing-2"),
        (lambda z: 2 * (1 - np.tanh(z) ** 2), "not the slopes of tanh", "tanh_prime/wrong-slope"),
    ],
)
def test_tanh_prime_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.tanh_prime, answer, hint, mistake=mistake)


def _central(f, h):
    return lambda z: (f(z + h) - f(z - h)) / (2 * h)


def _forward(f, h):
    return lambda z: (f(z + h) - f(z)) / h


def _four_point(f, h):
    return lambda z: (8 * (f(z + h) - f(z - h)) - (f(z + 2 * h) - f(z - 2 * h))) / (12 * h)


def _relu(z):
    return np.maximum(z, 0)


@pytest.mark.parametrize("h", [1e-3, 1e-4, 1e-5, 6e-6, 1e-6, 1e-7, 2.0**-20])
@pytest.mark.parametrize("difference", [_central, _forward, _four_point])
@pytest.mark.parametrize(
    "name, activation",
    [("sigmoid_prime", sigmoid), ("tanh_prime", np.tanh), ("relu_prime", _relu)],
)
def test_a_finite_difference_is_not_the_derivative(name, activation, difference, h):
    # round 3: a central difference of the given activation passed, skipping the derivation
    assert_fails(getattr(check, name), difference(activation, h), "finite difference",
                 mistake=f"{name}/finite-difference")


def _relu_prime_with_if(z):
    if z > 0:  # a scalar's slope, asked of a whole array
        return 1.0
    return 0.0


@pytest.mark.parametrize(
    "answer",
    [lambda z: (z > 0).astype(float), lambda z: np.where(z >= 0, 1.0, 0.0),
     lambda z: np.heaviside(z, 0.5) > 0.25, lambda z: z > 0, lambda z: z >= 0,
     lambda z: np.heaviside(z, 0.5), lambda z: np.where(z == 0, 0.3, z > 0)],
)
def test_relu_prime_accepts_either_slope_at_zero(answer, capsys):
    assert_passes(check.relu_prime, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda z: np.maximum(z, 0), "that is ReLU itself", "relu_prime/relu-instead"),
        (lambda z: (z < 0).astype(float), "other way round", "relu_prime/inverted"),
        (np.sign, "np.sign gives −1", "relu_prime/np-sign"),
        (np.ones_like, "where ReLU is flat", "relu_prime/nonzero-below-zero"),
        (lambda z: 2.0 * (z > 0), "not the slopes of ReLU", "relu_prime/wrong-slope"),
        (lambda z: np.heaviside(z, 2.0), "any slope between its two sides, 0 and 1",
         "relu_prime/value-at-zero"),
        (lambda z: np.heaviside(z, -1.0), "lies outside [0, 1]", "relu_prime/value-at-zero"),
        (lambda z: 1 if z > 0 else 0, "an `if` (or `and`, `or`, `max`) on z",
         "relu_prime/if-on-array"),
        (_relu_prime_with_if, "a whole array here", "relu_prime/if-on-array"),
        (lambda z: float(z > 0 and z < np.inf), "for each entry of z on its own",
         "relu_prime/if-on-array"),
    ],
)
def test_relu_prime_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.relu_prime, answer, hint, mistake=mistake)


def test_an_if_on_an_array_is_named_without_the_tools_that_fix_it():
    # issue 22, round 2: the general hint for this error lists `z >= 0` and np.where
    hint = str(assert_fails(check.relu_prime, _relu_prime_with_if).hint)
    assert not any(tool in hint for tool in ("np.where", ">=", "np.maximum", "astype"))


# --- the worked example ----------------------------------------------------------------------


def chain_forward_reference(x, w1, b1, w2, b2):
    z1 = w1 * x + b1
    a1 = sigmoid(z1)
    z2 = w2 * a1 + b2
    return {"x": x, "z1": z1, "a1": a1, "z2": z2, "a2": sigmoid(z2)}


def test_chain_forward_reproduces_the_curriculum_numbers():
    cache = chain_forward_reference(0.05, 0.1, -0.1, 0.3, 0.3)
    assert cache["z1"] == pytest.approx(-0.095)
    assert round(float(cache["a1"]), 3) == 0.476
    assert round(float(cache["z2"]), 3) == 0.443
    assert round(float(cache["a2"]), 3) == 0.609
    dw2 = chain_backward_reference(cache, 0.01, 0.3)["dw2"]
    assert round(float(dw2), 4) == 0.0679


def test_chain_forward_accepts_the_reference(capsys):
    assert_passes(check.chain_forward, chain_forward_reference, capsys)


def _chain_forward_with(**changes):
    def answer(x, w1, b1, w2, b2):
        cache = chain_forward_reference(x, w1, b1, w2, b2)
        for key, f in changes.items():
            cache[key] = f(cache, x, w1, b1, w2, b2)
        return cache

    return answer


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_chain_forward_with(z2=lambda c, x, w1, b1, w2, b2: w2 * c["z1"] + b2), "takes z1",
         "chain_forward/z1-for-a1"),
        (_chain_forward_with(z1=lambda c, x, w1, b1, w2, b2: w1 * x), "no bias b1",
         "chain_forward/b1-missing"),
        (_chain_forward_with(a1=lambda c, *_: c["z1"]), "your a1 equals z1",
         "chain_forward/a1-no-sigmoid"),
        (_chain_forward_with(z2=lambda c, x, w1, b1, w2, b2: w2 * c["a1"]), "no bias b2",
         "chain_forward/b2-missing"),
        (_chain_forward_with(a2=lambda c, *_: c["z2"]), "your a2 equals z2",
         "chain_forward/a2-no-sigmoid"),
        (_chain_forward_with(z2=lambda c, x, w1, b1, w2, b2: w1 * c["a1"] + b2),
         "your z2 is the first value that differs", "chain_forward/wrong-value"),
        (lambda x, w1, b1, w2, b2: tuple(chain_forward_reference(x, w1, b1, w2, b2).values()),
         "expected a dict", "chain/return-dict"),
        (lambda *args: {k: v for k, v in chain_forward_reference(*args).items() if k != "x"},
         "no key 'x'", "chain/missing-keys"),
    ],
)
def test_chain_forward_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.chain_forward, answer, hint, mistake=mistake)


def chain_backward_reference(cache, y, w2):
    dz2 = (cache["a2"] - y) * cache["a2"] * (1 - cache["a2"])
    dz1 = dz2 * w2 * cache["a1"] * (1 - cache["a1"])
    return {"dw2": dz2 * cache["a1"], "db2": dz2, "dw1": dz1 * cache["x"], "db1": dz1}


def chain_backward_recomputing(cache, y, w2):
    # recomputing σ′ from z instead of reusing the cached activations is right too
    def sigmoid_prime(z):
        return sigmoid(z) * (1 - sigmoid(z))

    dz2 = -(y - cache["a2"]) * sigmoid_prime(cache["z2"])
    dz1 = dz2 * w2 * sigmoid_prime(cache["z1"])
    return {"dw1": cache["x"] * dz1, "db1": dz1, "dw2": cache["a1"] * dz2, "db2": dz2}


@pytest.mark.parametrize("answer", [chain_backward_reference, chain_backward_recomputing])
def test_chain_backward_accepts_correct_answers(answer, capsys):
    assert_passes(check.chain_backward, answer, capsys)


def _chain_backward_with(sigma_of_a=False, forget_a1=False, sign=1.0, forget_w2=False,
                         forget_x=False, bias_times_input=False, slope1=True, scale1=1.0,
                         inputs_swapped=(False, False)):
    def answer(cache, y, w2):
        x, a1, a2 = cache["x"], cache["a1"], cache["a2"]
        s2 = sigmoid(a2) * (1 - sigmoid(a2)) if sigma_of_a else a2 * (1 - a2)
        dz2 = sign * (a2 - y) * s2
        dz1 = scale1 * dz2 * (1 if forget_w2 else w2) * (a1 * (1 - a1) if slope1 else 1)
        input2 = x if inputs_swapped[1] else a1  # what w2 multiplies
        input1 = a1 if inputs_swapped[0] else x  # what w1 multiplies
        return {"dw2": dz2 if forget_a1 else dz2 * input2,
                "db2": dz2 * a1 if bias_times_input else dz2,
                "dw1": dz1 if forget_x else dz1 * input1, "db1": dz1}

    return answer


def chain_backward_z2_by_name(cache, y, w2):
    # issue 23: the old stub unpacked only x, a1, a2; z2 lives in the cache
    x, a1, a2 = cache["x"], cache["a1"], cache["a2"]
    dz2 = (a2 - y) * sigmoid(z2) * (1 - sigmoid(z2))  # noqa: F821 - the student's slip
    return {"dw2": dz2 * a1, "db2": dz2, "dw1": x, "db1": 0.0}


def _chain_backward_writing_into_cache(cache, y, w2):
    cache.update(chain_backward_reference(cache, y, w2))
    return cache


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_chain_backward_with(forget_a1=True), "the input of w2", "chain_backward/dw2-a1-missing"),
        # issue 22, round 2: dw2 = dz2 * x got only "dw2 is the first gradient that differs"
        (_chain_backward_with(inputs_swapped=(False, True)), "your dw2 uses x, the network's "
         "input", "chain_backward/dw2-uses-x"),
        (_chain_backward_with(inputs_swapped=(True, False)), "your dw1 uses a1, the output of "
         "layer 1", "chain_backward/dw1-uses-a1"),
        (_chain_backward_with(sigma_of_a=True), "as if σ were applied twice",
         "chain_backward/dz2-sigmoid-twice-2"),
        (_chain_backward_with(sign=-1.0), "the wrong sign", "chain_backward/da2-sign"),
        (_chain_backward_with(forget_w2=True), "with respect to a1 is missing",
         "chain_backward/da1-w2-missing"),
        (_chain_backward_with(forget_x=True), "the input of w1 is missing",
         "chain_backward/dw1-x-missing"),
        (_chain_backward_with(bias_times_input=True), "as if b2 were a weight",
         "chain_backward/db2-times-a1"),
        (_chain_backward_with(slope1=False), "its slope is missing from ∂L/∂z1",
         "chain_backward/dz1-slope-missing"),
        (_chain_backward_with(scale1=3.0), "your dw1 is the first gradient that differs",
         "chain_backward/wrong-gradient"),
        (_chain_backward_writing_into_cache, "changed the cache", "chain_backward/cache-changed"),
        (chain_backward_z2_by_name, "a key of the cache dict", "chain_backward/name-in-cache"),
        (lambda cache, y, w2: [1.0, 2.0, 3.0, 4.0], "expected a dict", "chain/return-dict"),
    ],
)
def test_chain_backward_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.chain_backward, answer, hint, mistake=mistake)


# --- Value -----------------------------------------------------------------------------------


# the correct alternatives are written out, as a student writes them: subclassing the
# package's Value would borrow its methods (general/borrowed-reference)
OwnValue = own_copy(Value)


class RecursiveValue(OwnValue):
    """A correct alternative: recursive topological sort, no reset of earlier gradients."""

    def backward(self):
        order, seen = [], set()

        def visit(v):
            if v not in seen:
                seen.add(v)
                for child in v._children:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad


# the notebook's Value: backward() only adds (helpers.autograd.Value resets the grads first,
# which the notebook's specification does not allow: ResettingValue below)
NotebookValue = own_copy(value_training._Value)


class AssigningValue(Value):
    """Wrong: `=` instead of `+=`, so a Value used twice keeps only its last gradient."""

    def backward(self):
        self.grad = 1.0
        for v in reversed(topological_order(self)):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad = local * v.grad


class ForwardOrderValue(Value):
    """Wrong: walks the topological order inputs-first instead of reversed."""

    def backward(self):
        self.grad = 1.0
        for v in topological_order(self):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad


class BreadthFirstValue(Value):
    """Wrong: breadth-first from the output, so a shared node may pass on a partial grad."""

    def backward(self):
        self.grad = 1.0
        queue, seen = [self], {id(self)}
        while queue:
            v = queue.pop(0)
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad
                if id(child) not in seen:
                    seen.add(id(child))
                    queue.append(child)


class NoSeedValue(Value):
    """Wrong: forgets that d(output)/d(output) = 1."""

    def backward(self):
        for v in reversed(topological_order(self)):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad


class SwappedMulValue(Value):
    def __mul__(self, other):
        other = self._wrap(other)
        return type(self)(self.data * other.data, (self, other), (self.data, other.data), "*")


class TanhOfInputValue(Value):
    def tanh(self):
        return type(self)(math.tanh(self.data), (self,), (1 - self.data**2,), "tanh")


class StubValue(Value):
    def __mul__(self, other):
        raise NotImplementedError("exercise: value")


class SeedAddedValue(OwnValue):
    """Right too: the output's own grad gets 1 added, not set; it starts at 0 either way."""

    def backward(self):
        self.grad += 1.0
        for v in reversed(topological_order(self)):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad


@pytest.mark.parametrize("answer", [NotebookValue, RecursiveValue, SeedAddedValue])
def test_value_accepts_correct_classes(answer, capsys):
    assert_passes(check.value, answer, capsys)


def test_the_backward_docstring_says_what_happens_to_the_outputs_grad_and_the_others():
    # issue 22, round 2: "It only adds: a .grad that held a number before keeps it", while
    # the worked answer sets the output's grad to 1; a literal reader wondered which to write
    import json
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "notebooks" / "03_backpropagation.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    value = next("".join(c["source"]) for c in cells
                 if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "value")
    doc = " ".join(value.split("def backward(self):")[1].split('"""')[1].split())
    assert "The output's own gradient, self.grad, becomes d(self)/d(self)" in doc
    assert "Every other Value's .grad is only added to" in doc and "It only adds" not in doc


class MulAsAddValue(Value):
    def __mul__(self, other):
        other = self._wrap(other)
        return type(self)(self.data * other.data, (self, other), (1.0, 1.0), "*")


class TanhItselfValue(Value):
    def tanh(self):
        t = math.tanh(self.data)
        return type(self)(t, (self,), (t,), "tanh")


class TanhNotSquaredValue(Value):
    def tanh(self):
        t = math.tanh(self.data)
        return type(self)(t, (self,), (1 - t,), "tanh")


def _order_without_visited_set(root) -> list:
    """A depth-first order with no visited set: a shared node is listed once per path."""
    order = []

    def visit(v):
        for child in v._children:
            visit(child)
        order.append(v)

    visit(root)
    return order


def _pass_in(order, root) -> None:
    root.grad = 1.0
    for v in reversed(order):
        for child, local in zip(v._children, v._local_grads, strict=True):
            child.grad += local * v.grad


class NoVisitedSetValue(Value):
    """Wrong: a depth-first order without a visited set lists a shared node twice, and it
    passes its gradient on twice."""

    def backward(self):
        _pass_in(_order_without_visited_set(self), self)


class ChildrenFirstValue(Value):
    """Wrong: each node pushes its gradient as soon as it is reached from the output, depth
    first (no order at all): a shared node passes on a partial gradient."""

    def backward(self):
        self.grad = 1.0

        def push(v):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad
                push(child)

        push(self)


class EveryPathValue(Value):
    """Wrong: pushes each contribution down every path, recursively, with no order. The
    numbers are right (the sum over paths), the work exponential in depth."""

    def backward(self, g=1.0):
        self.grad += g
        for child, local in zip(self._children, self._local_grads, strict=True):
            child.backward(g * local)


class NoVisitedDedupedValue(Value):
    """Wrong: a depth-first order without a visited set, made unique afterwards: right
    numbers, but the sort itself walks every path."""

    def backward(self):
        _pass_in(list(dict.fromkeys(_order_without_visited_set(self))), self)


class ResettingValue(Value):
    """Wrong for this notebook: the package's backward(), which sets every gradient of the
    graph to 0 before the pass, so a leaf's earlier gradient is lost (section 8's loop
    without zeroing relies on backward() only adding)."""


class DictAccumulatingValue(OwnValue):
    """A correct alternative: gradients gathered in a dict, each written once at the end."""

    def backward(self):
        order = topological_order(self)
        grads = {id(self): 1.0}
        for v in reversed(order):
            for child, local in zip(v._children, v._local_grads, strict=True):
                grads[id(child)] = grads.get(id(child), 0.0) + local * grads.get(id(v), 0.0)
        for v in order:
            v.grad += grads.get(id(v), 0.0)


def test_value_accepts_a_dict_of_gradients(capsys):
    assert_passes(check.value, DictAccumulatingValue, capsys)


def test_every_path_value_gets_the_right_numbers():
    # the mistake this catches is the work, not the value: both classes agree
    for cls in (EveryPathValue, NoVisitedDedupedValue):
        a = cls(0.5)
        v = a
        for _ in range(6):
            v = v + v
        v.backward()
        assert a.grad == 64.0


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (EveryPathValue, "2^19 = 524288 paths", "value/every-path"),
        (NoVisitedDedupedValue, "follows each path separately", "value/every-path"),
        (ResettingValue, "only adds to .grad", "value/backward-resets-grads"),
        (AssigningValue, "the second edge overwrote what the first had brought",
         "value/gradient-not-accumulated"),
        (ForwardOrderValue, "each node once, after everything that uses it",
         "value/topological-order"),
        (BreadthFirstValue, "before every node that uses it had added its share",
         "value/topological-order"),
        (NoVisitedSetValue, "or passed it on more than once", "value/topological-order"),
        (ChildrenFirstValue, "each node once, after everything that uses it",
         "value/topological-order"),
        (NoSeedValue, "nothing reached the leaves", "value/no-seed-gradient"),
        (SwappedMulValue, "each input got its own value", "value/mul-swapped"),
        (MulAsAddValue, "the add gate's", "value/mul-as-add"),
        (TanhOfInputValue, "uses the input x where", "value/tanh-x-for-output"),
        (TanhItselfValue, "the forward value, not its slope", "value/tanh-instead"),
        (TanhNotSquaredValue, "compare it with your tanh_prime", "value/tanh-not-squared"),
        (StubValue, "not written yet", "not-written-yet"),
        (Value(1.0), "pass the class itself", "general/instance-not-class"),
    ],
)
def test_value_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.value, answer, hint, mistake=mistake)


# --- the derivation steps and predictions of section 5 ----------------------------------------


@pytest.mark.parametrize("answer", [-3.0, -3, np.float64(-3.0), -3.0004])
def test_dc_da_accepts_the_local_derivative(answer, capsys):
    assert_passes(check.dc_da, answer, capsys)


@pytest.mark.parametrize(
    "answer, fragment, mistake",
    [
        (2.0, "2 is a itself", "dc_da/own-value"),
        (-6.0, "−6 is c, the product", "dc_da/product"),
        (1.0, "the local derivative of a sum", "dc_da/add-gate"),
        (3.0, "wrong sign", "dc_da/sign"),
        (-2.0, "divide the change of c by the change of a", "dc_da/wrong-value"),
        ("b", "expected a number", "dc_da/not-a-number"),
        (True, "expected a number", "dc_da/not-a-number"),
    ],
)
def test_dc_da_names_each_wrong_answer(answer, fragment, mistake):
    failure = assert_fails(check.dc_da, answer, fragment, mistake=mistake)
    assert "∂c/∂a = " not in failure.plain and "DC_DA = -3" not in failure.plain


@pytest.mark.parametrize("answer", [2, 2.0, np.int64(2)])
def test_a_plus_a_grad_accepts_two(answer, capsys):
    assert_passes(check.a_plus_a_grad, answer, capsys)


@pytest.mark.parametrize(
    "answer, fragment, mistake",
    [
        (1.0, "1 counts one edge", "a_plus_a_grad/one-edge"),
        (6.0, "6 is b's value", "a_plus_a_grad/data"),
        (3.0, "3 is a's value", "a_plus_a_grad/data"),
        (0.0, "backward() fills the grad", "a_plus_a_grad/zero"),
        (4.0, "how fast does b change", "a_plus_a_grad/wrong-value"),
        ("2", "expected a number", "a_plus_a_grad/not-a-number"),
    ],
)
def test_a_plus_a_grad_names_each_wrong_prediction(answer, fragment, mistake):
    assert_fails(check.a_plus_a_grad, answer, fragment, mistake=mistake)


def test_the_predicted_a_grad_is_what_backward_gives():
    # the run below the prediction: the number the check accepts is the one it prints
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    check.a_plus_a_grad(a.grad)


@pytest.mark.parametrize("answer", ["w2", " W2 ", "w 2"])
def test_zero_gradient_weight_accepts_w2(answer, capsys):
    assert_passes(check.zero_gradient_weight, answer, capsys)


@pytest.mark.parametrize(
    "answer, fragment, mistake",
    [
        ("w1", "does not care about the sign", "zero_gradient_weight/negative-weight"),
        ("b", "add gate, which passes", "zero_gradient_weight/bias-no-input"),
        ("none", "one multiply gate has an input that is 0",
         "zero_gradient_weight/every-weight-learns"),
        ("x2", "one of the strings", "zero_gradient_weight/not-a-choice"),
        (2, "one of the strings", "zero_gradient_weight/not-a-choice"),
    ],
)
def test_zero_gradient_weight_names_each_misconception(answer, fragment, mistake):
    assert_fails(check.zero_gradient_weight, answer, fragment, mistake=mistake)


def test_the_run_after_the_prediction_shows_w2_alone_at_zero():
    x1, x2 = Value(2.0), Value(0.0)
    w1, w2, b = Value(-3.0), Value(1.0), Value(6.88)
    out = (w1 * x1 + w2 * x2 + b).tanh()
    out.backward()
    grads = {"w1": w1.grad, "w2": w2.grad, "b": b.grad}
    assert [name for name, g in grads.items() if g == 0] == ["w2"]
    assert min(abs(grads["w1"]), abs(grads["b"])) > 0.4  # "tanh' at 0.88, about 0.5"
    check.zero_gradient_weight("w2")


# --- train_neuron ----------------------------------------------------------------------------


def train_neuron_reference(X, y, lr, epochs, rng, *, loss_after=False, grad_scale=2.0,
                           sigmoid_slope=True, mean=True, sign=1.0, lr_missing=False,
                           db_mean=False, dw_mean=False):
    w, b = rng.normal(0, 0.1, size=X.shape[1]), 0.0
    losses = []
    for _ in range(epochs):
        a = sigmoid(X @ w + b)
        if not loss_after:
            losses.append(np.mean((a - y) ** 2))
        dz = grad_scale * (a - y) * (a * (1 - a) if sigmoid_slope else 1)
        dz = dz / len(y) if mean else dz
        step = 1.0 if lr_missing else lr
        dw = (X * dz[:, None]).mean(axis=0) if dw_mean else X.T @ dz  # mean: 1/N twice
        db = dz.mean() if db_mean else dz.sum()
        w, b = w - sign * step * dw, b - sign * step * db
        if loss_after:
            losses.append(np.mean((sigmoid(X @ w + b) - y) ** 2))
    return w, b, losses


def train_neuron_own_generator(X, y, lr, epochs, rng):
    return train_neuron_reference(X, y, lr, epochs, np.random.default_rng(99))


def train_neuron_zeros(X, y, lr, epochs, rng):
    """Ignores rng and starts from zeros (w = 0 trains a single neuron, but it is not the
    docstring's start, and a seed then means nothing)."""
    return train_neuron_reference(X, y, lr, epochs, _ZeroDraws())


class _ZeroDraws:
    def normal(self, loc, scale, size):
        return np.zeros(size)


def train_neuron_scaled_standard_normal(X, y, lr, epochs, rng):
    class Scaled:
        def normal(self, loc, scale, size):
            return 0.1 * rng.standard_normal(size)

    return train_neuron_reference(X, y, lr, epochs, Scaled())


def train_neuron_global_random(X, y, lr, epochs, rng):
    return train_neuron_reference(X, y, lr, epochs, np.random.default_rng())


def train_neuron_in_place(X, y, lr, epochs, rng):
    """Updates in place and records the loss from the forward pass it then uses: right."""
    w, b = rng.normal(0, 0.1, size=X.shape[1]), 0.0
    losses = np.zeros(epochs)
    for epoch in range(epochs):
        a = sigmoid(X @ w + b)
        losses[epoch] = ((a - y) ** 2).sum() / len(y)
        dz = 2 / len(y) * (a - y) * sigmoid(X @ w + b) * (1 - sigmoid(X @ w + b))
        w -= lr * dz @ X
        b -= lr * np.sum(dz)
    return w, float(b), list(losses)


def train_neuron_loss_after_update(X, y, lr, epochs, rng):
    # issue 23: the docstring says losses[i] is the loss at the START of epoch i
    return train_neuron_reference(X, y, lr, epochs, rng, loss_after=True)


def train_neuron_summed_loss(X, y, lr, epochs, rng):
    w, b, losses = train_neuron_reference(X, y, lr, epochs, rng)
    return w, b, [loss * len(y) for loss in losses]


@pytest.mark.parametrize(
    "answer",
    [train_neuron_reference, train_neuron_scaled_standard_normal, train_neuron_in_place],
)
def test_train_neuron_accepts_correct_versions(answer, capsys):
    assert_passes(check.train_neuron, answer, capsys)


def _train_with(**mistake):
    return lambda X, y, lr, epochs, rng: train_neuron_reference(X, y, lr, epochs, rng, **mistake)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_train_with(sign=-1.0), "your step goes uphill", "train_neuron/climbs"),
        (_train_with(grad_scale=1.0), "half the gradient-descent step",
         "train_neuron/factor-2-missing"),
        (_train_with(mean=False), "N = 30 times too large", "train_neuron/n-missing"),
        (_train_with(sigmoid_slope=False), "skips the sigmoid between z and a",
         "train_neuron/slope-missing"),
        (_train_with(lr_missing=True), "the learning rate is missing", "train_neuron/lr-missing"),
        (_train_with(grad_scale=3.0), "no single slip", "train_neuron/wrong-weights"),
        # round 3: db = dz.mean() on a dz that already carries 1/N got the generic hint
        (_train_with(db_mean=True), "moves w by the right amount, but not b",
         "train_neuron/bias-step-wrong"),
        (_train_with(dw_mean=True), "moves b by the right amount, but not w",
         "train_neuron/weight-step-wrong"),
        (train_neuron_global_random, "the `rng` argument", "train_neuron/rng-ignored"),
        (train_neuron_own_generator, "a generator other than the `rng` argument",
         "train_neuron/wrong-start"),
        (train_neuron_zeros, "you start from w = 0", "train_neuron/starts-from-zeros"),
        (train_neuron_loss_after_update, "the loss after that epoch's update",
         "train_neuron/loss-after-update"),
        (train_neuron_summed_loss, "a sum over the samples", "train_neuron/loss-not-mean"),
        (lambda X, y, lr, epochs, rng: (lambda w, b, losses: (w, np.array([b]), losses))(
            *train_neuron_reference(X, y, lr, epochs, rng)), "Return the number itself",
             "shape/number-expected"),
        (lambda X, y, lr, epochs, rng: train_neuron_reference(X, y, lr, epochs, rng)[:2],
         "expected a tuple (w, b, losses)", "train_neuron/not-a-triple"),
    ],
)
def test_train_neuron_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.train_neuron, answer, hint, mistake=mistake)


# --- PREDICT_CHAIN_DEPTH and PREDICT_LR100 ---------------------------------------------------


def test_the_depth_prediction_is_the_depth_of_the_notebooks_run():
    from helpers.check.backprop import sigmoid_stack_depth
    from helpers.experiments import backprop

    sizes = backprop.gradient_sizes_by_depth(sigmoid, lambda z: sigmoid(z) * (1 - sigmoid(z)),
                                             random_weights=False)
    assert sigmoid_stack_depth() == int(np.argmax(sizes < 1e-6)) + 1 == 10
    assert 0.25**9 > 1e-6 > 0.25**10  # the bound alone gives the same depth


def test_the_depth_question_says_which_inputs_and_which_typical_value_the_check_uses():
    # teacher review: the question named neither a0 nor the "typical" value; the check takes
    # the median over 2000 stacks with a0 from N(0, 1)
    nb = json.loads((ROOT / "notebooks" / "03_backpropagation.ipynb").read_text("utf-8"))
    cells = ["".join(c["source"]) for c in nb["cells"]]
    ask = next(i for i, text in enumerate(cells) if text.startswith("# PREDICT_CHAIN_DEPTH:"))
    question = re.sub(r"\s+", " ", cells[ask - 1])
    assert "2000 stacks" in question and "$a_0$ drawn from $N(0, 1)$" in question
    assert "**median** of $|\\partial a_L/\\partial a_0|$ over the 2000" in question


@pytest.mark.parametrize("answer", [10, 10.0, np.int64(10)])
def test_predict_chain_depth_accepts_the_depth(answer, capsys):
    assert_passes(check.predict_chain_depth, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (8, "between 0 and 1, where the slope is never below 0.19",
         "predict_chain_depth/too-shallow"),
        # issue 22, round 2: 11 was told its factor per layer is above the largest slope,
        # wrong for a student who used 0.25 and counted one layer too many (or a0 as a layer)
        (9, "one layer off", "predict_chain_depth/off-by-one"),
        (11, "the input a0 is not a layer", "predict_chain_depth/off-by-one"),
        (12, "larger than the sigmoid's largest slope", "predict_chain_depth/factor-too-large"),
        (3, "too few layers", "predict_chain_depth/too-shallow"),
        (20, "0.5, say, is σ(0)", "predict_chain_depth/factor-too-large"),
        (14, "larger than the sigmoid's largest slope", "predict_chain_depth/factor-too-large"),
        (100, "not a slow drift", "predict_chain_depth/vanishing-is-slow"),
        (0, "from 1 up", "predict_chain_depth/not-a-whole-number"),
        (9.5, "a whole number", "predict_chain_depth/not-a-whole-number"),
        ("10", "a whole number", "predict_chain_depth/not-a-whole-number"),
        (True, "a whole number", "predict_chain_depth/not-a-whole-number"),
    ],
)
def test_predict_chain_depth_names_each_misconception(answer, hint, mistake):
    assert_fails(check.predict_chain_depth, answer, hint, mistake=mistake)


def test_the_lr100_answer_is_what_the_run_does():
    from helpers import data
    from helpers.experiments import backprop

    runs = backprop.learning_rate_runs(lrs=(10.0, 100.0))
    fast = backprop.describe_curve(runs[100.0])
    assert round(fast["start"], 3) == 0.243  # the start every option quotes
    # C: above 0.243 after the first epoch; never above 1 (nor inf or nan)
    assert fast["after_first"] > fast["start"]  # not A, not D
    assert np.all(np.isfinite(runs[100.0])) and np.all(runs[100.0] <= 1)  # not B, not D
    # the hints' reasoning: lr = 10's first step lowers the loss, 0.243 -> 0.221, and its
    # curve goes on falling; lr = 100's first step saturates the sigmoid, wrong for many
    slow = runs[10.0]
    assert round(slow[1], 3) == 0.221 and np.all(np.diff(slow) < 0)
    X, y = data.movie_ratings(100, rng=0)
    w, b, _ = backprop.train_neuron(X / 10, y, lr=100.0, epochs=1, rng=np.random.default_rng(1))
    a = 1 / (1 + np.exp(-(X / 10 @ w + b)))
    assert np.all((a < 0.05) | (a > 0.95)) and np.mean(np.abs(a - y) > 0.9) >= 0.3


def test_the_lr100_options_are_the_four_answers_to_two_questions():
    # teacher review: the options described whole curves a student cannot derive; now each
    # answers the two questions the notebook asks (the first epoch, and the ceiling of 1)
    from helpers.check.backprop import LR100_OPTIONS

    firsts = {text.split(";")[0] for text in LR100_OPTIONS.values()}
    ceilings = {text.split(";")[1].strip() for text in LR100_OPTIONS.values()}
    assert firsts == {"below 0.243 after the first epoch", "above 0.243 after the first epoch"}
    assert ceilings == {"never above 1", "later above 1, or inf or nan"}
    assert len({tuple(text.split(";")) for text in LR100_OPTIONS.values()}) == 4


def test_the_notebook_lists_the_checks_options():
    from helpers.check.backprop import LR100_OPTIONS

    nb = json.loads((ROOT / "notebooks" / "03_backpropagation.ipynb").read_text("utf-8"))
    text = re.sub(r"\s+", " ", " ".join("".join(c["source"]) for c in nb["cells"]))
    for letter, option in LR100_OPTIONS.items():
        assert f"**{letter}.** {option[0].upper()}{option[1:]}." in text, letter


@pytest.mark.parametrize("answer", ["C", "c", " C "])
def test_predict_lr100_accepts_c(answer, capsys):
    assert_passes(check.predict_lr100, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ("A", "a larger step is not always faster", "predict_lr100/larger-is-faster"),
        ("B", "never exceeds 1", "predict_lr100/loss-explodes"),
        ("d", "overshoots rather than gains", "predict_lr100/gain-then-explodes"),
        ("E", "the letter of one option", "predict_lr100/not-an-option"),
        (3, "the letter of one option", "predict_lr100/not-an-option"),
        ("C or D", "the letter of one option", "predict_lr100/not-an-option"),
    ],
)
def test_predict_lr100_names_each_misconception(answer, hint, mistake):
    assert_fails(check.predict_lr100, answer, hint, mistake=mistake)


# --- CHAIN_DELTAS -----------------------------------------------------------------------------

DELTAS = {"dL_da2": 0.599, "dL_dz2": 0.1426, "dL_dw2": 0.0679, "dL_db2": 0.1426,
          "dL_da1": 0.04279, "dL_dz1": 0.01067, "dL_dw1": 0.000534, "dL_db1": 0.01067}


def _exact_deltas():
    c = chain_forward_reference(0.05, 0.1, -0.1, 0.3, 0.3)
    g = chain_backward_reference(c, 0.01, 0.3)
    dz2 = g["db2"]
    return {"dL_da2": c["a2"] - 0.01, "dL_dz2": dz2, "dL_dw2": g["dw2"], "dL_db2": dz2,
            "dL_da1": dz2 * 0.3, "dL_dz1": g["db1"], "dL_dw1": g["dw1"], "dL_db1": g["db1"]}


@pytest.mark.parametrize("answer", [DELTAS, "exact"])
def test_chain_deltas_accepts_rounded_and_exact_numbers(answer, capsys):
    assert_passes(check.chain_deltas, _exact_deltas() if answer == "exact" else answer, capsys)


def test_chain_deltas_agree_with_the_curriculum_numbers():
    exact = _exact_deltas()
    assert round(float(exact["dL_dw2"]), 4) == 0.0679
    assert all(exact[k] == pytest.approx(v, rel=0.01) for k, v in DELTAS.items())


@pytest.mark.parametrize(
    "changes, hint, mistake",
    [
        ({"dL_da2": -0.599}, "the sign is flipped", "chain_deltas/da2-sign"),
        ({"dL_da2": 1.198}, "the ½ in L", "chain_deltas/half-forgotten"),
        ({"dL_da2": 0.1794}, "the loss itself", "chain_deltas/loss-for-gradient"),
        ({"dL_dz2": 0.599}, "a slope of its own", "chain_deltas/slope-missing"),
        ({"dL_dz2": 0.599 * 0.6477 * 0.3523}, "σ were applied twice", "chain_deltas/sigmoid-twice"),
        ({"dL_dz2": 0.599 * 0.609}, "not a2, its output", "chain_deltas/slope-is-output"),
        ({"dL_dw2": 0.1426}, "∂z2/∂w2 is missing", "chain_deltas/input-missing"),
        ({"dL_dw2": 0.1426 * 0.3}, "multiplied by w2 itself", "chain_deltas/weight-for-input"),
        ({"dL_db2": 0.0679}, "b2 is added in z2", "chain_deltas/bias-times-input"),
        ({"dL_da1": 0.0679}, "hands a1 the other factor", "chain_deltas/swap"),
        ({"dL_da1": 0.1426}, "∂z2/∂a1 is missing", "chain_deltas/local-factor-missing"),
        ({"dL_dz1": 0.04279}, "a slope of its own", "chain_deltas/slope-missing"),
        ({"dL_dz1": 0.1426 * 0.4763 * 0.5237}, "skips the node z2", "chain_deltas/da1-w2-missing"),
        ({"dL_dw1": 0.01067}, "∂z1/∂w1 is missing", "chain_deltas/input-missing"),
        ({"dL_db1": 0.000534}, "b1 is added in z1", "chain_deltas/bias-times-input"),
        ({"dL_db1": 0.02}, "which node lies between them", "chain_deltas/wrong-entry"),
        ({"dL_dw1": "5.34e-4"}, "expected a number", "table/not-a-number"),
    ],
)
def test_chain_deltas_names_each_slip(changes, hint, mistake):
    assert_fails(check.chain_deltas, {**DELTAS, **changes}, hint, mistake=mistake)


# --- relative_error ---------------------------------------------------------------------------


def relative_error_reference(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)))


def relative_error_with_epsilon(a, b):
    # round 3: passed, yet (1e-9, -1e-9) gives 0.17, not 1: the epsilon swamps tiny gradients
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-8)))


def relative_error_where_guard(a, b):
    # the guard applies only where both are 0
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.abs(a) + np.abs(b)
    return float(np.max(np.where(scale == 0, 0.0, np.abs(a - b) / np.where(scale == 0, 1.0,
                                                                              scale))))


def relative_error_tiny_floor(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-300)))


def relative_error_guarded(a, b):
    a, b = np.atleast_1d(np.asarray(a, dtype=float)), np.atleast_1d(np.asarray(b, dtype=float))
    scale = np.abs(a) + np.abs(b)
    errors = np.zeros_like(scale)
    errors[scale > 0] = np.abs(a - b)[scale > 0] / scale[scale > 0]
    return errors.max()


def relative_error_package(a, b):
    from helpers.gradcheck import relative_error

    return relative_error(a, b)


def relative_error_nan_to_num(a, b):
    # 0/0 warns and gives nan, which nan_to_num turns into the right 0: passes with a note
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.nan_to_num(np.abs(a - b) / (np.abs(a) + np.abs(b)))))


def relative_error_difference_in_scale(a, b):
    # meets all six properties: 2|a−b| ≤ |a| + |b| + |a−b|, and ≈ 2|a−b|/(|a|+|b|) when close
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    d = np.abs(a - b)
    return float(np.max(2 * d / np.maximum(np.abs(a) + np.abs(b) + d, 1e-12)))


def relative_error_python_floats(a, b):
    # a student who loops over entries with plain Python numbers
    pairs = zip(np.ravel(a), np.ravel(b), strict=True)
    return max((abs(x - y) / (abs(x) + abs(y)) if x or y else 0.0) for x, y in pairs)


@pytest.mark.parametrize("answer", [relative_error_reference, relative_error_where_guard,
                                    relative_error_tiny_floor, relative_error_guarded,
                                    relative_error_difference_in_scale,
                                    relative_error_python_floats])
def test_relative_error_accepts_the_definition(answer, capsys):
    assert_passes(check.relative_error, answer, capsys)


def test_a_relative_error_that_imports_the_packages_in_its_body_borrows_it():
    """The guard reads imports in the function's own body too (it once took them for the
    student's own names)."""
    source = ("def relative_error(a, b):\n    from helpers.gradcheck import relative_error\n\n"
              "    return relative_error(a, b)\n")
    assert_fails(check.relative_error, relative_error_package,
                 "uses the package's gradcheck.relative_error",
                 mistake="general/borrowed-reference", cell=(source, ()))


def test_a_relative_error_that_warns_on_0_by_0_but_returns_0_passes_with_a_note(capsys):
    assert_passes(check.relative_error, relative_error_nan_to_num, capsys, warned="invalid value")


def test_the_check_agrees_with_the_package_definition():
    from helpers.check.backprop import _reference_relative_error
    from helpers.gradcheck import relative_error

    rng = np.random.default_rng(0)
    for _ in range(20):
        a, b = rng.normal(size=5), rng.normal(size=5)
        assert _reference_relative_error(a, b) == relative_error(a, b)
    assert _reference_relative_error(0.0, 0.0) == relative_error(np.zeros(1), np.zeros(1)) == 0


def _elementwise(f):
    def answer(a, b):
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        return float(np.max(f(a, b)))

    return answer


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_elementwise(lambda a, b: np.abs(a - b)), "not scale-free",
         "relative_error/not-scale-free"),
        (_elementwise(lambda a, b: np.abs(a - b) / np.abs(a)), "swapping a and b changes",
         "relative_error/not-symmetric"),
        (_elementwise(lambda a, b: np.abs(a - b) / np.maximum(np.abs(a), np.abs(b))),
         "above the limit of 1", "relative_error/above-one"),
        (_elementwise(lambda a, b: np.abs(a - b) / (np.abs(a) + np.abs(b))),
         "divides 0 by 0", "relative_error/zero-by-zero"),
        (_elementwise(lambda a, b: np.abs(a - b) / (np.abs(a) + np.abs(b)) / 2),
         "half the one the text asks for", "relative_error/halved"),
        (lambda a, b: float(np.linalg.norm(np.subtract(a, b)) / max(
            np.linalg.norm(a) + np.linalg.norm(b), 1e-12)),
         "as whole vectors", "relative_error/whole-vector"),
        (lambda a, b: float(np.max(np.abs(np.subtract(a, b))) / max(
            np.max(np.abs(a) + np.abs(b)), 1e-12)),
         "belong to different entries", "relative_error/max-over-max"),
        (lambda a, b: float(np.mean(np.abs(np.subtract(a, b)) / np.maximum(
            np.abs(a) + np.abs(b), 1e-12))),
         "you average", "relative_error/mean-not-worst"),
        (lambda a, b: np.abs(np.subtract(a, b)) / np.maximum(np.abs(a) + np.abs(b), 1e-12),
         "expected one number", "relative_error/not-one-number"),
        (_elementwise(lambda a, b: np.abs(a - b) / (np.abs(a) + np.abs(b) + 1.0)),
         "not scale-free", "relative_error/not-scale-free"),
        (relative_error_with_epsilon, "not next to gradients of size 1e-9",
         "relative_error/epsilon-swamps-small"),
        (_elementwise(lambda a, b: np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)),
         "a floor under it", "relative_error/epsilon-swamps-small"),
        (_elementwise(lambda a, b: np.abs(a - b) / (np.abs(a) + np.abs(b) + 1e-10)),
         "1e9 times that size", "relative_error/epsilon-swamps-small"),
        # meets properties 1 to 5, but shrinks with the square of a small difference
        (_elementwise(lambda a, b: (np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12))
                      ** 2), "square the ratio", "relative_error/not-proportional"),
        (_elementwise(lambda a, b: np.sqrt(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b),
                                                                      1e-12))),
         "10 times smaller", "relative_error/not-proportional"),
        (_elementwise(lambda a, b: (a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)),
         "changes sign when a and b swap", "relative_error/signed"),
        (_elementwise(lambda a, b: np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-12)
                      + 1e-3), "for a = b your error is not 0", "relative_error/equal-not-zero"),
        # symmetric, scale-free, 0 for equal, below 1, but never 1: a scale too large
        (_elementwise(lambda a, b: np.abs(a - b) / np.maximum(
            np.abs(a) + np.abs(b) + np.minimum(np.abs(a), np.abs(b)), 1e-12)),
         "opposite signs, where the text asks for exactly 1",
         "relative_error/not-one-at-opposite"),
    ],
)
def test_relative_error_names_the_property_it_breaks(answer, hint, mistake):
    assert_fails(check.relative_error, answer, hint, mistake=mistake)


def test_the_above_one_message_fires_only_where_the_value_is_above_one():
    # on same-sign numbers 2|a−b|/(|a|+|b|+|a−b|) equals |a−b|/max(|a|,|b|): it must pass,
    # and the larger-scale slip must be named with the value it really gave
    assert_passes(check.relative_error, relative_error_difference_in_scale)
    err = assert_fails(check.relative_error, _elementwise(
        lambda a, b: np.abs(a - b) / np.maximum(np.abs(a), np.abs(b))),
        "your error is 1.4", mistake="relative_error/above-one")
    assert "a = -2, b = 5" in str(err)


# --- choose_learning_rate ---------------------------------------------------------------------


def _chooser(train=train_neuron_reference, on_training=False, shared_rng=False, pick=np.argmin,
             index=False, accuracy=False, last_recorded=False):
    def choose_learning_rate(X_train, y_train, X_val, y_val, lrs, epochs, seed):
        rng = np.random.default_rng(seed)
        scores = []
        for lr in lrs:
            w, b, losses = train(X_train, y_train, lr, epochs,
                                 rng if shared_rng else np.random.default_rng(seed))
            X, y = (X_train, y_train) if on_training else (X_val, y_val)
            if last_recorded:
                scores.append(losses[-1])
            elif accuracy:
                scores.append(np.mean((X @ w + b > 0) == y))
            else:
                scores.append(np.mean((sigmoid(X @ w + b) - y) ** 2))
        best = int(pick(scores))
        return (best if index else lrs[best]), scores

    return choose_learning_rate


@pytest.mark.parametrize("answer", [_chooser(), _chooser(train=train_neuron_in_place)])
def test_choose_learning_rate_accepts_the_experiment(answer, capsys):
    assert_passes(check.choose_learning_rate, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_chooser(on_training=True), "training losses", "choose_learning_rate/scored-on-training"),
        (_chooser(last_recorded=True), "the last training losses",
         "choose_learning_rate/scored-on-training"),
        (_chooser(shared_rng=True), "share one generator", "choose_learning_rate/shared-rng"),
        (_chooser(accuracy=True), "accuracies", "choose_learning_rate/accuracy-not-loss"),
        (_chooser(pick=np.argmax), "largest validation loss", "choose_learning_rate/picked-worst"),
        (_chooser(index=True), "a position in lrs", "choose_learning_rate/index-not-lr"),
        (_chooser(train=_train_with(mean=False)), "check.train_neuron passed",
         "choose_learning_rate/wrong-losses"),
        (lambda *args: _chooser()(*args)[0], "expected a pair", "choose_learning_rate/not-a-pair"),
    ],
)
def test_choose_learning_rate_names_each_mistake(answer, hint, mistake):
    assert_fails(check.choose_learning_rate, answer, hint, mistake=mistake)


# --- issue 23: no failure message and no hint tier below the last completes its exercise -------

MINE = ("graph_backward_table", "graph_forward_backward", "graph_exercise", "sigmoid_prime",
        "tanh_prime", "relu_prime", "predict_chain_depth", "chain_forward", "chain_deltas",
        "chain_backward", "relative_error", "train_neuron", "predict_lr100",
        "choose_learning_rate")
# the forms of each answer (whitespace removed) that no message or lower tier may write
COMPLETIONS = {
    "graph_forward_backward": ["df_dq*z", "df_dq*s", "2*q*z", "2q·z", "dq/ds=z", "2(x+y)z²"],
    "graph_backward_table": ["-16", "32", "-64", "dq/ds=z"],
    "graph_exercise": ["df_ds*math.cos", "3*q**2*z", "3q²·z"],
    "sigmoid_prime": ["σ(z)(1−σ(z))", "σ(z)·(1−σ(z))", "s*(1-s)", "1-σ(z).)", "a(1−a)"],
    "tanh_prime": ["1−tanh(z)²", "1-np.tanh(z)**2", "1−tanh²", "4σ(2z)(1−σ(2z))", "1/cosh²"],
    "relu_prime": ["(z>0)", "z>=0", "astype(float)", "np.heaviside"],
    "chain_backward": ["a2(1−a2)", "a2*(1-a2)", "dz2*w2", "∂L/∂z2·w2", "a2−y"],
    "chain_deltas": ["a2(1−a2)", "0.1426", "0.0679", "a2−y"],
    "train_neuron": ["X.T@dz", "2(a−y)·a(1−a)", "2*(a-y)", "w-=lr", "np.mean((a-y)**2)",
                     ],
    "relative_error": ["|a|+|b|", "np.abs(a)+np.abs(b)", "|a−b|/("],
    "choose_learning_rate": ["np.argmin", "default_rng(seed)"],
    "predict_chain_depth": ["=10", "depth10"],
    "predict_lr100": ['"C"', "C."],
}


def _squash(text):
    return "".join(str(text).split())


def _message_texts():
    """Every literal text a check of this notebook puts into a hint or a message."""
    import ast
    import inspect

    from helpers.check import backprop

    texts = []
    for node in ast.walk(ast.parse(inspect.getsource(backprop))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            texts.append(node.value)
    return texts


@pytest.mark.parametrize("exercise", sorted(COMPLETIONS))
def test_no_message_and_no_lower_hint_tier_writes_the_answer(exercise):
    from helpers.check import _hints

    _hints._load()
    lower = [_squash(t) for t in _hints.HINTS[exercise][:-1]]
    for form in COMPLETIONS[exercise]:
        assert not any(_squash(form) in t for t in lower), (exercise, form)
    # messages are shared across exercises: scan the formulas that complete code exercises
    if exercise in ("graph_forward_backward", "graph_exercise", "sigmoid_prime", "tanh_prime",
                    "relu_prime", "chain_backward", "train_neuron", "relative_error"):
        texts = [_squash(t) for t in _message_texts()]
        for form in COMPLETIONS[exercise]:
            leaked = [t for t in texts if _squash(form) in t]
            assert not leaked, (exercise, form, leaked)


@pytest.mark.parametrize("exercise", sorted(COMPLETIONS))
def test_no_short_name_in_the_summary_table_writes_the_answer(exercise):
    """check.summary() shows a failed exercise's mistake by its short name."""
    from helpers.check.mistakes import MISTAKES

    names = [_squash(v) for k, v in MISTAKES.items() if k.startswith(f"{exercise}/")]
    leaked = [f for f in COMPLETIONS[exercise] if any(_squash(f) in name for name in names)]
    assert not leaked, (exercise, leaked)


def test_every_exercise_of_mine_is_scanned():
    from helpers.check import REGISTRY

    assert set(MINE) <= set(REGISTRY)
    assert set(MINE) - {"chain_forward"} == set(COMPLETIONS)  # chain_forward: a warm-up


# --- DZ_ONE_SAMPLE and DW_TWO_SAMPLES: train_neuron's derivation, checked step by step -------


def _one_sample():
    from helpers.check.backprop import DZ_EXAMPLE

    z = 0.6 * 2.0 + 0.3 * -1.0 + 0.1
    a = 1 / (1 + np.exp(-z))
    assert DZ_EXAMPLE == {"x": (0.6, 0.3), "w": (2.0, -1.0), "b": 0.1, "y": 1.0}  # the text's
    return a, a - 1.0, a * (1 - a)


@pytest.mark.parametrize("answer", [-0.1058, -0.106, "exact", np.float64(-0.10575)])
def test_dz_one_sample_accepts_the_value_rounded_or_exact(answer, capsys):
    a, miss, slope = _one_sample()
    assert_passes(check.dz_one_sample, 2 * miss * slope if answer == "exact" else answer, capsys)


@pytest.mark.parametrize(
    "wrong, hint, mistake",
    [
        (lambda a, m, s: m * s, "had a ½ in front", "dz_one_sample/half-forgotten"),
        (lambda a, m, s: -2 * m * s, "the sign is flipped", "dz_one_sample/sign"),
        (lambda a, m, s: 2 * m, "through the sigmoid is missing", "dz_one_sample/slope-missing"),
        (lambda a, m, s: 2 * m * a, "not a, its output", "dz_one_sample/slope-is-output"),
        (lambda a, m, s: m**2, "the loss itself", "dz_one_sample/loss-for-gradient"),
        (lambda a, m, s: 2 * m * s * 0.6, "one step too far", "dz_one_sample/dw-not-dz"),
        (lambda a, m, s: 2 * m * s * 0.3, "one step too far", "dz_one_sample/dw-not-dz"),
        (lambda a, m, s: 0.25, "multiply the two local derivatives",
         "dz_one_sample/wrong-value"),
        (lambda a, m, s: "-0.13", "expected a number", "dz_one_sample/not-a-number"),
    ],
)
def test_dz_one_sample_names_each_slip(wrong, hint, mistake):
    assert_fails(check.dz_one_sample, wrong(*_one_sample()), hint, mistake=mistake)


def _two_samples():
    X = np.array([[0.6, 0.3], [1.0, -0.5]])
    y = np.array([1.0, 0.0])
    a = 1 / (1 + np.exp(-(X @ np.array([2.0, -1.0]) + 0.1)))
    dz = 2 * (a - y) * a * (1 - a) / 2
    return X, dz


def test_dw_two_samples_agrees_with_a_finite_difference_of_the_loss():
    from helpers.check.backprop import dw_two_samples_answer

    X, y = np.array([[0.6, 0.3], [1.0, -0.5]]), np.array([1.0, 0.0])

    def loss(w):
        return np.mean((1 / (1 + np.exp(-(X @ w + 0.1))) - y) ** 2)

    w, h = np.array([2.0, -1.0]), 1e-6
    numeric = [(loss(w + h * e) - loss(w - h * e)) / (2 * h) for e in np.eye(2)]
    assert np.allclose(dw_two_samples_answer(), numeric, rtol=1e-6)
    assert np.allclose(dw_two_samples_answer(), [0.02818, -0.04582], atol=5e-6)


@pytest.mark.parametrize("answer", [[0.02818, -0.04582], (0.0282, -0.0458), "exact"])
def test_dw_two_samples_accepts_a_list_a_tuple_or_an_array(answer, capsys):
    X, dz = _two_samples()
    assert_passes(check.dw_two_samples, X.T @ dz if answer == "exact" else answer, capsys)


@pytest.mark.parametrize(
    "wrong, hint, mistake",
    [
        (lambda X, dz: X.T @ dz * 2, "N = 2 times too big", "dw_two_samples/no-mean"),
        (lambda X, dz: X.T @ dz / 2, "no ½ in front", "dw_two_samples/half-forgotten"),
        (lambda X, dz: -(X.T @ dz), "signs are flipped", "dw_two_samples/sign"),
        (lambda X, dz: X @ dz, "the wrong inputs", "dw_two_samples/transposed"),
        (lambda X, dz: X[0] * dz[0], "only the first sample", "dw_two_samples/one-sample"),
        (lambda X, dz: X[0] * dz[0] * 2, "first sample's gradient alone",
         "dw_two_samples/one-sample"),
        (lambda X, dz: list(X.T @ dz) + [dz.sum()], "expected two numbers",
         "dw_two_samples/not-two-numbers"),
        (lambda X, dz: float((X.T @ dz)[0]), "expected two numbers",
         "dw_two_samples/not-two-numbers"),
        (lambda X, dz: [0.1, 0.1], "add the two samples' shares", "dw_two_samples/wrong-value"),
    ],
)
def test_dw_two_samples_names_each_slip(wrong, hint, mistake):
    assert_fails(check.dw_two_samples, wrong(*_two_samples()), hint, mistake=mistake)
