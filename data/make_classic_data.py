"""Build the natural images that the original UFLDL exercises use, from photographs that
scikit-image bundles in its wheel.

    python -m pip install scikit-image==0.26.0     # only for this script
    python data/make_classic_data.py

writes ``data/classic/natural_images.npz`` (atomically): ``IMAGES_RAW``, ten grey 512 x 512
crops as uint8 (512, 512, 10), and ``names``, where each crop comes from; and
``data/classic/color_images.npz``: ``IMAGES``, six colour 256 x 256 crops as uint8
(256, 256, 3, 6), and ``names``, from which the linear decoder exercise's colour 8x8
patches are sampled (they stand in for the tutorial's stlSampledPatches.mat). They stand in for
the tutorial's IMAGES_RAW.mat (pca_exercise); the whitened IMAGES of sparseae_exercise are
computed from them at load time by :func:`ufldl_py.data.whiten_images`, Olshausen and
Field's 1/f recipe (sparsenet), so that one 2.6 MB array serves both exercises.

The photographs (licences from scikit-image's ``skimage.data`` docstrings):

=====================  ===============================  ==========================
crop                   source                           licence
=====================  ===============================  ==========================
astronaut              NASA Great Images (E. Collins)   public domain
camera                 Lav Varshney                     CC0
grass                  DeviantArt, linolafett           CC0
gravel                 CC0Textures, Gravel04            CC0
brick                  CC0Textures, Bricks25            CC0
immunohistochemistry   CMMI                             no known copyright restrictions
hubble_deep_field (2)  NASA / HubbleSite                public domain
retina (2)             Mikael Haggstrom, Wikimedia      CC0 1.0
=====================  ===============================  ==========================

The colour crops: astronaut (public domain), coffee (CC0, Rachel Michetti), chelsea (CC0,
Stefan van der Walt), rocket (public domain, SpaceX), immunohistochemistry (no known
copyright restrictions), hubble_deep_field (public domain); windows in COLOR_CROPS.

Grey: colour images are converted to grey with ``skimage.color.rgb2gray`` and rounded to uint8;
the two crops of the larger pictures are fixed windows (below). The output is the same on
every run.
"""

import io
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
OUT = HERE / "classic" / "natural_images.npz"
COLOR_OUT = HERE / "classic" / "color_images.npz"

# (skimage.data name, top row, left column) of each colour 256 x 256 crop
COLOR_CROPS = [
    ("astronaut", 0, 128),
    ("coffee", 72, 172),
    ("chelsea", 22, 97),
    ("rocket", 100, 180),
    ("immunohistochemistry", 128, 128),
    ("hubble_deep_field", 300, 300),
]

# (skimage.data name, top row, left column) of each 512 x 512 crop
CROPS = [
    ("astronaut", 0, 0),
    ("camera", 0, 0),
    ("grass", 0, 0),
    ("gravel", 0, 0),
    ("brick", 0, 0),
    ("immunohistochemistry", 0, 0),
    ("hubble_deep_field", 0, 0),
    ("hubble_deep_field", 360, 488),
    ("retina", 200, 200),
    ("retina", 700, 450),
]


def grey_uint8(image: np.ndarray) -> np.ndarray:
    from skimage.color import rgb2gray

    if image.ndim == 3:
        return np.round(rgb2gray(image[..., :3]) * 255).astype(np.uint8)
    return image.astype(np.uint8)


def save_npz_atomic(path: Path, **arrays) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(buf.getvalue())
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main() -> int:
    import skimage.data

    crops, names = [], []
    for name, r, c in CROPS:
        grey = grey_uint8(getattr(skimage.data, name)())
        crop = grey[r:r + 512, c:c + 512]
        if crop.shape != (512, 512):
            raise SystemExit(f"{name} is too small for a 512 x 512 crop at ({r}, {c})")
        crops.append(crop)
        names.append(f"skimage.data.{name}()[{r}:{r + 512}, {c}:{c + 512}]")
    save_npz_atomic(OUT, IMAGES_RAW=np.stack(crops, axis=2), names=np.array(names))
    print(f"{OUT.relative_to(HERE.parent)}: {len(crops)} grey 512 x 512 crops, "
          f"{OUT.stat().st_size / 1e6:.2f} MB")
    crops, names = [], []
    for name, r, c in COLOR_CROPS:
        crop = getattr(skimage.data, name)()[r:r + 256, c:c + 256, :3]
        if crop.shape != (256, 256, 3):
            raise SystemExit(f"{name} is too small for a 256 x 256 crop at ({r}, {c})")
        crops.append(crop.astype(np.uint8))
        names.append(f"skimage.data.{name}()[{r}:{r + 256}, {c}:{c + 256}, :]")
    save_npz_atomic(COLOR_OUT, IMAGES=np.stack(crops, axis=3), names=np.array(names))
    print(f"{COLOR_OUT.relative_to(HERE.parent)}: {len(crops)} colour 256 x 256 crops, "
          f"{COLOR_OUT.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
