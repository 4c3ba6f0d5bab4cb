"""ufldl_py.plot: display_network's tiling (display_network.m) and saved PNG files."""

import numpy as np
import pytest

from ufldl_py.plot import display_network, plot_curve, savefig


def test_display_network_tiles_as_the_original(figures_dir):
    A = np.arange(1.0, 17.0).reshape(4, 4, order="F")  # four 2x2 filters
    fig, array = display_network(A)
    assert array.shape == (7, 7)
    B = A - A.mean()
    # filter k goes to tile row (k-1)//2, column (k-1)%2, unrolled column-major
    for k in range(4):
        i, j = divmod(k, 2)
        tile = array[1 + 3 * i:3 + 3 * i, 1 + 3 * j:3 + 3 * j]
        np.testing.assert_allclose(tile, B[:, k].reshape(2, 2, order="F") / np.abs(B[:, k]).max())
    assert (array[0, :] == -1).all() and (array[:, 3] == -1).all()
    path = savefig(fig, "network")
    assert path == figures_dir / "network.png" and path.read_bytes()[:4] == b"\x89PNG"


def test_display_network_layout_options():
    A = np.random.default_rng(0).standard_normal((9, 5))
    _, array = display_network(A)  # M=5: n=3 columns, m=2 rows
    assert array.shape == (1 + 2 * 4, 1 + 3 * 4)
    _, array = display_network(A, cols=5)
    assert array.shape == (5, 21)
    _, by_rows = display_network(A, opt_normalize=False)
    B = A - A.mean()
    np.testing.assert_allclose(by_rows[1:4, 5:8], B[:, 1].reshape(3, 3, order="F") / np.abs(B).max())
    _, by_cols = display_network(A, opt_colmajor=True, opt_normalize=False)
    np.testing.assert_allclose(by_cols[5:8, 1:4], B[:, 1].reshape(3, 3, order="F"))
    _, colour = display_network(A, opt_graycolor=False)
    assert colour[0, 0] == pytest.approx(-0.1)


def test_display_network_rejects_non_square_filters():
    with pytest.raises(ValueError, match="not a square number"):
        display_network(np.ones((5, 2)))


def test_plot_curve_writes_png(figures_dir):
    path = plot_curve([3.0, 2.0, 1.5], "cost", "iteration", "cost", "curve")
    assert path.exists() and path.stat().st_size > 1000


def test_headless_figures_are_files_only(figures_dir):
    import matplotlib.pyplot as plt

    from ufldl_py import plot

    assert plot.backend() == "files"
    fig, _ = display_network(np.eye(4))
    savefig(fig, "closed")
    assert fig.number not in plt.get_fignums()  # closed: nothing accumulates
    assert (figures_dir / "closed.png").is_file()


def test_show_needs_a_display(monkeypatch, capsys):
    from ufldl_py import exercise, plot

    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    p = exercise.parser("demo", "A demo.")
    with pytest.raises(SystemExit) as exc:
        p.parse_args(["--show"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("demo: error: --show needs a display") and err.count("\n") == 1
    assert plot.backend() == "files"
    assert p.parse_args([]).show is False


def test_show_opens_windows_where_there_is_a_display(monkeypatch):
    from ufldl_py import exercise, plot

    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(plot, "_show", False)
    assert exercise.parser("demo", "A demo.").parse_args(["--show"]).show
    assert plot.backend() == "window"


def test_notebook_figures_appear_inline_and_are_saved(tmp_path):
    """A notebook executed headlessly (nbclient, an IPython kernel): display_network's figure
    is an image output of its cell, and its PNG is saved."""
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import numpy as np\nfrom ufldl_py import plot\n"
        "fig, _ = plot.display_network(np.eye(9))\n"
        "print(plot.backend(), plot.savefig(fig, 'nb_network'))")]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert any("image/png" in o.get("data", {}) for o in outputs), outputs
    text = "".join(o.get("text", "") for o in outputs)
    assert text.startswith("inline ")
    assert (tmp_path / "figures" / "nb_network.png").is_file()
