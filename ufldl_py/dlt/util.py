"""DeepLearnToolbox/util functions used by the ported models.

``expand`` and ``flipall`` are MATLAB array primitives and live in
:mod:`ufldl_py.matlab.ops`; they are re-exported here under DeepLearnToolbox's layout.
"""

import numpy as np

from ..matlab.ops import expand, flipall

__all__ = ["sigm", "expand", "flipall"]


def sigm(P):
    """The logistic function ``1 ./ (1 + exp(-P))`` (util/sigm.m), element-wise."""
    return 1.0 / (1.0 + np.exp(-np.asarray(P, dtype=np.float64)))
