"""minFunc's limited-memory BFGS, as minFunc_2012 runs it (Mark Schmidt's minFunc).

A port of the code path that minFunc takes for ``options.Method = 'lbfgs'`` (its default):
minFunc.m's main loop and stopping rules, lbfgsAdd.m / lbfgsProd.m (the two-loop recursion
on a circular buffer of corrections), WolfeLineSearch.m (bracketing with cubic
extrapolation, then zoom with cubic interpolation or the mixed strategies), ArmijoBacktrack.m
and polyinterp.m. Run with the same options on the same function, it visits the same
iterates as minFunc in Octave (``options.useMex = 0`` there: the .m versions of the L-BFGS
products, which is what this port computes), and prints the same progress lines.

``scipy.optimize.minimize(..., method='L-BFGS-B')`` is a different algorithm and does not
follow minFunc's iterates; use it where that does not matter.
"""

from __future__ import annotations

import difflib
import functools
from typing import Any, Callable

import numpy as np

__all__ = ["minFunc", "polyinterp", "WolfeLineSearch", "ArmijoBacktrack", "lbfgsAdd",
           "lbfgsProd", "isLegal"]

UNKNOWN = None  # a missing value in polyinterp's points (MATLAB code passes sqrt(-1))


def isLegal(v) -> bool:
    """No complex, NaN or Inf entries (minFunc/isLegal.m).

    Parameters
    ----------
    v : array_like
        A value of any shape.

    Returns
    -------
    bool
        True when every entry is real and finite.
    """
    v = np.asarray(v)
    return not np.iscomplexobj(v) and bool(np.isfinite(v).all())


# --------------------------------------------------------------------------- options

#: minFunc_2012's options that the L-BFGS method reads, with their defaults (names as
#: minFunc_processInputOptions.m spells them; matched without regard to case)
DEFAULTS: dict[str, Any] = {
    "Method": "lbfgs", "Display": "iter", "MaxIter": 500, "MaxFunEvals": 1000, "optTol": 1e-5,
    "progTol": 1e-9, "Corr": 100, "c1": 1e-4, "c2": 0.9, "LS_init": 0, "LS_type": 1,
    "LS_interp": 2, "LS_multi": 0, "Fref": 1, "outputFcn": None,
}
#: options of minFunc that are not ported: only their 'off' value is accepted
NOT_PORTED = ("numDiff", "useComplex", "Damped", "DerivativeCheck")
#: options that the L-BFGS method does not read (minFunc ignores them for it; so does the port):
#: useMex chooses between the .m and mex L-BFGS products, which the port computes as the .m
#: files do; the others belong to minFunc's other methods
IGNORED = ("useMex", "cgSolve", "qnUpdate", "cgUpdate", "initialHessType", "HessianModify",
           "LS_saveHessianComp", "HvFunc", "bbType", "cycle", "HessianIter", "useNegCurv",
           "precFunc")
#: another name the port accepts for an option
ALIASES = {"Corrections": "Corr"}
_KNOWN = {n.upper(): n for n in (*DEFAULTS, *NOT_PORTED, *IGNORED, *ALIASES)}
_DISPLAYS = ("iter", "final", "off", "none", "full", "excessive", "on", "0")


def _describe(value) -> str:
    """A short description of a value for an error message."""
    if isinstance(value, np.ndarray):
        return f"a {value.dtype} array of shape {value.shape}"
    return f"{type(value).__name__} {value!r}"[:80]


def _option_names(options) -> dict[str, Any]:
    """The options under their canonical names, empty values dropped (minFunc's getOpt
    treats an empty value as absent); an unknown name names the nearest known one."""
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise TypeError(f"minFunc: options must be a dict (MATLAB's struct), not "
                        f"{_describe(options)}")
    named: dict[str, Any] = {}
    for key, value in options.items():
        canonical = _KNOWN.get(str(key).upper())
        if canonical is None:
            nearest = difflib.get_close_matches(str(key).upper(), _KNOWN, n=1, cutoff=0)
            raise ValueError(f"minFunc: unknown option {key!r} (did you mean "
                             f"{_KNOWN[nearest[0]]!r}?)")
        canonical = ALIASES.get(canonical, canonical)
        if canonical in named:
            raise ValueError(f"minFunc: option {canonical!r} is given twice (names are matched "
                             f"without regard to case)")
        empty = isinstance(value, str) and not value or \
            isinstance(value, (list, tuple, np.ndarray)) and np.size(value) == 0
        if value is None or empty:
            continue
        named[canonical] = value
    return named


