"""Reads that write audited records, run together: concurrent ones share one write transaction.

On a busy gateway most of a cross-agency read's cost is its own write transaction: taking an audit head,
creating the records, committing. Here a read that must record what it shows is queued; a batch takes every
read waiting, runs each in turn in one transaction, writes all their records and audit entries with one
statement, and commits once. Each read's records are still written in the very transaction that read what
they record. A read alone is a batch of one, so a quiet gateway sees no delay.

A read refused by a domain rule (it raises an `Expected` error before anything is written for it) fails
alone; a database failure fails the whole batch, after the driver's retries, and every read in it.

`on_written`, when given, hears the rows of each batch once they are committed (the gateway counts
disclosures with it); a transaction the driver retries is heard once, with the rows of its committed attempt.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from neo4j import AsyncDriver, AsyncManagedTransaction

from agencies.audit import AuditEvent
from agencies.errors import AgencyError
from cases.errors import CaseError
from graph.audit import Along, append_audit

log = logging.getLogger("sett.graph")
T = TypeVar("T")
Written = Callable[[Sequence[dict[str, Any]]], None]
"""Hears the rows a batch wrote with its `along` statement, after the commit; must not block."""
Expected = (AgencyError, CaseError)
PARALLEL_BATCHES = 2
"""Batches in flight at once: enough to keep Neo4j's cores busy while the next batch fills."""
MOST_PER_BATCH = 32


@dataclass(frozen=True)
class Recorded(Generic[T]):
    """What a read found, and the records (rows for `along`) and audit events it must write."""

    value: T
    rows: list[dict[str, Any]] = field(default_factory=list)
    events: list[AuditEvent] = field(default_factory=list)


Read = Callable[[AsyncManagedTransaction], Awaitable[Recorded[T]]]


@dataclass
class _Waiting:
    read: Read[Any]
    answer: asyncio.Future[Any]


class GroupCommit:
    def __init__(
        self, driver: AsyncDriver, database: str, *, along: str, rows: str, on_written: Written | None = None
    ) -> None:
        """`along` is the Cypher that writes a batch's records from the list parameter named `rows`."""
        self._driver = driver
        self._database = database
        self._along = along
        self._rows = rows
        self._on_written = on_written
        self._waiting: list[_Waiting] = []
        self._draining = 0
        """Batches under way or about to start; counted here, not by their tasks' done callbacks, which run a
        loop iteration after the batch ended and would leave a read queued with no batch left to take it."""
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self, read: Read[T]) -> T:
        answer: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Waiting(read, answer))
        if self._draining < PARALLEL_BATCHES:
            self._draining += 1
            task = asyncio.get_running_loop().create_task(self._drain())
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return await answer

    async def _drain(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:MOST_PER_BATCH], self._waiting[MOST_PER_BATCH:]
                await self._commit(batch)
        finally:
            self._draining -= 1  # no await since `self._waiting` was found empty: no read can slip in between

    async def _commit(self, batch: list[_Waiting]) -> None:
        written: list[dict[str, Any]] = []

        async def work(tx: AsyncManagedTransaction) -> list[Recorded[Any] | Exception]:
            nonlocal written
            written = []  # each attempt anew: only the one that commits counts
            outcomes: list[Recorded[Any] | Exception] = []
            for waiting in batch:
                try:
                    outcomes.append(await waiting.read(tx))
                except Expected as refused:
                    outcomes.append(refused)
            found = [outcome for outcome in outcomes if isinstance(outcome, Recorded)]
            events = [event for outcome in found for event in outcome.events]
            if events:
                rows = [row for outcome in found for row in outcome.rows]
                await append_audit(tx, *events, along=Along(self._along, {self._rows: rows}))
                written = rows
            return outcomes

        try:
            async with self._driver.session(database=self._database) as session:
                outcomes = await session.execute_write(work)
        except Exception as failure:  # handed to every read of the batch, which raises it
            outcomes, written = [failure] * len(batch), []
        for waiting, outcome in zip(batch, outcomes, strict=True):
            if waiting.answer.done():  # its request was cancelled
                continue
            if isinstance(outcome, Exception):
                waiting.answer.set_exception(outcome)
            else:
                waiting.answer.set_result(outcome.value)
        if written and self._on_written is not None:
            try:
                self._on_written(written)
            except Exception:  # a listener's failure must not strand the reads still queued
                log.exception("a listener of written records failed")
