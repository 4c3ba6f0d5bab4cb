"""Stacked autoencoders of the original UFLDL exercises (ufldl_py.ufldl_classic.stackedae)
against the completed stackedae_exercise run in Octave."""

import numpy as np
import pytest

from conftest import FIXTURES, original_path
from ufldl_py import minfunc
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R
from ufldl_py.matlab.io import loadmat
from ufldl_py.ufldl_classic import softmax, sparseae, stl
from ufldl_py.ufldl_classic import stackedae as S

CLASSIC = FIXTURES / "classic"


def rel(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    return np.abs(a - b).max() / np.abs(b).max()


def small():
    g = loadmat(CLASSIC / "stackedae_cost.mat")
    stack = [{"w": g["W1"], "b": g["b1"]}, {"w": g["W2"], "b": g["b2"]}]
    return g, stack


def test_stack2params_and_params2stack_equal_matlab():
    g, stack = small()
    params, netconfig = S.stack2params(stack)
    np.testing.assert_array_equal(params, g["params"].ravel())
    assert netconfig == {"inputsize": int(g["inputsize"]),
                         "layersizes": [int(v) for v in np.ravel(g["layersizes"])]}
    back = S.params2stack(params, netconfig)
    np.testing.assert_array_equal(back[1]["w"], g["W2back"])
    np.testing.assert_array_equal(back[0]["b"], g["b1back"].ravel())


def test_cost_gradient_and_predictions_equal_matlab():
    g, stack = small()
    params, netconfig = S.stack2params(stack)
    theta = np.concatenate([g["softmaxTheta"].ravel(order="F"), params])
    cost, grad = S.stackedAECost(theta, 6, 4, 3, netconfig, 0.01, g["data"], g["labels"])
    assert rel(cost, g["cost"]) < 1e-12 and rel(grad, g["grad"]) < 1e-12
    np.testing.assert_array_equal(S.stackedAEPredict(theta, 6, 4, 3, netconfig, g["data"]),
                                  g["pred"].ravel())


def test_checkStackedAECost():
    """checkStackedAECost.m: a 4-3-5 stack, 2 classes, 5 examples; diff < 1e-9."""
    with R.isolated(0):
        data = R.randn(4, 5)
        labels = np.array([1, 2, 1, 2, 1.0])
        stack = [{"w": 0.1 * R.randn(3, 4), "b": np.zeros(3)},
                 {"w": 0.1 * R.randn(5, 3), "b": np.zeros(5)}]
        softmaxTheta = 0.005 * R.randn(10, 1).ravel()
    params, netconfig = S.stack2params(stack)
    theta = np.concatenate([softmaxTheta, params])
    J = lambda t: S.stackedAECost(t, 4, 5, 2, netconfig, 0.01, data, labels)  # noqa: E731
    numgrad = sparseae.computeNumericalGradient(J, theta)
    grad = J(theta)[1]
    assert np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad) < 1e-9


