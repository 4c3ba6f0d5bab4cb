"""The unsupervised chapters (ufldl_py.ufldl.common, pca, rica, stl) against the completed
MATLAB exercises run in Octave (tests/fixtures/unsup, made by make_unsup.py)."""

import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conftest import FIXTURES, original_path
from ufldl_py import crosscheck
from ufldl_py.crosscheck import checks
from ufldl_py.matlab import random as R
from ufldl_py.matlab.io import loadmat
from ufldl_py.minfunc import minFunc
from ufldl_py.ufldl import common, pca, rica, stl
from ufldl_py.ufldl.cnn import computeNumericalGradient

U = FIXTURES / "unsup"


def rel(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    assert a.shape == b.shape, (a.shape, b.shape)
    return np.abs(a - b).max() / np.abs(b).max()


def params(lam=0.0005, k=10, n=49):
    return {"numFeatures": k, "n": n, "lambda": lam, "epsilon": 1e-2}


# --------------------------------------------------------------------------- samplePatches


def test_sample_patches_equal_octave():
    g = loadmat(U / "sample_patches.mat")
    with R.isolated():
        R.rand("state", 7)
        patches = common.samplePatches(g["images"], 9, 60)
        after = R.rand()
        R.rand("state", 3)
        whole = common.samplePatches(g["images"][:, :4], 28, 5)
    np.testing.assert_array_equal(patches, g["patches"])
    assert after == g["after"]
    np.testing.assert_array_equal(whole, g["whole"])


def test_sample_patches_fast_form_equals_loop_form():
    images = np.random.default_rng(0).random((100, 13))
    with R.isolated(2):
        fast = common.samplePatches(images, 4, 300)
        next_fast = R.rand()
    with R.isolated(2):
        loop = common.samplePatches_loop(images, 4, 300)
        next_loop = R.rand()
    np.testing.assert_array_equal(fast, loop)
    assert next_fast == next_loop


def test_randi_calls_rewinds_when_a_block_is_rejected(monkeypatch):
    """A whole rejected block (a 2^-40 event) falls back to one randi call at a time."""
    with R.isolated(1):
        expected = np.array([[R.randi(5), R.randi(7)] for _ in range(4)])
    from ufldl_py.matlab.random import functions as random_functions
    real_plan = random_functions._randi_scalar_plan
    monkeypatch.setattr(random_functions, "_randi_scalar_plan",
                        lambda imax: real_plan(imax)[:2] + (0.0,) if imax == 7 else
                        real_plan(imax))
    with R.isolated(1):
        got = R.randi_calls([5, 7], 4)
    np.testing.assert_array_equal(got, expected)


# --------------------------------------------------------------------------- rica helpers


def test_zca2_and_preprocess_equal_octave():
    g = loadmat(U / "zca2.mat")
    Z, V, E, D = rica.zca2(g["x"])
    assert rel(Z, g["Z"]) < 1e-12 and rel(V, g["V"]) < 1e-12
    assert rel(D, g["D"]) < 1e-12
    # E = U: each eigenvector up to its sign (LAPACK fixes none)
    assert rel(pca.fix_signs(E), pca.fix_signs(g["E"])) < 1e-12
    pZ, pmean, pV = rica.preprocess(g["x"])
    assert rel(pZ, g["pZ"]) < 1e-12 and rel(pV, g["pV"]) < 1e-12
    assert pmean.size == 0 and np.asarray(g["pmean"]).size == 0


def test_zca2_whitens():
    g = loadmat(U / "zca2.mat")
    Z, V, E, D = rica.zca2(g["x"])
    np.testing.assert_allclose(V, V.T, atol=1e-12)
    cov = Z @ Z.T / Z.shape[1]
    s = np.diag(D)
    np.testing.assert_allclose(cov, E @ np.diag(s / (s + rica.ZCA_EPSILON)) @ E.T, atol=1e-10)


def test_removeDC_l2rowscaled_bsxfunwrap_equal_octave():
    g = loadmat(U / "zca2.mat")
    Y1, mean1 = rica.removeDC(g["x"])
    Y2, mean2 = rica.removeDC(g["x"], 2)
    assert rel(Y1, g["Y1"]) < 1e-12 and rel(mean1, g["mean1"]) < 1e-12 and mean1.ndim == 1
    assert rel(Y2, g["Y2"]) < 1e-12 and rel(mean2, g["mean2"]) < 1e-12
    y = rica.l2rowscaled(g["W"], 1.5)
    assert rel(y, g["y"]) < 1e-12
    assert rel(rica.l2rowscaledg(g["W"], y, g["outderv"], 1.5), g["g"]) < 1e-12
    assert rel(rica.l2rowscaledg(g["W"], None, g["outderv"], 1.5), g["g0"]) < 1e-12
    assert rel(rica.bsxfunwrap(np.divide, g["a"], g["b"]), g["c"]) < 1e-12


# --------------------------------------------------------------------------- softICACost


@pytest.mark.parametrize("case", ["tutorial", "sparse"])
def test_soft_ica_cost_equals_octave(case):
    g = loadmat(U / "soft_ica.mat")
    p = params(float(g[f"lambda_{case}"]))
    for fn in (rica.softICACost, rica.softICACost_loop):
        cost, grad = fn(g["theta"], g["x"], p)
        assert rel(cost, g[f"cost_{case}"]) < 1e-12
        assert grad.shape == (490,) and rel(grad, g[f"grad_{case}"]) < 1e-12


def test_soft_ica_cost_passes_a_numerical_gradient_check():
    """computeNumericalGradient (central differences, epsilon 1e-4) agrees to 1.4e-8: the
    differences' own truncation error on the square-root penalty, which shrinks as
    epsilon^2 (100x from epsilon 1e-3 to 1e-4), as it does only for the exact gradient."""
    g = loadmat(U / "soft_ica.mat")
    x, theta = g["x"][:, :60], g["theta"].ravel()
    p = params(0.05)
    cost, grad = rica.softICACost(theta, x, p)
    numgrad = computeNumericalGradient(lambda t: rica.softICACost(t, x, p), theta,
                                       verbose=False)
    diff = np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad)
    assert diff < 1e-7
    e = np.eye(theta.size) * 1e-3
    coarse = np.array([(rica.softICACost(theta + d, x, p)[0]
                        - rica.softICACost(theta - d, x, p)[0]) / 2e-3 for d in e])
    diff_coarse = np.linalg.norm(coarse - grad) / np.linalg.norm(coarse + grad)
    assert 90 < diff_coarse / diff < 110


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 12), st.integers(1, 20), st.integers(1, 60), st.floats(0, 1),
       st.integers(0, 2 ** 32 - 1))
