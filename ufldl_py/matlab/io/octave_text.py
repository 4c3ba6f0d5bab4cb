"""A reader of Octave's text format (what Octave's ``save`` writes without options), which
reads a file as Octave's ``load`` does and refuses what Octave would refuse.

- the file is read as bytes: ``# length:`` counts bytes, and strings are UTF-8;
- variable and field names are identifiers (``# name: a b`` is refused);
- numbers are read as Octave reads them: decimal numbers, ``Inf``, ``NaN``, ``NA``
  (Python's ``1_000`` or ``infinity`` are not numbers there); a file cut inside a line is
  refused;
- every size is checked against the bytes left in the file before anything is allocated
  (each value takes at least two bytes), and ranges expand to at most
  :data:`MAX_RANGE` elements;
- ``# ndims:`` is at least 2; nesting deeper than :data:`.values.MAX_DEPTH` is refused.

It gives the values :func:`ufldl_py.matlab.io.loadmat` gives for the same variables saved
with ``-v7``.
"""

from __future__ import annotations

import contextlib
import math
import re
from typing import Any, Iterator

import numpy as np
import scipy.sparse

from .values import MAX_DEPTH, Cell, StructArray, nesting_room

__all__ = ["load_octave_text", "MAX_RANGE"]

#: The most elements a range (``# type: range``, three numbers in the file) expands to.
MAX_RANGE = 2 ** 24

_INT_TYPES = {f"{s}int{b}": np.dtype(f"{s}int{b}") for s in ("", "u") for b in (8, 16, 32, 64)}
_NUMBER = re.compile(rb"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|NaN|NA)\Z")
_INTEGER = re.compile(rb"[+-]?\d+\Z")
_NAME = re.compile(rb"[A-Za-z][A-Za-z0-9_]*\Z")


def _number(tok: bytes) -> float:
    if not _NUMBER.match(tok):
        raise ValueError(tok.decode("latin1")[:40])
    sign = -1.0 if tok.startswith(b"-") else 1.0
    body = tok.lstrip(b"+-")
    if body == b"Inf":
        return sign * math.inf
    if body in (b"NaN", b"NA"):
        return math.nan
    return float(tok)


