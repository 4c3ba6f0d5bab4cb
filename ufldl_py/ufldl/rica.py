"""The RICA chapter (stanford_dl_ex/rica): reconstruction ICA with a soft L1 penalty.

runSoftICA.m samples 9x9 patches of the digits (common/samplePatches), ZCA-whitens them
(zca2), scales each patch to unit length, and learns the rows of W by minimising
softICACost with minFunc's L-BFGS, drawing the bases every two iterations (showBases as
minFunc's outputFcn). The script is ``exercises/runSoftICA.py``.

The YOUR CODE HERE parts are completed with the tutorial's formulas (the completion the
golden fixtures were made with, run in Octave):

- zca2, epsilon = 1e-4: ``x = x - mean(x, 1)`` (each patch's mean); ``sigma = x * x' / m;
  [U, S] = svd(sigma); V = U * diag(1 ./ sqrt(diag(S) + epsilon)) * U'; Z = V * x``; the
  outputs ``[Z, V, E, D]`` with ``E = U`` and ``D = S`` (preprocess.m asks for four,
  stlExercise.m uses V; the template declares only Z);
- softICACost, with W projected by l2rowscaled: ``cost = (lambda * sum(sqrt((W*x).^2 +
  epsilon)) + 1/2 * ||W'*W*x - x||_F^2) / m`` and its exact gradient ``Wgrad = (lambda *
  ((W*x) ./ sqrt((W*x).^2 + epsilon)) * x' + W*R*x' + (W*x)*R') / m``, ``R = W'*W*x - x``,
  unprojected by l2rowscaledg.

Where the MATLAB reads ``global params`` (showBases), the port takes ``params`` as a trailing
argument, a dict with the same fields (numFeatures, n, lambda, epsilon, ...).

zca2 and softICACost_loop mark the templates' gaps for student mode (``ufldl-py exercise
start rica``) with ``# --- YOUR CODE HERE ---`` ... ``# --- END ---`` comments, and the
student's lines in place of the next one with ``# template:`` (:mod:`ufldl_py.student`).
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .. import kernels
from ..matlab import validate

__all__ = ["bsxfunwrap", "l2rowscaled", "l2rowscaledg", "removeDC", "zca2", "preprocess",
           "softICACost", "showBases", "softICACost_loop", "ZCA_EPSILON", "NORMEPS"]

ZCA_EPSILON = 1e-4  # zca2.m
NORMEPS = 1e-5  # l2rowscaled.m, l2rowscaledg.m
GRAM_MIN = 1e-2  # softICACost: the Gram form where ||R||^2 >= GRAM_MIN * ||x||^2
ICA_BLOCK = 2048  # patches per block of softICACost (cut by size: the same bits at any threads)


def _matrix(x, name) -> np.ndarray:
    x = validate.finite(x, name)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2:
        raise ValueError(f"{name} must be a matrix, got shape {x.shape}")
    return x


# --------------------------------------------------------------------------- helpers


def bsxfunwrap(func, a, b) -> np.ndarray:
    """``bsxfun(func, a, b)``: func applied with singleton dimensions expanded
    (rica/bsxfunwrap.m; its ``global usegpu`` branch, repmat then func, computes the same).

    Parameters
    ----------
    func : callable
        An element-wise function of two arrays (``np.divide`` for ``@rdivide``,
        ``np.multiply`` for ``@times``, ...).
    a, b : ndarray
        Matrices whose sizes agree in each dimension or are 1 there.

    Returns
    -------
    c : ndarray
        ``func(a, b)``, of the expanded size.
    """
    a = validate.array(a, "a")
    b = validate.array(b, "b")
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError("bsxfunwrap singleton dimensions dont agree: "
                         f"{a.shape} and {b.shape}") from None
    return func(a, b)


def l2rowscaled(x, alpha) -> np.ndarray:
    """Scale each row to length alpha (rica/l2rowscaled.m).

    ``y = x ./ (sqrt(sum(x.^2, 2) + normeps) * alpha)``, ``normeps = 1e-5``.

    Parameters
    ----------
    x : ndarray (k, n)
    alpha : float

    Returns
    -------
    y : ndarray (k, n)
    """
    x = _matrix(x, "x")
    alpha = validate.scalar(alpha, "alpha")
    epssumsq = np.sum(x ** 2, axis=1, keepdims=True) + NORMEPS
    l2rows = np.sqrt(epssumsq) * alpha
    return x / l2rows


def l2rowscaledg(x, y, outderv, alpha) -> np.ndarray:
    """The gradient through l2rowscaled (rica/l2rowscaledg.m).

    ``grad = outderv ./ l2rows - y .* (sum(outderv .* x, 2) ./ epssumsq)``, ``epssumsq =
    sum(x.^2, 2) + 1e-5``, ``l2rows = sqrt(epssumsq) * alpha``.

    Parameters
    ----------
    x : ndarray (k, n)
        The unprojected weights.
    y : ndarray (k, n) or None
        ``l2rowscaled(x, alpha)``; computed when None (MATLAB's empty ``[]``).
    outderv : ndarray (k, n)
        The gradient with respect to y; required.
    alpha : float

    Returns
    -------
    grad : ndarray (k, n)
        The gradient with respect to x.
    """
    if outderv is None or np.size(outderv) == 0:
        raise ValueError("Requires outderv of previous layer to compute gradient!")
    x = _matrix(x, "x")
    outderv = _matrix(outderv, "outderv")
    alpha = validate.scalar(alpha, "alpha")
    if outderv.shape != x.shape:
        raise ValueError(f"outderv must be shaped as x {x.shape}, got {outderv.shape}")
    epssumsq = np.sum(x ** 2, axis=1, keepdims=True) + NORMEPS
    l2rows = np.sqrt(epssumsq) * alpha
    if y is None or np.size(y) == 0:
        y = x / l2rows
    else:
        y = _matrix(y, "y")
        if y.shape != x.shape:
            raise ValueError(f"y must be shaped as x {x.shape}, got {y.shape}")
    return outderv / l2rows - y * (np.sum(outderv * x, axis=1, keepdims=True) / epssumsq)


def removeDC(X, dim=1):
    """Subtract the mean along dimension dim (rica/removeDC.m).

    Parameters
    ----------
    X : ndarray (n, m)
        One vectorised patch per column.
    dim : int
        1 (default): each column's mean (each patch's DC component); 2: each row's.

    Returns
    -------
    Y : ndarray (n, m)
        ``X - mean(X, dim)``.
    meanX : ndarray (m,) or (n,)
        ``mean(X, dim)``, a MATLAB vector as a 1-D array.
    """
    X = _matrix(X, "X")
    dim = validate.positive_int(dim, "dim")
    if dim not in (1, 2):
        raise ValueError(f"dim must be 1 or 2, got {dim}")
    meanX = X.mean(axis=dim - 1, keepdims=True)
    return X - meanX, meanX.ravel()


def zca2(x):
    """ZCA whitening, all components kept (rica/zca2.m, completed).

    ``epsilon = 1e-4; x = x - mean(x, 1); sigma = x * x' / m; [U, S] = svd(sigma);
    V = U * diag(1 ./ sqrt(diag(S) + epsilon)) * U'; Z = V * x`` (the template's
    ``Z = U * diag(1 ./ sqrt(diag(S) + epsilon)) * U' * x``, which MATLAB evaluates left to
    right).

    The template declares ``[Z] = zca2(x)``, but preprocess.m calls ``[patches, V, E, D] =
    zca2(patches)`` and stlExercise.m needs V: the completion returns the four outputs,
    ``E = U`` and ``D = S``. The port always returns them (take ``zca2(x)[0]`` for Z).

    Parameters
    ----------
    x : ndarray (n, m)
        One patch per column.

    Returns
    -------
    Z : ndarray (n, m)
        The whitened patches.
    V : ndarray (n, n)
        The whitening matrix (symmetric; Z = V * (x - mean(x, 1))).
    E : ndarray (n, n)
        U, the eigenvectors of sigma (their signs as LAPACK's gesvd returns them).
    D : ndarray (n, n)
        S, the eigenvalues on the diagonal.
    """
    # template: x = np.asarray(x, dtype=np.float64)
    x = _matrix(x, "x")
    if x.shape[1] < 1:
        raise ValueError("x holds no patches")
    # template: epsilon = 1e-4
    epsilon = ZCA_EPSILON
    # --- YOUR CODE HERE: zca2/zca ---
    x = x - x.mean(axis=0)
    sigma = x @ x.T / x.shape[1]
    U, s, _ = scipy.linalg.svd(sigma, lapack_driver="gesvd")
    V = (U * (1.0 / np.sqrt(s + epsilon))) @ U.T
    Z = V @ x
    # --- END ---
    return Z, V, U, np.diag(s)


def preprocess(patches):
    """ZCA-whiten the patches (rica/preprocess.m).

    The original's removeDC line is commented out, so ``mean_patch = []``; then
    ``[patches, V, E, D] = zca2(patches)``.

    Parameters
    ----------
    patches : ndarray (n, m)
        One patch per column.

    Returns
    -------
    patches : ndarray (n, m)
        The whitened patches.
    mean_patch : ndarray (0, 0)
        MATLAB's ``[]``.
    V : ndarray (n, n)
        zca2's whitening matrix.
    """
    patches, V, _, _ = zca2(patches)
    return patches, np.zeros((0, 0)), V


# --------------------------------------------------------------------------- the cost


def _params(params, *fields):
    if not isinstance(params, dict):
        raise TypeError(f"params must be a dict (MATLAB's params struct), got "
                        f"{type(params).__name__}")
    missing = [f for f in fields if f not in params]
    if missing:
        raise ValueError(f"params lacks the field(s) {', '.join(missing)}")
    return params


def _unpack(theta, x, params):
    _params(params, "numFeatures", "n", "lambda", "epsilon")
    k = validate.positive_int(params["numFeatures"], "params.numFeatures")
    n = validate.positive_int(params["n"], "params.n")
    theta = validate.finite(validate.vector(theta, "theta"), "theta")
    if theta.size != k * n:
        raise ValueError(f"theta must hold numFeatures * n = {k} * {n} = {k * n} weights, "
                         f"got {theta.size}")
    x = _matrix(x, "x")
    if x.shape[0] != n:
        raise ValueError(f"x must be n x m = {n} x m, got shape {x.shape}")
    # unpack weight matrix
    W = theta.reshape(k, n, order="F")
    return W, x, validate.scalar(params["lambda"], "params.lambda"), \
        validate.scalar(params["epsilon"], "params.epsilon")


@kernels.deterministic
def softICACost(theta, x, params):
    """RICA's cost and gradient (rica/softICACost.m, completed).

    With ``W = l2rowscaled(reshape(theta, numFeatures, n), 1)`` and ``R = W'*W*x - x``::

        cost  = (lambda * sum(sqrt((W*x).^2 + epsilon)) + 1/2 * ||R||_F^2) / m
        Wgrad = (lambda * ((W*x) ./ sqrt((W*x).^2 + epsilon)) * x' + W*R*x' + (W*x)*R') / m
        grad  = l2rowscaledg(Wold, W, Wgrad, 1)(:)

    The fast form computes the reconstruction term from the Gram matrix C = x*x' (one
    symmetric product over the m patches): with M = W'*W - I (symmetric), ``||R||_F^2 =
    trace(M*C*M) = sum(sum((M*C) .* M))`` and ``W*R*x' + (W*x)*R' = W * (M*C + C*M)``; only
    W*x and the sparsity term's product with x' run over the patches besides C. Its rounding
    error is relative to ||x||_F^2 rather than to ||R||_F^2, so where W reconstructs x
    closely (``||R||_F^2 < 0.01 ||x||_F^2``, GRAM_MIN; an overcomplete W can) R is computed
    directly instead, as the completion does. :func:`softICACost_loop` is the completion
    line by line, and the tests hold this form to it. The patches run in blocks of
    ICA_BLOCK on ``$UFLDL_PY_THREADS`` threads, their sums added in block order.

    Parameters
    ----------
    theta : ndarray (numFeatures*n,)
        W(:), W of numFeatures x n.
    x : ndarray (n, m)
        The (whitened, normalised) patches.
    params : dict
        numFeatures, n, lambda (sparsity cost), epsilon (of the square-root nonlinearity),
        as runSoftICA.m's params struct.

    Returns
    -------
    cost : float
    grad : ndarray (numFeatures*n,)
    """
    Wold, x, lam, eps = _unpack(theta, x, params)
    # project weights to norm ball (prevents degenerate bases)
    W = l2rowscaled(Wold, 1)
    m = x.shape[1]
    parts = kernels.blocks(m, ICA_BLOCK)

    def gram(s: slice):  # W*x and x*x' of the patches in s
        xs = x[:, s]
        return W @ xs, xs @ xs.T

    first = kernels.map_blocks(gram, parts)
    # the reconstruction term from the Gram matrix C = x*x', M = W'*W - I
    C = sum(c for _, c in first)  # in block order
    M = W.T @ W
    M[np.diag_indices_from(M)] -= 1.0
    MC = M @ C
    recon = float(np.sum(MC * M))  # ||R||_F^2 = trace(M*C*M)
    direct = recon < GRAM_MIN * float(np.trace(C))  # R small against x: R directly

    def rest(i: int):  # the sparsity term's sums, and R's where it is computed directly
        xs, Wx = x[:, parts[i]], first[i][0]
        out = ()
        if direct:
            R = W.T @ Wx - xs
            out = (float(np.sum(R * R)), R @ xs.T, Wx @ R.T)
        sq = np.square(Wx)
        sq += eps
        np.sqrt(sq, out=sq)
        l1 = float(sq.sum())
        Wx /= sq  # (W*x) ./ sqrt((W*x).^2 + epsilon), in W*x's memory
        return (l1, Wx @ xs.T) + out

    second = kernels.map_blocks(rest, range(len(parts)))
    if direct:
        recon = sum(r[2] for r in second)
        Rgrad = W @ sum(r[3] for r in second) + sum(r[4] for r in second)
    else:
        Rgrad = W @ (MC + MC.T)  # W*R*x' + (W*x)*R'
    cost = (lam * sum(r[0] for r in second) + 0.5 * recon) / m
    Wgrad = (lam * sum(r[1] for r in second) + Rgrad) / m
    # unproject gradient for minFunc
    grad = l2rowscaledg(Wold, W, Wgrad, 1)
    return cost, grad.ravel(order="F")


def softICACost_loop(theta, x, params):
    """rica/softICACost.m as completed, line by line (``R = W'*W*x - x`` and the three products
    over the patches). The reference that the tests hold :func:`softICACost` to; same
    arguments and outputs.

    Parameters
    ----------
    theta : ndarray (numFeatures*n,)
        W(:), W of numFeatures x n.
    x : ndarray (n, m)
        The (whitened, normalised) patches.
    params : dict
        numFeatures, n, lambda (sparsity cost), epsilon (of the square-root nonlinearity),
        as runSoftICA.m's params struct.

    Returns
    -------
    cost : float
    grad : ndarray (numFeatures*n,)
    """
    # unpack weight matrix
    # template: W = np.reshape(theta, (int(params["numFeatures"]), int(params["n"])), order="F")
    # template: x = np.asarray(x, dtype=np.float64)
    # template: lam, eps = params["lambda"], params["epsilon"]
    W, x, lam, eps = _unpack(theta, x, params)

    # project weights to norm ball (prevents degenerate bases)
    Wold = W
    W = l2rowscaled(W, 1)

    # --- YOUR CODE HERE: softICACost/cost_grad ---
    m = x.shape[1]
    Wx = W @ x
    sq = np.sqrt(Wx ** 2 + eps)
    R = W.T @ W @ x - x
    cost = (lam * np.sum(sq) + 1 / 2 * np.sum(R ** 2)) / m
    Wgrad = (lam * (Wx / sq) @ x.T + W @ R @ x.T + Wx @ R.T) / m
    # --- END ---

    # unproject gradient for minFunc
    grad = l2rowscaledg(Wold, W, Wgrad, 1)
    grad = grad.ravel(order="F")
    return cost, grad


# --------------------------------------------------------------------------- outputFcn


def showBases(theta, iterationType, i, funEvals, f, t, gtd, g, d, optCond, *varargin,
              params, name: str = "showBases", every: int = 2):
    """minFunc's outputFcn of runSoftICA.m: draw the bases every two iterations
    (rica/showBases.m).

    When ``mod(i, 2) == 0``: ``W = reshape(theta, params.numFeatures, params.n);
    display_network(W')``. The MATLAB redraws one figure window; the port saves the figure
    as ``<figures dir>/<name>.png``, overwritten each time. Returns 0 (never stops minFunc).

    Parameters
    ----------
    theta, iterationType, i, funEvals, f, t, gtd, g, d, optCond, *varargin
        minFunc's outputFcn arguments: ``outputFcn(x, 'init'|'iter'|'done', i, funEvals, f,
        t, gtd, g, d, optCond, varargin{:})``.
    params : dict
        numFeatures and n (MATLAB's ``global params``; a trailing keyword argument here:
        ``options['outputFcn'] = functools.partial(showBases, params=params)``).
    name : str
        The figure's file name (Python only).
    every : int
        Draw when ``mod(i, every) == 0`` (Python only; the original's 2).

    Returns
    -------
    out : int
        0.
    """
    from ..plot import display_network, savefig

    _params(params, "numFeatures", "n")
    if int(i) % int(every) == 0:
        W = np.asarray(theta, dtype=np.float64).reshape(int(params["numFeatures"]),
                                                         int(params["n"]), order="F")
        fig, _ = display_network(W.T)
        fig.axes[0].set_title(f"bases at iteration {int(i)} ({iterationType})")
        savefig(fig, name)
    return 0
