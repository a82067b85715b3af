"""Checks for notebook 03, section 8: training and building networks on the student's ``Value``.

- ``train_value_neuron(X, y, lr, epochs, zero_grad=True) -> (w, b, losses)`` trains a tanh
  neuron ``tanh(x · w + b)`` from w = 0, b = 0 by full-batch gradient descent on the mean
  squared error. The oracle is the same loop in numpy, whose gradient is written out here;
  forgetting to zero the gradients is simulated exactly (each gradient is the running sum).
- ``NOT_ZEROED_CURVE``: the prediction of the loss curve without zeroing the gradients.
- ``value_relu(v)``: the ReLU operation the student adds to ``Value``.
- ``Neuron(n_in, rng, nonlin=True)``: a neuron made of Values (``neuron_value``).

These exercises run on the student's own ``Value`` (section 5), which may be broken while
the exercise's code is right. The grader and ``check.summary()`` check each exercise with the
reference answers of the exercises above it, so the check cell does the same (:func:`_lend`):
it checks the ``Value`` the code uses first and, if that fails, checks the code with a right
``Value`` instead; a pass then carries a note that blames ``Value``. All three give the same
verdict, and the message points at the code that is wrong.
"""

from __future__ import annotations

import re
import types
from typing import Any

import numpy as np

from .. import autograd
from ._core import REGISTRY, Check, CheckFailed, exercise, fmt
from .mistakes import mistake

__all__ = ["neuron_value", "not_zeroed_curve", "reference_value_training", "train_value_neuron",
           "value_relu"]


class _Value(autograd.Value):
    """The notebook's Value: backward() only adds to .grad (the training loop zeroes it).

    helpers.autograd.Value resets the graph's gradients in backward(), which would hide a
    loop that forgets to zero them; the notebook's does not, and neither does this one.
    """

    def backward(self) -> None:
        self.grad = 1.0
        for v in reversed(autograd.topological_order(self)):
            for child, local in zip(v._children, v._local_grads, strict=True):
                child.grad += local * v.grad


def _rebound(obj: Any, overrides: dict[str, Any]) -> Any:
    """A copy of a function (or of a class's methods) that reads ``overrides`` as globals;
    the notebook's own objects are left as they are."""
    if isinstance(obj, types.FunctionType):
        fn = types.FunctionType(obj.__code__, {**obj.__globals__, **overrides}, obj.__name__,
                                obj.__defaults__, obj.__closure__)
        fn.__kwdefaults__ = obj.__kwdefaults__
        fn.__qualname__, fn.__doc__ = obj.__qualname__, obj.__doc__
        return fn
    body = {k: _rebound(v, overrides) if isinstance(v, types.FunctionType) else v
            for k, v in vars(obj).items() if k not in ("__dict__", "__weakref__")}
    return type(obj.__name__, obj.__bases__, body)


def _globals_of(obj: Any) -> dict[str, Any]:
    """The module globals the student's code reads (none for the grader's stand-ins)."""
    if isinstance(obj, types.FunctionType):
        return obj.__globals__
    if isinstance(obj, type):
        for member in vars(obj).values():
            if isinstance(member, types.FunctionType):
                return member.__globals__
    return {}


def _first_failure(exercise_id: str, obj: Any) -> str | None:
    """None when ``obj`` passes the check ``exercise_id``, else the failure's first line."""
    try:
        REGISTRY[exercise_id].__wrapped__(Check(exercise_id, obj))
    except CheckFailed as failure:
        return " ".join(str(failure.message).split("\n")[0].split())
    except Exception as err:  # noqa: BLE001 - a Value the check cannot even use
        return f"the check stopped: {type(err).__name__}: {err}"
    return None


def _lend(ex: Check, uses_relu: bool = False) -> Any:
    """The student's object, or a copy of it that uses a right Value where theirs fails.

    A pass found with the lent Value gets a note (on its ✓ line) saying that the student's
    Value is what needs fixing.
    """
    own = _globals_of(ex.obj).get("Value")
    if not isinstance(own, type) or issubclass(own, autograd.Value):
        return ex.obj
    problem = _first_failure("value", own)
    what = "your Value"
    if problem is None and uses_relu:
        relu = getattr(own, "relu", None)
        if isinstance(relu, types.FunctionType):
            problem = _first_failure("value_relu", relu)
            what = "your Value's relu (value_relu)"
    if problem is None:
        return ex.obj
    ex.add_note(f"{what} fails its own check ({problem}), so this was checked with a right "
                "Value instead. Fix that first: the cells below run on yours.")
    return _rebound(ex.obj, {"Value": _Value})


