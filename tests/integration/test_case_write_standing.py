"""Case writes re-check the writer's standing inside the write: a check that passed a moment ago is not enough.

The races are played out step by step: one transaction changes the case and stays open, the write under test
starts, and the first commits only once Neo4j shows the write waiting on its lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import pytest
from neo4j import AsyncDriver, AsyncTransaction

from agencies.audit import AuditEvent
from cases.errors import CaseForbidden, CaseNotFound, InvalidCase
from cases.identifiers import IdentifierKind, normalise
from cases.models import Case, CaseChanges, CaseRole, CaseStatus, Person
from cases.ports import Holder
from gateway.repositories import Repositories
from graph.cases import CLOSE_CASE, REMOVE_MEMBER
from tests.support.graph import query

SPD, KCSO = "WASPD0000", "WA0170000"
EVENT = AuditEvent("test", "tester", SPD, {})
WAIT = 10
"""Seconds any one step may take before the test gives up on it, so that a lost wake-up cannot hang the run."""
WAITING = "SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS waiting"


async def new_case(repos: Repositories) -> str:
    case = Case(
        id="case-1",
        owner_agency_id=SPD,
        agency_case_number="SPD-1",
        title="Synthetic case",
        summary="",
        status=CaseStatus.OPEN,
        offenses=(),
        labels=frozenset(),
        opened_on=date(2026, 1, 1),
    )
    assert await repos.cases.create(case, EVENT)
    return case.id


async def shared_case(repos: Repositories) -> str:
    case_id = await new_case(repos)
    await repos.cases.add_member(case_id, KCSO, SPD, EVENT)
    return case_id


async def test_a_member_removed_after_the_check_cannot_write(repos: Repositories, graph: AsyncDriver) -> None:
    case_id = await shared_case(repos)
    await repos.cases.update(case_id, CaseChanges(title="By the team"), KCSO, EVENT, owner_only=False)
    await repos.cases.remove_member(case_id, KCSO, SPD, EVENT)
    with pytest.raises(CaseForbidden):
        await repos.cases.update(case_id, CaseChanges(title="After removal"), KCSO, EVENT, owner_only=False)
    titles = await query(graph, "neo4j", "MATCH (c:Case {id: $id}) RETURN c.title AS title", id=case_id)
    assert titles == [{"title": "By the team"}]


async def test_only_the_owner_closes_changes_the_team_or_owner_fields(repos: Repositories, graph: AsyncDriver) -> None:
    case_id = await shared_case(repos)
    with pytest.raises(CaseForbidden):
        await repos.cases.update(case_id, CaseChanges(labels=frozenset({"x"})), KCSO, EVENT, owner_only=True)
    with pytest.raises(CaseForbidden):
        await repos.cases.close(case_id, date(2026, 2, 1), KCSO, EVENT)
    with pytest.raises(CaseForbidden):
        await repos.cases.add_member(case_id, "WADI06800", KCSO, EVENT)
    with pytest.raises(CaseForbidden):
        await repos.cases.remove_member(case_id, KCSO, KCSO, EVENT)
    state = await query(
        graph,
        "neo4j",
        "MATCH (c:Case {id: $id}) RETURN c.status AS status, c.labels AS labels, "
        "COLLECT { MATCH (a:Agency)-[:MEMBER_OF]->(c) RETURN a.id } AS team",
        id=case_id,
    )
    assert state == [{"status": "OPEN", "labels": [], "team": [KCSO]}]


async def test_persons_and_identifiers_follow_the_same_rule(repos: Repositories, graph: AsyncDriver) -> None:
    case_id = await shared_case(repos)
    phone = normalise(IdentifierKind.PHONE, "(612) 555-0147", today=date(2026, 1, 1))
    another = normalise(IdentifierKind.PHONE, "(612) 555-0148", today=date(2026, 1, 1))
    person = Person(id="person-1", owner_agency_id=KCSO, name="Synthetic Witness")
    await repos.persons.add_new(case_id, person, CaseRole.WITNESS, [], writer=KCSO, event=EVENT)
    await repos.identifiers.attach(Holder("Case", case_id), phone, KCSO, EVENT)
    await repos.cases.remove_member(case_id, KCSO, SPD, EVENT)

    with pytest.raises(CaseNotFound):
        await repos.identifiers.attach(Holder("Case", case_id), another, KCSO, EVENT)
    assert not await repos.identifiers.detach(Holder("Case", case_id), phone, KCSO, EVENT)
    other = Person(id="person-2", owner_agency_id=KCSO, name="Synthetic Associate")
    with pytest.raises(CaseNotFound):
        await repos.persons.add_new(case_id, other, CaseRole.ASSOCIATE, [], writer=KCSO, event=EVENT)
    assert not await repos.persons.remove_from_case(case_id, person.id, KCSO, EVENT)

    state = await query(
        graph,
        "neo4j",
        "MATCH (c:Case {id: $id}) RETURN COLLECT { MATCH (c)-[:INVOLVES]->(p) RETURN p.id } AS persons, "
        "COLLECT { MATCH (c)-[:HAS_IDENTIFIER]->(i) RETURN i.value } AS identifiers",
        id=case_id,
    )
    assert state == [{"persons": ["person-1"], "identifiers": [phone.value]}]


@asynccontextmanager
async def pending(graph: AsyncDriver, cypher: str, **params: Any) -> AsyncIterator[AsyncTransaction]:
    """A transaction that has run `cypher` and holds its locks until the test commits it (or it rolls back)."""
    async with graph.session(database="neo4j") as session:
        tx = await session.begin_transaction()
        try:
            await (await tx.run(cypher, params)).consume()
            yield tx
        finally:
            if not tx.closed():
                await tx.rollback()


async def started_waiting(graph: AsyncDriver, write: Awaitable[Any]) -> asyncio.Task[Any]:
    """Starts `write` and returns once a transaction waits on a lock; fails if the write ends without waiting."""
    task = asyncio.ensure_future(write)
    async with asyncio.timeout(WAIT), graph.session(database="neo4j") as session:
        while not task.done():
            if (await (await session.run(WAITING)).single(strict=True))["waiting"]:
                return task
            await asyncio.sleep(0.02)
    await task
    pytest.fail("the write went ahead without waiting for the open transaction on the case")


async def case_state(graph: AsyncDriver, case_id: str) -> list[dict[str, Any]]:
    return await query(graph, "neo4j", "MATCH (c:Case {id: $id}) RETURN properties(c) AS c", id=case_id)


async def test_a_write_during_the_members_removal_waits_for_it_and_is_refused(
    repos: Repositories, graph: AsyncDriver
) -> None:
    case_id = await shared_case(repos)
    before = await case_state(graph, case_id)
    async with pending(graph, REMOVE_MEMBER, id=case_id, member=KCSO, agency=SPD) as removal:
        changes = CaseChanges(title="While being removed")
        write = await started_waiting(graph, repos.cases.update(case_id, changes, KCSO, EVENT, owner_only=False))
        await removal.commit()
    with pytest.raises(CaseForbidden):
        await asyncio.wait_for(write, WAIT)
    assert await case_state(graph, case_id) == before


async def test_of_two_concurrent_closes_exactly_one_succeeds(repos: Repositories, graph: AsyncDriver) -> None:
    case_id = await shared_case(repos)
    first, second = date(2026, 2, 1), date(2026, 2, 2)
    async with pending(graph, CLOSE_CASE, id=case_id, closed_on=first, agency=SPD) as closing:
        write = await started_waiting(graph, repos.cases.close(case_id, second, SPD, EVENT))
        await closing.commit()
    with pytest.raises(InvalidCase, match="closed on 2026-02-01 already"):
        await asyncio.wait_for(write, WAIT)
    closed = await query(graph, "neo4j", "MATCH (c:Case {id: $id}) RETURN c.status AS s, c.closedOn AS on", id=case_id)
    assert [(row["s"], row["on"].to_native()) for row in closed] == [("CLOSED", first)]


async def person_on(repos: Repositories, case_id: str) -> Person:
    person = Person(id="person-1", owner_agency_id=KCSO, name="Synthetic Witness")
    await repos.persons.add_new(case_id, person, CaseRole.WITNESS, [], writer=KCSO, event=EVENT)
    return person


async def person_state(graph: AsyncDriver, person_id: str) -> list[dict[str, Any]]:
    return await query(
        graph,
        "neo4j",
        "MATCH (p:Person {id: $id}) RETURN properties(p) AS p, "
        "COLLECT { MATCH (p)-[:HAS_IDENTIFIER]->(i) RETURN i.value } AS identifiers",
        id=person_id,
    )


async def test_a_person_change_during_the_recorders_removal_waits_for_it_and_is_refused(
    repos: Repositories, graph: AsyncDriver
) -> None:
    case_id = await shared_case(repos)
    person = await person_on(repos, case_id)
    before = await person_state(graph, person.id)
    async with pending(graph, REMOVE_MEMBER, id=case_id, member=KCSO, agency=SPD) as removal:
        renamed = person.model_copy(update={"name": "Renamed While Removed"})
        write = await started_waiting(graph, repos.persons.update(renamed, [], KCSO, EVENT))
        await removal.commit()
    with pytest.raises(CaseForbidden):
        await asyncio.wait_for(write, WAIT)
    assert await person_state(graph, person.id) == before


async def test_an_identifier_on_a_person_during_the_recorders_removal_waits_for_it_and_is_refused(
    repos: Repositories, graph: AsyncDriver
) -> None:
    case_id = await shared_case(repos)
    person = await person_on(repos, case_id)
    phone = normalise(IdentifierKind.PHONE, "(612) 555-0147", today=date(2026, 1, 1))
    await repos.identifiers.attach(Holder("Person", person.id), phone, KCSO, EVENT)
    before = await person_state(graph, person.id)
    another = normalise(IdentifierKind.PHONE, "(612) 555-0148", today=date(2026, 1, 1))
    holder = Holder("Person", person.id)
    async with pending(graph, REMOVE_MEMBER, id=case_id, member=KCSO, agency=SPD) as removal:
        write = await started_waiting(graph, repos.identifiers.attach(holder, another, KCSO, EVENT))
        await removal.commit()
    with pytest.raises(CaseNotFound):
        await asyncio.wait_for(write, WAIT)
    assert not await repos.identifiers.detach(holder, phone, KCSO, EVENT)
    assert await person_state(graph, person.id) == before


async def test_the_locks_the_writes_take_leave_nothing_on_the_case_or_the_person(
    repos: Repositories, graph: AsyncDriver
) -> None:
    async def keys(node_id: str) -> list[str]:
        found = await query(graph, "neo4j", "MATCH (n {id: $id}) RETURN keys(n) AS keys", id=node_id)
        return sorted(found[0]["keys"])

    case_id = await new_case(repos)
    created = await keys(case_id)
    await repos.cases.add_member(case_id, KCSO, SPD, EVENT)
    person = await person_on(repos, case_id)
    recorded = await keys(person.id)
    phone = normalise(IdentifierKind.PHONE, "(612) 555-0147", today=date(2026, 1, 1))
    await repos.persons.update(person.model_copy(update={"name": "Renamed"}), [], KCSO, EVENT)
    await repos.identifiers.attach(Holder("Person", person.id), phone, KCSO, EVENT)
    await repos.identifiers.attach(Holder("Case", case_id), phone, KCSO, EVENT)
    await repos.cases.remove_member(case_id, KCSO, SPD, EVENT)
    assert not await repos.identifiers.detach(Holder("Person", person.id), phone, KCSO, EVENT)
    assert not await repos.identifiers.detach(Holder("Case", case_id), phone, KCSO, EVENT)
    await repos.cases.close(case_id, date(2026, 2, 1), SPD, EVENT)

    assert await keys(case_id) == sorted([*created, "closedOn"])
    assert await keys(person.id) == recorded
