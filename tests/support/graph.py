"""Test-side access to the graph: wiping data between tests and reading what was stored."""

from __future__ import annotations

from typing import Any

from neo4j import AsyncDriver

from agencies.audit import CHAINS

WIPE = """
MATCH (n) WHERE NOT n:SettMigration AND NOT n:AuditHead CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""
RESET_AUDIT_HEADS = "UNWIND range(0, $last) AS chain MERGE (h:AuditHead {chain: chain}) SET h.seq = 0, h.hash = null"


async def wipe(driver: AsyncDriver, database: str) -> None:
    """Deletes every node but the migration records and the audit chains' heads, which start again empty."""
    async with driver.session(database=database) as session:
        await (await session.run(WIPE)).consume()
        await (await session.run(RESET_AUDIT_HEADS, last=CHAINS - 1)).consume()


async def query(driver: AsyncDriver, database: str, cypher: str, **params: Any) -> list[dict[str, Any]]:
    records, _, _ = await driver.execute_query(cypher, params, database_=database)
    return [record.data() for record in records]
