"""allocateResource and reportSpending, and the strategy's totals per goal, pillar, agency and stream."""

from __future__ import annotations

from typing import Any

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.strategy import LEAD, SUPPORTING, UNRELATED, build_strategy, data

ALLOCATE = "mutation($r: ResourceInput!) { allocateResource(resource: $r) { id amount spent stream agencyId } }"
SPENDING = "mutation($id: ID!, $spent: Decimal!) { reportSpending(id: $id, spent: $spent) { id spent } }"
TOTALS = """
query($id: ID!) { strategy(id: $id) {
  resourceTotals { allocated spent
    byGoal { key allocated spent count } byPillar { key allocated }
    byAgency { key allocated } byStream { key allocated }
  }
  goals { objectives { resources { title amount } } }
} }
"""
FINES, HEALTH = "JVTA fund: fines and penalties", "JVTA fund: health care"


def grant(objective_id: str, agency: str, stream: str, amount: str, **more: Any) -> dict[str, Any]:
    return {
        "objectiveId": objective_id,
        "agencyId": agency,
        "kind": "GRANT",
        "title": f"{stream} grant to {agency} (synthetic)",
        "stream": stream,
        "fiscalYear": 2026,
        "amount": amount,
        **more,
    }


async def test_resources_add_up_exactly_per_goal_pillar_agency_and_stream(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    for agency, stream, amount in ((LEAD, FINES, "0.10"), (SUPPORTING, HEALTH, "0.20"), (LEAD, FINES, "2500000.05")):
        body = await gql(
            client, ALLOCATE, {"r": grant(built.objective_id, agency, stream, amount)}, token=built.national
        )
        assert data(body, "allocateResource")["amount"] == amount
    found = data(await gql(client, TOTALS, {"id": built.strategy_id}, token=built.national), "strategy")
    totals = found["resourceTotals"]
    assert totals["allocated"] == "2500000.35"
    assert totals["spent"] == "0.00"
    assert totals["byGoal"] == [{"key": built.goal_id, "allocated": "2500000.35", "spent": "0.00", "count": 3}]
    assert totals["byPillar"] == [{"key": "PROTECTION", "allocated": "2500000.35"}]
    assert totals["byStream"] == [{"key": FINES, "allocated": "2500000.15"}, {"key": HEALTH, "allocated": "0.20"}]
    assert totals["byAgency"] == [{"key": LEAD, "allocated": "2500000.15"}, {"key": SUPPORTING, "allocated": "0.20"}]
    assert len(found["goals"][0]["objectives"][0]["resources"]) == 3


async def test_the_agency_of_a_resource_reports_its_spending_and_no_other(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    body = await gql(
        client, ALLOCATE, {"r": grant(built.objective_id, SUPPORTING, HEALTH, "1000")}, token=built.national
    )
    resource_id = data(body, "allocateResource")["id"]
    own = await token_for(repos, SUPPORTING, Role.COORDINATOR)
    assert data(await gql(client, SPENDING, {"id": resource_id, "spent": "250.25"}, token=own), "reportSpending") == {
        "id": resource_id,
        "spent": "250.25",
    }
    other = await token_for(repos, UNRELATED, Role.COORDINATOR)
    assert error_code(await gql(client, SPENDING, {"id": resource_id, "spent": "999"}, token=other)) == "FORBIDDEN"
    over = await gql(client, SPENDING, {"id": resource_id, "spent": "1000.01"}, token=own)
    assert error_code(over) == "BAD_USER_INPUT"
    assert "exceeds" in over["errors"][0]["message"]
    fraction = await gql(client, SPENDING, {"id": resource_id, "spent": "1.005"}, token=own)
    assert error_code(fraction) == "BAD_USER_INPUT"
    coordinator_allocates = await gql(
        client, ALLOCATE, {"r": grant(built.objective_id, SUPPORTING, HEALTH, "5")}, token=own
    )
    assert error_code(coordinator_allocates) == "FORBIDDEN"


async def test_what_is_no_amount_of_money_is_refused_as_bad_input_and_only_after_the_permission_check(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    body = await gql(client, ALLOCATE, {"r": grant(built.objective_id, LEAD, FINES, "100")}, token=built.national)
    resource_id = data(body, "allocateResource")["id"]
    own = await token_for(repos, LEAD, Role.COORDINATOR)
    other = await token_for(repos, UNRELATED, Role.COORDINATOR)
    for sent in ("Infinity", "-Infinity", "NaN", "sNaN", "1E+999990"):
        allocated = await gql(
            client, ALLOCATE, {"r": grant(built.objective_id, LEAD, FINES, sent)}, token=built.national
        )
        assert error_code(allocated) == "BAD_USER_INPUT", (sent, allocated)
        assert "amount" in allocated["errors"][0]["message"]
        spent = await gql(
            client, ALLOCATE, {"r": grant(built.objective_id, LEAD, FINES, "1", spent=sent)}, token=built.national
        )
        assert error_code(spent) == "BAD_USER_INPUT", (sent, spent)
        assert (
            error_code(await gql(client, SPENDING, {"id": resource_id, "spent": sent}, token=own)) == "BAD_USER_INPUT"
        )
        assert error_code(await gql(client, SPENDING, {"id": resource_id, "spent": sent}, token=other)) == "FORBIDDEN"
        by_coordinator = await gql(client, ALLOCATE, {"r": grant(built.objective_id, LEAD, FINES, sent)}, token=own)
        assert error_code(by_coordinator) == "FORBIDDEN"
