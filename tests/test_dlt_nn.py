"""DeepLearnToolbox's NN, SAE, DBN and util (ufldl_py.dlt.nn, sae, dbn, util) against the
originals run in Octave (tests/fixtures/nn, made by make_nn.py)."""

import numpy as np
import pytest

from conftest import FIXTURES, original_path
from ufldl_py.crosscheck import compare
from ufldl_py.dlt import dbn as D
from ufldl_py.dlt import nn as N
from ufldl_py.dlt import sae as S
from ufldl_py.dlt import util as U
from ufldl_py.matlab import io, octave
from ufldl_py.matlab import random as R


def golden(name):
    return io.loadmat(FIXTURES / "nn" / f"{name}.mat")


def assert_same(py, ml, rtol=1e-12, name="net"):
    rows = compare(py, ml, name, rtol=rtol)
    bad = [r for r in rows if not r.ok]
    assert not bad, bad[:5]
    return max((r.max_rel for r in rows), default=0.0)


UNITS = golden("units")
CASES = UNITS["cases"]


def configured(case):
    net = N.nnsetup([5, 3, 4, 2])
    drop, l2, sp = np.ravel(case["options"])
    net.update(activation_function=case["act"], output=case["out"], dropoutFraction=drop,
               weightPenaltyL2=l2, nonSparsityPenalty=sp)
    return net


@pytest.mark.parametrize("k", range(len(CASES)),
                         ids=[f"{c['act']}-{c['out']}-{k % 4}" for k, c in enumerate(CASES)])
def test_setup_ff_bp_applygrads_equal_octave(k):
    case = CASES[k]
    with R.isolated():
        R.rand("state", 0)
        net = configured(case)
        assert_same(net, case["setup"], rtol=0)  # nnsetup's draws, bit for bit
        R.rand("state", 1)
        ff = N.nnff(net, UNITS["x"], UNITS["y"])
    assert_same(ff, case["ff"])
    bp = N.nnbp(ff)
    assert_same(bp, case["bp"])
    assert_same(N.nnapplygrads(bp), case["applied"])


def test_short_nntrain_with_every_option_equals_octave():
    """Validation set, input masking, dropout, sparsity, a learning-rate schedule."""
    g = UNITS
    with R.isolated():
        R.rand("state", 0)
        net = N.nnsetup([5, 4, 3, 2])
        net.update(activation_function="sigm", output="softmax", inputZeroMaskedFraction=0.2,
                   dropoutFraction=0.2, nonSparsityPenalty=0.05, scaling_learningRate=0.9,
                   learningRate=1)
        trained, L = N.nntrain(net, g["x"], g["ty"], {"numepochs": 3, "batchsize": 5},
                               g["vx"], g["vy"], verbose=False)
    assert_same(trained, g["trained"], rtol=1e-10)
    assert_same(L, g["trainL"], rtol=1e-10)
    er, bad = N.nntest(trained, g["vx"], g["vy"])
    assert er == g["trained_er"]
    np.testing.assert_array_equal(bad, np.ravel(g["trained_bad"]))
    np.testing.assert_array_equal(N.nnpredict(trained, g["vx"]), np.ravel(g["trained_labels"]))
    empty = {"train": {"e": [], "e_frac": []}, "val": {"e": [], "e_frac": []}}
    assert_same(N.nneval(trained, empty, g["x"], g["ty"], g["vx"], g["vy"]), g["loss"],
                name="loss")


def test_util_equals_octave():
    g = golden("util")
    z, mu, sigma = U.zscore(g["X"])
    assert_same([z, mu, sigma], [g["z"], g["mu"], g["sigma"]], name="zscore")
    assert sigma[2] == np.finfo(float).eps
    assert_same(U.normalize(g["X2"], mu, sigma), g["zn"], name="normalize")
    assert_same(U.softmax(g["X2"]), g["sm"], name="softmax")
    assert_same(U.tanh_opt(g["X2"]), g["th"], name="tanh_opt")
    with R.isolated():
        R.rand("state", 3)
        np.testing.assert_array_equal(U.sigmrnd(g["X2"]), g["sr"])
        np.testing.assert_array_equal(U.rnd(R.rand(4, 3)), g["r1"])
    np.testing.assert_array_equal(U.visualize(g["V"]), g["vis"])
    np.testing.assert_array_equal(U.visualize(g["V"], [-1, 2]), g["vis_mm"])
    np.testing.assert_array_equal(U.visualize(g["V2"], [0, 1], 3, 2), g["vis_rect"])


