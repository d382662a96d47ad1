"""api notifications functions."""
