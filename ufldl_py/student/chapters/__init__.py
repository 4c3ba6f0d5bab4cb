"""The student-mode table: one :class:`Chapter` per exercise, one :class:`Function` per
function the student writes.

Each Function names the readable form whose marked gaps make its template (``source``), the
port the student's function must equal (``reference``), random valid inputs, the
instructions of each gap (paraphrasing the MATLAB template's), the documented alternative
completions (``variants``), the common mistakes the checker tries (``mistakes``) and the
checks the MATLAB driver runs on it (``checks``). See :mod:`ufldl_py.student` for how to add
a chapter.

One module per chapter (``cnn``, ``ex1``, ..., ``classic_pca``, named as the chapters are),
each defining its :class:`Chapter`; what several chapters share (the table's classes, the
held-out inputs' helpers, the MATLAB drivers' gradient checks, the common mistakes as
factories such as :func:`~._common.pool_mistakes`) is in ``_common``. Random inputs come
from :data:`ufldl_py.testing.PROBLEMS` where the crosscheck table has the function's problem.
"""

from __future__ import annotations

from ._common import Chapter, Edited, Function, Mistake
from .classic_cnn import CLASSIC_CNN
from .classic_pca import CLASSIC_PCA
from .classic_stl import CLASSIC_STL
from .cnn import CNN
from .ex1 import EX1
from .linear_decoder import LINEAR_DECODER
from .multilayer_supervised import DNN
from .pca import PCA
from .rica import RICA
from .softmax import SOFTMAX
from .sparseae import SPARSEAE
from .stackedae import STACKEDAE
from .stl import STL

__all__ = ["Chapter", "Function", "Mistake", "Edited", "CHAPTERS", "get"]

CHAPTERS: dict[str, Chapter] = {c.name: c for c in (CNN, EX1, DNN, PCA, RICA, STL, SPARSEAE,
                                                     SOFTMAX, STACKEDAE, CLASSIC_STL,
                                                     CLASSIC_CNN, LINEAR_DECODER, CLASSIC_PCA)}


def get(name: str) -> Chapter:
    """The chapter called ``name``.

    Parameters
    ----------
    name : str
        A key of :data:`CHAPTERS` (``ufldl-py exercise list``).

    Returns
    -------
    Chapter

    Raises
    ------
    KeyError
        When there is no such chapter (the message names the chapters).
    """
    if name not in CHAPTERS:
        raise KeyError(f"no exercise {name!r}; the exercises are {', '.join(CHAPTERS)} "
                       "(ufldl-py exercise list)")
    return CHAPTERS[name]
