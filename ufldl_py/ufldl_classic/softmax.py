"""Softmax regression of the original UFLDL exercises (softmax_exercise, common/).

softmaxCost.m, softmaxTrain.m (minFunc's L-BFGS) and softmaxPredict.m, in that order. The
parameters are one numClasses x inputSize matrix theta (no bias; every class has its own
row, none fixed at zero), unrolled column-major.

The YOUR CODE HERE parts are completed with the tutorial's formulas (the completion the
golden fixtures were made with), for data (n, m) and labels 1..K:

    M = theta * data;  M = M - max(M, [], 1);  p = exp(M) ./ sum(exp(M))
    cost = -1/m * groundTruth(:)' * log(p(:)) + lambda/2 * sum(theta(:).^2)
    thetagrad = -1/m * (groundTruth - p) * data' + lambda * theta
    [~, pred] = max(theta * data)                              (softmaxPredict)

with ``groundTruth = full(sparse(labels, 1:m, 1))``. That matrix has max(labels) rows, not
numClasses: where the largest class does not occur among the labels, the original fails
('nonconformant arguments'), and so does this port, by default; ``full_ground_truth=True``
gives groundTruth numClasses rows, the fix.
"""

from __future__ import annotations

import numpy as np

from .. import minfunc
from ..matlab import random as mrandom
from ..matlab import validate

__all__ = ["softmaxCost", "softmaxTrain", "softmaxPredict"]


def _data(data, inputSize: int) -> np.ndarray:
    data = validate.finite(data, "data")
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[0] != inputSize:
        raise ValueError(f"data must be inputSize x m = {inputSize} x m (one example per "
                         f"column), got shape {data.shape}")
    return data


def softmaxCost(theta, numClasses, inputSize, lambda_, data, labels, *,
                full_ground_truth=False):
    """Cross entropy of softmax regression with weight decay, and its gradient
    (common/softmaxCost.m).

    Parameters
    ----------
    theta : ndarray (numClasses*inputSize,)
        theta(:) of the numClasses x inputSize parameters.
    numClasses : int
        K.
    inputSize : int
        n, the size of an input vector.
    lambda_ : float
        The weight decay (MATLAB's ``lambda``).
    data : ndarray (n, m)
        One example per column.
    labels : ndarray (m,)
        Labels 1..numClasses.
    full_ground_truth : bool
        Python-only keyword (the fix, off by default): groundTruth with numClasses rows
        even when the largest class does not occur among the labels, where the original
        fails.

    Returns
    -------
    cost : float
    grad : ndarray (numClasses*inputSize,)
        thetagrad(:).
    """
    # template:
    numClasses = validate.positive_int(numClasses, "numClasses")
    # template:
    inputSize = validate.positive_int(inputSize, "inputSize")
    # template:
    lambda_ = validate.scalar(lambda_, "lambda")
    # template:
    theta = validate.vector(theta, "theta", numClasses * inputSize)
    # template: theta = np.reshape(theta, (numClasses, inputSize), order="F")
    theta = validate.finite(theta, "theta").reshape(numClasses, inputSize, order="F")
    # template: data = np.asarray(data, dtype=np.float64)
    data = _data(data, inputSize)
    numCases = data.shape[1]
    # template: labels = np.ravel(labels).astype(np.intp)
    y = validate.labels(labels, numClasses, numCases) - 1
    # template: groundTruth = np.zeros((numClasses, numCases))
    rows = numClasses if full_ground_truth else int(y.max()) + 1
    # template: groundTruth[labels - 1, np.arange(numCases)] = 1
    if rows != numClasses:
        # template:
        raise ValueError(_nonconformant(rows, numClasses))
    # --- YOUR CODE HERE: softmaxCost/cost_grad ---
    M = theta @ data
    M -= M.max(axis=0)
    np.exp(M, out=M)
    M /= M.sum(axis=0)  # p
    cols = np.arange(numCases)
    # template: cost = -np.sum(groundTruth * np.log(M)) / numCases
    # template: cost += lambda_ / 2 * np.sum(theta * theta)
    cost = -float(np.log(M[y, cols]).sum()) / numCases + lambda_ / 2 * float(np.sum(theta * theta))
    # template: M -= groundTruth  # p - groundTruth
    M[y, cols] -= 1.0  # p - groundTruth
    thetagrad = (M @ data.T) / numCases + lambda_ * theta
    # --- END ---
    return cost, thetagrad.ravel(order="F")


