"""createStrategy, createGoal, createObjective, createIndicator and their updates: the NATIONAL_COORDINATOR's."""

from __future__ import annotations

import asyncio

import httpx
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import error_code, gql, token_for
from tests.support.graph import query
from tests.support.strategy import (
    CREATE_GOAL,
    CREATE_OBJECTIVE,
    CREATE_STRATEGY,
    LEAD,
    RECORD,
    SUPPORTING,
    UNRELATED,
    build_strategy,
    data,
    measurement_input,
)

UPDATE_OBJECTIVE = """
mutation($id: ID!, $c: UpdateObjectiveInput!) { updateObjective(id: $id, changes: $c) { id supportingAgencyIds } }
"""
UPDATE_INDICATOR = """
mutation($id: ID!, $c: UpdateIndicatorInput!) { updateIndicator(id: $id, changes: $c) { id target targetDate } }
"""


async def test_the_national_coordinator_builds_the_structure_and_every_step_is_audited(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    built = await build_strategy(client, repos)
    changed = await gql(
        client, UPDATE_INDICATOR, {"id": built.indicator_id, "c": {"target": "80.5"}}, token=built.national
    )
    assert data(changed, "updateIndicator") == {"id": built.indicator_id, "target": "80.5", "targetDate": "2026-12-31"}
    kinds = await query(
        graph,
        neo4j_connection.database,
        "MATCH (e:AuditEntry) WHERE e.kind STARTS WITH 'strategy.' RETURN e.kind AS kind ORDER BY e.at, e.seq",
    )
    assert sorted(k["kind"] for k in kinds) == sorted(
        [
            "strategy.create",
            "strategy.goal.create",
            "strategy.objective.create",
            "strategy.indicator.create",
            "strategy.indicator.update",
        ]
    )
    links = await query(
        graph,
        neo4j_connection.database,
        "MATCH (a:Agency)-[r:LEADS|SUPPORTS]->(:Objective {id: $id}) "
        "RETURN a.id AS agency, type(r) AS how ORDER BY how",
        id=built.objective_id,
    )
    assert links == [{"agency": LEAD, "how": "LEADS"}, {"agency": SUPPORTING, "how": "SUPPORTS"}]


async def test_coordinators_and_other_roles_may_not_change_the_structure(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    coordinator = await token_for(repos, LEAD, Role.COORDINATOR)
    refused = await gql(client, CREATE_STRATEGY, {"s": {"title": "Another (synthetic)"}}, token=coordinator)
    assert error_code(refused) == "FORBIDDEN"
    assert "NATIONAL_COORDINATOR" in refused["errors"][0]["message"]
    goal = {"strategyId": built.strategy_id, "title": "Not theirs", "pillar": "PREVENTION"}
    assert error_code(await gql(client, CREATE_GOAL, {"g": goal}, token=coordinator)) == "FORBIDDEN"
    widen = {"id": built.objective_id, "c": {"supportingAgencyIds": [SUPPORTING, UNRELATED]}}
    assert error_code(await gql(client, UPDATE_OBJECTIVE, widen, token=coordinator)) == "FORBIDDEN"
    analyst = await token_for(repos, LEAD, Role.ANALYST)
    assert error_code(await gql(client, CREATE_GOAL, {"g": goal}, token=analyst)) == "FORBIDDEN"
    assert error_code(await gql(client, CREATE_GOAL, {"g": goal})) == "UNAUTHENTICATED"


async def test_an_objective_names_only_agencies_of_the_directory(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    body = await gql(
        client,
        CREATE_OBJECTIVE,
        {"o": {"goalId": built.goal_id, "title": "Unknown lead", "leadAgencyId": "XX0000000"}},
        token=built.national,
    )
    assert error_code(body) == "BAD_USER_INPUT"
    assert "XX0000000" in body["errors"][0]["message"]


async def test_supporting_agencies_can_be_changed_and_then_record(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    widen = {"id": built.objective_id, "c": {"supportingAgencyIds": [SUPPORTING, UNRELATED]}}
    assert data(await gql(client, UPDATE_OBJECTIVE, widen, token=built.national), "updateObjective") == {
        "id": built.objective_id,
        "supportingAgencyIds": [UNRELATED, SUPPORTING],
    }
    newcomer = await token_for(repos, UNRELATED, Role.COORDINATOR)
    body = await gql(client, RECORD, {"m": measurement_input(built.indicator_id)}, token=newcomer)
    assert data(body, "recordMeasurement")["reportingAgencyId"] == UNRELATED
    narrow = {"id": built.objective_id, "c": {"supportingAgencyIds": []}}
    assert (
        data(await gql(client, UPDATE_OBJECTIVE, narrow, token=built.national), "updateObjective")[
            "supportingAgencyIds"
        ]
        == []
    )
    assert error_code(await gql(client, RECORD, {"m": measurement_input(built.indicator_id)}, token=newcomer)) == (
        "FORBIDDEN"
    )


async def test_bad_structure_is_refused_with_the_field_named(client: httpx.AsyncClient, repos: Repositories) -> None:
    built = await build_strategy(client, repos)
    same = await gql(client, UPDATE_INDICATOR, {"id": built.indicator_id, "c": {"target": "0"}}, token=built.national)
    assert error_code(same) == "BAD_USER_INPUT"
    assert "baseline" in same["errors"][0]["message"]
    weightless = {"strategyId": built.strategy_id, "title": "No weight", "pillar": "PREVENTION", "weight": "0"}
    body = await gql(client, CREATE_GOAL, {"g": weightless}, token=built.national)
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["message"].startswith("weight")


UPDATE_GOAL = "mutation($id: ID!, $c: UpdateGoalInput!) { updateGoal(id: $id, changes: $c) { id title weight } }"
GOAL = "query($id: ID!) { strategy(id: $id) { goals { id title weight } } }"
INDICATOR = "query($id: ID!) { strategy(id: $id) { goals { objectives { indicators { baseline target } } } } }"


async def test_concurrent_changes_to_one_goal_both_survive(client: httpx.AsyncClient, repos: Repositories) -> None:
    built = await build_strategy(client, repos)
    for round in range(6):
        title, weight = f"Safe Harbor for minors ({round})", f"{round + 2}"
        answers = await asyncio.gather(
            gql(client, UPDATE_GOAL, {"id": built.goal_id, "c": {"title": title}}, token=built.national),
            gql(client, UPDATE_GOAL, {"id": built.goal_id, "c": {"weight": weight}}, token=built.national),
        )
        for answer in answers:
            data(answer, "updateGoal")
        (goal,) = data(await gql(client, GOAL, {"id": built.strategy_id}, token=built.national), "strategy")["goals"]
        assert (goal["title"], goal["weight"]) == (title, weight), round


async def test_concurrent_changes_are_validated_together(client: httpx.AsyncClient, repos: Repositories) -> None:
    built = await build_strategy(client, repos)  # an indicator from 0 to 100
    answers = await asyncio.gather(
        gql(client, UPDATE_INDICATOR, {"id": built.indicator_id, "c": {"target": "50"}}, token=built.national),
        gql(
            client,
            "mutation($id: ID!, $c: UpdateIndicatorInput!) { updateIndicator(id: $id, changes: $c) { id } }",
            {"id": built.indicator_id, "c": {"baseline": "50"}},
            token=built.national,
        ),
    )
    assert sorted(str(error_code(answer)) for answer in answers) == ["BAD_USER_INPUT", "None"]
    found = data(await gql(client, INDICATOR, {"id": built.strategy_id}, token=built.national), "strategy")
    (indicator,) = found["goals"][0]["objectives"][0]["indicators"]
    assert {indicator["baseline"], indicator["target"]} in ({"0", "50"}, {"50", "100"})


async def test_concurrent_changes_to_one_objective_both_survive_and_its_agencies_follow(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver, neo4j_connection: Neo4jConnection
) -> None:
    built = await build_strategy(client, repos)
    rename = "mutation($id: ID!, $c: UpdateObjectiveInput!) { updateObjective(id: $id, changes: $c) { id title } }"
    answers = await asyncio.gather(
        gql(client, rename, {"id": built.objective_id, "c": {"title": "Renamed"}}, token=built.national),
        gql(
            client,
            UPDATE_OBJECTIVE,
            {"id": built.objective_id, "c": {"supportingAgencyIds": [UNRELATED]}},
            token=built.national,
        ),
    )
    for answer in answers:
        data(answer, "updateObjective")
    links = await query(
        graph,
        neo4j_connection.database,
        "MATCH (a:Agency)-[r:LEADS|SUPPORTS]->(o:Objective {id: $id}) "
        "RETURN o.title AS title, a.id AS agency, type(r) AS how ORDER BY how",
        id=built.objective_id,
    )
    assert links == [
        {"title": "Renamed", "agency": LEAD, "how": "LEADS"},
        {"title": "Renamed", "agency": UNRELATED, "how": "SUPPORTS"},
    ]
    unknown = {"id": built.objective_id, "c": {"supportingAgencyIds": ["XX0000000"]}}
    refused = await gql(client, UPDATE_OBJECTIVE, unknown, token=built.national)
    assert error_code(refused) == "BAD_USER_INPUT"
    assert "XX0000000" in refused["errors"][0]["message"]
