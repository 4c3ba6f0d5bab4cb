"""The exchange with a MATLAB engine (Octave or MATLAB), and MATLAB run as ``matlab -batch``.

Both engines run a job the same way: the job's folder holds ``in.mat`` (the inputs, by
name), ``job.mat`` (the folders to add to the path and the output names, as data),
``code.m`` (loads the inputs, runs the code, gathers the outputs) and gets back ``out.mat``
(the outputs, by name) or ``error.txt`` (the error's identifier and message). The driver
(``ufldl_py_job``) and the function that evaluates code.m (``ufldl_py_eval_``) are written
in the common subset of MATLAB and Octave; the only text of a job that is code is code.m,
and no input or output name reaches the driver's variables or the functions it calls, so no
name can change what runs.

:mod:`ufldl_py.matlab.octave` keeps one ``octave-cli`` process and sends it jobs;
:class:`Matlab` here starts ``matlab -batch`` once per job (MATLAB R2019a and later).

>>> from ufldl_py.matlab.bridge import Matlab
>>> Matlab().run("x = magic(3);", outputs=["x"])["x"]             # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Iterable, Sequence

from . import io

__all__ = [
    "EngineError", "EngineNotFoundError", "EngineStartError", "FunctionNotFoundError",
    "MatlabError", "MatlabFunctionNotFoundError", "Matlab",
    "DONE", "as_paths", "quote", "write_drivers", "prepare_job", "job_error",
    "read_outputs", "matlab_executable", "check_output_names",
]

#: The line the driver prints when a job has ended: ``DONE ok`` or ``DONE error``.
DONE = "__UFLDL_PY_DONE__"
NOT_FOUND_ID = "ufldl_py:functionNotFound"

# The driver runs one job: add the job's path, run its code.m, save the outputs, report.
# code.m loads the inputs, runs the user's code and gathers the outputs into one cell (see
# prepare_job); it is evaluated in a function of its own (ufldl_py_eval_), whose text is read
# before any input is loaded and whose result is that cell, so that no input or output name
# reaches the driver's variables or the functions it calls. The paths and output names come
# from job.mat, as data.
_DRIVER = r"""function ufldl_py_job(jobdir_ufldl_)
  job_ufldl_ = load(fullfile(jobdir_ufldl_, 'job.mat'));
  status_ufldl_ = 'ok';
  for i_ufldl_ = 1:numel(job_ufldl_.paths)
    addpath(job_ufldl_.paths{i_ufldl_});
  end
  try
    out_ufldl_ = ufldl_py_eval_(fullfile(jobdir_ufldl_, 'code.m'));
    if ~isempty(job_ufldl_.outnames)
      s_ufldl_ = cell2struct(out_ufldl_(:), job_ufldl_.outnames(:), 1);
      save(fullfile(jobdir_ufldl_, 'out.mat'), '-struct', 's_ufldl_', '-v7');
    end
  catch err_ufldl_
    status_ufldl_ = 'error';
    fid_ufldl_ = fopen(fullfile(jobdir_ufldl_, 'error.txt'), 'w');
    fprintf(fid_ufldl_, '%s\n%s', err_ufldl_.identifier, err_ufldl_.message);
    fclose(fid_ufldl_);
  end
  for i_ufldl_ = 1:numel(job_ufldl_.paths)
    rmpath(job_ufldl_.paths{i_ufldl_});
  end
  fprintf('\n%s %s\n', '__UFLDL_PY_DONE__', status_ufldl_);
  if exist('OCTAVE_VERSION', 'builtin')
    fflush(stdout);
  end
end
"""

_EVAL = r"""function ufldl_out_ = ufldl_py_eval_(file_ufldl_)
  eval(fileread(file_ufldl_));
