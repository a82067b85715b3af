"""The playground's settings: what the data and the network are, checked in one place."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from .options import ACTIVATIONS, DATASETS, FEATURE_ORDER, FEATURES, OUTPUTS, REGRESSION


@dataclass(frozen=True)
class Settings:
    """Everything that, when it changes, starts the playground afresh (new data or a new
    network). ``layers`` gives each hidden layer's width: 0 to 4 layers of 1 to 16 units;
    ``validation`` is the share of the points kept out of training to choose by."""

    dataset: str = "xor"
    noise: float = 0.1
    validation: float = 0.5
    layers: tuple[int, ...] = (4,)
    activation: str = "tanh"
    output: str = "sigmoid"
    features: tuple[str, ...] = ("x1", "x2")

    @property
    def task(self) -> str:
        return "regression" if self.dataset in REGRESSION else "classification"

    def changed(self, **changes) -> Settings:
        """These settings with ``changes``, checked (see :func:`checked`)."""
        unknown = set(changes) - {f.name for f in fields(self)}
        if unknown:
            raise TypeError(f"the playground has no setting {sorted(unknown)}; its settings "
                            f"are {[f.name for f in fields(self)]}")
        return checked(replace(self, **changes))


def _one_of(name: str, value, allowed) -> None:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {tuple(allowed)}; got {value!r}")


def checked(settings: Settings) -> Settings:
    """``settings`` made consistent, or a ValueError naming the setting that cannot be.

    The curve is a regression: its output is always linear, and only the features of x1
    apply. Features are kept in the order they are drawn.
    """
    _one_of("dataset", settings.dataset, DATASETS)
    _one_of("activation", settings.activation, ACTIVATIONS)
    _one_of("output", settings.output, OUTPUTS)
    layers = tuple(int(w) for w in settings.layers)
    if len(layers) > 4 or any(not 1 <= w <= 16 for w in layers):
        raise ValueError(f"layers gives each hidden layer's width: at most 4 layers of 1 to "
                         f"16 units; got {settings.layers}")
    if not 0 < settings.validation < 1:
        raise ValueError(f"validation is the share of points kept out of training, between "
                         f"0 and 1; got {settings.validation}")
    unknown = set(settings.features) - set(FEATURES)
    if unknown:
        raise ValueError(f"features must be among {FEATURE_ORDER}; got {sorted(unknown)}")
    features = tuple(f for f in FEATURE_ORDER if f in settings.features)
    output = settings.output
    if settings.task == "regression":
        output = "linear"
        features = tuple(f for f in features if "2" not in f) or ("x1",)
    if not features:
        raise ValueError("choose at least one input feature")
    return replace(settings, layers=layers, features=features, output=output,
                   noise=float(settings.noise), validation=float(settings.validation))
