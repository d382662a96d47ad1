"""The posts context: posts, comments and votes, and their full-text search (schema `posts`)."""
