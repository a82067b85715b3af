"""Issue 17 for notebooks 01-06: students derive, not transcribe.

- No gradient exercise's answer is printed above its check cell or in its own cell
  (docstring, comments) of the STUDENT notebook; the same scan finds the answer in the
  solution notebook, so every pattern is live and the scan can fail.
- Every "Try it" / "Your turn" is answered: a collapsible <details> answer in its cell, or
  it introduces an exercise that has a check.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _cells(folder: str, notebook: str) -> list[dict]:
    return json.loads((ROOT / folder / notebook).read_text(encoding="utf-8"))["cells"]


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def text_up_to_check(folder: str, notebook: str, exercise: str) -> str:
    """Everything a student reads before running ``check.<exercise>``: prose and code of
    every cell above the check cell, the exercise's own cell (docstring, comments)
    included; whitespace removed."""
    cells = _cells(folder, notebook)
    call = re.compile(rf"^\s*check\.{exercise}\s*\(", re.MULTILINE)
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code" and call.search(_source(cell)):
            return _squash("\n".join(_source(c) for c in cells[:index]))
    raise AssertionError(f"{notebook} has no check cell for {exercise}")


# The distinctive forms of each answer (LaTeX as the notebooks write it, and code).
ANSWERS = {
    ("01_neuron.ipynb", "exp_overflow_z"): ["EXP_OVERFLOW_Z=709", "709.8", "709.7"],
    ("01_neuron.ipynb", "sigmoid"): [
        "np.exp(-np.abs(z))", "e/(1+e)", r"\frac{e^{z}}{1+e^{z}}", "e^z/(1+e^z)",
        "np.exp(z)/(1+np.exp(z))", "0.5*(1+np.tanh",
    ],
    ("01_neuron.ipynb", "tanh_from_sigmoid"): ["(2,2,-1)", r"2\sigma(2z)-1", "2σ(2z)-1"],
    ("01_neuron.ipynb", "tanh"): [
        "2*sigmoid(2", "2.0*sigmoid(2.0", r"2\,\sigma(2z)", r"2\sigma(2z)",
    ],
    ("01_neuron.ipynb", "which_move"): ['WHICH_MOVE="a"', r"\eta\,(\|x\|^2+1)", r"\eta(x\cdotx+1)"],
    ("01_neuron.ipynb", "z_growth"): ["Z_GROWTH=1", r"\eta\,(\|x\|^2+1)", r"\eta(x\cdotx+1)"],
    ("01_neuron.ipynb", "z_after_update"): [
        "Z_AFTER_UPDATE=6", r"\eta\,(\|x\|^2+1)", r"\eta(x\cdotx+1)",
    ],
    ("01_neuron.ipynb", "perceptron"): [
        "lr*error*X[i]", r"w\leftarroww+\eta\,(y_i-\haty_i)\,x_i", "rng.permutation(len(X))",
    ],
    ("01_neuron.ipynb", "stack_outputs"): ["(1.5,5.5,0.5)"],
    ("01_neuron.ipynb", "collapse_linear"): ["W1@w2", "b1@w2+b2", r"W_1w_2", r"b_1\cdotw_2+b_2"],
    ("01_neuron.ipynb", "predict_lr_scaling"): [
        'PREDICT_LR_SCALING="b"', "10timeslarger,uptorounding", "thesamemistakeshappeninthesame",
    ],
    ("01_neuron.ipynb", "predict_xor_converges"): [
        'PREDICT_XOR_CONVERGES="no"', "cannotconverge", "keepsmakingmistakesforever",
        "limitofoneneuron", "neuron'slimit", "XORneedsahiddenlayer",
    ],
    ("01_neuron.ipynb", "xor_network"): [
        "b1=np.array([-0.5,-1.5])", "ORandnotAND", "OR,butnotAND", "onehiddenneuroncancomputeOR",
        "separates(0,0)fromtheotherthreepoints(OR)", "theotherAND",
    ],
    ("01_neuron.ipynb", "choose_epochs"): [
        "np.argmax(accuracies)", "accuracies.append(", "epochs=epochs,rng=np.random.default_rng(0)",
    ],
    ("02_gradient_descent.ipynb", "step_factors"): [
        "(0.4,-0.8,1.0)", r"(1-2\eta)(x_k-1)", "1-2\\eta", r"|1-2\eta|>1",
    ],
    ("02_gradient_descent.ipynb", "predict_downhill"): [
        'PREDICT_DOWNHILL="a"', "halfofalldirectionsgodownhillinanydimension",
    ],
    ("02_gradient_descent.ipynb", "difference_errors"): ["(0.0601,0.0001)", "0.0601"],
    ("02_gradient_descent.ipynb", "derivative"): [
        "(f(x+h)-f(x-h))/(2*h)", r"\frac{f(x+h)-f(x-h)}{2h}",
    ],
    ("02_gradient_descent.ipynb", "gradient_descent"): ["xs[-1]-lr*grad(xs[-1])"],
    ("02_gradient_descent.ipynb", "numerical_gradient"): [
        "up[i]+=h", r"f(\mathbf{x}+h\,\mathbf{e}_i)",
    ],
    # teacher review: the factors 1 − 20η and 1 − 2η stood above the question
    ("02_gradient_descent.ipynb", "predict_bowl_lr"): [
        'PREDICT_BOWL_LR="c"', "-1.02", r"1-20\eta", "1−20η", "1-20η",
    ],
    ("02_gradient_descent.ipynb", "grad_one_sample"): ["(0.5,1.0)"],
    ("02_gradient_descent.ipynb", "grad_batch"): ["(10/3,4/3)"],
    ("02_gradient_descent.ipynb", "dw_matrix"): ["(2.0,2/3)"],
    ("02_gradient_descent.ipynb", "choose_lr"): ["np.argmin(val_losses)"],
    ("02_gradient_descent.ipynb", "mse_gradients"): [
        r"X^\top\mathbf{e}", r"\frac{2}{N}\sum_{i=1}^{N}e_i\,x_{ij}", r"\frac{2}{N}\,X^\top",
        "X.T@err", "2/len(y)*X.T", "2*np.mean(err)",
    ],
    ("03_backpropagation.ipynb", "sigmoid_prime"): [
        r"\sigma(z)\,\big(1-\sigma(z)\big)", r"\sigma(z)(1-\sigma(z))", r"a(1-a)",
        r"\frac{e^{-z}}{(1+e^{-z})^2}", "s*(1-s)",
    ],
    ("03_backpropagation.ipynb", "tanh_prime"): [
        r"1-\tanh^2", r"1-a^2", "1-np.tanh(z)**2",
    ],
    ("03_backpropagation.ipynb", "relu_prime"): [
        "1wherez>0", "slope$1$for$z>0$", "(np.asarray(z)>0).astype(float)",
    ],
    ("03_backpropagation.ipynb", "chain_backward"): [
        r"a_2(1-a_2)", r"a_1(1-a_1)", "a2*(1-a2)", "a1*(1-a1)", "dz2*w2", "dz1*x",
        r"\partialL/\partiala_1=\partialL/\partialz_2\cdotw_2", "0.000534", "0.01067",
    ],
    ("03_backpropagation.ipynb", "graph_backward_table"): [
        '"df_dq":-16', '"df_ds":32', '"df_dz":-64', r"-18\cdot(-3)=54",
    ],
    ("03_backpropagation.ipynb", "graph_forward_backward"): [
        "df_dq*z", "df_ds=df_dq*z", "2(x+y)z^2", r"=-18\cdotz",
    ],
    ("03_backpropagation.ipynb", "predict_chain_depth"): [
        "PREDICT_CHAIN_DEPTH=10", "tenlayersdown", "lessthanamillionth",
    ],
    ("03_backpropagation.ipynb", "chain_deltas"): [
        '"dL_dz2":0.1426', "0.1426", "0.0679", r"0.599\times0.238",
    ],
    ("03_backpropagation.ipynb", "dz_one_sample"): [
        "DZ_ONE_SAMPLE=-0.1", "-0.1058", "-0.10575",
    ],
    ("03_backpropagation.ipynb", "dw_two_samples"): [
        "DW_TWO_SAMPLES=[0.02", "0.02818", "-0.04582",
    ],
    ("03_backpropagation.ipynb", "relative_error"): [
        "|a|+|b|", "np.abs(a)+np.abs(b)", r"|g_i^{\text{analytic}}|+|g_i^{\text{numeric}}|",
    ],
    ("03_backpropagation.ipynb", "predict_lr100"): [
        'PREDICT_LR100="C"', "jumpsup**,from0.24to", "canwastedozensofepochs",
        "asyourpredictionanditsrunshowed", "everysquarederror(a-y)²isatmost1",
        "thelosslandsaboveitsstart", "astepofthatlengthisaboutright",
    ],
    ("03_backpropagation.ipynb", "choose_learning_rate"): [
        "np.argmin(val_losses)", "lrs[int(np.argmin",
    ],
    ("03_backpropagation.ipynb", "dc_da"): [
        r"\partialc/\partiala=b", r"\partialc/\partiala=-3", "DC_DA=-3",
    ],
    ("03_backpropagation.ipynb", "a_plus_a_grad"): [
        "A_PLUS_A_GRAD=2", "a.gradis2", "a.grad=2", r"\partialb/\partiala=2",
    ],
    ("03_backpropagation.ipynb", "value"): [
        r"\partial(ab)/\partiala=b", r"1-t^2", "(other.data,self.data)", "(1-t**2,)",
        "child.grad+=local*v.grad", "visit(child)", "reversed(order)", "depth-first",
        "topologicalorder",
    ],
    ("03_backpropagation.ipynb", "zero_gradient_weight"): [
        'ZERO_GRADIENT_WEIGHT="w2"', "`w2.grad`is0", "w2.gradis0",
    ],
    ("03_backpropagation.ipynb", "not_zeroed_curve"): [
        'NOT_ZEROED_CURVE="b"', "overshoottheminimum", "ballwithnofriction",
    ],
    ("03_backpropagation.ipynb", "value_relu"): [
        "(1.0ifv.data>0else0.0,)", "float(v.data>0)", "slope1forx>0",
    ],
    ("03_backpropagation.ipynb", "neuron_value"): [
        "[*self.w,self.b]", "Value(wi)forwiinrng.uniform", "z.relu()ifself.nonlinelsez",
    ],
    ("03_backpropagation.ipynb", "train_value_neuron"): [
        "p.data-=lr*p.grad", "p.grad=0.0", "loss.backward()", "losses.append(loss.data)",
    ],
    ("03_backpropagation.ipynb", "train_neuron"): [
        r"X^\top\texttt{dz}", r"\frac{2}{N}(a_n-y_n)", r"a_n(1-a_n)", "X.T@dz",
        "2*(a-y)*a*(1-a)",
    ],
    ("04_mlp.ipynb", "dl_dw_one_sample"): [
        "x_one[1]*dout_one[2]", "DL_DW_ONE_SAMPLE=6", r"x_1\cdotdout_2",
    ],
    ("04_mlp.ipynb", "dl_dx_one_sample"): [
        "W_one[0]@dout_one", "DL_DX_ONE_SAMPLE=-2.5", r"\sum_jW_{0j}",
    ],
    ("04_mlp.ipynb", "dl_dw_batch"): [
        "X_two[0,1]*DOUT_two[0,2]", "DL_DW_BATCH=7", r"\sum_nX_{n1}",
    ],
    ("04_mlp.ipynb", "dw_batch"): [
        "X_two.T@DOUT_two", "[[8.0,-1.0,9.0]", r"X^\top\cdotDOUT", "X^\\topDOUT",
    ],
    ("04_mlp.ipynb", "dx_batch"): [
        "DOUT_two@W_one.T", "(W_one@DOUT_two.T).T", "DX_BATCH=[[-2.5,0", r"dout\cdotW^\top",
    ],
    ("04_mlp.ipynb", "linear"): [
        r"dW=x^\top\cdotdout", r"dx=dout\cdotW^\top", r"dW_{ij}=\sum_nx_{ni}",
        r"A^{(l-1)\top}\delta^{(l)}", "self.x.T@dout", "dout@self.W.T", "dout.sum(axis=0)",
        r"x^\top\cdotdout", r"dout\cdotW^\top", "xᵀ·dout", "dout·Wᵀ",
    ],
    ("04_mlp.ipynb", "sigmoid_layer"): [
        r"a(1-a)", "dout*a*(1-a)", "self.out*(1.0-self.out)", "out*(1-out)",
    ],
    ("04_mlp.ipynb", "tanh_layer"): [
        r"1-a^2", "dout*(1-a**2)", "(1.0-self.out**2)", "1-np.tanh(x)**2",
    ],
    ("04_mlp.ipynb", "relu_layer"): [
        r"dout\odot[x>0]", "doutwherex>0", "themaskx>0", "dout*self.mask", "dout*(x>0)",
    ],
    ("04_mlp.ipynb", "gradient_errors"): [
        "numerical_gradient(loss,param)", "relative_error(dx,numerical_gradient(",
        "layer.forward(x)*dout", "sum(forward(x)*dout)", r"\sum\text{forward}(x)\odotdout",
        r"\sum(\text{forward}(x)\odotdout)",
    ],
    ("04_mlp.ipynb", "mse_loss"): [
        r"\frac{2}{N}(\haty_k-y_k)", "2.0*self.diff/self.diff.size", "2*(pred-y)/",
        r"2(\haty_k-y_k)", "2*(pred-y)", r"\frac{2}{ND}",
    ],
    ("04_mlp.ipynb", "train"): [
        "param-=lr*grad", "losses.append(loss_fn.forward(model.forward(X),y))",
        "model.backward(loss_fn.backward())",
    ],
    ("04_mlp.ipynb", "predict_xor_linear"): ['PREDICT_XOR_LINEAR="b"'],
    ("04_mlp.ipynb", "predict_sigmoid_depth"): ["PREDICT_SIGMOID_DEPTH=5", "4^5=1024"],
    ("04_mlp.ipynb", "predict_lr_diverges"): ['PREDICT_LR_DIVERGES="b"'],
    ("04_mlp.ipynb", "train_early_stopping"): [
        "param[...]=best", "epoch-best_epoch>=patience", "best_weights=[param.copy()",
    ],
    ("05_sgd.ipynb", "minibatches"): [
        "rng.permutation(N)gives", "order[start:start+batch_size]", "rng.permutation(len(X))",
        "shufflealistofrownumbersandcutitintoslices",
    ],
    ("05_sgd.ipynb", "epoch_loss_example"): [
        "EPOCH_LOSS_EXAMPLE=1.6", r"\frac1N\sum_{\text{batches}}B_k", "weightedbybatchsize",
    ],
    ("05_sgd.ipynb", "train_epoch"): [
        "total+=loss*len(X_batch)", "returntotal/len(X)", r"B_k\,L_k", "weightedbybatchsize",
        "Weighteachbatchlossbyitsbatchsize",
    ],
    ("05_sgd.ipynb", "momentum_velocity"): [
        "MOMENTUM_VELOCITY=-2.0", r"1/(1-\mu)", r"\frac{1}{1-\mu}", "10timestheplainstep",
    ],
    ("05_sgd.ipynb", "sgd"): [
        "self.velocities.append(np.zeros_like(param))", "Keeponevelocityperparameter,forexample",
    ],
    ("05_sgd.ipynb", "adam_m_first_step"): [
        "ADAM_M_FIRST_STEP=0.1", "$m$isonlyatenthof$g$",
    ],
    ("05_sgd.ipynb", "bias_correction"): [
        "1-beta**t", r"1-\beta^t", r"1-\beta_1^t", "/(1-self.beta1**self.t)",
    ],
    ("05_sgd.ipynb", "adam"): [
        r"\frac{m}{1-\beta_1^t}", r"\frac{v}{1-\beta_2^t}", r"1-\beta^t",
        r"m/(1-\beta_1^t)", "/(1-self.beta1**self.t)", "/(1-beta1**t)",
    ],
    ("05_sgd.ipynb", "lr_sweep"): [
        "lrs[int(np.argmin(losses))]", "losses.append(MSELoss().forward(model.forward(X_val)",
    ],
    ("05_sgd.ipynb", "raw_input_lr_limit"): [
        "RAW_INPUT_LR_LIMIT=2/(2*500**2)", "4e-6", r"4\cdot10^{-6}", r"2\cdot500^2",
        "curvatureof2andalimitof1", "250000timeslarger", r"(10^3/10^{-3})^2",
    ],
    ("05_sgd.ipynb", "constant_column_cause"): ['CONSTANT_COLUMN_CAUSE="b"'],
    ("05_sgd.ipynb", "standardize"): [
        "100*np.finfo", "ahundredtimes`np.finfo(dtype).eps`", "np.where(std>tiny",
    ],
    ("05_sgd.ipynb", "early_stopping"): [
        "param[...]=best", "best_params=[param.copy()", "param.copy()",
        "epoch-best_epoch>=patience",
    ],
    ("05_sgd.ipynb", "predict_batch_per_epoch"): ['PREDICT_BATCH_PER_EPOCH="a"'],
    ("05_sgd.ipynb", "adam_first_step"): [
        "ADAM_FIRST_STEP=(0.5,-0.5)", "(+0.5,-0.5)", "(0.5,−0.5)", "about$\\eta$percoordinate",
    ],
    ("05_sgd.ipynb", "predict_ravine_worst"): ['PREDICT_RAVINE_WORST="c"'],
    ("05_sgd.ipynb", "ravine_lr_limit"): [
        "RAVINE_LR_LIMIT=1.0", r"(1-2\eta)\,\theta_2", r"\eta<1", r"\frac{2}{h_{\max}}",
        r"\frac{2}{\lambda_{\max}}",
    ],
    ("05_sgd.ipynb", "predict_lr_above_limit"): ['PREDICT_LR_ABOVE_LIMIT="c"'],
    ("06_softmax_cross_entropy.ipynb", "softmax_cross_entropy"): [
        r"\operatorname{softmax}(Z)-\operatorname{one\_hot}(y)", r"s_j-\delta_{jy}",
        "softmax(logits)-one_hot(y)", "self.probs-one_hot", "probabilitiesminustargets",
    ],
    ("06_softmax_cross_entropy.ipynb", "dl_dz_bce"): [
        r"\frac{\partial}{\partialz}\text{BCE}=a-y", "DL_DZ_BCE=-0.98", "|a-y|",
        "aslargeastheerror",
    ],
    ("06_softmax_cross_entropy.ipynb", "softmax_1000"): [
        "0.665", "0.6652", "subtracteachrow'smaximum", r"e^{z_i-c}/\sum_je^{z_j-c}",
    ],
    ("06_softmax_cross_entropy.ipynb", "softmax"): [
        "z-z.max()", "np.max(z,axis=-1,keepdims=True)", "subtracteachrow'smaximum",
    ],
    ("06_softmax_cross_entropy.ipynb", "predict_low_temperature"): [
        'PREDICT_LOW_TEMPERATURE="b"', "becomesthe**argmax**", "morethan0.9999",
    ],
    ("06_softmax_cross_entropy.ipynb", "dl_dz_one_sample"): [
        "-0.341", "0.242,0.099", r"p_j-\delta_{jk}", r"s_j-\delta_{jy}",
    ],
    ("06_softmax_cross_entropy.ipynb", "dl_dz_batch"): [
        "-0.341/4", "-0.0853", "-0.085",
    ],
    ("06_softmax_cross_entropy.ipynb", "predict_uniform_loss"): [
        r"\ln10\approx2.30", "PREDICT_UNIFORM_LOSS=np.log(10)", r"about$\lnC$", "lnC",
    ],
    ("06_softmax_cross_entropy.ipynb", "binary_cross_entropy"): [
        "np.clip(", r"clip$a$into", "np.asarray(p,dtype=float)",
    ],
    ("06_softmax_cross_entropy.ipynb", "softmax_derivative"): [
        r"s_i\,(\delta_{ij}-s_j)", r"s_i(\delta_{ij}-s_j)", "s_0(1-s_0)", "-s_0s_1", "(1-_s[0])",
    ],
    ("06_softmax_cross_entropy.ipynb", "predict"): [
        "argmax(axis=1)", "argmax(axis=-1)", "np.argmax(model.forward(X),axis=1)",
    ],
    ("06_softmax_cross_entropy.ipynb", "width_search"): [
        "forwidthinwidths:", "accuracies[width]=",
    ],
}


@pytest.mark.parametrize(("notebook", "exercise"), list(ANSWERS), ids=lambda v: str(v))
def test_the_student_notebook_does_not_print_the_answer_before_the_check(notebook, exercise):
    seen = text_up_to_check("notebooks", notebook, exercise)
    leaked = [form for form in ANSWERS[notebook, exercise] if _squash(form) in seen]
    assert not leaked, f"{notebook}: {exercise}'s answer is readable before its check: {leaked}"


@pytest.mark.parametrize(("notebook", "exercise"), list(ANSWERS), ids=lambda v: str(v))
def test_the_scan_finds_the_answer_in_the_solution_notebook(notebook, exercise):
    # the patterns are real: the solution's own cell holds the answer the scan looks for
    seen = text_up_to_check("solutions", notebook, exercise)
    assert any(_squash(form) in seen for form in ANSWERS[notebook, exercise])


# Answers that no cell of the student notebook may restate, not even after the check (a
# recap says what was derived, not the result).
RECAP = {
    "02_gradient_descent.ipynb": [
        r"X^\top\mathbf{e}", r"\frac{2}{N}\sum_ie_i", "X.T@err", r"\frac{f(x+h)-f(x-h)}{2h}",
    ],
    # the Summary, read ahead, echoed predict_lr100's and not_zeroed_curve's answers
    "03_backpropagation.ipynb": [
        "canwastedozensofepochs", "asyourpredictionanditsrunshowed", "momentumdoesonpurpose",
    ],
}


@pytest.mark.parametrize("notebook", sorted(RECAP))
def test_no_cell_of_the_student_notebook_restates_a_derived_answer(notebook):
    text = _squash("\n".join(_source(c) for c in _cells("notebooks", notebook)))
    leaked = [form for form in RECAP[notebook] if _squash(form) in text]
    assert not leaked, f"{notebook} restates: {leaked}"


# Notebook 03's exercises whose answer is nowhere in the student notebook, not even below the
# check (tanh_prime's 1 - tanh² reappears in section 5, where Value's tanh needs it).
WHOLE_03 = ("graph_backward_table", "graph_forward_backward", "sigmoid_prime", "relu_prime",
            "predict_chain_depth", "chain_deltas", "chain_backward", "relative_error",
            "dz_one_sample", "dw_two_samples", "train_neuron", "predict_lr100",
            "choose_learning_rate")


def test_03_the_chain_rule_try_it_asks_for_its_local_derivatives_and_shows_only_the_number():
    notebook = "03_backpropagation.ipynb"
    seen = _squash("\n".join(_source(c) for c in _cells("notebooks", notebook)))
    leaked = [form for form in ("4u^3", "4*u**3", r"12\cdot3.1", "u**4") if _squash(form) in seen]
    assert not leaked, f"the (3x + 1)^4 'Your turn' hands over {leaked}"
    assert "357.492" in seen


@pytest.mark.parametrize("exercise", WHOLE_03)
def test_03_the_answer_is_nowhere_in_the_student_notebook(exercise):
    notebook = "03_backpropagation.ipynb"
    seen = _squash("\n".join(_source(c) for c in _cells("notebooks", notebook)))
    leaked = [form for form in ANSWERS[notebook, exercise] if _squash(form) in seen]
    assert not leaked, f"{exercise}'s answer is in the student notebook: {leaked}"


def _definition(notebook: str, grade_id: str) -> str:
    for cell in _cells("solutions", notebook):
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return _source(cell)
    raise AssertionError(grade_id)


def test_01_tanh_is_written_from_its_definition_not_np_tanh():
    # the check compares with np.tanh; the solution (and the sigmoid it uses) does not call it
    assert "np.tanh" not in _definition("01_neuron.ipynb", "tanh")
    assert "np.tanh" not in _definition("01_neuron.ipynb", "sigmoid")
    prose = "\n".join(_source(c) for c in _cells("notebooks", "01_neuron.ipynb"))
    assert "without `np.tanh`" in prose


QUESTION = re.compile(r"\*\*(Try it|Your turn)[.:!]?\*\*|\bYour turn:", re.IGNORECASE)


def _questions(notebook: str) -> list[tuple[int, str]]:
    cells = _cells("notebooks", notebook)
    return [(i, _source(c)) for i, c in enumerate(cells)
            if c["cell_type"] == "markdown" and QUESTION.search(_source(c))]


@pytest.mark.parametrize("notebook", ["01_neuron.ipynb", "02_gradient_descent.ipynb",
                                      "03_backpropagation.ipynb"])
def test_every_try_it_is_answered_or_is_an_exercise(notebook):
    cells = _cells("notebooks", notebook)
    questions = _questions(notebook)
    assert questions, "the scan found no question: has the wording changed?"
    for index, text in questions:
        after = text[QUESTION.search(text).start():]
        if "<details>" in after:
            continue
        following = next(c for c in cells[index + 1:] if c["cell_type"] == "code")
        assert following.get("metadata", {}).get("nbgrader", {}).get("solution"), (
            f"{notebook}, cell {index}: a question with neither an answer nor an exercise:\n"
            f"{text[:200]}"
        )


@pytest.mark.parametrize("notebook", ["01_neuron.ipynb", "02_gradient_descent.ipynb",
                                      "03_backpropagation.ipynb"])
def test_answers_are_collapsible_blocks_that_render_in_jupyterlab_and_colab(notebook):
    for cell in _cells("notebooks", notebook):
        text = _source(cell)
        if "<details>" not in text:
            continue
        assert text.count("<details>") == text.count("</details>")
        # a blank line after </summary> lets the markdown (and LaTeX) inside render
        for block in text.split("<details>")[1:]:
            assert "</summary>\n\n" in block
            assert "What you should see" in block.split("</summary>")[0]


# Notebooks 04-06 also ask with a plain "Try:" in running text.
QUESTION_04_06 = re.compile(r"\*\*(Try it|Your turn)[.:!]?\*\*|\bYour turn:|\bTry:")
PLAYGROUND = "## 9 · The playground"  # notebook 04's playground section: its own questions


@pytest.mark.parametrize("notebook", ["04_mlp.ipynb", "05_sgd.ipynb",
                                      "06_softmax_cross_entropy.ipynb"])
def test_every_try_in_04_to_06_is_answered_in_its_cell(notebook):
    asked = 0
    for cell in _cells("notebooks", notebook):
        text = _source(cell).split(PLAYGROUND)[0]
        if cell["cell_type"] != "markdown":
            continue
        for match in QUESTION_04_06.finditer(text):
            asked += 1
            rest = text[match.end():]
            following = rest.find("<details>")
            assert following != -1, f"{notebook}: unanswered: {text[match.start():][:120]}"
            # the answer belongs to this question: no other question in between
            assert not QUESTION_04_06.search(rest[:following]), rest[:200]
    assert asked >= 5, "the scan found too few questions: has the wording changed?"


@pytest.mark.parametrize("notebook", ["04_mlp.ipynb", "05_sgd.ipynb",
                                      "06_softmax_cross_entropy.ipynb"])
def test_answers_in_04_to_06_are_collapsible_blocks(notebook):
    test_answers_are_collapsible_blocks_that_render_in_jupyterlab_and_colab(notebook)


# Notebook 05's predictions (issue 22, round 2): the outcome of each run is read off its
# printout, or in a <details> answer below it, never in text the student reads before running.
OUTCOMES_05 = {
    "predict_batch_per_epoch": [r"$B=1$wins"],
    "predict_ravine_worst": ["Adamistheonethatovershoots", "carriesitfarpast",
                             "hasnotpassedtheminimumatall"],
    "predict_lr_above_limit": ["run**diverges**", "jumpsfrom$+2$to$-2$", "jumpingfrom$+2$",
                               "multipliedby1ateverystep"],
    "adam_first_step": [r"about$\eta$percoordinate", "equallylonginboth"],
}


def _outside_details(text: str) -> str:
    return re.sub(r"<details>.*?</details>", "", text, flags=re.DOTALL)


@pytest.mark.parametrize("exercise", sorted(OUTCOMES_05))
def test_05_no_outcome_is_readable_outside_an_answer_box_before_its_run(exercise):
    cells = _cells("notebooks", "05_sgd.ipynb")
    check_at = next(i for i, c in enumerate(cells) if f"check.{exercise}(" in _source(c))
    # the run is the first code cell after the check; every cell up to it, and the markdown
    # until the next exercise, is read before (or while) running it
    run_at = next(i for i in range(check_at + 1, len(cells)) if cells[i]["cell_type"] == "code")
    after = next((i for i in range(run_at + 1, len(cells))
                  if cells[i].get("metadata", {}).get("nbgrader")), len(cells))
    seen = _squash("\n".join(_outside_details(_source(c)) for c in cells[:after]))
    leaked = [form for form in OUTCOMES_05[exercise] if _squash(form) in seen]
    assert not leaked, f"{exercise}'s outcome is readable outside <details>: {leaked}"
    # the scan is live: each outcome is stated in the notebook, inside an answer box
    whole = _squash("\n".join(_source(c) for c in cells))
    assert any(_squash(form) in whole for form in OUTCOMES_05[exercise])


# Notebook 04: the matrix-form backprop and the MSE gradient are nowhere in the student
# notebook, above or below their checks (issue 22: 04 cell 16 printed them below the check).
NOWHERE_04 = {
    "linear": [r"dW=x^\top", r"dx=dout\cdotW^\top", r"x^\top\cdotdout", "xᵀ·dout",
               "dout@self.W.T", "self.x.T@dout", r"A^{(l-1)\top}\delta^{(l)}"],
    "mse_loss": [r"2(\haty_k-y_k)", "2*(pred-y)", "2.0*self.diff", "/self.diff.size"],
    # the loss a gradient check differentiates (cell 31 printed it before the exercise) and
    # the lines of train (section 5's fit printed them, below the check)
    "gradient_errors": ["layer.forward(x)*dout", "sum(forward(x)*dout)",
                        r"\sum\text{forward}(x)\odotdout", r"\sum(\text{forward}(x)\odotdout)"],
    "train": ["model.backward(loss_fn.backward())", "param-=lr*grad"],
}


# Notebooks 01 and 02: what gave an answer away to a student who ran one cell ahead (round-3
# student): the fresh-seeded run and the accuracy on a split next to choose_epochs, and the
# question's own errors printed under difference_errors. Nowhere in the student notebook.
NOWHERE_0102 = {
    ("01_neuron.ipynb", "choose_epochs"): [
        "epochs=50,rng=np.random.default_rng(0)", "epochs=best_epochs,rng=np.random.default_rng(0)",
        "accuracy(step(X_val@", "accuracy(step(X_test@",
    ],
    ("02_gradient_descent.ipynb", "difference_errors"): [
        "0.0601", "(g(2+h)-g(2))/h", "(g(2+h)-g(2-h))/(2*h)",
    ],
}


@pytest.mark.parametrize(("notebook", "exercise"), list(NOWHERE_0102), ids=lambda v: str(v))
def test_01_02_answers_are_nowhere_in_the_student_notebook(notebook, exercise):
    whole = _squash("\n".join(_source(c) for c in _cells("notebooks", notebook)))
    leaked = [form for form in NOWHERE_0102[notebook, exercise] if _squash(form) in whole]
    assert not leaked, f"{notebook}: {exercise}'s answer is in the student notebook: {leaked}"
    solution = _squash("\n".join(_source(c) for c in _cells("solutions", notebook)))
    assert any(_squash(form) in solution for form in NOWHERE_0102[notebook, exercise])


@pytest.mark.parametrize("exercise", sorted(NOWHERE_04))
def test_04_answers_are_nowhere_in_the_student_notebook(exercise):
    whole = _squash("\n".join(_source(c) for c in _cells("notebooks", "04_mlp.ipynb")))
    leaked = [form for form in NOWHERE_04[exercise] if _squash(form) in whole]
    assert not leaked, f"04_mlp.ipynb: {exercise}'s answer is in the student notebook: {leaked}"
    solution = _squash("\n".join(_source(c) for c in _cells("solutions", "04_mlp.ipynb")))
    assert any(_squash(form) in solution for form in NOWHERE_04[exercise])  # the scan is live
