"""The IDX format of MNIST (plain or gzipped), read as a hostile file.

An IDX file is a 4-byte magic number (two zero bytes, the type code 0x08 for unsigned bytes,
the number of dimensions), one big-endian 4-byte size per dimension, then the bytes. Its header
can announce anything, so nothing here allocates what the header announces: the sizes are
first checked against what the file can hold (its length when plain; for gzip, the trailer's
size modulo 2^32 and the largest expansion deflate allows), then the data is read in blocks of
at most :data:`BLOCK` bytes and only what is really there is kept. A refusal is a one-line
``ValueError`` naming the file and what is wrong with it.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path
from typing import IO

import numpy as np

__all__ = ["IMAGES_MAGIC", "LABELS_MAGIC", "BLOCK", "read_idx", "idx_dims", "loadMNISTImages",
           "loadMNISTLabels"]

IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
#: the most bytes read (and allocated) at a time before they are known to be in the file
BLOCK = 1 << 20
#: deflate's largest expansion: one 258-byte match per 2 bits, about 1032 : 1
DEFLATE_MAX_RATIO = 1032
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_ERRORS = (OSError, EOFError, zlib.error)


def _open(source) -> tuple[str, IO[bytes], int | None]:
    """The name to show, an open binary file and its size (None where it has none), for a
    path or a :class:`importlib.resources.abc.Traversable` (the shipped data)."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"Could not open {path}")
        return str(path), open(path, "rb"), path.stat().st_size
    if not (hasattr(source, "open") and hasattr(source, "is_file")):
        raise TypeError(f"filename must be a path, not {type(source).__name__}")
    if not source.is_file():
        raise FileNotFoundError(f"Could not open {source}")
    return str(source), source.open("rb"), None


class _IDXFile:
    """An open IDX file, its header read and checked against its size."""

    def __init__(self, source, magic: int):
        self.name, raw, size = _open(source)
        self.stream: IO[bytes] = raw
        self.dims: tuple[int, ...] = ()
        try:
            gzipped = raw.read(2) == _GZIP_MAGIC
            raw.seek(0)
            if gzipped:
                self.stream = gzip.GzipFile(fileobj=raw, mode="rb")
            head = self._read(4, "too short for an IDX header")
            found = int.from_bytes(head, "big")
            if found != magic:
                raise ValueError(f"Bad magic number in {self.name} (found {found}, expected "
                                 f"{magic})")
            ndim = head[3]
            sizes = self._read(4 * ndim, "truncated IDX header")
            self.dims = tuple(int.from_bytes(sizes[4 * i:4 * i + 4], "big") for i in range(ndim))
            self.nbytes = int(np.prod(self.dims, dtype=object))
            if size is not None:
                self._check_size(raw, size, gzipped, 4 + 4 * ndim + self.nbytes)
        except BaseException:
            self.close()
            raise

    def _announced(self) -> str:
        return " x ".join(map(str, self.dims))

    def _check_size(self, raw: IO[bytes], size: int, gzipped: bool, expected: int) -> None:
        """Refuse a header that the file's size cannot match, before any data is read."""
        if not gzipped:
            if size < expected:
                raise ValueError(f"{self.name}: truncated: the header announces dimensions "
                                 f"{self._announced()} ({expected} bytes), the file has {size}")
            if size > expected:
                raise ValueError(f"{self.name}: longer than its header says "
                                 f"({self._announced()})")
            return
        if expected > DEFLATE_MAX_RATIO * size:
            raise ValueError(f"{self.name}: the header announces dimensions {self._announced()} "
                             f"({expected} bytes), more than a gzip file of {size} bytes can "
                             f"hold")
        # gzip's trailer holds the uncompressed size modulo 2^32
        where = raw.tell()
        raw.seek(max(size - 4, 0))
        isize = int.from_bytes(raw.read(4), "little")
        raw.seek(where)
        if size < 18 or isize != expected % (1 << 32):
            raise ValueError(f"{self.name}: corrupt gzip data, or data that does not match "
                             f"the header (dimensions {self._announced()}, {expected} bytes; "
                             f"the gzip trailer says {isize})")

    def _read(self, n: int, what: str = "truncated") -> bytearray:
        """Exactly ``n`` bytes, read in blocks of at most BLOCK: memory grows with the bytes
        found, never with the bytes asked for."""
        out = bytearray()
        while len(out) < n:
            try:
                block = self.stream.read(min(BLOCK, n - len(out)))
            except _GZIP_ERRORS as exc:
                raise ValueError(f"{self.name}: corrupt gzip data ({exc})") from None
            if not block:
                raise ValueError(f"{self.name}: {what}: the header announces dimensions "
                                 f"{self._announced()}, the data ends after {len(out)} of "
                                 f"{n} bytes")
            out += block
        return out

    def _check_end(self) -> None:
        try:
            extra = self.stream.read(1)
        except _GZIP_ERRORS as exc:
            raise ValueError(f"{self.name}: corrupt gzip data ({exc})") from None
        if extra:
            raise ValueError(f"{self.name}: longer than its header says ({self._announced()})")

    def data(self) -> np.ndarray:
        """All the data, shaped as the header says (uint8, row-major); the file must end
        there."""
        raw = self._read(self.nbytes)
        self._check_end()
        return np.frombuffer(raw, dtype=np.uint8).reshape(self.dims)

    def skip_data(self) -> None:
        """Read through the data without keeping it; the file must end there."""
        left = self.nbytes
        while left:
            left -= len(self._read(min(BLOCK, left)))
        self._check_end()

    def close(self) -> None:
        self.stream.close()

    def __enter__(self) -> _IDXFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_idx(filename, magic: int) -> np.ndarray:
    """Read an IDX file of unsigned bytes (plain or gzipped) as a uint8 array.

    Parameters
    ----------
    filename : str, path-like or importlib.resources Traversable
        The file.
    magic : int
        The magic number it must have: :data:`IMAGES_MAGIC` (2051) or :data:`LABELS_MAGIC`
        (2049).

    Returns
    -------
    data : ndarray of uint8
        (n, rows, cols) for images, (n,) for labels, in the file's (row-major) order.

    Raises
    ------
    FileNotFoundError
        No such file.
    ValueError
        Naming the file: the magic number differs, or the file does not hold exactly the bytes
        its header announces (checked before they are read), or its gzip data is corrupt.
    """
    with _IDXFile(filename, magic) as f:
        return f.data()


