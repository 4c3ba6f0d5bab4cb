"""Issue 22: the file readers fuzzed in the suite (ufldl_py.testing.fuzz), in worker processes
under a memory limit and a time limit per case."""

import pytest

from ufldl_py.testing import fuzz

# loadmat: MAT 5 -v6, -v7 (compressed), v4 and Octave text, 2,500 cases (about 5 s)
MAT_SEED, MAT_CASES = 22, 2500
# the IDX loaders of ufldl_py.data, 2,000 cases (seed 22 found a gzip file asking for more
# memory than it can hold, case 326, before the loaders checked sizes against the bytes)
IDX_SEED, IDX_CASES = 22, 2000


def assert_clean(report):
    assert not report.findings, report.summary()


def test_loadmat_survives_the_fuzzer():
    report = fuzz.run(MAT_SEED, MAT_CASES, targets=("mat5", "mat7", "mat4", "text"))
    assert report.cases == MAT_CASES
    assert_clean(report)
    for target in ("mat5", "mat7", "mat4", "text"):  # the seeds load, and the mutants do not all
        assert report.counts[target].get("ok", 0) > 20, report.summary()
        assert report.counts[target].get("refused", 0) > 300, report.summary()


def test_idx_loaders_survive_the_fuzzer():
    report = fuzz.run(IDX_SEED, IDX_CASES, targets=("idx",))
    assert report.cases == IDX_CASES
    assert_clean(report)


def test_cases_are_reproducible():
    assert fuzz.make_case(5, 17) == fuzz.make_case(5, 17)
    assert fuzz.make_case(5, 17) != fuzz.make_case(6, 17)
    assert {fuzz.make_case(0, i)[0] for i in range(5)} == set(fuzz.TARGETS)


HARNESS = '''
import faulthandler, time

def ok(path): return 1
def refuse(path): raise ValueError(f"{path}: bad")
def unnamed(path): raise ValueError("bad")
def two_lines(path): raise ValueError(f"{path}: bad\\nand more")
def other(path): raise KeyError(path)
def crash(path): faulthandler._sigsegv()
def hang(path): time.sleep(60)
def hog(path): return bytearray(2 ** 31)
'''


@pytest.mark.parametrize("reader, outcome", [
    ("ok", "ok"), ("refuse", "refused"), ("unnamed", "bad-message"),
    ("two_lines", "bad-message"), ("other", "exception"), ("crash", "crash"),
    ("hang", "timeout"), ("hog", "memory"),
])
def test_the_harness_tells_each_failure(tmp_path, monkeypatch, reader, outcome):
    (tmp_path / "fuzz_harness.py").write_text(HARNESS)
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    got, message = fuzz.run_one(f"fuzz_harness:{reader}", b"data", memory_mb=1024,
                                timeout_s=3)
    assert got == outcome, message


def test_the_command_line_prints_a_summary(capsys):
    assert fuzz.main(["--cases", "50", "--seed", "3", "--targets", "text,mat7"]) == 0
    out = capsys.readouterr().out
    assert "fuzz: seed 3, 50 cases" in out and "text:" in out and "mat7:" in out
    with pytest.raises(SystemExit):
        fuzz.main(["--cases", "5", "--targets", "nope"])
