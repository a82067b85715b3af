"""Notebook 02 checks: the reference and correct alternatives pass; typical mistakes fail
with the hint that names them."""

import warnings

import numpy as np
import pytest
from checking import assert_fails, assert_passes

from helpers import check

# --- derivative --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / (2 * h),
        # the average of the forward and the backward difference is the central difference
        lambda f, x, h=1e-5: 0.5 * ((f(x + h) - f(x)) / h + (f(x) - f(x - h)) / h),
    ],
)
def test_derivative_accepts_central_differences(answer, capsys):
    assert_passes(check.derivative, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda f, x, h=1e-5: (f(x + h) - f(x)) / h, "forward difference",
         "derivative/forward-difference"),
        (lambda f, x, h=1e-5: (f(x) - f(x - h)) / h, "backward difference",
         "derivative/backward-difference"),
        (lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h, "the ½ is missing",
         "derivative/missing-half"),
        (lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2 * h, "write `/ (2 * h)`",
         "derivative/precedence-2-h"),
        (lambda f, x, h=1e-5: (f(x + 1e-5) - f(x - 1e-5)) / 2e-5, "not a fixed 1e-5",
         "derivative/fixed-h"),
        (lambda f, x, h=1e-2: (f(x + h) - f(x - h)) / (2 * h), "default step is h=1e-5",
         "derivative/no-default-h"),
        (lambda f, x, h=1e-5: float((f(x + h) - f(x - h)) / (2 * h)), "raised TypeError",
         "error/generic"),
        (lambda f, x, h=1e-5: None, "forget the `return`", "general/returned-none"),
    ],
)
def test_derivative_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.derivative, answer, hint, mistake=mistake)


# --- gradient_descent ------------------------------------------------------------------------


def gd_list(grad, x0, lr, n_steps):
    xs = [np.asarray(x0, dtype=float)]
    for _ in range(n_steps):
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return np.array(xs)


def gd_preallocated(grad, x0, lr, n_steps):
    xs = np.zeros((n_steps + 1,) + np.shape(x0))
    xs[0] = x0
    for k in range(n_steps):
        xs[k + 1] = xs[k] - lr * grad(xs[k])
    return xs


def gd_copy_in_place(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for _ in range(n_steps):
        x -= lr * grad(x)
        xs.append(x.copy())
    return np.stack(xs)


@pytest.mark.parametrize("answer", [gd_list, gd_preallocated, gd_copy_in_place])
def test_gradient_descent_accepts_correct_loops(answer, capsys):
    assert_passes(check.gradient_descent, answer, capsys)


def gd_climbs(grad, x0, lr, n_steps):
    xs = [np.asarray(x0, dtype=float)]
    for _ in range(n_steps):
        xs.append(xs[-1] + lr * grad(xs[-1]))
    return np.array(xs)


def gd_last_only(grad, x0, lr, n_steps):
    return gd_list(grad, x0, lr, n_steps)[-1]


def gd_without_x0(grad, x0, lr, n_steps):
    return gd_list(grad, x0, lr, n_steps)[1:]


def gd_shifted(grad, x0, lr, n_steps):
    return gd_list(grad, x0, lr, n_steps + 1)[1:]


def gd_same_object(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    xs = [x]
    for _ in range(n_steps):
        x -= lr * grad(x)
        xs.append(x)
    return np.array(xs)


def gd_same_object_after_first(grad, x0, lr, n_steps):
    x = np.array(x0, dtype=float)
    xs = [x.copy()]
    for _ in range(n_steps):
        x -= lr * grad(x)
        xs.append(x)
    return np.array(xs)


def gd_changes_x0(grad, x0, lr, n_steps):
    x = x0
    xs = [np.copy(x)]
    for _ in range(n_steps):
        x -= lr * grad(x)
        xs.append(np.copy(x))
    return np.array(xs)


def gd_without_lr(grad, x0, lr, n_steps):
    return gd_list(grad, x0, 1.0, n_steps)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (gd_climbs, "the iterates climb", "gradient_descent/climbs"),
        (gd_last_only, "not only the last x", "gradient_descent/last-point-only"),
        (gd_without_x0, "starting point x0 is missing", "gradient_descent/x0-missing"),
        (gd_shifted, "the first row must be the starting point", "gradient_descent/x0-not-first"),
        (gd_same_object, "same array object", "gradient_descent/same-array-stored"),
        (gd_same_object_after_first, "same array object", "gradient_descent/same-array-stored"),
        (gd_changes_x0, "changes the caller's array", "general/array-changed-in-place"),
        (gd_without_lr, "learning rate is missing", "gradient_descent/lr-missing"),
    ],
)
def test_gradient_descent_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.gradient_descent, answer, hint, mistake=mistake)


