"""Softmax regression of the original UFLDL exercises (ufldl_py.ufldl_classic.softmax)
against softmaxCost.m, softmaxTrain.m and softmaxPredict.m as completed, run in Octave."""

import numpy as np
import pytest

from conftest import FIXTURES, original_path
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R
from ufldl_py.matlab.io import loadmat
from ufldl_py.ufldl_classic import softmax as S
from ufldl_py.ufldl_classic.sparseae import computeNumericalGradient

CLASSIC = FIXTURES / "classic"


def rel(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    return np.abs(a - b).max() / np.abs(b).max()


def test_cost_and_gradient_equal_matlab():
    g = loadmat(CLASSIC / "softmax_cost.mat")
    cost, grad = S.softmaxCost(g["theta"], 4, 6, g["lambda"], g["data"], g["labels"])
    assert rel(cost, g["cost"]) < 1e-12 and rel(grad, g["grad"]) < 1e-12


def test_seeded_softmaxTrain_iterates_and_predictions_equal_octave():
    """softmaxTrain's randn draw and minFunc's first 20 iterations, to 1e-8."""
    g = loadmat(CLASSIC / "softmax_train.mat")
    fs = []
    with R.isolated():
        R.randn("state", 3)
        model = S.softmaxTrain(
            784, 10, 1e-4, g["train"], g["train_y"],
            {"maxIter": 20, "Display": "off",
             "outputFcn": lambda x, state, i, n, f, *r: state == "iter" and fs.append(f)})
    assert model["optTheta"].shape == (10, 784) and model["numClasses"] == 10
    assert len(fs) == 20 and rel(fs, g["fs"]) < 1e-8
    assert rel(model["optTheta"], g["optTheta"]) < 1e-8
    np.testing.assert_array_equal(S.softmaxPredict(model, g["test"]), g["pred"].ravel())
    cost, grad = S.softmaxCost(g["optTheta"].ravel(order="F"), 10, 784, 1e-4, g["train"],
                               g["train_y"])
    assert rel(cost, g["cost"]) < 1e-12 and rel(grad, g["grad"]) < 1e-12


def test_gradient_check_as_in_DEBUG_mode():
    """softmaxExercise's DEBUG: inputSize 8, randn(8, 100), randi(10, 100, 1)."""
    with R.isolated(0):
        data = R.randn(8, 100)
        labels = R.randi(10, 100, 1)
        theta = 0.005 * R.randn(80, 1).ravel()
    labels[0] = 10  # groundTruth needs the largest class (see the next test)
    J = lambda t: S.softmaxCost(t, 10, 8, 1e-4, data, labels)  # noqa: E731
    numGrad = computeNumericalGradient(J, theta)
    grad = J(theta)[1]
    # about 1e-9 here ("usually less than 1e-9", says the script): central differences with
    # epsilon 1e-4 are off by O(epsilon^2) times the third derivative
    assert np.linalg.norm(numGrad - grad) / np.linalg.norm(numGrad + grad) < 5e-9


def test_missing_top_class_fails_as_the_original_and_the_keyword_fixes_it():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((3, 6))
    y = np.array([1, 2, 2, 1, 3, 3.0])  # class 4 absent
    theta = rng.standard_normal(12)
    with pytest.raises(ValueError, match="nonconformant arguments"):
        S.softmaxCost(theta, 4, 3, 1e-3, X, y)
    cost, grad = S.softmaxCost(theta, 4, 3, 1e-3, X, y, full_ground_truth=True)
    numgrad = computeNumericalGradient(
        lambda t: S.softmaxCost(t, 4, 3, 1e-3, X, y, full_ground_truth=True), theta)
    assert np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad) < 1e-9
    y4 = y.copy()
    y4[0] = 4
    assert S.softmaxCost(theta, 4, 3, 1e-3, X, y4)[0] == \
        S.softmaxCost(theta, 4, 3, 1e-3, X, y4, full_ground_truth=True)[0]


def test_bad_input_is_refused():
    g = loadmat(CLASSIC / "softmax_cost.mat")
    with pytest.raises(ValueError, match="theta must have 24"):
        S.softmaxCost(g["theta"][:-1], 4, 6, 1e-3, g["data"], g["labels"])
    with pytest.raises(ValueError, match="data must be inputSize x m"):
        S.softmaxCost(g["theta"], 4, 6, 1e-3, g["data"][:-1], g["labels"])
    with pytest.raises(ValueError, match="labels must be integers in 1..numClasses"):
        S.softmaxCost(g["theta"], 4, 6, 1e-3, g["data"], g["labels"] + 4)
    with pytest.raises(ValueError, match="optTheta"):
        S.softmaxPredict({}, g["data"])


@pytest.mark.octave
def test_live_against_the_original():
    root = original_path("UFLDL_PY_CLASSIC")
    rng = np.random.default_rng(9)
    X, y = rng.standard_normal((7, 40)), rng.integers(1, 6, 40).astype(float)
    y[0] = 5
    theta = 0.2 * rng.standard_normal(35)
    cost, grad = octave.call("softmaxCost", theta, 5.0, 7.0, 1e-2, X, y, nargout=2,
                             path=root / "common")
    mine = S.softmaxCost(theta, 5, 7, 1e-2, X, y)
    assert rel(mine[0], cost) < 1e-12 and rel(mine[1], grad) < 1e-12
    pred = octave.run("m.optTheta = reshape(theta, 5, 7); p = softmaxPredict(m, X);",
                      {"theta": theta, "X": X}, ["p"], path=root / "common")["p"]
    np.testing.assert_array_equal(
        S.softmaxPredict({"optTheta": theta.reshape(5, 7, order="F")}, X), pred.ravel())
