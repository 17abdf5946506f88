"""Requests an attacker or a broken client sends: each is answered 4xx with a code, never a 500."""

from __future__ import annotations

import json

import httpx

from agencies.principals import Role
from gateway.repositories import Repositories
from tests.support.access import error_code, gql, token_for

JSON = {"Content-Type": "application/json"}
SPD = "WASPD0000"


def assert_refused(response: httpx.Response, says: str) -> None:
    assert response.status_code == 400, response.text
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert says in error["message"]


async def test_a_variable_with_5001_digits_is_refused(client: httpx.AsyncClient) -> None:
    body = b'{"query": "query($n: Int) { __typename }", "variables": {"n": ' + b"1" * 5001 + b"}}"
    assert_refused(await client.post("/graphql", content=body, headers=JSON), "more digits")


async def test_an_argument_with_5001_digits_is_a_validation_error(client: httpx.AsyncClient) -> None:
    query = "{ agencies(first: " + "1" * 5001 + ") { totalCount } }"
    body = await gql(client, query)
    assert body["status"] == 200
    assert error_code(body) == "GRAPHQL_VALIDATION_FAILED"


async def test_variables_nested_100000_deep_are_refused(client: httpx.AsyncClient) -> None:
    nested = '{"a": ' * 100_000 + "1" + "}" * 100_000
    body = '{"query": "{ __typename }", "variables": ' + nested + "}"
    response = await client.post("/graphql", content=body.encode(), headers=JSON)
    assert response.status_code in (400, 413), response.text
    assert response.json()["errors"][0]["extensions"]["code"] in ("BAD_REQUEST", "LIMIT_EXCEEDED")


async def test_a_lone_surrogate_in_an_id_is_refused(client: httpx.AsyncClient, repos: Repositories) -> None:
    token = await token_for(repos, SPD, Role.ANALYST)
    body = '{"query": "query($id: ID!) { case(id: $id) { id } }", "variables": {"id": "\\ud800"}}'
    response = await client.post(
        "/graphql", content=body.encode(), headers={**JSON, "Authorization": f"Bearer {token}"}
    )
    assert_refused(response, "surrogate")
    in_query = '{"query": "{ case(id: \\"a\\udfffb\\") { id } }"}'
    assert_refused(await client.post("/graphql", content=in_query.encode(), headers=JSON), "surrogate")


async def test_an_emoji_written_as_a_surrogate_pair_is_text(client: httpx.AsyncClient, repos: Repositories) -> None:
    token = await token_for(repos, SPD, Role.ANALYST)
    body = json.dumps({"query": "query($id: ID!) { case(id: $id) { id } }", "variables": {"id": "\U0001f600"}})
    response = await client.post(
        "/graphql", content=body.encode(), headers={**JSON, "Authorization": f"Bearer {token}"}
    )
    assert "\\ud83d" in body  # json.dumps writes the emoji as an escaped surrogate pair
    assert response.status_code == 200
    assert error_code(response.json()) == "NOT_FOUND"
