"""The fast forms' machinery: im2col, the convolution products, mean pooling, the sigmoid,
and the block-parallel map that runs a batch's image blocks on every core.

The ports (``ufldl_py.ufldl.*``, ``ufldl_py.dlt.*``) read like their .m files and call these
named kernels for speed, as CS231n keeps layers.py apart from fast_layers.py and im2col.py.
Nothing here knows a network; every function works on plain stacked arrays.

Layouts. A stack of maps is one (maps, rows, cols, n) array: map-major, batch last, so that
a map ``a{j}`` of MATLAB's (rows, cols, n) is the view ``A[j]``. A convolution of such a
stack with kernels K (inputmaps I, outputmaps J, k, k) is one matrix product
``conv_matrix(K) @ im2col(A, k)``.

Threads. numpy releases the GIL in BLAS calls and ufuncs, so threads over blocks of images
use all cores for the whole computation (patch copies and element-wise work included), not
only for the matrix products. While blocks run in parallel, BLAS is held to one thread per
block, so that threads do not oversubscribe the cores; code that runs outside
:func:`map_blocks` can hold BLAS to one thread with :func:`single_threaded_blas`.
``$UFLDL_PY_THREADS`` sets the number of threads (default: the number of cores).
"""

from __future__ import annotations

import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from threadpoolctl import ThreadpoolController

__all__ = ["workers", "map_blocks", "single_threaded_blas", "blocks", "sigmoid", "mean_pool",
           "im2col", "conv_matrix", "conv_full_adjoint", "sparse_autoencoder"]

T = TypeVar("T")
R = TypeVar("R")

# --------------------------------------------------------------------------- threads

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_controller: ThreadpoolController | None = None


def workers() -> int:
    """Threads used: ``$UFLDL_PY_THREADS`` if set, else the number of cores."""
    return max(1, int(os.environ.get("UFLDL_PY_THREADS") or os.cpu_count() or 1))


def _blas_controller() -> ThreadpoolController:
    global _controller
    with _lock:
        if _controller is None:
            _controller = ThreadpoolController()
        return _controller


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Hold BLAS to one thread inside the block (small products lose time to BLAS threads)."""
    with _blas_controller().limit(limits=1, user_api="blas"):
        yield


def map_blocks(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[fn(item) for item in items]``, computed on all cores with BLAS at one thread per
    block; results in input order. Runs in the calling thread when one thread is asked for,
    when there is one item, or when called from inside another block."""
    global _pool
    items = list(items)
    n = workers()
    if n == 1 or len(items) < 2 or threading.current_thread() is not threading.main_thread():
        return [fn(item) for item in items]
    with _lock:
        if _pool is None or _pool._max_workers != n:  # noqa: SLF001 (resized by the env var)
            _pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="ufldl_py")
        pool = _pool
    with single_threaded_blas():
        return list(pool.map(fn, items))


def blocks(n: int, size: int) -> list[slice]:
    """``n`` items cut into consecutive slices of at most ``size``."""
    return [slice(s, min(s + size, n)) for s in range(0, n, size)]


# --------------------------------------------------------------------------- element-wise


def sigmoid(z: np.ndarray, b: np.ndarray | float = 0.0, out: np.ndarray | None = None
            ) -> np.ndarray:
    """The logistic function ``1 ./ (1 + exp(-(z + b)))``, element-wise, with the same
    rounding as that MATLAB expression (``-(z + b)`` is computed as ``-b - z``, which is
    exact). ``out=z`` computes it in z's memory."""
    z = np.asarray(z, dtype=np.float64)
    if out is None:
        out = np.empty_like(z)
    np.subtract(np.negative(b), z, out=out)
    np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


