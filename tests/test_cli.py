"""The command line as a user meets it: one line and an exit status for every mistake."""

import numpy as np
import pytest

from ufldl_py import cli, crosscheck
from ufldl_py.crosscheck import Check
from ufldl_py.matlab import io


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("ufldl-py: error: "), err
    return lines[0]


def test_a_figures_path_that_is_a_file_is_refused_before_training(tmp_path, monkeypatch,
                                                                  capsys):
    blocker = tmp_path / "figures"
    blocker.write_text("not a folder")
    monkeypatch.setenv("UFLDL_PY_FIGURES", str(blocker))
    assert cli.main(["run", "cnnTrain"]) == 2
    captured = capsys.readouterr()
    assert "is a file, not a folder" in one_error_line(captured.err)
    assert "MNIST" not in captured.out  # refused before the data was even loaded


def test_unknown_exercise_and_missing_name(capsys):
    assert cli.main(["run", "no_such_exercise"]) == 2
    assert "no exercise 'no_such_exercise'" in one_error_line(capsys.readouterr().err)
    assert cli.main(["run"]) == 2


def test_failures_exit_1_in_one_line_and_traceback_on_request(monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("UFLDL_PY_FIGURES", str(tmp_path / "figures"))
    monkeypatch.setattr(cli, "EXERCISES", tmp_path)
    (tmp_path / "broken.py").write_text(
        "def main(argv):\n    raise ValueError('labels must be integers in 1..10')\n")
    (tmp_path / "interrupted.py").write_text("def main(argv):\n    raise KeyboardInterrupt\n")
    assert cli.main(["run", "broken"]) == 1
    line = one_error_line(capsys.readouterr().err)
    assert "labels must be integers" in line and "--traceback" in line
    with pytest.raises(ValueError, match="labels must be integers"):
        cli.main(["--traceback", "run", "broken"])
    monkeypatch.setenv(cli.TRACEBACK_ENV, "1")
    with pytest.raises(ValueError, match="labels must be integers"):
        cli.main(["run", "broken"])
    monkeypatch.delenv(cli.TRACEBACK_ENV)
    assert cli.main(["run", "interrupted"]) == 130
    assert capsys.readouterr().err.strip() == "ufldl-py: interrupted"


def test_crosscheck_refuses_zero_trials_and_unreadable_inputs(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["crosscheck", "conv2", "--trials", "0"])
    assert info.value.code == 2
    assert "not a positive whole number" in capsys.readouterr().err
    bad = tmp_path / "inputs.mat"
    bad.write_bytes(b"MATLAB 5.0 MAT-file, truncated")
    assert cli.main(["crosscheck", "conv2", "--inputs", str(bad)]) == 2
    assert str(bad) in one_error_line(capsys.readouterr().err)
    good = tmp_path / "good.mat"
    io.savemat(good, {"A": np.ones((2, 2))})
    assert cli.main(["crosscheck", "conv2", "--inputs", str(good)]) == 2
    assert "lacks B, shape" in one_error_line(capsys.readouterr().err)


def test_crosscheck_all_with_a_path_runs_what_is_there_and_lists_the_rest(
        tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(crosscheck, "_REGISTRY", {})
    monkeypatch.setattr(crosscheck, "_loaded", True)
    checks = {
        "here": Check("here", abs, lambda rng: (1.0,), ("x",), where="ufldl", subdirs=("lib",)),
        "gone": Check("gone", abs, lambda rng: (1.0,), ("x",), where="dlt", subdirs=("CNN",)),
    }
    crosscheck._REGISTRY.update(checks)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "here.m").write_text("function y = here(x)\n  y = abs(x);\nend\n")
    from ufldl_py.matlab import octave
    if not octave.available():
        pytest.skip("octave-cli is not on PATH")
    assert cli.main(["crosscheck", "all", "--matlab-path", str(tmp_path), "--trials", "1"]) == 0
    out = capsys.readouterr().out
    assert "gone: CNN/gone.m is not in" in out and "all within tolerance" in out


def test_a_crosscheck_that_compared_nothing_fails(monkeypatch, capsys):
    from ufldl_py.matlab import octave
    if not octave.available():
        pytest.skip("octave-cli is not on PATH")
    monkeypatch.setattr(crosscheck, "run_check", lambda *args, **kwargs: [])
    assert cli.main(["crosscheck", "conv2", "--trials", "1"]) == 1
    out = capsys.readouterr().out
    assert "no output was compared" in out and "nothing was compared" in out


@pytest.mark.octave
def test_variants_are_named_and_uncompleted_templates_are_recognised(tmp_path):
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "scaled.m").write_text("function y = scaled(x)\n  y = 3 * x;\nend\n")
    (lib / "gap.m").write_text("function y = gap(x)\n  y = zeros(size(x));\n"
                               "  %%% YOUR CODE HERE %%%\nend\n")
    check = Check("scaled", lambda x: 2 * x, lambda rng: (rng.random((2, 3)),), ("x",),
                  where="ufldl", subdirs=("lib",), completion="twice",
                  variants=(("three times", lambda x: 3 * x),))
    rows = crosscheck.run_check(check, rng=np.random.default_rng(0), matlab_path=tmp_path)
    assert all(r.ok for r in rows) and rows[0].note == "matched: three times"
    gap = Check("gap", lambda x: 2 * x, lambda rng: (rng.random((2, 3)),), ("x",),
                where="ufldl", subdirs=("lib",))
    rows = crosscheck.run_check(gap, rng=np.random.default_rng(0), matlab_path=tmp_path)
    assert not rows[0].ok and "looks uncompleted" in rows[0].note


@pytest.mark.parametrize("name", sorted(cli.exercises()))
def test_every_exercise_has_help_and_refuses_a_bad_option(name, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["run", name, "--help"])
    assert info.value.code == 0
    assert "usage:" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        cli.main(["run", name, "--no-such-option"])
    assert info.value.code == 2
