"""stanford_dl_ex chapters, one module per chapter."""

from . import cnn, common, ex1, multilayer_supervised, pca, rica, stl

__all__ = ["cnn", "common", "ex1", "multilayer_supervised", "pca", "rica", "stl"]
