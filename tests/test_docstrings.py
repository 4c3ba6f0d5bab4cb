"""Docstring coverage: numpydoc sections on the public functions and classes.

Every name in a public module's ``__all__`` that is a function or a class counts once (by
the module that defines it). A name is covered when numpydoc's validation finds none of
these: no docstring (GL08), a parameter not documented (PR01), no Returns section on a
function that returns a value (RT01). The names still uncovered are listed in
docs/docstring_gaps.txt, which the Sphinx build also reads (``numpydoc_validation_checks``
and ``numpydoc_validation_exclude`` in docs/conf.py: any other name missing a section fails
the -W build). The list must be exact, so it only shrinks: a new gap fails, and so does a
listed name that has been documented (``python3 tests/test_docstrings.py --write`` rewrites
the list).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

import pytest

numpydoc_validate = pytest.importorskip("numpydoc.validate")

import ufldl_py  # noqa: E402

CHECKS = ("GL08", "PR01", "RT01")
GAPS = Path(__file__).resolve().parents[1] / "docs" / "docstring_gaps.txt"
# issue 23's floor; measured 96.5% (361 of 374 names) after main's merge of wt-e and wt-f
FLOOR = 0.95


def public_names() -> dict[str, object]:
    """Every function or class named in a public module's ``__all__``, by its defining path."""
    names: dict[str, object] = {}
    for info in pkgutil.walk_packages(ufldl_py.__path__, "ufldl_py."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            path = f"{obj.__module__}.{obj.__qualname__}"
            names.setdefault(path, obj)
    return names


def missing(path: str) -> list[str]:
    """The codes of CHECKS that numpydoc's validation reports for one public name."""
    result = numpydoc_validate.validate(path)
    return sorted({code for code, _ in result["errors"] if code in CHECKS})


def coverage() -> tuple[float, dict[str, list[str]]]:
    """The covered fraction of the public names, and what each uncovered one misses."""
    names = public_names()
    gaps = {path: codes for path in sorted(names) if (codes := missing(path))}
    return 1 - len(gaps) / len(names), gaps


def test_public_names_are_found():
    names = public_names()
    assert "ufldl_py.dlt.nn.nnff" in names
    assert "ufldl_py.ufldl.cnn.cnnCost" in names
    assert len(names) > 200


def undocumented(x):
    return x


def no_returns(x):
    """A function whose docstring has Parameters but no Returns.

    Parameters
    ----------
    x : int
        Anything.
    """
    return x


def test_the_check_catches_missing_sections():
    assert missing(f"{__name__}.undocumented") == ["GL08"]
    assert missing(f"{__name__}.no_returns") == ["RT01"]
    assert missing("ufldl_py.testing.compare.compare") == []


def known_gaps() -> set[str]:
    return {line.strip() for line in GAPS.read_text().splitlines()
            if line.strip() and not line.startswith("#")}


def test_the_known_gaps_are_exact():
    _, gaps = coverage()
    new = sorted(set(gaps) - known_gaps())
    fixed = sorted(known_gaps() - set(gaps))
    assert not new, f"public names without numpydoc sections: {new}"
    assert not fixed, f"documented now, remove from {GAPS.name}: {fixed}"


def test_numpydoc_coverage_above_the_floor():
    fraction, gaps = coverage()
    listing = "\n".join(f"  {path}: {' '.join(codes)}" for path, codes in gaps.items())
    assert fraction >= FLOOR, (f"numpydoc coverage {fraction:.1%} < {FLOOR:.0%}; "
                               f"{len(gaps)} names miss sections:\n{listing}")


def write_gaps() -> None:
    """Rewrite docs/docstring_gaps.txt with the names uncovered today."""
    _, gaps = coverage()
    head = [line for line in GAPS.read_text().splitlines() if line.startswith("#")]
    GAPS.write_text("\n".join(head + sorted(gaps)) + "\n")


if __name__ == "__main__":
    # python3 tests/test_docstrings.py [--write]: list the gaps (and rewrite the list)
    if "--write" in sys.argv[1:]:
        write_gaps()
    fraction, gaps = coverage()
    for path, codes in gaps.items():
        print(path, *codes)
    print(f"{fraction:.1%} of {len(public_names())}")
