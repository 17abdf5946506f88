"""Criminal-intelligence records in Neo4j (28 CFR Part 23): marking, validation, what is due, and the purge.

An intelligence record is a Case with `intelligence: true`, the fields of `cases.retention.IntelligenceRecord`,
`markedOn`, `lastValidatedOn` / `lastValidatedBy`, and `retentionLimit`: the latest review date allowed, five years
after it was marked or last validated. Each write locks the case and re-checks, under the lock, what it relies on
(the writer owns the case; the record is still kept), so that a validation and a purge never both happen.

The purge deletes the case with its validations, the persons no other case involves, and the identifiers nothing
else holds once those are gone; it leaves a `Purge` record (what, when, by whom, no content) and notes the purge
on the dissemination records that named the case.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

from agencies.audit import AuditEvent
from cases.errors import CaseForbidden, CaseNotFound, InvalidCase
from cases.models import Case
from cases.retention import EXPIRED, DueRecord, IntelligenceRecord, PurgeRecord, check_review_due
from graph.audit import append_audit
from graph.cases import CASE_FIELDS, TEAM, case_from, record_fields
from graph.policy import OWNS, lock
from graph.stored import native

# `limit` in MARK is `cases.retention.Retention.retention_limit`: Neo4j's date arithmetic also makes 29 February
# 28 February five years on.
MARK = f"""
MATCH (c:Case {{id: $id}})
{lock("c")}
WITH c, {OWNS} AS allowed, coalesce(c.markedOn, $today) AS markedOn
WITH c, allowed, markedOn, coalesce(c.lastValidatedOn, markedOn) + duration({{years: 5}}) AS limit
WITH c, allowed, limit, coalesce($reviewDue, CASE WHEN $today <= c.reviewDue <= limit THEN c.reviewDue END, limit)
     AS reviewDue
WITH c, allowed, limit, reviewDue, reviewDue > limit AS late, coalesce(c.intelligence AND c.reviewDue < $today, false)
     AS expired
FOREACH (_ IN CASE WHEN allowed AND NOT late AND NOT expired THEN [1] ELSE [] END |
  SET c += $record, c.intelligence = true, c.markedOn = coalesce(c.markedOn, $today), c.retentionLimit = limit,
      c.reviewDue = reviewDue)
RETURN allowed, late, expired, limit
"""
VALIDATE = f"""
MATCH (c:Case {{id: $id}})
{lock("c")}
WITH c, {OWNS} AS allowed, coalesce(c.intelligence, false) AS kept, c.reviewDue < $today AS expired
FOREACH (_ IN CASE WHEN allowed AND kept AND NOT expired THEN [1] ELSE [] END |
  SET c.lastValidatedOn = $today, c.lastValidatedBy = $subject, c.retentionLimit = $limit, c.reviewDue = $reviewDue
  CREATE (c)-[:VALIDATED]->(:Validation {{id: randomUUID(), at: $at, on: $today, reviewer: $subject,
                                         rationale: $rationale, reviewDue: $reviewDue}}))
RETURN allowed, kept, expired, c.reviewDue AS reviewDue
"""
DUE = f"""
MATCH (c:Case {{ownerAgencyId: $agency}})
WHERE c.intelligence AND c.reviewDue <= $until
  AND (c.reviewDue > $after_due OR (c.reviewDue = $after_due AND c.id > $after_id))
