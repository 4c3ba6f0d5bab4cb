"""MATLAB .mat files that keep MATLAB's shapes, classes, structs and cells.

``load``/``save`` in MATLAB and Octave (``save -v7``) exchange values with Python through
:func:`loadmat` and :func:`savemat`. The conversions are chosen so that a round trip in
either direction keeps every value, shape and class:

============================  ==========================================================
MATLAB                        Python
============================  ==========================================================
1 x 1 double                  ``float``
1 x 1 logical                 ``bool``
any other numeric / logical   ``numpy.ndarray`` with MATLAB's shape (>= 2-D, no squeeze)
                              and class (double -> float64, single -> float32,
                              uint8 -> uint8, logical -> bool, ...)
char row vector               ``str``
1 x 1 struct                  ``dict`` with the same field names, in order
struct array                  :class:`StructArray` (a list of dicts with ``.shape``)
cell array                    :class:`Cell` (a list with ``.shape``), elements in
                              column-major order
sparse matrix                 ``scipy.sparse.csc_matrix``
============================  ==========================================================

On saving, the other direction applies, plus: a 1-D ``ndarray`` becomes a column vector
(n x 1, as UFLDL's ``theta`` and label vectors are), a Python ``int`` becomes a 1 x 1 double
(MATLAB's literals are doubles), ``None`` becomes ``[]``, and a plain ``list`` or ``tuple``
becomes a 1 x n cell (``{}`` when empty). DeepLearnToolbox nets (``net.layers{l}.k{i}{j}``)
are dicts holding lists of dicts holding lists of lists of arrays, and travel both ways.

Every file read is hostile until checked: the layout of a MAT file (v4, or MAT 5 -v6/-v7)
is walked and every size checked against the bytes present before scipy's reader sees it
(:mod:`.mat5_check`), Octave's text format is read as Octave reads it
(:mod:`.octave_text`), and any refusal is a one-line ValueError naming the file and what is
wrong. Saving refuses what MATLAB could not load (names over 63 characters, keywords,
non-identifiers) and writes through :mod:`.mat5_writer`, which uses no scipy internals.
"""

from __future__ import annotations

import inspect
import io
import os
import warnings
from typing import Any

import numpy as np
import scipy.io

from ...atomic import atomic_write
from .mat5_check import check_mat5, check_v4, is_mat5
from .mat5_writer import write_mat5
from .octave_text import load_octave_text
from .values import (MAX_DEPTH, Cell, StructArray, check_variable_name, from_matlab,
                     is_variable_name, nesting_room, to_matlab, with_complex)

__all__ = ["Cell", "StructArray", "loadmat", "savemat", "to_matlab", "from_matlab",
           "is_variable_name"]


# scipy >= 1.15 can return sparse arrays instead of spmatrix and may change its default:
# say what we take (a sparse array, made a csc_matrix by from_matlab) where it asks.
_SPARSE = ({"spmatrix": False}
           if "spmatrix" in inspect.signature(scipy.io.loadmat).parameters else {})


def _read(path: str) -> bytes:
    if not os.path.exists(path):
        raise FileNotFoundError(f"Could not open {path}: no such file")
    if os.path.isdir(path):
        raise IsADirectoryError(f"Could not open {path}: it is a directory")
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise type(exc)(exc.errno, f"Could not read {path}: {exc.strerror}") from None


