"""DeepLearnToolbox's feed-forward networks (DeepLearnToolbox/NN).

``nn`` is a dict with the MATLAB struct's field names: ``size`` (the architecture), ``n``
(the number of layers), the options that nnsetup sets (``activation_function``,
``learningRate``, ``momentum``, ``scaling_learningRate``, ``weightPenaltyL2``,
``nonSparsityPenalty``, ``sparsityTarget``, ``inputZeroMaskedFraction``,
``dropoutFraction``, ``testing``, ``output``), the weights ``W`` and their momenta ``vW``,
the running mean activations ``p`` and, after nnff / nnbp, ``a``, ``e``, ``L``,
``dropOutMask`` and ``dW``.

Index rule. Every MATLAB cell ``c{i}`` is the list ``nn['c']``, and ``c{i}`` is
``nn['c'][i - 1]``: ``W{i}`` (layer i to layer i + 1, shape (size(i+1), size(i) + 1), the
bias weights in column 1) is ``nn['W'][i - 1]``, ``a{i}`` (layer i's activations, a bias
column of ones first except for the output layer) is ``nn['a'][i - 1]``. The cells that
MATLAB leaves unset at their first positions keep those positions, holding an empty
(0 x 0) array: ``p{1}`` and ``dropOutMask{1}``; so ``p{i}`` and ``dropOutMask{i}`` belong
to layer i, as ``a{i}`` does. Examples are rows: ``x`` is (m, size(1)), ``y`` is
(m, size(end)). Such a net saves with :func:`ufldl_py.matlab.io.savemat` into the struct
Octave's nnff and nnbp run on, and a net saved by Octave loads back and runs here.

The fast forms write each hidden layer's activations into a preallocated array after its
column of ones, and skip the bias column of the deltas, which nnbp computes and then drops;
:func:`nnff_loop` and :func:`nnbp_loop` are the line-by-line translations the tests compare
them with.

Known defects of the original are reproduced by default, each with a keyword that fixes it
(the documentation's page of the originals' defects lists them all):

- ``sparsity_fix``: with ``nonSparsityPenalty > 0`` the original's ``nn.L`` has no
  sparsity (KL) term and nnbp uses the running average ``nn.p`` that every nnff updates, so
  its gradient is not the gradient of anything (nnchecknumgrad fails in Octave too). With
  the fix, nnff adds ``nonSparsityPenalty * sum KL(sparsityTarget || rho)`` to L, rho the
  batch's mean activation of each hidden unit, and nnbp uses that rho.
- ``l2_loss``: the L2 penalty that nnapplygrads applies is missing from ``nn.L`` (upstream
  issue 94). With the fix, nnff adds ``weightPenaltyL2 / 2 * sum(W{i}(:, 2:end)(:).^2)``
  over the layers, and nnchecknumgrad compares with the gradient nnapplygrads steps along.
"""

from __future__ import annotations

import threading
import time

import numpy as np

from .. import kernels
from ..matlab import random as mrandom
from ..matlab import validate
from ._common import num2str as _num2str

__all__ = ["nnsetup", "nnff", "nnbp", "nnapplygrads", "nntrain", "nntest", "nnpredict",
           "nneval", "nnchecknumgrad", "nnupdatefigures", "nnff_loop", "nnbp_loop"]

ACTIVATIONS = ("sigm", "tanh_opt")
OUTPUTS = ("sigm", "linear", "softmax")
EVAL_BATCH = 1000  # examples per forward pass in nneval and nnpredict

EMPTY = np.zeros((0, 0))  # MATLAB's [] in the unset first positions of p and dropOutMask


# --------------------------------------------------------------------------- checks


def _option(nn: dict, name: str) -> float:
    """``nn.<name>`` as a float, or a ValueError naming it."""
    return validate.scalar(nn[name], f"nn.{name}")


def _layers(nn: dict) -> int:
    """The number of layers, checked against size and W."""
    n = validate.positive_int(nn["n"], "nn.n")
    if len(nn["W"]) != n - 1:
        raise ValueError(f"nn.W must hold n - 1 = {n - 1} weight matrices, got {len(nn['W'])}")
    return n


def _activation(nn: dict) -> str:
    act = nn["activation_function"]
    if act not in ACTIVATIONS:
        raise ValueError(f"unknown activation_function {act!r} (one of 'sigm', 'tanh_opt')")
    return act


def _output(nn: dict) -> str:
    out = nn["output"]
    if out not in OUTPUTS:
        raise ValueError(f"unknown output {out!r} (one of 'sigm', 'linear', 'softmax')")
    return out


def _sizes(nn: dict) -> np.ndarray:
    return validate.vector(nn["size"], "nn.size").astype(np.intp)


def _check_xy(nn: dict, x, y, xname: str = "x", yname: str = "y"):
    """x (m, size(1)) without NaN, y (m, size(end)), as float64 arrays."""
    sizes = _sizes(nn)
    x = validate.finite(x, xname)
    y = validate.array(y, yname)
    if x.ndim != 2 or x.shape[1] != sizes[0]:
        raise ValueError(f"{xname} must be m x nn.size(1) = m x {sizes[0]} (one example per "
                         f"row), got shape {x.shape}")
    if y.ndim != 2 or y.shape[1] != sizes[-1]:
        raise ValueError(f"{yname} must be m x nn.size(end) = m x {sizes[-1]} (one example "
                         f"per row), got shape {y.shape}")
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"{xname} and {yname} must have the same number of rows (examples), "
                         f"got {x.shape[0]} and {y.shape[0]}")
    return x, y


