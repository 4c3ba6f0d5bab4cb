"""What the original UFLDL exercises share: the checked arguments of the patch samplers and
of the sparse autoencoder costs (sparseAutoencoderCost, sparseAutoencoderLinearCost,
feedForwardAutoencoder). Private to :mod:`ufldl_py.ufldl_classic`."""

from __future__ import annotations

import numpy as np

from ..matlab import validate

__all__ = ["patch_request", "autoencoder_weights", "sparsity_hyper", "examples"]


def patch_request(IMAGES, size, count, size_name: str, count_name: str):
    """The checked arguments of sampleIMAGES and sampleIMAGESRAW.

    Parameters
    ----------
    IMAGES : array_like (rows, cols, numImages) or (rows, cols)
        The images (one image may be 2-D).
    size, count : int
        The patch side and the number of patches.
    size_name, count_name : str
        Their names in the .m file, for the messages.

    Returns
    -------
    IMAGES : ndarray (rows, cols, numImages)
        Finite float64.
    size, count : int
        Positive; the side at most the images'.

    Raises
    ------
    ValueError
        Naming the argument that is wrong.
    """
    IMAGES = validate.finite(IMAGES, "IMAGES")
    size = validate.positive_int(size, size_name)
    count = validate.positive_int(count, count_name)
    if IMAGES.ndim == 2:
        IMAGES = IMAGES[:, :, None]
    if IMAGES.ndim != 3 or min(IMAGES.shape[:2]) < size:
        raise ValueError(f"IMAGES must be rows x cols x numImages with sides of at least "
                         f"{size_name} = {size}, got shape {IMAGES.shape}")
    return IMAGES, size, count


def autoencoder_weights(theta, visibleSize, hiddenSize):
    """The sparse autoencoder's weights as column-major views of theta (the .m files'
    ``W1 = reshape(theta(1:hiddenSize*visibleSize), hiddenSize, visibleSize)`` and so on).

    Parameters
    ----------
    theta : array_like (2*hiddenSize*visibleSize + hiddenSize + visibleSize,)
        The unrolled parameters, finite.
    visibleSize, hiddenSize : int
        Positive.

    Returns
    -------
    W1 : ndarray (hiddenSize, visibleSize)
    W2 : ndarray (visibleSize, hiddenSize)
    b1 : ndarray (hiddenSize,)
    b2 : ndarray (visibleSize,)

    Raises
    ------
    ValueError
        Naming the argument that is wrong (theta's size included).
    """
    visibleSize = validate.positive_int(visibleSize, "visibleSize")
    hiddenSize = validate.positive_int(hiddenSize, "hiddenSize")
    theta = validate.vector(theta, "theta")
    hv = hiddenSize * visibleSize
    if theta.size != 2 * hv + hiddenSize + visibleSize:
        raise ValueError(f"theta must have 2*hiddenSize*visibleSize + hiddenSize + visibleSize "
                         f"= {2 * hv + hiddenSize + visibleSize} elements, got {theta.size}")
    theta = validate.finite(theta, "theta")
    W1 = theta[:hv].reshape(hiddenSize, visibleSize, order="F")
    W2 = theta[hv:2 * hv].reshape(visibleSize, hiddenSize, order="F")
    b1 = theta[2 * hv:2 * hv + hiddenSize]
    b2 = theta[2 * hv + hiddenSize:]
    return W1, W2, b1, b2


def sparsity_hyper(lambda_, sparsityParam, beta):
    """The sparse autoencoder's hyperparameters, checked.

    Parameters
    ----------
    lambda_, sparsityParam, beta : float
        Weight decay, target activation and sparsity weight.

    Returns
    -------
    lambda_, sparsityParam, beta : float

    Raises
    ------
    ValueError
        sparsityParam outside (0, 1), or lambda or beta not finite (or not scalars).
    """
    lambda_ = validate.scalar(lambda_, "lambda")
    sparsityParam = validate.scalar(sparsityParam, "sparsityParam")
    beta = validate.scalar(beta, "beta")
    if not 0 < sparsityParam < 1:
        raise ValueError(f"sparsityParam must lie in (0, 1), got {sparsityParam}")
    if not (np.isfinite(lambda_) and np.isfinite(beta)):
        raise ValueError("lambda and beta must be finite")
    return lambda_, sparsityParam, beta


def examples(data, visibleSize: int) -> np.ndarray:
    """The training examples, one per column, checked.

    Parameters
    ----------
    data : array_like (visibleSize, m) or (visibleSize,)
        Finite; one example may be a vector.
    visibleSize : int
        The rows it must have.

    Returns
    -------
    data : ndarray (visibleSize, m)

    Raises
    ------
    ValueError
        Not finite, or not visibleSize x m with m >= 1.
    """
    data = validate.finite(data, "data")
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[0] != visibleSize or data.shape[1] == 0:
        raise ValueError(f"data must be visibleSize x m = {visibleSize} x m (one example per "
                         f"column), got shape {data.shape}")
    return data
