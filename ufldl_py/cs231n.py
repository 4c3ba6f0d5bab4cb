"""Layer functions of the CS231n notes and the worked examples of the project's derivations.

Forward/backward pairs in the style of CS231n's layers.py: examples are rows here (N, D),
labels 0-based (0..C-1), as in those notes (unlike the MATLAB ports, which keep MATLAB's
columns and 1-based labels).

The worked examples reproduce, as numbers, the derivations the project grew from: the
softmax of scores [2, 3, 4] and its cross-entropy gradient, and one step of backpropagation
through the 2-2-2 sigmoid network with squared error.
"""

from __future__ import annotations

import numpy as np

from . import kernels

__all__ = ["affine_forward", "affine_backward", "relu_forward", "relu_backward", "svm_loss",
           "softmax_loss", "softmax_example", "backprop_example"]


def affine_forward(x, w, b):
    """out = x.reshape(N, D) @ w + b.

    Parameters
    ----------
    x : ndarray (N, d_1, ..., d_k)
        The inputs, D = d_1 * ... * d_k (rows flattened in C order).
    w : ndarray (D, M)
        The weights.
    b : ndarray (M,)
        The biases.

    Returns
    -------
    out : ndarray (N, M)
    cache : tuple
        (x, w, b), for affine_backward.
    """
    x, w, b = (np.asarray(v, dtype=np.float64) for v in (x, w, b))
    X = x.reshape(x.shape[0], -1)
    if X.shape[1] != w.shape[0] or b.shape != (w.shape[1],):
        raise ValueError(f"affine_forward: x gives {X.shape[1]} features, w is {w.shape}, "
                         f"b is {b.shape}")
    return X @ w + b, (x, w, b)


def affine_backward(dout, cache):
    """Gradients of affine_forward: dx (shaped as x), dw (D, M), db (M,).

    Parameters
    ----------
    dout : ndarray (N, M)
        The upstream gradient.
    cache : tuple
        ``(x, w, b)`` from :func:`affine_forward`.

    Returns
    -------
    dx : ndarray
        Shaped as x.
    dw : ndarray (D, M)
    db : ndarray (M,)
    """
    x, w, _ = cache
    dout = np.asarray(dout, dtype=np.float64)
    X = x.reshape(x.shape[0], -1)
    return (dout @ w.T).reshape(x.shape), X.T @ dout, dout.sum(axis=0)


def relu_forward(x):
    """out = max(0, x); cache = x.

    Parameters
    ----------
    x : array_like
        Any shape.

    Returns
    -------
    out : ndarray
        ``max(0, x)``, of x's shape.
    cache : ndarray
        x, for :func:`relu_backward`.
    """
    x = np.asarray(x, dtype=np.float64)
    return np.maximum(0.0, x), x


def relu_backward(dout, cache):
    """dx = dout where x > 0, else 0.

    Parameters
    ----------
    dout : array_like
        The upstream gradient, shaped as x.
    cache : ndarray
        x, from :func:`relu_forward`.

    Returns
    -------
    dx : ndarray
        Shaped as x.
    """
    return np.asarray(dout, dtype=np.float64) * (cache > 0)


def _scores_labels(x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError(f"x must be (N, C) scores and y N labels, got {x.shape} and {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= x.shape[1] or (y != np.round(y)).any()):
        raise ValueError(f"labels must be integers in 0..{x.shape[1] - 1}")
    return x, y.astype(np.intp)


def svm_loss(x, y):
    """Multiclass SVM (hinge) loss with margin 1, averaged over the N examples.

    Parameters
    ----------
    x : ndarray (N, C)
        The scores.
    y : ndarray (N,)
        Labels in 0..C-1.

    Returns
    -------
    loss : float
    dx : ndarray (N, C)
        The loss's gradient.
    """
    x, y = _scores_labels(x, y)
    N = x.shape[0]
    correct = x[np.arange(N), y][:, None]
    margins = np.maximum(0.0, x - correct + 1.0)
    margins[np.arange(N), y] = 0.0
    loss = margins.sum() / N
    dx = (margins > 0).astype(np.float64)
    dx[np.arange(N), y] -= dx.sum(axis=1)
    return loss, dx / N


def softmax_loss(x, y):
    """Softmax cross entropy, averaged over the N examples.

    Parameters
    ----------
    x : ndarray (N, C)
        The scores.
    y : ndarray (N,)
        Labels in 0..C-1.

    Returns
    -------
    loss : float
    dx : ndarray (N, C)
        (softmax(x) - onehot(y)) / N.
    """
    x, y = _scores_labels(x, y)
    N = x.shape[0]
    shifted = x - x.max(axis=1, keepdims=True)
    P = np.exp(shifted)
    P /= P.sum(axis=1, keepdims=True)
    loss = -np.log(P[np.arange(N), y]).sum() / N
    dx = P.copy()
    dx[np.arange(N), y] -= 1.0
    return loss, dx / N


def softmax_example():
    """The worked example: scores [2, 3, 4], true class the second.

    Returns
    -------
    probs : ndarray (3,)
        The softmax of the scores, [0.0900, 0.2447, 0.6652] (the derivation rounds the
        first to 0.0903).
    grad : ndarray (3,)
        The cross-entropy gradient with respect to the scores, probs minus the one-hot
        target: [0.0900, -0.7553, 0.6652].
    """
    loss, grad = softmax_loss(np.array([[2.0, 3.0, 4.0]]), np.array([1]))
    probs = grad[0].copy()
    probs[1] += 1.0
    return probs, grad[0]


def backprop_example(learning_rate: float = 0.5) -> dict:
    """One step of backpropagation through the 2-2-2 sigmoid network of the derivations.

    Inputs 0.05, 0.10; targets 0.01, 0.99; weights w1..w4 = 0.15, 0.20, 0.25, 0.30 (input to
    hidden), b1 = 0.35; w5..w8 = 0.40, 0.45, 0.50, 0.55 (hidden to output), b2 = 0.60;
    squared error E = sum(1/2 (target - out)^2). Returns the forward values (out_h, out_o,
    E_total), the gradients dE/dw (w1..w8) and the weights after one step (biases fixed, as
    in the derivation).

    Parameters
    ----------
    learning_rate : float
        The step size of the one step.

    Returns
    -------
    dict
        out_h, out_o (2,), E_total (float), the gradients dW1, dW2 (2, 2) and the weights
        after the step W1_new, W2_new (2, 2).
    """
    i = np.array([0.05, 0.10])
    target = np.array([0.01, 0.99])
    W1 = np.array([[0.15, 0.20], [0.25, 0.30]])  # rows: h1 (w1, w2), h2 (w3, w4)
    W2 = np.array([[0.40, 0.45], [0.50, 0.55]])  # rows: o1 (w5, w6), o2 (w7, w8)
    b1, b2 = 0.35, 0.60
    sig = kernels.sigmoid
    out_h = sig(W1 @ i + b1)
    out_o = sig(W2 @ out_h + b2)
    E_total = float(np.sum(0.5 * (target - out_o) ** 2))
    delta_o = (out_o - target) * out_o * (1 - out_o)
    dW2 = np.outer(delta_o, out_h)
    delta_h = (W2.T @ delta_o) * out_h * (1 - out_h)
    dW1 = np.outer(delta_h, i)
    return {
        "out_h": out_h, "out_o": out_o, "E_total": E_total,
        "dW1": dW1, "dW2": dW2,
        "W1_new": W1 - learning_rate * dW1, "W2_new": W2 - learning_rate * dW2,
    }
