"""Element-wise kernels with the rounding of the MATLAB expressions they replace."""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "tanh_opt", "bernoulli"]

if np.lib.NumpyVersion(np.__version__) >= "2.0.0":
    # numpy 2's errstate as a decorator keeps each call's state in the call (a context
    # variable, safe across threads) and costs about 0.5 us a call less than a with block
    _exp_overflow_ignored = np.errstate(over="ignore")(np.exp)
else:  # numpy 1's decorator keeps the state it restores on the one instance, shared by threads
    def _exp_overflow_ignored(x: np.ndarray, out: np.ndarray) -> np.ndarray:
        with np.errstate(over="ignore"):
            return np.exp(x, out)


def sigmoid(z: np.ndarray, b: np.ndarray | float = 0.0, out: np.ndarray | None = None
            ) -> np.ndarray:
    """The logistic function ``1 ./ (1 + exp(-(z + b)))``, element-wise, with the same
    rounding as that MATLAB expression (``-(z + b)`` is computed as ``-b - z``, which is
    exact). ``out=z`` computes it in z's memory.

    Parameters
    ----------
    z : ndarray
        The inputs.
    b : ndarray or float
        A bias added first (broadcast).
    out : ndarray, optional
        Where to write (``out=z``).

    Returns
    -------
    ndarray
    """
    if type(z) is not np.ndarray or z.dtype != np.float64:  # a float64 array as it is
        z = np.asarray(z, dtype=np.float64)
    plain = type(b) is float and b == 0.0  # -z (exp(-0) = exp(0): the same bits), one call
    if out is None and (not plain or not z.ndim):
        out = np.empty_like(z)  # z's shape; an array for a 0-d z (a ufunc returns a scalar)
    # outputs passed by position (a keyword costs a ufunc call about 0.1 us)
    out = np.negative(z, out) if plain else np.subtract(np.negative(b), z, out)
    _exp_overflow_ignored(out, out)  # exp(-z) = Inf gives 0, as in MATLAB, unwarned
    out += 1.0
    return np.divide(1.0, out, out)


def tanh_opt(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """DeepLearnToolbox's ``1.7159 * tanh(2/3 .* z)``, element-wise, with the same rounding
    as that MATLAB expression (``2/3`` is one constant); ``out=z`` computes it in z's
    memory.

    Parameters
    ----------
    z : ndarray
        The inputs.
    out : ndarray, optional
        Where to write (``out=z``).

    Returns
    -------
    ndarray
    """
    out = np.multiply(2 / 3, z, out=out)
    np.tanh(out, out=out)
    out *= 1.7159
    return out


def bernoulli(p: np.ndarray, u: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``double(p > u)``: binary samples with probabilities p from uniform draws u (the
    comparison of DeepLearnToolbox's sigmrnd); ``out=p`` writes them into p.

    Parameters
    ----------
    p : ndarray
        The probabilities.
    u : ndarray
        Uniform draws, p's shape.
    out : ndarray, optional
        Where to write (``out=p``).

    Returns
    -------
    ndarray
        0.0 or 1.0, p's shape.
    """
    mask = np.greater(p, u)
    if out is None:
        return mask.astype(np.float64)
    np.copyto(out, mask)
    return out
