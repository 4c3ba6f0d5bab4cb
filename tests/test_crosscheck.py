"""The crosscheck machinery: comparison rules, the registry and the command."""

import numpy as np
import pytest

from ufldl_py import cli, crosscheck
from ufldl_py.crosscheck import Check, compare
from ufldl_py.matlab.io import Cell


def test_compare_vectors_scalars_and_tolerance():
    (row,) = compare(np.arange(3.0), np.arange(3.0).reshape(3, 1), "v")
    assert row.ok and row.max_abs == 0 and row.shape == "3x1"
    (row,) = compare(np.array([1.0, 2.0 + 1e-9]), np.array([[1.0, 2.0]]), "v")
    assert not row.ok and row.max_abs == pytest.approx(1e-9) and row.max_rel == pytest.approx(5e-10)
    (row,) = compare(2.0, 2.0, "s")
    assert row.ok
    (row,) = compare(np.ones((2, 3)), np.ones((3, 2)), "m")
    assert not row.ok and "Python shape 2x3" in row.note
    (row,) = compare(np.array([np.nan, 1.0]), np.array([[np.nan], [1.0]]), "n")
    assert row.ok
    (row,) = compare(np.array([np.inf, 1.0]), np.array([[np.nan], [1.0]]), "n")
    assert not row.ok


def test_compare_structs_and_cells_field_by_field():
    ml = {"a": np.ones((2, 2)), "layers": Cell([{"k": Cell([np.zeros((1, 2))])}])}
    py = {"a": np.ones((2, 2)), "layers": [{"k": [np.array([0.0, 1e-3])]}], "extra": 1}
    rows = {r.output: r for r in compare(py, ml, "net")}
    assert set(rows) == {"net.a", "net.layers{1}.k{1}"}
    assert rows["net.a"].ok and not rows["net.layers{1}.k{1}"].ok
    rows = compare({"b": 1.0}, {"a": 1.0}, "net")
    assert not rows[0].ok and rows[0].note == "missing in Python"


def test_a_cell_of_scalars_is_one_vector_field():
    """DeepLearnToolbox's b{j}, db{j}: judged against the largest of them, like a vector."""
    (row,) = compare([1.0, 1e-6 + 1e-17], Cell([1.0, 1e-6]), "db")
    assert row.ok and row.shape == "1x2"
    (row,) = compare([1.0, 2.0 + 1e-9], Cell([1.0, 2.0]), "db")
    assert not row.ok


def test_checks_need_a_known_origin():
    with pytest.raises(ValueError, match="where must be one of"):
        Check("f", abs, lambda rng: (1.0,), ("x",), where="elsewhere")


def test_matlab_code_forms():
    c = Check("onehot", abs, lambda rng: (), ("labels",), matlab="full(sparse(labels, 1, 1))")
    assert c.matlab_code() == ("[out1] = full(sparse(labels, 1, 1));", ["out1"])
    c = Check("size", abs, lambda rng: (), ("A",), nargout=2)
    assert c.matlab_code() == ("[out1, out2] = size(A);", ["out1", "out2"])


def test_user_path_is_required_for_originals():
    check = Check("cnnPool", abs, lambda rng: (1.0,), ("x",), where="ufldl", subdirs=("cnn",))
    with pytest.raises(ValueError, match="needs --matlab-path"):
        crosscheck.run_check(check)


