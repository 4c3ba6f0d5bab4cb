"""What several DeepLearnToolbox ports share (private to :mod:`ufldl_py.dlt`)."""

from __future__ import annotations

import math

__all__ = ["num2str"]


def num2str(x: float) -> str:
    """Octave's num2str of a real scalar, as the training loops print their progress.

    Integers are printed as such, other values with ``%.Ng``, N = max(floor(log10(|x|)) + 5,
    5) (4 digits after the point), as Octave's num2str does.

    Parameters
    ----------
    x : float
        A real scalar.

    Returns
    -------
    text : str
        'NaN', 'Inf' and '-Inf' for the non-finite values.
    """
    x = float(x)
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else ("Inf" if x > 0 else "-Inf")
    if x == int(x):
        return str(int(x))
    ndgt = min(max(math.floor(math.log10(abs(x))) + 5, 5), 16)
    return f"{x:.{ndgt}g}"
