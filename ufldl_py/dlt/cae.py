"""DeepLearnToolbox's convolutional autoencoders (DeepLearnToolbox/CAE).

``cae`` is a dict with DeepLearnToolbox's field names: the settings ``outputmaps``,
``inputkernel``, ``outputkernel`` (3-element [n kr kc]), ``scale`` ([s0 s1 s2]), ``sigma``,
``momentum``, ``noise``, ``alpha``; the max-pooling index ``M``; the kernels ``ik[i][j]`` and
``ok[i][j]`` (input map i, hidden map j), biases ``b[j]`` and ``c[i]``; and what a pass
leaves: inputs ``i``, hidden maps ``a``, outputs ``o``, ``e``, ``L``, the deltas ``od``,
``ad``, the gradients ``dik``, ``dok``, ``db``, ``dc``, the second-order terms of
:func:`caebbp` and the steps ``vik``, ``vok``, ``vb``, ``vc``, ``sv``. Maps are MATLAB's
(batch, rows, cols) arrays: the batch is the *first* dimension, and an input kernel with
n > 1 convolves along it too (a predictive encoder). Cells are lists: ``x`` of
:func:`scaetrain` is a list of chunks, each a list of input maps, ``x[k][0]`` an
(examples, rows, cols) array (uint8 or float, divided by 255 as the original does).

The fast forms compute every map at once: the hidden maps are one product of the stacked
kernels with the patch matrix of the zero-padded inputs, whose patches the input-kernel
gradients reuse; the output maps a product per kernel tap followed by shifted adds; the
deltas of the hidden maps and the output-kernel gradients share the patch matrix of the
padded output deltas. :func:`caeup_loop`, :func:`caedown_loop`, :func:`caebp_loop` and
:func:`caebbp_loop` are the map-by-map translations (convn, flipall) the tests compare
them with. Every random draw (caetrain's randi and rand, max3d's tie-breaking noise) goes
through :mod:`ufldl_py.matlab.random` in the original's order.

Defects of the originals, reproduced by default, each with a keyword that fixes it:
scaesetup's ``cae = cae{l}`` overwrites the list (``all_layers``), max3d discards its
``reshape`` (``fix_reshape``); caeexamples' saturation of uint8 digits is an exercise
option. caesdlm computes second derivatives that caeapplygrads does not use, as in the
original.
"""

from __future__ import annotations

import functools
import math
import time

import numpy as np

from .. import kernels
from ..matlab import ops
from ..matlab import random as mrandom
from ..matlab import validate
from ..matlab.ops import convn, flipall
from .util import sigm

__all__ = ["scaesetup", "scaetrain", "caetrain", "caeup", "caedown", "caebp", "caebbp",
           "caesdlm", "caeapplygrads", "caenumgradcheck", "max3d", "caeup_loop",
           "caedown_loop", "caebp_loop", "caebbp_loop"]

SETTINGS = ("outputmaps", "inputkernel", "outputkernel", "scale")


# --------------------------------------------------------------------------- helpers


def _as3(a, name: str) -> np.ndarray:
    """A MATLAB array of up to 3 dimensions as a 3-D float64 array (trailing ones added)."""
    a = validate.array(a, name)
    if a.ndim > 3:
        raise ValueError(f"{name} must have at most 3 dimensions, got shape {a.shape}")
    return a.reshape(a.shape + (1,) * (3 - a.ndim)) if a.ndim < 3 else a


def _size3(v, name: str) -> tuple[int, int, int]:
    """A 3-element size vector ([n kr kc] or [s0 s1 s2]) as a tuple of positive ints."""
    vals = v.ravel().tolist() if isinstance(v, np.ndarray) and v.size == 3 \
        else list(v) if isinstance(v, (list, tuple)) and len(v) == 3 else None
    if vals is not None and all(type(s) in (int, float) and math.isfinite(s) and s >= 1
                                and s == int(s) for s in vals):
        return tuple(int(s) for s in vals)  # the common case, without array checks
    a = validate.vector(v, name)
    if a.size != 3:
        raise ValueError(f"{name} must have 3 elements, got {a.size}")
    if not (np.isfinite(a).all() and (a == np.floor(a)).all() and (a >= 1).all()):
        raise ValueError(f"{name} must hold 3 positive integers, got {v!r}")
    return tuple(int(s) for s in a)


def _maps(x, name: str) -> list[np.ndarray]:
    """A cell of maps (a list of arrays) as a list of 3-D arrays of one shape."""
    if isinstance(x, np.ndarray) and x.dtype != object:
        x = [x]
    if not isinstance(x, (list, tuple, np.ndarray)) or len(x) == 0:
        raise ValueError(f"{name} must be a non-empty cell (list) of maps")
    maps = [_as3(a, f"{name}{{{k + 1}}}") for k, a in enumerate(x)]
    if any(a.shape != maps[0].shape for a in maps):
        raise ValueError(f"{name}: inconsistent cell shapes, its maps are "
                         f"{[a.shape for a in maps]}")
    return maps


def _stack(maps, name: str) -> np.ndarray:
    """A list of maps as one (maps, d0, d1, d2) array; no copy for an unchanged kernels.MapViews."""
    if isinstance(maps, kernels.MapViews) and maps.unchanged():
        return maps.stacked
    return np.stack(_maps(maps, name))


def _kernel_stack(k, I: int, J: int, t: tuple[int, int, int], name: str) -> np.ndarray:
    """k{i}{j} as one (I, J, t0, t1, t2) array; no copy for an unchanged kernels.KernelViews."""
    if isinstance(k, kernels.KernelViews) and k.unchanged() and k.stacked.shape == (I, J) + t:
        return k.stacked
    if not isinstance(k, (list, tuple)) or len(k) != I \
            or any(not isinstance(row, (list, tuple)) or len(row) != J for row in k):
        raise ValueError(f"{name} must be a cell of {I} cells of {J} kernels "
                         "(input maps x hidden maps)")
    K = np.empty((I, J) + t)
    for i, row in enumerate(k):
        for j, kij in enumerate(row):
            kij = _as3(kij, f"{name}{{{i + 1}}}{{{j + 1}}}")
            if kij.shape != t:
                raise ValueError(f"{name}{{{i + 1}}}{{{j + 1}}} has size {kij.shape}, the "
                                 f"kernels are {t}")
            K[i, j] = kij
    return K


