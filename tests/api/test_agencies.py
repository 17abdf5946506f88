"""agencies(...): the directory, filtered by level and by state however the state is written."""

from __future__ import annotations

import httpx
import pytest

from agencies.models import Agency, AgencyLevel, AgencySource
from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for

BY_STATE = "query($state: String) { agencies(state: $state, first: 50) { totalCount edges { node { id state } } } }"


async def directory(repos: Repositories) -> None:
    await repos.agencies.upsert_many(
        [
            Agency(id=ori, name=f"Agency {ori}", level=AgencyLevel.LOCAL, source=AgencySource.FBI_CDE, state=state)
            for ori, state in (("WA0000001", "WA"), ("WA0000002", "WA"), ("OR0000001", "OR"), ("DC0000001", "DC"))
        ]
    )


@pytest.mark.parametrize("written", ["WA", "wa", " Wa ", "Washington", "washington"])
async def test_a_state_is_found_however_it_is_written(
    client: httpx.AsyncClient, repos: Repositories, written: str
) -> None:
    await directory(repos)
    token = await token_for(repos, "WASPD0000", Role.ANALYST)
    body = await gql(client, BY_STATE, {"state": written}, token=token)
    assert body.get("errors") is None, body
    found = {edge["node"]["id"] for edge in body["data"]["agencies"]["edges"]}
    assert {"WA0000001", "WA0000002"} <= found
    assert all(edge["node"]["state"] == "WA" for edge in body["data"]["agencies"]["edges"])
    assert "OR0000001" not in found


@pytest.mark.parametrize("written", ["XX", "53", "", "Narnia"])
async def test_an_unknown_state_is_bad_input_not_an_empty_page(
    client: httpx.AsyncClient, repos: Repositories, written: str
) -> None:
    token = await token_for(repos, "WASPD0000", Role.ANALYST)
    body = await gql(client, BY_STATE, {"state": written}, token=token)
    assert error_code(body) == "BAD_USER_INPUT"
    assert "use its postal code" in body["errors"][0]["message"]
