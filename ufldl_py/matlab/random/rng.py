"""``rng`` in both dialects, and :func:`isolated` (a block with its own random state)."""

from __future__ import annotations

import contextlib
import os
from typing import Iterator

import numpy as np

from ._common import is_real
from .functions import rand, randn
from .state import STATE, get_state, is_matlab, set_state
from .twister import MATLAB_GENERATORS, matlab_seed

__all__ = ["rng", "isolated"]


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

    Parameters
    ----------
    *args
        As above: nothing, a seed (and a generator's name), 'default', 'shuffle' or saved settings.

    Returns
    -------
    dict
        The settings before the call (Type, Seed, State).
    """
    if len(args) > 2:
        raise TypeError(f"rng: at most 2 arguments (seed and generator), got {len(args)}")
    if is_matlab():
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
        if not is_real(arg):
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
    twister = STATE.matlab
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
            known = {g.lower(): g for g in MATLAB_GENERATORS}
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
        twister.seed(matlab_seed(arg))
    return previous


@contextlib.contextmanager
def isolated(seed=None) -> Iterator[None]:
    """Run a block with its own random state and restore the global one afterwards.

    With ``seed``, the block starts as after ``rng(seed)``.

    Parameters
    ----------
    seed : optional
        A seed for ``rng(seed)`` at the block's start.
    """
    saved = get_state()
    try:
        if seed is not None:
            rng(seed)
        yield
    finally:
        set_state(saved)

