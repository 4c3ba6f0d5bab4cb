"""DeepLearnToolbox's convolutional networks (DeepLearnToolbox/CNN).

``net`` is a dict with DeepLearnToolbox's field names: ``net['layers']`` is a list of layer
dicts (``type`` 'i', 'c' or 's'; ``outputmaps``, ``kernelsize``, ``scale``; ``a``, ``d``,
``k``, ``b``, ``dk``, ``db``), ``k[i][j]`` is the kernel from input map i to output map j,
and the net holds ``ffW``, ``ffb``, ``fv``, ``o``, ``e``, ``L``, ``od``, ``fvd``, ``dffW``,
``dffb`` and ``rL`` as the MATLAB struct does. Maps are (rows, cols, batch) arrays; the
labels ``y`` are (onum, batch), one column per example, as DeepLearnToolbox passes
``train_y'``. Such a net saves with :func:`ufldl_py.matlab.io.savemat` into a struct that the
original cnnff and cnnbp run on in Octave, and a net Octave saved loads back and runs here.

The fast forms compute every map of a layer at once: a convolution layer is one matrix
product of its kernels with the patches of all input maps over the whole batch; the kernel
gradients reuse the same patches, and the delta before a convolution layer is a product
with banded matrices of its kernels. The fields hold what DeepLearnToolbox holds (``a{j}``
per map, ``k{i}{j}`` per pair of maps and so on), as views of stacked arrays; copies and
pickles of a net hold plain lists. :func:`cnnff_loop` and :func:`cnnbp_loop` are the
map-by-map translations that the tests compare the fast forms with.
"""

from __future__ import annotations

import operator
import time

import numpy as np

from .. import kernels
from ..matlab import random as mrandom
from ..matlab import validate
from ..matlab.ops import convn, expand, flipall, rot180
from .util import sigm

__all__ = ["cnnsetup", "cnnff", "cnnbp", "cnnapplygrads", "cnntrain", "cnntest",
           "cnnnumgradcheck", "cnnff_loop", "cnnbp_loop"]

LAYER_TYPES = ("i", "c", "s")
TEST_BATCH = 500  # examples per cnnff call in cnntest


def _check_layers(net: dict) -> list[dict]:
    layers = net.get("layers")
    if not isinstance(layers, (list, tuple)) or not layers:
        raise ValueError("net['layers'] must be a non-empty list of layer dicts")
    for l, layer in enumerate(layers, 1):
        if not isinstance(layer, dict) or "type" not in layer:
            raise ValueError(f"layer {l} must be a dict with a 'type' field")
        if layer["type"] not in LAYER_TYPES:
            raise ValueError(f"layer {l}: unknown layer type {layer['type']!r} (one of 'i', "
                             "'c', 's')")
    if layers[0]["type"] != "i":
        raise ValueError("layer 1 must be the input layer, type 'i'")
    return list(layers)


def _maps3(a) -> np.ndarray:
    """A map as (rows, cols, batch): MATLAB drops a trailing batch dimension of 1."""
    a = np.asarray(a, dtype=np.float64)
    return a.reshape(a.shape[0], a.shape[1], -1) if a.ndim == 2 else a


def _num2str(v: np.ndarray) -> str:
    return "  ".join(f"{x:g}" for x in np.ravel(v))


# --------------------------------------------------------------------------- set-up


