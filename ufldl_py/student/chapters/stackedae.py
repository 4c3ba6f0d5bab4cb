"""The stackedae chapter of student mode: UFLDL/stackedae_exercise: stackedAECost,
stackedAEPredict.
"""

from __future__ import annotations

import functools

import numpy as np

from ...ufldl_classic import stackedae as cstacked
from ...testing import PROBLEMS
from ._common import (Chapter, Function, Mistake, central_difference_check, top_label_left_out,
                      zero_based)

__all__ = ["STACKEDAE"]


_stackedAECost = functools.partial(cstacked.stackedAECost, full_ground_truth=True)


def _stacked_cost_inputs(rng, trial):
    theta, n, h, K, netconfig, lambda_, data, labels = PROBLEMS["stackedAECost"](rng)
    return (theta, int(n), int(h), int(K), netconfig, lambda_, data,
            top_label_left_out(labels, int(K), trial))


def _stacked_no_decay(theta, n, h, K, netconfig, lambda_, data, labels):
    return _stackedAECost(theta, n, h, K, netconfig, 0.0, data, labels)


def _stacked_no_mean(theta, n, h, K, netconfig, lambda_, data, labels):
    """The cross entropy and every gradient summed over the examples (no 1/m); the weight
    decay as it is."""
    m = np.shape(data)[1]
    cost, grad = _stackedAECost(theta, n, h, K, netconfig, 0.0, data, labels)
    softmaxTheta = np.asarray(theta, dtype=np.float64)[:h * K]
    grad = m * grad
    grad[:h * K] += lambda_ * softmaxTheta
    return m * cost + lambda_ / 2 * np.sum(softmaxTheta ** 2), grad


def _stacked_gradient_check(fn):
    """checkStackedAECost.m: a 4-3-5 stack (w = 0.1 * randn, b = 0), 2 classes, 5
    examples, softmaxTheta = 0.005 * randn, lambda 0.01; computeNumericalGradient against
    the gradient, norm(numgrad - grad) / norm(numgrad + grad) < 1e-9."""
    rng = np.random.default_rng(7)
    data = rng.standard_normal((4, 5))
    labels = np.array([1, 2, 1, 2, 1.0])
    stack = [{"w": 0.1 * rng.standard_normal((3, 4)), "b": np.zeros(3)},
             {"w": 0.1 * rng.standard_normal((5, 3)), "b": np.zeros(5)}]
    params, netconfig = cstacked.stack2params(stack)
    theta = np.concatenate([0.005 * rng.standard_normal(10), params])
    args = (4, 5, 2, netconfig, 0.01, data, labels)
    return central_difference_check(fn, theta, args, 1e-9)


def _stacked_predict_args(rng, trial):
    theta, n, h, K, netconfig, _, data, _ = _stacked_cost_inputs(rng, trial)
    return theta, n, h, K, netconfig, data


def _stacked_predict_zero_based(theta, n, h, K, netconfig, data):
    return cstacked.stackedAEPredict(theta, n, h, K, netconfig, data) - 1.0


def _stacked_accuracy_check(fn):
    """stackedAEExercise's STEP 6 on separable data: one layer sigmoid(10 x - 5) and
    softmaxTheta = I; example i near the unit vector of its label, which is predicted
    (1-based)."""
    rng = np.random.default_rng(3)
    K, m = 4, 40
    labels = rng.integers(1, K + 1, m)
    data = np.eye(K)[:, labels - 1] + 0.05 * rng.standard_normal((K, m))
    params, netconfig = cstacked.stack2params([{"w": 10 * np.eye(K), "b": -5 * np.ones(K)}])
    theta = np.concatenate([np.eye(K).ravel(order="F"), params])
    pred = np.asarray(fn(theta, K, K, K, netconfig, data), dtype=np.float64).ravel()
    if pred.size != m:
        return False, f"pred has {pred.size} elements, data {m} examples"
    acc = float(np.mean(pred == labels))
    if acc != 1.0:
        return False, f"Accuracy: {acc * 100:0.3f}% (100% expected; labels are 1..numClasses)"
    return True, "Accuracy: 100.000%"


_STACKED_ARGS = """theta ([softmaxTheta(:); stack2params(stack)], softmaxTheta numClasses x
    hiddenSize), inputSize (the number of input units), hiddenSize (the number of units of
    the stack's last layer), numClasses, netconfig (the stack's configuration, from
    stack2params: inputsize and layersizes)"""

