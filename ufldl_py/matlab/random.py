"""Octave's random numbers, bit for bit: rand, randn, randi, randperm and their seeds.

Every random draw of the ported code goes through this module, so that a script seeded as
its MATLAB original (``rand('state', 0)``, ``randn('state', 0)``, ``rng(0)``) gives the same
numbers as in Octave. What is reproduced, from Octave 7's sources:

- liboctave/numeric/oct-rand.cc: one Mersenne Twister state per distribution (rand and randn
  draw from separate streams); a 'state' seed, scalar or vector, is converted to uint32 as
  Octave converts a double (rounded, saturated, NaN and Inf as 0) and fed to MT19937's
  ``init_by_array``; a 625-element state vector (624 words and the position) is restored as
  it is.
- liboctave/numeric/randmtzig.cc: uniform doubles on (0, 1) from two 32-bit words
  (``randu53``), normal doubles from the 256-level ziggurat on 54-bit integers
  (``rand_normal``), its tail and wedge rejections included.
- libinterp/corefcn/rand.cc: ``randperm`` as a Knuth shuffle on ``n`` uniform draws.
- scripts/general/randi.m: ``randi`` by rejection on ``floor(rand * flintmax)``.
- ``rand('seed', s)``: Octave's old RANLIB uniform generator (L'Ecuyer's combined
  generator, single precision), seeded from the bits of the double ``s``.

Call forms follow MATLAB: ``rand()`` is a float, ``rand(n)`` is n x n, ``rand(m, n, p)`` and
``rand([m, n])`` fill column-major, trailing singleton dimensions are dropped.
"""

from __future__ import annotations

import contextlib
import copy
import math
import os
from typing import Iterator

import numpy as np

__all__ = ["rand", "randn", "randi", "randi_calls", "randperm", "rng", "get_state", "set_state",
           "isolated"]

MT_N = 624
FLINTMAX = 2.0 ** 53


# --------------------------------------------------------------------------- Mersenne Twister


def _init_genrand(s: int) -> np.ndarray:
    state = np.empty(MT_N, dtype=np.uint64)
    state[0] = s & 0xFFFFFFFF
    for j in range(1, MT_N):
        prev = int(state[j - 1])
        state[j] = (1812433253 * (prev ^ (prev >> 30)) + j) & 0xFFFFFFFF
    return state


def _init_by_array(key: list[int]) -> np.ndarray:
    """MT19937's init_by_array, as randmtzig.cc's init_mersenne_twister(init_key, len)."""
    mt = [int(v) for v in _init_genrand(19650218)]
    i, j = 1, 0
    n = len(key)
    for _ in range(max(MT_N, n)):
        prev = mt[i - 1]
        mt[i] = ((mt[i] ^ ((prev ^ (prev >> 30)) * 1664525)) + key[j] + j) & 0xFFFFFFFF
        i += 1
        j += 1
        if i >= MT_N:
            mt[0] = mt[MT_N - 1]
            i = 1
        if j >= n:
            j = 0
    for _ in range(MT_N - 1):
        prev = mt[i - 1]
        mt[i] = ((mt[i] ^ ((prev ^ (prev >> 30)) * 1566083941)) - i) & 0xFFFFFFFF
        i += 1
        if i >= MT_N:
            mt[0] = mt[MT_N - 1]
            i = 1
    mt[0] = 0x80000000
    return np.array(mt + [1], dtype=np.uint32)  # left = 1: the next draw twists first


def _double_to_uint32(values) -> list[int]:
    """Octave's conversion of a double seed to uint32: round half away, saturate, NaN/Inf -> 0."""
    out = []
    for v in np.asarray(values, dtype=np.float64).ravel(order="F"):
        if not math.isfinite(v):
            out.append(0)
        else:
            r = math.floor(abs(v) + 0.5) * (1 if v >= 0 else -1)
            out.append(int(min(max(r, 0), 0xFFFFFFFF)))
    return out


class _Stream:
    """One distribution's Mersenne Twister, kept in Octave's state format (624 words + left)."""

    def __init__(self):
        self.bitgen = np.random.MT19937()
        self.seed_entropy()

    def seed_entropy(self) -> None:
        key = np.frombuffer(os.urandom(4 * 8), dtype=np.uint32)
        self.set_octave_state(_init_by_array([int(k) for k in key]))

    def set_octave_state(self, s: np.ndarray) -> None:
        s = np.asarray(s, dtype=np.uint32).ravel()
        left = int(s[MT_N])
        self.bitgen.state = {"bit_generator": "MT19937",
                             "state": {"key": s[:MT_N].copy(), "pos": MT_N - left + 1}}

    def octave_state(self) -> np.ndarray:
        st = self.bitgen.state["state"]
        return np.concatenate([st["key"].astype(np.uint32),
                               np.array([MT_N - st["pos"] + 1], dtype=np.uint32)])

    def words(self, n: int) -> np.ndarray:
        """The next n 32-bit outputs (randi32), as uint64."""
        return self.bitgen.random_raw(n)

    def peek(self, n: int) -> np.ndarray:
        """The next n outputs without consuming them."""
        saved = self.bitgen.state
        w = self.bitgen.random_raw(n)
        self.bitgen.state = saved
        return w


