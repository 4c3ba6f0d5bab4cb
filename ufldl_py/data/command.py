"""``ufldl-py data``: fetch a data set, or say which data the exercises use."""

from __future__ import annotations

import argparse
from pathlib import Path

from .datasets import MNIST_COUNTS, mnist_counts
from .fetch import fetch_mnist
from .locations import SAMPLE, SHIPPED, mnist_dir

__all__ = ["data_cli"]


def data_cli(argv: list[str]) -> int:
    """``ufldl-py data fetch mnist [--source URL] [--dest DIR]`` and ``ufldl-py data info``.

    ``info`` reads every file of the download cache through before it counts its digits, so
    that crafted or damaged files are reported as not used, never counted.

    Parameters
    ----------
    argv : list of str
        The arguments after ``data``.

    Returns
    -------
    status : int
        0 (a failure raises).

    Raises
    ------
    FetchError
        ``fetch`` failed on every mirror.
    SystemExit
        From argparse, on a usage error (status 2).
    """
    parser = argparse.ArgumentParser(prog="ufldl-py data")
    sub = parser.add_subparsers(dest="cmd", required=True)
    fetch = sub.add_parser("fetch", help="download a data set (checksums verified)")
    fetch.add_argument("dataset", choices=["mnist"])
    fetch.add_argument("--source", help="base URL of the four MNIST .gz files")
    fetch.add_argument("--dest", help=f"directory (default {mnist_dir()})")
    sub.add_parser("info", help="where the data is")
    args = parser.parse_args(argv)
    if args.cmd == "fetch":
        where = fetch_mnist(args.dest, args.source)  # a failure: one line from ufldl-py
        print(f"MNIST is in {where}")
        if args.dest and Path(args.dest).resolve() != mnist_dir().resolve():
            print(f"(the exercises use {mnist_dir()}; set UFLDL_PY_DATA to use another place)")
        return 0
    cache = mnist_dir()
    try:
        train, test = mnist_counts(cache)
        problem = None
    except ValueError as exc:
        problem = str(exc)
    if problem is None:
        full = (train, test) == (MNIST_COUNTS["train-images"], MNIST_COUNTS["t10k-images"])
        what = "the full MNIST" if full else "a fetched set, NOT the full MNIST (60000 + 10000)"
        print(f"MNIST in use: {what}, in {cache}")
    else:
        train, test = mnist_counts(SAMPLE)
        print(f"MNIST in use: the sample shipped in {SAMPLE}")
        if cache.exists():
            print(f"  (the cache {cache} is not used: {problem})")
        print("  the full MNIST: ufldl-py data fetch mnist")
    print(f"  train: {train} digits")
    print(f"  t10k: {test} digits")
    print(f"housing: {SHIPPED / 'housing.data'}")
    return 0