def test_soft_ica_fast_form_equals_loop_form(k, n, m, lam, seed):
    rng = np.random.default_rng(seed)
    theta = rng.standard_normal(k * n)
    x = rng.standard_normal((n, m))
    p = {"numFeatures": k, "n": n, "lambda": lam, "epsilon": 1e-2}
    c1, g1 = rica.softICACost(theta, x, p)
    c2, g2 = rica.softICACost_loop(theta, x, p)
    # the cost and the projection's gradient can cancel far below the size of their terms
    # (W'Wx ~ x, lambda ~ 0): judged against that size, |x|^2 / m, too
    size = float(np.sum(x * x)) / m
    assert abs(c1 - c2) <= 1e-12 * (abs(c2) + size)
    assert np.abs(g1 - g2).max() <= 1e-12 * (np.abs(g2).max() + abs(c2) + size)


# --------------------------------------------------------------------------- feedfowardRICA


def test_feedforward_rica_equals_octave():
    g = loadmat(U / "feedforward.mat")
    for fn in (stl.feedfowardRICA, stl.feedfowardRICA_loop):
        f = fn(9, 5, 4, g["ims"], g["Wf"], {"epsilon": 1e-2})
        assert f.shape == (4, 4, 4, 6) and rel(f, g["features"]) < 1e-12
        f = fn(4, 5, 3, g["odd"], g["Wodd"], {"epsilon": 0.5})
        assert rel(f, g["features_odd"]) < 1e-12


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 5), st.integers(1, 4),
       st.integers(1, 40), st.integers(0, 2 ** 32 - 1))
def test_feedforward_fast_form_equals_loop_form(poolDim, outDim, filterDim, K, n, seed):
    rng = np.random.default_rng(seed)
    d = outDim * poolDim + filterDim - 1
    images, W = rng.random((d, d, n)), rng.standard_normal((filterDim, filterDim, K))
    p = {"epsilon": float(rng.random())}
    np.testing.assert_allclose(stl.feedfowardRICA(filterDim, poolDim, K, images, W, p),
                               stl.feedfowardRICA_loop(filterDim, poolDim, K, images, W, p),
                               rtol=1e-12, atol=0)


def test_feedforward_loop_prints_progress_every_500_images(capsys):
    stl.feedfowardRICA_loop(1, 1, 1, np.ones((1, 1, 1000)), np.ones((1, 1, 1)),
                            {"epsilon": 0.0})
    assert capsys.readouterr().out.split("\n")[:2] == ["forward-prop image 500",
                                                       "forward-prop image 1000"]


# --------------------------------------------------------------------------- pca_gen


