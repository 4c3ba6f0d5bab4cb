"""Convolution and pooling exercise (stanford_dl_ex/cnn/cnnExercise.m).

Convolves 8 MNIST digits with 100 random 8x8 filters, checks 1,000 random points of the
result against a direct computation, mean-pools the features, and checks cnnPool on the
exercise's 8x8 test matrix. Prints what the MATLAB script prints.

    ufldl-py run cnnExercise [--seed S]
"""

import sys

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab.random import rand, randi, randn
from ufldl_py.ufldl.cnn import cnnConvolve, cnnPool


def main(argv=None) -> int:
    parser = exercise.parser("cnnExercise", __doc__)
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # STEP 0: Initialization and Load Data
    imageDim = 28
    filterDim = 8
    numFilters = 100
    poolDim = 3
    images = data.loadMNISTImages(data.mnist_path("train-images"))
    numImages = images.shape[1]
    images = images.reshape(imageDim, imageDim, numImages, order="F")

    W = randn(filterDim, filterDim, numFilters)
    b = rand(numFilters)

    # STEP 1: Implement and test convolution
    convImages = images[:, :, :8]
    convolvedFeatures = cnnConvolve(filterDim, numFilters, convImages, W, b)
    bflat = b.ravel(order="F")  # b(filterNum): linear indexing, as in MATLAB
    for _ in range(1000):
        filterNum = int(randi([1, numFilters]))
        imageNum = int(randi([1, 8]))
        imageRow = int(randi([1, imageDim - filterDim + 1]))
        imageCol = int(randi([1, imageDim - filterDim + 1]))
        patch = convImages[imageRow - 1:imageRow - 1 + filterDim,
                           imageCol - 1:imageCol - 1 + filterDim, imageNum - 1]
        feature = np.sum(patch * W[:, :, filterNum - 1]) + bflat[filterNum - 1]
        feature = 1.0 / (1.0 + np.exp(-feature))
        got = convolvedFeatures[imageRow - 1, imageCol - 1, filterNum - 1, imageNum - 1]
        if abs(feature - got) > 1e-9:
            print("Convolved feature does not match test feature")
            print(f"Filter Number    : {filterNum}")
            print(f"Image Number      : {imageNum}")
            print(f"Image Row         : {imageRow}")
            print(f"Image Column      : {imageCol}")
            print(f"Convolved feature : {got:0.5f}")
            print(f"Test feature : {feature:0.5f}")
            raise SystemExit("Convolved feature does not match test feature")
    print("Congratulations! Your convolution code passed the test.")

    # STEP 2: Implement and test pooling
    pooledFeatures = cnnPool(poolDim, convolvedFeatures)
    testMatrix = np.arange(1.0, 65.0).reshape(8, 8, order="F")
    expectedMatrix = np.array([[testMatrix[:4, :4].mean(), testMatrix[:4, 4:].mean()],
                               [testMatrix[4:, :4].mean(), testMatrix[4:, 4:].mean()]])
    pooledFeatures = cnnPool(4, testMatrix.reshape(8, 8, 1, 1)).squeeze()
    if not np.array_equal(pooledFeatures, expectedMatrix):
        print("Pooling incorrect")
        print("Expected")
        print(expectedMatrix)
        print("Got")
        print(pooledFeatures)
        return 1
    print("Congratulations! Your pooling code passed the test.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
