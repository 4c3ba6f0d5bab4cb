"""The package as a user installs it: its exports, its package list, its command line."""

import configparser
import importlib
from fnmatch import fnmatch
import importlib.resources
from pathlib import Path

import pytest

import ufldl_py
from ufldl_py import cli, data, registry

ROOT = Path(__file__).resolve().parent.parent


def test_setup_cfg_lists_every_package_of_the_tree():
    """setup.cfg names its packages (exercises/ and data/ are mapped into the package), so a
    package added to the tree must be added there, or a wheel would miss it."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    listed = set(cfg["options"]["packages"].split())
    tree = {".".join(p.parent.relative_to(ROOT).parts)
            for p in (ROOT / "ufldl_py").rglob("__init__.py")}
    assert listed == tree | {"ufldl_py.exercises", "ufldl_py.datafiles"}


def test_package_data_names_every_shipped_data_file():
    """setup.cfg's package_data for data/ (setuptools reads a value that spans lines as one
    pattern a line) matches every data file there, so that the wheel ships them all."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg")
    patterns = cfg["options.package_data"]["ufldl_py.datafiles"].strip().splitlines()
    assert all("," not in p for p in patterns)
    shipped = [p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*")
               if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert "fashion-mnist-subset/train-images-idx3-ubyte.gz" in shipped
    for name in shipped:
        assert any(fnmatch(name, p.strip()) for p in patterns), name


def test_exercises_and_data_are_package_data():
    assert "def main" in registry.source("cnnTrain")
    assert (data.SAMPLE / "train-images-idx3-ubyte.gz").is_file()
    assert (data.STL_SUBSET / "train-images-idx3-ubyte.gz").is_file()


@pytest.mark.parametrize("package", ["ufldl_py.dlt", "ufldl_py.ufldl", "ufldl_py.matlab"])
def test_subpackages_export_their_ports(package):
    module = importlib.import_module(package)
    assert module.__all__ and len(set(module.__all__)) == len(module.__all__)
    for name in module.__all__:
        assert getattr(module, name) is not None


def test_the_readme_imports_work():
    from ufldl_py.dlt import cnnbp, cnnff  # noqa: F401
    from ufldl_py.matlab import conv2, rand  # noqa: F401
    from ufldl_py.ufldl import cnnCost  # noqa: F401


def test_version_and_unknown_commands(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"ufldl-py {ufldl_py.__version__}"
    assert cli.main(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert "unknown command 'frobnicate'" in err and "run, crosscheck, exercise, data" in err
