"""minFunc's options checked by name and value, and x0 checked, before any work."""

import numpy as np
import pytest

from ufldl_py.minfunc import minFunc

A = np.diag([1.0, 2.0, 3.0])


def quad(x):
    return 0.5 * x @ A @ x - x.sum(), A @ x - 1


def refused(options, cls, *words, x0=None):
    with pytest.raises(cls) as info:
        minFunc(quad, np.ones(3) if x0 is None else x0, options)
    text = str(info.value)
    assert "\n" not in text
    for word in words:
        assert word in text, text
    return text


@pytest.mark.parametrize("name, nearest", [
    ("MaxIters", "'MaxIter'"), ("Dispaly", "'Display'"), ("maxfunevals_", "'MaxFunEvals'"),
    ("opttolerance", "'optTol'"), ("LSinit", "'LS_init'"), ("corrs", "'Corr'"),
])
def test_an_unknown_option_names_the_nearest_known_one(name, nearest):
    refused({name: 5, "Display": "off"} if name != "Dispaly" else {name: "off"}, ValueError,
            f"unknown option {name!r}", f"did you mean {nearest}?")


@pytest.mark.parametrize("options, name", [
    ({"MaxIter": [10, 20]}, "MaxIter"),
    ({"MaxIter": np.inf}, "MaxIter"),
    ({"MaxIter": 2.5}, "MaxIter"),
    ({"MaxIter": 0}, "MaxIter"),
    ({"Corr": 0}, "Corr"),
    ({"Corrections": -3}, "Corr"),
    ({"optTol": "small"}, "optTol"),
    ({"progTol": np.nan}, "progTol"),
    ({"MaxFunEvals": {"a": 1}}, "MaxFunEvals"),
    ({"c1": 1.5}, "c1"),
    ({"LS_interp": 3}, "LS_interp"),
    ({"Fref": 0}, "Fref"),
    ({"Display": "verbose"}, "Display"),
    ({"Display": ["off"]}, "Display"),
    ({"Method": ["lbfgs"]}, "Method"),
    ({"outputFcn": "print"}, "outputFcn"),
])
def test_a_bad_option_value_names_the_option(options, name):
    refused({"Display": "off", **options}, ValueError, f"option {name} ")


def test_options_given_twice_and_options_not_a_dict():
    refused({"MaxIter": 3, "maxiter": 4}, ValueError, "'MaxIter' is given twice")
    refused({"Corr": 3, "Corrections": 4}, ValueError, "'Corr' is given twice")
    refused([("MaxIter", 3)], TypeError, "options must be a dict")


def test_not_ported_options_say_so():
    refused({"DerivativeCheck": "on"}, NotImplementedError, "DerivativeCheck is not ported")
    refused({"LS_type": 2}, NotImplementedError, "LS_type 2")
    refused({"LS_init": 4}, NotImplementedError, "LS_init 4")


def test_a_complex_x0_is_refused():
    refused({"Display": "off"}, TypeError, "x0 is complex", x0=np.array([1 + 2j, 1, 1]))
    refused({"Display": "off"}, TypeError, "x0 is complex", x0=[1.0, 2.0, 3j])
    refused({"Display": "off"}, TypeError, "x0 is complex", x0=np.ones(3, np.complex64))


def test_valid_spellings_and_values_are_accepted_as_minfunc_does(capsys):
    """Names in any case, MATLAB 1 x 1 values, Inf evaluations, useMex and other methods'
    options (ignored for L-BFGS, as minFunc ignores them), empty values as the default, and a
    numeric Display (0 is off)."""
    ref = minFunc(quad, np.ones(3), {"Display": "off"})
    for options in ({"display": 0, "MAXITER": np.array([[500.0]]), "useMex": 0},
                    {"Display": False, "MaxFunEvals": np.inf, "cgSolve": 1, "Corr": []},
                    {"Display": "OFF", "corrections": 100.0, "optTol": None, "Method": "LBFGS",
                     "LS_type": ""}):
        x, f, flag, out = minFunc(quad, np.ones(3), options)
        assert np.array_equal(x, ref[0]) and f == ref[1] and flag == ref[2]
    assert capsys.readouterr().out == ""
    minFunc(quad, np.ones(3), {"Display": 1, "MaxIter": 1})
    assert capsys.readouterr().out.splitlines()[-1] == "Reached Maximum Number of Iterations"
