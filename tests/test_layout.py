"""The rooms of the package: no library module imports the command line, no import cycle
among the library's modules at import time, no chapter module of student mode over 600
lines, no private name imported from another module of student, crosscheck or testing."""

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


def test_no_private_name_crosses_modules_in_student_crosscheck_testing():
    modules = _modules()
    for name, path in modules.items():
        if not name.startswith(("ufldl_py.student", "ufldl_py.crosscheck", "ufldl_py.testing",
                                "ufldl_py.cli", "ufldl_py.registry", "ufldl_py.exercise")):
            continue
        for module, names in _imports(path, top_level_only=False):
            if module.startswith("ufldl_py"):
                private = [n for n in names if n.startswith("_") and n != "__version__"]
                assert not private, f"{name} imports {private} from {module}"
