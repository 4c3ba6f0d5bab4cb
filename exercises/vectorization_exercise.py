"""Vectorization exercise (the original UFLDL wiki's "Exercise:Vectorization").

Trains the vectorised sparse autoencoder of sparseae_exercise on MNIST digits instead of
natural-image patches: the first 10,000 training images (28x28, pixels in [0, 1]), a
784-196-784 network, lambda 3e-3, beta 3, sparsity 0.1, minFunc's L-BFGS; the 196 learned
features (display_network(W1')) look like pen strokes. Uses the full MNIST after
`ufldl-py data fetch mnist`, else the 4,000 training digits shipped in data/. The default is
400 L-BFGS iterations, as the exercise (3 to 6 minutes on two cores); fewer with --max-iter.

    ufldl-py run vectorization_exercise [--max-iter N] [--numpatches N] [--seed S]
"""

import sys

from ufldl_py import data, exercise
from ufldl_py.exercises.sparseae_exercise import train_and_show
from ufldl_py.plot import savefig
from ufldl_py.ufldl_classic.sparseae import display_network


def main(argv=None) -> int:
    parser = exercise.parser("vectorization_exercise", __doc__)
    parser.add_argument("--numpatches", type=exercise.positive_int, default=10000,
                        help="the first N training digits (10000; fewer if fewer are there)")
    parser.add_argument("--hidden", type=exercise.positive_int, default=196)
    parser.add_argument("--max-iter", type=exercise.positive_int, default=400)
    exercise.add_seed_arguments(parser)
    args = parser.parse_args(argv)
    exercise.seed_from_args(args)  # --dialect, then rng(S)

    visibleSize = 28 * 28
    hiddenSize = args.hidden
    sparsityParam = 0.1
    lambda_ = 3e-3
    beta = 3

    images = data.loadMNISTImages(data.mnist_path("train-images"))
    patches = images[:, :args.numpatches]
    print(f"MNIST: {'full' if data.mnist_is_full() else 'the sample shipped in data/'}, "
          f"{patches.shape[1]} training digits")
    fig, _ = display_network(patches[:, :100])
    fig.axes[0].set_title("vectorization_exercise: the first 100 digits")
    print(f"saved {savefig(fig, 'vectorization_exercise_digits')}")

    train_and_show(patches, visibleSize, hiddenSize, lambda_, sparsityParam, beta,
                   args.max_iter, "vectorization_exercise")
    return 0


if __name__ == "__main__":
    sys.exit(main())
