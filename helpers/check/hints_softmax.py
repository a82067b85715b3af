"""Hints for notebook 06, softmax and cross-entropy (``check.hint("<exercise id>")``).

Below the last tier, a hint says what to think about or the key relation in words; only
the last tier (the worked answer) completes the exercise.
"""

from ._hints import add_hints

add_hints(
    "entropy",
    """Entropy in bits is the sum of -p log2 p over the outcomes. log2(0) is -inf, and
    0 · (-inf) is nan, yet the term should count as 0.""",
    """Let only the entries with p > 0 reach the log: select them with a boolean mask first,
    then add up their terms. Return a float.""",
    """The worked answer:
        p = p[p > 0]
        return float(-np.sum(p * np.log2(p)))""",
)

add_hints(
    "cross_entropy",
    """H(p, q) is the sum of -p log2 q: the probabilities come from p, the logarithms from q.
    Terms with p = 0 count as 0.""",
    """Select with one mask, p > 0, from both arrays, so that each p_k stays paired with its
    q_k; then add up the terms.""",
    """The worked answer:
        mask = p > 0
        return float(-np.sum(p[mask] * np.log2(q[mask])))""",
)

add_hints(
    "kl_divergence",
    """D(p || q) is the cross-entropy minus the entropy, or in one sum: p log2(p / q), over the
    entries with p > 0.""",
    """The worked answer:
        mask = p > 0
        return float(np.sum(p[mask] * np.log2(p[mask] / q[mask])))""",
)

add_hints(
    "binary_cross_entropy",
    """For one sample: -(y log p + (1 - y) log(1 - p)), natural log; then the mean over the
    samples. What happens at p = 0 or p = 1, and how can you keep every log finite without
    changing the loss of an ordinary p? Then think of the two other inputs: a float32 p, and
    a y of shape (N, 1).""",
    """Only log 0 is the trouble: a p kept a tiny distance ε from 0 and from 1 changes the
    loss of an ordinary p by about ε, far below anything you would notice. How small ε may
    be depends on the dtype: float32 numbers near 1 are about 6e-8 apart, float64 ones about
    1e-16. And numpy lines shapes up from the right: (N, 1) against (N,) makes (N, N).""",
    """The worked answer:
        p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
        y = np.asarray(y, dtype=float).reshape(p.shape)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))""",
)

add_hints(
    "dl_dz_bce",
    """One sample and the chain rule: L depends on z only through a = σ(z). Find ∂L/∂a from
    L = -(y ln a + (1 - y) ln(1 - a)), then multiply by ∂a/∂z = σ'(z) (notebook 03). At
    z = -4 the neuron outputs a = σ(-4) ≈ 0.018.""",
    """With y = 1 only the term -ln a is left. Differentiate it by a, write σ'(z) in terms of
    a (notebook 03), and multiply: see what cancels before you put in a ≈ 0.018.""",
    """The worked answer. With y = 1, L = -ln a, so ∂L/∂a = -1/a. The sigmoid's derivative is
    ∂a/∂z = a (1 - a). Their product: ∂L/∂z = -(1/a) · a (1 - a) = -(1 - a) = a - y. The
    log cancels the sigmoid's slope, so the gradient is as large as the error, however flat
    the sigmoid is. At z = -4, a = σ(-4) = 0.01799:
        DL_DZ_BCE = 0.01799 - 1   # a - y = -0.982""",
    derivation=True,
)

add_hints(
    "one_hot",
    """Start from an (N, num_classes) array of zeros and put a 1 in row i, column y[i].""",
    """Index both axes at once: the row numbers 0 .. N-1 together with the labels pick one
    entry per row. (Or take the rows of an identity matrix that the labels name.)""",
    """The worked answer:
        out = np.zeros((len(y), num_classes))
        out[np.arange(len(y)), y] = 1.0
        return out""",
)

add_hints(
    "softmax_1000",
    """Do not compute e^1000: it overflows. What happens to e^(z_i) / Σ_j e^(z_j) when you
    subtract the same number c from every score?""",
    """Subtracting c multiplies every e^(z_j), in the numerator and in the sum alike, by
    e^(-c), and that factor cancels. Which c turns 1000, 999 and 998 into scores whose
    exponentials are easy?""",
    """The worked answer. softmax(z - c) = softmax(z) for any c, since e^(z_i - c) =
    e^(z_i) e^(-c) and the factor e^(-c) cancels between numerator and denominator.
    Subtract c = 1000, the largest score: softmax([0, -1, -2]) = [1, e^-1, e^-2] / (1 + e^-1 +
    e^-2) = [1, 0.3679, 0.1353] / 1.5032.
        SOFTMAX_1000 = np.array([0.6652, 0.2447, 0.0900])""",
    derivation=True,
)

