"""ufldl_py.matlab.ops: MATLAB's primitives, against loop forms and Octave's builtins."""

import zlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

from ufldl_py import crosscheck
from ufldl_py.matlab import ops


def conv2_loop(A, B, shape):
    """conv2 by its definition: C(i, j) = sum A(p, q) B(i - p, j - q), then MATLAB's crop."""
    A, B = np.atleast_2d(A), np.atleast_2d(B)
    (ma, na), (mb, nb) = A.shape, B.shape
    full = np.zeros((max(ma + mb - 1, 0), max(na + nb - 1, 0)))
    for p in range(ma):
        for q in range(na):
            for r in range(mb):
                for s in range(nb):
                    full[p + r, q + s] += A[p, q] * B[r, s]
    if shape == "full":
        return full
    if shape == "same":
        return full[mb // 2:mb // 2 + ma, nb // 2:nb // 2 + na] if full.size else np.zeros((ma, na))
    return full[mb - 1:ma, nb - 1:na] if ma >= mb and na >= nb else \
        np.zeros((max(ma - mb + 1, 0), max(na - nb + 1, 0)))


small = hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6),
                   elements=st.floats(-10, 10))


@settings(max_examples=150, deadline=None)
@given(small, small, st.sampled_from(ops.SHAPES))
def test_conv2_equals_its_definition(A, B, shape):
    got = ops.conv2(A, B, shape)
    expected = conv2_loop(A, B, shape)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12 * max(1, np.abs(expected).max(initial=0)))


@settings(max_examples=60, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=3, max_dims=3, min_side=1, max_side=5),
                  elements=st.floats(-3, 3)),
       hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=3, min_side=1, max_side=3),
                  elements=st.floats(-3, 3)))
def test_convn_is_conv2_per_slice_for_2d_kernels_and_sums_for_3d(A, K):
    valid = ops.convn(A, K, "valid")
    if K.ndim == 2:  # DLT's batch convolution: each image on its own
        for i in range(A.shape[2]):
            expected = conv2_loop(A[:, :, i], K, "valid")
            if expected.size:
                np.testing.assert_allclose(valid.reshape(expected.shape + (-1,))[:, :, i] if valid.ndim == 3 else valid, expected, rtol=1e-12, atol=1e-12)
    else:  # a 3-D kernel: the sum over the third dimension's overlaps
        full = ops.convn(A, K, "full")
        assert full.shape[:2] == (A.shape[0] + K.shape[0] - 1, A.shape[1] + K.shape[1] - 1)


def test_batch_convolution_makes_one_operation_per_kernel_element():
    rng = np.random.default_rng(0)
    images, k = rng.random((28, 28, 256)), rng.random((5, 5))
    out = ops.convn(images, k, "valid")
    assert out.shape == (24, 24, 256)
    np.testing.assert_allclose(out[:, :, 100], conv2_loop(images[:, :, 100], k, "valid"), rtol=1e-12)


def test_matlab_shapes_of_degenerate_cases():
    assert ops.conv2(np.ones((2, 2)), np.ones((3, 3)), "valid").shape == (0, 0)
    assert ops.conv2(np.ones((5, 2)), np.ones((3, 3)), "valid").shape == (3, 0)
    assert ops.conv2(np.ones((2, 2)), np.ones((3, 3)), "same").shape == (2, 2)
    assert ops.convn(np.ones((4, 4, 3)), np.ones((2, 2, 3)), "valid").shape == (3, 3)
    assert ops.convn(np.ones((4, 4, 3)), np.ones((2, 2)), "valid").shape == (3, 3, 3)
    # 'same' with an even kernel starts at floor(size(B)/2), as MATLAB does
    A, B = np.arange(30.0).reshape(5, 6, order="F"), np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(ops.conv2(A, B, "same"), ops.conv2(A, B, "full")[1:6, 1:7])
    with pytest.raises(ValueError, match="SHAPE type not valid"):
        ops.conv2(A, B, "middle")
    with pytest.raises(ValueError, match="2-D matrices"):
        ops.conv2(np.ones((2, 2, 2)), B)


