"""DeepLearnToolbox's CNN (ufldl_py.dlt.cnn) against the original run in Octave."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conftest import FIXTURES, original_path
from ufldl_py.crosscheck import compare
from ufldl_py import kernels
from ufldl_py.dlt import cnn
from ufldl_py.matlab import io, octave
from ufldl_py.matlab.ops import convn
from ufldl_py.matlab import random as R

STACKS = ["example", "gradients", "deep", "last_conv"]
FIELDS_FF = ("fv", "o")
FIELDS_BP = ("e", "L", "od", "fvd", "dffW", "dffb")


def golden(name):
    return io.loadmat(FIXTURES / "dlt" / f"net_{name}.mat")


def assert_same_net(py, ml, fields=None, rtol=1e-12, atol=0.0):
    """Every field (or the given ones, and every layer) equal to rtol, relative to magnitude."""
    if fields is not None:
        ml = {k: ml[k] for k in fields + ("layers",) if k in ml}
    rows = compare(py, ml, "net", rtol=rtol, atol=atol)
    bad = [r for r in rows if not r.ok]
    assert not bad, bad[:5]
    return rows


@pytest.mark.parametrize("name", STACKS)
def test_seeded_setup_equals_octave(name):
    g = golden(name)
    with R.isolated():
        R.rand("state", 0)
        net = cnn.cnnsetup(g["net"], g["x"], g["y"])
    rows = assert_same_net(net, g["setup"], rtol=0)  # bit for bit
    assert any(r.output.startswith("net.layers{2}.k") for r in rows)


@pytest.mark.parametrize("name", STACKS)
def test_ff_bp_applygrads_equal_octave(name):
    g = golden(name)
    ff = cnn.cnnff(g["setup"], g["x"])
    assert_same_net(ff, g["ff"])
    bp = cnn.cnnbp(ff, g["y"])
    rows = assert_same_net(bp, g["bp"])
    names = {r.output.split("{")[0] if "{" in r.output else r.output for r in rows}
    for field in FIELDS_FF + FIELDS_BP:
        assert f"net.{field}" in names
    assert any(".dk{" in r.output for r in rows) and any(".d{" in r.output for r in rows)
    assert_same_net(cnn.cnnapplygrads(bp, g["opts"]), g["applied"])


def test_octave_nets_run_here_and_python_nets_run_in_octave(tmp_path):
    """A net saved by Octave loads and runs here; a net saved here loads in Octave."""
    g = golden("deep")
    with R.isolated(0):
        net = cnn.cnnsetup(g["net"], g["x"], g["y"])
    io.savemat(tmp_path / "net.mat", {"net": net})
    back = io.loadmat(tmp_path / "net.mat")["net"]
    assert_same_net(cnn.cnnbp(cnn.cnnff(back, g["x"]), g["y"]),
                    cnn.cnnbp(cnn.cnnff(net, g["x"]), g["y"]), rtol=0)


@pytest.mark.octave
@pytest.mark.parametrize("name", ["gradients", "last_conv"])
def test_python_net_through_original_cnnff_cnnbp(name):
    dlt = original_path("UFLDL_PY_DLT")
    g = golden(name)
    with R.isolated(7):
        net = cnn.cnnsetup(g["net"], g["x"], g["y"])
    ml = octave.run("net = cnnbp(cnnff(net, x), y);", {"net": net, "x": g["x"], "y": g["y"]},
                    ["net"], path=[dlt / "CNN", dlt / "util"])["net"]
    assert_same_net(cnn.cnnbp(cnn.cnnff(net, g["x"]), g["y"]), ml)


def test_training_epoch_equals_octave():
    """test_example_CNN's recipe: same setup, same randperm batches, same trained weights
    to 1e-9, the same smoothed loss and the same misclassified digits."""
    g = io.loadmat(FIXTURES / "dlt" / "train_example.mat")
    with R.isolated():
        R.rand("state", 0)
        net = cnn.cnnsetup(g["net"], g["train_x"], g["train_y"])
        assert_same_net(net, g["initial"], rtol=0)
        trained = cnn.cnntrain(net, g["train_x"], g["train_y"], g["opts"], verbose=False)
    er, bad = cnn.cnntest(trained, g["test_x"], g["test_y"])
    assert_same_net(trained, g["trained"], rtol=1e-9)
    assert er == g["er"]
    np.testing.assert_array_equal(bad, np.ravel(g["bad"]))


def test_cnntrain_prints_progress(capsys):
    g = golden("gradients")
    with R.isolated(1):
        net = cnn.cnnsetup(g["net"], g["x"], g["y"])
        cnn.cnntrain(net, g["x"], g["y"], {"alpha": 1.0, "batchsize": 5, "numepochs": 2})
    out = capsys.readouterr().out
    assert "epoch 1/2" in out and "epoch 2/2" in out and "Elapsed time is" in out


def test_numerical_gradient_check_passes():
    """tests/test_cnn_gradients_are_numerically_correct.m, on its own small net."""
    with R.isolated(0):
        batch_x = R.rand(28, 28, 5)
        batch_y = R.rand(10, 5)
        layers = [{"type": "i"}, {"type": "c", "outputmaps": 2, "kernelsize": 5},
                  {"type": "s", "scale": 2}, {"type": "c", "outputmaps": 2, "kernelsize": 5},
                  {"type": "s", "scale": 2}]
        net = cnn.cnnsetup({"layers": layers}, batch_x, batch_y)
    net = cnn.cnnbp(cnn.cnnff(net, batch_x), batch_y)
    cnn.cnnnumgradcheck(net, batch_x, batch_y)
    broken = dict(net, dffb=np.asarray(net["dffb"]) + 1e-3)
    with pytest.raises(ValueError, match="numerical gradient checking failed"):
        cnn.cnnnumgradcheck(broken, batch_x, batch_y)


def test_bad_input_gets_the_originals_errors():
    g = golden("gradients")
    x, y = g["x"], g["y"]
    with R.isolated(0):
        net = cnn.cnnsetup(g["net"], x, y)
        with pytest.raises(ValueError, match="numbatches not integer"):
            cnn.cnntrain(net, x, y, {"alpha": 1, "batchsize": 2, "numepochs": 1})
        odd = {"layers": [{"type": "i"}, {"type": "c", "outputmaps": 2, "kernelsize": 4},
                          {"type": "s", "scale": 2}]}
        with pytest.raises(ValueError, match="Layer 3 size must be integer. Actual: 12.5"):
            cnn.cnnsetup(odd, x, y)
        with pytest.raises(ValueError, match="unknown layer type 'x'"):
            cnn.cnnsetup({"layers": [{"type": "i"}, {"type": "x"}]}, x, y)
    ff = cnn.cnnff(net, x)
    with pytest.raises(ValueError, match="y must be onum x n = 10 x 5"):
        cnn.cnnbp(ff, y.T)
    with pytest.raises(ValueError, match=r"columns \(one per example\)"):
        cnn.cnntrain(net, x, y[:, :3], {"alpha": 1, "batchsize": 1, "numepochs": 1})


@st.composite
def stacks(draw):
    """A layer stack the original accepts ('c' and 's' layers alternating, any kernel sizes,
    scales and map counts, ending in either), its cnnsetup net, a batch and targets."""
    size = draw(st.integers(1, 3))  # rows of the last maps
    spec = []
    if draw(st.booleans()):  # end on a convolution layer
        spec, size = [("c", draw(st.integers(1, 3)), 2)], size + 1
    for _ in range(draw(st.integers(1, 2))):
        s, ks = draw(st.integers(1, 3)), draw(st.integers(1, 4))
        spec = [("c", draw(st.integers(1, 3)), ks), ("s", s)] + spec
        size = size * s + ks - 1
    layers = [{"type": "i"}] + [
        {"type": "c", "outputmaps": t[1], "kernelsize": t[2]} if t[0] == "c"
        else {"type": "s", "scale": t[1]} for t in spec]
    n = draw(st.integers(2, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
    x = rng.random((size, size, n))
    y = rng.random((draw(st.integers(1, 4)), n))
    with R.isolated(draw(st.integers(0, 2 ** 31))):
        net = cnn.cnnsetup({"layers": layers}, x, y)
    for layer in net["layers"]:  # biases start at zero; give them values to check
        if layer["type"] == "c":
            layer["b"] = list(rng.normal(size=len(layer["b"])))
    net["ffb"] = rng.normal(size=y.shape[0])
    return net, x, y


@settings(max_examples=30, deadline=None)
@given(stacks(), st.sampled_from([None, 1, 3]))
def test_fast_form_equals_loop_form(case, block):
    """cnnff and cnnbp against the map-by-map translations of cnnff.m and cnnbp.m, on the
    whole batch at once or on blocks of 1 or 3 images."""
    net, x, y = case
    saved = cnn.BLOCK
    try:
        cnn.BLOCK = block or saved
        fast = cnn.cnnbp(cnn.cnnff(net, x), y)
    finally:
        cnn.BLOCK = saved
    loop = cnn.cnnbp_loop(cnn.cnnff_loop(net, x), y)
    # a gradient that cancels to ~1e-7 (a 1 x 1 kernel's dk) is judged in absolute terms too:
    # its rounding is that of the O(1e-2) terms it sums
    rows = assert_same_net(fast, loop, atol=1e-17)
    assert any(".dk{" in r.output for r in rows) and any(".d{" in r.output for r in rows)


def test_a_map_edited_in_place_raises():
    """The maps and deltas are read-only (their patches travel with them to cnnbp): an
    in-place edit raises instead of leaving the patches stale."""
    g = golden("example")
    a = cnn.cnnff(g["setup"], g["x"])
    with pytest.raises(ValueError, match="read-only"):
        a["layers"][2]["a"][0][:] *= 0.5
    with pytest.raises(ValueError, match="read-only"):
        a["layers"][0]["a"][0][0, 0, 0] = 1.0
    bp = cnn.cnnbp(a, g["y"])
    with pytest.raises(ValueError, match="read-only"):
        bp["layers"][1]["d"][0][...] = 0.0


@pytest.mark.parametrize("layer", [0, 1, 2, 3, 4])
def test_a_replaced_map_is_the_map_cnnbp_uses(layer):
    """A map replaced in the list (``a{j} = a{j} * 0.5``) is stacked and its patches built
    again: cnnbp equals cnnbp_loop on the same edited net, and differs from the unedited."""
    g = golden("example")
    a = cnn.cnnff(g["setup"], g["x"])
    unedited = cnn.cnnbp(a, g["y"])
    a["layers"][layer]["a"][0] = a["layers"][layer]["a"][0] * 0.5
    fast = cnn.cnnbp(a, g["y"])
    assert_same_net(fast, cnn.cnnbp_loop(a, g["y"]))
    if layer < 4:  # (the last layer's maps reach cnnbp only through fv)
        changed = [r.output for r in compare(fast, unedited, "net", rtol=1e-12) if not r.ok]
        assert any(".dk{" in name for name in changed)


def test_kernels_of_the_wrong_shape_get_a_clear_error():
    g = golden("gradients")
    net = cnn.cnnsetup(g["net"], g["x"], g["y"])
    layers = [dict(layer) for layer in net["layers"]]
    layers[1]["k"] = [list(row) for row in layers[1]["k"]][:1] + [[np.ones((3, 3))]]
    with pytest.raises(ValueError, match="layer 2 k must be a cell of cells of 5 x 5"):
        cnn.cnnff({**net, "layers": layers}, g["x"])
    layers[1]["k"] = []
    with pytest.raises(ValueError, match="layer 2 k holds 0 x 0 kernels, the layer needs"):
        cnn.cnnff({**net, "layers": layers}, g["x"])


def test_cnntest_in_blocks_gives_the_originals_errors(monkeypatch):
    """cnntest's blocks of TEST_BATCH examples (here 7, not dividing the 100 test digits)
    find the digits that the original's one cnnff over the whole set misclassified."""
    g = io.loadmat(FIXTURES / "dlt" / "train_example.mat")
    monkeypatch.setattr(cnn, "TEST_BATCH", 7)
    er, bad = cnn.cnntest(g["trained"], g["test_x"], g["test_y"])
    assert er == g["er"]
    np.testing.assert_array_equal(bad, np.ravel(g["bad"]))


