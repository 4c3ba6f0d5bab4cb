"""The UFLDL convolutional network chapter (stanford_dl_ex/cnn).

One convolutional layer (sigmoid), mean pooling and a softmax layer with cross entropy:

    images --cnnConvolve--> activations --cnnPool--> activationsPooled --Wd, bd--> probs

``cnnConvolve``, ``cnnPool`` and ``cnnCost`` are the fast forms: every image and every
filter at once, the convolution as one matrix product over image patches (im2col), the
filter gradient as one more product with the same patches. ``cnnConvolve_loop``,
``cnnPool_loop`` and ``cnnCost_loop`` follow the MATLAB exercise's loops line by line; the
tests hold the fast forms to them.

The YOUR CODE HERE parts are completed as the tutorial intends and as the completion in the
project's derivation notes does: sigmoid convolution, mean pooling, a numerically stable
softmax, cross entropy averaged over the images plus weight decay ``lambda/2 * (|Wd|^2 +
|Wc|^2)`` with ``lambda = 3e-3``, the pooling error upsampled with ``kron``.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np

from ..matlab import random as mrandom
from ..parallel import map_blocks
from ..pooling import mean_pool

__all__ = [
    "LAMBDA", "cnnConvolve", "cnnPool", "cnnCost", "cnnInitParams", "cnnParamsToStack",
    "computeNumericalGradient", "minFuncSGD", "cnnConvolve_loop", "cnnPool_loop",
    "cnnCost_loop",
]

LAMBDA = 3e-3  # the weight decay of the completed cnnCost.m
CHUNK = 32  # images per block: matrix products large enough to run at speed, memory bounded

# --------------------------------------------------------------------------- checks


def _images3(images, name="images") -> np.ndarray:
    """images(r, c, n) as float64, a single 2-D image taken as r x c x 1; checked."""
    images = np.asarray(images, dtype=np.float64)
    if images.ndim == 2:
        images = images[:, :, None]
    if images.ndim != 3 or images.shape[0] != images.shape[1]:
        raise ValueError(f"{name} must be imageDim x imageDim x numImages, got shape "
                         f"{images.shape}")
    if not np.isfinite(images).all():
        raise ValueError(f"{name} contain NaN or Inf")
    return images


def _positive_int(value, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or float(value) != int(value) or int(value) < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _labels(labels, numImages: int, numClasses: int) -> np.ndarray:
    """Labels 1..numClasses as 0-based int indices (a length numImages vector)."""
    labels = np.asarray(labels, dtype=np.float64)
    if labels.ndim == 2 and 1 in labels.shape:
        labels = labels.ravel()
    if labels.shape != (numImages,):
        raise ValueError(f"labels must be a vector of {numImages} labels (one per image), "
                         f"got shape {labels.shape}")
    if not np.isfinite(labels).all() or (labels != np.round(labels)).any() \
            or labels.min(initial=1) < 1 or labels.max(initial=1) > numClasses:
        raise ValueError(f"labels must be integers in 1..numClasses = 1..{numClasses}")
    return labels.astype(np.intp) - 1


def _sizes(imageDim: int, filterDim: int, numFilters: int, poolDim: int):
    filterDim = _positive_int(filterDim, "filterDim")
    numFilters = _positive_int(numFilters, "numFilters")
    poolDim = _positive_int(poolDim, "poolDim")
    if filterDim > imageDim:
        raise ValueError(f"filterDim {filterDim} is larger than imageDim {imageDim}")
    convDim = imageDim - filterDim + 1
    if convDim % poolDim:
        raise ValueError("poolDim must divide imageDim - filterDim + 1")
    return filterDim, numFilters, poolDim, convDim, convDim // poolDim


def _block(images: np.ndarray, s: int, e: int) -> np.ndarray:
    """Images s..e-1 of images(r, c, n) as a contiguous (n, r, c) block."""
    return np.ascontiguousarray(images[:, :, s:e].transpose(2, 0, 1))


def _patches(images_nrc: np.ndarray, filterDim: int) -> np.ndarray:
    """im2col with a bias column: (n * convDim^2, filterDim^2 + 1) patches.

    Row ``(i, r, c)`` holds image i's patch at (r, c) unrolled as ``a*f + b`` for row offset
    a and column offset b, then a 1 that multiplies the bias.
    """
    n, d, _ = images_nrc.shape
    cd = d - filterDim + 1
    out = np.empty((n, cd, cd, filterDim * filterDim + 1))
    windows = np.lib.stride_tricks.sliding_window_view(images_nrc, (filterDim, filterDim),
                                                       axis=(1, 2))
    target = out[..., :-1].reshape(n, cd, cd, filterDim, filterDim)  # a view: no copy
    np.copyto(target, windows)
    out[..., -1] = 1.0
    return out.reshape(n * cd * cd, -1)


def _weights(W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(f^2 + 1, K): W(a, b, k) at row a*f + b, then the biases, matching _patches."""
    f, _, K = W.shape
    return np.concatenate([W.reshape(f * f, K), b.reshape(1, K)])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """``1 ./ (1 + exp(-z))`` in place, as the MATLAB code writes it."""
    np.negative(z, out=z)
    np.exp(z, out=z)
    z += 1.0
    return np.divide(1.0, z, out=z)


