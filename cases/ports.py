"""What the case rules need from storage; `graph/cases.py` implements it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, Protocol

from agencies.audit import AuditEvent
from agencies.policy import CaseFacts
from cases.identifiers import Identifier
from cases.imports.plan import BatchFacts, BatchPlan
from cases.imports.records import ImportRecord
from cases.models import (
    Case,
    CaseChanges,
    CaseFilter,
    CasePage,
    CasePerson,
    CaseRole,
    LinkedPage,
    PathEnd,
    PathStep,
    Person,
    SearchPage,
)
from cases.retention import DueRecord, IntelligenceRecord, PurgeRecord


@dataclass(frozen=True)
class Holder:
    """What an identifier is attached to: a case, or a person."""

    kind: Literal["Case", "Person"]
    id: str


@dataclass(frozen=True)
class Reader:
    """Who reads, and why: what the visibility filter and the dissemination record need."""

    subject: str
    agency_id: str
    purpose: str | None
    now: datetime


class CaseRepository(Protocol):
    async def facts(self, case_id: str) -> CaseFacts | None:
        """What the policy needs to decide on a case; never returned to a caller as such."""
        ...

    async def create(self, case: Case, event: AuditEvent) -> bool:
        """False when the agency case number is already taken in the owner agency."""
        ...

    # Each write below, the team changes included, takes the case's write lock, then re-checks that `writer` (an
    # agency) still has the standing the service saw (`agencies.policy.may_edit` or `owns`), and raises
    # CaseForbidden when it lost it since: writes and team changes on one case follow one another.

    async def update(
        self, case_id: str, changes: CaseChanges, writer: str, event: AuditEvent, *, owner_only: bool, today: date
    ) -> None:
        """On a criminal-intelligence record, a new review date is the owner's, `today` or later, and within the
        record's retention limit (`cases.retention`); InvalidCase or CaseForbidden otherwise."""
        ...

    async def close(self, case_id: str, closed_on: date, writer: str, event: AuditEvent) -> None:
        """InvalidCase when the case is closed already, or `closed_on` comes before it was opened."""
        ...

    async def add_member(self, case_id: str, agency_id: str, writer: str, event: AuditEvent) -> None: ...

    async def remove_member(self, case_id: str, agency_id: str, writer: str, event: AuditEvent) -> None: ...

    async def read_one(self, reader: Reader, case_id: str) -> Case | None:
        """The case if visible to the reader (redactions applied), with its dissemination recorded."""
        ...

    async def read_page(
        self, reader: Reader, where: CaseFilter, first: int, after: str | None, *, count: bool
    ) -> CasePage:
        """A page in id order after the case id `after`; its total only when `count` asks for it."""
        ...


class PersonRepository(Protocol):
    async def recorded(self, person_id: str) -> Person | None:
        """The person as the agency that recorded them knows them; for the service's checks, never a reader."""
        ...

    # `writer` (an agency) is re-checked inside each write below, as in `CaseRepository`: a case's writes need
    # `agencies.policy.may_edit`, a person's `may_change_person`; CaseNotFound (or False) otherwise.

    async def add_new(
        self, case_id: str, person: Person, role: CaseRole, derived: list[Identifier], *, writer: str, event: AuditEvent
    ) -> None:
        """Records a person on a case, with the identifiers derived from who they are (`derived`)."""
        ...

    async def add_existing(self, case_id: str, person_id: str, role: CaseRole, writer: str, event: AuditEvent) -> None:
        """Puts the person on the case in `role`; refused when they are on it already in another role."""
        ...

    async def case_ids(self, person_id: str) -> list[str]:
        """The cases the person is on."""
        ...

    async def update(self, person: Person, derived: list[Identifier], writer: str, event: AuditEvent) -> None:
        """Stores the changed person; `derived` replaces the identifiers derived from who they are. CaseForbidden
        when `writer` may no longer change them."""
        ...

    async def remove_from_case(self, case_id: str, person_id: str, writer: str, event: AuditEvent) -> bool:
        """The writer must be on the case's team and own the case or the person."""
        ...

    async def persons_on(self, reader: Reader, case_ids: list[str]) -> dict[str, list[CasePerson]]:
        """The persons on each of the cases the reader may see, victims' identities redacted as the policy says."""
        ...


