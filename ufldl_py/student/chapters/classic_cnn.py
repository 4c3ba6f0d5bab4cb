"""The classic_cnn chapter of student mode: UFLDL/cnn_exercise: cnnConvolve, cnnPool."""

from __future__ import annotations


import numpy as np

from ...ufldl_classic import cnn as ccnn
from ...testing import PROBLEMS, color_convolution
from ._common import Chapter, Function, Mistake, pool_mistakes, with_ints

__all__ = ["CLASSIC_CNN"]


def _classic_convolve_inputs(rng, trial):
    return with_ints(PROBLEMS["classic.cnnConvolve"](rng), 0, 1)


def _classic_conv_unflipped(patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch):
    """Each channel's feature flipped once more (a correlation, not a convolution)."""
    WT = np.asarray(W) @ np.asarray(ZCAWhite)
    bt = np.ravel(b) - WT @ np.ravel(meanPatch)
    C = np.shape(images)[2]
    Wf = WT.reshape(numFeatures, C, patchDim, patchDim)[:, :, ::-1, ::-1].reshape(numFeatures,
                                                                                  -1)
    return ccnn.cnnConvolve(patchDim, numFeatures, images, Wf, bt, np.eye(WT.shape[1]),
                            np.zeros(WT.shape[1]))


def _classic_conv_raw(patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch):
    v = np.shape(W)[1]
    return ccnn.cnnConvolve(patchDim, numFeatures, images, W, b, np.eye(v), np.zeros(v))


def _classic_conv_no_zca(patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch):
    v = np.shape(W)[1]
    return ccnn.cnnConvolve(patchDim, numFeatures, images, W, b, np.eye(v), meanPatch)


def _classic_conv_no_mean(patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch):
    v = np.shape(W)[1]
    return ccnn.cnnConvolve(patchDim, numFeatures, images, W, b, ZCAWhite, np.zeros(v))


def _classic_pool_inputs(rng, trial):
    return with_ints(PROBLEMS["classic.cnnPool"](rng), 0)


def _classic_convolution_check(fn):
    """cnnExercise's STEP 2a on random features: 1,000 random points of the convolution of 8
    random 16x16 colour images with 20 random 8x8x3 features (ZCA whitening of random
    patches), each the autoencoder's hidden activation of the whitened patch
    (feedForwardAutoencoder of ZCAWhite * (patch - meanPatch))."""
    rng = np.random.default_rng(2011)
    patchDim, hiddenSize, imageDim, numImages = 8, 20, 16, 8
    _, _, images, W, b, ZCAWhite, meanPatch = color_convolution(
        rng, patchDim, hiddenSize, 3, imageDim, numImages)
    W *= 0.2
    convolvedFeatures = np.asarray(fn(patchDim, hiddenSize, images, W, b, ZCAWhite,
                                      meanPatch))
    convDim = imageDim - patchDim + 1
    shape = (hiddenSize, numImages, convDim, convDim)
    if convolvedFeatures.shape != shape:
        return False, f"convolvedFeatures has shape {convolvedFeatures.shape}, expected {shape}"
    for _ in range(1000):
        k, n = int(rng.integers(hiddenSize)), int(rng.integers(numImages))
        r, c = int(rng.integers(convDim)), int(rng.integers(convDim))
        patch = images[r:r + patchDim, c:c + patchDim, :, n].ravel(order="F")
        patch = ZCAWhite @ (patch - meanPatch)
        feature = 1 / (1 + np.exp(-(W[k] @ patch + b[k])))
        got = convolvedFeatures[k, n, r, c]
        if not abs(feature - got) <= 1e-9:
            return False, (f"Convolved feature does not match activation from autoencoder: "
                           f"feature {k + 1}, image {n + 1}, row {r + 1}, column {c + 1}: got "
                           f"{got:0.5f}, expected {feature:0.5f}")
    return True, "1,000 points of 8 images with 20 features"


def _classic_pooling_check(fn):
    """cnnExercise's STEP 2b: cnnPool(4, testMatrix) with testMatrix = reshape(1:64, 8, 8)
    as a 1 x 1 x 8 x 8 array is the means of its 2 x 2 blocks."""
    testMatrix = np.arange(1.0, 65.0).reshape(8, 8, order="F")
    expected = np.array([[testMatrix[:4, :4].mean(), testMatrix[:4, 4:].mean()],
                         [testMatrix[4:, :4].mean(), testMatrix[4:, 4:].mean()]])
    got = np.asarray(fn(4, testMatrix.reshape(1, 1, 8, 8)), dtype=np.float64)
    if got.size != 4 or not np.array_equal(got.reshape(2, 2), expected):
        return False, (f"Pooling incorrect: expected {expected.tolist()}, got "
                       f"{got.squeeze().tolist()}")
    return True, "the 8 x 8 test matrix"


