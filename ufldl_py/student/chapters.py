"""The student-mode table: one :class:`Chapter` per exercise, one :class:`Function` per
function the student writes.

Each Function names the readable form whose marked gaps make its template (``source``), the
port the student's function must equal (``reference``), random valid inputs, the
instructions of each gap (paraphrasing the MATLAB template's), the documented alternative
completions (``variants``), the common mistakes the checker tries (``mistakes``) and the
checks the MATLAB driver runs on it (``checks``). See :mod:`ufldl_py.student` for how to add
a chapter.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
import scipy.linalg

from ..matlab.ops import conv2
from ..testing import PROBLEMS
from ..ufldl import cnn as ucnn
from ..ufldl import ex1
from ..ufldl import multilayer_supervised as mls
from ..ufldl import pca, rica, stl
from ..ufldl_classic import cnn as ccnn
from ..ufldl_classic import linear_decoder as cld
from ..ufldl_classic import pca as cpca
from ..ufldl_classic import softmax as csoftmax
from ..ufldl_classic import sparseae as csae
from ..ufldl_classic import stackedae as cstacked
from ..ufldl_classic import stl as cstl

__all__ = ["Chapter", "Function", "Mistake", "CHAPTERS", "get"]


@dataclass(frozen=True)
class Mistake:
    """A common mistake, recognised by computing it: ``fn`` takes the function's arguments
    and returns what a function with that mistake returns (or raises where it would)."""

    cause: str
    fn: Callable[..., Any]


@dataclass(frozen=True)
class Function:
    """One function the student writes.

    Parameters
    ----------
    name : str
        The MATLAB name: the student's file is ``name.py`` and defines ``name``.
    source : callable
        The readable form whose ``# --- YOUR CODE HERE: id ---`` ... ``# --- END ---``
        regions are the gaps (a ``_loop`` form, or the port itself where it is readable).
    reference : callable
        The port the student's function must equal (1e-9 relative) on held-out inputs.
    inputs : callable
        ``inputs(rng, trial) -> tuple`` of random valid arguments (trial 0, 1, ...; the even
        trials leave out the last class, where there are labels, so that a 0-based slip
        can be recognised).
    outnames : tuple of str
        The outputs compared, in MATLAB's order.
    doc : str
        The template's docstring (the MATLAB template's header, paraphrased).
    imports : str
        The template's import lines besides numpy: what the MATLAB template gives.
    gaps : dict
        Gap id -> the instructions written as comments in its place.
    variants : tuple of (str, callable)
        Other accepted completions (e.g. cnnCost without weight decay), described.
    completion : str
        The description of ``reference``'s completion, when there are variants.
    mistakes : tuple of Mistake
    matlab : str
        The MATLAB file whose gaps these are, where it is not ``name.m`` (pca_gen.m's steps).
    canonical : callable or None
        ``canonical(outputs) -> outputs``, applied to the student's outputs and the port's
        (lists in ``outnames``' order) before they are compared: where an output is defined
        only up to signs (eigenvectors), it fixes them by the port's rule.
    checks : tuple of (str, callable)
        The MATLAB driver's checks: ``check(fn) -> (ok, detail)``, run on the student's
        function in the checker's worker process.
    """

    name: str
    source: Callable[..., Any]
    reference: Callable[..., Any]
    inputs: Callable[[np.random.Generator, int], tuple]
    outnames: tuple[str, ...]
    doc: str
    imports: str = ""
    gaps: dict[str, str] = field(default_factory=dict)
    variants: tuple[tuple[str, Callable[..., Any]], ...] = ()
    completion: str = "the port's completion"
    mistakes: tuple[Mistake, ...] = ()
    matlab: str = ""
    canonical: Callable[[list], list] | None = None
    checks: tuple[tuple[str, Callable[[Callable], tuple[bool, str]]], ...] = ()


@dataclass(frozen=True)
class Chapter:
    """One exercise: its functions and its driver scripts (exercises/NAME.py)."""

    name: str
    origin: str
    title: str
    functions: tuple[Function, ...]
    drivers: tuple[str, ...]

    def function(self, name: str) -> Function:
        for f in self.functions:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no function {name!r}")


# --------------------------------------------------------------------------- shared helpers


def _top_label_left_out(labels, K: int, trial: int) -> np.ndarray:
    """Labels with class K replaced by 1 on even trials (see Function.inputs)."""
    labels = np.array(labels, dtype=np.float64)
    if trial % 2 == 0:
        labels[labels == K] = 1.0
    return labels


def _zero_based(fn, label_arg: int, K_of: Callable[[tuple], int]):
    """``fn`` as a function that took 1-based labels for 0-based indices computes: class
    l+1's row for label l, and an IndexError where a label is K."""
    def mistaken(*args):
        K = K_of(args)
        labels = np.asarray(args[label_arg], dtype=np.float64)
        if labels.max(initial=0) >= K:
            raise IndexError("a label K is out of range for 0-based indices")
        args = list(args)
        args[label_arg] = labels + 1
        return fn(*args)
    return mistaken


def _scaled(fn, factor: Callable[[tuple], float]):
    """``fn`` with every output multiplied by ``factor(args)``."""
    def mistaken(*args):
        out = fn(*args)
        s = factor(args)
        return tuple(np.asarray(o) * s for o in out) if isinstance(out, tuple) else out * s
    return mistaken


class Edited:
    """A mistake written as an edit of the completed template: the function ``function`` of
    chapter ``chapter`` with ``old`` replaced by ``new`` in its filled template's text (built
    on first use). The simplest way to describe a slip inside a gap."""

    def __init__(self, chapter: str, function: str, old: str, new: str, **kwargs):
        self.chapter, self.function, self.old, self.new = chapter, function, old, new
        self.kwargs = kwargs
        self._fn = None

    def build(self):
        if self._fn is None:
            from .templates import function_template

            chapter = get(self.chapter)
            text = function_template(chapter, chapter.function(self.function), fill=True)
            if self.old not in text:
                raise ValueError(f"{self.function}: {self.old!r} is not in its template")
            namespace: dict = {}
            exec(compile(text.replace(self.old, self.new), f"<{self.function} edited>",
                         "exec"), namespace)
            self._fn = namespace[self.function]
        return self._fn

    def __call__(self, *args):
        return self.build()(*args, **self.kwargs)


def _gradient_check(fn, args, delta=1e-3, count=6, seed=0, rtol=1e-4):
    """ex1's grad_check: central differences with delta 1e-3 at random coordinates of
    theta (args[0]); passed when each differs from the gradient by at most rtol relative."""
    theta = np.array(args[0], dtype=np.float64).ravel()
    rest = args[1:]
    f, g = fn(theta.copy(), *rest)[:2]
    g = np.asarray(g, dtype=np.float64).ravel()
    if g.size != theta.size:
        return False, f"the gradient has {g.size} elements, theta {theta.size}"
    rng = np.random.default_rng(seed)
    worst = 0.0
    for j in rng.permutation(theta.size)[:count]:
        T0, T1 = theta.copy(), theta.copy()
        T0[j] -= delta
        T1[j] += delta
        g_est = (float(fn(T1, *rest)[0]) - float(fn(T0, *rest)[0])) / (2 * delta)
        err = abs(g[j] - g_est) / max(1.0, abs(g_est))
        worst = max(worst, err)
        if err > rtol:
            return False, (f"at theta({j + 1}) your gradient is {g[j]:.6g}, the central "
                           f"difference {g_est:.6g}")
    return True, f"largest relative error {worst:.1e}"


# --------------------------------------------------------------------------- cnn


def _cnn_convolve_inputs(rng, trial):
    theta, images, _, C, f, K, p = PROBLEMS["cnnCost"](rng)
    Wc, _, bc, _ = ucnn.cnnParamsToStack(theta, images.shape[0], f, K, p, C)
    return int(f), int(K), images, Wc.copy(), bc.copy()


def _cnn_pool_inputs(rng, trial):
    p, cf = PROBLEMS["cnnPool"](rng)
    return int(p), cf


def _cnn_cost_inputs(rng, trial):
    theta, images, labels, C, f, K, p = PROBLEMS["cnnCost"](rng)
    return theta, images, _top_label_left_out(labels, int(C), trial), int(C), int(f), int(K), \
        int(p)


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


def _pool_regions(poolDim, convolvedFeatures, step, reduce):
    cf = np.asarray(convolvedFeatures, dtype=np.float64)
    cf = cf.reshape(cf.shape + (1,) * (4 - cf.ndim))
    od = cf.shape[0] // poolDim
    out = np.zeros((od, od) + cf.shape[2:])
    for r in range(od):
        for c in range(od):
            region = cf[r * step:r * step + poolDim, c * step:c * step + poolDim]
            out[r, c] = reduce(region, axis=(0, 1))
    return out


def _pool_overlapping(poolDim, convolvedFeatures):
    return _pool_regions(poolDim, convolvedFeatures, 1, np.mean)


def _pool_max(poolDim, convolvedFeatures):
    return _pool_regions(poolDim, convolvedFeatures, poolDim, np.max)


def _pool_sum(poolDim, convolvedFeatures):
    return _pool_regions(poolDim, convolvedFeatures, poolDim, np.sum)


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
                  lambda_):
    """cnnCost with the cross entropy summed over the images (no 1/m)."""
    m = np.shape(images)[2]
    c0, g0 = ucnn.cnnCost(theta, images, labels, numClasses, filterDim, numFilters, poolDim,
                          lambda_=0.0)
    dc, dg = _cnn_decay(theta, images, numClasses, filterDim, numFilters, poolDim, lambda_)
    return m * c0 + dc, m * g0 + dg


def _cost_row_major(theta, images, labels, numClasses, filterDim, numFilters, poolDim, *,
                    lambda_):
    """cnnCost with activationsPooled and delta_s reshaped row-major (order='C'): the same
    as the port with Wd's columns permuted."""
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
                    _zero_based(ref, 2, lambda a: int(a[3]))),
            Mistake("a row-major reshape: activationsPooled (and delta_s) must be reshaped "
                    "column-major, as MATLAB's reshape does (order='F')",
                    functools.partial(_cost_row_major, lambda_=lam)),
            Mistake("a row-major reshape of delta_s: reshape it column-major, as MATLAB's "
                    "reshape does (order='F')",
                    Edited("cnn", "cnnCost", 'numFilters, numImages, order="F")',
                           "numFilters, numImages)", lambda_=lam)),
        ]
    return tuple(out)


def _cnn_exercise_convolution_check(fn):
    """cnnExercise's STEP 1b: 1,000 random points of the convolution of 8 MNIST images with
    100 random 8x8 filters, each computed directly."""
    from .. import data

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


def _central_difference_check(fn, theta, args, limit):
    """The MATLAB scripts' gradient check: ``computeNumericalGradient`` (central differences,
    epsilon 1e-4) of ``fn(theta, *args)`` against its gradient, passed when
    ``norm(numGrad - grad) / norm(numGrad + grad) < limit``."""
    cost, grad = fn(theta.copy(), *args)[:2]
    grad = np.asarray(grad, dtype=np.float64).ravel()
    if grad.size != theta.size:
        return False, f"grad has {grad.size} elements, theta {theta.size}"
    numGrad = ucnn.computeNumericalGradient(lambda t: fn(t, *args), theta, verbose=False)
    diff = np.linalg.norm(numGrad - grad) / np.linalg.norm(numGrad + grad)
    if not diff < limit:
        worst = int(np.argmax(np.abs(numGrad - grad)))
        return False, (f"Difference too large: {diff:.3g} (largest at grad({worst + 1}): "
                       f"{grad[worst]:.6g}, numerically {numGrad[worst]:.6g})")
    return True, f"difference {diff:.1e}"


