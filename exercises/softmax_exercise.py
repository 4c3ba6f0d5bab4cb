"""Softmax regression on MNIST (the original UFLDL softmax_exercise/softmaxExercise.m).

Trains softmax regression (lambda 1e-4, no bias) on the MNIST training digits with minFunc's
L-BFGS for 100 iterations (softmaxTrain), then prints the accuracy on the test digits, as
the MATLAB script does. Uses the full MNIST after `ufldl-py data fetch mnist`, else the
sample shipped in data/ (4,000 training and 1,000 test digits). --debug runs the script's
DEBUG branch (a gradient check on random 8-dimensional data) first. Saves the learned
weights (display_network(optTheta')) in the figures directory.

    ufldl-py run softmax_exercise [--max-iter N] [--debug] [--seed S]
"""

import sys

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab import random as mrandom
from ufldl_py.plot import display_network, savefig
from ufldl_py.ufldl_classic.softmax import softmaxCost, softmaxPredict, softmaxTrain
from ufldl_py.ufldl_classic.sparseae import computeNumericalGradient


def load(prefix: str):
    images = data.loadMNISTImages(data.mnist_path(f"{prefix}-images"))
    labels = data.loadMNISTLabels(data.mnist_path(f"{prefix}-labels"))
    labels[labels == 0] = 10  # Remap 0 to 10
    return images, labels


def main(argv=None) -> int:
    parser = exercise.parser("softmax_exercise", __doc__)
    parser.add_argument("--max-iter", type=exercise.positive_int, default=100)
    parser.add_argument("--debug", action="store_true", help="the script's DEBUG = true")
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # STEP 0: Initialise constants and parameters
    inputSize = 28 * 28  # Size of input vector (MNIST images are 28x28)
    numClasses = 10      # Number of classes (MNIST images fall into 10 classes)
    lambda_ = 1e-4       # Weight decay parameter

    # STEP 1: Load data
    images, labels = load("train")
    print(f"MNIST: {'full' if data.mnist_is_full() else 'the sample shipped in data/'}, "
          f"{images.shape[1]} training digits")
    inputData = images

    # STEP 2 and 3: softmaxCost, and a gradient check in DEBUG mode
    if args.debug:
        dbg_inputSize = 8
        dbg_data = mrandom.randn(8, 100)
        dbg_labels = mrandom.randi(10, 100, 1).ravel()
        theta = 0.005 * mrandom.randn(numClasses * dbg_inputSize, 1).ravel()
        J = lambda x: softmaxCost(x, numClasses, dbg_inputSize, lambda_,  # noqa: E731
                                  dbg_data, dbg_labels, full_ground_truth=True)
        numGrad = computeNumericalGradient(J, theta)
        grad = J(theta)[1]
        print(np.column_stack([numGrad, grad]))
        diff = np.linalg.norm(numGrad - grad) / np.linalg.norm(numGrad + grad)
        print(diff)  # should be small (about 1e-9)

    # STEP 4: Learning parameters
    softmaxModel = softmaxTrain(inputSize, numClasses, lambda_, inputData, labels,
                                {"maxIter": args.max_iter}, cost=softmaxCost)

    # STEP 5: Testing
    images, labels = load("t10k")
    pred = softmaxPredict(softmaxModel, images)
    acc = np.mean(labels == pred)
    print(f"Accuracy: {acc * 100:0.3f}%")  # about 92.6% on the full MNIST

    fig, _ = display_network(softmaxModel["optTheta"].T)
    fig.axes[0].set_title("softmax_exercise: the 10 classes' weights")
    print(f"saved {savefig(fig, 'softmax_exercise_weights')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