def cnnsetup(net: dict, x, y) -> dict:
    """Initialise kernels, biases and the output layer (CNN/cnnsetup.m).

    Kernels are uniform in +-sqrt(6 / (fan_in + fan_out)), drawn with ``rand`` from
    :mod:`ufldl_py.matlab.random` in the original's order (output map j, then input map i),
    so that after ``rand('state', 0)`` they equal Octave's.

    Parameters
    ----------
    net : dict with ``layers``, a list of dicts: {'type': 'i'}, {'type': 'c', 'outputmaps':
        m, 'kernelsize': k}, {'type': 's', 'scale': s}.
    x : (rows, cols, n) inputs (only the size of one map is used).
    y : (onum, n) targets (only onum = size(y, 1) is used).

    Returns
    -------
    net : a new dict, with k, b for each layer and ffW (onum, fvnum), ffb (onum,).
    """
    net = dict(net)
    layers = [dict(layer) for layer in _check_layers(net)]
    x = _maps3(x)
    y = np.asarray(y)
    if y.ndim != 2:
        raise ValueError(f"y must be an onum x n matrix of targets, got shape {y.shape}")
    inputmaps = 1
    mapsize = np.array(x.shape[:2], dtype=np.float64)
    for l, layer in enumerate(layers, 1):
        if layer["type"] == "s":
            mapsize = mapsize / validate.scalar(layer["scale"], f"layer {l} scale")
            if not (np.floor(mapsize) == mapsize).all():
                raise ValueError(f"Layer {l} size must be integer. Actual: {_num2str(mapsize)}")
            layer["b"] = [0.0] * inputmaps
        if layer["type"] == "c":
            ks = validate.positive_int(layer["kernelsize"], f"layer {l} kernelsize")
            outputmaps = validate.positive_int(layer["outputmaps"], f"layer {l} outputmaps")
            mapsize = mapsize - ks + 1
            if (mapsize < 1).any():
                raise ValueError(f"Layer {l}: kernelsize {ks} is larger than its input maps")
            fan_out = outputmaps * ks ** 2
            K = np.empty((inputmaps, outputmaps, ks, ks))
            for j in range(outputmaps):
                fan_in = inputmaps * ks ** 2
                for i in range(inputmaps):
                    K[i, j] = (mrandom.rand(ks) - 0.5) * 2 * np.sqrt(6 / (fan_in + fan_out))
            layer["k"] = _Kernels(K)
            layer["b"] = [0.0] * outputmaps
            inputmaps = outputmaps
    fvnum = int(np.prod(mapsize)) * inputmaps
    onum = y.shape[0]
    net["layers"] = layers
    net["ffb"] = np.zeros(onum)
    net["ffW"] = (mrandom.rand(onum, fvnum) - 0.5) * 2 * np.sqrt(6 / (onum + fvnum))
    return net


# --------------------------------------------------------------------------- stacked maps
#
# A layer's maps are one stacked (maps, rows, cols, batch) array, and a{j} is its view [j]
# (the layout of ufldl_py.kernels): a convolution layer is one product of its kernels with
# the patches of its input maps (kernels.im2col), which the kernel gradients reuse.


class _Kernels(list):
    """``k{i}{j}`` (or ``dk{i}{j}``) as a list of lists of the views [i, j] of one stacked
    (inputmaps, outputmaps, kr, kc) array, which it remembers."""

    def __init__(self, stacked: np.ndarray):
        super().__init__([stacked[i, j] for j in range(stacked.shape[1])]
                         for i in range(stacked.shape[0]))
        self.stacked = stacked
        self._views = [tuple(row) for row in self]

    def __reduce__(self):
        # copies and pickles are plain lists: their entries are no views of a stacked array
        return list, ([list(row) for row in self],)

    def unchanged(self) -> bool:
        """Whether every entry is still the view it was made with (none was replaced)."""
        return len(self) == len(self._views) and all(
            len(row) == len(views) and all(map(operator.is_, row, views))
            for row, views in zip(self, self._views))


def _kernel_stack(k, inputmaps: int, outputmaps: int, ks: int, what: str) -> np.ndarray:
    """k{i}{j} as one (inputmaps, outputmaps, ks, ks) array; no copy for a _Kernels."""
    if isinstance(k, _Kernels) and k.unchanged():
        K = k.stacked
    else:
        try:
            K = np.array([[np.asarray(kij, dtype=np.float64).reshape(ks, ks) for kij in row]
                          for row in k])
        except (TypeError, ValueError) as err:
            raise ValueError(f"{what} must be a cell of cells of {ks} x {ks} kernels") from err
    if K.shape != (inputmaps, outputmaps, ks, ks):
        raise ValueError(f"{what} holds {K.shape[0]} x {K.shape[1] if K.ndim > 1 else 0} "
                         f"kernels, the layer needs {inputmaps} x {outputmaps} (inputmaps x "
                         "outputmaps)")
    return K