@pytest.mark.octave
def test_run_check_against_builtin_and_user_code(tmp_path, monkeypatch):
    good = Check("cumsum", lambda A: np.cumsum(A, axis=0), lambda rng: (rng.random((4, 3)),),
                 ("A",))
    assert all(r.ok for r in crosscheck.run_check(good, rng=np.random.default_rng(1)))
    wrong = Check("cumsum", lambda A: np.cumsum(A, axis=1), lambda rng: (rng.random((4, 3)),),
                  ("A",))
    assert not any(r.ok for r in crosscheck.run_check(wrong, rng=np.random.default_rng(1)))

    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "scaled_sum.m").write_text(
        "function [s, t] = scaled_sum(x, k)\n  s = k * sum(x(:));\n  t = x';\nend\n")
    user = Check("scaled_sum", lambda x, k: (k * np.sum(x), np.asarray(x).T),
                 lambda rng: (rng.random((3, 2)), 2.0), ("x", "k"), nargout=2, where="ufldl",
                 subdirs=("lib",))
    rows = crosscheck.run_check(user, rng=np.random.default_rng(2), matlab_path=tmp_path)
    assert [r.output for r in rows] == ["out1", "out2"] and all(r.ok for r in rows)

    # the command prints the table and exits 0 / 1 by the verdict
    monkeypatch.setitem(crosscheck._REGISTRY, "scaled_sum", user)
    monkeypatch.setitem(crosscheck._REGISTRY, "wrong_cumsum", wrong)
    assert cli.main(["crosscheck", "scaled_sum", "--matlab-path", str(tmp_path)]) == 0
    assert cli.main(["crosscheck", "wrong_cumsum", "--trials", "1"]) == 1
    assert cli.main(["crosscheck", "scaled_sum"]) == 2  # refused: no --matlab-path


def test_crosscheck_command_lists_and_refuses_unknown_names(capsys):
    assert cli.main(["crosscheck", "--list"]) == 0
    assert "name" in capsys.readouterr().out
    assert cli.main(["crosscheck", "no_such_function"]) == 2
    assert "no crosscheck named" in capsys.readouterr().err


def test_every_ported_function_can_be_crosschecked():
    """Every name the packages export is in the crosscheck table or says why it is not."""
    import ufldl_py.dlt
    import ufldl_py.matlab.ops
    import ufldl_py.minfunc
    import ufldl_py.ufldl
    import ufldl_py.ufldl_classic
    from ufldl_py.crosscheck.checks import NOT_CHECKED

    names = set(crosscheck.registry())
    ported = {name for module in (ufldl_py.ufldl, ufldl_py.dlt, ufldl_py.minfunc,
                                  ufldl_py.matlab.ops)
              for name in module.__all__
              if callable(getattr(module, name)) and not name.endswith("_loop")}
    assert ported - names - set(NOT_CHECKED) == set()
    classic = {n for name in ufldl_py.ufldl_classic.__all__ for n in (name, f"ufldl_classic.{name}")}
    assert set(NOT_CHECKED) <= ported | classic  # no stale reasons
    assert not names & set(NOT_CHECKED)


def test_every_classic_function_is_checked_or_explained():
    """Each name of ufldl_py.ufldl_classic's __all__ has a crosscheck row (where="classic")
    or a NOT_CHECKED reason; loop forms are held to the fast forms by the tests instead."""
    from ufldl_py import ufldl_classic
    from ufldl_py.crosscheck.checks import NOT_CHECKED

    rows = {c.python for c in crosscheck.registry().values() if c.where == "classic"}
    for name in ufldl_classic.__all__:
        fn = getattr(ufldl_classic, name)
        assert (fn in rows or name in NOT_CHECKED or f"ufldl_classic.{name}" in NOT_CHECKED
                or name.endswith("_loop")), name


def test_select_runs_builtins_and_says_why_the_rest_is_left_out(tmp_path):
    wanted, skipped = crosscheck.select(["all"], None)
    assert wanted and all(c.where == "builtin" for c in wanted)
    assert len(wanted) + len(skipped) == len(crosscheck.registry())
    assert any(line.startswith("cnnCost: needs --matlab-path") for line in skipped)
    (tmp_path / "cnn").mkdir()
    (tmp_path / "cnn" / "cnnPool.m").write_text("")
    wanted, _ = crosscheck.select(["all"], crosscheck.matlab_dir(tmp_path))
    assert "cnnPool" in {c.name for c in wanted} and "cnnCost" not in {c.name for c in wanted}
    assert [c.name for c in crosscheck.select(["CNNPOOL"], tmp_path)[0]] == ["cnnPool"]
    with pytest.raises(ValueError, match="give --matlab-path"):
        crosscheck.select(["conv2", "cnnPool"], None)
    with pytest.raises(KeyError, match="no crosscheck named 'nope'"):
        crosscheck.select(["nope"], None)
    with pytest.raises(ValueError, match="is not a directory"):
        crosscheck.matlab_dir(tmp_path / "cnn" / "cnnPool.m")
