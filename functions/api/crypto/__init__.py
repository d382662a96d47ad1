"""api crypto functions."""
