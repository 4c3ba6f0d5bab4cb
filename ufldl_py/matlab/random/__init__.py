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

The dialect is read when a function is called: ``dialect(name)``'s choice, else
``$UFLDL_PY_RANDOM_DIALECT`` (through :func:`ufldl_py.config.random_dialect`; a bad value
raises :class:`ufldl_py.config.ConfigError` at that call, never at import).

Sizes are checked before anything is allocated: an array over ``MAX_ARRAY_BYTES`` (8 GiB)
is refused with a ValueError naming the argument and the bytes asked, as MATLAB's
"Requested 100000x100000 (74.5GB) array exceeds maximum array size preference".

One module per generator: :mod:`.mt19937` (Octave's and MATLAB's Mersenne Twister, randu53),
:mod:`.ziggurat` (Octave's normal), :mod:`.ranlib` (Octave's rand('seed')), :mod:`.twister`
(MATLAB's rng twister), :mod:`.matlab_ziggurat` (MATLAB's randn), :mod:`.v5` (MATLAB 5's
v5uniform); :mod:`.state` holds the streams and the dialect, :mod:`.functions` and
:mod:`.rng` the MATLAB functions.
"""

from __future__ import annotations

import numpy as np  # noqa: F401  (R.np: the tests reach numpy's generators through it)

from ._common import MAX_ARRAY_BYTES
from .functions import rand, rand_into, randi, randi_calls, randn, randperm
from .rng import isolated, rng
from .state import DIALECT_ENV, DIALECTS, current_dialect, dialect, get_state, set_state

__all__ = ["rand", "rand_into", "randn", "randi", "randi_calls", "randperm", "rng", "get_state",
           "set_state", "isolated", "dialect", "current_dialect", "DIALECTS", "DIALECT_ENV",
           "MAX_ARRAY_BYTES"]
