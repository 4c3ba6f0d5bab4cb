"""The command line as a user meets it: one line and an exit status for every mistake."""

import sys
import zipfile

import numpy as np
import pytest

from ufldl_py import cli, config, crosscheck, registry, student
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


@pytest.fixture
def scripts(tmp_path, monkeypatch):
    """A package of exercise scripts of the test's own, in place of ufldl_py.exercises."""
    package = tmp_path / "scratch_exercises"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(registry, "PACKAGE", "scratch_exercises")
    monkeypatch.setenv("UFLDL_PY_FIGURES", str(tmp_path / "figures"))
    yield package
    for name in [m for m in sys.modules if m.split(".")[0] == "scratch_exercises"]:
        del sys.modules[name]


def test_failures_exit_1_in_one_line_and_traceback_on_request(monkeypatch, capsys, scripts):
    (scripts / "broken.py").write_text(
        "def main(argv):\n    raise ValueError('labels must be integers in 1..10')\n")
    (scripts / "interrupted.py").write_text("def main(argv):\n    raise KeyboardInterrupt\n")
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
    assert cli.main(["crosscheck", "conv2", "--trials", "0"]) == 2
    assert "not a positive whole number" in one_error_line(capsys.readouterr().err)
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


def exercise_error_line(name: str, err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"{name}: error: "), err
    return lines[0]


@pytest.mark.parametrize("name", sorted(registry.exercises()))
def test_every_exercise_has_help_and_refuses_a_bad_option_in_one_line(name, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["run", name, "--help"])
    assert info.value.code == 0
    assert "usage:" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        cli.main(["run", name, "--no-such-option"])
    assert info.value.code == 2
    assert "unrecognized arguments: --no-such-option" in exercise_error_line(
        name, capsys.readouterr().err)


@pytest.mark.parametrize("name", sorted(n for n in registry.exercises()
                                        if "--seed" in registry.source(n)
                                        or "add_seed_arguments" in registry.source(n)))
def test_a_negative_seed_is_a_usage_error(name, capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["run", name, "--seed", "-1"])
    assert info.value.code == 2
    assert "--seed: '-1' is not a number >= 0" in exercise_error_line(
        name, capsys.readouterr().err)


@pytest.mark.parametrize("argv, says", [
    ([], "a command is needed: run, crosscheck, exercise, data"),
    (["frobnicate"], "unknown command 'frobnicate'"),
    (["run"], "needs the name of an exercise"),
    (["crosscheck"], "name the functions to cross-check"),
    (["crosscheck", "conv2", "--seed", "-1"], "--seed: '-1' is not a whole number >= 0"),
    (["crosscheck", "conv2", "--seed", "x"], "--seed: 'x' is not a whole number >= 0"),
    (["crosscheck", "--no-such-option"], "unrecognized arguments: --no-such-option"),
    (["exercise"], "needs an action: list, start or check"),
    (["exercise", "frob"], "invalid choice: 'frob'"),
    (["exercise", "start"], "the following arguments are required: name"),
    (["exercise", "check", "cnn", "--timeout", "0"], "'0' is not a positive number"),
    (["exercise", "list", "extra"], "unrecognized arguments: extra"),
    (["data"], "needs an action: fetch or info"),
    (["data", "frob"], "invalid choice: 'frob'"),
    (["data", "fetch", "cifar"], "invalid choice: 'cifar'"),
    (["data", "fetch"], "the following arguments are required: dataset"),
    (["data", "info", "--dest", "x"], "unrecognized arguments: --dest x"),
])
def test_every_usage_error_of_a_command_is_one_line_and_exit_2(argv, says, capsys):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert says in one_error_line(captured.err) and "usage:" not in captured.out


@pytest.mark.parametrize("variable, value, reader", [
    ("UFLDL_PY_THREADS", "abc", "threads"), ("UFLDL_PY_THREADS", "0", "threads"),
    ("UFLDL_PY_RANDOM_DIALECT", "xyz", "random_dialect"),
])
def test_a_bad_environment_variable_is_a_usage_error_where_it_is_read(variable, value, reader,
                                                                      scripts, monkeypatch,
                                                                      capsys):
    """Read by the work itself (config's functions, at the time of use), a bad UFLDL_PY_*
    value is one line naming it and exit status 2."""
    (scripts / "reads.py").write_text(
        f"from ufldl_py import config\ndef main(argv):\n    config.{reader}()\n")
    monkeypatch.setenv(variable, value)
    assert cli.main(["run", "reads"]) == 2
    assert variable in one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("value", ["abc", "0"])
def test_bad_threads_stop_a_real_exercise_with_exit_2(value, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("UFLDL_PY_FIGURES", str(tmp_path))
    monkeypatch.setenv(config.THREADS, value)
    assert cli.main(["run", "cnnExercise", "--seed", "1"]) == 2
    assert f"UFLDL_PY_THREADS='{value}'" in one_error_line(capsys.readouterr().err)


def test_exercise_list_aligns_every_column(capsys):
    assert cli.main(["exercise", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    gaps = [line.index(" gap(s)") - len(line[:line.index(" gap(s)")].split()[-1])
            for line in lines if line.endswith("gap(s)")]
    assert len(gaps) == sum(len(c.functions) for c in student.CHAPTERS.values())
    assert len(set(gaps)) == 1  # every count in one column, sparseAutoencoderLinearCost's too
    origins = {line.index(c.origin) for c in student.CHAPTERS.values() for line in lines
               if line.startswith(c.name + " ")}
    assert len(origins) == 1


def test_the_registry_reads_a_zipped_package(tmp_path, monkeypatch):
    """No file paths: the exercises of a zipped install are listed, read and imported."""
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipped_exercises/__init__.py", "")
        z.writestr("zipped_exercises/demo.py", "def main(argv):\n    return len(argv)\n")
        z.writestr("zipped_exercises/_private.py", "")
        z.writestr("zipped_exercises/notes.txt", "")
    monkeypatch.syspath_prepend(str(archive))
    monkeypatch.setattr(registry, "PACKAGE", "zipped_exercises")
    try:
        assert list(registry.exercises()) == ["demo"]
        assert "return len(argv)" in registry.source("demo")
        assert registry.load("demo").main(["a", "b"]) == 2
        with pytest.raises(KeyError, match="no exercise 'nope'"):
            registry.load("nope")
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] == "zipped_exercises"]:
            del sys.modules[name]