def test_rotations_and_flips():
    A = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ops.rot90(A), [[2, 5], [1, 4], [0, 3]])  # counterclockwise
    np.testing.assert_array_equal(ops.rot90(A, 2), A[::-1, ::-1])
    np.testing.assert_array_equal(ops.rot90(A, -1), ops.rot90(A, 3))
    np.testing.assert_array_equal(ops.flip(A, 1), A[::-1])
    np.testing.assert_array_equal(ops.flip(A), A[::-1])  # first non-singleton dimension
    np.testing.assert_array_equal(ops.flip(np.ones((1, 3)) * [1, 2, 3]), [[3, 2, 1]])
    np.testing.assert_array_equal(ops.flip(A, 3), A)
    np.testing.assert_array_equal(ops.fliplr(A), A[:, ::-1])
    np.testing.assert_array_equal(ops.flipud(A), A[::-1])
    X = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(ops.flipall(X), X[::-1, ::-1, ::-1])
    np.testing.assert_array_equal(ops.rot180(X), X[::-1, ::-1, :])
    with pytest.raises(ValueError, match="positive integer"):
        ops.flip(A, 0)


def test_kron_expand_repmat():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(ops.kron(A, np.ones((2, 2))), ops.expand(A, [2, 2]))
    B = ops.expand(A, [6, 5])  # expand.m's own example: a 12 x 10 array
    assert B.shape == (12, 10) and (B[:6, :5] == 1).all() and (B[6:, 5:] == 4).all()
    with pytest.raises(ValueError, match="Length of size vector must equal ndims"):
        ops.expand(A, [2, 2, 2])
    with pytest.raises(ValueError, match="integers only"):
        ops.expand(A, [2, 1.5])
    assert ops.repmat(A, 2).shape == (4, 4)
    assert ops.repmat(A, 1, 3).shape == (2, 6)
    assert ops.repmat(A, [1, 1, 3]).shape == (2, 2, 3)
    assert ops.repmat(A, [2, 1, 1]).shape == (4, 2)


def test_onehot_is_full_sparse():
    Y = ops.onehot([2, 1, 3, 2])
    np.testing.assert_array_equal(Y, [[0, 1, 0, 0], [1, 0, 0, 1], [0, 0, 1, 0]])
    assert ops.onehot([1, 1], 4).shape == (4, 2)
    for bad in ([0, 1], [1.5], [np.nan]):
        with pytest.raises(ValueError, match="positive integers"):
            ops.onehot(bad)
    with pytest.raises(ValueError, match="exceeds numClasses"):
        ops.onehot([5], 4)


def test_column_major_unroll_and_reshape():
    A = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ops.unroll(A), [0, 3, 1, 4, 2, 5])
    v = np.arange(24.0)
    R = ops.reshape(v, 2, None, 4)
    assert R.shape == (2, 3, 4) and R[1, 0, 0] == 1 and R[0, 1, 0] == 2
    np.testing.assert_array_equal(ops.reshape(ops.unroll(R), [2, 3, 4]), R)
    with pytest.raises(ValueError, match="can't reshape"):
        ops.reshape(v, 5, 5)
    with pytest.raises(ValueError, match="not divisible"):
        ops.reshape(v, 5, None)


BUILTIN_CHECKS = [c for c in crosscheck.registry().values()
                  if c.where == "builtin" and c.python.__module__ == "ufldl_py.matlab.ops"]


@pytest.mark.octave
@pytest.mark.parametrize("check", BUILTIN_CHECKS, ids=lambda c: c.name)
def test_primitive_equals_octave_builtin(check):
    """Each primitive against Octave's own function on random shapes and values."""
    rng = np.random.default_rng(zlib.crc32(check.name.encode()))  # the same on every run
    for _ in range(12):
        rows = crosscheck.run_check(check, rng=rng)
        bad = [r for r in rows if not r.ok]
        assert not bad, bad


def _shift_and_add(A, B):
    """convn(A, B, 'valid') as the readable loop: the flipped kernel's shifted, scaled copies
    of A added one after another from 0 (the order whose bits convn keeps)."""
    Bf = B[(slice(None, None, -1),) * B.ndim]
    out_shape = tuple(a - b + 1 for a, b in zip(A.shape, B.shape))
    out = np.zeros(out_shape)
    for idx in np.ndindex(Bf.shape):
        out += Bf[idx] * A[tuple(slice(i, i + o) for i, o in zip(idx, out_shape))]
    return out


