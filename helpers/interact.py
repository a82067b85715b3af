"""Interactive panels (core ipywidgets only).

Each panel is wiring around a plain ``draw_*`` function that pytest can call: the function
draws one state of the panel on a figure and returns what it shows. :func:`panel` redraws
it into an Output widget whenever a control changes. Every panel draws something
meaningful with its default values, so headless runs (nbval, grading) pass through it.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from . import data, losses, nn, optim, plot

__all__ = [
    "panel",
    "slider",
    "draw_neuron",
    "neuron_panel",
    "PLAYGROUND_ACTIVATIONS",
    "Playground",
    "playground",
]


def slider(value: float, low: float, high: float, step: float, description: str,
           continuous: bool = True) -> widgets.FloatSlider:
    """A labelled float slider wide enough to read on a laptop screen."""
    return widgets.FloatSlider(
        value=value, min=low, max=high, step=step, description=description,
        continuous_update=continuous, readout_format=".2f",
        style={"description_width": "initial"}, layout=widgets.Layout(width="320px"),
    )


def panel(
    controls: dict[str, widgets.ValueWidget],
    draw: Callable[..., Figure],
    columns: int = 3,
) -> widgets.VBox:
    """Controls above an Output; ``draw(**values)`` returns a new figure, shown on each change."""
    out = widgets.Output()

    def redraw(_change=None) -> None:
        with out:
            out.clear_output(wait=True)
            fig = draw(**{name: control.value for name, control in controls.items()})
            plt.show()
            plt.close(fig)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    items = list(controls.values())
    rows = [widgets.HBox(items[i : i + columns]) for i in range(0, len(items), columns)]
    return widgets.VBox([*rows, out])


# --- notebook 01: one neuron's line -------------------------------------------------------


def draw_neuron(
    X: np.ndarray, y: np.ndarray, w1: float, w2: float, b: float, **scatter_kwargs
) -> tuple[Figure, float]:
    """The data, the line w1·x1 + w2·x2 + b = 0 with its half-planes, and the accuracy.

    Returns the figure and the accuracy of "predict 1 where w·x + b >= 0".
    """
    w = np.array([w1, w2])
    predictions = (X @ w + b >= 0).astype(int)
    acc = float(np.mean(predictions == np.ravel(y)))
    ax = plot.decision_line(X, y, w, b, plot.new_axes(figsize=(5.5, 4.2)), **scatter_kwargs)
    ax.set_title(f"${w1:.2f}\\,x_1 + {w2:.2f}\\,x_2 + ({b:.2f}) = 0$   accuracy {acc:.0%}")
    return ax.figure, acc


def neuron_panel(
    X: np.ndarray, y: np.ndarray, w1: float = 0.5, w2: float = 0.5, b: float = -4.0,
    **scatter_kwargs,
) -> widgets.VBox:
    """Sliders for w1, w2 and b over 2-D data; shows the line, half-planes and accuracy."""
    controls = {
        "w1": slider(w1, -2, 2, 0.05, "w₁"),
        "w2": slider(w2, -2, 2, 0.05, "w₂"),
        "b": slider(b, -15, 15, 0.25, "b"),
    }
    return panel(controls, lambda **v: draw_neuron(X, y, **v, **scatter_kwargs)[0])


# --- notebook 04: the multi-layer perceptron ---

#: The activations the playground offers, by name.
PLAYGROUND_ACTIVATIONS = ("tanh", "relu", "sigmoid")


def _reference_classes() -> dict[str, type]:
    return {"Linear": nn.Linear, "Sigmoid": nn.Sigmoid, "Tanh": nn.Tanh, "ReLU": nn.ReLU,
            "Sequential": nn.Sequential, "MSELoss": losses.MSELoss}


def _reference_train(model, loss_fn, X, y, lr, epochs) -> list[float]:
    """Full-batch gradient descent, ``epochs`` steps; the loss before each step."""
    optimiser, history = optim.SGD(model, lr), []
    for _ in range(epochs):
        history.append(float(loss_fn.forward(model.forward(X), y)))
        model.backward(loss_fn.backward())
        optimiser.step()
    return history


class Playground:
    """The playground's state and behaviour, without widgets: data, network, loss history.

    Builds a network 2 → width → ... → 1 with a sigmoid output from the given classes
    (``Linear=...``, ``Tanh=...``, ...; the package's reference for those not given), or from
    ``make_model(width, depth, activation, rng)``, and trains it with ``train`` (the
    student's ``train(model, loss_fn, X, y, lr, epochs)``, or the reference), on MSE against
    the 0/1 labels.
    """

    def __init__(self, make_model: Callable | None = None, train: Callable | None = None,
                 n: int = 200, seed: int = 0, **classes: type):
        unknown = set(classes) - set(_reference_classes())
        if unknown:
            raise TypeError(f"the playground does not use {sorted(unknown)}; give any of "
                            f"{sorted(_reference_classes())}")
        self.classes = {**_reference_classes(), **classes}
        self.make_model = make_model or self._sequential
        self.train_fn = train or _reference_train
        self.n, self.seed = n, seed
        self.losses: list[float] = []

    def _sequential(self, width: int, depth: int, activation: str, rng):
        c = self.classes
        act = {"tanh": c["Tanh"], "relu": c["ReLU"], "sigmoid": c["Sigmoid"]}[activation]
        layers, n_in = [], 2
        for _ in range(depth):
            layers += [c["Linear"](n_in, width, rng), act()]
            n_in = width
        return c["Sequential"](*layers, c["Linear"](n_in, 1, rng), c["Sigmoid"]())

    def reset(self, dataset: str = "xor", noise: float = 0.1, width: int = 4, depth: int = 1,
              activation: str = "tanh") -> None:
        """New data and a new, untrained network for these settings."""
        if activation not in PLAYGROUND_ACTIVATIONS:
            raise ValueError(f"activation must be one of {PLAYGROUND_ACTIVATIONS}; "
                             f"got {activation!r}")
        rng = np.random.default_rng(self.seed)
        self.dataset, self.width, self.depth, self.activation = dataset, width, depth, activation
        self.X, self.y = data.DATASETS_2D[dataset](self.n, noise, rng)
        self.model = self.make_model(width, depth, activation, rng)
        self.loss_fn = self.classes["MSELoss"]()
        self.losses = []

    def step(self, epochs: int, lr: float) -> list[float]:
        """Train ``epochs`` more epochs; returns their losses (also added to ``losses``)."""
        targets = self.y.reshape(-1, 1).astype(float)
        new = self.train_fn(self.model, self.loss_fn, self.X, targets, lr, epochs)
        new = [float(v) for v in new]
        self.losses += new
        return new

    def predict(self, points: np.ndarray) -> np.ndarray:
        return np.asarray(self.model.forward(points)).reshape(-1)

    def accuracy(self) -> float:
        return float(np.mean((self.predict(self.X) >= 0.5) == self.y))

    def draw(self) -> Figure:
        """Decision regions, the loss curve and every hidden unit's output map."""
        fig = plt.figure(figsize=(12, 3.9), layout="constrained")
        left, middle, right = fig.subfigures(1, 3, width_ratios=[1.05, 1, 1.1])
        ax = left.subplots()
        plot.decision_regions(self.predict, self.X, self.y, ax, resolution=120)
        ax.set_title(f"{self.dataset}: training accuracy {self.accuracy():.0%}", fontsize=10)
        ax = middle.subplots()
        if self.losses:
            plot.loss_curve(self.losses, ax)
            ax.set_title(f"loss after {len(self.losses)} epochs: {self.losses[-1]:.3g}",
                         fontsize=10)
        else:
            ax.text(0.5, 0.5, "not trained yet:\npress Train", ha="center", va="center",
                    transform=ax.transAxes)
            ax.set_axis_off()
        ax = plot.neuron_maps(self.model, self.X, right.subplots())
        ax.set_title("what each hidden unit outputs", fontsize=10)
        return fig


def playground(make_model: Callable | None = None, train: Callable | None = None, *,
               dataset: str = "xor", noise: float = 0.1, width: int = 4, depth: int = 1,
               activation: str = "tanh", lr: float = 2.0, epochs: int = 600,
               warmup: int = 300, **classes: type) -> widgets.VBox:
    """Train a small network on 2-D data and watch it learn.

    Give your own classes (``playground(Linear=Linear, Tanh=Tanh, ReLU=ReLU,
    Sigmoid=Sigmoid, Sequential=Sequential, MSELoss=MSELoss, train=train)``) or a
    ``make_model(width, depth, activation, rng)``; the package's reference fills the rest.
    Changing the data or the network's shape starts afresh; Train trains ``epochs`` more
    epochs, redrawing every tenth of them. The network is trained ``warmup`` epochs first,
    so the first picture already shows something learned.
    """
    state = Playground(make_model, train, **classes)
    controls = {
        "dataset": widgets.Dropdown(options=list(data.DATASETS_2D), value=dataset,
                                    description="data"),
        "noise": slider(noise, 0.0, 0.5, 0.05, "noise", continuous=False),
        "width": widgets.IntSlider(value=width, min=1, max=8, description="width",
                                   continuous_update=False),
        "depth": widgets.IntSlider(value=depth, min=1, max=3, description="hidden layers",
                                   continuous_update=False,
                                   style={"description_width": "initial"}),
        "activation": widgets.Dropdown(options=PLAYGROUND_ACTIVATIONS, value=activation,
                                       description="activation"),
    }
    lr_control = widgets.FloatLogSlider(value=lr, base=10, min=-2, max=1.5, step=0.1,
                                        description="learning rate", continuous_update=False,
                                        style={"description_width": "initial"})
    epochs_control = widgets.IntSlider(value=epochs, min=100, max=5000, step=100,
                                       description="epochs per click", continuous_update=False,
                                       style={"description_width": "initial"})
    button = widgets.Button(description="Train", button_style="primary", icon="play")
    out = widgets.Output()

    def show() -> None:
        with out:
            out.clear_output(wait=True)
            fig = state.draw()
            plt.show()
            plt.close(fig)

    def restart(_change=None) -> None:
        state.reset(**{name: control.value for name, control in controls.items()})
        show()

    def train_clicked(_button=None) -> None:
        button.disabled = True
        try:
            # ten chunks: the picture updates while the network trains
            for chunk in np.diff(np.linspace(0, epochs_control.value, 11).astype(int)):
                state.step(int(chunk), lr_control.value)
                show()
        finally:
            button.disabled = False

    for control in controls.values():
        control.observe(restart, names="value")
    button.on_click(train_clicked)
    state.reset(**{name: control.value for name, control in controls.items()})
    if warmup:
        state.step(warmup, lr_control.value)
    show()
    rows = [widgets.HBox(list(controls.values())[:3]),
            widgets.HBox([*list(controls.values())[3:], lr_control]),
            widgets.HBox([epochs_control, button])]
    return widgets.VBox([*rows, out])
