"""Softmax regression on all ten MNIST digits (stanford_dl_ex/ex1/ex1c_softmax.m).

Trains with minFunc (L-BFGS, MaxIter 200) and prints the training and test accuracy
(about 92% on the test set with the full MNIST).

    ufldl-py run ex1c_softmax [--seed S] [--max-iter N]
"""

import sys
import time

import numpy as np

from ufldl_py import exercise
from ufldl_py.matlab.random import rand
from ufldl_py.minfunc import minFunc
from ufldl_py.ufldl.ex1 import ex1_load_mnist, multi_classifier_accuracy, softmax_regression_vec


def main(argv=None) -> int:
    parser = exercise.parser("ex1c_softmax", __doc__)
    parser.add_argument("--max-iter", type=exercise.positive_int, default=200)
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    num_classes = 10
    train, test = ex1_load_mnist(False)
    train["X"] = np.vstack([np.ones((1, train["X"].shape[1])), train["X"]])
    test["X"] = np.vstack([np.ones((1, test["X"].shape[1])), test["X"]])
    train["y"] = train["y"] + 1  # make labels 1-based.
    test["y"] = test["y"] + 1
    n = train["X"].shape[0]
    theta = rand(n, num_classes - 1) * 0.001

    tic = time.perf_counter()
    opt = minFunc(softmax_regression_vec, theta.ravel(order="F"), {"MaxIter": args.max_iter},
                  train["X"], train["y"])[0]
    print(f"Optimization took {time.perf_counter() - tic:f} seconds.")
    theta = np.hstack([opt.reshape(n, num_classes - 1, order="F"), np.zeros((n, 1))])
    accuracy = multi_classifier_accuracy(theta, train["X"], train["y"])
    print(f"Training accuracy: {100 * accuracy:2.1f}%")
    accuracy = multi_classifier_accuracy(theta, test["X"], test["y"])
    print(f"Test accuracy: {100 * accuracy:2.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