def _real(name: str, value, low: float, high: float = np.inf, whole: bool = False,
          inf: bool = False) -> float:
    """An option's value as one real number in [low, high] (a whole number if ``whole``;
    Inf allowed if ``inf``), else a ValueError naming the option."""
    what = f"a whole number from {low:g}" if whole else f"a real number from {low:g}"
    what += f" to {high:g}" if np.isfinite(high) else (" up, or Inf" if inf else " up")
    try:
        a = np.asarray(value)
    except (TypeError, ValueError):
        a = np.asarray(None)
    if a.size != 1 or a.dtype.kind not in "buif":
        raise ValueError(f"minFunc: option {name} must be {what}, not {_describe(value)}")
    v = float(a.reshape(-1)[0])
    if np.isnan(v) or (np.isinf(v) and not inf) or not low <= v <= high \
            or (whole and np.isfinite(v) and v != int(v)):
        raise ValueError(f"minFunc: option {name} must be {what}, not {v:g}")
    return v


def _display(value) -> tuple[bool, bool, bool]:
    """Display -> (verbose, verboseI, debug), as minFunc_processInputOptions.m sets them (a
    number: 0 is 'off', any other the default)."""
    if isinstance(value, str):
        d = value.lower()
    elif np.ndim(value) == 0 and np.asarray(value).dtype.kind in "buif":
        d = "0" if value == 0 else "iter"
    else:
        d = None
    if d not in _DISPLAYS:
        raise ValueError(f"minFunc: option Display must be one of {', '.join(_DISPLAYS[:5])}, "
                         f"not {_describe(value)}")
    if d in ("0", "off", "none"):
        return False, False, False
    return True, d != "final", d in ("full", "excessive")


def _options(options: dict | None) -> dict[str, Any]:
    """minFunc_processInputOptions.m for the L-BFGS method: each option checked by name and
    value, defaults filled in."""
    o = {**DEFAULTS, **_option_names(options)}
    if not isinstance(o["Method"], str):
        raise ValueError(f"minFunc: option Method must be a string, not {_describe(o['Method'])}")
    method = o["Method"].upper()
    if method != "LBFGS":
        raise NotImplementedError(f"minFunc: only Method 'lbfgs' is ported, not {method!r}")
    for name in NOT_PORTED:
        value = o.get(name, 0)
        off = value.lower() == "off" if isinstance(value, str) \
            else _real(name, value, 0, whole=True) == 0
        if not off:
            raise NotImplementedError(f"minFunc: option {name} is not ported")
    verbose, verboseI, debug = _display(o["Display"])
    if o["outputFcn"] is not None and not callable(o["outputFcn"]):
        raise ValueError(f"minFunc: option outputFcn must be a function, not "
                         f"{_describe(o['outputFcn'])}")
    p = {
        "verbose": verbose, "verboseI": verboseI, "debug": debug,
        "maxFunEvals": _real("MaxFunEvals", o["MaxFunEvals"], 1, inf=True),  # runSoftICA.m
        "maxIter": int(_real("MaxIter", o["MaxIter"], 1, whole=True)),
        "optTol": _real("optTol", o["optTol"], 0),
        "progTol": _real("progTol", o["progTol"], 0),
        "corrections": int(_real("Corr", o["Corr"], 1, whole=True)),
        "c1": _real("c1", o["c1"], 0, 1),
        "c2": _real("c2", o["c2"], 0, 1),
        "LS_init": int(_real("LS_init", o["LS_init"], 0, 4, whole=True)),
        "LS_type": int(_real("LS_type", o["LS_type"], 0, 2, whole=True)),
        "LS_interp": int(_real("LS_interp", o["LS_interp"], 0, 2, whole=True)),
        "LS_multi": int(_real("LS_multi", o["LS_multi"], 0, 1, whole=True)),
        "Fref": int(_real("Fref", o["Fref"], 1, whole=True)),
        "outputFcn": o["outputFcn"],
    }
    if p["LS_type"] == 2:
        raise NotImplementedError("minFunc: LS_type 2 (MATLAB's lineSearch) is not ported")
    if p["LS_init"] == 4:
        raise NotImplementedError("minFunc: LS_init 4 (Hessian-vector products) is not ported")
    return p


# --------------------------------------------------------------------------- L-BFGS memory


def lbfgsAdd(y, s, S, Y, YS, lbfgs_start, lbfgs_end, Hdiag):
    """Add a correction pair to the circular buffer (minFunc/lbfgsAdd.m).

    Returns S, Y, YS, lbfgs_start, lbfgs_end, Hdiag, skipped (1-based start/end as in the
    original; S and Y are updated in place).

    Parameters
    ----------
    y : ndarray (n,)
        The change of the gradient, ``g_new - g``.
    s : ndarray (n,)
        The step, ``t * d``.
    S, Y : ndarray (n, corrections)
        The stored steps and gradient changes.
    YS : ndarray (corrections,)
        Their products ``y' * s``.
    lbfgs_start, lbfgs_end : int
        The buffer's first and last columns, 1-based.
    Hdiag : float
        The initial Hessian's diagonal scale.

    Returns
    -------
    S, Y, YS : ndarray
        The buffer, updated.
    lbfgs_start, lbfgs_end : int
        1-based, as in the original.
    Hdiag : float
        ``y' * s / (y' * y)`` after a pair is added, else unchanged.
    skipped : int
        1 when the pair was skipped (``y' * s <= 1e-10``), else 0.
    """
    ys = float(y @ s)
    corrections = S.shape[1]
    if ys > 1e-10:
        if lbfgs_end < corrections:
            lbfgs_end += 1
            if lbfgs_start != 1:
                lbfgs_start = 1 if lbfgs_start == corrections else lbfgs_start + 1
        else:
            lbfgs_start = min(2, corrections)
            lbfgs_end = 1
        S[:, lbfgs_end - 1] = s
        Y[:, lbfgs_end - 1] = y
        YS[lbfgs_end - 1] = ys
        Hdiag = ys / float(y @ y)
        return S, Y, YS, lbfgs_start, lbfgs_end, Hdiag, 0
    return S, Y, YS, lbfgs_start, lbfgs_end, Hdiag, 1


