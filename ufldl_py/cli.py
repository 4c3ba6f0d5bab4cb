"""``ufldl-py``: run the exercises, cross-check ports against Octave, fetch data.

    ufldl-py --version                 the version of ufldl_py
    ufldl-py run NAME [ARGS...]        run exercises/NAME.py (ARGS go to the exercise)
    ufldl-py run --list                list the exercises
    ufldl-py crosscheck NAME [...]     compare a port with its MATLAB original in Octave or
                                       MATLAB (--engine), or with outputs saved in MATLAB
                                       (--inputs IN.mat --expected OUT.mat)
    ufldl-py crosscheck --list         list what can be cross-checked
    ufldl-py exercise list             the exercises a student can complete, and their functions
    ufldl-py exercise start NAME [DIR] write an exercise's templates into DIR (default ./NAME)
    ufldl-py exercise check NAME [DIR] grade the completed functions in DIR
    ufldl-py data fetch mnist          download the full MNIST (checksums verified)
    ufldl-py data info                 where the data is

A mistake is reported in one line on stderr, ``ufldl-py: error: ...`` (``NAME: error: ...``
for an exercise's options): exit status 2 for a usage error (found before any work starts,
a bad UFLDL_PY_* variable included, wherever it is read), 1 for a failure, 130 when
interrupted (Ctrl-C). The exercises are found through ufldl_py.registry; the work of each
command is a library call.
``ufldl-py --traceback ...`` (or UFLDL_PY_TRACEBACK=1) shows the traceback instead.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from . import __version__, config, registry

TRACEBACK_ENV = config.TRACEBACK


class UsageError(Exception):
    """A mistake in the command line or its environment, found before any work: exit 2."""


class _Parser(argparse.ArgumentParser):
    """argparse whose usage errors are UsageError (one line, exit 2)."""

    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def writable_dir(path: Path, what: str) -> None:
    """Refuse, before the work starts, an output folder that cannot be created or written."""
    if path.exists() and not path.is_dir():
        raise UsageError(f"{what} {path} is a file, not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise UsageError(f"{what} {path} cannot be written: {exc.strerror or exc}") from exc


def cmd_run(argv: list[str]) -> int:
    from .plot import figures_dir

    found = registry.exercises()
    if not argv:
        raise UsageError("ufldl-py run needs the name of an exercise (ufldl-py run --list)")
    if argv[0] in ("-h", "--help", "--list"):
        print("usage: ufldl-py run NAME [ARGS...]   (ARGS: see ufldl-py run NAME --help)")
        print("exercises:", ", ".join(found) if found else f"none found in {registry.PACKAGE}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in found:
        raise UsageError(f"no exercise {name!r} in {registry.PACKAGE}; exercises: "
                         f"{', '.join(found) or 'none'}")
    if not {"-h", "--help"} & set(rest):
        writable_dir(figures_dir(), "the figures folder ($UFLDL_PY_FIGURES)")
    result = registry.load(name).main(rest)
    return int(result or 0)


def _fmt(x: float) -> str:
    return "inf" if np.isinf(x) else f"{x:.3g}"


def _print_rows(t: int, rows) -> tuple[bool, int]:
    """Print a trial's rows of the crosscheck table; whether all are within, and how many."""
    if not rows:
        print(f"  {t:<6}no output was compared")
        return False, 0
    for r in rows:
        print(f"  {t:<6}{r.output:<28}{r.shape:<14}{_fmt(r.max_abs):>14}"
              f"{_fmt(r.max_rel):>14}  {'yes' if r.ok else 'NO'}"
              + (f"  ({r.note})" if r.note else ""))
    return all(r.ok for r in rows), len(rows)


def _table_head(check, against: str) -> None:
    print(f"\n{check.name}: {check.python.__module__}.{check.python.__name__} vs {against}; "
          f"tolerance {check.rtol:g} relative" + (f" + {check.atol:g}" if check.atol else ""))
    print(f"  {'trial':<6}{'output':<28}{'size':<14}{'max abs diff':>14}"
          f"{'max rel diff':>14}  within")


