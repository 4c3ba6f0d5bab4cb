"""DeepLearnToolbox/util (ufldl_py.dlt.util) and the builtins it needs (ufldl_py.matlab.ops:
im2col, fspecial, normcdf, cov, histc, chol) against Octave."""

import shutil
import warnings

import numpy as np
import pytest

from conftest import FIXTURES, original_path
from ufldl_py.crosscheck import registry
from ufldl_py.crosscheck.checks import NOT_CHECKED
from ufldl_py.dlt import cae, util as U
from ufldl_py.matlab import io, octave, ops
from ufldl_py.matlab import random as R


@pytest.fixture(scope="module")
def g():
    return io.loadmat(FIXTURES / "cae" / "util.mat")


def close(py, ml, rtol=1e-12):
    py, ml = np.asarray(py, dtype=float), np.asarray(ml, dtype=float)
    assert py.size == ml.size
    ml = ml.reshape(py.shape)
    assert np.abs(py - ml).max(initial=0) <= rtol * np.abs(ml).max(initial=0)


def test_util_equals_octave(g):
    close(U.whiten(g["W"], 0.1), g["whitened"])
    close(U.im2patches(g["im"], 3, 3), g["p33"], 0)
    close(U.im2patches(g["im8"], 4, 4), g["p42"], 0)
    patches = np.mod(np.arange(1, 101)[:, None] * np.arange(1, 9121)[None], 97) / 97
    tiled = U.patches2im(patches, 20, 30)
    assert tiled.shape == tuple(np.ravel(g["tiled_size"]).astype(int))
    close(tiled[::7, ::5], g["tiled_sample"], 0)
    close(U.visualize(g["V"]), g["vis"], 0)
    close(U.visualize(g["V12"], [-1, 2], 3, 4), g["vis_s"], 0)
    close(U.allcomb(np.array([1.0, 3, 5]), np.array([-3.0, 8]), np.array([0.0, 1])),
          g["comb"], 0)
    close(U.allcomb(np.array([1.0, 2]), np.array([3.0, 4]), np.array([5.0, 6]), "matlab"),
          g["comb_m"], 0)
    with R.isolated():
        R.rand("state", 0)
        close(U.randp(np.array([1.0, 3, 0, 2]), 5, 7), g["rp"], 0)
        close(U.randp([2, 1], 1, 9), g["rp_row"], 0)
        R.randn("state", 0)
        close(U.randcorr(6, g["Rc"]), g["rc"])
    lm = U.makeLMfilters()
    assert lm.shape == (49, 49, 48)
    close(lm[:, :, np.ravel(g["lm"]).astype(int) - 1], g["lmF"])
    close(U.fliplrf(g["A3"]), g["lr"], 0)
    close(U.flipudf(g["A3"]), g["ud"], 0)


def test_builtins_equal_octave(g):
    close(ops.im2col(g["I2"], [2, 4], "distinct"), g["col_d"], 0)
    close(ops.im2col(g["I2"], [3, 2], "sliding"), g["col_s"], 0)
    close(ops.im2col(g["I3"], [3, 2, 2], "distinct"), g["col_d3"], 0)
    close(ops.im2col(g["I3"], [2, 2], "sliding"), g["col_s3"], 0)
    close(ops.fspecial("gaussian", 7, 1.3), g["g"])
    close(ops.fspecial("gaussian", [5, 8], 0.8), g["g2"])
    close(ops.fspecial("log", 9, 1.1), g["lg"])
    close(ops.fspecial("log", [6, 5], 0.7), g["lg2"])
    close(ops.cov(g["W"]), g["cv"])
    n, idx = ops.histc(np.ravel(g["h"]), [0, 0.2, 0.2, 0.5, 0.9])
    close(idx, g["hi"], 0)
    close(n, g["hn"], 0)


def test_builtins_properties():
    x = np.linspace(-4, 4, 17)
    np.testing.assert_allclose(ops.normcdf(x) + ops.normcdf(-x), 1, rtol=1e-15)
    assert ops.normcdf(0.0) == 0.5
    A = np.array([[4.0, 2], [2, 3]])
    Rc = ops.chol(A)
    np.testing.assert_allclose(Rc.T @ Rc, A, rtol=1e-15)
    assert Rc[1, 0] == 0
    with pytest.raises(ValueError, match="positive definite"):
        ops.chol(np.array([[1.0, 2], [2, 1]]))
    with pytest.raises(ValueError, match="invalid BLOCK_TYPE"):
        ops.im2col(np.eye(3), [2, 2], "tiles")
    with pytest.raises(ValueError, match="BLOCK_SIZE must be a vector of positive"):
        ops.im2col(np.eye(3), [0, 2])
    with pytest.raises(ValueError, match="not ported"):
        ops.fspecial("motion")
    assert ops.cov(np.array([[1.0, 2, 4]])) == pytest.approx(np.var([1, 2, 4], ddof=1))


def test_whitened_data_is_white():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((500, 4)) @ rng.standard_normal((4, 4))
    Y = U.whiten(X, 0.0)
    np.testing.assert_allclose(np.cov(Y.T), np.eye(4), atol=1e-10)
    with pytest.raises(ValueError, match="m >= 2 observations"):
        U.whiten(np.ones(3), 0.1)


def test_im2patches_swaps_m_and_n_unless_fixed():
    im = np.arange(48.0).reshape(6, 8)
    with pytest.raises(ValueError, match=r"im\(8,_\): out of bound 6.*fix_swap=True"):
        U.im2patches(im, 2, 4)  # steps of 2 rows cut 4-row patches
    fixed = U.im2patches(im, 2, 4, fix_swap=True)
    assert fixed.shape == (6, 8)
    np.testing.assert_array_equal(fixed[1], im[0:2, 4:8].ravel(order="F"))
    np.testing.assert_array_equal(U.im2patches(im, 2, 2), U.im2patches(im, 2, 2, True))
    with pytest.raises(ValueError, match=r"rem \(size \(im, 1\), m\)"):
        U.im2patches(im, 4, 4)


