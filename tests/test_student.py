"""Student mode: templates generated from the marked gaps, and the checker (ufldl_py.student)."""

import importlib.util
import inspect
import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from ufldl_py import cli
from ufldl_py.student import CHAPTERS, chapters, grader, templates

FUNCTIONS = [(c.name, f.name) for c in CHAPTERS.values() for f in c.functions]


def _load(path, name):
    spec = importlib.util.spec_from_file_location(f"student_{name}_{id(path)}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def _write(tmp_path, chapter, function, text):
    folder = tmp_path / chapter
    folder.mkdir(exist_ok=True)
    (folder / f"{function}.py").write_text(text)
    return folder


def _edited(tmp_path, chapter, function, old, new):
    ch = CHAPTERS[chapter]
    text = templates.function_template(ch, ch.function(function), fill=True)
    assert old in text
    return _write(tmp_path, chapter, function, text.replace(old, new))


def _check(chapter, function, folder, timeout=30.0):
    ch = CHAPTERS[chapter]
    return grader.check_function(ch, ch.function(function), folder, timeout=timeout)


@pytest.mark.parametrize("chapter,function", FUNCTIONS)
def test_gaps_and_instructions_match(chapter, function):
    fn = CHAPTERS[chapter].function(function)
    ids = templates.gap_ids(inspect.getsource(fn.source))
    assert ids and sorted(ids) == sorted(fn.gaps)
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("chapter,function", FUNCTIONS)
def test_filled_template_equals_the_port(chapter, function, tmp_path):
    ch = CHAPTERS[chapter]
    fn = ch.function(function)
    path = tmp_path / f"{function}.py"
    path.write_text(templates.function_template(ch, fn, fill=True))
    student = _load(path, function)
    for args in grader.held_out_inputs(fn, 3, seed=99):
        candidates = [fn.reference] + [v for _, v in fn.variants]
        got = student(*args)
        assert any(all(d.ok for d in grader._compare_call(fn, got, c(*args), 1e-9))
                   for c in candidates)


@pytest.mark.parametrize("chapter,function", FUNCTIONS)
def test_untouched_template_raises_at_its_first_gap(chapter, function, tmp_path):
    ch = CHAPTERS[chapter]
    fn = ch.function(function)
    text = templates.function_template(ch, fn)
    assert "YOUR CODE HERE" in text and "# --- END ---" not in text
    path = tmp_path / f"{function}.py"
    path.write_text(text)
    first = templates.gap_ids(inspect.getsource(fn.source))[0]
    with pytest.raises(NotImplementedError, match=f"YOUR CODE HERE: {first}"):
        _load(path, function)(*grader.held_out_inputs(fn, 1)[0])


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_check_passes_the_filled_templates(chapter, tmp_path):
    templates.write_files(CHAPTERS[chapter], tmp_path, fill=True)
    verdicts = grader.check_chapter(CHAPTERS[chapter], tmp_path, timeout=60)
    assert [v.name for v in verdicts] == [f.name for f in CHAPTERS[chapter].functions]
    for v in verdicts:
        assert v.passed, v.lines()
        assert v.summary.startswith("passed")
        assert all("passed" in d for d in v.details)  # the driver's checks


def test_check_fails_every_untouched_template_clearly(tmp_path, capsys):
    assert cli.main(["exercise", "start", "cnn", str(tmp_path / "cnn")]) == 0
    assert cli.main(["exercise", "check", "cnn", str(tmp_path / "cnn")]) == 1
    out = capsys.readouterr().out
    for fn in CHAPTERS["cnn"].functions:
        first = templates.gap_ids(inspect.getsource(fn.source))[0]
        assert (f"{fn.name}: FAILED: not completed: the gap {first} still raises "
                "NotImplementedError") in out
    assert "0 of 3 passed" in out


def test_cnnCost_without_weight_decay_passes_and_says_so(tmp_path):
    folder = _edited(tmp_path, "cnn", "cnnCost", "pred=False, *, lambda_=LAMBDA",
                     "pred=False, *, lambda_=0.0")
    v = _check("cnn", "cnnCost", folder)
    assert v.passed and "matched: no weight decay" in v.summary


def test_unflipped_filter_is_named(tmp_path):
    folder = _edited(tmp_path, "cnn", "cnnConvolve", "filt = W[:, :, filterNum]",
                     "filt = rot90(W[:, :, filterNum], 2)")
    v = _check("cnn", "cnnConvolve", folder)
    assert not v.passed
    assert "convolvedFeatures differs by" in v.summary and "at convolvedFeatures(" in v.summary
    assert any("likely cause: the filter is flipped once too often (or not at all): conv2(im, "
               "filt) is a convolution, which flips filt, and the feature wants the "
               "correlation" in d for d in v.details), v.lines()
    assert any("convolution check: FAILED" in d for d in v.details)


def test_zero_based_labels_are_named(tmp_path):
    folder = _edited(tmp_path, "ex1", "softmax_regression_vec", "idx = y.astype(np.intp) - 1",
                     "idx = y.astype(np.intp)")
    v = _check("ex1", "softmax_regression_vec", folder)
    assert not v.passed
    assert any("likely cause: labels taken as 0-based" in d for d in v.details)
    assert any("raised IndexError" in d and "softmax_regression_vec.py, line" in d
               for d in v.details)


def test_overlapping_pooling_regions_are_named(tmp_path):
    folder = _edited(tmp_path, "cnn", "cnnPool",
                     "rows = slice(poolRow * poolDim, (poolRow + 1) * poolDim)\n"
                     "                    cols = slice(poolCol * poolDim, (poolCol + 1) * poolDim)",
                     "rows = slice(poolRow, poolRow + poolDim)\n"
                     "                    cols = slice(poolCol, poolCol + poolDim)")
    v = _check("cnn", "cnnPool", folder)
    assert not v.passed
    assert any("likely cause: the pooling regions overlap" in d for d in v.details)
    assert any("pooling test: FAILED" in d for d in v.details)


def test_missing_mean_in_cnnCost_is_named(tmp_path):
    folder = _edited(tmp_path, "cnn", "cnnCost", "cost = (-1 / numImages *", "cost = (-1 *")
    text = (folder / "cnnCost.py").read_text().replace("(1 / numImages) * ", "")
    text = text.replace("(1 / numImages) * Wc_i", "Wc_i").replace(".sum() / numImages", ".sum()")
    (folder / "cnnCost.py").write_text(text)
    v = _check("cnn", "cnnCost", folder)
    assert not v.passed
    assert any("likely cause: a missing 1/m" in d for d in v.details), v.lines()


def test_raising_and_wrong_shape_are_reported(tmp_path):
    folder = _edited(tmp_path, "ex1", "linear_regression_vec", "g = X @ r",
                     "g = np.outer(X @ r, [1.0, 1.0])")
    v = _check("ex1", "linear_regression_vec", folder)
    assert not v.passed and "g has the wrong shape" in v.summary
    folder = _edited(tmp_path, "ex1", "logistic_regression_vec", "h = sigmoid(theta @ X)",
                     "h = sigmoid(theta @ X) + {}['oops']")
    v = _check("ex1", "logistic_regression_vec", folder)
    assert not v.passed
    assert "raised KeyError: 'oops' (logistic_regression_vec.py, line" in v.summary


def test_broken_files_never_crash_the_checker(tmp_path):
    folder = _write(tmp_path, "ex1", "linear_regression", "def linear_regression(:\n")
    v = _check("ex1", "linear_regression", folder)
    assert "could not be imported: SyntaxError" in v.summary
    _write(tmp_path, "ex1", "linear_regression",
           "import os\ndef linear_regression(theta, X, y):\n    os._exit(3)\n")
    assert "exit status 3" in _check("ex1", "linear_regression", folder).summary
    v = _check("ex1", "linear_regression_vec", folder)
    assert "linear_regression_vec.py not found" in v.summary


def test_an_endless_loop_is_stopped_by_the_time_limit(tmp_path):
    folder = _edited(tmp_path, "ex1", "linear_regression", "    m = X.shape[1]\n",
                     "    m = X.shape[1]\n    while True:\n        pass\n")
    v = _check("ex1", "linear_regression", folder, timeout=3)
    assert not v.passed and "stopped after 3 s" in v.summary


def test_start_writes_the_files_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "work"
    assert cli.main(["exercise", "start", "ex1", str(target)]) == 0
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted(templates.files(CHAPTERS["ex1"]))
    assert "linear_regression.py" in names and "ex1c_softmax.ipynb" in names
    (target / "linear_regression.py").write_text("# mine\n")
    capsys.readouterr()
    assert cli.main(["exercise", "start", "ex1", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ufldl-py: error:") and "--force" in err and err.count("\n") == 1
    assert (target / "linear_regression.py").read_text() == "# mine\n"
    assert not [p for p in target.iterdir() if p.name.endswith(".tmp")]
    assert cli.main(["exercise", "start", "ex1", str(target), "--force"]) == 0
    assert "YOUR CODE HERE" in (target / "linear_regression.py").read_text()


@pytest.mark.parametrize("argv", [["exercise"], ["exercise", "start", "nope"],
                                  ["exercise", "check", "cnn", "/nonexistent/folder"],
                                  ["exercise", "check", "cnn", "--timeout", "0"],
                                  ["exercise", "check", "cnn", ".", "--function", "nope"],
                                  ["exercise", "frobnicate"]])
def test_usage_mistakes_are_one_line_and_exit_2(argv, capsys):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("ufldl-py: error:") and err.count("\n") == 1


def test_list_names_every_chapter_and_function(capsys):
    assert cli.main(["exercise", "list"]) == 0
    out = capsys.readouterr().out
    for chapter, function in FUNCTIONS:
        assert chapter in out and function in out


@pytest.mark.parametrize("chapter", list(CHAPTERS))
def test_notebooks_are_nbformat_4(chapter):
    ch = CHAPTERS[chapter]
    for name in ch.drivers:
        nb = json.loads(templates.files(ch)[f"{name}.ipynb"])
        assert nb["nbformat"] == 4 and isinstance(nb["nbformat_minor"], int)
        assert nb["metadata"]["kernelspec"]["language"] == "python"
        assert nb["cells"][0]["cell_type"] == "markdown"
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert len(code) >= 2
        for cell in nb["cells"]:
            assert set(cell) >= {"cell_type", "metadata", "source"}
            assert isinstance(cell["source"], list) and all(isinstance(s, str)
                                                           for s in cell["source"])
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None
                compile("".join(cell["source"]), name, "exec")  # no bare return left
        text = "".join("".join(c["source"]) for c in code)
        for fn in ch.functions:
            if re.search(rf"\b{fn.name}\b", text):
                assert f"from {fn.name} import {fn.name}" in text


def test_cnn_notebooks_have_a_cell_per_matlab_section():
    nb = json.loads(templates.files(CHAPTERS["cnn"])["cnnTrain.ipynb"])
    headings = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"][1:]
    assert [h.split(":")[0] for h in headings] == ["## STEP 0", "## STEP 2", "## STEP 3",
                                                   "## STEP 4"]


def test_driver_runs_with_the_students_functions(tmp_path, monkeypatch, capsys):
    templates.write_files(CHAPTERS["cnn"], tmp_path, fill=True)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("cnnConvolve", "cnnPool", "cnnExercise"):
        sys.modules.pop(name, None)
    main = _load(tmp_path / "cnnExercise.py", "main")
    assert main([]) == 0
    assert "Your pooling code passed the test" in capsys.readouterr().out
    assert sys.modules["cnnConvolve"].__file__ == str(tmp_path / "cnnConvolve.py")


def test_mistakes_differ_from_the_port():
    """Each mistake of the table computes something other than the port (else it would name
    a cause for a correct function)."""
    for ch in CHAPTERS.values():
        for fn in ch.functions:
            inputs = grader.held_out_inputs(fn)
            for mistake in fn.mistakes:
                differs = False
                for args in inputs:
                    try:
                        got = mistake.fn(*args)
                    except IndexError:
                        continue
                    ref = fn.reference(*args)
                    differs |= not all(d.ok for d in grader._compare_call(fn, got, ref, 1e-9))
                assert differs, (fn.name, mistake.cause)


def test_index_is_matlabs():
    assert grader._index((3, 4), 5) == "(2,2)"
    assert grader._index((5,), 2) == "(3)"
    assert grader._index((), 0) == ""
    d = grader.difference(np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[1.0, 2.0], [3.0, 4.0]]),
                          "A")
    assert not d.ok and "at A(2,2)" in d.text
    assert chapters.get("cnn").function("cnnPool").name == "cnnPool"


def test_eigenvector_signs_are_free(tmp_path):
    """pca_rotate's U (and xRot's rows) are compared up to each eigenvector's sign:
    numpy's svd with every column negated passes, and pca_gen's Step 1b check with it."""
    folder = _edited(tmp_path, "pca", "pca_rotate",
                     'U, s, _ = scipy.linalg.svd(sigma, lapack_driver="gesvd")',
                     "U, s, _ = np.linalg.svd(sigma)\n    U = -U")
    v = _check("pca", "pca_rotate", folder)
    assert v.passed, v.lines()
    assert any("Step 1b" in d and "passed" in d for d in v.details)


@pytest.mark.parametrize("chapter,function", [("pca", "zero_mean"), ("rica", "zca2")])
def test_mean_over_the_wrong_axis_is_named(chapter, function, tmp_path):
    folder = _edited(tmp_path, chapter, function, "x = x - x.mean(axis=0)",
                     "x = x - x.mean(axis=1, keepdims=True)")
    v = _check(chapter, function, folder)
    assert not v.passed
    assert any("likely cause: the mean over the wrong axis" in d for d in v.details), v.lines()


def test_softICACost_mistakes_are_named(tmp_path):
    folder = _edited(tmp_path, "rica", "softICACost", "    m = x.shape[1]\n", "    m = 1\n")
    v = _check("rica", "softICACost", folder)
    assert not v.passed
    assert any("likely cause: a missing 1/m" in d for d in v.details), v.lines()
    assert any("gradient check" in d and "passed" in d for d in v.details)
    text = templates.function_template(CHAPTERS["rica"], CHAPTERS["rica"].function(
        "softICACost"), fill=True)
    gap, end = text.index("# YOUR CODE HERE"), text.index("# unproject gradient")
    text = text[:gap] + re.sub(r"\bW\b", "Wold", text[gap:end]) + text[end:]  # the raw weights
    folder = _write(tmp_path, "rica", "softICACost", text)
    v = _check("rica", "softICACost", folder)
    assert not v.passed
    assert any("likely cause: W not normalised by l2rowscaled" in d for d in v.details), \
        v.lines()
    assert any("gradient check" in d and "FAILED" in d for d in v.details)


@pytest.mark.parametrize("old,new,cause", [
    ("+ epsilon)", ")", "square-root pooling without epsilon"),
    ("filt = W[:, :, filterNum]", "filt = rot90(W[:, :, filterNum], 2)",
     "the filter is not flipped")])
def test_feedfowardRICA_mistakes_are_named(old, new, cause, tmp_path):
    folder = _edited(tmp_path, "stl", "feedfowardRICA", old, new)
    v = _check("stl", "feedfowardRICA", folder)
    assert not v.passed and "features differs by" in v.summary
    assert any(f"likely cause: {cause}" in d for d in v.details), v.lines()


def test_pca_gen_driver_calls_the_students_steps():
    """pca_gen calls ``pca.zero_mean(x)`` etc. through the port module: the student's driver
    calls the student's functions, and keeps the module for its constants."""
    text = templates.files(CHAPTERS["pca"])["pca_gen.py"]
    for fn in CHAPTERS["pca"].functions:
        assert f"pca.{fn.name}(" not in text
        assert f"from {fn.name} import {fn.name}" in text
    assert "x = zero_mean(x)" in text and "pca.RETAIN" in text
    nb = json.loads(templates.files(CHAPTERS["pca"])["pca_gen.ipynb"])
    headings = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"][1:]
    assert [h.split(":")[0] for h in headings][:3] == ["## Step 0a", "## Step 0b", "## Step 1a"]


@pytest.mark.parametrize("edits,cause", [
    ([("delta2 = (W2.T @ delta3 + beta * sparsity_delta)", "delta2 = (W2.T @ delta3)"),
      (" + beta * kl", "")], "the KL sparsity term missing"),
    ([(" + lambda_ / 2 * (np.sum(W1 ** 2) + np.sum(W2 ** 2))", ""),
      ("W1grad / m + lambda_ * W1", "W1grad / m"), ("W2grad / m + lambda_ * W2", "W2grad / m")],
     "the weight decay missing"),
    ([("cost = cost / m +", "cost = cost +"), ("W1grad = W1grad / m +", "W1grad = W1grad +"),
      ("W2grad = W2grad / m +", "W2grad = W2grad +"), ("b1grad = b1grad / m", "b1grad = b1grad"),
      ("b2grad = b2grad / m", "b2grad = b2grad")], "a missing 1/m")])
def test_sparseAutoencoderCost_mistakes_are_named(edits, cause, tmp_path):
    ch = CHAPTERS["sparseae"]
    text = templates.function_template(ch, ch.function("sparseAutoencoderCost"), fill=True)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    folder = _write(tmp_path, "sparseae", "sparseAutoencoderCost", text)
    v = _check("sparseae", "sparseAutoencoderCost", folder)
    assert not v.passed
    assert any(f"likely cause: {cause}" in d for d in v.details), v.lines()


def test_numerical_gradient_over_epsilon_is_named(tmp_path):
    folder = _edited(tmp_path, "sparseae", "computeNumericalGradient",
                     "numgrad[i] = (pos - neg) / (2 * EPSILON)",
                     "numgrad[i] = (pos - neg) / EPSILON")
    v = _check("sparseae", "computeNumericalGradient", folder)
    assert not v.passed
    assert any("likely cause: the central difference divided by EPSILON" in d
               for d in v.details), v.lines()
    assert any("checkNumericalGradient: FAILED" in d for d in v.details)


@pytest.mark.parametrize("function,edits,cause", [
    ("softmaxCost", [("groundTruth[labels - 1, np.arange", "groundTruth[labels, np.arange")],
     "labels taken as 0-based"),
    ("softmaxCost", [("    cost += lambda_ / 2 * np.sum(theta * theta)\n", ""),
                     (" + lambda_ * theta", "")], "the weight decay missing"),
    ("softmaxCost", [("np.log(M)) / numCases", "np.log(M))"),
                     ("(M @ data.T) / numCases", "(M @ data.T)")], "a missing 1/m"),
    ("softmaxPredict", [("argmax(axis=0) + 1.0", "argmax(axis=0)")], "labels taken as 0-based")])
def test_softmax_mistakes_are_named(function, edits, cause, tmp_path):
    ch = CHAPTERS["softmax"]
    text = templates.function_template(ch, ch.function(function), fill=True)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    folder = _write(tmp_path, "softmax", function, text)
    v = _check("softmax", function, folder)
    assert not v.passed
    assert any(f"likely cause: {cause}" in d for d in v.details), v.lines()


@pytest.mark.parametrize("function,edits,cause", [
    ("stackedAECost", [("groundTruth[labels - 1, np.arange", "groundTruth[labels, np.arange")],
     "labels taken as 0-based"),
    ("stackedAECost", [("    cost += lambda_ / 2 * float(np.sum(softmaxTheta * softmaxTheta))\n",
                        ""), (" + lambda_ * softmaxTheta", "")], "the weight decay missing"),
    ("stackedAECost", [("np.log(P)) / m", "np.log(P))"), ("(P @ top.T) / m", "(P @ top.T)"),
                       ('"w": (delta @ a[l].T) / m, "b": delta.sum(axis=1) / m',
                        '"w": delta @ a[l].T, "b": delta.sum(axis=1)')], "a missing 1/m"),
    ("stackedAEPredict", [("argmax(axis=0) + 1.0", "argmax(axis=0)")],
     "labels taken as 0-based")])
def test_stackedae_mistakes_are_named(function, edits, cause, tmp_path):
    ch = CHAPTERS["stackedae"]
    text = templates.function_template(ch, ch.function(function), fill=True)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    folder = _write(tmp_path, "stackedae", function, text)
    v = _check("stackedae", function, folder)
    assert not v.passed
    assert any(f"likely cause: {cause}" in d for d in v.details), v.lines()
    if function == "stackedAECost" and cause != "labels taken as 0-based":
        assert any("checkStackedAECost" in d and "passed" in d for d in v.details), v.lines()


@pytest.mark.parametrize("old,new,cause", [
    ("sigmoid(z + b1[:, None])", "sigmoid(z)", "the bias missing"),
    ('reshape(hiddenSize, visibleSize, order="F")', "reshape(hiddenSize, visibleSize)",
     "W1 transposed")])
def test_classic_stl_mistakes_are_named(old, new, cause, tmp_path):
    folder = _edited(tmp_path, "classic_stl", "feedForwardAutoencoder", old, new)
    v = _check("classic_stl", "feedForwardAutoencoder", folder)
    assert not v.passed and "activation differs by" in v.summary
    assert any(f"likely cause: {cause}" in d for d in v.details), v.lines()


@pytest.mark.parametrize("function,edits,cause,check", [
    ("cnnConvolve", [("feature = WT[featureNum,", "feature = np.flipud(np.fliplr(WT[featureNum,"),
                     ('order="F")', 'order="F")))')],
     "the filter is not flipped", "convolution check: FAILED"),
    ("cnnConvolve", [("WT = W @ ZCAWhite", "WT = W"), ("bt = b - WT @ meanPatch", "bt = b")],
     "neither the ZCA whitening nor the mean patch applied", "convolution check: FAILED"),
    ("cnnConvolve", [("bt = b - WT @ meanPatch", "bt = b")],
     "the mean patch not subtracted", "convolution check: FAILED"),
    ("cnnPool", [("rowStart = poolRow * poolDim", "rowStart = poolRow"),
                 ("colStart = poolCol * poolDim", "colStart = poolCol")],
     "the pooling regions overlap", "pooling test: FAILED")])
def test_classic_cnn_mistakes_are_named(function, edits, cause, check, tmp_path):
    ch = CHAPTERS["classic_cnn"]
    text = templates.function_template(ch, ch.function(function), fill=True)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    folder = _write(tmp_path, "classic_cnn", function, text)
    v = _check("classic_cnn", function, folder)
    assert not v.passed
    assert any(f"likely cause: {cause}" in d for d in v.details), v.lines()
    assert any(check in d for d in v.details), v.lines()


@pytest.mark.parametrize("edits,cause", [
    ([("a3 = W2 @ a2 + b2", "a3 = f(W2 @ a2 + b2)"),
      ("delta3 = -(x - a3)", "delta3 = -(x - a3) * a3 * (1 - a3)")], "the sigmoid output kept"),
    ([("delta2 = (W2.T @ delta3 + beta * sparsity_delta)", "delta2 = (W2.T @ delta3)"),
      (" + beta * kl", "")], "the KL sparsity term missing"),
    ([("cost = cost / m +", "cost = cost +"), ("W1grad = W1grad / m +", "W1grad = W1grad +"),
      ("W2grad = W2grad / m +", "W2grad = W2grad +"), ("b1grad = b1grad / m", "b1grad = b1grad"),
      ("b2grad = b2grad / m", "b2grad = b2grad")], "a missing 1/m")])
def test_sparseAutoencoderLinearCost_mistakes_are_named(edits, cause, tmp_path):
    ch = CHAPTERS["linear_decoder"]
    text = templates.function_template(ch, ch.function("sparseAutoencoderLinearCost"), fill=True)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    folder = _write(tmp_path, "linear_decoder", "sparseAutoencoderLinearCost", text)
    v = _check("linear_decoder", "sparseAutoencoderLinearCost", folder)
    assert not v.passed
    assert any(f"likely cause: {cause}" in d for d in v.details), v.lines()


@pytest.mark.parametrize("function,old,new", [
    ("pca_2d", "u, S, _ = ops.svd(sigma)", "u, S, _ = np.linalg.svd(sigma)\n    u = -u\n"
                                           "    S = np.diag(S)"),
    ("pca_gen", "U, S, _ = ops.svd(sigma)", "U, S, _ = np.linalg.svd(sigma)\n    U = -U\n"
                                            "    S = np.diag(S)")])
def test_classic_pca_eigenvector_signs_are_free(function, old, new, tmp_path):
    folder = _edited(tmp_path, "classic_pca", function, old, new)
    v = _check("classic_pca", function, folder)
    assert v.passed, v.lines()
    assert all("passed" in d for d in v.details)


@pytest.mark.parametrize("function,edits,cause", [
    ("pca_gen", [("avg = x.mean(axis=0)\n    x = x - avg",
                  "avg = x.mean(axis=1)\n    x = x - avg[:, None]")],
     "the mean over the wrong axis"),
    ("pca_gen", [("xZCAWhite = U @ np.diag", "xZCAWhite = np.diag")],
     "ZCA whitening without the rotation back"),
    ("pca_2d", [("sigma = x @ x.T / m", "sigma = x @ x.T")], "sigma not divided by m")])
def test_classic_pca_mistakes_are_named(function, edits, cause, tmp_path):
    ch = CHAPTERS["classic_pca"]
    text = templates.function_template(ch, ch.function(function), fill=True)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    folder = _write(tmp_path, "classic_pca", function, text)
    v = _check("classic_pca", function, folder)
    assert not v.passed
    assert any(f"likely cause: {cause}" in d for d in v.details), v.lines()


@pytest.mark.parametrize("chapter, shape", [("cnn", (6, 6, 1, 1)), ("classic_cnn", (1, 1, 6, 6))])
def test_both_cnnPools_share_the_pooling_mistakes(chapter, shape):
    """stanford_dl_ex's (r, c, k, n) and the original exercise's (k, n, r, c) layouts: the
    same three mistakes, each computing what its cause says on a 6 x 6 map with poolDim 3."""
    x = np.arange(1.0, 37.0).reshape(6, 6, order="F")
    blocks = [[x[r:r + 3, c:c + 3] for c in (0, 3)] for r in (0, 3)]
    expected = {
        "the pooling regions overlap": [[x[r:r + 3, c:c + 3].mean() for c in (0, 1)]
                                        for r in (0, 1)],
        "max pooling": [[b.max() for b in row] for row in blocks],
        "each region's sum": [[b.sum() for b in row] for row in blocks],
    }
    mistakes = CHAPTERS[chapter].function("cnnPool").mistakes
    assert len(mistakes) == 3
    for mistake, (cause, want) in zip(mistakes, expected.items()):
        assert mistake.cause.startswith(cause)
        got = np.asarray(mistake.fn(3, x.reshape(shape, order="F")))
        assert got.shape == ((2, 2, 1, 1) if chapter == "cnn" else (1, 1, 2, 2))
        np.testing.assert_array_equal(got.reshape(2, 2), want)


def test_check_inside_the_exercise_folder_finds_it(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "cnn"
    templates.write_files(CHAPTERS["cnn"], folder, fill=True)
    monkeypatch.chdir(folder)
    assert cli.main(["exercise", "check", "cnn", "--function", "cnnPool"]) == 0
    out = capsys.readouterr().out
    assert "checking cnn in ." in out and "cnnPool: passed" in out
    monkeypatch.chdir(tmp_path)  # beside it: ./cnn
    assert templates.exercise_folder(CHAPTERS["cnn"]) == Path("cnn")
    monkeypatch.chdir(tmp_path.parent)  # elsewhere: still ./cnn, which is missing
    assert cli.main(["exercise", "check", "cnn"]) == 2
    assert "no folder cnn" in capsys.readouterr().err


def test_force_keeps_the_students_work_in_a_backup(tmp_path, capsys):
    target = tmp_path / "work"
    assert cli.main(["exercise", "start", "ex1", str(target)]) == 0
    (target / "linear_regression.py").write_text("# mine\n")
    capsys.readouterr()
    assert cli.main(["exercise", "start", "ex1", str(target), "--force"]) == 0
    out = capsys.readouterr().out
    backups = [p for p in target.iterdir() if p.name.startswith("backup-")]
    assert len(backups) == 1 and f"moved into {backups[0]}: linear_regression.py" in out
    assert [p.name for p in backups[0].iterdir()] == ["linear_regression.py"]  # only changed
    assert (backups[0] / "linear_regression.py").read_text() == "# mine\n"
    assert "YOUR CODE HERE" in (target / "linear_regression.py").read_text()
    assert cli.main(["exercise", "start", "ex1", str(target), "--force"]) == 0
    assert len([p for p in target.iterdir() if p.name.startswith("backup-")]) == 1


def _with_own(folder):
    """cnnCost.py importing the student's own cnnConvolve and cnnPool."""
    path = folder / "cnnCost.py"
    text = path.read_text()
    old = "from ufldl_py.ufldl.cnn import cnnConvolve, cnnPool"
    assert old in text
    path.write_text(text.replace(old, "from cnnConvolve import cnnConvolve\n"
                                      "from cnnPool import cnnPool"))


def test_cnnCost_failure_is_put_down_to_the_students_cnnPool(tmp_path):
    templates.write_files(CHAPTERS["cnn"], tmp_path, fill=True)
    _with_own(tmp_path)
    pool = tmp_path / "cnnPool.py"
    text = pool.read_text()
    assert "region.mean()" in text
    pool.write_text(text.replace("region.mean()", "region.max()"))
    assert grader.uses(CHAPTERS["cnn"], CHAPTERS["cnn"].function("cnnCost"), tmp_path) == [
        "cnnConvolve", "cnnPool"]
    v = grader.check_chapter(CHAPTERS["cnn"], tmp_path, timeout=60)
    by = {x.name: x for x in v}
    assert by["cnnConvolve"].passed and not by["cnnPool"].passed
    assert not by["cnnCost"].passed
    assert by["cnnCost"].details[0] == ("likely cause: it uses your cnnPool, which FAILED "
                                        "(fix it first)")
    alone = grader.check_chapter(CHAPTERS["cnn"], tmp_path, timeout=60, names=["cnnCost"])
    assert [v.name for v in alone] == ["cnnCost"]
    assert alone[0].details[0] == by["cnnCost"].details[0]


def test_a_hang_costs_one_time_limit_not_one_per_dependent(tmp_path):
    templates.write_files(CHAPTERS["cnn"], tmp_path, fill=True)
    _with_own(tmp_path)
    conv = tmp_path / "cnnConvolve.py"
    text = conv.read_text()
    conv.write_text(text.replace("    numImages = ", "    while True:\n        pass\n"
                                 "    numImages = ", 1))
    v = grader.check_chapter(CHAPTERS["cnn"], tmp_path, timeout=3,
                             names=["cnnConvolve", "cnnCost"])
    assert v[0].timed_out and "stopped after 3 s" in v[0].summary
    assert v[1].summary == ("FAILED: not run: it uses your cnnConvolve, which was stopped by "
                            "the time limit (fix cnnConvolve first)")


def test_weight_decay_in_the_cost_only_names_the_gradient(tmp_path):
    """Decay in the cost but not in the gradient: the completion is chosen on both outputs
    (the gradient is what differs from the decay completion) and the split is said."""
    ch = CHAPTERS["cnn"]
    text = templates.function_template(ch, ch.function("cnnCost"), fill=True)
    for old in (" + lambda_ * Wd\n", " + lambda_ * Wc[:, :, i]\n"):
        assert old in text
        text = text.replace(old, "\n")
    folder = _write(tmp_path, "cnn", "cnnCost", text)
    v = _check("cnn", "cnnCost", folder)
    assert not v.passed and v.summary.startswith("FAILED: grad differs by"), v.lines()
    assert ("    the outputs match different completions: cost matches weight decay lambda = "
            "3e-3 on Wc and Wd (the port's default); grad matches no weight decay (as the "
            "template leaves it) (make them agree)") in v.lines()


@pytest.mark.parametrize("chapter,function,edits,cause", [
    ("cnn", "cnnCost", [("cost = (-1 / numImages * groundTruth", "cost = (-1 * groundTruth")],
     "the cost's 1/m missing: the cross entropy summed over the images, where the gradient "
     "averages"),
    ("cnn", "cnnCost", [("np.sum(Wd ** 2) + np.sum(Wc ** 2))",
                         "np.sum(Wd ** 2) + np.sum(Wc ** 2) + np.sum(bc ** 2) + np.sum(bd ** 2))"),
                        ("bd_grad = (1 / numImages) * delta_d.sum(axis=1)",
                         "bd_grad = (1 / numImages) * delta_d.sum(axis=1) + lambda_ * bd"),
                        ("bc_grad[i] = delta_c[:, :, i, :].sum() / numImages",
                         "bc_grad[i] = delta_c[:, :, i, :].sum() / numImages + lambda_ * bc[i]")],
     "weight decay on the biases"),
    ("cnn", "cnnCost", [("groundTruth = onehot(labels, numClasses)",
                         "groundTruth = np.zeros((numClasses, numImages))\n"
                         "    groundTruth[labels.astype(int) % numClasses, "
                         "np.arange(numImages)] = 1")],
     "labels wrapped with % numClasses as 0-based indices"),
    ("sparseae", "sparseAutoencoderCost", [("cost = cost / m +", "cost = cost +")],
     "the cost's 1/m missing: the squared error summed over the examples where the gradient "
     "averages"),
    ("sparseae", "sparseAutoencoderCost",
     [("np.sum(W2 ** 2)) + beta * kl", "np.sum(W2 ** 2) + np.sum(b1 ** 2) + np.sum(b2 ** 2)) "
                                       "+ beta * kl"),
      ("b1grad = b1grad / m", "b1grad = b1grad / m + lambda_ * b1"),
      ("b2grad = b2grad / m", "b2grad = b2grad / m + lambda_ * b2")],
     "weight decay on the biases"),
    ("sparseae", "sparseAutoencoderCost",
     [("delta2 = (W2.T @ delta3 + beta * sparsity_delta)", "delta2 = (W2.T @ delta3)")],
     "the sparsity term missing from the gradient"),
    ("ex1", "softmax_regression_vec", [("idx = y.astype(np.intp) - 1",
                                        "idx = y.astype(np.intp) % num_classes")],
     "labels wrapped with % numClasses as 0-based indices"),
])
def test_second_pass_mistakes_are_named(chapter, function, edits, cause, tmp_path):
    ch = CHAPTERS[chapter]
    text = templates.function_template(ch, ch.function(function), fill=True)
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    folder = _write(tmp_path, chapter, function, text)
    v = _check(chapter, function, folder)
    assert not v.passed
    assert any(d.startswith(f"likely cause: {cause}") for d in v.details), v.lines()


def test_causes_name_only_what_the_templates_show():
    """A cause names the template's variables, not the port's (delta_s is the port's)."""
    for ch in CHAPTERS.values():
        for fn in ch.functions:
            template = templates.function_template(ch, fn)
            for m in fn.mistakes:
                for name in re.findall(r"\b[A-Za-z]+_[a-z]\w*\b", m.cause):
                    assert name in template, (fn.name, name, m.cause)


def test_parameter_names_the_unrolled_position():
    layout = [("Wc", (3, 3, 2)), ("Wd", (4, 8)), ("bc", (2,)), ("bd", (4,))]
    assert grader.parameter(layout, 0) == "Wc(1,1,1)"
    assert grader.parameter(layout, 1) == "Wc(2,1,1)"  # column-major
    assert grader.parameter(layout, 3 + 9) == "Wc(1,2,2)"
    assert grader.parameter(layout, 18 + 32 + 2 + 3) == "bd(4)"
    assert grader.parameter(layout, 18 + 32 + 2 + 4) == ""


def test_failures_name_the_parameter_the_sizes_and_save_the_input(tmp_path, capsys):
    """bd's gradient without its 1/m: the report says grad(k) is bd(i), shows the failing
    input's sizes and, with --save-failing, writes it to load and call again."""
    folder = _edited(tmp_path, "cnn", "cnnCost", "bd_grad = (1 / numImages) * delta_d.sum(axis=1)",
                     "bd_grad = delta_d.sum(axis=1)")
    assert cli.main(["exercise", "check", "cnn", str(folder), "--function", "cnnCost",
                     "--save-failing"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"at grad\(\d+\) \(the gradient of bd\(\d\)\)", out), out
    assert re.search(r"gradient check: FAILED \(Difference too large: .* \(largest at "
                     r"grad\(\d+\), the gradient of \w+\(", out), out
    m = re.search(r"held-out input (\d): theta (\d+) x 1, images (\d+) x (\d+) x (\d+), "
                  r"labels \d+ x 1, numClasses = (\d+), filterDim = \d+, numFilters = \d+, "
                  r"poolDim = \d+", out)
    assert m, out
    t = int(m.group(1))
    assert "saved it in failing_cnnCost.npz: d = np.load('failing_cnnCost.npz'); " \
           "cnnCost(d['theta'], d['images'], d['labels'], d['numClasses']" in out
    d = np.load(folder / "failing_cnnCost.npz")
    args = grader.held_out_inputs(CHAPTERS["cnn"].function("cnnCost"))[t - 1]
    np.testing.assert_array_equal(d["theta"], args[0])
    np.testing.assert_array_equal(d["images"], args[1])
    assert d["images"].shape == tuple(int(m.group(i)) for i in (3, 4, 5))
    mine = _load(folder / "cnnCost.py", "cnnCost")
    cost, grad = mine(*[d[k] for k in d.files])
    assert np.isfinite(cost) and grad.shape == d["theta"].shape


def test_the_checkers_own_failure_on_a_used_function_is_a_verdict(tmp_path, monkeypatch):
    """A function named with --function that fails has the functions it uses graded too; a
    failure of the checker itself there is that function's failed verdict, not a crash."""
    templates.write_files(CHAPTERS["cnn"], tmp_path, fill=True)
    _with_own(tmp_path)
    cost = tmp_path / "cnnCost.py"
    cost.write_text(cost.read_text().replace("return cost, grad", "return cost, 2 * grad"))
    real = grader.check_function

    def check_function(chapter, fn, *args, **kwargs):
        if fn.name == "cnnPool":
            raise RuntimeError("checker bug")
        return real(chapter, fn, *args, **kwargs)

    monkeypatch.setattr(grader, "check_function", check_function)
    v = grader.check_chapter(CHAPTERS["cnn"], tmp_path, timeout=60, names=["cnnCost"])
    assert [x.name for x in v] == ["cnnCost"] and not v[0].passed
    assert v[0].details[0] == ("likely cause: it uses your cnnPool, which FAILED (fix it "
                               "first)")
