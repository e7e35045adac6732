"""One module per schema revision, oldest first; hand-written, never edited once released."""
