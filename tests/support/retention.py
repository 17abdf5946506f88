"""Intelligence records marked on a day of the test's choosing, through the service the API calls."""

from __future__ import annotations

from datetime import UTC, date, datetime

from agencies.principals import AuthMethod, Principal, Role, scopes_for
from cases import retention_service
from cases.retention import Confidence, IntelligenceRecord, Sensitivity
from gateway.repositories import Repositories

SUSPICION = "Synthetic: ads for a minor traced to the subject's phone; two controlled buys."


def analyst_of(agency_id: str) -> Principal:
    roles = frozenset({Role.ANALYST})
    return Principal(
        subject=f"analyst@{agency_id}",
        agency_id=agency_id,
        roles=roles,
        scopes=scopes_for(roles),
        method=AuthMethod.SETT_TOKEN,
    )


async def marked_on(
    repos: Repositories, case_id: str, day: date, *, owner: str, review_due: date | None = None
) -> None:
    """Marks `case_id` as an intelligence record as if on `day` (noon UTC), by an analyst of `owner`."""
    record = IntelligenceRecord(
        reasonable_suspicion=SUSPICION,
        submitting_agency_id=owner,
        control_official="Synthetic Sergeant",
        sensitivity=Sensitivity.SENSITIVE,
        confidence=Confidence.PROBABLE,
    )
    await retention_service.mark_intelligence_record(
        principal=analyst_of(owner),
        case_id=case_id,
        record=record,
        review_due=review_due,
        cases=repos.cases,
        retention=repos.retention,
        clock=lambda: datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
    )


def supervisor_of(agency_id: str) -> Principal:
    roles = frozenset({Role.SUPERVISOR})
    return Principal(
        subject=f"supervisor@{agency_id}",
        agency_id=agency_id,
        roles=roles,
        scopes=scopes_for(roles),
        method=AuthMethod.SETT_TOKEN,
    )


async def validated_on(repos: Repositories, case_id: str, day: date, *, owner: str, review_due: date) -> None:
    """Validates `case_id` as if on `day` (noon UTC), by a supervisor of `owner`."""
    await retention_service.validate_record(
        principal=supervisor_of(owner),
        case_id=case_id,
        rationale="Synthetic: still active",
        review_due=review_due,
        cases=repos.cases,
        retention=repos.retention,
        clock=lambda: datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
    )