# --- train_value_neuron ----------------------------------------------------------------------


def reference_value_training(X, y, lr, epochs, zero_grad=True, *, sign=1.0, scale=1.0,
                             record_after=False):
    """(w, b, losses) of the loop; ``sign``, ``scale``, ``record_after`` simulate mistakes."""
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    w, b = np.zeros(X.shape[1]), 0.0
    gw, gb = np.zeros(X.shape[1]), 0.0
    losses = []
    for _ in range(epochs):
        a = np.tanh(X @ w + b)
        if not record_after:
            losses.append(np.mean((a - y) ** 2))
        dz = scale * 2 * (a - y) * (1 - a**2) / len(y)
        if zero_grad:
            gw, gb = X.T @ dz, dz.sum()
        else:  # gradients accumulate over the epochs
            gw, gb = gw + X.T @ dz, gb + dz.sum()
        w, b = w - sign * lr * gw, b - sign * lr * gb
        if record_after:
            losses.append(np.mean((np.tanh(X @ w + b) - y) ** 2))
    return w, b, np.array(losses)


#: A plain number on the left of an operator Value lacks: Python asks the Value on the right
#: for the reflected method and, where there is none, raises this TypeError.
_REFLECTED = re.compile(r"unsupported operand type\(s\) for (\S+): '(int|float)' and '(\w+)'")
_REFLECTED_NAMES = {"-": "subtraction (__rsub__)", "+": "addition (__radd__)",
                    "*": "multiplication (__rmul__)", "/": "division (__rtruediv__)"}


def _reflected_hint(failure: CheckFailed):
    """A hint naming the missing reflected operation, or None if that is not the error."""
    found = _REFLECTED.search(str(failure.message))
    if found is None:
        return None
    op, number, cls = found.groups()
    what = _REFLECTED_NAMES.get(op, f"reflected {op}")
    return mistake("train_value_neuron/no-reflected-op",
                   f"a plain {number} on the left of `{op}` and a {cls} on the right: Python "
                   f"then asks the {cls} for its reflected {what}, and your {cls} has none. "
                   "Your loop is not what is wrong here: either the class lacks that method, "
                   "or the expression can put the Value on the left.")


def _result(ex: Check, loop, X, y, lr, epochs, zero_grad):
    label = f"train_value_neuron(X, y, lr={lr}, epochs={epochs}, zero_grad={zero_grad})"
    try:
        out = ex.call(X, y, lr, epochs, fn=loop, zero_grad=zero_grad, label=label)
    except CheckFailed as failure:
        hint = _reflected_hint(failure)
        if hint is None:
            raise
        ex.fail(str(failure.message), hint)
    if not (isinstance(out, tuple) and len(out) == 3):
        ex.fail(f"{label} returned {type(out).__name__} {fmt(out)}; expected three items "
                "(w, b, losses).",
                mistake("train_value_neuron/not-a-triple",
                        "the docstring asks for three things, in this order: the weights as "
                        "a list of numbers, the bias as a number and the list of losses."))
    w, b, losses = out
    if any(hasattr(v, "data") and hasattr(v, "grad") for v in (*np.ravel(np.asarray(
            w, dtype=object)), b)):
        ex.fail(f"{label} returned Values in w or b; expected plain numbers.",
                mistake("train_value_neuron/values-returned",
                        "w and b are the numbers the Values hold, not the Values themselves."))
    w = ex.array(w, f"the w of {label}", shape=(X.shape[1],))
    b = float(ex.array(b, f"the b of {label}", shape=()))
    losses = ex.array(losses, f"the losses of {label}", shape=(epochs,))
    return label, w, b, losses


