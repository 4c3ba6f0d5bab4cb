"""Training throughput of DeepLearnToolbox's convolutional autoencoder (one caetrain round:
caeup with max3d, caedown, caebp, caesdlm, caeapplygrads, and the round's randi/rand draws)
against its loop form, the same autoencoder step in PyTorch on the CPU and, given a
DeepLearnToolbox checkout and octave-cli, the original in Octave, in one run.

    python benchmarks/bench_dlt_cae.py [--batch 1 50] [--repeats 20] [--threads 2] [--dlt DIR]

Autoencoder: caeexamples' (10 output maps, 5 x 5 input and output kernels, max pooling over
2 x 2 blocks with max3d's 1e-12 random tie-breaking, sigmoid units, squared error inside the
edge mask, plain SGD with alpha 0.01) on 28 x 28 digits (saturated to 0/1 as caeexamples'
uint8 * 255 does), float64. Rounds after the first (caesdlm's caebbp runs on the first and
every ddinterval-th round only). Before timing, the PyTorch loss and gradients are checked
against caebp's on one batch with the same max3d noise. Needs torch (the `bench` extra).
``--dlt`` defaults to $UFLDL_PY_DLT.
"""

import argparse
import os

import numpy as np
from timing import best_times, report, sgd_step

from ufldl_py import data, kernels
from ufldl_py.dlt import cae as C
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R

LAYER = {"outputmaps": 10, "inputkernel": [1, 5, 5], "outputkernel": [1, 5, 5],
         "scale": [1, 2, 2], "sigma": 0.1, "momentum": 0.9, "noise": 0}
N = 600
# a round's products per image, multiply-adds: the input convolution ('full', 10 maps of 32 x
# 32, 5 x 5 taps) forward, for its kernels' gradient and for the delta sent back through the
# output kernels; the output convolution ('valid', 10 maps into 28 x 28) forward and for its
# kernels' gradient (caesdlm's second derivatives, on the first round only, are not counted)
FLOPS_PER_IMAGE = 2 * (3 * 10 * 32 * 32 * 25 + 2 * 10 * 28 * 28 * 25)


def digits(chunks: int = 4) -> list:
    train_x = data.load_mnist_uint8()["train_x"]
    return [[np.where(train_x[i * N:(i + 1) * N].reshape(N, 28, 28, order="F") > 0, 255, 0)
             .astype(np.uint8)] for i in range(chunks)]


