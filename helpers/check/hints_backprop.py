"""Hints for notebook 03, the chain rule and backpropagation (``check.hint("<exercise id>")``)."""

from ._hints import add_hints

add_hints(
    "graph_backward_table",
    """Start at the output, where ∂f/∂f = 1, and go one node at a time. A local derivative
    belongs to one node alone: for f = q², how fast does f change when q changes? For
    q = s·z, how fast does q change when s changes and z is held fixed?""",
    """Local derivatives: d(q²)/dq = 2q; a product changes with one factor at the rate of
    the OTHER factor; a sum changes with each term at rate 1. Each product in the table is
    the gradient arriving from above times one local derivative, e.g.
    ∂f/∂s = ∂f/∂q · ∂q/∂s. Put in the forward values s = 4 and q = -8.""",
    """The worked answer, at x = 1, y = 3, z = -2 (forward: s = 4, q = -8, f = 64):
    ∂f/∂q = 2q = -16; ∂q/∂s = z = -2 and ∂q/∂z = s = 4 (the multiply node swaps);
    ∂f/∂s = -16 · (-2) = 32 and ∂f/∂z = -16 · 4 = -64; ∂s/∂x = ∂s/∂y = 1 (the add node
    passes the gradient on), so ∂f/∂x = ∂f/∂y = 32 · 1 = 32.
        GRAPH_BACKWARD_TABLE = {
            "df_dq": -16.0, "dq_ds": -2.0, "dq_dz": 4.0, "df_ds": 32.0, "df_dz": -64.0,
            "ds_dx": 1.0, "ds_dy": 1.0, "df_dx": 32.0, "df_dy": 32.0,
        }""",
    derivation=True,
)

add_hints(
    "graph_forward_backward",
    """Forward first, keeping every intermediate value as the table's nodes name them. Then
    backward from f, in the order of your GRAPH_BACKWARD_TABLE.""",
    """Your table holds every step at one point. The code makes the same steps with names
    instead of numbers: each local derivative is written with the forward values it needs
    (which input does the multiply node hand to which side?), and each product is the
    gradient arriving from above times one local derivative.""",
    """The worked answer. Forward: s = x + y, q = s·z, f = q². Backward: ∂f/∂q = 2q; the
    multiply node hands each side the other input, so ∂f/∂s = ∂f/∂q · z and
    ∂f/∂z = ∂f/∂q · s; the add node passes ∂f/∂s on to x and y unchanged:
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
    """Four local derivatives: that of the cube, the multiply node's (it swaps, as before),
    the add node's (it passes the gradient on), and that of u = sin x. The path to x passes
    one node more than the path to y, so df_dx has one factor more than df_dy.""",
    """The worked answer. Local derivatives: d(q³)/dq = 3q², ∂q/∂s = z, ∂q/∂z = s,
    ∂s/∂u = ∂s/∂y = 1 and du/dx = cos x; multiply them along each path:
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
    """The chain rule: d(u^(-1))/du = -u^(-2) and du/dz = -e^(-z); multiply them. Then split
    the result into two fractions with the denominator 1 + e^(-z) each. The first is σ(z).
    For the second, write 1 - σ(z) as one fraction and compare.""",
    """The worked answer. σ'(z) = e^(-z) / (1 + e^(-z))²
    = 1/(1 + e^(-z)) · e^(-z)/(1 + e^(-z)), and e^(-z)/(1 + e^(-z)) = 1 - 1/(1 + e^(-z)),
    so σ'(z) = σ(z)(1 - σ(z)). Compute σ(z) once with the stable sigmoid (the formula takes
    the output σ(z), not z; and e^(-z) itself overflows at z = -1000):
        s = sigmoid(z)
        return s * (1 - s)""",
    derivation=True,
)

add_hints(
    "tanh_prime",
    """Write tanh = sinh / cosh, with sinh' = cosh and cosh' = sinh, and use the quotient
    rule. Then write the result with tanh itself, as you did for the sigmoid.""",
    """The quotient rule gives (cosh·cosh - sinh·sinh) / cosh². Split that fraction in two and
    write the second part with tanh = sinh / cosh. (Or from notebook 01: tanh z = 2σ(2z) - 1,
    and the chain rule with your σ'.)""",
    """The worked answer. (cosh² - sinh²) / cosh² = 1 - (sinh/cosh)² = 1 - tanh²(z). Use
    np.tanh, which is safe for large z:
        return 1 - np.tanh(z) ** 2""",
    derivation=True,
)