WITH c, true AS victimVisible ORDER BY c.reviewDue, c.id LIMIT $limit
RETURN {CASE_FIELDS} AS c, victimVisible, {TEAM} AS team
"""
"""The owner's own records: no dissemination record, and nothing redacted (`victimVisible`)."""
DUE_COUNT = (
    "MATCH (c:Case {ownerAgencyId: $agency}) WHERE c.intelligence AND c.reviewDue <= $until RETURN count(c) AS n"
)
REVIEW = """
MATCH (c:Case) WHERE c.reviewDue <= $until AND c.intelligence AND ($agency IS NULL OR c.ownerAgencyId = $agency)
RETURN c.ownerAgencyId AS owner, c.id AS id, c.agencyCaseNumber AS number, c.reviewDue AS reviewDue,
       c.controlOfficial AS controlOfficial, c.lastValidatedOn AS lastValidatedOn
ORDER BY c.reviewDue, c.ownerAgencyId, c.id
"""
"""For the operator's `sett retention review`: what each agency must review by `$until`, across agencies."""
PURGE = f"""
MATCH (c:Case {{id: $id}})
{lock("c")}
WITH c WHERE c.intelligence AND c.reviewDue < $today
CALL (c) {{
  MATCH (c)-[:INVOLVES]->(p:Person)
  WITH p ORDER BY p.id
  {lock("p")}
  WITH p WHERE NOT EXISTS {{ MATCH (p)<-[:INVOLVES]-(other:Case) WHERE other <> c }}
  RETURN collect(p) AS persons
}}
CALL (c, persons) {{
  UNWIND [c] + persons AS holder
  MATCH (holder)-[:HAS_IDENTIFIER]->(i:Identifier)
  WITH DISTINCT i ORDER BY i.kind, i.value
  {lock("i")}
  WITH i WHERE NOT EXISTS {{ MATCH (i)<-[:HAS_IDENTIFIER]-(other) WHERE other <> c AND NOT other IN persons }}
  RETURN collect(i) AS identifiers
}}
CREATE (purge:Purge {{id: $purge, at: $at, by: $by, ownerAgencyId: c.ownerAgencyId, caseId: c.id,
                     markedOn: c.markedOn, lastValidatedOn: c.lastValidatedOn, reviewDue: c.reviewDue,
                     sourceId: c.sourceId, persons: size(persons), identifiers: size(identifiers)}})
WITH c, persons, identifiers, purge
CALL (c) {{
  MATCH (c)-[:VALIDATED]->(v:Validation)
  DETACH DELETE v
}}
FOREACH (node IN identifiers | DETACH DELETE node)
FOREACH (node IN persons | DETACH DELETE node)
DETACH DELETE c
RETURN purge {{ .* }} AS purge
"""
"""Re-checks under the case's lock that the record still expired unvalidated; locks its persons and identifiers
before asking what else holds them, so that no write putting them on another case meanwhile is undone."""
PURGES = """
MATCH (p:Purge {ownerAgencyId: $agency})
WHERE NOT $after OR p.at < $after_at OR (p.at = $after_at AND p.id < $after_id)
RETURN p { .* } AS purge ORDER BY p.at DESC, p.id DESC LIMIT $limit
"""
PURGE_COUNT = "MATCH (p:Purge {ownerAgencyId: $agency}) RETURN count(p) AS n"