class IdentifierRepository(Protocol):
    async def attach(self, holder: Holder, identifier: Identifier, writer: str, event: AuditEvent) -> None:
        """CaseNotFound when the holder is gone or `writer` may no longer write on it (`agencies.policy.may_edit` on
        a case, `may_change_person` on a person)."""
        ...

    async def detach(self, holder: Holder, identifier: Identifier, writer: str, event: AuditEvent) -> bool: ...

    async def of_cases(self, reader: Reader, case_ids: list[str]) -> dict[str, list[Identifier]]:
        """The identifiers of each of the cases the reader may see (not those of the persons on them)."""
        ...


class LinkRepository(Protocol):
    async def linked(
        self, reader: Reader, case_id: str, max_hops: int, first: int, after: tuple[int, str] | None
    ) -> LinkedPage | None:
        """The page of cases linked to `case_id` after position `after` (hops, link key), full or as pointers,
        with the dissemination and pointer records written; None when the reader may not see `case_id`."""
        ...

    async def holders(
        self, reader: Reader, identifier: Identifier, first: int, after: tuple[int, str] | None
    ) -> LinkedPage:
        """The cases that hold the identifier, as `linked` answers them, one hop from the identifier."""
        ...


class SearchRepository(Protocol):
    async def search(self, reader: Reader, text: str, first: int, after: str | None) -> SearchPage:
        """The cases the reader may see in full whose title or summary match `text`, in id order after `after`."""
        ...


class PathRepository(Protocol):
    async def shortest(self, reader: Reader, start: PathEnd, end: PathEnd, max_cases: int) -> list[PathStep] | None:
        """A shortest chain of shared identifiers between the ends, as `agencies.policy.link_path` allows."""
        ...


class ImportRepository(Protocol):
    async def agency_exists(self, agency_id: str) -> bool: ...

    async def import_batch(
        self, agency_id: str, records: Sequence[ImportRecord], plan: Callable[[BatchFacts], BatchPlan]
    ) -> BatchPlan:
        """One batch in one transaction: reads what the graph holds of `records` in `agency_id`, asks `plan`
        (pure: it runs again when the transaction is retried) what to write, writes that and the plan's audit
        event, and returns the plan. Everything of the batch is written, or nothing.

        The writes are MERGEs by (agency, sourceId) and by identifier, so a batch written twice is written once.
        ImportConflict, with nothing written, when what was read changed before the write: a case number taken
        by another writer meanwhile, a stored person put on a case in another role, or out of the agency's reach.
        """
        ...


class RetentionRepository(Protocol):
    """Criminal-intelligence records (`cases.retention`). Each write locks the case and re-checks under the lock
    that the writer (an agency) owns it, raising CaseForbidden or CaseNotFound as the case writes do."""

    async def mark(
        self,
        case_id: str,
        record: IntelligenceRecord,
        *,
        review_due: date | None,
        today: date,
        writer: str,
        event: AuditEvent,
    ) -> None:
        """Marks or re-marks the case; InvalidCase when `review_due` is past its retention limit."""
        ...

    async def validate(
        self,
        case_id: str,
        *,
        rationale: str,
        review_due: date,
        limit: date,
        today: date,
        at: datetime,
        writer: str,
        subject: str,
        event: AuditEvent,
    ) -> None:
        """InvalidCase when the case is no intelligence record, or its review date has passed."""
        ...

    async def due(
        self, agency_id: str, until: date, first: int, after: tuple[date, str] | None
    ) -> tuple[list[Case], int, bool]:
        """The agency's records to review by `until`, soonest first: a page, the total, and whether more follow."""
        ...

    async def review(self, until: date, agency_id: str | None) -> list[DueRecord]:
        """Every record (of one agency, or all) whose review date is `until` or before, soonest first."""
        ...

    async def purge(self, case_id: str, today: date, at: datetime, by: str, event: AuditEvent) -> PurgeRecord | None:
        """None when the record was validated (or purged) since it was found expired."""
        ...

    async def purges(
        self, agency_id: str, first: int, after: tuple[datetime, str] | None
    ) -> tuple[list[PurgeRecord], int, bool]: ...