@exercise("train_value_neuron")
def train_value_neuron(ex: Check) -> None:
    """train_value_neuron(X, y, lr, epochs, zero_grad=True) -> (w, b, losses)."""
    loop = _lend(ex)
    X = np.round(ex.rng.uniform(0, 1, size=(6, 2)), 2)
    y = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
    lr, epochs = 0.5, 4
    label, w, b, losses = _result(ex, loop, X, y, lr, epochs, True)
    want_w, want_b, want_losses = reference_value_training(X, y, lr, epochs)
    first = float(np.mean(y**2))
    zero_hint = mistake("train_value_neuron/grad-not-zeroed",
                        "these are the losses of a loop whose gradients add up from one epoch "
                        "to the next: backward() only ever adds to .grad, and nothing in your "
                        "loop sets the gradients back before it.")
    mean_hint = mistake("train_value_neuron/sum-not-mean",
                        "your loss is N times the mean squared error: the sum of the squared "
                        "errors, so every step is N times too large.")
    before_hint = mistake("train_value_neuron/loss-after-update",
                          "the loss you record in epoch i is the loss after epoch i's update; "
                          "losses[i] is the loss before it.")
    after = reference_value_training(X, y, lr, epochs, record_after=True)[2]
    ex.close(losses[0], first,
             f"losses[0] = {losses[0]:.6g}; with w = 0 and b = 0 every output is tanh(0) = 0, "
             f"so the first loss is the mean of y², {first:.6g}.",
             mistakes=[(first * len(y), mean_hint), (after[0], before_hint)],
             hint=mistake("train_value_neuron/wrong-first-loss",
                          "with every parameter at 0 (the docstring's start) every output is 0: "
                          "check the start of your parameters and that the loss is the mean of "
                          "the squared errors."))
    # a loop that never zeroes: named without printing either curve, which would answer the
    # prediction not_zeroed_curve further down before the student makes it
    not_zeroed = reference_value_training(X, y, lr, epochs, zero_grad=False)[2]
    if np.allclose(losses, not_zeroed, rtol=1e-5, atol=1e-7) and not np.allclose(
            not_zeroed, want_losses, rtol=1e-5, atol=1e-7):
        ex.fail(f"{label} recorded a right first loss, then the losses of a loop that never "
                "sets the gradients back to 0.", zero_hint)
    mistakes = [
        (reference_value_training(X, y, lr, epochs, sign=-1)[2],
         mistake("train_value_neuron/climbs", "the loss goes up: your parameters move along "
                 "their gradient, uphill.")),
        (reference_value_training(X, y, lr, epochs, scale=len(y))[2], mean_hint),
        (after, before_hint),
    ]
    ex.close(losses, want_losses,
             f"{label} recorded the losses {fmt(losses, 5)}; expected {fmt(want_losses, 5)}.",
             mistakes=mistakes,
             hint=mistake("train_value_neuron/wrong-losses",
                          "the first loss is right, the next ones are not: each epoch must be "
                          "exactly one gradient step of size lr on every parameter. Print your "
                          "parameters and their .grad in the first two epochs."))
    ex.close(np.append(w, b), np.append(want_w, want_b),
             f"{label} ended with w = {fmt(w, 5)}, b = {b:.5g}; expected w = {fmt(want_w, 5)}, "
             f"b = {want_b:.5g}.",
             hint=mistake("train_value_neuron/wrong-final-weights", "the losses are right but "
                          "not the weights you return: return the parameters after the last "
                          "update, as numbers."))
    # neither curve is printed here: the run without zeroing is a prediction further down
    label, _, _, losses = _result(ex, loop, X, y, lr, epochs, False)
    if np.allclose(losses, not_zeroed, rtol=1e-5, atol=1e-7):
        return
    if np.allclose(losses, want_losses, rtol=1e-5, atol=1e-7):
        ex.fail(f"{label} recorded the same losses as with zero_grad=True.",
                mistake("train_value_neuron/zero-grad-flag-ignored",
                        "with zero_grad=False your loop still starts every epoch from fresh "
                        "gradients: the flag must skip the zeroing and nothing else (or your "
                        "Value's backward() sets the gradients to 0 itself; the notebook's "
                        "only adds; or your loop makes new parameter Values each epoch, which "
                        "start from .grad = 0)."))
    ex.fail(f"{label} recorded losses that are neither those of zero_grad=True nor those of "
            "the same loop with only the zeroing left out.",
            mistake("train_value_neuron/zero-grad-flag-changes-more",
                    "with zero_grad=False your loop changes more than the zeroing: everything "
                    "else (the start, the loss, the step) must stay as with zero_grad=True."))


# --- the prediction before the run without zeroing ---------------------------------------------

