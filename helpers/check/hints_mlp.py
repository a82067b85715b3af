"""Hints for notebook 04, the multi-layer perceptron (``check.hint("<exercise id>")``).

The worked answers follow the contract in the exercises' docstrings; a notebook that changes
a contract (an initialisation, a dtype) changes its worked answer here too.
"""

from ._hints import add_hints

add_hints(
    "dl_dw_one_sample",
    """Write z[2] out as a sum over the inputs: z[2] = x[0] W[0, 2] + x[1] W[1, 2] + b[2].
    Which term holds W[1, 2]? L depends on W[1, 2] only through z[2].""",
    """The chain rule through z[2]: ∂L/∂W[1, 2] = ∂L/∂z[2] · ∂z[2]/∂W[1, 2], and ∂L/∂z[2] is
    dout[2]. The second factor is what W[1, 2] is multiplied by in z[2].""",
    """The worked answer: only z[2] contains W[1, 2], in the term x[1] W[1, 2], so
    ∂z[2]/∂W[1, 2] = x[1] and ∂L/∂W[1, 2] = dout[2] · x[1] = 3 · 2 = 6:
        DL_DW_ONE_SAMPLE = x_one[1] * dout_one[2]   # 6.0
    In general, for one sample, ∂L/∂W[i, j] = x[i] · dout[j].""",
    derivation=True,
)

add_hints(
    "dl_dx_one_sample",
    """x[0] is multiplied by W[0, 0] in z[0], by W[0, 1] in z[1] and by W[0, 2] in z[2]:
    it reaches L through every output.""",
    """A variable used in several places collects one chain-rule term from each (notebook
    03): ∂L/∂x[0] = Σ_j ∂L/∂z[j] · ∂z[j]/∂x[0], with ∂L/∂z[j] = dout[j].""",
    """The worked answer: ∂z[j]/∂x[0] = W[0, j], so ∂L/∂x[0] = Σ_j W[0, j] dout[j]
    = 1 · 0.5 + 0 · (−1) + (−1) · 3 = −2.5:
        DL_DX_ONE_SAMPLE = W_one[0] @ dout_one   # -2.5
    In general ∂L/∂x[i] = Σ_j W[i, j] dout[j]: row i of W against dout.""",
    derivation=True,
)

add_hints(
    "dl_dw_batch",
    """Every sample of the batch uses the same W[1, 2]. How does the loss of the batch
    depend on it: through one sample, or through each?""",
    """W[1, 2] is used once per sample, so its gradient adds one term per sample, each the
    one-sample answer with that sample's row of X and DOUT. Nothing is averaged: the 1/N of
    an average loss is already inside DOUT.""",
    """The worked answer: ∂L/∂W[1, 2] = Σ_n X[n, 1] DOUT[n, 2] = 2 · 3 + (−1) · (−1) = 7:
        DL_DW_BATCH = X_two[0, 1] * DOUT_two[0, 2] + X_two[1, 1] * DOUT_two[1, 2]   # 7.0""",
    derivation=True,
)

add_hints(
    "dw_batch",
    """Every entry [i, j] is built like DL_DW_BATCH: a sum over the samples of an input
    times a dout. Which column of X and which column of DOUT go into entry [i, j]?""",
    """dW[i, j] = Σ_n X[n, i] DOUT[n, j]: the sum over the samples of column i of X times
    column j of DOUT. A sum over a shared index is a matrix product, (A · B)[i, j] =
    Σ_n A[i, n] B[n, j]: the index summed is A's second and B's first. Here n is the first
    index of both arrays: which one must be transposed? The shapes will not decide it for
    you: X_two is square.""",
    """The worked answer: Σ_n X[n, i] DOUT[n, j] is entry [i, j] of Xᵀ · DOUT, shape
    (2, 2)ᵀ · (2, 3) = (2, 3), the shape of W:
        DW_BATCH = X_two.T @ DOUT_two   # [[8, -1, 9], [-1, -3, 7]]""",
    derivation=True,
)

add_hints(
    "dx_batch",
    """Each sample has its own input row, so ∂L/∂X[n, i] involves sample n alone: it is
    your DL_DX_ONE_SAMPLE's sum, with sample n's row of DOUT. Which entry of the array is
    exactly your DL_DX_ONE_SAMPLE?""",
    """∂L/∂X[n, i] = Σ_j DOUT[n, j] W[i, j]: the index summed, j (the outputs), is DOUT's
    second index and W's second too. In a matrix product A · B the index summed is A's
    second and B's first: which array must be transposed? The shapes will not decide it:
    two products of DOUT_two and W_one have the shape (2, 2).""",
    """The worked answer: Σ_j DOUT[n, j] W[i, j] = Σ_j DOUT[n, j] Wᵀ[j, i] is entry [n, i]
    of DOUT · Wᵀ, (2, 3) · (3, 2) = (2, 2), one row per sample. Row 0 is [−2.5, 0]: its
    first entry is your DL_DX_ONE_SAMPLE. The other product with that shape, W · DOUTᵀ, is
    its transpose, with the samples along the columns:
        DX_BATCH = DOUT_two @ W_one.T   # [[-2.5, 0], [3, 5]]""",
    derivation=True,
)

