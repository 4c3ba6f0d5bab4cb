"""Self-taught learning (the original UFLDL stl_exercise/stlExercise.m).

Trains a 784-200-784 sparse autoencoder (lambda 3e-3, beta 3, sparsity 0.1, 400 L-BFGS
iterations) on the unlabelled MNIST digits 5-9, computes its hidden features of the labelled
digits 0-4 (feedForwardAutoencoder; half of them for training, half for testing), trains
softmax regression on the features (lambda 1e-4, 100 iterations) and prints the test
accuracy, as the MATLAB script does. Uses the full MNIST after `ufldl-py data fetch mnist`,
else the training digits shipped in data/ (2,000 unlabelled, 1,000 + 1,000 labelled). Saves
the learned features (display_network(W1')) in the figures directory.

    ufldl-py run stl_exercise [--max-iter N] [--hidden N] [--seed S]
"""

import sys
import time

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.minfunc import minFunc
from ufldl_py.plot import savefig
from ufldl_py.ufldl_classic.softmax import softmaxPredict, softmaxTrain
from ufldl_py.ufldl_classic.sparseae import (display_network, initializeParameters,
                                             sparseAutoencoderCost)
from ufldl_py.ufldl_classic.stl import feedForwardAutoencoder


def main(argv=None) -> int:
    parser = exercise.parser("stl_exercise", __doc__)
    parser.add_argument("--hidden", type=exercise.positive_int, default=200)
    parser.add_argument("--max-iter", type=exercise.positive_int, default=400,
                        help="L-BFGS iterations of the autoencoder (400)")
    parser.add_argument("--softmax-iter", type=exercise.positive_int, default=100)
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # STEP 0: parameters
    inputSize = 28 * 28
    numLabels = 5
    hiddenSize = args.hidden
    sparsityParam = 0.1  # desired average activation of the hidden units
    lambda_ = 3e-3       # weight decay parameter
    beta = 3             # weight of sparsity penalty term

    # STEP 1: Load data from the MNIST database
    mnistData = data.loadMNISTImages(data.mnist_path("train-images"))
    mnistLabels = data.loadMNISTLabels(data.mnist_path("train-labels"))
    labeledSet = np.flatnonzero((mnistLabels >= 0) & (mnistLabels <= 4))
    unlabeledSet = np.flatnonzero(mnistLabels >= 5)
    numTrain = int(np.round(labeledSet.size / 2))
    trainSet = labeledSet[:numTrain]
    testSet = labeledSet[numTrain:]
    unlabeledData = mnistData[:, unlabeledSet]
    trainData = mnistData[:, trainSet]
    trainLabels = mnistLabels[trainSet] + 1  # Shift Labels to the Range 1-5
    testData = mnistData[:, testSet]
    testLabels = mnistLabels[testSet] + 1
    print(f"MNIST: {'full' if data.mnist_is_full() else 'the sample shipped in data/'}")
    print(f"# examples in unlabeled set: {unlabeledData.shape[1]}")
    print(f"# examples in supervised training set: {trainData.shape[1]}\n")
    print(f"# examples in supervised testing set: {testData.shape[1]}\n")

    # STEP 2: Train the sparse autoencoder on the unlabelled digits
    theta = initializeParameters(hiddenSize, inputSize)
    start = time.perf_counter()
    opttheta, _, _, _ = minFunc(
        lambda p: sparseAutoencoderCost(p, inputSize, hiddenSize, lambda_, sparsityParam,
                                        beta, unlabeledData), theta,
        {"Method": "lbfgs", "maxIter": args.max_iter, "display": "on"})
    print(f"autoencoder trained in {time.perf_counter() - start:.1f} s")
    W1 = opttheta[:hiddenSize * inputSize].reshape(hiddenSize, inputSize, order="F")
    fig, _ = display_network(W1.T)
    fig.axes[0].set_title("stl_exercise: features learned on the digits 5-9 (W1')")
    print(f"saved {savefig(fig, 'stl_exercise_features')}")

    # STEP 3: Extract features from the supervised dataset
    trainFeatures = feedForwardAutoencoder(opttheta, hiddenSize, inputSize, trainData)
    testFeatures = feedForwardAutoencoder(opttheta, hiddenSize, inputSize, testData)

    # STEP 4: Train the softmax classifier on the features
    softmaxModel = softmaxTrain(hiddenSize, numLabels, 1e-4, trainFeatures, trainLabels,
                                {"maxIter": args.softmax_iter})

    # STEP 5: Testing
    pred = softmaxPredict(softmaxModel, testFeatures)
    print(f"Test Accuracy: {100 * np.mean(pred == testLabels):f}%")
    # about 98% on the full MNIST
    return 0


if __name__ == "__main__":
    sys.exit(main())
