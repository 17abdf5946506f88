"""Use cases on cases themselves: open, change, close, the case team, and reading them under the policy."""

from __future__ import annotations

import uuid
from datetime import date

from agencies.audit import AuditEvent
from agencies.policy import owns
from agencies.principals import Principal, Scope
from cases.access import (
    Clock,
    check_not_future,
    check_page_size,
    facts_for_write,
    reader_for,
    require_scope,
    stated_purpose,
    utc_now,
)
from cases.errors import CaseForbidden, CaseNotFound, InvalidCase, PurposeRequired
from cases.models import Case, CaseChanges, CaseDraft, CaseFilter, CasePage, CaseStatus
from cases.ports import CaseRepository
from cases.retention import Retention, review_date


async def open_case(
    *, principal: Principal, draft: CaseDraft, repository: CaseRepository, clock: Clock = utc_now
) -> Case:
    require_scope(principal, Scope.CASES_WRITE)
    require_scope(principal, Scope.CASES_READ)  # the answer shows the case back
    now = clock()
    check_not_future("openedOn", draft.opened_on, now)
    retention, review_due = None, draft.review_due
    if draft.intelligence is not None:
        retention = Retention(record=draft.intelligence, marked_on=now.date())
        review_due = review_date(draft.review_due, today=now.date(), limit=retention.retention_limit)
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
        review_due=review_due,
        point_of_contact=draft.point_of_contact,
        victim_services_notes=draft.victim_services_notes,
        intelligence=retention,
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
    now = clock()
    facts = await facts_for_write(principal, case_id, repository, now)
    fields = sorted(changes.model_dump(exclude_none=True))
    if not fields:
        raise InvalidCase("nothing to change")
    if facts.owner_agency_id != principal.agency_id:
        if OWNER_ONLY_FIELDS & set(fields):
            raise CaseForbidden(f"only the owner agency can change {sorted(OWNER_ONLY_FIELDS & set(fields))}")
        if stated_purpose(purpose) is None:
            raise PurposeRequired("changing another agency's case needs a stated purpose (X-Sett-Purpose)")
    event = AuditEvent("case.update", principal.subject, principal.agency_id, {"case": case_id, "fields": fields})
    owner_only = bool(OWNER_ONLY_FIELDS & set(fields))
    await repository.update(case_id, changes, principal.agency_id, event, owner_only=owner_only, today=now.date())


async def close_case(
    *, principal: Principal, case_id: str, closed_on: date | None, repository: CaseRepository, clock: Clock = utc_now
) -> None:
    """Only the owner agency closes its case, once, on a day between its opening and today."""
    now = clock()
    facts = await facts_for_write(principal, case_id, repository, now)
    if not owns(principal.agency_id, facts):
        raise CaseForbidden("only the owner agency can close a case")
    closed_on = closed_on or now.date()
    check_not_future("closedOn", closed_on, now)
    event = AuditEvent("case.close", principal.subject, principal.agency_id, {"case": case_id})
    await repository.close(case_id, closed_on, principal.agency_id, event)


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
    facts = await facts_for_write(principal, case_id, repository, clock())
    if not owns(principal.agency_id, facts):
        raise CaseForbidden("only the owner agency can change the case team")
    if agency_id == facts.owner_agency_id:
        raise InvalidCase("the owner agency is always on its case team")
    kind = "case.member.add" if add else "case.member.remove"
    event = AuditEvent(kind, principal.subject, principal.agency_id, {"case": case_id, "member": agency_id})
    if add:
        await repository.add_member(case_id, agency_id, principal.agency_id, event)
    else:
        await repository.remove_member(case_id, agency_id, principal.agency_id, event)


async def get_case(
    *, principal: Principal, case_id: str, purpose: str | None, repository: CaseRepository, clock: Clock = utc_now
) -> Case:
    case = await repository.read_one(reader_for(principal, purpose, clock), case_id)
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
    check_page_size(first)
    return await repository.read_page(reader_for(principal, purpose, clock), where, first, after, count=count)
