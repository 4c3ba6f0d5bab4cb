"""Pages made when the site is built, from the code and the files it writes.

When the configuration is read (before Sphinx looks for its source files) this writes
reStructuredText into ``docs/generated/`` (ignored by git):

- ``api/*.rst``: one page per public module, an autosummary of the names its ``__all__``
  defines (each name documented once, where it is defined; a package page lists what it
  re-exports);
- ``cli.rst``: the help of ``ufldl-py`` and of every command and exercise, from the parsers;
- ``fidelity.rst``: the crosscheck table (:func:`ufldl_py.crosscheck.registry`) and the
  ported functions it leaves out (``NOT_CHECKED``), with the fixture scripts that name each;
- ``benchmarks.rst``: ``benchmarks/results.json`` as tables (or how to make it);
- ``gallery/*.rst``: a page per exercise from ``docs/make_gallery.py``'s table and the
  outputs and figures it stored.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import json
import pkgutil
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
OUT = DOCS / "generated"


def write(path: Path, text: str) -> None:
    """Write a generated page only when it changed (so Sphinx rebuilds only what changed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def heading(title: str, char: str = "=") -> str:
    return f"{title}\n{char * len(title)}\n\n"


def indent(text: str, by: str = "   ") -> str:
    return "\n".join(by + line if line.strip() else "" for line in text.splitlines())


def table(header: list[str], rows: list[list[str]], widths: str = "") -> str:
    """A list-table (cells may hold inline markup), with relative column widths if given."""
    lines = [".. list-table::", "   :header-rows: 1"]
    lines += [f"   :widths: {widths}", "   :width: 100%", ""] if widths else [""]
    for row in [header, *rows]:
        for i, cell in enumerate(row):
            cell = str(cell).replace("\n", " ") or " "
            lines.append(f"   {'* -' if i == 0 else '  -'} {cell}")
    return "\n".join(lines) + "\n\n"


# ------------------------------------------------------------------------------------ API


def public_modules() -> list[str]:
    import ufldl_py

    names = ["ufldl_py"]
    for info in pkgutil.walk_packages(ufldl_py.__path__, "ufldl_py."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        names.append(info.name)
    return sorted(names)


def api_pages() -> None:
    pages = []
    for modname in public_modules():
        module = importlib.import_module(modname)
        if modname != "ufldl_py" and not hasattr(module, "__all__"):
            continue  # not an API (the command line's module, workers): the package and __all__s
        exported = list(getattr(module, "__all__", ()))
        own = [n for n in exported
               if getattr(getattr(module, n), "__module__", modname) == modname]
        reexported = [n for n in exported if n not in own]
        text = heading(f"``{modname}``")
        text += f".. automodule:: {modname}\n   :no-members:\n\n"
        if own:
            text += (".. currentmodule:: " + modname + "\n\n.. autosummary::\n"
                     "   :toctree: ../stubs\n\n" + "".join(f"   {n}\n" for n in own) + "\n")
        if reexported:
            text += "Re-exported here: "
            links = []
            for n in reexported:
                obj = getattr(module, n)
                where = getattr(obj, "__module__", None)
                if where and (inspect.isfunction(obj) or inspect.isclass(obj)):
                    links.append(f":py:obj:`{n} <{where}.{obj.__qualname__}>`")
                else:
                    links.append(f"``{n}``")
            text += ", ".join(links) + ".\n"
        write(OUT / "api" / f"{modname}.rst", text)
        pages.append(modname)
    index = heading("API reference")
    index += ("The package and every module that declares ``__all__``; each name is "
              "documented in the module that defines it, and a package's page links the names "
              "it re-exports "
              "(``from ufldl_py.dlt import cnnff`` is :func:`ufldl_py.dlt.cnn.cnnff`).\n\n")
    index += ".. toctree::\n   :maxdepth: 1\n\n" + "".join(f"   {p}\n" for p in pages)
    write(OUT / "api" / "index.rst", index)


# ------------------------------------------------------------------------------------ CLI


def helptext(argv: list[str]) -> str:
    """What ``ufldl-py ARGV`` prints (its help: the parser's own text)."""
    from ufldl_py import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            cli.main(argv)
        except SystemExit:
            pass
    return out.getvalue().rstrip()


def cli_page() -> None:
    from ufldl_py import registry

    text = heading("The command line")
    text += ("Generated when the site is built, from the parsers themselves "
             "(``ufldl-py ... --help``).\n\n")
    for title, argv in [("ufldl-py", ["--help"]), ("ufldl-py run", ["run", "--help"]),
                        ("ufldl-py crosscheck", ["crosscheck", "--help"]),
                        ("ufldl-py exercise", ["exercise", "--help"]),
                        ("ufldl-py exercise start", ["exercise", "start", "--help"]),
                        ("ufldl-py exercise check", ["exercise", "check", "--help"]),
                        ("ufldl-py data", ["data", "--help"]),
                        ("ufldl-py data fetch", ["data", "fetch", "--help"])]:
        text += heading(f"``{title}``", "-") + "::\n\n" + indent(helptext(argv)) + "\n\n"
    text += heading("The exercises' options", "-")
    for name in sorted(registry.exercises(), key=str.lower):
        text += (heading(f"``ufldl-py run {name}``", "~") + "::\n\n"
                 + indent(helptext(["run", name, "--help"])) + "\n\n")
    write(OUT / "cli.rst", text)


# ------------------------------------------------------------------------------- fidelity


def fixture_scripts(name: str) -> list[str]:
    """The fixture scripts (tests/fixtures/make_*.py) whose text names ``name``."""
    found = []
    for script in sorted((ROOT / "tests" / "fixtures").glob("make_*.py")):
        text = script.read_text()
        if f"{name}(" in text or f"'{name}'" in text or f'"{name}"' in text:
            found.append(f"``{script.name}``")
    return found


def fidelity_page() -> None:
    from ufldl_py.crosscheck import WHERE, registry
    from ufldl_py.crosscheck.checks import NOT_CHECKED

    text = heading("Fidelity: which port equals which original")
    text += (
        "Generated from the crosscheck table (:mod:`ufldl_py.crosscheck.checks`) when the site "
        "is built. A row holds when ``max|py - m| <= rtol * max|m| + atol`` over every output "
        "(:func:`ufldl_py.testing.compare`), on the random valid inputs of "
        ":data:`ufldl_py.testing.PROBLEMS` or on your own (``ufldl-py crosscheck NAME "
        "--matlab-path DIR [--inputs FILE.mat]``). *Fixtures* names the scripts under "
        "``tests/fixtures/`` that run the original in Octave to make the golden .mat files the "
        "tests compare with (their tolerances are in the tests and "
        "``tests/fixtures/README.md``).\n\n")
    short = {"builtin": "Octave's builtin", "ufldl": "stanford_dl_ex", "dlt": "DeepLearnToolbox",
             "classic": "the original UFLDL exercises"}
    rows = []
    for name, check in registry().items():
        py = check.python
        target = getattr(py, "func", py)
        path = f"{target.__module__}.{target.__qualname__}"
        port = (f":py:obj:`{path}`" if target.__name__.isidentifier()
                and not target.__name__.startswith("_") else "a wrapper in the table")
        if check.variants:
            port += " (also tried: " + "; ".join(d for d, _ in check.variants) + ")"
        tol = f"{check.rtol:g}" + (f" + {check.atol:g}" if check.atol else "")
        rows.append([f"``{name}``: ``{check.mfile}`` ({short[check.where]})", port,
                     ", ".join(f"``{o}``" for o in check.output_names()), tol,
                     ", ".join(fixture_scripts(name))])
    text += ("In parentheses, where the original comes from: "
             + "; ".join(f"{short[k]}: {v}" for k, v in WHERE.items()) + ".\n\n")
    text += table(["name: original", "port", "outputs", "rtol", "fixtures"], rows,
                  widths="30 30 20 8 12")
    text += heading("Ported functions without a crosscheck row", "-")
    text += table(["name", "why"], [[f"``{k}``", v] for k, v in sorted(NOT_CHECKED.items())])
    write(OUT / "fidelity.rst", text)


# ----------------------------------------------------------------------------- benchmarks


# the hand-made measurements of November 2026, kept as a record below the generated tables
HISTORY = "\n.. include:: /reference/benchmarks-2026-11.inc\n"


def benchmarks_page() -> None:
    results = ROOT / "benchmarks" / "results.json"
    text = heading("Benchmarks")
    text += ("Generated when the site is built from ``benchmarks/results.json``, which "
             "``python3 benchmarks/run_all.py`` writes (the ports against their loop forms, "
             "PyTorch on the CPU in float64 after checking both compute the same gradients, "
             "and the originals in Octave when given a local copy). No number on this page is "
             "typed by hand.\n\n")
    if not results.exists():
        text += (".. note::\n\n   ``benchmarks/results.json`` is absent. Make it with "
                 "``python3 benchmarks/run_all.py`` (PyTorch for the comparisons: "
                 "``python3 -m pip install -e '.[bench]'``), then build the site again.\n")
        write(OUT / "benchmarks.rst", text + HISTORY)
        return
    data = json.loads(results.read_text())
    text += f"Measured on {esc(data.get('date', 'an unrecorded date'))}.\n\n"
    for key, values in data.items():  # machine, versions and whatever else run_all records
        if key in ("date", "rows") or not isinstance(values, dict) or not values:
            continue
        text += heading(key.capitalize(), "-")
        text += table(["name", "value"], [[f"``{k}``", fmt(v)] for k, v in values.items()])
    rows = data.get("rows") or []
    by_bench: dict[str, list[dict]] = {}
    for row in rows:
        by_bench.setdefault(str(row.get("benchmark", "")), []).append(row)
    for bench, group in by_bench.items():
        keys: list[str] = []
        for row in group:
            keys += [k for k in row if k != "benchmark" and k not in keys]
        text += heading(f"``{bench}``", "-")
        text += table([esc(k) for k in keys], [[fmt(row.get(k, "")) for k in keys]
                                               for row in group])
    write(OUT / "benchmarks.rst", text + HISTORY)


def fmt(value) -> str:
    """A measured value as table text: floats to 4 significant digits, the rest as written."""
    if isinstance(value, float):
        return f"{value:.4g}"
    return esc(value)


def esc(value) -> str:
    """Text with reStructuredText's inline markup characters escaped."""
    return "".join("\\" + c if c in "\\*`_|[]<>:" else c for c in str(value))


# -------------------------------------------------------------------------------- gallery


def gallery_pages() -> None:
    sys.path.insert(0, str(DOCS))
    from make_gallery import EXERCISES

    from ufldl_py import registry

    chapters: dict[str, list[str]] = {}
    for chapter, name, args, full in EXERCISES:
        chapters.setdefault(chapter, []).append(name)
        doc = inspect.cleandoc(registry.load(name).__doc__ or "")
        summary, _, rest = doc.partition("\n\n")
        text = heading(f"``{name}``") + summary.replace("\n", " ") + "\n\n"
        if rest:
            text += "::\n\n" + indent(rest) + "\n\n"
        short = " ".join(args)
        text += heading("Run it", "-")
        text += f"The full run::\n\n   ufldl-py run {name}\n\n"
        if full:
            seeded = " with ``--seed 0``" if "--seed" in args else ""
            text += f"The full run on the shipped data{seeded}: {full}\n\n"
        if args:
            text += (f"The output and figures below come from a **short run** "
                     f"(``docs/make_gallery.py`` remakes them)::\n\n"
                     f"   ufldl-py run {name} {short}\n\n")
        else:
            text += ("The output and figures below come from the full run "
                     "(``docs/make_gallery.py`` remakes them).\n\n")
        output = DOCS / "gallery" / "output" / f"{name}.txt"
        text += heading("What it prints", "-")
        if output.exists():
            text += f".. literalinclude:: /gallery/output/{name}.txt\n   :language: none\n\n"
        else:
            text += "Not yet made: run ``python3 docs/make_gallery.py " + name + "``.\n\n"
        figures = sorted((DOCS / "gallery" / "figures" / name).glob("*.png"))
        text += heading("Figures", "-")
        if not figures:
            text += "This exercise draws no figure.\n\n" if output.exists() else "Not yet made.\n\n"
        for png in figures:
            text += (f".. figure:: /gallery/figures/{name}/{png.name}\n   :alt: {png.stem}\n\n"
                     f"   ``{png.name}``\n\n")
        write(OUT / "gallery" / f"{name}.rst", text)
    index = heading("The exercises")
    index += ("Every exercise runs as ``ufldl-py run NAME`` (options: ``ufldl-py run NAME "
              "--help``, or :doc:`/generated/cli`). It prints what the MATLAB script prints and "
              "saves the figures it draws as PNG files in ``$UFLDL_PY_FIGURES`` (default "
              "``./figures``). The pages show a short run of each, made by "
              "``python3 docs/make_gallery.py``; the full runs' results on the shipped data are "
              "quoted on each page.\n\n")
    for chapter, names in chapters.items():
        index += heading(chapter, "-")
        index += ".. toctree::\n   :maxdepth: 1\n\n" + "".join(f"   {n}\n" for n in names) + "\n"
    write(OUT / "gallery" / "index.rst", index)


def generate(app, config) -> None:
    api_pages()
    cli_page()
    fidelity_page()
    benchmarks_page()
    gallery_pages()


def setup(app):
    app.connect("config-inited", generate)  # before Sphinx looks for the source files
    return {"parallel_read_safe": True, "parallel_write_safe": True}
