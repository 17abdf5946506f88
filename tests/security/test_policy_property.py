"""The API against the pure policy, on generated agencies, cases, case teams and agreements.

For every read path (`case(id)` and `cases` page by page, with and without a filter, and `linkedCases` from
every case) and every agency's analyst, what the API returns must equal what `agencies.policy` allows: the
same cases, the same redactions, the same totals; a case the policy hides must answer exactly like an id that
does not exist; a pointer carries exactly its owner agency, point of contact and the reader's matched
identifiers; no identifier that only hidden cases hold appears in any answer; and every case that reached
another agency, in full or as a pointer, must have its record.

The rules the writes re-check in Cypher (`graph.policy.MAY_EDIT`, `OWNS`, `MAY_CHANGE_PERSON`) must answer as
`agencies.policy.may_edit`, `owns` and `may_change_person` do, for every agency on every case and person of the
same world: persons are recorded by the owner or a team member, some join further cases, some leave theirs.

Examples: 200 by default, `SETT_PROPERTY_EXAMPLES=5000` for a long run.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from neo4j import AsyncDriver

from agencies.agreements import Coverage, SharingAgreement
from agencies.audit import AuditEvent
from agencies.policy import (
    AccessLevel,
    CaseFacts,
    Decision,
    Holding,
    Link,
    PathCase,
    decide_case,
    holders_of,
    link_path,
    linked_cases,
    linking_identifiers,
    may_change_person,
    may_edit,
    owns,
)
from agencies.principals import Principal, Role
from cases.identifiers import Identifier, IdentifierKind
from cases.models import Case, CaseRole, CaseStatus, Person
from cases.ports import Holder
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from graph.policy import MAY_CHANGE_PERSON, MAY_EDIT, OWNS
from tests.support.access import CASE, CASES, add_agencies, gql, repositories, token_for
from tests.support.graph import query, wipe

AGENCIES = ("WASPD0000", "WA0170000", "WADI06800", "USHSI0000")
LABELS = ("HT", "MINOR", "LABOR")
PHONES = tuple(f"+1612555010{n}" for n in range(4))
ROLES = ("SUSPECT", "VICTIM")
EXAMPLES = int(os.environ.get("SETT_PROPERTY_EXAMPLES", "200"))
MISSING_ID = "ffffffff-ffff-ffff-ffff-ffffffffffff"
EVENT = AuditEvent("test.setup", "property-test", None, {})


@dataclass(frozen=True)
class PersonSpec:
    role: str
    phones: frozenset[str]
    recorder: str
    """The agency that records the person: the case's owner or one on its team."""


@dataclass(frozen=True)
class CaseSpec:
    owner: str
    labels: frozenset[str]
    team: frozenset[str]
    notes: bool
    phones: frozenset[str] = frozenset()
    persons: tuple[PersonSpec, ...] = ()
    """The persons recorded on the case."""


PersonRef = tuple[int, int]
"""A person by the index of the case they were recorded on and their number there."""


@dataclass(frozen=True)
class Join:
    person: PersonRef
    case: int
    role: str
    """The person's role on the case they join, which may differ from the one they were recorded with."""


@dataclass(frozen=True)
class AgreementSpec:
    grantor: str
    grantee: str
    coverage: Coverage
    labels: frozenset[str]
    cases: frozenset[int]
    victim_services: bool
    state: str


@dataclass(frozen=True)
class World:
    cases: tuple[CaseSpec, ...]
    agreements: tuple[AgreementSpec, ...]
    page_size: int
    label_filter: str | None
    joins: tuple[Join, ...] = ()
    """Persons that the owner of a further case puts on it too (`add_existing`)."""
    left: frozenset[PersonRef] = frozenset()
    """Persons taken off the case they were recorded on, once they joined others: some are then on no case."""

    @property
    def persons(self) -> dict[PersonRef, PersonSpec]:
        return {(i, n): person for i, case in enumerate(self.cases) for n, person in enumerate(case.persons)}

    def cases_of(self, ref: PersonRef) -> list[int]:
        return [*([] if ref in self.left else [ref[0]]), *(join.case for join in self.joins if join.person == ref)]

    @property
    def holdings(self) -> dict[str, Holding]:
        """What each case holds: its phones, and the persons on it (recorded there or joined) with their roles."""
        persons: dict[int, list[tuple[str, frozenset[str]]]] = {i: [] for i in range(len(self.cases))}
        for ref, person in self.persons.items():
            if ref not in self.left:
                persons[ref[0]].append((person.role, person.phones))
        for join in self.joins:
            persons[join.case].append((join.role, self.persons[join.person].phones))
        return {case_id(i): Holding(case.phones, tuple(persons[i])) for i, case in enumerate(self.cases)}


