from __future__ import annotations

import httpx
from neo4j import AsyncDriver

from graph.driver import Neo4jConnection
from tests.support.servers import live_gateway, settings_for_tests

BROWSER = {"Accept": "text/html"}


async def test_graphiql_is_not_served_outside_development(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers=BROWSER)
    assert response.status_code == 404
    assert "graphiql" not in response.text.lower()


async def test_graphiql_is_served_in_development(neo4j_connection: Neo4jConnection, graph: AsyncDriver) -> None:
    with live_gateway(settings_for_tests(environment="development"), neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            response = await http.get("/graphql", headers=BROWSER)
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
