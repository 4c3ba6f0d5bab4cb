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
only for the matrix products. Blocks run on a pool of threads (one block or one thread
included) with BLAS held to one thread per block, so that threads do not oversubscribe the
cores and no step slows down when threads are added; code that runs outside
:func:`map_blocks` can hold BLAS to one thread with :func:`single_threaded_blas`, or to the
same number of threads with :func:`blas_threads`.
``$UFLDL_PY_THREADS`` sets the number of threads (default: the number of cores). The blocks
are cut by size, never by the number of threads, so that results do not depend on it.

Cached arrays. :class:`MapViews` and :class:`KernelViews` are the lists of per-map (or
per-kernel) views of one stacked array that a port's fields hold; the maps are read-only and
carry the patch matrices built from them, so that a backward pass gets both back without a
copy and no cache can go stale.
"""

from __future__ import annotations

import contextlib
import functools
import operator
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view
from scipy.linalg.blas import dgemm as _dgemm
from threadpoolctl import ThreadpoolController

from . import config

__all__ = ["workers", "map_blocks", "single_threaded_blas", "deterministic", "blocks", "sigmoid",
           "tanh_opt", "bernoulli", "mean_pool", "sum_pool", "sqrt_pool", "sigmoid_delta_unpooled",
           "im2col", "conv_matrix", "conv_full_adjoint", "MapViews", "KernelViews", "im2col3",
           "pad3", "corr3_taps", "sparse_autoencoder", "gemm_into", "scratch"]

T = TypeVar("T")
R = TypeVar("R")

# --------------------------------------------------------------------------- threads

_lock = threading.Lock()
_pools: dict[int, ThreadPoolExecutor] = {}
_controller: ThreadpoolController | None = None


def workers() -> int:
    """Threads used: ``$UFLDL_PY_THREADS`` if set, else the number of cores."""
    return config.threads()


def _blas_controller() -> ThreadpoolController:
    global _controller
    with _lock:
        if _controller is None:
            _controller = ThreadpoolController()
        return _controller


_blas_lock = threading.Lock()
_blas_depth = 0  # how many single_threaded_blas blocks are open (under _blas_lock)
_blas_limiter = None


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """Hold BLAS to one thread inside the block, whatever limit the caller has set.

    A product's rounding can depend on how BLAS splits it across its threads (OpenBLAS's
    edge micro-kernels round the rows that fall to them differently), so every deterministic
    path computes its products on one BLAS thread and gets its parallelism from
    :func:`map_blocks` instead. Re-entrant: only the outermost block sets and restores the
    limit (about 30 us); the inner ones cost a lock. The limit is process-wide, as BLAS's is.
    """
    global _blas_depth, _blas_limiter
    with _blas_lock:
        if _blas_depth == 0:
            _blas_limiter = _blas_controller().limit(limits=1, user_api="blas")
        _blas_depth += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_depth -= 1
            if _blas_depth == 0:
                _blas_limiter.restore_original_limits()
                _blas_limiter = None


def deterministic(fn: Callable[..., R]) -> Callable[..., R]:
    """Run ``fn`` under :func:`single_threaded_blas`: a port whose products run outside
    :func:`map_blocks` gives the same bits at any ``$UFLDL_PY_THREADS`` and any caller's
    BLAS limit."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with single_threaded_blas():
            return fn(*args, **kwargs)
    return wrapper


