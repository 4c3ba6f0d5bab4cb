"""stanford_dl_ex chapters, one module per chapter folder:
``from ufldl_py.ufldl import cnnCost, softmax_regression_vec, softICACost``."""

from . import cnn, common, ex1, multilayer_supervised, pca, rica, stl
from .cnn import *  # noqa: F403
from .common import *  # noqa: F403
from .ex1 import *  # noqa: F403
from .multilayer_supervised import *  # noqa: F403
from .pca import *  # noqa: F403
from .rica import *  # noqa: F403
from .stl import *  # noqa: F403

__all__ = [*cnn.__all__, *common.__all__, *ex1.__all__, *multilayer_supervised.__all__,
           *pca.__all__, *rica.__all__, *stl.__all__]
