"""Link paths: the shortest chain of shared identifiers between two ends, in one query per request.

The walk is `graph.policy.link_path`; this module shows its steps as the policy allows, and records what the
path disclosed (another agency's case in full) or pointed to (a hidden case at its end).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from neo4j import AsyncDriver

from agencies.audit import AuditEvent
from cases.models import CasePointer, PathEnd, PathStep
from cases.ports import Reader
from graph.cases import CASE_FIELDS, TEAM, case_from, disclosures
from graph.links import POINTER_FIELDS, identifiers_of_rows, pointer_records
from graph.persons import identifier_of
from graph.policy import VICTIM_VISIBLE, link_path
from graph.recorded_reads import DisclosuresWritten, RecordedReads
from graph.stored import contact_of


@cache
def path_query(max_cases: int) -> str:
    return f"""
{link_path(max_cases)}
UNWIND CASE WHEN path IS NULL THEN [null] ELSE range(0, size(path) - 1) END AS n
WITH ends, n, path[n] AS step
WITH ends, n, step, step.c AS c, step.i AS i
WITH ends, n, step, c, i, CASE WHEN c IS NULL THEN false ELSE step.full AND {VICTIM_VISIBLE} END AS victimVisible
RETURN ends, n, i {{.kind, .value}} AS identifier, victimVisible,
       CASE WHEN step.full THEN {CASE_FIELDS} END AS c,
       CASE WHEN step.full THEN {TEAM} ELSE [] END AS team,
       CASE WHEN c IS NOT NULL AND NOT step.full THEN {POINTER_FIELDS} END AS pointer,
       c.id AS caseId, c.ownerAgencyId AS owner
ORDER BY n
"""


@dataclass(frozen=True)
class _Step:
    step: PathStep
    case_id: str | None
    owner: str | None


class _PathShape:
    def __init__(self, reader: Reader, asked: dict[str, Any]) -> None:
        self._reader = reader
        self._asked = asked

    def parse(self, records: list[Any]) -> list[_Step]:
        rows = [record for record in records if record["n"] is not None]
        steps: list[_Step] = []
        for index, record in enumerate(rows):
            if record["identifier"] is not None:
                steps.append(_Step(PathStep(identifier=identifier_of(record["identifier"])), None, None))
            elif record["c"] is not None:
                steps.append(_Step(PathStep(case=case_from(record)), record["caseId"], record["owner"]))
            else:
                pointer, contact = record["pointer"], record["pointer"]["contact"]
                around = [row["identifier"] for row in (rows[index - 1], *rows[index + 1 : index + 2])]
                shown = CasePointer(
                    owner_agency_id=pointer["ownerAgencyId"],
                    point_of_contact=contact_of(contact),
                    matched=identifiers_of_rows([row for row in around if row is not None]),
                )
                steps.append(_Step(PathStep(pointer=shown), record["caseId"], record["owner"]))
        return steps

    def needs_records(self, found: list[_Step]) -> bool:
        return True

    def records(self, found: list[_Step]) -> tuple[list[dict[str, Any]], list[AuditEvent]]:
        reader = self._reader
        shown = [step.step.case for step in found if step.step.case is not None]
        rows, events = disclosures(reader, shown, "linkPath")
        pointed = [
            (step.case_id, step.owner, step.step.pointer.matched)
            for step in found
            if step.step.pointer and step.case_id and step.owner
        ]
        pointer_rows, pointer_events = pointer_records(reader, pointed, "linkPath")
        asked = AuditEvent("read.linkPath", reader.subject, reader.agency_id, self._asked)
        return rows + pointer_rows, [asked, *events, *pointer_events]


class Neo4jPathRepository:
    def __init__(self, driver: AsyncDriver, database: str, *, on_disclosures: DisclosuresWritten | None = None) -> None:
        self._reads = RecordedReads(driver, database, on_disclosures)

    async def shortest(self, reader: Reader, start: PathEnd, end: PathEnd, max_cases: int) -> list[PathStep] | None:
        params = {
            **_end("from", start),
            **_end("to", end),
            "agency": reader.agency_id,
            "now": reader.now,
        }
        asked = {"from": _asked(start), "to": _asked(end), "maxCases": max_cases}
        found = await self._reads.run(path_query(max_cases), params, _PathShape(reader, asked), expect_records=True)
        return [step.step for step in found] or None


def _end(side: str, end: PathEnd) -> dict[str, Any]:
    named = [{"kind": i.kind.value, "value": i.value} for i in end.identifiers]
    return {f"{side}_person": end.person_id, f"{side}_identifiers": named}


def _asked(end: PathEnd) -> dict[str, Any]:
    return (
        {"person": end.person_id}
        if end.person_id
        else {"identifiers": [f"{i.kind}:{i.value}" for i in end.identifiers]}
    )
