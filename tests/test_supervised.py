"""ex1, minFunc's L-BFGS, multilayer_supervised and the CS231n layers against the MATLAB
originals run in Octave (golden fixtures) and against their derivations."""

import numpy as np
import pytest

from conftest import FIXTURES, original_path
from ufldl_py import cs231n, data
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R
from ufldl_py.matlab.io import loadmat
from ufldl_py.minfunc import minFunc, polyinterp
from ufldl_py.ufldl import ex1, multilayer_supervised as mls


def rel(a, b):
    a, b = np.ravel(np.asarray(a, float)), np.ravel(np.asarray(b, float))
    return np.abs(a - b).max() / np.abs(b).max()


COSTS = loadmat(FIXTURES / "supervised" / "costs.mat")


@pytest.mark.parametrize("name", ["linear_regression", "linear_regression_vec",
                                  "logistic_regression", "logistic_regression_vec",
                                  "softmax_regression_vec"])
def test_ex1_costs_equal_matlab(name):
    g = COSTS[name]
    f, grad = getattr(ex1, name)(g["theta"], COSTS["X"], g["y"])
    assert rel(f, g["f"]) < 1e-12 and rel(grad, g["g"]) < 1e-12


@pytest.mark.parametrize("act", ["logistic", "tanh", "relu"])
def test_supervised_dnn_cost_equals_matlab(act):
    g = COSTS[f"dnn_{act}"]
    cost, grad, pred = mls.supervised_dnn_cost(g["theta"], g["ei"], g["data"], g["labels"])
    assert rel(cost, g["cost"]) < 1e-12 and rel(grad, g["grad"]) < 1e-12
    assert rel(pred, g["pred_prob"]) < 1e-12
    assert mls.supervised_dnn_cost(g["theta"], g["ei"], g["data"], None, True)[0] == -1


def _ex1_problem(name):
    """The problem each script sets up, after rand('state', 0); randn('state', 0)."""
    R.rand("state", 0)
    R.randn("state", 0)
    if name == "ex1a":
        d = data.load_housing().T
        d = np.vstack([np.ones((1, d.shape[1])), d])
        d = d[:, R.randperm(d.shape[1]).ravel().astype(int) - 1]
        X, y = d[:-1, :400], d[-1, :400]
        return ex1.linear_regression, R.rand(X.shape[0], 1).ravel(), X, y, 200
    train, _ = ex1.ex1_load_mnist(name == "ex1b")
    X = np.vstack([np.ones((1, train["X"].shape[1])), train["X"]])
    if name == "ex1b":
        return ex1.logistic_regression_vec, R.rand(X.shape[0], 1).ravel() * 0.001, X, \
            train["y"], 100
    theta0 = R.rand(X.shape[0], 9) * 0.001
    return ex1.softmax_regression_vec, theta0.ravel(order="F"), X, train["y"] + 1, 200


@pytest.mark.parametrize("name", ["ex1a", "ex1b", "ex1c"])
def test_minfunc_follows_octaves_iterates(name, monkeypatch, tmp_path):
    """Same start (the scripts' seeded set-up), the same iterates to 1e-8 over the first 50
    iterations (all that the fixture holds), the same number of iterations and exit."""
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path))  # the shipped sample
    g = loadmat(FIXTURES / "supervised" / f"minfunc_{name}.mat")
    with R.isolated():
        fun, theta0, X, y, maxiter = _ex1_problem(name)
    np.testing.assert_array_equal(theta0, np.ravel(g["theta0"]))
    xs = []
    x, f, exitflag, output = minFunc(
        fun, theta0, {"MaxIter": maxiter, "Display": "off",
                      "outputFcn": lambda x, state, *a: state == "iter" and xs.append(x)},
        X, y)
    mxs = np.atleast_2d(g["xs"])
    for k in range(min(50, mxs.shape[1])):
        assert rel(xs[k], mxs[:, k]) < 1e-8, f"iterate {k + 1}"
    assert output["iterations"] == g["iterations"] and exitflag == g["exitflag"]
    np.testing.assert_allclose(output["trace"]["fval"][1:51], np.ravel(g["fs"])[:50],
                               rtol=1e-8)


def test_minfunc_prints_minfuncs_progress(capsys):
    A = np.diag([1.0, 10.0, 100.0])
    minFunc(lambda x: (0.5 * x @ A @ x, A @ x), np.ones(3), {"MaxIter": 3})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == " Iteration   FunEvals     Step Length    Function Val        Opt Cond"
    assert lines[1].split()[:2] == ["1", "2"] and "e" in lines[1].split()[2]
    assert lines[-1] == "Reached Maximum Number of Iterations"


