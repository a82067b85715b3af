"""The MNIST loader: the IDX parser, the folder it reads, checksums, downloads from the
mirrors (simulated: no test uses the network) and the message when offline."""

import gzip
import hashlib
import io
import os
import struct
import urllib.error

import numpy as np
import pytest

from helpers import data, mnist


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file's bytes, written the way the format describes (independently of the parser)."""
    codes = {np.dtype("u1"): 0x08, np.dtype("i2"): 0x0B, np.dtype("i4"): 0x0C,
             np.dtype("f4"): 0x0D}
    header = struct.pack(">BBBB", 0, 0, codes[array.dtype], array.ndim)
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def test_read_idx_reads_plain_and_gzipped_files_of_any_type(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(3, 4, 5)).astype(np.uint8)
    (tmp_path / "images").write_bytes(idx_bytes(images))
    (tmp_path / "images.gz").write_bytes(gzip.compress(idx_bytes(images)))
    for name in ("images", "images.gz"):
        assert np.array_equal(mnist.read_idx(tmp_path / name), images)
    for array in (np.array([-7, 300, 2**20], dtype=np.int32),
                  np.array([[1.5, -2.25]], dtype=np.float32)):
        (tmp_path / "other").write_bytes(idx_bytes(array))
        out = mnist.read_idx(tmp_path / "other")
        assert out.dtype == array.dtype and np.array_equal(out, array)


def test_read_idx_explains_a_file_that_is_not_idx_or_is_truncated(tmp_path):
    (tmp_path / "page.html").write_bytes(b"<html>Not found</html>")
    with pytest.raises(ValueError, match="not an IDX file"):
        mnist.read_idx(tmp_path / "page.html")
    (tmp_path / "short").write_bytes(idx_bytes(np.zeros((2, 3), np.uint8))[:-1])
    with pytest.raises(ValueError, match=r"truncated.*\(2, 3\)"):
        mnist.read_idx(tmp_path / "short")


# --- a tiny fake MNIST, with its own checksums --------------------------------------------------


@pytest.fixture
def fake_mnist(monkeypatch):
    """Tiny IDX files under MNIST's four names, and MNIST_FILES holding their checksums."""
    rng = np.random.default_rng(1)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, size=(5, 28, 28)).astype(np.uint8),
        "train-labels-idx1-ubyte": np.array([5, 0, 4, 1, 9], np.uint8),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, size=(3, 28, 28)).astype(np.uint8),
        "t10k-labels-idx1-ubyte": np.array([7, 2, 1], np.uint8),
    }
    raw = {name: idx_bytes(a) for name, a in arrays.items()}
    checksums = {name: hashlib.sha256(b).hexdigest() for name, b in raw.items()}
    monkeypatch.setattr(mnist, "MNIST_FILES", checksums)
    return arrays, raw


def write_files(folder, raw, compress=True):
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in raw.items():
        if compress:
            (folder / f"{name}.gz").write_bytes(gzip.compress(content))
        else:
            (folder / name).write_bytes(content)


@pytest.mark.parametrize("compress", [True, False])
def test_load_mnist_returns_scaled_float32_images_and_int_labels(tmp_path, fake_mnist, compress):
    arrays, raw = fake_mnist
    write_files(tmp_path, raw, compress)
    X_train, X_test, y_train, y_test = mnist.load_mnist(tmp_path, download=False)
    assert X_train.shape == (5, 784) and X_test.shape == (3, 784)
    assert X_train.dtype == np.float32 and 0 <= X_train.min() and X_train.max() <= 1
    assert np.allclose(X_train * 255, arrays["train-images-idx3-ubyte"].reshape(5, 784))
    assert y_train.tolist() == [5, 0, 4, 1, 9] and y_test.tolist() == [7, 2, 1]
    assert np.issubdtype(y_train.dtype, np.integer)
    images = mnist.load_mnist(tmp_path, download=False, flatten=False)[1]
    assert images.shape == (3, 28, 28)


