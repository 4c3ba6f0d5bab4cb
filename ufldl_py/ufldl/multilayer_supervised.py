"""The UFLDL multilayer supervised network (stanford_dl_ex/multilayer_supervised).

A fully connected network: hidden layers with the 'logistic', 'tanh' or 'relu' activation
and a softmax output layer; the cost is the cross entropy summed over the examples plus
weight decay ``lambda/2 * sum(W(:).^2)`` over every layer, as the tutorial intends for the
YOUR CODE HERE parts of supervised_dnn_cost.m.

``ei`` is a dict with MATLAB's field names: input_dim, output_dim, layer_sizes (the hidden
sizes and then output_dim), lambda, activation_fun. A ``stack`` is a list of dicts with
``W`` (out, in) and ``b`` (out,); ``params`` unrolls it column-major, layer by layer.

The ``# --- YOUR CODE HERE`` ... ``# --- END ---`` comments in supervised_dnn_cost mark the
template's gaps (``ufldl-py exercise start multilayer_supervised``, :mod:`ufldl_py.student`).
"""

from __future__ import annotations

import math

import numpy as np

from .. import data, kernels
from ..matlab import random as mrandom
from ..matlab import validate

__all__ = ["initialize_weights", "params2stack", "stack2params", "supervised_dnn_cost",
           "load_preprocess_mnist", "ACTIVATIONS"]


# activation, and its derivative written in terms of the activation's value
ACTIVATIONS = {
    "logistic": (kernels.sigmoid, lambda a: a * (1 - a)),
    "tanh": (np.tanh, lambda a: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0.0), lambda a: (a > 0).astype(np.float64)),
}


def _sizes(ei: dict) -> list[int]:
    sizes = [int(s) for s in np.ravel(ei["layer_sizes"])]
    if not sizes or min(sizes) < 1:
        raise ValueError("ei['layer_sizes'] must list positive layer sizes")
    return sizes


def initialize_weights(ei: dict) -> list[dict]:
    """Random weights, uniform in +-sqrt(6)/sqrt(fan_in + fan_out), zero biases
    (multilayer_supervised/initialize_weights.m), drawn with ``rand`` in MATLAB's order.

    Parameters
    ----------
    ei : dict
        The network's description: input_dim, layer_sizes (the hidden layers' and the
        output's sizes).

    Returns
    -------
    stack : list of dict
        One ``{'W': (cur, prev), 'b': (cur,)}`` per layer.

    Raises
    ------
    ValueError
        When ei's layer sizes are not positive.
    """
    stack = []
    prev_size = int(ei["input_dim"])
    for cur_size in _sizes(ei):
        s = math.sqrt(6) / math.sqrt(prev_size + cur_size)
        stack.append({"W": mrandom.rand(cur_size, prev_size) * 2 * s - s,
                      "b": np.zeros(cur_size)})
        prev_size = cur_size
    return stack


def _unrolled(params, ei: dict, name: str) -> np.ndarray:
    """The unrolled parameters ``name`` as a vector, of the size ei's layers need."""
    params = validate.vector(params, name)
    expected = sum(h * p + h for h, p in zip(_sizes(ei), [int(ei["input_dim"])] + _sizes(ei)))
    if params.size != expected:
        raise ValueError(f"{name} has {params.size} elements; ei's layers need {expected}")
    return params


def params2stack(params, ei: dict) -> list[dict]:
    """The unrolled parameters as a stack of layers (multilayer_supervised/params2stack.m).

    Parameters
    ----------
    params : ndarray
        The unrolled parameters, ``[W1(:); b1(:); W2(:); ...]``.
    ei : dict
        The network's description: input_dim, layer_sizes.

    Returns
    -------
    stack : list of dict
        One ``{'W': (cur, prev), 'b': (cur,)}`` per layer.

    Raises
    ------
    ValueError
        When params does not have the number of elements ei's layers need.
    """
    params = _unrolled(params, ei, "params")
    stack = []
    prev_size = int(ei["input_dim"])
    pos = 0
    for hidden in _sizes(ei):
        W = params[pos:pos + hidden * prev_size].reshape(hidden, prev_size, order="F")
        pos += hidden * prev_size
        b = params[pos:pos + hidden]
        pos += hidden
        stack.append({"W": W, "b": b})
        prev_size = hidden
    return stack


def stack2params(stack: list[dict]) -> np.ndarray:
    """Unroll a stack, ``[W1(:); b1(:); W2(:); ...]`` (multilayer_supervised/stack2params.m),
    with the original's checks of the layers' sizes.

    Parameters
    ----------
    stack : list of dict
        One ``{'W', 'b'}`` per layer.

    Returns
    -------
    params : ndarray
        The unrolled parameters.

    Raises
    ------
    ValueError
        The original's messages, when a bias is not one per row of W or adjacent layers'
        sizes do not match.
    """
    parts = []
    for d, layer in enumerate(stack, 1):
        W = np.asarray(layer["W"], dtype=np.float64)
        b = np.asarray(layer["b"], dtype=np.float64).ravel()
        parts += [W.ravel(order="F"), b]
        if W.shape[0] != b.size:
            raise ValueError(f"The bias should be a *column* vector of {W.shape[0]}x1")
        if d < len(stack) and np.asarray(stack[d]["W"]).shape[1] % W.shape[0] != 0:
            raise ValueError(f"The adjacent layers L{d} and L{d + 1} should have matching "
                             "sizes.")
    return np.concatenate(parts) if parts else np.zeros(0)


