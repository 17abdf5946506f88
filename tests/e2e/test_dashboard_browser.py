"""The dashboard in a real browser (Debian's headless Chromium, offline): a coordinator signs in, the numbers on
the page are the API's, and a drill-down goes from goal to objective to indicator to each measurement's source.

Screenshots of every step are saved as CI artefacts under `test-artefacts/dashboard/` (or the folder that
SETT_ARTEFACTS names), one PNG per step.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.cli.demo_strategy import seed_strategy
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.support.access import token_for
from tests.support.chromium import Chromium
from tests.support.servers import live_gateway, settings_for_tests

ARTEFACTS = Path(os.environ.get("SETT_ARTEFACTS", Path(__file__).parents[2] / "test-artefacts")) / "dashboard"
PICTURE = """
query($id: ID!) { strategy(id: $id) {
  progress { achieved status }
  goals { id title progress { achieved status } objectives { id title progress { achieved status }
    indicators { id title progress { achieved status } measurements { value source asOf } } } }
} }
"""


@pytest.fixture
def dashboard_url(neo4j_connection: Neo4jConnection, migrated_driver: AsyncDriver) -> Iterator[str]:
    with live_gateway(settings_for_tests(), neo4j_connection) as url:
        yield url


def shown(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio * 100:.1f}%"


def text_of(browser: Chromium, selector: str) -> str:
    value = browser.evaluate(f"document.querySelector({json.dumps(selector)})?.textContent ?? null")
    assert value is not None, f"nothing matches {selector}"
    return str(value)


async def test_a_coordinator_signs_in_checks_the_numbers_and_drills_down_to_a_source(
    dashboard_url: str, repos: Repositories, tmp_path: Path
) -> None:
    strategy_id = await seed_strategy(repos)
    token = await token_for(repos, "USHSI0000", Role.COORDINATOR)
    async with httpx.AsyncClient(base_url=dashboard_url, timeout=60) as http:
        answer = await http.post(
            "/graphql",
            json={"query": PICTURE, "variables": {"id": strategy_id}},
            headers={"Authorization": f"Bearer {token}"},
        )
    api = answer.json()["data"]["strategy"]

    with Chromium(tmp_path / "profile") as browser:
        browser.go(f"{dashboard_url}/dashboard")
        browser.wait_for("document.querySelector('input[name=token]')")
        browser.screenshot(ARTEFACTS / "1-sign-in.png")
        browser.evaluate(f"document.querySelector('input[name=token]').value = {json.dumps(token)}")
        browser.evaluate("document.querySelector('form[action$=\"/login\"] button').click()")
        browser.wait_for("document.body.innerText.includes('coordinator@USHSI0000')")
        assert browser.evaluate("document.cookie") == ""  # the session cookie is HttpOnly: no script reads it
        browser.screenshot(ARTEFACTS / "2-strategies.png")

        browser.evaluate("document.querySelector('a[data-drill=strategy]').click()")
        browser.wait_for("document.querySelector('[data-progress=strategy]')")
        browser.screenshot(ARTEFACTS / "3-strategy.png")
        assert text_of(browser, "[data-progress=strategy]") == shown(api["progress"]["achieved"])
        assert text_of(browser, "[data-status=strategy]") == api["progress"]["status"]
        for goal in api["goals"]:
            assert text_of(browser, f'[data-progress="{goal["id"]}"]') == shown(goal["progress"]["achieved"])
            assert text_of(browser, f'[data-status="{goal["id"]}"]') == goal["progress"]["status"]
        assert browser.evaluate("document.querySelectorAll('svg').length") >= 10

        goal = next(g for g in api["goals"] if g["title"].startswith("Interagency"))
        browser.evaluate(f"document.querySelector('a[href$=\"/goals/{goal['id']}\"]').click()")
        browser.wait_for(f"document.title === {json.dumps(goal['title'])}")
        browser.screenshot(ARTEFACTS / "4-goal.png")
        objective = goal["objectives"][0]
        assert text_of(browser, f'[data-progress="{objective["id"]}"]') == shown(objective["progress"]["achieved"])

        browser.evaluate("document.querySelector('a[data-drill=objective]').click()")
        browser.wait_for(f"document.title === {json.dumps(objective['title'])}")
        browser.screenshot(ARTEFACTS / "5-objective.png")
        indicator = next(i for i in objective["indicators"] if i["measurements"] and "Agencies" in i["title"])
        for shown_indicator in objective["indicators"]:
            assert text_of(browser, f'[data-status="{shown_indicator["id"]}"]') == shown_indicator["progress"]["status"]

        browser.evaluate(f"document.querySelector('a[href$=\"/indicators/{indicator['id']}\"]').click()")
        browser.wait_for(f"document.title === {json.dumps(indicator['title'])}")
        browser.screenshot(ARTEFACTS / "6-indicator-sources.png")
        rows = browser.evaluate(
            "[...document.querySelectorAll('tr[data-measurement]')].map(r => "
            "[r.querySelector('[data-value]').textContent, r.querySelector('[data-source]').textContent])"
        )
        assert rows == [[m["value"], m["source"]] for m in indicator["measurements"]]
        assert all("Demo data" in source for _, source in rows)
    assert sorted(p.name for p in ARTEFACTS.glob("*.png")) >= [
        "1-sign-in.png",
        "2-strategies.png",
        "3-strategy.png",
        "4-goal.png",
        "5-objective.png",
        "6-indicator-sources.png",
    ]
