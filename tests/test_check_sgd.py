"""Notebook 05 checks: the references and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import numpy as np
import pytest
from checking import assert_fails, assert_passes, own_copy

from helpers import check, data
from helpers.experiments import sgd as sgd_runs
from helpers.losses import MSELoss
from helpers.optim import SGD, Adam

# --- minibatches ---------------------------------------------------------------------------


def minibatches_shuffle_in_place(X, y, batch_size, rng):
    """Correct too: shuffles an index array with rng.shuffle and yields views."""
    idx = np.arange(len(X))
    rng.shuffle(idx)
    for start in range(0, len(X), batch_size):
        yield X[idx[start : start + batch_size]], y[idx[start : start + batch_size]]


def minibatches_as_list(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [(X[order][i : i + batch_size], y[order][i : i + batch_size])
            for i in range(0, len(X), batch_size)]


@pytest.mark.parametrize("answer", [own_copy(data.minibatches), minibatches_shuffle_in_place,
                                    minibatches_as_list])
def test_minibatches_accepts_correct_iterators(answer, capsys):
    assert_passes(check.minibatches, answer, capsys)


def make_minibatches(separate=False, drop_last=False, replace=False, seeded=True,
                     shuffle=True, fixed_seed=False):
    def minibatches(X, y, batch_size, rng):
        n = len(X)
        source = np.random.default_rng(0) if fixed_seed else rng if seeded else np.random
        if not shuffle:
            order = np.arange(n)
        elif replace:
            order = source.integers(0, n, size=n)
        else:
            order = source.permutation(n)
        order_y = source.permutation(n) if separate else order
        stop = n - n % batch_size if drop_last else n
        for start in range(0, stop, batch_size):
            yield X[order[start : start + batch_size]], y[order_y[start : start + batch_size]]

    return minibatches


def minibatches_shuffle_caller_data(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    X[:] = X[order]  # shuffles the caller's arrays
    y[:] = y[order]
    for start in range(0, len(X), batch_size):
        yield X[start : start + batch_size], y[start : start + batch_size]


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (make_minibatches(separate=True), "shuffled by two different orders",
         "minibatches/x-y-shuffled-separately"),
        (make_minibatches(drop_last=True), "the last, smaller batch (here 3 samples) is missing",
         "minibatches/last-batch-dropped"),
        (make_minibatches(replace=True), "drawn with replacement", "minibatches/with-replacement"),
        (make_minibatches(seeded=False), "two runs with np.random.default_rng(0)",
         "minibatches/rng-ignored"),
        (make_minibatches(shuffle=False), "in the data's own order",
         "minibatches/not-shuffled"),
        (make_minibatches(fixed_seed=True), "every epoch comes in the same order",
         "minibatches/same-order-each-epoch"),
        (minibatches_shuffle_caller_data, "changed its input", "general/input-changed-in-place"),
        (lambda X, y, batch_size, rng: [X[:batch_size]], "expected a pair",
         "minibatches/not-pairs"),
    ],
)
def test_minibatches_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.minibatches, answer, hint, mistake=mistake)


# --- train_epoch ---------------------------------------------------------------------------


def make_train_epoch(average="weighted", step=True, backward=True, step_first=False,
                     use_rng=True, backward_from_loss=False, loss_after_step=False,
                     spare_forward=False):
    def train_epoch(model, loss_fn, optimizer, X, y, batch_size, rng):
        losses, sizes = [], []
        for X_batch, y_batch in data.minibatches(X, y, batch_size, rng if use_rng else None):
            if step_first and step:
                optimizer.step()
            if spare_forward:  # the loss from a pass of its own, then the pass to train on
                loss_before = loss_fn(model(X_batch), y_batch)
            loss = loss_fn(model(X_batch), y_batch)
            if backward_from_loss:
                model.backward(loss)
            elif backward:
                model.backward(loss_fn.backward())
            if step and not step_first:
                optimizer.step()
            if loss_after_step:  # measured again with the weights this step moved
                loss = loss_fn(model(X_batch), y_batch)
            if spare_forward:
                loss = loss_before
            losses.append(loss)
            sizes.append(len(X_batch))
        losses, sizes = np.array(losses), np.array(sizes)
        return {
            "weighted": np.sum(losses * sizes) / len(X),
            "mean of means": np.mean(losses),
            "sum": np.sum(losses),
            "last": losses[-1],
            "batch_size": np.sum(losses) * batch_size / len(X),
        }[average]

    return train_epoch


def train_epoch_running_total(model, loss_fn, optimizer, X, y, batch_size, rng):
    total = 0.0
    for X_batch, y_batch in data.minibatches(X, y, batch_size, rng):
        pred = model.forward(X_batch)
        total += loss_fn.forward(pred, y_batch) * len(X_batch)
        model.backward(loss_fn.backward())
        optimizer.step()
    return total / len(X)


@pytest.mark.parametrize("answer", [make_train_epoch(), train_epoch_running_total])
def test_train_epoch_accepts_correct_loops(answer, capsys):
    assert_passes(check.train_epoch, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (make_train_epoch(average="mean of means"), "plain mean of the batch losses",
         "train_epoch/mean-of-batch-means"),
        (make_train_epoch(average="sum"), "sum of the batch losses",
         "train_epoch/sum-of-batch-losses"),
        (make_train_epoch(average="last"), "last batch's loss", "train_epoch/last-batch-loss"),
        (make_train_epoch(step=False), "called optimizer.step() 0 times",
         "train_epoch/step-missing"),
        (make_train_epoch(backward=False), "called loss_fn.backward() 0 times",
         "train_epoch/step-missing"),
        (make_train_epoch(step_first=True), "a step ran before the gradients it needs",
         "train_epoch/wrong-order"),
        (make_train_epoch(use_rng=False), "did not come from the `rng` argument",
         "train_epoch/rng-ignored"),
        (make_train_epoch(average="batch_size"), "it held fewer samples than you counted",
         "train_epoch/weights-by-batch-size"),
        (make_train_epoch(backward_from_loss=True), "was given the loss's value",
         "train/backward-from-loss-value"),
        (make_train_epoch(loss_after_step=True), "the second time after optimizer.step()",
         "train_epoch/loss-after-step"),
        (make_train_epoch(spare_forward=True), "both before its step",
         "train_epoch/forward-twice"),
    ],
)
def test_train_epoch_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.train_epoch, answer, hint, mistake=mistake)


# --- SGD -----------------------------------------------------------------------------------


class SGDOtherForm:
    """The other textbook momentum: v ← μ v + g, θ ← θ − η v; the same parameters result."""

    def __init__(self, model, lr, momentum=0.0):
        self.model, self.lr, self.momentum = model, lr, momentum
        self.velocity = {}

    def step(self):
        for i, (param, grad) in enumerate(self.model.parameters()):
            self.velocity[i] = self.momentum * self.velocity.get(i, 0.0) + grad
            param -= self.lr * self.velocity[i]


def make_sgd(shared=False, reset=False, in_place=True, cache_pairs=False, ignore_momentum=False):
    class StudentSGD:
        def __init__(self, model, lr, momentum=0.0):
            self.model, self.lr = model, lr
            self.momentum = 0.0 if ignore_momentum else momentum
            self.pairs = list(model.parameters()) if cache_pairs else None
            self.velocities = [] if not shared else 0.0

        def step(self):
            pairs = self.pairs if cache_pairs else self.model.parameters()
            for i, (param, grad) in enumerate(pairs):
                if shared:
                    self.velocities = self.momentum * self.velocities - self.lr * grad
                    v = self.velocities
                else:
                    if reset or i == len(self.velocities):
                        self.velocities[i:i + 1] = [np.zeros_like(param)]
                    self.velocities[i] = self.momentum * self.velocities[i] - self.lr * grad
                    v = self.velocities[i]
                if in_place:
                    param += v
                else:
                    param = param + v  # noqa: F841 (the mistake: only the local name changes)

    return StudentSGD


class SGDDampened(SGDOtherForm):
    """v ← μ v + (1 − μ) g, θ ← θ − η v: an averaging momentum, not the course's."""

    def step(self):
        for i, (param, grad) in enumerate(self.model.parameters()):
            v = self.momentum * self.velocity.get(i, 0.0) + (1 - self.momentum) * grad
            self.velocity[i] = v
            param -= self.lr * v


