"""Timing shared by the benchmarks."""

import time


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
