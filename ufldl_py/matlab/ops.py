"""MATLAB's array primitives with MATLAB's semantics.

Convolutions are true convolutions (the kernel flipped), with MATLAB's 'full', 'same' and
'valid' shapes ('same' centred as MATLAB centres it, also for even kernel sizes); flips and
rotations take MATLAB's 1-based dimensions; reshapes and unrolling are column-major.
"""

from __future__ import annotations

import functools
import math

import numpy as np

__all__ = [
    "conv2", "convn", "rot90", "flip", "flipdim", "fliplr", "flipud", "flipall", "rot180",
    "kron", "expand", "repmat", "onehot", "unroll", "reshape", "svd", "im2col", "fspecial",
    "normcdf", "cov", "histc", "chol",
]

SHAPES = ("full", "same", "valid")


def _as_float(A, name: str) -> np.ndarray:
    A = np.asarray(A)
    if A.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be a real numeric array, got dtype {A.dtype}")
    return A.astype(np.float64, copy=False)


def _matlab_dims(A: np.ndarray) -> np.ndarray:
    """A 0-D or 1-D array as MATLAB sees it: a 1 x 1 scalar or an n x 1 column."""
    if A.ndim == 0:
        return A.reshape(1, 1)
    if A.ndim == 1:
        return A.reshape(-1, 1)
    return A


def _drop_trailing_ones(shape: tuple[int, ...]) -> tuple[int, ...]:
    shape = list(shape)
    while len(shape) > 2 and shape[-1] == 1:
        shape.pop()
    return tuple(shape)


_STACKED_MAX = 1 << 20  # elements of the products' array of the one-pass form (8 MB)


def _dot_form(n_out: int, k: int) -> bool:
    """Whether :func:`_correlate_valid` takes one dot product per output position."""
    return n_out * k <= 1 << 22 and n_out < k


def _correlate_valid(A: np.ndarray, K: np.ndarray, dot: bool = True) -> np.ndarray:
    """out[i] = sum_p A[i + p] * K[p] over the positions where K fits inside A.

    Few outputs and a large kernel: one dot product per output position (BLAS). Otherwise
    the sum over the kernel's elements p, in C order, of the shifted, scaled copies
    K[p] * A[p:p + size(out)], added one after another from 0: for small inputs all the
    products at once and one sequential reduction over p (numpy adds along a C-contiguous
    array's first axis row by row, in order), else one array operation per p; the two
    give the same bits (the reduction starts from 0, as the loop does), and the one-pass form
    saves a call per kernel element. ``dot=False``
    keeps to the sums (for a part of a larger result that takes them).
    """
    out_shape = tuple([a - k + 1 for a, k in zip(A.shape, K.shape)])
    if min(out_shape, default=1) <= 0 or K.size == 0:
        return np.zeros([max(o, 0) for o in out_shape])
    n_out = math.prod(out_shape)
    A = np.ascontiguousarray(A)  # its buffer viewed with the windows' strides (a view)
    if dot and _dot_form(n_out, K.size):
        # few outputs, large kernel: one dot product per output position (tensordot's
        # reshapes and its dot, without its overhead)
        windows = np.ndarray(out_shape + K.shape, np.float64, A, 0, A.strides + A.strides)
        return np.dot(windows.reshape(n_out, K.size), K.reshape(K.size, 1)).reshape(out_shape)
    if n_out * K.size <= _STACKED_MAX:
        # shifted[p] = A[p:p + size(out)], p over the kernel's positions
        shifted = np.ndarray(K.shape + out_shape, np.float64, A, 0, A.strides + A.strides)
        products = np.multiply(shifted, K.reshape(K.shape + (1,) * K.ndim), order="C")
        return np.add.reduce(products.reshape(K.size, n_out), axis=0,
                             initial=0.0).reshape(out_shape)
    out = np.zeros(out_shape)
    for idx in np.ndindex(K.shape):  # one shifted, scaled copy of A per kernel element
        out += K[idx] * A[tuple(slice(i, i + o) for i, o in zip(idx, out_shape))]
    return out