class SGDNesterov(SGDOtherForm):
    """v ← μ v + g, θ ← θ − η (g + μ v): Nesterov momentum, not the course's."""

    def step(self):
        for i, (param, grad) in enumerate(self.model.parameters()):
            self.velocity[i] = self.momentum * self.velocity.get(i, 0.0) + grad
            param -= self.lr * (grad + self.momentum * self.velocity[i])


class SGDRebound:
    """Issue 23: velocities kept on self, but the loop rebinds a local name to a new array,
    so the stored ones stay zeros and every step starts from zero velocity."""

    def __init__(self, model, lr, momentum=0.0):
        self.model, self.lr, self.momentum = model, lr, momentum
        self.velocities = None

    def step(self):
        pairs = list(self.model.parameters())
        if self.velocities is None:
            self.velocities = [np.zeros_like(param) for param, _ in pairs]
        for (param, grad), v in zip(pairs, self.velocities, strict=True):
            v = self.momentum * v - self.lr * grad  # noqa: PLW2901 (the mistake)
            param += v


class SGDLocalVelocity:
    """A velocity made afresh inside step(), never kept."""

    def __init__(self, model, lr, momentum=0.0):
        self.model, self.lr, self.momentum = model, lr, momentum

    def step(self):
        for param, grad in self.model.parameters():
            v = np.zeros_like(param)
            v = self.momentum * v - self.lr * grad
            param += v


class SGDNegatedDecay(SGD):
    """v ← −μ v − η g: the old velocity's sign flipped."""

    def step(self):
        for i, (param, grad) in enumerate(self.model.parameters()):
            if i == len(self.velocities):
                self.velocities.append(np.zeros_like(param))
            self.velocities[i] = -self.momentum * self.velocities[i] - self.lr * grad
            param += self.velocities[i]


@pytest.mark.parametrize("answer", [own_copy(SGD), SGDOtherForm, make_sgd()])
def test_sgd_accepts_both_momentum_forms(answer, capsys):
    assert_passes(check.sgd, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (make_sgd(shared=True), "share one velocity", "sgd/shared-velocity"),
        (make_sgd(reset=True), "the velocity starts from zero at every step",
         "sgd/momentum-no-effect"),
        (make_sgd(ignore_momentum=True), "behaves as if momentum were 0",
         "sgd/momentum-no-effect"),
        (SGDRebound, "leaves the one stored on self unchanged", "sgd/momentum-no-effect"),
        (SGDLocalVelocity, "the velocity starts from zero at every step",
         "sgd/momentum-no-effect"),
        (SGDNegatedDecay, "the old velocity enters with the wrong sign",
         "sgd/velocity-sign-flipped"),
        (make_sgd(in_place=False), "bound them to a local name", "optimizer/not-in-place"),
        (make_sgd(cache_pairs=True),
         "the pairs kept from __init__ still hold the first gradient arrays",
         "optimizer/stale-parameters"),
        (SGD(None, 0.1), "expected a class", "general/instance-not-class"),
        (SGDDampened, "dampened (averaging) momentum", "sgd/dampened-momentum"),
        (SGDNesterov, "that is Nesterov momentum", "sgd/nesterov-momentum"),
    ],
)
def test_sgd_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.sgd, answer, hint, mistake=mistake)


def test_sgd_rejects_a_sign_error():
    class Ascent(SGD):
        def step(self):
            for param, grad in self.model.parameters():
                param += self.lr * grad

    assert_fails(check.sgd, Ascent, "your step went uphill",
                 "the sign with which the gradient enters the velocity", mistake="sgd/climbs")


class SGDMomentumAscent(SGD):
    """v ← μ v + η g, θ ← θ + v: the sign error inside the velocity."""

    def step(self):
        for i, (param, grad) in enumerate(self.model.parameters()):
            if i == len(self.velocities):
                self.velocities.append(np.zeros_like(param))
            self.velocities[i] = self.momentum * self.velocities[i] + self.lr * grad
            param += self.velocities[i]


