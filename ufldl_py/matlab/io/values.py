"""The Python values of MATLAB's: :class:`Cell`, :class:`StructArray`, MATLAB's names, and
the conversions both ways (:func:`from_matlab` after scipy's reader, :func:`to_matlab` before
the MAT 5 writer)."""

from __future__ import annotations

import contextlib
import re
import sys
from typing import Any, Iterable, Iterator

import numpy as np
import scipy.sparse

__all__ = ["Cell", "StructArray", "EmptyStruct", "from_matlab", "to_matlab", "is_variable_name",
           "check_variable_name", "with_complex", "has_empty_object", "nesting_room",
           "NAMELENGTHMAX", "MAX_DEPTH", "KEYWORDS"]

#: MATLAB's namelengthmax: longer names are truncated by MATLAB, so they are refused here.
NAMELENGTHMAX = 63

#: The deepest nesting of cells and structs read or written (Octave loads 400 levels).
MAX_DEPTH = 1000

#: MATLAB's keywords (iskeyword) and Octave's, which neither can load as variable names.
KEYWORDS = frozenset("""
    break case catch classdef continue else elseif end for function global if otherwise parfor
    persistent return spmd switch try while do until unwind_protect unwind_protect_cleanup
    end_try_catch end_unwind_protect endclassdef endenumeration endevents endfor endfunction
    endif endmethods endparfor endproperties endspmd endswitch endwhile enumeration events
    methods properties __FILE__ __LINE__
""".split())

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


def is_variable_name(name: Any) -> bool:
    """Whether MATLAB (and Octave) can load ``name`` as a variable: ``isvarname``.

    Parameters
    ----------
    name : object
        The candidate.

    Returns
    -------
    ok : bool
        True for a string of an ASCII letter then letters, digits and underscores, at most
        :data:`NAMELENGTHMAX` (63) characters, that is not a keyword.
    """
    return (isinstance(name, str) and len(name) <= NAMELENGTHMAX and bool(_NAME.match(name))
            and name not in KEYWORDS)


def check_variable_name(name: Any, what: str = "variable") -> None:
    """Raise a one-line ValueError when ``name`` is not :func:`is_variable_name`.

    Parameters
    ----------
    name : object
        The candidate.
    what : str
        'variable' or 'struct field', for the message.

    Raises
    ------
    ValueError
        Saying why (too long, a keyword, not an identifier).
    """
    if is_variable_name(name):
        return
    if what != "variable" and isinstance(name, str) and name in KEYWORDS \
            and len(name) <= NAMELENGTHMAX:
        return  # s.('end') is a valid field, only a variable cannot be called so
    if not isinstance(name, str):
        why = f"not a string but {type(name).__name__}"
    elif len(name) > NAMELENGTHMAX:
        why = (f"{len(name)} characters, over MATLAB's namelengthmax of {NAMELENGTHMAX} "
               f"(MATLAB would truncate it)")
    elif name in KEYWORDS:
        why = "a MATLAB keyword"
    else:
        why = "not a MATLAB identifier (a letter, then letters, digits or underscores)"
    shown = repr(name) if not isinstance(name, str) or len(name) <= 80 else \
        repr(name[:40]) + "..."
    raise ValueError(f"{what} name {shown} is {why}")


@contextlib.contextmanager
def nesting_room(levels: int) -> Iterator[None]:
    """Room on Python's recursion limit for ``levels`` of nested cells and structs (each
    level takes a few frames in the converters and the writer), restored afterwards.

    Parameters
    ----------
    levels : int
        The nesting depth to make room for (at most :data:`MAX_DEPTH`).
    """
    old = sys.getrecursionlimit()
    if levels > 50:
        sys.setrecursionlimit(old + 8 * levels)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


class Cell(list):
    """A MATLAB cell array: a list of its elements in column-major order, with its shape.

    ``Cell(items)`` is a 1 x n cell (``{}``, 0 x 0, when empty); ``Cell(items, shape)`` any
    shape whose product is ``len(items)``.

    Parameters
    ----------
    items : iterable
        The elements, in column-major order.
    shape : tuple of int, optional
        The cell's size (default 1 x n, or 0 x 0 when empty).

    Raises
    ------
    ValueError
        When the shape does not hold len(items) elements.
    """

    def __init__(self, items: Iterable = (), shape: tuple[int, ...] | None = None):
        super().__init__(items)
        if shape is None:
            shape = (1, len(self)) if len(self) else (0, 0)
        shape = tuple(int(s) for s in shape)
        if int(np.prod(shape, dtype=object)) != len(self):
            raise ValueError(f"Cell shape {shape} does not hold {len(self)} elements")
        self.shape = shape

    def __repr__(self) -> str:
        return f"Cell({list.__repr__(self)}, shape={self.shape})"