add_hints(
    "relu_prime",
    """ReLU is two straight lines: z for z > 0 and 0 for z < 0. What is the slope of each
    line?""",
    """The slope of a straight line c·z is c. For the code: a comparison of an array with a
    number gives an array of booleans of the same shape, elementwise, and booleans turn into
    numbers.""",
    """The worked answer. The line z has slope 1 (z > 0), the line 0 has slope 0 (z < 0);
    at the kink z = 0 either side's slope is fine:
        return (np.asarray(z) > 0).astype(float)""",
    derivation=True,
)

add_hints(
    "predict_chain_depth",
    """With w = 1 and b = 0, each layer multiplies the gradient by the sigmoid's slope at its
    z, and by nothing else. How large can that slope be? Your sigmoid_prime knows.""",
    """After L layers the gradient is a product of L slopes, each at most the sigmoid's
    largest slope, and here close to it (after the first layer every z is a sigmoid's
    output, between 0 and 1). Find the smallest L for which (largest slope)^L < 10^-6:
    take logarithms.""",
    """The worked answer. σ' is at most σ'(0) = 0.25, and the z here lie between 0 and 1
    and settle near 0.66, where σ' is about 0.225 (the run prints this typical factor).
    0.225^9 ≈ 1.5·10^-6 is still above a millionth, 0.225^10 ≈ 3.3·10^-7 is below; even at
    the largest slope, 0.25^9 ≈ 3.8·10^-6 and 0.25^10 ≈ 9.5·10^-7 cross at the same depth:
        PREDICT_CHAIN_DEPTH = 10""",
    derivation=True,
)

add_hints(
    "chain_forward",
    """A warm-up: follow the arrow diagram from left to right. Each neuron computes
    z = w · input + b, then a = σ(z). The second neuron's input is the first one's
    activation.""",
    """The worked answer:
        z1 = w1 * x + b1
        a1 = sigmoid(z1)
        z2 = w2 * a1 + b2
        a2 = sigmoid(z2)""",
)

add_hints(
    "chain_deltas",
    """Walk from the loss down, one node at a time: L depends on a2, a2 = σ(z2) on z2,
    z2 = w2·a1 + b2 on w2, b2 and a1, a1 = σ(z1) on z1, z1 = w1·x + b1 on w1 and b1. Each
    entry is the entry before it (the gradient arriving) times one local derivative.""",
    """Local derivatives: differentiate ½(y - a2)² by a2 with the chain rule (inner function
    y - a2). Through a sigmoid: its slope at its input, which you derived in section 3 and
    can write with its output. Through z2 = w2·a1 + b2: the multiply node hands each side
    the other factor, the add node passes on. The first neuron repeats the pattern.""",
    """The worked answer, with a1 = 0.4763, a2 = 0.6090:
    ∂L/∂a2 = a2 - y = 0.5990; ∂L/∂z2 = ∂L/∂a2 · a2(1 - a2) = 0.1426;
    ∂L/∂w2 = ∂L/∂z2 · a1 = 0.0679; ∂L/∂b2 = ∂L/∂z2 · 1 = 0.1426;
    ∂L/∂a1 = ∂L/∂z2 · w2 = 0.0428; ∂L/∂z1 = ∂L/∂a1 · a1(1 - a1) = 0.01067;
    ∂L/∂w1 = ∂L/∂z1 · x = 0.000534; ∂L/∂b1 = ∂L/∂z1 = 0.01067.
        CHAIN_DELTAS = {
            "dL_da2": 0.599, "dL_dz2": 0.1426, "dL_dw2": 0.0679, "dL_db2": 0.1426,
            "dL_da1": 0.04279, "dL_dz1": 0.01067, "dL_dw1": 0.000534, "dL_db1": 0.01067,
        }""",
    derivation=True,
)

