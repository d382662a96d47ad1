"""api posts functions."""
