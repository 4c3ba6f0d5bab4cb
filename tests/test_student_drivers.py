"""Student mode, the drivers: they run the student's functions wherever the MATLAB driver
runs the student's .m files (issue 25, item 1)."""

import ast
import importlib
import importlib.util
import inspect
import sys
import textwrap

import numpy as np
import pytest

from ufldl_py.student import CHAPTERS, templates
from ufldl_py.ufldl_classic import softmax as csoftmax
from ufldl_py.ufldl_classic import sparseae as csae


def _main(folder, driver):
    for ch in CHAPTERS.values():
        for fn in ch.functions:
            sys.modules.pop(fn.name, None)
    spec = importlib.util.spec_from_file_location(f"driver_{driver}_{id(folder)}",
                                                  folder / f"{driver}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


def test_sparseae_check_blames_the_students_numerical_gradient(tmp_path, monkeypatch, capsys):
    """With computeNumericalGradient dividing by EPSILON, --check stops at
    checkNumericalGradient (whose columns differ), not at the cost's gradient check."""
    templates.write_files(CHAPTERS["sparseae"], tmp_path, fill=True)
    path = tmp_path / "computeNumericalGradient.py"
    text = path.read_text()
    assert "numgrad[i] = (pos - neg) / (2 * EPSILON)" in text
    path.write_text(text.replace("(pos - neg) / (2 * EPSILON)", "(pos - neg) / EPSILON"))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("UFLDL_PY_FIGURES", str(tmp_path / "figures"))
    main = _main(tmp_path, "sparseae_exercise")
    with pytest.raises(SystemExit, match="Check computeNumericalGradient"):
        main(["--check", "--numpatches", "20", "--max-iter", "1"])
    out = capsys.readouterr().out
    assert "76.0000     38.0000" in out  # the student's numgrad, twice the gradient
    assert "3.3333e-01" in out


def test_checkNumericalGradient_runs_the_given_function(capsys):
    calls = []

    def mine(J, theta):
        calls.append(theta.copy())
        return csae.computeNumericalGradient(J, theta)

    assert csae.checkNumericalGradient(numerical_gradient=mine) < 1e-9
    assert len(calls) == 1 and np.array_equal(calls[0], [4.0, 10.0])


def test_softmaxTrain_minimises_the_given_cost():
    calls = []

    def mine(*args):
        calls.append(1)
        return csoftmax.softmaxCost(*args)

    rng = np.random.default_rng(0)
    model = csoftmax.softmaxTrain(3, 2, 1e-4, rng.random((3, 10)),
                                  rng.integers(1, 3, 10).astype(float),
                                  {"maxIter": 2, "Display": "off"}, cost=mine)
    assert calls and model["optTheta"].shape == (2, 3)


def test_softmax_driver_trains_with_the_students_cost():
    script = templates.driver_script(CHAPTERS["softmax"], "softmax_exercise")
    assert "from softmaxCost import softmaxCost  # yours" in script
    assert "cost=softmaxCost)" in script


def _ports_calling_the_students(chapter, script):
    """(port name, the chapter's functions its source calls) for each port function the
    driver imports whose body calls one of the functions the student writes."""
    mine = {f.name for f in chapter.functions}
    out = []
    for node in ast.parse(script).body:
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ufldl_py"):
            module = importlib.import_module(node.module)
            for a in node.names:
                obj = getattr(module, a.name, None)
                if not callable(obj) or inspect.isclass(obj):
                    continue
                try:
                    src = textwrap.dedent(inspect.getsource(obj))
                except (OSError, TypeError):
                    continue
                used = {n.id for n in ast.walk(ast.parse(src)) if isinstance(n, ast.Name)}
                calls = (used & mine) - {a.name}
                if calls:
                    out.append((a.asname or a.name, calls))
    return out


@pytest.mark.parametrize("chapter,driver", [(c.name, d) for c in CHAPTERS.values()
                                            for d in c.drivers])
def test_drivers_hand_the_students_functions_to_the_ports_that_call_them(chapter, driver):
    """Where a port the driver calls (softmaxTrain, checkNumericalGradient) calls a function
    the student writes, as the MATLAB helper calls the student's .m file, the driver passes
    the student's function to it."""
    ch = CHAPTERS[chapter]
    script = templates.driver_script(ch, driver)
    tree = ast.parse(script)
    for port, calls in _ports_calling_the_students(ch, script):
        sites = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
                 and isinstance(n.func, ast.Name) and n.func.id == port]
        for site in sites:
            passed = {a.id for a in [*site.args, *(k.value for k in site.keywords)]
                      if isinstance(a, ast.Name)}
            assert calls <= passed, (driver, port, calls, ast.unparse(site))
