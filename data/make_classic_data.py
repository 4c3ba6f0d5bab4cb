"""Build the natural images that the original UFLDL exercises use, from photographs that
scikit-image bundles in its wheel.

    python -m pip install scikit-image==0.26.0     # only for this script
    python data/make_classic_data.py

writes ``data/classic/natural_images.npz`` (atomically): ``IMAGES_RAW``, ten grey 512 x 512
crops as uint8 (512, 512, 10), and ``names``, where each crop comes from; and
``data/classic/color_images.npz``: ``IMAGES``, 24 colour 96 x 96 images as uint8
(96, 96, 3, 24), and ``names``, from which the linear decoder exercise's colour 8x8 patches
are sampled (they stand in for the tutorial's stlSampledPatches.mat). The grey crops stand in
for the tutorial's IMAGES_RAW.mat (pca_exercise); the whitened IMAGES of sparseae_exercise are
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

The colour images: astronaut (public domain), coffee (CC0, Rachel Michetti), chelsea (CC0,
Stefan van der Walt), immunohistochemistry (no known copyright restrictions). STL-10, whose
patches the tutorial samples, holds photographs scaled down to 96 x 96, in which an object
fills most of the frame, so that 8x8 patches hold its edges; patches of the full-size
photographs are smooth and whiten weakly. So each photograph is scaled down by averaging k x k
blocks of pixels (area averaging, an anti-aliasing filter; rows and columns beyond a multiple
of k dropped), with k (COLOR_SCALES) such that the astronaut, the cup and the cat's face fill
about 96 to 128 pixels, and the four 96 x 96 corner windows of each scaled picture are kept
(they overlap where a side is under 192 pixels). The rocket photograph of earlier versions is
left out: most of its 8x8 patches are flat night sky, which drew many of the linear decoder's
features into flat colour detectors (data/README.md).

Grey: colour images are converted to grey with ``skimage.color.rgb2gray`` and rounded to uint8;
the two crops of the larger pictures are fixed windows (below). The output is the same on
every run.
"""

import io
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository's ufldl_py, for its atomic writes

from ufldl_py.atomic import atomic_write  # noqa: E402

OUT = HERE / "classic" / "natural_images.npz"
COLOR_OUT = HERE / "classic" / "color_images.npz"

# (skimage.data name, k) of each colour photograph, scaled down by k x k block means
COLOR_SCALES = [
    ("astronaut", 4),              # 512 x 512 -> 128 x 128
    ("astronaut", 5),              # -> 102 x 102
    ("coffee", 4),                 # 400 x 600 -> 100 x 150
    ("chelsea", 3),                # 300 x 451 -> 100 x 150
    ("immunohistochemistry", 3),   # 512 x 512 -> 170 x 170
    ("immunohistochemistry", 4),   # -> 128 x 128
]
COLOR_SIDE = 96  # the side of each colour image, as STL-10's

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
    with atomic_write(path) as f:
        f.write(buf.getvalue())


def block_means(image: np.ndarray, k: int) -> np.ndarray:
    """``image`` (rows, cols, 3) scaled down by k: the mean of each k x k block of pixels,
    rounded to uint8 (the rows and columns beyond a multiple of k are dropped)."""
    from skimage.transform import downscale_local_mean

    r, c = image.shape[0] // k * k, image.shape[1] // k * k
    small = downscale_local_mean(image[:r, :c].astype(np.float64), (k, k, 1))
    return np.round(small).astype(np.uint8)


def corner_windows(picture: np.ndarray, side: int) -> list[tuple[int, int]]:
    """The top-left corners (row, column) of the four side x side windows in the corners of
    ``picture`` (fewer where a side of the picture equals ``side``)."""
    r, c = picture.shape[:2]
    if min(r, c) < side:
        raise SystemExit(f"a {r} x {c} picture is too small for {side} x {side} windows")
    return [(i, j) for i in sorted({0, r - side}) for j in sorted({0, c - side})]


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
    images, names = [], []
    s = COLOR_SIDE
    for name, k in COLOR_SCALES:
        picture = block_means(getattr(skimage.data, name)()[..., :3], k)
        for i, j in corner_windows(picture, s):
            images.append(picture[i:i + s, j:j + s])
            names.append(f"skimage.data.{name}(), {k} x {k} block means ({picture.shape[0]} x "
                         f"{picture.shape[1]}), [{i}:{i + s}, {j}:{j + s}, :]")
    save_npz_atomic(COLOR_OUT, IMAGES=np.stack(images, axis=3), names=np.array(names))
    print(f"{COLOR_OUT.relative_to(HERE.parent)}: {len(images)} colour {s} x {s} images, "
          f"{COLOR_OUT.stat().st_size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
