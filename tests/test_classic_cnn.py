"""Convolution and pooling of the original UFLDL exercises (ufldl_py.ufldl_classic.cnn)
against the completed cnn_exercise run in Octave."""

import gzip
import shutil

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conftest import FIXTURES, original_path
from ufldl_py import data
from ufldl_py.matlab import io, octave
from ufldl_py.matlab.io import loadmat
from ufldl_py.ufldl_classic import cnn
from ufldl_py.ufldl_classic.stl import feedForwardAutoencoder

CLASSIC = FIXTURES / "classic"


def rel(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    return np.abs(a - b).max() / np.abs(b).max()


def args(g):
    return (int(g["patchDim"]), int(g["numFeatures"]), g["images"], g["W"], g["b"],
            g["ZCAWhite"], g["meanPatch"])


@pytest.mark.parametrize("case", ["small", "tutorial"])
def test_convolve_and_pool_equal_matlab(case):
    g = loadmat(CLASSIC / f"cnn_{case}.mat")
    conv = cnn.cnnConvolve(*args(g))
    assert rel(conv, g["convolved"]) < 1e-12
    assert rel(cnn.cnnConvolve_loop(*args(g)), g["convolved"]) < 1e-12
    for p in (2, 3):
        pooled = cnn.cnnPool(p, g["convolved"])
        assert rel(pooled, g[f"pooled{p}"].reshape(pooled.shape)) < 1e-12
        assert rel(cnn.cnnPool_loop(p, g["convolved"]), g[f"pooled{p}"]) < 1e-12


def test_convolution_check_of_the_exercise():
    """cnnExercise's STEP 2b: each convolved value is the autoencoder's hidden activation of
    the whitened patch there (feedForwardAutoencoder), to 1e-9."""
    g = loadmat(CLASSIC / "cnn_tutorial.mat")
    p, K, images, W, b, Z, meanPatch = args(g)
    conv = cnn.cnnConvolve(p, K, images, W, b, Z, meanPatch)
    v = W.shape[1]
    optTheta = np.concatenate([W.ravel(order="F"), np.zeros(v * K), np.ravel(b), np.zeros(v)])
    rng = np.random.default_rng(0)
    for _ in range(50):
        k, n = int(rng.integers(0, K)), int(rng.integers(0, images.shape[3]))
        r, c = rng.integers(0, images.shape[0] - p + 1, 2)
        patch = images[r:r + p, c:c + p, :, n].ravel(order="F")
        features = feedForwardAutoencoder(optTheta, K, v, Z @ (patch - np.ravel(meanPatch)))
        assert abs(features[k, 0] - conv[k, n, r, c]) < 1e-9


def test_pooling_check_of_the_exercise():
    """cnnExercise's STEP 2d: pool a 1 x 1 x 8 x 8 matrix reshape(1:64, 8, 8) by 4."""
    testMatrix = np.arange(1, 65, dtype=float).reshape(8, 8, order="F")
    expected = np.array([[testMatrix[:4, :4].mean(), testMatrix[:4, 4:].mean()],
                         [testMatrix[4:, :4].mean(), testMatrix[4:, 4:].mean()]])
    pooled = cnn.cnnPool(4, testMatrix.reshape(1, 1, 8, 8)).squeeze()
    np.testing.assert_array_equal(pooled, expected)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.integers(1, 4), st.integers(1, 6),
       st.integers(1, 4), st.integers(0, 2 ** 32 - 1))
