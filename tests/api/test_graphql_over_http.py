"""GraphQL over HTTP: the media type of the answer follows `Accept`, and so do the status codes of requests
refused before execution; every refusal, also by the authentication middleware, carries a code and the request id."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver

from graph.driver import Neo4jConnection
from tests.support.servers import live_gateway, settings_for_tests

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
TYPENAME = {"query": "{ __typename }"}


async def post(client: httpx.AsyncClient, body: dict[str, Any], accept: str | None, **headers: str) -> httpx.Response:
    sent = {"Accept": accept} if accept is not None else {}
    return await client.post("/graphql", json=body, headers={**sent, **headers})


def request_id_of_every_error(response: httpx.Response) -> set[str]:
    return {error["extensions"]["requestId"] for error in response.json()["errors"]}


@pytest.mark.parametrize(
    ("accept", "answered"),
    [
        (None, JSON),
        ("*/*", JSON),
        (JSON, JSON),
        ("application/*", JSON),
        (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE}, {JSON}", GRAPHQL_RESPONSE),
        (f"{JSON}, {GRAPHQL_RESPONSE}", JSON),
        (f"{GRAPHQL_RESPONSE};q=0.5, {JSON}", JSON),
        (f"*/*, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{JSON};q=0, */*", GRAPHQL_RESPONSE),
        (f"{JSON}, multipart/mixed", JSON),  # what GraphiQL sends
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),  # what a browser sends
    ],
)
async def test_the_answer_is_in_the_media_type_the_client_prefers(
    client: httpx.AsyncClient, accept: str | None, answered: str
) -> None:
    response = await post(client, TYPENAME, accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == answered
    assert response.headers["vary"] == "Accept"
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.parametrize("accept", ["text/html", "application/xml, text/plain", f"{JSON};q=0, {GRAPHQL_RESPONSE};q=0"])
async def test_an_accept_that_allows_neither_json_type_is_answered_406(client: httpx.AsyncClient, accept: str) -> None:
    response = await post(client, TYPENAME, accept)
    assert response.status_code == 406
    assert response.headers["content-type"] == JSON
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "BAD_REQUEST", "requestId": response.headers["x-request-id"]}
    assert GRAPHQL_RESPONSE in error["message"]


NOT_EXECUTED = [
    ({"query": "{"}, "GRAPHQL_VALIDATION_FAILED"),
    ({"query": "{ noSuchField }"}, "GRAPHQL_VALIDATION_FAILED"),
    ({"query": "query($id: ID!) { case(id: $id) { id } }", "variables": {"id": None}}, "GRAPHQL_VALIDATION_FAILED"),
    ({"query": "query A { __typename } query B { __typename }"}, "BAD_REQUEST"),
    ({"query": "query A { __typename }", "operationName": "B"}, "BAD_REQUEST"),
    ({"query": "subscription { __typename }"}, "GRAPHQL_VALIDATION_FAILED"),  # the schema has no subscriptions
    ({"query": "{ " + " ".join(f"a{n}: __typename" for n in range(100)) + " }"}, "LIMIT_EXCEEDED"),
]
NOT_EXECUTED_IDS = ["parse", "validation", "variables", "no operation named", "unknown name", "subscription", "limit"]


@pytest.mark.parametrize(("body", "code"), NOT_EXECUTED, ids=NOT_EXECUTED_IDS)
async def test_a_request_refused_before_execution_is_400_in_graphql_response_json(
    client: httpx.AsyncClient, body: dict[str, Any], code: str
) -> None:
    response = await post(client, body, GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert response.headers["content-type"] == GRAPHQL_RESPONSE
    answer = response.json()
    assert "data" not in answer
    assert answer["errors"][0]["extensions"]["code"] == code
    assert request_id_of_every_error(response) == {response.headers["x-request-id"]}


@pytest.mark.parametrize(("body", "code"), NOT_EXECUTED, ids=NOT_EXECUTED_IDS)
async def test_a_request_refused_before_execution_is_200_in_json(
    client: httpx.AsyncClient, body: dict[str, Any], code: str
) -> None:
    response = await post(client, body, JSON)
    assert response.status_code == 200
    assert response.headers["content-type"] == JSON
    answer = response.json()
    assert "data" not in answer
    assert answer["errors"][0]["extensions"]["code"] == code
    assert request_id_of_every_error(response) == {response.headers["x-request-id"]}


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON])
async def test_an_executed_operation_with_field_errors_is_200_in_both(client: httpx.AsyncClient, accept: str) -> None:
    response = await post(client, {"query": "{ service { name } me { subject } }"}, accept)
    assert response.status_code == 200
    answer = response.json()
    assert answer["data"] is None  # `me` is non-null: its error nulls the whole answer, which still ran
    (error,) = answer["errors"]
    assert error["path"] == ["me"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "requestId": response.headers["x-request-id"]}


@pytest.mark.parametrize("accept", [GRAPHQL_RESPONSE, JSON, None])
async def test_a_credential_that_fails_is_answered_401_with_a_code_and_the_request_id(
    client: httpx.AsyncClient, accept: str | None
) -> None:
    response = await post(client, TYPENAME, accept, Authorization="Bearer sett_" + "x" * 43)
    assert response.status_code == 401
    assert response.headers["content-type"] == (accept or JSON)
    answer = response.json()
    assert "data" not in answer
    (error,) = answer["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "requestId": response.headers["x-request-id"]}


async def test_a_blocked_credential_is_answered_429_with_a_code_and_the_request_id(
    neo4j_connection: Neo4jConnection, graph: AsyncDriver
) -> None:
    settings = settings_for_tests(auth_credential_failure_limit=2)
    bad = "Bearer sett_" + "y" * 43
    with live_gateway(settings, neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            answers = [await post(http, TYPENAME, GRAPHQL_RESPONSE, Authorization=bad) for _ in range(3)]
    assert answers[0].status_code == 401
    blocked = answers[-1]
    assert blocked.status_code == 429
    assert blocked.headers["content-type"] == GRAPHQL_RESPONSE
    assert int(blocked.headers["retry-after"]) > 0
    (error,) = blocked.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "requestId": blocked.headers["x-request-id"]}