# --- LR_DIVERGES ----------------------------------------------------------------------------


@pytest.mark.parametrize("lr", [1.5, 2.5, 3, 10.0, 1e200, np.float64(1.2)])
def test_lr_diverges_accepts_exploding_learning_rates(lr, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the check's own run of GD never warns
        assert_passes(check.lr_diverges, lr, capsys)


@pytest.mark.parametrize(
    "lr, hints",
    [
        (0.1, ["converges to the minimum", "much larger"]),
        (0.5, ["converges to the minimum"]),
        (0.9, ["oscillate", "oscillating is not diverging", "swings shrink"]),
        (1.0, ["jump between 0 and 2", "neither converging nor diverging"]),
        (1.001, ["grow, but slowly", "explode"]),
        (-1.0, ["uphill", "learning rate is positive"]),
        (0, ["nowhere"]),
        ("2.5", ["expected a number"]),
        (True, ["expected a number"]),
        (float("inf"), ["finite number"]),
    ],
)
def test_lr_diverges_rejects_what_does_not_diverge(lr, hints):
    assert_fails(check.lr_diverges, lr, *hints)


# --- numerical_gradient ---------------------------------------------------------------------


def numgrad_copies(f, x, h=1e-5):
    grad = np.zeros_like(x, dtype=float)
    for i in range(x.size):
        up, down = x.copy(), x.copy()
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / (2 * h)
    return grad


def numgrad_basis(f, x, h=1e-5):
    basis = np.eye(x.size)
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in basis])


