"""Schema slice: the agency directory, the caller (`me`) and tokens."""
