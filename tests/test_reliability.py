"""Bad input gets a clear error, never a silent result; a failed write loses nothing.

- a table of bad inputs to matlab.io, data and minfunc: each raises ValueError, TypeError or
  OSError (never IndexError, a broadcast error or a bare numpy message), the message names
  the argument or the file, and no file is written or changed;
- random garbage given to loadmat and the IDX loaders raises only those, and never hangs;
- a save interrupted at any point leaves the old file as it was, and no temporary file.
"""

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import original_path
from ufldl_py import atomic, cli, data, plot
from ufldl_py.matlab.io import mat5_writer
from ufldl_py.matlab import octave
from ufldl_py.matlab.io import Cell, StructArray, loadmat, savemat
from ufldl_py.minfunc import minFunc

ALLOWED = (ValueError, TypeError, OSError)
FORBIDDEN = (IndexError, KeyError, AttributeError, AssertionError, ZeroDivisionError,
             MemoryError, OverflowError, RuntimeError)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>"
            for p in sorted(folder.rglob("*"))}


def check_refused(call, folder: Path, names: tuple[str, ...], types=ALLOWED):
    """call() raises one of ``types`` (and none of FORBIDDEN), its message contains every
    string in ``names``, and nothing under ``folder`` changed."""
    before = snapshot(folder)
    with pytest.raises(types) as info:
        call()
    exc = info.value
    assert not isinstance(exc, FORBIDDEN) or isinstance(exc, OSError), repr(exc)
    message = str(exc)
    for name in names:
        assert name in message, f"{name!r} not in {message!r}"
    for bare in ("operands could not be broadcast", "only 0-dimensional arrays",
                 "index out of bounds", "Cannot cast array data"):
        assert bare not in message, message
    assert snapshot(folder) == before, "a file was written or changed"
    assert not list(folder.rglob(f"*{atomic.TEMP_SUFFIX}"))
    return exc


# --------------------------------------------------------------------------- bad files


def _mat_bytes(tmp_path) -> bytes:
    savemat(tmp_path / "good.mat", {"theta": np.arange(50.0), "s": {"a": "text"}})
    raw = (tmp_path / "good.mat").read_bytes()
    (tmp_path / "good.mat").unlink()
    return raw


def _labels_bytes() -> bytes:
    return gzip.decompress((data.SAMPLE / data.MNIST_FILES["t10k-labels"]).read_bytes())


