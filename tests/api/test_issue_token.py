"""issueToken: refusals that say why, the scopes a token has, and a lifetime cut short said out loud."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for

SPD = "WASPD0000"
ISSUE = """
mutation($subject: String!, $days: Int!) {
  issueToken(subject: $subject, roles: [ANALYST], description: "synthetic analyst", expiresInDays: $days) {
    secret warnings token { scopes expiresAt }
  }
}
"""


@pytest.mark.parametrize("days", [2_147_483_647, -2_147_483_648, 0, 366])
async def test_a_lifetime_out_of_range_is_bad_input(client: httpx.AsyncClient, repos: Repositories, days: int) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    body = await gql(client, ISSUE, {"subject": "analyst@spd", "days": days}, token=supervisor)
    assert error_code(body) == "BAD_USER_INPUT"
    assert "expiresInDays must lie between 1 and 365" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("subject", "says"),
    [
        ("x" * 100_000, "has at most 200 characters"),
        ("   ", "must not be blank"),
        ("ana\u202elyst", "contains a character that reverses the order"),
    ],
)
async def test_a_subject_that_is_not_a_short_line_of_text_is_refused(
    client: httpx.AsyncClient, repos: Repositories, subject: str, says: str
) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    body = await gql(client, ISSUE, {"subject": subject, "days": 30}, token=supervisor)
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["message"].startswith(f"subject {says}")


async def test_an_analyst_token_shows_the_scopes_it_has(client: httpx.AsyncClient, repos: Repositories) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR, lifetime=timedelta(days=60))
    issued = (await gql(client, ISSUE, {"subject": "analyst@spd", "days": 30}, token=supervisor))["data"]["issueToken"]
    me = await gql(client, "{ me { scopes } }", token=issued["secret"])
    assert issued["token"]["scopes"] == me["data"]["me"]["scopes"] == ["CASES_READ", "CASES_WRITE"]
    assert issued["warnings"] == []


async def test_a_lifetime_cut_to_the_issuers_is_said(client: httpx.AsyncClient, repos: Repositories) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR, lifetime=timedelta(days=2))
    issued = (await gql(client, ISSUE, {"subject": "analyst@spd", "days": 30}, token=supervisor))["data"]["issueToken"]
    (warning,) = issued["warnings"]
    assert "with the credential that issued it" in warning
    assert issued["token"]["expiresAt"][:10] in warning
