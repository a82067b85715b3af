"""The bodies of notebook 05's question checks: derivation steps, predictions, the sweep.

A question's answer is a named constant (a number or a letter) or a small function; each
wrong answer a student is likely to give has a sentence that names its misconception.
``helpers.check.sgd`` registers each one in the notebook's order (``check.summary`` lists a
module's exercises in the order they were registered).
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..losses import MSELoss
from ..nn import Linear, Sequential, Tanh
from ..optim import SGD
from ._core import Check, fmt
from .mistakes import Hint, mistake

__all__ = [
    "epoch_loss_example", "momentum_velocity", "adam_m_first_step", "bias_correction",
    "raw_input_lr_limit", "constant_column_cause", "predict_batch_per_epoch",
    "adam_first_step", "predict_ravine_worst", "ravine_lr_limit", "predict_lr_above_limit",
    "lr_sweep",
]

_NOT_A_NUMBER = mistake("sgd-question/not-a-number",
                        "the answer is one plain number, such as 0.5 or -3.0 (not a string, "
                        "a list or an expression that failed).")
_NOT_AN_OPTION = mistake("sgd-question/not-an-option",
                         "the answer is one of the letters listed in the question, as a "
                         "string: \"a\", \"b\", ...")


def _number(ex: Check, name: str) -> float:
    value = ex.obj
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        ex.fail(f"{name} is {type(value).__name__} {fmt(value)}; expected a number.",
                _NOT_A_NUMBER)
    value = float(value)
    if not math.isfinite(value):
        ex.fail(f"{name} is {value}; expected a finite number.", _NOT_A_NUMBER)
    return value


def _value(ex: Check, name: str, want: float, wrong: list[tuple[float, Hint]], fallback: Hint,
           *, rtol: float = 1e-3, atol: float = 1e-9, what: str = "") -> None:
    """The constant ``name`` must equal ``want``; a known wrong value gets its sentence."""
    got = _number(ex, name)
    if math.isclose(got, want, rel_tol=rtol, abs_tol=atol):
        return
    message = f"{name} = {got:.6g} is not {what or 'the value asked for'}."
    for value, hint in wrong:
        if math.isclose(got, value, rel_tol=rtol, abs_tol=atol):
            ex.fail(message, hint)
    ex.fail(message, fallback)


def _choice(ex: Check, name: str, options: str, right: str, wrong: dict[str, Hint]) -> None:
    """The constant ``name`` must be the letter ``right`` among ``options``."""
    value = ex.obj
    letter = value.strip().strip("()").lower() if isinstance(value, str) else None
    if letter not in tuple(options):
        ex.fail(f"{name} is {fmt(value)}; expected one of "
                f"{', '.join(repr(o) for o in options)}.", _NOT_AN_OPTION)
    if letter != right:
        ex.fail(f"{name} = {letter!r} is not the right choice.", wrong[letter])


# --- train_epoch: the mean loss of an epoch -----------------------------------------------


def epoch_loss_example(ex: Check) -> None:
    """EPOCH_LOSS_EXAMPLE: batches of 4, 4 and 2 samples with mean losses 1, 1 and 4."""
    _value(ex, "EPOCH_LOSS_EXAMPLE", 1.6, [
        (2.0, mistake("epoch_loss_example/mean-of-batch-means",
                      "that is the plain mean of the three batch losses: it gives the last "
                      "batch, of only 2 samples, the same weight as a full batch of 4, so "
                      "each of its samples counts twice as much as any other sample.")),
        (6.0, mistake("epoch_loss_example/sum-of-batch-losses",
                      "that is the sum of the batch losses, which grows with the number of "
                      "batches; the question asks for a mean per sample.")),
        (16.0, mistake("epoch_loss_example/total-not-divided",
                       "that is the total loss of all 10 samples: a mean per sample divides "
                       "by how many there are.")),
        (2.4, mistake("epoch_loss_example/full-batches-counted",
                      "that counts 4 samples in every batch, 12 in all, but the last batch "
                      "holds 2 and the epoch 10.")),
        (4.0, mistake("epoch_loss_example/last-batch",
                      "that is the last batch's loss alone, not the epoch's.")),
    ], mistake("epoch_loss_example/wrong-value",
               "each batch loss is a mean over its own samples: what is the total loss of "
               "each batch, and of the epoch, before you average per sample?"),
        what="the mean loss per sample of this epoch")


# --- momentum: the velocity under a constant gradient --------------------------------------


def momentum_velocity(ex: Check) -> None:
    """MOMENTUM_VELOCITY: where v ← μ v − η g settles for g = 2, η = 0.1, μ = 0.9, v0 = 0."""
    got = _number(ex, "MOMENTUM_VELOCITY")
    if -2.0 < got < -0.2 and not math.isclose(got, -2.0, rel_tol=1e-3):
        steps = math.log(1 - got / -2.0) / math.log(0.9) if got > -2.0 else None
        if steps is not None and abs(steps - round(steps)) < 0.02:
            ex.fail(f"MOMENTUM_VELOCITY = {got:.6g} is the velocity after {round(steps)} steps, "
                    "still on its way.",
                    mistake("momentum_velocity/not-settled",
                            "the velocity still grows after those steps: the question asks "
                            "for the value it settles at, where one more step leaves it "
                            "unchanged."))
    _value(ex, "MOMENTUM_VELOCITY", -2.0, [
        (2.0, mistake("momentum_velocity/sign",
                      "the velocity takes in −η g at every step: with a positive gradient "
                      "it points the other way, downhill.")),
        (-0.2, mistake("momentum_velocity/first-step",
                       "that is the velocity after the first step, −η g; the next step keeps "
                       "0.9 of it and adds −η g again, so it keeps growing.")),
        (-20.0, mistake("momentum_velocity/no-learning-rate",
                        "that leaves out the learning rate: each step adds −η g = −0.2, not "
                        "−g.")),
        (-0.02, mistake("momentum_velocity/times-one-minus-mu",
                        "that multiplies by 1 − μ where the sum of the geometric series "
                        "1 + μ + μ² + ... divides by it.")),
        (-1.8, mistake("momentum_velocity/one-term-short",
                       "that is μ times the settled velocity: the series 1 + μ + μ² + ... "
                       "starts at 1, the newest step's own −η g.")),
        (0.0, mistake("momentum_velocity/decays-to-zero",
                      "the old velocity decays, but every step adds a fresh −η g: the "
                      "velocity settles where the decay and the push balance, not at 0.")),
    ], mistake("momentum_velocity/wrong-value",
               "write v after steps 1, 2 and 3 as multiples of −η g; the factors form a "
               "geometric series. Where does it go after many steps?"),
        what="the velocity momentum settles at")


# --- Adam: the bias correction ------------------------------------------------------------


def adam_m_first_step(ex: Check) -> None:
    """ADAM_M_FIRST_STEP: m after one step from m = 0, with β1 = 0.9 and g = 1."""
    _value(ex, "ADAM_M_FIRST_STEP", 0.1, [
        (0.9, mistake("adam_m_first_step/weights-swapped",
                      "the running mean keeps β1 = 0.9 of the old m (here 0) and takes "
                      "1 − β1 of the new gradient, not the other way round.")),
        (1.0, mistake("adam_m_first_step/already-g",
                      "that is g itself, what m should be; but m starts at 0 and a running "
                      "mean moves only part of the way towards g in one step.")),
        (0.0, mistake("adam_m_first_step/unchanged",
                      "m does start at 0, but the first step already adds a part of g.")),
    ], mistake("adam_m_first_step/wrong-value",
               "put m0 = 0, β1 = 0.9 and g = 1 into the update of m, once."),
        what="m after one step")


_CORRECTION_POINTS = ((0.9, 1), (0.9, 2), (0.9, 3), (0.999, 1), (0.5, 4), (0.8, 10))


def bias_correction(ex: Check) -> None:
    """bias_correction(beta, t): what m (or v) after t steps of a constant g is divided by."""
    wrongs = [
        (lambda b, t: b**t, mistake("bias_correction/beta-power",
                                    "your factor is the weight left on the starting 0, not the "
                                    "weight the gradients have gathered; at t = 1, β = 0.9 "
                                    "that is 0.9, but m is 0.1 g.")),
        (lambda b, t: 1 - b ** (t + 1), mistake("bias_correction/one-step-ahead",
                                                "your factor is one step ahead: at t = 1 it "
                                                "should turn the first step's m into g.")),
        (lambda b, t: 1 - b, mistake("bias_correction/first-step-only",
                                     "that is right for t = 1 only; after more steps m has "
                                     "gathered more of g.")),
        (lambda b, t: 1 - b ** (t - 1), mistake("bias_correction/one-step-behind",
                                                "your factor is one step behind: at t = 1 it "
                                                "is 0, and m / 0 is not g.")),
        (lambda b, t: 1 / (1 - b**t), mistake("bias_correction/inverted",
                                              "that is the factor to multiply by; the "
                                              "function returns what m is divided by.")),
        (lambda b, t: (1 - b) * t, mistake("bias_correction/linear-in-t",
                                           "that adds 1 − β once per step, as if the older "
                                           "steps did not decay: the weights are "
                                           "(1 − β), (1 − β) β, (1 − β) β², ...")),
    ]
    for beta, t in _CORRECTION_POINTS:
        label = f"bias_correction({beta}, {t})"
        got = float(ex.array(ex.call(beta, t, label=label), label, shape=()))
        want = 1 - beta**t
        if math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12):
            continue
        message = (f"{label} = {got:.6g}; with a constant gradient g, m after {t} steps divided "
                   f"by it should be g.")
        for wrong, hint in wrongs:
            if math.isclose(got, wrong(beta, t), rel_tol=1e-9, abs_tol=1e-12):
                ex.fail(message, hint)
        ex.fail(message, mistake("bias_correction/wrong-value",
                                 "write m after t = 1, 2 and 3 steps of a constant g as a "
                                 "multiple of g: the factors are sums of a geometric series."))


# --- standardize: the spread of a constant column ------------------------------------------


def raw_input_lr_limit(ex: Check) -> None:
    """RAW_INPUT_LR_LIMIT: plain GD's largest stable rate for ŷ = w x, every x = 500."""
    _value(ex, "RAW_INPUT_LR_LIMIT", 2 / (2 * 500**2), [
        (2 / 500**2, mistake("raw_input_lr_limit/square-not-differentiated",
                             "that takes the curvature to be x²: differentiating the square "
                             "(w x − y)² twice brings out a factor 2 as well.")),
        (2 / (2 * 500), mistake("raw_input_lr_limit/linear-in-x",
                                "that takes the curvature to grow like x; the weight multiplies "
                                "x inside a square, so the curvature grows like x².")),
        (1 / (2 * 500**2), mistake("raw_input_lr_limit/one-over-curvature",
                                   "that is 1 over the curvature; gradient descent is stable "
                                   "up to twice that, where the one-step factor reaches −1.")),
        (1.0, mistake("raw_input_lr_limit/ravine-answer",
                      "that is the limit of the ravine, whose curvature is 2; here the "
                      "curvature comes from inputs of 500.")),
    ], mistake("raw_input_lr_limit/wrong-value",
               "differentiate L twice with respect to w to get the curvature, then use "
               "section 5's rule for the largest stable rate."),
        rtol=1e-3, atol=0.0, what="the largest stable rate on inputs of 500")


