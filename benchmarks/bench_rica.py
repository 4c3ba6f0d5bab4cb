"""Throughput of RICA's softICACost (cost + gradient) and of stl's feedfowardRICA, against
their loop forms, the same computations in PyTorch on the CPU (float64) and, given a
completed stanford_dl_ex and octave-cli, the completed .m files in Octave, in one run.

    python benchmarks/bench_rica.py [--patches 10000] [--images 1000] [--repeats 7]
                                    [--threads 2] [--stanford-dl-ex DIR]

softICACost: 10,000 patches of 81 pixels, 50 features (runSoftICA's sizes), lambda 0.0005,
epsilon 0.01; PyTorch computes the same cost with autograd (the l2rowscaled projection
included) and its gradient by backward(). feedfowardRICA: 1,000 28x28 images, 32 filters of
9x9, square-square-root pooling over 5x5 regions (stlExercise's sizes); PyTorch as conv2d,
squares, avg_pool2d * 25, + epsilon, sqrt, without autograd. Both PyTorch forms are checked
against the port (1e-12 relative) before timing. Needs torch (the `bench` extra); without it
the PyTorch rows are skipped. ``--stanford-dl-ex`` defaults to $UFLDL_PY_STANFORD_DL_EX;
Octave runs the original softICACost on all the patches and feedfowardRICA on 50 of the
images, scaled to the batch.
"""

import argparse
import os

import numpy as np
from timing import best_times, report, set_threads

from ufldl_py.matlab import octave
from ufldl_py.ufldl import rica, stl


def torch_soft_ica(theta, x, params):
    import torch

    k, n = params["numFeatures"], params["n"]
    tx = torch.tensor(x)
    tth = torch.tensor(theta, requires_grad=True)
    lam, eps, m = params["lambda"], params["epsilon"], x.shape[1]

    def step():
        tth.grad = None
        Wold = tth.reshape(n, k).T  # reshape(theta, k, n), column-major
        W = Wold / torch.sqrt((Wold ** 2).sum(1, keepdim=True) + rica.NORMEPS)
        Wx = W @ tx
        R = W.T @ Wx - tx
        cost = (lam * torch.sqrt(Wx ** 2 + eps).sum() + 0.5 * (R ** 2).sum()) / m
        cost.backward()
        return cost

    return step, lambda: tth.grad.numpy()


