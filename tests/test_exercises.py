"""The exercises run end to end through `ufldl-py run`, print what the MATLAB scripts print
and save their figures."""

import pytest

from ufldl_py import cli


@pytest.fixture(autouse=True)
def sample_data(tmp_path, monkeypatch):
    """Use the shipped sample, whatever the machine's cache holds."""
    monkeypatch.setenv("UFLDL_PY_DATA", str(tmp_path / "cache"))


def test_run_lists_and_refuses_unknown(capsys):
    assert cli.main(["run", "--list"]) == 0
    assert "cnnTrain" in capsys.readouterr().out
    assert cli.main(["run", "no_such_exercise"]) == 2
    assert "no exercise" in capsys.readouterr().err


def test_cnnExercise(capsys):
    assert cli.main(["run", "cnnExercise", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert "Congratulations! Your convolution code passed the test." in out
    assert "Congratulations! Your pooling code passed the test." in out


def test_cnnTrain_short_run(capsys, figures_dir):
    assert cli.main(["run", "cnnTrain", "--epochs", "2", "--max-images", "2048",
                     "--seed", "0"]) == 0
    out = capsys.readouterr().out
    assert "Epoch 2: Cost on iteration 16 is" in out
    acc = float(out.split("Accuracy is ")[1].split()[0])
    assert 0.4 < acc <= 1.0  # 16 iterations on 2,048 digits: well above chance (0.1)
    for name in ("cnnTrain_filters.png", "cnnTrain_cost.png"):
        assert (figures_dir / name).stat().st_size > 2000


def test_test_example_CNN(capsys, figures_dir):
    assert cli.main(["run", "test_example_CNN", "--max-images", "500"]) == 0
    out = capsys.readouterr().out
    assert "epoch 1/1" in out and "test error:" in out
    assert (figures_dir / "test_example_CNN_rL.png").stat().st_size > 2000


def test_ex1a_linreg(capsys, figures_dir):
    assert cli.main(["run", "ex1a_linreg", "--seed", "0"]) == 0
    out = capsys.readouterr().out
    train_rms = float(out.split("RMS training error: ")[1].split()[0])
    test_rms = float(out.split("RMS testing error: ")[1].split()[0])
    assert 3 < train_rms < 6 and 3 < test_rms < 8  # house prices in $1000s
    assert (figures_dir / "ex1a_linreg_prices.png").exists()


@pytest.mark.parametrize("script, least", [("ex1b_logreg", 99.0), ("ex1c_softmax", 80.0)])
def test_ex1_classifiers(capsys, script, least):
    assert cli.main(["run", script, "--seed", "0"]) == 0
    out = capsys.readouterr().out
    assert "Iteration   FunEvals" in out
    assert float(out.split("Test accuracy: ")[1].split("%")[0]) >= least


def test_run_train(capsys):
    assert cli.main(["run", "run_train", "--seed", "0", "--max-iter", "10", "--hidden", "32"]) == 0
    out = capsys.readouterr().out
    assert "Reached Maximum Number of Iterations" in out
    assert float(out.split("test accuracy: ")[1].split()[0]) > 0.6