def constant_column_cause(ex: Check) -> None:
    """CONSTANT_COLUMN_CAUSE: why seven 0.1s have a computed spread that is not 0."""
    _choice(ex, "CONSTANT_COLUMN_CAUSE", "abcd", "b", {
        "a": mistake("constant_column_cause/ddof",
                     "dividing by N − 1 instead of N changes a spread's size, never makes "
                     "one out of nothing: 0 divided by anything is 0."),
        "c": mistake("constant_column_cause/epsilon-added",
                     "np.std adds nothing to protect you: it computes the mean, then the "
                     "squared distances to it, in floating point."),
        "d": mistake("constant_column_cause/random",
                     "floating point is deterministic: the same numbers, summed in the same "
                     "order, give the same result on every run."),
    })


# --- predictions ----------------------------------------------------------------------------


def predict_batch_per_epoch(ex: Check) -> None:
    """PREDICT_BATCH_PER_EPOCH: after 20 epochs at lr 0.1, B = 1 or B = N lower?"""
    _choice(ex, "PREDICT_BATCH_PER_EPOCH", "abc", "a", {
        "b": mistake("predict_batch_per_epoch/exact-gradient-wins",
                     "the whole batch's gradient is exact, but it buys one step per epoch: "
                     "20 steps in all, against 5120 smaller, noisier ones for B = 1. Per "
                     "epoch, the number of steps wins."),
        "c": mistake("predict_batch_per_epoch/same-data-same-loss",
                     "both see every sample 20 times, but B = 1 turns each sample into a "
                     "step of its own, 256 per epoch; B = N averages them into one. The "
                     "same data, very different numbers of steps."),
    })


