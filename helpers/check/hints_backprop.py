"""Hints for notebook 03, the chain rule and backpropagation (``check.hint("<exercise id>")``)."""

from ._hints import add_hints

add_hints(
    "graph_forward_backward",
    """Forward first, keeping every intermediate value: s = x + y, q = s * z, f = q ** 2.
    Then go backward from f, one node at a time, using the table above the exercise.""",
    """Backward: df_dq = 2q (the local derivative of the square); the multiply node passes
    df_dq times the *other* input to each side: df_ds = df_dq * z and df_dz = df_dq * s; the
    add node passes df_ds on unchanged to x and y.""",
    """The worked answer:
        s = x + y
        q = s * z
        f = q**2
        df_dq = 2 * q
        df_ds = df_dq * z
        df_dz = df_dq * s
        df_dx = df_ds
        df_dy = df_ds""",
    derivation=True,
)

add_hints(
    "graph_exercise",
    """The same graph as before with one more node at the start, u = sin x, and a cube
    instead of a square at the end. Write the forward pass with the names u, s, q, f.""",
    """Local derivatives: d(q³)/dq = 3q², the multiply node swaps in the other input as
    before, the add node passes the gradient on, and du/dx = cos x. So df_dx = df_ds * cos x,
    while df_dy = df_ds.""",
    """The worked answer:
        u = math.sin(x)
        s = u + y
        q = s * z
        f = q**3
        df_dq = 3 * q**2
        df_ds = df_dq * z
        df_dz = df_dq * s
        df_dx = df_ds * math.cos(x)
        df_dy = df_ds""",
    derivation=True,
)

add_hints(
    "sigmoid_prime",
    """Write σ(z) = (1 + e^(-z))^(-1): an outer function u^(-1) of an inner u = 1 + e^(-z).
    Differentiate with the chain rule, then try to write the result using σ(z) itself.""",
    """The chain rule gives σ'(z) = -(1 + e^(-z))^(-2) · (-e^(-z)) = e^(-z) / (1 + e^(-z))².
    Split it into 1/(1 + e^(-z)) times e^(-z)/(1 + e^(-z)). The first factor is σ(z); what is
    the second in terms of σ(z)? (Hint: 1 - σ(z).)""",
    """The worked answer: σ'(z) = σ(z)(1 - σ(z)). Compute σ(z) once with the stable sigmoid
    (not z itself: the formula takes the activation):
        s = sigmoid(z)
        return s * (1 - s)""",
    derivation=True,
)

add_hints(
    "tanh_prime",
    """Write tanh = sinh / cosh, with sinh' = cosh and cosh' = sinh, and use the quotient
    rule. Then write the result with tanh itself, as you did for the sigmoid.""",
    """The quotient rule gives (cosh² - sinh²) / cosh² = 1 - (sinh/cosh)². (Or from notebook
    01: tanh z = 2σ(2z) - 1, so tanh'(z) = 4σ'(2z) = 4σ(2z)(1 - σ(2z)).)""",
    """The worked answer: tanh'(z) = 1 - tanh²(z). Use np.tanh, which is safe for large z:
        return 1 - np.tanh(z) ** 2""",
    derivation=True,
)

add_hints(
    "relu_prime",
    """ReLU is two straight lines: z for z > 0 and 0 for z < 0. What is the slope of each
    line?""",
    """The slope is 1 where z > 0 and 0 where z < 0; at the kink z = 0 pick either. A
    comparison gives booleans of the right shape: turn them into numbers.""",
    """The worked answer:
        return (np.asarray(z) > 0).astype(float)""",
    derivation=True,
)

add_hints(
    "chain_forward",
    """Follow the arrow diagram from left to right: each neuron computes z = w · input + b,
    then a = σ(z). The second neuron's input is the first one's activation.""",
    """The worked answer:
        z1 = w1 * x + b1
        a1 = sigmoid(z1)
        z2 = w2 * a1 + b2
        a2 = sigmoid(z2)""",
)

