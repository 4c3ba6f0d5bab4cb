"""The self-taught learning chapter (stanford_dl_ex/stl): feedfowardRICA.

stlExercise.m learns RICA bases on unlabelled digits, convolves them over the labelled
digits 0-4 with square-square-root pooling (feedfowardRICA) and trains softmax regression on
the pooled features; the script is ``exercises/stlExercise.py``.

feedfowardRICA's YOUR CODE HERE parts are completed with the tutorial's formulas (the
completion the golden fixtures were made with, run in Octave): ``filter = W(:, :,
filterNum)``, flipped as the template does (``rot90(filter, 2)``), so that ``resp =
conv2(im, filter, 'valid')`` correlates the image with W(:, :, k); then ``act =
sqrt(conv2(resp.^2, poolMat, 'valid') + params.epsilon)`` sampled every poolDim rows and
columns, i.e. over non-overlapping poolDim x poolDim regions ``sqrt(sum of squares +
epsilon)``. (The template's placeholder ``filter = zeros(8, 8)`` is replaced; its size
would not match the 9 x 9 filters.)

``feedfowardRICA`` is the fast form: every image and filter at once, as one matrix product
with the images' patches (``kernels.im2col``) on blocks of CHUNK images run on all cores,
then ``kernels.sqrt_pool``. ``feedfowardRICA_loop`` is the completed .m line by line; its
``# --- YOUR CODE HERE ---`` ... ``# --- END ---`` and ``# template:`` comments make the
student's template (``ufldl-py exercise start stl``, :mod:`ufldl_py.student`).
"""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..matlab import validate
from ..matlab.ops import conv2, rot90

__all__ = ["feedfowardRICA", "feedfowardRICA_loop"]

CHUNK = 32  # images per block (as cnn.CHUNK)


def _check(filterDim, poolDim, numFilters, images, W, params):
    filterDim = validate.positive_int(filterDim, "filterDim")
    poolDim = validate.positive_int(poolDim, "poolDim")
    numFilters = validate.positive_int(numFilters, "numFilters")
    images = validate.finite(images, "images")
    if images.ndim == 2:
        images = images[:, :, None]
    if images.ndim != 3 or images.shape[0] != images.shape[1]:
        raise ValueError("images must be imageDim x imageDim x numImages, got shape "
                         f"{images.shape}")
    W = validate.finite(W, "W")
    if W.ndim == 2:
        W = W[:, :, None]
    if W.shape != (filterDim, filterDim, numFilters):
        raise ValueError(f"W must be filterDim x filterDim x numFilters = {filterDim} x "
                         f"{filterDim} x {numFilters}, got shape {W.shape}")
    imageDim = images.shape[0]
    if filterDim > imageDim:
        raise ValueError(f"filterDim {filterDim} is larger than imageDim {imageDim}")
    convDim = imageDim - filterDim + 1
    if convDim % poolDim:
        raise ValueError("poolDim must divide imageDim - filterDim + 1")
    if not isinstance(params, dict) or "epsilon" not in params:
        raise ValueError("params must be a dict with the field epsilon (MATLAB's global "
                         "params)")
    epsilon = validate.scalar(params["epsilon"], "params.epsilon")
    return filterDim, poolDim, numFilters, images, W, convDim, epsilon


