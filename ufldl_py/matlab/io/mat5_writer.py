"""The MAT 5 writer (``save -v7``: each variable a zlib-compressed matrix element), written
on numpy, zlib and struct only, so that no scipy release can break it.

It writes what :func:`.values.to_matlab` makes: numeric and logical arrays (>= 2-D, any of
MATLAB's classes, complex too), strings, sparse matrices (double, complex, logical), cells
(object arrays), structs and struct arrays (record arrays of objects) and struct arrays
without fields (:class:`.values.EmptyStruct`). The layout is the MAT-file format's
("MATLAB 7 MAT-File Format", MathWorks): a 128-byte header, then data elements of an 8-byte
tag (type, byte count) and data padded to 8 bytes; names of up to 4 bytes in the small
element form; text as UTF-16 code units (miUTF16, as Octave writes it: Octave, whose char is
UTF-8 bytes, reads UTF-16 back as UTF-8, but reads miUTF8 data byte by byte).
"""

from __future__ import annotations

import struct
import time
import zlib
from typing import Any

import numpy as np
import scipy.sparse

from .values import EmptyStruct

__all__ = ["write_mat5", "matrix_element"]

_MI_INT8, _MI_UINT8, _MI_INT32, _MI_UINT32 = 1, 2, 5, 6
_MI_MATRIX, _MI_COMPRESSED, _MI_UTF16 = 14, 15, 17
_MX_CELL, _MX_STRUCT, _MX_CHAR, _MX_SPARSE, _MX_DOUBLE = 1, 2, 4, 5, 6
#: numpy type -> (MATLAB class, MAT data type)
_CLASSES = {"float64": (6, 9), "float32": (7, 7), "int8": (8, 1), "uint8": (9, 2),
            "int16": (10, 3), "uint16": (11, 4), "int32": (12, 5), "uint32": (13, 6),
            "int64": (14, 12), "uint64": (15, 13), "bool": (9, 2)}
_COMPLEX_PART = {"complex128": "float64", "complex64": "float32"}
_LOGICAL, _COMPLEX = 0x200, 0x800
_INT32_MAX = 2 ** 31 - 1


def _element(mtype: int, data: bytes) -> bytes:
    n = len(data)
    if 0 < n <= 4:
        return struct.pack("<HH", mtype, n) + data + bytes(4 - n)
    return struct.pack("<II", mtype, n) + data + bytes(-n % 8)


def _header(cls: int, flags: int, shape: tuple[int, ...], nzmax: int = 0) -> bytes:
    if any(d > _INT32_MAX for d in shape):
        raise ValueError(f"a dimension of {shape} exceeds the MAT 5 limit of {_INT32_MAX}")
    return (_element(_MI_UINT32, struct.pack("<II", cls | flags, nzmax))
            + _element(_MI_INT32, np.asarray(shape, "<i4").tobytes()))


def _numeric(dtype: np.dtype, values: np.ndarray) -> tuple[int, bytes]:
    mx, mi = _CLASSES[dtype.name]
    return mx, _element(mi, values.astype(np.dtype(dtype.name).newbyteorder("<"),
                                          copy=False).tobytes(order="F"))


def matrix_element(value: Any, name: bytes) -> bytes:
    """One miMATRIX element, tag included (cells and structs hold one per element).

    Parameters
    ----------
    value : object
        As :func:`.values.to_matlab` makes it.
    name : bytes
        The variable's name (empty inside cells and structs).

    Returns
    -------
    element : bytes
    """
    name_el = _element(_MI_INT8, name) if name else struct.pack("<II", _MI_INT8, 0)
    if isinstance(value, EmptyStruct):
        body = (_header(_MX_STRUCT, 0, value.shape) + name_el
                + _element(_MI_INT32, struct.pack("<i", 1)) + struct.pack("<II", _MI_INT8, 0))
    elif isinstance(value, str):
        chars = np.array([ord(c) for c in value], dtype=np.uint32)
        if (chars > 0xFFFF).any():
            raise ValueError("characters outside Unicode's basic plane (MATLAB's char is "
                             "16 bits)")
        shape = (1, len(value)) if value else (0, 0)
        body = (_header(_MX_CHAR, 0, shape) + name_el
                + _element(_MI_UTF16, value.encode("utf-16-le")))
    elif scipy.sparse.issparse(value):
        value = scipy.sparse.csc_matrix(value)
        value.sum_duplicates()
        kind = value.dtype.kind
        flags = (_LOGICAL if kind == "b" else 0) | (_COMPLEX if kind == "c" else 0)
        data = value.data
        body = (_header(_MX_SPARSE, flags, value.shape, max(value.nnz, 1)) + name_el
                + _element(_MI_INT32, value.indices.astype("<i4").tobytes())
                + _element(_MI_INT32, value.indptr.astype("<i4").tobytes()))
        if kind == "c":
            body += (_element(9, data.real.astype("<f8").tobytes())
                     + _element(9, data.imag.astype("<f8").tobytes()))
        else:
            body += _element(9, data.astype("<f8").tobytes())
    elif value.dtype.names is not None:  # struct (array)
        names = [n.encode("ascii") for n in value.dtype.names]
        width = max(len(n) for n in names) + 1
        parts = [_header(_MX_STRUCT, 0, value.shape), name_el,
                 _element(_MI_INT32, struct.pack("<i", width)),
                 _element(_MI_INT8, b"".join(n.ljust(width, b"\0") for n in names))]
        for rec in value.ravel(order="F"):
            parts.extend(matrix_element(rec[n], b"") for n in value.dtype.names)
        body = b"".join(parts)
    elif value.dtype == object:  # cell
        parts = [_header(_MX_CELL, 0, value.shape), name_el]
        parts.extend(matrix_element(v, b"") for v in value.ravel(order="F"))
        body = b"".join(parts)
    elif value.dtype.kind == "c":
        part = np.dtype(_COMPLEX_PART[value.dtype.name])
        mx, real = _numeric(part, value.real)
        _, imag = _numeric(part, value.imag)
        body = _header(mx, _COMPLEX, value.shape) + name_el + real + imag
    else:
        mx, data = _numeric(value.dtype, value)
        flags = _LOGICAL if value.dtype == np.bool_ else 0
        body = _header(mx, flags, value.shape) + name_el + data
    return struct.pack("<II", _MI_MATRIX, len(body)) + body


def write_mat5(stream, variables: dict[str, Any]) -> None:
    """Write a MAT 5 file (compressed, as ``save -v7``) to a binary stream.

    Parameters
    ----------
    stream : binary file object
        Where the file goes, from its first byte.
    variables : dict
        Names (checked MATLAB names) to values as :func:`.values.to_matlab` makes them.

    Raises
    ------
    ValueError
        A value the format cannot hold (a dimension over 2^31 - 1, a character outside the
        16-bit plane).
    """
    text = (f"MATLAB 5.0 MAT-file, Platform: ufldl_py, Created on: {time.asctime()}"
            .encode("ascii").ljust(116, b" ")[:116])
    stream.write(text + bytes(8) + struct.pack("<H", 0x0100) + b"IM")
    for name, value in variables.items():
        packed = zlib.compress(matrix_element(value, name.encode("ascii")))
        stream.write(struct.pack("<II", _MI_COMPRESSED, len(packed)) + packed)
