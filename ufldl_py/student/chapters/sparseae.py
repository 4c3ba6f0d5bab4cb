"""The sparseae chapter of student mode: UFLDL/sparseae_exercise: sparseAutoencoderCost,
computeNumericalGradient.
"""

from __future__ import annotations


import numpy as np

from ...ufldl_classic import sparseae as csae
from ...testing import PROBLEMS, sparse_autoencoder
from ._common import Chapter, Function, Mistake, central_difference_check, scaled, with_ints

__all__ = ["SPARSEAE"]


def _sae_inputs(rng, trial):
    return with_ints(PROBLEMS["sparseAutoencoderCost"](rng), 1, 2)


def _sae_layout(args):
    """The parameters in sparseAutoencoderCost's grad: W1, W2, b1, b2."""
    v, h = int(args[1]), int(args[2])
    return [("W1", (h, v)), ("W2", (v, h)), ("b1", (h,)), ("b2", (v,))]


def _sae_no_kl(theta, v, h, lambda_, rho, beta, data):
    return csae.sparseAutoencoderCost(theta, v, h, lambda_, rho, 0.0, data)


def _sae_no_decay(theta, v, h, lambda_, rho, beta, data):
    return csae.sparseAutoencoderCost(theta, v, h, 0.0, rho, beta, data)


def _sae_no_mean(theta, v, h, lambda_, rho, beta, data):
    """The squared error and every gradient term summed over the examples (no 1/m); rho_hat
    still the mean activation."""
    m = np.shape(data)[1]
    c_plain, _ = csae.sparseAutoencoderCost(theta, v, h, 0.0, rho, 0.0, data)
    c_kl, g = csae.sparseAutoencoderCost(theta, v, h, 0.0, rho, beta, data)
    hv = h * v
    theta = np.asarray(theta, dtype=np.float64)
    W = theta[:2 * hv]
    decay = lambda_ / 2 * np.sum(W ** 2)
    grad = m * g
    grad[:2 * hv] += lambda_ * W
    return m * c_plain + (c_kl - c_plain) + decay, grad


def _sae_cost_only_no_mean(theta, v, h, lambda_, rho, beta, data):
    """The squared error summed over the examples (no 1/m) in the cost only."""
    m = np.shape(data)[1]
    c_plain, _ = csae.sparseAutoencoderCost(theta, v, h, 0.0, rho, 0.0, data)
    cost, grad = csae.sparseAutoencoderCost(theta, v, h, lambda_, rho, beta, data)
    return cost + (m - 1) * c_plain, grad


def _sae_decay_on_biases(theta, v, h, lambda_, rho, beta, data):
    """The weight decay on b1 and b2 too, in the cost and the gradient."""
    cost, grad = csae.sparseAutoencoderCost(theta, v, h, lambda_, rho, beta, data)
    b = np.asarray(theta, dtype=np.float64)[2 * h * v:]
    grad = grad.copy()
    grad[2 * h * v:] += lambda_ * b
    return cost + lambda_ / 2 * np.sum(b ** 2), grad


def _sae_no_kl_in_grad(theta, v, h, lambda_, rho, beta, data):
    """The sparsity term in the cost but not in delta2 (so not in the gradient)."""
    cost, _ = csae.sparseAutoencoderCost(theta, v, h, lambda_, rho, beta, data)
    return cost, _sae_no_kl(theta, v, h, lambda_, rho, beta, data)[1]


def _sae_gradient_check(fn):
    """train.m's STEP 3 on a small problem (8 visible, 3 hidden units, 10 patches):
    computeNumericalGradient against the gradient, norm(numgrad - grad) / norm(numgrad +
    grad) < 1e-9."""
    theta, _, _, _, _, _, data = sparse_autoencoder(np.random.default_rng(11), 8, 3, 10)
    theta *= 0.2
    args = (8, 3, 1e-4, 0.01, 3.0, data)
    return central_difference_check(fn, theta, args, 1e-9, _sae_layout)


def _smooth_cost(x):
    """A smooth test function of any number of parameters and its gradient, (value, grad)
    as a cost function returns them (top level, so that the checker can pickle it)."""
    x = np.asarray(x, dtype=np.float64)
    w = np.arange(1.0, x.size + 1)
    value = np.sum(w * np.log1p(x ** 2)) + 0.5 * np.sum(x) ** 2 + np.sum(np.sin(x))
    return float(value), 2 * w * x / (1 + x ** 2) + np.sum(x) + np.cos(x)


def _quadratic(x):
    """checkNumericalGradient's h(x1, x2) = x1^2 + 3*x1*x2 and its gradient."""
    return x[0] ** 2 + 3 * x[0] * x[1], np.array([2 * x[0] + 3 * x[1], 3 * x[0]])


def _numgrad_inputs(rng, trial):
    if trial == 0:
        return _quadratic, rng.uniform(-5, 5, 2)
    return _smooth_cost, rng.uniform(-2, 2, int(rng.integers(3, 9)))


def _numgrad_forward(J, theta):
    theta = np.array(theta, dtype=np.float64).ravel()
    f0 = float(J(theta)[0])
    out = np.zeros_like(theta)
    for i in range(theta.size):
        t = theta.copy()
        t[i] += 1e-4
        out[i] = (float(J(t)[0]) - f0) / 1e-4
    return out