def _conv_sigmoid(patches: np.ndarray, Wb: np.ndarray, n: int, convDim: int) -> np.ndarray:
    """sigmoid(valid correlation + b) as (n, convDim, convDim, numFilters)."""
    return _sigmoid(patches @ Wb).reshape(n, convDim, convDim, -1)


def cnnConvolve(filterDim, numFilters, images, W, b) -> np.ndarray:
    """Convolve every filter with every image and apply the sigmoid (cnn/cnnConvolve.m).

    ``convolvedFeatures(r, c, k, n) = sigmoid(sum(sum(images(r:r+f-1, c:c+f-1, n) .*
    W(:, :, k))) + b(k))``, i.e. ``conv2(im, rot90(W(:,:,k), 2), 'valid')`` plus bias.

    Parameters
    ----------
    filterDim : f, the filters' height and width.
    numFilters : K.
    images : (imageDim, imageDim, numImages) array (a single image may be 2-D).
    W : (f, f, K) filters.
    b : biases; ``b(k)`` indexes the first K elements in column-major order, as MATLAB's
        linear indexing does (cnnExercise passes ``rand(numFilters)``, a K x K matrix).

    Returns
    -------
    convolvedFeatures : (convDim, convDim, K, numImages), convDim = imageDim - f + 1.
    """
    images = _images3(images)
    W, b = _filters(W, b, filterDim, numFilters)
    n, convDim = images.shape[2], images.shape[0] - W.shape[0] + 1
    Wb = _weights(W, b)
    out = np.empty((n, convDim, convDim, W.shape[2]))

    def block(s: int) -> None:
        e = min(s + CHUNK, n)
        out[s:e] = _conv_sigmoid(_patches(_block(images, s, e), W.shape[0]), Wb, e - s, convDim)

    map_blocks(block, range(0, n, CHUNK))
    return out.transpose(1, 2, 3, 0)


def _filters(W, b, filterDim, numFilters):
    filterDim = _positive_int(filterDim, "filterDim")
    numFilters = _positive_int(numFilters, "numFilters")
    W = np.asarray(W, dtype=np.float64)
    if W.ndim == 2:
        W = W[:, :, None]
    if W.shape != (filterDim, filterDim, numFilters):
        raise ValueError(f"W must be filterDim x filterDim x numFilters = {filterDim} x "
                         f"{filterDim} x {numFilters}, got shape {W.shape}")
    b = np.asarray(b, dtype=np.float64).ravel(order="F")
    if b.size < numFilters:
        raise ValueError(f"b must hold numFilters = {numFilters} biases, got {b.size}")
    b = b[:numFilters]
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        raise ValueError("W or b contain NaN or Inf")
    return W, b


