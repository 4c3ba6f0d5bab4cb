"""What every exercise script shares: its argument parser, the checks of its options, its
seeding.

An exercise refuses what the MATLAB script could not run (a minibatch of 0, more images
than there are, a negative count) with argparse's usage error, exit status 2, before any
work starts.
"""

from __future__ import annotations

import argparse

from .matlab import random as mrandom

__all__ = ["parser", "positive_int", "positive_float", "nonnegative_float", "fraction", "at_most",
           "add_seed_arguments", "seed_from_args"]


def parser(prog: str, doc: str) -> argparse.ArgumentParser:
    """The parser of exercise ``prog``, described by the first line of its docstring."""
    return argparse.ArgumentParser(prog=prog, description=doc.strip().splitlines()[0])


def _number(kind, text: str, ok, what: str):
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if not ok(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1."""
    return _number(int, text, lambda v: v >= 1, "a positive whole number")


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    return _number(float, text, lambda v: 0 < v < float("inf"), "a positive number")


def nonnegative_float(text: str) -> float:
    """argparse type: a finite number >= 0."""
    return _number(float, text, lambda v: 0 <= v < float("inf"), "a number >= 0")


def fraction(text: str) -> float:
    """argparse type: a number in (0, 1]."""
    return _number(float, text, lambda v: 0 < v <= 1, "a fraction in (0, 1]")


def at_most(p: argparse.ArgumentParser, option: str, value: int | None, limit: int,
            what: str, consequence: str = "") -> None:
    """Refuse ``option value`` when it exceeds ``limit``, ``what`` it is compared with (e.g. a
    minibatch larger than the training set, with the consequence: no step would run)."""
    if value is not None and value > limit:
        p.error(f"{option} {value} is larger than {what}, {limit}"
                + (f": {consequence}" if consequence else ""))


def multiple_of(p: argparse.ArgumentParser, option: str, value: int | None, step: int,
                what: str) -> None:
    """Refuse ``option value`` when it is not a multiple of ``step``, ``what`` that is (e.g.
    the batch size, with the original's assert)."""
    if value is not None and value % step:
        p.error(f"{option} {value} is not a multiple of {step}, {what}")


def add_seed_arguments(p: argparse.ArgumentParser, seeded_by_script: bool = False) -> None:
    """``--seed S`` (``rng(S)``, i.e. rand('state', S) and randn('state', S), before the
    script runs) and ``--dialect {octave,matlab}`` (whose random streams to reproduce)."""
    p.add_argument("--seed", type=float, default=None,
                   help="rand('state', S); randn('state', S) first" + (
                       "" if seeded_by_script else " (the MATLAB script does not seed)"))
    p.add_argument("--dialect", choices=mrandom.DIALECTS, default=None,
                   help="whose random streams to reproduce: octave (default) or matlab "
                        f"(MATLAB's rng twister); also set by ${mrandom.DIALECT_ENV}")


def seed_from_args(args: argparse.Namespace) -> None:
    """An exercise's seeding: switch to ``args.dialect`` (when given), then ``rng(args.seed)``
    (when given)."""
    if getattr(args, "dialect", None) is not None:
        mrandom.dialect(args.dialect)
    if getattr(args, "seed", None) is not None:
        mrandom.rng(args.seed)