def test_patches2im_hard_codes_its_sizes_unless_told():
    rng = np.random.default_rng(2)
    p = rng.random((100, 9120))
    assert U.patches2im(p, 20, 30).shape == (1140, 800)
    assert U.patches2im(p, 1200, 30).shape == (1200, 800)
    with pytest.raises(ValueError, match="10 x 10"):
        U.patches2im(rng.random((16, 9120)), 20, 30)
    im = rng.random((8, 12))
    cols = [im[u:u + 4, i:i + 4].ravel(order="F") for i in range(0, 12, 4)
            for u in range(0, 8, 4)]
    np.testing.assert_array_equal(U.patches2im(np.array(cols).T, 8, 12, use_sizes=True), im)
    with pytest.raises(ValueError, match="out of bound"):
        U.patches2im(np.array(cols).T[:, :5], 8, 12, use_sizes=True)


def test_allcomb_and_randp_edge_cases():
    with pytest.warns(UserWarning, match="Empty inputs"):
        assert U.allcomb(np.array([1.0, 2]), np.array([])).shape == (0, 2)
    np.testing.assert_array_equal(U.allcomb(np.array([[1.0, 3], [2, 4]])), [[1], [2], [3], [4]])
    with pytest.raises(ValueError, match="arrays of doubles"):
        U.allcomb(np.array([1, 2]), np.array([3.0]))
    with pytest.raises(ValueError, match="0 or larger"):
        U.randp([1, -1], 3)
    with R.isolated(0), warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="All zero probabilities"):
            U.randp([0, 0], 3)
    with R.isolated(0):
        r = U.randp([1, 0, 3], 1, 4000)
    assert set(np.unique(r)) == {1.0, 3.0} and abs((r == 3).mean() - 0.75) < 0.03


def test_visualize_and_flips():
    X = np.arange(20.0).reshape(5, 4)  # 5 pixels: not square, returned as it is
    np.testing.assert_array_equal(U.visualize(X), X)
    with pytest.raises(ValueError, match="s1 \\* s2"):
        U.visualize(np.ones((6, 2)), None, 2, 2)
    np.testing.assert_array_equal(U.fliplrf(np.array([1.0, 2, 3])), [[1], [2], [3]])
    np.testing.assert_array_equal(U.flipudf(np.array([[1.0, 2], [3, 4]])), [[3, 4], [1, 2]])


def test_every_port_is_crosschecked_or_says_why():
    names = set(registry()) | set(NOT_CHECKED)
    ported = set(cae.__all__) - {n for n in cae.__all__ if n.endswith("_loop")}
    ported |= {"whiten", "im2patches", "patches2im", "visualize", "allcomb", "randp",
               "randcorr", "makeLMfilters", "fliplrf", "flipudf", "im2col", "fspecial",
               "normcdf", "cov", "histc", "chol"}
    assert ported <= names, ported - names


# --------------------------------------------------------------------------- live Octave


def _image_package() -> bool:
    return octave.available() and bool(
        octave.run("ok = ~isempty(pkg('list', 'image'));", {}, ["ok"])["ok"])


@pytest.mark.octave
def test_im2col_and_fspecial_equal_octaves_image_package():
    if not _image_package():
        pytest.skip("Octave's image package is not installed (Debian: octave-image)")
    rng = np.random.default_rng(5)
    for _ in range(6):
        A = rng.standard_normal(tuple(rng.integers(1, 7, int(rng.integers(2, 4)))))
        bs = rng.integers(1, 4, int(rng.integers(1, A.ndim + 1))).astype(float)
        for kind in ("distinct", "sliding"):
            if kind == "sliding" and (np.array(A.shape[:bs.size]) < bs).any():
                with pytest.raises(ValueError, match="larger than A"):
                    ops.im2col(A, bs, kind)
                continue
            ml = octave.run("pkg load image; B = im2col(A, bs, kind);",
                            {"A": A, "bs": bs.reshape(1, -1), "kind": kind}, ["B"])["B"]
            close(ops.im2col(A, bs, kind), ml, 0)
    for kind in ("gaussian", "log"):
        h, s = rng.integers(1, 12, 2).astype(float), float(rng.uniform(0.3, 3))
        ml = octave.run("pkg load image; f = fspecial(kind, h, s);",
                        {"kind": kind, "h": h.reshape(1, -1), "s": s}, ["f"])["f"]
        close(ops.fspecial(kind, h, s), ml)


@pytest.mark.octave
def test_util_on_fresh_inputs_equals_the_original():
    dlt = original_path("UFLDL_PY_DLT")
    rng = np.random.default_rng(6)
    X = rng.standard_normal((25, 3)) @ rng.standard_normal((3, 3))
    im = rng.standard_normal((10, 15))
    out = octave.run("w = whiten(X, 0.01); rand('state', 3); r = randp(P, 4, 6);"
                     "p = im2patches(im, 5, 5); v = visualize(im, [-2 2], 5, 2);",
                     {"X": X, "P": np.array([[0.5, 0, 2, 1]]), "im": im}, ["w", "r", "p", "v"],
                     path=[dlt / "util"])
    close(U.whiten(X, 0.01), out["w"])
    with R.isolated():
        R.rand("state", 3)
        close(U.randp([0.5, 0, 2, 1], 4, 6), out["r"], 0)
    close(U.im2patches(im, 5, 5), out["p"], 0)
    close(U.visualize(im, [-2, 2], 5, 2), out["v"], 0)
    assert shutil.which("octave-cli") or shutil.which("octave")