def test_sgd_names_the_velocity_in_a_momentum_sign_error():
    assert_fails(check.sgd, SGDMomentumAscent, "velocity", mistake="sgd/climbs")


# --- Adam ----------------------------------------------------------------------------------


def make_adam(correct=True, increment=True, t_start=0, swapped=False, t_in_loop=False,
              eps_inside=False, efficient=False, store_hat=False, abs_g=False,
              weights_swapped=False, t_plus_one=False, t_after=False, t_local=False,
              t_each_param=False):
    """The reference Adam, or a slip: ``t_after`` counts the step after the correction used
    t (from 0), ``t_local`` restarts the counter at 1 in every step(), ``t_each_param`` keeps
    one counter per parameter, each counting its own steps (right)."""
    class StudentAdam:
        def __init__(self, model, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            self.model, self.lr, self.eps = model, lr, eps
            self.beta1, self.beta2 = (beta2, beta1) if swapped else (beta1, beta2)
            self.m, self.v, self.t = {}, {}, t_start

        def step(self):
            if t_local:
                self.t = 0
            if increment and not (t_in_loop or t_after or t_each_param):
                self.t += 1
            for i, (param, grad) in enumerate(self.model.parameters()):
                if t_in_loop:
                    self.t += 1
                if t_each_param:
                    self.counts = getattr(self, "counts", {})
                    self.counts[i] = self.counts.get(i, 0) + 1
                    self.t = self.counts[i]
                keep1, keep2 = self.beta1, self.beta2
                if weights_swapped:
                    keep1, keep2 = 1 - keep1, 1 - keep2
                square = np.abs(grad) if abs_g else grad**2
                self.m[i] = keep1 * self.m.get(i, 0.0) + (1 - keep1) * grad
                self.v[i] = keep2 * self.v.get(i, 0.0) + (1 - keep2) * square
                m_hat, v_hat = self.m[i], self.v[i]
                if efficient:  # the paper's form: the bias correction folded into the rate
                    rate = self.lr * np.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
                    param -= rate * m_hat / (np.sqrt(v_hat) + self.eps)
                    continue
                t = self.t + 1 if t_plus_one else self.t
                if correct in (True, "m"):
                    m_hat = m_hat / (1 - self.beta1**t)
                if correct in (True, "v"):
                    v_hat = v_hat / (1 - self.beta2**t)
                if store_hat:
                    self.m[i], self.v[i] = m_hat, v_hat
                scale = np.sqrt(v_hat + self.eps) if eps_inside else np.sqrt(v_hat) + self.eps
                param -= self.lr * m_hat / scale
            if t_after:
                self.t += 1

    return StudentAdam


@pytest.mark.parametrize("answer", [own_copy(Adam), make_adam(), make_adam(t_each_param=True)])
def test_adam_accepts_correct_versions(answer, capsys):
    assert_passes(check.adam, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (make_adam(correct=False), "your first step is too long",
         "adam/no-bias-correction-first-step"),
        (make_adam(t_after=True), "the step counter t was still 0", "adam/step-counter-zero"),
        (make_adam(t_local=True), "your step counter t stays at 1", "adam/t-not-incremented"),
        (make_adam(t_start=1), "one step ahead", "adam/bias-correction-off-by-one"),
        (make_adam(increment=False), "the step counter t was still 0",
         "adam/step-counter-zero"),
        (make_adam(increment=False, t_start=1), "your step counter t stays at 1",
         "adam/t-not-incremented"),
        (make_adam(swapped=True), "β1 and β2 are swapped", "adam/betas-swapped"),
        (make_adam(t_in_loop=True), "t grows once per parameter", "adam/t-per-parameter"),
        (make_adam(eps_inside=True), "your eps sits inside the square root",
         "adam/eps-inside-sqrt"),
        (make_adam(efficient=True), "the Adam paper's \"efficient\" form",
         "adam/paper-efficient-form"),
        (make_adam(store_hat=True), "the bias-corrected means went back into m and v",
         "adam/corrected-moments-stored"),
        (make_adam(abs_g=True), "a running mean of |g|, not of g²", "adam/abs-not-square"),
        (make_adam(weights_swapped=True), "the weights are exchanged",
         "adam/decay-and-weight-swapped"),
        (make_adam(t_plus_one=True), "one step ahead", "adam/bias-correction-off-by-one"),
        (make_adam(correct="m"), "only m is bias-corrected", "adam/only-m-corrected"),
        (make_adam(correct="v"), "only v is bias-corrected", "adam/only-v-corrected"),
    ],
)
def test_adam_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.adam, answer, hint, mistake=mistake)


#: what ADAM_FIRST_STEP asks for, checked after `adam`: that the first step is about lr per
#: coordinate, whatever the gradient's size (m̂ = g and v̂ = g² at t = 1)
_ADAM_FIRST_STEP_ANSWER = ("m̂ = g", "v̂ = g²", "against the sign", "exactly 0.1", "about lr",
                           "about 0.1", "√1000", "times too long", "times too short",
                           "g / |g|", "0.9, -1.9")


def _adam_texts() -> list[str]:
    """Every mistake text of the Adam section of helpers/check/sgd.py, and its messages."""
    import ast
    from importlib import import_module
    from pathlib import Path

    source = Path(import_module("helpers.check.sgd").__file__).read_text(encoding="utf-8")
    section = source[source.index("# --- Adam ---"):source.index('@exercise("adam_first_step"')]
    texts = [" ".join(str(ast.literal_eval(a)) for a in node.args if isinstance(a, ast.Constant))
             for node in ast.walk(ast.parse(section)) if isinstance(node, ast.Call)]
    assert len(texts) > 20  # the scan found the section's calls
    return texts


def test_no_adam_message_states_the_size_of_the_first_step():
    leaked = [(text[:60], fragment) for text in _adam_texts()
              for fragment in _ADAM_FIRST_STEP_ANSWER if fragment in text]
    assert not leaked, leaked


