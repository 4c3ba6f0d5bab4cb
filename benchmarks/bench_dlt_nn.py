"""Training throughput of DeepLearnToolbox's feed-forward net (nnff + nnbp + nnapplygrads)
and RBM (rbmtrain's CD-1 step) against the same computations in PyTorch on the CPU and,
given a DeepLearnToolbox checkout and octave-cli, the originals in Octave, in one run.

    python benchmarks/bench_dlt_nn.py [--batch 100] [--repeats 20] [--threads 2] [--dlt DIR]

Networks, float64: test_example_NN's 784-100-10 net (tanh_opt hidden units, sigm outputs,
L = 1/2 * sum(e(:).^2) / batch, learning rate 2, momentum 0.5), one training step as
nntrain takes it; and test_example_DBN's 784-100 RBM (alpha 1, momentum 0.5 here, so that
every update term runs), its CD-1 step as rbmtrain takes it: an epoch of ``--rbm-batches``
batches (randperm once, the two sigmrnd draws per batch from Octave's Mersenne Twister;
PyTorch draws with its own generator), its time divided by the batches. Before timing,
each PyTorch step is checked against the port on the same batch (and, for the RBM, the
same uniform draws): equal to 1e-12 relative. numpy's BLAS
and PyTorch are both held to ``--threads`` threads. ``--dlt`` defaults to $UFLDL_PY_DLT.
"""

import argparse
import os

import numpy as np
from threadpoolctl import threadpool_limits
from timing import best_times, report

from ufldl_py.dlt import dbn as D
from ufldl_py.dlt import nn as N
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R


def torch_nn_step(net, x, y):
    """The same step in PyTorch: autograd for the gradients, momentum SGD in place."""
    import torch

    W = [torch.tensor(np.asarray(w), requires_grad=True) for w in net["W"]]
    vW = [torch.zeros_like(w) for w in W]
    tx, ty = torch.tensor(x), torch.tensor(y)
    lr, mom = float(net["learningRate"]), float(net["momentum"])

    def step():
        a2 = 1.7159 * torch.tanh(2 / 3 * torch.nn.functional.linear(tx, W[0][:, 1:], W[0][:, 0]))
        o = torch.sigmoid(torch.nn.functional.linear(a2, W[1][:, 1:], W[1][:, 0]))
        loss = 0.5 * ((ty - o) ** 2).sum() / tx.shape[0]
        for w in W:
            w.grad = None
        loss.backward()
        with torch.no_grad():
            for w, v in zip(W, vW):
                v.mul_(mom).add_(w.grad, alpha=lr)
                w.sub_(v)
        return loss

    return step, W


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


