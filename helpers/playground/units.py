"""Inside the playground's network: what each hidden unit outputs, and which have stopped
learning (dead ReLU units, saturated tanh or sigmoid units)."""

from __future__ import annotations

import numpy as np


def forward_with_hidden(model, F: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """One forward pass of ``F`` (M, features): the output (M,) and each hidden layer's
    output after its activation, (M, width) per layer.

    A layer with a ``W`` is a Linear layer; any other layer but the last is an activation
    that ends a hidden layer. No layer's ``parameters()`` is asked: a student's reads
    gradients that exist only after a backward pass.
    """
    layers = list(getattr(model, "layers", []))
    if not layers:
        return np.asarray(model.forward(F), dtype=float).reshape(-1), []
    hidden, x = [], F
    with np.errstate(over="ignore", invalid="ignore"):
        for k, layer in enumerate(layers):
            x = layer.forward(x)
            if k < len(layers) - 1 and not hasattr(layer, "W"):
                hidden.append(np.asarray(x, dtype=float))
    return np.asarray(x, dtype=float).reshape(-1), hidden


def _slope(h: np.ndarray, activation: str) -> np.ndarray:
    return 1 - h**2 if activation == "tanh" else 4 * h * (1 - h)


def unit_report(state) -> dict[str, int]:
    """How many hidden units are **dead** (a ReLU that outputs 0 on every training point,
    so it gets no gradient) and **saturated** (a tanh or sigmoid unit on its flat part,
    slope below 5 % of its largest, on at least 90 % of the training points)."""
    _, outputs = forward_with_hidden(state.model, state.inputs(state.X))
    activation = state.settings.activation
    dead = saturated = 0
    for h in outputs:
        if activation == "relu":
            dead += int(np.sum(np.all(h <= 0, axis=0)))
        elif activation in ("tanh", "sigmoid"):
            flat = ~(_slope(h, activation) >= 0.05)
            saturated += int(np.sum(np.mean(flat, axis=0) >= 0.9))
    return {"dead": dead, "saturated": saturated, "units": sum(h.shape[1] for h in outputs)}


def unit_line(state) -> str:
    """"2 of 8 units dead" (ReLU), "… saturated" (tanh, sigmoid), "8 units" (linear)."""
    report = unit_report(state)
    if not report["units"]:
        return "no hidden units"
    if state.settings.activation == "linear":
        return f"{report['units']} linear units (none can saturate)"
    kind = "dead" if state.settings.activation == "relu" else "saturated"
    return f"{report[kind]} of {report['units']} units {kind}"
