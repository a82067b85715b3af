"""Hints for notebook 06, softmax and cross-entropy (``check.hint("<exercise id>")``)."""

from ._hints import add_hints

add_hints(
    "entropy",
    """Entropy in bits is the sum of -p log2 p over the outcomes. log2(0) is -inf, and
    0 · (-inf) is nan, yet the term should count as 0.""",
    """Keep only the entries with p > 0 (`p[p > 0]`), then `-np.sum(p * np.log2(p))`. Return a
    float.""",
    """The worked answer:
        p = p[p > 0]
        return float(-np.sum(p * np.log2(p)))""",
)

add_hints(
    "cross_entropy",
    """H(p, q) is the sum of -p log2 q: the probabilities come from p, the logarithms from q.
    Terms with p = 0 count as 0.""",
    """Select the entries with a mask `p > 0`, applied to both arrays:
    `-np.sum(p[mask] * np.log2(q[mask]))`.""",
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
    samples. What happens at p = 0 or p = 1?""",
    """log(0) is -inf: clip p into [1e-12, 1 - 1e-12] first with np.clip, so every term is
    finite, then take the mean. Clip in float64 (in float32, 1 - 1e-12 is 1.0), and give y
    p's shape: (N, 1) against (N,) would broadcast to an (N, N) grid.""",
    """The worked answer:
        p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
        y = np.asarray(y, dtype=float).reshape(p.shape)
        return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))""",
)

add_hints(
    "one_hot",
    """Start from an (N, num_classes) array of zeros and put a 1 in row i, column y[i].""",
    """Index both axes at once: `out[np.arange(len(y)), y] = 1.0` (or take the rows
    `np.eye(num_classes)[y]`).""",
    """The worked answer:
        out = np.zeros((len(y), num_classes))
        out[np.arange(len(y)), y] = 1.0
        return out""",
)

add_hints(
    "softmax",
    """exp of each entry, divided by the sum of the exps of its row. For z = 1000, exp
    overflows: what can you subtract from a row without changing its softmax?""",
    """Subtracting the same number from every entry of a row multiplies numerator and
    denominator by the same factor: subtract the row maximum, so the largest exponent is 0.
    `np.max(z, axis=-1, keepdims=True)` and the same for the sum serve 1-D and 2-D input.""",
    """The worked answer:
        e = np.exp(z - np.max(z, axis=-1, keepdims=True))
        return e / np.sum(e, axis=-1, keepdims=True)""",
)

add_hints(
    "softmax_cross_entropy",
    """Derive the gradient for ONE sample first. With p = softmax(z) and true class y,
    L = -log p_y = -z_y + log Σ_j e^(z_j). Differentiate with respect to each z_k: the two
    terms separately, and the cases k = y and k ≠ y.""",
    """d(log Σ_j e^(z_j))/dz_k = e^(z_k) / Σ_j e^(z_j) = p_k, and d(-z_y)/dz_k is -1 for k = y,
    0 otherwise. So one sample's gradient is p minus the one-hot vector of y. The batch loss is
    the mean over N samples: each row gets divided by N. For forward, compute log p with
    log-sum-exp (subtract the row max), not np.log of a softmax.""",
    """The worked answer:
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
    "predict",
    """The model's forward gives one row of scores per sample; the predicted class is the
    column of the largest score.""",
    """The worked answer:
        return np.argmax(model.forward(X), axis=1)""",
)
