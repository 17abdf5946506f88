"""setStateLaw and stateSafeHarborLaws: every state and DC, each with the law in force in the year asked."""

from __future__ import annotations

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.strategy import NATIONAL, UNRELATED, data

SET = """
mutation($l: StateLawInput!) { setStateLaw(law: $l) { state year nonCriminalisation servicesForAllChildren grade } }
"""
LAWS = "query($y: Int) { stateSafeHarborLaws(year: $y) { state name law { year nonCriminalisation source } } }"
SEED = "Seed: SETT Act press release (Minnesota's Safe Harbor law)"


async def test_a_state_law_is_recorded_per_year_and_read_for_all_51(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    national = await token_for(repos, NATIONAL, Role.NATIONAL_COORDINATOR)
    for year, rule in ((2011, "PARTIAL"), (2014, "FULL")):
        law = {"state": "mn", "year": year, "nonCriminalisation": rule, "servicesForAllChildren": True, "source": SEED}
        assert data(await gql(client, SET, {"l": law}, token=national), "setStateLaw")["state"] == "MN"
    reader = await token_for(repos, UNRELATED, Role.ANALYST)
    rows = data(await gql(client, LAWS, {"y": 2013}, token=reader), "stateSafeHarborLaws")
    assert len(rows) == 51
    by_state = {row["state"]: row for row in rows}
    assert by_state["DC"]["name"] == "District of Columbia"
    assert by_state["MN"]["law"] == {"year": 2011, "nonCriminalisation": "PARTIAL", "source": SEED}
    assert by_state["WA"]["law"] is None
    later = {
        row["state"]: row for row in data(await gql(client, LAWS, {"y": 2020}, token=reader), "stateSafeHarborLaws")
    }
    assert later["MN"]["law"]["nonCriminalisation"] == "FULL"


async def test_only_the_national_coordinator_records_and_only_real_jurisdictions(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    law = {"state": "MN", "year": 2014, "nonCriminalisation": "FULL", "servicesForAllChildren": True, "source": SEED}
    coordinator = await token_for(repos, UNRELATED, Role.COORDINATOR)
    assert error_code(await gql(client, SET, {"l": law}, token=coordinator)) == "FORBIDDEN"
    national = await token_for(repos, NATIONAL, Role.NATIONAL_COORDINATOR)
    body = await gql(client, SET, {"l": {**law, "state": "PR"}}, token=national)
    assert error_code(body) == "BAD_USER_INPUT"
    assert "50 states or DC" in body["errors"][0]["message"]
    assert error_code(await gql(client, SET, {"l": {**law, "grade": "Z"}}, token=national)) == "BAD_USER_INPUT"