def _cnn_train_gradient_check(fn):
    """cnnTrain's STEP 2 (DEBUG) on a smaller network: computeNumericalGradient against the
    gradient, norm(numGrad - grad) / norm(numGrad + grad) < 1e-9."""
    rng = np.random.default_rng(7)
    C, f, K, p, imageDim, m = 3, 3, 2, 2, 8, 4
    hidden = ((imageDim - f + 1) // p) ** 2 * K
    theta = 0.1 * rng.standard_normal(f * f * K + C * hidden + K + C)
    images = rng.random((imageDim, imageDim, m))
    labels = rng.integers(1, C + 1, m).astype(float)
    return _central_difference_check(fn, theta, (images, labels, C, f, K, p), 1e-9)


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
                Mistake("the filter is not flipped: conv2 with the unflipped W(:,:,k) "
                        "computes a correlation (the template flips filt with rot90(filt, 2); "
                        "flipping it yourself as well undoes that)", _convolve_unflipped),
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
            mistakes=(
                Mistake("the pooling regions overlap: they start every pixel, where they "
                        "should start every poolDim pixels", _pool_overlapping),
                Mistake("max pooling where mean pooling is asked for", _pool_max),
                Mistake("each region's sum, not its mean (a missing 1/poolDim^2)", _pool_sum),
            ),
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
    (lambda_ = 0); the checker accepts either.""",
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
            checks=(("cnnTrain's gradient check", _cnn_train_gradient_check),)),
    ))


# --------------------------------------------------------------------------- ex1


# ex1's kinds of labels, by the function whose problem draws them
_EX1_PROBLEM = {"real": "linear_regression", "binary": "logistic_regression",
                "classes": "softmax_regression_vec"}


def _ex1_inputs(kind):
    def inputs(rng, trial):
        theta, X, y = PROBLEMS[_EX1_PROBLEM[kind]](rng)
        if kind == "classes":
            y = _top_label_left_out(y, theta.size // X.shape[0] + 1, trial)
        return theta, X, y
    return inputs


def _per_example(args):
    return 1.0 / np.shape(args[1])[1]


def _softmax_row_major(theta_c: bool, g_c: bool):
    """softmax_regression_vec with theta reshaped and/or g unrolled row-major."""
    def mistaken(theta, X, y):
        n = np.shape(X)[0]
        T = np.ravel(theta).reshape(n, -1, order="C" if theta_c else "F")
        f, g = ex1.softmax_regression_vec(T.ravel(order="F"), X, y)
        return f, g.reshape(T.shape, order="F").ravel(order="C" if g_c else "F")
    return mistaken


def _ex1_gradient_check(kind):
    def check(fn):
        theta, X, y = PROBLEMS[_EX1_PROBLEM[kind]](np.random.default_rng(11))
        return _gradient_check(fn, (theta, X, y))
    return check


_MEAN = ("averaged over the examples (a 1/m): the tutorial's objective and gradient are "
         "sums over the examples")
_EX1_CHECK = "a gradient check (grad_check)"
_EX1_ARGS = """

    Parameters: theta (the parameters), X (the examples, one per column: X[i, j] is the i'th
    coordinate of the j'th example), y (the label of each example: y[j] is example j's).
    Returns f (the objective) and g (its gradient with respect to theta)."""


def _ex1_function(name, kind, doc, gap, instructions, mistakes, imports=""):
    source = getattr(ex1, name)
    return Function(name, source, source, _ex1_inputs(kind), ("f", "g"),
                    doc=doc + _EX1_ARGS, imports=imports, gaps={f"{name}/{gap}": instructions},
                    mistakes=(Mistake(_MEAN, _scaled(source, _per_example)), *mistakes),
                    checks=((_EX1_CHECK, _ex1_gradient_check(kind)),))


_NEGATED = "the sign: the log-likelihood where its negative is to be minimised"

EX1 = Chapter(
    name="ex1", origin="stanford_dl_ex/ex1",
    title="Linear, logistic and softmax regression (ex1a_linreg, ex1b_logreg, ex1c_softmax)",
    drivers=("ex1a_linreg", "ex1b_logreg", "ex1c_softmax"),
    functions=(
        _ex1_function(
            "linear_regression", "real",
            "The linear regression objective 1/2 * sum_j (theta' * x_j - y_j)^2 and its "
            "gradient,\n    by looping over the examples.", "loop",
            "Compute the linear regression objective by looping over the examples in X; "
            "store it in f. Compute its gradient with respect to theta by looping over the "
            "examples and adding up each example's gradient; store it in g.",
            (Mistake("a missing 1/2 in the objective",
                     _scaled(ex1.linear_regression, lambda a: 2.0)),)),
        _ex1_function(
            "linear_regression_vec", "real",
            "linear_regression in vectorized code (no loops).", "vectorized",
            "Compute the linear regression objective and gradient using vectorized code "
            "(it will be just a few lines); store the objective in f and the gradient in g.",
            (Mistake("a missing 1/2 in the objective",
                     _scaled(ex1.linear_regression_vec, lambda a: 2.0)),)),
        _ex1_function(
            "logistic_regression", "binary",
            "The logistic regression objective -sum_j (y_j log h(x_j) + (1 - y_j) log(1 - "
            "h(x_j))),\n    h(x) = sigmoid(theta' * x), and its gradient, by looping over the "
            "examples.", "loop",
            "Compute the objective by looping over the dataset and summing up each "
            "example's objective; store it in f. Compute the gradient by looping over the "
            "dataset and summing up each example's gradient (df/dtheta); store it in g.",
            (Mistake(_NEGATED, _scaled(ex1.logistic_regression, lambda a: -1.0)),),
            imports="from ufldl_py.ufldl.ex1 import sigmoid"),
        _ex1_function(
            "logistic_regression_vec", "binary",
            "logistic_regression in vectorized code (no loops).", "vectorized",
            "Compute the logistic regression objective and gradient using vectorized code "
            "(it will be just a few lines); store the objective in f and the gradient in g.",
            (Mistake(_NEGATED, _scaled(ex1.logistic_regression_vec, lambda a: -1.0)),),
            imports="from ufldl_py.ufldl.ex1 import sigmoid"),
        _ex1_function(
            "softmax_regression_vec", "classes",
            "The softmax regression objective -sum_j log P(y_j | x_j) and its gradient, "
            "vectorized.\n\n    theta holds n x (num_classes - 1) parameters as a vector "
            "(minFunc's theta is a long vector);\n    the last class's parameters are zero, "
            "theta(:, num_classes) = 0. Labels are 1..num_classes.", "vectorized",
            "Compute the softmax objective and its gradient using vectorized code; store "
            "the objective in f and the gradient (n x (num_classes - 1)) in g.",
            (Mistake("labels taken as 0-based: they are 1..num_classes as in MATLAB, so the "
                     "row of label l is l - 1",
                     _zero_based(ex1.softmax_regression_vec, 2,
                                 lambda a: np.size(a[0]) // np.shape(a[1])[0] + 1)),
             *(Mistake("a row-major reshape: theta and g must be reshaped column-major, as "
                       "MATLAB's reshape does (order='F')", _softmax_row_major(tc, gc))
               for tc, gc in ((True, True), (True, False), (False, True))))),
    ))


# --------------------------------------------------------------------------- multilayer


def _dnn_inputs(rng, trial):
    theta, ei, X, y = PROBLEMS["supervised_dnn_cost"](rng)
    return theta, ei, X, _top_label_left_out(y, int(ei["output_dim"]), trial)


def _dnn_gradient_check(fn):
    theta, ei, X, y = PROBLEMS["supervised_dnn_cost"](np.random.default_rng(3))
    ei["lambda"] = 0.1
    return _gradient_check(fn, (theta, ei, X, y), count=10)


DNN = Chapter(
    name="multilayer_supervised", origin="stanford_dl_ex/multilayer_supervised",
    title="A multilayer neural network (run_train)",
    drivers=("run_train",),
    functions=(
        Function(
            "supervised_dnn_cost", mls.supervised_dnn_cost, mls.supervised_dnn_cost,
            _dnn_inputs, ("cost", "grad", "pred_prob"),
            doc="""Cost, gradient and output probabilities of a fully connected network.

    Parameters: theta (the unrolled parameters, see stack2params), ei (the network: input_dim,
    output_dim, layer_sizes (the hidden sizes, then output_dim), lambda, activation_fun),
    data_ (input_dim x m, one example per column), labels (1..output_dim), pred_only (only
    forward propagate). Returns cost (the cross entropy summed over the examples plus the
    weight decay lambda/2 * sum of every W's squares; -1 with pred_only), grad (empty with
    pred_only) and pred_prob (the softmax probabilities, output_dim x m).""",
            imports="from ufldl_py.ufldl.multilayer_supervised import ACTIVATIONS, "
                    "params2stack, stack2params",
            gaps={
                "supervised_dnn_cost/forward": "Forward propagate: each hidden layer's "
                                               "activations into hAct[l] (act of W a + b), "
                                               "then the softmax output layer's "
                                               "probabilities into pred_prob.",
                "supervised_dnn_cost/cost": "Compute the cross entropy cost ceCost from "
                                            "labels and pred_prob.",
                "supervised_dnn_cost/backpropagation": "Compute the gradients by "
                                                       "backpropagation, each layer's "
                                                       "{'W': ..., 'b': ...} into "
                                                       "gradStack[l].",
                "supervised_dnn_cost/weight_decay": "Add the weight penalty lambda/2 * "
                                                    "sum(W(:).^2) over the layers (not the "
                                                    "biases) to the cost and its gradient "
                                                    "to gradStack's W; store the total in "
                                                    "cost.",
            },
            mistakes=(
                Mistake("labels taken as 0-based: they are 1..output_dim as in MATLAB, so "
                        "the row of label l is l - 1",
                        _zero_based(mls.supervised_dnn_cost, 3,
                                    lambda a: int(a[1]["output_dim"]))),
            ),
            checks=(("a gradient check (grad_check)", _dnn_gradient_check),)),
    ))


# --------------------------------------------------------------------------- pca


def _eigen_signs(outs: list, u_at: int, rows_at: tuple[int, ...] = ()) -> list:
    """outs with the columns of outs[u_at] (eigenvectors) signed by fix_signs' rule, and the
    rows of each outs[r], r in rows_at, with them (xRot = U' * x)."""
    U = np.asarray(outs[u_at], dtype=np.float64)
    if U.ndim != 2 or U.shape[0] != U.shape[1]:
        raise ValueError("not a square matrix of eigenvectors")
    signs = np.where(U[np.abs(U).argmax(axis=0), np.arange(U.shape[1])] < 0, -1.0, 1.0)
    outs = list(outs)
    outs[u_at] = U * signs
    for r in rows_at:
        rows = np.asarray(outs[r], dtype=np.float64)
        if rows.ndim != 2 or rows.shape[0] != signs.size:
            raise ValueError("not one row per eigenvector")
        outs[r] = rows * signs[:, None]
    return outs


def _pca_data(rng, n=None, m=None):
    """Correlated data with per-dimension and per-example offsets (n x m, m > n)."""
    n = int(rng.integers(4, 9)) if n is None else n
    m = int(rng.integers(n + 12, 60)) if m is None else m
    A = rng.standard_normal((n, n)) * np.linspace(2.0, 0.3, n)
    return A @ rng.standard_normal((n, m)) + rng.standard_normal((n, 1)) \
        + rng.standard_normal(m)


def _pca_rotated(rng):
    x = pca.zero_mean(_pca_data(rng))
    xRot, U, S = pca.pca_rotate(x)
    return x, xRot, U, S


def _reduce_inputs(rng, trial):
    x, _, U, _ = _pca_rotated(rng)
    return x, U, int(rng.integers(1, x.shape[0]))


def _whiten_inputs(rng, trial):
    _, xRot, _, S = _pca_rotated(rng)
    return xRot, S, (0.1, 0.01, 1.0, 0.1)[trial % 4]


def _zca_whiten_inputs(rng, trial):
    _, xRot, U, S = _pca_rotated(rng)
    return U, pca.pca_whiten(xRot, S)


def _eigenvalue_inputs(rng, trial):
    lam = np.sort(rng.random(int(rng.integers(8, 20))) ** 3)[::-1]
    return np.diag(lam), (0.99, 0.9, 0.95, 0.5)[trial % 4]


def _zero_mean_rows(x):
    x = np.asarray(x, dtype=np.float64)
    return x - x.mean(axis=1, keepdims=True)


def _rotate_mistake(scale_m=False, u_not_transposed=False, ascending=False):
    def mistaken(x):
        xRot, U, S = pca.pca_rotate(x)
        if scale_m:
            S = S * np.shape(x)[1]
        if ascending:
            U, S = U[:, ::-1], S[::-1, ::-1]
            xRot = U.T @ np.asarray(x)
        if u_not_transposed:
            xRot = U @ np.asarray(x)
        return xRot, U, S
    return mistaken


def _np_cov(xRot):
    return np.cov(np.asarray(xRot, dtype=np.float64))


def _whiten_mistake(kind):
    def mistaken(xRot, S, epsilon):
        lam = np.diag(np.asarray(S, dtype=np.float64))
        xRot = np.asarray(xRot, dtype=np.float64)
        with np.errstate(divide="ignore"):
            if kind == "no_epsilon":
                return xRot / np.sqrt(lam)[:, None]
            if kind == "no_sqrt":
                return xRot / (lam + epsilon)[:, None]
            return xRot / (np.sqrt(lam) + epsilon)[:, None]  # epsilon outside the root
    return mistaken


def _pca_diagonal_check(covariance_of):
    """pca_gen's Step 1b: the covariance of xRot is diagonal (off-diagonal entries at most
    1e-10 of the largest)."""
    def check(fn):
        x = pca.zero_mean(_pca_data(np.random.default_rng(5), 8, 200))
        covar = np.asarray(covariance_of(fn, x), dtype=np.float64)
        if covar.shape != (8, 8):
            return False, f"covar has shape {covar.shape}, expected (8, 8)"
        off = float(np.abs(covar - np.diag(np.diag(covar))).max())
        big = float(np.abs(covar).max())
        if not off <= 1e-10 * big:
            return False, (f"the covariance of xRot is not diagonal: largest off-diagonal "
                           f"entry {off:.3g}, {off / big:.3g} of the largest entry")
        return True, f"largest off-diagonal entry {off / big:.1e} of the largest"
    return check


def _pca_identity_check(whiten_covariance):
    """pca_gen's Step 4b: with epsilon 0, the covariance of xPCAWhite is the identity (on the
    components of non-zero variance; the zero-mean data has one of zero variance)."""
    def check(fn):
        x = pca.zero_mean(_pca_data(np.random.default_rng(6), 8, 200))
        xRot, _, S = pca.pca_rotate(x)
        lam = np.diag(S)
        keep = lam > 1e-10 * lam[0]
        covar = np.asarray(whiten_covariance(fn, xRot[keep], np.diag(lam[keep])),
                           dtype=np.float64)
        if covar.shape != (keep.sum(),) * 2:
            return False, f"covar has shape {covar.shape}, expected {(keep.sum(),) * 2}"
        err = float(np.abs(covar - np.eye(keep.sum())).max())
        if not err <= 1e-9:
            return False, (f"with epsilon 0 the covariance of xPCAWhite is not the identity: "
                           f"largest |covar - I| {err:.3g}")
        return True, f"largest |covar - I| {err:.1e}"
    return check


def _pca_step(name, inputs, outnames, **kwargs):
    """The Function of pca_gen's step ``name``: the port is its own readable form."""
    port = getattr(pca, name)
    return Function(name, port, port, inputs, outnames, matlab="pca_gen.m", **kwargs)


_SVD_IMPORT = "import scipy.linalg  # svd (numpy's np.linalg.svd serves too)"

PCA = Chapter(
    name="pca", origin="stanford_dl_ex/pca",
    title="PCA, PCA whitening and ZCA whitening (pca_gen)",
    drivers=("pca_gen",),
    functions=(
        _pca_step(
            "zero_mean", lambda rng, t: (_pca_data(rng),),
            ("x",),
            doc="""pca_gen's Step 0b: zero-mean the data.

    Parameters: x (n x m, one example per column). Returns x with each example's (column's)
    own mean subtracted.""",
            gaps={"zero_mean/step0b": "Zero-mean the data: subtract from each example (each "
                                      "column of x) its own mean, MATLAB's mean(x, 1); "
                                      "numpy's broadcasting does what bsxfun does."},
            mistakes=(Mistake("the mean over the wrong axis: each row's mean over the "
                              "examples, MATLAB's mean(x, 2), where pca_gen subtracts each "
                              "example's (column's) own mean, mean(x, 1)", _zero_mean_rows),)),
        _pca_step(
            "pca_rotate",
            lambda rng, t: (pca.zero_mean(_pca_data(rng)),), ("xRot", "U", "S"),
            doc="""pca_gen's Step 1a: PCA, the data in the eigenbasis of its covariance.

    Parameters: x (n x m, zero-mean, one example per column). Returns xRot (n x m, the data
    with respect to the eigenbasis U), U (n x n, the eigenvectors of sigma = x * x' / m as
    columns, by decreasing eigenvalue) and S (n x n, the eigenvalues on the diagonal, as
    svd's S). Each eigenvector's sign is arbitrary: the checker compares U and xRot after
    making each column of U's entry of largest magnitude positive.""",
            imports=_SVD_IMPORT,
            gaps={"pca_rotate/step1a": "Implement PCA to obtain xRot, the matrix in which the "
                                       "data is expressed with respect to the eigenbasis of "
                                       "sigma = x * x' / m, which is the matrix U (svd of "
                                       "sigma: U, and S with the eigenvalues on its "
                                       "diagonal)."},
            mistakes=(
                Mistake("a missing 1/m in sigma = x * x' / m: S is m times too large",
                        _rotate_mistake(scale_m=True)),
                Mistake("xRot = U * x where it is U' * x (the data with respect to the "
                        "basis U)", _rotate_mistake(u_not_transposed=True)),
                Mistake("the eigenvalues in increasing order (eig's, eigh's): U and S are "
                        "by decreasing eigenvalue, as svd gives them",
                        _rotate_mistake(ascending=True)),
            ),
            canonical=lambda outs: _eigen_signs(outs, 1, (0,)),
            checks=(("pca_gen's Step 1b (the covariance of xRot is diagonal)",
                     _pca_diagonal_check(lambda fn, x: pca.covariance(fn(x)[0]))),)),
        _pca_step(
            "covariance",
            lambda rng, t: (rng.standard_normal((int(rng.integers(3, 8)),
                                                 int(rng.integers(10, 40)))) + 0.5,),
            ("covar",),
            doc="""pca_gen's Steps 1b and 4b: the covariance matrix of the data.

    Parameters: xRot (n x m, one example per column). Returns covar (n x n), the covariance
    of the zero-mean data (pca_gen does not subtract the mean again).""",
            gaps={"covariance/step1b_4b": "Compute the covariance matrix covar of xRot "
                                          "(n x n; the data is zero-mean, so it is xRot * "
                                          "xRot' over the examples, averaged). pca_gen uses "
                                          "it twice: for xRot (Step 1b: a diagonal matrix) "
                                          "and for xPCAWhite (Step 4b: the identity without "
                                          "regularisation)."},
            mistakes=(
                Mistake("a missing 1/m: the products summed over the examples, not averaged",
                        _scaled(pca.covariance, lambda a: np.shape(a[0])[1])),
                Mistake("numpy's np.cov: it subtracts each row's mean again and divides by "
                        "m - 1", _np_cov),
            ),
            checks=(("pca_gen's Step 1b (the covariance of xRot is diagonal)",
                     _pca_diagonal_check(lambda fn, x: fn(pca.pca_rotate(x)[0]))),
                    ("pca_gen's Step 4b (epsilon 0: the covariance of xPCAWhite is the "
                     "identity)",
                     _pca_identity_check(lambda fn, xRot, S: fn(pca.pca_whiten(xRot, S,
                                                                                0.0)))))),
        _pca_step(
            "num_components",
            _eigenvalue_inputs,
            ("k",), imports="from ufldl_py.ufldl.pca import RETAIN  # 0.99",
            doc="""pca_gen's Step 2: k, the number of components to retain.

    Parameters: S (n x n, the eigenvalues on the diagonal, decreasing, as pca_rotate gives),
    retain (the fraction of the variance to keep; pca_gen: 0.99). Returns k (1..n).""",
            gaps={"num_components/step2": "Determine k, the number of components to retain "
                                          "in order to retain at least the fraction retain "
                                          "(99%) of the variance: the fewest leading "
                                          "eigenvalues (lam, decreasing) whose sum is at least "
                                          "retain times the sum of all of them."},
            mistakes=(Mistake("k off by one: the 0-based index of the last component, not the "
                              "number of components (k = 1..n)",
                              lambda S, retain: pca.num_components(S, retain) - 1),)),
        _pca_step(
            "pca_reduce",
            _reduce_inputs,
            ("xHat",),
            doc="""pca_gen's Step 3: PCA with dimension reduction, back in the original basis.

    Parameters: x (n x m, zero-mean), U (n x n, pca_rotate's eigenvectors), k (the number of
    components kept). Returns xHat (n x m): x reduced to its first k components, then the PCA
    transformation inverted.""",
            gaps={"pca_reduce/step3": "Reduce the dimension of the data to k by discarding "
                                      "the remaining components (xTilde, k x m), then invert "
                                      "the PCA transformation to produce the matrix xHat, "
                                      "the dimension-reduced data with respect to the "
                                      "original basis (n x m)."},
            mistakes=(
                Mistake("U's first k rows where its first k columns (the eigenvectors) are "
                        "meant", lambda x, U, k: np.asarray(U)[:k].T @ (np.asarray(U)[:k]
                                                                       @ np.asarray(x))),
                Mistake("xTilde (the k x m reduced data) returned where xHat, back in the "
                        "original basis, is asked for",
                        lambda x, U, k: np.asarray(U)[:, :k].T @ np.asarray(x)),
            )),
        _pca_step(
            "pca_whiten",
            _whiten_inputs,
            ("xPCAWhite",), imports="from ufldl_py.ufldl.pca import EPSILON  # 0.1",
            doc="""pca_gen's Step 4a: PCA whitening with regularisation.

    Parameters: xRot (n x m, pca_rotate's), S (n x n, the eigenvalues on the diagonal),
    epsilon (the regularisation; pca_gen: 0.1). Returns xPCAWhite (n x m).""",
            gaps={"pca_whiten/step4a": "Implement PCA whitening with regularisation to "
                                       "produce the matrix xPCAWhite: scale each component "
                                       "(row) of xRot by 1 / sqrt(its eigenvalue + "
                                       "epsilon)."},
            mistakes=(
                Mistake("epsilon left out: 1 / sqrt(lambda) where 1 / sqrt(lambda + "
                        "epsilon)", _whiten_mistake("no_epsilon")),
                Mistake("no square root: 1 / (lambda + epsilon) where 1 / sqrt(lambda + "
                        "epsilon)", _whiten_mistake("no_sqrt")),
                Mistake("epsilon added outside the square root: 1 / (sqrt(lambda) + "
                        "epsilon)", _whiten_mistake("outside")),
            ),
            checks=(("pca_gen's Step 4b (epsilon 0: the covariance of xPCAWhite is the "
                     "identity)",
                     _pca_identity_check(lambda fn, xRot, S: pca.covariance(fn(xRot, S,
                                                                               0.0)))),)),
        _pca_step(
            "zca_whiten",
            _zca_whiten_inputs,
            ("xZCAWhite",),
            doc="""pca_gen's Step 5: ZCA whitening.

    Parameters: U (n x n, pca_rotate's eigenvectors), xPCAWhite (n x m, pca_whiten's).
    Returns xZCAWhite (n x m).""",
            gaps={"zca_whiten/step5": "Implement ZCA whitening to produce the matrix "
                                      "xZCAWhite: the PCA-whitened data rotated back into the "
                                      "original basis."},
            mistakes=(Mistake("U' * xPCAWhite where the rotation back is U * xPCAWhite",
                              lambda U, xw: np.asarray(U).T @ np.asarray(xw)),)),
    ))


# --------------------------------------------------------------------------- rica


def _zca2_inputs(rng, trial):
    n = int(rng.integers(4, 10))
    return (rng.random((n, int(rng.integers(n + 10, 60)))) + rng.random(n)[:, None],)


def _zca2_mistake(axis=0, per_example=True, epsilon=True, zca=True, centre=True):
    def mistaken(x):
        x = np.asarray(x, dtype=np.float64)
        if centre:
            x = x - x.mean(axis=axis, keepdims=True)
        sigma = x @ x.T / (x.shape[1] if per_example else 1)
        U, s, _ = scipy.linalg.svd(sigma, lapack_driver="gesvd")
        d = 1.0 / np.sqrt(s + (rica.ZCA_EPSILON if epsilon else 0.0))
        V = (U * d) @ U.T if zca else d[:, None] * U.T
        return V @ x, V, U, np.diag(s)
    return mistaken


def _rica_problem(rng, k=None, n=None, m=None):
    k = int(rng.integers(3, 9)) if k is None else k
    n = int(rng.integers(3, 7)) if n is None else n
    m = int(rng.integers(8, 30)) if m is None else m
    x = rng.standard_normal((n, m))
    x /= np.sqrt(np.sum(x ** 2, axis=0) + 1e-8)
    params = {"numFeatures": k, "n": n, "lambda": float(rng.choice([5e-4, 0.05, 0.5])),
              "epsilon": 1e-2}
    return 0.5 * rng.standard_normal(k * n), x, params


def _soft_ica(theta, x, params, *, mean=True, project=True, epsilon=True, half=True,
              both=True, lam=True):
    """softICACost_loop's completion, with one of its parts left out or changed."""
    k, n = int(params["numFeatures"]), int(params["n"])
    Wold = np.reshape(theta, (k, n), order="F")
    W = rica.l2rowscaled(Wold, 1) if project else Wold
    x = np.asarray(x, dtype=np.float64)
    m = x.shape[1] if mean else 1
    weight = params["lambda"] if lam else 1.0
    Wx = W @ x
    sq = np.sqrt(Wx ** 2 + (params["epsilon"] if epsilon else 0.0))
    R = W.T @ W @ x - x
    cost = (weight * np.sum(sq) + (0.5 if half else 1.0) * np.sum(R ** 2)) / m
    with np.errstate(divide="ignore", invalid="ignore"):
        sparse = (Wx / sq) @ x.T
    Wgrad = (weight * sparse + (1.0 if half else 2.0) * (W @ R @ x.T
                                                         + (Wx @ R.T if both else 0.0))) / m
    grad = rica.l2rowscaledg(Wold, rica.l2rowscaled(Wold, 1), Wgrad, 1)
    return cost, grad.ravel(order="F")


def _rica_gradient_check(fn):
    """runSoftICA's gradient check on a small problem: computeNumericalGradient (central
    differences, epsilon 1e-4) against the gradient, norm(numGrad - grad) / norm(numGrad +
    grad) < 1e-7."""
    theta, x, params = _rica_problem(np.random.default_rng(9), 4, 5, 12)
    params["lambda"] = 0.1
    return _central_difference_check(fn, theta, (x, params), 1e-7)


RICA = Chapter(
    name="rica", origin="stanford_dl_ex/rica",
    title="Reconstruction ICA: zca2 and softICACost (runSoftICA)",
    drivers=("runSoftICA",),
    functions=(
        Function(
            "zca2", rica.zca2, rica.zca2, _zca2_inputs, ("Z", "V", "E", "D"),
            doc="""ZCA whitening, all components kept (no dimensionality reduction).

    Parameters: x (n x m, one patch per column). Returns Z (n x m, the ZCA-whitened patches),
    V (n x n, the whitening matrix: Z = V * (x - mean(x, 1))), E (U, the eigenvectors of
    sigma) and D (S, the eigenvalues on the diagonal). The MATLAB template declares Z only;
    runSoftICA takes zca2(x)[0] and stlExercise the V of zca2(x)[:2]. E's columns are
    compared up to their signs.""",
            imports=_SVD_IMPORT,
            gaps={"zca2/zca": "You should be able to use the code from your PCA/ZCA exercise: "
                              "zero-mean each patch (column), compute sigma, its svd (U, s) "
                              "and the ZCA whitening matrix V with regularisation epsilon, "
                              "retaining all of the components; Z = V * x is the ZCA "
                              "transformed data (the dimension of Z is that of x)."},
            mistakes=(
                Mistake("the mean over the wrong axis: each row's (pixel's) mean over the "
                        "patches, MATLAB's mean(x, 2), where zca2 subtracts each patch's "
                        "(column's) own mean, mean(x, 1)", _zca2_mistake(axis=1)),
                Mistake("the mean not subtracted", _zca2_mistake(centre=False)),
                Mistake("a missing 1/m in sigma = x * x' / m", _zca2_mistake(
                    per_example=False)),
                Mistake("epsilon left out of 1 ./ sqrt(diag(S) + epsilon)",
                        _zca2_mistake(epsilon=False)),
                Mistake("PCA whitening, not ZCA: the whitened data is not rotated back with "
                        "U (V = U * diag(...) * U')", _zca2_mistake(zca=False)),
            ),
            canonical=lambda outs: _eigen_signs(outs, 2)),
        Function(
            "softICACost", rica.softICACost_loop, rica.softICACost,
            lambda rng, t: _rica_problem(rng), ("cost", "grad"),
            doc="""The RICA cost and gradient.

    Parameters: theta (W(:), W of numFeatures x n), x (n x m, the whitened, normalised
    patches), params (a dict: numFeatures, n, lambda (the sparsity cost), epsilon (of the
    square-root nonlinearity); MATLAB's params struct). Returns cost and grad (the gradient
    with respect to theta, numFeatures*n).""",
            imports="from ufldl_py.ufldl.rica import l2rowscaled, l2rowscaledg",
            gaps={"softICACost/cost_grad": "Implement the RICA cost with the projected W: "
                                           "the soft L1 penalty lam * sum(sqrt((W*x).^2 + "
                                           "eps)) plus the reconstruction error 1/2 * "
                                           "||W'*W*x - x||^2 (summed over every entry), both "
                                           "averaged over the m patches; store it in cost, "
                                           "and its gradient with respect to W "
                                           "(numFeatures x n) in Wgrad."},
            mistakes=(
                Mistake("a missing 1/m: the cost and gradient summed over the patches, not "
                        "averaged", functools.partial(_soft_ica, mean=False)),
                Mistake("W not normalised by l2rowscaled: the cost and Wgrad computed with "
                        "Wold, the raw weights, where the template projects them (W = "
                        "l2rowscaled(Wold, 1))", functools.partial(_soft_ica, project=False)),
                Mistake("the square root without epsilon: sqrt((W*x).^2) where sqrt((W*x).^2 "
                        "+ epsilon)", functools.partial(_soft_ica, epsilon=False)),
                Mistake("a missing 1/2 on the reconstruction error",
                        functools.partial(_soft_ica, half=False)),
                Mistake("the sparsity term not weighted by lambda",
                        functools.partial(_soft_ica, lam=False)),
                Mistake("half of the reconstruction error's gradient: W*R*x' without "
                        "(W*x)*R' (W appears twice in W'*W*x)",
                        functools.partial(_soft_ica, both=False)),
            ),
            checks=(("runSoftICA's gradient check (computeNumericalGradient)",
                     _rica_gradient_check),)),
    ))


# --------------------------------------------------------------------------- stl


def _stl_inputs(rng, trial):
    filterDim, poolDim = int(rng.integers(2, 5)), int(rng.integers(2, 4))
    K, numImages, outDim = int(rng.integers(2, 4)), 2, int(rng.integers(2, 4))
    imageDim = outDim * poolDim + filterDim - 1
    return (filterDim, poolDim, K, rng.random((imageDim, imageDim, numImages)),
            rng.standard_normal((filterDim, filterDim, K)), {"epsilon": 1e-2})


def _ssr_pool(filterDim, poolDim, numFilters, images, W, params, *, flip=True, epsilon=True,
              root=True, step=True, mean=False):
    """feedfowardRICA_loop's completion with one of its parts changed."""
    images, W = np.asarray(images, dtype=np.float64), np.asarray(W, dtype=np.float64)
    out = []
    for n in range(images.shape[2]):
        maps = []
        for k in range(numFilters):
            filt = W[:, :, k][::-1, ::-1] if flip else W[:, :, k]
            resp = conv2(images[:, :, n], filt, "valid")
            pooled = conv2(resp if mean else resp ** 2, np.ones((poolDim, poolDim)), "valid")
            if mean:
                act = pooled / poolDim ** 2
            else:
                pooled = pooled + (params["epsilon"] if epsilon else 0.0)
                act = np.sqrt(pooled) if root else pooled
            maps.append(act[::poolDim, ::poolDim] if step else act)
        out.append(np.stack(maps, axis=2))
    return np.stack(out, axis=3)


STL = Chapter(
    name="stl", origin="stanford_dl_ex/stl",
    title="Self-taught learning: RICA features, convolved and pooled (stlExercise)",
    drivers=("stlExercise",),
    functions=(
        Function(
            "feedfowardRICA", stl.feedfowardRICA_loop, stl.feedfowardRICA, _stl_inputs,
            ("features",),
            doc="""The convolution of the features given by W with the images, pooled.

    As cnnConvolve + cnnPool of the CNN exercise, except that there is no bias term and the
    pooling is RICA-style square-square-root pooling instead of mean pooling. Parameters:
    filterDim (the filters' height and width), poolDim (the pooling regions'), numFilters,
    images (imageDim x imageDim x numImages), W (filterDim x filterDim x numFilters, the
    weights learnt by RICA), params (a dict with epsilon; MATLAB's global params). Returns
    features (convDim/poolDim x convDim/poolDim x numFilters x numImages, convDim =
    imageDim - filterDim + 1).""",
            imports="from ufldl_py.matlab.ops import conv2, rot90",
            gaps={
                "feedfowardRICA/filter": "Form W: obtain the feature (filterDim x filterDim) "
                                         "of filter filterNum needed during the convolution, "
                                         "as filt.",
                "feedfowardRICA/conv2": "Convolve filt with im to find resp; be sure to do a "
                                        "'valid' convolution.",
                "feedfowardRICA/pool": "Apply square-square-root pooling on resp to get the "
                                       "hidden activation act (convDim/poolDim square): "
                                       "square every element of resp, sum everything in "
                                       "each (non-overlapping) pooling region, then add "
                                       "epsilon to every element before taking the "
                                       "element-wise square root (hint: use poolMat as in "
                                       "cnnPool).",
            },
            mistakes=(
                Mistake("the filter is not flipped: conv2 with the unflipped W(:,:,k) "
                        "computes a correlation (the template flips filt with rot90(filt, 2); "
                        "flipping it yourself as well undoes that)",
                        functools.partial(_ssr_pool, flip=False)),
                Mistake("square-root pooling without epsilon: sqrt(sum of squares) where "
                        "sqrt(sum of squares + epsilon)",
                        functools.partial(_ssr_pool, epsilon=False)),
                Mistake("no square root: the sum of squares (+ epsilon) is not rooted",
                        functools.partial(_ssr_pool, root=False)),
                Mistake("the pooling regions overlap: they start every pixel, where they "
                        "should start every poolDim pixels",
                        functools.partial(_ssr_pool, step=False)),
                Mistake("mean pooling (cnnPool's) where square-square-root pooling is asked "
                        "for", functools.partial(_ssr_pool, mean=True)),
            )),
    ))


# --------------------------------------------------------------------------- sparseae (UFLDL)


def _sae_problem(rng, v=None, h=None, m=None):
    v = int(rng.integers(3, 7)) if v is None else v
    h = int(rng.integers(2, 5)) if h is None else h
    m = int(rng.integers(4, 12)) if m is None else m
    theta = 0.5 * rng.standard_normal(2 * h * v + h + v)
    data = 0.1 + 0.8 * rng.random((v, m))
    return (theta, v, h, float(rng.choice([1e-4, 0.01, 0.1])),
            float(rng.choice([0.01, 0.05, 0.2])), float(rng.choice([3.0, 0.5])), data)


def _sae_inputs(rng, trial):
    return _sae_problem(rng)


def _sae_no_kl(theta, v, h, lambda_, rho, beta, data):
    return csae.sparseAutoencoderCost(theta, v, h, lambda_, rho, 0.0, data)


def _sae_no_decay(theta, v, h, lambda_, rho, beta, data):
    return csae.sparseAutoencoderCost(theta, v, h, 0.0, rho, beta, data)


def _sae_no_mean(theta, v, h, lambda_, rho, beta, data):
    """The squared error and every gradient term summed over the examples (no 1/m); rho_hat
    still the mean activation."""
    m = np.shape(data)[1]
    c_plain, _ = csae.sparseAutoencoderCost(theta, v, h, 0.0, rho, 0.0, data)
    c_kl, g = csae.sparseAutoencoderCost(theta, v, h, 0.0, rho, beta, data)
    hv = h * v
    theta = np.asarray(theta, dtype=np.float64)
    W = theta[:2 * hv]
    decay = lambda_ / 2 * np.sum(W ** 2)
    grad = m * g
    grad[:2 * hv] += lambda_ * W
    return m * c_plain + (c_kl - c_plain) + decay, grad


def _sae_gradient_check(fn):
    """train.m's STEP 3 on a small problem (8 visible, 3 hidden units, 10 patches):
    computeNumericalGradient against the gradient, norm(numgrad - grad) / norm(numgrad +
    grad) < 1e-9."""
    theta, v, h, _, _, _, data = _sae_problem(np.random.default_rng(11), 8, 3, 10)
    theta *= 0.2
    args = (v, h, 1e-4, 0.01, 3.0, data)
    return _central_difference_check(fn, theta, args, 1e-9)


def _smooth_cost(x):
    """A smooth test function of any number of parameters and its gradient, (value, grad)
    as a cost function returns them (top level, so that the checker can pickle it)."""
    x = np.asarray(x, dtype=np.float64)
    w = np.arange(1.0, x.size + 1)
    value = np.sum(w * np.log1p(x ** 2)) + 0.5 * np.sum(x) ** 2 + np.sum(np.sin(x))
    return float(value), 2 * w * x / (1 + x ** 2) + np.sum(x) + np.cos(x)


def _quadratic(x):
    """checkNumericalGradient's h(x1, x2) = x1^2 + 3*x1*x2 and its gradient."""
    return x[0] ** 2 + 3 * x[0] * x[1], np.array([2 * x[0] + 3 * x[1], 3 * x[0]])


def _numgrad_inputs(rng, trial):
    if trial == 0:
        return _quadratic, rng.uniform(-5, 5, 2)
    return _smooth_cost, rng.uniform(-2, 2, int(rng.integers(3, 9)))


def _numgrad_forward(J, theta):
    theta = np.array(theta, dtype=np.float64).ravel()
    f0 = float(J(theta)[0])
    out = np.zeros_like(theta)
    for i in range(theta.size):
        t = theta.copy()
        t[i] += 1e-4
        out[i] = (float(J(t)[0]) - f0) / 1e-4
    return out


def _numgrad_check(fn):
    """checkNumericalGradient: h(x) = x1^2 + 3*x1*x2 at x = [4; 10],
    norm(numgrad - grad) / norm(numgrad + grad) < 1e-9."""
    x = np.array([4.0, 10.0])
    _, grad = _quadratic(x)
    numgrad = np.asarray(fn(_quadratic, x.copy()),
                         dtype=np.float64).ravel()
    if numgrad.size != 2:
        return False, f"numgrad has {numgrad.size} elements, theta 2"
    diff = float(np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad))
    if not diff < 1e-9:
        return False, (f"Norm of the difference between numerical and analytical gradient "
                       f"{diff:.4e} (should be < 1e-9): numgrad {numgrad.tolist()}, grad "
                       f"{grad.tolist()}")
    return True, f"difference {diff:.4e}"


SPARSEAE = Chapter(
    name="sparseae", origin="UFLDL/sparseae_exercise",
    title="Sparse autoencoder (the original UFLDL exercise): sparseAutoencoderCost, "
          "computeNumericalGradient",
    drivers=("sparseae_exercise",),
    functions=(
        Function(
            "computeNumericalGradient", csae.computeNumericalGradient,
            csae.computeNumericalGradient, _numgrad_inputs, ("numgrad",),
            doc="""The numerical gradient of J at theta (common/computeNumericalGradient.m).

    Parameters: J (a function of theta returning its value, or a tuple whose first element
    is the value, as the cost functions return (cost, grad)), theta (a vector of
    parameters). Returns numgrad, shaped as theta: numgrad[i] approximates the partial
    derivative of J with respect to theta[i], evaluated at theta.""",
            imports="from typing import Callable",
            gaps={"computeNumericalGradient/numgrad": "Implement numerical gradient checking "
                  "(section 2.3 of the lecture notes) and return the result in numgrad: "
                  "numgrad[i] is the central difference (J(theta + EPSILON*e_i) - J(theta - "
                  "EPSILON*e_i)) / (2*EPSILON), EPSILON = 1e-4, e_i the i-th unit vector. "
                  "Hint: compute the elements of numgrad one at a time; J returns (cost, "
                  "grad): take its first element."},
            mistakes=(
                Mistake("a one-sided difference (J(theta + EPSILON*e_i) - J(theta)) / "
                        "EPSILON where the central difference is asked for",
                        _numgrad_forward),
                Mistake("the central difference divided by EPSILON, not 2*EPSILON",
                        _scaled(csae.computeNumericalGradient, lambda a: 2.0)),
            ),
            checks=(("checkNumericalGradient", _numgrad_check),)),
        Function(
            "sparseAutoencoderCost", csae.sparseAutoencoderCost_loop,
            csae.sparseAutoencoderCost, _sae_inputs, ("cost", "grad"),
            doc="""The sparse autoencoder's cost J_sparse(W, b) and its gradient.

    Parameters: theta ([W1(:); W2(:); b1(:); b2(:)], W1 hiddenSize x visibleSize, W2
    visibleSize x hiddenSize), visibleSize (the number of input units, 64), hiddenSize (the
    number of hidden units, 25), lambda_ (the weight decay), sparsityParam (rho, the desired
    average activation of the hidden units), beta (the weight of the sparsity penalty), data
    (visibleSize x m, data[:, i] the i-th training example). Returns cost and grad
    ([W1grad(:); W2grad(:); b1grad(:); b2grad(:)], shaped as theta).""",
            gaps={"sparseAutoencoderCost/cost_grad": "Compute the cost J_sparse(W, b) of the "
                  "sparse autoencoder (sigmoid hidden and output units): the average over "
                  "the m examples of 1/2 ||a3 - x||^2, plus the weight decay lambda_/2 * "
                  "(sum of W1.^2 + sum of W2.^2), plus beta times the sum over the hidden "
                  "units of KL(rho || rho_hat_j), rho_hat the hidden units' average "
                  "activation over the examples. Compute W1grad, W2grad, b1grad, b2grad by "
                  "backpropagation, shaped as W1, W2, b1, b2: W1grad is [(1/m) Delta W1 + "
                  "lambda_ W1] of the last block of pseudo-code of section 2.2 of the "
                  "lecture notes (and similarly for the others), with the sparsity term beta "
                  "* (-rho/rho_hat + (1-rho)/(1-rho_hat)) added to the hidden units' "
                  "backpropagated error. You may need two passes over the examples: one for "
                  "rho_hat, one for backpropagation."},
            mistakes=(
                Mistake("the KL sparsity term missing: beta * sum KL(rho || rho_hat) in the "
                        "cost and beta * (-rho./rho_hat + (1-rho)./(1-rho_hat)) in delta2",
                        _sae_no_kl),
                Mistake("the weight decay missing: lambda_/2 * (sum W1.^2 + sum W2.^2) in "
                        "the cost, lambda_ * W in W1grad and W2grad", _sae_no_decay),
                Mistake("a missing 1/m: the squared error and the gradients summed over the "
                        "examples instead of averaged", _sae_no_mean),
            ),
            checks=(("train.m's gradient check (computeNumericalGradient)",
                     _sae_gradient_check),)),
    ))


# --------------------------------------------------------------------------- softmax (UFLDL)


_softmaxCost = functools.partial(csoftmax.softmaxCost, full_ground_truth=True)


def _softmax_problem(rng, trial, K=None, n=None, m=None):
    K = int(rng.integers(3, 6)) if K is None else K
    n = int(rng.integers(2, 7)) if n is None else n
    m = int(rng.integers(8, 25)) if m is None else m
    labels = _top_label_left_out(rng.integers(1, K + 1, m), K, trial)
    return (0.5 * rng.standard_normal(K * n), K, n, float(rng.choice([1e-4, 0.01, 0.1])),
            rng.standard_normal((n, m)), labels)


def _softmax_cost_inputs(rng, trial):
    return _softmax_problem(rng, trial)


def _softmax_no_decay(theta, K, n, lambda_, data, labels):
    return _softmaxCost(theta, K, n, 0.0, data, labels)


def _softmax_no_mean(theta, K, n, lambda_, data, labels):
    m = np.shape(data)[1]
    cost, grad = _softmaxCost(theta, K, n, 0.0, data, labels)
    theta = np.asarray(theta, dtype=np.float64)
    return m * cost + lambda_ / 2 * np.sum(theta ** 2), m * grad + lambda_ * theta


def _softmax_gradient_check(fn):
    """softmaxExercise's STEP 3 (DEBUG): 8 inputs, 100 examples, 10 classes, theta = 0.005 *
    randn; computeNumericalGradient against the gradient, norm(numGrad - grad) /
    norm(numGrad + grad) < 1e-8 (the exercise expects about 1e-9)."""
    rng = np.random.default_rng(5)
    K, n, m = 10, 8, 100
    data = rng.standard_normal((n, m))
    labels = rng.integers(1, K + 1, m).astype(float)
    labels[:K] = np.arange(1, K + 1)  # every class occurs, as the original needs
    theta = 0.005 * rng.standard_normal(K * n)
    args = (K, n, 1e-4, data, labels)
    return _central_difference_check(fn, theta, args, 1e-8)


def _softmax_predict_inputs(rng, trial):
    K, n, m = int(rng.integers(3, 6)), int(rng.integers(2, 7)), int(rng.integers(5, 20))
    return ({"optTheta": rng.standard_normal((K, n)), "inputSize": n, "numClasses": K},
            rng.standard_normal((n, m)))


def _predict_zero_based(softmaxModel, data):
    return csoftmax.softmaxPredict(softmaxModel, data) - 1.0


def _softmax_accuracy_check(fn):
    """softmaxExercise's STEP 5 on separable data: a model whose class c weights point at
    cluster c predicts every example's label (1-based)."""
    rng = np.random.default_rng(3)
    K, n, m = 4, 4, 40
    labels = rng.integers(1, K + 1, m)
    data = 5 * np.eye(n)[:, labels - 1] + 0.1 * rng.standard_normal((n, m))
    pred = np.asarray(fn({"optTheta": np.eye(K), "inputSize": n, "numClasses": K}, data),
                      dtype=np.float64).ravel()
    if pred.size != m:
        return False, f"pred has {pred.size} elements, data {m} examples"
    acc = float(np.mean(pred == labels))
    if acc != 1.0:
        return False, f"Accuracy: {acc * 100:0.3f}% (100% expected; labels are 1..numClasses)"
    return True, "Accuracy: 100.000%"


SOFTMAX = Chapter(
    name="softmax", origin="UFLDL/softmax_exercise",
    title="Softmax regression (the original UFLDL exercise): softmaxCost, softmaxPredict",
    drivers=("softmax_exercise",),
    functions=(
        Function(
            "softmaxCost", csoftmax.softmaxCost, _softmaxCost, _softmax_cost_inputs,
            ("cost", "grad"),
            doc="""The cost of softmax regression with weight decay, and its gradient.

    Parameters: theta (theta(:) of the numClasses x inputSize parameters), numClasses,
    inputSize (n, the size of an input vector), lambda_ (the weight decay), data (n x m, one
    example per column), labels (m labels, 1..numClasses). Returns cost and grad
    (thetagrad(:), numClasses*inputSize). groundTruth (numClasses x m) has a 1 in row
    labels[i] of column i. full_ground_truth is the port's keyword, which the driver
    passes: groundTruth here always has numClasses rows (the port's fix), so it is
    ignored.""",
            gaps={"softmaxCost/cost_grad": "Compute the cost and gradient for softmax "
                  "regression: the class probabilities p (numClasses x m; subtract each "
                  "column's maximum of theta @ data before exp, which leaves p unchanged and "
                  "keeps exp from overflowing), the cost -1/m * sum(groundTruth .* log(p)) + "
                  "lambda_/2 * sum(theta.^2), and thetagrad = -1/m * (groundTruth - p) * data' "
                  "+ lambda_ * theta (numClasses x inputSize). The groundTruth matrix might "
                  "come in handy."},
            mistakes=(
                Mistake("labels taken as 0-based: they are 1..numClasses as in MATLAB, so the "
                        "row of label l is l - 1", _zero_based(_softmaxCost, 5,
                                                               lambda a: int(a[1]))),
                Mistake("the weight decay missing: lambda_/2 * sum(theta.^2) in the cost, "
                        "lambda_ * theta in the gradient", _softmax_no_decay),
                Mistake("a missing 1/m: the cross entropy and its gradient summed over the "
                        "examples instead of averaged", _softmax_no_mean),
            ),
            checks=(("softmaxExercise's gradient check (computeNumericalGradient)",
                     _softmax_gradient_check),)),
        Function(
            "softmaxPredict", csoftmax.softmaxPredict, csoftmax.softmaxPredict,
            _softmax_predict_inputs, ("pred",),
            doc="""Predicted labels of a softmax model.

    Parameters: softmaxModel (a dict from softmaxTrain: optTheta, the numClasses x inputSize
    parameters), data (inputSize x m, one example per column). Returns pred (m labels),
    pred[i] = argmax_c P(y = c | data[:, i]), the labels starting from 1.""",
            gaps={"softmaxPredict/pred": "Compute pred using theta, assuming that the labels "
                                         "start from 1 (the first maximum on ties, as "
                                         "MATLAB's max)."},
            mistakes=(
                Mistake("labels taken as 0-based: the predicted label is the row of the "
                        "maximum plus 1 (labels start from 1)",
                        _predict_zero_based),
            ),
            checks=(("softmaxExercise's accuracy test", _softmax_accuracy_check),)),
    ))


# --------------------------------------------------------------------------- stackedae (UFLDL)


_stackedAECost = functools.partial(cstacked.stackedAECost, full_ground_truth=True)


def _stacked_problem(rng, trial, n=None, sizes=None, K=None, m=None):
    """theta ([softmaxTheta(:); stack2params(stack)]), inputSize, hiddenSize, numClasses,
    netconfig, lambda_, data, labels: a random stack of 1-3 sigmoid layers."""
    n = int(rng.integers(2, 7)) if n is None else n
    sizes = ([int(s) for s in rng.integers(2, 6, int(rng.integers(1, 4)))] if sizes is None
             else list(sizes))
    K = int(rng.integers(3, 6)) if K is None else K
    m = int(rng.integers(6, 16)) if m is None else m
    stack = [{"w": 0.5 * rng.standard_normal((s, p)), "b": 0.1 * rng.standard_normal(s)}
             for s, p in zip(sizes, [n] + sizes[:-1])]
    params, netconfig = cstacked.stack2params(stack)
    theta = np.concatenate([0.3 * rng.standard_normal(K * sizes[-1]), params])
    labels = _top_label_left_out(rng.integers(1, K + 1, m), K, trial)
    return (theta, n, sizes[-1], K, netconfig, float(rng.choice([1e-4, 0.01, 0.1])),
            rng.standard_normal((n, m)), labels)


def _stacked_cost_inputs(rng, trial):
    return _stacked_problem(rng, trial)


def _stacked_no_decay(theta, n, h, K, netconfig, lambda_, data, labels):
    return _stackedAECost(theta, n, h, K, netconfig, 0.0, data, labels)


def _stacked_no_mean(theta, n, h, K, netconfig, lambda_, data, labels):
    """The cross entropy and every gradient summed over the examples (no 1/m); the weight
    decay as it is."""
    m = np.shape(data)[1]
    cost, grad = _stackedAECost(theta, n, h, K, netconfig, 0.0, data, labels)
    softmaxTheta = np.asarray(theta, dtype=np.float64)[:h * K]
    grad = m * grad
    grad[:h * K] += lambda_ * softmaxTheta
    return m * cost + lambda_ / 2 * np.sum(softmaxTheta ** 2), grad


def _stacked_gradient_check(fn):
    """checkStackedAECost.m: a 4-3-5 stack (w = 0.1 * randn, b = 0), 2 classes, 5
    examples, softmaxTheta = 0.005 * randn, lambda 0.01; computeNumericalGradient against
    the gradient, norm(numgrad - grad) / norm(numgrad + grad) < 1e-9."""
    rng = np.random.default_rng(7)
    data = rng.standard_normal((4, 5))
    labels = np.array([1, 2, 1, 2, 1.0])
    stack = [{"w": 0.1 * rng.standard_normal((3, 4)), "b": np.zeros(3)},
             {"w": 0.1 * rng.standard_normal((5, 3)), "b": np.zeros(5)}]
    params, netconfig = cstacked.stack2params(stack)
    theta = np.concatenate([0.005 * rng.standard_normal(10), params])
    args = (4, 5, 2, netconfig, 0.01, data, labels)
    return _central_difference_check(fn, theta, args, 1e-9)


def _stacked_predict_args(rng, trial):
    theta, n, h, K, netconfig, _, data, _ = _stacked_problem(rng, trial)
    return theta, n, h, K, netconfig, data


def _stacked_predict_zero_based(theta, n, h, K, netconfig, data):
    return cstacked.stackedAEPredict(theta, n, h, K, netconfig, data) - 1.0


def _stacked_accuracy_check(fn):
    """stackedAEExercise's STEP 6 on separable data: one layer sigmoid(10 x - 5) and
    softmaxTheta = I; example i near the unit vector of its label, which is predicted
    (1-based)."""
    rng = np.random.default_rng(3)
    K, m = 4, 40
    labels = rng.integers(1, K + 1, m)
    data = np.eye(K)[:, labels - 1] + 0.05 * rng.standard_normal((K, m))
    params, netconfig = cstacked.stack2params([{"w": 10 * np.eye(K), "b": -5 * np.ones(K)}])
    theta = np.concatenate([np.eye(K).ravel(order="F"), params])
    pred = np.asarray(fn(theta, K, K, K, netconfig, data), dtype=np.float64).ravel()
    if pred.size != m:
        return False, f"pred has {pred.size} elements, data {m} examples"
    acc = float(np.mean(pred == labels))
    if acc != 1.0:
        return False, f"Accuracy: {acc * 100:0.3f}% (100% expected; labels are 1..numClasses)"
    return True, "Accuracy: 100.000%"


_STACKED_ARGS = """theta ([softmaxTheta(:); stack2params(stack)], softmaxTheta numClasses x
    hiddenSize), inputSize (the number of input units), hiddenSize (the number of units of
    the stack's last layer), numClasses, netconfig (the stack's configuration, from
    stack2params: inputsize and layersizes)"""

STACKEDAE = Chapter(
    name="stackedae", origin="UFLDL/stackedae_exercise",
    title="Stacked autoencoders (the original UFLDL exercise): stackedAECost, "
          "stackedAEPredict",
    drivers=("stackedae_exercise",),
    functions=(
        Function(
            "stackedAECost", cstacked.stackedAECost, _stackedAECost, _stacked_cost_inputs,
            ("cost", "grad"),
            doc=f"""The cost of the stacked autoencoder with its softmax classifier, and its
    gradient, for fine-tuning.

    Parameters: {_STACKED_ARGS},
    lambda_ (the weight decay of softmaxTheta), data (inputSize x m, one example per
    column), labels (m labels, 1..numClasses). Returns cost and grad
    ([softmaxThetaGrad(:); stack2params(stackgrad)], shaped as theta). A stack is a list of
    layers, stack[d]["w"] (the layer's size x the previous one's) and stack[d]["b"];
    groundTruth (numClasses x m) has a 1 in row labels[i] of column i. full_ground_truth is
    the port's keyword, which the driver passes: groundTruth here always has numClasses
    rows (the port's fix), so it is ignored.""",
            imports="from ufldl_py.ufldl.ex1 import sigmoid  # 1 / (1 + exp(-z))\n"
                    "from ufldl_py.ufldl_classic.stackedae import params2stack, stack2params",
            gaps={"stackedAECost/cost_grad": "Compute the cost and the gradient of the "
                  "stacked autoencoder. The weights of layer d are stack[d]['w'], its biases "
                  "stack[d]['b'], len(stack) the number of layers; the last layer is "
                  "connected to the softmax layer softmaxTheta. Forward propagate: a[0] = "
                  "data, a[d+1] = sigmoid(W_d a[d] + b_d); p = the softmax of softmaxTheta @ "
                  "a[-1] (subtract each column's maximum before exp). The cost is -1/m * "
                  "sum(groundTruth .* log(p)) + lambda_/2 * sum(softmaxTheta.^2) (the "
                  "stack's weights were decayed while they were pre-trained), "
                  "softmaxThetaGrad = -1/m * (groundTruth - p) @ a[-1]' + lambda_ * "
                  "softmaxTheta. Backpropagate: the last layer's delta is -(softmaxTheta' @ "
                  "(groundTruth - p)) .* a .* (1 - a), each earlier one (W' @ delta) .* a .* "
                  "(1 - a); stackgrad[d]['w'] = delta_{d+1} @ a[d]' / m and "
                  "stackgrad[d]['b'] = the row sums of delta_{d+1} / m, shaped exactly as "
                  "stack[d]['w'] and stack[d]['b']."},
            mistakes=(
                Mistake("labels taken as 0-based: they are 1..numClasses as in MATLAB, so the "
                        "row of label l is l - 1", _zero_based(_stackedAECost, 7,
                                                               lambda a: int(a[3]))),
                Mistake("the weight decay missing: lambda_/2 * sum(softmaxTheta.^2) in the "
                        "cost, lambda_ * softmaxTheta in softmaxThetaGrad", _stacked_no_decay),
                Mistake("a missing 1/m: the cross entropy and the gradients summed over the "
                        "examples instead of averaged", _stacked_no_mean),
            ),
            checks=(("checkStackedAECost (computeNumericalGradient)",
                     _stacked_gradient_check),)),
        Function(
            "stackedAEPredict", cstacked.stackedAEPredict, cstacked.stackedAEPredict,
            _stacked_predict_args, ("pred",),
            doc=f"""Predicted labels of the stacked autoencoder's softmax classifier.

    Parameters: {_STACKED_ARGS},
    data (inputSize x m, one example per column). Returns pred (m labels), pred[i] =
    argmax_c P(y = c | data[:, i]), the labels starting from 1.""",
            imports="from ufldl_py.ufldl.ex1 import sigmoid  # 1 / (1 + exp(-z))\n"
                    "from ufldl_py.ufldl_classic.stackedae import params2stack",
            gaps={"stackedAEPredict/pred": "Compute pred using theta, assuming that the "
                                           "labels start from 1: forward propagate data "
                                           "through the stack's sigmoid layers, then pred[i] "
                                           "is the row of the maximum of softmaxTheta @ a "
                                           "in column i, plus 1 (the first maximum on ties, "
                                           "as MATLAB's max)."},
            mistakes=(
                Mistake("labels taken as 0-based: the predicted label is the row of the "
                        "maximum plus 1 (labels start from 1)",
                        _stacked_predict_zero_based),
            ),
            checks=(("stackedAEExercise's accuracy test", _stacked_accuracy_check),)),
    ))


# --------------------------------------------------------------------------- classic_stl (UFLDL)


def _ffae_inputs(rng, trial):
    v, h, m = int(rng.integers(2, 9)), int(rng.integers(2, 6)), int(rng.integers(3, 12))
    return rng.standard_normal(2 * v * h + v + h), h, v, rng.random((v, m))


def _ffae_no_bias(theta, hiddenSize, visibleSize, data):
    """sigmoid(W1 * data), b1 left out."""
    hv = hiddenSize * visibleSize
    b0 = np.array(theta, dtype=np.float64)
    b0[2 * hv:2 * hv + hiddenSize] = 0.0
    return cstl.feedForwardAutoencoder(b0, hiddenSize, visibleSize, data)


def _ffae_transposed(theta, hiddenSize, visibleSize, data):
    """W1 read row by row: theta[:hv].reshape(hiddenSize, visibleSize) (order 'C'), i.e.
    reshape(theta(1:hv), visibleSize, hiddenSize)'."""
    hv = hiddenSize * visibleSize
    t = np.array(theta, dtype=np.float64)
    t[:hv] = t[:hv].reshape(hiddenSize, visibleSize).ravel(order="F")
    return cstl.feedForwardAutoencoder(t, hiddenSize, visibleSize, data)


CLASSIC_STL = Chapter(
    name="classic_stl", origin="UFLDL/stl_exercise",
    title="Self-taught learning (the original UFLDL exercise): feedForwardAutoencoder",
    drivers=("stl_exercise",),
    functions=(
        Function(
            "feedForwardAutoencoder", cstl.feedForwardAutoencoder,
            cstl.feedForwardAutoencoder, _ffae_inputs, ("activation",),
            doc="""The hidden layer's activations of a trained sparse autoencoder.

    Parameters: theta ([W1(:); W2(:); b1(:); b2(:)] as sparseAutoencoderCost takes it, W1
    hiddenSize x visibleSize; W2 and b2 are not needed here), hiddenSize (the number of
    hidden units, 200 in the exercise), visibleSize (the number of input units, 784), data
    (visibleSize x m, data[:, i] the i-th example). Returns activation (hiddenSize x m), the
    hidden units' activations of each example.""",
            imports="from ufldl_py.ufldl.ex1 import sigmoid  # 1 / (1 + exp(-z))",
            gaps={"feedForwardAutoencoder/activation": "Compute the activation of the "
                  "hidden layer of the sparse autoencoder: sigmoid(W1 @ data + b1), b1 added "
                  "to every column (every example), as activation (hiddenSize x m)."},
            mistakes=(
                Mistake("the bias missing: sigmoid(W1 @ data) where sigmoid(W1 @ data + b1) "
                        "(b1 added to every column)", _ffae_no_bias),
                Mistake("W1 transposed: theta's first hiddenSize*visibleSize elements read "
                        "row by row (numpy's default order='C') where MATLAB's reshape reads "
                        "them column by column (order='F')", _ffae_transposed),
            )),
    ))


def _classic_conv_problem(rng, p=None, K=None, C=None, imageDim=None, n=None):
    p = int(rng.integers(2, 5)) if p is None else p
    K = int(rng.integers(1, 4)) if K is None else K
    C = int(rng.integers(1, 4)) if C is None else C
    imageDim = p + int(rng.integers(0, 6)) if imageDim is None else imageDim
    n = int(rng.integers(1, 4)) if n is None else n
    v = p * p * C
    _, ZCAWhite, meanPatch = cld.zca_whitening(rng.random((v, 4 * v + 10)))
    return (p, K, rng.random((imageDim, imageDim, C, n)), 0.5 * rng.standard_normal((K, v)),
            0.5 * rng.standard_normal(K), ZCAWhite, meanPatch)


def _classic_convolve_inputs(rng, trial):
    return _classic_conv_problem(rng)


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
    p = int(rng.integers(2, 4))
    d = p * int(rng.integers(1, 4)) + int(rng.integers(0, p))
    return p, rng.random((int(rng.integers(1, 4)), int(rng.integers(1, 4)), d, d))


def _classic_pool_regions(poolDim, convolvedFeatures, step, reduce):
    cf = np.asarray(convolvedFeatures, dtype=np.float64)
    res = cf.shape[2] // poolDim
    out = np.zeros(cf.shape[:2] + (res, res))
    for r in range(res):
        for c in range(res):
            region = cf[:, :, r * step:r * step + poolDim, c * step:c * step + poolDim]
            out[:, :, r, c] = reduce(region, axis=(2, 3))
    return out


def _classic_pool_overlapping(poolDim, convolvedFeatures):
    return _classic_pool_regions(poolDim, convolvedFeatures, 1, np.mean)


def _classic_pool_max(poolDim, convolvedFeatures):
    return _classic_pool_regions(poolDim, convolvedFeatures, poolDim, np.max)


def _classic_pool_sum(poolDim, convolvedFeatures):
    return _classic_pool_regions(poolDim, convolvedFeatures, poolDim, np.sum)


def _classic_convolution_check(fn):
    """cnnExercise's STEP 2a on random features: 1,000 random points of the convolution of 8
    random 16x16 colour images with 20 random 8x8x3 features (ZCA whitening of random
    patches), each the autoencoder's hidden activation of the whitened patch
    (feedForwardAutoencoder of ZCAWhite * (patch - meanPatch))."""
    rng = np.random.default_rng(2011)
    patchDim, hiddenSize, imageDim, numImages = 8, 20, 16, 8
    _, _, images, W, b, ZCAWhite, meanPatch = _classic_conv_problem(
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
            mistakes=(
                Mistake("the pooling regions overlap: they start every pixel, where they "
                        "should start every poolDim pixels", _classic_pool_overlapping),
                Mistake("max pooling where mean pooling is asked for", _classic_pool_max),
                Mistake("each region's sum, not its mean (a missing 1/poolDim^2)",
                        _classic_pool_sum),
            ),
            checks=(("cnnExercise's pooling test", _classic_pooling_check),)),
    ))