add_hints(
    "softmax",
    """exp of each entry, divided by the sum of the exps of its row. For z = 1000, exp
    overflows: reuse what you found for SOFTMAX_1000.""",
    """Subtract from each row its own maximum before the exponentials: the largest exponent
    becomes e^0 = 1 and the sum is at least 1. One maximum for the whole batch is not
    enough: a row 2000 below it underflows to 0 / 0. Reduce over the last axis and keep
    that axis (keepdims), so that the same lines serve a 1-D z and the rows of a 2-D one.""",
    """The worked answer:
        e = np.exp(z - np.max(z, axis=-1, keepdims=True))
        return e / np.sum(e, axis=-1, keepdims=True)""",
)

add_hints(
    "predict_low_temperature",
    """Dividing the scores by T multiplies the gap between any two of them by 1/T. What
    happens to those gaps as T gets small, and what does the softmax do with large gaps?""",
    """The key relation: the ratio of two probabilities of softmax(z / T) is
    s_i / s_j = e^((z_i - z_j) / T). It depends only on the gap between the two scores,
    divided by T. Follow that ratio for the largest score against each of the others as
    T shrinks towards 0; dividing by T > 0 never changes which score is largest.""",
    """The worked answer: the gaps between the scores grow like 1/T. At T = 0.01 the
    largest score, 2, becomes 200 and the next one, 1, becomes 100: the leader's
    exponential is e^100 times the next one's, and the gaps to the others are larger
    still. So e^(z_max / T) outgrows every other term and the softmax puts all its
    probability on the largest score: it becomes the argmax. (A large T does the opposite:
    every score goes to 0 and the distribution to uniform.)
        PREDICT_LOW_TEMPERATURE = "b"   # all on the largest score: the argmax""",
    derivation=True,
)

add_hints(
    "softmax_derivative",
    """s_0 = e^(z_0) / S with S = Σ_j e^(z_j). Which of z_0 and z_1 appears in the numerator,
    and which in the denominator? Compute s = softmax([2, 1, 0.1]) first (np.exp will do).""",
    """The quotient rule: (u / S)' = u' / S - u S' / S². For z_0 both the numerator and the
    denominator change; for z_1 only the denominator does. Each result can be written with
    the probabilities s_0 and s_1 alone; then put in the numbers.""",
    """The worked answer. With u = e^(z_0) and S = Σ_j e^(z_j):
    ∂s_0/∂z_0 = e^(z_0)/S - e^(z_0) e^(z_0)/S² = s_0 - s_0² = s_0 (1 - s_0);
    ∂s_0/∂z_1 = 0 - e^(z_0) e^(z_1)/S² = -s_0 s_1.
    In general ∂s_i/∂z_j = s_i (δ_ij - s_j). For z = [2, 1, 0.1], s = [0.6590, 0.2424, 0.0986]:
        SOFTMAX_DERIVATIVE = np.array([0.6590 * (1 - 0.6590), -0.6590 * 0.2424])
        # = [0.2247, -0.1598]""",
    derivation=True,
)

add_hints(
    "dl_dz_one_sample",
    """Write the loss of one sample as ℓ = -z_k + ln Σ_i e^(z_i) and differentiate the two
    terms separately by one logit z_j. The first term depends on z_j only when j = k.""",
    """The derivative of ln S is (1/S) times the derivative of S, and only one term of
    S = Σ_i e^(z_i) depends on z_j: look at what (1/S) · e^(z_j) is. The term -z_k gives -1
    for j = k and 0 for every other j. Evaluate both for z = [2, 1, 0.1].""",
    """The worked answer. ∂/∂z_j of ln Σ_i e^(z_i) is e^(z_j) / Σ_i e^(z_i) = p_j, the
    softmax; ∂(-z_k)/∂z_j is -1 for j = k and 0 otherwise. So ∂ℓ/∂z_j = p_j - 1 for the
    true class and p_j for the others: the probabilities minus the one-hot target. For
    z = [2, 1, 0.1], p = [0.6590, 0.2424, 0.0986]:
        DL_DZ_ONE_SAMPLE = np.array([0.6590 - 1, 0.2424, 0.0986])""",
    derivation=True,
)

