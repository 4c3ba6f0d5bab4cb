"""MATLAB semantics: the one place that knows MATLAB's quirks."""
