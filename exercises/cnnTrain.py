"""Convolutional neural network exercise (stanford_dl_ex/cnn/cnnTrain.m).

Trains one convolutional layer (20 filters of 9x9, sigmoid), 2x2 mean pooling and a softmax
layer on MNIST with minFuncSGD (3 epochs, minibatch 256, alpha 0.1, momentum 0.95), then
prints the test accuracy, as the MATLAB script does. Uses the full MNIST after
`ufldl-py data fetch mnist`, else the sample shipped in data/. Saves the learned filters
(display_network) and the cost curve as PNG files in the figures directory.

    ufldl-py run cnnTrain [--epochs N] [--minibatch B] [--max-images N] [--debug] [--seed S]
"""

import sys
import time

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.plot import display_network, plot_curve, savefig
from ufldl_py.ufldl.cnn import (cnnCost, cnnInitParams, cnnParamsToStack,
                                computeNumericalGradient, minFuncSGD)


def load(prefix: str, imageDim: int, max_images: int | None):
    images = data.loadMNISTImages(data.mnist_path(f"{prefix}-images"))
    labels = data.loadMNISTLabels(data.mnist_path(f"{prefix}-labels"))
    if max_images is not None:
        images, labels = images[:, :max_images], labels[:max_images]
    images = images.reshape(imageDim, imageDim, -1, order="F")
    labels[labels == 0] = 10  # Remap 0 to 10
    return images, labels


def main(argv=None) -> int:
    parser = exercise.parser("cnnTrain", __doc__)
    parser.add_argument("--epochs", type=exercise.positive_int, default=3)
    parser.add_argument("--minibatch", type=exercise.positive_int, default=256)
    parser.add_argument("--alpha", type=exercise.positive_float, default=1e-1)
    parser.add_argument("--momentum", type=exercise.nonnegative_float, default=.95)
    parser.add_argument("--max-images", type=exercise.positive_int, default=None,
                        help="train on the first N training images only")
    parser.add_argument("--debug", action="store_true",
                        help="run the gradient check first (the script's DEBUG = true)")
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # STEP 0: Initialize Parameters and Load Data
    imageDim = 28
    numClasses = 10
    filterDim = 9
    numFilters = 20
    poolDim = 2
    images, labels = load("train", imageDim, args.max_images)
    print(f"MNIST: {'full' if data.mnist_is_full() else 'the sample shipped in data/'}, "
          f"{images.shape[2]} training images")
    exercise.at_most(parser, "--minibatch", args.minibatch, images.shape[2],
                     "the number of training images", "no step would run")
    theta = cnnInitParams(imageDim, filterDim, numFilters, poolDim, numClasses)

    # STEP 2: Gradient Check
    if args.debug:
        db_numFilters, db_filterDim, db_poolDim = 2, 9, 5
        db_images, db_labels = images[:, :, :10], labels[:10]
        db_theta = cnnInitParams(imageDim, db_filterDim, db_numFilters, db_poolDim, numClasses)
        cost, grad = cnnCost(db_theta, db_images, db_labels, numClasses, db_filterDim,
                             db_numFilters, db_poolDim)
        numGrad = computeNumericalGradient(
            lambda x: cnnCost(x, db_images, db_labels, numClasses, db_filterDim,
                              db_numFilters, db_poolDim), db_theta)
        print(np.column_stack([numGrad, grad]))
        diff = np.linalg.norm(numGrad - grad) / np.linalg.norm(numGrad + grad)
        print(diff)
        if not diff < 1e-9:
            raise SystemExit("Difference too large. Check your gradient computation again")

    # STEP 3: Learn Parameters
    options = {"epochs": args.epochs, "minibatch": args.minibatch, "alpha": args.alpha,
               "momentum": args.momentum}
    costs = []
    start = time.perf_counter()

    def progress(epoch, it, cost):
        costs.append(cost)
        print(f"Epoch {epoch}: Cost on iteration {it} is {cost:f}", flush=True)

    opttheta = minFuncSGD(lambda x, y, z: cnnCost(x, y, z, numClasses, filterDim, numFilters,
                                                  poolDim),
                          theta, images, labels, options, callback=progress)
    print(f"trained in {time.perf_counter() - start:.1f} s")
    del images, labels  # free the training set before loading the test set

    # STEP 4: Test
    testImages, testLabels = load("t10k", imageDim, None)
    _, cost, preds = cnnCost(opttheta, testImages, testLabels, numClasses, filterDim,
                             numFilters, poolDim, True)
    acc = np.sum(preds == testLabels) / len(preds)
    # Accuracy should be around 97.4% after 3 epochs (on the full MNIST)
    print(f"Accuracy is {acc:f}")

    Wc = cnnParamsToStack(opttheta, imageDim, filterDim, numFilters, poolDim, numClasses)[0]
    fig, _ = display_network(Wc.reshape(filterDim * filterDim, numFilters, order="F"))
    fig.axes[0].set_title("cnnTrain: learned 9x9 filters")
    print(f"saved {savefig(fig, 'cnnTrain_filters')}")
    if costs:
        path = plot_curve(costs, "cnnTrain: minibatch cost", "iteration", "cost", "cnnTrain_cost")
        print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
