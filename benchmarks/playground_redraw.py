"""Time notebook 04's playground: one redraw, and the frames per second of play.

    python benchmarks/playground_redraw.py [--repeat N]

A redraw is what every tick of play, every step and every change of a control costs: the
picture as HTML (maps as PNG, network and loss as SVG), ready to send to the browser. The
target: at most a third of the time of an empty matplotlib figure of three axes rendered
to PNG, measured in the same process just before (so a loaded machine shows as such). A
frame of play is one tick: ``epochs`` epochs of training plus a redraw; the Play widget
ticks every 100 ms, so the playground runs at 10 frames a second while a frame takes less.
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

from helpers.playground import Controller, Settings  # noqa: E402

CASES = {
    "default: xor, 1 layer of 4": Settings(),
    "curve, 1 layer of 8": Settings(dataset="curve", layers=(8,)),
    "4 layers of 16, spiral 2 turns": Settings(dataset="spiral, 2 turns", layers=(16,) * 4,
                                               activation="relu",
                                               features=("x1", "x2", "sin x1", "sin x2")),
}
INTERVAL = 0.1  # the Play widget's tick, in seconds


def median(times: list[float]) -> float:
    return sorted(times)[len(times) // 2]


def empty_figure_seconds(repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fig, _ = plt.subplots(1, 3, figsize=(9.4, 3.6))
        fig.savefig(io.BytesIO(), format="png", dpi=100)
        plt.close(fig)
        times.append(time.perf_counter() - start)
    return median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    empty = empty_figure_seconds(args.repeat)
    print(f"for scale, an empty figure of three axes: {empty * 1000:.1f} ms "
          f"(this machine's speed now); target: a redraw under {empty / 3 * 1000:.1f} ms")
    print(f"{'network':<32} {'redraw':>9} {'/ empty':>8} {'tick':>9} {'frames/s':>9} "
          f"{'HTML':>7}")
    for name, settings in CASES.items():
        controller = Controller(settings=settings)
        controller.step(50)  # a network partly trained, as after a few seconds of play
        redraws, ticks = [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            frame = controller.frame()
            redraws.append(time.perf_counter() - start)
        for _ in range(args.repeat):
            start = time.perf_counter()
            controller.tick()
            ticks.append(time.perf_counter() - start)
        redraw, tick = median(redraws), median(ticks)
        fps = min(1 / tick, 1 / INTERVAL)
        print(f"{name:<32} {redraw * 1000:6.1f} ms {redraw / empty:7.2f} {tick * 1000:6.1f} ms "
              f"{fps:9.1f} {len(frame.html) / 1000:5.0f} kB")
    print(f"frames/s: one tick ({controller.epochs_per_tick} epochs and a redraw) per "
          f"{INTERVAL * 1000:.0f} ms Play interval, at most {1 / INTERVAL:.0f}; "
          "'/ empty' must be at most 0.33")


if __name__ == "__main__":
    main()
