"""Hints for notebook 04, the multi-layer perceptron (``check.hint("<exercise id>")``).

The worked answers follow the contract in the exercises' docstrings; a notebook that changes
a contract (an initialisation, a dtype) changes its worked answer here too.
"""

from ._hints import add_hints

add_hints(
    "linear",
    """Derive the three gradients for ONE sample first: z = x W + b with x of shape (n_in,),
    so z_k = Σ_i x_i W_ik + b_k. Given dout_k = dL/dz_k, what is dL/dW_ik, dL/db_k and
    dL/dx_i? Then stack the N samples as rows.""",
    """For one sample: dL/dW_ik = x_i · dout_k (an outer product, shape (n_in, n_out)),
    dL/db_k = dout_k, dL/dx_i = Σ_k W_ik dout_k. For a batch, the weights and the bias are
    shared by all N samples, so their gradients add up over the samples: a sum over the rows.
    Let the shapes pick the products: dW must be (n_in, n_out) from x (N, n_in) and dout
    (N, n_out); dx must be (N, n_in) from dout (N, n_out) and W (n_in, n_out).
    forward must keep x, because dW needs it.""",
    """The worked answer:
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
    """Keep `self.out = sigmoid(x)` in forward (a stable form: 0.5 * (1 + np.tanh(x / 2))).
    In backward multiply dout elementwise (`*`, not `@`) by σ'(x) written with self.out.""",
    """The worked answer:
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
    """`self.out = np.tanh(x)` in forward; in backward multiply dout elementwise by tanh'
    written with self.out (you derived it in notebook 03: one minus something squared).""",
    """The worked answer:
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
    """Keep the boolean mask `self.mask = x > 0` in forward, and return
    `np.where(self.mask, x, 0.0)` (a new array: x itself stays unchanged). In backward,
    dout passes where the mask is True and is 0 elsewhere: multiply by the mask.""",
    """The worked answer:
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
    """Only the entry's own square depends on it: d(pred - y)²/dpred = 2 (pred - y), and the
    mean divides by the number of entries, (pred - y).size, not by N alone. Keep
    pred - y in forward; backward needs it.""",
    """The worked answer:
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
    """`for layer in reversed(self.layers): dout = layer.backward(dout)`, then return dout.
    parameters() yields every layer's pairs in turn: `yield from layer.parameters()`.""",
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
    """Each epoch: forward the whole X through the model, the loss, backward from the loss's
    gradient, then move every parameter against its gradient. Record the loss before the
    update.""",
    """Update in place, so the model sees the change: `param -= lr * grad` for every
    `(param, grad)` in model.parameters(). (`param = param - lr * grad` only rebinds a local
    name.)""",
    """The worked answer:
        losses = []
        for _ in range(epochs):
            losses.append(loss_fn.forward(model.forward(X), y))
            model.backward(loss_fn.backward())
            for param, grad in model.parameters():
                param -= lr * grad
        return losses""",
)
