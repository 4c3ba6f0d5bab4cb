"""Prove, function by function, that a port equals its MATLAB original run in Octave.

:mod:`ufldl_py.crosscheck.checks` holds the table: one :class:`Check` for every ported
function, naming its MATLAB file, its random inputs and its tolerance. ``ufldl-py
crosscheck NAME`` runs the port and the MATLAB original on the same inputs (random valid
inputs, or the variables of a .mat file) and prints, per output, the largest absolute and
relative difference and whether it is within tolerance.

A difference is within tolerance when ``max|py - m| <= rtol * max|m| + atol``: the relative
difference is measured against the largest magnitude of the MATLAB output, so that outputs
with elements at or near zero are judged fairly.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

__all__ = ["Check", "Row", "registry", "get", "compare", "run_check"]

WHERE = {
    "builtin": "Octave's own function",
    "ufldl": "a completed copy of stanford_dl_ex",
    "dlt": "a DeepLearnToolbox checkout",
    "classic": "a completed copy of the original UFLDL exercises",
}


@dataclass(frozen=True)
class Check:
    """How to compare one ported function with its MATLAB original.

    Parameters
    ----------
    name : str
        The MATLAB name, as typed on ``ufldl-py crosscheck NAME``.
    python : callable
        The port.
    inputs : callable
        ``inputs(rng) -> tuple`` of random valid arguments, from a numpy Generator.
    argnames : tuple of str
        The arguments' names: the variables looked up in ``--inputs FILE.mat``.
    nargout : int
        How many outputs to compare, in MATLAB's order.
    where : str
        'builtin' (Octave's own function), 'ufldl', 'dlt' or 'classic' (need
        ``--matlab-path``).
    subdirs : tuple of str
        Subdirectories of the MATLAB path to add (e.g. ``("CNN", "util")``).
    matlab : str, optional
        The MATLAB function name when it differs from ``name``, or a MATLAB expression in
        the argument names (e.g. ``"full(sparse(labels, 1:numel(labels), 1))"``).
    rtol, atol : float
        The tolerance, see the module docstring.
    outnames : tuple of str
        The outputs' names in the printed table (default out1, out2, ...).
    mfile : str
        The MATLAB file it ports, relative to ``--matlab-path`` (``subdirs[0]/name.m`` when
        not given), or the builtin's name.
    variants : tuple of (str, callable)
        Other completions of a template that public copies use, each with its description
        (e.g. cnnCost without weight decay): the original is compared with ``python`` first,
        then with each variant, and the first that matches is named.
    completion : str
        The description of ``python``'s completion, when there are variants.
    setup : str
        MATLAB statements run before the call (e.g. ``"global params; params = p;"`` for an
        original that reads a global, or a ``rand('state', s)`` seed).
    """

    name: str
    python: Callable[..., Any]
    inputs: Callable[[np.random.Generator], tuple]
    argnames: tuple[str, ...]
    nargout: int = 1
    where: str = "builtin"
    subdirs: tuple[str, ...] = ()
    matlab: str | None = None
    rtol: float = 1e-12
    atol: float = 0.0
    outnames: tuple[str, ...] = field(default=())
    mfile: str = ""
    variants: tuple[tuple[str, Callable[..., Any]], ...] = ()
    completion: str = "the port's completion"
    setup: str = ""

    def __post_init__(self):
        if self.where not in WHERE:
            raise ValueError(f"Check {self.name}: where must be one of {sorted(WHERE)}")
        if len(self.argnames) == 0 and self.matlab is None:
            raise ValueError(f"Check {self.name}: argnames are needed")
        if not self.mfile:
            mfile = (f"{self.subdirs[0]}/{self.name}.m" if self.subdirs
                     else f"builtin {self.name}")
            object.__setattr__(self, "mfile", mfile)

    def matlab_code(self) -> tuple[str, list[str]]:
        """The MATLAB statement that computes the outputs, and the outputs' names."""
        outs = [f"out{i + 1}" for i in range(self.nargout)]
        target = self.matlab or self.name
        expr = target if "(" in target else f"{target}({', '.join(self.argnames)})"
        setup = f"{self.setup} " if self.setup else ""
        return f"{setup}[{', '.join(outs)}] = {expr};", outs

    def output_names(self) -> list[str]:
        return list(self.outnames) or [f"out{i + 1}" for i in range(self.nargout)]


_REGISTRY: dict[str, Check] = {}
_loaded = False


def registry() -> dict[str, Check]:
    """Every check of the table (:mod:`ufldl_py.crosscheck.checks`) by name."""
    global _loaded
    if not _loaded:
        from .checks import CHECKS

        for check in CHECKS:
            _REGISTRY.setdefault(check.name, check)
        _loaded = True
    return dict(sorted(_REGISTRY.items(), key=lambda kv: kv[0].lower()))


