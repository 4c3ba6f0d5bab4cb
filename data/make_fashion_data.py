"""Build the labelled images that cnn_exercise uses in place of the tutorial's STL-10 subsets:
a small balanced subset of Fashion-MNIST (Zalando's photographs of clothes and shoes, 28 x 28
grey; MIT/Expat licence), four classes.

    apt-get install -y dataset-fashion-mnist     # Debian's package; only for this script
    python data/make_fashion_data.py [DIR]

DIR (default /usr/share/datasets/fashion-mnist, where the Debian package puts them) holds
Fashion-MNIST's four IDX files; their SHA-256 sums are checked against those of Debian's
dataset-fashion-mnist 0.0~git20200523.55506a9-1, so that the output is the same on every run.

Writes (atomically), in ``data/fashion-mnist-subset/``, Fashion-MNIST's own file names and
format:

- ``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``: the first 400 images of
  each class in Fashion-MNIST's training file, in that file's order (1,600 images);
- ``t10k-images-idx3-ubyte.gz``, ``t10k-labels-idx1-ubyte.gz``: the first 200 of each class
  in its test file (800 images).

The labels stay Fashion-MNIST's (2 pullover, 4 coat, 5 sandal, 7 sneaker);
:func:`ufldl_py.data.load_stl_subset` numbers the classes 1..4 in that order. They play the
parts of STL-10's airplane, car, cat and dog: two pairs of similar classes (pullover and coat,
sandal and sneaker), so that, as with cats and dogs, telling the two of a pair apart is the
hard part of the task. gzip with mtime 0: the bytes are the same on every run.
"""

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository's ufldl_py

from make_data import write_gz  # noqa: E402 (data/, the script's folder)
from ufldl_py.data import IMAGES_MAGIC, LABELS_MAGIC, read_idx  # noqa: E402

OUT = HERE / "fashion-mnist-subset"
SOURCE = Path("/usr/share/datasets/fashion-mnist")
# SHA-256 of the files of Debian's dataset-fashion-mnist 0.0~git20200523.55506a9-1
SOURCE_SHA256 = {
    "train-images-idx3-ubyte.gz":
        "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7",
    "train-labels-idx1-ubyte.gz":
        "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056",
    "t10k-images-idx3-ubyte.gz":
        "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa",
    "t10k-labels-idx1-ubyte.gz":
        "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05",
}
CLASSES = (2, 4, 5, 7)  # Fashion-MNIST's pullover, coat, sandal, sneaker
PER_CLASS = {"train": 400, "t10k": 200}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", default=str(SOURCE),
                        help=f"the folder of Fashion-MNIST's IDX files (default {SOURCE})")
    args = parser.parse_args(argv)
    source = Path(args.source)
    for name, expected in SOURCE_SHA256.items():
        path = source / name
        if not path.is_file():
            raise SystemExit(f"{path} is missing (apt-get install dataset-fashion-mnist)")
        found = hashlib.sha256(path.read_bytes()).hexdigest()
        if found != expected:
            raise SystemExit(f"{path}: SHA-256 {found}, not Debian's {expected}")
    OUT.mkdir(exist_ok=True)
    for prefix, per_class in PER_CLASS.items():
        images = read_idx(source / f"{prefix}-images-idx3-ubyte.gz", IMAGES_MAGIC)
        labels = read_idx(source / f"{prefix}-labels-idx1-ubyte.gz", LABELS_MAGIC)
        keep = np.sort(np.concatenate([np.flatnonzero(labels == c)[:per_class]
                                       for c in CLASSES]))
        n, rows, cols = images[keep].shape
        write_gz(OUT / f"{prefix}-images-idx3-ubyte.gz",
                 np.array([IMAGES_MAGIC, n, rows, cols], ">i4").tobytes()
                 + images[keep].tobytes())
        write_gz(OUT / f"{prefix}-labels-idx1-ubyte.gz",
                 np.array([LABELS_MAGIC, n], ">i4").tobytes() + labels[keep].tobytes())
        print(f"{prefix}: {n} images, {per_class} of each of the classes {CLASSES}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
