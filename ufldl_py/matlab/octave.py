"""Run MATLAB code in Octave and get the results back as Python values.

One ``octave-cli`` process per Python process is started on first use and kept (a
:class:`Session`); values go in and come back through .mat files written and read by
:mod:`ufldl_py.matlab.io`, so they follow its conventions (1 x 1 double -> ``float``, structs
-> dicts, cells -> :class:`~ufldl_py.matlab.io.Cell`, 1-D arrays -> column vectors).

>>> from ufldl_py.matlab import octave
>>> octave.call("conv2", A, B, "valid")                          # doctest: +SKIP
>>> cost, grad = octave.call("cnnCost", theta, images, labels, 10, 9, 20, 2,
...                          nargout=2, path=["~/stanford_dl_ex/cnn"])  # doctest: +SKIP
>>> octave.run("rand('state', 0); x = rand(3);", outputs=["x"])["x"]  # doctest: +SKIP

The exchange (the driver, the job's files, the errors) is :mod:`ufldl_py.matlab.bridge`'s,
shared with MATLAB run as ``matlab -batch``. Each job runs inside a function of its own,
so no variable leaks from one job to the next;
Octave's global state (the random generators' state, ``global`` variables, the path outside
the job's own ``path``) does persist between jobs of one session.
"""

from __future__ import annotations

import atexit
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any, Sequence

from .. import config
from . import bridge

__all__ = [
    "OctaveError", "OctaveNotFoundError", "OctaveFunctionNotFoundError",
    "available", "executable", "Session", "session", "call", "run", "version",
]

#: The engine's name in reports, and the dialect of ufldl_py.matlab.random it matches.
NAME = "Octave"
DIALECT = "octave"


class OctaveError(bridge.EngineError):
    """Octave raised an error while running a job (its message is this error's message).

    Parameters
    ----------
    message : str
        The error's message.
    identifier : str
        The MATLAB error identifier (``err.identifier``), '' where none.
    output : str
        What the engine printed.
    """


class OctaveNotFoundError(OctaveError, bridge.EngineNotFoundError):
    """No ``octave-cli`` (or ``octave``) executable on PATH.

    Parameters
    ----------
    message : str
        The error's message.
    identifier : str
        The MATLAB error identifier (``err.identifier``), '' where none.
    output : str
        What the engine printed.
    """


class OctaveFunctionNotFoundError(OctaveError, bridge.FunctionNotFoundError):
    """The MATLAB function asked for is neither an Octave builtin nor on the given path.

    Parameters
    ----------
    message : str
        The error's message.
    identifier : str
        The MATLAB error identifier (``err.identifier``), '' where none.
    output : str
        What the engine printed.
    """


def executable() -> str | None:
    """The Octave executable used: ``$UFLDL_PY_OCTAVE``, else ``octave-cli``, else ``octave``.

    Returns
    -------
    str or None
        The executable, or None when there is none.
    """
    env = config.octave()
    if env:
        return shutil.which(env)
    return shutil.which("octave-cli") or shutil.which("octave")


def available() -> bool:
    """True when an Octave executable is on PATH.

    Returns
    -------
    bool
    """
    return executable() is not None


