"""Cases in Neo4j, read through the access policy pushed into Cypher.

Every read filters with the Cypher form of the policy (`graph.policy`) inside the query, so lists, counts and
pages never fetch a case the reader may not see, and a redacted field never leaves the database. A read that
returns only the reader's own cases runs in a read transaction; one that reaches another agency's case writes
the dissemination record in the same transaction as the read.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl
from neo4j.exceptions import ConstraintError

from agencies.audit import AuditEvent
from agencies.policy import VICTIM_SERVICES_FIELDS, CaseFacts
from cases.errors import CaseForbidden, CaseNotFound, InvalidCase, PurposeRequired
from cases.models import Case, CaseChanges, CaseDraft, CaseFilter, CasePage, CaseStatus, case_number_key
from cases.ports import Reader
from cases.retention import EXPIRED, IntelligenceRecord, Retention, check_review_due
from graph.audit import append_audit
from graph.hints import Hints, Tendency
from graph.policy import MAY_EDIT, OWNS, VICTIM_VISIBLE, VISIBLE, lock, visible_cases
from graph.recorded_reads import DisclosuresWritten, RecordedReads
from graph.stored import contact_from, native, retention_from

_FILTERS = """($status IS NULL OR c.status = $status)
  AND ($owner IS NULL OR c.ownerAgencyId = $owner)
  AND ($label IS NULL OR $label IN c.labels)"""
CASE_FIELDS = "c { .*, victimServicesNotes: CASE WHEN victimVisible THEN c.victimServicesNotes END }"
"""A visible case `c` as it is shown, given `victimVisible` (its VICTIM_VISIBLE)."""
TEAM = "COLLECT { MATCH (m:Agency)-[:MEMBER_OF]->(c) RETURN m.id ORDER BY m.id }"
_PROJECTION = f"""
WITH c, {VICTIM_VISIBLE} AS victimVisible
RETURN {CASE_FIELDS} AS c, victimVisible, {TEAM} AS team
"""
READ_ONE = f"MATCH (c:Case {{id: $id}}) WHERE {VISIBLE}\n{_PROJECTION}"
READ_PAGE = f"""
{visible_cases("c.id > $after AND " + _FILTERS, limit="$limit")}
WITH DISTINCT c ORDER BY c.id LIMIT $limit
{_PROJECTION}
"""
COUNT_THEN_PAGE = f"""
{visible_cases(_FILTERS)}
WITH count(c) AS total
OPTIONAL CALL () {{
{READ_PAGE}
}}
RETURN total, c, victimVisible, team
"""
CASE_FACTS = """
MATCH (c:Case {id: $id})
RETURN c.id AS id, c.ownerAgencyId AS owner, c.labels AS labels,
       COLLECT { MATCH (m:Agency)-[:MEMBER_OF]->(c) RETURN m.id } AS team
"""
CREATE_CASE = """
MATCH (owner:Agency {id: $case.ownerAgencyId})
CREATE (owner)-[:OWNS]->(c:Case)
SET c = $case, c.linkKey = randomUUID()
RETURN c.id AS id
"""
# Each write locks the case, then re-checks the writer's standing on it (`$agency`), so that an agency taken off
# the case team after the service's check, or while this write runs, cannot write once more; `allowed` says if
# it did. The team changes lock the case too, so they and the writes follow one another.
_LOCKED = f"""
MATCH (c:Case {{id: $id}})
{lock("c")}"""
UPDATE_CASE = f"""{_LOCKED}
WITH c, CASE WHEN $owner_only THEN {OWNS} ELSE {MAY_EDIT} END AS allowed,
     CASE WHEN c.intelligence AND $changes.reviewDue IS NOT NULL THEN
       CASE WHEN NOT {OWNS} THEN 'OWNER' WHEN c.reviewDue < $today THEN 'EXPIRED'
            WHEN $changes.reviewDue < $today THEN 'PAST' WHEN $changes.reviewDue > c.retentionLimit THEN 'LATE' END
     END AS refused
FOREACH (_ IN CASE WHEN allowed AND refused IS NULL THEN [1] ELSE [] END | SET c += $changes)
RETURN allowed, refused, c.retentionLimit AS limit
"""
"""The review date of an intelligence record is its owner's, never past, and within its retention limit; once it
has passed, only the purge follows (28 CFR 23.20(h)): no one moves it again."""
CLOSE_CASE = f"""{_LOCKED}
WITH c, {OWNS} AS allowed, c.status = 'CLOSED' AS closed, $closed_on < c.openedOn AS early
FOREACH (_ IN CASE WHEN allowed AND NOT closed AND NOT early THEN [1] ELSE [] END |
  SET c.status = 'CLOSED', c.closedOn = $closed_on)
