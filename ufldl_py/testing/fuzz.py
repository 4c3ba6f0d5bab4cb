"""A seeded mutation fuzzer for the file readers: :func:`ufldl_py.matlab.io.loadmat` (MAT 5
-v6 and -v7 compressed, MAT v4, Octave's text format) and the IDX loaders
(:func:`ufldl_py.data.read_idx`, :func:`~ufldl_py.data.loadMNISTImages`,
:func:`~ufldl_py.data.loadMNISTLabels`).

Each case is a valid seed file (made here, from a few small variables) with a few mutations:
bytes flipped or set to boundary values, 32-bit fields set to boundary sizes, cuts,
insertions and repeats; compressed data (MAT 5 -v7 variables, gzipped IDX) is mutated
inside and compressed again, and Octave text is mutated by lines and numbers as well. Case
``i`` of seed ``s`` is the same file on every run, so any finding is reproduced by its
``(seed, case)`` pair (:func:`make_case`).

Cases run in worker processes under a memory limit (``RLIMIT_AS``) and a time limit per case.
A case passes when its reader returns, or raises a one-line ValueError or OSError naming the
file; it fails when the process dies of a signal, runs past the time limit, runs out of memory
(MemoryError or the limit), or raises anything else.

``python3 -m ufldl_py.testing.fuzz --minutes N`` runs a campaign, printing progress and a
summary (and saving failing cases with ``--save DIR``); the test suite runs a fixed number of
cases (tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import io
import json
import os
import random
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Callable

__all__ = ["TARGETS", "make_case", "Finding", "Report", "run", "run_one", "serve", "main"]

#: what is fuzzed: target -> the readers each case goes through
TARGETS = ("mat5", "mat7", "mat4", "text", "idx")
MEMORY_MB = 1024
TIMEOUT_S = 10.0

_INTERESTING_BYTES = (0x00, 0x01, 0x7F, 0x80, 0xFF, 0x0F, 0x10, 0x13, 0x14)
_INTERESTING_WORDS = (0, 1, 2, 3, 8, 14, 15, 16, 0x7F, 0xFF, 0xFFFF, 0x10000, 0x7FFFFFFF,
                      0x80000000, 0xFFFFFFFE, 0xFFFFFFFF, 100000)
_INTERESTING_TOKENS = (b"0", b"-1", b"1e9", b"4294967296", b"100000", b"1_000", b"NaN", b"Inf",
                       b"-Inf", b"NA", b"1e309", b"0x10", b"", b"2147483648", b"1.5", b"x",
                       b"(1,2)", b"<cell-element>", b"a b", b"9" * 30)


# --------------------------------------------------------------------------- seed files


def _seed_variables() -> list[dict]:
    import numpy as np
    import scipy.sparse

    from ..matlab.io import Cell, StructArray
    return [
        {"x": np.arange(6.0).reshape(2, 3), "i": np.array([[1, -2]], np.int16)},
        {"s": "hello", "c": Cell([1.0, "ab", Cell([np.ones((2, 1))], (1, 1))], (3, 1))},
        {"st": {"a": 1.0, "b": [2.0, "q"]}, "sa": StructArray([{"p": 1.0}, {"p": "x"}])},
        {"sp": scipy.sparse.csc_matrix(np.array([[0.0, 1.5], [2.0, 0.0]])),
         "z": np.array([[1 + 2j, 3 - 1j]]), "m": np.array([[True, False]])},
        {"e": np.zeros((0, 3)), "n": np.arange(24.0).reshape(2, 3, 4), "f": np.float32(2.5)},
    ]


_TEXT_SEEDS = (
    "# Created by Octave 7.3.0\n# name: x\n# type: matrix\n# rows: 2\n# columns: 3\n"
    " 1 2 3\n 4 5 6\n\n\n# name: s\n# type: string\n# elements: 1\n# length: 6\nh\xe9llo\n\n\n",
    "# name: c\n# type: cell\n# rows: 1\n# columns: 2\n# name: <cell-element>\n# type: scalar\n"
    "1\n\n# name: <cell-element>\n# type: sq_string\n# elements: 1\n# length: 2\nab\n\n\n\n",
    "# name: st\n# type: scalar struct\n# ndims: 2\n 1 1\n# length: 2\n# name: a\n"
    "# type: scalar\n1\n\n# name: b\n# type: range\n# base, limit, increment\n1 4 1\n\n\n",
    "# name: sa\n# type: struct\n# ndims: 2\n 1 2\n# length: 1\n# name: p\n# type: cell\n"
    "# rows: 1\n# columns: 2\n# name: <cell-element>\n# type: scalar\n1\n\n"
    "# name: <cell-element>\n# type: scalar\n2\n\n\n\n",
    "# name: sp\n# type: sparse matrix\n# nnz: 2\n# rows: 2\n# columns: 2\n1 1 1.5\n2 2 -2\n\n\n"
    "# name: i\n# type: int32 matrix\n# ndims: 3\n 1 2 2\n 1\n -2\n 3\n 4\n\n\n"
    "# name: z\n# type: complex matrix\n# rows: 1\n# columns: 2\n (1,2) (3,-1)\n\n\n",
)


def _idx(magic: int, dims: tuple[int, ...], rng: random.Random) -> bytes:
    n = 1
    for d in dims:
        n *= d
    head = magic.to_bytes(4, "big")[:3] + bytes([len(dims)])
    return head + b"".join(d.to_bytes(4, "big") for d in dims) + \
        bytes(rng.randrange(256) for _ in range(n))


def _seed_file(target: str, rng: random.Random) -> tuple[bytes, str]:
    """A valid file of ``target`` and the reader to use ('mat', 'images', 'labels',
    'idx2051', 'idx2049')."""
    import scipy.io
    if target == "text":
        return rng.choice(_TEXT_SEEDS).encode("utf-8"), "mat"
    if target == "idx":
        reader = rng.choice(("images", "labels", "idx2051", "idx2049"))
        if reader in ("images", "idx2051"):
            data = _idx(2051, (rng.randrange(1, 4), rng.randrange(1, 5), rng.randrange(1, 5)),
                        rng)
        else:
            data = _idx(2049, (rng.randrange(1, 9),), rng)
        return data, reader
    variables = rng.choice(_seed_variables())
    buf = io.BytesIO()
    if target == "mat4":
        import numpy as np
        plain = {k: v for k, v in variables.items()
                 if isinstance(v, (np.ndarray, str)) and getattr(v, "ndim", 2) == 2}
        scipy.io.savemat(buf, plain or {"x": np.eye(2)}, format="4")
    elif target == "mat5":
        from ..matlab.io import to_matlab
        from ..matlab.io.values import EmptyStruct
        plain = {k: to_matlab(v) for k, v in variables.items()}
        scipy.io.savemat(buf, {k: v for k, v in plain.items()
                               if not isinstance(v, EmptyStruct)}, do_compression=False)
    else:
        from ..matlab.io import savemat
        with tempfile.TemporaryDirectory() as d:
            savemat(Path(d) / "s.mat", variables)
            return (Path(d) / "s.mat").read_bytes(), "mat"
    return buf.getvalue(), "mat"


# --------------------------------------------------------------------------- mutations


def _mutate_bytes(data: bytearray, rng: random.Random, protect: int = 0) -> None:
    """One random mutation of ``data`` in place (positions before ``protect`` kept)."""
    if len(data) <= protect:
        data.extend(bytes(rng.randrange(1, 9)))
        return
    pos = rng.randrange(protect, len(data))
    op = rng.randrange(8)
    if op == 0:
        data[pos] ^= 1 << rng.randrange(8)
    elif op == 1:
        data[pos] = rng.choice(_INTERESTING_BYTES)
    elif op in (2, 3):  # a 32-bit field, aligned as the formats' fields are
        pos -= (pos - protect) % 4
        word = rng.choice(_INTERESTING_WORDS)
        order = rng.choice(("little", "big"))
        data[pos:pos + 4] = word.to_bytes(4, order)
    elif op == 4:
        del data[rng.randrange(protect, len(data)) if rng.random() < 0.7 else pos:]
    elif op == 5:
        data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))
    elif op == 6:
        del data[pos:pos + rng.randrange(1, 17)]
    else:
        chunk = data[pos:pos + rng.randrange(1, 33)]
        data[pos:pos] = chunk * rng.randrange(1, 4)


def _mutate_text(data: bytearray, rng: random.Random) -> bytearray:
    lines = bytes(data).split(b"\n")
    k = rng.randrange(len(lines))
    op = rng.randrange(5)
    if op == 0:  # a number or header value replaced
        words = lines[k].split(b" ")
        j = rng.randrange(len(words))
        words[j] = rng.choice(_INTERESTING_TOKENS)
        lines[k] = b" ".join(words)
    elif op == 1:
        del lines[k]
    elif op == 2:
        lines.insert(k, lines[rng.randrange(len(lines))])
    elif op == 3:
        lines[k] = lines[k].replace(b"matrix", rng.choice(
            (b"cell", b"struct", b"range", b"bool matrix", b"int8 matrix", b"sparse matrix",
             b"string", b"scalar")))
    else:
        out = bytearray(b"\n".join(lines))
        _mutate_bytes(out, rng)
        return out
    return bytearray(b"\n".join(lines))


def _mutate(target: str, data: bytes, rng: random.Random) -> bytes:
    count = 1 + int(rng.expovariate(0.7))
    if target == "mat7" and len(data) > 136 and rng.random() < 0.8:
        # mutate inside the first variable's compressed data, then compress it again
        n = int.from_bytes(data[132:136], "little")
        try:
            inner = bytearray(zlib.decompress(data[136:136 + n]))
        except zlib.error:
            inner = None
        if inner is not None:
            for _ in range(count):
                _mutate_bytes(inner, rng)
            packed = zlib.compress(bytes(inner))
            return (data[:128] + (15).to_bytes(4, "little") + len(packed).to_bytes(4, "little")
                    + packed + data[136 + n:])
    if target == "idx" and rng.random() < 0.5:
        inner = bytearray(data)
        for _ in range(count):
            _mutate_bytes(inner, rng)
        packed = bytearray(gzip.compress(bytes(inner), mtime=0))
        if rng.random() < 0.3:  # the trailer's size field, or the compressed bytes
            _mutate_bytes(packed, rng, protect=10)
        return bytes(packed)
    out = bytearray(data)
    for _ in range(count):
        if target == "text" and rng.random() < 0.7:
            out = _mutate_text(out, rng)
        else:
            _mutate_bytes(out, rng, protect=128 if target in ("mat5", "mat7")
                          and rng.random() < 0.8 else 0)
    return bytes(out)


def make_case(seed: int, case: int, targets: tuple[str, ...] = TARGETS
              ) -> tuple[str, str, bytes]:
    """Case ``case`` of the campaign ``seed``: its target, its reader and its file's bytes.

    Parameters
    ----------
    seed : int
        The campaign's seed.
    case : int
        The case number (from 0).
    targets : tuple of str
        The targets fuzzed (a subset of :data:`TARGETS`), taken in turn.

    Returns
    -------
    target : str
    reader : str
        'mat' (loadmat), 'images', 'labels' (loadMNISTImages / loadMNISTLabels), 'idx2051'
        or 'idx2049' (read_idx with that magic number).
    data : bytes
    """
    target = targets[case % len(targets)]
    rng = random.Random(f"{seed}:{case}:{target}")
    data, reader = _seed_file(target, rng)
    return target, reader, _mutate(target, data, rng)


# --------------------------------------------------------------------------- the worker


def _reader(name: str) -> Callable:
    if ":" in name:  # any importable function of one path, "module:function"
        import importlib
        module, _, function = name.partition(":")
        return getattr(importlib.import_module(module), function)
    if name == "mat":
        from ..matlab.io import loadmat
        return loadmat
    from .. import data
    if name == "images":
        return data.loadMNISTImages
    if name == "labels":
        return data.loadMNISTLabels
    magic = int(name[3:])
    return lambda path: data.read_idx(path, magic)


def serve(memory_mb: int) -> None:
    """The worker process: under an address-space limit of ``memory_mb`` MiB, read
    ``reader path`` lines on stdin and, for each, print a 'start' line, then the outcome as
    a JSON pair [outcome, message].

    Parameters
    ----------
    memory_mb : int
        The address-space limit, in MiB.
    """
    import resource
    limit = memory_mb * 2 ** 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash ends at once, no core dump
    _reader("mat")
    _reader("images")  # imports done before the first case
    for line in sys.stdin:
        reader, path = line.rstrip("\n").split(" ", 1)
        print("start", flush=True)
        try:
            _reader(reader)(path)
            outcome, message = "ok", ""
        except MemoryError:
            outcome, message = "memory", "MemoryError"
        except (ValueError, OSError) as exc:
            message = str(exc)
            good = "\n" not in message and path in message
            outcome = "refused" if good else "bad-message"
        except BaseException as exc:  # anything else is a finding
            outcome, message = "exception", f"{type(exc).__name__}: {exc}"
        print(json.dumps([outcome, message[:300]]), flush=True)


# --------------------------------------------------------------------------- the runner


@dataclasses.dataclass
class Finding:
    """A failing case: reproduce it with ``make_case(seed, case)``.

    Parameters
    ----------
    seed, case : int
        The campaign's seed and the case's number.
    target : str
        The format fuzzed.
    reader : str
        The loader that read it.
    outcome : str
        What went wrong (crash, timeout, memory, exception, bad-message).
    message : str
        The error's message.
    data : bytes
        The file's bytes.
    """

    seed: int
    case: int
    target: str
    reader: str
    outcome: str
    message: str
    data: bytes = dataclasses.field(repr=False)


@dataclasses.dataclass
class Report:
    """What a run did: cases per target and outcome, and the findings.

    Parameters
    ----------
    seed : int
        The campaign's seed.
    cases : int
        How many cases ran.
    seconds : float
        How long they took.
    counts : dict
        Cases per target and outcome.
    findings : list of Finding
        The failing cases.
    """

    seed: int
    cases: int = 0
    seconds: float = 0.0
    counts: dict = dataclasses.field(default_factory=dict)
    findings: list = dataclasses.field(default_factory=list)

    FAILURES = ("crash", "timeout", "memory", "exception", "bad-message")

    def summary(self) -> str:
        lines = [f"fuzz: seed {self.seed}, {self.cases} cases in {self.seconds:.0f} s, "
                 f"{len(self.findings)} failures"]
        for target in sorted(self.counts):
            parts = ", ".join(f"{k} {v}" for k, v in sorted(self.counts[target].items()))
            lines.append(f"  {target}: {parts}")
        for f in self.findings[:50]:
            lines.append(f"  FAIL {f.target}/{f.reader} case {f.case}: {f.outcome}: "
                         f"{f.message[:160]}")
        return "\n".join(lines)


class _Worker:
    def __init__(self, memory_mb: int):
        env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                   MKL_NUM_THREADS="1")
        code = f"from ufldl_py.testing.fuzz import serve; serve({memory_mb})"
        self.proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True, bufsize=1, env=env)
        self.fd = self.proc.stdout.fileno()
        self.pending = b""
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.fd, selectors.EVENT_READ)

    def line(self, timeout: float) -> str | None:
        """The next line; '' when the worker died, None when ``timeout`` passed (read from
        the pipe itself, unbuffered, so that select sees every line)."""
        end = time.monotonic() + timeout
        while b"\n" not in self.pending:
            left = end - time.monotonic()
            if left <= 0 or not self.sel.select(left):
                return None
            chunk = os.read(self.fd, 65536)
            if not chunk:
                return ""
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line.decode()

    def run(self, reader: str, path: str, timeout: float) -> tuple[str, str]:
        try:
            self.proc.stdin.write(f"{reader} {path}\n")
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            return "crash", "the worker had died"
        start = self.line(60.0)  # the worker's imports, on its first case
        if not start:
            return self.death()
        done = self.line(timeout)
        if done is None:
            self.close()
            return "timeout", f"no result within {timeout:g} s"
        if not done:
            return self.death()
        outcome, message = json.loads(done)
        return outcome, message

    def death(self) -> tuple[str, str]:
        self.proc.kill()  # when it is only its stdout that closed
        rc = self.proc.wait()
        if rc < 0:
            return "crash", f"killed by signal {signal.Signals(-rc).name}"
        return "crash", f"the worker exited with status {rc}"

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stdin.close()
        self.proc.stdout.close()
        self.sel.close()


def run_one(reader: str, data: bytes, memory_mb: int = MEMORY_MB,
            timeout_s: float = TIMEOUT_S) -> tuple[str, str]:
    """Run one file through one reader in a worker, as a campaign does: to reproduce a
    finding (``run_one(reader, make_case(seed, case)[2])``) or to try a reader.

    Parameters
    ----------
    reader : str
        'mat', 'images', 'labels', 'idx2051', 'idx2049', or any 'module:function' of one path.
    data : bytes
        The file's contents.
    memory_mb, timeout_s
        As :func:`run`.

    Returns
    -------
    outcome : str
        'ok', 'refused', or a failure: 'crash', 'timeout', 'memory', 'exception',
        'bad-message'.
    message : str
    """
    with tempfile.TemporaryDirectory(prefix="ufldl_py_fuzz_") as folder:
        path = os.path.join(folder, "case.bin")
        with open(path, "wb") as f:
            f.write(data)
        worker = _Worker(memory_mb)
        try:
            return worker.run(reader, path, timeout_s)
        finally:
            worker.close()


def run(seed: int = 0, cases: int | None = None, minutes: float | None = None,
        targets: tuple[str, ...] = TARGETS, memory_mb: int = MEMORY_MB,
        timeout_s: float = TIMEOUT_S, progress: Callable[[Report], None] | None = None,
        first_case: int = 0) -> Report:
    """Run cases ``first_case, first_case + 1, ...`` until ``cases`` are done or ``minutes``
    have passed.

    Parameters
    ----------
    seed : int
        The campaign's seed (see :func:`make_case`).
    cases : int, optional
        How many cases.
    minutes : float, optional
        How long (at least one of ``cases`` and ``minutes`` is given).
    targets : tuple of str
        A subset of :data:`TARGETS`.
    memory_mb : int
        The worker's address-space limit (RLIMIT_AS), in MiB.
    timeout_s : float
        The time limit of one case.
    progress : callable, optional
        Called with the report after every 500 cases.
    first_case : int
        The first case's number.

    Returns
    -------
    report : Report
    """
    if cases is None and minutes is None:
        raise ValueError("fuzz.run: give cases or minutes")
    bad = [t for t in targets if t not in TARGETS]
    if bad or not targets:
        raise ValueError(f"fuzz.run: unknown targets {bad} (known: {', '.join(TARGETS)})")
    report = Report(seed)
    start = time.monotonic()
    deadline = start + 60 * minutes if minutes is not None else None
    worker = None
    with tempfile.TemporaryDirectory(prefix="ufldl_py_fuzz_") as folder:
        case = first_case
        try:
            while (cases is None or report.cases < cases) and \
                    (deadline is None or time.monotonic() < deadline):
                target, reader, data = make_case(seed, case, targets)
                path = os.path.join(folder, f"case{case:07d}.{target}")
                with open(path, "wb") as f:
                    f.write(data)
                if worker is None:
                    worker = _Worker(memory_mb)
                outcome, message = worker.run(reader, path, timeout_s)
                if outcome in ("crash", "timeout", "memory"):
                    worker.close()
                    worker = None
                os.unlink(path)
                counts = report.counts.setdefault(target, {})
                counts[outcome] = counts.get(outcome, 0) + 1
                if outcome in Report.FAILURES:
                    report.findings.append(Finding(seed, case, target, reader, outcome, message,
                                                   data))
                report.cases += 1
                report.seconds = time.monotonic() - start
                if progress and report.cases % 500 == 0:
                    progress(report)
                case += 1
        finally:
            if worker is not None:
                worker.close()
    report.seconds = time.monotonic() - start
    return report


def main(argv: list[str] | None = None) -> int:
    """``python3 -m ufldl_py.testing.fuzz``: a campaign; exit status 1 when a case failed.

    Parameters
    ----------
    argv : list of str, optional
        The options (default: sys.argv[1:]).

    Returns
    -------
    int
        The exit status: 1 when a case failed, else 0.
    """
    p = argparse.ArgumentParser(prog="python3 -m ufldl_py.testing.fuzz",
                                description="Fuzz loadmat and the IDX loaders.")
    p.add_argument("--minutes", type=float, default=None, help="how long to run")
    p.add_argument("--cases", type=int, default=None, help="how many cases to run")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--targets", default=",".join(TARGETS),
                   help=f"comma-separated, of {', '.join(TARGETS)}")
    p.add_argument("--memory-mb", type=int, default=MEMORY_MB)
    p.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per case")
    p.add_argument("--save", type=Path, default=None, help="a folder for the failing cases")
    args = p.parse_args(argv)
    if args.minutes is None and args.cases is None:
        p.error("give --minutes or --cases")
    targets = tuple(t for t in args.targets.split(",") if t)
    if not targets or any(t not in TARGETS for t in targets):
        p.error(f"--targets: choose from {', '.join(TARGETS)}")

    def progress(r: Report) -> None:
        print(f"  {r.cases} cases, {len(r.findings)} failures, {r.seconds:.0f} s", flush=True)

    report = run(args.seed, args.cases, args.minutes, targets, args.memory_mb, args.timeout,
                 progress)
    print(report.summary())
    if args.save and report.findings:
        from ..atomic import atomic_write
        args.save.mkdir(parents=True, exist_ok=True)
        for f in report.findings:
            with atomic_write(args.save / f"seed{f.seed}_case{f.case}.{f.target}") as out:
                out.write(f.data)
        print(f"failing cases saved in {args.save}")
    return 1 if report.findings else 0


if __name__ == "__main__":
    sys.exit(main())
