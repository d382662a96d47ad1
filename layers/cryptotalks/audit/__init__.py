"""The audit context: the action log (`log_*_action` events)."""
