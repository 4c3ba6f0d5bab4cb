"""Self-taught learning: RICA features of unlabelled digits for classifying digits 0-4
(stanford_dl_ex/stl/stlExercise.m).

Splits the MNIST training set as the original does: the first 50,000 images are the
unlabelled set, the next 5,000 the labelled training set and the last 5,000 the test set;
the labelled sets keep the digits 0-4 only (labels 1-5). On the sample shipped in data/
(4,000 training images) the same fractions are taken: 3,333 unlabelled, 333 and 334
labelled. Learns 32 RICA features (9x9) on patches of the unlabelled and training images
(zca2-whitened and normalised as in runSoftICA), convolves them (W*V, the whitening folded
into the filters) over the labelled images with square-square-root pooling over 5x5 regions
(feedfowardRICA), trains softmax regression (ex1's softmax_regression_vec) on the pooled
features with minFunc (MaxIter 300), and prints the train and test accuracy. Prints
minFunc's iteration lines and saves the learned bases (figures/stlExercise_bases.png).

Where the template leaves gaps or is inconsistent, this script does what it evidently means:

- RICA training (a YOUR CODE HERE gap): ``[patches, V] = zca2(patches)``, each patch
  normalised to unit length as runSoftICA does, then minFunc on softICACost.
- minFunc's default optTol (1e-5) would stop RICA after some 70 iterations, far short of
  the script's MaxIter (and with bases that are still noise): the exercise passes
  optTol = 0, so that MaxIter iterations run (``--opt-tol 1e-5`` restores the default).
- The softmax weights are drawn as the script draws them, numClasses x featureSize, but
  ex1's softmax_regression_vec takes featureSize x (numClasses - 1) parameters (the last
  class's weights fixed at zero): the transposed draw's first numClasses - 1 columns are
  used. The features have no intercept row, as in the script.
- ``train_pred`` and ``pred`` (undefined in the template) are the classes of largest
  ``theta' * features``.

The original's sizes are 200,000 patches and MaxIter 1000 for RICA (``--num-patches 200000
--max-iter 1000``); the defaults (20,000 and 300) finish in about a minute on two cores.

    ufldl-py run stlExercise [--seed S] [--num-patches N] [--max-iter N]
                             [--softmax-max-iter 300] [--opt-tol 0]
"""

import sys
import time

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab.random import randn
from ufldl_py.minfunc import minFunc
from ufldl_py.plot import display_network, savefig
from ufldl_py.ufldl.common import samplePatches
from ufldl_py.ufldl.ex1 import softmax_regression_vec
from ufldl_py.ufldl.rica import bsxfunwrap, softICACost, zca2
from ufldl_py.ufldl.stl import feedfowardRICA


def split(numExamples: int):
    """The original's split of 60,000 (first 50,000 unlabelled, then 5,000 and 5,000), in
    the same fractions for another number of examples. 0-based index ranges."""
    nUnlabeled = numExamples * 5 // 6
    nTrain = (numExamples - nUnlabeled) // 2
    return (np.arange(nUnlabeled), np.arange(nUnlabeled, nUnlabeled + nTrain),
            np.arange(nUnlabeled + nTrain, numExamples))


def accuracy(theta, X, y) -> float:
    """Percentage of examples whose class of largest theta' * x is y."""
    pred = np.argmax(theta.T @ X, axis=0) + 1
    return 100 * float(np.mean(pred == y))