def get(name: str) -> Check:
    checks = registry()
    if name not in checks:
        lower = {k.lower(): k for k in checks}
        if name.lower() in lower:
            return checks[lower[name.lower()]]
        raise KeyError(f"no crosscheck named {name!r}; `ufldl-py crosscheck --list` lists them")
    return checks[name]


# --------------------------------------------------------------------------- comparing


@dataclass
class Row:
    """One compared value: where it is, its shape, the differences and the verdict."""

    output: str
    shape: str
    max_abs: float
    max_rel: float
    ok: bool
    note: str = ""


def _shape_str(shape: Sequence[int]) -> str:
    return "x".join(str(s) for s in shape) if len(shape) else "1x1"


def _as_array(value: Any) -> np.ndarray | None:
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
    m = _as_array(ml)
    p = _as_array(np.asarray(py) if isinstance(py, (list, tuple)) else py)
    if m is None or p is None:
        return [Row(name, "", np.inf, np.inf, False,
                    f"cannot compare {type(py).__name__} with {type(ml).__name__}")]
    shape = _shape_str(m.shape)
    if p.shape != m.shape:
        squeezed = tuple(s for s in m.shape if s != 1)
        if p.size == m.size and tuple(s for s in p.shape if s != 1) == squeezed:
            p = p.reshape(m.shape)
        else:
            return [Row(name, shape, np.inf, np.inf, False, f"Python shape {_shape_str(p.shape)}")]
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


UNCOMPLETED = ("the MATLAB function looks uncompleted (its YOUR CODE HERE gaps not filled "
               "in?)")


def _all_zero(value: Any) -> bool:
    """Whether every number in a MATLAB value (struct, cell, array) is 0."""
    if isinstance(value, dict):
        return all(_all_zero(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_all_zero(v) for v in value)
    arr = _as_array(value)
    return arr is not None and not np.any(arr)


def has_gaps(path: Path) -> bool:
    """Whether a MATLAB file still holds a YOUR CODE HERE marker."""
    try:
        return "YOUR CODE HERE" in path.read_text(errors="replace")
    except OSError:
        return False


def matlab_root(check: Check, matlab_path: str | Path | None) -> Path | None:
    """The checked ``--matlab-path`` of a check that needs one (None for builtins)."""
    if check.where == "builtin":
        return None
    if matlab_path is None:
        raise ValueError(f"{check.name} needs --matlab-path: {WHERE[check.where]}")
    root = Path(matlab_path).expanduser()
    if not root.is_dir():
        raise ValueError(f"--matlab-path {root} is not a directory")
    return root


def run_check(check: Check, inputs: tuple | None = None, rng: np.random.Generator | None = None,
              matlab_path: str | Path | None = None) -> list[Row]:
    """Run the port and the original on the same inputs and compare every output.

    With ``check.variants``, the rows are those of the first completion that matches (each
    row's note names it), or of ``check.python`` when none does. When the original returned
    only zeros, or failed, and its file still holds YOUR CODE HERE, the rows (or the
    OctaveError) say that it looks uncompleted.
    """
    from ..matlab import octave

    if inputs is None:
        inputs = check.inputs(rng if rng is not None else np.random.default_rng())
    root = matlab_root(check, matlab_path)
    paths: list[Path] = []
    if root is not None:
        paths = [root / s for s in check.subdirs] or [root]
        missing = [p for p in paths if not p.is_dir()]
        if missing:
            raise ValueError(f"{check.name}: {', '.join(map(str, missing))} not found; "
                             f"--matlab-path should be {WHERE[check.where]}")
    gaps = root is not None and has_gaps(root / check.mfile)
    code, outs = check.matlab_code()
    try:
        ml = octave.run(code, dict(zip(check.argnames, inputs)), outs, path=paths)
    except octave.OctaveError as exc:
        if gaps:
            raise octave.OctaveError(f"{exc}\n{check.mfile}: {UNCOMPLETED}") from exc
        raise
    zeros = all(_all_zero(ml[o]) for o in outs)
    candidates = [("", check.python), *check.variants]
    first: list[Row] | None = None
    for label, fn in candidates:
        result = fn(*copy.deepcopy(tuple(inputs)))
        if check.nargout == 1 and isinstance(result, tuple):
            result = result[0]
        py_outs = (result,) if check.nargout == 1 else tuple(result)[: check.nargout]
        rows: list[Row] = []
        for name, p, o in zip(check.output_names(), py_outs, outs):
            rows.extend(compare(p, ml[o], name, check.rtol, check.atol))
        if first is None:
            first = rows
        if rows and all(r.ok for r in rows):
            if check.variants:
                which = label or check.completion
                for r in rows:
                    r.note = f"matched: {which}"
            return rows
    if zeros:
        for r in first:
            r.note = f"{r.note}; {UNCOMPLETED}" if r.note else UNCOMPLETED
    elif check.variants:
        tried = ", ".join([check.completion] + [label for label, _ in check.variants])
        for r in first:
            if not r.ok:
                r.note = f"{r.note}; no completion matched (tried {tried})".lstrip("; ")
    return first
