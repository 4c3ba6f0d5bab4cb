"""The UFLDL CNN chapter (ufldl_py.ufldl.cnn) against the completed MATLAB exercise."""

import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conftest import FIXTURES, original_path
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R
from ufldl_py.matlab.io import loadmat
from ufldl_py.ufldl import cnn

CASES = ["tutorial", "gradcheck", "odd", "small"]


def rel(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    return np.abs(a - b).max() / np.abs(b).max()


def sizes(g):
    return int(g["numClasses"]), int(g["filterDim"]), int(g["numFilters"]), int(g["poolDim"])


@pytest.mark.parametrize("case", CASES)
def test_cost_grad_preds_equal_matlab(case):
    g = loadmat(FIXTURES / "ucnn" / f"cost_{case}.mat")
    C, f, K, p = sizes(g)
    cost, grad = cnn.cnnCost(g["theta"], g["images"], g["labels"], C, f, K, p)
    assert rel(cost, g["cost"]) < 1e-12
    assert grad.shape == (g["grad"].size,) and rel(grad, g["grad"]) < 1e-12
    pcost, pgrad, preds = cnn.cnnCost(g["theta"], g["images"], g["labels"], C, f, K, p, True)
    assert rel(pcost, g["pcost"]) < 1e-12 and pgrad == g["pgrad"] == 0
    np.testing.assert_array_equal(preds, g["preds"].ravel())


@pytest.mark.parametrize("case", CASES)
def test_convolve_and_pool_equal_matlab(case):
    g = loadmat(FIXTURES / "ucnn" / f"cost_{case}.mat")
    C, f, K, p = sizes(g)
    Wc, Wd, bc, bd = cnn.cnnParamsToStack(g["theta"], g["images"].shape[0], f, K, p, C)
    conv = cnn.cnnConvolve(f, K, g["images"], Wc, bc)
    expected = g["convolved"].reshape(conv.shape)  # Octave drops a trailing 1
    assert rel(conv, expected) < 1e-12
    pooled = cnn.cnnPool(p, expected)
    assert rel(pooled, g["pooled"].reshape(pooled.shape)) < 1e-12


def test_seeded_init_equals_octave():
    g = loadmat(FIXTURES / "ucnn" / "init_seeded.mat")
    with R.isolated():
        R.randn("state", 0)
        R.rand("state", 0)
        theta = cnn.cnnInitParams(28, 9, 20, 2, 10)
    np.testing.assert_array_equal(theta, g["theta"].ravel())


def test_seeded_sgd_equals_octave():
    """Same initial theta, same randperm batches, same momentum and step halving."""
    g = loadmat(FIXTURES / "ucnn" / "sgd_seeded.mat")
    costs = []
    with R.isolated():
        R.randn("state", 1)
        R.rand("state", 1)
        theta0 = cnn.cnnInitParams(12, 5, 3, 2, 10)
        opt = cnn.minFuncSGD(lambda x, y, z: cnn.cnnCost(x, y, z, 10, 5, 3, 2), theta0,
                             g["images"], g["labels"],
                             {"epochs": 2, "minibatch": 8, "alpha": 1e-1, "momentum": .95},
                             callback=lambda e, it, c: costs.append((e, it, c)))
        order = R.randperm(60)
    np.testing.assert_array_equal(theta0, g["theta0"].ravel())
    assert rel(opt, g["opttheta"]) < 1e-12
    np.testing.assert_array_equal(order, g["order"])
    assert [(e, it) for e, it, _ in costs] == [(1 + i // 7, i + 1) for i in range(14)]


def test_numerical_gradient_check_on_the_small_network():
    """cnnExercise's DEBUG check: 2 filters of 9x9, pool 5, 10 images; diff < 1e-9."""
    g = loadmat(FIXTURES / "ucnn" / "cost_gradcheck.mat")
    images, labels = g["images"], g["labels"]
    with R.isolated(3):
        theta = cnn.cnnInitParams(28, 9, 2, 5, 10)
    _, grad = cnn.cnnCost(theta, images, labels, 10, 9, 2, 5)
    numgrad = cnn.computeNumericalGradient(
        lambda x: cnn.cnnCost(x, images, labels, 10, 9, 2, 5), theta, verbose=False)
    diff = np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad)
    assert diff < 1e-9


def test_numerical_gradient_prints_progress(capsys):
    cnn.computeNumericalGradient(lambda t: float(np.sum(t ** 2)), np.ones(250))
    assert capsys.readouterr().out.split("\n")[:2] == ["Done with 100", "Done with 200"]


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 3), st.integers(2, 4),
       st.integers(1, 40), st.integers(0, 2 ** 32 - 1))
