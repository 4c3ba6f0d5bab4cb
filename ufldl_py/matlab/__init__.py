"""MATLAB semantics, the one place that knows MATLAB's quirks: array primitives (ops),
Octave-exact random numbers (random), .mat files (io), the Octave bridge (octave) and the
boundary checks every port uses (validate).

``from ufldl_py.matlab import conv2, rand, loadmat``.
"""

from . import ops
from .io import loadmat, savemat
from .ops import *  # noqa: F403
from .random import rand, randi, randn, randperm, rng

__all__ = [*ops.__all__, "rand", "randn", "randi", "randperm", "rng", "loadmat", "savemat"]
