"""The classic_stl chapter of student mode: UFLDL/stl_exercise: feedForwardAutoencoder."""

from __future__ import annotations


import numpy as np

from ...ufldl_classic import stl as cstl
from ...testing import PROBLEMS
from ._common import Chapter, Function, Mistake, with_ints

__all__ = ["CLASSIC_STL"]


def _ffae_inputs(rng, trial):
    return with_ints(PROBLEMS["feedForwardAutoencoder"](rng), 1, 2)


def _ffae_no_bias(theta, hiddenSize, visibleSize, data):
    """sigmoid(W1 * data), b1 left out."""
    hv = hiddenSize * visibleSize
    b0 = np.array(theta, dtype=np.float64)
    b0[2 * hv:2 * hv + hiddenSize] = 0.0
    return cstl.feedForwardAutoencoder(b0, hiddenSize, visibleSize, data)


def _ffae_transposed(theta, hiddenSize, visibleSize, data):
    """W1 read row by row: theta[:hv].reshape(hiddenSize, visibleSize) (order 'C'), i.e.
    reshape(theta(1:hv), visibleSize, hiddenSize)'."""
    hv = hiddenSize * visibleSize
    t = np.array(theta, dtype=np.float64)
    t[:hv] = t[:hv].reshape(hiddenSize, visibleSize).ravel(order="F")
    return cstl.feedForwardAutoencoder(t, hiddenSize, visibleSize, data)


CLASSIC_STL = Chapter(
    name="classic_stl", origin="UFLDL/stl_exercise",
    title="Self-taught learning (the original UFLDL exercise): feedForwardAutoencoder",
    drivers=("stl_exercise",),
    functions=(
        Function(
            "feedForwardAutoencoder", cstl.feedForwardAutoencoder,
            cstl.feedForwardAutoencoder, _ffae_inputs, ("activation",),
            doc="""The hidden layer's activations of a trained sparse autoencoder.

    Parameters: theta ([W1(:); W2(:); b1(:); b2(:)] as sparseAutoencoderCost takes it, W1
    hiddenSize x visibleSize; W2 and b2 are not needed here), hiddenSize (the number of
    hidden units, 200 in the exercise), visibleSize (the number of input units, 784), data
    (visibleSize x m, data[:, i] the i-th example). Returns activation (hiddenSize x m), the
    hidden units' activations of each example.""",
            imports="from ufldl_py.ufldl.ex1 import sigmoid  # 1 / (1 + exp(-z))",
            gaps={"feedForwardAutoencoder/activation": "Compute the activation of the "
                  "hidden layer of the sparse autoencoder: sigmoid(W1 @ data + b1), b1 added "
                  "to every column (every example), as activation (hiddenSize x m)."},
            mistakes=(
                Mistake("the bias missing: sigmoid(W1 @ data) where sigmoid(W1 @ data + b1) "
                        "(b1 added to every column)", _ffae_no_bias),
                Mistake("W1 transposed: theta's first hiddenSize*visibleSize elements read "
                        "row by row (numpy's default order='C') where MATLAB's reshape reads "
                        "them column by column (order='F')", _ffae_transposed),
            )),
    ))
