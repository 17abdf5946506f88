"""Schema slice: cases and their teams."""
