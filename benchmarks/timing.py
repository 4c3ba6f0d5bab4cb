"""Timing shared by the benchmarks."""

import time


def best_times(fns, repeats: int) -> list[float]:
    """The best time of each function, running them in turn so that a slow spell of the
    machine touches all of them alike."""
    for fn in fns:
        fn()
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            t = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t)
    return best
