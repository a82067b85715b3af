"""The playground's replay: the network's weights as they were at earlier epochs."""

from __future__ import annotations

from contextlib import contextmanager

import numpy as np


def weights(model) -> list[np.ndarray]:
    """Every layer's W and b, the arrays themselves (a student's ``parameters()`` reads
    gradients that exist only after a backward pass, so it is not asked)."""
    layers = getattr(model, "layers", None)
    if layers is None:
        return [p for p, _ in model.parameters()]
    return [getattr(layer, name) for layer in layers for name in ("W", "b")
            if isinstance(getattr(layer, name, None), np.ndarray)]


class Replay:
    """Snapshots of a model's weights by epoch: every epoch at first; once ``limit`` are
    kept, every other one is dropped and the spacing doubles."""

    def __init__(self, model, limit: int = 200):
        self.model, self.limit = model, limit
        self.snapshots: list[tuple[int, list[np.ndarray]]] = []
        self.every = 1
        self.record(0)

    def record(self, epoch: int) -> None:
        """Keep the weights of ``epoch`` if it falls on the current spacing."""
        if epoch % self.every:
            return
        self.snapshots.append((epoch, [p.copy() for p in weights(self.model)]))
        if len(self.snapshots) > self.limit:
            self.snapshots = self.snapshots[::2]
            self.every *= 2

    @property
    def epochs(self) -> list[int]:
        """The epochs whose weights are recorded (0, the untrained network, first)."""
        return [epoch for epoch, _ in self.snapshots]

    @contextmanager
    def weights_at(self, epoch: int):
        """The model as it was at the last recorded epoch <= ``epoch``, for a while; yields
        that epoch."""
        recorded = [e for e in self.epochs if e <= epoch] or [0]
        saved = dict(self.snapshots)[recorded[-1]]
        params = weights(self.model)
        now = [p.copy() for p in params]
        for p, old in zip(params, saved, strict=True):
            p[...] = old
        try:
            yield recorded[-1]
        finally:
            for p, current in zip(params, now, strict=True):
                p[...] = current
