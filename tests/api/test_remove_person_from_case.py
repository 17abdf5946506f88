"""removePersonFromCase: off this case, still recorded and on the agency's other cases."""

from __future__ import annotations

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.persons import ADD_PERSON, CASE_PERSONS, add_person, open_case

SPD, KCSO = "WASPD0000", "WA0170000"
REMOVE = """
mutation($case: ID!, $person: ID!) { removePersonFromCase(caseId: $case, personId: $person) { id } }
"""


async def test_a_person_leaves_one_case_and_stays_on_another(client: httpx.AsyncClient, repos: Repositories) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    first, second = await open_case(client, spd, "SPD-X1"), await open_case(client, spd, "SPD-X2")
    person_id = (await add_person(client, spd, first, name="Synthetic Associate"))["person"]["id"]
    await gql(client, ADD_PERSON, {"case": second, "role": "ASSOCIATE", "personId": person_id}, token=spd)
    body = await gql(client, REMOVE, {"case": first, "person": person_id}, token=spd)
    assert body.get("errors") is None, body
    assert (await gql(client, CASE_PERSONS, {"id": first}, token=spd))["data"]["case"]["persons"] == []
    kept = (await gql(client, CASE_PERSONS, {"id": second}, token=spd))["data"]["case"]["persons"]
    assert [(p["role"], p["person"]["id"]) for p in kept] == [("ASSOCIATE", person_id)]
    again = await gql(client, REMOVE, {"case": first, "person": person_id}, token=spd)
    assert error_code(again) == "NOT_FOUND"
    other = await token_for(repos, KCSO, Role.ANALYST)
    foreign = await gql(client, REMOVE, {"case": second, "person": person_id}, token=other, purpose="p")
    assert error_code(foreign) == "NOT_FOUND"
