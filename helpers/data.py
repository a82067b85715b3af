"""Datasets for the workbook.

Every function that draws random numbers takes ``rng``: a ``np.random.Generator``, an int
seed, or None for fresh randomness. Data is row-major: ``X`` has shape (N, D) and labels
``y`` shape (N,). Nothing here downloads anything unless the caller asks for it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

import numpy as np

__all__ = [
    "as_rng",
    "movie_ratings",
    "xor",
    "circles",
    "moons",
    "spiral",
    "blobs",
    "DATASETS_2D",
    "noisy_curve",
    "random_labels",
    "train_test_split",
    "minibatches",
    "standardize",
    "MNIST_FILES",
    "MNIST_MIRRORS",
    "MnistUnavailable",
    "read_idx",
    "mnist_folder",
    "load_mnist",
]


def as_rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    """``rng`` as a Generator: an int is a seed, None means fresh randomness."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or isinstance(rng, (int, np.integer)):
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng must be a np.random.Generator, an int seed or None; got {type(rng).__name__}. "
        "Make one with rng = np.random.default_rng(0)."
    )


def movie_ratings(
    n: int = 100, rng: np.random.Generator | int | None = None, margin: float = 0.4
) -> tuple[np.ndarray, np.ndarray]:
    """Alice's and Carol's grades for ``n`` movies, and whether Bob liked each one.

    Returns ``X`` of shape (n, 2) with grades in [0, 10] (column 0: Alice, column 1: Carol)
    and ``y`` of shape (n,) with Bob's verdict, 1 (liked) or 0. Bob's taste is a weighted
    vote, 0.6 * Alice + 0.4 * Carol > 5, so the two classes are separable by a line; no movie
    lies closer than ``margin`` grade points to that line, so the perceptron converges fast.
    """
    if n < 1:
        raise ValueError(f"n must be a positive number of movies; got {n}")
    rng = as_rng(rng)
    w_true, b_true = np.array([0.6, 0.4]), -5.0
    X = np.empty((0, 2))
    while len(X) < n:
        candidates = rng.uniform(0, 10, size=(2 * n, 2)).round(1)
        distance = (candidates @ w_true + b_true) / np.linalg.norm(w_true)
        X = np.vstack([X, candidates[np.abs(distance) >= margin]])
    X = X[:n]
    y = (X @ w_true + b_true > 0).astype(int)
    return X, y


