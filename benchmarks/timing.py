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


def report(title: str, n: int, rows: list[tuple[str, float]]) -> None:
    """Print the title and a table of time per batch of n and images/s for each row, the
    first row being the port, the others with the port's speed-up over them."""
    port = rows[0][1]
    print(title)
    print(f"{'':44}{'ms/batch':>10}{'images/s':>12}{'port is':>12}")
    for i, (name, t) in enumerate(rows):
        ratio = f"{t / port:.2f}x" if i else ""
        print(f"{name:44}{t * 1e3:10.2f}{n / t:12.0f}{ratio:>12}")
