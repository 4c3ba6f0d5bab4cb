"""MATLAB's default generator: ``rng``'s Mersenne twister (init_genrand, seed 0 meaning 5489),
one global stream shared by rand, randn, randi and randperm, and MATLAB's seed check."""

from __future__ import annotations

import math

import numpy as np

from ._common import real_scalar
from .mt19937 import MT_N, Stream, init_genrand
from .v5 import V5Uniform

__all__ = ["MatlabTwister", "matlab_seed", "MATLAB_GENERATORS"]


_MATLAB_DEFAULT_SEED = 5489  # rng(0) and rng('default'): init_genrand(5489), MATLAB's seed 0
MATLAB_GENERATORS = ("twister", "simdTwister", "combRecursive", "multFibonacci", "philox",
                      "threefry", "v5uniform", "v5normal", "v4")


def matlab_seed(seed, fcn: str = "rng") -> int:
    """MATLAB's seed check: an integer in 0 .. 2^32 - 1.

    Parameters
    ----------
    seed : int or float or array_like
        The seed.
    fcn : str
        The function's name, for the message.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        When seed is not a number.
    ValueError
        When it is not an integer scalar in 0 .. 2^32 - 1.
    """
    v = real_scalar(seed, fcn, "the seed")
    if not math.isfinite(v) or v != int(v) or not 0 <= v < 2.0 ** 32:
        raise ValueError(f"{fcn}: the seed must be an integer between 0 and 2^32 - 1, got {v!r}")
    return int(v)


class MatlabTwister:
    """MATLAB's global stream under the twister: one MT19937 for rand, randn, randi, randperm."""

    def __init__(self):
        self.stream = Stream()
        self.v5 = V5Uniform(0)  # rand('state', s): MATLAB's legacy mode for rand
        self.seed(0)

    def seed(self, s: int) -> None:
        self.legacy = False
        self.seed_value = s
        key = init_genrand(_MATLAB_DEFAULT_SEED if s == 0 else s).astype(np.uint32)
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
        self.seed_value = matlab_seed(settings.get("Seed", 0))
        self.legacy = False
        self.stream.bitgen.state = {"bit_generator": "MT19937",
                                    "state": {"key": state[:MT_N].astype(np.uint32),
                                              "pos": int(state[MT_N])}}


