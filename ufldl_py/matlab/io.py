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
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Iterable

import numpy as np
import scipy.io
import scipy.sparse

__all__ = ["Cell", "StructArray", "loadmat", "savemat", "to_matlab", "from_matlab"]


class Cell(list):
    """A MATLAB cell array: a list of its elements in column-major order, with its shape.

    ``Cell(items)`` is a 1 x n cell (``{}``, 0 x 0, when empty); ``Cell(items, shape)`` any
    shape whose product is ``len(items)``.
    """

    def __init__(self, items: Iterable = (), shape: tuple[int, ...] | None = None):
        super().__init__(items)
        if shape is None:
            shape = (1, len(self)) if len(self) else (0, 0)
        shape = tuple(int(s) for s in shape)
        if int(np.prod(shape)) != len(self):
            raise ValueError(f"Cell shape {shape} does not hold {len(self)} elements")
        self.shape = shape

    def __repr__(self) -> str:
        return f"Cell({list.__repr__(self)}, shape={self.shape})"


class StructArray(list):
    """A MATLAB struct array (other than 1 x 1): a list of dicts in column-major order."""

    def __init__(self, items: Iterable[dict] = (), shape: tuple[int, ...] | None = None):
        super().__init__(items)
        if shape is None:
            shape = (1, len(self))
        shape = tuple(int(s) for s in shape)
        if int(np.prod(shape)) != len(self):
            raise ValueError(f"StructArray shape {shape} does not hold {len(self)} elements")
        self.shape = shape

    def __repr__(self) -> str:
        return f"StructArray({list.__repr__(self)}, shape={self.shape})"


# --------------------------------------------------------------------------- loading


def from_matlab(value: Any) -> Any:
    """Convert one value as ``scipy.io.loadmat(..., mat_dtype=True)`` returns it."""
    if scipy.sparse.issparse(value):
        return scipy.sparse.csc_matrix(value)
    if not isinstance(value, np.ndarray):
        return value
    if value.dtype.names is not None:  # struct or struct array
        records = [
            {name: from_matlab(rec[name]) for name in value.dtype.names}
            for rec in value.ravel(order="F")
        ]
        if value.shape == (1, 1):
            return records[0]
        return StructArray(records, value.shape)
    if value.dtype == object:  # cell array
        return Cell([from_matlab(v) for v in value.ravel(order="F")], value.shape)
    if value.dtype.kind == "U":  # char
        if value.size == 0:
            return ""
        if value.size == 1:
            return str(value.item())
        return Cell([str(s) for s in value.ravel()], (value.size, 1))  # char matrix rows
    if value.shape == (1, 1):
        if value.dtype == np.float64:
            return float(value[0, 0])
        if value.dtype == np.bool_:
            return bool(value[0, 0])
    return value


def loadmat(path: str | os.PathLike) -> dict[str, Any]:
    """Load a .mat file as MATLAB's ``S = load(path)``.

    Mirrors ``load`` with an output argument: returns a dict of the file's variables,
    converted as described in the module docstring.

    Parameters
    ----------
    path : path of a MATLAB v4, v6 or v7 .mat file (Octave: ``save -v7`` / ``-v6``).

    Returns
    -------
    dict mapping variable names to values.
    """
    def read(mat_dtype: bool) -> dict:
        return scipy.io.loadmat(os.fspath(path), mat_dtype=mat_dtype, squeeze_me=False,
                                struct_as_record=True, chars_as_strings=True)

    # mat_dtype=True gives MATLAB's classes (logical, double stored compactly as integers)
    # but scipy drops imaginary parts with it; where it warns so, take those from a plain read.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", np.exceptions.ComplexWarning)
        raw = read(True)
    if any(issubclass(w.category, np.exceptions.ComplexWarning) for w in caught):
        raw = _with_complex(raw, read(False))
    return {k: from_matlab(v) for k, v in raw.items() if not k.startswith("__")}


