"""Hints for notebook 05, stochastic gradient descent (``check.hint("<exercise id>")``).

Tier 1 says what to think about, tier 2 the key relation in words or maths; only the last
tier writes the answer, with its reasoning.
"""

from ._hints import add_hints

add_hints(
    "minibatches",
    """Two promises: every sample exactly once per epoch, and a new random order every
    epoch. What object describes "the N samples in some order, each once"? Draw it from
    `rng`, then cut it.""",
    """An order of the row numbers 0 … N−1 in which each appears once is a permutation.
    Cut it into consecutive pieces of batch_size (the last piece holds what is left) and
    take the same rows from X and from y, so that each label stays with its sample.
    `yield` hands out one batch and waits for the next request.""",
    """The worked answer. A random permutation of the row numbers visits every sample once;
    slicing it into consecutive pieces makes the batches, the last one shorter when N is
    not a multiple of batch_size; indexing X and y with the same piece keeps the pairs:
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            rows = order[start : start + batch_size]
            yield X[rows], y[rows]""",
)

add_hints(
    "epoch_loss_example",
    """Each batch loss is a mean over that batch's own samples. Turn each back into a total
    first.""",
    """A batch of B_k samples with mean loss L_k holds a total loss B_k · L_k. The epoch's
    mean per sample is the total over all batches divided by the number of samples.""",
    """The worked answer. The totals are 4 · 1.0 = 4, 4 · 1.0 = 4 and 2 · 4.0 = 8, together
    16, over 10 samples:
        EPOCH_LOSS_EXAMPLE = 1.6
    The plain mean of the three batch losses, 2.0, would count each of the last batch's
    two samples twice as much as the others.""",
)

add_hints(
    "train_epoch",
    """Each batch makes one step of notebook 04's loop, with your minibatches giving the
    batches. For the result, think of EPOCH_LOSS_EXAMPLE: what you keep of each batch's loss
    so that every sample counts once.""",
    """The loss a batch reports is a mean over its samples; the epoch's mean per sample is
    (Σ_k B_k L_k) / N, with B_k the real size of batch k (the last may be smaller). Measure
    each batch's loss before its own step.""",
    """The worked answer. Forward, loss, backward from the loss's gradient, and the
    optimizer's step, once per batch; a running total of loss × batch size, divided by N at
    the end, gives the mean per sample:
        total = 0.0
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss = loss_fn.forward(model.forward(X_batch), y_batch)
            model.backward(loss_fn.backward())
            optimizer.step()
            total += loss * len(X_batch)
        return total / len(X)""",
)

add_hints(
    "predict_batch_per_epoch",
    """Count the steps: how many updates does each run make in 20 epochs of 256 samples?""",
    """B = 1 makes 256 steps per epoch, B = N one: in 20 epochs, 5120 noisy steps against 20
    exact ones, all at the same learning rate.""",
    """The worked answer:
        PREDICT_BATCH_PER_EPOCH = "a"
    Per epoch the number of steps wins: B = 1 makes 256 times as many updates as B = N.
    Per second the picture differs, since each of its steps is a tiny, unvectorised
    computation; the run below shows both.""",
)

add_hints(
    "momentum_velocity",
    """Write v after the first, second and third steps as multiples of −η g. What pattern
    do the factors follow?""",
    """v_1 = −η g, v_2 = −η g (1 + μ), v_3 = −η g (1 + μ + μ²): a geometric series. Where the
    velocity settles, one more step leaves it unchanged: v = μ v − η g.""",
    """The worked answer. The series 1 + μ + μ² + ... sums to 1 / (1 − μ), so v settles at
    −η g / (1 − μ) = −0.1 · 2 / 0.1:
        MOMENTUM_VELOCITY = -2.0
    The same from the fixed point: v = μ v − η g gives v (1 − μ) = −η g. The step is ten
    times the plain step −η g = −0.2: that is what momentum buys along a valley.""",
    derivation=True,
)