RETURN allowed, closed, early, c.openedOn AS opened_on, c.closedOn AS closed_on
"""
ADD_MEMBER = f"""{_LOCKED}
WITH c, {OWNS} AS allowed
OPTIONAL MATCH (a:Agency {{id: $member}})
FOREACH (agency IN CASE WHEN allowed AND a IS NOT NULL THEN [a] ELSE [] END |
  MERGE (agency)-[r:MEMBER_OF]->(c) ON CREATE SET r.since = datetime())
RETURN allowed, a IS NOT NULL AS known
"""
REMOVE_MEMBER = f"""{_LOCKED}
WITH c, {OWNS} AS allowed
OPTIONAL MATCH (:Agency {{id: $member}})-[r:MEMBER_OF]->(c)
FOREACH (membership IN CASE WHEN allowed AND r IS NOT NULL THEN [r] ELSE [] END | DELETE membership)
RETURN allowed
"""


class Neo4jCaseRepository:
    def __init__(self, driver: AsyncDriver, database: str, *, on_disclosures: DisclosuresWritten | None = None) -> None:
        self._driver = driver
        self._database = database
        self._shown: Hints[bool] = Hints()
        """Per reader agency: whether a case it was shown is another agency's, and whether its list with a
        given filter showed another agency's case last time. Only the choice of transaction rests on it (see
        `graph.hints`); what is shown and recorded is decided inside the transaction."""
        self._tendency = Tendency()
        """Per reader agency: whether its reads of cases it was never shown mostly reach other agencies."""
        self._reads = RecordedReads(driver, database, on_disclosures)

    async def facts(self, case_id: str) -> CaseFacts | None:
        records, _, _ = await self._driver.execute_query(
            CASE_FACTS, id=case_id, database_=self._database, routing_=RoutingControl.READ
        )
        if not records:
            return None
        record = records[0]
        return CaseFacts(record["id"], record["owner"], frozenset(record["team"]), frozenset(record["labels"]))

    async def create(self, case: Case, event: AuditEvent) -> bool:
        async def work(tx: AsyncManagedTransaction) -> None:
            created = await (await tx.run(CREATE_CASE, case=_stored(case))).single()
            if created is None:
                raise InvalidCase(f"no agency {case.owner_agency_id!r} in the directory")
            await append_audit(tx, event)

        try:
            await self._write(work)
        except ConstraintError:
            return False
        return True

    async def update(
        self, case_id: str, changes: CaseChanges, writer: str, event: AuditEvent, *, owner_only: bool, today: date
    ) -> None:
        params = {
            "id": case_id,
            "changes": _stored_changes(changes),
            "agency": writer,
            "owner_only": owner_only,
            "today": today,
        }

        async def work(tx: AsyncManagedTransaction) -> None:
            done = await _checked_write(tx, UPDATE_CASE, params, "change this case")
            _check_intelligence_review(done["refused"], changes.review_due, done["limit"])
            await append_audit(tx, event)

        await self._write(work)

    async def close(self, case_id: str, closed_on: date, writer: str, event: AuditEvent) -> None:
        params = {"id": case_id, "closed_on": closed_on, "agency": writer}

        async def work(tx: AsyncManagedTransaction) -> None:
            done = await _checked_write(tx, CLOSE_CASE, params, "close a case")
            if done["closed"]:
                raise InvalidCase(f"the case was closed on {done['closed_on'].iso_format()} already")
            if done["early"]:
                raise InvalidCase(f"closedOn comes before the case was opened ({done['opened_on'].iso_format()})")
            await append_audit(tx, event)

        await self._write(work)

    async def add_member(self, case_id: str, agency_id: str, writer: str, event: AuditEvent) -> None:
        params = {"id": case_id, "member": agency_id, "agency": writer}

        async def work(tx: AsyncManagedTransaction) -> None:
            done = await _checked_write(tx, ADD_MEMBER, params, "change the case team")
            if not done["known"]:
                raise InvalidCase(f"no agency {agency_id!r} in the directory")
            await append_audit(tx, event)

        await self._write(work)

    async def remove_member(self, case_id: str, agency_id: str, writer: str, event: AuditEvent) -> None:
        params = {"id": case_id, "member": agency_id, "agency": writer}

        async def work(tx: AsyncManagedTransaction) -> None:
            await _checked_write(tx, REMOVE_MEMBER, params, "change the case team")
            await append_audit(tx, event)

        await self._write(work)

    async def read_one(self, reader: Reader, case_id: str) -> Case | None:
        known = self._shown.get(("case", reader.agency_id, case_id))
        foreign = known if known is not None else self._tendency.expects_foreign(reader.agency_id)
        _, cases = await self._read(reader, READ_ONE, {"id": case_id}, shown=1, operation="case", foreign=foreign)
        if cases:
            self._tendency.learn(reader.agency_id, _foreign(reader, cases))
        return cases[0] if cases else None

    async def read_page(
        self, reader: Reader, where: CaseFilter, first: int, after: str | None, *, count: bool
    ) -> CasePage:
        params = {
            "status": where.status.value if where.status else None,
            "owner": where.owner_agency_id,
            "label": where.label,
            "after": after or "",
            "limit": first + 1,
        }
        query = COUNT_THEN_PAGE if count else READ_PAGE
        hint = ("cases", reader.agency_id, params["status"], params["owner"], params["label"])
        foreign = bool(self._shown.get(hint))
        total, cases = await self._read(reader, query, params, shown=first, operation="cases", foreign=foreign)
        self._shown.put(hint, _foreign(reader, cases[:first]))
        return CasePage(cases=tuple(cases[:first]), total=total, has_next=len(cases) > first)

    async def _read(
        self, reader: Reader, query: str, params: dict[str, Any], *, shown: int, operation: str, foreign: bool
    ) -> tuple[int | None, list[Case]]:
        """Through `graph.recorded_reads`: a read that shows another agency's case also writes its dissemination
        record. A read expected to reach another agency (`foreign`) goes to the write transaction at once."""
        params = {**params, "agency": reader.agency_id, "now": reader.now}
        found = await self._reads.run(query, params, _CaseShape(reader, shown, operation), expect_records=foreign)
        for case in found[1][:shown]:
            self._shown.put(("case", reader.agency_id, case.id), case.owner_agency_id != reader.agency_id)
        return found

    async def _write(self, work: Any) -> Any:
        async with self._driver.session(database=self._database) as session:
            return await session.execute_write(work)


async def _checked_write(tx: AsyncManagedTransaction, query: str, params: dict[str, Any], what: str) -> Any:
    """Runs a write that reports whether the writer still had the standing it needs on the case."""
    done = await (await tx.run(query, params)).single()
    if done is None:
        raise CaseNotFound(f"no case {params['id']!r}")
    if not done["allowed"]:
        raise CaseForbidden(f"your agency can no longer {what}: it is not on the case team any more")
    return done


def _check_intelligence_review(refused: str | None, wanted: date | None, limit: Any) -> None:
    if refused is None or wanted is None:
        return
    if refused == "OWNER":
        raise CaseForbidden("only the owner agency can change the review date of a criminal-intelligence record")
    if refused == "EXPIRED":
        raise InvalidCase(EXPIRED)
    if refused == "PAST":
        raise InvalidCase(f"reviewDue {wanted.isoformat()} has passed; a review date is today or later")
    stored_limit = native(limit)
    assert stored_limit is not None
    check_review_due(wanted, stored_limit)


class _CaseShape:
    def __init__(self, reader: Reader, shown: int, operation: str) -> None:
        self._reader = reader
        self._shown = shown
        self._operation = operation

    def parse(self, records: list[Any]) -> tuple[int | None, list[Case]]:
        total: int | None = None
        cases = []
        for record in records:
            if "total" in record.keys():  # noqa: SIM118 - `in record` tests its values
                total = int(record["total"])
            if record["c"] is not None:
                cases.append(case_from(record))
        return total, cases

    def needs_records(self, found: tuple[int | None, list[Case]]) -> bool:
        return _foreign(self._reader, found[1][: self._shown])

    def records(self, found: tuple[int | None, list[Case]]) -> tuple[list[dict[str, Any]], list[AuditEvent]]:
        return disclosures(self._reader, found[1][: self._shown], self._operation)


def _foreign(reader: Reader, cases: list[Case]) -> bool:
    return any(case.owner_agency_id != reader.agency_id for case in cases)


def disclosures(reader: Reader, cases: list[Case], operation: str) -> tuple[list[dict[str, Any]], list[AuditEvent]]:
    """One dissemination record (and its audit entry) per owner agency whose cases this read returns."""
    by_owner: dict[str, list[str]] = {}
    for case in cases:
        if case.owner_agency_id != reader.agency_id:
            by_owner.setdefault(case.owner_agency_id, []).append(case.id)
    if not by_owner:
        return [], []
    if reader.purpose is None:
        raise PurposeRequired("reading another agency's cases needs a stated purpose (the X-Sett-Purpose header)")
    disclosures: list[dict[str, Any]] = []
    events = []
    for owner, case_ids in sorted(by_owner.items()):
        disclosure = str(uuid.uuid4())
        disclosures.append(
            {
                "id": disclosure,
                "at": reader.now,
                "subject": reader.subject,
                "recipientAgencyId": reader.agency_id,
                "ownerAgencyId": owner,
                "caseIds": case_ids,
                "purpose": reader.purpose,
                "operation": operation,
            }
        )
        detail = {"disclosure": disclosure, "owner": owner, "cases": case_ids, "purpose": reader.purpose}
        events.append(AuditEvent("disclosure", reader.subject, reader.agency_id, detail))
    return disclosures, events


def _stored(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "ownerAgencyId": case.owner_agency_id,
        "status": case.status.value,
        "closedOn": case.closed_on,
        **stored_fields(case),
        **retention_fields(case.intelligence),
    }


def retention_fields(retention: Retention | None) -> dict[str, Any]:
    """A new case's intelligence fields as the node stores them (none for a case that is no such record)."""
    if retention is None:
        return {}
    return {
        **record_fields(retention.record),
        "intelligence": True,
        "markedOn": retention.marked_on,
        "retentionLimit": retention.retention_limit,
    }


