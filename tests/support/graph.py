"""Test-side access to the graph: wiping data between tests and reading what was stored."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver

WIPE = "MATCH (n) WHERE NOT n:SettMigration CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"


async def wipe(driver: AsyncDriver, database: str) -> None:
    """Deletes every node but the migration records (schema and migrations stay)."""
    async with driver.session(database=database) as session:
        await (await session.run(WIPE)).consume()


async def query(driver: AsyncDriver, database: str, cypher: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = await driver.execute_query(cypher, params, database_=database)
    return [record.data() for record in records]
