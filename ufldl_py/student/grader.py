"""Grade a student's functions: ``ufldl-py exercise check NAME [DIR]``.

Each function runs in its own process (:mod:`ufldl_py.student.worker`) under a time limit,
on held-out random inputs and in the checks its MATLAB driver runs. It passes when it
equals the port (or one of the documented alternative completions) on every input, 1e-9
relative to the largest magnitude of the port's output (after ``Function.canonical``, where
an output is defined up to signs), and passes the driver's checks.
Otherwise the report gives the largest difference, which output and where (MATLAB's
1-based index), and the likely cause when one of the chapter table's common mistakes,
computed on the same inputs, gives what the student's function gave.
"""

from __future__ import annotations

import ast
import copy
import inspect
import os
import pickle
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..testing import compare
from .chapters import Chapter, Function
from .worker import Opaque

__all__ = ["Verdict", "check_function", "check_chapter", "uses", "parameter", "difference",
           "describe_input", "RTOL", "TRIALS", "TIMEOUT"]

RTOL = 1e-9
MISTAKE_RTOL = 1e-7
TRIALS = 4
SEED = 20131  # the held-out inputs' seed
TIMEOUT = 60.0
STOPPED = "(the time limit, --timeout)"


@dataclass
class Verdict:
    """One function's grade: passed, the summary line and the lines that explain it."""

    name: str
    passed: bool
    summary: str
    details: list[str] = field(default_factory=list)

    @property
    def timed_out(self) -> bool:
        """Whether the function's process was stopped by the time limit.

        Returns
        -------
        bool
        """
        return not self.passed and any(STOPPED in line for line in self.lines())

    def lines(self) -> list[str]:
        return [f"{self.name}: {self.summary}"] + [f"    {d}" for d in self.details]


def held_out_inputs(fn: Function, trials: int = TRIALS, seed: int = SEED) -> list[tuple]:
    rng = np.random.default_rng(seed)
    return [tuple(fn.inputs(rng, t)) for t in range(trials)]