@pytest.mark.parametrize("threads, draw_block", [("1", None), ("2", 1)])
def test_dbn_rbm_equal_octave(monkeypatch, threads, draw_block):
    """Also with each batch's draws made ahead on another thread (DRAW_BLOCK of less than a
    batch: one batch at a time)."""
    monkeypatch.setenv("UFLDL_PY_THREADS", threads)
    if draw_block is not None:
        monkeypatch.setattr(D, "DRAW_BLOCK", draw_block)
    g = golden("rbm")
    opts = {"numepochs": 2, "batchsize": 5, "momentum": 0.5, "alpha": 0.8}
    with R.isolated():
        R.rand("state", 0)
        setup = D.dbnsetup({"sizes": [4, 3]}, g["x"], opts)
        assert setup["rbm"][0]["W"].shape == (4, 6) and not setup["rbm"][0]["W"].any()
        setup["rbm"][0].update(W=g["W1"], b=g["b1"], c=g["c1"])
        assert_same(setup, g["setup"], rtol=0)
        trained = D.dbntrain(setup, g["x"], opts, verbose=False)
        unfolded = D.dbnunfoldtonn(trained, 2)
        plain = D.dbnunfoldtonn(trained)
    assert_same(trained, g["trained"])
    up = D.rbmup(trained["rbm"][0], g["x"])
    assert_same(up, g["up"])
    assert_same(D.rbmdown(trained["rbm"][0], up), g["down"])
    # after dbntrain the stream is where Octave's was: nnsetup's draws equal too
    assert_same(unfolded, g["unfolded"])
    assert_same(plain["W"], g["unfolded_plain"]["W"])


# --------------------------------------------------------------------------- the examples

EX = golden("examples")


def mnist():
    train_x = EX["train_x_u8"].astype(float) / 255
    test_x = EX["test_x_u8"].astype(float) / 255
    return train_x, EX["train_y_u8"].astype(float), test_x, EX["test_y_u8"].astype(float)


def kept(nn, L, er, bad):
    return {"L": L, "er": er, "bad": bad,
            "W": [np.asarray(W)[:int(EX["rows"])] for W in nn["W"]]}


def check_run(nn, L, test_x, test_y, ml):
    er, bad = N.nntest(nn, test_x, test_y)
    rel = assert_same(kept(nn, L, er, bad), ml, rtol=1e-9)
    assert er == ml["er"]
    np.testing.assert_array_equal(bad, np.ravel(ml["bad"]))
    return rel


def example_nn(ex, train_x, train_y, val=None):
    nn = N.nnsetup([784, 100, 10] if ex <= 4 else [784, 20, 10])
    opts = {"numepochs": 1, "batchsize": 100}
    if ex == 2:
        nn["weightPenaltyL2"] = 1e-4
    if ex == 3:
        nn["dropoutFraction"] = 0.5
    if ex == 4:
        nn["activation_function"] = "sigm"
        nn["learningRate"] = 1
    if ex >= 5:
        nn["output"] = "softmax"
        opts = {"numepochs": 5, "batchsize": 1000}
    return N.nntrain(nn, train_x, train_y, opts, *(val or ()), verbose=False)


@pytest.mark.parametrize("ex", range(1, 7))
def test_example_NN_nets_equal_octave(ex):
    train_x, train_y, test_x, test_y = mnist()
    train_x, mu, sigma = U.zscore(train_x)
    test_x = U.normalize(test_x, mu, sigma)
    v = int(EX["nval"])
    with R.isolated():
        R.rand("state", 0)
        if ex == 6:
            nn, L = example_nn(ex, train_x[v:], train_y[v:],
                               (train_x[:v], train_y[:v]))
        else:
            nn, L = example_nn(ex, train_x, train_y)
    check_run(nn, L, test_x, test_y, EX["nets"][ex - 1])


