"""The exercises' tables: MNIST as they find it (the fetched set, else the shipped sample) in
the IDX files' layout and in DeepLearnToolbox's mnist_uint8 layout, and ex1's housing data."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .idx import IMAGES_MAGIC, LABELS_MAGIC, idx_dims, read_idx
from .locations import SAMPLE, SHIPPED, mnist_dir

__all__ = ["MNIST_FILES", "MNIST_COUNTS", "mnist_counts", "mnist_is_full", "mnist_path",
           "load_mnist_uint8", "load_housing"]

MNIST_FILES = {
    "train-images": "train-images-idx3-ubyte.gz",
    "train-labels": "train-labels-idx1-ubyte.gz",
    "t10k-images": "t10k-images-idx3-ubyte.gz",
    "t10k-labels": "t10k-labels-idx1-ubyte.gz",
}
#: the number of digits in each file of the full MNIST
MNIST_COUNTS = {"train-images": 60000, "train-labels": 60000,
                "t10k-images": 10000, "t10k-labels": 10000}


def _folder(folder):
    """A folder argument as a Path, a Traversable (the shipped sample) kept as it is."""
    if folder is None:
        return mnist_dir()
    return Path(folder) if isinstance(folder, (str, os.PathLike)) else folder


#: the counts of folders already read through, under their files' (path, size, mtime, inode):
#: a file changed or replaced (fetch_mnist renames new files into place) is read again
_COUNTED: dict[tuple, tuple[int, int]] = {}


def _signature(folder) -> tuple | None:
    """The four files' (path, size, mtime, inode) in a folder on disk, None where one is
    missing or the folder is not on disk."""
    if not isinstance(folder, Path):
        return None
    sig = []
    for name in MNIST_FILES.values():
        try:
            st = (folder / name).stat()
        except OSError:
            return None
        sig.append((str(folder / name), st.st_size, st.st_mtime_ns, st.st_ino))
    return tuple(sig)


def mnist_counts(folder=None) -> tuple[int, int]:
    """The numbers of training and test digits of the MNIST files in ``folder``.

    Each file is read through (in blocks, keeping nothing) to check that its data is all there,
    as :func:`ufldl_py.data.idx_dims` does, so that crafted headers are refused, not counted.
    A folder on disk is read through once while its files stay the same.

    Parameters
    ----------
    folder : path or importlib.resources Traversable, optional
        Default: the download cache, ``$UFLDL_PY_DATA/mnist``.

    Returns
    -------
    train, test : int

    Raises
    ------
    ValueError
        A file is missing, is not an IDX file of 28 x 28 images or of labels, does not hold
        what its header announces, or images and labels do not pair up.
    """
    folder = _folder(folder)
    signature = _signature(folder)
    if signature in _COUNTED:
        return _COUNTED[signature]
    counts = []
    for prefix in ("train", "t10k"):
        dims = {}
        for kind, magic in (("images", IMAGES_MAGIC), ("labels", LABELS_MAGIC)):
            path = folder / MNIST_FILES[f"{prefix}-{kind}"]
            if not path.is_file():
                raise ValueError(f"{path} is missing")
            try:
                dims[kind] = idx_dims(path, magic)
            except OSError as exc:
                raise ValueError(str(exc)) from exc
        if dims["images"][1:] != (28, 28):
            raise ValueError(f"{folder / MNIST_FILES[prefix + '-images']}: holds "
                             f"{' x '.join(map(str, dims['images']))}, not n x 28 x 28 images")
        if dims["labels"][0] != dims["images"][0]:
            raise ValueError(f"{folder}: {prefix}: {dims['images'][0]} images but "
                             f"{dims['labels'][0]} labels")
        counts.append(dims["images"][0])
    if signature is not None:
        _COUNTED[signature] = (counts[0], counts[1])
    return counts[0], counts[1]


def mnist_is_full() -> bool:
    """Whether the download cache holds a fetched MNIST set that the exercises use.

    The four files must be there and valid (:func:`mnist_counts`), images and labels pairing
    up. Whether the set is the full MNIST, 60,000 + 10,000 digits, :func:`mnist_counts` tells:
    ``fetch_mnist`` with other checksums can fetch another set.

    Returns
    -------
    fetched : bool
    """
    try:
        mnist_counts()
    except ValueError:
        return False
    return True


def mnist_path(which: str):
    """The MNIST file ``which``: the fetched set if there is one, else the shipped sample.

    Parameters
    ----------
    which : {'train-images', 'train-labels', 't10k-images', 't10k-labels'}

    Returns
    -------
    path : pathlib.Path or importlib.resources Traversable
        In the download cache, or in the package's shipped data (a Traversable, opened with
        ``.open('rb')``; every loader of :mod:`ufldl_py.data` takes it).

    Raises
    ------
    ValueError
        ``which`` is not one of the four names.
    FileNotFoundError
        The shipped sample is missing (a broken install).
    """
    if which not in MNIST_FILES:
        raise ValueError(f"unknown MNIST file {which!r}; one of {', '.join(MNIST_FILES)}")
    base = mnist_dir() if mnist_is_full() else SAMPLE
    path = base / MNIST_FILES[which]
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the MNIST sample ships inside the package "
                                "(ufldl_py.datafiles, data/ of the repository); reinstall "
                                "ufldl_py, or run `ufldl-py data fetch mnist`")
    return path


def load_mnist_uint8(path: str | os.PathLike | None = None) -> dict[str, np.ndarray]:
    """MNIST in DeepLearnToolbox's layout (what ``load mnist_uint8`` puts in the workspace).

    Parameters
    ----------
    path : path, optional
        A real ``mnist_uint8.mat``; without one, the same layout is built from the IDX files
        (full MNIST if fetched, else the shipped sample).

    Returns
    -------
    data : dict
        train_x (n, 784) uint8, train_y (n, 10) uint8, test_x, test_y. Each row of ``*_x`` holds
        an image's bytes in the IDX files' row-major order, so that DeepLearnToolbox's
        ``reshape(train_x', 28, 28, n)`` gives each image transposed, as it does in MATLAB;
        ``*_y`` is one-hot with digit d in column d + 1.

    Raises
    ------
    ValueError
        The .mat file lacks one of the four variables, or the IDX files do not pair up or
        hold labels other than 0..9.
    """
    if path is not None:
        from ..matlab.io import loadmat

        data = loadmat(path)
        missing = {"train_x", "train_y", "test_x", "test_y"} - set(data)
        if missing:
            raise ValueError(f"{path}: not a mnist_uint8.mat, it lacks {sorted(missing)}")
        return {k: data[k] for k in ("train_x", "train_y", "test_x", "test_y")}
    out = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read_idx(mnist_path(f"{prefix}-images"), IMAGES_MAGIC)
        labels = read_idx(mnist_path(f"{prefix}-labels"), LABELS_MAGIC)
        if len(images) != len(labels):
            raise ValueError(f"MNIST {split}: {len(images)} images but {len(labels)} labels")
        out[f"{split}_x"] = images.reshape(len(images), -1)
        if labels.size and labels.max() > 9:
            raise ValueError(f"MNIST {split}: labels must be digits 0..9, found {labels.max()}")
        onehot = np.zeros((labels.size, 10), dtype=np.uint8)
        onehot[np.arange(labels.size), labels] = 1
        out[f"{split}_y"] = onehot
    return out


def load_housing(filename: str | os.PathLike | None = None) -> np.ndarray:
    """UCI housing data as ex1a_linreg loads it (``data = load('housing.data')``).

    Parameters
    ----------
    filename : path, optional
        A whitespace-separated table; by default the shipped ``housing.data``.

    Returns
    -------
    data : ndarray (506, 14)
        float64; the last column is the median home value (MEDV).

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        Naming the file: not a numeric table of 14 columns.
    """
    source = SHIPPED / "housing.data" if filename is None else Path(filename)
    if not source.is_file():
        raise FileNotFoundError(f"Could not open {source}")
    try:
        with source.open("rb") as f:
            data = np.loadtxt(f, dtype=np.float64, ndmin=2)
    except ValueError as exc:
        raise ValueError(f"{source}: not a whitespace-separated numeric table ({exc})") from exc
    if data.shape[1] != 14:
        raise ValueError(f"{source}: housing data has 14 columns, found {data.shape[1]}")
    return data
