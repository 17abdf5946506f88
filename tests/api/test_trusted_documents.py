"""Trusted documents: in production only the committed documents run, by id or by exact text, for a principal
without the exploring scope; introspection and suggestions are theirs alone. Development and test run anything."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from neo4j import AsyncDriver

from agencies.principals import Role, Scope
from gateway.graphiql import DEFAULT_QUERY
from gateway.repositories import Repositories
from gateway.settings import Environment
from gateway.trusted_documents import document_id
from graph.driver import Neo4jConnection
from tests.support.access import token_for
from tests.support.servers import live_gateway, settings_for_tests

GRAPHQL_RESPONSE = "application/graphql-response+json"
SERVICE = "{ service { name version } }"  # the README's first example
MY_CASES = DEFAULT_QUERY.strip()  # GraphiQL's example
LOOKUP = "query($kind: IdentifierKind!, $value: String!) { lookupIdentifier(identifier: {kind: $kind, value: $value}, first: 20) { edges { node { access case { id } pointer { ownerAgencyId } } } } }"  # noqa: E501 - the benchmark's
UNTRUSTED = "{ me { subject agencyId } }"
INTROSPECTION = "{ __schema { queryType { name } } }"
UNKNOWN_ID = "sha256:" + "0" * 64
SPD, OVC = "WASPD0000", "USOVC0000"


@pytest.fixture(scope="module")
def production_url(neo4j_connection: Neo4jConnection, migrated_driver: AsyncDriver) -> Iterator[str]:
    """A production gateway whose holders of API_EXPLORE may send anything."""
    settings = settings_for_tests(environment=Environment.PRODUCTION, arbitrary_documents_scope="API_EXPLORE")
    with live_gateway(settings, neo4j_connection) as url:
        yield url


@pytest.fixture
async def production(production_url: str, graph: AsyncDriver) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=production_url, timeout=10) as http:
        yield http


async def post(
    http: httpx.AsyncClient, body: dict[str, Any], token: str | None = None, accept: str | None = None
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if accept:
        headers["Accept"] = accept
    return await http.post("/graphql", json=body, headers=headers)


def refusal(response: httpx.Response) -> str:
    """The one error's code of an answer refused before anything ran (no `data`), with the request id."""
    body = response.json()
    assert "data" not in body, body
    (error,) = body["errors"]
    assert error["extensions"]["requestId"] == response.headers["x-request-id"]
    return str(error["extensions"]["code"])


async def explorer(repos: Repositories) -> str:
    """An ADMIN token narrowed to API_EXPLORE: it may send anything, and read nothing a scope guards."""
    return await token_for(repos, OVC, Role.ADMIN, scopes=frozenset({Scope.API_EXPLORE}), subject="explorer")


