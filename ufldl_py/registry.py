"""The exercise registry: the scripts of the repository's exercises/, shipped inside the
package as :mod:`ufldl_py.exercises`, by name.

Reached through :mod:`importlib.resources` (Traversables, not file paths), so that it works
from a zipped install as from a checkout; an exercise is imported as the module
``ufldl_py.exercises.NAME``. The command line (``ufldl-py run``) and student mode's templates
read it; it imports neither.
"""

from __future__ import annotations

import importlib
import importlib.resources
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importlib.resources.abc is Python 3.11's name
    from importlib.resources.abc import Traversable

__all__ = ["PACKAGE", "exercises", "source", "load"]

PACKAGE = "ufldl_py.exercises"


def exercises() -> dict[str, Traversable]:
    """The exercise scripts by name, sorted: every ``NAME.py`` of :data:`PACKAGE` whose name
    does not start with an underscore.

    Returns
    -------
    dict of str to importlib.resources.abc.Traversable
        ``{"cnnTrain": <exercises/cnnTrain.py>, ...}``; read one with ``read_text()``, or
        :func:`importlib.resources.as_file` where a real path is needed.
    """
    root = importlib.resources.files(PACKAGE)
    found = {entry.name[:-3]: entry for entry in root.iterdir()
             if entry.name.endswith(".py") and not entry.name.startswith("_")
             and entry.is_file()}
    return dict(sorted(found.items()))


def _entry(name: str) -> Traversable:
    found = exercises()
    if name not in found:
        raise KeyError(f"no exercise {name!r} in {PACKAGE}; exercises: "
                       f"{', '.join(found) or 'none'}")
    return found[name]


def source(name: str) -> str:
    """The text of the exercise script ``name`` (exercises/NAME.py).

    Parameters
    ----------
    name : str
        An exercise's name, a key of :func:`exercises`.

    Returns
    -------
    str

    Raises
    ------
    KeyError
        When there is no such exercise (the message names the exercises).
    """
    return _entry(name).read_text(encoding="utf-8")


def load(name: str) -> ModuleType:
    """The exercise script ``name`` imported as ``ufldl_py.exercises.NAME``; its ``main(argv)``
    runs it.

    Parameters
    ----------
    name : str
        An exercise's name, a key of :func:`exercises`.

    Returns
    -------
    module

    Raises
    ------
    KeyError
        When there is no such exercise (the message names the exercises).
    """
    _entry(name)
    return importlib.import_module(f"{PACKAGE}.{name}")