def lbfgsProd(g, S, Y, YS, lbfgs_start, lbfgs_end, Hdiag) -> np.ndarray:
    """The L-BFGS direction -H*g by the two-loop recursion (minFunc/lbfgsProd.m).

    Parameters
    ----------
    g : ndarray (n,)
        The gradient.
    S, Y : ndarray (n, corrections)
        The stored steps and gradient changes.
    YS : ndarray (corrections,)
        Their products ``y' * s``.
    lbfgs_start, lbfgs_end : int
        The buffer's first and last columns, 1-based.
    Hdiag : float
        The initial Hessian's diagonal scale.

    Returns
    -------
    d : ndarray (n,)
        The search direction.
    """
    maxCorrections = S.shape[1]
    if lbfgs_start == 1:
        ind = list(range(1, lbfgs_end + 1))
    else:
        ind = list(range(lbfgs_start, maxCorrections + 1)) + list(range(1, lbfgs_end + 1))
    al = np.zeros(maxCorrections)
    d = -g
    t = np.empty_like(d)  # each product, then added in place: MATLAB's rounding, no new arrays
    for i in reversed(ind):
        al[i - 1] = (S[:, i - 1] @ d) / YS[i - 1]
        d -= np.multiply(al[i - 1], Y[:, i - 1], out=t)  # d = d - al(i)*Y(:,i)
    d *= Hdiag
    for i in ind:
        be = (Y[:, i - 1] @ d) / YS[i - 1]
        d += np.multiply(S[:, i - 1], al[i - 1] - be, out=t)  # d = d + S(:,i)*(al(i)-be(i))
    return d


# --------------------------------------------------------------------------- interpolation


def polyinterp(points, xminBound: float | None = None, xmaxBound: float | None = None):
    """Minimum of the polynomial through function values and derivatives (polyinterp.m).

    Parameters
    ----------
    points : sequence of [x, f, g]
        The points; an unknown f or g is None (MATLAB passes sqrt(-1)).
    xminBound, xmaxBound : float, optional
        The interval searched (default: the points' range).

    Returns
    -------
    minPos : float
        The minimiser in the bounds (their midpoint when no critical point is valid).
    """
    pts = [list(row) for row in points]
    nPoints = len(pts)
    known = sum(v is not UNKNOWN for row in pts for v in row[1:3])
    order = known - 1
    xs = [float(row[0]) for row in pts]
    if xminBound is None:
        xminBound = min(xs)
    if xmaxBound is None:
        xmaxBound = max(xs)
    if nPoints == 2 and order == 3:
        minPos = 0 if xs[0] <= xs[1] else 1  # MATLAB's min picks the first of equals
        notMinPos = 1 - minPos
        x0, f0, g0 = (float(v) for v in pts[minPos])
        x1, f1, g1 = (float(v) for v in pts[notMinPos])
        d1 = g0 + g1 - 3 * (f0 - f1) / (x0 - x1)
        disc = d1 ** 2 - g0 * g1
        if disc >= 0:
            d2 = np.sqrt(disc)
            with np.errstate(divide="ignore", invalid="ignore"):  # Inf/NaN as in MATLAB
                t = x1 - (x1 - x0) * (np.float64(g1 + d2 - d1) / (g1 - g0 + 2 * d2))
            # MATLAB's min and max pass over NaN: np.fmin / np.fmax do the same
            return float(np.fmin(np.fmax(t, xminBound), xmaxBound))
        return (xmaxBound + xminBound) / 2
    A, b = [], []
    for row in pts:
        if row[1] is not UNKNOWN:
            A.append([row[0] ** j for j in range(order, -1, -1)])
            b.append(row[1])
    for row in pts:
        if row[2] is not UNKNOWN:
            A.append([(order - j + 1) * row[0] ** (order - j) for j in range(1, order + 1)]
                     + [0.0])
            b.append(row[2])
    A = np.array(A, dtype=np.float64)
    b = np.array(b, dtype=np.float64)
    params = np.linalg.lstsq(A, b, rcond=None)[0] if A.shape[0] != A.shape[1] else \
        _solve(A, b)
    dParams = np.array([params[i] * (order - i) for i in range(order)])
    cp = [xminBound, xmaxBound] + xs
    if np.isfinite(dParams).all() and dParams.size > 1:
        cp += list(np.roots(dParams))
    fmin = np.inf
    minPos = (xminBound + xmaxBound) / 2
    for xCP in cp:
        if np.imag(xCP) == 0 and xminBound <= np.real(xCP) <= xmaxBound:
            fCP = np.polyval(params, np.real(xCP))
            if fCP < fmin:
                minPos = float(np.real(xCP))
                fmin = fCP
    return minPos


