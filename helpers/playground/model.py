"""The playground's model: its data (training, validation and test points), its network,
and training, without widgets or drawing."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import data, losses, nn
from .options import DATASETS, FEATURES, N_POINTS, N_TEST, BinaryCrossEntropy, Identity
from .replay import Replay
from .settings import Settings

#: A loss above this, or not finite, counts as diverged; training stops there.
DIVERGED = 1e6


def reference_classes() -> dict[str, type]:
    return {"Linear": nn.Linear, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh, "ReLU": nn.ReLU,
            "Sequential": nn.Sequential, "MSELoss": losses.MSELoss}


def split(settings: Settings, n: int, n_test: int, seed: int):
    """The points of ``settings``' data: (X, y), (X_val, y_val), (X_test, y_test).

    The test points are drawn with the others and set apart first, so the validation share
    changes which points train and which validate, never the test points."""
    rng = np.random.default_rng(seed)
    X, y = DATASETS[settings.dataset](n + n_test, settings.noise, rng)
    X, X_test, y, y_test = data.train_test_split(X, y, n_test / (n + n_test), rng)
    X, X_val, y, y_val = data.train_test_split(X, y, settings.validation, rng)
    return (X, y), (X_val, y_val), (X_test, y_test)


class Playground:
    """Data, network and training of notebook 04's playground.

    The network: the chosen input features → hidden layers → one output, a sigmoid
    (trained with :class:`BinaryCrossEntropy`) or the last Linear layer alone (trained with
    MSE). It is built from the given classes (``Linear=...``; the package's reference for
    those not given) or by ``make_model(width, depth, activation, rng)`` (inputs x1, x2).
    :meth:`step` trains whole epochs: with the student's ``train`` when one is given and the
    step is plain (full batch, no regularisation), else with the playground's own loop.
    """

    def __init__(self, make_model: Callable | None = None, train: Callable | None = None,
                 n: int = N_POINTS, seed: int = 0, **classes: type):
        unknown = set(classes) - set(reference_classes())
        if unknown:
            raise TypeError(f"the playground does not use {sorted(unknown)}; give any of "
                            f"{sorted(reference_classes())}")
        self.classes = {**reference_classes(), **classes}
        self.given = [name for name in reference_classes() if name in classes]
        self.make_model, self.train_fn = make_model, train
        self.n, self.seed = n, seed
        self.last_step_used_train = False
        self.reset()

    # --- building ---

    def reset(self, settings: Settings | None = None, *, new_weights: bool = False,
              **changes) -> None:
        """New data and a new, untrained network: for ``settings`` (with ``changes``), or
        for the current settings when neither is given. The network starts from the
        standard start of its settings (so the notebook's numbers hold), unless
        ``new_weights``: then from weights not drawn before (the reset button)."""
        self.draws = getattr(self, "draws", 0) + 1 if new_weights else 0
        base = settings or getattr(self, "settings", Settings())
        self.settings = base.changed(**changes)
        s = self.settings
        (self.X, self.y), (self.X_val, self.y_val), (self.X_test, self.y_test) = split(
            s, self.n, N_TEST, self.seed)
        rng = np.random.default_rng([self.seed, self.draws] if self.draws else self.seed)
        if self.make_model is not None:
            self.model = self.make_model(max(s.layers, default=0), len(s.layers),
                                         s.activation, rng)
        else:
            self.model = self._sequential(rng)
        self.loss_fn = (BinaryCrossEntropy() if s.output == "sigmoid"
                        else self.classes["MSELoss"]())
        self.shuffle = np.random.default_rng(self.seed + 1)
        self.losses: list[float] = []
        self.val_losses: list[float] = []
        self.replay = Replay(self.model)

    def _sequential(self, rng):
        c, s = self.classes, self.settings
        act = {"tanh": c["Tanh"], "relu": c["ReLU"], "sigmoid": c["Sigmoid"],
               "linear": Identity}[s.activation]
        layers, n_in = [], len(s.features)
        for width in s.layers:
            layers += [c["Linear"](n_in, width, rng), act()]
            n_in = width
        layers.append(c["Linear"](n_in, 1, rng))
        if s.output == "sigmoid":
            layers.append(c["Sigmoid"]())
        return c["Sequential"](*layers)

    # --- what the network computes ---

    def inputs(self, points: np.ndarray) -> np.ndarray:
        """The chosen features of (M, 2) points (or (M, 1) for the curve): (M, features)."""
        points = np.asarray(points, dtype=float)
        if points.shape[1] == 1:
            points = np.column_stack([points[:, 0], np.zeros(len(points))])
        return np.column_stack([FEATURES[f](points) for f in self.settings.features])

    def predict(self, points: np.ndarray) -> np.ndarray:
        """The network's outputs for raw points; nan where a diverged network overflows."""
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.asarray(self.model.forward(self.inputs(points)), dtype=float).reshape(-1)
        return np.where(np.isfinite(out), out, np.nan)

    def loss_on(self, X: np.ndarray, y: np.ndarray) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            return float(self.loss_fn.forward(self.model.forward(self.inputs(X)),
                                              np.asarray(y, dtype=float).reshape(-1, 1)))

    def error_on(self, X: np.ndarray, y: np.ndarray) -> float:
        """Classification: the fraction on the wrong side; regression: the mean squared
        error."""
        out = self.predict(X)
        if self.settings.task == "regression":
            return float(np.mean((out - y) ** 2))
        return float(np.mean((out >= 0.5) != y))

    def training_error(self) -> float:
        return self.error_on(self.X, self.y)

    def validation_error(self) -> float:
        return self.error_on(self.X_val, self.y_val)

    @property
    def epoch(self) -> int:
        return len(self.losses)

    @property
    def diverged(self) -> bool:
        """Whether the last loss is not finite or above :data:`DIVERGED`."""
        return bool(self.losses) and not (np.isfinite(self.losses[-1])
                                          and self.losses[-1] <= DIVERGED)

    # --- training ---

    def uses_train(self, batch_size: int | None = None, rate: float = 0.0) -> bool:
        """Whether :meth:`step` calls the student's ``train`` (full batch, no
        regularisation)."""
        full = batch_size is None or batch_size >= len(self.X)
        return self.train_fn is not None and full and not rate

    def step(self, epochs: int, lr: float, batch_size: int | None = None,
             regularisation: str = "none", rate: float = 0.0) -> list[float]:
        """Train ``epochs`` more epochs; returns their training losses (each measured before
        its epoch's updates, as ``train`` does), also added to ``losses``; the validation
        loss at the same moment goes to ``val_losses``. A diverged network trains no more.
        """
        rate = 0.0 if regularisation == "none" else rate
        F, T = self.inputs(self.X), np.asarray(self.y, dtype=float).reshape(-1, 1)
        use_train = self.uses_train(batch_size, rate)
        self.last_step_used_train = use_train
        new = []
        for _ in range(int(epochs)):
            if self.diverged:
                break
            with np.errstate(over="ignore", invalid="ignore"):  # a diverging run overflows
                self.val_losses.append(self.loss_on(self.X_val, self.y_val))
                if use_train:
                    loss = float(self.train_fn(self.model, self.loss_fn, F, T, lr, 1)[0])
                else:
                    loss = float(self.loss_fn.forward(self.model.forward(F), T))
                    self._own_epoch(F, T, lr, batch_size, regularisation, rate)
            self.losses.append(loss)
            new.append(loss)
            self.replay.record(self.epoch)
        return new

    def _own_epoch(self, F, T, lr, batch_size, regularisation, rate) -> None:
        order = self.shuffle.permutation(len(F))
        size = len(F) if batch_size is None else max(1, int(batch_size))
        for start in range(0, len(F), size):
            batch = order[start:start + size]
            self.loss_fn.forward(self.model.forward(F[batch]), T[batch])
            self.model.backward(self.loss_fn.backward())
            for param, grad in self.model.parameters():
                if rate and param.ndim == 2:  # weights only, not biases
                    penalty = np.sign(param) if regularisation == "L1" else param
                    param -= lr * (grad + rate * penalty)
                else:
                    param -= lr * grad
