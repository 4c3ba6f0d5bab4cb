"""The sparse autoencoder's forward and backward sums (sparseAutoencoderCost and the linear
decoder's form), in two block-parallel passes: the one kernel that knows a network."""

from __future__ import annotations

import numpy as np

from .buffers import scratch
from .elementwise import sigmoid
from .threads import blocks, map_blocks

__all__ = ["sparse_autoencoder"]

# Examples per sparse_autoencoder block, cut by size alone (the same blocks, and bits, at any
# thread count): AE_BLOCK_MAX, four blocks of sparseae_exercise's 10,000 patches to share
# between threads (at two threads, 64-25-64 took 7.0 ms in blocks of 2,500 against 8.8 ms in
# blocks of 1,024); fewer where a block's largest array would pass AE_BLOCK_BYTES, never
# under AE_BLOCK_MIN.
AE_BLOCK_BYTES = 16 * 2 ** 20
AE_BLOCK_MIN, AE_BLOCK_MAX = 256, 2500


def sparse_autoencoder(W1: np.ndarray, W2: np.ndarray, b1: np.ndarray, b2: np.ndarray,
                       X: np.ndarray, rho: float, beta: float, chunk: int | None = None,
                       linear: bool = False):
    """The sums of a sigmoid autoencoder's forward and backward passes with a KL sparsity
    penalty on the hidden units, over the examples X (v, m), in two block-parallel passes.

    Pass 1, per block of examples: ``a2 = f(W1*x + b1)``, ``a3 = f(W2*a2 + b2)``,
    ``delta3 = (a3 - x) .* a3 .* (1 - a3)`` (in place; with ``linear``, the linear decoder's
    ``a3 = W2*a2 + b2`` and ``delta3 = a3 - x``), the squared error, ``sum(a2, 2)``,
    ``delta3 * a2'``, ``sum(delta3, 2)`` and ``W2' * delta3``. Then ``rho_hat = sum(a2, 2)/m``
    and ``s = beta * (-rho./rho_hat + (1-rho)./(1-rho_hat))``. Pass 2, per block:
    ``delta2 = (W2'*delta3 + s) .* a2 .* (1 - a2)`` (in place), ``delta2 * x'`` and
    ``sum(delta2, 2)``. The blocks are cut by size alone and their sums added in block
    order, so that the results are the same bits at any thread count. The work arrays are
    :func:`scratch`.

    Parameters
    ----------
    W1 : ndarray (h, v)
        The encoder's weights.
    W2 : ndarray (v, h)
        The decoder's weights.
    b1 : ndarray (h,)
        The hidden biases.
    b2 : ndarray (v,)
        The output biases.
    X : ndarray (v, m)
        The examples, one per column.
    rho : float
        The sparsity target.
    beta : float
        The sparsity penalty's weight.
    chunk : int, optional
        The examples per block (default: cut by size, the same at any thread count).
    linear : bool
        The linear decoder (linear outputs).

    Returns
    -------
    sq : float
        ``sum((a3 - x).^2)`` over all units and examples.
    rho_hat : ndarray (h,)
    W1sum : ndarray (h, v)
        ``delta2 * X'`` (not divided by m).
    W2sum : ndarray (v, h)
        ``delta3 * a2'``.
    b1sum : ndarray (h,)
    b2sum : ndarray (v,)
    """
    m = X.shape[1]
    h = W1.shape[0]
    if chunk is None:  # cut by size alone: the same blocks, and bits, at any thread count
        largest = AE_BLOCK_BYTES // (8 * max(X.shape[0], h + 1))
        chunk = min(AE_BLOCK_MAX, max(AE_BLOCK_MIN, largest))
    parts = blocks(m, chunk)
    b1c = b1[:, None]
    # the decoder's bias as a last column of its weights, against a row of ones under a2:
    # one product gives W2*a2 + b2 (negated for the sigmoid's exp(-z)), and one gives
    # delta3 * a2' and sum(delta3, 2)
    W2b = np.concatenate([W2, b2[:, None]], axis=1)
    if not linear:
        np.negative(W2b, out=W2b)

    # each block's [a2; ones(1, n)] and W2'*delta3, kept for pass 2, in two arrays of the
    # call; a3 and delta3 in each thread's own (kernels.scratch)
    A2o, E = scratch("ae_a2o", (h + 1) * m), scratch("ae_e", h * m)

    def forward(s: slice):
        x = X[:, s]
        n = x.shape[1]
        a2o = A2o[(h + 1) * s.start:(h + 1) * s.stop].reshape(h + 1, n)
        a2o[h] = 1.0
        a2 = np.matmul(W1, x, out=a2o[:h])
        sigmoid(a2, b1c, out=a2)
        a3 = np.matmul(W2b, a2o, out=scratch("ae_a3", x.size).reshape(x.shape))  # or -(...)
        if linear:
            d = np.subtract(a3, x, out=a3)  # delta3
            sq = float(np.vdot(d, d))
        else:
            with np.errstate(over="ignore"):  # exp(-z) = Inf gives 0, as in MATLAB
                np.exp(a3, out=a3)
            a3 += 1.0
            np.divide(1.0, a3, out=a3)  # sigmoid(W2*a2 + b2)
            d = np.subtract(a3, x, out=scratch("ae_d", x.size).reshape(x.shape))
            sq = float(np.vdot(d, d))
            d *= a3
            np.subtract(1.0, a3, out=a3)
            d *= a3  # delta3
        g = a2o @ d.T  # [delta3 * a2', sum(delta3, 2)]' (this way round, 12% faster)
        e = np.matmul(W2.T, d, out=E[h * s.start:h * s.stop].reshape(h, n))
        return sq, a2.sum(axis=1), g[:h].T, g[h], e, a2

    first = map_blocks(forward, parts)
    rho_hat = sum(r[1] for r in first) / m
    sparsity = beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat))

    def backward(i: int):
        e, a2 = first[i][4], first[i][5]
        e += sparsity[:, None]
        e *= a2
        np.subtract(1.0, a2, out=a2)
        e *= a2  # delta2
        return e @ X[:, parts[i]].T, e.sum(axis=1)

    second = map_blocks(backward, range(len(parts)))
    return (sum(r[0] for r in first), rho_hat, sum(r[0] for r in second),
            sum(r[2] for r in first), sum(r[1] for r in second), sum(r[3] for r in first))