def mean_pool(a: np.ndarray, s: int) -> np.ndarray:
    """The mean of each s x s block over axes 1 and 2 of a 4-D array (m, rows, cols, k), as
    an (m, rows/s, cols/s, k) array: s^2 strided adds, then one scaling. Both originals pool
    with a 'valid' convolution by ``ones(s) / s^2`` sampled every s pixels (cnnPool.m with
    conv2, cnnff.m with convn); for sides that s divides, that is this mean."""
    m, r, c, k = a.shape
    blocks_ = a.reshape(m, r // s, s, c // s, s, k)
    out = blocks_[:, :, 0, :, 0].copy()
    for u in range(s):
        for v in range(s):
            if u or v:
                out += blocks_[:, :, u, :, v]
    out *= 1.0 / s ** 2
    return out


# --------------------------------------------------------------------------- convolution


def im2col(A: np.ndarray, k: int) -> np.ndarray:
    """The patch matrix of a stack of maps A (I, r, c, n) for k x k kernels, as an
    (I*k*k, R*C*n) array, R = r - k + 1, C = c - k + 1: row (i, p, q), column (R, C, t)
    holds ``A[i, R + p, C + q, t]`` (0-based). One sliding-window copy."""
    I, r, c, n = A.shape
    R, C = r - k + 1, c - k + 1
    P = np.empty((I, k, k, R, C, n))
    np.copyto(P, sliding_window_view(A, (k, k), axis=(1, 2)).transpose(0, 4, 5, 1, 2, 3))
    return P.reshape(I * k * k, R * C * n)


def conv_matrix(K: np.ndarray) -> np.ndarray:
    """Stacked kernels K (I, J, k, k) as the (J, I*k*k) matrix W of the product
    ``W @ im2col(A, k)``, each kernel rotated by 180 degrees: that product is
    ``sum_i convn(A[i], K[i, j], 'valid')`` for every output map j (a convolution is a
    correlation with the rotated kernel)."""
    I, J, k, _ = K.shape
    return K[:, :, ::-1, ::-1].transpose(1, 0, 2, 3).reshape(J, I * k * k)


BANDED_ROWS_PER_TAP = 5  # see conv_full_adjoint


def conv_full_adjoint(D: np.ndarray, K: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``z{i} = sum_j convn(D[j], rot180(K[i, j]), 'full')`` for stacked deltas D (J, R, C, n)
    of a convolution layer and its kernels K (I, J, k, k): the adjoint of the layer's
    convolution, as (I, rows, cols, n) maps. By banded matrices (:func:`_banded_adjoint`)
    where the maps have up to BANDED_ROWS_PER_TAP rows per kernel row, else patch by patch
    (:func:`_patch_adjoint`); the first is the faster there (measured 0.5 ms against 0.9 ms
    for test_example_CNN's 12 x 12 maps of 50 images), the second for taller maps and small
    kernels, since the banded matrices hold zeros for all but k of every rows."""
    if rows <= BANDED_ROWS_PER_TAP * K.shape[2]:
        return _banded_adjoint(D, K, rows, cols)
    return _patch_adjoint(D, K, rows, cols)


def _patch_adjoint(D: np.ndarray, K: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """conv_full_adjoint as the adjoint of the patch matrix (col2im): the columns W' @ D,
    row (i, p, q) of them added back at offset (p, q)."""
    I, J, k, _ = K.shape
    _, R, C, n = D.shape
    cv = (conv_matrix(K).T @ D.reshape(J, -1)).reshape(I, k, k, R, C, n)
    out = np.zeros((I, rows, cols, n))
    for p in range(k):
        for q in range(k):
            out[:, p:p + R, q:q + C] += cv[:, p, q]
    return out


def _banded_adjoint(D: np.ndarray, K: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """conv_full_adjoint with the sum over kernel rows in one matrix product: T[q]
    ((i, r), (j, R)) holds rot180(K[i, j])[r - R, q] where 0 <= r - R < k (0-based, zero
    elsewhere), so T[q] @ D convolves down the rows; the k products, one per kernel column
    q, are added shifted along the columns."""
    I, J, k, _ = K.shape
    _, R, C, n = D.shape
    T = np.zeros((k, I, rows, J, R))
    band = np.arange(R)
    for p in range(k):  # T[q, i, R + p, j, R] = rot180(K[i, j])(p, q)
        T[:, :, band + p, :, band] = K[:, :, k - 1 - p, ::-1].transpose(2, 0, 1)
    E = (T.reshape(k * I * rows, J * R) @ D.reshape(J * R, C * n)).reshape(k, I, rows, C, n)
    out = np.zeros((I, rows, cols, n))
    for q in range(k):
        out[:, :, q:q + C] += E[q]
    return out


# --------------------------------------------------------------------------- autoencoders

AE_CHUNK = 2048  # examples per block of sparse_autoencoder


def sparse_autoencoder(W1: np.ndarray, W2: np.ndarray, b1: np.ndarray, b2: np.ndarray,
                       X: np.ndarray, rho: float, beta: float, chunk: int | None = None,
                       linear: bool = False):
    """The sums of a sigmoid autoencoder's forward and backward passes with a KL sparsity
    penalty on the hidden units, over the examples X (v, m), in two block-parallel passes.

    Pass 1, per block of examples: ``a2 = f(W1*x + b1)``, ``a3 = f(W2*a2 + b2)``,
    ``delta3 = (a3 - x) .* a3 .* (1 - a3)`` (in place; with ``linear``, the linear decoder's
    ``a3 = W2*a2 + b2`` and ``delta3 = a3 - x``), the squared error, ``sum(a2, 2)``,
    ``delta3 * a2'``, ``sum(delta3, 2)`` and ``W2' * delta3``. Then ``rho_hat = sum(a2, 2)/m``
    and ``s = beta * (-rho./rho_hat + (1-rho)./(1-rho_hat))``. Pass 2, per block:
    ``delta2 = (W2'*delta3 + s) .* a2 .* (1 - a2)`` (in place), ``delta2 * x'`` and
    ``sum(delta2, 2)``. Blocks' sums are added in block order (independent of the threads).

    Returns
    -------
    sq : float
        ``sum((a3 - x).^2)`` over all units and examples.
    rho_hat : ndarray (h,)
    W1sum : ndarray (h, v)
        ``delta2 * X'`` (not divided by m).
    W2sum : ndarray (v, h)
        ``delta3 * a2'``.
    b1sum : ndarray (h,)
    b2sum : ndarray (v,)
    """
    m = X.shape[1]
    parts = blocks(m, chunk or max(256, min(AE_CHUNK, -(-m // workers()))))
    b1c, b2c = b1[:, None], b2[:, None]

    def forward(s: slice):
        x = X[:, s]
        a2 = W1 @ x
        sigmoid(a2, b1c, out=a2)
        a3 = W2 @ a2
        if linear:
            a3 += b2c
            d = np.subtract(a3, x, out=a3)  # delta3
            sq = float(np.vdot(d, d))
        else:
            sigmoid(a3, b2c, out=a3)
            d = np.subtract(a3, x)
            sq = float(np.vdot(d, d))
            d *= a3
            np.subtract(1.0, a3, out=a3)
            d *= a3  # delta3
        return sq, a2.sum(axis=1), d @ a2.T, d.sum(axis=1), W2.T @ d, a2

    first = map_blocks(forward, parts)
    rho_hat = sum(r[1] for r in first) / m
    sparsity = beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat))

    def backward(i: int):
        e, a2 = first[i][4], first[i][5]
        e += sparsity[:, None]
        e *= a2
        np.subtract(1.0, a2, out=a2)
        e *= a2  # delta2
        return e @ X[:, parts[i]].T, e.sum(axis=1)

    second = map_blocks(backward, range(len(parts)))
    return (sum(r[0] for r in first), rho_hat, sum(r[0] for r in second),
            sum(r[2] for r in first), sum(r[1] for r in second), sum(r[3] for r in first))
