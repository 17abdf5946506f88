"""The audit log in Neo4j: `AuditEntry` nodes chained by hash, appended inside the caller's transaction.

Appends take a write lock on the single `AuditHead` node first, so concurrent transactions append one
after another and the chain never forks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

from agencies.audit import GENESIS, AuditEntry, AuditEvent, canonical, entry_hash

LOCK_HEAD = """
MERGE (h:AuditHead {id: 'audit'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.seq = h.seq + 1
RETURN h.seq AS seq, h.hash AS prev
"""
WRITE_ENTRY = """
MATCH (h:AuditHead {id: 'audit'})
CREATE (e:AuditEntry {seq: $seq, at: $at, kind: $kind, actor: $actor, agencyId: $agency_id, detail: $detail,
                      prevHash: $prev_hash, hash: $hash})
SET h.hash = $hash
"""
READ_ENTRIES = """
MATCH (e:AuditEntry) RETURN e.seq AS seq, e.at AS at, e.kind AS kind, e.actor AS actor, e.agencyId AS agency_id,
       e.detail AS detail, e.prevHash AS prev_hash, e.hash AS hash
ORDER BY e.seq
"""
READ_HEAD = "MATCH (h:AuditHead {id: 'audit'}) RETURN h.seq AS seq, h.hash AS hash"


async def append_audit(tx: AsyncManagedTransaction, event: AuditEvent) -> int:
    """Appends one entry in the caller's transaction; returns its sequence number."""
    head = await (await tx.run(LOCK_HEAD, genesis=GENESIS)).single(strict=True)
    seq, prev = int(head["seq"]), str(head["prev"])
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    detail = canonical(event.detail)
    digest = entry_hash(
        seq=seq, at=at, kind=event.kind, actor=event.actor, agency_id=event.agency_id, detail=detail, prev_hash=prev
    )
    await (
        await tx.run(
            WRITE_ENTRY,
            seq=seq,
            at=at,
            kind=event.kind,
            actor=event.actor,
            agency_id=event.agency_id,
            detail=detail,
            prev_hash=prev,
            hash=digest,
        )
    ).consume()
    return seq


class Neo4jAuditLog:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def append(self, event: AuditEvent) -> int:
        async with self._driver.session(database=self._database) as session:
            return await session.execute_write(append_audit, event)

    async def entries(self) -> AsyncIterator[AuditEntry]:
        async with self._driver.session(database=self._database, default_access_mode="READ") as session:
            result = await session.run(READ_ENTRIES)
            async for record in result:
                yield AuditEntry(**record.data())

    async def head(self) -> tuple[int, str] | None:
        records, _, _ = await self._driver.execute_query(
            READ_HEAD, database_=self._database, routing_=RoutingControl.READ
        )
        return (int(records[0]["seq"]), str(records[0]["hash"])) if records else None