def _with_ones(x: np.ndarray) -> np.ndarray:
    """``[ones(m, 1) x]``."""
    a = np.empty((x.shape[0], x.shape[1] + 1))
    a[:, 0] = 1.0
    a[:, 1:] = x
    return a


# --------------------------------------------------------------------------- set-up


def nnsetup(architecture) -> dict:
    """A feed-forward network with the original's defaults (NN/nnsetup.m).

    Parameters
    ----------
    architecture : vector of n >= 2 positive integers
        The layer sizes, e.g. [784 100 10].

    Returns
    -------
    nn : dict
        The options at their defaults (tanh_opt hidden units, sigm output, learningRate 2,
        momentum 0.5, no penalties, no dropout), ``W{i} = (rand(size(i+1), size(i)+1) - 0.5)
        * 2 * 4 * sqrt(6 / (size(i+1) + size(i)))`` drawn layer by layer with ``rand`` from
        :mod:`ufldl_py.matlab.random` (so after ``rand('state', 0)`` they equal Octave's),
        ``vW{i}`` zeros, ``p{i}`` zeros (1, size(i)) for i >= 2. ``size`` and ``p{i}`` are
        1 x n rows, as in MATLAB (Octave's nnbp repmats p{i}, so a saved net keeps them
        rows).
    """
    sizes = validate.vector(architecture, "architecture")
    if sizes.size < 2:
        raise ValueError(f"architecture must hold at least 2 layer sizes (input and output), "
                         f"got {sizes.size}")
    if not np.isfinite(sizes).all() or (sizes != np.round(sizes)).any() or (sizes < 1).any():
        raise ValueError(f"architecture must be positive integer layer sizes, got {sizes}")
    n = sizes.size
    nn = {
        "size": sizes.reshape(1, -1),
        "n": n,
        "activation_function": "tanh_opt",
        "learningRate": 2.0,
        "momentum": 0.5,
        "scaling_learningRate": 1.0,
        "weightPenaltyL2": 0.0,
        "nonSparsityPenalty": 0.0,
        "sparsityTarget": 0.05,
        "inputZeroMaskedFraction": 0.0,
        "dropoutFraction": 0.0,
        "testing": 0.0,
        "output": "sigm",
    }
    W, vW, p = [], [], [EMPTY]
    for i in range(1, n):  # MATLAB's i = 2 : n
        rows, cols = int(sizes[i]), int(sizes[i - 1])
        r = mrandom.rand(rows, cols + 1)  # drawn column by column, stored row by row
        W.append((np.ascontiguousarray(r) - 0.5) * 2 * 4 * np.sqrt(6 / (rows + cols)))
        vW.append(np.zeros((rows, cols + 1)))
        p.append(np.zeros((1, rows)))
    nn["W"], nn["vW"], nn["p"] = W, vW, p
    return nn


# --------------------------------------------------------------------------- forward


def _sparsity_terms(nn: dict, a: list) -> float:
    """``nonSparsityPenalty * sum KL(rho_target || rho)`` over the hidden units, rho the
    mean activation of the batch (the sparsity_fix loss term)."""
    beta = _option(nn, "nonSparsityPenalty")
    rho = _option(nn, "sparsityTarget")
    total = 0.0
    for ai in a[1:-1]:
        rho_hat = ai[:, 1:].mean(axis=0)
        total += float(np.sum(rho * np.log(rho / rho_hat)
                              + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))))
    return beta * total


def _l2_term(nn: dict) -> float:
    """``weightPenaltyL2 / 2 * sum_i sum(W{i}(:, 2:end)(:).^2)`` (the l2_loss term)."""
    lam = _option(nn, "weightPenaltyL2")
    return lam / 2 * sum(float(np.sum(np.asarray(W)[:, 1:] ** 2)) for W in nn["W"])


def _loss(output: str, y: np.ndarray, an: np.ndarray, e: np.ndarray, m: int) -> float:
    if output == "softmax":
        return -float(np.sum(np.sum(y * np.log(an), axis=0))) / m
    return 1 / 2 * float(np.sum(np.sum(e ** 2, axis=0))) / m


def _forward(nn: dict, a1: np.ndarray) -> tuple[list, list | None, list | None]:
    """The activations a{1..n} for the input a1 = [ones x] (which becomes a{1}), the
    dropout masks (or None) and the updated p (or None), drawing the masks in MATLAB's
    order. The weights are assumed checked."""
    n = validate.positive_int(nn["n"], "nn.n")
    act = _activation(nn)
    out = _output(nn)
    drop = _option(nn, "dropoutFraction")
    testing = _option(nn, "testing")
    sparse = _option(nn, "nonSparsityPenalty")
    m = a1.shape[0]
    W = nn["W"]
    a = [a1]
    masks = None
    if drop > 0 and not testing:
        masks = [EMPTY] * (n - 1)  # dropOutMask{i} for i = 2 : n-1; {1} unset
    p = list(nn["p"]) if sparse > 0 else None
    for i in range(1, n - 1):  # MATLAB's i = 2 : n-1, a{i} = a[i]
        Wi = np.asarray(W[i - 1], dtype=np.float64)
        # Fortran order: a{i} is written column by column, as BLAS writes a product's
        # columns; for a block of 1000 examples, 2.9-3.3 ms against 4.5 in C order
        ai = np.empty((m, Wi.shape[0] + 1), order="F")
        ai[:, 0] = 1.0  # the bias term, added after the activation as [ones(m,1) a{i}]
        z = ai[:, 1:]
        np.matmul(a[i - 1], Wi.T, out=z)
        if act == "sigm":
            kernels.sigmoid(z, out=z)
        else:
            kernels.tanh_opt(z, out=z)
        if drop > 0:
            if testing:
                z *= 1 - drop
            else:
                mask = mrandom.rand(m, Wi.shape[0]) > drop
                masks[i] = mask
                z *= mask
        if sparse > 0:
            p[i] = 0.99 * np.asarray(p[i], dtype=np.float64).reshape(1, -1) \
                + 0.01 * z.mean(axis=0, keepdims=True)
        a.append(ai)
    Wn = np.asarray(W[n - 2], dtype=np.float64)
    an = a[n - 2] @ Wn.T
    if out == "sigm":
        kernels.sigmoid(an, out=an)
    elif out == "softmax":
        np.subtract(an, an.max(axis=1, keepdims=True), out=an)
        np.exp(an, out=an)
        an /= an.sum(axis=1, keepdims=True)
    a.append(an)
    return a, masks, p


