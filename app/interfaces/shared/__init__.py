"""What every front door shares: app state, the request context (keys, limits, answer log),
the feedback service, auth, and the error type they raise."""
