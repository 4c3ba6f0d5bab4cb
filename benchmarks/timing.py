"""Timing shared by the benchmarks, and their thread setting.

The benchmarks time the checkout they live in: its root goes first on sys.path (an installed
ufldl_py, say an editable install of another checkout, would be timed otherwise).
"""

import functools
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def set_threads(n: int) -> int:
    """Use n threads: ``$UFLDL_PY_THREADS`` for the port (its image blocks, BLAS at one
    thread per block) and ``torch.set_num_threads`` for PyTorch, where it is installed."""
    os.environ["UFLDL_PY_THREADS"] = str(n)
    try:
        import torch
    except ImportError:
        return n
    torch.set_num_threads(n)
    return n


def best_times(fns, repeats: int, burst: int = 3) -> list[float]:
    """The best time of one call of each function. Each round runs every function ``burst``
    times in a row (as a training loop runs its step), and the rounds take the functions in
    turn, so that a slow spell of the machine touches all of them alike."""
    for fn in fns:
        fn()
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            for _ in range(burst):
                t = time.perf_counter()
                fn()
                best[i] = min(best[i], time.perf_counter() - t)
    return best


RESULTS: list[dict] = []  # every row report printed, for run_all.py's results file


@functools.cache
def dgemm_rate(threads: int) -> float:
    """This machine's float64 matrix-product rate now, in flop/s: the best of 20 products of
    two 1000 x 1000 matrices (2e9 flop each) with BLAS at ``threads`` threads. Measured once
    per run and thread count, in the run whose rows it judges."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    a = np.random.default_rng(0).standard_normal((1000, 1000))
    out = np.empty_like(a)
    with threadpool_limits(limits=threads, user_api="blas"):
        best = best_times([lambda: np.matmul(a, a, out=out)], 20, burst=1)[0]
    return 2e9 / best


def report(title: str, n: int, rows: list[tuple], flops: float | None = None,
           threads: int = 1) -> None:
    """Print the title and a table of the threads, the time per batch of n and images/s for
    each row (name, threads, seconds) or (name, seconds) (threads shown as '-'), the first
    row being the port, the others with the port's speed-up over them; keep the rows in
    RESULTS.

    ``flops``, the floating-point work of one batch (its matrix products' multiply-adds,
    two flop each), adds the floor: the time that work takes at the dgemm rate measured in
    this run at ``threads`` threads (:func:`dgemm_rate`), and each row's efficiency, the
    floor over the row's time (1 = as fast as a large dgemm; the element-wise work, the
    random draws and the copies are not counted, so no row reaches it)."""
    rows = [row if len(row) == 3 else (row[0], "-", row[1]) for row in rows]
    port = rows[0][2]
    rate = None if flops is None else dgemm_rate(threads)
    floor = None if flops is None else flops / rate
    print(title)
    print(f"{'':44}{'threads':>8}{'ms/batch':>10}{'images/s':>12}{'port is':>12}"
          + (f"{'of floor':>10}" if floor else ""))
    for i, (name, threads_, t) in enumerate(rows):
        row = {"case": title, "name": name, "threads": threads_, "ms": t * 1e3, "per_s": n / t,
               "port_speedup": t / port if i else None,
               "mflop": None if flops is None else flops / 1e6,
               "dgemm_gflops": None if rate is None else rate / 1e9,
               "floor_ms": None if floor is None else floor * 1e3,
               "efficiency": None if floor is None else floor / t}
        RESULTS.append(row)
        ratio = f"{row['port_speedup']:.2f}x" if i else ""
        eff = f"{row['efficiency']:10.0%}" if floor else ""
        print(f"{name:44}{threads_:>8}{row['ms']:10.2f}{row['per_s']:12.0f}{ratio:>12}{eff}")
    if floor:
        print(f"floor: {flops / 1e6:.1f} MFLOP a batch in matrix products; dgemm runs at "
              f"{rate / 1e9:.1f} GFLOP/s here now with BLAS at {threads} thread"
              f"{'s' if threads > 1 else ''}, so {floor * 1e3:.2f} ms ('of floor': that time "
              "over the row's)")


def sgd_step(loss, params, alpha: float):
    """One plain gradient-descent step of PyTorch tensors ``params`` on ``loss`` (the
    originals' update ``W = W - alpha * dW``); returns the loss."""
    import torch

    for p in params:
        p.grad = None
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= alpha * p.grad
    return loss
