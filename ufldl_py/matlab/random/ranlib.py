"""Octave's old uniform generator, selected by ``rand('seed', s)``: RANLIB's ignlgi/ranf
(L'Ecuyer's combined generator, 1988), single precision, seeded from the bits of a double."""

from __future__ import annotations

import numpy as np

__all__ = ["Ranlib"]


class Ranlib:
    """Octave's old uniform generator: RANLIB's ignlgi/ranf (L'Ecuyer, 1988).

    Parameters
    ----------
    s1, s2 : int
        The two seeds of L'Ecuyer's combined generator.
    """

    M1, M2 = 2147483563, 2147483399

    def __init__(self, s1: int, s2: int):
        self.s1, self.s2 = s1, s2

    @staticmethod
    def from_seed(seed: float) -> "Ranlib":
        bits = np.array([seed], dtype=np.float64).view(np.int32)  # little-endian: i[0], i[1]

        def fit(i: int, lo: int, hi: int) -> int:
            i = abs(int(i))
            if i < lo:
                return lo
            return i % hi if i > hi else i

        return Ranlib(fit(bits[0], 1, 2147483563), fit(bits[1], 1, 2147483399))

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