def _verdict(all_ok: bool, compared: int) -> int:
    if not compared:
        print("\nnothing was compared: that is no proof of equality")
        return 1
    print("\nall within tolerance" if all_ok else "\nSOME OUTPUTS DIFFER")
    return 0 if all_ok else 1


def _crosscheck_expected(args, crosscheck) -> int:
    """ufldl-py crosscheck NAME --inputs IN.mat --expected OUT.mat: no engine runs."""
    if not args.inputs:
        raise UsageError("--expected OUT.mat needs --inputs IN.mat (the inputs those outputs "
                         "came from; ufldl_capture saves both)")
    if len(args.names) != 1 or args.names == ["all"]:
        raise UsageError("--expected compares one function: name it (e.g. ufldl-py "
                         "crosscheck cnnPool --inputs cnnPool_in.mat --expected "
                         "cnnPool_out.mat)")
    try:
        check = crosscheck.get(args.names[0])
        inputs = crosscheck.load_inputs(args.inputs, [check])
        expected = crosscheck.load_expected(args.expected)
        crosscheck.expected_outputs(check, expected, args.expected)
    except (KeyError, ValueError) as exc:
        raise UsageError(exc.args[0]) from None
    dialect = "matlab" if args.engine == "matlab" else "octave"
    _table_head(check, f"the outputs saved in {args.expected} (no engine; the port's random "
                       f"numbers in the {dialect} dialect)")
    ok, compared = _print_rows(1, crosscheck.run_expected(check, inputs, expected, dialect,
                                                          args.expected))
    return _verdict(ok, compared)


def cmd_crosscheck(argv: list[str]) -> int:
    from . import crosscheck
    from .exercise import nonnegative_int, positive_int
    from .matlab import bridge

    parser = _Parser(
        prog="ufldl-py crosscheck",
        description="Run a ported function and its MATLAB original (in Octave or MATLAB) on "
                    "the same inputs, or compare it with outputs saved in MATLAB, and print, "
                    "per output, the max absolute and relative difference.")
    parser.add_argument("names", nargs="*", help="MATLAB function names, or 'all'")
    parser.add_argument("--list", action="store_true", help="list what can be cross-checked")
    parser.add_argument("--matlab-path", help="a directory with the MATLAB originals "
                        "(a completed stanford_dl_ex copy, a DeepLearnToolbox checkout or a "
                        "completed copy of the original UFLDL exercises)")
    parser.add_argument("--inputs", help="a .mat file holding the inputs, by argument name")
    parser.add_argument("--trials", type=positive_int, default=3,
                        help="random input sets (default 3)")
    parser.add_argument("--seed", type=nonnegative_int, default=0,
                        help="seed of the random inputs (a whole number >= 0)")
    parser.add_argument("--engine", choices=crosscheck.ENGINES, default="auto",
                        help="where the originals run (default auto: MATLAB when matlab is on "
                             "PATH or --matlab-exe is given, else Octave)")
    parser.add_argument("--matlab-exe", metavar="PATH", help="the MATLAB executable")
    parser.add_argument("--expected", metavar="OUT.mat",
                        help="outputs saved in MATLAB (by ufldl_capture) to compare with, "
                             "with --inputs IN.mat: no engine runs")
    parser.add_argument("--write-capture", metavar="DIR",
                        help=f"write {crosscheck.CAPTURE}, the MATLAB function that saves "
                             f"IN.mat and OUT.mat, into DIR")
    args = parser.parse_args(argv)

    if args.write_capture:
        writable_dir(Path(args.write_capture), "--write-capture")
        print(f"wrote {crosscheck.write_capture(args.write_capture)}")
        return 0
    checks = crosscheck.registry()
    if args.list:
        print(f"{'name':<28} {'original':<10} {'MATLAB file':<42} arguments")
        for c in checks.values():
            print(f"{c.name:<28} {c.where:<10} {c.mfile:<42} ({', '.join(c.argnames)})")
        return 0
    if not args.names:
        raise UsageError("name the functions to cross-check, or 'all' "
                         "(ufldl-py crosscheck --list lists them)")
    if args.expected:
        return _crosscheck_expected(args, crosscheck)
    try:
        root = crosscheck.matlab_dir(args.matlab_path)
        wanted, skipped = crosscheck.select(args.names, root)
        inputs = crosscheck.load_inputs(args.inputs, wanted) if args.inputs else None
        engine = crosscheck.engine(args.engine, args.matlab_exe)
    except (KeyError, ValueError, bridge.EngineNotFoundError) as exc:
        raise UsageError(exc.args[0]) from None
    try:
        version = f"{engine.NAME} {engine.version()}"
    except bridge.EngineError as exc:  # MATLAB that does not start, a licence error
        print(f"ufldl-py: error: {exc}", file=sys.stderr)
        return 1

    rng = np.random.default_rng(args.seed)
    all_ok = True
    compared = 0
    for check in wanted:
        origin = f"{engine.NAME} builtin" if check.where == "builtin" else f"{root / check.mfile}"
        _table_head(check, f"{check.matlab or check.name} ({origin}, {version})")
        trials = ([tuple(inputs[a] for a in check.argnames)] if inputs is not None
                  else [None] * args.trials)
        for t, trial in enumerate(trials, 1):
            try:
                rows = crosscheck.run_check(check, trial, rng, root, engine)
            except (ValueError, bridge.EngineError) as exc:
                print(f"  {t:<6}error: {exc}")
                all_ok = False
                continue
            ok, n = _print_rows(t, rows)
            all_ok &= ok
            compared += n
    if skipped:
        print(f"\nskipped {len(skipped)}:")
        for line in skipped:
            print(f"  {line}")
    return _verdict(all_ok, compared)