def _nnff(nn: dict, a1: np.ndarray, y: np.ndarray, sparsity_fix: bool = False,
          l2_loss: bool = False) -> dict:
    """nnff on an input that already has its column of ones (nntrain's batches)."""
    nn = dict(nn)
    a, masks, p = _forward(nn, a1)
    nn["a"] = a
    if masks is not None:
        nn["dropOutMask"] = masks
    if p is not None:
        nn["p"] = p
    e = y - a[-1]
    nn["e"] = e
    L = _loss(nn["output"], y, a[-1], e, a1.shape[0])
    if sparsity_fix and _option(nn, "nonSparsityPenalty") > 0:
        L += _sparsity_terms(nn, a)
    if l2_loss:
        L += _l2_term(nn)
    nn["L"] = L
    return nn


def _check_net(nn: dict) -> int:
    """The checks every entry point makes on a net: layer count, weight shapes, names."""
    n = _layers(nn)
    sizes = _sizes(nn)
    if sizes.size != n:
        raise ValueError(f"nn.size holds {sizes.size} layer sizes but nn.n = {n}")
    for i, W in enumerate(nn["W"]):
        shape = np.shape(W)
        if shape != (sizes[i + 1], sizes[i] + 1):
            raise ValueError(f"nn.W{{{i + 1}}} must be size({i + 2}) x size({i + 1})+1 = "
                             f"{sizes[i + 1]} x {sizes[i] + 1}, got {shape}")
    _activation(nn)
    _output(nn)
    return n


@kernels.deterministic
def nnff(nn: dict, x, y, *, sparsity_fix: bool = False, l2_loss: bool = False) -> dict:
    """Feed forward: activations, error and loss (NN/nnff.m).

    Parameters
    ----------
    nn : dict
        A net from :func:`nnsetup` (or loaded from a .mat file).
    x : (m, size(1)) array
        The inputs, one example per row.
    y : (m, size(end)) array
        The targets.
    sparsity_fix : bool
        Add the sparsity (KL) term to L (a fix of the original, see the module docstring).
    l2_loss : bool
        Add the L2 weight penalty to L (upstream issue 94; see the module docstring).

    Returns
    -------
    nn : dict
        A new dict with ``a`` (a{1} = [ones x], hidden a{i} (m, size(i)+1) with the bias
        column first, a{n} (m, size(n))), ``e = y - a{n}`` and ``L`` (``1/2 * sum(e(:).^2)
        / m`` for sigm and linear outputs, ``-sum(y(:) .* log(a{n}(:))) / m`` for softmax);
        with dropout (and testing 0) ``dropOutMask{i}``, the masks drawn with ``rand`` in
        MATLAB's order; with a sparsity penalty the updated running averages
        ``p{i} = 0.99 * p{i} + 0.01 * mean(a{i})``.
    """
    _check_net(nn)
    x, y = _check_xy(nn, x, y)
    return _nnff(nn, _with_ones(x), y, sparsity_fix, l2_loss)


# --------------------------------------------------------------------------- backward


def _d_act(act: str, a: np.ndarray) -> np.ndarray:
    """The derivative of the hidden activation function from its value a, a new array:
    nnbp.m's ``a{i} .* (1 - a{i})`` or ``1.7159 * 2/3 * (1 - 1/(1.7159)^2 * a{i}.^2)``, with
    that expression's rounding."""
    if act == "sigm":
        out = np.subtract(1.0, a)
        out *= a
        return out
    out = np.square(a)
    out *= 1 / (1.7159) ** 2
    np.subtract(1.0, out, out=out)
    out *= 1.7159 * 2 / 3
    return out


def _sparsity_error(nn: dict, pi: np.ndarray) -> np.ndarray:
    beta = _option(nn, "nonSparsityPenalty")
    rho = _option(nn, "sparsityTarget")
    return beta * (-rho / pi + (1 - rho) / (1 - pi))


def _deltas(nn: dict, a: list, e: np.ndarray, W: list, sparsity_fix: bool) -> list:
    """nnbp's deltas without their bias columns: ``d[i]`` is d{i+2} of nnbp.m, the delta
    whose gradient is ``dW{i+1} = d{i+2}' * a{i+1} / m`` (nn['W'][i]'s gradient)."""
    n = len(a)
    act = nn["activation_function"]
    drop = _option(nn, "dropoutFraction")
    sparse = _option(nn, "nonSparsityPenalty")
    an = a[-1]
    if nn["output"] == "sigm":
        d = -e * (an * (1 - an))
    else:
        d = -e
    ds = [None] * (n - 1)
    ds[n - 2] = d
    for i in range(n - 2, 0, -1):  # MATLAB's i = n-1 : -1 : 2; d holds d{i+1} without bias
        ai = a[i][:, 1:]  # the bias column of d{i} is computed by the original, then dropped
        back = d @ W[i][:, 1:]
        if sparse > 0:
            pi = ai.mean(axis=0) if sparsity_fix else np.asarray(nn["p"][i]).ravel()
            back += _sparsity_error(nn, pi)
        back *= _d_act(act, ai)
        d = back
        if drop > 0:
            d *= nn["dropOutMask"][i]
        ds[i - 1] = d
    return ds


