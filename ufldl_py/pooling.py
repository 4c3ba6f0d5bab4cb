"""Mean pooling, shared by the UFLDL and DeepLearnToolbox convolutional networks.

Both originals pool with a 'valid' convolution by ``ones(s) / s^2`` sampled every s pixels
(cnnPool.m with conv2, cnnff.m with convn); for maps whose sides s divides, that is the
mean of each s x s block.
"""

from __future__ import annotations

import numpy as np

__all__ = ["mean_pool"]


def mean_pool(a: np.ndarray, s: int) -> np.ndarray:
    """The mean of each s x s block over axes 1 and 2 of a 4-D array (m, rows, cols, k),
    as an (m, rows/s, cols/s, k) array: s^2 strided adds, then one scaling."""
    m, r, c, k = a.shape
    blocks = a.reshape(m, r // s, s, c // s, s, k)
    out = blocks[:, :, 0, :, 0].copy()
    for u in range(s):
        for v in range(s):
            if u or v:
                out += blocks[:, :, u, :, v]
    out *= 1.0 / s ** 2
    return out
