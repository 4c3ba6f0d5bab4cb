"""The UFLDL convolutional network chapter (stanford_dl_ex/cnn).

One convolutional layer (sigmoid), mean pooling and a softmax layer with cross entropy:

    images --cnnConvolve--> activations --cnnPool--> activationsPooled --Wd, bd--> probs

``cnnConvolve``, ``cnnPool`` and ``cnnCost`` are the fast forms: every image and every
filter at once, on blocks of CHUNK images that run on all cores, each step a named kernel
of :mod:`ufldl_py.kernels` (the convolution as one matrix product with the images' patches,
``im2col``; the filter gradient as one more product with the same patches).
``cnnConvolve_loop``, ``cnnPool_loop`` and ``cnnCost_loop`` are the completed .m files line
by line (``cnnCost_loop`` *is* the completed cnnCost.m); the tests hold the fast forms to
them.

The YOUR CODE HERE parts are completed as the tutorial intends and as the completion in the
project's derivation notes does (the completion the golden fixtures were made with):

- cnnConvolve: ``convolvedImage = conv2(im, rot90(W(:,:,k), 2), 'valid')``, then
  ``sigmoid(convolvedImage + b(k))``;
- cnnPool: the mean of each poolDim x poolDim block;
- cnnCost: a numerically stable softmax (the column maximum subtracted), the cross entropy
  averaged over the images plus weight decay ``lambda/2 * (|Wd|^2 + |Wc|^2)``, ``lambda =
  3e-3`` (the template has no weight decay: ``lambda_=0`` gives that completion), the
  pooling error upsampled with ``kron(delta, ones(poolDim)) / poolDim^2``.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from .. import kernels
from ..matlab import random as mrandom
from ..matlab import validate
from ..matlab.ops import conv2, kron, onehot, rot90

__all__ = [
    "cnnConvolve", "cnnPool", "cnnParamsToStack", "cnnCost", "cnnInitParams",
    "computeNumericalGradient", "minFuncSGD", "cnnConvolve_loop", "cnnPool_loop",
    "cnnCost_loop", "LAMBDA",
]

LAMBDA = 3e-3  # the weight decay of the completed cnnCost.m
CHUNK = 32  # images per block: matrix products large enough to run at speed, memory bounded

# --------------------------------------------------------------------------- checks


def _images3(images, name="images") -> np.ndarray:
    """images(r, c, n) as float64, a single 2-D image taken as r x c x 1; checked."""
    images = validate.array(images, name)
    if images.ndim == 2:
        images = images[:, :, None]
    if images.ndim != 3 or images.shape[0] != images.shape[1]:
        raise ValueError(f"{name} must be imageDim x imageDim x numImages, got shape "
                         f"{images.shape}")
    if not np.isfinite(images).all():
        raise ValueError(f"{name} contain NaN or Inf")
    return images


def _sizes(imageDim: int, filterDim, numFilters, poolDim):
    filterDim = validate.positive_int(filterDim, "filterDim")
    numFilters = validate.positive_int(numFilters, "numFilters")
    poolDim = validate.positive_int(poolDim, "poolDim")
    if filterDim > imageDim:
        raise ValueError(f"filterDim {filterDim} is larger than imageDim {imageDim}")
    convDim = imageDim - filterDim + 1
    if convDim % poolDim:
        raise ValueError("poolDim must divide imageDim - filterDim + 1")
    return filterDim, numFilters, poolDim, convDim, convDim // poolDim


def _filters(W, b, filterDim, numFilters):
    filterDim = validate.positive_int(filterDim, "filterDim")
    numFilters = validate.positive_int(numFilters, "numFilters")
    W = validate.array(W, "W")
    if W.ndim == 2:
        W = W[:, :, None]
    if W.shape != (filterDim, filterDim, numFilters):
        raise ValueError(f"W must be filterDim x filterDim x numFilters = {filterDim} x "
                         f"{filterDim} x {numFilters}, got shape {W.shape}")
    b = validate.array(b, "b").ravel(order="F")
    if b.size < numFilters:
        raise ValueError(f"b must hold numFilters = {numFilters} biases, got {b.size}")
    b = b[:numFilters]
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        raise ValueError("W or b contain NaN or Inf")
    return W, b


def _correlation_matrix(W: np.ndarray) -> np.ndarray:
    """Filters W (f, f, K) as the (K, f*f) matrix whose product with ``kernels.im2col``'s
    patches is the correlation with W(:,:,k), i.e. ``conv2(im, rot90(W(:,:,k), 2))``."""
    return W.transpose(2, 0, 1).reshape(W.shape[2], -1)


# --------------------------------------------------------------------------- the ports


def cnnConvolve(filterDim, numFilters, images, W, b) -> np.ndarray:
    """Convolve every filter with every image and apply the sigmoid (cnn/cnnConvolve.m).

    ``convolvedFeatures(r, c, k, n) = sigmoid(sum(sum(images(r:r+f-1, c:c+f-1, n) .*
    W(:, :, k))) + b(k))``, i.e. ``conv2(im, rot90(W(:,:,k), 2), 'valid')`` plus bias.

    Parameters
    ----------
    filterDim : int
        f, the filters' height and width.
    numFilters : int
        K, the number of filters.
    images : ndarray (imageDim, imageDim, numImages)
        The images (a single image may be 2-D).
    W : ndarray (f, f, K)
        The filters.
    b : ndarray
        The biases; ``b(k)`` indexes the first K elements in column-major order, as
        MATLAB's linear indexing does (cnnExercise passes ``rand(numFilters)``, a K x K
        matrix).

    Returns
    -------
    convolvedFeatures : ndarray (convDim, convDim, K, numImages)
        convDim = imageDim - f + 1.
    """
    images = _images3(images)
    W, b = _filters(W, b, filterDim, numFilters)
    f, K = W.shape[0], W.shape[2]
    convDim, numImages = images.shape[0] - f + 1, images.shape[2]
    Wmat = _correlation_matrix(W)
    convolvedFeatures = np.empty((convDim, convDim, K, numImages))

    def block(s: slice) -> None:
        patches = kernels.im2col(images[None, :, :, s], f)
        z = Wmat @ patches
        kernels.sigmoid(z, b[:, None], out=z)
        convolvedFeatures[:, :, :, s] = z.reshape(K, convDim, convDim, -1).transpose(1, 2, 0, 3)

    kernels.map_blocks(block, kernels.blocks(numImages, CHUNK))
    return convolvedFeatures


def cnnPool(poolDim, convolvedFeatures) -> np.ndarray:
    """Mean-pool convolved features over poolDim x poolDim blocks (cnn/cnnPool.m).

    Parameters
    ----------
    poolDim : int
        The pooling region's height and width; must divide convolvedDim.
    convolvedFeatures : ndarray (convolvedDim, convolvedDim, numFeatures, numImages)
        Trailing singleton dimensions may be dropped, as MATLAB drops them.

    Returns
    -------
    pooledFeatures : ndarray (convolvedDim/poolDim, convolvedDim/poolDim, numFeatures, numImages)
    """
    poolDim = validate.positive_int(poolDim, "poolDim")
    cf = validate.array(convolvedFeatures, "convolvedFeatures")
    if cf.ndim < 2 or cf.ndim > 4 or cf.shape[0] != cf.shape[1]:
        raise ValueError("convolvedFeatures must be convolvedDim x convolvedDim x "
                         f"numFeatures x numImages, got shape {cf.shape}")
    cf = cf.reshape(cf.shape + (1,) * (4 - cf.ndim))
    if cf.shape[0] % poolDim:
        raise ValueError(f"poolDim {poolDim} must divide convolvedDim {cf.shape[0]}")
    if not np.isfinite(cf).all():
        raise ValueError("convolvedFeatures contain NaN or Inf")
    return kernels.mean_pool(cf.transpose(3, 0, 1, 2), poolDim).transpose(1, 2, 3, 0)


def cnnParamsToStack(theta, imageDim, filterDim, numFilters, poolDim, numClasses):
    """Split the unrolled parameters into the layers' weights (cnn/cnnParamsToStack.m).

    Parameters
    ----------
    theta : ndarray (n,)
        ``[Wc(:); Wd(:); bc(:); bd(:)]``.
    imageDim, filterDim, numFilters, poolDim, numClasses : int
        The network's sizes.

    Returns
    -------
    Wc : ndarray (filterDim, filterDim, numFilters)
    Wd : ndarray (numClasses, hiddenSize)
        hiddenSize = numFilters * ((imageDim-filterDim+1)/poolDim)^2.
    bc : ndarray (numFilters,)
    bd : ndarray (numClasses,)
        All are column-major views of theta.
    """
    imageDim = validate.positive_int(imageDim, "imageDim")
    numClasses = validate.positive_int(numClasses, "numClasses")
    filterDim, numFilters, poolDim, _, outDim = _sizes(imageDim, filterDim, numFilters, poolDim)
    hiddenSize = outDim ** 2 * numFilters
    theta = validate.array(theta, "theta")
    if theta.ndim == 2 and 1 in theta.shape:  # a MATLAB column or row
        theta = theta.ravel()
    expected = filterDim ** 2 * numFilters + hiddenSize * numClasses + numFilters + numClasses
    if theta.shape != (expected,):
        raise ValueError(f"theta must be a vector of {expected} parameters for imageDim "
                         f"{imageDim}, filterDim {filterDim}, numFilters {numFilters}, poolDim "
                         f"{poolDim}, numClasses {numClasses}; got shape {theta.shape}")
    theta = validate.finite(theta, "theta")
    e1 = filterDim ** 2 * numFilters
    e2 = e1 + hiddenSize * numClasses
    Wc = theta[:e1].reshape(filterDim, filterDim, numFilters, order="F")
    Wd = theta[e1:e2].reshape(numClasses, hiddenSize, order="F")
    bc = theta[e2:e2 + numFilters]
    bd = theta[e2 + numFilters:]
    return Wc, Wd, bc, bd


def cnnCost(theta, images, labels, numClasses, filterDim, numFilters, poolDim, pred=False,
            *, lambda_=LAMBDA):
    """Cost, gradient and predictions of the convolutional network (cnn/cnnCost.m).

    The steps of cnnCost.m on blocks of CHUNK images, run on all cores; each block's sums
    are added in block order, so the result does not depend on the number of threads.
    Inside a block the maps are laid out (filter, row, col, image), the layout of
    :mod:`ufldl_py.kernels`.

    Parameters
    ----------
    theta : ndarray (n,)
        The unrolled parameters ``[Wc(:); Wd(:); bc(:); bd(:)]`` (see cnnParamsToStack).
    images : ndarray (imageDim, imageDim, numImages)
    labels : ndarray (numImages,)
        Labels 1..numClasses.
    numClasses, filterDim, numFilters, poolDim : int
        The network's sizes.
    pred : bool
        Only forward propagate, and return predictions.
    lambda_ : float
        Weight decay (Python-only keyword). The completed cnnCost.m that the fixtures were
        made with uses 3e-3; the stanford_dl_ex template has none, which ``lambda_=0``
        computes.

    Returns
    -------
    cost : float
        The cross entropy averaged over the images plus ``lambda/2 * (|Wd|^2 + |Wc|^2)``.
    grad : ndarray (n,) or 0
        The gradient, shaped as theta; ``0`` when ``pred`` (as the original returns).
    preds : ndarray (numImages,)
        Only when ``pred``: the predicted labels 1..numClasses (float64).
    """
    images = _images3(images)
    imageDim, numImages = images.shape[0], images.shape[2]
    # Reshape parameters and setup gradient matrices
    Wc, Wd, bc, bd = cnnParamsToStack(theta, imageDim, filterDim, numFilters, poolDim,
                                      numClasses)
    numClasses, hiddenSize = Wd.shape
    y = validate.labels(labels, numClasses, numImages, per="image") - 1
    filterDim, numFilters = Wc.shape[0], Wc.shape[2]
    convDim = imageDim - filterDim + 1
    poolDim = int(poolDim)
    outputDim = convDim // poolDim
    Wc_mat = _correlation_matrix(Wc)
    # Wd's columns follow activationsPooled(:) per image, (r, c, k) in column-major order;
    # the pooled maps here unroll as (k, r, c): Wd is re-ordered once to match
    Wd_krc = Wd.reshape(numClasses, outputDim, outputDim, numFilters, order="F") \
        .transpose(0, 3, 1, 2).reshape(numClasses, hiddenSize)

    def block(s: slice):
        """Log-likelihood, predictions and gradient sums of the images in slice s."""
        n = s.stop - s.start
        # ==================================================== STEP 1a: Forward Propagation
        # Convolutional Layer: convolve, add the bias, sigmoid; then mean pooling
        patches = kernels.im2col(images[None, :, :, s], filterDim)  # (f*f, convDim^2 * n)
        activations = Wc_mat @ patches
        kernels.sigmoid(activations, bc[:, None], out=activations)
        activations = activations.reshape(numFilters, convDim, convDim, n)
        activationsPooled = kernels.mean_pool(activations, poolDim).reshape(hiddenSize, n)
        # Softmax Layer (the column maximum subtracted, for numerical stability)
        probs = Wd_krc @ activationsPooled
        probs += bd[:, None]
        probs -= probs.max(axis=0)
        np.exp(probs, out=probs)
        probs /= probs.sum(axis=0)
        # ==================================================== STEP 1b: Calculate Cost
        cols = np.arange(n)
        loglik = np.log(probs[y[s], cols]).sum()
        preds = probs.argmax(axis=0) + 1.0
        if pred:
            return loglik, preds, None
        # ==================================================== STEP 1c: Backpropagation
        delta_d = probs  # probs - groundTruth, in place
        delta_d[y[s], cols] -= 1.0
        delta_s = Wd_krc.T @ delta_d  # Wd' * delta_d, (hiddenSize, n)
        # delta_c = a .* (1 - a) .* kron(delta_s, ones(poolDim)) / poolDim^2
        delta_c = kernels.sigmoid_delta_unpooled(
            activations, delta_s.reshape(numFilters, outputDim, outputDim, n), poolDim)
        delta_c = delta_c.reshape(numFilters, -1)
        # ==================================================== STEP 1d: Gradient Calculation
        # Wc_grad by the correlation of each image with its delta: one product with the
        # same patches; the sums over the block's images
        return loglik, preds, (delta_c @ patches.T, delta_c.sum(axis=1),
                               delta_d @ activationsPooled.T, delta_d.sum(axis=1))

    results = kernels.map_blocks(block, kernels.blocks(numImages, CHUNK))
    loglik = sum(r[0] for r in results)
    preds = np.concatenate([r[1] for r in results])
    cost = -loglik / numImages + (lambda_ / 2.0) * (np.sum(Wd * Wd) + np.sum(Wc * Wc))
    if pred:
        return cost, 0, preds
    Wc_sum, bc_sum, Wd_sum, bd_sum = (sum(parts) for parts in zip(*(r[2] for r in results)))
    scale = 1.0 / numImages
    Wc_grad = Wc_sum.reshape(numFilters, filterDim, filterDim).transpose(1, 2, 0) * scale \
        + lambda_ * Wc
    # back from the (class, k, r, c) layout to MATLAB's numClasses x hiddenSize
    Wd_grad = Wd_sum.reshape(numClasses, numFilters, outputDim, outputDim) \
        .transpose(0, 2, 3, 1).reshape(numClasses, hiddenSize, order="F") * scale + lambda_ * Wd
    # Unroll gradient into grad vector for minFunc
    return cost, np.concatenate([Wc_grad.ravel(order="F"), Wd_grad.ravel(order="F"),
                                 bc_sum * scale, bd_sum * scale])


# --------------------------------------------------------------------------- set-up, training


def cnnInitParams(imageDim, filterDim, numFilters, poolDim, numClasses) -> np.ndarray:
    """Random initial parameters (cnn/cnnInitParams.m).

    ``Wc = 1e-1*randn(filterDim, filterDim, numFilters)``, ``Wd`` uniform in [-r, r] with
    ``r = sqrt(6)/sqrt(numClasses+hiddenSize+1)``, zero biases; drawn from
    :mod:`ufldl_py.matlab.random` in MATLAB's order, so a seeded run equals Octave's.

    Parameters
    ----------
    imageDim : int
        The images' height and width.
    filterDim : int
        The filters' height and width.
    numFilters : int
        The number of filters.
    poolDim : int
        The pooling region's height and width.
    numClasses : int
        The number of classes.

    Returns
    -------
    theta : ndarray (filterDim^2*numFilters + numClasses*hiddenSize + numFilters + numClasses,)
    """
    imageDim = validate.positive_int(imageDim, "imageDim")
    numClasses = validate.positive_int(numClasses, "numClasses")
    if not filterDim < imageDim:
        raise ValueError("filterDim must be less that imageDim")
    Wc = 1e-1 * mrandom.randn(int(filterDim), int(filterDim), int(numFilters))
    filterDim, numFilters, poolDim, _, outDim = _sizes(imageDim, filterDim, numFilters, poolDim)
    hiddenSize = outDim ** 2 * numFilters
    r = math.sqrt(6) / math.sqrt(numClasses + hiddenSize + 1)
    Wd = mrandom.rand(numClasses, hiddenSize) * 2 * r - r
    return np.concatenate([Wc.ravel(order="F"), Wd.ravel(order="F"), np.zeros(numFilters),
                           np.zeros(numClasses)])


def computeNumericalGradient(J: Callable, theta, verbose: bool = True) -> np.ndarray:
    """Central-difference gradient of J at theta, epsilon 1e-4 (cnn/computeNumericalGradient.m).

    ``J(theta)`` may return the cost or a tuple whose first element is the cost. Prints
    'Done with i' every 100 parameters, as the original does (``verbose=False`` silences it).

    Parameters
    ----------
    J : callable
        The cost function of theta.
    theta : ndarray (n,)
        The point at which the gradient is estimated.
    verbose : bool
        Print the original's progress lines.

    Returns
    -------
    numgrad : ndarray (n,)
        ``(J(theta + e_i) - J(theta - e_i)) / (2 * 1e-4)`` for each i.
    """
    theta = np.array(theta, dtype=np.float64).ravel()
    numgrad = np.zeros_like(theta)
    epsilon = 1e-4

    def cost(t):
        value = J(t)
        return float(value[0] if isinstance(value, tuple) else value)

    for i in range(theta.size):
        old = theta[i]
        theta[i] = old + epsilon
        pos = cost(theta)
        theta[i] = old - epsilon
        neg = cost(theta)
        numgrad[i] = (pos - neg) / (2 * epsilon)
        theta[i] = old
        if verbose and (i + 1) % 100 == 0:
            print(f"Done with {i + 1}")
    return numgrad


def minFuncSGD(funObj: Callable, theta, data, labels, options: dict,
               callback: Callable | None = None) -> np.ndarray:
    """Stochastic gradient descent with momentum (cnn/minFuncSGD.m).

    Momentum 0.5 for the first 19 iterations, then ``options['momentum']`` (default 0.9);
    the learning rate halves after every epoch; each epoch visits the data in the order of
    ``randperm(m)`` (from :mod:`ufldl_py.matlab.random`), in whole minibatches only.

    Parameters
    ----------
    funObj : callable
        ``funObj(theta, mb_data, mb_labels) -> (cost, grad)``.
    theta : ndarray (n,)
        The initial parameters.
    data : ndarray (r, c, m)
        The examples.
    labels : ndarray (m,)
        The labels.
    options : dict
        epochs, alpha, minibatch (required) and momentum.
    callback : callable, optional
        Called as ``callback(epoch, it, cost)`` after every iteration, instead of printing
        'Epoch e: Cost on iteration it is cost' as the original does.

    Returns
    -------
    opttheta : ndarray (n,)
        The parameters after the last iteration.
    """
    missing = [k for k in ("epochs", "alpha", "minibatch") if k not in options]
    if missing:
        raise ValueError("Some options not defined")
    momentum = options.get("momentum", 0.9)
    epochs = int(options["epochs"])
    alpha = float(options["alpha"])
    minibatch = int(options["minibatch"])
    labels = validate.vector(labels, "labels")
    m = labels.size
    data = np.asarray(data)
    if data.shape[-1] != m:
        raise ValueError(f"data holds {data.shape[-1]} examples but labels {m}")
    theta = np.array(theta, dtype=np.float64).ravel()
    mom = 0.5
    momIncrease = 20
    velocity = np.zeros_like(theta)
    it = 0
    for e in range(1, epochs + 1):
        rp = mrandom.randperm(m).astype(np.intp).ravel() - 1
        for s in range(0, m - minibatch + 1, minibatch):
            it += 1
            if it == momIncrease:
                mom = momentum
            idx = rp[s:s + minibatch]
            cost, grad = funObj(theta, data[..., idx], labels[idx])[:2]
            velocity = mom * velocity + alpha * grad
            theta = theta - velocity
            if callback is None:
                print(f"Epoch {e}: Cost on iteration {it} is {cost:f}")
            else:
                callback(e, it, cost)
        alpha = alpha / 2.0
    return theta


# --------------------------------------------------------------------------- loop forms


def cnnConvolve_loop(filterDim, numFilters, images, W, b) -> np.ndarray:
    """cnn/cnnConvolve.m as completed (see the module docstring): the template's loops over
    images and filters, one ``conv2(im, rot90(W(:,:,filterNum), 2), 'valid')`` each. The
    reference that the tests hold :func:`cnnConvolve` to.

    The ``# --- YOUR CODE HERE`` ... ``# --- END ---`` comments mark the template's gaps:
    ``ufldl-py exercise start cnn`` writes this function with them left open
    (:mod:`ufldl_py.student`); a ``# template:`` comment gives the line that replaces the
    next one in the student's file.

    Parameters
    ----------
    filterDim : int
        f, the filters' height and width.
    numFilters : int
        K, the number of filters.
    images : ndarray (imageDim, imageDim, numImages)
        The images (a single image may be 2-D).
    W : ndarray (f, f, K)
        The filters.
    b : ndarray
        The biases; ``b(k)`` indexes the first K elements in column-major order, as
        MATLAB's linear indexing does (cnnExercise passes ``rand(numFilters)``, a K x K
        matrix).

    Returns
    -------
    convolvedFeatures : ndarray (convDim, convDim, K, numImages)
        convDim = imageDim - f + 1.
    """
    # template: images = np.asarray(images, dtype=np.float64)
    images = _images3(images)
    # template: W, b = np.asarray(W, dtype=np.float64), np.ravel(b, order="F")
    W, b = _filters(W, b, filterDim, numFilters)
    numImages = images.shape[2]
    imageDim = images.shape[0]
    convDim = imageDim - filterDim + 1
    convolvedFeatures = np.zeros((convDim, convDim, numFilters, numImages))
    for imageNum in range(numImages):
        for filterNum in range(numFilters):
            # convolution of image with feature matrix
            convolvedImage = np.zeros((convDim, convDim))
            # Obtain the feature (filterDim x filterDim) needed during the convolution
            # --- YOUR CODE HERE: cnnConvolve/filter ---
            filt = W[:, :, filterNum]
            # --- END ---
            # Flip the feature matrix because of the definition of convolution
            filt = rot90(filt, 2)
            # Obtain the image
            im = images[:, :, imageNum]
            # Convolve "filt" with "im", adding the result to convolvedImage ('valid')
            # --- YOUR CODE HERE: cnnConvolve/conv2 ---
            convolvedImage = convolvedImage + conv2(im, filt, "valid")
            # --- END ---
            # Add the bias unit, then apply the sigmoid function
            # --- YOUR CODE HERE: cnnConvolve/sigmoid ---
            convolvedImage = 1 / (1 + np.exp(-(convolvedImage + b[filterNum])))
            # --- END ---
            convolvedFeatures[:, :, filterNum, imageNum] = convolvedImage
    return convolvedFeatures


def cnnPool_loop(poolDim, convolvedFeatures) -> np.ndarray:
    """cnn/cnnPool.m as completed: for each image and feature, the mean of each poolDim x
    poolDim block. The reference that the tests hold :func:`cnnPool` to (its gap marked as
    in :func:`cnnConvolve_loop`).

    Parameters
    ----------
    poolDim : int
        The pooling region's height and width; must divide convolvedDim.
    convolvedFeatures : ndarray (convolvedDim, convolvedDim, numFeatures, numImages)
        Trailing singleton dimensions may be dropped, as MATLAB drops them.

    Returns
    -------
    pooledFeatures : ndarray (convolvedDim/poolDim, convolvedDim/poolDim, numFeatures, numImages)
    """
    convolvedFeatures = np.asarray(convolvedFeatures, dtype=np.float64)
    convolvedFeatures = convolvedFeatures.reshape(
        convolvedFeatures.shape + (1,) * (4 - convolvedFeatures.ndim))
    numImages = convolvedFeatures.shape[3]
    numFilters = convolvedFeatures.shape[2]
    convolvedDim = convolvedFeatures.shape[0]
    pooledFeatures = np.zeros((convolvedDim // poolDim, convolvedDim // poolDim, numFilters,
                               numImages))
    # --- YOUR CODE HERE: cnnPool/pool ---
    for imageNum in range(numImages):
        for featureNum in range(numFilters):
            for poolRow in range(convolvedDim // poolDim):
                for poolCol in range(convolvedDim // poolDim):
                    rows = slice(poolRow * poolDim, (poolRow + 1) * poolDim)
                    cols = slice(poolCol * poolDim, (poolCol + 1) * poolDim)
                    region = convolvedFeatures[rows, cols, featureNum, imageNum]
                    pooledFeatures[poolRow, poolCol, featureNum, imageNum] = region.mean()
    # --- END ---
    return pooledFeatures


def cnnCost_loop(theta, images, labels, numClasses, filterDim, numFilters, poolDim,
                 pred=False, *, lambda_=LAMBDA):
    """cnn/cnnCost.m as completed (the completion in the module docstring, the one the
    golden fixtures were made with), line by line: cnnConvolve and cnnPool, the softmax
    layer, kron upsampling and one conv2 per image and filter for Wc_grad. The reference
    that the tests hold :func:`cnnCost` to; same arguments and outputs (its gaps marked as
    in :func:`cnnConvolve_loop`).

    Parameters
    ----------
    theta : ndarray (n,)
        The unrolled parameters ``[Wc(:); Wd(:); bc(:); bd(:)]`` (see cnnParamsToStack).
    images : ndarray (imageDim, imageDim, numImages)
    labels : ndarray (numImages,)
        Labels 1..numClasses.
    numClasses, filterDim, numFilters, poolDim : int
        The network's sizes.
    pred : bool
        Only forward propagate, and return predictions.
    lambda_ : float
        Weight decay (Python-only keyword). The completed cnnCost.m that the fixtures were
        made with uses 3e-3; the stanford_dl_ex template has none, which ``lambda_=0``
        computes.

    Returns
    -------
    cost : float
        The cross entropy averaged over the images plus ``lambda/2 * (|Wd|^2 + |Wc|^2)``.
    grad : ndarray (n,) or 0
        The gradient, shaped as theta; ``0`` when ``pred`` (as the original returns).
    preds : ndarray (numImages,)
        Only when ``pred``: the predicted labels 1..numClasses (float64).
    """
    # template: images = np.asarray(images, dtype=np.float64)
    images = _images3(images)
    imageDim = images.shape[0]  # height/width of image
    numImages = images.shape[2]  # number of images
    # Reshape parameters and setup gradient matrices
    Wc, Wd, bc, bd = cnnParamsToStack(theta, imageDim, filterDim, numFilters, poolDim,
                                      numClasses)
    # template: labels = np.ravel(labels)
    labels = validate.labels(labels, numClasses, numImages, per="image")
    # Same sizes as Wc, Wd, bc, bd: to hold the gradient with respect to them
    Wc_grad = np.zeros_like(Wc)
    Wd_grad = np.zeros_like(Wd)
    bc_grad = np.zeros_like(bc)
    bd_grad = np.zeros_like(bd)
    # ======================================================= STEP 1a: Forward Propagation
    # Convolutional Layer
    convDim = imageDim - filterDim + 1  # dimension of convolved output
    outputDim = convDim // poolDim  # dimension of subsampled output
    activations = np.zeros((convDim, convDim, numFilters, numImages))
    activationsPooled = np.zeros((outputDim, outputDim, numFilters, numImages))
    # --- YOUR CODE HERE: cnnCost/convolution ---
    activations = cnnConvolve_loop(filterDim, numFilters, images, Wc, bc)
    activationsPooled = cnnPool_loop(poolDim, activations)
    # --- END ---
    # Reshape activations into 2-d matrix, hiddenSize x numImages, for the Softmax layer
    activationsPooled = activationsPooled.reshape(-1, numImages, order="F")
    # Softmax Layer
    probs = np.zeros((numClasses, numImages))
    # --- YOUR CODE HERE: cnnCost/softmax ---
    M = Wd @ activationsPooled + bd[:, None]
    M = M - M.max(axis=0)
    M = np.exp(M)
    probs = M / M.sum(axis=0)
    # --- END ---
    # ======================================================= STEP 1b: Calculate Cost
    cost = 0.0  # save objective into cost
    # --- YOUR CODE HERE: cnnCost/cost ---
    groundTruth = onehot(labels, numClasses)
    cost = (-1 / numImages * groundTruth.ravel(order="F") @ np.log(probs.ravel(order="F"))
            + (lambda_ / 2) * (np.sum(Wd ** 2) + np.sum(Wc ** 2)))
    # --- END ---
    # Makes predictions given probs and returns without backpropagating errors
    if pred:
        preds = probs.argmax(axis=0) + 1.0
        return cost, 0, preds
    # ======================================================= STEP 1c: Backpropagation
    # --- YOUR CODE HERE: cnnCost/backpropagation ---
    delta_d = -(groundTruth - probs)
    delta_s = (Wd.T @ delta_d).reshape(outputDim, outputDim, numFilters, numImages, order="F")
    delta_c = np.zeros((convDim, convDim, numFilters, numImages))
    for i in range(numImages):
        for j in range(numFilters):
            delta_c[:, :, j, i] = (1 / poolDim ** 2) * kron(delta_s[:, :, j, i],
                                                           np.ones((poolDim, poolDim)))
    delta_c = activations * (1 - activations) * delta_c
    # --- END ---
    # ======================================================= STEP 1d: Gradient Calculation
    # --- YOUR CODE HERE: cnnCost/gradient ---
    Wd_grad = (1 / numImages) * delta_d @ activationsPooled.T + lambda_ * Wd
    bd_grad = (1 / numImages) * delta_d.sum(axis=1)
    for i in range(numFilters):
        Wc_i = np.zeros((filterDim, filterDim))
        for j in range(numImages):
            Wc_i = Wc_i + conv2(images[:, :, j], rot90(delta_c[:, :, i, j], 2), "valid")
        Wc_grad[:, :, i] = (1 / numImages) * Wc_i + lambda_ * Wc[:, :, i]
        bc_grad[i] = delta_c[:, :, i, :].sum() / numImages
    # --- END ---
    # Unroll gradient into grad vector for minFunc
    grad = np.concatenate([Wc_grad.ravel(order="F"), Wd_grad.ravel(order="F"),
                           bc_grad.ravel(order="F"), bd_grad.ravel(order="F")])
    return cost, grad
