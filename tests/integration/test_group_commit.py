"""Group commit: every read queued gets its answer, also when reads follow one another without pause."""

from __future__ import annotations

import asyncio

from neo4j import AsyncDriver, AsyncManagedTransaction

from agencies.audit import AuditEvent
from graph.driver import Neo4jConnection
from graph.group_commit import GroupCommit, Recorded

WORKERS, READS = 8, 40
WRITE_PROBES = "UNWIND $probes AS probe CREATE (p:Probe) SET p = probe"


async def test_reads_issued_as_soon_as_the_last_was_answered_are_all_answered_and_recorded(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    grouped = GroupCommit(graph, neo4j_connection.database, along=WRITE_PROBES, rows="probes")

    def read(worker: int, number: int):  # type: ignore[no-untyped-def]
        async def work(tx: AsyncManagedTransaction) -> Recorded[int]:
            await (await tx.run("RETURN 1")).consume()
            event = AuditEvent("probe", f"worker-{worker}", None, {"number": number})
            return Recorded(number, [{"worker": worker, "number": number}], [event])

        return work

    async def worker(worker: int) -> list[int]:
        return [await grouped.run(read(worker, number)) for number in range(READS)]

    answers = await asyncio.wait_for(asyncio.gather(*(worker(n) for n in range(WORKERS))), 60)

    assert answers == [list(range(READS))] * WORKERS
    records, _, _ = await graph.execute_query("MATCH (p:Probe) RETURN count(p) AS probes")
    assert records[0]["probes"] == READS * WORKERS
    await graph.execute_query("MATCH (p:Probe) DELETE p")


async def test_a_read_queued_as_both_batches_end_together_is_answered(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    grouped = GroupCommit(graph, neo4j_connection.database, along=WRITE_PROBES, rows="probes")

    def read(release: asyncio.Event | None):  # type: ignore[no-untyped-def]
        async def work(tx: AsyncManagedTransaction) -> Recorded[str]:
            if release is not None:
                await release.wait()
            await (await tx.run("RETURN 1")).consume()
            return Recorded("answered")

        return work

    async def then_again(release: asyncio.Event) -> str:
        await grouped.run(read(release))
        return await grouped.run(read(None))  # queued while the batches that answered the first are ending

    for _ in range(20):
        release = asyncio.Event()
        first = asyncio.ensure_future(then_again(release))
        await asyncio.sleep(0.05)  # the first batch is under way, so the second read starts a batch of its own
        second = asyncio.ensure_future(then_again(release))
        await asyncio.sleep(0.05)
        release.set()
        assert list(await asyncio.wait_for(asyncio.gather(first, second), 10)) == ["answered", "answered"]
