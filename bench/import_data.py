"""Synthetic import files: cases and the persons on them, with identifiers that link some of them.

Synthetic only: names from a short list of placeholders, phone numbers in the 555-01xx range set aside for
fiction, e-mail addresses and ads at example.org and example.com. The same `count` and `seed` give the same file.

Half the records are cases, half persons; each person comes after their cases: the case just before them, and
for one in four an earlier one too. Phones are drawn from a pool a quarter the size of the cases, so that some
cases and persons share one, as linked cases do.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

FIRST = ("Alex", "Casey", "Jordan", "Morgan", "Riley", "Sam", "Taylor", "Jamie", "Robin", "Quinn", "Avery", "Drew")
LAST = ("Example", "Sample", "Placeholder", "Testperson", "Fictional", "Madeup", "Specimen", "Dummy")
AREA_CODES = (
    201,
    202,
    203,
    205,
    206,
    207,
    208,
    209,
    210,
    212,
    213,
    214,
    215,
    216,
    217,
    218,
    219,
    224,
    225,
    228,
    229,
    231,
    234,
    239,
    240,
    248,
    251,
    252,
    253,
    254,
    256,
    260,
    262,
    267,
    269,
    270,
    276,
    281,
    301,
    302,
    303,
    304,
    305,
    307,
    308,
    309,
    310,
    312,
    313,
    314,
    315,
    316,
    317,
    318,
    319,
    320,
    321,
    323,
    325,
    330,
    334,
    336,
    337,
    339,
    347,
    351,
    352,
    360,
    361,
    385,
    386,
    401,
    402,
    404,
    405,
    406,
    407,
    408,
    409,
    410,
    412,
    413,
    414,
    415,
    417,
    419,
    423,
    425,
    430,
    432,
    434,
    435,
    440,
    443,
    458,
    469,
    470,
    475,
    478,
    479,
)
"""A hundred area codes in use: their 555-0100 to 555-0199 are fiction's numbers, and valid."""
ROLES = ("SUSPECT", "VICTIM", "WITNESS", "ASSOCIATE")
OFFENSES = ("18 U.S.C. 1591 sex trafficking", "18 U.S.C. 1589 forced labor", "labor trafficking")
LABELS = ("task-force", "labor", "online")
CSV_COLUMNS = (
    "record",
    "sourceId",
    "agencyCaseNumber",
    "title",
    "openedOn",
    "summary",
    "offenses",
    "labels",
    "pointOfContact.name",
    "pointOfContact.phone",
    "name",
    "aliases",
    "dateOfBirth",
    "cases",
    "phones",
    "emails",
    "onlineAds",
)


def phone(n: int) -> str:
    return f"({AREA_CODES[n % len(AREA_CODES)]}) 555-01{(n // len(AREA_CODES)) % 100:02d}"


def records(count: int, seed: int = 0, *, prefix: str = "SYN") -> Iterator[dict[str, object]]:
    """`count` records as JSON Lines objects, in file order."""
    rng = random.Random(seed)
    phones = max(1, count // 8)
    for n in range(count):
        number = n // 2
        if n % 2 == 0:
            yield _case(rng, number, phones, prefix)
        else:
            yield _person(rng, number, phones, prefix)


def _case(rng: random.Random, number: int, phones: int, prefix: str) -> dict[str, object]:
    identifiers: list[dict[str, str]] = [{"kind": "PHONE", "value": phone(rng.randrange(phones))}]
    if number % 3 == 0:
        identifiers.append({"kind": "ONLINE_AD", "value": f"https://ads.example.com/listing/{prefix.lower()}{number}"})
    return {
        "record": "case",
        "sourceId": f"{prefix}-C-{number:07d}",
        "agencyCaseNumber": f"{prefix}-{number:07d}",
        "title": f"Synthetic case {number}",
        "openedOn": (date(2020, 1, 1) + timedelta(days=rng.randrange(1800))).isoformat(),
        "summary": "Synthetic data for an import benchmark.",
        "offenses": [rng.choice(OFFENSES)],
        "labels": [rng.choice(LABELS)] if number % 2 else [],
        "pointOfContact": {"name": "Synthetic duty desk", "phone": phone(number)},
        "identifiers": identifiers,
    }


def _person(rng: random.Random, number: int, phones: int, prefix: str) -> dict[str, object]:
    cases = [{"caseSourceId": f"{prefix}-C-{number:07d}", "role": rng.choice(ROLES)}]
    if number > 0 and number % 4 == 0:
        cases.append({"caseSourceId": f"{prefix}-C-{rng.randrange(number):07d}", "role": "ASSOCIATE"})
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(15000))
    return {
        "record": "person",
        "sourceId": f"{prefix}-P-{number:07d}",
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {number}",
        "aliases": [f"{rng.choice(FIRST)} {number}"] if number % 5 == 0 else [],
        "dateOfBirth": born.isoformat(),
        "cases": cases,
        "identifiers": [
            {"kind": "PHONE", "value": phone(rng.randrange(phones))},
            {"kind": "EMAIL", "value": f"person{number}@example.org"},
        ],
    }


def write_jsonl(path: Path, rows: Iterator[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def write_csv(path: Path, rows: Iterator[dict[str, object]]) -> Path:
    """The same records in the CSV form (docs/import-format.md)."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for row in rows:
            writer.writerow([_cell(row, column) for column in CSV_COLUMNS])
    return path


def _cell(row: dict[str, object], column: str) -> str:
    identifiers = row.get("identifiers", [])
    assert isinstance(identifiers, list)
    kinds = {"phones": "PHONE", "emails": "EMAIL", "onlineAds": "ONLINE_AD"}
    if column in kinds:
        return "|".join(str(i["value"]) for i in identifiers if i["kind"] == kinds[column])
    if column.startswith("pointOfContact."):
        contact = row.get("pointOfContact") or {}
        assert isinstance(contact, dict)
        return str(contact.get(column.partition(".")[2]) or "")
    value = row.get(column)
    if column == "cases" and isinstance(value, list):
        return "|".join(f"{link['caseSourceId']}:{link['role']}" for link in value)
    if isinstance(value, list):
        return "|".join(str(entry) for entry in value)
    return "" if value is None else str(value)
