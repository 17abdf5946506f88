"""Sharing agreements between agencies (the MOUs of the real world)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from agencies.text import clean_lines, line

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
MAX_NAMED_CASES = 500
MAX_LABELS = 20


def _labels(values: frozenset[str]) -> frozenset[str]:
    return frozenset(clean_lines(values, max_chars=64, max_items=MAX_LABELS))


class Coverage(StrEnum):
    ALL_CASES = "ALL_CASES"
    LABELLED_CASES = "LABELLED_CASES"
    NAMED_CASES = "NAMED_CASES"


class SharingAgreement(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    grantor_id: str
    grantee_id: str
    coverage: Coverage
    labels: Annotated[frozenset[str], AfterValidator(_labels)] = frozenset()
    case_ids: frozenset[str] = Field(default=frozenset(), max_length=MAX_NAMED_CASES)
    victim_services: bool = False
    """Whether victim-services fields are shared too; without it they stay redacted."""
    purpose: Annotated[str, line(500, min_chars=3)]
    valid_from: AwareDatetime
    valid_until: AwareDatetime | None = None
    created_by: str
    revoked_at: AwareDatetime | None = None

    @field_validator("valid_from", "valid_until")
    @classmethod
    def _in_utc_range(cls, value: datetime | None) -> datetime | None:
        """Stored in UTC; a time that has no UTC form (9999-12-31T23:59:59-14:00) or lies past any
        agreement's life is refused rather than failing later in a comparison."""
        if value is None:
            return None
        try:
            in_utc = value.astimezone(UTC)
        except OverflowError:
            raise ValueError("lies outside the dates an agreement can have") from None
        if not EARLIEST <= in_utc < LATEST:
            raise ValueError(f"must lie between {EARLIEST.year} and {LATEST.year - 1}")
        return in_utc

    @model_validator(mode="after")
    def _coverage_is_complete(self) -> SharingAgreement:
        if self.grantor_id == self.grantee_id:
            raise ValueError("an agency cannot grant an agreement to itself")
        if self.coverage is Coverage.LABELLED_CASES and not self.labels:
            raise ValueError("an agreement on labelled cases needs at least one label")
        if self.coverage is Coverage.NAMED_CASES and not self.case_ids:
            raise ValueError("an agreement on named cases needs at least one case")
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            raise ValueError("validUntil must come after validFrom")
        return self

    def active_at(self, now: datetime) -> bool:
        return (
            self.revoked_at is None and self.valid_from <= now and (self.valid_until is None or now < self.valid_until)
        )

    def covers(self, *, case_id: str, labels: frozenset[str]) -> bool:
        if self.coverage is Coverage.ALL_CASES:
            return True
        if self.coverage is Coverage.LABELLED_CASES:
            return bool(self.labels & labels)
        return case_id in self.case_ids
