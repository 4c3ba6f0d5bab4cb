"""ufldl_py.testing: the public compare and the one table of random valid problems."""

import copy

import numpy as np
import pytest

from ufldl_py import crosscheck, testing


def test_crosscheck_reexports_the_public_compare():
    assert crosscheck.compare is testing.compare and crosscheck.Row is testing.Row
    (row,) = testing.compare(np.arange(3.0), np.arange(3.0).reshape(1, 3), "v")
    assert row.ok and row.shape == "1x3"


def test_every_crosscheck_draws_from_the_table():
    checks = crosscheck.registry()
    assert set(checks) <= set(testing.PROBLEMS)
    for name, check in checks.items():
        assert check.inputs is testing.PROBLEMS[name], name


@pytest.mark.parametrize("name", sorted(testing.PROBLEMS))
def test_each_problem_is_valid_for_its_port(name):
    """Each problem has the port's arguments (crosscheck's argnames) and the port runs on
    it; a seed gives the same problem."""
    check = crosscheck.get(name)
    args = testing.problem(name, 3)
    assert isinstance(args, tuple) and len(args) == len(check.argnames)
    check.python(*copy.deepcopy(args))
    again = testing.problem(name, np.random.default_rng(3))
    assert all(r.ok for r in testing.compare(list(again), list(args), name, 0.0))


def test_an_unknown_problem_is_a_key_error():
    with pytest.raises(KeyError, match="no problem for 'cnnCostt'"):
        testing.problem("cnnCostt")
