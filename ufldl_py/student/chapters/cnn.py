"""The cnn chapter of student mode: stanford_dl_ex/cnn: cnnConvolve, cnnPool, cnnCost (cnnExercise,
cnnTrain).
"""

from __future__ import annotations

import functools

import numpy as np

from ...matlab.ops import conv2
from ...testing import PROBLEMS
from ...ufldl import cnn as ucnn
from ._common import (Chapter, Edited, Function, Mistake, central_difference_check, pool_mistakes,
                      top_label_left_out, wrapped_labels, zero_based)

__all__ = ["CNN"]


def _cnn_convolve_inputs(rng, trial):
    theta, images, _, C, f, K, p = PROBLEMS["cnnCost"](rng)
    Wc, _, bc, _ = ucnn.cnnParamsToStack(theta, images.shape[0], f, K, p, C)
    return int(f), int(K), images, Wc.copy(), bc.copy()


def _cnn_pool_inputs(rng, trial):
    p, cf = PROBLEMS["cnnPool"](rng)
    return int(p), cf


def _cnn_cost_inputs(rng, trial):
    theta, images, labels, C, f, K, p = PROBLEMS["cnnCost"](rng)
    return theta, images, top_label_left_out(labels, int(C), trial), int(C), int(f), int(K), \
        int(p)