def _pair(ex: Check, name: str) -> np.ndarray:
    value = ex.obj
    try:
        pair = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        pair = None
    if pair is None or pair.shape != (2,) or not np.all(np.isfinite(pair)):
        ex.fail(f"{name} is {fmt(value)}; expected two finite numbers, the step along θ1 and "
                "the step along θ2, such as (0.1, -0.2).",
                mistake("adam_first_step/not-a-pair",
                        "the answer is the change of θ, one number per coordinate: a pair."))
    return pair


#: (the pair, its mistake) for Adam's first step from (−9, 2), lr 0.5, gradient (−0.18, 4)
_ADAM_FIRST_STEP_SLIPS = [
    ((-0.5, 0.5), mistake("adam_first_step/uphill",
                          "each coordinate of your step has the sign of its gradient: the "
                          "update moves against the gradient, downhill.")),
    ((0.5 * 0.1 / 0.001**0.5, -0.5 * 0.1 / 0.001**0.5),
     mistake("adam_first_step/no-bias-correction",
             "that is the step with m and v left uncorrected: after one step each is only "
             "a fraction of what it estimates, and the two fractions do not cancel.")),
    ((0.5 / 0.001**0.5, -0.5 / 0.001**0.5),
     mistake("adam_first_step/only-m-corrected",
             "that corrects m but not v: the uncorrected v is a thousandth of g², so its root "
             "is about 30 times too small and the step 30 times too long.")),
    ((0.05, -0.05), mistake("adam_first_step/only-v-corrected",
                            "that corrects v but not m: the uncorrected m is a tenth of g, so "
                            "the step is ten times too short.")),
    ((0.09, -2.0), mistake("adam_first_step/plain-gradient-step",
                           "that is plain gradient descent's step, η times the gradient; "
                           "Adam divides each coordinate by the root of its own v̂.")),
    ((-8.5, 1.5), mistake("adam_first_step/position-not-step",
                          "that is where θ lands; the question asks for the step, the change "
                          "of θ.")),
]