class Session:
    """A persistent ``octave-cli`` process that runs jobs one at a time.

    Parameters
    ----------
    timeout : float
        Seconds a single job may take before the session is killed and
        :class:`OctaveError` is raised.
    """

    def __init__(self, timeout: float = 600.0):
        exe = executable()
        if exe is None:
            raise OctaveNotFoundError(
                "Octave is not installed: no octave-cli on PATH (Debian/Ubuntu: apt-get "
                "install --no-install-recommends octave); or choose another engine: "
                "--engine matlab")
        self.timeout = timeout
        self._dir = Path(tempfile.mkdtemp(prefix="ufldl_py_octave_"))
        bridge.write_drivers(self._dir)
        self._jobs = 0
        self._lock = threading.Lock()
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._proc = subprocess.Popen(
            [exe, "--quiet", "--norc", "--no-history", "--no-window-system"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, bufsize=1, cwd=self._dir,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._send(f"more off; page_screen_output(false); "
                   f"addpath({bridge.quote(str(self._dir))});")

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _send(self, line: str) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(line + "\n")
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise OctaveError(f"the Octave process has exited: {exc}") from exc

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    def close(self) -> None:
        """End the Octave process, close its pipes and remove the session's temporary files."""
        if self.alive:
            try:
                self._send("exit")
                self._proc.wait(timeout=10)
            except (OctaveError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()
        self._reader.join(timeout=10)  # it reads to the end of the dead process's output
        for pipe in (self._proc.stdin, self._proc.stdout):
            try:
                pipe.close()
            except OSError:  # stdin's buffered bytes, if Octave died with them unread
                pass
        shutil.rmtree(self._dir, ignore_errors=True)

    def run(self, code: str, inputs: dict[str, Any] | None = None,
            outputs: Sequence[str] = (), path=None, echo: bool = False) -> dict[str, Any]:
        """Run ``code`` with ``inputs`` as variables and return the variables in ``outputs``.

        Parameters
        ----------
        code : str
            MATLAB statements.
        inputs : dict
            Variable names to Python values (converted by :func:`io.savemat`).
        outputs : sequence of str
            The names of the variables to return.
        path : path or sequence of paths, optional
            Folders of .m files to add to Octave's path for this job.
        echo : bool
            Print what Octave printed.

        Returns
        -------
        values : dict
            Each name in ``outputs`` to its value (converted by :func:`io.loadmat`).

        Raises
        ------
        ValueError
            An input or output name that is not a MATLAB variable name.
        OctaveError
            Octave raised an error, or the code did not define an output (named).
        """
        paths = bridge.as_paths(path)
        outputs = bridge.check_output_names(outputs)
        with self._lock:
            self._jobs += 1
            job = self._dir / f"job{self._jobs}"
            job.mkdir()
            try:
                bridge.prepare_job(job, code, inputs, outputs, paths)
                self._send(f"ufldl_py_job({bridge.quote(str(job))});")
                status, printed = self._wait()
                if echo and printed:
                    print(printed, end="" if printed.endswith("\n") else "\n")
                if status != "ok":
                    raise bridge.job_error(job, outputs, "Octave", printed, OctaveError,
                                           OctaveFunctionNotFoundError) \
                        or OctaveError("Octave: the job failed without saying why", "", printed)
                return bridge.read_outputs(job, outputs)
            finally:
                shutil.rmtree(job, ignore_errors=True)

    def _wait(self) -> tuple[str, str]:
        printed: list[str] = []
        while True:
            try:
                line = self._lines.get(timeout=self.timeout)
            except queue.Empty:
                self._proc.kill()
                raise OctaveError(f"Octave did not finish the job within {self.timeout} s") \
                    from None
            if line is None:
                raise OctaveError("the Octave process exited unexpectedly:\n" + "".join(printed),
                                  output="".join(printed))
            if line.startswith(bridge.DONE):
                text = "".join(printed)
                if text.endswith("\n"):  # the driver's own leading newline
                    text = text[:-1]
                return line.split()[1], text
            printed.append(line)

    def call(self, func: str, *args: Any, nargout: int = 1, path=None):
        """Call the MATLAB function ``func(args...)`` and return its ``nargout`` outputs.

        Returns the single output when ``nargout == 1``, a tuple of outputs otherwise, and
        None when ``nargout == 0``. Raises :class:`OctaveFunctionNotFoundError` when ``func``
        is not known to Octave with ``path`` added.
        """
        if not func.replace("_", "a").isalnum() or not func[0].isalpha():
            raise ValueError(f"{func!r} is not a MATLAB function name")
        names = [f"in{i + 1}" for i in range(len(args))]
        outs = [f"out{i + 1}" for i in range(nargout)]
        lhs = f"[{', '.join(outs)}] = " if outs else ""
        code = (
            f"if ~any(exist({bridge.quote(func)}) == [2 3 5 103])\n"
            f"  error('{bridge.NOT_FOUND_ID}', 'function {func} not found on the Octave path');\n"
            f"end\n"
            f"{lhs}{func}({', '.join(names)});"
        )
        result = self.run(code, dict(zip(names, args)), outs, path)
        values = tuple(result[o] for o in outs)
        if nargout == 0:
            return None
        return values[0] if nargout == 1 else values


_session: Session | None = None
_session_lock = threading.Lock()


def session() -> Session:
    """The process-wide :class:`Session`, started on first use (and again if it died).

    Returns
    -------
    Session
    """
    global _session
    with _session_lock:
        if _session is None or not _session.alive:
            _session = Session()
            atexit.register(_session.close)
        return _session


def call(func: str, *args: Any, nargout: int = 1, path=None):
    """Call a MATLAB function in Octave: see :meth:`Session.call`.

    Parameters
    ----------
    func : str
        The MATLAB function's name.
    *args
        Its arguments (Python values, converted by :func:`io.savemat`).
    nargout : int
        How many outputs to return.
    path : path or sequence of paths, optional
        Folders of .m files to add to Octave's path for this job.

    Returns
    -------
    object or tuple or None
        The output when ``nargout == 1``, a tuple of outputs otherwise, None when
        ``nargout == 0`` (converted by :func:`io.loadmat`).

    Raises
    ------
    OctaveFunctionNotFoundError
        When ``func`` is not known to Octave with ``path`` added.
    OctaveError
        When Octave raised an error.
    """
    return session().call(func, *args, nargout=nargout, path=path)


def run(code: str, inputs: dict[str, Any] | None = None, outputs: Sequence[str] = (),
        path=None, echo: bool = False) -> dict[str, Any]:
    """Run MATLAB code in Octave: see :meth:`Session.run`.

    Parameters
    ----------
    code : str
        MATLAB statements.
    inputs : dict, optional
        Variables to set first, by name.
    outputs : sequence of str
        Variables to return.
    path : path or sequence of paths, optional
        Folders of .m files to add to Octave's path for this job.
    echo : bool
        Print what Octave printed.

    Returns
    -------
    dict
        Each name in ``outputs`` to its value (converted by :func:`io.loadmat`).

    Raises
    ------
    ValueError
        An input or output name that is not a MATLAB variable name.
    OctaveError
        Octave raised an error, or the code did not define an output.
    """
    return session().run(code, inputs, outputs, path, echo)


def version() -> str:
    """The version of the Octave that runs the jobs (``OCTAVE_VERSION``), e.g. '7.3.0'.

    Returns
    -------
    str
    """
    return run("v = OCTAVE_VERSION;", outputs=["v"])["v"]