def cnnPool(poolDim, convolvedFeatures) -> np.ndarray:
    """Mean-pool convolved features over poolDim x poolDim blocks (cnn/cnnPool.m).

    Parameters
    ----------
    poolDim : the pooling region's height and width; must divide convolvedDim.
    convolvedFeatures : (convolvedDim, convolvedDim, numFeatures, numImages) (trailing
        singleton dimensions may be dropped, as MATLAB drops them).

    Returns
    -------
    pooledFeatures : (convolvedDim/poolDim, convolvedDim/poolDim, numFeatures, numImages).
    """
    poolDim = _positive_int(poolDim, "poolDim")
    cf = np.asarray(convolvedFeatures, dtype=np.float64)
    if cf.ndim < 2 or cf.ndim > 4 or cf.shape[0] != cf.shape[1]:
        raise ValueError("convolvedFeatures must be convolvedDim x convolvedDim x "
                         f"numFeatures x numImages, got shape {cf.shape}")
    cf = cf.reshape(cf.shape + (1,) * (4 - cf.ndim))
    if cf.shape[0] % poolDim:
        raise ValueError(f"poolDim {poolDim} must divide convolvedDim {cf.shape[0]}")
    if not np.isfinite(cf).all():
        raise ValueError("convolvedFeatures contain NaN or Inf")
    return mean_pool(cf.transpose(3, 0, 1, 2), poolDim).transpose(1, 2, 3, 0)