def adam_first_step(ex: Check) -> None:
    """ADAM_FIRST_STEP: Adam's first update from (−9, 2) at lr 0.5, gradient (−0.18, 4)."""
    got = _pair(ex, "ADAM_FIRST_STEP")
    if np.allclose(got, (0.5, -0.5), rtol=0, atol=2e-3):
        return
    message = f"ADAM_FIRST_STEP = {fmt(got)} is not Adam's first step."
    for pair, hint in _ADAM_FIRST_STEP_SLIPS:
        if np.allclose(got, pair, rtol=2e-3, atol=2e-3):
            ex.fail(message, hint)
    ex.fail(message, mistake("adam_first_step/wrong-value",
                             "after one step from 0, what are the corrected m̂ and v̂ in terms "
                             "of g? Put them into the update one coordinate at a time."))


def predict_ravine_worst(ex: Check) -> None:
    """PREDICT_RAVINE_WORST: which of momentum (lr 0.3), RMSProp (lr 0.3) and Adam (lr 0.5)
    goes farthest past the minimum along the ravine's valley in 40 steps, or none."""
    _choice(ex, "PREDICT_RAVINE_WORST", "abcd", "c", {
        "a": mistake("predict_ravine_worst/momentum-swings",
                     "momentum does carry on past a turn, but along the valley its velocity "
                     "is built from the gradient there, 0.02 θ1, at most 0.18: it gathers "
                     "speed slowly and is still arriving when the 40 steps end."),
        "b": mistake("predict_ravine_worst/rmsprop-scale",
                     "RMSProp's steps are long from the start, but it keeps no memory of "
                     "the direction: each step follows the sign of the current gradient, "
                     "so it cannot keep going once the gradient has turned round."),
        "d": mistake("predict_ravine_worst/all-slow-down",
                     "that holds for steps proportional to the gradient; Adam divides the "
                     "gradient by its own size (your ADAM_FIRST_STEP), so its step along "
                     "the valley stays about η long however small the gradient gets."),
    })


