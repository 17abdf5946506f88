"""Cases, and the persons they involve, as the rest of Sett sees them."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from agencies.models import PointOfContact
from agencies.text import clean_line, clean_lines, line, lines, paragraphs
from cases.identifiers import Identifier
from cases.retention import IntelligenceRecord, Retention


class CaseStatus(StrEnum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


MAX_OFFENSES = 20
MAX_LABELS = 20


def _label_set(values: frozenset[str]) -> frozenset[str]:
    return frozenset(clean_lines(values, max_chars=64, max_items=MAX_LABELS))


CaseNumber = Annotated[str, line(64)]
Title = Annotated[str, line(200)]
LongText = Annotated[str, paragraphs(10_000)]
Offenses = Annotated[tuple[str, ...], lines(120, MAX_OFFENSES)]
Labels = Annotated[frozenset[str], AfterValidator(_label_set)]


def case_number_key(number: str) -> str:
    """What makes two case numbers of one agency the same: `spd-2026-0042` is `SPD-2026-0042`."""
    return " ".join(number.split()).casefold()


class CaseDraft(BaseModel):
    """What an analyst gives to open a case."""

    model_config = ConfigDict(frozen=True)

    agency_case_number: CaseNumber
    title: Title
    summary: LongText = ""
    offenses: Offenses = ()
    labels: Labels = frozenset()
    opened_on: date
    review_due: date | None = None
    point_of_contact: PointOfContact | None = None
    victim_services_notes: LongText | None = None
    intelligence: IntelligenceRecord | None = None
    """Marks the case as a criminal-intelligence record (28 CFR Part 23)."""


class CaseChanges(BaseModel):
    """Fields to change; None leaves a field as it is."""

    model_config = ConfigDict(frozen=True)

    title: Title | None = None
    summary: LongText | None = None
    offenses: Offenses | None = None
    labels: Labels | None = None
    review_due: date | None = None
    point_of_contact: PointOfContact | None = None
    victim_services_notes: LongText | None = None


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
    intelligence: Retention | None = None


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


class CaseRole(StrEnum):
    SUSPECT = "SUSPECT"
    VICTIM = "VICTIM"
    WITNESS = "WITNESS"
    ASSOCIATE = "ASSOCIATE"
    ARRESTEE = "ARRESTEE"
    DEFENDANT = "DEFENDANT"


MAX_ALIASES = 20


def _clean_name(value: str) -> str:
    cleaned = " ".join(clean_line(value, max_chars=200).split())
    if not any(char.isalnum() for char in cleaned):
        raise ValueError("needs at least one letter or digit")
    return cleaned


def _clean_aliases(value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_clean_name(alias) for alias in value))


class PersonDraft(BaseModel):
    """What an analyst records of a person."""

    model_config = ConfigDict(frozen=True)

    name: str
    aliases: tuple[str, ...] = Field(default=(), max_length=MAX_ALIASES)
    date_of_birth: date | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _clean_name(value)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _clean_aliases(value)


class PersonChanges(BaseModel):
    """Fields to change; None leaves a field as it is."""

    model_config = ConfigDict(frozen=True)

    name: str | None = None
    aliases: tuple[str, ...] | None = Field(default=None, max_length=MAX_ALIASES)
    date_of_birth: date | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return _clean_name(value) if value is not None else None

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return _clean_aliases(value) if value is not None else None


class Person(BaseModel):
    """A person as recorded by its owner agency."""

    model_config = ConfigDict(frozen=True)

    id: str
    owner_agency_id: str
    name: str
    aliases: tuple[str, ...] = ()
    date_of_birth: date | None = None
    identifiers: tuple[Identifier, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class CasePerson(BaseModel):
    """A person on one case, as one reader may see them: a redacted identity leaves only the role."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    role: CaseRole
    person: Person | None
    """None when the reader may not see who the person is (a victim outside the case team)."""


class CasePointer(BaseModel):
    """That a case the reader may not see exists: its owner agency, whom to call, and which of the reader's own
    identifiers it holds. Nothing else of the case."""

    model_config = ConfigDict(frozen=True)

    owner_agency_id: str
    point_of_contact: PointOfContact | None
    matched: tuple[Identifier, ...]


class LinkedCase(BaseModel):
    """A case reached through shared identifiers: in full where the policy allows it, else a pointer."""

    model_config = ConfigDict(frozen=True)

    hops: int
    linked_by: tuple[Identifier, ...]
    case: Case | None = None
    pointer: CasePointer | None = None
    position: str
    """Where it stands in the answer's order, for the page cursor; never a case id."""


class LinkedPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    links: tuple[LinkedCase, ...]
    total: int | None
    has_next: bool


class SearchHit(BaseModel):
    model_config = ConfigDict(frozen=True)

    case: Case
    position: str
    """Where it stands in the answer's order (by id), for the page cursor."""


class SearchPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    hits: tuple[SearchHit, ...]
    total: int
    has_next: bool


class PathStep(BaseModel):
    """One step of a link path: an identifier, a case seen in full, or (last) a pointer to a hidden case."""

    model_config = ConfigDict(frozen=True)

    identifier: Identifier | None = None
    case: Case | None = None
    pointer: CasePointer | None = None


class PathEnd(BaseModel):
    """An end of a link path: a person (by id) or identifiers."""

    model_config = ConfigDict(frozen=True)

    person_id: str | None = None
    identifiers: tuple[Identifier, ...] = ()
