"""The linear decoder of the original UFLDL exercises (linear_decoder_exercise).

A sparse autoencoder whose output layer is linear, ``a3 = W2*a2 + b2``, so that it can
reconstruct inputs that are not squashed into [0, 1]: ZCA-whitened colour patches. The files
it ports: sparseAutoencoderLinearCost.m, displayColorNetwork.m, and the ZCA whitening of
linearDecoderExercise.m's STEP 2 (:func:`zca_whitening`, which cnnExercise reuses).

sparseAutoencoderLinearCost's YOUR CODE HERE part is completed with the tutorial's formulas
(the completion the golden fixtures were made with): those of
:func:`ufldl_py.ufldl_classic.sparseae.sparseAutoencoderCost` with

    a3 = W2 * a2 + repmat(b2, 1, m)          (no sigmoid)
    delta3 = -(data - a3)                    (f'(z) = 1)
"""

from __future__ import annotations

import math

import numpy as np

from .. import kernels
from .. import plot
from ..matlab import ops
from ..matlab import validate
from ._common import autoencoder_weights, examples, sparsity_hyper

__all__ = ["sparseAutoencoderLinearCost", "displayColorNetwork", "zca_whitening",
           "sparseAutoencoderLinearCost_loop"]


def sparseAutoencoderLinearCost(theta, visibleSize, hiddenSize, lambda_, sparsityParam,
                                beta, data):
    """Cost and gradient of the sparse autoencoder with a linear decoder
    (linear_decoder_exercise/sparseAutoencoderLinearCost.m); the formulas of the module
    docstring, computed by :func:`ufldl_py.kernels.sparse_autoencoder` with ``linear``.

    Parameters
    ----------
    theta : ndarray (2*hiddenSize*visibleSize + hiddenSize + visibleSize,)
        ``[W1(:); W2(:); b1(:); b2(:)]``.
    visibleSize, hiddenSize : int
    lambda_ : float
        Weight decay (MATLAB's ``lambda``).
    sparsityParam : float
        rho, in (0, 1).
    beta : float
        The weight of the sparsity penalty.
    data : ndarray (visibleSize, m)

    Returns
    -------
    cost : float
    grad : ndarray, shaped as theta
    """
    W1, W2, b1, b2 = autoencoder_weights(theta, visibleSize, hiddenSize)
    lambda_, rho, beta = sparsity_hyper(lambda_, sparsityParam, beta)
    data = examples(data, W1.shape[1])
    m = data.shape[1]
    sq, rho_hat, W1g, W2g, b1g, b2g = kernels.sparse_autoencoder(W1, W2, b1, b2, data, rho,
                                                                 beta, linear=True)
    if (rho_hat <= 0).any() or (rho_hat >= 1).any():
        raise ValueError("a hidden unit's average activation reached 0 or 1: the KL sparsity "
                         "penalty is infinite (weights too large)")
    kl = np.sum(rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat)))
    cost = sq / (2 * m) + lambda_ / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2)) + beta * kl
    W1g /= m
    W1g += lambda_ * W1
    W2g /= m
    W2g += lambda_ * W2
    return float(cost), np.concatenate([W1g.ravel(order="F"), W2g.ravel(order="F"), b1g / m,
                                        b2g / m])


def sparseAutoencoderLinearCost_loop(theta, visibleSize, hiddenSize, lambda_, sparsityParam,
                                     beta, data):
    """sparseAutoencoderLinearCost.m one example at a time (as
    :func:`ufldl_py.ufldl_classic.sparseae.sparseAutoencoderCost_loop`, with the linear
    output): the reference the tests hold the fast form to.

    The ``# --- YOUR CODE HERE`` ... ``# --- END ---`` comments mark the template's gap
    (``ufldl-py exercise start linear_decoder``, :mod:`ufldl_py.student`); a ``# template:``
    comment gives the line that replaces the next one in the student's file.

    Parameters
    ----------
    theta : ndarray (2*hiddenSize*visibleSize + hiddenSize + visibleSize,)
        ``[W1(:); W2(:); b1(:); b2(:)]``.
    visibleSize, hiddenSize : int
    lambda_ : float
        Weight decay (MATLAB's ``lambda``).
    sparsityParam : float
        rho, in (0, 1).
    beta : float
        The weight of the sparsity penalty.
    data : ndarray (visibleSize, m)

    Returns
    -------
    cost : float
    grad : ndarray, shaped as theta
    """
    # template: theta = np.asarray(theta, dtype=np.float64).ravel()
    # template: hv = hiddenSize * visibleSize
    # template: W1 = theta[:hv].reshape(hiddenSize, visibleSize, order="F")
    # template: W2 = theta[hv:2 * hv].reshape(visibleSize, hiddenSize, order="F")
    # template: b1 = theta[2 * hv:2 * hv + hiddenSize]
    # template: b2 = theta[2 * hv + hiddenSize:]
    W1, W2, b1, b2 = autoencoder_weights(theta, visibleSize, hiddenSize)
    # template: rho = sparsityParam
    lambda_, rho, beta = sparsity_hyper(lambda_, sparsityParam, beta)
    # template: data = np.asarray(data, dtype=np.float64)
    data = examples(data, W1.shape[1])

    cost = 0.0
    W1grad, W2grad = np.zeros_like(W1), np.zeros_like(W2)
    b1grad, b2grad = np.zeros_like(b1), np.zeros_like(b2)

    # --- YOUR CODE HERE: sparseAutoencoderLinearCost/cost_grad ---
    m = data.shape[1]

    def f(z):
        return 1 / (1 + np.exp(-z))

    rho_hat = np.zeros_like(b1)
    for i in range(m):
        rho_hat += f(W1 @ data[:, i] + b1)
    rho_hat /= m
    sparsity_delta = -rho / rho_hat + (1 - rho) / (1 - rho_hat)
    for i in range(m):
        x = data[:, i]
        a2 = f(W1 @ x + b1)
        a3 = W2 @ a2 + b2
        cost += 0.5 * np.sum((a3 - x) ** 2)
        delta3 = -(x - a3)
        delta2 = (W2.T @ delta3 + beta * sparsity_delta) * a2 * (1 - a2)
        W1grad += np.outer(delta2, x)
        W2grad += np.outer(delta3, a2)
        b1grad += delta2
        b2grad += delta3
    kl = np.sum(rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat)))
    cost = cost / m + lambda_ / 2 * (np.sum(W1 ** 2) + np.sum(W2 ** 2)) + beta * kl
    W1grad = W1grad / m + lambda_ * W1
    W2grad = W2grad / m + lambda_ * W2
    b1grad = b1grad / m
    b2grad = b2grad / m
    # --- END ---

    grad = np.concatenate([W1grad.ravel(order="F"), W2grad.ravel(order="F"), b1grad, b2grad])
    return float(cost), grad


