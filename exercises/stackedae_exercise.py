"""Stacked autoencoders for digit classification (the original UFLDL
stackedae_exercise/stackedAEExercise.m).

Greedy layer-wise pre-training of two sparse autoencoders (784-200 and 200-200; lambda 3e-3,
beta 3, sparsity 0.1) on the MNIST training digits, softmax regression on the second layer's
features (lambda 1e-4, 100 iterations), then fine-tuning of the whole network
(stackedAECost, lambda 1e-4) with minFunc's L-BFGS; prints the test accuracy before and
after fine-tuning, as the MATLAB script does. Uses the full MNIST after `ufldl-py data fetch
mnist`, else the sample shipped in data/ (4,000 training and 1,000 test digits). The
default runs 200 L-BFGS iterations for each autoencoder and for fine-tuning (a few minutes
on two cores); the script's 400 with --max-iter 400. Saves the first layer's features.

    ufldl-py run stackedae_exercise [--max-iter N] [--hidden1 N] [--hidden2 N] [--seed S]
"""

import sys
import time

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab import random as mrandom
from ufldl_py.minfunc import minFunc
from ufldl_py.plot import savefig
from ufldl_py.ufldl_classic.softmax import softmaxTrain
from ufldl_py.ufldl_classic.sparseae import (display_network, initializeParameters,
                                             sparseAutoencoderCost)
from ufldl_py.ufldl_classic.stackedae import stack2params, stackedAECost, stackedAEPredict
from ufldl_py.ufldl_classic.stl import feedForwardAutoencoder


def load(prefix: str):
    images = data.loadMNISTImages(data.mnist_path(f"{prefix}-images"))
    labels = data.loadMNISTLabels(data.mnist_path(f"{prefix}-labels"))
    labels[labels == 0] = 10  # Remap 0 to 10 since our labels need to start from 1
    return images, labels


def train_autoencoder(visible, hidden, data_, options, what):
    start = time.perf_counter()
    theta = initializeParameters(hidden, visible)
    opt, cost, _, _ = minFunc(lambda p: sparseAutoencoderCost(p, visible, hidden, 3e-3, 0.1, 3,
                                                              data_), theta, options)
    print(f"{what} trained in {time.perf_counter() - start:.1f} s, cost {cost:f}")
    return opt


def layer(opttheta, hidden, visible):
    return {"w": opttheta[:hidden * visible].reshape(hidden, visible, order="F"),
            "b": opttheta[2 * hidden * visible:2 * hidden * visible + hidden]}


def main(argv=None) -> int:
    parser = exercise.parser("stackedae_exercise", __doc__)
    parser.add_argument("--hidden1", type=exercise.positive_int, default=200)
    parser.add_argument("--hidden2", type=exercise.positive_int, default=200)
    parser.add_argument("--max-iter", type=exercise.positive_int, default=200,
                        help="L-BFGS iterations of each autoencoder and of fine-tuning (400 in "
                             "the script)")
    parser.add_argument("--softmax-iter", type=exercise.positive_int, default=100)
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # STEP 0: parameters
    inputSize = 28 * 28
    numClasses = 10
    hiddenSizeL1, hiddenSizeL2 = args.hidden1, args.hidden2
    options = {"Method": "lbfgs", "maxIter": args.max_iter, "display": "on"}

    # STEP 1: Load data
    trainData, trainLabels = load("train")
    print(f"MNIST: {'full' if data.mnist_is_full() else 'the sample shipped in data/'}, "
          f"{trainData.shape[1]} training digits")

    # STEP 2: Train the first sparse autoencoder
    sae1OptTheta = train_autoencoder(inputSize, hiddenSizeL1, trainData, options,
                                     "first autoencoder")
    # STEP 3: Train the second sparse autoencoder on the first's features
    sae1Features = feedForwardAutoencoder(sae1OptTheta, hiddenSizeL1, inputSize, trainData)
    sae2OptTheta = train_autoencoder(hiddenSizeL1, hiddenSizeL2, sae1Features, options,
                                     "second autoencoder")
    # STEP 4: Train the softmax classifier on the second's features
    sae2Features = feedForwardAutoencoder(sae2OptTheta, hiddenSizeL2, hiddenSizeL1,
                                          sae1Features)
    mrandom.randn(hiddenSizeL2 * numClasses, 1)  # saeSoftmaxTheta: drawn, never used
    softmaxModel = softmaxTrain(hiddenSizeL2, numClasses, 1e-4, sae2Features, trainLabels,
                                {"maxIter": args.softmax_iter})
    saeSoftmaxOptTheta = softmaxModel["optTheta"].ravel(order="F")

    # STEP 5: Fine-tune the stacked autoencoder
    stack = [layer(sae1OptTheta, hiddenSizeL1, inputSize),
             layer(sae2OptTheta, hiddenSizeL2, hiddenSizeL1)]
    stackparams, netconfig = stack2params(stack)
    stackedAETheta = np.concatenate([saeSoftmaxOptTheta, stackparams])
    start = time.perf_counter()
    stackedAEOptTheta, _, _, _ = minFunc(
        lambda p: stackedAECost(p, inputSize, hiddenSizeL2, numClasses, netconfig, 1e-4,
                                trainData, trainLabels), stackedAETheta, options)
    print(f"fine-tuned in {time.perf_counter() - start:.1f} s")

    # STEP 6: Test
    testData, testLabels = load("t10k")
    for when, theta in (("Before", stackedAETheta), ("After", stackedAEOptTheta)):
        pred = stackedAEPredict(theta, inputSize, hiddenSizeL2, numClasses, netconfig, testData)
        acc = np.mean(testLabels == pred)
        print(f"{when} Finetuning Test Accuracy: {acc * 100:0.3f}%")
    # on the full MNIST: about 87.7% before and 97.6% after fine-tuning

    W1 = stackedAEOptTheta[hiddenSizeL2 * numClasses:][:hiddenSizeL1 * inputSize]
    fig, _ = display_network(W1.reshape(hiddenSizeL1, inputSize, order="F").T)
    fig.axes[0].set_title("stackedae_exercise: first layer after fine-tuning (W1')")
    print(f"saved {savefig(fig, 'stackedae_exercise_features')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
