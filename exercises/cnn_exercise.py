"""Convolution and pooling (the original UFLDL cnn_exercise/cnnExercise.m).

Loads the linear decoder's features (STL10Features.mat, written by
linear_decoder_exercise), checks cnnConvolve against feedForwardAutoencoder on 1,000 random
points of 8 images and cnnPool on a test matrix, convolves every feature with the labelled
colour images and mean-pools the maps into 3x3 pooled maps, trains softmax regression on the
pooled features (lambda 1e-4, 200 iterations) and prints the test accuracy, as the MATLAB
script does.

The images are the tutorial's STL-10 subsets (64x64: 57x57 maps, pooled over 19x19 regions,
as in the script) with --train-subset/--test-subset, else the labelled set shipped with
ufldl_py: a subset of Fashion-MNIST, 1,600 training and 800 test images of pullovers, coats,
sandals and sneakers (ufldl_py.data.load_stl_subset; 28x28 grey, given as colour images whose
three channels are the grey levels, so 21x21 maps, pooled over 7x7 regions). imageDim comes
from the images; poolDim is a third of the maps' side unless --pool-dim is given.

    ufldl-py run cnn_exercise [--features STL10Features.mat] [--train-subset FILE
                              --test-subset FILE] [--pool-dim N] [--seed S]
"""

import sys
import time

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab import io
from ufldl_py.matlab import random as mrandom
from ufldl_py.plot import figures_dir, savefig
from ufldl_py.ufldl_classic.cnn import cnnConvolve, cnnPool
from ufldl_py.ufldl_classic.linear_decoder import displayColorNetwork
from ufldl_py.ufldl_classic.softmax import softmaxPredict, softmaxTrain
from ufldl_py.ufldl_classic.stl import feedForwardAutoencoder


def convolve_and_pool(images, W, b, ZCAWhite, meanPatch, patchDim, poolDim, stepSize,
                      what):
    """STEP 3: the pooled features of all images, stepSize features at a time (and 100
    images at a time, so that the convolved maps stay small)."""
    hiddenSize, numImages = W.shape[0], images.shape[3]
    resDim = (images.shape[0] - patchDim + 1) // poolDim
    pooled = np.zeros((hiddenSize, numImages, resDim, resDim))
    start = time.perf_counter()
    for featureStart in range(0, hiddenSize, stepSize):
        featureEnd = min(featureStart + stepSize, hiddenSize)
        print(f"Convolving and pooling {what} images, features {featureStart + 1} to "
              f"{featureEnd}", flush=True)
        for s in range(0, numImages, 100):
            conv = cnnConvolve(patchDim, featureEnd - featureStart, images[..., s:s + 100],
                               W[featureStart:featureEnd], b[featureStart:featureEnd],
                               ZCAWhite, meanPatch)
            pooled[featureStart:featureEnd, s:s + 100] = cnnPool(poolDim, conv)
    print(f"{what}: {time.perf_counter() - start:.1f} s")
    return pooled


