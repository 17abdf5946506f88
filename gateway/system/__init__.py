"""The schema slice that describes the service itself."""
