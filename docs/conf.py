"""Sphinx configuration of the ufldl_py site (built offline: no inventory is fetched)."""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(DOCS.parent))

import ufldl_py  # noqa: E402

project = "ufldl_py"
author = "the ufldl_py authors"
copyright = "the ufldl_py authors, MIT licence"
version = release = ufldl_py.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "numpydoc",
    "ufldl_docs",
]

exclude_patterns = ["_build", "generated/stubs/*.rst~"]
templates_path = []
html_theme = "pydata_sphinx_theme"
html_title = "ufldl_py"
# the wide tables (fidelity, benchmarks) get the whole width
WIDE = ["generated/fidelity", "generated/benchmarks"]
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2,
                      "secondary_sidebar_items": {page: [] for page in WIDE}}
html_sidebars = {page: [] for page in WIDE}
html_static_path = []
# literal blocks (the exercises' docstrings, the help texts) are text, not Python
highlight_language = "none"

autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": False}
autodoc_typehints = "none"

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
# The sections every public function needs (issue 23): no docstring, an undocumented
# parameter, no Returns on a function that returns. The names listed in
# docs/docstring_gaps.txt are the known gaps (tests/test_docstrings.py keeps that list exact
# and shrinking); a new gap fails the -W build.
numpydoc_validation_checks = {"GL08", "PR01", "RT01"}
# Methods are not counted (a class's inherited list or argparse methods are not this project's
# API): a segment after a class name (capitalised) or __init__.
numpydoc_validation_exclude = {r"\.[A-Z]\w*\.\w+$", r"\.__init__$"} | {
    "^" + line.strip().replace(".", r"\.") + "$"
    for line in (DOCS / "docstring_gaps.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
}

