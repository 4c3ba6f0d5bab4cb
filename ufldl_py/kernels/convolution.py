"""Convolutions as matrix products: patch matrices (im2col), kernels as matrices, the
adjoint of a layer's convolution, and the 3-D forms of DeepLearnToolbox's CAE.

Layouts. A stack of maps is one (maps, rows, cols, n) array: map-major, batch last, so that
a map ``a{j}`` of MATLAB's (rows, cols, n) is the view ``A[j]``. A convolution of such a
stack with kernels K (inputmaps I, outputmaps J, k, k) is one matrix product
``conv_matrix(K) @ im2col(A, k)``. The CAE convolves (batch, rows, cols) maps with (n, kr,
kc) kernels along all three dimensions (convn): a stack of such maps is one (maps, d0, d1,
d2) array, and the kernels from input map i to output map o one (O, I, t0, t1, t2) array.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

__all__ = ["im2col", "conv_matrix", "conv_full_adjoint", "im2col3", "pad3", "corr3_taps"]


def im2col(A: np.ndarray, k: int) -> np.ndarray:
    """The patch matrix of a stack of maps A (I, r, c, n) for k x k kernels, as an
    (I*k*k, R*C*n) array, R = r - k + 1, C = c - k + 1: row (i, p, q), column (R, C, t)
    holds ``A[i, R + p, C + q, t]`` (0-based). One sliding-window copy.

    Parameters
    ----------
    A : ndarray (I, r, c, n)
        The maps.
    k : int
        The kernels' side.

    Returns
    -------
    ndarray (I*k*k, R*C*n)
    """
    I, r, c, n = A.shape
    R, C = r - k + 1, c - k + 1
    P = np.empty((I, k, k, R, C, n))
    np.copyto(P, sliding_window_view(A, (k, k), axis=(1, 2)).transpose(0, 4, 5, 1, 2, 3))
    return P.reshape(I * k * k, R * C * n)


def conv_matrix(K: np.ndarray) -> np.ndarray:
    """Stacked kernels K (I, J, k, k) as the (J, I*k*k) matrix W of the product
    ``W @ im2col(A, k)``, each kernel rotated by 180 degrees: that product is
    ``sum_i convn(A[i], K[i, j], 'valid')`` for every output map j (a convolution is a
    correlation with the rotated kernel).

    Parameters
    ----------
    K : ndarray (I, J, k, k)
        The kernels.

    Returns
    -------
    W : ndarray (J, I*k*k)
    """
    I, J, k, _ = K.shape
    return K[:, :, ::-1, ::-1].transpose(1, 0, 2, 3).reshape(J, I * k * k)


BANDED_ROWS_PER_TAP = 5  # see conv_full_adjoint


def conv_full_adjoint(D: np.ndarray, K: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """``z{i} = sum_j convn(D[j], rot180(K[i, j]), 'full')`` for stacked deltas D (J, R, C, n)
    of a convolution layer and its kernels K (I, J, k, k): the adjoint of the layer's
    convolution, as (I, rows, cols, n) maps. By banded matrices (:func:`_banded_adjoint`)
    where the maps have up to BANDED_ROWS_PER_TAP rows per kernel row, else patch by patch
    (:func:`_patch_adjoint`); the first is the faster there (measured 0.5 ms against 0.9 ms
    for test_example_CNN's 12 x 12 maps of 50 images), the second for taller maps and small
    kernels, since the banded matrices hold zeros for all but k of every rows.

    Parameters
    ----------
    D : ndarray (J, R, C, n)
        The deltas.
    K : ndarray (I, J, k, k)
        The kernels.
    rows, cols : int
        The output maps' size.

    Returns
    -------
    ndarray (I, rows, cols, n)
    """
    if rows <= BANDED_ROWS_PER_TAP * K.shape[2]:
        return _banded_adjoint(D, K, rows, cols)
    return _patch_adjoint(D, K, rows, cols)


def _patch_adjoint(D: np.ndarray, K: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """conv_full_adjoint as the adjoint of the patch matrix (col2im): the columns W' @ D,
    row (i, p, q) of them added back at offset (p, q)."""
    I, J, k, _ = K.shape
    _, R, C, n = D.shape
    cv = (conv_matrix(K).T @ D.reshape(J, -1)).reshape(I, k, k, R, C, n)
    out = np.zeros((I, rows, cols, n))
    for p in range(k):
        for q in range(k):
            out[:, p:p + R, q:q + C] += cv[:, p, q]
    return out


def _banded_adjoint(D: np.ndarray, K: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """conv_full_adjoint with the sum over kernel rows in one matrix product: T[q]
    ((i, r), (j, R)) holds rot180(K[i, j])[r - R, q] where 0 <= r - R < k (0-based, zero
    elsewhere), so T[q] @ D convolves down the rows; the k products, one per kernel column
    q, are added shifted along the columns."""
    I, J, k, _ = K.shape
    _, R, C, n = D.shape
    T = np.zeros((k, I, rows, J, R))
    band = np.arange(R)
    for p in range(k):  # T[q, i, R + p, j, R] = rot180(K[i, j])(p, q)
        T[:, :, band + p, :, band] = K[:, :, k - 1 - p, ::-1].transpose(2, 0, 1)
    E = (T.reshape(k * I * rows, J * R) @ D.reshape(J * R, C * n)).reshape(k, I, rows, C, n)
    out = np.zeros((I, rows, cols, n))
    for q in range(k):
        out[:, :, q:q + C] += E[q]
    return out


def im2col3(A: np.ndarray, t: tuple[int, int, int]) -> np.ndarray:
    """The patch matrix of a stack of 3-D maps A (I, d0, d1, d2) for t0 x t1 x t2 windows,
    as an (I*t0*t1*t2, R0*R1*R2) array, R = d - t + 1: row (i, p0, p1, p2), column
    (r0, r1, r2) holds ``A[i, r0 + p0, r1 + p1, r2 + p2]`` (0-based). One sliding-window
    copy.

    Parameters
    ----------
    A : ndarray (I, d0, d1, d2)
        The maps.
    t : tuple of 3 int
        The window's sides.

    Returns
    -------
    ndarray (I*t0*t1*t2, R0*R1*R2)
    """
    I = A.shape[0]
    t = tuple(t)
    R = tuple(d - k + 1 for d, k in zip(A.shape[1:], t))
    if min(R) < 1:
        raise ValueError(f"im2col3: windows {t} are larger than the maps {A.shape[1:]}")
    P = np.empty((I,) + t + R)
    s = A.strides  # the windows as a view: (i, p0, p1, p2, r0, r1, r2), no copy
    np.copyto(P, as_strided(A, (I,) + t + R, (s[0],) + s[1:] * 2, writeable=False))
    return P.reshape(I * t[0] * t[1] * t[2], R[0] * R[1] * R[2])


def pad3(A: np.ndarray, t: tuple[int, int, int]) -> np.ndarray:
    """A stack (I, d0, d1, d2) padded with t - 1 zeros on both sides of each map dimension:
    a 'valid' correlation of the padded maps is the 'full' one of the maps.

    Parameters
    ----------
    A : ndarray (I, d0, d1, d2)
        The maps.
    t : tuple of 3 int
        The window's sides.

    Returns
    -------
    ndarray (I, d0 + 2(t0 - 1), d1 + 2(t1 - 1), d2 + 2(t2 - 1))
    """
    I, d0, d1, d2 = A.shape
    t0, t1, t2 = (k - 1 for k in t)
    out = np.zeros((I, d0 + 2 * t0, d1 + 2 * t1, d2 + 2 * t2))
    out[:, t0:t0 + d0, t1:t1 + d1, t2:t2 + d2] = A
    return out


def corr3_taps(A: np.ndarray, W: np.ndarray) -> np.ndarray:
    """``out[o] = sum_i correlate_valid(A[i], W[o, i])`` for maps A (I, d0, d1, d2) and
    kernels W (O, I, t0, t1, t2), as (O, R0, R1, R2): one product ``W_tap @ A`` for all
    taps, then one shifted add per tap. The form for few output maps (the patch matrix of A
    would hold I*t0*t1*t2 rows; this holds t0*t1*t2*O).

    Parameters
    ----------
    A : ndarray (I, d0, d1, d2)
        The maps.
    W : ndarray (O, I, t0, t1, t2)
        The kernels.

    Returns
    -------
    ndarray (O, R0, R1, R2)
        R = d - t + 1.
    """
    O, I, t0, t1, t2 = W.shape
    _, d0, d1, d2 = A.shape
    R0, R1, R2 = d0 - t0 + 1, d1 - t1 + 1, d2 - t2 + 1
    Y = (W.transpose(2, 3, 4, 0, 1).reshape(-1, I) @ A.reshape(I, -1)
         ).reshape(t0, t1, t2, O, d0, d1, d2)
    out = Y[0, 0, 0, :, :R0, :R1, :R2].copy()
    for p0 in range(t0):
        for p1 in range(t1):
            for p2 in range(t2):
                if p0 or p1 or p2:
                    out += Y[p0, p1, p2, :, p0:p0 + R0, p1:p1 + R1, p2:p2 + R2]
    return out
