"""The exercises' data: MNIST as IDX files (plain or gzipped), DeepLearnToolbox's
mnist_uint8 layout, and the housing data of ex1.

Where the data comes from:

- the small real sample shipped in ``data/`` (4,000 training and 1,000 test MNIST digits,
  and UCI's housing.data; see ``data/README.md``), used when nothing else is there;
- the natural images of the original UFLDL exercises (``data/classic/``): ten grey
  512 x 512 photographs, raw (IMAGES_RAW) and whitened (IMAGES) by Olshausen and Field's
  recipe, or the tutorial's own IMAGES.mat / IMAGES_RAW.mat where a user has them;
- the colour images of the linear decoder exercise (``data/classic/color_images.npz``) and
  the labelled images of cnn_exercise (a subset of Fashion-MNIST, ``data/fashion-mnist-subset``),
  or the tutorial's stlSampledPatches.mat and STL-10 subsets where a user has them;
- the full MNIST, once ``ufldl-py data fetch mnist`` has downloaded and verified it into
  ``$UFLDL_PY_DATA/mnist`` (default ``~/.cache/ufldl_py/mnist``).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.resources
import os
import sys
import urllib.error
import urllib.request
import zlib
from pathlib import Path

import numpy as np

from .atomic import atomic_write

__all__ = [
    "loadMNISTImages", "loadMNISTLabels", "read_idx", "mnist_path", "mnist_is_full",
    "load_mnist_uint8", "load_housing", "fetch_mnist", "data_dir", "data_cli", "mnist_counts",
    "FetchError",
    "load_images_raw", "load_images", "whiten_images", "load_color_patches",
    "load_stl_subset", "STL_SUBSET", "STL_SUBSET_CLASSES", "FASHION_MNIST_LABELS",
]

SHIPPED = Path(str(importlib.resources.files("ufldl_py.datafiles")))  # data/ of the repository
SAMPLE = SHIPPED / "mnist-sample"

MNIST_FILES = {
    "train-images": "train-images-idx3-ubyte.gz",
    "train-labels": "train-labels-idx1-ubyte.gz",
    "t10k-images": "t10k-images-idx3-ubyte.gz",
    "t10k-labels": "t10k-labels-idx1-ubyte.gz",
}
# Accepted MD5 sums of each file: that of the .gz files MNIST published, and, where we have
# it, that of the decompressed content (from a real copy), which a mirror that re-compresses
# the files keeps.
MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": ("f68b3c2dcbeaaa9fbdd348bbdeb94873",),
    "train-labels-idx1-ubyte.gz": ("d53e105ee54ea40749a09fcbcd1e9432",),
    "t10k-images-idx3-ubyte.gz": ("9fb629c4189551a2d022fa330f9573f3",
                                  "2646ac647ad5339dbf082846283269ea"),
    "t10k-labels-idx1-ubyte.gz": ("ec29112dd5afa0611ce80d1b7f02629c",
                                  "27ae3e4e09519cfbb04c329615203637"),
}
MNIST_MIRRORS = (
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049


# --------------------------------------------------------------------------- IDX files


class _IDX:
    """An open IDX file (plain or gzipped), its header checked, positioned at its data."""

    def __init__(self, filename: str | os.PathLike, magic: int):
        self.path = Path(filename)
        if not self.path.is_file():
            raise FileNotFoundError(f"Could not open {self.path}")
        with open(self.path, "rb") as f:
            gzipped = f.read(2) == b"\x1f\x8b"
        self.file = gzip.open(self.path, "rb") if gzipped else open(self.path, "rb")
        try:
            head = self.read(4, "too short for an IDX header")
            found = int.from_bytes(head, "big")
            if found != magic:
                raise ValueError(f"Bad magic number in {filename} (found {found}, expected "
                                 f"{magic})")
            ndim = head[3]
            dims = self.read(4 * ndim, "truncated IDX header")
            self.dims = tuple(int.from_bytes(dims[4 * i:4 * i + 4], "big") for i in range(ndim))
            self._check_size(gzipped, 4 + 4 * ndim + int(np.prod(self.dims, dtype=object)))
        except BaseException:
            self.file.close()
            raise

    def _check_size(self, gzipped: bool, expected: int) -> None:
        """Refuse a file whose size cannot match its header before any data is read (and so
        before an absurd header makes anyone allocate terabytes)."""
        size = self.path.stat().st_size
        announced = " x ".join(map(str, self.dims))
        if not gzipped:
            if size < expected:
                raise ValueError(f"{self.path}: truncated: the header announces dimensions "
                                 f"{announced} ({expected} bytes), the file has {size}")
            if size > expected:
                raise ValueError(f"{self.path}: longer than its header says ({announced})")
            return
        # gzip's trailer holds the uncompressed size modulo 2^32
        with open(self.path, "rb") as f:
            f.seek(max(size - 4, 0))
            isize = int.from_bytes(f.read(4), "little")
        if size < 18 or isize != expected % (1 << 32):
            raise ValueError(f"{self.path}: corrupt gzip data, or data that does not match "
                             f"the header (dimensions {announced}, {expected} bytes; the gzip "
                             f"trailer says {isize})")

    def read(self, n: int, what: str = "truncated") -> bytes:
        try:
            data = self.file.read(n)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{self.path}: corrupt gzip data ({exc})") from exc
        if len(data) != n:
            raise ValueError(f"{self.path}: {what}: the header announces dimensions "
                             f"{' x '.join(map(str, getattr(self, 'dims', ())))}")
        return data

    def read_items(self, count: int) -> np.ndarray:
        """The next ``count`` items (slices along the first dimension) as uint8."""
        item = int(np.prod(self.dims[1:]))
        raw = self.read(count * item)
        return np.frombuffer(raw, dtype=np.uint8).reshape((count,) + self.dims[1:])

    def close_at_end(self) -> None:
        """Check that nothing follows the data, and close."""
        try:
            if self.read_rest():
                raise ValueError(f"{self.path}: longer than its header says "
                                 f"({' x '.join(map(str, self.dims))})")
        finally:
            self.file.close()

    def read_rest(self) -> bytes:
        try:
            return self.file.read(1)
        except (OSError, EOFError, zlib.error) as exc:
            raise ValueError(f"{self.path}: corrupt gzip data ({exc})") from exc


def read_idx(filename: str | os.PathLike, magic: int) -> np.ndarray:
    """Read an IDX file of unsigned bytes (plain or gzipped) as a uint8 array.

    The header is checked: the magic number (2051 images, 2049 labels) and that the file
    holds exactly as many bytes as the header's dimensions announce.

    Returns
    -------
    (n, rows, cols) for images, (n,) for labels, in the file's (row-major) order.
    """
    idx = _IDX(filename, magic)
    try:
        out = idx.read_items(idx.dims[0]) if idx.dims else np.empty(0, np.uint8)
    except BaseException:
        idx.file.close()
        raise
    idx.close_at_end()
    return out


def loadMNISTImages(filename: str | os.PathLike) -> np.ndarray:
    """MNIST images as columns of pixels in [0, 1] (stanford_dl_ex/common/loadMNISTImages.m).

    Each column is the column-major unrolling of the upright 28 x 28 image, as MATLAB's
    ``reshape(permute(images, [2 1 3]), 784, n)`` gives it. The file is read in blocks, so
    loading the 60,000 training images needs little more memory than the result.

    Parameters
    ----------
    filename : an IDX3 image file, plain or gzipped.

    Returns
    -------
    images : (784, n) float64, ``double(pixels) / 255`` (a column-major array).
    """
    idx = _IDX(filename, IMAGES_MAGIC)
    try:
        if len(idx.dims) != 3:
            raise ValueError(f"{filename}: an image file has 3 dimensions, found {idx.dims}")
        n, rows, cols = idx.dims
        out = np.empty((n, cols, rows))  # row i is image i unrolled column-major
        for s in range(0, n, 2048):
            e = min(s + 2048, n)
            out[s:e] = idx.read_items(e - s).transpose(0, 2, 1)
    except BaseException:
        idx.file.close()
        raise
    idx.close_at_end()
    out /= 255
    return out.reshape(n, rows * cols).T


def loadMNISTLabels(filename: str | os.PathLike) -> np.ndarray:
    """MNIST labels, the digits 0..9 (stanford_dl_ex/common/loadMNISTLabels.m).

    Returns
    -------
    labels : (n,) float64 (MATLAB's n x 1 double column).
    """
    return read_idx(filename, LABELS_MAGIC).astype(np.float64)


# --------------------------------------------------------------------------- where it is


def data_dir() -> Path:
    """The download cache: ``$UFLDL_PY_DATA`` or ``~/.cache/ufldl_py``."""
    return Path(os.environ.get("UFLDL_PY_DATA") or Path.home() / ".cache" / "ufldl_py")


def _full_dir() -> Path:
    return data_dir() / "mnist"


#: the number of digits in each file of the full MNIST
MNIST_COUNTS = {"train-images": 60000, "train-labels": 60000,
                "t10k-images": 10000, "t10k-labels": 10000}


def _idx_dims(path: Path, magic: int) -> tuple[int, ...]:
    """The dimensions in an IDX file's header (its size checked against them)."""
    idx = _IDX(path, magic)
    idx.file.close()
    return idx.dims


def mnist_counts(folder: str | os.PathLike | None = None) -> tuple[int, int]:
    """The numbers of training and test digits of the MNIST files in ``folder`` (default: the
    download cache), from their headers.

    Raises
    ------
    ValueError : a file is missing, is not an IDX file of 28 x 28 images or of labels, its
        size does not match its header, or images and labels do not pair up.
    """
    folder = Path(folder) if folder is not None else _full_dir()
    counts = []
    for prefix in ("train", "t10k"):
        dims = {}
        for kind, magic in (("images", IMAGES_MAGIC), ("labels", LABELS_MAGIC)):
            path = folder / MNIST_FILES[f"{prefix}-{kind}"]
            if not path.is_file():
                raise ValueError(f"{path} is missing")
            try:
                dims[kind] = _idx_dims(path, magic)
            except OSError as exc:
                raise ValueError(str(exc)) from exc
        if len(dims["images"]) != 3 or dims["images"][1:] != (28, 28):
            raise ValueError(f"{folder / MNIST_FILES[prefix + '-images']}: holds "
                             f"{' x '.join(map(str, dims['images']))}, not n x 28 x 28 images")
        if len(dims["labels"]) != 1 or dims["labels"][0] != dims["images"][0]:
            raise ValueError(f"{folder}: {prefix}: {dims['images'][0]} images but "
                             f"{' x '.join(map(str, dims['labels']))} labels")
        counts.append(dims["images"][0])
    return counts[0], counts[1]


def mnist_is_full() -> bool:
    """True when the download cache holds a fetched MNIST set that the exercises use: the
    four files there, valid, images and labels pairing up. (Whether it is the full MNIST,
    60,000 + 10,000 digits, :func:`mnist_counts` tells: ``fetch_mnist`` with other
    checksums can fetch another set.)"""
    try:
        mnist_counts()
    except ValueError:
        return False
    return True


def mnist_path(which: str) -> Path:
    """The MNIST file ``which`` ('train-images', 'train-labels', 't10k-images', 't10k-labels'):
    the full MNIST if it has been fetched, else the sample shipped in ``data/``."""
    if which not in MNIST_FILES:
        raise ValueError(f"unknown MNIST file {which!r}; one of {', '.join(MNIST_FILES)}")
    base = _full_dir() if mnist_is_full() else SAMPLE
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
    path : a real ``mnist_uint8.mat``; without one, the same layout is built from the IDX
        files (full MNIST if fetched, else the shipped sample).

    Returns
    -------
    dict with train_x (n, 784) uint8, train_y (n, 10) uint8, test_x, test_y. Each row of
    *_x holds an image's bytes in the IDX files' row-major order, so that DeepLearnToolbox's
    ``reshape(train_x', 28, 28, n)`` gives each image transposed, as it does in MATLAB; *_y
    is one-hot with digit d in column d + 1.
    """
    if path is not None:
        from .matlab.io import loadmat

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
        out[f"{split}_x"] = images.reshape(len(images), -1).copy()
        if labels.size and labels.max() > 9:
            raise ValueError(f"MNIST {split}: labels must be digits 0..9, found {labels.max()}")
        onehot = np.zeros((labels.size, 10), dtype=np.uint8)
        onehot[np.arange(labels.size), labels] = 1
        out[f"{split}_y"] = onehot
    return out


def load_housing(filename: str | os.PathLike | None = None) -> np.ndarray:
    """UCI housing data as ex1a_linreg loads it (``data = load('housing.data')``).

    Returns
    -------
    data : (506, 14) float64; the last column is the median home value (MEDV).
    """
    path = Path(filename) if filename is not None else SHIPPED / "housing.data"
    if not path.is_file():
        raise FileNotFoundError(f"Could not open {path}")
    try:
        data = np.loadtxt(path, dtype=np.float64, ndmin=2)
    except ValueError as exc:
        raise ValueError(f"{path}: not a whitespace-separated numeric table ({exc})") from exc
    if data.shape[1] != 14:
        raise ValueError(f"{path}: housing data has 14 columns, found {data.shape[1]}")
    return data


# --------------------------------------------------------------------------- natural images

CLASSIC = SHIPPED / "classic"


def _mat_variables(path: Path, *groups: tuple[str, ...]) -> list[np.ndarray]:
    """For each group of names, the first variable of the .mat file at ``path`` that has
    one of them, as a float64 array; the file read once."""
    from .matlab import io

    if not path.is_file():
        raise FileNotFoundError(f"Could not open {path}")
    values = io.loadmat(path)
    found = []
    for names in groups:
        name = next((n for n in names if n in values), None)
        if name is None:
            raise ValueError(f"{path}: holds no variable {' or '.join(names)}")
        found.append(np.asarray(values[name], dtype=np.float64))
    return found


def _images_stack(a: np.ndarray, what: str) -> np.ndarray:
    if a.ndim != 3 or a.shape[0] != a.shape[1] or not np.isfinite(a).all():
        raise ValueError(f"{what} must be a finite N x N x numImages array, got shape {a.shape}")
    return a


def load_images_raw(filename: str | os.PathLike | None = None) -> np.ndarray:
    """The raw natural images of pca_exercise (``load IMAGES_RAW; IMAGES = IMAGESr``).

    Parameters
    ----------
    filename : path, optional
        The tutorial's IMAGES_RAW.mat (variable ``IMAGESr``, or ``IMAGES``). By default the
        ten grey 512 x 512 photographs shipped in ``data/classic/natural_images.npz`` (see
        ``data/README.md``), as float64 grey levels 0..255.

    Returns
    -------
    IMAGES : ndarray (512, 512, 10)
    """
    if filename is not None:
        path = Path(filename)
        [raw] = _mat_variables(path, ("IMAGESr", "IMAGES"))
        return _images_stack(raw, f"{path}: IMAGESr")
    path = CLASSIC / "natural_images.npz"
    try:
        with np.load(path) as f:
            raw = f["IMAGES_RAW"]
    except (OSError, KeyError, ValueError, zlib.error) as exc:
        raise ValueError(f"{path}: not the shipped natural images ({exc}); rebuild it with "
                         f"data/make_classic_data.py") from exc
    return _images_stack(raw.astype(np.float64), f"{path}: IMAGES_RAW")


def whiten_images(images) -> np.ndarray:
    """Whiten natural images with Olshausen and Field's 1/f recipe (sparsenet's IMAGES.mat).

    Each N x N image is filtered in the Fourier domain by ``rho .* exp(-(rho/f_0).^4)``, rho
    the radial frequency on ``meshgrid(-N/2:N/2-1)`` and ``f_0 = 0.4*N`` (the ramp flattens
    the 1/f amplitude spectrum; the exponential cuts the corner frequencies), and the stack
    is scaled so that the pixels' mean variance is 0.1:

        imagew = real(ifft2(fft2(image) .* fftshift(filt)))
        IMAGES = sqrt(0.1) * IMAGES / sqrt(mean(var(IMAGES)))   (var over each image's pixels)

    Parameters
    ----------
    images : ndarray (N, N, numImages)

    Returns
    -------
    IMAGES : ndarray (N, N, numImages)
    """
    images = _images_stack(np.asarray(images, dtype=np.float64), "images")
    N = images.shape[0]
    fx, fy = np.meshgrid(np.arange(-N / 2, N / 2), np.arange(-N / 2, N / 2))
    rho = np.sqrt(fx * fx + fy * fy)
    f_0 = 0.4 * N
    filt = np.fft.fftshift(rho * np.exp(-(rho / f_0) ** 4))
    white = np.real(np.fft.ifft2(np.fft.fft2(images, axes=(0, 1)) * filt[:, :, None],
                                 axes=(0, 1)))
    cols = white.reshape(N * N, -1, order="F")
    return np.sqrt(0.1) * white / np.sqrt(np.mean(cols.var(axis=0, ddof=1)))


def load_images(filename: str | os.PathLike | None = None) -> np.ndarray:
    """The whitened natural images of sparseae_exercise (``load IMAGES``).

    Parameters
    ----------
    filename : path, optional
        The tutorial's IMAGES.mat (variable ``IMAGES``). By default the shipped photographs
        (:func:`load_images_raw`) whitened by :func:`whiten_images`.

    Returns
    -------
    IMAGES : ndarray (512, 512, 10)
    """
    if filename is not None:
        path = Path(filename)
        [images] = _mat_variables(path, ("IMAGES",))
        return _images_stack(images, f"{path}: IMAGES")
    return whiten_images(load_images_raw())


def load_color_patches(numPatches: int = 100000, patchDim: int = 8,
                       filename: str | os.PathLike | None = None) -> np.ndarray:
    """Colour patches for the linear decoder exercise (``load stlSampledPatches.mat``).

    Parameters
    ----------
    numPatches : int
        How many patches (the tutorial's file holds 100,000).
    patchDim : int
        Their side (8).
    filename : path, optional
        The tutorial's stlSampledPatches.mat (variable ``patches``, 192 x 100000); its
        first numPatches columns. By default, patches sampled from the 24 colour 96 x 96
        images shipped in ``data/classic/color_images.npz`` (windows of scaled-down
        photographs, as STL-10's images are; see ``data/README.md``): with a random state of
        its own (``rand('state', 0)``, the caller's streams left as they were), ``randi``
        draws each patch's top row, left column and image, as sampleIMAGES does; pixels
        scaled to [0, 1].

    Returns
    -------
    patches : ndarray (patchDim*patchDim*3, numPatches)
        Each column ``patch(:)`` of a patchDim x patchDim x 3 patch: the red channel's
        pixels first, then green, then blue.
    """
    from .matlab import random as mrandom

    numPatches = int(numPatches)
    if numPatches < 1 or int(patchDim) < 1:
        raise ValueError("numPatches and patchDim must be positive")
    if filename is not None:
        path = Path(filename)
        [patches] = _mat_variables(path, ("patches",))
        if patches.ndim != 2 or patches.shape[0] != 3 * patchDim ** 2 \
                or patches.shape[1] < numPatches:
            raise ValueError(f"{path}: patches must be {3 * patchDim ** 2} x at least "
                             f"{numPatches}, got shape {patches.shape}")
        return patches[:, :numPatches]
    path = CLASSIC / "color_images.npz"
    try:
        with np.load(path) as f:
            images = f["IMAGES"]
    except (OSError, KeyError, ValueError, zlib.error) as exc:
        raise ValueError(f"{path}: not the shipped colour images ({exc}); rebuild it with "
                         f"data/make_classic_data.py") from exc
    r, c, _, n = images.shape
    with mrandom.isolated():
        mrandom.rand("state", 0)
        rows = mrandom.randi(r - patchDim + 1, 1, numPatches).ravel().astype(np.intp) - 1
        cols = mrandom.randi(c - patchDim + 1, 1, numPatches).ravel().astype(np.intp) - 1
        imgs = mrandom.randi(n, 1, numPatches).ravel().astype(np.intp) - 1
    a = np.arange(patchDim)
    windows = images[rows[None, None, None, :] + a[:, None, None, None],
                     cols[None, None, None, :] + a[None, :, None, None],
                     np.arange(3)[None, None, :, None], imgs[None, None, None, :]]
    return windows.reshape(3 * patchDim * patchDim, numPatches, order="F") / 255.0


# --------------------------------------------------------------------------- labelled images

#: cnn_exercise's shipped labelled images: a subset of Fashion-MNIST (data/README.md)
STL_SUBSET = SHIPPED / "fashion-mnist-subset"
#: their classes, labels 1..4 (the parts of STL-10's airplane, car, cat, dog) ...
STL_SUBSET_CLASSES = ("pullover", "coat", "sandal", "sneaker")
#: ... and those classes' labels in Fashion-MNIST's files
FASHION_MNIST_LABELS = (2, 4, 5, 7)


def load_stl_subset(which: str, filename: str | os.PathLike | None = None):
    """Labelled colour images for cnn_exercise (``load stlTrainSubset.mat`` /
    ``stlTestSubset.mat``).

    Parameters
    ----------
    which : {'train', 'test'}
    filename : path, optional
        The tutorial's stlTrainSubset.mat or stlTestSubset.mat (variables trainImages /
        testImages, 64 x 64 x 3 x n, and trainLabels / testLabels, 1..4: airplane, car, cat,
        dog). By default, the subset of Fashion-MNIST shipped in ``data/fashion-mnist-subset``
        (see ``data/README.md``): 400 training images of each of four classes from
        Fashion-MNIST's training set, 200 test images of each from its test set, labelled 1
        pullover, 2 coat, 3 sandal, 4 sneaker (:data:`STL_SUBSET_CLASSES`). They are 28 x 28
        grey; each is given as a colour image whose three channels are its grey levels / 255,
        so that the colour features of the linear decoder apply unchanged.

    Returns
    -------
    images : ndarray (imageDim, imageDim, 3, n)
        64 x 64 for the tutorial's files, 28 x 28 for the shipped subset.
    labels : ndarray (n,)
        1..4.
    """
    if which not in ("train", "test"):
        raise ValueError(f"which must be 'train' or 'test', got {which!r}")
    if filename is not None:
        path = Path(filename)
        images, labels = _mat_variables(path, (f"{which}Images",), (f"{which}Labels",))
        labels = labels.ravel()
        if images.ndim != 4 or images.shape[0] != images.shape[1] or images.shape[2] != 3 \
                or images.shape[3] != labels.size:
            raise ValueError(f"{path}: {which}Images must be imageDim x imageDim x 3 x n with n "
                             f"{which}Labels, got shape {images.shape} and {labels.size} labels")
        return images, labels
    prefix = "train" if which == "train" else "t10k"
    raw = read_idx(STL_SUBSET / f"{prefix}-images-idx3-ubyte.gz", IMAGES_MAGIC)
    fashion = read_idx(STL_SUBSET / f"{prefix}-labels-idx1-ubyte.gz", LABELS_MAGIC)
    if raw.ndim != 3 or raw.shape[0] != fashion.size:
        raise ValueError(f"{STL_SUBSET}: {prefix}: {raw.shape[0]} images but {fashion.size} "
                         "labels")
    labels = np.zeros(fashion.size)
    for k, code in enumerate(FASHION_MNIST_LABELS, start=1):
        labels[fashion == code] = k
    if not labels.all():
        raise ValueError(f"{STL_SUBSET}: {prefix}: labels other than Fashion-MNIST's "
                         f"{FASHION_MNIST_LABELS}: {sorted(set(fashion[labels == 0].tolist()))}")
    grey = raw.transpose(1, 2, 0) / 255.0  # images[r, c, n], upright
    return np.repeat(grey[:, :, None, :], 3, axis=2), labels


# --------------------------------------------------------------------------- fetching


def _md5s(path: Path) -> tuple[str, str]:
    """MD5 of the file's bytes and of its decompressed content ('' if it is not gzip)."""
    raw = path.read_bytes()
    try:
        inner = hashlib.md5(gzip.decompress(raw)).hexdigest()
    except (OSError, EOFError, zlib.error):
        inner = ""
    return hashlib.md5(raw).hexdigest(), inner


def _verified(path: Path, accepted: tuple[str, ...]) -> bool:
    return any(h in accepted for h in _md5s(path) if h)


class FetchError(OSError, RuntimeError):
    """A download that failed on every mirror (an OSError; a RuntimeError as before)."""


def _download(url: str, out, name: str, progress: bool) -> None:
    """Copy ``url`` into the open binary file ``out``."""
    with urllib.request.urlopen(url, timeout=60) as response:
        total = int(response.headers.get("Content-Length") or 0)
        done = 0
        while True:
            block = response.read(1 << 16)
            if not block:
                break
            out.write(block)
            done += len(block)
            if progress:
                pct = f"{100 * done / total:5.1f}%" if total else f"{done >> 10} KiB"
                print(f"\r  {name}: {pct}", end="", file=sys.stderr)
        if progress:
            print(file=sys.stderr)
        if total and done != total:
            raise ValueError(f"{url}: received {done} of {total} bytes")


def fetch_mnist(dest: str | os.PathLike | None = None, source: str | None = None,
                checksums: dict[str, str] | None = None, progress: bool = True) -> Path:
    """Download the four MNIST files and verify their MD5 sums.

    Each file is written to a temporary name, checked, and only then renamed into place
    (:func:`ufldl_py.atomic.atomic_write`), so an interrupted or corrupt download leaves
    nothing behind, and a failed fetch leaves no empty folder it created. Files already in
    place with the right checksum are kept.

    Parameters
    ----------
    dest : directory for the files (default ``$UFLDL_PY_DATA/mnist``).
    source : base URL holding the four .gz files (any scheme urllib knows, ``file://``
        included); default: the known mirrors, tried in turn.
    checksums : file name -> accepted MD5 sums (of the .gz bytes or of the decompressed
        content), default :data:`MNIST_MD5`.

    Returns
    -------
    the directory holding the verified files.

    Raises
    ------
    FetchError : (an OSError and a RuntimeError) a file could not be fetched from any mirror,
        or its checksum did not match; the message names the file and each URL tried.
    """
    dest = Path(dest) if dest is not None else _full_dir()
    checksums = dict(MNIST_MD5 if checksums is None else checksums)
    missing = [n for n in MNIST_FILES.values() if n not in checksums]
    if missing:
        raise ValueError(f"fetch_mnist: checksums lacks {', '.join(missing)}")
    sources = [source] if source else list(MNIST_MIRRORS)
    created = [d for d in (dest, *dest.parents) if not d.exists()]
    dest.mkdir(parents=True, exist_ok=True)
    try:
        for name in MNIST_FILES.values():
            target = dest / name
            accepted = tuple(checksums[name]) if not isinstance(checksums[name], str) \
                else (checksums[name],)
            if target.is_file() and _verified(target, accepted):
                if progress:
                    print(f"  {name}: already there, checksum ok", file=sys.stderr)
                continue
            errors = []
            for base in sources:
                url = base.rstrip("/") + "/" + name
                try:
                    with atomic_write(target) as out:
                        _download(url, out, name, progress)
                        out.flush()
                        if not _verified(Path(out.name), accepted):
                            raise ValueError(f"{url}: MD5 {_md5s(Path(out.name))[0]} does not "
                                             f"match {' or '.join(accepted)}")
                    break
                except (OSError, ValueError, urllib.error.URLError) as exc:
                    errors.append(f"{url}: {exc}")
            else:
                raise FetchError(f"could not fetch {name}: " + "; ".join(errors))
    except BaseException:
        for d in created:  # innermost first: only the folders this call made, if empty
            try:
                d.rmdir()
            except OSError:
                break
        raise
    return dest


def data_cli(argv: list[str]) -> int:
    """``ufldl-py data fetch mnist [--source URL] [--dest DIR]`` and ``ufldl-py data info``."""
    parser = argparse.ArgumentParser(prog="ufldl-py data")
    sub = parser.add_subparsers(dest="cmd", required=True)
    fetch = sub.add_parser("fetch", help="download a data set (checksums verified)")
    fetch.add_argument("dataset", choices=["mnist"])
    fetch.add_argument("--source", help="base URL of the four MNIST .gz files")
    fetch.add_argument("--dest", help=f"directory (default {_full_dir()})")
    sub.add_parser("info", help="where the data is")
    args = parser.parse_args(argv)
    if args.cmd == "fetch":
        where = fetch_mnist(args.dest, args.source)  # a failure: one line from ufldl-py
        print(f"MNIST is in {where}")
        if args.dest and Path(args.dest).resolve() != _full_dir().resolve():
            print(f"(the exercises use {_full_dir()}; set UFLDL_PY_DATA to use another place)")
        return 0
    cache = _full_dir()
    try:
        train, test = mnist_counts(cache)
        problem = None
    except ValueError as exc:
        problem = str(exc)
    if problem is None:
        full = (train, test) == (MNIST_COUNTS["train-images"], MNIST_COUNTS["t10k-images"])
        what = "the full MNIST" if full else "a fetched set, NOT the full MNIST (60000 + 10000)"
        print(f"MNIST in use: {what}, in {cache}")
    else:
        train, test = mnist_counts(SAMPLE)
        print(f"MNIST in use: the sample shipped in {SAMPLE}")
        if cache.exists():
            print(f"  (the cache {cache} is not used: {problem})")
        print("  the full MNIST: ufldl-py data fetch mnist")
    print(f"  train: {train} digits")
    print(f"  t10k: {test} digits")
    print(f"housing: {SHIPPED / 'housing.data'}")
    return 0
