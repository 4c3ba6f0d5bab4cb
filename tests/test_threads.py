"""The same bits at any thread count: every caller of the block machinery and every kernel.

Each case runs a port at ``UFLDL_PY_THREADS`` 1, 2 and 3 (more threads than this machine's
two cores included), and under a caller's own BLAS limit (threadpoolctl), and compares every
output with ``np.array_equal``. The cases take one block and many, with filter and unit counts
that reach BLAS's edge kernels (1, 5, 6, 7 rows).

A product's rounding can depend on how BLAS splits it over its threads: OpenBLAS's edge
micro-kernels round the rows that fall to them differently, and which rows those are depends
on the split and on the CPU's kernel. So the cases also run in a subprocess under each other
OpenBLAS kernel that this CPU can execute (``OPENBLAS_CORETYPE``: Haswell's is the one of
the machine that reported the failure), where numpy's BLAS is an OpenBLAS that can switch.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from ufldl_py.dlt import cae as C
from ufldl_py.dlt import cnn as dcnn
from ufldl_py.dlt import dbn as D
from ufldl_py.dlt import nn as N
from ufldl_py.matlab import random as R
from ufldl_py.ufldl import cnn as ucnn
from ufldl_py.ufldl import rica, stl
from ufldl_py.ufldl_classic import cnn as ccnn
from ufldl_py.ufldl_classic import linear_decoder, sparseae

ROWS = (1, 5, 6, 7)  # filter and unit counts: the edge kernels' row counts


def _ucnn(K: int, numImages: int):
    rng = np.random.default_rng(K * 100 + numImages)
    imageDim, f, p, C = 28, 9, 2, 10  # cnnTrain's sizes
    outDim = (imageDim - f + 1) // p
    theta = 0.1 * rng.standard_normal(f * f * K + C * outDim ** 2 * K + K + C)
    images = rng.random((imageDim, imageDim, numImages))
    labels = rng.integers(1, C + 1, numImages).astype(float)
    cost, grad = ucnn.cnnCost(theta, images, labels, C, f, K, p, lambda_=3e-3)
    Wc = rng.standard_normal((f, f, K))
    conv = ucnn.cnnConvolve(f, K, images, Wc, rng.standard_normal(K))
    return {"cost": cost, "grad": grad, "convolved": conv}


def _classic_cnn(K: int, numImages: int):
    rng = np.random.default_rng(K * 10 + numImages)
    patchDim, channels, imageDim = 8, 3, 20
    n = patchDim ** 2 * channels
    return {"convolved": ccnn.cnnConvolve(
        patchDim, K, rng.random((imageDim, imageDim, channels, numImages)),
        rng.standard_normal((K, n)), rng.standard_normal(K), rng.standard_normal((n, n)),
        rng.standard_normal(n))}


def _rica(K: int, numImages: int):
    rng = np.random.default_rng(K + numImages)
    n, m = 81, 40 * numImages  # runSoftICA's 9 x 9 patches
    params = {"numFeatures": K, "n": n, "lambda": 5e-4, "epsilon": 1e-2}
    cost, grad = rica.softICACost(rng.standard_normal(K * n), rng.standard_normal((n, m)),
                                  params)
    features = stl.feedfowardRICA(5, 2, K, rng.random((28, 28, numImages)),
                                  rng.standard_normal((5, 5, K)), {"epsilon": 1e-2})
    return {"cost": cost, "grad": grad, "features": features}


def _sparseae(h: int, m: int):
    rng = np.random.default_rng(h * 7 + m)
    v = 64
    with R.isolated(h):
        theta = sparseae.initializeParameters(h, v)
    data = rng.random((v, m))
    out = {}
    out["cost"], out["grad"] = sparseae.sparseAutoencoderCost(theta, v, h, 1e-4, 0.01, 3, data)
    out["lcost"], out["lgrad"] = linear_decoder.sparseAutoencoderLinearCost(
        theta, v, h, 3e-3, 0.035, 5, rng.standard_normal((v, m)))
    return out


def _layers(K: int) -> list[dict]:
    """test_example_CNN's net with K and K + 1 maps."""
    return [{"type": "i"}, {"type": "c", "outputmaps": K, "kernelsize": 5},
            {"type": "s", "scale": 2}, {"type": "c", "outputmaps": K + 1, "kernelsize": 5},
            {"type": "s", "scale": 2}]


