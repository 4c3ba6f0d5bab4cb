"""ufldl_py.matlab.octave: the bridge that runs MATLAB code in Octave."""

import numpy as np
import pytest

from ufldl_py.matlab import bridge, octave


def test_missing_octave_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("UFLDL_PY_OCTAVE", "no-such-octave-executable")
    assert not octave.available()
    with pytest.raises(octave.OctaveNotFoundError, match="Octave is not installed"):
        octave.Session()


def test_missing_path_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        bridge.as_paths([tmp_path / "nope"])


@pytest.mark.octave
def test_call_returns_outputs_in_matlab_order():
    A = np.arange(12.0).reshape(3, 4)
    m, n = octave.call("size", A, nargout=2)
    assert (m, n) == (3.0, 4.0)
    assert octave.call("numel", A) == 12.0
    np.testing.assert_array_equal(octave.call("cumsum", A), np.cumsum(A, axis=0))


@pytest.mark.octave
def test_version_is_octaves_own():
    v = octave.version()
    assert v == octave.run("v = version();", outputs=["v"])["v"]
    assert v.split(".")[0].isdigit()


@pytest.mark.octave
def test_run_keeps_jobs_apart():
    octave.run("leak = 1;")
    with pytest.raises(octave.OctaveError, match="leak"):
        octave.run("y = leak;", outputs=["y"])


@pytest.mark.octave
def test_errors_carry_octave_message_and_identifier():
    with pytest.raises(octave.OctaveError, match="boom 3") as info:
        octave.call("error", "my:id", "boom %d", 3.0)
    assert info.value.identifier == "my:id"
    with pytest.raises(octave.OctaveFunctionNotFoundError, match="no_such_function_xyz"):
        octave.call("no_such_function_xyz", 1.0)
    # the session is still usable after errors
    assert octave.call("plus", 1.0, 2.0) == 3.0


@pytest.mark.octave
def test_path_adds_user_functions_for_one_call(tmp_path):
    (tmp_path / "twice_plus.m").write_text(
        "function [a, b] = twice_plus(x, y)\n  a = 2 * x;\n  b = x + y;\nend\n")
    a, b = octave.call("twice_plus", np.ones((2, 2)), 3.0, nargout=2, path=tmp_path)
    np.testing.assert_array_equal(a, 2 * np.ones((2, 2)))
    np.testing.assert_array_equal(b, 4 * np.ones((2, 2)))
    with pytest.raises(octave.OctaveFunctionNotFoundError):
        octave.call("twice_plus", 1.0, 1.0)


@pytest.mark.octave
def test_printed_output_is_captured(capsys):
    octave.run("disp('hello from octave')", echo=True)
    assert "hello from octave" in capsys.readouterr().out


@pytest.mark.octave
def test_session_restarts_after_octave_dies():
    s = octave.session()
    s._proc.kill()
    s._proc.wait()
    assert octave.call("plus", 2.0, 2.0) == 4.0
    assert octave.session() is not s


@pytest.mark.octave
def test_input_and_output_names_cannot_change_what_runs(tmp_path):
    # issue 22: an input named as the driver's folder variable made Octave run that folder's
    # code.m; now the driver's variables are out of the job's reach
    evil = tmp_path / "evil"
    evil.mkdir()
    (evil / "code.m").write_text("y = 666;\n")
    (evil / "in.mat").write_bytes(b"")
    for name in ("jobdir_ufldl_", "file_ufldl_", "paths_ufldl_", "outnames_ufldl_"):
        assert octave.run("y = 2;", {name: str(evil)}, ["y"]) == {"y": 2.0}, name
    assert octave.run("y = x + 1;", {"x": 1.0, "builtin": 3.0}, ["y"]) == {"y": 2.0}


@pytest.mark.octave
def test_a_missing_output_is_an_error_naming_it():
    with pytest.raises(octave.OctaveError, match="did not define the output variable nosuch$"):
        octave.run("y = 2;", {}, ["y", "nosuch"])
    with pytest.raises(octave.OctaveError, match="output variable a$"):
        octave.run("a = 1; clear all;", {}, ["a", "b"])


def test_output_names_must_be_matlab_names():
    with pytest.raises(ValueError, match="not a valid MATLAB variable name"):
        octave.run("y = 2;", {}, ["y'); system('touch /tmp/x'); %"])


@pytest.mark.octave
def test_path_folders_travel_as_data(tmp_path):
    # a folder whose name is MATLAB code is only a folder: the path goes in job.mat
    odd = tmp_path / "x'); error('injected'); %"
    odd.mkdir()
    (odd / "thrice.m").write_text("function y = thrice(x)\n  y = 3 * x;\nend\n")
    assert octave.call("thrice", 2.0, path=odd) == 6.0


@pytest.mark.octave
def test_a_closed_session_leaves_no_open_pipe_or_folder():
    """close() ends Octave, closes the pipes to it (no ResourceWarning at exit) and removes
    the session's folder; closing again is harmless."""
    s = octave.Session()
    assert s.run("x = 2 + 2;", outputs=["x"])["x"] == 4
    s.close()
    assert not s.alive and s._proc.stdin.closed and s._proc.stdout.closed
    assert not s._dir.exists()
    s.close()
