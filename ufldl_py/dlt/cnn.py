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
product of its kernels with the patches of all input maps over a block of images; the kernel
gradients reuse the same patches, and the delta before a convolution layer is a product
with banded matrices of its kernels (the named kernels of :mod:`ufldl_py.kernels`). A batch
runs as blocks of BLOCK images on ``$UFLDL_PY_THREADS`` threads, BLAS at one thread per
block; the blocks are cut by size, so the numbers do not depend on the thread count. The
fields hold what DeepLearnToolbox holds (``a{j}`` per map, ``k{i}{j}`` per pair of maps and
so on), as views of stacked arrays; copies and pickles of a net hold plain lists.
:func:`cnnff_loop` and :func:`cnnbp_loop` are the map-by-map translations that the tests
compare the fast forms with.
"""

from __future__ import annotations

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
# Images per block of cnnff and cnnbp, cut by size (never by the thread count, so that the
# numbers do not depend on it). Measured on 2 cores (test_example_CNN's net): two blocks of
# 50 on 2 threads beat one of 100 on 1; two of 25 lost to one of 50 (numpy calls of 10-40 us
# lose 5-8 us each to the GIL hand-offs). A batch of 50, test_example_CNN's, is one block.
BLOCK = 50


# --------------------------------------------------------------------------- set-up


def cnnsetup(net: dict, x, y) -> dict:
    """Initialise kernels, biases and the output layer (CNN/cnnsetup.m).

    Kernels are uniform in +-sqrt(6 / (fan_in + fan_out)), drawn with ``rand`` from
    :mod:`ufldl_py.matlab.random` in the original's order (output map j, then input map i),
    so that after ``rand('state', 0)`` they equal Octave's.

    Parameters
    ----------
    net : dict
        ``layers``, a list of dicts: {'type': 'i'}, {'type': 'c', 'outputmaps': m,
        'kernelsize': k}, {'type': 's', 'scale': s}.
    x : ndarray, shape (rows, cols, n)
        Inputs (only the size of one map is used).
    y : ndarray, shape (onum, n)
        Targets (only onum = size(y, 1) is used).

    Returns
    -------
    net : dict
        A new dict, with ``k``, ``b`` for each layer, ``ffW`` (onum, fvnum) and ``ffb``
        (onum,).
    """
    net = dict(net)
    layers = [dict(layer) for layer in _check_layers(net)]
    x = _maps3(x)
    y = np.asarray(y)
    if y.ndim != 2:
        raise ValueError(f"y must be an onum x n matrix of targets, got shape {y.shape}")
    inputmaps = 1
    mapsize = np.array(x.shape[:2], dtype=np.float64)
    for l, layer in enumerate(layers, 1):  # layer
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
            for j in range(outputmaps):  # output map
                fan_in = inputmaps * ks ** 2
                for i in range(inputmaps):  # input map
                    K[i, j] = (mrandom.rand(ks) - 0.5) * 2 * np.sqrt(6 / (fan_in + fan_out))
            layer["k"] = kernels.KernelViews(K)
            layer["b"] = [0.0] * outputmaps
            inputmaps = outputmaps
    # 'fvnum' is the number of output neurons at the last layer, 'onum' the number of labels
    fvnum = int(np.prod(mapsize)) * inputmaps
    onum = y.shape[0]
    net["layers"] = layers
    net["ffb"] = np.zeros(onum)
    net["ffW"] = (mrandom.rand(onum, fvnum) - 0.5) * 2 * np.sqrt(6 / (onum + fvnum))
    return net


# --------------------------------------------------------------------------- forward


@kernels.deterministic
def cnnff(net: dict, x) -> dict:
    """Feed a batch forward (CNN/cnnff.m): every layer's maps ``a``, then ``fv`` and ``o``.

    Every map of a layer at once, on blocks of BLOCK images that run on all cores
    (:func:`ufldl_py.kernels.map_blocks`); the maps keep their patch matrices for cnnbp.

    Parameters
    ----------
    net : dict
        A net from :func:`cnnsetup` (or loaded from a .mat file).
    x : ndarray, shape (rows, cols, n)
        The batch.

    Returns
    -------
    net : dict
        A new dict with ``layers[l]['a']`` (lists of (r, c, n) maps), ``fv`` (fvnum, n) and
        ``o`` (onum, n) filled in.
    """
    net = dict(net)
    layers = [dict(layer) for layer in _check_layers(net)]
    x = _maps3(x)
    spec = _ff_spec(layers, x.shape)  # each layer's checked sizes, kernels and biases
    blocks = kernels.blocks(x.shape[2], BLOCK)
    a = _batch_maps(spec, x, blocks)  # each layer's stacked maps (maps, r, c, n)

    def block(s: slice) -> dict[int, np.ndarray]:
        """The maps of the images in s, in place; returns each 'c' layer's patches."""
        patches = {}
        A = a[0][..., s]  # net.layers{1}.a{1} = x;
        for l in range(1, len(layers)):  # for each layer
            if layers[l]["type"] == "c":
                # z = sum_i convn(a{i}, k{i}{j}, 'valid'), for every output map j at once
                P = patches[l] = kernels.im2col(A, spec[l]["kernelsize"])
                z = spec[l]["W"] @ P
                # add bias, pass through nonlinearity: a{j} = sigm(z + b{j})
                A = kernels.sigmoid(z, spec[l]["b"][:, None], out=z)
                A = A.reshape(spec[l]["shape"] + (-1,))
            else:
                # downsample: convn(a{j}, ones(scale) / scale^2, 'valid'), every scale-th
                # row and column
                A = kernels.mean_pool(A, spec[l]["scale"])
            a[l] = _into(a[l], s, A)
        return patches

    patches = kernels.map_blocks(block, blocks)
    for l, layer in enumerate(layers):
        layer["a"] = kernels.MapViews(a[l])
        for s, P in zip(blocks, patches):
            if l + 1 in P:  # for cnnbp's dk
                layer["a"].keep_patches(spec[l + 1]["kernelsize"], s, P[l + 1])
    net["layers"] = layers
    #  concatenate all end layer feature maps into vector
    fv = net["fv"] = _fv_order(a[-1])
    #  feedforward into output perceptrons
    ffW, ffb = _output_layer(net, fv.shape[0])
    o = ffW @ fv
    net["o"] = kernels.sigmoid(o, ffb[:, None], out=o)
    return net


