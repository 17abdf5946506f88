"""The audit log in Neo4j: `AuditEntry` nodes in hash chains, appended inside the caller's transaction.

A transaction appends all its entries to one chain picked at random (`agencies.audit.CHAINS` of them): it
takes the write lock on that chain's `AuditHead` first, so appends to one chain follow one another and it
never forks, while transactions on other chains go on in parallel.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

from agencies.audit import CHAINS, GENESIS, AuditEntry, AuditEvent, canonical, entry_hash

LOCK_HEAD = """
MATCH (h:AuditHead {chain: $chain})
SET h.seq = h.seq + $count
RETURN h.seq - $count AS last, h.hash AS prev
"""
CREATE_HEAD = "MERGE (h:AuditHead {chain: $chain}) ON CREATE SET h.seq = 0, h.hash = $genesis"
WRITE_ENTRIES = """
MATCH (h:AuditHead {chain: $chain})
SET h.hash = $hash
WITH h
UNWIND $entries AS entry
CREATE (e:AuditEntry)
SET e = entry, e.chain = $chain
"""
READ_ENTRIES = """
MATCH (e:AuditEntry) RETURN e.chain AS chain, e.seq AS seq, e.at AS at, e.kind AS kind, e.actor AS actor,
       e.agencyId AS agency_id, e.detail AS detail, e.prevHash AS prev_hash, e.hash AS hash
ORDER BY e.chain, e.seq
"""
READ_HEADS = "MATCH (h:AuditHead) RETURN h.chain AS chain, h.seq AS seq, h.hash AS hash"


async def append_audit(tx: AsyncManagedTransaction, *events: AuditEvent) -> None:
    """Appends the events, in order, to one chain in the caller's transaction (two round trips)."""
    chain = secrets.randbelow(CHAINS)
    count = len(events)
    head = await (await tx.run(LOCK_HEAD, chain=chain, count=count)).single()
    if head is None:  # a new graph: the first append to this chain makes its head
        await (await tx.run(CREATE_HEAD, chain=chain, genesis=GENESIS)).consume()
        head = await (await tx.run(LOCK_HEAD, chain=chain, count=count)).single(strict=True)
    seq, prev = int(head["last"]), str(head["prev"])
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    entries = []
    for event in events:
        seq += 1
        detail = canonical(event.detail)
        digest = entry_hash(
            seq=seq, at=at, kind=event.kind, actor=event.actor, agency_id=event.agency_id, detail=detail, prev_hash=prev
        )
        entries.append(
            {
                "seq": seq,
                "at": at,
                "kind": event.kind,
                "actor": event.actor,
                "agencyId": event.agency_id,
                "detail": detail,
                "prevHash": prev,
                "hash": digest,
            }
        )
        prev = digest
    await (await tx.run(WRITE_ENTRIES, chain=chain, entries=entries, hash=prev)).consume()


class Neo4jAuditLog:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def append(self, event: AuditEvent) -> None:
        async with self._driver.session(database=self._database) as session:
            await session.execute_write(append_audit, event)

    async def entries(self) -> AsyncIterator[AuditEntry]:
        async with self._driver.session(database=self._database, default_access_mode="READ") as session:
            result = await session.run(READ_ENTRIES)
            async for record in result:
                yield AuditEntry(**record.data())

    async def heads(self) -> dict[int, tuple[int, str]]:
        records, _, _ = await self._driver.execute_query(
            READ_HEADS, database_=self._database, routing_=RoutingControl.READ
        )
        return {int(record["chain"]): (int(record["seq"]), str(record["hash"])) for record in records}
