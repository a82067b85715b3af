"""Mistake ids: every hint a check can give names a listed, stable mistake.

The grader records ``CheckFailed.mistake`` in results.json and the class report counts
them, so an id is a contract: the list below is the registry as it must stay. Renaming an
id (or dropping one) fails ``test_the_registry_is_the_listed_one``; adding one means
adding it here too.
"""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import numpy as np
import pytest

from helpers import check
from helpers.check import CheckFailed, NotWrittenYet
from helpers.check.mistakes import (
    GENERIC,
    MISTAKES,
    NOT_WRITTEN,
    UNNAMED,
    Hint,
    mistake,
    mistake_id,
    short_name,
)

CHECK_DIR = Path(check.__file__).parent

EXPECTED_IDS = [
    "not-written-yet",
    "error/array-truth-value",
    "error/broadcast-shapes",
    "error/generic",
    "error/matmul-shapes",
    "error/name-from-another-notebook",
    "error/name-not-defined",
    "error/part-not-written",
    "general/borrowed-reference",
    "general/called-not-passed",
    "general/input-changed-in-place",
    "general/instance-not-class",
    "general/not-finite",
    "general/not-numbers",
    "general/numpy-warning",
    "general/returned-none",
    "general/tuple-not-array",
    "shape/axis-missing",
    "shape/extra-leading-axis",
    "shape/extra-trailing-axis",
    "shape/generic",
    "shape/n-n-broadcast",
    "shape/number-expected",
    "shape/transposed",
    "train/backward-from-loss-value",
    "accuracy/count-not-fraction",
    "accuracy/error-rate",
    "accuracy/flatten-both",
    "accuracy/n-n-broadcast",
    "accuracy/percentage",
    "affine/averaged-over-batch",
    "affine/bias-missing",
    "affine/bias-subtracted",
    "affine/elementwise-for-matmul",
    "affine/one-number-for-batch",
    "affine/summed-over-batch",
    "affine/wrong-value",
    "choose_epochs/chose-on-training",
    "choose_epochs/chose-worst",
    "choose_epochs/index-not-option",
    "choose_epochs/no-step",
    "choose_epochs/not-a-pair",
    "choose_epochs/off-by-one",
    "choose_epochs/returned-accuracy",
    "choose_epochs/rng-not-fresh",
    "choose_epochs/rng-shared",
    "choose_epochs/rng-seed-per-run",
    "choose_epochs/runs-not-per-option",
    "choose_epochs/trained-on-validation",
    "choose_epochs/training-accuracies",
    "choose_epochs/wrong-accuracies",
    "choose_epochs/wrong-choice",
    "collapse_linear/b-wrong",
    "collapse_linear/b1-dropped",
    "collapse_linear/b1-not-weighed",
    "collapse_linear/b2-dropped",
    "collapse_linear/not-a-pair",
    "collapse_linear/w-transposed",
    "collapse_linear/w-wrong",
    "collapse_linear/w2-ignored",
    "exp_overflow_z/base-10-exponent",
    "exp_overflow_z/base-2-exponent",
    "exp_overflow_z/rounded-to-whole",
    "exp_overflow_z/the-example",
    "exp_overflow_z/wrong-value",
    "leaky_relu/constant-below-zero",
    "leaky_relu/everything-scaled",
    "leaky_relu/fixed-alpha",
    "leaky_relu/relu-below-zero",
    "leaky_relu/wrong-side-scaled",
    "neuron/activation-missing",
    "neuron/activation-on-input",
    "neuron/bias-after-activation",
    "neuron/bias-missing",
    "perceptron/batch-update",
    "perceptron/bias-not-updated",
    "perceptron/count-disagrees-with-weights",
    "perceptron/count-one-epoch-late",
    "perceptron/counts-right-not-wrong",
    "perceptron/does-not-converge",
    "perceptron/last-epoch-not-recorded",
    "perceptron/lr-ignored",
    "perceptron/mistakes-not-per-epoch",
    "perceptron/no-early-stop",
    "perceptron/no-mistakes-counted",
    "perceptron/not-a-triple",
    "perceptron/not-from-zeros",
    "perceptron/order-drawn-once",
    "perceptron/order-with-replacement",
    "perceptron/rng-ignored",
    "perceptron/rng-unused",
    "perceptron/shuffled-separately",
    "predict_lr_scaling/another-line",
    "predict_lr_scaling/bigger-is-faster",
    "predict_lr_scaling/too-large",
    "predict_xor_converges/no",
    "predict_xor_converges/yes",
    "question01/not-a-number",
    "question01/not-an-option",
    "relu/abs",
    "relu/clipped-at-1",
    "relu/negative-part",
    "sigmoid/denominator-not-parenthesised",
    "sigmoid/not-finite",
    "sigmoid/np-where-both-branches",
    "sigmoid/overflow",
    "sigmoid/shifted-by-half",
    "sigmoid/sign-inside-exp",
    "sigmoid/tanh-instead",
    "stack_outputs/b1-missing",
    "stack_outputs/b2-missing",
    "stack_outputs/not-three-numbers",
    "stack_outputs/w1-transposed",
    "stack_outputs/wrong-values",
    "step/np-sign",
    "step/python-number",
    "step/strict-comparison",
    "step/upside-down",
    "tanh/half-argument",
    "tanh/not-finite",
    "tanh/overflow",
    "tanh/sigmoid-instead",
    "tanh/sign-flipped",
    "tanh_from_sigmoid/half-argument",
    "tanh_from_sigmoid/not-a-triple",
    "tanh_from_sigmoid/plain-sigmoid",
    "tanh_from_sigmoid/sign-flipped",
    "tanh_from_sigmoid/wrong-argument",
    "tanh_from_sigmoid/wrong-range",
    "xor_network/computes-other-gate",
    "xor_network/hidden-merges-corners",
    "xor_network/hidden-still-xor",
    "xor_network/not-a-4-tuple",
    "xor_network/w1-transposed",
    "xor_network/wrong-truth-table",
    "xor_network/xnor",
    "which_move/depends-on-signs",
    "which_move/lowers",
    "which_move/scales-z",
    "z_after_update/bias-not-moved",
    "z_after_update/lr-ignored",
    "z_after_update/nothing-moved",
    "z_after_update/subtracted",
    "z_after_update/wrong-value",
    "z_growth/bias-forgotten",
    "z_growth/lr-forgotten",
    "z_growth/sign",
    "z_growth/sum-not-square",
    "z_growth/wrong-value",
    "choose_lr/chose-highest-loss",
    "choose_lr/chose-on-training",
    "choose_lr/index-not-lr",
    "choose_lr/last-recorded-loss",
    "choose_lr/not-a-pair",
    "choose_lr/off-by-one",
    "choose_lr/returned-loss",
    "choose_lr/runs-not-per-lr",
    "choose_lr/trained-on-validation",
    "choose_lr/training-losses",
    "choose_lr/wrong-choice",
    "choose_lr/wrong-losses",
    "derivative/backward-difference",
    "derivative/fixed-h",
    "derivative/forward-difference",
    "derivative/missing-half",
    "derivative/no-default-h",
    "derivative/precedence-2-h",
    "derivative/wrong-value",
    "difference_errors/backward-for-central",
    "difference_errors/central-exact",
    "difference_errors/central-not-halved",
    "difference_errors/rounded",
    "difference_errors/sign-flipped",
    "difference_errors/slopes-not-errors",
    "difference_errors/swapped",
    "difference_errors/wrong-values",
    "dw_matrix/2-and-n-missing",
    "dw_matrix/2-missing",
    "dw_matrix/n-missing",
    "dw_matrix/product-of-sums",
    "dw_matrix/rows-for-columns",
    "dw_matrix/sign-flipped",
    "dw_matrix/wrong-values",
    "fit_linear/b-not-updated",
    "fit_linear/loss-count",
    "fit_linear/losses-shifted-by-one",
    "fit_linear/no-update",
    "fit_linear/not-a-triple",
    "fit_linear/wrong-final-weights",
    "fit_linear/wrong-first-loss",
    "fit_linear/wrong-losses",
    "general/array-changed-in-place",
    "grad_batch/2-missing",
    "grad_batch/n-missing",
    "grad_batch/product-of-sums",
    "grad_batch/sign-flipped",
    "grad_batch/wrong-values",
    "grad_batch/x-missing",
    "grad_one_sample/2-missing",
    "grad_one_sample/prediction-for-error",
    "grad_one_sample/sign-flipped",
    "grad_one_sample/wrong-values",
    "grad_one_sample/x-missing",
    "gradient_descent/climbs",
    "gradient_descent/last-point-only",
    "gradient_descent/lr-missing",
    "gradient_descent/one-step-too-many",
    "gradient_descent/same-array-stored",
    "gradient_descent/wrong-count",
    "gradient_descent/wrong-iterates",
    "gradient_descent/x0-missing",
    "gradient_descent/x0-not-first",
    "gradient_descent/x0-twice",
    "step_factors/added-the-step",
    "step_factors/limit-at-zero-factor",
    "step_factors/limit-too-large",
    "step_factors/sign-dropped",
    "step_factors/sign-flipped",
    "step_factors/slope-without-2",
    "step_factors/wrong-factors",
    "step_factors/wrong-limit",
    "lr_diverges/absurd-value",
    "lr_diverges/constant-swings",
    "lr_diverges/converges",
    "lr_diverges/not-a-number",
    "lr_diverges/not-positive",
    "lr_diverges/oscillates-converging",
    "lr_diverges/too-slow",
    "mse/absolute-error",
    "mse/errors-not-squared",
    "mse/halved",
    "mse/n-n-broadcast",
    "mse/n-n-broadcast-2",
    "mse/rmse",
    "mse/square-of-mean",
    "mse/sse",
    "mse/sum-not-mean",
    "mse/wrong-value",
    "mse_gradients/2-and-n-missing",
    "mse_gradients/2-missing",
    "mse_gradients/db-not-summed",
    "mse_gradients/db-wrong",
    "mse_gradients/dw-wrong",
    "mse_gradients/elementwise-for-matmul",
    "mse_gradients/n-missing",
    "mse_gradients/not-a-pair",
    "mse_gradients/sign-flipped",
    "mse_gradients/x-for-x-t",
    "numerical_gradient/all-at-once",
    "numerical_gradient/all-at-once-same",
    "numerical_gradient/fixed-h",
    "numerical_gradient/forward-difference",
    "numerical_gradient/input-changed",
    "numerical_gradient/missing-half",
    "numerical_gradient/nudges-pile-up",
    "numerical_gradient/wrong-value",
    "predict_bowl_lr/both-diverge",
    "predict_bowl_lr/converges",
    "predict_bowl_lr/wrong-direction",
    "predict_downhill/gain-not-fraction",
    "predict_downhill/half",
    "predict_downhill/none",
    "question02/not-a-number",
    "question02/not-an-option",
    "question02/not-three-numbers",
    "question02/not-two-numbers",
    "chain/missing-keys",
    "chain/return-dict",
    "chain_backward/cache-changed",
    "chain_backward/da1-w2-missing",
    "chain_backward/da2-sign",
    "chain_backward/db1-times-x",
    "chain_backward/db2-times-a1",
    "chain_backward/dw1-x-missing",
    "chain_backward/dw1-uses-a1",
    "chain_backward/dw2-a1-missing",
    "chain_backward/dw2-uses-x",
    "chain_backward/dz1-sigmoid-twice",
    "chain_backward/dz1-slope-missing",
    "chain_backward/dz2-sigmoid-twice",
    "chain_backward/dz2-sigmoid-twice-2",
    "chain_backward/dz2-slope-missing",
    "chain_backward/name-in-cache",
    "chain_backward/wrong-gradient",
    "chain_deltas/bias-times-input",
    "chain_deltas/da1-w2-missing",
    "chain_deltas/da2-sign",
    "chain_deltas/half-forgotten",
    "chain_deltas/input-missing",
    "chain_deltas/local-factor-missing",
    "chain_deltas/loss-for-gradient",
    "chain_deltas/sigmoid-twice",
    "chain_deltas/slope-is-output",
    "chain_deltas/slope-missing",
    "chain_deltas/swap",
    "chain_deltas/upstream-missing",
    "chain_deltas/weight-for-input",
    "chain_deltas/wrong-entry",
    "chain_forward/a1-no-sigmoid",
    "chain_forward/a2-no-sigmoid",
    "chain_forward/b1-missing",
    "chain_forward/b2-missing",
    "chain_forward/wrong-value",
    "chain_forward/z1-for-a1",
    "choose_learning_rate/accuracy-not-loss",
    "choose_learning_rate/index-not-lr",
    "choose_learning_rate/not-a-pair",
    "choose_learning_rate/picked-worst",
    "choose_learning_rate/scored-on-training",
    "choose_learning_rate/shared-rng",
    "choose_learning_rate/wrong-choice",
    "choose_learning_rate/wrong-losses",
    "graph/gradient-order",
    "graph/not-a-pair",
    "graph/wrong-forward",
    "graph/wrong-gradient",
    "graph_backward_table/add-local-is-input",
    "graph_backward_table/add-rule-for-multiply",
    "graph_backward_table/local-factor-missing",
    "graph_backward_table/multiply-not-swapped",
    "graph_backward_table/product-not-swapped",
    "graph_backward_table/sign",
    "graph_backward_table/skipped-node",
    "graph_backward_table/square-factor-2",
    "graph_backward_table/upstream-missing",
    "graph_backward_table/value-for-slope",
    "graph_backward_table/wrong-entry",
    "graph_exercise/cos-missing",
    "graph_exercise/cube-derivative",
    "graph_exercise/local-derivatives-missing",
    "graph_exercise/minus-cos",
    "graph_exercise/sin-for-cos",
    "graph_forward_backward/dq-dz-wrong",
    "graph_forward_backward/factor-2-missing",
    "graph_forward_backward/local-derivatives-missing",
    "graph_forward_backward/multiply-not-swapped",
    "graph_forward_backward/outer-derivative-missing",
    "graph_forward_backward/sign-flipped",
    "predict_lr100/gain-then-explodes",
    "predict_lr100/larger-is-faster",
    "predict_lr100/loss-explodes",
    "predict_lr100/not-an-option",
    "predict_chain_depth/factor-too-large",
    "predict_chain_depth/not-a-whole-number",
    "predict_chain_depth/off-by-one",
    "predict_chain_depth/too-shallow",
    "predict_chain_depth/vanishing-is-slow",
    "relative_error/above-one",
    "relative_error/divides-by-sum",
    "relative_error/epsilon-swamps-small",
    "relative_error/equal-not-zero",
    "relative_error/halved",
    "relative_error/max-over-max",
    "relative_error/mean-not-worst",
    "relative_error/not-one-at-opposite",
    "relative_error/not-one-number",
    "relative_error/not-proportional",
    "relative_error/not-scale-free",
    "relative_error/not-symmetric",
    "relative_error/out-of-range",
    "relative_error/signed",
    "relative_error/whole-vector",
    "relative_error/wrong-value",
    "relative_error/zero-by-zero",
    "relu_prime/finite-difference",
    "relu_prime/if-on-array",
    "relu_prime/inverted",
    "relu_prime/nonzero-below-zero",
    "relu_prime/np-sign",
    "relu_prime/relu-instead",
    "relu_prime/value-at-zero",
    "relu_prime/wrong-slope",
    "sigmoid_prime/finite-difference",
    "sigmoid_prime/not-finite",
    "sigmoid_prime/overflow",
    "sigmoid_prime/plus-in-second-factor",
    "sigmoid_prime/sigmoid-instead",
    "sigmoid_prime/sign-flipped",
    "sigmoid_prime/wrong-slope",
    "sigmoid_prime/z-for-output",
    "sigmoid_prime/z-in-second-factor",
    "table/missing-keys",
    "table/not-a-dict",
    "table/not-a-number",
    "tanh_prime/finite-difference",
    "tanh_prime/not-squared",
    "tanh_prime/sigmoid-form-missing-2",
    "tanh_prime/sign-flipped",
    "tanh_prime/wrong-slope",
    "tanh_prime/z-for-output",
    "tanh_prime/z-squared",
    "dz_one_sample/dw-not-dz",
    "dz_one_sample/half-forgotten",
    "dz_one_sample/loss-for-gradient",
    "dz_one_sample/not-a-number",
    "dz_one_sample/sign",
    "dz_one_sample/slope-is-output",
    "dz_one_sample/slope-missing",
    "dz_one_sample/wrong-value",
    "dw_two_samples/half-forgotten",
    "dw_two_samples/no-mean",
    "dw_two_samples/not-two-numbers",
    "dw_two_samples/one-sample",
    "dw_two_samples/sign",
    "dw_two_samples/transposed",
    "dw_two_samples/wrong-value",
    "train_neuron/bias-step-wrong",
    "train_neuron/climbs",
    "train_neuron/factor-2-missing",
    "train_neuron/loss-after-update",
    "train_neuron/loss-halved",
    "train_neuron/loss-not-falling",
    "train_neuron/loss-not-mean",
    "train_neuron/lr-missing",
    "train_neuron/n-missing",
    "train_neuron/not-a-triple",
    "train_neuron/rng-ignored",
    "train_neuron/slope-missing",
    "train_neuron/starts-from-zeros",
    "train_neuron/update-outside-loop",
    "train_neuron/weight-step-wrong",
    "train_neuron/wrong-losses",
    "train_neuron/wrong-start",
    "train_neuron/wrong-weights",
    "value/gradient-not-accumulated",
    "value/backward-resets-grads",
    "value/every-path",
    "train_value_neuron/climbs",
    "train_value_neuron/grad-not-zeroed",
    "train_value_neuron/loss-after-update",
    "train_value_neuron/no-reflected-op",
    "train_value_neuron/not-a-triple",
    "train_value_neuron/sum-not-mean",
    "train_value_neuron/values-returned",
    "train_value_neuron/wrong-final-weights",
    "train_value_neuron/wrong-first-loss",
    "train_value_neuron/wrong-losses",
    "train_value_neuron/zero-grad-flag-ignored",
    "train_value_neuron/zero-grad-flag-changes-more",
    "value/mul-as-add",
    "value/mul-swapped",
    "value/no-seed-gradient",
    "value/parts-missing",
    "value/tanh-instead",
    "value/tanh-not-squared",
    "value/tanh-x-for-output",
    "value/topological-order",
    "a_plus_a_grad/data",
    "a_plus_a_grad/not-a-number",
    "a_plus_a_grad/one-edge",
    "a_plus_a_grad/wrong-value",
    "a_plus_a_grad/zero",
    "dc_da/add-gate",
    "dc_da/not-a-number",
    "dc_da/own-value",
    "dc_da/product",
    "dc_da/sign",
    "dc_da/wrong-value",
    "neuron_value/bias-missing",
    "neuron_value/bias-not-added",
    "neuron_value/nonlin-ignored",
    "neuron_value/not-a-value",
    "neuron_value/numbers-not-values",
    "neuron_value/parameter-count",
    "neuron_value/parameters-not-used",
    "neuron_value/parts-missing",
    "neuron_value/relu-always",
    "neuron_value/rng-ignored",
    "neuron_value/tanh-for-relu",
    "neuron_value/wrong-output",
    "neuron_value/wrong-start",
    "not_zeroed_curve/error",
    "not_zeroed_curve/just-a-bigger-step",
    "not_zeroed_curve/never-falls",
    "not_zeroed_curve/not-a-choice",
    "value_relu/child-missing",
    "value_relu/input-as-slope",
    "value_relu/input-changed",
    "value_relu/negative-passed",
    "value_relu/not-a-value",
    "value_relu/output-as-slope",
    "value_relu/slopes-swapped",
    "value_relu/wrong-data",
    "value_relu/wrong-slope",
    "zero_gradient_weight/bias-no-input",
    "zero_gradient_weight/every-weight-learns",
    "zero_gradient_weight/negative-weight",
    "zero_gradient_weight/not-a-choice",
    "activation-layer/backward-not-finite",
    "activation-layer/overflow",
    "layer/backward-returns-none",
    "layer/contract-missing",
    "layer/forward-keeps-nothing",
    "layer/gradient-accumulated",
    "layer/has-parameters",
    "linear/backward-returns-none",
    "linear/bias-2d",
    "linear/bias-missing",
    "linear/bias-subtracted",
    "linear/db-mean",
    "linear/db-not-summed",
    "linear/db-summed-over-all",
    "linear/db-wrong",
    "linear/db-zero",
    "linear/dw-divided-by-n",
    "linear/dw-transposed",
    "linear/dw-transposed-2",
    "linear/dw-wrong",
    "linear/dx-divided-by-n",
    "linear/dx-shape",
    "linear/dx-w-not-transposed",
    "linear/dx-wrong",
    "linear/gradients-not-stored",
    "linear/he-init",
    "linear/parameters-copied",
    "linear/parameters-missing",
    "linear/parameters-not-pairs",
    "linear/parameters-stale",
    "linear/parameters-wrong",
    "linear/rng-ignored",
    "linear/w-transposed",
    "linear/weight-scale",
    "linear/weights-not-random",
    "mse_loss/contract-missing",
    "mse_loss/dpred-2-missing",
    "mse_loss/dpred-2-n-missing",
    "mse_loss/dpred-n-missing",
    "mse_loss/dpred-rows-only",
    "mse_loss/dpred-sign",
    "mse_loss/halved",
    "mse_loss/mean-over-rows-only",
    "mse_loss/not-squared",
    "mse_loss/sum-not-mean",
    "mse_loss/wrong-dpred",
    "relu_layer/abs",
    "relu_layer/mask-from-dout",
    "relu_layer/mask-inverted",
    "relu_layer/mask-only",
    "relu_layer/negative-part",
    "relu_layer/times-output",
    "relu_layer/wrong-backward",
    "relu_layer/wrong-gradient",
    "sequential/backward-not-reversed",
    "sequential/backward-returns-none",
    "sequential/init-takes-list",
    "sequential/layer-called-wrong",
    "sequential/layers-skipped",
    "sequential/no-layers-attribute",
    "sequential/parameters-not-flat",
    "sequential/parameters-repeated",
    "sequential/wrong-backward",
    "sequential/wrong-dx",
    "sequential/wrong-forward",
    "sigmoid_layer/dout-missing",
    "sigmoid_layer/input-for-output",
    "sigmoid_layer/one-minus-a-only",
    "sigmoid_layer/output-for-derivative",
    "sigmoid_layer/plus-for-minus",
    "sigmoid_layer/sign-inside-exp",
    "sigmoid_layer/tanh-instead",
    "sigmoid_layer/tanh-slope",
    "sigmoid_layer/wrong-backward",
    "tanh_layer/dout-missing",
    "tanh_layer/input-for-output",
    "tanh_layer/not-squared",
    "tanh_layer/plus-for-minus",
    "tanh_layer/sigmoid-derivative",
    "tanh_layer/sigmoid-instead",
    "tanh_layer/wrong-backward",
    "train/climbs",
    "train/factor-2",
    "train/loss-count",
    "train/losses-not-a-list",
    "train/losses-shifted-by-one",
    "train/model-rebuilt",
    "train/no-update",
    "train/wrong-losses",
    "dl_dw_batch/averaged",
    "dl_dw_batch/one-sample",
    "dl_dw_batch/sums-multiplied",
    "dl_dw_batch/wrong",
    "dl_dw_one_sample/dout-missing",
    "dl_dw_one_sample/one-based",
    "dl_dw_one_sample/summed-over-inputs",
    "dl_dw_one_sample/summed-over-outputs",
    "dl_dw_one_sample/weight-for-input",
    "dl_dw_one_sample/wrong",
    "dl_dw_one_sample/wrong-input",
    "dl_dw_one_sample/x-missing",
    "dl_dx_one_sample/column-for-row",
    "dl_dx_one_sample/dout-missing",
    "dl_dx_one_sample/input-for-weight",
    "dl_dx_one_sample/one-output",
    "dl_dx_one_sample/wrong",
    "dw_batch/averaged",
    "dw_batch/one-sample",
    "dw_batch/sums-multiplied",
    "dw_batch/transposed",
    "dw_batch/wrong",
    "dw_batch/x-not-transposed",
    "dx_batch/averaged",
    "dx_batch/column-for-row",
    "dx_batch/samples-along-columns",
    "dx_batch/summed-over-samples",
    "dx_batch/wrong",
    "gradient_errors/count",
    "gradient_errors/dout-unused",
    "gradient_errors/h-too-large",
    "gradient_errors/grads-before-backward",
    "gradient_errors/imprecise",
    "gradient_errors/loss-without-dout",
    "gradient_errors/max-denominator",
    "gradient_errors/nudged-a-copy",
    "gradient_errors/one-side-denominator",
    "gradient_errors/one-sided",
    "gradient_errors/order",
    "gradient_errors/params-not-restored",
    "gradient_errors/right-layer-wrong",
    "gradient_errors/wrong-relative-error",
    "mlp-question/not-a-choice",
    "mlp-question/not-a-number",
    "predict_lr_diverges/always-downhill",
    "predict_lr_diverges/overshoot-is-divergence",
    "predict_lr_diverges/small-steps-diverge",
    "predict_sigmoid_depth/no-vanishing",
    "predict_sigmoid_depth/not-a-depth",
    "predict_sigmoid_depth/too-many",
    "predict_sigmoid_depth/too-few",
    "predict_sigmoid_depth/weights-shrink",
    "predict_xor_linear/diverges",
    "predict_xor_linear/learns-slowly",
    "predict_xor_linear/three-corners",
    "train_early_stopping/chose-on-training",
    "train_early_stopping/histories-differ",
    "train_early_stopping/last-weights",
    "train_early_stopping/never-stops",
    "train_early_stopping/not-a-triple",
    "train_early_stopping/patience-off-by-one",
    "train_early_stopping/train-loss-before-update",
    "train_early_stopping/validation-is-training",
    "train_early_stopping/weights-not-best",
    "train_early_stopping/wrong-best",
    "train_early_stopping/wrong-stop",
    "train_early_stopping/wrong-training-losses",
    "train_early_stopping/wrong-validation-losses",
    "train_early_stopping/zero-based",
    "adam/abs-not-square",
    "adam/beta-arguments-swapped",
    "adam/betas-swapped",
    "adam/bias-correction-off-by-one",
    "adam/climbs",
    "adam/corrected-moments-stored",
    "adam/decay-and-weight-swapped",
    "adam/eps-inside-sqrt",
    "adam/fixed-betas",
    "adam/fixed-eps",
    "adam/no-bias-correction",
    "adam/no-bias-correction-first-step",
    "adam/only-m-corrected",
    "adam/only-v-corrected",
    "adam/paper-efficient-form",
    "adam/shared-moments",
    "adam/step-counter-zero",
    "adam/t-not-incremented",
    "adam/t-per-parameter",
    "adam_m_first_step/already-g",
    "adam_m_first_step/unchanged",
    "adam_m_first_step/weights-swapped",
    "adam_m_first_step/wrong-value",
    "bias_correction/beta-power",
    "bias_correction/first-step-only",
    "bias_correction/inverted",
    "bias_correction/linear-in-t",
    "bias_correction/one-step-ahead",
    "bias_correction/one-step-behind",
    "bias_correction/wrong-value",
    "constant_column_cause/ddof",
    "constant_column_cause/epsilon-added",
    "constant_column_cause/random",
    "epoch_loss_example/full-batches-counted",
    "epoch_loss_example/last-batch",
    "epoch_loss_example/mean-of-batch-means",
    "epoch_loss_example/sum-of-batch-losses",
    "epoch_loss_example/total-not-divided",
    "epoch_loss_example/wrong-value",
    "lr_sweep/chosen-on-training",
    "lr_sweep/epoch-loss-recorded",
    "lr_sweep/index-not-rate",
    "lr_sweep/largest-loss",
    "lr_sweep/loss-not-rate",
    "lr_sweep/model-reused",
    "lr_sweep/not-a-pair",
    "lr_sweep/rng-shared",
    "lr_sweep/training-loss-recorded",
    "lr_sweep/wrong-choice",
    "lr_sweep/wrong-losses",
    "minibatches/last-batch-dropped",
    "minibatches/not-pairs",
    "minibatches/not-shuffled",
    "minibatches/rng-ignored",
    "minibatches/same-order-each-epoch",
    "minibatches/samples-missing",
    "minibatches/samples-repeated",
    "minibatches/with-replacement",
    "minibatches/wrong-batch-count",
    "minibatches/wrong-sizes",
    "minibatches/x-rows-wrong",
    "minibatches/x-y-mismatched",
    "minibatches/x-y-shuffled-separately",
    "minibatches/y-rows-wrong",
    "momentum_velocity/decays-to-zero",
    "momentum_velocity/first-step",
    "momentum_velocity/no-learning-rate",
    "momentum_velocity/not-settled",
    "momentum_velocity/one-term-short",
    "momentum_velocity/sign",
    "momentum_velocity/times-one-minus-mu",
    "momentum_velocity/wrong-value",
    "optimizer/no-step",
    "optimizer/not-in-place",
    "optimizer/rebinds-parameter",
    "optimizer/stale-parameters",
    "predict_batch_per_epoch/exact-gradient-wins",
    "predict_batch_per_epoch/same-data-same-loss",
    "adam_first_step/not-a-pair",
    "adam_first_step/uphill",
    "adam_first_step/no-bias-correction",
    "adam_first_step/only-m-corrected",
    "adam_first_step/only-v-corrected",
    "adam_first_step/plain-gradient-step",
    "adam_first_step/position-not-step",
    "adam_first_step/wrong-value",
    "predict_ravine_worst/all-slow-down",
    "predict_ravine_worst/momentum-swings",
    "predict_ravine_worst/rmsprop-scale",
    "raw_input_lr_limit/square-not-differentiated",
    "raw_input_lr_limit/linear-in-x",
    "raw_input_lr_limit/one-over-curvature",
    "raw_input_lr_limit/ravine-answer",
    "raw_input_lr_limit/wrong-value",
    "ravine_lr_limit/gradient-not-doubled",
    "ravine_lr_limit/lands-on-the-floor",
    "ravine_lr_limit/shallow-direction",
    "ravine_lr_limit/the-rate-used",
    "ravine_lr_limit/wrong-value",
    "predict_lr_above_limit/close-enough",
    "predict_lr_above_limit/bounces",
    "sgd-question/not-a-number",
    "sgd-question/not-an-option",
    "sgd/climbs",
    "sgd/dampened-momentum",
    "sgd/lr-missing",
    "sgd/momentum-no-effect",
    "sgd/nesterov-momentum",
    "sgd/one-minus-momentum",
    "sgd/shared-velocity",
    "sgd/velocity-sign-flipped",
    "standardize/absolute-tolerance",
    "standardize/centred-only",
    "standardize/constant-column-noise",
    "standardize/eps-added-to-std",
    "standardize/float32-upcast",
    "standardize/no-axis",
    "standardize/not-centred",
    "standardize/other-unchanged",
    "standardize/own-statistics",
    "standardize/pooled-statistics",
    "standardize/row-statistics",
    "standardize/variance",
    "standardize/wrong-count",
    "standardize/wrong-value",
    "standardize/zero-column-strict-test",
    "early_stopping/last-weights-kept",
    "early_stopping/best-not-an-epoch",
    "early_stopping/chosen-on-training",
    "early_stopping/epoch-from-zero",
    "early_stopping/last-epoch",
    "early_stopping/never-stops",
    "early_stopping/not-a-triple",
    "early_stopping/patience-off-by-one",
    "early_stopping/tie-taken-as-better",
    "early_stopping/val-is-training",
    "early_stopping/wrong-best-epoch",
    "early_stopping/wrong-stop",
    "early_stopping/wrong-train-losses",
    "early_stopping/wrong-val-losses",
    "early_stopping/wrong-weights-restored",
    "standardize/zero-spread-division",
    "train_epoch/first-batch-loss",
    "train_epoch/forward-calls",
    "train_epoch/forward-twice",
    "train_epoch/last-batch-loss",
    "train_epoch/loss-after-step",
    "train_epoch/loss-calls",
    "train_epoch/mean-of-batch-means",
    "train_epoch/no-batches",
    "train_epoch/not-batches",
    "train_epoch/rng-ignored",
    "train_epoch/rng-not-passed",
    "train_epoch/step-missing",
    "train_epoch/sum-of-batch-losses",
    "train_epoch/weighted-sum-not-divided",
    "train_epoch/weights-by-batch-size",
    "train_epoch/wrong-gradient",
    "train_epoch/wrong-loss",
    "train_epoch/wrong-order",
    "binary_cross_entropy/classes-swapped",
    "binary_cross_entropy/clip-too-wide",
    "binary_cross_entropy/float32-clip",
    "binary_cross_entropy/log-of-zero",
    "binary_cross_entropy/log2",
    "binary_cross_entropy/n-n-broadcast",
    "binary_cross_entropy/sign-flipped",
    "binary_cross_entropy/sum-not-mean",
    "binary_cross_entropy/sure-wrong-too-cheap",
    "cross_entropy/arguments-swapped",
    "cross_entropy/masked-on-q",
    "cross_entropy/sign-flipped",
    "dl_dz_batch/divided-by-nc",
    "dl_dz_batch/not-divided",
    "dl_dz_batch/sign",
    "dl_dz_batch/times-n",
    "dl_dz_batch/true-class-term-missing",
    "dl_dz_bce/loss-not-gradient",
    "dl_dz_bce/sigmoid-of-plus-4",
    "dl_dz_bce/sigmoid-prime-only",
    "dl_dz_bce/sign",
    "dl_dz_bce/squared-error",
    "dl_dz_bce/stopped-at-a",
    "dl_dz_bce/wrong-label",
    "dl_dz_one_sample/gradient-by-probabilities",
    "dl_dz_one_sample/gradient-of-p-not-loss",
    "dl_dz_one_sample/minus-one-everywhere",
    "dl_dz_one_sample/one-hot-added",
    "dl_dz_one_sample/others-zero",
    "dl_dz_one_sample/sign",
    "dl_dz_one_sample/true-class-term-missing",
    "dl_dz_one_sample/wrong-true-class",
    "entropy/mean-not-sum",
    "entropy/sign-flipped",
    "general/not-summed",
    "information/arguments-swapped",
    "information/log-of-zero",
    "information/natural-log-not-bits",
    "information/sign-flipped",
    "kl_divergence/arguments-swapped",
    "kl_divergence/cross-entropy-instead",
    "kl_divergence/ratio-inverted",
    "one_hot/columns-from-max",
    "one_hot/extra-column",
    "one_hot/off-by-one",
    "one_hot/transposed",
    "one_hot/wrong-value",
    "predict/argmax-axis-0",
    "predict/argmin",
    "predict/max-not-argmax",
    "predict/scores-not-labels",
    "predict/wrong-labels",
    "predict_low_temperature/order-changes",
    "predict_low_temperature/unchanged",
    "predict_low_temperature/uniform",
    "predict_uniform_loss/bits",
    "predict_uniform_loss/error-rate",
    "predict_uniform_loss/every-class",
    "predict_uniform_loss/log10",
    "predict_uniform_loss/probability-not-loss",
    "predict_uniform_loss/sign",
    "predict_uniform_loss/sum-not-mean",
    "predict_uniform_loss/zero",
    "softmax/axis-1-on-1d",
    "softmax/global-max-shift",
    "softmax/max-shift-no-keepdims",
    "softmax/no-keepdims",
    "softmax/not-normalised",
    "softmax/overflow-no-max-shift",
    "softmax/sum-over-axis-0",
    "softmax/whole-array-sum",
    "softmax_1000/argmax",
    "softmax_1000/not-normalised",
    "softmax_1000/overflow",
    "softmax_1000/reversed",
    "softmax_1000/uniform",
    "softmax_cross_entropy/all-classes",
    "softmax_cross_entropy/dlogits-by-probabilities",
    "softmax_cross_entropy/dlogits-divided-by-nc",
    "softmax_cross_entropy/dlogits-minus-one-everywhere",
    "softmax_cross_entropy/dlogits-not-divided",
    "softmax_cross_entropy/dlogits-one-hot-added",
    "softmax_cross_entropy/dlogits-shape",
    "softmax_cross_entropy/dlogits-sign",
    "softmax_cross_entropy/dlogits-softmax-only",
    "softmax_cross_entropy/dlogits-whole-columns",
    "softmax_cross_entropy/dlogits-wrong",
    "softmax_cross_entropy/global-max-shift",
    "softmax_cross_entropy/log-of-underflowed-softmax",
    "softmax_cross_entropy/log2",
    "softmax_cross_entropy/mean-over-classes",
    "softmax_cross_entropy/methods-missing",
    "softmax_cross_entropy/p-colon-y",
    "softmax_cross_entropy/rows-by-label",
    "softmax_cross_entropy/sign-flipped",
    "softmax_cross_entropy/sum-not-mean",
    "softmax_derivative/log-not-s",
    "softmax_derivative/loss-gradient",
    "softmax_derivative/numerator-only",
    "softmax_derivative/off-diagonal-sign",
    "softmax_derivative/own-denominator",
    "softmax_derivative/others-zero",
    "softmax_derivative/swapped",
    "softmax_questions/not-a-choice",
    "softmax_questions/not-a-number",
    "softmax_questions/wrong-length",
    "width_search/class-count",
    "width_search/full-batch",
    "width_search/measured-on-training-data",
    "width_search/model-reused",
    "width_search/not-a-dict",
    "width_search/not-a-fraction",
    "width_search/not-trained",
    "width_search/optimiser-per-step",
    "width_search/only-first-trained",
    "width_search/other-batch-size",
    "width_search/other-learning-rate",
    "width_search/rng-unused",
    "width_search/sets-mixed-up",
    "width_search/shuffle-not-from-rng",
    "width_search/trained-on-validation",
    "width_search/weights-not-from-rng",
    "width_search/width-ignored",
    "width_search/wrong-keys",]