def _gradients(a: list, ds: list) -> list:
    """``dW{i} = d{i+1}' * a{i} / m`` for every layer."""
    m = a[0].shape[0]
    dW = [d.T @ ai for d, ai in zip(ds, a)]
    for g in dW:
        g /= m
    return dW


@kernels.deterministic
def nnbp(nn: dict, *, sparsity_fix: bool = False) -> dict:
    """Back-propagate the error of the last nnff: the gradients dW (NN/nnbp.m).

    Parameters
    ----------
    nn : dict
        A net after :func:`nnff` (with ``a``, ``e`` and, with dropout, ``dropOutMask``).
    sparsity_fix : bool
        Use the batch's mean activations for the sparsity term instead of the running
        averages ``p`` (a fix of the original, see the module docstring).

    Returns
    -------
    nn : dict
        A new dict with ``dW{i}`` (the shape of W{i}): the gradient of L, the output delta
        being ``-e .* a{n} .* (1 - a{n})`` for sigm outputs and ``-e`` for softmax and linear.
    """
    n = _check_net(nn)
    a = [np.asarray(ai, dtype=np.float64) for ai in nn["a"]]
    e = np.asarray(nn["e"], dtype=np.float64)
    if len(a) != n or a[-1].shape != e.shape:
        raise ValueError("nnbp needs the activations a and the error e of an nnff on this net")
    W = [np.asarray(Wi, dtype=np.float64) for Wi in nn["W"]]
    nn = dict(nn)
    nn["dW"] = _gradients(a, _deltas(nn, a, e, W, sparsity_fix))
    return nn


# --------------------------------------------------------------------------- training


def nnapplygrads(nn: dict) -> dict:
    """One gradient step with momentum and L2 weight decay (NN/nnapplygrads.m).

    ``dW = learningRate * (dW{i} + weightPenaltyL2 * [zeros W{i}(:, 2:end)])``; with
    momentum > 0, ``vW{i} = momentum * vW{i} + dW`` and the step is vW{i}; ``W{i} - step``.

    Parameters
    ----------
    nn : dict
        A net after :func:`nnbp` (its dW).

    Returns
    -------
    nn : dict
        A new dict with new W and vW lists.
    """
    n = validate.positive_int(nn["n"], "nn.n")
    lam = _option(nn, "weightPenaltyL2")
    lr = _option(nn, "learningRate")
    mom = _option(nn, "momentum")
    W, vW = list(nn["W"]), list(nn["vW"])
    for i in range(n - 1):
        Wi = np.asarray(W[i], dtype=np.float64)
        dW = np.asarray(nn["dW"][i], dtype=np.float64)
        if dW.shape != Wi.shape:
            raise ValueError(f"nn.dW{{{i + 1}}} has shape {dW.shape}, W{{{i + 1}}} {Wi.shape}")
        if lam > 0:
            dW = dW.copy()
            dW[:, 1:] += lam * Wi[:, 1:]
            dW *= lr
        else:
            dW = lr * dW
        if mom > 0:
            v = mom * np.asarray(vW[i], dtype=np.float64)
            v += dW
            vW[i] = dW = v
        W[i] = Wi - dW
    nn = dict(nn)
    nn["W"], nn["vW"] = W, vW
    return nn


class _Steps:
    """nntrain's step on one batch (nnff, nnbp and nnapplygrads) on weights of its own,
    updated in place, so that no weight-sized array is made per batch.

    Each layer's gradient, momentum and step are one BLAS call (dgemm, alpha * A * B +
    beta * C into C): with momentum, ``vW{i}' = momentum * vW{i}' + learningRate / m *
    a{i}' * d{i+1}`` then ``W{i} = W{i} - vW{i}``; without, ``W{i}' = W{i}' - learningRate /
    m * a{i}' * d{i+1}``; the weight decay ``learningRate * weightPenaltyL2 * W{i}(:,
    2:end)`` added to the step. That is nnapplygrads' arithmetic with the products rounded
    in another order (tests hold nntrain to the three functions to 1e-13). The
    last batch's gradients ``dW`` are made once, at the end, by :meth:`net`.
    """

    def __init__(self, nn: dict, sparsity_fix: bool, l2_loss: bool):
        self.nn = dict(nn)
        self.W = [np.array(W, dtype=np.float64, order="C") for W in nn["W"]]
        self.vW = [np.array(v, dtype=np.float64, order="C") for v in nn["vW"]]
        for i, (W, v) in enumerate(zip(self.W, self.vW)):
            if v.shape != W.shape:
                raise ValueError(f"nn.vW{{{i + 1}}} has shape {v.shape}, W{{{i + 1}}} "
                                 f"{W.shape}")
        self.nn["W"], self.nn["vW"] = self.W, self.vW
        self.sparsity_fix, self.l2_loss = sparsity_fix, l2_loss
        self.lam = _option(nn, "weightPenaltyL2")
        self.mom = _option(nn, "momentum")
        self.deltas: list = []

    def __call__(self, a1: np.ndarray, y: np.ndarray) -> float:
        """One step on the batch a1 = [ones(m, 1) batch_x] with targets y; returns nn.L."""
        nn = _nnff(self.nn, a1, y, self.sparsity_fix, self.l2_loss)
        self.deltas = _deltas(nn, nn["a"], nn["e"], self.W, self.sparsity_fix)
        lr = _option(nn, "learningRate")
        alpha = lr / a1.shape[0]
        for W, vW, d, a in zip(self.W, self.vW, self.deltas, nn["a"]):
            decay = lr * self.lam * W[:, 1:] if self.lam > 0 else None
            if self.mom > 0:
                kernels.gemm_into(vW.T, alpha, a.T, d, self.mom)
                if decay is not None:
                    vW[:, 1:] += decay
                W -= vW
            else:
                kernels.gemm_into(W.T, -alpha, a.T, d, 1.0)
                if decay is not None:
                    W[:, 1:] -= decay
        self.nn = nn
        return nn["L"]

    def net(self, gradients: bool = False) -> dict:
        """The net after the last step; with ``gradients``, that batch's dW as well."""
        nn = dict(self.nn)
        if gradients and self.deltas:
            nn["dW"] = _gradients(nn["a"], self.deltas)
        return nn