@st.composite
def case_specs(draw: st.DrawFn) -> CaseSpec:
    owner = draw(st.sampled_from(AGENCIES))
    team = draw(st.frozensets(st.sampled_from([a for a in AGENCIES if a != owner]), max_size=2))
    labels = draw(st.frozensets(st.sampled_from(LABELS), max_size=2))
    phones = st.frozensets(st.sampled_from(PHONES), max_size=2)
    recorders = st.sampled_from(sorted({owner, *team}))
    persons = tuple(draw(st.lists(st.builds(PersonSpec, st.sampled_from(ROLES), phones, recorders), max_size=2)))
    return CaseSpec(owner, labels, team, draw(st.booleans()), draw(phones), persons)


@st.composite
def agreement_specs(draw: st.DrawFn, case_count: int) -> AgreementSpec:
    grantor = draw(st.sampled_from(AGENCIES))
    grantee = draw(st.sampled_from([a for a in AGENCIES if a != grantor]))
    coverage = draw(st.sampled_from(list(Coverage)))
    labels = draw(st.frozensets(st.sampled_from(LABELS), min_size=1, max_size=2))
    cases = draw(st.frozensets(st.integers(0, case_count - 1), min_size=1, max_size=case_count))
    state = draw(st.sampled_from(["active", "active", "expired", "revoked", "future"]))
    return AgreementSpec(grantor, grantee, coverage, labels, cases, draw(st.booleans()), state)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    cases = tuple(draw(st.lists(case_specs(), min_size=1, max_size=6)))
    agreements = tuple(draw(st.lists(agreement_specs(len(cases)), max_size=6)))
    overlap = draw(st.booleans())
    if agreements and overlap:  # the same grantor's terms twice: overlapping coverage
        first = replace(agreements[0], state="active")
        agreements = (first, *agreements[1:], replace(first, victim_services=not first.victim_services))
    label = draw(st.one_of(st.none(), st.sampled_from(LABELS)))
    refs = [(i, n) for i, case in enumerate(cases) for n in range(len(case.persons))]
    if not refs or len(cases) == 1:  # nobody to join a case, or no other case to join
        return World(cases, agreements, draw(st.integers(1, 3)), label)
    onto_another_case = st.sampled_from(refs).flatmap(
        lambda ref: st.tuples(st.just(ref), st.sampled_from([i for i in range(len(cases)) if i != ref[0]]))
    )
    joins = draw(st.dictionaries(onto_another_case, st.sampled_from(ROLES), max_size=3))
    left = draw(st.frozensets(st.sampled_from(refs), max_size=2))
    return World(
        cases,
        agreements,
        draw(st.integers(1, 3)),
        label,
        tuple(Join(ref, case, role) for (ref, case), role in joins.items()),
        left,
    )


@dataclass(frozen=True)
class Analyst:
    token: str
    principal: Principal


@pytest.fixture(scope="module")
async def analysts(
    migrated_driver: AsyncDriver, neo4j_connection: Neo4jConnection
) -> AsyncIterator[dict[str, Analyst]]:
    """One analyst per agency, made once: examples replace cases and agreements only."""
    await wipe(migrated_driver, neo4j_connection.database)
    repos = repositories(migrated_driver, neo4j_connection.database)
    await add_agencies(repos, *AGENCIES)
    found = {}
    for agency in AGENCIES:
        secret = await token_for(repos, agency, Role.ANALYST)
        principal = (await repos.tokens.list(agency))[0].principal
        found[agency] = Analyst(secret, principal)
    yield found
    await wipe(migrated_driver, neo4j_connection.database)


def case_id(index: int) -> str:
    return f"00000000-0000-4000-8000-{index:012d}"


def person_id(ref: PersonRef) -> str:
    return f"{case_id(ref[0])}-p{ref[1]}"


