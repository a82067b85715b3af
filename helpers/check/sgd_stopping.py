"""The body of notebook 05's ``early_stopping`` check, on a scripted run.

The student's loop trains a one-number model whose optimiser moves it along a fixed script,
so every epoch's losses, the best epoch and the epoch the patience rule stops at are known
in advance, and each classic slip leaves its own trace: a choice made on the training loss,
a patience one epoch off, a tie taken for an improvement. A saved array that moved on with
training and a restore that only rebinds a name both leave the last epoch's weights (the
grader sees only that end state), so one message names both. ``helpers.check.sgd`` registers it.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._core import Check, fmt
from .mistakes import mistake

__all__ = ["early_stopping"]

#: where the parameter stands after each epoch's one step; the validation targets are 0, so
#: the validation loss is its square: lowest at epoch 5 (0.25), tied at epoch 7
_SCRIPT = (3.0, 2.0, 1.0, 0.6, 0.5, 0.7, -0.5, 0.9, 1.2, 1.6, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5)
_START, _TRAIN_TARGET, _PATIENCE = 4.0, 2.0, 3
_BEST, _STOP = 5, 8  # the first lowest, and best + patience


class _ScriptedModel:
    """Predicts its one parameter for every sample; the gradient is the MSE's."""

    def __init__(self):
        self.theta = np.array([_START])
        self.grad = np.zeros(1)

    def forward(self, x):
        self.n = len(x)
        return np.full((len(x), 1), float(self.theta[0]))

    def backward(self, dout):
        self.grad = np.array([float(np.sum(dout))])
        return np.zeros((self.n, 1))

    def parameters(self):
        yield self.theta, self.grad


class _ScriptedOptimizer:
    """Moves the parameter to the script's next point at each step, in place."""

    def __init__(self, model):
        self.model, self.steps = model, 0

    def step(self):
        value = _SCRIPT[min(self.steps, len(_SCRIPT) - 1)]
        self.model.theta[...] = value
        self.steps += 1


def _curves(n: int):
    """The validation losses, the train_epoch losses and the training losses measured after
    each epoch, for the first n epochs."""
    theta = np.array(_SCRIPT[:n])
    before = np.array((_START, *_SCRIPT[: n - 1]))
    return theta**2, (before - _TRAIN_TARGET) ** 2, (theta - _TRAIN_TARGET) ** 2


def _prefix_matches(got, want) -> bool:
    n = min(len(got), len(want))
    return n > 0 and np.allclose(got[:n], want[:n], rtol=1e-6, atol=1e-9)


