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
        (lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h, "twice too large",
         "derivative/missing-half"),
        (lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2 * h, "MULTIPLIES by h",
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
        (gd_last_only, "only the last point", "gradient_descent/last-point-only"),
        (gd_without_x0, "starting point x0 is missing", "gradient_descent/x0-missing"),
        (gd_shifted, "the first row must be the starting point", "gradient_descent/x0-not-first"),
        (gd_same_object, "same array object", "gradient_descent/same-array-stored"),
        (gd_same_object_after_first, "same array object", "gradient_descent/same-array-stored"),
        (gd_changes_x0, "changes the caller's array", "general/array-changed-in-place"),
        (gd_without_lr, "does not scale them", "gradient_descent/lr-missing"),
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
        (numgrad_missing_half, "twice too large", "numerical_gradient/missing-half"),
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


def test_02_scale_messages_say_how_far_off_not_how_to_fix_it():
    # teacher review: "the 1/N of the mean is missing: divide by the number of samples" wrote
    # the fix; "each entry of your dw is N times too big" names the mistake
    n_times = lambda X, y, w, b: tuple(len(y) * g for g in grads_reference(X, y, w, b))
    sums = lambda y_pred, y: np.sum((np.ravel(y_pred) - np.ravel(y)) ** 2)
    for exercise, answer in ((check.mse_gradients, n_times), (check.mse, sums)):
        with pytest.raises(check.CheckFailed) as failure:
            exercise(answer)
        text = str(failure.value).lower()
        assert "times" in text and "divide" not in text and "np.mean" not in text


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
        (lambda X, y, w, b: tuple(len(y) * g for g in grads_reference(X, y, w, b)),
         "each entry of your dw is N times too big", "mse_gradients/n-missing"),
        (lambda X, y, w, b: tuple(len(y) / 2 * g for g in grads_reference(X, y, w, b)),
         "N/2 times too big", "mse_gradients/2-and-n-missing"),
        (lambda X, y, w, b: tuple(-g for g in grads_reference(X, y, w, b)), "sign is flipped",
         "mse_gradients/sign-flipped"),
        (lambda X, y, w, b: (2 / len(y) * X @ (X @ w + b - y), grads_reference(X, y, w, b)[1]),
         "ROWS of X", "mse_gradients/x-for-x-t"),
        (lambda X, y, w, b: (grads_reference(X, y, w, b)[0], 2 * np.sum(X @ w + b - y)),
         "your db is N times too big", "mse_gradients/n-missing"),
        (lambda X, y, w, b: grads_reference(X, y, w, b)[0], "expected a tuple (dw, db)",
         "mse_gradients/not-a-pair"),
        (lambda X, y, w, b: (2 / len(y) * X.T * (X @ w + b - y), grads_reference(X, y, w, b)[1]),
         "multiplies element by element", "mse_gradients/elementwise-for-matmul"),
        (lambda X, y, w, b: (grads_reference(X, y, w, b)[0],
                             2 * np.mean(X @ w + b - y, keepdims=True)),
         "Return the number itself", "shape/number-expected"),
        # round 3: db left as one value per sample got the generic "compare the shapes"
        (lambda X, y, w, b: (grads_reference(X, y, w, b)[0], 2 / len(y) * (X @ w + b - y)),
         "one entry per sample", "mse_gradients/db-not-summed"),
        (lambda X, y, w, b: (grads_reference(X, y, w, b)[0],
                             2 / len(y) * (X @ w + b - y)[:, None]),
         "one entry per sample", "mse_gradients/db-not-summed"),
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
        (fit_one_loss_too_many, "one loss too many", "fit_linear/loss-count"),
        (fit_random_start, "the docstring's start", "fit_linear/wrong-first-loss"),
        (fit_returns_initial_weights, "not those after the last update",
         "fit_linear/wrong-final-weights"),
        (fit_bias_array, "Return the number itself", "shape/number-expected"),
        (lambda X, y, lr, n_steps: fit_reference(X, y, lr, n_steps)[:2], "expected a tuple",
         "fit_linear/not-a-triple"),
    ],
)
def test_fit_linear_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.fit_linear, answer, hint, mistake=mistake)


# --- issue 23: the off-by-ones of gradient_descent, the fallback of mse_gradients ----------------


def gd_one_step_too_many(grad, x0, lr, n_steps):
    xs = [np.asarray(x0, dtype=float)]
    for _ in range(n_steps + 1):  # off by one
        xs.append(xs[-1] - lr * grad(xs[-1]))
    return np.array(xs)