async def build(repos: Repositories, world: World, now: datetime) -> tuple[list[CaseFacts], list[SharingAgreement]]:
    facts = []
    for index, spec in enumerate(world.cases):
        case = Case(
            id=case_id(index),
            owner_agency_id=spec.owner,
            agency_case_number=f"N-{index}",
            title=f"Synthetic {index}",
            summary="synthetic",
            status=CaseStatus.OPEN,
            offenses=(),
            labels=spec.labels,
            opened_on=date(2026, 1, 1),
            victim_services_notes=f"synthetic notes {index}" if spec.notes else None,
        )
        assert await repos.cases.create(case, EVENT)
        for member in sorted(spec.team):
            await repos.cases.add_member(case.id, member, spec.owner, EVENT)
        for phone in sorted(spec.phones):
            await repos.identifiers.attach(Holder("Case", case.id), _phone(phone), spec.owner, EVENT)
        for number, recorded in enumerate(spec.persons):
            person = Person(
                id=person_id((index, number)),
                owner_agency_id=recorded.recorder,
                name=f"Synthetic {recorded.role} {number}",
            )
            await repos.persons.add_new(
                case.id,
                person,
                CaseRole(recorded.role),
                [_phone(phone) for phone in sorted(recorded.phones)],
                writer=recorded.recorder,
                event=EVENT,
            )
        facts.append(CaseFacts(case.id, spec.owner, spec.team, spec.labels))
    for join in world.joins:
        owner = world.cases[join.case].owner
        await repos.persons.add_existing(case_id(join.case), person_id(join.person), CaseRole(join.role), owner, EVENT)
    for ref in sorted(world.left):
        assert await repos.persons.remove_from_case(case_id(ref[0]), person_id(ref), world.cases[ref[0]].owner, EVENT)
    agreements = []
    for index, terms in enumerate(world.agreements):
        valid_from, valid_until = {
            "active": (now - timedelta(days=10), now + timedelta(days=10)),
            "revoked": (now - timedelta(days=10), None),
            "expired": (now - timedelta(days=10), now - timedelta(days=1)),
            "future": (now + timedelta(days=1), None),
        }[terms.state]
        agreement = SharingAgreement(
            id=f"agreement-{index}",
            grantor_id=terms.grantor,
            grantee_id=terms.grantee,
            coverage=terms.coverage,
            labels=terms.labels,
            case_ids=frozenset(case_id(i) for i in terms.cases),
            victim_services=terms.victim_services,
            purpose="generated",
            valid_from=valid_from,
            valid_until=valid_until,
            created_by="property-test",
        )
        await repos.agreements.create(agreement, EVENT)
        if terms.state == "revoked":
            revoked = await repos.agreements.revoke(agreement.id, now - timedelta(days=1), EVENT)
            assert revoked is not None
            agreement = revoked
        agreements.append(agreement)
    return facts, agreements


def _phone(value: str) -> Identifier:
    return Identifier(IdentifierKind.PHONE, value, value)


def extensions_but_request_id(body: dict[str, Any]) -> dict[str, Any]:
    """The first error's extensions without the request id, which differs from one request to the next."""
    return {key: value for key, value in body["errors"][0]["extensions"].items() if key != "requestId"}


def expected_node(case: CaseFacts, decision: Decision, notes: bool) -> dict[str, Any]:
    index = int(case.id.rsplit("-", 1)[1])
    hidden = "victim_services_notes" in decision.redacted
    return {
        "id": case.id,
        "ownerAgencyId": case.owner_agency_id,
        "victimServicesNotes": None if hidden or not notes else f"synthetic notes {index}",
        "redacted": ["victimServicesNotes", "victims"] if hidden else [],
    }


