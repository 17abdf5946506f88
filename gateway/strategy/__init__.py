"""Schema slice: the National Strategy."""
