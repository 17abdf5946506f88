"""Linked cases: what a case shares identifiers with, under the policy, in one query per request.

The traversal is `graph.policy.linked_cases`; this module pages it in (hops, link key) order, where the link
key is a random per-case key (migration 0006), so that a cursor never carries the id of a case the reader may
not see. A page that shows another agency's case records a disclosure; one that shows a pointer records that
the owner's case was pointed to, through which identifiers, for the owner's access report.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache
from typing import Any

from neo4j import AsyncDriver

from agencies.audit import AuditEvent
from cases.errors import PurposeRequired
from cases.identifiers import Identifier
from cases.models import CasePointer, LinkedCase, LinkedPage
from cases.ports import Reader
from graph.cases import CASE_FIELDS, TEAM, case_from, disclosures
from graph.persons import identifier_of
from graph.policy import HOLDERS_OF, VICTIM_VISIBLE, linked_cases
from graph.recorded_reads import DisclosuresWritten, RecordedReads
from graph.stored import contact_of

POINTER_FIELDS = """{
  ownerAgencyId: c.ownerAgencyId,
  contact: CASE WHEN c.contactName IS NOT NULL
    THEN {name: c.contactName, phone: c.contactPhone, email: c.contactEmail}
    ELSE head(COLLECT { MATCH (a:Agency {id: c.ownerAgencyId}) WHERE a.contactName IS NOT NULL
                        RETURN {name: a.contactName, phone: a.contactPhone, email: a.contactEmail} })
  END
}"""


def _page(traversal: str) -> str:
    """A page of `links` (see `graph.policy`) after ($after_hops, $after_key), with the total."""
    return f"""
{traversal}
WITH links, size(links) AS total
OPTIONAL CALL (links) {{
  UNWIND links AS link
  WITH link, link.c AS c
  WHERE link.hops > $after_hops OR (link.hops = $after_hops AND c.linkKey > $after_key)
  WITH link, c ORDER BY link.hops, c.linkKey LIMIT $limit
  WITH link, c, link.full AND {VICTIM_VISIBLE} AS victimVisible
  RETURN link.hops AS hops, c.linkKey AS key, c.id AS caseId, c.ownerAgencyId AS owner,
         [i IN link.via | i {{.kind, .value}}] AS via, victimVisible,
         CASE WHEN link.full THEN {CASE_FIELDS} END AS c,
         CASE WHEN link.full THEN {TEAM} ELSE [] END AS team,
         CASE WHEN NOT link.full THEN {POINTER_FIELDS} END AS pointer
}}
RETURN total, hops, key, caseId, owner, via, c, victimVisible, team, pointer
ORDER BY hops, key
"""


@cache
def linked_page(max_hops: int) -> str:
    return _page(linked_cases(max_hops))


HOLDERS_PAGE = _page(HOLDERS_OF)


@dataclass(frozen=True)
class _Row:
    link: LinkedCase
    case_id: str
    """Kept here for the records only: a pointer's case id never reaches the answer."""
    owner: str


@dataclass(frozen=True)
class _Found:
    total: int | None
    rows: list[_Row]


class _LinkedShape:
    """Every such read is audited (what was asked, by whom), besides what it discloses or points to."""

    def __init__(self, reader: Reader, shown: int, operation: str, asked: dict[str, Any]) -> None:
        self._reader = reader
        self._shown = shown
        self._operation = operation
        self._asked = asked

    def parse(self, records: list[Any]) -> _Found:
        total = int(records[0]["total"]) if records else None
        return _Found(total, [_row(record) for record in records if record["hops"] is not None])

    def needs_records(self, found: _Found) -> bool:
        return True

    def records(self, found: _Found) -> tuple[list[dict[str, Any]], list[AuditEvent]]:
        reader, shown = self._reader, found.rows[: self._shown]
        full = [row.link.case for row in shown if row.link.case is not None]
        rows, events = disclosures(reader, full, self._operation)
        pointers = [(row.case_id, row.owner, row.link.linked_by) for row in shown if row.link.pointer]
        pointer_rows, pointer_events = pointer_records(reader, pointers, self._operation)
        asked = AuditEvent(
            f"read.{self._operation}", reader.subject, reader.agency_id, {**self._asked, "found": found.total}
        )
        return rows + pointer_rows, [asked, *events, *pointer_events]


