"""recordMeasurement: who may record, per role; what is recorded and audited."""

from __future__ import annotations

import httpx
from neo4j import AsyncDriver

from agencies.principals import Role, Scope
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import error_code, gql, token_for
from tests.support.graph import query
from tests.support.strategy import (
    LEAD,
    NATIONAL,
    RECORD,
    SUPPORTING,
    UNRELATED,
    build_strategy,
    data,
    indicator_input,
    measurement_input,
)

MEASUREMENTS = (
    "query($id: ID!) { strategy(id: $id) { goals { objectives { indicators { measurements { value } } } } } }"
)


async def recorded_values(client: httpx.AsyncClient, token: str, strategy_id: str) -> list[str]:
    found = data(await gql(client, MEASUREMENTS, {"id": strategy_id}, token=token), "strategy")
    return [m["value"] for m in found["goals"][0]["objectives"][0]["indicators"][0]["measurements"]]


async def test_a_coordinator_of_the_lead_or_a_supporting_agency_may_record(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    for agency, value in ((LEAD, "40"), (SUPPORTING, "55")):
        coordinator = await token_for(repos, agency, Role.COORDINATOR)
        body = await gql(client, RECORD, {"m": measurement_input(built.indicator_id, value)}, token=coordinator)
        recorded = data(body, "recordMeasurement")
        assert recorded["reportingAgencyId"] == agency
        assert recorded["value"] == value
        assert recorded["source"] == "Synthetic quarterly report"
    assert await recorded_values(client, built.national, built.strategy_id) == ["40", "55"]


async def test_a_coordinator_of_an_unrelated_agency_may_not(client: httpx.AsyncClient, repos: Repositories) -> None:
    built = await build_strategy(client, repos)
    outsider = await token_for(repos, UNRELATED, Role.COORDINATOR)
    body = await gql(client, RECORD, {"m": measurement_input(built.indicator_id)}, token=outsider)
    assert error_code(body) == "FORBIDDEN"
    assert UNRELATED in body["errors"][0]["message"]
    assert await recorded_values(client, built.national, built.strategy_id) == []


async def test_the_national_coordinator_may_record_for_any_objective(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    body = await gql(client, RECORD, {"m": measurement_input(built.indicator_id, "10")}, token=built.national)
    assert data(body, "recordMeasurement")["reportingAgencyId"] == NATIONAL


async def test_roles_without_the_strategy_scope_may_not_record(client: httpx.AsyncClient, repos: Repositories) -> None:
    built = await build_strategy(client, repos)
    for role in (Role.ANALYST, Role.SUPERVISOR, Role.LIAISON):
        token = await token_for(repos, LEAD, role)
        body = await gql(client, RECORD, {"m": measurement_input(built.indicator_id)}, token=token)
        assert error_code(body) == "FORBIDDEN", role
    narrowed = await token_for(repos, LEAD, Role.COORDINATOR, Role.ANALYST, scopes=frozenset({Scope.CASES_READ}))
    assert error_code(await gql(client, RECORD, {"m": measurement_input(built.indicator_id)}, token=narrowed)) == (
        "FORBIDDEN"
    )
    anonymous = await gql(client, RECORD, {"m": measurement_input(built.indicator_id)})
    assert error_code(anonymous) == "UNAUTHENTICATED"
    assert await recorded_values(client, built.national, built.strategy_id) == []


async def test_a_computed_indicator_takes_no_measurement_and_a_future_day_is_refused(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    future = await gql(
        client, RECORD, {"m": measurement_input(built.indicator_id, as_of="2999-01-01")}, token=built.national
    )
    assert error_code(future) == "BAD_USER_INPUT"
    assert "future" in future["errors"][0]["message"]
    computed = data(
        await gql(
            client,
            "mutation($i: CreateIndicatorInput!) { createIndicator(indicator: $i) { id kind } }",
            {"i": indicator_input(built.objective_id, kind="COMPUTED", computed="MULTI_AGENCY_CASES")},
            token=built.national,
        ),
        "createIndicator",
    )
    body = await gql(client, RECORD, {"m": measurement_input(computed["id"])}, token=built.national)
    assert error_code(body) == "BAD_USER_INPUT"
    assert "COMPUTED" in body["errors"][0]["message"]


async def test_a_measurement_is_audited_with_who_recorded_it(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    built = await build_strategy(client, repos)
    coordinator = await token_for(repos, SUPPORTING, Role.COORDINATOR)
    recorded = data(
        await gql(client, RECORD, {"m": measurement_input(built.indicator_id)}, token=coordinator), "recordMeasurement"
    )
    entries = await query(
        graph,
        neo4j_connection.database,
        "MATCH (e:AuditEntry {kind: 'strategy.measurement.record'}) RETURN e.actor AS actor, e.agencyId AS agency, "
        "e.detail AS detail",
    )
    assert len(entries) == 1
    assert entries[0]["actor"] == f"coordinator@{SUPPORTING}"
    assert entries[0]["agency"] == SUPPORTING
    assert recorded["id"] in entries[0]["detail"]
