"""The random valid problem of every ported function: one table, :data:`PROBLEMS`, used by
crosscheck (its random inputs), student mode (the held-out inputs of each exercise), the
tests and the benchmarks.

``PROBLEMS[name](rng)`` draws, from a numpy Generator, a tuple of valid arguments of the
function ``name`` (its MATLAB name; ``classic.NAME`` for the original UFLDL exercises'
function where stanford_dl_ex has one of the same name), in its MATLAB order and shapes:
random sizes within what the original accepts, random values, labels 1..K. ``problem(name,
seed)`` is the same with a seed.

    >>> from ufldl_py.testing import problem
    >>> from ufldl_py.ufldl.cnn import cnnCost
    >>> cost, grad = cnnCost(*problem("cnnCost", 0))
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np

from ..dlt import cae as dcae
from ..dlt import cnn as dcnn
from ..dlt import nn as dnn
from ..matlab import ops
from ..matlab import random as mrandom
from ..ufldl import cnn as ucnn
from ..ufldl import multilayer_supervised as mls
from ..ufldl import rica
from ..ufldl_classic import stackedae as cstacked

__all__ = ["PROBLEMS", "problem", "sparse_autoencoder", "softmax_regression",
           "stacked_autoencoder", "color_convolution", "soft_ica"]


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


def _rica_patches(rng):
    n, m = int(rng.integers(2, 30)), int(rng.integers(2, 80))
    return (rng.random((n, m)),)


def _rows(rng):
    return rng.standard_normal((int(rng.integers(1, 8)), int(rng.integers(1, 8))))


def _rowsg(rng):
    x = _rows(rng)
    alpha = float(rng.random() + 0.5)
    return x, rica.l2rowscaled(x, alpha), rng.standard_normal(x.shape), alpha


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


# --------------------------------------------------------------------------- sized problems
# The problems student mode also draws (its held-out inputs and the MATLAB drivers' checks at
# fixed sizes): sizes are keywords, a size left out is drawn; sizes are returned as MATLAB's
# doubles (floats).


def sparse_autoencoder(rng: np.random.Generator, v: int | None = None, h: int | None = None,
                       m: int | None = None, *, linear: bool = False) -> tuple:
    """A problem of sparseAutoencoderCost (UFLDL sparseae_exercise), or with ``linear`` of
    sparseAutoencoderLinearCost (linear_decoder_exercise).

    Parameters
    ----------
    rng : numpy.random.Generator
    v, h, m : int, optional
        The visible and hidden units and the examples (drawn from 3-6, 2-4 and 4-11).
    linear : bool
        Data of any sign (ZCA-whitened patches), m drawn anew from 4-11, instead of data in
        [0.1, 0.9] (the sigmoid decoder's range).

    Returns
    -------
    tuple
        theta (2hv + h + v), visibleSize, hiddenSize, lambda, sparsityParam, beta (nonzero,
        so that each term counts), data (v x m).
    """
    v = int(rng.integers(3, 7)) if v is None else v
    h = int(rng.integers(2, 5)) if h is None else h
    m = int(rng.integers(4, 12)) if m is None else m
    theta = 0.5 * rng.standard_normal(2 * h * v + h + v)
    data = 0.1 + 0.8 * rng.random((v, m))
    hyper = (float(rng.choice([1e-4, 0.01, 0.1])), float(rng.choice([0.01, 0.05, 0.2])),
             float(rng.choice([3.0, 0.5])))
    if linear:
        data = rng.standard_normal((v, int(rng.integers(4, 12))))
    return (theta, float(v), float(h), *hyper, data)


def softmax_regression(rng: np.random.Generator, K: int | None = None, n: int | None = None,
                       m: int | None = None) -> tuple:
    """A problem of softmaxCost (UFLDL softmax_exercise).

    Parameters
    ----------
    rng : numpy.random.Generator
    K, n, m : int, optional
        Classes, input size and examples (drawn from 3-5, 2-6 and 8-24).

    Returns
    -------
    tuple
        theta (K*n), numClasses, inputSize, lambda, data (n x m), labels (1..K, class K
        among them: the original's groundTruth has K rows only then).
    """
    K = int(rng.integers(3, 6)) if K is None else K
    n = int(rng.integers(2, 7)) if n is None else n
    m = int(rng.integers(8, 25)) if m is None else m
    labels = rng.integers(1, K + 1, m).astype(float)
    labels[int(rng.integers(0, m))] = K
    return (0.5 * rng.standard_normal(K * n), float(K), float(n),
            float(rng.choice([1e-4, 0.01, 0.1])), rng.standard_normal((n, m)), labels)


def _softmax_model(rng):
    K, n, m = int(rng.integers(3, 6)), int(rng.integers(2, 7)), int(rng.integers(5, 20))
    return ({"optTheta": rng.standard_normal((K, n)), "inputSize": float(n),
             "numClasses": float(K)}, rng.standard_normal((n, m)))


def stacked_autoencoder(rng: np.random.Generator, n: int | None = None,
                        sizes: list[int] | None = None, K: int | None = None,
                        m: int | None = None) -> tuple:
    """A problem of stackedAECost (UFLDL stackedae_exercise): a stack of 1-3 sigmoid layers
    and softmax weights.

    Parameters
    ----------
    rng : numpy.random.Generator
    n : int, optional
        The input size (drawn from 2-6).
    sizes : list of int, optional
        The hidden layers' sizes (1-3 of 2-5).
    K, m : int, optional
        Classes and examples (drawn from 3-5 and 6-15).

    Returns
    -------
    tuple
        theta ([softmaxTheta(:); stack2params(stack)]), inputSize, hiddenSize, numClasses,
        netconfig, lambda, data (n x m), labels (1..K, class K among them).
    """
    n = int(rng.integers(2, 7)) if n is None else n
    sizes = ([int(s) for s in rng.integers(2, 6, int(rng.integers(1, 4)))] if sizes is None
             else list(sizes))
    K = int(rng.integers(3, 6)) if K is None else K
    m = int(rng.integers(6, 16)) if m is None else m
    stack = [{"w": 0.5 * rng.standard_normal((s, p)), "b": 0.1 * rng.standard_normal(s)}
             for s, p in zip(sizes, [n] + sizes[:-1])]
    params, _ = cstacked.stack2params(stack)
    theta = np.concatenate([0.3 * rng.standard_normal(K * sizes[-1]), params])
    labels = rng.integers(1, K + 1, m).astype(float)
    labels[int(rng.integers(0, m))] = K
    netconfig = {"inputsize": float(n), "layersizes": [float(s) for s in sizes]}
    return (theta, float(n), float(sizes[-1]), float(K), netconfig,
            float(rng.choice([1e-4, 0.01, 0.1])), rng.standard_normal((n, m)), labels)


def _stacked_predict(rng):
    problem = stacked_autoencoder(rng)
    return problem[:5] + (problem[6],)


def color_convolution(rng: np.random.Generator, p: int | None = None, K: int | None = None,
                      C: int | None = None, imageDim: int | None = None,
                      n: int | None = None) -> tuple:
    """A problem of the original exercise's cnnConvolve (UFLDL cnn_exercise): images of C
    channels and features learnt on ZCA-whitened patches.

    Parameters
    ----------
    rng : numpy.random.Generator
    p, K, C, imageDim, n : int, optional
        Patch side, features, channels, image side and images (drawn from 2-4, 1-3, 1-3,
        p to p+5 and 1-3).

    Returns
    -------
    tuple
        patchDim, numFeatures, images (imageDim x imageDim x C x n), W (K x p*p*C), b (K),
        ZCAWhite (p*p*C square), meanPatch (p*p*C).
    """
    from ..ufldl_classic import linear_decoder

    p = int(rng.integers(2, 5)) if p is None else p
    K = int(rng.integers(1, 4)) if K is None else K
    C = int(rng.integers(1, 4)) if C is None else C
    imageDim = p + int(rng.integers(0, 6)) if imageDim is None else imageDim
    n = int(rng.integers(1, 4)) if n is None else n
    v = p * p * C
    _, ZCAWhite, meanPatch = linear_decoder.zca_whitening(rng.random((v, 4 * v + 10)))
    return (float(p), float(K), rng.random((imageDim, imageDim, C, n)),
            0.5 * rng.standard_normal((K, v)), 0.5 * rng.standard_normal(K), ZCAWhite,
            meanPatch)


def _classic_pool(rng):
    p = int(rng.integers(2, 4))
    d = p * int(rng.integers(1, 4)) + int(rng.integers(0, p))
    return float(p), rng.random((int(rng.integers(1, 4)), int(rng.integers(1, 4)), d, d))


def _ffae(rng):
    v, h, m = int(rng.integers(2, 9)), int(rng.integers(2, 6)), int(rng.integers(3, 12))
    return rng.standard_normal(2 * v * h + v + h), float(h), float(v), rng.random((v, m))


def soft_ica(rng: np.random.Generator, k: int | None = None, n: int | None = None,
             m: int | None = None) -> tuple:
    """A problem of softICACost (stanford_dl_ex/rica).

    Parameters
    ----------
    rng : numpy.random.Generator
    k, n, m : int, optional
        Features, input size and examples (drawn from 3-8, 3-6 and 8-29).

    Returns
    -------
    tuple
        theta (k*n), x (n x m, unit columns), params (numFeatures, n, lambda, epsilon).
    """
    k = int(rng.integers(3, 9)) if k is None else k
    n = int(rng.integers(3, 7)) if n is None else n
    m = int(rng.integers(8, 30)) if m is None else m
    x = rng.standard_normal((n, m))
    x /= np.sqrt(np.sum(x ** 2, axis=0) + 1e-8)
    params = {"numFeatures": float(k), "n": float(n),
              "lambda": float(rng.choice([5e-4, 0.05, 0.5])), "epsilon": 1e-2}
    return 0.5 * rng.standard_normal(k * n), x, params


def _zca2(rng):
    n = int(rng.integers(4, 10))
    return (rng.random((n, int(rng.integers(n + 10, 60)))) + rng.random(n)[:, None],)


def _feedforward(rng):
    filterDim, poolDim = int(rng.integers(2, 5)), int(rng.integers(2, 4))
    K, numImages, outDim = int(rng.integers(2, 4)), 2, int(rng.integers(2, 4))
    imageDim = outDim * poolDim + filterDim - 1
    return (float(filterDim), float(poolDim), float(K),
            rng.random((imageDim, imageDim, numImages)),
            rng.standard_normal((filterDim, filterDim, K)), {"epsilon": 1e-2})


PROBLEMS: dict[str, Callable[[np.random.Generator], tuple]] = {
    "conv2": lambda r: (_mat(r), _mat(r, 1, 5), _shape(r)),
    "convn": lambda r: (_mat(r, 1, 7, 3), _mat(r, 1, 4, int(r.integers(2, 4))), _shape(r)),
    "rot90": lambda r: (_mat(r, 1, 6, 3), float(r.integers(-3, 4))),
    "flip": lambda r: (_mat(r, 1, 5, 3), float(r.integers(1, 4))),
    "flipdim": lambda r: (_mat(r), float(r.integers(1, 3))),
    "fliplr": lambda r: (_mat(r),),
    "flipud": lambda r: (_mat(r),),
    "flipall": lambda r: (_mat(r, 1, 5, 3),),
    "rot180": lambda r: (_mat(r, 1, 5, 3),),
    "kron": lambda r: (_mat(r, 1, 4), _mat(r, 1, 4)),
    "expand": lambda r: (_mat(r, 1, 5, 3), r.integers(1, 4, 3).astype(float)),
    "repmat": lambda r: (_mat(r), r.integers(1, 4, 3).astype(float)),
    "onehot": lambda r: (r.integers(1, 6, int(r.integers(1, 12))).astype(float), 6.0),
    "unroll": lambda r: (_mat(r, 1, 5, 3),),
    "reshape": lambda r: (r.standard_normal(24), np.array([2.0, 3.0, 4.0])),
    "cov": lambda r: (_mat(r, 2, 8),),
    "histc": lambda r: (r.random(int(r.integers(1, 30))),
                        np.sort(r.random(int(r.integers(1, 6))))),
    "chol": lambda r: ((lambda B: B @ B.T + np.eye(B.shape[0]))(_mat(r, 1, 6)),),
    "svd": lambda r: (_mat(r, 1, 7),),
    "cnnConvolve": _ucnn_convolve,
    "cnnPool": _ucnn_pool,
    "cnnCost": _ucnn_network,
    "cnnParamsToStack": _ucnn_stack,
    "linear_regression": functools.partial(_ex1_problem, labels="real"),
    "linear_regression_vec": functools.partial(_ex1_problem, labels="real"),
    "logistic_regression": functools.partial(_ex1_problem, labels="binary"),
    "logistic_regression_vec": functools.partial(_ex1_problem, labels="binary"),
    "softmax_regression_vec": functools.partial(_ex1_problem, labels="classes"),
    "sigmoid": lambda rng: (rng.standard_normal((3, 4)) * 5,),
    "binary_classifier_accuracy": functools.partial(_ex1_problem, labels="binary"),
    "multi_classifier_accuracy": _ex1_multi,
    "supervised_dnn_cost": _dnn_network,
    "params2stack": lambda rng: _dnn_network(rng)[:2],
    "stack2params": lambda rng: (mls.params2stack(*_dnn_network(rng)[:2]),),
    "samplePatches": _patches_input,
    "zca2": _zca2,
    "preprocess": _rica_patches,
    "removeDC": lambda rng: (*_rica_patches(rng), float(rng.integers(1, 3))),
    "l2rowscaled": lambda rng: (_rows(rng), float(rng.random() + .5)),
    "l2rowscaledg": _rowsg,
    "bsxfunwrap": lambda rng: (_rows(rng) + 3.0, np.full((1, 1), 2.0)),
    "softICACost": soft_ica,
    "feedfowardRICA": _feedforward,
    "minFunc": _minfunc_problem,
    "sparseAutoencoderCost": sparse_autoencoder,
    "sparseAutoencoderLinearCost": functools.partial(sparse_autoencoder, linear=True),
    "classic.cnnConvolve": color_convolution,
    "classic.cnnPool": _classic_pool,
    "softmaxCost": softmax_regression,
    "softmaxPredict": _softmax_model,
    "feedForwardAutoencoder": _ffae,
    "stackedAECost": stacked_autoencoder,
    "stackedAEPredict": _stacked_predict,
    "cnnff": lambda rng: _dlt_net(rng)[:2],
    "cnnbp": _dlt_bp,
    "sigm": lambda rng: (5 * rng.standard_normal((4, 3)),),
    "caedown": _cae_down,
    "caebp": _cae_bp,
    "caebbp": _cae_after_bp,
    "caesdlm": _cae_sdlm,
    "caeapplygrads": _cae_after_bp,
    "caeup": lambda r: _cae(r)[:2],
    "whiten": lambda r: (r.standard_normal((int(r.integers(6, 20)), int(r.integers(1, 5)))),
                         float(r.uniform(0.01, 1))),
    "im2patches": lambda r: (lambda m: (r.standard_normal((m * int(r.integers(1, 4)),
                                                           m * int(r.integers(1, 4)))),
                                        float(m), float(m)))(int(r.integers(1, 5))),
    "visualize": lambda r: (r.standard_normal((int(r.integers(1, 5)) ** 2,
                                               int(r.integers(1, 12)))),),
    "allcomb": lambda r: tuple(r.standard_normal(int(r.integers(1, 4))) for _ in range(3)),
    "fliplrf": lambda r: (_mat(r, 1, 5, 3),),
    "flipudf": lambda r: (_mat(r, 1, 5, 3),),
    "nnff": _dlt_nn,
    "nnbp": _dlt_nn_bp,
    "nnapplygrads": _dlt_nn_applygrads,
    "nnpredict": lambda rng: _dlt_nn(rng)[:2],
    "nntest": _dlt_nn,
    "rbmup": lambda rng: (lambda r: (r[0], rng.random((3, r[1]))))(_dlt_rbm(rng)),
    "rbmdown": lambda rng: (lambda r: (r[0], rng.random((3, r[2]))))(_dlt_rbm(rng)),
    "dbnsetup": _dlt_dbn,
    "tanh_opt": lambda rng: (3 * rng.standard_normal((4, 3)),),
    "softmax": lambda rng: (rng.standard_normal((4, 3)),),
    "zscore": lambda rng: (rng.random((int(rng.integers(2, 8)), 4)),),
    "normalize": lambda rng: (rng.random((5, 3)), rng.random((1, 3)), 0.5 + rng.random((1, 3))),
}


def problem(name: str, rng: np.random.Generator | int | None = None) -> tuple:
    """A random valid problem (argument tuple) of the ported function ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`PROBLEMS`: the function's MATLAB name (``"cnnCost"``, ``"nnff"``,
        ``"classic.cnnPool"``).
    rng : numpy.random.Generator or int or None
        The generator to draw from, or a seed for ``numpy.random.default_rng``.

    Returns
    -------
    tuple
        The function's arguments, in MATLAB's order.

    Raises
    ------
    KeyError
        When ``name`` has no problem in the table.
    """
    if name not in PROBLEMS:
        raise KeyError(f"no problem for {name!r} in ufldl_py.testing.PROBLEMS")
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    return PROBLEMS[name](rng)
