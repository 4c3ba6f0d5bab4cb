"""Linear regression on the housing data (stanford_dl_ex/ex1/ex1a_linreg.m).

Shuffles the 506 houses with randperm, trains on 400 with minFunc (L-BFGS, MaxIter 200),
prints the RMS training and test errors and plots actual against predicted prices.

    ufldl-py run ex1a_linreg [--seed S] [--vec]
"""

import sys
import time

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.matlab.random import rand, randperm
from ufldl_py.minfunc import minFunc
from ufldl_py.plot import savefig, subplots
from ufldl_py.ufldl.ex1 import linear_regression, linear_regression_vec


def main(argv=None) -> int:
    parser = exercise.parser("ex1a_linreg", __doc__)
    parser.add_argument("--vec", action="store_true", help="use linear_regression_vec")
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    d = data.load_housing().T  # put examples in columns
    d = np.vstack([np.ones((1, d.shape[1])), d])
    d = d[:, randperm(d.shape[1]).ravel().astype(int) - 1]
    train = {"X": d[:-1, :400], "y": d[-1, :400]}
    test = {"X": d[:-1, 400:], "y": d[-1, 400:]}
    n = train["X"].shape[0]
    theta = rand(n, 1).ravel()

    tic = time.perf_counter()
    cost = linear_regression_vec if args.vec else linear_regression
    theta = minFunc(cost, theta, {"MaxIter": 200}, train["X"], train["y"])[0]
    print(f"Optimization took {time.perf_counter() - tic:f} seconds.")

    actual_prices = train["y"]
    predicted_prices = theta @ train["X"]
    train_rms = np.sqrt(np.mean((predicted_prices - actual_prices) ** 2))
    print(f"RMS training error: {train_rms:f}")
    actual_prices = test["y"]
    predicted_prices = theta @ test["X"]
    test_rms = np.sqrt(np.mean((predicted_prices - actual_prices) ** 2))
    print(f"RMS testing error: {test_rms:f}")

    I = np.argsort(actual_prices, kind="stable")
    fig, ax = subplots(figsize=(7, 4))
    ax.plot(actual_prices[I], "rx", label="Actual Price")
    ax.plot(predicted_prices[I], "bx", label="Predicted Price")
    ax.legend()
    ax.set_xlabel("House #")
    ax.set_ylabel("House price ($1000s)")
    print(f"saved {savefig(fig, 'ex1a_linreg_prices')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