def _solve(A: np.ndarray, b: np.ndarray) -> np.ndarray:
    """linsolve(A, b) for a square A: LU with partial pivoting, as MATLAB uses."""
    import scipy.linalg

    with np.errstate(all="ignore"):
        try:
            return scipy.linalg.solve(A, b)
        except (np.linalg.LinAlgError, ValueError):
            return np.linalg.lstsq(A, b, rcond=None)[0]


# --------------------------------------------------------------------------- line searches


def ArmijoBacktrack(x, t, d, f, fr, g, gtd, c1, LS_interp, LS_multi, progTol, debug,
                    funObj, *args):
    """Backtracking until the Armijo condition holds (minFunc/ArmijoBacktrack.m).

    Returns t, x_new, f_new, g_new, funEvals.

    Parameters
    ----------
    x : ndarray (n,)
        The current point.
    t : float
        The initial step length.
    d : ndarray (n,)
        The search direction.
    f : float
        The objective at x.
    fr : float
        The reference value of the Armijo condition.
    g : ndarray (n,)
        The gradient at x.
    gtd : float
        The directional derivative ``g' * d``.
    c1 : float
        The sufficient-decrease parameter.
    LS_interp, LS_multi : int
        minFunc's interpolation options.
    progTol : float
        The smallest progress allowed.
    debug : bool
        Print the line search's steps.
    funObj : callable
        ``funObj(x, *args) -> (f, g)``.
    *args
        Passed on to funObj.

    Returns
    -------
    t : float
        The step length taken.
    x_new : ndarray (n,)
    f_new : float
    g_new : ndarray (n,)
    funEvals : int
        The number of calls of funObj.
    """
    f_new, g_new = funObj(x + t * d, *args)
    funEvals = 1
    f_prev = t_prev = g_prev = None
    while f_new > fr + c1 * t * gtd or not isLegal(f_new):
        temp = t
        if LS_interp == 0 or not isLegal(f_new):
            t = 0.5 * t
        elif LS_interp == 1 or not isLegal(g_new):
            if funEvals < 2 or LS_multi == 0 or not isLegal(f_prev):
                t = polyinterp([[0, f, gtd], [t, f_new, UNKNOWN]], 0, t)
            else:
                t = polyinterp([[0, f, gtd], [t, f_new, UNKNOWN], [t_prev, f_prev, UNKNOWN]],
                               0, t)
        else:
            if funEvals < 2 or LS_multi == 0 or not isLegal(f_prev):
                t = polyinterp([[0, f, gtd], [t, f_new, g_new @ d]], 0, t)
            elif not isLegal(g_prev):
                t = polyinterp([[0, f, gtd], [t, f_new, g_new @ d], [t_prev, f_prev, UNKNOWN]],
                               0, t)
            else:
                t = polyinterp([[0, f, gtd], [t, f_new, g_new @ d],
                                [t_prev, f_prev, g_prev @ d]], 0, t)
        if t < temp * 1e-3:
            t = temp * 1e-3
        elif t > temp * 0.6:
            t = temp * 0.6
        if LS_multi:
            f_prev, t_prev = f_new, temp
            if LS_interp == 2:
                g_prev = g_new
        f_new, g_new = funObj(x + t * d, *args)
        funEvals += 1
        if np.max(np.abs(t * d)) <= progTol:
            if debug:
                print("Backtracking Line Search Failed")
            t, f_new, g_new = 0, f, g
            break
    return t, x + t * d, f_new, g_new, funEvals


def _mixed_extrap(x0, f0, g0, x1, f1, g1, minStep, maxStep):
    alpha_c = polyinterp([[x0, f0, g0], [x1, f1, g1]], minStep, maxStep)
    alpha_s = polyinterp([[x0, f0, g0], [x1, UNKNOWN, g1]], minStep, maxStep)
    if alpha_c > minStep and abs(alpha_c - x1) < abs(alpha_s - x1):
        return alpha_c
    return alpha_s


