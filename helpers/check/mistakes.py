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

A new hint: pick an id, list it here with its short name and in ``tests/test_mistakes.py``,
write the hint as ``mistake("<id>", "<text>")``, and name the id in the test table of the
wrong variant that gets it (``assert_fails(..., mistake="<id>")``). The tests refuse a hint
written as a bare string, an unlisted id and a listed id no check gives.

The grader (``helpers.grading.judge``) runs the check in its own process and catches the
CheckFailed, so ``mistake_id(failure)`` there is what results.json records.
"""

from __future__ import annotations

__all__ = ["MISTAKES", "GENERIC", "UNNAMED", "NOT_WRITTEN", "Hint", "mistake", "mistake_id",
           "short_name"]

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
    "error/broadcast-shapes": "two arrays of incompatible shapes met in an elementwise operation",
    "error/generic": "read the error message and the line it points to",
    "error/matmul-shapes": "in a matrix product the inner sizes must match",
    "error/name-from-another-notebook": "a function from another notebook: use numpy's",
    "error/name-not-defined":
        "run the cells above this one first, or check the spelling of the name",
    "error/part-not-written": "a part of your code still raises NotImplementedError",
    "general/called-not-passed": "pass the function itself, without calling it",
    "general/input-changed-in-place": "work on a new array instead",
    "general/instance-not-class": "pass the class itself, not an instance of it",
    "general/not-finite": "an inf or nan, usually from np.exp of a large number",
    "general/not-numbers": "return a number or a numpy array of numbers",
    "general/numpy-warning": "a warning from numpy (overflow, 0/0, division by zero)",
    "general/returned-none": "did you forget the `return` statement at the end?",
    "general/tuple-not-array":
        "return a single array (look for a stray comma after your return value)",
    "shape/axis-missing": "an axis went missing (summed or averaged over it?)",
    "shape/extra-leading-axis": "there is an extra leading axis of length 1",
    "shape/extra-trailing-axis": "there is an extra axis of length 1",
    "shape/generic": "a shape differs from the docstring's",
    "shape/n-n-broadcast": "an (N,) array met an (N, 1) array and numpy broadcast them to (N, N)",
    "shape/number-expected": "an array of shape (1,) where a number belongs",
    "shape/transposed": "the axes are swapped: a transposed matrix somewhere? Rows are samples",
    "train/backward-from-loss-value":
        "backward starts from the loss's gradient, not from its value",
    # --- notebook 01, the neuron ---
    "accuracy/count-not-fraction":
        "divide the number of right predictions by the number of samples",
    "accuracy/error-rate": "that is the error rate: count the predictions that are right",
    "accuracy/flatten-both": "flatten both arrays with `np.ravel` before comparing",
    "accuracy/n-n-broadcast": "an (N, 1) and an (N,) array broadcast to an (N, N) table",
    "accuracy/percentage": "return a fraction between 0 and 1, not a percentage",
    "affine/averaged-over-batch": "you averaged over the batch",
    "affine/bias-missing": "the bias is missing: add b",
    "affine/bias-subtracted": "add b, don't subtract it",
    "affine/elementwise-for-matmul": "`x * w` multiplies element by element",
    "affine/one-number-for-batch": "return one value per sample",
    "affine/summed-over-batch": "you summed over the batch",
    "affine/wrong-value": "compute the weighted sum x @ w, then add b",
    "leaky_relu/everything-scaled": "only negative inputs are scaled by alpha",
    "leaky_relu/fixed-alpha": "use the `alpha` argument, not a fixed 0.01",
    "leaky_relu/relu-below-zero": "below zero the output is alpha * z, not 0",
    "leaky_relu/wrong-side-scaled": "it is the negative side that gets alpha",
    "neuron/activation-missing": "the activation is missing",
    "neuron/activation-on-input": "apply the activation after the affine map, not to x",
    "neuron/bias-after-activation": "add the bias before the activation, not after",
    "neuron/bias-missing": "the bias is missing",
    "perceptron/bias-not-updated": "the bias needs its update too",
    "perceptron/count-disagrees-with-weights": "mistake count disagrees with the returned w, b",
    "perceptron/counts-right-not-wrong": "counts the right points, not the wrong ones",
    "perceptron/does-not-converge": "on a mistake, move w towards the point",
    "perceptron/lr-ignored": "use the `lr` argument in the update",
    "perceptron/mistakes-not-per-epoch":
        "append the number of mistakes to a list at the end of every epoch",
    "perceptron/no-mistakes-counted": "no mistake counted in the first epoch",
    "perceptron/not-a-triple": "end with `return w, b, mistakes_per_epoch`",
    "perceptron/not-from-zeros": "not started from zeros, or the update not scaled by lr",
    "perceptron/rng-ignored": "shuffle with the `rng` argument (rng.permutation), not np.random",
    "relu/abs": "negative inputs become 0, not positive",
    "relu/clipped-at-1": "ReLU has no upper limit: large inputs pass through unchanged",
    "relu/negative-part": "keep the positive part, max(0, z), not the negative one",
    "sigmoid/denominator-not-parenthesised": "parenthesise the denominator",
    "sigmoid/not-finite": "for large |z| take exp only of a negative number",
    "sigmoid/np-where-both-branches": "np.where evaluates both branches: overflow",
    "sigmoid/overflow": "np.exp(-z) overflows at z = -1000",
    "sigmoid/shifted-by-half": "sigmoid(0) is 0.5: nothing is subtracted",
    "sigmoid/sign-inside-exp": "check the sign inside np.exp",
    "sigmoid/tanh-instead": "that is tanh: the sigmoid runs from 0 to 1",
    "step/np-sign": "np.sign gives -1 below zero and 0 at zero",
    "step/strict-comparison": "step(0) should be 1: compare with `z >= 0`, not `z > 0`",
    "step/upside-down": "the step is upside down: 1 for z >= 0, 0 below",
    "tanh/half-argument": "2 * sigmoid(z) - 1 is tanh(z / 2)",
    "tanh/not-finite": "inf / inf is nan: use np.tanh, or 2 * sigmoid(2 * z) - 1",
    "tanh/overflow": "np.exp(1000) overflows and inf / inf is nan",
    "tanh/sigmoid-instead": "that is the sigmoid: tanh runs from -1 to 1",
    "tanh/sign-flipped": "the sign is flipped: tanh(z) > 0 for z > 0",
    "xor_network/computes-other-gate": "the network computes another gate (OR, AND, NAND, NOR)",
    "xor_network/not-a-4-tuple": "end with `return W1, b1, w2, b2`",
    "xor_network/w1-transposed": "W1 transposed (hidden neurons as rows)",
    "xor_network/wrong-truth-table": "the network does not compute XOR",
    "xor_network/xnor": "the output is inverted: that is XNOR",
    # --- notebook 02, gradient descent ---
    "derivative/backward-difference": "that is the backward difference (f(x) − f(x − h)) / h",
    "derivative/fixed-h": "use the `h` you are given, not a fixed 1e-5",
    "derivative/forward-difference": "that is the forward difference (f(x + h) − f(x)) / h",
    "derivative/missing-half": "the ½ is missing: the two points are 2h apart, so divide by 2 * h",
    "derivative/no-default-h": "the default step is h=1e-5",
    "derivative/precedence-2-h": "`/ 2 * h` divides by 2 and then MULTIPLIES by h",
    "derivative/wrong-value": "compute (f(x + h) − f(x − h)) / (2 * h) with the h argument",
    "fit_linear/b-not-updated": "b never changes: update it too, b = b - lr * db",
    "fit_linear/loss-count": "append the loss once per step, just before the update",
    "fit_linear/losses-shifted-by-one": "the losses are shifted by one step",
    "fit_linear/no-update": "the loss never changes: no update in the loop",
    "fit_linear/not-a-triple": "end with `return w, b, losses`",
    "fit_linear/wrong-final-weights":
        "return the w and b of the last update (the losses were right)",
    "fit_linear/wrong-first-loss": "not started from zeros, or the first loss not recorded",
    "fit_linear/wrong-losses": "wrong losses (loss and gradients at the current w, b)",
    "general/array-changed-in-place": "the caller's array changed in place",
    "gradient_descent/climbs":
        "the iterates climb: step against the gradient, x = x - lr * grad(x)",
    "gradient_descent/last-point-only": "only the last x returned, not every iterate",
    "gradient_descent/lr-missing": "the learning rate is missing",
    "gradient_descent/same-array-stored": "the rows repeat the last point",
    "gradient_descent/wrong-count": "n_steps updates give n_steps + 1 points",
    "gradient_descent/wrong-iterates": "start from x0, then repeat n_steps times",
    "gradient_descent/x0-missing": "the starting point x0 is missing",
    "gradient_descent/x0-not-first": "the first row must be the starting point x0",
    "lr_diverges/absurd-value": "choose an ordinary number",
    "lr_diverges/constant-swings": "swings of constant size are neither converging nor diverging",
    "lr_diverges/converges": "every step gets closer, without passing the minimum",
    "lr_diverges/not-a-number": "assign a plain number, e.g",
    "lr_diverges/not-positive": "a learning rate is positive",
    "lr_diverges/oscillates-converging": "oscillating is not diverging",
    "lr_diverges/too-slow": "that does diverge, but too slowly to see",
    "mse/absolute-error": "square the errors instead of taking their absolute value",
    "mse/errors-not-squared": "square each error before averaging, or they cancel out",
    "mse/halved": "no ½ here: just the mean of the squared errors",
    "mse/n-n-broadcast": "(N, 1) minus (N,) broadcast to an (N, N) table",
    "mse/n-n-broadcast-2": "(N, 1) minus (N,) broadcast to an (N, N) table",
    "mse/rmse": "no square root: that is the RMSE",
    "mse/square-of-mean": "square each error first, then average (not the other way round)",
    "mse/sse": "that is the sum of squared errors",
    "mse/sum-not-mean": "average the squared errors over the samples with np.mean",
    "mse/wrong-value": "np.mean((y_pred - y) ** 2), after flattening both with np.ravel",
    "mse_gradients/2-and-n-missing": "both the 2 and the 1/N are missing",
    "mse_gradients/2-missing": "the factor 2 from differentiating the square is missing",
    "mse_gradients/db-wrong": "db = (2/N) Σ (X @ w + b − y)",
    "mse_gradients/dw-wrong": "dw = (2/N) X.T @ (X @ w + b − y)",
    "mse_gradients/elementwise-for-matmul": "X.T * err (elementwise) where X.T @ err belongs",
    "mse_gradients/n-missing": "the 1/N of the mean is missing",
    "mse_gradients/not-a-pair": "end with `return dw, db`",
    "mse_gradients/sign-flipped":
        "the sign is flipped: the error is ŷ − y = X @ w + b − y, not y − ŷ",
    "mse_gradients/x-for-x-t": "use X.T @ err, not X @ err",
    "numerical_gradient/all-at-once": "you nudged every coordinate at once (x + h)",
    "numerical_gradient/all-at-once-same":
        "every entry is the same: you nudged all coordinates at once",
    "numerical_gradient/fixed-h": "use the `h` you are given, not a fixed 1e-5",
    "numerical_gradient/forward-difference": "that is the forward difference",
    "numerical_gradient/input-changed": "x nudged in place, not a copy",
    "numerical_gradient/missing-half": "the ½ is missing: divide by 2 * h",
    "numerical_gradient/nudges-pile-up": "nudges pile up: no fresh copy per coordinate",
    "numerical_gradient/wrong-value": "wrong central difference",
    # --- notebook 03, backpropagation ---
    "chain/missing-keys": "keys missing from the returned dict",
    "chain/return-dict": "return a dict with the named keys",
    "chain_backward/cache-changed": "read the values from the cache",
    "chain_backward/da1-w2-missing": "∂L/∂a1 = ∂L/∂z2 · w2: the factor w2 is missing",
    "chain_backward/da2-sign": "∂L/∂a2 = a2 − y for L = ½(y − a2)²: the sign is flipped",
    "chain_backward/db1-times-x": "∂z1/∂b1 = 1: the bias gradient is ∂L/∂z1 itself, without x",
    "chain_backward/db2-times-a1": "∂z2/∂b2 = 1: the bias gradient is ∂L/∂z2 itself, without a1",
    "chain_backward/dw1-x-missing": "∂L/∂w1 = ∂L/∂z1 · x: the factor x is missing",
    "chain_backward/dw2-a1-missing":
        "∂L/∂w2 = ∂L/∂z2 · a1: the factor a1 (the input of w2) is missing",
    "chain_backward/dz1-sigmoid-twice": "σ′(z1) = a1(1 − a1): you took σ(a1) where σ(z1) belongs",
    "chain_backward/dz1-slope-missing": "the sigmoid's slope a1(1 − a1) is missing from ∂L/∂z1",
    "chain_backward/dz2-sigmoid-twice": "σ(a2) where σ(z2) belongs: the sigmoid twice",
    "chain_backward/dz2-sigmoid-twice-2": "σ′(z2) = σ(z2)(1 − σ(z2)) = a2(1 − a2)",
    "chain_backward/dz2-slope-missing": "the sigmoid's slope a2(1 − a2) is missing from ∂L/∂z2",
    "chain_backward/wrong-gradient": "wrong gradient (multiply backwards through the chain)",
    "chain_forward/a1-no-sigmoid": "apply the sigmoid: a1 = σ(z1)",
    "chain_forward/a2-no-sigmoid": "apply the sigmoid: a2 = σ(z2)",
    "chain_forward/b1-missing": "the bias b1 is missing: z1 = w1·x + b1",
    "chain_forward/b2-missing": "the bias b2 is missing: z2 = w2·a1 + b2",
    "chain_forward/wrong-value": "z1 = w1·x + b1, a1 = σ(z1), z2 = w2·a1 + b2, a2 = σ(z2)",
    "chain_forward/z1-for-a1": "the second neuron takes z1 instead of a1 = σ(z1)",
    "graph/gradient-order": "return the derivatives in the order x, y, z",
    "graph/not-a-pair": "end with `return f, (df_dx, df_dy, df_dz)`",
    "graph/wrong-forward": "compute the forward pass step by step",
    "graph/wrong-gradient": "go backwards through the graph",
    "graph_exercise/cos-missing": "df/dx is missing the local derivative of sin",
    "graph_exercise/cube-derivative": "the derivative of q³ is 3q², not 2q",
    "graph_exercise/local-derivatives-missing":
        "after d(q³)/dq = 3q², multiply by the local derivatives of q = s·z",
    "graph_exercise/minus-cos": "d(sin x)/dx is +cos x, not -cos x",
    "graph_exercise/sin-for-cos": "d(sin x)/dx is cos x: you multiplied by sin x",
    "graph_forward_backward/dq-dz-wrong": "dq/dz for q = s·z is s = x + y, not z",
    "graph_forward_backward/factor-2-missing": "the derivative of q² is 2q",
    "graph_forward_backward/local-derivatives-missing": "local derivatives of q = s·z missing",
    "graph_forward_backward/outer-derivative-missing":
        "those are only the local derivatives of q = s·z",
    "relu_prime/inverted": "it is the other way round",
    "relu_prime/nonzero-below-zero": "for z < 0 ReLU is flat (always 0), so its slope there is 0",
    "relu_prime/np-sign": "np.sign gives −1 below zero",
    "relu_prime/relu-instead": "that is ReLU itself: its slope is 1 for z > 0 and 0 below",
    "relu_prime/value-at-zero": "pick a value in [0, 1] at z = 0",
    "sigmoid_prime/not-finite": "build sigmoid_prime on a stable sigmoid, such as the one above",
    "sigmoid_prime/overflow": "np.exp overflowed: build on a stable sigmoid",
    "sigmoid_prime/plus-in-second-factor": "it is 1 − σ(z) in the second factor, not 1 + σ(z)",
    "sigmoid_prime/sigmoid-instead": "that is σ(z) itself: its derivative is σ(z)·(1 − σ(z))",
    "sigmoid_prime/sign-flipped":
        "the sign is flipped: the sigmoid rises, so its slope is positive",
    "sigmoid_prime/z-for-output": "a·(1 − a) takes the sigmoid's output a = σ(z)",
    "sigmoid_prime/z-in-second-factor":
        "use σ(z) in both factors: σ(z)·(1 − σ(z)), not σ(z)·(1 − z)",
    "tanh_prime/not-squared": "square the tanh: 1 − tanh(z)², not 1 − tanh(z)",
    "tanh_prime/sigmoid-form-missing-2":
        "tanh(z) = 2σ(2z) − 1, so its derivative is 4σ(2z)(1 − σ(2z))",
    "tanh_prime/sign-flipped": "the sign is flipped: it is 1 − tanh(z)², which is positive",
    "tanh_prime/z-for-output": "1 − a² takes tanh's output a = tanh(z)",
    "tanh_prime/z-squared": "square tanh(z), not z: 1 − tanh(z)²",
    "train_neuron/climbs": "step against the gradient",
    "train_neuron/factor-2-missing": "the derivative of (a − y)² is 2(a − y)",
    "train_neuron/loss-not-falling": "start from small weights and take 300 gradient steps",
    "train_neuron/lr-missing": "use the learning rate: w -= lr * dw",
    "train_neuron/n-missing": "the loss is the mean over the N samples",
    "train_neuron/not-a-triple": "end with `return w, b, losses`",
    "train_neuron/rng-ignored": "initial weights not drawn from `rng`",
    "train_neuron/slope-missing": "the sigmoid's slope a(1 − a) is missing from dz",
    "train_neuron/starts-from-zeros": "starts from w = 0 instead of rng.normal(0, 0.1)",
    "train_neuron/update-outside-loop": "the weights did not move in the second epoch",
    "train_neuron/wrong-losses": "record np.mean((a - y) ** 2) once per epoch",
    "train_neuron/wrong-start": "initial weights not rng.normal(0, 0.1, size=D)",
    "train_neuron/wrong-weights": "wrong weights after training (per-epoch update)",
    "value/gradient-not-accumulated": "a Value used twice receives gradient from both uses",
    "train_value_neuron/climbs": "the loss goes up (steps along the gradient)",
    "train_value_neuron/grad-not-zeroed": "gradients not zeroed between epochs",
    "train_value_neuron/loss-after-update": "loss recorded after the update",
    "train_value_neuron/not-a-triple": "not (w, b, losses)",
    "train_value_neuron/sum-not-mean": "sum of squared errors, not their mean",
    "train_value_neuron/values-returned": "Values returned, not numbers",
    "train_value_neuron/wrong-final-weights": "wrong weights after the last update",
    "train_value_neuron/wrong-first-loss": "wrong first loss (start from w = 0, b = 0)",
    "train_value_neuron/wrong-losses": "wrong losses (one update per epoch)",
    "train_value_neuron/zero-grad-flag-ignored": "zero_grad=False changes nothing",
    "value/mul-as-add": "local derivatives of + used for a product",
    "value/mul-swapped": "swap them: dc/da = b and dc/db = a for c = a·b",
    "value/no-seed-gradient": "backward starts at the output",
    "value/parts-missing": "keep the parts of the class that were given",
    "value/tanh-instead": "that is tanh(x) itself: its derivative is 1 − tanh(x)²",
    "value/tanh-not-squared": "square the tanh: 1 − t², not 1 − t",
    "value/tanh-x-for-output": "1 − t² takes t = tanh(x), the output, not x",
    "value/topological-order": "gradient passed on before every use was added",
    # --- notebook 04, the MLP ---
    "activation-layer/backward-not-finite": "compute the derivative from the kept output",
    "activation-layer/overflow": "np.exp of a large number overflows",
    "layer/backward-returns-none": "backward returns no dx",
    "layer/contract-missing": "forward, backward or parameters missing",
    "layer/forward-keeps-nothing": "forward does not keep what backward needs",
    "layer/gradient-accumulated": "backward sets the gradient, it does not add to it",
    "layer/has-parameters": "a layer without weights yields nothing",
    "linear/backward-returns-none":
        "backward returns dx = dout @ W.T, the gradient for the layer's input",
    "linear/bias-2d": "bias of shape (1, n_out) instead of (n_out,)",
    "linear/bias-missing": "the bias is missing: x @ W + b",
    "linear/bias-subtracted": "add b, don't subtract it",
    "linear/db-mean": "db = dout.mean(axis=0) averages",
    "linear/db-not-summed": "the bias is shared by every sample",
    "linear/db-summed-over-all": "sum over the batch axis only",
    "linear/db-wrong": "db is not dout.sum(axis=0)",
    "linear/db-zero": "db is zero: store db = dout.sum(axis=0)",
    "linear/dw-divided-by-n": "dW divided by N (the loss already did)",
    "linear/dw-transposed": "dW = dout.T @ x is transposed",
    "linear/dw-transposed-2": "dW = dout.T @ x is the transpose",
    "linear/dw-wrong": "dW is not x.T @ dout",
    "linear/dx-divided-by-n": "dx = dout @ W.T, without dividing by N",
    "linear/dx-shape": "dx = dout @ W.T: (N, D_out) @ (D_out, D_in)",
    "linear/dx-w-not-transposed": "dx = dout @ W, where W.T belongs",
    "linear/dx-wrong": "dx is not dout @ W.T",
    "linear/gradients-not-stored": "backward stores the gradient of each parameter",
    "linear/parameters-copied": "yield the parameter arrays themselves, not copies",
    "linear/parameters-missing": "self.W or self.b missing or misshapen",
    "linear/parameters-not-pairs": "pair each parameter with its gradient",
    "linear/parameters-wrong": "yield self.W, self.dW and then yield self.b, self.db",
    "linear/rng-ignored": "weights not drawn from `rng`",
    "linear/w-transposed": "the course writes the layer as x @ W + b, with x of shape (N, n_in)",
    "linear/weight-scale": "random weights not scaled",
    "linear/weights-not-random": "draw the weights at random (rng.normal)",
    "mse_loss/contract-missing": "forward(pred, y) or backward() missing",
    "mse_loss/dpred-2-missing": "the factor 2 from the square is missing",
    "mse_loss/dpred-2-n-missing": "the 2/N missing from dpred",
    "mse_loss/dpred-n-missing": "divide by the number of elements",
    "mse_loss/dpred-rows-only": "divide by every element, pred.size, not only the rows",
    "mse_loss/dpred-sign": "dpred's sign flipped",
    "mse_loss/halved": "that is half the mean: no 1/2 in this loss",
    "mse_loss/mean-over-rows-only": "average over every element, not only over the rows",
    "mse_loss/not-squared": "square the differences before averaging",
    "mse_loss/sum-not-mean": "average over the samples: np.mean, not np.sum",
    "mse_loss/wrong-dpred": "dpred is not 2 (pred − y) / N",
    "relu_layer/abs": "negative inputs become 0, not positive",
    "relu_layer/mask-from-dout": "the mask comes from the INPUT (where x > 0), not from dout",
    "relu_layer/mask-inverted": "the gradient passes where x > 0, not where x < 0",
    "relu_layer/mask-only": "multiply the mask by dout (the chain rule)",
    "relu_layer/negative-part": "keep the positive part: np.maximum(x, 0)",
    "relu_layer/times-output": "multiply dout by the mask (0 or 1), not by the output",
    "relu_layer/wrong-backward": "dx is not dout * (x > 0)",
    "relu_layer/wrong-gradient": "zero the gradient where x <= 0",
    "sequential/backward-not-reversed":
        "backward runs from the last layer to the first (reversed(self.layers))",
    "sequential/backward-returns-none": "return the first layer's dx",
    "sequential/init-takes-list":
        "write def __init__(self, *layers) and keep self.layers = list(layers)",
    "sequential/layer-called-wrong": "forward does not run each layer once, in order",
    "sequential/layers-skipped": "go through every layer: `for layer in self.layers",
    "sequential/no-layers-attribute": "keep the layers as self.layers = list(layers)",
    "sequential/parameters-not-flat": "yield every pair of every layer, flattened",
    "sequential/parameters-repeated": "yield each layer's pairs exactly once",
    "sequential/wrong-backward": "backward does not run the layers in reverse",
    "sequential/wrong-dx": "backward does not return the first layer's dx",
    "sequential/wrong-forward": "x = layer.forward(x) for each layer, then return x",
    "sigmoid_layer/dout-missing": "multiply by dout (the chain rule)",
    "sigmoid_layer/input-for-output": "σ' = a (1 − a) uses the OUTPUT a = σ(x), not the input x",
    "sigmoid_layer/one-minus-a-only": "the derivative of the sigmoid is a (1 − a), not (1 − a)",
    "sigmoid_layer/output-for-derivative": "the derivative of the sigmoid is a (1 − a), not a",
    "sigmoid_layer/plus-for-minus": "σ' = a (1 − a): a minus sign, not a plus",
    "sigmoid_layer/sign-inside-exp": "check the sign: σ(x) = 1 / (1 + exp(-x))",
    "sigmoid_layer/tanh-instead": "that is tanh: the sigmoid runs from 0 to 1",
    "sigmoid_layer/wrong-backward": "dx is not dout * a * (1 − a)",
    "tanh_layer/dout-missing": "multiply by dout (the chain rule)",
    "tanh_layer/input-for-output": "tanh' = 1 − a² uses the OUTPUT a = tanh(x), not the input x",
    "tanh_layer/not-squared": "tanh' = 1 − a²: square the output",
    "tanh_layer/plus-for-minus": "tanh' = 1 − a²: a minus sign, not a plus",
    "tanh_layer/sigmoid-derivative": "that is the sigmoid's derivative",
    "tanh_layer/sigmoid-instead": "that is the sigmoid: tanh runs from -1 to 1",
    "tanh_layer/wrong-backward": "dx is not dout * (1 − a²)",
    "train/climbs": "the loss grows: step against the gradient, param -= lr * grad",
    "train/factor-2": "step by lr * grad (no factor 2)",
    "train/loss-count": "append loss_fn.forward(...) once per epoch, before the update",
    "train/losses-not-a-list": "collect each epoch's loss in a list and return it",
    "train/losses-shifted-by-one": "record the loss of each epoch before its update",
    "train/model-rebuilt": "the model rebuilt, not updated in place",
    "train/no-update": "the parameters never change",
    "train/wrong-losses": "each epoch: pred = model.forward(X)",
    # --- notebook 05, SGD and optimisers ---
    "adam/beta-arguments-swapped": "beta1 and beta2 swapped",
    "adam/betas-swapped": "β1 and β2 swapped",
    "adam/climbs": "step against the gradient",
    "adam/eps-inside-sqrt": "add eps after the square root",
    "adam/fixed-betas": "use the beta1 and beta2 arguments, not fixed 0.9 and 0.999",
    "adam/fixed-eps": "use the eps argument, not a fixed 1e-8",
    "adam/no-bias-correction": "divide m by 1 − β1ᵗ and v by 1 − β2ᵗ (bias correction)",
    "adam/no-bias-correction-first-step":
        "without bias correction the first step is √1000 ≈ 3.2 times too long",
    "adam/paper-efficient-form": "the Adam paper's \"efficient\" form (eps elsewhere)",
    "adam/shared-moments": "all parameters share one m and one v",
    "adam/step-counter-zero": "the bias correction divides by 1 − β1ᵗ, which is 0 when t = 0",
    "adam/t-not-incremented": "the step counter t stays at 1",
    "adam/t-per-parameter": "t grows once per parameter",
    "minibatches/last-batch-dropped": "the last, smaller batch is dropped",
    "minibatches/not-pairs": "yield both halves of a batch",
    "minibatches/not-shuffled": "shuffle at the start of every epoch",
    "minibatches/rng-ignored": "shuffled without the `rng` argument",
    "minibatches/same-order-each-epoch": "draw a new permutation from `rng` on each call",
    "minibatches/samples-missing": "samples missing from an epoch",
    "minibatches/samples-repeated": "samples repeated or missing in an epoch",
    "minibatches/with-replacement": "draw the order without replacement",
    "minibatches/wrong-batch-count": "a batch_size of N (or more) gives one batch",
    "minibatches/wrong-sizes": "cut the shuffled order into consecutive slices of batch_size",
    "minibatches/x-rows-wrong": "select whole rows of X: `X[idx]` with an array of row numbers idx",
    "minibatches/x-y-mismatched": "index X and y with the same row numbers",
    "minibatches/x-y-shuffled-separately": "shuffle X and y with ONE permutation",
    "minibatches/y-rows-wrong": "select the same rows of y as of X: `y[idx]`",
    "optimizer/no-step": "define `def step(self):` in the class",
    "optimizer/not-in-place": "update each parameter in place, `param -= lr * grad`",
    "optimizer/rebinds-parameter": "update each parameter in place",
    "optimizer/stale-parameters": "parameters read once in __init__, not in step()",
    "sgd/climbs": "step against the gradient",
    "sgd/dampened-momentum": "dampened momentum, v ← μ v + (1 − μ) g",
    "sgd/lr-missing": "multiply the gradient by lr",
    "sgd/momentum-no-effect": "momentum has no effect (velocity not kept)",
    "sgd/nesterov-momentum": "Nesterov momentum instead of classical",
    "sgd/one-minus-momentum": "multiply the old velocity by momentum, not by 1 − momentum",
    "sgd/shared-velocity": "all parameters share one velocity",
    "standardize/centred-only":
        "you centred the columns: divide them by their standard deviation too",
    "standardize/constant-column-noise": "a constant column's rounding noise taken as its std",
    "standardize/eps-added-to-std": "std + eps blows up a constant column's test values",
    "standardize/float32-upcast": "float32 input returned as float64",
    "standardize/no-axis": "compute one mean and one standard deviation per column",
    "standardize/not-centred": "subtract the mean before dividing by the standard deviation",
    "standardize/other-unchanged": "an argument came back unchanged",
    "standardize/own-statistics": "each array scaled by its own statistics",
    "standardize/pooled-statistics": "statistics from all arrays together (test data leaks)",
    "standardize/row-statistics": "statistics along rows (axis=1), not columns",
    "standardize/variance": "divide by the standard deviation (X.std), not by the variance",
    "standardize/wrong-count": "return one array per argument, X_train and every array in *others",
    "standardize/wrong-value": "wrong standardised values",
    "standardize/zero-spread-division": "a column with zero spread gives 0 / 0",
    "train_epoch/first-batch-loss": "that is the first batch's loss",
    "train_epoch/forward-calls": "not one forward per batch",
    "train_epoch/last-batch-loss": "that is the last batch's loss",
    "train_epoch/loss-calls": "call loss_fn.forward(prediction, y_batch) once per batch",
    "train_epoch/mean-of-batch-means": "mean of the batch means (last batch overweighted)",
    "train_epoch/no-batches": "loop over minibatches(X, y, batch_size, rng)",
    "train_epoch/not-batches": "for each (X_batch, y_batch) from minibatches",
    "train_epoch/rng-ignored": "pass the `rng` argument on to minibatches(X, y, batch_size, rng)",
    "train_epoch/rng-not-passed":
        "pass the `rng` argument on to minibatches, which shuffles with it",
    "train_epoch/step-missing": "every batch needs: pred = model.forward(X_batch)",
    "train_epoch/sum-of-batch-losses": "that is the sum of the batch losses",
    "train_epoch/weighted-sum-not-divided": "divide the weighted sum by the number of samples N",
    "train_epoch/weights-by-batch-size": "weighted by batch_size, not the batch's real length",
    "train_epoch/wrong-gradient": "model.backward not fed loss_fn.backward()",
    "train_epoch/wrong-loss": "sum loss × batch size over the batches, then divide by N",
    "train_epoch/wrong-order": "step before backward, or steps out of order",
    # --- notebook 06, softmax and cross-entropy ---
    "binary_cross_entropy/classes-swapped": "p is the probability of class 1",
    "binary_cross_entropy/clip-too-wide": "clipped with too wide a margin",
    "binary_cross_entropy/float32-clip": "float32 p: 1 − 1e-12 == 1.0, the clip does nothing",
    "binary_cross_entropy/log-of-zero": "np.log(0) is -inf (and 0 * -inf is nan)",
    "binary_cross_entropy/log2": "this loss uses the natural log, np.log, not np.log2",
    "binary_cross_entropy/n-n-broadcast": "y (N, 1) against p (N,) broadcast to (N, N)",
    "binary_cross_entropy/sign-flipped":
        "check the sign: the loss is minus the mean log-likelihood",
    "binary_cross_entropy/sum-not-mean": "take the mean over the samples, not the sum",
    "binary_cross_entropy/sure-wrong-too-cheap":
        "clip p into [eps, 1 - eps] with a tiny eps, such as 1e-12",
    "cross_entropy/arguments-swapped": "the arguments are swapped",
    "cross_entropy/sign-flipped": "check the sign: -Σ p log2 q is positive",
    "entropy/mean-not-sum": "add the terms p · log2 p up with np.sum, don't average them",
    "entropy/sign-flipped": "entropy is -Σ p log2 p: the minus sign makes it positive",
    "general/not-summed": "add the terms up into one number with np.sum (or np.mean for a loss)",
    "information/arguments-swapped": "the arguments are swapped",
    "information/log-of-zero": "0 · log 0 counts as 0, but np.log2(0) is -inf and 0 * -inf is nan",
    "information/natural-log-not-bits": "the course measures information in bits",
    "information/sign-flipped": "sign flipped",
    "kl_divergence/arguments-swapped": "the arguments are swapped",
    "kl_divergence/cross-entropy-instead": "that is the cross-entropy H(p, q)",
    "kl_divergence/ratio-inverted": "it is Σ p log2(p / q), not log2(q / p)",
    "one_hot/columns-from-max": "use num_classes for the number of columns, not y.max() + 1",
    "one_hot/extra-column": "classes are numbered 0 to num_classes - 1",
    "one_hot/off-by-one": "labels off by one column",
    "one_hot/transposed": "the matrix is transposed: one row per sample, one column per class",
    "one_hot/wrong-value": "row i holds a single 1, in column y[i]",
    "predict/argmax-axis-0":
        "take the argmax over the classes, axis=1, not over the batch (axis 0)",
    "predict/argmin": "the predicted class has the largest score",
    "predict/max-not-argmax": "np.argmax gives the index of the largest score",
    "predict/scores-not-labels": "scores returned, not class labels",
    "predict/wrong-labels": "run the model forward and take `scores.argmax(axis=1)`",
    "softmax/axis-1-on-1d": "a 1-D array has only axis 0",
    "softmax/global-max-shift": "global max subtracted, not each row's",
    "softmax/max-shift-no-keepdims": "row maximum subtracted without keepdims",
    "softmax/no-keepdims": "divide each row by its own sum",
    "softmax/not-normalised": "divide by the sum of the exponentials",
    "softmax/overflow-no-max-shift": "np.exp(1000) overflows to inf, and inf / inf is nan",
    "softmax/sum-over-axis-0": "each row (one sample's scores) must sum to 1",
    "softmax_cross_entropy/all-classes": "-log p over every class, not the true one",
    "softmax_cross_entropy/dlogits-not-divided": "dlogits not divided by N",
    "softmax_cross_entropy/dlogits-shape": "backward returns dlogits, one number per logit",
    "softmax_cross_entropy/dlogits-sign": "check the sign: dlogits = (softmax - one_hot) / N",
    "softmax_cross_entropy/dlogits-softmax-only":
        "subtract the one-hot targets from the probabilities",
    "softmax_cross_entropy/dlogits-wrong": "dlogits = (softmax(logits) - one_hot(y)) / N",
    "softmax_cross_entropy/log-of-underflowed-softmax":
        "at extreme logits softmax underflows to 0 and log(0) is -inf",
    "softmax_cross_entropy/log2": "this loss uses the natural log, np.log, not np.log2",
    "softmax_cross_entropy/mean-over-classes": "average over the samples only",
    "softmax_cross_entropy/methods-missing":
        "define both inside the class, indented, with `self` as first argument",
    "softmax_cross_entropy/p-colon-y": "index the true classes with p[np.arange(N), y]",
    "softmax_cross_entropy/sign-flipped":
        "the loss is minus the mean log-probability of the true class",
    "softmax_cross_entropy/sum-not-mean": "the loss is the mean over the N samples",
}


#: Ids of hints that say how to read an error, not which mistake it is: a class report
#: counts them apart from the misconceptions.
GENERIC = frozenset({
    "error/generic",
    "error/name-not-defined",
    "error/part-not-written",
    "shape/generic",
})


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