def main(argv=None) -> int:
    parser = exercise.parser("cnn_exercise", __doc__)
    parser.add_argument("--features", default=None,
                        help="STL10Features.mat (default: the figures directory's, as "
                             "linear_decoder_exercise writes it)")
    parser.add_argument("--train-subset", default=None, help="the tutorial's stlTrainSubset.mat")
    parser.add_argument("--test-subset", default=None, help="the tutorial's stlTestSubset.mat")
    parser.add_argument("--pool-dim", type=exercise.positive_int, default=None,
                        help="the pooling regions' side (default: a third of the convolved "
                             "maps' side, 19 for 64x64 images, 7 for 28x28)")
    parser.add_argument("--softmax-iter", type=exercise.positive_int, default=200)
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    if (args.train_subset is None) != (args.test_subset is None):
        parser.error("--train-subset and --test-subset go together")
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # STEP 0: parameters (imageDim and poolDim from the images, once loaded)
    patchDim = 8
    visibleSize = patchDim * patchDim * 3

    # STEP 1: the features learned by linear_decoder_exercise
    path = args.features or figures_dir() / "STL10Features.mat"
    try:
        f = io.loadmat(path)
    except FileNotFoundError:
        raise SystemExit(f"cnn_exercise: {path} not found; run `ufldl-py run "
                         f"linear_decoder_exercise` first (or give --features)") from None
    optTheta = np.ravel(f["optTheta"])
    ZCAWhite, meanPatch = f["ZCAWhite"], np.ravel(f["meanPatch"])
    hiddenSize = (optTheta.size - visibleSize) // (2 * visibleSize + 1)
    W = optTheta[:visibleSize * hiddenSize].reshape(hiddenSize, visibleSize, order="F")
    b = optTheta[2 * hiddenSize * visibleSize:2 * hiddenSize * visibleSize + hiddenSize]
    fig, _ = displayColorNetwork((W @ ZCAWhite).T)
    print(f"saved {savefig(fig, 'cnn_exercise_features')}")

    # STEP 2: implement and test convolution and pooling
    trainImages, trainLabels = data.load_stl_subset("train", args.train_subset)
    testImages, testLabels = data.load_stl_subset("test", args.test_subset)
    if args.train_subset:
        source = f"the STL-10 subsets {args.train_subset} and {args.test_subset}"
    else:
        source = (f"the Fashion-MNIST subset shipped in {data.STL_SUBSET}: "
                  f"{', '.join(data.STL_SUBSET_CLASSES)}; grey in all three channels")
    imageDim = trainImages.shape[0]
    if testImages.shape[:3] != trainImages.shape[:3]:
        raise SystemExit(f"cnn_exercise: the training images are {trainImages.shape[:3]}, "
                         f"the test images {testImages.shape[:3]}")
    convolvedDim = imageDim - patchDim + 1
    poolDim = args.pool_dim or max(convolvedDim // 3, 1)
    if poolDim > convolvedDim:
        parser.error(f"poolDim {poolDim} is larger than the convolved maps' side, "
                     f"{convolvedDim} ({imageDim}x{imageDim} images, {patchDim}x{patchDim} "
                     "features)")
    print(f"images: {trainImages.shape[3]} training, {testImages.shape[3]} test, "
          f"{imageDim}x{imageDim}x3 ({source}); poolDim {poolDim}: "
          f"{convolvedDim // poolDim}x{convolvedDim // poolDim} pooled maps")
    convImages = trainImages[..., :8]
    convolvedFeatures = cnnConvolve(patchDim, hiddenSize, convImages, W, b, ZCAWhite,
                                    meanPatch)
    for _ in range(1000):
        featureNum = int(mrandom.randi([1, hiddenSize])) - 1
        imageNum = int(mrandom.randi([1, 8])) - 1
        imageRow = int(mrandom.randi([1, imageDim - patchDim + 1])) - 1
        imageCol = int(mrandom.randi([1, imageDim - patchDim + 1])) - 1
        patch = convImages[imageRow:imageRow + patchDim, imageCol:imageCol + patchDim, :,
                           imageNum].ravel(order="F")
        patch = ZCAWhite @ (patch - meanPatch)
        features = feedForwardAutoencoder(optTheta, hiddenSize, visibleSize, patch)
        if abs(features[featureNum, 0]
               - convolvedFeatures[featureNum, imageNum, imageRow, imageCol]) > 1e-9:
            raise SystemExit("Convolved feature does not match activation from autoencoder")
    print("Congratulations! Your convolution code passed the test.")
    testMatrix = np.arange(1, 65, dtype=float).reshape(8, 8, order="F")
    expectedMatrix = np.array([[testMatrix[:4, :4].mean(), testMatrix[:4, 4:].mean()],
                               [testMatrix[4:, :4].mean(), testMatrix[4:, 4:].mean()]])
    pooledFeatures = cnnPool(4, testMatrix.reshape(1, 1, 8, 8)).squeeze()
    if not np.array_equal(pooledFeatures, expectedMatrix):
        raise SystemExit("Pooling incorrect")
    print("Congratulations! Your pooling code passed the test.")

    # STEP 3: convolve and pool with the dataset
    stepSize = 25
    pooledFeaturesTrain = convolve_and_pool(trainImages, W, b, ZCAWhite, meanPatch, patchDim,
                                            poolDim, stepSize, "train")
    pooledFeaturesTest = convolve_and_pool(testImages, W, b, ZCAWhite, meanPatch, patchDim,
                                           poolDim, stepSize, "test")

    # STEP 4: softmax on the pooled features
    numTrainImages = trainImages.shape[3]
    inputSize = pooledFeaturesTrain.size // numTrainImages
    softmaxX = pooledFeaturesTrain.transpose(0, 2, 3, 1).reshape(inputSize, numTrainImages,
                                                                 order="F")
    numClasses = int(trainLabels.max())
    softmaxModel = softmaxTrain(inputSize, numClasses, 1e-4, softmaxX, trainLabels,
                                {"maxIter": args.softmax_iter})

    # STEP 5: test
    softmaxX = pooledFeaturesTest.transpose(0, 2, 3, 1).reshape(inputSize, -1, order="F")
    pred = softmaxPredict(softmaxModel, softmaxX)
    acc = np.mean(pred == testLabels)
    print(f"Accuracy: {acc * 100:2.3f}%")  # about 80% on the STL-10 subsets
    return 0


if __name__ == "__main__":
    sys.exit(main())
