"""The UFLDL supervised-learning exercises (stanford_dl_ex/ex1).

Linear regression, logistic regression and softmax regression, each cost returning the
objective and its gradient for minFunc, with the YOUR CODE HERE parts completed as the
tutorial intends: the objectives are sums over the examples (no 1/m), as the tutorial writes
them:

- linear:   f = 1/2 * sum_i (theta' * x_i - y_i)^2
- logistic: f = -sum_i (y_i log h(x_i) + (1 - y_i) log(1 - h(x_i))),  h = sigmoid(theta' * x)
- softmax:  f = -sum_i log P(y_i | x_i), with theta holding K-1 columns (the K-th is zero)

Examples are columns: X is (n, m), y a vector of m labels. ``linear_regression`` and
``logistic_regression`` loop over the examples as the exercise's first versions do; the
``_vec`` forms are the vectorised versions the tutorial asks for next.
"""

from __future__ import annotations

import numpy as np

from .. import data, kernels
from ..matlab import random as mrandom
from ..matlab import validate

__all__ = [
    "sigmoid", "linear_regression", "linear_regression_vec", "logistic_regression",
    "logistic_regression_vec", "softmax_regression_vec", "binary_classifier_accuracy",
    "multi_classifier_accuracy", "grad_check", "ex1_load_mnist",
]


def _problem(theta, X, y, columns: int | None = None):
    """Checked (theta, X, y): theta a finite vector, X (n, m), y m values."""
    theta = validate.vector(theta, "theta")
    if not np.isfinite(theta).all():
        raise ValueError("theta contains NaN or Inf")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be n x m (one example per column), got shape {X.shape}")
    y = validate.vector(y, "y")
    if y.size != X.shape[1]:
        raise ValueError(f"X has {X.shape[1]} examples (columns) but y has {y.size} labels")
    expected = X.shape[0] * (columns or 1)
    if theta.size != expected:
        raise ValueError(f"theta must have {expected} elements for X with {X.shape[0]} rows, "
                         f"got {theta.size}")
    return theta, X, y


def sigmoid(a):
    """``1 ./ (1 + exp(-a))`` element-wise (ex1/sigmoid.m).

    Parameters
    ----------
    a : array_like
        Any shape.

    Returns
    -------
    ndarray
        The logistic function of each element, of a's shape.
    """
    return kernels.sigmoid(validate.array(a, "a"))


def linear_regression(theta, X, y):
    """Squared error and its gradient, one example at a time (ex1/linear_regression.m).

    The ``# --- YOUR CODE HERE`` ... ``# --- END ---`` comments in this module's functions
    mark the template's gaps (``ufldl-py exercise start ex1``, :mod:`ufldl_py.student`); a
    ``# template:`` comment gives the line that replaces the next one in the student's file.

    Parameters
    ----------
    theta : ndarray (n,)
        The parameters (a finite vector).
    X : ndarray (n, m)
        The examples, one per column.
    y : ndarray (m,)
        The targets.

    Returns
    -------
    f : float
        ``1/2 * sum_i (theta' * x_i - y_i)^2``.
    g : ndarray (n,)
        The gradient of f with respect to theta.

    Raises
    ------
    ValueError
        When theta is not finite, X is not 2-D, y's length is not X's number of columns, or
        theta's length is not X's number of rows.
    """
    # template: theta, X, y = np.ravel(theta), np.asarray(X, dtype=np.float64), np.ravel(y)
    theta, X, y = _problem(theta, X, y)
    m = X.shape[1]
    f = 0.0
    g = np.zeros_like(theta)
    # --- YOUR CODE HERE: linear_regression/loop ---
    for i in range(m):
        r = theta @ X[:, i] - y[i]
        f += 0.5 * r * r
        g += X[:, i] * r
    # --- END ---
    return f, g


def linear_regression_vec(theta, X, y):
    """linear_regression without loops (ex1/linear_regression_vec.m).

    Parameters
    ----------
    theta : ndarray (n,)
        The parameters (a finite vector).
    X : ndarray (n, m)
        The examples, one per column.
    y : ndarray (m,)
        The targets.

    Returns
    -------
    f : float
        ``1/2 * sum_i (theta' * x_i - y_i)^2``.
    g : ndarray (n,)
        The gradient of f with respect to theta.

    Raises
    ------
    ValueError
        When theta is not finite, X is not 2-D, y's length is not X's number of columns, or
        theta's length is not X's number of rows.
    """
    # template: theta, X, y = np.ravel(theta), np.asarray(X, dtype=np.float64), np.ravel(y)
    theta, X, y = _problem(theta, X, y)
    f = 0.0
    g = np.zeros_like(theta)
    # --- YOUR CODE HERE: linear_regression_vec/vectorized ---
    r = theta @ X - y
    f = 0.5 * float(r @ r)
    g = X @ r
    # --- END ---
    return f, g