def _mixed_interp(bracket, bracketFval, bracketGval, d, Tpos, oldLOval, oldLOFval,
                  oldLOGval):
    nonTpos = 1 - Tpos
    gtdT = bracketGval[Tpos] @ d
    gtdNonT = bracketGval[nonTpos] @ d
    oldLOgtd = oldLOGval @ d
    bT, fT = bracket[Tpos], bracketFval[Tpos]
    if fT > oldLOFval:
        alpha_c = polyinterp([[oldLOval, oldLOFval, oldLOgtd], [bT, fT, gtdT]])
        alpha_q = polyinterp([[oldLOval, oldLOFval, oldLOgtd], [bT, fT, UNKNOWN]])
        if abs(alpha_c - oldLOval) < abs(alpha_q - oldLOval):
            return alpha_c
        return (alpha_q + alpha_c) / 2
    if gtdT * oldLOgtd < 0:
        alpha_c = polyinterp([[oldLOval, oldLOFval, oldLOgtd], [bT, fT, gtdT]])
        alpha_s = polyinterp([[oldLOval, oldLOFval, oldLOgtd], [bT, UNKNOWN, gtdT]])
        return alpha_c if abs(alpha_c - bT) >= abs(alpha_s - bT) else alpha_s
    if abs(gtdT) <= abs(oldLOgtd):
        lo, hi = min(bracket), max(bracket)
        alpha_c = polyinterp([[oldLOval, oldLOFval, oldLOgtd], [bT, fT, gtdT]], lo, hi)
        alpha_s = polyinterp([[oldLOval, UNKNOWN, oldLOgtd], [bT, fT, gtdT]], lo, hi)
        if lo < alpha_c < hi and abs(alpha_c - bT) < abs(alpha_s - bT):
            t = alpha_c
        else:
            t = alpha_s
        if bT > oldLOval:
            return min(bT + 0.66 * (bracket[nonTpos] - bT), t)
        return max(bT + 0.66 * (bracket[nonTpos] - bT), t)
    return polyinterp([[bracket[nonTpos], bracketFval[nonTpos], gtdNonT], [bT, fT, gtdT]])


def WolfeLineSearch(x, t, d, f, g, gtd, c1, c2, LS_interp, LS_multi, maxLS, progTol, debug,
                    funObj, *args):
    """Bracketing and zoom to a point satisfying the strong Wolfe conditions
    (minFunc/WolfeLineSearch.m).

    Returns t, f_new, g_new, funEvals.

    Parameters
    ----------
    x : ndarray (n,)
        The current point.
    t : float
        The initial step length.
    d : ndarray (n,)
        The search direction.
    f : float
        The objective at x.
    g : ndarray (n,)
        The gradient at x.
    gtd : float
        The directional derivative ``g' * d``.
    c1, c2 : float
        The sufficient-decrease and curvature parameters.
    LS_interp, LS_multi : int
        minFunc's interpolation options.
    maxLS : int
        The most function evaluations.
    progTol : float
        The smallest progress allowed.
    debug : bool
        Print the line search's steps.
    funObj : callable
        ``funObj(x, *args) -> (f, g)``.
    *args
        Passed on to funObj.

    Returns
    -------
    t : float
        The step length taken.
    f_new : float
    g_new : ndarray (n,)
    funEvals : int
        The number of calls of funObj.
    """
    f_new, g_new = funObj(x + t * d, *args)
    funEvals = 1
    gtd_new = g_new @ d
    LSiter = 0
    t_prev, f_prev, g_prev, gtd_prev = 0.0, f, g, gtd
    nrmD = np.max(np.abs(d))
    done = False
    bracket = bracketFval = bracketGval = None
    while LSiter < maxLS:
        if not isLegal(f_new) or not isLegal(g_new):
            if debug:
                print("Extrapolated into illegal region, switching to Armijo line-search")
            t = (t + t_prev) / 2
            t, _, f_new, g_new, armijoFunEvals = ArmijoBacktrack(
                x, t, d, f, f, g, gtd, c1, LS_interp, LS_multi, progTol, debug, funObj, *args)
            return t, f_new, g_new, funEvals + armijoFunEvals
        if f_new > f + c1 * t * gtd or (LSiter > 1 and f_new >= f_prev):
            bracket, bracketFval, bracketGval = [t_prev, t], [f_prev, f_new], [g_prev, g_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracketFval, bracketGval = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracketFval, bracketGval = [t_prev, t], [f_prev, f_new], [g_prev, g_new]
            break
        temp = t_prev
        t_prev = t
        minStep = t + 0.01 * (t - temp)
        maxStep = t * 10
        if LS_interp <= 1:
            t = maxStep
        elif LS_interp == 2:
            t = polyinterp([[temp, f_prev, gtd_prev], [t, f_new, gtd_new]], minStep, maxStep)
        else:
            t = _mixed_extrap(temp, f_prev, gtd_prev, t, f_new, gtd_new, minStep, maxStep)
        f_prev, g_prev, gtd_prev = f_new, g_new, gtd_new
        f_new, g_new = funObj(x + t * d, *args)
        funEvals += 1
        gtd_new = g_new @ d
        LSiter += 1
    if LSiter == maxLS:
        bracket, bracketFval, bracketGval = [0.0, t], [f, f_new], [g, g_new]

    insufProgress = False
    Tpos = 1
    LOposRemoved = False
    oldLOval = oldLOFval = oldLOGval = None
    while not done and LSiter < maxLS:
        LOpos = 0 if bracketFval[0] <= bracketFval[1] else 1
        f_LO = bracketFval[LOpos]
        HIpos = 1 - LOpos
        if LS_interp <= 1 or not isLegal(bracketFval) or not isLegal(np.array(bracketGval)):
            t = (bracket[0] + bracket[1]) / 2
        elif LS_interp == 2:
            t = polyinterp([[bracket[0], bracketFval[0], bracketGval[0] @ d],
                            [bracket[1], bracketFval[1], bracketGval[1] @ d]])
        else:
            nonTpos = 1 - Tpos
            if not LOposRemoved:
                oldLOval, oldLOFval = bracket[nonTpos], bracketFval[nonTpos]
                oldLOGval = bracketGval[nonTpos]
            t = _mixed_interp(bracket, bracketFval, bracketGval, d, Tpos, oldLOval,
                              oldLOFval, oldLOGval)
        bmax, bmin = max(bracket), min(bracket)
        if min(bmax - t, t - bmin) / (bmax - bmin) < 0.1:
            if insufProgress or t >= bmax or t <= bmin:
                if abs(t - bmax) < abs(t - bmin):
                    t = bmax - 0.1 * (bmax - bmin)
                else:
                    t = bmin + 0.1 * (bmax - bmin)
                insufProgress = False
            else:
                insufProgress = True
        else:
            insufProgress = False
        f_new, g_new = funObj(x + t * d, *args)
        funEvals += 1
        gtd_new = g_new @ d
        LSiter += 1
        armijo = f_new < f + c1 * t * gtd
        if not armijo or f_new >= f_LO:
            bracket[HIpos], bracketFval[HIpos], bracketGval[HIpos] = t, f_new, g_new
            Tpos = HIpos
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[HIpos] - bracket[LOpos]) >= 0:
                bracket[HIpos] = bracket[LOpos]
                bracketFval[HIpos] = bracketFval[LOpos]
                bracketGval[HIpos] = bracketGval[LOpos]
                if LS_interp == 3:
                    LOposRemoved = True
                    oldLOval, oldLOFval = bracket[LOpos], bracketFval[LOpos]
                    oldLOGval = bracketGval[LOpos]
            bracket[LOpos], bracketFval[LOpos], bracketGval[LOpos] = t, f_new, g_new
            Tpos = LOpos
        if not done and abs(bracket[0] - bracket[1]) * nrmD < progTol:
            if debug:
                print("Line-search bracket has been reduced below progTol")
            break
    if LSiter == maxLS and debug:
        print("Line Search Exceeded Maximum Line Search Iterations")
    LOpos = int(np.argmin(bracketFval))
    return bracket[LOpos], bracketFval[LOpos], bracketGval[LOpos], funEvals