def gd_x0_twice(grad, x0, lr, n_steps):
    xs = [np.asarray(x0, dtype=float)]
    x = xs[0]
    xs.append(x)  # the start stored again, as if it were the first update
    for _ in range(n_steps):
        x = x - lr * grad(x)
        xs.append(x)
    return np.array(xs)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (gd_one_step_too_many, "one step too many", "gradient_descent/one-step-too-many"),
        (gd_x0_twice, "x0 is in your array twice", "gradient_descent/x0-twice"),
    ],
)
def test_gradient_descent_names_the_off_by_ones(answer, hint, mistake):
    assert_fails(check.gradient_descent, answer, hint, mistake=mistake)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (lambda X, y, w, b: (5 / len(y) * X.T @ (X @ w + b - y), grads_reference(X, y, w, b)[1]),
         "each entry of your dw is 2.5 times the right one", "mse_gradients/dw-wrong"),
        (lambda X, y, w, b: (grads_reference(X, y, w, b)[0] + 0.1, grads_reference(X, y, w, b)[1]),
         "of your dw are off", "mse_gradients/dw-wrong"),
        (lambda X, y, w, b: (grads_reference(X, y, w, b)[0], 2 * np.mean(X @ w - y)),
         "your db is off by", "mse_gradients/db-wrong"),
        (lambda X, y, w, b: (grads_reference(X, y, w, b)[0], -3 * np.mean(X @ w + b - y)),
         "-1.5 times the right value, with the sign flipped", "mse_gradients/db-wrong"),
    ],
)
def test_mse_gradients_fallback_names_what_is_off_not_the_formula(answer, hint, mistake):
    failure = assert_fails(check.mse_gradients, answer, hint, mistake=mistake)
    assert "X.T" not in failure.plain and "2/N" not in failure.plain


# --- the questions and derivation steps of notebook 02 (issue 22) -------------------------------


def test_predict_downhill():
    from helpers.experiments.descent import downhill_option

    assert downhill_option() == "a"
    assert_passes(check.predict_downhill, "a")
    assert_fails(check.predict_downhill, "b", "GAINS", mistake="predict_downhill/gain-not-fraction")
    assert_fails(check.predict_downhill, "c", "cannot both go uphill",
                 mistake="predict_downhill/none")
    assert_fails(check.predict_downhill, 0.5, "one of", mistake="question02/not-an-option")


@pytest.mark.parametrize("answer", [(0.0601, 0.0001), [0.06010, 1e-4], np.array([0.0601, 1e-4]),
                                    (6.01e-2, 0.00010000000000331966)])
def test_difference_errors_accepts_the_two_errors(answer, capsys):
    assert_passes(check.difference_errors, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ((0.0001, 0.0601), "wrong order", "difference_errors/swapped"),
        ((12.0601, 12.0001), "those are the two slopes", "difference_errors/slopes-not-errors"),
        ((0.0601, 12.0002), "2h apart", "difference_errors/central-not-halved"),
        ((0.0601, -0.0599), "backward difference", "difference_errors/backward-for-central"),
        ((0.06, 0.0), "to 6 decimals", "difference_errors/wrong-values"),
        # round 3: the text defines an error as the approximate slope minus 12
        ((-0.0601, -0.0001), "the forward difference's error and the central difference's "
         "error have the wrong sign", "difference_errors/sign-flipped"),
        ((-0.0601, 0.0001), "the forward difference's error has the wrong sign",
         "difference_errors/sign-flipped"),
        ((0.0601, -0.0001), "the central difference's error has", "difference_errors/sign-flipped"),
        # round 3: the /h slip, in either order, got the generic hint
        ((12.0002, 0.0601), "your first number is the central slope divided by h",
         "difference_errors/central-not-halved"),
        ((0.0601, -12.0002), "2h apart", "difference_errors/central-not-halved"),
        ((0.0601, 0.0), "the central difference of x³ is not exact",
         "difference_errors/central-exact"),
        ((0.06, 0.0001), "your second number, the central error, is right",
         "difference_errors/rounded"),
        ((0.0601, 0.01), "your first number, the forward error, is right; your second is not",
         "difference_errors/wrong-values"),
        (0.0601, "two numbers", "question02/not-two-numbers"),
    ],
)
def test_difference_errors_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.difference_errors, answer, hint, mistake=mistake)