class _OctaveText:
    """One pass over a file in Octave's text format."""

    def __init__(self, data: bytes, path: str):
        self.s, self.pos, self.path, self.depth = data, 0, path, 0

    def fail(self, what: str) -> ValueError:
        line = self.s.count(b"\n", 0, min(self.pos, len(self.s))) + 1
        return ValueError(f"{self.path}: Octave text format, line {line}: {what}")

    def left(self) -> int:
        return len(self.s) - self.pos

    def line(self) -> bytes:
        if self.pos >= len(self.s):
            raise self.fail("unexpected end of file (truncated?)")
        end = self.s.find(b"\n", self.pos)
        if end < 0:
            raise self.fail("the file ends inside a line (truncated?)")
        out, self.pos = self.s[self.pos:end], end + 1
        return out

    def skip_blank(self) -> None:
        while self.pos < len(self.s):
            end = self.s.find(b"\n", self.pos)
            end = len(self.s) if end < 0 else end
            if self.s[self.pos:end].strip():
                return
            self.pos = end + 1

    def header(self, key: str) -> str:
        self.skip_blank()
        line = self.line()
        prefix = f"# {key}:".encode()
        if not line.startswith(prefix):
            raise self.fail(f"expected '# {key}:', found {line[:60]!r}")
        return line[len(prefix):].strip().decode("latin1")

    def count(self, key: str) -> int:
        value = self.header(key)
        if not _INTEGER.match(value.encode()) or value.startswith("-"):
            raise self.fail(f"'{key}' is not a count: {value[:40]!r}")
        return int(value)

    def room(self, n: int, what: str) -> None:
        """Refuse ``n`` values when the rest of the file cannot hold them (two bytes each)."""
        if n > (self.left() + 1) // 2:
            raise self.fail(f"{what} of {n} elements, but only {self.left()} bytes are left "
                            "in the file")

    def tokens(self, n: int) -> list[bytes]:
        out: list[bytes] = []
        while len(out) < n:
            out.extend(self.line().split())
        if len(out) != n:
            raise self.fail(f"expected {n} values, found {len(out)}")
        return out

    def dims(self) -> tuple[tuple[int, ...], bool]:
        """The dimensions and whether the data follows in column-major order (ndims form)."""
        self.skip_blank()
        if self.s.startswith(b"# ndims:", self.pos):
            nd = self.count("ndims")
            if nd < 2:
                raise self.fail(f"ndims must be at least 2, not {nd}")
            self.room(nd, "dimensions")
            toks = self.tokens(nd)
            if not all(_INTEGER.match(t) for t in toks):
                raise self.fail("bad dimensions")
            dims = tuple(int(t) for t in toks)
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
                    if not (t.startswith(b"(") and t.endswith(b")") and t.count(b",") == 1):
                        raise ValueError(t.decode("latin1")[:40])
                    re_, im = t[1:-1].split(b",")
                    vals.append(complex(_number(re_), _number(im)))
                return np.array(vals, dtype=np.complex128)
            return np.array([_number(t) for t in toks], dtype=np.float64)
        except ValueError as exc:
            raise self.fail(f"not a number: {str(exc)!r}") from None

    def array(self, kind: str, dtype) -> np.ndarray:
        dims, colmajor = self.dims()
        n = math.prod(dims)
        self.room(n, "a " + "x".join(map(str, dims)) + " array")
        if dtype is not None and np.dtype(dtype).kind in "iu":  # exact, beyond 2^53 too
            flat = self.integers(n, np.dtype(dtype))
        else:
            flat = self.numbers(n, kind)
        arr = flat.reshape(dims, order="F") if colmajor else flat.reshape(dims)
        if dtype is not None:
            arr = arr.astype(dtype)
        return arr

    def integers(self, n: int, dtype: np.dtype) -> np.ndarray:
        toks = self.tokens(n)
        if not all(_INTEGER.match(t) for t in toks):
            raise self.fail(f"not an integer of class {dtype}")
        ints = [int(t) for t in toks]
        info = np.iinfo(dtype)
        if any(not info.min <= v <= info.max for v in ints):
            raise self.fail(f"values out of the range of {dtype}")
        return np.array(ints, dtype=dtype)

    def string(self) -> Any:
        rows = self.count("elements")
        self.room(rows, "a char matrix")
        out = []
        for _ in range(rows):
            n = self.count("length")
            if n > self.left():
                raise self.fail(f"a string of {n} bytes, only {self.left()} are left "
                                "(truncated?)")
            raw = self.s[self.pos:self.pos + n]
            try:
                out.append(raw.decode("utf-8"))
            except UnicodeDecodeError:
                raise self.fail("a string that is not UTF-8") from None
            self.pos += n
            if self.pos < len(self.s) and self.s[self.pos:self.pos + 1] == b"\n":
                self.pos += 1
        if rows == 0:
            return ""
        if rows == 1:
            return out[0]
        return Cell(out, (rows, 1))

    def variable(self, named: bool) -> tuple[str, Any]:
        """``# name:`` and ``# type:`` and the value; ``named``: the name is an identifier
        (a variable or a field, not a cell element)."""
        name = self.header("name")
        if named and not _NAME.match(name.encode("latin1")):
            raise self.fail(f"variable name {name[:60]!r} is not an identifier")
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
                return self.integers(1, _INT_TYPES[base]).reshape(1, 1)
            return self.array("f", _INT_TYPES[base])
        if typ in ("range", "double_range"):
            return self.range()
        if typ == "null_matrix":  # [] as written inside cells
            return self.array("f", None)
        if typ in ("string", "sq_string", "null_string", "null_sq_string"):
            return self.string()
        if typ in ("sparse matrix", "sparse complex matrix", "sparse bool matrix"):
            return self.sparse(typ)
        if typ == "cell":
            dims, _ = self.dims()
            n = math.prod(dims)
            self.room(n, "a cell")
            with self.nested():
                items = [self.variable(named=False)[1] for _ in range(n)]
            return Cell(items, dims)
        if typ == "scalar struct":
            self.dims()
            nfields = self.count("length")
            self.room(nfields, "a struct")
            with self.nested():
                return self.fields(nfields)
        if typ == "struct":
            dims, _ = self.dims()
            nfields = self.count("length")
            self.room(nfields, "a struct")
            n = math.prod(dims)
            if not nfields:
                self.room(n, "a struct array without fields")
            with self.nested():
                fields = self.fields(nfields)
            for k, v in fields.items():
                if not isinstance(v, Cell) or len(v) != n:
                    raise self.fail(f"field {k} of struct array {name} is not a cell of {n}")
            records = [{k: v[i] for k, v in fields.items()} for i in range(n)]
            if dims == (1, 1):
                return records[0]
            return StructArray(records, dims, list(fields))
        raise self.fail(f"variable {name!r} has type {typ[:40]!r}, which is not read here; "
                        "save it with -v7")

    def fields(self, n: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for _ in range(n):
            key, value = self.variable(named=True)
            if key in out:
                raise self.fail(f"field {key!r} appears twice")
            out[key] = value
        return out

    @contextlib.contextmanager
    def nested(self) -> Iterator[None]:
        """One level deeper into cells and structs (at most MAX_DEPTH)."""
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"cells and structs nested deeper than {MAX_DEPTH} levels")
        try:
            yield
        finally:
            self.depth -= 1

    def range(self) -> np.ndarray:
        self.line()  # "# base, limit, increment"
        b, limit, inc = self.numbers(3, "f")
        if not (math.isfinite(b) and math.isfinite(limit) and math.isfinite(inc)):
            raise self.fail("a range with a non-finite base, limit or increment")
        n = 0 if inc == 0 else max(0, math.floor((limit - b) / inc * (1 + 1e-10)) + 1)
        if n > MAX_RANGE:
            raise self.fail(f"a range of {n} elements ({8 * n} bytes), over the "
                            f"{MAX_RANGE} this reader expands")
        return (b + inc * np.arange(n, dtype=np.float64)).reshape(1, n)

    def sparse(self, typ: str):
        nnz = self.count("nnz")
        rows, cols = self.count("rows"), self.count("columns")
        self.room(nnz, "a sparse matrix")
        if cols > 8 * len(self.s) + 1024 or rows >= 2 ** 62:
            raise self.fail(f"a sparse matrix of {rows} x {cols} (more columns than the file "
                            "can describe)")
        kind = "c" if "complex" in typ else "f"
        r, c, v = [], [], []
        for _ in range(nnz):
            toks = self.line().split()
            if len(toks) != 3 or not _INTEGER.match(toks[0]) or not _INTEGER.match(toks[1]):
                raise self.fail("a sparse entry is 'row column value'")
            r.append(int(toks[0]) - 1)
            c.append(int(toks[1]) - 1)
            try:
                if kind == "c":
                    if not (toks[2].startswith(b"(") and toks[2].endswith(b")")
                            and toks[2].count(b",") == 1):
                        raise ValueError(toks[2].decode("latin1")[:40])
                    re_, im = toks[2][1:-1].split(b",")
                    v.append(complex(_number(re_), _number(im)))
                else:
                    v.append(_number(toks[2]))
            except ValueError as exc:
                raise self.fail(f"not a number: {str(exc)!r}") from None
        if any(not 0 <= i < rows for i in r) or any(not 0 <= j < cols for j in c):
            raise self.fail("sparse index out of range")
        dtype = bool if typ == "sparse bool matrix" else None
        return scipy.sparse.csc_matrix((np.array(v, dtype=dtype), (r, c)), shape=(rows, cols))

    def read(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        while True:
            # skip comment lines other than '# name:' (the 'Created by' line, globals)
            self.skip_blank()
            if self.pos >= len(self.s):
                return out
            if not self.s.startswith(b"# name:", self.pos):
                line = self.line()
                if not line.startswith(b"#"):
                    raise self.fail(f"expected '# name:', found {line[:60]!r}")
                continue
            name, value = self.variable(named=True)
            out[name] = value


def load_octave_text(data: bytes, path: str) -> dict[str, Any]:
    """Read a whole file in Octave's text format.

    Parameters
    ----------
    data : bytes
        The file's contents.
    path : str
        Its name, for the messages.

    Returns
    -------
    variables : dict
        Names to values, as :func:`ufldl_py.matlab.io.loadmat` returns them.

    Raises
    ------
    ValueError
        One line naming the file, the line and what is wrong.
    """
    with nesting_room(MAX_DEPTH):
        return _OctaveText(data, path).read()
