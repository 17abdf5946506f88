from __future__ import annotations

from pathlib import Path

import httpx
from neo4j import AsyncDriver

from graph.driver import Neo4jConnection, create_driver
from graph.migrator import load_migrations, migrate
from tests.support.graph import query
from tests.support.servers import connection_to, live_gateway, owned_neo4j, settings_for_tests

READINESS_DEADLINE_SECONDS = 5.0


async def test_ready_when_neo4j_answers_and_migrations_are_current(client: httpx.AsyncClient) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready"}


async def test_not_ready_while_a_migration_is_pending(
    client: httpx.AsyncClient, graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    await query(graph, neo4j_connection.database, "MATCH (m:SettMigration {version: 2}) DELETE m")
    try:
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "reason": "migrations not applied yet: [2]"}
    finally:
        await migrate(graph, neo4j_connection.database, load_migrations())
    assert (await client.get("/readyz")).status_code == 200


async def test_readiness_follows_neo4j_going_down_and_coming_back(tmp_path: Path) -> None:
    """One gateway process throughout: 503 within 5 s of Neo4j stopping, 200 once it is started again."""
    runtime = owned_neo4j(tmp_path / "neo4j")
    runtime.start()
    connection = connection_to(runtime)
    driver = create_driver(connection)
    try:
        await migrate(driver, connection.database, load_migrations())
    finally:
        await driver.close()
    try:
        with live_gateway(settings_for_tests(), connection) as url:
            async with httpx.AsyncClient(base_url=url, timeout=READINESS_DEADLINE_SECONDS) as http:
                assert (await http.get("/readyz")).status_code == 200

                runtime.stop()
                down = await http.get("/readyz")
                assert down.status_code == 503
                assert down.json()["reason"] == f"Neo4j at {connection.uri} does not answer"

                runtime.start()
                assert (await http.get("/readyz")).status_code == 200
    finally:
        runtime.stop()