def test_predict_bowl_lr():
    from helpers.experiments.descent import bowl_factors, bowl_outcome

    assert bowl_outcome(0.101) == "c" and bowl_factors(0.101)[1] == pytest.approx(-1.02)
    assert bowl_outcome(0.09) == "a" and bowl_outcome(0.02) == "a" and bowl_outcome(1.5) == "b"
    assert_passes(check.predict_bowl_lr, "c")
    assert_fails(check.predict_bowl_lr, "a", "2 % LARGER", mistake="predict_bowl_lr/converges")
    assert_fails(check.predict_bowl_lr, "b", "its own factor",
                 mistake="predict_bowl_lr/both-diverge")
    assert_fails(check.predict_bowl_lr, "d", "the steep direction is y",
                 mistake="predict_bowl_lr/wrong-direction")


@pytest.mark.parametrize(
    "check_name, right, wrongs",
    [
        ("grad_one_sample", (0.5, 1.0), [
            ((0.25, 0.5), "factor 2", "grad_one_sample/2-missing"),
            ((-0.5, -1.0), "wrong sign", "grad_one_sample/sign-flipped"),
            ((1.0, 1.0), "changes by x per unit of w", "grad_one_sample/x-missing"),
            ((1.5, 3.0), "you used ŷ", "grad_one_sample/prediction-for-error"),
            ((0.3, 0.3), "chain rule", "grad_one_sample/wrong-values"),
        ]),
        ("grad_batch", (10 / 3, 4 / 3), [
            ((10.0, 4.0), "3 times too big", "grad_batch/n-missing"),
            ((5 / 3, 2 / 3), "factor 2", "grad_batch/2-missing"),
            ((-10 / 3, -4 / 3), "wrong sign", "grad_batch/sign-flipped"),
            ((4 / 3, 4 / 3), "its own x_i", "grad_batch/x-missing"),
            ((8.0, 4 / 3), "sum of the products", "grad_batch/product-of-sums"),
            ((1.0, 1.0), "the derivative of a mean", "grad_batch/wrong-values"),
        ]),
        ("dw_matrix", (2.0, 2 / 3), [
            ((3.0, 1.0), "1.5 times too big", "dw_matrix/2-and-n-missing"),
            ((1.0, 1 / 3), "factor 2 is missing", "dw_matrix/2-missing"),
            ((6.0, 2.0), "N = 3 times too big", "dw_matrix/n-missing"),
            ((-2.0, -2 / 3), "sign is flipped", "dw_matrix/sign-flipped"),
            ((8 / 3, 8 / 3), "column sums", "dw_matrix/product-of-sums"),
            ((1.0, 2.0), "Which matrix product", "dw_matrix/wrong-values"),
        ]),
    ],
)
def test_the_derivation_steps(check_name, right, wrongs, capsys):
    question = getattr(check, check_name)
    assert_passes(question, right, capsys)
    assert_passes(question, list(right))
    for answer, hint, mistake in wrongs:
        assert_fails(question, answer, hint, mistake=mistake)
    assert_fails(question, "0.5", "two numbers", mistake="question02/not-two-numbers")


def test_the_derivation_steps_agree_with_mse_gradients():
    # the three numbers are what the reference gradient gives for their data
    dw, db = grads_reference(np.array([[0.5]]), np.array([1.0]), np.array([2.0]), 0.5)
    assert (dw[0], db) == pytest.approx((0.5, 1.0))
    dw, db = grads_reference(np.array([[1.0], [2.0], [3.0]]), np.array([1.0, 1.0, 2.0]),
                             np.array([1.0]), 0.0)
    assert (dw[0], db) == pytest.approx((10 / 3, 4 / 3))
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    e = np.array([1.0, -1.0, 2.0])
    assert 2 / 3 * X.T @ e == pytest.approx([2.0, 2 / 3])


def _choose_lr(pick="val", data="train", losses="val", returns="lr", rates="all"):
    def choose_lr(fit, X_train, y_train, X_val, y_val, lrs, n_steps):
        val, fits = [], []
        run_rates = {"all": lrs, "skip-last": lrs[:-1]}[rates]
        for lr in run_rates:
            X_fit, y_fit = {"train": (X_train, y_train), "val": (X_val, y_val),
                            "both": (np.vstack([X_train, X_val]),
                                     np.concatenate([y_train, y_val]))}[data]
            w, b, _ = fit(X_fit, y_fit, lr, n_steps)
            val.append(np.mean((X_val @ w + b - y_val) ** 2))
            fits.append(np.mean((X_train @ w + b - y_train) ** 2))
        score = {"val": val, "train": fits, "highest": [-v for v in val]}[pick]
        best = int(np.argmin(score))
        shown = fits if losses == "train" else val
        if losses == "extra":
            shown = [*val, val[-1]]
        chosen = {"index": best, "loss": min(score)}.get(returns, run_rates[best])
        return chosen, shown

    return choose_lr


