"""The crosscheck table: one :class:`~ufldl_py.crosscheck.Check` for every ported function.

Each row names the port, the MATLAB file it ports, how to draw random valid inputs (from a
numpy Generator), the inputs' and outputs' names and the tolerance. ``NOT_CHECKED`` lists
the ported functions that have no row, and why; a test holds every name in the packages'
``__all__`` to one or the other.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import minfunc
from ..dlt import cae as dcae
from ..dlt import cnn as dcnn
from ..dlt import dbn as ddbn
from ..dlt import nn as dnn
from ..dlt import util as dutil
from ..matlab import ops
from ..matlab import random as mrandom
from ..ufldl import cnn as ucnn
from ..ufldl import ex1
from ..ufldl import common, rica, stl
from ..ufldl import multilayer_supervised as mls
from ..ufldl_classic import softmax as csoftmax
from ..ufldl_classic import cnn as ccnn
from ..ufldl_classic import linear_decoder as clinear
from ..ufldl_classic import sparseae
from ..ufldl_classic import stackedae as cstacked
from ..ufldl_classic import stl as cstl
from . import Check

# --------------------------------------------------------------------------- random inputs


def _mat(rng, lo=1, hi=7, nd=2):
    return rng.standard_normal(tuple(int(s) for s in rng.integers(lo, hi, nd)))


def _shape(rng):
    return str(rng.choice(ops.SHAPES))


def _ucnn_network(rng: np.random.Generator):
    """Random valid sizes, parameters, images and labels for stanford_dl_ex/cnn."""
    poolDim = int(rng.integers(1, 4))
    filterDim = int(rng.integers(2, 7))
    outDim = int(rng.integers(1, 5))
    numFilters, numClasses = int(rng.integers(1, 5)), int(rng.integers(2, 6))
    imageDim = outDim * poolDim + filterDim - 1
    theta = 0.1 * rng.standard_normal(filterDim ** 2 * numFilters + numClasses * outDim ** 2
                                      * numFilters + numFilters + numClasses)
    images = rng.random((imageDim, imageDim, int(rng.integers(1, 9))))
    labels = rng.integers(1, numClasses + 1, images.shape[2]).astype(float)
    return theta, images, labels, float(numClasses), float(filterDim), float(numFilters), \
        float(poolDim)


def _ucnn_convolve(rng):
    theta, images, _, C, f, K, p = _ucnn_network(rng)
    Wc, _, bc, _ = ucnn.cnnParamsToStack(theta, images.shape[0], f, K, p, C)
    return f, K, images, Wc, bc


def _ucnn_pool(rng):
    p = int(rng.integers(1, 4))
    return float(p), rng.random((p * int(rng.integers(1, 5)),) * 2
                                + (int(rng.integers(1, 4)), int(rng.integers(1, 4))))


def _ucnn_stack(rng):
    theta, images, _, C, f, K, p = _ucnn_network(rng)
    return theta, float(images.shape[0]), f, K, p, C


def _ex1_problem(rng, labels):
    """theta (a column), X (n x m) and y (a row, as ex1's scripts make it)."""
    n, m = int(rng.integers(2, 8)), int(rng.integers(1, 30))
    X = rng.standard_normal((n, m))
    if labels == "real":
        return rng.standard_normal(n), X, rng.standard_normal((1, m))
    if labels == "binary":
        return 0.3 * rng.standard_normal(n), X, rng.integers(0, 2, (1, m)).astype(float)
    K = int(rng.integers(2, 6))
    return 0.3 * rng.standard_normal(n * (K - 1)), X, \
        rng.integers(1, K + 1, (1, m)).astype(float)


def _ex1_multi(rng):
    _, X, y = _ex1_problem(rng, "classes")
    return rng.standard_normal((X.shape[0], int(y.max()))), X, y


def _dnn_network(rng):
    ei = {"input_dim": float(rng.integers(2, 6)), "output_dim": float(rng.integers(2, 5)),
          "lambda": float(rng.choice([0.0, 0.1])),
          "activation_fun": str(rng.choice(list(mls.ACTIVATIONS)))}
    hidden = [float(h) for h in rng.integers(1, 6, int(rng.integers(0, 3)))]
    ei["layer_sizes"] = np.array(hidden + [ei["output_dim"]])
    theta = mls.stack2params([{"W": 0.5 * rng.standard_normal((int(o), int(i))),
                               "b": 0.1 * rng.standard_normal(int(o))}
                              for i, o in zip([ei["input_dim"]] + hidden,
                                              hidden + [ei["output_dim"]])])
    m = int(rng.integers(1, 12))
    X = rng.standard_normal((int(ei["input_dim"]), m))
    y = rng.integers(1, int(ei["output_dim"]) + 1, m).astype(float)
    return theta, ei, X, y


def _minfunc_problem(rng):
    n, m = int(rng.integers(2, 6)), int(rng.integers(5, 40))
    X = rng.standard_normal((n, m))
    return rng.standard_normal(n), X, X.T @ rng.standard_normal(n) \
        + 0.1 * rng.standard_normal(m)


def _minFunc_linear_regression(theta, X, y):
    """20 L-BFGS iterations of minFunc on ex1's linear_regression_vec."""
    return minfunc.minFunc(ex1.linear_regression_vec, theta, {"MaxIter": 20, "Display": "off"},
                           X, y)[:3]


def _dlt_net(rng: np.random.Generator):
    """A random valid layer stack with its cnnsetup weights, a batch and targets."""
    maps = int(rng.integers(1, 4))
    size = int(rng.choice([12, 16, 20]))
    layers = [{"type": "i"}, {"type": "c", "outputmaps": float(maps), "kernelsize": 5.0},
              {"type": "s", "scale": 2.0}]
    if size > 12:
        layers += [{"type": "c", "outputmaps": float(rng.integers(1, 4)), "kernelsize": 3.0},
                   {"type": "s", "scale": 1.0 if (size - 4) // 2 % 2 else 2.0}]
    x = rng.random((size, size, int(rng.integers(2, 6))))  # the original needs n >= 2
    y = rng.random((int(rng.integers(2, 6)), x.shape[2]))
    with mrandom.isolated(int(rng.integers(0, 2 ** 31))):
        net = dcnn.cnnsetup({"layers": layers}, x, y)
    return net, x, y


def _dlt_bp(rng):
    net, x, y = _dlt_net(rng)
    return dcnn.cnnff(net, x), y


def _patches_input(rng):
    """Random square images, one per column, a patch size and a count."""
    d = int(rng.integers(2, 12))
    return rng.random((d * d, int(rng.integers(1, 9)))), float(rng.integers(1, d + 1)), \
        float(rng.integers(0, 40))


SAMPLE_SEED = 42  # rand('state', 42) on both sides before samplePatches


def _seeded_samplePatches(rawImages, patchSize, numPatches):
    with mrandom.isolated():
        mrandom.rand("state", SAMPLE_SEED)
        return common.samplePatches(rawImages, patchSize, numPatches)


def _rica_patches(rng):
    n, m = int(rng.integers(2, 30)), int(rng.integers(2, 80))
    return (rng.random((n, m)),)


def _rica_cost(rng):
    k, n, m = int(rng.integers(1, 12)), int(rng.integers(2, 30)), int(rng.integers(1, 80))
    params = {"numFeatures": float(k), "n": float(n), "lambda": float(rng.choice([5e-4, 0.1])),
              "epsilon": 1e-2}
    return rng.standard_normal(k * n), rng.standard_normal((n, m)), params


def _rows(rng):
    return rng.standard_normal((int(rng.integers(1, 8)), int(rng.integers(1, 8))))


def _rowsg(rng):
    x = _rows(rng)
    alpha = float(rng.random() + 0.5)
    return x, rica.l2rowscaled(x, alpha), rng.standard_normal(x.shape), alpha


def _feedforward(rng):
    poolDim, outDim, filterDim = (int(v) for v in rng.integers(1, 5, 3))
    K, n = int(rng.integers(1, 5)), int(rng.integers(1, 6))
    d = outDim * poolDim + filterDim - 1
    return float(filterDim), float(poolDim), float(K), rng.random((d, d, n)), \
        rng.standard_normal((filterDim, filterDim, K)), {"epsilon": float(rng.random())}


def _cae(rng: np.random.Generator, scale=(1, 1, 1)):
    """A random autoencoder from scaesetup, with a batch of inputs and targets (scale
    [1 1 1] by default: caeup then draws no random numbers)."""
    n, k = int(rng.integers(1, 3)), int(rng.integers(2, 5))
    bs = int(rng.integers(n, 4))
    rows, cols = int(rng.integers(k, 10)), int(rng.integers(k, 10))
    row = lambda v: np.array([v], dtype=float)  # noqa: E731 (a list would save as a cell)
    layer = {"outputmaps": float(rng.integers(1, 4)), "inputkernel": row([n, k, k]),
             "outputkernel": row([n, k, k]), "scale": row(scale), "sigma": 0.1,
             "momentum": 0.9, "noise": 0.0}
    n_in = int(rng.integers(1, 3))
    x = [[rng.random((bs + n + 2, rows, cols)) for _ in range(n_in)]]
    with mrandom.isolated(int(rng.integers(0, 2 ** 31))):
        cae = dcae.scaesetup([layer], x, {"batchsize": float(bs), "alpha": 0.1})[0]
    cae["a"] = [np.zeros((0, 0))] * len(cae["b"])
    xb = [rng.random((bs, rows, cols)) for _ in range(n_in)]
    yb = [rng.random((bs, rows, cols)) for _ in range(n_in)]
    return cae, xb, yb


def _cae_down(rng):
    cae, xb, _ = _cae(rng)
    return (dcae.caeup(cae, xb),)


def _cae_bp(rng):
    cae, xb, yb = _cae(rng)
    return dcae.caedown(dcae.caeup(cae, xb)), yb


def _cae_after_bp(rng):
    return (dcae.caebp(*_cae_bp(rng)),)


def _cae_sdlm(rng):
    opts = {"ddinterval": float(rng.integers(1, 4)), "ddhist": 0.5}
    return dcae.caebbp(dcae.caebp(*_cae_bp(rng))), opts, float(rng.integers(1, 7))
def _dlt_nn(rng: np.random.Generator, options: bool = True):
    """A random valid net (nnsetup's fields, random sizes and options without dropout, whose
    masks nnff would draw), a batch and targets."""
    sizes = [float(s) for s in rng.integers(1, 7, int(rng.integers(2, 5)))]
    with mrandom.isolated(int(rng.integers(0, 2 ** 31))):
        net = dnn.nnsetup(sizes)
    if options:
        net.update(activation_function=str(rng.choice(dnn.ACTIVATIONS)),
                   output=str(rng.choice(dnn.OUTPUTS)),
                   weightPenaltyL2=float(rng.choice([0.0, 1e-3])),
                   nonSparsityPenalty=float(rng.choice([0.0, 0.1])),
                   momentum=float(rng.choice([0.0, 0.5])))
    m = int(rng.integers(2, 9))
    x = rng.random((m, int(sizes[0])))
    y = np.eye(int(sizes[-1]))[rng.integers(0, int(sizes[-1]), m)]
    return net, x, y


def _dlt_nn_bp(rng):
    net, x, y = _dlt_nn(rng)
    return (dnn.nnff(net, x, y),)


def _dlt_nn_applygrads(rng):
    net = _dlt_nn_bp(rng)[0]
    net = dnn.nnbp(net)
    net["vW"] = [0.1 * rng.standard_normal(np.shape(W)) for W in net["W"]]
    return (net,)


def _dlt_rbm(rng):
    v, h = int(rng.integers(1, 8)), int(rng.integers(1, 6))
    return {"W": rng.standard_normal((h, v)), "b": rng.standard_normal(v),
            "c": rng.standard_normal(h)}, v, h


def _dlt_dbn(rng):
    rbm, v, h = _dlt_rbm(rng)
    x = rng.random((int(rng.integers(1, 6)), v))
    opts = {"alpha": float(rng.random()), "momentum": float(rng.random())}
    return {"sizes": rng.integers(1, 6, (1, int(rng.integers(1, 4)))).astype(float)}, x, opts


def _sae_problem(rng):
    """A random autoencoder, its hyper-parameters and data in [0.1, 0.9] (sparseae_exercise)."""
    v, h, m = int(rng.integers(2, 12)), int(rng.integers(1, 6)), int(rng.integers(1, 30))
    return (0.3 * rng.standard_normal(2 * v * h + v + h), float(v), float(h),
            float(rng.choice([0.0, 1e-4, 3e-3])), float(rng.choice([0.01, 0.1, 0.35])),
            float(rng.choice([0.0, 3.0])), 0.1 + 0.8 * rng.random((v, m)))


def _linear_problem(rng):
    """As _sae_problem, with data of any sign (the linear decoder's ZCA-whitened patches)."""
    problem = _sae_problem(rng)
    return problem[:-1] + (rng.standard_normal(problem[-1].shape),)


def _softmax_problem(rng):
    """theta (K*n), K, n, lambda, data (n x m) and labels 1..K with K among them."""
    n, K, m = int(rng.integers(1, 8)), int(rng.integers(2, 6)), int(rng.integers(1, 25))
    labels = rng.integers(1, K + 1, m).astype(float)
    labels[int(rng.integers(0, m))] = K  # the original's groundTruth needs class K present
    return (0.3 * rng.standard_normal(K * n), float(K), float(n),
            float(rng.choice([0.0, 1e-4, 1e-2])), rng.standard_normal((n, m)), labels)


def _softmax_model(rng):
    theta, K, n, _, data, _ = _softmax_problem(rng)
    return {"optTheta": theta.reshape(int(K), int(n), order="F"), "inputSize": n,
            "numClasses": K}, data


def _stacked_net(rng):
    """A random stack (1-3 layers), softmax weights, data and labels with class K present."""
    n = int(rng.integers(2, 7))
    sizes = [int(s) for s in rng.integers(1, 6, int(rng.integers(1, 4)))]
    stack = [{"w": 0.5 * rng.standard_normal((s, p)), "b": 0.1 * rng.standard_normal(s)}
             for s, p in zip(sizes, [n] + sizes[:-1])]
    params, netconfig = cstacked.stack2params(stack)
    K, m = int(rng.integers(2, 5)), int(rng.integers(1, 12))
    labels = rng.integers(1, K + 1, m).astype(float)
    labels[int(rng.integers(0, m))] = K
    theta = np.concatenate([0.3 * rng.standard_normal(K * sizes[-1]), params])
    netconfig = {"inputsize": float(n), "layersizes": [float(s) for s in sizes]}
    return theta, float(n), float(sizes[-1]), float(K), netconfig, \
        float(rng.choice([0.0, 1e-2])), rng.standard_normal((n, m)), labels


def _stacked_predict(rng):
    net = _stacked_net(rng)
    return net[:5] + (net[6],)


def _classic_convolve(rng):
    """patchDim, numFeatures, colour images, W, b, ZCAWhite, meanPatch (cnn_exercise)."""
    p, K, d, n = int(rng.integers(1, 5)), int(rng.integers(1, 5)), 0, int(rng.integers(1, 4))
    d = p + int(rng.integers(0, 6))
    v = 3 * p * p
    return (float(p), float(K), rng.random((d, d, 3, n)), rng.standard_normal((K, v)),
            rng.standard_normal(K), rng.standard_normal((v, v)) / v, rng.random(v))


def _classic_pool(rng):
    p = int(rng.integers(1, 4))
    d = p * int(rng.integers(1, 4)) + int(rng.integers(0, p))
    return float(p), rng.random((int(rng.integers(1, 4)), int(rng.integers(1, 4)), d, d))


def _ffae(rng):
    v, h, m = int(rng.integers(1, 10)), int(rng.integers(1, 6)), int(rng.integers(1, 12))
    return rng.standard_normal(2 * v * h + v + h), float(h), float(v), rng.random((v, m))


def _svd_up_to_signs(A):
    """ops.svd's S, |U|, |V| and U*S*V': its singular vectors up to their signs."""
    U, S, V = ops.svd(A)
    return S, np.abs(U), np.abs(V), U @ S @ V.T


# --------------------------------------------------------------------------- the table

_UCNN = {"where": "ufldl", "subdirs": ("cnn",)}
_EX1 = {"where": "ufldl", "subdirs": ("ex1",)}
_EX1_COST = {**_EX1, "nargout": 2, "outnames": ("f", "g")}
_MLS = {"where": "ufldl", "subdirs": ("multilayer_supervised",)}
_DLT_CNN = {"where": "dlt", "subdirs": ("CNN", "util")}
_RICA = {"where": "ufldl", "subdirs": ("rica",)}
_DLT_CAE = {"where": "dlt", "subdirs": ("CAE", "util")}
_DLT_NN = {"where": "dlt", "subdirs": ("NN", "util")}
_DLT_DBN = {"where": "dlt", "subdirs": ("DBN", "NN", "util")}
_DLT_UTIL = {"where": "dlt", "subdirs": ("util",)}
_CLASSIC = {"where": "classic", "subdirs": ("common",)}

CHECKS: list[Check] = [
    # MATLAB's builtins (ufldl_py.matlab.ops) against Octave's own
    Check("conv2", ops.conv2, lambda r: (_mat(r), _mat(r, 1, 5), _shape(r)),
          ("A", "B", "shape")),
    Check("convn", ops.convn, lambda r: (_mat(r, 1, 7, 3), _mat(r, 1, 4, int(r.integers(2, 4))),
                                         _shape(r)), ("A", "B", "shape")),
    Check("rot90", ops.rot90, lambda r: (_mat(r, 1, 6, 3), float(r.integers(-3, 4))),
          ("A", "k")),
    Check("flip", ops.flip, lambda r: (_mat(r, 1, 5, 3), float(r.integers(1, 4))),
          ("A", "dim")),
    Check("flipdim", ops.flipdim, lambda r: (_mat(r), float(r.integers(1, 3))), ("A", "dim"),
          matlab="flip(A, dim)"),
    Check("fliplr", ops.fliplr, lambda r: (_mat(r),), ("A",)),
    Check("flipud", ops.flipud, lambda r: (_mat(r),), ("A",)),
    Check("flipall", ops.flipall, lambda r: (_mat(r, 1, 5, 3),), ("X",),
          matlab="flip(flip(flip(X, 1), 2), 3)", mfile="DeepLearnToolbox util/flipall.m"),
    Check("rot180", ops.rot180, lambda r: (_mat(r, 1, 5, 3),), ("X",),
          matlab="flip(flip(X, 1), 2)", mfile="DeepLearnToolbox CNN/rot180 (in cnnbp.m)"),
    Check("kron", ops.kron, lambda r: (_mat(r, 1, 4), _mat(r, 1, 4)), ("A", "B")),
    Check("expand", ops.expand,
          lambda r: (_mat(r, 1, 5, 3), r.integers(1, 4, 3).astype(float)), ("A", "S"),
          matlab="repelem(A, S(1), S(2), S(3))", mfile="DeepLearnToolbox util/expand.m"),
    Check("repmat", ops.repmat, lambda r: (_mat(r), r.integers(1, 4, 3).astype(float)),
          ("A", "reps")),
    Check("onehot", ops.onehot,
          lambda r: (r.integers(1, 6, int(r.integers(1, 12))).astype(float), 6.0),
          ("labels", "numClasses"),
          matlab="full(sparse(labels, 1:numel(labels), 1, numClasses, numel(labels)))",
          mfile="builtin full(sparse(...))"),
    Check("unroll", ops.unroll, lambda r: (_mat(r, 1, 5, 3),), ("A",), matlab="A(:)",
          mfile="builtin A(:)"),
    Check("reshape", ops.reshape,
          lambda r: (r.standard_normal(24), np.array([2.0, 3.0, 4.0])), ("v", "dims")),
    Check("cov", ops.cov, lambda r: (_mat(r, 2, 8),), ("x",)),
    Check("histc", ops.histc,
          lambda r: (r.random(int(r.integers(1, 30))), np.sort(r.random(int(r.integers(1, 6))))),
          ("x", "edges"), nargout=2, outnames=("n", "idx")),
    Check("chol", ops.chol,
          lambda r: ((lambda B: B @ B.T + np.eye(B.shape[0]))(_mat(r, 1, 6)),), ("A",)),
    # the singular vectors' signs are LAPACK's (dgesvd's, as Octave's where both link the same
    # build): compared up to sign, with S and the product U*S*V'
    Check("svd", _svd_up_to_signs, lambda r: (_mat(r, 1, 7),), ("A",), nargout=4,
          outnames=("S", "|U|", "|V|", "U*S*V'"), setup="[U_, S_, V_] = svd(A);",
          matlab="deal(S_, abs(U_), abs(V_), U_ * S_ * V_')", mfile="builtin svd"),
    # stanford_dl_ex/cnn
    Check("cnnConvolve", ucnn.cnnConvolve, _ucnn_convolve,
          ("filterDim", "numFilters", "images", "W", "b"), **_UCNN),
    Check("cnnPool", ucnn.cnnPool, _ucnn_pool, ("poolDim", "convolvedFeatures"), **_UCNN),
    Check("cnnCost", ucnn.cnnCost, _ucnn_network,
          ("theta", "images", "labels", "numClasses", "filterDim", "numFilters", "poolDim"),
          nargout=2, outnames=("cost", "grad"),
          completion="weight decay lambda = 3e-3 on Wc and Wd (the port's default)",
          variants=(("no weight decay (as the template leaves it)",
                     functools.partial(ucnn.cnnCost, lambda_=0.0)),), **_UCNN),
    Check("cnnParamsToStack", ucnn.cnnParamsToStack, _ucnn_stack,
          ("theta", "imageDim", "filterDim", "numFilters", "poolDim", "numClasses"),
          nargout=4, outnames=("Wc", "Wd", "bc", "bd"), **_UCNN),
    # stanford_dl_ex/ex1
    *(Check(fn.__name__, fn, lambda rng, labels=labels: _ex1_problem(rng, labels),
            ("theta", "X", "y"), **_EX1_COST)
      for fn, labels in ((ex1.linear_regression, "real"), (ex1.linear_regression_vec, "real"),
                         (ex1.logistic_regression, "binary"),
                         (ex1.logistic_regression_vec, "binary"),
                         (ex1.softmax_regression_vec, "classes"))),
    Check("sigmoid", ex1.sigmoid, lambda rng: (rng.standard_normal((3, 4)) * 5,), ("a",),
          **_EX1),
    Check("binary_classifier_accuracy", ex1.binary_classifier_accuracy,
          lambda rng: _ex1_problem(rng, "binary"), ("theta", "X", "y"), **_EX1),
    Check("multi_classifier_accuracy", ex1.multi_classifier_accuracy, _ex1_multi,
          ("theta", "X", "y"), **_EX1),
    # stanford_dl_ex/multilayer_supervised
    Check("supervised_dnn_cost", mls.supervised_dnn_cost, _dnn_network,
          ("theta", "ei", "data", "labels"), nargout=3,
          outnames=("cost", "grad", "pred_prob"), **_MLS),
    Check("params2stack", mls.params2stack, lambda rng: _dnn_network(rng)[:2],
          ("params", "ei"), **_MLS),
    Check("stack2params", mls.stack2params,
          lambda rng: (mls.params2stack(*_dnn_network(rng)[:2]),), ("stack",), **_MLS),
    # stanford_dl_ex/common, rica, stl
    Check("samplePatches", _seeded_samplePatches, _patches_input,
          ("rawImages", "patchSize", "numPatches"), where="ufldl", subdirs=("common",),
          setup=f"rand('state', {SAMPLE_SEED});"),
    Check("zca2", rica.zca2, _rica_patches, ("x",), nargout=2, outnames=("Z", "V"), **_RICA),
    Check("preprocess", rica.preprocess, _rica_patches, ("patches",), nargout=3,
          outnames=("patches", "mean_patch", "V"), **_RICA),
    Check("removeDC", rica.removeDC,
          lambda rng: (*_rica_patches(rng), float(rng.integers(1, 3))), ("X", "dim"),
          nargout=2, outnames=("Y", "meanX"), **_RICA),
    Check("l2rowscaled", rica.l2rowscaled, lambda rng: (_rows(rng), float(rng.random() + .5)),
          ("x", "alpha"), **_RICA),
    Check("l2rowscaledg", rica.l2rowscaledg, _rowsg, ("x", "y", "outderv", "alpha"), **_RICA),
    Check("bsxfunwrap", lambda a, b: rica.bsxfunwrap(np.divide, a, b),
          lambda rng: (_rows(rng) + 3.0, np.full((1, 1), 2.0)), ("a", "b"),
          matlab="bsxfunwrap(@rdivide, a, b)", **_RICA),
    Check("softICACost", rica.softICACost, _rica_cost, ("theta", "x", "params"), nargout=2,
          outnames=("cost", "grad"), **_RICA),
    Check("feedfowardRICA", stl.feedfowardRICA, _feedforward,
          ("filterDim", "poolDim", "numFilters", "images", "W", "params_"), where="ufldl",
          subdirs=("stl",), setup="global params; params = params_;",
          matlab="feedfowardRICA(filterDim, poolDim, numFilters, images, W)"),
    # minFunc_2012 (shipped in stanford_dl_ex/common)
    Check("minFunc", _minFunc_linear_regression, _minfunc_problem, ("theta", "X", "y"),
          nargout=3, outnames=("x", "f", "exitflag"), where="ufldl",
          subdirs=("ex1", "common/minFunc_2012/minFunc"),
          matlab="minFunc(@linear_regression_vec, theta, struct('MaxIter', 20, 'useMex', 0, "
                 "'Display', 'off'), X, y')",
          rtol=1e-10, mfile="common/minFunc_2012/minFunc/minFunc.m"),
    # the original UFLDL exercises (common/, sparseae_exercise/, ...)
    Check("sparseAutoencoderCost", sparseae.sparseAutoencoderCost, _sae_problem,
          ("theta", "visibleSize", "hiddenSize", "lambda", "sparsityParam", "beta", "data"),
          nargout=2, outnames=("cost", "grad"), **_CLASSIC),
    Check("sparseAutoencoderLinearCost", clinear.sparseAutoencoderLinearCost,
          _linear_problem,
          ("theta", "visibleSize", "hiddenSize", "lambda", "sparsityParam", "beta", "data"),
          nargout=2, outnames=("cost", "grad"), where="classic",
          subdirs=("linear_decoder_exercise",)),
    Check("classic.cnnConvolve", ccnn.cnnConvolve, _classic_convolve,
          ("patchDim", "numFeatures", "images", "W", "b", "ZCAWhite", "meanPatch"),
          matlab="cnnConvolve(patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch)",
          where="classic", subdirs=("cnn_exercise",), mfile="cnn_exercise/cnnConvolve.m"),
    Check("classic.cnnPool", ccnn.cnnPool, _classic_pool, ("poolDim", "convolvedFeatures"),
          matlab="cnnPool(poolDim, convolvedFeatures)", where="classic",
          subdirs=("cnn_exercise",), mfile="cnn_exercise/cnnPool.m"),
    Check("softmaxCost", csoftmax.softmaxCost, _softmax_problem,
          ("theta", "numClasses", "inputSize", "lambda", "data", "labels"), nargout=2,
          outnames=("cost", "grad"), **_CLASSIC),
    Check("softmaxPredict", csoftmax.softmaxPredict, _softmax_model,
          ("softmaxModel", "data"), **_CLASSIC),
    Check("feedForwardAutoencoder", cstl.feedForwardAutoencoder, _ffae,
          ("theta", "hiddenSize", "visibleSize", "data"), **_CLASSIC),
    Check("stackedAECost", cstacked.stackedAECost, _stacked_net,
          ("theta", "inputSize", "hiddenSize", "numClasses", "netconfig", "lambda", "data",
           "labels"), nargout=2, outnames=("cost", "grad"), where="classic",
          subdirs=("stackedae_exercise", "common")),
    Check("stackedAEPredict", cstacked.stackedAEPredict, _stacked_predict,
          ("theta", "inputSize", "hiddenSize", "numClasses", "netconfig", "data"),
          where="classic", subdirs=("stackedae_exercise", "common")),
    # DeepLearnToolbox/CNN
    Check("cnnff", dcnn.cnnff, lambda rng: _dlt_net(rng)[:2], ("net", "x"), **_DLT_CNN),
    Check("cnnbp", dcnn.cnnbp, _dlt_bp, ("net", "y"), **_DLT_CNN),
    # DeepLearnToolbox/util
    Check("sigm", dutil.sigm, lambda rng: (5 * rng.standard_normal((4, 3)),), ("P",),
          where="dlt", subdirs=("util",)),
    # DeepLearnToolbox/CAE
    Check("caedown", dcae.caedown, _cae_down, ("cae",), **_DLT_CAE),
    Check("caebp", dcae.caebp, _cae_bp, ("cae", "y"), **_DLT_CAE),
    Check("caebbp", dcae.caebbp, _cae_after_bp, ("cae",), **_DLT_CAE),
    Check("caesdlm", dcae.caesdlm, _cae_sdlm, ("cae", "opts", "m"), **_DLT_CAE),
    Check("caeapplygrads", dcae.caeapplygrads, _cae_after_bp, ("cae",), **_DLT_CAE),
    Check("caeup", dcae.caeup, lambda r: _cae(r)[:2], ("cae", "x"), **_DLT_CAE),
    Check("whiten", dutil.whiten,
          lambda r: (r.standard_normal((int(r.integers(6, 20)), int(r.integers(1, 5)))),
                     float(r.uniform(0.01, 1))),
          ("X", "fudgefactor"), **_DLT_UTIL),
    Check("im2patches", dutil.im2patches,
          lambda r: (lambda m: (r.standard_normal((m * int(r.integers(1, 4)),
                                                   m * int(r.integers(1, 4)))), float(m),
                                float(m)))(int(r.integers(1, 5))), ("im", "m", "n"),
          **_DLT_UTIL),
    Check("visualize", dutil.visualize,
          lambda r: (r.standard_normal((int(r.integers(1, 5)) ** 2, int(r.integers(1, 12)))),),
          ("X",), **_DLT_UTIL),
    Check("allcomb", dutil.allcomb,
          lambda r: tuple(r.standard_normal(int(r.integers(1, 4))) for _ in range(3)),
          ("a", "b", "c"), **_DLT_UTIL),
    Check("fliplrf", dutil.fliplrf, lambda r: (_mat(r, 1, 5, 3),), ("x",), **_DLT_UTIL),
    Check("flipudf", dutil.flipudf, lambda r: (_mat(r, 1, 5, 3),), ("x",), **_DLT_UTIL),
    # DeepLearnToolbox/NN (nets without dropout: its masks are drawn inside nnff)
    Check("nnff", dnn.nnff, _dlt_nn, ("nn", "x", "y"), **_DLT_NN),
    Check("nnbp", dnn.nnbp, _dlt_nn_bp, ("nn",), **_DLT_NN),
    Check("nnapplygrads", dnn.nnapplygrads, _dlt_nn_applygrads, ("nn",), **_DLT_NN),
    Check("nnpredict", dnn.nnpredict, lambda rng: _dlt_nn(rng)[:2], ("nn", "x"), **_DLT_NN),
    Check("nntest", dnn.nntest, _dlt_nn, ("nn", "x", "y"), nargout=2,
          outnames=("er", "bad"), **_DLT_NN),
    # DeepLearnToolbox/DBN
    Check("rbmup", ddbn.rbmup, lambda rng: (lambda r: (r[0], rng.random((3, r[1]))))(
        _dlt_rbm(rng)), ("rbm", "x"), **_DLT_DBN),
    Check("rbmdown", ddbn.rbmdown, lambda rng: (lambda r: (r[0], rng.random((3, r[2]))))(
        _dlt_rbm(rng)), ("rbm", "x"), **_DLT_DBN),
    Check("dbnsetup", ddbn.dbnsetup, _dlt_dbn, ("dbn", "x", "opts"), **_DLT_DBN),
    # DeepLearnToolbox/util
    Check("tanh_opt", dutil.tanh_opt, lambda rng: (3 * rng.standard_normal((4, 3)),), ("A",),
          **_DLT_UTIL),
    Check("softmax", dutil.softmax, lambda rng: (rng.standard_normal((4, 3)),), ("eta",),
          **_DLT_UTIL),
    Check("zscore", dutil.zscore, lambda rng: (rng.random((int(rng.integers(2, 8)), 4)),),
          ("x",), nargout=3, outnames=("x", "mu", "sigma"), **_DLT_UTIL),
    Check("normalize", dutil.normalize,
          lambda rng: (rng.random((5, 3)), rng.random((1, 3)), 0.5 + rng.random((1, 3))),
          ("x", "mu", "sigma"), **_DLT_UTIL),
]

# Ported functions without a row, and why.
NOT_CHECKED = {
    "cnnInitParams": "random: its draws are compared with Octave's in tests/test_ucnn.py",
    "computeNumericalGradient": "takes a function handle; its use is tested by gradient checks",
    "minFuncSGD": "takes a function handle; seeded runs are compared with fixtures",
    "grad_check": "takes a function handle and draws random indices",
    "ex1_load_mnist": "reads data files: compared through tests/test_data.py",
    "load_preprocess_mnist": "reads data files: compared through tests/test_data.py",
    "initialize_weights": "random: compared with Octave's draws in tests/test_supervised.py",
    "polyinterp": "checked through minFunc's iterates",
    "WolfeLineSearch": "checked through minFunc's iterates",
    "ArmijoBacktrack": "checked through minFunc's iterates",
    "lbfgsAdd": "checked through minFunc's iterates",
    "lbfgsProd": "checked through minFunc's iterates",
    "isLegal": "one line: no NaN, Inf or complex entries",
    "cnnsetup": "random: compared with Octave's draws in tests/test_dlt_cnn.py",
    "cnnapplygrads": "compared with fixtures of cnntrain's steps",
    "cnntrain": "random and long: compared with fixtures of seeded runs",
    "cnntest": "compared with fixtures of a trained net",
    "cnnnumgradcheck": "a gradient check: tested on the port's own gradients",
    "showBases": "draws a figure (minFunc's outputFcn); its calls are compared with Octave's "
                 "in tests/test_unsup.py",
    "zero_mean": "a step of the script pca_gen.m (no MATLAB function): compared with the "
                 "completed script's variables in tests/test_unsup.py",
    "pca_rotate": "a step of pca_gen.m (U up to signs): compared with the completed script's "
                  "variables in tests/test_unsup.py",
    "covariance": "a step of pca_gen.m: compared with the completed script's variables",
    "num_components": "a step of pca_gen.m: compared with the completed script's k",
    "pca_reduce": "a step of pca_gen.m: compared with the completed script's xHat",
    "pca_whiten": "a step of pca_gen.m: compared with the completed script's xPCAWhite",
    "zca_whiten": "a step of pca_gen.m: compared with the completed script's xZCAWhite",
    "fix_signs": "Python only: the sign rule for eigenvectors (no MATLAB counterpart)",
    "scaesetup": "random, and needs Octave's image package (im2col): compared with Octave's "
                 "draws in tests/test_dlt_cae.py",
    "scaetrain": "random and long: compared with fixtures of seeded runs",
    "caetrain": "random and long: compared with fixtures of seeded runs",
    "caenumgradcheck": "a gradient check: tested on the port's own gradients",
    "max3d": "random (its tie-breaking noise): compared with seeded fixtures",
    "patches2im": "hard-coded to 9,120 patches of 10 x 10: compared with a fixture",
    "randp": "random: compared with Octave's draws (fixtures, live test)",
    "randcorr": "random, and Octave 7 has normcdf only in the statistics package: fixtures",
    "makeLMfilters": "needs Octave's image package (fspecial): compared with a fixture",
    "im2col": "Octave's image package: fixtures, and a live test where it is installed",
    "fspecial": "Octave's image package: fixtures, and a live test where it is installed",
    "normcdf": "Octave 7 has it only in the statistics package: tested by its properties",
    "nnsetup": "random: compared with Octave's draws in tests/test_dlt_nn.py",
    "nntrain": "random and long: compared with fixtures of seeded runs",
    "nneval": "compared with fixtures of a trained net",
    "nnchecknumgrad": "a gradient check: tested on the port's own gradients",
    "nnupdatefigures": "draws a figure (a PNG)",
    "saesetup": "random: its nnsetup draws are compared with fixtures",
    "saetrain": "random and long: compared with fixtures of seeded runs",
    "dbntrain": "random and long: compared with fixtures of seeded runs",
    "rbmtrain": "random and long: compared with fixtures of seeded runs",
    "dbnunfoldtonn": "random (nnsetup): compared with fixtures of seeded runs",
    "sigmrnd": "random: compared with Octave's draws in tests/test_dlt_nn.py",
    "rnd": "random: compared with Octave's draws in tests/test_dlt_nn.py",
    "sampleIMAGES": "random, and reads IMAGES.mat: compared with seeded Octave runs in "
                    "tests/test_classic_sparseae.py",
    "normalizeData": "a subfunction of sampleIMAGES.m (not callable from Octave): compared "
                     "through sampleIMAGES",
    "initializeParameters": "random: compared with Octave's draws in tests/test_classic_*.py",
    "checkNumericalGradient": "prints a check of computeNumericalGradient; no outputs to compare",
    "sampleIMAGESRAW": "random, and reads IMAGES_RAW.mat: compared with seeded Octave runs in "
                       "tests/test_classic_pca.py",
    "pca_2d": "ports a script (pca_2d.m): compared with fixtures of the completed script",
    "pca_gen": "ports a script (pca_gen.m): compared with fixtures of the completed script",
    "load_pcaData": "reads data/classic/pcaData.txt (load('pcaData.txt', '-ascii'))",
    "softmaxTrain": "random and iterative: compared with a seeded minFunc run's iterates in "
                    "tests/test_classic_softmax.py",
    # the original exercises' stack2params and params2stack share their names with
    # stanford_dl_ex's (the rows above check those)
    "ufldl_classic.stack2params": "a cell array of structs in, a struct out: compared with "
                                  "fixtures in tests/test_classic_stackedae.py",
    "ufldl_classic.params2stack": "returns a cell array of structs: compared with fixtures in "
                                  "tests/test_classic_stackedae.py",
    "displayColorNetwork": "draws a figure; its tiling is tested in "
                           "tests/test_classic_linear_decoder.py",
    "zca_whitening": "a step of linearDecoderExercise.m (a script): compared with fixtures of "
                     "the completed script",
    "display_network": "draws a figure (ufldl_py.plot.display_network); tested in test_plot.py",
}
