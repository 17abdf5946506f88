"""strategy(id, asOf): every authenticated principal reads the picture on a day; later measurements are ignored."""

from __future__ import annotations

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.strategy import LEAD, RECORD, UNRELATED, build_strategy, data, measurement_input

PICTURE = """
query($id: ID!, $asOf: Date) {
  strategy(id: $id, asOf: $asOf) {
    asOf progress { status achieved }
    pillars { pillar progress { status } }
    goals {
      progress { status achieved expected heldBackBy { id status } indicatorsHoldingBack { id title status } }
      objectives {
        progress { status achieved heldBackBy { id } }
        indicators { progress { status achieved expected } latest { value asOf source } measurements { value } }
      }
    }
  }
}
"""


async def test_as_of_gives_the_picture_on_any_past_day(client: httpx.AsyncClient, repos: Repositories) -> None:
    built = await build_strategy(client, repos)
    lead = await token_for(repos, LEAD, Role.COORDINATOR)
    for value, day in (("20", "2026-04-01"), ("60", "2026-07-02")):
        data(
            await gql(client, RECORD, {"m": measurement_input(built.indicator_id, value, day)}, token=lead),
            "recordMeasurement",
        )
    reader = await token_for(repos, UNRELATED, Role.ANALYST)  # any authenticated principal reads

    before = data(await gql(client, PICTURE, {"id": built.strategy_id, "asOf": "2026-03-31"}, token=reader), "strategy")
    goal = before["goals"][0]
    indicator = goal["objectives"][0]["indicators"][0]
    assert indicator["progress"]["status"] == "NOT_STARTED"
    assert indicator["latest"] is None
    assert indicator["measurements"] == []
    assert goal["progress"]["status"] == "NOT_STARTED"
    assert [held["id"] for held in goal["progress"]["indicatorsHoldingBack"]] == [built.indicator_id]

    spring = data(await gql(client, PICTURE, {"id": built.strategy_id, "asOf": "2026-07-01"}, token=reader), "strategy")
    indicator = spring["goals"][0]["objectives"][0]["indicators"][0]
    assert indicator["latest"] == {"value": "20", "asOf": "2026-04-01", "source": "Synthetic quarterly report"}
    assert indicator["progress"]["achieved"] == 0.2
    assert indicator["progress"]["status"] == "OFF_TRACK"  # e = 181/364 ≈ 0.497: 0.2 < e - 0.25
    assert spring["goals"][0]["progress"]["heldBackBy"] == [{"id": built.objective_id, "status": "OFF_TRACK"}]

    summer = data(await gql(client, PICTURE, {"id": built.strategy_id, "asOf": "2026-07-02"}, token=reader), "strategy")
    assert summer["progress"] == {"status": "ON_TRACK", "achieved": 0.6}
    assert {p["pillar"]: p["progress"]["status"] for p in summer["pillars"]}["PROTECTION"] == "ON_TRACK"
    assert summer["goals"][0]["progress"]["heldBackBy"] == []
    assert [m["value"] for m in summer["goals"][0]["objectives"][0]["indicators"][0]["measurements"]] == ["20", "60"]


async def test_reading_needs_a_credential_and_an_unknown_strategy_is_not_found(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    built = await build_strategy(client, repos)
    assert error_code(await gql(client, PICTURE, {"id": built.strategy_id})) == "UNAUTHENTICATED"
    reader = await token_for(repos, UNRELATED, Role.LIAISON)
    assert error_code(await gql(client, PICTURE, {"id": "no-such-strategy"}, token=reader)) == "NOT_FOUND"
    listed = data(await gql(client, "{ strategies { id title demo } }", token=reader), "strategies")
    assert listed == [{"id": built.strategy_id, "title": "Test strategy (synthetic)", "demo": False}]
