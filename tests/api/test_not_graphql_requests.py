"""A request that is not a GraphQL request is answered 4xx, in the shape of a GraphQL answer, with a code."""

from __future__ import annotations

import httpx
import pytest

JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize(
    ("content", "headers", "status", "says"),
    [
        (b"{not json", JSON, 400, "not JSON"),
        (b"\xff\xfe\x00", JSON, 400, "not JSON"),
        (b'"a JSON string"', JSON, 400, "JSON object"),
        (b'{"variables": {}}', JSON, 400, "no `query`"),
        (b'{"query": "{ __typename }", "variables": [1]}', JSON, 400, "`variables`"),
        (b'{"query": "{ __typename }", "operationName": 7}', JSON, 400, "`operationName`"),
        (b'{"query": "query A { __typename } query B { __typename }"}', JSON, 400, "operationName"),
        (b'{"query": "{ __typename }"}', {"Content-Type": "text/plain"}, 415, "application/json"),
    ],
)
async def test_a_body_that_is_not_a_graphql_request_is_refused_with_a_reason(
    client: httpx.AsyncClient, content: bytes, headers: dict[str, str], status: int, says: str
) -> None:
    response = await client.post("/graphql", content=content, headers=headers)
    assert response.status_code == status
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST"}
    assert says in error["message"]
    assert response.json()["data"] is None


async def test_queries_are_not_served_over_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_a_named_operation_of_several_runs(client: httpx.AsyncClient) -> None:
    body = {"query": "query A { __typename } query B { service { name } }", "operationName": "B"}
    response = await client.post("/graphql", json=body)
    assert response.status_code == 200
    assert response.json() == {"data": {"service": {"name": "sett"}}}
