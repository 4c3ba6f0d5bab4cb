"""What the chapters of student mode share: the table's classes (:class:`Chapter`,
:class:`Function`, :class:`Mistake`), input helpers, the MATLAB drivers' checks and
the common mistakes that several chapters recognise (as factories).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ...ufldl import cnn as ucnn

__all__ = ["Chapter", "Edited", "Function", "Mistake", "SVD_IMPORT", "central_difference_check",
           "eigen_signs", "gradient_check", "pca_data", "pool_mistakes", "scaled",
           "top_label_left_out", "with_ints", "wrapped_labels", "zero_based"]


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
    layout : callable or None
        ``layout(args) -> [(name, shape), ...]``: the parameters unrolled (column-major, in
        order) in the output ``grad``, so that a report names ``Wc(3,2,1)`` for ``grad(79)``.
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
    layout: Callable[[tuple], list[tuple[str, tuple[int, ...]]]] | None = None


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


def top_label_left_out(labels, K: int, trial: int) -> np.ndarray:
    """Labels with class K replaced by 1 on even trials (see Function.inputs)."""
    labels = np.array(labels, dtype=np.float64)
    if trial % 2 == 0:
        labels[labels == K] = 1.0
    return labels


def with_ints(args: tuple, *at: int) -> tuple:
    """``args`` (a problem of :data:`ufldl_py.testing.PROBLEMS`, sizes as MATLAB's doubles)
    with the sizes at positions ``at`` as Python ints, as the templates use them."""
    return tuple(int(a) if i in at else a for i, a in enumerate(args))


def zero_based(fn, label_arg: int, K_of: Callable[[tuple], int]):
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


WRAPPED = ("labels wrapped with % numClasses as 0-based indices: labels are 1..numClasses "
           "as in MATLAB, so the row of label l is l - 1 (% sends label numClasses to row 0, "
           "class 1's)")


def wrapped_labels(fn, label_arg: int, K_of: Callable[[tuple], int]) -> Mistake:
    """The mistake of indexing rows with ``labels % numClasses``: label l takes class
    (l mod K) + 1's row (label K the first class's, with no IndexError to show it).

    Parameters
    ----------
    fn : callable
        The port.
    label_arg : int
        The position of the labels among its arguments.
    K_of : callable
        ``K_of(args)``, the number of classes.

    Returns
    -------
    Mistake
    """
    def mistaken(*args):
        args = list(args)
        args[label_arg] = np.mod(np.asarray(args[label_arg], dtype=np.float64),
                                 K_of(tuple(args))) + 1
        return fn(*args)
    return Mistake(WRAPPED, mistaken)


def scaled(fn, factor: Callable[[tuple], float]):
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
            from ..templates import function_template

            from . import get

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


def gradient_check(fn, args, delta=1e-3, count=6, seed=0, rtol=1e-4):
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


def central_difference_check(fn, theta, args, limit, layout=None):
    """The MATLAB scripts' gradient check: ``computeNumericalGradient`` (central differences,
    epsilon 1e-4) of ``fn(theta, *args)`` against its gradient, passed when
    ``norm(numGrad - grad) / norm(numGrad + grad) < limit``.

    Parameters
    ----------
    fn : callable
        The cost function, ``fn(theta, *args) -> (cost, grad, ...)``.
    theta : ndarray
        The point checked.
    args : tuple
        fn's other arguments.
    limit : float
        The largest relative difference passed.
    layout : callable, optional
        ``layout((theta, *args))``, as :attr:`Function.layout`: names the parameter of the
        largest difference.

    Returns
    -------
    ok : bool
    detail : str
        The difference, or the MATLAB script's "Difference too large" and where.

    Raises
    ------
    Exception
        Whatever ``fn`` raises (the checker's worker reports it).
    """
    cost, grad = fn(theta.copy(), *args)[:2]
    grad = np.asarray(grad, dtype=np.float64).ravel()
    if grad.size != theta.size:
        return False, f"grad has {grad.size} elements, theta {theta.size}"
    numGrad = ucnn.computeNumericalGradient(lambda t: fn(t, *args), theta, verbose=False)
    diff = np.linalg.norm(numGrad - grad) / np.linalg.norm(numGrad + grad)
    if not diff < limit:
        from ..grader import parameter

        worst = int(np.argmax(np.abs(numGrad - grad)))
        pname = parameter(layout((theta, *args)), worst) if layout else ""
        at = f"grad({worst + 1})" + (f", the gradient of {pname}" if pname else "")
        return False, (f"Difference too large: {diff:.3g} (largest at {at}: "
                       f"{grad[worst]:.6g}, numerically {numGrad[worst]:.6g})")
    return True, f"difference {diff:.1e}"


def eigen_signs(outs: list, u_at: int, rows_at: tuple[int, ...] = ()) -> list:
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


def pca_data(rng, n=None, m=None):
    """Correlated data with per-dimension and per-example offsets (n x m, m > n)."""
    n = int(rng.integers(4, 9)) if n is None else n
    m = int(rng.integers(n + 12, 60)) if m is None else m
    A = rng.standard_normal((n, n)) * np.linspace(2.0, 0.3, n)
    return A @ rng.standard_normal((n, m)) + rng.standard_normal((n, 1)) \
        + rng.standard_normal(m)


SVD_IMPORT = "import scipy.linalg  # svd (numpy's np.linalg.svd serves too)"


# --------------------------------------------------------------------------- shared mistakes


def _pool_regions(poolDim, convolvedFeatures, step, reduce, rows_axis):
    """``reduce`` over poolDim x poolDim regions starting every ``step`` pixels, the rows and
    columns being axes ``rows_axis`` and ``rows_axis + 1`` (missing trailing axes are 1)."""
    cf = np.asarray(convolvedFeatures, dtype=np.float64)
    cf = cf.reshape(cf.shape + (1,) * (4 - cf.ndim))
    cf = np.moveaxis(cf, (rows_axis, rows_axis + 1), (0, 1))
    od = cf.shape[0] // poolDim
    out = np.zeros((od, od) + cf.shape[2:])
    for r in range(od):
        for c in range(od):
            region = cf[r * step:r * step + poolDim, c * step:c * step + poolDim]
            out[r, c] = reduce(region, axis=(0, 1))
    return np.moveaxis(out, (0, 1), (rows_axis, rows_axis + 1))


def pool_mistakes(rows_axis: int) -> tuple[Mistake, ...]:
    """The common mistakes of mean pooling (cnnPool): overlapping regions, max pooling, sums.

    Parameters
    ----------
    rows_axis : int
        The axis of the convolved features' rows (the columns follow it): 0 for
        stanford_dl_ex's (r, c, k, n), 2 for the original exercise's (k, n, r, c).

    Returns
    -------
    tuple of Mistake
    """
    def regions(step_of, reduce):
        return lambda poolDim, cf: _pool_regions(poolDim, cf, step_of(poolDim), reduce,
                                                  rows_axis)
    return (
        Mistake("the pooling regions overlap: they start every pixel, where they should "
                "start every poolDim pixels", regions(lambda p: 1, np.mean)),
        Mistake("max pooling where mean pooling is asked for", regions(lambda p: p, np.max)),
        Mistake("each region's sum, not its mean (a missing 1/poolDim^2)",
                regions(lambda p: p, np.sum)),
    )
