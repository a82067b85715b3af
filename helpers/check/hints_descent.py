"""Hints for notebook 02, gradient descent (``check.hint("<exercise id>")``)."""

from ._hints import add_hints

add_hints(
    "derivative",
    """Evaluate f twice, a little to the right and a little to the left of x, and divide the
    change by the distance between the two points.""",
    """The two points are x + h and x - h: they are 2h apart. Dividing by h instead of 2h
    doubles the slope; using f(x) as one of the points is the less accurate forward
    difference.""",
    """The worked answer:
        return (f(x + h) - f(x - h)) / (2 * h)""",
)

add_hints(
    "gradient_descent",
    """Keep a list of points that starts with x0; each step appends a new point computed from
    the last one. At the end turn the list into one array.""",
    """One step: `x_new = xs[-1] - lr * grad(xs[-1])`. Writing it as a new array (not
    `x -= ...`) keeps the points you stored unchanged. `np.asarray(x0, dtype=float)` makes
    the start an array, so integers and vectors both work.""",
    """The worked answer:
        xs = [np.asarray(x0, dtype=float)]
        for _ in range(n_steps):
            xs.append(xs[-1] - lr * grad(xs[-1]))
        return np.array(xs)""",
)

add_hints(
    "lr_diverges",
    """Section 5's table says what each learning rate does to the distance from the minimum:
    every step multiplies it by 1 - 2η. When does that factor make the distance grow?""",
    """The distance grows when |1 - 2η| > 1, that is for η > 1 (η = 1 only bounces; below 1 it
    converges, even where it oscillates). Any number clearly above 1 works.""",
    """The worked answer:
        LR_DIVERGES = 1.5   # each step multiplies the distance by 1 - 2 * 1.5 = -2""",
)

add_hints(
    "numerical_gradient",
    """Do what `derivative` does, once per coordinate: nudge only coordinate i up and down,
    keep the others fixed, and store the slope in entry i of the result.""",
    """Nudge a **copy**: `up = x.copy(); up[i] += h` (and `down` the same with -h), then
    `grad[i] = (f(up) - f(down)) / (2 * h)`. Changing x itself would leave it changed.""",
    """The worked answer:
        grad = np.zeros(x.shape)
        for i in range(x.size):
            up, down = x.copy(), x.copy()
            up[i] += h
            down[i] -= h
            grad[i] = (f(up) - f(down)) / (2 * h)
        return grad""",
)

add_hints(
    "mse",
    """Subtract, square, average. The one trap is the shapes: an (N, 1) array minus an (N,)
    array broadcasts to an (N, N) table.""",
    """Flatten both with `np.ravel` before subtracting; then `np.mean(...)` of the squared
    differences is one number.""",
    """The worked answer:
        return np.mean((np.ravel(y_pred) - np.ravel(y)) ** 2)""",
)

add_hints(
    "mse_gradients",
    """Start with one sample and one weight. L is the mean of e_i² with e_i = ŷ_i - y_i and
    ŷ_i = x_i · w + b. Which entries of the sum change when you nudge w_j? By the chain rule
    you need dL/de_i, then de_i/dw_j and de_i/db.""",
    """dL/de_i = 2 e_i / N (the mean brings the 1/N), de_i/dw_j = x_ij and de_i/db = 1. So
    dL/dw_j = (2/N) Σ_i e_i x_ij: for all j at once that is a matrix product of X transposed,
    shape (D, N), with the error vector e, shape (N,), giving shape (D,) like w. dL/db is the
    same sum with x_ij replaced by 1.""",
    """The worked answer:
        err = X @ w + b - y                 # (N,)
        dw = 2 / len(y) * X.T @ err         # (D,)
        db = 2 * np.mean(err)               # a number
        return dw, db""",
    derivation=True,
)

add_hints(
    "fit_linear",
    """Start from w = np.zeros(D) and b = 0.0. Each of the n_steps steps: record the loss
    first, then compute the gradients and move against them.""",
    """In the loop: `losses.append(mse(X @ w + b, y))`, then
    `dw, db = mse_gradients(X, y, w, b)`, then `w = w - lr * dw` and `b = b - lr * db`.
    Return the losses as an array.""",
    """The worked answer:
        w, b, losses = np.zeros(X.shape[1]), 0.0, []
        for _ in range(n_steps):
            losses.append(mse(X @ w + b, y))
            dw, db = mse_gradients(X, y, w, b)
            w, b = w - lr * dw, b - lr * db
        return w, b, np.array(losses)""",
)
