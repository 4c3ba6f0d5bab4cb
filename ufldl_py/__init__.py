"""ufldl_py: the UFLDL tutorial code and DeepLearnToolbox in Python, equal to the MATLAB originals.

Subpackages
-----------
matlab
    MATLAB semantics: primitives (ops), Octave-exact random numbers (random), .mat I/O (io)
    and the Octave bridge (octave).
ufldl
    stanford_dl_ex chapters, one module per chapter.
ufldl_classic
    The original UFLDL exercises, one module per exercise.
dlt
    DeepLearnToolbox, one module per model family.
"""

__version__ = "0.1.0"