CLASSIC_CNN = Chapter(
    name="classic_cnn", origin="UFLDL/cnn_exercise",
    title="Convolution and pooling (the original UFLDL exercise): cnnConvolve with the linear "
          "decoder's whitened features, cnnPool",
    drivers=("cnn_exercise",),
    functions=(
        Function(
            "cnnConvolve", ccnn.cnnConvolve_loop, ccnn.cnnConvolve, _classic_convolve_inputs,
            ("convolvedFeatures",),
            doc="""Convolve the features given by W and b with the large images.

    Parameters: patchDim (the features' side), numFeatures, images (imageDim x imageDim x
    imageChannels x numImages, images[r, c, channel, n]), W and b (the features of the
    sparse autoencoder: W numFeatures x patchDim^2*imageChannels, its columns channel by
    channel, each channel's patch unrolled column-major), ZCAWhite and meanPatch (the ZCA
    whitening matrix and the mean patch of the preprocessing). Returns convolvedFeatures
    (numFeatures x numImages x convDim x convDim, convDim = imageDim - patchDim + 1), where
    convolvedFeatures[k, n, r, c] is the value of feature k for image n over the region (r,
    c) to (r + patchDim - 1, c + patchDim - 1): the hidden activation of that patch, whitened
    as the features' training patches were.""",
            imports="from ufldl_py.matlab.ops import conv2",
            gaps={
                "cnnConvolve/precompute": "Precompute the matrices used during the "
                                          "convolution, WT and bt: the whitening and the mean "
                                          "subtraction must be taken into account "
                                          "(W * (ZCAWhite * (x - meanPatch)) + b = WT * x + bt).",
                "cnnConvolve/feature": "Obtain the feature (patchDim x patchDim) of feature "
                                       "featureNum and this channel from WT, as feature "
                                       "(the channel's patchDim^2 columns, reshaped "
                                       "column-major as MATLAB's reshape does).",
                "cnnConvolve/conv2": "Convolve feature with im, adding the result to "
                                     "convolvedImage; be sure to do a 'valid' convolution "
                                     "(conv2(im, feature, 'valid')).",
                "cnnConvolve/sigmoid": "Add the bias unit (corrected for the mean subtraction "
                                       "as well), then apply the sigmoid function to get the "
                                       "hidden activation.",
            },
            mistakes=(
                Mistake("the filter is not flipped: conv2 with the unflipped feature computes "
                        "a correlation (the template flips feature with flipud(fliplr(...)); "
                        "flipping it yourself as well undoes that)", _classic_conv_unflipped),
                Mistake("neither the ZCA whitening nor the mean patch applied: the features "
                        "act on whitened patches, so use W * ZCAWhite and b - W * ZCAWhite * "
                        "meanPatch", _classic_conv_raw),
                Mistake("the ZCA whitening not applied (W where W * ZCAWhite is needed)",
                        _classic_conv_no_zca),
                Mistake("the mean patch not subtracted: the bias must be b - WT * meanPatch",
                        _classic_conv_no_mean),
            ),
            checks=(("cnnExercise's convolution check", _classic_convolution_check),)),
        Function(
            "cnnPool", ccnn.cnnPool_loop, ccnn.cnnPool, _classic_pool_inputs,
            ("pooledFeatures",),
            doc="""Mean-pool the convolved features over poolDim x poolDim regions.

    Parameters: poolDim (the pooling regions' side), convolvedFeatures (numFeatures x
    numImages x convolvedDim x convolvedDim, as cnnConvolve gives them). Returns
    pooledFeatures (numFeatures x numImages x resDim x resDim, resDim = floor(convolvedDim /
    poolDim)), where pooledFeatures[k, n, r, c] is the mean of feature k of image n over the
    pooling region (r, c); the rows and columns beyond resDim * poolDim are left out.""",
            gaps={"cnnPool/pool": "Pool the convolved features in regions of poolDim x "
                                  "poolDim to obtain pooledFeatures (see the docstring). "
                                  "Use mean pooling; the regions do not overlap."},
            mistakes=pool_mistakes(rows_axis=2),
            checks=(("cnnExercise's pooling test", _classic_pooling_check),)),
    ))
