"""Group commit: every read queued gets its answer, also when reads follow one another without pause."""

from __future__ import annotations

import asyncio

from neo4j import AsyncDriver, AsyncManagedTransaction
from neo4j.exceptions import SessionExpired

from agencies.audit import AuditEvent
from cases.errors import CaseError
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


async def test_the_listener_hears_each_committed_batch_once_and_never_a_refused_read_or_a_failed_batch(
    graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    heard: list[list[int]] = []
    grouped = GroupCommit(
        graph,
        neo4j_connection.database,
        along=WRITE_PROBES,
        rows="probes",
        on_written=lambda rows: heard.append(sorted(row["number"] for row in rows)),
    )
    attempts = 0

    async def retried(tx: AsyncManagedTransaction) -> Recorded[int]:
        nonlocal attempts
        attempts += 1
        await (await tx.run("RETURN 1")).consume()
        if attempts == 1:
            raise SessionExpired("the first attempt is lost")  # the driver retries the whole batch
        return Recorded(1, [{"number": 1}], [AuditEvent("probe", "retried", None, {})])

    async def refused(tx: AsyncManagedTransaction) -> Recorded[int]:
        raise CaseError("refused before anything is written for it")

    async def failing(tx: AsyncManagedTransaction) -> Recorded[int]:
        raise RuntimeError("the whole batch fails")

    answers = await asyncio.gather(grouped.run(retried), grouped.run(refused), return_exceptions=True)
    assert answers[0] == 1
    assert isinstance(answers[1], CaseError)
    assert attempts == 2
    assert heard == [[1]]

    failed = await asyncio.gather(grouped.run(failing), return_exceptions=True)
    assert isinstance(failed[0], RuntimeError)
    assert heard == [[1]]
    records, _, _ = await graph.execute_query("MATCH (p:Probe) RETURN collect(p.number) AS numbers")
    assert records[0]["numbers"] == [1]
    await graph.execute_query("MATCH (p:Probe) DELETE p")
