"""The audit log through `sett audit verify`: intact after real events, and any tampering named."""

from __future__ import annotations

import asyncio

from neo4j import AsyncDriver

from agencies.audit import CHAINS
from agencies.principals import Role
from graph.driver import Neo4jConnection
from tests.support.access import add_agencies, repositories, token_for
from tests.support.cli import sett, sett_env
from tests.support.graph import query

EVENTS = 2 * CHAINS + 1
"""Enough events that at least one chain holds three entries."""


async def make_events(graph: AsyncDriver, database: str) -> int:
    """Issues tokens (one audited transaction each); returns the chain holding the most entries."""
    repos = repositories(graph, database)
    await add_agencies(repos)
    for number in range(EVENTS):
        await token_for(repos, "WASPD0000", Role.ANALYST, subject=f"analyst-{number}@WASPD0000")
    rows = await query(
        graph, database, "MATCH (e:AuditEntry) RETURN e.chain AS chain, count(e) AS n ORDER BY n DESC, chain LIMIT 1"
    )
    assert rows[0]["n"] >= 3
    return int(rows[0]["chain"])


async def tamper(graph: AsyncDriver, database: str, cypher: str, chain: int) -> None:
    await query(graph, database, cypher, chain=chain)


def refused_verification(connection: Neo4jConnection) -> str:
    """Runs `sett audit verify`, which must fail; returns what it said."""
    result = sett("audit", "verify", env=sett_env(connection))
    assert result.returncode == 1
    return result.stderr


async def test_an_untouched_log_verifies(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    await make_events(graph, neo4j_connection.database)
    chains = await query(graph, neo4j_connection.database, "MATCH (h:AuditHead) RETURN count(h) AS n")
    result = sett("audit", "verify", env=sett_env(neo4j_connection))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"audit log intact: {EVENTS} entries in {chains[0]['n']} chains"


async def test_editing_one_byte_is_detected_and_the_entry_named(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    chain = await make_events(graph, neo4j_connection.database)
    await tamper(
        graph,
        neo4j_connection.database,
        "MATCH (e:AuditEntry {chain: $chain, seq: 2}) SET e.detail = replace(e.detail, 'WASPD0000', 'WASPD0001')",
        chain,
    )
    said = refused_verification(neo4j_connection)
    assert f"audit log broken at chain {chain} entry 2: its content was edited" in said


async def test_a_removed_entry_is_detected(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    chain = await make_events(graph, neo4j_connection.database)
    await tamper(graph, neo4j_connection.database, "MATCH (e:AuditEntry {chain: $chain, seq: 2}) DELETE e", chain)
    assert f"audit log broken at chain {chain} entry 2: entry 2 is missing" in refused_verification(neo4j_connection)


async def test_reordered_entries_are_detected(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    chain = await make_events(graph, neo4j_connection.database)
    await tamper(
        graph,
        neo4j_connection.database,
        "MATCH (a:AuditEntry {chain: $chain, seq: 1}), (b:AuditEntry {chain: $chain, seq: 2})"
        " SET a.seq = -1 SET b.seq = 1 SET a.seq = 2",
        chain,
    )
    assert f"audit log broken at chain {chain} entry 1" in refused_verification(neo4j_connection)


async def test_a_removed_last_entry_is_detected(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    chain = await make_events(graph, neo4j_connection.database)
    rows = await query(
        graph, neo4j_connection.database, "MATCH (h:AuditHead {chain: $chain}) RETURN h.seq AS seq", chain=chain
    )
    last = int(rows[0]["seq"])
    await tamper(
        graph, neo4j_connection.database, f"MATCH (e:AuditEntry {{chain: $chain, seq: {last}}}) DELETE e", chain
    )
    assert f"audit log broken at chain {chain} entry {last}" in refused_verification(neo4j_connection)


async def test_concurrent_transactions_keep_every_chain_intact(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    repos = repositories(graph, neo4j_connection.database)
    await add_agencies(repos)
    await asyncio.gather(
        *(token_for(repos, "WASPD0000", Role.ANALYST, subject=f"parallel-{n}@WASPD0000") for n in range(40))
    )
    result = sett("audit", "verify", env=sett_env(neo4j_connection))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("audit log intact: 40 entries")


async def test_a_chain_removed_whole_is_detected(graph: AsyncDriver, neo4j_connection: Neo4jConnection) -> None:
    chain = await make_events(graph, neo4j_connection.database)
    await tamper(graph, neo4j_connection.database, "MATCH (n) WHERE n.chain = $chain DETACH DELETE n", chain)
    said = refused_verification(neo4j_connection)
    assert f"audit log broken at chain {chain} entry 0: the chain's head is missing" in said


async def test_a_head_moved_back_over_an_edited_entry_is_detected(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    chain = await make_events(graph, neo4j_connection.database)
    await tamper(
        graph,
        neo4j_connection.database,
        "MATCH (h:AuditHead {chain: $chain}), (e:AuditEntry {chain: $chain}) WHERE e.seq = h.seq - 1"
        " SET h.seq = e.seq, h.hash = e.hash",
        chain,
    )
    assert "it lies past the chain's recorded head" in refused_verification(neo4j_connection)
