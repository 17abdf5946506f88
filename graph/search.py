"""Full-text search over what cases say, only among the cases the reader may see in full.

The `case_text` full-text index (migration 0006) finds the cases whose title or summary match; the policy's
Cypher form filters them in the same query, so a hidden case is neither returned nor counted. The reader's
words are searched as plain words: every character Lucene would read as syntax is escaped.
"""

from __future__ import annotations

import re
from typing import Any

from neo4j import AsyncDriver

from agencies.audit import AuditEvent
from cases.models import Case, SearchHit, SearchPage
from cases.ports import Reader
from graph.cases import CASE_FIELDS, TEAM, case_from, disclosures
from graph.policy import VICTIM_VISIBLE, VISIBLE
from graph.recorded_reads import DisclosuresWritten, RecordedReads

_LUCENE_SYNTAX = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
SEARCH = f"""
CALL db.index.fulltext.queryNodes('case_text', $text) YIELD node AS c
WITH c WHERE {VISIBLE}
WITH collect(c) AS hits
WITH hits, size(hits) AS total
OPTIONAL CALL (hits) {{
  UNWIND hits AS c
  WITH c WHERE $after_id IS NULL OR c.id > $after_id
  WITH c ORDER BY c.id LIMIT $limit
  WITH c, {VICTIM_VISIBLE} AS victimVisible
  RETURN {CASE_FIELDS} AS c, victimVisible, {TEAM} AS team
}}
RETURN total, c, victimVisible, team
ORDER BY c.id
"""
"""In id order, never by score: the index scores against every case it holds, hidden ones included, so a score
or an order by it would tell how often hidden cases use a word."""


def plain_words(text: str) -> str:
    """The reader's text as Lucene terms, any of which may match: syntax characters escaped, and words lower-cased
    so that AND, OR and NOT are words, not operators (the index's analyser lower-cases anyway)."""
    return " ".join(_LUCENE_SYNTAX.sub(r"\\\1", word) for word in text.lower().split())


class _SearchShape:
    def __init__(self, reader: Reader, shown: int, asked: dict[str, Any]) -> None:
        self._reader = reader
        self._shown = shown
        self._asked = asked

    def parse(self, records: list[Any]) -> tuple[int, list[Case]]:
        total = int(records[0]["total"]) if records else 0
        return total, [case_from(record) for record in records if record["c"] is not None]

    def needs_records(self, found: tuple[int, list[Case]]) -> bool:
        return True

    def records(self, found: tuple[int, list[Case]]) -> tuple[list[dict[str, Any]], list[AuditEvent]]:
        reader = self._reader
        rows, events = disclosures(reader, found[1][: self._shown], "searchCases")
        asked = AuditEvent("read.searchCases", reader.subject, reader.agency_id, {**self._asked, "found": found[0]})
        return rows, [asked, *events]


class Neo4jSearchRepository:
    def __init__(self, driver: AsyncDriver, database: str, *, on_disclosures: DisclosuresWritten | None = None) -> None:
        self._reads = RecordedReads(driver, database, on_disclosures)

    async def search(self, reader: Reader, text: str, first: int, after: str | None) -> SearchPage:
        params = {
            "text": plain_words(text),
            "agency": reader.agency_id,
            "now": reader.now,
            "after_id": after,
            "limit": first + 1,
        }
        shape = _SearchShape(reader, first, {"text": text})
        total, found = await self._reads.run(SEARCH, params, shape, expect_records=True)
        hits = tuple(SearchHit(case=case, position=case.id) for case in found[:first])
        return SearchPage(hits=hits, total=total, has_next=len(found) > first)
