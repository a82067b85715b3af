"""Hints for notebook 05, stochastic gradient descent (``check.hint("<exercise id>")``)."""

from ._hints import add_hints

add_hints(
    "minibatches",
    """Shuffle the sample indices once per call with `rng.permutation(N)`, then cut the
    shuffled order into consecutive slices of batch_size.""",
    """`for start in range(0, N, batch_size)`: the rows `order[start:start + batch_size]`
    (the last slice may be shorter); `yield X[rows], y[rows]` hands out one batch at a time.
    Shuffle the indices, not X and y separately, so each sample keeps its label.""",
    """The worked answer:
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            rows = order[start : start + batch_size]
            yield X[rows], y[rows]""",
)

add_hints(
    "train_epoch",
    """Use your minibatches. For each batch: forward, loss, backward, optimizer.step(). To
    average per sample, weight each batch's loss by its size.""",
    """Keep `total += loss * len(X_batch)` and return `total / len(X)`: the last batch may be
    smaller, so a plain mean of the batch losses would weigh its samples more.""",
    """The worked answer:
        total = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss = loss_fn.forward(model.forward(X_batch), y_batch)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += loss * len(X_batch)
        return total / len(X)""",
)

add_hints(
    "sgd",
    """Each parameter needs its own velocity, with the parameter's shape, starting at 0. step()
    first updates the velocity from the gradient, then moves the parameter by it.""",
    """Create the velocities lazily in step() (the gradients exist only after a backward):
    `np.zeros_like(param)` for each pair the first time. Then `v = μ v - lr g` and
    `param += v`, in place, so the model sees the change.""",
    """The worked answer:
        def __init__(self, model, lr, momentum=0.0):
            self.model, self.lr, self.momentum = model, lr, momentum
            self.velocities = []

        def step(self):
            for i, (param, grad) in enumerate(self.model.parameters()):
                if i == len(self.velocities):
                    self.velocities.append(np.zeros_like(param))
                self.velocities[i] = self.momentum * self.velocities[i] - self.lr * grad
                param += self.velocities[i]""",
)

add_hints(
    "adam",
    """Adam keeps, per parameter, a running mean m of the gradient and v of its square,
    both starting at 0. Why do they start too small, and by how much after t steps? Work
    out m after the first step, t = 1: what factor turns it into the gradient itself?""",
    """After t steps from 0, the weights of the running mean sum to 1 - β^t, not 1, so divide
    by it: m̂ = m / (1 - β1^t) and v̂ = v / (1 - β2^t), with t counted from 1 (increase it once
    per step(), before the update). Then `param -= lr * m̂ / (np.sqrt(v̂) + eps)`.""",
    """The worked answer:
        def __init__(self, model, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
            self.model, self.lr, self.eps = model, lr, eps
            self.beta1, self.beta2 = beta1, beta2
            self.m, self.v, self.t = [], [], 0

        def step(self):
            self.t += 1
            for i, (param, grad) in enumerate(self.model.parameters()):
                if i == len(self.m):
                    self.m.append(np.zeros_like(param))
                    self.v.append(np.zeros_like(param))
                self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * grad
                self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * grad**2
                m_hat = self.m[i] / (1 - self.beta1**self.t)
                v_hat = self.v[i] / (1 - self.beta2**self.t)
                param -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)""",
    derivation=True,
)

add_hints(
    "standardize",
    """Compute the mean and the standard deviation of each column of X_train only
    (axis=0), then apply the same two numbers to every array.""",
    """`(X - mean) / std` for X in (X_train, *others); a column with std 0 (a constant) would
    divide by zero: use 1 for it. Rounding leaves a constant column a std of about 1e-17, not
    0, so count a std below 100 eps times the column's size as 0. Return a tuple.""",
    """The worked answer:
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        tiny = 100 * np.finfo(std.dtype).eps * np.abs(X_train).max(axis=0)
        std = np.where(std > tiny, std, 1)
        return tuple((X - mean) / std for X in (X_train, *others))""",
)