def xor(
    n: int | None = None, noise: float = 0.0, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The XOR problem.

    With ``n=None``: the four corners (0, 0), (0, 1), (1, 0), (1, 1) and their labels
    0, 1, 1, 0. With ``n``: ``n`` points drawn around the four corners with Gaussian
    ``noise`` (a standard deviation), labelled by their corner.
    """
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1, 0])
    if n is None:
        return corners, labels
    rng = as_rng(rng)
    which = rng.integers(0, 4, size=n)
    return corners[which] + noise * rng.standard_normal((n, 2)), labels[which]


def train_test_split(
    X: np.ndarray,
    y: np.ndarray,
    test_fraction: float = 0.25,
    rng: np.random.Generator | int | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the samples once and split them: ``X_train, X_test, y_train, y_test``.

    X and y are shuffled with the same permutation, so every label stays with its sample.
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(
            f"X and y must hold the same number of samples; got {len(X)} rows in X and "
            f"{len(y)} labels in y"
        )
    if not 0 < test_fraction < 1:
        raise ValueError(f"test_fraction must lie between 0 and 1; got {test_fraction}")
    order = as_rng(rng).permutation(len(X))
    n_test = max(1, round(test_fraction * len(X)))
    test, train = order[:n_test], order[n_test:]
    return X[train], X[test], y[train], y[test]


def circles(
    n: int = 200, noise: float = 0.1, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric rings: class 0 on radius 1, class 1 on radius 0.4, plus ``noise``."""
    rng = as_rng(rng)
    y = rng.integers(0, 2, size=n)
    angle = rng.uniform(0, 2 * np.pi, size=n)
    radius = np.where(y == 0, 1.0, 0.4)
    X = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * rng.standard_normal((n, 2)), y


def moons(
    n: int = 200, noise: float = 0.1, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles."""
    rng = as_rng(rng)
    y = rng.integers(0, 2, size=n)
    t = rng.uniform(0, np.pi, size=n)
    X = np.where(
        (y == 0)[:, None],
        np.column_stack([np.cos(t), np.sin(t)]),
        np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)]),
    )
    return X + noise * rng.standard_normal((n, 2)), y


def spiral(
    n: int = 300,
    noise: float = 0.1,
    rng: np.random.Generator | int | None = None,
    classes: int = 2,
    turns: float = 1.0,
) -> tuple[np.ndarray, np.ndarray]:
    """``classes`` interleaved spiral arms (a hard problem for a linear model)."""
    rng = as_rng(rng)
    y = rng.integers(0, classes, size=n)
    r = rng.uniform(0.05, 1.0, size=n)
    angle = 2 * np.pi * (turns * r + y / classes)
    X = r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return X + noise * 0.3 * rng.standard_normal((n, 2)), y


def blobs(
    n: int = 200,
    noise: float = 0.1,
    rng: np.random.Generator | int | None = None,
    classes: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian blobs around ``classes`` centres on the unit circle; ``noise`` widens them."""
    rng = as_rng(rng)
    y = rng.integers(0, classes, size=n)
    angle = 2 * np.pi * np.arange(classes) / classes + np.pi / 4
    centres = np.column_stack([np.cos(angle), np.sin(angle)])
    return centres[y] + (0.15 + 2 * noise) * rng.standard_normal((n, 2)), y


def _xor_cloud(n: int = 200, noise: float = 0.1, rng=None) -> tuple[np.ndarray, np.ndarray]:
    """XOR as a cloud centred on 0: the four quadrants, opposite ones sharing a class."""
    rng = as_rng(rng)
    X = rng.uniform(-1, 1, size=(n, 2))
    y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(int)
    return X + noise * rng.standard_normal((n, 2)), y


#: The 2-D classification problems of the playground, by name: f(n, noise, rng) -> (X, y).
DATASETS_2D = {
    "xor": _xor_cloud,
    "circles": circles,
    "moons": moons,
    "spiral": spiral,
    "blobs": blobs,
}


def noisy_curve(
    f,
    n: int = 100,
    noise: float = 0.1,
    rng: np.random.Generator | int | None = None,
    low: float = -3.0,
    high: float = 3.0,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points x in [low, high] with targets f(x) + Gaussian noise; X (n, 1), y (n, 1)."""
    rng = as_rng(rng)
    x = np.sort(rng.uniform(low, high, size=n))
    return x[:, None], (f(x) + noise * rng.standard_normal(n))[:, None]


def random_labels(
    n: int = 200, d: int = 2, classes: int = 2, rng: np.random.Generator | int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian inputs with labels drawn at random: nothing to learn, everything to memorise."""
    rng = as_rng(rng)
    return rng.standard_normal((n, d)), rng.integers(0, classes, size=n)


def minibatches(
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    rng: np.random.Generator | int | None = None,
):
    """Reference mini-batch iterator: one shuffled pass over (X, y) in batches.

    X and y are shuffled with one permutation (each label stays with its sample); every
    sample appears exactly once; the last batch may be smaller.
    """
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1; got {batch_size}")
    order = as_rng(rng).permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]


# --- notebook 05: stochastic gradient descent ---


def standardize(X_train: np.ndarray, *others: np.ndarray) -> tuple[np.ndarray, ...]:
    """Shift and scale every column to mean 0, standard deviation 1, by the TRAINING statistics.

    Returns one array per argument: ``X_train_s, X_test_s = standardize(X_train, X_test)``.
    The test arrays use the training mean and standard deviation, so nothing about them
    leaks into the model. A column with zero spread is only centred (no division by 0).
    """
    X_train = np.asarray(X_train, dtype=float)
    mean = X_train.mean(axis=0)
    std = X_train.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    for i, X in enumerate(others, start=2):
        if np.shape(X)[1:] != X_train.shape[1:]:
            raise ValueError(
                f"argument {i} has shape {np.shape(X)}; every array needs the columns of "
                f"X_train, shape (N, {', '.join(map(str, X_train.shape[1:]))})"
            )
    return tuple((np.asarray(X, dtype=float) - mean) / std for X in (X_train, *others))


# --- notebook 06: softmax and cross-entropy ---

#: The four MNIST files, each with the SHA-256 of its DECOMPRESSED bytes: mirrors wrap the
#: same IDX bytes in different gzip files, so only the decompressed bytes are comparable.
MNIST_FILES = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

#: Public mirrors serving ``<file>.gz``, tried in this order.
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)

# IDX type codes (third byte of the magic number) and the big-endian dtype each stands for
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_GZIP_MAGIC = b"\x1f\x8b"


class MnistUnavailable(OSError):
    """MNIST is neither on disk nor downloadable; the message says how to place it by hand."""


def _parse_idx(raw: bytes, name: str = "IDX data") -> np.ndarray:
    """The array stored in the bytes of an IDX file (the format MNIST is distributed in).

    Layout: two zero bytes, a type code, the number of dimensions n, then n big-endian
    uint32 sizes, then the values in C order, big-endian.
    """
    if len(raw) < 4 or raw[:2] != b"\0\0" or raw[2] not in _IDX_DTYPES:
        raise ValueError(f"{name} is not an IDX file: it does not start with an IDX magic number")
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int(n) for n in np.frombuffer(raw, ">u4", count=ndim, offset=4))
    dtype = np.dtype(_IDX_DTYPES[raw[2]])
    expected = header + int(np.prod(shape)) * dtype.itemsize
    if len(raw) != expected:
        raise ValueError(
            f"{name} is truncated or padded: its header promises shape {shape} "
            f"({expected} bytes), but it holds {len(raw)} bytes"
        )
    return np.frombuffer(raw, dtype, offset=header).reshape(shape).astype(dtype.newbyteorder("="))


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """The array in an IDX file, gzip-compressed or not."""
    raw = Path(path).read_bytes()
    if raw[:2] == _GZIP_MAGIC:
        raw = gzip.decompress(raw)
    return _parse_idx(raw, str(path))


