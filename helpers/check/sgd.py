"""Checks for notebook 05, stochastic gradient descent and better optimisers."""

from __future__ import annotations

import copy
import math

import numpy as np

from ..losses import MSELoss
from ..nn import Linear, Sequential, Tanh
from . import sgd_questions as questions
from . import sgd_stopping
from ._core import BACKWARD_FROM_LOSS_HINT, Check, exercise, fmt
from .mistakes import mistake

__all__ = ["minibatches", "epoch_loss_example", "train_epoch", "predict_batch_per_epoch",
           "momentum_velocity", "sgd", "adam_m_first_step", "bias_correction", "adam",
           "adam_first_step", "predict_ravine_worst", "ravine_lr_limit",
           "predict_lr_above_limit", "lr_sweep",
           "raw_input_lr_limit", "constant_column_cause",
           "standardize", "early_stopping"]


# --- minibatches -------------------------------------------------------------------------


def _numbered_samples(n: int, d: int = 2, label_shape: str = "(N,)"):
    """X whose column 0 is the sample number, and labels that name their sample (10 × number)."""
    X = np.column_stack([np.arange(n, dtype=float)] + [np.full(n, 0.5 * k) for k in range(1, d)])
    y = 10.0 * np.arange(n)
    return X, (y if label_shape == "(N,)" else y[:, None])


def _epoch(ex: Check, X, y, batch_size, rng, label):
    """The student's batches for one epoch, as a list of (X_batch, y_batch) arrays."""
    batches = ex.call(X, y, batch_size, rng, fn=lambda *a: list(ex.obj(*a)), label=label)
    out = []
    for i, batch in enumerate(batches):
        if not isinstance(batch, (tuple, list)) or len(batch) != 2:
            ex.fail(
                f"{label}: batch {i} is a {type(batch).__name__}; expected a pair "
                "(X_batch, y_batch).",
                mistake("minibatches/not-pairs",
                    "each batch is one pair: the rows of X and, with them, their labels."),
            )
        X_batch = ex.array(batch[0], f"{label}, X of batch {i}")
        y_batch = ex.array(batch[1], f"{label}, y of batch {i}")
        if X_batch.ndim != 2 or X_batch.shape[1] != X.shape[1]:
            ex.fail(
                f"{label}: X of batch {i} has shape {X_batch.shape}; expected (B, {X.shape[1]}).",
                mistake("minibatches/x-rows-wrong",
                    "a batch of X holds whole rows (samples), every column of each; yours "
                    "does not."),
            )
        if y_batch.shape != (len(X_batch), *y.shape[1:]):
            ex.fail(
                f"{label}: y of batch {i} has shape {y_batch.shape} next to X of shape "
                f"{X_batch.shape}; expected {(len(X_batch), *y.shape[1:])}.",
                mistake("minibatches/y-rows-wrong",
                        "a batch of y holds the labels of the batch's rows of X, one per row, "
                        "each with y's shape past its first axis."),
            )
        out.append((X_batch, y_batch))
    return out