def _float_input(x, name: str) -> np.ndarray:
    """MATLAB's ``assert(isfloat(x), 'x must be a float')``, x as a float64 array (whose
    values :func:`_check_xy` checks)."""
    if np.asarray(x).dtype.kind not in "fc" and not isinstance(x, (list, tuple, float)):
        raise ValueError(f"{name} must be a float")
    return validate.array(x, name)


def nntrain(nn: dict, train_x, train_y, opts: dict, val_x=None, val_y=None, *,
            verbose: bool = True, fhandle: str = "nntrain", sparsity_fix: bool = False,
            l2_loss: bool = False):
    """Minibatch gradient descent (NN/nntrain.m).

    Each epoch draws ``kk = randperm(m)``, and for each batch of consecutive kk: the
    denoising mask ``rand(size(batch_x)) > inputZeroMaskedFraction`` (when it is not 0),
    nnff (with its dropout masks), nnbp and nnapplygrads; then nneval on the whole training
    set (and the validation set), the figures when ``opts['plot'] == 1``, the original's
    line ('epoch i/N. Took t seconds. Mini-batch mean squared error on training set is ...;
    Full-batch train err = ...'), and ``learningRate *= scaling_learningRate``.

    Parameters
    ----------
    nn : dict
        A net from :func:`nnsetup`.
    train_x : (m, size(1)) float array
    train_y : (m, size(end)) array
    opts : dict
        ``batchsize`` (dividing m), ``numepochs``, optionally ``plot`` (1 to draw).
    val_x, val_y : arrays, optional
        A validation set (MATLAB's nargin == 6), evaluated after each epoch.
    verbose : bool
        Print the per-epoch line.
    fhandle : str
        The name of the PNG that nnupdatefigures writes (MATLAB's figure handle).
    sparsity_fix, l2_loss : bool
        Fixes of the original's loss, see the module docstring.

    Returns
    -------
    nn : dict
        The trained net (with the last batch's activations and gradients).
    L : (numepochs * numbatches,) array
        The loss of every minibatch.
    """
    train_x = _float_input(train_x, "train_x")
    if (val_x is None) != (val_y is None):
        raise ValueError("number ofinput arguments must be 4 or 6")
    _check_net(nn)
    train_x, train_y = _check_xy(nn, train_x, train_y, "train_x", "train_y")
    validation = val_x is not None
    if validation:
        val_x, val_y = _check_xy(nn, val_x, val_y, "val_x", "val_y")
    loss = {"train": {"e": np.zeros(0), "e_frac": np.zeros(0)},
            "val": {"e": np.zeros(0), "e_frac": np.zeros(0)}}
    opts = dict(opts)
    opts["validation"] = 1 if validation else 0
    plot = "plot" in opts and opts["plot"] == 1
    m = train_x.shape[0]
    batchsize, numepochs, numbatches = validate.batches(opts, m,
                                                        "numbatches must be a integer")
    zmf = _option(nn, "inputZeroMaskedFraction")
    width = train_x.shape[1]
    L = np.zeros(numepochs * numbatches)
    step = 0
    steps = _Steps(nn, sparsity_fix, l2_loss)
    a1 = np.empty((batchsize, width + 1))  # a{1} = [ones batch_x], every batch in turn
    a1[:, 0] = 1.0
    batch_x = a1[:, 1:]
    # BLAS at one thread: between the steps' products BLAS's threads sleep, and each
    # product waits for them to wake (measured on the project's 2-core machine, quiet:
    # 1.9 ms per batch with BLAS at two threads, 1.5 ms at one; with another job
    # running, 71 ms at two). nneval's blocks run on UFLDL_PY_THREADS threads.
    with kernels.single_threaded_blas():
        for i in range(1, numepochs + 1):
            tic = time.perf_counter()
            kk = mrandom.randperm(m).ravel().astype(np.intp) - 1
            for b in range(numbatches):
                idx = kk[b * batchsize:(b + 1) * batchsize]
                np.take(train_x, idx, axis=0, out=batch_x, mode="clip")
                if zmf != 0:  # add noise to the input (denoising autoencoder)
                    batch_x *= mrandom.rand(batchsize, width) > zmf
                # nn = nnff(nn, batch_x, batch_y); nn = nnbp(nn); nn = nnapplygrads(nn)
                L[step] = steps(a1, train_y[idx])
                step += 1
            t = time.perf_counter() - tic
            nn = steps.net()
            loss = _eval(nn, loss, train_x, train_y, val_x, val_y, sparsity_fix, l2_loss)
            if validation:
                str_perf = (f"; Full-batch train mse = {loss['train']['e'][-1]:f}, "
                            f"val mse = {loss['val']['e'][-1]:f}")
            else:
                str_perf = f"; Full-batch train err = {loss['train']['e'][-1]:f}"
            if plot:
                nnupdatefigures(nn, fhandle, loss, opts, i)
            if verbose:
                print(f"epoch {i}/{_num2str(numepochs)}. Took {_num2str(t)} seconds. "
                      "Mini-batch mean squared error on training set is "
                      f"{_num2str(np.mean(L[step - numbatches:step]))}{str_perf}", flush=True)
            steps.nn["learningRate"] = _option(nn, "learningRate") \
                * _option(nn, "scaling_learningRate")
    return steps.net(gradients=True), L


