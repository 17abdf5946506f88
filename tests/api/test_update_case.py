"""updateCase: the fields given change, the others stay, and a point of contact is replaced whole."""

from __future__ import annotations

from typing import Any

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import gql, token_for
from tests.support.persons import open_case

SPD = "WASPD0000"
UPDATE = """
mutation($id: ID!, $c: UpdateCaseInput!) {
  updateCase(id: $id, changes: $c) { title summary pointOfContact { name phone email } }
}
"""


async def update(client: httpx.AsyncClient, token: str, case_id: str, **changes: Any) -> dict[str, Any]:
    body = await gql(client, UPDATE, {"id": case_id, "c": changes}, token=token)
    assert body.get("errors") is None, body
    updated: dict[str, Any] = body["data"]["updateCase"]
    return updated


async def test_a_new_point_of_contact_keeps_nothing_of_the_old_one(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, analyst, "SPD-POC")
    old = {"name": "Detective desk (synthetic)", "phone": "+1-206-555-0100", "email": "desk@example.org"}
    assert (await update(client, analyst, case_id, pointOfContact=old))["pointOfContact"] == old

    replaced = await update(client, analyst, case_id, pointOfContact={"name": "Night desk (synthetic)", "phone": ""})
    assert replaced["pointOfContact"] == {"name": "Night desk (synthetic)", "phone": None, "email": None}

    untouched = await update(client, analyst, case_id, title="Synthetic case, retitled")
    assert untouched["title"] == "Synthetic case, retitled"
    assert untouched["pointOfContact"] == {"name": "Night desk (synthetic)", "phone": None, "email": None}
    assert untouched["summary"] == ""