def idx_dims(filename, magic: int, verify: bool = True) -> tuple[int, ...]:
    """The dimensions an IDX file's header announces, checked against the file.

    Parameters
    ----------
    filename : str, path-like or importlib.resources Traversable
        The file.
    magic : int
        The magic number it must have.
    verify : bool
        Read through the data (in blocks, keeping none of it) to check that it is all there
        and that nothing follows; otherwise only the header and the file's size are checked
        (a gzip file's data is then checked only as far as its trailer tells).

    Returns
    -------
    dims : tuple of int

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`read_idx`.
    """
    with _IDXFile(filename, magic) as f:
        if verify:
            f.skip_data()
        return f.dims


def loadMNISTImages(filename) -> np.ndarray:
    """MNIST images as columns of pixels in [0, 1] (stanford_dl_ex/common/loadMNISTImages.m).

    Each column is the column-major unrolling of the upright 28 x 28 image, as MATLAB's
    ``reshape(permute(images, [2 1 3]), 784, n)`` gives it. The bytes are read in blocks and
    converted in place, so loading the 60,000 training images needs little more memory than
    the result.

    Parameters
    ----------
    filename : str, path-like or importlib.resources Traversable
        An IDX3 image file, plain or gzipped.

    Returns
    -------
    images : ndarray (rows*cols, n)
        float64, ``double(pixels) / 255`` (a column-major array).

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`read_idx`.
    """
    pixels = read_idx(filename, IMAGES_MAGIC)
    n, rows, cols = pixels.shape
    out = np.empty((n, cols, rows))  # row i is image i unrolled column-major
    np.divide(pixels.transpose(0, 2, 1), 255, out=out)
    return out.reshape(n, rows * cols).T


def loadMNISTLabels(filename) -> np.ndarray:
    """MNIST labels, the digits 0..9 (stanford_dl_ex/common/loadMNISTLabels.m).

    Parameters
    ----------
    filename : str, path-like or importlib.resources Traversable
        An IDX1 label file, plain or gzipped.

    Returns
    -------
    labels : ndarray (n,)
        float64 (MATLAB's n x 1 double column).

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`read_idx`.
    """
    return read_idx(filename, LABELS_MAGIC).astype(np.float64)