def _numgrad_check(fn):
    """checkNumericalGradient: h(x) = x1^2 + 3*x1*x2 at x = [4; 10],
    norm(numgrad - grad) / norm(numgrad + grad) < 1e-9."""
    x = np.array([4.0, 10.0])
    _, grad = _quadratic(x)
    numgrad = np.asarray(fn(_quadratic, x.copy()),
                         dtype=np.float64).ravel()
    if numgrad.size != 2:
        return False, f"numgrad has {numgrad.size} elements, theta 2"
    diff = float(np.linalg.norm(numgrad - grad) / np.linalg.norm(numgrad + grad))
    if not diff < 1e-9:
        return False, (f"Norm of the difference between numerical and analytical gradient "
                       f"{diff:.4e} (should be < 1e-9): numgrad {numgrad.tolist()}, grad "
                       f"{grad.tolist()}")
    return True, f"difference {diff:.4e}"


SPARSEAE = Chapter(
    name="sparseae", origin="UFLDL/sparseae_exercise",
    title="Sparse autoencoder (the original UFLDL exercise): sparseAutoencoderCost, "
          "computeNumericalGradient",
    drivers=("sparseae_exercise",),
    functions=(
        Function(
            "computeNumericalGradient", csae.computeNumericalGradient,
            csae.computeNumericalGradient, _numgrad_inputs, ("numgrad",),
            doc="""The numerical gradient of J at theta (common/computeNumericalGradient.m).

    Parameters: J (a function of theta returning its value, or a tuple whose first element
    is the value, as the cost functions return (cost, grad)), theta (a vector of
    parameters). Returns numgrad, shaped as theta: numgrad[i] approximates the partial
    derivative of J with respect to theta[i], evaluated at theta.""",
            imports="from typing import Callable",
            gaps={"computeNumericalGradient/numgrad": "Implement numerical gradient checking "
                  "(section 2.3 of the lecture notes) and return the result in numgrad: "
                  "numgrad[i] is the central difference (J(theta + EPSILON*e_i) - J(theta - "
                  "EPSILON*e_i)) / (2*EPSILON), EPSILON = 1e-4, e_i the i-th unit vector. "
                  "Hint: compute the elements of numgrad one at a time; J returns (cost, "
                  "grad): take its first element."},
            mistakes=(
                Mistake("a one-sided difference (J(theta + EPSILON*e_i) - J(theta)) / "
                        "EPSILON where the central difference is asked for",
                        _numgrad_forward),
                Mistake("the central difference divided by EPSILON, not 2*EPSILON",
                        scaled(csae.computeNumericalGradient, lambda a: 2.0)),
            ),
            checks=(("checkNumericalGradient", _numgrad_check),)),
        Function(
            "sparseAutoencoderCost", csae.sparseAutoencoderCost_loop,
            csae.sparseAutoencoderCost, _sae_inputs, ("cost", "grad"),
            doc="""The sparse autoencoder's cost J_sparse(W, b) and its gradient.

    Parameters: theta ([W1(:); W2(:); b1(:); b2(:)], W1 hiddenSize x visibleSize, W2
    visibleSize x hiddenSize), visibleSize (the number of input units, 64), hiddenSize (the
    number of hidden units, 25), lambda_ (the weight decay), sparsityParam (rho, the desired
    average activation of the hidden units), beta (the weight of the sparsity penalty), data
    (visibleSize x m, data[:, i] the i-th training example). Returns cost and grad
    ([W1grad(:); W2grad(:); b1grad(:); b2grad(:)], shaped as theta).""",
            gaps={"sparseAutoencoderCost/cost_grad": "Compute the cost J_sparse(W, b) of the "
                  "sparse autoencoder (sigmoid hidden and output units): the average over "
                  "the m examples of 1/2 ||a3 - x||^2, plus the weight decay lambda_/2 * "
                  "(sum of W1.^2 + sum of W2.^2), plus beta times the sum over the hidden "
                  "units of KL(rho || rho_hat_j), rho_hat the hidden units' average "
                  "activation over the examples. Compute W1grad, W2grad, b1grad, b2grad by "
                  "backpropagation, shaped as W1, W2, b1, b2: W1grad is [(1/m) Delta W1 + "
                  "lambda_ W1] of the last block of pseudo-code of section 2.2 of the "
                  "lecture notes (and similarly for the others), with the sparsity term beta "
                  "* (-rho/rho_hat + (1-rho)/(1-rho_hat)) added to the hidden units' "
                  "backpropagated error. You may need two passes over the examples: one for "
                  "rho_hat, one for backpropagation."},
            mistakes=(
                Mistake("the KL sparsity term missing: beta * sum KL(rho || rho_hat) in the "
                        "cost and beta * (-rho./rho_hat + (1-rho)./(1-rho_hat)) in delta2",
                        _sae_no_kl),
                Mistake("the weight decay missing: lambda_/2 * (sum W1.^2 + sum W2.^2) in "
                        "the cost, lambda_ * W in W1grad and W2grad", _sae_no_decay),
                Mistake("a missing 1/m: the squared error and the gradients summed over the "
                        "examples instead of averaged", _sae_no_mean),
                Mistake("the cost's 1/m missing: the squared error summed over the examples "
                        "where the gradient averages", _sae_cost_only_no_mean),
                Mistake("weight decay on the biases: it is lambda_/2 * (sum W1.^2 + sum "
                        "W2.^2), on the weights only (not b1, b2), in the cost and in the "
                        "gradient", _sae_decay_on_biases),
                Mistake("the sparsity term missing from the gradient: the cost has beta * sum "
                        "KL(rho || rho_hat), so delta2 needs beta * (-rho./rho_hat + "
                        "(1-rho)./(1-rho_hat)) added before the sigmoid's derivative",
                        _sae_no_kl_in_grad),
            ),
            checks=(("train.m's gradient check (computeNumericalGradient)",
                     _sae_gradient_check),),
            layout=_sae_layout),
    ))
