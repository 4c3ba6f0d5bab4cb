"""ufldl_py.plot saves where $UFLDL_PY_FIGURES says at the time of saving (read through
ufldl_py.config)."""

from ufldl_py import config, plot


def test_figures_folder_is_read_when_a_figure_is_saved(tmp_path, monkeypatch):
    assert plot.figures_dir is config.figures_dir
    monkeypatch.setenv("UFLDL_PY_FIGURES", str(tmp_path / "first"))
    fig, _ = plot.subplots()
    monkeypatch.setenv("UFLDL_PY_FIGURES", str(tmp_path / "second"))
    assert plot.savefig(fig, "late") == tmp_path / "second" / "late.png"
    assert (tmp_path / "second" / "late.png").read_bytes()[:4] == b"\x89PNG"
    assert not (tmp_path / "first").exists()
