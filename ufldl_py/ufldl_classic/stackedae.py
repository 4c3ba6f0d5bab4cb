"""Stacked autoencoders of the original UFLDL exercises (stackedae_exercise).

A stack of sigmoid layers (pre-trained greedily, one sparse autoencoder each) topped by a
softmax classifier, fine-tuned together. The files it ports: stack2params.m,
params2stack.m, stackedAECost.m and stackedAEPredict.m. A stack is a list of dicts with
``w`` (layer size x previous size) and ``b`` (layer size,), MATLAB's ``stack{d}.w`` and
``stack{d}.b``; netconfig is a dict with ``inputsize`` and ``layersizes`` (a list).

stackedAECost's YOUR CODE HERE part is completed with the tutorial's formulas (the
completion the golden fixtures were made with), for data (n, m), labels 1..K, layers
``a{l+1} = sigmoid(W{l} * a{l} + b{l})``, l = 1..N:

    p = softmax(softmaxTheta * a{N+1})                     (the column maximum subtracted)
    cost = -1/m * groundTruth(:)' * log(p(:)) + lambda/2 * sum(softmaxTheta(:).^2)
    softmaxThetaGrad = -1/m * (groundTruth - p) * a{N+1}' + lambda * softmaxTheta
    delta{N+1} = -(softmaxTheta' * (groundTruth - p)) .* a{N+1} .* (1 - a{N+1})
    delta{l} = (W{l}' * delta{l+1}) .* a{l} .* (1 - a{l})
    stackgrad{l}.w = delta{l+1} * a{l}' / m,  stackgrad{l}.b = sum(delta{l+1}, 2) / m

(weight decay on the softmax weights only: the autoencoders' weights were decayed while
they were pre-trained). ``groundTruth = full(sparse(labels, 1:m, 1))`` has max(labels)
rows, as in softmaxCost (``full_ground_truth=True`` fixes that).
"""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..matlab import validate

__all__ = ["stack2params", "params2stack", "stackedAECost", "stackedAEPredict"]


def stack2params(stack):
    """Unroll a stack's weights and biases into one vector (stackedae_exercise/stack2params.m).

    Parameters
    ----------
    stack : list of dict
        ``stack[d]['w']`` (s_d, s_{d-1}) and ``stack[d]['b']`` (s_d,).

    Returns
    -------
    params : ndarray
        ``[stack{1}.w(:); stack{1}.b(:); stack{2}.w(:); ...]``.
    netconfig : dict
        inputsize (s_0) and layersizes ([s_1, s_2, ...]); with an empty stack, 0 and [].
    """
    parts = []
    for d, layer in enumerate(stack):
        w = validate.array(layer["w"], f"stack{{{d + 1}}}.w")
        b = validate.array(layer["b"], f"stack{{{d + 1}}}.b").ravel(order="F")
        if w.ndim != 2:
            raise ValueError(f"stack{{{d + 1}}}.w must be a matrix, got shape {w.shape}")
        parts += [w.ravel(order="F"), b]
        if w.shape[0] != b.size:
            raise ValueError(f"The bias should be a *column* vector of {w.shape[0]}x1")
        if d < len(stack) - 1 and w.shape[0] != np.shape(stack[d + 1]["w"])[1]:
            raise ValueError(f"The adjacent layers L{d + 1} and L{d + 2} should have "
                             f"matching sizes.")
    params = np.concatenate(parts) if parts else np.zeros(0)
    if not stack:
        return params, {"inputsize": 0, "layersizes": []}
    return params, {"inputsize": int(np.shape(stack[0]["w"])[1]),
                    "layersizes": [int(np.shape(layer["w"])[0]) for layer in stack]}


def _netconfig(netconfig) -> tuple[int, list[int]]:
    try:
        inputsize = validate.positive_int(netconfig["inputsize"], "netconfig.inputsize")
        sizes = [validate.positive_int(s, "netconfig.layersizes")
                 for s in np.ravel(np.asarray(netconfig["layersizes"], dtype=object))]
    except (KeyError, TypeError) as exc:
        raise ValueError("netconfig must be a dict with inputsize and layersizes") from exc
    return inputsize, sizes


