"""What the agency rules need from storage; `graph/agencies.py` implements it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from agencies.models import Agency


@dataclass(frozen=True)
class UpsertCounts:
    created: int
    changed: int


class AgencyRepository(Protocol):
    async def upsert_many(self, agencies: Sequence[Agency]) -> UpsertCounts:
        """Creates missing agencies and updates changed ones; leaves identical ones untouched."""
        ...

    async def count(self) -> int: ...