BAD_FILES = {
    "empty": lambda tmp: b"",
    "text": lambda tmp: b"hello, this is not a mat file\n" * 10,
    "truncated_mat": lambda tmp: _mat_bytes(tmp)[:200],
    "truncated_header": lambda tmp: _mat_bytes(tmp)[:60],
    "corrupt_mat": lambda tmp: _mat_bytes(tmp)[:140] + b"\xff" * 40 + _mat_bytes(tmp)[180:],
    "octave_binary": lambda tmp: b"Octave-1-L\x00" + bytes(100),
    "hdf5_v73": lambda tmp: b"MATLAB 7.3 MAT-file, Platform: GLNXA64" + bytes(600),
    "octave_text_truncated": lambda tmp: b"# Created by Octave 7.3.0\n# name: m\n# type: matrix\n"
                                         b"# rows: 2\n# columns: 2\n 1 2\n",
    "octave_text_garbage": lambda tmp: b"# Created by Octave 7.3.0\n# name: m\n# type: matrix\n"
                                       b"# rows: 1\n# columns: 2\n 1 x\n",
    "octave_text_unknown_type": lambda tmp: b"# Created by Octave\n# name: f\n"
                                            b"# type: function handle\n@sin\n",
    "octave_text_huge": lambda tmp: b"# name: m\n# type: matrix\n# ndims: 2\n"
                                    b" 99999999999 99999999999\n 1\n",
    "idx_labels": lambda tmp: _labels_bytes(),
    "gzip_garbage": lambda tmp: gzip.compress(b"\x00\x01" * 100),
    "random": lambda tmp: np.random.default_rng(0).bytes(3000),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_loadmat_refuses_bad_files_naming_them(tmp_path, kind):
    bad = tmp_path / f"bad_{kind}.mat"
    bad.write_bytes(BAD_FILES[kind](tmp_path))
    exc = check_refused(lambda: loadmat(bad), tmp_path, (str(bad),))
    assert isinstance(exc, ValueError)


def test_loadmat_names_missing_files_and_folders(tmp_path):
    check_refused(lambda: loadmat(tmp_path / "none.mat"), tmp_path,
                  (str(tmp_path / "none.mat"),), FileNotFoundError)
    check_refused(lambda: loadmat(tmp_path), tmp_path, (str(tmp_path),), OSError)


def test_octave_text_format_is_named_when_refused(tmp_path):
    bad = tmp_path / "f.txt"
    bad.write_bytes(BAD_FILES["octave_text_unknown_type"](tmp_path))
    check_refused(lambda: loadmat(bad), tmp_path, ("Octave text format", "save it with -v7"))


IDX_MANGLES = {
    "truncated": lambda raw: raw[:-3],
    "longer": lambda raw: raw + b"\x00",
    "short_header": lambda raw: raw[:6],
    "huge_dims": lambda raw: raw[:4] + b"\xff\xff\xff\xff" + raw[8:20],
    "huge_gzip": lambda raw: gzip.compress(raw[:4] + b"\xff\xff\xff\xff" + raw[8:20]),
    "gzip_truncated": lambda raw: gzip.compress(raw)[:-20],
    "not_idx": lambda raw: b"%PDF-1.4\n" + raw,
    "empty": lambda raw: b"",
}


@pytest.mark.parametrize("loader", ["loadMNISTImages", "loadMNISTLabels", "read_idx"])
@pytest.mark.parametrize("kind", sorted(IDX_MANGLES))
def test_idx_loaders_refuse_bad_files_naming_them(tmp_path, loader, kind):
    bad = tmp_path / f"bad_{kind}"
    bad.write_bytes(IDX_MANGLES[kind](_labels_bytes()))
    fn = getattr(data, loader)
    call = (lambda: fn(bad, data.LABELS_MAGIC)) if loader == "read_idx" else (lambda: fn(bad))
    exc = check_refused(call, tmp_path, (str(bad),))
    assert isinstance(exc, ValueError)


def test_data_loaders_name_missing_files(tmp_path):
    for fn in (data.loadMNISTImages, data.loadMNISTLabels, data.load_housing):
        check_refused(lambda fn=fn: fn(tmp_path / "nothing"), tmp_path, (str(tmp_path / "nothing"),),
                      FileNotFoundError)


def test_load_housing_and_mnist_uint8_refuse_bad_files(tmp_path):
    bad = tmp_path / "housing.data"
    bad.write_bytes(b"1 2 3\n4 5 x\n")
    check_refused(lambda: data.load_housing(bad), tmp_path, (str(bad),))
    bad.write_bytes(np.random.default_rng(1).bytes(500))
    check_refused(lambda: data.load_housing(bad), tmp_path, ())
    mat = tmp_path / "mnist_uint8.mat"
    savemat(mat, {"train_x": np.zeros((2, 784), np.uint8)})
    check_refused(lambda: data.load_mnist_uint8(mat), tmp_path, (str(mat), "test_x"))
    mat.write_bytes(b"garbage" * 30)
    check_refused(lambda: data.load_mnist_uint8(mat), tmp_path, (str(mat),))


def test_mnist_cache_of_wrong_files_is_not_used(tmp_path, monkeypatch):
    """Four files of any size in the cache are not 'the full MNIST'."""
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path))
    (tmp_path / "mnist").mkdir()
    for name in data.MNIST_FILES.values():
        (tmp_path / "mnist" / name).write_bytes(b"\x1f\x8b not really")
    assert not data.mnist_is_full()
    assert data.mnist_path("t10k-labels").parent == data.SAMPLE
    with pytest.raises(ValueError, match="corrupt gzip"):
        data.mnist_counts()


