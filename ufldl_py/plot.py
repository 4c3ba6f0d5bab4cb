"""Figures of the exercises, saved as PNG files.

The MATLAB scripts draw into figure windows; here every figure is written to a PNG file in
the figures directory, :func:`figures_dir` (``$UFLDL_PY_FIGURES`` if set, else ``./figures``,
read through :mod:`ufldl_py.config` when a figure is saved; created when needed).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from .atomic import atomic_write
from .config import figures_dir  # $UFLDL_PY_FIGURES, read when called; re-exported here

__all__ = ["figures_dir", "subplots", "savefig", "display_network", "plot_curve", "imagesc"]


def _pyplot():
    """matplotlib.pyplot with the Agg backend (files only: no display is needed or used),
    imported on first use: its 40 MB stay out of a training run until it draws."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def subplots(*args, **kwargs):
    """matplotlib.pyplot.subplots, drawing for :func:`savefig`."""
    return _pyplot().subplots(*args, **kwargs)


def savefig(fig, name: str) -> Path:
    """Save ``fig`` as ``<figures dir>/<name>`` (``.png`` appended if missing), close it.

    The PNG is written atomically (:func:`ufldl_py.atomic.atomic_write`): a failure leaves
    an existing figure of that name as it was. Returns the path written.
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
        _pyplot().close(fig)
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
