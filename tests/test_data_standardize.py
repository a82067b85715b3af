"""data.standardize: training statistics, constant columns, dtypes (issue 16, item 1)."""

import numpy as np
import pytest

from helpers import data


def test_a_constant_column_is_centred_not_divided_by_rounding_noise():
    X = np.column_stack([np.full(1000, 0.1), np.arange(1000.0)])  # mean(0.1, ...) != 0.1
    train, test = data.standardize(X, np.array([[0.1, 10.0], [0.3, 10.0]]))
    assert np.array_equal(train[:, 0], np.zeros(1000))  # used to be all 1.0
    assert test[:, 0] == pytest.approx([0.0, 0.2])  # used to be ~7e10
    assert train[:, 1].mean() == pytest.approx(0, abs=1e-12)
    assert train[:, 1].std() == pytest.approx(1)
    assert test[0, 1] == pytest.approx((10 - 499.5) / np.arange(1000.0).std())


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_data_keeps_its_dtype(dtype):
    rng = np.random.default_rng(0)
    X = (rng.normal(size=(50, 3)) * [1, 10, 0.1] + [5, -2, 100]).astype(dtype)
    train, test = data.standardize(X, X[:5])
    assert train.dtype == dtype and test.dtype == dtype  # float32 used to become float64
    assert np.allclose(train.mean(axis=0), 0, atol=1e-3)  # float32 rounding of x − mean
    assert np.allclose(train.std(axis=0), 1, atol=1e-3)
    assert np.array_equal(train[:5], test)


def test_integers_become_float64_and_wrong_columns_are_named():
    train, = data.standardize(np.array([[0, 1], [2, 1], [4, 1]]))
    assert train.dtype == np.float64
    assert np.allclose(train, [[-1.224744871, 0], [0, 0], [1.224744871, 0]])
    with pytest.raises(ValueError, match=r"argument 2 has shape \(2, 3\).*\(N, 2\)"):
        data.standardize(np.zeros((4, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="no rows"):
        data.standardize(np.zeros((0, 2)))