def test_choose_lr_accepts_the_search(capsys):
    assert_passes(check.choose_lr, _choose_lr(), capsys)

    def with_a_dict(fit, X_train, y_train, X_val, y_val, lrs, n_steps):
        scores = {}
        for lr in lrs:
            w, b, _ = fit(X_train, y_train, lr=lr, n_steps=n_steps)
            scores[lr] = float(np.mean(((X_val @ w + b) - y_val) ** 2))
        return min(lrs, key=scores.get), [scores[lr] for lr in lrs]

    assert_passes(check.choose_lr, with_a_dict)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        (_choose_lr(losses="train"), "losses on the training data", "choose_lr/training-losses"),
        (_choose_lr(returns="index"), "position of the best run", "choose_lr/index-not-lr"),
        (_choose_lr(returns="loss"), "the lowest validation loss itself",
         "choose_lr/returned-loss"),
        (_choose_lr(pick="train"), "lowest loss on the training data",
         "choose_lr/chose-on-training"),
        (_choose_lr(pick="highest"), "HIGHEST validation loss", "choose_lr/chose-highest-loss"),
        (_choose_lr(data="val"), "12 of them from the validation set",
         "choose_lr/trained-on-validation"),
        (_choose_lr(data="both"), "40 samples, 12 of them from the validation set",
         "choose_lr/trained-on-validation"),
        (_choose_lr(rates="skip-last"), "the rate 0.3 has no run", "choose_lr/off-by-one"),
        (_choose_lr(losses="extra"), "6 entries for 5 rates", "choose_lr/off-by-one"),
        (lambda fit, *args: 0.01, "expected a pair", "choose_lr/not-a-pair"),
    ],
)
def test_choose_lr_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.choose_lr, answer, hint, mistake=mistake)


def _choose_lr_truth():
    from helpers.check.descent import _fit, _regression_problem

    X, y, _, _ = _regression_problem(np.random.default_rng(3), 40, 2)
    y = y + 2.0
    lrs = [0.003, 0.01, 0.03, 0.1, 0.3]
    val = []
    for lr in lrs:
        w, b, _ = _fit(X[:28], y[:28], lr, 15)
        val.append(float(np.mean((X[28:] @ w + b - y[28:]) ** 2)))
    return lrs, val


# Messages that named the mistake by writing the answer (round-3 student): the expected
# numbers, the chosen rate, or the slope that completes the derivation are not in them.
@pytest.mark.parametrize("answer", [_choose_lr(losses="train"), _choose_lr(pick="train"),
                                    _choose_lr(pick="highest"), _choose_lr(returns="index")])
def test_choose_lr_messages_do_not_print_the_expected_answer(answer):
    from helpers.check._core import fmt

    lrs, val = _choose_lr_truth()
    with pytest.raises(check.CheckFailed) as info:
        check.choose_lr(answer)
    shown = info.value.plain
    best = lrs[int(np.argmin(val))]
    assert fmt(np.array(val)) not in shown and f"{val[0]:.4f}"[:6] not in shown
    assert f"lr = {best}" not in shown, shown


def test_step_factors_slope_message_does_not_give_the_slope():
    with pytest.raises(check.CheckFailed) as info:
        check.step_factors((0.7, 0.1, 2.0))
    assert not [form for form in ("twice", "2(x - 1)", "2x") if form in info.value.plain]


def test_choose_lr_data_tells_the_wrong_choices_apart():
    from helpers.check.descent import _fit, _regression_problem

    X, y, _, _ = _regression_problem(np.random.default_rng(3), 40, 2)
    y = y + 2.0
    lrs = [0.003, 0.01, 0.03, 0.1, 0.3]
    val, train = [], []
    for lr in lrs:
        w, b, _ = _fit(X[:28], y[:28], lr, 15)
        val.append(np.mean((X[28:] @ w + b - y[28:]) ** 2))
        train.append(np.mean((X[:28] @ w + b - y[:28]) ** 2))
    picks = {lrs[int(np.argmin(val))], lrs[int(np.argmin(train))], lrs[int(np.argmax(val))],
             int(np.argmin(val)), min(val)}
    assert len(picks) == 5
    assert not {r.tobytes() for r in X[:28]} & {r.tobytes() for r in X[28:]}


# --- issue 23: no failure message and no hint tier below the last gives the answer ------------

