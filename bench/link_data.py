"""Synthetic cases, persons and identifiers over the real FBI agencies, for the linked-case benchmark.

Shape, at any size: cases over agencies skewed so that a few hold many (a Zipf-like weight by rank); one or
two persons on each case; identifiers (ads, accounts, e-mail, vehicles) attached to cases and persons, each
held by one to six records, most often by one or two, and about a third of the shared ones by records of
different agencies; 5% of cases with a partner agency on their team; a few hundred agreements. The reader
agency owns 400 cases whatever the size, so that what it may see, and each case's neighbourhood, keep their
size while the graph grows. Titles carry a word shared by about 20 cases, for the search. Every name, identifier
and title is synthetic.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncDriver

from agencies.models import Agency
from bench.data import CREATE_AGREEMENTS, CREATE_CASES, _agreement

BATCH = 5_000
READER_CASES = 400
IDENTIFIERS_PER_CASE = 4
HOLDERS = (1, 1, 1, 2, 2, 2, 3, 4, 6)
"""How many records hold one identifier: drawn from this list."""
VALUES = {
    "EMAIL": "bench-{:08d}@example.org",
    "ONLINE_AD": "bench.example:{:08d}",
    "ONLINE_ACCOUNT": "benchsocial:u{:08d}",
    "VEHICLE": "WA:BZ{:06d}",
}
"""Values in their normalised form, on reserved or made-up domains (no phone numbers: too few are fictional)."""
KINDS = tuple(VALUES)

CREATE_PERSONS = """
UNWIND $persons AS row
MATCH (c:Case {id: row.case})
CREATE (c)-[:INVOLVES {role: row.role}]->(p:Person)
SET p = row.person
"""
CREATE_IDENTIFIERS = """
UNWIND $identifiers AS row
CREATE (i:Identifier {kind: row.kind, value: row.value})
WITH i, row
UNWIND row.holders AS holder
CALL (i, holder) {
  MATCH (h:Case|Person {id: holder})
  CREATE (h)-[:HAS_IDENTIFIER {derived: false}]->(i)
}
"""
ADD_MEMBERS = """
UNWIND $members AS row
MATCH (c:Case {id: row.case}), (a:Agency {id: row.agency})
MERGE (a)-[:MEMBER_OF]->(c)
"""


@dataclass(frozen=True)
class LinkCast:
    reader: str
    """The agency whose analyst reads."""
    starts: tuple[str, ...]
    """Cases of the reader that hold a shared identifier: where linked reads start."""
    lookups: tuple[tuple[str, str], ...]
    """(kind, value) of identifiers the reader's cases hold."""
    paths: tuple[tuple[tuple[str, str], tuple[str, str]], ...]
    """Pairs of identifiers on either side of one of the reader's cases' neighbours."""
    words: tuple[str, ...]
    """Title words of the reader's cases."""


async def load(
    driver: AsyncDriver, database: str, agencies: list[Agency], identifiers: int, seed: int = 11
) -> LinkCast:
    rng = random.Random(seed)
    ids = sorted(agency.id for agency in agencies if agency.state)
    reader, others = ids[5], rng.sample(ids[6:], 2_000)
    total_cases = max(identifiers // IDENTIFIERS_PER_CASE, READER_CASES * 2)
    weights = [1 / (rank + 1) for rank in range(len(others))]
    owners = [reader] * READER_CASES + rng.choices(others, weights=weights, k=total_cases - READER_CASES)
    rng.shuffle(owners)
    cases = [_case(rng, index, owner) for index, owner in enumerate(owners)]
    for start in range(0, len(cases), BATCH):
        await driver.execute_query(CREATE_CASES, cases=cases[start : start + BATCH], database_=database)

    persons = []
    for case in cases:
        for number in range(rng.choice((1, 2))):
            person = {"id": f"{case['id']}-p{number}", "ownerAgencyId": case["ownerAgencyId"], "name": "Synthetic"}
            persons.append(
                {"case": case["id"], "role": rng.choice(("SUSPECT", "ASSOCIATE", "VICTIM")), "person": person}
            )
    for start in range(0, len(persons), BATCH):
        await driver.execute_query(CREATE_PERSONS, persons=persons[start : start + BATCH], database_=database)

    records = [case["id"] for case in cases] + [row["person"]["id"] for row in persons]
    rows: list[dict[str, Any]] = []
    for number in range(identifiers):
        kind = KINDS[number % len(KINDS)]
        holders = sorted(set(rng.sample(records, rng.choice(HOLDERS))))
        rows.append({"kind": kind, "value": VALUES[kind].format(number // len(KINDS)), "holders": holders})
    for start in range(0, len(rows), BATCH):
        await driver.execute_query(CREATE_IDENTIFIERS, identifiers=rows[start : start + BATCH], database_=database)

    members = [
        {"case": case["id"], "agency": rng.choice(others)} for case in rng.sample(cases, round(len(cases) * 0.05))
    ]
    for start in range(0, len(members), BATCH):
        await driver.execute_query(ADD_MEMBERS, members=members[start : start + BATCH], database_=database)
    agreements = [_agreement(rng.choice(others), reader, "LABELLED_CASES", labels=["HT"]) for _ in range(20)]
    for _ in range(300):
        grantor, grantee = rng.sample(others, 2)
        agreements.append(_agreement(grantor, grantee, rng.choice(("ALL_CASES", "LABELLED_CASES")), labels=["HT"]))
    await driver.execute_query(CREATE_AGREEMENTS, agreements=agreements, database_=database)

    own = {case["id"] for case in cases if case["ownerAgencyId"] == reader}
    own_records = own | {row["person"]["id"] for row in persons if row["case"] in own}
    shared = [row for row in rows if len(row["holders"]) > 1 and own_records & set(row["holders"])]
    person_case = {row["person"]["id"]: row["case"] for row in persons}
    starts = sorted({person_case.get(h, h) for row in shared for h in row["holders"] if person_case.get(h, h) in own})
    lookups = tuple((row["kind"], row["value"]) for row in shared[:200])
    paths = tuple(
        ((a["kind"], a["value"]), (b["kind"], b["value"]))
        for a, b in zip(shared[0:200:2], shared[1:200:2], strict=False)
    )
    words = tuple(sorted({case["title"].split()[-1] for case in cases if case["id"] in own}))
    return LinkCast(reader, tuple(starts[:200]), lookups, paths, words[:200])


def _case(rng: random.Random, index: int, owner: str) -> dict[str, Any]:
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "linkKey": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "ownerAgencyId": owner,
        "agencyCaseNumber": f"LINK-{index:08d}",
        "title": f"Synthetic case word{index // 20:06d}",
        "summary": "synthetic benchmark case",
        "status": "OPEN",
        "offenses": ["18 USC 1591"],
        "labels": ["HT"] if rng.random() < 0.3 else [],
        "openedOn": "2026-01-15",
        "contactName": "Duty desk",
    }
