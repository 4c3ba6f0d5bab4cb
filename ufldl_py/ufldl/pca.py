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
    x = _data(x)
    return x - x.mean(axis=0)


def fix_signs(U) -> np.ndarray:
    """U with each column negated where its first entry of largest magnitude is negative
    (the sign rule of :func:`pca_rotate`)."""
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
    x = _data(x)
    sigma = x @ x.T / x.shape[1]
    U, s, _ = scipy.linalg.svd(sigma, lapack_driver="gesvd")
    U = fix_signs(U)
    return U.T @ x, U, np.diag(s)


def covariance(xRot) -> np.ndarray:
    """Steps 1b and 4b: ``covar = xRot * xRot' / m``, (n, n)."""
    xRot = _data(xRot, "xRot")
    return xRot @ xRot.T / xRot.shape[1]


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
    lam = _eigenvalues(S)
    retain = validate.scalar(retain, "retain")
    if not 0 < retain <= 1:
        raise ValueError(f"retain must be in (0, 1], got {retain}")
    if lam.size == 0 or lam.sum() <= 0:
        raise ValueError("S must hold positive variance")
    frac = np.cumsum(lam) / lam.sum()
    hits = np.flatnonzero(frac >= retain)
    return int(hits[0]) + 1 if hits.size else lam.size


def pca_reduce(x, U, k) -> np.ndarray:
    """Step 3: the data reduced to k components, back in the original basis.

    ``xTilde = U(:, 1:k)' * x; xHat = U * [xTilde; zeros(n - k, m)]`` (computed as
    ``U(:, 1:k) * xTilde``, the same sums without the zero terms).

    Returns
    -------
    xHat : ndarray (n, m)
    """
    x = _data(x)
    U = validate.finite(U, "U")
    k = validate.positive_int(k, "k")
    if U.shape != (x.shape[0], x.shape[0]):
        raise ValueError(f"U must be {x.shape[0]} x {x.shape[0]}, got shape {U.shape}")
    if k > x.shape[0]:
        raise ValueError(f"k = {k} is more than the {x.shape[0]} dimensions")
    xTilde = U[:, :k].T @ x
    return U[:, :k] @ xTilde


def pca_whiten(xRot, S, epsilon=EPSILON) -> np.ndarray:
    """Step 4a: PCA whitening with regularisation.

    ``xPCAWhite = diag(1 ./ sqrt(diag(S) + epsilon)) * xRot`` (pca_gen.m: epsilon = 0.1;
    epsilon = 0 gives the unregularised whitening, whose covariance is the identity on the
    components of non-zero variance).

    Returns
    -------
    xPCAWhite : ndarray (n, m)
    """
    xRot = _data(xRot, "xRot")
    lam = _eigenvalues(S)
    if lam.size != xRot.shape[0]:
        raise ValueError(f"S must hold {xRot.shape[0]} eigenvalues, got {lam.size}")
    epsilon = validate.scalar(epsilon, "epsilon")
    with np.errstate(divide="ignore"):
        return (1.0 / np.sqrt(lam + epsilon))[:, None] * xRot


def zca_whiten(U, xPCAWhite) -> np.ndarray:
    """Step 5: ZCA whitening, ``xZCAWhite = U * xPCAWhite``, (n, m)."""
    U = validate.finite(U, "U")
    xPCAWhite = _data(xPCAWhite, "xPCAWhite")
    if U.shape != (xPCAWhite.shape[0],) * 2:
        raise ValueError(f"U must be {xPCAWhite.shape[0]} x {xPCAWhite.shape[0]}, got shape "
                         f"{U.shape}")
    return U @ xPCAWhite
