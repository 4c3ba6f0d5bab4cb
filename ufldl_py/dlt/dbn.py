"""DeepLearnToolbox's deep belief networks (DeepLearnToolbox/DBN).

``dbn`` is a dict with ``sizes`` (1-D: the visible size, then the hidden sizes) and ``rbm``,
a list: ``dbn.rbm{u}`` is ``dbn['rbm'][u - 1]``, a dict with the restricted Boltzmann
machine's ``alpha``, ``momentum``, weights ``W`` (hidden x visible), visible biases ``b``,
hidden biases ``c`` (1-D, MATLAB's column vectors) and their momenta ``vW``, ``vb``, ``vc``.
Examples are rows, with values in [0, 1].

Known defect of the original, reproduced by default: rbmtrain builds the positive
statistics ``c1 = h1' * v1`` from the sampled hidden states h1 rather than their
probabilities (upstream issue 120); ``hidden_probabilities=True`` uses the probabilities
``sigm(c' + v1 * W')`` for c1 and for the hidden-bias update, as Hinton's guide to training
RBMs does (h1 is still sampled to reconstruct v2).
"""

from __future__ import annotations

import contextlib
from typing import Iterator

import numpy as np

from .. import kernels
from ..matlab import random as mrandom
from ..matlab import validate
from ._common import num2str as _num2str
from .nn import nnsetup

__all__ = ["dbnsetup", "dbntrain", "dbnunfoldtonn", "rbmtrain", "rbmup", "rbmdown"]

# rbmtrain's uniform draws made at once: 8 MB (the batches' draws that fit, at least one)
DRAW_BLOCK = 1 << 20


def dbnsetup(dbn: dict, x, opts: dict) -> dict:
    """Zero-initialised RBMs for the layer sizes (DBN/dbnsetup.m).

    Parameters
    ----------
    dbn : dict with ``sizes``, the hidden layer sizes (e.g. [100 100]).
    x : (m, n) training data (only its width n is used).
    opts : dict with ``alpha`` (learning rate) and ``momentum``.

    Returns
    -------
    dbn : a new dict, ``sizes = [n, sizes]`` (a 1 x k row) and one RBM per pair of
        consecutive sizes with
        W, vW (sizes(u+1), sizes(u)), b, vb (sizes(u),), c, vc (sizes(u+1),) all zero.
    """
    x = validate.array(x, "x")
    if x.ndim != 2:
        raise ValueError(f"x must be an m x n matrix (one example per row), got shape {x.shape}")
    hidden = validate.vector(dbn["sizes"], "dbn.sizes")
    if hidden.size == 0 or (hidden != np.round(hidden)).any() or (hidden < 1).any():
        raise ValueError(f"dbn.sizes must be positive integer layer sizes, got {hidden}")
    dbn = dict(dbn)
    sizes = np.concatenate([[float(x.shape[1])], hidden])
    dbn["sizes"] = sizes.reshape(1, -1)  # a row, as MATLAB's [n, dbn.sizes]
    alpha = validate.scalar(opts["alpha"], "opts.alpha")
    momentum = validate.scalar(opts["momentum"], "opts.momentum")
    rbm = []
    for u in range(sizes.size - 1):
        v, h = int(sizes[u]), int(sizes[u + 1])
        rbm.append({"alpha": alpha, "momentum": momentum,
                    "W": np.zeros((h, v)), "vW": np.zeros((h, v)),
                    "b": np.zeros(v), "vb": np.zeros(v),
                    "c": np.zeros(h), "vc": np.zeros(h)})
    dbn["rbm"] = rbm
    return dbn


def _check_rbm_input(rbm: dict, x, what: str) -> np.ndarray:
    W = np.asarray(rbm["W"])
    x = validate.finite(x, "x")
    if x.ndim != 2 or x.shape[1] != W.shape[1]:
        raise ValueError(f"x must be m x {W.shape[1]} ({what}), got shape {x.shape}")
    return x