def _outputs(nn: dict, x: np.ndarray, sparsity_fix: bool = False):
    """a{n} of nnff with testing = 1, computed in blocks of EVAL_BATCH examples, and the
    mean activation of every hidden layer over all of x (for the sparsity_fix term)."""
    nn = dict(nn, testing=1.0)
    local = threading.local()  # each thread's [ones x] block, made once

    def forward(rows: slice):
        block = x[rows]
        ones = getattr(local, "ones", None)
        if ones is None:
            ones = local.ones = np.empty((min(EVAL_BATCH, x.shape[0]), x.shape[1] + 1))
            ones[:, 0] = 1.0
        a1 = ones[:block.shape[0]]
        a1[:, 1:] = block
        a, _, _ = _forward(nn, a1)
        return a[-1], [ai[:, 1:].sum(axis=0) for ai in a[1:-1]] if sparsity_fix else None

    outs, sums = [], None
    for an, block in kernels.map_blocks(forward, kernels.blocks(x.shape[0], EVAL_BATCH)):
        outs.append(an)
        if block is not None:
            sums = block if sums is None else [u + v for u, v in zip(sums, block)]
    an = np.concatenate(outs) if outs else np.zeros((0, int(_sizes(nn)[-1])))
    means = None if sums is None else [u / x.shape[0] for u in sums]
    return an, means


def _full_loss(nn: dict, x: np.ndarray, y: np.ndarray, sparsity_fix: bool,
               l2_loss: bool) -> float:
    """nn.L of ``nnff(nn, x, y)`` with testing = 1."""
    beta = _option(nn, "nonSparsityPenalty")
    fix = sparsity_fix and beta > 0
    an, means = _outputs(nn, x, fix)
    L = _loss(nn["output"], y, an, y - an, x.shape[0])
    if fix:
        rho = _option(nn, "sparsityTarget")
        L += beta * sum(
            float(np.sum(rho * np.log(rho / r) + (1 - rho) * np.log((1 - rho) / (1 - r))))
            for r in means)
    if l2_loss:
        L += _l2_term(nn)
    return L


@kernels.deterministic
def nneval(nn: dict, loss: dict, train_x, train_y, val_x=None, val_y=None, *,
           sparsity_fix: bool = False, l2_loss: bool = False) -> dict:
    """The loss on the whole training (and validation) set, appended to ``loss``
    (NN/nneval.m).

    Parameters
    ----------
    nn : dict
    loss : dict
        ``{'train': {'e': ..., 'e_frac': ...}, 'val': {'e': ..., 'e_frac': ...}}``, 1-D
        arrays with one entry per earlier call.
    train_x, train_y, val_x, val_y : arrays
        As for :func:`nntrain` (the validation set optional, nargin 4 or 6).
    sparsity_fix, l2_loss : bool
        As for :func:`nnff`.

    Returns
    -------
    loss : dict
        A new dict with nn.L of nnff (testing = 1) appended to ``train.e`` (``val.e``), and
        for softmax outputs the misclassification rate of :func:`nntest` to ``e_frac``.
        The forward passes run in blocks of EVAL_BATCH examples.
    """
    if (val_x is None) != (val_y is None):
        raise ValueError("Wrong number of arguments")
    _check_net(nn)
    train_x, train_y = _check_xy(nn, train_x, train_y, "train_x", "train_y")
    if val_x is not None:
        val_x, val_y = _check_xy(nn, val_x, val_y, "val_x", "val_y")
    return _eval(nn, loss, train_x, train_y, val_x, val_y, sparsity_fix, l2_loss)


def _eval(nn: dict, loss: dict, train_x: np.ndarray, train_y: np.ndarray, val_x, val_y,
          sparsity_fix: bool, l2_loss: bool) -> dict:
    """nneval on checked arrays (nntrain's epochs)."""
    loss = {k: dict(v) for k, v in loss.items()}

    def append(part: str, field: str, value: float) -> None:
        old = np.asarray(loss[part].get(field, np.zeros(0)), dtype=np.float64).ravel()
        loss[part][field] = np.append(old, value)

    append("train", "e", _full_loss(nn, train_x, train_y, sparsity_fix, l2_loss))
    if val_x is not None:
        append("val", "e", _full_loss(nn, val_x, val_y, sparsity_fix, l2_loss))
    if nn["output"] == "softmax":
        append("train", "e_frac", nntest(nn, train_x, train_y)[0])
        if val_x is not None:
            append("val", "e_frac", nntest(nn, val_x, val_y)[0])
    return loss


