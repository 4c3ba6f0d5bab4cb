"""Timing shared by the benchmarks, and their thread setting.

The benchmarks time the checkout they live in: its root goes first on sys.path (an installed
ufldl_py, say an editable install of another checkout, would be timed otherwise).
"""

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


def report(title: str, n: int, rows: list[tuple]) -> None:
    """Print the title and a table of the threads, the time per batch of n and images/s for
    each row (name, threads, seconds) or (name, seconds) (threads shown as '-'), the first
    row being the port, the others with the port's speed-up over them; keep the rows in
    RESULTS."""
    rows = [row if len(row) == 3 else (row[0], "-", row[1]) for row in rows]
    port = rows[0][2]
    RESULTS.extend({"case": title, "name": name, "threads": threads, "ms": t * 1e3,
                    "per_s": n / t, "port_speedup": t / port if i else None}
                   for i, (name, threads, t) in enumerate(rows))
    print(title)
    print(f"{'':44}{'threads':>8}{'ms/batch':>10}{'images/s':>12}{'port is':>12}")
    for i, (name, threads, t) in enumerate(rows):
        ratio = f"{t / port:.2f}x" if i else ""
        print(f"{name:44}{threads:>8}{t * 1e3:10.2f}{n / t:12.0f}{ratio:>12}")


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
