"""consumers crypto functions."""
