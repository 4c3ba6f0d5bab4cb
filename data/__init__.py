"""The small real data shipped with ufldl_py (see README.md here for provenance). Shipped
inside the wheel as the package ``ufldl_py.datafiles``."""
