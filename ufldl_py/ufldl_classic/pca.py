"""PCA and whitening of the original UFLDL exercises (pca_2d, pca_exercise).

pca_2d.m and pca_gen.m are scripts; each is ported as one function that runs the script's
steps on its data and returns the variables the script computes (a dict), with the plotting
left to the exercise scripts (exercises/pca_2d.py, exercises/pca_exercise.py).
sampleIMAGESRAW.m samples pca_exercise's raw 12x12 patches.

The YOUR CODE HERE parts are completed with the tutorial's formulas (the completion the
golden fixtures were made with), for data x (n, m), one example per column:

- zero mean (pca_gen only): ``avg = mean(x, 1); x = x - repmat(avg, size(x, 1), 1)``, each
  patch's mean intensity removed;
- ``sigma = x * x' / m``; ``[U, S, V] = svd(sigma)`` (:func:`ufldl_py.matlab.ops.svd`, with
  Octave's signs); ``xRot = U' * x``; ``covar = xRot * xRot' / m`` (diagonal);
- k: the least k with ``sum(lambda(1:k)) >= retain * sum(lambda)``, lambda = diag(S)
  (retain = 0.99 in pca_gen; k = 1 in pca_2d);
- ``xHat = U * [xRot(1:k, :); zeros(n-k, m)]``;
- ``xPCAWhite = diag(1 ./ sqrt(diag(S) + epsilon)) * U' * x`` (epsilon 1e-5 in pca_2d, 0.1 in
  pca_gen), its covariance ``xPCAWhite * xPCAWhite' / m``;
- ``xZCAWhite = U * diag(1 ./ sqrt(diag(S) + epsilon)) * U' * x``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import data as _data
from ..matlab import ops
from ..matlab import random as mrandom
from ..matlab import validate
from ._common import patch_request

__all__ = ["sampleIMAGESRAW", "pca_2d", "pca_gen", "load_pcaData"]


def load_pcaData(filename=None) -> np.ndarray:
    """pca_2d's data, ``x = load('pcaData.txt', '-ascii')``.

    Parameters
    ----------
    filename : path, optional
        A whitespace-separated table; by default the shipped data/classic/pcaData.txt (see
        data/README.md), read through importlib.resources.

    Returns
    -------
    x : ndarray (2, 45)
        For the shipped file; the table's shape for another.

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        Naming the file: not a finite numeric table.
    """
    path = _data.CLASSIC / "pcaData.txt" if filename is None else Path(filename)
    if not path.is_file():
        raise FileNotFoundError(f"Could not open {path}")
    try:
        with path.open("rb") as f:
            x = np.loadtxt(f, dtype=np.float64, ndmin=2)
    except ValueError as exc:
        raise ValueError(f"{path}: not a whitespace-separated numeric table ({exc})") from exc
    return validate.finite(x, str(path))


def sampleIMAGESRAW(IMAGES=None, patchSize=12, numPatches=10000) -> np.ndarray:
    """Random raw patches, numPatches/numImages from each image in turn
    (pca_exercise/sampleIMAGESRAW.m).

    For each image, for each of its patches: ``y = randi(size(IMAGES,1)-patchSize+1)``, then
    ``x = randi(size(IMAGES,2)-patchSize+1)`` (one scalar draw each, in that order, drawn
    together by :func:`ufldl_py.matlab.random.randi_calls`), and the patch
    ``IMAGES(y:y+patchSize-1, x:x+patchSize-1, im)`` as a column.

    Parameters
    ----------
    IMAGES : ndarray (r, c, numImages), optional
        The raw images (the original loads IMAGES_RAW.mat); by default the shipped
        photographs, :func:`ufldl_py.data.load_images_raw`.
    patchSize : int
        12.
    numPatches : int
        10000; a multiple of the number of images.

    Returns
    -------
    patches : ndarray (patchSize^2, numPatches)
    """
    IMAGES, patchSize, numPatches = patch_request(
        _data.load_images_raw() if IMAGES is None else IMAGES, patchSize, numPatches,
        "patchSize", "numPatches")
    r, c, n = IMAGES.shape
    if numPatches % n:
        raise ValueError(f"numPatches {numPatches} must be a multiple of the number of "
                         f"images {n}")
    numsamples = numPatches // n
    # the loop's scalar draws y, x, y, x, ... in one block (randi_calls: the same numbers)
    yx = mrandom.randi_calls([r - patchSize + 1, c - patchSize + 1], numPatches)
    ys = yx[:, 0].astype(np.intp) - 1
    xs = yx[:, 1].astype(np.intp) - 1
    ims = np.repeat(np.arange(n), numsamples)
    a = np.arange(patchSize)
    windows = IMAGES[ys[None, None, :] + a[:, None, None], xs[None, None, :] + a[None, :, None],
                     ims[None, None, :]]
    patches = windows.reshape(patchSize * patchSize, numPatches, order="F")
    return patches


def _matrix(x) -> np.ndarray:
    x = validate.finite(x, "x")
    if x.ndim != 2 or x.shape[1] == 0:
        raise ValueError(f"x must be n x m (one example per column), got shape {x.shape}")
    return x


def _epsilon(epsilon) -> float:
    epsilon = validate.scalar(epsilon, "epsilon")
    if not (np.isfinite(epsilon) and epsilon >= 0):
        raise ValueError(f"epsilon must be finite and >= 0, got {epsilon}")
    return epsilon


def pca_2d(x, k=1, epsilon=1e-5) -> dict:
    """The steps of pca_2d/pca_2d.m on the 2-D data x (the data is used as it is: the
    script does not remove its mean).

    Parameters
    ----------
    x : ndarray (2, m)
        pcaData (:func:`load_pcaData`).
    k : int
        Components kept in xHat (1).
    epsilon : float
        The whitening's regularisation (1e-5).

    Returns
    -------
    dict
        u (2, 2), the eigenbasis; S (2,), the eigenvalues; xRot, xHat, xPCAWhite,
        xZCAWhite, each (2, m).
    """
    # template: x = np.asarray(x, dtype=np.float64)
    x = _matrix(x)
    # template: k = int(k)
    k = validate.positive_int(k, "k")
    # template: epsilon = float(epsilon)
    epsilon = _epsilon(epsilon)
    n, m = x.shape
    # Step 1a: the eigenbasis u of sigma
    # --- YOUR CODE HERE: pca_2d/eigenbasis ---
    sigma = x @ x.T / m
    u, S, _ = ops.svd(sigma)
    s = np.diag(S)
    # --- END ---
    # Step 1b: the data in the basis u
    # --- YOUR CODE HERE: pca_2d/rotate ---
    xRot = u.T @ x
    # --- END ---
    # Step 2: reduce to k dimensions and recover
    # --- YOUR CODE HERE: pca_2d/reduce ---
    xTilde = xRot.copy()
    xTilde[k:, :] = 0
    xHat = u @ xTilde
    # --- END ---
    # Step 3: PCA and ZCA whitening
    # --- YOUR CODE HERE: pca_2d/whiten ---
    xPCAWhite = np.diag(1 / np.sqrt(s + epsilon)) @ u.T @ x
    xZCAWhite = u @ np.diag(1 / np.sqrt(s + epsilon)) @ u.T @ x
    # --- END ---
    return {"u": u, "S": s, "xRot": xRot, "xHat": xHat, "xPCAWhite": xPCAWhite,
            "xZCAWhite": xZCAWhite}


def pca_gen(x, retain=0.99, epsilon=0.1) -> dict:
    """The steps of pca_exercise/pca_gen.m on the raw patches x (sampleIMAGESRAW).

    Parameters
    ----------
    x : ndarray (n, m)
        Raw patches, one per column.
    retain : float
        The fraction of the variance that k components keep (0.99).
    epsilon : float
        The whitening's regularisation (0.1).

    Returns
    -------
    dict
        avg (m,), each patch's mean; x (n, m), zero-mean; U (n, n); S (n,), the
        eigenvalues; xRot (n, m); covar (n, n), the covariance of xRot (diagonal); k; xHat
        (n, m); xPCAWhite (n, m); covarPCAWhite (n, n), its covariance (diag(S)./(diag(S) +
        epsilon): close to the identity where the eigenvalues exceed epsilon); xZCAWhite
        (n, m).
    """
    # template: x = np.asarray(x, dtype=np.float64)
    x = _matrix(x)
    # template: retain = float(retain)
    retain = validate.scalar(retain, "retain")
    if not 0 < retain <= 1:
        raise ValueError(f"retain must lie in (0, 1], got {retain}")
    # template: epsilon = float(epsilon)
    epsilon = _epsilon(epsilon)
    n, m = x.shape
    # Step 0b: zero-mean the data (each patch's mean)
    # --- YOUR CODE HERE: pca_gen/zero_mean ---
    avg = x.mean(axis=0)
    x = x - avg
    # --- END ---
    # Step 1a: PCA: xRot
    # --- YOUR CODE HERE: pca_gen/rotate ---
    sigma = x @ x.T / m
    U, S, _ = ops.svd(sigma)
    s = np.diag(S)
    xRot = U.T @ x
    # --- END ---
    # Step 1b: the covariance of xRot is diagonal
    # --- YOUR CODE HERE: pca_gen/covar ---
    covar = xRot @ xRot.T / m
    # --- END ---
    # Step 2: k, the number of components that retain `retain` of the variance
    # --- YOUR CODE HERE: pca_gen/k ---
    total, current, k = s.sum(), 0.0, 0
    while current < retain * total:
        k += 1
        current += s[k - 1]
    # --- END ---
    # Step 3: PCA with dimension reduction
    # --- YOUR CODE HERE: pca_gen/reduce ---
    xTilde = xRot.copy()
    xTilde[k:, :] = 0
    xHat = U @ xTilde
    # --- END ---
    # Step 4a, 4b: PCA whitening with regularisation, and its covariance
    # --- YOUR CODE HERE: pca_gen/pca_white ---
    xPCAWhite = np.diag(1 / np.sqrt(s + epsilon)) @ U.T @ x
    covarPCAWhite = xPCAWhite @ xPCAWhite.T / m
    # --- END ---
    # Step 5: ZCA whitening
    # --- YOUR CODE HERE: pca_gen/zca_white ---
    xZCAWhite = U @ np.diag(1 / np.sqrt(s + epsilon)) @ U.T @ x
    # --- END ---
    return {"avg": avg, "x": x, "U": U, "S": s, "xRot": xRot, "covar": covar, "k": k,
            "xHat": xHat, "xPCAWhite": xPCAWhite, "covarPCAWhite": covarPCAWhite,
            "xZCAWhite": xZCAWhite}
