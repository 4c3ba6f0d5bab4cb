"""The original UFLDL wiki exercises (the CS294A starter code and its common/ folder), one
module per exercise, apart from stanford_dl_ex's ports (:mod:`ufldl_py.ufldl`) whose names
some of them share (display_network, computeNumericalGradient, cnnConvolve, cnnPool).

- :mod:`.sparseae`: sparseae_exercise and vectorization (sampleIMAGES, normalizeData,
  initializeParameters, sparseAutoencoderCost, computeNumericalGradient,
  checkNumericalGradient, display_network).
"""

from .sparseae import (checkNumericalGradient, computeNumericalGradient, display_network,
                       initializeParameters, normalizeData, sampleIMAGES,
                       sparseAutoencoderCost, sparseAutoencoderCost_loop)

__all__ = [
    "sampleIMAGES", "normalizeData", "initializeParameters", "sparseAutoencoderCost",
    "computeNumericalGradient", "checkNumericalGradient", "display_network",
    "sparseAutoencoderCost_loop",
]
