"""Cryptotalks shared package: shipped to every function as the Lambda layer."""
