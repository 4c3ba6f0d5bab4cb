"""Public testing helpers of ufldl_py (as numpy.testing is): the fuzzer of the file readers
(:mod:`ufldl_py.testing.fuzz`)."""