def _binary_labels(y):
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must hold the labels 0 and 1")


def logistic_regression(theta, X, y):
    """Cross entropy of the logistic model, one example at a time (ex1/logistic_regression.m).

    Parameters
    ----------
    theta : ndarray (n,)
        The parameters (a finite vector).
    X : ndarray (n, m)
        The examples, one per column.
    y : ndarray (m,)
        The labels, 0 or 1.

    Returns
    -------
    f : float
        ``-sum_i (y_i log h_i + (1 - y_i) log(1 - h_i))``, ``h_i = sigmoid(theta' * x_i)``.
    g : ndarray (n,)
        The gradient of f with respect to theta.

    Raises
    ------
    ValueError
        When theta is not finite, X is not 2-D, y's length is not X's number of columns, or
        theta's length is not X's number of rows, or y holds a label other than 0 and 1.
    """
    # template: theta, X, y = np.ravel(theta), np.asarray(X, dtype=np.float64), np.ravel(y)
    theta, X, y = _problem(theta, X, y)
    # template:
    _binary_labels(y)
    m = X.shape[1]
    f = 0.0
    g = np.zeros_like(theta)
    # --- YOUR CODE HERE: logistic_regression/loop ---
    for i in range(m):
        h = sigmoid(theta @ X[:, i])
        f -= y[i] * np.log(h) + (1 - y[i]) * np.log(1 - h)
        g += X[:, i] * (h - y[i])
    # --- END ---
    return float(f), g


def logistic_regression_vec(theta, X, y):
    """logistic_regression without loops (ex1/logistic_regression_vec.m).

    Parameters
    ----------
    theta : ndarray (n,)
        The parameters (a finite vector).
    X : ndarray (n, m)
        The examples, one per column.
    y : ndarray (m,)
        The labels, 0 or 1.

    Returns
    -------
    f : float
        ``-sum_i (y_i log h_i + (1 - y_i) log(1 - h_i))``, ``h_i = sigmoid(theta' * x_i)``.
    g : ndarray (n,)
        The gradient of f with respect to theta.

    Raises
    ------
    ValueError
        When theta is not finite, X is not 2-D, y's length is not X's number of columns, or
        theta's length is not X's number of rows, or y holds a label other than 0 and 1.
    """
    # template: theta, X, y = np.ravel(theta), np.asarray(X, dtype=np.float64), np.ravel(y)
    theta, X, y = _problem(theta, X, y)
    # template:
    _binary_labels(y)
    f = 0.0
    g = np.zeros_like(theta)
    # --- YOUR CODE HERE: logistic_regression_vec/vectorized ---
    h = sigmoid(theta @ X)
    f = -float(y @ np.log(h) + (1 - y) @ np.log(1 - h))
    g = X @ (h - y)
    # --- END ---
    return f, g


def _softmax_problem(theta, X, y):
    """Checked (theta, X, y) of softmax_regression_vec: theta n*(K-1), labels 1..K."""
    theta = validate.vector(theta, "theta")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or theta.size % X.shape[0]:
        raise ValueError(f"theta ({theta.size} elements) must be n x (K-1) for X with "
                         f"{X.shape[0] if X.ndim == 2 else '?'} rows")
    K = theta.size // X.shape[0] + 1
    theta, X, y = _problem(theta, X, y, columns=K - 1)
    if (y != np.round(y)).any() or y.min(initial=1) < 1 or y.max(initial=1) > K:
        raise ValueError(f"y must hold labels 1..K = 1..{K}")
    return theta, X, y


def softmax_regression_vec(theta, X, y):
    """Softmax regression's cross entropy and gradient (ex1/softmax_regression_vec.m).

    Parameters
    ----------
    theta : ndarray (n*(K-1),)
        theta(:) of an n x (K-1) matrix; class K's parameters are zero.
    X : ndarray (n, m)
        The examples, one per column.
    y : ndarray (m,)
        Labels in 1..K.

    Returns
    -------
    f : float
        ``-sum_i log P(y_i | x_i)``.
    g : ndarray (n*(K-1),)
        The gradient, as a vector.

    Raises
    ------
    ValueError
        When theta's length is not a multiple of X's rows, the shapes disagree, theta is not
        finite, or y holds a label outside 1..K.
    """
    # template: theta, X, y = np.ravel(theta), np.asarray(X, dtype=np.float64), np.ravel(y)
    theta, X, y = _softmax_problem(theta, X, y)
    m = X.shape[1]
    n = X.shape[0]
    # theta is a vector; reshape it to n x (num_classes - 1), column-major as MATLAB does
    theta = theta.reshape(n, -1, order="F")
    num_classes = theta.shape[1] + 1
    f = 0.0
    g = np.zeros_like(theta)
    # --- YOUR CODE HERE: softmax_regression_vec/vectorized ---
    Theta = np.concatenate([theta, np.zeros((n, 1))], axis=1)
    A = Theta.T @ X  # (num_classes, m)
    A -= A.max(axis=0)
    P = np.exp(A)
    P /= P.sum(axis=0)
    idx = y.astype(np.intp) - 1
    cols = np.arange(m)
    f = -float(np.sum(np.log(P[idx, cols])))
    P[idx, cols] -= 1.0  # P - groundTruth
    g = (X @ P.T)[:, :num_classes - 1]  # (n, num_classes - 1)
    # --- END ---
    g = g.ravel(order="F")  # make gradient a vector for minFunc
    return f, g


