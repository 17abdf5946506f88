"""28 CFR Part 23 criminal-intelligence records: what marking one needs, and how long it may be kept.

28 CFR 23.20(h): intelligence is reviewed and validated for continuing compliance within a retention period of at
most five years; what is not validated by then is purged. A record's review date is therefore never more than
five years after the day it was marked or last validated (its `retention_limit`); only a supervisor's
validation moves that limit.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from agencies.models import ORI_PATTERN
from agencies.text import line, paragraphs
from agencies.validation import first_problem
from cases.errors import InvalidCase

RETENTION_YEARS = 5
DEFAULT_DUE_WITHIN_DAYS = 30
MAX_DUE_WITHIN_DAYS = 366 * RETENTION_YEARS


class Sensitivity(StrEnum):
    """How carefully the record is handled once shared."""

    ROUTINE = "ROUTINE"
    SENSITIVE = "SENSITIVE"
    """Law-enforcement sensitive: shared only with a need and a right to know."""
    RESTRICTED = "RESTRICTED"
    """Its disclosure could endanger a person or an operation. A label for the reader's handling, as the others:
    who may read the record at all is decided by the access policy, as for every case."""


class Confidence(StrEnum):
    """How far the content is believed (the content-validity scale of the 4-by-4 evaluation)."""

    CONFIRMED = "CONFIRMED"
    PROBABLE = "PROBABLE"
    POSSIBLE = "POSSIBLE"
    DOUBTFUL = "DOUBTFUL"


def _ori(value: str) -> str:
    code = value.strip().upper()
    if not ORI_PATTERN.fullmatch(code):
        raise ValueError("is not an agency ORI (nine letters or digits)")
    return code


def _statement(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return value


class IntelligenceRecord(BaseModel):
    """What 28 CFR 23.20 asks of a criminal-intelligence record before it is kept."""

    model_config = ConfigDict(frozen=True)

    reasonable_suspicion: Annotated[str, paragraphs(4_000)]
    """Why the subject is reasonably suspected of involvement in criminal activity (23.20(a))."""
    submitting_agency_id: str
    control_official: Annotated[str, line(200)]
    """Who answers for the record in the submitting agency (23.20(g))."""
    sensitivity: Sensitivity
    confidence: Confidence

    @field_validator("reasonable_suspicion")
    @classmethod
    def _suspicion(cls, value: str) -> str:
        return _statement(value)

    @field_validator("submitting_agency_id")
    @classmethod
    def _submitter(cls, value: str) -> str:
        return _ori(value)


class Retention(BaseModel):
    """An intelligence record as kept: its fields, when it was marked and last validated, and its limit."""

    model_config = ConfigDict(frozen=True)

    record: IntelligenceRecord
    marked_on: date
    validated_on: date | None = None
    validated_by: str | None = None

    @property
    def retention_limit(self) -> date:
        return years_after(self.validated_on or self.marked_on, RETENTION_YEARS)


EXPIRED = (
    "the record's review date has passed without validation: 28 CFR 23.20(h) has it purged, "
    "and its review date is no longer moved, validated or marked again"
)

REQUIRED = ("reasonableSuspicion", "submittingAgencyId", "controlOfficial", "sensitivity", "confidence")


def intelligence_record(fields: dict[str, object | None]) -> IntelligenceRecord:
    """The record from its fields as the API names them, refused with every missing one named at once."""
    missing = [name for name in REQUIRED if fields.get(name) is None]
    if missing:
        raise InvalidCase(
            f"a criminal-intelligence record (28 CFR Part 23) needs {', '.join(missing)}; "
            f"it needs all of {', '.join(REQUIRED)}"
        )
    try:
        return IntelligenceRecord(
            reasonable_suspicion=fields["reasonableSuspicion"],
            submitting_agency_id=fields["submittingAgencyId"],
            control_official=fields["controlOfficial"],
            sensitivity=fields["sensitivity"],
            confidence=fields["confidence"],
        )
    except ValidationError as error:
        raise InvalidCase(f"intelligence.{first_problem(error)}") from None


def years_after(day: date, years: int) -> date:
    """The same day `years` later; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_date(wanted: date | None, *, today: date, limit: date) -> date:
    """The review date of a record marked or validated `today`: the one asked for, or the latest allowed."""
    if wanted is None:
        return limit
    if wanted < today:
        raise InvalidCase(f"reviewDue {wanted.isoformat()} has passed; a review date is today or later")
    check_review_due(wanted, limit)
    return wanted


def check_review_due(wanted: date, limit: date) -> None:
    if wanted > limit:
        raise InvalidCase(
            f"reviewDue {wanted.isoformat()} is more than {RETENTION_YEARS} years after the record was marked or "
            f"last validated; the latest allowed is {limit.isoformat()} (28 CFR 23.20(h)). A supervisor's "
            "validateRecord extends it."
        )


def check_rationale(rationale: str) -> str:
    try:
        return Rationale(text=rationale).text
    except ValidationError as error:
        raise InvalidCase(f"rationale: {first_problem(error).removeprefix('text: ')}") from None


class Rationale(BaseModel):
    text: Annotated[str, paragraphs(4_000)]

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return _statement(value)


def check_due_within(days: int) -> None:
    if not 0 <= days <= MAX_DUE_WITHIN_DAYS:
        raise InvalidCase(f"within must be between 0 and {MAX_DUE_WITHIN_DAYS} days")


class PurgeRecord(BaseModel):
    """What a purge leaves: which record went, when, by whom, and how much went with it; no content."""

    model_config = ConfigDict(frozen=True)

    id: str
    at: datetime
    by: str
    owner_agency_id: str
    case_id: str
    marked_on: date | None
    last_validated_on: date | None
    review_due: date | None
    persons: int
    """Persons purged with the case: those no other case involved."""
    identifiers: int
    """Identifiers purged with it: those nothing else held."""


class DueRecord(BaseModel):
    """An intelligence record to review, as the operator's list shows it: where it is, not what it says."""

    model_config = ConfigDict(frozen=True)

    owner_agency_id: str
    case_id: str
    agency_case_number: str
    review_due: date
    control_official: str
    last_validated_on: date | None
