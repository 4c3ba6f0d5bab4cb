"""The crosscheck table: one :class:`~ufldl_py.crosscheck.Check` for every ported function.

Each row names the port, the MATLAB file it ports, its random valid inputs (from
:data:`ufldl_py.testing.PROBLEMS`, the one table of problems), the inputs' and outputs'
names and the tolerance. ``NOT_CHECKED`` lists
the ported functions that have no row, and why; a test holds every name in the packages'
``__all__`` to one or the other.
"""

from __future__ import annotations

import functools

import numpy as np

from .. import minfunc
from ..dlt import cae as dcae
from ..dlt import cnn as dcnn
from ..dlt import dbn as ddbn
from ..dlt import nn as dnn
from ..dlt import util as dutil
from ..matlab import ops
from ..matlab import random as mrandom
from ..ufldl import cnn as ucnn
from ..ufldl import ex1
from ..ufldl import common, rica, stl
from ..ufldl import multilayer_supervised as mls
from ..ufldl_classic import softmax as csoftmax
from ..ufldl_classic import cnn as ccnn
from ..ufldl_classic import linear_decoder as clinear
from ..ufldl_classic import sparseae
from ..ufldl_classic import stackedae as cstacked
from ..ufldl_classic import stl as cstl
from ..testing.problems import PROBLEMS
from . import Check

# --------------------------------------------------------------------------- the ports' wrappers


def _minFunc_linear_regression(theta, X, y):
    """20 L-BFGS iterations of minFunc on ex1's linear_regression_vec."""
    return minfunc.minFunc(ex1.linear_regression_vec, theta, {"MaxIter": 20, "Display": "off"},
                           X, y)[:3]


SAMPLE_SEED = 42  # rand('state', 42) (MATLAB: rng(42)) on both sides before samplePatches


def _seeded_samplePatches(rawImages, patchSize, numPatches):
    """samplePatches after the seed its row sets on the engine's side: ``rand('state', 42)``
    in the Octave dialect, ``rng(42)`` in the MATLAB one (whose randi cannot follow
    ``rand('state', s)``)."""
    with mrandom.isolated():
        if mrandom.current_dialect() == "matlab":
            mrandom.rng(SAMPLE_SEED)
        else:
            mrandom.rand("state", SAMPLE_SEED)
        return common.samplePatches(rawImages, patchSize, numPatches)


def _svd_up_to_signs(A):
    """ops.svd's S, |U|, |V| and U*S*V': its singular vectors up to their signs."""
    U, S, V = ops.svd(A)
    return S, np.abs(U), np.abs(V), U @ S @ V.T


# --------------------------------------------------------------------------- the table

_UCNN = {"where": "ufldl", "subdirs": ("cnn",)}
_EX1 = {"where": "ufldl", "subdirs": ("ex1",)}
_EX1_COST = {**_EX1, "nargout": 2, "outnames": ("f", "g")}
_MLS = {"where": "ufldl", "subdirs": ("multilayer_supervised",)}
_DLT_CNN = {"where": "dlt", "subdirs": ("CNN", "util")}
_RICA = {"where": "ufldl", "subdirs": ("rica",)}
_DLT_CAE = {"where": "dlt", "subdirs": ("CAE", "util")}
_DLT_NN = {"where": "dlt", "subdirs": ("NN", "util")}
_DLT_DBN = {"where": "dlt", "subdirs": ("DBN", "NN", "util")}
_DLT_UTIL = {"where": "dlt", "subdirs": ("util",)}
_CLASSIC = {"where": "classic", "subdirs": ("common",)}

