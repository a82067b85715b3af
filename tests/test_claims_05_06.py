"""The claims notebooks 05 and 06 make about their runs, asserted on the same computations.

Each test runs the function the notebook's cell prints and plots (helpers.experiments.sgd and
.softmax), with the notebook's own solution classes where the notebook passes them in, so a
change that breaks a sentence of the notebook fails here.
"""

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from helpers import check, plot  # noqa: E402
from helpers.experiments import sgd as sgd_runs  # noqa: E402
from helpers.experiments import softmax as softmax_runs  # noqa: E402
from helpers.nn import Linear, Sequential, Tanh  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def solution_cells(notebook):
    cells = json.loads((ROOT / "solutions" / notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


def notebook_definitions(notebook, *names):
    """Run the solution notebook's cells that define ``names`` (in notebook order)."""
    namespace = {"np": np}
    for source in solution_cells(notebook):
        if any(f"def {n}(" in source or f"class {n}:" in source for n in names):
            exec(compile(source, notebook, "exec"), namespace)  # noqa: S102
    missing = [n for n in names if n not in namespace]
    assert not missing, f"{notebook} defines no {missing}"
    return namespace


@pytest.fixture(scope="module")
def nb05():
    from helpers.losses import MSELoss

    namespace = notebook_definitions("05_sgd.ipynb", "minibatches", "train_epoch", "SGD",
                                     "Adam", "standardize", "WithWeightDecay", "median_time",
                                     "lr_sweep", "early_stopping")
    namespace["MSELoss"] = MSELoss  # the notebook imports it in its first cells
    return namespace


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- notebook 05 ---


def test_timings_keep_the_median_run_not_the_fastest(nb05):
    ticks = iter([0.0, 5.0, 5.0, 6.0, 6.0, 9.0, 9.0, 10.0])  # runs of 5, 1, 3 and 1 s

    def clock():
        return next(ticks)

    assert sgd_runs.median_time(lambda: None, repeats=4, clock=clock) == 2.0  # min would be 1
    calls = []

    def timer(f, X, W, b):
        calls.append((f.__name__, len(X)))
        return float(len(X))

    seconds = sgd_runs.vectorisation_timings((10, 1000), timer=timer)
    assert seconds["Python loop over samples"] == [10.0, 1000.0]
    assert sgd_runs.growth(seconds["one matrix product"]) == 100
    assert calls == [("forward_loop", 10), ("forward_vectorised", 10),
                     ("forward_loop", 1000), ("forward_vectorised", 1000)]
    # the notebook's timer is a median too
    ticks = iter([0.0, 1.0, 1.0, 5.0, 5.0, 8.0])
    nb05["time"] = type("clock", (), {"perf_counter": staticmethod(lambda: next(ticks))})
    assert nb05["median_time"](lambda: None, repeats=3) == 3.0


def test_05_the_loop_grows_at_least_in_proportion_and_the_product_far_less():
    # a real measurement, with wide margins: "the loop's printed factor is at least the 100
    # by which N grew"; "the product's time grows far less than N"
    seconds = sgd_runs.vectorisation_timings((10, 1000))
    loop, product = (sgd_runs.growth(seconds[name]) for name in seconds)
    assert loop > 70 and product < loop / 3


def test_plain_sgd_in_the_ravine_is_stable_exactly_below_two_over_the_curvature(nb05):
    assert sgd_runs.ravine_stability_limit() == pytest.approx(1.0)
    across = sgd_runs.sgd_across_the_ravine(lrs=(0.9, 1.0, 1.05), steps=40, sgd=nb05["SGD"])
    assert across[0.9][-1] < 1e-3  # shrinks by 0.8 per step
    # at the limit it neither diverges (the old claim) nor converges: ±2 forever
    assert np.allclose(across[1.0], 2.0)
    assert across[1.05][-1] > 50 and np.all(np.diff(across[1.05]) > 0)  # × 1.1 per step


def test_adam_swings_and_overshoots_in_the_ravine_where_rmsprop_goes_to_the_floor(nb05):
    paths = sgd_runs.ravine_paths(sgd=nb05["SGD"], adam=nb05["Adam"], steps=40)
    loss = {name: float(sgd_runs.ravine(path[-1])) for name, path in paths.items()}
    adam, rmsprop = paths["Adam, lr 0.5"], paths["RMSProp, lr 0.3"]
    momentum = paths["momentum 0.9, lr 0.3"]
    # "the largest loss of the three, 80 to 100 times that of momentum or RMSProp"
    ratios = [loss["Adam, lr 0.5"] / loss[other] for other in ("momentum 0.9, lr 0.3",
                                                                 "RMSProp, lr 0.3")]
    assert [round(r) for r in ratios] == [81, 100]
    # its first step is diagonal: about lr in both directions, ADAM_FIRST_STEP's answer
    assert np.allclose(np.abs(adam[1] - adam[0]), 0.5, rtol=0.05)
    check.adam_first_step(adam[1] - adam[0])
    # "the gradient's two components differ by a factor of 22"
    gradient = sgd_runs.ravine_gradient(np.array(sgd_runs.RAVINE_START))
    assert round(abs(gradient[1] / gradient[0])) == 22
    # it does not head for the floor at once (the old claim); RMSProp does
    assert np.abs(adam[5:15, 1]).max() > 0.5 and np.abs(rmsprop[10:, 1]).max() < 0.1
    # "far past the minimum along it (the largest overshoot)"
    overshoot = {name: max(path[:, 0].max(), 0) for name, path in paths.items()}
    others = max(overshoot[n] for n in overshoot if "Adam" not in n)
    assert overshoot["Adam, lr 0.5"] > 1 > 3 * others
    # momentum swings across the valley, swings that die down as it reaches the minimum
    assert sgd_runs.crossings(momentum[:20], 1) >= 2
    assert np.abs(momentum[-10:, 1]).max() < np.abs(momentum[1:20, 1]).max() / 3
    assert np.linalg.norm(momentum[-1]) < 0.5
    assert sgd_runs.crossings(np.array([[0, 1], [0, -1], [0, 0], [0, 2]]), 1) == 2


def _moons_sweeps(nb05):
    lrs = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
    train_data, val_data = sgd_runs.moons_split()
    sweeps = {}
    for name, make in (("SGD", nb05["SGD"]), ("Adam", nb05["Adam"])):
        sweeps[name] = nb05["lr_sweep"](lrs, lambda: sgd_runs.moons_mlp(seed=1),
                                        lambda m, lr, make=make: make(m, lr=lr), train_data,
                                        val_data, epochs=20)
    return lrs, sweeps


def test_adam_works_over_a_wide_range_of_learning_rates_on_validation(nb05):
    lrs, sweeps = _moons_sweeps(nb05)
    (sgd, sgd_best), (adam, adam_best) = sweeps["SGD"], sweeps["Adam"]
    # the student's sweep is the reference one
    reference = sgd_runs.validation_sweep(lrs, lambda: sgd_runs.moons_mlp(seed=1),
                                          lambda m, lr: nb05["Adam"](m, lr=lr),
                                          *sgd_runs.moons_split(), epochs=20)
    assert np.allclose(adam, reference[0]) and adam_best == reference[1]
    # "below a validation loss of 0.1 at every rate from 0.001 to 0.1, a hundred times wide"
    assert sgd_runs.below(lrs, adam) == [0.001, 0.003, 0.01, 0.03, 0.1]
    # "plain SGD ... gets below 0.1 only at the three largest rates"
    assert sgd_runs.below(lrs, sgd) == [0.1, 0.3, 1.0]
    # "its best validation loss is about 2.4 times lower than plain SGD's"
    assert round(min(sgd) / min(adam), 1) == 2.4
    # "at the two largest, 0.3 and 1, Adam's steps become too big"
    assert lrs[-2:] == (0.3, 1.0)
    assert all(loss > 0.1 and loss > 4 * min(adam) for loss in adam[-2:])
    # the rates chosen on validation
    assert (sgd_best, adam_best) == (0.3, 0.1)


def test_the_sweep_chooses_on_validation_where_training_would_choose_otherwise():
    # the check's own problem: a sweep that chose on the training loss fails it
    from importlib import import_module

    questions = import_module("helpers.check.sgd_questions")
    lrs = (0.003, 0.01, 0.05, 0.2)
    val, trained, last = questions._reference_sweep(lrs, *questions._sweep_problem(), 10, 4, 0)
    best = {lrs[int(np.argmin(x))] for x in (val, trained, last)}
    assert len(best) == 3 and lrs[int(np.argmax(val))] not in best


def test_05_prediction_batch_1_beats_batch_n_per_epoch(nb05, capsys):
    finals = sgd_runs.batch_size_finals(train_epoch=nb05["train_epoch"])
    # "Per epoch, B = 1 wins": the checked answer is (a), and the run agrees
    assert finals[1] < finals[32] < finals[256]
    assert finals[256] > 1.5 * finals[1]
    answer = {1: "a", 256: "b"}[min((1, 256), key=finals.get)]
    check.predict_batch_per_epoch(answer)
    assert capsys.readouterr().out == "✓ predict_batch_per_epoch looks right.\n"


def test_05_prediction_adam_overshoots_the_valley_most_of_the_three(nb05, capsys):
    """The checked answer of predict_ravine_worst agrees with the run: Adam goes farthest past
    the minimum along the valley, momentum only at the end, RMSProp never, so (d) is wrong."""
    paths = sgd_runs.ravine_paths(sgd=nb05["SGD"], adam=nb05["Adam"], steps=40)
    past = {name.split(",")[0]: sgd_runs.valley_overshoot(path) for name, path in paths.items()}
    improved = ("momentum 0.9", "RMSProp", "Adam")
    farthest = max(improved, key=lambda name: past[name][0])
    assert past[farthest][0] > 0  # someone overshoots: not (d)
    check.predict_ravine_worst({"momentum 0.9": "a", "RMSProp": "b", "Adam": "c"}[farthest])
    assert capsys.readouterr().out == "✓ predict_ravine_worst looks right.\n"
    # the numbers the answer box reads off the printout
    assert (round(past["Adam"][0], 2), past["Adam"][1]) == (1.36, 22)
    assert (round(past["momentum 0.9"][0], 2), past["momentum 0.9"][1]) == (0.17, 39)
    assert past["RMSProp"] == (0.0, None)
    # "its steps there are about η = 0.5 long from the very first"; momentum's start slowly
    along = {name: np.diff(path[:, 0]) for name, path in paths.items()}
    assert np.all(np.abs(along["Adam, lr 0.5"][:10] - 0.5) < 0.05)
    assert along["momentum 0.9, lr 0.3"][0] < 0.2 * 0.5
    # RMSProp's steps along the valley shrink as the gradient does
    assert np.all(np.diff(along["RMSProp, lr 0.3"]) < 0)


def test_valley_overshoot_reads_the_largest_theta1_and_the_first_step_past():
    path = np.array([[-2.0, 1], [-1, 0], [0.5, 0], [1.5, 0], [-0.5, 0]])
    assert sgd_runs.valley_overshoot(path) == (1.5, 2)
    assert sgd_runs.valley_overshoot(path[:2]) == (0.0, None)


def test_05_the_ravine_table_names_the_worst_of_the_three_improved_optimisers(nb05):
    # the cell after predict_ravine_worst prints sgd_runs.largest_of over the three improved
    paths = sgd_runs.ravine_paths(sgd=nb05["SGD"], adam=nb05["Adam"], steps=40)
    loss = {name: float(sgd_runs.ravine(path[-1])) for name, path in paths.items()}
    assert list(loss)[0].startswith("SGD")  # the cell drops the first, plain SGD
    worst, times = sgd_runs.largest_of(loss, list(loss)[1:])
    assert worst == "Adam, lr 0.5" and [round(t) for t in times] == [81, 100]


def test_05_adams_first_step_is_eta_per_coordinate_and_gradient_descents_is_22_times_longer(nb05):
    steps = sgd_runs.first_steps(adam=nb05["Adam"], lr=0.5)
    adam, plain = steps["Adam, lr 0.5"], steps["plain gradient descent, lr 0.5"]
    assert np.allclose(adam, (0.5, -0.5), atol=1e-6)
    assert np.allclose(plain, (0.09, -2.0)) and round(abs(plain[1] / plain[0])) == 22


def test_05_the_limit_run_prints_shrank_stayed_grew(nb05):
    across = sgd_runs.sgd_across_the_ravine(lrs=(0.9, 1.0, 1.05), steps=40, sgd=nb05["SGD"])
    assert [sgd_runs.trend(d) for d in across.values()] == ["shrank", "stayed", "grew"]
    # "it grows by 10 % at every step, to about 90 after 40 steps"
    assert np.allclose(across[1.05][1:] / across[1.05][:-1], 1.1)
    assert 90 < across[1.05][-1] < 91


def test_05_the_limit_question_and_the_prediction_past_it_agree_with_the_run(nb05, capsys):
    across = sgd_runs.sgd_across_the_ravine(lrs=(0.9, 1.0, 1.05), steps=40, sgd=nb05["SGD"])
    # RAVINE_LR_LIMIT: below 1.0 the distance shrinks, at 1.0 it stays, past it it grows
    assert across[0.9][-1] < across[0.9][0] and np.allclose(across[1.0], across[1.0][0])
    check.ravine_lr_limit(sgd_runs.ravine_stability_limit())
    # PREDICT_LR_ABOVE_LIMIT: the letter the run gives is the checked one
    final = across[1.05][-1]
    letter = "a" if final < 1.9 else "b" if final < 2.1 else "c"
    assert letter == "c" and 90 < final < 91  # the worked hint: 2 · 1.1⁴⁰ ≈ 90
    check.predict_lr_above_limit(letter)
    assert capsys.readouterr().out == ("✓ ravine_lr_limit looks right.\n"
                                       "✓ predict_lr_above_limit looks right.\n")


def test_05_raw_inputs_of_500_need_a_rate_250_000_times_smaller():
    # RAW_INPUT_LR_LIMIT: the curvature of mean((w x − y)²) along w is 2 mean(x²)
    x = np.full(10, 500.0)
    curvature = 2 * np.mean(x**2)
    check.raw_input_lr_limit(2 / curvature)
    assert sgd_runs.linear_neuron_lr_limit(np.ones(4) * 0 + np.array([1, -1, 1, -1])) == (
        pytest.approx(1.0))
    assert (2 / 2) / (2 / curvature) == 250_000
    # the printed run: "largest stable rate: raw inputs 4.1e-06, standardised 1.00"
    T_raw, target = sgd_runs.input_scale_data()
    T_standard = (T_raw - T_raw.mean()) / T_raw.std()
    raw_limit = sgd_runs.linear_neuron_lr_limit(T_raw)
    assert f"{raw_limit:.2g}" == "4.1e-06"
    assert f"{sgd_runs.linear_neuron_lr_limit(T_standard):.2f}" == "1.00"
    # "at 0.1 the raw run blows up within two steps, while the standardised one converges"
    blown = sgd_runs.linear_neuron_descent(T_raw, target, 0.1)
    assert len(blown) - 1 <= 2 and blown[-1] > 1e10
    standard = sgd_runs.linear_neuron_descent(T_standard, target, 0.1)
    assert standard[-1] < 0.01 * standard[0]
    # "at 95 % of its own limit the raw run is stable, but its loss has barely moved"
    slow = sgd_runs.linear_neuron_descent(T_raw, target, 0.95 * raw_limit)
    assert len(slow) == 101 and np.all(np.diff(slow) <= 1e-12) and slow[-1] > 0.9 * slow[0]
    # just past the limit it diverges: the limit is the real one
    assert sgd_runs.linear_neuron_descent(T_raw, target, 1.05 * raw_limit)[-1] > slow[0]
    # "steps of 4 · 10⁻⁶" and "(10³ / 10⁻³)² = 10¹²"
    assert f"{0.95 * raw_limit:.0e}" == "4e-06" and (1e3 / 1e-3) ** 2 == pytest.approx(1e12)


def test_05_plain_sgd_is_the_slowest_of_the_four_on_the_moons(nb05):
    from helpers import optim

    X, y = sgd_runs.moons_data()
    makers = {"SGD": lambda m: nb05["SGD"](m, lr=0.1),
              "momentum": lambda m: nb05["SGD"](m, lr=0.1, momentum=0.9),
              "RMSProp": lambda m: optim.RMSProp(m, lr=0.003),
              "Adam": lambda m: nb05["Adam"](m, lr=0.01)}
    curves = {}
    for name, make in makers.items():
        model, rng = sgd_runs.moons_mlp(seed=1), np.random.default_rng(0)
        optimizer, loss_fn = make(model), nb05["MSELoss"]()
        curves[name] = np.array([nb05["train_epoch"](model, loss_fn, optimizer, X, y, 32, rng)
                                 for _ in range(20)])
    others = [curves[n] for n in ("momentum", "RMSProp", "Adam")]
    # "after 5 epochs its loss is still about 0.12, where the three others are below 0.09"
    assert round(curves["SGD"][4], 2) == 0.12 and all(c[4] < 0.09 for c in others)
    # "after 20 it is still the highest"; "the three end within 0.001 of each other"
    assert all(curves["SGD"][-1] > c[-1] for c in others)
    finals = [c[-1] for c in others]
    assert max(finals) - min(finals) < 0.001


def test_05_the_batch_panel_starts_where_the_text_says():
    from helpers import interact

    panel = interact.batch_size_panel()
    sliders = [w for w in _widgets(panel) if getattr(w, "description", "") == "batch size"]
    assert [w.value for w in sliders] == [8]
    text = " ".join(c for c in markdown_cells("05_sgd.ipynb") if "interact" not in c)
    assert "The batch-size menu starts at $B = 8$." in text
    assert max(sliders[0].options) == 64 and "Choose 64" in text


def _widgets(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _widgets(child)


def markdown_cells(notebook):
    cells = json.loads((ROOT / "solutions" / notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def test_05_the_checked_questions_agree_with_numpy():
    # CONSTANT_COLUMN_CAUSE's premise: a constant column's computed spread is not 0, in both
    # dtypes, and it is rounding noise of about eps times the values
    for dtype in (np.float64, np.float32):
        spread = np.full(7, 0.1, dtype=dtype).std()
        assert 0 < spread < 2 * np.finfo(dtype).eps * 0.1
    # MOMENTUM_VELOCITY: v ← 0.9 v − 0.1 · 2 settles at −2
    v = 0.0
    for _ in range(300):
        v = 0.9 * v - 0.1 * 2
    assert v == pytest.approx(-2.0)
    # ADAM_M_FIRST_STEP and bias_correction: m after t steps of g = 1 is 1 − 0.9ᵗ
    m = 0.0
    for t in range(1, 6):
        m = 0.9 * m + 0.1 * 1
        assert m == pytest.approx(1 - 0.9**t)


def test_mini_batch_noise_leaves_the_flat_top_several_times_sooner():
    assert sgd_runs.two_dips_gradient(0.0) == pytest.approx(0.0, abs=1e-15)
    assert abs(sgd_runs.two_dips_gradient(0.0, sgd_runs.DIPS[0])) > 0.1  # one sample: not flat
    for seed in range(5):
        escape = sgd_runs.plateau_escape(start=1e-6, lr=1.0, steps=60, seed=seed)
        gd = sgd_runs.steps_to_leave(escape["gradient descent"])
        sgd = sgd_runs.steps_to_leave(escape["SGD, batch of 1"])
        assert gd >= 24 and 3 * sgd <= gd  # "dozens of steps", "several times sooner"
    assert sgd_runs.steps_to_leave([0.0, -0.1]) == 2


def test_weight_decay_adds_lambda_w_to_the_weights_only(nb05):
    for wrapper in (nb05["WithWeightDecay"], sgd_runs.WithWeightDecay):
        x = np.random.default_rng(0).normal(size=(5, 3))
        plain = Sequential(Linear(3, 2, np.random.default_rng(1)), Tanh())
        penalised = wrapper(Sequential(Linear(3, 2, np.random.default_rng(1)), Tanh()), 0.1)
        dout = np.ones((5, 2))
        plain.forward(x)
        penalised.forward(x)
        assert np.allclose(plain.backward(dout), penalised.backward(dout))
        (W, dW), (_, db) = plain.parameters()
        (_, dW_pen), (_, db_pen) = penalised.parameters()
        assert np.allclose(dW_pen, dW + 0.1 * W) and np.allclose(db_pen, db)


def test_early_stopping_weight_decay_and_the_one_test_measurement(nb05):
    kwargs = {"adam": nb05["Adam"], "train_epoch": nb05["train_epoch"],
              "penalised": nb05["WithWeightDecay"]}
    plain, decayed = (sgd_runs.regularised_run(d, **kwargs) for d in (0.0, 0.01))
    # without the penalty: training keeps falling, validation turns up after its lowest point
    assert plain["best_epoch"] < 150 and plain["val"][-1] > 1.5 * plain["val"].min()
    assert plain["train"][-1] < 0.7 * plain["train"][plain["best_epoch"] - 1]
    # with it: the training loss stays higher and the validation loss stays near its lowest
    assert decayed["train"][-1] > 1.3 * plain["train"][-1]
    assert decayed["val"][-1] < 1.1 * decayed["val"].min() < plain["val"][-1]
    # "The test loss is higher than the validation loss you selected on"
    assert plain["test_best"] > plain["val"].min()
    # early stopping pays: the best epoch's weights beat the last epoch's on the test set
    assert plain["test_best"] < plain["test_last"]


def test_standardize_solution_centres_near_constant_columns_and_keeps_the_dtype(nb05):
    standardize = nb05["standardize"]
    X = np.column_stack([np.full(1000, 0.1), np.arange(1000.0)])
    assert X[:, 0].std() > 0  # the trap: rounding gives the constant column a spread
    train, test = standardize(X, np.array([[0.2, 5.0]]))
    assert np.abs(train[:, 0]).max() < 1e-12  # centred, not blown up to ones
    assert test[0, 0] == pytest.approx(0.1) and np.isfinite(test).all()
    assert np.allclose(train[:, 1].std(), 1)
    train32, test32 = standardize(X.astype(np.float32), np.array([[0.2, 5.0]], np.float32))
    assert train32.dtype == test32.dtype == np.float32
    assert np.abs(train32[:, 0]).max() < 1e-5 and test32[0, 0] == pytest.approx(0.1, rel=1e-4)
    (ints,) = standardize(np.array([[1, 2], [3, 2]]))
    assert np.allclose(ints, [[-1, 0], [1, 0]])
    # a small but real spread is still scaled
    (small,) = standardize(np.array([[1000.0], [1000.05]], dtype=np.float32))
    assert np.allclose(small.ravel(), [-1, 1], atol=1e-2)
    check.standardize(standardize)


def test_loss_curves_count_epochs_and_steps_in_whole_numbers():
    for xlabel in ("epoch", "step"):
        ax = plot.loss_curves({"a": ([1, 2, 3], [1.0, 0.5, 0.4])}, xlabel)
        ticks = [t for t in ax.get_xticks() if 1 <= t <= 3]
        assert ticks and all(float(t).is_integer() for t in ticks)


# --- notebook 06 ---


def test_squared_error_gradient_peaks_at_ln_half_not_at_zero():
    z, height = softmax_runs.squared_error_peak(y=1)
    assert z == pytest.approx(np.log(0.5), abs=1e-3) and height == pytest.approx(4 / 27, rel=1e-6)
    assert abs(z) > 0.5  # the old hint: a(1 - a) peaks at z = 0, the plotted curve does not
    grid = np.linspace(-8, 8, 1601)
    assert softmax_runs.squared_error_peak(y=1, z=grid)[0] == pytest.approx(-0.69)
    curves = softmax_runs.sigmoid_output_gradients(np.array([-6.0, 0.0]))
    assert curves["cross-entropy"][0] > 0.99 and curves["squared error"][0] < 0.003
    assert softmax_runs.squared_error_peak(y=0)[0] == pytest.approx(-np.log(0.5), abs=1e-3)


def test_top_confusions_name_the_most_frequent_mistakes_first():
    y_true = np.array([4, 4, 4, 7, 7, 2, 1, 1, 1, 1])
    y_pred = np.array([9, 9, 4, 9, 2, 8, 1, 1, 1, 1])
    assert softmax_runs.top_confusions(y_true, y_pred, k=2) == [(4, 9, 2), (2, 8, 1)]
    assert softmax_runs.top_confusions(y_true, y_true) == []
    with pytest.raises(ValueError, match="one label per sample"):
        softmax_runs.top_confusions(y_true, y_pred[:3])


def test_confusion_matrix_gives_the_mistakes_the_whole_colour_scale():
    y_true = np.repeat([0, 1], [1010, 1000])
    y_pred = np.concatenate([np.zeros(1000, int), np.ones(10, int), np.ones(997, int),
                             np.zeros(3, int)])
    ax = plot.confusion_matrix(y_true, y_pred)
    image = ax.images[0]
    counts = image.get_array()
    assert np.ma.getdata(counts).tolist() == [[1000, 10], [3, 997]]
    assert np.ma.getmaskarray(counts).tolist() == [[True, False], [False, True]]
    # the largest mistake gets the darkest colour, not a pale one beside 1000 right answers
    assert image.norm(10) == pytest.approx(1.0) and image.norm(3) == pytest.approx(0.3)


def test_validation_split_and_the_halving_schedule():
    X, y = np.arange(40).reshape(20, 2), np.arange(20)
    X_fit, X_val, y_fit, y_val = softmax_runs.validation_split(X, y, n_val=5, rng=0)
    assert len(X_fit) == 15 and len(X_val) == 5
    assert sorted(np.concatenate([y_fit, y_val]).tolist()) == list(range(20))
    assert np.array_equal(X_val[:, 0] // 2, y_val)  # rows keep their labels
    with pytest.raises(ValueError, match="n_val"):
        softmax_runs.validation_split(X, y, n_val=20)
    assert np.allclose(softmax_runs.halving_schedule(0.003, 3), [0.003, 0.0015, 0.00075])


def test_notebook_06_uses_the_test_set_once_after_training():
    cells = solution_cells("06_softmax_cross_entropy.ipynb")
    loop = next(i for i, s in enumerate(cells) if "optimiser.lr = schedule[epoch]" in s)
    assert "X_test" not in cells[loop] and "X_val" in cells[loop]
    uses = [i for i, s in enumerate(cells) if "predict(model, X_test)" in s]
    assert len(uses) == 1 and uses[0] > loop


def test_binary_cross_entropy_solution_survives_float32_and_column_labels():
    bce = notebook_definitions("06_softmax_cross_entropy.ipynb",
                               "binary_cross_entropy")["binary_cross_entropy"]
    p32 = np.array([0.0, 1.0, 0.5], dtype=np.float32)
    assert np.float32(1) - np.float32(1e-12) == 1  # the trap
    assert bce(p32, np.array([0.0, 1.0, 1.0])) == pytest.approx(np.log(2) / 3, abs=1e-6)
    assert np.isfinite(bce(np.array([0.0, 1.0], np.float32), np.array([1.0, 0.0])))
    p, y = np.array([0.9, 0.2, 0.7]), np.array([1.0, 0.0, 1.0])
    want = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert bce(p, y[:, None]) == pytest.approx(want)  # not the (N, N) broadcast
    check.binary_cross_entropy(bce)


def test_a_constant_rate_jitters_at_a_floor_that_halving_goes_below():
    small = softmax_runs.decay_on_line_fit(lr=0.1)
    large = softmax_runs.decay_on_line_fit(lr=0.3)
    for run in (small, large):
        constant = run["constant"]
        assert constant.shape == (6,) and constant[-1] > 0.5 * constant[1]  # stops falling
    # the floor grows with the rate; halving ends more than ten times below both
    halved = large["halved every epoch"][-1]
    assert large["constant"][-1] > small["constant"][-1] > 10 * halved
    assert np.all(np.diff(large["halved every epoch"]) < 0)


def solution_answer(notebook, grade_id, namespace=None):
    """Run the solution notebook's exercise cell ``grade_id``; its namespace."""
    namespace = {"np": np} if namespace is None else namespace
    cells = json.loads((ROOT / "solutions" / notebook).read_text(encoding="utf-8"))["cells"]
    cell = next(c for c in cells if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)
    exec(compile("".join(cell["source"]), notebook, "exec"), namespace)  # noqa: S102
    return namespace


NB06 = "06_softmax_cross_entropy.ipynb"


def test_06_the_cross_entropy_pushes_a_confidently_wrong_neuron_sixty_times_harder():
    answer = solution_answer(NB06, "dl_dz_bce")["DL_DZ_BCE"]
    check.dl_dz_bce(answer)
    squared = softmax_runs.sigmoid_output_gradients(np.array([-4.0]), y=1)["squared error"][0]
    assert round(squared, 4) == 0.0173  # the printed "squared error -0.0173"
    assert 55 <= abs(answer) / squared < 60  # "nearly sixty times larger"


def test_06_the_low_temperature_run_agrees_with_the_checked_prediction():
    answer = solution_answer(NB06, "predict_low_temperature")["PREDICT_LOW_TEMPERATURE"]
    check.predict_low_temperature(answer)
    assert answer == "b"  # (b): all the probability goes to the largest score
    probs = softmax_runs.temperature_extremes([2.0, 1.0, 0.5, -1.0], (1.0, 0.1, 0.02))
    assert probs[0.02][0] > 0.9999 and probs[0.1][0] > 0.9999 and probs[1.0][0] < 0.7


def test_06_the_uniform_loss_run_agrees_with_the_checked_prediction():
    answer = solution_answer(NB06, "predict_uniform_loss")["PREDICT_UNIFORM_LOSS"]
    check.predict_uniform_loss(answer)
    ns = notebook_definitions(NB06, "one_hot", "SoftmaxCrossEntropy")
    start = softmax_runs.initial_loss(ns["SoftmaxCrossEntropy"](), scale=0.01)
    assert round(start, 3) == round(answer, 3) == 2.303  # "initial loss 2.303; you predicted 2.303"


def test_06_the_steps_of_the_softmax_cross_entropy_gradient_pass_their_checks():
    ns = solution_answer(NB06, "dl_dz_one_sample")
    solution_answer(NB06, "dl_dz_batch", ns)
    solution_answer(NB06, "softmax_1000", ns)
    check.dl_dz_one_sample(ns["DL_DZ_ONE_SAMPLE"])
    check.dl_dz_batch(ns["DL_DZ_BATCH"])
    check.softmax_1000(ns["SOFTMAX_1000"])


def test_06_the_width_rule_takes_the_smallest_within_the_margin():
    assert softmax_runs.smallest_within({16: 0.90, 64: 0.928, 128: 0.93}, 0.005) == 64
    assert softmax_runs.smallest_within({16: 0.90, 64: 0.919, 128: 0.932}, 0.005) == 128


def test_06_confusion_extremes_count_right_answers_per_class_and_the_top_mistake():
    y_true = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2])
    y_pred = np.array([0, 0, 1, 1, 1, 2, 2, 0, 0])
    assert softmax_runs.confusion_extremes(y_true, y_pred) == ((2, 2), 2)
    assert softmax_runs.confusion_extremes(y_true, y_true) == ((2, 4), 0)


def test_06_the_width_search_runs_on_validation_and_the_test_set_stays_out():
    cells = solution_cells(NB06)
    search = next(s for s in cells if "val_by_width.update(width_search(" in s)
    assert "softmax_runs.smallest_within(val_by_width, margin=0.005)" in search
    assert "X_val, y_val" in search and "X_test" not in search
    build = next(s for s in cells if "own_code.mnist_model(" in s)
    assert "hidden=best_width" in build
    assert cells.index(search) < cells.index(build)


WIDTHS = (16, 64, 128, 256)  # the notebook's search grid


@pytest.mark.skipif(not __import__("os").environ.get("NN_WORKBOOK_DATA"),
                    reason="NN_WORKBOOK_DATA is not set")
def test_06_the_width_rule_picks_an_interior_width_on_the_validation_set():
    """The notebook's search cell: on the validation set, 256 units buy less than half a point
    over 128 at twice the time, so the rule keeps 128, a width inside the grid, not its widest:
    the trade-off is exercised. The MNIST network of the later claims (97 %, its confidence)
    has those 128 hidden units."""
    from helpers import data
    from helpers.nn import Linear, ReLU, Sequential
    from helpers.optim import Adam

    cells = solution_cells(NB06)
    search = next(s for s in cells if "val_by_width.update(width_search(" in s)
    assert f"for width in {WIDTHS}:" in search and "epochs=2" in search
    assert "X_fit[:10000], y_fit[:10000]" in search and "default_rng(1)" in search
    ns = notebook_definitions(NB06, "one_hot", "SoftmaxCrossEntropy", "predict")
    ns.update(Sequential=Sequential, Linear=Linear, ReLU=ReLU, Adam=Adam, data=data)
    solution_answer(NB06, "width_search", ns)
    X_train, _, y_train, _ = data.load_mnist(download=False, progress=False)
    X_fit, X_val, y_fit, y_val = softmax_runs.validation_split(X_train, y_train, 5000, rng=0)
    # the notebook searches width by width with one generator
    rng, found = np.random.default_rng(1), {}
    for width in WIDTHS:
        found.update(ns["width_search"]((width,), X_fit[:10000], y_fit[:10000], X_val, y_val,
                                        epochs=2, rng=rng))
    assert found[16] < found[64] < found[128]  # up to 128 every width buys accuracy
    assert found[128] - found[64] > 0.005  # 64 is more than the margin below
    assert abs(found[256] - found[128]) < 0.005  # 256 is not clearly better
    chosen = softmax_runs.smallest_within(found, margin=0.005)
    assert chosen == 128 and min(WIDTHS) < chosen < max(WIDTHS)  # interior, not the widest
    # the same numbers from one call over the whole grid
    assert ns["width_search"](WIDTHS, X_fit[:10000], y_fit[:10000], X_val, y_val, epochs=2,
                              rng=np.random.default_rng(1)) == found


# --- issue 17: the "What you should see" answers of 05 and 06 ---


def test_05_batch_gradient_error_halves_when_the_batch_grows_four_times():
    full, errors = sgd_runs.batch_gradient_errors(rng=np.random.default_rng(0))
    assert np.linalg.norm(full) == pytest.approx(8.56, abs=0.005)
    assert [round(errors[B], 2) for B in (16, 64, 256, 1024)] == [2.08, 1.08, 0.55, 0.24]
    for small, large in ((16, 64), (64, 256)):
        assert 0.45 < errors[large] / errors[small] < 0.55  # "about halves"
    assert errors[1024] / errors[256] < errors[256] / errors[64]  # "a little faster"
    angle = np.degrees(np.arcsin(errors[64] / np.linalg.norm(full)))
    assert 6.5 < angle < 7.5  # "within about 7°"
    assert 7.5 < np.linalg.norm(full) / errors[64] < 8.5  # "about an eighth"


def test_05_the_notebook_prints_the_errors_of_the_same_function():
    source = "\n".join(solution_cells("05_sgd.ipynb"))
    assert "sgd_runs.batch_gradient_errors(" in source


def test_06_kl_is_not_symmetric_the_fair_die_against_the_loaded_one():
    ns = notebook_definitions("06_softmax_cross_entropy.ipynb", "entropy", "cross_entropy",
                              "kl_divergence")
    p, q = np.full(6, 1 / 6), np.array([0.02] * 5 + [0.9])
    assert round(ns["kl_divergence"](p, q), 3) == 2.144
    assert round(ns["kl_divergence"](q, p), 3) == 1.884
    assert ns["kl_divergence"](p, q) > ns["kl_divergence"](q, p)  # the printed "the larger"
    assert np.log2((1 / 6) / 0.02) == pytest.approx(3.06, abs=0.005)
    assert np.log2(0.9 / (1 / 6)) == pytest.approx(2.43, abs=0.005)
    near_uniform = 0.99 * p + 0.01 * q
    assert ns["cross_entropy"](p, near_uniform) == pytest.approx(np.log2(6), abs=1e-3)
    assert ns["kl_divergence"](p, near_uniform) < 1e-3
    assert ns["kl_divergence"](near_uniform, p) < 1e-3


def test_06_at_minus_six_the_squared_error_gradient_is_60_times_below_its_peak():
    z = np.linspace(-8, 8, 1601)
    _, peak = softmax_runs.squared_error_peak(y=1, z=z)
    at = softmax_runs.sigmoid_output_gradients(np.array([-6.0]), y=1)
    se, ce = at["squared error"][0], at["cross-entropy"][0]
    assert round(se, 4) == 0.0025 and round(ce, 4) == 0.9975
    assert 55 < peak / se < 65  # "some 60 times"
    assert 380 < ce / se < 420  # "about 400 times"


def test_06_temperature_goes_from_argmax_to_uniform_and_keeps_the_order():
    scores = [2.0, 1.0, 0.5, -1.0]  # the panel's scores
    probs = softmax_runs.temperature_extremes(scores, (0.1, 1.0, 5.0))
    assert probs[0.1][0] > 0.9999
    assert list(probs[5.0].round(2)) == [0.32, 0.26, 0.24, 0.18]
    for p in probs.values():
        assert list(np.argsort(-p)) == [0, 1, 2, 3]
    # the regions panel: the argmax of softmax(Z / T) is the argmax of Z at every T > 0
    Z = 4 * np.random.default_rng(0).normal(size=(500, 3))
    for t in (0.1, 1.0, 10.0):
        p = softmax_runs.temperature_extremes(Z, (t,))[t]
        assert (p.argmax(axis=1) == Z.argmax(axis=1)).all()
    assert softmax_runs.temperature_extremes(Z, (10.0,))[10.0].max(axis=1).mean() < \
        softmax_runs.temperature_extremes(Z, (1.0,))[1.0].max(axis=1).mean()  # paler


def test_06_a_confident_untrained_network_starts_at_a_larger_loss():
    ns = notebook_definitions("06_softmax_cross_entropy.ipynb", "one_hot",
                              "SoftmaxCrossEntropy")
    loss = ns["SoftmaxCrossEntropy"]()
    assert softmax_runs.initial_loss(loss, scale=0.01) == pytest.approx(np.log(10), abs=0.01)
    confident = softmax_runs.initial_loss(loss, scale=3)
    assert round(confident, 2) == 5.03 and confident > 2 * np.log(10)  # the printed 5.03, 2.2 times
    # the outcome is printed by the run the student starts after deciding, not told above it
    cells = solution_cells("06_softmax_cross_entropy.ipynb")
    assert any("softmax_runs.initial_loss(loss, scale=3)" in c for c in cells)
    markdown = [("".join(c["source"])) for c in json.loads(
        (ROOT / "solutions" / "06_softmax_cross_entropy.ipynb").read_text(encoding="utf-8"))[
        "cells"] if c["cell_type"] == "markdown"]
    assert not any("ln 10" in m or "5.03" in m for m in markdown if "scale=3" in m)


def test_06_the_temperature_run_needs_the_prediction_and_prints_the_large_t():
    cells = solution_cells("06_softmax_cross_entropy.ipynb")
    run = next(c for c in cells if "softmax_temperature_panel(scores)" in c)
    assert "PREDICT_LOW_TEMPERATURE" in run and "(5.0, 1.0, 0.1, 0.02)" in run


def test_05_batch_panel_paths_wander_and_the_mini_batch_side_goes_unstable_first():
    from helpers import interact

    def final(batch_size, lr=0.1):
        with np.errstate(over="ignore", invalid="ignore"):
            fig, losses = interact.draw_batch_paths(batch_size, lr=lr)
        plt.close(fig)
        return losses

    assert {k: round(v, 3) for k, v in final(64).items()} == {
        "gradient descent": 1.342, "mini-batch": 1.342}
    assert [round(final(B)["mini-batch"], 3) for B in (16, 4, 1)] == [0.348, 0.353, 0.402]
    x, y, surface, _ = interact.line_fit_problem()
    design = np.column_stack([x[:, 0], np.ones(len(x))])
    best = np.linalg.lstsq(design, y[:, 0], rcond=None)[0]
    assert round(float(surface(best)), 3) == 0.347
    assert round(final(1, 0.3)["mini-batch"], 2) == 1.45
    assert round(final(1, 0.4)["mini-batch"], 1) == 3.2
    assert round(final(1, 0.4)["gradient descent"], 3) == 0.347
    curvature = np.linalg.eigvalsh(2 * design.T @ design / len(x)).max()
    assert 0.95 < 2 / curvature < 1.05  # "a rate above about 1 to diverge"


def test_05_width_500_does_625_times_the_arithmetic_per_sample():
    assert (500 * 500) / (20 * 20) == 625


def test_05_patience_stops_at_epoch_108_and_400_points_do_not_overfit(nb05):
    run = sgd_runs.regularised_run(0.0)
    assert sgd_runs.patience_stop(run["val"], 50) == (108, 58) and run["best_epoch"] == 58
    assert 300 - 108 == 192
    # the student's early_stopping, run as the "Your turn" says, stops there too
    X_fit, X_check, _, y_fit, y_check, _ = sgd_runs.overfit_data()
    model = sgd_runs.overfit_mlp()
    best, train_losses, val_losses = nb05["early_stopping"](
        model, nb05["Adam"](model, lr=0.01), (X_fit, y_fit), (X_check, y_check), 300, 50, 20,
        np.random.default_rng(7))
    assert (best, len(val_losses), len(train_losses)) == (58, 108, 108)
    assert np.allclose(val_losses, run["val"][:108])
    more = sgd_runs.regularised_run(0.0, n=400)
    assert more["best_epoch"] == 276
    assert more["val"][-1] / more["val"].min() < 1.02
    assert abs(more["train"][-1] / more["val"][-1] - 1) < 0.1


def test_05_weight_decay_0_1_underfits_and_0_001_changes_little():
    strong, weak = sgd_runs.regularised_run(0.1), sgd_runs.regularised_run(0.001)
    plain = sgd_runs.regularised_run(0.0)
    assert round(strong["train"][-1], 2) == 0.13 and round(strong["val"].min(), 3) == 0.138
    assert strong["best_epoch"] == 300 and round(plain["val"].min(), 3) == 0.092
    assert round(weak["val"].min(), 3) == 0.092 and weak["best_epoch"] == 67
    assert round(weak["val"][-1], 2) == 0.13


@pytest.mark.skipif(not __import__("os").environ.get("NN_WORKBOOK_DATA"),
                    reason="NN_WORKBOOK_DATA is not set")
def test_06_the_mnist_run_reaches_97_percent_on_the_test_set():
    """Cells [1] and the test cell: "at least 97 % test accuracy", with the notebook's settings
    (128 units, Adam 0.003 times 0.6 per epoch, batches of 128, four epochs); the validation
    accuracy rises every epoch, one to two points below the training accuracy."""
    from helpers import data, own_code
    from helpers.losses import SoftmaxCrossEntropy
    from helpers.optim import Adam

    source = "\n".join(solution_cells(NB06))
    assert "softmax_runs.decay_schedule(0.003, epochs, factor=0.6)" in source
    assert "epochs, batch_size = 4, 128" in source
    X_train, X_test, y_train, y_test = data.load_mnist(download=False, progress=False)
    X_fit, X_val, y_fit, y_val = softmax_runs.validation_split(X_train, y_train, 5000, rng=0)
    kit = own_code.load("/nonexistent", report=None)  # the package's classes
    rng = np.random.default_rng(0)
    model = own_code.mnist_model(kit, rng, hidden=128)
    loss, optimiser = SoftmaxCrossEntropy(), Adam(model, lr=0.003)
    train_accuracy, val_accuracy = [], []
    for lr in softmax_runs.decay_schedule(0.003, 4, factor=0.6):
        optimiser.lr = lr
        for X_batch, y_batch in data.minibatches(X_fit, y_fit, 128, rng):
            loss.forward(model.forward(X_batch), y_batch)
            model.backward(loss.backward())
            optimiser.step()
        train_accuracy.append(np.mean(np.argmax(model.forward(X_fit[:5000]), 1) == y_fit[:5000]))
        val_accuracy.append(np.mean(np.argmax(model.forward(X_val), 1) == y_val))
    accuracy = np.mean(np.argmax(model.forward(X_test), axis=1) == y_test)
    assert accuracy >= 0.97, accuracy
    assert np.all(np.diff(val_accuracy) > 0)  # "still rises with every epoch"
    gaps = np.array(train_accuracy) - np.array(val_accuracy)
    assert np.all((0.005 < gaps) & (gaps < 0.025)), gaps  # "one to two points below"