add_hints(
    "dl_dz_batch",
    """L = (1/N) Σ_n ℓ_n. Which of the N losses depend on Z[0, 0], the first logit of row 0?""",
    """Only ℓ_0 depends on row 0 of Z: the other three losses contribute 0. What factor does
    the mean put in front of ℓ_0, and so in front of its derivative?""",
    """The worked answer. ∂L/∂Z[0, 0] = (1/N) ∂ℓ_0/∂z_0, since only sample 0's loss contains
    Z[0, 0]: the one-sample entry from DL_DZ_ONE_SAMPLE, divided by N = 4. Every entry of
    dlogits is the one-sample gradient of its row over N.
        DL_DZ_BATCH = (0.6590 - 1) / 4   # -0.0853""",
    derivation=True,
)

add_hints(
    "softmax_cross_entropy",
    """forward: log p through log-sum-exp (above the exercise), then the mean over the batch
    of -log p of each sample's true class; keep what backward needs (the probabilities and
    y). backward: your DL_DZ_ONE_SAMPLE is one row of dlogits for one sample, your
    DL_DZ_BATCH one entry for a batch. Write the matrix that does this for every row.""",
    """Row n of dlogits is sample n's one-sample gradient times 1/N: that row's probabilities,
    with the entry of the true class y[n] changed as in DL_DZ_ONE_SAMPLE. One entry per row
    changes, in column y[n]: pick rows and columns together, never whole columns.""",
    """The worked answer. One sample: ℓ = -z_y + log Σ_j e^(z_j), so ∂ℓ/∂z_j = p_j - δ_jy,
    the probabilities minus the one-hot target. The batch loss is the mean over N samples,
    so each row is divided by N.
        def forward(self, logits, y):
            shifted = logits - np.max(logits, axis=1, keepdims=True)
            log_p = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
            self.probs = np.exp(log_p)
            self.y = y
            return float(-np.mean(log_p[np.arange(len(y)), y]))

        def backward(self):
            n, c = self.probs.shape
            return (self.probs - one_hot(self.y, c).astype(self.probs.dtype)) / n""",
    derivation=True,
)

add_hints(
    "predict_uniform_loss",
    """Each sample's loss is -ln of the probability its true class gets. What does the true
    class get from a uniform guess over 10 classes?""",
    """Every sample gives its true class 1/10, so every sample has the same loss, and the
    mean of equal numbers is that number. The loss uses the natural log.""",
    """The worked answer: each of the 1000 samples costs -ln(1/10) = ln 10, and so does
    their mean. A first loss far from ln C means a bug or logits that are not small.
        PREDICT_UNIFORM_LOSS = 2.303   # ln 10""",
    derivation=True,
)

add_hints(
    "predict",
    """The model's forward gives one row of scores per sample; the predicted class is the
    column of the largest score.""",
    """The worked answer:
        return np.argmax(model.forward(X), axis=1)""",
)

add_hints(
    "width_search",
    """What must differ between two widths' networks, and what must they share? Think of
    what one network needs before its first step, where its sizes come from (the data and
    the width), and which set it learns from and which one judges it. The dict holds one
    number per width.""",
    """The training is the loop of section 6 and notebook 05: per mini-batch a forward pass
    through the network and the loss, the backward pass from the loss's gradient, an
    optimiser step. Only the validation set measures the networks, and nothing trains on
    it; the test set stays out.""",
    """The worked answer:
        accuracies = {}
        for width in widths:
            model = Sequential(Linear(X_fit.shape[1], width, rng), ReLU(),
                               Linear(width, int(y_fit.max()) + 1, rng))
            loss, optimiser = SoftmaxCrossEntropy(), Adam(model, lr=0.003)
            for _ in range(epochs):
                for X_batch, y_batch in data.minibatches(X_fit, y_fit, 128, rng):
                    loss.forward(model.forward(X_batch), y_batch)
                    model.backward(loss.backward())
                    optimiser.step()
            accuracies[width] = float(np.mean(predict(model, X_val) == y_val))
        return accuracies""",
)
