"""Self-taught learning of the original UFLDL exercises (ufldl_py.ufldl_classic.stl)."""

import numpy as np
import pytest

from conftest import FIXTURES, original_path
from ufldl_py.matlab import octave
from ufldl_py.matlab.io import loadmat
from ufldl_py.ufldl_classic import stl

CLASSIC = FIXTURES / "classic"


def rel(a, b):
    a = np.asarray(a, dtype=float).ravel()
    b = np.asarray(b, dtype=float).ravel()
    return np.abs(a - b).max() / np.abs(b).max()


def test_feedForwardAutoencoder_equals_matlab():
    g = loadmat(CLASSIC / "stl_feedforward.mat")
    a = stl.feedForwardAutoencoder(g["theta"], 12, 784, g["data"])
    assert a.shape == (12, 30) and rel(a, g["activation"]) < 1e-12


def test_bad_input_is_refused():
    g = loadmat(CLASSIC / "stl_feedforward.mat")
    with pytest.raises(ValueError, match="data must be visibleSize x m"):
        stl.feedForwardAutoencoder(g["theta"], 12, 784, g["data"][:-1])
    with pytest.raises(ValueError, match="theta must have"):
        stl.feedForwardAutoencoder(g["theta"], 13, 784, g["data"])


@pytest.mark.octave
def test_live_against_the_original():
    root = original_path("UFLDL_PY_CLASSIC")
    rng = np.random.default_rng(2)
    theta, X = rng.standard_normal(2 * 9 * 4 + 13), rng.random((9, 17))
    a = octave.call("feedForwardAutoencoder", theta, 4.0, 9.0, X, path=root / "common")
    assert rel(stl.feedForwardAutoencoder(theta, 4, 9, X), a) < 1e-12
