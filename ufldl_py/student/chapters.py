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

from ..crosscheck.checks import _dnn_network, _ex1_problem, _ucnn_network, _ucnn_pool
from ..matlab.ops import conv2
from ..ufldl import cnn as ucnn
from ..ufldl import ex1
from ..ufldl import multilayer_supervised as mls

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
    theta, images, _, C, f, K, p = _ucnn_network(rng)
    Wc, _, bc, _ = ucnn.cnnParamsToStack(theta, images.shape[0], f, K, p, C)
    return int(f), int(K), images, Wc.copy(), bc.copy()


def _cnn_pool_inputs(rng, trial):
    p, cf = _ucnn_pool(rng)
    return int(p), cf


def _cnn_cost_inputs(rng, trial):
    theta, images, labels, C, f, K, p = _ucnn_network(rng)
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


def _cnn_train_gradient_check(fn):
    """cnnTrain's STEP 2 (DEBUG) on a smaller network: computeNumericalGradient against the
    gradient, norm(numGrad - grad) / norm(numGrad + grad) < 1e-9."""
    rng = np.random.default_rng(7)
    C, f, K, p, imageDim, m = 3, 3, 2, 2, 8, 4
    hidden = ((imageDim - f + 1) // p) ** 2 * K
    theta = 0.1 * rng.standard_normal(f * f * K + C * hidden + K + C)
    images = rng.random((imageDim, imageDim, m))
    labels = rng.integers(1, C + 1, m).astype(float)
    cost, grad = fn(theta.copy(), images, labels, C, f, K, p)[:2]
    grad = np.asarray(grad, dtype=np.float64).ravel()
    if grad.size != theta.size:
        return False, f"grad has {grad.size} elements, theta {theta.size}"
    numGrad = ucnn.computeNumericalGradient(
        lambda x: fn(x, images, labels, C, f, K, p), theta, verbose=False)
    diff = np.linalg.norm(numGrad - grad) / np.linalg.norm(numGrad + grad)
    if not diff < 1e-9:
        worst = int(np.argmax(np.abs(numGrad - grad)))
        return False, (f"Difference too large: {diff:.3g} (largest at grad({worst + 1}): "
                       f"{grad[worst]:.6g}, numerically {numGrad[worst]:.6g})")
    return True, f"difference {diff:.1e}"


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


def _ex1_inputs(kind):
    def inputs(rng, trial):
        theta, X, y = _ex1_problem(rng, kind)
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
        theta, X, y = _ex1_problem(np.random.default_rng(11), kind)
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
    theta, ei, X, y = _dnn_network(rng)
    return theta, ei, X, _top_label_left_out(y, int(ei["output_dim"]), trial)


def _dnn_gradient_check(fn):
    theta, ei, X, y = _dnn_network(np.random.default_rng(3))
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


CHAPTERS: dict[str, Chapter] = {c.name: c for c in (CNN, EX1, DNN)}


def get(name: str) -> Chapter:
    """The chapter called ``name``; KeyError naming the chapters otherwise."""
    if name not in CHAPTERS:
        raise KeyError(f"no exercise {name!r}; the exercises are {', '.join(CHAPTERS)} "
                       "(ufldl-py exercise list)")
    return CHAPTERS[name]
