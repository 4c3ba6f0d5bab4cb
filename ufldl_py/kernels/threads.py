"""Threads: the block map that runs a batch's blocks on every core, and BLAS's control.

Every deterministic path computes its products on one BLAS thread (a product's rounding can
depend on how BLAS splits it over its threads: OpenBLAS's edge micro-kernels round the rows
that fall to them differently) and gets its parallelism from :func:`map_blocks` instead: numpy
releases the GIL in BLAS calls and ufuncs, so threads over blocks of a batch use all cores for
the whole computation (patch copies and element-wise work included). The blocks are cut by
size (:func:`blocks`), never by the number of threads, and their results are combined in
block order, so that a port gives the same bits at any ``$UFLDL_PY_THREADS`` and under any
BLAS limit its caller sets. Ports whose products run outside the blocks take
:func:`deterministic`.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Callable, Iterable, Iterator, TypeVar

import numpy as np
from threadpoolctl import ThreadpoolController

from .. import config

__all__ = ["workers", "blocks", "map_blocks", "filled_ahead", "single_threaded_blas",
           "deterministic"]

T = TypeVar("T")
R = TypeVar("R")

_lock = threading.Lock()
_pools: dict[int, ThreadPoolExecutor] = {}
_controller: ThreadpoolController | None = None


def workers() -> int:
    """Threads used: ``$UFLDL_PY_THREADS`` if set, else the number of cores.

    Returns
    -------
    int
    """
    return config.threads()


def blocks(n: int, size: int) -> list[slice]:
    """``n`` items cut into consecutive slices of at most ``size``.

    Parameters
    ----------
    n : int
        The number of items.
    size : int
        The largest block.

    Returns
    -------
    list of slice
    """
    return [slice(s, min(s + size, n)) for s in range(0, n, size)]


def map_blocks(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[fn(item) for item in items]``, the items (blocks of a batch) computed on
    ``workers()`` threads; results in input order.

    Every block runs with BLAS at one thread (:func:`single_threaded_blas`), so that a
    block's numbers do not depend on the thread that computes it nor on how many run beside
    it: with blocks cut by size (:func:`blocks`) and their results combined in input order,
    a port gives the same bits at any thread count. One block, one thread asked for, or a
    call from a thread other than the main thread (a block calling map_blocks) runs in the
    calling thread.

    Parameters
    ----------
    fn : callable
        The work of one block.
    items : iterable
        The blocks.

    Returns
    -------
    list
        ``fn(item)`` for each item, in input order.
    """
    items = list(items)
    with single_threaded_blas():
        n = workers()
        if n == 1 or len(items) < 2 or threading.current_thread() is not threading.main_thread():
            return [fn(item) for item in items]
        return list(_thread_pool(n).map(fn, items))


def filled_ahead(fill: Callable[[np.ndarray], object], count: int, n: int,
                 block: int) -> Iterator[np.ndarray]:
    """``count`` rows of ``n`` float64 values, yielded one at a time, that ``fill`` writes
    block by block: ``fill(rows)`` fills a C-contiguous (k, n) array in flat order, k rows
    at most ``block``, the blocks in order (as a random stream is read: ``fill =
    rand_into`` yields the draws of ``rand(n, 1)`` called count times).

    With more than one worker (:func:`workers`) and a call from the main thread, the next
    block is filled on another thread while the caller uses this one's rows, so that a
    sequential fill (the Octave-exact draws) overlaps the caller's work. The blocks are cut
    by ``block``, never by the number of threads, and filled in order, so the values do not
    depend on the thread count. When the caller stops early (an exception, the generator
    closed), the block being filled is waited for: nothing is filled after the generator
    ends. A yielded row is valid until the generator is resumed.

    Parameters
    ----------
    fill : callable
        Fills a C-contiguous float64 array in place.
    count : int
        The rows.
    n : int
        The values in a row.
    block : int
        The most rows filled at once.

    Yields
    ------
    ndarray
        Each row, a 1-D view of n values.
    """
    parts = blocks(count, max(block, 1))
    if not parts:
        return
    buffers = [np.empty((parts[0].stop - parts[0].start, n))]
    ahead = workers() > 1 and len(parts) > 1 \
        and threading.current_thread() is threading.main_thread()
    if not ahead:
        for part in parts:
            rows = buffers[0][:part.stop - part.start]
            fill(rows)
            yield from rows
        return
    buffers.append(np.empty_like(buffers[0]))
    pool = _thread_pool(workers())
    pending = pool.submit(fill, buffers[0][:parts[0].stop - parts[0].start])
    try:
        for k, part in enumerate(parts):
            pending.result()
            pending = None
            rows = buffers[k % 2][:part.stop - part.start]
            if k + 1 < len(parts):
                nxt = parts[k + 1]
                pending = pool.submit(fill, buffers[(k + 1) % 2][:nxt.stop - nxt.start])
            yield from rows
    finally:
        if pending is not None:
            wait([pending])


def _thread_pool(n: int) -> ThreadPoolExecutor:
    """The pool of n threads, one for each n that $UFLDL_PY_THREADS has asked for."""
    with _lock:
        pool = _pools.get(n)
        if pool is None:
            pool = _pools[n] = ThreadPoolExecutor(max_workers=n, thread_name_prefix="ufldl_py")
        return pool


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
    BLAS limit.

    Parameters
    ----------
    fn : callable
        The function to wrap.

    Returns
    -------
    callable
        fn, run under single_threaded_blas.
    """
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with single_threaded_blas():
            return fn(*args, **kwargs)
    return wrapper