def _randu53_from(words: np.ndarray) -> np.ndarray:
    """randu53 on consecutive word pairs (a from the first word, b from the second)."""
    a = (words[0::2] >> np.uint64(5)).astype(np.float64)
    b = (words[1::2] >> np.uint64(6)).astype(np.float64)
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)


def _uniform(stream: _Stream, n: int) -> np.ndarray:
    """n draws of Octave's rand_uniform<double> (randu53)."""
    if n == 0:
        return np.empty(0)
    w = stream.peek(2 * n)
    zero = ((w[0::2] >> np.uint64(5)) == 0) & ((w[1::2] >> np.uint64(6)) == 0)
    if not zero.any():  # the (0, 0) pair, which randu53 rejects, is a 2^-53 event
        stream.words(2 * n)
        return _randu53_from(w)
    out = np.empty(n)
    for i in range(n):
        while True:
            a, b = (int(x) for x in stream.words(2))
            a >>= 5
            b >>= 6
            if a or b:
                break
        out[i] = (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)
    return out


# --------------------------------------------------------------------------- ziggurat


def _ziggurat_tables():
    """create_ziggurat_tables (normal part) of randmtzig.cc."""
    R, AREA, NMANTISSA = 3.6541528853610088, 0.00492867323399, 9007199254740992.0
    ki = np.zeros(256, dtype=np.int64)
    wi = np.zeros(256)
    fi = np.zeros(256)
    x1 = R
    wi[255] = x1 / NMANTISSA
    fi[255] = math.exp(-0.5 * x1 * x1)
    ki[0] = int(x1 * fi[255] / AREA * NMANTISSA)
    wi[0] = AREA / fi[255] / NMANTISSA
    fi[0] = 1.0
    for i in range(254, 0, -1):
        x = math.sqrt(-2.0 * math.log(AREA / x1 + fi[i + 1]))
        ki[i + 1] = int(x / x1 * NMANTISSA)
        wi[i] = x / NMANTISSA
        fi[i] = math.exp(-0.5 * x * x)
        x1 = x
    ki[1] = 0
    return ki, wi, fi


_KI, _WI, _FI = _ziggurat_tables()
_NOR_R, _NOR_INV_R = 3.6541528853610088, 0.27366123732975828


def _normal_candidates(words: np.ndarray):
    """randi54 from word pairs, and the ziggurat's first-try value and acceptance."""
    lo = words[0::2]
    hi = words[1::2] & np.uint64(0x3FFFFF)
    r = (hi << np.uint64(32)) | lo
    rabs = (r >> np.uint64(1)).astype(np.int64)
    idx = (rabs & 0xFF).astype(np.intp)
    signed = np.where((r & np.uint64(1)).astype(bool), -rabs, rabs)
    x = signed.astype(np.float64) * _WI[idx]
    return rabs, idx, x, rabs < _KI[idx]


