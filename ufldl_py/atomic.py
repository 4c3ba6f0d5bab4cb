"""Atomic file writes: a file is either its old self or completely new, never half written.

Every file the project writes (``.mat`` files, figures, downloaded data, fixtures) goes
through :func:`atomic_write`: the content is written to a temporary file in the target's
folder, flushed to disk, and only then renamed over the target (``os.replace``, atomic on
POSIX and Windows). If anything fails before the rename -- an exception in the code that
writes, a full disk, an interrupt -- the temporary file is removed and the old file (if
any) is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

__all__ = ["atomic_write", "TEMP_SUFFIX"]

TEMP_SUFFIX = ".tmp"


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file beside ``path``; rename it onto ``path`` when the block ends.

    Parameters
    ----------
    path : str or path-like
        The file to (re)write. Its folder must exist.
    mode : str
        ``'wb'`` (default) or ``'w'`` (text, UTF-8).

    Yields
    ------
    file : file object
        Opened on the temporary file (its ``.name`` is the temporary path, for writers that
        want a file name rather than a file object).

    Raises
    ------
    OSError
        Naming ``path`` when its folder does not exist or cannot be written; any exception
        raised inside the block is raised again after the temporary file has been removed.
    """
    if mode not in ("wb", "w"):
        raise ValueError(f"atomic_write: mode must be 'wb' or 'w', not {mode!r}")
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"cannot write {target}: the folder {folder} does not exist")
    # ".{name}.XXXXXXXX.tmp" within the file systems' 255-byte name limit: long names shortened
    stem = target.name.encode()[:255 - 10 - len(TEMP_SUFFIX)].decode(errors="ignore")
    fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=TEMP_SUFFIX, dir=folder)
    try:
        os.close(fd)
        with open(tmp, mode, **({"encoding": "utf-8"} if mode == "w" else {})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if target.exists():  # keep the old file's permissions (mkstemp makes 0600)
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
