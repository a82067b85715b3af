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
    """What does comparing an array with a number, `z >= 0`, give, entry by entry? Which of
    the two outcomes do you want at z = 0? And what does the same comparison give when z is a
    plain Python number, as in `step(0)`?""",
    """A step's outputs are the numbers 1.0 and 0.0, while a comparison gives True and False:
    numpy converts booleans to numbers (True is 1, False is 0). A plain Python number compared
    with 0 gives a plain Python bool, not a numpy array, so make z a numpy array first: then
    one expression serves numbers, lists and arrays of any shape.""",
    """The worked answer. np.asarray turns a Python number or list into an array (0-d for a
    number); `>= 0` keeps z = 0 on the 1 side; .astype(float) turns True/False into 1.0/0.0:
        return (np.asarray(z) >= 0).astype(float)""",
)

add_hints(
    "exp_overflow_z",
    """np.exp(z) overflows when e^z is larger than the largest float, about 1.8 × 10^308.
    Which z gives e^z = 1.8 × 10^308? (You can also just try np.exp at a few z.)""",
    """Take the natural logarithm of both sides: z = ln(1.8 × 10^308) = ln 1.8 + 308 · ln 10.
    np.log(np.finfo(float).max) computes it.""",
    """The worked answer: z = ln(1.8 × 10^308) = 0.59 + 308 × 2.3026 ≈ 709.8. np.exp(709.7)
    is about 1.65e308, np.exp(709.8) is inf.
        EXP_OVERFLOW_Z = 709.8""",
)

add_hints(
    "sigmoid",
    """The definition 1 / (1 + e^(-z)) takes exp of -z. For which z is -z above 709 (your
    EXP_OVERFLOW_Z)? For those z, σ(z) is tiny but not a problem; only the way of computing
    it is. Is there another way to write the same fraction?""",
    """For z >= 0, e^(-z) is at most 1: the usual form is safe there. For z < 0, multiply the
    top and the bottom of the fraction by e^z and simplify: the only exponential left is e^z,
    below 1 there. Use each form only where it is safe, and remember that np.where(c, a, b)
    computes both a and b for every entry. Taking exp of -|z| is never large.""",
    """The worked answer. Both forms are σ(z); each keeps its exponent at most 0 on its side:
    σ(z) = 1 / (1 + e^(-z)) for z >= 0, and σ(z) = e^z / (1 + e^z) for z < 0 (top and bottom
    multiplied by e^z). With e = e^(-|z|), which is e^(-z) on one side and e^z on the other,
    both are fractions of e:
        z = np.asarray(z, dtype=float)
        e = np.exp(-np.abs(z))          # at most 1: never overflows
        return np.where(z >= 0, 1 / (1 + e), e / (1 + e))""",
)

add_hints(
    "tanh_from_sigmoid",
    """Divide the top and the bottom of tanh's fraction by e^z. Which exponent is left? Then
    compare with σ(u) = 1 / (1 + e^(-u)) for a suitable u.""",
    """After dividing: tanh z = (1 - e^(-2z)) / (1 + e^(-2z)). Write the top as
    2 - (1 + e^(-2z)); the fraction splits into 2 / (1 + e^(-2z)) minus 1. Which σ is
    1 / (1 + e^(-2z))?""",
    """The worked answer. tanh z = (1 - e^(-2z)) / (1 + e^(-2z))
    = (2 - (1 + e^(-2z))) / (1 + e^(-2z)) = 2 / (1 + e^(-2z)) - 1 = 2 σ(2z) - 1:
        TANH_FROM_SIGMOID = (2, 2, -1)
    Check: at z = 0, 2 · 0.5 - 1 = 0; for large z, 2 · 1 - 1 = 1. ((-2, -2, 1) is the same
    function, since σ(-u) = 1 - σ(u).)""",
)

add_hints(
    "tanh",
    """You found A, B and C with tanh(z) = A·σ(B·z) + C (TANH_FROM_SIGMOID). Your sigmoid is
    safe at ±1000: is A·σ(B·z) + C then safe too?""",
    """Call your own sigmoid with the argument B·z, multiply by A and add C. np.asarray(z,
    dtype=float) first lets plain numbers and lists in too. No np.exp is needed here at all.""",
    """The worked answer, through your stable sigmoid and tanh z = 2 σ(2z) - 1:
        return 2 * sigmoid(2 * np.asarray(z, dtype=float)) - 1""",
)

add_hints(
    "relu",
    """Python's `max(0, z)` decides for one number. Which numpy function takes the maximum
    elementwise, of an array and a number?""",
    """numpy has an elementwise maximum of an array and a number: it returns a new array with
    the larger of the two in each entry and leaves z alone. (`z[z < 0] = 0` would change the
    caller's array.)""",
    """The worked answer:
        return np.maximum(z, 0.0)""",
)

