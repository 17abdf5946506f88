"""What the case rules need from storage; `graph/cases.py` implements it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from agencies.audit import AuditEvent
from agencies.policy import CaseFacts
from cases.models import Case, CaseChanges, CaseFilter, CasePage, CaseStatus


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

    async def update(self, case_id: str, changes: CaseChanges, event: AuditEvent) -> None: ...

    async def set_status(self, case_id: str, status: CaseStatus, closed_on: date, event: AuditEvent) -> None: ...

    async def add_member(self, case_id: str, agency_id: str, event: AuditEvent) -> None: ...

    async def remove_member(self, case_id: str, agency_id: str, event: AuditEvent) -> None: ...

    async def read_one(self, reader: Reader, case_id: str) -> Case | None:
        """The case if visible to the reader (redactions applied), with its dissemination recorded."""
        ...

    async def read_page(
        self, reader: Reader, where: CaseFilter, first: int, after: str | None, *, count: bool
    ) -> CasePage:
        """A page in id order after the case id `after`; its total only when `count` asks for it."""
        ...