STACKEDAE = Chapter(
    name="stackedae", origin="UFLDL/stackedae_exercise",
    title="Stacked autoencoders (the original UFLDL exercise): stackedAECost, "
          "stackedAEPredict",
    drivers=("stackedae_exercise",),
    functions=(
        Function(
            "stackedAECost", cstacked.stackedAECost, _stackedAECost, _stacked_cost_inputs,
            ("cost", "grad"),
            doc=f"""The cost of the stacked autoencoder with its softmax classifier, and its
    gradient, for fine-tuning.

    Parameters: {_STACKED_ARGS},
    lambda_ (the weight decay of softmaxTheta), data (inputSize x m, one example per
    column), labels (m labels, 1..numClasses). Returns cost and grad
    ([softmaxThetaGrad(:); stack2params(stackgrad)], shaped as theta). A stack is a list of
    layers, stack[d]["w"] (the layer's size x the previous one's) and stack[d]["b"];
    groundTruth (numClasses x m) has a 1 in row labels[i] of column i. full_ground_truth is
    the port's keyword, which the driver passes: groundTruth here always has numClasses
    rows (the port's fix), so it is ignored.""",
            imports="from ufldl_py.ufldl.ex1 import sigmoid  # 1 / (1 + exp(-z))\n"
                    "from ufldl_py.ufldl_classic.stackedae import params2stack, stack2params",
            gaps={"stackedAECost/cost_grad": "Compute the cost and the gradient of the "
                  "stacked autoencoder. The weights of layer d are stack[d]['w'], its biases "
                  "stack[d]['b'], len(stack) the number of layers; the last layer is "
                  "connected to the softmax layer softmaxTheta. Forward propagate: a[0] = "
                  "data, a[d+1] = sigmoid(W_d a[d] + b_d); p = the softmax of softmaxTheta @ "
                  "a[-1] (subtract each column's maximum before exp). The cost is -1/m * "
                  "sum(groundTruth .* log(p)) + lambda_/2 * sum(softmaxTheta.^2) (the "
                  "stack's weights were decayed while they were pre-trained), "
                  "softmaxThetaGrad = -1/m * (groundTruth - p) @ a[-1]' + lambda_ * "
                  "softmaxTheta. Backpropagate: the last layer's delta is -(softmaxTheta' @ "
                  "(groundTruth - p)) .* a .* (1 - a), each earlier one (W' @ delta) .* a .* "
                  "(1 - a); stackgrad[d]['w'] = delta_{d+1} @ a[d]' / m and "
                  "stackgrad[d]['b'] = the row sums of delta_{d+1} / m, shaped exactly as "
                  "stack[d]['w'] and stack[d]['b']."},
            mistakes=(
                Mistake("labels taken as 0-based: they are 1..numClasses as in MATLAB, so the "
                        "row of label l is l - 1", zero_based(_stackedAECost, 7,
                                                               lambda a: int(a[3]))),
                Mistake("the weight decay missing: lambda_/2 * sum(softmaxTheta.^2) in the "
                        "cost, lambda_ * softmaxTheta in softmaxThetaGrad", _stacked_no_decay),
                Mistake("a missing 1/m: the cross entropy and the gradients summed over the "
                        "examples instead of averaged", _stacked_no_mean),
            ),
            checks=(("checkStackedAECost (computeNumericalGradient)",
                     _stacked_gradient_check),)),
        Function(
            "stackedAEPredict", cstacked.stackedAEPredict, cstacked.stackedAEPredict,
            _stacked_predict_args, ("pred",),
            doc=f"""Predicted labels of the stacked autoencoder's softmax classifier.

    Parameters: {_STACKED_ARGS},
    data (inputSize x m, one example per column). Returns pred (m labels), pred[i] =
    argmax_c P(y = c | data[:, i]), the labels starting from 1.""",
            imports="from ufldl_py.ufldl.ex1 import sigmoid  # 1 / (1 + exp(-z))\n"
                    "from ufldl_py.ufldl_classic.stackedae import params2stack",
            gaps={"stackedAEPredict/pred": "Compute pred using theta, assuming that the "
                                           "labels start from 1: forward propagate data "
                                           "through the stack's sigmoid layers, then pred[i] "
                                           "is the row of the maximum of softmaxTheta @ a "
                                           "in column i, plus 1 (the first maximum on ties, "
                                           "as MATLAB's max)."},
            mistakes=(
                Mistake("labels taken as 0-based: the predicted label is the row of the "
                        "maximum plus 1 (labels start from 1)",
                        _stacked_predict_zero_based),
            ),
            checks=(("stackedAEExercise's accuracy test", _stacked_accuracy_check),)),
    ))
