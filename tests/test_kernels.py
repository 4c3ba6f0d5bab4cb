"""The fast forms' machinery (ufldl_py.kernels): threads, pooling deltas, cached arrays."""

import copy
import os
import pickle
import platform
import subprocess
import sys
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_info, threadpool_limits

from ufldl_py import kernels
from ufldl_py.matlab.ops import expand


def _blas_threads() -> list[int]:
    return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]


@pytest.mark.parametrize("threads", ["1", "2", "3"])
@pytest.mark.parametrize("count", [0, 1, 7])
def test_map_blocks_returns_the_results_in_input_order(monkeypatch, threads, count):
    monkeypatch.setenv("UFLDL_PY_THREADS", threads)
    assert kernels.map_blocks(lambda i: i * i, range(count)) == [i * i for i in range(count)]


def test_a_bad_thread_count_is_one_line_naming_the_variable(monkeypatch):
    monkeypatch.setenv("UFLDL_PY_THREADS", "0")
    with pytest.raises(ValueError, match="^UFLDL_PY_THREADS='0': expected a whole number"):
        kernels.map_blocks(abs, [1, 2])


@pytest.mark.parametrize("limit", [None, 1, 2])
def test_the_callers_blas_limit_is_left_as_it_was(monkeypatch, limit):
    """A deterministic path, nested or not, hands back whatever BLAS limit the caller had
    set."""
    monkeypatch.setenv("UFLDL_PY_THREADS", "2")
    with threadpool_limits(limits=limit, user_api="blas"):
        before = _blas_threads()

        @kernels.deterministic
        def port(x):
            return kernels.map_blocks(lambda i: i + x, range(4))

        assert port(1) == [1, 2, 3, 4]
        assert kernels.map_blocks(port, [10, 20]) == [[10, 11, 12, 13], [20, 21, 22, 23]]
        assert _blas_threads() == before


def test_map_blocks_inside_a_block_runs_in_its_thread():
    def inner(i):
        return threading.current_thread().name

    outer = kernels.map_blocks(lambda i: kernels.map_blocks(inner, range(3)), range(2))
    assert all(len(set(names)) == 1 for names in outer)


class _Counter:
    """A sequential fill: each call writes the next values of 0, 1, 2, ... and notes the
    thread it ran on."""

    def __init__(self, fail_at: int | None = None):
        self.next, self.calls, self.threads, self.fail_at = 0, 0, set(), fail_at

    def __call__(self, rows: np.ndarray) -> None:
        self.calls += 1
        self.threads.add(threading.current_thread().name)
        if self.calls == self.fail_at:
            raise RuntimeError("fill failed")
        rows.reshape(-1)[:] = np.arange(self.next, self.next + rows.size)
        self.next += rows.size


@pytest.mark.parametrize("threads", ["1", "2", "3"])
@given(count=st.integers(0, 9), n=st.integers(1, 4), block=st.integers(0, 5))
@settings(max_examples=30, deadline=None)
def test_filled_ahead_yields_the_sequential_fill(threads, count, n, block):
    """The rows are the values of one sequential fill, in order, at any thread count and
    block size; each row is seen before the generator moves on."""
    fill = _Counter()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UFLDL_PY_THREADS", threads)
        rows = [row.copy() for row in kernels.filled_ahead(fill, count, n, block)]
    assert np.array_equal(np.reshape(rows, (count, n)),
                          np.arange(count * n, dtype=float).reshape(count, n))
    assert fill.calls == len(kernels.blocks(count, max(block, 1)))


def test_filled_ahead_fills_on_another_thread_with_two_workers(monkeypatch):
    monkeypatch.setenv("UFLDL_PY_THREADS", "2")
    fill = _Counter()
    assert len(list(kernels.filled_ahead(fill, 6, 2, 2))) == 6
    assert threading.main_thread().name not in fill.threads
    monkeypatch.setenv("UFLDL_PY_THREADS", "1")
    fill = _Counter()
    assert len(list(kernels.filled_ahead(fill, 6, 2, 2))) == 6
    assert fill.threads == {threading.main_thread().name}


