"""Persons, identifiers and agreements through the API, for the linked-intelligence tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.access import OPEN_CASE, case_input, gql

ADD_PERSON = """
mutation($case: ID!, $role: CaseRole!, $person: PersonInput, $personId: ID) {
  addPerson(caseId: $case, role: $role, person: $person, personId: $personId) {
    role person { id ownerAgencyId name aliases dateOfBirth identifiers { kind value } }
  }
}
"""
ADD_IDENTIFIER = """
mutation($case: ID, $person: ID, $kind: IdentifierKind!, $value: String!) {
  addIdentifier(caseId: $case, personId: $person, identifier: {kind: $kind, value: $value}) { kind value display }
}
"""
REMOVE_IDENTIFIER = """
mutation($case: ID, $person: ID, $kind: IdentifierKind!, $value: String!) {
  removeIdentifier(caseId: $case, personId: $person, identifier: {kind: $kind, value: $value}) { kind value }
}
"""
CASE_PERSONS = """
query($id: ID!) {
  case(id: $id) {
    id redacted identifiers { kind value }
    persons { role person { id name aliases dateOfBirth identifiers { kind value } } }
  }
}
"""
AGREEMENT = "mutation($a: SharingAgreementInput!) { createSharingAgreement(agreement: $a) { id } }"


async def open_case(client: httpx.AsyncClient, token: str, number: str, **kwargs: Any) -> str:
    body = await gql(client, OPEN_CASE, {"case": case_input(number, **kwargs)}, token=token)
    assert body.get("errors") is None, body
    return str(body["data"]["openCase"]["id"])


async def add_person(
    client: httpx.AsyncClient,
    token: str,
    case_id: str,
    role: str = "SUSPECT",
    *,
    purpose: str | None = None,
    **person: Any,
) -> dict[str, Any]:
    body = await gql(
        client, ADD_PERSON, {"case": case_id, "role": role, "person": person}, token=token, purpose=purpose
    )
    assert body.get("errors") is None, body
    added: dict[str, Any] = body["data"]["addPerson"]
    return added


async def add_identifier(
    client: httpx.AsyncClient,
    token: str,
    kind: str,
    value: str,
    *,
    case: str | None = None,
    person: str | None = None,
    purpose: str | None = None,
) -> dict[str, Any]:
    variables = {"case": case, "person": person, "kind": kind, "value": value}
    body = await gql(client, ADD_IDENTIFIER, variables, token=token, purpose=purpose)
    assert body.get("errors") is None, body
    added: dict[str, Any] = body["data"]["addIdentifier"]
    return added


async def share(
    client: httpx.AsyncClient, supervisor: str, grantee: str, *, victim_services: bool = False, **coverage: Any
) -> None:
    terms = {"granteeId": grantee, "coverage": "ALL_CASES", "purpose": "task force", **coverage}
    if victim_services:
        terms["victimServices"] = True
    body = await gql(client, AGREEMENT, {"a": terms}, token=supervisor)
    assert body.get("errors") is None, body
