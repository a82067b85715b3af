"""check.train_value_neuron (notebook 03, section 8): the training loop on the student's Value."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from checking import assert_fails, assert_passes

from helpers import check
from helpers.autograd import Value as ReferenceValue
from helpers.experiments import backprop

ROOT = Path(__file__).resolve().parents[1]


def _notebook_value(without: str | None = None):
    """The Value class of the solution notebook 03 (its backward only ever adds); with
    ``without``, the same class with that given method deleted."""
    nb = json.loads((ROOT / "solutions" / "03_backpropagation.ipynb").read_text("utf-8"))
    source = next("".join(c["source"]) for c in nb["cells"]
                  if c["metadata"].get("nbgrader", {}).get("grade_id") == "value")
    namespace = {"math": math, "np": np}
    exec(source, namespace)
    if without is not None:
        delattr(namespace["Value"], without)
    return namespace["Value"]


NotebookValue = _notebook_value()


def make_loop(Value, *, zero=True, sign=1.0, mean=True, record_after=False, ignore_flag=False,
              return_values=False, target_first=False):
    """A train_value_neuron, right by default; the keywords make the classic mistakes."""

    def train_value_neuron(X, y, lr, epochs, zero_grad=True):
        w, b = [Value(0.0) for _ in range(X.shape[1])], Value(0.0)
        losses = []
        for _ in range(epochs):
            outs = [(sum((wi * xi for wi, xi in zip(w, x, strict=True)), b)).tanh()
                    for x in X.tolist()]
            total = sum(((t - out) if target_first else (out - t)) ** 2
                        for out, t in zip(outs, y.tolist(), strict=True))
            loss = total * (1 / len(y)) if mean else total
            if zero and (zero_grad or ignore_flag):
                for p in [*w, b]:
                    p.grad = 0.0
            loss.backward()
            if not record_after:
                losses.append(loss.data)
            for p in [*w, b]:
                p.data -= sign * lr * p.grad
            if record_after:
                losses.append(sum((((sum((wi * xi for wi, xi in zip(w, x, strict=True)), b))
                                    .tanh() - t) ** 2 for x, t in zip(X.tolist(), y.tolist(),
                                                                       strict=True))).data
                              / len(y))
        if return_values:
            return w, b, losses
        return [wi.data for wi in w], b.data, losses

    return train_value_neuron


def test_the_notebooks_loop_passes(capsys):
    assert_passes(check.train_value_neuron, make_loop(NotebookValue), capsys)


def test_a_value_whose_backward_zeroes_the_graph_is_named_by_the_flag_hint():
    # the package's reference Value resets every grad in backward(): nothing can accumulate,
    # so the forgot-to-zero lesson cannot show; the hint names that cause next to the flag
    assert_fails(check.train_value_neuron, make_loop(ReferenceValue),
                 "sets the gradients to 0 itself",
                 mistake="train_value_neuron/zero-grad-flag-ignored")


def test_a_loop_in_another_form_passes():
    def train_value_neuron(X, y, lr, epochs, zero_grad=True):
        params = [NotebookValue(0.0) for _ in range(X.shape[1] + 1)]  # w..., then b
        losses = []
        for _ in range(epochs):
            loss = 0
            for x, t in zip(X, y, strict=True):
                z = params[-1]
                for p, xi in zip(params[:-1], x, strict=True):
                    z = z + p * float(xi)
                err = z.tanh() + (-float(t))
                loss = loss + err * err * (1.0 / len(y))
            if zero_grad:
                for p in params:
                    p.grad = 0
            loss.backward()
            losses.append(loss.data)
            for p in params:
                p.data = p.data - lr * p.grad
        return np.array([p.data for p in params[:-1]]), params[-1].data, np.array(losses)

    assert_passes(check.train_value_neuron, train_value_neuron)


@pytest.mark.parametrize(("mistake", "fragment", "mistake_id"), [
    ({"zero": False}, "nothing in your loop sets the gradients back",
     "train_value_neuron/grad-not-zeroed"),
    ({"sign": -1.0}, "move along their gradient, uphill", "train_value_neuron/climbs"),
    ({"mean": False}, "N times the mean squared error", "train_value_neuron/sum-not-mean"),
    ({"record_after": True}, "the loss you record in epoch i is the loss after",
     "train_value_neuron/loss-after-update"),
    ({"return_values": True}, "not the Values themselves",
     "train_value_neuron/values-returned"),
    ({"ignore_flag": True}, "the flag must skip the zeroing and nothing else",
     "train_value_neuron/zero-grad-flag-ignored"),
])
def test_each_classic_mistake_fails_with_its_hint(mistake, fragment, mistake_id):
    assert_fails(check.train_value_neuron, make_loop(NotebookValue, **mistake), fragment,
                 mistake=mistake_id)


# issue 22, round 2: the failure printed the loss sequence without zeroing, which answered the
# prediction not_zeroed_curve (asked after this exercise) before the student made it
NOT_ZEROED_START = ("0.96971", "0.92616", "0.86527")


@pytest.mark.parametrize("mistake", [{"zero": False}, {"ignore_flag": True}])
def test_a_zeroing_mistake_is_named_without_printing_either_loss_curve(mistake):
    failure = assert_fails(check.train_value_neuron, make_loop(NotebookValue, **mistake))
    text = failure.plain
    assert not any(number in text for number in NOT_ZEROED_START), text
    assert "[1." not in text and "[1, " not in text, text


def test_the_not_zeroed_numbers_are_the_ones_the_scan_looks_for():
    # the scan above can fail: these are the first losses of the check's loop without zeroing
    from helpers.check.value_training import reference_value_training

    rng = np.random.default_rng(20240917)  # the seed of every Check's ex.rng
    X = np.round(rng.uniform(0, 1, size=(6, 2)), 2)
    y = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
    losses = reference_value_training(X, y, 0.5, 4, zero_grad=False)[2]
    assert [f"{v:.5f}" for v in losses[1:]] == list(NOT_ZEROED_START)


def test_a_flag_that_changes_more_than_the_zeroing_is_named():
    loop = make_loop(NotebookValue)

    def train_value_neuron(X, y, lr, epochs, zero_grad=True):
        return loop(X, y, lr if zero_grad else 2 * lr, epochs, zero_grad)

    assert_fails(check.train_value_neuron, train_value_neuron, "changes more than the zeroing",
                 mistake="train_value_neuron/zero-grad-flag-changes-more")


def test_the_target_minus_the_output_passes_on_the_notebooks_value(capsys):
    # ½(y − ŷ)², the order of sections 4 and 6: a number minus a Value needs __rsub__,
    # which the notebook's Value is given
    assert_passes(check.train_value_neuron, make_loop(NotebookValue, target_first=True),
                  capsys)


def test_a_number_minus_a_value_without_rsub_names_the_missing_method():
    # issue: "unsupported operand type(s) for -: 'float' and 'Value'" was told "print the
    # shapes involved"; the loop is right, the Value lacks the reflected subtraction
    loop = make_loop(_notebook_value(without="__rsub__"), target_first=True)
    assert_fails(check.train_value_neuron, loop, "reflected subtraction (__rsub__)",
                 "Your loop is not what is wrong here",
                 mistake="train_value_neuron/no-reflected-op")


def test_the_stub_says_not_written_yet():
    def train_value_neuron(X, y, lr, epochs, zero_grad=True):
        raise NotImplementedError("exercise: train_value_neuron")

    assert_fails(check.train_value_neuron, train_value_neuron, "not written yet")


def test_a_wrong_return_says_what_to_return():
    assert_fails(check.train_value_neuron, lambda X, y, lr, epochs, zero_grad=True: (1.0, 2.0),
                 "expected three items (w, b, losses)", mistake="train_value_neuron/not-a-triple")


def test_the_numpy_loop_of_the_experiments_agrees_with_the_students_value():
    # experiments.backprop.train_value_neuron is what the claims tests run: the same numbers
    X, y = np.array([[0.2, 0.9], [0.7, 0.1], [0.5, 0.5]]), np.array([1.0, -1.0, 1.0])
    for zero_grad in (True, False):
        want = make_loop(NotebookValue)(X, y, 0.5, 5, zero_grad)
        got = backprop.train_value_neuron(X, y, 0.5, 5, zero_grad)
        for a, b in zip(got, want, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-12)


# --- a right loop on a broken Value (issue 23): the loop passes, the note blames Value ---------


def _value_source() -> str:
    nb = json.loads((ROOT / "solutions" / "03_backpropagation.ipynb").read_text("utf-8"))
    return next("".join(c["source"]) for c in nb["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == "value")


def _broken_value(relu=None):
    """The notebook's Value with `=` where backward must add (a classic slip), defined in
    a notebook's namespace."""
    source = _value_source()
    assert "child.grad += local * v.grad" in source
    namespace = {"__name__": "__main__", "math": math, "np": np}
    exec(source.replace("child.grad += local * v.grad", "child.grad = local * v.grad"),
         namespace)
    return namespace["Value"]


