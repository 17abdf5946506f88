"""A request that is not a GraphQL request is answered 4xx, in the shape of a GraphQL answer without `data`,
with a code and the gateway's request id."""

from __future__ import annotations

import httpx
import pytest

JSON = {"Content-Type": "application/json"}


def refusal(response: httpx.Response) -> dict[str, str]:
    """The one error of a refused request, checked to carry the code shape and the answer's request id."""
    body = response.json()
    assert "data" not in body
    (error,) = body["errors"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    return {"code": error["extensions"]["code"], "message": error["message"]}


@pytest.mark.parametrize(
    ("content", "headers", "status", "says"),
    [
        (b"{not json", JSON, 400, "not JSON"),
        (b"", JSON, 400, "not JSON"),
        (b"\xff\xfe\x00", JSON, 400, "not JSON"),
        ('{"query": "{ __typename }"}'.encode("utf-16"), JSON, 400, "not JSON in UTF-8"),
        (b'"a JSON string"', JSON, 400, "JSON object"),
        (b'{"variables": {}}', JSON, 400, "no `query`"),
        (b'{"query": 7}', JSON, 400, "no `query`"),
        (b'{"query": "{ __typename }", "variables": [1]}', JSON, 400, "`variables`"),
        (b'{"query": "{ __typename }", "operationName": 7}', JSON, 400, "`operationName`"),
        (b'{"query": "{ __typename }", "extensions": "x"}', JSON, 400, "`extensions`"),
        (b'{"query": "{ __typename }"}', {"Content-Type": "text/plain"}, 415, "application/json"),
        (b'{"query": "{ __typename }"}', {}, 415, "application/json"),
        (b'{"query": "{ __typename }"}', {"Content-Type": "application/json; charset=latin-1"}, 415, "UTF-8"),
    ],
)
async def test_a_body_that_is_not_a_graphql_request_is_refused_with_a_reason(
    client: httpx.AsyncClient, content: bytes, headers: dict[str, str], status: int, says: str
) -> None:
    response = await client.post("/graphql", content=content, headers=headers)
    assert response.status_code == status
    found = refusal(response)
    assert found["code"] == "BAD_REQUEST"
    assert says in found["message"]
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", 'Application/JSON; Charset="UTF-8"'])
async def test_json_with_a_utf8_charset_is_a_graphql_request(client: httpx.AsyncClient, content_type: str) -> None:
    body = '{"query": "{ __type(name: \\"Run🏃Swim🏊\\") { name } }"}'.encode()
    response = await client.post("/graphql", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 200
    assert response.json() == {"data": {"__type": None}}


@pytest.mark.parametrize(
    ("method", "params"),
    [
        ("GET", {"query": "{ __typename }"}),
        ("GET", {"query": 'mutation { revokeToken(id: "x") { revokedAt } }'}),
        ("PUT", {}),
        ("DELETE", {}),
        ("OPTIONS", {}),
    ],
    ids=["GET query", "GET mutation", "PUT", "DELETE", "OPTIONS"],
)
async def test_graphql_is_served_over_post_only(client: httpx.AsyncClient, method: str, params: dict[str, str]) -> None:
    response = await client.request(method, "/graphql", params=params)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert refusal(response)["code"] == "BAD_REQUEST"


async def test_a_path_that_does_not_exist_is_answered_404_in_the_same_shape(client: httpx.AsyncClient) -> None:
    response = await client.get("/nothing-here")
    assert response.status_code == 404
    assert refusal(response)["code"] == "NOT_FOUND"
    wrong_method = await client.post("/healthz")
    assert wrong_method.status_code == 405
    assert refusal(wrong_method)["code"] == "BAD_REQUEST"


async def test_a_named_operation_of_several_runs(client: httpx.AsyncClient) -> None:
    body = {"query": "query A { __typename } query B { service { name } }", "operationName": "B"}
    response = await client.post("/graphql", json=body)
    assert response.status_code == 200
    assert response.json() == {"data": {"service": {"name": "sett"}}}