def early_stopping(ex: Check) -> None:
    """early_stopping(...): the losses, the best epoch, the stop, the restored weights."""
    model = _ScriptedModel()
    optimizer = _ScriptedOptimizer(model)
    train = (np.zeros((4, 1)), np.full((4, 1), _TRAIN_TARGET))
    val = (np.ones((3, 1)), np.zeros((3, 1)))
    epochs = len(_SCRIPT)
    label = (f"early_stopping(model, optimizer, train_data, val_data, epochs={epochs}, "
             f"patience={_PATIENCE}, batch_size=4, rng)")
    out = ex.call(model, optimizer, train, val, epochs, _PATIENCE, 4, np.random.default_rng(0),
                  label=label)
    if not isinstance(out, tuple) or len(out) != 3:
        ex.fail(f"{label} returned {fmt(out)}; expected a tuple (best_epoch, train_losses, "
                "val_losses).",
                mistake("early_stopping/not-a-triple",
                        "the function returns three things, as a tuple: the best epoch, the "
                        "list of training losses and the list of validation losses."))
    best, train_losses, val_losses = out
    val_losses = np.asarray(val_losses, dtype=float).ravel()
    train_losses = np.asarray(train_losses, dtype=float).ravel()
    want_val, want_train, train_after = _curves(epochs)
    where = f"{label}, a run whose validation loss is lowest at epoch {_BEST}"
    if not _prefix_matches(val_losses, want_val):
        if _prefix_matches(val_losses, want_train) or _prefix_matches(val_losses, train_after):
            ex.fail(f"{where}: your val_losses {fmt(val_losses[:4])} ... are the training "
                    "set's losses.",
                    mistake("early_stopping/val-is-training",
                            "your validation losses are measured on the training data; the "
                            "validation set is the one the model never learns from."))
        ex.fail(f"{where}: your val_losses start {fmt(val_losses[:4])}; after epochs 1 to 4 "
                f"the validation loss is {fmt(want_val[:4])}.",
                mistake("early_stopping/wrong-val-losses",
                        "record one validation loss per epoch, measured on val_data after "
                        "that epoch's training, in epoch order."))
    if not (_prefix_matches(train_losses, want_train)
            or _prefix_matches(train_losses, train_after)):
        ex.fail(f"{where}: your train_losses start {fmt(train_losses[:4])}; the epochs' "
                f"training losses (what train_epoch returns) are {fmt(want_train[:4])}.",
                mistake("early_stopping/wrong-train-losses",
                        "record one training loss per epoch: the mean loss per sample that "
                        "train_epoch returns."))
    if not isinstance(best, (numbers.Integral, np.integer)) or isinstance(best, bool):
        ex.fail(f"{where}: your best_epoch is {fmt(best)}; expected a whole number, the "
                "epoch counted from 1.",
                mistake("early_stopping/best-not-an-epoch",
                        "best_epoch is the number of the best epoch, 1 for the first."))
    best = int(best)
    if best != _BEST:
        on_training = mistake("early_stopping/chosen-on-training",
                              "that epoch has the lowest training loss: the best epoch is "
                              "chosen on the validation loss, the one measured on data the "
                              "model never learns from.")
        slips = {
            7: mistake("early_stopping/tie-taken-as-better",
                       "epoch 7 only ties the lowest loss of epoch 5: a tie is no "
                       "improvement, and the first epoch to reach the lowest loss is the "
                       "best."),
            _BEST - 1: mistake("early_stopping/epoch-from-zero",
                               "that is the best epoch counted from 0; epochs are counted "
                               "from 1."),
            3: on_training,
            2: on_training,
        }
        last = mistake("early_stopping/last-epoch",
                       "that is the last epoch your loop ran, not the one with the lowest "
                       "validation loss.")
        hint = slips.get(best) or (last if best == len(val_losses) else mistake(
            "early_stopping/wrong-best-epoch",
            "the best epoch is the first one whose validation loss is the lowest of the run."))
        ex.fail(f"{where}: your best_epoch is {best}.", hint)
    if len(val_losses) != _STOP or len(train_losses) != _STOP:
        ran = len(val_losses)
        message = (f"{where} and patience {_PATIENCE}: your loop ran {ran} epochs; with no "
                   f"new lowest in epochs 6, 7 and 8 it stops after epoch {_STOP}.")
        if ran == epochs:
            ex.fail(message, mistake("early_stopping/never-stops",
                                     "your loop runs every epoch: patience epochs in a row "
                                     "without a new lowest validation loss end it."))
        if ran in (_STOP - 1, _STOP + 1):
            when = "early" if ran < _STOP else "late"
            ex.fail(message, mistake("early_stopping/patience-off-by-one",
                                     f"your loop stops one epoch {when}: it must run exactly "
                                     f"{_PATIENCE} epochs after the best one, all without a "
                                     "new lowest, and no more."))
        ex.fail(message, mistake("early_stopping/wrong-stop",
                                 "count the epochs since the best one: the loop ends when "
                                 "that count reaches patience, and both lists hold one entry "
                                 "per epoch run."))
    theta = float(model.theta[0])
    if np.isclose(theta, _SCRIPT[_BEST - 1]):
        return
    message = (f"{where}: after the call the model holds {theta:g}, the weights of epoch "
               f"{_SCRIPT.index(theta) + 1 if theta in _SCRIPT else '?'}; its best epoch's "
               f"are {_SCRIPT[_BEST - 1]:g}.")
    if np.isclose(theta, _SCRIPT[_STOP - 1]):
        # the end state of both slips is the same, so the message names both
        ex.fail(message, mistake("early_stopping/last-weights-kept",
                                 "the model keeps its last epoch's weights. Either what you "
                                 "saved is the model's own array, which the optimiser kept "
                                 "changing in place, not a copy of its values at the best "
                                 "epoch; or the restore binds a name to the saved values, "
                                 "which leaves the arrays the layers hold unchanged."))
    ex.fail(message, mistake("early_stopping/wrong-weights-restored",
                             "the weights to restore are the ones saved at the epoch with the "
                             "lowest validation loss."))
