"""updatePerson: the recording agency changes who a person is; the derived PERSON identifiers follow."""

from __future__ import annotations

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.persons import add_identifier, add_person, open_case

SPD, KCSO = "WASPD0000", "WA0170000"
UPDATE = """
mutation($id: ID!, $changes: PersonChangesInput!) {
  updatePerson(id: $id, changes: $changes) { id name aliases dateOfBirth identifiers { kind value } }
}
"""


async def test_changing_the_date_of_birth_moves_the_person_identifier(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, spd, "SPD-U1")
    person = (await add_person(client, spd, case_id, name="Garcia, Jose", dateOfBirth="1990-04-02"))["person"]
    await add_identifier(client, spd, "PHONE", "6125550147", person=person["id"])
    body = await gql(client, UPDATE, {"id": person["id"], "changes": {"dateOfBirth": "1991-04-02"}}, token=spd)
    assert body.get("errors") is None, body
    changed = body["data"]["updatePerson"]
    assert (changed["name"], changed["dateOfBirth"]) == ("Garcia, Jose", "1991-04-02")
    assert changed["identifiers"] == [
        {"kind": "PERSON", "value": "garcia jose|1991-04-02"},
        {"kind": "PHONE", "value": "+16125550147"},
    ]


async def test_another_agency_cannot_change_the_person(client: httpx.AsyncClient, repos: Repositories) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    case_id = await open_case(client, spd, "SPD-U2")
    person_id = (await add_person(client, spd, case_id, name="Synthetic Suspect"))["person"]["id"]
    body = await gql(client, UPDATE, {"id": person_id, "changes": {"name": "Changed"}}, token=kcso)
    assert error_code(body) == "NOT_FOUND"
    nothing = await gql(client, UPDATE, {"id": person_id, "changes": {}}, token=spd)
    assert error_code(nothing) == "BAD_USER_INPUT"


async def test_a_former_team_member_cannot_change_its_person_on_the_case_it_left(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    spd = await token_for(repos, SPD, Role.ANALYST)
    case_id = await open_case(client, kcso, "KC-U3")
    member = """
    mutation($id: ID!, $a: String!, $add: Boolean!) {
      a: addCaseMember(id: $id, agencyId: $a) @include(if: $add) { id }
      r: removeCaseMember(id: $id, agencyId: $a) @skip(if: $add) { id }
    }
    """
    assert (await gql(client, member, {"id": case_id, "a": SPD, "add": True}, token=kcso)).get("errors") is None
    person_id = (await add_person(client, spd, case_id, purpose="task force", name="Synthetic Suspect"))["person"]["id"]
    assert (await gql(client, member, {"id": case_id, "a": SPD, "add": False}, token=kcso)).get("errors") is None
    body = await gql(client, UPDATE, {"id": person_id, "changes": {"dateOfBirth": "1990-01-01"}}, token=spd)
    assert error_code(body) == "FORBIDDEN"
    attach = """
    mutation($p: ID!) { addIdentifier(personId: $p, identifier: {kind: PHONE, value: "6125550147"}) { value } }
    """
    assert error_code(await gql(client, attach, {"p": person_id}, token=spd)) == "FORBIDDEN"
