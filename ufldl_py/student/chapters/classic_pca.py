"""The classic_pca chapter of student mode: UFLDL/pca_exercise: pca_2d's and pca_gen's steps."""

from __future__ import annotations


import numpy as np

from ...ufldl_classic import pca as cpca
from ._common import Chapter, Edited, Function, Mistake, pca_data

__all__ = ["CLASSIC_PCA"]


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
    x = pca_data(rng, 2)
    return x, 1, (1e-5, 0.1)[trial % 2]


def _pca_gen_inputs(rng, trial):
    return pca_data(rng), (0.99, 0.9, 0.95)[trial % 3], (0.1, 0.01)[trial % 2]


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
    x = pca_data(np.random.default_rng(5), 8, 200)
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
