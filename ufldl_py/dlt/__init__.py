"""DeepLearnToolbox, one module per model family: ``from ufldl_py.dlt import cnnff, cnnbp``.

Nets are dicts with DeepLearnToolbox's field names; cells are lists, and MATLAB's 1-based
cell index ``k{i}{j}`` is ``k[i-1][j-1]``.
"""

from . import cae, cnn, util
from .cae import *  # noqa: F403
from .cnn import *  # noqa: F403
from .util import *  # noqa: F403

__all__ = [*cae.__all__, *cnn.__all__, *util.__all__]
