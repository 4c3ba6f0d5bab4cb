"""The softmax chapter of student mode: UFLDL/softmax_exercise: softmaxCost, softmaxPredict."""

from __future__ import annotations

import functools

import numpy as np

from ...ufldl_classic import softmax as csoftmax
from ...testing import PROBLEMS
from ._common import (Chapter, Function, Mistake, central_difference_check, top_label_left_out,
                      wrapped_labels, zero_based)

__all__ = ["SOFTMAX"]


_softmaxCost = functools.partial(csoftmax.softmaxCost, full_ground_truth=True)


def _softmax_cost_inputs(rng, trial):
    theta, K, n, lambda_, data, labels = PROBLEMS["softmaxCost"](rng)
    return theta, int(K), int(n), lambda_, data, top_label_left_out(labels, int(K), trial)


def _softmax_no_decay(theta, K, n, lambda_, data, labels):
    return _softmaxCost(theta, K, n, 0.0, data, labels)


def _softmax_no_mean(theta, K, n, lambda_, data, labels):
    m = np.shape(data)[1]
    cost, grad = _softmaxCost(theta, K, n, 0.0, data, labels)
    theta = np.asarray(theta, dtype=np.float64)
    return m * cost + lambda_ / 2 * np.sum(theta ** 2), m * grad + lambda_ * theta


def _softmax_gradient_check(fn):
    """softmaxExercise's STEP 3 (DEBUG): 8 inputs, 100 examples, 10 classes, theta = 0.005 *
    randn; computeNumericalGradient against the gradient, norm(numGrad - grad) /
    norm(numGrad + grad) < 1e-8 (the exercise expects about 1e-9)."""
    rng = np.random.default_rng(5)
    K, n, m = 10, 8, 100
    data = rng.standard_normal((n, m))
    labels = rng.integers(1, K + 1, m).astype(float)
    labels[:K] = np.arange(1, K + 1)  # every class occurs, as the original needs
    theta = 0.005 * rng.standard_normal(K * n)
    args = (K, n, 1e-4, data, labels)
    return central_difference_check(fn, theta, args, 1e-8)


def _softmax_predict_inputs(rng, trial):
    model, data = PROBLEMS["softmaxPredict"](rng)
    return dict(model, inputSize=int(model["inputSize"]),
                numClasses=int(model["numClasses"])), data


def _predict_zero_based(softmaxModel, data):
    return csoftmax.softmaxPredict(softmaxModel, data) - 1.0


def _softmax_accuracy_check(fn):
    """softmaxExercise's STEP 5 on separable data: a model whose class c weights point at
    cluster c predicts every example's label (1-based)."""
    rng = np.random.default_rng(3)
    K, n, m = 4, 4, 40
    labels = rng.integers(1, K + 1, m)
    data = 5 * np.eye(n)[:, labels - 1] + 0.1 * rng.standard_normal((n, m))
    pred = np.asarray(fn({"optTheta": np.eye(K), "inputSize": n, "numClasses": K}, data),
                      dtype=np.float64).ravel()
    if pred.size != m:
        return False, f"pred has {pred.size} elements, data {m} examples"
    acc = float(np.mean(pred == labels))
    if acc != 1.0:
        return False, f"Accuracy: {acc * 100:0.3f}% (100% expected; labels are 1..numClasses)"
    return True, "Accuracy: 100.000%"


SOFTMAX = Chapter(
    name="softmax", origin="UFLDL/softmax_exercise",
    title="Softmax regression (the original UFLDL exercise): softmaxCost, softmaxPredict",
    drivers=("softmax_exercise",),
    functions=(
        Function(
            "softmaxCost", csoftmax.softmaxCost, _softmaxCost, _softmax_cost_inputs,
            ("cost", "grad"),
            doc="""The cost of softmax regression with weight decay, and its gradient.

    Parameters: theta (theta(:) of the numClasses x inputSize parameters), numClasses,
    inputSize (n, the size of an input vector), lambda_ (the weight decay), data (n x m, one
    example per column), labels (m labels, 1..numClasses). Returns cost and grad
    (thetagrad(:), numClasses*inputSize). groundTruth (numClasses x m) has a 1 in row
    labels[i] of column i. full_ground_truth is the port's keyword, which the driver
    passes: groundTruth here always has numClasses rows (the port's fix), so it is
    ignored.""",
            gaps={"softmaxCost/cost_grad": "Compute the cost and gradient for softmax "
                  "regression: the class probabilities p (numClasses x m; subtract each "
                  "column's maximum of theta @ data before exp, which leaves p unchanged and "
                  "keeps exp from overflowing), the cost -1/m * sum(groundTruth .* log(p)) + "
                  "lambda_/2 * sum(theta.^2), and thetagrad = -1/m * (groundTruth - p) * data' "
                  "+ lambda_ * theta (numClasses x inputSize). The groundTruth matrix might "
                  "come in handy."},
            mistakes=(
                Mistake("labels taken as 0-based: they are 1..numClasses as in MATLAB, so the "
                        "row of label l is l - 1", zero_based(_softmaxCost, 5,
                                                               lambda a: int(a[1]))),
                wrapped_labels(_softmaxCost, 5, lambda a: int(a[1])),
                Mistake("the weight decay missing: lambda_/2 * sum(theta.^2) in the cost, "
                        "lambda_ * theta in the gradient", _softmax_no_decay),
                Mistake("a missing 1/m: the cross entropy and its gradient summed over the "
                        "examples instead of averaged", _softmax_no_mean),
            ),
            checks=(("softmaxExercise's gradient check (computeNumericalGradient)",
                     _softmax_gradient_check),)),
        Function(
            "softmaxPredict", csoftmax.softmaxPredict, csoftmax.softmaxPredict,
            _softmax_predict_inputs, ("pred",),
            doc="""Predicted labels of a softmax model.

    Parameters: softmaxModel (a dict from softmaxTrain: optTheta, the numClasses x inputSize
    parameters), data (inputSize x m, one example per column). Returns pred (m labels),
    pred[i] = argmax_c P(y = c | data[:, i]), the labels starting from 1.""",
            gaps={"softmaxPredict/pred": "Compute pred using theta, assuming that the labels "
                                         "start from 1 (the first maximum on ties, as "
                                         "MATLAB's max)."},
            mistakes=(
                Mistake("labels taken as 0-based: the predicted label is the row of the "
                        "maximum plus 1 (labels start from 1)",
                        _predict_zero_based),
            ),
            checks=(("softmaxExercise's accuracy test", _softmax_accuracy_check),)),
    ))
