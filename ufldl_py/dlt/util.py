"""DeepLearnToolbox/util functions used by the ported models.

``expand`` and ``flipall`` are MATLAB array primitives and live in
:mod:`ufldl_py.matlab.ops`; they are re-exported here under DeepLearnToolbox's layout.
"""

from .. import kernels
from ..matlab import validate
from ..matlab.ops import expand, flipall

__all__ = ["sigm", "expand", "flipall"]


def sigm(P):
    """The logistic function ``1 ./ (1 + exp(-P))`` (util/sigm.m), element-wise."""
    return kernels.sigmoid(validate.array(P, "P"))
