"""The audit log through `sett audit verify`: intact after real events, and any tampering named."""

from __future__ import annotations

from neo4j import AsyncDriver

from agencies.principals import Role
from graph.driver import Neo4jConnection
from tests.support.access import add_agencies, repositories, token_for
from tests.support.cli import sett, sett_env
from tests.support.graph import query


async def make_events(graph: AsyncDriver, database: str) -> int:
    repos = repositories(graph, database)
    await add_agencies(repos)
    for agency in ("WASPD0000", "WA0170000", "WADI06800"):
        await token_for(repos, agency, Role.ANALYST)
    rows = await query(graph, database, "MATCH (e:AuditEntry) RETURN count(e) AS n")
    return int(rows[0]["n"])


async def test_an_untouched_log_verifies(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    entries = await make_events(graph, neo4j_connection.database)
    assert entries == 3
    result = sett("audit", "verify", env=sett_env(neo4j_connection))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "audit log intact: 3 entries"


async def test_editing_one_byte_is_detected_and_the_entry_named(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    await make_events(graph, neo4j_connection.database)
    await query(
        graph,
        neo4j_connection.database,
        "MATCH (e:AuditEntry {seq: 2}) SET e.detail = replace(e.detail, 'WA0170000', 'WA0170001')",
    )
    result = sett("audit", "verify", env=sett_env(neo4j_connection))
    assert result.returncode == 1
    assert "audit log broken at entry 2: its content was edited" in result.stderr


async def test_a_removed_entry_is_detected(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    await make_events(graph, neo4j_connection.database)
    await query(graph, neo4j_connection.database, "MATCH (e:AuditEntry {seq: 2}) DELETE e")
    result = sett("audit", "verify", env=sett_env(neo4j_connection))
    assert result.returncode == 1
    assert "entry 2 is missing" in result.stderr


async def test_reordered_entries_are_detected(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    await make_events(graph, neo4j_connection.database)
    await query(
        graph,
        neo4j_connection.database,
        "MATCH (a:AuditEntry {seq: 1}), (b:AuditEntry {seq: 2}) SET a.seq = -1 SET b.seq = 1 SET a.seq = 2",
    )
    result = sett("audit", "verify", env=sett_env(neo4j_connection))
    assert result.returncode == 1
    assert "audit log broken at entry 1" in result.stderr


async def test_a_removed_last_entry_is_detected(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    await make_events(graph, neo4j_connection.database)
    await query(graph, neo4j_connection.database, "MATCH (e:AuditEntry {seq: 3}) DELETE e")
    result = sett("audit", "verify", env=sett_env(neo4j_connection))
    assert result.returncode == 1
    assert "audit log broken at entry 3" in result.stderr