@kernels.deterministic
def nnpredict(nn: dict, x) -> np.ndarray:
    """The most probable class of each example (NN/nnpredict.m): the index of the largest
    output of nnff with testing = 1.

    Parameters
    ----------
    nn : dict
        A trained net.
    x : ndarray (m, n)
        The examples, one per row.

    Returns
    -------
    labels : (m,) float64 array of 1-based class indices (MATLAB's max returns doubles).
    """
    _check_net(nn)
    sizes = _sizes(nn)
    x = validate.finite(x, "x")
    if x.ndim != 2 or x.shape[1] != sizes[0]:
        raise ValueError(f"x must be m x nn.size(1) = m x {sizes[0]} (one example per row), "
                         f"got shape {x.shape}")
    an, _ = _outputs(nn, x)
    return an.argmax(axis=1) + 1.0


def nntest(nn: dict, x, y):
    """Classification error (NN/nntest.m).

    Parameters
    ----------
    nn : dict
        A trained net.
    x : ndarray (m, n)
        The examples, one per row.
    y : ndarray (m, classes)
        The one-hot targets.

    Returns
    -------
    er : float
        The fraction misclassified, ``numel(bad) / size(x, 1)``.
    bad : (k,) float64 array
        1-based indices of the misclassified examples (``find(labels ~= expected)``, the
        expected class being the index of y's largest entry in each row).
    """
    labels = nnpredict(nn, x)
    y = validate.array(y, "y")
    if y.ndim != 2 or y.shape[0] != labels.size:
        raise ValueError(f"y must have one row per example of x ({labels.size}), got shape "
                         f"{y.shape}")
    expected = y.argmax(axis=1) + 1.0
    bad = np.flatnonzero(labels != expected) + 1.0
    return bad.size / labels.size, bad


def nnchecknumgrad(nn: dict, x, y, *, sparsity_fix: bool = False,
                   l2_loss: bool = False) -> None:
    """Compare nn.dW with central differences of nn.L (NN/nnchecknumgrad.m).

    For every weight, epsilon 1e-6, each nnff preceded by ``rand('state', 0)`` (so that
    dropout draws the masks the caller's nnff drew after the same seeding); raises
    ValueError('numerical gradient checking failed') where ``|numerical - dW| >= 1e-7``.
    With ``l2_loss`` (L holds the L2 penalty) the analytic gradient is the one
    nnapplygrads steps along, ``dW{l} + weightPenaltyL2 * [zeros W{l}(:, 2:end)]``.

    Parameters
    ----------
    nn : dict
        A net after :func:`nnff` and :func:`nnbp` on (x, y).
    x : ndarray (m, n)
        The examples, one per row.
    y : ndarray (m, outputs)
        The targets.
    sparsity_fix : bool
        L with the sparsity term (see :func:`nnff`).
    l2_loss : bool
        L with the L2 penalty (see :func:`nnff`).

    Raises
    ------
    ValueError
        'numerical gradient checking failed' where a difference reaches 1e-7.
    """
    epsilon, er = 1e-6, 1e-7
    n = _check_net(nn)
    x, y = _check_xy(nn, x, y)
    lam = _option(nn, "weightPenaltyL2")
    a1 = _with_ones(x)
    for l in range(n - 1):
        Wl = np.asarray(nn["W"][l], dtype=np.float64)
        dWl = np.asarray(nn["dW"][l], dtype=np.float64)
        if l2_loss:
            dWl = dWl.copy()
            dWl[:, 1:] += lam * Wl[:, 1:]
        for i in range(Wl.shape[0]):
            for j in range(Wl.shape[1]):
                Wm, Wp = Wl.copy(), Wl.copy()
                Wm[i, j] = Wl[i, j] - epsilon
                Wp[i, j] = Wl[i, j] + epsilon
                Ws_m, Ws_p = list(nn["W"]), list(nn["W"])
                Ws_m[l], Ws_p[l] = Wm, Wp
                mrandom.rand("state", 0)
                Lm = _nnff({**nn, "W": Ws_m}, a1, y, sparsity_fix, l2_loss)["L"]
                mrandom.rand("state", 0)
                Lp = _nnff({**nn, "W": Ws_p}, a1, y, sparsity_fix, l2_loss)["L"]
                dW = (Lp - Lm) / (2 * epsilon)
                if not abs(dW - dWl[i, j]) < er:
                    raise ValueError("numerical gradient checking failed")


def nnupdatefigures(nn: dict, fhandle: str, L: dict, opts: dict, i: int):
    """Plot the training (and validation) error per epoch (NN/nnupdatefigures.m), and for
    softmax outputs the misclassification rate beside it, as a PNG named ``fhandle``.

    Nothing is drawn for the first epoch (i = 1), as in the original.

    Parameters
    ----------
    nn : dict
        The net (its output function decides whether the rate is drawn).
    fhandle : str
        The PNG's name.
    L : dict
        The losses of :func:`nneval` so far.
    opts : dict
        The training options (numepochs).
    i : int
        The epoch, 1-based.

    Returns
    -------
    path : the PNG written (in :func:`ufldl_py.plot.figures_dir`), or None.
    """
    from .. import plot

    if i <= 1:
        return None
    x_ax = np.arange(1, i + 1)
    M = ["Training", "Validation"] if opts.get("validation") == 1 else ["Training"]
    ye = [np.ravel(L["train"]["e"])]
    yfrac = [np.ravel(L["train"].get("e_frac", []))]
    if opts.get("validation") == 1:
        ye.append(np.ravel(L["val"]["e"]))
        yfrac.append(np.ravel(L["val"].get("e_frac", [])))
    softmax = nn["output"] == "softmax"
    numepochs = validate.scalar(opts["numepochs"], "opts.numepochs")
    fig, axes = plot.subplots(1, 2 if softmax else 1, figsize=(11 if softmax else 6, 4))
    axes = np.atleast_1d(axes)
    panels = [(axes[0], ye, "Error", "Error")]
    if softmax:
        panels.append((axes[1], yfrac, "Misclassification rate", "Misclassification rate"))
    for ax, ys, ylabel, title in panels:
        for label, yv in zip(M, ys):
            ax.plot(x_ax, yv[:i], label=label)
        ax.set_xlabel("Number of epochs")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.legend(loc="upper right")
        ax.set_xlim(0, numepochs + 1)
    return plot.savefig(fig, fhandle)


