"""Use cases on cases. Every one takes the principal; reads go through the visibility rule in the repository."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime

from agencies.audit import AuditEvent
from agencies.policy import CaseFacts, decide_case
from agencies.principals import Principal, Scope
from cases.errors import CaseForbidden, CaseNotFound, InvalidCase, PurposeRequired
from cases.models import Case, CaseChanges, CaseDraft, CaseFilter, CasePage, CaseStatus
from cases.ports import CaseRepository, Reader

MAX_PAGE = 100
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _require(principal: Principal, scope: Scope) -> None:
    if not principal.has(scope):
        raise CaseForbidden(f"this needs the {scope.value} scope")


async def _facts_for_write(principal: Principal, case_id: str, repository: CaseRepository, now: datetime) -> CaseFacts:
    """The case's facts when the principal may see it at all; otherwise it does not exist for them."""
    _require(principal, Scope.CASES_WRITE)
    facts = await repository.facts(case_id)
    if facts is None or not decide_case(principal, facts, (), now).visible:
        raise CaseNotFound(f"no case {case_id!r}")
    return facts


async def open_case(
    *, principal: Principal, draft: CaseDraft, repository: CaseRepository, clock: Clock = utc_now
) -> Case:
    _require(principal, Scope.CASES_WRITE)
    _require(principal, Scope.CASES_READ)  # the answer shows the case back
    case = Case(
        id=str(uuid.uuid4()),
        owner_agency_id=principal.agency_id,
        agency_case_number=draft.agency_case_number,
        title=draft.title,
        summary=draft.summary,
        status=CaseStatus.OPEN,
        offenses=draft.offenses,
        labels=draft.labels,
        opened_on=draft.opened_on,
        review_due=draft.review_due,
        point_of_contact=draft.point_of_contact,
        victim_services_notes=draft.victim_services_notes,
    )
    event = AuditEvent("case.open", principal.subject, principal.agency_id, {"case": case.id})
    if not await repository.create(case, event):
        raise InvalidCase(f"case number {draft.agency_case_number!r} is already used in agency {principal.agency_id}")
    return case


OWNER_ONLY_FIELDS = frozenset({"labels", "victim_services_notes"})
"""Labels decide which of the owner's agreements cover the case; victim-services notes are the owner's."""


async def update_case(
    *,
    principal: Principal,
    case_id: str,
    changes: CaseChanges,
    purpose: str | None,
    repository: CaseRepository,
    clock: Clock = utc_now,
) -> None:
    """The owner agency and the case team may edit; labels and victim-services notes are the owner's alone.

    A team member from another agency states a purpose before writing, since the answer shows them the case.
    """
    facts = await _facts_for_write(principal, case_id, repository, clock())
    fields = sorted(changes.model_dump(exclude_none=True))
    if not fields:
        raise InvalidCase("nothing to change")
    if facts.owner_agency_id != principal.agency_id:
        if OWNER_ONLY_FIELDS & set(fields):
            raise CaseForbidden(f"only the owner agency can change {sorted(OWNER_ONLY_FIELDS & set(fields))}")
        if not (purpose and purpose.strip()):
            raise PurposeRequired("changing another agency's case needs a stated purpose (X-Sett-Purpose)")
    event = AuditEvent("case.update", principal.subject, principal.agency_id, {"case": case_id, "fields": fields})
    await repository.update(case_id, changes, event)


async def close_case(
    *, principal: Principal, case_id: str, closed_on: date | None, repository: CaseRepository, clock: Clock = utc_now
) -> None:
    """Only the owner agency closes its case."""
    facts = await _facts_for_write(principal, case_id, repository, clock())
    if facts.owner_agency_id != principal.agency_id:
        raise CaseForbidden("only the owner agency can close a case")
    event = AuditEvent("case.close", principal.subject, principal.agency_id, {"case": case_id})
    await repository.set_status(case_id, CaseStatus.CLOSED, closed_on or clock().date(), event)


async def change_member(
    *,
    principal: Principal,
    case_id: str,
    agency_id: str,
    add: bool,
    repository: CaseRepository,
    clock: Clock = utc_now,
) -> None:
    """The owner agency adds or removes a partner agency of the case team (a task force)."""
    facts = await _facts_for_write(principal, case_id, repository, clock())
    if facts.owner_agency_id != principal.agency_id:
        raise CaseForbidden("only the owner agency can change the case team")
    if agency_id == facts.owner_agency_id:
        raise InvalidCase("the owner agency is always on its case team")
    kind = "case.member.add" if add else "case.member.remove"
    event = AuditEvent(kind, principal.subject, principal.agency_id, {"case": case_id, "member": agency_id})
    if add:
        await repository.add_member(case_id, agency_id, event)
    else:
        await repository.remove_member(case_id, agency_id, event)


MAX_PURPOSE = 500


def _reader(principal: Principal, purpose: str | None, clock: Clock) -> Reader:
    _require(principal, Scope.CASES_READ)
    stated = purpose.strip() if purpose else None
    if stated and len(stated) > MAX_PURPOSE:
        raise InvalidCase(f"a stated purpose has at most {MAX_PURPOSE} characters")
    return Reader(principal.subject, principal.agency_id, stated or None, clock())


async def get_case(
    *, principal: Principal, case_id: str, purpose: str | None, repository: CaseRepository, clock: Clock = utc_now
) -> Case:
    case = await repository.read_one(_reader(principal, purpose, clock), case_id)
    if case is None:
        raise CaseNotFound(f"no case {case_id!r}")
    return case


async def list_cases(
    *,
    principal: Principal,
    where: CaseFilter,
    first: int,
    after: str | None,
    purpose: str | None,
    repository: CaseRepository,
    count: bool = True,
    clock: Clock = utc_now,
) -> CasePage:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidCase(f"first must be between 1 and {MAX_PAGE}")
    return await repository.read_page(_reader(principal, purpose, clock), where, first, after, count=count)
