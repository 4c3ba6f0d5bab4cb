"""rand, randn, randi and randperm in both dialects, and their seeding forms
(``rand('state', s)``, ``rand('seed', s)``, ...)."""

from __future__ import annotations

import math

import numpy as np

from ._common import FLINTMAX, check_bytes, is_real, real_scalar, shaped, size_args
from .matlab_ziggurat import matlab_normal
from .mt19937 import MT_N, double_to_uint32, init_by_array, uniform, uniform_into
from .ranlib import Ranlib
from .state import (STATE, draw_uniform, get_state, is_matlab, matlab_uniform,
                    refuse_in_legacy, set_state)
from .twister import matlab_seed
from .ziggurat import normal

__all__ = ["rand", "rand_into", "randn", "randi", "randi_calls", "randperm"]


def _matlab_rand_state(args: tuple):
    """rand('state') and rand('state', s) in the MATLAB dialect (v5uniform)."""
    v5 = STATE.matlab.v5
    if len(args) == 1:
        return v5.state()
    if len(args) > 2:
        raise TypeError("rand: rand('state', s) takes one value")
    value = args[1]
    if not is_real(value):
        raise TypeError(f"rand: the 'state' value must be a number or a 35-element state, "
                        f"got {value!r}")
    if np.asarray(value).size == 35:
        v5.restore(value)
    else:
        v5.seed(matlab_seed(value, "rand"))
    STATE.matlab.legacy = True
    return None


def _matlab_legacy(fcn: str, kind: str):
    generator = {"state": "v5uniform" if fcn == "rand" else "v5normal", "seed": "v4",
                 "twister": "legacy twister"}.get(kind)
    if generator is None:
        raise ValueError(f"{fcn}: unrecognized string argument {kind!r}")
    raise NotImplementedError(
        f"{fcn}('{kind}', ...) selects MATLAB's {generator} generator, which ufldl_py's MATLAB "
        "dialect does not reproduce; seed with rng(s) (the twister), or use the Octave dialect")

def _seeding(fcn: str, dist: str, args: tuple):
    """The 'state' / 'twister' / 'seed' forms shared by rand and randn; None if not one."""
    if not args or not isinstance(args[0], str) or args[0] in ("double",):
        return None, False
    kind = args[0]
    stream = STATE.streams[dist]
    if kind in ("state", "twister"):
        if len(args) == 1:
            return stream.octave_state().reshape(-1, 1), True
        value = args[1]
        STATE.old = None
        if isinstance(value, str):
            if value != "reset":
                raise ValueError(f"{fcn}: unknown '{kind}' value {value!r}")
            stream.seed_entropy()
            return None, True
        if not is_real(value):
            raise TypeError(f"{fcn}: the '{kind}' value must be a real number or vector, "
                            f"got {value!r}")
        value = np.asarray(value)
        if value.size == 0:
            # Octave's init_by_array would read one word past an empty key (uninitialised
            # memory: a different stream on every run), so there is nothing to reproduce.
            raise ValueError(f"{fcn}: the '{kind}' seed is empty; give a scalar or a vector")
        key = ([int(v) for v in value.ravel(order="F")] if value.dtype == np.uint32
               else double_to_uint32(value))
        if len(key) == MT_N + 1 and 0 < key[MT_N] <= MT_N:
            stream.set_octave_state(np.array(key, dtype=np.uint32))
        else:  # every word of a longer key is used, as Octave's init_by_array does
            stream.set_octave_state(init_by_array(key))
        return None, True
    if kind == "seed":
        if dist != "uniform":
            raise NotImplementedError(
                f"{fcn}('seed', ...) selects Octave's old RANLIB normal generator, which "
                "ufldl_py does not reproduce; use randn('state', s)")
        if len(args) == 1:
            return (STATE.old.seed_value() if STATE.old else 0.0), True
        value = args[1]
        if isinstance(value, str) or np.asarray(value).size != 1:
            raise ValueError(f"{fcn}: seed must be a real scalar")
        STATE.old = Ranlib.from_seed(float(np.asarray(value).item()))
        return None, True
    raise ValueError(f"{fcn}: unrecognized string argument {kind!r}")


