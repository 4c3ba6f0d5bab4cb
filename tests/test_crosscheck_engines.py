"""crosscheck's engines (issue 24): MATLAB through a stand-in that runs Octave, the choice of
engine, the one-line errors of a missing or failing engine, and --expected with no engine."""

import configparser
import os
import shutil
import subprocess
from fnmatch import fnmatch
from pathlib import Path

import numpy as np
import pytest

from ufldl_py import cli, crosscheck
from ufldl_py.crosscheck import Check
from ufldl_py.crosscheck.checks import _seeded_samplePatches
from ufldl_py.matlab import bridge, octave
from ufldl_py.matlab import random as R

ROOT = Path(__file__).resolve().parents[1]

# common/cnnPool.m of stanford_dl_ex, completed here in our own words (mean pooling), and the
# same with one wrong line
GOOD_POOL = """function pooledFeatures = cnnPool(poolDim, convolvedFeatures)
numImages = size(convolvedFeatures, 4);
numFilters = size(convolvedFeatures, 3);
convolvedDim = size(convolvedFeatures, 1);
pooledFeatures = zeros(convolvedDim / poolDim, convolvedDim / poolDim, numFilters, numImages);
for i = 1:numImages
  for f = 1:numFilters
    pooled = conv2(convolvedFeatures(:, :, f, i), ones(poolDim) / poolDim^2, 'valid');
    pooledFeatures(:, :, f, i) = pooled(1:poolDim:end, 1:poolDim:end);
  end
end
end
"""
WRONG_POOL = GOOD_POOL.replace("ones(poolDim) / poolDim^2", "ones(poolDim) / poolDim")


def _stand_in(bin_dir: Path, body: str) -> Path:
    """A `matlab` executable in bin_dir running the shell ``body``."""
    bin_dir.mkdir(exist_ok=True)
    exe = bin_dir / "matlab"
    exe.write_text(f"#!/bin/sh\n{body}\n")
    exe.chmod(0o755)
    return exe


def _octave_matlab(bin_dir: Path) -> Path:
    """A stand-in MATLAB: accepts ``-batch CMD`` (only that) and runs CMD in octave-cli."""
    octave_cli = shutil.which("octave-cli")
    return _stand_in(bin_dir, (
        '[ "$#" -eq 2 ] && [ "$1" = "-batch" ] || { echo "usage: matlab -batch CMD" >&2; '
        'exit 2; }\n'
        f'exec "{octave_cli}" --quiet --norc --no-history --no-window-system --eval "$2"'))


def _originals(folder: Path, pool: str) -> Path:
    (folder / "cnn").mkdir(parents=True)
    (folder / "cnn" / "cnnPool.m").write_text(pool)
    return folder


@pytest.fixture
def matlab_on_path(tmp_path, monkeypatch):
    exe = _octave_matlab(tmp_path / "bin")
    monkeypatch.setenv("PATH", f"{exe.parent}{os.pathsep}{os.environ['PATH']}")
    return exe


@pytest.mark.octave
def test_matlab_bridge_runs_jobs_with_the_same_exchange(matlab_on_path, tmp_path):
    m = bridge.Matlab()
    assert m.exe == str(matlab_on_path)
    out = m.run("y = x' * 2; s = struct('a', 1);", {"x": np.arange(3.0)}, ["y", "s"])
    np.testing.assert_array_equal(out["y"], 2 * np.arange(3.0).reshape(1, 3))
    assert out["s"] == {"a": 1.0}
    assert m.version() == octave.version()  # the stand-in's version() is Octave's
    with pytest.raises(bridge.MatlabError, match="did not define the output variable nosuch$"):
        m.run("y = 2;", {}, ["y", "nosuch"])
    with pytest.raises(bridge.MatlabError, match="boom 3") as info:
        m.run("error('my:id', 'boom %d', 3);")
    assert info.value.identifier == "my:id"
    # no input or output name reaches the driver: names are data, as in the Octave bridge
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "code.m").write_text("y = 666;\n")
    for name in ("jobdir_ufldl_", "file_ufldl_", "job_ufldl_", "out_ufldl_"):
        assert m.run("y = 2;", {name: str(evil)}, ["y"]) == {"y": 2.0}, name
    with pytest.raises(ValueError, match="not a valid MATLAB variable name"):
        m.run("y = 2;", {}, ["y'); system('touch /tmp/x'); %"])
    # the path travels as data too: a folder whose name is MATLAB code is just a folder
    odd = tmp_path / "x'); error('injected'); %"
    odd.mkdir()
    (odd / "twice.m").write_text("function y = twice(x)\n  y = 2 * x;\nend\n")
    assert m.run("y = twice(3);", {}, ["y"], path=odd) == {"y": 6.0}


