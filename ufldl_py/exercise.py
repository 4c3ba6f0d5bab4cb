"""What every exercise script shares: its argument parser, the checks of its options, its
seeding, and the data the DeepLearnToolbox examples load.

An exercise refuses what the MATLAB script could not run (a minibatch of 0, more images
than there are, a negative count, a negative seed) before any work starts, in one line
``PROG: error: ...`` on stderr and exit status 2 (argparse's usage block is left to
``--help``).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from .matlab import random as mrandom

__all__ = ["Parser", "parser", "positive_int", "nonnegative_int", "positive_float",
           "nonnegative_float", "fraction", "at_most", "multiple_of", "add_seed_arguments",
           "seed_from_args", "mnist_double"]


class Parser(argparse.ArgumentParser):
    """argparse whose usage error is one line, ``PROG: error: MESSAGE``, and exit status 2."""

    def error(self, message: str):
        """Print ``PROG: error: message`` on stderr and exit with status 2.

        Parameters
        ----------
        message : str
            What is wrong with the command line.

        Raises
        ------
        SystemExit
            Always, with code 2.
        """
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        sys.exit(2)

    def parse_args(self, args=None, namespace=None):
        """argparse's parse_args, then ``--show``: the figures open in windows as well
        (:func:`ufldl_py.plot.show`).

        Parameters
        ----------
        args : list of str, optional
            The command line (default: ``sys.argv[1:]``).
        namespace : argparse.Namespace, optional
            Where to store the options.

        Returns
        -------
        argparse.Namespace

        Raises
        ------
        SystemExit
            With code 2 on a usage error, or ``--show`` without a display.
        """
        parsed = super().parse_args(args, namespace)
        if getattr(parsed, "show", False):
            from . import plot

            try:
                plot.show(True)
            except OSError as exc:
                self.error(str(exc))
        return parsed


def parser(prog: str, doc: str) -> Parser:
    """The parser of exercise ``prog``, described by the first line of its docstring.

    Parameters
    ----------
    prog : str
        The exercise's name, as its usage errors begin.
    doc : str
        The exercise's docstring.

    Returns
    -------
    Parser
        With ``--show`` (the figures open in windows as well as being saved, as MATLAB's
        figure windows; in a notebook they appear inline anyway).
    """
    p = Parser(prog=prog, description=doc.strip().splitlines()[0])
    p.add_argument("--show", action="store_true",
                   help="open the figures in windows too, as MATLAB does (needs a display; "
                        "they are saved in the figures directory either way)")
    return p


def _number(kind, text: str, ok, what: str):
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
    if not ok(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
    return value


def positive_int(text: str) -> int:
    """argparse type: a whole number >= 1.

    Parameters
    ----------
    text : str
        The option's value as typed.

    Returns
    -------
    int
        The value.

    Raises
    ------
    argparse.ArgumentTypeError
        When the text is not a whole number >= 1.
    """
    return _number(int, text, lambda v: v >= 1, "a positive whole number")


def nonnegative_int(text: str) -> int:
    """argparse type: a whole number >= 0 (a seed).

    Parameters
    ----------
    text : str
        The option's value as typed.

    Returns
    -------
    int
        The value.

    Raises
    ------
    argparse.ArgumentTypeError
        When the text is not a whole number >= 0.
    """
    return _number(int, text, lambda v: v >= 0, "a whole number >= 0")


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0.

    Parameters
    ----------
    text : str
        The option's value as typed.

    Returns
    -------
    float
        The value.

    Raises
    ------
    argparse.ArgumentTypeError
        When the text is not a finite number > 0.
    """
    return _number(float, text, lambda v: 0 < v < float("inf"), "a positive number")


def nonnegative_float(text: str) -> float:
    """argparse type: a finite number >= 0.

    Parameters
    ----------
    text : str
        The option's value as typed.

    Returns
    -------
    float
        The value.

    Raises
    ------
    argparse.ArgumentTypeError
        When the text is not a finite number >= 0.
    """
    return _number(float, text, lambda v: 0 <= v < float("inf"), "a number >= 0")


def fraction(text: str) -> float:
    """argparse type: a number in (0, 1].

    Parameters
    ----------
    text : str
        The option's value as typed.

    Returns
    -------
    float
        The value.

    Raises
    ------
    argparse.ArgumentTypeError
        When the text is not a number in (0, 1].
    """
    return _number(float, text, lambda v: 0 < v <= 1, "a fraction in (0, 1]")


