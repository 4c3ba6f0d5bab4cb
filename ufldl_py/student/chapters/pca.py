"""The pca chapter of student mode: stanford_dl_ex/pca: pca_gen's steps."""

from __future__ import annotations


import numpy as np

from ...ufldl import pca
from ._common import Chapter, Function, Mistake, SVD_IMPORT, eigen_signs, pca_data, scaled

__all__ = ["PCA"]


def _pca_rotated(rng):
    x = pca.zero_mean(pca_data(rng))
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
        x = pca.zero_mean(pca_data(np.random.default_rng(5), 8, 200))
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
        x = pca.zero_mean(pca_data(np.random.default_rng(6), 8, 200))
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


PCA = Chapter(
    name="pca", origin="stanford_dl_ex/pca",
    title="PCA, PCA whitening and ZCA whitening (pca_gen)",
    drivers=("pca_gen",),
    functions=(
        _pca_step(
            "zero_mean", lambda rng, t: (pca_data(rng),),
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
            lambda rng, t: (pca.zero_mean(pca_data(rng)),), ("xRot", "U", "S"),
            doc="""pca_gen's Step 1a: PCA, the data in the eigenbasis of its covariance.

    Parameters: x (n x m, zero-mean, one example per column). Returns xRot (n x m, the data
    with respect to the eigenbasis U), U (n x n, the eigenvectors of sigma = x * x' / m as
    columns, by decreasing eigenvalue) and S (n x n, the eigenvalues on the diagonal, as
    svd's S). Each eigenvector's sign is arbitrary: the checker compares U and xRot after
    making each column of U's entry of largest magnitude positive.""",
            imports=SVD_IMPORT,
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
            canonical=lambda outs: eigen_signs(outs, 1, (0,)),
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
                        scaled(pca.covariance, lambda a: np.shape(a[0])[1])),
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
