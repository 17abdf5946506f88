"""removeIdentifier: takes one holder's identifier off, matched on its normalised value."""

from __future__ import annotations

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.persons import CASE_PERSONS, REMOVE_IDENTIFIER, add_identifier, open_case

SPD = "WASPD0000"


async def test_an_identifier_comes_off_by_any_spelling_of_it(client: httpx.AsyncClient, repos: Repositories) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, spd, "SPD-R1")
    await add_identifier(client, spd, "VEHICLE", "WA:ABC 123", case=case_id)
    removed = await gql(
        client, REMOVE_IDENTIFIER, {"case": case_id, "kind": "VEHICLE", "value": "Washington:abc-123"}, token=spd
    )
    assert removed["data"]["removeIdentifier"] == {"kind": "VEHICLE", "value": "WA:ABC123"}
    read = await gql(client, CASE_PERSONS, {"id": case_id}, token=spd)
    assert read["data"]["case"]["identifiers"] == []
    again = await gql(client, REMOVE_IDENTIFIER, {"case": case_id, "kind": "VEHICLE", "value": "WA:ABC123"}, token=spd)
    assert error_code(again) == "NOT_FOUND"
