"""The multilayer_supervised chapter of student mode: stanford_dl_ex/multilayer_supervised:
supervised_dnn_cost (run_train).
"""

from __future__ import annotations


import numpy as np

from ...testing import PROBLEMS
from ...ufldl import multilayer_supervised as mls
from ._common import Chapter, Function, Mistake, gradient_check, top_label_left_out, zero_based

__all__ = ["DNN"]


def _dnn_inputs(rng, trial):
    theta, ei, X, y = PROBLEMS["supervised_dnn_cost"](rng)
    return theta, ei, X, top_label_left_out(y, int(ei["output_dim"]), trial)


def _dnn_gradient_check(fn):
    theta, ei, X, y = PROBLEMS["supervised_dnn_cost"](np.random.default_rng(3))
    ei["lambda"] = 0.1
    return gradient_check(fn, (theta, ei, X, y), count=10)


DNN = Chapter(
    name="multilayer_supervised", origin="stanford_dl_ex/multilayer_supervised",
    title="A multilayer neural network (run_train)",
    drivers=("run_train",),
    functions=(
        Function(
            "supervised_dnn_cost", mls.supervised_dnn_cost, mls.supervised_dnn_cost,
            _dnn_inputs, ("cost", "grad", "pred_prob"),
            doc="""Cost, gradient and output probabilities of a fully connected network.

    Parameters: theta (the unrolled parameters, see stack2params), ei (the network: input_dim,
    output_dim, layer_sizes (the hidden sizes, then output_dim), lambda, activation_fun),
    data_ (input_dim x m, one example per column), labels (1..output_dim), pred_only (only
    forward propagate). Returns cost (the cross entropy summed over the examples plus the
    weight decay lambda/2 * sum of every W's squares; -1 with pred_only), grad (empty with
    pred_only) and pred_prob (the softmax probabilities, output_dim x m).""",
            imports="from ufldl_py.ufldl.multilayer_supervised import ACTIVATIONS, "
                    "params2stack, stack2params",
            gaps={
                "supervised_dnn_cost/forward": "Forward propagate: each hidden layer's "
                                               "activations into hAct[l] (act of W a + b), "
                                               "then the softmax output layer's "
                                               "probabilities into pred_prob.",
                "supervised_dnn_cost/cost": "Compute the cross entropy cost ceCost from "
                                            "labels and pred_prob.",
                "supervised_dnn_cost/backpropagation": "Compute the gradients by "
                                                       "backpropagation, each layer's "
                                                       "{'W': ..., 'b': ...} into "
                                                       "gradStack[l].",
                "supervised_dnn_cost/weight_decay": "Add the weight penalty lambda/2 * "
                                                    "sum(W(:).^2) over the layers (not the "
                                                    "biases) to the cost and its gradient "
                                                    "to gradStack's W; store the total in "
                                                    "cost.",
            },
            mistakes=(
                Mistake("labels taken as 0-based: they are 1..output_dim as in MATLAB, so "
                        "the row of label l is l - 1",
                        zero_based(mls.supervised_dnn_cost, 3,
                                    lambda a: int(a[1]["output_dim"]))),
            ),
            checks=(("a gradient check (grad_check)", _dnn_gradient_check),)),
    ))
