"""Learn RICA bases on MNIST patches with minFunc (stanford_dl_ex/rica/runSoftICA.m).

Samples 10,000 random 9x9 patches of the digits (samplePatches), ZCA-whitens them (zca2),
scales each patch to unit length, and learns 50 features with softICACost (lambda 0.0005,
epsilon 0.01) by 500 iterations of minFunc's L-BFGS, printing minFunc's iteration lines.
showBases, minFunc's outputFcn, draws the bases every two iterations as the original does,
into figures/runSoftICA_showBases.png (overwritten, as the original redraws its window);
the final bases are saved as figures/runSoftICA_bases.png. They look like pen strokes.
These are the original's sizes; the full MNIST is used after `ufldl-py data fetch mnist`,
else the sample shipped in data/.

One departure, where the script evidently means more than it gets: with the completed
softICACost (averaged over the patches), minFunc's default optTol (1e-5 on the largest
gradient entry) stops the run after some 70 of the script's 500 iterations, and the bases
are still noise there. The script asks for 500 iterations and lifts the limit on function
evaluations (MaxFunEvals = Inf), so the exercise passes optTol = 0 and runs MaxIter
iterations; ``--opt-tol 1e-5`` gives minFunc's default and the original's early stop.

    ufldl-py run runSoftICA [--seed S] [--m 10000] [--num-features 50] [--max-iter 500]
                            [--show-every 2] [--opt-tol 0] [--max-images N]
"""

import functools
import sys
import time

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab.random import randn
from ufldl_py.minfunc import minFunc
from ufldl_py.plot import display_network, savefig
from ufldl_py.ufldl.common import samplePatches
from ufldl_py.ufldl.rica import bsxfunwrap, showBases, softICACost, zca2


def main(argv=None) -> int:
    parser = exercise.parser("runSoftICA", __doc__)
    parser.add_argument("--m", type=exercise.positive_int, default=10000, help="number of patches")
    parser.add_argument("--patch-width", type=exercise.positive_int, default=9)
    parser.add_argument("--num-features", type=exercise.positive_int, default=50)
    parser.add_argument("--lambda", dest="lambda_", type=exercise.nonnegative_float, default=0.0005,
                        help="sparsity cost")
    parser.add_argument("--epsilon", type=exercise.nonnegative_float, default=1e-2)
    parser.add_argument("--max-iter", type=exercise.positive_int, default=500)
    parser.add_argument("--show-every", type=exercise.positive_int, default=2,
                        help="showBases draws every N iterations (the original: 2)")
    parser.add_argument("--opt-tol", type=exercise.nonnegative_float, default=0.0,
                        help="minFunc's optTol (minFunc's default, which the original "
                             "leaves: 1e-5)")
    parser.add_argument("--max-images", type=exercise.positive_int, default=None,
                        help="sample patches from the first N training images only")
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # These parameters should give you sane results (the MATLAB's global params)
    params = {"m": args.m, "patchWidth": args.patch_width, "n": args.patch_width ** 2,
              "lambda": args.lambda_, "numFeatures": args.num_features,
              "epsilon": args.epsilon}

    # Load MNIST data set
    X = data.loadMNISTImages(data.mnist_path("train-images"))
    if args.max_images is not None:
        X = X[:, :args.max_images]
    print(f"MNIST: {'full' if data.mnist_is_full() else 'the sample shipped in data/'}, "
          f"{X.shape[1]} training images")

    # Preprocessing
    # Step 1) Sample patches
    patches = samplePatches(X, params["patchWidth"], params["m"])
    del X
    # Step 2) Apply ZCA
    patches = zca2(patches)[0]
    # Step 3) Normalize each patch: x / ||x||_2
    m = np.sqrt(np.sum(patches ** 2, axis=0) + 1e-8)
    x = bsxfunwrap(np.divide, patches, m)

    # Run the optimization
    options = {"Method": "lbfgs", "MaxFunEvals": np.inf, "MaxIter": args.max_iter,
               "optTol": args.opt_tol,
               "outputFcn": functools.partial(showBases, params=params,
                                              name="runSoftICA_showBases",
                                              every=args.show_every)}
    # initialize with random weights
    randTheta = randn(params["numFeatures"], params["n"]) * 0.01
    randTheta = randTheta / np.sqrt(np.sum(randTheta ** 2, axis=1, keepdims=True))
    randTheta = randTheta.ravel(order="F")

    # optimize
    tic = time.perf_counter()
    opttheta, cost, exitflag, _ = minFunc(lambda theta: softICACost(theta, x, params),
                                          randTheta, options)
    print(f"minFunc: cost {cost:.6f}, exitflag {exitflag}, "
          f"{time.perf_counter() - tic:.1f} s")

    # display result
    W = opttheta.reshape(params["numFeatures"], params["n"], order="F")
    fig, _ = display_network(W.T)
    fig.axes[0].set_title(f"runSoftICA: {params['numFeatures']} RICA bases "
                          f"{args.patch_width}x{args.patch_width}")
    print(f"saved {savefig(fig, 'runSoftICA_bases')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
