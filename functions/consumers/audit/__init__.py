"""consumers audit functions."""