def params2stack(params, netconfig):
    """Split an unrolled vector into a stack of weights and biases
    (stackedae_exercise/params2stack.m).

    Parameters
    ----------
    params : ndarray
        As :func:`stack2params` writes it.
    netconfig : dict
        inputsize and layersizes.

    Returns
    -------
    stack : list of dict
        ``w`` (s_d, s_{d-1}) and ``b`` (s_d,), column-major views of params.
    """
    params = validate.vector(params, "params")
    prev, sizes = _netconfig(netconfig)
    need = sum(s * p + s for s, p in zip(sizes, [prev] + sizes[:-1]))
    if params.size < need:
        raise ValueError(f"params has {params.size} elements; netconfig needs {need}")
    stack, pos = [], 0
    for s in sizes:
        w = params[pos:pos + s * prev].reshape(s, prev, order="F")
        pos += s * prev
        stack.append({"w": w, "b": params[pos:pos + s]})
        pos += s
        prev = s
    return stack


def _split(theta, hiddenSize, numClasses, netconfig):
    hiddenSize = validate.positive_int(hiddenSize, "hiddenSize")
    numClasses = validate.positive_int(numClasses, "numClasses")
    theta = validate.finite(validate.vector(theta, "theta"), "theta")
    inputsize, sizes = _netconfig(netconfig)
    need = hiddenSize * numClasses + sum(
        s * p + s for s, p in zip(sizes, [inputsize] + sizes[:-1]))
    if theta.size != need:
        stack_size = need - hiddenSize * numClasses
        raise ValueError(f"theta must have hiddenSize*numClasses + the stack's {stack_size} "
                         f"= {need} elements, got {theta.size}")
    if sizes and sizes[-1] != hiddenSize:
        raise ValueError(f"hiddenSize {hiddenSize} must be the last layer's size {sizes[-1]}")
    softmaxTheta = theta[:hiddenSize * numClasses].reshape(numClasses, hiddenSize, order="F")
    return softmaxTheta, params2stack(theta[hiddenSize * numClasses:], netconfig), inputsize


def _inputs(data, inputsize):
    data = validate.finite(data, "data")
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[0] != inputsize:
        raise ValueError(f"data must be inputSize x m = {inputsize} x m, got shape "
                         f"{data.shape}")
    return data


