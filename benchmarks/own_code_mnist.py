"""Notebook 06's MNIST network on the student's own classes against the package's reference.

Builds 04_mlp.ipynb and 05_sgd.ipynb from the solutions in a temporary folder, loads them
with ``helpers.own_code`` (as a student who did them has them) and trains 784-128-10 with
Adam on mini-batches of 128, as notebook 06 does, three ways, one epoch of each in turn so
that a busy machine slows all alike: the student's classes in float32 (what 06 runs), the
same in float64, and the reference classes in float32. Prints the seconds per epoch side by
side and the test accuracy after the last epoch.

    NN_WORKBOOK_DATA=/path/to/data python benchmarks/own_code_mnist.py [--epochs 3]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from helpers import data, losses, own_code  # noqa: E402
from helpers.experiments import softmax as softmax_runs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()

    X_train, X_test, y_train, y_test = data.load_mnist(progress=False)
    X_fit, _, y_fit, _ = softmax_runs.validation_split(X_train, y_train, n_val=5000, rng=0)
    with tempfile.TemporaryDirectory() as folder:
        for stem in ("04_mlp", "05_sgd"):
            shutil.copy(ROOT / "solutions" / f"{stem}.ipynb", Path(folder) / f"{stem}.ipynb")
        yours = own_code.load(folder, report=None)
    yours.SoftmaxCrossEntropy = losses.SoftmaxCrossEntropy
    reference = own_code.load(Path(folder) / "absent", report=None)
    reference.SoftmaxCrossEntropy = losses.SoftmaxCrossEntropy
    print("student's classes:", ", ".join(yours.mine()))

    runs = {}
    for name, kit, dtype in (("yours, float32", yours, np.float32),
                             ("yours, float64", yours, np.float64),
                             ("reference, float32", reference, np.float32)):
        rng = np.random.default_rng(0)
        model = own_code.mnist_model(kit, rng, dtype=dtype)
        runs[name] = {"model": model, "rng": rng, "loss": kit.SoftmaxCrossEntropy(),
                      "optimiser": kit.Adam(model, lr=0.003), "kit": kit, "dtype": dtype,
                      "seconds": []}
    for lr in softmax_runs.halving_schedule(0.003, args.epochs):
        for run in runs.values():
            run["optimiser"].lr = lr
            X = X_fit.astype(run["dtype"])
            start = time.perf_counter()
            for X_batch, y_batch in run["kit"].minibatches(X, y_fit, 128, run["rng"]):
                run["loss"].forward(run["model"].forward(X_batch), y_batch)
                run["model"].backward(run["loss"].backward())
                run["optimiser"].step()
            run["seconds"].append(time.perf_counter() - start)
    base = np.mean(runs["yours, float32"]["seconds"])
    print(f"{'classes':20s} {'s / epoch':>10s} {'vs yours, float32':>18s} {'test accuracy':>14s}")
    for name, run in runs.items():
        per_epoch = np.mean(run["seconds"])
        accuracy = np.mean(run["model"].forward(X_test.astype(run["dtype"])).argmax(axis=1)
                           == y_test)
        print(f"{name:20s} {per_epoch:10.1f} {per_epoch / base:17.2f}x {accuracy:14.2%}")


if __name__ == "__main__":
    main()