def test_cached_patches_follow_their_net():
    """cnnff's patch matrices are cached for cnnbp by the maps they came from: a net kept
    while other batches run back-propagates exactly as it did at once."""
    g = golden("example")
    net, x, y = g["setup"], g["x"], g["y"]
    once = cnn.cnnbp(cnn.cnnff(net, x), y)
    kept = cnn.cnnff(net, x)
    for shift in (1, 2, 3):
        cnn.cnnbp(cnn.cnnff(net, np.roll(x, shift, axis=2)), y)
    later = cnn.cnnbp(kept, y)
    rows = compare(later, once, "net", rtol=0)
    assert all(r.ok for r in rows)


def test_copied_and_pickled_nets_use_their_own_kernels():
    """A deep copy or a pickle of a net holds plain lists; kernels changed in place there are
    the kernels cnnff uses."""
    import copy
    import pickle

    g = golden("gradients")
    net = cnn.cnnff(cnn.cnnsetup(g["net"], g["x"], g["y"]), g["x"])
    for twin in (copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        assert type(twin["layers"][1]["k"]) is list and type(twin["layers"][1]["a"]) is list
        twin["layers"][1]["k"][0][0][...] = 0.0
        twin["layers"][1]["b"] = [0.0] * len(twin["layers"][1]["b"])
        a = cnn.cnnff(twin, g["x"])["layers"][1]["a"][0]
        np.testing.assert_array_equal(a, 0.5)  # sigm(0): the first map sees only kernel 1


@pytest.mark.parametrize("I, J, k, rows", [(2, 3, 3, 6), (2, 3, 3, 20), (1, 2, 1, 4), (3, 1, 5, 9)])
def test_both_forms_of_the_convolution_adjoint_equal_convn(I, J, k, rows):
    """The delta before a convolution layer, by banded matrices and by col2im, against
    cnnbp.m's sum_j convn(d{j}, rot180(k{i}{j}), 'full')."""
    rng = np.random.default_rng(rows)
    K = rng.standard_normal((I, J, k, k))
    D = rng.standard_normal((J, rows - k + 1, rows - k + 3, 4))
    ref = np.array([sum(convn(D[j], np.rot90(K[i, j], 2), "full") for j in range(J))
                    for i in range(I)])
    for form in (kernels.convolution._banded_adjoint, kernels.convolution._patch_adjoint):
        np.testing.assert_allclose(form(D, K, rows, rows + 2), ref, rtol=0, atol=1e-13)
