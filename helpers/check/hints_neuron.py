"""Hints for notebook 01, the artificial neuron (``check.hint("<exercise id>")``)."""

from ._hints import add_hints

add_hints(
    "affine",
    """The matrix product `@` already does the weighted sum. Which shape does `x @ w` have
    when x is (D,)? And when X is (N, D)?""",
    """One expression works for both: (D,) @ (D,) gives a number, (N, D) @ (D,) gives (N,),
    and adding the number b adds it to every entry. No loop and no `if` on the shape.""",
    """The worked answer:
        return x @ w + b""",
)

add_hints(
    "step",
    """A comparison of an array with a number, `z >= 0`, gives an array of True/False of the
    same shape. Which of the two do you want at z = 0?""",
    """Turn the booleans into numbers: `.astype(float)` maps True to 1.0 and False to 0.0.
    `np.asarray(z)` first lets the function accept plain numbers and lists too.""",
    """The worked answer:
        return (np.asarray(z) >= 0).astype(float)""",
)

add_hints(
    "sigmoid",
    """`1 / (1 + np.exp(-z))` is right for most z, but for z = -1000 np.exp(1000) overflows
    and numpy warns. Find a form whose exponent is never a large positive number.""",
    """For z >= 0, e^(-z) is at most 1: the usual formula is safe. For z < 0 multiply top and
    bottom by e^z: σ(z) = e^z / (1 + e^z), and now e^z is small. So compute
    e = np.exp(-np.abs(z)), which never overflows, and choose the form with np.where.""",
    """The worked answer:
        z = np.asarray(z, dtype=float)
        e = np.exp(-np.abs(z))          # at most 1: never overflows
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))""",
)

add_hints(
    "tanh",
    """The definition is (e^z - e^-z) / (e^z + e^-z). Written out, it gives inf / inf = nan
    at z = 1000. Can you reuse something you already wrote that is safe for large z?""",
    """Divide top and bottom of the definition by e^z: tanh z = (1 - e^(-2z)) / (1 + e^(-2z))
    = 2 / (1 + e^(-2z)) - 1, and 1 / (1 + e^(-2z)) is your sigmoid at 2z.""",
    """The worked answer (through your stable sigmoid):
        return 2 * sigmoid(2 * np.asarray(z, dtype=float)) - 1""",
)

add_hints(
    "relu",
    """Python's `max(0, z)` decides for one number. Which numpy function takes the maximum
    elementwise, of an array and a number?""",
    """`np.maximum(z, 0)` returns a new array with the larger of the two in each entry, and
    leaves z alone. (`z[z < 0] = 0` would change the caller's array.)""",
    """The worked answer:
        return np.maximum(z, 0.0)""",
)

add_hints(
    "leaky_relu",
    """Two cases, decided entry by entry: z where z > 0, alpha * z elsewhere.
    `np.where(condition, if_true, if_false)` picks per entry.""",
    """The worked answer:
        return np.where(z > 0, z, alpha * z)""",
)

add_hints(
    "neuron",
    """A neuron is two steps you have already written: the affine map, then the activation.
    `activation` is a function: call it like any other.""",
    """The worked answer:
        return activation(affine(x, w, b))""",
)

add_hints(
    "accuracy",
    """Compare predictions and labels entry by entry, then take the fraction of True values.
    The mean of booleans is exactly that fraction.""",
    """An (N, 1) array compared with an (N,) array broadcasts to an (N, N) table: flatten
    both first with `np.ravel`.""",
    """The worked answer:
        return np.mean(np.ravel(y_pred) == np.ravel(y_true))""",
)

add_hints(
    "perceptron",
    """Start from w = np.zeros(D), b = 0.0. One epoch visits every sample once, in the order
    rng.permutation(N) (or 0..N-1 without rng). Count the mistakes of the epoch, append the
    count, and stop after an epoch with none.""",
    """For one sample i: error = y[i] - step(X[i] @ w + b) is 0, +1 or -1. If it is not 0,
    update w = w + lr * error * X[i] and b = b + lr * error, and count a mistake. Write
    `w = w + ...`, not `w += ...`, so no array you returned before changes.""",
    """The worked answer:
        w, b = np.zeros(X.shape[1]), 0.0
        mistakes_per_epoch = []
        for _ in range(epochs):
            order = rng.permutation(len(X)) if rng is not None else range(len(X))
            mistakes = 0
            for i in order:
                error = y[i] - step(X[i] @ w + b)
                if error != 0:
                    w = w + lr * error * X[i]
                    b = b + lr * error
                    mistakes += 1
            mistakes_per_epoch.append(mistakes)
            if mistakes == 0:
                break
        return w, b, mistakes_per_epoch""",
)

add_hints(
    "xor_network",
    """XOR = OR and not AND. Give hidden neuron 1 the OR of the two inputs and hidden
    neuron 2 the AND; the output neuron then says 1 when h1 = 1 and h2 = 0.""",
    """With weights 1 and 1, x1 + x2 is 0, 1 or 2. OR fires when the sum is at least 1, so a
    bias of -0.5 works; AND needs a sum of 2, so -1.5. Column j of W1 holds the weights of
    hidden neuron j. The output: h1 - h2 - 0.5 >= 0 exactly when h1 = 1 and h2 = 0.""",
    """The worked answer:
        W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
        b1 = np.array([-0.5, -1.5])   # hidden neuron 1: OR, hidden neuron 2: AND
        w2 = np.array([1.0, -1.0])
        b2 = -0.5                     # OR and not AND
        return W1, b1, w2, b2""",
)