def supervised_dnn_cost(theta, ei: dict, data_, labels, pred_only: bool = False):
    """Cost, gradient and output probabilities of the network
    (multilayer_supervised/supervised_dnn_cost.m).

    Parameters
    ----------
    theta : ndarray (n,)
        The unrolled parameters (see stack2params).
    ei : dict
        The network's description (input_dim, output_dim, layer_sizes, lambda,
        activation_fun).
    data_ : ndarray (input_dim, m)
        The examples, one per column.
    labels : ndarray (m,)
        Labels in 1..output_dim (ignored when pred_only).
    pred_only : bool
        Only forward propagate.

    Returns
    -------
    cost : float
        -1 with pred_only, as in the original.
    grad : ndarray (n,)
        Empty with pred_only.
    pred_prob : ndarray (output_dim, m)
        The softmax probabilities.
    """
    act_name = ei.get("activation_fun", "logistic")
    if act_name not in ACTIVATIONS:
        raise ValueError(f"unknown activation_fun {act_name!r} (one of "
                         f"{', '.join(ACTIVATIONS)})")
    # the activation and its derivative (in terms of the activation's value)
    act, dact = ACTIVATIONS[act_name]
    # template: theta = np.ravel(theta)
    theta = validate.finite(_unrolled(theta, ei, "theta"), "theta")
    X = np.asarray(data_, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] != int(ei["input_dim"]):
        raise ValueError(f"data must be input_dim x m = {int(ei['input_dim'])} x m, got shape "
                         f"{X.shape}")
    m = X.shape[1]
    # reshape into network
    stack = params2stack(theta, ei)
    numHidden = len(np.ravel(ei["layer_sizes"])) - 1
    hAct = [None] * (numHidden + 1)
    gradStack = [None] * (numHidden + 1)
    # forward prop
    # --- YOUR CODE HERE: supervised_dnn_cost/forward ---
    a = X
    for l in range(numHidden):
        a = act(stack[l]["W"] @ a + stack[l]["b"][:, None])
        hAct[l] = a
    z = stack[-1]["W"] @ a + stack[-1]["b"][:, None]
    z -= z.max(axis=0)
    P = np.exp(z)
    P /= P.sum(axis=0)
    hAct[numHidden] = P
    pred_prob = P
    # --- END ---
    # return here if only predictions desired
    if pred_only:
        return -1, np.zeros(0), pred_prob
    y = np.asarray(labels, dtype=np.float64).ravel()
    K = pred_prob.shape[0]
    if y.size != m:
        raise ValueError(f"data has {m} examples but labels has {y.size}")
    if (y != np.round(y)).any() or y.min(initial=1) < 1 or y.max(initial=1) > K:
        raise ValueError(f"labels must be integers in 1..output_dim = 1..{K}")
    # compute cost
    # --- YOUR CODE HERE: supervised_dnn_cost/cost ---
    idx, cols = y.astype(np.intp) - 1, np.arange(m)
    ceCost = -float(np.sum(np.log(P[idx, cols])))
    # --- END ---
    # compute gradients using backpropagation
    # --- YOUR CODE HERE: supervised_dnn_cost/backpropagation ---
    delta = P.copy()
    delta[idx, cols] -= 1.0  # P - groundTruth
    for l in range(numHidden, -1, -1):
        inp = X if l == 0 else hAct[l - 1]
        gradStack[l] = {"W": delta @ inp.T, "b": delta.sum(axis=1)}
        if l > 0:
            delta = (stack[l]["W"].T @ delta) * dact(hAct[l - 1])
    # --- END ---
    # compute weight penalty cost and gradient for non-bias terms
    # --- YOUR CODE HERE: supervised_dnn_cost/weight_decay ---
    lam = float(ei.get("lambda", 0))
    wCost = 0.5 * lam * sum(float(np.sum(layer["W"] ** 2)) for layer in stack)
    for l in range(numHidden + 1):
        gradStack[l]["W"] = gradStack[l]["W"] + lam * stack[l]["W"]
    cost = ceCost + wCost
    # --- END ---
    # reshape gradients into vector
    grad = stack2params(gradStack)
    return cost, grad, pred_prob


def load_preprocess_mnist():
    """MNIST with labels 1..10 (multilayer_supervised/load_preprocess_mnist.m).

    Returns
    -------
    data_train (784, m), labels_train (m,), data_test, labels_test.
    """
    data_train = data.loadMNISTImages(data.mnist_path("train-images"))
    labels_train = data.loadMNISTLabels(data.mnist_path("train-labels")) + 1
    data_test = data.loadMNISTImages(data.mnist_path("t10k-images"))
    labels_test = data.loadMNISTLabels(data.mnist_path("t10k-labels")) + 1
    return data_train, labels_train, data_test, labels_test
