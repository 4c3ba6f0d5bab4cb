"""Issue 22: no input file crashes, hangs or runs away; every refusal is one line naming the
file; valid deep files load; savemat refuses what MATLAB cannot load and keeps old files."""

import io
import os
import struct
import time
import zlib

import numpy as np
import pytest
import scipy.io
import scipy.sparse

from ufldl_py.matlab import octave
from ufldl_py.matlab.io import Cell, loadmat, savemat


def refused(path, match):
    """loadmat(path) raises a one-line ValueError naming the file and matching ``match``."""
    start = time.perf_counter()
    with pytest.raises(ValueError, match=match) as info:
        loadmat(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message, message
    assert time.perf_counter() - start < 2, "the refusal took too long"
    return message


def v6_bytes(variables):
    b = io.BytesIO()
    scipy.io.savemat(b, variables)
    return bytearray(b.getvalue())


# --------------------------------------------------------------------------- MAT 5


@pytest.mark.parametrize("code", [0, 8, 10, 11, 15, 19, 20, 255, 2 ** 15])
def test_corrupt_data_type_codes_are_refused_not_a_crash(tmp_path, code):
    # the reproduction: scipy's reader segfaulted on these (rc 139)
    d = v6_bytes({"x": np.zeros((2, 3), np.int16)})
    d[176:180] = code.to_bytes(4, "little")
    (tmp_path / "m.mat").write_bytes(d)
    refused(tmp_path / "m.mat", f"invalid data type code {code}|small data element")


def test_sizes_are_checked_against_the_bytes_present(tmp_path):
    d = v6_bytes({"x": np.zeros((2, 3))})
    dims = d.find(struct.pack("<ii", 2, 3))
    bad = bytearray(d)
    bad[dims:dims + 8] = struct.pack("<ii", 100000, 100000)
    (tmp_path / "dims.mat").write_bytes(bad)
    refused(tmp_path / "dims.mat", r"variable 'x' \(100000x100000\): 10000000000 values need")
    bad = bytearray(d)
    bad[132:136] = struct.pack("<I", 2 ** 31)  # the matrix claims 2 GiB
    (tmp_path / "len.mat").write_bytes(bad)
    refused(tmp_path / "len.mat", "claims 2147483648 bytes, only .* are present")
    (tmp_path / "cut.mat").write_bytes(d[:-9])
    refused(tmp_path / "cut.mat", "claims .* bytes|truncated")


def test_a_cell_of_more_elements_than_the_file_holds_is_refused(tmp_path):
    d = v6_bytes({"c": np.array([[1.0, 2.0]], dtype=object)})
    dims = d.find(struct.pack("<ii", 1, 2))
    d[dims:dims + 8] = struct.pack("<ii", 65536, 65536)
    (tmp_path / "c.mat").write_bytes(d)
    refused(tmp_path / "c.mat", r"a 65536x65536 array needs 4294967296 elements")


def test_compressed_variables_are_checked_inside(tmp_path):
    savemat(tmp_path / "ok.mat", {"x": np.arange(6.0).reshape(2, 3)})
    d = bytearray((tmp_path / "ok.mat").read_bytes())
    body = bytearray(zlib.decompress(bytes(d[136:])))
    assert struct.unpack_from("<II", body, 24) == (5, 8)  # the dimensions' tag
    body[24:28] = struct.pack("<I", 8)  # now says data type 8
    packed = zlib.compress(bytes(body))
    (tmp_path / "z.mat").write_bytes(bytes(d[:128]) + struct.pack("<II", 15, len(packed))
                                     + packed)
    refused(tmp_path / "z.mat", "invalid data type code 8")
    (tmp_path / "junk.mat").write_bytes(bytes(d[:128]) + struct.pack("<II", 15, 13)
                                        + b"not zlib data")
    refused(tmp_path / "junk.mat", "corrupt compressed data")


def test_a_zeroed_mat5_header_is_not_read_as_v4(tmp_path):
    d = v6_bytes({"x": np.ones((2, 2))})
    d[:8] = bytes(8)
    (tmp_path / "z.mat").write_bytes(d)
    refused(tmp_path / "z.mat", "MAT 5 file whose header text is damaged")


def test_v4_files_load_and_bad_ones_are_refused(tmp_path):
    scipy.io.savemat(tmp_path / "v4.mat", {"a": np.arange(6.0).reshape(2, 3), "t": "hi"},
                     format="4")
    got = loadmat(tmp_path / "v4.mat")
    np.testing.assert_array_equal(got["a"], np.arange(6.0).reshape(2, 3))
    d = bytearray((tmp_path / "v4.mat").read_bytes())
    d[4:8] = struct.pack("<i", 2 ** 30)  # rows
    (tmp_path / "rows.mat").write_bytes(d)
    refused(tmp_path / "rows.mat", "needs .* bytes, only .* are present")
    # a v4 sparse matrix whose size row asks for 2^40 columns
    trip = np.array([[1.0, 1.0, 5.0], [1.0, 2.0 ** 40, 0.0]])
    name = b"s\0"
    raw = struct.pack("<5i", 2, 2, 3, 0, len(name)) + name + trip.tobytes(order="F")
    (tmp_path / "sp.mat").write_bytes(raw)
    refused(tmp_path / "sp.mat", "sparse indices or size")


def test_function_handles_and_octaves_logical_sparse_are_clear_refusals(tmp_path):
    d = v6_bytes({"x": np.ones((1, 1))})
    d[144:148] = struct.pack("<I", 16)  # array class 16: a function handle
    (tmp_path / "f.mat").write_bytes(d)
    refused(tmp_path / "f.mat", "array class 16 is not read")


@pytest.mark.parametrize("depth", [400])
def test_deep_nesting_loads_and_saves(tmp_path, depth):
    value = 1.0
    for _ in range(depth):
        value = [value]
    savemat(tmp_path / "deep.mat", {"v": value, "s": {"a": value}})
    got = loadmat(tmp_path / "deep.mat")["v"]
    for _ in range(depth):
        assert isinstance(got, Cell) and got.shape == (1, 1)
        got = got[0]
    assert got == 1.0


def test_nesting_beyond_the_limit_is_refused(tmp_path):
    value = 1.0
    for _ in range(1005):
        value = [value]
    with pytest.raises(ValueError, match="nested deeper than 1000 levels"):
        savemat(tmp_path / "deep.mat", {"v": value})
    assert not (tmp_path / "deep.mat").exists()


# --------------------------------------------------------------------------- Octave text

TEXT_CASES = {
    "struct_1e5": ("# name: s\n# type: struct\n# rows: 100000\n# columns: 100000\n"
                   "# length: 0\n", "struct array without fields of 10000000000 elements"),
    "range_1e9": ("# name: r\n# type: range\n# base, limit, increment\n0 1e9 1\n",
                  "a range of 1000000001 elements"),
    "ndims_1": ("# name: a\n# type: matrix\n# ndims: 1\n 3\n 1\n 2\n 3\n",
                "ndims must be at least 2"),
    "name_a_b": ("# name: a b\n# type: scalar\n1\n", "'a b' is not an identifier"),
    "underscore": ("# name: a\n# type: scalar\n1_000\n", "not a number: '1_000'"),
    "cut_number": ("# name: a\n# type: matrix\n# rows: 1\n# columns: 2\n 1 2.5",
                   "ends inside a line"),
    "dims_overflow": ("# name: c\n# type: cell\n# ndims: 2\n 4294967296 4294967296\n",
                      "a cell of 18446744073709551616 elements"),
    "big_matrix": ("# name: m\n# type: matrix\n# rows: 100000\n# columns: 100000\n",
                   "a 100000x100000 array of 10000000000 elements"),
    "sparse_cols": ("# name: s\n# type: sparse matrix\n# nnz: 0\n# rows: 1\n"
                    "# columns: 1000000000000\n", "more columns than the file"),
    "string_long": ("# name: s\n# type: string\n# elements: 1\n# length: 1000000\nab\n",
                    "a string of 1000000 bytes"),
    "not_utf8": (b"# name: s\n# type: string\n# elements: 1\n# length: 2\n\xff\xfe\n",
                 "not UTF-8"),
    "python_inf": ("# name: a\n# type: scalar\ninfinity\n", "not a number"),
}


@pytest.mark.parametrize("case", sorted(TEXT_CASES))
def test_octave_text_refusals(tmp_path, case):
    text, match = TEXT_CASES[case]
    path = tmp_path / f"{case}.txt"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    refused(path, match)


def test_octave_text_reads_as_octave_does(tmp_path):
    path = tmp_path / "ok.txt"
    path.write_bytes("# name: s\n# type: string\n# elements: 1\n# length: 6\nhéllo\n\n"
                     "# name: n\n# type: matrix\n# rows: 1\n# columns: 4\n NA -Inf 1e-3 .5\n"
                     "# name: r\n# type: range\n# base, limit, increment\n1 2 0.25\n"
                     .encode())
    got = loadmat(path)
    assert got["s"] == "héllo"  # '# length:' counts bytes
    np.testing.assert_array_equal(got["n"], [[np.nan, -np.inf, 1e-3, 0.5]])
    np.testing.assert_array_equal(got["r"], [[1, 1.25, 1.5, 1.75, 2]])


def test_octave_text_nested_400_deep_loads(tmp_path):
    depth = 400
    text = "# name: v\n" + "# type: cell\n# rows: 1\n# columns: 1\n# name: <cell-element>\n" \
        * depth + "# type: scalar\n7\n"
    (tmp_path / "deep.txt").write_text(text)
    got = loadmat(tmp_path / "deep.txt")["v"]
    for _ in range(depth):
        got = got[0]
    assert got == 7.0


@pytest.mark.octave
def test_octave_deep_files_load(tmp_path):
    code = "v = 1; for k = 1:400, v = {v}; end; save('-text', T, 'v'); save('-v7', M, 'v');"
    octave.run(code, {"T": str(tmp_path / "d.txt"), "M": str(tmp_path / "d.mat")})
    for name in ("d.txt", "d.mat"):
        got = loadmat(tmp_path / name)["v"]
        for _ in range(400):
            got = got[0]
        assert got == 1.0, name


# --------------------------------------------------------------------------- savemat


@pytest.mark.parametrize("name, why", [
    ("a" * 64, "64 characters, over MATLAB's namelengthmax of 63"),
    ("x" * 10000, "10000 characters"),
    ("end", "a MATLAB keyword"), ("function", "a MATLAB keyword"),
    ("a b", "not a MATLAB identifier"), ("_x", "not a MATLAB identifier"),
    ("héllo", "not a MATLAB identifier"), ("1x", "not a MATLAB identifier"),
])
def test_savemat_refuses_names_matlab_cannot_load(tmp_path, name, why):
    target = tmp_path / "old.mat"
    savemat(target, {"keep": 1.0})
    before = target.read_bytes()
    with pytest.raises(ValueError, match=why):
        savemat(target, {name: 1.0})
    if "keyword" not in why:  # a keyword is a valid field name: s.('end')
        with pytest.raises(ValueError, match="struct field name .* " + why):
            savemat(target, {"ok": {name: 1.0}})
    assert target.read_bytes() == before  # a refused save leaves the old file
    assert os.listdir(tmp_path) == ["old.mat"]


def test_savemat_accepts_63_characters_and_keyword_fields(tmp_path):
    name = "a" * 63
    savemat(tmp_path / "n.mat", {name: 1.0, "s": {"end": 2.0}})
    got = loadmat(tmp_path / "n.mat")
    assert got[name] == 1.0 and got["s"] == {"end": 2.0}


@pytest.mark.parametrize("value", [np.clongdouble(1), np.ones(2, np.longdouble),
                                   np.ones(2, np.float16)])
def test_savemat_refuses_types_matlab_lacks(tmp_path, value):
    with pytest.raises(TypeError, match=r"variable x: cannot save .*MATLAB has no such class"):
        savemat(tmp_path / "t.mat", {"x": value})


def test_savemat_long_target_names_fit_the_name_limit(tmp_path):
    for n in (242, 250, 251):
        target = tmp_path / ("a" * (n - 4) + ".mat")
        savemat(target, {"x": 1.0})
        assert loadmat(target) == {"x": 1.0}


def test_unicode_and_sparse_logical_round_trip_in_python(tmp_path):
    sl = scipy.sparse.csc_matrix(np.array([[True, False], [False, True]]))
    savemat(tmp_path / "u.mat", {"u": "héllo 日本", "sl": sl})
    got = loadmat(tmp_path / "u.mat")
    assert got["u"] == "héllo 日本"
    assert got["sl"].dtype == np.bool_ and (got["sl"] != sl).nnz == 0
    with pytest.raises(ValueError, match="basic plane"):
        savemat(tmp_path / "e.mat", {"e": "\U0001F600"})


@pytest.mark.octave
def test_unicode_and_sparse_logical_round_trip_with_octave(tmp_path):
    sl = scipy.sparse.csc_matrix(np.array([[True, False], [False, True]]))
    out = octave.run("n = numel(u); b = double(u); u2 = [u '!']; d = full(s); sp = issparse(s);",
                     {"u": "héllo 日本", "s": sl}, ["n", "u2", "d", "sp"])
    assert out["n"] == len("héllo 日本".encode())  # Octave's char is UTF-8 bytes
    assert out["u2"] == "héllo 日本!"
    np.testing.assert_array_equal(out["d"], sl.toarray())
    assert out["sp"] is True


@pytest.mark.octave
def test_octave_text_with_utf8_strings_loads_as_octave_wrote_it(tmp_path):
    # issue 22: '# length:' counts bytes; 'héllo' came back as 'héllo\n'
    octave.run("s = 'héllo 日本'; c = {'é', 'ab'}; save('-text', T, 's', 'c');",
               {"T": str(tmp_path / "u.txt")})
    got = loadmat(tmp_path / "u.txt")
    assert got["s"] == "héllo 日本" and list(got["c"]) == ["é", "ab"]


def test_mat5_nesting_beyond_the_limit_is_refused(tmp_path):
    def cell_of(child: bytes) -> bytes:  # a 1 x 1 cell holding one matrix element
        body = (struct.pack("<IIII", 6, 8, 1, 0) + struct.pack("<IIii", 5, 8, 1, 1)
                + struct.pack("<II", 1, 0) + child)
        return struct.pack("<II", 14, len(body)) + body

    element = struct.pack("<II", 14, 0)  # []
    for _ in range(1001):
        element = cell_of(element)
    top = bytearray(element)
    top[40:48] = struct.pack("<HHI", 1, 1, ord("v"))  # the outer cell is named v
    header = b"MATLAB 5.0 MAT-file".ljust(116, b" ") + bytes(8) + struct.pack("<H", 0x100) + b"IM"
    (tmp_path / "deep.mat").write_bytes(header + bytes(top))
    message = refused(tmp_path / "deep.mat", "nested deeper than 1000 levels")
    assert len(message) < 300