def loadmat(path: str | os.PathLike) -> dict[str, Any]:
    """Load a .mat file as MATLAB's ``S = load(path)``.

    Mirrors ``load`` with an output argument: returns a dict of the file's variables,
    converted as described in the module docstring. Octave's default ``save`` format (its
    text format) is read too.

    Parameters
    ----------
    path : str or path-like
        A MATLAB v4, v6 or v7 .mat file (Octave: ``save -v7`` / ``-v6``), or a file in
        Octave's text format (Octave's ``save`` without options).

    Returns
    -------
    variables : dict
        The variable names to their values.

    Raises
    ------
    OSError
        The file cannot be opened (FileNotFoundError when it is missing); the message names
        it.
    ValueError
        The file is not a readable .mat file: truncated, corrupt, sizes the file does not
        hold, another format (MATLAB v7.3 / HDF5, Octave's binary format); one line naming
        the file and what is wrong.
    """
    path = os.fspath(path)
    data = _read(path)
    if not data:
        raise ValueError(f"{path}: the file is empty, not a .mat file")
    if data.startswith((b"# Created by Octave", b"# name:")):
        return load_octave_text(data, path)
    if data.startswith(b"Octave-1-"):
        raise ValueError(f"{path}: Octave's binary format is not read; save with -v7")
    if data.startswith(b"MATLAB 7.3") or data[512:520] == b"\x89HDF\r\n\x1a\n":
        raise ValueError(f"{path}: MATLAB v7.3 (HDF5) files are not read; save with -v7")
    tree: dict[str, Any] = {}
    depth = 0
    try:
        if 0 not in data[:4]:  # scipy reads a file as MAT 5 only then
            if not is_mat5(data):
                raise ValueError("not a .mat file (no MAT 5 header, and not MAT v4)")
            with nesting_room(MAX_DEPTH):
                tree, depth = check_mat5(data)
        else:
            try:
                check_v4(data)
            except ValueError as exc:
                if is_mat5(data):
                    raise ValueError("a MAT 5 file whose header text is damaged (its first "
                                     "bytes are zero)") from None
                raise ValueError(f"not a .mat file (read as MAT v4: {exc})") from None
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None

    def read(mat_dtype: bool) -> dict:
        try:
            return scipy.io.loadmat(io.BytesIO(data), mat_dtype=mat_dtype, squeeze_me=False,
                                    struct_as_record=True, chars_as_strings=True,
                                    **_SPARSE)
        except Exception as exc:  # scipy raises anything at all on a corrupt file
            raise ValueError(f"{path}: not a readable .mat file "
                             f"({type(exc).__name__}: {str(exc)[:200]})") from None

    with nesting_room(depth):
        # mat_dtype=True gives MATLAB's classes (logical, double stored compactly as
        # integers) but scipy drops imaginary parts with it; where it warns so, take those
        # from a plain read.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", np.exceptions.ComplexWarning)
            raw = read(True)
        for w in caught:  # pass on the others (a deprecation in scipy must reach CI's -W error)
            if not issubclass(w.category, np.exceptions.ComplexWarning):
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        if any(issubclass(w.category, np.exceptions.ComplexWarning) for w in caught):
            raw = with_complex(raw, read(False))
        try:
            return {k: from_matlab(v, tree.get(k)) for k, v in raw.items()
                    if not k.startswith("__")}
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path}: not a readable .mat file ({exc})") from None


def savemat(path: str | os.PathLike, mdict: dict[str, Any]) -> None:
    """Save variables to a .mat file as MATLAB's ``save(path, '-struct', 'mdict')``.

    Mirrors ``save -v7`` (compressed, MATLAB 5 format) so that MATLAB and Octave ``load``
    the variables with the shapes and classes listed in the module docstring. Empty structs
    (``{}`` is ``struct()``; a :class:`StructArray` without elements keeps its field names)
    and empty cells are saved as such.

    The file is written atomically (:func:`ufldl_py.atomic.atomic_write`): if anything goes
    wrong, an existing file at ``path`` is left as it was and no temporary file remains.

    Parameters
    ----------
    path : str or path-like
        The .mat file to write.
    mdict : dict
        Variable names (MATLAB names: a letter, then letters, digits or underscores, at
        most 63 characters, not a keyword) to values.

    Raises
    ------
    ValueError
        A variable or field name MATLAB does not accept, nesting deeper than 1000 levels, or a
        value the format cannot hold (the message names the variable).
    TypeError
        A value that has no MATLAB counterpart (the message names the variable).
    OSError
        The file cannot be written.
    """
    if not isinstance(mdict, dict):
        raise TypeError(f"savemat: mdict must be a dict of variables, not "
                        f"{type(mdict).__name__}")
    where = f"savemat {os.fspath(path)}"
    for name in mdict:
        try:
            check_variable_name(name)
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None
    buf = io.BytesIO()
    with nesting_room(MAX_DEPTH):
        converted = {}
        for k, v in mdict.items():
            try:
                converted[k] = to_matlab(v)
            except (TypeError, ValueError) as exc:
                raise type(exc)(f"{where}: variable {k}: {exc}") from None
        try:
            write_mat5(buf, converted)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValueError(f"{where}: {exc}") from None
    with atomic_write(path) as f:
        f.write(buf.getvalue())