@exercise("minibatches")
def minibatches(ex: Check) -> None:
    """One shuffled pass: every sample once, labels with their samples, rng reproducible."""
    n, size = 23, 5
    X, y = _numbered_samples(n)
    label = f"minibatches(X, y, batch_size={size}, rng) with N = {n}"
    batches = _epoch(ex, X, y, size, np.random.default_rng(0), label)
    sizes = [len(bx) for bx, _ in batches]
    seen = np.concatenate([bx[:, 0] for bx, _ in batches]) if batches else np.array([])
    if sorted(set(seen)) != sorted(seen):
        ex.fail(
            f"{label} gave some samples twice in one epoch (and so left others out).",
            mistake("minibatches/with-replacement",
                "your order was drawn with replacement: N random row numbers repeat some rows "
                "and miss others. An epoch needs an order in which every row number appears "
                "once."),
        )
    if len(seen) < n:
        full = [size] * (n // size)
        ex.fail(
            f"{label} gave batches of sizes {sizes}: {n - len(seen)} of the {n} samples "
            "never appear.",
            mistake("minibatches/last-batch-dropped",
                    f"the last, smaller batch (here {n % size} samples) is missing: your loop "
                    "stops before the samples left over when N is not a multiple of "
                    "batch_size.")
            if sizes == full
            else mistake("minibatches/samples-missing",
                         "every sample must appear exactly once per epoch."),
        )
    if len(seen) > n or sorted(seen) != list(range(n)):
        ex.fail(f"{label} gave {len(seen)} samples; expected each of the {n} exactly once.",
                mistake("minibatches/samples-repeated",
                    "some samples came more than once (or rows that are not in X): the "
                    "batches must cut one shuffled order of the N rows, without overlap."))
    want = [size] * (n // size) + [n % size]
    if sizes != want:
        ex.fail(f"{label} gave batches of sizes {sizes}; expected {want}.",
                mistake("minibatches/wrong-sizes",
                    "every batch but the last holds batch_size samples; only the last may be "
                    "smaller."))
    for bx, by in batches:
        if not np.array_equal(by, 10 * bx[:, 0]):
            ex.fail(
                f"{label}: a label ended up next to the wrong sample (X rows "
                f"{fmt(bx[:, 0])} came with labels of rows {fmt(by / 10)}).",
                mistake("minibatches/x-y-shuffled-separately",
                    "X and y were shuffled by two different orders, so the pairs broke: a "
                    "sample must keep its own label."),
            )
    if np.array_equal(seen, np.arange(n)):
        ex.fail(
            f"{label} gave the samples in their original order 0, 1, 2, ...",
            mistake("minibatches/not-shuffled",
                "your batches come in the data's own order: an epoch visits the samples in "
                "a random order, new each epoch."),
        )
    again = _epoch(ex, X, y, size, np.random.default_rng(0), label)
    if not np.array_equal(np.concatenate([bx[:, 0] for bx, _ in again]), seen):
        ex.fail(
            "two runs with np.random.default_rng(0) gave different orders.",
            mistake("minibatches/rng-ignored",
                "your shuffle does not come from the `rng` argument (np.random's global "
                "generator, say), so a run cannot be repeated."),
        )
    shared = np.random.default_rng(1)
    first = _epoch(ex, X, y, size, shared, label)
    second = _epoch(ex, X, y, size, shared, label)
    if np.array_equal(first[0][0], second[0][0]) and np.array_equal(first[1][0], second[1][0]):
        ex.fail(
            "two epochs drawn from the same rng came in the same order.",
            mistake("minibatches/same-order-each-epoch",
                "every epoch comes in the same order: a generator made inside the function "
                "from a fixed seed starts over at each call, ignoring where `rng` is."),
        )
    for n, size, shape in ((12, 12, "(N,)"), (7, 1, "(N, 1)"), (5, 8, "(N,)")):
        X, y = _numbered_samples(n, 3, shape)
        label = f"minibatches(X, y, batch_size={size}, rng) with N = {n}, y of shape {shape}"
        batches = _epoch(ex, X, y, size, ex.rng, label)
        got = sorted(np.concatenate([bx[:, 0] for bx, _ in batches]))
        want = [min(size, n)] * (n // min(size, n)) + ([n % size] if n % size and size < n else [])
        if [len(bx) for bx, _ in batches] != want or got != list(range(n)):
            ex.fail(f"{label} gave batches of sizes {[len(bx) for bx, _ in batches]}; "
                    f"expected {want}, every sample once.",
                    mistake("minibatches/wrong-batch-count",
                        "at the edges the batches go wrong: a batch_size of N (or more) makes "
                        "one batch of all samples, and 1 makes N batches of one."))
        for bx, by in batches:
            if not np.array_equal(np.ravel(by), 10 * bx[:, 0]):
                ex.fail(f"{label}: a label ended up next to the wrong sample.",
                        mistake("minibatches/x-y-mismatched",
                            "a label came with another sample's row: X and y must be cut by "
                            "the same row numbers."))


@exercise("epoch_loss_example", kind="value")
def epoch_loss_example(ex: Check) -> None:
    """EPOCH_LOSS_EXAMPLE: the mean loss per sample of batches of 4, 4, 2 (losses 1, 1, 4)."""
    questions.epoch_loss_example(ex)


# --- train_epoch -------------------------------------------------------------------------


class _Recorder:
    """What the spies saw, in order: ("forward", rows), ("loss", value, n), ("backward",), ..."""

    def __init__(self):
        self.events: list[tuple] = []

    def kinds(self) -> list[str]:
        return [event[0] for event in self.events]


class _SpyModel:
    """A reference MLP that records which rows each forward saw and when backward ran."""

    def __init__(self, net, recorder):
        self.net, self.recorder = net, recorder

    def forward(self, x):
        self.recorder.events.append(("forward", np.asarray(x)[:, 0].round().astype(int)))
        return self.net.forward(x)

    __call__ = forward

    def backward(self, dout):
        if np.ndim(dout) == 0:  # the loss value, not its gradient
            self.recorder.events.append(("scalar backward", dout))
        self.recorder.events.append(("backward",))
        return self.net.backward(dout)

    def parameters(self):
        return self.net.parameters()


class _SpyLoss:
    """MSELoss that records each batch's loss and size."""

    def __init__(self, recorder):
        self.loss, self.recorder = MSELoss(), recorder

    def forward(self, pred, y):
        value = self.loss.forward(pred, y)
        self.recorder.events.append(("loss", value, len(pred)))
        return value

    __call__ = forward

    def backward(self):
        self.recorder.events.append(("loss backward",))
        return self.loss.backward()


class _SpySGD:
    """Plain SGD that records its steps."""

    def __init__(self, model, lr, recorder):
        self.model, self.lr, self.recorder = model, lr, recorder

    def step(self):
        self.recorder.events.append(("step",))
        for param, grad in self.model.parameters():
            param -= self.lr * grad


def _regression_data(rng, n):
    """Inputs whose column 0 numbers the samples (scaled down in the net) and smooth targets."""
    X = np.column_stack([np.arange(n, dtype=float), rng.normal(size=(n, 2))])
    y = np.sin(X[:, 1:2]) + 0.5 * X[:, 2:3]
    return X, y


def _net(seed):
    rng = np.random.default_rng(seed)
    net = Sequential(Linear(3, 6, rng), Tanh(), Linear(6, 1, rng))
    net.layers[0].W[0] *= 1e-3  # column 0 only names the sample: keep its effect small
    return net


def _run_epoch(ex: Check, net, X, y, batch_size, seed, label):
    recorder = _Recorder()
    model, loss = _SpyModel(net, recorder), _SpyLoss(recorder)
    optimizer = _SpySGD(model, 0.05, recorder)
    try:
        out = ex.call(model, loss, optimizer, X, y, batch_size, np.random.default_rng(seed),
                      label=label)
    finally:
        scalar = [event for event in recorder.events if event[0] == "scalar backward"]
        if scalar:
            ex.fail(f"{label} called model.backward with a single number, "
                    f"{fmt(scalar[0][1])}: the loss value.", BACKWARD_FROM_LOSS_HINT)
    return out, recorder


def _second_forward(ex: Check, rec: _Recorder, label: str, n_batches: int) -> None:
    """Each batch's rows went forward twice in a row: the loss measured again, after the step
    (or a spare pass before it)."""
    forwards = [i for i, event in enumerate(rec.events) if event[0] == "forward"]
    if len(forwards) != 2 * n_batches:
        return
    pairs = [(forwards[k], forwards[k + 1]) for k in range(0, len(forwards), 2)]
    if not all(np.array_equal(rec.events[a][1], rec.events[b][1]) for a, b in pairs):
        return
    after_step = any(event[0] == "step" for a, b in pairs for event in rec.events[a:b])
    where = "the second time after optimizer.step()" if after_step else "both before its step"
    ex.fail(
        f"{label} ran forward twice on each of the {n_batches} batches ({len(forwards)} "
        f"forward passes), {where}.",
        mistake("train_epoch/loss-after-step",
                "each batch's loss was measured a second time, after its step: the loss an "
                "epoch reports is the one each batch computed for its own step, before the "
                "weights moved, and a second forward pass costs a whole pass more.")
        if after_step else
        mistake("train_epoch/forward-twice",
                "each batch went forward twice before its step: one forward pass gives both "
                "the batch's loss and what the backward pass needs."),
    )


def _replay(net, X, y, batches, lr=0.05):
    """The parameters after the textbook loop over the given batches, in the given order."""
    loss = MSELoss()
    for rows in batches:
        loss.forward(net.forward(X[rows]), y[rows])
        net.backward(loss.backward())
        for param, grad in net.parameters():
            param -= lr * grad
    return [param for param, _ in net.parameters()]


@exercise("train_epoch")
def train_epoch(ex: Check) -> None:
    """One epoch of mini-batch training; returns the sample-weighted mean of the batch losses."""
    n, size = 10, 4
    X, y = _regression_data(ex.rng, n)
    label = f"train_epoch(model, loss_fn, optimizer, X, y, batch_size={size}, rng) with N = {n}"
    net = _net(1)
    start = copy.deepcopy(net)
    out, rec = _run_epoch(ex, net, X, y, size, 0, label)
    kinds = rec.kinds()
    batches = [event[1] for event in rec.events if event[0] == "forward"]
    losses = [(event[1], event[2]) for event in rec.events if event[0] == "loss"]
    n_batches = math.ceil(n / size)
    if not batches:
        ex.fail(f"{label} never called model.forward.",
                mistake("train_epoch/not-batches",
                    "no forward pass ran: an epoch trains the model on every batch of "
                    "your minibatches."))
    _second_forward(ex, rec, label, n_batches)
    seen = sorted(np.concatenate(batches))
    if len(batches) != n_batches or seen != list(range(n)):
        ex.fail(
            f"{label} ran forward on {len(batches)} batches of sizes "
            f"{[len(b) for b in batches]}; expected {n_batches} batches covering each sample once.",
            mistake("train_epoch/forward-calls",
                "the forward passes did not see each batch of one epoch exactly once: "
                "look at what your loop runs over, and how often."),
        )
    if len(losses) != n_batches:
        ex.fail(f"{label} computed the loss {len(losses)} times for {n_batches} batches.",
                mistake("train_epoch/loss-calls",
                    "each batch's loss is measured once, on that batch's prediction."))
    for what, call in (("loss backward", "loss_fn.backward()"), ("backward", "model.backward"),
                       ("step", "optimizer.step()")):
        if kinds.count(what) != n_batches:
            ex.fail(
                f"{label} called {call} {kinds.count(what)} times for {n_batches} batches.",
                mistake("train_epoch/step-missing",
                    f"{call} is missing or repeated: each batch takes one whole step of "
                    "notebook 04's loop, from the forward pass to the optimizer's step."),
            )
    order = [k for k in kinds if k in ("forward", "loss", "loss backward", "backward", "step")]
    if order != ["forward", "loss", "loss backward", "backward", "step"] * n_batches:
        ex.fail(
            f"{label} called the steps of a batch in the order {order[:5]}.",
            mistake("train_epoch/wrong-order",
                "a step ran before the gradients it needs: optimizer.step() uses the "
                "gradients that this batch's backward pass computes."),
        )
    want_params = _replay(start, X, y, batches)
    for got, want in zip((p for p, _ in net.parameters()), want_params, strict=False):
        if not np.allclose(got, want, rtol=1e-6, atol=1e-9):
            ex.fail(
                f"after {label} the weights differ from forward, backward and one optimizer "
                "step per batch.",
                mistake("train_epoch/wrong-gradient",
                    "the calls came in the right order, but the weights moved differently: "
                    "model.backward got something other than the loss's gradient, or the "
                    "steps moved a copy of the model."),
            )
    value = ex.array(out, label, shape=())
    values = np.array([v for v, _ in losses])
    counts = np.array([c for _, c in losses])
    want = float(np.sum(values * counts) / n)
    ex.close(
        value,
        want,
        f"{label} returned {fmt(value)}; the batch losses were {fmt(values)} on batches of "
        f"{fmt(counts)} samples, whose average per sample is {want:.6g}.",
        mistakes=[
            (values.mean(), mistake("train_epoch/mean-of-batch-means",
                                "that is the plain mean of the batch losses, which counts each "
             "sample of the small last batch more than the others.")),
            (values.sum(), mistake("train_epoch/sum-of-batch-losses",
                               "that is the sum of the batch losses, a number that grows with "
                               "the number of batches, not a mean per sample.")),
            (values[-1], mistake("train_epoch/last-batch-loss",
                             "that is the last batch's loss alone, not the whole epoch's.")),
            (values[0], mistake("train_epoch/first-batch-loss",
                            "that is the first batch's loss alone, not the whole epoch's.")),
            (np.sum(values * counts), mistake("train_epoch/weighted-sum-not-divided",
                                          "that is the total loss of all N samples, N times "
                                          "the mean per sample.")),
            (np.sum(values) * size / n, mistake("train_epoch/weights-by-batch-size",
                                            "that counts batch_size samples in every batch, "
             "but the last batch can be smaller: it held fewer samples than you counted.")),
        ],
        hint=mistake("train_epoch/wrong-loss",
                 "your value is none of the usual wrong averages: the result is the mean "
                 "loss per sample over the epoch, each sample counted once."),
    )
    again, rec2 = _run_epoch(ex, _net(1), X, y, size, 0, label)
    batches2 = [event[1] for event in rec2.events if event[0] == "forward"]
    if any(not np.array_equal(a, b) for a, b in zip(batches, batches2, strict=False)):
        ex.fail(
            "two epochs with np.random.default_rng(0) visited the batches in different orders.",
            mistake("train_epoch/rng-ignored",
                "the batches did not come from the `rng` argument, so an epoch cannot be "
                "repeated."),
        )
    _, rec3 = _run_epoch(ex, _net(1), X, y, size, 5, label)
    batches3 = [event[1] for event in rec3.events if event[0] == "forward"]
    if all(np.array_equal(a, b) for a, b in zip(batches, batches3, strict=False)):
        ex.fail(
            "epochs with rng seeds 0 and 5 visited the samples in the same order.",
            mistake("train_epoch/rng-not-passed",
                "the order of the batches ignores the `rng` argument."),
        )
    n, size = 9, 9
    X, y = _regression_data(ex.rng, n)
    label = f"train_epoch(..., batch_size={size}) with N = {n}"
    out, rec = _run_epoch(ex, _net(2), X, y, size, 0, label)
    value = ex.array(out, label, shape=())
    whole = [event[1] for event in rec.events if event[0] == "loss"]
    if len(whole) != 1:
        ex.fail(f"{label} computed the loss {len(whole)} times; with batch_size = N there is "
                "one batch.", mistake("train_epoch/no-batches",
                                  "with batch_size = N an epoch is one batch: your loop ran "
                                  "another number of times."))
    ex.close(value, whole[0], f"with one batch of all {n} samples {label} returned "
             f"{fmt(value)}; expected that batch's loss {whole[0]:.6g}.")


@exercise("predict_batch_per_epoch", kind="value")
def predict_batch_per_epoch(ex: Check) -> None:
    """PREDICT_BATCH_PER_EPOCH: after 20 epochs at lr 0.1, B = 1 or B = N lower?"""
    questions.predict_batch_per_epoch(ex)


@exercise("momentum_velocity", kind="value")
def momentum_velocity(ex: Check) -> None:
    """MOMENTUM_VELOCITY: where v settles for g = 2, η = 0.1, μ = 0.9."""
    questions.momentum_velocity(ex)


# --- optimisers: a small model whose gradients the check sets ------------------------------


class _ToyModel:
    """Parameters and gradients; ``set_gradients`` puts in new gradient arrays, as backward does."""

    def __init__(self, params):
        self.params = [np.array(p, dtype=float) for p in params]
        self.grads = [np.zeros_like(p) for p in self.params]

    def parameters(self):
        return zip(self.params, self.grads, strict=False)

    def set_gradients(self, grads, rebind=True):
        if rebind:  # backward makes new arrays: pairs saved earlier would hold stale ones
            self.grads = [np.array(g, dtype=float) for g in grads]
        else:
            for mine, g in zip(self.grads, grads, strict=False):
                mine[...] = g


def _gradient_sequence(ex: Check, shapes, steps):
    return [[ex.rng.normal(size=s) for s in shapes] for _ in range(steps)]


def _simulate(params, grads_seq, update):
    """Run ``update(state, params, grads, t)`` (a pure rule) over the sequence; final params."""
    params = [np.array(p, dtype=float) for p in params]
    state: dict = {}
    for t, grads in enumerate(grads_seq, start=1):
        params = update(state, params, grads, t)
    return params


def _run_student(ex: Check, make, params, grads_seq, label, *, warning_hint=None,
                 rebind=True):
    """Build the student's optimiser on a toy model, step through the gradients; final params."""
    model = _ToyModel(params)
    originals = list(model.params)
    optimizer = ex.call(model, fn=make, label=label)
    if not callable(getattr(optimizer, "step", None)):
        ex.fail(f"{label} has no step() method.", mistake("optimizer/no-step",
                                                      "the class needs a method named step, "
                                                      "which train_epoch calls."))
    for grads in grads_seq:
        model.set_gradients(grads, rebind)
        ex.call(fn=optimizer.step, label=f"{label}.step()", warning_hint=warning_hint)
    if any(p is not q for p, q in zip(model.params, originals, strict=False)):
        ex.fail(f"{label}.step() replaced the model's parameter arrays.",
                mistake("optimizer/rebinds-parameter",
                    "your step() put new arrays into the model in place of its own: the layers "
                    "(and anything else holding those arrays) must see their arrays change."))
    return model.params


def _unchanged_hint(ex: Check, make, params, grads_seq, label) -> str:
    """Why step() left the parameters alone: stale gradients, or no in-place update."""
    moved = _run_student(ex, make, params, grads_seq[:1], label, rebind=False)
    if any(not np.allclose(a, b) for a, b in zip(moved, params, strict=False)):
        return (mistake("optimizer/stale-parameters",
                    "your step() read gradients that never change: the pairs kept from "
                    "__init__ still hold the first gradient arrays, while each backward puts "
                    "new ones in the model."))
    return (mistake("optimizer/not-in-place",
                "your step() computed new values but bound them to a local name: `param = "
                "<new array>` leaves the model's array unchanged."))


def _flat(arrays) -> np.ndarray:
    return np.concatenate([np.ravel(a) for a in arrays])


def _expect_steps(ex: Check, make, params, grads_seq, label, want, message, mistakes=(),
                  warning_hint=None, show_expected=True) -> None:
    """Step the student's optimiser through ``grads_seq``; the parameters must equal ``want``.

    ``mistakes`` pairs the parameters a known bug would reach with the hint naming it.
    ``show_expected=False`` keeps the right parameters out of the message, where they would
    answer a later question (Adam's first step is ADAM_FIRST_STEP's answer).
    """
    got = _run_student(ex, make, params, grads_seq, label, warning_hint=warning_hint)
    if all(np.allclose(g, p) for g, p in zip(got, params, strict=False)):
        ex.fail(f"{label}.step() left the parameters unchanged.",
                _unchanged_hint(ex, make, params, grads_seq, label))
    ex.close(
        _flat(got),
        _flat(want),
        f"{message} Your parameters: {fmt(_flat(got))}"
        + (f"; expected {fmt(_flat(want))}." if show_expected else "."),
        mistakes=[(_flat(wrong), hint) for wrong, hint in mistakes],
        rtol=1e-6,
        atol=1e-9,
    )


# --- SGD ------------------------------------------------------------------------------------


def _sgd_rule(lr, momentum, *, shared=False, form="classic"):
    """v ← μ v − η g; θ ← θ + v (the form θ −= η v with v ← μ v + g gives the same θ).

    ``form`` names other momentum rules a student may know: "dampened" (v ← μ v + (1 − μ) g,
    θ −= η v) and "nesterov" (v ← μ v + g, θ −= η (g + μ v)).
    """

    def update(state, params, grads, t):
        out = []
        for i, (p, g) in enumerate(zip(params, grads, strict=False)):
            key = 0 if shared else i
            if form == "dampened":
                state[key] = momentum * state.get(key, 0.0) + (1 - momentum) * g
                out.append(p - lr * state[key])
            elif form == "negated-decay":  # the old velocity's sign flipped each step
                state[key] = -momentum * state.get(key, 0.0) - lr * g
                out.append(p + state[key])
            elif form == "nesterov":
                state[key] = momentum * state.get(key, 0.0) + g
                out.append(p - lr * (g + momentum * state[key]))
            else:
                state[key] = momentum * state.get(key, 0.0) - lr * g
                out.append(p + state[key])
        return out

    return update


def _momentum_trial(ex: Check, SGD, lr: float = 0.1, mu: float = 0.9) -> None:
    """Five momentum steps on two parameters of the same shape (so a shared velocity runs)."""
    shapes = [(3,), (3,)]
    params = [ex.rng.normal(size=s) for s in shapes]
    seq = _gradient_sequence(ex, shapes, 5)

    def rule(momentum=mu, **variant):
        return _simulate(params, seq, _sgd_rule(lr, momentum, **variant))

    label = f"SGD(model, lr={lr}, momentum={mu})"
    _expect_steps(
        ex, lambda model: SGD(model, lr=lr, momentum=mu), params, seq, label, rule(),
        f"after 5 steps of {label} with two parameters the values differ from "
        "v ← μ v − η g, θ ← θ + v.",
        [
            (rule(0.0), _NO_MOMENTUM_HINT),
            (rule(shared=True), mistake("sgd/shared-velocity",
                                    "all parameters share one velocity: the gradient of one "
                                    "parameter pushes the others.")),
            (rule(1 - mu), mistake("sgd/one-minus-momentum",
                               "your velocity keeps 1 − momentum of itself at each step, where "
                               "it keeps the fraction momentum.")),
            (rule(form="negated-decay"), mistake("sgd/velocity-sign-flipped",
                                             "your velocity changes sign at every step before "
             "the gradient is added: the old velocity enters with the wrong sign.")),
            (rule(form="dampened"), mistake("sgd/dampened-momentum",
                                        "that is a dampened (averaging) momentum, whose velocity "
             "adds only (1 − μ) of each gradient, so its steps are (1 − μ) times shorter than "
             "the course's momentum, whose velocity takes in the whole step −η g.")),
            (rule(form="nesterov"), mistake("sgd/nesterov-momentum",
                                        "that is Nesterov momentum, which steps from the "
             "looked-ahead point (g + μ v); the course's SGD uses the classic momentum of the "
             "text.")),
        ],
    )


_NO_MOMENTUM_HINT = mistake(
    "sgd/momentum-no-effect",
    "your steps are those of plain SGD: the velocity starts from zero at every step (or "
    "momentum is never used), so the run behaves as if momentum were 0. A velocity made "
    "inside step() starts afresh at each call, and so does one read from self and then "
    "rebound with `v = ...`: that makes a new array and leaves the one stored on self "
    "unchanged.")


@exercise("sgd", kind="class")
def sgd(ex: Check) -> None:
    """SGD(model, lr, momentum=0.0): θ ← θ + v with v ← μ v − η g, one v per parameter."""
    SGD = ex.obj
    params = [np.array([1.0, -2.0]), np.array([0.5, 0.0])]
    grads = [np.array([1.0, 2.0]), np.array([-4.0, 1.0])]
    _expect_steps(
        ex, lambda model: SGD(model, lr=0.1), params, [grads], "SGD(model, lr=0.1)",
        [p - 0.1 * g for p, g in zip(params, grads, strict=False)],
        "one step with lr = 0.1 from θ = [1, -2] (gradient [1, 2]) and [0.5, 0] "
        "(gradient [-4, 1]) should give [0.9, -2.2] and [0.9, -0.1].",
        [
            ([p + 0.1 * g for p, g in zip(params, grads, strict=False)],
             mistake("sgd/climbs", "your step went uphill: every parameter moved by +lr · g, "
                     "along its gradient. Look at the sign with which the gradient enters "
                     "the velocity, and the velocity enters the parameter.")),
            ([p - g for p, g in zip(params, grads, strict=False)],
                mistake("sgd/lr-missing",
                        "every parameter moved by its whole gradient: the step ignores lr.")),
        ],
    )
    for _ in range(ex.trials):
        _momentum_trial(ex, SGD)
    # the shapes of a real layer, W (3, 2) and b (2,); lr and momentum passed by position
    params = [ex.rng.normal(size=(3, 2)), ex.rng.normal(size=2)]
    seq = _gradient_sequence(ex, [(3, 2), (2,)], 4)
    label = "SGD(model, 0.05, 0.5)"
    _expect_steps(
        ex, lambda model: SGD(model, 0.05, 0.5), params, seq, label,
        _simulate(params, seq, _sgd_rule(0.05, 0.5)),
        f"after 4 steps of {label} on W (3, 2) and b (2,) the values differ from "
        "v ← μ v − η g, θ ← θ + v.",
    )


@exercise("adam_m_first_step", kind="value")
def adam_m_first_step(ex: Check) -> None:
    """ADAM_M_FIRST_STEP: m after one step from 0, β1 = 0.9, g = 1."""
    questions.adam_m_first_step(ex)


@exercise("bias_correction")
def bias_correction(ex: Check) -> None:
    """bias_correction(beta, t): what m after t steps of a constant g is divided by."""
    questions.bias_correction(ex)


# --- Adam -----------------------------------------------------------------------------------


def _adam_rule(lr, b1, b2, eps, *, correct=True, frozen_t=None, t_per_param=False,
               swapped=False, shared=False, eps_inside=False, efficient=False,
               store_hat=False, abs_g=False, weights_swapped=False, t_offset=0):
    """The Adam update, or one of its classic bugs (named by the keyword arguments).

    ``correct``: True, False, or "m" / "v" for a correction of that moment only;
    ``store_hat``: the corrected moments stored back as the running means;
    ``abs_g``: |g| in place of g² in v; ``weights_swapped``: β and 1 − β exchanged in both
    running means; ``t_offset``: the correction uses t + offset.
    """
    if swapped:
        b1, b2 = b2, b1

    def update(state, params, grads, t):
        out = []
        for i, (p, g) in enumerate(zip(params, grads, strict=False)):
            if t_per_param:
                state["t"] = state.get("t", 0) + 1
            step = state["t"] if t_per_param else t if frozen_t is None else frozen_t
            step += t_offset
            key = 0 if shared else i
            keep1, keep2 = (1 - b1, 1 - b2) if weights_swapped else (b1, b2)
            square = np.abs(g) if abs_g else g * g
            m = keep1 * state.get(("m", key), 0.0) + (1 - keep1) * g
            v = keep2 * state.get(("v", key), 0.0) + (1 - keep2) * square
            state[("m", key)], state[("v", key)] = m, v
            if efficient:  # Kingma & Ba's "efficient" form: the correction folded into lr
                rate = lr * np.sqrt(1 - b2**step) / (1 - b1**step)
                out.append(p - rate * m / (np.sqrt(v) + eps))
                continue
            if correct in (True, "m"):
                m = m / (1 - b1**step)
            if correct in (True, "v"):
                v = v / (1 - b2**step)
            if store_hat:
                state[("m", key)], state[("v", key)] = m, v
            denominator = np.sqrt(v + eps) if eps_inside else np.sqrt(v) + eps
            out.append(p - lr * m / denominator)
        return out

    return update


_ADAM_T_HINT = (
    mistake("adam/step-counter-zero",
        "your bias correction divided by zero: the step counter t was still 0 when the "
        "first step's correction used it, and 1 − β⁰ = 0, though m and v had already taken "
        "in one gradient.")
)

_ADAM_NAMED = {
    "store_hat": mistake("adam/corrected-moments-stored",
        "your first step is right, the later ones are not: the bias-corrected means went "
        "back into m and v, so the next step starts its running mean from a corrected value "
        "and corrects it again. The corrected means are for the update only."),
    "abs_g": mistake("adam/abs-not-square",
        "your v is a running mean of |g|, not of g²: the step is then divided by the root "
        "of a mean absolute value."),
    "weights_swapped": mistake("adam/decay-and-weight-swapped",
        "your running means keep 1 − β of the old value and take β of the new one: the "
        "weights are exchanged, so m follows the latest gradient almost alone."),
    "t_offset": mistake("adam/bias-correction-off-by-one",
        "your bias correction is one step ahead: at the first step() it corrects m and v "
        "as if two steps had been taken."),
    "only_m": mistake("adam/only-m-corrected",
        "only m is bias-corrected: v, which starts at 0 too, stays too small while t is "
        "small, so the first steps are too long."),
    "only_v": mistake("adam/only-v-corrected",
        "only v is bias-corrected: m, which starts at 0 too, stays too small while t is "
        "small, so the first steps are too short."),
}


def _adam_named(rule) -> list[tuple]:
    """The bugs of issue 23 that every Adam test point names: (their parameters, hint)."""
    return [(rule(store_hat=True), _ADAM_NAMED["store_hat"]),
            (rule(abs_g=True), _ADAM_NAMED["abs_g"]),
            (rule(weights_swapped=True), _ADAM_NAMED["weights_swapped"]),
            (rule(t_offset=1), _ADAM_NAMED["t_offset"]),
            (rule(correct="m"), _ADAM_NAMED["only_m"]),
            (rule(correct="v"), _ADAM_NAMED["only_v"])]


def _adam_trial(ex: Check, Adam, lr: float = 0.01) -> None:
    """Six Adam steps on two parameters of the same shape, against the rule and its bugs."""
    shapes = [(3,), (3,)]
    params = [ex.rng.normal(size=s) for s in shapes]
    seq = _gradient_sequence(ex, shapes, 6)

    def rule(**variant):
        return _simulate(params, seq, _adam_rule(lr, 0.9, 0.999, 1e-8, **variant))

    label = f"Adam(model, lr={lr})"
    _expect_steps(
        ex, lambda model: Adam(model, lr=lr), params, seq, label, rule(),
        f"after 6 steps of {label} with two parameters the values differ from the Adam "
        "update rule.",
        [
            (rule(frozen_t=1), mistake("adam/t-not-incremented",
                                   "your step counter t stays at 1, so every step gets the "
                                   "first step's bias correction, which should fade as t "
                                   "grows.")),
            (rule(t_per_param=True), mistake("adam/t-per-parameter",
                                         "your t grows once per parameter, not once per "
                                         "step(): with two parameters it counts two steps "
                                         "per step.")),
            (rule(swapped=True), mistake("adam/betas-swapped",
                                     "β1 and β2 are swapped: your m (the mean of g) decays "
                                     "with 0.999 and your v (the mean of g²) with 0.9.")),
            (rule(correct=False), mistake("adam/no-bias-correction",
                                      "your steps are Adam's without the bias correction: m "
                                      "and v are used as they are, too small while t is "
                                      "small.")),
            (rule(shared=True), mistake("adam/shared-moments",
                                    "all parameters share one m and one v: each parameter's "
                                    "gradient leaks into the others' means.")),
            *_adam_named(rule),
        ],
        warning_hint=_ADAM_T_HINT,
    )


@exercise("adam", kind="class")
def adam(ex: Check) -> None:
    """Adam(model, lr, beta1, beta2, eps): bias-corrected moments, one pair per parameter."""
    Adam = ex.obj
    params = [np.array([1.0, -2.0]), np.array([0.5, 0.0])]
    first = [[np.array([3.0, -0.5]), np.array([0.25, -8.0])]]
    _expect_steps(
        ex, lambda model: Adam(model, lr=0.1), params, first, "Adam(model, lr=0.1)",
        _simulate(params, first, _adam_rule(0.1, 0.9, 0.999, 1e-8)),
        "after one step of Adam(model, lr=0.1) from θ = [1, -2] (gradient [3, -0.5]) and "
        "[0.5, 0] (gradient [0.25, -8]) the values differ from the Adam update rule.",
        [
            (_simulate(params, first, _adam_rule(0.1, 0.9, 0.999, 1e-8, correct=False)),
             mistake("adam/no-bias-correction-first-step",
                 "your first step is too long: m and v were used without the bias "
                 "correction, and after one step from 0 each holds only a small fraction of "
                 "what it estimates, the two fractions not cancelling in m / √v.")),
            ([p + 0.1 * np.sign(g) for p, g in zip(params, first[0], strict=False)],
             mistake("adam/climbs",
                 "your step went uphill: every parameter moved in the direction of its "
                 "gradient, where Adam moves each one against it.")),
            (_simulate(params, first, _adam_rule(0.1, 0.9, 0.999, 1e-8, t_per_param=True)),
             mistake("adam/t-per-parameter",
                 "your t grows once per parameter, not once per step(): the second "
                 "parameter's first step was corrected as if it were step 2.")),
            *_adam_named(lambda **variant: _simulate(
                params, first, _adam_rule(0.1, 0.9, 0.999, 1e-8, **variant))),
        ],
        warning_hint=_ADAM_T_HINT,
        show_expected=False,
    )
    for _ in range(ex.trials):
        _adam_trial(ex, Adam)
    # other hyperparameters, and the shapes of a real layer: W (3, 2) and b (2,)
    params = [ex.rng.normal(size=(3, 2)), ex.rng.normal(size=2)]
    seq = _gradient_sequence(ex, [(3, 2), (2,)], 5)
    label = "Adam(model, lr=0.05, beta1=0.8, beta2=0.95, eps=0.1)"

    def rule(b1=0.8, b2=0.95, eps=0.1, **variant):
        return _simulate(params, seq, _adam_rule(0.05, b1, b2, eps, **variant))

    _expect_steps(
        ex, lambda model: Adam(model, lr=0.05, beta1=0.8, beta2=0.95, eps=0.1), params, seq,
        label, rule(),
        f"after 5 steps of {label} on W (3, 2) and b (2,) the values differ from the Adam "
        "update rule.",
        [
            (rule(0.9, 0.999), mistake("adam/fixed-betas",
                                   "your Adam ignored the beta1 and beta2 it was given and "
                                   "used 0.9 and 0.999.")),
            (rule(eps=1e-8), mistake("adam/fixed-eps",
                                     "your Adam ignored the eps it was given and used 1e-8.")),
            (rule(swapped=True), mistake("adam/beta-arguments-swapped",
                                     "β1 and β2 are swapped: your m (the mean of g) decays "
                                     "with beta2 and your v (the mean of g²) with beta1.")),
            (rule(eps_inside=True), mistake("adam/eps-inside-sqrt",
                                        "your eps sits inside the square root, where the text "
                                        "adds it to √v̂.")),
            (rule(efficient=True), mistake("adam/paper-efficient-form",
                                       "that is the Adam paper's \"efficient\" form, which "
             "folds the bias correction into the learning rate and so puts eps in another "
             "place; with eps = 0.1 the difference shows. The course's Adam corrects the "
             "moments themselves, as the text's update does.")),
            *_adam_named(rule),
        ],
        warning_hint=_ADAM_T_HINT,
    )


@exercise("adam_first_step", kind="value")
def adam_first_step(ex: Check) -> None:
    """ADAM_FIRST_STEP: Adam's first update from (−9, 2) at lr 0.5."""
    questions.adam_first_step(ex)


@exercise("predict_ravine_worst", kind="value")
def predict_ravine_worst(ex: Check) -> None:
    """PREDICT_RAVINE_WORST: which of momentum, RMSProp, Adam has the largest loss."""
    questions.predict_ravine_worst(ex)


@exercise("ravine_lr_limit", kind="value")
def ravine_lr_limit(ex: Check) -> None:
    """RAVINE_LR_LIMIT: the largest rate at which plain GD's |θ2| does not grow."""
    questions.ravine_lr_limit(ex)


@exercise("predict_lr_above_limit", kind="value")
def predict_lr_above_limit(ex: Check) -> None:
    """PREDICT_LR_ABOVE_LIMIT: what |θ2| does at lr 1.05 in 40 steps."""
    questions.predict_lr_above_limit(ex)


@exercise("lr_sweep")
def lr_sweep(ex: Check) -> None:
    """lr_sweep(...): fresh runs, validation losses, the rate chosen on them."""
    questions.lr_sweep(ex)


@exercise("raw_input_lr_limit", kind="value")
def raw_input_lr_limit(ex: Check) -> None:
    """RAW_INPUT_LR_LIMIT: the largest stable rate for a linear neuron on inputs of 500."""
    questions.raw_input_lr_limit(ex)


@exercise("constant_column_cause", kind="value")
def constant_column_cause(ex: Check) -> None:
    """CONSTANT_COLUMN_CAUSE: why that spread is not 0."""
    questions.constant_column_cause(ex)


# --- standardize ----------------------------------------------------------------------------


def _scale(X, mean, std):
    return (X - mean) / np.where(std > 0, std, 1.0)


def _arrays(ex: Check, out, inputs, label):
    """The student's result as one array per input, each of its input's shape."""
    if not isinstance(out, (tuple, list)) or len(out) != len(inputs):
        what = (f"a {type(out).__name__} of {len(out)} items"
                if isinstance(out, (tuple, list)) else type(out).__name__)
        ex.fail(
            f"{label} returned {what}; expected a tuple of {len(inputs)} arrays, one per "
            "argument.",
            mistake("standardize/wrong-count",
                "the result holds one array per argument, X_train first and then each array "
                "of *others, in order, as a tuple."),
        )
    return [ex.array(a, f"array {i + 1} of {label}", shape=np.shape(x))
            for i, (a, x) in enumerate(zip(out, inputs, strict=False))]


@exercise("standardize")
def standardize(ex: Check) -> None:
    """standardize(X_train, *others): every array scaled by the training mean and std."""
    scales, offsets = np.array([1.0, 100.0, 0.01]), np.array([5.0, -300.0, 0.0])
    ddof = 0
    for _ in range(ex.trials):
        X_train = offsets + scales * ex.rng.normal(size=(40, 3))
        X_test = offsets + 2 * scales + 3 * scales * ex.rng.normal(size=(15, 3))  # shifted, wider
        X_val = offsets + scales * ex.rng.normal(size=(7, 3))
        label = "standardize(X_train, X_test, X_val)"
        inputs = (X_train, X_test, X_val)
        got_train, *got_others = _arrays(ex, ex.call(*inputs, label=label), inputs, label)
        mean = X_train.mean(axis=0)
        everything = np.concatenate(inputs)
        # np.std's population formula (ddof=0) and the sample formula (ddof=1) are both fine
        matches = [d for d in (0, 1) if np.allclose(
            got_train, _scale(X_train, mean, X_train.std(axis=0, ddof=d)), rtol=1e-5)]
        if not matches:
            std = X_train.std(axis=0)
            ex.diagnose(
                got_train,
                "the standardised X_train should have column means 0 and standard deviations "
                f"1; yours has means {fmt(got_train.mean(axis=0))} and standard deviations "
                f"{fmt(got_train.std(axis=0))}.",
                mistakes=[
                    (X_train - mean, mistake("standardize/centred-only",
                                         "your columns are centred (mean 0) but keep their "
                                         "spread: their standard deviations are not 1.")),
                    ((X_train - mean) / std**2, mistake("standardize/variance",
                                                    "your columns were divided by their "
                                                    "variance, the square of the spread.")),
                    ((X_train - X_train.mean()) / X_train.std(),
                        mistake("standardize/no-axis",
                                "one mean and one standard deviation of the whole array "
                                "scaled every column alike: the columns differ, each needs "
                                "its own.")),
                    ((X_train - X_train.mean(axis=1, keepdims=True))
                     / X_train.std(axis=1, keepdims=True),
                         mistake("standardize/row-statistics",
                                 "your statistics run along each row, across features; rows "
                                 "are samples, and each column (feature) needs its own.")),
                    (X_train / std, mistake("standardize/not-centred",
                                        "your columns were divided by their spread but not "
                                        "centred: their means are not 0.")),
                    (_scale(X_train, everything.mean(axis=0), everything.std(axis=0)),
                     mistake("standardize/pooled-statistics",
                         "the statistics came from all arrays together, so the test data leaks "
                         "into the preprocessing.")),
                ],
                hint=mistake("standardize/wrong-value",
                         "your X_train is none of the usual near misses: each column should "
                         "come out with mean 0 and standard deviation 1."),
                rtol=1e-5,
            )
        ddof = matches[0]
        std = X_train.std(axis=0, ddof=ddof)
        for name, X, got in zip(("X_test", "X_val"), inputs[1:], got_others, strict=False):
            ex.close(
                got,
                _scale(X, mean, std),
                f"the standardised {name} should use the mean and standard deviation of "
                f"X_train; its column means came out as {fmt(got.mean(axis=0))}.",
                mistakes=[
                    (_scale(X, X.mean(axis=0), X.std(axis=0, ddof=ddof)),
                        mistake("standardize/own-statistics",
                                f"{name} was scaled by its own statistics: the model "
                                "expects every input scaled the way its training data "
                                "was, and the test set must not shape the preprocessing.")),
                    (_scale(X, everything.mean(axis=0), everything.std(axis=0, ddof=ddof)),
                     mistake("standardize/pooled-statistics",
                         "the statistics came from all arrays together, so the test data leaks "
                         "into the preprocessing.")),
                    (X, mistake("standardize/other-unchanged",
                            f"{name} came back unchanged, not standardised.")),
                ],
                rtol=1e-5,
            )
    X_train = np.array([[1.0, 3.0], [2.0, 3.0], [3.0, 3.0]])
    X_test = np.array([[4.0, 3.0]])
    label = "standardize(X_train, X_test) with a constant column [3, 3, 3]"
    zero_spread = _ZERO_SPREAD_HINT
    out = ex.call(X_train, X_test, label=label, warning_hint=zero_spread)
    got_train, got_test = _arrays(ex, out, (X_train, X_test), label)
    ex.finite(got_train, label, zero_spread)
    std = np.array([X_train[:, 0].std(ddof=ddof), 1.0])
    mean = X_train.mean(axis=0)
    want_train, want_test = _scale(X_train, mean, std), _scale(X_test, mean, std)
    ex.close(got_train, want_train, f"{label} gave {fmt(got_train)} for X_train; expected "
             f"{fmt(want_train)}: a constant column is only centred.", hint=zero_spread)
    ex.close(got_test, want_test, f"{label} gave {fmt(got_test)} for X_test; expected "
             f"{fmt(want_test)}.", hint=zero_spread)
    _zero_column(ex, ddof)
    # a constant column of 0.1s: its computed standard deviation is rounding noise (about
    # 1e-17), not 0, and std > 0 lets it through as a divisor
    X_train = np.column_stack([np.linspace(-1.0, 2.0, 7), np.full(7, 0.1)])
    X_test = np.array([[0.5, 0.3]])
    _constant_column(ex, X_train, X_test, ddof, "standardize(X_train, X_test) with a constant "
                     "column of seven 0.1s")
    # float32 in, float32 out (MNIST's pixels come as float32)
    X_train, X_test = X_train.astype(np.float32), X_test.astype(np.float32)
    label = "standardize(X_train, X_test) with float32 arrays"
    got = _constant_column(ex, X_train, X_test, ddof, label + " and a constant column of 0.1s")
    for name, arr in zip(("X_train", "X_test"), got, strict=True):
        if arr.dtype != np.float32:
            ex.fail(f"{label} returned {name} as {arr.dtype}; expected float32, the dtype it "
                    "was given.", _FLOAT32_HINT)
    _scale_of_the_column(ex, ddof)


_ZERO_SPREAD_HINT = mistake(
    "standardize/zero-spread-division",
    "a column with zero spread was divided by its spread, 0: 0 / 0 gives nan. The text "
    "says what such a column is divided by.",
)

_ROUNDING_NOISE_HINT = mistake(
    "standardize/constant-column-noise",
    "a constant column's computed spread is not 0 but rounding noise (the seven 0.1s above "
    "showed it), and your rule let that noise through as a divisor: the column's tiny "
    "rounding errors, divided by a spread just as tiny, come out at about ±1.",
)

_EPS_HINT = mistake(
    "standardize/eps-added-to-std",
    "dividing by the spread plus a small eps turns a test value that differs from a "
    "constant training column into (x − mean) / eps, a huge number; a constant column "
    "should come out only centred.",
)

_FLOAT32_HINT = mistake(
    "standardize/float32-upcast",
    "float32 came back as float64, which doubles the memory a float32 dataset such as "
    "MNIST takes: somewhere (np.asarray(X, dtype=float), .astype(float), a float64 "
    "constant in an array) your code converted it.",
)

_ABSOLUTE_TOLERANCE_HINT = mistake(
    "standardize/absolute-tolerance",
    "your rule compares the spread with a fixed number, whatever the column's size: rounding "
    "noise grows with the size of the values (a float32 column of 1000.1s has a spread far "
    "above 1e-8), and a real spread shrinks with it (values near 1e-10).",
)

_STRICT_TEST_HINT = mistake(
    "standardize/zero-column-strict-test",
    "a column of zeros (the text's always-black pixel) came out as nan: its spread is "
    "exactly 0, and so is your threshold for it (it scales with the column's size), so "
    "a test that asks for a spread strictly below the threshold, 0 < 0, is false and the "
    "column is divided by 0.",
)


def _scale_of_the_column(ex: Check, ddof: int) -> None:
    """The text's rule must hold for large and small values, in float32 and float64: a
    constant float32 column of 1000.1s is noise of about 6e-5, and a column of real
    differences around 1e-10 is no noise at all."""
    varying = np.linspace(-1.0, 2.0, 7)
    X_train = np.column_stack([varying, np.full(7, 1000.1)]).astype(np.float32)
    X_test = np.array([[0.5, 1000.3]], dtype=np.float32)
    label = "standardize(X_train, X_test) with a float32 constant column of seven 1000.1s"
    out = ex.call(X_train, X_test, label=label, warning_hint=_ZERO_SPREAD_HINT)
    got_train, got_test = _arrays(ex, out, (X_train, X_test), label)
    want = float(X_test[0, 1]) - float(X_train[0, 1])  # only centred: about 0.2
    if not (np.all(np.isfinite(got_test[:, 1])) and abs(float(got_test[0, 1]) - want) < 1e-2):
        ex.fail(f"{label} gave {fmt(got_test[:, 1])} for X_test's value 1000.3 in that column; "
                f"expected about {want:.4f}: a constant column is only centred.",
                _ABSOLUTE_TOLERANCE_HINT)
    small = np.array([1e-10, 3e-10, 2e-10])
    X_train = np.column_stack([varying[:3], small])
    X_test = np.array([[0.5, 2.5e-10]])
    label = "standardize(X_train, X_test) with a column [1e-10, 3e-10, 2e-10]"
    out = ex.call(X_train, X_test, label=label, warning_hint=_ZERO_SPREAD_HINT)
    got_train, got_test = _arrays(ex, out, (X_train, X_test), label)
    want_train = (small - small.mean()) / small.std(ddof=ddof)
    if not np.allclose(got_train[:, 1], want_train, rtol=1e-4):
        ex.fail(f"{label} gave {fmt(got_train[:, 1])} for that column of X_train; expected "
                f"{fmt(want_train)}: its values differ for real, only on a small scale, and "
                "it must be scaled like any other.", _ABSOLUTE_TOLERANCE_HINT)


def _zero_column(ex: Check, ddof: int) -> None:
    """A column of zeros (an always-black pixel) must come back zeros, not nan."""
    X_train = np.array([[1.0, 0.0], [2.0, 0.0], [4.0, 0.0]])
    X_test = np.array([[3.0, 0.0]])
    label = "standardize(X_train, X_test) with a column of zeros in X_train"
    out, _ = ex.call_warnings(X_train, X_test, label=label)
    got_train, got_test = _arrays(ex, out, (X_train, X_test), label)
    if not (np.all(np.isfinite(got_train[:, 1])) and np.all(np.isfinite(got_test[:, 1]))):
        ex.fail(f"{label} gave {fmt(got_train[:, 1])} for the zero column of X_train and "
                f"{fmt(got_test[:, 1])} for X_test's; expected zeros.", _STRICT_TEST_HINT
                if np.all(np.isnan(got_train[:, 1])) else _ZERO_SPREAD_HINT)
    std = np.array([X_train[:, 0].std(ddof=ddof), 1.0])
    mean = X_train.mean(axis=0)
    ex.close(got_train, _scale(X_train, mean, std), f"{label} gave {fmt(got_train)} for "
             f"X_train; expected {fmt(_scale(X_train, mean, std))}: a column of zeros stays "
             "zeros.", hint=_ZERO_SPREAD_HINT)


def _constant_column(ex: Check, X_train, X_test, ddof: int, label: str) -> list[np.ndarray]:
    """Column 0 varies, column 1 is constant: that column must come back only centred."""
    out = ex.call(X_train, X_test, label=label, warning_hint=_ZERO_SPREAD_HINT)
    got_train, got_test = _arrays(ex, out, (X_train, X_test), label)
    ex.finite(got_train, label, _ZERO_SPREAD_HINT)
    ex.finite(got_test, label, _ZERO_SPREAD_HINT)
    wide = np.asarray(X_train, dtype=float), np.asarray(X_test, dtype=float)
    mean = wide[0].mean(axis=0)
    std = np.array([wide[0][:, 0].std(ddof=ddof), 1.0])
    want_train, want_test = (wide[0] - mean) / std, (wide[1] - mean) / std
    single = np.finfo(X_train.dtype).eps > 1e-10  # float32: compare at its precision
    rtol, atol = (1e-4, 1e-5) if single else (1e-5, 1e-7)
    # std + eps leaves a constant training column at about 1e-5: near enough to 0 there
    train_ok = np.allclose(got_train[:, 1], want_train[:, 1], rtol=rtol, atol=1e-3)
    test_ok = np.allclose(got_test[:, 1], want_test[:, 1], rtol=rtol, atol=atol)
    if not (train_ok and test_ok):
        message = (f"{label} gave {fmt(got_train[:, 1])} for the constant column of X_train "
                   f"and {fmt(got_test[:, 1])} for X_test's; expected {fmt(want_train[:, 1])} "
                   f"and {fmt(want_test[:, 1])}: a constant column is only centred, x − mean.")
        noise = X_train[:, 1].std(ddof=ddof)
        centred = (X_train[:, 1] - X_train[:, 1].mean()) / noise if noise > 0 else None
        if centred is not None and np.allclose(got_train[:, 1], centred, rtol=1e-3):
            ex.fail(message, _ROUNDING_NOISE_HINT)
        if train_ok and np.all(np.abs(got_test[:, 1]) > 1e3 * np.abs(want_test[:, 1])):
            ex.fail(message, _EPS_HINT)
        ex.fail(message, _ZERO_SPREAD_HINT)
    ex.close(got_train, want_train, f"{label} gave {fmt(got_train)} for X_train; expected "
             f"{fmt(want_train)}.", rtol=rtol, atol=atol)
    ex.close(got_test, want_test, f"{label} gave {fmt(got_test)} for X_test; expected "
             f"{fmt(want_test)}.", rtol=rtol, atol=atol)
    return [got_train, got_test]


@exercise("early_stopping")
def early_stopping(ex: Check) -> None:
    """early_stopping(...): mini-batch training stopped by patience, best weights restored."""
    sgd_stopping.early_stopping(ex)
