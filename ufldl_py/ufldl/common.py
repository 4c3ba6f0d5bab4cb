"""stanford_dl_ex/common: samplePatches.

(loadMNISTImages and loadMNISTLabels are in :mod:`ufldl_py.data`, display_network in
:mod:`ufldl_py.plot`.)
"""

from __future__ import annotations

import math

import numpy as np

from ..matlab import random as mrandom
from ..matlab import validate

__all__ = ["samplePatches", "samplePatches_loop"]


def _raw_images(rawImages, patchSize, numPatches):
    rawImages = validate.finite(rawImages, "rawImages")
    if rawImages.ndim == 1:
        rawImages = rawImages[:, None]
    if rawImages.ndim != 2:
        raise ValueError("rawImages must be (image width)*(image height) x number_of_images, "
                         f"got shape {rawImages.shape}")
    imWidth = math.isqrt(rawImages.shape[0])
    if imWidth * imWidth != rawImages.shape[0]:
        raise ValueError(f"rawImages must hold square images: {rawImages.shape[0]} pixels per "
                         "image is not a square number")
    patchSize = validate.positive_int(patchSize, "patchSize")
    if patchSize > imWidth:
        raise ValueError(f"patchSize {patchSize} is larger than the images' width {imWidth}")
    numPatches = int(validate.scalar(numPatches, "numPatches"))
    if numPatches < 0:
        raise ValueError(f"numPatches must be non-negative, got {numPatches}")
    if rawImages.shape[1] < 1:
        raise ValueError("rawImages holds no images")
    return rawImages, imWidth, patchSize, numPatches


def samplePatches(rawImages, patchSize, numPatches) -> np.ndarray:
    """Random square patches of random images (common/samplePatches.m).

    For each patch, in order: ``x = randi(maxHeight); y = randi(maxWidth); img =
    randi(numImages)``, then ``p = rawImages(x:x+patchSize-1, y:y+patchSize-1, img)``
    unrolled column-major. The three scalar randi calls per patch are drawn from Octave's
    rand stream in that order (:func:`ufldl_py.matlab.random.randi_calls`, all patches in one
    draw), so that after ``rand('state', s)`` the patches equal Octave's.

    Parameters
    ----------
    rawImages : ndarray (imWidth*imWidth, numImages)
        One unrolled square image per column (the images are square, as the original
        assumes).
    patchSize : int
        The patches' width and height.
    numPatches : int
        How many patches to sample.

    Returns
    -------
    patches : ndarray (patchSize*patchSize, numPatches)
    """
    rawImages, imWidth, patchSize, numPatches = _raw_images(rawImages, patchSize, numPatches)
    numImages = rawImages.shape[1]
    maxWidth = maxHeight = imWidth - patchSize + 1
    # Sample! (randi(maxHeight), randi(maxWidth), randi(numImages) per patch, 1-based)
    xyi = mrandom.randi_calls([maxHeight, maxWidth, numImages], numPatches).astype(np.intp) - 1
    images = rawImages.reshape(imWidth, imWidth, numImages, order="F")
    r = xyi[:, 0, None, None] + np.arange(patchSize)[None, :, None]
    c = xyi[:, 1, None, None] + np.arange(patchSize)[None, None, :]
    p = images[r, c, xyi[:, 2, None, None]]  # (numPatches, patchSize, patchSize)
    return p.transpose(1, 2, 0).reshape(patchSize * patchSize, numPatches, order="F")


def samplePatches_loop(rawImages, patchSize, numPatches) -> np.ndarray:
    """common/samplePatches.m line by line: one randi call at a time. The reference that
    the tests hold :func:`samplePatches` to.

    Parameters
    ----------
    rawImages : ndarray (imWidth*imWidth, numImages)
        One unrolled square image per column (the images are square, as the original
        assumes).
    patchSize : int
        The patches' width and height.
    numPatches : int
        How many patches to sample.

    Returns
    -------
    patches : ndarray (patchSize*patchSize, numPatches)
    """
    rawImages, imWidth, patchSize, numPatches = _raw_images(rawImages, patchSize, numPatches)
    imHeight = imWidth
    numImages = rawImages.shape[1]
    rawImages = rawImages.reshape(imWidth, imHeight, numImages, order="F")
    patches = np.zeros((patchSize * patchSize, numPatches))
    maxWidth = imWidth - patchSize + 1
    maxHeight = imHeight - patchSize + 1
    for num in range(numPatches):
        x = int(mrandom.randi(maxHeight)) - 1
        y = int(mrandom.randi(maxWidth)) - 1
        img = int(mrandom.randi(numImages)) - 1
        p = rawImages[x:x + patchSize, y:y + patchSize, img]
        patches[:, num] = p.ravel(order="F")
    return patches
