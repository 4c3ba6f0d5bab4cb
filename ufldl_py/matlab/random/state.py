"""The random state of the process (every stream of both dialects) and the dialect in use.

The dialect is ``dialect(name)``'s choice when one was made, else
``$UFLDL_PY_RANDOM_DIALECT`` read at the time of the call (:func:`ufldl_py.config.random_dialect`:
a bad value raises :class:`ufldl_py.config.ConfigError` then, never at import).
"""

from __future__ import annotations

import copy

import numpy as np

from ... import config
from .mt19937 import Stream, uniform
from .ranlib import Ranlib
from .twister import MatlabTwister

__all__ = ["State", "STATE", "DIALECTS", "DIALECT_ENV", "current_dialect", "dialect",
           "is_matlab", "draw_uniform", "matlab_uniform", "refuse_in_legacy", "get_state",
           "set_state"]

DIALECTS = config.DIALECTS
DIALECT_ENV = config.RANDOM_DIALECT


class State:
    """Every stream: Octave's rand and randn twisters, its old RANLIB generator (on after
    ``rand('seed', s)``), and the MATLAB dialect's one global twister."""

    def __init__(self):
        self.streams = {"uniform": Stream(), "normal": Stream()}
        self.old: Ranlib | None = None  # set by rand('seed', s): the old generators are on
        self.matlab = MatlabTwister()  # the MATLAB dialect's one global stream


#: the process's random state (one object, whose contents set_state replaces)
STATE = State()


def get_state():
    """A copy of the whole random state (every stream), for :func:`set_state`.

    Returns
    -------
    state : State
        An independent copy.
    """
    return copy.deepcopy(STATE)


def set_state(state) -> None:
    """Restore a state returned by :func:`get_state`.

    Parameters
    ----------
    state : State
        As :func:`get_state` returned it (copied, so it can be restored again).
    """
    if not isinstance(state, State):
        raise TypeError(f"set_state: expected a state from get_state(), got "
                        f"{type(state).__name__}")
    STATE.__dict__.update(copy.deepcopy(state).__dict__)


# --------------------------------------------------------------------------- dialects

_chosen: str | None = None  # dialect(name)'s choice; None: the environment's


def _check_dialect(name) -> str:
    if not isinstance(name, str):
        raise TypeError(f"dialect: the name must be a string, got {name!r}")
    if name.lower() not in DIALECTS:
        raise ValueError(f"dialect: unknown dialect {name!r} (one of {', '.join(DIALECTS)})")
    return name.lower()


def current_dialect() -> str:
    """The dialect in use: 'octave' (the default) or 'matlab'.

    Returns
    -------
    name : str
        ``dialect(name)``'s choice, else ``$UFLDL_PY_RANDOM_DIALECT``, else 'octave'.

    Raises
    ------
    ufldl_py.config.ConfigError
        No dialect was chosen and the environment variable names an unknown one.
    """
    return _chosen if _chosen is not None else config.random_dialect()


class dialect:
    """Choose whose random streams rand, randn, randi, randperm and rng reproduce.

    ``dialect('matlab')`` switches for the rest of the process; ``with dialect('matlab'):``
    switches for a block and restores the previous choice afterwards. Without a choice, the
    environment variable ``UFLDL_PY_RANDOM_DIALECT`` (``octave`` or ``matlab``) is read at
    each call; a choice made here overrides it.

    - 'octave' (default): Octave 7's generators, bit for bit (see the package docstring).
    - 'matlab': MATLAB's default generator, the Mersenne twister of ``rng``: one global
      stream shared by rand, randn, randi and randperm, started as after ``rng('default')``;
      ``rand('state', s)`` switches rand and randperm to MATLAB 5's v5uniform (until rng is
      called). MATLAB's other legacy generators (``randn('state', s)``: v5normal,
      ``rand('seed', s)``: v4), randn and randi after ``rand('state', s)``, and
      ``randperm(n, k)`` raise NotImplementedError.

    Parameters
    ----------
    name : str
        'octave' or 'matlab' (any case).

    Raises
    ------
    ValueError
        Another name.
    TypeError
        ``name`` is not a string.
    """

    def __init__(self, name: str):
        global _chosen
        name = _check_dialect(name)
        self._saved = _chosen
        self.name = name
        _chosen = name

    @property
    def previous(self) -> str:
        """The dialect that was in use before this one (what leaving the block restores)."""
        return self._saved if self._saved is not None else config.random_dialect()

    def __enter__(self) -> "dialect":
        return self

    def __exit__(self, *exc) -> None:
        global _chosen
        _chosen = self._saved

    def __repr__(self) -> str:
        return f"dialect({self.name!r})"


def is_matlab() -> bool:
    """Whether the MATLAB dialect is in use (see :func:`current_dialect`).

    Returns
    -------
    bool
    """
    return current_dialect() == "matlab"


# --------------------------------------------------------------------------- draws


def draw_uniform(n: int) -> np.ndarray:
    """n doubles of Octave's rand: its twister, or RANLIB after ``rand('seed', s)``.

    Parameters
    ----------
    n : int
        How many draws.

    Returns
    -------
    ndarray (n,)
    """
    if STATE.old is not None:
        return STATE.old.uniform(n)
    return uniform(STATE.streams["uniform"], n)


def matlab_uniform(n: int) -> np.ndarray:
    """n doubles of rand's generator in the MATLAB dialect: the twister, or v5uniform after
    rand('state', s) until rng is called.

    Parameters
    ----------
    n : int
        How many draws.

    Returns
    -------
    ndarray (n,)
    """
    twister = STATE.matlab
    return twister.v5.uniform(n) if twister.legacy else uniform(twister.stream, n)


def refuse_in_legacy(fcn: str) -> None:
    """NotImplementedError for randn and randi in MATLAB's legacy mode (after rand('state')).

    Parameters
    ----------
    fcn : str
        The function asked for ('randn' or 'randi').

    Raises
    ------
    NotImplementedError
        In MATLAB's legacy mode.
    """
    if STATE.matlab.legacy:
        raise NotImplementedError(
            f"{fcn} after rand('state', s): in MATLAB's legacy mode {fcn} draws from a "
            "generator that ufldl_py's MATLAB dialect does not reproduce; seed with rng(s)")