@pytest.mark.parametrize("answer", [
    make_adam(correct=False), make_adam(correct="m"), make_adam(correct="v"),
    make_adam(t_in_loop=True), make_adam(t_start=1), make_adam(swapped=True),
    make_adam(abs_g=True), make_adam(weights_swapped=True), make_adam(eps_inside=True),
])
def test_no_adam_failure_states_the_size_of_the_first_step(answer):
    with pytest.raises(check.CheckFailed) as failure:
        check.adam(answer)
    text = str(failure.value)
    assert "after one step of Adam(model, lr=0.1)" in text or "steps of Adam" in text
    leaked = [fragment for fragment in _ADAM_FIRST_STEP_ANSWER if fragment in text]
    assert not leaked, text
    # the right parameters after the first step would show a step of lr per coordinate
    assert "expected" not in text.split("after one step")[-1] or "steps of Adam" in text


# --- standardize ---------------------------------------------------------------------------


# helpers.data.standardize before main fixed it: a column of 0.1s came back as ones
_OLD_DATA_STANDARDIZE = bool(np.abs(data.standardize(np.full((7, 1), 0.1))[0]).max() > 0.5)


def standardize_solution(X_train, *others):
    """solutions/05_sgd.ipynb's standardize."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    tiny = 100 * np.finfo(std.dtype).eps * np.abs(X_train).max(axis=0)
    std = np.where(std > tiny, std, 1)
    return tuple((X - mean) / std for X in (X_train, *others))


def standardize_sample_std_absolute_threshold(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0, ddof=1)
    std = np.where(std > 1e-8, std, 1)
    return tuple((X - mean) / std for X in (X_train, *others))


def standardize_isclose(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return tuple((X - mean) / np.where(np.isclose(std, 0), 1, std).astype(X_train.dtype)
                 for X in (X_train, *others))


@pytest.mark.parametrize("answer", [
    standardize_solution,
    pytest.param(own_copy(data.standardize), marks=pytest.mark.xfail(
        _OLD_DATA_STANDARDIZE, strict=True, reason="this helpers/data.standardize divides "
        "by a constant column's rounding noise (std > 0): main's newer one does not")),
])
def test_standardize_accepts_correct_versions(answer, capsys):
    assert_passes(check.standardize, answer, capsys)


def standardize_std_positive(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std > 0, std, 1)
    return tuple((X - mean) / std for X in (X_train, *others))


def standardize_sample_std_with_eps(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0, ddof=1)
    return tuple((X - mean) / (std + 1e-12) for X in (X_train, *others))


def standardize_float64(X_train, *others):
    return standardize_solution(*(np.asarray(X, dtype=float) for X in (X_train, *others)))


def standardize_strict_test(X_train, *others):
    """Issue 23: the tolerance test written with `<`: a zero column keeps its spread 0."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    tiny = 100 * np.finfo(std.dtype).eps * np.abs(X_train).max(axis=0)
    std = np.where(std < tiny, 1, std)
    return tuple((X - mean) / std for X in (X_train, *others))


def standardize_relative_tolerance(X_train, *others):
    """Correct too: a spread below 1e-6 of the column's largest |value| (or exactly 0)."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    size = np.abs(X_train).max(axis=0)
    std = np.where((std == 0) | (std <= 1e-6 * size), 1, std).astype(X_train.dtype)
    return tuple((X - mean) / std for X in (X_train, *others))


def standardize_absolute_tolerance(X_train, *others):
    """A student's review: a fixed tolerance, blind to the column's size (1000.1s in float32
    have a noise far above it; values near 1e-10 a real spread far below)."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(std < 1e-8, 1, std).astype(X_train.dtype)
    return tuple((X - mean) / std for X in (X_train, *others))


def standardize_isclose_columns(X_train, *others):
    """np.isclose's default atol of 1e-8 is the same fixed tolerance in disguise."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    constant = np.isclose(X_train, X_train[0]).all(axis=0)
    std = np.where(constant, 1, std).astype(X_train.dtype)
    return tuple((X - mean) / std for X in (X_train, *others))


def standardize_exactly_equal(X_train, *others):
    """Correct too: a column is constant when every value equals the first."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std = np.where(np.all(X_train == X_train[0], axis=0), 1, std).astype(X_train.dtype)
    return tuple((X - X_train[0] * 0 - mean) / std for X in (X_train, *others))


def test_standardize_accepts_constant_columns_found_by_equality(capsys):
    assert_passes(check.standardize, standardize_exactly_equal, capsys)


@pytest.mark.parametrize("answer", [
    # the text asks for a rule that holds for large and small values, in float32 and float64
    standardize_absolute_tolerance, standardize_sample_std_absolute_threshold,
    standardize_isclose, standardize_isclose_columns,
])
def test_standardize_names_a_tolerance_blind_to_the_columns_size(answer):
    assert_fails(check.standardize, answer, "fixed number, whatever the column's size",
                 mistake="standardize/absolute-tolerance")


def test_standardize_accepts_a_relative_tolerance_with_zero_handled(capsys):
    assert_passes(check.standardize, standardize_relative_tolerance, capsys)


@pytest.mark.parametrize("answer, hint, mistake", [
    (standardize_strict_test, "a column of zeros (the text's always-black pixel) came out as nan",
     "standardize/zero-column-strict-test"),
    (standardize_std_positive, "a constant column's computed spread is not 0 but rounding noise",
     "standardize/constant-column-noise"),
    (standardize_sample_std_with_eps, "(x − mean) / eps", "standardize/eps-added-to-std"),
    (standardize_float64, "expected float32, the dtype it was given",
     "standardize/float32-upcast"),
])
def test_standardize_names_the_constant_column_and_dtype_mistakes(answer, hint, mistake):
    assert_fails(check.standardize, answer, hint, mistake=mistake)


