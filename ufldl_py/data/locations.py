"""Where the data is: the files shipped inside the package, and the download cache.

The shipped files (the repository's ``data/`` folder, installed as the package
``ufldl_py.datafiles``) are reached through :mod:`importlib.resources`, so they are
:class:`importlib.resources.abc.Traversable` objects: real paths in an ordinary install,
entries of the archive in a zipped one. Every reader of :mod:`ufldl_py.data` opens them
with ``.open('rb')``, never by their file name.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from ..config import data_dir

__all__ = ["SHIPPED", "SAMPLE", "CLASSIC", "data_dir", "mnist_dir"]

#: the shipped data (``data/`` of the repository)
SHIPPED = importlib.resources.files("ufldl_py.datafiles")
#: the MNIST sample: 4,000 training and 1,000 test digits
SAMPLE = SHIPPED / "mnist-sample"
#: the data of the original UFLDL exercises (natural images, colour images, pcaData.txt)
CLASSIC = SHIPPED / "classic"


def mnist_dir() -> Path:
    """The folder of the fetched MNIST: ``$UFLDL_PY_DATA/mnist``, read when called.

    Returns
    -------
    path : pathlib.Path
        ``config.data_dir() / 'mnist'`` (it may not exist).
    """
    return data_dir() / "mnist"