def dbntrain(dbn: dict, x, opts: dict, *, verbose: bool = True,
             hidden_probabilities: bool = False) -> dict:
    """Train the RBMs greedily, layer by layer (DBN/dbntrain.m): rbm{1} on x, then rbm{i}
    on ``rbmup(rbm{i-1}, ...)`` of the data below.

    Parameters
    ----------
    dbn : dict from :func:`dbnsetup`.
    x : (m, sizes(1)) array in [0, 1].
    opts : dict with numepochs and batchsize (dividing m).
    verbose : bool
        Print rbmtrain's lines.
    hidden_probabilities : bool
        The fix of rbmtrain's c1 (see the module docstring).

    Returns
    -------
    dbn : a new dict with the trained RBMs.
    """
    rbm = list(dbn["rbm"])
    if not rbm:
        raise ValueError("dbn.rbm is empty: call dbnsetup first")
    sizes = validate.vector(dbn["sizes"], "dbn.sizes")
    x = validate.finite(x, "x")
    if x.ndim != 2 or x.shape[1] != sizes[0]:
        raise ValueError(f"x must be m x dbn.sizes(1) = m x {int(sizes[0])} (one example per "
                         f"row), got shape {x.shape}: the dbn was set up for other data")
    kw = {"verbose": verbose, "hidden_probabilities": hidden_probabilities}
    rbm[0] = rbmtrain(rbm[0], x, opts, **kw)
    for i in range(1, len(rbm)):
        x = rbmup(rbm[i - 1], x)
        rbm[i] = rbmtrain(rbm[i], x, opts, **kw)
    dbn = dict(dbn)
    dbn["rbm"] = rbm
    return dbn


def dbnunfoldtonn(dbn: dict, outputsize=None) -> dict:
    """A feed-forward net initialised with the DBN's weights (DBN/dbnunfoldtonn.m).

    ``nnsetup([sizes outputsize])`` (its weights drawn with ``rand`` as usual), then
    ``W{i} = [rbm{i}.c rbm{i}.W]`` for each RBM; without outputsize the net has the DBN's
    sizes only.

    Parameters
    ----------
    dbn : dict
        A DBN from :func:`dbnsetup` (and :func:`dbntrain`).
    outputsize : int, optional
        The size of an output layer to add.

    Returns
    -------
    nn : dict
        A net of :func:`ufldl_py.dlt.nn.nnsetup` holding the DBN's weights.
    """
    sizes = validate.vector(dbn["sizes"], "dbn.sizes")
    if outputsize is not None:
        sizes = np.concatenate([sizes, [validate.positive_int(outputsize, "outputsize")]])
    nn = nnsetup(sizes)
    W = list(nn["W"])
    for i, r in enumerate(dbn["rbm"]):
        Wr = np.asarray(r["W"], dtype=np.float64)
        W[i] = np.hstack([np.asarray(r["c"], dtype=np.float64).reshape(-1, 1), Wr])
    nn["W"] = W
    return nn


