"""The rooms of the package (issue 21): no library module imports the command line, no import
cycle among the library's modules at import time, no module over 1,000 lines (no chapter
module of student mode over 600), and no private name imported from another module: what two
modules share is a public helper or a ``_common`` module of their package."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "ufldl_py"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, top_level_only: bool):
    """(module, names) of each ``import``/``from ... import`` of a file, resolved."""
    tree = ast.parse(path.read_text())
    here = _module_name(path).split(".")
    if path.name != "__init__.py":
        here = here[:-1]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            base = here[:len(here) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names = [a.name for a in node.names]
            yield module, names
            for name in names:  # `from . import cli` imports a module
                yield f"{module}.{name}", []
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def _modules():
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def test_no_library_module_imports_the_cli():
    for name, path in _modules().items():
        if name in ("ufldl_py.cli", "ufldl_py.__main__"):
            continue
        imported = {m for m, _ in _imports(path, top_level_only=False)}
        assert "ufldl_py.cli" not in imported, name


def test_no_import_cycle_at_import_time():
    modules = _modules()
    graph = {name: {m for m, _ in _imports(path, top_level_only=True) if m in modules and m != name}
             for name, path in modules.items()}
    # a package imports its own modules from __init__ by design; a cycle through modules is not
    state: dict[str, int] = {}

    def visit(node, stack):
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1 and not node.startswith(nxt + "."):
                cycle = stack[stack.index(nxt):] + [nxt] if nxt in stack else [node, nxt]
                raise AssertionError(" -> ".join(cycle))
            if nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_student_chapters_one_small_module_each():
    folder = PACKAGE / "student" / "chapters"
    sizes = {p.name: len(p.read_text().splitlines()) for p in folder.glob("*.py")}
    assert len(sizes) >= 14  # 13 chapters, their shared _common and the package
    assert max(sizes.values()) <= 600, sizes


def test_no_module_over_a_thousand_lines():
    sizes = {name: len(path.read_text().splitlines()) for name, path in _modules().items()}
    assert {name: n for name, n in sizes.items() if n > 1000} == {}


def _private_imports(name: str, path: Path) -> list[str]:
    """The private names ``path`` imports from another module of the package, except from a
    ``_common`` module."""
    found = []
    for module, names in _imports(path, top_level_only=False):
        if module.startswith("ufldl_py") and module != name \
                and module.rsplit(".", 1)[-1] != "_common":
            found += [f"{name} imports {n} from {module}" for n in names
                      if n.startswith("_") and not n.startswith("__")]
    return found


def test_no_private_name_crosses_a_module_line():
    assert [line for name, path in sorted(_modules().items())
            for line in _private_imports(name, path)] == []


def test_the_private_name_check_finds_them(tmp_path, monkeypatch):
    fake = PACKAGE / "dlt" / "dbn.py"
    source = ("from .nn import _num2str, nnsetup\nfrom ._common import _shared\n"
              "def f():\n    from ..kernels.convolution import _banded_adjoint\n")
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: source)
    assert _private_imports("ufldl_py.dlt.dbn", fake) == [
        "ufldl_py.dlt.dbn imports _num2str from ufldl_py.dlt.nn",
        "ufldl_py.dlt.dbn imports _banded_adjoint from ufldl_py.kernels.convolution"]
