"""PCA in 2D (the original UFLDL pca_2d/pca_2d.m).

On the tutorial's pcaData (2 x 45, shipped in data/classic): finds the eigenbasis u of the
covariance, rotates the data into it (xRot), reduces it to k = 1 dimension and back (xHat),
and whitens it with PCA and ZCA whitening (epsilon 1e-5). Saves the five scatter plots of
the script as one PNG in the figures directory, and prints the covariances of the whitened
data (the identity, up to epsilon).

    ufldl-py run pca_2d [--data pcaData.txt] [--k K] [--epsilon E]
"""

import sys


from ufldl_py import exercise
from ufldl_py.plot import savefig, subplots
from ufldl_py.ufldl_classic.pca import load_pcaData, pca_2d


def main(argv=None) -> int:
    parser = exercise.parser("pca_2d", __doc__)
    parser.add_argument("--data", default=None, help="pcaData.txt (default: the shipped copy)")
    parser.add_argument("--k", type=exercise.positive_int, default=1)
    parser.add_argument("--epsilon", type=exercise.nonnegative_float, default=1e-5)
    args = parser.parse_args(argv)

    # Step 0: load data
    x = load_pcaData(args.data)
    print(f"pcaData: {x.shape[0]} x {x.shape[1]}")
    r = pca_2d(x, args.k, args.epsilon)
    u = r["u"]
    print("u =")
    print(u)
    for name in ("xPCAWhite", "xZCAWhite"):
        w = r[name]
        print(f"covariance of {name}:")
        print(w @ w.T / w.shape[1])

    fig, axes = subplots(1, 5, figsize=(20, 4.2))
    panels = [("Raw data", x), ("xRot", r["xRot"]), ("xHat", r["xHat"]),
              ("xPCAWhite", r["xPCAWhite"]), ("xZCAWhite", r["xZCAWhite"])]
    for ax, (title, pts) in zip(axes, panels):
        ax.scatter(pts[0], pts[1], s=14, facecolors="none", edgecolors="C0")
        ax.set_title(title)
        ax.set_aspect("equal", adjustable="datalim")
        ax.grid(True, alpha=0.3)
    # Step 1a: the eigenbasis drawn over the raw data
    axes[0].plot([0, u[0, 0]], [0, u[1, 0]], "C1")
    axes[0].plot([0, u[0, 1]], [0, u[1, 1]], "C2")
    print(f"saved {savefig(fig, 'pca_2d')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