def test_convolution_keeps_the_bits_of_the_shift_and_add_loop():
    """The one-pass form (all products, one reduction) gives the loop's bits, signed zeros
    included, for 1- to 3-D inputs, strided ones too; 'same' is bit for bit the central part
    of 'full'."""
    rng = np.random.default_rng(25)
    for t in range(300):
        nd = int(rng.integers(1, 4))
        a = rng.integers(1, 14, nd)
        b = np.minimum(rng.integers(1, 7, nd), a)
        A, B = rng.standard_normal(a), rng.standard_normal(b)
        if t % 5 == 0:
            A[...] = -0.0
        if t % 7 == 0:
            A = A[::-1]
        if np.prod(a - b + 1) < B.size:
            continue  # the dot products' form (BLAS's order)
        got = ops.convn(A, B, "valid")
        want = _shift_and_add(A, B)
        assert got.tobytes() == want.reshape(got.shape).tobytes(), (a, b)
        if nd == 2:
            assert ops.conv2(A, B, "valid").tobytes() == got.tobytes()
            full = ops.conv2(A, B, "full")
            r, c = b // 2
            same = ops.conv2(A, B, "same")
            assert same.tobytes() == np.ascontiguousarray(
                full[r:r + a[0], c:c + a[1]]).tobytes(), (a, b)


def test_repmat_of_a_matrix_by_two_counts_is_the_general_form():
    A = np.arange(6.0).reshape(2, 3)
    for m, n in ((2, 3), (1, 1), (0, 2), (-1, 2)):
        np.testing.assert_array_equal(ops.repmat(A, m, n), ops.repmat(A, [m, n]))
        assert ops.repmat(A, m, n).shape == (2 * max(m, 0), 3 * max(n, 0))


_values = st.one_of(st.floats(-1e3, 1e3),  # zeros of both signs, Inf and NaN often
                    st.sampled_from([0.0, -0.0, -0.0, 1.0, -2.0, np.inf, -np.inf, np.nan]))


@settings(max_examples=400, deadline=None)
@given(st.data(), st.sampled_from(["conv2", "convn"]), st.sampled_from(ops.SHAPES))
def test_gathered_form_keeps_the_bits_of_the_shifted_one(data, fn, shape):
    """Small convolutions gather A's elements by a cached index: the bits of the shifted
    copies' form (and of its dot products), for 1 x N, N x 1, kernels larger than A, even
    sizes, empty arrays, signed zeros, Inf and NaN, in all three shapes."""
    nd = 2 if fn == "conv2" else data.draw(st.integers(1, 3))
    sides = hnp.array_shapes(min_dims=nd, max_dims=nd, min_side=0, max_side=9 if nd < 3 else 5)
    A = data.draw(hnp.arrays(np.float64, sides, elements=_values))
    B = data.draw(hnp.arrays(np.float64, sides, elements=_values))
    with np.errstate(all="ignore"):  # Inf - Inf, 0 * Inf: NaN (the same in both forms)
        got = getattr(ops, fn)(A, B, shape)
        A2, B2 = ops._matlab_dims(A), ops._matlab_dims(B)
        want = ops._convolve_shifted(A2, B2, shape)
    assert got.shape == ops._drop_trailing_ones(want.shape)
    assert got.tobytes() == np.ascontiguousarray(want).tobytes()


def test_the_gathered_form_takes_the_small_convolutions():
    """The sizes of a student's loop (benchmarks/bench_ops.py) take the gathered form; the
    dot products' form keeps its cases."""
    for a, b, shape in (((8, 8), (3, 3), "full"), ((8, 8), (5, 5), "same"),
                        ((8, 8), (3, 3), "valid"), ((28, 28), (5, 5), "valid")):
        assert ops._gather_index(a, b, shape) is not None
    assert ops._gather_index((8, 8), (5, 5), "valid") is None  # 16 outputs, 25 elements
    assert ops._gather_index((28, 28), (8, 8), "full") is None  # 78,400 products
    assert ops._gather_index((0, 3), (2, 2), "full") is None