def cnnParamsToStack(theta, imageDim, filterDim, numFilters, poolDim, numClasses):
    """Split the unrolled parameters into the layers' weights (cnn/cnnParamsToStack.m).

    Returns
    -------
    Wc : (filterDim, filterDim, numFilters)
    Wd : (numClasses, hiddenSize), hiddenSize = numFilters * ((imageDim-filterDim+1)/poolDim)^2
    bc : (numFilters,)
    bd : (numClasses,)
    All are column-major views of ``theta = [Wc(:); Wd(:); bc(:); bd(:)]``.
    """
    imageDim = _positive_int(imageDim, "imageDim")
    numClasses = _positive_int(numClasses, "numClasses")
    filterDim, numFilters, poolDim, _, outDim = _sizes(imageDim, filterDim, numFilters, poolDim)
    hiddenSize = outDim ** 2 * numFilters
    theta = np.asarray(theta, dtype=np.float64)
    if theta.ndim == 2 and 1 in theta.shape:
        theta = theta.ravel()
    expected = filterDim ** 2 * numFilters + hiddenSize * numClasses + numFilters + numClasses
    if theta.shape != (expected,):
        raise ValueError(f"theta must be a vector of {expected} parameters for imageDim "
                         f"{imageDim}, filterDim {filterDim}, numFilters {numFilters}, poolDim "
                         f"{poolDim}, numClasses {numClasses}; got shape {theta.shape}")
    if not np.isfinite(theta).all():
        raise ValueError("theta contains NaN or Inf")
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

    Parameters
    ----------
    theta : the unrolled parameters ``[Wc(:); Wd(:); bc(:); bd(:)]`` (see cnnParamsToStack).
    images : (imageDim, imageDim, numImages).
    labels : (numImages,) labels 1..numClasses.
    numClasses, filterDim, numFilters, poolDim : the network's sizes.
    pred : only forward propagate, and return predictions.
    lambda_ : weight decay (Python-only keyword; the completed cnnCost.m fixes it at 3e-3).

    Returns
    -------
    cost : cross entropy averaged over the images plus ``lambda/2 * (|Wd|^2 + |Wc|^2)``.
    grad : the gradient, shaped as theta; ``0`` when ``pred`` (as the original returns).
    preds : only when ``pred``: (numImages,) predicted labels 1..numClasses (float64).
    """
    images = _images3(images)
    imageDim, numImages = images.shape[0], images.shape[2]
    Wc, Wd, bc, bd = cnnParamsToStack(theta, imageDim, filterDim, numFilters, poolDim,
                                      numClasses)
    numClasses = Wd.shape[0]
    y = _labels(labels, numImages, numClasses)
    f, K = Wc.shape[0], Wc.shape[2]
    convDim = imageDim - f + 1
    poolDim = int(poolDim)
    outDim = convDim // poolDim
    # Wd's columns follow activationsPooled(:) per image, i.e. (r, c, k) in column-major
    # order; the pooled activations here are laid out (n, r, c, k), so Wd is re-ordered once.
    Wd_rck = Wd.reshape(numClasses, outDim, outDim, K, order="F").reshape(numClasses, -1)
    Wb = _weights(Wc, bc)

    def block(start: int):
        """Cost terms, predictions and gradient sums of images start .. start+CHUNK-1."""
        e = min(start + CHUNK, numImages)
        n = e - start
        patches = _patches(_block(images, start, e), f)
        act = _conv_sigmoid(patches, Wb, n, convDim)  # (n, cd, cd, K)
        pooled = mean_pool(act, poolDim).reshape(n, -1)  # (n, hiddenSize)
        M = Wd_rck @ pooled.T  # (classes, n)
        M += bd[:, None]
        M -= M.max(axis=0)
        np.exp(M, out=M)
        M /= M.sum(axis=0)
        probs = M
        cols = np.arange(n)
        loglik = np.log(probs[y[start:e], cols]).sum()
        preds = probs.argmax(axis=0) + 1.0
        if pred:
            return loglik, preds, None
        delta_d = probs  # probs - groundTruth, in place
        delta_d[y[start:e], cols] -= 1.0
        # delta_s = Wd' * delta_d, upsampled with kron(., ones(poolDim)) / poolDim^2 and
        # times a .* (1 - a): the upsampling is a broadcast over the pooling blocks
        delta_s = (delta_d.T @ Wd_rck) * (1.0 / poolDim ** 2)
        delta_c = 1.0 - act
        delta_c *= act
        blocks = delta_c.reshape(n, outDim, poolDim, outDim, poolDim, K)
        blocks *= delta_s.reshape(n, outDim, 1, outDim, 1, K)
        grads = (patches.T @ delta_c.reshape(-1, K), delta_d @ pooled, delta_d.sum(axis=1))
        return loglik, preds, grads

    # blocks run on all cores; their sums are added in block order, so the result does not
    # depend on the number of threads
    results = map_blocks(block, range(0, numImages, CHUNK))
    loglik = sum(r[0] for r in results)
    preds = np.concatenate([r[1] for r in results])
    if not pred:
        Wb_grad, Wd_grad, bd_grad = (sum(parts) for parts in zip(*(r[2] for r in results)))

    cost = -loglik / numImages + (lambda_ / 2.0) * (np.sum(Wd * Wd) + np.sum(Wc * Wc))
    if pred:
        return cost, 0, preds
    scale = 1.0 / numImages
    Wc_grad = Wb_grad[:-1].reshape(f, f, K) * scale + lambda_ * Wc
    # back from the (class, r, c, k) layout to MATLAB's numClasses x hiddenSize
    Wd_grad = Wd_grad.reshape(numClasses, outDim, outDim, K).reshape(numClasses, -1, order="F")
    Wd_grad = Wd_grad * scale + lambda_ * Wd
    return cost, np.concatenate([Wc_grad.ravel(order="F"), Wd_grad.ravel(order="F"),
                                 Wb_grad[-1] * scale, bd_grad * scale])


# --------------------------------------------------------------------------- set-up, training


def cnnInitParams(imageDim, filterDim, numFilters, poolDim, numClasses) -> np.ndarray:
    """Random initial parameters (cnn/cnnInitParams.m).

    ``Wc = 1e-1*randn(filterDim, filterDim, numFilters)``, ``Wd`` uniform in [-r, r] with
    ``r = sqrt(6)/sqrt(numClasses+hiddenSize+1)``, zero biases; drawn from
    :mod:`ufldl_py.matlab.random` in MATLAB's order, so a seeded run equals Octave's.

    Returns
    -------
    theta : (filterDim^2*numFilters + numClasses*hiddenSize + numFilters + numClasses,)
    """
    imageDim = _positive_int(imageDim, "imageDim")
    numClasses = _positive_int(numClasses, "numClasses")
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
    funObj : ``funObj(theta, mb_data, mb_labels) -> (cost, grad)``.
    theta : initial parameters.
    data : (r, c, m) examples.
    labels : (m,) labels.
    options : dict with epochs, alpha, minibatch (required) and momentum.
    callback : called as ``callback(epoch, it, cost)`` after every iteration, instead of
        printing 'Epoch e: Cost on iteration it is cost' as the original does.

    Returns
    -------
    opttheta : the parameters after the last iteration.
    """
    missing = [k for k in ("epochs", "alpha", "minibatch") if k not in options]
    if missing:
        raise ValueError("Some options not defined")
    momentum = options.get("momentum", 0.9)
    epochs = int(options["epochs"])
    alpha = float(options["alpha"])
    minibatch = int(options["minibatch"])
    labels = np.asarray(labels)
    if labels.ndim == 2 and 1 in labels.shape:
        labels = labels.ravel()
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
    """cnnConvolve as the exercise's loops write it: one conv2 per image and filter."""
    from ..matlab.ops import conv2, rot90

    images = _images3(images)
    W, b = _filters(W, b, filterDim, numFilters)
    numImages, imageDim = images.shape[2], images.shape[0]
    convDim = imageDim - filterDim + 1
    out = np.zeros((convDim, convDim, numFilters, numImages))
    for imageNum in range(numImages):
        for filterNum in range(numFilters):
            filt = rot90(W[:, :, filterNum], 2)
            im = images[:, :, imageNum]
            convolvedImage = conv2(im, filt, "valid")
            out[:, :, filterNum, imageNum] = 1 / (1 + np.exp(-(convolvedImage + b[filterNum])))
    return out


