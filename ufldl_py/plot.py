"""Figures of the exercises, saved as PNG files, and shown where there is somewhere to show
them.

The MATLAB scripts draw into figure windows; here every figure is written to a PNG file in
the figures directory, :func:`figures_dir` (``$UFLDL_PY_FIGURES`` if set, else ``./figures``,
read through :mod:`ufldl_py.config` when a figure is saved; created when needed). Where it
is shown (:func:`backend`):

- in a Jupyter notebook (an IPython kernel with matplotlib's inline backend), each figure
  also appears inline, below its cell;
- from a terminal, with :func:`show` (an exercise's ``--show``), each figure also opens in
  a window, as MATLAB's ``figure`` does, and the windows stay until closed at the end;
- otherwise (the default, tests and CI: no display) the figures are files only (Agg).
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import numpy as np

from .atomic import atomic_write
from .config import figures_dir  # $UFLDL_PY_FIGURES, read when called; re-exported here

__all__ = ["figures_dir", "backend", "show", "subplots", "savefig", "display_network",
           "plot_curve", "imagesc"]

_show = False  # show(True): windows as well as files (an exercise's --show)


def _inline() -> bool:
    """Whether this runs in an IPython kernel whose matplotlib backend is the inline one
    (Jupyter sets ``MPLBACKEND`` to it; ``%matplotlib inline`` sets matplotlib's rcParams)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or "IPKernelApp" not in getattr(shell, "config", {}):
        return False
    name = os.environ.get("MPLBACKEND", "")
    if "matplotlib.pyplot" in sys.modules:  # chosen already (e.g. by %matplotlib inline)
        name = sys.modules["matplotlib.pyplot"].get_backend()
    return "inline" in name.lower()


def backend() -> str:
    """Where the figures go besides their PNG files.

    Returns
    -------
    str
        ``"inline"`` in a Jupyter notebook with the inline backend (figures appear below
        their cell), ``"window"`` after ``show(True)`` (figures open in windows), else
        ``"files"`` (the Agg backend: files only, no display needed).
    """
    if _inline():
        return "inline"
    return "window" if _show else "files"


def show(on: bool = True) -> None:
    """Open the figures in windows as well as saving them (an exercise's ``--show``), as
    MATLAB's figure windows; the windows stay open until closed when the script ends.

    Parameters
    ----------
    on : bool
        Whether to show the figures drawn from now on.

    Raises
    ------
    OSError
        When ``on`` and there is no display to show them on (Linux without ``$DISPLAY``
        or ``$WAYLAND_DISPLAY``).
    """
    global _show
    if on and sys.platform.startswith("linux") and not (os.environ.get("DISPLAY")
                                                         or os.environ.get("WAYLAND_DISPLAY")):
        raise OSError("--show needs a display ($DISPLAY is not set); the figures are saved "
                      "in the figures directory")
    if on and not _show:
        import atexit

        atexit.register(_wait_for_windows)
    _show = bool(on)


def _wait_for_windows() -> None:
    """At exit after show(True): keep the figure windows open until the user closes them."""
    if _show and "matplotlib.pyplot" in sys.modules:
        plt = sys.modules["matplotlib.pyplot"]
        if plt.get_fignums():
            plt.show()


def _pyplot():
    """matplotlib.pyplot, imported on first use (its 40 MB stay out of a training run until
    it draws), with the Agg backend (files only) unless :func:`backend` shows the figures:
    a notebook's inline backend and a terminal's windows are left to matplotlib."""
    import matplotlib

    if backend() == "files":
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def subplots(*args, **kwargs):
    """matplotlib.pyplot.subplots, drawing for :func:`savefig`."""
    return _pyplot().subplots(*args, **kwargs)


def savefig(fig, name: str) -> Path:
    """Save ``fig`` as ``<figures dir>/<name>`` (``.png`` appended if missing), then close
    it, or, where figures are shown (:func:`backend`), leave it open: inline below the
    notebook's cell, or in its window (drawn now, as MATLAB draws while a script runs).

    The PNG is written atomically (:func:`ufldl_py.atomic.atomic_write`): a failure leaves
    an existing figure of that name as it was.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure.
    name : str
        The file's name in the figures directory.

    Returns
    -------
    Path
        The path written.

    Raises
    ------
    OSError
        When the figures directory or the file cannot be written.
    """
    if not name.endswith(".png"):
        name += ".png"
    out = figures_dir()
    out.mkdir(parents=True, exist_ok=True)
    path = out / name
    try:
        with atomic_write(path) as f:
            fig.savefig(f, format="png", dpi=100, bbox_inches="tight")
    finally:
        where = backend()
        if where == "files":
            _pyplot().close(fig)
        elif where == "window":
            _pyplot().pause(0.001)  # draw the window now, without blocking
    return path


def display_network(A, opt_normalize=True, opt_graycolor=True, cols=None, opt_colmajor=False):
    """Tile the columns of ``A`` as square images (stanford_dl_ex/common/display_network.m).

    Parameters
    ----------
    A : (L, M) array; each column is a filter of L = sz^2 pixels, unrolled column-major.
    opt_normalize : scale each filter by its own ``max |value|`` (else by ``max |A|`` overall, or,
        with ``opt_colmajor``, not at all -- as the original does).
    opt_graycolor : gray colour map (else the default map and a darker background).
    cols : number of columns of tiles; by default about sqrt(M), chosen as the original does.
    opt_colmajor : fill the tiles column by column instead of row by row.

    Returns
    -------
    fig : the matplotlib figure (``imagesc(array, [-1 1]); axis image off``).
    array : (1 + m*(sz+1), 1 + n*(sz+1)) the tiled image, background -1 (-0.1 in colour).
    """
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"display_network: A must be 2-D (pixels x filters), got {A.shape}")
    A = A - A.mean()
    L, M = A.shape
    sz = math.isqrt(L)
    if sz * sz != L:
        raise ValueError(f"display_network: {L} pixels per filter is not a square number")
    buf = 1
    if cols is None:
        if math.isqrt(M) ** 2 != M:
            n = math.ceil(math.sqrt(M))
            while M % n != 0 and n < 1.2 * math.sqrt(M):
                n += 1
            m = math.ceil(M / n)
        else:
            n = m = math.isqrt(M)
    else:
        n = int(cols)
        m = math.ceil(M / n)

    array = -np.ones((buf + m * (sz + buf), buf + n * (sz + buf)))
    if not opt_graycolor:
        array = 0.1 * array
    global_max = np.abs(A).max() if A.size else 1.0
    cells = ([(i, j) for i in range(m) for j in range(n)] if not opt_colmajor
             else [(i, j) for j in range(n) for i in range(m)])
    for k, (i, j) in enumerate(cells[:M]):
        tile = A[:, k].reshape(sz, sz, order="F")
        if opt_normalize:
            tile = tile / np.abs(A[:, k]).max()
        elif not opt_colmajor:
            tile = tile / global_max
        r0, c0 = buf + i * (sz + buf), buf + j * (sz + buf)
        array[r0:r0 + sz, c0:c0 + sz] = tile

    fig, ax = subplots(figsize=(6, 6 * array.shape[0] / array.shape[1]))
    ax.imshow(array, cmap="gray" if opt_graycolor else None, vmin=-1, vmax=1,
              interpolation="nearest")
    ax.set_axis_off()
    return fig, array


def plot_curve(y, title: str, xlabel: str, ylabel: str, name: str) -> Path:
    """Plot ``y`` against 1..len(y) (MATLAB's ``plot(y)``) and save it as ``name``.png."""
    y = np.asarray(y, dtype=np.float64).ravel()
    fig, ax = subplots(figsize=(7, 4))
    ax.plot(np.arange(1, y.size + 1), y)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    return savefig(fig, name)


def imagesc(a, clim, name: str, title: str = "") -> Path:
    """MATLAB's ``imagesc(a, clim); axis equal; colormap gray`` (how DeepLearnToolbox's
    visualize draws its tiles), saved as ``name``.png."""
    a = np.asarray(a, dtype=np.float64)
    lo, hi = (float(v) for v in np.ravel(clim))
    fig, ax = subplots(figsize=(6, 6 * a.shape[0] / max(a.shape[1], 1)))
    ax.imshow(a, cmap="gray", vmin=lo, vmax=hi, interpolation="nearest")
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return savefig(fig, name)