def test_data_info_says_which_set_and_counts(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path))
    cache = tmp_path / "mnist"
    cache.mkdir()
    for name in data.MNIST_FILES.values():  # the sample's files: valid, but 4,000 + 1,000
        (cache / name).write_bytes((data.SAMPLE / name).read_bytes())
    assert data.data_cli(["info"]) == 0
    out = capsys.readouterr().out
    assert "NOT the full MNIST" in out and "4000" in out and str(cache) in out
    (cache / data.MNIST_FILES["t10k-labels"]).write_bytes(b"")
    assert data.data_cli(["info"]) == 0
    out = capsys.readouterr().out
    assert "the sample shipped" in out and "is not used" in out


def test_failed_fetch_leaves_no_empty_folder(tmp_path, capsys):
    dest = tmp_path / "new" / "deeper" / "mnist"
    with pytest.raises(OSError, match="could not fetch") as info:
        data.fetch_mnist(dest, source=(tmp_path / "no-mirror").as_uri(), progress=False)
    assert isinstance(info.value, RuntimeError)  # as before
    assert not (tmp_path / "new").exists()
    assert cli.main(["data", "fetch", "mnist", "--source", (tmp_path / "none").as_uri(),
                     "--dest", str(dest)]) == 1
    err = capsys.readouterr().err
    assert "could not fetch" in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- bad values to save


class Opaque:
    pass


BAD_SAVES = {
    "bad_var_name": ({"1x": 1.0}, ValueError, ("'1x'",)),
    "underscore_var": ({"_x": 1.0}, ValueError, ("'_x'",)),
    "bad_field": ({"s": {"a b": 1.0}}, ValueError, ("'a b'", "variable s")),
    "object": ({"theta": np.ones(3), "net": Opaque()}, TypeError, ("Opaque", "variable net")),
    "nested_object": ({"net": {"layers": [{"k": Opaque()}]}}, TypeError,
                      ("Opaque", "variable net")),
    "string_array": ({"x": np.array(["a", "b"])}, TypeError, ("variable x",)),
    "datetime_array": ({"t": np.array(["2020-01-01"], dtype="datetime64[D]")}, TypeError,
                       ("variable t",)),
    "struct_array_of_non_dicts": (None, TypeError, ("variable s", "dicts")),
    "not_a_dict": ([("x", 1.0)], TypeError, ("mdict",)),
}


@pytest.mark.parametrize("kind", sorted(BAD_SAVES))
def test_savemat_refuses_bad_values_and_keeps_the_old_file(tmp_path, kind):
    mdict, cls, names = BAD_SAVES[kind]
    if kind == "struct_array_of_non_dicts":
        sa = StructArray([{"a": 1.0}])
        sa.append(3.0)  # broken after construction
        mdict = {"s": sa}
    target = tmp_path / "keep.mat"
    savemat(target, {"old": np.arange(4.0)})
    check_refused(lambda: savemat(target, mdict), tmp_path, names, cls)
    np.testing.assert_array_equal(loadmat(target)["old"], np.arange(4.0).reshape(4, 1))


def test_savemat_into_a_missing_folder_names_it(tmp_path):
    target = tmp_path / "no" / "such" / "x.mat"
    check_refused(lambda: savemat(target, {"x": 1.0}), tmp_path, (str(target),),
                  FileNotFoundError)


def test_issue_example_failed_save_keeps_the_old_file(tmp_path):
    """The example of issue 10: the second save used to raise and leave only theta."""
    f = tmp_path / "f.mat"
    savemat(f, {"old": np.eye(3)})
    savemat(f, {"theta": np.ones(10), "net": {"extra": {}}})  # saves now: empty struct
    assert loadmat(f)["net"] == {"extra": {}}
    before = f.read_bytes()
    with pytest.raises(TypeError):
        savemat(f, {"theta": np.ones(10), "net": {"extra": Opaque()}})
    assert f.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.mat"]


# --------------------------------------------------------------------------- minFunc


A3 = np.diag([1.0, 2.0, 3.0])


def quad(x):
    return 0.5 * x @ A3 @ x, A3 @ x


