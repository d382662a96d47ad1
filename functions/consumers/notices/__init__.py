"""consumers notices functions."""
