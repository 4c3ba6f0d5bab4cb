"""Work memory: per-thread scratch arrays kept between calls, products written into an
existing array, and the allocator's warm-up.

A training step allocates its large arrays (patch matrices, maps, deltas: some 15 MB for
DeepLearnToolbox's CNN on a batch of 50) anew at every step and frees them at the next. glibc's
malloc starts by mapping every array over 128 KiB afresh and unmapping it when freed, so
each step faults all of those pages in again and zeroes them. glibc raises those thresholds
by itself once a program frees a large array (up to 32 MiB, then keeping twice that free
before handing memory back), which a process that had imported PyTorch had done and a user's
plain script had not. Importing the kernels frees one 12 MB array (:func:`warm_allocator`).
Measured on the project's 2-core machine, a DeepLearnToolbox CNN step (batch 50) in a plain
process, best of 40, with another job on the second core: 2,429-2,941 page faults and
14.9-15.3 ms a step without it; none and 8.1-9.2 ms with it. The cost is memory: cnnTrain's
epoch on full-sized MNIST peaked at 479 MiB against 466 (30 MB would keep more free and
peak at 512). Elsewhere than glibc it costs an allocation.
"""

from __future__ import annotations

import threading

import numpy as np
from scipy.linalg.blas import dgemm as _dgemm

__all__ = ["scratch", "gemm_into", "product_nt", "warm_allocator"]

SCRATCH_BYTES = 32 * 2 ** 20  # scratch kept per thread at most
INNER_CHUNK = 4096  # product_nt's parts of the inner dimension
WARM_BYTES = 12_000_000  # a DeepLearnToolbox CNN batch of up to 100 images' patches
_scratch = threading.local()


def scratch(key: str, n: int) -> np.ndarray:
    """An uninitialised float64 vector of n elements that this thread gets back (the same
    memory) on its next call with the same key: the work arrays of a kernel that an
    optimiser calls many times on the same sizes. Kept, they are not handed back to the
    system and faulted in again at every call; a thread keeps SCRATCH_BYTES at most (a
    larger request is made anew each time). Two arrays in use at once need two keys.

    Parameters
    ----------
    key : str
        The work array's name.
    n : int
        Its number of elements.

    Returns
    -------
    ndarray (n,)
        Uninitialised float64.
    """
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


def gemm_into(c: np.ndarray, alpha: float, a: np.ndarray, b: np.ndarray,
              beta: float) -> np.ndarray:
    """``c = alpha * a @ b + beta * c`` in c's memory, as one BLAS dgemm (no product array
    made): a training step's gradient, momentum and update at once. c should be
    Fortran-ordered (the transpose of a C-ordered array); otherwise the result is copied in.

    Parameters
    ----------
    c : ndarray
        The output, updated in place (Fortran order for no copy).
    alpha : float
        The product's factor.
    a, b : ndarray
        The factors.
    beta : float
        c's factor.

    Returns
    -------
    ndarray
        c.

    Raises
    ------
    ValueError
        When the shapes do not fit.
    """
    if a.ndim != 2 or b.ndim != 2 or c.shape != (a.shape[0], b.shape[1]) \
            or a.shape[1] != b.shape[0]:
        raise ValueError(f"gemm_into: c {c.shape} = a {a.shape} @ b {b.shape} does not fit")
    out = _dgemm(alpha, a, b.T, beta=beta, c=c, trans_b=1, overwrite_c=1)
    if not np.shares_memory(out, c):
        c[...] = out
    return c


def product_nt(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B.T`` for a long inner dimension (a kernel gradient's sum over every position of
    a batch), summed over parts of INNER_CHUNK columns in order: each part's rows of A and B
    stay in the core's cache while BLAS works on them. On the project's 2-core machine (one
    BLAS thread), DeepLearnToolbox's first-layer dk, 25 x 28,800 by 28,800 x 6, took
    0.43 ms in parts against 0.68 ms as one product (best of 200). The parts are cut by size,
    so the bits do not depend on the thread count.

    Parameters
    ----------
    A : array_like (m, k)
    B : array_like (n, k)

    Returns
    -------
    ndarray (m, n)
        float64.

    Raises
    ------
    ValueError
        When A or B is not a matrix, or they have different numbers of columns.
    """
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[1]:
        raise ValueError(f"product_nt: A {A.shape} @ B {B.shape}.T does not fit")
    k = A.shape[1]
    out = A[:, :INNER_CHUNK] @ B[:, :INNER_CHUNK].T
    for s in range(INNER_CHUNK, k, INNER_CHUNK):
        out += A[:, s:s + INNER_CHUNK] @ B[:, s:s + INNER_CHUNK].T
    return out


def warm_allocator() -> None:
    """Allocate and free one array of WARM_BYTES (its pages are never touched), so that
    glibc's malloc raises its mmap threshold to that size and its trim threshold to twice
    it, as it does after any program frees such an array: the steps' arrays are then reused
    from the heap instead of being mapped, faulted in and unmapped at every step. Called
    once when :mod:`ufldl_py.kernels` is imported; calling it again changes nothing.
    """
    np.empty(WARM_BYTES // 8)


warm_allocator()
