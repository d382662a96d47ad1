"""api functions."""