def rbmtrain(rbm: dict, x, opts: dict, *, verbose: bool = True,
             hidden_probabilities: bool = False) -> dict:
    """Contrastive divergence (CD-1) with momentum (DBN/rbmtrain.m).

    Each epoch draws ``kk = randperm(m)``; for each batch v1 of consecutive kk::

        h1 = sigmrnd(c' + v1 * W')    % rand(batchsize, hidden) drawn
        v2 = sigmrnd(b' + h1 * W)     % rand(batchsize, visible) drawn
        h2 = sigm(c' + v2 * W')
        c1 = h1' * v1;  c2 = h2' * v2
        vW = momentum * vW + alpha * (c1 - c2) / batchsize, and vb, vc likewise
        W = W + vW;  b = b + vb;  c = c + vc

    and prints 'epoch i/N. Average reconstruction error is: ...' (the mean over the batches
    of ``sum((v1 - v2)(:).^2) / batchsize``).

    Parameters
    ----------
    rbm : dict (alpha, momentum, W, vW, b, vb, c, vc)
    x : (m, visible) float array with values in [0, 1].
    opts : dict with numepochs and batchsize.
    hidden_probabilities : bool
        Use sigm(c' + v1 * W') instead of the sample h1 in c1 and in the hidden-bias update
        (the fix of upstream issue 120).
    verbose : bool
        Print the epochs' reconstruction errors, as the original.

    Returns
    -------
    rbm : a new dict with the trained weights, biases and momenta.
    """
    if np.asarray(x).dtype.kind not in "fc" and not isinstance(x, (list, tuple)):
        raise ValueError("x must be a float")
    x = _check_rbm_input(rbm, x, "visible units = columns of rbm.W")
    if x.size and ((x < 0).any() or (x > 1).any()):
        raise ValueError("all data in x must be in [0:1]")
    m = x.shape[0]
    batchsize, numepochs, numbatches = validate.batches(opts, m, "numbatches not integer")
    alpha = validate.scalar(rbm["alpha"], "rbm.alpha")
    momentum = validate.scalar(rbm["momentum"], "rbm.momentum")
    W = np.array(rbm["W"], dtype=np.float64, order="C")
    vW = np.array(rbm["vW"], dtype=np.float64, order="C")
    b = validate.vector(rbm["b"], "rbm.b", W.shape[1]).copy()
    vb = validate.vector(rbm["vb"], "rbm.vb", W.shape[1]).copy()
    c = validate.vector(rbm["c"], "rbm.c", W.shape[0]).copy()
    vc = validate.vector(rbm["vc"], "rbm.vc", W.shape[0]).copy()
    if vW.shape != W.shape:
        raise ValueError(f"rbm.vW must have W's shape {W.shape}, got {vW.shape}")
    with kernels.single_threaded_blas():
        for i, err in enumerate(_cd1_epochs(x, W, vW, b, vb, c, vc, alpha, momentum,
                                            batchsize, numbatches, numepochs,
                                            hidden_probabilities), 1):
            if verbose:
                print(f"epoch {i}/{_num2str(numepochs)}. Average reconstruction error is: "
                      f"{_num2str(err / numbatches)}", flush=True)
    rbm = dict(rbm)
    rbm.update(W=W, vW=vW, b=b, vb=vb, c=c, vc=vc)
    return rbm


