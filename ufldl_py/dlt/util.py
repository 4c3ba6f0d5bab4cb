"""DeepLearnToolbox/util functions used by the ported models.

``expand`` and ``flipall`` are MATLAB array primitives and live in
:mod:`ufldl_py.matlab.ops`; they are re-exported here under DeepLearnToolbox's layout.
Examples are rows, as everywhere in DeepLearnToolbox's NN, SAE and DBN code: ``x`` is
(m, n), one example per row.
"""

import math
import warnings

import numpy as np

from .. import kernels
from ..matlab import ops, validate
from ..matlab import random as mrandom
from ..matlab.ops import expand, flipall

__all__ = ["sigm", "sigmrnd", "tanh_opt", "softmax", "zscore", "normalize", "rnd", "expand",
           "flipall", "whiten", "im2patches", "patches2im", "visualize", "allcomb", "randp",
           "randcorr", "makeLMfilters", "fliplrf", "flipudf"]

EPS = np.finfo(np.float64).eps  # MATLAB's eps


def sigm(P):
    """The logistic function ``1 ./ (1 + exp(-P))`` (util/sigm.m), element-wise.

    Parameters
    ----------
    P : array_like
        Any shape.

    Returns
    -------
    ndarray
        The logistic function of each element, of P's shape.
    """
    return kernels.sigmoid(validate.array(P, "P"))


