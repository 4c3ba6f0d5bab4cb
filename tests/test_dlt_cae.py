"""DeepLearnToolbox's CAE (ufldl_py.dlt.cae) against the original run in Octave."""

import numpy as np
import pytest

from conftest import FIXTURES, original_path
from ufldl_py import cli
from ufldl_py.crosscheck import compare
from ufldl_py.dlt import cae as C
from ufldl_py.matlab import io, octave
from ufldl_py.matlab import random as R

SHAPES = ["pooled", "example", "predictive", "two_inputs"]
STEPS = {
    "up": ("i", "a"),
    "down": ("o",),
    "bp": ("e", "L", "od", "dc", "ad", "db", "dok", "dik"),
    "bbp": ("odd", "ddc", "add", "ddb", "ddok", "ddik"),
    "applied": ("ik", "ok", "b", "c", "vik", "vok", "vb", "vc", "sv"),
    "sdlm": ("ddc", "ddb", "ddok", "ddik"),
}


def golden(name):
    return io.loadmat(FIXTURES / "cae" / f"{name}.mat")


def assert_same(py: dict, ml: dict, fields, rtol=1e-12, name="cae"):
    rows = compare({f: py[f] for f in fields}, {f: ml[f] for f in fields}, name, rtol=rtol)
    bad = [r for r in rows if not r.ok]
    assert not bad, bad[:5]
    assert {r.output.split("{")[0].split(".")[1] for r in rows} == set(fields)
    return max(r.max_rel for r in rows)


def layer(maps=3, ik=(1, 3, 3), scale=(1, 2, 2), noise=0.0):
    return {"outputmaps": maps, "inputkernel": list(ik), "outputkernel": list(ik),
            "scale": list(scale), "sigma": 0.1, "momentum": 0.9, "noise": noise}


def small(seed=0, maps=3, ik=(1, 3, 3), scale=(1, 2, 2), rows=12, cols=12, bs=4, n_in=1):
    """A set-up autoencoder with its chunks and one batch of inputs and targets."""
    rng = np.random.default_rng(seed)
    x = [[rng.random((bs + ik[0] + 5, rows, cols)) for _ in range(n_in)] for _ in range(2)]
    opts = {"batchsize": bs, "alpha": 0.01, "ddinterval": 2, "ddhist": 0.5, "rounds": 3}
    with R.isolated(seed):
        cae = C.scaesetup([layer(maps, ik, scale)], x, opts)[0]
    xb = [rng.random((bs, rows, cols)) for _ in range(n_in)]
    yb = [rng.random((bs, rows, cols)) for _ in range(n_in)]
    return cae, x, xb, yb, opts


# --------------------------------------------------------------------------- golden fixtures


@pytest.mark.parametrize("name", SHAPES)
def test_seeded_setup_equals_octave(name):
    g = golden(f"steps_{name}")
    with R.isolated():
        R.rand("state", 0)
        scae = C.scaesetup(list(g["scae"]), g["x"], g["opts"])
    assert len(scae) == 1
    setup = {k: v for k, v in scae[0].items() if k != "a"}
    assert set(setup) == set(g["setup"])
    assert_same(setup, g["setup"], tuple(g["setup"]), rtol=0)  # bit for bit


@pytest.mark.parametrize("name", SHAPES)
def test_steps_equal_octave(name):
    g = golden(f"steps_{name}")
    cae = dict(g["setup"])
    with R.isolated():
        R.rand("state", 1)
        up = C.caeup(cae, g["xb"])
    assert_same(up, g["up"], STEPS["up"])
    down = C.caedown(up)
    assert_same(down, g["down"], STEPS["down"])
    bp = C.caebp(down, g["yb"])
    assert_same(bp, g["bp"], STEPS["bp"])
    bbp = C.caebbp(bp)
    assert_same(bbp, g["bbp"], STEPS["bbp"])
    assert_same(C.caeapplygrads(bp), g["applied"], STEPS["applied"])
    assert_same(C.caesdlm(bbp, g["opts"], 2), g["sdlm"], STEPS["sdlm"])