BAD_FUNOBJS = {
    "scalar_gradient": (lambda x: (quad(x)[0], 1.0), ValueError, ("gradient", "3 elements")),
    "short_gradient": (lambda x: (quad(x)[0], np.ones(2)), ValueError,
                       ("gradient", "(2,)")),
    "matrix_gradient": (lambda x: (quad(x)[0], np.ones((3, 3))), ValueError,
                        ("gradient", "(3, 3)")),
    "vector_cost": (lambda x: (np.ones(2), A3 @ x), ValueError, ("scalar cost", "(2,)")),
    "nan_cost": (lambda x: (np.nan, A3 @ x), ValueError, ("cost at x0", "nan")),
    "inf_cost": (lambda x: (np.inf, A3 @ x), ValueError, ("cost at x0", "inf")),
    "complex_cost": (lambda x: (1 + 1j, A3 @ x), ValueError, ("cost at x0",)),
    "nan_gradient": (lambda x: (1.0, np.full(3, np.nan)), ValueError, ("gradient at x0",)),
    "only_cost": (lambda x: quad(x)[0], TypeError, ("(cost, gradient)",)),
    "string_cost": (lambda x: ("one", A3 @ x), TypeError, ("cost",)),
    "none": (lambda x: None, TypeError, ("(cost, gradient)", "NoneType")),
}


@pytest.mark.parametrize("kind", sorted(BAD_FUNOBJS))
def test_minfunc_refuses_bad_cost_functions(tmp_path, kind, capsys):
    fn, cls, names = BAD_FUNOBJS[kind]
    check_refused(lambda: minFunc(fn, np.ones(3), {"Display": "off"}), tmp_path,
                  ("funObj",) + names, cls)


@pytest.mark.parametrize("x0, cls, name", [
    (np.array([]), ValueError, "x0 is empty"),
    (["a", "b"], TypeError, "x0"),
    (np.array([1.0, np.nan]), ValueError, "x0"),
])
def test_minfunc_refuses_bad_x0(tmp_path, x0, cls, name):
    check_refused(lambda: minFunc(quad, x0, {"Display": "off"}), tmp_path, (name,), cls)


def test_minfunc_refuses_a_non_function(tmp_path):
    check_refused(lambda: minFunc("quad", np.ones(3)), tmp_path, ("funObj",), TypeError)


def test_minfunc_accepts_one_element_costs_and_column_gradients():
    """MATLAB cost functions return 1 x 1 costs and n x 1 gradients: both are fine."""
    for fn in (lambda x: (np.array([[quad(x)[0]]]), (A3 @ x).reshape(3, 1)),
               lambda x: (np.float32(quad(x)[0]), (A3 @ x).reshape(1, 3))):
        x, f, flag, _ = minFunc(fn, np.ones(3), {"Display": "off"})
        assert flag in (1, 2) and abs(f) < 1e-6


def _nan_later(x):
    f, g = 0.5 * x @ A3 @ x - 10 * x.sum(), A3 @ x - 10
    if np.abs(x).max() > 2:
        return np.nan, np.full(3, np.nan)
    return f, g


def test_nan_cost_later_ends_the_run_as_minfunc_2012():
    """A NaN cost met in the run: the line search backs off (Armijo), and the run ends with
    minFunc 2012's exitflag and message. The numbers are Octave's (minFunc_2012, useMex 0):
    x = [2 1.7437 1.5362], f = -44.219, exitflag 2, 266 evaluations, 14 iterations."""
    x, f, flag, out = minFunc(_nan_later, np.ones(3), {"Display": "off"})
    assert flag == 2 and out["message"] == "Step Size below progTol"
    assert (out["funcCount"], out["iterations"]) == (266, 14)
    np.testing.assert_allclose(x, [2.0, 1.74372471, 1.53618709], rtol=1e-7)
    assert f == pytest.approx(-44.21873597358449, rel=1e-12)


