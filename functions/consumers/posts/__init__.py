"""consumers posts functions."""
