"""Notebook 05 checks: the references and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import numpy as np
import pytest
from checking import assert_fails, assert_passes

from helpers import check, data
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


@pytest.mark.parametrize("answer", [data.minibatches, minibatches_shuffle_in_place,
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
        (make_minibatches(separate=True), "shuffle X and y with ONE permutation",
         "minibatches/x-y-shuffled-separately"),
        (make_minibatches(drop_last=True), "keep the last, smaller batch",
         "minibatches/last-batch-dropped"),
        (make_minibatches(replace=True), "without replacement", "minibatches/with-replacement"),
        (make_minibatches(seeded=False), "two runs with np.random.default_rng(0)",
         "minibatches/rng-ignored"),
        (make_minibatches(shuffle=False), "shuffle at the start of every epoch",
         "minibatches/not-shuffled"),
        (make_minibatches(fixed_seed=True), "draw a new permutation from `rng`",
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
                     use_rng=True, backward_from_loss=False):
    def train_epoch(model, loss_fn, optimizer, X, y, batch_size, rng):
        losses, sizes = [], []
        for X_batch, y_batch in data.minibatches(X, y, batch_size, rng if use_rng else None):
            if step_first and step:
                optimizer.step()
            loss = loss_fn(model(X_batch), y_batch)
            if backward_from_loss:
                model.backward(loss)
            elif backward:
                model.backward(loss_fn.backward())
            if step and not step_first:
                optimizer.step()
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
        (make_train_epoch(average="mean of means"), "mean of the batch means",
         "train_epoch/mean-of-batch-means"),
        (make_train_epoch(average="sum"), "sum of the batch losses",
         "train_epoch/sum-of-batch-losses"),
        (make_train_epoch(average="last"), "last batch's loss", "train_epoch/last-batch-loss"),
        (make_train_epoch(step=False), "called optimizer.step() 0 times",
         "train_epoch/step-missing"),
        (make_train_epoch(backward=False), "called loss_fn.backward() 0 times",
         "train_epoch/step-missing"),
        (make_train_epoch(step_first=True), "only then optimizer.step()",
         "train_epoch/wrong-order"),
        (make_train_epoch(use_rng=False), "pass the `rng` argument on", "train_epoch/rng-ignored"),
        (make_train_epoch(average="batch_size"), "its real length, len(X_batch)",
         "train_epoch/weights-by-batch-size"),
        (make_train_epoch(backward_from_loss=True), "model.backward(loss_fn.backward())",
         "train/backward-from-loss-value"),
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


@pytest.mark.parametrize("answer", [SGD, SGDOtherForm, make_sgd()])
def test_sgd_accepts_both_momentum_forms(answer, capsys):
    assert_passes(check.sgd, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (make_sgd(shared=True), "share one velocity", "sgd/shared-velocity"),
        (make_sgd(reset=True), "momentum has no effect", "sgd/momentum-no-effect"),
        (make_sgd(ignore_momentum=True), "momentum has no effect", "sgd/momentum-no-effect"),
        (make_sgd(in_place=False), "update each parameter in place", "optimizer/not-in-place"),
        (make_sgd(cache_pairs=True), "read the pairs from `self.model.parameters()` inside",
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

    assert_fails(check.sgd, Ascent, "step against the gradient")


# --- Adam ----------------------------------------------------------------------------------


def make_adam(correct=True, increment=True, t_start=0, swapped=False, t_in_loop=False,
              eps_inside=False, efficient=False):
    class StudentAdam:
        def __init__(self, model, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            self.model, self.lr, self.eps = model, lr, eps
            self.beta1, self.beta2 = (beta2, beta1) if swapped else (beta1, beta2)
            self.m, self.v, self.t = {}, {}, t_start

        def step(self):
            if increment and not t_in_loop:
                self.t += 1
            for i, (param, grad) in enumerate(self.model.parameters()):
                if t_in_loop:
                    self.t += 1
                self.m[i] = self.beta1 * self.m.get(i, 0.0) + (1 - self.beta1) * grad
                self.v[i] = self.beta2 * self.v.get(i, 0.0) + (1 - self.beta2) * grad**2
                m_hat, v_hat = self.m[i], self.v[i]
                if efficient:  # the paper's form: the bias correction folded into the rate
                    rate = self.lr * np.sqrt(1 - self.beta2**self.t) / (1 - self.beta1**self.t)
                    param -= rate * m_hat / (np.sqrt(v_hat) + self.eps)
                    continue
                if correct:
                    m_hat = m_hat / (1 - self.beta1**self.t)
                    v_hat = v_hat / (1 - self.beta2**self.t)
                scale = np.sqrt(v_hat + self.eps) if eps_inside else np.sqrt(v_hat) + self.eps
                param -= self.lr * m_hat / scale

    return StudentAdam


@pytest.mark.parametrize("answer", [Adam, make_adam()])
def test_adam_accepts_correct_versions(answer, capsys):
    assert_passes(check.adam, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (make_adam(correct=False), "3.2 times too long", "adam/no-bias-correction-first-step"),
        (make_adam(increment=False), "start the step counter t at 0 and add 1",
         "adam/step-counter-zero"),
        (make_adam(increment=False, t_start=1), "the step counter t stays at 1",
         "adam/t-not-incremented"),
        (make_adam(swapped=True), "β1 and β2 are swapped", "adam/betas-swapped"),
        (make_adam(t_in_loop=True), "t grows once per parameter", "adam/t-per-parameter"),
        (make_adam(eps_inside=True), "add eps after the square root", "adam/eps-inside-sqrt"),
        (make_adam(efficient=True), "the Adam paper's \"efficient\" form",
         "adam/paper-efficient-form"),
    ],
)
def test_adam_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.adam, answer, hint, mistake=mistake)


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
    standardize_sample_std_absolute_threshold,
    standardize_isclose,
    pytest.param(data.standardize, marks=pytest.mark.xfail(
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


@pytest.mark.parametrize("answer, hint, mistake", [
    (standardize_std_positive, "a constant column's computed std is rounding noise, not 0",
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
        (make_standardize(variance=True), "not by the variance", "standardize/variance"),
        (make_standardize(centre_only=True), "divide them by their standard deviation too",
         "standardize/centred-only"),
        (make_standardize(no_axis=True), "one mean and one standard deviation per column",
         "standardize/no-axis"),
        (make_standardize(pooled=True), "compute them on X_train only",
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