# --- the learning rate's limit in the ravine -------------------------------------------------


def ravine_lr_limit(ex: Check) -> None:
    """RAVINE_LR_LIMIT: the rate above which plain GD's |θ2| grows, for the gradient 2 θ2."""
    _value(ex, "RAVINE_LR_LIMIT", 1.0, [
        (2.0, mistake("ravine_lr_limit/gradient-not-doubled",
                      "that is the limit for a gradient of θ2 itself; the gradient along θ2 "
                      "is twice θ2, so each step moves twice as far.")),
        (0.5, mistake("ravine_lr_limit/lands-on-the-floor",
                      "at that rate one step lands exactly on the floor: the fastest rate, "
                      "not the largest one. Just above it θ2 crosses the floor, yet its "
                      "distance to it still shrinks.")),
        (100.0, mistake("ravine_lr_limit/shallow-direction",
                        "that is the limit of the shallow direction θ1, whose curvature is "
                        "0.02; the steep direction θ2 is the one that breaks first.")),
        (0.95, mistake("ravine_lr_limit/the-rate-used",
                       "that is the rate plain SGD was given in the run above, chosen a "
                       "little below the limit; the question asks for the limit itself.")),
    ], mistake("ravine_lr_limit/wrong-value",
               "write θ2 after one step as a factor times θ2: for which rates is the size "
               "of that factor below 1?"),
        what="the rate above which |θ2| grows")


def predict_lr_above_limit(ex: Check) -> None:
    """PREDICT_LR_ABOVE_LIMIT: |θ2| after 40 steps of plain GD at lr 1.05, just past 1."""
    _choice(ex, "PREDICT_LR_ABOVE_LIMIT", "abc", "c", {
        "a": mistake("predict_lr_above_limit/close-enough",
                     "a rate 5 % past the limit is not 'almost stable': past it every step "
                     "multiplies the distance by a factor of size above 1, however "
                     "slightly, and 40 such steps compound."),
        "b": mistake("predict_lr_above_limit/bounces",
                     "bouncing between +2 and −2 for ever is what happens exactly at the "
                     "limit, where the factor is −1; 1.05 lies past it."),
    })


# --- the learning-rate sweep ----------------------------------------------------------------


def _sweep_problem():
    """A small noisy fit where the best rate on the training set is not the best on the
    validation set (rates 0.003, 0.01, 0.05, 0.2, ten epochs: validation prefers 0.01, the
    training loss after training 0.2, the last epoch's loss 0.05; 0.003 is worst)."""
    rng = np.random.default_rng(3)
    X = rng.uniform(-2, 2, size=(24, 1))
    y = np.sin(2 * X) + 0.4 * rng.normal(size=X.shape)
    return (X[:12], y[:12]), (X[12:], y[12:])


def _sweep_model():
    return Sequential(Linear(1, 8, np.random.default_rng(103)), Tanh(),
                      Linear(8, 1, np.random.default_rng(203)))


def _reference_epoch(model, optimizer, X, y, batch_size, rng) -> float:
    from ..data import minibatches

    loss_fn, total = MSELoss(), 0.0
    for X_batch, y_batch in minibatches(X, y, batch_size, rng):
        total += loss_fn.forward(model.forward(X_batch), y_batch) * len(X_batch)
        model.backward(loss_fn.backward())
        optimizer.step()
    return total / len(X)


def _reference_sweep(lrs, train, val, epochs, batch_size, seed, *, fresh=True, own_rng=True):
    """Validation and training losses of the sweep, or of its two classic slips."""
    model, rng = _sweep_model(), np.random.default_rng(seed)
    vals, trains, last_epoch = [], [], []
    for lr in lrs:
        model = _sweep_model() if fresh else model
        rng = np.random.default_rng(seed) if own_rng else rng
        optimizer = SGD(model, lr)
        for _ in range(epochs):
            epoch_loss = _reference_epoch(model, optimizer, *train, batch_size, rng)
        vals.append(float(MSELoss().forward(model.forward(val[0]), val[1])))
        trains.append(float(MSELoss().forward(model.forward(train[0]), train[1])))
        last_epoch.append(float(epoch_loss))
    return np.array(vals), np.array(trains), np.array(last_epoch)


