"""Stable ids for the mistakes the checks name: what the grader records and the class report counts.

Every hint a check can give is a :class:`Hint`, made with :func:`mistake` from an id listed
in :data:`MISTAKES`. A failed check carries the id as ``CheckFailed.mistake``:

- a listed id (``"sigmoid/sign-inside-exp"``) when the hint names a known mistake;
- ``None`` when the check failed without a known mistake (the grader records
  :data:`UNNAMED`, see :func:`mistake_id`);
- :data:`NOT_WRITTEN` for an exercise that is still its stub (``NotWrittenYet``).

Ids are ``<exercise or topic>/<the mistake>``, lower case with dashes. They are a contract
with the grader's ``results.json`` and the class report: never rename one (the list in
``tests/test_mistakes.py`` fails when an id changes); remove one only together with that
list, in a commit that says so.
The short name is what the self-check table and the report show; the hint text stays at
the check that gives it (where its numbers are at hand).
"""

from __future__ import annotations

__all__ = ["MISTAKES", "UNNAMED", "NOT_WRITTEN", "Hint", "mistake", "mistake_id", "short_name"]

#: What the grader records for a check that failed without naming a known mistake.
UNNAMED = "unnamed"
#: The id of an exercise that is still its stub ("not written yet").
NOT_WRITTEN = "not-written-yet"

