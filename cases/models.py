"""Cases as the rest of Sett sees them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from agencies.models import PointOfContact


class CaseStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class CaseDraft(BaseModel):
    """What an analyst gives to open a case."""

    model_config = ConfigDict(frozen=True)

    agency_case_number: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(default="", max_length=10_000)
    offenses: tuple[str, ...] = ()
    labels: frozenset[str] = frozenset()
    opened_on: date
    review_due: date | None = None
    point_of_contact: PointOfContact | None = None
    victim_services_notes: str | None = Field(default=None, max_length=10_000)


class CaseChanges(BaseModel):
    """Fields to change; None leaves a field as it is."""

    model_config = ConfigDict(frozen=True)

    title: str | None = Field(default=None, min_length=1, max_length=200)
    summary: str | None = Field(default=None, max_length=10_000)
    offenses: tuple[str, ...] | None = None
    labels: frozenset[str] | None = None
    review_due: date | None = None
    point_of_contact: PointOfContact | None = None
    victim_services_notes: str | None = Field(default=None, max_length=10_000)


class Case(BaseModel):
    """A case as one principal may see it: fields the policy redacts are None and named in `redacted`."""

    model_config = ConfigDict(frozen=True)

    id: str
    owner_agency_id: str
    agency_case_number: str
    title: str
    summary: str
    status: CaseStatus
    offenses: tuple[str, ...]
    labels: frozenset[str]
    opened_on: date
    closed_on: date | None = None
    review_due: date | None = None
    point_of_contact: PointOfContact | None = None
    victim_services_notes: str | None = None
    team_agency_ids: frozenset[str] = frozenset()
    redacted: frozenset[str] = frozenset()


class CaseFilter(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: CaseStatus | None = None
    owner_agency_id: str | None = None
    label: str | None = None


class CasePage(BaseModel):
    model_config = ConfigDict(frozen=True)

    cases: tuple[Case, ...]
    total: int | None
    """None unless the caller asked for it: counting costs a read of every visible case."""
    has_next: bool
