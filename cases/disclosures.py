"""Dissemination records: every time one agency's case reaches another agency, in full or as a pointer."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class DisclosureKind(StrEnum):
    CASE = "CASE"
    """The cases themselves were shown."""
    POINTER = "POINTER"
    """Only that the cases exist, their owner and whom to call, because they hold the reader's identifiers."""


class Disclosure(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    at: datetime
    subject: str
    """Who read."""
    recipient_agency_id: str
    owner_agency_id: str
    case_ids: tuple[str, ...]
    purpose: str | None
    """Required for CASE; a pointer shows no case content and may come without one."""
    operation: str
    kind: DisclosureKind = DisclosureKind.CASE
    identifiers: tuple[str, ...] = ()
    """For a POINTER: the matched identifiers, as `KIND:value`."""
    purged_case_ids: tuple[str, ...] = ()
    """Those of `case_ids` purged since under 28 CFR Part 23: the record of the disclosure stays."""
