"""The notices context: notifications in the app, by email and SMS, made from other contexts ' events."""