def test_the_registry_is_the_listed_one():
    assert list(MISTAKES) == EXPECTED_IDS


def test_the_generic_ids_are_listed():
    assert GENERIC <= set(MISTAKES) and NOT_WRITTEN not in GENERIC


def test_ids_are_unique_in_the_source():
    """A dict literal keeps the last of two equal keys silently: look at the source."""
    tree = ast.parse((CHECK_DIR / "mistakes.py").read_text(encoding="utf-8"))
    keys = [
        node.value
        for assign in ast.walk(tree)
        if isinstance(assign, ast.AnnAssign) and getattr(assign.target, "id", "") == "MISTAKES"
        for node in assign.value.keys
        if isinstance(node, ast.Constant)
    ]
    assert len(keys) == len(EXPECTED_IDS) - 1  # NOT_WRITTEN is listed by name
    assert len(set(keys)) == len(keys), sorted(k for k in keys if keys.count(k) > 1)


@pytest.mark.parametrize("mistake_id_", EXPECTED_IDS)
def test_ids_are_well_formed_and_have_a_short_name(mistake_id_):
    assert re.fullmatch(r"[a-z0-9_-]+(/[a-z0-9_-]+)?", mistake_id_), mistake_id_
    name = short_name(mistake_id_)
    assert name.strip() and len(name) <= 90 and "\n" not in name


