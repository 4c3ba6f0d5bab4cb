"""``ufldl-py``: run the exercises, cross-check ports against Octave, fetch data.

    ufldl-py run NAME [ARGS...]        run exercises/NAME.py (ARGS go to the exercise)
    ufldl-py run --list                list the exercises
    ufldl-py crosscheck NAME [...]     compare a port with its MATLAB original in Octave
    ufldl-py crosscheck --list         list what can be cross-checked
    ufldl-py data fetch mnist          download the full MNIST (checksums verified)
    ufldl-py data info                 where the data is
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path

import numpy as np

EXERCISES = Path(__file__).resolve().parent.parent / "exercises"


def exercises() -> dict[str, Path]:
    """The exercise scripts by name (exercises/NAME.py)."""
    if not EXERCISES.is_dir():
        return {}
    return {p.stem: p for p in sorted(EXERCISES.glob("*.py")) if not p.stem.startswith("_")}


def cmd_run(argv: list[str]) -> int:
    found = exercises()
    if not argv or argv[0] in ("-h", "--help", "--list"):
        print("usage: ufldl-py run NAME [ARGS...]   (ARGS: see ufldl-py run NAME --help)")
        print("exercises:", ", ".join(found) if found else f"none found in {EXERCISES}")
        return 0 if argv else 2
    name, rest = argv[0], argv[1:]
    if name not in found:
        print(f"ufldl-py run: no exercise {name!r} in {EXERCISES}; "
              f"exercises: {', '.join(found) or 'none'}", file=sys.stderr)
        return 2
    spec = importlib.util.spec_from_file_location(f"ufldl_py_exercise_{name}", found[name])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.main(rest)
    return int(result or 0)


def _fmt(x: float) -> str:
    return "inf" if np.isinf(x) else f"{x:.3g}"


def cmd_crosscheck(argv: list[str]) -> int:
    from . import crosscheck
    from .matlab import io, octave

    parser = argparse.ArgumentParser(
        prog="ufldl-py crosscheck",
        description="Run a ported function and its MATLAB original in Octave on the same "
                    "inputs and print, per output, the max absolute and relative difference.")
    parser.add_argument("names", nargs="*", help="MATLAB function names, or 'all'")
    parser.add_argument("--list", action="store_true", help="list what can be cross-checked")
    parser.add_argument("--matlab-path", help="a directory with the MATLAB originals "
                        "(a completed stanford_dl_ex copy, a DeepLearnToolbox checkout or a "
                        "completed copy of the original UFLDL exercises)")
    parser.add_argument("--inputs", help="a .mat file holding the inputs, by argument name")
    parser.add_argument("--trials", type=int, default=3, help="random input sets (default 3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random inputs")
    args = parser.parse_args(argv)

    checks = crosscheck.registry()
    if args.list or not args.names:
        print(f"{'name':<28} {'original':<10} arguments")
        for c in checks.values():
            print(f"{c.name:<28} {c.where:<10} ({', '.join(c.argnames)})")
        return 0 if args.list else 2
    if args.names == ["all"]:
        wanted = [c for c in checks.values()
                  if c.where == "builtin" or args.matlab_path is not None]
    else:
        try:
            wanted = [crosscheck.get(n) for n in args.names]
        except KeyError as exc:
            print(f"ufldl-py crosscheck: {exc.args[0]}", file=sys.stderr)
            return 2
    needing = [c.name for c in wanted if c.where != "builtin"]
    if needing and args.matlab_path is None:
        print(f"ufldl-py crosscheck: {', '.join(needing)} compare with your copy of the MATLAB "
              f"originals: give --matlab-path DIR ({crosscheck.WHERE[checks[needing[0]].where]})",
              file=sys.stderr)
        return 2
    if not octave.available():
        print("ufldl-py crosscheck: Octave is not installed (no octave-cli on PATH); "
              "Debian/Ubuntu: apt-get install --no-install-recommends octave", file=sys.stderr)
        return 2
    version = octave.version()

    rng = np.random.default_rng(args.seed)
    all_ok = True
    for check in wanted:
        origin = ("Octave builtin" if check.where == "builtin"
                  else f"{args.matlab_path}")
        print(f"\n{check.name}: {check.python.__module__}.{check.python.__name__} "
              f"vs {check.matlab or check.name} ({origin}, Octave {version}); "
              f"tolerance {check.rtol:g} relative" + (f" + {check.atol:g}" if check.atol else ""))
        if args.inputs:
            data = io.loadmat(args.inputs)
            missing = [a for a in check.argnames if a not in data]
            if missing:
                print(f"  {args.inputs} lacks {', '.join(missing)}", file=sys.stderr)
                return 2
            trials = [tuple(data[a] for a in check.argnames)]
        else:
            trials = [None] * args.trials
        print(f"  {'trial':<6}{'output':<28}{'size':<14}{'max abs diff':>14}"
              f"{'max rel diff':>14}  within")
        for t, inputs in enumerate(trials, 1):
            try:
                rows = crosscheck.run_check(check, inputs, rng, args.matlab_path)
            except (ValueError, octave.OctaveError) as exc:
                print(f"  {t:<6}error: {exc}")
                all_ok = False
                continue
            for r in rows:
                all_ok &= r.ok
                print(f"  {t:<6}{r.output:<28}{r.shape:<14}{_fmt(r.max_abs):>14}"
                      f"{_fmt(r.max_rel):>14}  {'yes' if r.ok else 'NO'}"
                      + (f"  ({r.note})" if r.note else ""))
    print("\nall within tolerance" if all_ok else "\nSOME OUTPUTS DIFFER")
    return 0 if all_ok else 1


def cmd_data(argv: list[str]) -> int:
    from . import data

    return int(data.data_cli(argv) or 0)


COMMANDS = {"run": cmd_run, "crosscheck": cmd_crosscheck, "data": cmd_data}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    try:
        return COMMANDS[argv[0]](argv[1:])
    except BrokenPipeError:  # output piped into a reader that stopped (e.g. head)
        sys.stdout = open(os.devnull, "w")
        return 0


if __name__ == "__main__":
    sys.exit(main())