def test_example_SAE_equals_octave():
    train_x, train_y, test_x, test_y = mnist()
    opts = {"numepochs": 1, "batchsize": 100}
    with R.isolated():
        R.rand("state", 0)
        sae = S.saesetup([784, 100])
        sae["ae"][0].update(activation_function="sigm", learningRate=1,
                            inputZeroMaskedFraction=0.5)
        sae = S.saetrain(sae, train_x, opts, verbose=False)
        assert_same({"W": [W[:10] for W in sae["ae"][0]["W"]]}, {"W": EX["sae_ae"]["W"]},
                    rtol=1e-9)
        nn = N.nnsetup([784, 100, 10])
        nn.update(activation_function="sigm", learningRate=1)
        nn["W"][0] = sae["ae"][0]["W"][0]
        nn, L = N.nntrain(nn, train_x, train_y, opts, verbose=False)
    check_run(nn, L, test_x, test_y, EX["sae_nn"])


def test_example_DBN_equals_octave():
    train_x, train_y, test_x, test_y = mnist()
    opts = {"numepochs": 1, "batchsize": 100, "momentum": 0, "alpha": 1}
    with R.isolated():
        R.rand("state", 0)
        dbn = D.dbntrain(D.dbnsetup({"sizes": [100]}, train_x, opts), train_x, opts,
                         verbose=False)
        assert_same({"W": dbn["rbm"][0]["W"][:10], "b": dbn["rbm"][0]["b"],
                     "c": dbn["rbm"][0]["c"]},
                    {"W": EX["dbn1_W"], "b": EX["dbn1_b"], "c": EX["dbn1_c"]}, rtol=1e-9)
        R.rand("state", 0)
        dbn = D.dbntrain(D.dbnsetup({"sizes": [100, 100]}, train_x, opts), train_x, opts,
                         verbose=False)
        assert_same({"W": dbn["rbm"][1]["W"][:10], "c": dbn["rbm"][1]["c"]},
                    {"W": EX["dbn2_W2"], "c": EX["dbn2_c2"]}, rtol=1e-9)
        nn = D.dbnunfoldtonn(dbn, 10)
        nn["activation_function"] = "sigm"
        nn, L = N.nntrain(nn, train_x, train_y, {"numepochs": 1, "batchsize": 100},
                          verbose=False)
    check_run(nn, L, test_x, test_y, EX["dbn_nn"])


# --------------------------------------------------------------------------- live Octave


@pytest.mark.octave
def test_live_example_nets_equal_octave_whole_weights():
    """test_example_NN's dropout net and a DBN-initialised net, every trained weight."""
    dlt = original_path("UFLDL_PY_DLT")
    train_x, train_y, test_x, test_y = mnist()
    train_x, test_x, train_y, test_y = train_x[:500], test_x[:100], train_y[:500], test_y[:100]
    code = """
        rand('state', 0); nn = nnsetup([784 100 10]); nn.dropoutFraction = 0.5;
        nn.weightPenaltyL2 = 1e-4;
        nn = nntrain(nn, train_x, train_y, struct('numepochs', 2, 'batchsize', 100));
        [er, bad] = nntest(nn, test_x, test_y);
        rand('state', 0); clear dbn; dbn.sizes = [50 30];
        opts = struct('numepochs', 1, 'batchsize', 50, 'momentum', 0.5, 'alpha', 1);
        dbn = dbntrain(dbnsetup(dbn, train_x, opts), train_x, opts);
        dnn = dbnunfoldtonn(dbn, 10);"""
    ml = octave.run(code, {"train_x": train_x, "train_y": train_y, "test_x": test_x,
                           "test_y": test_y}, ["nn", "er", "bad", "dbn", "dnn"],
                    path=[dlt / d for d in ("NN", "DBN", "util")])
    with R.isolated():
        R.rand("state", 0)
        nn = N.nnsetup([784, 100, 10])
        nn.update(dropoutFraction=0.5, weightPenaltyL2=1e-4)
        nn, _ = N.nntrain(nn, train_x, train_y, {"numepochs": 2, "batchsize": 100},
                          verbose=False)
        R.rand("state", 0)
        opts = {"numepochs": 1, "batchsize": 50, "momentum": 0.5, "alpha": 1}
        dbn = D.dbntrain(D.dbnsetup({"sizes": [50, 30]}, train_x, opts), train_x, opts,
                         verbose=False)
        dnn = D.dbnunfoldtonn(dbn, 10)
    assert_same({k: nn[k] for k in ("W", "vW", "dW", "a", "dropOutMask")},
                {k: ml["nn"][k] for k in ("W", "vW", "dW", "a", "dropOutMask")}, rtol=1e-9)
    er, bad = N.nntest(nn, test_x, test_y)
    assert er == ml["er"]
    np.testing.assert_array_equal(bad, np.ravel(ml["bad"]))
    assert_same(dbn, ml["dbn"], rtol=1e-9)
    assert_same(dnn["W"], ml["dnn"]["W"], rtol=1e-9)