@pytest.mark.parametrize("threads", ["1", "2"])
def test_filled_ahead_stops_filling_when_closed_and_passes_on_errors(monkeypatch, threads):
    """Closed after its first row, the generator has filled at most the block ahead, and
    fills nothing afterwards; a failed fill is raised to the caller."""
    monkeypatch.setenv("UFLDL_PY_THREADS", threads)
    fill = _Counter()
    rows = kernels.filled_ahead(fill, 20, 3, 2)
    next(rows)
    rows.close()
    calls = fill.calls
    assert calls <= 2
    threading.Event().wait(0.05)
    assert fill.calls == calls
    with pytest.raises(RuntimeError, match="fill failed"):
        list(kernels.filled_ahead(_Counter(fail_at=2), 20, 3, 2))


def test_blocks_are_cut_by_size():
    assert kernels.blocks(7, 3) == [slice(0, 3), slice(3, 6), slice(6, 7)]
    assert kernels.blocks(3, 64) == [slice(0, 3)]


@pytest.mark.parametrize("s", [1, 2, 3])
def test_sigmoid_delta_unpooled_is_cnnbps_expression(s):
    """a .* (1 - a) .* (expand(d, [s s 1]) / s^2), map by map."""
    rng = np.random.default_rng(s)
    a = rng.random((3, 2 * s, 3 * s, 4))
    d = rng.standard_normal((3, 2, 3, 4))
    ref = np.array([a[j] * (1 - a[j]) * (expand(d[j], [s, s, 1]) / s ** 2) for j in range(3)])
    np.testing.assert_array_equal(kernels.sigmoid_delta_unpooled(a, d, s), ref)


def test_map_views_are_read_only_views_that_know_when_replaced():
    A = np.random.default_rng(0).random((2, 6, 6, 3))
    maps = kernels.MapViews(A)
    assert maps.stacked is A and maps.unchanged() and np.shares_memory(maps[1], A)
    with pytest.raises(ValueError, match="read-only"):
        maps[0][:] *= 0.5
    P = maps.patches(3, slice(1, 3))
    np.testing.assert_array_equal(P, kernels.im2col(A[..., 1:3], 3))
    assert maps.patches(3, slice(1, 3)) is P  # kept
    maps[1] = maps[1] * 0.5
    assert not maps.unchanged()
    for twin in (copy.deepcopy(maps), pickle.loads(pickle.dumps(maps))):
        assert type(twin) is list and twin[0].flags.writeable


def test_kernel_views_know_when_replaced():
    K = np.arange(2 * 3 * 2 * 2, dtype=float).reshape(2, 3, 2, 2)
    k = kernels.KernelViews(K)
    assert len(k) == 2 and len(k[0]) == 3 and np.shares_memory(k[1][2], K)
    assert k.unchanged()
    k[0][1] = np.zeros((2, 2))
    assert not k.unchanged()
    assert type(pickle.loads(pickle.dumps(k))) is list


def test_scratch_is_kept_per_thread_and_bounded(monkeypatch):
    a = kernels.scratch("test_a", 100)
    assert a.shape == (100,) and a.dtype == np.float64
    assert np.shares_memory(kernels.scratch("test_a", 50), a)  # the same memory again
    assert not np.shares_memory(kernels.scratch("test_b", 100), a)  # another key
    other = []
    t = threading.Thread(target=lambda: other.append(kernels.scratch("test_a", 100)))
    t.start()
    t.join()
    assert not np.shares_memory(other[0], a)  # another thread
    monkeypatch.setattr(kernels.buffers, "SCRATCH_BYTES", 8 * 1000)
    big = kernels.scratch("test_big", 2000)  # over the bound: made anew every time
    assert big.shape == (2000,) and not np.shares_memory(kernels.scratch("test_big", 2000), big)


