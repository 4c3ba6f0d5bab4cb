"""ufldl_py.data: MNIST loaders, the shipped sample, DLT's layout, housing, fetching."""

import gzip
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pytest

from conftest import FIXTURES, original_path
from ufldl_py import cli, data
from ufldl_py.matlab import io, octave


@pytest.fixture
def no_full_mnist(tmp_path, monkeypatch):
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path / "cache"))


def test_sample_images_and_labels(no_full_mnist):
    assert not data.mnist_is_full()
    X = data.loadMNISTImages(data.mnist_path("train-images"))
    y = data.loadMNISTLabels(data.mnist_path("train-labels"))
    assert X.shape == (784, 4000) and X.dtype == np.float64
    assert X.min() == 0.0 and X.max() == 1.0
    assert y.shape == (4000,) and set(np.unique(y)) == set(range(10))
    assert np.array_equal(np.bincount(y.astype(int)), [400] * 10)
    Xt = data.loadMNISTImages(data.mnist_path("t10k-images"))
    assert Xt.shape == (784, 1000)
    # no test digit is also a training digit
    assert not set(map(bytes, (X.T * 255).astype(np.uint8))) & set(
        map(bytes, (Xt.T * 255).astype(np.uint8)))


def test_images_equal_stanford_loader_fixture(no_full_mnist):
    """The first 50 sample test digits as Octave's loadMNISTImages/Labels returned them."""
    golden = io.loadmat(FIXTURES / "data" / "loadMNIST_first50.mat")
    X = data.loadMNISTImages(data.mnist_path("t10k-images"))
    y = data.loadMNISTLabels(data.mnist_path("t10k-labels"))
    assert np.array_equal(X[:, :50], golden["images"])
    assert np.array_equal(y[:50], golden["labels"].ravel())


@pytest.mark.octave
def test_images_equal_stanford_loader_live(tmp_path, no_full_mnist):
    common = original_path("UFLDL_PY_STANFORD_DL_EX") / "common"
    plain = tmp_path / "img"
    plain.write_bytes(gzip.decompress(data.mnist_path("t10k-images").read_bytes()))
    got = octave.call("loadMNISTImages", str(plain), path=common)
    assert np.array_equal(got, data.loadMNISTImages(plain))


def test_plain_and_gzipped_files_read_the_same(tmp_path):
    plain = tmp_path / "labels"
    plain.write_bytes(gzip.decompress(data.SAMPLE.joinpath(data.MNIST_FILES["t10k-labels"]).read_bytes()))
    np.testing.assert_array_equal(data.loadMNISTLabels(plain),
                                  data.loadMNISTLabels(data.SAMPLE / data.MNIST_FILES["t10k-labels"]))


def _plain_labels(tmp_path):
    raw = gzip.decompress((data.SAMPLE / data.MNIST_FILES["t10k-labels"]).read_bytes())
    return raw


@pytest.mark.parametrize("mangle, message", [
    (lambda raw: raw[:-3], "truncated"),
    (lambda raw: raw + b"\x00", "longer than its header"),
    (lambda raw: raw[:6], "truncated IDX header"),
    (lambda raw: b"\x00\x00\x08\x03" + raw[4:], "Bad magic number"),
    (lambda raw: gzip.compress(raw)[:-20], "corrupt gzip"),
    (lambda raw: gzip.compress(raw)[:10] + b"\xff" * 30 + gzip.compress(raw)[40:], "corrupt gzip"),
])
def test_bad_files_are_refused(tmp_path, mangle, message):
    bad = tmp_path / "bad"
    bad.write_bytes(mangle(_plain_labels(tmp_path)))
    with pytest.raises(ValueError, match=message):
        data.loadMNISTLabels(bad)


def test_labels_file_is_not_an_images_file():
    with pytest.raises(ValueError, match="Bad magic number"):
        data.loadMNISTImages(data.SAMPLE / data.MNIST_FILES["t10k-labels"])


def test_missing_file_and_unknown_name(tmp_path):
    with pytest.raises(FileNotFoundError, match="Could not open"):
        data.loadMNISTImages(tmp_path / "nothing")
    with pytest.raises(ValueError, match="unknown MNIST file"):
        data.mnist_path("train")


