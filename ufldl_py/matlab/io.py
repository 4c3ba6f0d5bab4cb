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

import inspect
import io
import os
import warnings
import zlib
from typing import Any, Iterable

import numpy as np
import scipy.io
# scipy's MAT 5 writer has no public hook for structs without fields (see _VarWriter)
from scipy.io.matlab import _mio5, _mio5_params
import scipy.io.matlab._mio5
import scipy.io.matlab._mio5_params
import scipy.sparse

from ..atomic import atomic_write

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

    def __init__(self, items: Iterable[dict] = (), shape: tuple[int, ...] | None = None,
                 fieldnames: Iterable[str] | None = None):
        super().__init__(items)
        if shape is None:
            shape = (1, len(self))
        shape = tuple(int(s) for s in shape)
        if int(np.prod(shape)) != len(self):
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


# --------------------------------------------------------------------------- loading


_CELL_CLASS, _STRUCT_CLASS, _OBJECT_CLASS = 1, 2, 3


def from_matlab(value: Any, _node: Any = None) -> Any:
    """Convert one value as ``scipy.io.loadmat(..., mat_dtype=True)`` returns it.

    ``_node`` (internal) is the value's entry in :func:`_mat5_classes`' tree, which tells an
    empty struct array (``struct([])``) from an empty cell (``{}``): scipy reads both as an
    empty object array.
    """
    if scipy.sparse.issparse(value):
        return scipy.sparse.csc_matrix(value)
    if not isinstance(value, np.ndarray):
        return value
    cls, children, names = _node if _node is not None else (None, (), ())
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
        if (cls in (_STRUCT_CLASS, _OBJECT_CLASS) and not names) or \
                (flat.size and all(v is None for v in flat)):
            if value.shape == (1, 1):
                return {}
            return StructArray([{} for _ in flat], value.shape)
        if cls in (_STRUCT_CLASS, _OBJECT_CLASS):
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


def _has_empty_object(value: Any) -> bool:
    """Whether scipy's result holds an empty object array (a {} or a struct([]) somewhere)."""
    if not isinstance(value, np.ndarray):
        return False
    if value.dtype.names is not None:
        return any(_has_empty_object(rec[n]) for rec in value.ravel() for n in value.dtype.names)
    if value.dtype == object:
        return value.size == 0 or any(_has_empty_object(v) for v in value.ravel())
    return False


def _mat5_classes(data: bytes) -> dict[str, Any]:
    """The class tree of a MAT 5 file's variables: name -> (class, children, fieldnames).

    Only the layout is read (array flags, cell elements, struct fields), never the numbers;
    children are in storage order (column-major; for struct arrays element by element, field
    by field). Used only to tell ``struct([])`` from ``{}``.
    """
    if len(data) < 128:
        raise ValueError("too short for a MAT 5 header")
    endian = "<" if data[126:128] == b"IM" else ">"
    u32 = np.dtype(endian + "u4")

    def tag(buf: bytes, pos: int):
        first = int(np.frombuffer(buf, u32, 1, pos)[0])
        if first >> 16:  # small data element
            n = first >> 16
            return first & 0xFFFF, buf[pos + 4:pos + 4 + n], pos + 8
        mtype = first
        n = int(np.frombuffer(buf, u32, 1, pos + 4)[0])
        end = pos + 8 + n  # may run past the end: Octave overstates char matrices' sizes
        return mtype, buf[pos + 8:end], end if mtype == 15 else pos + 8 + (n + 7) // 8 * 8

    def matrix(body: bytes):
        if not body:
            return None  # an empty miMATRIX: []
        _, flags, pos = tag(body, 0)
        cls = int(np.frombuffer(flags, u32, 1, 0)[0]) & 0xFF
        _, dims, pos = tag(body, pos)
        n_el = int(np.prod(np.frombuffer(dims, endian + "i4")))
        _, _, pos = tag(body, pos)  # name
        children: list = []
        names: list[str] = []
        if cls == _OBJECT_CLASS:
            _, _, pos = tag(body, pos)  # class name
        if cls in (_STRUCT_CLASS, _OBJECT_CLASS):
            _, lenbuf, pos = tag(body, pos)
            width = int(np.frombuffer(lenbuf, endian + "i4", 1)[0])
            _, raw, pos = tag(body, pos)
            if width:
                names = [raw[k:k + width].split(b"\0")[0].decode("latin1")
                         for k in range(0, len(raw), width)]
            count = n_el * len(names)
        elif cls == _CELL_CLASS:
            count = n_el
        else:
            return (cls, (), ())
        for _ in range(count):
            mtype, sub, pos = tag(body, pos)
            children.append(matrix(sub) if mtype == 14 else None)
        return (cls, children, names)

    out: dict[str, Any] = {}
    pos = 128
    while pos + 8 <= len(data):
        mtype, body, pos = tag(data, pos)
        if mtype == 15:
            body = zlib.decompressobj().decompress(body)
            mtype, body, _ = tag(body, 0)
        if mtype != 14 or not body:
            continue
        _, _, p2 = tag(body, 0)
        _, _, p2 = tag(body, p2)
        _, name, _ = tag(body, p2)
        out[name.decode("latin1")] = matrix(body)
    return out


