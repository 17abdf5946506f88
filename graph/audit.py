"""The audit log in Neo4j: `AuditEntry` nodes in hash chains, appended inside the caller's transaction.

A transaction appends all its entries to one chain picked at random (`agencies.audit.CHAINS` of them): it
takes the write lock on that chain's `AuditHead` first, so appends to one chain follow one another and it
never forks, while transactions on other chains go on in parallel.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from neo4j import READ_ACCESS, AsyncDriver, AsyncManagedTransaction, AsyncSession

from agencies.audit import CHAINS, AuditEntry, AuditEvent, Heads, canonical, entry_hash, genesis

LOCK_HEAD = """
MATCH (h:AuditHead {chain: $chain})
SET h.seq = h.seq + $count
RETURN h.seq - $count AS last, h.hash AS prev
"""
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


class AuditChainMissing(RuntimeError):
    """A chain's head is gone: nothing is appended (and the transaction fails) until it is restored."""


@dataclass(frozen=True)
class Along:
    """An updating Cypher statement without RETURN, written in the same round trip as the audit entries."""

    cypher: str
    params: dict[str, Any]


async def append_audit(tx: AsyncManagedTransaction, *events: AuditEvent, along: Along | None = None) -> None:
    """Appends the events, in order, to one chain in the caller's transaction (two round trips); `along`, when
    given, is written in the second, before the entries."""
    chain = secrets.randbelow(CHAINS)
    count = len(events)
    head = await (await tx.run(LOCK_HEAD, chain=chain, count=count)).single()
    if head is None:
        raise AuditChainMissing(f"audit chain {chain} has no head: run `sett db migrate`, or the log was tampered with")
    seq, prev = int(head["last"]), head["prev"] or genesis(chain)
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
    params: dict[str, Any] = {"chain": chain, "entries": entries, "hash": prev}
    if along is None:
        await (await tx.run(WRITE_ENTRIES, params)).consume()
        return
    assert not params.keys() & along.params.keys(), "a parameter of `along` hides one of the audit entries"
    await (await tx.run(f"CALL () {{\n{along.cypher}\n}}\n{WRITE_ENTRIES}", {**along.params, **params})).consume()


class Neo4jAuditLog:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def append(self, event: AuditEvent) -> None:
        async with self._driver.session(database=self._database) as session:
            await session.execute_write(append_audit, event)

    async def snapshot(self) -> tuple[Heads, list[AuditEntry], Heads]:
        """The heads, every entry, and the heads again, read in that order in one session (so a cluster
        member that lags cannot answer one part from an older state than another)."""
        async with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as session:
            before = await _heads(session)
            result = await session.run(READ_ENTRIES)
            entries = [AuditEntry(**record.data()) async for record in result]
            after = await _heads(session)
        return before, entries, after


async def _heads(session: AsyncSession) -> Heads:
    result = await session.run(READ_HEADS)
    return {
        int(record["chain"]): (int(record["seq"]), record["hash"] or genesis(int(record["chain"])))
        async for record in result
    }