def _cd1_epochs(x, W, vW, b, vb, c, vc, alpha, momentum, batchsize, numbatches, numepochs,
                hidden_probabilities) -> Iterator[float]:
    """rbmtrain's epochs, updating W, vW, b, vb, c, vc in place (vW C-ordered); yields the
    summed reconstruction error of each epoch. rbmtrain runs this with BLAS at one thread
    (as nntrain its steps): between the products, the random draws and element-wise steps
    leave BLAS's threads to sleep, and each product waits for them to wake (measured on the
    project's 2-core machine, quiet: 3.6 ms per step with BLAS at two threads, 2.7 ms at one;
    with another job running, 150 ms at two).

    The batch's arrays are made once and written in place at every step. v1 and v2 are
    stacked, and so are h1 (or its probabilities) and -h2, so that ``c1 - c2 = h1' * v1 -
    h2' * v2`` is one product, and ``vW = momentum * vW + alpha * (c1 - c2) / batchsize``
    one dgemm with it (the same sum rounded in another order). Both sigmrnd draws of a batch
    (rand(batchsize, hidden), then rand(batchsize, visible)) are read at once into one
    buffer, in the order MATLAB draws them; the draws of DRAW_BLOCK values' worth of
    batches are made at once and, with two threads or more, on another thread while the
    batches before them run (:func:`kernels.filled_ahead`)."""
    m = x.shape[0]
    H, V = W.shape
    vs, hs = np.empty((2 * batchsize, V)), np.empty((2 * batchsize, H))
    v1, v2 = vs[:batchsize], vs[batchsize:]
    pos, h2 = hs[:batchsize], hs[batchsize:]  # h2 is negated once used
    ph1 = pos if hidden_probabilities else np.empty((batchsize, H))
    h1 = np.empty((batchsize, H)) if hidden_probabilities else pos
    pv2, dv, dh = np.empty((batchsize, V)), np.empty((batchsize, V)), np.empty((batchsize, H))
    n = batchsize * (H + V)
    for _ in range(numepochs):
        kk = mrandom.randperm(m).ravel().astype(np.intp) - 1
        err = 0.0
        # closed on an error too: no draw is made after the loop ends
        with contextlib.closing(kernels.filled_ahead(mrandom.rand_into, numbatches, n,
                                                     DRAW_BLOCK // n)) as draws:
            for l, u in enumerate(draws):
                u1 = u[:batchsize * H].reshape(H, batchsize).T  # rand fills column by column
                u2 = u[batchsize * H:].reshape(V, batchsize).T
                np.take(x, kk[l * batchsize:(l + 1) * batchsize], axis=0, out=v1)
                # h1 = sigmrnd(repmat(c', batchsize, 1) + v1 * W'), 1 ./ (1 + exp(-(c' + v1 W')))
                kernels.sigmoid(np.matmul(v1, W.T, out=ph1), c, out=ph1)
                kernels.bernoulli(ph1, u1, out=h1)
                kernels.sigmoid(np.matmul(h1, W, out=pv2), b, out=pv2)
                kernels.bernoulli(pv2, u2, out=v2)
                kernels.sigmoid(np.matmul(v2, W.T, out=h2), c, out=h2)
                np.subtract(pos, h2, out=dh)  # h1 - h2
                np.negative(h2, out=h2)
                # vW' = momentum * vW' + alpha / batchsize * [v1; v2]' * [h1; -h2]
                kernels.gemm_into(vW.T, alpha / batchsize, vs.T, hs, momentum)
                np.subtract(v1, v2, out=dv)
                vb *= momentum
                vb += alpha * dv.sum(axis=0) / batchsize
                vc *= momentum
                vc += alpha * dh.sum(axis=0) / batchsize
                W += vW
                b += vb
                c += vc
                err += float(np.sum(np.sum(np.square(dv, out=dv), axis=0))) / batchsize
        yield err


@kernels.deterministic
def rbmup(rbm: dict, x) -> np.ndarray:
    """The hidden probabilities ``sigm(c' + x * W')`` (DBN/rbmup.m), (m, hidden).

    Parameters
    ----------
    rbm : dict
        One RBM (W, c).
    x : ndarray (m, visible)
        The visible units' values.

    Returns
    -------
    ndarray (m, hidden)
        The hidden units' probabilities.
    """
    x = _check_rbm_input(rbm, x, "visible units = columns of rbm.W")
    c = validate.vector(rbm["c"], "rbm.c")
    return kernels.sigmoid(x @ np.asarray(rbm["W"], dtype=np.float64).T, c)


@kernels.deterministic
def rbmdown(rbm: dict, x) -> np.ndarray:
    """The visible probabilities ``sigm(b' + x * W)`` (DBN/rbmdown.m), (m, visible).

    Parameters
    ----------
    rbm : dict
        One RBM (W, b).
    x : ndarray (m, hidden)
        The hidden units' values.

    Returns
    -------
    ndarray (m, visible)
        The visible units' probabilities.
    """
    W = np.asarray(rbm["W"], dtype=np.float64)
    x = validate.finite(x, "x")
    if x.ndim != 2 or x.shape[1] != W.shape[0]:
        raise ValueError(f"x must be m x {W.shape[0]} (hidden units = rows of rbm.W), got "
                         f"shape {x.shape}")
    b = validate.vector(rbm["b"], "rbm.b")
    return kernels.sigmoid(x @ W, b)