def record_fields(record: IntelligenceRecord) -> dict[str, Any]:
    return {
        "reasonableSuspicion": record.reasonable_suspicion,
        "submittingAgencyId": record.submitting_agency_id,
        "controlOfficial": record.control_official,
        "sensitivity": record.sensitivity.value,
        "confidence": record.confidence.value,
    }


def stored_fields(case: Case | CaseDraft) -> dict[str, Any]:
    """What a case holds as an analyst gives it (openCase, or a row of an import), as the node stores it."""
    contact = case.point_of_contact
    return {
        "agencyCaseNumber": case.agency_case_number,
        "caseNumberKey": case_number_key(case.agency_case_number),
        "title": case.title,
        "summary": case.summary,
        "offenses": list(case.offenses),
        "labels": sorted(case.labels),
        "openedOn": case.opened_on,
        "reviewDue": case.review_due,
        "victimServicesNotes": case.victim_services_notes,
        "contactName": contact.name if contact else None,
        "contactPhone": contact.phone if contact else None,
        "contactEmail": contact.email if contact else None,
    }


def _stored_changes(changes: CaseChanges) -> dict[str, Any]:
    stored: dict[str, Any] = {
        "title": changes.title,
        "summary": changes.summary,
        "reviewDue": changes.review_due,
        "victimServicesNotes": changes.victim_services_notes,
        "offenses": list(changes.offenses) if changes.offenses is not None else None,
        "labels": sorted(changes.labels) if changes.labels is not None else None,
    }
    kept = {key: value for key, value in stored.items() if value is not None}
    if changes.point_of_contact is not None:  # replaced whole: a null removes the old contact's phone or e-mail
        contact = changes.point_of_contact
        kept |= {"contactName": contact.name, "contactPhone": contact.phone, "contactEmail": contact.email}
    return kept


def case_from(record: Any) -> Case:
    c = record["c"]
    contact = contact_from(c.get("contactName"), c.get("contactPhone"), c.get("contactEmail"))
    opened = native(c["openedOn"])
    assert opened is not None
    return Case(
        id=c["id"],
        owner_agency_id=c["ownerAgencyId"],
        agency_case_number=c["agencyCaseNumber"],
        title=c["title"],
        summary=c["summary"],
        status=CaseStatus(c["status"]),
        offenses=tuple(c["offenses"]),
        labels=frozenset(c["labels"]),
        opened_on=opened,
        closed_on=native(c.get("closedOn")),
        review_due=native(c.get("reviewDue")),
        point_of_contact=contact,
        victim_services_notes=c.get("victimServicesNotes"),
        team_agency_ids=frozenset(record["team"]),
        redacted=frozenset() if record["victimVisible"] else VICTIM_SERVICES_FIELDS,
        intelligence=retention_from(c),
    )
