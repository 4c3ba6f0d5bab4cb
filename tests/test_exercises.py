"""The exercises run end to end through `ufldl-py run`, print what the MATLAB scripts print
and save their figures."""

import gzip
import os
import struct
import subprocess
import sys

import numpy as np
import pytest

from ufldl_py import cli, data


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


def write_mnist_sized(dest, n_train=60000, n_test=10000):
    """IDX files of MNIST's full size (random digits) where mnist_path looks for the full set."""
    rng = np.random.default_rng(0)
    dest.mkdir(parents=True)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        with gzip.open(dest / data.MNIST_FILES[f"{prefix}-images"], "wb", compresslevel=0) as f:
            f.write(struct.pack(">IIII", data.IMAGES_MAGIC, n, 28, 28))
            f.write(rng.integers(0, 256, n * 784, dtype=np.uint8).tobytes())
        with gzip.open(dest / data.MNIST_FILES[f"{prefix}-labels"], "wb", compresslevel=0) as f:
            f.write(struct.pack(">II", data.LABELS_MAGIC, n))
            f.write(rng.integers(0, 10, n, dtype=np.uint8).tobytes())


@pytest.mark.slow
def test_cnnTrain_on_full_size_mnist_peaks_under_500_MB(tmp_path):
    """One epoch of cnnTrain, batch 256, over 60,000 digits (the training set held as doubles,
    as the MATLAB script holds it: 376 MB) stays under 500 MB of resident memory."""
    write_mnist_sized(tmp_path / "cache" / "mnist")
    code = ("import resource, sys; from ufldl_py import cli; "
            "rc = cli.main(['run', 'cnnTrain', '--epochs', '1', '--seed', '0']); "
            "print('MAXRSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); "
            "sys.exit(rc)")
    env = dict(os.environ, UFLDL_PY_DATA=str(tmp_path / "cache"),
               UFLDL_PY_FIGURES=str(tmp_path / "figures"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout
    assert "MNIST: full, 60000 training images" in out
    assert "Epoch 1: Cost on iteration 234 is" in out
    peak_mb = int(out.split("MAXRSS_KB")[1].split()[0]) / 1024
    assert peak_mb < 500, f"cnnTrain peaked at {peak_mb:.0f} MB"


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


def test_pca_gen(capsys, figures_dir):
    assert cli.main(["run", "pca_gen", "--seed", "0", "--max-images", "300"]) == 0
    out = capsys.readouterr().out
    assert "(diagonal: yes)" in out
    k = int(out.split("Step 2: k = ")[1].split()[0])
    assert 50 < k < 300  # of 784 pixels, 300 digits
    err = float(out.split("largest |covar - I| ")[1].split()[0])
    assert err < 1e-6
    for name in ("raw", "xHat", "pca_white", "zca_white", "covar_xRot", "covar_xPCAWhite"):
        assert (figures_dir / f"pca_gen_{name}.png").stat().st_size > 2000


def test_runSoftICA_short_run(capsys, figures_dir):
    assert cli.main(["run", "runSoftICA", "--seed", "0", "--m", "500", "--num-features", "8",
                     "--max-iter", "6"]) == 0
    out = capsys.readouterr().out
    assert "Iteration   FunEvals" in out and "Reached Maximum Number of Iterations" in out
    for name in ("runSoftICA_showBases.png", "runSoftICA_bases.png"):
        assert (figures_dir / name).stat().st_size > 2000


def test_stlExercise_short_run(capsys, figures_dir):
    assert cli.main(["run", "stlExercise", "--seed", "0", "--num-patches", "1000",
                     "--num-features", "8", "--max-iter", "5", "--softmax-max-iter", "30"]) == 0
    out = capsys.readouterr().out
    assert "# examples in unlabeled set: 3333" in out  # 5/6 of the sample, as 50,000 of 60,000
    assert "Iteration   FunEvals" in out
    train = float(out.split("Train Accuracy: ")[1].split("%")[0])
    test = float(out.split("Test Accuracy: ")[1].split("%")[0])
    assert train > 60 and test > 50  # 5 classes: chance is 20%
    assert (figures_dir / "stlExercise_bases.png").stat().st_size > 2000


def test_test_example_NN(capsys, figures_dir):
    assert cli.main(["run", "test_example_NN", "--max-images", "1000"]) == 0
    out = capsys.readouterr().out
    assert "MNIST: the sample shipped in data/, 1000 training" in out
    errors = [float(line.split("test error ")[1].split()[0])
              for line in out.splitlines() if "test error " in line]
    # bounds measured on the shipped sample (1,000 training digits, 1 or 5 epochs, tested
    # on its 1,000 held-out digits): the runs give 0.41-0.62 (nets 1-4), 0.26-0.32 (5, 6)
    assert len(errors) == 6, errors
    assert all(er < 0.7 for er in errors[:4]) and all(er < 0.4 for er in errors[4:]), errors
    assert "Full-batch train mse = " in out and "val mse = " in out
    for name in ("test_example_NN_ex5.png", "test_example_NN_ex6.png"):
        assert (figures_dir / name).stat().st_size > 2000


def test_test_example_SAE(capsys, figures_dir):
    assert cli.main(["run", "test_example_SAE", "--max-images", "2000"]) == 0
    out = capsys.readouterr().out
    assert "Training AE 1/1" in out
    er = float(out.split("test error: ")[1].split()[0])
    assert er < 0.55  # 20 steps on 2,000 digits of the sample give 0.46
    assert (figures_dir / "test_example_SAE_weights.png").stat().st_size > 2000


def test_test_example_DBN(capsys, figures_dir):
    assert cli.main(["run", "test_example_DBN", "--max-images", "2000"]) == 0
    out = capsys.readouterr().out
    assert out.count("Average reconstruction error is: ") == 3
    er = float(out.split("test error: ")[1].split()[0])
    assert er < 0.85  # 20 steps of a 784-100-100-10 sigm net: 0.74 on the sample
    assert (figures_dir / "test_example_DBN_rbm_weights.png").stat().st_size > 2000


def test_test_nn_gradients_are_numerically_correct(capsys):
    name = "test_nn_gradients_are_numerically_correct"
    assert cli.main(["run", name]) == 0
    assert "passed for all 12 nets" in capsys.readouterr().out
    assert cli.main(["run", name, "--sparsity"]) == 1  # the original's defect
    assert "numerical gradient checking failed" in capsys.readouterr().out
    # (the fixed run, --sparsity --sparsity-fix, is tested in test_dlt_nn.py)


def test_sparseae_exercise(capsys, figures_dir):
    assert cli.main(["run", "sparseae_exercise", "--seed", "0", "--numpatches", "2000",
                     "--max-iter", "30", "--check"]) == 0
    out = capsys.readouterr().out
    assert "Iteration   FunEvals" in out and "Reached Maximum Number of Iterations" in out
    assert "2.1452e-12" in out  # checkNumericalGradient
    for name in ("sparseae_exercise_patches.png", "sparseae_exercise_weights.png"):
        assert (figures_dir / name).stat().st_size > 2000


def test_vectorization_exercise(capsys, figures_dir):
    assert cli.main(["run", "vectorization_exercise", "--seed", "0", "--numpatches", "300",
                     "--hidden", "16", "--max-iter", "5"]) == 0
    out = capsys.readouterr().out
    assert "MNIST: the sample shipped in data/, 300 training digits" in out
    assert "Reached Maximum Number of Iterations" in out
    assert (figures_dir / "vectorization_exercise_weights.png").stat().st_size > 2000


def test_pca_exercises(capsys, figures_dir):
    assert cli.main(["run", "pca_2d"]) == 0
    assert cli.main(["run", "pca_exercise", "--seed", "0"]) == 0
    out = capsys.readouterr().out
    assert "Step 2: k = " in out and "retain 99% of the variance" in out
    for name in ("pca_2d", "pca_exercise_raw", "pca_exercise_covar", "pca_exercise_xhat",
                 "pca_exercise_covar_white", "pca_exercise_zca"):
        assert (figures_dir / f"{name}.png").stat().st_size > 2000


def test_softmax_exercise(capsys, figures_dir):
    assert cli.main(["run", "softmax_exercise", "--seed", "0", "--max-iter", "30",
                     "--debug"]) == 0
    out = capsys.readouterr().out
    assert float(out.split("Accuracy: ")[1].split("%")[0]) > 80
    assert (figures_dir / "softmax_exercise_weights.png").stat().st_size > 2000


def test_stl_and_stackedae_exercises(capsys, figures_dir):
    assert cli.main(["run", "stl_exercise", "--seed", "0", "--hidden", "20", "--max-iter", "5",
                     "--softmax-iter", "20"]) == 0
    out = capsys.readouterr().out
    assert "# examples in unlabeled set: 2000" in out
    assert float(out.split("Test Accuracy: ")[1].split("%")[0]) > 40
    assert (figures_dir / "stl_exercise_features.png").stat().st_size > 2000
    assert cli.main(["run", "stackedae_exercise", "--seed", "0", "--hidden1", "20",
                     "--hidden2", "10", "--max-iter", "5", "--softmax-iter", "5"]) == 0
    out = capsys.readouterr().out
    assert "Before Finetuning Test Accuracy: " in out and "After Finetuning Test Accuracy: " in out
    assert (figures_dir / "stackedae_exercise_features.png").stat().st_size > 2000


def test_linear_decoder_exercise(capsys, figures_dir):
    assert cli.main(["run", "linear_decoder_exercise", "--seed", "0", "--numpatches", "1000",
                     "--hidden", "16", "--max-iter", "5"]) == 0
    out = capsys.readouterr().out
    assert "Reached Maximum Number of Iterations" in out
    assert (figures_dir / "STL10Features.mat").is_file()
    for name in ("patches", "zca", "features"):
        assert (figures_dir / f"linear_decoder_exercise_{name}.png").stat().st_size > 2000


def test_cnn_exercise(capsys, figures_dir):
    assert cli.main(["run", "linear_decoder_exercise", "--seed", "0", "--numpatches", "1000",
                     "--hidden", "10", "--max-iter", "5"]) == 0
    assert cli.main(["run", "cnn_exercise", "--seed", "0", "--softmax-iter", "10"]) == 0
    out = capsys.readouterr().out
    assert "images: 1600 training, 800 test, 28x28x3 (the Fashion-MNIST subset" in out
    assert "poolDim 7: 3x3 pooled maps" in out
    assert "Congratulations! Your convolution code passed the test." in out
    assert "Congratulations! Your pooling code passed the test." in out
    # 4 classes (chance 25%); 76.6% measured with these 10 features after 5 iterations
    assert float(out.split("Accuracy: ")[1].split("%")[0]) > 70


def test_cnn_exercise_on_the_tutorials_files(capsys, figures_dir, tmp_path):
    """Given 64x64 images as in stlTrainSubset.mat / stlTestSubset.mat, the script's own
    poolDim, 19 (57x57 maps, 3x3 pooled); the two files go together."""
    from ufldl_py.matlab import io

    rng = np.random.default_rng(8)
    labels = np.array([1, 2, 3, 4, 1, 2, 3, 4.0])
    io.savemat(tmp_path / "stlTrainSubset.mat", {"trainImages": rng.random((64, 64, 3, 8)),
                                                 "trainLabels": labels})
    io.savemat(tmp_path / "stlTestSubset.mat", {"testImages": rng.random((64, 64, 3, 8)),
                                                "testLabels": labels})
    assert cli.main(["run", "linear_decoder_exercise", "--seed", "0", "--numpatches", "500",
                     "--hidden", "6", "--max-iter", "2"]) == 0
    assert cli.main(["run", "cnn_exercise", "--train-subset", str(tmp_path / "stlTrainSubset.mat"),
                     "--test-subset", str(tmp_path / "stlTestSubset.mat"),
                     "--softmax-iter", "2"]) == 0
    out = capsys.readouterr().out
    assert "images: 8 training, 8 test, 64x64x3 (the STL-10 subsets" in out
    assert "poolDim 19: 3x3 pooled maps" in out and "Accuracy: " in out
    with pytest.raises(SystemExit) as info:
        cli.main(["run", "cnn_exercise", "--train-subset", str(tmp_path / "stlTrainSubset.mat")])
    assert info.value.code == 2
    assert "--train-subset and --test-subset go together" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        cli.main(["run", "cnn_exercise", "--pool-dim", "22"])
    assert info.value.code == 2
    assert "poolDim 22 is larger than the convolved maps' side, 21" in capsys.readouterr().err