def rand_into(out: np.ndarray) -> np.ndarray:
    """``out(:) = rand(numel(out), 1)`` without a new array: the next ``out.size`` draws of
    rand, in the order rand draws them, written into the contiguous float64 array ``out``
    (flat index order). Not a MATLAB function: for loops that draw a matrix every step, such
    as rbmtrain's sigmrnd, where ``rand(m, n)`` is ``out.reshape(n, m).T`` of a buffer of
    m * n (MATLAB fills column by column).

    Parameters
    ----------
    out : ndarray
        A writeable C-contiguous float64 array.

    Returns
    -------
    out : ndarray

    Raises
    ------
    ValueError
        When out is not a writeable C-contiguous float64 array.
    """
    if not (isinstance(out, np.ndarray) and out.flags.c_contiguous and out.flags.writeable
            and out.dtype == np.float64):
        raise ValueError("rand_into needs a writeable C-contiguous float64 array")
    flat = out.reshape(-1)
    if is_matlab():
        if STATE.matlab.legacy:
            flat[:] = matlab_uniform(flat.size)
        else:
            uniform_into(STATE.matlab.stream, flat)
    elif STATE.old is not None:
        flat[:] = STATE.old.uniform(flat.size)
    else:
        uniform_into(STATE.streams["uniform"], flat)
    return out


def rand(*args):
    """Uniform random numbers on (0, 1), as Octave's ``rand`` (rand.cc, randmtzig.cc).

    ``rand()`` -> float; ``rand(n)`` -> n x n; ``rand(m, n, ...)``, ``rand([m, n])``;
    ``rand('state', s)`` / ``rand('twister', s)`` seed (s a scalar or vector, or a saved
    625 x 1 state); ``rand('state')`` returns the state; ``rand('seed', s)`` switches to the
    old RANLIB generator, as Octave does.

    Parameters
    ----------
    *args
        The size (none, n, m, n, ... or [m, n]) or a seeding call ('state', s).

    Returns
    -------
    float or ndarray or None
        The draws (a float for ``rand()``); the state for ``rand('state')``; None after seeding.
    """
    if is_matlab():
        if args and isinstance(args[0], str) and args[0] != "double":
            if args[0] == "state":
                return _matlab_rand_state(args)
            _matlab_legacy("rand", args[0])
        dims = size_args(args, "rand")
        n = 1 if dims is None else int(np.prod(dims))
        return shaped(matlab_uniform(n), dims)
    result, handled = _seeding("rand", "uniform", args)
    if handled:
        return result
    dims = size_args(args, "rand")
    n = 1 if dims is None else int(np.prod(dims))
    return shaped(draw_uniform(n), dims)


def randn(*args):
    """Standard normal random numbers, as Octave's ``randn`` (ziggurat of randmtzig.cc).

    Same call forms as :func:`rand`; ``randn`` has a stream of its own, seeded with
    ``randn('state', s)``.

    Parameters
    ----------
    *args
        As for :func:`rand`.

    Returns
    -------
    float or ndarray or None
        The draws; the state for ``randn('state')``; None after seeding.
    """
    if is_matlab():
        if args and isinstance(args[0], str) and args[0] != "double":
            _matlab_legacy("randn", args[0])
        refuse_in_legacy("randn")
        dims = size_args(args, "randn")
        n = 1 if dims is None else int(np.prod(dims))
        return shaped(matlab_normal(STATE.matlab.stream, n), dims)
    result, handled = _seeding("randn", "normal", args)
    if handled:
        return result
    if STATE.old is not None:
        raise NotImplementedError(
            "after rand('seed', ...), Octave draws randn from its old RANLIB normal generator, "
            "which ufldl_py does not reproduce; seed with rand('state', s) instead")
    dims = size_args(args, "randn")
    n = 1 if dims is None else int(np.prod(dims))
    return shaped(normal(STATE.streams["normal"], n), dims)


