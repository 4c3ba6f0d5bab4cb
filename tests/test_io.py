"""ufldl_py.matlab.io: .mat round trips keep every value, shape and class."""

import numpy as np
import pytest
import scipy.io
import scipy.sparse
from hypothesis import given, settings
from hypothesis.extra import numpy as hnp

from ufldl_py.matlab import octave
from ufldl_py.matlab.io import Cell, StructArray, loadmat, savemat


def assert_same(a, b, where="value"):
    """Exact equality of two loaded values: types, shapes, dtypes and contents."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, dict):
        assert list(a) == list(b), f"{where}: fields {list(a)} != {list(b)}"
        for k in a:
            assert_same(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, (Cell, StructArray)):
        assert a.shape == b.shape, f"{where}: shape {a.shape} != {b.shape}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_same(x, y, f"{where}{{{i + 1}}}")
    elif isinstance(a, np.ndarray):
        assert a.shape == b.shape and a.dtype == b.dtype, \
            f"{where}: {a.shape} {a.dtype} != {b.shape} {b.dtype}"
        np.testing.assert_array_equal(a, b, err_msg=where)
    elif scipy.sparse.issparse(a):
        assert (a != b).nnz == 0 and a.shape == b.shape, where
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def dlt_like_net(rng):
    return {
        "layers": Cell([
            {"type": "i"},
            {"type": "c", "outputmaps": 2.0, "kernelsize": 3.0,
             "k": [[rng.random((3, 3)), rng.random((3, 3))]], "b": [0.0, 0.5],
             "a": [rng.random((4, 4, 5)), rng.random((4, 4, 5))]},
            {"type": "s", "scale": 2.0},
        ], shape=(3, 1)),
        "ffW": rng.random((10, 8)),
        "ffb": rng.random((10, 1)),
        "rL": np.zeros((0, 0)),
    }


SAMPLE = {
    "scalar": 3.5,
    "flag": True,
    "row": np.arange(4.0).reshape(1, 4),
    "col": np.arange(3.0).reshape(3, 1),
    "cube": np.arange(24.0).reshape(2, 3, 4, order="F"),
    "u8": np.arange(6, dtype=np.uint8).reshape(2, 3),
    "i32": np.array([[-5, 7]], dtype=np.int32),
    "single": np.ones((2, 2), dtype=np.float32),
    "mask": np.array([[True, False, True]]),
    "cplx": np.array([[1 + 2j, 3 - 1j]]),
    "text": "cnnCost",
    "empty": np.zeros((0, 0)),
    "empty03": np.zeros((0, 3)),
    "cell": Cell([1.0, "ab", Cell([np.ones((2, 1))], (1, 1))], (3, 1)),
    "cell22": Cell([1.0, 2.0, "c", "d"], (2, 2)),
    "emptycell": Cell([]),
    "structarr": StructArray([{"a": 1.0}, {"a": "x"}], (1, 2)),
    "sp": scipy.sparse.csc_matrix(np.array([[0.0, 1.5], [2.0, 0.0]])),
}


def test_python_roundtrip_keeps_everything(tmp_path):
    net = dlt_like_net(np.random.default_rng(0))
    data = dict(SAMPLE, net=net)
    savemat(tmp_path / "a.mat", data)
    back = loadmat(tmp_path / "a.mat")
    expected = loadmat(tmp_path / "a.mat")
    assert_same(back, expected)
    for key in SAMPLE:
        assert_same(back[key], SAMPLE[key], key)
    # the net: plain lists became cells, which load as Cell
    assert back["net"]["layers"].shape == (3, 1)
    k = back["net"]["layers"][1]["k"]
    assert isinstance(k, Cell) and k.shape == (1, 1) and k[0].shape == (1, 2)
    np.testing.assert_array_equal(k[0][1], net["layers"][1]["k"][0][1])


def test_save_conventions(tmp_path):
    savemat(tmp_path / "c.mat", {"v": np.arange(3.0), "n": 2, "none": None, "lst": [1, 2]})
    back = loadmat(tmp_path / "c.mat")
    assert back["v"].shape == (3, 1)
    assert back["n"] == 2.0 and isinstance(back["n"], float)
    assert back["none"].shape == (0, 0)
    assert isinstance(back["lst"], Cell) and back["lst"].shape == (1, 2)


@pytest.mark.parametrize("bad", [{"_x": 1.0}, {"1x": 1.0}, {"x": {"_f": 1}}])
def test_bad_names_are_refused(tmp_path, bad):
    with pytest.raises(ValueError):
        savemat(tmp_path / "b.mat", bad)


def test_unsupported_value_is_refused(tmp_path):
    with pytest.raises(TypeError):
        savemat(tmp_path / "b.mat", {"f": object()})


def test_cell_shape_must_hold_items():
    with pytest.raises(ValueError):
        Cell([1, 2, 3], (2, 2))


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(hnp.floating_dtypes(sizes=64, endianness="=") | hnp.integer_dtypes(endianness="="),
                  hnp.array_shapes(min_dims=2, max_dims=4, min_side=0, max_side=4)))
def test_array_roundtrip_property(tmp_path_factory, arr):
    path = tmp_path_factory.mktemp("p") / "x.mat"
    savemat(path, {"x": arr})
    back = loadmat(path)["x"]
    if arr.shape == (1, 1) and arr.dtype == np.float64:
        assert back == arr[0, 0] or (np.isnan(back) and np.isnan(arr[0, 0]))
    else:
        assert back.shape == arr.shape and back.dtype == arr.dtype
        np.testing.assert_array_equal(back, arr)


@pytest.mark.octave
def test_python_to_octave_to_python(tmp_path):
    """Python -> .mat -> Octave (load, save) -> .mat -> Python keeps every value and shape."""
    data = dict(SAMPLE, net=dlt_like_net(np.random.default_rng(1)))
    got = octave.run("", data, list(data))
    for key in data:
        expected = data[key]
        if key == "net":
            savemat(tmp_path / "n.mat", {"net": expected})
            expected = loadmat(tmp_path / "n.mat")["net"]
        assert_same(got[key], expected, key)


@pytest.mark.octave
def test_octave_to_python_to_octave(tmp_path):
    """A struct Octave builds loads in Python, saves back, and Octave finds it equal."""
    code = r"""
      rand('state', 3);
      s.a = rand(2, 3, 4); s.b = int16([1 -2]); s.c = {1, 'two'; {3}, true(2)};
      s.d = struct('x', {1, 'y'}); s.e = []; s.f = 'text'; s.g = single(pi); s.h = 7;
      s.layers = {struct('type', 'i'); struct('type', 'c', 'k', {{{rand(2)}}})};
    """
    s = octave.run(code, outputs=["s"])["s"]
    assert isinstance(s["layers"], Cell) and s["layers"].shape == (2, 1)
    assert isinstance(s["d"], StructArray) and s["d"].shape == (1, 2)
    assert s["a"].shape == (2, 3, 4) and s["b"].dtype == np.int16 and s["g"].dtype == np.float32
    check = code.replace("s.", "t.") + "same = isequal(s, t) && strcmp(class(s.b), 'int16');"
    assert octave.run(check, {"s": s}, ["same"])["same"] is True


# --------------------------------------------------------------------------- empty values

EMPTIES = r"""
  a = struct(); b = struct([]); c = {}; d = zeros(0, 3); e = ''; f.x = struct(); f.y = {};
  f.z = ''; f.w = zeros(3, 0); f.v = struct('p', {}); g = struct('p', {}, 'q', {});
  h = cell(0, 2); n = true(0, 0); o = int8(zeros(2, 0)); m = struct('q', {{}});
  r = repmat(struct(), 2, 3); u = {struct(), {}, ''};