add_hints(
    "sgd",
    """Each parameter needs its own velocity, with the parameter's shape, that lives from
    one step() to the next. Where must it live so that the next call finds it again?""",
    """The velocities belong to the optimiser, so they live on self, one per parameter,
    made at the first step (the gradients exist only after a backward). Each step changes
    the stored velocity and then the parameter, both in place or written back: a name
    bound to a new array inside step() is gone at the next call.""",
    """The worked answer. One velocity per parameter, stored on self and created at the
    first step; each step updates the stored velocity, then moves the parameter in place:
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
    "adam_m_first_step",
    """Put the numbers into the update of m once: m0 = 0, β1 = 0.9, g = 1.""",
    """m ← β1 m + (1 − β1) g keeps 0.9 of the old m, which is 0, and adds 1 − 0.9 of g.""",
    """The worked answer: m = 0.9 · 0 + 0.1 · 1, so
        ADAM_M_FIRST_STEP = 0.1
    a tenth of the gradient, though the gradient has been 1 from the start.""",
)

add_hints(
    "bias_correction",
    """Take a constant gradient g and m0 = 0. Write m after one, two and three steps as a
    multiple of g.""",
    """m_1 = (1 − β) g, m_2 = (1 − β)(1 + β) g, m_3 = (1 − β)(1 + β + β²) g. The factor is
    (1 − β) times the geometric sum 1 + β + ... + β^(t−1): multiply that product out and see
    which terms cancel.""",
    """The worked answer. After t steps m_t = (1 − β)(1 + β + ... + β^(t−1)) g = (1 − β^t) g,
    so dividing m_t by 1 − β^t gives g exactly; the function's body:
        return 1 - beta**t
    At t = 1 it is 1 − β = 0.1, which turns ADAM_M_FIRST_STEP back into g; as t grows it
    tends to 1 and the correction fades.""",
    derivation=True,
)

add_hints(
    "adam",
    """What must survive from one step() to the next, as the velocities did for SGD? Think
    of each running mean, of each parameter, and of the number your bias_correction asks
    for: how many steps has a running mean taken when its correction is applied?""",
    """Per parameter an m and a v, both starting at 0, made at the first step and kept on
    self; one step counter for the whole optimiser, since every parameter's means take one
    step per step(). Per step: count the step (t is 1 at the first step), update m and v from
    the new gradient, divide each by its own bias_correction (β1 for m, β2 for v) into
    corrected copies m̂ and v̂, and move the parameter against m̂ / (√v̂ + ε), scaled by η.
    The stored m and v stay uncorrected: the running means go on from them.""",
    """The worked answer. The counter grows once per step(), before the correction uses
    it; m and v are running means with weights 1 − β on the new value; the corrected
    copies are used only in the update:
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
    "adam_first_step",
    """At the first step, m and v start from 0 and take in one gradient each. What are the
    corrected m̂ and v̂ after that step, in terms of g?""",
    """After one step the bias correction turns m̂ back into g and v̂ into g², exactly: that
    is what it was derived for. Put both into Adam's update, one coordinate at a time,
    with ε negligible: what is left of the gradient's size?""",
    """The worked answer. At t = 1, m̂ = g and v̂ = g², so each coordinate moves by
    −η g / √(g²) = −η g / |g|: η = 0.5 against the sign of its gradient, whatever the
    gradient's size. The gradient at (−9, 2) is (−0.18, 4), so
        ADAM_FIRST_STEP = (0.5, -0.5)
    Plain gradient descent at the same rate would move (0.09, −2): 22 times more across
    the valley than along it. Adam moves equally in both: diagonally.""",
    derivation=True,
)