def _notebook_function(source: str, Value) -> object:
    """A function defined as a notebook cell defines it: its globals hold the notebook's Value."""
    namespace = {"__name__": "__main__", "Value": Value, "np": np}
    exec(source, namespace)
    return namespace


LOOP = """
def train_value_neuron(X, y, lr, epochs, zero_grad=True):
    w, b = [Value(0.0) for _ in range(X.shape[1])], Value(0.0)
    losses = []
    for _ in range(epochs):
        outs = [(sum((wi * xi for wi, xi in zip(w, x)), b)).tanh() for x in X.tolist()]
        loss = sum((out - t) ** 2 for out, t in zip(outs, y.tolist())) * (1 / len(y))
        if zero_grad:
            for p in [*w, b]:
                p.grad = 0.0
        loss.backward()
        for p in [*w, b]:
            p.data {op} lr * p.grad
        losses.append(loss.data)
    return [wi.data for wi in w], b.data, losses
"""


def test_a_right_loop_on_a_broken_value_passes_with_a_note_that_blames_value(capsys):
    Broken = _broken_value()
    with pytest.raises(check.CheckFailed):  # the Value itself is wrong...
        check.value(Broken)
    ns = _notebook_function(LOOP.format(op="-="), Broken)
    # ...and the loop on it would record wrong losses, but the loop is right
    check.train_value_neuron(ns["train_value_neuron"])
    out = capsys.readouterr().out
    assert out.startswith("✓ train_value_neuron looks right. Note: your Value fails its own "
                          "check (after backward() on b = a + a"), out
    assert "checked with a right Value instead" in out and out.count("\n") == 1
    assert ns["train_value_neuron"].__globals__["Value"] is Broken  # the notebook untouched


