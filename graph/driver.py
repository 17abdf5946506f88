"""Creating the one Neo4j driver a process uses, and the cheap checks run against it."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from neo4j import AsyncDriver, AsyncGraphDatabase, NotificationMinimumSeverity
from neo4j.exceptions import ConnectionAcquisitionTimeoutError, DatabaseUnavailable, ServiceUnavailable, SessionExpired

COMPONENTS = "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition"


@dataclass(frozen=True)
class Neo4jConnection:
    uri: str
    auth: tuple[str, str] | None
    database: str = "neo4j"
    timeout_seconds: float = 3.0
    retry_seconds: float = 15.0
    """How long the driver retries a transaction that meets a transient failure or a lost server."""


UNAVAILABLE = (ServiceUnavailable, SessionExpired, ConnectionAcquisitionTimeoutError, DatabaseUnavailable)
"""What the driver raises when Neo4j cannot serve now (down, restarting, or every connection busy), as
opposed to a query that failed: the caller may try again later."""


@dataclass(frozen=True)
class ServerInfo:
    name: str
    version: str
    edition: str


def create_driver(connection: Neo4jConnection) -> AsyncDriver:
    return AsyncGraphDatabase.driver(
        connection.uri,
        auth=connection.auth,
        connection_timeout=connection.timeout_seconds,
        connection_acquisition_timeout=connection.timeout_seconds,
        max_transaction_retry_time=connection.retry_seconds,
        user_agent="sett",
        notifications_min_severity=NotificationMinimumSeverity.OFF,
    )


async def server_info(driver: AsyncDriver, connection: Neo4jConnection) -> ServerInfo:
    """Name, version and edition of the server; raises if it does not answer within the timeout."""
    async with asyncio.timeout(connection.timeout_seconds):
        async with driver.session(database=connection.database) as session:
            record = await (await session.run(COMPONENTS)).single(strict=True)
    return ServerInfo(name=record["name"], version=record["version"], edition=record["edition"])


async def settle_plans(driver: AsyncDriver, database: str, timeout_seconds: int = 300) -> None:
    """Resamples every index, waits for it, and empties the plan cache.

    For after a bulk load: plans made from then on rest on the new statistics, instead of being made on the
    old ones and replanned once Neo4j notices the drift, which costs one unlucky request 1 to 3 s per query.
    """
    async with driver.session(database=database) as session:
        await (await session.run("CALL db.prepareForReplanning($seconds)", seconds=timeout_seconds)).consume()