# --------------------------------------------------------------------------- backward


@kernels.deterministic
def cnnbp(net: dict, y) -> dict:
    """Back-propagate the squared error (CNN/cnnbp.m): e, L, od, fvd, every layer's d, and
    the gradients dk, db, dffW, dffb.

    The deltas and kernel gradients on the blocks of BLOCK images of :func:`cnnff`, on all
    cores; the gradients' sums over the blocks are taken in block order, so that they do not
    depend on the number of threads.

    Parameters
    ----------
    net : dict
        A net after :func:`cnnff`.
    y : ndarray, shape (onum, n)
        The targets of the batch.

    Returns
    -------
    net : dict
        A new dict with the error, the loss ``L = 1/2 * sum(e(:).^2) / n``, the deltas and
        the gradients.
    """
    net = dict(net)
    layers = [dict(layer) for layer in _check_layers(net)]
    o, y, ffW, fv = _bp_inputs(net, y)
    n = len(layers)
    #   error
    e = net["e"] = o - y
    #  loss function
    net["L"] = 0.5 * np.sum(e.ravel(order="F") ** 2) / e.shape[1]

    # %%  backprop deltas
    od = net["od"] = e * (o * (1 - o))  # output delta
    fvd = ffW.T @ od  # feature vector delta
    if layers[-1]["type"] == "c":  # only conv layers has sigm function
        fvd = fvd * (fv * (1 - fv))
    net["fvd"] = fvd
    a = [_stack(layer["a"]) for layer in layers]
    spec = _bp_spec(layers, a)  # the scale or the kernels of each layer's next layer
    #  reshape feature vector deltas into output map style
    d_n = _from_fv(fvd, *a[-1].shape[:3])
    blocks = kernels.blocks(e.shape[1], BLOCK)
    d = [None] + _batch_deltas(a[1:], blocks)  # each layer's stacked deltas

    def block(s: slice) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
        """The deltas of the images in s, in place; returns the sums over them of each 'c'
        layer's dk and db."""
        D = [None] * n
        D[-1] = np.ascontiguousarray(d_n[..., s])
        d[-1] = _into(d[-1], s, D[-1])
        for l in range(n - 2, 0, -1):
            if layers[l]["type"] == "c":
                # d{j} = a{j} .* (1 - a{j}) .* (expand(d{j} of layer l + 1, [scale scale 1])
                #        / scale^2)
                D[l] = kernels.sigmoid_delta_unpooled(a[l][..., s], D[l + 1],
                                                      spec[l]["scale"])
            elif layers[l]["type"] == "s":
                # d{i} = sum_j convn(d{j} of l + 1, rot180(k{i}{j} of l + 1), 'full')
                D[l] = kernels.conv_full_adjoint(D[l + 1], spec[l]["K"], *a[l].shape[1:3])
            d[l] = _into(d[l], s, D[l])
        # %%  calc gradients
        dk, db = {}, {}
        for l in range(1, n):
            if layers[l]["type"] == "c":
                # dk{i}{j} = convn(flipall(a{i} of l - 1), d{j}, 'valid') (/ n below), for
                # every i and j at once with cnnff's patches of a{i}
                Dl = D[l].reshape(D[l].shape[0], -1)
                P = _patches(layers[l - 1]["a"], a[l - 1], spec[l]["kernelsize"], s)
                dk[l] = kernels.product_nt(P, Dl)
                # db{j} = sum(d{j}(:)) (/ n below)
                db[l] = Dl.sum(axis=1)
        return dk, db

    sums = kernels.map_blocks(block, blocks)
    for l in range(1, n):
        layers[l]["d"] = kernels.MapViews(d[l])
        if layers[l]["type"] == "c":
            m = d[l].shape[3]
            dk = sum(dk[l] for dk, _ in sums) / m  # in block order
            layers[l]["dk"] = _dk_cells(dk, spec[l]["kernelsize"])
            layers[l]["db"] = [float(v) for v in sum(db[l] for _, db in sums) / m]
    net["layers"] = layers
    net["dffW"] = od @ fv.T / od.shape[1]
    net["dffb"] = od.mean(axis=1)
    return net


