"""The National Strategy: goals, objectives, indicators, measurements, resources, state laws, progress."""