async def read_all_pages(
    http: httpx.AsyncClient, analyst: Analyst, world: World
) -> tuple[list[dict[str, Any]], set[int]]:
    nodes: list[dict[str, Any]] = []
    totals: set[int] = set()
    after = None
    variables: dict[str, Any] = {"first": world.page_size}
    if world.label_filter:
        variables["filter"] = {"label": world.label_filter}
    while True:
        body = await gql(http, CASES, {**variables, "after": after}, token=analyst.token, purpose="property test")
        assert body.get("errors") is None, body
        page = body["data"]["cases"]
        totals.add(page["totalCount"])
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes, totals
        after = page["pageInfo"]["endCursor"]


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(world=worlds())
async def test_every_read_path_returns_exactly_what_the_policy_allows(
    world: World,
    analysts: dict[str, Analyst],
    gateway_url: str,
    migrated_driver: AsyncDriver,
    neo4j_connection: Neo4jConnection,
) -> None:
    database = neo4j_connection.database
    await query(
        migrated_driver,
        database,
        "MATCH (n) WHERE n:Case OR n:SharingAgreement OR n:Disclosure OR n:Person OR n:Identifier DETACH DELETE n",
    )
    repos = repositories(migrated_driver, database)
    now = datetime.now(UTC)
    facts, agreements = await build(repos, world, now)
    for agency in AGENCIES:
        await check_write_rules(migrated_driver, database, agency, world, facts)

    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as http:
        await asyncio.gather(
            *(
                check_analyst(http, agency, analyst, world, facts, agreements, now)
                for agency, analyst in analysts.items()
            )
        )
    for agency, analyst in analysts.items():
        records = await query(
            migrated_driver,
            database,
            "MATCH (d:Disclosure {recipientAgencyId: $agency}) UNWIND d.caseIds AS id "
            "RETURN coalesce(d.kind, 'CASE') + CASE d.operation WHEN 'linkPath' THEN ' on a path' ELSE '' END AS kind, "
            "collect(DISTINCT id) AS ids",
            agency=agency,
        )
        recorded = {row["kind"]: set(row["ids"]) for row in records}
        hidden = {case.id for case in facts if not decide_case(analyst.principal, case, agreements, now).visible}
        assert recorded.get("POINTER on a path", set()) <= hidden
        recorded["CASE"] = recorded.get("CASE", set()) | recorded.get("CASE on a path", set())
        foreign = {
            case.id
            for case in facts
            if case.owner_agency_id != agency and decide_case(analyst.principal, case, agreements, now).visible
        }
        assert recorded.get("CASE", set()) == foreign
        assert recorded.get("POINTER", set()) == pointed_to(world, facts, analyst, agreements, now)


WRITE_RULES = f"""
CALL () {{ MATCH (c:Case) RETURN collect({{id: c.id, mayEdit: {MAY_EDIT}, owns: {OWNS}}}) AS cases }}
CALL () {{ MATCH (p:Person) RETURN collect({{id: p.id, mayChange: {MAY_CHANGE_PERSON}}}) AS persons }}
RETURN cases, persons
"""
"""The rules the writes re-check once they hold their locks, for writer `$agency`, on every case and person."""


async def check_write_rules(
    driver: AsyncDriver, database: str, agency: str, world: World, facts: list[CaseFacts]
) -> None:
    [found] = await query(driver, database, WRITE_RULES, agency=agency)
    cases = {case.id: (may_edit(agency, case), owns(agency, case)) for case in facts}
    assert {case["id"]: (case["mayEdit"], case["owns"]) for case in found["cases"]} == cases, f"writer {agency}"
    persons = {
        person_id(ref): may_change_person(agency, person.recorder, [facts[i] for i in world.cases_of(ref)])
        for ref, person in world.persons.items()
    }
    assert {person["id"]: person["mayChange"] for person in found["persons"]} == persons, f"writer {agency}"


async def check_analyst(
    http: httpx.AsyncClient,
    agency: str,
    analyst: Analyst,
    world: World,
    facts: list[CaseFacts],
    agreements: list[SharingAgreement],
    now: datetime,
) -> None:
    notes = {case_id(i): spec.notes for i, spec in enumerate(world.cases)}
    decisions = {case.id: decide_case(analyst.principal, case, agreements, now) for case in facts}
    allowed = [case for case in facts if decisions[case.id].visible]
    listed = [case for case in allowed if world.label_filter is None or world.label_filter in case.labels]

    nodes, totals = await read_all_pages(http, analyst, world)
    assert nodes == [expected_node(case, decisions[case.id], notes[case.id]) for case in listed]
    assert totals <= {len(listed)}

    await check_links(http, analyst, world, facts, agreements, now)
    missing = await gql(http, CASE, {"id": MISSING_ID}, token=analyst.token, purpose="property test")
    for case in facts:
        body = await gql(http, CASE, {"id": case.id}, token=analyst.token, purpose="property test")
        if decisions[case.id].visible:
            title = f"Synthetic {int(case.id.rsplit('-', 1)[1])}"
            assert body["data"]["case"] == {**expected_node(case, decisions[case.id], notes[case.id]), "title": title}
        else:
            assert body["data"] == missing["data"]
            assert body["errors"][0]["message"].replace(case.id, MISSING_ID) == missing["errors"][0]["message"]
            assert extensions_but_request_id(body) == extensions_but_request_id(missing)


