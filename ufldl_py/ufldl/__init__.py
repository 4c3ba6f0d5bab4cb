"""stanford_dl_ex chapters, one module per chapter folder:
``from ufldl_py.ufldl import cnnCost, softmax_regression_vec``."""

from . import cnn, ex1, multilayer_supervised
from .cnn import *  # noqa: F403
from .ex1 import *  # noqa: F403
from .multilayer_supervised import *  # noqa: F403

__all__ = [*cnn.__all__, *ex1.__all__, *multilayer_supervised.__all__]