def main(argv=None) -> int:
    parser = exercise.parser("stlExercise", __doc__)
    parser.add_argument("--num-patches", type=exercise.positive_int, default=20000,
                        help="RICA's patches (the original: 200000)")
    parser.add_argument("--max-iter", type=exercise.positive_int, default=300,
                        help="RICA's minFunc iterations (the original: 1000)")
    parser.add_argument("--softmax-max-iter", type=exercise.positive_int, default=300)
    parser.add_argument("--num-features", type=exercise.positive_int, default=32)
    parser.add_argument("--opt-tol", type=exercise.nonnegative_float, default=0.0,
                        help="RICA's minFunc optTol (minFunc's default: 1e-5)")
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # STEP 0: parameters (the MATLAB's global params)
    imgSize = 28
    params = {"patchWidth": 9, "n": 81, "lambda": 0.0005, "numFeatures": args.num_features,
              "epsilon": 1e-2}

    # STEP 1: Load data from the MNIST database
    mnistData = data.loadMNISTImages(data.mnist_path("train-images"))
    mnistLabels = data.loadMNISTLabels(data.mnist_path("train-labels"))
    numExamples = mnistData.shape[1]
    print(f"MNIST: {'full' if data.mnist_is_full() else 'the sample shipped in data/'}, "
          f"{numExamples} training images")
    unlabeledSet, trainSet, testSet = split(numExamples)
    unlabeledData = mnistData[:, unlabeledSet]
    trainData = mnistData[:, trainSet]
    trainLabels = mnistLabels[trainSet] + 1  # Shift Labels to the Range 1-10
    keep = trainLabels <= 5  # only keep digits 0-4
    trainData, trainLabels = trainData[:, keep], trainLabels[keep]
    testData = mnistData[:, testSet]
    testLabels = mnistLabels[testSet] + 1
    keep = testLabels <= 5
    testData, testLabels = testData[:, keep], testLabels[keep]
    del mnistData
    print(f"# examples in unlabeled set: {unlabeledData.shape[1]}")
    print(f"# examples in supervised training set: {trainData.shape[1]}\n")
    print(f"# examples in supervised testing set: {testData.shape[1]}\n")

    # STEP 2: Train the RICA
    randTheta = randn(params["numFeatures"], params["n"]) * 0.01
    randTheta = randTheta / np.sqrt(np.sum(randTheta ** 2, axis=1, keepdims=True))
    randTheta = randTheta.ravel(order="F")
    patches = samplePatches(np.hstack([unlabeledData, trainData]), params["patchWidth"],
                            args.num_patches)
    del unlabeledData
    options = {"Method": "lbfgs", "MaxFunEvals": np.inf, "MaxIter": args.max_iter,
               "optTol": args.opt_tol}
    patches, V = zca2(patches)[:2]
    m = np.sqrt(np.sum(patches ** 2, axis=0) + 1e-8)
    x = bsxfunwrap(np.divide, patches, m)
    tic = time.perf_counter()
    opttheta = minFunc(lambda theta: softICACost(theta, x, params), randTheta, options)[0]
    print(f"RICA trained in {time.perf_counter() - tic:.1f} s")
    del patches
    W = opttheta.reshape(params["numFeatures"], params["n"], order="F")
    fig, _ = display_network(W.T)
    fig.axes[0].set_title(f"stlExercise: {params['numFeatures']} RICA bases")
    print(f"saved {savefig(fig, 'stlExercise_bases')}")

    # STEP 3: Extract Features from the Supervised Dataset
    W = W @ V  # the whitening folded into the filters
    W = W.reshape(params["numFeatures"], params["patchWidth"], params["patchWidth"],
                  order="F").transpose(1, 2, 0)  # permute(W, [2, 3, 1])
    filterDim = params["patchWidth"]
    poolDim = 5
    numFilters = params["numFeatures"]
    trainImages = trainData.reshape(imgSize, imgSize, -1, order="F")
    testImages = testData.reshape(imgSize, imgSize, -1, order="F")
    trainAct = feedfowardRICA(filterDim, poolDim, numFilters, trainImages, W, params)
    testAct = feedfowardRICA(filterDim, poolDim, numFilters, testImages, W, params)
    featureSize = trainAct.shape[0] * trainAct.shape[1] * trainAct.shape[2]
    trainFeatures = trainAct.reshape(featureSize, -1, order="F")
    testFeatures = testAct.reshape(featureSize, -1, order="F")

    # STEP 4: Train the softmax classifier
    numClasses = 5  # doing 5-class digit recognition
    randTheta2 = randn(numClasses, featureSize) * 0.01
    randTheta2 = randTheta2 / np.sqrt(np.sum(randTheta2 ** 2, axis=1, keepdims=True))
    randTheta2 = randTheta2.T[:, :numClasses - 1]  # softmax_regression_vec's K - 1 columns
    options = {"Method": "lbfgs", "MaxFunEvals": np.inf, "MaxIter": args.softmax_max_iter}
    opt = minFunc(softmax_regression_vec, randTheta2.ravel(order="F"), options,
                  trainFeatures, trainLabels)[0]
    theta = np.hstack([opt.reshape(featureSize, numClasses - 1, order="F"),
                       np.zeros((featureSize, 1))])

    # STEP 5: Testing
    print(f"Train Accuracy: {accuracy(theta, trainFeatures, trainLabels):f}%")
    print(f"Test Accuracy: {accuracy(theta, testFeatures, testLabels):f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
