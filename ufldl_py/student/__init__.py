"""Student mode: the exercises as templates with their gaps, and a checker that grades a
completion (``ufldl-py exercise list | start NAME [DIR] | check NAME [DIR]``).

- :mod:`.chapters` is the table: a :class:`~.chapters.Chapter` per exercise, a
  :class:`~.chapters.Function` per function the student writes (its readable source, the
  port it must equal, random inputs, the gaps' instructions, accepted variants, common
  mistakes, the MATLAB driver's checks).
- :mod:`.templates` writes the templates: each function's readable form with its marked
  gaps left open, the driver scripts importing the student's files, a notebook per driver
  (one cell per MATLAB section) and a README.
- :mod:`.grader` runs each student function in its own process (:mod:`.worker`) under a
  time limit and reports passed, or the largest difference, where, and the likely cause.

Adding a chapter (e.g. an original UFLDL exercise):

1. In the readable form of each function the student writes (the ``_loop`` form, or the
   port itself where it reads like the .m file), lay the code out as the MATLAB template
   is, and mark each gap of the template::

       # --- YOUR CODE HERE: softmaxCost/cost ---
       ...the completion...
       # --- END ---

   The markers are comments: the port runs as before. Code outside the gaps is what the
   template gives the student. Where the port checks its input with a private helper the
   template cannot import, put ``# template: <code>`` on the line before it: the template
   has ``<code>`` there instead (``# template:`` alone drops the line; several
   ``# template:`` lines in a row all replace the one line after them; they work inside
   the gaps too). A form named ``foo_loop`` becomes ``foo`` in the template, and so do calls
   to the chapter's other ``_loop`` forms.
2. Write a module ``chapters/NAME.py`` defining one ``Chapter(...)`` and list it in
   :data:`.chapters.CHAPTERS` (``chapters/__init__.py``): per function its source,
   reference port, ``inputs(rng, trial)`` (:data:`ufldl_py.testing.PROBLEMS` serves), output
   names, docstring, imports, the instructions of each gap id, and optionally variants,
   mistakes (a function computing the mistaken result, or ``Edited(chapter, function, old,
   new)``: an edit of the completed template; those several chapters share are factories in
   ``chapters/_common.py``), the driver's checks, ``canonical`` (where
   outputs are defined up to signs, e.g. eigenvectors) and ``matlab`` (where the gaps are
   those of a script, as pca_gen.m's steps); and the names of its driver scripts in
   exercises/ (``# STEP ...``, ``# Step 1a: ...`` or ``# %% ...`` comments in ``main`` split
   its notebook into cells; a driver that calls ``module.function`` of a port module calls
   the student's ``function`` in the template).
3. tests/test_student.py runs over every chapter of the table: the filled templates equal
   the ports, the open ones fail with a clear message, the filled ones pass ``check``.
"""

from .chapters import CHAPTERS, Chapter, Function, Mistake, get
from .grader import check_chapter, check_function
from .templates import exercise_folder, files, function_template, write_files

__all__ = ["CHAPTERS", "Chapter", "Function", "Mistake", "get", "check_chapter",
           "check_function", "exercise_folder", "files", "function_template", "write_files"]
