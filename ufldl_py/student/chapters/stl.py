"""The stl chapter of student mode: stanford_dl_ex/stl: feedfowardRICA (stlExercise)."""

from __future__ import annotations

import functools

import numpy as np

from ...matlab.ops import conv2
from ...ufldl import stl
from ...testing import PROBLEMS
from ._common import Chapter, Function, Mistake, with_ints

__all__ = ["STL"]


def _stl_inputs(rng, trial):
    return with_ints(PROBLEMS["feedfowardRICA"](rng), 0, 1, 2)


def _ssr_pool(filterDim, poolDim, numFilters, images, W, params, *, flip=True, epsilon=True,
              root=True, step=True, mean=False):
    """feedfowardRICA_loop's completion with one of its parts changed."""
    images, W = np.asarray(images, dtype=np.float64), np.asarray(W, dtype=np.float64)
    out = []
    for n in range(images.shape[2]):
        maps = []
        for k in range(numFilters):
            filt = W[:, :, k][::-1, ::-1] if flip else W[:, :, k]
            resp = conv2(images[:, :, n], filt, "valid")
            pooled = conv2(resp if mean else resp ** 2, np.ones((poolDim, poolDim)), "valid")
            if mean:
                act = pooled / poolDim ** 2
            else:
                pooled = pooled + (params["epsilon"] if epsilon else 0.0)
                act = np.sqrt(pooled) if root else pooled
            maps.append(act[::poolDim, ::poolDim] if step else act)
        out.append(np.stack(maps, axis=2))
    return np.stack(out, axis=3)


STL = Chapter(
    name="stl", origin="stanford_dl_ex/stl",
    title="Self-taught learning: RICA features, convolved and pooled (stlExercise)",
    drivers=("stlExercise",),
    functions=(
        Function(
            "feedfowardRICA", stl.feedfowardRICA_loop, stl.feedfowardRICA, _stl_inputs,
            ("features",),
            doc="""The convolution of the features given by W with the images, pooled.

    As cnnConvolve + cnnPool of the CNN exercise, except that there is no bias term and the
    pooling is RICA-style square-square-root pooling instead of mean pooling. Parameters:
    filterDim (the filters' height and width), poolDim (the pooling regions'), numFilters,
    images (imageDim x imageDim x numImages), W (filterDim x filterDim x numFilters, the
    weights learnt by RICA), params (a dict with epsilon; MATLAB's global params). Returns
    features (convDim/poolDim x convDim/poolDim x numFilters x numImages, convDim =
    imageDim - filterDim + 1).""",
            imports="from ufldl_py.matlab.ops import conv2, rot90",
            gaps={
                "feedfowardRICA/filter": "Form W: obtain the feature (filterDim x filterDim) "
                                         "of filter filterNum needed during the convolution, "
                                         "as filt.",
                "feedfowardRICA/conv2": "Convolve filt with im to find resp; be sure to do a "
                                        "'valid' convolution.",
                "feedfowardRICA/pool": "Apply square-square-root pooling on resp to get the "
                                       "hidden activation act (convDim/poolDim square): "
                                       "square every element of resp, sum everything in "
                                       "each (non-overlapping) pooling region, then add "
                                       "epsilon to every element before taking the "
                                       "element-wise square root (hint: use poolMat as in "
                                       "cnnPool).",
            },
            mistakes=(
                Mistake("the filter is not flipped: conv2 with the unflipped W(:,:,k) "
                        "computes a correlation (the template flips filt with rot90(filt, 2); "
                        "flipping it yourself as well undoes that)",
                        functools.partial(_ssr_pool, flip=False)),
                Mistake("square-root pooling without epsilon: sqrt(sum of squares) where "
                        "sqrt(sum of squares + epsilon)",
                        functools.partial(_ssr_pool, epsilon=False)),
                Mistake("no square root: the sum of squares (+ epsilon) is not rooted",
                        functools.partial(_ssr_pool, root=False)),
                Mistake("the pooling regions overlap: they start every pixel, where they "
                        "should start every poolDim pixels",
                        functools.partial(_ssr_pool, step=False)),
                Mistake("mean pooling (cnnPool's) where square-square-root pooling is asked "
                        "for", functools.partial(_ssr_pool, mean=True)),
            )),
    ))