def binary_classifier_accuracy(theta, X, y) -> float:
    """Fraction of examples whose 0/1 label equals ``sigmoid(theta' * x) > 0.5``
    (ex1/binary_classifier_accuracy.m).

    Parameters
    ----------
    theta : ndarray (n,)
        The logistic model's parameters.
    X : ndarray (n, m)
        The examples, one per column.
    y : ndarray (m,)
        The labels, 0 or 1.

    Returns
    -------
    float
        The fraction of correct predictions, in [0, 1].
    """
    y = validate.vector(y, "y")
    correct = np.sum(y == (sigmoid(validate.vector(theta, "theta") @ np.asarray(X)) > 0.5))
    return float(correct) / y.size


def multi_classifier_accuracy(theta, X, y) -> float:
    """Fraction of examples whose label 1..K is the argmax of ``theta' * x``
    (ex1/multi_classifier_accuracy.m).

    Parameters
    ----------
    theta : ndarray (n, K)
        The parameters of all K classes.
    X : ndarray (n, m)
        The examples, one per column.
    y : ndarray (m,)
        The labels, 1..K.

    Returns
    -------
    float
        The fraction of correct predictions, in [0, 1].
    """
    y = validate.vector(y, "y")
    labels = np.argmax(np.asarray(theta).T @ np.asarray(X), axis=0) + 1
    return float(np.sum(y == labels)) / y.size


def grad_check(fun, theta0, num_checks: int, *args) -> float:
    """Average error of the gradient on random coordinates, by central differences with
    delta 1e-3 (ex1/grad_check.m); prints a line per check as the original does.

    The coordinates are drawn with ``randperm(numel(theta), 1)`` (MATLAB's
    ``randsample(numel(T), 1)``) from :mod:`ufldl_py.matlab.random`.

    Parameters
    ----------
    fun : callable
        ``fun(theta, *args) -> (f, g, ...)``: the objective and its gradient.
    theta0 : ndarray (n,)
        The point at which the gradient is checked.
    num_checks : int
        How many random coordinates to check.
    *args
        Passed on to ``fun``.

    Returns
    -------
    float
        The mean absolute difference between the analytic and the estimated partial
        derivatives.
    """
    delta = 1e-3
    theta0 = validate.vector(theta0, "theta0")
    sum_error = 0.0
    print(" Iter       i             err           g_est               g               f")
    for i in range(1, int(num_checks) + 1):
        T = theta0.copy()
        j = int(mrandom.randperm(T.size, 1).item())
        T0, T1 = T.copy(), T.copy()
        T0[j - 1] -= delta
        T1[j - 1] += delta
        f, g = fun(T, *args)[:2]
        f0 = fun(T0, *args)[0]
        f1 = fun(T1, *args)[0]
        g_est = (f1 - f0) / (2 * delta)
        error = abs(np.ravel(g)[j - 1] - g_est)
        print(f"{i: 5d}  {j: 6d} {error: 15g} {np.ravel(g)[j - 1]: 15f} {g_est: 15f} {f: 15f}")
        sum_error += error
    return sum_error / num_checks


def ex1_load_mnist(binary_digits: bool):
    """MNIST for ex1b and ex1c (ex1/ex1_load_mnist.m): shuffled with randperm, each pixel
    standardised by the training set's mean and standard deviation (+ 0.1).

    Parameters
    ----------
    binary_digits : bool
        Keep only the digits 0 and 1 (zeros first, before the shuffle).

    Returns
    -------
    train, test : dict
        X (784, m) and y (m,), the digits 0..9.
    """
    def load(prefix):
        X = data.loadMNISTImages(data.mnist_path(f"{prefix}-images"))
        y = data.loadMNISTLabels(data.mnist_path(f"{prefix}-labels"))
        if binary_digits:
            X = np.concatenate([X[:, y == 0], X[:, y == 1]], axis=1)
            y = np.concatenate([y[y == 0], y[y == 1]])
        I = mrandom.randperm(y.size).ravel().astype(np.intp) - 1
        return X[:, I], y[I]

    X, y = load("train")
    s = X.std(axis=1, ddof=1, keepdims=True)
    m = X.mean(axis=1, keepdims=True)
    train = {"X": (X - m) / (s + .1), "y": y}
    X, y = load("t10k")
    test = {"X": (X - m) / (s + .1), "y": y}
    return train, test