# scipy >= 1.15 can return sparse arrays instead of spmatrix and may change its default:
# say what we take (a sparse array, made a csc_matrix by from_matlab) where it asks.
_SPARSE = ({"spmatrix": False}
           if "spmatrix" in inspect.signature(scipy.io.loadmat).parameters else {})


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
        The file is not a readable .mat file: truncated, corrupt, another format (MATLAB
        v7.3 / HDF5, Octave's binary format); the message names the file and what is wrong.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"Could not open {path}: no such file")
    if os.path.isdir(path):
        raise IsADirectoryError(f"Could not open {path}: it is a directory")
    with open(path, "rb") as f:
        head = f.read(128)
    if not head:
        raise ValueError(f"{path}: the file is empty, not a .mat file")
    if head.startswith((b"# Created by Octave", b"# name:")):
        return _load_octave_text(path)
    if head.startswith(b"Octave-1-"):
        raise ValueError(f"{path}: Octave's binary format is not read; save with -v7")
    if head.startswith(b"MATLAB 7.3") or head[512:520] == b"\x89HDF\r\n\x1a\n":
        raise ValueError(f"{path}: MATLAB v7.3 (HDF5) files are not read; save with -v7")

    def read(mat_dtype: bool) -> dict:
        try:
            return scipy.io.loadmat(path, mat_dtype=mat_dtype, squeeze_me=False,
                                    struct_as_record=True, chars_as_strings=True, **_SPARSE)
        except Exception as exc:  # scipy raises anything at all on a corrupt file
            raise ValueError(f"{path}: not a readable .mat file "
                             f"({type(exc).__name__}: {exc})") from exc

    # mat_dtype=True gives MATLAB's classes (logical, double stored compactly as integers)
    # but scipy drops imaginary parts with it; where it warns so, take those from a plain read.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", np.exceptions.ComplexWarning)
        raw = read(True)
    for w in caught:  # pass on the others (a deprecation in scipy must reach CI's -W error)
        if not issubclass(w.category, np.exceptions.ComplexWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if any(issubclass(w.category, np.exceptions.ComplexWarning) for w in caught):
        raw = _with_complex(raw, read(False))
    tree: dict[str, Any] = {}
    if any(_has_empty_object(v) for k, v in raw.items() if not k.startswith("__")):
        try:
            with open(path, "rb") as f:
                tree = _mat5_classes(f.read())
        except (ValueError, IndexError, zlib.error, TypeError):
            tree = {}  # not a MAT 5 file (v4): no structs there, empties are cells
    try:
        return {k: from_matlab(v, tree.get(k)) for k, v in raw.items()
                if not k.startswith("__")}
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path}: not a readable .mat file ({exc})") from exc


# --------------------------------------------------------------------------- Octave's text format

_INT_TYPES = {f"{s}int{b}": np.dtype(f"{s}int{b}") for s in ("", "u") for b in (8, 16, 32, 64)}


class _OctaveText:
    """A reader of Octave's text format (what ``save`` writes without options).

    Reads scalars, matrices (real, complex, single, logical, integer; 2-D and N-D), ranges,
    strings and char matrices, sparse matrices, cells, structs and struct arrays, and gives
    the values :func:`loadmat` gives for the same variables saved with ``-v7``.
    """

    def __init__(self, text: str, path: str):
        self.s, self.pos, self.path = text, 0, path

    def fail(self, what: str) -> ValueError:
        line = self.s.count("\n", 0, self.pos) + 1
        return ValueError(f"{self.path}: Octave text format, line {line}: {what}")

    def line(self) -> str:
        if self.pos >= len(self.s):
            raise self.fail("unexpected end of file (truncated?)")
        end = self.s.find("\n", self.pos)
        end = len(self.s) if end < 0 else end
        out, self.pos = self.s[self.pos:end], end + 1
        return out

    def skip_blank(self) -> None:
        while self.pos < len(self.s):
            end = self.s.find("\n", self.pos)
            end = len(self.s) if end < 0 else end
            if self.s[self.pos:end].strip():
                return
            self.pos = end + 1

    def header(self, key: str) -> str:
        self.skip_blank()
        line = self.line()
        prefix = f"# {key}:"
        if not line.startswith(prefix):
            raise self.fail(f"expected '{prefix}', found {line[:60]!r}")
        return line[len(prefix):].strip()

    def count(self, key: str) -> int:
        value = self.header(key)
        try:
            n = int(value)
        except ValueError:
            raise self.fail(f"'{key}' is not a count: {value!r}") from None
        if n < 0:
            raise self.fail(f"negative {key}: {n}")
        return n

    def tokens(self, n: int) -> list[str]:
        out: list[str] = []
        while len(out) < n:
            out.extend(self.line().split())
        if len(out) != n:
            raise self.fail(f"expected {n} values, found {len(out)}")
        return out

    def dims(self) -> tuple[tuple[int, ...], bool]:
        """The dimensions and whether the data follows in column-major order (ndims form)."""
        self.skip_blank()
        if self.s.startswith("# ndims:", self.pos):
            nd = self.count("ndims")
            try:
                dims = tuple(int(t) for t in self.tokens(nd))
            except ValueError:
                raise self.fail("bad dimensions") from None
            if any(d < 0 for d in dims):
                raise self.fail(f"negative dimensions {dims}")
            return dims, True
        return (self.count("rows"), self.count("columns")), False

    def numbers(self, n: int, kind: str) -> np.ndarray:
        toks = self.tokens(n)
        try:
            if kind == "c":
                vals = []
                for t in toks:
                    if not (t.startswith("(") and t.endswith(")") and "," in t):
                        raise ValueError(t)
                    re_, im = t[1:-1].split(",")
                    vals.append(complex(float(re_), float(im)))
                return np.array(vals, dtype=np.complex128)
            return np.array([float(t) for t in toks], dtype=np.float64)
        except ValueError as exc:
            raise self.fail(f"not a number: {exc}") from None

    def array(self, kind: str, dtype) -> np.ndarray:
        dims, colmajor = self.dims()
        n = int(np.prod(dims, dtype=object))
        if dtype is not None and np.dtype(dtype).kind in "iu":  # exact, beyond 2^53 too
            info = np.iinfo(dtype)
            try:
                ints = [int(t) for t in self.tokens(n)]
            except ValueError:
                raise self.fail(f"not an integer of class {np.dtype(dtype)}") from None
            if any(not info.min <= v <= info.max for v in ints):
                raise self.fail(f"values out of the range of {np.dtype(dtype)}")
            flat = np.array(ints, dtype=dtype)
            return flat.reshape(dims, order="F") if colmajor else flat.reshape(dims)
        flat = self.numbers(n, kind)
        if colmajor:
            arr = flat.reshape(dims, order="F")
        else:
            arr = flat.reshape(dims)  # one line per row
        if dtype is not None:
            arr = arr.astype(dtype)
        return arr

    def string(self) -> Any:
        rows = self.count("elements")
        out = []
        for _ in range(rows):
            n = self.count("length")
            if self.pos + n > len(self.s):
                raise self.fail("unexpected end of file in a string (truncated?)")
            out.append(self.s[self.pos:self.pos + n])
            self.pos += n
            if self.pos < len(self.s) and self.s[self.pos] == "\n":
                self.pos += 1
        if rows == 0:
            return ""
        if rows == 1:
            return out[0]
        return Cell(out, (rows, 1))

    def variable(self) -> tuple[str, Any]:
        name = self.header("name")
        typ = self.header("type")
        return name, self.value(typ, name)

    def value(self, typ: str, name: str) -> Any:
        if typ == "scalar":
            return float(self.numbers(1, "f")[0])
        if typ == "complex scalar":
            return np.array([[self.numbers(1, "c")[0]]])
        if typ in ("float scalar", "float complex scalar"):
            kind = "c" if "complex" in typ else "f"
            return np.array([[self.numbers(1, kind)[0]]],
                            dtype=np.complex64 if kind == "c" else np.float32)
        if typ == "bool":
            return bool(self.numbers(1, "f")[0])
        if typ in ("matrix", "complex matrix", "float matrix", "float complex matrix",
                   "bool matrix"):
            kind = "c" if "complex" in typ else "f"
            dtype = (np.bool_ if typ == "bool matrix" else
                     np.float32 if typ == "float matrix" else
                     np.complex64 if typ == "float complex matrix" else None)
            return self.array(kind, dtype)
        base, _, rest = typ.partition(" ")
        if base in _INT_TYPES and rest in ("scalar", "matrix"):
            if rest == "scalar":
                return self.array_scalar(_INT_TYPES[base])
            return self.array("f", _INT_TYPES[base])
        if typ in ("range", "double_range"):
            self.line()  # "# base, limit, increment"
            b, limit, inc = self.numbers(3, "f")
            n = 0 if inc == 0 else max(0, int(np.floor((limit - b) / inc * (1 + 1e-10))) + 1)
            return (b + inc * np.arange(n, dtype=np.float64)).reshape(1, n)
        if typ == "null_matrix":  # [] as written inside cells
            return self.array("f", None)
        if typ in ("string", "sq_string", "null_string", "null_sq_string"):
            return self.string()
        if typ in ("sparse matrix", "sparse complex matrix", "sparse bool matrix"):
            nnz = self.count("nnz")
            rows, cols = self.count("rows"), self.count("columns")
            kind = "c" if "complex" in typ else "f"
            r, c, v = [], [], []
            for _ in range(nnz):
                toks = self.line().split()
                if len(toks) != 3:
                    raise self.fail("a sparse entry is 'row column value'")
                try:
                    r.append(int(toks[0]) - 1)
                    c.append(int(toks[1]) - 1)
                except ValueError:
                    raise self.fail(f"bad sparse index in {toks}") from None
                self.s, self.pos, rest_s = toks[2] + "\n", 0, (self.s, self.pos)
                try:
                    v.append(self.numbers(1, kind)[0])
                finally:
                    self.s, self.pos = rest_s
            if any(not 0 <= i < rows for i in r) or any(not 0 <= j < cols for j in c):
                raise self.fail("sparse index out of range")
            dtype = bool if typ == "sparse bool matrix" else None
            return scipy.sparse.csc_matrix((np.array(v, dtype=dtype), (r, c)),
                                           shape=(rows, cols))
        if typ == "cell":
            dims, _ = self.dims()
            items = []
            for _ in range(int(np.prod(dims))):
                _, item = self.variable()
                items.append(item)
            return Cell(items, dims)
        if typ == "scalar struct":
            self.dims()
            nfields = self.count("length")
            return dict(self.variable() for _ in range(nfields))
        if typ == "struct":
            dims, _ = self.dims()
            nfields = self.count("length")
            fields = dict(self.variable() for _ in range(nfields))
            n = int(np.prod(dims))
            for k, v in fields.items():
                if not isinstance(v, Cell) or len(v) != n:
                    raise self.fail(f"field {k} of struct array {name} is not a cell of {n}")
            records = [{k: v[i] for k, v in fields.items()} for i in range(n)]
            if dims == (1, 1):
                return records[0]
            return StructArray(records, dims, list(fields))
        raise self.fail(f"variable {name!r} has type {typ!r}, which is not read here; "
                        "save it with -v7")

    def array_scalar(self, dtype) -> np.ndarray:
        try:
            v = int(self.tokens(1)[0])
        except ValueError:
            raise self.fail(f"not an integer of class {np.dtype(dtype)}") from None
        info = np.iinfo(dtype)
        if not info.min <= v <= info.max:
            raise self.fail(f"value out of the range of {np.dtype(dtype)}")
        return np.array([[v]], dtype=dtype)

    def read(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        while True:
            # skip comment lines other than '# name:' (the 'Created by' line, globals)
            self.skip_blank()
            if self.pos >= len(self.s):
                return out
            if not self.s.startswith("# name:", self.pos):
                line = self.line()
                if not line.startswith("#"):
                    raise self.fail(f"expected '# name:', found {line[:60]!r}")
                continue
            name, value = self.variable()
            out[name] = value


def _load_octave_text(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8", errors="strict", newline="\n") as f:
            text = f.read()
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: Octave text format, but not valid UTF-8 text ({exc})") \
            from None
    try:
        return _OctaveText(text, path).read()
    except (OverflowError, MemoryError) as exc:
        raise ValueError(f"{path}: Octave text format: impossible sizes ({exc})") from None


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


class _EmptyStruct:
    """A struct array without fields (``struct()`` 1 x 1, ``struct([])`` 0 x 0, ...), which
    scipy's writer cannot express as a record array."""

    def __init__(self, shape: tuple[int, ...]):
        self.shape = tuple(shape)


class _VarWriter(_mio5.VarWriter5):
    """scipy's MAT 5 variable writer, plus struct arrays without fields."""

    def write(self, arr):
        if isinstance(arr, _EmptyStruct):
            mat_tag_pos = self.file_stream.tell()
            self.write_header(arr.shape, _mio5_params.mxSTRUCT_CLASS)
            self.write_element(np.array(1, dtype=np.int32))  # field name length, as MATLAB
            self.write_element(np.array([], dtype=np.int8))  # no field names
            self.update_matrix_tag(mat_tag_pos)
            return
        super().write(arr)


class _MatWriter(_mio5.MatFile5Writer):
    """scipy's MAT 5 file writer, using :class:`_VarWriter` (compressed, as ``save -v7``)."""

    def put_variables(self, mdict, write_header=None):
        if write_header is None:
            write_header = self.file_stream.tell() == 0
        if write_header:
            self.write_file_header()
        writer = _VarWriter(self)
        self._matrix_writer = writer
        for name, var in mdict.items():
            stream = io.BytesIO()
            writer.file_stream = stream
            writer.write_top(var, name.encode("latin1"), False)
            out = zlib.compress(stream.getvalue())
            tag = np.empty((), _mio5.NDT_TAG_FULL)
            tag["mdtype"] = _mio5_params.miCOMPRESSED
            tag["byte_count"] = len(out)
            self.file_stream.write(tag.tobytes())
            self.file_stream.write(out)


def _object_array(items: list, shape: tuple[int, ...]) -> np.ndarray:
    arr = np.empty(int(np.prod(shape)), dtype=object)
    for i, item in enumerate(items):
        arr[i] = to_matlab(item)
    return arr.reshape(shape, order="F")


def _check_field(key: Any) -> None:
    if not isinstance(key, str) or not key.isidentifier() or key.startswith("_"):
        raise ValueError(f"struct field name {key!r} is not a valid MATLAB name")


def to_matlab(value: Any) -> Any:
    """Convert one Python value into what ``scipy.io.savemat`` writes as MATLAB expects."""
    if isinstance(value, StructArray):
        names = list(getattr(value, "fieldnames", ()))
        for rec in value:
            if not isinstance(rec, dict):
                raise TypeError(f"a StructArray holds dicts, not {type(rec).__name__}")
            names.extend(k for k in rec if k not in names)
        for n in names:
            _check_field(n)
        if not names:
            return _EmptyStruct(value.shape)
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
            _check_field(key)
        if not value:
            return _EmptyStruct((1, 1))
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
        if value.dtype.kind not in "biufc":
            raise TypeError(f"cannot save a numpy {value.dtype} scalar to a .mat file")
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
        Variable names (valid MATLAB identifiers) to values.

    Raises
    ------
    ValueError
        A variable or field name MATLAB does not accept.
    TypeError
        A value that has no MATLAB counterpart (the message names the variable).
    OSError
        The file cannot be written.
    """
    if not isinstance(mdict, dict):
        raise TypeError(f"savemat: mdict must be a dict of variables, not "
                        f"{type(mdict).__name__}")
    for name in mdict:
        if not isinstance(name, str) or not name.isidentifier() or name.startswith("_"):
            raise ValueError(f"{name!r} is not a valid MATLAB variable name")
    converted = {}
    for k, v in mdict.items():
        try:
            converted[k] = to_matlab(v)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"savemat {os.fspath(path)}: variable {k}: {exc}") from None
    with atomic_write(path) as f:
        try:
            _MatWriter(f, do_compression=True, unicode_strings=True, long_field_names=True,
                       oned_as="column").put_variables(converted)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ValueError(f"savemat {os.fspath(path)}: {exc}") from exc
