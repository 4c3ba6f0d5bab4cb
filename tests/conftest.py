"""Shared test set-up.

Markers (declared in setup.cfg):
- ``octave``: the test runs code in Octave; skipped cleanly when no octave-cli is on PATH.

Environment variables for tests against a local copy of the originals (skipped when unset;
the originals are never part of this repository):
- ``UFLDL_PY_DLT``: a DeepLearnToolbox checkout.
- ``UFLDL_PY_STANFORD_DL_EX``: a completed copy of stanford_dl_ex (YOUR CODE HERE filled in).
- ``UFLDL_PY_MINFUNC``: minFunc_2012/minFunc (the folder that holds minFunc.m).
- ``UFLDL_PY_CLASSIC``: a completed copy of the original UFLDL exercises (sparseae_exercise/,
  common/, ... with YOUR CODE HERE filled in as tests/fixtures/README.md lists).
"""

import os
from pathlib import Path

import pytest

from ufldl_py.matlab import octave

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_collection_modifyitems(config, items):
    if octave.available():
        return
    skip = pytest.mark.skip(reason="octave-cli is not on PATH")
    for item in items:
        if "octave" in item.keywords:
            item.add_marker(skip)


def original_path(var: str) -> Path:
    """The directory named by environment variable ``var``, or skip the test."""
    value = os.environ.get(var)
    if not value:
        pytest.skip(f"{var} is not set (a local copy of the MATLAB originals)")
    path = Path(value).expanduser()
    if not path.is_dir():
        pytest.fail(f"{var}={value} is not a directory")
    return path


@pytest.fixture
def figures_dir(tmp_path, monkeypatch):
    """Send figures saved by ufldl_py.plot.savefig into a temporary directory."""
    out = tmp_path / "figures"
    monkeypatch.setenv("UFLDL_PY_FIGURES", str(out))
    return out