def _cache_dir() -> Path:
    """The per-user cache folder: %LOCALAPPDATA% on Windows, else $XDG_CACHE_HOME or ~/.cache."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "nn-workbook"


def mnist_folder(path: str | os.PathLike | None = None) -> Path:
    """Where MNIST lives: ``path`` if given, else ``$NN_WORKBOOK_DATA/mnist`` if that variable
    is set, else ``mnist`` in the per-user cache folder (``~/.cache/nn-workbook/mnist``)."""
    if path is not None:
        return Path(path).expanduser()
    if os.environ.get("NN_WORKBOOK_DATA"):
        return Path(os.environ["NN_WORKBOOK_DATA"]).expanduser() / "mnist"
    return _cache_dir() / "mnist"


def _verified_bytes(raw: bytes, name: str) -> bytes:
    """The decompressed IDX bytes of ``raw``, or ValueError if their SHA-256 is not MNIST's."""
    if raw[:2] == _GZIP_MAGIC:
        raw = gzip.decompress(raw)
    digest = hashlib.sha256(raw).hexdigest()
    if digest != MNIST_FILES[name]:
        raise ValueError(
            f"checksum mismatch for {name}: SHA-256 {digest[:16]}..., "
            f"expected {MNIST_FILES[name][:16]}..."
        )
    return raw


