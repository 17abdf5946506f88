"""`/metrics`: requests by operation and outcome, refusals by limit, disclosures written, the Neo4j pool."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator

import httpx
import pytest
from neo4j import AsyncDriver
from prometheus_client.parser import text_string_to_metric_families

from agencies.principals import Role
from gateway.limits import OperationLimits
from gateway.repositories import Repositories
from graph.driver import Neo4jConnection
from tests.api.test_case_reads import AGREEMENT, KCSO, SPD, open_case
from tests.support.access import CASE, error_code, gql, token_for
from tests.support.servers import live_gateway, settings_for_tests

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]
REQUESTS = "sett_graphql_requests_total"


async def scrape(client: httpx.AsyncClient) -> Samples:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def grown(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


async def test_a_request_is_counted_under_its_operation_and_outcome_and_timed(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    body = await gql(client, "query ServiceName { service { name } }")
    assert body.get("errors") is None, body
    after = await scrape(client)

    assert grown(before, after, REQUESTS, operation="ServiceName", outcome="ok") == 1
    duration = "sett_graphql_request_duration_seconds"
    assert grown(before, after, f"{duration}_count", operation="ServiceName") == 1
    assert grown(before, after, f"{duration}_bucket", operation="ServiceName", le="+Inf") == 1
    assert grown(before, after, "sett_http_requests_total", path="/graphql", status="200") == 1
    assert grown(before, after, "sett_http_requests_total", path="/metrics", status="200") == 1


async def test_an_operation_that_does_not_run_never_makes_its_name_a_label(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    assert (await gql(client, "{ service { name } }")).get("errors") is None
    refused = await gql(client, "query NeverRanHere { noSuchField }")
    assert error_code(refused) == "GRAPHQL_VALIDATION_FAILED"
    after = await scrape(client)

    assert grown(before, after, REQUESTS, operation="anonymous", outcome="ok") == 1
    assert grown(before, after, REQUESTS, operation="other", outcome="refused") == 1
    assert not any("NeverRanHere" in str(labels) for _, labels in after)


async def test_a_refusal_by_a_limit_is_counted_under_the_limit(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    deep = "query TooDeep { " + "me { " * 50 + "agencyId" + " }" * 50 + " }"
    assert (await gql(client, deep))["errors"][0]["extensions"]["limit"] == "depth"
    named = await client.post("/graphql", json={"query": deep, "operationName": "TooDeep"})
    assert named.json()["errors"][0]["extensions"]["limit"] == "depth"
    oversized = "x" * (OperationLimits().body_bytes + 1)
    too_large = await client.post("/graphql", json={"query": "{ __typename }", "variables": {"pad": oversized}})
    assert too_large.status_code == 413
    after = await scrape(client)

    limits = "sett_graphql_limit_refusals_total"
    assert grown(before, after, limits, limit="depth") == 2
    assert grown(before, after, limits, limit="bodyBytes") == 1
    assert grown(before, after, limits, limit="aliases") == 0
    assert value(after, limits, limit="aliases") >= 0  # every limit is shown from the start, at 0 if need be
    assert (("sett_graphql_limit_refusals_total", frozenset({("limit", "cost")})) in after) is True
    assert grown(before, after, REQUESTS, operation="other", outcome="refused") == 1  # named, never ran
    assert grown(before, after, REQUESTS, operation="unknown", outcome="refused") == 2  # unparsed, unread
    assert grown(before, after, "sett_graphql_errors_total", code="LIMIT_EXCEEDED") == 3


async def test_a_refused_credential_is_counted_and_the_metrics_need_none(client: httpx.AsyncClient) -> None:
    before = await scrape(client)
    response = await client.post(
        "/graphql", json={"query": "{ me { agencyId } }"}, headers={"Authorization": "Bearer sett_not-a-token"}
    )
    assert response.status_code == 401
    scraped = await client.get("/metrics", headers={"Authorization": "Bearer sett_not-a-token"})
    assert scraped.status_code == 200
    after = await scrape(client)

    assert grown(before, after, REQUESTS, operation="unknown", outcome="unauthenticated") == 1
    assert grown(before, after, "sett_http_requests_total", path="/graphql", status="401") == 1


async def test_a_disclosure_is_counted_once_it_is_written(client: httpx.AsyncClient, repos: Repositories) -> None:
    supervisor = await token_for(repos, SPD, Role.SUPERVISOR)
    owner = await token_for(repos, SPD, Role.ANALYST)
    grantee = await token_for(repos, KCSO, Role.ANALYST)
    case_id = await open_case(client, owner, "SPD-M1")
    agreement = {"granteeId": KCSO, "coverage": "ALL_CASES", "purpose": "task force"}
    assert (await gql(client, AGREEMENT, {"a": agreement}, token=supervisor)).get("errors") is None
    before = await scrape(client)

    refused = await gql(client, CASE, {"id": case_id}, token=grantee)
    assert error_code(refused) == "PURPOSE_REQUIRED"
    middle = await scrape(client)
    read = await gql(client, CASE, {"id": case_id}, token=grantee, purpose="joint operation")
    assert read["data"]["case"]["id"] == case_id
    own = await gql(client, CASE, {"id": case_id}, token=owner)
    assert own["data"]["case"]["id"] == case_id
    after = await scrape(client)

    written = "sett_disclosures_written_total"
    assert grown(before, middle, written, kind="case") == 0
    assert grown(middle, after, written, kind="case") == 1  # the grantee's read; the owner's records nothing
    assert grown(before, after, written, kind="pointer") == 0
    assert grown(before, after, REQUESTS, operation="anonymous", outcome="error") == 1
    assert grown(before, after, "sett_graphql_errors_total", code="PURPOSE_REQUIRED") == 1


async def test_the_neo4j_pool_is_shown(
    client: httpx.AsyncClient, repos: Repositories, neo4j_connection: Neo4jConnection
) -> None:
    token = await token_for(repos, SPD, Role.ANALYST)
    assert (await gql(client, "{ agencies(first: 1) { totalCount } }", token=token)).get("errors") is None
    samples = await scrape(client)
    assert value(samples, "sett_neo4j_pool_max_connections") == 100  # the driver's default
    server = neo4j_connection.uri.removeprefix("bolt://")
    held = value(samples, "sett_neo4j_pool_connections", server=server, state="idle") + value(
        samples, "sett_neo4j_pool_connections", server=server, state="in_use"
    )
    assert held >= 1  # the driver keeps the connection it used; none is in use between requests
    assert value(samples, "sett_neo4j_pool_connections", server=server, state="in_use") == 0


async def test_every_request_is_logged_under_the_id_its_answer_carries(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sett.access"):
        response = await client.post(
            "/graphql",
            json={"query": "query Named { service { name } }"},
            headers={"X-Request-Id": "client-7"},
        )
    (entry,) = [record for record in caplog.records if record.name == "sett.access"]
    assert entry.__dict__["request_id"] == response.headers["X-Request-Id"]
    assert entry.__dict__["client_request_id"] == "client-7"
    assert (entry.__dict__["operation"], entry.__dict__["outcome"], entry.__dict__["status"]) == ("Named", "ok", 200)


@pytest.fixture
def start_gateway(neo4j_connection: Neo4jConnection, graph: AsyncDriver) -> Iterator[Callable[..., str]]:
    """Starts gateways with settings of the test's own; they stop at the test's end."""
    with contextlib.ExitStack() as stack:

        def start(**settings: object) -> str:
            return stack.enter_context(live_gateway(settings_for_tests(**settings), neo4j_connection))

        yield start


async def test_the_metrics_can_be_turned_off_or_kept_to_some_networks(start_gateway: Callable[..., str]) -> None:
    off = start_gateway(metrics=False)
    elsewhere = start_gateway(metrics_clients="10.0.0.0/8, 192.0.2.7")
    here = start_gateway(metrics_clients="127.0.0.1")
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{off}/metrics")).status_code == 404
        assert (await http.get(f"{off}/healthz")).status_code == 200
        refused = await http.get(f"{elsewhere}/metrics")
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"] == {
            "code": "FORBIDDEN",
            "requestId": refused.headers["X-Request-Id"],
        }
        assert (await http.get(f"{here}/metrics")).status_code == 200