def test_a_wrong_loop_on_a_broken_value_is_still_told_about_its_loop():
    # (not through the parity harness: its sandbox is a copy of this process, holding the
    # broken Value, where the real grader's holds the course's right one)
    ns = _notebook_function(LOOP.format(op="+="), _broken_value())
    with pytest.raises(check.CheckFailed) as info:
        check.train_value_neuron(ns["train_value_neuron"])
    assert "uphill" in info.value.plain and info.value.mistake == "train_value_neuron/climbs"


def test_a_right_loop_on_an_unwritten_value_passes_with_a_note():
    class Value(NotebookValue):
        def __mul__(self, other):
            raise NotImplementedError("exercise: value")

    Value.__module__ = "__main__"
    ns = _notebook_function(LOOP.format(op="-="), Value)
    check.train_value_neuron(ns["train_value_neuron"])


def test_a_right_loop_on_a_right_value_gets_no_note(capsys):
    ns = _notebook_function(LOOP.format(op="-="), NotebookValue)
    check.train_value_neuron(ns["train_value_neuron"])
    assert capsys.readouterr().out == "✓ train_value_neuron looks right.\n"


# --- value_relu ---------------------------------------------------------------------------------


def relu_reference(v):
    return NotebookValue(max(0.0, v.data), (v,), (1.0 if v.data > 0 else 0.0,), "relu")