def cmd_exercise(argv: list[str]) -> int:
    from . import student
    from .exercise import positive_float

    parser = _Parser(prog="ufldl-py exercise",
                     description="Student mode: the exercises' templates and their checker.")
    sub = parser.add_subparsers(dest="action", metavar="{list,start,check}")
    sub.add_parser("list", help="list the exercises and the functions each asks for")
    start = sub.add_parser("start", help="write an exercise's templates into DIR")
    check = sub.add_parser("check", help="grade the functions completed in DIR")
    for p in (start, check):
        p.add_argument("name", help="the exercise (ufldl-py exercise list)")
        p.add_argument("dir", nargs="?", help="its folder (default ./NAME)")
    start.add_argument("--force", action="store_true",
                       help="overwrite existing files (changed ones are moved into a backup "
                            "folder first)")
    check.add_argument("--timeout", type=positive_float, default=60.0,
                       help="seconds each function may run, all its checks together "
                            "(default 60)")
    check.add_argument("--function", action="append", dest="functions", metavar="NAME",
                       help="check only this function (repeatable)")
    check.add_argument("--save-failing", action="store_true",
                       help="write each failing function's failing input into "
                            "DIR/failing_NAME.npz, to load and debug with")
    for p in (start, check):
        p.error = parser.error  # type: ignore[method-assign]
    args = parser.parse_args(argv)
    if args.action is None:
        raise UsageError("ufldl-py exercise needs an action: list, start or check")
    if args.action == "list":
        chapters = student.CHAPTERS.values()
        name_width = max(len(c.name) for c in chapters) + 2
        fn_width = max(len(f.name) for c in chapters for f in c.functions) + 2
        for chapter in chapters:
            print(f"{chapter.name:<{name_width}}{chapter.origin}: {chapter.title}")
            for fn in chapter.functions:
                print(f"    {fn.name:<{fn_width}}{len(fn.gaps)} gap(s)")
            print(f"    drivers: {', '.join(chapter.drivers)}")
        return 0
    try:
        chapter = student.get(args.name)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    folder = (Path(args.dir or args.name).expanduser() if args.action == "start"
              else student.exercise_folder(chapter, args.dir))
    if args.action == "start":
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder} is a file, not a folder")
        try:
            written = student.write_files(chapter, folder, force=args.force, out=sys.stdout)
        except FileExistsError as exc:
            raise UsageError(f"{exc.args[0]} already exist(s); nothing was written "
                             "(--force overwrites)") from None
        except OSError as exc:
            raise UsageError(f"{folder} cannot be written: {exc.strerror or exc}") from exc
        print(f"wrote {len(written)} files into {folder}:")
        for path in written:
            print(f"  {path.name}")
        print(f"fill in the YOUR CODE HERE gaps, then: ufldl-py exercise check {chapter.name}"
              + (f" {folder}" if args.dir else ""))
        return 0
    if not folder.is_dir():
        raise UsageError(f"no folder {folder} (ufldl-py exercise start {chapter.name} "
                         f"{folder} writes the templates)")
    unknown = [n for n in args.functions or [] if n not in {f.name for f in chapter.functions}]
    if unknown:
        raise UsageError(f"{chapter.name} has no function {unknown[0]!r}; its functions are "
                         f"{', '.join(f.name for f in chapter.functions)}")
    print(f"checking {chapter.name} in {folder} (each function in its own process, at most "
          f"{args.timeout:g} s)", flush=True)
    verdicts = student.check_chapter(chapter, folder.resolve(), args.timeout, args.functions,
                                     out=sys.stdout, save_failing=args.save_failing)
    passed = sum(v.passed for v in verdicts)
    print(f"\n{passed} of {len(verdicts)} passed")
    return 0 if passed == len(verdicts) else 1