@pytest.mark.octave
def test_nan_cost_later_matches_octave(tmp_path):
    folder = original_path("UFLDL_PY_MINFUNC")
    (tmp_path / "nanlater.m").write_text(
        "function [f, g] = nanlater(x)\nA = diag([1 2 3]);\n"
        "f = 0.5 * x' * A * x - 10 * sum(x); g = A * x - 10;\n"
        "if max(abs(x)) > 2\n  f = NaN; g = NaN(3, 1);\nend\n")
    got = octave.run("[x, f, e, o] = minFunc(@nanlater, ones(3, 1), "
                     "struct('useMex', 0, 'Display', 'off')); m = o.message; "
                     "n = o.funcCount; it = o.iterations;",
                     outputs=["x", "f", "e", "m", "n", "it"], path=[folder, tmp_path])
    x, f, flag, out = minFunc(_nan_later, np.ones(3), {"Display": "off"})
    np.testing.assert_allclose(x, got["x"].ravel(), rtol=1e-12)
    assert f == pytest.approx(got["f"], rel=1e-12)
    assert (flag, out["message"], out["funcCount"], out["iterations"]) == \
        (got["e"], got["m"], got["n"], got["it"])


# --------------------------------------------------------------------------- garbage bytes

GARBAGE_PREFIXES = [
    b"",
    b"MATLAB 5.0 MAT-file".ljust(116) + bytes(8) + b"\x00\x01IM",  # a MAT 5 header
    b"\x00\x00\x08\x03",  # IDX images
    b"\x00\x00\x08\x01",  # IDX labels
    b"\x1f\x8b\x08\x00",  # gzip
    b"# Created by Octave 7.3.0\n# name: x\n# type: ",
]


@st.composite
def garbage(draw):
    prefix = draw(st.sampled_from(GARBAGE_PREFIXES))
    body = draw(st.binary(max_size=600))
    if draw(st.booleans()) and prefix.startswith(b"MATLAB"):
        # a plausible compressed element holding random bytes
        inner = zlib.compress(body)
        body = struct.pack("<II", 15, len(inner)) + inner
    elif draw(st.booleans()) and prefix.startswith(b"\x1f\x8b"):
        return gzip.compress(draw(st.sampled_from(GARBAGE_PREFIXES[2:4])) + body)
    return prefix + body


@settings(max_examples=150, deadline=2000, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=garbage())
def test_garbage_bytes_raise_only_clear_errors(tmp_path, raw):
    path = tmp_path / "garbage.bin"
    path.write_bytes(raw)
    for call in (lambda: loadmat(path), lambda: data.loadMNISTImages(path),
                 lambda: data.loadMNISTLabels(path),
                 lambda: data.read_idx(path, data.IMAGES_MAGIC)):
        try:
            call()
        except ALLOWED as exc:
            assert not isinstance(exc, FORBIDDEN) or isinstance(exc, OSError), repr(exc)
            assert str(path) in str(exc), str(exc)


# --------------------------------------------------------------------------- interrupted saves


class Interrupt(Exception):
    pass


def _value():
    rng = np.random.default_rng(5)
    return {"theta": rng.random(30), "net": {"layers": Cell([{"type": "i"}, {"k": [rng.random((3, 3))]}],
                                                            shape=(2, 1)),
                                             "e": {}, "sa": StructArray([], (0, 0), ["p"])}}


def _count_writes(monkeypatch, tmp_path) -> int:
    calls = []
    real = mat5_writer.matrix_element
    monkeypatch.setattr(mat5_writer, "matrix_element", lambda arr, name: (calls.append(1),
                                                                          real(arr, name))[1])
    savemat(tmp_path / "count.mat", _value())
    (tmp_path / "count.mat").unlink()
    monkeypatch.setattr(mat5_writer, "matrix_element", real)
    return len(calls)


