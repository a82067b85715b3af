"""MNIST for notebook 06: find, download, verify and read the four IDX files.

``helpers.data`` re-exports :func:`load_mnist` and the other public names, so notebooks call
``data.load_mnist()``. Nothing here downloads anything unless the caller asks for it.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

__all__ = [
    "MNIST_FILES",
    "MNIST_MIRRORS",
    "MnistUnavailable",
    "read_idx",
    "mnist_folder",
    "load_mnist",
]

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
    if opener is None:
        import urllib.request  # here, not at the top: it takes a third of a second to import

        opener = urllib.request.urlopen
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
