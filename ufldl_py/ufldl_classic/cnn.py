"""Convolution and pooling of the original UFLDL exercises (cnn_exercise).

The linear decoder's features (:mod:`~ufldl_py.ufldl_classic.linear_decoder`), learned on
ZCA-whitened colour patches, are convolved with every large colour image (cnnConvolve.m,
which folds the whitening and the mean patch into the filters) and mean-pooled over disjoint
regions
(cnnPool.m); softmax regression then classifies the pooled features. These are not
stanford_dl_ex's cnnConvolve and cnnPool (:mod:`ufldl_py.ufldl.cnn`): other arguments and
another layout, ``convolvedFeatures(featureNum, imageNum, row, col)``.

The YOUR CODE HERE parts are completed with the tutorial's formulas (the completion the
golden fixtures were made with):

- cnnConvolve: ``WT = W * ZCAWhite``, ``bt = b - WT * meanPatch``; for each feature and
  channel, ``feature = reshape(WT(featureNum, channel's patchDim^2 columns), patchDim,
  patchDim)``, flipped (``flipud(fliplr(feature))``) and convolved 'valid' with the channel,
  the channels summed; then ``sigmoid(convolvedImage + bt(featureNum))``: the autoencoder's
  hidden activation of every whitened patch;
- cnnPool: the mean of each poolDim x poolDim block, ``floor(convolvedDim / poolDim)`` blocks
  a side (the rows and columns beyond them are left out, as the original leaves them).

``cnnConvolve`` and ``cnnPool`` are the fast forms (the filters as one matrix product with
the images' patches, :func:`ufldl_py.kernels.im2col`, on blocks of images on all cores;
:func:`ufldl_py.kernels.mean_pool`); ``cnnConvolve_loop`` and ``cnnPool_loop`` are the
completed .m files line by line, which the tests hold them to.
"""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..matlab import validate
from ..matlab.ops import conv2

__all__ = ["cnnConvolve", "cnnPool", "cnnConvolve_loop", "cnnPool_loop"]

CHUNK = 16  # images per block of cnnConvolve


def _convolve_args(patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch):
    patchDim = validate.positive_int(patchDim, "patchDim")
    numFeatures = validate.positive_int(numFeatures, "numFeatures")
    images = validate.finite(images, "images")
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[0] != images.shape[1] or images.shape[0] < patchDim:
        raise ValueError(f"images must be imageDim x imageDim x imageChannels x numImages with "
                         f"imageDim >= patchDim = {patchDim}, got shape {images.shape}")
    visible = patchDim * patchDim * images.shape[2]
    W = validate.finite(W, "W")
    if W.ndim == 1:
        W = W[None, :]
    if W.shape != (numFeatures, visible):
        raise ValueError(f"W must be numFeatures x (patchDim^2 * imageChannels) = {numFeatures} "
                         f"x {visible}, got shape {W.shape}")
    b = validate.vector(b, "b", numFeatures)
    ZCAWhite = validate.finite(ZCAWhite, "ZCAWhite")
    if ZCAWhite.shape != (visible, visible):
        raise ValueError(f"ZCAWhite must be {visible} x {visible}, got shape {ZCAWhite.shape}")
    meanPatch = validate.vector(meanPatch, "meanPatch", visible)
    return patchDim, numFeatures, images, W, validate.finite(b, "b"), ZCAWhite, \
        validate.finite(meanPatch, "meanPatch")