class Neo4jLinkRepository:
    def __init__(self, driver: AsyncDriver, database: str, *, on_disclosures: DisclosuresWritten | None = None) -> None:
        self._reads = RecordedReads(driver, database, on_disclosures)

    async def linked(
        self, reader: Reader, case_id: str, max_hops: int, first: int, after: tuple[int, str] | None
    ) -> LinkedPage | None:
        """None when the reader may not see the case it starts from."""
        asked = {"case": case_id, "maxHops": max_hops}
        return await self._page(
            reader, linked_page(max_hops), {"id": case_id}, first, after, operation="linkedCases", asked=asked
        )

    async def holders(
        self, reader: Reader, identifier: Identifier, first: int, after: tuple[int, str] | None
    ) -> LinkedPage:
        params = {"kind": identifier.kind.value, "value": identifier.value}
        page = await self._page(reader, HOLDERS_PAGE, params, first, after, operation="lookupIdentifier", asked=params)
        assert page is not None  # the walk from an identifier always answers, if only with no links
        return page

    async def _page(
        self,
        reader: Reader,
        query: str,
        params: dict[str, Any],
        first: int,
        after: tuple[int, str] | None,
        *,
        operation: str,
        asked: dict[str, Any],
    ) -> LinkedPage | None:
        after_hops, after_key = after or (0, "")
        params = {
            **params,
            "agency": reader.agency_id,
            "now": reader.now,
            "after_hops": after_hops,
            "after_key": after_key,
            "limit": first + 1,
        }
        shape = _LinkedShape(reader, first, operation, asked)
        found = await self._reads.run(query, params, shape, expect_records=True)
        if found.total is None:
            return None
        links = tuple(row.link for row in found.rows[:first])
        return LinkedPage(links=links, total=found.total, has_next=len(found.rows) > first)


def identifiers_of_rows(rows: list[dict[str, Any]]) -> tuple[Identifier, ...]:
    return tuple(sorted((identifier_of(row) for row in rows), key=lambda i: (i.kind, i.value)))


def _row(record: Any) -> _Row:
    via = identifiers_of_rows(record["via"])
    position = f"{record['hops']}|{record['key']}"
    if record["c"] is not None:
        link = LinkedCase(hops=record["hops"], linked_by=via, case=case_from(record), position=position)
    else:
        pointer = record["pointer"]
        contact = pointer["contact"]
        link = LinkedCase(
            hops=record["hops"],
            linked_by=via,
            pointer=CasePointer(
                owner_agency_id=pointer["ownerAgencyId"],
                point_of_contact=contact_of(contact),
                matched=via,
            ),
            position=position,
        )
    return _Row(link, record["caseId"], record["owner"])


def pointer_records(
    reader: Reader, pointed: list[tuple[str, str, tuple[Identifier, ...]]], operation: str
) -> tuple[list[dict[str, Any]], list[AuditEvent]]:
    """One record per owner agency whose cases (id, owner, matched identifiers) a read pointed to: which, and
    through which identifiers."""
    by_owner: dict[str, list[tuple[str, tuple[Identifier, ...]]]] = {}
    for case_id, owner, matched in pointed:
        by_owner.setdefault(owner, []).append((case_id, matched))
    if by_owner and reader.purpose is None:
        raise PurposeRequired("pointing to another agency's cases needs a stated purpose (the X-Sett-Purpose header)")
    records, events = [], []
    for owner, cases in sorted(by_owner.items()):
        record_id = str(uuid.uuid4())
        identifiers = sorted({f"{i.kind.value}:{i.value}" for _, matched in cases for i in matched})
        case_ids = [case_id for case_id, _ in cases]
        records.append(
            {
                "id": record_id,
                "kind": "POINTER",
                "at": reader.now,
                "subject": reader.subject,
                "recipientAgencyId": reader.agency_id,
                "ownerAgencyId": owner,
                "caseIds": case_ids,
                "identifiers": identifiers,
                "purpose": reader.purpose,
                "operation": operation,
            }
        )
        detail = {"disclosure": record_id, "owner": owner, "cases": case_ids, "identifiers": identifiers}
        events.append(AuditEvent("pointer", reader.subject, reader.agency_id, detail))
    return records, events