# --------------------------------------------------------------------------- minFunc's steps


def _start(x0) -> np.ndarray:
    """x0 as a real float64 vector, else a TypeError/ValueError naming x0."""
    try:
        a = np.asarray(x0)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"minFunc: x0 must be a numeric vector ({exc})") from None
    if a.dtype.kind == "c":
        raise TypeError("minFunc: x0 is complex; minFunc minimises over real vectors (pass the "
                        "real and imaginary parts as one real vector)")
    try:
        x = np.array(a, dtype=np.float64).ravel()
    except (TypeError, ValueError) as exc:
        raise TypeError(f"minFunc: x0 must be a numeric vector ({exc})") from None
    if x.size == 0:
        raise ValueError("minFunc: x0 is empty")
    if not np.isfinite(x).all():
        raise ValueError("minFunc: x0 has NaN or Inf entries")
    return x


def _evaluate(funObj: Callable, p: int, z, *extra, first: bool = False):
    """funObj(z, *extra) -> (f, g) checked: f a real scalar, g a vector of p elements.

    At x0 (``first``) the cost and gradient must be finite and real; on later evaluations a
    NaN, Inf or complex f or g is passed on as NaN, and the line searches back off from it as
    minFunc does (isLegal).
    """
    out = funObj(z, *extra)
    if not isinstance(out, (tuple, list)) or len(out) < 2:
        raise TypeError(f"minFunc: funObj must return (cost, gradient), it returned "
                        f"{_describe(out)}")
    f, g = out[0], out[1]
    try:
        fa = np.asarray(f)
        ga = np.asarray(g)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"minFunc: funObj returned a non-numeric cost or gradient "
                        f"({exc})") from None
    if fa.dtype.kind not in "biufc" or ga.dtype.kind not in "biufc":
        raise TypeError(f"minFunc: funObj must return a numeric cost and gradient, it "
                        f"returned cost {_describe(f)} and gradient {_describe(g)}")
    if fa.size != 1:
        raise ValueError(f"minFunc: funObj must return a scalar cost, it returned "
                         f"{_describe(f)}")
    vector_shapes = {(p,), (p, 1), (1, p)} | ({()} if p == 1 else set())
    if ga.shape not in vector_shapes:
        raise ValueError(f"minFunc: funObj must return a gradient of x's {p} elements "
                         f"(a vector), it returned {_describe(g)}")
    if first and (np.iscomplexobj(fa) or not np.isfinite(fa).all()):
        raise ValueError(f"minFunc: funObj's cost at x0 is {fa.reshape(-1)[0]}, not a "
                         f"finite real number")
    if first and (np.iscomplexobj(ga) or not np.isfinite(ga).all()):
        raise ValueError("minFunc: funObj's gradient at x0 has NaN, Inf or complex "
                         "entries")
    if np.iscomplexobj(fa):
        fv = float(fa.real.reshape(-1)[0]) if fa.imag.reshape(-1)[0] == 0 else np.nan
    else:
        fv = float(fa.reshape(-1)[0])
    if np.iscomplexobj(ga):
        gv = np.where(ga.imag == 0, ga.real, np.nan).astype(np.float64).reshape(-1)
    else:
        gv = ga.astype(np.float64).reshape(-1)
    return fv, gv