@pytest.mark.octave
def test_crosscheck_in_matlab_passes_a_completed_copy_and_fails_a_wrong_line(
        matlab_on_path, tmp_path, capsys):
    good = _originals(tmp_path / "good", GOOD_POOL)
    wrong = _originals(tmp_path / "wrong", WRONG_POOL)
    # auto: MATLAB, since matlab is on PATH
    assert cli.main(["crosscheck", "cnnPool", "--matlab-path", str(good), "--trials", "1"]) == 0
    out = capsys.readouterr().out
    assert f"MATLAB {octave.version()}" in out and "all within tolerance" in out
    assert cli.main(["crosscheck", "cnnPool", "--engine", "matlab", "--matlab-path",
                     str(wrong), "--trials", "1"]) == 1
    assert "SOME OUTPUTS DIFFER" in capsys.readouterr().out
    # the same copy, in Octave: the report names the engine
    assert cli.main(["crosscheck", "cnnPool", "--engine", "octave", "--matlab-path", str(good),
                     "--trials", "1"]) == 0
    assert f"Octave {octave.version()}" in capsys.readouterr().out


def test_the_engine_is_chosen_as_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("UFLDL_PY_OCTAVE", "no-such-octave-executable")
    with pytest.raises(bridge.EngineNotFoundError, match="--engine octave"):
        crosscheck.engine("matlab")
    with pytest.raises(octave.OctaveNotFoundError, match="--engine matlab"):
        crosscheck.engine("auto")
    with pytest.raises(ValueError, match="goes with --engine matlab"):
        crosscheck.engine("octave", matlab_exe="matlab")
    with pytest.raises(ValueError, match="--engine must be one of"):
        crosscheck.engine("scilab")
    exe = _stand_in(tmp_path / "bin", "exit 0")
    assert isinstance(crosscheck.engine("auto", matlab_exe=exe), bridge.Matlab)
    monkeypatch.setenv("PATH", str(exe.parent))
    assert crosscheck.engine("auto").exe == str(exe)
    monkeypatch.delenv("UFLDL_PY_OCTAVE")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(octave, "available", lambda: True)
    assert crosscheck.engine("auto") is octave


def test_a_missing_engine_is_one_line_and_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("UFLDL_PY_OCTAVE", "no-such-octave-executable")
    assert cli.main(["crosscheck", "conv2", "--engine", "matlab"]) == 2
    err = capsys.readouterr().err
    assert "no matlab on PATH" in err and "--engine octave" in err and err.count("\n") == 1
    assert cli.main(["crosscheck", "conv2", "--matlab-exe", str(tmp_path / "nope")]) == 2
    assert "is not an executable" in capsys.readouterr().err
    assert cli.main(["crosscheck", "conv2"]) == 2
    err = capsys.readouterr().err
    assert "Octave is not installed" in err and "--engine matlab" in err


@pytest.mark.parametrize("printed, says", [
    ("License checkout failed.\\nLicense Manager Error -9\\nThe hostid of your computer "
     "does not match.", "could not check out a licence (License checkout failed.)"),
    ("Fatal error loading library libmwfl.so", "failed to start or to run the job (exit "
                                              "status 1: Fatal error loading library"),
])
def test_a_matlab_that_does_not_start_is_one_line(tmp_path, monkeypatch, capsys, printed, says):
    exe = _stand_in(tmp_path / "bin", f'printf "{printed}\\n"; exit 1')
    monkeypatch.setenv("PATH", f"{exe.parent}{os.pathsep}{os.environ['PATH']}")
    assert cli.main(["crosscheck", "conv2", "--trials", "1"]) == 1
    err = capsys.readouterr().err
    assert says in err and "--engine octave" in err and err.count("\n") == 1
    with pytest.raises(bridge.EngineStartError, match="--engine octave"):
        bridge.Matlab().run("x = 1;", outputs=["x"])