def test_minfunc_options_and_stops():
    quad = lambda x: (float(x @ x), 2 * x)  # noqa: E731
    x, f, flag, out = minFunc(quad, np.ones(4), {"display": "off"})
    assert flag == 1 and f < 1e-10 and out["message"] == "Optimality Condition below optTol"
    x, f, flag, out = minFunc(quad, np.ones(4), {"Display": "none", "LS_type": 0,
                                                  "LS_interp": 1})
    assert flag in (1, 2) and f < 1e-8
    with pytest.raises(NotImplementedError, match="only Method 'lbfgs'"):
        minFunc(quad, np.ones(2), {"Method": "newton"})
    with pytest.raises(NotImplementedError, match="numDiff"):
        minFunc(quad, np.ones(2), {"numDiff": 1})


def test_polyinterp_cubic_and_quadratic():
    # f(x) = (x - 1)^2: from f and f' at 0 and 3, the minimiser is 1
    assert polyinterp([[0, 1, -2], [3, 4, 4]]) == pytest.approx(1.0)
    # a quadratic through f(0), f'(0) and f(2) (no derivative there)
    assert polyinterp([[0, 1, -2], [2, 1, None]], 0, 2) == pytest.approx(1.0)
    # no valid critical point inside: the nearer bound wins
    assert polyinterp([[0, 0, -1], [1, -1, -1]], 0, 1) == pytest.approx(1.0)
    # 0/0: MATLAB's max(NaN, lo) is lo
    assert polyinterp([[0, 0, 0], [1, 0, 0]], 0, 1) == 0.0


@pytest.mark.octave
def test_polyinterp_equals_live_octave():
    mf = original_path("UFLDL_PY_MINFUNC")
    cases = [([[0, 1, -2], [3, 4, 4]], None), ([[0, 1, -2], [2, 1.5, None]], (0, 2)),
             ([[0, 2.0, -1.0], [0.5, 1.6, 0.3], [1.0, 1.9, None]], (0, 1))]
    for points, bounds in cases:
        P = np.array([[np.nan if v is None else v for v in row] for row in points])
        code = ("P = complex(P); P(isnan(real(P))) = sqrt(-1);" +
                (f"t = polyinterp(P, 0, {bounds[0]}, {bounds[1]});" if bounds else
                 "t = polyinterp(P);"))
        t = octave.run(code, {"P": P}, ["t"], path=mf)["t"]
        assert polyinterp(points, *(bounds or ())) == pytest.approx(t, rel=1e-12)


def test_grad_check_is_small(capsys):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((5, 20)), rng.integers(0, 2, 20).astype(float)
    with R.isolated(0):
        err = ex1.grad_check(ex1.logistic_regression_vec, 0.1 * rng.standard_normal(5), 10, X, y)
    assert err < 1e-6
    assert "g_est" in capsys.readouterr().out


@pytest.mark.parametrize("call, message", [
    (lambda: ex1.linear_regression(np.ones(3), np.ones((3, 4)), np.ones(5)), "4 examples"),
    (lambda: ex1.logistic_regression_vec(np.ones(3), np.ones((3, 4)), [0, 1, 2, 1]), "0 and 1"),
    (lambda: ex1.softmax_regression_vec(np.ones(6), np.ones((3, 4)), [1, 2, 4, 1]), "1..3"),
    (lambda: ex1.linear_regression_vec([1, np.nan, 0], np.ones((3, 2)), [1, 2]), "NaN or Inf"),
    (lambda: ex1.linear_regression_vec(np.ones(2), np.ones((3, 2)), [1, 2]), "3 elements"),
    (lambda: mls.supervised_dnn_cost(np.ones(3), {"input_dim": 2, "output_dim": 2,
                                                   "layer_sizes": [2]}, np.ones((2, 1)), [1]),
     "need 6"),
])
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_stack_round_trip_and_checks():
    ei = {"input_dim": 4, "output_dim": 3, "layer_sizes": [5, 3], "lambda": 0,
          "activation_fun": "tanh"}
    with R.isolated(0):
        stack = mls.initialize_weights(ei)
    params = mls.stack2params(stack)
    assert params.size == 5 * 4 + 5 + 3 * 5 + 3
    back = mls.params2stack(params, ei)
    for a, b in zip(stack, back):
        np.testing.assert_array_equal(a["W"], b["W"])
    with pytest.raises(ValueError, match="should be a \\*column\\* vector of 5x1"):
        mls.stack2params([{"W": np.ones((5, 4)), "b": np.ones(4)}])