# --------------------------------------------------------------------------- loop forms


def nnff_loop(nn: dict, x, y) -> dict:
    """nnff as NN/nnff.m writes it, with concatenated bias columns: the reference that the
    tests compare :func:`nnff` with.

    Parameters
    ----------
    nn : dict
        A net of :func:`nnsetup`.
    x : ndarray (m, n)
        The examples, one per row.
    y : ndarray (m, outputs)
        The targets.

    Returns
    -------
    nn : dict
        As :func:`nnff`'s: a new dict with the activations a, the error e and the loss L.
    """
    from .util import sigm, tanh_opt

    nn = dict(nn)
    n = int(nn["n"])
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    m = x.shape[0]
    a = [np.hstack([np.ones((m, 1)), x])] + [None] * (n - 1)
    p = list(nn["p"])
    masks = list(nn.get("dropOutMask", [EMPTY] * (n - 1)))
    masks += [EMPTY] * (n - 1 - len(masks))
    for i in range(2, n):
        if nn["activation_function"] == "sigm":
            a[i - 1] = sigm(a[i - 2] @ np.asarray(nn["W"][i - 2]).T)
        else:
            a[i - 1] = tanh_opt(a[i - 2] @ np.asarray(nn["W"][i - 2]).T)
        if nn["dropoutFraction"] > 0:
            if nn["testing"]:
                a[i - 1] = a[i - 1] * (1 - nn["dropoutFraction"])
            else:
                masks[i - 1] = mrandom.rand(*a[i - 1].shape) > nn["dropoutFraction"]
                a[i - 1] = a[i - 1] * masks[i - 1]
                nn["dropOutMask"] = masks
        if nn["nonSparsityPenalty"] > 0:
            p[i - 1] = 0.99 * np.reshape(p[i - 1], (1, -1)) \
                + 0.01 * np.mean(a[i - 1], axis=0, keepdims=True)
            nn["p"] = p
        a[i - 1] = np.hstack([np.ones((m, 1)), a[i - 1]])
    z = a[n - 2] @ np.asarray(nn["W"][n - 2]).T
    if nn["output"] == "sigm":
        a[n - 1] = sigm(z)
    elif nn["output"] == "linear":
        a[n - 1] = z
    else:
        z = np.exp(z - z.max(axis=1, keepdims=True))
        a[n - 1] = z / z.sum(axis=1, keepdims=True)
    nn["a"] = a
    nn["e"] = y - a[n - 1]
    if nn["output"] == "softmax":
        nn["L"] = -np.sum(np.sum(y * np.log(a[n - 1]))) / m
    else:
        nn["L"] = 1 / 2 * np.sum(np.sum(nn["e"] ** 2)) / m
    return nn


def nnbp_loop(nn: dict) -> dict:
    """nnbp as NN/nnbp.m writes it, the deltas with their bias columns: the reference that
    the tests compare :func:`nnbp` with.

    Parameters
    ----------
    nn : dict
        A net after :func:`nnff`.

    Returns
    -------
    nn : dict
        As :func:`nnbp`'s: a new dict with the gradients dW.
    """
    n = int(nn["n"])
    a, e, W = nn["a"], nn["e"], [np.asarray(w) for w in nn["W"]]
    d = [None] * (n + 1)  # d[i] is MATLAB's d{i}
    sparsityError = 0
    if nn["output"] == "sigm":
        d[n] = -e * (a[n - 1] * (1 - a[n - 1]))
    else:
        d[n] = -e
    for i in range(n - 1, 1, -1):
        d_act = _d_act(nn["activation_function"], a[i - 1])
        if nn["nonSparsityPenalty"] > 0:
            pi = np.tile(np.ravel(nn["p"][i - 1]), (a[i - 1].shape[0], 1))
            sparsityError = np.hstack([np.zeros((a[i - 1].shape[0], 1)),
                                       _sparsity_error(nn, pi)])
        if i + 1 == n:
            d[i] = (d[i + 1] @ W[i - 1] + sparsityError) * d_act
        else:
            d[i] = (d[i + 1][:, 1:] @ W[i - 1] + sparsityError) * d_act
        if nn["dropoutFraction"] > 0:
            d[i] = d[i] * np.hstack([np.ones((d[i].shape[0], 1)), nn["dropOutMask"][i - 1]])
    dW = []
    for i in range(1, n):
        if i + 1 == n:
            dW.append((d[i + 1].T @ a[i - 1]) / d[i + 1].shape[0])
        else:
            dW.append((d[i + 1][:, 1:].T @ a[i - 1]) / d[i + 1].shape[0])
    nn = dict(nn)
    nn["dW"] = dW
    return nn