_LINK_PAGE = """
    totalCount pageInfo { hasNextPage endCursor }
    edges { node {
      hops access linkedBy { value }
      case { id }
      pointer { ownerAgencyId pointOfContact { name } matchedIdentifiers { value } }
    } }
"""
LINKED = f"""
query($id: ID!, $after: String) {{ linkedCases(caseId: $id, maxHops: 3, first: 4, after: $after) {{ {_LINK_PAGE} }} }}
"""
LOOKUP = f"""
query($id: String!, $after: String) {{
  lookupIdentifier(identifier: {{kind: PHONE, value: $id}}, first: 2, after: $after) {{ {_LINK_PAGE} }}
}}
"""
PATH = """
query($from: String!, $to: String!) {
  linkPath(from: {identifier: {kind: PHONE, value: $from}}, to: {identifier: {kind: PHONE, value: $to}}) {
    identifier { value } case { id } pointer { ownerAgencyId matchedIdentifiers { value } }
  }
}
"""
SEARCH = """
query($after: String) {
  searchCases(text: "synthetic", first: 2, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id } }
  }
}
"""


def expected_links(
    world: World,
    facts: list[CaseFacts],
    analyst: Analyst,
    agreements: list[SharingAgreement],
    now: datetime,
    start: str,
) -> list[tuple[int, str, str | None, tuple[str, ...], str | None]] | None:
    """(hops, access, case id if FULL, linked-by values, pointer owner) per link, by the pure policy."""
    links = linked_cases(
        analyst.principal,
        start,
        cases={case.id: case for case in facts},
        holdings=world.holdings,
        agreements=agreements,
        now=now,
        max_hops=3,
    )
    return None if links is None else as_rows(links, facts)


def as_rows(
    links: list[Link], facts: list[CaseFacts]
) -> list[tuple[int, str, str | None, tuple[str, ...], str | None]]:
    owners = {case.id: case.owner_agency_id for case in facts}
    return sorted(
        (
            link.hops,
            link.level.value,
            link.case_id if link.level is AccessLevel.FULL else None,
            tuple(sorted(link.via)),
            owners[link.case_id] if link.level is AccessLevel.POINTER else None,
        )
        for link in links
    )


def pointed_to(
    world: World, facts: list[CaseFacts], analyst: Analyst, agreements: list[SharingAgreement], now: datetime
) -> set[str]:
    """The cases that the linked reads and lookups of `check_links` point to."""
    cases = {c.id: c for c in facts}
    holdings = world.holdings
    found: list[Link] = []
    for case in facts:
        found += (
            linked_cases(
                analyst.principal, case.id, cases=cases, holdings=holdings, agreements=agreements, now=now, max_hops=3
            )
            or []
        )
    for phone in PHONES[:2]:
        found += holders_of(analyst.principal, phone, cases=cases, holdings=holdings, agreements=agreements, now=now)
    return {link.case_id for link in found if link.level is AccessLevel.POINTER}


