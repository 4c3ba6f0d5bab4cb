"""Self-taught learning of the original UFLDL exercises (stl_exercise, common/).

stlExercise.m trains the sparse autoencoder (:mod:`~ufldl_py.ufldl_classic.sparseae`) on
unlabelled digits 5-9, represents the labelled digits 0-4 by its hidden units' activations
(feedForwardAutoencoder.m) and trains softmax regression
(:mod:`~ufldl_py.ufldl_classic.softmax`) on them.
feedForwardAutoencoder's YOUR CODE HERE part is completed with the tutorial's formula (the
completion the golden fixtures were made with):

    activation = sigmoid(W1 * data + repmat(b1, 1, m))
"""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..matlab import validate
from ._common import autoencoder_weights

__all__ = ["feedForwardAutoencoder"]


def feedForwardAutoencoder(theta, hiddenSize, visibleSize, data) -> np.ndarray:
    """The hidden layer's activations of a trained sparse autoencoder
    (common/feedForwardAutoencoder.m).

    Parameters
    ----------
    theta : ndarray (2*hiddenSize*visibleSize + hiddenSize + visibleSize,)
        ``[W1(:); W2(:); b1(:); b2(:)]`` (sparseAutoencoderCost's layout; W2 and b2 unused).
    hiddenSize, visibleSize : int
    data : ndarray (visibleSize, m)
        One example per column.

    Returns
    -------
    activation : ndarray (hiddenSize, m)
        ``sigmoid(W1 * data + b1)``.
    """
    # template: hiddenSize, visibleSize = int(hiddenSize), int(visibleSize)
    # template: theta = np.asarray(theta, dtype=np.float64).ravel()
    # template: hv = hiddenSize * visibleSize
    # template: W1 = theta[:hv].reshape(hiddenSize, visibleSize, order="F")
    # template: b1 = theta[2 * hv:2 * hv + hiddenSize]
    W1, _, b1, _ = autoencoder_weights(theta, visibleSize, hiddenSize)
    # template: data = np.asarray(data, dtype=np.float64)
    data = _data(data, W1.shape[1])
    # --- YOUR CODE HERE: feedForwardAutoencoder/activation ---
    z = W1 @ data
    # template: activation = sigmoid(z + b1[:, None])
    activation = kernels.sigmoid(z, b1[:, None], out=z)
    # --- END ---
    return activation


def _data(data, visibleSize: int) -> np.ndarray:
    data = validate.finite(data, "data")
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[0] != visibleSize:
        raise ValueError(f"data must be visibleSize x m = {visibleSize} x m, got shape "
                         f"{data.shape}")
    return data