@pytest.mark.parametrize("name", SHAPES)
def test_max3d_with_ties_equals_octave(name):
    g = golden(f"steps_{name}")
    for fix in (False, True):  # the discarded reshape changes nothing
        with R.isolated():
            R.rand("state", 2)
            pooled = C.max3d(g["X"], g["setup"]["M"], fix_reshape=fix)
        np.testing.assert_array_equal(pooled, g["pooled"].reshape(pooled.shape))
    if np.prod(g["setup"]["scale"]) > 1:
        assert (g["pooled"] == 0).mean() > 0.5  # the blocks' other elements are zeroed


@pytest.mark.parametrize("name", ["batch1", "batch10"])
def test_seeded_training_equals_octave(name):
    """rand('state', 0); scaesetup; scaetrain: kernels, biases and rL equal Octave's to
    1e-9 (max3d's tie-breaking noise and caetrain's randi/rand draws included)."""
    g = golden(f"train_{name}")
    with R.isolated():
        R.rand("state", 0)
        scae = C.scaesetup(list(g["scae"]), g["x"], g["opts"])
        scae = C.scaetrain(scae, g["x"], g["opts"], verbose=False)
    cae = scae[0]
    assert cae["rL"].size == g["opts"]["rounds"] + 1
    worst = assert_same(cae, g["trained"], tuple(g["trained"]), rtol=1e-9)
    assert worst < 1e-12


# --------------------------------------------------------------------------- fast == loop


@pytest.mark.parametrize("shape", [
    dict(), dict(ik=(1, 5, 5), maps=4, rows=12, cols=16, bs=2),
    dict(ik=(2, 3, 3), scale=(2, 2, 2), bs=3, rows=10, cols=14),
    dict(scale=(1, 1, 1), n_in=2, maps=2), dict(scale=(1, 7, 2), rows=12, cols=10, bs=1)])
def test_fast_forms_equal_loop_forms(shape):
    cae, _, xb, yb, _ = small(**shape)
    with R.isolated(3):
        fast = C.caeup(cae, xb)
    with R.isolated(3):
        loop = C.caeup_loop(cae, xb)
    rows = compare({"a": fast["a"]}, {"a": loop["a"]}, "cae", rtol=1e-13)
    assert all(r.ok for r in rows)
    fast, loop = C.caedown(fast), C.caedown_loop(loop)
    assert all(r.ok for r in compare({"o": fast["o"]}, {"o": loop["o"]}, "cae", rtol=1e-13))
    fast, loop = C.caebp(fast, yb), C.caebp_loop(loop, yb)
    assert_same(fast, loop, STEPS["bp"], rtol=1e-13)
    assert_same(C.caebbp(fast), C.caebbp_loop(loop), STEPS["bbp"], rtol=1e-13)


def test_caeup_sums_over_the_given_input_maps_only():
    cae, _, xb, _, _ = small(scale=(1, 1, 1), n_in=2)
    with R.isolated(1):
        fast = C.caeup(cae, xb[:1])
    loop = C.caeup_loop(cae, xb[:1])
    for a, b in zip(fast["a"], loop["a"]):
        np.testing.assert_allclose(a, b, rtol=1e-13)


def test_max3d_of_another_index_map_is_gathered_through_it():
    """An M that is not scaesetup's (blocks in another order) takes the indexed path of the
    stacked max3d; it equals max3d map by map."""
    cae, _, xb, _, _ = small()
    cae["M"] = np.ascontiguousarray(cae["M"][:, ::-1, ::-1])
    with R.isolated(4):
        fast = C.caeup(cae, xb)
    with R.isolated(4):
        loop = C.caeup_loop(cae, xb)
    for a, b in zip(fast["a"], loop["a"]):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-15)


