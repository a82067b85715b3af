"""The runs behind notebook 01's claims (the artificial neuron).

- :func:`step_slopes`: the step's slope measured by nudging z, zero except at the jump.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

__all__ = ["step_slopes"]


def step_slopes(
    step: Callable[[np.ndarray], np.ndarray],
    z: Sequence[float] = (-2.0, -0.5, 0.0, 0.5, 2.0),
    nudges: Sequence[float] = (1e-2, 1e-4, 1e-6),
) -> dict[float, np.ndarray]:
    """The slope (step(z + h) - step(z - h)) / 2h at each z, for each nudge h.

    Returns ``{h: slopes}`` with one slope per point of ``z``. Away from 0 every slope is 0;
    at z = 0 it is 1 / 2h, which grows without bound as h shrinks: there is no slope there.
    """
    z = np.asarray(z, dtype=float)
    return {h: (np.asarray(step(z + h), dtype=float) - np.asarray(step(z - h), dtype=float))
            / (2 * h) for h in nudges}