add_hints(
    "leaky_relu",
    """Two cases, decided entry by entry: what is the output where z > 0, and what where
    z <= 0? A Python `if` decides for one number only.""",
    """On the positive side the output is z itself; on the other side it is z scaled by
    alpha (a small slope, not a constant). numpy has a function that picks, entry by entry,
    from one of two whole arrays according to a boolean condition.""",
    """The worked answer. np.where(condition, a, b) takes a where the condition holds and b
    elsewhere; here a is z and b is the whole array alpha * z, so each negative entry is
    scaled by alpha:
        return np.where(z > 0, z, alpha * z)
    (For 0 < alpha < 1, np.maximum(z, alpha * z) gives the same values.)""",
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
    """An (N, 1) array compared with an (N,) array broadcasts to an (N, N) table of every
    prediction against every label: make both one-dimensional before you compare them.""",
    """The worked answer:
        return np.mean(np.ravel(y_pred) == np.ravel(y_true))""",
)

add_hints(
    "which_move",
    """For each option, write w and b after the move, then z = w·x + b at the same x, and
    subtract the z before it. Which change is positive whatever x is?""",
    """The key relation: z = w·x + b is linear in w and b, so a move of Δw and Δb changes z at
    the same x by Δz = Δw·x + Δb. You need a move whose Δz is positive for every x: which dot
    product Δw·x has a sign you know, whatever the entries of x are?""",
    """The worked answer. Adding η·x to w and η to b changes z at x by η·x·x + η = η(x·x + 1),
    positive for every x because x·x is a sum of squares:
        WHICH_MOVE = "a"
    (b) lowers z by the same amount, the move for a 0 called 1; (c) depends on the signs of
    x's entries; (d) scales z, making a negative z more negative.""",
)

add_hints(
    "z_after_update",
    """Write the moved weights out first: w + η·x and b + η, with η = 0.5, x = (2, 3),
    w = (1, -1), b = 0. Then compute z = w·x + b with them, for the same x.""",
    """The new w is (1 + 1, -1 + 1.5) = (2, 0.5) and the new b is 0.5: take their weighted
    sum with the same x = (2, 3) and add the new b.""",
    """The worked answer: z = 2·2 + 0.5·3 + 0.5 = 6, up from -1:
        Z_AFTER_UPDATE = 6.0""",
)

add_hints(
    "z_growth",
    """Write z after the move, (w + η·x)·x + (b + η), and expand it. Which part is z before
    the move?""",
    """(w + η·x)·x + b + η = (w·x + b) + η·x·x + η: the old z plus a growth that does not
    depend on w or b. x·x is the sum of the squares of x's entries.""",
    """The worked answer. The growth is η·x·x + η = η(x·x + 1); for x = (1, 2, 2),
    x·x = 1 + 4 + 4 = 9, so with η = 0.1:
        Z_GROWTH = 1.0
    It is positive for every x and η > 0, so the move always raises z at the point it fixes
    (for x = (2, 3), η = 0.5 it was 0.5·14 = 7, from -1 to 6).""",
)

add_hints(
    "perceptron",
    """The goal: every sample once per epoch, in a new order drawn from rng each epoch; a
    mistake moves the line towards fixing it (the move you chose in WHICH_MOVE); count the
    mistakes of each epoch, and stop after an epoch with none. Start from w = 0 and b = 0.""",
    """There are three cases per sample: right (no move), a 1 called 0 (z must rise: the move
    you chose in WHICH_MOVE), a 0 called 1 (z must fall: the mirror-image move). The
    difference y_i - ŷ_i between label and prediction takes one value per case (+1, -1, 0):
    it can give each move its direction. Count one mistake for every move made, and record
    each epoch's count once the epoch is over.""",
    """The worked answer. A new order each epoch is rng.permutation(N): every index exactly
    once. The update is the move of WHICH_MOVE, signed by the error:
        w, b = np.zeros(X.shape[1]), 0.0
        mistakes_per_epoch = []
        for _ in range(epochs):
            order = rng.permutation(len(X)) if rng is not None else range(len(X))
            mistakes = 0
            for i in order:
                error = y[i] - step(X[i] @ w + b)   # +1, -1 or 0
                if error != 0:
                    w = w + lr * error * X[i]
                    b = b + lr * error
                    mistakes += 1
            mistakes_per_epoch.append(mistakes)   # after the epoch, the clean last one too
            if mistakes == 0:
                break
        return w, b, mistakes_per_epoch""",
)

add_hints(
    "predict_lr_scaling",
    """Start from w = 0, b = 0 and follow the first few updates with lr = 0.1 and with
    lr = 1.0, the samples in the same order. What is w after each update, in both runs?""",
    """Every w and b of the run is lr times a sum of the same ±x_i and ±1 as long as the
    mistakes agree; a mistake depends only on the sign of z = w·x + b. Multiplying w and b
    by 10 multiplies z by 10: does its sign change?""",
    """The worked answer. By induction over the updates: if both runs made the same mistakes
    so far, the lr = 1.0 run's w and b are 10 times the other's, so every z is 10 times
    larger with the same sign, and the next mistake is the same too. Same epochs, same
    mistakes, w and b 10 times larger (up to rounding), and 10(w·x + b) = 0 is the same line:
        PREDICT_LR_SCALING = "b"
    The rate of a perceptron started at zero sets only the scale of w, not the line.""",
)