def make_standardize(each=False, variance=False, centre_only=False, no_axis=False,
                     pooled=False):
    def standardize(X_train, *others):
        source = np.concatenate([X_train, *others]) if pooled else X_train
        out = []
        for X in (X_train, *others):
            stats = X if each else source
            mean = stats.mean() if no_axis else stats.mean(axis=0)
            std = stats.std() if no_axis else stats.std(axis=0)
            std = np.where(std > 0, std, 1.0)
            out.append(X - mean if centre_only else (X - mean) / (std**2 if variance else std))
        return tuple(out)

    return standardize


def standardize_in_place(X_train, *others):
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    for X in (X_train, *others):
        X -= mean
        X /= std
    return (X_train, *others)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (make_standardize(each=True), "was scaled by its own statistics",
         "standardize/own-statistics"),
        (make_standardize(variance=True), "divided by their variance", "standardize/variance"),
        (make_standardize(centre_only=True), "centred (mean 0) but keep their spread",
         "standardize/centred-only"),
        (make_standardize(no_axis=True), "each needs its own",
         "standardize/no-axis"),
        (make_standardize(pooled=True), "the test data leaks into the preprocessing",
         "standardize/pooled-statistics"),
        (standardize_in_place, "changed its input", "general/input-changed-in-place"),
        (lambda X_train, *others: (X_train - X_train.mean(0)) / X_train.std(0), "tuple of 3",
         "standardize/wrong-count"),
        (lambda X_train, *others: tuple((A - X_train.mean(0)) / X_train.std(0)
                                        for A in (X_train, *others[:1])),
         "returned a tuple of 2 items; expected a tuple of 3 arrays", "standardize/wrong-count"),
        (lambda X, *o: tuple((A - X.mean(0)) / X.std(0) for A in (X, *o)), "zero spread",
         "standardize/zero-spread-division"),
    ],
)
def test_standardize_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.standardize, answer, hint, mistake=mistake)


# --- the questions: derivation steps and predictions ------------------------------------------


@pytest.mark.parametrize("exercise, answer", [
    ("epoch_loss_example", 1.6), ("epoch_loss_example", (4 * 1 + 4 * 1 + 2 * 4) / 10),
    ("momentum_velocity", -2.0), ("momentum_velocity", -0.1 * 2 / (1 - 0.9)),
    ("momentum_velocity", np.float64(-1.9999)),
    ("adam_m_first_step", 0.1), ("adam_m_first_step", np.float64(0.1)),
    ("raw_input_lr_limit", 4e-6), ("raw_input_lr_limit", 2 / (2 * 500**2)),
    ("raw_input_lr_limit", 1 / 250_000), ("raw_input_lr_limit", np.float64(4e-6)),
    ("constant_column_cause", "b"), ("constant_column_cause", "B "),
    ("predict_batch_per_epoch", "a"), ("predict_batch_per_epoch", "(a)"),
    ("predict_ravine_worst", "c"), ("predict_ravine_worst", "(C)"),
    ("adam_first_step", (0.5, -0.5)), ("adam_first_step", [0.49999997, -0.5]),
    ("adam_first_step", np.array([0.5, -0.5])), ("adam_first_step", (1 / 2, -1 / 2)),
    ("ravine_lr_limit", 1.0), ("ravine_lr_limit", 2 / 2), ("ravine_lr_limit", np.float64(1)),
    ("ravine_lr_limit", 1),
    ("predict_lr_above_limit", "c"), ("predict_lr_above_limit", " C"),
])
def test_questions_accept_the_answer(exercise, answer, capsys):
    assert_passes(getattr(check, exercise), answer, capsys)