class Neo4jRetentionRepository:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def mark(
        self,
        case_id: str,
        record: IntelligenceRecord,
        *,
        review_due: date | None,
        today: date,
        writer: str,
        event: AuditEvent,
    ) -> None:
        params = {"id": case_id, "record": record_fields(record), "reviewDue": review_due, "today": today}

        async def work(tx: AsyncManagedTransaction) -> None:
            done = await _owned(tx, MARK, {**params, "agency": writer}, "mark it as an intelligence record")
            if done["expired"]:
                raise InvalidCase(EXPIRED)
            if done["late"] and review_due is not None:
                check_review_due(review_due, native(done["limit"]))
            await append_audit(tx, event)

        await self._write(work)

    async def validate(
        self,
        case_id: str,
        *,
        rationale: str,
        review_due: date,
        limit: date,
        today: date,
        at: datetime,
        writer: str,
        subject: str,
        event: AuditEvent,
    ) -> None:
        params = {
            "id": case_id,
            "rationale": rationale,
            "reviewDue": review_due,
            "limit": limit,
            "today": today,
            "at": at,
            "agency": writer,
            "subject": subject,
        }

        async def work(tx: AsyncManagedTransaction) -> None:
            done = await _owned(tx, VALIDATE, params, "validate its records")
            if not done["kept"]:
                raise InvalidCase("the case is not a criminal-intelligence record; mark it first")
            if done["expired"]:
                raise InvalidCase(EXPIRED)
            await append_audit(tx, event)

        await self._write(work)

    async def due(
        self, agency_id: str, until: date, first: int, after: tuple[date, str] | None
    ) -> tuple[list[Case], int, bool]:
        params = {"agency": agency_id, "until": until}
        records, _, _ = await self._driver.execute_query(
            DUE,
            params,
            after_due=after[0] if after else date.min,
            after_id=after[1] if after else "",
            limit=first + 1,
            database_=self._database,
            routing_=RoutingControl.READ,
        )
        counted, _, _ = await self._driver.execute_query(
            DUE_COUNT, params, database_=self._database, routing_=RoutingControl.READ
        )
        cases = [case_from(record) for record in records]
        return cases[:first], int(counted[0]["n"]), len(cases) > first

    async def review(self, until: date, agency_id: str | None) -> list[DueRecord]:
        records, _, _ = await self._driver.execute_query(
            REVIEW, until=until, agency=agency_id, database_=self._database, routing_=RoutingControl.READ
        )
        return [
            DueRecord(
                owner_agency_id=record["owner"],
                case_id=record["id"],
                agency_case_number=record["number"],
                review_due=native(record["reviewDue"]),
                control_official=record["controlOfficial"],
                last_validated_on=native(record["lastValidatedOn"]),
            )
            for record in records
        ]

    async def purge(self, case_id: str, today: date, at: datetime, by: str, event: AuditEvent) -> PurgeRecord | None:
        purge_id = str(uuid.uuid4())
        params = {"id": case_id, "today": today, "at": at, "by": by, "purge": purge_id}
        recorded = AuditEvent(event.kind, event.actor, event.agency_id, {**event.detail, "purge": purge_id})

        async def work(tx: AsyncManagedTransaction) -> PurgeRecord | None:
            record = await (await tx.run(PURGE, params)).single()
            if record is None:
                return None
            await append_audit(tx, recorded)
            return _purge_from(record["purge"])

        async with self._driver.session(database=self._database) as session:
            return await session.execute_write(work)

    async def purges(
        self, agency_id: str, first: int, after: tuple[datetime, str] | None
    ) -> tuple[list[PurgeRecord], int, bool]:
        records, _, _ = await self._driver.execute_query(
            PURGES,
            agency=agency_id,
            after=after is not None,
            after_at=after[0] if after else None,
            after_id=after[1] if after else None,
            limit=first + 1,
            database_=self._database,
            routing_=RoutingControl.READ,
        )
        counted, _, _ = await self._driver.execute_query(
            PURGE_COUNT, agency=agency_id, database_=self._database, routing_=RoutingControl.READ
        )
        found = [_purge_from(record["purge"]) for record in records]
        return found[:first], int(counted[0]["n"]), len(found) > first

    async def _write(self, work: Any) -> None:
        async with self._driver.session(database=self._database) as session:
            await session.execute_write(work)


async def _owned(tx: AsyncManagedTransaction, query: str, params: dict[str, Any], what: str) -> Any:
    done = await (await tx.run(query, params)).single()
    if done is None:
        raise CaseNotFound(f"no case {params['id']!r}")
    if not done["allowed"]:
        raise CaseForbidden(f"only the owner agency can {what}")
    return done


def _purge_from(stored: Any) -> PurgeRecord:
    return PurgeRecord.model_construct(
        id=stored["id"],
        at=stored["at"].to_native(),
        by=stored["by"],
        owner_agency_id=stored["ownerAgencyId"],
        case_id=stored["caseId"],
        marked_on=native(stored.get("markedOn")),
        last_validated_on=native(stored.get("lastValidatedOn")),
        review_due=native(stored.get("reviewDue")),
        persons=stored["persons"],
        identifiers=stored["identifiers"],
    )