"""
EMPTY_NAMES = ["a", "b", "c", "d", "e", "f", "g", "h", "n", "o", "m", "r", "u"]


def test_empty_structs_and_cells_save_and_load(tmp_path):
    values = {"s": {}, "sa": StructArray([], (0, 0)), "named": StructArray([], (0, 1), ["p"]),
              "c": Cell(), "c02": Cell([], (0, 2)), "z": np.zeros((0, 3)), "t": "",
              "nested": {"x": {}, "y": [], "z": "", "w": StructArray([{}, {}], (1, 2))}}
    savemat(tmp_path / "e.mat", values)
    got = loadmat(tmp_path / "e.mat")
    assert got["s"] == {} and got["t"] == ""
    for key in ("sa", "named"):
        assert isinstance(got[key], StructArray) and got[key].shape == values[key].shape
        assert got[key].fieldnames == values[key].fieldnames
    assert isinstance(got["c"], Cell) and got["c"].shape == (0, 0)
    assert got["c02"].shape == (0, 2) and got["z"].shape == (0, 3)
    assert got["nested"]["x"] == {} and got["nested"]["y"].shape == (0, 0)
    assert got["nested"]["w"] == [{}, {}] and got["nested"]["w"].shape == (1, 2)


@pytest.mark.octave
def test_empty_values_roundtrip_octave_python_octave():
    """struct(), struct([]), {}, zeros(0, 3), '', nested empty fields: Octave -> Python ->
    Octave unchanged (value, class, size and field names)."""
    got = octave.run(EMPTIES, outputs=EMPTY_NAMES)
    assert got["a"] == {} and got["e"] == ""
    assert isinstance(got["b"], StructArray) and got["b"].shape == (0, 0)
    assert isinstance(got["c"], Cell) and got["c"].shape == (0, 0)
    assert got["g"].fieldnames == ["p", "q"]
    check = EMPTIES.replace("=", "=").replace("\n  ", "\n  ")
    compare = "ok = true;\n" + "".join(
        f"ok = ok && isequal(in_{n}, {n}) && strcmp(class(in_{n}), class({n})) && "
        f"isequal(size(in_{n}), size({n}));\n" for n in EMPTY_NAMES)
    compare += ("ok = ok && isequal(fieldnames(in_g), {'p'; 'q'}) && "
                "isequal(fieldnames(in_f.v), {'p'}) && isstruct(in_u{1}) && iscell(in_u{2});")
    inputs = {f"in_{n}": got[n] for n in EMPTY_NAMES}
    assert octave.run(check + compare, inputs, ["ok"])["ok"] is True


@pytest.mark.octave
def test_octave_text_format_loads_as_v7(tmp_path):
    """Octave's default `save` (its text format) loads as the same variables saved -v7."""
    code = EMPTIES + r"""
      s1 = 3.5; mtx = [1 2; 3 4.5]; nd = reshape(1:12, 2, 3, 2) / 7; rng = 1:4;
      cs = 1 + 2i; cm = [1+2i, 3; 4, -1i]; str = 'hello'; dq = "dq str"; chm = ['ab'; 'cd'];
      tf = true; bm = [true false; false true]; i8 = int8([1 -2 3]); u16 = uint16(7);
      ce = {1, 'two'; [1 2 3], {4}}; st.a = 1; st.b = 'x'; st.c = {1, 2};
      sa = struct('p', {1, 'q'}); sng = single([1.5 2]); nn = [NaN Inf -Inf]; sp = sparse([1 0; 0 2.5]);
      i64 = int64([-9007199254740993 5]) - 1; u64 = intmax("uint64"); tiny = [1e-300 pi];
      clear ans;
      save('-text', TEXT); save('-v7', V7);
    """
    text, v7 = tmp_path / "default.txt", tmp_path / "v7.mat"
    octave.run(code, {"TEXT": str(text), "V7": str(v7)})
    assert text.read_bytes().startswith(b"# Created by Octave")
    a, b = loadmat(text), loadmat(v7)
    b.pop("TEXT"), b.pop("V7"), a.pop("TEXT"), a.pop("V7")
    assert list(a) == list(b)
    for key in a:
        assert_same(a[key], b[key], key)