def at_most(p: argparse.ArgumentParser, option: str, value: int | None, limit: int,
            what: str, consequence: str = "") -> None:
    """Refuse ``option value`` when it exceeds ``limit``, ``what`` it is compared with (e.g. a
    minibatch larger than the training set, with the consequence: no step would run).

    Parameters
    ----------
    p : argparse.ArgumentParser
        The exercise's parser (its ``error`` reports the refusal).
    option : str
        The option's name, as typed.
    value : int or None
        Its value (None: not given, nothing to check).
    limit : int
        The largest value allowed.
    what : str
        What the limit is.
    consequence : str
        What would go wrong, added to the message.

    Raises
    ------
    SystemExit
        Through ``p.error`` (exit status 2), when value exceeds limit.
    """
    if value is not None and value > limit:
        p.error(f"{option} {value} is larger than {what}, {limit}"
                + (f": {consequence}" if consequence else ""))


def multiple_of(p: argparse.ArgumentParser, option: str, value: int | None, step: int,
                what: str) -> None:
    """Refuse ``option value`` when it is not a multiple of ``step``, ``what`` that is (e.g.
    the batch size, with the original's assert).

    Parameters
    ----------
    p : argparse.ArgumentParser
        The exercise's parser (its ``error`` reports the refusal).
    option : str
        The option's name, as typed.
    value : int or None
        Its value (None: not given, nothing to check).
    step : int
        What value must be a multiple of.
    what : str
        What step is.

    Raises
    ------
    SystemExit
        Through ``p.error`` (exit status 2), when value is not a multiple of step.
    """
    if value is not None and value % step:
        p.error(f"{option} {value} is not a multiple of {step}, {what}")


def add_seed_arguments(p: argparse.ArgumentParser, seeded_by_script: bool = False) -> None:
    """``--seed S`` (``rng(S)``, i.e. rand('state', S) and randn('state', S), before the
    script runs) and ``--dialect {octave,matlab}`` (whose random streams to reproduce).

    Parameters
    ----------
    p : argparse.ArgumentParser
        The exercise's parser.
    seeded_by_script : bool
        Whether the MATLAB script seeds itself (else ``--seed``'s help says it does not).
    """
    p.add_argument("--seed", type=nonnegative_float, default=None,
                   help="rand('state', S); randn('state', S) first" + (
                       "" if seeded_by_script else " (the MATLAB script does not seed)"))
    p.add_argument("--dialect", choices=mrandom.DIALECTS, default=None,
                   help="whose random streams to reproduce: octave (default) or matlab "
                        f"(MATLAB's rng twister); also set by ${mrandom.DIALECT_ENV}")


def seed_from_args(args: argparse.Namespace) -> None:
    """An exercise's seeding: switch to ``args.dialect`` (when given), then ``rng(args.seed)``
    (when given).

    Parameters
    ----------
    args : argparse.Namespace
        The parsed options (``seed`` and ``dialect``, either may be absent or None).
    """
    if getattr(args, "dialect", None) is not None:
        mrandom.dialect(args.dialect)
    if getattr(args, "seed", None) is not None:
        mrandom.rng(args.seed)


def mnist_double(max_images: int | None = None) -> tuple:
    """DeepLearnToolbox's test_example_*.m ``load mnist_uint8`` and its conversion to double:
    the pixels / 255, the one-hot labels as doubles; prints which MNIST it is.

    Parameters
    ----------
    max_images : int, optional
        Keep the first ``max_images`` training digits only.

    Returns
    -------
    train_x, train_y, test_x, test_y : ndarray
        (m x 784) pixels in [0, 1] and (m x 10) one-hot labels, float64.
    full : bool
        Whether this is the full MNIST, all of it (the originals' error bounds hold there).
    """
    from . import data

    mnist = data.load_mnist_uint8()
    train_x, train_y = mnist["train_x"], mnist["train_y"]
    if max_images is not None:
        train_x, train_y = train_x[:max_images], train_y[:max_images]
    full = data.mnist_is_full() and max_images is None
    print(f"MNIST: {'full' if data.mnist_is_full() else 'the sample shipped in data/'}, "
          f"{train_x.shape[0]} training and {mnist['test_x'].shape[0]} test digits")
    return (train_x.astype(np.float64) / 255, train_y.astype(np.float64),
            mnist["test_x"].astype(np.float64) / 255, mnist["test_y"].astype(np.float64), full)