add_hints(
    "chain_backward",
    """Walk the chain backwards as you did by hand in CHAIN_DELTAS: dL/da2, dL/dz2, the
    gradients of w2 and b2; then dL/da1, dL/dz1 and the gradients of w1 and b1. Every value
    you need is in the cache.""",
    """Each line of the code is one entry of your CHAIN_DELTAS with names instead of numbers:
    the gradient arriving times one local derivative. A sigmoid's slope can be written with
    its output, which the cache holds (a1, a2); the multiply node z2 = w2·a1 hands a1 the
    factor w2.""",
    """The worked answer. ∂L/∂a2 = a2 - y; through σ: ∂L/∂z2 = ∂L/∂a2 · a2(1 - a2); from
    z2 = w2·a1 + b2: ∂L/∂w2 = ∂L/∂z2 · a1, ∂L/∂b2 = ∂L/∂z2, ∂L/∂a1 = ∂L/∂z2 · w2; the first
    neuron the same way with a1 and x:
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
    backward: the rule is a property of a list of the nodes. The graph only takes you from a
    node to its children, so ask for the mirror image: a list in which every node comes
    after all of its children (a topological order). Read from its end, what does such a
    list guarantee? And how can a walk that starts at the output build one from
    _children alone, each node listed once?""",
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
    "relative_error",
    """Start from the difference |a - b|: multiply both gradients by 1000 and see what it
    lacks. Then choose a scale to divide by that treats a and b alike, and test your choice
    on the cases the text lists: a = 1, b = -1; a = 1, b = 0; a = b = 0.""",
    """Divide by a scale built from both sizes, |a| and |b|, the same way from each. Of the
    symmetric scales, pick the one that makes the error exactly 1 for a = 1, b = -1 and for
    a = 1, b = 0. Keep the ratio of difference to scale as it is (a square or a root of it
    breaks property 6). Guard the case where the scale is 0, and only that case: a number
    added to the scale everywhere is not small next to gradients of size 1e-9, and breaks
    properties 1 and 3 there. For arrays: each entry's own
    error (its difference over its own scale), then the worst of them.""",
    """The worked answer. |a - b| / (|a| + |b|) is scale-free (a common factor cancels),
    symmetric, 0 for a = b, and never above 1 (|a - b| ≤ |a| + |b|), with 1 for opposite
    signs or when one of them is 0. For a and b close together the scale barely moves, so
    the error grows in proportion to |a - b| (property 6). Where both are 0, a tiny floor for
    the scale gives 0/tiny = 0. For arrays, the worst entry decides:
        a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
        scale = np.maximum(np.abs(a) + np.abs(b), 1e-12)
        return float(np.max(np.abs(a - b) / scale))
    Other formulas meet the six properties too (2|a - b| / (|a| + |b| + |a - b|), say) and
    pass; this one is the package's.""",
    derivation=True,
)

add_hints(
    "dz_one_sample",
    """One sample, so N = 1 and L = (a - y)². Go forward first: z = x · w + b, then a = σ(z).
    Then two links of the chain: how L changes with a, and how a changes with z.""",
    """∂L/∂z = ∂L/∂a · ∂a/∂z. The first comes from differentiating a square (no ½ in front
    this time, unlike section 4's loss); the second is the sigmoid's slope at z, written
    with a as in section 3. Evaluate both at z = 0.6·2 + 0.3·(-1) + 0.1.""",
    """The worked answer. Forward: z = 0.6·2 + 0.3·(-1) + 0.1 = 1.0, a = σ(1) ≈ 0.7311.
    ∂L/∂a = 2(a - y) ≈ 2·(-0.2689) = -0.5379 (the square's exponent comes down; section 4's
    ½ cancelled it, this loss has none). ∂a/∂z = a(1 - a) ≈ 0.1966. So
        DZ_ONE_SAMPLE = 2 * (0.7311 - 1) * 0.7311 * (1 - 0.7311)  # ≈ -0.1058""",
    derivation=True,
)

