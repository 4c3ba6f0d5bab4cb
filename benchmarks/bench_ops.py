"""Per-call cost of the MATLAB primitives (ufldl_py.matlab.ops, and DeepLearnToolbox's sigm)
against the scipy/numpy call that does the same work, on small inputs (8 x 8, 28 x 28): what
a student's loop over images and filters pays per call (issue 25, item 7).

    python benchmarks/bench_ops.py [--repeats N]

Prints, per primitive and size, the best time of one call in microseconds, the scipy/numpy
call's, and their ratio. A few seconds; nothing is written.
"""

import argparse

import timing  # noqa: F401  (puts this checkout first on sys.path)
import numpy as np
import scipy.signal

from ufldl_py.dlt.util import sigm
from ufldl_py.matlab import ops


def cases(rng):
    """(label, port call, scipy/numpy call) for each primitive and size."""
    out = []
    for n, f in ((8, 3), (8, 5), (28, 5), (28, 8)):
        A, B = rng.standard_normal((n, n)), rng.standard_normal((f, f))
        for shape in ("valid", "full", "same"):
            out.append((f"conv2 {n}x{n} * {f}x{f} {shape}",
                        lambda A=A, B=B, s=shape: ops.conv2(A, B, s),
                        lambda A=A, B=B, s=shape: scipy.signal.convolve2d(A, B, s)))
        A3 = rng.standard_normal((n, n, 4))
        out.append((f"convn {n}x{n}x4 * {f}x{f} valid",
                    lambda A=A3, B=B: ops.convn(A, B, "valid"),
                    lambda A=A3, B=B: scipy.signal.convolve(A, B[:, :, None], "valid",
                                                            method="direct")))
    for n in (8, 28):
        A = rng.standard_normal((n, n))
        out.append((f"rot90 {n}x{n}, 2", lambda A=A: ops.rot90(A, 2),
                    lambda A=A: np.rot90(A, 2).copy()))
        out.append((f"repmat {n}x{n}, 2, 3", lambda A=A: ops.repmat(A, 2, 3),
                    lambda A=A: np.tile(A, (2, 3))))
        out.append((f"sigm {n}x{n}", lambda A=A: sigm(A), lambda A=A: 1 / (1 + np.exp(-A))))
    for n, p in ((4, 2), (10, 2), (7, 3)):
        A, O = rng.standard_normal((n, n)), np.ones((p, p))
        out.append((f"kron {n}x{n}, ones({p})", lambda A=A, O=O: ops.kron(A, O),
                    lambda A=A, O=O: np.kron(A, O)))
    return out


def main(argv=None) -> int:
    from timing import best_times

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args(argv)
    print(f"{'primitive':<36}{'port us':>10}{'ref us':>10}{'ratio':>8}")
    worst = 0.0
    for label, port, ref in cases(np.random.default_rng(0)):
        t_port, t_ref = best_times([port, ref], args.repeats)
        ratio = t_port / t_ref
        worst = max(worst, ratio)
        print(f"{label:<36}{t_port * 1e6:>10.1f}{t_ref * 1e6:>10.1f}{ratio:>8.2f}")
    print(f"largest ratio {worst:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
