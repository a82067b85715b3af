"""Hints for notebook 02, gradient descent (``check.hint("<exercise id>")``)."""

from ._hints import add_hints

add_hints(
    "predict_downhill",
    """Take a small step along a random direction u. If it goes uphill, what does the step
    along -u do?""",
    """For a small step, f changes by about (step) · (gradient · u): the sign flips with u. So
    of u and -u one goes down and one goes up, in any number of dimensions.""",
    """The worked answer: about half, in any dimension; what shrinks with D is how much a
    random step gains, not how often it goes down.
        PREDICT_DOWNHILL = "a"   # about half, in any dimension""",
)

add_hints(
    "difference_errors",
    """f(2.01) = 2.01³ and f(1.99) = 1.99³: compute them to 6 decimals. The true slope is
    f'(2) = 3 · 2² = 12. An error is a slope minus 12.""",
    """The forward slope is (f(2.01) − f(2)) / 0.01. The central one is the slope of the chord
    from 1.99 to 2.01: those two points are 0.02 apart.""",
    """The worked answer: 2.01³ = 8.120601 and 1.99³ = 7.880599.
    Forward: (8.120601 − 8) / 0.01 = 12.0601, error 0.0601 (about 3·x·h: proportional to h).
    Central: (8.120601 − 7.880599) / 0.02 = 12.0001, error 0.0001 = h² (in f(2.01) − f(1.99)
    the even-order terms of Taylor's formula cancel, so the central error is of order h²).
        DIFFERENCE_ERRORS = (0.0601, 0.0001)""",
)

add_hints(
    "derivative",
    """Evaluate f twice, a little to the right and a little to the left of x, and divide the
    change by the distance between the two points: the chord of DIFFERENCE_ERRORS.""",
    """The two points are x + h and x - h: how far apart are they? Dividing by the wrong
    distance scales the slope; using f(x) as one of the points is the less accurate forward
    difference. f may be called with an array x: the same expression then works
    elementwise.""",
    """The worked answer: the chord through (x − h, f(x − h)) and (x + h, f(x + h)) rises by
    f(x + h) − f(x − h) over a run of 2h:
        return (f(x + h) - f(x - h)) / (2 * h)""",
)

add_hints(
    "gradient_descent",
    """Keep a list of points that starts with x0; each step appends a new point computed from
    the last one. At the end turn the list into one array.""",
    """Each new point is computed from the last one by the rule of section 4. Make it a new
    array each time: changing an array in place (`x -= ...`) also changes the copy you stored
    in the list. Converting x0 to a float array first lets integers and vectors in alike.""",
    """The worked answer: n_steps updates give n_steps + 1 points, x0 first:
        xs = [np.asarray(x0, dtype=float)]
        for _ in range(n_steps):
            xs.append(xs[-1] - lr * grad(xs[-1]))
        return np.array(xs)""",
)

add_hints(
    "step_factors",
    """One step is x_{k+1} = x_k - η f'(x_k), with f'(x) = 2(x - 1). Subtract 1 from both
    sides: can you write the right side as (something) times (x_k - 1)?""",
    """x_{k+1} - 1 = (x_k - 1) - 2η(x_k - 1): one factor, depending only on η, multiplies the
    distance at every step. The distance shrinks while the factor's size is below 1 and grows
    once it is above 1; a negative factor means x jumps to the other side of the minimum.""",
    """The worked answer. x_{k+1} - 1 = (x_k - 1) - 2η(x_k - 1) = (1 - 2η)(x_k - 1). At
    η = 0.3 the factor is 1 - 0.6 = 0.4; at η = 0.9 it is 1 - 1.8 = -0.8 (x swings across the
    minimum, but the swings shrink). |1 - 2η| > 1 for η > 1 (the factor passes -1):
        STEP_FACTORS = (0.4, -0.8, 1.0)""",
)

add_hints(
    "lr_diverges",
    """Your STEP_FACTORS say what one step does to the distance from the minimum: it is
    multiplied by a factor that depends on η. When does that factor make the distance grow?""",
    """The distance grows when |1 - 2η| > 1. Solve that for η: which learning rates only
    bounce, which oscillate but converge, which make every swing larger?""",
    """The worked answer:
        LR_DIVERGES = 1.5   # each step multiplies the distance by 1 - 2 * 1.5 = -2""",
)

