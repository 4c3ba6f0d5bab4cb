"""Training throughput of DeepLearnToolbox's feed-forward net (nntrain) and RBM (rbmtrain)
against the same training in PyTorch on the CPU and, given a DeepLearnToolbox checkout and
octave-cli, the originals in Octave, in one run.

    python benchmarks/bench_dlt_nn.py [--batch 100] [--batches 100] [--repeats 5]
                                      [--threads 2] [--dlt DIR]

Each side trains one epoch of ``--batches`` batches, timed whole and divided by the batches
(ms per batch = per training step, with the epoch's share of what runs once per epoch):

- nntrain on test_example_NN's 784-100-10 net (tanh_opt hidden units, sigm outputs,
  L = 1/2 * sum(e(:).^2) / batch, learning rate 2, momentum 0.5), float64: randperm, then
  per batch the gather, nnff, nnbp and nnapplygrads, then nneval's full-batch loss on the
  training set. PyTorch: the same epoch (autograd for the gradients, momentum SGD in place,
  the full-batch loss under no_grad).
- rbmtrain on test_example_DBN's 784-100 RBM (alpha 1, momentum 0.5 here, so that every
  update term runs): randperm, then per batch CD-1 with the two sigmrnd draws from Octave's
  Mersenne Twister. PyTorch: the same CD-1 epoch, drawing with its own generator.

A third RBM row times the step's four matrix products and its Octave-exact draws alone, one
after the other on one thread (``rbm_floor``): the least any port held to the contract
(float64, Octave's stream) can take on one core. On two, rbmtrain makes the draws on the
second core while the products run (kernels.filled_ahead), and can go below it.

Before timing, each PyTorch epoch is checked against the port on a short epoch with the
same permutation (and, for the RBM, the same uniform draws): the new weights equal to 1e-12
relative. The port (UFLDL_PY_THREADS, its BLAS) and PyTorch are both held to ``--threads``
threads. ``--dlt`` defaults to $UFLDL_PY_DLT.
"""

import argparse
import os

import numpy as np
from threadpoolctl import threadpool_limits
from timing import best_times, report, set_threads

from ufldl_py.dlt import dbn as D
from ufldl_py.dlt import nn as N
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R


