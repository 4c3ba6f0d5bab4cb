"""The images of the original UFLDL exercises: natural images (raw, and whitened by
Olshausen and Field's recipe), colour patches, and labelled images.

Each loader takes the tutorial's own .mat file where a user has it, and otherwise builds the
same layout from the small real images shipped in the package (``data/classic`` and
``data/fashion-mnist-subset`` of the repository; see ``data/README.md``).
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

import numpy as np

from .idx import IMAGES_MAGIC, LABELS_MAGIC, read_idx
from .locations import CLASSIC, SHIPPED

__all__ = ["load_images_raw", "whiten_images", "load_images", "load_color_patches",
           "load_stl_subset", "STL_SUBSET", "STL_SUBSET_CLASSES", "FASHION_MNIST_LABELS"]


def _mat_variables(path: Path, *groups: tuple[str, ...]) -> list[np.ndarray]:
    """For each group of names, the first variable of the .mat file at ``path`` that has
    one of them, as a float64 array; the file read once."""
    from ..matlab import io

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


def _shipped_array(name: str, key: str, what: str) -> np.ndarray:
    """The array ``key`` of the shipped ``data/classic/<name>`` (an .npz file), read through
    importlib.resources (so also from a zipped install)."""
    path = CLASSIC / name
    try:
        with path.open("rb") as fh, np.load(fh) as f:
            return f[key]
    except (OSError, KeyError, ValueError, zlib.error) as exc:
        raise ValueError(f"{path}: not the shipped {what} ({exc}); rebuild it with "
                         f"data/make_classic_data.py") from exc


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

    Raises
    ------
    FileNotFoundError
        ``filename`` does not exist.
    ValueError
        Naming the file: it lacks the variable, or holds one of the wrong shape, or the
        shipped file is damaged.
    """
    if filename is not None:
        path = Path(filename)
        [raw] = _mat_variables(path, ("IMAGESr", "IMAGES"))
        return _images_stack(raw, f"{path}: IMAGESr")
    raw = _shipped_array("natural_images.npz", "IMAGES_RAW", "natural images")
    return _images_stack(raw.astype(np.float64), f"{CLASSIC / 'natural_images.npz'}: IMAGES_RAW")


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

    Raises
    ------
    ValueError
        Not a finite N x N x numImages array.
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

    Raises
    ------
    FileNotFoundError
        ``filename`` does not exist.
    ValueError
        Naming the file: it lacks the variable, or holds one of the wrong shape, or the
        shipped file is damaged.
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

    Raises
    ------
    FileNotFoundError
        ``filename`` does not exist.
    ValueError
        Naming the file: it lacks the variable, or holds one of the wrong shape, or the
        shipped file is damaged.
    """
    from ..matlab import random as mrandom

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
    images = _shipped_array("color_images.npz", "IMAGES", "colour images")
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

    Raises
    ------
    FileNotFoundError
        ``filename`` does not exist.
    ValueError
        Naming the file: it lacks the variable, or holds one of the wrong shape, or the
        shipped file is damaged.
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