def _initial_step(LS_init: int, t: float, gtd: float, gtd_old: float, f: float,
                  f_old: float) -> float:
    """The line search's first trial step after the first iteration (minFunc.m, LS_init)."""
    if LS_init == 0:
        t = 1.0
    elif LS_init == 1:
        t = t * min(2.0, gtd_old / gtd)
    elif LS_init == 2:
        t = min(1.0, 2 * (f - f_old) / gtd)
    else:
        t = min(1.0, t * 2)
    return 1.0 if t <= 0 else t


def _reference(Fref: int, i: int, f: float, old_fvals):
    """The Armijo condition's reference value: f, or the largest of the last Fref values
    (a non-monotone line search); returns it and the updated values."""
    if Fref == 1:
        return f, old_fvals
    if i == 1:
        old_fvals = np.full(Fref, -np.inf)
    if i <= Fref:
        old_fvals[i - 1] = f
    else:
        old_fvals = np.append(old_fvals[1:], f)
    return float(np.max(old_fvals)), old_fvals


def _stop(o: dict, i: int, optCond: float, t: float, d, f: float, f_old: float,
          funEvals: int) -> tuple[int, str] | None:
    """minFunc.m's stopping rules after an iteration, in its order: (exitflag, message), or
    None to go on."""
    if optCond <= o["optTol"]:
        return 1, "Optimality Condition below optTol"
    if np.max(np.abs(t * d)) <= o["progTol"]:
        return 2, "Step Size below progTol"
    if abs(f - f_old) < o["progTol"]:
        return 2, "Function Value changing by less than progTol"
    if funEvals >= o["maxFunEvals"]:
        return 0, "Reached Maximum Number of Function Evaluations"
    if i == o["maxIter"]:
        return 0, "Reached Maximum Number of Iterations"
    return None


def _output(i: int, funEvals: int, g, msg: str, trace: dict) -> dict:
    """minFunc's output struct."""
    return {"iterations": i, "funcCount": funEvals, "algorithm": 5,
            "firstorderopt": float(np.max(np.abs(g))), "message": msg,
            "trace": {k: np.array(v) for k, v in trace.items()}}


# --------------------------------------------------------------------------- minFunc


