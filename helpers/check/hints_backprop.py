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
    "dc_da",
    """Hold b = −3 fixed and let a move. c = a·b is then a straight line in a: what is its
    slope?""",
    """Nudge it: at a = 2, c = 2·(−3) = −6; at a = 2.001, c = 2.001·(−3) = −6.003. The change
    of c per unit change of a is what ∂c/∂a means.""",
    """The worked answer: c = a·b is linear in a with slope b, so ∂c/∂a = b = −3 (the nudge
    gives −0.003 / 0.001 = −3). By the same argument ∂c/∂b = a: each input of a product gets
    the *other* input as its local derivative.
        DC_DA = -3.0""",
    derivation=True,
)

add_hints(
    "a_plus_a_grad",
    """How fast does b = a + a change when a changes? That rate is what a right backward()
    must leave in a.grad.""",
    """b = 2a. Or along the graph: two edges leave a, each carries back 1 × 1, and section 2
    says what happens to what comes back along several paths.""",
    """The worked answer: b = a + a = 2a, so ∂b/∂a = 2. The graph agrees when the shares of
    both edges are added: 1 + 1 = 2.
        A_PLUS_A_GRAD = 2.0""",
)

add_hints(
    "value",
    """Three parts. Multiplication: you found ∂c/∂a as DC_DA; what is ∂c/∂b? tanh: you
    derived tanh' in section 3; write it with the output t, which is already computed.
    backward: a node may pass its gradient on only when every node that uses it has handed
    it its share. Which order of the nodes guarantees that?""",
    """`*`: DC_DA came out as the value of one of the two inputs. Which one, and what does
    the same argument give for ∂c/∂b? tanh: tanh' written with t = tanh(x) in place of x.
    backward: list the nodes so that each one comes after all of its children, each node
    once; reversed, that list puts every node after everything that uses it. Walk it from
    the output, whose own gradient ∂f/∂f you know, each node adding its share to each
    child's gradient: a child used twice collects both shares.""",
    """The worked answer, part by part. `*`: c = a·b is linear in each input, with slope the
    other input, so local_grads = (other.data, self.data). tanh: tanh'(x) = 1 − tanh²(x)
    = 1 − t², so local_grads = (1 - t**2,). backward: a depth-first visit appends a node
    after its children, so reversing the list puts each node after all that use it:
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
    "zero_gradient_weight",
    """Look at the gate each parameter hangs on: w1 and w2 on multiply gates, b on an add
    gate. What does each gate hand back to its inputs (section 2)?""",
    """An add gate passes the arriving gradient on unchanged; a multiply gate hands each
    input the arriving gradient times the other input. Which of the other inputs is 0?""",
    """The worked answer: w2 sits on the multiply gate w2 * x2, so its gradient is the
    arriving gradient times x2 = 0. w1 gets it times x1 = 2, and b, on an add gate, gets it
    unchanged; the arriving gradient itself, tanh' at 0.88, is about 0.5, not 0.
        ZERO_GRADIENT_WEIGHT = "w2\"""",
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
    """Make the parameters Values once, before the loop: each epoch builds a new graph from
    the same parameters. Then: forward to the loss, backward, and a gradient-descent step on
    every parameter's .data. What does backward() do to a .grad that already holds a
    number?""",
    """backward() adds to .grad, so before each backward() every parameter's gradient must
    be back at 0 (unless zero_grad is False). The loss is the mean of (tanh(x · w + b) − y)²
    over the samples; Values have only +, *, ** and tanh, so the mean is the sum times 1/N.
    Record loss.data before the parameters move; return numbers, not Values.""",
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

add_hints(
    "not_zeroed_curve",
    """In the first epoch every .grad starts at 0. In the second, backward() adds the new
    gradient to the old one. What is each step then made of, after ten epochs?""",
    """Each step uses the sum of every gradient so far. Near the start they all point
    downhill, so the steps grow; past the minimum the old ones still push the same way.""",
    """The worked answer: (b). The first step is a plain gradient step, and the growing sum
    speeds the descent at first; but the sum remembers every old gradient, so the parameters
    overshoot the minimum and keep going like a ball with no friction: the loss climbs again
    and ends higher than with zeroing. Nothing raises an error.
        NOT_ZEROED_CURVE = "b\"""",
)

add_hints(
    "value_relu",
    """ReLU is two straight lines: max(0, x) is x on one side of 0 and 0 on the other. An
    operation returns a new Value that records its child and the local derivative, as
    __mul__ and tanh do in your class.""",
    """The local derivative is the slope of the line x lies on: one number for x > 0, another
    for x < 0 (section 3's relu_prime, for one number). The new Value has one child, v, and
    one local derivative.""",
    """The worked answer: for x > 0, max(0, x) = x has slope 1; for x < 0 it is the constant
    0, slope 0:
        return Value(max(0.0, v.data), (v,), (1.0 if v.data > 0 else 0.0,), "relu")""",
    derivation=True,
)

add_hints(
    "neuron_value",
    """Three methods. __init__ makes the parameters, each a Value (so backward() reaches
    them), from the rng it is given; __call__ builds the output from the parameters and the
    inputs with Value operations; parameters() lists the Values themselves.""",
    """The output is the sum of w_i · x_i over the inputs, plus b, then your ReLU unless
    nonlin is False. sum(..., start) can start from the bias Value. parameters() must return
    the very Values the output uses, or a training step moves something the output never
    reads.""",
    """The worked answer:
        def __init__(self, n_in, rng, nonlin=True):
            self.w = [Value(wi) for wi in rng.uniform(-1, 1, size=n_in)]
            self.b = Value(0.0)
            self.nonlin = nonlin

        def __call__(self, x):
            z = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
            return z.relu() if self.nonlin else z

        def parameters(self):
            return [*self.w, self.b]""",
)
