"""The playground in words: whose code trains, and the numbers its picture shows."""

from __future__ import annotations

from .options import FEATURE_LABELS
from .units import unit_line

_ACTIVATION_CLASS = {"tanh": "Tanh", "relu": "ReLU", "sigmoid": "Sigmoid"}


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _whose(state, name: str) -> str:
    return "your" if name in state.given else "the package's"


def describe(state, batch_size: int | None = None, regularisation: str = "none",
             rate: float = 0.0) -> str:
    """One line: which classes, which loss and which loop train the network now."""
    s = state.settings
    if state.make_model is not None:
        network = "your make_model's network"
    else:
        used = ["Linear", _ACTIVATION_CLASS.get(s.activation) if s.layers else None,
                "Sigmoid" if s.output == "sigmoid" else None, "Sequential"]
        used = list(dict.fromkeys(u for u in used if u))
        mine = [u for u in used if u in state.given]
        theirs = [u for u in used if u not in state.given]
        parts = ([f"your {_names(mine)}"] if mine else []) + (
            [f"the package's {_names(theirs)}"] if theirs else [])
        if s.activation == "linear" and s.layers:
            parts.append("the playground's linear activation")
        network = _names(parts)
    if s.output == "sigmoid":
        loss = "the playground's binary cross-entropy (for the sigmoid output)"
    else:
        loss = f"{_whose(state, 'MSELoss')} MSELoss"
    rate = 0.0 if regularisation == "none" else rate
    if state.uses_train(batch_size, rate):
        loop = "your train()"
    else:
        why = [reason for reason, applies in (
            ("no train() was given", state.train_fn is None),
            ("mini-batches", batch_size is not None and batch_size < len(state.X)),
            (f"{regularisation} regularisation", bool(rate))) if applies]
        why = "; ".join(why)
        loop = f"the playground's own loop ({why})"
    return f"Training {network}, with {loss}, in {loop}."


def percent(fraction: float) -> str:
    """0.36 as "36 %", the course's way."""
    return f"{100 * fraction:.0f} %"


def network_words(state) -> str:
    """"x₁, x₂ → 2 hidden layers of 4 and 2 tanh units → sigmoid output"."""
    s = state.settings
    inputs = ", ".join(FEATURE_LABELS[f] for f in s.features)
    if not s.layers:
        hidden = "no hidden layer"
    else:
        widths = (str(s.layers[0]) if len(set(s.layers)) == 1
                  else _names([str(w) for w in s.layers]))
        count = len(s.layers)
        hidden = f"{count} hidden layer{'s' * (count > 1)} of {widths} {s.activation} units"
    return f"{inputs} → {hidden} → {s.output} output"


def facts(state, shown_epoch: int | None = None) -> list[str]:
    """What the picture shows, as sentences (the picture's text alternative)."""
    s = state.settings
    when = (f"Replay: the network at epoch {shown_epoch} of {state.epoch}."
            if shown_epoch is not None else f"Epoch {state.epoch}.")
    if s.task == "regression":
        errors = (f"mean squared error {state.training_error():.3g} on the training points, "
                  f"{state.validation_error():.3g} on the validation points.")
    else:
        errors = (f"training error {percent(state.training_error())}, validation error "
                  f"{percent(state.validation_error())}.")
    if state.diverged:
        loss = f"The loss diverged ({state.losses[-1]:.3g}) at epoch {state.epoch}."
    elif state.losses:
        if shown_epoch is None:  # the network as it is now, the moment the error rates show
            now = (state.loss_on(state.X, state.y), state.loss_on(state.X_val, state.y_val))
        else:  # losses[e] is measured before epoch e + 1's step: after e epochs
            at = min(shown_epoch, state.epoch - 1)
            now = (state.losses[at], state.val_losses[at])
        loss = (f"Loss: training {now[0]:.3g}, validation {now[1]:.3g} (at the start "
                f"{state.losses[0]:.3g}, {state.val_losses[0]:.3g}).")
    else:
        loss = "Not trained yet: press play or step."
    points = (f"{len(state.X)} training points (filled), {len(state.X_val)} validation "
              f"points (hollow).")
    return [when, f"{s.dataset}: {errors}", loss,
            f"Network: {network_words(state)}; {unit_line(state)}.", points]
