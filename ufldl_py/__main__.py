"""``python -m ufldl_py`` is ``ufldl-py``."""

import sys

from .cli import main

sys.exit(main())