def _stat_axis(x: np.ndarray) -> int:
    """MATLAB's default dimension of mean and std: the first non-singleton one."""
    return 1 if x.ndim == 2 and x.shape[0] == 1 else 0


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
    """LeCun's 'optimal' tanh ``1.7159 * tanh(2/3 .* A)`` (util/tanh_opt.m), element-wise.

    Parameters
    ----------
    A : array_like
        Any shape.

    Returns
    -------
    ndarray
        ``1.7159 * tanh(2/3 * A)``, of A's shape.
    """
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
    (one ``rand()`` from :mod:`ufldl_py.matlab.random`).

    Parameters
    ----------
    x : array_like
        Any shape.

    Returns
    -------
    ndarray
        0.0 or 1.0 per entry, of x's shape.
    """
    x = validate.array(x, "x")
    return (x > mrandom.rand()).astype(np.float64)



# --------------------------------------------------------------------------- the rest of util
#
# flicker (an endless display loop), isOctave and myOctaveVersion (which MATLAB is this)
# have no port.


def _matrix(x, name: str) -> np.ndarray:
    """x as MATLAB sees it: a scalar 1 x 1, a 1-D array a column, N-D as it is."""
    x = validate.array(x, name)
    return x.reshape(1, 1) if x.ndim == 0 else x.reshape(-1, 1) if x.ndim == 1 else x


def fliplrf(x) -> np.ndarray:
    """``y = x(:, end:-1:1)`` (util/fliplrf.m): the columns reversed.

    Parameters
    ----------
    x : array_like
        A matrix (a 1-D array is a column). An N-D array is indexed with two subscripts, as
        MATLAB does: its trailing dimensions are merged into the columns, so the result is
        the 2-D (rows, cols*pages) matrix with those columns reversed (the original's
        ``ismatrix`` check is commented out).

    Returns
    -------
    y : 2-D array
    """
    x = _matrix(x, "x")
    return x.reshape(x.shape[0], -1, order="F")[:, ::-1].copy()


def flipudf(x) -> np.ndarray:
    """``y = x(end:-1:1, :)`` (util/flipudf.m): the rows reversed; an N-D array becomes the
    2-D (rows, cols*pages) matrix, as :func:`fliplrf`.

    Parameters
    ----------
    x : array_like
        A matrix (a 1-D array is a column).

    Returns
    -------
    y : 2-D array
    """
    x = _matrix(x, "x")
    return x.reshape(x.shape[0], -1, order="F")[::-1].copy()


def whiten(X, fudgefactor) -> np.ndarray:
    """ZCA whitening (util/whiten.m): ``C = cov(X); [V, D] = eig(C);
    P = V * diag(sqrt(1 ./ (diag(D) + fudgefactor))) * V'; X = (X - mean(X)) * P``.

    Parameters
    ----------
    X : (m, n) array
        m observations (rows) of n variables.
    fudgefactor : float
        Added to the eigenvalues before the inverse square root.

    Returns
    -------
    X : (m, n) array
        The centred data times the whitening matrix P (symmetric; P does not depend on the
        eigenvectors' signs or order, so ``eigh`` gives MATLAB's P).
    """
    X = validate.finite(X, "X")
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError(f"whiten: X must be an m x n matrix with m >= 2 observations, got "
                         f"shape {X.shape}")
    fudge = validate.scalar(fudgefactor, "fudgefactor")
    C = np.atleast_2d(ops.cov(X))
    M = X.mean(axis=0)
    D, V = np.linalg.eigh(C)
    if (D + fudge <= 0).any():
        raise ValueError("whiten: the covariance's eigenvalues plus fudgefactor must be "
                         "positive")
    P = V @ np.diag(np.sqrt(1.0 / (D + fudge))) @ V.T
    return (X - M) @ P


def im2patches(im, m, n, fix_swap: bool = False) -> np.ndarray:
    """Cut an image into non-overlapping patches, one per row (util/im2patches.m).

    The original steps over the rows by m and the columns by n but cuts ``im(i:i+n-1,
    u:u+m-1)``: n rows and m columns (m and n swapped). That is reproduced by default; for
    m != n the patches overlap or run past the image, where MATLAB stops with an index error
    (raised here as ValueError). ``fix_swap=True`` cuts m x n patches ``im(i:i+m-1,
    u:u+n-1)``.

    Parameters
    ----------
    im : (rows, cols) array
        rows divisible by m, cols by n (the original's asserts).
    m, n : int
        The steps down the rows and across the columns.
    fix_swap : bool, default False
        Cut m x n patches instead of the original's n x m.

    Returns
    -------
    patches : (number of patches, m*n) array
        One patch per row, unrolled column-major; patches in the order (row step, then
        column step), the column step fastest.
    """
    im = _matrix(im, "im")
    if im.ndim != 2:
        raise ValueError(f"im2patches: im must be a 2-D image, got shape {im.shape}")
    m = validate.positive_int(m, "m")
    n = validate.positive_int(n, "n")
    if im.shape[0] % m:
        raise ValueError(f"im2patches: assert (rem (size (im, 1), m) == 0) failed "
                         f"({im.shape[0]} rows, m = {m})")
    if im.shape[1] % n:
        raise ValueError(f"im2patches: assert (rem (size (im, 2), n) == 0) failed "
                         f"({im.shape[1]} columns, n = {n})")
    rows, cols = (m, n) if fix_swap else (n, m)
    patches = []
    for i in range(0, im.shape[0], m):
        for u in range(0, im.shape[1], n):
            if i + rows > im.shape[0] or u + cols > im.shape[1]:
                where = f"({i + rows},_)" if i + rows > im.shape[0] else f"(_,{u + cols})"
                bound = im.shape[0] if i + rows > im.shape[0] else im.shape[1]
                raise ValueError(
                    f"im2patches: im{where}: out of bound {bound} (dimensions are "
                    f"{im.shape[0]}x{im.shape[1]}); the original cuts n x m patches (m and n "
                    "swapped), fix_swap=True cuts m x n")
            patches.append(im[i:i + rows, u:u + cols].ravel(order="F"))
    return np.array(patches).reshape(len(patches), rows * cols)


def patches2im(patches, n, m, use_sizes: bool = False) -> np.ndarray:
    """Tile patches (one per column) into an image (util/patches2im.m).

    The original ignores its arguments' sizes: it tiles 10 x 10 patches over rows 1..1140
    and columns 1..800 (``for i=1:10:800, for u=1:10:1140``), the row index fastest, into
    ``zeros(n, m)``, which MATLAB grows to at least 1140 x 800; it needs 9,120 patches of
    100 pixels. That is reproduced by default. ``use_sizes=True`` takes the patch side p
    from size(patches, 1) (a square number) and tiles the n x m image (n and m multiples of
    p), in the same order.

    Parameters
    ----------
    patches : (p*p, number of patches) array
        Patches unrolled column-major, one per column.
    n, m : int
        The image's rows and columns.
    use_sizes : bool, default False
        Use p, n and m instead of the hard-coded 10, 1140 and 800.

    Returns
    -------
    im : 2-D array
        (max(n, 1140), max(m, 800)) by default, (n, m) with ``use_sizes``.
    """
    patches = _matrix(patches, "patches")
    if patches.ndim != 2:
        raise ValueError(f"patches2im: patches must be a 2-D matrix, got shape {patches.shape}")
    n = validate.positive_int(n, "n")
    m = validate.positive_int(m, "m")
    if use_sizes:
        p = math.isqrt(patches.shape[0])
        if p * p != patches.shape[0] or p == 0:
            raise ValueError(f"patches2im: size(patches, 1) = {patches.shape[0]} is not a "
                             "square number of pixels")
        if n % p or m % p:
            raise ValueError(f"patches2im: n = {n} and m = {m} must be multiples of the "
                             f"patch side {p}")
        rows, cols = n, m
    else:
        p, rows, cols = 10, 1140, 800
        if patches.shape[0] != 100:
            raise ValueError(f"patches2im: the original reshapes each patch to 10 x 10 "
                             f"(100 pixels), got {patches.shape[0]}; use_sizes=True takes "
                             "the size from the patches")
    need = (rows // p) * (cols // p)
    if patches.shape[1] < need:
        raise ValueError(f"patches2im: index (_,{patches.shape[1] + 1}): out of bound "
                         f"{patches.shape[1]} (the image needs {need} patches)")
    im = np.zeros((max(n, rows), max(m, cols)))
    k = 0
    for i in range(0, cols, p):
        for u in range(0, rows, p):
            im[u:u + p, i:i + p] = patches[:, k].reshape(p, p, order="F")
            k += 1
    return im


def visualize(X, mm=None, s1=0, s2=0) -> np.ndarray:
    """Tile the columns of X as images (util/visualize.m, from RBMLIB).

    Called with an output, the original returns the tiled image; without one it draws it
    with ``imagesc(a, [mm(1) mm(2)])``, gray. Here the image is returned; exercises/
    caeexamples.py draws it (``imshow`` with that range, gray) into a PNG.

    Parameters
    ----------
    X : (D, N) array
        N images of D pixels, one per column.
    mm : [lo, hi], optional
        The colour range; the background is hi. Default ``[min(X(:)) max(X(:))]``.
    s1, s2 : int, optional
        Image width and height (both nonzero to use them); by default, when D is a square
        number, s1 = s2 = sqrt(D). Each column is reshaped to s1 x s2 and transposed.

    Returns
    -------
    a : 2-D array
        ``num*s2 + num - 1`` by ``num*s1 + num - 1`` tiles (num = ceil(sqrt(N))) with a
        one-pixel gap, filled down the tile rows first; X itself when D is not square and
        no sizes are given (the original's "there is not much we can do").
    """
    X = _matrix(X, "X")
    if X.ndim != 2:
        raise ValueError(f"visualize: X must be a D x N matrix, got shape {X.shape}")
    if mm is None:
        mm = [X.min(), X.max()] if X.size else [0.0, 0.0]
    mm = validate.vector(mm, "mm", 2)
    s1 = int(validate.scalar(s1, "s1"))
    s2 = int(validate.scalar(s2, "s2"))
    D, N = X.shape
    s = math.sqrt(D)
    if not (s == math.floor(s) or (s1 != 0 and s2 != 0)):
        return X.copy()
    if s1 == 0 or s2 == 0:
        s1 = s2 = int(s)
    if s1 * s2 != D:
        raise ValueError(f"visualize: s1 * s2 = {s1 * s2} must equal size(X, 1) = {D}")
    num = math.ceil(math.sqrt(N))
    a = mm[1] * np.ones((num * s2 + num - 1, num * s1 + num - 1))
    x = y = 0
    for i in range(N):
        im = X[:, i].reshape(s1, s2, order="F").T
        a[x * s2 + x:x * s2 + s2 + x, y * s1 + y:y * s1 + s1 + y] = im
        x += 1
        if x >= num:
            x = 0
            y += 1
    return a


def allcomb(*args) -> np.ndarray:
    """All combinations of the elements of the arguments (util/allcomb.m, Jos van der
    Geest's v2.1): the cartesian product as a P x N matrix, the last argument changing
    fastest; with a trailing 'matlab' (or 'john') argument the first changes fastest.

    Parameters
    ----------
    *args : array_like of float, and optionally the string 'matlab'
        Each argument's elements in column-major order.

    Returns
    -------
    A : (P, N) array
        P = the product of the arguments' sizes; an empty argument gives a 0 x nargin matrix
        and a warning, as the original.
    """
    if not args:
        raise ValueError("allcomb: not enough input arguments")
    nargin = len(args)
    q = [not (isinstance(a, str) and a == "") and np.size(a) > 0 for a in args]
    if not all(q):
        warnings.warn("Empty inputs result in an empty output.", stacklevel=2)
        return np.zeros((0, nargin))
    last = args[-1]
    first_fastest = isinstance(last, str) and last.lower() in ("matlab", "john")
    if first_fastest:
        args = args[:-1]
    if not args:
        return np.zeros((0, 0))
    for a in args:
        if isinstance(a, str) or np.asarray(a).dtype.kind not in "f":
            raise ValueError("All arguments should be arrays of doubles")
    vecs = [np.asarray(a, dtype=np.float64).ravel(order="F") for a in args]
    if len(vecs) == 1:
        return vecs[0].reshape(-1, 1)
    grids = np.meshgrid(*vecs, indexing="ij")
    order = "F" if first_fastest else "C"
    return np.stack([g.ravel(order=order) for g in grids], axis=1)


def randp(P, *dims) -> np.ndarray:
    """Random integers 1..numel(P) with relative probabilities P (util/randp.m, Jos van der
    Geest's v2.0): ``X = rand(dims...)`` then ``[junk, X] = histc(X, [0; cumsum(P(:))] ./
    sum(P))``.

    Parameters
    ----------
    P : array_like
        Relative probabilities, all >= 0.
    *dims : int or sequence of int
        The size, as :func:`ufldl_py.matlab.random.rand` takes it (``randp(P, n)`` is n x n).

    Returns
    -------
    X : array of float
        Bin indices (MATLAB doubles); all zero, with a warning, when P is empty or sums to 0.
    """
    if not dims:
        raise ValueError("randp: not enough input arguments (give a size, as for rand)")
    X = mrandom.rand(*dims)
    P = validate.array(P, "P").ravel(order="F")
    if (P < 0).any():
        raise ValueError("All probabilities should be 0 or larger.")
    if P.size == 0 or P.sum() == 0:
        warnings.warn("randp:ZeroProbabilities All zero probabilities", stacklevel=2)
        return np.zeros_like(np.asarray(X, dtype=np.float64))
    edges = np.concatenate([[0.0], np.cumsum(P)]) / P.sum()
    _, idx = ops.histc(X, edges)
    return idx if np.ndim(X) else float(idx)


def randcorr(n, R) -> np.ndarray:
    """n random vectors with uniform marginals and correlation matrix R (util/randcorr.m):
    ``normcdf(randn(n, k) * chol(2*sin(pi/6*R)))``, k = size(R, 1).

    Parameters
    ----------
    n : int
        Number of variates.
    R : (k, k) array
        The correlation matrix (2*sin(pi/6*R) must be positive definite).

    Returns
    -------
    x : (n, k) array
    """
    n = validate.positive_int(n, "n")
    R = _matrix(R, "R")
    if R.ndim != 2 or R.shape[0] != R.shape[1]:
        raise ValueError(f"randcorr: R must be a square k x k matrix, got shape {R.shape}")
    k = R.shape[0]
    R = 2 * np.sin((np.pi / 6) * R)
    Rc = ops.chol(R)
    return ops.normcdf(np.asarray(mrandom.randn(n, k)).reshape(n, k) @ Rc)


def _lm_gauss1d(sigma, mean, x, ord_):
    x = x - mean
    num = x * x
    variance = sigma ** 2
    denom = 2 * variance
    g = np.exp(-num / denom) / (np.pi * denom) ** 0.5
    if ord_ == 1:
        g = -g * (x / variance)
    elif ord_ == 2:
        g = g * ((num - variance) / (variance ** 2))
    return g


def _lm_normalise(f):
    f = f - f.ravel(order="F").mean()
    return f / np.abs(f).sum()


def _lm_makefilter(scale, phasex, phasey, pts, sup):
    gx = _lm_gauss1d(3 * scale, 0, pts[0], phasex)
    gy = _lm_gauss1d(scale, 0, pts[1], phasey)
    return _lm_normalise((gx * gy).reshape(sup, sup, order="F"))


def makeLMfilters() -> np.ndarray:
    """The Leung-Malik filter bank (util/makeLMfilters.m): 48 filters of 49 x 49.

    First and second derivatives of anisotropic Gaussians at 3 scales and 6 orientations
    (filters 1-18 and 19-36), then 4 Gaussians and 8 Laplacians of Gaussian (Octave's
    ``fspecial('gaussian'|'log', 49, sigma)``), each shifted to mean 0 and scaled to
    sum(abs) = 1.

    Returns
    -------
    F : (49, 49, 48) array
    """
    SUP = 49
    SCALEX = np.sqrt(2) ** np.arange(1, 4)
    NORIENT = 6
    NROTINV = 12
    NBAR = len(SCALEX) * NORIENT
    NEDGE = len(SCALEX) * NORIENT
    NF = NBAR + NEDGE + NROTINV
    F = np.zeros((SUP, SUP, NF))
    hsup = (SUP - 1) // 2
    x, y = np.meshgrid(np.arange(-hsup, hsup + 1.0), np.arange(hsup, -hsup - 1.0, -1.0))
    orgpts = np.stack([x.ravel(order="F"), y.ravel(order="F")])
    count = 0
    for scale in range(len(SCALEX)):
        for orient in range(NORIENT):
            angle = np.pi * orient / NORIENT
            c, s = np.cos(angle), np.sin(angle)
            rotpts = np.array([[c, -s], [s, c]]) @ orgpts
            F[:, :, count] = _lm_makefilter(SCALEX[scale], 0, 1, rotpts, SUP)
            F[:, :, count + NEDGE] = _lm_makefilter(SCALEX[scale], 0, 2, rotpts, SUP)
            count += 1
    count = NBAR + NEDGE
    SCALES = np.sqrt(2) ** np.arange(1, 5)
    for sc in SCALES:
        F[:, :, count] = _lm_normalise(ops.fspecial("gaussian", SUP, sc))
        F[:, :, count + 1] = _lm_normalise(ops.fspecial("log", SUP, sc))
        F[:, :, count + 2] = _lm_normalise(ops.fspecial("log", SUP, 3 * sc))
        count += 3
    return F
