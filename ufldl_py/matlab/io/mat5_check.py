"""Checks of a MAT file's layout before scipy's reader sees it.

scipy's reader trusts the file: a corrupt data-type code in an element tag crashes the
process (segmentation fault), and sizes are taken from the file before the bytes behind
them are known to exist. :func:`check_mat5` and :func:`check_v4` walk the whole layout first
(every tag, every size against the bytes present, compressed variables decompressed no
further than their tags say) and raise a one-line ValueError saying what is wrong; only a
file that passes is handed to scipy.

:func:`check_mat5` also returns each variable's class tree, which tells an empty struct array
(``struct([])``) from an empty cell (``{}``) and a logical sparse matrix from a numeric one,
both of which scipy reads alike.
"""

from __future__ import annotations

import re
import struct
import zlib
from typing import Any

import numpy as np

from .values import MAX_DEPTH, OBJECT_CLASS, STRUCT_CLASS

__all__ = ["check_mat5", "check_v4", "is_mat5", "MI_MATRIX", "MI_COMPRESSED"]

MI_MATRIX, MI_COMPRESSED = 14, 15
_CHAR_CLASS, _SPARSE_CLASS = 4, 5
#: the bytes per item of each MAT 5 data type that may appear inside a matrix
_ITEMSIZE = {1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1, 17: 2, 18: 4}
_INT_TYPES = {1: "i1", 2: "u1", 3: "i2", 4: "u2", 5: "i4", 6: "u4", 12: "i8", 13: "u8"}
_NAME = re.compile(rb"[A-Za-z][A-Za-z0-9_]*\Z")


def is_mat5(data: bytes) -> bool:
    """Whether ``data`` has a MAT 5 header's version (0x0100) and endian indicator.

    Parameters
    ----------
    data : bytes
        The file's first bytes (its 128-byte header).

    Returns
    -------
    bool
    """
    if len(data) < 128 or data[126:128] not in (b"IM", b"MI"):
        return False
    endian = "<" if data[126:128] == b"IM" else ">"
    return struct.unpack(endian + "H", data[124:126])[0] == 0x0100


