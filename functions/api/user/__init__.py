"""api user functions."""