_CURVES = ("a", "b", "c", "d")


@exercise("not_zeroed_curve", kind="value")
def not_zeroed_curve(ex: Check) -> None:
    """NOT_ZEROED_CURVE: the letter of the loss curve of a loop that never zeroes the grads."""
    got = ex.obj
    choice = got.strip().lower().strip("()") if isinstance(got, str) else None
    if choice not in _CURVES:
        ex.fail(f"NOT_ZEROED_CURVE is {fmt(got)}; expected one of the letters "
                f"{', '.join(repr(c) for c in _CURVES)}.",
                mistake("not_zeroed_curve/not-a-choice",
                        "answer with one of the listed letters, as a string in quotes."))
    wrong = {
        "a": mistake("not_zeroed_curve/just-a-bigger-step",
                     "the sum of all gradients so far is not a bigger copy of today's "
                     "gradient: it keeps pushing the way the slope pointed epochs ago, also "
                     "once the minimum is behind."),
        "c": mistake("not_zeroed_curve/never-falls",
                     "the first epoch starts from gradients at 0, so its step is an ordinary "
                     "gradient step: the loss does fall at first."),
        "d": mistake("not_zeroed_curve/error",
                     "nothing checks that .grad was set back: Python adds the numbers without "
                     "complaint. That is what makes this bug hard to see."),
    }
    if choice != "b":
        ex.fail(f"NOT_ZEROED_CURVE is {got!r}; that is not what the loss does.", wrong[choice])


# --- value_relu --------------------------------------------------------------------------------


def _node(ex: Check, out: Any, label: str) -> tuple[float, tuple, tuple]:
    """(data, children, local grads) of what value_relu returned, or a failed check."""
    if not all(hasattr(out, attr) for attr in ("data", "_children", "_local_grads")):
        ex.fail(f"{label} returned {type(out).__name__} {fmt(out)}; expected a new Value.",
                mistake("value_relu/not-a-value",
                        "an operation on Values returns a Value, which records its child and "
                        "the local derivative, like __add__ and __mul__ in your class."))
    return (float(ex.array(out.data, f"the .data of {label}", shape=())),
            tuple(out._children), tuple(out._local_grads))


@exercise("value_relu")
def value_relu(ex: Check) -> None:
    """value_relu(v) -> a new Value max(0, v.data) with v as its one child and the slope."""
    points = np.array([2.0, -1.5, 0.7, -0.3])
    slopes = []
    for x in points.tolist():
        v = _Value(x)
        label = f"value_relu(Value({x}))"
        out = ex.call(v, label=label)
        data, children, local = _node(ex, out, label)
        if v.data != x or out is v:
            ex.fail(f"{label} changed the Value it was given (its .data is now {fmt(v.data)}).",
                    mistake("value_relu/input-changed",
                            "leave v alone and return a new Value: v may be used elsewhere "
                            "in the graph."))
        ex.close(data, max(0.0, x), f"{label}.data is {fmt(data)}; ReLU({x}) is {max(0.0, x):g}.",
                 mistakes=[(x, mistake("value_relu/negative-passed",
                                       "a negative input came out unchanged: ReLU clips it."))],
                 hint=mistake("value_relu/wrong-data", "ReLU keeps a positive input and "
                              "clips a negative one to 0."))
        if len(children) != 1 or children[0] is not v:
            count = len(children)
            ex.fail(f"{label} records {count} {'child' if count == 1 else 'children'}"
                    + ("" if len(children) != 1 else ", but not the Value it was given")
                    + "; backward() could not reach v.",
                    mistake("value_relu/child-missing",
                            "the new Value must remember where it came from, as __add__ and "
                            "__mul__ do: its one child is v."))
        if len(local) != 1:
            ex.fail(f"{label} records {len(local)} local derivatives for its one child.",
                    mistake("value_relu/child-missing",
                            "one child, one local derivative: d ReLU(x) / dx at x."))
        slopes.append(float(ex.array(local[0], f"the local derivative of {label}", shape=())))
    slopes = np.array(slopes)
    want = (points > 0).astype(float)
    ex.close(slopes, want,
             f"at x = {fmt(points)} your ReLU records the local derivatives {fmt(slopes)}; "
             "these are not the slopes of ReLU there.",
             mistakes=[
                 (np.maximum(points, 0), mistake("value_relu/output-as-slope",
                                                 "you recorded ReLU(x), the output, as the "
                                                 "local derivative; the local derivative is "
                                                 "the slope.")),
                 (points, mistake("value_relu/input-as-slope",
                                  "you recorded x itself as the local derivative; what is the "
                                  "slope of each half of the ReLU?")),
                 (1.0 - want, mistake("value_relu/slopes-swapped",
                                      "your slope is 1 where ReLU is flat and 0 where it rises: "
                                      "swapped sides.")),
             ],
             hint=mistake("value_relu/wrong-slope",
                          "draw ReLU: two straight lines. Its local derivative is the slope "
                          "of the line that x lies on."))


