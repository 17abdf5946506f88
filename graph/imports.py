"""Bulk import into Neo4j: one batch of checked records a transaction, each a MERGE by (agency, sourceId).

A batch's transaction reads what the graph holds of its records (`FACTS`), lets the domain decide what to write
(`cases.imports.plan`), writes the cases, then the persons, each with UNWIND, and appends the batch's audit entry.
All of it commits or none of it does, and writing a batch twice writes it once: cases and persons are MERGEd on
the constraints of migration 0010, identifiers on theirs (one node per kind and value, shared with the API's), and
relationships between them by MERGE. So a run killed at any point and run again leaves the graph one run leaves.

What the import writes is marked, so that a record edited in the file replaces what the import wrote of it and
nothing else: the case's and the person's fields are set whole from the row (the case's status, closing date and
team are not the file's, and stay); `sourceImport: true` marks the identifiers and INVOLVES relationships the
import made, and those the row no longer lists are removed, while those added through the API stay. A person's
PERSON identifiers are derived from who they are, and follow the row (`derived: true`), as addPerson and
updatePerson have them. Each node keeps the fingerprint of the row it was written from (`importHash`): a row
whose fingerprint is the stored one is not written at all.

An Identifier node nothing holds any more stays, as removeIdentifier leaves it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl
from neo4j.exceptions import ConstraintError

from cases.errors import ImportConflict, InvalidCase
from cases.imports.plan import BatchFacts, BatchPlan, StoredPerson, Write, identifier_keys
from cases.imports.records import CaseRecord, ImportRecord, PersonRecord
from cases.models import CaseRole, case_number_key
from graph import cases as case_store
from graph import persons as person_store
from graph.audit import append_audit
from graph.policy import MAY_CHANGE_PERSON, lock
from graph.stored import native

AGENCY_EXISTS = "RETURN EXISTS { MATCH (:Agency {id: $agency}) } AS found"
FACTS = f"""
CALL () {{
  UNWIND $cases AS row
  OPTIONAL MATCH (c:Case {{ownerAgencyId: $agency, sourceId: row.sourceId}})
  OPTIONAL MATCH (holder:Case {{ownerAgencyId: $agency, caseNumberKey: row.numberKey}})
    WHERE holder.sourceId IS NULL OR holder.sourceId <> row.sourceId
  WITH row, c, holder,
       COLLECT {{ MATCH (p:Purge {{ownerAgencyId: $agency, sourceId: row.sourceId}}) RETURN p.at }}[0] AS purgedAt
  WITH row, c, holder, purgedAt WHERE c IS NOT NULL OR holder IS NOT NULL OR purgedAt IS NOT NULL
  RETURN collect({{sourceId: row.sourceId, stored: c IS NOT NULL, fingerprint: c.importHash,
                  numberKey: c.caseNumberKey, closedOn: c.closedOn, purgedAt: purgedAt,
                  taken: holder IS NOT NULL, holder: holder.sourceId}}) AS cases
}}
CALL () {{
  UNWIND $persons AS row
  MATCH (p:Person {{ownerAgencyId: $agency, sourceId: row.sourceId}})
  RETURN collect({{
    sourceId: row.sourceId,
    fingerprint: p.importHash,
    mayChange: {MAY_CHANGE_PERSON},
    roles: COLLECT {{
      MATCH (c:Case)-[r:INVOLVES]->(p) WHERE c.ownerAgencyId = $agency AND c.sourceId IN row.cases
      RETURN [c.sourceId, r.role]
    }}
  }}) AS persons
}}
CALL () {{
  UNWIND $named AS sourceId
  MATCH (:Case {{ownerAgencyId: $agency, sourceId: sourceId}})
  RETURN collect(sourceId) AS stored
}}
RETURN cases, persons, stored
"""
"""The BatchFacts of a batch: its stored cases and those whose number another case holds, its stored persons,
and which of the cases its persons name are stored. Reads take no locks: a write re-checks what it relies on."""

_MERGE_IDENTIFIERS = """CALL ({holder}, row) {{
  UNWIND row.{field} AS key
  MERGE (i:Identifier {{kind: key[0], value: key[1]}})
  MERGE ({holder})-[r:HAS_IDENTIFIER]->(i) ON CREATE SET r.derived = {derived}, r.since = datetime(){marked}
}}"""


def _merge_identifiers(holder: str, field: str, *, derived: bool) -> str:
    marked = "" if derived else ", r.sourceImport = true"
    return _MERGE_IDENTIFIERS.format(holder=holder, field=field, derived=str(derived).lower(), marked=marked)


WRITE_CASES = f"""
MATCH (owner:Agency {{id: $agency}})
UNWIND $cases AS row
MERGE (c:Case {{ownerAgencyId: $agency, sourceId: row.sourceId}})
  ON CREATE SET c.id = randomUUID(), c.linkKey = randomUUID(), c.status = 'OPEN'