def _linear_inputs(rng, trial):
    theta, v, h, lambda_, rho, beta, _ = _sae_problem(rng)
    return theta, v, h, lambda_, rho, beta, rng.standard_normal((v, int(rng.integers(4, 12))))


def _linear_no_kl(theta, v, h, lambda_, rho, beta, data):
    return cld.sparseAutoencoderLinearCost(theta, v, h, lambda_, rho, 0.0, data)


def _linear_no_mean(theta, v, h, lambda_, rho, beta, data):
    """The squared error and every gradient term summed over the examples (no 1/m); rho_hat
    still the mean activation."""
    m = np.shape(data)[1]
    c_plain, _ = cld.sparseAutoencoderLinearCost(theta, v, h, 0.0, rho, 0.0, data)
    c_kl, g = cld.sparseAutoencoderLinearCost(theta, v, h, 0.0, rho, beta, data)
    theta = np.asarray(theta, dtype=np.float64)
    W = theta[:2 * h * v]
    grad = m * g
    grad[:2 * h * v] += lambda_ * W
    return m * c_plain + (c_kl - c_plain) + lambda_ / 2 * np.sum(W ** 2), grad


def _linear_gradient_check(fn):
    """linearDecoderExercise's STEP 1: 8 visible, 5 hidden units, 10 random patches (rand),
    initializeParameters' theta, lambda 3e-3, sparsityParam 0.035, beta 5;
    computeNumericalGradient against the gradient, norm(numgrad - grad) / norm(numgrad +
    grad) < 1e-9."""
    rng = np.random.default_rng(13)
    h, v = 5, 8
    r = np.sqrt(6) / np.sqrt(h + v + 1)
    theta = np.concatenate([rng.uniform(-r, r, 2 * h * v), np.zeros(h + v)])
    args = (v, h, 3e-3, 0.035, 5.0, rng.random((v, 10)))
    return _central_difference_check(fn, theta, args, 1e-9)