def test_interrupted_saves_keep_the_old_file(tmp_path, monkeypatch):
    """An exception from inside the writer, at every point of the save, and at fsync and at
    the rename: the old file loads as it was, and no temporary file remains."""
    target = tmp_path / "net.mat"
    old = {"old": np.arange(6.0).reshape(2, 3), "s": {"a": "kept"}}
    savemat(target, old)
    before = target.read_bytes()
    real = mat5_writer.matrix_element
    n = _count_writes(monkeypatch, tmp_path)
    assert n > 5
    for k in range(1, n + 1):
        for exc_type in (Interrupt, KeyboardInterrupt):
            calls = [0]

            def failing(arr, name, k=k, exc_type=exc_type, calls=calls):
                calls[0] += 1
                if calls[0] == k:
                    raise exc_type(f"interrupted at write {k}")
                return real(arr, name)

            monkeypatch.setattr(mat5_writer, "matrix_element", failing)
            with pytest.raises(exc_type):
                savemat(target, _value())
            assert target.read_bytes() == before
            assert sorted(p.name for p in tmp_path.iterdir()) == ["net.mat"]
    monkeypatch.setattr(mat5_writer, "matrix_element", real)
    for where in ("fsync", "replace"):
        def boom(*a, where=where, **k):
            raise OSError(f"{where} failed")
        monkeypatch.setattr(atomic.os, where, boom)
        with pytest.raises(OSError, match=where):
            savemat(target, _value())
        monkeypatch.undo()
        assert target.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["net.mat"]
    got = loadmat(target)
    np.testing.assert_array_equal(got["old"], old["old"])
    assert got["s"] == old["s"]
    savemat(target, _value())  # and an uninterrupted save replaces it
    assert loadmat(target)["net"]["e"] == {}


def test_savefig_interrupted_after_any_byte_keeps_the_old_figure(tmp_path, monkeypatch):
    monkeypatch.setenv("UFLDL_PY_FIGURES", str(tmp_path))
    target = plot.plot_curve([1, 2, 3], "t", "x", "y", "curve")
    before = target.read_bytes()
    for cut in (0, 1, 57, 1000, None):  # None: all of it written, then the error
        fig, ax = plot.subplots(figsize=(1, 1))
        ax.plot([3, 2, 1])
        real = fig.savefig

        def partial(f, cut=cut, real=real, **kwargs):
            real(f, **kwargs)
            if cut is not None:
                f.seek(min(cut, f.tell()))
                f.truncate()
            raise Interrupt("disk full")

        fig.savefig = partial
        with pytest.raises(Interrupt):
            plot.savefig(fig, "curve")
        assert target.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["curve.png"]


def test_interrupted_download_keeps_the_old_file(tmp_path, monkeypatch):
    dest = tmp_path / "mnist"
    dest.mkdir()
    name = data.MNIST_FILES["train-labels"]
    (dest / name).write_bytes(b"old content")
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / name).write_bytes(b"x" * 100000)

    def cut(url, out, shown, progress):
        out.write(b"x" * 1000)
        raise KeyboardInterrupt

    monkeypatch.setattr(data.fetch, "_download", cut)
    with pytest.raises(KeyboardInterrupt):
        data.fetch_mnist(dest, source=mirror.as_uri(), progress=False)
    assert (dest / name).read_bytes() == b"old content"
    assert sorted(p.name for p in dest.iterdir()) == [name]


def test_atomic_write_text_and_permissions(tmp_path):
    target = tmp_path / "a.txt"
    with atomic.atomic_write(target, "w") as f:
        f.write("één\n")
    assert target.read_text(encoding="utf-8") == "één\n"
    os.chmod(target, 0o640)
    with atomic.atomic_write(target) as f:
        f.write(b"new")
    assert target.read_bytes() == b"new" and (target.stat().st_mode & 0o777) == 0o640
    with pytest.raises(ValueError, match="mode"):
        with atomic.atomic_write(target, "a"):
            pass


# --------------------------------------------------------------------------- the ports


def _ucnn_theta():
    from ufldl_py.ufldl import cnn
    return cnn.cnnInitParams(8, 3, 2, 2, 3) * 0 + 0.01


def _dlt_net():
    from ufldl_py.dlt import cnn
    from ufldl_py.matlab import random as R
    with R.isolated(0):
        return cnn.cnnsetup({"layers": [{"type": "i"}, {"type": "c", "outputmaps": 2,
                                                       "kernelsize": 3},
                                        {"type": "s", "scale": 2}]},
                            np.zeros((8, 8, 2)), np.zeros((3, 2)))


