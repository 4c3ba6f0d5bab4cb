"""ufldl_py.matlab.random against Octave's streams: stored fixtures and live Octave."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from conftest import FIXTURES
from ufldl_py.matlab import octave
from ufldl_py.matlab import random as R
from ufldl_py.matlab.io import loadmat


def python_scenarios() -> dict:
    """The scenarios of tests/fixtures/make_random.py, through ufldl_py.matlab.random."""
    s = {}
    R.rand("state", 0); s["s1_a"] = R.rand(3, 4); s["s1_b"] = R.rand(1, 5)
    R.randn("state", 0); s["s2_a"] = R.randn(2, 3, 2); s["s2_b"] = R.randn(1000, 1)
    R.rand("state", 1); R.randn("state", 2); s["s3_a"] = R.rand(2); s["s3_b"] = R.randn(1, 3)
    s["s3_c"] = R.rand(1, 2); s["s3_d"] = R.randperm(9); s["s3_e"] = R.randn(2, 1)
    R.rand("state", [1, 2, 3, 4]); s["s4_a"] = R.rand(1, 3)
    R.rand("state", 42); s["s5_a"] = R.randperm(50); s["s5_b"] = R.randperm(1000, 10)
    s["s5_c"] = R.randi(6, 2, 5); s["s5_d"] = R.randi([-5, 5], 1, 7)
    R.randn("state", 123); s["s6_a"] = R.randn(50000, 1)
    R.rand("state", 2.0 ** 33); s["s7_a"] = R.rand(1, 2)
    R.rand("state", -3); s["s7_b"] = R.rand(1, 2)
    R.rand("state", 2.5); s["s7_c"] = R.rand(1, 2)
    R.rand("state", 9); s["s8_state"] = R.rand("state"); s["s8_a"] = R.rand(1, 4)
    R.rand("seed", 42); s["s9_a"] = R.rand(1, 5); s["s9_b"] = R.randperm(6); R.rand("state", 0)
    R.rng(7); s["s10_a"] = R.rand(1, 2); s["s10_b"] = R.randn(1, 2)
    R.rng("default"); s["s11_a"] = R.rand(1, 3)
    return s


def assert_bitwise(got, expected, name):
    got = np.asarray(got)
    expected = np.asarray(expected)
    if expected.ndim == 0:  # Octave's 1 x 1 comes back as a float
        expected = expected.reshape(1, 1)
    assert got.shape == expected.shape, f"{name}: shape {got.shape} != {expected.shape}"
    assert got.tobytes() == expected.astype(got.dtype).tobytes(), f"{name} differs"


def test_streams_equal_octave_fixture():
    golden = loadmat(FIXTURES / "random" / "streams.mat")
    with R.isolated():
        mine = python_scenarios()
    assert set(mine) == {k for k in golden if k != "octave_version"}
    for name, value in mine.items():
        assert_bitwise(value, golden[name], name)


def test_call_forms_and_shapes():
    with R.isolated(0):
        assert isinstance(R.rand(), float)
        assert R.rand(3).shape == (3, 3)
        assert R.rand(2, 3, 4).shape == (2, 3, 4)
        assert R.rand([2, 5]).shape == (2, 5)
        assert R.rand(2, 3, 1, 1).shape == (2, 3)
        assert R.rand(0, 3).shape == (0, 3)
        assert R.rand(-1).shape == (0, 0)
        assert R.randn(4, 1).shape == (4, 1)
        assert R.randi(5, 3).shape == (3, 3)
        assert R.randperm(7).shape == (1, 7)
        assert R.rand("state").shape == (625, 1) and R.rand("state").dtype == np.uint32
    with pytest.raises(ValueError, match="dimensions must be finite integers"):
        R.rand(2.5)
    with pytest.raises(ValueError, match="M must be less than or equal to N"):
        R.randperm(3, 4)
    with pytest.raises(ValueError, match="require IMAX >= 1"):
        R.randi(0)
    with pytest.raises(ValueError, match="integer bounds"):
        R.randi(2.5)
    with pytest.raises(ValueError, match="unrecognized string"):
        R.rand("nonsense", 1)


def test_fill_order_is_column_major():
    with R.isolated():
        R.rand("state", 3)
        flat = R.rand(1, 24)
        R.rand("state", 3)
        cube = R.rand(2, 3, 4)
    np.testing.assert_array_equal(cube, flat.reshape(2, 3, 4, order="F"))


def test_state_round_trip_and_isolation():
    with R.isolated(5):
        saved = R.rand("state")
        a = R.rand(1, 3)
        R.rand("state", saved)
        np.testing.assert_array_equal(R.rand(1, 3), a)
    R.rand("state", 11)
    before = R.rand("state").copy()
    with R.isolated(1):
        R.rand(10)
        R.randn(10)
    np.testing.assert_array_equal(R.rand("state"), before)


def test_rand_and_randn_are_separate_streams():
    with R.isolated():
        R.rand("state", 0); R.randn("state", 0)
        a = R.rand(1, 3)
        R.rand("state", 0); R.randn("state", 0)
        R.randn(5, 5)
        np.testing.assert_array_equal(R.rand(1, 3), a)


def test_randn_after_seed_is_refused():
    with R.isolated():
        R.rand("seed", 1)
        with pytest.raises(NotImplementedError, match="RANLIB"):
            R.randn(2)
        with pytest.raises(NotImplementedError, match="RANLIB"):
            R.randn("seed", 1)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60), st.integers(0, 59))
def test_randperm_is_a_permutation(n, m_raw):
    m = min(m_raw, n)
    with R.isolated(n):
        p = R.randperm(n, m).ravel()
    assert len(set(p)) == m and all(1 <= v <= n for v in p) and (p == np.round(p)).all()


@pytest.mark.octave
@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.lists(st.sampled_from(
    ["rand(2,3)", "randn(4,1)", "randn(1,700)", "randperm(17)", "randperm(300,7)",
     "randi(9,1,5)", "randi([-2 3],2)", "rand(1)", "rand(5,1,2)"]), min_size=1, max_size=6))
def test_interleaved_calls_equal_live_octave(seed, calls):
    code = f"rand('state', {seed}); randn('state', {seed + 1});\n"
    code += "\n".join(f"v{i} = {c};" for i, c in enumerate(calls))
    expected = octave.run(code, outputs=[f"v{i}" for i in range(len(calls))])
    with R.isolated():
        R.rand("state", seed)
        R.randn("state", seed + 1)
        for i, c in enumerate(calls):
            got = eval(c.replace("[-2 3]", "[-2, 3]"), {}, vars(R))  # noqa: S307 (our own strings)
            assert_bitwise(got, expected[f"v{i}"], f"{c} (call {i + 1}, seed {seed})")


@pytest.mark.octave
@pytest.mark.parametrize("seed", [0, 1, 7, 2 ** 31, np.array([5.0, 6.0, 7.0]), "saved"])
def test_seeding_forms_equal_live_octave(seed):
    with R.isolated():
        if isinstance(seed, str):
            R.rand("state", 3)
            R.rand(1, 10)
            seed = R.rand("state")
        code = "rand('state', s); randn('state', s); a = rand(1, 5); b = randn(1, 5);"
        expected = octave.run(code, {"s": seed}, ["a", "b"])
        R.rand("state", seed)
        R.randn("state", seed)
        assert_bitwise(R.rand(1, 5), expected["a"], "rand")
        assert_bitwise(R.randn(1, 5), expected["b"], "randn")


@pytest.mark.octave
def test_long_normal_stream_equals_live_octave():
    """Enough draws that the ziggurat's tail and wedge paths occur many times."""
    expected = octave.run("randn('state', 2024); x = randn(200000, 1);", outputs=["x"])["x"]
    with R.isolated():
        R.randn("state", 2024)
        assert_bitwise(R.randn(200000, 1), expected, "randn(200000, 1)")