LINEAR_DECODER = Chapter(
    name="linear_decoder", origin="UFLDL/linear_decoder_exercise",
    title="Linear decoder (the original UFLDL exercise): sparseAutoencoderLinearCost",
    drivers=("linear_decoder_exercise",),
    functions=(
        Function(
            "sparseAutoencoderLinearCost", cld.sparseAutoencoderLinearCost_loop,
            cld.sparseAutoencoderLinearCost, _linear_inputs, ("cost", "grad"),
            doc="""The cost J_sparse(W, b) of a sparse autoencoder with a linear decoder, and
    its gradient.

    Parameters: theta ([W1(:); W2(:); b1(:); b2(:)], W1 hiddenSize x visibleSize, W2
    visibleSize x hiddenSize), visibleSize (the number of input units), hiddenSize (the
    number of hidden units), lambda_ (the weight decay), sparsityParam (rho, the desired
    average activation of the hidden units), beta (the weight of the sparsity penalty), data
    (visibleSize x m, data[:, i] the i-th training example; whitened, so not in [0, 1]).
    Returns cost and grad ([W1grad(:); W2grad(:); b1grad(:); b2grad(:)], shaped as
    theta).""",
            gaps={"sparseAutoencoderLinearCost/cost_grad": "Compute the cost J_sparse(W, b) "
                  "and its gradients W1grad, W2grad, b1grad, b2grad by backpropagation, as "
                  "in sparseAutoencoderCost, except that the output layer is linear: the "
                  "hidden units are sigmoids, a2 = f(W1 x + b1), but the output is a3 = W2 a2 "
                  "+ b2 (no sigmoid), so its error term is delta3 = -(x - a3) (f'(z) = 1). "
                  "The cost is the average over the m examples of 1/2 ||a3 - x||^2, plus the "
                  "weight decay lambda_/2 * (sum of W1.^2 + sum of W2.^2), plus beta times "
                  "the sum over the hidden units of KL(rho || rho_hat_j), rho_hat the hidden "
                  "units' average activation; W1grad is (1/m) Delta W1 + lambda_ W1 (and "
                  "similarly for the others), with beta * (-rho/rho_hat + (1-rho)/(1-rho_hat)) "
                  "added to the hidden units' backpropagated error."},
            mistakes=(
                Mistake("the sigmoid output kept: the decoder is linear, a3 = W2 * a2 + b2 "
                        "and delta3 = -(x - a3), without f'(z3)",
                        csae.sparseAutoencoderCost),
                Mistake("the KL sparsity term missing: beta * sum KL(rho || rho_hat) in the "
                        "cost and beta * (-rho./rho_hat + (1-rho)./(1-rho_hat)) in delta2",
                        _linear_no_kl),
                Mistake("a missing 1/m: the squared error and the gradients summed over the "
                        "examples instead of averaged", _linear_no_mean),
            ),
            checks=(("linearDecoderExercise's gradient check (computeNumericalGradient)",
                     _linear_gradient_check),)),
    ))


