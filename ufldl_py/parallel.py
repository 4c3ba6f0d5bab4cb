"""Run independent blocks of a batch on every core.

numpy releases the GIL in BLAS calls and ufuncs, so threads over blocks of images use all
cores for the whole computation (patch copies and element-wise work included), not only
for the matrix products. While blocks run in parallel, BLAS is held to one thread per
block, so that the threads do not oversubscribe the cores.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

from threadpoolctl import ThreadpoolController

T = TypeVar("T")
R = TypeVar("R")

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_controller: ThreadpoolController | None = None


def workers() -> int:
    """Threads used: ``$UFLDL_PY_THREADS`` if set, else the number of cores."""
    return max(1, int(os.environ.get("UFLDL_PY_THREADS") or os.cpu_count() or 1))


def map_blocks(fn: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """``[fn(item) for item in items]``, computed on all cores; results in input order."""
    global _pool, _controller
    items = list(items)
    n = workers()
    if n == 1 or len(items) < 2 or threading.current_thread() is not threading.main_thread():
        return [fn(item) for item in items]
    with _lock:
        if _pool is None or _pool._max_workers != n:  # noqa: SLF001 (resized by the env var)
            _pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="ufldl_py")
            _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        return list(_pool.map(fn, items))