def lr_sweep(ex: Check) -> None:
    """lr_sweep(...): a fresh run per rate, validation loss of each, the rate chosen on it."""
    lrs, epochs, batch_size, seed = (0.003, 0.01, 0.05, 0.2), 10, 4, 0
    train, val = _sweep_problem()
    label = (f"lr_sweep({list(lrs)}, make_model, make_optimizer, train_data, val_data, "
             f"epochs={epochs}, batch_size={batch_size}, seed={seed})")
    out = ex.call(list(lrs), _sweep_model, lambda model, lr: SGD(model, lr), train, val,
                  epochs, batch_size, seed, label=label)
    if not isinstance(out, tuple) or len(out) != 2:
        ex.fail(f"{label} returned {fmt(out)}; expected a pair (validation losses, best lr).",
                mistake("lr_sweep/not-a-pair",
                        "the function returns two things, as a tuple: the list of "
                        "validation losses, one per rate, and the rate chosen."))
    losses, best = out
    if isinstance(losses, dict):
        losses = [losses.get(lr, np.nan) for lr in lrs]
    losses = ex.array(losses, f"the losses {label} returned", shape=(len(lrs),))
    want, trains, last_epoch = _reference_sweep(lrs, train, val, epochs, batch_size, seed)
    ex.close(
        losses, want,
        f"{label} gave the validation losses {fmt(losses)}; fresh runs, each from "
        f"make_model() and its own rng, give {fmt(want)}.",
        mistakes=[
            (trains, mistake("lr_sweep/training-loss-recorded",
                             "your losses are the training set's, measured on the data the "
                             "model learnt from: a choice made on them prefers whatever fits "
                             "the training data most.")),
            (last_epoch, mistake("lr_sweep/epoch-loss-recorded",
                                 "your losses are the last epoch's training losses (what "
                                 "train_epoch returns), not losses on the validation set.")),
            (_reference_sweep(lrs, train, val, epochs, batch_size, seed, fresh=False)[0],
             mistake("lr_sweep/model-reused",
                     "only your first run starts from make_model()'s weights: each later "
                     "run went on training the model the one before had left, so the rates "
                     "were not compared from the same start.")),
            (_reference_sweep(lrs, train, val, epochs, batch_size, seed, own_rng=False)[0],
             mistake("lr_sweep/rng-shared",
                     "your runs share one generator, so each run saw other batches than the "
                     "one before: the runs differ in more than the learning rate.")),
        ],
        hint=mistake("lr_sweep/wrong-losses",
                     "your losses are none of the usual slips; compare one of your runs "
                     "with the docstring: where it starts, which batches it sees, how long "
                     "it trains, and on which data its loss is measured."),
        rtol=1e-6,
    )
    chosen = lrs[int(np.argmin(want))]
    if isinstance(best, (numbers.Real, np.floating)) and math.isclose(float(best), chosen):
        return
    message = (f"{label} chose {fmt(best)}; the validation losses {fmt(want)} for the rates "
               f"{list(lrs)} are lowest at {chosen}.")
    named = [
        (lrs[int(np.argmin(trains))], mistake("lr_sweep/chosen-on-training",
                                              "that rate has the lowest training loss: "
                                              "chosen on the training set, the sweep "
                                              "rewards fitting the training data, noise "
                                              "included.")),
        (lrs[int(np.argmin(last_epoch))], mistake("lr_sweep/chosen-on-training",
                                                  "that rate has the lowest training loss: "
                                                  "chosen on the training set, the sweep "
                                                  "rewards fitting the training data, noise "
                                                  "included.")),
        (lrs[int(np.argmax(want))], mistake("lr_sweep/largest-loss",
                                            "that rate has the largest validation loss, "
                                            "the worst of the runs.")),
        (float(np.min(want)), mistake("lr_sweep/loss-not-rate",
                                      "that is the lowest validation loss itself; the "
                                      "function returns the learning rate that reached it.")),
        (float(np.argmin(want)), mistake("lr_sweep/index-not-rate",
                                         "that is the position of the best rate in the list, "
                                         "not the rate.")),
    ]
    if isinstance(best, (numbers.Real, np.floating)):
        for value, hint in named:
            if math.isclose(float(best), value, rel_tol=1e-9):
                ex.fail(message, hint)
    ex.fail(message, mistake("lr_sweep/wrong-choice",
                             "the rate to return is the one whose run has the lowest "
                             "validation loss."))
