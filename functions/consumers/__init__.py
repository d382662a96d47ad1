"""consumers functions."""