def _run_worker(folder: Path, chapter: Chapter, fn: Function, inputs: list[tuple],
                timeout: float) -> tuple[dict | None, str]:
    """The worker's result and what went wrong with the process ('' when nothing)."""
    import ufldl_py

    root = str(Path(ufldl_py.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH")
                                else "")
    with tempfile.TemporaryDirectory(prefix="ufldl_py_check_") as tmp:
        job_path, result_path = Path(tmp) / "job.pickle", Path(tmp) / "result.pickle"
        with open(job_path, "wb") as fh:
            pickle.dump({"dir": str(folder), "chapter": chapter.name, "function": fn.name,
                         "inputs": inputs}, fh)
        problem = ""
        try:
            proc = subprocess.run([sys.executable, "-m", "ufldl_py.student.worker",
                                   str(job_path), str(result_path)], cwd=folder, env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=timeout)
            if proc.returncode != 0:
                tail = (proc.stderr or "").strip().splitlines()[-1:] or [""]
                problem = (f"its process ended with exit status {proc.returncode}"
                           + (f": {tail[0][:200]}" if tail[0] else ""))
        except subprocess.TimeoutExpired:
            problem = (f"stopped after {timeout:g} s {STOPPED}: an endless "
                       "loop, or far too slow")
        result = None
        if result_path.exists():
            try:
                with open(result_path, "rb") as fh:
                    result = pickle.load(fh)
            except Exception:  # a result cut short by the kill
                result = None
        return result, problem


def _raised(d: dict) -> str:
    return (f"raised {d['type']}" + (f": {d['message']}" if d["message"] else "")
            + (f" ({d['where']})" if d["where"] else ""))


def _outputs(value: Any, fn: Function) -> tuple[list | None, str]:
    """The student's value as the list of fn.outnames outputs, or why it cannot be."""
    n = len(fn.outnames)
    if n == 1:
        if isinstance(value, (tuple, list)) and len(value) == 1:
            value = value[0]
        return [value], ""
    if not isinstance(value, (tuple, list)):
        return None, (f"returned {_kind(value)}; expected {n} outputs "
                      f"({', '.join(fn.outnames)})")
    if len(value) < n:
        return None, (f"returned {len(value)} outputs; expected {n} "
                      f"({', '.join(fn.outnames)})")
    return list(value[:n]), ""


def _kind(value: Any) -> str:
    if isinstance(value, Opaque):
        return f"a {value.type_name} ({value.text})"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    return f"a {type(value).__name__}"


def _index(shape: tuple, flat: int) -> str:
    """MATLAB's 1-based index of a flat (C-order) position in an array of ``shape``."""
    if len(shape) == 0 or int(np.prod(shape)) == 1:
        return ""
    if len(shape) == 1:
        return f"({flat + 1})"
    return "(" + ",".join(str(i + 1) for i in np.unravel_index(flat, shape)) + ")"


@dataclass
class Difference:
    """How one student output compares with the expected one."""

    ok: bool
    text: str  # what is wrong: "" when ok
    rel: float  # the largest relative difference (inf for a wrong shape or type)


def _number_array(value):
    if isinstance(value, (list, tuple)):
        try:
            value = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return None
    if isinstance(value, (bool, int, float, np.generic)) and not isinstance(value, str):
        value = np.asarray(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value.astype(np.float64)
    return None


def parameter(layout: list[tuple[str, tuple[int, ...]]], flat: int) -> str:
    """The parameter at 0-based position ``flat`` of an unrolled vector, as MATLAB writes it.

    Parameters
    ----------
    layout : list of (str, tuple of int)
        The parameters' names and shapes, unrolled column-major in this order.
    flat : int
        The position in the vector.

    Returns
    -------
    str
        E.g. ``"Wc(3,2,1)"`` or ``"bd(4)"``; ``""`` past the end of the layout.
    """
    for pname, shape in layout:
        size = int(np.prod(shape))
        if flat < size:
            if len(shape) <= 1:
                return f"{pname}({flat + 1})"
            idx = np.unravel_index(flat, shape, order="F")
            return f"{pname}(" + ",".join(str(i + 1) for i in idx) + ")"
        flat -= size
    return ""


def _where(name: str, shape: tuple, flat: int, layout) -> str:
    """``name(i)``, with the parameter it is where ``layout`` unrolls ``name``."""
    text = f"{name}{_index(shape, flat)}"
    if layout and len(shape) == 1:
        pname = parameter(layout, flat)
        if pname:
            text += f" (the gradient of {pname})"
    return text


def difference(student: Any, expected: Any, name: str, rtol: float = RTOL,
               layout=None) -> Difference:
    """Compare one output (crosscheck's rule: relative to the largest expected magnitude).

    Parameters
    ----------
    student, expected : any
        The student's output and the expected one.
    name : str
        The output's name.
    rtol : float
        The tolerance, relative to the largest expected magnitude.
    layout : list of (str, tuple of int), optional
        The parameters unrolled in this output (``grad``): positions are named by them.

    Returns
    -------
    Difference
    """
    if isinstance(expected, dict) or isinstance(student, dict):
        rows = compare(student, expected, name, rtol)
        bad = [r for r in rows if not r.ok]
        if not bad:
            return Difference(True, "", max((r.max_rel for r in rows), default=0.0))
        worst = max(bad, key=lambda r: r.max_rel)
        return Difference(False, f"{worst.output} differs by {worst.max_abs:.3g} (relative "
                                 f"{worst.max_rel:.3g}){' ' + worst.note if worst.note else ''}",
                          worst.max_rel)
    m = _number_array(expected)
    p = _number_array(student)
    if m is None:
        m = np.asarray(expected, dtype=np.float64)
    if p is None:
        return Difference(False, f"{name} is {_kind(student)}, not numbers", np.inf)
    if p.shape != m.shape:
        if p.size == m.size and [s for s in p.shape if s != 1] == [s for s in m.shape if s != 1]:
            p = p.reshape(m.shape)
        else:
            got = p.shape if p.ndim else "a scalar"
            want = m.shape if m.ndim else "a scalar"
            return Difference(False, f"{name} has the wrong shape: {got}, expected {want}",
                              np.inf)
    rows = compare(p, m, name, rtol)
    row = rows[0]
    if row.ok:
        return Difference(True, "", row.max_rel)
    bad = ~np.isfinite(p) & np.isfinite(m)
    if bad.any():
        flat = int(np.flatnonzero(bad.ravel())[0])
        return Difference(False, f"{_where(name, m.shape, flat, layout)} is {p.ravel()[flat]}, "
                                 f"expected {m.ravel()[flat]:.6g}", np.inf)
    diff = np.atleast_1d(np.abs(p - m))
    diff[~np.isfinite(diff)] = np.inf
    flat = int(np.argmax(diff))
    return Difference(False, f"{name} differs by {row.max_abs:.3g} (relative "
                             f"{row.max_rel:.3g}) at {_where(name, m.shape, flat, layout)}: "
                             f"{p.ravel()[flat]:.6g} where the port has "
                             f"{m.ravel()[flat]:.6g}", row.max_rel)


def _expected(callable_, args: tuple) -> tuple[Any, str]:
    try:
        return callable_(*copy.deepcopy(args)), ""
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}"


def _layout(fn: Function, args: tuple | None, name: str):
    if fn.layout is None or args is None or name != "grad":
        return None
    try:
        return fn.layout(args)
    except Exception:  # the student's own inputs may not fit; the plain index serves
        return None


def _compare_call(fn: Function, value: Any, expected: Any, rtol: float,
                  args: tuple | None = None) -> list[Difference]:
    outs, why = _outputs(value, fn)
    if outs is None:
        return [Difference(False, why, np.inf)]
    exp = list(expected) if isinstance(expected, tuple) else [expected]
    if fn.canonical is not None:
        outs, exp = _canonical(fn, outs), _canonical(fn, exp)
    return [difference(o, e, name, rtol, _layout(fn, args, name))
            for o, e, name in zip(outs, exp, fn.outnames)]


def _canonical(fn: Function, outs: list) -> list:
    """fn.canonical(outs) (e.g. the eigenvectors' signs fixed), or outs as they are where it
    cannot apply (outputs of the wrong shape or kind: the comparison says what is wrong)."""
    try:
        return list(fn.canonical(list(outs)))
    except Exception:
        return outs


def _likely_causes(fn: Function, inputs: list[tuple], calls: list[dict]) -> list[str]:
    """The causes of the chapter's mistakes that reproduce the student's results."""
    causes: list[str] = []
    for mistake in fn.mistakes:
        if mistake.cause in causes:
            continue
        compared = 0
        matches = True
        for args, call in zip(inputs, calls):
            value, err = _expected(mistake.fn, args)
            if err:  # the mistake raises here: so must the student's function
                matches = "error" in call
            elif "error" in call:
                matches = False
            else:
                compared += 1
                matches = all(d.ok for d in _compare_call(fn, call["value"], value,
                                                          MISTAKE_RTOL))
            if not matches:
                break
        if matches and compared:
            causes.append(mistake.cause)
    return causes


def check_function(chapter: Chapter, fn: Function, folder: Path,
                   timeout: float = TIMEOUT, trials: int = TRIALS,
                   save_failing: bool = False) -> Verdict:
    """Grade ``folder/fn.name.py``; never raises for anything the student's code does.

    Parameters
    ----------
    chapter : Chapter
        The exercise.
    fn : Function
        The function graded.
    folder : Path
        The student's folder.
    timeout : float
        Seconds its process may run, the driver's checks included.
    trials : int
        The number of held-out inputs.
    save_failing : bool
        Write the held-out input it fails on into ``folder/failing_NAME.npz`` (the report
        says how to load it).

    Returns
    -------
    Verdict
        Passed, or what differs where (a gradient's position named by its parameter, e.g.
        ``grad(79) (the gradient of Wc(3,2,1))``), the failing input's sizes and the likely cause.
    """
    path = folder / f"{fn.name}.py"
    if not path.is_file():
        return Verdict(fn.name, False, f"FAILED: {path} not found (ufldl-py exercise start "
                                       f"{chapter.name} writes its template)")
    inputs = held_out_inputs(fn, trials)
    result, problem = _run_worker(folder, chapter, fn, inputs, timeout)
    if result is None:
        return Verdict(fn.name, False, f"FAILED: {problem or 'the checker got no result'}")
    if result["import_error"]:
        d = result["import_error"]
        return Verdict(fn.name, False, f"FAILED: {path.name} could not be imported: "
                                       f"{_raised(d)[7:]}")
    calls = result["calls"]
    details: list[str] = []
    # not completed yet: a gap still raises
    gaps = [c["error"]["message"] for c in calls if "error" in c
            and c["error"]["type"] == "NotImplementedError"
            and c["error"]["message"].startswith("YOUR CODE HERE")]
    if gaps and len(gaps) == len(calls):
        gid = gaps[0].split(":", 1)[1].strip()
        return Verdict(fn.name, False, f"FAILED: not completed: the gap {gid} still raises "
                                       f"NotImplementedError (fill it in and delete its raise "
                                       f"line)")
    # equality with the port, or a documented variant, on every held-out input
    candidates = [(fn.completion if fn.variants else "", fn.reference), *fn.variants]
    passed_with = None
    # the closest completion: the most outputs matched; then, where some match, the first
    # in the table (the split is said below), else the smallest difference
    best: tuple[int, int, float, str, int] | None = None
    matched_by: dict[str, list[str]] = {}  # output -> the completions it matches
    first_error, first_error_at = "", 0
    for index, (label, cand) in enumerate(candidates):
        worst: tuple[float, str, int] = (0.0, "", 0)
        ok = len(calls) == len(inputs)
        out_ok = dict.fromkeys(fn.outnames, ok)
        for t, (args, call) in enumerate(zip(inputs, calls), 1):
            if "error" in call:
                ok = False
                if not first_error:
                    first_error = (f"{_raised(call['error'])} on held-out input {t} of "
                                   f"{len(inputs)}")
                    first_error_at = t
                continue
            expected, err = _expected(cand, args)
            if err:
                ok = False
                out_ok = dict.fromkeys(fn.outnames, False)
                continue
            for name, d in zip(fn.outnames, _compare_call(fn, call["value"], expected, RTOL,
                                                          args)):
                if not d.ok:
                    ok = out_ok[name] = False
                    if d.rel >= worst[0]:
                        worst = (d.rel, f"{d.text} (held-out input {t} of {len(inputs)})", t)
        if ok:
            passed_with = label
            break
        for name, good in out_ok.items():
            if good:
                matched_by.setdefault(name, []).append(label)
        good = sum(out_ok.values())
        rank = (-good, index if good else 0, worst[0], worst[1], worst[2])
        if worst[1] and (best is None or rank[:3] < best[:3]):
            best = rank
    if passed_with is None and len(candidates) > 1 and len(matched_by) == len(fn.outnames) \
            and not set.intersection(*(set(v) for v in matched_by.values())):
        # every output is right, but for different completions: the parts disagree
        details.append("the outputs match different completions: " + "; ".join(
            f"{name} matches {' or '.join(labels)}" for name, labels in matched_by.items())
            + " (make them agree)")
    if len(calls) < len(inputs) and calls:
        details.append(problem or "the checker got no result for some inputs")
    checks_ok = True
    for description, ok, detail in result["checks"]:
        checks_ok &= ok
        details.append(f"{description}: {'passed' if ok else 'FAILED'}"
                       + (f" ({detail})" if detail else ""))
    entry_checks = len(fn.checks)
    if len(result["checks"]) < entry_checks:
        checks_ok = False
        if len(calls) == len(inputs):
            details.append(problem or "the driver's checks did not finish")
    if passed_with is not None and checks_ok:
        summary = f"passed: equal to the port on {len(inputs)} held-out inputs"
        if passed_with:
            summary += f" (matched: {passed_with})"
        return Verdict(fn.name, True, summary, details)
    if passed_with is not None:
        summary = "FAILED a check of the MATLAB driver (held-out inputs: equal to the port)"
    elif best is not None:
        summary = f"FAILED: {best[3]}"
        if first_error:
            details.insert(0, first_error)
    elif first_error:
        summary = f"FAILED: {first_error}"
    else:
        summary = f"FAILED: {problem or 'no result'}"
    if passed_with is None:
        failing = best[4] if best is not None else first_error_at
        if failing:
            args = inputs[failing - 1]
            details.append(f"held-out input {failing}: {describe_input(fn, args)}")
            if save_failing:
                details.append(_save_failing(fn, folder, args))
        causes = _likely_causes(fn, inputs, calls)
        if causes:
            details.insert(0, "likely cause: " + "; or ".join(causes))
    return Verdict(fn.name, False, summary, details)


def _argnames(fn: Function, count: int) -> list[str]:
    """The names of the first ``count`` arguments of fn's port (``argN`` past them)."""
    try:
        names = [p.name for p in inspect.signature(fn.reference).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    return [names[i] if i < len(names) else f"arg{i + 1}" for i in range(count)]


def describe_input(fn: Function, args: tuple) -> str:
    """The sizes of a held-out input, argument by argument, as MATLAB's ``size`` gives them.

    Parameters
    ----------
    fn : Function
        The function it is an input of.
    args : tuple
        The arguments.

    Returns
    -------
    str
        E.g. ``"theta 130 x 1, images 8 x 8 x 5, labels 5 x 1, numClasses = 3"``.
    """
    parts = []
    for name, a in zip(_argnames(fn, len(args)), args):
        if isinstance(a, np.ndarray) and a.ndim:
            shape = a.shape if a.ndim > 1 else (a.size, 1)
            parts.append(f"{name} {' x '.join(map(str, shape))}")
        elif isinstance(a, (int, float, np.generic, np.ndarray)):
            parts.append(f"{name} = {float(a):g}")
        else:
            parts.append(f"{name} {getattr(a, '__name__', type(a).__name__)}")
    return ", ".join(parts)


def _save_failing(fn: Function, folder: Path, args: tuple) -> str:
    """Write the failing input into ``folder/failing_NAME.npz``; what was written, and how to
    load it (a line of the report)."""
    from ..atomic import atomic_write

    names = _argnames(fn, len(args))
    arrays = {n: np.asarray(a) for n, a in zip(names, args)
              if isinstance(a, (np.ndarray, int, float, np.generic))}
    path = folder / f"failing_{fn.name}.npz"
    try:
        with atomic_write(path) as fh:
            np.savez(fh, **arrays)
    except OSError as exc:
        return f"could not save the failing input: {path}: {exc.strerror or exc}"
    left = [n for n in names if n not in arrays]
    call = ", ".join(f"d[{n!r}]" if n in arrays else n for n in names)
    return (f"saved it in {path.name}: d = np.load({path.name!r}); {fn.name}({call})"
            + (f" ({', '.join(left)}: not saved, not arrays)" if left else ""))


def uses(chapter: Chapter, fn: Function, folder: Path) -> list[str]:
    """The chapter's other functions that the student's ``fn`` imports from their own files
    (``from cnnConvolve import cnnConvolve`` in cnnCost.py, as cnnCost.m calls cnnConvolve.m).

    Parameters
    ----------
    chapter : Chapter
        The exercise.
    fn : Function
        The function whose file is read.
    folder : Path
        The student's folder.

    Returns
    -------
    list of str
        The names, in the chapter's order; empty where the file cannot be read or parsed.
    """
    try:
        tree = ast.parse((folder / f"{fn.name}.py").read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError, UnicodeDecodeError):
        return []
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            modules.add(node.module)
        elif isinstance(node, ast.Import):
            modules.update(a.name for a in node.names)
    return [f.name for f in chapter.functions if f.name in modules and f.name != fn.name]


def _guarded_check(chapter, fn, folder, timeout, save_failing=False) -> Verdict:
    """check_function, the checker's own failure turned into a failed verdict: it must not
    hide the other functions' verdicts."""
    try:
        return check_function(chapter, fn, folder, timeout, save_failing=save_failing)
    except Exception as exc:
        return Verdict(fn.name, False, f"FAILED: the checker failed: "
                                       f"{type(exc).__name__}: {exc}")


def check_chapter(chapter: Chapter, folder: Path, timeout: float = TIMEOUT,
                  names: list[str] | None = None, out=None,
                  save_failing: bool = False) -> list[Verdict]:
    """Grade every function of the chapter (or those named), printing each verdict.

    A function that uses the student's own versions of other functions of the chapter (see
    :func:`uses`) is graded after them: where one of those failed, its failure is put down
    to it, and where one was stopped by the time limit, it is not run (it would hang too).
    Where ``names`` leaves them out and the function fails, they are graded too (not
    reported) to find whether its failure is theirs.

    Parameters
    ----------
    chapter : Chapter
        The exercise.
    folder : Path
        The student's folder.
    timeout : float
        Seconds each function may run, its driver's checks included.
    names : list of str, optional
        Grade only these functions.
    out : file, optional
        Where to print each verdict as it comes.
    save_failing : bool
        Save each failing function's failing input (see :func:`check_function`).

    Returns
    -------
    list of Verdict
        In the chapter's order.
    """
    verdicts = []
    graded: dict[str, Verdict] = {}
    for fn in chapter.functions:
        if names and fn.name not in names:
            continue
        used = uses(chapter, fn, folder)
        failed = [graded[u] for u in used if u in graded and not graded[u].passed]
        hung = [v.name for v in failed if v.timed_out]
        if hung:
            verdict = Verdict(fn.name, False, f"FAILED: not run: it uses your {hung[0]}, "
                                              f"which was stopped by the time limit (fix "
                                              f"{hung[0]} first)")
        else:
            verdict = _guarded_check(chapter, fn, folder, timeout, save_failing)
            if not verdict.passed and names:  # its siblings left out: graded now, unsaid
                for u in used:
                    if u not in graded and u not in names:
                        graded[u] = _guarded_check(chapter, chapter.function(u), folder,
                                                   timeout)
                        if not graded[u].passed:
                            failed.append(graded[u])
            if failed and not verdict.passed:
                verdict.details.insert(0, "likely cause: it uses your "
                                       + " and ".join(v.name for v in failed)
                                       + ", which FAILED (fix "
                                       + ("it" if len(failed) == 1 else "them") + " first)")
        graded[fn.name] = verdict
        verdicts.append(verdict)
        if out is not None:
            print("\n".join(verdict.lines()), file=out, flush=True)
    return verdicts