def _cnn_layout(args):
    """The parameters in cnnCost's grad: Wc, Wd, bc, bd (cnnParamsToStack's order)."""
    _, images, _, C, f, K, p = args[:7]
    hidden = ((np.shape(images)[0] - f + 1) // p) ** 2 * K
    return [("Wc", (f, f, K)), ("Wd", (C, hidden)), ("bc", (K,)), ("bd", (C,))]


def _convolve_unflipped(filterDim, numFilters, images, W, b):
    return ucnn.cnnConvolve(filterDim, numFilters, images, np.asarray(W)[::-1, ::-1], b)


def _convolve_no_bias(filterDim, numFilters, images, W, b):
    return ucnn.cnnConvolve(filterDim, numFilters, images, W, np.zeros(numFilters))


def _convolve_no_sigmoid(filterDim, numFilters, images, W, b):
    images, W = np.asarray(images), np.asarray(W)
    b = np.ravel(b, order="F")
    d = images.shape[0] - filterDim + 1
    out = np.zeros((d, d, numFilters, images.shape[2]))
    for i in range(images.shape[2]):
        for k in range(numFilters):
            out[:, :, k, i] = conv2(images[:, :, i], W[::-1, ::-1, k], "valid") + b[k]
    return out


def _cnn_decay(theta, images, numClasses, filterDim, numFilters, poolDim, lambda_):
    """The weight decay's cost and gradient of cnnCost."""
    Wc, Wd, _, _ = ucnn.cnnParamsToStack(theta, np.shape(images)[0], filterDim, numFilters,
                                         poolDim, numClasses)
    cost = lambda_ / 2 * (np.sum(Wc ** 2) + np.sum(Wd ** 2))
    grad = np.zeros(np.size(theta))
    grad[:Wc.size + Wd.size] = lambda_ * np.concatenate([Wc.ravel(order="F"),
                                                         Wd.ravel(order="F")])
    return cost, grad


def _cost_no_mean(theta, images, labels, numClasses, filterDim, numFilters, poolDim, *,
                  lambda_, in_grad=True):
    """cnnCost with the cross entropy summed over the images (no 1/m), in the gradient too
    unless ``in_grad`` is False (then in the cost only)."""
    m = np.shape(images)[2]
    c0, g0 = ucnn.cnnCost(theta, images, labels, numClasses, filterDim, numFilters, poolDim,
                          lambda_=0.0)
    dc, dg = _cnn_decay(theta, images, numClasses, filterDim, numFilters, poolDim, lambda_)
    return m * c0 + dc, (m * g0 if in_grad else g0) + dg


def _decay_on_biases(theta, images, labels, numClasses, filterDim, numFilters, poolDim):
    """cnnCost (weight decay LAMBDA) with the decay on bc and bd too."""
    cost, grad = ucnn.cnnCost(theta, images, labels, numClasses, filterDim, numFilters,
                              poolDim)
    Wc, Wd, bc, bd = ucnn.cnnParamsToStack(theta, np.shape(images)[0], filterDim, numFilters,
                                           poolDim, numClasses)
    b = np.concatenate([bc, bd])
    grad = grad.copy()
    grad[Wc.size + Wd.size:] += ucnn.LAMBDA * b
    return cost + ucnn.LAMBDA / 2 * np.sum(b ** 2), grad


def _cost_row_major(theta, images, labels, numClasses, filterDim, numFilters, poolDim, *,
                    lambda_):
    """cnnCost with activationsPooled and the pooled layer's error reshaped row-major
    (order='C'): the same as the port with Wd's columns permuted."""
    Wc, Wd, bc, bd = ucnn.cnnParamsToStack(theta, np.shape(images)[0], filterDim, numFilters,
                                           poolDim, numClasses)
    od = (np.shape(images)[0] - filterDim + 1) // poolDim
    perm = np.arange(Wd.shape[1]).reshape(od, od, numFilters).ravel(order="F")
    t = np.concatenate([Wc.ravel(order="F"), Wd[:, perm].ravel(order="F"), bc, bd])
    cost, grad = ucnn.cnnCost(t, images, labels, numClasses, filterDim, numFilters, poolDim,
                              lambda_=lambda_)
    gWd = grad[Wc.size:Wc.size + Wd.size].reshape(Wd.shape, order="F")
    student = np.empty_like(gWd)
    student[:, perm] = gWd
    grad = grad.copy()
    grad[Wc.size:Wc.size + Wd.size] = student.ravel(order="F")
    return cost, grad


def _cnn_cost_mistakes():
    out = []
    for lam in (ucnn.LAMBDA, 0.0):
        ref = functools.partial(ucnn.cnnCost, lambda_=lam)
        out += [
            Mistake("a missing 1/m: the cross entropy and its gradient summed over the "
                    "images instead of averaged (numImages = size(images, 3))",
                    functools.partial(_cost_no_mean, lambda_=lam)),
            Mistake("labels taken as 0-based: they are 1..numClasses as in MATLAB, so the "
                    "row of label l is l - 1",
                    zero_based(ref, 2, lambda a: int(a[3]))),
            Mistake("the cost's 1/m missing: the cross entropy summed over the images, "
                    "where the gradient averages (numImages = size(images, 3))",
                    functools.partial(_cost_no_mean, lambda_=lam, in_grad=False)),
            wrapped_labels(ref, 2, lambda a: int(a[3])),
            Mistake("a row-major reshape: activationsPooled (and the error backpropagated "
                    "to the pooling layer) must be reshaped column-major, as MATLAB's reshape "
                    "does (order='F')",
                    functools.partial(_cost_row_major, lambda_=lam)),
            Mistake("a row-major reshape of the error backpropagated to the pooling layer "
                    "(Wd' times the softmax layer's error, reshaped to outputDim x outputDim x "
                    "numFilters x numImages): reshape it column-major, as MATLAB's reshape "
                    "does (order='F')",
                    Edited("cnn", "cnnCost", 'numFilters, numImages, order="F")',
                           "numFilters, numImages)", lambda_=lam)),
        ]
    out.append(Mistake("weight decay on the biases: it is lambda_/2 * (|Wd|^2 + |Wc|^2), on "
                       "the weights only (not bc, bd), in the cost and in the gradient",
                       _decay_on_biases))
    return tuple(out)


def _cnn_exercise_convolution_check(fn):
    """cnnExercise's STEP 1b: 1,000 random points of the convolution of 8 MNIST images with
    100 random 8x8 filters, each computed directly."""
    from ... import data

    imageDim, filterDim, numFilters = 28, 8, 100
    images = data.loadMNISTImages(data.mnist_path("train-images"))[:, :8]
    convImages = images.reshape(imageDim, imageDim, 8, order="F")
    rng = np.random.default_rng(2013)
    W = rng.standard_normal((filterDim, filterDim, numFilters))
    b = rng.random(numFilters)
    convolvedFeatures = np.asarray(fn(filterDim, numFilters, convImages, W, b))
    convDim = imageDim - filterDim + 1
    if convolvedFeatures.shape != (convDim, convDim, numFilters, 8):
        return False, (f"convolvedFeatures has shape {convolvedFeatures.shape}, expected "
                       f"{(convDim, convDim, numFilters, 8)}")
    for _ in range(1000):
        k, n = int(rng.integers(numFilters)), int(rng.integers(8))
        r, c = int(rng.integers(convDim)), int(rng.integers(convDim))
        patch = convImages[r:r + filterDim, c:c + filterDim, n]
        feature = 1 / (1 + np.exp(-(np.sum(patch * W[:, :, k]) + b[k])))
        got = convolvedFeatures[r, c, k, n]
        if not abs(feature - got) <= 1e-9:
            return False, (f"Convolved feature does not match test feature: filter {k + 1}, "
                           f"image {n + 1}, row {r + 1}, column {c + 1}: got {got:0.5f}, "
                           f"expected {feature:0.5f}")
    return True, "1,000 points of 8 MNIST images with 100 filters"


def _cnn_exercise_pooling_check(fn):
    """cnnExercise's STEP 2b: cnnPool(4, reshape(1:64, 8, 8)) is the 2 x 2 block means."""
    testMatrix = np.arange(1.0, 65.0).reshape(8, 8, order="F")
    expected = np.array([[testMatrix[:4, :4].mean(), testMatrix[:4, 4:].mean()],
                         [testMatrix[4:, :4].mean(), testMatrix[4:, 4:].mean()]])
    got = np.asarray(fn(4, testMatrix.reshape(8, 8, 1, 1)), dtype=np.float64)
    if got.size != 4 or not np.array_equal(got.reshape(2, 2), expected):
        return False, (f"Pooling incorrect: expected {expected.tolist()}, got "
                       f"{got.squeeze().tolist()}")
    return True, "the 8 x 8 test matrix"


def _cnn_train_gradient_check(fn):
    """cnnTrain's STEP 2 (DEBUG) on a smaller network: computeNumericalGradient against the
    gradient, norm(numGrad - grad) / norm(numGrad + grad) < 1e-9."""
    rng = np.random.default_rng(7)
    C, f, K, p, imageDim, m = 3, 3, 2, 2, 8, 4
    hidden = ((imageDim - f + 1) // p) ** 2 * K
    theta = 0.1 * rng.standard_normal(f * f * K + C * hidden + K + C)
    images = rng.random((imageDim, imageDim, m))
    labels = rng.integers(1, C + 1, m).astype(float)
    return central_difference_check(fn, theta, (images, labels, C, f, K, p), 1e-9,
                                    _cnn_layout)


CNN = Chapter(
    name="cnn", origin="stanford_dl_ex/cnn",
    title="Convolutional neural network: convolution, pooling, the network's cost",
    drivers=("cnnExercise", "cnnTrain"),
    functions=(
        Function(
            "cnnConvolve", ucnn.cnnConvolve_loop, ucnn.cnnConvolve, _cnn_convolve_inputs,
            ("convolvedFeatures",),
            doc="""Convolve every filter with every image, add its bias, apply the sigmoid.

    Parameters: filterDim (the filters' height and width), numFilters, images
    (imageDim x imageDim x numImages), W (filterDim x filterDim x numFilters), b (numFilters
    biases). Returns convolvedFeatures (convDim x convDim x numFilters x numImages, convDim =
    imageDim - filterDim + 1), where convolvedFeatures[r, c, k, n] is feature k of image n
    over the region (r, c) to (r + filterDim - 1, c + filterDim - 1).""",
            imports="from ufldl_py.matlab.ops import conv2, rot90",
            gaps={
                "cnnConvolve/filter": "Obtain the feature (filterDim x filterDim) of filter "
                                      "filterNum from W, as filt.",
                "cnnConvolve/conv2": "Convolve filt with im, adding the result to "
                                     "convolvedImage; be sure to do a 'valid' convolution "
                                     "(conv2(im, filt, 'valid')).",
                "cnnConvolve/sigmoid": "Add the bias unit of filter filterNum, then apply the "
                                       "sigmoid function to get the hidden activation.",
            },
            mistakes=(
                Mistake("the filter is flipped once too often (or not at all): conv2(im, "
                        "filt) is a convolution, which flips filt, and the feature wants the "
                        "correlation sum(patch .* W(:,:,k)); so conv2 must get W(:,:,k) "
                        "flipped once, rot90(filt, 2), as the template does after your filt "
                        "(take filt = W(:,:,k) unflipped)", _convolve_unflipped),
                Mistake("the bias b(k) is not added", _convolve_no_bias),
                Mistake("the sigmoid is not applied", _convolve_no_sigmoid),
            ),
            checks=(("cnnExercise's convolution check", _cnn_exercise_convolution_check),)),
        Function(
            "cnnPool", ucnn.cnnPool_loop, ucnn.cnnPool, _cnn_pool_inputs, ("pooledFeatures",),
            doc="""Mean-pool the convolved features over poolDim x poolDim regions.

    Parameters: poolDim (the pooling region's height and width), convolvedFeatures
    (convolvedDim x convolvedDim x numFeatures x numImages, as cnnConvolve gives). Returns
    pooledFeatures (convolvedDim/poolDim x convolvedDim/poolDim x numFeatures x numImages),
    where pooledFeatures[r, c, k, n] is the mean of feature k of image n over the pooling
    region (r, c).""",
            gaps={"cnnPool/pool": "Pool the convolved features in regions of poolDim x "
                                  "poolDim to obtain pooledFeatures (see the docstring). "
                                  "Use mean pooling; the regions do not overlap."},
            mistakes=pool_mistakes(rows_axis=0),
            checks=(("cnnExercise's pooling test", _cnn_exercise_pooling_check),)),
        Function(
            "cnnCost", ucnn.cnnCost_loop, ucnn.cnnCost, _cnn_cost_inputs, ("cost", "grad"),
            doc="""Cost and gradient of a convolutional layer followed by a softmax layer
    with the cross entropy objective.

    Parameters: theta (the unrolled parameters [Wc(:); Wd(:); bc(:); bd(:)]), images
    (imageDim x imageDim x numImages), labels (1..numClasses), numClasses, filterDim,
    numFilters, poolDim, pred (only forward propagate and return predictions). Returns cost
    (the cross entropy), grad (the gradient with respect to theta; 0 when pred) and, when
    pred, preds (the predicted labels). lambda_ is the weight decay: the template has none
    (lambda_ = 0); the checker accepts either.

    Shapes: Wc filterDim x filterDim x numFilters, Wd numClasses x hiddenSize, bc numFilters,
    bd numClasses, with convDim = imageDim - filterDim + 1, outputDim = convDim / poolDim and
    hiddenSize = outputDim^2 * numFilters; activations convDim x convDim x numFilters x
    numImages, activationsPooled outputDim x outputDim x numFilters x numImages.

    Running time (measured, cnnTrain's minibatch of 256 28 x 28 images, 20 9 x 9 filters):
    the port takes about 0.15 s a call, a completion with loops over the images and filters,
    as this template's, 1 to 2 s; cnnTrain's 3 epochs are about 700 calls (about 15 to 25
    minutes with loops); `python3 cnnTrain.py --max-images 2000` trains on fewer.""",
            imports="from ufldl_py.matlab.ops import conv2, kron, onehot, rot90\n"
                    "from ufldl_py.ufldl.cnn import LAMBDA, cnnParamsToStack\n"
                    "# the port's cnnConvolve and cnnPool, so that this file is checked on its "
                    "own;\n# to use yours: from cnnConvolve import cnnConvolve; from cnnPool "
                    "import cnnPool\nfrom ufldl_py.ufldl.cnn import cnnConvolve, cnnPool",
            gaps={
                "cnnCost/convolution": "Convolutional layer: for each image and each filter, "
                                       "convolve the image with the filter, add the bias and "
                                       "apply the sigmoid (cnnConvolve); then subsample with "
                                       "mean pooling (cnnPool). Keep the convolved "
                                       "activations in activations (backpropagation needs "
                                       "them) and the pooled ones in activationsPooled.",
                "cnnCost/softmax": "Softmax layer: forward propagate activationsPooled "
                                   "(hiddenSize x numImages) through the softmax layer (Wd, "
                                   "bd); store the class probabilities (numClasses x "
                                   "numImages) in probs.",
                "cnnCost/cost": "Evaluate the cross entropy objective from labels and probs, "
                                "averaged over the images (plus the weight decay lambda_/2 * "
                                "(|Wd|^2 + |Wc|^2), if you add one); store it in cost.",
                "cnnCost/backpropagation": "Backpropagate the errors through the softmax "
                                           "layer (as usual) and the pooling layer: upsample "
                                           "each filter's and image's pooled error with kron "
                                           "and a matrix of ones (divided by poolDim^2), then "
                                           "multiply by the sigmoid's derivative.",
                "cnnCost/gradient": "The gradients: the softmax layer's as usual; a filter's "
                                    "by convolving its backpropagated error with each image "
                                    "and adding over the images; store them in Wc_grad, "
                                    "Wd_grad, bc_grad and bd_grad.",
            },
            variants=(("no weight decay (as the template leaves it)",
                       functools.partial(ucnn.cnnCost, lambda_=0.0)),),
            completion="weight decay lambda = 3e-3 on Wc and Wd (the port's default)",
            mistakes=_cnn_cost_mistakes(),
            checks=(("cnnTrain's gradient check", _cnn_train_gradient_check),),
            layout=_cnn_layout),
    ))
