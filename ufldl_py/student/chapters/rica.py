"""The rica chapter of student mode: stanford_dl_ex/rica: zca2, softICACost (runSoftICA)."""

from __future__ import annotations

import functools

import numpy as np
import scipy.linalg

from ...ufldl import rica
from ...testing import PROBLEMS, soft_ica
from ._common import Chapter, Function, Mistake, SVD_IMPORT, central_difference_check, eigen_signs

__all__ = ["RICA"]


def _zca2_inputs(rng, trial):
    return PROBLEMS["zca2"](rng)


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
    """soft_ica's problem with the sizes in params as ints, as the template uses them."""
    theta, x, params = soft_ica(rng, k, n, m)
    return theta, x, dict(params, numFeatures=int(params["numFeatures"]), n=int(params["n"]))


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
    return central_difference_check(fn, theta, (x, params), 1e-7)


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
            imports=SVD_IMPORT,
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
            canonical=lambda outs: eigen_signs(outs, 2)),
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
