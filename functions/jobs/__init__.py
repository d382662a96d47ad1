"""jobs functions."""