# --- Neuron (neuron_value) ---------------------------------------------------------------------


def _is_value(v: Any) -> bool:
    return hasattr(v, "data") and hasattr(v, "grad") and hasattr(v, "_children")


def _parameters(ex: Check, neuron: Any, label: str, n_in: int) -> list:
    if not callable(getattr(neuron, "parameters", None)):
        ex.fail(f"{label} has no method parameters().",
                mistake("neuron_value/parts-missing",
                        "keep the methods of the exercise: __init__, __call__ and parameters."))
    params = ex.call(fn=neuron.parameters, label=f"{label}.parameters()")
    try:
        params = list(params)
    except TypeError:
        params = [params]
    if not all(_is_value(p) for p in params):
        ex.fail(f"{label}.parameters() returned {fmt(params)}; expected Values.",
                mistake("neuron_value/numbers-not-values",
                        "training moves the Values themselves (their .data, by their .grad): "
                        "parameters() lists the Values, not the numbers in them."))
    if len(params) != n_in + 1:
        ex.fail(f"{label}.parameters() lists {len(params)} Values; a neuron with {n_in} "
                f"inputs has {n_in + 1} parameters.",
                mistake("neuron_value/bias-missing",
                        "a neuron has one weight per input, and a bias.")
                if len(params) == n_in else
                mistake("neuron_value/parameter-count",
                        "a neuron has one weight per input, and a bias: no more, no fewer."))
    return params


def _bias_index(ex: Check, neuron: Any, params: list, label: str) -> int:
    """Where the bias sits in ``params``: the spec fixes no order ([b] + w is as right as w + [b]).

    The bias is ``neuron.b`` when that is one of the Values listed; otherwise the parameter
    that moves the output one for one whatever the input (a weight moves it by its input
    times as much). With neither, the last, where the notebook's own order puts it.
    """
    b = getattr(neuron, "b", None)
    found = [i for i, p in enumerate(params) if p is b]
    if len(found) == 1:
        return found[0]
    last = len(params) - 1
    x = [0.5, -1.0, 2.0][:last]  # no input is 1, so no weight moves the output like the bias
    saved = [p.data for p in params]
    try:
        moves = _moves(ex, neuron, params, x, label)
    except CheckFailed:  # a broken __call__ is diagnosed below, where the outputs are checked
        moves = []
    finally:
        for p, data in zip(params, saved, strict=True):
            p.data = data
    found = [i for i, move in enumerate(moves) if abs(move - 0.25) < 1e-9]
    return found[0] if len(found) == 1 else last


def _moves(ex: Check, neuron: Any, params: list, x: list, label: str) -> list[float]:
    """How much the output moves when each parameter moves by 0.25, all starting at 1
    (z = 2.5, so a ReLU neuron is on its rising side); [] if the output is not a Value."""
    def output() -> float | None:
        out = ex.call(x, fn=neuron, label=f"{label}({x})")
        return float(out.data) if _is_value(out) else None

    for p in params:
        p.data = 1.0
    moves = []
    before = output()
    for p in params:
        p.data = 1.25
        after = output()
        p.data = 1.0
        if before is None or after is None:
            return []
        moves.append(after - before)
    return moves


def _split(ex: Check, neuron: Any, params: list, label: str) -> tuple[list, Any]:
    """The weights (in the order listed) and the bias among a neuron's parameters."""
    at = _bias_index(ex, neuron, params, label)
    return [p for i, p in enumerate(params) if i != at], params[at]


