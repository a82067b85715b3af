"""MNIST benchmark: the workbook's reference MLP against the same network in PyTorch.

Trains 784-256-10 (ReLU, float32) with Adam on mini-batches of 128 until the test accuracy
reaches 98 %, and prints the epochs it took, the seconds per epoch and the time to 98 %. When
PyTorch is importable it then trains the same network in the same process: the same initial
weights, the same mini-batches in the same order, the same optimiser and learning-rate
schedule, and prints both side by side with their ratio. Only training time is counted (the
test-set evaluation after each epoch is not).

Run from the repository root (PyTorch is optional and never a dependency of the workbook)::

    python benchmarks/mnist_mlp.py                # MNIST from the cache, downloaded if needed
    NN_WORKBOOK_DATA=/path/to/data python benchmarks/mnist_mlp.py

Measured (torch 2.13.0+cpu, numpy with OpenBLAS; seed 0). The development machine has 2
cores that several other jobs were using at the same time, so the absolute seconds are
noisy; both runs share the same conditions, which keeps the ratio meaningful:

    see benchmarks/mnist_mlp_results.md
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from helpers import data
from helpers.losses import SoftmaxCrossEntropy
from helpers.nn import Linear, ReLU, Sequential
from helpers.optim import Adam

Result = dict[str, float]


def reference_model(n_hidden: int, rng: np.random.Generator) -> Sequential:
    return Sequential(
        Linear(784, n_hidden, rng, dtype=np.float32),
        ReLU(),
        Linear(n_hidden, 10, rng, dtype=np.float32),
    )


def train_until(
    name: str,
    run_epoch: Callable[[float, np.random.Generator], None],
    accuracy: Callable[[], float],
    args: argparse.Namespace,
) -> Result:
    """Train epoch by epoch until the test accuracy reaches the target (or the epochs run
    out); the same batch order for every framework comes from the same seed."""
    rng = np.random.default_rng(args.seed + 1)
    seconds, lr = [], args.lr
    acc = 0.0
    for epoch in range(1, args.max_epochs + 1):
        start = time.perf_counter()
        run_epoch(lr, rng)
        seconds.append(time.perf_counter() - start)
        acc = accuracy()
        print(f"  {name:<8} epoch {epoch:2d}: {seconds[-1]:6.2f} s, test accuracy {acc:.2%}")
        lr *= args.decay
        if acc >= args.target:
            break
    reached = acc >= args.target
    return {
        "epochs": len(seconds) if reached else float("nan"),
        "seconds_per_epoch": float(np.mean(seconds)),
        "time_to_target": float(np.sum(seconds)) if reached else float("nan"),
        "accuracy": acc,
    }


def run_reference(model: Sequential, X_train, y_train, X_test, y_test, args) -> Result:
    loss, optimiser = SoftmaxCrossEntropy(), Adam(model, lr=args.lr)

    def run_epoch(lr: float, rng: np.random.Generator) -> None:
        optimiser.lr = lr
        for X_batch, y_batch in data.minibatches(X_train, y_train, args.batch_size, rng):
            loss.forward(model.forward(X_batch), y_batch)
            model.backward(loss.backward())
            optimiser.step()

    def accuracy() -> float:
        return float(np.mean(model.forward(X_test).argmax(axis=1) == y_test))

    return train_until("numpy", run_epoch, accuracy, args)


def torch_twin(torch, model: Sequential):
    """The same network in PyTorch, with a copy of ``model``'s current weights."""
    layers = []
    for layer in model:
        if isinstance(layer, Linear):
            linear = torch.nn.Linear(*layer.W.shape)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(layer.W.T.copy()))  # torch stores W^T
                linear.bias.copy_(torch.from_numpy(layer.b.copy()))
            layers.append(linear)
        else:
            layers.append(torch.nn.ReLU())
    return torch.nn.Sequential(*layers)


def run_torch(torch, net, X_train, y_train, X_test, y_test, args) -> Result:
    loss_fn = torch.nn.CrossEntropyLoss()
    optimiser = torch.optim.Adam(net.parameters(), lr=args.lr, eps=1e-8)
    X_test_t = torch.from_numpy(X_test)

    def run_epoch(lr: float, rng: np.random.Generator) -> None:
        for group in optimiser.param_groups:
            group["lr"] = lr
        for X_batch, y_batch in data.minibatches(X_train, y_train, args.batch_size, rng):
            loss = loss_fn(net(torch.from_numpy(X_batch)), torch.from_numpy(y_batch))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()

    def accuracy() -> float:
        with torch.no_grad():
            predictions = net(X_test_t).argmax(dim=1).numpy()
        return float(np.mean(predictions == y_test))

    return train_until("pytorch", run_epoch, accuracy, args)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hidden", type=int, default=256, help="hidden units (256)")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=1e-3, help="Adam's initial learning rate")
    parser.add_argument("--decay", type=float, default=0.8, help="lr factor after each epoch")
    parser.add_argument("--target", type=float, default=0.98, help="test accuracy to reach")
    parser.add_argument("--max-epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    args = parser.parse_args(argv)

    X_train, X_test, y_train, y_test = data.load_mnist()
    model = reference_model(args.hidden, np.random.default_rng(args.seed))
    print(f"MNIST 784-{args.hidden}-10 ReLU, float32, Adam lr {args.lr} (x{args.decay} per "
          f"epoch), batch {args.batch_size}, until {args.target:.0%} test accuracy")
    torch = net = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            print("PyTorch is not installed: timing the reference only.")
        else:
            net = torch_twin(torch, model)  # before training: the same initial weights
            print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    results = {"numpy": run_reference(model, X_train, y_train, X_test, y_test, args)}
    if net is not None:
        results["pytorch"] = run_torch(torch, net, X_train, y_train, X_test, y_test, args)

    target = f"time to {args.target:.0%}"
    print(f"\n{'':<10}{'epochs':>8}{'s / epoch':>12}{target:>14}")
    for name, r in results.items():
        print(f"{name:<10}{r['epochs']:>8.0f}{r['seconds_per_epoch']:>12.2f}"
              f"{r['time_to_target']:>13.1f}s")
    if "pytorch" in results:
        numpy_run, torch_run = results["numpy"], results["pytorch"]
        ratio = numpy_run["seconds_per_epoch"] / torch_run["seconds_per_epoch"]
        print(f"numpy / pytorch, seconds per epoch: {ratio:.2f}")
        ratio = numpy_run["time_to_target"] / torch_run["time_to_target"]
        print(f"numpy / pytorch, {target}: {ratio:.2f}")


if __name__ == "__main__":
    main()
