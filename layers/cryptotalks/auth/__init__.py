"""The auth context: sessions, token rotation and the authorizer's check."""
