"""Dissemination records: every time one agency's case reaches another agency."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Disclosure(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    at: datetime
    subject: str
    """Who read."""
    recipient_agency_id: str
    owner_agency_id: str
    case_ids: tuple[str, ...]
    purpose: str
    operation: str