def torch_round(cae, x, opts, threads: int, noise=None, batch=None):
    """The same round in PyTorch: a random batch, conv2d (full, kernels rotated) + sigmoid,
    max3d's pooling with torch.rand noise, conv2d (valid) + sigmoid, the masked squared
    error, backward, SGD. ``noise`` and ``batch`` fix the noise and the batch (for the
    equality check)."""
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    J = len(cae["b"])
    bs = int(opts["batchsize"])
    alpha = float(cae["alpha"])
    ik = np.array([np.asarray(cae["ik"][0][j])[0, ::-1, ::-1] for j in range(J)])[:, None]
    ok = np.array([np.asarray(cae["ok"][0][j])[0, ::-1, ::-1] for j in range(J)])[None]
    Wi = torch.tensor(ik.copy(), requires_grad=True)  # (J, 1, 5, 5)
    Wo = torch.tensor(ok.copy(), requires_grad=True)  # (1, J, 5, 5)
    b = torch.tensor(np.array(cae["b"], float), requires_grad=True)
    c = torch.tensor(np.array(cae["c"], float), requires_grad=True)
    params = [Wi, Wo, b, c]
    mask = torch.tensor(np.asarray(cae["edgemask"])[:, None].copy())
    chunks = [torch.tensor(chunk[0].astype(np.float64) / 255)[:, None] for chunk in x]

    def step():
        if batch is None:
            i1 = int(torch.randint(len(chunks), ()))
            l = int(torch.randint(chunks[i1].shape[0] - bs, ()))
            xb = chunks[i1][l:l + bs]
        else:
            xb = batch
        a = torch.sigmoid(F.conv2d(xb, Wi, padding=4) + b[None, :, None, None])
        a = a + (torch.rand(a.shape, dtype=torch.float64) if noise is None else noise) * 1e-12
        a6 = a.view(a.shape[0], J, 16, 2, 16, 2)
        a = (a6 * (a6 == a6.amax(dim=(3, 5), keepdim=True))).view(a.shape)
        o = torch.sigmoid(F.conv2d(a, Wo) + c[None, :, None, None])
        loss = 0.5 * (((o - xb) * mask) ** 2).sum() / bs
        return sgd_step(loss, params, alpha)

    return step, params


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, nargs="+", default=[1, 50])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dlt", default=os.environ.get("UFLDL_PY_DLT"),
                        help="a DeepLearnToolbox checkout, to time the original in Octave")
    args = parser.parse_args(argv)
    import torch

    x = digits()
    for bs in args.batch:
        opts = {"rounds": 1, "batchsize": bs, "alpha": 0.01, "ddinterval": 10,
                "ddhist": 0.5}
        with R.isolated(0):
            cae = C.scaesetup([LAYER], x, opts)[0]
            cae = C.caetrain(cae, x, opts, verbose=False)  # round 1: caesdlm's caebbp
        check_equal(cae, x, opts)

        def port_round(cae=cae, opts=opts):
            C.caetrain(cae, x, opts, verbose=False)

        def loop_round(cae=cae, opts=opts, bs=bs):
            xb = [x[0][0][:bs].astype(np.float64) / 255]
            C.caeapplygrads(C.caesdlm(C.caebp_loop(C.caedown_loop(C.caeup_loop(cae, xb)), xb),
                                      opts, 2))

        steps = [torch_round(cae, x, opts, t)[0] for t in sorted({1, args.threads})]
        times = best_times([port_round] + steps, args.repeats)
        rows = [("ufldl_py caetrain round (BLAS 1 thread)", times[0]),
                ("ufldl_py loop forms (convn per map)",
                 best_times([loop_round], 2, burst=1)[0])]
        rows += [(f"PyTorch {torch.__version__} CPU ({t} thread{'s' if t > 1 else ''})", tt)
                 for t, tt in zip(sorted({1, args.threads}), times[1:])]
        if args.dlt and octave.available():
            rows.append((f"Octave {octave.version()}, the original",
                         octave_time(cae, x, opts, args.dlt, max(3, args.repeats // 4))))
        report(f"DeepLearnToolbox CAE round (10 maps, 5x5 kernels, scale [1 2 2]), batch {bs}, "
               f"float64 (best of {args.repeats}; {os.cpu_count()} cores, ufldl_py threads "
               f"{kernels.workers()}; OPENBLAS_CORETYPE="
               f"{os.environ.get('OPENBLAS_CORETYPE', 'unset')})", bs, rows,
               flops=bs * FLOPS_PER_IMAGE, threads=args.threads)
    print("(PyTorch's loss and gradients equal caebp's to 1e-10 relative with the same noise.)")
    return 0


def check_equal(cae, x, opts) -> None:
    """PyTorch's loss and gradients equal caebp's on one batch with the same max3d noise
    (to 1e-10: caebp differentiates the noisy pooled maps, a .* (1 - a), autograd the
    sigmoid at z; they differ by the order of the 1e-12 noise)."""
    import torch

    bs = int(opts["batchsize"])
    xb = x[0][0][:bs].astype(np.float64) / 255
    with R.isolated(5):
        bp = C.caebp(C.caedown(C.caeup(cae, [xb])), [xb])
    with R.isolated(5):
        noise = np.asarray(R.rand(10 * bs * 32 * 32, 1)).reshape(10, 16, 16, 2, 2, bs)
    # max3d's rand(size(B)) over B(u, (kc, kr), (bc, br)) as (batch, map, row, col)
    noise = noise.transpose(0, 5, 2, 4, 1, 3).reshape(10, bs, 32, 32).transpose(1, 0, 2, 3)
    cae0 = dict(cae, alpha=0.0)
    step, params = torch_round(cae0, x, opts, 1, torch.tensor(noise.copy()),
                               torch.tensor(xb[:, None].copy()))
    loss = step().item()
    assert abs(loss - bp["L"]) <= 1e-10 * bp["L"], (loss, bp["L"])
    dok = np.array([np.asarray(bp["dok"][0][j])[0, ::-1, ::-1] for j in range(10)])
    dik = np.array([np.asarray(bp["dik"][0][j])[0, ::-1, ::-1] for j in range(10)])
    for got, want in ((params[1].grad.numpy()[0], dok), (params[0].grad.numpy()[:, 0], dik),
                      (params[2].grad.numpy(), np.array(bp["db"])),
                      (params[3].grad.numpy(), np.array(bp["dc"]))):
        assert np.abs(got - want).max() <= 1e-10 * np.abs(want).max(), \
            np.abs(got - want).max() / np.abs(want).max()


def octave_time(cae, x, opts, dlt: str, repeats: int) -> float:
    """The best time of the original's round in Octave (caetrain's loop body, timed inside
    Octave without its disp and tic/toc)."""
    code = """
        n = cae.inputkernel(1); best = Inf;
        for r = 0:repeats
          t = tic;
          i1 = randi(numel(x));
          l  = randi(size(x{i1}{1},1) - opts.batchsize - n + 1);
          x1{1} = double(x{i1}{1}(l : l + opts.batchsize - 1, :, :)) / 255;
          x2{1} = x1{1};
          x1{1} = x1{1} .* (rand(size(x1{1})) > cae.noise);
          c = caeup(cae, x1); c = caedown(c); c = caebp(c, x2); c = caesdlm(c, opts, 2);
          c = caeapplygrads(c);
          if r > 0, best = min(best, toc(t)); end
        end"""
    cae = {**cae, "inputkernel": np.array([cae["inputkernel"]], float),
           "scale": np.array([cae["scale"]], float)}
    path = [os.path.join(dlt, "CAE"), os.path.join(dlt, "util")]
    return octave.run(code, {"cae": cae, "x": x, "opts": opts, "repeats": float(repeats)},
                      ["best"], path=path)["best"]


if __name__ == "__main__":
    raise SystemExit(main())
