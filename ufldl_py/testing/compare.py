"""The assertion every test, the student grader and crosscheck use: :func:`compare`, which
returns one :class:`Row` per compared number array (a MATLAB struct field by field, a cell
element by element).

A difference is within tolerance when ``max|py - m| <= rtol * max|m| + atol``: the relative
difference is measured against the largest magnitude of the MATLAB (expected) value, so that
values with elements at or near zero are judged fairly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

__all__ = ["Row", "compare", "as_array", "shape_str"]


@dataclass
class Row:
    """One compared value: where it is, its shape, the differences and the verdict.

    Parameters
    ----------
    output : str
        The value's name (``net.layers{2}.k{1}``).
    shape : str
        Its shape, as MATLAB prints it.
    max_abs, max_rel : float
        The largest absolute difference, and that divided by the largest magnitude of the
        MATLAB value.
    ok : bool
        Whether the value is within tolerance.
    note : str
        Why it is not, where the structure differs.
    """

    output: str
    shape: str
    max_abs: float
    max_rel: float
    ok: bool
    note: str = ""


def shape_str(shape: Sequence[int]) -> str:
    """A shape as MATLAB's ``size`` prints it.

    Parameters
    ----------
    shape : sequence of int

    Returns
    -------
    str
        ``"3x4"``; ``"1x1"`` for a scalar's empty shape.
    """
    return "x".join(str(s) for s in shape) if len(shape) else "1x1"


def as_array(value: Any) -> np.ndarray | None:
    """A number or numeric array as an array (a Python scalar as a 1 x 1 array).

    Parameters
    ----------
    value : any

    Returns
    -------
    ndarray or None
        None where ``value`` is not numeric (a str, dict, list, object array).
    """
    if isinstance(value, (bool, int, float, complex, np.number, np.bool_)):
        return np.array([[value]])
    if isinstance(value, np.ndarray) and value.dtype.kind in "biufc":
        return value
    return None


def compare(py: Any, ml: Any, name: str, rtol: float = 1e-12, atol: float = 0.0) -> list[Row]:
    """Compare a Python value with the MATLAB value (as loaded by ``matlab.io.loadmat``).

    Dicts are compared field by field (the MATLAB struct's fields), lists and cells element
    by element (a cell of scalars as one vector), arrays after matching a 1-D Python vector
    with a MATLAB n x 1 / 1 x n one.

    Parameters
    ----------
    py : any
        The Python value (array, number, str, dict, list or tuple).
    ml : any
        The expected (MATLAB) value.
    name : str
        The value's name in the rows (``net.layers{2}.k{1}`` below it).
    rtol, atol : float
        The tolerance: within when ``max|py - ml| <= rtol * max|ml| + atol``.

    Returns
    -------
    list of Row
        One row per compared numeric array; a row with ``ok`` False and a note where the
        structure differs (a missing field, a shape, a type).
    """
    if isinstance(ml, dict):
        if not isinstance(py, dict):
            return [Row(name, "struct", np.inf, np.inf, False, f"Python gave {type(py).__name__}")]
        rows = []
        for key, value in ml.items():
            if key not in py:
                rows.append(Row(f"{name}.{key}", "", np.inf, np.inf, False, "missing in Python"))
            else:
                rows.extend(compare(py[key], value, f"{name}.{key}", rtol, atol))
        return rows
    if isinstance(ml, list):  # Cell or StructArray
        if ml and all(isinstance(v, float) for v in ml) and isinstance(py, (list, tuple)) \
                and len(py) == len(ml) and all(np.size(v) == 1 for v in py):
            # a cell of scalars (DeepLearnToolbox's b{j}, db{j}) is one vector-valued field
            return compare(np.asarray(py, dtype=np.float64).ravel(),
                           np.asarray(ml, dtype=np.float64).reshape(1, -1), name, rtol, atol)
        if not isinstance(py, (list, tuple)) or len(py) != len(ml):
            got = len(py) if isinstance(py, (list, tuple)) else type(py).__name__
            return [Row(name, f"{len(ml)} cells", np.inf, np.inf, False, f"Python gave {got}")]
        rows = []
        for i, (p, m) in enumerate(zip(py, ml)):
            rows.extend(compare(p, m, f"{name}{{{i + 1}}}", rtol, atol))
        return rows
    if isinstance(ml, str):
        ok = isinstance(py, str) and py == ml
        return [Row(name, f"1x{len(ml)}", 0.0 if ok else np.inf, 0.0 if ok else np.inf, ok,
                    "" if ok else f"{py!r} != {ml!r}")]
    m = as_array(ml)
    p = as_array(np.asarray(py) if isinstance(py, (list, tuple)) else py)
    if m is None or p is None:
        return [Row(name, "", np.inf, np.inf, False,
                    f"cannot compare {type(py).__name__} with {type(ml).__name__}")]
    shape = shape_str(m.shape)
    if p.shape != m.shape:
        squeezed = tuple(s for s in m.shape if s != 1)
        if p.size == m.size and tuple(s for s in p.shape if s != 1) == squeezed:
            p = p.reshape(m.shape)
        else:
            return [Row(name, shape, np.inf, np.inf, False, f"Python shape {shape_str(p.shape)}")]
    if m.size == 0:
        return [Row(name, shape, 0.0, 0.0, True)]
    kind = np.complex128 if np.iscomplexobj(m) or np.iscomplexobj(p) else np.float64
    pf, mf = p.astype(kind), m.astype(kind)
    if not np.array_equal(np.isfinite(pf), np.isfinite(mf)) or not np.array_equal(
            pf[~np.isfinite(mf)], mf[~np.isfinite(mf)], equal_nan=True):
        return [Row(name, shape, np.inf, np.inf, False, "non-finite values differ")]
    finite = np.isfinite(mf)
    diff = np.abs(pf[finite] - mf[finite])
    max_abs = float(diff.max()) if diff.size else 0.0
    scale = float(np.abs(mf[finite]).max()) if diff.size else 0.0
    max_rel = max_abs / scale if scale > 0 else (0.0 if max_abs == 0 else np.inf)
    return [Row(name, shape, max_abs, max_rel, max_abs <= rtol * scale + atol)]