def _with_complex(typed: Any, plain: Any) -> Any:
    """Put back the complex values of ``plain`` that the typed read made real."""
    if isinstance(typed, dict):
        return {k: _with_complex(v, plain[k]) for k, v in typed.items()}
    if not isinstance(typed, np.ndarray):
        return typed
    if typed.dtype.names is not None:
        out = typed.copy()
        for idx in np.ndindex(typed.shape):
            for name in typed.dtype.names:
                out[idx][name] = _with_complex(typed[idx][name], plain[idx][name])
        return out
    if typed.dtype == object:
        out = np.empty(typed.shape, dtype=object)
        for idx in np.ndindex(typed.shape):
            out[idx] = _with_complex(typed[idx], plain[idx])
        return out
    if np.iscomplexobj(plain):
        return plain.astype(np.result_type(typed.dtype, np.complex64))
    return typed


# --------------------------------------------------------------------------- saving


def _object_array(items: list, shape: tuple[int, ...]) -> np.ndarray:
    arr = np.empty(int(np.prod(shape)), dtype=object)
    for i, item in enumerate(items):
        arr[i] = to_matlab(item)
    return arr.reshape(shape, order="F")


def to_matlab(value: Any) -> Any:
    """Convert one Python value into what ``scipy.io.savemat`` writes as MATLAB expects."""
    if isinstance(value, StructArray):
        names: list[str] = []
        for rec in value:
            names.extend(k for k in rec if k not in names)
        arr = np.empty(int(np.prod(value.shape)), dtype=[(n, object) for n in names])
        for i, rec in enumerate(value):
            for n in names:
                arr[i][n] = to_matlab(rec.get(n, np.zeros((0, 0))))
        return arr.reshape(value.shape, order="F")
    if isinstance(value, Cell):
        return _object_array(list(value), value.shape)
    if isinstance(value, (list, tuple)):
        return _object_array(list(value), (1, len(value)) if value else (0, 0))
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str) or not key.isidentifier() or key.startswith("_"):
                raise ValueError(f"struct field name {key!r} is not a valid MATLAB name")
        arr = np.empty((1, 1), dtype=[(k, object) for k in value])
        for k, v in value.items():
            arr[0, 0][k] = to_matlab(v)
        return arr
    if value is None:
        return np.zeros((0, 0))
    if isinstance(value, (bool, np.bool_)):
        return np.array([[bool(value)]])
    if isinstance(value, (int, float)) and not isinstance(value, np.generic):
        return np.array([[float(value)]])
    if isinstance(value, complex):
        return np.array([[value]])
    if isinstance(value, str):
        return value
    if scipy.sparse.issparse(value):
        return scipy.sparse.csc_matrix(value)
    if isinstance(value, np.generic):
        return np.array(value).reshape(1, 1)
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return _object_array(list(value.ravel(order="F")), value.shape)
        if value.dtype.kind not in "biufc":
            raise TypeError(f"cannot save an array of dtype {value.dtype} to a .mat file")
        if value.ndim == 0:
            return value.reshape(1, 1)
        if value.ndim == 1:
            return value.reshape(-1, 1)
        return value
    raise TypeError(f"cannot save a value of type {type(value).__name__} to a .mat file")


def savemat(path: str | os.PathLike, mdict: dict[str, Any]) -> None:
    """Save variables to a .mat file as MATLAB's ``save(path, '-struct', 'mdict')``.

    Mirrors ``save -v7`` (compressed, MATLAB 5 format) so that MATLAB and Octave ``load``
    the variables with the shapes and classes listed in the module docstring.

    Parameters
    ----------
    path : path of the .mat file to write.
    mdict : variable names (valid MATLAB identifiers) to values.
    """
    for name in mdict:
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise ValueError(f"{name!r} is not a valid MATLAB variable name")
    converted = {k: to_matlab(v) for k, v in mdict.items()}
    scipy.io.savemat(os.fspath(path), converted, do_compression=True, oned_as="column",
                     long_field_names=True)
