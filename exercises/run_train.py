"""A multilayer network on MNIST (stanford_dl_ex/multilayer_supervised/run_train.m).

One hidden layer of 256 logistic units and a softmax output, no weight decay, trained with
minFunc's L-BFGS; prints the test and training accuracy.

    ufldl-py run run_train [--hidden 256] [--activation logistic|tanh|relu] [--lambda L]
                           [--max-iter N] [--seed S]
"""

import sys

import numpy as np

from ufldl_py import exercise
from ufldl_py.minfunc import minFunc
from ufldl_py.ufldl.multilayer_supervised import (ACTIVATIONS, initialize_weights,
                                                  load_preprocess_mnist, stack2params,
                                                  supervised_dnn_cost)


def main(argv=None) -> int:
    parser = exercise.parser("run_train", __doc__)
    parser.add_argument("--hidden", type=exercise.positive_int, nargs="*", default=[256])
    parser.add_argument("--activation", choices=list(ACTIVATIONS), default="logistic")
    parser.add_argument("--lambda", dest="lam", type=exercise.nonnegative_float, default=0.0)
    parser.add_argument("--max-iter", type=exercise.positive_int, default=500,
                        help="minFunc's MaxIter (its default, which run_train.m keeps)")
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    # %% load mnist data
    data_train, labels_train, data_test, labels_test = load_preprocess_mnist()
    # %% populate ei with the network architecture to train
    ei = {"input_dim": 784, "output_dim": 10, "layer_sizes": args.hidden + [10],
          "lambda": args.lam, "activation_fun": args.activation}
    # %% setup random initial weights
    stack = initialize_weights(ei)
    params = stack2params(stack)
    # %% setup minfunc options
    options = {"display": "iter", "maxFunEvals": 1e6, "Method": "lbfgs",
               "MaxIter": args.max_iter}
    # %% run training
    opt_params = minFunc(supervised_dnn_cost, params, options, ei, data_train,
                         labels_train)[0]
    # %% compute accuracy on the test and train set
    pred = supervised_dnn_cost(opt_params, ei, data_test, None, True)[2].argmax(axis=0) + 1
    print(f"test accuracy: {np.mean(pred == labels_test):f}")
    pred = supervised_dnn_cost(opt_params, ei, data_train, None, True)[2].argmax(axis=0) + 1
    print(f"train accuracy: {np.mean(pred == labels_train):f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
