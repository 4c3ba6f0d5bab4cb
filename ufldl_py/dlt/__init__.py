"""DeepLearnToolbox, one module per model family."""
