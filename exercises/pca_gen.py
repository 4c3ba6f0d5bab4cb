"""PCA, PCA whitening and ZCA whitening of the MNIST digits (stanford_dl_ex/pca/pca_gen.m).

Zero-means each image, rotates the data into the eigenbasis of its covariance, keeps the
fewest components that retain 99% of the variance, and whitens (PCA with epsilon 0.1, then
ZCA), calling the steps of ``ufldl_py.ufldl.pca`` in the script's order. Prints k and the
script's checks: the covariance of xRot is diagonal, and that of xPCAWhite is the identity
for epsilon 0 (on the components of non-zero variance: the digits' border pixels never vary)
and falls off along the diagonal for epsilon 0.1. Saves the figures the script draws: 200
random raw digits, their PCA-reduced (xHat), PCA-whitened and ZCA-whitened versions, and the
covariance images. Uses the full MNIST training set after `ufldl-py data fetch mnist`, else
the sample shipped in data/.

    ufldl-py run pca_gen [--seed S] [--max-images N] [--retain 0.99] [--epsilon 0.1]
"""

import sys

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab.random import randi
from ufldl_py.plot import display_network, savefig, subplots
from ufldl_py.ufldl import pca


def show(x, title, name):
    fig, _ = display_network(x)
    fig.axes[0].set_title(title)
    print(f"saved {savefig(fig, name)}")


def imagesc(covar, title, name):
    """MATLAB's ``figure('name', title); imagesc(covar)``, with a colour bar."""
    # large enough for one screen pixel per entry, so that the diagonal line shows
    side = max(5.0, covar.shape[0] / 80)
    fig, ax = subplots(figsize=(side * 1.15, side))
    im = ax.imshow(covar, interpolation="nearest")
    fig.colorbar(im, ax=ax)
    ax.set_title(title)
    print(f"saved {savefig(fig, name)}")


def main(argv=None) -> int:
    parser = exercise.parser("pca_gen", __doc__)
    parser.add_argument("--max-images", type=exercise.positive_int, default=None,
                        help="use the first N training images only")
    parser.add_argument("--retain", type=exercise.fraction, default=pca.RETAIN,
                        help="the fraction of the variance kept (default 0.99)")
    parser.add_argument("--epsilon", type=exercise.nonnegative_float, default=pca.EPSILON,
                        help="PCA whitening's regularisation (default 0.1)")
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # Step 0a: Load data
    x = data.loadMNISTImages(data.mnist_path("train-images"))
    if args.max_images is not None:
        x = x[:, :args.max_images]
    n, m = x.shape
    print(f"MNIST: {'full' if data.mnist_is_full() else 'the sample shipped in data/'}, "
          f"{m} images of {n} pixels")
    randsel = randi(m, 200, 1).astype(np.intp).ravel() - 1  # samples for visualization
    show(x[:, randsel], "Raw images", "pca_gen_raw")

    # Step 0b: Zero-mean the data (each image's own mean)
    x = pca.zero_mean(x)

    # Step 1a: Implement PCA to obtain xRot
    xRot, U, S = pca.pca_rotate(x)

    # Step 1b: Check your implementation of PCA: the covariance of xRot is diagonal
    covar = pca.covariance(xRot)
    off = np.abs(covar - np.diag(np.diag(covar))).max()
    print(f"Step 1b: covariance of xRot: largest off-diagonal entry {off:.3g}, "
          f"{off / np.abs(covar).max():.3g} of the largest entry (diagonal: "
          f"{'yes' if off <= 1e-10 * np.abs(covar).max() else 'NO'})")
    imagesc(covar, "Visualisation of covariance matrix (xRot)", "pca_gen_covar_xRot")

    # Step 2: Find k, the number of components to retain
    k = pca.num_components(S, args.retain)
    print(f"Step 2: k = {k} components retain {100 * args.retain:g}% of the variance "
          f"(of {n} dimensions)")

    # Step 3: Implement PCA with dimension reduction
    xHat = pca.pca_reduce(x, U, k)
    show(xHat[:, randsel], f"PCA processed images ({k} / {n} dimensions)", "pca_gen_xHat")
    del xHat

    # Step 4a: Implement PCA with whitening and regularisation
    xPCAWhite = pca.pca_whiten(xRot, S, args.epsilon)
    show(xPCAWhite[:, randsel], f"PCA whitened images (epsilon {args.epsilon:g})",
         "pca_gen_pca_white")

    # Step 4b: Check your implementation of PCA whitening
    covar = pca.covariance(xPCAWhite)
    d = np.diag(covar)
    print(f"Step 4b: covariance of xPCAWhite (epsilon {args.epsilon:g}): diagonal from "
          f"{d[0]:.4f} down to {d[k - 1]:.4f} at component k = {k} and {d[-1]:.3g} at {n}")
    lam = np.diag(S)
    keep = lam > 1e-10 * lam[0]
    white0 = pca.covariance(pca.pca_whiten(xRot[keep], lam[keep], 0.0))
    err = np.abs(white0 - np.eye(keep.sum())).max()
    print(f"Step 4b: with epsilon 0, the covariance of xPCAWhite is the identity on the "
          f"{keep.sum()} components of non-zero variance: largest |covar - I| {err:.3g}")
    imagesc(covar, f"Visualisation of covariance matrix (xPCAWhite, epsilon "
            f"{args.epsilon:g})", "pca_gen_covar_xPCAWhite")
    del xRot, white0

    # Step 5: Implement ZCA whitening
    xZCAWhite = pca.zca_whiten(U, xPCAWhite)
    show(xZCAWhite[:, randsel], "ZCA whitened images", "pca_gen_zca_white")
    return 0


if __name__ == "__main__":
    sys.exit(main())
