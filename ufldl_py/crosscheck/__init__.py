"""Prove, function by function, that a port equals its MATLAB original run in Octave.

:mod:`ufldl_py.crosscheck.checks` holds the table: one :class:`Check` for every ported
function, naming its MATLAB file, its random inputs and its tolerance. ``ufldl-py
crosscheck NAME`` runs the port and the MATLAB original on the same inputs (random valid
inputs, or the variables of a .mat file) and prints, per output, the largest absolute and
relative difference and whether it is within tolerance.

A difference is within tolerance when ``max|py - m| <= rtol * max|m| + atol``
(:func:`ufldl_py.testing.compare`, re-exported here); the random inputs are those of
:data:`ufldl_py.testing.PROBLEMS`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..testing.compare import Row, as_array, compare

__all__ = ["Check", "Row", "registry", "get", "compare", "run_check", "select", "matlab_dir",
           "load_inputs"]

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
    """The check called ``name`` (an exact name first, else case-insensitively).

    Parameters
    ----------
    name : str

    Returns
    -------
    Check

    Raises
    ------
    KeyError
        When the table has no such check.
    """
    checks = registry()
    if name not in checks:
        lower = {k.lower(): k for k in checks}
        if name.lower() in lower:
            return checks[lower[name.lower()]]
        raise KeyError(f"no crosscheck named {name!r}; `ufldl-py crosscheck --list` lists them")
    return checks[name]


UNCOMPLETED = ("the MATLAB function looks uncompleted (its YOUR CODE HERE gaps not filled "
               "in?)")


def _all_zero(value: Any) -> bool:
    """Whether every number in a MATLAB value (struct, cell, array) is 0."""
    if isinstance(value, dict):
        return all(_all_zero(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_all_zero(v) for v in value)
    arr = as_array(value)
    return arr is not None and not np.any(arr)


def has_gaps(path: Path) -> bool:
    """Whether a MATLAB file still holds a YOUR CODE HERE marker."""
    try:
        return "YOUR CODE HERE" in path.read_text(errors="replace")
    except OSError:
        return False


def matlab_dir(matlab_path: str | Path | None) -> Path | None:
    """The ``--matlab-path`` folder, checked (None where none is given).

    Parameters
    ----------
    matlab_path : str or path-like or None
        A folder with the MATLAB originals; ``~`` is expanded.

    Returns
    -------
    pathlib.Path or None

    Raises
    ------
    ValueError
        When it is not a directory.
    """
    if matlab_path is None:
        return None
    root = Path(matlab_path).expanduser()
    if not root.is_dir():
        raise ValueError(f"--matlab-path {root} is not a directory")
    return root


def select(names: list[str], root: Path | None) -> tuple[list[Check], list[str]]:
    """The checks that ``ufldl-py crosscheck NAMES`` runs.

    Parameters
    ----------
    names : list of str
        Check names (case-insensitive), or ``["all"]``: every builtin, and every check
        whose MATLAB file is in ``root``.
    root : pathlib.Path or None
        The MATLAB originals' folder (:func:`matlab_dir`).

    Returns
    -------
    checks : list of Check
    skipped : list of str
        For ``all``: one line per check left out, and why.

    Raises
    ------
    KeyError
        An unknown name.
    ValueError
        Named checks that need the MATLAB originals, and no ``root``.
    """
    if names == ["all"]:
        wanted, skipped = [], []
        for c in registry().values():
            if c.where == "builtin":
                wanted.append(c)
            elif root is None:
                skipped.append(f"{c.name}: needs --matlab-path ({WHERE[c.where]})")
            elif not (root / c.mfile).is_file():
                skipped.append(f"{c.name}: {c.mfile} is not in {root}")
            else:
                wanted.append(c)
        return wanted, skipped
    wanted = [get(n) for n in names]
    needing = [c for c in wanted if c.where != "builtin"]
    if needing and root is None:
        raise ValueError(f"{', '.join(c.name for c in needing)} compare with your copy of the "
                         f"MATLAB originals: give --matlab-path DIR ({WHERE[needing[0].where]})")
    return wanted, []


def load_inputs(path: str | Path, checks: list[Check]) -> dict:
    """The variables of a .mat file holding every argument of ``checks``, by name.

    Parameters
    ----------
    path : str or path-like
        The ``--inputs`` file (MAT5, -v6/-v7 or Octave text, as ``matlab.io.loadmat`` reads).
    checks : list of Check

    Returns
    -------
    dict

    Raises
    ------
    ValueError
        When the file cannot be read, or lacks an argument of a check (named).
    """
    from ..matlab import io

    try:
        inputs = io.loadmat(path)
    except Exception as exc:  # whatever the reader raises, the file is unusable
        raise ValueError(f"--inputs {path} cannot be read: {exc or type(exc).__name__}") \
            from exc
    for check in checks:
        missing = [a for a in check.argnames if a not in inputs]
        if missing:
            raise ValueError(f"--inputs {path} lacks {', '.join(missing)} (the arguments of "
                             f"{check.name})")
    return inputs


def matlab_root(check: Check, matlab_path: str | Path | None) -> Path | None:
    """The checked ``--matlab-path`` of a check that needs one (None for builtins)."""
    if check.where == "builtin":
        return None
    if matlab_path is None:
        raise ValueError(f"{check.name} needs --matlab-path: {WHERE[check.where]}")
    return matlab_dir(matlab_path)


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
