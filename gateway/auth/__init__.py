"""Authentication: a bearer credential becomes a `Principal`, or the request is refused."""