# --------------------------------------------------------------------------- training


def cnnapplygrads(net: dict, opts: dict) -> dict:
    """One gradient step (CNN/cnnapplygrads.m).

    Parameters
    ----------
    net : dict
        A net after :func:`cnnbp`.
    opts : dict
        ``alpha``, the learning rate.

    Returns
    -------
    net : dict
        A new dict with ``k{i}{j} - alpha * dk{i}{j}``, ``b{j} - alpha * db{j}``,
        ``ffW - alpha * dffW`` and ``ffb - alpha * dffb``.
    """
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
            # k{ii}{j} = k{ii}{j} - opts.alpha * dk{ii}{j}, for every ii and j at once
            layer["k"] = kernels.KernelViews(K - alpha * dK)
            # b{j} = b{j} - opts.alpha * db{j}
            layer["b"] = [validate.scalar(b, "b{j}") - alpha * validate.scalar(db, "db{j}")
                          for b, db in zip(layer["b"], layer["db"])]
    net["layers"] = layers
    net["ffW"] = np.asarray(net["ffW"]) - alpha * np.asarray(net["dffW"])
    net["ffb"] = np.asarray(net["ffb"]).ravel() - alpha * np.asarray(net["dffb"]).ravel()
    return net


@kernels.deterministic
def cnntrain(net: dict, x, y, opts: dict, verbose: bool = True) -> dict:
    """Minibatch gradient descent (CNN/cnntrain.m).

    Each epoch draws ``kk = randperm(m)`` (from :mod:`ufldl_py.matlab.random`) and runs
    cnnff, cnnbp and cnnapplygrads on consecutive batches of ``kk``; ``net['rL']`` is the
    smoothed loss. Prints 'epoch i/N' and the elapsed time per epoch as the original does.

    Parameters
    ----------
    net : dict
        A net from :func:`cnnsetup`.
    x : ndarray, shape (rows, cols, m)
        The examples.
    y : ndarray, shape (onum, m)
        Their targets.
    opts : dict
        ``alpha``, ``batchsize`` and ``numepochs``.
    verbose : bool
        Print the progress lines (MATLAB always does).

    Returns
    -------
    net : dict
        The trained net, with ``rL``, ``rL(end+1) = 0.99*rL(end) + 0.01*L`` after each batch.
    """
    x = _maps3(x)
    y = np.asarray(y, dtype=np.float64)
    m = x.shape[2]
    if y.ndim != 2 or y.shape[1] != m:
        raise ValueError(f"y must be onum x m with m = {m} columns (one per example), got "
                         f"shape {y.shape}")
    batchsize, numepochs, numbatches = validate.batches(opts, m, "numbatches not integer")
    rL: list[float] = []
    for i in range(1, numepochs + 1):
        if verbose:  # disp(['epoch ' num2str(i) '/' num2str(opts.numepochs)]);
            print(f"epoch {i}/{numepochs}", flush=True)
        tic = time.perf_counter()
        kk = mrandom.randperm(m).ravel().astype(np.intp) - 1
        for b in range(numbatches):
            idx = kk[b * batchsize:(b + 1) * batchsize]
            net = cnnff(net, x[:, :, idx])  # batch_x = x(:, :, kk(...))
            net = cnnbp(net, y[:, idx])  # batch_y = y(:, kk(...))
            net = cnnapplygrads(net, opts)
            if not rL:
                rL.append(net["L"])
            rL.append(0.99 * rL[-1] + 0.01 * net["L"])
        if verbose:  # toc;
            print(f"Elapsed time is {time.perf_counter() - tic:.6f} seconds.", flush=True)
    net["rL"] = np.array(rL)
    return net


