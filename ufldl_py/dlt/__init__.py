"""DeepLearnToolbox, one module per model family."""

# CAE and util (issue 13)
from .cae import (caeapplygrads, caebbp, caebp, caedown, caenumgradcheck, caesdlm,  # noqa: F401
                  caetrain, caeup, max3d, scaesetup, scaetrain)
from .util import (allcomb, fliplrf, flipudf, im2patches, makeLMfilters,  # noqa: F401
                   patches2im, randcorr, randp, visualize, whiten)

__all__ = [
    # CAE and util (issue 13)
    "scaesetup", "scaetrain", "caetrain", "caeup", "caedown", "caebp", "caebbp", "caesdlm",
    "caeapplygrads", "caenumgradcheck", "max3d",
    "whiten", "im2patches", "patches2im", "visualize", "allcomb", "randp", "randcorr",
    "makeLMfilters", "fliplrf", "flipudf",
]
