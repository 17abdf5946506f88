"""Building a small strategy through GraphQL, as a NATIONAL_COORDINATOR would."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import gql, token_for

NATIONAL, LEAD, SUPPORTING, UNRELATED = "USOVC0000", "USHSI0000", "WASPD0000", "WA0170000"

CREATE_STRATEGY = "mutation($s: CreateStrategyInput!) { createStrategy(strategy: $s) { id title demo } }"
CREATE_GOAL = "mutation($g: CreateGoalInput!) { createGoal(goal: $g) { id pillar progress { status } } }"
CREATE_OBJECTIVE = """
mutation($o: CreateObjectiveInput!) { createObjective(objective: $o) { id leadAgencyId supportingAgencyIds } }
"""
CREATE_INDICATOR = """
mutation($i: CreateIndicatorInput!) { createIndicator(indicator: $i) { id baseline target progress { status } } }
"""
RECORD = """
mutation($m: MeasurementInput!) { recordMeasurement(measurement: $m) { id value asOf reportingAgencyId source } }
"""


@dataclass(frozen=True)
class Built:
    national: str
    """The NATIONAL_COORDINATOR's token."""
    strategy_id: str
    goal_id: str
    objective_id: str
    indicator_id: str


def data(body: dict[str, Any], field: str) -> Any:
    assert body.get("errors") is None, body
    return body["data"][field]


async def build_strategy(client: httpx.AsyncClient, repos: Repositories) -> Built:
    """A strategy, one PROTECTION goal, one objective led by HSI and supported by Seattle PD, one indicator
    from 0 to 100 over 2026."""
    national = await token_for(repos, NATIONAL, Role.NATIONAL_COORDINATOR)
    strategy = data(
        await gql(client, CREATE_STRATEGY, {"s": {"title": "Test strategy (synthetic)"}}, token=national),
        "createStrategy",
    )
    goal = data(
        await gql(
            client,
            CREATE_GOAL,
            {"g": {"strategyId": strategy["id"], "title": "Safe Harbor for minors", "pillar": "PROTECTION"}},
            token=national,
        ),
        "createGoal",
    )
    objective = data(
        await gql(
            client,
            CREATE_OBJECTIVE,
            {
                "o": {
                    "goalId": goal["id"],
                    "title": "Refer every protected minor to services",
                    "leadAgencyId": LEAD,
                    "supportingAgencyIds": [SUPPORTING],
                }
            },
            token=national,
        ),
        "createObjective",
    )
    indicator = data(
        await gql(client, CREATE_INDICATOR, {"i": indicator_input(objective["id"])}, token=national),
        "createIndicator",
    )
    return Built(national, strategy["id"], goal["id"], objective["id"], indicator["id"])


def indicator_input(objective_id: str, **changes: Any) -> dict[str, Any]:
    return {
        "objectiveId": objective_id,
        "title": "Minors referred to services (share, %)",
        "unit": "percent",
        "baseline": "0",
        "target": "100",
        "startDate": "2026-01-01",
        "targetDate": "2026-12-31",
        **changes,
    }


def measurement_input(indicator_id: str, value: str = "50", as_of: str = "2026-07-02") -> dict[str, Any]:
    return {"indicatorId": indicator_id, "value": value, "asOf": as_of, "source": "Synthetic quarterly report"}
