"""The API against the pure policy, on generated agencies, cases, case teams and agreements.

For every read path (`case(id)` and `cases` page by page, with and without a filter) and every agency's
analyst, what the API returns must equal what `agencies.policy.decide_case` allows: the same cases, the
same redactions, the same totals; a case the policy hides must answer exactly like an id that does not
exist; and every case that reached another agency must have its dissemination record.

Examples: 200 by default, `SETT_PROPERTY_EXAMPLES=5000` for a long run.
"""

from __future__ import annotations

import asyncio
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
from agencies.policy import CaseFacts, Decision, decide_case
from agencies.principals import Principal, Role
from cases.models import Case, CaseStatus
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import CASE, CASES, add_agencies, gql, repositories, token_for
from tests.support.graph import query, wipe

AGENCIES = ("WASPD0000", "WA0170000", "WADI06800", "USHSI0000")
LABELS = ("HT", "MINOR", "LABOR")
EXAMPLES = int(os.environ.get("SETT_PROPERTY_EXAMPLES", "200"))
MISSING_ID = "ffffffff-ffff-ffff-ffff-ffffffffffff"
EVENT = AuditEvent("test.setup", "property-test", None, {})


@dataclass(frozen=True)
class CaseSpec:
    owner: str
    labels: frozenset[str]
    team: frozenset[str]
    notes: bool


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


@st.composite
def case_specs(draw: st.DrawFn) -> CaseSpec:
    owner = draw(st.sampled_from(AGENCIES))
    team = draw(st.frozensets(st.sampled_from([a for a in AGENCIES if a != owner]), max_size=2))
    return CaseSpec(owner, draw(st.frozensets(st.sampled_from(LABELS), max_size=2)), team, draw(st.booleans()))


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
    return World(cases, agreements, draw(st.integers(1, 3)), label)


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
            await repos.cases.add_member(case.id, member, EVENT)
        facts.append(CaseFacts(case.id, spec.owner, spec.team, spec.labels))
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


def expected_node(case: CaseFacts, decision: Decision, notes: bool) -> dict[str, Any]:
    index = int(case.id.rsplit("-", 1)[1])
    hidden = "victim_services_notes" in decision.redacted
    return {
        "id": case.id,
        "ownerAgencyId": case.owner_agency_id,
        "victimServicesNotes": None if hidden or not notes else f"synthetic notes {index}",
        "redacted": ["victimServicesNotes"] if hidden else [],
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
        migrated_driver, database, "MATCH (n) WHERE n:Case OR n:SharingAgreement OR n:Disclosure DETACH DELETE n"
    )
    repos = repositories(migrated_driver, database)
    now = datetime.now(UTC)
    facts, agreements = await build(repos, world, now)

    async with httpx.AsyncClient(base_url=gateway_url, timeout=30) as http:
        await asyncio.gather(
            *(
                check_analyst(http, agency, analyst, world, facts, agreements, now)
                for agency, analyst in analysts.items()
            )
        )
    for agency, analyst in analysts.items():
        disclosed = await query(
            migrated_driver,
            database,
            "MATCH (d:Disclosure {recipientAgencyId: $agency}) UNWIND d.caseIds AS id RETURN DISTINCT id",
            agency=agency,
        )
        foreign = {
            case.id
            for case in facts
            if case.owner_agency_id != agency and decide_case(analyst.principal, case, agreements, now).visible
        }
        assert {row["id"] for row in disclosed} == foreign


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

    missing = await gql(http, CASE, {"id": MISSING_ID}, token=analyst.token, purpose="property test")
    for case in facts:
        body = await gql(http, CASE, {"id": case.id}, token=analyst.token, purpose="property test")
        if decisions[case.id].visible:
            title = f"Synthetic {int(case.id.rsplit('-', 1)[1])}"
            assert body["data"]["case"] == {**expected_node(case, decisions[case.id], notes[case.id]), "title": title}
        else:
            assert body["data"] == missing["data"]
            assert body["errors"][0]["message"].replace(case.id, MISSING_ID) == missing["errors"][0]["message"]
            assert body["errors"][0]["extensions"] == missing["errors"][0]["extensions"]