def zca_whitening(patches, epsilon=0.1):
    """ZCA whitening of patches, as linearDecoderExercise.m's STEP 2 computes it:

        meanPatch = mean(patches, 2);  patches = patches - meanPatch
        sigma = patches * patches' / numPatches;  [u, s, v] = svd(sigma)
        ZCAWhite = u * diag(1 ./ sqrt(diag(s) + epsilon)) * u';  patches = ZCAWhite * patches

    Parameters
    ----------
    patches : ndarray (n, numPatches)
    epsilon : float
        The regularisation (0.1).

    Returns
    -------
    patches : ndarray (n, numPatches)
        Whitened.
    ZCAWhite : ndarray (n, n)
    meanPatch : ndarray (n,)
    """
    patches = validate.finite(patches, "patches")
    if patches.ndim != 2:
        raise ValueError(f"patches must be n x numPatches, got shape {patches.shape}")
    epsilon = validate.scalar(epsilon, "epsilon")
    if not (np.isfinite(epsilon) and epsilon >= 0):
        raise ValueError(f"epsilon must be finite and >= 0, got {epsilon}")
    numPatches = patches.shape[1]
    meanPatch = patches.mean(axis=1)
    patches = patches - meanPatch[:, None]
    sigma = patches @ patches.T / numPatches
    u, s, _ = ops.svd(sigma)
    ZCAWhite = u @ np.diag(1 / np.sqrt(np.diag(s) + epsilon)) @ u.T
    return ZCAWhite @ patches, ZCAWhite, meanPatch


def displayColorNetwork(A):
    """Tile colour filters, one per column of A (linear_decoder_exercise/displayColorNetwork.m).

    Each column holds a dim x dim x 3 filter (red, green, blue channels one after the other,
    each unrolled column-major); each channel of each filter is scaled by its own ``max |value|``,
    the tiles laid out ``round(sqrt(numFilters))`` per row with a white (1) border of one
    pixel, and the image mapped from [-1, 1] to [0, 1] (``I = (I + 1) / 2``). A
    non-negative A has its mean removed first.

    Parameters
    ----------
    A : ndarray (3*dim^2, numFilters)

    Returns
    -------
    fig : matplotlib figure
    I : ndarray (dim*rows + rows - 1, dim*cols + cols - 1, 3)
    """
    A = validate.finite(A, "A")
    if A.ndim != 2 or A.shape[0] % 3:
        raise ValueError(f"displayColorNetwork: A must be (3*dim^2) x numFilters, got shape "
                         f"{A.shape}")
    if A.min() >= 0:
        A = A - A.mean()
    cols = int(math.floor(math.sqrt(A.shape[1]) + 0.5))
    channel_size = A.shape[0] // 3
    dim = math.isqrt(channel_size)
    if dim * dim != channel_size:
        raise ValueError(f"displayColorNetwork: {channel_size} pixels per channel is not a "
                         f"square number")
    dimp = dim + 1
    rows = math.ceil(A.shape[1] / cols)
    channels = []
    for k in range(3):
        ch = A[k * channel_size:(k + 1) * channel_size]
        with np.errstate(invalid="ignore", divide="ignore"):
            channels.append(ch / np.abs(ch).max(axis=0))
    I = np.ones((dim * rows + rows - 1, dim * cols + cols - 1, 3))
    for i in range(rows):
        for j in range(cols):
            k = i * cols + j
            if k >= A.shape[1]:
                break
            for c in range(3):
                I[i * dimp:i * dimp + dim, j * dimp:j * dimp + dim, c] = \
                    channels[c][:, k].reshape(dim, dim, order="F")
    I = (I + 1) / 2
    fig, ax = plot.subplots(figsize=(6, 6 * I.shape[0] / I.shape[1]))
    # imagesc of a truecolour image shows it as it is; values outside [0, 1] are clipped
    ax.imshow(np.clip(np.nan_to_num(I, nan=0.0), 0, 1), interpolation="nearest")
    ax.set_axis_off()
    return fig, I