def test_a_corrupt_file_on_disk_fails_its_checksum_with_advice(tmp_path, fake_mnist):
    _, raw = fake_mnist
    raw = dict(raw)
    raw["t10k-labels-idx1-ubyte"] = idx_bytes(np.array([7, 2, 2], np.uint8))  # one label off
    write_files(tmp_path, raw)
    with pytest.raises(ValueError, match=r"checksum mismatch.*Delete it and load again"):
        mnist.load_mnist(tmp_path, download=False)


class FakeResponse(io.BytesIO):
    """What urllib.request.urlopen returns, enough for the loader."""

    def __init__(self, content: bytes):
        super().__init__(content)
        self.headers = {"Content-Length": str(len(content))}


def test_missing_files_are_downloaded_from_the_first_mirror_that_serves_them_intact(
    tmp_path, fake_mnist
):
    _, raw = fake_mnist
    requested = []

    def opener(url, timeout):
        requested.append(url)
        name = url.rsplit("/", 1)[1].removesuffix(".gz")
        if url.startswith(mnist.MNIST_MIRRORS[0]) and name.startswith("t10k"):
            return FakeResponse(gzip.compress(b"\0\0\x08\x01\0\0\0\1" + b"x"))  # corrupt copy
        return FakeResponse(gzip.compress(raw[name], mtime=0))

    folder = tmp_path / "cache" / "mnist"
    X_train, X_test, y_train, y_test = mnist.load_mnist(folder, opener=opener, progress=False)
    assert y_test.tolist() == [7, 2, 1] and X_train.shape == (5, 784)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.gz" for n in raw)
    assert sum(u.startswith(mnist.MNIST_MIRRORS[1]) for u in requested) == 2  # the t10k files
    requested.clear()
    mnist.load_mnist(folder, opener=opener)  # now cached: no request at all
    assert requested == []


def test_offline_message_says_what_failed_and_how_to_place_the_files(tmp_path, fake_mnist):
    def offline(url, timeout):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    folder = tmp_path / "mnist"
    with pytest.raises(mnist.MnistUnavailable) as info:
        mnist.load_mnist(folder, opener=offline, progress=False)
    message = str(info.value)
    for mirror in mnist.MNIST_MIRRORS:
        assert f"{mirror}train-images-idx3-ubyte.gz" in message
    assert "Temporary failure in name resolution" in message
    assert "offline" in message and str(folder) in message and "NN_WORKBOOK_DATA" in message
    assert not folder.exists() or not any(folder.iterdir())  # nothing half-written
    assert isinstance(info.value, OSError)


def test_without_download_a_missing_file_is_reported(tmp_path, fake_mnist):
    with pytest.raises(mnist.MnistUnavailable, match=r"not found in .*download=False"):
        mnist.load_mnist(tmp_path, download=False)


def test_the_folder_is_the_argument_then_the_variable_then_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_WORKBOOK_DATA", str(tmp_path / "shared"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert mnist.mnist_folder(tmp_path / "mine") == tmp_path / "mine"
    assert mnist.mnist_folder() == tmp_path / "shared" / "mnist"
    monkeypatch.delenv("NN_WORKBOOK_DATA")
    assert mnist.mnist_folder() == tmp_path / "xdg" / "nn-workbook" / "mnist"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert mnist.mnist_folder() == tmp_path / "home" / ".cache" / "nn-workbook" / "mnist"
    monkeypatch.setattr(mnist.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert mnist.mnist_folder() == tmp_path / "local" / "nn-workbook" / "mnist"


@pytest.mark.skipif(not os.environ.get("NN_WORKBOOK_DATA"), reason="NN_WORKBOOK_DATA is not set")
def test_the_real_mnist_loads_and_matches_its_checksums():
    X_train, X_test, y_train, y_test = mnist.load_mnist(download=False)
    assert X_train.shape == (60000, 784) and X_test.shape == (10000, 784)
    assert X_train.dtype == np.float32 and X_train.min() == 0 and X_train.max() == 1
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9] and y_test[:3].tolist() == [7, 2, 1]
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974,
                                             1009]


def test_data_re_exports_the_mnist_names_notebook_06_calls():
    for name in mnist.__all__:
        assert getattr(data, name) is getattr(mnist, name)
