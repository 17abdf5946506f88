"""Anything unexpected is masked: a generic message, a code, and the request id that the log names."""

from __future__ import annotations

import re

import httpx
from neo4j import AsyncDriver

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import CASE, OPEN_CASE, case_input, gql, token_for
from tests.support.graph import query


async def test_an_unexpected_failure_is_masked_with_a_request_id(
    client: httpx.AsyncClient, repos: Repositories, graph: AsyncDriver
) -> None:
    token = await token_for(repos, "WASPD0000", Role.ANALYST)
    opened = await gql(client, OPEN_CASE, {"case": case_input("SPD-9")}, token=token)
    case_id = opened["data"]["openCase"]["id"]
    await query(graph, "neo4j", "MATCH (c:Case {id: $id}) SET c.status = 'NOT-A-STATUS'", id=case_id)

    response = await client.post(
        "/graphql",
        json={"query": CASE, "variables": {"id": case_id}},
        headers={"Authorization": f"Bearer {token}", "X-Request-Id": "req-123"},
    )

    (error,) = response.json()["errors"]
    assert error["message"] == "Unexpected error."
    ours = response.headers["X-Request-Id"]
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": ours}
    assert ours != "req-123"  # the server makes the id it logs under; a client cannot choose or forge it
    assert re.fullmatch(r"[0-9a-f]{16}-[0-9a-f]+", ours)
    assert "NOT-A-STATUS" not in response.text