def _normal(stream: _Stream, n: int) -> np.ndarray:
    """n draws of Octave's rand_normal<double>.

    Every draw consumes word pairs: a first try takes one pair (randi54), and each uniform of
    the tail or wedge test (randu53) one more. So the words are read ahead once, every pair
    is read both as a first try and as a uniform, and the first tries that fail (0.7%) are
    walked through one by one, in order, to find which pairs they consume.
    """
    out = np.empty(n)
    done = 0
    while done < n:
        need = n - done
        w = stream.peek(2 * (need + need // 20 + 64))
        rabs, idx, x, ok = _normal_candidates(w)
        u = _randu53_from(w)
        u_ok = u > 0  # randu53 rejects the pair (0, 0)
        npairs = ok.size
        bad = np.flatnonzero(~ok)
        pos = 0  # the next unread pair
        b = 0

        def uniform(p: int) -> tuple[float, int]:
            while p < npairs and not u_ok[p]:
                p += 1
            if p >= npairs:
                raise IndexError
            return float(u[p]), p + 1

        try:
            while done < n:
                while b < bad.size and bad[b] < pos:
                    b += 1
                stop = int(bad[b]) if b < bad.size else npairs
                take = min(stop - pos, n - done)
                out[done:done + take] = x[pos:pos + take]
                done += take
                pos += take
                if done == n:
                    break
                if pos >= npairs:
                    raise IndexError
                # a failed first try at pair pos: the tail (idx 0) or the wedge test
                i, xv, ra = int(idx[pos]), float(x[pos]), int(rabs[pos])
                p = pos + 1
                if i == 0:
                    while True:
                        u1, p = uniform(p)
                        u2, p = uniform(p)
                        xx = -_NOR_INV_R * math.log(u1)
                        yy = -math.log(u2)
                        if yy + yy > xx * xx:
                            break
                    out[done] = -_NOR_R - xx if ra & 0x100 else _NOR_R + xx
                    done += 1
                else:
                    u1, p = uniform(p)
                    if (_FI[i - 1] - _FI[i]) * u1 + _FI[i] < math.exp(-0.5 * xv * xv):
                        out[done] = xv
                        done += 1
                pos = p
        except IndexError:  # read-ahead exhausted mid-draw: redo that draw with new words
            pass
        stream.words(2 * pos)
    return out


# --------------------------------------------------------------------------- RANLIB (rand('seed'))


class _Ranlib:
    """Octave's old uniform generator: RANLIB's ignlgi/ranf (L'Ecuyer, 1988)."""

    M1, M2 = 2147483563, 2147483399

    def __init__(self, s1: int, s2: int):
        self.s1, self.s2 = s1, s2

    @staticmethod
    def from_seed(seed: float) -> "_Ranlib":
        bits = np.array([seed], dtype=np.float64).view(np.int32)  # little-endian: i[0], i[1]

        def fit(i: int, lo: int, hi: int) -> int:
            i = abs(int(i))
            if i < lo:
                return lo
            return i % hi if i > hi else i

        return _Ranlib(fit(bits[0], 1, 2147483563), fit(bits[1], 1, 2147483399))

    def seed_value(self) -> float:
        return float(np.array([self.s1, self.s2], dtype=np.int32).view(np.float64)[0])

    def uniform(self, n: int) -> np.ndarray:
        out = np.empty(n, dtype=np.float32)
        s1, s2 = self.s1, self.s2
        scale = np.float32(4.656613057e-10)
        for i in range(n):
            k = s1 // 53668
            s1 = 40014 * (s1 - k * 53668) - k * 12211
            if s1 < 0:
                s1 += self.M1
            k = s2 // 52774
            s2 = 40692 * (s2 - k * 52774) - k * 3791
            if s2 < 0:
                s2 += self.M2
            z = s1 - s2
            if z < 1:
                z += self.M1 - 1
            out[i] = np.float32(z) * scale  # ranf, in single precision
        self.s1, self.s2 = s1, s2
        return out.astype(np.float64)


# --------------------------------------------------------------------------- global state


class _State:
    def __init__(self):
        self.streams = {"uniform": _Stream(), "normal": _Stream()}
        self.old: _Ranlib | None = None  # set by rand('seed', s): the old generators are on


_STATE = _State()


def _dims(args: tuple, fcn: str) -> tuple[int, ...] | None:
    """MATLAB's size arguments: () -> None (a scalar), (n,) -> n x n, (m, n, ...), ([m n])."""
    if args and isinstance(args[-1], str):
        if args[-1] == "double":
            args = args[:-1]
        else:
            raise ValueError(f"{fcn}: unsupported class {args[-1]!r} (only 'double')")
    if not args:
        return None
    if len(args) == 1:
        a = np.asarray(args[0])
        dims = [a.item()] * 2 if a.size == 1 else list(a.ravel())
    else:
        dims = []
        for a in args:
            a = np.asarray(a)
            if a.size != 1:
                raise ValueError(f"{fcn}: dimensions must be scalars")
            dims.append(a.item())
    out = []
    for d in dims:
        if isinstance(d, (bool, np.bool_)) or not math.isfinite(float(d)) or float(d) != int(d):
            raise ValueError(f"{fcn}: dimensions must be finite integers, got {d!r}")
        out.append(max(int(d), 0))
    while len(out) > 2 and out[-1] == 1:
        out.pop()
    return tuple(out)


def _shape(values: np.ndarray, dims: tuple[int, ...] | None):
    if dims is None:
        return float(values[0])
    return values.reshape(dims, order="F")


def _seeding(fcn: str, dist: str, args: tuple):
    """The 'state' / 'twister' / 'seed' forms shared by rand and randn; None if not one."""
    if not args or not isinstance(args[0], str) or args[0] in ("double",):
        return None, False
    kind = args[0]
    stream = _STATE.streams[dist]
    if kind in ("state", "twister"):
        if len(args) == 1:
            return stream.octave_state().reshape(-1, 1), True
        value = args[1]
        _STATE.old = None
        if isinstance(value, str):
            if value != "reset":
                raise ValueError(f"{fcn}: unknown '{kind}' value {value!r}")
            stream.seed_entropy()
            return None, True
        value = np.asarray(value)
        key = ([int(v) for v in value.ravel(order="F")] if value.dtype == np.uint32
               else _double_to_uint32(value))
        if len(key) == MT_N + 1 and 0 < key[MT_N] <= MT_N:
            stream.set_octave_state(np.array(key, dtype=np.uint32))
        else:
            stream.set_octave_state(_init_by_array(key[:MT_N + 1] if len(key) > MT_N + 1
                                                   else key))
        return None, True
    if kind == "seed":
        if dist != "uniform":
            raise NotImplementedError(
                f"{fcn}('seed', ...) selects Octave's old RANLIB normal generator, which "
                "ufldl_py does not reproduce; use randn('state', s)")
        if len(args) == 1:
            return (_STATE.old.seed_value() if _STATE.old else 0.0), True
        value = args[1]
        if isinstance(value, str) or np.asarray(value).size != 1:
            raise ValueError(f"{fcn}: seed must be a real scalar")
        _STATE.old = _Ranlib.from_seed(float(np.asarray(value).item()))
        return None, True
    raise ValueError(f"{fcn}: unrecognized string argument {kind!r}")


def _draw_uniform(n: int) -> np.ndarray:
    if _STATE.old is not None:
        return _STATE.old.uniform(n)
    return _uniform(_STATE.streams["uniform"], n)


def rand(*args):
    """Uniform random numbers on (0, 1), as Octave's ``rand`` (rand.cc, randmtzig.cc).

    ``rand()`` -> float; ``rand(n)`` -> n x n; ``rand(m, n, ...)``, ``rand([m, n])``;
    ``rand('state', s)`` / ``rand('twister', s)`` seed (s a scalar or vector, or a saved
    625 x 1 state); ``rand('state')`` returns the state; ``rand('seed', s)`` switches to the
    old RANLIB generator, as Octave does.
    """
    result, handled = _seeding("rand", "uniform", args)
    if handled:
        return result
    dims = _dims(args, "rand")
    n = 1 if dims is None else int(np.prod(dims))
    return _shape(_draw_uniform(n), dims)


def randn(*args):
    """Standard normal random numbers, as Octave's ``randn`` (ziggurat of randmtzig.cc).

    Same call forms as :func:`rand`; ``randn`` has a stream of its own, seeded with
    ``randn('state', s)``.
    """
    result, handled = _seeding("randn", "normal", args)
    if handled:
        return result
    if _STATE.old is not None:
        raise NotImplementedError(
            "after rand('seed', ...), Octave draws randn from its old RANLIB normal generator, "
            "which ufldl_py does not reproduce; seed with rand('state', s) instead")
    dims = _dims(args, "randn")
    n = 1 if dims is None else int(np.prod(dims))
    return _shape(_normal(_STATE.streams["normal"], n), dims)


def randi(imax, *dims):
    """Uniform random integers, as Octave 7's ``randi`` (scripts/general/randi.m).

    ``randi(imax)`` in 1..imax (a float, like ``rand()``), ``randi([imin, imax], ...)``;
    sizes as :func:`rand`.
    Returns float64 values (MATLAB's double), drawn by rejection from ``rand``.
    """
    bounds = np.asarray(imax, dtype=np.float64).ravel()
    if bounds.size == 0 or (bounds != np.fix(bounds)).any():
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
    shape = _dims(dims, "randi") if dims else (1, 1)
    N = int(np.prod(shape))
    rng_ = hi - lo + 1
    K = math.floor((FLINTMAX + 1) / rng_)
    p = (K * rng_) / (FLINTMAX + 1)
    while True:
        M = math.ceil(N / p + 10 * math.sqrt(N / p - N))
        r_prim = np.floor(_draw_uniform(M) * (FLINTMAX + 1))
        r_prim = r_prim[r_prim < K * rng_]
        if r_prim.size >= N:
            break
    ri = lo + np.floor(r_prim[:N] / K)
    return float(ri[0]) if not dims else ri.reshape(shape, order="F")


def _randi_plan(imax: float) -> tuple[int, float, int]:
    """(M, K, range) of a scalar ``randi(imax)`` call: it draws M uniforms and keeps the
    first r = floor(u * (flintmax+1)) below K * range, as 1 + floor(r / K)."""
    rng_ = float(imax)
    K = math.floor((FLINTMAX + 1) / rng_)
    p = (K * rng_) / (FLINTMAX + 1)
    return math.ceil(1 / p + 10 * math.sqrt(1 / p - 1)), K, rng_


def randi_calls(imaxes) -> np.ndarray:
    """``[randi(imax) for imax in imaxes]``: one scalar randi call per element, in order, with
    the same numbers and the same stream position as those calls (MATLAB loops that call
    ``randi(n)`` once per iteration), drawn in one block.

    Each scalar call draws a fixed number M of uniforms (2 for any range below 2^20) and
    keeps the first that is not rejected; where all M of a call are rejected (probability
    below 1e-26), the calls from there on are made one at a time, as Octave makes them.

    Returns
    -------
    values : ndarray (len(imaxes),) of float64 in 1..imax
    """
    imaxes = np.asarray(imaxes, dtype=np.float64).ravel()
    if imaxes.size == 0:
        return imaxes
    if (imaxes != np.fix(imaxes)).any() or imaxes.min() < 1 or imaxes.max() >= FLINTMAX:
        raise ValueError("randi: require integer IMAX with 1 <= IMAX < flintmax()")
    plans = {v: _randi_plan(v) for v in np.unique(imaxes).tolist()}
    Ms = np.array([plans[v][0] for v in imaxes.tolist()], dtype=np.int64)
    Ks = np.array([plans[v][1] for v in imaxes.tolist()], dtype=np.float64)
    saved = get_state()
    r = np.floor(_draw_uniform(int(Ms.sum())) * (FLINTMAX + 1))
    starts = np.concatenate([[0], np.cumsum(Ms)[:-1]])
    first = r[starts]
    ok = first < Ks * imaxes
    values = 1 + np.floor(first / Ks)
    for i in np.flatnonzero(~ok).tolist():  # the first of a call rejected: look further
        chunk = r[starts[i]:starts[i] + Ms[i]]
        kept = chunk[chunk < Ks[i] * imaxes[i]]
        if kept.size:
            values[i] = 1 + np.floor(kept[0] / Ks[i])
            continue
        # every draw of call i rejected: Octave draws again; redo from call i one by one
        set_state(saved)
        head = randi_calls(imaxes[:i])
        tail = [randi(v) for v in imaxes[i:].tolist()]
        return np.concatenate([head, np.array(tail, dtype=np.float64)])
    return values


def randperm(n, m=None) -> np.ndarray:
    """A random permutation of 1..n (its first m entries), as Octave's ``randperm``.

    Returns a 1 x m float64 row of 1-based values (MATLAB's double row vector), drawn with
    a Knuth shuffle on m uniform draws.
    """
    n = int(n)
    m = n if m is None else int(m)
    if m < 0 or n < 0:
        raise ValueError("randperm: M and N must be non-negative")
    if m > n:
        raise ValueError("randperm: M must be less than or equal to N")
    r = _draw_uniform(m)
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


def rng(seed="default"):
    """Seed rand and randn together, as Octave 7's ``rng`` (scripts/general/rng.m).

    ``rng(s)`` with s >= 0 is ``rand('state', s); randn('state', s)``; ``rng('default')`` is
    ``rng(0)`` (Octave's choice; MATLAB's default stream differs); ``rng('shuffle')`` seeds
    from the operating system's entropy.
    """
    if isinstance(seed, str):
        if seed == "default":
            seed = 0.0
        elif seed == "shuffle":
            rand("state", "reset")
            randn("state", "reset")
            return
        else:
            raise ValueError(f"rng: unknown argument {seed!r}")
    if np.asarray(seed).size != 1 or float(seed) < 0:
        raise ValueError("rng: the seed must be a non-negative scalar")
    rand("state", float(seed))
    randn("state", float(seed))


def get_state():
    """A copy of the whole random state (every stream), for :func:`set_state`."""
    return copy.deepcopy(_STATE)


def set_state(state) -> None:
    """Restore a state returned by :func:`get_state`."""
    global _STATE
    _STATE = copy.deepcopy(state)


@contextlib.contextmanager
def isolated(seed=None) -> Iterator[None]:
    """Run a block with its own random state and restore the global one afterwards.

    With ``seed``, the block starts as after ``rng(seed)``.
    """
    saved = get_state()
    try:
        if seed is not None:
            rng(seed)
        yield
    finally:
        set_state(saved)
