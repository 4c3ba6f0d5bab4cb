"""Training throughput of DeepLearnToolbox's CNN (cnnff + cnnbp + cnnapplygrads) against its
loop form, the same network in PyTorch on the CPU and, given a DeepLearnToolbox checkout and
octave-cli, the original in Octave, in one run.

    python benchmarks/bench_dlt_cnn.py [--batch 50] [--repeats 20] [--threads 2] [--dlt DIR]

``--threads N`` sets $UFLDL_PY_THREADS for the port (its blocks of cnn.BLOCK images on N
threads, BLAS at one thread per block) and torch.set_num_threads(N) for PyTorch; the table
prints it.

Network: test_example_CNN's 6c-2s-12c-2s on 28x28 images (sigmoid units, mean pooling,
10 sigmoid outputs), squared error L = 1/2 * sum(e(:).^2) / batch, plain SGD with alpha 1,
float64. Before timing, the PyTorch gradients are checked against cnnbp's on one batch.
Needs torch (the `bench` extra). ``--dlt`` defaults to $UFLDL_PY_DLT.
"""

import argparse
import os

import numpy as np
from timing import best_times, report, set_threads, sgd_step

from ufldl_py.dlt import cnn
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R

LAYERS = [{"type": "i"}, {"type": "c", "outputmaps": 6, "kernelsize": 5},
          {"type": "s", "scale": 2}, {"type": "c", "outputmaps": 12, "kernelsize": 5},
          {"type": "s", "scale": 2}]
# the step's products per image, multiply-adds: layer 1's convolution (6 maps of 24 x 24, 5 x 5
# taps) twice (forward and dk), layer 3's (12 maps of 8 x 8, 6 x 5 x 5 taps) three times
# (forward, dk and the delta sent back to layer 2), the output layer (192 x 10) three times
FLOPS_PER_IMAGE = 2 * (2 * 6 * 24 * 24 * 25 + 3 * 12 * 8 * 8 * 150 + 3 * 192 * 10)


def torch_step(net, x, y, alpha):
    import torch
    import torch.nn.functional as F

    def conv_weight(layer, I):
        J = len(layer["k"][0])
        # DLT convolves (kernel flipped); conv2d correlates: weight[j, i] = rot180(k{i}{j})
        w = np.array([[np.asarray(layer["k"][i][j])[::-1, ::-1] for i in range(I)]
                      for j in range(J)])
        return torch.tensor(w, requires_grad=True), torch.tensor(np.array(layer["b"], float),
                                                                 requires_grad=True)

    W1, b1 = conv_weight(net["layers"][1], 1)
    W2, b2 = conv_weight(net["layers"][3], 6)
    # fv stacks each map column-major: reorder ffW's columns to PyTorch's (map, row, col)
    ffW = np.asarray(net["ffW"]).reshape(10, 12, 4, 4).transpose(0, 1, 3, 2).reshape(10, -1)
    Wf = torch.tensor(ffW.copy(), requires_grad=True)
    bf = torch.tensor(np.asarray(net["ffb"], float).ravel().copy(), requires_grad=True)
    params = [W1, b1, W2, b2, Wf, bf]
    tx = torch.tensor(np.ascontiguousarray(x.transpose(2, 0, 1)[:, None]))
    ty = torch.tensor(np.ascontiguousarray(y.T))

    def step():
        a1 = F.avg_pool2d(torch.sigmoid(F.conv2d(tx, W1, b1)), 2)
        a2 = F.avg_pool2d(torch.sigmoid(F.conv2d(a1, W2, b2)), 2)
        o = torch.sigmoid(a2.flatten(1) @ Wf.T + bf)
        loss = 0.5 * ((o - ty) ** 2).sum() / tx.shape[0]
        return sgd_step(loss, params, alpha)

    return step, params


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2,
                        help="threads for the port ($UFLDL_PY_THREADS) and for PyTorch")
    parser.add_argument("--dlt", default=os.environ.get("UFLDL_PY_DLT"),
                        help="a DeepLearnToolbox checkout, to time the original in Octave")
    args = parser.parse_args(argv)
    import torch

    threads = str(set_threads(args.threads))
    rng = np.random.default_rng(0)
    x = rng.random((28, 28, args.batch))
    y = np.eye(10)[:, rng.integers(0, 10, args.batch)]
    with R.isolated(0):
        net = cnn.cnnsetup({"layers": LAYERS}, x, y)
    opts = {"alpha": 1.0}

    # the same gradients, before any timing
    bp = cnn.cnnbp(cnn.cnnff(net, x), y)
    step, params = torch_step(net, x, y, 0.0)
    loss = step().item()
    assert abs(loss - bp["L"]) <= 1e-12 * bp["L"]
    dk = np.array([[bp["layers"][3]["dk"][i][j][::-1, ::-1] for i in range(6)]
                   for j in range(12)])
    assert np.abs(params[2].grad.numpy() - dk).max() <= 1e-12 * np.abs(dk).max()
    assert np.abs(params[5].grad.numpy() - bp["dffb"]).max() <= 1e-12 * np.abs(bp["dffb"]).max()

    def port_step():
        cnn.cnnapplygrads(cnn.cnnbp(cnn.cnnff(net, x), y), opts)

    def loop_step():
        cnn.cnnapplygrads(cnn.cnnbp_loop(cnn.cnnff_loop(net, x), y), opts)

    step, _ = torch_step(net, x, y, 1.0)
    port, pt = best_times([port_step, step], args.repeats)
    rows = [("ufldl_py cnnff + cnnbp + cnnapplygrads", threads, port),
            ("ufldl_py cnnff_loop + cnnbp_loop", "-", best_times([loop_step], 2, burst=1)[0]),
            (f"PyTorch {torch.__version__} CPU", threads, pt)]
    if args.dlt and octave.available():
        rows.append((f"Octave {octave.version()}, the original", "-",
                     octave_time(net, x, y, opts, args.dlt, args.repeats)))
    report(f"DeepLearnToolbox CNN 6c-2s-12c-2s training step (ff + bp + SGD), batch "
           f"{args.batch}, float64 (best of {args.repeats}; OPENBLAS_CORETYPE="
           f"{os.environ.get('OPENBLAS_CORETYPE', 'unset')})", args.batch, rows,
           flops=args.batch * FLOPS_PER_IMAGE, threads=args.threads)
    print("(PyTorch's loss and gradients equal cnnbp's to 1e-12 relative.)")
    return 0


def octave_time(net, x, y, opts, dlt: str, repeats: int) -> float:
    """The best time of the original's training step in Octave (timed inside Octave)."""
    code = """
        net = cnnapplygrads(cnnbp(cnnff(net, x), y), opts);  % warm up
        best = Inf;
        for r = 1:repeats
          t = tic; cnnapplygrads(cnnbp(cnnff(net, x), y), opts); best = min(best, toc(t));
        end"""
    path = [os.path.join(dlt, "CNN"), os.path.join(dlt, "util")]
    return octave.run(code, {"net": net, "x": x, "y": y, "opts": opts,
                             "repeats": float(repeats)}, ["best"], path=path)["best"]


if __name__ == "__main__":
    raise SystemExit(main())