def _classic_pca_signs(u_key: str):
    """canonical of the scripts' results (one dict): the eigenvectors (columns of
    results[u_key]) signed by fix_signs' rule, xRot's and xPCAWhite's rows with them, covar's
    and covarPCAWhite's rows and columns."""
    def canonical(outs: list) -> list:
        r = dict(outs[0])
        U = np.asarray(r[u_key], dtype=np.float64)
        if U.ndim != 2 or U.shape[0] != U.shape[1]:
            raise ValueError("not a square matrix of eigenvectors")
        signs = np.where(U[np.abs(U).argmax(axis=0), np.arange(U.shape[1])] < 0, -1.0, 1.0)
        r[u_key] = U * signs
        for key in ("xRot", "xPCAWhite"):
            r[key] = np.asarray(r[key], dtype=np.float64) * signs[:, None]
        for key in ("covar", "covarPCAWhite"):
            if key in r:
                r[key] = np.asarray(r[key], dtype=np.float64) * np.outer(signs, signs)
        return [r]
    return canonical


def _pca_2d_inputs(rng, trial):
    x = _pca_data(rng, 2)
    return x, 1, (1e-5, 0.1)[trial % 2]


def _pca_gen_inputs(rng, trial):
    return _pca_data(rng), (0.99, 0.9, 0.95)[trial % 3], (0.1, 0.01)[trial % 2]


