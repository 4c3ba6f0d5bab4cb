"""DeepLearnToolbox/util functions used by the ported models.

``expand`` and ``flipall`` are MATLAB array primitives and live in
:mod:`ufldl_py.matlab.ops`; they are re-exported here under DeepLearnToolbox's layout.
Examples are rows, as everywhere in DeepLearnToolbox's NN, SAE and DBN code: ``x`` is
(m, n), one example per row.
"""

from __future__ import annotations

import numpy as np

from .. import kernels
from ..matlab import random as mrandom
from ..matlab import validate
from ..matlab.ops import expand, flipall

__all__ = ["sigm", "sigmrnd", "tanh_opt", "softmax", "zscore", "normalize", "rnd", "visualize",
           "expand", "flipall"]

EPS = np.finfo(np.float64).eps  # MATLAB's eps


def sigm(P):
    """The logistic function ``1 ./ (1 + exp(-P))`` (util/sigm.m), element-wise."""
    return 1.0 / (1.0 + np.exp(-np.asarray(P, dtype=np.float64)))


def sigmrnd(P):
    """Binary samples with probabilities sigm(P) (util/sigmrnd.m):
    ``double(1 ./ (1 + exp(-P)) > rand(size(P)))``.

    Parameters
    ----------
    P : (m, n) array
        Pre-activations.

    Returns
    -------
    X : (m, n) float64 array of 0s and 1s. Draws ``rand(m, n)`` from
        :mod:`ufldl_py.matlab.random` (column-major, as MATLAB fills it).
    """
    P = np.asarray(P, dtype=np.float64)
    return kernels.bernoulli(kernels.sigmoid(P), mrandom.rand(*P.shape) if P.ndim > 1
                             else mrandom.rand(P.size, 1).reshape(P.shape))


def tanh_opt(A):
    """LeCun's 'optimal' tanh ``1.7159 * tanh(2/3 .* A)`` (util/tanh_opt.m), element-wise."""
    return 1.7159 * np.tanh(2 / 3 * np.asarray(A, dtype=np.float64))


def softmax(eta):
    """Row-wise softmax with the original's fixed factor c = 3 (util/softmax.m):
    ``mu(i, c) = exp(3 * eta(i, c)) / sum_c' exp(3 * eta(i, c'))``.

    Parameters
    ----------
    eta : (m, k) array

    Returns
    -------
    mu : (m, k) array whose rows sum to 1. As the original, no maximum is subtracted, so
        entries of 3 * eta above about 709 overflow to Inf / NaN.
    """
    eta = validate.array(eta, "eta")
    tmp = np.exp(3 * eta)
    return tmp / tmp.sum(axis=-1, keepdims=True)


def _stat_axis(x: np.ndarray) -> int:
    """MATLAB's default dimension of mean and std: the first non-singleton one."""
    return 1 if x.ndim == 2 and x.shape[0] == 1 else 0


def zscore(x):
    """Standardise each column to mean 0 and standard deviation 1 (util/zscore.m).

    Parameters
    ----------
    x : (m, n) array
        One example per row.

    Returns
    -------
    x : (m, n) array
        ``(x - mu) ./ sigma``.
    mu : (n,) array
        The column means ``mean(x)``.
    sigma : (n,) array
        ``max(std(x), eps)``: the standard deviations (normalised by m - 1), at least eps,
        so that constant columns (MNIST's border pixels) become zeros.
    """
    x = validate.array(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must be an m x n matrix (one example per row), got shape {x.shape}")
    ax = _stat_axis(x)
    n = x.shape[ax]
    mu = x.sum(axis=ax) / n  # Octave's mean: sum(x) / n
    centred = x - np.expand_dims(mu, ax)
    if n == 1:
        std = np.zeros_like(mu)
    else:  # Octave's std: sqrt(sumsq(x - mean(x)) / (n - 1)), in blocks of rows
        sumsq = np.zeros(centred.shape[1 - ax])
        for rows in kernels.blocks(centred.shape[0], 10000):
            block = centred[rows]
            sumsq += (block * block).sum(axis=ax)
        std = np.sqrt(sumsq / (n - 1))
    sigma = np.maximum(std, EPS)
    centred /= np.expand_dims(sigma, ax)  # in place: MNIST's 60,000 x 784 doubles once
    return centred, mu, sigma


def normalize(x, mu, sigma):
    """``(x - mu) ./ sigma`` column by column (util/normalize.m): apply a zscore's mu and
    sigma to other data.

    Parameters
    ----------
    x : (m, n) array
    mu, sigma : (n,) arrays (or 1 x n rows), as returned by :func:`zscore`.

    Returns
    -------
    (m, n) array
    """
    x = validate.array(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must be an m x n matrix (one example per row), got shape {x.shape}")
    mu = validate.vector(mu, "mu")
    sigma = validate.vector(sigma, "sigma")
    for name, v in (("mu", mu), ("sigma", sigma)):
        if v.size not in (1, x.shape[1]):
            raise ValueError(f"{name} must have {x.shape[1]} elements (one per column of x), "
                             f"got {v.size}")
    return (x - mu) / sigma


def rnd(x):
    """``double(x > rand())`` (util/rnd.m): every entry of x compared with one uniform draw
    (one ``rand()`` from :mod:`ufldl_py.matlab.random`)."""
    x = validate.array(x, "x")
    return (x > mrandom.rand()).astype(np.float64)


def visualize(X, mm=None, s1=0, s2=0):
    """Tile the columns of X as images (util/visualize.m, from RBMLIB), as the original
    returns the image when called with an output (``r = visualize(X)``).

    Parameters
    ----------
    X : (D, N) array
        One image per column, of s1 * s2 pixels (by default square: s1 = s2 = sqrt(D)).
    mm : (2,) array, optional
        [min, max] of the colour scale; default ``[min(X(:)) max(X(:))]``. The background
        between tiles is ``mm(2)``.
    s1, s2 : int
        Image width and height; 0 for square images.

    Returns
    -------
    a : (num*s2 + num - 1, num*s1 + num - 1) array, num = ceil(sqrt(N)): image i is
        ``reshape(X(:, i), s1, s2)'``, filled down the columns of tiles first. When D is
        not square and s1, s2 are not given, ``a`` is X itself.

    :func:`ufldl_py.plot.imagesc` draws it as the original's ``imagesc(a, mm); colormap
    gray``.
    """
    X = validate.array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be a D x N matrix (one image per column), got {X.shape}")
    if mm is None:
        mm = np.array([X.min(), X.max()])
    mm = validate.vector(mm, "mm", 2)
    s1, s2 = int(s1), int(s2)
    D, N = X.shape
    s = np.sqrt(D)
    if s != np.floor(s) and not (s1 != 0 and s2 != 0):
        return X  # "there is not much we can do"
    if s1 == 0 or s2 == 0:
        s1 = s2 = int(s)
    if s1 * s2 != D:
        raise ValueError(f"s1 * s2 = {s1 * s2} must equal the {D} pixels of each image")
    num = int(np.ceil(np.sqrt(N)))
    a = mm[1] * np.ones((num * s2 + num - 1, num * s1 + num - 1))
    x = y = 0
    for i in range(N):
        a[x * s2 + x:x * s2 + s2 + x, y * s1 + y:y * s1 + s1 + y] = \
            X[:, i].reshape(s1, s2, order="F").T
        x += 1
        if x >= num:
            x = 0
            y += 1
    return a