def torch_feedforward(images, W, poolDim, epsilon):
    import torch
    import torch.nn.functional as F

    x = torch.tensor(np.ascontiguousarray(images.transpose(2, 0, 1)[:, None]))
    w = torch.tensor(np.ascontiguousarray(W.transpose(2, 0, 1)[:, None]))  # correlation

    def forward():
        with torch.no_grad():
            r = F.conv2d(x, w)
            return torch.sqrt(F.avg_pool2d(r * r, poolDim) * poolDim ** 2 + epsilon)

    return forward


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patches", type=int, default=10000)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2,
                        help="threads for the port (UFLDL_PY_THREADS) and PyTorch")
    parser.add_argument("--stanford-dl-ex", default=os.environ.get("UFLDL_PY_STANFORD_DL_EX"),
                        help="a completed stanford_dl_ex, to time the originals in Octave")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    set_threads(args.threads)
    try:
        import torch
    except ImportError:
        torch = None
    use_octave = bool(args.stanford_dl_ex) and octave.available()
    flags = f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE', 'unset')}"

    # ------------------------------------------------------------------ softICACost
    params = {"numFeatures": 50, "n": 81, "lambda": 0.0005, "epsilon": 1e-2}
    m = args.patches
    x = rng.standard_normal((81, m))
    x /= np.sqrt(np.sum(x ** 2, axis=0) + 1e-8)  # as runSoftICA normalises its patches
    theta = rng.standard_normal(50 * 81)
    theta /= 9.0
    cost, grad = rica.softICACost(theta, x, params)
    fns = [lambda: rica.softICACost(theta, x, params),
           lambda: rica.softICACost_loop(theta, x, params)]
    names = ["ufldl_py softICACost (fast form)", "ufldl_py softICACost_loop"]
    if torch is not None:
        step, tgrad = torch_soft_ica(theta, x, params)
        tcost = step().item()
        assert abs(tcost - cost) <= 1e-12 * abs(cost), (tcost, cost)
        assert np.abs(tgrad() - grad).max() <= 1e-12 * np.abs(grad).max()
        fns.append(step)
        names.append(f"PyTorch {torch.__version__} autograd float64 ({args.threads} thr)")
    times = best_times(fns, args.repeats)
    rows = [(names[0], args.threads, times[0]), (names[1], 1, times[1])] \
        + [(name, args.threads, t) for name, t in zip(names[2:], times[2:])]
    if use_octave:
        code = """
            [cost, grad] = softICACost(theta, x, params);  % warm up
            best = inf;
            for r = 1:3
              t = tic; [cost, grad] = softICACost(theta, x, params); best = min(best, toc(t));
            end"""
        best = octave.run(code, {"theta": theta, "x": x, "params": params}, ["best"],
                          path=[os.path.join(args.stanford_dl_ex, "rica")])["best"]
        rows.append((f"Octave {octave.version()}, the completed .m", best))
    report(f"softICACost cost + gradient, {m} patches of 81, 50 features, float64 "
           f"(best of {args.repeats}; {flags}; 'images/s' = patches/s)", m, rows,
           flops=2 * 5 * 50 * 81 * m, threads=args.threads)  # W x, W' W x, W r, g x', W x r'


    # ------------------------------------------------------------------ feedfowardRICA
    n, f, K, p, eps = args.images, 9, 32, 5, 1e-2
    images = rng.random((28, 28, n))
    W = rng.standard_normal((f, f, K)) / 9.0
    features = stl.feedfowardRICA(f, p, K, images, W, {"epsilon": eps})
    loop_n = 10
    loop = best_times([lambda: stl.feedfowardRICA_loop(f, p, K, images[:, :, :loop_n], W,
                                                       {"epsilon": eps})], 1)[0] * n / loop_n
    fns = [lambda: stl.feedfowardRICA(f, p, K, images, W, {"epsilon": eps})]
    names = ["ufldl_py feedfowardRICA (fast form)"]
    if torch is not None:
        forward = torch_feedforward(images, W, p, eps)
        tf = forward().numpy().transpose(2, 3, 1, 0)
        assert np.abs(tf - features).max() <= 1e-12 * np.abs(features).max()
        fns.append(forward)
        names.append(f"PyTorch {torch.__version__} conv2d+pool float64 ({args.threads} thr)")
    times = best_times(fns, args.repeats)
    rows = [(names[0], args.threads, times[0]), ("ufldl_py feedfowardRICA_loop", 1, loop)]
    rows += [(name, args.threads, t) for name, t in zip(names[1:], times[1:])]
    if use_octave:
        mo = 50
        code = """
            global params; params.epsilon = epsilon;
            features = feedfowardRICA(f, p, K, images, W);  % warm up
            t = tic; features = feedfowardRICA(f, p, K, images, W); best = toc(t);"""
        best = octave.run(code, {"images": images[:, :, :mo], "W": W, "f": f, "p": p, "K": K,
                                 "epsilon": eps}, ["best"],
                          path=[os.path.join(args.stanford_dl_ex, "stl")])["best"]
        rows.append((f"Octave {octave.version()}, the completed .m", best * n / mo))
    report(f"feedfowardRICA, {n} images 28x28, {K} filters {f}x{f}, pool {p}, float64 "
           f"(best of {args.repeats}; {flags})", n, rows,
           flops=2 * n * K * (28 - f + 1) ** 2 * f * f, threads=args.threads)
    if torch is not None:
        print("(PyTorch's outputs equal the port's to 1e-12 relative.)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