def test_gradients_pass_the_numerical_check(capsys):
    for shape in (dict(), dict(ik=(2, 3, 3), scale=(2, 2, 2), bs=3, rows=10, cols=14)):
        cae, _, xb, yb, _ = small(**shape)
        with R.isolated(5):
            bp = C.caebp(C.caedown(C.caeup(cae, xb)), yb)
            assert C.caenumgradcheck(bp, xb, yb) is bp
        out = capsys.readouterr().out
        assert "performing numerical gradient checking..." in out and "done" in out
        assert "failed" not in out


def test_numerical_check_stops_where_the_original_stops_in_keyboard(capsys):
    cae, _, xb, yb, _ = small()
    with R.isolated(6):
        bp = C.caebp(C.caedown(C.caeup(cae, xb)), yb)
    wrong = {**bp, "dc": [bp["dc"][0] + 1e-3]}
    with pytest.raises(ValueError, match=r"output bias c\{1\}.*difference|output bias c\{1\}"):
        C.caenumgradcheck(wrong, xb, yb)
    assert "OUTPUT BIAS numerical gradient checking failed" in capsys.readouterr().out
    wrong = {**bp, "db": [bp["db"][0], bp["db"][1] - 1e-3, bp["db"][2]]}
    with pytest.raises(ValueError, match=r"bias b\{2\}, \|numerical - analytic\| = 0\.00(1|0999)"):
        C.caenumgradcheck(wrong, xb, yb, verbose=False)
    # a wrong kernel gradient is reported and the check goes on (no keyboard there)
    dok = [[np.asarray(k).copy() for k in row] for row in bp["dok"]]
    dok[0][1][0, 1, 2] += 1e-3
    assert C.caenumgradcheck({**bp, "dok": dok}, xb, yb) is not None
    out = capsys.readouterr().out
    assert out.count("OUTPUT KERNEL numerical gradient checking failed") == 1
    assert out.rstrip().endswith("done")


# --------------------------------------------------------------------------- defects, structs


def test_scaesetup_keeps_one_layer_unless_asked():
    _, x, _, _, opts = small()
    two = [layer(), layer(maps=2, ik=(1, 5, 5))]
    with pytest.raises(ValueError, match=r"cannot be indexed with \{.*all_layers=True"):
        C.scaesetup(two, x, opts)
    with R.isolated(7):
        both = C.scaesetup(two, x, opts, all_layers=True)
    with R.isolated(7):
        first = C.scaesetup(two[:1], x, opts)[0]
        second = C.scaesetup(two[1:], x, opts)[0]  # draws after the first layer's
    assert len(both) == 2 and len(both[1]["b"]) == 2
    for py, ml in zip(both, (first, second)):
        assert_same(py, ml, ("ik", "ok", "M", "edgemask"), rtol=0)


def test_nbmap_fast_equals_the_loop():
    for shape, n in [((3, 32, 32), (1, 2, 2)), ((4, 6, 6), (2, 3, 2)), ((2, 4, 6), (2, 2, 3))]:
        np.testing.assert_array_equal(C._nbmap(shape, n), C._nbmap_loop(shape, n))


def test_trained_cae_round_trips_through_mat(tmp_path):
    cae, x, xb, yb, opts = small()
    with R.isolated(8):
        cae = C.caetrain(cae, x, opts, verbose=False)
    io.savemat(tmp_path / "cae.mat", {"cae": cae})
    back = io.loadmat(tmp_path / "cae.mat")["cae"]
    runs = []
    for net in (cae, back):
        with R.isolated(9):
            runs.append(C.caebp(C.caedown(C.caeup(net, xb)), yb))
    assert_same(runs[1], runs[0], STEPS["bp"], rtol=0)
    np.testing.assert_array_equal(back["rL"].ravel(), cae["rL"])