@kernels.deterministic
def cnnConvolve(patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch) -> np.ndarray:
    """Convolve the linear decoder's features with large images (cnn_exercise/cnnConvolve.m).

    ``convolvedFeatures(k, n, r, c) = sigmoid(W(k,:) * (ZCAWhite * (x - meanPatch)) + b(k))``,
    x the patch ``images(r:r+patchDim-1, c:c+patchDim-1, :, n)(:)``: computed as one product
    of ``WT = W*ZCAWhite`` with the images' patches, plus ``bt = b - WT*meanPatch``.

    Parameters
    ----------
    patchDim : int
        The features' side (8).
    numFeatures : int
        The number of features (rows of W).
    images : ndarray (imageDim, imageDim, imageChannels, numImages)
    W : ndarray (numFeatures, patchDim^2 * imageChannels)
        The autoencoder's W1 (columns: channel by channel, each column-major).
    b : ndarray (numFeatures,)
        Its b1.
    ZCAWhite : ndarray (patchDim^2 * imageChannels, patchDim^2 * imageChannels)
    meanPatch : ndarray (patchDim^2 * imageChannels,)

    Returns
    -------
    convolvedFeatures : ndarray (numFeatures, numImages, convDim, convDim)
        convDim = imageDim - patchDim + 1.
    """
    patchDim, K, images, W, b, ZCAWhite, meanPatch = _convolve_args(
        patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch)
    imageDim, _, channels, numImages = images.shape
    convDim = imageDim - patchDim + 1
    WT = W @ ZCAWhite
    bt = b - WT @ meanPatch
    # WT's columns are (channel, col, row) column-major; im2col's rows are (channel, row, col)
    Wm = WT.reshape(K, channels, patchDim, patchDim).transpose(0, 1, 3, 2).reshape(K, -1)
    A = images.transpose(2, 0, 1, 3)  # (channels, rows, cols, images)
    out = np.empty((K, numImages, convDim, convDim))

    def block(s: slice) -> None:
        z = Wm @ kernels.im2col(A[..., s], patchDim)
        kernels.sigmoid(z, bt[:, None], out=z)
        out[:, s] = z.reshape(K, convDim, convDim, -1).transpose(0, 3, 1, 2)

    kernels.map_blocks(block, kernels.blocks(numImages, CHUNK))
    return out


def _pool_args(poolDim, convolvedFeatures):
    poolDim = validate.positive_int(poolDim, "poolDim")
    cf = validate.finite(convolvedFeatures, "convolvedFeatures")
    if cf.ndim == 2:  # MATLAB drops trailing singleton dimensions: K x n x 1 x 1
        cf = cf[:, :, None, None]
    if cf.ndim != 4 or cf.shape[2] != cf.shape[3]:
        raise ValueError("convolvedFeatures must be numFeatures x numImages x convolvedDim x "
                         f"convolvedDim, got shape {cf.shape}")
    return poolDim, cf


def cnnPool(poolDim, convolvedFeatures) -> np.ndarray:
    """Mean-pool convolved features over disjoint poolDim x poolDim regions
    (cnn_exercise/cnnPool.m).

    Parameters
    ----------
    poolDim : int
        The pooling regions' side.
    convolvedFeatures : ndarray (numFeatures, numImages, convolvedDim, convolvedDim)

    Returns
    -------
    pooledFeatures : ndarray (numFeatures, numImages, resDim, resDim)
        resDim = floor(convolvedDim / poolDim); the rows and columns beyond resDim*poolDim
        are not pooled, as in the original.
    """
    poolDim, cf = _pool_args(poolDim, convolvedFeatures)
    K, n, d, _ = cf.shape
    res = d // poolDim
    if res == 0:
        return np.zeros((K, n, 0, 0))
    a = cf[:, :, :res * poolDim, :res * poolDim].reshape(K * n, res * poolDim, res * poolDim, 1)
    return kernels.mean_pool(a, poolDim).reshape(K, n, res, res)


# --------------------------------------------------------------------------- loop forms