def stackedAECost(theta, inputSize, hiddenSize, numClasses, netconfig, lambda_, data, labels,
                  *, full_ground_truth=False):
    """Cost and gradient of the stacked autoencoder with its softmax classifier, for
    fine-tuning (stackedae_exercise/stackedAECost.m); the formulas of the module docstring.

    Parameters
    ----------
    theta : ndarray
        ``[softmaxTheta(:); stack2params(stack)]``, softmaxTheta numClasses x hiddenSize.
    inputSize : int
        The input's size (netconfig's inputsize is the one used, as in the original).
    hiddenSize : int
        The last layer's size.
    numClasses : int
    netconfig : dict
        From :func:`stack2params`.
    lambda_ : float
        Weight decay of the softmax weights (MATLAB's ``lambda``).
    data : ndarray (inputSize, m)
    labels : ndarray (m,)
        1..numClasses.
    full_ground_truth : bool
        Python-only keyword (the fix, off by default): groundTruth with numClasses rows
        even when the largest class does not occur among the labels.

    Returns
    -------
    cost : float
    grad : ndarray, shaped as theta
    """
    # template: hiddenSize, numClasses = int(hiddenSize), int(numClasses)
    # template: theta = np.asarray(theta, dtype=np.float64).ravel()
    # template: hk = hiddenSize * numClasses
    # template: softmaxTheta = theta[:hk].reshape(numClasses, hiddenSize, order="F")
    # template: stack = params2stack(theta[hk:], netconfig)
    softmaxTheta, stack, inputsize = _split(theta, hiddenSize, numClasses, netconfig)
    # template:
    lambda_ = validate.scalar(lambda_, "lambda")
    # template: data = np.asarray(data, dtype=np.float64)
    data = _inputs(data, inputsize)
    # template: softmaxThetaGrad = np.zeros_like(softmaxTheta)
    # template: stackgrad = [{k: np.zeros_like(v) for k, v in layer.items()} for layer in stack]
    # template: cost = 0.0
    stackgrad = [None] * len(stack)
    m = data.shape[1]
    # template: labels = np.ravel(labels).astype(np.intp)
    y = validate.labels(labels, softmaxTheta.shape[0], m) - 1
    # template: groundTruth = np.zeros((numClasses, m))
    # template: groundTruth[labels - 1, np.arange(m)] = 1
    if not full_ground_truth and y.max() + 1 != softmaxTheta.shape[0]:
        # template:
        raise ValueError(_nonconformant(int(y.max()) + 1, softmaxTheta.shape[0]))
    # --- YOUR CODE HERE: stackedAECost/cost_grad ---
    a = [data]  # a[l]: the activations of layer l (a[0] the input)
    for layer in stack:
        z = layer["w"] @ a[-1]
        # template: a.append(sigmoid(z + layer["b"][:, None]))
        a.append(kernels.sigmoid(z, layer["b"][:, None], out=z))
    top = a[-1]
    P = softmaxTheta @ top
    P -= P.max(axis=0)
    np.exp(P, out=P)
    P /= P.sum(axis=0)  # p
    # template:
    cols = np.arange(m)
    # template: cost = -np.sum(groundTruth * np.log(P)) / m
    cost = -float(np.log(P[y, cols]).sum()) / m
    cost += lambda_ / 2 * float(np.sum(softmaxTheta * softmaxTheta))
    # template: P -= groundTruth  # p - groundTruth
    P[y, cols] -= 1.0  # p - groundTruth
    softmaxThetaGrad = (P @ top.T) / m + lambda_ * softmaxTheta
    delta = softmaxTheta.T @ P
    delta *= top
    delta *= 1.0 - top
    for l in range(len(stack) - 1, -1, -1):
        stackgrad[l] = {"w": (delta @ a[l].T) / m, "b": delta.sum(axis=1) / m}
        if l > 0:
            delta = stack[l]["w"].T @ delta
            delta *= a[l]
            delta *= 1.0 - a[l]
    # --- END ---
    return cost, np.concatenate([softmaxThetaGrad.ravel(order="F"), stack2params(stackgrad)[0]])


def _nonconformant(rows: int, numClasses: int) -> str:
    return (f"nonconformant arguments: groundTruth = full(sparse(labels, 1:m, 1)) has "
            f"max(labels) = {rows} rows, softmaxTheta*a numClasses = {numClasses} "
            "(full_ground_truth=True fixes this)")


def stackedAEPredict(theta, inputSize, hiddenSize, numClasses, netconfig, data) -> np.ndarray:
    """Predicted labels of the stacked autoencoder's classifier
    (stackedae_exercise/stackedAEPredict.m): ``[~, pred] = max(softmaxTheta * a{N+1})``.

    Parameters
    ----------
    theta : ndarray
        ``[softmaxTheta(:); stack2params(stack)]``, as for :func:`stackedAECost`.
    inputSize : int
        The input's size (netconfig's inputsize is the one used, as in the original).
    hiddenSize : int
        The last layer's size.
    numClasses : int
        The number of classes.
    netconfig : dict
        From :func:`stack2params`.
    data : ndarray (inputSize, m)
        The examples, one per column.

    Returns
    -------
    pred : ndarray (m,)
        Labels 1..numClasses (float64; the first maximum on ties).
    """
    # template: hiddenSize, numClasses = int(hiddenSize), int(numClasses)
    # template: theta = np.asarray(theta, dtype=np.float64).ravel()
    # template: hk = hiddenSize * numClasses
    # template: softmaxTheta = theta[:hk].reshape(numClasses, hiddenSize, order="F")
    # template: stack = params2stack(theta[hk:], netconfig)
    softmaxTheta, stack, inputsize = _split(theta, hiddenSize, numClasses, netconfig)
    # template: data = np.asarray(data, dtype=np.float64)
    data = _inputs(data, inputsize)
    # --- YOUR CODE HERE: stackedAEPredict/pred ---
    a = data
    for layer in stack:
        z = layer["w"] @ a
        # template: a = sigmoid(z + layer["b"][:, None])
        a = kernels.sigmoid(z, layer["b"][:, None], out=z)
    pred = (softmaxTheta @ a).argmax(axis=0) + 1.0
    # --- END ---
    return pred
