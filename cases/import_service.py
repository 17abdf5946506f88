"""Bulk import: an agency's cases and persons from a file, through the rules the API applies, batch by batch.

The import is another caller of the case rules, not a second implementation of them: each record was checked by
the parser with the API's own models (`cases.imports`), what needs the graph is decided by `cases.imports.plan`,
and the writer must hold CASES_WRITE and writes into its own agency only, as openCase and addPerson do.

Each batch is one transaction (`ImportRepository.import_batch`), written whole or not at all, and every write in it
is a MERGE by (agency, sourceId): a run killed at any point and run again finishes the job and leaves the graph one
clean run leaves. The rejects go to `on_rejects` in line order once their batch is decided; every other record
is written, or found unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import islice

from agencies.audit import AuditEvent
from agencies.principals import Principal, Scope
from cases.access import require_scope
from cases.errors import ImportConflict, InvalidCase
from cases.imports.plan import BatchFacts, BatchPlan, FileContext, plan_batch
from cases.imports.reader import Encoding, FileScan, ImportSource
from cases.imports.records import ParsedLine, Rejected
from cases.ports import ImportRepository

DEFAULT_BATCH_SIZE = 500
MAX_BATCH_SIZE = 10_000
CONFLICT_ATTEMPTS = 5
"""How often a batch is planned again when what it read changed before it could write."""

RejectSink = Callable[[Sequence[Rejected]], None]


@dataclass(frozen=True)
class ImportSummary:
    """Where an import stands, or how it ended: records are counted once each, as rows of the file."""

    total: int
    """The records in the file (each a record or a reject)."""
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    seconds: float = 0.0

    @property
    def written(self) -> int:
        return self.created + self.updated

    @property
    def rate(self) -> float:
        """Records a second so far."""
        return self.read / self.seconds if self.seconds > 0 else 0.0


def check_batch_size(batch_size: int) -> None:
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise InvalidCase(f"the batch size must be between 1 and {MAX_BATCH_SIZE}")


async def import_records(
    *,
    principal: Principal,
    source: ImportSource,
    repository: ImportRepository,
    on_rejects: RejectSink,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: Callable[[ImportSummary], None] = lambda summary: None,
    detail: Mapping[str, object] | None = None,
    timer: Callable[[], float] = time.monotonic,
) -> ImportSummary:
    """Imports `source` into the principal's agency. `detail` is added to each batch's audit entry (how the
    import came, on whose behalf); the entries name counts and lines, never what a record holds."""
    require_scope(principal, Scope.CASES_WRITE)
    require_scope(principal, Scope.CASES_READ)  # the summary and the rejects tell what the agency's graph holds
    check_batch_size(batch_size)
    if not await repository.agency_exists(principal.agency_id):
        raise InvalidCase(f"no agency {principal.agency_id!r} in the directory")
    started = timer()
    scan = await asyncio.to_thread(source.scan)
    run = _Run(principal, scan, source.encoding is Encoding.CSV, {"import": str(uuid.uuid4()), **(detail or {})})
    summary = ImportSummary(total=scan.records)
    on_progress(summary)
    records = source.records()
    next_batch = asyncio.ensure_future(asyncio.to_thread(_take, records, batch_size))
    try:
        while batch := await next_batch:
            # the next batch is parsed while this one is written: the parse is Python's work, the write Neo4j's
            next_batch = asyncio.ensure_future(asyncio.to_thread(_take, records, batch_size))
            plan = await run.write(batch, repository)
            rejected = sorted((*(r for r in batch if isinstance(r, Rejected)), *plan.rejected), key=lambda r: r.line)
            on_rejects(rejected)
            summary = replace(
                summary,
                read=summary.read + len(batch),
                created=summary.created + plan.created,
                updated=summary.updated + plan.updated,
                unchanged=summary.unchanged + plan.unchanged,
                rejected=summary.rejected + len(rejected),
                seconds=timer() - started,
            )
            on_progress(summary)
    finally:
        if not next_batch.done():
            await asyncio.wait([next_batch])  # the parse thread ends with its batch
        with contextlib.suppress(ValueError):  # still running in its thread only when this task was cancelled
            records.close()
    return replace(summary, seconds=timer() - started)


def _take(records: Generator[ParsedLine, None, None], count: int) -> list[ParsedLine]:
    return list(islice(records, count))


class _Run:
    """What one import run carries from batch to batch."""

    def __init__(self, principal: Principal, scan: FileScan, csv: bool, detail: dict[str, object]):
        self._principal = principal
        self._scan = scan
        self._csv = csv
        self._detail = detail
        self._rejected_cases: dict[str, int] = {}

    async def write(self, batch: list[ParsedLine], repository: ImportRepository) -> BatchPlan:
        records = [record for record in batch if not isinstance(record, Rejected)]
        if not records:
            return BatchPlan()
        parser_rejects = len(batch) - len(records)
        context = FileContext(
            self._scan.case_lines, dict(self._rejected_cases), case_numbers=self._scan.case_numbers, csv=self._csv
        )

        def plan(facts: BatchFacts) -> BatchPlan:
            planned = plan_batch(records, facts, context)
            return replace(planned, event=self._event(planned, batch, parser_rejects)) if planned.writes else planned

        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                done = await repository.import_batch(self._principal.agency_id, records, plan)
                break
            except ImportConflict as conflict:
                if attempt == CONFLICT_ATTEMPTS:
                    lines = f"lines {batch[0].line} to {batch[-1].line}"
                    raise ImportConflict(f"{conflict} ({lines}, {attempt} attempts); run the import again") from None
        self._rejected_cases.update(done.rejected_cases)
        return done

    def _event(self, plan: BatchPlan, batch: list[ParsedLine], parser_rejects: int) -> AuditEvent:
        detail = {
            **self._detail,
            "lines": [batch[0].line, batch[-1].line],
            "created": plan.created,
            "updated": plan.updated,
            "unchanged": plan.unchanged,
            "rejected": parser_rejects + len(plan.rejected),
        }
        return AuditEvent("import.batch", self._principal.subject, self._principal.agency_id, detail)