async def check_links(
    http: httpx.AsyncClient,
    analyst: Analyst,
    world: World,
    facts: list[CaseFacts],
    agreements: list[SharingAgreement],
    now: datetime,
) -> None:
    decisions = {case.id: decide_case(analyst.principal, case, agreements, now) for case in facts}
    cases = {c.id: c for c in facts}
    holdings = world.holdings
    linking = {case.id: linking_identifiers(decisions[case.id], holdings[case.id]) for case in facts}
    seen_phones = frozenset().union(*(linking[case.id] for case in facts if decisions[case.id].visible))
    owners = {case.id: case.owner_agency_id for case in facts}

    async def linked_from(case: CaseFacts) -> str:
        expected = expected_links(world, facts, analyst, agreements, now, case.id)
        nodes, text = await walk(http, analyst, LINKED, {"id": case.id}, "linkedCases", expected is not None)
        if expected is None:
            return ""
        assert_links(nodes, expected)
        return text

    async def held(phone: str) -> str:
        expected = as_rows(
            holders_of(analyst.principal, phone, cases=cases, holdings=holdings, agreements=agreements, now=now), facts
        )
        nodes, text = await walk(http, analyst, LOOKUP, {"id": phone}, "lookupIdentifier", True)
        assert_links(nodes, expected)
        return text.replace(phone, "")  # the phone asked for is in every answer about it

    async def path_to(target: str) -> str:
        expected = link_path(
            analyst.principal,
            frozenset({PHONES[0]}),
            frozenset({target}),
            cases=cases,
            holdings=holdings,
            agreements=agreements,
            now=now,
            max_cases=4,
        )
        body = await gql(http, PATH, {"from": PHONES[0], "to": target}, token=analyst.token, purpose="property test")
        assert body.get("errors") is None, body
        assert_path(body["data"]["linkPath"], expected, linking, decisions, owners, PHONES[0], target)
        return json.dumps(body).replace(PHONES[0], "").replace(target, "")

    # one probe at a time: concurrent ones only queue on the 2 batches of the group commit, and run slower
    answers = ""
    for case in facts:
        answers += await linked_from(case)
    for phone in PHONES[:2]:
        answers += await held(phone)
    for target in PHONES[2:]:
        answers += await path_to(target)
    for other in facts:
        if not decisions[other.id].visible:
            assert other.id not in answers
    for phone in PHONES:
        if phone not in seen_phones:
            assert phone not in answers
    searched, _ = await walk(http, analyst, SEARCH, {}, "searchCases", True)
    assert sorted(node["id"] for node in searched) == sorted(c.id for c in facts if decisions[c.id].visible)


async def walk(
    http: httpx.AsyncClient, analyst: Analyst, query: str, variables: dict[str, Any], field: str, exists: bool
) -> tuple[list[dict[str, Any]], str]:
    """Every page of a connection, and all that was answered; a start that does not exist answers NOT_FOUND."""
    nodes: list[dict[str, Any]] = []
    after, answers, total = None, "", None
    while True:
        body = await gql(http, query, {**variables, "after": after}, token=analyst.token, purpose="property test")
        answers += json.dumps(body)
        if not exists:
            assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
            return nodes, answers
        assert body.get("errors") is None, body
        page = body["data"][field]
        assert total in (None, page["totalCount"])
        total = page["totalCount"]
        nodes += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            assert total == len(nodes)
            return nodes, answers
        after = page["pageInfo"]["endCursor"]


def assert_links(
    nodes: list[dict[str, Any]], expected: list[tuple[int, str, str | None, tuple[str, ...], str | None]]
) -> None:
    found = sorted(
        (
            node["hops"],
            node["access"],
            node["case"]["id"] if node["case"] else None,
            tuple(sorted(i["value"] for i in node["linkedBy"])),
            node["pointer"]["ownerAgencyId"] if node["pointer"] else None,
        )
        for node in nodes
    )
    assert found == expected
    for node in nodes:
        if node["pointer"]:
            assert node["case"] is None
            assert node["pointer"]["pointOfContact"] is None
            assert node["pointer"]["matchedIdentifiers"] == node["linkedBy"]


def assert_path(
    steps: list[dict[str, Any]] | None,
    expected: list[Any] | None,
    linking: dict[str, frozenset[str]],
    decisions: dict[str, Decision],
    owners: dict[str, str],
    source: str,
    target: str,
) -> None:
    """A shortest chain, as long as the pure policy's, valid step by step: each case holds (for the reader) the
    identifiers on either side of it and is seen in full, except a last one that is a pointer to a hidden case."""
    if expected is None:
        assert steps is None
        return
    assert steps is not None
    assert len(steps) == len(expected)
    assert steps[0]["identifier"] == {"value": source}
    assert steps[-1]["identifier"] == {"value": target}
    assert sum(isinstance(step, PathCase) for step in expected) == len(steps) // 2
    for index in range(1, len(steps), 2):
        left, step, right = (
            steps[index - 1]["identifier"]["value"],
            steps[index],
            steps[index + 1]["identifier"]["value"],
        )
        if step["case"] is not None:
            assert decisions[step["case"]["id"]].visible
            assert {left, right} <= linking[step["case"]["id"]]
        else:
            assert index == len(steps) - 2
            assert step["pointer"]["matchedIdentifiers"] == [{"value": value} for value in sorted({left, right})]
            assert any(
                not decisions[case].visible
                and {left, right} <= held
                and owners[case] == step["pointer"]["ownerAgencyId"]
                for case, held in linking.items()
            )