def _classic_pca_diagonal_check(fn):
    """pca_2d's Step 1b: the covariance of xRot of pcaData is diagonal (off-diagonal
    entries at most 1e-10 of the largest)."""
    x = cpca.load_pcaData()
    r = fn(x, 1, 1e-5)
    xRot = np.asarray(r["xRot"], dtype=np.float64)
    if xRot.shape != x.shape:
        return False, f"xRot has shape {xRot.shape}, expected {x.shape}"
    covar = xRot @ xRot.T / x.shape[1]
    off = float(np.abs(covar - np.diag(np.diag(covar))).max())
    big = float(np.abs(covar).max())
    if not off <= 1e-10 * big:
        return False, (f"the covariance of xRot is not diagonal: largest off-diagonal entry "
                       f"{off:.3g}, {off / big:.3g} of the largest entry")
    return True, f"largest off-diagonal entry {off / big:.1e} of the largest"


def _classic_pca_gen_check(fn):
    """pca_gen's Steps 1b and 4b: covar is diagonal, and covarPCAWhite is diag(lambda ./
    (lambda + epsilon)) (the identity where the eigenvalues exceed epsilon)."""
    x = _pca_data(np.random.default_rng(5), 8, 200)
    r = fn(x, 0.99, 0.1)
    covar = np.asarray(r["covar"], dtype=np.float64)
    if covar.shape != (8, 8):
        return False, f"covar has shape {covar.shape}, expected (8, 8)"
    off = float(np.abs(covar - np.diag(np.diag(covar))).max())
    big = float(np.abs(covar).max())
    if not off <= 1e-10 * big:
        return False, (f"Step 1b: the covariance of xRot is not diagonal: largest off-diagonal "
                       f"entry {off:.3g}, {off / big:.3g} of the largest entry")
    xc = x - x.mean(axis=0)
    lam = np.sort(np.linalg.eigvalsh(xc @ xc.T / x.shape[1]))[::-1]
    want = np.diag(lam / (lam + 0.1))
    got = np.asarray(r["covarPCAWhite"], dtype=np.float64)
    if got.shape != want.shape or not np.abs(got - want).max() <= 1e-8:
        return False, ("Step 4b: the covariance of xPCAWhite is not diag(lambda ./ (lambda + "
                       "epsilon))")
    return True, "covar diagonal, covarPCAWhite = diag(lambda ./ (lambda + epsilon))"