class StructArray(list):
    """A MATLAB struct array (other than 1 x 1): a list of dicts in column-major order.

    Parameters
    ----------
    items : iterable of dict
        The structs, in column-major order.
    shape : tuple of int, optional
        The array's size.
    fieldnames : iterable of str, optional
        The field names (kept when the array is empty).
    """

    def __init__(self, items: Iterable[dict] = (), shape: tuple[int, ...] | None = None,
                 fieldnames: Iterable[str] | None = None):
        super().__init__(items)
        if shape is None:
            shape = (1, len(self))
        shape = tuple(int(s) for s in shape)
        if int(np.prod(shape, dtype=object)) != len(self):
            raise ValueError(f"StructArray shape {shape} does not hold {len(self)} elements")
        self.shape = shape
        names: list[str] = list(fieldnames or ())
        for rec in self:
            if not isinstance(rec, dict):
                raise TypeError(f"StructArray elements are dicts, not {type(rec).__name__}")
            names.extend(k for k in rec if k not in names)
        #: the field names, in order (kept when the array has no elements: struct('p', {}))
        self.fieldnames = names

    def __repr__(self) -> str:
        if not self:
            return f"StructArray([], shape={self.shape}, fieldnames={self.fieldnames})"
        return f"StructArray({list.__repr__(self)}, shape={self.shape})"


class EmptyStruct:
    """A struct array without fields (``struct()`` 1 x 1, ``struct([])`` 0 x 0, ...), which a
    numpy record array cannot express.

    Parameters
    ----------
    shape : tuple of int
        The struct array's size.
    """

    def __init__(self, shape: tuple[int, ...]):
        self.shape = tuple(shape)


# --------------------------------------------------------------------------- loading

CELL_CLASS, STRUCT_CLASS, OBJECT_CLASS = 1, 2, 3


def from_matlab(value: Any, _node: Any = None) -> Any:
    """Convert one value as ``scipy.io.loadmat(..., mat_dtype=True)`` returns it.

    Parameters
    ----------
    value : object
        scipy's value.
    _node : tuple, optional
        The value's entry in the class tree of :func:`.mat5_check.check_mat5`, which tells an
        empty struct array (``struct([])``) from an empty cell (``{}``) (scipy reads both as an
        empty object array) and a logical sparse matrix from a double one.

    Returns
    -------
    value : object
        As the table of :mod:`ufldl_py.matlab.io` says.
    """
    cls, children, names, logical = _node if _node is not None else (None, (), (), False)
    if scipy.sparse.issparse(value):
        return scipy.sparse.csc_matrix(value, dtype=bool if logical else None)
    if not isinstance(value, np.ndarray):
        return value
    if value.dtype.names is not None:  # struct or struct array
        nf = len(value.dtype.names)
        records = [
            {name: from_matlab(rec[name], _child(children, i * nf + j))
             for j, name in enumerate(value.dtype.names)}
            for i, rec in enumerate(value.ravel(order="F"))
        ]
        if value.shape == (1, 1):
            return records[0]
        return StructArray(records, value.shape, value.dtype.names)
    if value.dtype == object:  # cell array, or a struct array without fields
        flat = value.ravel(order="F")
        if (cls in (STRUCT_CLASS, OBJECT_CLASS) and not names) or \
                (flat.size and all(v is None for v in flat)):
            if value.shape == (1, 1):
                return {}
            return StructArray([{} for _ in flat], value.shape)
        if cls in (STRUCT_CLASS, OBJECT_CLASS):
            return StructArray([], value.shape, names)
        return Cell([from_matlab(v, _child(children, i)) for i, v in enumerate(flat)],
                    value.shape)
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


def _child(children, i):
    return children[i] if i < len(children) else None


def has_empty_object(value: Any) -> bool:
    """Whether scipy's result holds an empty object array (a {} or a struct([]) somewhere).

    Parameters
    ----------
    value : object
        A value as scipy's loadmat returns it.

    Returns
    -------
    bool
    """
    if not isinstance(value, np.ndarray):
        return False
    if value.dtype.names is not None:
        return any(has_empty_object(rec[n]) for rec in value.ravel() for n in value.dtype.names)
    if value.dtype == object:
        return value.size == 0 or any(has_empty_object(v) for v in value.ravel())
    return False