add_hints(
    "chain_backward",
    """Walk the chain backwards, one local derivative per step: dL/da2, then dL/dz2, then the
    gradients of w2 and b2; then dL/da1, dL/dz1, and the gradients of w1 and b1. The worked
    example above does the first three steps for you.""",
    """dL/da2 = a2 - y. Through the sigmoid: dz2 = da2 · σ'(z2), and with a2 = σ(z2) that is
    da2 · a2(1 - a2). z2 = w2·a1 + b2 gives dw2 = dz2 · a1, db2 = dz2 and da1 = dz2 · w2. The
    first neuron repeats the pattern with a1 and x.""",
    """The worked answer:
        da2 = a2 - y
        dz2 = da2 * a2 * (1 - a2)
        dw2, db2 = dz2 * a1, dz2
        da1 = dz2 * w2
        dz1 = da1 * a1 * (1 - a1)
        dw1, db1 = dz1 * x, dz1""",
    derivation=True,
)

add_hints(
    "value",
    """Three parts. Multiplication: what is d(a·b)/da when b is held fixed? tanh: you derived
    tanh' in section 3; here the forward value t = tanh(x) is already computed. backward:
    follow the three numbered steps in the comment.""",
    """`local_grads = (other.data, self.data)` for `*` (each side gets the other input) and
    `(1 - t**2,)` for tanh. For backward: a depth-first `visit(v)` that visits every child
    before appending v builds the topological order; then set self.grad = 1.0 and go through
    the list reversed, doing `child.grad += local * v.grad` for each child (`+=`, because a
    value used twice gets gradient from both uses).""",
    """The worked answer for backward:
        order, visited = [], set()

        def visit(v):
            if v not in visited:
                visited.add(v)
                for child in v._children:
                    visit(child)
                order.append(v)

        visit(self)
        self.grad = 1.0
        for v in reversed(order):
            for child, local in zip(v._children, v._local_grads):
                child.grad += local * v.grad""",
    derivation=True,
)

add_hints(
    "train_neuron",
    """Derive for one sample first: a = σ(z), z = x · w + b, and the sample's share of the
    loss (a - y)² / N. Chain rule: dL/da, then dL/dz (you have σ'), then dL/dw_j and dL/db.
    Then do all N samples at once with arrays: dz has shape (N,).""",
    """dL/da_n = 2(a_n - y_n)/N and dz_n = dL/da_n · a_n(1 - a_n). Since z_n = x_n · w + b,
    dL/dw_j = Σ_n dz_n x_nj, which for all j at once is X transposed (D, N) times dz (N,),
    giving (D,) like w; and dL/db = Σ_n dz_n. Record the loss before the update.""",
    """The worked answer:
        w, b = rng.normal(0, 0.1, size=X.shape[1]), 0.0
        losses = []
        for _ in range(epochs):
            a = sigmoid(X @ w + b)
            losses.append(np.mean((a - y) ** 2))
            dz = 2 * (a - y) * a * (1 - a) / len(y)
            w = w - lr * (X.T @ dz)
            b = b - lr * dz.sum()""",
    derivation=True,
)

add_hints(
    "train_value_neuron",
    """Make the parameters Values once, before the loop: w = [Value(0.0) for each input] and
    b = Value(0.0). Each epoch builds a new graph: forward to the loss, zero the gradients,
    loss.backward(), then move every parameter's .data against its .grad.""",
    """The output for one sample x is `(sum(wi * xi for wi, xi in zip(w, x)) + b).tanh()`; its
    squared error is `(out - t) ** 2`, and `sum(...)` of those times 1 / N is the mean.
    Before backward, set `p.grad = 0.0` for every parameter p (only when zero_grad is True);
    after it,
    `p.data -= lr * p.grad`. Append `loss.data` before the update.""",
    """The worked answer:
        w, b = [Value(0.0) for _ in range(X.shape[1])], Value(0.0)
        losses = []
        for _ in range(epochs):
            outs = [(sum((wi * xi for wi, xi in zip(w, x)), b)).tanh() for x in X.tolist()]
            loss = sum((out - t) ** 2 for out, t in zip(outs, y.tolist())) * (1 / len(y))
            if zero_grad:
                for p in [*w, b]:
                    p.grad = 0.0
            loss.backward()
            for p in [*w, b]:
                p.data -= lr * p.grad
            losses.append(loss.data)
        return [wi.data for wi in w], b.data, losses""",
)