CHECKS: list[Check] = [
    # MATLAB's builtins (ufldl_py.matlab.ops) against Octave's own
    Check("conv2", ops.conv2, PROBLEMS["conv2"],
          ("A", "B", "shape")),
    Check("convn", ops.convn, PROBLEMS["convn"], ("A", "B", "shape")),
    Check("rot90", ops.rot90, PROBLEMS["rot90"],
          ("A", "k")),
    Check("flip", ops.flip, PROBLEMS["flip"],
          ("A", "dim")),
    Check("flipdim", ops.flipdim, PROBLEMS["flipdim"], ("A", "dim"),
          matlab="flip(A, dim)"),
    Check("fliplr", ops.fliplr, PROBLEMS["fliplr"], ("A",)),
    Check("flipud", ops.flipud, PROBLEMS["flipud"], ("A",)),
    Check("flipall", ops.flipall, PROBLEMS["flipall"], ("X",),
          matlab="flip(flip(flip(X, 1), 2), 3)", mfile="DeepLearnToolbox util/flipall.m"),
    Check("rot180", ops.rot180, PROBLEMS["rot180"], ("X",),
          matlab="flip(flip(X, 1), 2)", mfile="DeepLearnToolbox CNN/rot180 (in cnnbp.m)"),
    Check("kron", ops.kron, PROBLEMS["kron"], ("A", "B")),
    Check("expand", ops.expand,
          PROBLEMS["expand"], ("A", "S"),
          matlab="repelem(A, S(1), S(2), S(3))", mfile="DeepLearnToolbox util/expand.m"),
    Check("repmat", ops.repmat, PROBLEMS["repmat"],
          ("A", "reps")),
    Check("onehot", ops.onehot,
          PROBLEMS["onehot"],
          ("labels", "numClasses"),
          matlab="full(sparse(labels, 1:numel(labels), 1, numClasses, numel(labels)))",
          mfile="builtin full(sparse(...))"),
    Check("unroll", ops.unroll, PROBLEMS["unroll"], ("A",), matlab="A(:)",
          mfile="builtin A(:)"),
    Check("reshape", ops.reshape,
          PROBLEMS["reshape"], ("v", "dims")),
    Check("cov", ops.cov, PROBLEMS["cov"], ("x",)),
    Check("histc", ops.histc,
          PROBLEMS["histc"],
          ("x", "edges"), nargout=2, outnames=("n", "idx")),
    Check("chol", ops.chol,
          PROBLEMS["chol"], ("A",)),
    # the singular vectors' signs are LAPACK's (dgesvd's, as Octave's where both link the same
    # build): compared up to sign, with S and the product U*S*V'
    Check("svd", _svd_up_to_signs, PROBLEMS["svd"], ("A",), nargout=4,
          outnames=("S", "|U|", "|V|", "U*S*V'"), setup="[U_, S_, V_] = svd(A);",
          matlab="deal(S_, abs(U_), abs(V_), U_ * S_ * V_')", mfile="builtin svd"),
    # stanford_dl_ex/cnn
    Check("cnnConvolve", ucnn.cnnConvolve, PROBLEMS["cnnConvolve"],
          ("filterDim", "numFilters", "images", "W", "b"), **_UCNN),
    Check("cnnPool", ucnn.cnnPool, PROBLEMS["cnnPool"], ("poolDim", "convolvedFeatures"), **_UCNN),
    Check("cnnCost", ucnn.cnnCost, PROBLEMS["cnnCost"],
          ("theta", "images", "labels", "numClasses", "filterDim", "numFilters", "poolDim"),
          nargout=2, outnames=("cost", "grad"),
          completion="weight decay lambda = 3e-3 on Wc and Wd (the port's default)",
          variants=(("no weight decay (as the template leaves it)",
                     functools.partial(ucnn.cnnCost, lambda_=0.0)),), **_UCNN),
    Check("cnnParamsToStack", ucnn.cnnParamsToStack, PROBLEMS["cnnParamsToStack"],
          ("theta", "imageDim", "filterDim", "numFilters", "poolDim", "numClasses"),
          nargout=4, outnames=("Wc", "Wd", "bc", "bd"), **_UCNN),
    # stanford_dl_ex/ex1
    *(Check(fn.__name__, fn, PROBLEMS[fn.__name__],
            ("theta", "X", "y"), **_EX1_COST)
      for fn, labels in ((ex1.linear_regression, "real"), (ex1.linear_regression_vec, "real"),
                         (ex1.logistic_regression, "binary"),
                         (ex1.logistic_regression_vec, "binary"),
                         (ex1.softmax_regression_vec, "classes"))),
    Check("sigmoid", ex1.sigmoid, PROBLEMS["sigmoid"], ("a",),
          **_EX1),
    Check("binary_classifier_accuracy", ex1.binary_classifier_accuracy,
          PROBLEMS["binary_classifier_accuracy"], ("theta", "X", "y"), **_EX1),
    Check("multi_classifier_accuracy", ex1.multi_classifier_accuracy,
          PROBLEMS["multi_classifier_accuracy"], ("theta", "X", "y"), **_EX1),
    # stanford_dl_ex/multilayer_supervised
    Check("supervised_dnn_cost", mls.supervised_dnn_cost, PROBLEMS["supervised_dnn_cost"],
          ("theta", "ei", "data", "labels"), nargout=3,
          outnames=("cost", "grad", "pred_prob"), **_MLS),
    Check("params2stack", mls.params2stack, PROBLEMS["params2stack"],
          ("params", "ei"), **_MLS),
    Check("stack2params", mls.stack2params,
          PROBLEMS["stack2params"], ("stack",), **_MLS),
    # stanford_dl_ex/common, rica, stl
    Check("samplePatches", _seeded_samplePatches, PROBLEMS["samplePatches"],
          ("rawImages", "patchSize", "numPatches"), where="ufldl", subdirs=("common",),
          setup=f"rand('state', {SAMPLE_SEED});", matlab_setup=f"rng({SAMPLE_SEED});"),
    Check("zca2", rica.zca2, PROBLEMS["zca2"], ("x",), nargout=2, outnames=("Z", "V"), **_RICA),
    Check("preprocess", rica.preprocess, PROBLEMS["preprocess"], ("patches",), nargout=3,
          outnames=("patches", "mean_patch", "V"), **_RICA),
    Check("removeDC", rica.removeDC,
          PROBLEMS["removeDC"], ("X", "dim"),
          nargout=2, outnames=("Y", "meanX"), **_RICA),
    Check("l2rowscaled", rica.l2rowscaled, PROBLEMS["l2rowscaled"],
          ("x", "alpha"), **_RICA),
    Check("l2rowscaledg", rica.l2rowscaledg, PROBLEMS["l2rowscaledg"],
          ("x", "y", "outderv", "alpha"), **_RICA),
    Check("bsxfunwrap", lambda a, b: rica.bsxfunwrap(np.divide, a, b),
          PROBLEMS["bsxfunwrap"], ("a", "b"),
          matlab="bsxfunwrap(@rdivide, a, b)", **_RICA),
    Check("softICACost", rica.softICACost, PROBLEMS["softICACost"], ("theta", "x", "params"),
          nargout=2,
          outnames=("cost", "grad"), **_RICA),
    Check("feedfowardRICA", stl.feedfowardRICA, PROBLEMS["feedfowardRICA"],
          ("filterDim", "poolDim", "numFilters", "images", "W", "params_"), where="ufldl",
          subdirs=("stl",), setup="global params; params = params_;",
          matlab="feedfowardRICA(filterDim, poolDim, numFilters, images, W)"),
    # minFunc_2012 (shipped in stanford_dl_ex/common)
    Check("minFunc", _minFunc_linear_regression, PROBLEMS["minFunc"], ("theta", "X", "y"),
          nargout=3, outnames=("x", "f", "exitflag"), where="ufldl",
          subdirs=("ex1", "common/minFunc_2012/minFunc"),
          matlab="minFunc(@linear_regression_vec, theta, struct('MaxIter', 20, 'useMex', 0, "
                 "'Display', 'off'), X, y')",
          rtol=1e-10, mfile="common/minFunc_2012/minFunc/minFunc.m"),
    # the original UFLDL exercises (common/, sparseae_exercise/, ...)
    Check("sparseAutoencoderCost", sparseae.sparseAutoencoderCost,
          PROBLEMS["sparseAutoencoderCost"],
          ("theta", "visibleSize", "hiddenSize", "lambda", "sparsityParam", "beta", "data"),
          nargout=2, outnames=("cost", "grad"), **_CLASSIC),
    Check("sparseAutoencoderLinearCost", clinear.sparseAutoencoderLinearCost,
          PROBLEMS["sparseAutoencoderLinearCost"],
          ("theta", "visibleSize", "hiddenSize", "lambda", "sparsityParam", "beta", "data"),
          nargout=2, outnames=("cost", "grad"), where="classic",
          subdirs=("linear_decoder_exercise",)),
    Check("classic.cnnConvolve", ccnn.cnnConvolve, PROBLEMS["classic.cnnConvolve"],
          ("patchDim", "numFeatures", "images", "W", "b", "ZCAWhite", "meanPatch"),
          matlab="cnnConvolve(patchDim, numFeatures, images, W, b, ZCAWhite, meanPatch)",
          where="classic", subdirs=("cnn_exercise",), mfile="cnn_exercise/cnnConvolve.m"),
    Check("classic.cnnPool", ccnn.cnnPool, PROBLEMS["classic.cnnPool"],
          ("poolDim", "convolvedFeatures"),
          matlab="cnnPool(poolDim, convolvedFeatures)", where="classic",
          subdirs=("cnn_exercise",), mfile="cnn_exercise/cnnPool.m"),
    Check("softmaxCost", csoftmax.softmaxCost, PROBLEMS["softmaxCost"],
          ("theta", "numClasses", "inputSize", "lambda", "data", "labels"), nargout=2,
          outnames=("cost", "grad"), **_CLASSIC),
    Check("softmaxPredict", csoftmax.softmaxPredict, PROBLEMS["softmaxPredict"],
          ("softmaxModel", "data"), **_CLASSIC),
    Check("feedForwardAutoencoder", cstl.feedForwardAutoencoder, PROBLEMS["feedForwardAutoencoder"],
          ("theta", "hiddenSize", "visibleSize", "data"), **_CLASSIC),
    Check("stackedAECost", cstacked.stackedAECost, PROBLEMS["stackedAECost"],
          ("theta", "inputSize", "hiddenSize", "numClasses", "netconfig", "lambda", "data",
           "labels"), nargout=2, outnames=("cost", "grad"), where="classic",
          subdirs=("stackedae_exercise", "common")),
    Check("stackedAEPredict", cstacked.stackedAEPredict, PROBLEMS["stackedAEPredict"],
          ("theta", "inputSize", "hiddenSize", "numClasses", "netconfig", "data"),
          where="classic", subdirs=("stackedae_exercise", "common")),
    # DeepLearnToolbox/CNN
    Check("cnnff", dcnn.cnnff, PROBLEMS["cnnff"], ("net", "x"), **_DLT_CNN),
    Check("cnnbp", dcnn.cnnbp, PROBLEMS["cnnbp"], ("net", "y"), **_DLT_CNN),
    # DeepLearnToolbox/util
    Check("sigm", dutil.sigm, PROBLEMS["sigm"], ("P",),
          where="dlt", subdirs=("util",)),
    # DeepLearnToolbox/CAE
    Check("caedown", dcae.caedown, PROBLEMS["caedown"], ("cae",), **_DLT_CAE),
    Check("caebp", dcae.caebp, PROBLEMS["caebp"], ("cae", "y"), **_DLT_CAE),
    Check("caebbp", dcae.caebbp, PROBLEMS["caebbp"], ("cae",), **_DLT_CAE),
    Check("caesdlm", dcae.caesdlm, PROBLEMS["caesdlm"], ("cae", "opts", "m"), **_DLT_CAE),
    Check("caeapplygrads", dcae.caeapplygrads, PROBLEMS["caeapplygrads"], ("cae",), **_DLT_CAE),
    Check("caeup", dcae.caeup, PROBLEMS["caeup"], ("cae", "x"), **_DLT_CAE),
    Check("whiten", dutil.whiten,
          PROBLEMS["whiten"],
          ("X", "fudgefactor"), **_DLT_UTIL),
    Check("im2patches", dutil.im2patches,
          PROBLEMS["im2patches"], ("im", "m", "n"),
          **_DLT_UTIL),
    Check("visualize", dutil.visualize,
          PROBLEMS["visualize"],
          ("X",), **_DLT_UTIL),
    Check("allcomb", dutil.allcomb,
          PROBLEMS["allcomb"],
          ("a", "b", "c"), **_DLT_UTIL),
    Check("fliplrf", dutil.fliplrf, PROBLEMS["fliplrf"], ("x",), **_DLT_UTIL),
    Check("flipudf", dutil.flipudf, PROBLEMS["flipudf"], ("x",), **_DLT_UTIL),
    # DeepLearnToolbox/NN (nets without dropout: its masks are drawn inside nnff)
    Check("nnff", dnn.nnff, PROBLEMS["nnff"], ("nn", "x", "y"), **_DLT_NN),
    Check("nnbp", dnn.nnbp, PROBLEMS["nnbp"], ("nn",), **_DLT_NN),
    Check("nnapplygrads", dnn.nnapplygrads, PROBLEMS["nnapplygrads"], ("nn",), **_DLT_NN),
    Check("nnpredict", dnn.nnpredict, PROBLEMS["nnpredict"], ("nn", "x"), **_DLT_NN),
    Check("nntest", dnn.nntest, PROBLEMS["nntest"], ("nn", "x", "y"), nargout=2,
          outnames=("er", "bad"), **_DLT_NN),
    # DeepLearnToolbox/DBN
    Check("rbmup", ddbn.rbmup, PROBLEMS["rbmup"], ("rbm", "x"), **_DLT_DBN),
    Check("rbmdown", ddbn.rbmdown, PROBLEMS["rbmdown"], ("rbm", "x"), **_DLT_DBN),
    Check("dbnsetup", ddbn.dbnsetup, PROBLEMS["dbnsetup"], ("dbn", "x", "opts"), **_DLT_DBN),
    # DeepLearnToolbox/util
    Check("tanh_opt", dutil.tanh_opt, PROBLEMS["tanh_opt"], ("A",),
          **_DLT_UTIL),
    Check("softmax", dutil.softmax, PROBLEMS["softmax"], ("eta",),
          **_DLT_UTIL),
    Check("zscore", dutil.zscore, PROBLEMS["zscore"],
          ("x",), nargout=3, outnames=("x", "mu", "sigma"), **_DLT_UTIL),
    Check("normalize", dutil.normalize,
          PROBLEMS["normalize"],
          ("x", "mu", "sigma"), **_DLT_UTIL),
]