class _Maps(list):
    """The list of per-map views ``a{j}`` (or ``d{j}``) of one stacked (maps, r, c, n) array,
    which it remembers with the patch matrices built from it, so that cnnbp gets both back
    without a copy. The stacked array is read-only: maps are values, as in MATLAB, and an
    in-place edit raises instead of leaving the patches stale; a map replaced in the list
    (``a[j] = ...``) makes cnnbp stack the maps and build the patches again."""

    def __init__(self, stacked: np.ndarray):
        stacked.flags.writeable = False
        super().__init__(stacked[j] for j in range(stacked.shape[0]))
        self.stacked = stacked
        self.patches: dict[int, np.ndarray] = {}  # kernel size -> kernels.im2col(stacked, k)
        self._views = tuple(self)

    def __reduce__(self):
        # copies and pickles are plain lists: their entries are no views of a stacked array
        return list, (list(self),)

    def unchanged(self) -> bool:
        """Whether every entry is still the view it was made with (none was replaced)."""
        return len(self) == len(self._views) and all(map(operator.is_, self, self._views))


def _stack(maps) -> np.ndarray:
    """A list of (r, c, n) maps as one (maps, r, c, n) array; no copy for the lists cnnff
    and cnnbp made (unless their maps were replaced)."""
    if isinstance(maps, _Maps) and maps.unchanged():
        return maps.stacked
    return np.stack([_maps3(a) for a in maps])


def _patches(maps, A: np.ndarray, k: int) -> np.ndarray:
    """kernels.im2col(A, k) for the stacked maps A of the list ``maps``: the one cnnff built
    when ``maps`` is its unchanged list (A is then its read-only stacked array)."""
    if isinstance(maps, _Maps) and maps.unchanged() and A is maps.stacked:
        P = maps.patches.get(k)
        if P is None:
            P = maps.patches[k] = kernels.im2col(A, k)
        return P
    return kernels.im2col(A, k)


def _fv_order(stacked: np.ndarray) -> np.ndarray:
    """(maps, r, c, n) -> (maps*r*c, n) with each map unrolled column-major, as
    ``[reshape(a{1}, r*c, n); reshape(a{2}, r*c, n); ...]``."""
    J, r, c, n = stacked.shape
    return stacked.transpose(0, 2, 1, 3).reshape(J * r * c, n)


def _from_fv(fv: np.ndarray, J: int, r: int, c: int) -> np.ndarray:
    """The inverse of _fv_order."""
    return fv.reshape(J, c, r, -1).transpose(0, 2, 1, 3)


def _biases(b, n: int, what: str) -> np.ndarray:
    """The biases b{j} of a layer with n output maps as an array."""
    b = [validate.scalar(v, f"{what}{{j}}") for v in b]
    if len(b) != n:
        raise ValueError(f"{what} has {len(b)} biases, the layer has {n} output maps")
    return np.array(b)


# --------------------------------------------------------------------------- forward


def cnnff(net: dict, x) -> dict:
    """Feed a batch forward (CNN/cnnff.m): every layer's maps ``a``, then ``fv`` and ``o``.

    Parameters
    ----------
    net : a net from :func:`cnnsetup` (or loaded from a .mat file).
    x : (rows, cols, n) batch.

    Returns
    -------
    net : a new dict with layers[l]['a'] (lists of (r, c, n) maps), fv (fvnum, n) and
        o (onum, n) filled in.
    """
    net = dict(net)
    layers = [dict(layer) for layer in _check_layers(net)]
    A = _maps3(x)[None].copy()  # stacked maps of the previous layer, owning its memory
    maps = layers[0]["a"] = _Maps(A)
    for l in range(1, len(layers)):
        layer = layers[l]
        I, r, c, n = A.shape
        if layer["type"] == "c":
            ks = validate.positive_int(layer["kernelsize"], f"layer {l + 1} kernelsize")
            J = validate.positive_int(layer["outputmaps"], f"layer {l + 1} outputmaps")
            if ks > r or ks > c:
                raise ValueError(f"layer {l + 1}: kernelsize {ks} is larger than its input "
                                 f"maps ({r} x {c})")
            # a{j} = sigm(sum_i convn(a{i}, k{i}{j}, 'valid') + b{j}) for every j at once
            W = kernels.conv_matrix(_kernel_stack(layer["k"], I, J, ks, f"layer {l + 1} k"))
            out = np.empty((J, r - ks + 1, c - ks + 1, n))
            z = np.matmul(W, _patches(maps, A, ks), out=out.reshape(J, -1))  # (J, R*C*n)
            kernels.sigmoid(z, _biases(layer["b"], J, f"layer {l + 1} b")[:, None], out=z)
            A = out
        elif layer["type"] == "s":
            s = validate.positive_int(layer["scale"], f"layer {l + 1} scale")
            if r % s or c % s:
                raise ValueError(f"Layer {l + 1} size must be integer. Actual: "
                                 f"{_num2str(np.array([r, c]) / s)}")
            A = kernels.mean_pool(A, s)  # convn(a{j}, ones(s) / s^2, 'valid') every s pixels
        else:
            raise ValueError(f"layer {l + 1}: an input layer ('i') can only be the first")
        maps = layer["a"] = _Maps(A)
    net["layers"] = layers
    fv = _fv_order(A)
    net["fv"] = fv
    ffW = np.asarray(net["ffW"], dtype=np.float64)
    ffb = np.asarray(net["ffb"], dtype=np.float64).reshape(-1, 1)
    if ffW.shape[1] != fv.shape[0]:
        raise ValueError(f"ffW has {ffW.shape[1]} columns but the last layer gives "
                         f"{fv.shape[0]} features")
    o = ffW @ fv
    net["o"] = kernels.sigmoid(o, ffb, out=o)
    return net


