"""The original UFLDL wiki exercises (the CS294A starter code and its common/ folder), one
module per exercise, apart from stanford_dl_ex's ports (:mod:`ufldl_py.ufldl`) whose names
some of them share (display_network, computeNumericalGradient, cnnConvolve, cnnPool).

- :mod:`~ufldl_py.ufldl_classic.sparseae`: sparseae_exercise and vectorization
  (sampleIMAGES, normalizeData, initializeParameters, sparseAutoencoderCost,
  computeNumericalGradient, checkNumericalGradient, display_network).
- :mod:`~ufldl_py.ufldl_classic.pca`: pca_2d and pca_exercise (load_pcaData, pca_2d,
  sampleIMAGESRAW, pca_gen).
- :mod:`~ufldl_py.ufldl_classic.softmax`: softmax_exercise (softmaxCost, softmaxTrain,
  softmaxPredict).
- :mod:`~ufldl_py.ufldl_classic.stl`: stl_exercise (feedForwardAutoencoder).
- :mod:`~ufldl_py.ufldl_classic.stackedae`: stackedae_exercise (stack2params,
  params2stack, stackedAECost, stackedAEPredict).
- :mod:`~ufldl_py.ufldl_classic.linear_decoder`: linear_decoder_exercise
  (sparseAutoencoderLinearCost, displayColorNetwork, zca_whitening).
- :mod:`~ufldl_py.ufldl_classic.cnn`: cnn_exercise (cnnConvolve with ZCAWhite and
  meanPatch, cnnPool; not stanford_dl_ex's, whose names they share: import them from the
  module).
"""

from .linear_decoder import (displayColorNetwork, sparseAutoencoderLinearCost,
                             sparseAutoencoderLinearCost_loop, zca_whitening)
from .pca import load_pcaData, pca_2d, pca_gen, sampleIMAGESRAW
from .softmax import softmaxCost, softmaxPredict, softmaxTrain
from .stackedae import params2stack, stack2params, stackedAECost, stackedAEPredict
from .stl import feedForwardAutoencoder
from .sparseae import (checkNumericalGradient, computeNumericalGradient, display_network,
                       initializeParameters, normalizeData, sampleIMAGES,
                       sparseAutoencoderCost, sparseAutoencoderCost_loop)

__all__ = [
    "sampleIMAGES", "normalizeData", "initializeParameters", "sparseAutoencoderCost",
    "computeNumericalGradient", "checkNumericalGradient", "display_network",
    "sparseAutoencoderCost_loop", "load_pcaData", "pca_2d", "sampleIMAGESRAW", "pca_gen",
    "softmaxCost", "softmaxTrain", "softmaxPredict", "feedForwardAutoencoder",
    "stack2params", "params2stack", "stackedAECost", "stackedAEPredict",
    "sparseAutoencoderLinearCost", "displayColorNetwork", "zca_whitening",
    "sparseAutoencoderLinearCost_loop",
]