def randi(imax, *dims):
    """Uniform random integers, as Octave 7's ``randi`` (scripts/general/randi.m).

    ``randi(imax)`` in 1..imax (a float, like ``rand()``), ``randi([imin, imax], ...)``;
    sizes as :func:`rand`.
    Returns float64 values (MATLAB's double), drawn by rejection from ``rand``. In the MATLAB
    dialect, ``imin + floor(u * (imax - imin + 1))`` on one twister double ``u`` per value.

    Parameters
    ----------
    imax : float or [imin, imax]
    *dims
        The size, as for :func:`rand`.

    Returns
    -------
    float or ndarray

    Raises
    ------
    TypeError
        When imax is not a real number or a pair.
    ValueError
        Octave's messages for bounds that are not integers, in the wrong order or beyond flintmax().
    """
    if not is_real(imax):
        raise TypeError(f"randi: IMAX must be a real number or [IMIN, IMAX], got {imax!r}")
    bounds = np.asarray(imax, dtype=np.float64).ravel()
    if bounds.size > 2 or not np.isfinite(bounds).all():
        raise ValueError(f"randi: IMAX must be a finite scalar or [IMIN, IMAX], got {imax!r}")
    if bounds.size == 0 or (bounds != np.trunc(bounds)).any():
        raise ValueError("randi: IMIN and IMAX must be integer bounds")
    if bounds.size == 1:
        lo, hi = 1.0, float(bounds[0])
        if hi < 1:
            raise ValueError("randi: require IMAX >= 1")
    else:
        lo, hi = float(bounds[0]), float(bounds[1])
        if hi < lo:
            raise ValueError("randi: require IMIN <= IMAX")
    if abs(hi) >= FLINTMAX or abs(lo) >= FLINTMAX:
        raise ValueError("randi: IMIN and IMAX must be smaller than flintmax()")
    if hi - lo >= FLINTMAX - 1:
        raise ValueError("randi: integer range must be smaller than flintmax()-1")
    shape = size_args(dims, "randi") if dims else (1, 1)
    N = int(np.prod(shape))
    if is_matlab():  # MATLAB: imin + floor(rand * (imax - imin + 1)), one double per value
        refuse_in_legacy("randi")
        ri = lo + np.floor(uniform(STATE.matlab.stream, N) * (hi - lo + 1))
        return float(ri[0]) if not dims else ri.reshape(shape, order="F")
    rng_ = hi - lo + 1
    K = math.floor((FLINTMAX + 1) / rng_)
    p = (K * rng_) / (FLINTMAX + 1)
    while True:
        M = math.ceil(N / p + 10 * math.sqrt(N / p - N))
        r_prim = np.floor(draw_uniform(M) * (FLINTMAX + 1))
        r_prim = r_prim[r_prim < K * rng_]
        if r_prim.size >= N:
            break
    ri = lo + np.floor(r_prim[:N] / K)
    return float(ri[0]) if not dims else ri.reshape(shape, order="F")


def _count(v, name: str) -> int:
    x = real_scalar(v, "randperm", name)
    if not math.isfinite(x) or x != int(x) or x < 0:
        raise ValueError(f"randperm: {name} must be a non-negative integer, got {x!r}")
    return int(x)


def _randi_scalar_plan(imax: float) -> tuple[int, float, float]:
    """For one scalar call ``randi(imax)``: how many uniforms it draws (M), K and K*range,
    as randi.m computes them for N = 1."""
    rng_ = float(imax)
    K = math.floor((FLINTMAX + 1) / rng_)
    p = (K * rng_) / (FLINTMAX + 1)
    return math.ceil(1 / p + 10 * math.sqrt(1 / p - 1)), float(K), K * rng_


