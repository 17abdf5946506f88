"""Case writes re-check the writer's standing inside the write: a check that passed a moment ago is not enough.

The races are played out step by step: one transaction changes the case and stays open, the write under test
starts, and the first commits only once Neo4j shows the write waiting on its lock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
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
from graph.cases import CLOSE_CASE, REMOVE_MEMBER, TEAM
from graph.persons import ADD_EXISTING
from tests.support.graph import query

SPD, KCSO, DI = "WASPD0000", "WA0170000", "WADI06800"
EVENT = AuditEvent("test", "tester", SPD, {})
TODAY = date(2026, 11, 1)
WAIT = 10
"""Seconds any one step may take before the test gives up on it, so that a lost wake-up cannot hang the run."""
WAITING = "SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS waiting"


async def new_case(repos: Repositories, case_id: str = "case-1", owner: str = SPD) -> str:
    case = Case(
        id=case_id,
        owner_agency_id=owner,
        agency_case_number=f"N-{case_id}",
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
    await repos.cases.update(case_id, CaseChanges(title="By the team"), KCSO, EVENT, owner_only=False, today=TODAY)
    await repos.cases.remove_member(case_id, KCSO, SPD, EVENT)
    with pytest.raises(CaseForbidden):
        await repos.cases.update(
            case_id, CaseChanges(title="After removal"), KCSO, EVENT, owner_only=False, today=TODAY
        )
    titles = await query(graph, "neo4j", "MATCH (c:Case {id: $id}) RETURN c.title AS title", id=case_id)
    assert titles == [{"title": "By the team"}]


async def test_only_the_owner_closes_changes_the_team_or_owner_fields(repos: Repositories, graph: AsyncDriver) -> None:
    case_id = await shared_case(repos)
    with pytest.raises(CaseForbidden):
        await repos.cases.update(
            case_id, CaseChanges(labels=frozenset({"x"})), KCSO, EVENT, owner_only=True, today=TODAY
        )
    with pytest.raises(CaseForbidden):
        await repos.cases.close(case_id, date(2026, 2, 1), KCSO, EVENT)
    with pytest.raises(CaseForbidden):
        await repos.cases.add_member(case_id, DI, KCSO, EVENT)
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
    """Starts `write` and returns once a transaction waits on a lock; fails if the write ends without waiting, or
    neither waits nor ends: a write that deleted or created a relationship of the case without taking the lock first
    can run to its commit and be held there, which Neo4j shows as Closing, not Blocked."""
    task = asyncio.ensure_future(write)
    try:
        async with asyncio.timeout(WAIT), graph.session(database="neo4j") as session:
            while not task.done():
                if (await (await session.run(WAITING)).single(strict=True))["waiting"]:
                    return task
                await asyncio.sleep(0.02)
    except TimeoutError:
        task.cancel()
        pytest.fail(
            f"the write neither waited on a lock nor ended in {WAIT} s: it went ahead of the lock, to its commit"
        )
    await task
    pytest.fail("the write went ahead without waiting for the open transaction on the case")


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


# The races of every write on a case or a person, in one scene: SPD's case, with KCSO on its team and KCSO's witness
# on it, a phone on both; KCSO's associate, on a case of KCSO's own; and a case of DI's. Each write is KCSO's.
CASE, KCSO_CASE, DI_CASE = "case-1", "case-2", "case-3"
WITNESS, ASSOCIATE = "person-1", "person-2"
PHONE = normalise(IdentifierKind.PHONE, "(612) 555-0147", today=date(2026, 1, 1))
ANOTHER_PHONE = normalise(IdentifierKind.PHONE, "(612) 555-0148", today=date(2026, 1, 1))
ON_CASE, ON_WITNESS = Holder("Case", CASE), Holder("Person", WITNESS)


@pytest.fixture
async def scene(repos: Repositories) -> Repositories:
    await shared_case(repos)
    witness = Person(id=WITNESS, owner_agency_id=KCSO, name="Synthetic Witness")
    await repos.persons.add_new(CASE, witness, CaseRole.WITNESS, [], writer=KCSO, event=EVENT)
    await repos.identifiers.attach(ON_CASE, PHONE, KCSO, EVENT)
    await repos.identifiers.attach(ON_WITNESS, PHONE, KCSO, EVENT)
    await new_case(repos, KCSO_CASE, KCSO)
    associate = Person(id=ASSOCIATE, owner_agency_id=KCSO, name="Synthetic Associate")
    await repos.persons.add_new(KCSO_CASE, associate, CaseRole.ASSOCIATE, [], writer=KCSO, event=EVENT)
    await new_case(repos, DI_CASE, DI)
    return repos


SCENE = """
MATCH (c:Case {id: $id})
RETURN properties(c) AS case,
       COLLECT { MATCH (c)-[r:INVOLVES]->(p) RETURN p.id + ' as ' + r.role AS on ORDER BY on } AS involves,
       COLLECT { MATCH (c)-[:HAS_IDENTIFIER]->(i) RETURN i.value AS value ORDER BY value } AS identifiers,
       COLLECT {
         MATCH (p:Person)
         RETURN p { .*, identifiers: COLLECT { MATCH (p)-[:HAS_IDENTIFIER]->(i) RETURN i.value AS v ORDER BY v } } AS p
         ORDER BY p.id
       } AS persons
