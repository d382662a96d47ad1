"""Event plumbing tables: the outbox of every publisher and the inbox of every consumer."""