def cnnPool_loop(poolDim, convolvedFeatures) -> np.ndarray:
    """cnnPool as loops: the mean of each poolDim x poolDim block of each feature map."""
    cf = np.asarray(convolvedFeatures, dtype=np.float64)
    cf = cf.reshape(cf.shape + (1,) * (4 - cf.ndim))
    cd, _, K, n = cf.shape
    od = cd // poolDim
    out = np.zeros((od, od, K, n))
    for i in range(n):
        for k in range(K):
            for r in range(od):
                for c in range(od):
                    block = cf[r * poolDim:(r + 1) * poolDim, c * poolDim:(c + 1) * poolDim, k, i]
                    out[r, c, k, i] = block.mean()
    return out


def cnnCost_loop(theta, images, labels, numClasses, filterDim, numFilters, poolDim,
                 pred=False, *, lambda_=LAMBDA):
    """cnnCost as the completed exercise writes it: kron upsampling and conv2 per image."""
    from ..matlab.ops import conv2, kron, onehot, rot90

    images = _images3(images)
    imageDim, numImages = images.shape[0], images.shape[2]
    Wc, Wd, bc, bd = cnnParamsToStack(theta, imageDim, filterDim, numFilters, poolDim,
                                      numClasses)
    y = _labels(labels, numImages, numClasses) + 1
    convDim = imageDim - filterDim + 1
    outputDim = convDim // poolDim
    convolvedFeatures = cnnConvolve_loop(filterDim, numFilters, images, Wc, bc)
    activationsPooled = cnnPool_loop(poolDim, convolvedFeatures)
    activationsPooled = activationsPooled.reshape(-1, numImages, order="F")
    M = Wd @ activationsPooled + bd[:, None]
    M = M - M.max(axis=0)
    M = np.exp(M)
    probs = M / M.sum(axis=0)
    groundTruth = onehot(y, numClasses)
    cost = (-1 / numImages * groundTruth.ravel(order="F") @ np.log(probs.ravel(order="F"))
            + (lambda_ / 2) * (np.sum(Wd ** 2) + np.sum(Wc ** 2)))
    if pred:
        return cost, 0, probs.argmax(axis=0) + 1.0
    delta_d = -(groundTruth - probs)
    Wd_grad = (1 / numImages) * delta_d @ activationsPooled.T + lambda_ * Wd
    bd_grad = (1 / numImages) * delta_d.sum(axis=1)
    delta_s = (Wd.T @ delta_d).reshape(outputDim, outputDim, numFilters, numImages, order="F")
    delta_c = np.zeros((convDim, convDim, numFilters, numImages))
    for i in range(numImages):
        for j in range(numFilters):
            delta_c[:, :, j, i] = (1 / poolDim ** 2) * kron(delta_s[:, :, j, i],
                                                           np.ones((poolDim, poolDim)))
    delta_c = convolvedFeatures * (1 - convolvedFeatures) * delta_c
    Wc_grad = np.zeros_like(Wc)
    bc_grad = np.zeros_like(bc)
    for i in range(numFilters):
        Wc_i = np.zeros((filterDim, filterDim))
        for j in range(numImages):
            Wc_i = Wc_i + conv2(images[:, :, j], rot90(delta_c[:, :, i, j], 2), "valid")
        Wc_grad[:, :, i] = (1 / numImages) * Wc_i + lambda_ * Wc[:, :, i]
        bc_grad[i] = delta_c[:, :, i, :].sum() / numImages
    grad = np.concatenate([Wc_grad.ravel(order="F"), Wd_grad.ravel(order="F"), bc_grad,
                           bd_grad])
    return cost, grad


