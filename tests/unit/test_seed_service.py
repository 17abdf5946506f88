from __future__ import annotations

from collections.abc import Sequence

from agencies.federal import FEDERAL_AGENCIES
from agencies.models import Agency, AgencyLevel
from agencies.ports import UpsertCounts
from agencies.service import BATCH_SIZE, seed_agencies


class RememberingRepository:
    """Keeps agencies in a dict: the seeding rules only, the real repository is tested against Neo4j."""

    def __init__(self) -> None:
        self.stored: dict[str, Agency] = {}
        self.batches: list[int] = []

    async def upsert_many(self, agencies: Sequence[Agency]) -> UpsertCounts:
        self.batches.append(len(agencies))
        created = sum(agency.id not in self.stored for agency in agencies)
        changed = sum(agency.id in self.stored and self.stored[agency.id] != agency for agency in agencies)
        self.stored.update({agency.id: agency for agency in agencies})
        return UpsertCounts(created=created, changed=changed)

    async def count(self) -> int:
        return len(self.stored)

    async def exists(self, agency_id: str) -> bool:
        return agency_id in self.stored


def many(count: int) -> list[Agency]:
    return [
        FEDERAL_AGENCIES[0].model_copy(update={"id": f"TX{index:07d}", "level": AgencyLevel.LOCAL})
        for index in range(count)
    ]


async def test_seeding_goes_in_batches_and_reports_progress() -> None:
    repository = RememberingRepository()
    progress: list[int] = []
    agencies = many(BATCH_SIZE * 2 + 5)
    report = await seed_agencies(agencies=agencies, repository=repository, on_progress=progress.append)
    assert repository.batches == [BATCH_SIZE, BATCH_SIZE, 5]
    assert progress == [BATCH_SIZE, BATCH_SIZE * 2, BATCH_SIZE * 2 + 5]
    assert (report.created, report.changed, report.unchanged) == (len(agencies), 0, 0)


async def test_a_second_seeding_reports_everything_unchanged() -> None:
    repository = RememberingRepository()
    agencies = many(12)
    await seed_agencies(agencies=agencies, repository=repository)
    report = await seed_agencies(agencies=agencies, repository=repository)
    assert (report.created, report.changed, report.unchanged) == (0, 0, 12)


def test_federal_components_have_distinct_ori_style_ids() -> None:
    ids = [agency.id for agency in FEDERAL_AGENCIES]
    assert len(set(ids)) == len(ids)
    assert all(agency.level is AgencyLevel.FEDERAL and agency.id.startswith("US") for agency in FEDERAL_AGENCIES)
