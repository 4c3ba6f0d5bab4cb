"""Write an exercise's templates: the function files with their gaps, the drivers, and the
drivers as notebooks.

A function's template is its readable form (``Function.source``) with

- each ``# --- YOUR CODE HERE: <id> ---`` ... ``# --- END ---`` region replaced by the gap's
  instructions as comments and ``raise NotImplementedError("YOUR CODE HERE: <id> ...")``
  (``fill=True`` keeps the region's code instead: the completed template);
- each run of ``# template: <code>`` comment lines and the line after it replaced by the
  ``<code>`` lines (an empty ``<code>`` drops the line), in the gaps too: where the port
  checks its input with a private helper, the template does it with numpy;
- the function renamed to the MATLAB name (``cnnConvolve_loop`` -> ``cnnConvolve``, in calls
  too) and its docstring replaced by ``Function.doc``.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import textwrap
from pathlib import Path

from .. import registry
from ..atomic import atomic_write
from .chapters import Chapter, Function

__all__ = ["function_template", "driver_script", "notebook", "files", "write_files",
           "exercise_folder",
           "GAP_START", "GAP_END"]

GAP_START = re.compile(r"^(\s*)# --- YOUR CODE HERE: (\S+) ---\s*$")
GAP_END = re.compile(r"^\s*# --- END ---\s*$")
TEMPLATE = re.compile(r"^\s*# template:(.*)$")
RUN_HINT = "Fill in this gap, then delete the raise line."


def _comment(text: str, indent: str, width: int = 92) -> list[str]:
    return [f"{indent}# {line}" for line in
            textwrap.wrap(text, width - len(indent) - 2, break_on_hyphens=False)]


def gap_ids(source: str) -> list[str]:
    """The ids of the gaps marked in a source text, in order."""
    return [m.group(2) for m in map(GAP_START.match, source.splitlines()) if m]


def _directive_run(lines: list[str], i: int) -> int:
    """The index of the line that the ``# template:`` lines starting at i replace."""
    k = i
    while k < len(lines) and TEMPLATE.match(lines[k]):
        k += 1
    return k


def _directives(lines: list[str]) -> list[str]:
    """lines with each run of ``# template: <code>`` lines and the line after it replaced by
    the run's ``<code>`` lines (empty ones dropped), indented as that line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not TEMPLATE.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        k = _directive_run(lines, i)
        nxt = lines[k] if k < len(lines) else ""
        indent = nxt[:len(nxt) - len(nxt.lstrip())]
        out += [indent + TEMPLATE.match(line).group(1).strip() for line in lines[i:k]
                if TEMPLATE.match(line).group(1).strip()]
        i = k + 1
    return out


def _function_source(chapter: Chapter, fn: Function, fill: bool) -> str:
    src = textwrap.dedent(inspect.getsource(fn.source))
    tree = ast.parse(src)
    node = tree.body[0]
    lines = src.splitlines()
    # the signature's continuation lines follow the new name's length
    first_body = node.body[0].lineno - 1
    shift = len(fn.name) - len(fn.source.__name__)
    for k in range(node.lineno, first_body):
        if shift > 0:
            lines[k] = " " * shift + lines[k]
        elif shift < 0 and lines[k][:-shift].strip() == "":
            lines[k] = lines[k][-shift:]
    # the docstring, replaced by the template's
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
            and isinstance(first.value.value, str):
        indent = " " * first.col_offset
        doc = [f'{indent}"""{fn.doc.strip()}', "", f"{indent}Written by `ufldl-py exercise start "
               f"{chapter.name}` from {chapter.origin}/{fn.matlab or fn.name + '.m'}'s "
               "template.",
               f'{indent}"""']
        lines[first.lineno - 1:first.end_lineno] = doc
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        start = GAP_START.match(line)
        directive = TEMPLATE.match(line)
        if start:
            indent, gid = start.group(1), start.group(2)
            if gid not in fn.gaps:
                raise ValueError(f"{fn.source.__qualname__}: gap {gid!r} has no instructions "
                                 f"in the chapter table")
            j = i + 1
            while j < len(lines) and not GAP_END.match(lines[j]):
                if GAP_START.match(lines[j]):
                    raise ValueError(f"{fn.source.__qualname__}: gap {gid!r} not closed")
                j += 1
            if j == len(lines):
                raise ValueError(f"{fn.source.__qualname__}: gap {gid!r} has no END")
            out.append(f"{indent}# YOUR CODE HERE ({gid})")
            out += _comment(fn.gaps[gid], indent)
            if fill:
                out += _directives(lines[i + 1:j])
            else:
                out.append(f"{indent}# {RUN_HINT}")
                out.append(f'{indent}raise NotImplementedError("YOUR CODE HERE: {gid}")')
            i = j + 1
            continue
        if directive:
            k = _directive_run(lines, i)
            out += _directives(lines[i:k + 1])
            i = k + 1
            continue
        out.append(line)
        i += 1
    text = "\n".join(out) + "\n"
    text = re.sub(rf"\bdef {re.escape(fn.source.__name__)}\(", f"def {fn.name}(", text, count=1)
    for other in chapter.functions:
        if other.source.__name__ != other.name:
            text = re.sub(rf"\b{re.escape(other.source.__name__)}\b", other.name, text)
    return text


