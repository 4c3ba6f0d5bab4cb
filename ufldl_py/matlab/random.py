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

A second dialect, ``dialect('matlab')`` (or ``UFLDL_PY_RANDOM_DIALECT=matlab``), reproduces
MATLAB's default generator instead: ``rng``'s Mersenne twister (init_genrand, seed 0 meaning
5489) shared by rand, randn (MATLAB's 256-level ziggurat), randi and randperm(n), and
``rand('state', s)``, MATLAB 5's 'v5uniform' generator (legacy mode for rand and randperm,
until rng is called). MATLAB's other legacy generators (``randn('state', s)``: v5normal,
``rand('seed', s)``: v4), randn and randi in legacy mode, and randperm(n, k) are refused there
with NotImplementedError.

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

__all__ = ["rand", "rand_into", "randn", "randi", "randi_calls", "randperm", "rng", "get_state",
           "set_state", "isolated", "dialect", "current_dialect", "DIALECTS", "DIALECT_ENV"]

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
    u = np.empty(n)
    _uniform_into(stream, u)
    return u


def _uniform_into(stream: _Stream, out: np.ndarray) -> None:
    """_uniform(stream, out.size) written into the 1-D array out."""
    if out.size == 0:
        return
    # numpy's MT19937 doubles are randu53's formula on the same word pairs (one C loop).
    # Only the (0, 0) pair, which randu53 rejects and draws again (a 2^-53 event), gives
    # 0.0: dropping those and drawing as many more at the end is the same sequence.
    np.random.Generator(stream.bitgen).random(out=out)
    if not out.all():
        kept = out[out != 0.0]
        out[:kept.size] = kept
        _uniform_into(stream, out[kept.size:])


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


def _next_uniform(u: np.ndarray, u_ok: np.ndarray, p: int) -> tuple[float, int]:
    """The randu53 uniform of the first usable word pair at or after pair p (a pair that makes
    0 is rejected), and the pair after it; IndexError when the read-ahead words run out."""
    while p < u.size and not u_ok[p]:
        p += 1
    if p >= u.size:
        raise IndexError
    return float(u[p]), p + 1


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
        bad = np.flatnonzero(~ok)
        pos = 0  # the next unread pair
        b = 0

        try:
            while done < n:
                while b < bad.size and bad[b] < pos:
                    b += 1
                stop = int(bad[b]) if b < bad.size else ok.size
                take = min(stop - pos, n - done)
                out[done:done + take] = x[pos:pos + take]
                done += take
                pos += take
                if done == n:
                    break
                if pos >= ok.size:
                    raise IndexError
                # a failed first try at pair pos: the tail (idx 0) or the wedge test
                i, xv, ra = int(idx[pos]), float(x[pos]), int(rabs[pos])
                p = pos + 1
                if i == 0:
                    while True:
                        u1, p = _next_uniform(u, u_ok, p)
                        u2, p = _next_uniform(u, u_ok, p)
                        xx = -_NOR_INV_R * math.log(u1)
                        yy = -math.log(u2)
                        if yy + yy > xx * xx:
                            break
                    out[done] = -_NOR_R - xx if ra & 0x100 else _NOR_R + xx
                    done += 1
                else:
                    u1, p = _next_uniform(u, u_ok, p)
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



# --------------------------------------------------------------------------- MATLAB's twister


_MATLAB_DEFAULT_SEED = 5489  # rng(0) and rng('default'): init_genrand(5489), MATLAB's seed 0
_MATLAB_GENERATORS = ("twister", "simdTwister", "combRecursive", "multFibonacci", "philox",
                      "threefry", "v5uniform", "v5normal", "v4")


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
_M_R, _M_INV_R = _r15(_NOR_R), _r15(1.0 / _NOR_R)