# --------------------------------------------------------------------------- crosschecks


def _random_network(rng: np.random.Generator):
    """Random valid sizes, parameters, images and labels for the crosschecks."""
    poolDim = int(rng.integers(1, 4))
    filterDim = int(rng.integers(2, 7))
    outDim = int(rng.integers(1, 5))
    numFilters, numClasses = int(rng.integers(1, 5)), int(rng.integers(2, 6))
    imageDim = outDim * poolDim + filterDim - 1
    theta = 0.1 * rng.standard_normal(filterDim ** 2 * numFilters + numClasses * outDim ** 2
                                      * numFilters + numFilters + numClasses)
    images = rng.random((imageDim, imageDim, int(rng.integers(1, 9))))
    labels = rng.integers(1, numClasses + 1, images.shape[2]).astype(float)
    return theta, images, labels, float(numClasses), float(filterDim), float(numFilters), \
        float(poolDim)


def _register_checks() -> None:
    from ..crosscheck import Check, register

    def convolve_inputs(rng):
        theta, images, _, C, f, K, p = _random_network(rng)
        Wc, _, bc, _ = cnnParamsToStack(theta, images.shape[0], f, K, p, C)
        return f, K, images, Wc, bc

    def pool_inputs(rng):
        p = int(rng.integers(1, 4))
        return float(p), rng.random((p * int(rng.integers(1, 5)),) * 2
                                    + (int(rng.integers(1, 4)), int(rng.integers(1, 4))))

    def stack_inputs(rng):
        theta, images, _, C, f, K, p = _random_network(rng)
        return theta, float(images.shape[0]), f, K, p, C

    common = {"where": "ufldl", "subdirs": ("cnn",)}
    register(Check("cnnConvolve", cnnConvolve, convolve_inputs,
                   ("filterDim", "numFilters", "images", "W", "b"), **common))
    register(Check("cnnPool", cnnPool, pool_inputs, ("poolDim", "convolvedFeatures"), **common))
    register(Check("cnnCost", cnnCost, _random_network,
                   ("theta", "images", "labels", "numClasses", "filterDim", "numFilters",
                    "poolDim"), nargout=2, outnames=("cost", "grad"), **common))
    register(Check("cnnParamsToStack", cnnParamsToStack, stack_inputs,
                   ("theta", "imageDim", "filterDim", "numFilters", "poolDim", "numClasses"),
                   nargout=4, outnames=("Wc", "Wd", "bc", "bd"), **common))


_register_checks()