def test_pca_gen_steps_equal_the_completed_script():
    """Octave ran the completed pca_gen.m; xRot and U are compared with U's signs fixed by
    one rule on both sides (each eigenvector's largest entry positive)."""
    g = loadmat(U / "pca_gen.mat")
    x = pca.zero_mean(g["px"])
    assert rel(x, g["x"]) < 1e-12
    xRot, Um, S = pca.pca_rotate(x)
    Uo = pca.fix_signs(g["U"])
    signs = np.sign(np.sum(Uo * g["U"], axis=0))  # Octave's U = Uo * signs
    assert rel(Um, Uo) < 1e-12 and rel(S, g["S"]) < 1e-12
    assert rel(xRot, signs[:, None] * g["xRot"]) < 1e-12
    assert rel(pca.covariance(xRot), signs[:, None] * signs * (g["xRot"] @ g["xRot"].T / 120)) \
        < 1e-12
    k = pca.num_components(S)
    assert k == int(g["k"])
    assert rel(pca.pca_reduce(x, Um, k), g["xHat"]) < 1e-12
    xPCAWhite = pca.pca_whiten(xRot, S, float(g["epsilon"]))
    assert rel(xPCAWhite, signs[:, None] * g["xPCAWhite"]) < 1e-12
    assert rel(pca.covariance(xPCAWhite), g["covar"] * np.outer(signs, signs)) < 1e-12
    assert rel(pca.zca_whiten(Um, xPCAWhite), g["xZCAWhite"]) < 1e-12


def test_pca_checks_of_the_script():
    g = loadmat(U / "pca_gen.mat")
    x = pca.zero_mean(g["px"])
    xRot, Um, S = pca.pca_rotate(x)
    cov = pca.covariance(xRot)
    assert np.abs(cov - np.diag(np.diag(cov))).max() < 1e-12 * np.abs(cov).max()
    s = np.diag(S)
    keep = s > 1e-10 * s[0]
    white = pca.covariance(pca.pca_whiten(xRot, S, 0.0)[keep])
    np.testing.assert_allclose(white, np.eye(keep.sum()), atol=1e-8)
    assert pca.num_components(np.diag([3.0, 1.0]), 0.75) == 1
    assert pca.num_components([3.0, 1.0], 0.76) == 2


# --------------------------------------------------------------------------- runSoftICA


def test_seeded_run_soft_ica_and_output_fcn_equal_octave():
    """samplePatches, zca2, normalisation, randn initialisation and 8 minFunc iterations;
    minFunc's outputFcn gets 'init', 'iter' and 'done' with Octave's arguments."""
    g = loadmat(U / "run_soft_ica.mat")
    rec = []

    def record(x, iterationType, i, funEvals, f, t, gtd, g_, d, optCond, *varargin):
        rec.append([["init", "iter", "done"].index(iterationType), i, funEvals, f,
                    np.nan if t is None else t, optCond, np.linalg.norm(x),
                    np.linalg.norm(g_)])
        return 0

    p = {"m": 300, "patchWidth": 9, "n": 81, "lambda": 0.0005, "numFeatures": 12,
         "epsilon": 1e-2}
    with R.isolated():
        R.rand("state", 4)
        R.randn("state", 4)
        patches = common.samplePatches(g["ri"], p["patchWidth"], p["m"])
        patches = rica.zca2(patches)[0]
        m = np.sqrt(np.sum(patches ** 2, axis=0) + 1e-8)
        x = rica.bsxfunwrap(np.divide, patches, m)
        randTheta = R.randn(p["numFeatures"], p["n"]) * 0.01
        randTheta = randTheta / np.sqrt(np.sum(randTheta ** 2, axis=1, keepdims=True))
        randTheta = randTheta.ravel(order="F")
    np.testing.assert_array_equal(randTheta, g["randTheta"].ravel())
    opttheta, cost, exitflag, _ = minFunc(
        lambda theta: rica.softICACost(theta, x, p), randTheta,
        {"Method": "lbfgs", "MaxFunEvals": np.inf, "MaxIter": 8, "outputFcn": record,
         "Display": "off"})
    assert rel(opttheta, g["opttheta"]) < 1e-10 and rel(cost, g["cost"]) < 1e-12
    assert exitflag == g["exitflag"] == 0
    rec = np.array(rec)
    assert rec.shape == g["rec"].shape
    np.testing.assert_array_equal(rec[:, :3], g["rec"][:, :3])
    np.testing.assert_array_equal(np.isnan(rec[:, 4]), np.isnan(g["rec"][:, 4]))
    ok = ~np.isnan(rec)
    assert np.all(np.abs(rec[ok] - g["rec"][ok]) <= 1e-10 * np.abs(g["rec"][ok]))