def _matlab_normal(stream: _Stream, n: int) -> np.ndarray:
    """n draws of MATLAB's randn under the twister: a 256-level ziggurat on word pairs.

    Each try reads two words u0, u1: the strip i = (u1 >> 24) + 1 and a 53-bit uniform on
    [-1, 1), ((u0 >> 3) * 2^24 + (u1 & 0xFFFFFF)) * 2^-52 - 1, scaled by x[i]. It is taken
    when |r| <= x[i-1]; otherwise the wedge test (strips 1..255) or the tail (strip 256) each
    take uniforms of their own (randu53, two words each), and a rejected try starts again.
    """
    out = np.empty(n)
    done = 0
    while done < n:
        need = n - done
        w = stream.peek(2 * (need + need // 16 + 64))
        u0, u1 = w[0::2], w[1::2]
        idx = ((u1 >> np.uint64(24)) + np.uint64(1)).astype(np.intp)
        r = (((u0 >> np.uint64(3)).astype(np.float64) * 16777216.0
              + (u1 & np.uint64(0xFFFFFF)).astype(np.float64)) * 2.0 ** -52 - 1.0) * _MX[idx]
        ok = np.abs(r) <= _MX[idx - 1]
        u = _randu53_from(w)
        u_ok = u > 0
        bad = np.flatnonzero(~ok)
        pos, b = 0, 0

        try:
            while done < n:
                while b < bad.size and bad[b] < pos:
                    b += 1
                stop = int(bad[b]) if b < bad.size else ok.size
                take = min(stop - pos, n - done)
                out[done:done + take] = r[pos:pos + take]
                done += take
                pos += take
                if done == n:
                    break
                if pos >= ok.size:
                    raise IndexError
                i, rv, p = int(idx[pos]), float(r[pos]), pos + 1
                if i < 256:
                    u1v, p = _next_uniform(u, u_ok, p)
                    if _MF[i] + u1v * (_MF[i - 1] - _MF[i]) < math.exp(-0.5 * rv * rv):
                        out[done] = rv
                        done += 1
                else:
                    while True:
                        ua, p = _next_uniform(u, u_ok, p)
                        xx = math.log(ua) * _M_INV_R
                        ub, p = _next_uniform(u, u_ok, p)
                        if -2.0 * math.log(ub) > xx * xx:
                            break
                    out[done] = xx - _M_R if rv < 0 else _M_R - xx
                    done += 1
                pos = p
        except IndexError:  # read-ahead exhausted mid-draw: redo that draw with new words
            pass
        stream.words(2 * pos)
    return out


def _matlab_seed(seed, fcn: str = "rng") -> int:
    """MATLAB's seed check: an integer in 0 .. 2^32 - 1."""
    if seed is None or isinstance(seed, (str, bool, np.bool_)) or \
            not np.issubdtype(np.asarray(seed).dtype, np.number) or np.iscomplexobj(seed):
        raise TypeError(f"{fcn}: the seed must be a number, got {seed!r}")
    a = np.asarray(seed, dtype=np.float64)
    if a.size != 1:
        raise ValueError(f"{fcn}: the seed must be a scalar, got shape {a.shape}")
    v = float(a.item())
    if not math.isfinite(v) or v != int(v) or not 0 <= v < 2.0 ** 32:
        raise ValueError(f"{fcn}: the seed must be an integer between 0 and 2^32 - 1, got {v!r}")
    return int(v)


def _xorshift32(j: int) -> int:
    """Marsaglia's 32-bit xor-shift (shifts 13, 17, 5)."""
    j ^= (j << 13) & 0xFFFFFFFF
    j ^= j >> 17
    return j ^ ((j << 5) & 0xFFFFFFFF)


class _V5Uniform:
    """MATLAB 5's uniform generator, 'v5uniform', selected by ``rand('state', s)``.

    As described by Moler (Numerical Computing with MATLAB, ch. 9, "Random Numbers"):
    Marsaglia's subtract-with-borrow generator on 32 doubles in [0, 1),
    z[i] = z[i+20] - z[i+5] - b (indices mod 32, b one ulp 2^-53 after a borrow), whose
    result's 52 fraction bits are xor'ed with 52 bits of a 32-bit xor-shift generator j (its
    new word's low 20 bits above its previous word's 32). The seed s sets j (0 meaning 2^31),
    and the 32 doubles are built bit by bit from bit 19 of 53 * 32 xor-shift steps of j,
    which leave j itself at s. Each double is kept here as an integer count of 2^-53, so the
    subtraction is exact, as it is in doubles.
    """

    def __init__(self, seed: int = 0):
        self.seed(seed)

    def seed(self, s: int) -> None:
        j = s if s else 2 ** 31
        self.z = []
        for _ in range(32):
            x = 0
            for _ in range(53):
                j = _xorshift32(j)
                x = 2 * x + ((j >> 19) & 1)
            self.z.append(x)
        self.i, self.b, self.j = 0, 0, s if s else 2 ** 31

    def state(self) -> np.ndarray:
        """35 x 1: the 32 doubles, the borrow, and i and j times 2^-52 (Moler's layout)."""
        return np.array([x * 2.0 ** -53 for x in self.z]
                        + [self.b * 2.0 ** -53, self.i * 2.0 ** -52, self.j * 2.0 ** -52]
                        ).reshape(-1, 1)

    def restore(self, state) -> None:
        v = np.asarray(state, dtype=np.float64).ravel()
        z = v[:32] * 2.0 ** 53
        b, i, j = v[32] * 2.0 ** 53, v[33] * 2.0 ** 52, v[34] * 2.0 ** 52
        if ((z != np.floor(z)) | (z < 0) | (z >= 2.0 ** 53)).any() or b not in (0, 1) or \
                i not in range(32) or j != int(j) or not 0 < j < 2 ** 32:
            raise ValueError("rand: not a 35-element 'state' vector of rand('state')")
        self.z, self.b, self.i, self.j = [int(x) for x in z], int(b), int(i), int(j)

    def uniform(self, n: int) -> np.ndarray:
        out = np.empty(n)
        z, i, b, j = self.z, self.i, self.b, self.j
        two53 = 2 ** 53
        for k in range(n):
            x = z[(i + 20) & 31] - z[(i + 5) & 31] - b
            b = 1 if x < 0 else 0
            x += b * two53
            z[i] = x
            i = (i + 1) & 31
            jhi = _xorshift32(j)
            mask = ((jhi & 0xFFFFF) << 32) | j
            j = jhi
            if x == 0:
                out[k] = mask * 2.0 ** -53
            else:  # the 53 significant bits of x, their 52 fraction bits xor'ed with mask
                e = x.bit_length()
                out[k] = ((x << (53 - e)) ^ mask) * 2.0 ** (e - 106)
        self.i, self.b, self.j = i, b, j
        return out


class _MatlabTwister:
    """MATLAB's global stream under the twister: one MT19937 for rand, randn, randi, randperm."""

    def __init__(self):
        self.stream = _Stream()
        self.v5 = _V5Uniform(0)  # rand('state', s): MATLAB's legacy mode for rand
        self.seed(0)

    def seed(self, s: int) -> None:
        self.legacy = False
        self.seed_value = s
        key = _init_genrand(_MATLAB_DEFAULT_SEED if s == 0 else s).astype(np.uint32)
        self.stream.set_octave_state(np.concatenate([key, np.array([1], dtype=np.uint32)]))

    def settings(self) -> dict:
        """rng's struct: Type, Seed and State (624 words and MATLAB's index mti, 625 x 1)."""
        st = self.stream.bitgen.state["state"]
        state = np.concatenate([st["key"].astype(np.uint32), np.array([st["pos"]], np.uint32)])
        return {"Type": "twister", "Seed": float(self.seed_value), "State": state.reshape(-1, 1)}

    def restore(self, settings: dict) -> None:
        state = np.asarray(settings["State"]).ravel()
        if state.size != MT_N + 1 or not 0 < int(state[MT_N]) <= MT_N:
            raise ValueError("rng: the State of a twister settings struct must be 625 x 1 "
                             "uint32 (624 words and an index 1..624)")
        self.seed_value = _matlab_seed(settings.get("Seed", 0))
        self.legacy = False
        self.stream.bitgen.state = {"bit_generator": "MT19937",
                                    "state": {"key": state[:MT_N].astype(np.uint32),
                                              "pos": int(state[MT_N])}}


def _matlab_uniform(n: int) -> np.ndarray:
    """n doubles of rand's generator in the MATLAB dialect: the twister, or v5uniform after
    rand('state', s) until rng is called."""
    twister = _STATE.matlab
    return twister.v5.uniform(n) if twister.legacy else _uniform(twister.stream, n)


def _matlab_refuse_in_legacy(fcn: str) -> None:
    if _STATE.matlab.legacy:
        raise NotImplementedError(
            f"{fcn} after rand('state', s): in MATLAB's legacy mode {fcn} draws from a "
            "generator that ufldl_py's MATLAB dialect does not reproduce; seed with rng(s)")


def _matlab_rand_state(args: tuple):
    """rand('state') and rand('state', s) in the MATLAB dialect (v5uniform)."""
    v5 = _STATE.matlab.v5
    if len(args) == 1:
        return v5.state()
    if len(args) > 2:
        raise TypeError("rand: rand('state', s) takes one value")
    value = args[1]
    if isinstance(value, str) or value is None or \
            not np.issubdtype(np.asarray(value).dtype, np.number) or np.iscomplexobj(value):
        raise TypeError(f"rand: the 'state' value must be a number or a 35-element state, "
                        f"got {value!r}")
    if np.asarray(value).size == 35:
        v5.restore(value)
    else:
        v5.seed(_matlab_seed(value, "rand"))
    _STATE.matlab.legacy = True
    return None


def _matlab_legacy(fcn: str, kind: str):
    generator = {"state": "v5uniform" if fcn == "rand" else "v5normal", "seed": "v4",
                 "twister": "legacy twister"}.get(kind)
    if generator is None:
        raise ValueError(f"{fcn}: unrecognized string argument {kind!r}")
    raise NotImplementedError(
        f"{fcn}('{kind}', ...) selects MATLAB's {generator} generator, which ufldl_py's MATLAB "
        "dialect does not reproduce; seed with rng(s) (the twister), or use the Octave dialect")


# --------------------------------------------------------------------------- global state


class _State:
    def __init__(self):
        self.streams = {"uniform": _Stream(), "normal": _Stream()}
        self.old: _Ranlib | None = None  # set by rand('seed', s): the old generators are on
        self.matlab = _MatlabTwister()  # the MATLAB dialect's one global stream


_STATE = _State()


# --------------------------------------------------------------------------- dialects

DIALECTS = ("octave", "matlab")
DIALECT_ENV = "UFLDL_PY_RANDOM_DIALECT"


def _check_dialect(name) -> str:
    if not isinstance(name, str):
        raise TypeError(f"dialect: the name must be a string, got {name!r}")
    if name.lower() not in DIALECTS:
        raise ValueError(f"dialect: unknown dialect {name!r} (one of {', '.join(DIALECTS)})")
    return name.lower()


def _dialect_from_env() -> str:
    value = os.environ.get(DIALECT_ENV, "").strip()
    if not value:
        return "octave"
    try:
        return _check_dialect(value)
    except ValueError:
        raise ValueError(f"{DIALECT_ENV}={value!r}: unknown dialect "
                         f"(one of {', '.join(DIALECTS)})") from None


_DIALECT = _dialect_from_env()


def current_dialect() -> str:
    """The dialect in use: 'octave' (the default) or 'matlab'."""
    return _DIALECT


class dialect:
    """Choose whose random streams rand, randn, randi, randperm and rng reproduce.

    ``dialect('matlab')`` switches for the rest of the process; ``with dialect('matlab'):``
    switches for a block and restores the previous dialect afterwards. The environment
    variable ``UFLDL_PY_RANDOM_DIALECT`` (``octave`` or ``matlab``) sets the dialect at import.

    - 'octave' (default): Octave 7's generators, bit for bit (see the module docstring).
    - 'matlab': MATLAB's default generator, the Mersenne twister of ``rng``: one global
      stream shared by rand, randn, randi and randperm, started as after ``rng('default')``;
      ``rand('state', s)`` switches rand and randperm to MATLAB 5's v5uniform (until rng is
      called). MATLAB's other legacy generators (``randn('state', s)``: v5normal,
      ``rand('seed', s)``: v4), randn and randi after ``rand('state', s)``, and
      ``randperm(n, k)`` raise NotImplementedError.
    """

    def __init__(self, name: str):
        global _DIALECT
        name = _check_dialect(name)
        self.previous = _DIALECT
        self.name = name
        _DIALECT = name

    def __enter__(self) -> "dialect":
        return self

    def __exit__(self, *exc) -> None:
        global _DIALECT
        _DIALECT = self.previous

    def __repr__(self) -> str:
        return f"dialect({self.name!r})"


def _matlab() -> bool:
    return _DIALECT == "matlab"


def _dims(args: tuple, fcn: str) -> tuple[int, ...] | None:
    """MATLAB's size arguments: () -> None (a scalar), (n,) -> n x n, (m, n, ...), ([m n])."""
    if args and isinstance(args[-1], str):
        if args[-1] == "double":
            args = args[:-1]
        else:
            raise ValueError(f"{fcn}: unsupported class {args[-1]!r} (only 'double')")
    if not args:
        return None
    for a in args:
        if isinstance(a, str):
            raise ValueError(f"{fcn}: unrecognized string argument {a!r}")
        if a is None or not np.issubdtype(np.asarray(a).dtype, np.number):
            raise TypeError(f"{fcn}: dimensions must be numbers, got {a!r}")
    if len(args) == 1:
        a = np.asarray(args[0])
        if a.size == 0:  # rand([]): an empty 0 x 0 matrix, and nothing drawn
            return (0, 0)
        if a.ndim > 2 or (a.ndim == 2 and min(a.shape) != 1):
            raise ValueError(f"{fcn}: the size argument must be a scalar or a vector, "
                             f"got shape {a.shape}")
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
        if (isinstance(d, (bool, np.bool_, complex)) or not math.isfinite(float(d))
                or float(d) != int(d)):
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
        if value is None or not np.issubdtype(np.asarray(value).dtype, np.number) \
                or np.iscomplexobj(value):
            raise TypeError(f"{fcn}: the '{kind}' value must be a real number or vector, "
                            f"got {value!r}")
        value = np.asarray(value)
        if value.size == 0:
            # Octave's init_by_array would read one word past an empty key (uninitialised
            # memory: a different stream on every run), so there is nothing to reproduce.
            raise ValueError(f"{fcn}: the '{kind}' seed is empty; give a scalar or a vector")
        key = ([int(v) for v in value.ravel(order="F")] if value.dtype == np.uint32
               else _double_to_uint32(value))
        if len(key) == MT_N + 1 and 0 < key[MT_N] <= MT_N:
            stream.set_octave_state(np.array(key, dtype=np.uint32))
        else:  # every word of a longer key is used, as Octave's init_by_array does
            stream.set_octave_state(_init_by_array(key))
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


def rand_into(out: np.ndarray) -> np.ndarray:
    """``out(:) = rand(numel(out), 1)`` without a new array: the next ``out.size`` draws of
    rand, in the order rand draws them, written into the contiguous float64 array ``out``
    (flat index order). Not a MATLAB function: for loops that draw a matrix every step, such
    as rbmtrain's sigmrnd, where ``rand(m, n)`` is ``out.reshape(n, m).T`` of a buffer of
    m * n (MATLAB fills column by column)."""
    if not (isinstance(out, np.ndarray) and out.flags.c_contiguous and out.flags.writeable
            and out.dtype == np.float64):
        raise ValueError("rand_into needs a writeable C-contiguous float64 array")
    flat = out.reshape(-1)
    if _matlab():
        if _STATE.matlab.legacy:
            flat[:] = _matlab_uniform(flat.size)
        else:
            _uniform_into(_STATE.matlab.stream, flat)
    elif _STATE.old is not None:
        flat[:] = _STATE.old.uniform(flat.size)
    else:
        _uniform_into(_STATE.streams["uniform"], flat)
    return out


def rand(*args):
    """Uniform random numbers on (0, 1), as Octave's ``rand`` (rand.cc, randmtzig.cc).

    ``rand()`` -> float; ``rand(n)`` -> n x n; ``rand(m, n, ...)``, ``rand([m, n])``;
    ``rand('state', s)`` / ``rand('twister', s)`` seed (s a scalar or vector, or a saved
    625 x 1 state); ``rand('state')`` returns the state; ``rand('seed', s)`` switches to the
    old RANLIB generator, as Octave does.
    """
    if _matlab():
        if args and isinstance(args[0], str) and args[0] != "double":
            if args[0] == "state":
                return _matlab_rand_state(args)
            _matlab_legacy("rand", args[0])
        dims = _dims(args, "rand")
        n = 1 if dims is None else int(np.prod(dims))
        return _shape(_matlab_uniform(n), dims)
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
    if _matlab():
        if args and isinstance(args[0], str) and args[0] != "double":
            _matlab_legacy("randn", args[0])
        _matlab_refuse_in_legacy("randn")
        dims = _dims(args, "randn")
        n = 1 if dims is None else int(np.prod(dims))
        return _shape(_matlab_normal(_STATE.matlab.stream, n), dims)
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
    Returns float64 values (MATLAB's double), drawn by rejection from ``rand``. In the MATLAB
    dialect, ``imin + floor(u * (imax - imin + 1))`` on one twister double ``u`` per value.
    """
    if imax is None or isinstance(imax, (str, bool, np.bool_)) or \
            not np.issubdtype(np.asarray(imax).dtype, np.number) or np.iscomplexobj(imax):
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
    shape = _dims(dims, "randi") if dims else (1, 1)
    N = int(np.prod(shape))
    if _matlab():  # MATLAB: imin + floor(rand * (imax - imin + 1)), one double per value
        _matlab_refuse_in_legacy("randi")
        ri = lo + np.floor(_uniform(_STATE.matlab.stream, N) * (hi - lo + 1))
        return float(ri[0]) if not dims else ri.reshape(shape, order="F")
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


def _count(v, name: str) -> int:
    if v is None or isinstance(v, (str, bool, np.bool_)) or \
            not np.issubdtype(np.asarray(v).dtype, np.number) or np.iscomplexobj(v):
        raise TypeError(f"randperm: {name} must be a number, got {v!r}")
    a = np.asarray(v, dtype=np.float64)
    if a.size != 1:
        raise ValueError(f"randperm: {name} must be a scalar, got shape {a.shape}")
    x = float(a.item())
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
    """
    imaxes = [float(v) for v in np.asarray(imaxes, dtype=np.float64).ravel()]
    count = int(count)
    for imax in imaxes:
        if imax < 1 or imax != math.floor(imax) or imax >= FLINTMAX:
            raise ValueError(f"randi: IMAX must be an integer in 1..flintmax(), got {imax:g}")
    if count <= 0 or not imaxes:
        return np.zeros((max(count, 0), len(imaxes)))
    if _matlab():  # MATLAB's randi is one uniform per value: no blocks to batch
        return np.array([[randi(imax) for imax in imaxes] for _ in range(count)])
    plans = [_randi_scalar_plan(imax) for imax in imaxes]
    per_round = sum(M for M, _, _ in plans)
    saved = get_state()
    u = _draw_uniform(count * per_round).reshape(count, per_round)
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
    """
    n = _count(n, "N")
    if _matlab():
        if m is not None:
            raise NotImplementedError(
                "randperm(n, k) in MATLAB's dialect: MATLAB draws it with an algorithm of its "
                "own that ufldl_py does not reproduce (MATLAB's documentation: randperm(n, n) "
                "and randperm(n) give different orders); use randperm(n) and take k entries")
        # MATLAB: the order that sorts n twister doubles (its randperm.m, [~, p] = sort(rand(1, n)))
        r = _matlab_uniform(n)  # v5uniform's after rand('state', s), as randperm.m's rand
        return (np.argsort(r, kind="stable") + 1).astype(np.float64).reshape(1, n)
    m = n if m is None else _count(m, "M")
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


def rng(*args):
    """Seed, save and restore the generators, as ``rng`` (Octave 7's scripts/general/rng.m, or
    MATLAB's in the MATLAB dialect). Returns the settings as they were before the call.

    ``rng()`` -> the settings, a dict with MATLAB's fields ``Type``, ``Seed`` and ``State``;
    ``rng(s)`` and ``rng(s, 'twister')`` seed; ``rng('default')``; ``rng('shuffle')`` seeds
    from the operating system's entropy; ``rng(settings)`` restores saved settings.

    Octave: ``rng(s)`` is ``rand('state', s); randn('state', s)`` (any s >= 0),
    ``rng('default')`` is ``rng(0)``, the State is a list of rand's and randn's 625 x 1
    states, and ``rng(s, 'v5uniform')`` is ``rand('seed', s)`` as in Octave's rng.m.
    MATLAB: one twister for all four functions, seeded by init_genrand(s) (s an integer in
    0 .. 2^32 - 1, and 0 meaning 5489), the State its 624 words and index, 625 x 1 uint32.
    """
    if len(args) > 2:
        raise TypeError(f"rng: at most 2 arguments (seed and generator), got {len(args)}")
    if _matlab():
        return _rng_matlab(args)
    previous = {"Type": "twister", "Seed": "Not applicable",
                "State": [rand("state"), randn("state")]}
    if not args:
        return previous
    arg, generator = args[0], _rng_generator(args[1:])
    if isinstance(arg, dict):
        if len(args) != 1:
            raise TypeError("rng: a settings struct takes no generator argument")
        if set(arg) != {"Type", "Seed", "State"}:
            raise ValueError('rng: input structure requires "Type", "Seed", "State" fields')
        generator = arg["Type"]
        state = arg["State"]
        s_rand, s_randn = (state if isinstance(state, (list, tuple)) else (state, state))
    elif isinstance(arg, str):
        if arg.lower() == "shuffle":
            s_rand = s_randn = "reset"
        elif arg.lower() == "default" and len(args) == 1:
            generator, s_rand, s_randn = "twister", 0.0, 0.0
        else:
            raise ValueError(f"rng: unknown argument {arg!r}")
    else:
        if arg is None or isinstance(arg, (bool, np.bool_)) or \
                not np.issubdtype(np.asarray(arg).dtype, np.number) or np.iscomplexobj(arg):
            raise TypeError(f"rng: the seed must be a real number, got {arg!r}")
        if np.asarray(arg).size != 1 or not float(np.asarray(arg).item()) >= 0:
            raise ValueError(f"rng: the seed must be a non-negative scalar, got {arg!r}")
        s_rand = s_randn = float(np.asarray(arg).item())
    generator = generator or "twister"
    if generator == "twister":
        rand("state", s_rand)
        randn("state", s_randn)
    elif generator == "legacy":
        rand("seed", s_rand)
        randn("seed", s_randn)
    elif generator == "v5uniform":
        rand("seed", s_rand)
    elif generator == "v5normal":
        randn("seed", s_randn)
    else:
        raise ValueError(f'rng: invalid GENERATOR: "{generator}"')
    return previous


def _rng_generator(rest: tuple) -> str:
    """Octave's check_generator: '' or a generator Octave has."""
    if not rest:
        return ""
    if not isinstance(rest[0], str):
        raise TypeError("rng: GENERATOR must be a string")
    gen = rest[0].lower()
    if gen in ("simdtwister", "combrecursive", "philox", "threefry", "multfibonacci", "v4"):
        raise ValueError(f'rng: random number generator "{gen}" is not available in Octave')
    if gen not in ("twister", "v5uniform", "v5normal"):
        raise ValueError(f'rng: unknown random number generator "{gen}"')
    return gen


def _rng_matlab(args: tuple):
    """rng in the MATLAB dialect: only the twister is reproduced."""
    twister = _STATE.matlab
    previous = (twister.settings() if not twister.legacy else
                {"Type": "Legacy", "Seed": "Not applicable", "State": twister.v5.state()})
    if not args:
        return previous
    arg = args[0]
    if len(args) == 2:
        gen = args[1]
        if not isinstance(gen, str):
            raise TypeError(f"rng: the generator must be a string, got {gen!r}")
        if gen.lower() != "twister":
            known = {g.lower(): g for g in _MATLAB_GENERATORS}
            if gen.lower() not in known:
                raise ValueError(f"rng: unknown generator {gen!r}")
            raise NotImplementedError(
                f"rng(s, '{known[gen.lower()]}'): MATLAB's {known[gen.lower()]} generator is not "
                "reproduced by ufldl_py's MATLAB dialect (only 'twister' is)")
    if isinstance(arg, dict):
        if len(args) != 1:
            raise TypeError("rng: a settings struct takes no generator argument")
        if not {"Type", "State"} <= set(arg):
            raise ValueError('rng: the settings struct needs the fields "Type", "Seed", "State"')
        if str(arg["Type"]).lower() == "legacy":  # saved after rand('state', s)
            twister.v5.restore(arg["State"])
            twister.legacy = True
            return previous
        if str(arg["Type"]).lower() != "twister":
            raise NotImplementedError(
                f"rng: MATLAB's {arg['Type']} generator is not reproduced by ufldl_py's "
                "MATLAB dialect (only 'twister' is)")
        twister.restore(arg)
    elif isinstance(arg, str):
        if arg.lower() == "default" and len(args) == 1:
            twister.seed(0)
        elif arg.lower() == "shuffle":
            twister.seed(int.from_bytes(os.urandom(4), "little"))
        else:
            raise ValueError(f"rng: unknown argument {arg!r}")
    else:
        twister.seed(_matlab_seed(arg))
    return previous


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
