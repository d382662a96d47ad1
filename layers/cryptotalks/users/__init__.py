"""The users context: accounts, their settings and the confirmation links sent to them."""
