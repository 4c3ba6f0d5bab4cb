"""MATLAB 5's uniform generator 'v5uniform', selected in MATLAB by ``rand('state', s)``."""

from __future__ import annotations

import numpy as np

__all__ = ["V5Uniform"]


def _xorshift32(j: int) -> int:
    """Marsaglia's 32-bit xor-shift (shifts 13, 17, 5)."""
    j ^= (j << 13) & 0xFFFFFFFF
    j ^= j >> 17
    return j ^ ((j << 5) & 0xFFFFFFFF)


class V5Uniform:
    """MATLAB 5's uniform generator, 'v5uniform', selected by ``rand('state', s)``.

    As described by Moler (Numerical Computing with MATLAB, ch. 9, "Random Numbers"):
    Marsaglia's subtract-with-borrow generator on 32 doubles in [0, 1),
    z[i] = z[i+20] - z[i+5] - b (indices mod 32, b one ulp 2^-53 after a borrow), whose
    result's 52 fraction bits are xor'ed with 52 bits of a 32-bit xor-shift generator j (its
    new word's low 20 bits above its previous word's 32). The seed s sets j (0 meaning 2^31),
    and the 32 doubles are built bit by bit from bit 19 of 53 * 32 xor-shift steps of j,
    which leave j itself at s. Each double is kept here as an integer count of 2^-53, so the
    subtraction is exact, as it is in doubles.

    Parameters
    ----------
    seed : int
        s of ``rand('state', s)``.
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


