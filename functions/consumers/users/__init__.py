"""consumers users functions."""
