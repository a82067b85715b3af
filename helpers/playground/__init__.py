"""Notebook 04's playground: a small network trained live on 2-D data (or a 1-D curve).

One job per module: :mod:`.options` (what can be chosen), :mod:`.settings` (the settings,
checked), :mod:`.model` (data split into training, validation and test points, the
network, training), :mod:`.replay`, :mod:`.units` (inside the network), :mod:`.text` (the
status line and the picture's facts in words), :mod:`.draw` with :mod:`.network`,
:mod:`.loss` and :mod:`.svg` (the picture, from numpy, no matplotlib),
:mod:`.challenges`, :mod:`.controls` (every control as a method, without widgets) and
:mod:`.widgets` (the ipywidgets around it). Re-exported from :mod:`helpers.interact`.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from .challenges import GOALS, Challenges, Goal
from .controls import Controller
from .draw import Frame, draw, unit_names
from .model import Playground
from .options import (
    ACTIVATIONS,
    DATASETS,
    FEATURES,
    OUTPUTS,
    BinaryCrossEntropy,
    Identity,
)
from .settings import Settings
from .widgets import PlaygroundWidgets

# the names helpers.interact has always re-exported
PLAYGROUND_ACTIVATIONS, PLAYGROUND_DATASETS = ACTIVATIONS, DATASETS
PLAYGROUND_FEATURES, PLAYGROUND_OUTPUTS = FEATURES, OUTPUTS

__all__ = [
    "PLAYGROUND_ACTIVATIONS",
    "PLAYGROUND_OUTPUTS",
    "PLAYGROUND_DATASETS",
    "PLAYGROUND_FEATURES",
    "BinaryCrossEntropy",
    "Identity",
    "Goal",
    "GOALS",
    "Challenges",
    "Controller",
    "Frame",
    "Playground",
    "Settings",
    "draw",
    "unit_names",
    "playground",
]


def playground(make_model: Callable | None = None, train: Callable | None = None, *,
               dataset: str = "xor", noise: float = 0.1, validation: float = 0.5,
               layers: tuple[int, ...] = (4,), activation: str = "tanh",
               output: str = "sigmoid", features: tuple[str, ...] = ("x1", "x2"),
               lr: float | None = None, batch_size: int | None = None,
               regularisation: str = "none", rate: float = 0.0, epochs: int = 10,
               warmup: int = 0, challenges: bool = True, **classes: type) -> widgets.VBox:
    """Train a small network on 2-D data (or a 1-D curve) and watch it learn.

    Give your own classes (``playground(Linear=Linear, Tanh=Tanh, ReLU=ReLU,
    Sigmoid=Sigmoid, Sequential=Sequential, MSELoss=MSELoss, train=train)``) or a
    ``make_model(width, depth, activation, rng)``; the package's reference fills the rest.

    It starts untrained (``warmup`` epochs otherwise): **play** trains ``epochs`` epochs a
    tick, ten ticks a second, until **pause**; **step** trains one epoch; **reset** draws
    new weights. Changing the data or the network starts afresh; choosing an output sets
    the learning rate that suits it. Choose by the validation points; **test once** gives
    the test error, once per data set. **replay epoch** shows the network at an earlier
    epoch, **large map** one unit's map enlarged.
    """
    settings = Settings(dataset, noise, validation, tuple(layers), activation, output,
                        tuple(features)).changed()
    controller = Controller(make_model, train, settings=settings, lr=lr,
                            batch_size=batch_size, regularisation=regularisation, rate=rate,
                            epochs_per_tick=epochs, **classes)
    view = PlaygroundWidgets(controller, show_challenges=challenges)
    view._show(lambda: controller.step(warmup) if warmup else controller.frame(), first=True)
    box = view.box
    box.state, box.challenges, box.controller, box.view = (controller.state, controller.goals,
                                                          controller, view)
    return box