def minFunc(funObj: Callable, x0, options: dict | None = None, *args):
    """Minimise ``funObj`` with minFunc's L-BFGS (minFunc_2012/minFunc/minFunc.m).

    Parameters
    ----------
    funObj : callable
        ``funObj(x, *args) -> (f, g)``, the objective and its gradient (a vector).
    x0 : ndarray (n,)
        The initial point (a real vector; a MATLAB column).
    options : dict
        minFunc's options, names case-insensitive: Method ('lbfgs'), Display ('iter'
        (default), 'final', 'off'/'none', 'full'), MaxIter (500), MaxFunEvals (1000, Inf
        allowed), optTol (1e-5), progTol (1e-9), Corr (100), c1 (1e-4), c2 (0.9), LS_init
        (0), LS_type (1: Wolfe; 0: Armijo), LS_interp (2), LS_multi (0), Fref (1), outputFcn.
        useMex and the options of minFunc's other methods are accepted and ignored, as
        minFunc ignores them for L-BFGS; an empty value is the default, as in minFunc.
    *args
        Passed on to funObj (MATLAB's varargin).

    Returns
    -------
    x : ndarray (n,)
        The solution.
    f : float
        Its value.
    exitflag : int
        minFunc's exit flag: 1 optimality, 2 no progress, 0 limits reached, -1 stopped by
        outputFcn, -3 illegal step direction.
    output : dict
        iterations, funcCount, algorithm, firstorderopt, message and trace (fval,
        funcCount, optCond per iteration).

    Raises
    ------
    ValueError
        An unknown option (the message names the nearest known one), an option's value of
        the wrong kind or out of range (naming the option), an empty x0 or one with NaN or
        Inf, or a funObj whose cost is not a scalar, whose gradient has not x0's size, or
        whose values at x0 are not finite.
    TypeError
        funObj is not a function or does not return (cost, gradient); x0 is complex or not
        numeric; options is not a dict.
    NotImplementedError
        An option value of minFunc that is not ported (another Method, numDiff, LS_type 2,
        LS_init 4, ...).
    """
    o = _options(options)
    if not callable(funObj):
        raise TypeError(f"minFunc: funObj must be a function, not {type(funObj).__name__}")
    x = _start(x0)
    p = x.size
    evaluate = functools.partial(_evaluate, funObj, p)
    f, g = evaluate(x, *args, first=True)
    funEvals = 1
    verbose, debug, progTol = o["verbose"], o["debug"], o["progTol"]
    if o["verboseI"]:
        print(f"{'Iteration':>10} {'FunEvals':>10} {'Step Length':>15} {'Function Val':>15} "
              f"{'Opt Cond':>15}")
    optCond = float(np.max(np.abs(g)))
    trace = {"fval": [f], "funcCount": [funEvals], "optCond": [optCond]}

    # -- stop before the first iteration: optimal at x0, or the output function says so
    if optCond <= o["optTol"]:
        msg = "Optimality Condition below optTol"
        if verbose:
            print(msg)
        return x, f, 1, _output(0, funEvals, g, msg, trace)
    outputFcn = o["outputFcn"]
    if outputFcn is not None and outputFcn(x, "init", 0, funEvals, f, None, None, g, None,
                                           optCond, *args):
        msg = "Stopped by output function"
        if verbose:
            print(msg)
        return x, f, -1, _output(0, funEvals, g, msg, trace)

    # -- the L-BFGS memory: corrections in a circular buffer (lbfgsAdd / lbfgsProd)
    corrections = o["corrections"]
    S = np.zeros((p, corrections), order="F")  # columns contiguous, as MATLAB's S(:, i)
    Y = np.zeros((p, corrections), order="F")
    YS = np.zeros(corrections)
    lbfgs_start, lbfgs_end, Hdiag = 1, 0, 1.0
    d = np.zeros(p)
    t = 1.0
    g_old = f_old = gtd_old = None
    old_fvals = None
    exitflag, msg = 0, ""
    i = 0
    for i in range(1, o["maxIter"] + 1):
        # -- the direction: steepest descent first, then the L-BFGS product
        if i == 1:
            d = -g
        else:
            S, Y, YS, lbfgs_start, lbfgs_end, Hdiag, skipped = lbfgsAdd(
                g - g_old, t * d, S, Y, YS, lbfgs_start, lbfgs_end, Hdiag)
            if debug and skipped:
                print("Skipped L-BFGS updated")
            d = lbfgsProd(g, S, Y, YS, lbfgs_start, lbfgs_end, Hdiag)
        g_old = g
        if not isLegal(d):
            print("Step direction is illegal!")
            return x, f, -3, _output(i, funEvals, g, "Step direction is illegal", trace)
        gtd = float(g @ d)
        if gtd > -progTol:
            exitflag, msg = 2, "Directional Derivative below progTol"
            break

        # -- the step: the first trial step, then a line search from it
        if i == 1:
            t = min(1.0, 1.0 / float(np.sum(np.abs(g))))
        else:
            t = _initial_step(o["LS_init"], t, gtd, gtd_old, f, f_old)
        f_old = f
        gtd_old = gtd
        fr, old_fvals = _reference(o["Fref"], i, f, old_fvals)
        if o["LS_type"] == 0:
            t, x, f, g, LSfunEvals = ArmijoBacktrack(
                x, t, d, f, fr, g, gtd, o["c1"], o["LS_interp"], o["LS_multi"], progTol,
                debug, evaluate, *args)
        else:
            t, f, g, LSfunEvals = WolfeLineSearch(
                x, t, d, f, g, gtd, o["c1"], o["c2"], o["LS_interp"], o["LS_multi"], 25,
                progTol, debug, evaluate, *args)
            x = x + t * d
        funEvals += LSfunEvals

        # -- progress, the output function, the stopping rules
        optCond = float(np.max(np.abs(g)))
        if o["verboseI"]:
            print(f"{i:10d} {funEvals:10d} {t:15.5e} {f:15.5e} {optCond:15.5e}")
        trace["fval"].append(f)
        trace["funcCount"].append(funEvals)
        trace["optCond"].append(optCond)
        if outputFcn is not None and outputFcn(x, "iter", i, funEvals, f, t, gtd, g, d,
                                               optCond, *args):
            exitflag, msg = -1, "Stopped by output function"
            break
        stop = _stop(o, i, optCond, t, d, f, f_old, funEvals)
        if stop is not None:
            exitflag, msg = stop
            break
    if verbose:
        print(msg)
    if outputFcn is not None:
        outputFcn(x, "done", i, funEvals, f, t, gtd, g, d, float(np.max(np.abs(g))), *args)
    return x, f, exitflag, _output(i, funEvals, g, msg, trace)
