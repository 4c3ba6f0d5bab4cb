"""The sparse autoencoder of the original UFLDL exercises (sparseae_exercise, common/).

A 3-layer autoencoder ``x -> a2 = f(W1*x + b1) -> a3 = f(W2*a2 + b2)``, f the logistic
sigmoid, trained to reconstruct its input under weight decay and a KL sparsity penalty on
the hidden units' average activations. The files it ports, in the exercise's order:
sampleIMAGES.m (with its normalizeData), initializeParameters.m, sparseAutoencoderCost.m,
computeNumericalGradient.m, checkNumericalGradient.m and display_network.m. The
vectorization exercise trains the same cost on MNIST digits.

The YOUR CODE HERE parts are completed with the tutorial's formulas (the completion the
golden fixtures were made with; see tests/fixtures/README.md):

- sampleIMAGES: ``numpatches`` random patchsize x patchsize windows, their top-left corners
  and images drawn as ``randi(512-8+1, 1, numpatches)`` (rows), the same for columns, then
  ``randi(10, 1, numpatches)`` (images); then normalizeData;
- sparseAutoencoderCost, with m examples, rho_hat = mean of a2 over the examples::

      J = 1/(2m) * sum ||a3 - x||^2 + lambda/2 * (sum W1(:).^2 + sum W2(:).^2)
          + beta * sum_j KL(rho || rho_hat_j),
      KL(rho || r) = rho*log(rho/r) + (1-rho)*log((1-rho)/(1-r))
      delta3 = -(x - a3) .* a3 .* (1 - a3)
      delta2 = (W2'*delta3 + beta*(-rho./rho_hat + (1-rho)./(1-rho_hat))) .* a2 .* (1 - a2)
      W1grad = delta2*x'/m + lambda*W1,   W2grad = delta3*a2'/m + lambda*W2
      b1grad = sum(delta2, 2)/m,          b2grad = sum(delta3, 2)/m

- computeNumericalGradient: central differences, EPSILON = 1e-4, one parameter at a time.

``sparseAutoencoderCost`` is the fast form (:func:`ufldl_py.kernels.sparse_autoencoder`:
blocks of examples on all cores, each step in place); ``sparseAutoencoderCost_loop`` is the
tutorial's first version, one example at a time (section 2.2's pseudo-code), which the tests
hold the fast form to.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .. import data as _data
from .. import kernels
from .. import plot
from ..matlab import random as mrandom
from ..matlab import validate
from ._common import autoencoder_weights, examples, patch_request, sparsity_hyper

__all__ = [
    "sampleIMAGES", "normalizeData", "initializeParameters", "sparseAutoencoderCost",
    "computeNumericalGradient", "checkNumericalGradient", "display_network",
    "sparseAutoencoderCost_loop",
]

# --------------------------------------------------------------------------- data


def sampleIMAGES(IMAGES=None, patchsize=8, numpatches=10000) -> np.ndarray:
    """Random patches of the whitened natural images, normalised to [0.1, 0.9]
    (sparseae_exercise/sampleIMAGES.m).

    Draws, from :mod:`ufldl_py.matlab.random`, ``randi(N-patchsize+1, 1, numpatches)`` for
    the patches' top rows, the same for their left columns, then ``randi(numImages, 1,
    numpatches)`` for their images, and returns ``normalizeData`` of the patches.

    Parameters
    ----------
    IMAGES : ndarray (N, N, numImages), optional
        The images (the original loads IMAGES.mat); by default the shipped photographs,
        whitened (:func:`ufldl_py.data.load_images`).
    patchsize : int
        The patches' side (8).
    numpatches : int
        How many patches (10000).

    Returns
    -------
    patches : ndarray (patchsize^2, numpatches)
        One patch per column, unrolled column-major (``sample(:)``).
    """
    IMAGES, patchsize, numpatches = patch_request(
        _data.load_images() if IMAGES is None else IMAGES, patchsize, numpatches,
        "patchsize", "numpatches")
    r, c, n = IMAGES.shape
    rows = mrandom.randi(r - patchsize + 1, 1, numpatches).ravel().astype(np.intp) - 1
    cols = mrandom.randi(c - patchsize + 1, 1, numpatches).ravel().astype(np.intp) - 1
    imgs = mrandom.randi(n, 1, numpatches).ravel().astype(np.intp) - 1
    a = np.arange(patchsize)
    windows = IMAGES[rows[None, None, :] + a[:, None, None], cols[None, None, :] + a[None, :, None],
                     imgs[None, None, :]]  # (patchsize, patchsize, numpatches)
    return normalizeData(windows.reshape(patchsize * patchsize, numpatches, order="F"))


def normalizeData(patches) -> np.ndarray:
    """Squash patches to [0.1, 0.9] for the sigmoid output layer (the subfunction of
    sparseae_exercise/sampleIMAGES.m).

    Removes each patch's mean (DC), truncates to +/-3 standard deviations of all the pixels
    (``pstd = 3 * std(patches(:))``, normalised by n-1), scales to [-1, 1] and maps to
    [0.1, 0.9]: ``(max(min(p, pstd), -pstd) / pstd + 1) * 0.4 + 0.1``.

    Parameters
    ----------
    patches : ndarray (n, m)

    Returns
    -------
    patches : ndarray (n, m)
    """
    patches = validate.finite(patches, "patches")
    if patches.ndim != 2:
        raise ValueError(f"patches must be pixels x numpatches, got shape {patches.shape}")
    patches = patches - patches.mean(axis=0)
    pstd = 3 * patches.std(ddof=1)
    patches = np.maximum(np.minimum(patches, pstd), -pstd) / pstd
    return (patches + 1) * 0.4 + 0.1


# --------------------------------------------------------------------------- parameters


def initializeParameters(hiddenSize, visibleSize) -> np.ndarray:
    """Random initial parameters of the autoencoder (common/initializeParameters.m).

    ``W1 = rand(hiddenSize, visibleSize) * 2 * r - r`` and ``W2 = rand(visibleSize,
    hiddenSize) * 2 * r - r``, ``r = sqrt(6) / sqrt(hiddenSize+visibleSize+1)``, zero biases,
    drawn from :mod:`ufldl_py.matlab.random` in that order.

    Parameters
    ----------
    hiddenSize, visibleSize : int

    Returns
    -------
    theta : ndarray (2*hiddenSize*visibleSize + hiddenSize + visibleSize,)
        ``[W1(:); W2(:); b1(:); b2(:)]``.
    """
    hiddenSize = validate.positive_int(hiddenSize, "hiddenSize")
    visibleSize = validate.positive_int(visibleSize, "visibleSize")
    r = math.sqrt(6) / math.sqrt(hiddenSize + visibleSize + 1)
    W1 = mrandom.rand(hiddenSize, visibleSize) * 2 * r - r
    W2 = mrandom.rand(visibleSize, hiddenSize) * 2 * r - r
    return np.concatenate([np.reshape(W1, -1, order="F"), np.reshape(W2, -1, order="F"),
                           np.zeros(hiddenSize), np.zeros(visibleSize)])


# --------------------------------------------------------------------------- the cost


def sparseAutoencoderCost(theta, visibleSize, hiddenSize, lambda_, sparsityParam, beta,
                          data):
    """Cost and gradient of the sparse autoencoder (common/sparseAutoencoderCost.m).

    The formulas of the module docstring, vectorised over the examples (the vectorization
    exercise's form), computed by :func:`ufldl_py.kernels.sparse_autoencoder` on blocks of
    examples run on all cores.

    Parameters
    ----------
    theta : ndarray (2*hiddenSize*visibleSize + hiddenSize + visibleSize,)
        ``[W1(:); W2(:); b1(:); b2(:)]``, W1 hiddenSize x visibleSize, W2 visibleSize x
        hiddenSize.
    visibleSize : int
        The number of input units (64 for 8x8 patches).
    hiddenSize : int
        The number of hidden units (25).
    lambda_ : float
        The weight decay (MATLAB's ``lambda``).
    sparsityParam : float
        rho, the desired average activation of the hidden units, in (0, 1).
    beta : float
        The weight of the sparsity penalty.
    data : ndarray (visibleSize, m)
        One training example per column.

    Returns
    -------
    cost : float
    grad : ndarray, shaped as theta
        ``[W1grad(:); W2grad(:); b1grad(:); b2grad(:)]``.
    """
    W1, W2, b1, b2 = autoencoder_weights(theta, visibleSize, hiddenSize)
    lambda_, sparsityParam, beta = sparsity_hyper(lambda_, sparsityParam, beta)
    data = examples(data, W1.shape[1])
    m = data.shape[1]
    sq, rho_hat, W1g, W2g, b1g, b2g = kernels.sparse_autoencoder(W1, W2, b1, b2, data,
                                                                 sparsityParam, beta)
    if (rho_hat <= 0).any() or (rho_hat >= 1).any():
        raise ValueError("a hidden unit's average activation reached 0 or 1: the KL sparsity "
                         "penalty is infinite (weights too large)")
    rho = sparsityParam
    kl = np.sum(rho * np.log(rho / rho_hat) + (1 - rho) * np.log((1 - rho) / (1 - rho_hat)))
    cost = sq / (2 * m) + lambda_ / 2 * (np.sum(W1 * W1) + np.sum(W2 * W2)) + beta * kl
    W1g /= m
    W1g += lambda_ * W1
    W2g /= m
    W2g += lambda_ * W2
    return float(cost), np.concatenate([W1g.ravel(order="F"), W2g.ravel(order="F"), b1g / m,
                                        b2g / m])


# --------------------------------------------------------------------------- gradient checks


def computeNumericalGradient(J: Callable, theta) -> np.ndarray:
    """Central-difference gradient of J at theta (common/computeNumericalGradient.m).

    ``numgrad(i) = (J(theta + EPSILON*e_i) - J(theta - EPSILON*e_i)) / (2*EPSILON)``,
    EPSILON = 1e-4. ``J(theta)`` returns the cost, or a tuple whose first element is the
    cost (MATLAB's first output).

    Parameters
    ----------
    J : callable
    theta : ndarray (n,)

    Returns
    -------
    numgrad : ndarray (n,)
    """
    # template: theta = np.array(theta, dtype=np.float64).ravel()
    theta = validate.vector(theta, "theta").copy()
    numgrad = np.zeros_like(theta)
    # --- YOUR CODE HERE: computeNumericalGradient/numgrad ---
    EPSILON = 1e-4

    def cost(t):
        value = J(t)
        return float(value[0] if isinstance(value, tuple) else value)

    for i in range(theta.size):
        old = theta[i]
        theta[i] = old + EPSILON
        pos = cost(theta)
        theta[i] = old - EPSILON
        neg = cost(theta)
        theta[i] = old
        numgrad[i] = (pos - neg) / (2 * EPSILON)
    # --- END ---
    return numgrad


def _simpleQuadraticFunction(x):
    """h(x1, x2) = x1^2 + 3*x1*x2 and its gradient (checkNumericalGradient.m's subfunction)."""
    value = x[0] ** 2 + 3 * x[0] * x[1]
    return value, np.array([2 * x[0] + 3 * x[1], 3 * x[0]])


def checkNumericalGradient(*, numerical_gradient=None) -> float:
    """Check computeNumericalGradient on h(x) = x1^2 + 3*x1*x2 at x = [4; 10]
    (sparseae_exercise/checkNumericalGradient.m); prints what the original prints.

    Parameters
    ----------
    numerical_gradient : callable, optional
        The computeNumericalGradient checked (default: this module's): a student's, as
        checkNumericalGradient.m calls the computeNumericalGradient.m beside it.

    Returns
    -------
    diff : float
        ``norm(numgrad-grad)/norm(numgrad+grad)`` (2.1452e-12 with EPSILON = 1e-4).
    """
    x = np.array([4.0, 10.0])
    value, grad = _simpleQuadraticFunction(x)
    numgrad = np.asarray((numerical_gradient or computeNumericalGradient)(
        _simpleQuadraticFunction, x), dtype=np.float64).ravel()
    for a, b in zip(numgrad, grad):
        print(f"   {a:9.4f}   {b:9.4f}")
    print("The above two columns you get should be very similar.\n"
          "(Left-Your Numerical Gradient, Right-Analytical Gradient)\n")
    diff = float(np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad))
    print(f"   {diff:.4e}")
    print("Norm of the difference between numerical and analytical gradient "
          "(should be < 1e-9)\n")
    return diff


def display_network(A, opt_normalize=True, opt_graycolor=True, cols=None,
                    opt_colmajor=False):
    """Tile the columns of A as square images (common/display_network.m of the original
    exercises; the same code as stanford_dl_ex's, so this is :func:`ufldl_py.plot.display_network`).

    Parameters
    ----------
    A : ndarray (L, M)
        One filter of L = sz^2 pixels per column, unrolled column-major.
    opt_normalize : bool
        Scale each filter by its own ``max |value|`` (any non-zero number is true, as in MATLAB:
        train.m passes 8 and 12 here).
    opt_graycolor : bool
        The gray colour map.
    cols : int, optional
        Columns of tiles.
    opt_colmajor : bool
        Fill the tiles column by column.

    Returns
    -------
    fig : matplotlib figure
    array : ndarray (1 + m*(sz+1), 1 + n*(sz+1))
    """
    return plot.display_network(A, bool(opt_normalize), bool(opt_graycolor), cols,
                                bool(opt_colmajor))


# --------------------------------------------------------------------------- loop form


def sparseAutoencoderCost_loop(theta, visibleSize, hiddenSize, lambda_, sparsityParam, beta,
                               data):
    """common/sparseAutoencoderCost.m as the tutorial's first version: a forward pass over
    the examples for rho_hat, then backpropagation one example at a time, accumulating
    Delta W and Delta b (section 2.2 of the lecture notes). Same arguments and outputs as
    :func:`sparseAutoencoderCost`, the reference the tests hold it to.

    Parameters
    ----------
    theta : ndarray (2*hiddenSize*visibleSize + hiddenSize + visibleSize,)
        ``[W1(:); W2(:); b1(:); b2(:)]``, W1 hiddenSize x visibleSize, W2 visibleSize x
        hiddenSize.
    visibleSize : int
        The number of input units (64 for 8x8 patches).
    hiddenSize : int
        The number of hidden units (25).
    lambda_ : float
        The weight decay (MATLAB's ``lambda``).
    sparsityParam : float
        rho, the desired average activation of the hidden units, in (0, 1).
    beta : float
        The weight of the sparsity penalty.
    data : ndarray (visibleSize, m)
        One training example per column.

    Returns
    -------
    cost : float
    grad : ndarray, shaped as theta
        ``[W1grad(:); W2grad(:); b1grad(:); b2grad(:)]``.
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

    # --- YOUR CODE HERE: sparseAutoencoderCost/cost_grad ---
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
        a3 = f(W2 @ a2 + b2)
        cost += 0.5 * np.sum((a3 - x) ** 2)
        delta3 = -(x - a3) * a3 * (1 - a3)
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