def test_gemm_into_writes_in_place():
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((7, 5)), rng.standard_normal((5, 3))
    c = np.asfortranarray(rng.standard_normal((7, 3)))
    expected = 0.5 * a @ b + 2.0 * c
    assert kernels.gemm_into(c, 0.5, a, b, 2.0) is c
    np.testing.assert_allclose(c, expected, rtol=1e-14)
    c_order = rng.standard_normal((7, 3))  # not Fortran-ordered: the result copied in
    expected = 0.5 * a @ b + 2.0 * c_order
    kernels.gemm_into(c_order, 0.5, a, b, 2.0)
    np.testing.assert_allclose(c_order, expected, rtol=1e-14)
    before = c.copy()
    for bad_a, bad_b in ((a, b.T), (a.T, b), (a[:, :4], b)):
        with pytest.raises(ValueError, match="does not fit"):
            kernels.gemm_into(c, 1.0, bad_a, bad_b, 0.0)
    np.testing.assert_array_equal(c, before)  # nothing written


@settings(max_examples=40, deadline=None)
@given(m=st.integers(1, 30), n=st.integers(1, 8), k=st.integers(0, 3 * 4096 + 5),
       seed=st.integers(0, 2 ** 16))
def test_product_nt_sums_its_parts_in_order(m, n, k, seed):
    """product_nt is A @ B.T, its inner dimension summed in parts of INNER_CHUNK, in order:
    the same bits as that loop, and A @ B.T's bits where one part holds it all."""
    from ufldl_py.kernels.buffers import INNER_CHUNK

    rng = np.random.default_rng(seed)
    A, B = rng.standard_normal((m, k)), rng.standard_normal((n, k))
    got = kernels.product_nt(A, B)
    expected = A[:, :INNER_CHUNK] @ B[:, :INNER_CHUNK].T
    for s in range(INNER_CHUNK, k, INNER_CHUNK):
        expected = expected + A[:, s:s + INNER_CHUNK] @ B[:, s:s + INNER_CHUNK].T
    np.testing.assert_array_equal(got, expected)
    if k <= INNER_CHUNK:
        np.testing.assert_array_equal(got, A @ B.T)
    np.testing.assert_allclose(got, A @ B.T, rtol=1e-12, atol=1e-12 * max(k, 1))


def test_product_nt_says_when_the_shapes_do_not_fit():
    with pytest.raises(ValueError, match="does not fit"):
        kernels.product_nt(np.ones((2, 3)), np.ones((2, 4)))


STEPS_SCRIPT = """
import resource
import numpy as np
from ufldl_py.dlt import cnn
from ufldl_py.matlab import random as R
layers = [{"type": "i"}, {"type": "c", "outputmaps": 6, "kernelsize": 5},
          {"type": "s", "scale": 2}, {"type": "c", "outputmaps": 12, "kernelsize": 5},
          {"type": "s", "scale": 2}]
rng = np.random.default_rng(0)
x, y = rng.random((28, 28, 50)), np.eye(10)[:, rng.integers(0, 10, 50)]
with R.isolated(0):
    net = cnn.cnnsetup({"layers": layers}, x, y)
for i in range(13):
    if i == 3:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    net = cnn.cnnapplygrads(cnn.cnnbp(cnn.cnnff(net, x), y), {"alpha": 1.0})
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's malloc thresholds")
def test_training_steps_reuse_their_memory():
    """A DeepLearnToolbox CNN step on a batch of 50 in a plain process: after the kernels'
    warm_allocator, the step's arrays come back from the heap, not fresh pages (without it,
    some 2,400 page faults a step)."""
    out = subprocess.run([sys.executable, "-c", STEPS_SCRIPT], capture_output=True, text=True,
                         check=True, env={**os.environ, "UFLDL_PY_THREADS": "1"})
    assert float(out.stdout) < 100