def function_template(chapter: Chapter, fn: Function, fill: bool = False) -> str:
    """The student's file ``fn.name``.py: the template (gaps open), or with ``fill`` the
    template completed with the marked code."""
    where = f"{fn.matlab} ({fn.name})" if fn.matlab else f"{fn.name}.m"
    header = (f'"""{chapter.origin}/{where} as a Python exercise: fill in the YOUR CODE '
              f'HERE gaps.\n\nThe instructions paraphrase the MATLAB template\'s. Check your '
              f'work with\n\n    ufldl-py exercise check {chapter.name}\n"""\n\n'
              "import numpy as np\n")
    if fn.imports:
        header += "\n" + fn.imports.strip() + "\n"
    text = header + "\n\n" + _function_source(chapter, fn, fill)
    compile(text, f"{fn.name}.py", "exec")  # a template that does not compile is a bug here
    return text


def _exercise_source(name: str) -> str:
    """exercises/NAME.py's text, from the registry ``ufldl-py run`` reads."""
    try:
        return registry.source(name)
    except KeyError:
        raise ValueError(f"the driver {name} is not among the exercises") from None


def driver_script(chapter: Chapter, name: str) -> str:
    """exercises/NAME.py with the student's functions imported from the files beside it."""
    src = _exercise_source(name)
    mine = {f.name for f in chapter.functions}
    modules = {f.reference.__module__ for f in chapter.functions} | \
        {f.source.__module__ for f in chapter.functions}
    lines = src.splitlines()
    edits = []
    # ``from package import module`` of a port module: its calls of the student's functions,
    # ``module.name(``, become calls of the student's ``name``, imported beside it
    aliases = {}
    for node in ast.parse(src).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                if f"{node.module}.{a.name}" in modules:
                    aliases[a.asname or a.name] = node
    used = {}
    for alias, node in aliases.items():
        names = sorted({m.group(1) for m in re.finditer(rf"\b{re.escape(alias)}\.(\w+)\b",
                                                        src)} & mine)
        used[alias] = names
        if names:
            edits.append((node.end_lineno + 1, node.end_lineno, [
                f"from {n} import {n}  # yours, from {n}.py beside this script"
                for n in names]))
    for node in ast.parse(src).body:
        if isinstance(node, ast.ImportFrom) and node.module in modules:
            names = [a.name for a in node.names]
            rest = [n for n in names if n not in mine]
            repl = [f"from {node.module} import {', '.join(rest)}"] if rest else []
            repl += [f"from {n} import {n}  # yours, from {n}.py beside this script"
                     for n in names if n in mine]
            edits.append((node.lineno, node.end_lineno, repl))
    tree = ast.parse(src)
    doc_end = tree.body[0].end_lineno if ast.get_docstring(tree) else 0
    edits.append((doc_end + 1, doc_end, [
        f"# Written by `ufldl-py exercise start {chapter.name}`: exercises/{name}.py with "
        f"your functions;", f"# run it with: python3 {name}.py [--help]"]))
    body_start = max((node.end_lineno for node in tree.body
                      if isinstance(node, (ast.Import, ast.ImportFrom))), default=0)
    for alias, names in used.items():
        if names:
            call = re.compile(rf"\b{re.escape(alias)}\.({'|'.join(names)})\b")
            lines[body_start:] = [call.sub(r"\1", line) for line in lines[body_start:]]
    for start, end, repl in sorted(edits, reverse=True):
        lines[start - 1:end] = repl
    return "\n".join(lines) + "\n"