def cmd_data(argv: list[str]) -> int:
    from . import data

    # the data command's usage checked here, in one line; the work is data.data_cli's
    parser = _Parser(prog="ufldl-py data")
    sub = parser.add_subparsers(dest="cmd", metavar="{fetch,info}")
    fetch = sub.add_parser("fetch", help="download a data set (checksums verified)")
    fetch.add_argument("dataset", choices=["mnist"])
    fetch.add_argument("--source", help="base URL of the four MNIST .gz files")
    fetch.add_argument("--dest", help="directory (default $UFLDL_PY_DATA/mnist)")
    sub.add_parser("info", help="where the data is")
    if parser.parse_args(argv).cmd is None:
        raise UsageError("ufldl-py data needs an action: fetch or info")
    return int(data.data_cli(argv) or 0)


COMMANDS = {"run": cmd_run, "crosscheck": cmd_crosscheck, "exercise": cmd_exercise,
            "data": cmd_data}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    show_traceback = config.traceback()
    if argv and argv[0] == "--traceback":
        show_traceback, argv = True, argv[1:]
    if argv and argv[0] == "--version":
        print(f"ufldl-py {__version__}")
        return 0
    if not argv:
        print(f"ufldl-py: error: a command is needed: {', '.join(COMMANDS)} (ufldl-py --help)",
              file=sys.stderr)
        return 2
    if argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    try:
        if argv[0] not in COMMANDS:
            raise UsageError(f"unknown command {argv[0]!r}; the commands are "
                             f"{', '.join(COMMANDS)} (ufldl-py --help)")
        return COMMANDS[argv[0]](argv[1:])
    except BrokenPipeError:  # output piped into a reader that stopped (e.g. head)
        sys.stdout = open(os.devnull, "w")
        return 0
    except (UsageError, config.ConfigError) as exc:  # a bad UFLDL_PY_* variable is one too
        print(f"ufldl-py: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if show_traceback:
            raise
        print("\nufldl-py: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a failure: one line, the traceback on request
        if show_traceback:
            raise
        message = str(exc) or type(exc).__name__
        print(f"ufldl-py: error: {message} (ufldl-py --traceback ... shows where)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
