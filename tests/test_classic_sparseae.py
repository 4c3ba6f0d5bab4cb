"""The original UFLDL sparse autoencoder (ufldl_py.ufldl_classic.sparseae) against the
completed MATLAB exercise run in Octave (tests/fixtures/classic/, make_classic.py)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conftest import FIXTURES, original_path
from ufldl_py import data, minfunc
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R
from ufldl_py.matlab.io import loadmat
from ufldl_py.ufldl_classic import sparseae as S

CLASSIC = FIXTURES / "classic"


def rel(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    return np.abs(a - b).max() / np.abs(b).max()


def args(g):
    return (int(g["visibleSize"]), int(g["hiddenSize"]), g["lambda"], g["sparsityParam"],
            g["beta"], g["data"])


@pytest.mark.parametrize("case", ["small", "tutorial", "mnist"])
def test_cost_and_gradient_equal_matlab(case):
    g = loadmat(CLASSIC / f"sae_cost_{case}.mat")
    cost, grad = S.sparseAutoencoderCost(g["theta"], *args(g))
    assert rel(cost, g["cost"]) < 1e-12
    assert grad.shape == (g["grad"].size,) and rel(grad, g["grad"]) < 1e-12


@pytest.mark.parametrize("case", ["small", "tutorial"])
def test_loop_form_equals_matlab(case):
    g = loadmat(CLASSIC / f"sae_cost_{case}.mat")
    cost, grad = S.sparseAutoencoderCost_loop(g["theta"], *args(g))
    assert rel(cost, g["cost"]) < 1e-12 and rel(grad, g["grad"]) < 1e-12


def test_seeded_sampleIMAGES_and_initializeParameters_equal_octave():
    g = loadmat(CLASSIC / "sae_seeded.mat")
    with R.isolated():
        R.rand("state", 7)
        patches = S.sampleIMAGES(data.load_images_raw())
        after = R.rand(1, 3)
        R.rand("state", 0)
        theta = S.initializeParameters(25, 64)
        after_init = R.rand(1, 2)
    assert patches.shape == (64, 10000)
    assert rel(patches[:, :300], g["first"]) < 1e-12
    assert rel(patches.sum(axis=0), g["sums"]) < 1e-12
    np.testing.assert_array_equal(after, g["after"])  # the stream is where Octave's is
    np.testing.assert_array_equal(theta, g["theta"].ravel())
    np.testing.assert_array_equal(after_init, g["after_init"])
    assert 0.1 <= patches.min() and patches.max() <= 0.9


def test_minFunc_iterates_equal_octave():
    """train.m's L-BFGS on 300 patches: minFunc's first 20 iterates, to 1e-8."""
    g = loadmat(CLASSIC / "sae_minfunc.mat")
    with R.isolated():
        R.rand("state", 1)
        patches = S.sampleIMAGES(data.load_images_raw())[:, :300]
        theta0 = S.initializeParameters(25, 64)
    np.testing.assert_array_equal(theta0, g["theta0"].ravel())
    xs, fs = [], []

    def record(x, state, i, funEvals, f, *rest):
        if state == "iter":
            xs.append(x.copy())
            fs.append(f)
        return False

    x, f, _, _ = minfunc.minFunc(
        lambda p: S.sparseAutoencoderCost(p, 64, 25, 1e-4, 0.01, 3, patches), theta0,
        {"Method": "lbfgs", "MaxIter": 20, "Display": "off", "outputFcn": record})
    assert len(fs) == 20 and rel(fs, g["fs"]) < 1e-8
    for k, col in zip([1, 5, 10, 20], g["xs"].T):
        assert rel(xs[k - 1], col) < 1e-8, k
    assert rel(x, g["x"]) < 1e-8


def test_shipped_images_and_whitening(tmp_path):
    raw = data.load_images_raw()
    assert raw.shape == (512, 512, 10) and raw.min() >= 0 and raw.max() <= 255
    white = data.whiten_images(raw[:, :, :2])
    assert white.shape == (512, 512, 2)
    cols = white.reshape(-1, 2, order="F")
    assert abs(np.mean(cols.var(axis=0, ddof=1)) - 0.1) < 1e-12
    assert abs(white.mean()) < 1e-10  # the filter removes DC
    from ufldl_py.matlab import io
    io.savemat(tmp_path / "IMAGES.mat", {"IMAGES": white})
    np.testing.assert_array_equal(data.load_images(tmp_path / "IMAGES.mat"), white)
    io.savemat(tmp_path / "other.mat", {"X": white})
    with pytest.raises(ValueError, match="no variable IMAGES"):
        data.load_images(tmp_path / "other.mat")
    with pytest.raises(FileNotFoundError):
        data.load_images(tmp_path / "missing.mat")


def test_normalizeData_bounds_and_dc():
    rng = np.random.default_rng(0)
    p = S.normalizeData(rng.standard_normal((16, 50)) * 5 + 3)
    assert 0.1 <= p.min() and p.max() <= 0.9
    with pytest.raises(ValueError, match="NaN"):
        S.normalizeData(np.full((4, 4), np.nan))


def test_numerical_gradient_check():
    """train.m's STEP 3 on a small model: diff < 1e-9; checkNumericalGradient's 2.1452e-12."""
    g = loadmat(CLASSIC / "sae_cost_small.mat")
    a = args(g)
    numgrad = S.computeNumericalGradient(lambda t: S.sparseAutoencoderCost(t, *a), g["theta"])
    grad = S.sparseAutoencoderCost(g["theta"], *a)[1]
    assert np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad) < 1e-9
    assert abs(S.checkNumericalGradient() - 2.1452e-12) < 1e-15


def test_bad_input_is_refused():
    g = loadmat(CLASSIC / "sae_cost_small.mat")
    v, h, lam, rho, beta, X = args(g)
    with pytest.raises(ValueError, match="theta must have"):
        S.sparseAutoencoderCost(g["theta"][:-1], v, h, lam, rho, beta, X)
    with pytest.raises(ValueError, match="data must be visibleSize x m"):
        S.sparseAutoencoderCost(g["theta"], v, h, lam, rho, beta, X[:-1])
    with pytest.raises(ValueError, match="sparsityParam"):
        S.sparseAutoencoderCost(g["theta"], v, h, lam, 1.5, beta, X)
    with pytest.raises(ValueError, match="NaN"):
        S.sparseAutoencoderCost(g["theta"] * np.nan, v, h, lam, rho, beta, X)
    with pytest.raises(ValueError, match="patchsize"):
        S.sampleIMAGES(np.zeros((4, 4, 2)))


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 12), st.integers(1, 6), st.integers(1, 700), st.integers(0, 2 ** 32 - 1))
def test_fast_form_equals_loop_form(v, h, m, seed):
    rng = np.random.default_rng(seed)
    theta = 0.5 * rng.standard_normal(2 * v * h + v + h)
    X = rng.random((v, m))
    a = (theta, v, h, 1e-3, 0.05, 3.0, X)
    cost, grad = S.sparseAutoencoderCost(*a)
    cost_l, grad_l = S.sparseAutoencoderCost_loop(*a)
    assert abs(cost - cost_l) <= 1e-12 * abs(cost_l)
    assert np.abs(grad - grad_l).max() <= 1e-12 * np.abs(grad_l).max()


@pytest.mark.octave
def test_live_against_the_original(tmp_path):
    """With UFLDL_PY_CLASSIC set: sparseAutoencoderCost and all 10,000 seeded patches."""
    root = original_path("UFLDL_PY_CLASSIC")
    rng = np.random.default_rng(5)
    theta = 0.2 * rng.standard_normal(2 * 64 * 25 + 64 + 25)
    X = rng.random((64, 500))
    cost, grad = octave.call("sparseAutoencoderCost", theta, 64.0, 25.0, 1e-4, 0.01, 3.0, X,
                             nargout=2, path=root / "common")
    mine = S.sparseAutoencoderCost(theta, 64, 25, 1e-4, 0.01, 3.0, X)
    assert rel(mine[0], cost) < 1e-12 and rel(mine[1], grad) < 1e-12
    from ufldl_py.matlab import io
    raw = data.load_images_raw()
    io.savemat(tmp_path / "IMAGES.mat", {"IMAGES": raw})
    out = octave.run(f"cd({tmp_path.as_posix()!r}); rand('state', 3); p = sampleIMAGES();",
                     outputs=["p"], path=[root / "sparseae_exercise", root / "common"])
    with R.isolated():
        R.rand("state", 3)
        assert rel(S.sampleIMAGES(raw), out["p"]) < 1e-12


def test_vectorization_minFunc_iterates_equal_octave():
    """The vectorization exercise's L-BFGS on MNIST digits (lambda 3e-3, beta 3, rho 0.1),
    8 hidden units and 100 digits: minFunc's first 20 iterations, to 1e-8."""
    g = loadmat(CLASSIC / "vec_minfunc.mat")
    fs = []
    with R.isolated():
        R.rand("state", 2)
        theta0 = S.initializeParameters(8, 784)
    x, f, _, _ = minfunc.minFunc(
        lambda p: S.sparseAutoencoderCost(p, 784, 8, 3e-3, 0.1, 3, g["images"]), theta0,
        {"Method": "lbfgs", "MaxIter": 20, "Display": "off",
         "outputFcn": lambda x, state, i, n, f, *r: state == "iter" and fs.append(f)})
    assert len(fs) == 20 and rel(fs, g["fs"]) < 1e-8
    assert rel(x, g["x"]) < 1e-8
