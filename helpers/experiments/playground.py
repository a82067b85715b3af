"""The runs behind the answers to notebook 04's playground "Things to try" (section 9).

Each function runs the playground as a student would set it up (its controls' values, the
default seed) and returns the numbers its answer states; tests/test_playground.py asserts
them. Every choice is made on the validation points; no test point is looked at.
"""

from __future__ import annotations

import numpy as np

from ..playground import OUTPUTS, Playground
from ..playground.options import LEARNING_RATES
from ..playground.units import unit_report

#: The playground's learning rates in the order its menu lists them.
RATES = tuple(value for _, value in LEARNING_RATES)


def _run(epochs: int, lr: float, batch_size=None, regularisation="none", rate=0.0,
         **settings) -> Playground:
    state = Playground()
    state.reset(**settings)
    state.step(epochs, lr, batch_size, regularisation, rate)
    return state


def overfitting(epochs: int = 400) -> dict[str, float]:
    """Moons, noise 0.5, validation share 80 % (40 training points), 2 hidden layers of 16
    ReLU units, batch size 10, the sigmoid output's learning rate: the losses, and the
    validation loss at the end with L2 or L1 (rate 0.01) or with one layer of 4 units."""
    setup = dict(dataset="moons", noise=0.5, validation=0.8, activation="relu")
    lr = OUTPUTS["sigmoid"]
    big = _run(epochs, lr, 10, layers=(16, 16), **setup)
    val = np.array(big.val_losses)
    return {
        "training points": len(big.X),
        "training start": big.losses[0], "training end": big.losses[-1],
        "validation lowest": float(val.min()), "lowest at epoch": int(val.argmin()),
        "validation end": float(val[-1]),
        "with L2": _run(epochs, lr, 10, "L2", 0.01, layers=(16, 16), **setup).val_losses[-1],
        "with L1": _run(epochs, lr, 10, "L1", 0.01, layers=(16, 16), **setup).val_losses[-1],
        "with 4 units": _run(epochs, lr, 10, layers=(4,), **setup).val_losses[-1],
    }


def divergence(epochs: int = 200) -> dict[str, float]:
    """Circles, linear output, 1 layer of 4 tanh units: the first listed learning rate from
    0.1 up at which the loss diverges within ``epochs`` epochs; and the sigmoid output at
    the top rate: its largest loss against its first (bounded by the clip, −log 1e-12)."""
    first = next(lr for lr in RATES if lr >= 0.1 and _run(
        epochs, lr, dataset="circles", output="linear", layers=(4,)).diverged)
    top = _run(300, RATES[-1], dataset="circles", output="sigmoid", layers=(4,))
    return {"first diverging": first, "last converging": RATES[RATES.index(first) - 1],
            "top rate": RATES[-1], "top largest loss": max(top.losses),
            "top first loss": top.losses[0], "top diverged": top.diverged,
            "loss bound": float(-np.log(1e-12))}


def dead_units(top: float = 10.0, small: float = 0.3) -> dict[str, int]:
    """Circles, 1 layer of 8 units: dead ReLU and saturated tanh units after training at a
    large learning rate (``top``, 100 epochs) and at a small one (``small``, 300 epochs,
    after reset)."""
    out = {}
    for activation, kind in (("relu", "dead"), ("tanh", "saturated")):
        state = _run(100, top, dataset="circles", layers=(8,), activation=activation)
        out[f"{activation} large"] = unit_report(state)[kind]
        state.reset(new_weights=True)  # the reset button: new weights, same settings
        state.step(300, small)
        out[f"{activation} small"] = unit_report(state)[kind]
    return out


def inputs_and_activation(epochs: int = 300) -> dict[str, float]:
    """Circles: the validation error with no hidden layer on x1, x2 and on x1², x2²; and
    with 2 hidden layers of 8 linear units against 8 tanh units."""
    lr = OUTPUTS["sigmoid"]
    out = {f"no hidden layer, {' '.join(f)}": _run(epochs, lr, dataset="circles", layers=(),
                                                   features=f).validation_error()
           for f in (("x1", "x2"), ("x1²", "x2²"))}
    for activation in ("linear", "tanh"):
        out[f"2 layers of 8 {activation}"] = _run(
            epochs, lr, dataset="circles", layers=(8, 8), activation=activation
        ).validation_error()
    return out


def regularisers(epochs: int = 200, lr: float = 0.5) -> dict[str, dict[str, float]]:
    """Moons, 1 layer of 8 tanh units: for no regularisation, L2 at 0.1 and L1 at 0.03, the
    sum of the squared weights, the weights below 0.02 in size (of 24), and the validation
    error."""
    out = {}
    for kind, rate in (("none", 0.0), ("L2", 0.1), ("L1", 0.03)):
        state = _run(epochs, lr, None, kind, rate, dataset="moons", layers=(8,))
        W = [layer.W for layer in state.model.layers if hasattr(layer, "W")]
        out[kind] = {"squared": float(sum(np.sum(w**2) for w in W)),
                     "near zero": int(sum(np.sum(np.abs(w) < 0.02) for w in W)),
                     "validation error": state.validation_error()}
    return out
