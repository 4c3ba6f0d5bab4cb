"""Fetching the full MNIST: the known mirrors, the published checksums, verified downloads
written atomically."""

from __future__ import annotations

import gzip
import hashlib
import os
import sys
import urllib.error
import urllib.request
import zlib
from pathlib import Path

from ..atomic import atomic_write
from .datasets import MNIST_FILES
from .idx import BLOCK
from .locations import mnist_dir

__all__ = ["MNIST_MD5", "MNIST_MIRRORS", "FetchError", "md5s", "md5_matches", "fetch_mnist"]

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
#: the most decompressed bytes hashed for the content's checksum (the largest MNIST file
#: holds 47,040,016): a downloaded gzip bomb costs no more than this
MAX_CONTENT = 1 << 28


def md5s(path: str | os.PathLike) -> tuple[str, str]:
    """The MD5 sums of a file's bytes and of its decompressed content, read in blocks.

    Parameters
    ----------
    path : path
        The file.

    Returns
    -------
    outer, inner : str
        Hex digests; ``inner`` is '' where the file is not gzip, is corrupt, or decompresses
        to more than :data:`MAX_CONTENT` bytes.

    Raises
    ------
    OSError
        The file cannot be read.
    """
    outer = hashlib.md5()
    with open(path, "rb") as f:
        while block := f.read(BLOCK):
            outer.update(block)
    inner, size = hashlib.md5(), 0
    try:
        with gzip.open(path, "rb") as f:
            while (block := f.read(BLOCK)) and size <= MAX_CONTENT:
                inner.update(block)
                size += len(block)
    except (OSError, EOFError, zlib.error):
        size = MAX_CONTENT + 1
    return outer.hexdigest(), inner.hexdigest() if size <= MAX_CONTENT else ""


def md5_matches(path: str | os.PathLike, accepted: tuple[str, ...]) -> bool:
    """Whether either MD5 sum of :func:`md5s` is one of ``accepted``.

    Parameters
    ----------
    path : path
        The file.
    accepted : tuple of str
        Accepted hex digests.

    Returns
    -------
    ok : bool
    """
    return any(h in accepted for h in md5s(path) if h)


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
    dest : path, optional
        Folder for the files (default ``$UFLDL_PY_DATA/mnist``, read when called).
    source : str, optional
        Base URL holding the four .gz files (any scheme urllib knows, ``file://``
        included); default: the known mirrors, tried in turn.
    checksums : dict, optional
        File name -> accepted MD5 sums (of the .gz bytes or of the decompressed content),
        default :data:`MNIST_MD5`.
    progress : bool
        Show each file's progress on stderr.

    Returns
    -------
    dest : pathlib.Path
        The folder holding the verified files.

    Raises
    ------
    FetchError
        (an OSError and a RuntimeError) a file could not be fetched from any mirror, or its
        checksum did not match; the message names the file and each URL tried.
    ValueError
        ``checksums`` lacks one of the four files.
    """
    dest = Path(dest) if dest is not None else mnist_dir()
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
            if target.is_file() and md5_matches(target, accepted):
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
                        if not md5_matches(Path(out.name), accepted):
                            raise ValueError(f"{url}: MD5 {md5s(Path(out.name))[0]} does not "
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