@pytest.mark.octave
def test_python_net_runs_in_octave_and_octave_net_runs_here(tmp_path):
    """A net saved here is the struct Octave's nnff / nnbp run on; Octave's comes back."""
    dlt = original_path("UFLDL_PY_DLT")
    case = CASES[-1]  # dropout, L2 and sparsity
    with R.isolated(5):
        net = configured(case)
        R.rand("state", 2)
        ff = N.nnff(net, UNITS["x"], UNITS["y"])
    ml = octave.run("rand('state', 2); back = nnbp(nnff(net, x, y));",
                    {"net": net, "x": UNITS["x"], "y": UNITS["y"]}, ["back"],
                    path=[dlt / "NN", dlt / "util"])["back"]
    assert_same(N.nnbp(ff), ml)
    assert_same(N.nnapplygrads(ml), N.nnapplygrads(N.nnbp(ff)))


# --------------------------------------------------------------------------- round trips


def test_nets_round_trip_through_mat_files(tmp_path):
    case = CASES[-1]
    bp = case["bp"]  # an Octave net: p{1}, dropOutMask{1} are []
    assert np.shape(bp["p"][0]) == (0, 0) and np.shape(bp["dropOutMask"][0]) == (0, 0)
    io.savemat(tmp_path / "net.mat", {"net": N.nnbp(bp)})
    back = io.loadmat(tmp_path / "net.mat")["net"]
    assert_same(back, N.nnbp(bp), rtol=0)
    with R.isolated(0):
        sae = S.saesetup([6, 4, 3])
        dbn = D.dbnsetup({"sizes": [3]}, np.zeros((2, 6)), {"alpha": 1, "momentum": 0})
    io.savemat(tmp_path / "models.mat", {"sae": sae, "dbn": dbn})
    models = io.loadmat(tmp_path / "models.mat")
    assert_same(models["sae"], sae, rtol=0)
    assert_same(models["dbn"], dbn, rtol=0)


# --------------------------------------------------------------------------- fast == loop


def random_net(seed: int, smallest: int, **choices):
    """A seeded net of 2 to 4 layers of sizes smallest..6, a random activation and output,
    and each option in ``choices`` drawn from its values; with the generator that drew it."""
    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in rng.integers(smallest, 7, int(rng.integers(2, 5)))]
    with R.isolated(seed):
        net = N.nnsetup(sizes)
    net.update(activation_function=str(rng.choice(N.ACTIVATIONS)),
               output=str(rng.choice(N.OUTPUTS)))
    net.update({name: float(rng.choice(values)) for name, values in choices.items()})
    return net, sizes, rng


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # p = 0 gives Inf, as in MATLAB
@pytest.mark.parametrize("seed", range(12))
def test_fast_forms_equal_loop_forms(seed):
    net, sizes, rng = random_net(seed, 1, dropoutFraction=[0, 0.4],
                                 nonSparsityPenalty=[0, 0.1])
    net["testing"] = float(seed % 3 == 0)
    m = int(rng.integers(1, 9))
    x, y = rng.random((m, sizes[0])), rng.random((m, sizes[-1]))
    with R.isolated(seed):
        fast = N.nnff(net, x, y)
    with R.isolated(seed):
        loop = N.nnff_loop(net, x, y)
    if not net["testing"]:  # nnbp follows a training pass (it needs the dropout masks)
        fast, loop = N.nnbp(fast), N.nnbp_loop(loop)
    assert_same(fast, loop)