add_hints(
    "predict_ravine_worst",
    """To overshoot, an optimiser must reach θ1 = 0 with a long step and keep going after the
    gradient along the valley, 0.02 θ1, has turned round. For each of the three: how long
    are its steps along the valley, and does anything in it remember the direction?""",
    """Two relations decide it. Step length: momentum's step is η times a velocity summed
    from the gradients themselves; RMSProp and Adam divide each gradient by a running root
    of its square, so their steps stay about η long whatever the gradient's size (your
    ADAM_FIRST_STEP). Memory: a running mean with decay β keeps about 1 / (1 − β) of the
    last gradients; which of the three has such a mean of the gradient itself, not only of
    its square?""",
    """The worked answer:
        PREDICT_RAVINE_WORST = "c"
    Adam moves about η = 0.5 along the valley from its first step, though the gradient there
    is 22 times smaller than across it, so it arrives at θ1 = 0 early and fast. Its m, with
    β1 = 0.9 a mean over about the last 10 gradients, still points forward for several steps
    after the gradient turns, and carries it far past. Momentum has that memory too, but its
    velocity is built from the small gradient 0.02 θ1, so it arrives slowly, at the end of
    the 40 steps. RMSProp has long steps but no memory of the direction: each step follows
    the sign of the current gradient, so it turns as soon as the gradient does. And (d) holds
    only for steps proportional to the gradient: Adam's are not.""",
)

add_hints(
    "ravine_lr_limit",
    """Do one step of gradient descent on θ2 alone, with the gradient 2 θ2. What is θ2
    multiplied by?""",
    """One step multiplies θ2 by a factor that depends on η. The distance |θ2| shrinks while
    that factor lies strictly between −1 and 1. Which end of that interval does a growing
    rate reach, and at which rate?""",
    """The worked answer. One step gives θ2 − η · 2 θ2 = (1 − 2η) θ2, so the distance is
    multiplied by |1 − 2η|, below 1 exactly when 0 < η < 1:
        RAVINE_LR_LIMIT = 1.0
    Below 0.5 the factor is positive (θ2 creeps towards the floor), at 0.5 it is 0 (one
    step lands on it), between 0.5 and 1 it is negative (θ2 crosses the floor and comes
    back closer), at 1 it is −1 (±2 for ever), and above 1 the jumps grow. The limit is
    2 divided by the curvature across the valley, here 2.""",
    derivation=True,
)

add_hints(
    "predict_lr_above_limit",
    """Compare 1.05 with your RAVINE_LR_LIMIT: below, at or above it? What does one step
    then multiply the distance |θ2| by?""",
    """Past the limit the size of the one-step factor is above 1: the distance is multiplied
    by more than 1 at every step, and 40 steps compound it.""",
    """The worked answer:
        PREDICT_LR_ABOVE_LIMIT = "c"
    At η = 1.05 the factor is 1 − 2 · 1.05 = −1.1: θ2 changes sign at every step and its
    size grows by 10 %, from 2 to 2 · 1.1⁴⁰ ≈ 90 after 40 steps. The run diverges.""",
)

add_hints(
    "lr_sweep",
    """Each rate gets its own run from the same start and the same batches, so that the
    runs differ only in the rate. Which numbers do you compare, and on which data?""",
    """Per rate: a model from make_model(), its optimizer from make_optimizer(model, lr), a
    generator np.random.default_rng(seed) of its own, `epochs` calls of your train_epoch on
    the training data, then the MSE on the validation data. The choice is the rate whose
    validation loss is lowest, never the training loss, which rewards fitting the noise.""",
    """The worked answer. A fresh model, optimiser and generator per rate keep the runs
    comparable; the loss that decides is measured on data the runs did not train on:
        X_train, y_train = train_data
        X_val, y_val = val_data
        losses = []
        for lr in lrs:
            model = make_model()
            optimizer = make_optimizer(model, lr)
            epoch_rng = np.random.default_rng(seed)
            for _ in range(epochs):
                train_epoch(model, MSELoss(), optimizer, X_train, y_train, batch_size, epoch_rng)
            losses.append(MSELoss().forward(model.forward(X_val), y_val))
        return losses, lrs[int(np.argmin(losses))]""",
)