@pytest.mark.parametrize("exercise, answer, fragment, mistake", [
    ("epoch_loss_example", 2.0, "plain mean of the three batch losses",
     "epoch_loss_example/mean-of-batch-means"),
    ("epoch_loss_example", 6.0, "sum of the batch losses",
     "epoch_loss_example/sum-of-batch-losses"),
    ("epoch_loss_example", 16.0, "total loss of all 10 samples",
     "epoch_loss_example/total-not-divided"),
    ("epoch_loss_example", 2.4, "counts 4 samples in every batch",
     "epoch_loss_example/full-batches-counted"),
    ("epoch_loss_example", 4.0, "the last batch's loss alone", "epoch_loss_example/last-batch"),
    ("epoch_loss_example", 1.5, "total loss of each batch", "epoch_loss_example/wrong-value"),
    ("epoch_loss_example", "1.6", "expected a number", "sgd-question/not-a-number"),
    ("momentum_velocity", 2.0, "points the other way", "momentum_velocity/sign"),
    ("momentum_velocity", -0.2, "after the first step", "momentum_velocity/first-step"),
    ("momentum_velocity", -20.0, "leaves out the learning rate",
     "momentum_velocity/no-learning-rate"),
    ("momentum_velocity", -0.02, "multiplies by 1 − μ", "momentum_velocity/times-one-minus-mu"),
    ("momentum_velocity", -1.8, "μ times the settled velocity",
     "momentum_velocity/one-term-short"),
    ("momentum_velocity", 0.0, "not at 0", "momentum_velocity/decays-to-zero"),
    ("momentum_velocity", -2 * (1 - 0.9**10), "after 10 steps", "momentum_velocity/not-settled"),
    ("momentum_velocity", -1.0, "geometric series", "momentum_velocity/wrong-value"),
    ("momentum_velocity", float("inf"), "finite", "sgd-question/not-a-number"),
    ("adam_m_first_step", 0.9, "not the other way round", "adam_m_first_step/weights-swapped"),
    ("adam_m_first_step", 1.0, "that is g itself", "adam_m_first_step/already-g"),
    ("adam_m_first_step", 0.0, "already adds a part of g", "adam_m_first_step/unchanged"),
    ("adam_m_first_step", 0.19, "once", "adam_m_first_step/wrong-value"),
    ("raw_input_lr_limit", 8e-6, "brings out a factor 2",
     "raw_input_lr_limit/square-not-differentiated"),
    ("raw_input_lr_limit", 0.002, "grows like x²", "raw_input_lr_limit/linear-in-x"),
    ("raw_input_lr_limit", 2e-6, "1 over the curvature", "raw_input_lr_limit/one-over-curvature"),
    ("raw_input_lr_limit", 1.0, "limit of the ravine", "raw_input_lr_limit/ravine-answer"),
    ("raw_input_lr_limit", 4e-3, "differentiate L twice", "raw_input_lr_limit/wrong-value"),
    ("raw_input_lr_limit", "4e-6", "expected a number", "sgd-question/not-a-number"),
    ("constant_column_cause", "a", "never makes one out of nothing", "constant_column_cause/ddof"),
    ("constant_column_cause", "c", "adds nothing", "constant_column_cause/epsilon-added"),
    ("constant_column_cause", "d", "deterministic", "constant_column_cause/random"),
    ("constant_column_cause", "e", "expected one of", "sgd-question/not-an-option"),
    ("constant_column_cause", 2, "expected one of", "sgd-question/not-an-option"),
    ("predict_batch_per_epoch", "b", "one step per epoch",
     "predict_batch_per_epoch/exact-gradient-wins"),
    ("predict_batch_per_epoch", "c", "very different numbers of steps",
     "predict_batch_per_epoch/same-data-same-loss"),
    ("predict_ravine_worst", "a", "gathers speed slowly", "predict_ravine_worst/momentum-swings"),
    ("predict_ravine_worst", "b", "no memory of the direction",
     "predict_ravine_worst/rmsprop-scale"),
    ("predict_ravine_worst", "(d)", "stays about η long", "predict_ravine_worst/all-slow-down"),
    ("predict_ravine_worst", "e", "expected one of", "sgd-question/not-an-option"),
    ("adam_first_step", (-0.5, 0.5), "sign of its gradient", "adam_first_step/uphill"),
    ("adam_first_step", (1.5811, -1.5811), "left uncorrected",
     "adam_first_step/no-bias-correction"),
    ("adam_first_step", (15.811, -15.811), "corrects m but not v",
     "adam_first_step/only-m-corrected"),
    ("adam_first_step", (0.05, -0.05), "corrects v but not m", "adam_first_step/only-v-corrected"),
    ("adam_first_step", (0.09, -2.0), "plain gradient descent's step",
     "adam_first_step/plain-gradient-step"),
    ("adam_first_step", (-8.5, 1.5), "where θ lands", "adam_first_step/position-not-step"),
    ("adam_first_step", (0.5, 0.5), "corrected m̂ and v̂", "adam_first_step/wrong-value"),
    ("adam_first_step", 0.5, "expected two finite numbers", "adam_first_step/not-a-pair"),
    ("adam_first_step", (0.5, -0.5, 0.0), "a pair", "adam_first_step/not-a-pair"),
    ("adam_first_step", ("a", "b"), "expected two finite numbers", "adam_first_step/not-a-pair"),
    ("ravine_lr_limit", 2.0, "twice θ2", "ravine_lr_limit/gradient-not-doubled"),
    ("ravine_lr_limit", 0.5, "lands exactly on the floor", "ravine_lr_limit/lands-on-the-floor"),
    ("ravine_lr_limit", 100.0, "shallow direction", "ravine_lr_limit/shallow-direction"),
    ("ravine_lr_limit", 0.95, "the limit itself", "ravine_lr_limit/the-rate-used"),
    ("ravine_lr_limit", 0.1, "size of that factor", "ravine_lr_limit/wrong-value"),
    ("ravine_lr_limit", "1.0", "expected a number", "sgd-question/not-a-number"),
    ("predict_lr_above_limit", "a", "not 'almost stable'", "predict_lr_above_limit/close-enough"),
    ("predict_lr_above_limit", "b", "exactly at the limit", "predict_lr_above_limit/bounces"),
    ("predict_lr_above_limit", "d", "expected one of", "sgd-question/not-an-option"),
])
def test_questions_name_each_wrong_answer(exercise, answer, fragment, mistake):
    assert_fails(getattr(check, exercise), answer, fragment, mistake=mistake)


def bias_correction(beta, t):
    return 1 - beta**t


@pytest.mark.parametrize("answer", [
    bias_correction,
    lambda beta, t: (1 - beta) * sum(beta**k for k in range(t)),  # the geometric sum itself
    lambda beta, t: np.float64(1) - np.power(beta, t),
])
def test_bias_correction_accepts_equivalent_forms(answer, capsys):
    assert_passes(check.bias_correction, answer, capsys)


@pytest.mark.parametrize("answer, fragment, mistake", [
    (lambda b, t: b**t, "weight left on the starting 0", "bias_correction/beta-power"),
    (lambda b, t: 1 - b ** (t + 1), "one step ahead", "bias_correction/one-step-ahead"),
    (lambda b, t: 1 - b ** (t - 1), "one step behind", "bias_correction/one-step-behind"),
    (lambda b, t: 1 / (1 - b**t), "the factor to multiply by", "bias_correction/inverted"),
    (lambda b, t: (1 - b) * t, "as if the older steps did not decay",
     "bias_correction/linear-in-t"),
    (lambda b, t: 1 - b, "right for t = 1 only", "bias_correction/first-step-only"),
    (lambda b, t: 1 + b**t, "geometric series", "bias_correction/wrong-value"),
    (lambda b, t: None, "returned None", "general/returned-none"),
])
def test_bias_correction_names_the_wrong_factors(answer, fragment, mistake):
    assert_fails(check.bias_correction, answer, fragment, mistake=mistake)


# --- lr_sweep --------------------------------------------------------------------------------

train_epoch = sgd_runs.reference_train_epoch  # what the student's sweep calls


def lr_sweep(lrs, make_model, make_optimizer, train_data, val_data, epochs, batch_size=32,
             seed=0):
    """solutions/05_sgd.ipynb's lr_sweep."""
    (X_train, y_train), (X_val, y_val) = train_data, val_data
    losses = []
    for lr in lrs:
        model = make_model()
        optimizer, epoch_rng = make_optimizer(model, lr), np.random.default_rng(seed)
        for _ in range(epochs):
            train_epoch(model, MSELoss(), optimizer, X_train, y_train, batch_size, epoch_rng)
        losses.append(MSELoss().forward(model.forward(X_val), y_val))
    return losses, lrs[int(np.argmin(losses))]


