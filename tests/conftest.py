"""Fixtures shared by every tier. Neo4j starts once per session, and only for tests that ask for it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from neo4j import AsyncDriver

from gateway.repositories import Repositories
from graph.driver import Neo4jConnection, create_driver
from graph.migrator import load_migrations, migrate
from tests.support.access import add_agencies, repositories
from tests.support.graph import wipe
from tests.support.servers import connection_to, live_gateway, owned_neo4j, owned_redis, settings_for_tests


@pytest.fixture(scope="session")
def neo4j_connection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jConnection]:
    """The Neo4j at NEO4J_URI when set, else a local one started for this session."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        password = os.environ.get("NEO4J_PASSWORD")
        auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), password) if password else None
        yield Neo4jConnection(uri, auth, os.environ.get("NEO4J_DATABASE", "neo4j"))
        return
    runtime = owned_neo4j(tmp_path_factory.mktemp("neo4j"))
    runtime.start()
    try:
        yield connection_to(runtime)
    finally:
        runtime.stop()


@pytest.fixture(scope="session")
async def migrated_driver(neo4j_connection: Neo4jConnection) -> AsyncIterator[AsyncDriver]:
    driver = create_driver(neo4j_connection)
    await migrate(driver, neo4j_connection.database, load_migrations())
    yield driver
    await driver.close()


@pytest.fixture
async def graph(migrated_driver: AsyncDriver, neo4j_connection: Neo4jConnection) -> AsyncDriver:
    """The session's driver, on a graph wiped of all data (schema and migration records stay)."""
    await wipe(migrated_driver, neo4j_connection.database)
    return migrated_driver


@pytest.fixture(scope="session")
def gateway_url(neo4j_connection: Neo4jConnection, migrated_driver: AsyncDriver) -> Iterator[str]:
    """The gateway served over HTTP for the whole session, against the session's (migrated) Neo4j."""
    with live_gateway(settings_for_tests(), neo4j_connection) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """One Redis for the session, for the broker between gateways and the CLI."""
    with owned_redis() as url:
        yield url


@pytest.fixture(scope="session")
def brokered_gateway_url(
    neo4j_connection: Neo4jConnection, migrated_driver: AsyncDriver, redis_url: str
) -> Iterator[str]:
    """A gateway with the Redis broker: it caches tokens and hears revocations from every process."""
    with live_gateway(settings_for_tests(broker_url=redis_url), neo4j_connection) as url:
        yield url


@pytest.fixture
async def client(gateway_url: str, graph: AsyncDriver) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the gateway, with the graph wiped before the test."""
    # Neo4j plans a traversal the first time it meets it (0.6-2.5 s here, far more on a loaded machine); a test
    # measures answers, not time, so the client waits long enough for a first plan.
    async with httpx.AsyncClient(base_url=gateway_url, timeout=60) as http:
        yield http


@pytest.fixture
async def repos(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> Repositories:
    """Repositories on the wiped graph, with a few real agencies in the directory."""
    found = repositories(graph, neo4j_connection.database)
    await add_agencies(found)
    return found