add_hints(
    "raw_input_lr_limit",
    """Section 5's rule needs the curvature of the loss along w: its second derivative.
    Differentiate L(w) twice, with every x_i = 500.""",
    """dL/dw = (2/N) Σ (w x_i − y_i) x_i, so the curvature d²L/dw² = (2/N) Σ x_i²: it grows
    with the square of the input and does not depend on w or y. Put it into the rule of
    section 5, the largest stable rate being 2 over the curvature.""",
    """The worked answer. The curvature is (2/N) Σ x_i² = 2 · 500² = 500 000, so plain
    gradient descent is stable only below 2 / 500 000:
        RAW_INPUT_LR_LIMIT = 4e-6
    For standardised inputs, whose mean square is 1, the same derivation gives a curvature of
    2 and a limit of 1: 250 000 times larger.""",
    derivation=True,
)

add_hints(
    "constant_column_cause",
    """Print `0.1 + 0.2` and `np.full(7, 0.1).mean() - 0.1`. What do they tell you about
    decimal numbers in binary?""",
    """0.1 has no exact binary form, so every addition of such numbers rounds. The mean,
    summed in floating point, ends a rounding error (about eps times its size) away from
    the entries, and that error is what np.std measures.""",
    """The worked answer:
        CONSTANT_COLUMN_CAUSE = "b"
    The computed mean is off by about eps · 0.1; each entry then differs from it by that
    error, and the root of their mean square is the spread you found. In float32, eps is
    about 1e-7 instead of 2e-16, and the noise grows with it.""",
)

add_hints(
    "standardize",
    """Compute the mean and the standard deviation of each column of X_train only, and apply
    the same two numbers to every array. Then the constant column: the spread of seven 0.1s
    shows that its computed spread is noise, not 0. What decides how large that noise can
    get?""",
    """The noise is a few rounding errors of the column's values: about eps (the dtype's
    precision, np.finfo(dtype).eps) times the size of the values. A spread below a margin
    above that is no spread: divide such a column by 1, so it is only centred. Make sure a
    spread of exactly 0 counts as none too, and keep the dtype you are given.""",
    """The worked answer. The rounding noise of a column scales with eps times its largest
    |value|; a hundred times that is a safe margin, and `>` (not `<` with the test reversed)
    makes an all-zero column, whose margin is 0, count as constant:
        mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        tiny = 100 * np.finfo(std.dtype).eps * np.abs(X_train).max(axis=0)
        std = np.where(std > tiny, std, 1)
        return tuple((X - mean) / std for X in (X_train, *others))""",
)

add_hints(
    "early_stopping",
    """Three jobs per epoch: train, measure on the validation set, and remember the best so
    far. The optimiser keeps changing the model's arrays in place: what must "remember the
    weights" mean then, and how do the remembered values get back into the model?""",
    """Keep the lowest validation loss so far, its epoch, and a copy of the values of every
    parameter, taken whenever a strictly lower loss appears. The loop ends when patience
    epochs in a row have brought no new lowest, so the last epoch run lies patience epochs
    after the best. At the end the saved values are written into the model's own arrays,
    element by element: a name bound to a saved array changes nothing in the layers.""",
    """The worked answer. A copy freezes the values of the best epoch (the arrays themselves
    move on with every step); a strict < keeps the first of equal losses; the stop comes
    when the epoch is patience past the best; `param[...] = best` writes into the layer's
    own array:
        (X_train, y_train), (X_val, y_val) = train_data, val_data
        loss_fn = MSELoss()
        best_epoch, best_loss, best_params = 0, np.inf, None
        train_losses, val_losses = [], []
        for epoch in range(1, epochs + 1):
            train_losses.append(train_epoch(model, loss_fn, optimizer, X_train, y_train,
                                            batch_size, rng))
            val_losses.append(loss_fn.forward(model.forward(X_val), y_val))
            if val_losses[-1] < best_loss:
                best_epoch, best_loss = epoch, val_losses[-1]
                best_params = [param.copy() for param, _ in model.parameters()]
            elif epoch - best_epoch >= patience:
                break
        for (param, _), best in zip(model.parameters(), best_params, strict=True):
            param[...] = best
        return best_epoch, train_losses, val_losses""",
)