_ANSWERS_02 = {
    "derivative": ["(f(x+h)-f(x-h))/(2*h)", "(f(x+h)−f(x−h))/(2h)", "/(2*h)"],
    "gradient_descent": ["xs[-1]-lr*grad(xs[-1])", "x=x-lr*grad(x)"],
    "numerical_gradient": ["(f(up)-f(down))/(2*h)", "up[i]+=h", "(f(x+he_i)−f(x−he_i))/(2h)"],
    "mse_gradients": ["X.T@err", "(2/N)X.T", "2/len(y)*X.T", "2*np.mean(err)"],
    "difference_errors": ["(0.0601,0.0001)"],
    "grad_one_sample": ["(0.5,1.0)"],
    "grad_batch": ["(10/3,4/3)"],
    "dw_matrix": ["(2.0,2/3)"],
    "lr_diverges": ["LR_DIVERGES=1.5", "1.5ormore"],
    "choose_lr": ["fit(X_train,y_train,lr,n_steps)", "lrs[int(np.argmin"],
}


def _squash(text):
    return "".join(text.split())


_ANSWERS_02_WARM_UPS = {
    "mse": ["np.mean((y_pred-y)**2)", "np.mean((y_pred - y) ** 2)"],
}


@pytest.mark.parametrize("exercise", sorted({**_ANSWERS_02, **_ANSWERS_02_WARM_UPS}))
def test_no_short_name_in_the_summary_table_writes_the_answer(exercise):
    """Round 3: check.summary() shows a failed exercise's mistake by its short name, and
    mse_gradients' read "dw = (2/N) X.T @ (X @ w + b − y)"."""
    from helpers.check.mistakes import MISTAKES

    forms = {**_ANSWERS_02, **_ANSWERS_02_WARM_UPS}[exercise]
    names = [_squash(v) for k, v in MISTAKES.items() if k.startswith(f"{exercise}/")]
    assert names, exercise
    leaked = [f for f in forms if any(_squash(f) in name for name in names)]
    assert not leaked, f"{exercise}: a short name writes the answer {leaked}"


@pytest.mark.parametrize("exercise", sorted(_ANSWERS_02))
def test_no_hint_below_the_last_tier_writes_the_answer(exercise):
    from helpers.check._hints import HINTS

    for tier in HINTS[exercise][:-1]:
        leaked = [f for f in _ANSWERS_02[exercise] if _squash(f) in _squash(tier)]
        assert not leaked, f"{exercise}: a hint below the last writes the answer {leaked}"


@pytest.mark.parametrize("answer", [(0.4, -0.8, 1.0), [0.4, -0.8, 1], np.array([0.4, -0.8, 1.0]),
                                    (1 - 2 * 0.3, 1 - 2 * 0.9, 1)])
def test_step_factors_accepts_the_factors_and_the_limit(answer, capsys):
    assert_passes(check.step_factors, answer, capsys)


@pytest.mark.parametrize(
    "answer, hint, mistake",
    [
        ((0.7, 0.1, 2.0), "a slope of x - 1 would give", "step_factors/slope-without-2"),
        ((-0.4, 0.8, 1.0), "wrong sign", "step_factors/sign-flipped"),
        ((0.4, 0.8, 1.0), "the right size but not its sign", "step_factors/sign-dropped"),
        ((1.6, 2.8, 1.0), "collect the terms", "step_factors/wrong-factors"),
        ((0.4, -0.8, 0.5), "swings still shrink", "step_factors/limit-at-zero-factor"),
        ((0.4, -0.8, 2.0), "reaches -1", "step_factors/limit-too-large"),
        ((0.4, -0.8, 1.5), "for which η does the factor reach -1",
         "step_factors/wrong-limit"),
        ((0.4, -0.8), "three numbers", "question02/not-three-numbers"),
        ("0.4, -0.8, 1", "three numbers", "question02/not-three-numbers"),
    ],
)
def test_step_factors_rejects_mistakes(answer, hint, mistake):
    assert_fails(check.step_factors, answer, hint, mistake=mistake)


def test_step_factors_are_what_gradient_descent_does_on_f():
    def grad(x):
        return 2 * (x - 1)

    for lr, factor in ((0.3, 0.4), (0.9, -0.8)):
        x0 = 0.0
        assert (x0 - lr * grad(x0) - 1) / (x0 - 1) == pytest.approx(factor)
    for lr, grows in ((0.99, False), (1.01, True)):
        x = 0.0
        for _ in range(200):
            x = x - lr * grad(x)
        assert (abs(x - 1) > 1) == grows