def test_fast_form_equals_loop_form(poolDim, outDim, numFilters, numClasses, numImages, seed):
    rng = np.random.default_rng(seed)
    filterDim = int(rng.integers(1, 6))
    imageDim = outDim * poolDim + filterDim - 1
    hidden = outDim ** 2 * numFilters
    theta = rng.standard_normal(filterDim ** 2 * numFilters + numClasses * hidden
                                + numFilters + numClasses)
    images = rng.random((imageDim, imageDim, numImages))
    labels = rng.integers(1, numClasses + 1, numImages).astype(float)
    args = (theta, images, labels, numClasses, filterDim, numFilters, poolDim)
    cost, grad = cnn.cnnCost(*args)
    cost_l, grad_l = cnn.cnnCost_loop(*args)
    assert abs(cost - cost_l) <= 1e-12 * abs(cost_l)
    assert np.abs(grad - grad_l).max() <= 1e-12 * np.abs(grad_l).max()
    np.testing.assert_array_equal(cnn.cnnCost(*args, True)[2], cnn.cnnCost_loop(*args, True)[2])
    Wc, _, bc, _ = cnn.cnnParamsToStack(theta, imageDim, filterDim, numFilters, poolDim,
                                        numClasses)
    conv = cnn.cnnConvolve(filterDim, numFilters, images, Wc, bc)
    np.testing.assert_allclose(conv, cnn.cnnConvolve_loop(filterDim, numFilters, images, Wc, bc),
                               rtol=1e-12, atol=0)
    np.testing.assert_allclose(cnn.cnnPool(poolDim, conv), cnn.cnnPool_loop(poolDim, conv),
                               rtol=1e-12, atol=0)


def test_chunking_does_not_change_results(monkeypatch):
    g = loadmat(FIXTURES / "ucnn" / "cost_small.mat")
    C, f, K, p = sizes(g)
    ref = cnn.cnnCost(g["theta"], g["images"], g["labels"], C, f, K, p)
    monkeypatch.setattr(cnn, "CHUNK", 2)
    got = cnn.cnnCost(g["theta"], g["images"], g["labels"], C, f, K, p)
    assert abs(got[0] - ref[0]) < 1e-14 and np.abs(got[1] - ref[1]).max() < 1e-15


def test_pooling_test_matrix_of_cnnExercise():
    testMatrix = np.arange(1.0, 65.0).reshape(8, 8, order="F")
    expected = np.array([[testMatrix[:4, :4].mean(), testMatrix[:4, 4:].mean()],
                         [testMatrix[4:, :4].mean(), testMatrix[4:, 4:].mean()]])
    pooled = cnn.cnnPool(4, testMatrix.reshape(8, 8, 1, 1))
    np.testing.assert_array_equal(pooled[:, :, 0, 0], expected)


def test_bias_indexing_is_linear_as_in_matlab():
    """cnnExercise passes b = rand(numFilters), a matrix; b(k) is its k-th element."""
    rng = np.random.default_rng(0)
    images, W, b = rng.random((6, 6, 2)), rng.standard_normal((3, 3, 4)), rng.random((4, 4))
    conv = cnn.cnnConvolve(3, 4, images, W, b)
    conv_col = cnn.cnnConvolve(3, 4, images, W, b[:, 0])
    np.testing.assert_array_equal(conv, conv_col)


