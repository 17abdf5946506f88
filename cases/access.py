"""What every use case on cases checks first: scopes, what the principal may write on, and who reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from agencies.policy import CaseFacts, decide_case
from agencies.principals import Principal, Scope
from agencies.text import clean_line
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


def stated_purpose(purpose: str | None) -> str | None:
    """The purpose (X-Sett-Purpose) as the owner agency's access report will show it: one line of checked text,
    or None when none was stated."""
    if purpose is None or not purpose.strip():
        return None
    try:
        return clean_line(purpose, max_chars=MAX_PURPOSE)
    except ValueError as error:
        raise InvalidCase(f"the stated purpose (X-Sett-Purpose) {error}") from None


def reader_for(principal: Principal, purpose: str | None, clock: Clock) -> Reader:
    require_scope(principal, Scope.CASES_READ)
    return Reader(principal.subject, principal.agency_id, stated_purpose(purpose), clock())


async def writable_case(
    principal: Principal, case_id: str, purpose: str | None, cases: CaseRepository, now: datetime
) -> CaseFacts:
    """A case the principal may write persons and identifiers on: its owner agency or its case team, the
    latter with a stated purpose, since the answer shows them the case."""
    facts = await facts_for_write(principal, case_id, cases, now)
    if facts.owner_agency_id != principal.agency_id and stated_purpose(purpose) is None:
        raise PurposeRequired("writing on another agency's case needs a stated purpose (X-Sett-Purpose)")
    return facts
