"""The exercises: the MATLAB scripts as Python scripts, each with ``main(argv)``, run by
``ufldl-py run NAME``. Shipped inside the wheel as the package ``ufldl_py.exercises``."""
