"""How much of the driver's connection pool is in use, for the gateway's metrics.

The Python driver has no public API for this (the Java and .NET drivers have `metrics()`; the Python one
does not). The driver's own test backend reads its pool's internals, and so does this module, reading two
of them (as in the pinned driver 6.4): `driver._pool.connections` (server address → its connections, each
with `in_use`) and `driver._pool.pool_config.max_connection_pool_size`. Nothing is changed and no lock is
taken: it runs on the event loop, where no driver code runs meanwhile. If a driver release moves these,
`pool_use` answers None and the gauges go missing rather than wrong; `tests/api/test_metrics.py` notices.
"""

from __future__ import annotations

from dataclasses import dataclass

from neo4j import AsyncDriver


@dataclass(frozen=True)
class ServerConnections:
    server: str
    in_use: int
    idle: int


@dataclass(frozen=True)
class PoolUse:
    servers: tuple[ServerConnections, ...]
    most: int
    """The pool's bound per server (`max_connection_pool_size`)."""


def pool_use(driver: AsyncDriver) -> PoolUse | None:
    """The connections of each server the driver holds, in use and idle; None if the driver hides them."""
    try:
        pool = driver._pool
        most = int(pool.pool_config.max_connection_pool_size)
        servers = []
        for address, connections in list(pool.connections.items()):
            in_use = sum(1 for connection in list(connections) if connection.in_use)
            servers.append(ServerConnections(str(address), in_use, len(connections) - in_use))
    except (AttributeError, TypeError, ValueError):
        return None
    return PoolUse(tuple(sorted(servers, key=lambda server: server.server)), most)