def _scalars(v, n: int, name: str) -> np.ndarray:
    if not isinstance(v, (list, tuple)) or len(v) != n:
        raise ValueError(f"{name} must be a cell of {n} scalars")
    if all(type(s) is float for s in v):
        return np.array(v)
    return np.array([validate.scalar(s, f"{name}{{{k + 1}}}") for k, s in enumerate(v)])


def _dims(cae: dict) -> tuple[int, tuple, tuple, tuple]:
    J = validate.positive_int(cae["outputmaps"], "cae.outputmaps") if "outputmaps" in cae \
        else len(cae["b"])
    return (J, _size3(cae["inputkernel"], "cae.inputkernel"),
            _size3(cae["outputkernel"], "cae.outputkernel"), _size3(cae["scale"], "cae.scale"))


# --------------------------------------------------------------------------- set-up


def _nbmap_loop(shape: tuple[int, int, int], n: tuple[int, int, int]) -> np.ndarray:
    """scaesetup.m's local nbmap, as written: the 1-based linear indices of X (of size
    ``shape``) in max-pooling blocks, B(u, (p-1)*n2*n3 + (1:n2*n3), :) =
    im2col(squeeze(X(m, :, :)), n(2:3), 'distinct') for the m-th slice, p-th of its group."""
    X = np.arange(1, np.prod(shape) + 1, dtype=np.float64).reshape(shape, order="F")
    q = n[1] * n[2]
    B = np.zeros((shape[0] // n[0], int(np.prod(n)), shape[1] * shape[2] // q))
    u, p = 0, 0
    for m in range(shape[0]):
        B[u, p * q:(p + 1) * q, :] = ops.im2col(X[m], n[1:], "distinct")
        p += 1
        if (m + 1) % n[0] == 0:
            u += 1
            p = 0
    return B


@functools.lru_cache(maxsize=32)
def _nbmap(shape: tuple[int, int, int], n: tuple[int, int, int]) -> np.ndarray:
    """nbmap for sizes that n divides, computed at once (equal to :func:`_nbmap_loop`):
    B[u, p*s1*s2 + kc*s1 + kr, br + NBr*bc] is the index of X[u*s0 + p, br*s1 + kr,
    bc*s2 + kc] (0-based). Read-only: it is cached."""
    d0, d1, d2 = shape
    s0, s1, s2 = n
    U, NBr, NBc = d0 // s0, d1 // s1, d2 // s2
    u, p, kc, kr, bc, br = np.ogrid[:U, :s0, :s2, :s1, :NBc, :NBr]
    idx = (u * s0 + p) + d0 * ((br * s1 + kr) + d1 * (bc * s2 + kc)) + 1
    B = idx.reshape(U, s0 * s2 * s1, NBc * NBr).astype(np.float64)
    B.flags.writeable = False
    return B


def scaesetup(cae, x, opts: dict, all_layers: bool = False) -> list[dict]:
    """Set up a stack of convolutional autoencoders (CAE/scaesetup.m).

    For each hidden map j and input map i, in that order, ``ik{i}{j}`` and ``ok{i}{j}`` are
    drawn with ``rand`` (uniform in +-sqrt(6 / (outputmaps*prod(inputkernel) + numel(x) *
    prod(outputkernel)))), so that after ``rand('state', 0)`` they equal Octave's.

    The original's loop starts with ``cae = cae{l}``, which overwrites the list with its
    first layer: one layer is set up, and a second makes Octave stop with "matrix cannot be
    indexed with {". That is reproduced by default (a list of more than one layer raises
    ValueError); ``all_layers=True`` sets up every layer of the list on the same inputs.

    Parameters
    ----------
    cae : list of dict
        Layers with outputmaps, inputkernel [n kr kc], outputkernel (equal to inputkernel,
        so that the outputs have the inputs' size), scale [s0 s1 s2] (max pooling; [1 1 1]
        for none), sigma, momentum, noise.
    x : list of lists of arrays
        Chunks of input maps: ``x[0]`` (only it is used) is a list of (examples, rows, cols)
        arrays, one per input map.
    opts : dict
        batchsize, alpha.
    all_layers : bool, default False
        Set up every layer instead of the original's first.

    Returns
    -------
    scae : list of dict
        One set-up layer (every layer with ``all_layers``), with M, a, ik, ok, vik, vok, b,
        vb, alpha, i, o, c, vc and edgemask.
    """
    if isinstance(cae, dict) or not isinstance(cae, (list, tuple)) or len(cae) == 0:
        raise ValueError("cae must be a non-empty cell (list) of layer structs (dicts)")
    if len(cae) > 1 and not all_layers:
        raise ValueError("scaesetup: matrix cannot be indexed with { (the original's "
                         "'cae = cae{l}' overwrites the list with its first layer, so a "
                         "second layer cannot be set up; all_layers=True sets up each)")
    if not isinstance(x, (list, tuple)) or len(x) == 0:
        raise ValueError("x must be a non-empty cell (list) of chunks, each a cell of maps")
    inputs = _maps(x[0], "x{1}")
    I = len(inputs)
    rows, cols = inputs[0].shape[1:]
    sizes = []  # the chunks' examples (their shapes checked, their data not copied)
    for k, chunk in enumerate(x):
        if not isinstance(chunk, (list, tuple)) or len(chunk) != I \
                or any(np.ndim(a) != 3 or np.shape(a) != np.shape(chunk[0]) for a in chunk) \
                or np.shape(chunk[0])[1:] != (rows, cols):
            held = [np.shape(a) for a in chunk] if isinstance(chunk, (list, tuple)) \
                else type(chunk).__name__
            raise ValueError(f"x: inconsistent cell shapes, chunk {k + 1} holds {held}, "
                             f"chunk 1 holds {I} maps of (examples, {rows}, {cols})")
        sizes.append(np.shape(chunk[0])[0])
    bs = validate.positive_int(opts["batchsize"], "opts.batchsize")
    alpha = validate.scalar(opts["alpha"], "opts.alpha")
    scae = []
    for l, layer in enumerate(cae, 1):
        if not isinstance(layer, dict) or any(f not in layer for f in SETTINGS):
            raise ValueError(f"cae{{{l}}} must be a struct with fields {', '.join(SETTINGS)}")
        layer = dict(layer)
        J = validate.positive_int(layer["outputmaps"], f"cae{{{l}}}.outputmaps")
        ik = _size3(layer["inputkernel"], f"cae{{{l}}}.inputkernel")
        okk = _size3(layer["outputkernel"], f"cae{{{l}}}.outputkernel")
        if np.size(layer["scale"]) != 3:
            raise ValueError("n should have 3 elements (x,y,z) scaling.")
        scale = _size3(layer["scale"], f"cae{{{l}}}.scale")
        if okk != ik:
            raise ValueError(f"cae{{{l}}}: outputkernel {list(okk)} must equal inputkernel "
                             f"{list(ik)} (the outputs then have the inputs' size, which "
                             "caebp compares them with)")
        if ik[1] > rows or ik[2] > cols or ik[0] > bs:
            raise ValueError(f"cae{{{l}}}: inputkernel {list(ik)} is larger than the input "
                             f"(batchsize x rows x cols = {bs} x {rows} x {cols})")
        for k, examples in enumerate(sizes):
            if examples < bs + ik[0]:
                raise ValueError(f"opts.batchsize = {bs} is larger than the data: chunk "
                                 f"{k + 1} has {examples} examples, caetrain needs "
                                 f"at least batchsize + inputkernel(1) = {bs + ik[0]}")
        ll = (bs + ik[0] - 1, rows + ik[1] - 1, cols + ik[2] - 1)
        if any(d % s for d, s in zip(ll, scale)):
            raise ValueError(f"cae{{{l}}}: scale {list(scale)} must divide the hidden maps' "
                             f"size [batchsize rows cols] + inputkernel - 1 = {list(ll)}")
        layer["M"] = _nbmap(ll, scale).copy()
        bounds = J * np.prod(ik) + I * np.prod(okk)
        r = 2 * np.sqrt(6 / bounds)
        a_size = tuple(int(s) for s in np.array(inputs[0].shape) + np.array(ik) - 1)
        a, b, vb = [], [], []
        IK, OK = np.empty((I, J) + ik), np.empty((I, J) + okk)
        for j in range(J):  # activation maps
            a.append(np.broadcast_to(0.0, a_size))  # zeros, read-only, no memory
            for i in range(I):  # input map
                IK[i, j] = (mrandom.rand(np.array(ik)).reshape(ik) - 0.5) * r
                OK[i, j] = (mrandom.rand(np.array(okk)).reshape(okk) - 0.5) * r
            b.append(0.0)
            vb.append(0.0)
        layer["a"] = a
        layer["ik"] = [list(row) for row in IK]
        layer["ok"] = [list(row) for row in OK]
        layer["vik"] = [[np.zeros(ik) for _ in range(J)] for _ in range(I)]
        layer["vok"] = [[np.zeros(okk) for _ in range(J)] for _ in range(I)]
        layer["b"], layer["vb"] = b, vb
        layer["alpha"] = alpha
        layer["i"] = [np.zeros((0, 0)) for _ in range(I)]
        layer["o"] = [np.zeros((0, 0)) for _ in range(I)]
        layer["c"] = [0.0] * I
        layer["vc"] = [0.0] * I
        ss = okk
        edgemask = np.zeros((bs, rows, cols))
        edgemask[ss[0] - 1:bs - ss[0] + 1, ss[1] - 1:rows - ss[1] + 1,
                 ss[2] - 1:cols - ss[2] + 1] = 1
        layer["edgemask"] = edgemask
        scae.append(layer)
    return scae


# --------------------------------------------------------------------------- training


def scaetrain(scae: list, x, opts: dict, verbose: bool = True) -> list:
    """Train the stack (CAE/scaetrain.m): only its first autoencoder, with :func:`caetrain`
    (the original's TODO: "Only works for a single PAE").

    Parameters
    ----------
    scae : list of dict
        The stack of :func:`scaesetup`.
    x : list of lists of arrays
        Chunks of input maps, as for :func:`caetrain`.
    opts : dict
        As for :func:`caetrain`.
    verbose : bool
        Print the rounds and their times, as the original.

    Returns
    -------
    scae : list of dict
        The stack with its first autoencoder trained.

    Raises
    ------
    ValueError
        When scae is not a non-empty list of autoencoders.
    """
    if not isinstance(scae, (list, tuple)) or len(scae) == 0:
        raise ValueError("scae must be a non-empty cell (list) of autoencoders")
    scae = list(scae)
    scae[0] = caetrain(scae[0], x, opts, verbose)
    return scae


@kernels.deterministic
def caetrain(cae: dict, x, opts: dict, verbose: bool = True) -> dict:
    """Stochastic gradient descent on random batches (CAE/caetrain.m).

    Each round draws a chunk ``i1 = randi(numel(x))`` and a start ``l = randi(size(x{i1}{1},
    1) - batchsize - n + 1)`` (n = inputkernel(1)), takes ``x{i1}{1}(l:l+batchsize-1, :, :)
    / 255`` as the input and, for n > 1, the batch n examples later as the target (else the
    input itself), masks the input with ``rand(size) > noise``, and runs caeup, caedown,
    caebp, caesdlm and caeapplygrads. ``rL`` holds L per round (rL(1) = rL(2) = the first).
    Prints 'm/rounds rounds' and the elapsed time per round, as the original.

    Parameters
    ----------
    cae : dict
        One autoencoder from :func:`scaesetup`.
    x : list of lists of arrays
        Chunks of input maps; only each chunk's first map is used, as in the original.
    opts : dict
        rounds, batchsize, ddinterval, ddhist (and alpha, used by scaesetup).
    verbose : bool
        Print the rounds and their times, as the original.

    Returns
    -------
    cae : dict
        A new dict with the trained parameters and rL, the loss per round.

    Raises
    ------
    ValueError
        When x is not a non-empty cell of chunks of maps, or opts.batchsize does not fit
        the data or the autoencoder's batch size.
    """
    n = _size3(cae["inputkernel"], "cae.inputkernel")[0]
    bs = validate.positive_int(opts["batchsize"], "opts.batchsize")
    rounds = validate.positive_int(opts["rounds"], "opts.rounds")
    noise = validate.scalar(cae["noise"], "cae.noise")
    if not isinstance(x, (list, tuple)) or len(x) == 0:
        raise ValueError("x must be a non-empty cell (list) of chunks, each a cell of maps")
    data = []
    for k, chunk in enumerate(x):
        if not isinstance(chunk, (list, tuple)) or len(chunk) == 0:
            raise ValueError(f"x{{{k + 1}}} must be a non-empty cell (list) of maps")
        d = np.asarray(chunk[0])
        if d.ndim != 3:
            raise ValueError(f"x{{{k + 1}}}{{1}} must be an examples x rows x cols array, "
                             f"got shape {d.shape}")
        if d.shape[0] < bs + n:
            raise ValueError(f"opts.batchsize = {bs} is larger than the data: x{{{k + 1}}}"
                             f"{{1}} has {d.shape[0]} examples, a round needs batchsize + "
                             f"inputkernel(1) = {bs + n}")
        data.append(d)
    set_up_for = _as3(cae["edgemask"], "cae.edgemask").shape[0]
    if set_up_for != bs:
        raise ValueError(f"opts.batchsize = {bs} differs from the batch size the autoencoder "
                         f"was set up for ({set_up_for}, the size of cae.edgemask and cae.M)")
    rL: list[float] = []
    for m in range(1, rounds + 1):
        tic = time.perf_counter()
        if verbose:
            print(f"{m}/{rounds} rounds", flush=True)
        i1 = int(mrandom.randi(len(data))) - 1
        l = int(mrandom.randi(data[i1].shape[0] - bs - n + 1)) - 1
        x1 = data[i1][l:l + bs].astype(np.float64) / 255
        if n == 1:  # Auto Encoder
            x2 = x1
        else:  # Predictive Encoder
            x2 = data[i1][l + n:l + n + bs].astype(np.float64) / 255
        # Add noise to input, for denoising stacked autoencoder
        x1 = x1 * (np.asarray(mrandom.rand(np.array(x1.shape))).reshape(x1.shape) > noise)
        cae = caeup(cae, [x1])
        cae = caedown(cae)
        cae = caebp(cae, [x2])
        cae = caesdlm(cae, opts, m)
        cae = caeapplygrads(cae)
        if m == 1:
            rL.append(cae["L"])
        rL.append(cae["L"])
        if verbose:
            print(f"Elapsed time is {time.perf_counter() - tic:.6f} seconds.", flush=True)
    cae["rL"] = np.array(rL)
    return cae


# --------------------------------------------------------------------------- max pooling


def _offsets(M: np.ndarray, shape: tuple[int, int, int]) -> np.ndarray:
    """MATLAB's 1-based column-major indices M into an array of ``shape`` as 0-based offsets
    into its C-ordered memory."""
    idx = M.astype(np.int64) - 1
    d0, d1, _ = shape
    r0, rest = idx % d0, idx // d0
    r1, r2 = rest % d1, rest // d1
    return (r0 * d1 + r1) * shape[2] + r2


def _check_M(M, shape: tuple[int, int, int]) -> np.ndarray:
    M = validate.array(M, "M")
    if M.ndim != 3:
        M = M.reshape(M.shape + (1,) * (3 - M.ndim)) if M.ndim < 3 else M
    if M.size and (M.min() < 1 or M.max() > np.prod(shape) or (M != np.floor(M)).any()):
        raise ValueError(f"M must hold 1-based indices into the {shape} maps")
    return M


def max3d(X, M, fix_reshape: bool = False) -> np.ndarray:
    """Max pooling that keeps the maxima in place (CAE/max3d.m).

    ``B = X(M); B = B + rand(size(B))*1e-12; B = B .* (B == max(B, [], 2)); X(M) = B``: in
    each row of blocks M(u, :, k) the largest element (ties broken by the random 1e-12,
    which stays added to it) is kept, the others set to 0. The original ends with
    ``reshape(X, ll)`` whose result it discards; since ``X(M) = B`` keeps X's size, the
    discarded reshape changes nothing, and ``fix_reshape=True`` (assigning it) returns the
    same array.

    Parameters
    ----------
    X : (d0, d1, d2) array
    M : (U, P, NB) array of 1-based column-major indices into X (scaesetup's ``cae.M``).
    fix_reshape : bool, default False
        Assign ``X = reshape(X, ll)`` as the original means to.

    Returns
    -------
    X : (d0, d1, d2) array
    """
    X = _as3(X, "X").copy()
    ll = X.shape
    M = _check_M(M, ll)
    off = _offsets(M, ll)
    flat = X.reshape(-1)
    B = flat[off]
    B = B + np.asarray(mrandom.rand(np.array(B.shape))).reshape(B.shape, order="F") * 1e-12
    B = B * (B == B.max(axis=1, keepdims=True))
    flat[off] = B
    if fix_reshape:
        X = X.reshape(ll)
    return X


def _max3d_stacked(A: np.ndarray, M: np.ndarray, scale: tuple[int, int, int]) -> None:
    """max3d on every map of the stack A (J, d0, d1, d2), in place, map j drawing its noise
    after map j-1's (one rand call for all maps: the same stream). With scaesetup's M the
    blocks are reshaped views; any other M is gathered through its indices."""
    J, d0, d1, d2 = A.shape
    shape = (d0, d1, d2)
    s0, s1, s2 = scale
    M = np.asarray(M)
    standard = all(d % s == 0 for d, s in zip(shape, scale)) \
        and M.shape == (d0 // s0, s0 * s1 * s2, d1 * d2 // (s1 * s2)) \
        and np.array_equal(M, _nbmap(shape, scale))
    if not standard:
        M = _check_M(M, shape)
    noise = np.asarray(mrandom.rand(J * M.size, 1)).reshape(-1)
    noise *= 1e-12
    if standard:
        U, NBr, NBc = d0 // s0, d1 // s1, d2 // s2
        # rand(size(B)) fills B(u, (p, kc, kr), (bc, br)) column-major
        A6 = A.reshape(J, U, s0, NBr, s1, NBc, s2)
        A6 += noise.reshape(J, NBc, NBr, s0, s2, s1, U).transpose(0, 6, 3, 2, 5, 1, 4)
        # the block maxima and the masking, one strided pass per element of a block (a
        # reduction over the three block axes at once is 40 times slower)
        views = [A6[:, :, p, :, kr, :, kc] for p in range(s0) for kr in range(s1)
                 for kc in range(s2)]
        mx = views[0].copy()
        for v in views[1:]:
            np.maximum(mx, v, out=mx)
        for v in views:
            v *= v == mx
        return
    off = _offsets(M, shape)
    flat = A.reshape(J, -1)
    B = flat[:, off]
    B += noise.reshape((J,) + M.shape[::-1]).transpose(0, 3, 2, 1)
    B *= B == B.max(axis=2, keepdims=True)
    flat[:, off] = B


# --------------------------------------------------------------------------- up and down


@kernels.deterministic
def caeup(cae: dict, x) -> dict:
    """The hidden maps (CAE/caeup.m): ``a{j} = sigm(sum_i convn(x{i}, ik{i}{j}, 'full') +
    b{j})``, then, unless scale is [1 1 1], ``max3d(a{j}, M)``.

    Parameters
    ----------
    cae : dict
        An autoencoder from :func:`scaesetup`.
    x : list of arrays
        The input maps, each (batch, rows, cols).

    Returns
    -------
    cae : dict
        A new dict with ``i`` (the inputs) and ``a`` (J maps of (batch + n - 1, rows + kr -
        1, cols + kc - 1)).
    """
    cae = dict(cae)
    J, t, _, scale = _dims(cae)
    X = np.stack(_maps(x, "x"))  # (I, batch, rows, cols), owning its memory
    I = X.shape[0]
    ik = cae["ik"]
    if isinstance(ik, (list, tuple)) and not isinstance(ik, kernels.KernelViews) and len(ik) > I:
        ik = list(ik)[:I]  # the original sums over numel(x) input maps only
    elif isinstance(ik, kernels.KernelViews) and len(ik) > I:
        ik = [list(row) for row in ik][:I]
    IK = _kernel_stack(ik, I, J, t, "cae.ik")
    b = _scalars(cae["b"], J, "cae.b")
    inputs = kernels.MapViews(X)
    P = kernels.im2col3(kernels.pad3(X, t), t)
    inputs.keep("full", P)
    W = IK[:, :, ::-1, ::-1, ::-1].transpose(1, 0, 2, 3, 4).reshape(J, -1)  # convolution
    shape = tuple(d + k - 1 for d, k in zip(X.shape[1:], t))
    A = np.empty((J,) + shape)
    Z = np.matmul(W, P, out=A.reshape(J, -1))
    kernels.sigmoid(Z, b[:, None], out=Z)
    if scale != (1, 1, 1):  # Max pool.
        _max3d_stacked(A, cae["M"], scale)
    cae["i"] = inputs
    cae["a"] = kernels.MapViews(A)
    return cae


@kernels.deterministic
def caedown(cae: dict) -> dict:
    """The reconstructions (CAE/caedown.m): ``o{i} = sigm(sum_j convn(a{j}, ok{i}{j},
    'valid') + c{i})``, each (batch, rows, cols).

    Parameters
    ----------
    cae : dict
        One autoencoder (a struct of :func:`scaesetup`'s fields), after :func:`caeup`.

    Returns
    -------
    cae : dict
        A new dict with the reconstructions o.

    Raises
    ------
    ValueError
        When cae.outputkernel is larger than the hidden maps.
    """
    cae = dict(cae)
    J, _, t, _ = _dims(cae)
    A = _stack(cae["a"], "cae.a")
    I = len(cae["c"])
    OK = _kernel_stack(cae["ok"], I, J, t, "cae.ok")
    c = _scalars(cae["c"], I, "cae.c")
    if any(d < k for d, k in zip(A.shape[1:], t)):
        raise ValueError(f"cae.outputkernel {list(t)} is larger than the hidden maps "
                         f"{A.shape[1:]}")
    # convolution = correlation with the kernel flipped in all three dimensions
    O = kernels.corr3_taps(A, OK[:, :, ::-1, ::-1, ::-1])
    kernels.sigmoid(O, c[:, None, None, None], out=O)
    cae["o"] = kernels.MapViews(O)
    return cae


# --------------------------------------------------------------------------- backward


def _targets(y, O: np.ndarray) -> np.ndarray:
    Y = np.stack(_maps(y, "y"))
    if Y.shape != O.shape:
        raise ValueError(f"y must be {O.shape[0]} maps of {O.shape[1:]} (the outputs' size), "
                         f"got {Y.shape[0]} of {Y.shape[1:]}")
    return Y


def _input_patches(cae: dict, t: tuple) -> np.ndarray:
    """The patch matrix of the zero-padded inputs, as caeup made it (or made again)."""
    inputs = cae["i"]
    if isinstance(inputs, kernels.MapViews) and inputs.unchanged() \
            and inputs.kept("full") is not None:
        return inputs.kept("full")
    return kernels.im2col3(kernels.pad3(_stack(inputs, "cae.i"), t), t)


@kernels.deterministic
def caebp(cae: dict, y) -> dict:
    """Back-propagate the squared error (CAE/caebp.m).

    ``e{i} = (o{i} - y{i}) .* edgemask``, ``L = sum_i 1/2 * sum(e{i}(:).^2) / batch``,
    ``od{i} = e{i} .* o{i} .* (1 - o{i})``, ``dc{i} = sum(od{i}(:)) / batch``;
    ``ad{j} = a{j} .* (1 - a{j}) .* sum_i convn(od{i}, flipall(ok{i}{j}), 'full')``,
    ``db{j} = sum(ad{j}(:)) / batch``, ``dok{i}{j} = convn(flipall(a{j}), od{i}, 'valid') /
    batch``, ``dik{i}{j} = convn(ad{j}, flipall(i{i}), 'valid') / batch``.

    Parameters
    ----------
    cae : dict
        An autoencoder after :func:`caeup` and :func:`caedown`.
    y : list of arrays
        The targets, one (batch, rows, cols) map per output.

    Returns
    -------
    cae : dict
        A new dict with the loss L and the gradients dc, db, dok, dik (and the deltas).
    """
    cae = dict(cae)
    J, tin, t, _ = _dims(cae)
    O = _stack(cae["o"], "cae.o")
    Y = _targets(y, O)
    I, ns = O.shape[0], O.shape[1]
    edgemask = _as3(cae["edgemask"], "cae.edgemask")
    if edgemask.shape != O.shape[1:]:
        raise ValueError(f"cae.edgemask has size {edgemask.shape}, the outputs {O.shape[1:]}")
    E = (O - Y) * edgemask
    cae["e"] = kernels.MapViews(E)
    cae["L"] = float(sum(0.5 * np.sum(E[i] ** 2) / ns for i in range(I)))
    OD = E * (O * (1 - O))
    cae["od"] = kernels.MapViews(OD)
    cae["dc"] = [float(v) for v in OD.reshape(I, -1).sum(axis=1) / ns]
    A = _stack(cae["a"], "cae.a")
    OK = _kernel_stack(cae["ok"], I, J, t, "cae.ok")
    Pod = kernels.im2col3(kernels.pad3(OD, t), t)  # (I*T, positions of a)
    Z = (OK.transpose(1, 0, 2, 3, 4).reshape(J, -1) @ Pod).reshape(A.shape)
    AD = A * (1 - A) * Z
    cae["ad"] = kernels.MapViews(AD)
    cae["db"] = [float(v) for v in AD.reshape(J, -1).sum(axis=1) / ns]
    # dok{i}{j}: the patches of od against a{j}; dik{i}{j}: those of the inputs against ad{j}
    dOK = (A.reshape(J, -1) @ Pod.T).reshape((J, I) + t) / ns
    dIK = (AD.reshape(J, -1) @ _input_patches(cae, tin).T).reshape((J, I) + tin)
    dIK = dIK[:, :, ::-1, ::-1, ::-1] / ns
    cae["dok"] = kernels.KernelViews(np.ascontiguousarray(dOK.transpose(1, 0, 2, 3, 4)))
    cae["dik"] = kernels.KernelViews(np.ascontiguousarray(dIK.transpose(1, 0, 2, 3, 4)))
    return cae


@kernels.deterministic
def caebbp(cae: dict) -> dict:
    """The diagonal second derivatives (CAE/caebbp.m), caebp with squares:
    ``odd{i} = (o{i} .* (1 - o{i}) .* edgemask).^2``, ``ddc{i} = sum(odd{i}(:)) / batch``,
    ``add{j} = (a{j} .* (1 - a{j})).^2 .* sum_i convn(odd{i}, flipall(ok{i}{j}.^2), 'full')``,
    ``ddb{j} = sum(add{j}(:)) / batch``, ``ddok{i}{j} = convn(flipall(a{j}.^2), odd{i},
    'valid') / batch``, ``ddik{i}{j} = convn(add{j}, flipall(i{i}.^2), 'valid') / batch``.

    Parameters
    ----------
    cae : dict
        One autoencoder (a struct of :func:`scaesetup`'s fields), after :func:`caeup` and
        :func:`caedown`.

    Returns
    -------
    cae : dict
        A new dict with odd, add and the second derivatives ddc, ddb, ddok, ddik.
    """
    cae = dict(cae)
    J, tin, t, _ = _dims(cae)
    O = _stack(cae["o"], "cae.o")
    I, ns = O.shape[0], O.shape[1]
    edgemask = _as3(cae["edgemask"], "cae.edgemask")
    ODD = (O * (1 - O) * edgemask) ** 2
    cae["odd"] = kernels.MapViews(ODD)
    cae["ddc"] = [float(v) for v in ODD.reshape(I, -1).sum(axis=1) / ns]
    A = _stack(cae["a"], "cae.a")
    OK = _kernel_stack(cae["ok"], I, J, t, "cae.ok")
    Podd = kernels.im2col3(kernels.pad3(ODD, t), t)
    Z = ((OK ** 2).transpose(1, 0, 2, 3, 4).reshape(J, -1) @ Podd).reshape(A.shape)
    ADD = (A * (1 - A)) ** 2 * Z
    cae["add"] = kernels.MapViews(ADD)
    cae["ddb"] = [float(v) for v in ADD.reshape(J, -1).sum(axis=1) / ns]
    ddOK = ((A ** 2).reshape(J, -1) @ Podd.T).reshape((J, I) + t) / ns
    ddIK = (ADD.reshape(J, -1) @ (_input_patches(cae, tin) ** 2).T).reshape((J, I) + tin)
    ddIK = ddIK[:, :, ::-1, ::-1, ::-1] / ns
    cae["ddok"] = kernels.KernelViews(np.ascontiguousarray(ddOK.transpose(1, 0, 2, 3, 4)))
    cae["ddik"] = kernels.KernelViews(np.ascontiguousarray(ddIK.transpose(1, 0, 2, 3, 4)))
    return cae


def caesdlm(cae: dict, opts: dict, m) -> dict:
    """Stochastic diagonal Levenberg-Marquardt (CAE/caesdlm.m): on the first call (no
    ``ddok`` yet) ``cae = caebbp(cae)``; every ``opts.ddinterval`` rounds the second
    derivatives ddc, ddb, ddok, ddik become ``ddhist * old + (1 - ddhist) * new``. As in the
    original, :func:`caeapplygrads` does not use them (its SDLM step is commented out).

    Parameters
    ----------
    cae : dict
        One autoencoder, after :func:`caebp`.
    opts : dict
        ddinterval and ddhist.
    m : int
        The round number.

    Returns
    -------
    cae : dict
        With the (averaged) second derivatives ddc, ddb, ddok, ddik.
    """
    if "ddok" not in cae:
        cae = caebbp(cae)
    interval = validate.scalar(opts["ddinterval"], "opts.ddinterval")
    if np.mod(validate.scalar(m, "m"), interval) == 0:
        h = validate.scalar(opts["ddhist"], "opts.ddhist")
        new = caebbp(cae)
        cae = dict(cae)
        cae["ddc"] = [h * old + (1 - h) * nw for old, nw in zip(cae["ddc"], new["ddc"])]
        cae["ddb"] = [h * old + (1 - h) * nw for old, nw in zip(cae["ddb"], new["ddb"])]
        for f in ("ddok", "ddik"):
            old = np.array([[np.asarray(v) for v in row] for row in cae[f]])
            nw = np.array([[np.asarray(v) for v in row] for row in new[f]])
            cae[f] = kernels.KernelViews(h * old + (1 - h) * nw)
    return cae


def caeapplygrads(cae: dict) -> dict:
    """One gradient step (CAE/caeapplygrads.m): ``vik{i}{j} = alpha * dik{i}{j}``,
    ``vok{i}{j} = alpha * dok{i}{j}``, ``vb{j} = alpha * db{j}``, ``vc{i} = alpha * dc{i}``,
    each subtracted from its parameter; ``sv`` is the sum of the steps' squares. (The
    original's momentum and SDLM steps are commented out.)

    Parameters
    ----------
    cae : dict
        One autoencoder (a struct of :func:`scaesetup`'s fields), after :func:`caebp`.

    Returns
    -------
    cae : dict
        A new dict with the stepped ik, ok, b, c, the steps vik, vok, vb, vc and sv.
    """
    cae = dict(cae)
    J, tin, t, _ = _dims(cae)
    I = len(cae["c"])
    alpha = validate.scalar(cae["alpha"], "cae.alpha")
    vIK = alpha * _kernel_stack(cae["dik"], I, J, tin, "cae.dik")
    vOK = alpha * _kernel_stack(cae["dok"], I, J, t, "cae.dok")
    vb = alpha * _scalars(cae["db"], J, "cae.db")
    vc = alpha * _scalars(cae["dc"], I, "cae.dc")
    cae["sv"] = float(np.sum(vIK ** 2) + np.sum(vOK ** 2) + np.sum(vb ** 2) + np.sum(vc ** 2))
    cae["vik"], cae["vok"] = kernels.KernelViews(vIK), kernels.KernelViews(vOK)
    cae["ik"] = kernels.KernelViews(_kernel_stack(cae["ik"], I, J, tin, "cae.ik") - vIK)
    cae["ok"] = kernels.KernelViews(_kernel_stack(cae["ok"], I, J, t, "cae.ok") - vOK)
    cae["vb"] = [float(v) for v in vb]
    cae["b"] = [float(v) for v in _scalars(cae["b"], J, "cae.b") - vb]
    cae["vc"] = [float(v) for v in vc]
    cae["c"] = [float(v) for v in _scalars(cae["c"], I, "cae.c") - vc]
    return cae


# --------------------------------------------------------------------------- gradient check


def caenumgradcheck(cae: dict, x, y, verbose: bool = True) -> dict:
    """Compare caebp's gradients with central differences (CAE/caenumgradcheck.m).

    With epsilon 1e-4, each output bias c{i}, each bias b{j} and every element of ok{i}{j}
    and ik{i}{j} (column-major) is moved by +-epsilon, caeup, caedown and caebp are run on
    (x, y) (max3d drawing its noise each time, as in the original), and the difference
    quotient is compared with dc, db, dok, dik. Where the difference exceeds 1e-6 the
    original prints a message and, for the biases, stops in ``keyboard``: here that raises
    ValueError naming the parameter and the difference; for the kernels (whose ``keyboard``
    is commented out or absent) the message is printed and the check goes on, as there.

    Parameters
    ----------
    cae : dict
        One autoencoder from :func:`scaesetup`.
    x : list of arrays
        The input maps, as for :func:`caeup`.
    y : list of arrays
        The targets, as for :func:`caebp`.
    verbose : bool
        Print the original's messages.

    Returns
    -------
    cae : dict
        The autoencoder, unchanged (the original returns its input).

    Raises
    ------
    ValueError
        When a bias gradient differs from its estimate by more than 1e-6.
    """
    epsilon, er = 1e-4, 1e-6
    if verbose:
        print("performing numerical gradient checking...")

    def run(c: dict) -> float:
        return caebp(caedown(caeup(c, x)), y)["L"]

    def diff(plus: dict, minus: dict) -> float:
        m_L, p_L = run(minus), run(plus)  # caerun: m_cae first, then p_cae
        return (p_L - m_L) / (2 * epsilon)

    def report(what: str, e: float, ratio: float) -> str:
        msg = f"{what} numerical gradient checking failed"
        if verbose:
            print(msg)
            print(f"{e:g}")
            print(f"{ratio:g}")
        return msg

    I, J = len(cae["c"]), len(cae["b"])
    for i in range(I):
        d = diff({**cae, "c": _replace(cae["c"], i, +epsilon)},
                 {**cae, "c": _replace(cae["c"], i, -epsilon)})
        dc = validate.scalar(cae["dc"][i], "cae.dc")
        e = abs(d - dc)
        if e > er:
            msg = report("OUTPUT BIAS", e, d / dc if dc else np.inf)
            raise ValueError(f"{msg}: output bias c{{{i + 1}}}, |numerical - analytic| = "
                             f"{e:g} (numerical {d:.10g}, analytic {dc:.10g})")
    for a in range(J):
        d = diff({**cae, "b": _replace(cae["b"], a, +epsilon)},
                 {**cae, "b": _replace(cae["b"], a, -epsilon)})
        db = validate.scalar(cae["db"][a], "cae.db")
        e = abs(d - db)
        if e > er:
            msg = report("BIAS", e, d / db if db else np.inf)
            raise ValueError(f"{msg}: bias b{{{a + 1}}}, |numerical - analytic| = {e:g} "
                             f"(numerical {d:.10g}, analytic {db:.10g})")
        for field, grad, what in (("ok", "dok", "OUTPUT KERNEL"), ("ik", "dik", "INPUT KERNEL")):
            for i in range(I):
                kernel = np.asarray(cae[field][i][a], dtype=np.float64)
                g = np.asarray(cae[grad][i][a], dtype=np.float64).ravel(order="F")
                for u in range(kernel.size):
                    d = diff({**cae, field: _replace_kernel(cae[field], i, a, u, +epsilon)},
                             {**cae, field: _replace_kernel(cae[field], i, a, u, -epsilon)})
                    e = abs(d - g[u])
                    if e > er:
                        report(what, e, d / g[u] if g[u] else np.inf)
    if verbose:
        print("done")
    return cae


def _replace(values, k: int, delta: float) -> list:
    out = [validate.scalar(v, "scalar") for v in values]
    out[k] += delta
    return out


def _replace_kernel(k, i: int, j: int, u: int, delta: float) -> list:
    out = [[np.asarray(kij, dtype=np.float64) for kij in row] for row in k]
    kij = out[i][j].copy()
    kij[np.unravel_index(u, kij.shape, order="F")] += delta  # MATLAB's kij(u)
    out[i][j] = kij
    return out


# --------------------------------------------------------------------------- loop forms


def caeup_loop(cae: dict, x) -> dict:
    """caeup as CAE/caeup.m writes it, map by map with convn and max3d: the reference that
    the tests compare :func:`caeup` with.

    Parameters
    ----------
    cae : dict
        An autoencoder from :func:`scaesetup`.
    x : list of arrays
        The input maps, each (batch, rows, cols).

    Returns
    -------
    cae : dict
        A new dict with ``i`` (the inputs) and ``a`` (J maps of (batch + n - 1, rows + kr -
        1, cols + kc - 1)).
    """
    cae = dict(cae)
    cae["i"] = [_as3(a, "x") for a in x]
    pa = []
    for j in range(len(cae["b"])):
        z = 0
        for i in range(len(cae["i"])):
            z = z + convn(cae["i"][i], _as3(cae["ik"][i][j], "ik"), "full")
        pa.append(sigm(z + cae["b"][j]))
        if tuple(np.ravel(cae["scale"])) != (1, 1, 1):  # Max pool.
            pa[j] = max3d(pa[j], cae["M"])
    cae["a"] = pa
    return cae


def caedown_loop(cae: dict) -> dict:
    """caedown as CAE/caedown.m writes it: the reference for :func:`caedown`.

    Parameters
    ----------
    cae : dict
        One autoencoder (a struct of :func:`scaesetup`'s fields), after :func:`caeup`.

    Returns
    -------
    cae : dict
        As :func:`caedown`'s.
    """
    cae = dict(cae)
    o = []
    for i in range(len(cae["c"])):
        z = 0
        for j in range(len(cae["a"])):
            z = z + convn(cae["a"][j], _as3(cae["ok"][i][j], "ok"), "valid")
        o.append(sigm(z + cae["c"][i]))
    cae["o"] = o
    return cae


def caebp_loop(cae: dict, y) -> dict:
    """caebp as CAE/caebp.m writes it: the reference for :func:`caebp`.

    Parameters
    ----------
    cae : dict
        An autoencoder after :func:`caeup` and :func:`caedown`.
    y : list of arrays
        The targets, one (batch, rows, cols) map per output.

    Returns
    -------
    cae : dict
        As :func:`caebp`'s.
    """
    cae = dict(cae)
    y = [_as3(v, "y") for v in y]
    I, J = len(cae["o"]), len(cae["a"])
    cae["L"] = 0.0
    e, od, dc = [], [], []
    for i in range(I):
        e.append((cae["o"][i] - y[i]) * cae["edgemask"])
        cae["L"] = cae["L"] + 1 / 2 * np.sum(e[i].ravel(order="F") ** 2) / e[i].shape[0]
        od.append(e[i] * (cae["o"][i] * (1 - cae["o"][i])))
        dc.append(float(np.sum(od[i])) / e[i].shape[0])
    ad = []
    for j in range(J):
        z = 0
        for i in range(I):
            z = z + convn(od[i], flipall(_as3(cae["ok"][i][j], "ok")), "full")
        ad.append(cae["a"][j] * (1 - cae["a"][j]) * z)
    ns = e[0].shape[0]
    db = [float(np.sum(ad[j])) / ns for j in range(J)]
    dok = [[convn(flipall(cae["a"][j]), od[i], "valid") / ns for j in range(J)]
           for i in range(I)]
    dik = [[convn(ad[j], flipall(cae["i"][i]), "valid") / ns for j in range(J)]
           for i in range(I)]
    cae.update(e=e, od=od, dc=dc, ad=ad, db=db, dok=dok, dik=dik)
    return cae


def caebbp_loop(cae: dict) -> dict:
    """caebbp as CAE/caebbp.m writes it: the reference for :func:`caebbp`.

    Parameters
    ----------
    cae : dict
        One autoencoder (a struct of :func:`scaesetup`'s fields), after :func:`caeup` and
        :func:`caedown`.

    Returns
    -------
    cae : dict
        As :func:`caebbp`'s.
    """
    cae = dict(cae)
    I, J = len(cae["o"]), len(cae["a"])
    odd = [(o * (1 - o) * cae["edgemask"]) ** 2 for o in cae["o"]]
    ddc = [float(np.sum(v)) / v.shape[0] for v in odd]
    add = []
    for j in range(J):
        z = 0
        for i in range(I):
            z = z + convn(odd[i], flipall(_as3(cae["ok"][i][j], "ok") ** 2), "full")
        add.append((cae["a"][j] * (1 - cae["a"][j])) ** 2 * z)
    ns = odd[0].shape[0]
    ddb = [float(np.sum(add[j])) / ns for j in range(J)]
    ddok = [[convn(flipall(cae["a"][j] ** 2), odd[i], "valid") / ns for j in range(J)]
            for i in range(I)]
    ddik = [[convn(add[j], flipall(_as3(cae["i"][i], "i") ** 2), "valid") / ns
             for j in range(J)] for i in range(I)]
    cae.update(odd=odd, ddc=ddc, add=add, ddb=ddb, ddok=ddok, ddik=ddik)
    return cae
