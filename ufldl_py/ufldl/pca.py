"""The PCA and whitening chapter (stanford_dl_ex/pca/pca_gen.m), its steps as functions.

pca_gen.m is a script whose steps are YOUR CODE HERE gaps; each step is a function here, in
the script's order, and ``exercises/pca_gen.py`` calls them as the script runs them. The
completion (the one the golden fixtures were made with, run in Octave):

- Step 0b ``zero_mean``: ``x = bsxfun(@minus, x, mean(x, 1))`` (each patch's own mean);
- Step 1a ``pca_rotate``: ``sigma = x * x' / m; [U, S, V] = svd(sigma); xRot = U' * x``;
- Step 1b / 4b ``covariance``: ``covar = xRot * xRot' / m``;
- Step 2 ``num_components``: ``k = find(cumsum(lambda) / sum(lambda) >= 0.99, 1)``,
  ``lambda = diag(S)``;
- Step 3 ``pca_reduce``: ``xTilde = U(:, 1:k)' * x; xHat = U * [xTilde; zeros(n - k, m)]``;
- Step 4a ``pca_whiten``: ``xPCAWhite = diag(1 ./ sqrt(diag(S) + epsilon)) * xRot``,
  epsilon = 0.1;
- Step 5 ``zca_whiten``: ``xZCAWhite = U * xPCAWhite``.

Signs. An eigenvector is defined up to its sign, and LAPACK's svd (Octave's, numpy's) fixes
none: two runs of the same svd on different libraries may return U with some columns
negated, and xRot's and xPCAWhite's rows with them. ``pca_rotate`` fixes the signs: each
column of U is negated where needed so that its entry of largest magnitude (the first such
entry) is positive. The tests apply the same rule to Octave's U before comparing; xHat,
xZCAWhite and the covariances do not depend on the signs.

Each step's ``# --- YOUR CODE HERE ---`` ... ``# --- END ---`` comments mark pca_gen.m's gap
for student mode (``ufldl-py exercise start pca``); ``# template:`` comments give the lines
the student's file has in place of the next one (:mod:`ufldl_py.student`).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from ..matlab import validate

__all__ = ["zero_mean", "pca_rotate", "covariance", "num_components", "pca_reduce",
           "pca_whiten", "zca_whiten", "fix_signs", "EPSILON", "RETAIN"]

EPSILON = 0.1  # pca_gen.m's epsilon for PCA whitening (Step 4a)
RETAIN = 0.99  # the fraction of the variance kept (Step 2)


def _data(x, name="x") -> np.ndarray:
    x = validate.finite(x, name)
    if x.ndim != 2:
        raise ValueError(f"{name} must be a matrix (dimensions x examples), got shape {x.shape}")
    if x.shape[1] < 1:
        raise ValueError(f"{name} holds no examples")
    return x


def zero_mean(x) -> np.ndarray:
    """Step 0b: subtract each patch's (column's) mean, ``x - mean(x, 1)``.

    Parameters
    ----------
    x : ndarray (n, m)
        One example per column.

    Returns
    -------
    x : ndarray (n, m)
        Each column with its mean subtracted.
    """
    # template: x = np.asarray(x, dtype=np.float64)
    x = _data(x)
    # --- YOUR CODE HERE: zero_mean/step0b ---
    x = x - x.mean(axis=0)
    # --- END ---
    return x


def fix_signs(U) -> np.ndarray:
    """U with each column negated where its first entry of largest magnitude is negative
    (the sign rule of :func:`pca_rotate`).

    Parameters
    ----------
    U : ndarray (n, k)
        Eigenvectors, one per column.

    Returns
    -------
    ndarray (n, k)
        A copy with the signs fixed.
    """
    U = np.array(U, dtype=np.float64)
    idx = np.abs(U).argmax(axis=0)
    U *= np.where(U[idx, np.arange(U.shape[1])] < 0, -1.0, 1.0)
    return U


def pca_rotate(x):
    """Step 1a: the data in the eigenbasis of its covariance.

    ``sigma = x * x' / m; [U, S, V] = svd(sigma); xRot = U' * x``, with U's signs fixed as
    the module docstring says.

    Parameters
    ----------
    x : ndarray (n, m)
        Zero-mean data (Step 0b), one example per column.

    Returns
    -------
    xRot : ndarray (n, m)
        ``U' * x``.
    U : ndarray (n, n)
        The eigenvectors of sigma, by decreasing eigenvalue.
    S : ndarray (n, n)
        The eigenvalues on the diagonal (svd's S, a matrix as in MATLAB).
    """
    # template: x = np.asarray(x, dtype=np.float64)
    x = _data(x)
    # --- YOUR CODE HERE: pca_rotate/step1a ---
    sigma = x @ x.T / x.shape[1]
    U, s, _ = scipy.linalg.svd(sigma, lapack_driver="gesvd")
    S = np.diag(s)
    # template:
    U = fix_signs(U)
    xRot = U.T @ x
    # --- END ---
    return xRot, U, S


def covariance(xRot) -> np.ndarray:
    """Steps 1b and 4b: ``covar = xRot * xRot' / m``, (n, n).

    Parameters
    ----------
    xRot : ndarray (n, m)
        The data, one example per column.

    Returns
    -------
    covar : ndarray (n, n)
    """
    # template: xRot = np.asarray(xRot, dtype=np.float64)
    xRot = _data(xRot, "xRot")
    # --- YOUR CODE HERE: covariance/step1b_4b ---
    covar = xRot @ xRot.T / xRot.shape[1]
    # --- END ---
    return covar


def _eigenvalues(S) -> np.ndarray:
    S = validate.finite(S, "S")
    return np.diag(S).copy() if S.ndim == 2 else S.ravel()


def num_components(S, retain=RETAIN) -> int:
    """Step 2: k, the fewest components that keep ``retain`` of the variance.

    ``lambda = diag(S); k = find(cumsum(lambda) / sum(lambda) >= retain, 1)``.

    Parameters
    ----------
    S : ndarray (n, n) or (n,)
        The eigenvalues (svd's S, or its diagonal), in decreasing order.
    retain : float
        The fraction of the variance to keep (pca_gen.m: 0.99).

    Returns
    -------
    k : int
        1..n.
    """
    # template: lam = np.diag(np.asarray(S, dtype=np.float64))  # lambda = diag(S)
    lam = _eigenvalues(S)
    # template:
    retain = validate.scalar(retain, "retain")
    # template:
    if not 0 < retain <= 1:
        # template:
        raise ValueError(f"retain must be in (0, 1], got {retain}")
    # template:
    if lam.size == 0 or lam.sum() <= 0:
        # template:
        raise ValueError("S must hold positive variance")
    # --- YOUR CODE HERE: num_components/step2 ---
    frac = np.cumsum(lam) / lam.sum()
    hits = np.flatnonzero(frac >= retain)
    k = int(hits[0]) + 1 if hits.size else lam.size
    # --- END ---
    return k


def pca_reduce(x, U, k) -> np.ndarray:
    """Step 3: the data reduced to k components, back in the original basis.

    ``xTilde = U(:, 1:k)' * x; xHat = U * [xTilde; zeros(n - k, m)]`` (computed as
    ``U(:, 1:k) * xTilde``, the same sums without the zero terms).

    Parameters
    ----------
    x : ndarray (n, m)
        Zero-mean data, one example per column.
    U : ndarray (n, n)
        The eigenvectors (:func:`pca_rotate`).
    k : int
        The number of components kept.

    Returns
    -------
    xHat : ndarray (n, m)

    Raises
    ------
    ValueError
        When U is not n x n or k is more than n.
    """
    # template: x = np.asarray(x, dtype=np.float64)
    x = _data(x)
    # template: U, k = np.asarray(U, dtype=np.float64), int(k)
    U = validate.finite(U, "U")
    # template:
    k = validate.positive_int(k, "k")
    # template:
    if U.shape != (x.shape[0], x.shape[0]):
        # template:
        raise ValueError(f"U must be {x.shape[0]} x {x.shape[0]}, got shape {U.shape}")
    # template:
    if k > x.shape[0]:
        # template:
        raise ValueError(f"k = {k} is more than the {x.shape[0]} dimensions")
    # --- YOUR CODE HERE: pca_reduce/step3 ---
    xTilde = U[:, :k].T @ x
    xHat = U[:, :k] @ xTilde
    # --- END ---
    return xHat


def pca_whiten(xRot, S, epsilon=EPSILON) -> np.ndarray:
    """Step 4a: PCA whitening with regularisation.

    ``xPCAWhite = diag(1 ./ sqrt(diag(S) + epsilon)) * xRot`` (pca_gen.m: epsilon = 0.1;
    epsilon = 0 gives the unregularised whitening, whose covariance is the identity on the
    components of non-zero variance).

    Parameters
    ----------
    xRot : ndarray (n, m)
        The rotated data (:func:`pca_rotate`).
    S : ndarray (n, n)
        The eigenvalues on the diagonal.
    epsilon : float
        The regularisation.

    Returns
    -------
    xPCAWhite : ndarray (n, m)

    Raises
    ------
    ValueError
        When S does not hold n eigenvalues.
    """
    # template: xRot, S = np.asarray(xRot, dtype=np.float64), np.asarray(S, dtype=np.float64)
    xRot = _data(xRot, "xRot")
    # template: lam = np.diag(S) if S.ndim == 2 else S  # lambda = diag(S)
    lam = _eigenvalues(S)
    # template:
    if lam.size != xRot.shape[0]:
        # template:
        raise ValueError(f"S must hold {xRot.shape[0]} eigenvalues, got {lam.size}")
    # template:
    epsilon = validate.scalar(epsilon, "epsilon")
    with np.errstate(divide="ignore"):  # epsilon = 0 and a zero eigenvalue: inf
        # --- YOUR CODE HERE: pca_whiten/step4a ---
        xPCAWhite = (1.0 / np.sqrt(lam + epsilon))[:, None] * xRot
        # --- END ---
    return xPCAWhite


def zca_whiten(U, xPCAWhite) -> np.ndarray:
    """Step 5: ZCA whitening, ``xZCAWhite = U * xPCAWhite``, (n, m).

    Parameters
    ----------
    U : ndarray (n, n)
        The eigenvectors (:func:`pca_rotate`).
    xPCAWhite : ndarray (n, m)
        The PCA-whitened data (:func:`pca_whiten`).

    Returns
    -------
    xZCAWhite : ndarray (n, m)

    Raises
    ------
    ValueError
        When U is not n x n.
    """
    # template: U = np.asarray(U, dtype=np.float64)
    U = validate.finite(U, "U")
    # template: xPCAWhite = np.asarray(xPCAWhite, dtype=np.float64)
    xPCAWhite = _data(xPCAWhite, "xPCAWhite")
    # template:
    if U.shape != (xPCAWhite.shape[0],) * 2:
        # template:
        raise ValueError(f"U must be {xPCAWhite.shape[0]} x {xPCAWhite.shape[0]}, got shape "
                         # template:
                         f"{U.shape}")
    # --- YOUR CODE HERE: zca_whiten/step5 ---
    xZCAWhite = U @ xPCAWhite
    # --- END ---
    return xZCAWhite