def relu_by_cases(v):
    # (not type(v)(...): the grader hands the check's Value in from another process)
    if v.data > 0:
        return NotebookValue(v.data, (v,), (1.0,), "relu")
    return NotebookValue(0.0, (v,), (0.0,), "relu")


def relu_zero_slope_from_heaviside(v):
    return NotebookValue(max(v.data, 0), [v], [np.heaviside(v.data, 1.0)], "ReLU")


@pytest.mark.parametrize("answer", [relu_reference, relu_by_cases,
                                    relu_zero_slope_from_heaviside])
def test_value_relu_accepts_right_versions(answer, capsys):
    assert_passes(check.value_relu, answer, capsys)


def _relu(data, slope, children=lambda v: (v,)):
    def value_relu(v):
        return NotebookValue(data(v.data), children(v), (slope(v.data),), "relu")

    return value_relu


def relu_in_place(v):
    v.data = max(0.0, v.data)
    return v


@pytest.mark.parametrize(("answer", "fragment", "mistake_id"), [
    (_relu(lambda x: max(0.0, x), lambda x: max(0.0, x)), "the output, as the local derivative",
     "value_relu/output-as-slope"),
    (_relu(lambda x: max(0.0, x), lambda x: x), "x itself as the local derivative",
     "value_relu/input-as-slope"),
    (_relu(lambda x: max(0.0, x), lambda x: float(x <= 0)), "swapped sides",
     "value_relu/slopes-swapped"),
    (_relu(lambda x: max(0.0, x), lambda x: 1.0), "draw ReLU", "value_relu/wrong-slope"),
    (_relu(lambda x: x, lambda x: float(x > 0)), "came out unchanged",
     "value_relu/negative-passed"),
    (_relu(lambda x: max(0.0, x), lambda x: float(x > 0), children=lambda v: ()),
     "backward() could not reach v", "value_relu/child-missing"),
    (lambda v: max(0.0, v.data), "expected a new Value", "value_relu/not-a-value"),
    (relu_in_place, "changed the Value it was given", "value_relu/input-changed"),
])
def test_value_relu_names_each_mistake(answer, fragment, mistake_id):
    assert_fails(check.value_relu, answer, fragment, mistake=mistake_id)


def test_value_relu_stub_is_not_written_yet():
    def value_relu(v):
        raise NotImplementedError("exercise: value_relu")

    assert_fails(check.value_relu, value_relu, "not written yet", mistake="not-written-yet")


# --- Neuron (neuron_value) ----------------------------------------------------------------------