@pytest.mark.parametrize("call, message", [
    (lambda t, im, y: cnn.cnnCost(t, im, y, 10, 9, 2, 3), re.escape("poolDim must divide imageDim - filterDim + 1")),
    (lambda t, im, y: cnn.cnnInitParams(28, 9, 2, 3, 10), re.escape("poolDim must divide imageDim - filterDim + 1")),
    (lambda t, im, y: cnn.cnnInitParams(9, 9, 2, 1, 10), "filterDim must be less that imageDim"),
    (lambda t, im, y: cnn.cnnCost(t, im, y + 10, 10, 9, 2, 5), r"labels must be integers in 1..numClasses"),
    (lambda t, im, y: cnn.cnnCost(t, im, y - y, 10, 9, 2, 5), r"labels must be integers in 1..numClasses"),
    (lambda t, im, y: cnn.cnnCost(t, im, y + 0.5, 10, 9, 2, 5), r"labels must be integers"),
    (lambda t, im, y: cnn.cnnCost(t, im, y[:-1], 10, 9, 2, 5), "one per image"),
    (lambda t, im, y: cnn.cnnCost(t[:-1], im, y, 10, 9, 2, 5), "theta must be a vector of 494"),
    (lambda t, im, y: cnn.cnnCost(np.where(np.arange(t.size) == 3, np.nan, t.ravel()), im, y, 10, 9, 2, 5), "theta contains NaN or Inf"),
    (lambda t, im, y: cnn.cnnCost(t, np.where(im > 0.5, np.inf, im), y, 10, 9, 2, 5), "images contain NaN or Inf"),
    (lambda t, im, y: cnn.cnnCost(t, im[:, :27], y, 10, 9, 2, 5), "imageDim x imageDim x numImages"),
    (lambda t, im, y: cnn.cnnPool(3, im), "poolDim 3 must divide convolvedDim 28"),
    (lambda t, im, y: cnn.cnnConvolve(9, 3, im, np.zeros((9, 9, 2)), np.zeros(3)), "W must be"),
    (lambda t, im, y: cnn.minFuncSGD(None, t, im, y, {"epochs": 1}), "Some options not defined"),
])
def test_bad_input_is_refused(call, message):
    g = loadmat(FIXTURES / "ucnn" / "cost_gradcheck.mat")
    with pytest.raises(ValueError, match=message):
        call(g["theta"], g["images"], g["labels"])


@pytest.mark.octave
@settings(max_examples=8, deadline=None)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 4), st.integers(2, 5),
       st.integers(1, 12), st.integers(0, 2 ** 32 - 1))
def test_cost_equals_live_matlab_for_any_valid_size(poolDim, outDim, numFilters, numClasses,
                                                    numImages, seed):
    path = original_path("UFLDL_PY_STANFORD_DL_EX") / "cnn"
    rng = np.random.default_rng(seed)
    filterDim = int(rng.integers(1, 7))
    imageDim = outDim * poolDim + filterDim - 1
    if filterDim >= imageDim:
        imageDim += poolDim
    hidden = ((imageDim - filterDim + 1) // poolDim) ** 2 * numFilters
    theta = 0.1 * rng.standard_normal(filterDim ** 2 * numFilters + numClasses * hidden
                                      + numFilters + numClasses)
    images = rng.random((imageDim, imageDim, numImages))
    labels = rng.integers(1, numClasses + 1, numImages).astype(float)
    cost, grad = octave.call("cnnCost", theta, images, labels, float(numClasses),
                             float(filterDim), float(numFilters), float(poolDim), nargout=2,
                             path=path)
    c, g = cnn.cnnCost(theta, images, labels, numClasses, filterDim, numFilters, poolDim)
    assert rel(c, cost) < 1e-12 and rel(g, grad) < 1e-12
