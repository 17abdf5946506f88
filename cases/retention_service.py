"""Use cases on criminal-intelligence records (28 CFR Part 23): mark, validate, list what is due, purge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from agencies.audit import AuditEvent
from agencies.policy import owns
from agencies.principals import Principal, Role, Scope
from cases.access import Clock, check_page_size, facts_for_write, require_scope, utc_now
from cases.errors import CaseForbidden
from cases.models import Case
from cases.ports import CaseRepository, RetentionRepository
from cases.retention import (
    RETENTION_YEARS,
    DueRecord,
    IntelligenceRecord,
    PurgeRecord,
    check_due_within,
    check_rationale,
    review_date,
    years_after,
)


async def mark_intelligence_record(
    *,
    principal: Principal,
    case_id: str,
    record: IntelligenceRecord,
    review_due: date | None,
    cases: CaseRepository,
    retention: RetentionRepository,
    clock: Clock = utc_now,
) -> None:
    """The owner agency marks its case as an intelligence record, or corrects the record's fields. The review
    date is the one asked for (today or later) or, by default, the latest allowed: five years after the record
    was first marked or last validated. Marking again does not move that limit."""
    now = clock()
    facts = await facts_for_write(principal, case_id, cases, now)
    if not owns(principal.agency_id, facts):
        raise CaseForbidden("only the owner agency can mark its case as an intelligence record")
    today = now.date()
    if review_due is not None:
        review_date(review_due, today=today, limit=years_after(today, RETENTION_YEARS))
    event = AuditEvent("retention.mark", principal.subject, principal.agency_id, {"case": case_id})
    await retention.mark(case_id, record, review_due=review_due, today=today, writer=principal.agency_id, event=event)


def _require_supervisor(principal: Principal, what: str) -> None:
    if not principal.is_(Role.SUPERVISOR):
        raise CaseForbidden(f"only a SUPERVISOR of the owner agency can {what}")


async def validate_record(
    *,
    principal: Principal,
    case_id: str,
    rationale: str,
    review_due: date | None,
    cases: CaseRepository,
    retention: RetentionRepository,
    clock: Clock = utc_now,
) -> None:
    """A supervisor of the owner agency finds the record still meets 28 CFR Part 23 and says why: the review,
    its date and its rationale are recorded, and the retention limit is five years from today."""
    _require_supervisor(principal, "validate an intelligence record")
    now = clock()
    facts = await facts_for_write(principal, case_id, cases, now)
    if not owns(principal.agency_id, facts):
        raise CaseForbidden("only a SUPERVISOR of the owner agency can validate an intelligence record")
    reason = check_rationale(rationale)
    today = now.date()
    limit = years_after(today, RETENTION_YEARS)
    due = review_date(review_due, today=today, limit=limit)
    detail = {"case": case_id, "reviewDue": due.isoformat()}
    event = AuditEvent("retention.validate", principal.subject, principal.agency_id, detail)
    await retention.validate(
        case_id,
        rationale=reason,
        review_due=due,
        limit=limit,
        today=today,
        at=now,
        writer=principal.agency_id,
        subject=principal.subject,
        event=event,
    )


@dataclass(frozen=True)
class DuePage:
    cases: list[Case]
    total: int
    has_next: bool


async def retention_due(
    *,
    principal: Principal,
    within_days: int,
    first: int,
    after: tuple[date, str] | None,
    retention: RetentionRepository,
    clock: Clock = utc_now,
) -> DuePage:
    """The records of the supervisor's agency whose review falls within `within_days` (or has passed)."""
    _require_supervisor(principal, "list the intelligence records due for review")
    require_scope(principal, Scope.CASES_READ)
    check_due_within(within_days)
    check_page_size(first)
    until = clock().date() + timedelta(days=within_days)
    cases, total, has_next = await retention.due(principal.agency_id, until, first, after)
    return DuePage(cases, total, has_next)


async def records_to_review(
    *, within_days: int, agency_id: str | None, retention: RetentionRepository, clock: Clock = utc_now
) -> list[DueRecord]:
    """The operator's list (`sett retention review`): what is due within `within_days`, of one agency or all."""
    check_due_within(within_days)
    return await retention.review(clock().date() + timedelta(days=within_days), agency_id)


async def records_to_purge(
    *, agency_id: str | None, retention: RetentionRepository, clock: Clock = utc_now
) -> list[DueRecord]:
    """What passed its review date unvalidated (of one agency, or all): what `purge_expired` removes."""
    return await retention.review(clock().date() - timedelta(days=1), agency_id)


async def purge_expired(
    *, by: str, agency_id: str | None, retention: RetentionRepository, clock: Clock = utc_now
) -> list[PurgeRecord]:
    """Purges every record whose review date passed without validation (of one agency, or all). The operator's
    alone (`sett retention purge`): the rule decides what goes, not a person. Each purge is its own transaction,
    which re-checks the record under its lock, so a validation that lands meanwhile saves it."""
    now = clock()
    purged = []
    for due in await records_to_purge(agency_id=agency_id, retention=retention, clock=lambda: now):
        event = AuditEvent("retention.purge", by, due.owner_agency_id, {"case": due.case_id})
        record = await retention.purge(due.case_id, now.date(), now, by, event)
        if record is not None:
            purged.append(record)
    return purged


async def purge_records(
    *,
    principal: Principal,
    first: int,
    after: tuple[datetime, str] | None,
    retention: RetentionRepository,
) -> tuple[list[PurgeRecord], int, bool]:
    """What was purged of the principal's agency: for its supervisors and liaisons (AUDIT_READ)."""
    require_scope(principal, Scope.AUDIT_READ)
    check_page_size(first)
    return await retention.purges(principal.agency_id, first, after)
