"""Octave's Mersenne Twister (liboctave/numeric/oct-rand.cc, randmtzig.cc): MT19937 kept in
Octave's state format (624 words and the position), its seeding (``init_by_array`` on a key
converted from doubles as Octave converts them) and uniform doubles on (0, 1) (``randu53``).

MATLAB's twister (:mod:`.twister`) draws from the same :class:`Stream`.
"""

from __future__ import annotations

import math
import os

import numpy as np

__all__ = ["MT_N", "init_genrand", "init_by_array", "double_to_uint32", "Stream",
           "randu53_from", "uniform", "uniform_into", "next_uniform"]

MT_N = 624

def init_genrand(s: int) -> np.ndarray:
    """MT19937's init_genrand(s): the 624 state words (as uint64) seeded by one integer.

    Parameters
    ----------
    s : int
        The seed.

    Returns
    -------
    ndarray (624,)
        The state words, as uint64.
    """
    state = np.empty(MT_N, dtype=np.uint64)
    state[0] = s & 0xFFFFFFFF
    for j in range(1, MT_N):
        prev = int(state[j - 1])
        state[j] = (1812433253 * (prev ^ (prev >> 30)) + j) & 0xFFFFFFFF
    return state


def init_by_array(key: list[int]) -> np.ndarray:
    """MT19937's init_by_array, as randmtzig.cc's init_mersenne_twister(init_key, len).

    Parameters
    ----------
    key : list of int
        The uint32 key words.

    Returns
    -------
    ndarray (624,)
        The state words.
    """
    mt = [int(v) for v in init_genrand(19650218)]
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


def double_to_uint32(values) -> list[int]:
    """Octave's conversion of a double seed to uint32: round half away, saturate, NaN/Inf -> 0.

    Parameters
    ----------
    values : array_like
        The seed's doubles.

    Returns
    -------
    list of int
    """
    out = []
    for v in np.asarray(values, dtype=np.float64).ravel(order="F"):
        if not math.isfinite(v):
            out.append(0)
        else:
            r = math.floor(abs(v) + 0.5) * (1 if v >= 0 else -1)
            out.append(int(min(max(r, 0), 0xFFFFFFFF)))
    return out


class Stream:
    """One distribution's Mersenne Twister, kept in Octave's state format (624 words + left)."""

    def __init__(self):
        self.bitgen = np.random.MT19937()
        self.seed_entropy()

    def seed_entropy(self) -> None:
        key = np.frombuffer(os.urandom(4 * 8), dtype=np.uint32)
        self.set_octave_state(init_by_array([int(k) for k in key]))

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


def randu53_from(words: np.ndarray) -> np.ndarray:
    """randu53 on consecutive word pairs (a from the first word, b from the second).

    Parameters
    ----------
    words : ndarray
        An even number of uint32 words.

    Returns
    -------
    ndarray
        One double per pair.
    """
    a = (words[0::2] >> np.uint64(5)).astype(np.float64)
    b = (words[1::2] >> np.uint64(6)).astype(np.float64)
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0)


def uniform(stream: Stream, n: int) -> np.ndarray:
    """n draws of Octave's rand_uniform<double> (randu53).

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
    u = np.empty(n)
    uniform_into(stream, u)
    return u


def uniform_into(stream: Stream, out: np.ndarray) -> None:
    """uniform(stream, out.size) written into the 1-D array out.

    Parameters
    ----------
    stream : Stream
        The generator's state, advanced by the draws.
    out : ndarray
        A 1-D float64 array, filled.
    """
    if out.size == 0:
        return
    # numpy's MT19937 doubles are randu53's formula on the same word pairs (one C loop).
    # Only the (0, 0) pair, which randu53 rejects and draws again (a 2^-53 event), gives
    # 0.0: dropping those and drawing as many more at the end is the same sequence.
    np.random.Generator(stream.bitgen).random(out=out)
    if not out.all():
        kept = out[out != 0.0]
        out[:kept.size] = kept
        uniform_into(stream, out[kept.size:])


def next_uniform(u: np.ndarray, u_ok: np.ndarray, p: int) -> tuple[float, int]:
    """The randu53 uniform of the first usable word pair at or after pair p (a pair that makes
    0 is rejected), and the pair after it; IndexError when the read-ahead words run out.

    Parameters
    ----------
    u : ndarray
        randu53 of each word pair read ahead.
    u_ok : ndarray
        Whether each pair is usable.
    p : int
        The first pair to look at.

    Returns
    -------
    float
        The uniform.
    int
        The next pair's index.

    Raises
    ------
    IndexError
        When the read-ahead words run out.
    """
    while p < u.size and not u_ok[p]:
        p += 1
    if p >= u.size:
        raise IndexError
    return float(u[p]), p + 1


