"""Lambda functions: API endpoints, event consumers and jobs. Each module declares itself."""
