"""Every ``UFLDL_PY_*`` environment variable the package reads, in one place.

Each is read when it is used (never at import), so that a value set after ``import ufldl_py``
counts and a bad value fails the call that needs it, with a one-line
:class:`ConfigError` naming the variable, instead of failing the import.

======================== ==================================================================
variable                 meaning
======================== ==================================================================
UFLDL_PY_THREADS         threads of the block machinery (an integer >= 1; default: the
                         number of cores). Results are the same bits at any value.
UFLDL_PY_RANDOM_DIALECT  whose random streams ``ufldl_py.matlab.random`` reproduces:
                         ``octave`` (default) or ``matlab``
UFLDL_PY_OCTAVE          the Octave executable (default: ``octave-cli``, else ``octave``)
UFLDL_PY_DATA            where downloaded data sets are kept (default
                         ``~/.cache/ufldl_py``)
UFLDL_PY_FIGURES         where exercises save their figures (default ``figures``)
UFLDL_PY_TRACEBACK       any non-empty value: the command line shows tracebacks
======================== ==================================================================
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ConfigError", "threads", "random_dialect", "octave", "data_dir", "figures_dir",
           "traceback", "THREADS", "RANDOM_DIALECT", "OCTAVE", "DATA", "FIGURES", "TRACEBACK"]

THREADS = "UFLDL_PY_THREADS"
RANDOM_DIALECT = "UFLDL_PY_RANDOM_DIALECT"
OCTAVE = "UFLDL_PY_OCTAVE"
DATA = "UFLDL_PY_DATA"
FIGURES = "UFLDL_PY_FIGURES"
TRACEBACK = "UFLDL_PY_TRACEBACK"

DIALECTS = ("octave", "matlab")
MAX_THREADS = 1024


class ConfigError(ValueError):
    """An environment variable of the package holds a value it cannot use."""


def _get(name: str) -> str:
    return os.environ.get(name, "").strip()


def threads() -> int:
    """``$UFLDL_PY_THREADS``: the block machinery's threads, else the number of cores.

    Returns
    -------
    n : int
        At least 1.

    Raises
    ------
    ConfigError
        The variable is set to something other than an integer from 1 to 1024.
    """
    value = _get(THREADS)
    if not value:
        return os.cpu_count() or 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_THREADS:
        raise ConfigError(f"{THREADS}={value!r}: expected a whole number of threads from 1 to "
                          f"{MAX_THREADS}")
    return int(value)


def random_dialect() -> str:
    """``$UFLDL_PY_RANDOM_DIALECT``: 'octave' (the default) or 'matlab'.

    Returns
    -------
    name : str
        Lower case.

    Raises
    ------
    ConfigError
        The variable names another dialect.
    """
    value = _get(RANDOM_DIALECT)
    if not value:
        return "octave"
    if value.lower() not in DIALECTS:
        raise ConfigError(f"{RANDOM_DIALECT}={value!r}: unknown dialect "
                          f"(one of {', '.join(DIALECTS)})")
    return value.lower()


def octave() -> str | None:
    """``$UFLDL_PY_OCTAVE``: the Octave executable asked for, or None when unset.

    Returns
    -------
    name : str or None
        The value as given (a name looked up on PATH, or a path).
    """
    return _get(OCTAVE) or None


def data_dir() -> Path:
    """``$UFLDL_PY_DATA``: where downloaded data sets are kept, else ``~/.cache/ufldl_py``.

    Returns
    -------
    path : pathlib.Path
    """
    value = _get(DATA)
    return Path(value) if value else Path.home() / ".cache" / "ufldl_py"


def figures_dir() -> Path:
    """``$UFLDL_PY_FIGURES``: where exercises save their figures, else ``figures``.

    Returns
    -------
    path : pathlib.Path
    """
    return Path(_get(FIGURES) or "figures")


def traceback() -> bool:
    """``$UFLDL_PY_TRACEBACK``: whether the command line shows tracebacks.

    Returns
    -------
    show : bool
        True for any non-empty value.
    """
    return bool(_get(TRACEBACK))