def cnnConvolve_loop(patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch) -> np.ndarray:
    """cnn_exercise/cnnConvolve.m as completed (the module docstring), line by line: one
    ``conv2(im, flipud(fliplr(feature)), 'valid')`` per image, feature and channel. The
    reference the tests hold :func:`cnnConvolve` to.

    The ``# --- YOUR CODE HERE`` ... ``# --- END ---`` comments mark the template's gaps
    (``ufldl-py exercise start classic_cnn``, :mod:`ufldl_py.student`); a ``# template:``
    comment gives the line that replaces the next one in the student's file.

    Parameters
    ----------
    patchDim : int
        The features' side (8).
    numFeatures : int
        The number of features (rows of W).
    images : ndarray (imageDim, imageDim, imageChannels, numImages)
    W : ndarray (numFeatures, patchDim^2 * imageChannels)
        The autoencoder's W1 (columns: channel by channel, each column-major).
    b : ndarray (numFeatures,)
        Its b1.
    ZCAWhite : ndarray (patchDim^2 * imageChannels, patchDim^2 * imageChannels)
    meanPatch : ndarray (patchDim^2 * imageChannels,)

    Returns
    -------
    convolvedFeatures : ndarray (numFeatures, numImages, convDim, convDim)
        convDim = imageDim - patchDim + 1.
    """
    # template: images = np.asarray(images, dtype=np.float64)
    # template: W, b = np.asarray(W, dtype=np.float64), np.ravel(b)
    # template: ZCAWhite, meanPatch = np.asarray(ZCAWhite, dtype=np.float64), np.ravel(meanPatch)
    checked = _convolve_args(patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch)
    # template:
    patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch = checked
    numImages = images.shape[3]
    imageDim = images.shape[0]
    imageChannels = images.shape[2]
    convDim = imageDim - patchDim + 1
    convolvedFeatures = np.zeros((numFeatures, numImages, convDim, convDim))
    # Precompute the matrices used during the convolution: take the whitening and the mean
    # subtraction into account
    # --- YOUR CODE HERE: cnnConvolve/precompute ---
    WT = W @ ZCAWhite
    bt = b - WT @ meanPatch
    # --- END ---
    for imageNum in range(numImages):
        for featureNum in range(numFeatures):
            # convolution of image with feature matrix for each channel
            convolvedImage = np.zeros((convDim, convDim))
            for channel in range(imageChannels):
                # Obtain the feature (patchDim x patchDim) needed during the convolution
                # --- YOUR CODE HERE: cnnConvolve/feature ---
                first = patchDim * patchDim * channel
                feature = WT[featureNum, first:first + patchDim * patchDim] \
                    .reshape(patchDim, patchDim, order="F")
                # --- END ---
                # Flip the feature matrix because of the definition of convolution
                feature = np.flipud(np.fliplr(feature))
                # Obtain the image
                im = images[:, :, channel, imageNum]
                # Convolve "feature" with "im", adding the result to convolvedImage ('valid')
                # --- YOUR CODE HERE: cnnConvolve/conv2 ---
                convolvedImage = convolvedImage + conv2(im, feature, "valid")
                # --- END ---
            # Add the bias unit (correcting for the mean subtraction as well), then apply the
            # sigmoid function to get the hidden activation
            # --- YOUR CODE HERE: cnnConvolve/sigmoid ---
            convolvedImage = 1 / (1 + np.exp(-(convolvedImage + bt[featureNum])))
            # --- END ---
            convolvedFeatures[featureNum, imageNum] = convolvedImage
    return convolvedFeatures


def cnnPool_loop(poolDim, convolvedFeatures) -> np.ndarray:
    """cnn_exercise/cnnPool.m as completed, line by line: the mean of each region. The
    reference the tests hold :func:`cnnPool` to (its gap marked as in
    :func:`cnnConvolve_loop`).

    Parameters
    ----------
    poolDim : int
        The pooling regions' side.
    convolvedFeatures : ndarray (numFeatures, numImages, convolvedDim, convolvedDim)

    Returns
    -------
    pooledFeatures : ndarray (numFeatures, numImages, resDim, resDim)
        resDim = floor(convolvedDim / poolDim); the rows and columns beyond resDim*poolDim
        are not pooled, as in the original.
    """
    # template: convolvedFeatures = np.asarray(convolvedFeatures, dtype=np.float64)
    poolDim, convolvedFeatures = _pool_args(poolDim, convolvedFeatures)
    numFeatures = convolvedFeatures.shape[0]
    numImages = convolvedFeatures.shape[1]
    convolvedDim = convolvedFeatures.shape[2]
    resDim = convolvedDim // poolDim
    pooledFeatures = np.zeros((numFeatures, numImages, resDim, resDim))
    # --- YOUR CODE HERE: cnnPool/pool ---
    for imageNum in range(numImages):
        for featureNum in range(numFeatures):
            for poolRow in range(resDim):
                rowStart = poolRow * poolDim
                for poolCol in range(resDim):
                    colStart = poolCol * poolDim
                    patch = convolvedFeatures[featureNum, imageNum,
                                              rowStart:rowStart + poolDim,
                                              colStart:colStart + poolDim]
                    pooledFeatures[featureNum, imageNum, poolRow, poolCol] = patch.mean()
    # --- END ---
    return pooledFeatures
