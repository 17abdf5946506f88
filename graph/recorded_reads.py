"""Reads that may show what belongs to another agency, and must then record it in the same transaction.

A read first runs in a read transaction. When its answer holds something that must be recorded (another
agency's case, a pointer to one), it is read again in a write transaction, shared with concurrent such reads
(`graph.group_commit`), that also writes the records, so that what is shown is what is recorded. A read
expected to need recording (`expect_records`) goes to the write transaction at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from neo4j import READ_ACCESS, AsyncDriver, AsyncManagedTransaction

from agencies.audit import AuditEvent
from graph.group_commit import GroupCommit, Recorded, Written

T = TypeVar("T")
RECORD_DISCLOSURES = "UNWIND $disclosures AS disclosure CREATE (d:Disclosure) SET d = disclosure"
DisclosuresWritten = Written
"""Hears the dissemination records (the rows of `RECORD_DISCLOSURES`) once they are committed."""


class ReadShape(Protocol[T]):
    """How to turn a query's records into an answer, and which records an answer must write."""

    def parse(self, records: list[Any]) -> T: ...

    def needs_records(self, found: T) -> bool: ...

    def records(self, found: T) -> tuple[list[dict[str, Any]], list[AuditEvent]]:
        """Disclosure rows and audit events; may raise a domain error (a missing purpose) to refuse the read."""
        ...


class RecordedReads:
    def __init__(self, driver: AsyncDriver, database: str, on_disclosures: DisclosuresWritten | None = None) -> None:
        self._driver = driver
        self._database = database
        self._recording = GroupCommit(
            driver, database, along=RECORD_DISCLOSURES, rows="disclosures", on_written=on_disclosures
        )

    async def run(self, query: str, params: dict[str, Any], shape: ReadShape[T], *, expect_records: bool) -> T:
        if not expect_records:
            async with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as session:
                found = await session.execute_read(_records, query, params, shape.parse)
            if not shape.needs_records(found):
                return found

        async def read_and_record(tx: AsyncManagedTransaction) -> Recorded[T]:
            found = await _records(tx, query, params, shape.parse)
            rows, events = shape.records(found)
            return Recorded(found, rows, events)

        return await self._recording.run(read_and_record)


async def _records(
    tx: AsyncManagedTransaction, query: str, params: dict[str, Any], parse: Callable[[list[Any]], T]
) -> T:
    result = await tx.run(query, params)
    return parse([record async for record in result])