add_hints(
    "linear",
    """You derived the pieces above: DL_DW_ONE_SAMPLE and DL_DX_ONE_SAMPLE for one sample,
    DL_DW_BATCH, DW_BATCH and DX_BATCH for a batch. backward does the same for any x and
    dout; forward must keep what backward needs.""",
    """For one sample ∂L/∂W[i, j] = x[i] dout[j], ∂L/∂b[j] = dout[j] and ∂L/∂x[i] =
    Σ_j W[i, j] dout[j]. Over a batch, W and b are shared, so their gradients sum over the
    samples; each sample keeps its own row of dx. Each sum over a shared index is a matrix
    product, or a sum over an axis: write which index each sum runs over, then which
    operand holds it as its second index and which as its first. Shapes (like W, like b,
    like x) catch a slip, but on a square layer W and its transpose have the same shape,
    and the check tries one.""",
    """The worked answer. dW[i, j] = Σ_n x[n, i] dout[n, j] is xᵀ · dout, (n_in, N) · (N,
    n_out); db[j] = Σ_n dout[n, j] sums over the batch axis; dx[n, i] = Σ_j dout[n, j]
    W[i, j] is dout · Wᵀ, (N, n_out) · (n_out, n_in):
        def __init__(self, n_in, n_out, rng):
            self.W = rng.normal(0.0, np.sqrt(2.0 / (n_in + n_out)), size=(n_in, n_out))
            self.b = np.zeros(n_out)

        def forward(self, x):
            self.x = x
            return x @ self.W + self.b

        def backward(self, dout):
            self.dW = self.x.T @ dout          # (n_in, N) @ (N, n_out)
            self.db = dout.sum(axis=0)         # one sum per output, over the samples
            return dout @ self.W.T             # (N, n_out) @ (n_out, n_in)

        def parameters(self):
            yield self.W, self.dW
            yield self.b, self.db""",
    derivation=True,
)

add_hints(
    "sigmoid_layer",
    """The layer works elementwise, so each entry's gradient is dout times the local slope
    σ'(x) at that entry. Notebook 03 wrote σ' with the output a = σ(x): keep a in forward.""",
    """The key relation: from a = σ(x) = 1 / (1 + e^{−x}), e^{−x} = (1 − a) / a. Differentiate
    σ(x) = (1 + e^{−x})^{−1} by the chain rule, then replace every e^{−x} by that: the slope
    comes out in a alone, so backward needs only the output kept by forward. dx is dout times
    that slope, entry by entry (elementwise, not a matrix product).""",
    """The worked answer. The chain rule gives σ'(x) = e^{−x} / (1 + e^{−x})²
    = [1 / (1 + e^{−x})] · [e^{−x} / (1 + e^{−x})], and the second factor is
    1 − 1 / (1 + e^{−x}) = 1 − a. So σ'(x) = a (1 − a), and dx = dout · a (1 − a) entry by
    entry (at x = 0, a = 1/2 and the slope is 1/4, its largest):
        def forward(self, x):
            self.out = 0.5 * (1.0 + np.tanh(0.5 * x))
            return self.out

        def backward(self, dout):
            return dout * self.out * (1.0 - self.out)""",
    derivation=True,
)

add_hints(
    "tanh_layer",
    """Elementwise again: each entry's gradient is dout times tanh'(x) at that entry, and
    notebook 03 wrote tanh' with the output. Keep the output in forward.""",
    """The key relation: tanh(x) = sinh(x) / cosh(x), and the quotient rule gives
    tanh'(x) = (cosh²(x) − sinh²(x)) / cosh²(x) = 1 / cosh²(x), because cosh² − sinh² = 1.
    Divide that identity by cosh²(x) to write the slope with a = tanh(x) alone; dx is dout
    times it, entry by entry.""",
    """The worked answer. Dividing cosh² − sinh² = 1 by cosh² gives 1 − tanh² = 1 / cosh²,
    so tanh'(x) = 1 − tanh²(x) = 1 − a² (1 at a = 0, falling to 0 as |a| nears 1), and
    dx = dout · (1 − a²):
        def forward(self, x):
            self.out = np.tanh(x)
            return self.out

        def backward(self, dout):
            return dout * (1.0 - self.out**2)""",
    derivation=True,
)