end
"""

# how each engine says that a variable is undefined (Octave; MATLAB before and after R2020a)
_UNDEFINED = re.compile(r"'(\w+)' undefined|(?:Undefined|Unrecognized) function or variable "
                        r"'(\w+)'")
_LICENCE = re.compile(r"licen[cs]e (?:checkout|manager)|license manager error|"
                      r"no licen[cs]e|licen[cs]e .*(?:expired|not found)", re.IGNORECASE)


class EngineError(RuntimeError):
    """The engine raised an error while running a job (its message is this error's message).

    Parameters
    ----------
    message : str
    identifier : str
        The MATLAB error identifier (``err.identifier``), '' where none.
    output : str
        What the engine printed.
    """

    def __init__(self, message: str, identifier: str = "", output: str = ""):
        super().__init__(message)
        self.identifier = identifier
        self.output = output


class EngineNotFoundError(EngineError):
    """The engine's executable is not there.

    Parameters
    ----------
    message : str
        The error's message.
    identifier : str
        The MATLAB error identifier (``err.identifier``), '' where none.
    output : str
        What the engine printed.
    """


class EngineStartError(EngineError):
    """The engine is there but did not start (for MATLAB: a licence error, among others).

    Parameters
    ----------
    message : str
        The error's message.
    identifier : str
        The MATLAB error identifier (``err.identifier``), '' where none.
    output : str
        What the engine printed.
    """


class MatlabError(EngineError):
    """MATLAB raised an error while running a job.

    Parameters
    ----------
    message : str
        The error's message.
    identifier : str
        The MATLAB error identifier (``err.identifier``), '' where none.
    output : str
        What the engine printed.
    """


class FunctionNotFoundError(EngineError):
    """The function asked for is neither a builtin nor on the given path.

    Parameters
    ----------
    message : str
        The error's message.
    identifier : str
        The MATLAB error identifier (``err.identifier``), '' where none.
    output : str
        What the engine printed.
    """


def as_paths(path: str | os.PathLike | Iterable[str | os.PathLike] | None) -> list[str]:
    """Folders to add to the engine's path, resolved and checked.

    Parameters
    ----------
    path : path-like, iterable of path-like, or None

    Returns
    -------
    list of str
        Absolute folder names.

    Raises
    ------
    FileNotFoundError
        A folder that does not exist (named).
    """
    if path is None:
        return []
    if isinstance(path, (str, os.PathLike)):
        path = [path]
    out = []
    for p in path:
        p = Path(p).expanduser().resolve()
        if not p.is_dir():
            raise FileNotFoundError(f"MATLAB path directory {p} does not exist")
        out.append(str(p))
    return out


def quote(s: str) -> str:
    """``s`` as a MATLAB single-quoted string literal (quotes doubled).

    Parameters
    ----------
    s : str

    Returns
    -------
    str
    """
    return "'" + s.replace("'", "''") + "'"


def write_drivers(folder: Path) -> None:
    """Write the driver (``ufldl_py_job.m``) and ``ufldl_py_eval_.m`` into ``folder``.

    Parameters
    ----------
    folder : pathlib.Path
        An existing folder the engine adds to its path.

    Raises
    ------
    OSError
        When the files cannot be written.
    """
    (folder / "ufldl_py_job.m").write_text(_DRIVER)
    (folder / "ufldl_py_eval_.m").write_text(_EVAL)


def check_output_names(outputs: Sequence[str]) -> list[str]:
    """The output names as a list, each checked to be a MATLAB variable name.

    Parameters
    ----------
    outputs : sequence of str

    Returns
    -------
    list of str

    Raises
    ------
    ValueError
        A name that is not a MATLAB variable name.
    """
    outputs = list(outputs)
    for name in outputs:
        if not isinstance(name, str) or not io.is_variable_name(name):
            raise ValueError(f"engine output {name!r} is not a valid MATLAB variable name")
    return outputs


def prepare_job(job: Path, code: str, inputs: dict[str, Any] | None, outputs: list[str],
                paths: list[str]) -> None:
    """Write a job's in.mat, job.mat and code.m into the (new, empty) folder ``job``.

    Parameters
    ----------
    job : pathlib.Path
        The job's folder (it exists).
    code : str
        MATLAB statements.
    inputs : dict or None
        Variable names to Python values (converted by :func:`io.savemat`).
    outputs : list of str
        The outputs' names, checked by :func:`check_output_names`.
    paths : list of str
        Folders to add to the path for this job (:func:`as_paths`).

    Raises
    ------
    ValueError
        An input that cannot be saved as a MATLAB variable (from :func:`io.savemat`).
    """
    io.savemat(job / "in.mat", dict(inputs or {}))
    io.savemat(job / "job.mat", {"paths": io.Cell(paths), "outnames": io.Cell(outputs)})
    (job / "code.m").write_text(
        f"builtin('load', {quote(str(job / 'in.mat'))});\n{code}\n"
        f"ufldl_out_ = {{{', '.join(outputs)}}};\n")


def job_error(job: Path, outputs: list[str], engine: str, printed: str,
              error_class: type[EngineError], not_found_class: type[EngineError]
              ) -> EngineError | None:
    """The error a finished job reported in its error.txt, as an exception (None: no error).

    Parameters
    ----------
    job : pathlib.Path
        The job's folder.
    outputs : list of str
        The outputs asked for: an undefined one is named as such.
    engine : str
        'Octave' or 'MATLAB', the messages' prefix.
    printed : str
        What the engine printed (kept on the exception).
    error_class, not_found_class : type
        The engine's error classes for an error, and for a function that is not found.

    Returns
    -------
    EngineError or None
    """
    try:
        text = (job / "error.txt").read_text(errors="replace")
    except FileNotFoundError:
        return None
    ident, _, message = text.partition("\n")
    missing = _UNDEFINED.search(message)
    name = missing and (missing.group(1) or missing.group(2))
    if name and name in outputs:
        return error_class(f"{engine}: the code did not define the output variable {name}",
                           ident, printed)
    if ident == NOT_FOUND_ID or missing:
        return not_found_class(f"{engine}: {message}", ident, printed)
    return error_class(f"{engine}: {message}", ident, printed)


def read_outputs(job: Path, outputs: list[str]) -> dict[str, Any]:
    """The outputs a job saved in its out.mat (``{}`` when none were asked for).

    Parameters
    ----------
    job : pathlib.Path
    outputs : list of str

    Returns
    -------
    dict
        Each output name to its value (converted by :func:`io.loadmat`).
    """
    return io.loadmat(job / "out.mat") if outputs else {}


def matlab_executable(exe: str | os.PathLike | None = None) -> str | None:
    """The MATLAB executable: ``exe`` when given (a path or a name on PATH), else ``matlab``.

    Parameters
    ----------
    exe : str or path-like, optional
        ``--matlab-exe``.

    Returns
    -------
    str or None
        Its full path, or None where there is no such executable.
    """
    return shutil.which(str(exe) if exe is not None else "matlab")


class Matlab:
    """MATLAB, run non-interactively as ``matlab -batch`` once per job (R2019a and later).

    The batch command names only the job's own temporary folder; the code, the inputs,
    the path and the output names travel in the job's files (see the module docstring).

    Parameters
    ----------
    exe : str or path-like, optional
        The MATLAB executable (default: ``matlab`` on PATH).
    timeout : float
        Seconds one job may take, MATLAB's start included.

    Raises
    ------
    EngineNotFoundError
        No such executable.
    """

    #: The engine's name in reports, and the dialect of ufldl_py.matlab.random it matches.
    NAME = "MATLAB"
    DIALECT = "matlab"

    def __init__(self, exe: str | os.PathLike | None = None, timeout: float = 600.0):
        found = matlab_executable(exe)
        if found is None:
            where = f"--matlab-exe {exe} is not an executable" if exe is not None \
                else "MATLAB is not installed: no matlab on PATH"
            raise EngineNotFoundError(f"{where}; give --matlab-exe PATH, or choose another "
                                      f"engine: --engine octave")
        self.exe = found
        self.timeout = timeout

    def run(self, code: str, inputs: dict[str, Any] | None = None,
            outputs: Sequence[str] = (), path=None, echo: bool = False) -> dict[str, Any]:
        """Run ``code`` with ``inputs`` as variables and return the variables in ``outputs``.

        Parameters
        ----------
        code : str
            MATLAB statements.
        inputs : dict, optional
            Variable names to Python values (converted by :func:`io.savemat`).
        outputs : sequence of str
            The names of the variables to return.
        path : path or sequence of paths, optional
            Folders of .m files to add to MATLAB's path for this job.
        echo : bool
            Print what MATLAB printed.

        Returns
        -------
        dict
            Each name in ``outputs`` to its value (converted by :func:`io.loadmat`).

        Raises
        ------
        ValueError
            An output name that is not a MATLAB variable name.
        MatlabError
            MATLAB raised an error, or the code did not define an output (named).
        EngineStartError
            MATLAB did not start or did not run the job (a licence error says so).
        """
        paths = as_paths(path)
        outputs = check_output_names(outputs)
        with tempfile.TemporaryDirectory(prefix="ufldl_py_matlab_") as tmp:
            folder = Path(tmp)
            write_drivers(folder)
            job = folder / "job"
            job.mkdir()
            prepare_job(job, code, inputs, outputs, paths)
            command = f"addpath({quote(str(folder))}); ufldl_py_job({quote(str(job))});"
            try:
                proc = subprocess.run([self.exe, "-batch", command], cwd=folder, text=True,
                                      stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                raise MatlabError(f"MATLAB did not finish the job within {self.timeout} s") \
                    from None
            except OSError as exc:
                raise EngineStartError(f"MATLAB ({self.exe}) could not be started: "
                                       f"{exc.strerror or exc}; choose another engine: "
                                       f"--engine octave") from exc
            printed, done, status = _split_output(proc.stdout)
            if echo and printed:
                print(printed, end="" if printed.endswith("\n") else "\n")
            if done:
                error = job_error(job, outputs, "MATLAB", printed, MatlabError,
                                  MatlabFunctionNotFoundError)
                if error is not None:
                    raise error
                if status == "ok":
                    return read_outputs(job, outputs)
            raise _start_error(self.exe, proc.returncode, printed)

    def version(self) -> str:
        """MATLAB's ``version()``, e.g. '9.14.0.2206163 (R2023a)'.

        Returns
        -------
        str

        Raises
        ------
        EngineStartError
            MATLAB did not start (a licence error says so).
        """
        return self.run("v = version();", outputs=["v"])["v"]


class MatlabFunctionNotFoundError(MatlabError, FunctionNotFoundError):
    """The MATLAB function asked for is neither a builtin nor on the given path.

    Parameters
    ----------
    message : str
        The error's message.
    identifier : str
        The MATLAB error identifier (``err.identifier``), '' where none.
    output : str
        What the engine printed.
    """


def _split_output(text: str) -> tuple[str, bool, str]:
    """What a batch run printed before the driver's DONE line, whether it came, its status."""
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith(DONE):
            printed = "".join(lines[:i])
            if printed.endswith("\n"):  # the driver's own leading newline
                printed = printed[:-1]
            return printed, True, line.split()[1] if len(line.split()) > 1 else ""
    return text, False, ""


def _start_error(exe: str, returncode: int, printed: str) -> EngineStartError:
    """One line for a MATLAB that did not run the job: a licence error, or what it printed."""
    lines = [line.strip() for line in printed.splitlines() if line.strip()]
    first = next((line for line in lines if _LICENCE.search(line)), None)
    if first is not None:
        return EngineStartError(f"MATLAB could not check out a licence ({first}); choose "
                                f"another engine: --engine octave, or compare with outputs "
                                f"saved in MATLAB: --expected OUT.mat --inputs IN.mat",
                                output=printed)
    last = lines[-1] if lines else "it printed nothing"
    return EngineStartError(f"MATLAB ({exe}) failed to start or to run the job (exit status "
                            f"{returncode}: {last}); choose another engine: --engine octave",
                            output=printed)
