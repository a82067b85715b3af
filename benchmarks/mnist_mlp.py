"""MNIST benchmark: the workbook's reference MLP against the same network in PyTorch.

Trains 784-256-10 (ReLU, float32) with Adam on mini-batches of 128 until the test accuracy
reaches 98 %, and prints the epochs it took, the seconds per epoch and the time to 98 %. When
PyTorch is importable it trains the same network too: the same initial weights, the same
mini-batches in the same order, the same optimiser and learning-rate schedule; it prints both
side by side with their ratio, which counts the epochs both ran. Only training time is
counted, not the test-set evaluation after each epoch.

How the two share the machine depends on the threads:

- one thread each (``OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1``): one process, the two taking
  turns every 20 mini-batches (``--chunk``), so that a busy machine slows both alike;
- default threads: each library in a process of its own, one after the other
  (``--processes``, the default then). In one process each library's thread pool spins
  beside the other's and slows it (PyTorch took 2.36 s per epoch there, 0.76 s alone).

Run from the repository root (PyTorch is optional and never a dependency of the workbook)::

    python benchmarks/mnist_mlp.py                # MNIST from the cache, downloaded if needed
    NN_WORKBOOK_DATA=/path/to/data python benchmarks/mnist_mlp.py
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 python benchmarks/mnist_mlp.py   # one core each

The figures measured so far are in ``benchmarks/mnist_mlp_results.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import numpy as np

from helpers import data
from helpers.losses import SoftmaxCrossEntropy
from helpers.nn import Linear, ReLU, Sequential
from helpers.optim import Adam


class Trainer:
    """One framework's model, trained one epoch at a time, with its timings.

    ``run_epoch(lr, rng)`` is a generator that yields after every mini-batch, so that two
    trainers can take turns every few batches (see :func:`interleaved_epoch`).
    """

    def __init__(
        self,
        name: str,
        run_epoch: Callable[[float, np.random.Generator], Iterator[None]],
        accuracy: Callable[[], float],
        seed: int,
    ):
        self.name, self.run_epoch, self.accuracy = name, run_epoch, accuracy
        self.rng = np.random.default_rng(seed)  # the same seed: the same batches, in order
        self.seconds: list[float] = []
        self.accuracies: list[float] = []

    def start(self, lr: float) -> None:
        self.steps, self.elapsed = self.run_epoch(lr, self.rng), 0.0

    def advance(self, n: int) -> bool:
        """Train ``n`` more mini-batches (timed); False once the epoch is over."""
        start = time.perf_counter()
        more = all(next(self.steps, False) is None for _ in range(n))
        self.elapsed += time.perf_counter() - start
        return more

    def finish(self) -> None:
        self.seconds.append(self.elapsed)
        self.accuracies.append(self.accuracy())  # not timed
        print(f"  {self.name:<8} epoch {len(self.seconds):2d}: {self.seconds[-1]:6.2f} s, "
              f"test accuracy {self.accuracies[-1]:.2%}")

    def reached(self, target: float) -> bool:
        return bool(self.accuracies) and self.accuracies[-1] >= target


def interleaved_epoch(trainers: list[Trainer], lr: float, chunk: int) -> None:
    """One epoch of each trainer, taking turns every ``chunk`` mini-batches: a burst of load
    from elsewhere on the machine slows both alike."""
    for trainer in trainers:
        trainer.start(lr)
    active = list(trainers)
    while active:
        active = [trainer for trainer in active if trainer.advance(chunk)]
    for trainer in trainers:
        trainer.finish()


def reference_model(n_hidden: int, rng: np.random.Generator) -> Sequential:
    return Sequential(
        Linear(784, n_hidden, rng, dtype=np.float32),
        ReLU(),
        Linear(n_hidden, 10, rng, dtype=np.float32),
    )


def reference_trainer(model: Sequential, X_train, y_train, X_test, y_test, args) -> Trainer:
    loss, optimiser = SoftmaxCrossEntropy(), Adam(model, lr=args.lr)

    def run_epoch(lr: float, rng: np.random.Generator) -> Iterator[None]:
        optimiser.lr = lr
        for X_batch, y_batch in data.minibatches(X_train, y_train, args.batch_size, rng):
            loss.forward(model.forward(X_batch), y_batch)
            model.backward(loss.backward(), input_grad=False)  # no dx for the data
            optimiser.step()
            yield

    def accuracy() -> float:
        return float(np.mean(model.forward(X_test).argmax(axis=1) == y_test))

    return Trainer("numpy", run_epoch, accuracy, args.seed + 1)


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


def torch_trainer(torch, net, X_train, y_train, X_test, y_test, args) -> Trainer:
    loss_fn = torch.nn.CrossEntropyLoss()
    optimiser = torch.optim.Adam(net.parameters(), lr=args.lr, eps=1e-8)
    X_test_t = torch.from_numpy(X_test)

    def run_epoch(lr: float, rng: np.random.Generator) -> Iterator[None]:
        for group in optimiser.param_groups:
            group["lr"] = lr
        for X_batch, y_batch in data.minibatches(X_train, y_train, args.batch_size, rng):
            loss = loss_fn(net(torch.from_numpy(X_batch)), torch.from_numpy(y_batch))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            yield

    def accuracy() -> float:
        with torch.no_grad():
            predictions = net(X_test_t).argmax(dim=1).numpy()
        return float(np.mean(predictions == y_test))

    return Trainer("pytorch", run_epoch, accuracy, args.seed + 1)


def load() -> str:
    """The 1-minute load average over the number of cores: above 1, others share the CPU."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def machine() -> str:
    """The CPU, the thread settings and how busy the machine is: figures mean little without."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info
                       if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    threads = {k: os.environ[k] for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
               if k in os.environ}
    return (f"{cpu}; numpy {np.__version__}; threads {threads or 'default'}; "
            f"load average at the start: {load()}")


def one_thread_each() -> bool:
    """True when both libraries are pinned to one thread: then one process is fair."""
    return all(os.environ.get(k) == "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"))


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hidden", type=int, default=256, help="hidden units (256)")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--lr", type=float, default=3e-3, help="Adam's initial learning rate")
    parser.add_argument("--decay", type=float, default=0.6, help="lr factor after each epoch")
    parser.add_argument("--target", type=float, default=0.98, help="test accuracy to reach")
    parser.add_argument("--max-epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--chunk", type=int, default=20,
                        help="mini-batches each framework trains before the other's turn (20)")
    parser.add_argument("--no-torch", action="store_true", help="skip PyTorch even if present")
    together = parser.add_mutually_exclusive_group()
    together.add_argument("--processes", action="store_true", default=None,
                          help="each library in its own process (default unless both are "
                               "pinned to one thread)")
    together.add_argument("--one-process", dest="processes", action="store_false",
                          help="both in this process, taking turns")
    parser.add_argument("--only", choices=["numpy", "pytorch"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.processes is None:
        args.processes = not one_thread_each() and not args.no_torch
    return args


def train(trainers: list[Trainer], args: argparse.Namespace) -> None:
    lr = args.lr
    for _ in range(args.max_epochs):
        running = [t for t in trainers if not t.reached(args.target)]
        if not running:
            break
        interleaved_epoch(running, lr, args.chunk)
        lr *= args.decay


def in_this_process(args: argparse.Namespace) -> dict[str, list[float]]:
    """Train here: the reference, PyTorch, or both taking turns. Seconds per epoch, by name."""
    X_train, X_test, y_train, y_test = data.load_mnist()
    model = reference_model(args.hidden, np.random.default_rng(args.seed))
    trainers = []
    if args.only != "numpy" and not args.no_torch:
        try:
            import torch
        except ImportError:
            print("PyTorch is not installed: timing the reference only.")
        else:
            net = torch_twin(torch, model)  # before any training: the same initial weights
            trainers.append(torch_trainer(torch, net, X_train, y_train, X_test, y_test, args))
            print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
    if args.only != "pytorch":
        trainers.insert(0, reference_trainer(model, X_train, y_train, X_test, y_test, args))
    train(trainers, args)
    return {t.name: {"seconds": t.seconds, "accuracies": t.accuracies} for t in trainers}


def in_own_processes(args: argparse.Namespace, argv: list[str]) -> dict[str, dict]:
    """Each library in a fresh process of its own, one after the other."""
    results = {}
    for name in ("numpy", "pytorch"):
        print(f"-- {name} in its own process", flush=True)
        run = subprocess.run([sys.executable, __file__, *argv, "--only", name],
                             capture_output=True, text=True, check=True)
        *shown, last = run.stdout.strip().splitlines()
        print("\n".join(shown), flush=True)
        results.update(json.loads(last))
    return results


def report(results: dict[str, dict], args: argparse.Namespace, how: str) -> None:
    target = f"time to {args.target:.0%}"
    print(f"\n{how}")
    print(f"{'':<10}{'epochs':>8}{'s / epoch':>12}{target:>14}")
    summary = {}
    for name, r in results.items():
        seconds, accuracies = r["seconds"], r["accuracies"]
        done = bool(accuracies) and accuracies[-1] >= args.target
        summary[name] = float(np.sum(seconds)) if done else float("nan")
        print(f"{name:<10}{len(seconds) if done else float('nan'):>8.0f}"
              f"{np.mean(seconds):>12.2f}{summary[name]:>13.1f}s")
    if len(results) == 2:
        ours, theirs = results["numpy"]["seconds"], results["pytorch"]["seconds"]
        both = min(len(ours), len(theirs))  # per epoch, over the epochs both ran
        ratio = sum(ours[:both]) / sum(theirs[:both])
        print(f"numpy / pytorch, seconds per epoch (the {both} epochs both ran, {how}): "
              f"{ratio:.2f}")
        print(f"numpy / pytorch, {target}: {summary['numpy'] / summary['pytorch']:.2f}")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    if args.only:  # a child of in_own_processes: its results as the last line, in JSON
        results = in_this_process(args)
        print(json.dumps(results))
        return
    print(machine())
    print(f"MNIST 784-{args.hidden}-10 ReLU, float32, Adam lr {args.lr} (x{args.decay} per "
          f"epoch), batch {args.batch_size}, until {args.target:.0%} test accuracy")
    if args.processes:
        results = in_own_processes(args, argv)
        how = "each library in its own process"
    else:
        results = in_this_process(args)
        how = "both in one process, taking turns"
    print(f"load average at the end: {load()}")
    report(results, args, how)


if __name__ == "__main__":
    main()
