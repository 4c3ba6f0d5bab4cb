"""The ex1 chapter of student mode: stanford_dl_ex/ex1: linear, logistic and softmax regression."""

from __future__ import annotations


import numpy as np

from ...testing import PROBLEMS
from ...ufldl import ex1
from ._common import (Chapter, Function, Mistake, gradient_check, scaled, top_label_left_out,
                      wrapped_labels, zero_based)

__all__ = ["EX1"]


# ex1's kinds of labels, by the function whose problem draws them
_EX1_PROBLEM = {"real": "linear_regression", "binary": "logistic_regression",
                "classes": "softmax_regression_vec"}


def _ex1_inputs(kind):
    def inputs(rng, trial):
        theta, X, y = PROBLEMS[_EX1_PROBLEM[kind]](rng)
        if kind == "classes":
            y = top_label_left_out(y, theta.size // X.shape[0] + 1, trial)
        return theta, X, y
    return inputs


def _softmax_classes(args):
    """softmax_regression_vec's number of classes: theta holds n x (num_classes - 1)."""
    return np.size(args[0]) // np.shape(args[1])[0] + 1


def _per_example(args):
    return 1.0 / np.shape(args[1])[1]


def _softmax_row_major(theta_c: bool, g_c: bool):
    """softmax_regression_vec with theta reshaped and/or g unrolled row-major."""
    def mistaken(theta, X, y):
        n = np.shape(X)[0]
        T = np.ravel(theta).reshape(n, -1, order="C" if theta_c else "F")
        f, g = ex1.softmax_regression_vec(T.ravel(order="F"), X, y)
        return f, g.reshape(T.shape, order="F").ravel(order="C" if g_c else "F")
    return mistaken


def _ex1_gradient_check(kind):
    def check(fn):
        theta, X, y = PROBLEMS[_EX1_PROBLEM[kind]](np.random.default_rng(11))
        return gradient_check(fn, (theta, X, y))
    return check


_MEAN = ("averaged over the examples (a 1/m): the tutorial's objective and gradient are "
         "sums over the examples")
_EX1_CHECK = "a gradient check (grad_check)"
_EX1_ARGS = """

    Parameters: theta (the parameters), X (the examples, one per column: X[i, j] is the i'th
    coordinate of the j'th example), y (the label of each example: y[j] is example j's).
    Returns f (the objective) and g (its gradient with respect to theta)."""


def _ex1_function(name, kind, doc, gap, instructions, mistakes, imports=""):
    source = getattr(ex1, name)
    return Function(name, source, source, _ex1_inputs(kind), ("f", "g"),
                    doc=doc + _EX1_ARGS, imports=imports, gaps={f"{name}/{gap}": instructions},
                    mistakes=(Mistake(_MEAN, scaled(source, _per_example)), *mistakes),
                    checks=((_EX1_CHECK, _ex1_gradient_check(kind)),))


_NEGATED = "the sign: the log-likelihood where its negative is to be minimised"

EX1 = Chapter(
    name="ex1", origin="stanford_dl_ex/ex1",
    title="Linear, logistic and softmax regression (ex1a_linreg, ex1b_logreg, ex1c_softmax)",
    drivers=("ex1a_linreg", "ex1b_logreg", "ex1c_softmax"),
    functions=(
        _ex1_function(
            "linear_regression", "real",
            "The linear regression objective 1/2 * sum_j (theta' * x_j - y_j)^2 and its "
            "gradient,\n    by looping over the examples.", "loop",
            "Compute the linear regression objective by looping over the examples in X; "
            "store it in f. Compute its gradient with respect to theta by looping over the "
            "examples and adding up each example's gradient; store it in g.",
            (Mistake("a missing 1/2 in the objective",
                     scaled(ex1.linear_regression, lambda a: 2.0)),)),
        _ex1_function(
            "linear_regression_vec", "real",
            "linear_regression in vectorized code (no loops).", "vectorized",
            "Compute the linear regression objective and gradient using vectorized code "
            "(it will be just a few lines); store the objective in f and the gradient in g.",
            (Mistake("a missing 1/2 in the objective",
                     scaled(ex1.linear_regression_vec, lambda a: 2.0)),)),
        _ex1_function(
            "logistic_regression", "binary",
            "The logistic regression objective -sum_j (y_j log h(x_j) + (1 - y_j) log(1 - "
            "h(x_j))),\n    h(x) = sigmoid(theta' * x), and its gradient, by looping over the "
            "examples.", "loop",
            "Compute the objective by looping over the dataset and summing up each "
            "example's objective; store it in f. Compute the gradient by looping over the "
            "dataset and summing up each example's gradient (df/dtheta); store it in g.",
            (Mistake(_NEGATED, scaled(ex1.logistic_regression, lambda a: -1.0)),),
            imports="from ufldl_py.ufldl.ex1 import sigmoid"),
        _ex1_function(
            "logistic_regression_vec", "binary",
            "logistic_regression in vectorized code (no loops).", "vectorized",
            "Compute the logistic regression objective and gradient using vectorized code "
            "(it will be just a few lines); store the objective in f and the gradient in g.",
            (Mistake(_NEGATED, scaled(ex1.logistic_regression_vec, lambda a: -1.0)),),
            imports="from ufldl_py.ufldl.ex1 import sigmoid"),
        _ex1_function(
            "softmax_regression_vec", "classes",
            "The softmax regression objective -sum_j log P(y_j | x_j) and its gradient, "
            "vectorized.\n\n    theta holds n x (num_classes - 1) parameters as a vector "
            "(minFunc's theta is a long vector);\n    the last class's parameters are zero, "
            "theta(:, num_classes) = 0. Labels are 1..num_classes.", "vectorized",
            "Compute the softmax objective and its gradient using vectorized code; store "
            "the objective in f and the gradient (n x (num_classes - 1)) in g.",
            (Mistake("labels taken as 0-based: they are 1..num_classes as in MATLAB, so the "
                     "row of label l is l - 1",
                     zero_based(ex1.softmax_regression_vec, 2, _softmax_classes)),
             wrapped_labels(ex1.softmax_regression_vec, 2, _softmax_classes),
             *(Mistake("a row-major reshape: theta and g must be reshaped column-major, as "
                       "MATLAB's reshape does (order='F')", _softmax_row_major(tc, gc))
               for tc, gc in ((True, True), (True, False), (False, True))))),
    ))