def test_output_fcn_stops_minfunc_and_extra_args_pass_through(capsys):
    """A true return stops minFunc with exitflag -1 ('init' at once, or after an 'iter');
    minFunc's trailing arguments reach funObj and outputFcn (MATLAB's varargin)."""
    quad = lambda x, c: (float((x - c) @ (x - c)), 2 * (x - c))  # noqa: E731
    calls = []

    def stop_at(kind, at):
        def fcn(x, iterationType, i, *rest):
            calls.append((iterationType, i, rest[-1]))
            return iterationType == kind and i == at
        return fcn

    x, f, flag, out = minFunc(quad, np.ones(3), {"outputFcn": stop_at("init", 0)}, 5.0)
    assert flag == -1 and out["message"] == "Stopped by output function"
    assert calls == [("init", 0, 5.0)]
    calls.clear()
    x, f, flag, out = minFunc(quad, np.zeros(3), {"outputFcn": stop_at("iter", 2),
                                                 "Display": "off"}, np.full(3, 4.0))
    assert flag == -1 and [c[:2] for c in calls] == [("init", 0), ("iter", 1), ("iter", 2),
                                                     ("done", 2)]
    assert "Stopped by output function" in capsys.readouterr().out


def test_show_bases_draws_every_two_iterations(figures_dir):
    p = params(k=4, n=9)
    theta = np.arange(36.0)
    for i in range(4):
        assert rica.showBases(theta, "iter", i, 1, 0.0, 1.0, 0.0, theta, theta, 0.0,
                              params=p, name=f"b{i}") == 0
    assert sorted(f.name for f in figures_dir.iterdir()) == ["b0.png", "b2.png"]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, message", [
    (lambda: common.samplePatches(np.ones((10, 3)), 2, 5), "not a square number"),
    (lambda: common.samplePatches(np.ones((16, 3)), 5, 5), "larger than the images' width 4"),
    (lambda: common.samplePatches(np.ones((16, 3)), 0, 5), "patchSize must be a positive"),
    (lambda: common.samplePatches(np.full((16, 3), np.nan), 2, 5), "rawImages contains NaN"),
    (lambda: rica.softICACost(np.ones(10), np.ones((49, 3)), params()), "theta must hold"),
    (lambda: rica.softICACost(np.ones(490), np.ones((48, 3)), params()), "x must be n x m"),
    (lambda: rica.softICACost(np.ones(490), np.ones((49, 3)), {"n": 49}), "lacks the field"),
    (lambda: rica.l2rowscaledg(np.ones((2, 2)), None, None, 1), "Requires outderv"),
    (lambda: rica.bsxfunwrap(np.divide, np.ones((2, 3)), np.ones((1, 2))), "singleton"),
    (lambda: stl.feedfowardRICA(9, 3, 2, np.ones((28, 28, 2)), np.ones((9, 9, 2)),
                                {"epsilon": 1}), re.escape("poolDim must divide")),
    (lambda: stl.feedfowardRICA(9, 5, 2, np.ones((28, 28, 2)), np.ones((8, 8, 2)),
                                {"epsilon": 1}), "W must be"),
    (lambda: stl.feedfowardRICA(9, 5, 2, np.ones((28, 28, 2)), np.ones((9, 9, 2)), {}),
     "epsilon"),
    (lambda: pca.pca_reduce(np.ones((3, 4)), np.eye(3), 4), "more than the 3 dimensions"),
    (lambda: pca.num_components(np.zeros(3)), "positive variance"),
])
def test_bad_input_is_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_params_must_be_a_dict():
    with pytest.raises(TypeError, match="params must be a dict"):
        rica.softICACost(np.ones(490), np.ones((49, 3)), None)


# --------------------------------------------------------------------------- crosscheck


def test_every_name_is_crosschecked_or_listed():
    names = set(crosscheck.registry()) | set(checks.NOT_CHECKED)
    for module in (common, pca, rica, stl):
        public = {n for n in module.__all__ if callable(getattr(module, n))
                  and not n.endswith("_loop")}
        assert public <= names, public - names


@pytest.mark.octave
@pytest.mark.parametrize("name", ["samplePatches", "zca2", "preprocess", "softICACost",
                                  "l2rowscaled", "l2rowscaledg", "removeDC", "bsxfunwrap",
                                  "feedfowardRICA"])
def test_live_crosscheck_against_the_completed_copy(name):
    path = original_path("UFLDL_PY_STANFORD_DL_EX")
    rows = crosscheck.run_check(crosscheck.get(name), rng=np.random.default_rng(5),
                                matlab_path=path)
    assert all(r.ok for r in rows), rows