@exercise("neuron_value", kind="class")
def neuron_value(ex: Check) -> None:
    """Neuron(n_in, rng, nonlin=True): weights from rng.uniform(-1, 1), bias 0, Values."""
    Neuron = _lend(ex, uses_relu=True)
    label = "Neuron(3, np.random.default_rng(0))"
    neuron = ex.call(3, np.random.default_rng(0), fn=Neuron, label=label)
    params = _parameters(ex, neuron, label, 3)
    start = np.array([float(p.data) for p in params])
    weights, bias = _split(ex, neuron, params, label)
    w0, b0 = np.array([float(p.data) for p in weights]), float(bias.data)
    again = np.array([float(p.data) for p in _parameters(
        ex, ex.call(3, np.random.default_rng(0), fn=Neuron, label=label), label, 3)])
    other = ex.call(3, np.random.default_rng(1), fn=Neuron, label=label)
    other_w, _ = _split(ex, other, _parameters(ex, other, label, 3), label)
    if not np.array_equal(start, again) or np.array_equal(w0, [float(p.data) for p in other_w]):
        ex.fail("two neurons made with the same seed start from different weights, or two "
                "seeds give the same weights.",
                mistake("neuron_value/rng-ignored",
                        "draw the weights from the rng the neuron is given, so that a seed "
                        "reproduces a network."))
    if b0 != 0 or not np.all(np.abs(w0) <= 1) or np.all(w0 == w0[0]):
        ex.fail(f"{label} starts from w = {fmt(w0)}, b = {fmt(b0)}; the docstring "
                "asks for weights drawn from rng.uniform(-1, 1) and a bias of 0.",
                mistake("neuron_value/wrong-start",
                        "read the start in Neuron's docstring: each weight its own draw in "
                        "[-1, 1], the bias 0."))

    x = [0.5, -1.0, 2.0]
    for nonlin in (False, True):
        label = f"Neuron(3, rng, nonlin={nonlin})"
        neuron = ex.call(3, np.random.default_rng(2), nonlin=nonlin, fn=Neuron, label=label)
        params = _parameters(ex, neuron, label, 3)
        weights, bias = _split(ex, neuron, params, label)
        w = np.array([float(p.data) for p in weights])
        if not nonlin:  # the weights listed are the Values the output is built from
            before = float(ex.call(x, fn=neuron, label=f"{label}({x})").data)
            for i, p in enumerate(params):
                if p is bias:
                    continue
                p.data = float(p.data) + 0.25
                after = float(ex.call(x, fn=neuron, label=f"{label}({x})").data)
                p.data = float(p.data) - 0.25
                if after == before:
                    ex.fail(f"adding 0.25 to parameters()[{i}] did not change the output.",
                            mistake("neuron_value/parameters-not-used",
                                    "parameters() must list the very Values the output is "
                                    "computed from (not copies), or training moves nothing."))
        for sign in (1.0, -1.0):  # b moved so that z is positive, then negative
            bias.data = sign * (abs(float(w @ x)) + 0.5) - float(w @ x)
            z = float(w @ x) + float(bias.data)
            out = ex.call(x, fn=neuron, label=f"{label}({x})")
            if not _is_value(out):
                ex.fail(f"{label}({x}) returned {type(out).__name__} {fmt(out)}; expected a "
                        "Value.",
                        mistake("neuron_value/not-a-value",
                                "build the output from the Values, so that backward() can "
                                "reach every parameter."))
            got = float(out.data)
            want = max(0.0, z) if nonlin else z
            ex.close(got, want,
                     f"{label}({x}) is {fmt(got)} with w = {fmt(w)}, b = "
                     f"{fmt(float(bias.data))}; expected {fmt(want)}.",
                     mistakes=[
                         (z - float(bias.data), mistake(
                             "neuron_value/bias-not-added", "your output leaves out the bias.")),
                         (z, mistake("neuron_value/nonlin-ignored",
                                     "nonlin=True asks for the ReLU of w · x + b.")),
                         (max(0.0, z), mistake("neuron_value/relu-always",
                                               "nonlin=False asks for w · x + b itself: a "
                                               "linear neuron, as in the last layer.")),
                         (np.tanh(z), mistake("neuron_value/tanh-for-relu",
                                              "the hidden neurons here use the ReLU you just "
                                              "added to Value, not tanh.")),
                     ],
                     hint=mistake("neuron_value/wrong-output",
                                  "a neuron computes the weighted sum of its inputs plus the "
                                  "bias, then its activation."))