WITH owner, c, row, CASE WHEN c.intelligence THEN c.reviewDue ELSE row.fields.reviewDue END AS reviewDue
SET c += row.fields, c.importHash = row.fingerprint, c.reviewDue = reviewDue
MERGE (owner)-[:OWNS]->(c)
WITH c, row
CALL (c, row) {{
  MATCH (c)-[r:HAS_IDENTIFIER {{sourceImport: true}}]->(i:Identifier) WHERE NOT [i.kind, i.value] IN row.identifiers
  DELETE r
}}
{_merge_identifiers("c", "identifiers", derived=False)}
RETURN count(*) AS written
"""
"""Each case whole from its row. Created OPEN, as openCase opens it; its status and team are not the file's, nor
is the review date of a criminal-intelligence record, which its owner and its supervisors keep (`graph.retention`)."""

WRITE_PERSONS = f"""
UNWIND $persons AS row
MERGE (p:Person {{ownerAgencyId: $agency, sourceId: row.sourceId}})
  ON CREATE SET p.id = randomUUID()
WITH p, row
{lock("p")}
WITH p, row
CALL (p) {{
  MATCH (c:Case)-[:INVOLVES]->(p)
  WITH c ORDER BY c.id
  {lock("c")}
}}
WITH p, row, {MAY_CHANGE_PERSON} AS allowed
OPTIONAL CALL (p, row, allowed) {{
  WITH p, row WHERE allowed
  SET p += row.fields, p.importHash = row.fingerprint
  WITH p, row
  CALL (p, row) {{
    MATCH (c:Case)-[r:INVOLVES {{sourceImport: true}}]->(p) WHERE NOT c.sourceId IN [link IN row.cases | link[0]]
    DELETE r
  }}
  CALL (p, row) {{
    MATCH (p)-[r:HAS_IDENTIFIER]->(i:Identifier)
    WHERE (r.derived AND NOT [i.kind, i.value] IN row.derived)
       OR (r.sourceImport AND NOT r.derived AND NOT [i.kind, i.value] IN row.identifiers)
    DELETE r
  }}
  {_merge_identifiers("p", "derived", derived=True)}
  {_merge_identifiers("p", "identifiers", derived=False)}
  CALL (p, row) {{
    UNWIND row.cases AS link
    MATCH (c:Case {{ownerAgencyId: $agency, sourceId: link[0]}})
    MERGE (c)-[r:INVOLVES]->(p) ON CREATE SET r.role = link[1], r.since = datetime(), r.sourceImport = true
    RETURN count(c) AS linked, count(CASE WHEN r.role <> link[1] THEN 1 END) AS otherRoles
  }}
  RETURN linked, otherRoles
}}
WITH row, allowed, linked, otherRoles WHERE NOT allowed OR linked < size(row.cases) OR otherRoles > 0
RETURN row.sourceId AS sourceId, allowed, linked, otherRoles
"""
"""Each person whole from their row, with their cases and identifiers. The person and their cases are locked and
MAY_CHANGE_PERSON is checked again, as updatePerson does; a person whose row no longer holds what the plan read
(a case gone, a role given meanwhile, the agency off a team) is returned, and the batch is planned again."""


class Neo4jImportRepository:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def agency_exists(self, agency_id: str) -> bool:
        records, _, _ = await self._driver.execute_query(
            AGENCY_EXISTS, agency=agency_id, database_=self._database, routing_=RoutingControl.READ
        )
        return bool(records[0]["found"])

    async def import_batch(
        self, agency_id: str, records: Sequence[ImportRecord], plan: Callable[[BatchFacts], BatchPlan]
    ) -> BatchPlan:
        async def work(tx: AsyncManagedTransaction) -> BatchPlan:
            facts = await _facts(tx, agency_id, records)
            planned = plan(facts)
            if not planned.writes:
                return planned
            if planned.cases:
                rows = [_case_row(write) for write in planned.cases]
                written = await (await tx.run(WRITE_CASES, agency=agency_id, cases=rows)).single()
                if written is None or written["written"] != len(rows):
                    raise InvalidCase(f"no agency {agency_id!r} in the directory")
            if planned.persons:
                rows = [_person_row(write) for write in planned.persons]
                stale = await (await tx.run(WRITE_PERSONS, agency=agency_id, persons=rows)).data()
                if stale:
                    raise ImportConflict(f"person {stale[0]['sourceId']} changed while the batch was written")
            assert planned.event is not None, "a batch that writes has its audit entry"
            await append_audit(tx, planned.event)
            return planned

        try:
            async with self._driver.session(database=self._database) as session:
                return await session.execute_write(work)
        except ConstraintError as error:
            # another writer took a case number this batch sets, after the batch read it was free
            raise ImportConflict("a case number of the batch was taken while it was written") from error


async def _facts(tx: AsyncManagedTransaction, agency_id: str, records: Sequence[ImportRecord]) -> BatchFacts:
    cases = [
        {"sourceId": r.source_id, "numberKey": case_number_key(r.draft.agency_case_number)}
        for r in records
        if isinstance(r, CaseRecord)
    ]
    persons = [
        {"sourceId": r.source_id, "cases": [link.case_source_id for link in r.cases]}
        for r in records
        if isinstance(r, PersonRecord)
    ]
    named = sorted({case for person in persons for case in person["cases"]})
    found = await (await tx.run(FACTS, agency=agency_id, cases=cases, persons=persons, named=named)).single()
    assert found is not None
    return BatchFacts(
        cases={row["sourceId"]: row["fingerprint"] for row in found["cases"] if row["stored"]},
        number_holders={row["sourceId"]: row["holder"] for row in found["cases"] if row["taken"]},
        persons={
            row["sourceId"]: StoredPerson(
                fingerprint=row["fingerprint"],
                may_change=bool(row["mayChange"]),
                roles={case: CaseRole(role) for case, role in row["roles"]},
            )
            for row in found["persons"]
        },
        stored_cases=frozenset(found["stored"]),
        stored_numbers={row["sourceId"]: row["numberKey"] for row in found["cases"] if row["stored"]},
        closed_on={row["sourceId"]: native(row["closedOn"]) for row in found["cases"] if row["closedOn"] is not None},
        purged={
            row["sourceId"]: native(row["purgedAt"]).date()
            for row in found["cases"]
            if row["purgedAt"] is not None and not row["stored"]
        },
    )


def _case_row(write: Write[CaseRecord]) -> dict[str, Any]:
    record = write.record
    return {
        "sourceId": record.source_id,
        "fingerprint": write.fingerprint,
        "fields": case_store.stored_fields(record.draft),
        "identifiers": identifier_keys(record.identifiers),
    }


def _person_row(write: Write[PersonRecord]) -> dict[str, Any]:
    record = write.record
    return {
        "sourceId": record.source_id,
        "fingerprint": write.fingerprint,
        "fields": person_store.stored_fields(record.draft),
        "cases": sorted([link.case_source_id, link.role.value] for link in record.cases),
        "identifiers": identifier_keys(record.identifiers),
        "derived": identifier_keys(record.derived),
    }
