"""Persons and identifiers in Neo4j: who a case involves, and what a case or a person can be linked by.

`(Case)-[:INVOLVES {role}]->(Person)`, `(Case|Person)-[:HAS_IDENTIFIER]->(Identifier)`; one Identifier node per
(kind, value), held by a constraint and reached by MERGE, so that two records holding the same phone meet at one
node. The identifiers derived from who a person is (name and date of birth) are marked `derived` on the
relationship and follow the person's changes. Reads take the reader's agency and filter with the policy's Cypher
form, victims' identities included.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from neo4j import AsyncDriver, AsyncManagedTransaction, RoutingControl

from agencies.audit import AuditEvent
from cases.errors import CaseForbidden, CaseNotFound, InvalidCase
from cases.identifiers import Identifier, IdentifierKind
from cases.models import CasePerson, CaseRole, Person, PersonDraft
from cases.ports import Holder, Reader
from graph.audit import append_audit
from graph.policy import LOCK_PERSON, MAY_CHANGE_PERSON, MAY_EDIT, SHOWS_PERSON, VICTIM_VISIBLE, VISIBLE, lock

_IDENTIFIER_FIELDS = "i {.kind, .value}"
"""Never a display form: the node is shared by every agency that holds the identifier, and how one of them wrote
it (a name's spelling, a pasted URL) is theirs alone."""
_PERSON_IDENTIFIERS = (
    f"COLLECT {{ MATCH (p)-[:HAS_IDENTIFIER]->(i:Identifier) RETURN {_IDENTIFIER_FIELDS} ORDER BY i.kind, i.value }}"
)
_DERIVE = """
CALL (p) {
  UNWIND $derived AS d
  MERGE (i:Identifier {kind: d.kind, value: d.value})
  MERGE (p)-[r:HAS_IDENTIFIER]->(i) ON CREATE SET r.derived = true, r.since = datetime()
}
"""


def _writable_case(id_param: str, *carried: str) -> str:
    return f"""
MATCH (c:Case {{id: ${id_param}}})
{lock("c")}
WITH {", ".join(("c", *carried))} WHERE {MAY_EDIT}"""


# Each write locks the case (`lock`) or the person and their cases (`LOCK_PERSON`) first, then re-checks that the
# writer agency `$agency` may still write on it (`MAY_EDIT`, `MAY_CHANGE_PERSON`), so that neither a check made
# before the write nor a team change still being committed can go stale under it. A write on a person already
# recorded locks the person before the case, in the order of LOCK_PERSON, so that no two writes wait on each other.
_WRITABLE_CASE = _writable_case("case_id")
_PERSON_THEN_CASE = f"""
MATCH (p:Person {{id: $person_id}})
{lock("p")}
WITH p{_writable_case("case_id", "p")}"""
ADD_NEW = f"""{_WRITABLE_CASE}
CREATE (c)-[:INVOLVES {{role: $role, since: datetime()}}]->(p:Person)
SET p = $person
WITH p
{_DERIVE}
RETURN p.id AS id
"""
ADD_EXISTING = f"""{_PERSON_THEN_CASE}
MERGE (c)-[r:INVOLVES]->(p) ON CREATE SET r.since = datetime(), r.role = $role
RETURN p.id AS id, r.role AS role
"""
CASE_IDS = "MATCH (c:Case)-[:INVOLVES]->(:Person {id: $id}) RETURN c.id AS id ORDER BY id"
UPDATE = f"""
MATCH (p:Person {{id: $person.id}})
{LOCK_PERSON}
WITH p, {MAY_CHANGE_PERSON} AS allowed
CALL (p, allowed) {{
  WITH p WHERE allowed
  SET p += $person
  WITH p
  CALL (p) {{
    MATCH (p)-[r:HAS_IDENTIFIER {{derived: true}}]->(:Identifier)
    DELETE r
  }}
  {_DERIVE}
}}
RETURN allowed
"""
REMOVE_FROM_CASE = f"""{_PERSON_THEN_CASE}
MATCH (c)-[r:INVOLVES]->(p) WHERE $agency IN [c.ownerAgencyId, p.ownerAgencyId]
DELETE r
RETURN count(r) AS removed
"""
RECORDED = f"""
MATCH (p:Person {{id: $id}})
RETURN p, {_PERSON_IDENTIFIERS} AS identifiers
"""
PERSONS_ON = f"""
UNWIND $ids AS id
MATCH (c:Case {{id: id}}) WHERE {VISIBLE}
WITH c, {VICTIM_VISIBLE} AS victimVisible
MATCH (c)-[r:INVOLVES]->(p:Person)
WITH c, r, p, {SHOWS_PERSON} AS shown
RETURN c.id AS case, r.role AS role,
       CASE WHEN shown THEN p END AS person,
       CASE WHEN shown THEN {_PERSON_IDENTIFIERS} ELSE [] END AS identifiers
ORDER BY case, r.since, p.id
"""
_WRITABLE_HOLDER = {
    "Case": f"{_writable_case('holder')}\nWITH c AS h",
    "Person": f"""
MATCH (p:Person {{id: $holder}})
{LOCK_PERSON}
WITH p WHERE {MAY_CHANGE_PERSON}
WITH p AS h""",
}
"""The holder `h` whose identifiers the writer changes, locked and re-checked: a case by MAY_EDIT, a person by
MAY_CHANGE_PERSON."""
ATTACH = {
    kind: f"""{holder}
MERGE (i:Identifier {{kind: $kind, value: $value}})
MERGE (h)-[r:HAS_IDENTIFIER]->(i) ON CREATE SET r.derived = false, r.since = datetime()
RETURN count(r) AS attached
"""
    for kind, holder in _WRITABLE_HOLDER.items()
}
DETACH = {
    kind: f"""{holder}
MATCH (h)-[r:HAS_IDENTIFIER]->(:Identifier {{kind: $kind, value: $value}})
DELETE r
RETURN count(r) AS detached
"""
    for kind, holder in _WRITABLE_HOLDER.items()
}
IDENTIFIERS_OF = f"""
UNWIND $ids AS id
MATCH (c:Case {{id: id}}) WHERE {VISIBLE}
MATCH (c)-[:HAS_IDENTIFIER]->(i:Identifier)
RETURN c.id AS case, {_IDENTIFIER_FIELDS} AS identifier
ORDER BY case, i.kind, i.value
"""


class Neo4jPersonRepository:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def recorded(self, person_id: str) -> Person | None:
        records, _, _ = await self._driver.execute_query(
            RECORDED, id=person_id, database_=self._database, routing_=RoutingControl.READ
        )
        return _person(records[0]["p"], records[0]["identifiers"]) if records else None

    async def add_new(
        self, case_id: str, person: Person, role: CaseRole, derived: list[Identifier], *, writer: str, event: AuditEvent
    ) -> None:
        params = {
            "case_id": case_id,
            "person": _stored(person),
            "role": role.value,
            "derived": _rows(derived),
            "agency": writer,
        }
        await self._write(ADD_NEW, params, event, missing=f"no case {case_id!r}")

    async def add_existing(self, case_id: str, person_id: str, role: CaseRole, writer: str, event: AuditEvent) -> None:
        params = {"case_id": case_id, "person_id": person_id, "role": role.value, "agency": writer}

        async def work(tx: AsyncManagedTransaction) -> None:
            record = await (await tx.run(ADD_EXISTING, params)).single()
            if record is None:
                raise CaseNotFound(f"no case {case_id!r} or person {person_id!r}")
            if record["role"] != role.value:
                # a role stays as recorded: a VICTIM made a WITNESS would show who they are to the owner's partners
                raise InvalidCase(f"the person is on this case already, as {record['role']}")
            await append_audit(tx, event)

        async with self._driver.session(database=self._database) as session:
            await session.execute_write(work)

    async def case_ids(self, person_id: str) -> list[str]:
        records, _, _ = await self._driver.execute_query(
            CASE_IDS, id=person_id, database_=self._database, routing_=RoutingControl.READ
        )
        return [record["id"] for record in records]

    async def update(self, person: Person, derived: list[Identifier], writer: str, event: AuditEvent) -> None:
        params = {"person": _stored(person), "derived": _rows(derived), "agency": writer}

        async def work(tx: AsyncManagedTransaction) -> None:
            record = await (await tx.run(UPDATE, params)).single()
            if record is None:
                raise CaseNotFound(f"no person {person.id!r}")
            if not record["allowed"]:
                raise CaseForbidden(
                    "your agency can no longer change this person: it is off the team of a case they are on"
                )
            await append_audit(tx, event)

        async with self._driver.session(database=self._database) as session:
            await session.execute_write(work)

    async def remove_from_case(self, case_id: str, person_id: str, writer: str, event: AuditEvent) -> bool:
        params = {"case_id": case_id, "person_id": person_id, "agency": writer}

        async def work(tx: AsyncManagedTransaction) -> bool:
            record = await (await tx.run(REMOVE_FROM_CASE, params)).single()
            if record is None or record["removed"] == 0:
                return False
            await append_audit(tx, event)
            return True

        async with self._driver.session(database=self._database) as session:
            return await session.execute_write(work)

    async def persons_on(self, reader: Reader, case_ids: list[str]) -> dict[str, list[CasePerson]]:
        records = await _read(self._driver, self._database, PERSONS_ON, reader, case_ids)
        found: dict[str, list[CasePerson]] = defaultdict(list)
        for record in records:
            node = record["person"]
            person = _person(node, record["identifiers"]) if node is not None else None
            role = CaseRole(record["role"])
            found[record["case"]].append(CasePerson(case_id=record["case"], role=role, person=person))
        return found

    async def _write(self, query: str, params: dict[str, Any], event: AuditEvent, *, missing: str) -> None:
        async def work(tx: AsyncManagedTransaction) -> None:
            if await (await tx.run(query, params)).single() is None:
                raise CaseNotFound(missing)
            await append_audit(tx, event)

        async with self._driver.session(database=self._database) as session:
            await session.execute_write(work)


class Neo4jIdentifierRepository:
    def __init__(self, driver: AsyncDriver, database: str) -> None:
        self._driver = driver
        self._database = database

    async def attach(self, holder: Holder, identifier: Identifier, writer: str, event: AuditEvent) -> None:
        if not await self._change(
            ATTACH[holder.kind], holder, identifier, writer=writer, event=event, counted="attached"
        ):
            raise CaseNotFound(f"no {holder.kind.lower()} {holder.id!r} that your agency may write on")

    async def detach(self, holder: Holder, identifier: Identifier, writer: str, event: AuditEvent) -> bool:
        return await self._change(
            DETACH[holder.kind], holder, identifier, writer=writer, event=event, counted="detached"
        )

    async def of_cases(self, reader: Reader, case_ids: list[str]) -> dict[str, list[Identifier]]:
        records = await _read(self._driver, self._database, IDENTIFIERS_OF, reader, case_ids)
        found: dict[str, list[Identifier]] = defaultdict(list)
        for record in records:
            found[record["case"]].append(identifier_of(record["identifier"]))
        return found

    async def _change(
        self, query: str, holder: Holder, identifier: Identifier, *, writer: str, event: AuditEvent, counted: str
    ) -> bool:
        params = {"holder": holder.id, "agency": writer, **_rows([identifier])[0]}

        async def work(tx: AsyncManagedTransaction) -> bool:
            record = await (await tx.run(query, params)).single()
            if record is None or record[counted] == 0:
                return False
            await append_audit(tx, event)
            return True

        async with self._driver.session(database=self._database) as session:
            return await session.execute_write(work)


def identifier_of(row: dict[str, Any]) -> Identifier:
    return Identifier(IdentifierKind(row["kind"]), row["value"], row["value"])


def _rows(identifiers: list[Identifier]) -> list[dict[str, str]]:
    """In one order for every write, so that two writes merging the same identifiers lock them in one order."""
    return [{"kind": i.kind.value, "value": i.value} for i in sorted(identifiers, key=lambda i: (i.kind, i.value))]


def _stored(person: Person) -> dict[str, Any]:
    return {"id": person.id, "ownerAgencyId": person.owner_agency_id, **stored_fields(person)}


def stored_fields(person: Person | PersonDraft) -> dict[str, Any]:
    """Who a person is as an analyst records them (addPerson, or a row of an import), as the node stores it."""
    return {"name": person.name, "aliases": list(person.aliases), "dateOfBirth": person.date_of_birth}


def _person(node: Any, identifiers: list[dict[str, Any]] | None = None) -> Person:
    born = node.get("dateOfBirth")
    return Person(
        id=node["id"],
        owner_agency_id=node["ownerAgencyId"],
        name=node["name"],
        aliases=tuple(node.get("aliases") or ()),
        date_of_birth=born.to_native() if born is not None else None,
        identifiers=tuple(identifier_of(row) for row in identifiers or ()),
    )


async def _read(driver: AsyncDriver, database: str, query: str, reader: Reader, case_ids: list[str]) -> list[Any]:
    """The records of a read of the reader's visible cases among `case_ids`."""
    records, _, _ = await driver.execute_query(
        query, ids=case_ids, agency=reader.agency_id, now=reader.now, database_=database, routing_=RoutingControl.READ
    )
    return list(records)