# Ported functions without a row, and why.
NOT_CHECKED = {
    "cnnInitParams": "random: its draws are compared with Octave's in tests/test_ucnn.py",
    "computeNumericalGradient": "takes a function handle; its use is tested by gradient checks",
    "minFuncSGD": "takes a function handle; seeded runs are compared with fixtures",
    "grad_check": "takes a function handle and draws random indices",
    "ex1_load_mnist": "reads data files: compared through tests/test_data.py",
    "load_preprocess_mnist": "reads data files: compared through tests/test_data.py",
    "initialize_weights": "random: compared with Octave's draws in tests/test_supervised.py",
    "polyinterp": "checked through minFunc's iterates",
    "WolfeLineSearch": "checked through minFunc's iterates",
    "ArmijoBacktrack": "checked through minFunc's iterates",
    "lbfgsAdd": "checked through minFunc's iterates",
    "lbfgsProd": "checked through minFunc's iterates",
    "isLegal": "one line: no NaN, Inf or complex entries",
    "cnnsetup": "random: compared with Octave's draws in tests/test_dlt_cnn.py",
    "cnnapplygrads": "compared with fixtures of cnntrain's steps",
    "cnntrain": "random and long: compared with fixtures of seeded runs",
    "cnntest": "compared with fixtures of a trained net",
    "cnnnumgradcheck": "a gradient check: tested on the port's own gradients",
    "showBases": "draws a figure (minFunc's outputFcn); its calls are compared with Octave's "
                 "in tests/test_unsup.py",
    "zero_mean": "a step of the script pca_gen.m (no MATLAB function): compared with the "
                 "completed script's variables in tests/test_unsup.py",
    "pca_rotate": "a step of pca_gen.m (U up to signs): compared with the completed script's "
                  "variables in tests/test_unsup.py",
    "covariance": "a step of pca_gen.m: compared with the completed script's variables",
    "num_components": "a step of pca_gen.m: compared with the completed script's k",
    "pca_reduce": "a step of pca_gen.m: compared with the completed script's xHat",
    "pca_whiten": "a step of pca_gen.m: compared with the completed script's xPCAWhite",
    "zca_whiten": "a step of pca_gen.m: compared with the completed script's xZCAWhite",
    "fix_signs": "Python only: the sign rule for eigenvectors (no MATLAB counterpart)",
    "scaesetup": "random, and needs Octave's image package (im2col): compared with Octave's "
                 "draws in tests/test_dlt_cae.py",
    "scaetrain": "random and long: compared with fixtures of seeded runs",
    "caetrain": "random and long: compared with fixtures of seeded runs",
    "caenumgradcheck": "a gradient check: tested on the port's own gradients",
    "max3d": "random (its tie-breaking noise): compared with seeded fixtures",
    "patches2im": "hard-coded to 9,120 patches of 10 x 10: compared with a fixture",
    "randp": "random: compared with Octave's draws (fixtures, live test)",
    "randcorr": "random, and Octave 7 has normcdf only in the statistics package: fixtures",
    "makeLMfilters": "needs Octave's image package (fspecial): compared with a fixture",
    "im2col": "Octave's image package: fixtures, and a live test where it is installed",
    "fspecial": "Octave's image package: fixtures, and a live test where it is installed",
    "normcdf": "Octave 7 has it only in the statistics package: tested by its properties",
    "nnsetup": "random: compared with Octave's draws in tests/test_dlt_nn.py",
    "nntrain": "random and long: compared with fixtures of seeded runs",
    "nneval": "compared with fixtures of a trained net",
    "nnchecknumgrad": "a gradient check: tested on the port's own gradients",
    "nnupdatefigures": "draws a figure (a PNG)",
    "saesetup": "random: its nnsetup draws are compared with fixtures",
    "saetrain": "random and long: compared with fixtures of seeded runs",
    "dbntrain": "random and long: compared with fixtures of seeded runs",
    "rbmtrain": "random and long: compared with fixtures of seeded runs",
    "dbnunfoldtonn": "random (nnsetup): compared with fixtures of seeded runs",
    "sigmrnd": "random: compared with Octave's draws in tests/test_dlt_nn.py",
    "rnd": "random: compared with Octave's draws in tests/test_dlt_nn.py",
    "sampleIMAGES": "random, and reads IMAGES.mat: compared with seeded Octave runs in "
                    "tests/test_classic_sparseae.py",
    "normalizeData": "a subfunction of sampleIMAGES.m (not callable from Octave): compared "
                     "through sampleIMAGES",
    "initializeParameters": "random: compared with Octave's draws in tests/test_classic_*.py",
    "checkNumericalGradient": "prints a check of computeNumericalGradient; no outputs to compare",
    "sampleIMAGESRAW": "random, and reads IMAGES_RAW.mat: compared with seeded Octave runs in "
                       "tests/test_classic_pca.py",
    "pca_2d": "ports a script (pca_2d.m): compared with fixtures of the completed script",
    "pca_gen": "ports a script (pca_gen.m): compared with fixtures of the completed script",
    "load_pcaData": "reads data/classic/pcaData.txt (load('pcaData.txt', '-ascii'))",
    "softmaxTrain": "random and iterative: compared with a seeded minFunc run's iterates in "
                    "tests/test_classic_softmax.py",
    # the original exercises' stack2params and params2stack share their names with
    # stanford_dl_ex's (the rows above check those)
    "ufldl_classic.stack2params": "a cell array of structs in, a struct out: compared with "
                                  "fixtures in tests/test_classic_stackedae.py",
    "ufldl_classic.params2stack": "returns a cell array of structs: compared with fixtures in "
                                  "tests/test_classic_stackedae.py",
    "displayColorNetwork": "draws a figure; its tiling is tested in "
                           "tests/test_classic_linear_decoder.py",
    "zca_whitening": "a step of linearDecoderExercise.m (a script): compared with fixtures of "
                     "the completed script",
    "display_network": "draws a figure (ufldl_py.plot.display_network); tested in test_plot.py",
}
