"""Logistic regression on MNIST 0 against 1 (stanford_dl_ex/ex1/ex1b_logreg.m).

Trains with minFunc (L-BFGS, MaxIter 100) and prints the training and test accuracy.

    ufldl-py run ex1b_logreg [--seed S] [--max-iter N]
"""

import sys
import time

import numpy as np

from ufldl_py import exercise
from ufldl_py.matlab.random import rand
from ufldl_py.minfunc import minFunc
from ufldl_py.ufldl.ex1 import binary_classifier_accuracy, ex1_load_mnist, logistic_regression_vec


def main(argv=None) -> int:
    parser = exercise.parser("ex1b_logreg", __doc__)
    parser.add_argument("--max-iter", type=exercise.positive_int, default=100)
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

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