def with_complex(typed: Any, plain: Any) -> Any:
    """Put back the complex values of ``plain`` that scipy's typed read (mat_dtype) made real.

    Parameters
    ----------
    typed : object
        scipy's read with mat_dtype.
    plain : object
        scipy's read without it.

    Returns
    -------
    object
        typed, with plain's complex values put back.
    """
    if isinstance(typed, dict):
        return {k: with_complex(v, plain[k]) for k, v in typed.items()}
    if not isinstance(typed, np.ndarray):
        return typed
    if typed.dtype.names is not None:
        out = typed.copy()
        for idx in np.ndindex(typed.shape):
            for name in typed.dtype.names:
                out[idx][name] = with_complex(typed[idx][name], plain[idx][name])
        return out
    if typed.dtype == object:
        out = np.empty(typed.shape, dtype=object)
        for idx in np.ndindex(typed.shape):
            out[idx] = with_complex(typed[idx], plain[idx])
        return out
    if np.iscomplexobj(plain):
        return plain.astype(np.result_type(typed.dtype, np.complex64))
    return typed


# --------------------------------------------------------------------------- saving

# the numpy kinds and sizes a MAT 5 file holds (no float16, no long double)
_SAVABLE = {np.dtype(t) for t in ("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32",
                                  "int64", "uint64", "float32", "float64", "complex64",
                                  "complex128")}


def _check_dtype(dtype: np.dtype, what: str) -> None:
    if dtype.newbyteorder("=") not in _SAVABLE:
        raise TypeError(f"cannot save {what} of dtype {dtype} to a .mat file (MATLAB has no "
                        f"such class; convert it to float64, float32 or an integer type)")


def _object_array(items: list, shape: tuple[int, ...], depth: int) -> np.ndarray:
    arr = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        arr[i] = to_matlab(item, depth + 1)
    return arr.reshape(shape, order="F")


def _check_field(key: Any) -> None:
    check_variable_name(key, "struct field")


def to_matlab(value: Any, _depth: int = 0) -> Any:
    """Convert one Python value into the numpy/scipy value the MAT 5 writer writes.

    Parameters
    ----------
    value : object
        As the table of :mod:`ufldl_py.matlab.io` says, in the saving direction.
    _depth : int
        The nesting depth so far (internal).

    Returns
    -------
    value : numpy.ndarray, str, scipy.sparse.csc_matrix or EmptyStruct
        Numeric arrays at least 2-D; cells as object arrays; structs as record arrays.

    Raises
    ------
    TypeError
        A value with no MATLAB counterpart.
    ValueError
        A field name MATLAB does not accept, or nesting deeper than :data:`MAX_DEPTH`.
    """
    if _depth > MAX_DEPTH:
        raise ValueError(f"cells and structs nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, StructArray):
        names = list(getattr(value, "fieldnames", ()))
        for rec in value:
            if not isinstance(rec, dict):
                raise TypeError(f"a StructArray holds dicts, not {type(rec).__name__}")
            names.extend(k for k in rec if k not in names)
        for n in names:
            _check_field(n)
        if not names:
            return EmptyStruct(value.shape)
        arr = np.empty(int(np.prod(value.shape)), dtype=[(n, object) for n in names])
        for i, rec in enumerate(value):
            for n in names:
                arr[i][n] = to_matlab(rec.get(n, np.zeros((0, 0))), _depth + 1)
        return arr.reshape(value.shape, order="F")
    if isinstance(value, Cell):
        return _object_array(list(value), value.shape, _depth)
    if isinstance(value, (list, tuple)):
        return _object_array(list(value), (1, len(value)) if value else (0, 0), _depth)
    if isinstance(value, dict):
        for key in value:
            _check_field(key)
        if not value:
            return EmptyStruct((1, 1))
        arr = np.empty((1, 1), dtype=[(k, object) for k in value])
        for k, v in value.items():
            arr[0, 0][k] = to_matlab(v, _depth + 1)
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
        _check_dtype(value.dtype, "a sparse matrix")
        if value.ndim != 2:
            raise TypeError("cannot save a sparse array that is not 2-D")
        return scipy.sparse.csc_matrix(value)
    if isinstance(value, np.generic):
        if value.dtype.kind not in "biufc":
            raise TypeError(f"cannot save a numpy {value.dtype} scalar to a .mat file")
        _check_dtype(value.dtype, "a scalar")
        return np.array(value).reshape(1, 1)
    if isinstance(value, np.ndarray):
        if value.dtype == object:
            return _object_array(list(value.ravel(order="F")), value.shape, _depth)
        if value.dtype.kind not in "biufc":
            raise TypeError(f"cannot save an array of dtype {value.dtype} to a .mat file")
        _check_dtype(value.dtype, "an array")
        if value.ndim == 0:
            return value.reshape(1, 1)
        if value.ndim == 1:
            return value.reshape(-1, 1)
        return value
    raise TypeError(f"cannot save a value of type {type(value).__name__} to a .mat file")
