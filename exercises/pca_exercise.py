"""PCA and whitening of natural-image patches (the original UFLDL pca_exercise/pca_gen.m).

Samples 10,000 raw 12x12 patches (sampleIMAGESRAW) of the photographs shipped in
data/classic (or of the tutorial's IMAGES_RAW.mat with --images), removes each patch's
mean, rotates them into the eigenbasis of their covariance, finds k for 99% of the variance,
reduces them to k dimensions, and PCA- and ZCA-whitens them (epsilon 0.1). Prints k and the
covariance checks; saves the patches (raw, PCA-reduced, ZCA-whitened) and the covariance
matrices as PNG files in the figures directory.

    ufldl-py run pca_exercise [--images IMAGES_RAW.mat] [--epsilon E] [--seed S]
"""

import sys

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab import random as mrandom
from ufldl_py.plot import display_network, savefig, subplots
from ufldl_py.ufldl_classic.pca import pca_gen, sampleIMAGESRAW


def covariance_figure(covar, title: str, name: str) -> None:
    fig, ax = subplots(figsize=(5, 5))
    ax.imshow(covar, interpolation="nearest")  # imagesc(covar)
    ax.set_title(title)
    print(f"saved {savefig(fig, name)}")


def main(argv=None) -> int:
    parser = exercise.parser("pca_exercise", __doc__)
    parser.add_argument("--images", default=None,
                        help="the tutorial's IMAGES_RAW.mat (default: the shipped photographs)")
    parser.add_argument("--epsilon", type=exercise.nonnegative_float, default=0.1)
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # Step 0a: load data
    x = sampleIMAGESRAW(data.load_images_raw(args.images))
    randsel = mrandom.randi(x.shape[1], 200, 1).ravel().astype(np.intp) - 1
    fig, _ = display_network(x[:, randsel])
    fig.axes[0].set_title("Raw images")
    print(f"saved {savefig(fig, 'pca_exercise_raw')}")

    # Steps 0b-5 (pca_gen.m)
    r = pca_gen(x, 0.99, args.epsilon)
    covar = r["covar"]
    off = np.abs(covar - np.diag(np.diag(covar))).max()
    print(f"Step 1b: covariance of xRot: largest off-diagonal {off:.3g} "
          f"(diagonal up to {np.diag(covar).max():.4g})")
    covariance_figure(covar, "Visualisation of covariance matrix (xRot)",
                      "pca_exercise_covar")
    k, n = r["k"], x.shape[0]
    print(f"Step 2: k = {k} of {n} dimensions retain 99% of the variance")
    fig, _ = display_network(r["xHat"][:, randsel])
    fig.axes[0].set_title(f"PCA processed images ({k} / {n} dimensions)")
    print(f"saved {savefig(fig, 'pca_exercise_xhat')}")
    cw = r["covarPCAWhite"]
    print(f"Step 4b: covariance of xPCAWhite: diagonal {np.diag(cw).min():.4f} .. "
          f"{np.diag(cw).max():.4f} (1 where the eigenvalue >> epsilon), largest "
          f"off-diagonal {np.abs(cw - np.diag(np.diag(cw))).max():.3g}")
    covariance_figure(cw, "Visualisation of covariance matrix (xPCAWhite)",
                      "pca_exercise_covar_white")
    fig, _ = display_network(r["xZCAWhite"][:, randsel])
    fig.axes[0].set_title("ZCA whitened images")
    print(f"saved {savefig(fig, 'pca_exercise_zca')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