def test_maps_are_values():
    cae, _, xb, _, _ = small()
    with R.isolated(1):
        up = C.caeup(cae, xb)
    with pytest.raises(ValueError):
        up["a"][0][0, 0, 0] = 1.0  # read-only: patches cached with them cannot go stale


def test_caetrain_prints_rounds(capsys):
    cae, x, _, _, opts = small()
    with R.isolated(2):
        cae = C.caetrain(cae, x, {**opts, "rounds": 2})
    out = capsys.readouterr().out
    assert "1/2 rounds" in out and "2/2 rounds" in out and "Elapsed time is" in out
    assert cae["rL"].shape == (3,) and cae["rL"][0] == cae["rL"][1]


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("change, message", [
    (dict(lay=dict(ik=(1, 13, 3))), "inputkernel .* is larger than the input"),
    (dict(lay=dict(scale=(1, 5, 2))), "scale .* must divide the hidden maps' size"),
    (dict(lay=dict(scale=(1, 2))), "n should have 3 elements"),
    (dict(opts=dict(batchsize=40)), "batchsize = 40 is larger than the data"),
    (dict(x="ragged"), "inconsistent cell shapes"),
    (dict(x="maps"), "inconsistent cell shapes"),
])
def test_bad_input_is_refused(change, message):
    rng = np.random.default_rng(0)
    x = [[rng.random((12, 12, 12))], [rng.random((10, 12, 12))]]
    if change.get("x") == "ragged":
        x[1] = [rng.random((10, 12, 11))]
    if change.get("x") == "maps":
        x[1] = [rng.random((10, 12, 12)), rng.random((10, 12, 12))]
    opts = {"batchsize": 4, "alpha": 0.01, **change.get("opts", {})}
    with pytest.raises(ValueError, match=message):
        C.scaesetup([layer(**change.get("lay", {}))], x, opts)


def test_bad_batches_are_refused():
    cae, x, xb, yb, opts = small()
    with pytest.raises(ValueError, match="batchsize = 12 is larger than the data"):
        C.caetrain(cae, x, {**opts, "batchsize": 12})
    with pytest.raises(ValueError, match="batchsize = 3 differs from the batch size the "
                                         "autoencoder was set up for"):
        C.caetrain(cae, x, {**opts, "batchsize": 3})
    with R.isolated(0):
        down = C.caedown(C.caeup(cae, xb))
    with pytest.raises(ValueError, match=r"y must be 1 maps of \(4, 12, 12\)"):
        C.caebp(down, [yb[0][:3]])
    with pytest.raises(ValueError, match="cae.ik must be a cell of 1 cells of 3 kernels"):
        C.caeup({**cae, "ik": cae["ik"][0]}, xb)


# --------------------------------------------------------------------------- the exercise


def test_caeexamples_short_run(capsys, figures_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path / "cache"))
    assert cli.main(["run", "caeexamples", "--rounds", "30", "--chunks", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "2 chunks of 600 digits" in out and "reconstruction error" in out
    assert (figures_dir / "caeexamples_rL.png").stat().st_size > 5000
    assert (figures_dir / "caeexamples_kernels.png").stat().st_size > 2000


# --------------------------------------------------------------------------- live Octave


@pytest.mark.octave
def test_python_cae_through_the_original_steps():
    dlt = original_path("UFLDL_PY_DLT")
    cae, _, xb, yb, _ = small(ik=(2, 3, 3), scale=(2, 2, 2), bs=3, rows=10, cols=14)
    ml = octave.run("rand('state', 11); cae = caebp(caedown(caeup(cae, xb)), yb);",
                    {"cae": cae, "xb": xb, "yb": yb}, ["cae"], path=[dlt / "CAE", dlt / "util"])
    with R.isolated():
        R.rand("state", 11)
        py = C.caebp(C.caedown(C.caeup(cae, xb)), yb)
    assert_same(py, ml["cae"], STEPS["bp"] + ("a", "o"))


