"""Octave's normal generator: the 256-level ziggurat of liboctave/numeric/randmtzig.cc
(``rand_normal<double>`` on 54-bit integers, its tail and wedge rejections included), drawn
from an Octave MT19937 :class:`~.mt19937.Stream`; and :func:`ziggurat_draws`, the walk over
word pairs read ahead that it shares with MATLAB's ziggurat (:mod:`.matlab_ziggurat`)."""

from __future__ import annotations

import math

import numpy as np

from .mt19937 import Stream, next_uniform, randu53_from

__all__ = ["normal", "ziggurat_draws", "NOR_R", "NOR_INV_R"]


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
NOR_R, NOR_INV_R = 3.6541528853610088, 0.27366123732975828


def ziggurat_draws(stream: Stream, n: int, slack: int, first_tries, slow_path) -> np.ndarray:
    """n draws of a ziggurat on word pairs: Octave's :func:`normal` and MATLAB's randn
    (:func:`~.matlab_ziggurat.matlab_normal`).

    Every draw consumes word pairs: a first try takes one pair, and each uniform of the tail or
    wedge test (randu53) one more. So the words are read ahead once, every pair is read both
    as a first try and as a uniform, and the first tries that fail (about 1.5%) are walked
    through one by one, in order, to find which pairs they consume.

    Parameters
    ----------
    stream : Stream
        The generator's state, advanced by the draws (by the pairs they consumed, no more).
    n : int
        How many draws.
    slack : int
        The read-ahead is ``need + need // slack + 64`` pairs for ``need`` draws still to make.
    first_tries : callable
        ``first_tries(words) -> (values, ok, extras)``: each pair's first-try value and
        whether it is taken, and what the slow path needs of the pairs (passed on as is).
    slow_path : callable
        ``slow_path(pos, extras, u, u_ok) -> (value, next_pair)`` for a failed first try at
        pair ``pos``: the draw (None when the try is rejected) and the pair after the last
        one it read, its uniforms taken by :func:`~.mt19937.next_uniform` from the pairs'
        randu53 ``u`` and their usability ``u_ok``. IndexError, when the words read ahead
        run out, has the draw made again from new words.

    Returns
    -------
    ndarray (n,)
    """
    out = np.empty(n)
    done = 0
    while done < n:
        need = n - done
        w = stream.peek(2 * (need + need // slack + 64))
        x, ok, extras = first_tries(w)
        u = randu53_from(w)
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
                v, pos = slow_path(pos, extras, u, u_ok)
                if v is not None:
                    out[done] = v
                    done += 1
        except IndexError:  # read-ahead exhausted mid-draw: redo that draw with new words
            pass
        stream.words(2 * pos)
    return out


def _normal_candidates(words: np.ndarray):
    """randi54 from word pairs, and the ziggurat's first-try value and acceptance (the
    extras for :func:`_normal_slow_path`: each pair's randi54 >> 1, strip and value)."""
    lo = words[0::2]
    hi = words[1::2] & np.uint64(0x3FFFFF)
    r = (hi << np.uint64(32)) | lo
    rabs = (r >> np.uint64(1)).astype(np.int64)
    idx = (rabs & 0xFF).astype(np.intp)
    signed = np.where((r & np.uint64(1)).astype(bool), -rabs, rabs)
    x = signed.astype(np.float64) * _WI[idx]
    return x, rabs < _KI[idx], (rabs, idx, x)


def _normal_slow_path(pos: int, extras, u: np.ndarray, u_ok: np.ndarray):
    """A failed first try at pair pos: the tail (idx 0) or the wedge test."""
    rabs, idx, x = extras
    i, xv, ra = int(idx[pos]), float(x[pos]), int(rabs[pos])
    p = pos + 1
    if i == 0:
        while True:
            u1, p = next_uniform(u, u_ok, p)
            u2, p = next_uniform(u, u_ok, p)
            xx = -NOR_INV_R * math.log(u1)
            yy = -math.log(u2)
            if yy + yy > xx * xx:
                break
        return (-NOR_R - xx if ra & 0x100 else NOR_R + xx), p
    u1, p = next_uniform(u, u_ok, p)
    if (_FI[i - 1] - _FI[i]) * u1 + _FI[i] < math.exp(-0.5 * xv * xv):
        return xv, p
    return None, p


def normal(stream: Stream, n: int) -> np.ndarray:
    """n draws of Octave's rand_normal<double>.

    A first try takes one word pair (randi54), and each uniform of the tail or wedge test
    (randu53) one more; :func:`ziggurat_draws` walks the pairs.

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
    return ziggurat_draws(stream, n, 20, _normal_candidates, _normal_slow_path)