@pytest.mark.parametrize("query", [UNTRUSTED, "{ me { agencyId", INTROSPECTION])
async def test_a_document_that_is_not_trusted_is_refused_before_it_is_parsed(
    production: httpx.AsyncClient, repos: Repositories, query: str
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    response = await post(production, {"query": query}, analyst)
    assert response.status_code == 200
    assert refusal(response) == "DOCUMENT_NOT_TRUSTED"  # not a syntax or validation error: nothing was parsed
    strict = await post(production, {"query": query}, analyst, accept=GRAPHQL_RESPONSE)
    assert strict.status_code == 400
    assert refusal(strict) == "DOCUMENT_NOT_TRUSTED"


async def test_a_trusted_document_runs_by_its_id_in_either_form_and_by_its_exact_text(
    production: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    identifier = document_id(MY_CASES)
    apollo = {"persistedQuery": {"version": 1, "sha256Hash": identifier.removeprefix("sha256:")}}
    for body in (
        {"documentId": identifier, "variables": {}},
        {"extensions": apollo},
        {"query": MY_CASES},
        {"query": DEFAULT_QUERY},  # as GraphiQL sends it, with its final newline
        {"query": MY_CASES, "documentId": identifier},
    ):
        response = await post(production, body, analyst, accept=GRAPHQL_RESPONSE)
        assert response.status_code == 200, body
        answer = response.json()
        assert answer.get("errors") is None, answer
        assert answer["data"]["me"]["agencyId"] == SPD
        assert answer["data"]["cases"]["totalCount"] == 0
    anonymous = await post(production, {"documentId": document_id(SERVICE)})
    assert anonymous.json()["data"]["service"]["name"] == "sett"


async def test_an_unknown_id_is_refused_as_not_found(production: httpx.AsyncClient) -> None:
    apollo = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    for body in ({"documentId": UNKNOWN_ID}, {"extensions": apollo}):
        response = await post(production, body)
        assert response.status_code == 200
        assert refusal(response) == "PERSISTED_QUERY_NOT_FOUND"
        strict = await post(production, body, accept=GRAPHQL_RESPONSE)
        assert strict.status_code == 400
        assert refusal(strict) == "PERSISTED_QUERY_NOT_FOUND"


@pytest.mark.parametrize(
    "body",
    [
        {"query": SERVICE, "documentId": UNKNOWN_ID},
        {"documentId": document_id(SERVICE), "extensions": {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}},
        {"documentId": 7},
        {"extensions": {"persistedQuery": {"version": 2, "sha256Hash": "0" * 64}}},
        {"variables": {}},
    ],
    ids=["id not of the query", "two different ids", "id not a string", "unknown version", "neither query nor id"],
)
async def test_ids_that_contradict_the_request_or_are_malformed_are_a_bad_request(
    production: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    response = await post(production, body)
    assert response.status_code == 400
    assert refusal(response) == "BAD_REQUEST"


async def test_introspection_needs_the_scope_and_with_it_any_document_runs(
    production: httpx.AsyncClient, repos: Repositories
) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    assert refusal(await post(production, {"query": INTROSPECTION})) == "DOCUMENT_NOT_TRUSTED"
    assert refusal(await post(production, {"query": INTROSPECTION}, supervisor)) == "DOCUMENT_NOT_TRUSTED"
    token = await explorer(repos)
    introspected = (await post(production, {"query": INTROSPECTION}, token)).json()
    assert introspected == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    arbitrary = (await post(production, {"query": UNTRUSTED}, token)).json()
    assert arbitrary == {"data": {"me": {"subject": "explorer", "agencyId": OVC}}}
    suggested = (await post(production, {"query": "{ mee { agencyId } }"}, token)).json()
    assert "Did you mean 'me'?" in suggested["errors"][0]["message"]  # theirs to see


async def test_a_production_error_suggests_nothing_to_a_principal_without_the_scope(
    production: httpx.AsyncClient, client: httpx.AsyncClient, repos: Repositories
) -> None:
    analyst = await token_for(repos, SPD, Role.ANALYST)
    typo = {"documentId": document_id(LOOKUP), "variables": {"kind": "PHONEE", "value": "206-555-0147"}}
    response = await post(production, typo, analyst)
    (error,) = response.json()["errors"]
    assert "PHONEE" in error["message"]
    assert "Did you mean" not in error["message"]
    in_test = await post(client, {**typo, "documentId": None, "query": LOOKUP}, analyst)
    assert "Did you mean the enum value 'PHONE'?" in in_test.json()["errors"][0]["message"]  # what is hidden


async def test_without_the_setting_nobody_may_send_anything_else(
    neo4j_connection: Neo4jConnection, repos: Repositories
) -> None:
    token = await explorer(repos)
    with live_gateway(settings_for_tests(environment=Environment.PRODUCTION), neo4j_connection) as url:
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            assert refusal(await post(http, {"query": INTROSPECTION}, token)) == "DOCUMENT_NOT_TRUSTED"
            assert (await post(http, {"query": SERVICE}, token)).json()["data"]["service"]["name"] == "sett"


async def test_in_test_and_development_any_document_runs_and_trusted_ones_also_by_id(
    client: httpx.AsyncClient,
) -> None:
    assert (await post(client, {"query": INTROSPECTION})).json()["data"]["__schema"]["queryType"]["name"] == "Query"
    by_id = (await post(client, {"documentId": document_id(SERVICE)})).json()
    assert by_id["data"]["service"]["name"] == "sett"
    assert refusal(await post(client, {"documentId": UNKNOWN_ID})) == "PERSISTED_QUERY_NOT_FOUND"