def map_blocks(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[fn(item) for item in items]``, the items (blocks of a batch) computed on
    ``workers()`` threads; results in input order.

    Every block runs with BLAS at one thread (:func:`single_threaded_blas`), so that a
    block's numbers do not depend on the thread that computes it nor on how many run beside
    it: with blocks cut by size (:func:`blocks`) and their results combined in input order,
    a port gives the same bits at any thread count. One block, one thread asked for, or a
    call from a thread other than the main thread (a block calling map_blocks) runs in the
    calling thread."""
    items = list(items)
    with single_threaded_blas():
        n = workers()
        if n == 1 or len(items) < 2 or threading.current_thread() is not threading.main_thread():
            return [fn(item) for item in items]
        return list(_thread_pool(n).map(fn, items))


def _thread_pool(n: int) -> ThreadPoolExecutor:
    """The pool of n threads, one for each n that $UFLDL_PY_THREADS has asked for."""
    with _lock:
        pool = _pools.get(n)
        if pool is None:
            pool = _pools[n] = ThreadPoolExecutor(max_workers=n, thread_name_prefix="ufldl_py")
        return pool


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
    with np.errstate(over="ignore"):  # exp(-z) = Inf gives 0, as in MATLAB
        np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


def tanh_opt(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """DeepLearnToolbox's ``1.7159 * tanh(2/3 .* z)``, element-wise, with the same rounding
    as that MATLAB expression (``2/3`` is one constant); ``out=z`` computes it in z's
    memory."""
    out = np.multiply(2 / 3, z, out=out)
    np.tanh(out, out=out)
    out *= 1.7159
    return out


def bernoulli(p: np.ndarray, u: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``double(p > u)``: binary samples with probabilities p from uniform draws u (the
    comparison of DeepLearnToolbox's sigmrnd); ``out=p`` writes them into p."""
    mask = np.greater(p, u)
    if out is None:
        return mask.astype(np.float64)
    np.copyto(out, mask)
    return out


def gemm_into(c: np.ndarray, alpha: float, a: np.ndarray, b: np.ndarray,
              beta: float) -> np.ndarray:
    """``c = alpha * a @ b + beta * c`` in c's memory, as one BLAS dgemm (no product array
    made): a training step's gradient, momentum and update at once. c should be
    Fortran-ordered (the transpose of a C-ordered array); otherwise the result is copied in."""
    if a.ndim != 2 or b.ndim != 2 or c.shape != (a.shape[0], b.shape[1]) \
            or a.shape[1] != b.shape[0]:
        raise ValueError(f"gemm_into: c {c.shape} = a {a.shape} @ b {b.shape} does not fit")
    out = _dgemm(alpha, a, b.T, beta=beta, c=c, trans_b=1, overwrite_c=1)
    if not np.shares_memory(out, c):
        c[...] = out
    return c


def sigmoid_delta_unpooled(a: np.ndarray, d: np.ndarray, s: int) -> np.ndarray:
    """The delta of a sigmoid layer a (m, rows, cols, k) under s x s mean pooling whose delta
    is d (m, rows/s, cols/s, k): ``a .* (1 - a) .* (expand(d, [s s 1]) / s^2)`` (cnnbp.m;
    cnnCost's ``kron(delta, ones(s))``), the expansion a broadcast over the pooling blocks.
    A new contiguous array."""
    m, r, c, k = a.shape
    out = np.subtract(1.0, a)
    out *= a
    out.reshape(m, r // s, s, c // s, s, k)[...] *= (d / s ** 2)[:, :, None, :, None, :]
    return out


def sum_pool(a: np.ndarray, s: int) -> np.ndarray:
    """The sum of each s x s block over axes 1 and 2 of a 4-D array (m, rows, cols, k), as
    an (m, rows/s, cols/s, k) array: s^2 strided adds (rows and cols divisible by s)."""
    m, r, c, k = a.shape
    blocks_ = a.reshape(m, r // s, s, c // s, s, k)
    out = blocks_[:, :, 0, :, 0].copy()
    for u in range(s):
        for v in range(s):
            if u or v:
                out += blocks_[:, :, u, :, v]
    return out


def mean_pool(a: np.ndarray, s: int) -> np.ndarray:
    """The mean of each s x s block over axes 1 and 2 of a 4-D array (m, rows, cols, k), as
    an (m, rows/s, cols/s, k) array: :func:`sum_pool`, then one scaling. Both originals pool
    with a 'valid' convolution by ``ones(s) / s^2`` sampled every s pixels (cnnPool.m with
    conv2, cnnff.m with convn); for sides that s divides, that is this mean."""
    out = sum_pool(a, s)
    out *= 1.0 / s ** 2
    return out


def sqrt_pool(a: np.ndarray, s: int, epsilon: float) -> np.ndarray:
    """RICA's square-square-root pooling over axes 1 and 2 of a 4-D array (m, rows, cols,
    k): ``sqrt(sum of the squares in each s x s block + epsilon)``, (m, rows/s, cols/s, k).
    feedfowardRICA.m computes it as ``sqrt(conv2(resp.^2, ones(s), 'valid') + epsilon)``
    sampled every s pixels. Squares a in place."""
    np.square(a, out=a)
    out = sum_pool(a, s)
    out += epsilon
    return np.sqrt(out, out=out)


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


# --------------------------------------------------------------------------- 3-D convolution
#
# DeepLearnToolbox's CAE convolves (batch, rows, cols) maps with (n, kr, kc) kernels along
# all three dimensions (convn). A stack of such maps is one (maps, d0, d1, d2) array, and
# the kernels from input map i to output map o one (O, I, t0, t1, t2) array.


def im2col3(A: np.ndarray, t: tuple[int, int, int]) -> np.ndarray:
    """The patch matrix of a stack of 3-D maps A (I, d0, d1, d2) for t0 x t1 x t2 windows,
    as an (I*t0*t1*t2, R0*R1*R2) array, R = d - t + 1: row (i, p0, p1, p2), column
    (r0, r1, r2) holds ``A[i, r0 + p0, r1 + p1, r2 + p2]`` (0-based). One sliding-window
    copy."""
    I = A.shape[0]
    t = tuple(t)
    R = tuple(d - k + 1 for d, k in zip(A.shape[1:], t))
    if min(R) < 1:
        raise ValueError(f"im2col3: windows {t} are larger than the maps {A.shape[1:]}")
    P = np.empty((I,) + t + R)
    s = A.strides  # the windows as a view: (i, p0, p1, p2, r0, r1, r2), no copy
    np.copyto(P, as_strided(A, (I,) + t + R, (s[0],) + s[1:] * 2, writeable=False))
    return P.reshape(I * t[0] * t[1] * t[2], R[0] * R[1] * R[2])


def pad3(A: np.ndarray, t: tuple[int, int, int]) -> np.ndarray:
    """A stack (I, d0, d1, d2) padded with t - 1 zeros on both sides of each map dimension:
    a 'valid' correlation of the padded maps is the 'full' one of the maps."""
    I, d0, d1, d2 = A.shape
    t0, t1, t2 = (k - 1 for k in t)
    out = np.zeros((I, d0 + 2 * t0, d1 + 2 * t1, d2 + 2 * t2))
    out[:, t0:t0 + d0, t1:t1 + d1, t2:t2 + d2] = A
    return out


def corr3_taps(A: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``out[o] = sum_i correlate_valid(A[i], W[o, i])`` for maps A (I, d0, d1, d2) and
    kernels W (O, I, t0, t1, t2), as (O, R0, R1, R2): one product ``W_tap @ A`` for all
    taps, then one shifted add per tap. The form for few output maps (the patch matrix of A
    would hold I*t0*t1*t2 rows; this holds t0*t1*t2*O)."""
    O, I, t0, t1, t2 = W.shape
    _, d0, d1, d2 = A.shape
    R0, R1, R2 = d0 - t0 + 1, d1 - t1 + 1, d2 - t2 + 1
    Y = (W.transpose(2, 3, 4, 0, 1).reshape(-1, I) @ A.reshape(I, -1)
         ).reshape(t0, t1, t2, O, d0, d1, d2)
    out = Y[0, 0, 0, :, :R0, :R1, :R2].copy()
    for p0 in range(t0):
        for p1 in range(t1):
            for p2 in range(t2):
                if p0 or p1 or p2:
                    out += Y[p0, p1, p2, :, p0:p0 + R0, p1:p1 + R1, p2:p2 + R2]
    return out


# --------------------------------------------------------------------------- cached arrays


class KernelViews(list):
    """``k{i}{j}`` as a list of lists of the views [i, j] of one stacked (inputmaps,
    outputmaps, kr, kc) array, which it remembers. Copies and pickles are plain lists."""

    def __init__(self, stacked: np.ndarray):
        super().__init__([stacked[i, j] for j in range(stacked.shape[1])]
                         for i in range(stacked.shape[0]))
        self.stacked = stacked
        self._views = [tuple(row) for row in self]

    def __reduce__(self):
        return list, ([list(row) for row in self],)

    def unchanged(self) -> bool:
        """Whether every entry is still the view it was made with (none was replaced)."""
        return len(self) == len(self._views) and all(
            len(row) == len(views) and all(map(operator.is_, row, views))
            for row, views in zip(self, self._views))


class MapViews(list):
    """The list of per-map views ``a{j}`` of one stacked (maps, r, c, n) array, which it
    remembers with the patch matrices built from it (:meth:`patches`). The stacked array is
    read-only: maps are values, as in MATLAB, and an in-place edit raises instead of leaving
    the patches stale; a map replaced in the list (``a[j] = ...``) makes :meth:`unchanged`
    false, and the caller stacks the maps and builds the patches again. Copies and pickles
    are plain lists."""

    def __init__(self, stacked: np.ndarray):
        stacked.flags.writeable = False
        super().__init__(stacked[j] for j in range(stacked.shape[0]))
        self.stacked = stacked
        self._patches: dict[tuple[int, int, int], np.ndarray] = {}
        self._views = tuple(self)

    def __reduce__(self):
        return list, (list(self),)

    def unchanged(self) -> bool:
        """Whether every entry is still the view it was made with (none was replaced)."""
        return len(self) == len(self._views) and all(map(operator.is_, self, self._views))

    def keep(self, key, P: np.ndarray) -> None:
        """Remember an array built from the maps (patches) under ``key``."""
        self._patches[key] = P

    def kept(self, key) -> np.ndarray | None:
        """The array remembered under ``key``, if any."""
        return self._patches.get(key)

    def keep_patches(self, k: int, s: slice, P: np.ndarray) -> None:
        """Remember ``P = im2col(self.stacked[..., s], k)``."""
        self.keep((k, s.start, s.stop), P)

    def patches(self, k: int, s: slice) -> np.ndarray:
        """``im2col(self.stacked[..., s], k)``, the one kept if there is one."""
        P = self.kept((k, s.start, s.stop))
        if P is None:
            P = im2col(self.stacked[..., s], k)
            self.keep_patches(k, s, P)
        return P


# --------------------------------------------------------------------------- autoencoders

SCRATCH_BYTES = 32 * 2 ** 20  # scratch kept per thread at most
_scratch = threading.local()


def scratch(key: str, n: int) -> np.ndarray:
    """An uninitialised float64 vector of n elements that this thread gets back (the same
    memory) on its next call with the same key: the work arrays of a kernel that an
    optimiser calls many times on the same sizes. Kept, they are not handed back to the
    system and faulted in again at every call; a thread keeps SCRATCH_BYTES at most (a
    larger request is made anew each time). Two arrays in use at once need two keys."""
    pool = getattr(_scratch, "pool", None)
    if pool is None:
        pool = _scratch.pool = {}
    buf = pool.get(key)
    if buf is None or buf.size < n:
        pool.pop(key, None)
        buf = np.empty(n)
        if 8 * n + sum(b.nbytes for b in pool.values()) <= SCRATCH_BYTES:
            pool[key] = buf
    return buf[:n]


# Examples per sparse_autoencoder block: as many as keep its largest array near
# AE_BLOCK_BYTES, from AE_BLOCK_MIN to AE_BLOCK_MAX.
AE_BLOCK_BYTES = 2 ** 20
AE_BLOCK_MIN, AE_BLOCK_MAX = 256, 4096


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
    ``sum(delta2, 2)``. The blocks are cut by size alone and their sums added in block
    order, so that the results are the same bits at any thread count. The work arrays are
    :func:`scratch`.

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
    h = W1.shape[0]
    if chunk is None:  # cut by size alone: the same blocks, and bits, at any thread count
        chunk = min(AE_BLOCK_MAX, max(AE_BLOCK_MIN, AE_BLOCK_BYTES // (8 * max(X.shape[0], h + 1))))
    parts = blocks(m, chunk)
    b1c = b1[:, None]
    # the decoder's bias as a last column of its weights, against a row of ones under a2:
    # one product gives W2*a2 + b2 (negated for the sigmoid's exp(-z)), and one gives
    # delta3 * a2' and sum(delta3, 2)
    W2b = np.concatenate([W2, b2[:, None]], axis=1)
    if not linear:
        np.negative(W2b, out=W2b)

    # each block's [a2; ones(1, n)] and W2'*delta3, kept for pass 2, in two arrays of the
    # call; a3 and delta3 in each thread's own (kernels.scratch)
    A2o, E = scratch("ae_a2o", (h + 1) * m), scratch("ae_e", h * m)

    def forward(s: slice):
        x = X[:, s]
        n = x.shape[1]
        a2o = A2o[(h + 1) * s.start:(h + 1) * s.stop].reshape(h + 1, n)
        a2o[h] = 1.0
        a2 = np.matmul(W1, x, out=a2o[:h])
        sigmoid(a2, b1c, out=a2)
        a3 = np.matmul(W2b, a2o, out=scratch("ae_a3", x.size).reshape(x.shape))  # or -(...)
        if linear:
            d = np.subtract(a3, x, out=a3)  # delta3
            sq = float(np.vdot(d, d))
        else:
            with np.errstate(over="ignore"):  # exp(-z) = Inf gives 0, as in MATLAB
                np.exp(a3, out=a3)
            a3 += 1.0
            np.divide(1.0, a3, out=a3)  # sigmoid(W2*a2 + b2)
            d = np.subtract(a3, x, out=scratch("ae_d", x.size).reshape(x.shape))
            sq = float(np.vdot(d, d))
            d *= a3
            np.subtract(1.0, a3, out=a3)
            d *= a3  # delta3
        g = a2o @ d.T  # [delta3 * a2', sum(delta3, 2)]' (this way round, 12% faster)
        e = np.matmul(W2.T, d, out=E[h * s.start:h * s.stop].reshape(h, n))
        return sq, a2.sum(axis=1), g[:h].T, g[h], e, a2

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