@kernels.deterministic
def cnntest(net: dict, x, y):
    """Classification error on a test set (CNN/cnntest.m).

    The outputs ``net.o`` are computed by cnnff on blocks of TEST_BATCH examples (the same
    numbers as one cnnff on the whole set, in bounded memory).

    Parameters
    ----------
    net : dict
        A trained net.
    x : ndarray, shape (rows, cols, n)
        The test examples.
    y : ndarray, shape (onum, n)
        Their targets.

    Returns
    -------
    er : float
        The fraction misclassified.
    bad : ndarray, shape (k,)
        1-based indices of the misclassified examples (float64, as MATLAB's find).
    """
    y = np.asarray(y)
    x = _maps3(x)
    #  feedforward
    o = np.concatenate([cnnff(net, x[:, :, s:s + TEST_BATCH])["o"]
                        for s in range(0, x.shape[2], TEST_BATCH)], axis=1)
    if y.shape != o.shape:
        raise ValueError(f"y must be onum x n = {o.shape[0]} x {o.shape[1]}, "
                         f"got shape {y.shape}")
    h = o.argmax(axis=0)  # [~, h] = max(net.o);
    a = y.argmax(axis=0)  # [~, a] = max(y);
    bad = np.flatnonzero(h != a) + 1.0  # bad = find(h ~= a);
    return bad.size / y.shape[1], bad  # er = numel(bad) / size(y, 2);