@pytest.mark.parametrize("act", ["logistic", "tanh", "relu"])
def test_dnn_gradient_check(act):
    rng = np.random.default_rng(1)
    ei = {"input_dim": 4, "output_dim": 3, "layer_sizes": [5, 3], "lambda": 0.01,
          "activation_fun": act}
    theta = 0.5 * rng.standard_normal(5 * 4 + 5 + 3 * 5 + 3)
    X, y = rng.standard_normal((4, 7)), rng.integers(1, 4, 7).astype(float)
    _, grad, _ = mls.supervised_dnn_cost(theta, ei, X, y)
    eps = 1e-6
    num = np.array([(mls.supervised_dnn_cost(theta + eps * e, ei, X, y)[0]
                     - mls.supervised_dnn_cost(theta - eps * e, ei, X, y)[0]) / (2 * eps)
                    for e in np.eye(theta.size)])
    assert np.linalg.norm(num - grad) / np.linalg.norm(num + grad) < 1e-7


def test_softmax_worked_example():
    """Scores [2, 3, 4], true class the second: probabilities [0.0900, 0.2447, 0.6652] and
    gradient [0.0900, -0.7553, 0.6652]. (The derivation prints 0.0903 for the first: e^2 /
    (e^2 + e^3 + e^4) is 0.09003.)"""
    probs, grad = cs231n.softmax_example()
    np.testing.assert_allclose(probs, [0.0900, 0.2447, 0.6652], atol=5e-5)
    np.testing.assert_allclose(grad, [0.0900, -0.7553, 0.6652], atol=5e-5)
    assert grad.sum() == pytest.approx(0.0, abs=1e-15)


def test_backprop_worked_example():
    """The 2-2-2 sigmoid network: the derivation's numbers, to the digits it gives."""
    r = cs231n.backprop_example()
    np.testing.assert_allclose(r["out_h"], [0.593269992, 0.596884378], atol=1e-9)
    np.testing.assert_allclose(r["out_o"], [0.75136507, 0.772928465], atol=1e-8)
    assert r["E_total"] == pytest.approx(0.298371109, abs=1e-9)
    assert r["dW2"][0, 0] == pytest.approx(0.082167041, abs=1e-9)  # dE/dw5
    np.testing.assert_allclose(r["W2_new"], [[0.35891648, 0.408666186],
                                             [0.511301270, 0.561370121]], atol=1e-8)
    assert r["dW1"][0, 0] == pytest.approx(0.000438568, abs=1e-9)  # dE/dw1
    np.testing.assert_allclose(r["W1_new"], [[0.149780716, 0.19956143],
                                             [0.24975114, 0.29950229]], atol=1e-8)


def _numeric(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        g[idx] = (f(x + d) - f(x - d)) / (2 * eps)
    return g


def test_cs231n_layers_gradients():
    rng = np.random.default_rng(2)
    x, w, b = rng.standard_normal((4, 2, 3)), rng.standard_normal((6, 5)), rng.standard_normal(5)
    dout = rng.standard_normal((4, 5))
    out, cache = cs231n.affine_forward(x, w, b)
    dx, dw, db = cs231n.affine_backward(dout, cache)
    np.testing.assert_allclose(dx, _numeric(lambda v: np.sum(cs231n.affine_forward(v, w, b)[0] * dout), x), rtol=1e-6)
    np.testing.assert_allclose(dw, _numeric(lambda v: np.sum(cs231n.affine_forward(x, v, b)[0] * dout), w), rtol=1e-6)
    np.testing.assert_allclose(db, _numeric(lambda v: np.sum(cs231n.affine_forward(x, w, v)[0] * dout), b), rtol=1e-6)
    z = rng.standard_normal((3, 4))
    out, cache = cs231n.relu_forward(z)
    np.testing.assert_array_equal(out, np.maximum(z, 0))
    np.testing.assert_allclose(cs231n.relu_backward(dout[:3, :4], cache),
                               _numeric(lambda v: np.sum(cs231n.relu_forward(v)[0] * dout[:3, :4]), z), rtol=1e-6)
    scores, y = rng.standard_normal((6, 4)), rng.integers(0, 4, 6)
    for loss_fn in (cs231n.svm_loss, cs231n.softmax_loss):
        loss, dx = loss_fn(scores, y)
        np.testing.assert_allclose(dx, _numeric(lambda v, f=loss_fn: f(v, y)[0], scores), rtol=1e-5, atol=1e-8)
    assert cs231n.softmax_loss(np.zeros((5, 10)), np.zeros(5, int))[0] == pytest.approx(np.log(10))
    with pytest.raises(ValueError, match="labels must be integers in 0..3"):
        cs231n.svm_loss(scores, y + 4)
