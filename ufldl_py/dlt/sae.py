"""DeepLearnToolbox's stacked (denoising) autoencoders (DeepLearnToolbox/SAE).

``sae`` is a dict ``{'ae': [nn, ...]}``: ``sae.ae{u}`` is ``sae['ae'][u - 1]``, an
autoencoder [size(u) size(u+1) size(u)] made by :func:`ufldl_py.dlt.nn.nnsetup` and trained
by :func:`ufldl_py.dlt.nn.nntrain` (see that module for the net's fields and index rule).
"""

from __future__ import annotations

from ..matlab import validate
from .nn import nnff, nnsetup, nntrain

__all__ = ["saesetup", "saetrain"]


def saesetup(size) -> dict:
    """One autoencoder per pair of consecutive sizes (SAE/saesetup.m).

    Parameters
    ----------
    size : vector of at least 2 positive integers, e.g. [784 100].

    Returns
    -------
    sae : dict
        ``{'ae': [nnsetup([size(u-1) size(u) size(u-1)]) for u = 2 : numel(size)]}``, the
        weights drawn with ``rand`` in that order.
    """
    sizes = validate.vector(size, "size")
    if sizes.size < 2:
        raise ValueError(f"size must hold at least 2 layer sizes, got {sizes.size}")
    return {"ae": [nnsetup([sizes[u - 1], sizes[u], sizes[u - 1]])
                   for u in range(1, sizes.size)]}


def saetrain(sae: dict, x, opts: dict, *, verbose: bool = True, **fixes) -> dict:
    """Train the autoencoders one after the other (SAE/saetrain.m).

    Autoencoder i is trained by nntrain to reproduce its input (x for the first, then the
    hidden activations of the one before, ``nnff(ae{i-1}, x, x).a{2}(:, 2:end)``), printing
    'Training AE i/N' and nntrain's lines.

    Parameters
    ----------
    sae : dict from :func:`saesetup`
    x : (m, size(1)) float array
    opts : dict
        nntrain's options (batchsize, numepochs).
    verbose : bool
        Print the progress lines.
    **fixes
        ``sparsity_fix``, ``l2_loss``: passed to nntrain (fixes of the original's loss).

    Returns
    -------
    sae : dict, a new one with the trained autoencoders.
    """
    ae = list(sae["ae"])
    sae = dict(sae)
    for i in range(len(ae)):
        if verbose:
            print(f"Training AE {i + 1}/{len(ae)}", flush=True)
        ae[i] = nntrain(ae[i], x, x, opts, verbose=verbose, **fixes)[0]
        t = nnff(ae[i], x, x)
        x = t["a"][1][:, 1:]  # remove the bias term
    sae["ae"] = ae
    return sae
