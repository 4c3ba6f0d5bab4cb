"""What rand, randn and randi share: MATLAB's size arguments, the shape of the result, the
largest array they may ask for (checked before anything is allocated), and the check that an
argument is a real number."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["FLINTMAX", "MAX_ARRAY_BYTES", "size_args", "shaped", "check_bytes", "is_real",
           "real_scalar"]

FLINTMAX = 2.0 ** 53

#: The largest array the random functions make, in bytes: 8 GiB (2^30 doubles). MATLAB's
#: "maximum array size preference" is the physical memory; a fixed cap is used here so that
#: a mistaken size fails the same way on every machine, before anything is allocated.
MAX_ARRAY_BYTES = 2 ** 33


def is_real(value) -> bool:
    """Whether ``value`` is a real number or an array of them: not None, text, a bool or
    complex.

    Parameters
    ----------
    value : object
        The argument.

    Returns
    -------
    bool
    """
    return not (value is None or isinstance(value, (str, bool, np.bool_))
                or not np.issubdtype(np.asarray(value).dtype, np.number)
                or np.iscomplexobj(value))


def real_scalar(value, fcn: str, what: str) -> float:
    """``value``, a real number or a one-element array of one, as a float.

    Parameters
    ----------
    value : object
        The argument.
    fcn, what : str
        The function and the argument (for the messages).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        When value is not :func:`is_real`.
    ValueError
        When it has more than one element, or none.
    """
    if not is_real(value):
        raise TypeError(f"{fcn}: {what} must be a number, got {value!r}")
    a = np.asarray(value, dtype=np.float64)
    if a.size != 1:
        raise ValueError(f"{fcn}: {what} must be a scalar, got shape {a.shape}")
    return float(a.item())


def _gb(nbytes: int) -> str:
    return f"{nbytes / 2 ** 30:.1f} GB"


def check_bytes(fcn: str, what: str, shape: tuple[int, ...], nbytes: int) -> None:
    """Refuse a request of ``nbytes`` bytes (for an array of ``shape``) over
    :data:`MAX_ARRAY_BYTES`, before it is allocated, as MATLAB's "Requested 100000x100000
    (74.5GB) array exceeds maximum array size preference".

    Parameters
    ----------
    fcn, what : str
        The function and the argument that asked (for the message).
    shape : tuple of int
        The dimensions asked for.
    nbytes : int
        The bytes they need (a Python int: no overflow).

    Raises
    ------
    ValueError
        One line naming ``fcn``, ``what``, the dimensions and the bytes asked.
    """
    if nbytes > MAX_ARRAY_BYTES:
        dims = "x".join(str(d) for d in shape)
        raise ValueError(f"{fcn}: {what} requests a {dims} array, {nbytes} bytes ({_gb(nbytes)}), "
                         f"which exceeds the maximum array size of {MAX_ARRAY_BYTES} bytes "
                         f"({_gb(MAX_ARRAY_BYTES)})")


def size_args(args: tuple, fcn: str) -> tuple[int, ...] | None:
    """MATLAB's size arguments: () -> None (a scalar), (n,) -> n x n, (m, n, ...), ([m n]).

    Parameters
    ----------
    args : tuple
        The size arguments as given (a trailing ``'double'`` is allowed).
    fcn : str
        The function, for the messages.

    Returns
    -------
    dims : tuple of int or None
        Negative sizes made 0, trailing singleton dimensions (beyond 2) dropped.

    Raises
    ------
    ValueError
        Sizes that are not finite integers, or whose array of doubles would exceed
        :data:`MAX_ARRAY_BYTES` (checked before anything is allocated).
    TypeError
        Sizes that are not numbers.
    """
    if args and isinstance(args[-1], str):
        if args[-1] == "double":
            args = args[:-1]
        else:
            raise ValueError(f"{fcn}: unsupported class {args[-1]!r} (only 'double')")
    if not args:
        return None
    for a in args:
        if isinstance(a, str):
            raise ValueError(f"{fcn}: unrecognized string argument {a!r}")
        if a is None or not np.issubdtype(np.asarray(a).dtype, np.number):
            raise TypeError(f"{fcn}: dimensions must be numbers, got {a!r}")
    if len(args) == 1:
        a = np.asarray(args[0])
        if a.size == 0:  # rand([]): an empty 0 x 0 matrix, and nothing drawn
            return (0, 0)
        if a.ndim > 2 or (a.ndim == 2 and min(a.shape) != 1):
            raise ValueError(f"{fcn}: the size argument must be a scalar or a vector, "
                             f"got shape {a.shape}")
        dims = [a.item()] * 2 if a.size == 1 else list(a.ravel())
    else:
        dims = []
        for a in args:
            a = np.asarray(a)
            if a.size != 1:
                raise ValueError(f"{fcn}: dimensions must be scalars")
            dims.append(a.item())
    out = []
    for d in dims:
        if (isinstance(d, (bool, np.bool_, complex)) or not math.isfinite(float(d))
                or float(d) != int(d)):
            raise ValueError(f"{fcn}: dimensions must be finite integers, got {d!r}")
        out.append(max(int(d), 0))
    while len(out) > 2 and out[-1] == 1:
        out.pop()
    check_bytes(fcn, "the size argument", tuple(out), 8 * math.prod(out))
    return tuple(out)


def shaped(values: np.ndarray, dims: tuple[int, ...] | None):
    """A float for dims None (``rand()``), else the values in column-major order as dims."""
    if dims is None:
        return float(values[0])
    return values.reshape(dims, order="F")