def test_mnist_uint8_layout(no_full_mnist):
    d = data.load_mnist_uint8()
    assert d["train_x"].shape == (4000, 784) and d["train_x"].dtype == np.uint8
    assert d["test_y"].shape == (1000, 10) and d["test_y"].dtype == np.uint8
    assert (d["train_y"].sum(axis=1) == 1).all()
    labels = data.loadMNISTLabels(data.mnist_path("train-labels"))
    assert np.array_equal(d["train_y"].argmax(axis=1), labels)
    # rows are the IDX bytes in file order: DLT's reshape(train_x', 28, 28, n) transposes them
    X = data.loadMNISTImages(data.mnist_path("train-images"))
    img = X[:, 7].reshape(28, 28, order="F")
    dlt = d["train_x"][7].reshape(28, 28, order="F") / 255
    assert np.array_equal(dlt, img.T)


def test_mnist_uint8_from_a_mat_file(tmp_path, no_full_mnist):
    d = data.load_mnist_uint8()
    io.savemat(tmp_path / "mnist_uint8.mat", d)
    back = data.load_mnist_uint8(tmp_path / "mnist_uint8.mat")
    for k in d:
        assert back[k].dtype == np.uint8 and np.array_equal(back[k], d[k])
    io.savemat(tmp_path / "other.mat", {"train_x": d["train_x"]})
    with pytest.raises(ValueError, match="not a mnist_uint8.mat"):
        data.load_mnist_uint8(tmp_path / "other.mat")


def test_housing_is_ucis_table():
    h = data.load_housing()
    assert h.shape == (506, 14)
    np.testing.assert_array_equal(h[0], [0.00632, 18.0, 2.31, 0, 0.538, 6.575, 65.2, 4.09, 1,
                                         296.0, 15.3, 396.9, 4.98, 24.0])
    assert h[:, 13].min() == 5.0 and h[:, 13].max() == 50.0


def test_bad_housing_file(tmp_path):
    bad = tmp_path / "housing.data"
    bad.write_text("1 2 3\n4 5 6\n")
    with pytest.raises(ValueError, match="14 columns"):
        data.load_housing(bad)


