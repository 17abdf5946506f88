"""Case writes re-check the writer's standing inside the write: a check that passed a moment ago is not enough."""

from __future__ import annotations

from datetime import date

import pytest
from neo4j import AsyncDriver

from agencies.audit import AuditEvent
from cases.errors import CaseForbidden, CaseNotFound
from cases.identifiers import IdentifierKind, normalise
from cases.models import Case, CaseChanges, CaseRole, CaseStatus, Person
from cases.ports import Holder
from gateway.repositories import Repositories
from tests.support.graph import query

SPD, KCSO = "WASPD0000", "WA0170000"
EVENT = AuditEvent("test", "tester", SPD, {})


async def shared_case(repos: Repositories) -> str:
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
    await repos.cases.add_member(case.id, KCSO, SPD, EVENT)
    return case.id


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