def lr_sweep_dict(lrs, make_model, make_optimizer, train_data, val_data, epochs,
                  batch_size=32, seed=0):
    """Correct too: a dict of losses by rate, the best by min over its items, a mean
    squared error written out."""
    losses = {}
    for lr in lrs:
        model, rng = make_model(), np.random.default_rng(seed)
        optimizer = make_optimizer(model, lr)
        for _ in range(epochs):
            train_epoch(model, MSELoss(), optimizer, *train_data, batch_size, rng)
        losses[lr] = float(np.mean((model.forward(val_data[0]) - val_data[1]) ** 2))
    return losses, min(losses, key=losses.get)


def make_lr_sweep(choose="val", record="val", fresh=True, own_rng=True):
    def sweep(lrs, make_model, make_optimizer, train_data, val_data, epochs, batch_size=32,
              seed=0):
        model, rng = make_model(), np.random.default_rng(seed)
        val, trained, last = [], [], []
        for lr in lrs:
            model = make_model() if fresh else model
            rng = np.random.default_rng(seed) if own_rng else rng
            optimizer = make_optimizer(model, lr)
            for _ in range(epochs):
                loss = train_epoch(model, MSELoss(), optimizer, *train_data, batch_size, rng)
            val.append(MSELoss().forward(model.forward(val_data[0]), val_data[1]))
            trained.append(MSELoss().forward(model.forward(train_data[0]), train_data[1]))
            last.append(loss)
        recorded = {"val": val, "train": trained, "last": last}[record]
        chosen = {"val": val, "train": trained, "last": last, "max": [-v for v in val]}
        if choose == "loss":
            return recorded, min(val)
        if choose == "index":
            return recorded, int(np.argmin(val))
        return recorded, lrs[int(np.argmin(chosen[choose]))]

    return sweep


@pytest.mark.parametrize("answer", [lr_sweep, lr_sweep_dict, make_lr_sweep()])
def test_lr_sweep_accepts_correct_sweeps(answer, capsys):
    assert_passes(check.lr_sweep, answer, capsys)


@pytest.mark.parametrize("answer, fragment, mistake", [
    (make_lr_sweep(choose="train"), "lowest training loss", "lr_sweep/chosen-on-training"),
    (make_lr_sweep(choose="last"), "lowest training loss", "lr_sweep/chosen-on-training"),
    (make_lr_sweep(record="train"), "training set's", "lr_sweep/training-loss-recorded"),
    (make_lr_sweep(record="last"), "last epoch's training losses",
     "lr_sweep/epoch-loss-recorded"),
    (make_lr_sweep(fresh=False), "went on training the model", "lr_sweep/model-reused"),
    (make_lr_sweep(own_rng=False), "share one generator", "lr_sweep/rng-shared"),
    (make_lr_sweep(choose="max"), "largest validation loss", "lr_sweep/largest-loss"),
    (make_lr_sweep(choose="loss"), "the lowest validation loss itself",
     "lr_sweep/loss-not-rate"),
    (make_lr_sweep(choose="index"), "position of the best rate", "lr_sweep/index-not-rate"),
    (lambda *args, **kwargs: [0.1, 0.2, 0.3, 0.4], "expected a pair", "lr_sweep/not-a-pair"),
    (lambda lrs, *args, **kwargs: ([1.0] * len(lrs), lrs[0]), "none of the usual slips",
     "lr_sweep/wrong-losses"),
])
def test_lr_sweep_names_the_classic_slips(answer, fragment, mistake):
    assert_fails(check.lr_sweep, answer, fragment, mistake=mistake)


def test_lr_sweep_names_a_choice_that_is_none_of_the_slips():
    def sweep(*args, **kwargs):
        losses, _ = lr_sweep(*args, **kwargs)
        return losses, 0.5

    assert_fails(check.lr_sweep, sweep, "lowest validation loss", mistake="lr_sweep/wrong-choice")


# --- no message and no hint below the last tier writes the fix -------------------------------

#: code and formulas that complete one of notebook 05's exercises
_FIXES = ("param -=", "param +=", "rng.permutation", "np.where(std", "range(0, N",
          "range(0, len(X)", "total +=", "/ len(X)", "1 - beta", "1 − β1ᵗ", "1 − β^t",
          "(1 − βᵗ)", "self.velocities", "np.argmin", "100 * np.finfo", "-2.0", "= 1.6",
          "1 − 2η", "1 - 2η", "= 1.0", "(0.5, -0.5)",
          "−η g / |g|", "param.copy()", "param[...] = best", ">= patience",
          "4e-6", "2 / 500 000")
_NOTEBOOK_05 = ("minibatches", "epoch_loss_example", "train_epoch", "predict_batch_per_epoch",
                "momentum_velocity", "sgd", "adam_m_first_step", "bias_correction", "adam",
                "adam_first_step", "predict_ravine_worst", "ravine_lr_limit",
                "predict_lr_above_limit", "lr_sweep", "raw_input_lr_limit",
                "constant_column_cause", "standardize", "early_stopping")


@pytest.mark.parametrize("exercise", _NOTEBOOK_05)
def test_no_hint_tier_below_the_last_completes_the_exercise(exercise):
    from helpers.check._hints import HINTS

    tiers = HINTS[exercise]
    assert len(tiers) >= 2
    leaked = [(i + 1, fix) for i, tier in enumerate(tiers[:-1]) for fix in _FIXES if fix in tier]
    assert not leaked, f"{exercise}: tiers below the last write the answer: {leaked}"


def test_no_failure_message_of_05_writes_the_fix():
    import ast
    from importlib import import_module
    from pathlib import Path

    sgd_checks = import_module("helpers.check.sgd")
    sgd_questions = import_module("helpers.check.sgd_questions")

    texts = []
    for module in (sgd_checks, sgd_questions):
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "mistake":
                texts.append(" ".join(ast.literal_eval(part) if isinstance(part, ast.Constant)
                                      else ast.unparse(part) for part in node.args[1:]))
    assert len(texts) > 100  # the scan found the hints
    leaked = [(text[:60], fix) for text in texts for fix in _FIXES if fix in text]
    assert not leaked, leaked


