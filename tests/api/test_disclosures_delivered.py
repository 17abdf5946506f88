"""A dissemination record describes what reached the reader: a field the answer drops leaves no record."""

from __future__ import annotations

import httpx
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import OPEN_CASE, case_input, gql, token_for
from tests.support.graph import query

SPD, KCSO = "WASPD0000", "WA0170000"
AGREEMENT = "mutation($a: SharingAgreementInput!) { createSharingAgreement(agreement: $a) { id } }"
PURPOSE = "joint operation planning"
RECORDED = "MATCH (d:Disclosure) RETURN d.caseIds AS cases ORDER BY d.operation"


async def shared_cases(client: httpx.AsyncClient, repos: Repositories) -> tuple[str, list[str]]:
    owner = await token_for(repos, SPD, Role.ANALYST)
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    ids = [
        (await gql(client, OPEN_CASE, {"case": case_input(f"SPD-{n}")}, token=owner))["data"]["openCase"]["id"]
        for n in range(3)
    ]
    terms = {"granteeId": KCSO, "coverage": "ALL_CASES", "purpose": "task force"}
    assert (await gql(client, AGREEMENT, {"a": terms}, token=supervisor)).get("errors") is None
    return await token_for(repos, KCSO, Role.ANALYST), sorted(ids)


async def test_an_answer_nulled_by_another_alias_records_nothing(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    grantee, _ = await shared_cases(client, repos)
    both = '{ shown: cases(first: 5) { edges { node { id title } } } missing: case(id: "no-such-case") { id } }'
    body = await gql(client, both, token=grantee, purpose=PURPOSE)
    assert body["data"] is None  # `case` is non-null: its NOT_FOUND nulls the whole answer, `shown` included
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await query(graph, "neo4j", RECORDED) == []


async def test_what_reaches_the_reader_is_recorded_once_per_field(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    grantee, ids = await shared_cases(client, repos)
    both = f'{{ shown: cases(first: 5) {{ edges {{ node {{ id }} }} }} one: case(id: "{ids[0]}") {{ id }} }}'
    body = await gql(client, both, token=grantee, purpose=PURPOSE)
    assert body.get("errors") is None, body
    assert sorted(edge["node"]["id"] for edge in body["data"]["shown"]["edges"]) == ids
    recorded = await query(graph, "neo4j", RECORDED)
    assert sorted(sorted(row["cases"]) for row in recorded) == [[ids[0]], ids]


async def test_a_mutation_answer_dropped_by_a_later_failure_records_nothing(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    owner = await token_for(repos, SPD, Role.ANALYST)
    case_id = (await gql(client, OPEN_CASE, {"case": case_input("SPD-9")}, token=owner))["data"]["openCase"]["id"]
    added = await gql(
        client, f'mutation {{ addCaseMember(id: "{case_id}", agencyId: "{KCSO}") {{ id }} }}', token=owner
    )
    assert added.get("errors") is None, added
    member = await token_for(repos, KCSO, Role.ANALYST)
    # Mutations run one after the other: the first changes the case and reads it back (another agency's case,
    # so a disclosure), then the second fails, and since both are non-null the answer holds no data at all.
    both = f"""mutation {{
      shown: updateCase(id: "{case_id}", changes: {{title: "Renamed by the team"}}) {{ id title }}
      missing: updateCase(id: "no-such-case", changes: {{title: "x"}}) {{ id }}
    }}"""
    body = await gql(client, both, token=member, purpose=PURPOSE)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert await query(graph, "neo4j", RECORDED) == []
    titles = await query(graph, "neo4j", "MATCH (c:Case {id: $id}) RETURN c.title AS title", id=case_id)
    assert titles == [{"title": "Renamed by the team"}]  # the write itself stands; only its answer was lost
