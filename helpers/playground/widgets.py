"""The playground's ipywidgets (core widgets only, ipywidgets 7 and 8): every control a
labelled menu, number field, checkbox or named button, wired to a :class:`Controller`.

No sliders: a slider's handle carries no name for assistive technology, and a listed
value (a learning rate of 0.03, a batch of 10) reads truer in a menu.
"""

from __future__ import annotations

import html
import time

import ipywidgets as widgets

from .. import plot
from .controls import Controller
from .draw import Frame
from .options import (
    ACTIVATIONS,
    BATCH_SIZES,
    DATASETS,
    FEATURE_LABELS,
    LEARNING_RATES,
    NOISES,
    OUTPUTS,
    RATES,
    REGULARISATIONS,
    VALIDATION_SHARES,
)

#: ipywidgets 8 starts a Play widget's ticking when the kernel sets ``playing``; 7 only on
#: a click of its own (icon-only) button, so there the Play widget stays visible.
PLAY_FROM_KERNEL = int(widgets.__version__.split(".")[0]) >= 8
_STYLE = {"description_width": "initial"}


def _escape(words: str) -> str:
    return html.escape(words, quote=False)


def _batch(name: str, value):
    """A control's value as the controller takes it: batch size "all" is None."""
    return None if name == "batch_size" and value == "all" else value


def _menu(options, value, description: str, width: str) -> widgets.Dropdown:
    return widgets.Dropdown(options=options, value=value, description=description,
                            style=_STYLE, layout=widgets.Layout(width=width))


def _row(*children) -> widgets.HBox:
    return widgets.HBox(list(children), layout=widgets.Layout(flex_flow="row wrap",
                                                              align_items="center"))


def set_playing(play: widgets.Play, playing: bool) -> None:
    """Start or stop a Play widget (``playing`` in ipywidgets 8, ``_playing`` in 7)."""
    for name in ("playing", "_playing"):
        if play.has_trait(name):
            setattr(play, name, playing)


def _controls(controller: Controller) -> dict[str, object]:
    """Every widget of the playground, by the attribute name :class:`PlaygroundWidgets`
    gives it, set to the controller's values."""
    s = controller.state.settings
    widths = [*s.layers, *[4] * (4 - len(s.layers))]
    button = widgets.Layout(width="80px")
    return {
        "settings": {
            "dataset": _menu(list(DATASETS), s.dataset, "data", "190px"),
            "noise": _menu(NOISES, s.noise, "noise", "120px"),
            "validation": _menu(VALIDATION_SHARES, s.validation, "validation share", "190px"),
            "activation": _menu(ACTIVATIONS, s.activation, "activation", "160px"),
            "output": _menu(list(OUTPUTS), s.output, "output", "140px"),
        },
        "depth": _menu(list(range(5)), len(s.layers), "hidden layers", "140px"),
        "widths": [widgets.BoundedIntText(value=w, min=1, max=16, description=f"layer {k + 1}",
                                          style=_STYLE, layout=widgets.Layout(width="110px"))
                   for k, w in enumerate(widths)],
        "features": {f: widgets.Checkbox(value=f in s.features, description=label,
                                         indent=False, layout=widgets.Layout(width="70px"))
                     for f, label in FEATURE_LABELS.items()},
        "training": {
            "lr": _menu(LEARNING_RATES, controller.lr, "learning rate", "170px"),
            "batch_size": _menu(BATCH_SIZES, controller.batch_size or "all", "batch size",
                                "140px"),
            "regularisation": _menu(REGULARISATIONS, controller.regularisation,
                                    "regularisation", "170px"),
            "rate": _menu(RATES, controller.rate, "rate λ", "120px"),
        },
        "play": widgets.Play(value=0, min=0, max=10**9, step=1, interval=100,
                             show_repeat=False, description="play"),
        "play_button": widgets.ToggleButton(value=False, description="play", icon="play",
                                            tooltip="train until paused", layout=button),
        "step_button": widgets.Button(description="step", tooltip="train one epoch",
                                      layout=button),
        "reset_button": widgets.Button(description="reset", tooltip="new weights, same "
                                       "settings", layout=button),
        "test_button": widgets.Button(description="test once", tooltip="the test error, once "
                                      "per data set", layout=widgets.Layout(width="90px")),
        "play_label": widgets.Label("play / pause / stop:",
                                    layout=widgets.Layout(display="none")),
        "replay": widgets.BoundedIntText(value=0, min=0, max=0, description="replay epoch",
                                         style=_STYLE, layout=widgets.Layout(width="170px")),
        "enlarge": _menu([("output", ("output",))], ("output",), "large map", "230px"),
        **{name: widgets.HTML() for name in ("counter", "status", "picture", "facts",
                                             "test_line", "goal_box")},
    }