def test_fast_forms_equal_loop_forms(p, channels, K, extra, pool, seed):
    rng = np.random.default_rng(seed)
    d = p + extra
    n = int(rng.integers(1, 20))
    v = p * p * channels
    a = (p, K, rng.random((d, d, channels, n)), rng.standard_normal((K, v)),
         rng.standard_normal(K), rng.standard_normal((v, v)) / v, rng.random(v))
    conv = cnn.cnnConvolve(*a)
    np.testing.assert_allclose(conv, cnn.cnnConvolve_loop(*a), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(cnn.cnnPool(pool, conv), cnn.cnnPool_loop(pool, conv),
                               rtol=1e-12, atol=0)


def test_bad_input_is_refused():
    g = loadmat(CLASSIC / "cnn_small.mat")
    p, K, images, W, b, Z, m = args(g)
    with pytest.raises(ValueError, match="W must be numFeatures x"):
        cnn.cnnConvolve(p, K, images, W[:, :-1], b, Z, m)
    with pytest.raises(ValueError, match="ZCAWhite must be 27 x 27"):
        cnn.cnnConvolve(p, K, images, W, b, Z[:-1], m)
    with pytest.raises(ValueError, match="images must be"):
        cnn.cnnConvolve(p, K, images[:2, :2], W, b, Z, m)
    with pytest.raises(ValueError, match="convolvedFeatures must be"):
        cnn.cnnPool(2, np.zeros((2, 3, 4, 5)))


def test_the_shipped_labelled_images():
    """cnn_exercise's shipped set: 400 training and 200 test images of each of four
    Fashion-MNIST classes, 28 x 28, the grey levels / 255 in all three channels, upright as
    in the IDX files, no image in both sets."""
    train, train_y = data.load_stl_subset("train")
    test, test_y = data.load_stl_subset("test")
    assert train.shape == (28, 28, 3, 1600) and test.shape == (28, 28, 3, 800)
    assert train.dtype == np.float64 and train.min() == 0.0 and train.max() == 1.0
    assert np.array_equal(np.bincount(train_y.astype(int)), [0, 400, 400, 400, 400])
    assert np.array_equal(np.bincount(test_y.astype(int)), [0, 200, 200, 200, 200])
    assert (train[:, :, 1:] == train[:, :, :1]).all() and (test[:, :, 1:] == test[:, :, :1]).all()
    raw = data.read_idx(data.STL_SUBSET / "train-images-idx3-ubyte.gz", data.IMAGES_MAGIC)
    np.testing.assert_array_equal(train[:, :, 0, 0], raw[0] / 255.0)
    fashion = data.read_idx(data.STL_SUBSET / "train-labels-idx1-ubyte.gz", data.LABELS_MAGIC)
    assert [int(fashion[train_y == k][0]) for k in (1, 2, 3, 4)] == list(data.FASHION_MNIST_LABELS)
    seen = {train[:, :, 0, i].tobytes() for i in range(1600)}
    assert not any(test[:, :, 0, i].tobytes() in seen for i in range(800))


def test_stl_subset_files_and_bad_input(tmp_path, monkeypatch):
    rng = np.random.default_rng(5)
    images, labels = rng.random((64, 64, 3, 5)), np.array([1, 2, 3, 4, 1.0])
    io.savemat(tmp_path / "stlTrainSubset.mat", {"trainImages": images, "trainLabels": labels})
    got, got_y = data.load_stl_subset("train", tmp_path / "stlTrainSubset.mat")
    np.testing.assert_array_equal(got, images)
    np.testing.assert_array_equal(got_y, labels)
    io.savemat(tmp_path / "bad.mat", {"testImages": images[:, :, 0], "testLabels": labels})
    with pytest.raises(ValueError, match="testImages must be imageDim x imageDim x 3 x n"):
        data.load_stl_subset("test", tmp_path / "bad.mat")
    with pytest.raises(FileNotFoundError, match="missing.mat"):
        data.load_stl_subset("train", tmp_path / "missing.mat")
    with pytest.raises(ValueError, match="which must be 'train' or 'test'"):
        data.load_stl_subset("validation")
    # a label of another Fashion-MNIST class in the shipped files is named
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        shutil.copy(data.STL_SUBSET / name, tmp_path / name)
    raw = bytearray(gzip.decompress((tmp_path / "t10k-labels-idx1-ubyte.gz").read_bytes()))
    raw[8] = 9
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(bytes(raw)))
    monkeypatch.setattr(data.images, "STL_SUBSET", tmp_path)
    with pytest.raises(ValueError, match=r"labels other than Fashion-MNIST's \(2, 4, 5, 7\): \[9\]"):
        data.load_stl_subset("test")


@pytest.mark.octave
def test_live_against_the_original():
    root = original_path("UFLDL_PY_CLASSIC")
    rng = np.random.default_rng(4)
    a = (2.0, 3.0, rng.random((6, 6, 3, 2)), rng.standard_normal((3, 12)),
         rng.standard_normal(3), rng.standard_normal((12, 12)), rng.random(12))
    out = octave.call("cnnConvolve", *a, path=root / "cnn_exercise")
    assert rel(cnn.cnnConvolve(*a), out) < 1e-12
    pooled = octave.call("cnnPool", 2.0, out, path=root / "cnn_exercise")
    assert rel(cnn.cnnPool(2, out), pooled) < 1e-12
