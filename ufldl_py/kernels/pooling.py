"""Pooling over s x s blocks of (m, rows, cols, k) stacks, and the delta of a sigmoid layer
under mean pooling."""

from __future__ import annotations

import numpy as np

__all__ = ["sum_pool", "mean_pool", "sqrt_pool", "sigmoid_delta_unpooled"]


def sum_pool(a: np.ndarray, s: int) -> np.ndarray:
    """The sum of each s x s block over axes 1 and 2 of a 4-D array (m, rows, cols, k), as
    an (m, rows/s, cols/s, k) array: s^2 strided adds (rows and cols divisible by s).

    Parameters
    ----------
    a : ndarray (m, rows, cols, k)
        The maps.
    s : int
        The pooling side (dividing rows and cols).

    Returns
    -------
    ndarray (m, rows/s, cols/s, k)
    """
    m, r, c, k = a.shape
    blocks_ = a.reshape(m, r // s, s, c // s, s, k)
    out = blocks_[:, :, 0, :, 0].copy()
    for u in range(s):
        for v in range(s):
            if u or v:
                out += blocks_[:, :, u, :, v]
    return out


def mean_pool(a: np.ndarray, s: int) -> np.ndarray:
    """The mean of each s x s block over axes 1 and 2 of a 4-D array (m, rows, cols, k), as
    an (m, rows/s, cols/s, k) array: :func:`sum_pool`, then one scaling. Both originals pool
    with a 'valid' convolution by ``ones(s) / s^2`` sampled every s pixels (cnnPool.m with
    conv2, cnnff.m with convn); for sides that s divides, that is this mean.

    Parameters
    ----------
    a : ndarray (m, rows, cols, k)
        The maps.
    s : int
        The pooling side (dividing rows and cols).

    Returns
    -------
    ndarray (m, rows/s, cols/s, k)
    """
    out = sum_pool(a, s)
    out *= 1.0 / s ** 2
    return out


def sqrt_pool(a: np.ndarray, s: int, epsilon: float) -> np.ndarray:
    """RICA's square-square-root pooling over axes 1 and 2 of a 4-D array (m, rows, cols,
    k): ``sqrt(sum of the squares in each s x s block + epsilon)``, (m, rows/s, cols/s, k).
    feedfowardRICA.m computes it as ``sqrt(conv2(resp.^2, ones(s), 'valid') + epsilon)``
    sampled every s pixels. Squares a in place.

    Parameters
    ----------
    a : ndarray (m, rows, cols, k)
        The responses (squared in place).
    s : int
        The pooling side.
    epsilon : float
        Added under the square root.

    Returns
    -------
    ndarray (m, rows/s, cols/s, k)
    """
    np.square(a, out=a)
    out = sum_pool(a, s)
    out += epsilon
    return np.sqrt(out, out=out)


def sigmoid_delta_unpooled(a: np.ndarray, d: np.ndarray, s: int) -> np.ndarray:
    """The delta of a sigmoid layer a (m, rows, cols, k) under s x s mean pooling whose delta
    is d (m, rows/s, cols/s, k): ``a .* (1 - a) .* (expand(d, [s s 1]) / s^2)`` (cnnbp.m;
    cnnCost's ``kron(delta, ones(s))``), the expansion a broadcast over the pooling blocks.
    A new contiguous array.

    Parameters
    ----------
    a : ndarray (m, rows, cols, k)
        The sigmoid layer's activations.
    d : ndarray (m, rows/s, cols/s, k)
        The pooled layer's delta.
    s : int
        The pooling side.

    Returns
    -------
    ndarray (m, rows, cols, k)
    """
    m, r, c, k = a.shape
    out = np.subtract(1.0, a)
    out *= a
    out.reshape(m, r // s, s, c // s, s, k)[...] *= (d / s ** 2)[:, :, None, :, None, :]
    return out
