"""Student mode, the drivers: they run the student's functions wherever the MATLAB driver
runs the student's .m files (issue 25, item 1)."""

import importlib.util
import sys

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