def rel(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(np.abs(a - b).max() / np.abs(b).max())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rbm-batches", type=int, default=1,
                        help="batches per timed rbmtrain epoch (its time is divided by them)")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dlt", default=os.environ.get("UFLDL_PY_DLT"),
                        help="a DeepLearnToolbox checkout, to time the originals in Octave")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(args.threads)
    bs = args.batch
    rng = np.random.default_rng(0)
    x = rng.standard_normal((bs, 784))  # z-scored digits
    y = np.eye(10)[rng.integers(0, 10, bs)]
    with R.isolated(0):
        net = N.nnsetup([784, 100, 10])
    v = (rng.random((bs, 784)) < 0.2) * rng.random((bs, 784))  # digits / 255: mostly 0
    with R.isolated(0):
        rbm = D.dbnsetup({"sizes": [100]}, v, {"alpha": 1.0, "momentum": 0.5})["rbm"][0]
    rbm["W"] = 0.1 * rng.standard_normal((100, 784))
    rbm["c"] = 0.1 * rng.standard_normal(100)
    rbm["b"] = 0.1 * rng.standard_normal(784)
    one = {"numepochs": 1, "batchsize": bs}

    with threadpool_limits(limits=args.threads, user_api="blas"):
        # the same numbers, before any timing
        ported = N.nnapplygrads(N.nnbp(N.nnff(net, x, y)))
        step, W = torch_nn_step(net, x, y)
        loss = step().item()
        assert abs(loss - ported["L"]) <= 1e-12 * ported["L"]
        for w, pw in zip(W, ported["W"]):
            assert rel(w.detach().numpy(), pw) <= 1e-12
        with R.isolated(0):
            trained = D.rbmtrain(rbm, v, one, verbose=False)
        with R.isolated(0):
            draws = (R.randperm(bs).ravel().astype(np.int64) - 1, R.rand(bs, 100),
                     R.rand(bs, 784))
        step, (tW, tb, tc) = torch_rbm_epoch(rbm, v, bs, draws)
        step()
        for t, p in ((tW, trained["W"]), (tb, trained["b"]), (tc, trained["c"])):
            assert rel(t.numpy(), p) <= 1e-12

        def port_nn():
            N.nnapplygrads(N.nnbp(N.nnff(net, x, y)))

        k = args.rbm_batches
        vk = np.tile(v, (k, 1))  # an epoch of k batches

        def port_rbm():
            D.rbmtrain(rbm, vk, one, verbose=False)

        nn_step, _ = torch_nn_step(net, x, y)
        rbm_epoch, _ = torch_rbm_epoch(rbm, vk, bs)
        t_nn, t_tnn, t_rbm, t_trbm = best_times([port_nn, nn_step, port_rbm, rbm_epoch],
                                                args.repeats)
        t_rbm, t_trbm = t_rbm / k, t_trbm / k
    torch_name = f"PyTorch {torch.__version__} CPU ({args.threads} threads)"
    rows_nn = [("ufldl_py nnff + nnbp + nnapplygrads", t_nn), (torch_name, t_tnn)]
    rows_rbm = [("ufldl_py rbmtrain", t_rbm), (torch_name + ", CD-1", t_trbm)]
    if args.dlt and octave.available():
        t_onn, t_orbm = octave_times(net, x, y, rbm, vk, one, args.dlt, args.repeats)
        t_orbm /= k
        rows_nn.append((f"Octave {octave.version()}, the original", t_onn))
        rows_rbm.append((f"Octave {octave.version()}, the original", t_orbm))
    blas = f"numpy BLAS and PyTorch at {args.threads} threads"
    report(f"DeepLearnToolbox NN 784-100-10 (tanh_opt, sigm out) training step, batch {bs}, "
           f"float64 (best of {args.repeats}; {blas})", bs, rows_nn)
    print()
    report(f"DeepLearnToolbox RBM 784-100 CD-1 step (rbmtrain), batch {bs}, float64, "
           f"per batch of an epoch of {k} (best of {args.repeats}; {blas})", bs, rows_rbm)
    print("(PyTorch's steps equal the port's to 1e-12 relative: the net's loss and new "
          "weights, the RBM's new W, b, c on the same draws.)")
    return 0


def octave_times(net, x, y, rbm, v, opts, dlt: str, repeats: int) -> tuple[float, float]:
    """The best times of the originals' steps in Octave (timed inside Octave)."""
    code = """
        nnapplygrads(nnbp(nnff(net, x, y)));  % warm up
        rbmtrain(rbm, v, opts);
        best_nn = Inf; best_rbm = Inf;
        for r = 1:repeats
          t = tic; nnapplygrads(nnbp(nnff(net, x, y))); best_nn = min(best_nn, toc(t));
          t = tic; evalc('rbmtrain(rbm, v, opts);'); best_rbm = min(best_rbm, toc(t));
        end"""
    path = [os.path.join(dlt, d) for d in ("NN", "DBN", "util")]
    out = octave.run(code, {"net": net, "x": x, "y": y, "rbm": rbm, "v": v, "opts": opts,
                            "repeats": float(repeats)}, ["best_nn", "best_rbm"], path=path)
    return out["best_nn"], out["best_rbm"]


if __name__ == "__main__":
    raise SystemExit(main())