add_hints(
    "numerical_gradient",
    """Do what `derivative` does, once per coordinate: nudge only coordinate i up and down,
    keep the others fixed, and store the slope in entry i of the result.""",
    """Entry i is the central difference of f along coordinate i alone: two copies of x, one
    with entry i raised by h, one with it lowered by h. Nudging x itself would leave it
    changed for the caller.""",
    """The worked answer: the central difference along each coordinate in turn:
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
    """Flatten both before subtracting; then the mean of the squared differences is one
    number.""",
    """The worked answer:
        return np.mean((np.ravel(y_pred) - np.ravel(y)) ** 2)""",
)

add_hints(
    "predict_bowl_lr",
    """Along each coordinate separately, what does one step multiply the distance to the
    minimum by? Section 5's table did it for one curve: here the curvature along y is 20,
    along x it is 2.""",
    """A step along x uses only ∂q/∂x = 2x, a step along y only ∂q/∂y = 20y: each coordinate
    is a one-dimensional descent of its own, as in section 5, on a parabola of its own
    steepness. Which of the two sets the limit of 0.1, and how far from its own limit is the
    other at η = 0.101?""",
    """The worked answer. Along y one step maps y to y − η · 20y = (1 − 20η) y, and along x,
    in the same way, x to (1 − 2η) x. At η = 0.101 the factor along y is 1 − 20 · 0.101 =
    −1.02: y changes sign at every step and each swing is 2 % larger, so the run diverges
    along y (section 5's table: a factor below −1). Along x the factor is 0.798: x converges.
        PREDICT_BOWL_LR = "c"   # y swings grow by 2 % per step""",
)

add_hints(
    "grad_one_sample",
    """Write the error e = ŷ − y = w x + b − y and the loss L = e². By the chain rule,
    ∂L/∂w = ∂L/∂e · ∂e/∂w. Find both factors.""",
    """∂(e²)/∂e = 2e; ∂e/∂w = x, ∂e/∂b = 1. Here ŷ = 2 · 0.5 + 0.5 = 1.5, so e = 0.5.""",
    """The worked answer: ∂L/∂w = 2e · x = 2 · 0.5 · 0.5 = 0.5 and ∂L/∂b = 2e · 1 = 1.0:
        GRAD_ONE_SAMPLE = (0.5, 1.0)""",
    derivation=True,
)

add_hints(
    "grad_batch",
    """L = (1/N) Σ e_i²: a sum of one-sample losses, times 1/N. The derivative of a sum is the
    sum of the derivatives.""",
    """The derivative of a mean is the mean of the derivatives: each sample's term e_i² is a
    one-sample loss like GRAD_ONE_SAMPLE's, with its own x_i and e_i. Here ŷ = (1, 2, 3), so
    e = (0, 1, 1).""",
    """The worked answer: ∂L/∂w = (2/3)(0·1 + 1·2 + 1·3) = 10/3 and ∂L/∂b = (2/3)(0 + 1 + 1) = 4/3:
        GRAD_BATCH = (10 / 3, 4 / 3)""",
    derivation=True,
)

add_hints(
    "dw_matrix",
    """With D inputs there is one ∂L/∂w_j per weight: the sum of GRAD_BATCH, with x_i replaced
    by x_ij, the j-th input of sample i.""",
    """Entry j is (2/N) Σ_i e_i x_ij: column j of X against the errors. Both entries at once
    is a matrix product whose shapes must give (2,) from (3, 2) and (3,).""",
    """The worked answer: (2/3)(1·1 + (−1)·0 + 2·1) = 2 and (2/3)(1·0 + (−1)·1 + 2·1) = 2/3,
    which is (2/N) X^T e:
        DW_MATRIX = (2.0, 2 / 3)""",
    derivation=True,
)

add_hints(
    "mse_gradients",
    """Start with one sample and one weight. L is the mean of e_i² with e_i = ŷ_i - y_i and
    ŷ_i = x_i · w + b. Which entries of the sum change when you nudge w_j? By the chain rule
    you need dL/de_i, then de_i/dw_j and de_i/db.""",
    """Your three answers are the three steps: GRAD_ONE_SAMPLE (one sample), GRAD_BATCH (the
    sum and the 1/N), DW_MATRIX (all weights at once, from the shapes (N, D) and (N,) to
    (D,)). Compute the errors of all samples first, as one array.""",
    """The worked answer: ∂L/∂w_j = (2/N) Σ_i e_i x_ij for every j is (2/N) X^T e, and
    ∂L/∂b = (2/N) Σ_i e_i:
        err = X @ w + b - y                 # (N,)
        dw = 2 / len(y) * X.T @ err         # (D,)
        db = 2 * np.mean(err)               # a number
        return dw, db""",
    derivation=True,
)

add_hints(
    "fit_linear",
    """This is your gradient_descent again, with the point that moves being the pair (w, b)
    and the gradient coming from your mse_gradients. Start where the docstring says, and
    record each step's loss before that step moves anything.""",
    """Each step, in this order: the loss of the current w and b (your mse), the gradients at
    the current w and b (your mse_gradients), then a step of both against their gradients,
    scaled by lr. Return the losses as an array of n_steps numbers.""",
    """The worked answer:
        w, b, losses = np.zeros(X.shape[1]), 0.0, []
        for _ in range(n_steps):
            losses.append(mse(X @ w + b, y))
            dw, db = mse_gradients(X, y, w, b)
            w, b = w - lr * dw, b - lr * db
        return w, b, np.array(losses)""",
)

add_hints(
    "choose_lr",
    """The rate to keep is the one whose line predicts best on data it has not seen. Which
    of your data has no fit seen? And what does a fit's loss on its own training data tell
    you about new data?""",
    """The key idea: a rate is only as good as its line's predictions on samples that line
    was not fitted to. A loss on the fit's own samples rewards the run that followed them
    closest, noise included, so it cannot tell a good rate from a lucky one.""",
    """The worked answer. One fit per rate, each on the training data only, each judged by
    its MSE on the validation set (data no run has seen), the losses kept in the order of
    lrs; the choice is the rate with the lowest loss, the rate itself, not the loss or its
    position. A fit that saw the validation data, or a choice made on the training loss,
    would favour whichever run followed its own samples closest:
        val_losses = []
        for lr in lrs:
            w, b, _ = fit(X_train, y_train, lr, n_steps)
            val_losses.append(mse(X_val @ w + b, y_val))
        best_lr = lrs[int(np.argmin(val_losses))]
        return best_lr, val_losses""",
)
