"""Public testing helpers, as :mod:`numpy.testing` is numpy's: what the project's tests, the
student grader and crosscheck use, for code that builds on the ports.

- :func:`compare` (and its :class:`Row`): a Python value against a MATLAB one (a struct field
  by field, a cell element by element, a 1-D vector against MATLAB's n x 1 or 1 x n), within
  ``rtol`` of the expected value's largest magnitude.
- :data:`PROBLEMS` and :func:`problem`: the random valid problem (argument tuple) of each
  ported function, by its MATLAB name; crosscheck's random inputs and student mode's
  held-out inputs are drawn from it. The problems student mode also draws at given sizes
  (its MATLAB drivers' checks) are generators with the sizes as keywords
  (:func:`sparse_autoencoder`, :func:`softmax_regression`, :func:`stacked_autoencoder`,
  :func:`color_convolution`, :func:`soft_ica`).
- :mod:`ufldl_py.testing.fuzz`: the seeded mutation fuzzer of loadmat and the IDX loaders
  (``python3 -m ufldl_py.testing.fuzz --minutes N``).
"""

from .compare import Row, as_array, compare, shape_str
from .problems import (PROBLEMS, color_convolution, problem, soft_ica, softmax_regression,
                       sparse_autoencoder, stacked_autoencoder)

__all__ = ["Row", "compare", "as_array", "shape_str", "PROBLEMS", "problem",
           "sparse_autoencoder", "softmax_regression", "stacked_autoencoder",
           "color_convolution", "soft_ica"]
