"""Throughput of the original UFLDL's sparseAutoencoderCost (cost + gradient), against its
loop form, the same cost in PyTorch on the CPU (autograd, float64) and, given a completed
copy of the original exercises and octave-cli, the vectorised sparseAutoencoderCost.m in
Octave, in one run.

    python benchmarks/bench_sparseae.py [--examples 10000] [--repeats 5] [--threads 2]
                                        [--ufldl-classic DIR]

``--threads`` holds the port (UFLDL_PY_THREADS and its BLAS) and PyTorch to that many threads.

Networks: 64-25-64 (sparseae_exercise's 8x8 patches) and 784-196-784 (the vectorization
exercise's MNIST digits), lambda 1e-4 / 3e-3, beta 3, sparsity 0.01 / 0.1, on 10,000
examples in [0.1, 0.9]. The PyTorch cost is checked against the port (cost and gradient to
1e-12 relative) before timing. Prints ms per evaluation, examples/s and the ratios. Needs
torch (the `bench` extra); without it, the PyTorch row is skipped. ``--ufldl-classic``
defaults to $UFLDL_PY_CLASSIC.
"""

import argparse
import os

import numpy as np
from threadpoolctl import threadpool_limits
from timing import best_times, report, set_threads

from ufldl_py.matlab import octave
from ufldl_py.ufldl_classic import sparseae

NETWORKS = [(64, 25, 1e-4, 0.01, 3.0), (784, 196, 3e-3, 0.1, 3.0)]


def torch_cost(theta, v, h, lam, rho, beta, X):
    """The same cost in PyTorch, as a (step, gradient) pair on fixed tensors."""
    import torch

    th = torch.tensor(theta, requires_grad=True)
    x = torch.tensor(X)
    m = X.shape[1]

    def step():
        th.grad = None
        W1 = th[:h * v].view(v, h).T  # column-major theta: W1(:) is W1' row by row
        W2 = th[h * v:2 * h * v].view(h, v).T
        b1 = th[2 * h * v:2 * h * v + h]
        b2 = th[2 * h * v + h:]
        a2 = torch.sigmoid(W1 @ x + b1[:, None])
        a3 = torch.sigmoid(W2 @ a2 + b2[:, None])
        rho_hat = a2.mean(dim=1)
        J = ((a3 - x) ** 2).sum() / (2 * m) + lam / 2 * ((W1 ** 2).sum() + (W2 ** 2).sum()) \
            + beta * (rho * torch.log(rho / rho_hat)
                      + (1 - rho) * torch.log((1 - rho) / (1 - rho_hat))).sum()
        J.backward()
        return J

    return step, lambda: th.grad.numpy()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2,
                        help="threads for the port (UFLDL_PY_THREADS, its BLAS) and PyTorch")
    parser.add_argument("--ufldl-classic", default=os.environ.get("UFLDL_PY_CLASSIC"),
                        help="a completed copy of the original exercises, to time "
                             "sparseAutoencoderCost.m in Octave")
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        torch = None
    set_threads(args.threads)
    with threadpool_limits(limits=args.threads, user_api="blas"):
        return run(args, torch)


def run(args, torch) -> int:
    rng = np.random.default_rng(0)
    m = args.examples
    for v, h, lam, rho, beta in NETWORKS:
        r = np.sqrt(6) / np.sqrt(h + v + 1)
        theta = np.concatenate([rng.uniform(-r, r, 2 * h * v), np.zeros(h + v)])
        X = 0.1 + 0.8 * rng.random((v, m))
        call = (theta, v, h, lam, rho, beta, X)
        cost, grad = sparseae.sparseAutoencoderCost(*call)
        loop_m = 200 if v < 200 else 20  # the loop form is timed on a few examples, scaled
        def loop_form(call=call, X=X, loop_m=loop_m):
            return sparseae.sparseAutoencoderCost_loop(*call[:-1], X[:, :loop_m])

        loop = best_times([loop_form], 1)[0] * m / loop_m
        fns = [lambda call=call: sparseae.sparseAutoencoderCost(*call)]
        if torch is not None:
            step, tgrad = torch_cost(*call)
            loss = step().item()
            assert abs(loss - cost) <= 1e-12 * abs(cost), (loss, cost)
            assert np.abs(tgrad() - grad).max() <= 1e-12 * np.abs(grad).max()
            fns.append(step)
        times = best_times(fns, args.repeats)
        rows = [("ufldl_py sparseAutoencoderCost (fast form)", args.threads, times[0]),
                ("ufldl_py sparseAutoencoderCost_loop", 1, loop)]
        if torch is not None:
            rows.append((f"PyTorch {torch.__version__} CPU float64", args.threads, times[1]))
        if args.ufldl_classic and octave.available():
            code = """
                [c, g] = sparseAutoencoderCost(theta, v, h, lam, rho, beta, X);  % warm up
                best = inf;
                for k = 1:3
                  t = tic; [c, g] = sparseAutoencoderCost(theta, v, h, lam, rho, beta, X);
                  best = min(best, toc(t));
                end"""
            best = octave.run(code, {"theta": theta, "v": v, "h": h, "lam": lam, "rho": rho,
                                     "beta": beta, "X": X}, ["best"],
                              path=[os.path.join(args.ufldl_classic, "common")])["best"]
            rows.append((f"Octave {octave.version()}, the completed .m (vectorised)", "-",
                         best))
        report(f"sparseAutoencoderCost, cost + gradient, {v}-{h}-{v} on {m} examples, float64 "
               f"(best of {args.repeats}; OPENBLAS_CORETYPE="
               f"{os.environ.get('OPENBLAS_CORETYPE', 'unset')})", m, rows,
               flops=2 * 5 * v * h * m, threads=args.threads)  # W1 x, W2 a2, W2' d3, two dW
        if torch is not None:
            print("(PyTorch's cost and gradient equal the port's to 1e-12 relative.)")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
