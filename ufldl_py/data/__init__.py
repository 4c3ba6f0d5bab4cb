"""The exercises' data: MNIST as IDX files (plain or gzipped), DeepLearnToolbox's
mnist_uint8 layout, and the housing data of ex1.

Where the data comes from:

- the small real sample shipped in ``data/`` (4,000 training and 1,000 test MNIST digits,
  and UCI's housing.data; see ``data/README.md``), used when nothing else is there;
- the natural images of the original UFLDL exercises (``data/classic/``): ten grey
  512 x 512 photographs, raw (IMAGES_RAW) and whitened (IMAGES) by Olshausen and Field's
  recipe, or the tutorial's own IMAGES.mat / IMAGES_RAW.mat where a user has them;
- the colour images of the linear decoder exercise (``data/classic/color_images.npz``) and
  the labelled images of cnn_exercise (a subset of Fashion-MNIST, ``data/fashion-mnist-subset``),
  or the tutorial's stlSampledPatches.mat and STL-10 subsets where a user has them;
- the full MNIST, once ``ufldl-py data fetch mnist`` has downloaded and verified it into
  ``$UFLDL_PY_DATA/mnist`` (default ``~/.cache/ufldl_py/mnist``).

The package, one module a concern (every name is importable from ``ufldl_py.data``):

- ``idx``: the IDX format, read as a hostile file (sizes checked against the bytes present
  before anything is allocated), and the stanford_dl_ex loaders loadMNISTImages/Labels;
- ``datasets``: MNIST as the exercises find it (fetched, else the sample), DeepLearnToolbox's
  mnist_uint8 layout, the housing table;
- ``images``: the natural images (and their whitening), colour patches, labelled images;
- ``fetch``: the mirrors, the checksums, verified atomic downloads;
- ``locations``: the shipped data (through importlib.resources) and the download cache;
- ``command``: ``ufldl-py data fetch|info``.
"""

from .command import data_cli
from .datasets import (MNIST_COUNTS, MNIST_FILES, load_housing, load_mnist_uint8, mnist_counts,
                       mnist_is_full, mnist_path)
from .fetch import MNIST_MD5, MNIST_MIRRORS, FetchError, fetch_mnist, md5_matches, md5s
from .idx import IMAGES_MAGIC, LABELS_MAGIC, idx_dims, loadMNISTImages, loadMNISTLabels, read_idx
from .images import (FASHION_MNIST_LABELS, STL_SUBSET, STL_SUBSET_CLASSES, load_color_patches,
                     load_images, load_images_raw, load_stl_subset, whiten_images)
from .locations import CLASSIC, SAMPLE, SHIPPED, data_dir, mnist_dir

__all__ = [
    "loadMNISTImages", "loadMNISTLabels", "read_idx", "idx_dims", "mnist_path", "mnist_is_full",
    "load_mnist_uint8", "load_housing", "fetch_mnist", "data_dir", "mnist_dir", "data_cli",
    "mnist_counts", "FetchError", "md5s", "md5_matches",
    "load_images_raw", "load_images", "whiten_images", "load_color_patches",
    "load_stl_subset", "STL_SUBSET", "STL_SUBSET_CLASSES", "FASHION_MNIST_LABELS",
    "SHIPPED", "SAMPLE", "CLASSIC", "MNIST_FILES", "MNIST_COUNTS", "MNIST_MD5", "MNIST_MIRRORS",
    "IMAGES_MAGIC", "LABELS_MAGIC",
]
