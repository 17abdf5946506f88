"""What every use case on cases checks first: scopes, what the principal may write on, and who reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from agencies.policy import CaseFacts, decide_case
from agencies.principals import Principal, Scope
from cases.errors import CaseForbidden, CaseNotFound, InvalidCase, PurposeRequired
from cases.ports import CaseRepository, Reader

MAX_PAGE = 100
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def require_scope(principal: Principal, scope: Scope) -> None:
    if not principal.has(scope):
        raise CaseForbidden(f"this needs the {scope.name} scope")


async def facts_for_write(principal: Principal, case_id: str, repository: CaseRepository, now: datetime) -> CaseFacts:
    """The case's facts when the principal may see it at all; otherwise it does not exist for them."""
    require_scope(principal, Scope.CASES_WRITE)
    facts = await repository.facts(case_id)
    if facts is None or not decide_case(principal, facts, (), now).visible:
        raise CaseNotFound(f"no case {case_id!r}")
    return facts


MAX_PURPOSE = 500
EARLIEST_DAY = date(1900, 1, 1)


def check_not_future(field: str, day: date, now: datetime) -> None:
    """A day that has happened somewhere on Earth: today in UTC or, for the Pacific, tomorrow; and not before 1900."""
    if day > now.date() + timedelta(days=1):
        raise InvalidCase(f"{field} {day.isoformat()} is in the future")
    if day < EARLIEST_DAY:
        raise InvalidCase(f"{field} {day.isoformat()} is before {EARLIEST_DAY.year}")


def check_page_size(first: int) -> None:
    if not 1 <= first <= MAX_PAGE:
        raise InvalidCase(f"first must be between 1 and {MAX_PAGE}")


def reader_for(principal: Principal, purpose: str | None, clock: Clock) -> Reader:
    require_scope(principal, Scope.CASES_READ)
    stated = purpose.strip() if purpose else None
    if stated and len(stated) > MAX_PURPOSE:
        raise InvalidCase(f"a stated purpose has at most {MAX_PURPOSE} characters")
    return Reader(principal.subject, principal.agency_id, stated or None, clock())


async def writable_case(
    principal: Principal, case_id: str, purpose: str | None, cases: CaseRepository, now: datetime
) -> CaseFacts:
    """A case the principal may write persons and identifiers on: its owner agency or its case team, the
    latter with a stated purpose, since the answer shows them the case."""
    facts = await facts_for_write(principal, case_id, cases, now)
    if facts.owner_agency_id != principal.agency_id and not (purpose and purpose.strip()):
        raise PurposeRequired("writing on another agency's case needs a stated purpose (X-Sett-Purpose)")
    return facts
