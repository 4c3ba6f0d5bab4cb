"""Throughput of the UFLDL CNN's cnnCost (forward + backward), against its loop form, the
same network in PyTorch on the CPU and, given a completed stanford_dl_ex and octave-cli, the
completed cnnCost.m in Octave, in one run.

    python benchmarks/bench_ucnn.py [--batch 256] [--repeats 7] [--threads 2]
                                    [--stanford-dl-ex DIR]

``--threads N`` sets $UFLDL_PY_THREADS for the port (its blocks of CHUNK images on N threads,
BLAS at one thread per block) and torch.set_num_threads(N) for PyTorch; the table prints it.

Network: 28x28 images, 20 filters of 9x9, sigmoid, 2x2 mean pooling, softmax over 10
classes, cross entropy plus weight decay 3e-3, float64. The PyTorch network computes the
same cost and gradient (checked against the port before timing); images do not require
gradients in either. Prints images/s for each and the ratios. Needs torch (the `bench`
extra); without it, the PyTorch row is skipped. ``--stanford-dl-ex`` defaults to
$UFLDL_PY_STANFORD_DL_EX; Octave runs the original on 32 of the images, scaled to the batch.
"""

import argparse
import os

import numpy as np
from timing import best_times, report, set_threads

from ufldl_py.matlab import octave
from ufldl_py.ufldl import cnn


def torch_network(theta, images, labels, sizes):
    import torch
    import torch.nn.functional as F

    C, f, K, p = sizes
    d = images.shape[0]
    od = (d - f + 1) // p
    Wc, Wd, bc, bd = cnn.cnnParamsToStack(theta, d, f, K, p, C)
    # conv2d correlates, as cnnConvolve does; Wd's columns follow MATLAB's (r, c, k) order
    tWc = torch.tensor(np.ascontiguousarray(Wc.transpose(2, 0, 1)[:, None]), requires_grad=True)
    tbc = torch.tensor(bc.copy(), requires_grad=True)
    tWd = torch.tensor(np.ascontiguousarray(
        Wd.reshape(C, od, od, K, order="F").transpose(0, 3, 1, 2).reshape(C, -1)),
        requires_grad=True)
    tbd = torch.tensor(bd.copy(), requires_grad=True)
    x = torch.tensor(np.ascontiguousarray(images.transpose(2, 0, 1)[:, None]))
    y = torch.tensor(labels.astype(np.int64) - 1)
    lam = cnn.LAMBDA

    def step():
        for t in (tWc, tbc, tWd, tbd):
            t.grad = None
        a = torch.sigmoid(F.conv2d(x, tWc, tbc))
        pooled = F.avg_pool2d(a, p).flatten(1)
        logits = pooled @ tWd.T + tbd
        loss = F.cross_entropy(logits, y) + lam / 2 * ((tWd ** 2).sum() + (tWc ** 2).sum())
        loss.backward()
        return loss

    def grad_as_theta():
        gWc = tWc.grad.numpy()[:, 0].transpose(1, 2, 0)
        gWd = tWd.grad.numpy().reshape(C, K, od, od).transpose(0, 2, 3, 1).reshape(
            C, -1, order="F")
        return np.concatenate([gWc.ravel(order="F"), gWd.ravel(order="F"), tbc.grad.numpy(),
                               tbd.grad.numpy()])

    return step, grad_as_theta


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2,
                        help="threads for the port ($UFLDL_PY_THREADS) and for PyTorch")
    parser.add_argument("--stanford-dl-ex", default=os.environ.get("UFLDL_PY_STANFORD_DL_EX"),
                        help="a completed stanford_dl_ex, to time cnnCost.m in Octave")
    args = parser.parse_args(argv)
    threads = str(set_threads(args.threads))

    C, f, K, p, d, n = 10, 9, 20, 2, 28, args.batch
    rng = np.random.default_rng(0)
    hidden = ((d - f + 1) // p) ** 2 * K
    theta = 0.1 * rng.standard_normal(f * f * K + C * hidden + K + C)
    images = rng.random((d, d, n))
    labels = rng.integers(1, C + 1, n).astype(float)
    call = (theta, images, labels, C, f, K, p)

    cost, grad = cnn.cnnCost(*call)
    loop_n = 8
    loop_call = (theta, images[:, :, :loop_n], labels[:loop_n], C, f, K, p)
    loop = best_times([lambda: cnn.cnnCost_loop(*loop_call)], 1)[0] * n / loop_n
    fns = [lambda: cnn.cnnCost(*call)]

    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        step, grad_as_theta = torch_network(*call[:3], (C, f, K, p))
        loss = step().item()
        tgrad = grad_as_theta()
        assert abs(loss - cost) <= 1e-12 * abs(cost), (loss, cost)
        assert np.abs(tgrad - grad).max() <= 1e-12 * np.abs(grad).max()
        fns.append(step)
    times = best_times(fns, args.repeats)
    rows = [("ufldl_py cnnCost (fast form)", threads, times[0]),
            ("ufldl_py cnnCost_loop", "-", loop)]
    if torch is not None:
        rows.append((f"PyTorch {torch.__version__} CPU float64", threads, times[1]))
    if args.stanford_dl_ex and octave.available():
        m = 32
        code = """
            [cost, grad] = cnnCost(theta, images, labels, C, f, K, p);  % warm up
            t = tic; [cost, grad] = cnnCost(theta, images, labels, C, f, K, p); best = toc(t);"""
        inputs = {"theta": theta, "images": images[:, :, :m], "labels": labels[:m],
                  "C": C, "f": f, "K": K, "p": p}
        best = octave.run(code, inputs, ["best"],
                          path=[os.path.join(args.stanford_dl_ex, "cnn")])["best"]
        rows.append((f"Octave {octave.version()}, the completed cnnCost.m", "-", best * n / m))

    report(f"cnnCost forward + backward, batch {n} of {d}x{d}, {K} filters {f}x{f}, pool {p}, "
           f"{C} classes, float64 (best of {args.repeats}; OPENBLAS_CORETYPE="
           f"{os.environ.get('OPENBLAS_CORETYPE', 'unset')})", n, rows,
           flops=2 * n * (2 * K * (d - f + 1) ** 2 * f * f + 3 * hidden * C), threads=args.threads)
    if torch is not None:
        print("(PyTorch's cost and gradient equal the port's to 1e-12 relative.)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
