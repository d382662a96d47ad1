"""Cryptotalks shared package: shipped to every function as the Lambda layer."""

import os

# Pydantic looks for plugins in every installed distribution's entry points when it builds its first model, a
# cost every cold start paid (9 ms CPU with the development environment's 142 distributions); none is used here.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