def numgrad_restores(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        old = x[i]
        x[i] = old + h
        up = f(x)
        x[i] = old - h
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


@pytest.mark.parametrize("answer", [numgrad_copies, numgrad_basis, numgrad_restores])
def test_numerical_gradient_accepts_correct_versions(answer, capsys):
    assert_passes(check.numerical_gradient, answer, capsys)


def numgrad_all_at_once_scalar(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def numgrad_all_at_once_vector(f, x, h=1e-5):
    return np.full(x.shape, (f(x + h) - f(x - h)) / (2 * h))


def numgrad_leaves_x_changed(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        x[i] += h
        up = f(x)
        x[i] -= 2 * h
        down = f(x)
        grad[i] = (up - down) / (2 * h)
    return grad


def numgrad_forward(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in range(x.size):
        up = x.copy()
        up[i] += h
        grad[i] = (f(up) - f(x)) / h
    return grad


def numgrad_piling(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    up, down = x.copy(), x.copy()
    for i in range(x.size):
        up[i] += h
        down[i] -= h
        grad[i] = (f(up) - f(down)) / (2 * h)
    return grad


def numgrad_missing_half(f, x, h=1e-5):
    return 2 * numgrad_copies(f, x, h)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (numgrad_all_at_once_scalar, "nudged every coordinate at once",
         "numerical_gradient/all-at-once"),
        (numgrad_all_at_once_vector, "nudged all coordinates at once",
         "numerical_gradient/all-at-once-same"),
        (numgrad_leaves_x_changed, "changed x in place", "numerical_gradient/input-changed"),
        (numgrad_forward, "forward difference", "numerical_gradient/forward-difference"),
        (numgrad_piling, "nudges pile up", "numerical_gradient/nudges-pile-up"),
        (numgrad_missing_half, "the ½ is missing", "numerical_gradient/missing-half"),
    ],
)
def test_numerical_gradient_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.numerical_gradient, answer, hint, mistake=mistake)


# --- mse --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        lambda y_pred, y: np.mean((np.ravel(y_pred) - np.ravel(y)) ** 2),
        lambda y_pred, y: np.sum((y_pred.reshape(-1) - y.reshape(-1)) ** 2) / y.size,
        lambda y_pred, y: float(np.square(np.subtract(np.ravel(y), np.ravel(y_pred))).mean()),
    ],
)
def test_mse_accepts_correct_formulas(answer, capsys):
    assert_passes(check.mse, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda y_pred, y: np.sum((np.ravel(y_pred) - np.ravel(y)) ** 2), "sum of squared errors",
         "mse/sse"),
        (lambda y_pred, y: np.mean(y_pred - y), "square each error", "mse/errors-not-squared"),
        (lambda y_pred, y: np.mean((y_pred - y) ** 2), "broadcasts to an (N, N) table",
         "mse/n-n-broadcast-2"),
        (lambda y_pred, y: (y_pred - y) ** 2, "one value per sample", "mse/sum-not-mean"),
        (lambda y_pred, y: np.sqrt(np.mean((y_pred - y) ** 2)), "RMSE", "mse/rmse"),
        (lambda y_pred, y: 0.5 * np.mean((y_pred - y) ** 2), "no ½ here", "mse/halved"),
    ],
)
def test_mse_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.mse, answer, hint, mistake=mistake)


def test_mse_names_the_broadcast_table_when_it_is_returned():
    answer = lambda y_pred, y: ((y_pred - y) ** 2).mean(axis=-1) if y_pred.ndim == 1 else (
        (y_pred - y) ** 2)
    assert_fails(check.mse, answer, "(N, N) table")


# --- mse_gradients -------------------------------------------------------------------------


def grads_reference(X, y, w, b):
    err = X @ w + b - y
    return 2 / len(y) * X.T @ err, 2 * np.mean(err)


def grads_einsum(X, y, w, b):
    err = np.einsum("nd,d->n", X, w) + b - y
    return np.einsum("nd,n->d", X, err) * 2 / X.shape[0], float(np.sum(err) * 2 / X.shape[0])


@pytest.mark.parametrize("answer", [grads_reference, grads_einsum])
def test_mse_gradients_accepts_correct_formulas(answer, capsys):
    assert_passes(check.mse_gradients, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda X, y, w, b: tuple(0.5 * g for g in grads_reference(X, y, w, b)), "factor 2",
         "mse_gradients/2-missing"),
        (lambda X, y, w, b: tuple(len(y) * g for g in grads_reference(X, y, w, b)), "1/N",
         "mse_gradients/n-missing"),
        (lambda X, y, w, b: tuple(-g for g in grads_reference(X, y, w, b)), "sign is flipped",
         "mse_gradients/sign-flipped"),
        (lambda X, y, w, b: (2 / len(y) * X @ (X @ w + b - y), grads_reference(X, y, w, b)[1]),
         "use X.T @ err, not X @ err", "mse_gradients/x-for-x-t"),
        (lambda X, y, w, b: (grads_reference(X, y, w, b)[0], 2 * np.sum(X @ w + b - y)), "1/N",
         "mse_gradients/n-missing"),
        (lambda X, y, w, b: grads_reference(X, y, w, b)[0], "expected a tuple (dw, db)",
         "mse_gradients/not-a-pair"),
        (lambda X, y, w, b: (2 / len(y) * X.T * (X @ w + b - y), grads_reference(X, y, w, b)[1]),
         "X.T * err multiplies element by element", "mse_gradients/elementwise-for-matmul"),
        (lambda X, y, w, b: (grads_reference(X, y, w, b)[0],
                             2 * np.mean(X @ w + b - y, keepdims=True)),
         "Return the number itself", "shape/number-expected"),
    ],
)
def test_mse_gradients_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.mse_gradients, answer, hint, mistake=mistake)


