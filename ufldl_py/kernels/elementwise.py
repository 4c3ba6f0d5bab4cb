"""Element-wise kernels with the rounding of the MATLAB expressions they replace."""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "tanh_opt", "bernoulli"]


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
    z = np.asarray(z, dtype=np.float64)
    if out is None:
        out = np.empty_like(z)
    if type(b) is float and b == 0.0:  # -z (exp(-0) = exp(0): the same bits), one call
        np.negative(z, out=out)
    else:
        np.subtract(np.negative(b), z, out=out)
    with np.errstate(over="ignore"):  # exp(-z) = Inf gives 0, as in MATLAB
        np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


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
