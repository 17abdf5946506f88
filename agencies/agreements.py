"""Sharing agreements between agencies (the MOUs of the real world)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator


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
    labels: frozenset[str] = frozenset()
    case_ids: frozenset[str] = frozenset()
    victim_services: bool = False
    """Whether victim-services fields are shared too; without it they stay redacted."""
    purpose: str = Field(min_length=3)
    valid_from: AwareDatetime
    valid_until: AwareDatetime | None = None
    created_by: str
    revoked_at: AwareDatetime | None = None

    @model_validator(mode="after")
    def _coverage_is_complete(self) -> SharingAgreement:
        if self.grantor_id == self.grantee_id:
            raise ValueError("an agency cannot grant an agreement to itself")
        if self.coverage is Coverage.LABELLED_CASES and not self.labels:
            raise ValueError("an agreement on labelled cases needs at least one label")
        if self.coverage is Coverage.NAMED_CASES and not self.case_ids:
            raise ValueError("an agreement on named cases needs at least one case")
        if self.valid_until is not None and self.valid_until <= self.valid_from:
            raise ValueError("valid_until must come after valid_from")
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
