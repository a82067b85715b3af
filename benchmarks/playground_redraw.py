"""Time one redraw of notebook 04's playground (target: under 0.5 s on a laptop CPU).

    python benchmarks/playground_redraw.py [--repeat N]

A redraw is what every tick of play, every step and every replay-slider move costs:
``Playground.draw`` plus rendering the figure to PNG, as the notebook's inline backend
does. Printed side by side with a baseline in the same process: the same picture with the
network drawn one line per edge (``plot.network_diagram`` without ``collection``), the way
it was drawn before the playground switched to one LineCollection. Also the training cost
of one tick (10 epochs) for each network, and the time of an empty figure of three axes,
so a loaded machine shows as such.
"""

import argparse
import io
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import matplotlib.pyplot as plt  # noqa: E402

from helpers import plot  # noqa: E402
from helpers.playground import Playground  # noqa: E402

CASES = {
    "default: xor, 1 layer of 4": dict(dataset="xor", layers=(4,)),
    "curve, 1 layer of 8": dict(dataset="curve", layers=(8,)),
    "spiral 2 turns, 4 layers of 16": dict(dataset="spiral, 2 turns", layers=(16,) * 4,
                                           activation="relu",
                                           features=("x1", "x2", "sin x1", "sin x2")),
}


def redraw_seconds(state: Playground, repeat: int) -> float:
    """The median time of draw + PNG render (dpi 100, the notebook's)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fig = state.draw()
        fig.savefig(io.BytesIO(), format="png", dpi=100)
        plt.close(fig)
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    for _ in range(args.repeat):
        fig, _ = plt.subplots(1, 3, figsize=(9.4, 3.6))
        fig.savefig(io.BytesIO(), format="png", dpi=100)
        plt.close(fig)
    empty = (time.perf_counter() - start) / args.repeat
    print(f"for scale, an empty figure of three axes: {empty:.3f}s (this machine's speed)")
    print(f"{'network':<34} {'redraw':>8} {'baseline':>9} {'10 epochs':>10}")
    original = plot.network_diagram
    for name, settings in CASES.items():
        state = Playground()
        state.reset(**settings)
        start = time.perf_counter()
        state.step(10, 0.1)
        train = time.perf_counter() - start
        fast = redraw_seconds(state, args.repeat)
        plot.network_diagram = lambda model, ax=None, collection=False, **kw: original(
            model, ax, **kw)
        try:
            slow = redraw_seconds(state, args.repeat)
        finally:
            plot.network_diagram = original
        print(f"{name:<34} {fast:7.3f}s {slow:8.3f}s {train:9.3f}s")
    print("target: redraw under 0.5 s")


if __name__ == "__main__":
    main()