class _FakeMatlab:
    """An engine that answers with the MATLAB dialect's numbers, without any process."""

    NAME, DIALECT = "MATLAB", "matlab"

    def run(self, code, inputs, outputs, path=None):
        with R.dialect("matlab"), R.isolated():
            R.rng(5)
            return {"out1": R.rand(1, 3) + inputs["x"]}


def test_with_matlab_the_port_draws_matlabs_random_numbers():
    def noisy(x):
        R.rng(5)
        return R.rand(1, 3) + x

    check = Check("noisy", noisy, lambda rng: (1.0,), ("x",))
    assert check.matlab_code("matlab") == ("[out1] = noisy(x);", ["out1"])
    assert all(r.ok for r in crosscheck.run_check(check, engine=_FakeMatlab()))
    with R.dialect("octave"):  # the caller's dialect is not the one the comparison uses
        assert all(r.ok for r in crosscheck.run_check(check, engine=_FakeMatlab()))
    fake_octave = type("FakeOctave", (_FakeMatlab,), {"NAME": "Octave", "DIALECT": "octave"})
    assert not any(r.ok for r in crosscheck.run_check(check, engine=fake_octave()))


def test_samplePatches_is_seeded_in_each_engines_own_way():
    check = crosscheck.get("samplePatches")
    assert check.matlab_code("octave")[0].startswith("rand('state', 42);")
    assert check.matlab_code("matlab")[0].startswith("rng(42);")
    args = check.inputs(np.random.default_rng(0))
    with R.dialect("octave"):
        a = _seeded_samplePatches(*args)
        np.testing.assert_array_equal(a, _seeded_samplePatches(*args))
    with R.dialect("matlab"):
        b = _seeded_samplePatches(*args)
        np.testing.assert_array_equal(b, _seeded_samplePatches(*args))
    assert not np.array_equal(a, b)