_CLASSIC_SVD_IMPORT = ("from ufldl_py.matlab import ops  # ops.svd: MATLAB's [U, S, V] = "
                       "svd(A) (np.linalg.svd serves too)")


_SIGMA_NOT_M = "sigma not divided by m: sigma = x * x' / m"


_ZCA_NOT_BACK = ("ZCA whitening without the rotation back: xZCAWhite = U * xPCAWhite (the "
                 "PCA-whitened data in the original basis)")


_U_NOT_T = "xRot = U * x where the data in the eigenbasis is U' * x"


CLASSIC_PCA = Chapter(
    name="classic_pca", origin="UFLDL/pca_exercise",
    title="PCA, PCA whitening and ZCA whitening (the original UFLDL exercises): pca_2d, "
          "pca_gen",
    # pca_2d.py, the driver of pca_2d.m, would overwrite the student's pca_2d.py: the
    # student runs the steps through pca_exercise only (or `ufldl-py run pca_2d`, the port's)
    drivers=("pca_exercise",),
    functions=(
        Function(
            "pca_2d", cpca.pca_2d, cpca.pca_2d, _pca_2d_inputs, ("results",),
            matlab="pca_2d.m",
            doc="""The steps of pca_2d.m on 2-D data x (2 x m, one example per column; its
    mean is not removed), returned as a dict.

    Parameters: x, k (the components kept in xHat, 1), epsilon (the whitening's
    regularisation, 1e-5). Returns a dict: u (2 x 2, the eigenvectors of sigma = x * x' / m
    as columns, the largest eigenvalue first; their signs are free), S (the 2 eigenvalues,
    largest first), xRot, xHat, xPCAWhite, xZCAWhite (each 2 x m).""",
            imports=_CLASSIC_SVD_IMPORT,
            gaps={
                "pca_2d/eigenbasis": "Step 1a: the covariance sigma = x * x' / m, its "
                                     "eigenvectors u (columns, the largest eigenvalue first: "
                                     "svd gives them so) and its eigenvalues s (a vector).",
                "pca_2d/rotate": "Step 1b: xRot, the data in the basis u.",
                "pca_2d/reduce": "Step 2: keep the first k components of xRot (the others set "
                                 "to 0) and take them back to the original basis: xHat.",
                "pca_2d/whiten": "Step 3: xPCAWhite, xRot with each component divided by "
                                 "sqrt(its eigenvalue + epsilon); xZCAWhite, xPCAWhite taken "
                                 "back to the original basis.",
            },
            canonical=_classic_pca_signs("u"),
            mistakes=(
                Mistake(_SIGMA_NOT_M, Edited("classic_pca", "pca_2d", "sigma = x @ x.T / m",
                                             "sigma = x @ x.T")),
                Mistake(_ZCA_NOT_BACK, Edited("classic_pca", "pca_2d",
                                              "xZCAWhite = u @ np.diag", "xZCAWhite = np.diag")),
            ),
            checks=(("pca_2d's Step 1b (xRot's covariance is diagonal)",
                     _classic_pca_diagonal_check),)),
        Function(
            "pca_gen", cpca.pca_gen, cpca.pca_gen, _pca_gen_inputs, ("results",),
            matlab="pca_gen.m",
            doc="""The steps of pca_gen.m on raw image patches x (n x m, one patch per
    column), returned as a dict.

    Parameters: x, retain (the fraction of the variance that k components keep, 0.99),
    epsilon (the whitening's regularisation, 0.1). Returns a dict: avg (m, each patch's mean),
    x (the zero-mean patches), U (n x n, the eigenvectors of sigma = x * x' / m as columns,
    the largest eigenvalue first; their signs are free), S (the n eigenvalues, largest
    first), xRot, covar (xRot's covariance), k, xHat, xPCAWhite, covarPCAWhite (its
    covariance), xZCAWhite.""",
            imports=_CLASSIC_SVD_IMPORT,
            gaps={
                "pca_gen/zero_mean": "Step 0b: zero-mean the data: subtract each patch's "
                                     "mean intensity (the mean of each column) from it; keep "
                                     "the means in avg.",
                "pca_gen/rotate": "Step 1a: the covariance sigma = x * x' / m, its "
                                  "eigenvectors U (columns, the largest eigenvalue first: svd "
                                  "gives them so), its eigenvalues s (a vector) and xRot, the "
                                  "data in the basis U.",
                "pca_gen/covar": "Step 1b: covar, the covariance of xRot (it should be "
                                 "diagonal).",
                "pca_gen/k": "Step 2: k, the least number of components whose eigenvalues "
                             "sum to at least retain times the sum of all of them.",
                "pca_gen/reduce": "Step 3: keep the first k components of xRot (the others "
                                  "set to 0) and take them back to the original basis: xHat.",
                "pca_gen/pca_white": "Step 4a, 4b: xPCAWhite, xRot with each component "
                                     "divided by sqrt(its eigenvalue + epsilon), and "
                                     "covarPCAWhite, its covariance.",
                "pca_gen/zca_white": "Step 5: xZCAWhite, xPCAWhite taken back to the original "
                                     "basis.",
            },
            canonical=_classic_pca_signs("U"),
            mistakes=(
                Mistake("the mean over the wrong axis: each patch's mean (over its pixels, "
                        "axis 0) is removed, not each pixel's",
                        Edited("classic_pca", "pca_gen",
                               "avg = x.mean(axis=0)\n    x = x - avg",
                               "avg = x.mean(axis=1)\n    x = x - avg[:, None]")),
                Mistake(_U_NOT_T, Edited("classic_pca", "pca_gen", "xRot = U.T @ x",
                                         "xRot = U @ x")),
                Mistake(_SIGMA_NOT_M, Edited("classic_pca", "pca_gen", "sigma = x @ x.T / m",
                                             "sigma = x @ x.T")),
                Mistake(_ZCA_NOT_BACK, Edited("classic_pca", "pca_gen",
                                              "xZCAWhite = U @ np.diag", "xZCAWhite = np.diag")),
            ),
            checks=(("pca_gen's Steps 1b and 4b", _classic_pca_gen_check),)),
    ))



CHAPTERS: dict[str, Chapter] = {c.name: c for c in (CNN, EX1, DNN, PCA, RICA, STL, SPARSEAE,
                                                     SOFTMAX, STACKEDAE, CLASSIC_STL,
                                                     CLASSIC_CNN, LINEAR_DECODER, CLASSIC_PCA)}


def get(name: str) -> Chapter:
    """The chapter called ``name``; KeyError naming the chapters otherwise."""
    if name not in CHAPTERS:
        raise KeyError(f"no exercise {name!r}; the exercises are {', '.join(CHAPTERS)} "
                       "(ufldl-py exercise list)")
    return CHAPTERS[name]