#: Every mistake id a check can give, with its short name. Filled below, in notebook order.
MISTAKES: dict[str, str] = {
    NOT_WRITTEN: "not written yet",
    # --- every check: shapes, errors, calls ---
    "error/array-truth-value":
        "`if`, `and`, `or` and `max()` decide for one number, not a whole array",
    "error/generic": "read the error message and the line it points to",
    "error/matmul-shapes": "in a matrix product the inner sizes must match",
    "error/name-from-another-notebook":
        "`…` is not defined here (a function you wrote in another notebook…",
    "error/name-not-defined":
        "run the cells above this one first, or check the spelling of the name",
    "error/part-code-still-raises": "a part of your code still raises NotImplementedError",
    "error/two-arrays-incompatible-shapes":
        "two arrays of incompatible shapes met in an elementwise operation",
    "general/forget-return-statement-end": "did you forget the `return` statement at the end?",
    "general/pass-class-itself-instance": "pass the class itself, not an instance of it",
    "general/pass-function-itself-without": "pass the function itself, without calling it",
    "general/return-number-numpy-array": "return a number or a numpy array of numbers",
    "general/return-single-array-look":
        "return a single array (look for a stray comma after your return value)",
    "general/work-new-array-instead": "work on a new array instead",
    "shape/axes-swapped-transposed-matrix":
        "the axes are swapped: a transposed matrix somewhere? Rows are samples",
    "shape/axis-went-missing-sum":
        "an axis went missing: did you sum or average over an axis you should…",
    "shape/extra-axis-length-1": "there is an extra axis of length 1",
    "shape/extra-leading-axis-length": "there is an extra leading axis of length 1",
    "shape/generic": "compare the shapes of your intermediate arrays with the ones in the…",
    "shape/n-n-broadcast": "an (N,) array met an (N, 1) array and numpy broadcast them to (N, N)",
    "shape/number-expected":
        "a number was expected and you returned an array of shape (1,) holding…",
    "train/backward-from-loss-value":
        "backward starts from the loss's gradient, not from its value",
    # --- notebook 01, the neuron ---
    "accuracy/divide-number-right-predictions":
        "divide the number of right predictions by the number of samples",
    "accuracy/error-rate-count-predictions":
        "that is the error rate: count the predictions that are right",
    "accuracy/flatten-both-arrays-ravel": "flatten both arrays with `np.ravel` before comparing",
    "accuracy/n-n-broadcast": "an (N, 1) and an (N,) array broadcast to an (N, N) table",
    "accuracy/return-fraction-between-0": "return a fraction between 0 and 1, not a percentage",
    "affine/add-b-dont-subtract": "add b, don't subtract it",
    "affine/averaged-over-batch-keep": "you averaged over the batch",
    "affine/bias-missing-add-b": "the bias is missing: add b",
    "affine/compute-weighted-sum-x": "compute the weighted sum x @ w, then add b",
    "affine/return-value-per-sample": "return one value per sample",
    "affine/summed-over-batch-keep": "you summed over the batch",
    "affine/x-w-multiplies-element": "`x * w` multiplies element by element",
    "leaky_relu/alpha-argument-fixed-0": "use the `alpha` argument, not a fixed 0.01",
    "leaky_relu/below-zero-output-alpha": "below zero the output is alpha * z, not 0",
    "leaky_relu/negative-inputs-scaled-alpha": "only negative inputs are scaled by alpha",
    "leaky_relu/negative-side-gets-alpha": "it is the negative side that gets alpha",
    "neuron/activation-missing-apply-affine": "the activation is missing",
    "neuron/add-bias-activation": "add the bias before the activation, not after",
    "neuron/apply-activation-affine-map": "apply the activation after the affine map, not to x",
    "neuron/bias-missing": "the bias is missing",
    "perceptron/add-1-count-time":
        "add 1 to the count each time a point's prediction differs from its…",
    "perceptron/append-number-mistakes-list":
        "append the number of mistakes to a list at the end of every epoch",
    "perceptron/bias-needs-update-b": "the bias needs its update too",
    "perceptron/count-mistake-whenever-prediction":
        "count a mistake whenever the prediction differs from y, and return…",
    "perceptron/count-points-perceptron-gets":
        "count the points the perceptron gets wrong (those that trigger an…",
    "perceptron/end-return-w-b": "end with `return w, b, mistakes_per_epoch`",
    "perceptron/lr-argument-update-w": "use the `lr` argument in the update",
    "perceptron/mistake-move-w-towards": "on a mistake, move w towards the point",
    "perceptron/shuffle-rng-argument-rng":
        "shuffle with the `rng` argument (rng.permutation), not np.random",
    "perceptron/start-zeros-w-zeros":
        "start from zeros (w = np.zeros(D), b = 0.0) and scale the whole…",
    "relu/keep-positive-part-max": "keep the positive part, max(0, z), not the negative one",
    "relu/negative-inputs-become-0": "negative inputs become 0, not positive",
    "relu/relu-upper-limit-large": "ReLU has no upper limit: large inputs pass through unchanged",
    "sigmoid/exp-z-overflows-z":
        "np.exp(-z) overflows for z = -1000 (e^1000 is far beyond the largest…",
    "sigmoid/large-z-take-exp": "for large |z| take exp only of a negative number",
    "sigmoid/np-where-both-branches":
        "np.where(cond, a, b) computes both a and b for every z before it…",
    "sigmoid/parenthesise-denominator-1-1": "parenthesise the denominator",
    "sigmoid/sigmoid-0-0-5": "sigmoid(0) is 0.5: nothing is subtracted",
    "sigmoid/sign-inside-exp": "check the sign inside np.exp",
    "sigmoid/tanh-sigmoid-runs-0": "that is tanh: the sigmoid runs from 0 to 1",
    "step/sign-gives-1-below": "np.sign gives -1 below zero and 0 at zero",
    "step/step-0-1-compare": "step(0) should be 1: compare with `z >= 0`, not `z > 0`",
    "step/step-upside-1-z": "the step is upside down: 1 for z >= 0, 0 below",
    "tanh/2-sigmoid-z-1": "2 * sigmoid(z) - 1 is tanh(z / 2)",
    "tanh/exp-1000-overflows-inf": "np.exp(1000) overflows and inf / inf is nan",
    "tanh/inf-inf-nan-tanh": "inf / inf is nan: use np.tanh, or 2 * sigmoid(2 * z) - 1",
    "tanh/sigmoid-tanh-runs-1": "that is the sigmoid: tanh runs from -1 to 1",
    "tanh/sign-flipped-tanh-z": "the sign is flipped: tanh(z) > 0 for z > 0",
    "xor_network/end-return-w1-b1": "end with `return W1, b1, w2, b2`",
    "xor_network/network-computes-xor-let":
        "the network computes …: XOR is OR and not AND, so let one hidden…",
    "xor_network/output-inverted-xnor": "the output is inverted: that is XNOR",
    "xor_network/w1-transposed":
        "your W1 is transposed: the hidden layer computes X @ W1, so column j…",
    "xor_network/work-out-paper-hidden":
        "work it out on paper: hidden neuron 1 = OR, hidden neuron 2 = AND,…",
    # --- notebook 02, gradient descent ---
    "derivative/2-h-divides-2": "`/ 2 * h` divides by 2 and then MULTIPLIES by h",
    "derivative/backward-difference-f-x": "that is the backward difference (f(x) − f(x − h)) / h",
    "derivative/compute-f-x-h": "compute (f(x + h) − f(x − h)) / (2 * h) with the h argument",
    "derivative/default-step-h-1": "the default step is h=1e-5",
    "derivative/forward-difference-f-x": "that is the forward difference (f(x + h) − f(x)) / h",
    "derivative/h-given-fixed-1": "use the `h` you are given, not a fixed 1e-5",
    "derivative/missing-two-points-2":
        "the ½ is missing: the two points are 2h apart, so divide by 2 * h",
    "fit_linear/append-loss-once-per": "append the loss once per step, just before the update",
    "fit_linear/b-never-changes-update": "b never changes: update it too, b = b - lr * db",
    "fit_linear/end-return-w-b": "end with `return w, b, losses`",
    "fit_linear/loss-never-changes-update":
        "the loss never changes: update w and b inside the loop, using the…",
    "fit_linear/losses-shifted-by-one": "the losses are shifted by one step",
    "fit_linear/return-w-b-last": "return the w and b of the last update (the losses were right)",
    "fit_linear/start-w-zeros-d":
        "start from w = np.zeros(D) and b = 0.0 and record the loss before the…",
    "fit_linear/step-loss-gradients-current":
        "each step: loss and gradients at the current w, b, then w -= lr * dw…",
    "general/i-changes-callers-array": "`… -= ...` or `…[i] += ...` changes the caller's array",
    "gradient_descent/collect-x0-new-x":
        "collect x0 and every new x in a list and return np.array(that_list),…",
    "gradient_descent/iterates-climb-step-against":
        "the iterates climb: step against the gradient, x = x - lr * grad(x)",
    "gradient_descent/learning-rate-missing-x": "the learning rate is missing",
    "gradient_descent/n-steps-updates-give": "n_steps updates give n_steps + 1 points",
    "gradient_descent/row-starting-point-x0": "the first row must be the starting point x0",
    "gradient_descent/rows-repeat-last-point": "the rows repeat the last point",
    "gradient_descent/start-x0-repeat-n": "start from x0, then repeat n_steps times",
    "gradient_descent/starting-point-x0-missing": "the starting point x0 is missing",
    "lr_diverges/assign-plain-number-lr": "assign a plain number, e.g",
    "lr_diverges/choose-ordinary-number-few": "choose an ordinary number",
    "lr_diverges/diverge-slowly-see-make": "that does diverge, but too slowly to see",
    "lr_diverges/learning-rate-positive-find": "a learning rate is positive",
    "lr_diverges/oscillating-diverging-step-overshoots": "oscillating is not diverging",
    "lr_diverges/step-gets-closer-without": "every step gets closer, without passing the minimum",
    "lr_diverges/swings-constant-size-neither":
        "swings of constant size are neither converging nor diverging",
    "mse/average-squared-errors-over": "average the squared errors over the samples with np.mean",
    "mse/mean-squared-errors": "no ½ here: just the mean of the squared errors",
    "mse/mean-y-pred-y": "np.mean((y_pred - y) ** 2), after flattening both with np.ravel",
    "mse/n-n-broadcast": "an (N, 1) array minus an (N,) array broadcasts to an (N, N) table of…",
    "mse/n-n-broadcast-2": "an (N, 1) array minus an (N,) array broadcasts to an (N, N) table of…",
    "mse/square-error-average-other":
        "square each error first, then average (not the other way round)",
    "mse/square-error-averaging-they": "square each error before averaging, or they cancel out",
    "mse/square-errors-instead-taking": "square the errors instead of taking their absolute value",
    "mse/square-root-rmse": "no square root: that is the RMSE",
    "mse/sum-squared-errors-divide": "that is the sum of squared errors",
    "mse_gradients/x-for-x-t": "use X.T @ err, not X @ err",
    "mse_gradients/1-n-mean-missing": "the 1/N of the mean is missing",
    "mse_gradients/both-2-1-n": "both the 2 and the 1/N are missing",
    "mse_gradients/db-2-n-x": "db = (2/N) Σ (X @ w + b − y)",
    "mse_gradients/dw-2-n-x": "dw = (2/N) X.T @ (X @ w + b − y)",
    "mse_gradients/elementwise-for-matmul":
        "X.T * err multiplies element by element and keeps one column per…",
    "mse_gradients/end-return-dw-db": "end with `return dw, db`",
    "mse_gradients/factor-2-differentiating-square":
        "the factor 2 from differentiating the square is missing",
    "mse_gradients/sign-flipped-error-y":
        "the sign is flipped: the error is ŷ − y = X @ w + b − y, not y − ŷ",
    "numerical_gradient/entry-same-nudged-all":
        "every entry is the same: you nudged all coordinates at once",
    "numerical_gradient/forward-difference-central-f": "that is the forward difference",
    "numerical_gradient/h-given-fixed-1": "use the `h` you are given, not a fixed 1e-5",
    "numerical_gradient/i-copy-x-add":
        "for each i: copy x, add h to entry i of one copy and subtract it from…",
    "numerical_gradient/missing-divide-2-h": "the ½ is missing: divide by 2 * h",
    "numerical_gradient/nudge-copy-x-plus":
        "nudge a copy (`x_plus = x.copy()`, then `x_plus[i] += h`), or put…",
    "numerical_gradient/nudged-coordinate-once-x": "you nudged every coordinate at once (x + h)",
    "numerical_gradient/nudges-pile-make-fresh":
        "the nudges pile up: make fresh copies of x for every coordinate,…",
    # --- notebook 03, backpropagation ---
    "chain/return-dict": "return a dict with the named keys",
    "chain/return-keys": "return the keys …",
    "chain_backward/l-a1-l-z2": "∂L/∂a1 = ∂L/∂z2 · w2: the factor w2 is missing",
    "chain_backward/l-a2-a2-y": "∂L/∂a2 = a2 − y for L = ½(y − a2)²: the sign is flipped",
    "chain_backward/l-w1-l-z1": "∂L/∂w1 = ∂L/∂z1 · x: the factor x is missing",
    "chain_backward/l-w2-l-z2": "∂L/∂w2 = ∂L/∂z2 · a1: the factor a1 (the input of w2) is missing",
    "chain_backward/multiply-backwards-l-a2":
        "multiply backwards: ∂L/∂a2 = a2 − y, ∂L/∂z2 = ∂L/∂a2·a2(1 − a2), then…",
    "chain_backward/read-values-cache-store": "read the values from the cache",
    "chain_backward/sigmoids-slope-a1-1": "the sigmoid's slope a1(1 − a1) is missing from ∂L/∂z1",
    "chain_backward/sigmoids-slope-a2-1": "the sigmoid's slope a2(1 − a2) is missing from ∂L/∂z2",
    "chain_backward/z1-a1-1-a1": "σ′(z1) = a1(1 − a1): you took σ(a1) where σ(z1) belongs",
    "chain_backward/z1-b1-1-bias": "∂z1/∂b1 = 1: the bias gradient is ∂L/∂z1 itself, without x",
    "chain_backward/z2-a2-1-a2":
        "σ′(z2) = a2(1 − a2): you took σ(a2), the sigmoid applied twice, where…",
    "chain_backward/z2-b2-1-bias": "∂z2/∂b2 = 1: the bias gradient is ∂L/∂z2 itself, without a1",
    "chain_backward/z2-z2-1-z2": "σ′(z2) = σ(z2)(1 − σ(z2)) = a2(1 − a2)",
    "chain_forward/apply-sigmoid-a1-z1": "apply the sigmoid: a1 = σ(z1)",
    "chain_forward/apply-sigmoid-a2-z2": "apply the sigmoid: a2 = σ(z2)",
    "chain_forward/bias-b1-missing-z1": "the bias b1 is missing: z1 = w1·x + b1",
    "chain_forward/bias-b2-missing-z2": "the bias b2 is missing: z2 = w2·a1 + b2",
    "chain_forward/second-neuron-takes-a1":
        "the second neuron takes a1 = σ(z1), the first neuron's activation,…",
    "chain_forward/z1-w1-x-b1": "z1 = w1·x + b1, a1 = σ(z1), z2 = w2·a1 + b2, a2 = σ(z2)",
    "graph/compute-forward-pass-step": "compute the forward pass step by step",
    "graph/end-return-f-df": "end with `return f, (df_dx, df_dy, df_dz)`",
    "graph/go-backwards-through-graph": "go backwards through the graph",
    "graph/return-derivatives-order-x": "return the derivatives in the order x, y, z",
    "graph_exercise/d-q-dq-3":
        "after d(q³)/dq = 3q², multiply by the local derivatives of q = s·z",
    "graph_exercise/d-sin-x-dx": "d(sin x)/dx is +cos x, not -cos x",
    "graph_exercise/d-sin-x-dx-2": "d(sin x)/dx is cos x: you multiplied by sin x",
    "graph_exercise/derivative-q-3-q": "the derivative of q³ is 3q², not 2q",
    "graph_exercise/df-dx-missing-local": "df/dx is missing the local derivative of sin",
    "graph_forward_backward/d-q-dq-2":
        "after d(q²)/dq = 2q, multiply by the local derivatives dq/ds = z and…",
    "graph_forward_backward/derivative-q-2-q": "the derivative of q² is 2q",
    "graph_forward_backward/dq-dz-q-s": "dq/dz for q = s·z is s = x + y, not z",
    "graph_forward_backward/local-derivatives-q-s":
        "those are only the local derivatives of q = s·z",
    "relu_prime/other-way-round-slope": "it is the other way round",
    "relu_prime/pick-value-0-1": "pick a value in [0, 1] at z = 0",
    "relu_prime/relu-itself-slope-1": "that is ReLU itself: its slope is 1 for z > 0 and 0 below",
    "relu_prime/sign-gives-1-below": "np.sign gives −1 below zero",
    "relu_prime/z-0-relu-flat": "for z < 0 ReLU is flat (always 0), so its slope there is 0",
    "sigmoid_prime/1-takes-sigmoids-output": "a·(1 − a) takes the sigmoid's output a = σ(z)",
    "sigmoid_prime/1-z-second-factor": "it is 1 − σ(z) in the second factor, not 1 + σ(z)",
    "sigmoid_prime/build-sigmoid-prime-stable":
        "build sigmoid_prime on a stable sigmoid, such as the one above",
    "sigmoid_prime/exp-overflowed-build-sigmoid":
        "an np.exp overflowed: build sigmoid_prime on a stable sigmoid, such…",
    "sigmoid_prime/sign-flipped-sigmoid-rises":
        "the sign is flipped: the sigmoid rises, so its slope is positive",
    "sigmoid_prime/z-both-factors-z":
        "use σ(z) in both factors: σ(z)·(1 − σ(z)), not σ(z)·(1 − z)",
    "sigmoid_prime/z-itself-derivative-z":
        "that is σ(z) itself: its derivative is σ(z)·(1 − σ(z))",
    "tanh_prime/1-takes-tanhs-output": "1 − a² takes tanh's output a = tanh(z)",
    "tanh_prime/sign-flipped-1-tanh": "the sign is flipped: it is 1 − tanh(z)², which is positive",
    "tanh_prime/square-tanh-1-tanh": "square the tanh: 1 − tanh(z)², not 1 − tanh(z)",
    "tanh_prime/square-tanh-z-z": "square tanh(z), not z: 1 − tanh(z)²",
    "tanh_prime/tanh-z-2-2": "tanh(z) = 2σ(2z) − 1, so its derivative is 4σ(2z)(1 − σ(2z))",
    "train_neuron/derivative-y-2-y": "the derivative of (a − y)² is 2(a − y)",
    "train_neuron/draw-initial-weights-rng":
        "draw the initial weights with the `rng` argument (rng.normal), not…",
    "train_neuron/end-return-w-b": "end with `return w, b, losses`",
    "train_neuron/learning-rate-w-lr": "use the learning rate: w -= lr * dw",
    "train_neuron/loss-mean-over-n": "the loss is the mean over the N samples",
    "train_neuron/per-epoch-x-w":
        "per epoch: a = σ(X @ w + b), dz = 2(a − y)·a(1 − a)/N, dw = X.T @ dz,…",
    "train_neuron/record-mean-y-2": "record np.mean((a - y) ** 2) once per epoch",
    "train_neuron/sigmoids-slope-1-missing": "the sigmoid's slope a(1 − a) is missing from dz",
    "train_neuron/start-small-weights-take":
        "start from small weights and take 300 gradient steps",
    "train_neuron/start-w-0-start":
        "you start from w = 0: start from w = rng.normal(0, 0.1, size=D),…",
    "train_neuron/start-w-rng-normal":
        "start from w = rng.normal(0, 0.1, size=D), drawn from the `rng`…",
    "train_neuron/step-against-gradient-w": "step against the gradient",
    "train_neuron/weights-move-second-epoch": "the weights did not move in the second epoch",
    "value/1-1-local-derivatives":
        "1 and 1 are the local derivatives of +; for c = a·b they are b (for…",
    "value/1-t-takes-t": "1 − t² takes t = tanh(x), the output, not x",
    "value/backward-starts-output-set": "backward starts at the output",
    "value/gradient-not-accumulated": "a Value used twice receives gradient from both uses",
    "value/keep-parts-class-given": "keep the parts of the class that were given",
    "value/square-tanh-1-t": "square the tanh: 1 − t², not 1 − t",
    "value/swap-them-dc-da": "swap them: dc/da = b and dc/db = a for c = a·b",
    "value/tanh-x-itself-derivative": "that is tanh(x) itself: its derivative is 1 − tanh(x)²",
    "value/topological-order": "a node passed its gradient on before every node that uses it had…",
    # --- notebook 04, the MLP ---
    "activation-layer/compute-derivative-kept-output":
        "compute the derivative from the kept output",
    "activation-layer/exp-large-number-overflows": "np.exp of a large number overflows",
    "layer/backward-reads-self-forward": "backward reads self.…, which forward did not store",
    "layer/backward-returns-dx-gradient":
        "backward returns dx, the gradient for the layer's input, so that the…",
    "layer/gradient-accumulated": "backward sets the gradient, it does not add to it",
    "layer/layer-follows-contract-forward":
        "every layer follows the contract forward(x), backward(dout),…",
    "layer/layer-without-weights-yields": "a layer without weights yields nothing",
    "linear/dw-wrong": "dW is not x.T @ dout",
    "linear/db-wrong": "db is not dout.sum(axis=0)",
    "linear/dx-w-not-transposed": "dx = dout @ W, where W.T belongs",
    "linear/dx-wrong": "dx is not dout @ W.T",
    "linear/add-b-dont-subtract": "add b, don't subtract it",
    "linear/backward-returns-dx-dout":
        "backward returns dx = dout @ W.T, the gradient for the layer's input",
    "linear/backward-stores-gradient-parameter": "backward stores the gradient of each parameter",
    "linear/bias-missing-x-w": "the bias is missing: x @ W + b",
    "linear/bias-shared-sample-sum": "the bias is shared by every sample",
    "linear/course-writes-layer-x":
        "the course writes the layer as x @ W + b, with x of shape (N, n_in)",
    "linear/db-dout-mean-axis": "db = dout.mean(axis=0) averages",
    "linear/db-zero-store-db": "db is zero: store db = dout.sum(axis=0)",
    "linear/draw-weights-random-rng": "draw the weights at random (rng.normal)",
    "linear/draw-weights-rng-argument":
        "draw the weights from the `rng` argument (rng.normal(...)), not from…",
    "linear/dw-transposed": "dW = dout.T @ x is transposed",
    "linear/dw-transposed-2": "dW = dout.T @ x is the transpose",
    "linear/dw-x-t-dout": "dW = x.T @ dout, without dividing by N: the loss's backward already…",
    "linear/dx-dout-w-t": "dx = dout @ W.T, without dividing by N",
    "linear/dx-dout-w-t-2": "dx = dout @ W.T: (N, D_out) @ (D_out, D_in)",
    "linear/make-bias-dimensional-zeros":
        "make the bias one-dimensional, np.zeros(n_out) rather than…",
    "linear/pair-parameter-gradient-yield": "pair each parameter with its gradient",
    "linear/scale-random-weights-rng":
        "scale the random weights: rng.normal(0, np.sqrt(2 / (n_in + n_out)),…",
    "linear/store-parameters-self-w":
        "store the parameters as self.W, shape (n_in, n_out), and self.b,…",
    "linear/sum-over-batch-axis": "sum over the batch axis only",
    "linear/yield-parameter-arrays-themselves":
        "yield the parameter arrays themselves, not copies",
    "linear/yield-self-w-self": "yield self.W, self.dW and then yield self.b, self.db",
    "mse_loss/2-n-missing-dpred":
        "the 2/N is missing: dpred = 2 * (pred − y) / N, with N the number of…",
    "mse_loss/average-over-element-over": "average over every element, not only over the rows",
    "mse_loss/average-over-samples-mean": "average over the samples: np.mean, not np.sum",
    "mse_loss/divide-element-pred-size": "divide by every element, pred.size, not only the rows",
    "mse_loss/divide-number-elements-dpred": "divide by the number of elements",
    "mse_loss/factor-2-square-missing": "the factor 2 from the square is missing",
    "mse_loss/half-mean-1-2": "that is half the mean: no 1/2 in this loss",
    "mse_loss/loss-forward-pred-y":
        "a loss has forward(pred, y), returning a number, and backward(),…",
    "mse_loss/sign-flipped-derivative-pred":
        "the sign is flipped: the derivative of (pred − y)² in pred is +2…",
    "mse_loss/square-differences-averaging": "square the differences before averaging",
    "relu_layer/gradient-passes-where-x": "the gradient passes where x > 0, not where x < 0",
    "relu_layer/keep-positive-part-maximum": "keep the positive part: np.maximum(x, 0)",
    "relu_layer/mask-comes-input-where":
        "the mask comes from the INPUT (where x > 0), not from dout",
    "relu_layer/multiply-dout-mask-0": "multiply dout by the mask (0 or 1), not by the output",
    "relu_layer/multiply-mask-dout-chain": "multiply the mask by dout (the chain rule)",
    "relu_layer/negative-inputs-become-0": "negative inputs become 0, not positive",
    "relu_layer/zero-gradient-where-x": "zero the gradient where x <= 0",
    "sequential/backward-runs-last-layer":
        "backward runs from the last layer to the first (reversed(self.layers))",
    "sequential/dout-layer-backward-dout":
        "dout = layer.backward(dout) for each layer in reverse, then return…",
    "sequential/forward-runs-layer-once":
        "forward runs each layer once, first to last, feeding each the…",
    "sequential/go-through-layer-layer": "go through every layer: `for layer in self.layers",
    "sequential/init-takes-list":
        "write def __init__(self, *layers) and keep self.layers = list(layers)",
    "sequential/keep-layers-self-layers": "keep the layers as self.layers = list(layers)",
    "sequential/return-layers-dx-gradient": "return the first layer's dx",
    "sequential/x-layer-forward-x": "x = layer.forward(x) for each layer, then return x",
    "sequential/yield-layers-pairs-exactly": "yield each layer's pairs exactly once",
    "sequential/yield-pair-layer-flattened": "yield every pair of every layer, flattened",
    "sigmoid_layer/1-minus-sign-plus": "σ' = a (1 − a): a minus sign, not a plus",
    "sigmoid_layer/1-uses-output-x": "σ' = a (1 − a) uses the OUTPUT a = σ(x), not the input x",
    "sigmoid_layer/check-sign-x-1": "check the sign: σ(x) = 1 / (1 + exp(-x))",
    "sigmoid_layer/derivative-sigmoid-1": "the derivative of the sigmoid is a (1 − a), not a",
    "sigmoid_layer/derivative-sigmoid-1-1":
        "the derivative of the sigmoid is a (1 − a), not (1 − a)",
    "sigmoid_layer/multiply-dout-chain-rule": "multiply by dout (the chain rule)",
    "sigmoid_layer/tanh-sigmoid-runs-0": "that is tanh: the sigmoid runs from 0 to 1",
    "tanh_layer/multiply-dout-chain-rule": "multiply by dout (the chain rule)",
    "tanh_layer/sigmoid-tanh-runs-1": "that is the sigmoid: tanh runs from -1 to 1",
    "tanh_layer/sigmoids-derivative-tanh-1": "that is the sigmoid's derivative",
    "tanh_layer/tanh-1-minus-sign": "tanh' = 1 − a²: a minus sign, not a plus",
    "tanh_layer/tanh-1-square-output": "tanh' = 1 − a²: square the output",
    "tanh_layer/tanh-1-uses-output": "tanh' = 1 − a² uses the OUTPUT a = tanh(x), not the input x",
    "train/append-loss-fn-forward":
        "append loss_fn.forward(...) once per epoch, before the update",
    "train/collect-epochs-loss-list": "collect each epoch's loss in a list and return it",
    "train/epoch-pred-model-forward": "each epoch: pred = model.forward(X)",
    "train/loss-grows-step-against":
        "the loss grows: step against the gradient, param -= lr * grad",
    "train/parameters-never-change-update": "the parameters never change",
    "train/record-loss-epoch-update": "record the loss of each epoch before its update",
    "train/step-lr-grad-factor": "step by lr * grad (no factor 2)",
    "train/update-parameters-model-itself":
        "update the parameters of `model` itself, in place, and do not rebuild…",
    # --- notebook 05, SGD and optimisers ---
    "adam/1-2-swapped-m": "β1 and β2 are swapped: m (the mean of g) uses β1 = 0.9 and v (the…",
    "adam/1-2-swapped-m-2": "β1 and β2 are swapped: m (the mean of g) uses beta1, v (the mean of…",
    "adam/add-eps-square-root": "add eps after the square root",
    "adam/all-parameters-share-m": "all parameters share one m and one v",
    "adam/beta1-beta2-arguments-fixed":
        "use the beta1 and beta2 arguments, not fixed 0.9 and 0.999",
    "adam/divide-m-1-1": "divide m by 1 − β1ᵗ and v by 1 − β2ᵗ (bias correction)",
    "adam/eps-argument-fixed-1": "use the eps argument, not a fixed 1e-8",
    "adam/paper-efficient-form":
        "that is the Adam paper's \"efficient\" form, lr · √(1 − β2ᵗ) / (1 −…",
    "adam/step-against-gradient-param": "step against the gradient",
    "adam/step-counter": "the bias correction divides by 1 − β1ᵗ, which is 0 when t = 0",
    "adam/step-counter-t-stays": "the step counter t stays at 1",
    "adam/t-grows-once-per": "t grows once per parameter",
    "adam/without-bias-correction-step":
        "without bias correction the first step is √1000 ≈ 3.2 times too long",
    "minibatches/last-batch-dropped": "the last, smaller batch is dropped",
    "minibatches/samples-missing": "samples missing from an epoch",
    "minibatches/batch-size-n-gives": "a batch_size of N (or more) gives one batch",
    "minibatches/cut-shuffled-order-consecutive":
        "cut the shuffled order into consecutive slices of batch_size",
    "minibatches/draw-new-permutation-rng": "draw a new permutation from `rng` on each call",
    "minibatches/draw-order-without-replacement": "draw the order without replacement",
    "minibatches/index-x-y-same": "index X and y with the same row numbers",
    "minibatches/select-same-rows-y": "select the same rows of y as of X: `y[idx]`",
    "minibatches/select-whole-rows-x":
        "select whole rows of X: `X[idx]` with an array of row numbers idx",
    "minibatches/shuffle-rng-argument-rng":
        "shuffle with the `rng` argument (rng.permutation), not np.random, so…",
    "minibatches/shuffle-row-numbers-rng":
        "shuffle the row numbers with rng.permutation(N) and cut them into…",
    "minibatches/shuffle-start-epoch-order": "shuffle at the start of every epoch",
    "minibatches/shuffle-x-y-permutation": "shuffle X and y with ONE permutation",
    "minibatches/yield-both-halves-batch": "yield both halves of a batch",
    "optimizer/define-def-step-self": "define `def step(self):` in the class",
    "optimizer/read-pairs-self-model":
        "read the pairs from `self.model.parameters()` inside step(), not once…",
    "optimizer/update-parameter-place-param":
        "update each parameter in place, `param -= lr * grad`",
    "optimizer/update-parameter-place-param-2": "update each parameter in place",
    "sgd/dampened-momentum":
        "v ← μ v + (1 − μ) g is a dampened (averaging) momentum, whose steps…",
    "sgd/momentum-effect-keep-velocity":
        "momentum has no effect: keep one velocity per parameter on self…",
    "sgd/multiply-gradient-lr": "multiply the gradient by lr",
    "sgd/multiply-old-velocity-momentum":
        "multiply the old velocity by momentum, not by 1 − momentum",
    "sgd/nesterov-momentum":
        "that is Nesterov momentum, which steps from the looked-ahead point (g…",
    "sgd/shared-velocity": "all parameters share one velocity",
    "sgd/step-against-gradient-param": "step against the gradient",
    "standardize/came-back-unchanged-scale": "… came back unchanged: scale every argument",
    "standardize/centred-columns-divide-them":
        "you centred the columns: divide them by their standard deviation too",
    "standardize/compute-mean-standard-deviation":
        "compute one mean and one standard deviation per column",
    "standardize/divide-standard-deviation-x":
        "divide by the standard deviation (X.std), not by the variance",
    "standardize/return-array-per-argument":
        "return one array per argument, X_train and every array in *others",
    "standardize/rows-samples-take-statistics":
        "rows are samples: take the statistics down each column (axis=0), not…",
    "standardize/scaled-statistics-training-mean": "… was scaled by its own statistics",
    "standardize/statistics-came-all-arrays":
        "the statistics came from all arrays together, so the test data leaks…",
    "standardize/subtract-column-means-x":
        "subtract the column means of X_train, then divide by its column…",
    "standardize/subtract-mean-dividing-standard":
        "subtract the mean before dividing by the standard deviation",
    "standardize/zero-spread-division": "a column with zero spread gives 0 / 0",
    "train_epoch/batch-needs-pred-model": "every batch needs: pred = model.forward(X_batch)",
    "train_epoch/batchs-loss-average-over": "that is the first batch's loss",
    "train_epoch/call-loss-fn-forward": "call loss_fn.forward(prediction, y_batch) once per batch",
    "train_epoch/divide-weighted-sum-number": "divide the weighted sum by the number of samples N",
    "train_epoch/feed-model-backward-gradient":
        "feed model.backward the gradient from loss_fn.backward(), and pass…",
    "train_epoch/last-batchs-loss-average": "that is the last batch's loss",
    "train_epoch/loop-once-over-minibatches":
        "loop once over `minibatches(X, y, batch_size, rng)`, one forward per…",
    "train_epoch/loop-over-minibatches-x": "loop over minibatches(X, y, batch_size, rng)",
    "train_epoch/mean-batch-means-counts":
        "that is the mean of the batch means, which counts the samples of the…",
    "train_epoch/pass-rng-argument-minibatches":
        "pass the `rng` argument on to minibatches(X, y, batch_size, rng)",
    "train_epoch/pass-rng-argument-minibatches-2":
        "pass the `rng` argument on to minibatches, which shuffles with it",
    "train_epoch/per-batch-forward-loss":
        "per batch: forward, loss, loss backward, model backward, and only…",
    "train_epoch/sum-batch-losses-weight": "that is the sum of the batch losses",
    "train_epoch/sum-loss-batch-size": "sum loss × batch size over the batches, then divide by N",
    "train_epoch/weights-by-batch-size":
        "that weights every batch by batch_size, but the last batch can be…",
    "train_epoch/x-batch-y-batch": "for each (X_batch, y_batch) from minibatches",
    # --- notebook 06, softmax and cross-entropy ---
    "binary_cross_entropy/check-sign-loss-minus":
        "check the sign: the loss is minus the mean log-likelihood",
    "binary_cross_entropy/clip-p-eps-1":
        "clip p into [eps, 1 - eps] with a tiny eps, such as 1e-12",
    "binary_cross_entropy/clip-tiny-margin-such":
        "clip with a tiny margin such as 1e-12, so that right predictions…",
    "binary_cross_entropy/log-of-zero": "np.log(0) is -inf (and 0 * -inf is nan)",
    "binary_cross_entropy/loss-uses-natural-log":
        "this loss uses the natural log, np.log, not np.log2",
    "binary_cross_entropy/p-probability-class-1": "p is the probability of class 1",
    "binary_cross_entropy/take-mean-over-samples": "take the mean over the samples, not the sum",
    "cross_entropy/arguments-swapped-weights-p": "the arguments are swapped",
    "cross_entropy/check-sign-p-log2": "check the sign: -Σ p log2 q is positive",
    "entropy/add-terms-p-log2": "add the terms p · log2 p up with np.sum, don't average them",
    "entropy/entropy-p-log2-p": "entropy is -Σ p log2 p: the minus sign makes it positive",
    "general/add-terms-number-sum":
        "add the terms up into one number with np.sum (or np.mean for a loss)",
    "information/check-sign-sum-p":
        "check the sign: a sum of p · log2(...) over probabilities below 1 is…",
    "information/log-of-zero": "0 · log 0 counts as 0, but np.log2(0) is -inf and 0 * -inf is nan",
    "information/natural-log-not-bits": "the course measures information in bits",
    "information/np-where-both-branches":
        "np.where(p > 0, p * np.log2(p), 0) still computes np.log2(0) for the…",
    "kl_divergence/arguments-swapped-kl-p": "the arguments are swapped",
    "kl_divergence/cross-entropy-h-p": "that is the cross-entropy H(p, q)",
    "kl_divergence/p-log2-p-q": "it is Σ p log2(p / q), not log2(q / p)",
    "one_hot/classes-numbered-0-num": "classes are numbered 0 to num_classes - 1",
    "one_hot/matrix-transposed-row-per":
        "the matrix is transposed: one row per sample, one column per class",
    "one_hot/num-classes-number-columns":
        "use num_classes for the number of columns, not y.max() + 1",
    "one_hot/off-by-one": "off by one: classes are numbered 0 to num_classes - 1, and class k…",
    "one_hot/row-i-holds-single": "row i holds a single 1, in column y[i]",
    "predict/argmax-gives-index-largest": "np.argmax gives the index of the largest score",
    "predict/predicted-class-largest-score": "the predicted class has the largest score",
    "predict/return-class-labels-index":
        "return class labels: the index of the largest score in each row,…",
    "predict/run-model-forward-take": "run the model forward and take `scores.argmax(axis=1)`",
    "predict/take-argmax-over-classes":
        "take the argmax over the classes, axis=1, not over the batch (axis 0)",
    "softmax/max-shift-no-keepdims": "row maximum subtracted without keepdims",
    "softmax/1-d-array-axis": "a 1-D array has only axis 0",
    "softmax/divide-sum-exponentials": "divide by the sum of the exponentials",
    "softmax/global-max-shift":
        "subtract the maximum of each row, `z.max(axis=-1, keepdims=True)`,…",
    "softmax/no-keepdims": "divide each row by its own sum",
    "softmax/overflow-no-max-shift": "np.exp(1000) overflows to inf, and inf / inf is nan",
    "softmax/sum-over-axis-0": "each row (one sample's scores) must sum to 1",
    "softmax_cross_entropy/average-over-samples-sum": "average over the samples only",
    "softmax_cross_entropy/backward-returns-dlogits-number":
        "backward returns dlogits, one number per logit",
    "softmax_cross_entropy/check-sign-dlogits-softmax":
        "check the sign: dlogits = (softmax - one_hot) / N",
    "softmax_cross_entropy/define-both-inside-class":
        "define both inside the class, indented, with `self` as first argument",
    "softmax_cross_entropy/divide-n-loss-mean":
        "divide by N: the loss is a mean over the samples, so dlogits =…",
    "softmax_cross_entropy/dlogits-softmax-logits-hot":
        "dlogits = (softmax(logits) - one_hot(y)) / N",
    "softmax_cross_entropy/index-true-classes-p": "index the true classes with p[np.arange(N), y]",
    "softmax_cross_entropy/log-of-underflowed-softmax":
        "at extreme logits softmax underflows to 0 and log(0) is -inf",
    "softmax_cross_entropy/loss-mean-over-n": "the loss is the mean over the N samples",
    "softmax_cross_entropy/loss-minus-mean-log":
        "the loss is minus the mean log-probability of the true class",
    "softmax_cross_entropy/loss-uses-natural-log":
        "this loss uses the natural log, np.log, not np.log2",
    "softmax_cross_entropy/subtract-hot-targets-probabilities":
        "subtract the one-hot targets from the probabilities",
    "softmax_cross_entropy/take-log-p-samples":
        "take -log p only for each sample's true class, p[np.arange(N), y],…",
}


class Hint(str):
    """A hint's text that knows which mistake it names (``.mistake``, a key of MISTAKES)."""

    mistake: str

    def __new__(cls, mistake_id: str, text: str) -> Hint:
        if mistake_id not in MISTAKES:
            raise KeyError(f"mistake id {mistake_id!r} is not listed in helpers/check/mistakes.py")
        hint = super().__new__(cls, text)
        hint.mistake = mistake_id
        return hint

    def __reduce__(self):  # pickles (and crosses processes) with its id
        return (Hint, (self.mistake, str(self)))


def mistake(mistake_id: str, text: str) -> Hint:
    """The hint ``text``, labelled with the listed ``mistake_id``."""
    return Hint(mistake_id, text)


def mistake_id(failure: BaseException) -> str:
    """The id to record for a failed check: its mistake, or UNNAMED."""
    return getattr(failure, "mistake", None) or UNNAMED


def short_name(mistake_id: str | None) -> str:
    """The short name shown for an id (the id itself if it is not listed)."""
    if not mistake_id:
        return UNNAMED
    return MISTAKES.get(mistake_id, mistake_id)