def feedfowardRICA(filterDim, poolDim, numFilters, images, W, params) -> np.ndarray:
    """Convolve the RICA features W with the images and square-square-root pool them
    (stl/feedfowardRICA.m, completed).

    ``features(:, :, k, n)`` pools ``resp = conv2(images(:, :, n), rot90(W(:, :, k), 2),
    'valid')`` over non-overlapping poolDim x poolDim regions as ``sqrt(sum(resp.^2) +
    params.epsilon)``. No bias. The original prints 'forward-prop image N' every 500
    images; the fast form computes all images at once and prints nothing.

    Parameters
    ----------
    filterDim : int
        The filters' height and width.
    poolDim : int
        The pooling regions' height and width; must divide imageDim - filterDim + 1.
    numFilters : int
        K, the number of filters.
    images : ndarray (imageDim, imageDim, numImages)
    W : ndarray (filterDim, filterDim, K)
        The RICA weights as filters (stlExercise.m: ``W*V`` reshaped and permuted).
    params : dict
        ``params['epsilon']``: MATLAB's ``global params`` as a trailing argument.

    Returns
    -------
    features : ndarray (convDim/poolDim, convDim/poolDim, K, numImages)
        convDim = imageDim - filterDim + 1.
    """
    filterDim, poolDim, K, images, W, convDim, epsilon = _check(
        filterDim, poolDim, numFilters, images, W, params)
    numImages = images.shape[2]
    outDim = convDim // poolDim
    Wmat = W.transpose(2, 0, 1).reshape(K, filterDim * filterDim)  # correlation with W
    features = np.empty((outDim, outDim, K, numImages))

    def block(s: slice) -> None:
        patches = kernels.im2col(images[None, :, :, s], filterDim)
        resp = (Wmat @ patches).reshape(K, convDim, convDim, -1)
        features[:, :, :, s] = kernels.sqrt_pool(resp, poolDim, epsilon).transpose(1, 2, 0, 3)

    kernels.map_blocks(block, kernels.blocks(numImages, CHUNK))
    return features


def feedfowardRICA_loop(filterDim, poolDim, numFilters, images, W, params) -> np.ndarray:
    """stl/feedfowardRICA.m as completed, line by line: one conv2 per image and filter,
    then ``sqrt(conv2(resp.^2, ones(poolDim), 'valid') + params.epsilon)`` sampled every
    poolDim pixels; prints 'forward-prop image N' every 500 images as the original does.
    The reference that the tests hold :func:`feedfowardRICA` to.

    Parameters
    ----------
    filterDim : int
        The filters' height and width.
    poolDim : int
        The pooling regions' height and width; must divide imageDim - filterDim + 1.
    numFilters : int
        K, the number of filters.
    images : ndarray (imageDim, imageDim, numImages)
    W : ndarray (filterDim, filterDim, K)
        The RICA weights as filters (stlExercise.m: ``W*V`` reshaped and permuted).
    params : dict
        ``params['epsilon']``: MATLAB's ``global params`` as a trailing argument.

    Returns
    -------
    features : ndarray (convDim/poolDim, convDim/poolDim, K, numImages)
        convDim = imageDim - filterDim + 1.
    """
    # template: images = np.asarray(images, dtype=np.float64)
    # template: W = np.asarray(W, dtype=np.float64)
    # template: epsilon = params["epsilon"]
    # template: convDim = images.shape[0] - filterDim + 1
    filterDim, poolDim, numFilters, images, W, convDim, epsilon = _check(
        # template:
        filterDim, poolDim, numFilters, images, W, params)
    numImages = images.shape[2]
    features = np.zeros((convDim // poolDim, convDim // poolDim, numFilters, numImages))
    poolMat = np.ones((poolDim, poolDim))
    for imageNum in range(1, numImages + 1):
        if imageNum % 500 == 0:
            print(f"forward-prop image {imageNum}")
        for filterNum in range(numFilters):
            # Form W, obtain the feature (filterDim x filterDim) needed during the convolution
            # --- YOUR CODE HERE: feedfowardRICA/filter ---
            filt = W[:, :, filterNum]
            # --- END ---

            # Flip the feature matrix because of the definition of convolution
            filt = rot90(filt, 2)

            # Obtain the image
            im = images[:, :, imageNum - 1]

            # --- YOUR CODE HERE: feedfowardRICA/conv2 ---
            resp = conv2(im, filt, "valid")
            # --- END ---
            # --- YOUR CODE HERE: feedfowardRICA/pool ---
            act = np.sqrt(conv2(resp ** 2, poolMat, "valid") + epsilon)
            act = act[::poolDim, ::poolDim]
            # --- END ---
            features[:, :, filterNum, imageNum - 1] = act
    return features