def _check_sources():
    for path in sorted(CHECK_DIR.glob("*.py")):
        if path.name not in ("mistakes.py", "__init__.py"):
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _used_ids():
    used = {}
    for path, tree in _check_sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "mistake":
                first = node.args[0] if node.args else None
                assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                    f"{path.name}:{node.lineno}: a mistake id must be a literal string")
                used.setdefault(first.value, f"{path.name}:{node.lineno}")
    return used


def test_every_id_a_check_uses_is_listed_and_every_listed_id_is_used():
    used = _used_ids()
    assert not set(used) - set(MISTAKES), {k: used[k] for k in set(used) - set(MISTAKES)}
    # NOT_WRITTEN is given by NotWrittenYet itself
    assert set(MISTAKES) - set(used) == {NOT_WRITTEN}


# --- every hint has an id: no hint in helpers/check/ is a bare string ----------------------

#: where a call takes its hint: positional index, and the keyword names
_HINT_ARGS = {"fail": 1, "CheckFailed": 2, "NotWrittenYet": 2, "finite": 2}
_HINT_KEYWORDS = ("hint", "warning_hint")


def _bare_string(node) -> bool:
    """A hint written as text, not through mistake(...)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _bare_string(node.left) or _bare_string(node.right)
    if isinstance(node, ast.IfExp):
        return _bare_string(node.body) or _bare_string(node.orelse)
    if isinstance(node, ast.BoolOp):  # hint or "a default"
        return any(_bare_string(value) for value in node.values)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("replace", "format", "strip") and (
            _bare_string(node.func.value) or isinstance(node.func.value, ast.Name))
    return False


def _bare_hints(tree):
    """(line, what) of every hint in ``tree`` written as a bare string."""
    found = []
    # the module's own helpers that take a hint: the positions of their *hint* parameters
    local = {
        fn.name: [i for i, arg in enumerate(fn.args.args) if "hint" in arg.arg]
        for fn in ast.walk(tree) if isinstance(fn, ast.FunctionDef)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
                node.func, "id", None)
            index = _HINT_ARGS.get(name)
            if index is not None and len(node.args) > index and _bare_string(node.args[index]):
                found.append((node.lineno, f"{name}(...) hint"))
            for index in local.get(name, []) if isinstance(node.func, ast.Name) else []:
                if len(node.args) > index and _bare_string(node.args[index]):
                    found.append((node.lineno, f"{name}(...) hint argument"))
            for keyword in node.keywords:
                if keyword.arg in _HINT_KEYWORDS and _bare_string(keyword.value):
                    found.append((node.lineno, f"{keyword.arg}="))
            # a (wrong output, hint) pair appended to a list of known mistakes
            if name == "append" and node.args and isinstance(node.args[0], ast.Tuple):
                pair = node.args[0].elts
                if len(pair) == 2 and _bare_string(pair[1]) and not _bare_string(pair[0]):
                    found.append((node.lineno, "appended (output, hint) pair"))
        if isinstance(node, (ast.List, ast.ListComp)):
            items = [node.elt] if isinstance(node, ast.ListComp) else node.elts
            for item in items:
                if (isinstance(item, ast.Tuple) and len(item.elts) == 2
                        and _bare_string(item.elts[1]) and not _bare_string(item.elts[0])):
                    found.append((item.lineno, "(output, hint) pair"))
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.lower().endswith("_hint") for t in node.targets):
            if _bare_string(node.value):
                found.append((node.lineno, "a *_HINT constant or *_hint variable"))
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_hint"):
            for ret in ast.walk(node):
                if isinstance(ret, ast.Return) and ret.value is not None and _bare_string(
                        ret.value):
                    found.append((ret.lineno, f"{node.name} returns"))
    return found


def test_no_hint_in_the_checks_is_a_bare_string():
    bare = [f"{path.name}:{line}: {what}" for path, tree in _check_sources()
            for line, what in _bare_hints(tree)]
    assert not bare, "hints without a mistake id:\n" + "\n".join(bare)


def test_the_scan_finds_bare_hints():
    """The scan above can fail: each way of writing a bare hint is found."""
    planted = '''
def check(ex):
    ex.fail("message", "a bare hint")
    ex.close(1, 2, "m", mistakes=[(3, f"bare {1}")], hint="bare")
    ex.call(1, warning_hint="bare " + "too")
    ex.finite(x, "label", "bare")
    found.append((4, "bare"))
    ex.fail("m", "a" if flag else mistake("x/y", "b"))
    raise CheckFailed("name", "message", "bare")
    ex.fail("m", hint or "a bare default")
    _helper(ex, 1, "bare")
_X_HINT = "bare"
def _error_hint(err):
    zero_hint = "bare"
    return "bare"
def _helper(ex, value, hint):
    ex.fail("m", hint)
'''
    assert len(_bare_hints(ast.parse(planted))) == 13
    assert not _bare_hints(ast.parse('ex.fail("m", mistake("x/y", "hint"))'))


# --- the failure carries the id ------------------------------------------------------------


def test_a_hint_knows_its_mistake_and_the_failure_carries_it():
    hint = mistake("sigmoid/sign-inside-exp", "check the sign inside np.exp")
    assert isinstance(hint, str) and hint == "check the sign inside np.exp"
    failure = CheckFailed("sigmoid", "wrong values.", hint)
    assert failure.mistake == "sigmoid/sign-inside-exp"
    assert mistake_id(failure) == "sigmoid/sign-inside-exp"
    assert short_name(failure.mistake) == MISTAKES["sigmoid/sign-inside-exp"]


def test_a_failure_without_a_known_mistake_is_unnamed():
    for failure in (CheckFailed("sigmoid", "wrong values."),
                    CheckFailed("sigmoid", "wrong values.", "a hint nobody listed")):
        assert failure.mistake is None
        assert mistake_id(failure) == UNNAMED == "unnamed"


def test_not_written_yet_has_its_own_id():
    failure = NotWrittenYet("sigmoid", "not written yet.", "replace the line ...")
    assert failure.mistake == NOT_WRITTEN and mistake_id(failure) == NOT_WRITTEN


def test_an_unlisted_id_is_refused():
    with pytest.raises(KeyError, match="not listed"):
        mistake("sigmoid/no-such-mistake", "text")


def test_a_hint_keeps_its_id_across_processes():
    hint = mistake("linear/dw-transposed", "dW = dout.T @ x is transposed.")
    again = pickle.loads(pickle.dumps(hint))
    assert isinstance(again, Hint) and again == hint and again.mistake == hint.mistake


def _sigmoid_sign(z):
    return 1 / (1 + np.exp(z))


def _sigmoid_stub(z):
    raise NotImplementedError("exercise: sigmoid")


def _sigmoid_off(z):
    return 0.3 + 0 * np.asarray(z, dtype=float)


def _sigmoid_matrix_error(z):
    return np.ones((2, 3)) @ np.ones((4,))


@pytest.mark.parametrize("answer, want", [
    (_sigmoid_sign, "sigmoid/sign-inside-exp"),
    (_sigmoid_stub, NOT_WRITTEN),
    (_sigmoid_off, None),  # wrong, and no known mistake gives it
    (_sigmoid_matrix_error, "error/matmul-shapes"),
])
def test_a_real_check_gives_the_id(answer, want):
    with pytest.raises(CheckFailed) as info:
        check.sigmoid(answer)
    assert info.value.mistake == want
    assert mistake_id(info.value) == (want or UNNAMED)


# --- the id reaches the grader: its judge runs the check and catches CheckFailed ------------


@pytest.mark.parametrize("answer, want", [
    (_sigmoid_sign, "sigmoid/sign-inside-exp"),
    (_sigmoid_matrix_error, "error/matmul-shapes"),  # the student's error, rebuilt in the judge
    (_sigmoid_off, UNNAMED),
])
def test_the_graders_judge_sees_the_same_mistake(answer, want, monkeypatch):
    """helpers.grading.judge catches the CheckFailed in its own process: the failure's
    ``mistake`` there is the notebook's, ready to be recorded in results.json."""
    from checking import grader_result

    original = check.REGISTRY["sigmoid"]
    seen = []

    def watched(student_object, *, strict=False):
        try:
            original(student_object, strict=strict)
        except CheckFailed as failure:
            seen.append(mistake_id(failure))
            raise

    monkeypatch.setitem(check.REGISTRY, "sigmoid", watched)
    result = grader_result(watched, answer, strict=True)
    assert result.status == "failed"
    assert seen == [want]
    with pytest.raises(CheckFailed) as info:
        original(answer)
    assert mistake_id(info.value) == want