add_hints(
    "dw_two_samples",
    """Each sample has its own z_n, a_n and ∂L/∂z_n, and the loss is their mean: each
    sample's share carries a 1/N, here 1/2. How does w1 reach the loss through sample n?""",
    """∂L/∂w_j = Σ_n ∂L/∂z_n · ∂z_n/∂w_j, and ∂z_n/∂w_j is sample n's own input x_nj.
    ∂L/∂z_n is your DZ_ONE_SAMPLE's formula for sample n, divided by N = 2.""",
    """The worked answer. Sample 1 is DZ_ONE_SAMPLE's sample: z = 1.0, a ≈ 0.7311, y = 1,
    ∂L/∂z_1 = 2(a - y)a(1 - a)/2 ≈ -0.05288. Sample 2: z = 1·2 + (-0.5)·(-1) + 0.1 = 2.6,
    a ≈ 0.9309, y = 0, ∂L/∂z_2 = 2·0.9309·0.9309·0.0691/2 ≈ 0.05991. Each weight sums the
    shares, each times its own input: ∂L/∂w1 = 0.6·(-0.05288) + 1.0·0.05991 ≈ 0.02818 and
    ∂L/∂w2 = 0.3·(-0.05288) + (-0.5)·0.05991 ≈ -0.04582.
        DW_TWO_SAMPLES = [0.02818, -0.04582]""",
    derivation=True,
)

add_hints(
    "train_neuron",
    """Derive for one sample first: a = σ(z), z = x · w + b, and the sample's share of the
    loss (a - y)² / N. Chain rule: dL/da, then dL/dz (you have σ'), then dL/dw_j and dL/db.
    Then do all N samples at once with arrays: dz has shape (N,).""",
    """One sample: ∂L/∂a_n comes from the square and the 1/N; ∂a_n/∂z_n is the sigmoid's slope
    (section 3); ∂z_n/∂w_j = x_nj and ∂z_n/∂b = 1. The batch: ∂L/∂w_j sums dz_n · x_nj over
    the samples n; which product of X (N, D) and dz (N,) gives the (D,) array of these sums?
    Record the loss before the update of its epoch.""",
    """The worked answer. ∂L/∂a_n = 2(a_n - y_n)/N, ∂a_n/∂z_n = a_n(1 - a_n), so
    dz_n = 2(a_n - y_n) a_n(1 - a_n)/N; ∂L/∂w_j = Σ_n dz_n x_nj, which is X.T @ dz, and
    ∂L/∂b = Σ_n dz_n:
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
    "predict_lr100",
    """Two things to reason out. The ceiling: between which values do a sigmoid's output and
    a label lie, and so how large can their squared error, and its mean, get? The first epoch:
    the step is ten times as long as one that already worked, along the same gradient. On
    notebook 02's bowl, what did a step far longer than the limit do?""",
    """The ceiling: a lies between 0 and 1 and y is 0 or 1, so each (a - y)² is at most 1, and
    so is their mean, at every epoch. The first epoch: with lr = 10 the first step took the
    loss from 0.243 to 0.221, a step of about the right length; a step ten times as long in
    the same direction goes far past the bottom of the valley. Where does it land?""",
    """The worked answer: C. The ceiling: a sigmoid's output a lies in (0, 1) and each label
    y is 0 or 1, so every squared error (a - y)² is at most 1, and so is their mean: no epoch
    goes above 1, nor to inf or nan, whatever the learning rate (not B, not D). The first
    epoch: lr = 10's first step lowered the loss, from 0.243 to 0.221, and its curve went on
    falling, so a step of that length is about right. A step ten times as long overshoots
    the valley: the weights land so far out that z = Xw + b is large for most movies, the
    sigmoid saturates, a near 0 or 1, and wrong for many of them, and the loss lands above
    its start (not A).
        PREDICT_LR100 = "C\"""",
    derivation=True,
)

add_hints(
    "choose_learning_rate",
    """For each learning rate in lrs: one neuron trained on the training set, then one number
    that says how well it does on the validation set. Every run must start from the same
    weights: how does `seed` make that so?""",
    """A new generator made from seed for every run (not one generator shared by all runs)
    gives every run the same start. Score each neuron with the loss train_neuron minimises,
    computed on X_val and y_val, never on the training set; the position of the smallest
    score in val_losses is the position of the best learning rate in lrs.""",
    """The worked answer:
        val_losses = []
        for lr in lrs:
            w, b, _ = train_neuron(X_train, y_train, lr, epochs, np.random.default_rng(seed))
            val_losses.append(np.mean((sigmoid(X_val @ w + b) - y_val) ** 2))
        best_lr = lrs[int(np.argmin(val_losses))]
        return best_lr, np.array(val_losses)""",
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
    """After k epochs, each step is made of the k gradients so far, added up. Near the start,
    do they point the same way, and what does that do to the size of the steps? At the
    minimum the newest gradient is 0: is the step there 0 too?""",
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
