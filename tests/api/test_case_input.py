"""What openCase, updateCase and closeCase refuse, each with a message that names the field and the reason."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import CASE, OPEN_CASE, case_input, error_code, gql, token_for
from tests.support.graph import query

SPD = "WASPD0000"
UPDATE = "mutation($id: ID!, $c: UpdateCaseInput!) { updateCase(id: $id, changes: $c) { title summary labels } }"
CLOSE = "mutation($id: ID!, $on: Date) { closeCase(id: $id, closedOn: $on) { status closedOn } }"


def refused(body: dict[str, Any], says: str) -> None:
    assert error_code(body) == "BAD_USER_INPUT", body
    assert says in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"title": "    "}, "title: must not be blank"),
        ({"title": "ring\x00 case"}, "title: contains a control character (U+0000)"),
        ({"title": "ring\x1b[31m case"}, "title: contains a control character (U+001B)"),
        ({"title": "invoice \u202egpj.exe"}, "title: contains a character that reverses the order"),
        ({"agencyCaseNumber": "SPD-\u2066-1"}, "agencyCaseNumber: contains a character that reverses"),
        ({"offenses": ["x" * 100_000]}, "offenses: has at most 120 characters, not 100000"),
        ({"labels": [f"label-{n}" for n in range(1000)]}, "labels: holds at most 20 entries, not 1000"),
        ({"summary": "a\x07b"}, "summary: contains a control character (U+0007)"),
        ({"openedOn": "2099-01-01"}, "openedOn 2099-01-01 is in the future"),
        ({"openedOn": "1850-01-01"}, "openedOn 1850-01-01 is before 1900"),
    ],
)
async def test_opening_a_case_refuses_text_and_dates_that_cannot_be_right(
    client: httpx.AsyncClient, repos: Repositories, changes: dict[str, Any], says: str
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    body = await gql(client, OPEN_CASE, {"case": {**case_input("SPD-1"), **changes}}, token=analyst)
    refused(body, says)
    listed = await gql(client, "{ cases(first: 5) { totalCount } }", token=analyst)
    assert listed["data"]["cases"]["totalCount"] == 0


async def test_text_is_stored_trimmed_and_composed(client: httpx.AsyncClient, repos: Repositories) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    decomposed = "Jose\u0301 ring"  # e + combining acute: shown as é, stored as the one character
    draft = {**case_input("SPD-1"), "title": f"  {decomposed}  ", "summary": "line one\r\nline two\tend"}
    opened = await gql(client, OPEN_CASE, {"case": draft}, token=analyst)
    read = await gql(client, CASE, {"id": opened["data"]["openCase"]["id"]}, token=analyst)
    assert read["data"]["case"]["title"] == "Jos\u00e9 ring"


async def test_case_numbers_differing_only_in_case_are_one_number(
    client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    assert (await gql(client, OPEN_CASE, {"case": case_input("SPD-2026-0042")}, token=analyst)).get("errors") is None
    for variant in ("spd-2026-0042", " SPD-2026-0042 ", "Spd-2026-0042"):
        refused(await gql(client, OPEN_CASE, {"case": case_input(variant)}, token=analyst), "is already used")


async def test_changes_are_checked_as_a_new_case_is(client: httpx.AsyncClient, repos: Repositories) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    case_id = (await gql(client, OPEN_CASE, {"case": case_input("SPD-1")}, token=analyst))["data"]["openCase"]["id"]
    refused(
        await gql(client, UPDATE, {"id": case_id, "c": {"title": " \u3000 "}}, token=analyst),
        "title: must not be blank",
    )
    refused(await gql(client, UPDATE, {"id": case_id, "c": {"labels": ["ok", "\u202e"]}}, token=analyst), "labels:")
    read = await gql(client, CASE, {"id": case_id}, token=analyst)
    assert read["data"]["case"]["title"] == "Synthetic case SPD-1"


async def test_a_case_closes_once_between_its_opening_and_today(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    case_id = (await gql(client, OPEN_CASE, {"case": case_input("SPD-1")}, token=analyst))["data"]["openCase"]["id"]
    refused(await gql(client, CLOSE, {"id": case_id, "on": "2026-01-14"}, token=analyst), "before the case was opened")
    future = (date.today() + timedelta(days=30)).isoformat()
    refused(await gql(client, CLOSE, {"id": case_id, "on": future}, token=analyst), "is in the future")
    closed = await gql(client, CLOSE, {"id": case_id, "on": "2026-02-01"}, token=analyst)
    assert closed["data"]["closeCase"] == {"status": "CLOSED", "closedOn": "2026-02-01"}
    again = await gql(client, CLOSE, {"id": case_id, "on": "2026-03-01"}, token=analyst)
    refused(again, "the case was closed on 2026-02-01 already")
    closes = await query(graph, "neo4j", "MATCH (e:AuditEntry {kind: 'case.close'}) RETURN count(e) AS n")
    assert closes == [{"n": 1}]