SECTION = re.compile(r"^# (STEP \d|Step \d+[a-z]?:|%%)")  # pca_gen.m's "%% Step 1a:" too


def _cell(kind: str, text: str) -> dict:
    source = text.strip("\n").splitlines(keepends=True)
    cell = {"cell_type": kind, "metadata": {}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def notebook(script: str, title: str) -> dict:
    """A driver script as an nbformat 4 notebook: a markdown title, a cell with the imports
    and helpers, then ``main``'s body with one code cell per section (``# STEP ...`` or
    ``# Step 1a: ...`` or ``# %% ...`` comments, MATLAB's ``%%`` sections), ``return X`` becoming
    ``raise SystemExit(X)`` (a final ``return 0`` dropped)."""
    tree = ast.parse(script)
    lines = script.splitlines()
    main = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "main"),
                None)
    setup: list[str] = []
    for node in tree.body:
        if node is main or (isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
                and node is tree.body[0]:
            continue  # the module docstring: the title cell shows it
        start = node.lineno - 1
        if hasattr(node, "decorator_list") and node.decorator_list:
            start = node.decorator_list[0].lineno - 1
        setup.append("\n".join(lines[start:node.end_lineno]))
    doc = ast.get_docstring(tree) or title
    cells = [_cell("markdown", f"# {title}\n\n{doc}")]
    if main is None:
        cells.append(_cell("code", "\n".join(setup)))
        return _notebook(cells)
    if ast.get_docstring(tree):
        setup.insert(0, f"__doc__ = {ast.get_docstring(tree)!r}  # the script's docstring")
    setup.append('argv = []  # the command-line arguments, e.g. ["--help"]')
    cells.append(_cell("code", "\n\n".join(setup)))
    body = main.body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    # the returns of main itself (not of functions defined inside it)
    returns = []
    stack = list(body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                             ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            returns.append(node)
        stack.extend(ast.iter_child_nodes(node))
    blines = lines[body[0].lineno - 1:body[-1].end_lineno]
    offset = body[0].lineno
    last = body[-1]
    for node in returns:
        a, b = node.lineno - offset, node.end_lineno - offset
        if node is last and (node.value is None or (isinstance(node.value, ast.Constant)
                                                     and node.value.value in (0, None))):
            blines[a:b + 1] = [""] * (b - a + 1)
            continue
        value = ast.unparse(node.value) if node.value is not None else ""
        indent = blines[a][:len(blines[a]) - len(blines[a].lstrip())]
        blines[a:b + 1] = [f"{indent}raise SystemExit({value})"] + [""] * (b - a)
    blines = textwrap.dedent("\n".join(blines)).splitlines()
    chunks: list[tuple[str, list[str]]] = [("", [])]
    for line in blines:
        if SECTION.match(line):
            chunks.append((line[2:].lstrip("% ").strip(), []))
        else:
            chunks[-1][1].append(line)
    for heading, code in chunks:
        if heading:
            cells.append(_cell("markdown", f"## {heading}"))
        text = "\n".join(code).strip("\n")
        if text.strip():
            cells.append(_cell("code", text))
    return _notebook(cells)


def _notebook(cells: list[dict]) -> dict:
    return {"cells": cells,
            "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                        "name": "python3"},
                         "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 4}


def files(chapter: Chapter, fill: bool = False) -> dict[str, str]:
    """Every file ``exercise start`` writes, by name: the function templates, the drivers,
    their notebooks and a README."""
    out = {f"{fn.name}.py": function_template(chapter, fn, fill) for fn in chapter.functions}
    for name in chapter.drivers:
        script = driver_script(chapter, name)
        out[f"{name}.py"] = script
        out[f"{name}.ipynb"] = json.dumps(notebook(script, f"{name} ({chapter.origin})"),
                                          indent=1) + "\n"
    funcs = "\n".join(f"- `{fn.name}.py`: {len(fn.gaps)} gap(s)" for fn in chapter.functions)
    drivers = "\n".join(f"- `python3 {d}.py` (or `{d}.ipynb`)" for d in chapter.drivers)
    out["README.md"] = (
        f"# {chapter.title}\n\nThe {chapter.origin} exercise in Python, written by "
        f"`ufldl-py exercise start {chapter.name}`.\n\nFill in the `YOUR CODE HERE` gaps of\n\n"
        f"{funcs}\n\n(each gap's instructions are the comments above its `raise "
        f"NotImplementedError` line, which you delete), then check your work:\n\n"
        f"    ufldl-py exercise check {chapter.name} .\n\nand run the drivers:\n\n{drivers}\n")
    return out


def write_atomic(path: Path, text: str) -> None:
    """Write text to path through a temporary file beside it, renamed into place."""
    with atomic_write(path, "w") as fh:
        fh.write(text)


def write_files(chapter: Chapter, directory: Path, force: bool = False,
                fill: bool = False, out=None) -> list[Path]:
    """Write ``files(chapter)`` into directory (created if need be).

    Parameters
    ----------
    chapter : Chapter
        The exercise.
    directory : Path
        Its folder.
    force : bool
        Replace existing files: those that differ from the new ones (the student's work) are
        first moved into ``directory/backup-YYYYmmdd-HHMMSS/``, so that nothing is lost.
    fill : bool
        Write the completed templates (the tests' solutions) instead.
    out : file, optional
        Where to say which files were backed up.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    FileExistsError
        Without ``force``, when some of the files exist (naming them), before anything is
        written.
    OSError
        When the folder or a file cannot be written.
    """
    contents = files(chapter, fill)
    targets = [directory / name for name in contents]
    existing = [p for p in targets if p.exists()]
    if existing and not force:
        raise FileExistsError(", ".join(str(p) for p in existing))
    directory.mkdir(parents=True, exist_ok=True)
    changed = [p for p in existing if p.read_bytes() != contents[p.name].encode()]
    if changed:
        import time

        backup = directory / time.strftime("backup-%Y%m%d-%H%M%S")
        k = 1
        while backup.exists():
            backup = backup.with_name(f"{backup.name.split('.')[0]}.{k}")
            k += 1
        backup.mkdir()
        for path in changed:
            os.replace(path, backup / path.name)  # a rename: the student's bytes as they are
        if out is not None:
            print(f"your {len(changed)} changed file(s) were moved into {backup}: "
                  + ", ".join(p.name for p in changed), file=out)
    for path in targets:
        write_atomic(path, contents[path.name])
    return targets


def exercise_folder(chapter: Chapter, directory: str | None = None) -> Path:
    """The student's folder of ``chapter``: ``directory`` when given, else ``./NAME`` where
    that is a folder, else the current folder where it holds one of the chapter's files
    (``check cnn`` run inside ``cnn/``).

    Parameters
    ----------
    chapter : Chapter
        The exercise.
    directory : str, optional
        The folder named on the command line.

    Returns
    -------
    Path
        The folder (``./NAME`` where none is found: the caller says it is missing).
    """
    if directory:
        return Path(directory).expanduser()
    named = Path(chapter.name)
    if named.is_dir():
        return named
    here = Path(".")
    if any((here / f"{fn.name}.py").is_file() for fn in chapter.functions):
        return here
    return named
