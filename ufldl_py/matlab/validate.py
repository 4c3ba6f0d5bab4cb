"""The boundary checks every port uses, with MATLAB-like messages.

Each check takes the value and the argument's name, returns the value in the form the port
computes with (a float64 array, a Python int or float), and raises ValueError (or TypeError
for a value of the wrong kind) naming the argument. Ports call these once, at their
boundary; nothing inside a port re-checks.
"""

from __future__ import annotations

import numpy as np

__all__ = ["array", "vector", "scalar", "positive_int", "labels", "finite", "batches"]


def array(value, name: str) -> np.ndarray:
    """``value`` as a float64 array; TypeError when it is not real numbers (text, None,
    objects and complex values are refused, not turned into NaN or cast).

    Parameters
    ----------
    value : array_like
        The argument.
    name : str
        The argument's name, for the error message.

    Returns
    -------
    ndarray
        value as float64.

    Raises
    ------
    TypeError
        When value is not real numbers.
    """
    if type(value) is np.ndarray and value.dtype == np.float64:  # as it is, no checks owed
        return value
    try:
        a = np.asarray(value)
    except (TypeError, ValueError) as err:  # ragged nested sequences
        raise TypeError(f"{name} must be a real numeric array, got {type(value).__name__}") \
            from err
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real numeric array, got {type(value).__name__} "
                        f"of dtype {a.dtype}")
    return a.astype(np.float64, copy=False)


def finite(a, name: str) -> np.ndarray:
    """``a`` as a float64 array, refused when it holds NaN or Inf.

    Parameters
    ----------
    a : array_like
        The argument.
    name : str
        The argument's name, for the error message.

    Returns
    -------
    ndarray
        a as float64.

    Raises
    ------
    ValueError
        When a holds NaN or Inf.
    TypeError
        When a is not real numbers.
    """
    a = array(a, name)
    if not np.isfinite(a).all():
        raise ValueError(f"{name} contains NaN or Inf")
    return a


def vector(value, name: str, size: int | None = None) -> np.ndarray:
    """A MATLAB vector (n x 1, 1 x n or 1-D) as a 1-D float64 array, of ``size`` elements
    when given.

    Parameters
    ----------
    value : array_like
        The argument.
    name : str
        The argument's name, for the error message.
    size : int, optional
        The number of elements required.

    Returns
    -------
    ndarray
        1-D float64.

    Raises
    ------
    ValueError
        When value is not a vector, or not of size elements.
    """
    v = array(value, name)
    if v.ndim == 2 and 1 in v.shape:
        v = v.ravel()
    elif v.ndim == 0:
        v = v.reshape(1)
    if v.ndim != 1:
        raise ValueError(f"{name} must be a vector, got shape {v.shape}")
    if size is not None and v.size != size:
        raise ValueError(f"{name} must have {size} elements, got {v.size}")
    return v


def scalar(value, name: str) -> float:
    """A MATLAB scalar (a number, or a 1 x 1 array) as a Python float.

    Parameters
    ----------
    value : float or array_like
        The argument.
    name : str
        The argument's name, for the error message.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        When value is not a number.
    ValueError
        When it is an array of more than one element.
    """
    if type(value) is float:
        return value
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    a = array(value, name)
    if a.size != 1:
        raise ValueError(f"{name} must be a scalar, got an array of shape {a.shape}")
    return float(a.reshape(()))


def positive_int(value, name: str) -> int:
    """A positive whole number (an int, a whole float or a 1 x 1 array) as a Python int.

    Parameters
    ----------
    value : int, float or array_like
        The argument.
    name : str
        The argument's name, for the error message.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        When value is not a number.
    ValueError
        When it is not a positive whole number.
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a positive integer, got {value!r}")
    v = scalar(value, name)
    if not np.isfinite(v) or v != int(v) or v < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(v)


def batches(opts: dict, m: int, message: str) -> tuple[int, int, int]:
    """DeepLearnToolbox's training options: ``opts.batchsize`` and ``opts.numepochs``
    (positive integers) and ``numbatches = m / batchsize``, refused with the original's
    assert ``message`` when it is not whole. Returns (batchsize, numepochs, numbatches).

    Parameters
    ----------
    opts : dict
        The training options (batchsize, numepochs).
    m : int
        The number of examples.
    message : str
        The original's assert message.

    Returns
    -------
    batchsize, numepochs, numbatches : int

    Raises
    ------
    ValueError
        message, when m / batchsize is not whole; or when an option is not a positive integer.
    TypeError
        When an option is not a number.
    """
    batchsize = positive_int(opts["batchsize"], "opts.batchsize")
    numepochs = positive_int(opts["numepochs"], "opts.numepochs")
    if m % batchsize != 0:
        raise ValueError(message)
    return batchsize, numepochs, m // batchsize


def labels(value, numClasses: int, count: int | None = None, name: str = "labels",
           per: str = "example") -> np.ndarray:
    """Class labels 1..numClasses (a MATLAB vector) as a 1-D int array, still 1-based;
    ``count`` labels when given (one per ``per``: example, image, ...).

    Parameters
    ----------
    value : array_like
        The labels.
    numClasses : int
        The number of classes.
    count : int, optional
        How many labels there must be.
    name : str
        The argument's name, for the error message.
    per : str
        What each label belongs to, for the message.

    Returns
    -------
    ndarray
        1-D int labels, 1-based.

    Raises
    ------
    ValueError
        When the labels are not count integers in 1..numClasses.
    """
    y = vector(value, name)
    if count is not None and y.size != count:
        raise ValueError(f"{name} must be a vector of {count} labels (one per {per}), "
                         f"got {y.size}")
    if not np.isfinite(y).all() or (y != np.round(y)).any() \
            or y.min(initial=1) < 1 or y.max(initial=1) > numClasses:
        raise ValueError(f"{name} must be integers in 1..numClasses = 1..{numClasses}")
    return y.astype(np.intp)