def _cell(grade_id: str) -> str:
    nb = json.loads((ROOT / "solutions" / "03_backpropagation.ipynb").read_text("utf-8"))
    return next("".join(c["source"]) for c in nb["cells"]
                if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def _notebook_value_with_relu():
    """The notebook's Value after the value_relu cell has run: every node has .relu()."""
    namespace = {"__name__": "__main__", "math": math, "np": np}
    exec(_cell("value"), namespace)
    exec(_cell("value_relu"), namespace)
    return namespace["Value"]


RValue = _notebook_value_with_relu()


def make_neuron(*, draw=None, bias=lambda rng: 0.0, params="right", act="relu", add_bias=True,
                linear_act=None):
    """A Neuron class, right by default; the keywords make the classic mistakes."""

    class Neuron:
        def __init__(self, n_in, rng, nonlin=True):
            values = draw(rng, n_in) if draw else rng.uniform(-1, 1, size=n_in)
            self.w = [RValue(float(v)) for v in values]
            self.b = RValue(bias(rng))
            self.nonlin = nonlin

        def __call__(self, x):
            z = sum((wi * xi for wi, xi in zip(self.w, x, strict=True)),
                    self.b if add_bias else RValue(0.0))
            if not self.nonlin:
                return linear_act(z) if linear_act else z
            return {"relu": z.relu, "tanh": z.tanh, "none": lambda: z}[act]()

        def parameters(self):
            if params == "numbers":
                return [p.data for p in [*self.w, self.b]]
            if params == "no-bias":
                return list(self.w)
            if params == "bias-twice":
                return [*self.w, self.b, self.b]
            if params == "copies":
                return [RValue(p.data) for p in [*self.w, self.b]]
            if params == "bias-first":  # the spec fixes no order: as right as w + [b]
                return [self.b] + self.w
            return [*self.w, self.b]

    return Neuron


class NeuronDrawingOneAtATime:
    def __init__(self, n_in, rng, nonlin=True):
        self.w = [RValue(rng.uniform(-1, 1)) for _ in range(n_in)]
        self.b = RValue(0)
        self.nonlin = nonlin

    def __call__(self, x):
        z = self.b
        for wi, xi in zip(self.w, x, strict=True):
            z = z + wi * xi
        return z.relu() if self.nonlin else z

    def parameters(self):
        return self.w + [self.b]


class NeuronNamedOtherwise:
    """The bias first, under names of its own: found by how it moves the output."""

    def __init__(self, n_in, rng, nonlin=True, bias=lambda rng: 0.0):
        self.weights = [RValue(float(v)) for v in rng.uniform(-1, 1, size=n_in)]
        self.offset = RValue(bias(rng))
        self.nonlin = nonlin

    def __call__(self, x):
        z = self.offset + sum(wi * xi for wi, xi in zip(self.weights, x, strict=True))
        return z.relu() if self.nonlin else z

    def parameters(self):
        return [self.offset, *self.weights]


class NeuronNamedOtherwiseBiasDrawn(NeuronNamedOtherwise):
    def __init__(self, n_in, rng, nonlin=True):
        super().__init__(n_in, rng, nonlin, bias=lambda rng: float(rng.uniform(-1, 1)))


@pytest.mark.parametrize("answer", [make_neuron(), NeuronDrawingOneAtATime,
                                    make_neuron(params="bias-first"), NeuronNamedOtherwise])
def test_neuron_value_accepts_right_versions(answer, capsys):
    assert_passes(check.neuron_value, answer, capsys)


@pytest.mark.parametrize(("answer", "fragment", "mistake_id"), [
    (make_neuron(params="numbers"), "not the numbers in them", "neuron_value/numbers-not-values"),
    (make_neuron(params="no-bias"), "one weight per input, and a bias",
     "neuron_value/bias-missing"),
    (make_neuron(params="bias-twice"), "no more, no fewer", "neuron_value/parameter-count"),
    (make_neuron(params="copies"), "did not change the output",
     "neuron_value/parameters-not-used"),
    (make_neuron(act="tanh"), "not tanh", "neuron_value/tanh-for-relu"),
    (make_neuron(act="none"), "nonlin=True asks for the ReLU", "neuron_value/nonlin-ignored"),
    (make_neuron(linear_act=lambda z: z.relu()), "a linear neuron",
     "neuron_value/relu-always"),
    (make_neuron(add_bias=False), "leaves out the bias", "neuron_value/bias-not-added"),
    (make_neuron(draw=lambda rng, n: np.random.default_rng().uniform(-1, 1, size=n)),
     "draw the weights from the rng", "neuron_value/rng-ignored"),
    (make_neuron(bias=lambda rng: float(rng.uniform(-1, 1))), "the bias 0",
     "neuron_value/wrong-start"),
    (make_neuron(draw=lambda rng, n: rng.normal(0, 3, size=n)), "each weight its own draw",
     "neuron_value/wrong-start"),
    # the bias listed first is still found, and still held to its start
    (make_neuron(params="bias-first", bias=lambda rng: float(rng.uniform(-1, 1))),
     "the bias 0", "neuron_value/wrong-start"),
    (NeuronNamedOtherwiseBiasDrawn, "the bias 0", "neuron_value/wrong-start"),
    (make_neuron(params="bias-first", add_bias=False), "leaves out the bias",
     "neuron_value/bias-not-added"),
    (make_neuron(params="bias-first", act="tanh"), "not tanh", "neuron_value/tanh-for-relu"),
])
def test_neuron_value_names_each_mistake(answer, fragment, mistake_id):
    assert_fails(check.neuron_value, answer, fragment, mistake=mistake_id)


def test_neuron_value_stub_is_not_written_yet():
    class Neuron:
        def __init__(self, n_in, rng, nonlin=True):
            raise NotImplementedError("exercise: neuron_value")

    assert_fails(check.neuron_value, Neuron, "not written yet", mistake="not-written-yet")


def test_a_right_neuron_on_a_broken_relu_passes_with_a_note(capsys):
    broken = _broken_value()  # its relu is missing: attach one that passes negatives
    broken.relu = _relu(lambda x: x, lambda x: 1.0)
    assert check.value_relu.__wrapped__ is not None
    ns = {"__name__": "__main__", "Value": broken, "np": np}
    exec(
        "class Neuron:\n"
        "    def __init__(self, n_in, rng, nonlin=True):\n"
        "        self.w = [Value(v) for v in rng.uniform(-1, 1, size=n_in)]\n"
        "        self.b = Value(0.0)\n"
        "        self.nonlin = nonlin\n"
        "    def __call__(self, x):\n"
        "        z = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)\n"
        "        return z.relu() if self.nonlin else z\n"
        "    def parameters(self):\n"
        "        return [*self.w, self.b]\n", ns)
    check.neuron_value(ns["Neuron"])
    out = capsys.readouterr().out
    assert "Note: your Value fails its own check" in out, out


# --- the check cell, check.summary() and the grader agree on a broken Value (issue 23) ------------


def _filled_student_notebook(edits: dict[str, tuple[str, str]]) -> dict:
    """The student notebook 03 filled in with the solutions; ``edits`` replaces, in the cell
    of an exercise id, one piece of code by another (a student's slip)."""
    from helpers import authoring, conventions

    course_nb = authoring.load(ROOT / "solutions" / "03_backpropagation.ipynb")
    student = authoring.student_notebook(course_nb, "03_backpropagation.ipynb")
    solved = {c["metadata"]["nbgrader"]["grade_id"]: conventions.source(c)
              for c in course_nb["cells"]
              if c["metadata"].get("nbgrader", {}).get("solution")}
    for cell in student["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in solved and cell["metadata"]["nbgrader"].get("solution"):
            source = "\n".join(line for line in solved[grade_id].split("\n")
                               if line.strip() not in (authoring.BEGIN, authoring.END))
            if grade_id in edits:
                old, new = edits[grade_id]
                assert old in source
                source = source.replace(old, new)
            cell["source"] = source
    return student


def _check_cells(nb: dict, namespace: dict) -> dict[str, str]:
    """What each check cell prints (its ✓ line or its ✗ text), run as the notebook runs it."""
    import contextlib
    import io

    from helpers import conventions

    said = {}
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if not meta.get("grade"):
            continue
        exercise_id = meta["grade_id"].removeprefix("check_")
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(conventions.source(cell), namespace)
            said[exercise_id] = printed.getvalue().strip()
        except check.CheckFailed as failure:
            said[exercise_id] = str(failure)
    return said


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="the grader forks")
def test_check_cell_summary_and_grader_agree_when_value_is_broken(tmp_path):
    from test_summary import namespace_of

    from helpers.check._summary import summary_rows
    from helpers.grading.batch import grade_class
    from helpers.grading.judge import Limits

    nb = _filled_student_notebook(
        {"value": ("child.grad += local * v.grad", "child.grad = local * v.grad")})
    namespace = namespace_of(nb, filled=True)
    cells = _check_cells(nb, namespace)
    _, rows = summary_rows("03_backpropagation", namespace)
    summary = {r.exercise: r for r in rows}
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "broken_value.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    data = grade_class([folder], tmp_path / "grades", notebook="03_backpropagation",
                       solutions=ROOT / "solutions", jobs=1,
                       limits=Limits(seconds=60, memory_mb=800), log=lambda _: None)
    graded = data["students"]["broken_value"]["exercises"]

    as_grader = {"passed": "right", "failed": "wrong"}
    verdicts = {e: "right" if text.startswith("✓") else "wrong" for e, text in cells.items()}
    assert verdicts == {e: r.verdict for e, r in summary.items()}
    assert verdicts == {e: as_grader.get(r["status"], r["status"]) for e, r in graded.items()}
    assert verdicts["value"] == "wrong"
    assert {e for e, v in verdicts.items() if v == "wrong"} == {"value"}, cells
    # the message blames Value: its own check names the slip, the loop's ✓ points at it
    assert "the second edge overwrote" in " ".join(cells["value"].split())
    for exercise in ("train_value_neuron", "neuron_value"):
        assert cells[exercise].startswith(f"✓ {exercise} looks right. Note: your Value fails "
                                          "its own check"), cells[exercise]
        # the summary and the grader check it with the course's Value, as the grader does
        assert summary[exercise].feedback == graded[exercise]["feedback"] == (
            f"✓ {exercise} looks right.")