# --- warning policy: a right value that made numpy warn passes, with a note -------------------


def standardize_divides_then_picks(X_train, *others):
    """Right values: divides every column (0/0 in a zero column warns), then keeps the centred
    value where the spread is none."""
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    tiny = 100 * np.finfo(std.dtype).eps * np.abs(X_train).max(axis=0)
    return tuple(np.where(std > tiny, (X - mean) / std, X - mean) for X in (X_train, *others))


def test_standardize_that_warns_on_the_way_to_right_values_passes_with_a_note(capsys):
    with np.errstate(divide="ignore", invalid="ignore"):
        standardize_divides_then_picks(np.zeros((2, 1)))  # it does warn without errstate
    check.standardize(standardize_divides_then_picks)
    out = capsys.readouterr().out
    assert out.startswith("✓ standardize looks right.") and "Note: numpy warned in" in out


def test_train_epoch_without_a_return_says_so_once():
    def no_return(model, loss_fn, optimizer, X, y, batch_size, rng):
        make_train_epoch()(model, loss_fn, optimizer, X, y, batch_size, rng)

    failure = assert_fails(check.train_epoch, no_return, "returned None",
                           mistake="general/returned-none")
    assert "returned returned" not in failure.plain


# --- early_stopping ----------------------------------------------------------------------------


def make_early_stopping(*, copy=True, in_place=True, choose="val", late=0, tie_better=False,
                        from_zero=False, stop=True, record_val="val", restore_best=True):
    """solutions/05_sgd.ipynb's early_stopping, or one of its classic slips."""

    def early_stopping(model, optimizer, train_data, val_data, epochs, patience, batch_size,
                       rng):
        (X_train, y_train), (X_val, y_val) = train_data, val_data
        loss_fn = MSELoss()
        best_epoch, best_loss, best_params, last_params = 0, np.inf, None, None
        train_losses, val_losses = [], []
        for epoch in range(1, epochs + 1):
            train_losses.append(train_epoch(model, loss_fn, optimizer, X_train, y_train,
                                            batch_size, rng))
            X_rec, y_rec = (X_val, y_val) if record_val == "val" else (X_train, y_train)
            val_losses.append(loss_fn.forward(model.forward(X_rec), y_rec))
            watched = val_losses if choose == "val" else train_losses
            better = watched[-1] <= best_loss if tie_better else watched[-1] < best_loss
            if better:
                best_epoch, best_loss = epoch, watched[-1]
                best_params = [p.copy() if copy else p for p, _ in model.parameters()]
            last_params = [p.copy() for p, _ in model.parameters()]
            if stop and epoch - best_epoch >= patience + late:
                break
        saved = best_params if restore_best else last_params
        for (param, _), best in zip(model.parameters(), saved, strict=True):
            if in_place:
                param[...] = best
            else:
                param = best  # noqa: PLW2901 — the slip: a name rebound, the model untouched
        return best_epoch - from_zero, train_losses, val_losses

    return early_stopping


def early_stopping_counter(model, optimizer, train_data, val_data, epochs, patience,
                           batch_size, rng):
    """Correct too: a counter of epochs without improvement, np.copyto, the training loss
    measured again after each epoch, the MSE written out."""
    import copy

    best_epoch, best_loss, waited = None, float("inf"), 0
    saved, train_losses, val_losses = None, [], []
    for epoch in range(epochs):
        train_epoch(model, MSELoss(), optimizer, *train_data, batch_size, rng)
        train_losses.append(float(np.mean((model.forward(train_data[0]) - train_data[1]) ** 2)))
        val_losses.append(float(np.mean((model.forward(val_data[0]) - val_data[1]) ** 2)))
        if val_losses[-1] < best_loss:
            best_epoch, best_loss, waited = epoch + 1, val_losses[-1], 0
            saved = copy.deepcopy([param for param, _ in model.parameters()])
        else:
            waited += 1
            if waited == patience:
                break
    for (param, _), values in zip(model.parameters(), saved, strict=True):
        np.copyto(param, values)
    return best_epoch, train_losses, val_losses


def _best_as_float(result):
    best, *losses = result
    return (float(best), *losses)


@pytest.mark.parametrize("answer", [make_early_stopping(), early_stopping_counter])
def test_early_stopping_accepts_the_reference_and_alternatives(answer, capsys):
    assert_passes(check.early_stopping, answer, capsys)


@pytest.mark.parametrize("answer, fragment, mistake", [
    (make_early_stopping(copy=False), "not a copy of its values",
     "early_stopping/last-weights-kept"),
    (make_early_stopping(in_place=False), "binds a name", "early_stopping/last-weights-kept"),
    (make_early_stopping(choose="train"), "lowest training loss",
     "early_stopping/chosen-on-training"),
    (make_early_stopping(late=1), "one epoch late", "early_stopping/patience-off-by-one"),
    (make_early_stopping(late=-1), "one epoch early", "early_stopping/patience-off-by-one"),
    (make_early_stopping(tie_better=True), "a tie is no improvement",
     "early_stopping/tie-taken-as-better"),
    (make_early_stopping(from_zero=True), "counted from 0", "early_stopping/epoch-from-zero"),
    (make_early_stopping(stop=False), "runs every epoch", "early_stopping/never-stops"),
    (make_early_stopping(record_val="train"), "measured on the training data",
     "early_stopping/val-is-training"),
    (make_early_stopping(restore_best=False), "the weights of epoch 8",
     "early_stopping/last-weights-kept"),
    (lambda *args: make_early_stopping()(*args)[1:], "expected a tuple (best_epoch",
     "early_stopping/not-a-triple"),
    (lambda *args: _best_as_float(make_early_stopping()(*args)), "whole number",
     "early_stopping/best-not-an-epoch"),
])
def test_early_stopping_names_each_slip(answer, fragment, mistake):
    assert_fails(check.early_stopping, answer, fragment, mistake=mistake)


