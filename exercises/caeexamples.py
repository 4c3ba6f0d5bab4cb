"""DeepLearnToolbox's convolutional autoencoder example (DeepLearnToolbox/CAE/caeexamples.m).

Cuts the MNIST training digits into chunks of N = 600 (``x{i}{1} = reshape(train_x(rows,
:), N, 28, 28) * 255``), sets up one autoencoder (10 output maps, 5 x 5 kernels, max
pooling over 2 x 2, noise 0) and trains it for 1000 rounds of batches of 1 with alpha 0.01,
then saves the reconstruction error per round (``plot(cae.rL)``) and the output kernels
(``visualize(ff')``) as PNGs.

The original multiplies the uint8 digits by 255, which saturates every nonzero pixel to 255:
it trains on black-and-white digits. That is reproduced by default; ``--grey-levels`` keeps
the digits' grey levels (caetrain divides by 255 either way). The original uses 100 chunks of
the full MNIST's 60,000 digits; on the shipped sample (4,000) there are 6. The run is
seeded with ``rand('state', 0)`` (the original leaves the generator as it is).

    ufldl-py run caeexamples [--rounds N] [--chunks N] [--grey-levels] [--quiet]
"""

import sys

import numpy as np

from ufldl_py import data, exercise
from ufldl_py.dlt.cae import scaesetup, scaetrain
from ufldl_py.dlt.util import visualize
from ufldl_py.matlab.random import rand
from ufldl_py.plot import plot_curve, savefig, subplots

N = 600  # digits per chunk


def imagesc(a, clim, title: str, name: str):
    """``imagesc(a, clim); axis equal; colormap gray`` saved as name.png."""
    fig, ax = subplots(figsize=(5, 5))
    ax.imshow(a, cmap="gray", vmin=clim[0], vmax=clim[1], interpolation="nearest")
    ax.set_title(title)
    ax.set_axis_off()
    return savefig(fig, name)


def main(argv=None) -> int:
    parser = exercise.parser("caeexamples", __doc__)
    parser.add_argument("--rounds", type=exercise.positive_int, default=1000)
    parser.add_argument("--chunks", type=exercise.positive_int, default=100,
                        help="chunks of 600 digits (at most as many as the data holds)")
    parser.add_argument("--grey-levels", action="store_true",
                        help="keep the digits' grey levels (the original saturates them)")
    parser.add_argument("--quiet", action="store_true",
                        help="do not print caetrain's two lines per round")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.chunks < 1:
        parser.error("--rounds and --chunks must be positive")

    # mnist data
    train_x = data.load_mnist_uint8()["train_x"]
    chunks = min(args.chunks, train_x.shape[0] // N)
    print(f"MNIST: {'full' if data.mnist_is_full() else 'the sample shipped in data/'}, "
          f"{chunks} chunks of {N} digits")
    x = []
    for i in range(chunks):
        digits = train_x[i * N:(i + 1) * N].reshape(N, 28, 28, order="F")
        if not args.grey_levels:  # uint8 * 255: every nonzero pixel saturates to 255
            digits = np.minimum(digits.astype(np.uint16) * 255, 255).astype(np.uint8)
        x.append([digits])

    # ex 1
    rand("state", 0)
    scae = [{"outputmaps": 10, "inputkernel": [1, 5, 5], "outputkernel": [1, 5, 5],
             "scale": [1, 2, 2], "sigma": 0.1, "momentum": 0.9, "noise": 0}]
    opts = {"rounds": args.rounds, "batchsize": 1, "alpha": 0.01, "ddinterval": 10,
            "ddhist": 0.5}
    scae = scaesetup(scae, x, opts)
    scae = scaetrain(scae, x, opts, verbose=not args.quiet)
    cae = scae[0]
    rL = cae["rL"]
    print(f"reconstruction error: first round {rL[0]:.4f}, mean of the last 100 rounds "
          f"{np.mean(rL[-100:]):.4f}")

    # Visualize the average reconstruction error
    path = plot_curve(rL, "caeexamples: cae.rL (reconstruction error per round)", "round",
                      "L", "caeexamples_rL")
    print(f"saved {path}")

    # Visualize the output kernels
    ff = np.array([np.asarray(cae["ok"][0][i])[0].ravel(order="F")
                   for i in range(len(cae["ok"][0]))])
    a = visualize(ff.T)
    path = imagesc(a, [ff.min(), ff.max()], "caeexamples: output kernels (visualize)",
                   "caeexamples_kernels")
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
