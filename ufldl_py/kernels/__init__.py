"""The fast forms' machinery, one module a concern.

The ports (``ufldl_py.ufldl.*``, ``ufldl_py.ufldl_classic.*``, ``ufldl_py.dlt.*``) read like
their .m files and call these named kernels for speed, as CS231n keeps layers.py apart from
fast_layers.py and im2col.py. Every name is importable from ``ufldl_py.kernels``.

============== =============================================================================
module         what it holds
============== =============================================================================
threads        :func:`map_blocks` over blocks cut by size, :func:`filled_ahead` (a sequential
               fill, such as the random draws, on another thread, ahead of its use), BLAS
               held to one thread
               (:func:`single_threaded_blas`, :func:`deterministic`): the same bits at any
               ``$UFLDL_PY_THREADS`` and any caller's BLAS limit
elementwise    the sigmoid, DeepLearnToolbox's tanh_opt, Bernoulli draws, with MATLAB's rounding
pooling        sum, mean and square-root pooling; a sigmoid layer's delta under mean pooling
convolution    im2col, kernels as matrices, the adjoint of a convolution layer, the 3-D forms
views          :class:`MapViews` and :class:`KernelViews`: cell fields as views of one array
buffers        per-thread scratch arrays; a product written into an existing array; a
               product over a long inner dimension in cache-sized parts; the allocator's
               warm-up (a training step's arrays reused, not faulted in at every step)
autoencoder    the sparse autoencoder's sums (sparseAutoencoderCost, the linear decoder)
============== =============================================================================
"""

from .autoencoder import sparse_autoencoder
from .buffers import gemm_into, product_nt, scratch, warm_allocator
from .convolution import conv_full_adjoint, conv_matrix, corr3_taps, im2col, im2col3, pad3
from .elementwise import bernoulli, sigmoid, tanh_opt
from .pooling import mean_pool, sigmoid_delta_unpooled, sqrt_pool, sum_pool
from .threads import (blocks, deterministic, filled_ahead, map_blocks, single_threaded_blas,
                      workers)
from .views import KernelViews, MapViews

__all__ = ["workers", "blocks", "map_blocks", "filled_ahead", "single_threaded_blas",
           "deterministic", "sigmoid", "tanh_opt", "bernoulli", "mean_pool", "sum_pool",
           "sqrt_pool", "sigmoid_delta_unpooled", "im2col", "conv_matrix", "conv_full_adjoint",
           "im2col3", "pad3", "corr3_taps", "MapViews", "KernelViews", "scratch", "gemm_into",
           "product_nt", "warm_allocator", "sparse_autoencoder"]
