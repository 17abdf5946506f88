"""Use cases on the agency directory."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from agencies.models import Agency
from agencies.ports import AgencyRepository

BATCH_SIZE = 1000


@dataclass(frozen=True)
class SeedReport:
    given: int
    created: int
    changed: int

    @property
    def unchanged(self) -> int:
        return self.given - self.created - self.changed


async def seed_agencies(
    *,
    agencies: Sequence[Agency],
    repository: AgencyRepository,
    on_progress: Callable[[int], None] = lambda done: None,
) -> SeedReport:
    """Loads reference agencies idempotently, in batches; `on_progress` hears how many are done."""
    created = changed = 0
    for start in range(0, len(agencies), BATCH_SIZE):
        batch = agencies[start : start + BATCH_SIZE]
        counts = await repository.upsert_many(batch)
        created += counts.created
        changed += counts.changed
        on_progress(start + len(batch))
    return SeedReport(given=len(agencies), created=created, changed=changed)