def _download(name: str, folder: Path, opener: Callable, progress: bool) -> bytes:
    """Fetch ``name.gz`` from the first mirror that serves it intact; save it in ``folder``."""
    from tqdm.auto import tqdm  # imported here: only a download needs it

    failures = []
    for mirror in MNIST_MIRRORS:
        url = f"{mirror}{name}.gz"
        try:
            with opener(url, timeout=30) as response:
                size = int(response.headers.get("Content-Length") or 0) or None
                chunks = []
                with tqdm(total=size, unit="B", unit_scale=True, desc=f"{name}.gz",
                          disable=not progress, leave=False) as bar:
                    while chunk := response.read(1 << 16):
                        chunks.append(chunk)
                        bar.update(len(chunk))
            gz = b"".join(chunks)
            raw = _verified_bytes(gz, name)
        except (OSError, ValueError, EOFError) as err:  # offline, HTTP error, corrupt copy
            failures.append(f"  {url}: {type(err).__name__}: {err}")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f"{name}.gz.part"
        partial.write_bytes(gz)
        partial.replace(folder / f"{name}.gz")  # never leave a half-written file behind
        return raw
    raise MnistUnavailable(
        f"Could not download the MNIST file {name}.gz:\n" + "\n".join(failures) + "\n"
        f"If you are offline, fetch the four files {', '.join(f + '.gz' for f in MNIST_FILES)} "
        f"on a machine with internet (from {MNIST_MIRRORS[0]}, say) and put them, gzipped or "
        f"not, into {folder}, or set the environment variable NN_WORKBOOK_DATA to a folder "
        "that contains a folder mnist/ with them."
    )


def load_mnist(
    path: str | os.PathLike | None = None,
    *,
    download: bool = True,
    flatten: bool = True,
    progress: bool = True,
    opener: Callable | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """MNIST's 60,000 training and 10,000 test digits: ``X_train, X_test, y_train, y_test``.

    Images are float32 in [0, 1], of shape (N, 784) (or (N, 28, 28) with ``flatten=False``);
    labels are int64 digits 0..9, shape (N,). The four IDX files (``.gz`` or not) are read
    from :func:`mnist_folder`; any that is missing is downloaded there from
    :data:`MNIST_MIRRORS` with a progress bar (unless ``download=False``). Every file is
    verified by the SHA-256 of its decompressed bytes. ``opener`` replaces
    ``urllib.request.urlopen`` (tests use it to simulate the network).
    """
    folder = mnist_folder(path)
    opener = urllib.request.urlopen if opener is None else opener
    arrays = {}
    for name in MNIST_FILES:
        on_disk = [folder / name, folder / f"{name}.gz"]
        found = next((p for p in on_disk if p.is_file()), None)
        if found is not None:
            try:
                raw = _verified_bytes(found.read_bytes(), name)
            except (ValueError, EOFError, OSError) as err:
                raise ValueError(
                    f"{found} is not an intact copy of MNIST ({err}). Delete it and load "
                    "again to download a fresh copy."
                ) from err
        elif download:
            raw = _download(name, folder, opener, progress)
        else:
            raise MnistUnavailable(
                f"MNIST file {name} not found in {folder} (and download=False). Put the four "
                f"files {', '.join(MNIST_FILES)} (gzipped or not) there, or set "
                "NN_WORKBOOK_DATA to a folder that contains mnist/ with them."
            )
        arrays[name] = _parse_idx(raw, name)
    images = {split: arrays[f"{split}-images-idx3-ubyte"] for split in ("train", "t10k")}
    labels = {split: arrays[f"{split}-labels-idx1-ubyte"] for split in ("train", "t10k")}
    shape = (-1, 28 * 28) if flatten else (-1, 28, 28)
    X_train, X_test = (images[s].reshape(shape).astype(np.float32) for s in ("train", "t10k"))
    X_train /= 255  # in place: a float32 copy of 47 million pixels is enough
    X_test /= 255
    return X_train, X_test, labels["train"].astype(np.int64), labels["t10k"].astype(np.int64)
