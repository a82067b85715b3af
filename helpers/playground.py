"""Notebook 04's playground: a small network trained live on 2-D data (or a 1-D curve).

:class:`Playground` holds the whole state and behaviour without widgets (data, network,
training, replay, the numbers every picture shows), so pytest drives it directly;
:func:`playground` is only the wiring of core ipywidgets around it (no threads: a ``Play``
widget ticks, and each tick trains a few epochs and redraws). :class:`Challenges` checks a
few goals after every step and ticks those reached. Re-exported from :mod:`helpers.interact`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FormatStrFormatter, LogLocator, NullFormatter

from . import data, losses, nn, plot

__all__ = [
    "PLAYGROUND_ACTIVATIONS",
    "PLAYGROUND_OUTPUTS",
    "PLAYGROUND_DATASETS",
    "PLAYGROUND_FEATURES",
    "BinaryCrossEntropy",
    "Goal",
    "Challenges",
    "Playground",
    "playground",
]

#: The activations the playground offers, by name.
PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid")

#: The playground's outputs, and the learning rate each starts with. A sigmoid output is
#: trained with binary cross-entropy on the 0/1 labels, a linear one (the last Linear layer
#: alone, thresholded at 0.5) with MSE. Both losses are unbounded, so a too large step shows
#: as it is: the loss jumps far above where it started, and with the linear output it
#: overflows (diverges). A regression (the ``curve`` data) always has the linear output.
PLAYGROUND_OUTPUTS = {"sigmoid": 0.5, "linear": 0.1}


def _two_turn_spiral(n: int = 200, noise: float = 0.1, rng=None):
    return data.spiral(n, noise, rng, turns=2.0)


def _curve(n: int = 200, noise: float = 0.1, rng=None):
    """A 1-D regression: y = sin(3x) + noise for x in [-1.5, 1.5]; X (n, 1), y (n,)."""
    x, y = data.noisy_curve(lambda t: np.sin(3 * t), n=n, noise=noise, rng=rng,
                            low=-1.5, high=1.5)
    return x, y.ravel()


#: The playground's data sets, by name: f(n, noise, rng) -> (X, y). ``curve`` is the one
#: regression: X has one column and y is a real number.
PLAYGROUND_DATASETS = {**data.DATASETS_2D, "spiral, 2 turns": _two_turn_spiral,
                       "curve": _curve}
REGRESSION = ("curve",)

#: The input features the network can be given, each computed from the point (x1, x2).
PLAYGROUND_FEATURES = {
    "x1": lambda X: X[:, 0],
    "x2": lambda X: X[:, 1],
    "x1²": lambda X: X[:, 0] ** 2,
    "x2²": lambda X: X[:, 1] ** 2,
    "x1x2": lambda X: X[:, 0] * X[:, 1],
    "sin x1": lambda X: np.sin(X[:, 0]),
    "sin x2": lambda X: np.sin(X[:, 1]),
}
_FEATURE_ORDER = tuple(PLAYGROUND_FEATURES)


class BinaryCrossEntropy:
    """−mean(y log p + (1 − y) log(1 − p)) for probabilities ``p`` (a sigmoid's output).

    ``p`` is clipped to [1e-12, 1 − 1e-12], so a confident wrong answer costs about 27.6
    instead of inf; ``backward()`` returns dL/dp = (p − y) / (p (1 − p)) / N, which the
    sigmoid's backward turns into the well-known (p − y) / N.
    """

    EPS = 1e-12

    def forward(self, pred: np.ndarray, y: np.ndarray) -> float:
        pred = np.asarray(pred, dtype=float)
        y = np.asarray(y, dtype=float).reshape(pred.shape)
        self.p, self.y = np.clip(pred, self.EPS, 1 - self.EPS), y
        return float(-np.mean(y * np.log(self.p) + (1 - y) * np.log(1 - self.p)))

    def backward(self) -> np.ndarray:
        return (self.p - self.y) / (self.p * (1 - self.p)) / self.p.size

    __call__ = forward


def _reference_classes() -> dict[str, type]:
    return {"Linear": nn.Linear, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh, "ReLU": nn.ReLU,
            "Sequential": nn.Sequential, "MSELoss": losses.MSELoss}


def _epochs_loop(model, loss_fn, X, y, lr, epochs) -> list[float]:
    """Full-batch gradient descent, ``epochs`` steps; the loss before each step."""
    history = []
    for _ in range(epochs):
        history.append(float(loss_fn.forward(model.forward(X), y)))
        model.backward(loss_fn.backward())
        for param, grad in model.parameters():
            param -= lr * grad
    return history


class Playground:
    """The playground's state and behaviour, without widgets.

    Data: one of :data:`PLAYGROUND_DATASETS`, cut into training points (``X``, ``y``) and
    test points (``X_test``, ``y_test``) by ``test_fraction``. Network: the input features
    chosen (:data:`PLAYGROUND_FEATURES`) → hidden layers of ``layers`` units → one output,
    a sigmoid (trained with :class:`BinaryCrossEntropy`) or, with ``output="linear"``, the
    last Linear layer alone (trained with MSE). It is built from the given classes
    (``Linear=...``, ``Tanh=...``; the package's reference for those not given), or by
    ``make_model(width, depth, activation, rng)`` (which sees the two inputs x1, x2).

    Training: :meth:`step` trains whole epochs. With full batches and no L2 it calls the
    student's ``train(model, loss_fn, X, y, lr, 1)`` once per epoch when one is given;
    otherwise (or with mini-batches or L2) the playground's own loop: for each batch
    forward, loss, backward, then θ ← θ − η (g + λ W) (the L2 term on weights only).
    After each epoch it records the training and test loss and, for the replay, the weights
    (every epoch at first; when :attr:`REPLAY_LIMIT` snapshots are kept, every other one is
    dropped and the spacing doubles).
    """

    #: A loss above this, or not finite, counts as diverged; training stops there.
    DIVERGED = 1e6
    #: At most this many weight snapshots are kept for the replay.
    REPLAY_LIMIT = 200

    def __init__(self, make_model: Callable | None = None, train: Callable | None = None,
                 n: int = 200, seed: int = 0, **classes: type):
        unknown = set(classes) - set(_reference_classes())
        if unknown:
            raise TypeError(f"the playground does not use {sorted(unknown)}; give any of "
                            f"{sorted(_reference_classes())}")
        self.classes = {**_reference_classes(), **classes}
        self.given = sorted(classes)
        self.make_model = make_model
        self.train_fn = train
        self.n, self.seed = n, seed
        self.losses: list[float] = []
        self.test_losses: list[float] = []
        self.output = "sigmoid"
        self.last_step_used_train = False

    # --- building ---

    def _sequential(self, rng):
        c = self.classes
        act = {"tanh": c["Tanh"], "relu": c["ReLU"], "sigmoid": c["Sigmoid"]}[self.activation]
        layers, n_in = [], len(self.features)
        for width in self.layers:
            layers += [c["Linear"](n_in, width, rng), act()]
            n_in = width
        layers.append(c["Linear"](n_in, 1, rng))
        if self.output == "sigmoid":
            layers.append(c["Sigmoid"]())
        return c["Sequential"](*layers)

    def reset(self, dataset: str = "xor", noise: float = 0.1, width: int = 4, depth: int = 1,
              activation: str = "tanh", output: str = "sigmoid", *,
              layers: tuple[int, ...] | None = None, test_fraction: float = 0.5,
              features: tuple[str, ...] = ("x1", "x2")) -> None:
        """New data and a new, untrained network for these settings.

        ``layers`` gives each hidden layer's width (0 to 4 layers of 1 to 16 units); without
        it, ``depth`` layers of ``width`` units. ``curve`` is a regression: its output is
        always linear and only the features of x1 apply.
        """
        if dataset not in PLAYGROUND_DATASETS:
            raise ValueError(f"dataset must be one of {tuple(PLAYGROUND_DATASETS)}; "
                             f"got {dataset!r}")
        if activation not in PLAYGROUND_ACTIVATIONS:
            raise ValueError(f"activation must be one of {PLAYGROUND_ACTIVATIONS}; "
                             f"got {activation!r}")
        if output not in PLAYGROUND_OUTPUTS:
            raise ValueError(f"output must be one of {tuple(PLAYGROUND_OUTPUTS)}; "
                             f"got {output!r}")
        layers = tuple(int(w) for w in (layers if layers is not None else (width,) * depth))
        if len(layers) > 4 or any(not 1 <= w <= 16 for w in layers):
            raise ValueError(f"layers gives each hidden layer's width: at most 4 layers of 1 "
                             f"to 16 units; got {layers}")
        unknown = set(features) - set(PLAYGROUND_FEATURES)
        if unknown:
            raise ValueError(f"features must be among {_FEATURE_ORDER}; got {sorted(unknown)}")
        self.task = "regression" if dataset in REGRESSION else "classification"
        if self.task == "regression":
            output = "linear"
            features = tuple(f for f in features if "2" not in f) or ("x1",)
        if not features:
            raise ValueError("choose at least one input feature")
        rng = np.random.default_rng(self.seed)
        self.dataset, self.noise, self.activation, self.output = dataset, noise, activation, output
        self.layers, self.depth = layers, len(layers)
        self.width = max(layers, default=0)
        self.features = tuple(f for f in _FEATURE_ORDER if f in features)
        self.test_fraction = test_fraction
        X, y = PLAYGROUND_DATASETS[dataset](self.n, noise, rng)
        self.X, self.X_test, self.y, self.y_test = data.train_test_split(X, y, test_fraction, rng)
        if self.make_model is None:
            self.model = self._sequential(rng)
        else:
            self.model = self.make_model(self.width, self.depth, activation, rng)
        self.loss_fn = BinaryCrossEntropy() if output == "sigmoid" else self.classes["MSELoss"]()
        self.shuffle = np.random.default_rng(self.seed + 1)
        self.losses, self.test_losses = [], []
        self.replay: list[tuple[int, list[np.ndarray]]] = []
        self._replay_every = 1
        self._snapshot()

    # --- what the network computes ---

    def inputs(self, points: np.ndarray) -> np.ndarray:
        """The chosen features of (M, 2) points (or (M, 1) for the curve): (M, features)."""
        points = np.asarray(points, dtype=float)
        if points.shape[1] == 1:
            points = np.column_stack([points[:, 0], np.zeros(len(points))])
        return np.column_stack([PLAYGROUND_FEATURES[f](points) for f in self.features])

    def predict(self, points: np.ndarray) -> np.ndarray:
        """The network's outputs for raw points; nan where a diverged network overflows."""
        with np.errstate(over="ignore", invalid="ignore"):
            out = np.asarray(self.model.forward(self.inputs(points)), dtype=float).reshape(-1)
        return np.where(np.isfinite(out), out, np.nan)

    def _targets(self, y: np.ndarray) -> np.ndarray:
        return np.asarray(y, dtype=float).reshape(-1, 1)

    def loss_on(self, X: np.ndarray, y: np.ndarray) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            return float(self.loss_fn.forward(self.model.forward(self.inputs(X)),
                                              self._targets(y)))

    def accuracy(self) -> float:
        """The fraction of training points on the right side (classification)."""
        return float(np.mean((self.predict(self.X) >= 0.5) == self.y))

    def test_error(self) -> float:
        """The fraction of test points on the wrong side (classification)."""
        return float(np.mean((self.predict(self.X_test) >= 0.5) != self.y_test))

    @property
    def epoch(self) -> int:
        return len(self.losses)

    @property
    def diverged(self) -> bool:
        """Whether the last loss is not finite or above :attr:`DIVERGED`."""
        return bool(self.losses) and not (np.isfinite(self.losses[-1])
                                          and self.losses[-1] <= self.DIVERGED)

    # --- training ---

    def uses_train(self, batch_size: int | None = None, l2: float = 0.0) -> bool:
        """Whether :meth:`step` calls the student's ``train`` (full batches, no L2)."""
        full = batch_size is None or batch_size >= len(self.X)
        return self.train_fn is not None and full and l2 == 0

    def describe(self, batch_size: int | None = None, l2: float = 0.0) -> str:
        """One line: whose classes are trained, and by which loop."""
        if self.make_model is not None:
            whose = "your make_model's network"
        elif self.given:
            whose = "your " + ", ".join(self.given)
        else:
            whose = "the package's reference layers"
        loop = ("your train()" if self.uses_train(batch_size, l2)
                else "the playground's own loop (mini-batches, L2)")
        return f"Training {whose} with {loop}."

    def _own_epoch(self, F, T, lr, batch_size, l2) -> None:
        order = self.shuffle.permutation(len(F))
        size = len(F) if batch_size is None else max(1, int(batch_size))
        for start in range(0, len(F), size):
            batch = order[start:start + size]
            self.loss_fn.forward(self.model.forward(F[batch]), T[batch])
            self.model.backward(self.loss_fn.backward())
            for param, grad in self.model.parameters():
                if l2 and param.ndim == 2:  # weights only, not biases
                    param -= lr * (grad + l2 * param)
                else:
                    param -= lr * grad

    def step(self, epochs: int, lr: float, batch_size: int | None = None,
             l2: float = 0.0) -> list[float]:
        """Train ``epochs`` more epochs; returns their training losses (each measured before
        its epoch's updates, as ``train`` does), also added to ``losses``; the test loss at
        the same moment goes to ``test_losses``.

        Once the loss has diverged, nothing more is trained (the weights are inf or nan).
        """
        new = []
        F, T = self.inputs(self.X), self._targets(self.y)
        use_train = self.uses_train(batch_size, l2)
        self.last_step_used_train = use_train
        for _ in range(int(epochs)):
            if self.diverged:
                break
            with np.errstate(over="ignore", invalid="ignore"):  # a diverging run overflows
                self.test_losses.append(self.loss_on(self.X_test, self.y_test))
                if use_train:
                    loss = float(self.train_fn(self.model, self.loss_fn, F, T, lr, 1)[0])
                else:
                    loss = float(self.loss_fn.forward(self.model.forward(F), T))
                    self._own_epoch(F, T, lr, batch_size, l2)
            self.losses.append(loss)
            new.append(loss)
            if self.epoch % self._replay_every == 0:
                self._snapshot()
        return new

    # --- replay ---

    def _weights(self) -> list[np.ndarray]:
        """Every layer's W and b, the arrays themselves (a student's ``parameters()`` may
        read gradients that exist only after a backward pass)."""
        layers = getattr(self.model, "layers", None)
        if layers is None:
            return [p for p, _ in self.model.parameters()]
        return [getattr(layer, name) for layer in layers for name in ("W", "b")
                if isinstance(getattr(layer, name, None), np.ndarray)]

    def _snapshot(self) -> None:
        self.replay.append((self.epoch, [p.copy() for p in self._weights()]))
        if len(self.replay) > self.REPLAY_LIMIT:
            self.replay = self.replay[::2]
            self._replay_every *= 2

    @property
    def replay_epochs(self) -> list[int]:
        """The epochs whose weights are recorded (0, the untrained network, first)."""
        return [epoch for epoch, _ in self.replay]

    @contextmanager
    def weights_at(self, epoch: int):
        """The network as it was at the last recorded epoch <= ``epoch``, for a while."""
        recorded = [e for e in self.replay_epochs if e <= epoch] or [0]
        saved = dict(self.replay)[recorded[-1]]
        params = self._weights()
        now = [p.copy() for p in params]
        for p, old in zip(params, saved, strict=True):
            p[...] = old
        try:
            yield recorded[-1]
        finally:
            for p, current in zip(params, now, strict=True):
                p[...] = current

    # --- seeing inside ---

    def unit_report(self) -> dict[str, int]:
        """How many hidden units are **dead** (a ReLU that outputs 0 on every training point,
        so it gets no gradient) and **saturated** (a tanh or sigmoid unit on its flat part,
        slope below 5 % of its largest, on at least 90 % of the training points)."""
        dead = saturated = 0
        with np.errstate(over="ignore", invalid="ignore"):
            outputs = plot.hidden_outputs(self.model, self.inputs(self.X))
        for h in outputs:
            if self.activation == "relu":
                dead += int(np.sum(np.all(h <= 0, axis=0)))
            else:
                slope = 1 - h**2 if self.activation == "tanh" else 4 * h * (1 - h)
                saturated += int(np.sum(np.mean(~(slope >= 0.05), axis=0) >= 0.9))
        return {"dead": dead, "saturated": saturated, "units": sum(h.shape[1] for h in outputs)}

    def unit_line(self) -> str:
        report = self.unit_report()
        kind = "dead" if self.activation == "relu" else "saturated"
        return f"{report[kind]} of {report['units']} units {kind}"

    def draw(self, epoch: int | None = None) -> Figure:
        """The panel's picture: data and what the network predicts (test points hollow),
        training and test loss, the network (edges by sign and size), and each hidden
        unit's output map. ``epoch`` shows the replay: the network as recorded then."""
        if epoch is None:
            return self._draw(None)
        with self.weights_at(epoch) as shown:
            return self._draw(shown)

    def _draw(self, replayed: int | None) -> Figure:
        with np.errstate(over="ignore", invalid="ignore"):
            span = np.vstack([self.X, self.X_test])
            if self.task == "regression":
                grid = np.linspace(span.min(), span.max(), 200)[:, None]
                hidden_grid = np.linspace(span.min(), span.max(), 80)[:, None]
            else:
                gx, gy, grid = plot._grid(span, 100)
                hidden_grid = plot._grid(span, 40)[2]
            hidden = plot.hidden_outputs(self.model, self.inputs(hidden_grid))
            units = sum(h.shape[1] for h in hidden)
            map_rows = sum(-(-h.shape[1] // 10) for h in hidden)
            # a fixed layout, in inches: constrained layout would double a redraw's time
            maps_h = 0.95 * map_rows + 0.45 if units else 0.0
            height = 3.6 + maps_h
            fig = plt.figure(figsize=(9.4, height))

            def box(left, bottom, width, top_height):
                return fig.add_axes((left / 9.4, bottom / height, width / 9.4,
                                     top_height / height))

            row = maps_h + 0.5  # the top row's bottom edge: room for its x labels
            ax_data = (box(0.55, row, 2.3, 2.25) if self.task == "regression"
                       else box(0.1, row, 2.7, 2.25))
            ax_loss = box(3.65, row, 2.35, 2.25)
            ax_net = box(6.3, row, 3.0, 2.25)
            outputs = self.predict(grid)
            self._draw_data(ax_data, grid, outputs, gx if self.task != "regression" else None,
                            gy if self.task != "regression" else None)
            self._draw_losses(ax_loss, replayed)
            plot.network_diagram(self.model, ax_net, collection=True)
            ax_net.set_title(" ".join(self.features) + " → output", fontsize=9)
            ax_net.tick_params(labelsize=7)
            if units:
                ax = box(0.55, 0.2, 8.8, maps_h - 0.45)
                plot.unit_maps(hidden, ax, per_row=min(10, max(self.layers)),
                               shape=None if self.task == "regression" else (40, 40))
                ax.set_title(f"what each hidden unit outputs: {self.unit_line()}", fontsize=10)
            when = f"replay: epoch {replayed} of {self.epoch}" if replayed is not None \
                else f"epoch {self.epoch}"
            fig.text(0.01, 1 - 0.08 / height, when, fontsize=10, ha="left", va="top",
                     weight="bold")
        return fig

    def _draw_data(self, ax, grid, outputs, gx, gy) -> None:
        if self.task == "regression":
            ax.scatter(self.X[:, 0], self.y, s=14, color=plot.CLASS_COLORS[1], label="training")
            ax.scatter(self.X_test[:, 0], self.y_test, s=14, facecolors="none",
                       edgecolors=plot.CLASS_COLORS[0], label="test")
            ax.plot(grid[:, 0], outputs, color="black", lw=2, label="network")
            ax.set_ylim(min(self.y.min(), self.y_test.min()) - 0.5,
                        max(self.y.max(), self.y_test.max()) + 0.5)
            ax.set_xlabel("$x$")
            ax.set_ylabel("$y$")
            ax.legend(fontsize=7, loc="lower right")
            test_mse = np.mean((self.predict(self.X_test) - self.y_test) ** 2)
            ax.set_title(f"curve: test MSE {test_mse:.3g}", fontsize=10)
            return
        classes = (outputs >= 0.5).astype(float)
        classes[np.isnan(outputs)] = np.nan
        ax.contourf(gx, gy, classes.reshape(gx.shape), levels=[-0.5, 0.5, 1.5],
                    colors=plot.REGION_COLORS[:2], zorder=0)
        for k in (0, 1):
            colour = plot.CLASS_COLORS[k]
            train, test = self.X[self.y == k], self.X_test[self.y_test == k]
            ax.scatter(train[:, 0], train[:, 1], s=16, color=colour, edgecolor="white",
                       linewidth=0.4, zorder=3)
            ax.scatter(test[:, 0], test[:, 1], s=16, facecolors="none", edgecolors=colour,
                       linewidth=1.0, zorder=3)
        ax.set_xlim(gx.min(), gx.max())
        ax.set_ylim(gy.min(), gy.max())
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(f"{self.dataset}: training error {1 - self.accuracy():.0%},\n"
                     f"test error {self.test_error():.0%} (hollow points)", fontsize=9)

    def _draw_losses(self, ax, replayed: int | None) -> None:
        if not self.losses:
            ax.text(0.5, 0.5, "not trained yet:\npress play or step", ha="center",
                    va="center", transform=ax.transAxes)
            ax.set_axis_off()
            return
        plot.loss_curve(self.losses, ax, log=True, xlabel="epoch", label="training",
                        color=plot.CLASS_COLORS[1])
        plot.loss_curve(self.test_losses, ax, log=True, xlabel="epoch", label="test",
                        color=plot.CLASS_COLORS[0])
        # plain labels (0.3, not 3×10⁻¹); between the powers of ten only on a short range
        values = np.array([*self.losses, *self.test_losses], dtype=float)
        finite = values[np.isfinite(values) & (values > 0)]
        decades = np.log10(finite.max() / finite.min()) if len(finite) else 0.0
        ax.yaxis.set_major_formatter(FormatStrFormatter("%.2g"))
        ax.yaxis.set_minor_locator(LogLocator(subs=(2.0, 5.0)))
        ax.yaxis.set_minor_formatter(FormatStrFormatter("%.2g") if decades < 1.5
                                     else NullFormatter())
        if replayed is not None:
            ax.axvline(replayed, color="0.3", lw=1, ls=":")
        if replayed is not None and replayed < self.epoch:
            title = (f"loss at epoch {replayed}: training {self.losses[replayed]:.3g},\n"
                     f"test {self.test_losses[replayed]:.3g}")
        elif self.diverged:
            title = f"diverged: loss {self.losses[-1]:.3g}\nat epoch {self.epoch}"
        else:
            title = (f"loss: training {self.losses[-1]:.3g},\n"
                     f"test {self.test_losses[-1]:.3g}")
        ax.set_title(title, fontsize=9)


# --- challenge mode ---


@dataclass
class Goal:
    """A goal the panel checks itself: ``reached(state, memory)`` after every update."""

    name: str
    text: str
    reached: Callable[[Playground, dict], bool]


def _trained(state: Playground, epochs: int = 100) -> bool:
    return state.epoch >= epochs and not state.diverged


def _spiral_goal(state, memory):
    return (state.dataset.startswith("spiral") and _trained(state)
            and sum(state.layers) <= 20 and state.test_error() < 0.05)


def _no_hidden_layer_goal(state, memory):
    return (state.dataset == "circles" and not state.layers and _trained(state)
            and state.test_error() < 0.05)


def _die_and_revive_goal(state, memory):
    if state.activation != "relu" or not state.layers:
        return False
    report = state.unit_report()
    if state.epoch > 0 and report["dead"] >= max(1, report["units"] // 2):
        memory["died"] = True
    return (memory.get("died", False) and report["dead"] < report["units"] / 4
            and _trained(state)
            and state.test_error() < 0.1)


def _edge_goal(state, memory):
    if state.dataset != "circles" or state.output != "linear":
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
    Goal("spiral", "spiral: test error below 5 % with at most 20 hidden units in all",
         _spiral_goal),
    Goal("features", "circles with no hidden layer: test error below 5 % "
         "(which input features does it need?)", _no_hidden_layer_goal),
    Goal("revive", "make half of a ReLU network's units die, then train one with under a "
         "quarter dead and test error below 10 %", _die_and_revive_goal),
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

    def update(self, state: Playground, lr: float | None = None) -> list[str]:
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
        lines = [f"<b style='color:#1b7837'>✔ {goal.text}</b>" if goal.name in self.done
                 else f"○ {goal.text}" for goal in self.goals]
        return "<b>Challenges</b><br>" + "<br>".join(lines)


# --- the widgets ---


def _dropdown(options, value, description, width="200px"):
    return widgets.Dropdown(options=options, value=value, description=description,
                            style={"description_width": "initial"},
                            layout=widgets.Layout(width=width))


def _set_playing(play: widgets.Play, playing: bool) -> None:
    """Start or stop a Play widget (``playing`` in ipywidgets 8, ``_playing`` in 7)."""
    for name in ("playing", "_playing"):
        if play.has_trait(name):
            setattr(play, name, playing)


def playground(make_model: Callable | None = None, train: Callable | None = None, *,
               dataset: str = "xor", noise: float = 0.1, width: int = 4, depth: int = 1,
               activation: str = "tanh", output: str = "sigmoid", lr: float | None = None,
               epochs: int = 10, warmup: int = 300, test_fraction: float = 0.5,
               batch_size: int | str = "all", layers: tuple[int, ...] | None = None,
               features: tuple[str, ...] = ("x1", "x2"), challenges: bool = True,
               **classes: type) -> widgets.VBox:
    """Train a small network on 2-D data (or a 1-D curve) and watch it learn.

    Give your own classes (``playground(Linear=Linear, Tanh=Tanh, ReLU=ReLU,
    Sigmoid=Sigmoid, Sequential=Sequential, MSELoss=MSELoss, train=train)``) or a
    ``make_model(width, depth, activation, rng)``; the package's reference fills the rest.

    Controls: data, noise, the share of test points; hidden layers (0 to 4) and each
    layer's width; activation; output; input features; learning rate, batch size, L2.
    Buttons: play/pause (a ``Play`` widget: each tick trains ``epochs`` epochs and
    redraws), one step (one epoch), reset (new weights, same settings). Changing the data
    or the network starts afresh; choosing an output sets the learning rate to that
    output's starting value (``lr`` overrides it for the first one). The replay slider
    shows the network as it was at an earlier epoch. The network is trained ``warmup``
    epochs first, so the first picture already shows something learned.
    """
    state = Playground(make_model, train, **classes)
    goals = Challenges()
    layers = tuple(layers if layers is not None else (width,) * depth)
    dataset_options = list(PLAYGROUND_DATASETS)
    setting = {
        "dataset": _dropdown(dataset_options, dataset, "data", "210px"),
        "noise": widgets.FloatSlider(value=noise, min=0.0, max=0.5, step=0.05,
                                     description="noise", continuous_update=False,
                                     layout=widgets.Layout(width="230px")),
        "test_fraction": widgets.FloatSlider(value=test_fraction, min=0.1, max=0.9, step=0.1,
                                             description="test share", readout_format=".0%",
                                             continuous_update=False,
                                             style={"description_width": "initial"},
                                             layout=widgets.Layout(width="250px")),
        "activation": _dropdown(list(PLAYGROUND_ACTIVATIONS), activation, "activation",
                                "170px"),
        "output": _dropdown(list(PLAYGROUND_OUTPUTS), output, "output", "150px"),
    }
    depth_control = widgets.IntSlider(value=len(layers), min=0, max=4,
                                      description="hidden layers", continuous_update=False,
                                      style={"description_width": "initial"},
                                      layout=widgets.Layout(width="230px"))
    widths = [widgets.BoundedIntText(value=layers[k] if k < len(layers) else 4, min=1, max=16,
                                     description=f"layer {k + 1}",
                                     layout=widgets.Layout(width="110px"),
                                     style={"description_width": "initial"})
              for k in range(4)]
    feature_boxes = {f: widgets.ToggleButton(value=f in features, description=f,
                                             layout=widgets.Layout(width="62px"))
                     for f in PLAYGROUND_FEATURES}
    lr_control = widgets.FloatLogSlider(
        value=PLAYGROUND_OUTPUTS[output] if lr is None else lr, base=10, min=-3, max=1.5,
        step=0.1, description="learning rate", continuous_update=False,
        readout_format=".3g", style={"description_width": "initial"},
        layout=widgets.Layout(width="290px"))
    batch_control = _dropdown(["all", 1, 4, 10, 30, 100], batch_size, "batch size", "150px")
    l2_control = _dropdown([0.0, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1], 0.0, "L2 λ", "140px")
    play = widgets.Play(value=0, min=0, max=10**9, step=1, interval=400,
                        description="play / pause", show_repeat=False)
    step_button = widgets.Button(description="step", icon="step-forward",
                                 tooltip="train one epoch", layout=widgets.Layout(width="80px"))
    reset_button = widgets.Button(description="reset", icon="refresh",
                                  tooltip="new weights, same settings",
                                  layout=widgets.Layout(width="80px"))
    counter = widgets.HTML()
    status = widgets.HTML()
    replay = widgets.IntSlider(value=0, min=0, max=0, description="replay epoch",
                               continuous_update=False, style={"description_width": "initial"},
                               layout=widgets.Layout(width="420px"))
    goal_box = widgets.HTML()
    out = widgets.Output()
    busy = {"done_at": 0.0, "quiet": False}

    def batch() -> int | None:
        return None if batch_control.value == "all" else int(batch_control.value)

    def show(epoch: int | None = None, first: bool = False) -> None:
        from .interact import show_in  # interact re-exports this module

        counter.value = f"<b>epoch {state.epoch}</b>"
        status.value = (f"{state.describe(batch(), l2_control.value)} "
                        + ("<b>Diverged: reset or lower the learning rate.</b>"
                           if state.diverged else ""))
        goal_box.value = goals.html()
        # never `with out:` (a headless run can stall on it; see interact.show_in)
        show_in(out, lambda: state.draw(epoch), what="The playground", raise_errors=first)

    def after_training(first: bool = False) -> None:
        goals.update(state, lr_control.value)
        busy["quiet"] = True  # moving the replay slider to the end must not redraw twice
        replay.max = state.epoch
        replay.value = state.epoch
        busy["quiet"] = False
        if state.diverged:
            _set_playing(play, False)
        show(first=first)

    def restart(_change=None) -> None:
        for k, box in enumerate(widths):
            box.layout.display = None if k < depth_control.value else "none"
        chosen = tuple(f for f, box in feature_boxes.items() if box.value) or ("x1", "x2")
        state.reset(**{name: control.value for name, control in setting.items()},
                    layers=tuple(box.value for box in widths[:depth_control.value]),
                    features=chosen)
        if state.output != setting["output"].value:  # the curve needs a linear output
            setting["output"].value = state.output  # observed: resets again, then shows
            return
        after_training()

    def output_changed(change) -> None:
        lr_control.value = PLAYGROUND_OUTPUTS[change["new"]]

    def train_epochs(epochs: int) -> None:
        state.step(epochs, lr_control.value, batch(), l2_control.value)
        after_training()

    def ticked(_change=None) -> None:
        # a tick that waited in the queue while the last one trained is dropped, so that
        # pause stops at once even when a redraw takes longer than the tick interval
        if time.monotonic() - busy["done_at"] < play.interval / 2000:
            return
        train_epochs(epochs)
        busy["done_at"] = time.monotonic()

    def replayed(change) -> None:
        if not busy["quiet"]:
            show(None if change["new"] >= state.epoch else change["new"])

    setting["output"].observe(output_changed, names="value")
    for control in [*setting.values(), depth_control, *widths, *feature_boxes.values()]:
        control.observe(restart, names="value")
    for control in (batch_control, l2_control):
        control.observe(lambda _change: show(), names="value")
    play.observe(ticked, names="value")
    step_button.on_click(lambda _button: train_epochs(1))
    reset_button.on_click(restart)
    replay.observe(replayed, names="value")

    for k, box in enumerate(widths):
        box.layout.display = None if k < len(layers) else "none"
    state.reset(**{name: control.value for name, control in setting.items()}, layers=layers,
                features=features)
    if state.output != setting["output"].value:
        setting["output"].value = state.output
    if warmup:
        state.step(warmup, lr_control.value, batch(), l2_control.value)
    after_training(first=True)
    rows = [
        widgets.HBox([setting["dataset"], setting["noise"], setting["test_fraction"]]),
        widgets.HBox([depth_control, *widths]),
        widgets.HBox([setting["activation"], setting["output"],
                      widgets.Label("inputs:"), *feature_boxes.values()]),
        widgets.HBox([lr_control, batch_control, l2_control]),
        widgets.HBox([play, step_button, reset_button, counter]),
        status,
        out,
        replay,
    ]
    if challenges:
        rows.append(goal_box)
    box = widgets.VBox(rows)
    box.state, box.challenges = state, goals  # for tests and the curious
    return box