def _fake_mirror(tmp_path):
    """A file:// 'mirror' holding the sample's four files, and their MD5 sums."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    sums = {}
    for name in data.MNIST_FILES.values():
        shutil.copy(data.SAMPLE / name, mirror / name)
        sums[name] = hashlib.md5((mirror / name).read_bytes()).hexdigest()
    return mirror, sums


def test_fetch_from_file_url_verifies_and_is_used(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path / "cache"))
    mirror, sums = _fake_mirror(tmp_path)
    where = data.fetch_mnist(source=mirror.as_uri(), checksums=sums)
    assert where == tmp_path / "cache" / "mnist"
    assert data.mnist_is_full()
    assert data.mnist_path("train-images") == where / "train-images-idx3-ubyte.gz"
    assert sorted(p.name for p in where.iterdir()) == sorted(data.MNIST_FILES.values())
    data.fetch_mnist(source=mirror.as_uri(), checksums=sums)  # again: kept, not fetched
    assert "already there" in capsys.readouterr().err


def test_fetch_with_a_bad_checksum_leaves_nothing(tmp_path):
    mirror, sums = _fake_mirror(tmp_path)
    sums["t10k-images-idx3-ubyte.gz"] = "0" * 32
    dest = tmp_path / "dest"
    with pytest.raises(RuntimeError, match="does not match"):
        data.fetch_mnist(dest, source=mirror.as_uri(), checksums=sums, progress=False)
    assert not (dest / "t10k-images-idx3-ubyte.gz").exists()
    assert not list(dest.glob("*.part"))


def test_fetch_of_a_missing_file_leaves_nothing(tmp_path):
    mirror, sums = _fake_mirror(tmp_path)
    (mirror / "train-labels-idx1-ubyte.gz").unlink()
    dest = tmp_path / "dest"
    with pytest.raises(RuntimeError, match="could not fetch train-labels"):
        data.fetch_mnist(dest, source=mirror.as_uri(), checksums=sums, progress=False)
    assert sorted(p.name for p in dest.iterdir()) == ["train-images-idx3-ubyte.gz"]


def test_published_checksums_match_the_real_test_set():
    """The MD5s we verify against are those of the real MNIST files (checked on t10k)."""
    real = FIXTURES.parents[2] / "shared" / "data" / "mnist"
    files = [real / n for n in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")]
    if not all(f.is_file() for f in files):
        pytest.skip("the real MNIST test files are not beside the repository")
    for f in files:
        assert data.md5_matches(f, data.MNIST_MD5[f.name])
    assert not data.md5_matches(files[0], data.MNIST_MD5[files[1].name])


def test_data_command(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path / "cache"))
    assert cli.main(["data", "info"]) == 0
    assert "sample" in capsys.readouterr().out
    mirror, _ = _fake_mirror(tmp_path)
    # the sample's checksums are not MNIST's: the command refuses the files
    assert cli.main(["data", "fetch", "mnist", "--source", mirror.as_uri()]) == 1
    assert "does not match" in capsys.readouterr().err
    assert not data.mnist_is_full()


# --------------------------------------------------------------------------- hostile IDX files


def _refused(call, path, message):
    """``call`` raises a one-line ValueError naming ``path`` and matching ``message``."""
    with pytest.raises(ValueError, match=message) as info:
        call()
    text = str(info.value)
    assert str(path) in text and "\n" not in text, text
    return text


def _peak_bytes(call):
    """The most memory (Python and numpy allocations) that ``call`` held at once."""
    tracemalloc.start()
    try:
        call()
    except ValueError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_tiny_gzip_file_claiming_32_gib_is_refused_before_allocating(tmp_path):
    """2^31 images of 16 x 1: 32 GiB, and 0 modulo 2^32, so gzip's trailer (the size modulo
    2^32) agrees with a header-only file; deflate cannot expand 40 bytes that far."""
    bad = tmp_path / "bomb.gz"
    bad.write_bytes(gzip.compress(struct.pack(">IIII", data.IMAGES_MAGIC, 1 << 31, 16, 1)))
    assert bad.stat().st_size < 50
    for call in (lambda: data.read_idx(bad, data.IMAGES_MAGIC), lambda: data.loadMNISTImages(bad),
                 lambda: data.idx_dims(bad, data.IMAGES_MAGIC, verify=False)):
        _refused(call, bad, "more than a gzip file of")
        assert _peak_bytes(call) < 1 << 20


def test_data_not_there_is_found_by_streaming_not_by_allocating(tmp_path):
    """Through a Traversable (a zipped install) the file's size is unknown: the data is read
    in blocks, and a header announcing 400 MB over 5 bytes of data costs one block."""
    inner = gzip.compress(struct.pack(">IIII", data.IMAGES_MAGIC, 500_000, 28, 28) + b"12345")
    archive = tmp_path / "shipped.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("bad-images.gz", inner)
        z.writestr("labels.gz", (data.SAMPLE / data.MNIST_FILES["t10k-labels"]).read_bytes())
    bad = zipfile.Path(archive, "bad-images.gz")
    text = _refused(lambda: data.loadMNISTImages(bad), "bad-images.gz", "truncated")
    assert "after 5 of 392000000 bytes" in text
    assert _peak_bytes(lambda: data.loadMNISTImages(bad)) < 4 * data.idx.BLOCK
    good = data.loadMNISTLabels(zipfile.Path(archive, "labels.gz"))
    assert np.array_equal(good, data.loadMNISTLabels(data.mnist_path("t10k-labels")))


def test_four_billion_empty_images_are_handled_at_once(tmp_path):
    empty = tmp_path / "empty-images"
    empty.write_bytes(struct.pack(">IIII", data.IMAGES_MAGIC, 2**32 - 1, 0, 0))
    start = time.perf_counter()
    assert data.read_idx(empty, data.IMAGES_MAGIC).shape == (2**32 - 1, 0, 0)
    assert data.loadMNISTImages(empty).shape == (0, 2**32 - 1)
    assert time.perf_counter() - start < 1.0


def _crafted_cache(cache, n=1 << 28):
    """Four gzip files whose headers announce n digits, each holding only its header, with
    the uncompressed size modulo 2^32 matching where it can (n * 784 is 0 modulo 2^32)."""
    cache.mkdir(parents=True)
    for prefix in ("train", "t10k"):
        (cache / data.MNIST_FILES[f"{prefix}-images"]).write_bytes(
            gzip.compress(struct.pack(">IIII", data.IMAGES_MAGIC, n, 28, 28)))
        (cache / data.MNIST_FILES[f"{prefix}-labels"]).write_bytes(
            gzip.compress(struct.pack(">II", data.LABELS_MAGIC, n)))


def test_data_info_refuses_crafted_files(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path / "cache"))
    _crafted_cache(tmp_path / "cache" / "mnist")
    assert not data.mnist_is_full()
    assert data.mnist_path("train-images").parent == data.SAMPLE
    _refused(data.mnist_counts, tmp_path / "cache" / "mnist" / data.MNIST_FILES["train-images"],
             "more than a gzip file")
    assert cli.main(["data", "info"]) == 0
    out = capsys.readouterr().out
    assert "the sample shipped" in out and "is not used" in out and "268435456 digits" not in out
    assert "train: 4000 digits" in out


def test_data_info_reads_the_data_through(tmp_path, monkeypatch, capsys):
    """Valid headers and sizes, but one file's gzip data damaged inside: not counted, and not
    used; a file replaced by a valid one is read again (the counts are kept per file state)."""
    cache = tmp_path / "mnist"
    cache.mkdir()
    for name in data.MNIST_FILES.values():
        (cache / name).write_bytes((data.SAMPLE / name).read_bytes())
    assert data.mnist_counts(cache) == (4000, 1000)
    target = cache / data.MNIST_FILES["train-images"]
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2:len(raw) // 2 + 64] = bytes(64)
    target.write_bytes(bytes(raw))
    _refused(lambda: data.mnist_counts(cache), target, "corrupt gzip")
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path))
    assert not data.mnist_is_full()
    assert cli.main(["data", "info"]) == 0
    assert "is not used" in capsys.readouterr().out
    target.write_bytes((data.SAMPLE / data.MNIST_FILES["train-images"]).read_bytes())
    assert data.mnist_is_full() and data.mnist_counts(cache) == (4000, 1000)


@pytest.mark.parametrize("raw, plain, gzipped", [
    (b"", "too short for an IDX header", "too short for an IDX header"),
    (struct.pack(">I", 2049) + b"\x00\x00", "truncated IDX header", "truncated IDX header"),
    (struct.pack(">II", 2049, 10) + bytes(9), "truncated: the header announces dimensions 10",
     "the gzip trailer says 17"),
    (struct.pack(">II", 2049, 2**32 - 1), r"4294967295 \(4294967303 bytes\), the file has 8",
     "more than a gzip file of"),
    (struct.pack(">II", 2049, 3) + bytes(4), "longer than its header says", "trailer says 12"),
    (struct.pack(">II", 2051, 3) + bytes(4), "Bad magic number", "Bad magic number"),
])
def test_each_refusal_is_one_line_naming_the_file(tmp_path, raw, plain, gzipped):
    bad = tmp_path / "labels"
    bad.write_bytes(raw)
    _refused(lambda: data.loadMNISTLabels(bad), bad, plain)
    bad.write_bytes(gzip.compress(raw))
    _refused(lambda: data.loadMNISTLabels(bad), bad, gzipped)


def test_the_cache_is_read_from_the_environment_when_used(tmp_path, monkeypatch):
    """UFLDL_PY_DATA set after import counts (read through ufldl_py.config at each use)."""
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path / "one"))
    assert data.mnist_dir() == tmp_path / "one" / "mnist" and data.data_dir() == tmp_path / "one"
    mirror, sums = _fake_mirror(tmp_path)
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path / "two"))
    assert data.fetch_mnist(source=mirror.as_uri(), checksums=sums, progress=False) \
        == tmp_path / "two" / "mnist"
    assert data.mnist_path("t10k-labels") == tmp_path / "two" / "mnist" / "t10k-labels-idx1-ubyte.gz"


def test_shipped_data_loads_from_a_zipped_install(tmp_path):
    """The package and its data imported from a zip archive (zipimport): the shipped files are
    reached through importlib.resources, never through a file name on disk."""
    root = Path(data.__file__).parents[2]
    archive = tmp_path / "ufldl_py.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in (root / "ufldl_py").rglob("*.py"):
            z.write(f, f.relative_to(root).as_posix())
        for f in (root / "data").rglob("*"):
            if f.is_file() and "__pycache__" not in f.parts:
                z.write(f, "ufldl_py/datafiles/" + f.relative_to(root / "data").as_posix())
    code = ("from ufldl_py import data; assert '.zip' in data.__file__, data.__file__; "
            "d = data.load_mnist_uint8(); h = data.load_housing(); r = data.load_images_raw(); "
            "i, y = data.load_stl_subset('test'); p = data.load_color_patches(10); "
            "from ufldl_py.ufldl_classic import pca; x = pca.load_pcaData(); "
            "print(d['train_x'].shape, h.shape, r.shape, i.shape, p.shape, x.shape)")
    env = {**os.environ, "PYTHONPATH": str(archive), "UFLDL_PY_DATA": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["(4000,", "784)", "(506,", "14)", "(512,", "512,", "10)",
                                  "(28,", "28,", "3,", "800)", "(192,", "10)", "(2,", "45)"]