add_hints(
    "predict_xor_converges",
    """An epoch without mistakes means that the current line gets all four points right.
    Draw the four XOR points with their labels.""",
    """A line with (0, 1) and (1, 0) on one side and (0, 0) and (1, 1) on the other would
    need the midpoint (0.5, 0.5) of both pairs on both sides at once.""",
    '''The worked answer: no line separates XOR, so no epoch is clean and the perceptron
    never stops:
        PREDICT_XOR_CONVERGES = "no"''',
)

add_hints(
    "choose_epochs",
    """What decides between two options is a number measured on movies no run has trained
    on. And for the comparison to be about the number of epochs, everything else about the
    runs must be the same: the data they train on and the order in which they meet it.""",
    """A generator is a state that every draw moves on: the orders a run draws depend on what
    was drawn from the generator before. Two runs draw the same orders only when each starts
    from a generator in the same state (here: seed 0). The list you return holds, per option,
    the number you chose by, in the order of epoch_options; the choice is the option with the
    best of them, not the number itself or its position.""",
    """The worked answer. Each run gets a new generator with seed 0, so the runs differ only
    in their number of epochs (one generator for all would give each run the orders the runs
    before it left). Each run trains on the training movies and is measured on the
    validation movies, which it never saw:
        accuracies = []
        for epochs in epoch_options:
            w, b, _ = train(X_train, y_train, epochs=epochs, rng=np.random.default_rng(0))
            accuracies.append(accuracy(step(X_val @ w + b), y_val))
        best = epoch_options[int(np.argmax(accuracies))]
        return best, accuracies""",
)

add_hints(
    "stack_outputs",
    """One point at a time: h = x @ W1 + b1 gives the two hidden values, then h @ w2 + b2 the
    output. x @ W1 combines x with each COLUMN of W1.""",
    """At x = (0, 0), h is just b1 = (1, -1), so the output is b1 @ w2 + b2. At (1, 0), h is
    the first row of W1 plus b1; at (0, 1) the second row plus b1.""",
    """The worked answer: at (0, 0) h = (1, -1) and the output is 2 - 1 + 0.5 = 1.5; at
    (1, 0) h = (2, 1), output 4 + 1 + 0.5 = 5.5; at (0, 1) h = (0, 0), output 0.5:
        STACK_OUTPUTS = (1.5, 5.5, 0.5)""",
)

add_hints(
    "collapse_linear",
    """Expand (x @ W1 + b1) @ w2 + b2: the matrix product distributes over the sum. Which
    part multiplies x, and which part is left over when x = 0?""",
    """The product distributes over the sum: (x @ W1 + b1) @ w2 = (x @ W1) @ w2 + b1 @ w2,
    and matrix products are associative, so the x-part regroups as x times one vector of shape
    (D,). Your STACK_OUTPUTS show it: the output at 0 is b, and each step of 1 along an input
    adds one entry of w.""",
    """The worked answer. Matrix products are associative and distribute over sums:
    (x @ W1 + b1) @ w2 + b2 = x @ (W1 @ w2) + (b1 @ w2 + b2), so
        w = W1 @ w2
        b = b1 @ w2 + b2
        return w, b
    With the stack of STACK_OUTPUTS: w = (4, -1), b = 1.5.""",
)

add_hints(
    "xor_network",
    """Draw the four corners and their labels. Each hidden step neuron draws one line and
    fires on one side of it; the output neuron sees only the pair h = (h1, h2) at each corner.
    Which two lines would you draw, and what must the output neuron do with the two answers?
    (Two corners that get the same pair get the same output.)""",
    """The key idea: XOR is 1 when at least one input is 1 (OR), except when both are (AND).
    One hidden neuron can answer "at least one?", the other "both?"; the output fires when
    the first says yes and the second says no. With both input weights 1, x1 + x2 is 0, 1 or
    2 at the corners, so the bias alone sets where a neuron starts to fire. Column j of W1
    holds hidden neuron j's weights; step(0) = 1.""",
    """The worked answer. Hidden neuron 1, OR: weights (1, 1) and bias -0.5, so
    x1 + x2 - 0.5 is -0.5 at (0, 0) and at least 0.5 elsewhere. Hidden neuron 2, AND: weights
    (1, 1) and bias -1.5, positive only at (1, 1). The pairs are h = (0, 0) at (0, 0),
    (1, 0) at (0, 1) and (1, 0), and (1, 1) at (1, 1): only the XOR corners get (1, 0).
    The output h1 - h2 - 0.5 is positive only there:
        W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
        b1 = np.array([-0.5, -1.5])   # hidden neuron 1: OR, hidden neuron 2: AND
        w2 = np.array([1.0, -1.0])
        b2 = -0.5                     # OR and not AND
        return W1, b1, w2, b2""",
)
