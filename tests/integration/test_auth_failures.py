"""Failure counts in Neo4j: every concurrent failure counted, shared between limiters, purged once expired."""

from __future__ import annotations

import asyncio

from neo4j import AsyncDriver

from gateway.auth.limiter import FailureLimiter, FailureRule, FailureRules, credential_key
from graph.auth_failures import FailureCount, Neo4jFailureCounts
from tests.support.graph import query

ADDRESS = "address:192.0.2.1"
COUNTS = "MATCH (f:AuthFailures) RETURN f.key AS key, f.count AS count, f.blockedUntil AS until ORDER BY key"


def limiter(graph: AsyncDriver, *, address: int, credential: int) -> FailureLimiter:
    rules = FailureRules(
        address=FailureRule(limit=address, window_seconds=600, block_seconds=600),
        credential=FailureRule(limit=credential, window_seconds=900, block_seconds=900),
    )
    return FailureLimiter(rules, Neo4jFailureCounts(graph, "neo4j"))


async def test_concurrent_failures_are_all_counted(graph: AsyncDriver) -> None:
    limiters = [limiter(graph, address=1000, credential=1000) for _ in range(2)]
    credential = credential_key("sett_stale")
    verdicts = await asyncio.gather(
        *(limiters[n % 2].failed(address=ADDRESS, credential=credential) for n in range(30))
    )
    assert all(verdict.counted for verdict in verdicts)
    rows = await query(graph, "neo4j", COUNTS)
    assert [(row["key"], row["count"]) for row in rows] == [(ADDRESS, 30), (credential, 30)]


async def test_a_block_reached_on_one_limiter_answers_on_another(graph: AsyncDriver) -> None:
    one, other = limiter(graph, address=3, credential=100), limiter(graph, address=3, credential=100)
    assert not (await one.failed(address=ADDRESS, credential=credential_key("a"))).blocked_until
    assert not (await one.failed(address=ADDRESS, credential=credential_key("b"))).blocked_until
    third = await other.failed(address=ADDRESS, credential=credential_key("c"))
    assert third.started == (ADDRESS,)
    fourth = await one.failed(address=ADDRESS, credential=credential_key("d"))
    assert fourth.blocked_until == third.blocked_until
    assert not fourth.counted
    keys = [row["key"] for row in await query(graph, "neo4j", COUNTS)]
    assert credential_key("d") not in keys  # a failure from a blocked address leaves nothing of its credential


async def test_expired_counts_are_purged_and_live_ones_kept(graph: AsyncDriver) -> None:
    counts = Neo4jFailureCounts(graph, "neo4j")
    stored = {
        "address:192.0.2.1": FailureCount(count=2, window_start=0, expires_at=600),
        "address:192.0.2.2": FailureCount(blocked_until=900, expires_at=900),
        credential_key("old"): FailureCount(count=1, window_start=100, expires_at=1000),
    }
    await counts.update(list(stored), lambda _: stored, now=0)
    assert await counts.purge(now=900) == 2
    assert [row["key"] for row in await query(graph, "neo4j", COUNTS)] == [credential_key("old")]
    assert await counts.purge(now=999) == 0
    assert await counts.purge(now=1000) == 1
    assert await query(graph, "neo4j", COUNTS) == []


async def test_a_count_changed_to_nothing_is_deleted(graph: AsyncDriver) -> None:
    counts = Neo4jFailureCounts(graph, "neo4j")
    await counts.update([ADDRESS], lambda _: {ADDRESS: FailureCount(count=1, expires_at=10)}, now=0)
    assert await counts.update([ADDRESS], lambda _: {ADDRESS: None}, now=1) == {ADDRESS: None}
    assert await query(graph, "neo4j", COUNTS) == []
