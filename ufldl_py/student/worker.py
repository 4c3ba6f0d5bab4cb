"""The checker's worker: runs one student function in its own process.

    python -m ufldl_py.student.worker JOB RESULT

JOB (a pickle) names the student's folder, the chapter and the function, and holds the
argument tuples to call it on; the worker imports the student's file, calls the function on
each, runs the driver's checks of the chapter table on it, and writes RESULT (a pickle)
after every step, so that a process stopped by the time limit still reports how far it got.
Nothing a student's function does (raise, print, return anything) stops it; whatever it
returns is sent back as plain numbers and containers (:class:`Opaque` for anything else).
"""

from __future__ import annotations

import importlib.util
import io
import os
import pickle
import sys
import traceback
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class Opaque:
    """A returned value that is not numbers: its type's name and a short repr."""

    type_name: str
    text: str


def portable(value, depth: int = 0):
    """value as numbers, strings, tuples, lists and dicts only."""
    if depth > 8:
        return Opaque(type(value).__name__, "(nested too deep)")
    if value is None or isinstance(value, (bool, int, float, complex, str, np.generic)):
        return value
    if isinstance(value, np.ndarray):
        return np.array(value) if value.dtype.kind in "biufc" else \
            Opaque("ndarray", f"dtype {value.dtype}")
    if isinstance(value, (tuple, list)):
        items = [portable(v, depth + 1) for v in value]
        return tuple(items) if isinstance(value, tuple) else items
    if isinstance(value, dict):
        return {str(k): portable(v, depth + 1) for k, v in value.items()}
    try:
        text = repr(value)[:80]
    except Exception:  # a student's __repr__ may fail too
        text = "?"
    return Opaque(type(value).__name__, text)


def describe(exc: BaseException, folder: Path) -> dict:
    """An exception as type, message and the last line of the student's files it passed."""
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            if Path(frame.filename).resolve().parent == folder:
                where = f"{Path(frame.filename).name}, line {frame.lineno}"
        except OSError:
            pass
    if isinstance(exc, SyntaxError) and exc.filename and not where:
        where = f"{Path(exc.filename).name}, line {exc.lineno}"
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return {"type": type(exc).__name__, "message": message[:300], "where": where}


def run(job: dict, result_path: str) -> None:
    from .chapters import get

    folder = Path(job["dir"]).resolve()
    result: dict = {"import_error": None, "calls": [], "checks": []}

    def save():
        tmp = f"{result_path}.tmp"
        with open(tmp, "wb") as fh:
            pickle.dump(result, fh)
        os.replace(tmp, result_path)

    save()
    sys.path.insert(0, str(folder))
    name = job["function"]
    out = io.StringIO()
    try:
        spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        with redirect_stdout(out):
            spec.loader.exec_module(module)
        fn = getattr(module, name)
        if not callable(fn):
            raise TypeError(f"{name} in {name}.py is not a function")
    except BaseException as exc:  # noqa: BLE001 - anything the student's file raises
        result["import_error"] = describe(exc, folder)
        save()
        return
    for args in job["inputs"]:
        try:
            with redirect_stdout(out):
                value = fn(*args)
            result["calls"].append({"value": portable(value)})
        except BaseException as exc:  # noqa: BLE001
            result["calls"].append({"error": describe(exc, folder)})
        save()
    if job.get("checks", True):
        entry = get(job["chapter"]).function(name)
        for description, check in entry.checks:
            try:
                with redirect_stdout(out):
                    ok, detail = check(fn)
                result["checks"].append((description, bool(ok), str(detail)))
            except BaseException as exc:  # noqa: BLE001
                d = describe(exc, folder)
                result["checks"].append((description, False, _raised(d)))
            save()


def _raised(d: dict) -> str:
    return (f"raised {d['type']}" + (f": {d['message']}" if d["message"] else "")
            + (f" ({d['where']})" if d["where"] else ""))


def main(argv: list[str]) -> int:
    job_path, result_path = argv
    with open(job_path, "rb") as fh:
        job = pickle.load(fh)
    run(job, result_path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
