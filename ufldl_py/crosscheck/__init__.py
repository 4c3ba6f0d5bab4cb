"""Prove, function by function, that a port equals its MATLAB original.

:mod:`ufldl_py.crosscheck.checks` holds the table: one :class:`Check` for every ported
function, naming its MATLAB file, its random inputs and its tolerance. ``ufldl-py
crosscheck NAME`` runs the port and the MATLAB original on the same inputs (random valid
inputs, or the variables of a .mat file) and prints, per output, the largest absolute and
relative difference and whether it is within tolerance. The original runs in Octave or in
MATLAB (:func:`engine`), or not at all: :func:`run_expected` compares the port with outputs
saved in MATLAB by ``ufldl_capture.m`` (:func:`capture_source`, shipped as package data).

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
           "load_inputs", "load_expected", "expected_outputs", "run_expected", "engine",
           "ENGINES", "capture_source", "write_capture", "CAPTURE"]

#: The --engine choices.
ENGINES = ("auto", "octave", "matlab")
#: The MATLAB side of ``--expected``: the capture function shipped as package data.
CAPTURE = "ufldl_capture.m"

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
    matlab_setup : str, optional
        ``setup`` in MATLAB, where it differs (a seed MATLAB's generator takes: ``rng(s)``).
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
    matlab_setup: str | None = None

    def __post_init__(self):
        if self.where not in WHERE:
            raise ValueError(f"Check {self.name}: where must be one of {sorted(WHERE)}")
        if len(self.argnames) == 0 and self.matlab is None:
            raise ValueError(f"Check {self.name}: argnames are needed")
        if not self.mfile:
            mfile = (f"{self.subdirs[0]}/{self.name}.m" if self.subdirs
                     else f"builtin {self.name}")
            object.__setattr__(self, "mfile", mfile)

    def matlab_code(self, dialect: str = "octave") -> tuple[str, list[str]]:
        """The MATLAB statement that computes the outputs, and the outputs' names.

        Parameters
        ----------
        dialect : str
            The engine's: 'octave', or 'matlab' (``matlab_setup`` in place of ``setup``).

        Returns
        -------
        code : str
        outputs : list of str
            out1, out2, ...
        """
        outs = [f"out{i + 1}" for i in range(self.nargout)]
        target = self.matlab or self.name
        expr = target if "(" in target else f"{target}({', '.join(self.argnames)})"
        setup = self.matlab_setup if dialect == "matlab" and self.matlab_setup is not None \
            else self.setup
        setup = f"{setup} " if setup else ""
        return f"{setup}[{', '.join(outs)}] = {expr};", outs

    def output_names(self) -> list[str]:
        """The outputs' names in the report: ``outnames``, else out1, out2, ...

        Returns
        -------
        list of str
        """
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


def _read_mat(path: str | Path, option: str) -> dict:
    """The variables of the .mat file given as ``option``; ValueError where it cannot be read."""
    from ..matlab import io

    try:
        return io.loadmat(path)
    except Exception as exc:  # whatever the reader raises, the file is unusable
        raise ValueError(f"{option} {path} cannot be read: {exc or type(exc).__name__}") \
            from exc


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
    inputs = _read_mat(path, "--inputs")
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


def engine(name: str = "auto", matlab_exe: str | Path | None = None):
    """The engine that runs the MATLAB originals: the Octave bridge, or MATLAB.

    Parameters
    ----------
    name : str
        'octave', 'matlab', or 'auto': MATLAB when ``matlab_exe`` is given or ``matlab`` is
        on PATH, else Octave.
    matlab_exe : str or path-like, optional
        The MATLAB executable (``--matlab-exe``).

    Returns
    -------
    engine : module or ufldl_py.matlab.bridge.Matlab
        Something with ``NAME``, ``DIALECT``, ``run(code, inputs, outputs, path)`` and
        ``version()``: the module :mod:`ufldl_py.matlab.octave`, or a
        :class:`~ufldl_py.matlab.bridge.Matlab`.

    Raises
    ------
    ValueError
        An unknown name, or ``matlab_exe`` with ``name='octave'``.
    ufldl_py.matlab.bridge.EngineNotFoundError
        The engine chosen is not installed (the message says how to choose another).
    """
    from ..matlab import bridge, octave

    if name not in ENGINES:
        raise ValueError(f"--engine must be one of {', '.join(ENGINES)}, not {name!r}")
    if name == "octave" and matlab_exe is not None:
        raise ValueError("--matlab-exe names MATLAB: it goes with --engine matlab or auto")
    if name == "matlab" or (name == "auto" and (matlab_exe is not None
                                                or bridge.matlab_executable() is not None)):
        return bridge.Matlab(matlab_exe)
    if not octave.available():
        raise octave.OctaveNotFoundError(
            "Octave is not installed (no octave-cli on PATH; Debian/Ubuntu: apt-get install "
            "--no-install-recommends octave); choose another engine: --engine matlab "
            "[--matlab-exe PATH], or --expected OUT.mat --inputs IN.mat")
    return octave


def _compare_port(check: Check, inputs: tuple, ml: list, dialect: str) -> list[Row]:
    """Run the port (and its variants) on ``inputs`` and compare with the original's ``ml``
    (where ``ml`` is all zeros and nothing matched, the rows say it looks uncompleted)."""
    from ..matlab import random as mrandom

    candidates = [("", check.python), *check.variants]
    first: list[Row] | None = None
    for label, fn in candidates:
        with mrandom.dialect(dialect):
            result = fn(*copy.deepcopy(tuple(inputs)))
        if check.nargout == 1 and isinstance(result, tuple):
            result = result[0]
        py_outs = (result,) if check.nargout == 1 else tuple(result)[: check.nargout]
        rows: list[Row] = []
        for name, p, o in zip(check.output_names(), py_outs, ml):
            rows.extend(compare(p, o, name, check.rtol, check.atol))
        if first is None:
            first = rows
        if rows and all(r.ok for r in rows):
            if check.variants:
                which = label or check.completion
                for r in rows:
                    r.note = f"matched: {which}"
            return rows
    if all(_all_zero(v) for v in ml):
        for r in first:
            r.note = f"{r.note}; {UNCOMPLETED}" if r.note else UNCOMPLETED
    elif check.variants:
        tried = ", ".join([check.completion] + [label for label, _ in check.variants])
        for r in first:
            if not r.ok:
                r.note = f"{r.note}; no completion matched (tried {tried})".lstrip("; ")
    return first


def run_check(check: Check, inputs: tuple | None = None, rng: np.random.Generator | None = None,
              matlab_path: str | Path | None = None, engine=None) -> list[Row]:
    """Run the port and the original on the same inputs and compare every output.

    With ``check.variants``, the rows are those of the first completion that matches (each
    row's note names it), or of ``check.python`` when none does. When the original returned
    only zeros, or failed, and its file still holds YOUR CODE HERE, the rows (or the
    engine's error) say that it looks uncompleted. The port runs in the engine's dialect of
    :mod:`ufldl_py.matlab.random`, so that its random draws are the engine's.

    Parameters
    ----------
    check : Check
    inputs : tuple, optional
        The arguments; default ``check.inputs(rng)``.
    rng : numpy.random.Generator, optional
        For the random inputs.
    matlab_path : str or path-like, optional
        The MATLAB originals' folder (needed unless ``check.where == 'builtin'``).
    engine : optional
        :func:`engine`'s result; default the Octave bridge.

    Returns
    -------
    list of Row

    Raises
    ------
    ValueError
        No ``matlab_path`` where one is needed, or one without the check's folders.
    ufldl_py.matlab.bridge.EngineError
        The original failed in the engine, or the engine did not start.
    """
    from ..matlab import bridge
    from ..matlab import octave

    engine = octave if engine is None else engine
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
    code, outs = check.matlab_code(engine.DIALECT)
    try:
        ml = engine.run(code, dict(zip(check.argnames, inputs)), outs, path=paths)
    except bridge.EngineStartError:
        raise
    except bridge.EngineError as exc:
        if gaps:
            raise type(exc)(f"{exc}\n{check.mfile}: {UNCOMPLETED}", exc.identifier,
                            exc.output) from exc
        raise
    return _compare_port(check, inputs, [ml[o] for o in outs], engine.DIALECT)


def load_expected(path: str | Path) -> dict:
    """The variables of an ``--expected`` .mat file, in the order they were saved.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    dict

    Raises
    ------
    ValueError
        When the file cannot be read.
    """
    return _read_mat(path, "--expected")


def expected_outputs(check: Check, expected: dict, path: str | Path = "--expected") -> list:
    """The saved outputs of ``check``'s function, in MATLAB's output order.

    They are found by name, as ``ufldl_capture`` saves them: the output names of the
    signature (the check's ``outnames``, e.g. ``cost, grad``) when the file holds them all,
    else ``out1, out2, ...``; a check of one output takes the file's one variable whatever
    its name (e.g. ``pooledFeatures``). The order of the variables in the file is not used:
    Octave's ``save`` writes them sorted by name.

    Parameters
    ----------
    check : Check
    expected : dict
        :func:`load_expected`'s result.
    path : str or path-like
        The file, for the messages.

    Returns
    -------
    list
        ``check.nargout`` values.

    Raises
    ------
    ValueError
        When the file does not hold the outputs under those names (the message lists both).
    """
    numbered = [f"out{i + 1}" for i in range(check.nargout)]
    for names in (list(check.outnames), numbered):
        if names and all(n in expected for n in names):
            return [expected[n] for n in names]
    if check.nargout == 1 and len(expected) == 1:
        return list(expected.values())
    wanted = ", ".join(check.outnames) + " or " if check.outnames else ""
    raise ValueError(f"--expected {path} holds {', '.join(expected) or 'no variable'}; "
                     f"{check.name}'s outputs are looked up as {wanted}{', '.join(numbered)}")


def run_expected(check: Check, inputs: dict, expected: dict, dialect: str = "octave",
                 path: str | Path = "--expected") -> list[Row]:
    """Compare the port on saved inputs with outputs saved in MATLAB: no engine runs.

    Parameters
    ----------
    check : Check
    inputs : dict
        :func:`load_inputs`'s result: the arguments by name.
    expected : dict
        :func:`load_expected`'s result: the outputs (see :func:`expected_outputs`).
    dialect : str
        The dialect of :mod:`ufldl_py.matlab.random` the port runs in ('octave' or
        'matlab': that of the engine that saved the outputs).
    path : str or path-like
        The expected file, for the messages.

    Returns
    -------
    list of Row

    Raises
    ------
    ValueError
        The file holds fewer outputs than the check compares.
    """
    args = tuple(inputs[a] for a in check.argnames)
    ml = expected_outputs(check, expected, path)
    return _compare_port(check, args, ml, dialect)


def capture_source() -> str:
    """The text of ``ufldl_capture.m``, the MATLAB side of ``--expected`` (package data).

    ``ufldl_capture('cnnPool', poolDim, convolvedFeatures)`` calls the function, saves its
    inputs by the signature's argument names in ``cnnPool_in.mat`` and its outputs by the
    signature's output names in ``cnnPool_out.mat`` (``in1, ...`` / ``out1, ...`` where the
    function has no .m file), and returns the outputs. MATLAB and Octave run it alike.

    Returns
    -------
    str
    """
    from importlib import resources

    return (resources.files(__name__) / "matlab" / CAPTURE).read_text(encoding="utf-8")


def write_capture(folder: str | Path) -> Path:
    """Write ``ufldl_capture.m`` into ``folder`` (atomically).

    Parameters
    ----------
    folder : str or path-like
        An existing folder.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OSError
        When the folder does not exist or cannot be written.
    """
    from ..atomic import atomic_write

    target = Path(folder) / CAPTURE
    with atomic_write(target, "w") as f:
        f.write(capture_source())
    return target
