"""Sparse autoencoder exercise (the original UFLDL sparseae_exercise/train.m).

Samples 10,000 8x8 patches of whitened natural images (sampleIMAGES), trains a 64-25-64
sparse autoencoder (lambda 1e-4, beta 3, sparsity 0.01) with minFunc's L-BFGS for 400
iterations, and saves the 25 learned features (display_network(W1', 12)): they look like
edge detectors. Uses the photographs shipped in data/classic (whitened at load time), or the
tutorial's IMAGES.mat with --images. Saves a sample of 200 patches and the weights as PNG
files in the figures directory.

    ufldl-py run sparseae_exercise [--images IMAGES.mat] [--max-iter N] [--numpatches N]
                                   [--check] [--seed S]
"""

import sys
import time

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab import random as mrandom
from ufldl_py.minfunc import minFunc
from ufldl_py.plot import savefig
from ufldl_py.ufldl_classic.sparseae import (checkNumericalGradient, computeNumericalGradient,
                                             display_network, initializeParameters,
                                             sampleIMAGES, sparseAutoencoderCost)


def main(argv=None) -> int:
    parser = exercise.parser("sparseae_exercise", __doc__)
    parser.add_argument("--images", default=None,
                        help="the tutorial's IMAGES.mat (default: the shipped photographs)")
    parser.add_argument("--numpatches", type=exercise.positive_int, default=10000)
    parser.add_argument("--max-iter", type=exercise.positive_int, default=400)
    parser.add_argument("--check", action="store_true",
                        help="STEP 3: checkNumericalGradient and a gradient check of the cost "
                             "on the first 10 patches")
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # STEP 0: parameters that give good filters
    visibleSize = 8 * 8   # number of input units
    hiddenSize = 25       # number of hidden units
    sparsityParam = 0.01  # desired average activation of the hidden units (rho)
    lambda_ = 0.0001      # weight decay parameter
    beta = 3              # weight of sparsity penalty term

    # STEP 1: sampleIMAGES
    IMAGES = data.load_images(args.images)
    print(f"IMAGES: {args.images or 'the photographs shipped in data/classic, whitened'}, "
          f"{IMAGES.shape[0]} x {IMAGES.shape[1]} x {IMAGES.shape[2]}")
    patches = sampleIMAGES(IMAGES, 8, args.numpatches)
    sel = mrandom.randi(patches.shape[1], 200, 1).ravel().astype(np.intp) - 1
    fig, _ = display_network(patches[:, sel], 8)
    fig.axes[0].set_title("sparseae_exercise: 200 random patches")
    print(f"saved {savefig(fig, 'sparseae_exercise_patches')}")

    # Obtain random parameters theta
    theta = initializeParameters(hiddenSize, visibleSize)

    # STEP 2: sparseAutoencoderCost
    cost, grad = sparseAutoencoderCost(theta, visibleSize, hiddenSize, lambda_, sparsityParam,
                                       beta, patches)
    print(f"initial cost {cost:f}")

    # STEP 3: Gradient Checking (on 10 patches: the hint of train.m)
    if args.check:
        if not checkNumericalGradient(numerical_gradient=computeNumericalGradient) < 1e-9:
            raise SystemExit("checkNumericalGradient: difference too large. Check "
                             "computeNumericalGradient before the cost's gradient")
        small = patches[:, :10]
        J = lambda x: sparseAutoencoderCost(x, visibleSize, hiddenSize, lambda_,  # noqa: E731
                                            sparsityParam, beta, small)
        numgrad = computeNumericalGradient(J, theta)
        grad = J(theta)[1]
        diff = np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad)
        print(diff)  # Should be small: usually less than 1e-9
        if not diff < 1e-9:
            raise SystemExit("Difference too large. Check your gradient computation again")

    train_and_show(patches, visibleSize, hiddenSize, lambda_, sparsityParam, beta,
                   args.max_iter, "sparseae_exercise", 12)  # train.m: display_network(W1', 12)
    return 0


def train_and_show(patches, visibleSize, hiddenSize, lambda_, sparsityParam, beta, max_iter,
                   name, *display_args):
    """STEP 4, train with minFunc (L-BFGS), and STEP 5, ``display_network(W1',
    display_args...)`` saved as NAME_weights.png: train.m's last steps, which the
    vectorization exercise runs on MNIST."""
    theta = initializeParameters(hiddenSize, visibleSize)
    options = {"Method": "lbfgs", "maxIter": max_iter, "display": "on"}
    start = time.perf_counter()
    opttheta, cost, _, _ = minFunc(
        lambda p: sparseAutoencoderCost(p, visibleSize, hiddenSize, lambda_, sparsityParam,
                                        beta, patches), theta, options)
    print(f"trained in {time.perf_counter() - start:.1f} s, cost {cost:f}")

    W1 = opttheta[:hiddenSize * visibleSize].reshape(hiddenSize, visibleSize, order="F")
    fig, _ = display_network(W1.T, *display_args)
    fig.axes[0].set_title(f"{name}: the {hiddenSize} learned features (W1')")
    print(f"saved {savefig(fig, name + '_weights')}")


if __name__ == "__main__":
    sys.exit(main())
