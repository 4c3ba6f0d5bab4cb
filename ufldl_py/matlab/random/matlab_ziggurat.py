"""MATLAB's normal generator under the twister: Marsaglia and Tsang's 256-level ziggurat, with
MATLAB's tables (15 significant digits), drawn from a MT19937 :class:`~.mt19937.Stream`."""

from __future__ import annotations

import math

import numpy as np

from .mt19937 import Stream, next_uniform
from .ziggurat import NOR_R, ziggurat_draws

__all__ = ["matlab_normal"]


def _r15(v: float) -> float:
    """v rounded to 15 significant digits, as the constants of MATLAB's ziggurat are."""
    return float(f"{v:.15g}")


def _matlab_ziggurat_tables():
    """The 257-entry x and f tables of MATLAB's twister randn (Marsaglia & Tsang's 256 levels).

    x[0] = 0 < x[1] < ... < x[255] = R, the strips' right edges, and x[256] = V / f(R), the
    base strip's width; f[i] = exp(-x[i]^2 / 2). MATLAB stores each entry to 15 significant
    digits; this recurrence, rounded so, gives the same entries to about 1e-14 (relative).

    MATLAB's entries are not the exact ones rounded: solving the ziggurat to 60 digits (r =
    3.65415288536100877..., v = 0.00492867323397465534...) and rounding gives 4 of the 35
    published 15-decimal values wrong instead of 5, since those values bound MATLAB's x[2] to
    [0.28617459179206783, 0.2861745917920692] where the exact x[2] is 0.28617459179207251
    (and x[55] similarly). Double-precision recurrences with r and v moved by up to 60 ulps
    do not match all 35 either, so the last printed decimal can still differ.
    """
    R, V = 3.6541528853610088, 4.928673233974655e-3
    x = [0.0] * 257
    x[255] = R
    x[256] = V / math.exp(-0.5 * R * R)
    for i in range(255, 1, -1):
        x[i - 1] = math.sqrt(-2.0 * math.log(V / x[i] + math.exp(-0.5 * x[i] * x[i])))
    x = np.array([_r15(v) for v in x])
    f = np.array([_r15(math.exp(-0.5 * v * v)) for v in x])
    return x, f


_MX, _MF = _matlab_ziggurat_tables()
_M_R, _M_INV_R = _r15(NOR_R), _r15(1.0 / NOR_R)


def _matlab_first_tries(w: np.ndarray):
    """Each word pair's first try: its value r and whether it is taken (the extras for
    :func:`_matlab_slow_path`: each pair's strip and r)."""
    u0, u1 = w[0::2], w[1::2]
    idx = ((u1 >> np.uint64(24)) + np.uint64(1)).astype(np.intp)
    r = (((u0 >> np.uint64(3)).astype(np.float64) * 16777216.0
          + (u1 & np.uint64(0xFFFFFF)).astype(np.float64)) * 2.0 ** -52 - 1.0) * _MX[idx]
    return r, np.abs(r) <= _MX[idx - 1], (idx, r)


def _matlab_slow_path(pos: int, extras, u: np.ndarray, u_ok: np.ndarray):
    """A failed first try at pair pos: the wedge test (strips 1..255) or the tail (256)."""
    idx, r = extras
    i, rv, p = int(idx[pos]), float(r[pos]), pos + 1
    if i < 256:
        u1v, p = next_uniform(u, u_ok, p)
        if _MF[i] + u1v * (_MF[i - 1] - _MF[i]) < math.exp(-0.5 * rv * rv):
            return rv, p
        return None, p
    while True:
        ua, p = next_uniform(u, u_ok, p)
        xx = math.log(ua) * _M_INV_R
        ub, p = next_uniform(u, u_ok, p)
        if -2.0 * math.log(ub) > xx * xx:
            break
    return (xx - _M_R if rv < 0 else _M_R - xx), p


def matlab_normal(stream: Stream, n: int) -> np.ndarray:
    """n draws of MATLAB's randn under the twister: a 256-level ziggurat on word pairs.

    Each try reads two words u0, u1: the strip i = (u1 >> 24) + 1 and a 53-bit uniform on
    [-1, 1), ((u0 >> 3) * 2^24 + (u1 & 0xFFFFFF)) * 2^-52 - 1, scaled by x[i]. It is taken
    when ``|r| <= x[i-1]``; otherwise the wedge test (strips 1..255) or the tail (strip 256) each
    take uniforms of their own (randu53, two words each), and a rejected try starts again.
    :func:`~.ziggurat.ziggurat_draws` walks the pairs.

    Parameters
    ----------
    stream : Stream
        The generator's state, advanced by the draws.
    n : int
        How many draws.

    Returns
    -------
    ndarray (n,)
    """
    return ziggurat_draws(stream, n, 16, _matlab_first_tries, _matlab_slow_path)
