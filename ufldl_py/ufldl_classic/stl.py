"""Self-taught learning of the original UFLDL exercises (stl_exercise, common/).

stlExercise.m trains the sparse autoencoder (:mod:`.sparseae`) on unlabelled digits 5-9,
represents the labelled digits 0-4 by its hidden units' activations
(feedForwardAutoencoder.m) and trains softmax regression (:mod:`.softmax`) on them.
feedForwardAutoencoder's YOUR CODE HERE part is completed with the tutorial's formula (the
completion the golden fixtures were made with):

    activation = sigmoid(W1 * data + repmat(b1, 1, m))
"""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..matlab import validate
from .sparseae import _stack

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
    W1, _, b1, _ = _stack(theta, visibleSize, hiddenSize)
    data = validate.finite(data, "data")
    if data.ndim == 1:
        data = data[:, None]
    if data.ndim != 2 or data.shape[0] != W1.shape[1]:
        raise ValueError(f"data must be visibleSize x m = {W1.shape[1]} x m, got shape "
                         f"{data.shape}")
    z = W1 @ data
    return kernels.sigmoid(z, b1[:, None], out=z)