# --- NOT_ZEROED_CURVE: the prediction, and the run that answers it ------------------------------


@pytest.mark.parametrize("answer", ["b", "B", "(b)", " b "])
def test_not_zeroed_curve_accepts_b(answer, capsys):
    assert_passes(check.not_zeroed_curve, answer, capsys)


@pytest.mark.parametrize(("answer", "fragment", "mistake_id"), [
    ("a", "not a bigger copy of today's gradient", "not_zeroed_curve/just-a-bigger-step"),
    ("c", "the loss does fall at first", "not_zeroed_curve/never-falls"),
    ("d", "Python adds the numbers without complaint", "not_zeroed_curve/error"),
    ("e", "one of the listed letters", "not_zeroed_curve/not-a-choice"),
    (2, "one of the listed letters", "not_zeroed_curve/not-a-choice"),
])
def test_not_zeroed_curve_names_each_misconception(answer, fragment, mistake_id):
    assert_fails(check.not_zeroed_curve, answer, fragment, mistake=mistake_id)


def test_the_run_shows_the_predicted_curve():
    # the notebook's run, with the numpy twin of the loop: (b), and not (a), (c) or (d)
    runs = backprop.forgetting_zero_grad(backprop.train_value_neuron, n_movies=50, lr=0.5,
                                         epochs=60, target=0.5)
    zeroed, forgot = runs["zeroed"]["losses"], runs["not zeroed"]["losses"]
    assert forgot[1] < forgot[0]  # it falls (not c)
    assert forgot[5] < zeroed[5]  # faster at first (not a)
    assert np.argmin(forgot) < 59 and forgot[-1] > 2 * zeroed[-1]  # climbs, ends higher
    check.not_zeroed_curve("b")


def test_neuron_docstring_states_the_start_the_check_names():
    # neuron_value's message sends the student to the docstring's start: it must be there
    import json
    from pathlib import Path

    nb = json.loads((Path(__file__).parents[1] / "solutions" / "03_backpropagation.ipynb")
                    .read_text(encoding="utf-8"))
    source = next("".join(c["source"]) for c in nb["cells"] if c.get("id") == "b8e1c005")
    docstring = source.split('"""')[1]
    assert "rng.uniform(-1, 1)" in docstring and "bias starts at 0" in docstring