def randi_calls(imaxes, count: int) -> np.ndarray:
    """``count`` rounds of the scalar calls ``randi(imaxes[0]), randi(imaxes[1]), ...``, in
    that order, as one draw: a (count, len(imaxes)) float64 array.

    Equals calling :func:`randi` once per value (each scalar call draws its own block of
    uniforms and keeps the first it accepts, as randi.m does), but draws all the blocks at
    once. If a whole block is rejected (an event of probability below 2^-40 per call), the
    stream is rewound and the calls are made one by one, so the result is the same.

    Parameters
    ----------
    imaxes : sequence of int
        The imax of each scalar call.
    count : int

    Returns
    -------
    ndarray (count, len(imaxes))
    """
    imaxes = [float(v) for v in np.asarray(imaxes, dtype=np.float64).ravel()]
    count = int(count)
    for imax in imaxes:
        if imax < 1 or imax != math.floor(imax) or imax >= FLINTMAX:
            raise ValueError(f"randi: IMAX must be an integer in 1..flintmax(), got {imax:g}")
    if count <= 0 or not imaxes:
        return np.zeros((max(count, 0), len(imaxes)))
    if is_matlab():  # MATLAB's randi is one uniform per value: no blocks to batch
        check_bytes("randi_calls", "COUNT", (count, len(imaxes)), 8 * count * len(imaxes))
        return np.array([[randi(imax) for imax in imaxes] for _ in range(count)])
    plans = [_randi_scalar_plan(imax) for imax in imaxes]
    per_round = sum(M for M, _, _ in plans)
    check_bytes("randi_calls", "COUNT", (count, per_round), 8 * count * per_round)
    saved = get_state()
    u = draw_uniform(count * per_round).reshape(count, per_round)
    out = np.empty((count, len(imaxes)))
    start = 0
    for j, (M, K, limit) in enumerate(plans):
        r_prim = np.floor(u[:, start:start + M] * (FLINTMAX + 1))
        ok = r_prim < limit
        first = ok.argmax(axis=1)
        if not ok[np.arange(count), first].all():
            set_state(saved)
            return np.array([[randi(imax) for imax in imaxes] for _ in range(count)])
        out[:, j] = 1.0 + np.floor(r_prim[np.arange(count), first] / K)
        start += M
    return out


def randperm(n, m=None) -> np.ndarray:
    """A random permutation of 1..n (its first m entries), as Octave's ``randperm``.

    Returns a 1 x m float64 row of 1-based values (MATLAB's double row vector), drawn with
    a Knuth shuffle on m uniform draws. In the MATLAB dialect, ``randperm(n)`` is the order
    that sorts ``rand(1, n)``; ``randperm(n, k)`` raises NotImplementedError.

    Parameters
    ----------
    n : int
        The permutation's length.
    m : int, optional

    Returns
    -------
    ndarray (1, m)

    Raises
    ------
    ValueError
        When m is larger than n.
    NotImplementedError
        ``randperm(n, k)`` in the MATLAB dialect.
    """
    n = _count(n, "N")
    if is_matlab():
        check_bytes("randperm", "N", (1, n), 8 * n)
        if m is not None:
            raise NotImplementedError(
                "randperm(n, k) in MATLAB's dialect: MATLAB draws it with an algorithm of its "
                "own that ufldl_py does not reproduce (MATLAB's documentation: randperm(n, n) "
                "and randperm(n) give different orders); use randperm(n) and take k entries")
        # MATLAB: the order that sorts n twister doubles (its randperm.m, [~, p] = sort(rand(1, n)))
        r = matlab_uniform(n)  # v5uniform's after rand('state', s), as randperm.m's rand
        return (np.argsort(r, kind="stable") + 1).astype(np.float64).reshape(1, n)
    m = n if m is None else _count(m, "M")
    if m > n:
        raise ValueError("randperm: M must be less than or equal to N")
    check_bytes("randperm", "N" if m == n else "M", (1, m), 8 * m)
    if m >= n // 5:  # the full shuffle below holds all of 1..n
        check_bytes("randperm", "N", (1, n), 8 * n)
    r = draw_uniform(m)
    ks = np.arange(m) + np.floor(r * (n - np.arange(m))).astype(np.int64)
    if m < n // 5:  # Octave's short shuffle: only moved entries are tracked
        moved: dict[int, int] = {}
        ivec = list(range(m))
        for i, k in enumerate(ks.tolist()):
            if k < m:
                ivec[i], ivec[k] = ivec[k], ivec[i]
            else:
                prev = moved.get(k, k)
                moved[k] = ivec[i]
                ivec[i] = prev
        perm = np.array(ivec, dtype=np.int64)
    else:
        perm = np.arange(n)
        for i, k in enumerate(ks.tolist()):
            perm[i], perm[k] = perm[k], perm[i]
        perm = perm[:m]
    return (perm + 1).astype(np.float64).reshape(1, m)