def torch_nn_epoch(net, x, y, batchsize, kk=None):
    """nntrain's epoch in PyTorch; ``kk`` (0-based) replays a given permutation."""
    import torch

    W = [torch.tensor(np.asarray(w), requires_grad=True) for w in net["W"]]
    vW = [torch.zeros_like(w) for w in W]
    tx, ty = torch.tensor(x), torch.tensor(y)
    lr, mom = float(net["learningRate"]), float(net["momentum"])

    def forward(xb):
        a2 = 1.7159 * torch.tanh(2 / 3 * torch.nn.functional.linear(xb, W[0][:, 1:], W[0][:, 0]))
        return torch.sigmoid(torch.nn.functional.linear(a2, W[1][:, 1:], W[1][:, 0]))

    def epoch():
        perm = torch.randperm(tx.shape[0]) if kk is None else torch.tensor(kk)
        for l in range(tx.shape[0] // batchsize):
            idx = perm[l * batchsize:(l + 1) * batchsize]
            yb = ty[idx]
            loss = 0.5 * ((yb - forward(tx[idx])) ** 2).sum() / batchsize
            for w in W:
                w.grad = None
            loss.backward()
            with torch.no_grad():
                for w, v in zip(W, vW):
                    v.mul_(mom).add_(w.grad, alpha=lr)
                    w.sub_(v)
        with torch.no_grad():  # nneval: the full-batch loss
            return float(0.5 * ((ty - forward(tx)) ** 2).sum() / tx.shape[0])

    return epoch, W


def torch_rbm_epoch(rbm, x, batchsize, draws=None):
    """rbmtrain's epoch of CD-1 steps in PyTorch; ``draws`` = (kk, u1, u2) replays given
    ones (one batch)."""
    import torch

    W = torch.tensor(np.asarray(rbm["W"]))
    b, c = torch.tensor(np.asarray(rbm["b"])), torch.tensor(np.asarray(rbm["c"]))
    vW, vb, vc = torch.zeros_like(W), torch.zeros_like(b), torch.zeros_like(c)
    tx = torch.tensor(x)
    alpha, mom = float(rbm["alpha"]), float(rbm["momentum"])

    def epoch():
        kk = torch.randperm(tx.shape[0]) if draws is None else torch.tensor(draws[0])
        err = 0.0
        for l in range(tx.shape[0] // batchsize):
            if draws is None:
                u1 = torch.rand(batchsize, W.shape[0], dtype=torch.float64)
                u2 = torch.rand(batchsize, W.shape[1], dtype=torch.float64)
            else:
                u1, u2 = (torch.tensor(d) for d in draws[1:])
            v1 = tx[kk[l * batchsize:(l + 1) * batchsize]]
            h1 = (torch.sigmoid(c + v1 @ W.T) > u1).double()
            v2 = (torch.sigmoid(b + h1 @ W) > u2).double()
            h2 = torch.sigmoid(c + v2 @ W.T)
            vW.mul_(mom).add_(alpha * (h1.T @ v1 - h2.T @ v2) / batchsize)
            vb.mul_(mom).add_(alpha * (v1 - v2).sum(0) / batchsize)
            vc.mul_(mom).add_(alpha * (h1 - h2).sum(0) / batchsize)
            W.add_(vW)
            b.add_(vb)
            c.add_(vc)
            err += float(((v1 - v2) ** 2).sum()) / batchsize
        return err

    return epoch, (W, b, c)


def rbm_floor(rbm, x, batchsize):
    """What no CD-1 step under the contract can go below on one core: per batch, the step's
    products (v1 W', h1 W, v2 W', and [v1; v2]' [h1; -h2] with the momentum, as rbmtrain
    forms them) and its Octave-exact draws (rand_into), one after the other, on arrays made
    once, BLAS at one thread as in rbmtrain; nothing else."""
    from ufldl_py import kernels

    W, vW = np.array(rbm["W"]), np.zeros_like(rbm["W"])
    H, V = W.shape
    vs, hs = np.empty((2 * batchsize, V)), np.empty((2 * batchsize, H))
    u = np.empty(batchsize * (H + V))

    def epoch():
        with kernels.single_threaded_blas():  # as rbmtrain runs
            steps()

    def steps():
        for l in range(x.shape[0] // batchsize):
            vs[:batchsize] = x[l * batchsize:(l + 1) * batchsize]
            R.rand_into(u)
            np.matmul(vs[:batchsize], W.T, out=hs[:batchsize])
            np.matmul(hs[:batchsize], W, out=vs[batchsize:])
            np.matmul(vs[batchsize:], W.T, out=hs[batchsize:])
            kernels.gemm_into(vW.T, 0.01, vs.T, hs, 0.5)

    return epoch


def rel(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.abs(a - b).max() / np.abs(b).max())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--batches", type=int, default=100,
                        help="batches per timed epoch (its time is divided by them)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dlt", default=os.environ.get("UFLDL_PY_DLT"),
                        help="a DeepLearnToolbox checkout, to time the originals in Octave")
    args = parser.parse_args(argv)
    import torch

    set_threads(args.threads)
    bs, k = args.batch, args.batches
    m = bs * k
    rng = np.random.default_rng(0)
    x = rng.standard_normal((m, 784))  # z-scored digits
    y = np.eye(10)[rng.integers(0, 10, m)]
    with R.isolated(0):
        net = N.nnsetup([784, 100, 10])
    v = (rng.random((m, 784)) < 0.2) * rng.random((m, 784))  # digits / 255: mostly 0
    with R.isolated(0):
        rbm = D.dbnsetup({"sizes": [100]}, v, {"alpha": 1.0, "momentum": 0.5})["rbm"][0]
    rbm["W"] = 0.1 * rng.standard_normal((100, 784))
    rbm["c"] = 0.1 * rng.standard_normal(100)
    rbm["b"] = 0.1 * rng.standard_normal(784)
    epoch = {"numepochs": 1, "batchsize": bs}

    with threadpool_limits(limits=args.threads, user_api="blas"):
        # the same numbers, before any timing: a short epoch of three batches
        short = 3 * bs
        with R.isolated(0):
            trained, _ = N.nntrain(net, x[:short], y[:short], epoch, verbose=False)
        with R.isolated(0):
            kk = R.randperm(short).ravel().astype(np.int64) - 1
        run, W = torch_nn_epoch(net, x[:short], y[:short], bs, kk)
        run()
        for w, pw in zip(W, trained["W"]):
            assert rel(w.detach().numpy(), pw) <= 1e-12
        with R.isolated(0):
            trained = D.rbmtrain(rbm, v[:bs], epoch, verbose=False)
        with R.isolated(0):
            draws = (R.randperm(bs).ravel().astype(np.int64) - 1, R.rand(bs, 100),
                     R.rand(bs, 784))
        run, (tW, tb, tc) = torch_rbm_epoch(rbm, v[:bs], bs, draws)
        run()
        for t, p in ((tW, trained["W"]), (tb, trained["b"]), (tc, trained["c"])):
            assert rel(t.numpy(), p) <= 1e-12

        def port_nn():
            N.nntrain(net, x, y, epoch, verbose=False)

        def port_rbm():
            D.rbmtrain(rbm, v, epoch, verbose=False)

        nn_epoch, _ = torch_nn_epoch(net, x, y, bs)
        rbm_epoch, _ = torch_rbm_epoch(rbm, v, bs)
        floor = rbm_floor(rbm, v, bs)
        times = best_times([port_nn, nn_epoch, port_rbm, rbm_epoch, floor], args.repeats,
                           burst=1)
        t_nn, t_tnn, t_rbm, t_trbm, t_floor = (t / k for t in times)
    torch_name = f"PyTorch {torch.__version__} CPU"
    rows_nn = [("ufldl_py nntrain", args.threads, t_nn), (torch_name, args.threads, t_tnn)]
    rows_rbm = [("ufldl_py rbmtrain", args.threads, t_rbm),
                (torch_name + ", CD-1", args.threads, t_trbm),
                ("its products and draws alone", 1, t_floor)]
    if args.dlt and octave.available():
        t_onn, t_orbm = octave_times(net, x, y, rbm, v, epoch, args.dlt, args.repeats)
        name = f"Octave {octave.version()}, the original"
        rows_nn.append((name, "-", t_onn / k))
        rows_rbm.append((name, "-", t_orbm / k))
    # products per batch, multiply-adds: nntrain's forward pass (785 x 100, 101 x 10), the
    # delta sent back through W2 (10 x 100), both gradients, and nneval's forward pass over
    # the epoch's examples (a batch's share); rbmtrain's v1 W', h1 W, v2 W' and [v1; v2]'
    # [h1; -h2] (twice a batch's rows)
    report(f"DeepLearnToolbox NN 784-100-10 (tanh_opt, sigm out): nntrain, an epoch of {k} "
           f"batches of {bs}, float64 (best of {args.repeats})", bs, rows_nn,
           flops=2 * bs * (3 * (785 * 100 + 101 * 10) + 10 * 100), threads=args.threads)
    print()
    report(f"DeepLearnToolbox RBM 784-100: rbmtrain (CD-1), an epoch of {k} batches of {bs}, "
           f"float64 (best of {args.repeats})", bs, rows_rbm,
           flops=2 * 5 * bs * 784 * 100, threads=args.threads)
    print("(PyTorch's epochs equal the port's to 1e-12 relative on a short epoch with the "
          "same permutation and draws: the net's new weights, the RBM's new W, b, c.)")
    return 0


def octave_times(net, x, y, rbm, v, opts, dlt: str, repeats: int) -> tuple[float, float]:
    """The best times of the originals' epochs in Octave (timed inside Octave)."""
    code = """
        best_nn = Inf; best_rbm = Inf;
        for r = 1:repeats
          t = tic; evalc('nntrain(net, x, y, opts);'); best_nn = min(best_nn, toc(t));
          t = tic; evalc('rbmtrain(rbm, v, opts);'); best_rbm = min(best_rbm, toc(t));
        end"""
    path = [os.path.join(dlt, d) for d in ("NN", "DBN", "util")]
    out = octave.run(code, {"net": net, "x": x, "y": y, "rbm": rbm, "v": v, "opts": opts,
                            "repeats": float(repeats)}, ["best_nn", "best_rbm"], path=path)
    return out["best_nn"], out["best_rbm"]


if __name__ == "__main__":
    raise SystemExit(main())