def test_seeded_pretraining_and_finetuning_equal_octave():
    """stackedAEExercise.m's steps, narrowed (200 digits, 784-16-8, 10 iterations of each
    pre-training and of softmaxTrain): the stacked theta to 1e-8, the fine-tuning's 20
    iterations to 3e-8, and the predictions before and after.

    The 40 L-BFGS iterations before the fine-tuning's end amplify the last bits in which BLAS
    kernels round: measured against Octave, fs differed by 3.2e-9 to 1.04e-8 and x by 2.9e-9
    to 9.3e-9 over OpenBLAS's SkylakeX, Haswell and Sandybridge kernels (1e-8 held only
    where BLAS split the products over two threads)."""
    g = loadmat(CLASSIC / "stackedae_finetune.mat")
    X, y, T = g["trainData"], g["trainLabels"], g["testData"]
    opts = {"Method": "lbfgs", "maxIter": 10, "Display": "off"}
    with R.isolated():
        R.rand("state", 4)
        R.randn("state", 4)
        sae1 = minfunc.minFunc(lambda p: sparseae.sparseAutoencoderCost(
            p, 784, 16, 3e-3, 0.1, 3, X), sparseae.initializeParameters(16, 784), opts)[0]
        f1 = stl.feedForwardAutoencoder(sae1, 16, 784, X)
        sae2 = minfunc.minFunc(lambda p: sparseae.sparseAutoencoderCost(
            p, 16, 8, 3e-3, 0.1, 3, f1), sparseae.initializeParameters(8, 16), opts)[0]
        f2 = stl.feedForwardAutoencoder(sae2, 8, 16, f1)
        R.randn(8 * 10, 1)  # the script's saeSoftmaxTheta, drawn and not used
        model = softmax.softmaxTrain(8, 10, 1e-4, f2, y, opts)
    stack = [{"w": sae1[:16 * 784].reshape(16, 784, order="F"),
              "b": sae1[2 * 16 * 784:2 * 16 * 784 + 16]},
             {"w": sae2[:8 * 16].reshape(8, 16, order="F"), "b": sae2[2 * 8 * 16:2 * 8 * 16 + 8]}]
    stackparams, netconfig = S.stack2params(stack)
    theta = np.concatenate([model["optTheta"].ravel(order="F"), stackparams])
    assert rel(theta, g["stackedAETheta"]) < 1e-8
    fs = []
    x, _, _, _ = minfunc.minFunc(
        lambda p: S.stackedAECost(p, 784, 8, 10, netconfig, 1e-4, X, y), theta,
        {"Method": "lbfgs", "MaxIter": 20, "Display": "off",
         "outputFcn": lambda x, state, i, n, f, *r: state == "iter" and fs.append(f)})
    assert len(fs) == 20 and rel(fs, g["fs"]) < 3e-8
    assert rel(x, g["x"]) < 3e-8
    np.testing.assert_array_equal(S.stackedAEPredict(theta, 784, 8, 10, netconfig, T),
                                  g["predBefore"].ravel())
    np.testing.assert_array_equal(S.stackedAEPredict(x, 784, 8, 10, netconfig, T),
                                  g["predAfter"].ravel())


def test_bad_input_is_refused():
    g, stack = small()
    with pytest.raises(ValueError, match=r"The bias should be a \*column\* vector of 5x1"):
        S.stack2params([{"w": g["W1"], "b": g["b2"]}, stack[1]])
    with pytest.raises(ValueError, match="The adjacent layers L1 and L2"):
        S.stack2params([stack[0], {"w": g["W2"].T, "b": np.zeros(5)}])
    params, netconfig = S.stack2params(stack)
    theta = np.concatenate([g["softmaxTheta"].ravel(order="F"), params])
    with pytest.raises(ValueError, match="theta must have"):
        S.stackedAECost(theta[:-1], 6, 4, 3, netconfig, 0.01, g["data"], g["labels"])
    with pytest.raises(ValueError, match="nonconformant"):
        S.stackedAECost(theta, 6, 4, 3, netconfig, 0.01, g["data"], np.minimum(g["labels"], 2))
    S.stackedAECost(theta, 6, 4, 3, netconfig, 0.01, g["data"], np.minimum(g["labels"], 2),
                    full_ground_truth=True)
    assert S.stack2params([])[1] == {"inputsize": 0, "layersizes": []}


@pytest.mark.octave
def test_live_against_the_original():
    root = original_path("UFLDL_PY_CLASSIC")
    g, stack = small()
    params, netconfig = S.stack2params(stack)
    theta = np.concatenate([g["softmaxTheta"].ravel(order="F"), params])
    out = octave.run("nc.inputsize = 6; nc.layersizes = {5; 4};"
                     "[c, gr] = stackedAECost(theta, 6, 4, 3, nc, 0.01, data, labels);",
                     {"theta": theta, "data": g["data"], "labels": g["labels"]}, ["c", "gr"],
                     path=[root / "stackedae_exercise", root / "common"])
    cost, grad = S.stackedAECost(theta, 6, 4, 3, netconfig, 0.01, g["data"], g["labels"])
    assert rel(cost, out["c"]) < 1e-12 and rel(grad, out["gr"]) < 1e-12
