"""Reads that may show what belongs to another agency, and must then record it in the same transaction.

A read first runs in a read transaction. When its answer holds something that must be recorded (another
agency's case, a pointer to one), it is read again in a write transaction, shared with concurrent such reads
(`graph.group_commit`), that also writes the records, so that what is shown is what is recorded. A read
expected to need recording (`expect_records`) goes to the write transaction at once.

Within a GraphQL request (`recording_for_request`), a record must also describe only what reached the reader:
a request whose answer drops a field (an error in another alias nulls a non-null root, and with it every
field) must not leave records of what it read for that field. There, each read runs in a read transaction and
its records wait in the request's `PendingRecords`, filed under the root field being resolved
(`recording_for_field`); once the answer is known, the gateway writes the records of the fields that reached
the reader, in one transaction, before it sends the answer, and sends no data if that fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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
        pending = _pending.get()
        if pending is not None:
            async with self._driver.session(database=self._database, default_access_mode=READ_ACCESS) as session:
                found = await session.execute_read(_records, query, params, shape.parse)
            if shape.needs_records(found):
                rows, events = shape.records(found)
                pending.add(_field.get(), self, rows, events)
            return found
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

    async def record(self, rows: list[dict[str, Any]], events: list[AuditEvent]) -> None:
        async def write(tx: AsyncManagedTransaction) -> Recorded[None]:
            return Recorded(None, rows, events)

        await self._recording.run(write)


class PendingRecords:
    """The records one request's reads must write, by root field (None: read outside any known field)."""

    def __init__(self) -> None:
        self._rows: dict[str | None, list[dict[str, Any]]] = {}
        self._events: dict[str | None, list[AuditEvent]] = {}
        self._writer: RecordedReads | None = None

    def add(self, key: str | None, reads: RecordedReads, rows: list[dict[str, Any]], events: list[AuditEvent]) -> None:
        self._rows.setdefault(key, []).extend(rows)
        self._events.setdefault(key, []).extend(events)
        self._writer = self._writer or reads  # every RecordedReads writes the same records the same way

    async def commit(self, delivered: Callable[[str | None], bool]) -> None:
        """Writes, in one transaction, the records of the fields `delivered` says reached the reader."""
        kept = [key for key in self._events if delivered(key)]
        if self._writer is None or not kept:
            return
        rows = [row for key in kept for row in self._rows[key]]
        await self._writer.record(rows, [event for key in kept for event in self._events[key]])


_pending: ContextVar[PendingRecords | None] = ContextVar("sett_pending_records", default=None)
_field: ContextVar[str | None] = ContextVar("sett_recording_field", default=None)


@contextmanager
def recording_for_request() -> Iterator[PendingRecords]:
    pending = PendingRecords()
    token = _pending.set(pending)
    try:
        yield pending
    finally:
        _pending.reset(token)


@contextmanager
def recording_for_field(key: str | int) -> Iterator[None]:
    """Files the records of the reads made inside under the root field whose answer key is `key`."""
    token = _field.set(str(key))
    try:
        yield
    finally:
        _field.reset(token)


async def _records(
    tx: AsyncManagedTransaction, query: str, params: dict[str, Any], parse: Callable[[list[Any]], T]
) -> T:
    result = await tx.run(query, params)
    return parse([record async for record in result])
