"""The playground's controls without widgets: every button, menu and field a student uses is
a method here that changes the model and returns the new picture, so pytest can press
them all, in any order (:mod:`.widgets` only connects ipywidgets to these methods)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .challenges import Challenges
from .draw import Frame, draw, unit_names
from .model import Playground
from .options import LEARNING_RATES, OUTPUTS
from .settings import Settings
from .text import describe, percent


def nearest_rate(lr: float) -> float:
    """The listed learning rate closest to ``lr`` (on a log scale)."""
    rates = np.array([v for _, v in LEARNING_RATES])
    return float(rates[np.argmin(np.abs(np.log(rates) - np.log(lr)))])


class Controller:
    """The playground as a student drives it: settings, training controls, play ticks,
    replay, the enlarged map, and the test set, measured once per data set."""

    def __init__(self, make_model: Callable | None = None, train: Callable | None = None, *,
                 settings: Settings | None = None, lr: float | None = None,
                 batch_size: int | None = None, regularisation: str = "none",
                 rate: float = 0.0, epochs_per_tick: int = 10, **classes: type):
        self.state = Playground(make_model, train, **classes)
        self.state.reset(settings or Settings())
        self.goals = Challenges()
        self.lr = nearest_rate(lr if lr is not None else OUTPUTS[self.state.settings.output])
        self.batch_size, self.regularisation, self.rate = batch_size, regularisation, rate
        self.epochs_per_tick = epochs_per_tick
        self.enlarged: tuple = ("output",)
        self.replay_epoch: int | None = None
        self.tested: dict[tuple, str] = {}  # data (dataset, noise) -> what its test said

    # --- what is shown ---

    def frame(self) -> Frame:
        return draw(self.state, self.enlarged, self.replay_epoch)

    def status(self) -> str:
        line = describe(self.state, self.batch_size, self.regularisation, self.rate)
        if self.state.diverged:
            line += " Diverged: reset, or choose a smaller learning rate."
        return line

    def unit_choices(self) -> list[tuple[str, tuple]]:
        return unit_names(self.state)

    # --- settings: each starts afresh ---

    def change(self, **changes) -> Frame:
        """New settings (see :class:`Settings`): new data or a new network, untrained.
        Choosing an output also chooses the learning rate that suits it."""
        old = self.state.settings
        self.state.reset(old.changed(**changes))
        if self.state.settings.output != old.output:
            self.lr = OUTPUTS[self.state.settings.output]
        return self._restarted()

    def reset(self) -> Frame:
        """New weights, drawn afresh at each press; same settings and data."""
        self.state.reset(new_weights=True)
        return self._restarted()

    def _restarted(self) -> Frame:
        self.replay_epoch = None
        if self.enlarged not in dict((k, n) for n, k in self.unit_choices()):
            self.enlarged = ("output",)
        self.goals.update(self.state, self.lr)
        return self.frame()

    # --- training ---

    def set_training(self, **values) -> Frame:
        """Any of lr, batch_size, regularisation, rate: the next epochs use them."""
        unknown = set(values) - {"lr", "batch_size", "regularisation", "rate"}
        if unknown:
            raise TypeError(f"no training control {sorted(unknown)}")
        for name, value in values.items():
            setattr(self, name, value)
        return self.frame()

    def step(self, epochs: int = 1) -> Frame:
        """Train ``epochs`` epochs and show the network now (the replay ends)."""
        self.state.step(epochs, self.lr, self.batch_size, self.regularisation, self.rate)
        self.replay_epoch = None
        self.goals.update(self.state, self.lr)
        return self.frame()

    def tick(self) -> Frame:
        """One tick of play."""
        return self.step(self.epochs_per_tick)

    # --- looking ---

    def replay(self, epoch: int | None) -> Frame:
        """Show the network as it was at ``epoch`` (None or the last epoch: as it is)."""
        self.replay_epoch = None if epoch is None or epoch >= self.state.epoch else int(epoch)
        return self.frame()

    def enlarge(self, key: tuple) -> Frame:
        """Show one unit's map (a key of :meth:`unit_choices`) large, or the output's."""
        known = [k for _, k in self.unit_choices()]
        if tuple(key) not in known:
            raise ValueError(f"no unit {key!r} in this network; choose one of {known}")
        self.enlarged = tuple(key)
        return self.frame()

    def _data_key(self) -> tuple:
        return self.state.settings.dataset, self.state.settings.noise

    def can_test(self) -> bool:
        return self._data_key() not in self.tested

    def test_once(self) -> str:
        """The test error of the network as it is now, measured once per data set."""
        key = self._data_key()
        if key in self.tested:
            return self.tested[key]
        s = self.state
        error = s.error_on(s.X_test, s.y_test)
        shown = f"{error:.3g} (MSE)" if s.settings.task == "regression" else percent(error)
        self.tested[key] = (f"Test error on {len(s.X_test)} test points: {shown}, at epoch "
                            f"{s.epoch}. The test set of this data is now spent: choose "
                            f"nothing more by it.")
        return self.tested[key]