def nntrain_by_the_three_functions(nn, x, y, opts, sparsity_fix, l2_loss):
    """nntrain.m's loop written with the public nnff, nnbp and nnapplygrads (no nneval)."""
    m, bs = x.shape[0], opts["batchsize"]
    L = []
    for _ in range(opts["numepochs"]):
        kk = R.randperm(m).ravel().astype(int) - 1
        for b in range(m // bs):
            idx = kk[b * bs:(b + 1) * bs]
            batch_x = x[idx]
            if nn["inputZeroMaskedFraction"] != 0:
                batch_x = batch_x * (R.rand(*batch_x.shape) > nn["inputZeroMaskedFraction"])
            nn = N.nnff(nn, batch_x, y[idx], sparsity_fix=sparsity_fix, l2_loss=l2_loss)
            nn = N.nnapplygrads(N.nnbp(nn, sparsity_fix=sparsity_fix))
            L.append(nn["L"])
        nn = dict(nn, learningRate=nn["learningRate"] * nn["scaling_learningRate"])
    return nn, np.array(L)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # p = 0 gives Inf, as in MATLAB
@pytest.mark.parametrize("seed", range(10))
def test_nntrain_steps_equal_the_three_functions(seed):
    """nntrain updates its weights in place, each layer's step one dgemm: the same numbers
    as nnff, nnbp and nnapplygrads called in turn, for every option."""
    net, sizes, rng = random_net(seed, 2, momentum=[0, 0.5], weightPenaltyL2=[0, 1e-3],
                                 inputZeroMaskedFraction=[0, 0.3], dropoutFraction=[0, 0.4],
                                 nonSparsityPenalty=[0, 0.1], scaling_learningRate=[1, 0.9])
    net["learningRate"] = 0.5
    fix, l2 = bool(seed % 2), bool(seed % 3 == 0)
    bs = int(rng.integers(1, 5))
    x = rng.random((bs * int(rng.integers(1, 5)), sizes[0]))
    y = rng.random((x.shape[0], sizes[-1]))
    opts = {"numepochs": 2, "batchsize": bs}
    with R.isolated(seed):
        trained, L = N.nntrain(net, x, y, opts, verbose=False, sparsity_fix=fix, l2_loss=l2)
    with R.isolated(seed):
        ref, ref_L = nntrain_by_the_three_functions(net, x, y, opts, fix, l2)
    np.testing.assert_allclose(L, ref_L, rtol=1e-13)
    fields = ["W", "vW", "dW", "a", "e", "L", "p", "learningRate"]
    if net["dropoutFraction"] > 0:
        fields.append("dropOutMask")
    assert_same({k: trained[k] for k in fields}, {k: ref[k] for k in fields}, rtol=1e-13)
    assert all(not np.shares_memory(w, w0) for w, w0 in zip(trained["W"], net["W"]))


# --------------------------------------------------------------------------- gradients


def gradient_nets():
    """test_nn_gradients_are_numerically_correct.m, its random draws seeded."""
    R.rand("state", 0)
    batch_x = R.rand(20, 5)
    batch_y = R.rand(20, 2)
    for output in ("sigm", "linear", "softmax"):
        y = batch_y
        if output == "softmax":
            y = (batch_y == batch_y.max(axis=1, keepdims=True)).astype(float)
        for act in ("sigm", "tanh_opt"):
            for drop in (0.0, R.rand()):
                nn = N.nnsetup([5, 3, 4, 2])
                nn.update(activation_function=act, output=output, dropoutFraction=drop)
                yield nn, batch_x, y


def test_nn_gradients_are_numerically_correct():
    with R.isolated():
        for nn, x, y in gradient_nets():
            R.rand("state", 0)
            nn = N.nnbp(N.nnff(nn, x, y))
            N.nnchecknumgrad(nn, x, y)
        broken = dict(nn, dW=[np.asarray(w) + 1e-5 for w in nn["dW"]])
        with pytest.raises(ValueError, match="numerical gradient checking failed"):
            N.nnchecknumgrad(broken, x, y)


def sparse_net(l2=0.0):
    with R.isolated(0):
        nn = N.nnsetup([5, 3, 4, 2])
        x, y = R.rand(8, 5), R.rand(8, 2)
    nn.update(activation_function="sigm", nonSparsityPenalty=0.3, weightPenaltyL2=l2)
    return nn, x, y


def test_sparsity_defect_reproduced_and_fixed():
    """With nonSparsityPenalty > 0 the original's gradient fails its own check (L has no
    KL term, nnbp uses the running p); sparsity_fix makes L and dW agree."""
    nn, x, y = sparse_net()
    with R.isolated(0):
        bp = N.nnbp(N.nnff(nn, x, y))
        with pytest.raises(ValueError, match="numerical gradient checking failed"):
            N.nnchecknumgrad(bp, x, y)
        fixed = N.nnbp(N.nnff(nn, x, y, sparsity_fix=True), sparsity_fix=True)
        N.nnchecknumgrad(fixed, x, y, sparsity_fix=True)
        plain = N.nnff({**nn, "nonSparsityPenalty": 0.0}, x, y)
        assert N.nnff(nn, x, y)["L"] == plain["L"]  # the defect: no KL term
        assert N.nnff(nn, x, y, sparsity_fix=True)["L"] > plain["L"]


def test_l2_loss_defect_reproduced_and_fixed():
    """nn.L leaves out the L2 penalty nnapplygrads applies (upstream issue 94); l2_loss
    adds it, and the check then holds against the gradient nnapplygrads steps along."""
    nn, x, y = sparse_net(l2=0.01)
    nn["nonSparsityPenalty"] = 0.0
    plain = N.nnff({**nn, "weightPenaltyL2": 0.0}, x, y)["L"]
    assert N.nnff(nn, x, y)["L"] == plain
    penalty = 0.01 / 2 * sum(np.sum(W[:, 1:] ** 2) for W in nn["W"])
    assert N.nnff(nn, x, y, l2_loss=True)["L"] == pytest.approx(plain + penalty, rel=1e-14)
    bp = N.nnbp(N.nnff(nn, x, y, l2_loss=True))
    stepped = [dW + 0.01 * np.hstack([np.zeros((len(W), 1)), W[:, 1:]])
               for dW, W in zip(bp["dW"], nn["W"])]  # the direction nnapplygrads takes
    with R.isolated():
        with pytest.raises(ValueError, match="numerical gradient checking failed"):
            N.nnchecknumgrad(dict(bp, dW=stepped), x, y)  # the default L: not its gradient
        N.nnchecknumgrad(bp, x, y, l2_loss=True)


def test_rbm_c1_defect_reproduced_and_fixed():
    """rbmtrain's c1 uses the sampled h1 (upstream issue 120); hidden_probabilities uses
    sigm(c' + v1 W') in c1 and in the hidden-bias update."""
    g = golden("rbm")
    rbm = {"alpha": 1.0, "momentum": 0.0, "W": g["W1"], "vW": np.zeros((4, 6)),
           "b": g["b1"], "vb": np.zeros(6), "c": g["c1"], "vc": np.zeros(4)}
    x = g["x"][:5]
    opts = {"numepochs": 1, "batchsize": 5}
    with R.isolated(0):
        kk = R.randperm(5).ravel().astype(int) - 1
        u1, u2 = R.rand(5, 4), R.rand(5, 6)
    v1 = x[kk]
    b, c = np.ravel(g["b1"]), np.ravel(g["c1"])
    ph1 = U.sigm(c + v1 @ g["W1"].T)
    h1 = (ph1 > u1).astype(float)
    v2 = (U.sigm(b + h1 @ g["W1"]) > u2).astype(float)
    h2 = U.sigm(c + v2 @ g["W1"].T)
    for fix, pos in ((False, h1), (True, ph1)):
        with R.isolated(0):
            out = D.rbmtrain(rbm, x, opts, verbose=False, hidden_probabilities=fix)
        np.testing.assert_allclose(out["W"], g["W1"] + (pos.T @ v1 - h2.T @ v2) / 5,
                                   rtol=1e-13)
        np.testing.assert_allclose(out["c"], c + (pos - h2).sum(axis=0) / 5, rtol=1e-13)


# --------------------------------------------------------------------------- printing


def test_nntrain_and_rbmtrain_print_what_the_originals_print(capsys, figures_dir):
    g = UNITS
    with R.isolated(0):
        net = N.nnsetup([5, 4, 2])
        net["output"] = "softmax"
        N.nntrain(net, g["x"], g["ty"], {"numepochs": 2, "batchsize": 10, "plot": 1},
                  g["vx"], g["vy"], fhandle="nn_fig")
        N.nntrain(net, g["x"], g["ty"], {"numepochs": 1, "batchsize": 10})
        D.rbmtrain(golden("rbm")["setup"]["rbm"][0], golden("rbm")["x"],
                   {"numepochs": 1, "batchsize": 10})
        S.saetrain(S.saesetup([5, 3]), g["x"], {"numepochs": 1, "batchsize": 20})
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("epoch 1/2. Took ")
    assert " seconds. Mini-batch mean squared error on training set is " in out[0]
    assert "; Full-batch train mse = " in out[1] and ", val mse = " in out[1]
    assert "; Full-batch train err = " in out[2]
    assert out[3].startswith("epoch 1/1. Average reconstruction error is: ")
    assert out[4] == "Training AE 1/1"
    assert (figures_dir / "nn_fig.png").stat().st_size > 2000


def test_num2str_as_octave():
    assert [N._num2str(v) for v in (0.123456789, 12.3456789, 0.0012345678, 3.0, 123.456789,
                                    1.234567e-5)] == \
        ["0.12346", "12.3457", "0.0012346", "3", "123.4568", "1.2346e-05"]


# --------------------------------------------------------------------------- bad input


def test_bad_input_gets_clear_errors():
    x, y = UNITS["x"], UNITS["y"]
    for arch, msg in (([5], "at least 2 layer sizes"), ([5, 2.5, 2], "positive integer"),
                      ([5, 0, 2], "positive integer"), (np.ones((2, 2)), "must be a vector")):
        with pytest.raises(ValueError, match=msg):
            N.nnsetup(arch)
    with R.isolated(0):
        net = N.nnsetup([5, 3, 2])
    with pytest.raises(ValueError, match="same number of rows"):
        N.nnff(net, x, y[:-1])
    with pytest.raises(ValueError, match=r"x must be m x nn.size\(1\) = m x 5"):
        N.nnff(net, x[:, :4], y)
    with pytest.raises(ValueError, match=r"y must be m x nn.size\(end\) = m x 2"):
        N.nnff(net, x, np.hstack([y, y]))
    with pytest.raises(ValueError, match="numbatches must be a integer"):
        N.nntrain(net, x, y, {"batchsize": 3, "numepochs": 1})
    with pytest.raises(ValueError, match="train_x must be a float"):
        N.nntrain(net, (x * 255).astype(np.uint8), y, {"batchsize": 5, "numepochs": 1})
    with pytest.raises(ValueError, match="number ofinput arguments must be 4 or 6"):
        N.nntrain(net, x, y, {"batchsize": 5, "numepochs": 1}, x)
    with pytest.raises(ValueError, match="unknown activation_function 'relu'"):
        N.nnff({**net, "activation_function": "relu"}, x, y)
    with pytest.raises(ValueError, match="unknown output 'tanh'"):
        N.nntrain({**net, "output": "tanh"}, x, y, {"batchsize": 5, "numepochs": 1})
    nan_x = x.copy()
    nan_x[3, 2] = np.nan
    with pytest.raises(ValueError, match="train_x contains NaN"):
        N.nntrain(net, nan_x, y, {"batchsize": 5, "numepochs": 1})
    with pytest.raises(ValueError, match="x contains NaN"):
        N.nnpredict(net, nan_x)
    opts = {"numepochs": 1, "batchsize": 5, "momentum": 0, "alpha": 1}
    dbn = D.dbnsetup({"sizes": [3]}, x, opts)
    with pytest.raises(ValueError, match=r"dbn.sizes\(1\) = m x 5"):
        D.dbntrain(dbn, x[:, :4], opts)
    with pytest.raises(ValueError, match="all data in x must be in"):
        D.dbntrain(dbn, x * 3, opts)
    with pytest.raises(ValueError, match="numbatches not integer"):
        D.dbntrain(dbn, x, {**opts, "batchsize": 3})
    with pytest.raises(ValueError, match="x must be a float"):
        D.rbmtrain(dbn["rbm"][0], (x > 0.5).astype(np.uint8), opts)