class _Walker:
    """One pass over a MAT 5 file's elements."""

    def __init__(self, data: bytes):
        self.data = data
        self.endian = "<" if data[126:128] == b"IM" else ">"
        self.depth = self.deepest = 0
        self.top = ""  # the variable being walked, for the messages

    def tag(self, buf: bytes, pos: int, where: str) -> tuple[int, bytes, int]:
        """The element at ``pos`` of ``buf``: its type, its data, the position after it."""
        if pos + 8 > len(buf):
            raise ValueError(f"{where}: truncated element tag ({len(buf) - pos} of 8 bytes)")
        first, second = struct.unpack_from(self.endian + "II", buf, pos)
        if first >> 16:  # small data element: type and size in one word
            mtype, n = first & 0xFFFF, first >> 16
            if n > 4:
                raise ValueError(f"{where}: small data element of {n} bytes (at most 4)")
            data, end = buf[pos + 4:pos + 4 + n], pos + 8
        else:
            mtype, n = first, second
            if n > len(buf) - pos - 8:
                raise ValueError(f"{where}: element claims {n} bytes, only "
                                 f"{len(buf) - pos - 8} are present")
            data, end = buf[pos + 8:pos + 8 + n], min(len(buf), pos + 8 + (n + 7) // 8 * 8)
        if mtype not in _ITEMSIZE and mtype != MI_MATRIX:
            raise ValueError(f"{where}: invalid data type code {mtype} in an element tag")
        return mtype, data, end

    def ints(self, data: bytes, mtype: int, where: str) -> np.ndarray:
        if mtype not in _INT_TYPES:
            raise ValueError(f"{where}: expected integers, found data type {mtype}")
        size = _ITEMSIZE[mtype]
        if len(data) % size:
            raise ValueError(f"{where}: {len(data)} bytes are not whole items of {size}")
        return np.frombuffer(data, self.endian + _INT_TYPES[mtype]).astype(np.int64)

    def variables(self) -> dict[str, Any]:
        data, out, pos = memoryview(self.data), {}, 128  # slices of it are not copies
        while pos < len(data):
            where = f"variable at byte {pos}"
            if pos + 8 > len(data):
                raise ValueError(f"{where}: truncated element tag ({len(data) - pos} of 8 "
                                 "bytes)")
            mtype, n = struct.unpack_from(self.endian + "II", data, pos)
            if mtype not in (MI_MATRIX, MI_COMPRESSED):
                raise ValueError(f"{where}: data type {mtype}, expected a matrix (14) or "
                                 "compressed data (15)")
            if n > len(data) - pos - 8:
                raise ValueError(f"{where}: claims {n} bytes, only {len(data) - pos - 8} are "
                                 "present (truncated?)")
            body = data[pos + 8:pos + 8 + n]
            if mtype == MI_COMPRESSED:
                body = memoryview(self.inflate(body, where))
            name, node = self.matrix(body, where, top=True)
            out[name] = node
            pos += 8 + n
        return out

    def inflate(self, comp: bytes, where: str) -> bytes:
        """The one matrix element a compressed element holds, decompressed no further than
        its tag says (it may say more than there is: Octave counts a small char element as a
        full one, and scipy reads such files)."""
        d = zlib.decompressobj()
        try:
            head = d.decompress(comp, 8)
            if len(head) < 8:
                raise ValueError(f"{where}: compressed data too short for an element tag")
            mtype, n = struct.unpack(self.endian + "II", head)
            if mtype != MI_MATRIX:
                raise ValueError(f"{where}: compressed data holds data type {mtype}, expected "
                                 "a matrix (14)")
            body = d.decompress(d.unconsumed_tail, n)
        except zlib.error as exc:
            raise ValueError(f"{where}: corrupt compressed data ({exc})") from None
        return body  # may be shorter than n: Octave overstates char matrices' sizes

    def matrix(self, body: bytes, where: str, top: bool = False):
        """Check one miMATRIX element's contents; its name and class tree."""
        self.deepest = max(self.deepest, self.depth)
        if self.depth > MAX_DEPTH:
            raise ValueError(f"{where}: cells and structs nested deeper than {MAX_DEPTH} levels")
        if not body:
            return "", None  # an empty miMATRIX: []
        mtype, flags, pos = self.tag(body, 0, where)
        if mtype != 6 or len(flags) != 8:
            raise ValueError(f"{where}: array flags are not two uint32 words")
        word, nzmax = struct.unpack(self.endian + "II", flags)
        cls, is_complex, is_logical = word & 0xFF, bool(word & 0x800), bool(word & 0x200)
        if not 1 <= cls <= 15:
            raise ValueError(f"{where}: array class {cls} is not read (function handles and "
                             "opaque objects are not)" if cls in (16, 17) else
                             f"{where}: invalid array class {cls}")
        mtype, raw, pos = self.tag(body, pos, where)
        dims = self.ints(raw, mtype, f"{where}, dimensions")
        if mtype != 5 or dims.size < 2 or (dims < 0).any():
            raise ValueError(f"{where}: dimensions must be two or more non-negative int32, got "
                             f"{dims.tolist()[:8]}")
        numel = 1
        for d in dims.tolist():
            numel *= d
        mtype, raw, pos = self.tag(body, pos, where)
        if mtype not in (1, 2, 16):
            raise ValueError(f"{where}: the array name is of data type {mtype}")
        name = bytes(raw).rstrip(b"\0")
        if top:
            if not _NAME.match(name):
                raise ValueError(f"{where}: variable name {name[:64]!r} is not an identifier")
            where = self.top = f"variable {name.decode('ascii')!r}"
        shape = "x".join(map(str, dims.tolist()))
        if cls == _SPARSE_CLASS:
            self.sparse(body, pos, dims, is_complex, where)
            return name.decode("latin1"), (cls, (), (), is_logical)
        if cls == _CHAR_CLASS or 6 <= cls <= 15:
            mtype, raw, pos = self.tag(body, pos, where)
            if is_logical and mtype == 5 and len(raw) != numel:
                raise ValueError(f"{where}: a logical sparse matrix as Octave writes it (class "
                                 "uint8 holding sparse data, which Octave itself loads back as "
                                 "a full logical); save it as double(s) or full(s)")
            self.numeric(mtype, raw, numel, cls == _CHAR_CLASS, f"{where} ({shape})")
            if is_complex and cls != _CHAR_CLASS:
                mtype, raw, pos = self.tag(body, pos, where)
                self.numeric(mtype, raw, numel, False, f"{where} ({shape}), imaginary part")
            return name.decode("latin1"), (cls, (), (), is_logical)
        names: list[str] = []
        if cls in (STRUCT_CLASS, OBJECT_CLASS):
            if cls == OBJECT_CLASS:
                mtype, _, pos = self.tag(body, pos, where)  # the class name
            mtype, raw, pos = self.tag(body, pos, where)
            width = self.ints(raw, mtype, f"{where}, field name length")
            if width.size != 1 or not 1 <= width[0] <= 4096:
                raise ValueError(f"{where}: bad field name length {width.tolist()[:4]}")
            width = int(width[0])
            mtype, raw, pos = self.tag(body, pos, where)
            if mtype not in (1, 2) or len(raw) % width:
                raise ValueError(f"{where}: field names of {len(raw)} bytes are not whole "
                                 f"names of {width}")
            raw = bytes(raw)
            for k in range(0, len(raw), width):
                field = raw[k:k + width].split(b"\0")[0]
                if not _NAME.match(field) or field.decode("ascii") in names:
                    raise ValueError(f"{where}: bad or repeated field name {field[:64]!r}")
                names.append(field.decode("ascii"))
            if not names and numel > len(self.data):
                raise ValueError(f"{where}: a {shape} struct array without fields, more "
                                 f"elements than the file has bytes")
            count = numel * len(names)
        else:  # cell
            count = numel
        if count > (len(body) - pos) // 8:  # every element takes at least a tag
            raise ValueError(f"{where}: a {shape} array needs {count} elements, the file "
                             f"holds at most {(len(body) - pos) // 8}")
        children = []
        self.depth += 1
        for k in range(count):
            mtype, sub, pos = self.tag(body, pos, where)
            if mtype != MI_MATRIX:
                raise ValueError(f"{where}: element {k + 1} is data type {mtype}, not a matrix")
            children.append(self.matrix(sub, f"{self.top}, element {k + 1} at depth "
                                                 f"{self.depth}")[1])
        self.depth -= 1
        return name.decode("latin1"), (cls, children, names, False)

    def numeric(self, mtype: int, raw: bytes, numel: int, char: bool, where: str) -> None:
        size = _ITEMSIZE.get(mtype)
        if size is None or (not char and mtype in (16, 17, 18)):
            raise ValueError(f"{where}: data type {mtype} cannot hold the values")
        if char and mtype in (16, 17):  # UTF-8 / UTF-16: a character takes 1-4 / 2-4 bytes
            if not numel * size <= len(raw) <= numel * 4:
                raise ValueError(f"{where}: {len(raw)} bytes of text for {numel} characters")
        elif len(raw) != numel * size:
            raise ValueError(f"{where}: {numel} values need {numel * size} bytes, the data "
                             f"element has {len(raw)}")

    def sparse(self, body: bytes, pos: int, dims: np.ndarray, is_complex: bool,
               where: str) -> None:
        if dims.size != 2:
            raise ValueError(f"{where}: a sparse matrix has two dimensions, not {dims.size}")
        rows, cols = int(dims[0]), int(dims[1])
        mtype, raw, pos = self.tag(body, pos, where)
        ir = self.ints(raw, mtype, f"{where}, row indices")
        mtype, raw, pos = self.tag(body, pos, where)
        jc = self.ints(raw, mtype, f"{where}, column starts")
        if jc.size != cols + 1 or jc[0] != 0 or (np.diff(jc) < 0).any() or jc[-1] > ir.size:
            raise ValueError(f"{where}: column starts do not fit a sparse matrix of {cols} "
                             f"columns and {ir.size} row indices")
        nnz = int(jc[-1])
        if nnz and (ir[:nnz].min() < 0 or ir[:nnz].max() >= rows):
            raise ValueError(f"{where}: row indices outside 0..{rows - 1}")
        for part in ("real", "imaginary")[:1 + is_complex]:
            mtype, raw, pos = self.tag(body, pos, where)
            size = _ITEMSIZE.get(mtype)
            if size is None or mtype in (16, 17, 18) or len(raw) % size or \
                    len(raw) // size < nnz:
                raise ValueError(f"{where}: the {part} values do not hold {nnz} numbers")


def check_mat5(data: bytes) -> tuple[dict[str, Any], int]:
    """Check a MAT 5 file's layout and return each variable's class tree.

    Parameters
    ----------
    data : bytes
        The whole file (with a MAT 5 header, :func:`is_mat5`).

    Returns
    -------
    tree : dict
        Variable name -> (class, children, field names, logical), or None for ``[]``.
    depth : int
        The deepest nesting of cells and structs.

    Raises
    ------
    ValueError
        One line saying what is wrong and where.
    """
    walker = _Walker(data)
    tree = walker.variables()
    return tree, walker.deepest


_V4_ITEMSIZE = {0: 8, 1: 4, 2: 4, 3: 2, 4: 2, 5: 1}


def check_v4(data: bytes) -> None:
    """Check a MAT v4 file's layout: every header and every size against the bytes present.

    Parameters
    ----------
    data : bytes
        The whole file.

    Raises
    ------
    ValueError
        One line saying what is wrong and where.
    """
    first = struct.unpack_from("<i", data, 0)[0] if len(data) >= 4 else 0
    endian = ">" if first < 0 or first > 5000 else "<"  # as scipy's guess_byte_order
    pos = 0
    while pos < len(data):
        where = f"MAT v4 variable at byte {pos}"
        if pos + 20 > len(data):
            raise ValueError(f"{where}: truncated header ({len(data) - pos} of 20 bytes)")
        mopt, rows, cols, imagf, namlen = struct.unpack_from(endian + "5i", data, pos)
        m, rest = divmod(mopt, 1000)
        o, rest = divmod(rest, 100)
        p, t = divmod(rest, 10)
        if not 0 <= mopt < 2000 or m != (endian == ">") or o or p not in _V4_ITEMSIZE or \
                t not in (0, 1, 2) or imagf not in (0, 1):
            raise ValueError(f"{where}: invalid type code {mopt} / imaginary flag {imagf}")
        if rows < 0 or cols < 0 or not 1 <= namlen <= 4096:
            raise ValueError(f"{where}: invalid sizes {rows} x {cols}, name of {namlen} bytes")
        name = data[pos + 20:pos + 20 + namlen].rstrip(b"\0")
        if not _NAME.match(name):
            raise ValueError(f"{where}: variable name {name[:64]!r} is not an identifier")
        nbytes = rows * cols * _V4_ITEMSIZE[p] * (1 + imagf)
        start = pos + 20 + namlen
        if nbytes > len(data) - start:
            raise ValueError(f"{where}: a {rows} x {cols} matrix needs {nbytes} bytes, only "
                             f"{len(data) - start} are present")
        if t == 2:  # sparse: rows of (i, j, re[, im]); the last row is the size
            if cols not in (3, 4) or rows == 0 or p != 0:
                raise ValueError(f"{where}: a sparse matrix is stored as N x 3 or N x 4 doubles")
            trip = np.frombuffer(data, endian + "f8", rows * cols, start).reshape(
                (rows, cols), order="F")
            ij = trip[:, :2]
            size = ij[-1]
            if not np.isfinite(ij).all() or (ij != np.floor(ij)).any() or (size < 0).any() or \
                    size[1] > 8 * len(data) or size[0] >= 2 ** 31 or \
                    (ij[:-1] < 1).any() or (ij[:-1] > size).any():
                raise ValueError(f"{where}: sparse indices or size {size.tolist()} are not "
                                 "valid")
        pos = start + nbytes
