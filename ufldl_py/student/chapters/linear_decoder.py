"""The linear_decoder chapter of student mode: UFLDL/linear_decoder_exercise:
sparseAutoencoderLinearCost.
"""

from __future__ import annotations


import numpy as np

from ...ufldl_classic import linear_decoder as cld
from ...ufldl_classic import sparseae as csae
from ...testing import PROBLEMS
from ._common import Chapter, Function, Mistake, central_difference_check, with_ints

__all__ = ["LINEAR_DECODER"]


def _linear_inputs(rng, trial):
    return with_ints(PROBLEMS["sparseAutoencoderLinearCost"](rng), 1, 2)


def _linear_no_kl(theta, v, h, lambda_, rho, beta, data):
    return cld.sparseAutoencoderLinearCost(theta, v, h, lambda_, rho, 0.0, data)


def _linear_no_mean(theta, v, h, lambda_, rho, beta, data):
    """The squared error and every gradient term summed over the examples (no 1/m); rho_hat
    still the mean activation."""
    m = np.shape(data)[1]
    c_plain, _ = cld.sparseAutoencoderLinearCost(theta, v, h, 0.0, rho, 0.0, data)
    c_kl, g = cld.sparseAutoencoderLinearCost(theta, v, h, 0.0, rho, beta, data)
    theta = np.asarray(theta, dtype=np.float64)
    W = theta[:2 * h * v]
    grad = m * g
    grad[:2 * h * v] += lambda_ * W
    return m * c_plain + (c_kl - c_plain) + lambda_ / 2 * np.sum(W ** 2), grad


def _linear_gradient_check(fn):
    """linearDecoderExercise's STEP 1: 8 visible, 5 hidden units, 10 random patches (rand),
    initializeParameters' theta, lambda 3e-3, sparsityParam 0.035, beta 5;
    computeNumericalGradient against the gradient, norm(numgrad - grad) / norm(numgrad +
    grad) < 1e-9."""
    rng = np.random.default_rng(13)
    h, v = 5, 8
    r = np.sqrt(6) / np.sqrt(h + v + 1)
    theta = np.concatenate([rng.uniform(-r, r, 2 * h * v), np.zeros(h + v)])
    args = (v, h, 3e-3, 0.035, 5.0, rng.random((v, 10)))
    return central_difference_check(fn, theta, args, 1e-9)


LINEAR_DECODER = Chapter(
    name="linear_decoder", origin="UFLDL/linear_decoder_exercise",
    title="Linear decoder (the original UFLDL exercise): sparseAutoencoderLinearCost",
    drivers=("linear_decoder_exercise",),
    functions=(
        Function(
            "sparseAutoencoderLinearCost", cld.sparseAutoencoderLinearCost_loop,
            cld.sparseAutoencoderLinearCost, _linear_inputs, ("cost", "grad"),
            doc="""The cost J_sparse(W, b) of a sparse autoencoder with a linear decoder, and
    its gradient.

    Parameters: theta ([W1(:); W2(:); b1(:); b2(:)], W1 hiddenSize x visibleSize, W2
    visibleSize x hiddenSize), visibleSize (the number of input units), hiddenSize (the
    number of hidden units), lambda_ (the weight decay), sparsityParam (rho, the desired
    average activation of the hidden units), beta (the weight of the sparsity penalty), data
    (visibleSize x m, data[:, i] the i-th training example; whitened, so not in [0, 1]).
    Returns cost and grad ([W1grad(:); W2grad(:); b1grad(:); b2grad(:)], shaped as
    theta).""",
            gaps={"sparseAutoencoderLinearCost/cost_grad": "Compute the cost J_sparse(W, b) "
                  "and its gradients W1grad, W2grad, b1grad, b2grad by backpropagation, as "
                  "in sparseAutoencoderCost, except that the output layer is linear: the "
                  "hidden units are sigmoids, a2 = f(W1 x + b1), but the output is a3 = W2 a2 "
                  "+ b2 (no sigmoid), so its error term is delta3 = -(x - a3) (f'(z) = 1). "
                  "The cost is the average over the m examples of 1/2 ||a3 - x||^2, plus the "
                  "weight decay lambda_/2 * (sum of W1.^2 + sum of W2.^2), plus beta times "
                  "the sum over the hidden units of KL(rho || rho_hat_j), rho_hat the hidden "
                  "units' average activation; W1grad is (1/m) Delta W1 + lambda_ W1 (and "
                  "similarly for the others), with beta * (-rho/rho_hat + (1-rho)/(1-rho_hat)) "
                  "added to the hidden units' backpropagated error."},
            mistakes=(
                Mistake("the sigmoid output kept: the decoder is linear, a3 = W2 * a2 + b2 "
                        "and delta3 = -(x - a3), without f'(z3)",
                        csae.sparseAutoencoderCost),
                Mistake("the KL sparsity term missing: beta * sum KL(rho || rho_hat) in the "
                        "cost and beta * (-rho./rho_hat + (1-rho)./(1-rho_hat)) in delta2",
                        _linear_no_kl),
                Mistake("a missing 1/m: the squared error and the gradients summed over the "
                        "examples instead of averaged", _linear_no_mean),
            ),
            checks=(("linearDecoderExercise's gradient check (computeNumericalGradient)",
                     _linear_gradient_check),)),
    ))