def _dlt_cnn(K: int, m: int):
    rng = np.random.default_rng(K * 1000 + m)
    x = rng.random((28, 28, m))
    y = np.eye(10)[:, rng.integers(0, 10, m)]
    with R.isolated(K):
        net = dcnn.cnnsetup({"layers": _layers(K)}, x, y)
        bp = dcnn.cnnbp(dcnn.cnnff(net, x), y)
        trained = dcnn.cnntrain(net, x, y, {"alpha": 1.0, "batchsize": m // 2, "numepochs": 1},
                                verbose=False)
    out = {"o": bp["o"], "fv": bp["fv"], "dffW": bp["dffW"], "fvd": bp["fvd"],
           "ffW": trained["ffW"], "rL": trained["rL"]}
    for l, layer in enumerate(bp["layers"][1:], 1):
        out[f"d{l}"] = np.stack(layer["d"])
        if "dk" in layer:
            out[f"dk{l}"] = np.array([[np.asarray(k) for k in row] for row in layer["dk"]])
            out[f"k{l}"] = np.array([[np.asarray(k) for k in row]
                                     for row in trained["layers"][l]["k"]])
    return out


def _dlt_nn(h: int, m: int):
    rng = np.random.default_rng(h * 31 + m)
    sizes = [100, h, 3 + h % 5]
    with R.isolated(h):
        net = N.nnsetup(sizes)
        net.update(weightPenaltyL2=1e-4, nonSparsityPenalty=0.1, momentum=0.5)
        x, y = rng.random((m, sizes[0])), rng.random((m, sizes[-1]))
        bp = N.nnbp(N.nnff(net, x, y))
        trained, _ = N.nntrain(net, x, y, {"numepochs": 1, "batchsize": m // 4},
                               verbose=False)
        loss = N.nneval(trained, {"train": {"e": [], "e_frac": []},
                                  "val": {"e": [], "e_frac": []}}, x, y)
    out = {f"dW{i}": np.asarray(w) for i, w in enumerate(bp["dW"])}
    out.update({f"W{i}": np.asarray(w) for i, w in enumerate(trained["W"])})
    out["eval"] = np.asarray(loss["train"]["e"], dtype=float)
    out["a"] = np.asarray(bp["a"][-1])
    return out


def _rbm(h: int, m: int):
    """The 1000-example case draws one batch's draws at a time (DRAW_BLOCK of one batch), so
    that at two threads and more they are made ahead on another thread."""
    rng = np.random.default_rng(h + 3 * m)
    x = (rng.random((m, 100)) > 0.5).astype(float)
    block = D.DRAW_BLOCK
    with R.isolated(h):
        dbn = D.dbnsetup({"sizes": [h]}, x, {"alpha": 1.0, "momentum": 0.5})
        if m >= 1000:
            D.DRAW_BLOCK = m // 4 * (h + 100)
        try:
            rbm = D.rbmtrain(dbn["rbm"][0], x, {"numepochs": 2, "batchsize": m // 4},
                             verbose=False)
        finally:
            D.DRAW_BLOCK = block
    return {"W": rbm["W"], "b": rbm["b"], "c": rbm["c"], "up": D.rbmup(rbm, x),
            "down": D.rbmdown(rbm, D.rbmup(rbm, x))}


def _cae(maps: int, bs: int):
    rng = np.random.default_rng(maps * 11 + bs)
    ik, rows = (1, 3, 3), 12
    x = [[rng.random((bs + ik[0] + 5, rows, rows))] for _ in range(2)]
    opts = {"batchsize": bs, "alpha": 0.01, "ddinterval": 2, "ddhist": 0.5, "rounds": 2}
    layer = {"outputmaps": maps, "inputkernel": list(ik), "outputkernel": list(ik),
             "scale": [1, 2, 2], "sigma": 0.1, "momentum": 0.9, "noise": 0.0}
    with R.isolated(maps):
        cae = C.scaesetup([layer], x, opts)[0]
        up = C.caeup(cae, [rng.random((bs, rows, rows))])
        bp = C.caebp(C.caedown(up), [rng.random((bs, rows, rows))])
        trained = C.scaetrain([cae], x, opts, verbose=False)[0]
    out = {"o": np.stack(bp["o"]), "rL": np.asarray(trained["rL"])}
    out.update({name: np.array(_flat(bp[name])) for name in ("dik", "dok", "dc", "db")})
    return out


def _flat(value) -> list[float]:
    """Every number of a nested list of arrays, in order."""
    if isinstance(value, (list, tuple)):
        return [v for item in value for v in _flat(item)]
    return list(np.ravel(np.asarray(value, dtype=float)))


# name -> (function, [(rows, examples), ...]): one block and several
CASES = {
    "ufldl.cnnCost+cnnConvolve": (_ucnn, [(K, n) for K in ROWS for n in (10, 70)]),
    "classic.cnnConvolve": (_classic_cnn, [(K, n) for K in ROWS for n in (3, 40)]),
    "softICACost+feedfowardRICA": (_rica, [(K, n) for K in ROWS for n in (3, 70)]),
    "sparseAutoencoderCost+Linear": (_sparseae, [(h, m) for h in ROWS for m in (300, 6000)]),
    "dlt.cnnff+cnnbp+cnntrain": (_dlt_cnn, [(K, m) for K in ROWS for m in (50, 120)]),
    "dlt.nnff+nnbp+nntrain+nneval": (_dlt_nn, [(h, m) for h in ROWS for m in (40, 2400)]),
    "dlt.rbmtrain+rbmup+rbmdown": (_rbm, [(h, m) for h in ROWS for m in (40, 1000)]),
    "dlt.cae round": (_cae, [(maps, bs) for maps in ROWS for bs in (1, 4)]),
}


def _run(name: str) -> list[dict[str, np.ndarray]]:
    fn, sizes = CASES[name]
    return [fn(*size) for size in sizes]


def _differences(name: str, monkeypatch) -> list[str]:
    """What differs from the one-thread results at 2 and 3 threads and under a caller's
    BLAS limits of 1 and 2."""
    monkeypatch.setenv("UFLDL_PY_THREADS", "1")
    reference = _run(name)
    runs = {}
    for threads in ("2", "3"):
        monkeypatch.setenv("UFLDL_PY_THREADS", threads)
        runs[f"{threads} threads"] = _run(name)
    monkeypatch.setenv("UFLDL_PY_THREADS", "2")
    for limit in (1, 2):
        with threadpool_limits(limits=limit, user_api="blas"):
            runs[f"2 threads, BLAS limited to {limit}"] = _run(name)
    bad = []
    for how, results in runs.items():
        for size, ref, got in zip(CASES[name][1], reference, results):
            for key in ref:
                if not np.array_equal(ref[key], got[key]):
                    worst = np.max(np.abs(np.asarray(ref[key]) - np.asarray(got[key])))
                    bad.append(f"{name} {size} {key}: {how} differs by {worst:.3g}")
    return bad


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", list(CASES))
def test_same_bits_at_any_thread_count(name, monkeypatch):
    assert _differences(name, monkeypatch) == []


def _switchable_kernels() -> list[str]:
    """The OpenBLAS kernels besides the default that this CPU runs, where numpy's BLAS is
    an OpenBLAS built for several (its kernel named in threadpoolctl's 'architecture')."""
    if sys.platform != "linux" or os.environ.get("OPENBLAS_CORETYPE"):
        return []
    blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
    if not blas or any(lib["internal_api"] != "openblas" for lib in blas):
        return []
    try:
        flags = set(Path("/proc/cpuinfo").read_text().split("flags")[1].split("\n")[0].split())
    except (OSError, IndexError):
        return []
    current = {str(lib.get("architecture", "")).lower() for lib in blas}
    kernels = [name for name, needs in (("Haswell", {"avx2", "fma"}), ("Sandybridge", {"avx"}))
               if needs <= flags and name.lower() not in current]
    return kernels


@pytest.mark.parametrize("coretype", _switchable_kernels() or
                         [pytest.param("none", marks=pytest.mark.skip(
                             reason="no other OpenBLAS kernel to switch to here"))])
def test_same_bits_under_other_blas_kernels(coretype):
    """The whole table again in a subprocess under another OpenBLAS kernel."""
    env = dict(os.environ, OPENBLAS_CORETYPE=coretype)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "-k", "any_thread_count", __file__], env=env, capture_output=True, text=True,
        timeout=600, cwd=Path(__file__).parent)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