class PlaygroundWidgets:
    """The controls, the picture and the lines of text around it, for one Controller."""

    def __init__(self, controller: Controller, show_challenges: bool = True):
        self.c = controller
        for name, widget in _controls(controller).items():
            setattr(self, name, widget)
        self.quiet, self.done_at = False, 0.0
        self._wire()
        self._layout(show_challenges)

    def _layout(self, show_challenges: bool) -> None:
        self._show_widths()
        if PLAY_FROM_KERNEL:
            self.play.layout.display = "none"  # ticks only; the named button drives it
            self.play_button.layout.display = None
        else:  # ipywidgets 7: the Play widget's own buttons, named by the label before them
            self.play_button.layout.display = "none"
            self.play_label.layout.display = None
        rows = [
            _row(self.settings["dataset"], self.settings["noise"],
                 self.settings["validation"], self.test_button),
            _row(self.depth, *self.widths, self.settings["activation"],
                 self.settings["output"]),
            _row(widgets.HTML("<b>inputs:</b>"), *self.features.values()),
            _row(*self.training.values()),
            _row(self.play_button, self.play_label, self.play, self.step_button, self.reset_button,
                 self.counter, self.replay, self.enlarge),
            self.status, self.picture, self.facts, self.test_line,
        ]
        self.box = widgets.VBox(rows + ([self.goal_box] if show_challenges else []))

    def _wire(self) -> None:
        for name, control in self.settings.items():
            control.observe(lambda change, name=name: self._change(**{name: change["new"]}),
                            names="value")
        for control in (self.depth, *self.widths, *self.features.values()):
            control.observe(lambda _change: self._network_changed(), names="value")
        for name, control in self.training.items():
            control.observe(lambda change, name=name: self._react(
                lambda: self.c.set_training(**{name: _batch(name, change["new"])})),
                names="value")
        self.play.observe(self._ticked, names="value")
        self.play_button.observe(self._play_pressed, names="value")
        self.step_button.on_click(lambda _b: self._react(self.c.step))
        self.reset_button.on_click(lambda _b: self._react(self.c.reset))
        self.test_button.on_click(self._test)
        self.replay.observe(lambda change: self._react(lambda: self.c.replay(change["new"])),
                            names="value")
        self.enlarge.observe(lambda change: self._react(lambda: self.c.enlarge(change["new"])),
                             names="value")

    # --- reactions ---

    def _react(self, produce) -> None:
        if not self.quiet:  # a control moved by _sync, not by the student
            self._show(produce)

    def _change(self, **changes) -> None:
        self._react(lambda: self.c.change(**changes))

    def _show_widths(self) -> None:
        for k, box in enumerate(self.widths):
            box.layout.display = None if k < self.depth.value else "none"

    def _network_changed(self) -> None:
        if self.quiet:
            return
        self._show_widths()
        chosen = tuple(f for f, box in self.features.items() if box.value) or ("x1",)
        layers = tuple(box.value for box in self.widths[:self.depth.value])
        self._change(layers=layers, features=chosen)

    def _play_pressed(self, change) -> None:
        self.play_button.description = "pause" if change["new"] else "play"
        self.play_button.icon = "pause" if change["new"] else "play"
        set_playing(self.play, change["new"])

    def _ticked(self, _change=None) -> None:
        # a tick that waited in the queue while the last one trained is dropped, so that
        # pause stops at once even when a tick takes longer than the interval
        if time.monotonic() - self.done_at < self.play.interval / 2000:
            return
        self._react(self.c.tick)
        self.done_at = time.monotonic()

    def _test(self, _button=None) -> None:
        self.test_line.value = _escape(self.c.test_once())
        self.test_button.disabled = True

    # --- showing ---

    def _show(self, produce, first: bool = False) -> None:
        """Show the frame ``produce()`` returns; a failure is shown in words (raised on the
        first drawing, so that a broken playground fails its notebook's test)."""
        try:
            frame: Frame = produce()
        except Exception as error:
            exercise = plot.unwritten_exercise(error)
            if exercise is None and first:
                raise
            self.picture.value = _escape(
                plot.not_written_message(exercise, "The playground") if exercise else
                f"The playground could not draw: {type(error).__name__}: {error}")
            return
        self.picture.value = frame.html
        self.facts.value = "<br>".join(_escape(line) for line in frame.facts)
        self._sync()

    def _sync(self) -> None:
        """Counters, menus and lines that follow the model (without redrawing again)."""
        state = self.c.state
        self.quiet = True
        try:
            self.counter.value = f"<b>epoch {state.epoch}</b>"
            self.status.value = _escape(self.c.status())
            if self.settings["output"].value != state.settings.output:
                self.settings["output"].value = state.settings.output
            self.training["lr"].value = self.c.lr
            choices = self.c.unit_choices()
            if list(self.enlarge.options) != choices:
                self.enlarge.options = choices
                self.enlarge.value = self.c.enlarged
            shown = self.c.replay_epoch
            self.replay.max = state.epoch
            self.replay.value = state.epoch if shown is None else shown
            self.test_button.disabled = not self.c.can_test()
            if self.c.can_test():
                self.test_line.value = ""
            self.goal_box.value = self.c.goals.html()
        finally:
            self.quiet = False
        if state.diverged and self.play_button.value:
            self.play_button.value = False
