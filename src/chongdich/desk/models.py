"""The desk has no models of its own: its pages show core's import jobs and audit events."""
