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
