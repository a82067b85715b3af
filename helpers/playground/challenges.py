"""The playground's challenges: goals it checks itself after every update, each judged on
the validation points (never the test points)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .units import unit_report


@dataclass
class Goal:
    """A goal the panel checks itself: ``reached(state, memory)`` after every update."""

    name: str
    text: str
    reached: Callable[..., bool]


def _trained(state, epochs: int = 100) -> bool:
    return state.epoch >= epochs and not state.diverged


def _spiral_goal(state, memory) -> bool:
    s = state.settings
    return (s.dataset.startswith("spiral") and _trained(state) and sum(s.layers) <= 20
            and state.validation_error() < 0.05)


def _no_hidden_layer_goal(state, memory) -> bool:
    s = state.settings
    return (s.dataset == "circles" and not s.layers and _trained(state)
            and state.validation_error() < 0.05)


def _die_and_revive_goal(state, memory) -> bool:
    s = state.settings
    if s.activation != "relu" or not s.layers:
        return False
    report = unit_report(state)
    if state.epoch > 0 and report["dead"] >= max(1, report["units"] // 2):
        memory["died"] = True
    return (memory.get("died", False) and report["dead"] < report["units"] / 4
            and _trained(state) and state.validation_error() < 0.1)


def _edge_goal(state, memory) -> bool:
    if state.settings.dataset != "circles" or state.settings.output != "linear":
        return False
    lr = memory.get("lr")
    if lr is None:
        return False
    if state.diverged:
        memory["smallest diverging"] = min(lr, memory.get("smallest diverging", np.inf))
    elif _trained(state, 200) and state.losses[-1] < 0.5 * state.losses[0]:
        memory["largest converging"] = max(lr, memory.get("largest converging", 0.0))
    low, high = memory.get("largest converging", 0.0), memory.get("smallest diverging", np.inf)
    return 0 < low < high and low >= 0.6 * high


#: The goals of challenge mode, in order.
GOALS = (
    Goal("spiral", "spiral: validation error below 5 % with at most 20 hidden units in all",
         _spiral_goal),
    Goal("features", "circles with no hidden layer: validation error below 5 % "
         "(which input features does it need?)", _no_hidden_layer_goal),
    Goal("revive", "make half of a ReLU network's units die, then train one with under a "
         "quarter dead and validation error below 10 %", _die_and_revive_goal),
    Goal("edge", "circles, linear output: find a learning rate that converges (in 200 "
         "epochs the loss halves) and is at least 60 % of one that diverges", _edge_goal),
)


class Challenges:
    """Checks :data:`GOALS` against the playground after every update; remembers what it
    saw across resets (a network that died, the learning rates that diverged)."""

    def __init__(self, goals: tuple[Goal, ...] = GOALS):
        self.goals = goals
        self.done: dict[str, int] = {}  # goal name -> the update at which it was reached
        self.memory: dict[str, dict] = {goal.name: {} for goal in goals}
        self.updates = 0

    def update(self, state, lr: float | None = None) -> list[str]:
        """Check every goal; returns the names of those reached just now."""
        self.updates += 1
        new = []
        for goal in self.goals:
            memory = self.memory[goal.name]
            memory["lr"] = lr
            with np.errstate(over="ignore", invalid="ignore"):
                reached = goal.reached(state, memory)
            if reached and goal.name not in self.done:
                self.done[goal.name] = self.updates
                new.append(goal.name)
        return new

    def html(self) -> str:
        """The goals, each marked reached (✔, in words too) or not yet (○)."""
        lines = [f"<b>✔ reached: {goal.text}</b>" if goal.name in self.done
                 else f"○ not yet: {goal.text}" for goal in self.goals]
        return "<b>Challenges</b><br>" + "<br>".join(lines)
