"""Linear decoder on colour patches (the original UFLDL
linear_decoder_exercise/linearDecoderExercise.m).

Checks sparseAutoencoderLinearCost's gradient on a small problem, ZCA-whitens 8x8 colour
patches (epsilon 0.1), trains a 192-400-192 sparse autoencoder with a linear decoder
(lambda 3e-3, beta 5, sparsity 0.035) with minFunc's L-BFGS, saves its parameters with
ZCAWhite and meanPatch (STL10Features.mat, which cnn_exercise loads) and draws the learned
features (displayColorNetwork((W*ZCAWhite)')). The patches are sampled from the colour
photographs shipped in data/classic (--patches for the tutorial's stlSampledPatches.mat).
The default trains on 10,000 patches for 400 iterations (several minutes on two cores); the
script's 100,000 with --numpatches 100000.

    ufldl-py run linear_decoder_exercise [--numpatches N] [--max-iter N] [--patches FILE]
                                         [--out STL10Features.mat] [--seed S]
"""

import sys
import time
from pathlib import Path

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab import io
from ufldl_py.matlab import random as mrandom
from ufldl_py.minfunc import minFunc
from ufldl_py.plot import figures_dir, savefig
from ufldl_py.ufldl_classic.linear_decoder import (displayColorNetwork,
                                                   sparseAutoencoderLinearCost, zca_whitening)
from ufldl_py.ufldl_classic.sparseae import computeNumericalGradient, initializeParameters


def main(argv=None) -> int:
    parser = exercise.parser("linear_decoder_exercise", __doc__)
    parser.add_argument("--numpatches", type=exercise.positive_int, default=10000)
    parser.add_argument("--hidden", type=exercise.positive_int, default=400)
    parser.add_argument("--max-iter", type=exercise.positive_int, default=400)
    parser.add_argument("--patches", default=None,
                        help="the tutorial's stlSampledPatches.mat (default: the shipped photos)")
    parser.add_argument("--out", default=None,
                        help="where to save optTheta, ZCAWhite, meanPatch (default: "
                             "STL10Features.mat in the figures directory)")
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # STEP 0: parameters
    imageChannels = 3
    patchDim = 8
    numPatches = args.numpatches
    visibleSize = patchDim * patchDim * imageChannels
    hiddenSize = args.hidden
    sparsityParam = 0.035
    lambda_ = 3e-3
    beta = 5
    epsilon = 0.1

    # STEP 1: check sparseAutoencoderLinearCost's gradient on a small problem
    debugHiddenSize, debugvisibleSize = 5, 8
    patches = mrandom.rand(8, 10)
    theta = initializeParameters(debugHiddenSize, debugvisibleSize)
    J = lambda x: sparseAutoencoderLinearCost(x, debugvisibleSize, debugHiddenSize,  # noqa
                                              lambda_, sparsityParam, beta, patches)
    numgrad = computeNumericalGradient(J, theta)
    grad = J(theta)[1]
    diff = np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad)
    print(diff)  # should be small, usually less than 1e-9
    if not diff < 1e-9:
        raise SystemExit("Difference too large. Check your gradient computation again")

    # STEP 2: colour patches, ZCA whitened
    patches = data.load_color_patches(numPatches, patchDim, args.patches)
    print(f"patches: {patches.shape[1]} colour {patchDim}x{patchDim} patches from "
          f"{args.patches or 'the photographs shipped in data/classic'}")
    fig, _ = displayColorNetwork(patches[:, :100])
    print(f"saved {savefig(fig, 'linear_decoder_exercise_patches')}")
    patches, ZCAWhite, meanPatch = zca_whitening(patches, epsilon)
    fig, _ = displayColorNetwork(patches[:, :100])
    print(f"saved {savefig(fig, 'linear_decoder_exercise_zca')}")

    # STEP 3: learn features
    theta = initializeParameters(hiddenSize, visibleSize)
    start = time.perf_counter()
    optTheta, cost, _, _ = minFunc(
        lambda p: sparseAutoencoderLinearCost(p, visibleSize, hiddenSize, lambda_,
                                              sparsityParam, beta, patches), theta,
        {"Method": "lbfgs", "maxIter": args.max_iter, "display": "on"})
    print(f"trained in {time.perf_counter() - start:.1f} s, cost {cost:f}")
    out = Path(args.out) if args.out else figures_dir() / "STL10Features.mat"
    out.parent.mkdir(parents=True, exist_ok=True)
    io.savemat(out, {"optTheta": optTheta, "ZCAWhite": ZCAWhite, "meanPatch": meanPatch})
    print(f"saved {out}")

    # STEP 4: visualise the learned features
    W = optTheta[:visibleSize * hiddenSize].reshape(hiddenSize, visibleSize, order="F")
    fig, _ = displayColorNetwork((W @ ZCAWhite).T)
    print(f"saved {savefig(fig, 'linear_decoder_exercise_features')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
