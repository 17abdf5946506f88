from __future__ import annotations

import httpx
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import gql, token_for
from tests.support.graph import query
from tests.support.servers import live_gateway, settings_for_tests


async def test_five_failures_within_the_window_are_answered_429(
    repos: Repositories, neo4j_connection: Neo4jConnection, graph: AsyncDriver
) -> None:
    good = await token_for(repos, "WASPD0000", Role.ANALYST)
    settings = settings_for_tests(auth_failure_limit=5, auth_failure_window_seconds=900, auth_block_seconds=900)
    with live_gateway(settings, neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url) as http:
            statuses = [(await gql(http, "{ me { subject } }", token=f"sett_{'x' * 43}"))["status"] for _ in range(5)]
            blocked = await gql(http, "{ me { subject } }", token=good)
    assert statuses == [401] * 5
    assert blocked["status"] == 429
    assert blocked["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    failures = await query(graph, "neo4j", "MATCH (e:AuditEntry {kind: 'auth.failure'}) RETURN count(e) AS n")
    assert failures[0]["n"] == 5