add_hints(
    "relu_layer",
    """ReLU passes x where x > 0 and gives 0 elsewhere; its slope is 1 or 0 entry by entry.
    Which gradients get through backward, then?""",
    """forward keeps where its input was positive (a boolean array) and returns a new array,
    leaving x unchanged. The slope is 1 there and 0 elsewhere, so backward lets dout
    through where the input was positive and gives 0 elsewhere.""",
    """The worked answer. The slope is 1 where x > 0 and 0 elsewhere, so dx = dout · [x > 0]:
        def forward(self, x):
            self.mask = x > 0
            return np.where(self.mask, x, 0.0)

        def backward(self, dout):
            return dout * self.mask""",
    derivation=True,
)

add_hints(
    "mse_loss",
    """L is the mean of (pred - y)² over ALL entries, N × D of them. Derive dL/dpred for one
    entry: which entries of the sum depend on it, and what does the mean contribute?""",
    """Only the entry's own square depends on it: differentiate that square by the chain
    rule, then multiply by the mean's 1/(number of entries): all N × D of them, not N
    alone. backward needs pred − y: keep it in forward.""",
    """The worked answer. ∂L/∂ŷ_k = (1/(N·D)) · 2 (ŷ_k − y_k) for each entry k, so
    dpred = 2 (pred − y) / pred.size:
        def forward(self, pred, y):
            self.diff = pred - y
            return np.mean(self.diff**2)

        def backward(self):
            return 2.0 * self.diff / self.diff.size""",
    derivation=True,
)

add_hints(
    "sequential",
    """Keep the layers in a list. forward feeds each layer's output into the next;
    backward goes through the same list in reverse, feeding each layer's dx into the one
    before it.""",
    """forward: the output of each layer is the next one's input, and the last output is
    returned. backward: the same in reverse order, each layer's dx handed to the layer
    before it. parameters(): every pair of every layer, one after the other, flat.""",
    """The worked answer:
        def __init__(self, *layers):
            self.layers = list(layers)

        def forward(self, x):
            for layer in self.layers:
                x = layer.forward(x)
            return x

        def backward(self, dout):
            for layer in reversed(self.layers):
                dout = layer.backward(dout)
            return dout

        def parameters(self):
            for layer in self.layers:
                yield from layer.parameters()""",
)

add_hints(
    "train",
    """One epoch is one step of gradient descent on the whole training set: the loss of the
    model, the gradients of every parameter, one step. What does each of your layers and
    your loss need to have run before its gradients are there?""",
    """The step is θ ← θ − η ∂L/∂θ for every parameter θ (notebook 02), and it must change
    the very array the layer holds: an augmented assignment changes an array, a plain
    assignment binds a new one to a name. The loss you record for epoch i is the one before
    epoch i's step.""",
    """The worked answer: forward, loss (recorded), backward from the loss's gradient, then
    one in-place step per parameter:
        losses = []
        for _ in range(epochs):
            losses.append(loss_fn.forward(model.forward(X), y))
            model.backward(loss_fn.backward())
            for param, grad in model.parameters():
                param -= lr * grad
        return losses""",
)

add_hints(
    "gradient_errors",
    """backward(dout) gives the gradients of one number L, computed from the layer's output,
    whose gradient for that output is dout. Which L is that? Your finite differences must
    measure how that same L changes. And numerical_gradient changes, in place, the array you
    hand it: which array must your f read so that it sees the change?""",
    """The key relation: L = Σ forward(x) ⊙ dout, summed over every entry. Each output
    entry out[k] appears in one term, out[k] · dout[k], so ∂L/∂out[k] = dout[k]: backward(dout)
    computes exactly this L's gradients. Run forward and backward once and keep copies of
    dx and of each parameter's gradient (later forwards may overwrite them). Then, for x and
    for each parameter array, take the numerical gradient of that L in that very array
    (numerical_gradient takes the central differences for you) and compare it with the
    kept one by relative_error.""",
    """The worked answer. L = Σ out ⊙ dout has ∂L/∂out = dout, so the gradients backward(dout)
    gives are this L's; the loss reads x and the layer's own parameter arrays, the very
    arrays numerical_gradient nudges, and the gradients are copied before the nudging
    forwards run:
        def relative_error(a, b):
            a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
            scale = np.maximum(np.abs(a) + np.abs(b), 1e-12)
            return float(np.max(np.abs(a - b) / scale))

        def gradient_errors(layer, x, dout):
            x = np.array(x, dtype=float)
            layer.forward(x)
            dx = np.array(layer.backward(dout), dtype=float)
            grads = [np.array(grad, dtype=float) for _, grad in layer.parameters()]

            def loss():
                return np.sum(layer.forward(x) * dout)

            errors = [relative_error(dx, numerical_gradient(loss, x))]
            for (param, _), grad in zip(layer.parameters(), grads):
                errors.append(relative_error(grad, numerical_gradient(loss, param)))
            return errors""",
)