# --- fit_linear -------------------------------------------------------------------------------


def fit_reference(X, y, lr, n_steps):
    w, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(n_steps):
        losses.append(np.mean((X @ w + b - y) ** 2))
        dw, db = grads_reference(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
    return w, b, losses


def fit_augmented(X, y, lr, n_steps):
    """A column of ones turns the bias into one more weight."""
    Xa = np.column_stack([X, np.ones(len(X))])
    theta, losses = np.zeros(Xa.shape[1]), np.zeros(n_steps)
    for k in range(n_steps):
        err = Xa @ theta - y
        losses[k] = err @ err / len(y)
        theta -= lr * 2 / len(y) * Xa.T @ err
    return theta[:-1], theta[-1], losses


@pytest.mark.parametrize("answer", [fit_reference, fit_augmented])
def test_fit_linear_accepts_correct_loops(answer, capsys):
    assert_passes(check.fit_linear, answer, capsys)


def fit_loss_after_update(X, y, lr, n_steps):
    w, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(n_steps):
        dw, db = grads_reference(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
        losses.append(np.mean((X @ w + b - y) ** 2))
    return w, b, losses


def fit_bias_frozen(X, y, lr, n_steps):
    w, b, losses = np.zeros(X.shape[1]), 0.0, []
    for _ in range(n_steps):
        losses.append(np.mean((X @ w + b - y) ** 2))
        w = w - lr * grads_reference(X, y, w, b)[0]
    return w, b, losses


def fit_one_loss_too_many(X, y, lr, n_steps):
    w, b, losses = fit_reference(X, y, lr, n_steps)
    return w, b, losses + [np.mean((X @ w + b - y) ** 2)]


def fit_random_start(X, y, lr, n_steps):
    rng = np.random.default_rng(0)
    w, b, losses = rng.normal(size=X.shape[1]), 0.0, []
    for _ in range(n_steps):
        losses.append(np.mean((X @ w + b - y) ** 2))
        dw, db = grads_reference(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
    return w, b, losses


def fit_bias_array(X, y, lr, n_steps):
    """b = np.zeros(1): the bias stays an array of shape (1,)."""
    w, b, losses = np.zeros(X.shape[1]), np.zeros(1), []
    for _ in range(n_steps):
        losses.append(np.mean((X @ w + b - y) ** 2))
        dw, db = grads_reference(X, y, w, b)
        w, b = w - lr * dw, b - lr * db
    return w, b, losses


def fit_returns_initial_weights(X, y, lr, n_steps):
    _, _, losses = fit_reference(X, y, lr, n_steps)
    return np.zeros(X.shape[1]), 0.0, losses


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (fit_loss_after_update, "shifted by one step", "fit_linear/losses-shifted-by-one"),
        (fit_bias_frozen, "b never changes", "fit_linear/b-not-updated"),
        (fit_one_loss_too_many, "once per step", "fit_linear/loss-count"),
        (fit_random_start, "start from w = np.zeros(D)", "fit_linear/wrong-first-loss"),
        (fit_returns_initial_weights, "return the w and b of the last update",
         "fit_linear/wrong-final-weights"),
        (fit_bias_array, "Return the number itself", "shape/number-expected"),
        (lambda X, y, lr, n_steps: fit_reference(X, y, lr, n_steps)[:2], "expected a tuple",
         "fit_linear/not-a-triple"),
    ],
)
def test_fit_linear_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.fit_linear, answer, hint, mistake=mistake)
