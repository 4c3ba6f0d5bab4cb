"""PCA and whitening of the original UFLDL exercises (ufldl_py.ufldl_classic.pca) against
pca_2d.m and pca_gen.m as completed, run in Octave (tests/fixtures/classic/pca_*.mat)."""

import numpy as np
import pytest

from conftest import FIXTURES, original_path
from ufldl_py import data
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R
from ufldl_py.matlab.io import loadmat
from ufldl_py.ufldl_classic import pca

CLASSIC = FIXTURES / "classic"


def rel(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    return np.abs(a - b).max() / np.abs(b).max()


def test_pca_2d_equals_matlab():
    g = loadmat(CLASSIC / "pca_2d.mat")
    x = pca.load_pcaData()
    np.testing.assert_array_equal(x, g["x"])
    assert x.shape == (2, 45)
    r = pca.pca_2d(x)
    for name in ("u", "S", "xRot", "xHat", "xPCAWhite", "xZCAWhite"):
        assert rel(r[name], g[name]) < 1e-12, name


@pytest.fixture(scope="module")
def gen():
    g = loadmat(CLASSIC / "pca_gen.mat")
    with R.isolated():
        R.rand("state", 11)
        x = pca.sampleIMAGESRAW(data.load_images_raw())
        after = R.rand(1, 3)
    return g, x, after, pca.pca_gen(x)


def test_seeded_sampleIMAGESRAW_equals_octave(gen):
    g, x, after, _ = gen
    assert x.shape == (144, 10000)
    np.testing.assert_array_equal(x[:, :100], g["raw_first"])
    np.testing.assert_array_equal(x.sum(axis=0), g["raw_sums"].ravel())
    np.testing.assert_array_equal(after, g["after"])


def _signs(U):
    """+-1 per column, making each column's entry of largest magnitude positive."""
    idx = np.abs(U).argmax(axis=0)
    return np.where(U[idx, np.arange(U.shape[1])] < 0, -1.0, 1.0)


def test_pca_gen_equals_matlab(gen):
    """The basis-independent results to 1e-12. The eigenvectors themselves are compared for
    the k retained components only, to 1e-10: sigma = x*x'/m is summed in another order by
    numpy's BLAS than by Octave's (differences of 1e-16 relative), and an eigenvector moves
    by about that over its eigenvalue's gap (the retained ones' gaps are above 6e-6 of the
    largest eigenvalue); the trailing eigenvalues of natural patches lie closer together
    (and the last is 0: each patch's mean is removed), and their eigenvectors are any basis
    of nearly the same subspace, in Octave as here."""
    g, _, _, r = gen
    k = int(g["k"])
    assert r["k"] == k == 109
    assert rel(r["avg"][:100], g["avg"]) < 1e-12
    assert rel(r["S"], g["S"]) < 1e-12
    assert rel(r["covar"], g["covar"]) < 1e-12
    assert rel(r["xHat"][:, :100], g["xHat"]) < 1e-12
    assert rel(r["xZCAWhite"][:, :100], g["xZCAWhite"]) < 1e-12
    assert rel(r["covarPCAWhite"], g["covarPCAWhite"]) < 1e-11
    # up to each eigenvector's sign: dgesvd's signs depend on the LAPACK build (scipy 1.10's
    # bundled OpenBLAS gives others than Octave's), so both sides are put in one sign rule
    dr, dg = _signs(r["U"][:, :k]), _signs(g["U"][:, :k])
    assert rel(r["U"][:, :k] * dr, g["U"][:, :k] * dg) < 1e-10
    assert rel(r["xRot"][:k, :100] * dr[:, None], g["xRot"][:k] * dg[:, None]) < 1e-10
    assert rel(r["xPCAWhite"][:k, :100] * dr[:, None], g["xPCAWhite"][:k] * dg[:, None]) < 1e-10


def test_pca_gen_properties(gen):
    _, _, _, r = gen
    covar = r["covar"]
    assert np.abs(covar - np.diag(np.diag(covar))).max() < 1e-12 * covar.max()
    s = r["S"]
    np.testing.assert_allclose(np.diag(r["covarPCAWhite"]), s / (s + 0.1), atol=1e-10)
    assert np.abs(r["x"].mean(axis=0)).max() < 1e-10


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="multiple of the number of images"):
        pca.sampleIMAGESRAW(np.zeros((20, 20, 3)), 12, 10)
    with pytest.raises(ValueError, match="retain"):
        pca.pca_gen(np.ones((4, 5)), 1.5)
    with pytest.raises(ValueError, match="epsilon"):
        pca.pca_2d(np.ones((2, 5)), 1, -1)
    with pytest.raises(ValueError, match="NaN"):
        pca.pca_2d(np.full((2, 5), np.nan))


@pytest.mark.octave
def test_live_sampleIMAGESRAW_against_the_original(tmp_path):
    root = original_path("UFLDL_PY_CLASSIC")
    from ufldl_py.matlab import io
    raw = data.load_images_raw()
    io.savemat(tmp_path / "IMAGES_RAW.mat", {"IMAGESr": raw})
    out = octave.run(f"cd({tmp_path.as_posix()!r}); rand('state', 5); p = sampleIMAGESRAW();",
                     outputs=["p"], path=root / "pca_exercise")
    with R.isolated():
        R.rand("state", 5)
        np.testing.assert_array_equal(pca.sampleIMAGESRAW(raw), out["p"])


def test_randi_calls_equal_scalar_calls():
    imaxes = [501, 501, 7, 3, 2 ** 40, 1]
    with R.isolated():
        R.rand("state", 4)
        one_by_one = [[R.randi(v) for v in imaxes] for _ in range(20)]
        after = R.rand()
        R.rand("state", 4)
        np.testing.assert_array_equal(R.randi_calls(imaxes, 20), one_by_one)
        assert R.rand() == after
