"""createSharingAgreement refuses what cannot be an agreement, in the API's words, and never pydantic's."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import OPEN_CASE, case_input, error_code, gql, token_for

SPD, KCSO = "WASPD0000", "WA0170000"
CREATE = "mutation($a: SharingAgreementInput!) { createSharingAgreement(agreement: $a) { id caseIds validUntil } }"
LIST = "{ sharingAgreements { id } }"


def agreement(**changes: Any) -> dict[str, Any]:
    return {"granteeId": KCSO, "coverage": "ALL_CASES", "purpose": "joint task force", **changes}


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"validFrom": "2026-12-01T00:00:00"}, "validFrom: needs a UTC offset, such as Z or -05:00"),
        ({"validUntil": "9999-12-31T23:59:59-14:00"}, "validUntil: lies outside the dates an agreement can have"),
        ({"validUntil": "2500-01-01T00:00:00Z"}, "validUntil: must lie between 2000 and 2199"),
        (
            {"validFrom": "2027-01-01T00:00:00Z", "validUntil": "2026-12-01T00:00:00Z"},
            "validUntil must come after validFrom",
        ),
        ({"purpose": "  ok  "}, "purpose: has at least 3 characters"),
        ({"purpose": "joint\u202e task"}, "purpose: contains a character that reverses"),
        ({"coverage": "LABELLED_CASES", "labels": [str(n) for n in range(1000)]}, "labels: holds at most 20"),
        ({"caseIds": ["<case id>"]}, "caseIds are named only in an agreement on NAMED_CASES"),
    ],
)
async def test_an_agreement_that_cannot_be_right_is_refused_plainly(
    client: httpx.AsyncClient, repos: Repositories, changes: dict[str, Any], says: str
) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    body = await gql(client, CREATE, {"a": agreement(**changes)}, token=supervisor)
    assert error_code(body) == "BAD_USER_INPUT", body
    message = body["errors"][0]["message"]
    assert message.startswith(says)
    for leak in ("pydantic", "SharingAgreement", "validation error", "valid_until", "input_value"):
        assert leak not in message
    assert (await gql(client, LIST, token=supervisor))["data"]["sharingAgreements"] == []


async def test_named_cases_must_be_the_grantors_own(client: httpx.AsyncClient, repos: Repositories) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    other = await token_for(repos, KCSO, Role.ANALYST)
    own = (await gql(client, OPEN_CASE, {"case": case_input("SPD-1")}, token=supervisor))["data"]["openCase"]["id"]
    theirs = (await gql(client, OPEN_CASE, {"case": case_input("KC-1")}, token=other))["data"]["openCase"]["id"]
    for named in (["<case id>"], [own, theirs]):
        body = await gql(client, CREATE, {"a": agreement(coverage="NAMED_CASES", caseIds=named)}, token=supervisor)
        assert error_code(body) == "BAD_USER_INPUT"
        assert "among your agency's cases" in body["errors"][0]["message"]
    assert (await gql(client, LIST, token=supervisor))["data"]["sharingAgreements"] == []
    created = await gql(client, CREATE, {"a": agreement(coverage="NAMED_CASES", caseIds=[own])}, token=supervisor)
    assert created["data"]["createSharingAgreement"]["caseIds"] == [own]
