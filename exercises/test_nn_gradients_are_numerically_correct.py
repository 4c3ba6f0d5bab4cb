"""DeepLearnToolbox's gradient check of the feed-forward nets
(DeepLearnToolbox/tests/test_nn_gradients_are_numerically_correct.m).

For a [5 3 4 2] net on 20 random examples, every output ('sigm', 'linear', 'softmax', the
latter with one-hot targets), hidden activation ('sigm', 'tanh_opt') and dropout fraction
(0 and a random one): nnff and nnbp after rand('state', 0), then nnchecknumgrad, which
compares every dW with central differences (epsilon 1e-6) to 1e-7. The original draws the
data unseeded; here ``--seed`` seeds it (rand('state', seed)).

``--sparsity`` adds nonSparsityPenalty 0.1 to every net (sigm hidden units), where the
original's gradient is wrong and the check fails (in Octave too); ``--sparsity-fix`` runs it
with the fix (nnff's L gets the KL term, nnbp uses the batch's mean activations).

    ufldl-py run test_nn_gradients_are_numerically_correct [--seed S] [--sparsity] [--sparsity-fix]
"""

import sys

from ufldl_py import exercise
from ufldl_py.dlt.nn import nnbp, nnchecknumgrad, nnff, nnsetup
from ufldl_py.matlab.random import rand


def main(argv=None) -> int:
    parser = exercise.parser("test_nn_gradients_are_numerically_correct", __doc__)
    parser.add_argument("--seed", type=exercise.nonnegative_float, default=0.0,
                        help="rand('state', S) before the nets and data are drawn")
    parser.add_argument("--sparsity", action="store_true",
                        help="add nonSparsityPenalty = 0.1 (the original's defect)")
    parser.add_argument("--sparsity-fix", action="store_true",
                        help="with --sparsity, the fixed loss and gradient")
    args = parser.parse_args(argv)
    fix = args.sparsity_fix
    rand("state", args.seed)
    batch_x = rand(20, 5)
    batch_y = rand(20, 2)
    checked = 0
    for output in ("sigm", "linear", "softmax"):
        y = batch_y
        if output == "softmax":
            # softmax output requires a binary output vector
            y = (batch_y == batch_y.max(axis=1, keepdims=True)).astype(float)
        for activation_function in ("sigm", "tanh_opt"):
            for dropoutFraction in (0.0, rand()):
                nn = nnsetup([5, 3, 4, 2])
                nn["activation_function"] = activation_function
                nn["output"] = output
                nn["dropoutFraction"] = dropoutFraction
                if args.sparsity:
                    nn["activation_function"] = "sigm"
                    nn["nonSparsityPenalty"] = 0.1
                rand("state", 0)
                nn = nnff(nn, batch_x, y, sparsity_fix=fix)
                nn = nnbp(nn, sparsity_fix=fix)
                try:
                    nnchecknumgrad(nn, batch_x, y, sparsity_fix=fix)
                except ValueError as err:
                    print(f"output {output}, {nn['activation_function']}, dropout "
                          f"{dropoutFraction:g}: {err}")
                    return 1
                checked += 1
    print(f"numerical gradient checking passed for all {checked} nets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