def _nonconformant(rows: int, numClasses: int) -> str:
    return (f"nonconformant arguments: groundTruth = full(sparse(labels, 1:numCases, 1)) has "
            f"max(labels) = {rows} rows, theta*data numClasses = {numClasses} "
            "(full_ground_truth=True fixes this)")


def softmaxTrain(inputSize, numClasses, lambda_, inputData, labels, options=None, *,
                 cost=None) -> dict:
    """Train a softmax model with minFunc's L-BFGS (common/softmaxTrain.m).

    ``theta = 0.005 * randn(numClasses * inputSize, 1)`` (from
    :mod:`ufldl_py.matlab.random`), then minFunc with ``options.Method = 'lbfgs'`` and
    ``options.maxIter`` 400 unless given. (The original also sets ``minFuncOptions.display
    = 'on'``, a variable minFunc never sees: minFunc prints its iterations by default.)

    Parameters
    ----------
    inputSize, numClasses : int
    lambda_ : float
    inputData : ndarray (inputSize, m)
    labels : ndarray (m,)
        1..numClasses.
    options : dict, optional
        minFunc's options (maxIter, Display, ...).
    cost : callable, optional
        The softmaxCost to minimise (default: this module's): a student's, as softmaxTrain.m
        calls the softmaxCost.m beside it.

    Returns
    -------
    softmaxModel : dict
        optTheta (numClasses, inputSize), inputSize, numClasses.

    Raises
    ------
    ValueError
        When inputSize or numClasses is not a positive whole number.
    """
    inputSize = validate.positive_int(inputSize, "inputSize")
    numClasses = validate.positive_int(numClasses, "numClasses")
    options = dict(options or {})
    if not any(k.lower() == "maxiter" for k in options):
        options["maxIter"] = 400
    theta = 0.005 * mrandom.randn(numClasses * inputSize, 1)
    options["Method"] = "lbfgs"
    cost = softmaxCost if cost is None else cost
    softmaxOptTheta, _, _, _ = minfunc.minFunc(
        lambda p: cost(p, numClasses, inputSize, lambda_, inputData, labels),
        theta, options)
    return {"optTheta": softmaxOptTheta.reshape(numClasses, inputSize, order="F"),
            "inputSize": inputSize, "numClasses": numClasses}


def softmaxPredict(softmaxModel: dict, data) -> np.ndarray:
    """Predicted labels ``[~, pred] = max(theta * data)`` (common/softmaxPredict.m).

    Parameters
    ----------
    softmaxModel : dict
        From :func:`softmaxTrain` (optTheta, numClasses x inputSize).
    data : ndarray (inputSize, m)

    Returns
    -------
    pred : ndarray (m,)
        Labels 1..numClasses (float64; the first maximum on ties, as MATLAB's max).
    """
    # template: theta = np.asarray(softmaxModel["optTheta"], dtype=np.float64)
    theta = _model_theta(softmaxModel)
    # template: data = np.asarray(data, dtype=np.float64)
    data = _data(data, theta.shape[1])
    pred = np.zeros(data.shape[1])
    # --- YOUR CODE HERE: softmaxPredict/pred ---
    pred = (theta @ data).argmax(axis=0) + 1.0
    # --- END ---
    return pred


def _model_theta(softmaxModel) -> np.ndarray:
    """softmaxModel's optTheta (numClasses x inputSize), checked."""
    try:
        theta = validate.finite(softmaxModel["optTheta"], "softmaxModel.optTheta")
    except (KeyError, TypeError) as exc:
        raise ValueError("softmaxModel must be a dict with optTheta (numClasses x inputSize)") \
            from exc
    if theta.ndim != 2:
        raise ValueError(f"softmaxModel.optTheta must be numClasses x inputSize, got shape "
                         f"{theta.shape}")
    return theta
