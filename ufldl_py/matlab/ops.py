"""MATLAB's array primitives with MATLAB's semantics.

Convolutions are true convolutions (the kernel flipped), with MATLAB's 'full', 'same' and
'valid' shapes ('same' centred as MATLAB centres it, also for even kernel sizes); flips and
rotations take MATLAB's 1-based dimensions; reshapes and unrolling are column-major.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "conv2", "convn", "rot90", "flip", "flipdim", "fliplr", "flipud", "flipall", "rot180",
    "kron", "expand", "repmat", "onehot", "unroll", "reshape", "svd",
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


def _correlate_valid(A: np.ndarray, K: np.ndarray) -> np.ndarray:
    """out[i] = sum_p A[i + p] * K[p] over the positions where K fits inside A."""
    out_shape = tuple(max(a - k + 1, 0) for a, k in zip(A.shape, K.shape))
    if 0 in out_shape or K.size == 0:
        return np.zeros(out_shape)
    n_out = math.prod(out_shape)
    if n_out * K.size <= 1 << 22 and n_out < K.size:
        # few outputs, large kernel: one dot product per output position
        windows = sliding_window_view(A, K.shape)
        return np.tensordot(windows, K, axes=K.ndim).reshape(out_shape)
    out = np.zeros(out_shape)
    for idx in np.ndindex(K.shape):  # one shifted, scaled copy of A per kernel element
        out += K[idx] * A[tuple(slice(i, i + o) for i, o in zip(idx, out_shape))]
    return out


def convn(A, B, shape: str = "full") -> np.ndarray:
    """N-D convolution, MATLAB's ``convn(A, B, shape)``.

    Parameters
    ----------
    A, B : real arrays of any number of dimensions (missing trailing dimensions are 1).
    shape : 'full' (size(A) + size(B) - 1), 'same' (size(A), the central part, starting at
        floor(size(B)/2) of the full result) or 'valid' (max(size(A) - size(B) + 1, 0)).

    Returns
    -------
    C : float64 array; trailing singleton dimensions beyond the second are dropped, as in
        MATLAB. Vectorised: one shifted array operation per kernel element (or one dot
        product per output element when there are fewer outputs than kernel elements), so a
        batch ``convn(images(r, c, n), kernel(kr, kc), 'valid')`` makes no loop per image.
    """
    if shape not in SHAPES:
        raise ValueError(f"convn: SHAPE type not valid: {shape!r} (one of 'full', 'same', "
                         "'valid')")
    A = _matlab_dims(_as_float(A, "A"))
    B = _matlab_dims(_as_float(B, "B"))
    nd = max(A.ndim, B.ndim)
    A = A.reshape(A.shape + (1,) * (nd - A.ndim))
    B = B.reshape(B.shape + (1,) * (nd - B.ndim))
    Bf = B[(slice(None, None, -1),) * nd]  # convolution = correlation with the flipped kernel
    if shape == "valid":
        out = _correlate_valid(A, Bf)
    else:
        if 0 in A.shape or 0 in B.shape:
            full_shape = tuple(max(a + b - 1, 0) for a, b in zip(A.shape, B.shape))
            full = np.zeros(full_shape)
        else:
            padded = np.pad(A, [(b - 1, b - 1) for b in B.shape])
            full = _correlate_valid(padded, Bf)
        if shape == "full":
            out = full
        else:
            start = [b // 2 for b in B.shape]
            out = full[tuple(slice(s, s + a) for s, a in zip(start, A.shape))]
            if out.shape != A.shape:  # an empty B: MATLAB returns zeros(size(A))
                out = np.zeros(A.shape)
    return out.reshape(_drop_trailing_ones(out.shape))


def conv2(A, B, shape: str = "full") -> np.ndarray:
    """2-D convolution, MATLAB's ``conv2(A, B, shape)`` (A and B matrices).

    See :func:`convn` for the shapes: ``conv2(ones(2), ones(3), 'valid')`` is 0 x 0 and
    ``conv2(A, B, 'same')`` for an even-sized B starts at floor(size(B)/2) as in MATLAB.
    """
    A, B = np.asarray(A), np.asarray(B)
    if A.ndim > 2 or B.ndim > 2:
        raise ValueError("conv2: A and B must be 1-D or 2-D matrices")
    return convn(A, B, shape)


def rot90(A, k: int = 1) -> np.ndarray:
    """Rotate the first two dimensions by k*90 degrees counterclockwise, MATLAB's ``rot90``."""
    A = _matlab_dims(np.asarray(A))
    return np.rot90(A, int(k), axes=(0, 1)).copy()


def flip(A, dim: int | None = None) -> np.ndarray:
    """Reverse A along the 1-based dimension ``dim``, MATLAB's ``flip(A, dim)``.

    Without ``dim``, the first dimension whose size is not 1. A dimension beyond ndims(A)
    leaves A as it is.
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
    """MATLAB's (deprecated) ``flipdim(A, dim)``: :func:`flip` along 1-based ``dim``."""
    return flip(A, dim)


def fliplr(A) -> np.ndarray:
    """MATLAB's ``fliplr``: reverse the columns."""
    return flip(A, 2)


def flipud(A) -> np.ndarray:
    """MATLAB's ``flipud``: reverse the rows."""
    return flip(A, 1)


def flipall(X) -> np.ndarray:
    """Reverse X along every dimension (DeepLearnToolbox util/flipall.m)."""
    X = _matlab_dims(np.asarray(X))
    return X[(slice(None, None, -1),) * X.ndim].copy()


def rot180(X) -> np.ndarray:
    """Reverse the first two dimensions (DeepLearnToolbox CNN/cnnbp.m's local rot180)."""
    X = _matlab_dims(np.asarray(X))
    return X[::-1, ::-1].copy()


def kron(A, B) -> np.ndarray:
    """Kronecker product of two matrices, MATLAB's ``kron(A, B)``."""
    A, B = _matlab_dims(np.asarray(A)), _matlab_dims(np.asarray(B))
    if A.ndim > 2 or B.ndim > 2:
        raise ValueError("kron: A and B must be 2-D matrices")
    return np.kron(A, B)


def expand(A, S) -> np.ndarray:
    """Replicate each element of A into an S(1) x S(2) x ... block (DeepLearnToolbox
    util/expand.m): ``size(B) = size(A) .* S``, blocks in the order of A's elements.
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
    """Tile A, MATLAB's ``repmat(A, n)`` (n x n), ``repmat(A, m, n, ...)``, ``repmat(A, [m n])``."""
    A = _matlab_dims(np.asarray(A))
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
    """``A(:)``: the elements of A in column-major order, as a 1-D array."""
    return np.asarray(A).ravel(order="F")


def reshape(v, *dims) -> np.ndarray:
    """MATLAB's column-major ``reshape(v, m, n, ...)`` or ``reshape(v, [m n ...])``.

    One dimension may be ``None`` (MATLAB's ``[]``): it is computed from the others.
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
    """``[U, S, V] = svd(A)``: the full singular value decomposition, as Octave computes it.

    Octave's default driver is LAPACK's dgesvd (``svd_driver('gesvd')``), whose singular
    vectors' signs differ from those of dgesdd (numpy's and scipy's default); this calls
    dgesvd, so U and V come out with Octave's signs.

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