def test_the_capture_function_is_package_data(tmp_path, capsys):
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    patterns = cfg["options.package_data"]["ufldl_py.crosscheck"].strip().splitlines()
    folder = ROOT / "ufldl_py" / "crosscheck"
    shipped = [p.relative_to(folder).as_posix() for p in folder.rglob("*")
               if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert "matlab/ufldl_capture.m" in shipped
    for name in shipped:
        assert any(fnmatch(name, p.strip()) for p in patterns), name
    source = crosscheck.capture_source()
    assert source.startswith("function varargout = ufldl_capture(fname, varargin)")
    assert cli.main(["crosscheck", "--write-capture", str(tmp_path / "cap")]) == 0
    assert (tmp_path / "cap" / "ufldl_capture.m").read_text() == source
    assert "ufldl_capture.m" in capsys.readouterr().out
    (tmp_path / "file").write_text("")
    assert cli.main(["crosscheck", "--write-capture", str(tmp_path / "file")]) == 2


def _capture(folder: Path, statement: str) -> None:
    """Run ``statement`` in Octave in ``folder`` with ufldl_capture.m written there."""
    crosscheck.write_capture(folder)
    subprocess.run([shutil.which("octave-cli"), "--quiet", "--norc", "--no-history",
                    "--eval", f"rand('state', 3); {statement}"],
                   cwd=folder, check=True, capture_output=True, timeout=120)


@pytest.mark.octave
def test_expected_outputs_round_trip_with_no_engine(tmp_path, monkeypatch, capsys):
    for name, pool in (("good", GOOD_POOL), ("wrong", WRONG_POOL)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "cnnPool.m").write_text(pool)
        _capture(tmp_path / name, "ufldl_capture('cnnPool', 2, rand(6, 6, 3, 2));")
    (tmp_path / "size").mkdir()
    _capture(tmp_path / "size", "[m, n] = ufldl_capture('size', rand(3, 2));")
    (tmp_path / "two").mkdir()
    (tmp_path / "two" / "twoout.m").write_text(
        "% a signature over three lines\nfunction [zz, ...\n  aa] = twoout(x, ...\n  y)\n"
        "  zz = x + y;\n  aa = x - y;\nend\n")
    _capture(tmp_path / "two", "ufldl_capture('twoout', rand(2), 3);")
    assert crosscheck.load_expected(tmp_path / "two" / "twoout_out.mat").keys() == {"zz", "aa"}
    assert crosscheck.load_expected(tmp_path / "two" / "twoout_in.mat").keys() == {"x", "y"}

    # no engine at all from here on
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("UFLDL_PY_OCTAVE", "no-such-octave-executable")
    monkeypatch.setattr(bridge.subprocess, "run", None)
    monkeypatch.setattr(octave.subprocess, "Popen", None)

    def expected(folder: Path, name: str, *more: str) -> int:
        return cli.main(["crosscheck", name, "--inputs", str(folder / f"{name}_in.mat"),
                         "--expected", str(folder / f"{name}_out.mat"), *more])

    assert expected(tmp_path / "good", "cnnPool") == 0
    out = capsys.readouterr().out
    assert "no engine" in out and "all within tolerance" in out
    assert expected(tmp_path / "wrong", "cnnPool") == 1
    assert "SOME OUTPUTS DIFFER" in capsys.readouterr().out
    # outputs by the signature's names (zz, aa: not in the file's order) or out1, out2, ...
    monkeypatch.setitem(crosscheck._REGISTRY, "twoout", Check(
        "twoout", lambda x, y: (x + y, x - y), lambda rng: (), ("x", "y"), nargout=2,
        outnames=("zz", "aa"), where="ufldl"))
    assert expected(tmp_path / "two", "twoout") == 0
    monkeypatch.setitem(crosscheck._REGISTRY, "twoout", Check(
        "twoout", lambda x, y: (x - y, x + y), lambda rng: (), ("x", "y"), nargout=2,
        outnames=("zz", "aa"), where="ufldl"))
    assert expected(tmp_path / "two", "twoout") == 1
    monkeypatch.setitem(crosscheck._REGISTRY, "size", Check(
        "size", lambda A: tuple(float(n) for n in np.shape(A)), lambda rng: (), ("in1",),
        nargout=2))
    assert expected(tmp_path / "size", "size") == 0
    capsys.readouterr()
    # the wrong file for the function: one line naming what it holds and what was looked for
    assert cli.main(["crosscheck", "twoout", "--inputs", str(tmp_path / "two" / "twoout_in.mat"),
                     "--expected", str(tmp_path / "good" / "cnnPool_out.mat")]) == 2
    assert "holds pooledFeatures; twoout's outputs are looked up as zz, aa or out1, out2" \
        in capsys.readouterr().err


def test_expected_usage_errors(tmp_path, capsys):
    bad = tmp_path / "bad.mat"
    bad.write_bytes(b"not a mat file")
    assert cli.main(["crosscheck", "conv2", "--expected", str(bad)]) == 2
    assert "needs --inputs IN.mat" in capsys.readouterr().err
    assert cli.main(["crosscheck", "all", "--inputs", str(bad), "--expected", str(bad)]) == 2
    assert "compares one function" in capsys.readouterr().err
    assert cli.main(["crosscheck", "conv2", "--inputs", str(bad), "--expected", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"--inputs {bad} cannot be read" in err and err.count("\n") == 1
    with pytest.raises(ValueError, match="cannot be read"):
        crosscheck.load_expected(bad)
    with pytest.raises(ValueError, match="looked up as out1"):
        crosscheck.expected_outputs(crosscheck.get("conv2"), {"a": 1.0, "b": 2.0})
    assert crosscheck.expected_outputs(crosscheck.get("conv2"), {"C": 1.0}) == [1.0]
