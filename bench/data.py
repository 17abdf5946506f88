"""Synthetic cases over the real FBI agencies, for the read benchmark.

Shape: one big agency owns 8.3% of the cases (it sees about 16,600 at 200k); a small one sees exactly 60
whatever the size (40 of its own, 10 as a team member, 10 named by an agreement); about 5% of cases have one
or two partner agencies on their team; a few hundred agreements between other agencies; one agency (CROSS)
reads the big agency's cases under an ALL_CASES agreement. Every case and title is synthetic.

The bulk load writes nodes directly with UNWIND (the services would audit 200,000 transactions one by one);
it runs on a graph migrated by Sett's own migrations.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from neo4j import AsyncDriver

from agencies.models import Agency

BATCH = 5_000
BIG_SHARE = 0.083
SMALL_OWN, SMALL_TEAM, SMALL_NAMED = 40, 10, 10
TEAM_SHARE = 0.05
AGREEMENTS = 300
LABELS = ("HT", "LABOR", "MINOR", "ONLINE")

CREATE_CASES = """
UNWIND $cases AS row
MATCH (owner:Agency {id: row.ownerAgencyId})
CREATE (owner)-[:OWNS]->(c:Case)
SET c = row, c.openedOn = date(row.openedOn)
"""
ADD_MEMBERS = """
UNWIND $members AS row
MATCH (c:Case {id: row.case}), (a:Agency {id: row.agency})
MERGE (a)-[:MEMBER_OF]->(c)
"""
CREATE_AGREEMENTS = """
UNWIND $agreements AS row
CREATE (g:SharingAgreement)
SET g = row, g.validFrom = datetime(row.validFrom)
"""


@dataclass(frozen=True)
class Cast:
    """The agencies whose reads the benchmark measures, and cases to read."""

    big: str
    small: str
    cross: str
    big_cases: tuple[str, ...]
    """A sample of the big agency's case ids, for `case(id)`."""


async def load(driver: AsyncDriver, database: str, agencies: list[Agency], total: int, seed: int = 7) -> Cast:
    """Loads `total` cases over `agencies` (already in the graph) and returns who reads what."""
    rng = random.Random(seed)
    ids = sorted(agency.id for agency in agencies if agency.state)
    big, small, cross = ids[0], ids[1], ids[2]
    others = rng.sample(ids[3:], 2_000)
    cast = Cast(big=big, small=small, cross=cross, big_cases=())
    owners = [cast.big] * round(total * BIG_SHARE) + [cast.small] * SMALL_OWN
    weights = [1 / (rank + 1) for rank in range(len(others))]  # a few large agencies, many small ones
    owners += rng.choices(others, weights=weights, k=total - len(owners))
    rng.shuffle(owners)

    cases = [_case(rng, index, owner) for index, owner in enumerate(owners)]
    for start in range(0, total, BATCH):
        await driver.execute_query(CREATE_CASES, cases=cases[start : start + BATCH], database_=database)

    foreign = [case for case in cases if case["ownerAgencyId"] not in (cast.big, cast.small)]
    members = [{"case": case["id"], "agency": cast.small} for case in foreign[:SMALL_TEAM]]
    eligible = [agency for agency in others if agency != cast.small]
    for case in rng.sample(cases, round(total * TEAM_SHARE)):
        for agency in rng.sample(eligible, rng.choice((1, 2))):
            if agency != case["ownerAgencyId"]:
                members.append({"case": case["id"], "agency": agency})
    for start in range(0, len(members), BATCH):
        await driver.execute_query(ADD_MEMBERS, members=members[start : start + BATCH], database_=database)

    named_owner = foreign[SMALL_TEAM]["ownerAgencyId"]
    named = [case["id"] for case in foreign[SMALL_TEAM:] if case["ownerAgencyId"] == named_owner][:SMALL_NAMED]
    agreements = [
        _agreement(named_owner, cast.small, "NAMED_CASES", case_ids=named),
        _agreement(cast.big, cast.cross, "ALL_CASES"),
    ]
    for _ in range(AGREEMENTS):
        grantor, grantee = rng.sample(eligible, 2)
        coverage = rng.choice(("ALL_CASES", "LABELLED_CASES", "NAMED_CASES"))
        sample = [case["id"] for case in rng.sample(cases, 5) if case["ownerAgencyId"] == grantor]
        agreements.append(
            _agreement(grantor, grantee, coverage, labels=[rng.choice(LABELS)], case_ids=sample or ["none"])
        )
    await driver.execute_query(CREATE_AGREEMENTS, agreements=agreements, database_=database)

    owned = [case["id"] for case in cases if case["ownerAgencyId"] == cast.big]
    big_cases = tuple(rng.sample(owned, min(500, len(owned))))
    return Cast(big=cast.big, small=cast.small, cross=cast.cross, big_cases=big_cases)


def _case(rng: random.Random, index: int, owner: str) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "ownerAgencyId": owner,
        "agencyCaseNumber": f"BENCH-{index:07d}",
        "title": f"Synthetic case {index}",
        "summary": "synthetic benchmark case",
        "status": "OPEN" if rng.random() < 0.8 else "CLOSED",
        "offenses": ["18 USC 1591"],
        "labels": rng.sample(LABELS, rng.choice((0, 1, 2))),
        "openedOn": "2026-01-15",
        "victimServicesNotes": "synthetic notes",
        "contactName": "Duty desk",
    }


def _agreement(
    grantor: str, grantee: str, coverage: str, *, labels: list[str] | None = None, case_ids: list[str] | None = None
) -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "grantorId": grantor,
        "granteeId": grantee,
        "coverage": coverage,
        "labels": labels or ["HT"],
        "caseIds": case_ids or [],
        "victimServices": False,
        "purpose": "synthetic benchmark agreement",
        "validFrom": (datetime.now(UTC) - timedelta(days=30)).isoformat(),
        "createdBy": "bench",
    }
