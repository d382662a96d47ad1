"""api moderation functions."""
