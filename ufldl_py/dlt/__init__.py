"""DeepLearnToolbox, one module per model family: ``from ufldl_py.dlt import nnff, cnnff``.

Nets are dicts with DeepLearnToolbox's field names; cells are lists, and MATLAB's 1-based
cell index ``c{i}`` is ``c[i-1]`` (``k{i}{j}`` is ``k[i-1][j-1]``).
"""

from . import cae, cnn, dbn, nn, sae, util
from .cae import *  # noqa: F403
from .cnn import *  # noqa: F403
from .dbn import *  # noqa: F403
from .nn import *  # noqa: F403
from .sae import *  # noqa: F403
from .util import *  # noqa: F403

__all__ = [*cnn.__all__, *nn.__all__, *sae.__all__, *dbn.__all__, *cae.__all__, *util.__all__]
