"""The linear decoder of the original UFLDL exercises (ufldl_py.ufldl_classic.linear_decoder)
against the completed linear_decoder_exercise run in Octave."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conftest import FIXTURES, original_path
from ufldl_py import data, minfunc
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R
from ufldl_py.matlab.io import loadmat
from ufldl_py.ufldl_classic import linear_decoder as L
from ufldl_py.ufldl_classic.sparseae import computeNumericalGradient, initializeParameters

CLASSIC = FIXTURES / "classic"


def rel(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    return np.abs(a - b).max() / np.abs(b).max()


def test_cost_and_gradient_equal_matlab():
    g = loadmat(CLASSIC / "linear_cost.mat")
    args = (8, 5, 3e-3, 0.035, 5.0, g["data"])
    cost, grad = L.sparseAutoencoderLinearCost(g["theta"], *args)
    assert rel(cost, g["cost"]) < 1e-12 and rel(grad, g["grad"]) < 1e-12
    cost, grad = L.sparseAutoencoderLinearCost_loop(g["theta"], *args)
    assert rel(cost, g["cost"]) < 1e-12 and rel(grad, g["grad"]) < 1e-12


def test_gradient_check_as_in_STEP_1():
    """debugHiddenSize 5, debugvisibleSize 8, patches = rand([8 10]): diff < 1e-9."""
    with R.isolated(0):
        patches = R.rand(8, 10)
        theta = initializeParameters(5, 8)
    J = lambda t: L.sparseAutoencoderLinearCost(t, 8, 5, 3e-3, 0.035, 5, patches)  # noqa
    numgrad = computeNumericalGradient(J, theta)
    grad = J(theta)[1]
    assert np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad) < 1e-9


def test_zca_whitening_and_minFunc_iterates_equal_octave():
    g = loadmat(CLASSIC / "linear_zca_minfunc.mat")
    patches, ZCAWhite, meanPatch = L.zca_whitening(data.load_color_patches(2000), 0.1)
    assert rel(meanPatch, g["meanPatch"]) < 1e-12
    assert rel(ZCAWhite, g["ZCAWhite"]) < 1e-12
    assert rel(patches[:, :50], g["white_first"]) < 1e-12
    with R.isolated():
        R.rand("state", 5)
        theta0 = initializeParameters(20, 192)
    np.testing.assert_array_equal(theta0, g["theta0"].ravel())
    fs = []
    x, _, _, _ = minfunc.minFunc(
        lambda p: L.sparseAutoencoderLinearCost(p, 192, 20, 3e-3, 0.035, 5, patches[:, :300]),
        theta0, {"Method": "lbfgs", "MaxIter": 20, "Display": "off",
                 "outputFcn": lambda x, state, i, n, f, *r: state == "iter" and fs.append(f)})
    assert len(fs) == 20 and rel(fs, g["fs"]) < 1e-8
    assert rel(x, g["x"]) < 1e-8


def test_color_patches_and_display(figures_dir):
    p = data.load_color_patches(500)
    assert p.shape == (192, 500) and p.min() >= 0 and p.max() <= 1
    np.testing.assert_array_equal(p, data.load_color_patches(500))  # its own seeded stream
    fig, I = L.displayColorNetwork(p[:, :100])
    assert I.shape == (10 * 8 + 9, 10 * 8 + 9, 3)
    white, ZCAWhite, _ = L.zca_whitening(p)
    fig, I = L.displayColorNetwork(white[:, :30])  # 30 filters: 5 per row, 6 rows
    assert I.shape == (6 * 8 + 5, 5 * 8 + 4, 3)
    with pytest.raises(ValueError, match="3\\*dim"):
        L.displayColorNetwork(np.ones((10, 4)))


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 10), st.integers(1, 5), st.integers(1, 600), st.integers(0, 2 ** 32 - 1))
def test_fast_form_equals_loop_form(v, h, m, seed):
    rng = np.random.default_rng(seed)
    theta = 0.5 * rng.standard_normal(2 * v * h + v + h)
    X = rng.standard_normal((v, m))
    a = (theta, v, h, 1e-3, 0.035, 5.0, X)
    cost, grad = L.sparseAutoencoderLinearCost(*a)
    cost_l, grad_l = L.sparseAutoencoderLinearCost_loop(*a)
    assert abs(cost - cost_l) <= 1e-12 * abs(cost_l)
    assert np.abs(grad - grad_l).max() <= 1e-12 * np.abs(grad_l).max()


@pytest.mark.octave
def test_live_against_the_original():
    root = original_path("UFLDL_PY_CLASSIC")
    rng = np.random.default_rng(3)
    theta, X = 0.2 * rng.standard_normal(2 * 12 * 4 + 16), rng.standard_normal((12, 30))
    cost, grad = octave.call("sparseAutoencoderLinearCost", theta, 12.0, 4.0, 3e-3, 0.035, 5.0,
                             X, nargout=2, path=root / "linear_decoder_exercise")
    mine = L.sparseAutoencoderLinearCost(theta, 12, 4, 3e-3, 0.035, 5.0, X)
    assert rel(mine[0], cost) < 1e-12 and rel(mine[1], grad) < 1e-12
