"""stanford_dl_ex chapters, one module per chapter."""
