"""Logistic regression on MNIST 0 against 1 (stanford_dl_ex/ex1/ex1b_logreg.m).

Trains with minFunc (L-BFGS, MaxIter 100) and prints the training and test accuracy.

    ufldl-py run ex1b_logreg [--seed S] [--max-iter N]
"""

import argparse
import sys
import time

import numpy as np

from ufldl_py.matlab.random import add_dialect_argument, rand, seed_from_args
from ufldl_py.minfunc import minFunc
from ufldl_py.ufldl.ex1 import binary_classifier_accuracy, ex1_load_mnist, logistic_regression_vec


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="ex1b_logreg", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=float, default=None,
                        help="rand('state', S) first (the MATLAB script does not seed)")
    parser.add_argument("--max-iter", type=int, default=100)
    add_dialect_argument(parser)
    args = parser.parse_args(argv)
    seed_from_args(args)  # --dialect, then rng(S): rand('state', S); randn('state', S)

    train, test = ex1_load_mnist(True)
    train["X"] = np.vstack([np.ones((1, train["X"].shape[1])), train["X"]])
    test["X"] = np.vstack([np.ones((1, test["X"].shape[1])), test["X"]])
    n = train["X"].shape[0]
    theta = rand(n, 1).ravel() * 0.001

    tic = time.perf_counter()
    theta = minFunc(logistic_regression_vec, theta, {"MaxIter": args.max_iter}, train["X"],
                    train["y"])[0]
    print(f"Optimization took {time.perf_counter() - tic:f} seconds.")
    accuracy = binary_classifier_accuracy(theta, train["X"], train["y"])
    print(f"Training accuracy: {100 * accuracy:2.1f}%")
    accuracy = binary_classifier_accuracy(theta, test["X"], test["y"])
    print(f"Test accuracy: {100 * accuracy:2.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
