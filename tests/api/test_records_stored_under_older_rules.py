"""Cases and agreements stored before a rule was tightened are still read, shown and revoked.

Input rules tighten over time (a phone of at most 40 characters, 20 labels, agreements ending before 2200).
A record stored under the older rules must still load: a case that failed to load would hide behind an
internal error, and with it a conflict between two agencies working the same target.
"""

from __future__ import annotations

from typing import Any

import httpx
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for
from tests.support.persons import add_identifier, open_case

SPD, KCSO, TULALIP = "WASPD0000", "WA0170000", "WADI06800"
OLD_LABELS = [f"LABEL-{n:02d}" for n in range(25)]
OLD_PURPOSE = "a purpose written long before purposes had a length limit. " * 10 + "\nand a second line"

CASE = "query($id: ID!) { case(id: $id) { id labels pointOfContact { name phone email } } }"
CASES = "{ cases(first: 10) { totalCount edges { node { id labels } } } }"
LINKED = """
query($id: ID!) {
  linkedCases(caseId: $id) { edges { node { access pointer { ownerAgencyId pointOfContact { name phone } } } } }
}
"""
AGREEMENTS = "{ sharingAgreements { id labels purpose validUntil revokedAt } }"
CREATE = "mutation($a: SharingAgreementInput!) { createSharingAgreement(agreement: $a) { id } }"
REVOKE = "mutation($id: ID!) { revokeSharingAgreement(id: $id) { id revokedAt } }"

AS_STORED_BEFORE = """
MATCH (c:Case {id: $case_id})
SET c.contactName = 'Vice desk (synthetic)', c.contactPhone = '', c.contactEmail = '', c.labels = $labels
WITH c
MATCH (g:SharingAgreement {id: $agreement_id})
SET g.labels = $labels, g.purpose = $purpose, g.validUntil = datetime('9999-12-31T23:59:59Z')
"""


async def query(client: httpx.AsyncClient, document: str, token: str, **variables: Any) -> dict[str, Any]:
    body = await gql(client, document, variables, token=token, purpose="joint operation planning")
    assert body.get("errors") is None, body
    data: dict[str, Any] = body["data"]
    return data


async def test_records_stored_under_older_rules_are_still_read_shown_and_revoked(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    kcso = await token_for(repos, KCSO, Role.ANALYST)
    tulalip = await token_for(repos, TULALIP, Role.ANALYST)
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    old = await open_case(client, spd, "SPD-OLD", labels=("LABEL-00",))
    await add_identifier(client, spd, "PHONE", "(612) 555-0147", case=old)
    theirs = await open_case(client, kcso, "KC-NEW")
    await add_identifier(client, kcso, "PHONE", "612.555.0147", case=theirs)
    terms = {"granteeId": TULALIP, "coverage": "LABELLED_CASES", "labels": ["LABEL-00"], "purpose": "task force"}
    agreement_id = (await query(client, CREATE, supervisor, a=terms))["createSharingAgreement"]["id"]
    await graph.execute_query(
        AS_STORED_BEFORE, case_id=old, agreement_id=agreement_id, labels=OLD_LABELS, purpose=OLD_PURPOSE
    )

    owned = (await query(client, CASE, spd, id=old))["case"]
    assert owned["pointOfContact"] == {"name": "Vice desk (synthetic)", "phone": None, "email": None}
    assert sorted(owned["labels"]) == OLD_LABELS
    assert (await query(client, CASES, spd))["cases"]["totalCount"] == 1

    linked = (await query(client, LINKED, kcso, id=theirs))["linkedCases"]["edges"]
    assert [edge["node"] for edge in linked] == [
        {
            "access": "POINTER",
            "pointer": {"ownerAgencyId": SPD, "pointOfContact": {"name": "Vice desk (synthetic)", "phone": None}},
        }
    ]

    assert (await query(client, CASE, tulalip, id=old))["case"]["id"] == old
    listed = (await query(client, AGREEMENTS, supervisor))["sharingAgreements"]
    assert [(a["id"], a["purpose"], a["validUntil"]) for a in listed] == [
        (agreement_id, OLD_PURPOSE, "9999-12-31T23:59:59+00:00")
    ]
    revoked = (await query(client, REVOKE, supervisor, id=agreement_id))["revokeSharingAgreement"]
    assert revoked["revokedAt"] is not None
    refused = await gql(client, CASE, {"id": old}, token=tulalip, purpose="joint operation planning")
    assert error_code(refused) == "NOT_FOUND"


async def test_an_empty_phone_or_email_is_entered_as_none(client: httpx.AsyncClient, repos: Repositories) -> None:
    spd = await token_for(repos, SPD, Role.ANALYST)
    opened = await gql(
        client,
        "mutation($c: OpenCaseInput!) { openCase(case: $c) { pointOfContact { name phone email } } }",
        {
            "c": {
                "agencyCaseNumber": "SPD-BLANK",
                "title": "Synthetic blank contact",
                "openedOn": "2026-01-15",
                "pointOfContact": {"name": "Vice desk (synthetic)", "phone": "", "email": "  "},
            }
        },
        token=spd,
    )
    assert opened.get("errors") is None, opened
    assert opened["data"]["openCase"]["pointOfContact"] == {
        "name": "Vice desk (synthetic)",
        "phone": None,
        "email": None,
    }