add_hints(
    "predict_xor_linear",
    """Section 1 just showed that two linear layers compute one linear layer. What kind of
    boundary can one linear layer followed by a sigmoid draw, and can such a boundary
    separate XOR's corners (notebook 01)?""",
    """The network can only draw a straight boundary. Gradient descent lowers the loss as
    far as a straight boundary allows; by the symmetry of XOR, every line that gets one
    corner more right gets another more wrong.""",
    """The worked answer: (b). The network is one linear layer with a sigmoid, so its
    boundary is a straight line and XOR is out of reach. Starting from small weights, every
    step that helps one corner hurts its partner, and training settles where it cannot
    decide: all four outputs at 0.5, a loss of 0.25, what answering 0.5 everywhere costs.
        PREDICT_XOR_LINEAR = 'b'""",
)

add_hints(
    "predict_sigmoid_depth",
    """Going down one hidden layer, the gradient is multiplied by that layer's weights (W
    transposed) and by the sigmoid's slope at each unit. How large can the slope be? And
    what did section 2 say Glorot's scale for the weights was chosen to do?""",
    """The key relation: n layers down, the gradient has been multiplied by n factors, one
    per layer, each about (the sigmoid's slope, at most 1/4) × (what the weights do to its
    size, which Glorot's scale keeps near 1). Estimate one factor, then solve
    factor^n < 1/1000 for the smallest whole n.""",
    """The worked answer: 5 (4 to 6 pass). One layer down multiplies the gradient by W
    transposed and by the sigmoid's slope. With Glorot's scale a unit's gradient is a sum of
    16 terms of weights about 1/4 in size, with random signs: about √16 · 1/4 = 1 times the
    size it had, so the weights keep it. The slope is at most 1/4 (at 0), and these units'
    inputs stay near 0, so each layer down multiplies by about 1/4, a little less at times:
    4^4 = 256 is not yet a thousand, 4^5 = 1024 is. The run prints each layer's factor.
        PREDICT_SIGMOID_DEPTH = 5""",
)

add_hints(
    "train_early_stopping",
    """Three jobs in one loop: train one epoch, measure both losses after it, and remember
    the best epoch so far (its number and its weights). When do you stop, and what does the
    model hold when you return?""",
    """The best epoch is the one with the lowest validation loss so far; a new lowest one
    resets the count of epochs without improvement, and the loop ends when that count
    reaches `patience` (or at max_epochs). The weights you remember must be copies: the
    model's arrays keep changing. At the end, copy them back into the model's own arrays.""",
    """The worked answer:
        best_epoch, lowest, best_weights = 0, np.inf, None
        train_losses, val_losses = [], []
        for epoch in range(1, max_epochs + 1):
            train(model, loss_fn, X_train, y_train, lr, 1)
            train_losses.append(loss_fn.forward(model.forward(X_train), y_train))
            val_losses.append(loss_fn.forward(model.forward(X_val), y_val))
            if val_losses[-1] < lowest:
                best_epoch, lowest = epoch, val_losses[-1]
                best_weights = [param.copy() for param, _ in model.parameters()]
            elif epoch - best_epoch >= patience:
                break
        for (param, _), best in zip(model.parameters(), best_weights):
            param[...] = best
        return best_epoch, train_losses, val_losses""",
)

add_hints(
    "predict_lr_diverges",
    """Notebook 02: along a direction in which the loss curves with second derivative h, what
    does one step of learning rate η do to the distance to the minimum? For which η does that
    distance grow from step to step? The cell above printed h for this loss.""",
    """The key relation: along a direction of curvature h, a step multiplies the distance to
    the minimum by (1 − η h). The distance grows, and the loss with it, where |1 − η h| > 1,
    that is, past η = 2 / h. Between 1 / h and 2 / h the step lands past the minimum but
    nearer to it: it overshoots and still converges. The sharpest direction, the largest h,
    sets the limit. Compare each rate with 2 / h.""",
    """The worked answer: (b). The cell printed h ≈ 15.0, so the limit is 2 / h ≈ 0.13.
    lr = 0.02: η h ≈ 0.3, the factor 1 − η h ≈ 0.7: each step shrinks the distance a little,
    slow but converging. lr = 0.1: η h ≈ 1.5, the factor ≈ −0.5: along the sharpest
    direction each step lands past the minimum, at half the distance: converging.
    lr = 0.4: η h ≈ 6, the factor ≈ −5: every step lands five times farther away than it
    started, and the loss climbs without bound. (h changes as the weights move, but the run
    diverges from its first steps, where it is this h.)
        PREDICT_LR_DIVERGES = 'b'""",
)