_GATHER_MAX = 1 << 14  # products of the gathered form (kernel elements x outputs)
_ZERO = np.zeros(1)
_FLOAT64 = np.dtype(np.float64)  # native float64 arrays share it (an equal copy: convn, same bits)


@functools.lru_cache(maxsize=64)  # at most 128 KB an index: 8 MB in all
def _gather_index(a_shape: tuple[int, ...], b_shape: tuple[int, ...], shape: str):
    """Where :func:`_convolve` takes the gathered form: (index, padded, kernel), else None.

    ``index[p][i]`` (shape (k,) + the output's) is the flat (C order) position in A of the
    element that the flipped kernel's p-th element (C order) multiplies for output element
    i, or A.size for a zero of the padding (``padded``: one is used); the products
    ``A[index] * Bf[p]`` summed over p are the sums :func:`_correlate_valid` takes of the
    padded A, element for element. ``B.ravel()[kernel]`` is the flipped kernel as (k, 1,
    ..., 1). None for the dot products' form ('valid' only, as :func:`_correlate_valid`
    decides), empty inputs or outputs, or more than ``_GATHER_MAX`` products.
    """
    outs = tuple([a + b - 1 if shape == "full" else a if shape == "same" else a - b + 1
                  for a, b in zip(a_shape, b_shape)])
    k, n_out = math.prod(b_shape), math.prod(outs)
    if (min(outs) <= 0 or k == 0 or 0 in a_shape or n_out * k > _GATHER_MAX
            or shape == "valid" and _dot_form(n_out, k)):
        return None
    nd = len(a_shape)
    index, inside, stride = np.zeros((), np.intp), np.ones((), bool), 1
    for d in reversed(range(nd)):
        a, b, o = a_shape[d], b_shape[d], outs[d]
        # the output's first element meets A's element first - (b - 1) under the kernel's
        # first (flipped) element: 'full' pads b - 1 zeros, 'same' starts floor(b/2) later
        first = {"full": 0, "same": b // 2, "valid": b - 1}[shape] - (b - 1)
        axes = [1] * (2 * nd)
        axes[d], axes[nd + d] = b, o
        pos = (np.arange(b)[:, None] + np.arange(first, first + o)).reshape(axes)
        index = index + pos * stride
        inside = inside & (pos >= 0) & (pos < a)
        stride *= a
    index = np.where(inside, index, stride).reshape((k,) + outs)
    index.flags.writeable = False
    return index, not inside.all(), (slice(None, None, -1),) + (None,) * nd


def convn(A, B, shape: str = "full") -> np.ndarray:
    """N-D convolution, MATLAB's ``convn(A, B, shape)``.

    Parameters
    ----------
    A, B : ndarray
        Real arrays of any number of dimensions (missing trailing dimensions are 1).
    shape : str
        'full' (size(A) + size(B) - 1), 'same' (size(A), the central part, starting at
        floor(size(B)/2) of the full result) or 'valid' (max(size(A) - size(B) + 1, 0)).

    Returns
    -------
    C : ndarray
        float64; trailing singleton dimensions beyond the second are dropped, as in
        MATLAB. Vectorised: the shifted, scaled copies of A summed over the kernel's
        elements (or one dot product per output element when there are fewer outputs than
        kernel elements), so a batch ``convn(images(r, c, n), kernel(kr, kc), 'valid')``
        makes no loop per image; up to 16,384 products (kernel elements x outputs), A's
        elements gathered by an index cached per pair of sizes, with the same sums.

    Raises
    ------
    ValueError
        When ``shape`` is not one of them, or A or B is not real numbers.
    """
    if shape not in SHAPES:
        raise ValueError(f"convn: SHAPE type not valid: {shape!r} (one of 'full', 'same', "
                         "'valid')")
    A = _matlab_dims(_as_float(A, "A"))
    B = _matlab_dims(_as_float(B, "B"))
    nd = max(A.ndim, B.ndim)
    A = A.reshape(A.shape + (1,) * (nd - A.ndim))
    B = B.reshape(B.shape + (1,) * (nd - B.ndim))
    out = _convolve(A, B, shape)
    return out.reshape(_drop_trailing_ones(out.shape))


def _convolve(A: np.ndarray, B: np.ndarray, shape: str) -> np.ndarray:
    """convn's work on float64 arrays of the same number of dimensions."""
    gather = _gather_index(A.shape, B.shape, shape)
    if gather is None:
        return _convolve_shifted(A, B, shape)
    # few products: A's elements (and the padding's zeros) gathered into the products' array
    # of _correlate_valid's one-pass form by a cached index (np.take is slower), scaled, and
    # summed over the kernel's elements as there (the array (k,) + the output's shape)
    index, padded, kernel = gather
    flat = A.ravel()
    products = (np.concatenate((flat, _ZERO)) if padded else flat)[index]
    np.multiply(products, B.ravel()[kernel], products)
    return np.add.reduce(products, 0, None, None, False, 0.0)


def _convolve_shifted(A: np.ndarray, B: np.ndarray, shape: str) -> np.ndarray:
    """:func:`_convolve` by :func:`_correlate_valid` of the zero-padded A."""
    Bf = B[(slice(None, None, -1),) * B.ndim]  # convolution = correlation with the flipped kernel
    if shape == "valid":
        return _correlate_valid(A, Bf)
    if 0 in A.shape or 0 in B.shape:
        if shape == "same":  # MATLAB returns zeros(size(A))
            return np.zeros(A.shape)
        return np.zeros(tuple(max(a + b - 1, 0) for a, b in zip(A.shape, B.shape)))
    pairs = list(zip(A.shape, B.shape))
    if shape == "same":
        # the full result's central part, from floor(size(B)/2): each of its elements is
        # summed as in the full result (never by dot products: the full result has as many
        # elements as B at least), from the part of the zero-padded A it covers
        part = np.zeros([a + b - 1 for a, b in pairs])
        part[tuple([slice(b - 1 - b // 2, b - 1 - b // 2 + a) for a, b in pairs])] = A
        return _correlate_valid(part, Bf, dot=False)
    padded = np.zeros([a + 2 * (b - 1) for a, b in pairs])
    padded[tuple([slice(b - 1, b - 1 + a) for a, b in pairs])] = A
    return _correlate_valid(padded, Bf)


def conv2(A, B, shape: str = "full") -> np.ndarray:
    """2-D convolution, MATLAB's ``conv2(A, B, shape)`` (A and B matrices).

    See :func:`convn` for the shapes: ``conv2(ones(2), ones(3), 'valid')`` is 0 x 0 and
    ``conv2(A, B, 'same')`` for an even-sized B starts at floor(size(B)/2) as in MATLAB.
    Two float64 matrices skip convn's conversions, with convn's bits: a call costs at most
    1.4 times scipy.signal.convolve2d's on 8 x 8 images and 3 x 3 or 5 x 5 kernels (about
    6 us against 4.4 for 'same' with 3 x 3), less than it on 28 x 28 ones
    (benchmarks/bench_ops.py).

    Parameters
    ----------
    A, B : array_like
        Real matrices (a 1-D array is a column).
    shape : str
        'full', 'same' or 'valid'.

    Returns
    -------
    C : ndarray
        float64.

    Raises
    ------
    ValueError
        When A or B has more than two dimensions, or as :func:`convn`.
    """
    if (type(A) is np.ndarray is type(B) and A.dtype is _FLOAT64 is B.dtype
            and A.ndim == 2 == B.ndim and shape in SHAPES):
        return _convolve(A, B, shape)  # convn's work without its conversions
    A, B = np.asarray(A), np.asarray(B)
    if A.ndim > 2 or B.ndim > 2:
        raise ValueError("conv2: A and B must be 1-D or 2-D matrices")
    return convn(A, B, shape)


def rot90(A, k: int = 1) -> np.ndarray:
    """Rotate the first two dimensions by k*90 degrees counterclockwise, MATLAB's ``rot90``.

    Parameters
    ----------
    A : array_like
        A numeric array.
    k : int
        The number of quarter turns.

    Returns
    -------
    ndarray
        The rotated array.
    """
    A = _matlab_dims(np.asarray(A))
    return np.rot90(A, int(k), axes=(0, 1)).copy()


def flip(A, dim: int | None = None) -> np.ndarray:
    """Reverse A along the 1-based dimension ``dim``, MATLAB's ``flip(A, dim)``.

    Without ``dim``, the first dimension whose size is not 1. A dimension beyond ndims(A)
    leaves A as it is.

    Parameters
    ----------
    A : array_like
        A numeric array.
    dim : int, optional
        The 1-based dimension.

    Returns
    -------
    ndarray
        A reversed along dim.
    """
    A = _matlab_dims(np.asarray(A))
    if dim is None:
        dim = next((i + 1 for i, s in enumerate(A.shape) if s != 1), 1)
    dim = int(dim)
    if dim < 1:
        raise ValueError(f"flip: DIM must be a positive integer, got {dim}")
    if dim > A.ndim:
        return A.copy()
    return np.flip(A, axis=dim - 1).copy()


def flipdim(A, dim: int = 1) -> np.ndarray:
    """MATLAB's (deprecated) ``flipdim(A, dim)``: :func:`flip` along 1-based ``dim``.

    Parameters
    ----------
    A : array_like
        A numeric array.
    dim : int
        The 1-based dimension.

    Returns
    -------
    ndarray
        A reversed along dim.
    """
    return flip(A, dim)


def fliplr(A) -> np.ndarray:
    """MATLAB's ``fliplr``: reverse the columns.

    Parameters
    ----------
    A : array_like
        A numeric array.

    Returns
    -------
    ndarray
        A with its columns reversed.
    """
    return flip(A, 2)


def flipud(A) -> np.ndarray:
    """MATLAB's ``flipud``: reverse the rows.

    Parameters
    ----------
    A : array_like
        A numeric array.

    Returns
    -------
    ndarray
        A with its rows reversed.
    """
    return flip(A, 1)


def flipall(X) -> np.ndarray:
    """Reverse X along every dimension (DeepLearnToolbox util/flipall.m).

    Parameters
    ----------
    X : array_like
        Any array.

    Returns
    -------
    ndarray
        X reversed along every dimension.
    """
    X = _matlab_dims(np.asarray(X))
    return X[(slice(None, None, -1),) * X.ndim].copy()


def rot180(X) -> np.ndarray:
    """Reverse the first two dimensions (DeepLearnToolbox CNN/cnnbp.m's local rot180).

    Parameters
    ----------
    X : array_like
        An array of 2 or more dimensions.

    Returns
    -------
    ndarray
        X rotated by 180 degrees in its first two dimensions.
    """
    X = _matlab_dims(np.asarray(X))
    return X[::-1, ::-1].copy()


def kron(A, B) -> np.ndarray:
    """Kronecker product of two matrices, MATLAB's ``kron(A, B)``.

    Parameters
    ----------
    A, B : array_like
        Matrices.

    Returns
    -------
    ndarray
        The Kronecker product.
    """
    A, B = _matlab_dims(np.asarray(A)), _matlab_dims(np.asarray(B))
    if A.ndim > 2 or B.ndim > 2:
        raise ValueError("kron: A and B must be 2-D matrices")
    return np.kron(A, B)


def expand(A, S) -> np.ndarray:
    """Replicate each element of A into an S(1) x S(2) x ... block (DeepLearnToolbox
    util/expand.m): ``size(B) = size(A) .* S``, blocks in the order of A's elements.

    Parameters
    ----------
    A : array_like
        A numeric array.
    S : array_like
        The block size along each dimension.

    Returns
    -------
    B : ndarray
        ``size(B) = size(A) .* S``.
    """
    A = _matlab_dims(np.asarray(A))
    S = np.asarray(S).ravel()
    if S.size == 0 and A.ndim == 0:
        raise ValueError("Size vector must be provided.  See help.")
    if S.size != A.ndim:
        raise ValueError("Length of size vector must equal ndims(A).  See help.")
    if (S != np.floor(S)).any():
        raise ValueError("The size vector must contain integers only.  See help.")
    out = A
    for axis, s in enumerate(S.astype(int)):
        out = np.repeat(out, max(s, 0), axis=axis)
    return out


def repmat(A, *reps) -> np.ndarray:
    """Tile A, MATLAB's ``repmat(A, n)`` (n x n), ``repmat(A, m, n, ...)``, ``repmat(A, [m n])``.

    Parameters
    ----------
    A : array_like
        The array tiled (a 1-D array is a column).
    *reps : int or sequence of int
        The counts per dimension (negative counts are 0, as in MATLAB).

    Returns
    -------
    ndarray
        Trailing singleton dimensions beyond the second dropped.

    Raises
    ------
    ValueError
        When no count is given.
    """
    A = _matlab_dims(np.asarray(A))
    if len(reps) == 2 and A.ndim == 2 and type(reps[0]) is int is type(reps[1]):
        return np.tile(A, (max(reps[0], 0), max(reps[1], 0)))  # repmat(A, m, n) of a matrix
    if not reps:
        raise ValueError("repmat: at least one replication count is required")
    if len(reps) == 1:
        r = np.asarray(reps[0]).ravel()
        counts = [int(r[0])] * 2 if r.size == 1 else [int(v) for v in r]
    else:
        counts = [int(np.asarray(v).item()) for v in reps]
    counts = [max(c, 0) for c in counts]
    nd = max(A.ndim, len(counts))
    A = A.reshape(A.shape + (1,) * (nd - A.ndim))
    counts = counts + [1] * (nd - len(counts))
    out = np.tile(A, counts)
    return out.reshape(_drop_trailing_ones(out.shape))


def onehot(labels, numClasses: int | None = None) -> np.ndarray:
    """``full(sparse(labels, 1:m, 1))``: the numClasses x m indicator of 1-based labels.

    ``numClasses`` defaults to max(labels), as sparse sizes the matrix;
    ``onehot(labels, K)`` is ``full(sparse(labels, 1:m, 1, K, m))``.

    Parameters
    ----------
    labels : array_like
        m labels, 1-based.
    numClasses : int, optional
        The number of rows (default max(labels)).

    Returns
    -------
    ndarray (numClasses, m)
        1.0 at (labels(i), i), else 0.0.
    """
    y = np.asarray(labels, dtype=np.float64).ravel(order="F")
    if y.size and (not np.isfinite(y).all() or (y != np.floor(y)).any() or y.min() < 1):
        raise ValueError("onehot: labels must be positive integers (1-based)")
    K = int(y.max()) if numClasses is None and y.size else int(numClasses or 0)
    if y.size and y.max() > K:
        raise ValueError(f"onehot: label {int(y.max())} exceeds numClasses = {K}")
    out = np.zeros((K, y.size))
    out[y.astype(np.intp) - 1, np.arange(y.size)] = 1.0
    return out


def unroll(A) -> np.ndarray:
    """``A(:)``: the elements of A in column-major order, as a 1-D array.

    Parameters
    ----------
    A : array_like
        A numeric array.

    Returns
    -------
    ndarray
        ``A(:)`` as a 1-D array.
    """
    return np.asarray(A).ravel(order="F")


def reshape(v, *dims) -> np.ndarray:
    """MATLAB's column-major ``reshape(v, m, n, ...)`` or ``reshape(v, [m n ...])``.

    One dimension may be ``None`` (MATLAB's ``[]``): it is computed from the others.

    Parameters
    ----------
    v : array_like
        Any array.
    *dims : int or None or array_like
        The new size, as MATLAB's arguments.

    Returns
    -------
    ndarray
        v's elements in column-major order, in the new shape.
    """
    v = np.asarray(v)
    if len(dims) == 1 and not (dims[0] is None or np.isscalar(dims[0])):
        dims = tuple(dims[0])
    if sum(d is None for d in dims) > 1:
        raise ValueError("reshape: can only specify one unknown dimension")
    known = math.prod(int(d) for d in dims if d is not None)
    if None in dims:
        if known == 0 or v.size % known:
            raise ValueError(f"reshape: SIZE is not divisible by the product of known "
                             f"dimensions (= {known})")
        dims = tuple(v.size // known if d is None else int(d) for d in dims)
    dims = tuple(int(d) for d in dims)
    if math.prod(dims) != v.size:
        raise ValueError(f"reshape: can't reshape {'x'.join(map(str, v.shape))} array to "
                         f"{'x'.join(map(str, dims))} array")
    return v.reshape(dims, order="F")


def svd(A):
    """``[U, S, V] = svd(A)``: the full singular value decomposition, as Octave computes it
    (the singular vectors' signs are LAPACK's, see below).

    Octave's default driver is LAPACK's dgesvd (``svd_driver('gesvd')``), whose singular
    vectors' signs differ from those of dgesdd (numpy's and scipy's default); this calls
    dgesvd, so U and V come out with Octave's signs where both link the same LAPACK build
    (the newest scipy wheels and Debian's Octave 7 agree; scipy 1.10's bundled OpenBLAS
    gives other signs, so the tests compare singular vectors up to sign).

    Parameters
    ----------
    A : ndarray (m, n)

    Returns
    -------
    U : ndarray (m, m)
    S : ndarray (m, n)
        The singular values on the diagonal, largest first.
    V : ndarray (n, n)
    """
    import scipy.linalg

    A = _as_float(A, "A")
    if A.ndim != 2:
        raise ValueError(f"svd: A must be a 2-D matrix, got shape {A.shape}")
    if not np.isfinite(A).all():
        raise ValueError("svd: cannot take SVD of matrix containing Inf or NaN values")
    U, s, Vt = scipy.linalg.svd(A, lapack_driver="gesvd")
    S = np.zeros(A.shape)
    S[np.arange(s.size), np.arange(s.size)] = s
    return U, S, Vt.T


# --------------------------------------------------------------------------- DLT util's builtins
#
# The builtins that DeepLearnToolbox's util and CAE functions call: im2col and fspecial as
# Octave's image package defines them, the statistics package's normcdf, cov, histc's bin
# index and chol.

_BLOCK_TYPES = ("sliding", "distinct")


def _first_block_index(A_size: np.ndarray, block_size: np.ndarray):
    """get_1st_ind of the image package's im2col.m: the 1-based linear indices of the first
    block (column-major), and the strides of A's dimensions."""
    stride = np.concatenate([[1], np.cumprod(A_size[:-1])]).astype(np.int64)
    ind = np.array([1], dtype=np.int64)
    for d in range(A_size.size):
        ind = (ind[:, None] + np.arange(0, (block_size[d] - 1) * stride[d] + 1, stride[d])[None]
               ).ravel(order="F")
    return ind, stride


def im2col(A, block_size, block_type: str = "sliding") -> np.ndarray:
    """Blocks of A as columns, as the Octave image package's ``im2col(A, [m n], type)``.

    Parameters
    ----------
    A : array_like
        An N-D numeric array (MATLAB shape; a 1-D array is a column).
    block_size : sequence of int
        The block's size, ``[m n]`` or more dimensions; missing trailing dimensions are 1.
    block_type : {'sliding', 'distinct'}
        'sliding': every block position (column-major order over positions); 'distinct':
        the non-overlapping tiling, A first padded at the end with zeros to a multiple of
        the block size.

    Returns
    -------
    B : (prod(block_size), number of blocks) array
        Each column one block unrolled column-major, columns in column-major block order.
    """
    A = _matlab_dims(np.asarray(A))
    if A.dtype.kind not in "biuf":
        raise ValueError("im2col: A must be a numeric of logical matrix")
    bs = np.asarray(block_size, dtype=np.float64).ravel()
    if bs.size == 0 or (bs < 1).any() or (bs != np.floor(bs)).any():
        raise ValueError("im2col: BLOCK_SIZE must be a vector of positive elements.")
    bs = bs.astype(np.int64)
    kind = str(block_type).lower()
    if kind not in _BLOCK_TYPES:
        raise ValueError(f"im2col: invalid BLOCK_TYPE `{block_type}'.")
    if kind == "sliding" and bs.size > A.ndim:
        raise ValueError("im2col: BLOCK_SIZE can't have more elements than the dimensions of A")
    nd = max(A.ndim, bs.size)
    bs = np.concatenate([bs, np.ones(nd - bs.size, dtype=np.int64)])
    A = A.reshape(A.shape + (1,) * (nd - A.ndim))
    if kind == "distinct":
        pad = (-np.array(A.shape)) % bs
        if pad.any():
            A = np.pad(A, [(0, int(p)) for p in pad])
        A_size = np.array(A.shape, dtype=np.int64)
        ind, stride = _first_block_index(A_size, bs)
        blocks = A_size // bs
        step = stride * bs
        for d in range(nd):
            ind = (ind[:, None] + np.arange(0, step[d] * (blocks[d] - 1) + 1, step[d])[None]
                   ).ravel(order="F")
        n_blocks = int(np.prod(blocks))
    else:
        A_size = np.array(A.shape, dtype=np.int64)
        if (A_size < bs).any():  # Octave stops in reshape ("SIZE must be non-negative")
            raise ValueError(f"im2col: BLOCK_SIZE {list(bs)} is larger than A "
                             f"({'x'.join(map(str, A.shape))}) for sliding blocks")
        ind, stride = _first_block_index(A_size, bs)
        slides = A_size - bs
        for d in range(nd):
            ind = (ind[:, None] + np.arange(0, stride[d] * slides[d] + 1, stride[d])[None]
                   ).ravel(order="F")
        n_blocks = int(np.prod(slides + 1))
    return A.ravel(order="F")[ind - 1].reshape(int(np.prod(bs)), n_blocks, order="F")


def _grid(lengths: np.ndarray):
    """The 2-D coordinates -l..l (rows, columns), as fspecial's ``colon(-l, l)``."""
    rows = np.arange(-lengths[0], lengths[0] + 0.5)
    cols = np.arange(-lengths[1], lengths[1] + 0.5)
    return rows[:, None], cols[None, :]


def fspecial(kind: str, *args) -> np.ndarray:
    """Octave image package's ``fspecial('gaussian', hsize, sigma)`` and
    ``fspecial('log', hsize, sigma)`` (hsize a scalar or [rows cols]; defaults 3 / 5 and 0.5).

    'gaussian': ``exp(-(x.^2 + y.^2) / (2*sigma^2))`` normalised to sum 1.
    'log': Octave's Laplacian of Gaussian, ``(x.^2 + y.^2 - 2*sigma^2) .* gauss /
    (2*pi*sigma^6*sum(gauss(:)))`` (MATLAB's version instead shifts its kernel to sum 0:
    the two differ; this is Octave's, which DeepLearnToolbox's makeLMfilters gets in Octave).

    Parameters
    ----------
    kind : str
        'gaussian' or 'log'.
    *args
        hsize (a scalar or [rows cols]) and sigma, as Octave's.

    Returns
    -------
    ndarray
        The filter, hsize in shape.
    """
    kind = str(kind).lower()
    if kind not in ("gaussian", "log"):
        raise ValueError(f"fspecial: filter type {kind!r} is not ported (gaussian, log)")
    if len(args) > 2:
        raise ValueError("fspecial: too many arguments")
    hsize = np.asarray(args[0] if args else (3 if kind == "gaussian" else 5),
                       dtype=np.float64).ravel()
    sigma = float(np.asarray(args[1]).item()) if len(args) > 1 else 0.5
    if hsize.size == 1:
        hsize = np.repeat(hsize, 2)
    if hsize.size != 2 or (hsize <= 0).any() or (hsize != np.floor(hsize)).any():
        raise ValueError("fspecial: HSIZE must be a positive integer or a vector of two")
    if not sigma > 0:
        raise ValueError("fspecial: SIGMA must be positive")
    if kind == "gaussian":
        y, x = _grid((hsize - 1) / 2)
        f = np.exp(-(y ** 2 + x ** 2) / (2 * sigma ** 2))
        return f / f.sum()
    h1, h2 = hsize - 1
    x = np.arange(h2 + 1)[None, :] - h2 / 2
    y = np.arange(h1 + 1)[:, None] - h1 / 2
    gauss = np.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2))
    return ((x ** 2 + y ** 2 - 2 * sigma ** 2) * gauss) / (2 * np.pi * sigma ** 6 * gauss.sum())


def normcdf(x, mu=0.0, sigma=1.0) -> np.ndarray:
    """The normal cumulative distribution, ``0.5 * erfc(-((x - mu) ./ sigma) / sqrt(2))``
    (MATLAB's and the Octave statistics package's normcdf).

    Parameters
    ----------
    x : array_like
        The values.
    mu, sigma : float or array_like
        The mean and the standard deviation.

    Returns
    -------
    ndarray
        The probabilities, of x's shape.
    """
    from scipy.special import erfc

    z = (_as_float(x, "x") - mu) / sigma
    return 0.5 * erfc(-z / np.sqrt(2))


def cov(x) -> np.ndarray | float:
    """Octave's ``cov(x)``: rows are observations, columns variables; ``xc' * xc / (n - 1)``
    with xc = x minus its column means. A row vector is one variable; a scalar gives 0.

    Parameters
    ----------
    x : array_like
        Observations in rows, variables in columns (a row vector: one variable).

    Returns
    -------
    ndarray or float
        The covariance matrix (a float for one variable).
    """
    x = _matlab_dims(_as_float(x, "x"))
    if x.ndim != 2:
        raise ValueError("cov: X and Y must be 2-D matrices or vectors")
    if x.size == 1:
        return 0.0
    if x.shape[0] == 1:
        x = x.T
    xc = x - x.mean(axis=0)
    c = xc.T @ xc / (x.shape[0] - 1)
    return float(c[0, 0]) if c.size == 1 else c


def histc(x, edges) -> tuple[np.ndarray, np.ndarray]:
    """``[n, idx] = histc(x, edges)`` for a vector of sorted edges: idx is the 1-based bin
    of each element (edges(k) <= x < edges(k+1); x == edges(end) in bin numel(edges); 0
    outside), n the count per bin (along x's first non-singleton dimension for a vector x,
    of all elements otherwise).

    Parameters
    ----------
    x : array_like
        The values.
    edges : array_like
        A vector of sorted bin edges.

    Returns
    -------
    n : ndarray
        The count per bin.
    idx : ndarray
        The 1-based bin of each element (0 outside).
    """
    x = np.asarray(x, dtype=np.float64)
    e = np.asarray(edges, dtype=np.float64).ravel(order="F")
    if e.size == 0:
        raise ValueError("histc: empty EDGES specified")
    if (np.diff(e) < 0).any():
        e = np.sort(e)
    idx = np.searchsorted(e, x, side="right").astype(np.float64)
    idx[~(x <= e[-1])] = 0
    n = np.bincount(idx.astype(np.intp).ravel(), minlength=e.size + 1)[1:].astype(np.float64)
    return n, idx


def chol(A) -> np.ndarray:
    """MATLAB's ``R = chol(A)``: the upper triangular R with ``R' * R = A`` (A symmetric
    positive definite; its upper triangle is used, as MATLAB's).

    Parameters
    ----------
    A : array_like
        Symmetric positive definite (its upper triangle is used).

    Returns
    -------
    R : ndarray
        Upper triangular, ``R' * R = A``.
    """
    A = _matlab_dims(_as_float(A, "A"))
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError("chol: A must be a square matrix")
    upper = np.triu(A)
    sym = upper + np.triu(A, 1).T
    try:
        return np.linalg.cholesky(sym).T.copy()
    except np.linalg.LinAlgError as err:
        raise ValueError("chol: input matrix must be positive definite") from err
