"""The `cryptotalks` command: the whole system on one machine, no Docker, no network."""
