"""Cached arrays: the per-map (or per-kernel) views of one stacked array that a port's cell
fields hold. The maps are read-only and carry the patch matrices built from them, so that a
backward pass gets both back without a copy and no cache can go stale."""

from __future__ import annotations

import operator

import numpy as np

from .convolution import im2col

__all__ = ["KernelViews", "MapViews"]


class KernelViews(list):
    """``k{i}{j}`` as a list of lists of the views [i, j] of one stacked (inputmaps,
    outputmaps, kr, kc) array, which it remembers. Copies and pickles are plain lists.

    Parameters
    ----------
    stacked : ndarray (inputmaps, outputmaps, kr, kc)
        The kernels, stacked.
    """

    def __init__(self, stacked: np.ndarray):
        super().__init__([stacked[i, j] for j in range(stacked.shape[1])]
                         for i in range(stacked.shape[0]))
        self.stacked = stacked
        self._views = [tuple(row) for row in self]

    def __reduce__(self):
        return list, ([list(row) for row in self],)

    def unchanged(self) -> bool:
        """Whether every entry is still the view it was made with (none was replaced)."""
        return len(self) == len(self._views) and all(
            len(row) == len(views) and all(map(operator.is_, row, views))
            for row, views in zip(self, self._views))


class MapViews(list):
    """The list of per-map views ``a{j}`` of one stacked (maps, r, c, n) array, which it
    remembers with the patch matrices built from it (:meth:`patches`). The stacked array is
    read-only: maps are values, as in MATLAB, and an in-place edit raises instead of leaving
    the patches stale; a map replaced in the list (``a[j] = ...``) makes :meth:`unchanged`
    false, and the caller stacks the maps and builds the patches again. Copies and pickles
    are plain lists.

    Parameters
    ----------
    stacked : ndarray (maps, r, c, n)
        The maps, stacked (made read-only).
    """

    def __init__(self, stacked: np.ndarray):
        stacked.flags.writeable = False
        super().__init__(stacked[j] for j in range(stacked.shape[0]))
        self.stacked = stacked
        self._patches: dict[tuple[int, int, int], np.ndarray] = {}
        self._views = tuple(self)

    def __reduce__(self):
        return list, (list(self),)

    def unchanged(self) -> bool:
        """Whether every entry is still the view it was made with (none was replaced)."""
        return len(self) == len(self._views) and all(map(operator.is_, self, self._views))

    def keep(self, key, P: np.ndarray) -> None:
        """Remember an array built from the maps (patches) under ``key``."""
        self._patches[key] = P

    def kept(self, key) -> np.ndarray | None:
        """The array remembered under ``key``, if any."""
        return self._patches.get(key)

    def keep_patches(self, k: int, s: slice, P: np.ndarray) -> None:
        """Remember ``P = im2col(self.stacked[..., s], k)``."""
        self.keep((k, s.start, s.stop), P)

    def patches(self, k: int, s: slice) -> np.ndarray:
        """``im2col(self.stacked[..., s], k)``, the one kept if there is one."""
        P = self.kept((k, s.start, s.stop))
        if P is None:
            P = im2col(self.stacked[..., s], k)
            self.keep_patches(k, s, P)
        return P