def test_loadmat_passes_on_warnings_other_than_complex(tmp_path, monkeypatch):
    """loadmat records scipy's ComplexWarning; any other warning (a deprecation) gets out."""
    import warnings

    import scipy.io

    savemat(tmp_path / "x.mat", {"x": 1.0})
    real = scipy.io.loadmat

    def deprecated(*args, **kwargs):
        warnings.warn("old API", DeprecationWarning, stacklevel=2)
        return real(*args, **kwargs)

    monkeypatch.setattr(scipy.io, "loadmat", deprecated)
    with pytest.warns(DeprecationWarning, match="old API"):
        assert loadmat(tmp_path / "x.mat") == {"x": 1.0}


def test_the_mat5_writer_uses_no_scipy_internals(tmp_path):
    """The writer is numpy/zlib only (issue 21): a scipy release cannot break it; what it
    writes, scipy's public reader reads (and test_python_to_octave_to_python, Octave)."""
    import ast
    from pathlib import Path

    import ufldl_py.matlab.io as mio
    for path in Path(mio.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [f"{node.module}.{a.name}" for a in node.names]
                     if isinstance(node, ast.ImportFrom) and node.module else [])
            assert not any(n.startswith("scipy") and "._" in n for n in names), \
                (path.name, names)
    savemat(tmp_path / "w.mat", {k: v for k, v in SAMPLE.items() if k != "cplx"})
    raw = scipy.io.loadmat(tmp_path / "w.mat", mat_dtype=True)
    np.testing.assert_array_equal(raw["cube"], SAMPLE["cube"])
    assert raw["u8"].dtype == np.uint8 and raw["mask"].dtype == np.bool_
    assert raw["text"][0] == "cnnCost"