def _port_cases():
    from ufldl_py.dlt import cnn as dcnn
    from ufldl_py.dlt import util
    from ufldl_py.ufldl import cnn, ex1
    from ufldl_py.ufldl import multilayer_supervised as mls

    images = np.random.default_rng(0).random((8, 8, 4))
    labels = np.array([1.0, 2.0, 3.0, 1.0])
    theta = _ucnn_theta()
    ei = {"input_dim": 2, "output_dim": 2, "layer_sizes": [2], "lambda": 0,
          "activation_fun": "logistic"}
    return [
        ("cnnConvolve filterDim text", lambda: cnn.cnnConvolve("3", 2, images,
                                                               np.zeros((3, 3, 2)), np.zeros(2)),
         "filterDim"),
        ("cnnConvolve numFilters 0", lambda: cnn.cnnConvolve(3, 0, images, np.zeros((3, 3, 2)),
                                                             np.zeros(2)), "numFilters"),
        ("cnnConvolve W text", lambda: cnn.cnnConvolve(3, 2, images, "W", np.zeros(2)), "W"),
        ("cnnConvolve images objects", lambda: cnn.cnnConvolve(3, 2, [[None]], np.zeros((3, 3, 2)),
                                                               np.zeros(2)), "images"),
        ("cnnPool poolDim 2.5", lambda: cnn.cnnPool(2.5, np.zeros((4, 4, 1, 1))), "poolDim"),
        ("cnnPool NaN", lambda: cnn.cnnPool(2, np.full((4, 4, 1, 1), np.nan)),
         "convolvedFeatures"),
        ("cnnCost labels 2-D", lambda: cnn.cnnCost(theta, images, np.ones((2, 2)), 3, 3, 2, 2),
         "labels"),
        ("cnnCost poolDim True", lambda: cnn.cnnCost(theta, images, labels, 3, 3, 2, True),
         "poolDim"),
        ("cnnCost theta text", lambda: cnn.cnnCost("theta", images, labels, 3, 3, 2, 2),
         "theta"),
        ("cnnParamsToStack imageDim -1", lambda: cnn.cnnParamsToStack(theta, -1, 3, 2, 2, 3),
         "imageDim"),
        ("minFuncSGD labels matrix", lambda: cnn.minFuncSGD(
            None, theta, images, np.ones((3, 3)), {"epochs": 1, "alpha": 0.1, "minibatch": 2}),
         "labels"),
        ("linear_regression theta matrix", lambda: ex1.linear_regression(
            np.ones((2, 2)), np.ones((4, 3)), np.ones(3)), "theta"),
        ("softmax_regression_vec y text", lambda: ex1.softmax_regression_vec(
            np.ones(3), np.ones((3, 2)), "yy"), "y"),
        ("sigmoid text", lambda: ex1.sigmoid("a"), "a"),
        ("supervised_dnn_cost theta short", lambda: mls.supervised_dnn_cost(
            np.ones(3), ei, np.ones((2, 1)), [1]), "theta"),
        ("sigm objects", lambda: util.sigm([None]), "P"),
        ("cnnff x 1-D", lambda: dcnn.cnnff(_dlt_net(), np.zeros(5)), "x"),
        ("cnnff layers missing", lambda: dcnn.cnnff({"ffW": 1}, np.zeros((8, 8, 2))), "layers"),
        ("cnnbp y wrong shape", lambda: dcnn.cnnbp(dcnn.cnnff(_dlt_net(), np.zeros((8, 8, 2))),
                                                   np.zeros((2, 2))), "y"),
        ("cnnapplygrads alpha text", lambda: dcnn.cnnapplygrads(_dlt_net(), {"alpha": "x"}),
         "alpha"),
        ("cnntrain batchsize 0", lambda: dcnn.cnntrain(_dlt_net(), np.zeros((8, 8, 2)),
                                                       np.zeros((3, 2)),
                                                       {"batchsize": 0, "numepochs": 1,
                                                        "alpha": 1}), "batchsize"),
    ]


@pytest.mark.parametrize("case", range(len(_port_cases())), ids=[c[0] for c in _port_cases()])
def test_ports_refuse_bad_input_naming_the_argument(case, tmp_path):
    _, call, name = _port_cases()[case]
    check_refused(call, tmp_path, (name,))