def cnnnumgradcheck(net: dict, x, y) -> None:
    """Compare cnnbp's gradients with central differences (CNN/cnnnumgradcheck.m).

    Checks dffb, dffW and, for every convolution layer, db and dk, with epsilon 1e-4 and a
    tolerance of 1e-8 on the absolute difference.

    Parameters
    ----------
    net : dict
        A net after :func:`cnnbp` on x and y.
    x : ndarray, shape (rows, cols, n)
        The batch.
    y : ndarray, shape (onum, n)
        Its targets.

    Raises
    ------
    ValueError
        'numerical gradient checking failed', as the original's error().
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
    compare :func:`cnnff` with. Parameters and returns as :func:`cnnff`'s.

    Parameters
    ----------
    net : dict
        A net from :func:`cnnsetup` (or loaded from a .mat file).
    x : ndarray, shape (rows, cols, n)
        The batch.

    Returns
    -------
    net : dict
        A new dict with ``layers[l]['a']`` (lists of (r, c, n) maps), ``fv`` (fvnum, n) and
        ``o`` (onum, n) filled in.
    """
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
    the reference that the tests compare :func:`cnnbp` with. Parameters and returns as
    :func:`cnnbp`'s.

    Parameters
    ----------
    net : dict
        A net after :func:`cnnff`.
    y : ndarray, shape (onum, n)
        The targets of the batch.

    Returns
    -------
    net : dict
        A new dict with the error, the loss ``L = 1/2 * sum(e(:).^2) / n``, the deltas and
        the gradients.
    """
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


# --------------------------------------------------------------------------- fields and checks
#
# A layer's maps are one stacked (maps, rows, cols, batch) array, and a{j} is its view [j]
# (kernels.MapViews, read-only, with the patches cnnff built from it); k{i}{j} is the view
# [i, j] of one (inputmaps, outputmaps, k, k) array (kernels.KernelViews).


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


def _kernel_stack(k, inputmaps: int, outputmaps: int, ks: int, what: str) -> np.ndarray:
    """k{i}{j} as one (inputmaps, outputmaps, ks, ks) array; no copy for a KernelViews."""
    if isinstance(k, kernels.KernelViews) and k.unchanged():
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


def _dk_cells(G: np.ndarray, ks: int) -> kernels.KernelViews:
    """The (I*ks*ks, J) product of the patches with the deltas as dk{i}{j}: the correlation
    of a{i} with d{j}, rotated by 180 degrees (convn of the flipped a{i})."""
    G = G.reshape(-1, ks, ks, G.shape[1])
    return kernels.KernelViews(np.ascontiguousarray(G.transpose(0, 3, 1, 2)[:, :, ::-1, ::-1]))


def _stack(maps) -> np.ndarray:
    """A list of (r, c, n) maps as one (maps, r, c, n) array; no copy for the lists cnnff
    and cnnbp made (unless their maps were replaced)."""
    if isinstance(maps, kernels.MapViews) and maps.unchanged():
        return maps.stacked
    return np.stack([_maps3(a) for a in maps])


def _patches(maps, A: np.ndarray, k: int, s: slice) -> np.ndarray:
    """kernels.im2col(A[..., s], k) for the stacked maps A of the list ``maps``: the one
    cnnff built when ``maps`` is its unchanged list (A is then its read-only stacked array)."""
    if isinstance(maps, kernels.MapViews) and maps.unchanged() and A is maps.stacked:
        return maps.patches(k, s)
    return kernels.im2col(A[..., s], k)


def _batch_maps(spec: list[dict], x: np.ndarray, blocks: list[slice]) -> list:
    """cnnff's stacked maps: x as (1, rows, cols, n), a copy that owns its memory, then for
    each layer an empty (maps, r, c, n) array that the blocks fill, or None where one block
    makes the whole batch."""
    return [x[None].copy()] + [np.empty(sp["shape"] + (x.shape[2],)) if len(blocks) > 1
                               else None for sp in spec[1:]]


def _batch_deltas(a: list[np.ndarray], blocks: list[slice]) -> list:
    """cnnbp's stacked deltas, shaped as the maps a: empty arrays that the blocks fill, or
    None where one block makes the whole batch."""
    return [np.empty(A.shape) if len(blocks) > 1 else None for A in a]


def _into(full, s: slice, part: np.ndarray) -> np.ndarray:
    """The block ``part`` written into ``full[..., s]``; part itself when full is None (one
    block)."""
    if full is None:
        return part
    full[..., s] = part
    return full


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


def _ff_spec(layers: list[dict], shape: tuple) -> list[dict]:
    """For each layer of cnnff: the maps' ``shape`` (maps, rows, cols), and for 'c' layers
    ``kernelsize``, ``W`` (kernels.conv_matrix of k) and ``b``, for 's' layers ``scale``;
    checked, with the original's messages where it has them."""
    spec = [{"shape": (1,) + tuple(shape[:2])}]
    for l in range(1, len(layers)):
        layer = layers[l]
        I, r, c = spec[-1]["shape"]
        if layer["type"] == "c":
            ks = validate.positive_int(layer["kernelsize"], f"layer {l + 1} kernelsize")
            J = validate.positive_int(layer["outputmaps"], f"layer {l + 1} outputmaps")
            if ks > r or ks > c:
                raise ValueError(f"layer {l + 1}: kernelsize {ks} is larger than its input "
                                 f"maps ({r} x {c})")
            K = _kernel_stack(layer["k"], I, J, ks, f"layer {l + 1} k")
            spec.append({"shape": (J, r - ks + 1, c - ks + 1), "kernelsize": ks,
                         "W": kernels.conv_matrix(K),
                         "b": _biases(layer["b"], J, f"layer {l + 1} b")})
        elif layer["type"] == "s":
            s = validate.positive_int(layer["scale"], f"layer {l + 1} scale")
            if r % s or c % s:
                raise ValueError(f"Layer {l + 1} size must be integer. Actual: "
                                 f"{_num2str(np.array([r, c]) / s)}")
            spec.append({"shape": (I, r // s, c // s), "scale": s})
        else:
            raise ValueError(f"layer {l + 1}: an input layer ('i') can only be the first")
    return spec


def _output_layer(net: dict, fvnum: int) -> tuple[np.ndarray, np.ndarray]:
    """ffW (onum, fvnum) and ffb (onum,), checked against the fvnum features."""
    ffW = np.asarray(net["ffW"], dtype=np.float64)
    ffb = np.asarray(net["ffb"], dtype=np.float64).ravel()
    if ffW.ndim != 2 or ffW.shape[1] != fvnum:
        raise ValueError(f"ffW has {ffW.shape[-1]} columns but the last layer gives "
                         f"{fvnum} features")
    return ffW, ffb


def _bp_inputs(net: dict, y) -> tuple[np.ndarray, ...]:
    """o, y, ffW and fv of cnnbp as float64 arrays; y checked against o."""
    o = np.asarray(net["o"], dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if y.shape != o.shape:
        raise ValueError(f"y must be onum x n = {o.shape[0]} x {o.shape[1]} (one column per "
                         f"example), got shape {y.shape}")
    return o, y, np.asarray(net["ffW"], dtype=np.float64), np.asarray(net["fv"], np.float64)


def _bp_spec(layers: list[dict], a: list[np.ndarray]) -> list[dict]:
    """For each layer of cnnbp: for 'c' layers ``kernelsize`` and the next layer's ``scale``,
    for 's' layers the next layer's kernels ``K`` (I, J, k, k); checked (cnnbp.m assumes
    that 'c' and 's' layers alternate)."""
    n = len(layers)
    spec = [{} for _ in layers]
    for l in range(1, n):
        layer, nxt = layers[l], layers[l + 1] if l + 1 < n else None
        if layer["type"] == "c":
            spec[l]["kernelsize"] = validate.positive_int(layer["kernelsize"],
                                                          f"layer {l + 1} kernelsize")
            if nxt is not None:
                if nxt["type"] != "s":
                    raise ValueError(f"cnnbp: layer {l + 1} ('c') must be followed by a "
                                     "subsampling layer ('s'), as DeepLearnToolbox's cnnbp "
                                     "assumes")
                spec[l]["scale"] = validate.positive_int(nxt["scale"], f"layer {l + 2} scale")
        elif layer["type"] == "s" and nxt is not None:
            if nxt["type"] != "c":
                raise ValueError(f"cnnbp: layer {l + 1} ('s') must be followed by a "
                                 "convolution layer ('c'), as DeepLearnToolbox's cnnbp assumes")
            ks = validate.positive_int(nxt["kernelsize"], f"layer {l + 2} kernelsize")
            spec[l]["K"] = _kernel_stack(nxt["k"], a[l].shape[0], a[l + 1].shape[0], ks,
                                         f"layer {l + 2} k")
    return spec
