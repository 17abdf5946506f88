from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from neo4j import AsyncDriver

from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import add_agencies, repositories
from tests.support.servers import live_gateway, settings_for_tests


@pytest.fixture(scope="session")
def gateway_url(neo4j_connection: Neo4jConnection, migrated_driver: AsyncDriver) -> Iterator[str]:
    """The gateway served over HTTP for the whole session, against the session's (migrated) Neo4j."""
    with live_gateway(settings_for_tests(), neo4j_connection) as url:
        yield url


@pytest.fixture
async def client(gateway_url: str, graph: AsyncDriver) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the gateway, with the graph wiped before the test."""
    async with httpx.AsyncClient(base_url=gateway_url, timeout=10) as http:
        yield http


@pytest.fixture
async def repos(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> Repositories:
    """Repositories on the wiped graph, with a few real agencies in the directory."""
    found = repositories(graph, neo4j_connection.database)
    await add_agencies(found)
    return found
