"""api auth functions."""