# --------------------------------------------------------------------------- backward


def cnnbp(net: dict, y) -> dict:
    """Back-propagate the squared error (CNN/cnnbp.m): e, L, od, fvd, every layer's d, and
    the gradients dk, db, dffW, dffb.

    Parameters
    ----------
    net : a net after :func:`cnnff`.
    y : (onum, n) targets of the batch.

    Returns
    -------
    net : a new dict with the error, the loss ``L = 1/2 * sum(e(:).^2) / n``, the deltas
        and the gradients.
    """
    net = dict(net)
    layers = [dict(layer) for layer in _check_layers(net)]
    o = np.asarray(net["o"], dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if y.shape != o.shape:
        raise ValueError(f"y must be onum x n = {o.shape[0]} x {o.shape[1]} (one column per "
                         f"example), got shape {y.shape}")
    n_layers = len(layers)
    m = o.shape[1]
    e = o - y
    net["e"] = e
    net["L"] = 0.5 * np.sum(e.ravel(order="F") ** 2) / m
    od = e * (o * (1 - o))
    net["od"] = od
    ffW = np.asarray(net["ffW"], dtype=np.float64)
    fv = np.asarray(net["fv"], dtype=np.float64)
    fvd = ffW.T @ od
    if layers[-1]["type"] == "c":
        fvd = fvd * (fv * (1 - fv))
    net["fvd"] = fvd

    A = [_stack(layer["a"]) for layer in layers]
    J, r, c, _ = A[-1].shape
    D = [None] * n_layers
    D[-1] = np.ascontiguousarray(_from_fv(fvd, J, r, c))
    for l in range(n_layers - 2, 0, -1):
        nxt = layers[l + 1]
        if layers[l]["type"] == "c":
            if nxt["type"] != "s":
                raise ValueError(f"cnnbp: layer {l + 1} ('c') must be followed by a "
                                 "subsampling layer ('s'), as DeepLearnToolbox's cnnbp assumes")
            s = validate.positive_int(nxt["scale"], f"layer {l + 2} scale")
            # a .* (1 - a) .* (expand(d_next, [s s 1]) / s^2), the expansion a broadcast
            a = A[l]
            J, R, C, n = a.shape
            up = D[l + 1] / s ** 2
            d = np.subtract(1.0, a)
            d *= a
            d.reshape(J, R // s, s, C // s, s, n)[...] *= up[:, :, None, :, None, :]
            D[l] = d
        elif layers[l]["type"] == "s":
            if nxt["type"] != "c":
                raise ValueError(f"cnnbp: layer {l + 1} ('s') must be followed by a "
                                 "convolution layer ('c'), as DeepLearnToolbox's cnnbp assumes")
            ks = validate.positive_int(nxt["kernelsize"], f"layer {l + 2} kernelsize")
            I, Jn = A[l].shape[0], D[l + 1].shape[0]
            # z_i = sum_j convn(d_j, rot180(k{i}{j}), 'full')
            K = _kernel_stack(nxt["k"], I, Jn, ks, f"layer {l + 2} k")
            D[l] = kernels.conv_full_adjoint(D[l + 1], K, *A[l].shape[1:3])
        # the input layer has no delta
    for l in range(1, n_layers):
        layers[l]["d"] = _Maps(D[l])

    for l in range(1, n_layers):
        layer = layers[l]
        if layer["type"] != "c":
            continue
        ks = validate.positive_int(layer["kernelsize"], f"layer {l + 1} kernelsize")
        I, Jc, n = A[l - 1].shape[0], D[l].shape[0], D[l].shape[3]
        # dk{i}{j} = convn(flipall(a{i}), d{j}, 'valid') / n = rot180(corr(a{i}, d{j})) / n
        G = _patches(layers[l - 1]["a"], A[l - 1], ks) @ D[l].reshape(Jc, -1).T  # (I*ks*ks, J)
        G = G.reshape(I, ks, ks, Jc) / n
        layer["dk"] = _Kernels(np.ascontiguousarray(G.transpose(0, 3, 1, 2)[:, :, ::-1, ::-1]))
        layer["db"] = [float(v) for v in D[l].reshape(Jc, -1).sum(axis=1) / n]
    net["layers"] = layers
    net["dffW"] = od @ fv.T / m
    net["dffb"] = od.mean(axis=1)
    return net


# --------------------------------------------------------------------------- training


def cnnapplygrads(net: dict, opts: dict) -> dict:
    """One gradient step with learning rate ``opts['alpha']`` (CNN/cnnapplygrads.m):
    ``k{i}{j} - alpha * dk{i}{j}``, ``b{j} - alpha * db{j}``, ``ffW - alpha * dffW``,
    ``ffb - alpha * dffb``."""
    alpha = validate.scalar(opts["alpha"], "opts.alpha")
    net = dict(net)
    layers = [dict(layer) for layer in _check_layers(net)]
    for l in range(1, len(layers)):
        layer = layers[l]
        if layer["type"] == "c":
            ks = validate.positive_int(layer["kernelsize"], f"layer {l + 1} kernelsize")
            shape = (len(layer["k"]), len(layer["k"][0]) if len(layer["k"]) else 0)
            K = _kernel_stack(layer["k"], *shape, ks, f"layer {l + 1} k")
            dK = _kernel_stack(layer["dk"], *shape, ks, f"layer {l + 1} dk")
            layer["k"] = _Kernels(K - alpha * dK)
            layer["b"] = [validate.scalar(b, "b{j}") - alpha * validate.scalar(db, "db{j}")
                          for b, db in zip(layer["b"], layer["db"])]
    net["layers"] = layers
    net["ffW"] = np.asarray(net["ffW"]) - alpha * np.asarray(net["dffW"])
    net["ffb"] = np.asarray(net["ffb"]).ravel() - alpha * np.asarray(net["dffb"]).ravel()
    return net


def cnntrain(net: dict, x, y, opts: dict, verbose: bool = True) -> dict:
    """Minibatch gradient descent (CNN/cnntrain.m).

    Each epoch draws ``kk = randperm(m)`` (from :mod:`ufldl_py.matlab.random`) and runs
    cnnff, cnnbp and cnnapplygrads on consecutive batches of ``kk``; ``net['rL']`` is the
    smoothed loss, ``rL(end+1) = 0.99*rL(end) + 0.01*L``. Prints 'epoch i/N' and the elapsed
    time per epoch as the original does.

    Parameters
    ----------
    x : (rows, cols, m) examples; y : (onum, m) targets.
    opts : dict with alpha, batchsize, numepochs.
    """
    x = _maps3(x)
    y = np.asarray(y, dtype=np.float64)
    m = x.shape[2]
    if y.ndim != 2 or y.shape[1] != m:
        raise ValueError(f"y must be onum x m with m = {m} columns (one per example), got "
                         f"shape {y.shape}")
    batchsize = validate.positive_int(opts["batchsize"], "opts.batchsize")
    numepochs = validate.positive_int(opts["numepochs"], "opts.numepochs")
    numbatches = m / batchsize
    if numbatches % 1 != 0:
        raise ValueError("numbatches not integer")
    numbatches = int(numbatches)
    rL: list[float] = []
    for i in range(1, numepochs + 1):
        if verbose:
            print(f"epoch {i}/{numepochs}", flush=True)
        tic = time.perf_counter()
        kk = mrandom.randperm(m).ravel().astype(np.intp) - 1
        for b in range(numbatches):
            idx = kk[b * batchsize:(b + 1) * batchsize]
            net = cnnff(net, x[:, :, idx])
            net = cnnbp(net, y[:, idx])
            net = cnnapplygrads(net, opts)
            if not rL:
                rL.append(net["L"])
            rL.append(0.99 * rL[-1] + 0.01 * net["L"])
        if verbose:
            print(f"Elapsed time is {time.perf_counter() - tic:.6f} seconds.", flush=True)
    net["rL"] = np.array(rL)
    return net


def cnntest(net: dict, x, y):
    """Classification error on a test set (CNN/cnntest.m).

    Returns
    -------
    er : the fraction misclassified.
    bad : 1-based indices of the misclassified examples (float64, as MATLAB's find).

    The outputs ``net.o`` are computed by cnnff on blocks of TEST_BATCH examples (the same
    numbers as one cnnff on the whole set, in bounded memory).
    """
    y = np.asarray(y)
    x = _maps3(x)
    o = np.concatenate([cnnff(net, x[:, :, s:s + TEST_BATCH])["o"]
                        for s in range(0, x.shape[2], TEST_BATCH)], axis=1)
    if y.shape != o.shape:
        raise ValueError(f"y must be onum x n = {o.shape[0]} x {o.shape[1]}, "
                         f"got shape {y.shape}")
    h = o.argmax(axis=0)
    a = y.argmax(axis=0)
    bad = np.flatnonzero(h != a) + 1.0
    return bad.size / y.shape[1], bad


def cnnnumgradcheck(net: dict, x, y) -> None:
    """Compare cnnbp's gradients with central differences (CNN/cnnnumgradcheck.m).

    Checks dffb, dffW and, for every convolution layer, db and dk, with epsilon 1e-4 and a
    tolerance of 1e-8 on the absolute difference; raises ValueError('numerical gradient
    checking failed') as the original's error() does.
    """
    epsilon, er = 1e-4, 1e-8

    def loss(modified: dict) -> float:
        return cnnbp(cnnff(modified, x), y)["L"]

    def check(d: float, analytic: float) -> None:
        if abs(d - analytic) > er:
            raise ValueError("numerical gradient checking failed")

    ffb = np.asarray(net["ffb"], dtype=np.float64).ravel()
    for j in range(ffb.size):
        p, m_ = ffb.copy(), ffb.copy()
        p[j] += epsilon
        m_[j] -= epsilon
        check((loss({**net, "ffb": p}) - loss({**net, "ffb": m_})) / (2 * epsilon),
              np.ravel(net["dffb"])[j])
    ffW = np.asarray(net["ffW"], dtype=np.float64)
    for i in range(ffW.shape[0]):
        for u in range(ffW.shape[1]):
            p, m_ = ffW.copy(), ffW.copy()
            p[i, u] += epsilon
            m_[i, u] -= epsilon
            check((loss({**net, "ffW": p}) - loss({**net, "ffW": m_})) / (2 * epsilon),
                  np.asarray(net["dffW"])[i, u])

    def with_layer(l: int, **fields) -> dict:
        layers = list(net["layers"])
        layers[l] = {**layers[l], **fields}
        return {**net, "layers": layers}

    layers = net["layers"]
    for l in range(len(layers) - 1, 0, -1):
        layer = layers[l]
        if layer["type"] != "c":
            continue
        for j in range(len(layer["a"])):
            b = [validate.scalar(v, "b{j}") for v in layer["b"]]
            bp, bm = list(b), list(b)
            bp[j] += epsilon
            bm[j] -= epsilon
            check((loss(with_layer(l, b=bp)) - loss(with_layer(l, b=bm))) / (2 * epsilon),
                  validate.scalar(layer["db"][j], "db{j}"))
            for i in range(len(layers[l - 1]["a"])):
                kij = np.asarray(layer["k"][i][j], dtype=np.float64)
                for u in range(kij.shape[0]):
                    for v in range(kij.shape[1]):
                        kp, km = kij.copy(), kij.copy()
                        kp[u, v] += epsilon
                        km[u, v] -= epsilon
                        k_p = [list(row) for row in layer["k"]]
                        k_m = [list(row) for row in layer["k"]]
                        k_p[i][j], k_m[i][j] = kp, km
                        check((loss(with_layer(l, k=k_p)) - loss(with_layer(l, k=k_m)))
                              / (2 * epsilon), np.asarray(layer["dk"][i][j])[u, v])


# --------------------------------------------------------------------------- loop forms


def cnnff_loop(net: dict, x) -> dict:
    """cnnff as CNN/cnnff.m writes it, map by map with convn: the reference that the tests
    compare :func:`cnnff` with."""
    net = dict(net)
    layers = [dict(layer) for layer in _check_layers(net)]
    layers[0]["a"] = [_maps3(x)]
    inputmaps = 1
    for l in range(1, len(layers)):
        layer, prev = layers[l], layers[l - 1]["a"]
        if layer["type"] == "c":
            ks = validate.positive_int(layer["kernelsize"], "kernelsize")
            a = []
            for j in range(validate.positive_int(layer["outputmaps"], "outputmaps")):
                z = np.zeros((prev[0].shape[0] - ks + 1, prev[0].shape[1] - ks + 1,
                              prev[0].shape[2]))
                for i in range(inputmaps):
                    z = z + _maps3(convn(prev[i], layer["k"][i][j], "valid"))
                a.append(sigm(z + validate.scalar(layer["b"][j], "b{j}")))
            layer["a"] = a
            inputmaps = len(a)
        elif layer["type"] == "s":
            s = validate.positive_int(layer["scale"], "scale")
            layer["a"] = [_maps3(convn(prev[j], np.ones((s, s)) / s ** 2, "valid"))[::s, ::s]
                          for j in range(inputmaps)]
    net["layers"] = layers
    net["fv"] = np.vstack([a.reshape(a.shape[0] * a.shape[1], a.shape[2], order="F")
                           for a in layers[-1]["a"]])
    net["o"] = sigm(np.asarray(net["ffW"]) @ net["fv"]
                    + np.asarray(net["ffb"], dtype=np.float64).reshape(-1, 1))
    return net


def cnnbp_loop(net: dict, y) -> dict:
    """cnnbp as CNN/cnnbp.m writes it, map by map with convn, expand, rot180 and flipall:
    the reference that the tests compare :func:`cnnbp` with."""
    net = dict(net)
    layers = [dict(layer) for layer in _check_layers(net)]
    n = len(layers)
    y = np.asarray(y, dtype=np.float64)
    net["e"] = net["o"] - y
    net["L"] = 0.5 * np.sum(net["e"].ravel(order="F") ** 2) / net["e"].shape[1]
    net["od"] = net["e"] * (net["o"] * (1 - net["o"]))
    net["fvd"] = np.asarray(net["ffW"]).T @ net["od"]
    if layers[-1]["type"] == "c":
        net["fvd"] = net["fvd"] * (net["fv"] * (1 - net["fv"]))
    sa = layers[-1]["a"][0].shape
    fvnum = sa[0] * sa[1]
    layers[-1]["d"] = [net["fvd"][j * fvnum:(j + 1) * fvnum].reshape(sa, order="F")
                       for j in range(len(layers[-1]["a"]))]
    for l in range(n - 2, 0, -1):
        layer, nxt = layers[l], layers[l + 1]
        if layer["type"] == "c":
            s = validate.positive_int(nxt["scale"], "scale")
            layer["d"] = [a * (1 - a) * (expand(d, [s, s, 1]) / s ** 2)
                          for a, d in zip(layer["a"], nxt["d"])]
        elif layer["type"] == "s":
            d = []
            for i in range(len(layer["a"])):
                z = np.zeros(layer["a"][0].shape)
                for j in range(len(nxt["a"])):
                    z = z + _maps3(convn(nxt["d"][j], rot180(nxt["k"][i][j]), "full"))
                d.append(z)
            layer["d"] = d
    for l in range(1, n):
        layer = layers[l]
        if layer["type"] == "c":
            layer["dk"] = [[convn(flipall(a), d, "valid") / d.shape[2] for d in layer["d"]]
                           for a in layers[l - 1]["a"]]
            layer["db"] = [float(np.sum(d)) / d.shape[2] for d in layer["d"]]
    net["layers"] = layers
    net["dffW"] = net["od"] @ net["fv"].T / net["od"].shape[1]
    net["dffb"] = np.mean(net["od"], axis=1)
    return net