"""
"""What the writes change: SPD's case, who and what is on it, and every person; not what the changes of standing
below change (SPD's case team, who is on DI's case)."""

Change = tuple[str, dict[str, Any]]
KCSO_REMOVED: Change = (REMOVE_MEMBER, {"id": CASE, "member": KCSO, "agency": SPD})
"""SPD takes KCSO off its case team: KCSO may then write on neither the case nor the witness."""
WITNESS_JOINS_DI_CASE: Change = (
    ADD_EXISTING,
    {"case_id": DI_CASE, "person_id": WITNESS, "role": CaseRole.WITNESS.value, "agency": DI},
)
"""DI puts the witness on a case of its own, whose team KCSO is not on: KCSO may then no longer change them."""


@dataclass(frozen=True)
class Write:
    """A write by KCSO, by the name of its query in graph/, and how it answers when refused."""

    start: Callable[[Repositories], Awaitable[object]]
    refusal: type[Exception] | None = None
    """The error raised, or None for a write that answers False."""


NEWCOMER = Person(id="person-3", owner_agency_id=KCSO, name="Synthetic Newcomer")
CASE_WRITES = {
    "UPDATE_CASE": Write(
        lambda r: r.cases.update(CASE, CaseChanges(title="Renamed"), KCSO, EVENT, owner_only=False, today=TODAY),
        CaseForbidden,
    ),
    "ADD_NEW": Write(
        lambda r: r.persons.add_new(CASE, NEWCOMER, CaseRole.ASSOCIATE, [], writer=KCSO, event=EVENT), CaseNotFound
    ),
    "ADD_EXISTING": Write(
        lambda r: r.persons.add_existing(CASE, ASSOCIATE, CaseRole.ASSOCIATE, KCSO, EVENT), CaseNotFound
    ),
    "REMOVE_FROM_CASE": Write(lambda r: r.persons.remove_from_case(CASE, WITNESS, KCSO, EVENT)),
    "ATTACH[Case]": Write(lambda r: r.identifiers.attach(ON_CASE, ANOTHER_PHONE, KCSO, EVENT), CaseNotFound),
    "DETACH[Case]": Write(lambda r: r.identifiers.detach(ON_CASE, PHONE, KCSO, EVENT)),
}
RENAMED = Person(id=WITNESS, owner_agency_id=KCSO, name="Renamed Witness")
PERSON_WRITES = {
    "UPDATE": Write(lambda r: r.persons.update(RENAMED, [], KCSO, EVENT), CaseForbidden),
    "ATTACH[Person]": Write(lambda r: r.identifiers.attach(ON_WITNESS, ANOTHER_PHONE, KCSO, EVENT), CaseNotFound),
    "DETACH[Person]": Write(lambda r: r.identifiers.detach(ON_WITNESS, PHONE, KCSO, EVENT)),
}


async def refused_after(graph: AsyncDriver, change: Change, write: Write, repos: Repositories) -> None:
    """Holds `change` open, starts `write` and commits the change once the write waits on it: the write must then
    be refused and change nothing."""
    before = await query(graph, "neo4j", SCENE, id=CASE)
    cypher, params = change
    async with pending(graph, cypher, **params) as changing:
        task = await started_waiting(graph, write.start(repos))
        await changing.commit()
    if write.refusal is None:
        assert await asyncio.wait_for(task, WAIT) is False
    else:
        with pytest.raises(write.refusal):
            await asyncio.wait_for(task, WAIT)
    assert await query(graph, "neo4j", SCENE, id=CASE) == before


@pytest.mark.parametrize("write", [*CASE_WRITES.values(), *PERSON_WRITES.values()], ids=[*CASE_WRITES, *PERSON_WRITES])
async def test_a_write_during_the_members_removal_waits_for_it_and_is_refused(
    write: Write, scene: Repositories, graph: AsyncDriver
) -> None:
    await refused_after(graph, KCSO_REMOVED, write, scene)


@pytest.mark.parametrize("write", PERSON_WRITES.values(), ids=PERSON_WRITES)
async def test_a_person_write_while_they_join_another_agencys_case_waits_for_it_and_is_refused(
    write: Write, scene: Repositories, graph: AsyncDriver
) -> None:
    await refused_after(graph, WITNESS_JOINS_DI_CASE, write, scene)


async def test_a_member_added_back_during_their_removal_is_on_the_team_after_it(
    scene: Repositories, graph: AsyncDriver
) -> None:
    """ADD_MEMBER's own standing (the owner's) cannot change under it, but it reads the team it merges into: once
    the removal has committed, the membership it finds there is gone, and it adds the member again."""
    cypher, params = KCSO_REMOVED
    async with pending(graph, cypher, **params) as removal:
        task = await started_waiting(graph, scene.cases.add_member(CASE, KCSO, SPD, EVENT))
        await removal.commit()
    await asyncio.wait_for(task, WAIT)
    team = await query(graph, "neo4j", f"MATCH (c:Case {{id: $id}}) RETURN {TEAM} AS team", id=CASE)
    assert team == [{"team": [KCSO]}]


async def person_on(repos: Repositories, case_id: str) -> Person:
    person = Person(id="person-1", owner_agency_id=KCSO, name="Synthetic Witness")
    await repos.persons.add_new(case_id, person, CaseRole.WITNESS, [], writer=KCSO, event=EVENT)
    return person


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
