"""Remake the exercise gallery's stored outputs: ``python3 docs/make_gallery.py [NAME ...]``.

Runs every exercise of :data:`EXERCISES` (or the NAMEs given) at the short sizes listed
there, through ``python3 -m ufldl_py run NAME ARGS`` in a temporary folder, and keeps what it
printed (``docs/gallery/output/NAME.txt``) and its figures, shrunk to at most 640 pixels
wide (``docs/gallery/figures/NAME/*.png``). The gallery pages (built by ``docs/_ext/ufldl_docs.py``)
show these files with the command that made them. Takes a few minutes on two cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent  # the checkout
OUTPUT = HERE / "gallery" / "output"
FIGURES = HERE / "gallery" / "figures"
MAX_WIDTH = 640

# (chapter, name, the short run's arguments, what the full run gives on the shipped data)
EXERCISES = [
    ("stanford_dl_ex", "ex1a_linreg", ["--seed", "0"], ""),
    ("stanford_dl_ex", "ex1b_logreg", ["--seed", "0", "--max-iter", "20"], ""),
    ("stanford_dl_ex", "ex1c_softmax", ["--seed", "0", "--max-iter", "20"], ""),
    ("stanford_dl_ex", "run_train", ["--seed", "0", "--max-iter", "10", "--hidden", "32"], ""),
    ("stanford_dl_ex", "pca_gen", ["--seed", "0", "--max-images", "300"],
     "k = 287 of 784 dimensions keep 99% of the variance; the covariance of xRot is diagonal "
     "(largest off-diagonal entry 3e-16 of the largest); with epsilon 0, that of xPCAWhite is "
     "the identity to 1e-9 on the 638 components of non-zero variance (the digits' border "
     "pixels never vary)."),
    ("stanford_dl_ex", "runSoftICA",
     ["--seed", "0", "--m", "2000", "--num-features", "50", "--max-iter", "60"],
     "The original's sizes (10,000 patches, 50 bases of 9x9, 500 iterations): cost 0.143085 at "
     "the end; the bases are pen strokes (runSoftICA_bases.png; runSoftICA_showBases.png "
     "redrawn every two iterations, as showBases does). With the completed softICACost "
     "(averaged over the patches) minFunc's default optTol (1e-5) stops it after some 70 of "
     "its 500 iterations with bases that are still noise, so runSoftICA and stlExercise pass "
     "optTol = 0 (``--opt-tol 1e-5`` restores minFunc's default)."),
    ("stanford_dl_ex", "stlExercise",
     ["--seed", "0", "--num-patches", "5000", "--num-features", "16", "--max-iter", "50",
      "--softmax-max-iter", "100"],
     "3,333 unlabelled digits, 152 labelled digits 0-4 for training and 163 for testing (the "
     "original's 50,000 / 5,000 / 5,000 split in the same fractions); train accuracy 100.0%, "
     "test accuracy 92.6% with the defaults (20,000 patches, 300 RICA iterations; "
     "``--num-patches 200000 --max-iter 1000`` are the original's sizes, and with the full "
     "MNIST the script expects about 99%)."),
    ("stanford_dl_ex", "cnnExercise", ["--seed", "1"], ""),
    ("stanford_dl_ex", "cnnTrain", ["--seed", "0", "--epochs", "1", "--max-images", "2048"],
     "The defaults (3 epochs, minibatch 256) on the shipped 4,000 digits or the full MNIST "
     "after ``ufldl-py data fetch mnist``."),
    ("UFLDL (original)", "sparseae_exercise",
     ["--seed", "0", "--numpatches", "2000", "--max-iter", "100"],
     "10,000 8x8 patches of the whitened photographs, 64-25-64 autoencoder (lambda 1e-4, beta "
     "3, sparsity 0.01), 400 L-BFGS iterations: 25 edge detectors, cost 0.366."),
    ("UFLDL (original)", "vectorization_exercise",
     ["--seed", "0", "--numpatches", "1000", "--hidden", "36", "--max-iter", "30"],
     "The sample's 4,000 training digits (the exercise's 10,000 with the full MNIST), "
     "784-196-784, lambda 3e-3, beta 3, sparsity 0.1, 400 iterations: most of the 196 features "
     "are pen strokes, some still whole-digit templates; cost 12.02."),
    ("UFLDL (original)", "pca_2d", [],
     "pcaData (2 x 45): eigenbasis, rotation, 1-D reduction, PCA and ZCA whitening (epsilon "
     "1e-5); the whitened covariances are the identity to 1e-3."),
    ("UFLDL (original)", "pca_exercise", ["--seed", "0"],
     "10,000 raw 12x12 patches: k = 109 of 144 for 99% of the variance; the covariance of xRot "
     "is diagonal (off-diagonal 2e-11 of 1.8e4)."),
    ("UFLDL (original)", "softmax_exercise", ["--seed", "0", "--max-iter", "30"],
     "lambda 1e-4, 100 L-BFGS iterations: test accuracy 89.4% on the sample's 1,000 held-out "
     "digits (trained on its 4,000; minFunc stops at iteration 82, optTol); the tutorial's "
     "92.6% is on the full MNIST."),
    ("UFLDL (original)", "stl_exercise",
     ["--seed", "0", "--hidden", "49", "--max-iter", "50", "--softmax-iter", "50"],
     "784-200-784 autoencoder on the sample's 2,000 digits 5-9 (400 iterations), softmax on "
     "its features of 1,000 digits 0-4, tested on the other 1,000: test accuracy 96.6% (the "
     "tutorial's about 98% is on the full MNIST); the features are pen strokes and digit "
     "parts."),
    ("UFLDL (original)", "stackedae_exercise",
     ["--seed", "0", "--hidden1", "36", "--hidden2", "20", "--max-iter", "20",
      "--softmax-iter", "20"],
     "Two autoencoders 784-200 and 200-200, softmax, fine-tuning, 200 iterations each (the "
     "script's 400 with ``--max-iter 400``): test accuracy 90.8% before fine-tuning, 95.0% "
     "after (minFunc stops at iteration 89 of the fine-tuning, optTol; where it stops moves "
     "with the rounding of the sums: 86 and 93, with 95.0% and 94.7%, in earlier builds), on "
     "the sample's 1,000 held-out digits (the tutorial's 87.7% and 97.6% are on the full "
     "MNIST)."),
    ("UFLDL (original)", "linear_decoder_exercise",
     ["--seed", "0", "--numpatches", "2000", "--hidden", "49", "--max-iter", "50"],
     "10,000 colour 8x8 patches (the script's 100,000 with ``--numpatches 100000``) of the "
     "shipped 96x96 windows of scaled-down photographs, ZCA whitening (epsilon 0.1), "
     "192-400-192 linear decoder (lambda 3e-3, beta 5, sparsity 0.035), 400 iterations: cost "
     "3.160. The features are mostly oriented edge detectors, grey and colour-opponent "
     "(red/cyan, blue/orange), with some colour blobs: 74 of the 400 have over half of their "
     "energy in their channels' means."),
    ("UFLDL (original)", "cnn_exercise", ["--seed", "0", "--softmax-iter", "10"],
     "The linear decoder's 400 features convolved with the shipped Fashion-MNIST subset "
     "(pullover, coat, sandal, sneaker; 28x28 images, grey in all three channels; 21x21 maps "
     "pooled over 7x7; the tutorial's 64x64 STL-10 subsets with "
     "``--train-subset``/``--test-subset``), softmax (lambda 1e-4, 200 iterations): the "
     "convolution and pooling checks pass; test accuracy 93.1% on the subset's 800 test "
     "images (chance 25%). The errors lie within the two pairs: 39 of the 400 pullovers and "
     "coats, 15 of the 400 sandals and sneakers, 1 coat taken for a sneaker. The tutorial's "
     "about 80% is on STL-10. This gallery's run uses the short linear decoder's features "
     "(the run above), so its accuracy is lower."),
    ("DeepLearnToolbox", "test_example_NN", ["--max-images", "1000"],
     "Seeded with rand('state', 0), the six nets give the weights Octave gives to 1e-9 "
     "relative (measured: 2e-11 at most) and the same misclassified digits."),
    ("DeepLearnToolbox", "test_nn_gradients_are_numerically_correct", [], ""),
    ("DeepLearnToolbox", "test_example_SAE", ["--max-images", "2000"], ""),
    ("DeepLearnToolbox", "test_example_DBN", ["--max-images", "2000"], ""),
    ("DeepLearnToolbox", "test_example_CNN", ["--max-images", "500"], ""),
    ("DeepLearnToolbox", "caeexamples", ["--rounds", "20"], ""),
]


# cnn_exercise convolves with the features linear_decoder_exercise saves (STL10Features.mat)
NEEDS = {"cnn_exercise": "linear_decoder_exercise"}


def shrink(png: Path, target: Path) -> None:
    """Save ``png`` as ``target``, at most MAX_WIDTH pixels wide (an atomic write)."""
    from PIL import Image

    from ufldl_py.atomic import atomic_write

    with Image.open(png) as image:
        if image.width > MAX_WIDTH:
            height = round(image.height * MAX_WIDTH / image.width)
            image = image.resize((MAX_WIDTH, height), Image.LANCZOS)
        with atomic_write(target, "wb") as f:
            image.save(f, format="PNG", optimize=True)


def run(name: str, args: list[str], work: Path) -> None:
    """Run one exercise in ``work``; keep its output and move its figures into the gallery."""
    from ufldl_py.atomic import atomic_write

    figures = work / "figures"
    env = dict(os.environ, UFLDL_PY_FIGURES=str(figures), MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, "-m", "ufldl_py", "run", name, *args], cwd=work,
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed ({done.returncode}):\n{done.stderr}")
    with atomic_write(OUTPUT / f"{name}.txt", "w") as f:
        # paths of this machine out: the run's folder as ., the checkout's data/ as data/
        f.write(done.stdout.replace(str(work), ".").replace(str(ROOT / "data"), "data"))
    folder = FIGURES / name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    for png in sorted(figures.glob("*.png")):
        shrink(png, folder / png.name)
        png.unlink()


def main(names: list[str]) -> None:
    known = {name: args for _, name, args, _ in EXERCISES}
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise SystemExit(f"make_gallery.py: no exercise {', '.join(unknown)}")
    OUTPUT.mkdir(parents=True, exist_ok=True)
    FIGURES.mkdir(parents=True, exist_ok=True)
    todo = names or list(known)
    for name in list(todo):  # an exercise's inputs are made first, in the same folder
        if NEEDS.get(name) and NEEDS[name] not in todo:
            todo.insert(todo.index(name), NEEDS[name])
    with tempfile.TemporaryDirectory() as work:
        for name in todo:
            print(f"{name} {' '.join(known[name])}", flush=True)
            run(name, known[name], Path(work))


if __name__ == "__main__":
    main(sys.argv[1:])
