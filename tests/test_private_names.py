"""No private name is imported from another module (issue 21): what two modules share is a
public helper or a ``_common`` module of their package. Checked on the modules of the data
package, the classic exercises, DeepLearnToolbox, minfunc and plot."""

import ast
from pathlib import Path

import pytest

import ufldl_py

ROOT = Path(ufldl_py.__file__).parent
CHECKED = sorted([*ROOT.glob("data/*.py"), *ROOT.glob("ufldl_classic/*.py"),
                  *ROOT.glob("dlt/*.py"), ROOT / "minfunc.py", ROOT / "plot.py"])


def private_imports(source: str) -> list[str]:
    """Each ``from .x import _name`` of ``source`` (a private name of another module)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            found += [f"line {node.lineno}: from {'.' * node.level}{node.module or ''} import "
                      f"{a.name}" for a in node.names if a.name.startswith("_")]
    return found


@pytest.mark.parametrize("path", CHECKED, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_private_name_crosses_a_module_line(path):
    assert private_imports(path.read_text(encoding="utf-8")) == []


def test_the_check_finds_private_imports():
    assert private_imports("from .sparseae import _stack, initializeParameters\n"
                           "from ._common import num2str as _num2str\n"
                           "def f():\n    from ..nn import _num2str\n") == [
        "line 1: from .sparseae import _stack", "line 4: from ..nn import _num2str"]
